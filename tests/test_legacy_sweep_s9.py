"""Mechanisms found by running public legacy Torch7 code through th (session s9, helpers
legacysweep6 and legacysweep7, see docs/legacy_sweep.md); expectations from the original
sources' rules."""
import os
import subprocess
import sys

import pytest
from luatest import ROOT, th_script


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime().execute(code)


def test_require_after_a_failed_load_is_a_previous_error():
    # lib_package.c's require marks package.loaded[name] before running the loader; an error
    # leaves the mark, and the next require says so (twrl's tests require a module whose own
    # require fails, then require it again in the next test)
    r = lua("""
      package.preload['s9.bad'] = function() error('boom', 0) end
      local a, ea = pcall(require, 's9.bad')
      local b, eb = pcall(require, 's9.bad')
      return a, ea, b, eb""")
    assert r == (False, "boom", False, "loop or previous error loading module 's9.bad'")


def test_require_of_itself_while_loading_is_a_loop():
    r = lua("""
      package.preload['s9.loop'] = function() return require 's9.loop' end
      return pcall(require, 's9.loop')""")
    assert r == (False, "loop or previous error loading module 's9.loop'")


def test_require_loads_again_when_the_entry_is_false():
    # lua_toboolean(package.loaded[name]) is false: the loader runs and its value is stored
    r = lua("""
      package.loaded['s9.f'] = false
      package.preload['s9.f'] = function() return 7 end
      local v = require 's9.f'
      return v, package.loaded['s9.f'], require 's9.f'""")
    assert r == (7, 7, 7)


# optim.Logger:plot from Lua: Logger.lua's plot, through the gnuplot package
LOGGER = """
require 'optim'
local l = optim.Logger('%s')
l:setNames{'train', 'test'}
l:add{1, 2}
l:plot()                      -- one row: #list > 1 fails for every symbol, nothing drawn
io.write('one row\\n')
l:add{3, 5}
l:style{'-', '+-'}
%s
"""


