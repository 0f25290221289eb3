"""torch.class's parents as luaT resolves them (init.lua's torch.class, luaT_lua_newmetatable):
a parent name is the class a script sees under that name, the second value returned is the
parent's metatable (a Lua table, torch.getmetatable(parent)), and a class declared twice gets
luaT's errors."""
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


@pytest.fixture
def rt():
    return LuaRuntime()


def _plain(msg):
    return msg.split(": ", 1)[1] if msg.startswith("[") or ".lua:" in msg else msg


def test_lua_tester_parent_chain_is_live(rt):
    # the child's metatable has torch.Tester's as its metatable (lua_setmetatable in
    # newmetatable): methods added to the parent before and after the declaration are found
    r = rt.execute("""
        function torch.Tester:before() return 'before' end
        foo = {}
        local T, parent = torch.class('foo.MyTester', 'torch.Tester')
        function T:__init(x)
           parent.__init(self)
           self.x = x
        end
        function T:own() return self.x end
        local t = foo.MyTester(5)
        function torch.Tester:after() return 'after' end
        return {t:before(), t:after(), t:own(), type(t.tests), type(t.errors),
                parent == torch.getmetatable('torch.Tester'),
                getmetatable(torch.Tester) == parent, torch.type(t), torch.typename(t),
                torch.isTypeOf(t, 'torch.Tester'), torch.isTypeOf(t, 'foo.MyTester'),
                torch.isTypeOf(torch.Tester(), 'foo.MyTester'), type(parent),
                getmetatable(t) == T, torch.getmetatable('foo.MyTester') == T}
    """)
    assert r == ["before", "after", 5, "table", "table", True, True, "foo.MyTester",
                 "foo.MyTester", True, True, False, "table", True, True]


def test_lua_tester_subclass_runs_its_tests(rt, capsys):
    # a Tester subclass that overrides an assertion and adds one runs the parent's run()
    r = rt.execute("""
        local T, parent = torch.class('MyTester2', 'torch.Tester')
        function T:assertPositive(x) self:assert(x > 0, 'not positive') end
        local t = MyTester2()
        local seen = {}
        t:add(function() seen[#seen + 1] = 'a'; t:assertPositive(1) end, 'ok')
        t:add(function() seen[#seen + 1] = 'b'; t:assertPositive(-1) end, 'bad')
        io.write = function() end
        local ok = pcall(function() t:run() end)
        return {#seen, t.errors[1] ~= nil}
    """)
    assert r == [2, True]


def test_subclass_of_a_subclass_of_a_lua_parent(rt):
    r = rt.execute("""
        local A, pa = torch.class('LA', 'torch.Tester')
        function A:who() return 'A' end
        local B, pb = torch.class('LB', 'LA')
        function B:who() return 'B<' .. pb.who(self) end
        local b = LB()
        return {b:who(), pb == A, torch.isTypeOf(b, 'LA'), torch.isTypeOf(b, 'torch.Tester'),
                type(b.tests)}
    """)
    assert r == ["B<A", True, True, True, "table"]


def test_totem_tester_is_a_parent(rt):
    r = rt.execute("""
        require 'totem'
        local T, p = torch.class('MyTotem', 'totem.Tester')
        local t = MyTotem()
        return {p == torch.getmetatable('totem.Tester'), getmetatable(totem.Tester) == p,
                torch.isTypeOf(t, 'torch.Tester'), t._assertTensorEqIgnoresDims}
    """)
    assert r == [True, True, True, False]


def test_python_parent_value_is_its_metatable_table(rt):
    r = rt.execute("""
        require 'nn'
        foo = {}
        local C, parent = torch.class('foo.Baz', 'nn.Module')
        local names = {}
        for k, v in pairs(parent) do names[k] = type(v) end
        function C:__init(n)
           parent.__init(self)
           self.n = n
        end
        function C:updateOutput(x)
           self.output = parent.updateOutput(self, x)
           return self.output
        end
        local b = foo.Baz(3)
        local x = torch.Tensor(2):fill(1)
        return {type(parent), parent == torch.getmetatable('nn.Module'),
                rawequal(parent, torch.getmetatable('nn.Module')), names.forward,
                names.updateOutput, b.n, torch.type(b.gradInput), parent.__typename}
    """)
    assert r == ["table", True, True, "function", "function", 3, "torch.DoubleTensor",
                 "nn.Module"]


def test_python_parent_prints_as_a_table(rt, capsys):
    rt.enable_trepl()
    capsys.readouterr()
    rt.execute("""
        require 'nn'
        local C, parent = torch.class('Baz2', 'nn.Module')
        print(parent)
    """)
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    keys = {ln.split(" : ")[0].strip() for ln in lines[1:-1]}
    assert {"forward", "backward", "updateOutput", "parameters"} <= keys


def test_redefinition_errors(rt):
    # luaT_lua_newmetatable on an existing metatable: a parent given to a class that has one is
    # refused first ("...parent class\n"), then torch.class's factory
    r = rt.execute("""
        require 'nn'
        torch.class('Once')
        local function e(...) return select(2, pcall(torch.class, ...)) end
        return {e('Once'), e('nn.Linear', 'nn.Module'), e('nn.Module'), e('nn.Linear'),
                e('torch.Tester'), e('torch.Tester', 'nn.Module')}
    """)
    r = [_plain(m) for m in r]
    assert r == ["Once has been already assigned a factory",
                 "class nn.Linear has been already assigned a parent class\n",
                 "nn.Module has been already assigned a factory",
                 "nn.Linear has been already assigned a factory",
                 "torch.Tester has been already assigned a factory",
                 "torch.Tester has been already assigned a factory"]


