"""Field reads and writes from Lua on Python objects, as the bridge answers them without
inspect.getattr_static for a name no class along the MRO has: a nil field is nil, a method a
class gains later (a Lua definition, a Python assignment) is found at the next read, a field
that shadows a method wins for its object only."""
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402
from compat.bridgecalls import _static_has  # noqa: E402


@pytest.fixture()
def rt():
    r = LuaRuntime()
    yield r
    r.undo_class_edits()


def test_static_has_follows_the_mro_and_the_metaclass():
    class A:
        def f(self):
            pass

    class B(A):
        x = 1

    assert _static_has(B, "f") and _static_has(B, "x") and _static_has(A, "f")
    assert not _static_has(A, "x") and not _static_has(B, "nothere")
    assert _static_has(B, "mro")  # type's own attribute, as getattr_static finds it
    B.later = lambda self: 7
    assert _static_has(B, "later")
    del B.later
    assert not _static_has(B, "later")


def test_nil_field_then_a_method_the_class_gains(rt):
    from torch7py import nn
    rt.execute("require 'nn'; M = nn.Identity()")
    assert rt.execute("return M.thspeedProbe == nil") is True
    # a method defined afterwards (from Python, as an import would) is seen at once
    nn.Identity.thspeedProbe = lambda self: 41
    try:
        assert rt.execute("return M:thspeedProbe() + 1") == 42
    finally:
        del nn.Identity.thspeedProbe


def test_lua_class_fields_nil_then_set(rt):
    rt.execute("""
        require 'nn'
        local C, parent = torch.class('nn.ThspeedFieldProbe', 'nn.Module')
        function C:__init() parent.__init(self); self.output = nil end
        function C:updateOutput(x)
          self.seen = (self.seen or 0) + 1
          self.output = self.output or x:clone():zero()
          self.output:add(x)
          return self.output
        end
        P = nn.ThspeedFieldProbe()
        S = nn.Sequential():add(P)
    """)
    r = rt.execute("local x = torch.Tensor{1, 2}; S:forward(x); S:forward(x); "
                   "return P.seen, P.output[1], P.output[2], P.undefinedField")
    assert r == (2, 2, 4, None)


def test_field_write_shadowing_a_method(rt):
    r = rt.execute("""
        require 'nn'
        local a, b = nn.Identity(), nn.Identity()
        a.updateOutput = function(self, x) return 'mine' end
        return a:forward(torch.Tensor{1}), torch.type(b:forward(torch.Tensor{1}))
    """)
    assert r == ("mine", "torch.DoubleTensor")
