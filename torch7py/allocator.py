"""Torch7's torch.Allocator: the class of THAllocator objects (init.c), which Lua code never
makes: luaT_newmetatable(L, "torch.Allocator", NULL, NULL, NULL, NULL) gives it no
constructor and no factory."""
from .storage import TorchError

__all__ = ["Allocator"]


class Allocator:
    """torch.Allocator: a registered class without a constructor (luaT_cmt__call's error)."""

    typename = "torch.Allocator"
    _t7_factory = False
    _t7_userdata = True
    _t7_no_constructor = True  # (no `new` in its metatable either)

    def __new__(cls, *args, **kwargs):
        raise TorchError("no constructor available")