def test_logger_plot_without_gnuplot_stops_as_the_original(tmp_path):
    # gnuplot.figure (Logger.lua's first call once a symbol has two values) raises
    # 'Gnuplot terminal is not set' when no gnuplot executable is found
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "s.lua").write_text(LOGGER % (tmp_path / "log.txt", "l:plot()\nprint('after')"))
    env = dict(os.environ, PATH=str(empty), PYTHONPATH=ROOT)
    env.pop("TORCH7PY_GNUPLOT", None)
    r = subprocess.run([sys.executable, "-m", "compat.th", "s.lua"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.stdout == "one row\n"
    assert "Gnuplot terminal is not set" in r.stderr
    assert r.returncode == 1


def test_logger_plot_sends_its_symbols_to_gnuplot(tmp_path):
    # with a gnuplot: the figure (plot, grid, title), then the eps file of the same plots; after
    # display(false) only the eps file, of the symbols named
    from test_gnuplot import fake_gnuplot, logs, run_th
    env = fake_gnuplot(tmp_path)
    path = str(tmp_path / "train.txt")
    r = run_th(tmp_path, env, LOGGER % (path, "l:plot()\nl:display(false)\nl:plot('test')"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "one row\n"
    streams = logs(tmp_path)
    title = 'set title "<Logger::' + path + '>"'
    output = 'set output "' + path + '.eps"'
    assert len(streams) == 3
    assert all(title in s and "set grid" in s for s in streams)
    figures = [s for s in streams if "set term wxt" in s]
    eps = [s for s in streams if "postscript eps" in s and output in s]
    assert len(figures) == 1 and len(eps) == 2
    # styles '-' and '+-': gnuplot.plot's lines and linespoints
    assert "title 'train' with lines ," in figures[0]
    assert "title 'test' with linespoints" in figures[0]
    assert sorted("'train'" in s for s in eps) == [False, True]


def test_logger_plot_in_python_is_not_routed_to_lua():
    # the Lua method belongs to the Lua side only: Python's Logger still has its own plot
    from torch7py import optim
    lua("require 'optim'")
    assert optim.Logger.plot.__module__ == "torch7py.optim.logger"


def test_th_prints_no_numpy_warning_for_nan_and_overflow(tmp_path):
    # a diverging float model (textConvNet at a large learning rate): overflow and NaN
    # through TemporalConvolution, Dropout and Linear; Torch7 computes them without a word
    r = th_script("""
        require 'nn'
        torch.manualSeed(1)
        local m = nn.Sequential():add(nn.LookupTable(10, 4))
        m:add(nn.TemporalConvolution(4, 3, 2)):add(nn.Dropout(0.5))
        m:add(nn.View(-1)):add(nn.Linear(9, 2))
        m:float()
        m.modules[1].weight:fill(1e30)
        m.modules[2].weight:fill(1e30)
        local x = torch.Tensor{1, 2, 3, 4}
        local y = m:forward(x)
        print(y[1] ~= y[1], y[2] ~= y[2])
        m:backward(x, torch.FloatTensor{1e30, 1e30})
        print(m.modules[2].gradWeight:max() == math.huge)
    """, tmp_path)
    assert r.returncode == 0, r.stderr
    # the original Torch7 (/tmp/ref7, OpenBLAS 0.3.21 Haswell) prints false on the second
    # line: THNN's window products leave a row of NaN in gradWeight, and max is NaN
    assert r.stdout == "true\ttrue\t\nfalse\t\n"
    assert r.stderr == ""


def test_tensor_and_storage_tostring__is_a_method():
    # Tensor.lua rawsets Tensor.__tostring__ and Storage.__tostring__ into every tensor and
    # storage metatable; luaT's __tostring returns what they return (textConvNet prints
    # module.output:size():__tostring__())
    r = lua("""
      local t = torch.Tensor{1, 2}
      local s = torch.LongStorage{3, 40}
      local e = torch.FloatTensor()
      return t:__tostring__(), s:__tostring__(), e:__tostring__(),
             torch.DoubleTensor.__tostring__(t), getmetatable(s).__tostring__(s),
             torch.getmetatable('torch.LongStorage').__tostring__ == s.__tostring__""")
    assert r[0] == " 1\n 2\n[torch.DoubleTensor of size 2]\n"
    assert r[1] == "  3\n 40\n[torch.LongStorage of size 2]\n"
    assert r[2] == "[torch.FloatTensor with no dimension]\n"
    assert r[3] == r[0] and r[4] == r[1] and r[5] is True


def test_every_object_answers_its_class_constructor_as_new(tmp_path):
    # luaT_lua_newmetatable sets metatable.new = the constructor, and an object's __index is
    # its metatable: m.new(...) builds another object of m's class (soumith/net2net.torch's
    # `m2 = m.new(n, n)` on a Linear or a SpatialConvolution); an own field comes first
    r = th_script("""
require 'nn'
local m = nn.Linear(3, 4)
print(m.new == nn.Linear.new, tostring(m.new(2, 5)))
local c = nn.SpatialConvolution(2, 3, 3, 3)
print(tostring(c.new(3, 3, 3, 3, 1, 1, 1, 1)))
local F, parent = torch.class('nn.Foo9', 'nn.Module')
function F:__init(n) parent.__init(self); self.n = n end
local f = nn.Foo9(3)
print(f.new(7).n, f.new == nn.Foo9.new, type(nn.Foo9.new), torch.type(f.new(1)))
print(torch.type(torch.Timer().new()), torch.type(torch.Tensor(2).new(3)))
m.new = 5
print(m.new)
""", tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [
        "true\tnn.Linear(2 -> 5)\t",
        "nn.SpatialConvolution(3 -> 3, 3x3, 1,1, 1,1)\t",
        "7\ttrue\tfunction\tnn.Foo9\t",
        "torch.Timer\ttorch.DoubleTensor\t",
        "5\t", ""]


def test_th_has_dok_as_trepl_loads_it(tmp_path):
    # trepl's pcall(require, 'dok') at start: the global dok (require gives true: its init.lua
    # returns nothing), help and browse; dok.unpack reads named or positional arguments with
    # their defaults (eladtools' Optimizer), and a missing required one prints dok's red
    # message and the usage, then raises 'error'
    r = th_script("""
print(type(dok), require 'dok', help == dok.help, browse == dok.browse)
local function f(...)
   local args, a, b = dok.unpack({...}, 'f', 'a test',
      {arg='x', type='number', help='the x', req=true},
      {arg='y', type='string', help='the y', default='yy'})
   return a, b, args.x, args.y, args[1]
end
print(f(3))
print(f{x = 4, y = 'z'})
local ok, e = pcall(f, nil, 'q')
print(ok, e:match('error$'))
local ok2, e2 = pcall(dok.error, 'bad', 'dom')
print(e2:match('\\27.*$') == '\\27[1;31m<dom> bad\\27[0m')
help('nothing.here')
""", tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split("\n")
    assert lines[:4] == ["table\ttrue\ttrue\ttrue\t", "3\tyy\t3\tyy\t3\t", "4\tz\t4\tz\t4\t",
                         "\x1b[1;31mmissing argument: x\x1b[0m\t"]
    # the usage: help(nil) first (dok.usage asks help for the symbol 'f', a local: nil), then
    # the banner, the name in magenta, the description, the named arguments padded to 40
    usage = "\n".join(lines[4:])
    assert "\x1b[1;35mf\x1b[0m\n\na test\n\n\x1b[0;34m> \x1b[0musage:\n\x1b[0;36mf{\n" in usage
    assert ("    x = number" + " " * 26 + "-- the x\n    [y = string]" + " " * 24
            + "-- the y  [default = yy]\n}\n") in usage
    assert "f{y=string, x=number}\nf(number, ...)" in usage
    assert lines[-4:] == ["false\terror\t", "true\t", "undocumented symbol\t", ""]


def test_metatables_chain_to_their_parents():
    # luaT_lua_newmetatable: a class's metatable has its parent's metatable as metatable (none
    # for a root), and getmetatable of a constructor table gives the class's metatable
    # (__metatable); nn's files declare ReLU < Threshold < Module, Sequential < Container,
    # MSECriterion < Criterion. twitter/torch-autograd's isModule/isCriterion walk this chain.
    r = lua("""
require 'nn'
local function chain(x)
   local out, mt = {}, getmetatable(x)
   while mt ~= nil and #out < 6 do
      out[#out + 1] = rawget(mt, '__typename')
      mt = getmetatable(mt)
   end
   return table.concat(out, '<')
end
local F = torch.class('nn.Chain9', 'nn.Linear')
return chain(nn.ReLU), chain(nn.ReLU()), chain(nn.Sequential), chain(nn.MSECriterion()),
   chain(nn.ClassNLLCriterion), chain(torch.DoubleTensor), chain(torch.Tensor()),
   chain(nn.Chain9), chain(nn.Chain9(2, 3)),
   getmetatable(nn.Linear) == torch.getmetatable('nn.Linear'), getmetatable(nn.Chain9) == F
""")
    assert list(r) == ["nn.ReLU<nn.Threshold<nn.Module", "nn.ReLU<nn.Threshold<nn.Module",
                       "nn.Sequential<nn.Container<nn.Module", "nn.MSECriterion<nn.Criterion",
                       "nn.ClassNLLCriterion<nn.Criterion", "torch.DoubleTensor",
                       "torch.DoubleTensor", "nn.Chain9<nn.Linear<nn.Module",
                       "nn.Chain9<nn.Linear<nn.Module", True, True]


def test_pairs_of_optim_lists_what_its_files_define():
    # optim/init.lua requires sgd, cg, asgd, nag, fista (optim.FistaLS), lbfgs, adagrad, rprop,
    # adam, adamax, rmsprop, adadelta, cmaes, de, lswolfe, polyinterp, checkgrad,
    # ConfusionMatrix, Logger: each file sets one field (torch-autograd's optim wraps them all)
    r = lua("""
local names = {}
for k, v in pairs(require 'optim') do names[#names + 1] = k .. ':' .. type(v) end
table.sort(names)
return table.concat(names, ' ')
""")
    want = sorted(n + ":function" for n in (
        "sgd", "cg", "asgd", "nag", "FistaLS", "lbfgs", "adagrad", "rprop", "adam", "adamax",
        "rmsprop", "adadelta", "cmaes", "de", "lswolfe", "polyinterp", "checkgrad"))
    want = sorted(want + ["ConfusionMatrix:table", "Logger:table"])
    assert r == " ".join(want)


def test_a_class_metatable_holds_its_operators_and_new():
    # luaT_newlocalmetatable sets __add, __sub, __mul, ... raw in each class's metatable (luaT's
    # defaults, which call __mul__): reading one gives the objects' operator, writing one
    # replaces it for them; `new` likewise (torch-autograd installs wrappers of
    # torch.DoubleTensor's __mul and new, then puts the originals back)
    r = lua("""
local mt = torch.getmetatable('torch.DoubleTensor')
local mul, new = mt.__mul, mt.new
local x, y = torch.ones(2), torch.Tensor{2, 3}
local a = {type(mul), type(rawget(mt, '__add')), rawequal(torch.DoubleTensor.__mul, mul),
           mul(x, y), mul(x, 2)[2]}
rawset(mt, '__mul', function(p, q) return 'mul' end)
mt.__add = function(p, q) return 'add' end
rawset(mt, 'new', function() return 'new' end)
a[#a + 1] = x * 2
a[#a + 1] = 2 * x
a[#a + 1] = x + y
a[#a + 1] = x.new(3)
a[#a + 1] = torch.FloatTensor(2) * 2 == 'mul'
rawset(mt, '__mul', mul)
rawset(mt, 'new', new)
a[#a + 1] = (x * 3)[1]
a[#a + 1] = x.new(3):nElement()
return unpack(a)
""")
    assert list(r) == ["function", "function", True, 5.0, 2.0, "mul", "mul", "add", "new",
                       False, 3.0, 3]


def test_container_error_through_a_lua_updateoutput_keeps_nn_layout():
    # e-lab/Torch7-profiling wraps each module's updateOutput in a Lua function. Container.lua's
    # handleError: the first container prefixes "\nIn i module of T:\n"; error() puts its
    # position before that; an outer container's handler (the text has nn's warning) drops the
    # first line and prefixes its own: "\nIn 2 module of ...:\nIn 1 module of ...:\n<message>"
    r = lua("""
require 'nn'
local inner = nn.Sequential():add(nn.View(7))
local m = nn.Sequential():add(nn.Identity()):add(inner)
local orig = inner.updateOutput
inner.updateOutput = function(self, input) return orig(self, input) end
local ok, e = pcall(function() return m:forward(torch.zeros(2, 3)) end)
return e
""")
    lines = r.split("\n")
    assert lines[1:3] == ["In 2 module of nn.Sequential:", "In 1 module of nn.Sequential:"]
    assert lines[3].endswith("input view (2x3) and desired view (7) do not match")
    assert lines[0].endswith(": ") or lines[0] == ""


def test_moses_function_utilities():
    # moses 1.6's functions on functions (its documentation): bindn prepends the bound values
    # (e-lab's ENet: _.bindn(_bottleneck, 4, true, false, false)), compose(f, g)(x) = f(g(x)),
    # once repeats the first call's arguments, after(f, n) runs from the n-th call on,
    # partial fills '_' places in order; pipe(v, f, g) is f(g(v))
    r = lua("""
local _ = require 'moses'
local function cat(...) return table.concat({...}, ',') end
local once = _.once(function(x) return x * 10 end)
local aft = _.after(function(x) return x end, 3)
local memo_calls = 0
local sq = _.memoize(function(x) memo_calls = memo_calls + 1; return x * x end)
sq(3); sq(3); sq(4)
return _.bindn(cat, 4, 'a')(1, 2), _.bind(cat, 'v')(1), _.bind2(cat, 'v')(1, 2),
   _.compose(function(x) return x + 1 end, function(x) return x * 2 end)(5),
   _.pipe(3, function(x) return x - 1 end, function(x) return x * 10 end),
   once(1) + once(2), tostring((aft(1))) .. tostring((aft(2))) .. tostring((aft(3))),
   table.concat(_.times(3, function(i, k) return i * k end, 10), ' '),
   _.partial(cat, '_', 'b', '_')(1, 2, 3), _.flip(cat)(1, 2, 3), memo_calls,
   _.complement(function() return true end)(), _.juxtapose(2, function(x) return x + 1 end,
   function(x) return x * 5 end)
""")
    assert list(r) == ["4,a,1,2", "v,1", "1,v,2", 11, 29, 20, "nilnil3", "10 20 30",
                       "1,b,2,3", "3,2,1", 2, False, 3, 10]
