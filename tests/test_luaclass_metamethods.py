"""luaT's metamethods on the objects of torch.class classes (luaT.c's luaT_mt__index,
__newindex and MT_DECLARE_OPERATOR): the class's __index__/__newindex__ hooks, operators
__add__ ... __len__, __call__, __tostring__, and luaT's errors when a class has none."""
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


@pytest.fixture
def rt():
    return LuaRuntime()


VEC = """
    local V = torch.class('Vec')
    function V:__init(n) self.n = n end
    V.__tostring__ = function(self) return 'Vec(' .. self.n .. ')' end
    V.__add__ = function(a, b)
       if type(a) == 'number' then return Vec(a + b.n) end
       if type(b) == 'number' then return Vec(a.n + b) end
       return Vec(a.n + b.n)
    end
    V.__sub__ = function(a, b) return Vec(a.n - b.n) end
    V.__mul__ = function(a, b) return Vec(a.n * b) end
    V.__div__ = function(a, b) return Vec(a.n / b) end
    V.__mod__ = function(a, b) return Vec(a.n % b) end
    V.__pow__ = function(a, b) return Vec(a.n ^ b) end
    V.__unm__ = function(a) return Vec(-a.n) end
    V.__eq__ = function(a, b) return a.n == b.n end
    V.__lt__ = function(a, b) return a.n < b.n end
    V.__le__ = function(a, b) return a.n <= b.n end
    V.__len__ = function(a) return a.n end
    V.__concat__ = function(a, b)
       return (type(a) == 'string' and a or 'V' .. a.n) .. (type(b) == 'string' and b or 'V' .. b.n)
    end
    V.__call__ = function(self, x, y) return self.n + x + (y or 0) end
"""


def test_operators_call_the_class_hooks(rt):
    r = rt.execute(VEC + """
        local a, b = Vec(3), Vec(4)
        return {tostring(a), tostring(a + b), tostring(a - b), tostring(a * 2), tostring(a / 2),
                tostring(a % 2), tostring(a ^ 2), tostring(-a), a == Vec(3), a == b, a ~= b,
                a < b, b < a, a <= Vec(3), b <= a, a > b, #a, a .. b, a .. '!',
                select(2, pcall(function() return '<' .. b end)),
                a(10), a(1, 2), tostring(1 + a), tostring(a + 1)}
    """)
    # '<' .. b: luaT's handler is the first operand's metatable, a string's, which has no
    # __concat__ (the original th: "both (null) and Vec have no concat operator")
    assert r == ["Vec(3)", "Vec(7)", "Vec(-1)", "Vec(6)", "Vec(1.5)", "Vec(1)", "Vec(9)",
                 "Vec(-3)", True, False, True, True, False, True, False, False, 3, "V3V4",
                 "V3!", "(command line):29: both (null) and Vec have no concat operator",
                 13, 6, "Vec(4)", "Vec(4)"]


def test_operators_are_inherited_and_overridden(rt):
    # the lookup goes through the Lua parents (lua_getfield on the metatable chain)
    r = rt.execute(VEC + """
        local W, parent = torch.class('Vec2', 'Vec')
        W.__tostring__ = function(self) return 'Vec2<' .. self.n .. '>' end
        local w = Vec2(5)
        local defined_later = pcall(function() return -w end)
        return {tostring(w), tostring(w + Vec(1)), #w, w < Vec(9), w(1), defined_later,
                torch.type(w + Vec(1)), torch.isTypeOf(w, 'Vec'), torch.typename(w)}
    """)
    assert r == ["Vec2<5>", "Vec(6)", 5, True, 6, True, "Vec", True, "Vec2"]


def test_objects_of_different_classes_compare_through_eq(rt):
    # luaT pushes a new closure of luaT_mt__eq into every metatable, and LuaJIT calls __eq for
    # objects of two metatables only when both hold the same function: objects of two classes
    # are never equal (the original th prints false, false, true, false, false here); one
    # class's objects go through its __eq__, isequal without one
    r = rt.execute(VEC + """
        local O = torch.class('Other')
        function O:__init(n) self.n = n end
        local P = torch.class('Plain')
        local p = Plain()
        return {Vec(2) == Other(2), Vec(2) == Other(3), p == p, p == Plain(), Other(2) == Other(2)}
    """)
    assert r == [False, False, True, False, False]


