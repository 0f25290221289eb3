"""optim's de and cmaes, optim.ConfusionMatrix, paths.rmall, xlua.print and xlua.formatTime
against the original Torch7 (torch7 814ea4a, optim a5ceed7, xlua, paths; LuaJIT 2.1.0-beta2),
built from its sources at /tmp/ref7 (see docs: a reference Torch7).

EXPECTED is what the original's `th` printed for SCRIPT, byte for byte, with only the
` at <file.c>:<line>` suffix of C messages removed (a path of the machine that built it; the
goldens remove it too). The script strips the `file:line: ` that Lua code's errors start with
(optim's and xlua's files are paths of the installation)."""
import os
import re
import subprocess
import sys

from luatest import ROOT, th_script

SCRIPT = r'''require 'optim'
require 'xlua'
local function strip(e) return (tostring(e):gsub('^[^:]*:%d+: ', '')) end
local function rosen(x)
  local fx = 0
  for i = 1, x:size(1) - 1 do
    local r = x[i+1] - x[i]*x[i]
    fx = fx + 100*r*r + (1-x[i])*(1-x[i])
  end
  return fx
end
local x0 = torch.Tensor({-1.2, 1, 0.5})
print(pcall(optim.ConfusionMatrix))
local ok, e = pcall(optim.de, rosen, x0:clone(), {maxFEs=40}) print(ok, strip(e))
ok, e = pcall(optim.de, rosen, x0:clone(), {maxFEs=40, crossoverRate=0.5}) print(ok, strip(e))
ok, e = pcall(optim.de, rosen, x0:clone(), {crossoverRate=0.5, scaleFactor=0.5}) print(ok, strip(e))
ok, e = pcall(optim.de, rosen, x0:clone(), {maxFEs=0}) print(ok, strip(e))
local xd, fd = optim.de(rosen, x0:clone(), {maxFEs=30})
print(string.format('%.17g %.17g %d', fd[1], fd[30], fd:size(1)))
torch.manualSeed(7)
ok, e = pcall(optim.cmaes, rosen, x0:clone(), {sigma=0.5, maxEval=60}) print(ok, strip(e))
torch.manualSeed(7)
ok, e = pcall(optim.cmaes, rosen, x0:clone(), {sigma=0.5, maxEval=5}) print(ok, strip(e))
os.execute('rm -rf rmt; mkdir -p rmt/a/b; touch rmt/a/b/f rmt/g')
print(paths.rmall('rmt/g'))
print(paths.rmall('rmt/g', 'yes'))
print(paths.rmall('rmt/g', 'yes'))
print(paths.rmall('rmt', 'yes'), paths.dirp('rmt'))
xlua.print({a=1})
xlua.print({s=string.rep('x', 50)})
xlua.print({torch.Tensor(2)})
xlua.print(setmetatable({x=1}, {__tostring=function() return 'OBJ' end}))
xlua.print('str', 1, 2)
xprint(5)
ok, e = pcall(xlua.formatTime, 'x') print(ok, strip(e))
ok, e = pcall(xlua.formatTime) print(ok, strip(e))
print(xlua.formatTime('61.5'), xlua.formatTime(0/0), xlua.formatTime(1/0), xlua.formatTime(1e20))
'''

# printed by /tmp/ref7/bin/th (the original Torch7) for SCRIPT
EXPECTED = (
    "false\tbad argument #1 to '?' (expecting number or torch.LongTensor or "
    'torch.LongStorage)\t\n'
    'false\tattempt to compare number with nil\t\n'
    "false\tattempt to perform arithmetic on local 'scaleFactor' (a nil value)\t\n"
    "false\tbad argument #1 to 'new' (expecting number or torch.DoubleTensor or "
    'torch.DoubleStorage)\t\n'
    "false\tbad argument #1 to '?' (empty tensor)\t\n"
    '76859206.281934232 44195244.738581136 30\t\n'
    'evals:\t ax-ratio max(std)   f-value\t\n'
    '7:     1.0  4.1e-01 19.33629568156\t\n'
    "false\tattempt to perform arithmetic on local 'verb_modulo' (a nil value)\t\n"
    'evals:\t ax-ratio max(std)   f-value\t\n'
    '7:     1.0  4.1e-01 19.33629568156\t\n'
    'false\tattempt to compare number with nil\t\n'
    "nil\tmissing second argument ('yes')\t\n"
    'true\t\n'
    'nil\tnot a file or directory\trmt/g\t\n'
    'true\tfalse\t\n'
    '{[a] = 1}\n'
    '{[s] = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\x1b[0m ... }\n'
    '{[1] = <userdata>}\n'
    'OBJ:\n'
    '{[x] = 1}\n'
    'str    1\t2\t\n'
    '5\n'
    "false\tattempt to perform arithmetic on local 'seconds' (a string value)\t\n"
    "false\tattempt to perform arithmetic on local 'seconds' (a nil value)\t\n"
    '1m1s\t0ms\tinfD\t1.1574074074074e+15D9h\t\n'
)


