"""Mechanisms found by running public legacy Torch7 code through th (session s9, helper
legacysweep7, see docs/legacy_sweep.md); expectations from the original sources' rules."""
import pytest
from luatest import th_script


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime().execute(code)


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