def test_without_hooks_luaT_errors(rt):
    r = rt.execute("""
        local N = torch.class('NoOps')
        local n = NoOps()
        local function e(f)
           local ok, msg = pcall(f)
           return ok, (tostring(msg):gsub('^.-:%d+: ', ''))
        end
        local out = {}
        for _, f in ipairs({function() return n + n end, function() return n - 1 end,
                            function() return 2 * n end, function() return n / 2 end,
                            function() return n % 2 end, function() return n ^ 2 end,
                            function() return n < n end, function() return n <= n end,
                            function() return n .. 'x' end, function() return #n end,
                            function() return -n end, function() return n() end}) do
           local ok, msg = e(f)
           out[#out + 1] = msg
        end
        out[#out + 1] = tostring(n)
        return out
    """)
    assert r == ["both NoOps and NoOps have no addition operator",
                 "both NoOps and (null) have no substraction operator",
                 "both (null) and NoOps have no multiplication operator",
                 "both NoOps and (null) have no division operator",
                 "both NoOps and (null) have no modulo operator",
                 "both NoOps and (null) have no power operator",
                 "both NoOps and NoOps have no less-than operator",
                 "both NoOps and NoOps have no less-equal operator",
                 "both NoOps and (null) have no concat operator",
                 "NoOps has no length operator",
                 "NoOps has no negation operator",
                 "NoOps has no call operator",
                 "NoOps"]


def test_index_and_newindex_hooks(rt):
    # luaT_mt__index: a key that is no field of the object goes to __index__ first, whose
    # last result true means "found" (the one before it is the value); otherwise the class
    # luaT_mt__newindex: __newindex__ for a key the object does not hold yet; true means done
    r = rt.execute("""
        local W = torch.class('Wrap')
        function W:__init() self.store = {} self.field = 'own' end
        function W:method() return 'method' end
        W.__index__ = function(self, k)
           if k == 'magic' then return 42, true end
           if k == 'field' then return 'hook', true end
           return false  -- (a lone false: luaT then looks in the metatable; `nil, false`
                         -- would index the nil, self.__init in the constructor included)
        end
        W.__newindex__ = function(self, k, v)
           if k:sub(1, 2) == 's_' then
              rawget(self, 'store')[k] = v
              return true
           end
           return false
        end
        local w = Wrap()
        w.s_x = 5
        w.plain = 6
        w.field = 'changed'  -- an existing field: no hook
        return {w.magic, w.field, w:method(), tostring(w.missing), w.store.s_x,
                tostring(rawget(w, 's_x')), w.plain, tostring(w.store.plain)}
    """)
    assert r == [42, "changed", "method", "nil", 5, "nil", 6, "nil"]


def test_class_defined_metamethods_win(rt):
    # a class that sets a metamethod itself (C.__tostring, C.__len) replaces luaT's in its
    # metatable
    r = rt.execute("""
        local D = torch.class('Direct')
        function D:__init(n) self.n = n end
        D.__tostring = function(self) return 'direct ' .. self.n end
        D.__tostring__ = function(self) return 'hook' end
        D.__len = function(self) return self.n * 2 end
        local d = Direct(4)
        return {tostring(d), #d}
    """)
    assert r == ["direct 4", 8]


def test_python_side_sees_the_hooks(rt):
    # Python code (a container's printing, len) runs the Lua class's __tostring__ / __len__
    rt.execute(VEC)
    v = rt.execute("return Vec(7)")
    assert repr(v) == "Vec(7)" and str(v) == "Vec(7)" and len(v) == 7
    w = rt.execute("return Vec(2) / 4")
    assert repr(v / 2) == "Vec(3.5)" and repr(-v) == "Vec(-7)" and repr(w) == "Vec(0.5)"
    assert (v == rt.execute("return Vec(7)")) is False  # Python's == stays identity
