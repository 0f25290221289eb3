"""The Lua layer's calling conventions: argument counts, results, methods stored in fields."""
import pytest

lupa = pytest.importorskip("lupa")

from compat import callconv  # noqa: E402
from compat.runtime import LuaError, LuaRuntime  # noqa: E402


class Recorder:
    """Records what each call receives, so the test states the expectation by hand."""

    def __init__(self, a, b=7):
        self.got = (a, b)

    def two(self, x, y):
        return [x, y]

    def opt(self, x, y=5):
        return [x, y]

    def star(self, *args):
        return len(args)

    def silent(self, x):
        self.last = x

    def maybe(self, x):
        if x:
            return x
        return None

    def me(self):
        return self

    def hook_caller(self, x):
        return self.hook(self, x)

    def method_caller(self, x):
        return self.transform(x)

    def transform(self, x):
        return "python %s" % x


@pytest.fixture
def rt():
    r = LuaRuntime()
    r.globals.Recorder = r.to_lua(Recorder)
    return r


def test_missing_trailing_arguments_are_nil(rt):
    # Lua passes nil for what the caller leaves out; Python's defaults stay for optional ones
    assert rt.execute("return {Recorder():opt(1)}") == [[1, 5]]
    assert rt.execute("return Recorder(3).got") == [3, 7]
    assert rt.execute("local o = Recorder(); return {o.got[1] == nil, o.got[2]}") == [True, 7]
    assert rt.execute("return #Recorder(1):two(2)") == 1  # {2, nil}: a length of 1


def test_extra_arguments_are_dropped(rt):
    assert rt.execute("return Recorder(1, 2, 3, 4).got") == [1, 2]
    assert rt.execute("return Recorder(1):two(2, 3, 4, 5, 6, 7, 8)") == [2, 3]
    assert rt.execute("return Recorder(1):opt(2, 3, 4)") == [2, 3]
    # *args takes everything
    assert rt.execute("return Recorder(1):star(1, 2, 3, 4, 5, 6, 7, 8, 9)") == 9
    assert rt.execute("return Recorder(1):star(1, nil, nil)") == 3


def test_arity_reads_signatures_once():
    assert callconv.arity(Recorder) == (1, 2)
    assert callconv.arity(Recorder.two) == (3, 3)
    assert callconv.arity(Recorder(1).two) == (2, 2)
    assert callconv.arity(Recorder.star) == (1, None)
    assert callconv.arity(len) == (1, 1)
    f = callconv.fitter(Recorder.two, 2)
    o = Recorder(1)
    assert f(o, 1) == [1, None]
    assert callconv.fitter(Recorder.two, 3) is Recorder.two
    assert callconv.fitter(Recorder.two, None)(o, 1, 2, 3, 4) == [1, 2]


def test_nn_calls_as_lua_makes_them(rt):
    rt.execute("require 'nn'")
    # extra constructor and forward arguments are dropped, as Lua drops them
    y = rt.execute("""
        local m = nn.Linear(3, 2, true, 'extra')
        local x = torch.Tensor{1, 2, 3}
        local a = m:forward(x, 'extra'):clone()
        return {a, m:forward(x)}""")
    assert y[0].equal(y[1])
    assert rt.execute("return torch.type(nn.OneHot(3, 2))") == "nn.OneHot"
    assert rt.execute("return torch.type(nn.SoftMarginCriterion(1))") == "nn.SoftMarginCriterion"
    # a missing target reaches Python as None: the criterion fails on it, as Torch7 fails
    with pytest.raises(LuaError):
        rt.execute("nn.MSECriterion():forward(torch.Tensor{1, 2})")


def test_functions_without_a_value_return_nothing(rt):
    assert rt.execute("return select('#', Recorder(1):silent(3))") == 0
    # a function that returns values keeps its nil: one value
    assert rt.execute("return select('#', Recorder(1):maybe(false))") == 1
    assert rt.execute("return select('#', Recorder(1):maybe(4))") == 1
    assert rt.execute("local o = Recorder(1); return rawequal(o:me(), o)") is True
    assert rt.execute("return select('#', torch.manualSeed(1))") == 0
    assert rt.execute("return select('#', torch.typename(7))") == 0
    assert rt.execute("return select('#', torch.typename(torch.Tensor()))") == 1
    with pytest.raises(LuaError, match="value expected"):  # no value: not even nil
        rt.execute("return tostring(torch.typename(7))")
    rt.execute("require 'nn'")
    assert rt.execute("return select('#', nn.Linear(2, 2):zeroGradParameters())") == 0
    # Module:get(i) returns self.modules[i]: one nil past the end
    assert rt.execute("return select('#', nn.Sequential():get(3))") == 1
    assert callconv.returns_nothing(Recorder.silent)
    assert not callconv.returns_nothing(Recorder.maybe)
    assert not callconv.returns_nothing(Recorder)


