"""torch.class for the Lua layer: Lua classes deriving from torch7py classes (and from other Lua
classes). Each Lua class is a Python subclass of its parent whose methods call the Lua functions
defined on the class, so Python code (a Sequential, optim, clone, save) runs the Lua methods."""
import keyword

from torch7py import classes as _classes
from torch7py.luacall import call as _luacall


class LuaObject:
    """The Python base of a Lua class declared without a parent (torch.class('Foo'))."""

    typename = None

    def __init__(self, *args):
        # init.lua's constructor calls self:__init(...) only where the class has one: a class
        # without any takes its arguments and ignores them
        pass

    def __repr__(self):
        return type(self).typename or type(self).__name__


def _lua_method(fn, name):
    def method(self, *args):
        return fn(self, *args)
    method.__name__ = name
    method.__qualname__ = name
    method.lua_written = True  # (a tail call to it may hand on no value: bridgecalls)
    return method


# Lua metamethod names of Torch7 classes and the Python protocol each one maps to
_PROTOCOL = {"__tostring__": ("__repr__", "__str__"), "__tostring": ("__repr__", "__str__"),
             "__len": ("__len__",), "__len__": ("__len__",), "__call__": ("__call__",),
             "__div__": ("__div__", "__truediv__"), "__unm__": ("__neg__",),
             # Lua's alone: Python's __index__ is int conversion, its == must not run Lua code
             "__index__": (), "__newindex__": (), "__eq__": (), "__eq": (), "__index": (),
             "__newindex": (),
             # File.lua calls object:write(file) / object:read(file, version) when defined
             "write": ("write", "_t7_write_file"), "read": ("read", "_t7_read_file"),
             # the class version File.lua writes ("V 3") and passes to read
             "__version": ("__version", "_t7_version")}


class ClassRegistry:
    """The Lua classes of one runtime: their Python classes and Lua method tables."""

    def __init__(self, rt):
        self.rt = rt
        self.by_typename = {}   # Torch7 name -> Lua class table (what torch.class returned)
        self.info = {}          # Python class -> (name, M, C, parent's name or None)

    def luaclass_of(self, cls):
        """The Lua method table (chained to the Lua parents) for instances of cls, or None."""
        for c in cls.__mro__:
            info = self.info.get(c)
            if info is not None:
                return info[1]
        return None

    def by_name(self, name):
        return self.by_typename.get(name)

    def new(self, name, parent):
        """torch.class(name, parent): (C, parent) for Lua; parent a name, a class or nil."""
        rt = self.rt
        if not isinstance(name, str) or not name:
            raise ValueError("torch.class: a class name expected")
        self._check_new(name, parent)
        base, parent_value, parent_m, pyparent = LuaObject, None, None, None
        if parent is not None:
            pcls = self._resolve(parent)
            if pcls is None:
                raise ValueError("bad argument #2 (invalid parent class name %s)" % (parent,))
            base = pcls
            if pcls in self.info:
                parent_value, parent_m = self.info[pcls][2], self.info[pcls][1]
            else:
                parent_value = rt.class_proxy(pcls)
            for c in pcls.__mro__:
                if c not in self.info and c is not LuaObject and c is not object:
                    pyparent = rt.class_proxy(c)
                    break
        registry = self

        def __init__(self, *args):
            init = registry._lookup(type(self), "__init")
            if init is not None:
                init(self, *args)
            else:  # the Python parent's __init, called as Lua calls it (extra arguments dropped)
                _luacall(super(cls, self).__init__, *args)

        short = name.rsplit(".", 1)[-1]
        ident = short if short.isidentifier() and not keyword.iskeyword(short) else "LuaClass"
        # torch.class gives every class a factory, and its objects are tables
        cls = type(ident, (base,), {"typename": name, "__init__": __init__,
                                    "__module__": "compat.luaclass",
                                    "__qualname__": name, "_t7_factory": True,
                                    "_t7_userdata": False})
        from .runtime import Ref
        pname = None if parent is None else (
            parent if isinstance(parent, str) else rt.typename_of_class(base))
        M, C = rt.H.newluaclass(name, Ref(cls), parent_m, pyparent, pname)
        rt.T.luaclass_rooted(M, pyparent is not None, C)
        self.info[cls] = (name, M, C, pname)
        self.by_typename[name] = C
        try:
            from torch7py.serialization import objects
            objects.register_class(name, cls)
        except Exception:  # saving Lua classes then fails with the serializer's message
            pass
        ctor = rt.class_proxy(cls)
        rt.H.setctor(C, ctor)
        return C, parent_value, ctor

    def _check_new(self, name, parent):
        """luaT_lua_newmetatable on a name that has a metatable already: a parent given to a
        class that has one is refused first, then the factory that torch.class always gives."""
        rt = self.rt
        if name in self.by_typename:
            cls = self._resolve(name)
        else:
            proxy = rt._p_class_by_name(name)
            if proxy is None:
                return
            cls = rt.from_lua(proxy)
        if parent is not None and self.parent_of(cls) is not None:
            raise ValueError("class %s has been already assigned a parent class\n" % name)
        raise ValueError("%s has been already assigned a factory" % name)

    def parent_of(self, cls):
        """The Python class of cls's Torch7 parent, or None (torch7py.classes' one rule)."""
        return _classes.parent(cls)

    def _resolve(self, parent):
        rt = self.rt
        if isinstance(parent, str):
            for cls, info in self.info.items():
                if info[0] == parent:
                    return cls
            p = rt._p_class_by_name(parent)
            return rt.from_lua(p) if p is not None else None
        if isinstance(parent, type):
            return parent
        for cls, info in self.info.items():
            if info[2] == parent or getattr(parent, "_t", None) == info[2]:
                return cls
        return None

    def _lookup(self, cls, key):
        for c in cls.__mro__:
            info = self.info.get(c)
            if info is not None:
                v = info[1][key]
                return None if v is None else self.rt.from_lua(v)
        return None

    def set_method(self, cls, key, fn):
        """A Lua class gained field `key` (a method when fn is a function)."""
        rt = self.rt
        cls = getattr(cls, "o", cls)  # a Ref from Lua
        if key == "__init":
            return
        value = rt.from_lua(fn)
        names = _PROTOCOL.get(key, (key,))
        if key in ("write", "read") and callable(value):
            # File.lua calls them: clone must write and read, not copy the fields (a `read`
            # alone, as nngraph's gModule:read, sets the fields in its own pairs() loop, which
            # decides the order the clone is written in later)
            cls._t7_file_clone = rt.file_clone
        for n in names:
            if callable(value):
                setattr(cls, n, _lua_method(value, n))
            else:
                setattr(cls, n, value)
        rt.H.clear_method_caches()
