"""torch7py: Lua Torch7's `torch` package in Python (import torch7py as torch)."""
import os as _os
import re as _re
import sys as _sys
import time as _time
import weakref as _weakref

import numpy as _np

from . import _threads
from .luaresults import NOVALUE as _NOVALUE
from . import classes as _classes
from . import storage as _storage_mod
from . import tensor as _tensor_mod
from .storage import *  # noqa: F401,F403
from .tensor import *  # noqa: F401,F403
from .tensor import TorchError, split, chunk  # noqa: F401
from . import random as _random_mod
from .random import *  # noqa: F401,F403
from . import tensor_math as _math_mod
from .tensor_math import *  # noqa: F401,F403
from .serialization import *  # noqa: F401,F403
from .timer import Timer  # noqa: F401
from .allocator import Allocator  # noqa: F401
from .cmdline import CmdLine  # noqa: F401
from .tester import Tester, TestSuite  # noqa: F401

# Python API beyond Torch7's torch table: a Lua script finds nil there, as in Torch7
# (the function forms of Tensor.c's methods too: TensorMath.lua wraps none of them)
_py_only = frozenset(("from_numpy", "register_class", "unsqueeze", "narrow", "select", "sub",
                      "transpose", "t", "unfold", "contiguous", "clone", "isSameSizeAs",
                      "isSetTo", "isContiguous", "torch_parent", "torch_ancestry"))

Tensor = DoubleTensor  # noqa: F405  (rebound by setdefaulttensortype)
Storage = DoubleStorage  # noqa: F405

for _mod in (_random_mod, _math_mod):
    if hasattr(_mod, "install"):
        _mod.install(_tensor_mod.Tensor)


def setdefaulttensortype(name):
    """Make the tensor type `name` ('torch.FloatTensor', ...) the class of torch.Tensor."""
    _tensor_mod.set_default_tensor_type(name)
    cls = _tensor_mod.default_tensor_type()
    me = _sys.modules[__name__]
    me.Tensor = cls
    me.Storage = cls.storage_class


def getdefaulttensortype():
    return _tensor_mod.default_tensor_type().typename


_lua_types = ((type(None), "nil"), (bool, "boolean"), ((int, float, _np.number), "number"),
              (str, "string"), ((list, dict, tuple), "table"))


def typename(obj):
    """The Torch7 class name of obj ('torch.DoubleTensor', 'nn.Linear'), or None."""
    if isinstance(obj, _builtins_type):
        return None
    return _classes.name_of(_builtins_type(obj))


def type(obj):  # noqa: A001  (Torch7's torch.type)
    """Torch7's torch.type: the class name of a torch object, else the Lua type name."""
    name = typename(obj)
    if isinstance(name, str):
        return name
    for pytype, luaname in _lua_types:
        if isinstance(obj, pytype):
            return luaname
    if callable(obj):
        return "function"
    return "userdata"


def pointer(obj):
    """A number identifying the underlying object (Torch7's torch.pointer)."""
    if isinstance(obj, _storage_mod.Storage):
        return obj._data.__array_interface__["data"][0] or id(obj)
    return id(obj)


# Torch7's class tree (luaT's metatable chain): torch7py.classes holds the rules
torch_parent = _classes.parent
torch_ancestry = _classes.ancestry


def isTypeOf(obj, spec):
    """True when obj's class, or one of its parents, is spec: a class, a Torch7 name, or a Lua
    pattern ('torch.*Tensor'). As init.lua: a spec that matches as written must be the whole
    name; any other match of the pattern counts. Parents are Torch7's (torch_parent)."""
    if not isinstance(spec, str):
        return isinstance(spec, _builtins_type) and spec in torch_ancestry(_builtins_type(obj))
    from .tester import _lua_pattern
    rx = _re.compile(_lua_pattern(spec))
    for cls in torch_ancestry(_builtins_type(obj)):
        name = cls.__dict__.get("typename")
        if isinstance(name, str):
            m = rx.search(name)
            if m and (m.group(0) != spec or m.group(0) == name):
                return True
    return False


_builtins_type = __builtins__["type"] if isinstance(__builtins__, dict) else __builtins__.type


def setnumthreads(n=_NOVALUE):
    """The BLAS libraries' thread count (Torch7's OpenMP and BLAS threads). One thread per
    process is the fast choice on a busy machine (see torch7py/_threads.py). utils.c reads
    n with luaL_checkint: a number or a numeric string, truncated, else LuaJIT's
    "number expected, got <type>"."""
    _threads.set_blas_threads(int(_storage_mod._check_number(n, 1)))


def getnumthreads():
    return _threads.get_blas_threads()


def tic():
    """Seconds since the epoch, for toc (utils.c's torch.tic)."""
    return _time.time()


def toc(t):
    """Seconds elapsed since t = torch.tic()."""
    return _time.time() - t


def getnumcores():
    return _os.cpu_count() or 1


def getconstructortable(name):
    """The class of a Torch7 type name ('torch.FloatTensor', 'nn.Linear'), or None."""
    from .serialization.objects import _class_of
    return _class_of(name) if isinstance(name, str) else None


def factory(name):
    """A function making an uninitialised object of the class `name` (luaT's __factory), or
    None for an unknown name and for a class that luaT made without one (torch.Timer, the
    File classes). nn's Profile.lua gives torch.Timer the class itself as its factory."""
    cls = getconstructortable(name)
    if cls is None or not _classes.has_factory(cls):
        return None
    own = cls.__dict__.get("_t7_factory")
    if own is not None and own is not True:  # a class as the factory (Profile.lua's Timer)
        return own
    # one function per class, as luaT keeps one __factory in the class's metatable
    f = _FACTORIES.get(cls)
    if f is None:
        if issubclass(cls, (_tensor_mod.Tensor, _storage_mod.Storage)):
            def f():
                return cls()  # an empty tensor or storage
        else:
            def f():
                return cls.__new__(cls)
        _FACTORIES[cls] = f
    return f


_FACTORIES = _weakref.WeakKeyDictionary()