def test_lua_function_in_a_field_overrides_the_method(rt):
    r = rt.execute("""
        local a, b = Recorder(1), Recorder(2)
        local before = a:transform('x')
        b.transform = function(self, x) return 'lua ' .. x .. ' ' .. tostring(self.got[1]) end
        return {before, a:transform('y'), b:transform('z'), b:method_caller('w'),
                a:method_caller('v')}""")
    # Python's self.transform(x) on b reaches the Lua function with b as self
    assert r == ["python x", "python y", "lua z 2", "lua w 2", "python v"]


def test_a_hook_field_is_called_as_python_calls_it(rt):
    # `hook` is no method of the class: Python passes self itself (StochasticGradient's hooks)
    r = rt.execute("""
        local a = Recorder(5)
        a.hook = function(self, x) return self.got[1] + x end
        return a:hook_caller(10)""")
    assert r == 15


def test_nn_module_with_lua_update_output(rt):
    out = rt.execute("""
        require 'nn'
        local calls = 0
        local warm = nn.Linear(2, 2)
        warm:forward(torch.Tensor{1, 1})     -- the class's method is cached by now
        local m = nn.Linear(2, 2)
        m.updateOutput = function(self, x)
           calls = calls + 1
           self.output = x * 2
           return self.output
        end
        local s = nn.Sequential():add(m)
        local y = s:forward(torch.Tensor{1, 2})
        m:updateOutput(torch.Tensor{1, 2})
        local c = m:clone()
        local z = c:forward(torch.Tensor{3, 4})
        return {calls, y[2], z[1], warm:forward(torch.Tensor{0, 0}):dim(), rawequal(c.output, z)}
        """)
    assert out == [3, 4.0, 6.0, 1, True]


def test_tester_failure_override(rt):
    r = rt.execute("""
        local t = torch.Tester()
        t._failure = function(self, message) return false, 'seen: ' .. message end
        local ok, msg = t:assert(false, 'M')
        return {ok, msg:sub(1, 7)}""")
    assert r == [False, "seen: M"]


def test_class_metatables_are_tables(rt):
    import torch7py as torch
    import torch7py.nn as nn
    r = rt.execute("""
        require 'nn'
        local names = {}
        for k, v in pairs(torch.getmetatable('torch.CharStorage')) do
           -- luaT's own fields (__typename, __version, __metatable, __constructor) are data;
           -- `new` is the constructor luaT_lua_newmetatable also sets in the metatable
           if not k:match('^__') and k ~= 'new' then
              names[#names + 1] = k
              assert(type(v) == 'function')
           end
        end
        local mt = torch.getmetatable('nn.Linear')
        return {type(mt), rawequal(getmetatable(nn.Linear(2, 2)), mt),
                rawequal(mt, torch.getmetatable('nn.Linear')), type(mt.forward),
                select('#', torch.getmetatable('no.Such')), names}""")
    # pairs lists the class's methods (the storage's own: fill, resize, size ...)
    want = sorted(k for k in dir(torch.CharStorage)
                  if not k.startswith("_") and callable(getattr(torch.CharStorage, k)))
    assert r[:5] == ["table", True, True, "function", 0]
    # (and FFInterface.lua's cdata, which the original's metatable holds: the bridge answers it)
    assert set(r[5]) <= set(want) | {"cdata"} and {"fill", "resize", "size", "copy"} <= set(r[5])
    # a function added to the metatable is a method of every object, Python's calls included
    out = rt.execute("""
        local mt = torch.getmetatable('nn.Linear')
        mt.bridgeTestRows = function(self) return self.weight:size(1) end
        local m = nn.Linear(3, 5)
        return {m:bridgeTestRows(), torch.isTypeOf(m, mt)}""")
    assert out == [5, True]
    try:
        m = nn.Linear(3, 4)
        assert m.bridgeTestRows() == 4
    finally:
        rt.undo_class_edits()
    assert not hasattr(nn.Linear, "bridgeTestRows")


def test_a_saved_method_override_loads_bound(rt, tmp_path):
    rt.globals.path = str(tmp_path / "m.t7")
    out = rt.execute("""
        require 'nn'
        local m = nn.Linear(2, 2)
        m.updateOutput = function(self, x) self.output = x * 3; return self.output end
        torch.save(path, nn.Sequential():add(m))
        local s = torch.load(path, 'binary', true, {allow_functions = true})
        local y = s:forward(torch.Tensor{1, 2})
        return {y[2], s.modules[1]:forward(torch.Tensor{1, 1})[1]}""")
    assert out == [6.0, 3.0]