def test_redefinition_of_lua_classes(rt):
    r = rt.execute("""
        local function e(...) return select(2, pcall(torch.class, ...)) end
        torch.class('LuaKid', 'torch.Tester')
        return {e('torch.Tester'), e('LuaKid'), e('LuaKid', 'torch.Tester')}
    """)
    r = [_plain(m) for m in r]
    assert r == ["torch.Tester has been already assigned a factory",
                 "LuaKid has been already assigned a factory",
                 "class LuaKid has been already assigned a parent class\n"]


def test_three_argument_form_and_constructor_tables(rt):
    # init.lua: (name, parent, module) puts the constructor in module under the last part of
    # the name, never a global; torch.getconstructortable gives it back
    r = rt.execute("""
        require 'nn'
        local m = {}
        local A = torch.class('A3', 'nn.Module', m)
        local B = torch.class('pkg.B3', 'torch.Tester', m)
        local C = torch.class('C3', m)
        return {torch.type(m.A3()), torch.type(m.B3()), torch.type(m.C3()),
                rawget(_G, 'A3') == nil, rawget(_G, 'pkg') == nil, rawget(_G, 'C3') == nil,
                torch.getconstructortable('A3') == m.A3,
                torch.getconstructortable('pkg.B3') == m.B3,
                A.__typename, B.__typename, C.__typename}
    """)
    assert r == ["A3", "pkg.B3", "C3", True, True, True, True, True, "A3", "pkg.B3", "C3"]


def test_class_metatable_tostring_and_version(rt):
    # luaT_mt__tostring on a class's metatable: with a parent, the typename of its metatable
    # (the parent's name); without one it is a plain table. torch.version reads the class's
    # own __version (1 unless set)
    r = rt.execute("""
        require 'nn'
        local A = torch.class('TA', 'nn.Module')
        local B = torch.class('TB', 'TA')
        local C = torch.class('TC')
        local o = TA()
        local v1 = torch.version(o)
        A.__version = 3
        return {tostring(A), tostring(B), tostring(C):match('^table: 0x') ~= nil, v1,
                torch.version(o), torch.version(TB())}
    """)
    assert r == ["nn.Module", "TA", True, 1, 3, 1]


def test_python_parents_by_their_lua_names(rt):
    # classes that packages register when they load (optim's, nngraph's, graph's) are parents
    # by name; methods a script adds to a Python parent (torch.CmdLine) reach the child
    r = rt.execute("""
        require 'optim'
        require 'nngraph'
        function torch.CmdLine:extra() return 'extra ' .. torch.type(self) end
        local C, pc = torch.class('MyCmd', 'torch.CmdLine')
        local L, pl = torch.class('MyCM', 'optim.ConfusionMatrix')
        local G, pg = torch.class('MyGraph', 'graph.Graph')
        local cm = MyCM({'a', 'b'})
        cm:add(1, 1)
        return {MyCmd():extra(), pc == torch.getmetatable('torch.CmdLine'),
                pl == torch.getmetatable('optim.ConfusionMatrix'), cm.mat[1][1],
                torch.isTypeOf(cm, 'optim.ConfusionMatrix'), torch.type(MyGraph()),
                pg ~= nil, torch.getmetatable('nn.gModule') ~= nil,
                torch.getmetatable('nngraph.Node') ~= nil}
    """)
    assert r == ["extra MyCmd", True, True, 1, True, "MyGraph", True, True, True]


def test_python_parent_chain_is_live_and_new_constructs(rt):
    # methods added to a Python parent after the child exists (through the parent's name or
    # the metatable torch.class returned) are found by the child's objects; C.new is the
    # constructor (luaT sets metatable.new), torch.factory makes an object without __init
    r = rt.execute("""
        require 'nn'
        local C, parent = torch.class('LiveKid', 'nn.Module')
        function C:__init(n) parent.__init(self); self.n = n end
        local k = LiveKid(1)
        local before = k.late1 == nil
        function nn.Module:late1() return 'late1 ' .. torch.type(self) end
        parent.late2 = function(self) return 'late2' end
        local f = torch.factory('LiveKid')()
        return {before, k:late1(), k:late2(), nn.Linear(1, 1):late2(), C.new(5).n,
                torch.type(f), tostring(f.n)}
    """)
    assert r == [True, "late1 LiveKid", "late2", "late2", 5, "LiveKid", "nil"]


def test_is_type_of_a_class_metatable_means_its_parent(rt):
    # init.lua: a spec that is no string is getmetatable(spec).__typename. A constructor
    # (Foo, torch.Tester) answers with its own metatable; a metatable (torch.class's first
    # value, torch.getmetatable(name)) with its parent's, and without a parent there is none
    r = rt.execute("""
        require 'nn'
        local C, parent = torch.class('IB', 'nn.Module')
        local N = torch.class('IN')
        local T, tp = torch.class('IT', 'torch.Tester')
        local function e(f)
           local ok, m = pcall(f)
           return ok and tostring(m) or (m:gsub('^.-:%d+: ', ''))
        end
        return {torch.isTypeOf(IB(), C), torch.isTypeOf(nn.Linear(1, 1), C),
                torch.isTypeOf(IB(), IB), torch.isTypeOf(nn.Linear(1, 1), IB),
                e(function() return torch.isTypeOf(IB(), parent) end),
                e(function() return torch.isTypeOf(IN(), N) end),
                torch.isTypeOf(nn.Tanh(), torch.getmetatable('nn.Linear')),
                e(function() return torch.isTypeOf(IT(), tp) end),
                torch.isTypeOf(torch.Tester(), T), torch.isTypeOf(IT(), torch.Tester),
                torch.isTypeOf(torch.Tester(), IT)}
    """)
    nil_index = "attempt to index a nil value"
    assert r == [True, True, True, False, nil_index, nil_index, True, nil_index, True, True,
                 False]
