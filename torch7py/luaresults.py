"""Results that mean something particular to the Lua layer (which imports this, never the
other way round)."""


class NoResults(tuple):
    """What a bare Lua `return` gives: Python sees its items (Nones, so `p, g =
    m.parameters()` unpacks), the Lua layer no values at all (`print(m:parameters())` of a
    layer without parameters prints nothing in Torch7)."""

    __slots__ = ()