def test_reflib16_against_reference(tmp_path):
    r = th_script(SCRIPT, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == EXPECTED.splitlines()
    assert r.stdout == EXPECTED


# optim's algorithms given a df/dx of another size, none, a config that is no table, fields
# that are no numbers: each fails where its Lua file first trips on the value (optim's _literal
# path for the first-order methods; lbfgs/cg/rprop at the same steps)
SCRIPT_OPTIM_ERRORS = r'''require 'optim'
local function strip(e) return (tostring(e):gsub('^[^:]*:%d+: ', '')) end
local function try(...) local ok, e = pcall(...) print(ok, ok and '' or strip(e)) end
local x = torch.Tensor(3):fill(1)
local function f(v) return 0.5, v:clone() end
local function short(v) return 1, torch.Tensor(2):fill(1) end
local function nograd(v) return 1 end
for _, name in ipairs{'sgd', 'adam', 'adamax', 'adagrad', 'adadelta', 'rmsprop', 'nag', 'asgd',
                      'rprop', 'lbfgs', 'cg'} do
  io.write(name, ' ') try(optim[name], short, x:clone(), {maxIter=2})
  io.write(name, ' ') try(optim[name], nograd, x:clone(), {maxIter=2})
  io.write(name, ' ') try(optim[name], f, x:clone(), 5)
end
try(optim.lbfgs, function(v) return 'a', v:clone() end, x:clone(), {maxIter=2})
try(optim.cg, function(v) return nil, v:clone() end, x:clone())
try(optim.cg, f, 5)
try(optim.sgd, function(v) return 1.0, torch.Tensor(2) end, {1.0, 2.0})
try(optim.sgd, f, x:clone(), {learningRates={1,2}})
try(optim.sgd, f, x:clone(), {learningRate=true})
try(optim.adam, f, x:clone(), {beta1='x'})
try(optim.rmsprop, f, x:clone(), {alpha={}})
try(optim.adadelta, f, x:clone(), {rho='a'})
local st = {}
try(optim.sgd, f, x:clone(), {momentum={0.9}}, st)
try(optim.sgd, f, x:clone(), {momentum={0.9}}, st)
local y = optim.sgd(f, x:clone(), {learningRate='0.5', weightDecay='0.5'})
print(y[1], y[3])
local y = optim.lbfgs(f, x:clone(), {maxIter='abc', learningRate='0.5'})
print(y[1])
'''

# printed by /tmp/ref7/bin/th (the original Torch7) for SCRIPT_OPTIM_ERRORS (C messages
# without their ` at <file.c>:<line>`)
EXPECTED_OPTIM_ERRORS = (
    'sgd false\tinconsistent tensor size, expected r_ [3], t [3] and src [2] to have '
    'the same number of elements, but got 3, 3 and 2 elements respectively\t\n'
    'sgd false\tinvalid arguments: DoubleTensor number nil \n'
    'expected arguments: *DoubleTensor* [DoubleTensor] double | *DoubleTensor* '
    '[DoubleTensor] [double] DoubleTensor\t\n'
    "sgd false\tattempt to index local 'config' (a number value)\t\n"
    'adam false\tinconsistent tensor size, expected r_ [3], src1 [2] and src2 [2] to '
    'have the same number of elements, but got 3, 2 and 2 elements respectively\t\n'
    "adam false\tattempt to index local 'dfdx' (a nil value)\t\n"
    "adam false\tattempt to index local 'config' (a number value)\t\n"
    'adamax false\tinconsistent tensor size, expected r_ [3], src1 [2] and src2 [1 x '
    '2] to have the same number of elements, but got 3, 2 and 2 elements respectively\t\n'
    "adamax false\tattempt to index local 'dfdx' (a nil value)\t\n"
    "adamax false\tattempt to index local 'config' (a number value)\t\n"
    'adagrad false\tinconsistent tensor size, expected r_ [3], src1 [2] and src2 [2] '
    'to have the same number of elements, but got 3, 2 and 2 elements respectively\t\n'
    "adagrad false\tbad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got "
    'userdata)\t\n'
    "adagrad false\tattempt to index local 'config' (a number value)\t\n"
    'adadelta false\tinconsistent tensor size, expected r_ [3], t [3] and src [2] to '
    'have the same number of elements, but got 3, 3 and 2 elements respectively\t\n'
    "adadelta false\tbad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got "
    'userdata)\t\n'
    "adadelta false\tattempt to index local 'config' (a number value)\t\n"
    'rmsprop false\tinconsistent tensor size, expected r_ [3], src1 [2] and src2 [2] '
    'to have the same number of elements, but got 3, 2 and 2 elements respectively\t\n'
    "rmsprop false\tbad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got "
    'userdata)\t\n'
    "rmsprop false\tattempt to index local 'config' (a number value)\t\n"
    'nag false\tinconsistent tensor size, expected r_ [3], t [3] and src [2] to have '
    'the same number of elements, but got 3, 3 and 2 elements respectively\t\n'
    "nag false\tattempt to index local 'tensor' (a nil value)\t\n"
    "nag false\tattempt to index local 'config' (a number value)\t\n"
    'asgd false\tinconsistent tensor size, expected r_ [3], t [3] and src [2] to have '
    'the same number of elements, but got 3, 3 and 2 elements respectively\t\n'
    'asgd false\tinvalid arguments: DoubleTensor number nil \n'
    'expected arguments: *DoubleTensor* [DoubleTensor] double | *DoubleTensor* '
    '[DoubleTensor] [double] DoubleTensor\t\n'
    "asgd false\tattempt to index local 'config' (a number value)\t\n"
    'rprop false\tinconsistent tensor size, expected r_ [3], src1 [2] and src2 [2] to '
    'have the same number of elements, but got 3, 2 and 2 elements respectively\t\n'
    "rprop false\tattempt to index local 'dfdx' (a nil value)\t\n"
    "rprop false\tattempt to index local 'config' (a number value)\t\n"
    'lbfgs false\tinconsistent tensor size, expected r_ [3], t [3] and src [2] to '
    'have the same number of elements, but got 3, 3 and 2 elements respectively\t\n'
    "lbfgs false\tattempt to index local 'g' (a nil value)\t\n"
    "lbfgs false\tattempt to index local 'config' (a number value)\t\n"
    'cg false\tinconsistent tensor size, expected tensor [3] and src [2] to have the '
    'same number of elements, but got 3 and 2 elements respectively\t\n'
    "cg false\tbad argument #1 to 'copy' (torch.*Tensor expected, got nil)\t\n"
    "cg false\tattempt to index local 'config' (a number value)\t\n"
    "false\tattempt to perform arithmetic on local 'f' (a string value)\t\n"
    "false\tattempt to perform arithmetic on local 'f1' (a nil value)\t\n"
    "false\tattempt to index local 'x' (a number value)\t\n"
    "false\tattempt to call method 'add' (a nil value)\t\n"
    "false\tbad argument #1 to 'copy' (torch.*Tensor expected, got table)\t\n"
    "false\tattempt to perform arithmetic on local 'lr' (a boolean value)\t\n"
    'false\tinvalid arguments: DoubleTensor string \n'
    'expected arguments: *DoubleTensor* [DoubleTensor] double\t\n'
    'false\tinvalid arguments: DoubleTensor table \n'
    'expected arguments: *DoubleTensor* [DoubleTensor] double\t\n'
    'false\tinvalid arguments: DoubleTensor string \n'
    'expected arguments: *DoubleTensor* [DoubleTensor] double\t\n'
    'true\t\t\n'
    'false\tinvalid arguments: DoubleTensor table \n'
    'expected arguments: *DoubleTensor* [DoubleTensor] double\t\n'
    '0.25\t0.25\t\n'
    '0.83333333333333\t\n'
)


def test_reflib16_optim_errors_against_reference(tmp_path):
    r = th_script(SCRIPT_OPTIM_ERRORS, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == EXPECTED_OPTIM_ERRORS.splitlines()


# sys.toc before sys.tic and sys.sleep of a string (sys/init.lua's arithmetic), what
# xlua.progress returns (nothing), xlua.error's text, optim.Logger's file when a value is
# neither a number nor a string (the row is written up to it) and its %11.4e rounding
# (LuaJIT's: an exact half away from zero), sys.execute's trimming
SCRIPT_LIBS = r'''require 'optim'
require 'xlua'
require 'sys'
torch.Timer = function() return {time = function() return {real = 0} end} end
local function strip(e) return (tostring(e):gsub('^[^:]*:%d+: ', '')) end
local ok, e = pcall(sys.toc) print(ok, strip(e))
ok, e = pcall(sys.sleep, 'x') print(ok, strip(e))
print(select('#', xlua.progress(1, 2)), select('#', xlua.progress(2, 2)))
ok, e = pcall(xlua.error, 'msg', 'dom') print(ok, strip(e))
os.execute('rm -rf logs3')
local l = optim.Logger('logs3/a.log')
l:add{['x'] = 1.03125, ['y'] = 0.03125}
ok, e = pcall(function() l:add{['x'] = 1, ['y'] = {}} end) print(ok, strip(e))
local l2 = optim.Logger('logs3/b.log')
ok, e = pcall(function() l2:add{1, {}, 3} end) print(ok, strip(e))
l.file:close() l2.file:close()
io.write(io.open('logs3/a.log'):read('*a'))
io.write(io.open('logs3/b.log'):read('*a'))
os.execute('rm -rf logs3')
print(sys.execute('printf "  hi \\n there  "'))
'''

# printed by /tmp/ref7/bin/th (the original Torch7) for SCRIPT_LIBS, stderr left out
EXPECTED_LIBS = (
    "false\tattempt to perform arithmetic on upvalue '__t__' (a nil value)\t\n"
    "false\tattempt to perform arithmetic on local 'seconds' (a string value)\t\n"
    ' [======================>.......................]                               '
    '\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08'
    '\x08\x08\x08\x08\x08\x08\x08\x08\x08 ETA: 0ms | Step: '
    '0ms\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08'
    '\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08'
    '\x08\x08\x08\x08\x08\x08\x08\x08 1/2 \n'
    '\n'
    ' [=============================================>]                               '
    '\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08'
    '\x08\x08\x08\x08\x08\x08\x08\x08\x08 Tot: 0ms | Step: '
    '0ms\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08'
    '\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08'
    '\x08\x08\x08\x08\x08\x08\x08\x08 2/2 \n'
    '\n'
    '0\t0\t\n'
    'false\t\x1b[1;31m<dom> msg\x1b[0m\t\n'
    'false\t\x1b[1;31m<Logger> can only log numbers and strings\x1b[0m\t\n'
    'false\t\x1b[1;31m<Logger> can only log numbers and strings\x1b[0m\t\n'
    'y\tx\t\n'
    ' 3.1250e-02\t 1.0313e+00\t\n'
    '1\t2\t3\t\n'
    ' 1.0000e+00\thi \n'
    ' there\t\n'
)


def test_reflib16_sys_xlua_logger_against_reference(tmp_path):
    r = th_script(SCRIPT_LIBS, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == EXPECTED_LIBS


# tostring of a torch class's object that has no __tostring__ (its typename), xlua's
# installed (its argument shadows the package library: it always fails), clear, log,
# usage_module, clearall (xprint, set after xlua loaded, goes too) and pairs(xlua)'s names
SCRIPT_XLUA = r'''require 'optim'
require 'xlua'
print(torch.CmdLine())
print(tostring(torch.CmdLine()))
print(optim.Logger('l4dir/l4.log'))
os.execute('rm -rf l4dir')
local function strip(e) return (tostring(e):gsub('^[^:]*:%d+: ', '')) end
local ok, e = pcall(xlua.installed, 'torch') print(ok, strip(e))
ok, e = pcall(xlua.installed, 5) print(ok, strip(e))
myglobal = 5
xlua.clear('myglobal')
print(myglobal)
xlua.log('xlog/log.txt')
print('logged line', 1, {a=1})
io.write('written ', 2, '\n')
io.write = io._write
print = _print
io.write(io.open('xlog/log.txt'):read('*a'))
os.execute('rm -rf xlog')
local m = {}
print(xlua.usage_module(m, 'mymod', 'a module'))
print(tostring(m) == xlua.usage_module(m, 'mymod', 'a module'))
print(type(xlua.formatTime), type(xlua.who), type(xlua.clearall), rawget(xlua, 'formatTime') ~= nil)
uservar = 1
xlua.clearall()
print(uservar, type(xlua), type(print), type(xprint))
'''

# printed by /tmp/ref7/bin/th (the original Torch7) for SCRIPT_XLUA
EXPECTED_XLUA = (
    'torch.CmdLine\n'
    'torch.CmdLine\t\n'
    'optim.Logger\n'
    "false\tattempt to concatenate field 'cpath' (a nil value)\t\n"
    "false\tattempt to index local 'package' (a number value)\t\n"
    'nil\t\n'
    'logged line    1    {[a] = 1}\n'
    'written 2\n'
    'logged line    1    {[a] = 1}\n'
    'written 2\n'
    '\x1b[0;35m+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++\n'
    'PACKAGE:\n'
    'mymod\n'
    '\n'
    'DESC:\n'
    'a module\n'
    '++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++\x1b[0m\t\n'
    'true\t\n'
    'function\tfunction\tfunction\ttrue\t\n'
    'nil\ttable\tfunction\tnil\t\n'
)


def test_reflib16_xlua_and_tostring_against_reference(tmp_path):
    r = th_script(SCRIPT_XLUA, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == EXPECTED_XLUA


# checkgrad, cmaes, de, lswolfe, polyinterp and ConfusionMatrix given bad values: where their Lua
# first trips (the last line is called from a Lua function: luaT's C __index raised it, so it
# has no position either)
SCRIPT_OPTIM_MORE = r'''require 'optim'
local function strip(e) return (tostring(e):gsub('^[^:]*:%d+: ', '')) end
local function try(...) local ok, e = pcall(...) print(ok, ok and '' or strip(e)) end
local x = torch.Tensor(3):fill(1)
local function f(v) return 0.5 * v:dot(v), v:clone() end
try(optim.checkgrad, function(v) return 1 end, x:clone())
try(optim.checkgrad, function(v) return 1, torch.Tensor(2) end, x:clone())
try(optim.checkgrad, f, 5)
try(optim.checkgrad, function(v) return 'a', v:clone() end, x:clone())
try(optim.cmaes, f, x:clone(), {})
try(optim.cmaes, f, 5, {sigma=1})
try(optim.cmaes, f, torch.LongTensor(3), {sigma=1})
try(optim.de, f, 5, {})
try(optim.lswolfe, f, x:clone(), 1, -x, 'a', x:clone(), -1)
try(optim.lswolfe, function(v) return 1 end, x:clone(), 1, -x, 1, x:clone(), -3)
try(optim.polyinterp, 5)
try(optim.polyinterp, torch.Tensor(2, 2))
local cm = optim.ConfusionMatrix(3)
try(cm.batchAdd, cm, torch.Tensor({1,2,3}), torch.Tensor({1,2}))
try(cm.add, cm, 'x', 1)
try(cm.add, cm, nil, 1)
try(cm.add, cm, 1, 'x')
try(cm.add, cm, 5, 1)
print(pcall(function() cm:add(5, 1) end))
'''

# printed by /tmp/ref7/bin/th (the original Torch7) for SCRIPT_OPTIM_MORE (C messages without
# their ` at <file.c>:<line>`)
EXPECTED_OPTIM_MORE = (
    "false\tattempt to index local 'dC' (a nil value)\t\n"
    'true\t\t\n'
    "false\tattempt to index local 'v' (a number value)\t\n"
    "false\tattempt to perform arithmetic on local 'C1' (a string value)\t\n"
    "false\tbad argument #2 to '?' (number expected, got nil)\t\n"
    "false\tattempt to index local 'x' (a number value)\t\n"
    'false\ttorch.symeig not available for torch.LongTensor please use Float- or '
    'DoubleTensor for x\t\n'
    "false\tattempt to index local 'x' (a number value)\t\n"
    "false\tattempt to perform arithmetic on local 'f' (a string value)\t\n"
    "false\tbad argument #1 to '?' (number expected, got nil)\t\n"
    "false\tattempt to index local 'points' (a number value)\t\n"
    "false\tbad argument #2 to '?' (index out of bound)\t\n"
    'false\tinconsistent tensor size, expected src [3] and mask [2] to have the same '
    'number of elements, but got 3 and 2 elements respectively\t\n'
    "false\tattempt to call method 'size' (a nil value)\t\n"
    "false\tattempt to index local 'prediction' (a nil value)\t\n"
    'false\tassertion failed!\t\n'
    "false\tbad argument #2 to '?' (out of range)\t\n"
    "false\tbad argument #2 to '?' (out of range)\t\n"
)


def test_reflib16_optim_more_errors_against_reference(tmp_path):
    r = th_script(SCRIPT_OPTIM_MORE, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == EXPECTED_OPTIM_MORE


# th's prompt reading a file (`th < lines`): trepl's banner, GNU readline writing each line it
# read after the prompt, '=' and the auto-printed values, and print('') after the exit question
# at the input's end; the timing lines (their values differ by nature) as TIMING
PROMPT_INPUT = 'x = 5\nx\n{1,2}\nprint("hi")\n=x\nfunction f() return 1, 2 end\nf()\n'

# printed by /tmp/ref7/bin/th < PROMPT_INPUT (the original Torch7)
EXPECTED_PROMPT = (
    ' \n'
    '  ______             __   |  Torch7 \n'
    ' /_  __/__  ________/ /   |  Scientific computing for Lua. \n'
    '  / / / _ \\/ __/ __/ _ \\  |  Type ? for help \n'
    ' /_/  \\___/_/  \\__/_//_/  |  https://github.com/torch \n'
    '                          |  http://torch.ch \n'
    '\t\n'
    'th> x = 5\n'
    'TIMING\n'
    'th> x\n'
    '5\t\n'
    'TIMING\n'
    'th> {1,2}\n'
    '{\n'
    '  1 : 1\n'
    '  2 : 2\n'
    '}\n'
    'TIMING\n'
    'th> print("hi")\n'
    'hi\t\n'
    'TIMING\n'
    'th> =x\n'
    '5\t\n'
    'TIMING\n'
    'th> function f() return 1, 2 end\n'
    'TIMING\n'
    'th> f()\n'
    '1\t2\t\n'
    'TIMING\n'
    'th> Do you really want to exit ([y]/n)? \t\n'
)


def test_reflib16_prompt_reading_a_file_against_reference():
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, "-m", "compat.th"], input=PROMPT_INPUT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out = re.sub(r"(?m)^ {70}\[[0-9.]+s\]\t$", "TIMING", r.stdout)
    assert out == EXPECTED_PROMPT


# pairs(paths) and pairs(string) list what Torch7's do (libpaths's C functions, string.gfind,
# gmatch's old name), paths.files' check of its filter, getregistryvalue off Windows and
# paths.require (a loaded package, else loadlib's search of package.cpath)
SCRIPT_PATHS = r'''require 'paths'
require 'sys'
local function strip(e) return (tostring(e):gsub('^[^:]*:%d+: ', '')) end
for _, m in ipairs{{'paths', paths}, {'string', string}} do
  local ks = {}
  for k, v in pairs(m[2]) do ks[#ks+1] = k .. ':' .. type(v) end
  table.sort(ks)
  print(m[1], table.concat(ks, ' '))
end
print(tostring(string.gfind) == tostring(string.gmatch))
local ok, e = pcall(paths.files, '.', 5) print(ok, strip(e))
print(pcall(paths.getregistryvalue, 'HKEY_USERS', 'a', 'b'))
print(paths.require('paths') == paths)
local ok, e = pcall(paths.require, 'nosuchlib_xyz') print(ok, (e:match('^[^\n]*')))
print(pcall(paths.require))
'''

# printed by /tmp/ref7/bin/th (the original Torch7) for SCRIPT_PATHS
EXPECTED_PATHS = (
    'paths\tbasename:function concat:function cwd:function dir:function '
    'dirname:function dirp:function dofile:function execdir:function '
    'extname:function filep:function files:function findprogram:function '
    'getregistryvalue:function home:string is_mac:function is_win:function '
    'iterdirs:function iterfiles:function mkdir:function require:function '
    'rmall:function rmdir:function thisfile:function tmpname:function uname:function\t\n'
    'string\tbyte:function char:function dump:function find:function format:function '
    'gfind:function gmatch:function gsub:function len:function lower:function '
    'match:function rep:function reverse:function split:function sub:function '
    'tosymbol:function upper:function\t\n'
    'true\t\n'
    'false\tExpecting optional arg 2 to be function or string. Got : number\t\n'
    'false\tThis function exists only on windows\t\n'
    'true\t\n'
    "false\tmodule 'nosuchlib_xyz' not found\t\n"
    "false\tbad argument #1 to '?' (string expected, got no value)\t\n"
)


def test_reflib16_paths_and_string_names_against_reference(tmp_path):
    r = th_script(SCRIPT_PATHS, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == EXPECTED_PATHS


# TensorMath's torch.X functions (C dispatchers that lua_call the typed method) raise without
# the caller's position, the tensor's own methods (A:mv) and torch's direct C functions
# (torch.manualSeed) with it (the first line of each message)
SCRIPT_DISPATCH = r'''require 'torch'
local A = torch.Tensor(3,3)
local function p(f) local ok, e = pcall(f) print((tostring(e):gsub('\n.*', ''))) end
p(function() local r = torch.mv(A, 5); return r end)
p(function() local r = torch.add(A, 'x'); return r end)
p(function() local r = torch.zeros('a'); return r end)
p(function() local r = torch.cat(A, 5); return r end)
p(function() local r = torch.sum(5); return r end)
p(function() local r = torch.randn('x'); return r end)
p(function() local r = torch.Tensor('x'); return r end)
p(function() local r = A:mv(5); return r end)
p(function() local r = A:sum('x'); return r end)
p(function() local r = torch.max(A, 'x'); return r end)
p(function() local r = torch.LongStorage('x'); return r end)
p(function() local r = torch.range(1, 'x'); return r end)
p(function() local r = torch.manualSeed('x'); return r end)
p(function() local r = torch.type(); return r end)
p(function() local r = torch.isTensor(); return r end)
'''

# printed by /tmp/ref7/bin/th (the original Torch7) for SCRIPT_DISPATCH saved as s.lua (C
# messages without their ` at <file.c>:<line>`)
EXPECTED_DISPATCH = (
    'invalid arguments: DoubleTensor number \t\n'
    'invalid arguments: DoubleTensor string \t\n'
    'invalid arguments: string \t\n'
    'invalid arguments: DoubleTensor number \t\n'
    'invalid arguments: number \t\n'
    'invalid arguments: string \t\n'
    "bad argument #1 to '?' (expecting number or torch.DoubleTensor or torch.DoubleStorage)\t\n"
    's.lua:11: invalid arguments: DoubleTensor number \t\n'
    's.lua:12: invalid arguments: DoubleTensor string \t\n'
    'invalid arguments: DoubleTensor string \t\n'
    'unable to open file <x> in read-only mode\t\n'
    'invalid arguments: number string \t\n'
    's.lua:16: invalid arguments: string \t\n'
    'nil\t\n'
    'false\t\n'
)


def test_reflib16_dispatcher_errors_against_reference(tmp_path):
    r = th_script(SCRIPT_DISPATCH, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == EXPECTED_DISPATCH
