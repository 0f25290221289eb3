"""Results that mean something particular to the Lua layer (which imports this, never the
other way round)."""


class NoResults(tuple):
    """What a bare Lua `return` gives: Python sees its items (Nones, so `p, g =
    m.parameters()` unpacks), the Lua layer no values at all (`print(m:parameters())` of a
    layer without parameters prints nothing in Torch7)."""

    __slots__ = ()


class _NoValue:
    """The default of an optional argument of a function that Torch7 writes in C, where Lua
    tells an argument left out ("number expected, got no value") from a nil passed
    ("got nil"): a Lua call that passes fewer arguments leaves the default in place."""

    __slots__ = ()

    def __repr__(self):
        return "NOVALUE"

    def __bool__(self):
        return False


NOVALUE = _NoValue()


class WithMore(float):
    """A number that a Lua caller receives with more values after it: ClassNLLCriterion.lua's
    updateOutput ends `return self.output, self.total_weight_tensor[1]`, so
    `print(crit:forward(x, t))` prints two numbers in Torch7. Python sees the number."""

    __slots__ = ("more",)

    def __new__(cls, value, *more):
        r = float.__new__(cls, value)
        r.more = more
        return r
