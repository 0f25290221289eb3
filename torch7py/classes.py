"""luaT's class rules for torch7py's classes: a class's Torch7 name, its parent in Torch7's
class tree, whether luaT gave it a factory, and whether its objects are userdata.

One place answers these for torch.typename/type, torch.factory, torch.isTypeOf, the serializer
(File.lua writes an object as a Torch object only when `torch.factory(torch.typename(obj))`),
clone, and the Lua layer's metatables. A class states them with class attributes:

- `typename`: its Torch7 name ('torch.DoubleTensor', 'nn.Linear'), in its own class dict; a
  Python subclass without a name of its own is its parent's class.
- `_t7_factory = False` in its own class dict: luaT_newmetatable got no factory (Timer.c,
  File.c, DiskFile.c, MemoryFile.c, PipeFile.c). Every other class has one (Tensor.c,
  Storage.c, Generator.c give theirs; torch.class gives every Lua class one).
- `_t7_userdata = True` (inherited): its objects are C objects (luaT_pushudata); a
  torch.class class makes tables, and says `_t7_userdata = False`.
- `_t7_version` (own class dict): the metatable's `__version` (default 1); nn's classes that
  set one are listed in serialization.objects._VERSIONS.
- `_torch_parent`: the Torch7 parent where Python's inheritance only shares code (nn.Min's
  parent is nn.Module, not nn.Max).
"""

__all__ = ["name_of", "torch_class", "parent", "ancestry", "has_factory", "is_userdata",
           "writes_fields", "version"]


def name_of(cls):
    """The Torch7 name of the objects of cls (luaT_typename), or None."""
    name = getattr(cls, "typename", None)
    return name if isinstance(name, str) else None


def _names_itself(c):
    # a class with a type name of its own, outside private helper modules (nn's
    # PointwiseCriterion base is no Torch7 class: MSECriterion's parent is nn.Criterion)
    return (isinstance(c.__dict__.get("typename"), str)
            and not c.__module__.rpartition(".")[2].startswith("_"))


def torch_class(cls):
    """The Torch7 class of cls's objects: the nearest class along the MRO that names itself."""
    return next((c for c in cls.__mro__ if _names_itself(c)), None)


def parent(cls):
    """The Python class of cls's parent in Torch7's class tree (torch.class(name, parent),
    luaT's metatable of the metatable), or None for a root."""
    if "_torch_parent" in cls.__dict__:
        return cls.__dict__["_torch_parent"]
    own = name_of(cls)
    for c in cls.__mro__[1:]:
        if _names_itself(c) and c.__dict__["typename"] != own:
            return c
    return None


def ancestry(cls):
    """The Torch7 classes of cls, nearest first (what luaT's metatable chain visits): the
    nearest class that names its type (a Python subclass without a name of its own is its
    parent's), then its Torch7 parents."""
    start = torch_class(cls)
    chain = [cls] if start is not cls else []
    while start is not None and start not in chain:
        chain.append(start)
        start = parent(start)
    return chain


def has_factory(cls):
    """Whether torch.factory answers for cls's Torch7 class: luaT made its metatable with a
    factory. A class named only by torch7py.register_class has one, as torch.class gives."""
    c = torch_class(cls)
    return c is None or c.__dict__.get("_t7_factory", True) is not False


def is_userdata(cls):
    """Whether the objects of cls are userdata in Torch7 (made in C, luaT_pushudata)."""
    return bool(getattr(cls, "_t7_userdata", False))


def writes_fields(cls):
    """Whether File.lua writes cls's objects as a class name and a table of fields: a Torch
    object (a name with a factory) that is a table in Torch7, with no write method of its
    own (tensors, storages and generators write themselves)."""
    return (name_of(cls) is not None and has_factory(cls) and not is_userdata(cls)
            and not hasattr(cls, "_t7_write_file"))


def version(cls):
    """luaT's `__version` of cls's metatable (torch.version, the "V n" File.lua writes): the
    class's own, never a base class's (luaT_lua_version's rawget on the object's metatable)."""
    own = cls.__dict__.get("_t7_version")
    if own is not None:
        return own
    from .serialization.objects import _VERSIONS
    return _VERSIONS.get(name_of(cls), 1)
