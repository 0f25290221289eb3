"""optim's de and cmaes, optim.ConfusionMatrix, paths.rmall, xlua.print and xlua.formatTime
against the original Torch7 (torch7 814ea4a, optim a5ceed7, xlua, paths; LuaJIT 2.1.0-beta2),
built from its sources at /tmp/ref7 (see docs: a reference Torch7).

EXPECTED is what the original's `th` printed for SCRIPT, byte for byte, with only the
` at <file.c>:<line>` suffix of C messages removed (a path of the machine that built it; the
goldens remove it too). The script strips the `file:line: ` that Lua code's errors start with
(optim's and xlua's files are paths of the installation)."""
from luatest import th_script

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
    "false\tbad argument #1 to '?' (expecting number or torch.LongTensor or torch.LongStorage)\t\n"
    'false\tattempt to compare number with nil\t\n'
    "false\tattempt to perform arithmetic on local 'scaleFactor' (a nil value)\t\n"
    "false\tbad argument #1 to 'new' (expecting number or torch.DoubleTensor or torch.DoubleStorage)\t\n"
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
