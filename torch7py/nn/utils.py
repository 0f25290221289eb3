"""nn.utils: port of torch/nn utils.lua, plus the flatten/clone machinery that Module uses."""
import contextlib
import copy
import types
import weakref
from collections.abc import Mapping, MutableMapping

import numpy as np

from .. import classes as _classes, messages, numerics
from ..fieldorder import cloned_order, note_read_order
from ..serialization.objects import memo_key as _memo_key
from .. import storage as _storage
from ..messages import at_lua
from .. import tensor as _tensor

_SCALARS = (type(None), bool, int, float, complex, str, bytes, np.generic)

# the Python cache that stands for a Lua table given as tensorCache: the same table, the same
# cache, so that conversions sharing one table share their tensors (Module.lua's type)
_LUA_CACHES = weakref.WeakKeyDictionary()


def lua_table_cache(table):
    try:
        c = _LUA_CACHES.get(table)
        if c is None:
            c = _LUA_CACHES[table] = {}
        return c
    except TypeError:  # (not weakly referable or not hashable: a fresh cache)
        return {}


class TorchAssertionError(_tensor.TorchError, AssertionError):
    """A failed Torch7 ``assert``: catchable as TorchError and as AssertionError."""


def lua_varargs(args):
    """Lua's {...}: the arguments up to the last non-nil one (a table's length stops at its
    trailing nils), so nn.View(nil) has no size, as in Torch7."""
    args = tuple(args)
    n = len(args)
    while n and args[n - 1] is None:
        n -= 1
    return args[:n]


def lua_at(t, i, what=None, where=None):
    """Lua's t[i] (1-based) on a table: nil past its end, as when a table layer's gradOutput
    holds fewer entries than it has modules (nn's CriterionTable gives one). On a tensor it is
    Tensor.c's __index: a number of a 1-D tensor, else the i-th slice (out of range raises),
    as a ParallelCriterion's target tensor or a ParallelTable's input tensor is read. nil, a
    number or a boolean fail as LuaJIT's indexing does (`what` names the local, `where` is the
    Lua line, 'nn/ConcatTable.lua:66'); a string or another object reads nil."""
    if is_tensor(t):
        return t[i]
    if isinstance(t, (list, tuple)):
        return t[i - 1] if 0 < i <= len(t) else None
    kind = messages.lua_type(t)
    if kind in messages.NOT_INDEXABLE:
        e = _tensor.TorchError(messages.index_text(kind, what))
        raise messages.at_lua(e, where) if where else e
    if isinstance(t, Mapping):
        return t.get(i)
    return None


def default_tensor_class():
    return _tensor.default_tensor_type()


def is_tensor(x):
    return isinstance(x, _tensor.Tensor)


def is_storage(x):
    return isinstance(x, _storage.Storage)


def typename(x):
    """torch.type(x): the Torch7 type name of a torch object, else a Lua-ish type name."""
    name = getattr(type(x), 'typename', None)
    if isinstance(name, str):
        return name
    if isinstance(x, (list, dict)):
        return 'table'
    if isinstance(x, bool):
        return 'boolean'
    if isinstance(x, (int, float)):
        return 'number'
    if isinstance(x, str):
        return 'string'
    if x is None:
        return 'nil'
    return type(x).__name__


def setfield(obj, key, value):
    """obj[key] = value with Lua semantics: nil into a field that is there keeps its key (None),
    as LuaJIT keeps the node, so a later value lands where it was (pairs order, saved bytes);
    nil into a missing field makes none."""
    d = obj.__dict__
    if value is None:
        if key in d:
            d[key] = None
    else:
        d[key] = value


def lua_buffers(obj, like, *names, what=None):
    """`self.name = self.name or like.new()` for each name in turn: the buffers a Lua module
    makes at its first call, in its order (pairs(), printing and torch.save see the fields in
    the order they were set), made even where torch7py computes without them. `what` names
    `like` in Lua's index error (e.g. "local 'gradOutput'")."""
    d = obj.__dict__
    for name in names:
        if d.get(name) is None:
            if not isinstance(like, _tensor.Tensor):
                from . import _lua
                if what is None:  # the Lua name: the caller's argument `like` is
                    what = _caller_local(like)
                d[name] = _lua.field_call(like, 'new', what)()
            else:
                d[name] = like.new()


def _caller_local(value):
    """How LuaJIT names `value` in the Lua method a port mirrors: "local 'input'" when the
    port's caller holds it in its argument of that name (input, gradOutput, target)."""
    import sys
    frame = sys._getframe(2)
    for name in ('input', 'gradOutput', 'target'):
        if name in frame.f_locals and frame.f_locals[name] is value:
            return "local '%s'" % name
    return None


def tensor_set(t, storage=None, offset=0, size=(), stride=()):
    """t:set(storage, offset+1, size, stride) on the tensor's geometry fields (0-based offset)."""
    t._set(storage, int(offset), tuple(int(s) for s in size), tuple(int(s) for s in stride))
    return t


def _is_module_like(x):
    from .module import Module
    from .criterion import Criterion
    return isinstance(x, (Module, Criterion))


def _writes_fields(x):
    # an object that File.lua writes as its class name and a table of its fields (a class
    # torch.class declared, in Lua or here: graph.Node, optim.Logger, a user's class): Torch7's
    # clone writes and reads it back, so it is copied field by field like a module
    return _classes.writes_fields(type(x)) and hasattr(x, '__dict__')


# ---- clone: a memo-preserving deep copy with the effect of Torch7's write/read round trip ------

def _is_sequence(items):
    """Whether a Lua table's (key, value) pairs are exactly 1..n (a list without holes)."""
    keys = [k for k, _ in items]
    return all(type(k) is int for k in keys) and sorted(keys) == list(range(1, len(keys) + 1))


def deep_copy(value, memo):
    """Copy `value` as Torch7's MemoryFile write-then-read would.

    Storages are copied by value, once each (the memo is keyed by object identity, as Torch7's
    serializer keys by pointer), so tensors that shared a storage share the new one; tensors,
    tables and modules referenced twice come back as one object.
    """
    if isinstance(value, _SCALARS):
        return value
    # an object that stands for another (compat's wrappers of one Lua table) names its key
    key = _memo_key(value)
    if key in memo:
        return memo[key]
    if isinstance(value, _storage.Storage):
        new = type(value)._wrap(value._data.copy())
    elif isinstance(value, _tensor.Tensor):
        st = value._storage
        new_st = None if st is None else deep_copy(st, memo)
        new = type(value)._make(new_st, value._offset, value._size, value._stride)
    elif isinstance(value, list) and hasattr(type(value), '_t7_items') and not _is_sequence(
            value._t7_items()):
        # a list over a Lua table that also has string keys, or holes (compat's LuaList:
        # dpnn's sharedClone takes modules out of a container's list before it clones): a
        # new Lua table with every entry copied, as Torch7's file copy keeps every key
        items = value._t7_items()
        rt = value._rt
        new_t = rt.lua.table()
        memo.setdefault(id(memo), []).append(value)
        for k, v in items:
            new_t[rt.key_to_lua(deep_copy(k, memo))] = rt.to_lua(deep_copy(v, memo))
        if all(type(k) is int for k, _ in items):
            # a list with holes stays a live list over its table, which the script fills
            # again (the container's modules)
            new = type(value)(new_t, rt)
            rt._tbl2py_set(new_t, new)
        else:
            new = rt.from_lua(new_t)
    elif isinstance(value, list):
        # a Torch class over a list (tds.Vec) stays of its class, and so does a list that is a
        # table of its own kind (nngraph's IndexedList)
        own = isinstance(getattr(type(value), 'typename', None), str) or getattr(
            type(value), '_copy_as_own_type', False)
        new = type(value)() if own else []
        memo[key] = new
        path = memo.get(_PATH)
        if path is None:
            new.extend(deep_copy(v, memo) for v in value)
        else:
            for i, v in enumerate(value):
                path.append(str(i + 1))
                new.append(deep_copy(v, memo))
                path.pop()
        return new
    elif isinstance(value, dict):
        new = type(value)()
        # an unknown class's object (TorchObject) keeps its version with its fields
        attrs = getattr(value, '__dict__', None)
        if attrs:
            new.__dict__.update(attrs)
        memo[key] = new
        # clone's read fills a table in the order it was written (a Lua table's pairs order,
        # as nngraph's Table lists it; a nil is not written): the copy's own pairs order
        # follows from that
        items = value.items()
        if CLONE in memo and hasattr(value, '_t7_items'):
            items = [(k, v) for k, v in value._t7_items() if v is not None]
        for k, v in items:
            new[deep_copy(k, memo)] = deep_copy(v, memo)
        return new
    elif isinstance(value, Mapping):
        # a live Lua table (a Lua class's `self.cfg = {a = 1}`): a new Lua table of copies when
        # the mapping can make one (compat's LuaTableMapping), else a dict as torch.load gives
        rt = getattr(value, '_rt', None)
        new = type(value)(rt.lua.table(), rt) if rt is not None else {}
        memo[key] = new
        memo.setdefault(id(memo), []).append(value)
        for k, v in list(value.items()):
            new[deep_copy(k, memo)] = deep_copy(v, memo)
        return new
    elif isinstance(value, tuple):
        return tuple(deep_copy(v, memo) for v in value)
    elif isinstance(value, types.MethodType):
        # share() stores a bound method in the instance, as Torch7 stores the function
        return types.MethodType(value.__func__, deep_copy(value.__self__, memo))
    elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type,
                            types.ModuleType)):
        return value
    elif isinstance(value, np.ndarray):
        new = value.copy()
    elif _is_module_like(value) or _writes_fields(value):
        return deep_copy_object(value, memo)
    elif callable(value) and not hasattr(value, '__dict__') or \
            type(value).__module__.split('.')[0] in ('lupa', 'compat'):
        # Lua functions (and other Lua values) are shared by the copy; one bound to its
        # object (compat's LuaMethod) knows how to follow the copy
        if hasattr(type(value), '__deepcopy__'):
            return value.__deepcopy__(memo)
        file_clone = getattr(getattr(value, '_rt', None), 'file_clone', None)
        if CLONE in memo and hasattr(type(value), '_t7_function') and file_clone is not None:
            # clone writes a Lua function as File.lua does (string.dump and its upvalues'
            # values, or "Unwritable object <function>" for a C function) and reads a new
            # closure over copies of them: the whole graph goes through a file
            raise FileCloneNeeded(file_clone)
        return value
    else:
        if CLONE in memo and not _classes.has_factory(type(value)) and _classes.is_userdata(
                type(value)):
            # clone's write meets a userdata without a factory (a torch.Timer, a File):
            # File.lua's writeObject refuses it (the path: from the innermost module, whose
            # sharedWrite starts a writeObject of its own)
            from ..serialization.files import SerializationError
            raise SerializationError(messages.msg('unwritable_object', 'userdata', '.'.join(
                memo.get(_PATH) or ['<?>'])))
        return copy.deepcopy(value, memo)
    memo[key] = new
    return new


class FileCloneNeeded(Exception):
    """clone() met an object whose class writes or reads itself (a Lua class's `write` or
    `read`): Torch7's clone runs them, so the whole graph goes through a file instead."""

    def __init__(self, file_clone):
        super().__init__("clone through a file")
        self.file_clone = file_clone


# a memo key: the copy is clone()'s, which goes through a file when a class writes itself
CLONE = object()
# a memo key: the names of the fields being copied, as File.lua's objectNameStack
_PATH = object()


def clone_value(obj):
    """Module/Criterion clone: Torch7's write to a MemoryFile and read back. A field-by-field
    copy gives the same graph, unless a class writes or reads itself (the layer's
    `_t7_file_clone`, set where a Lua class defines `write` or `read`): then a real write and
    read."""
    try:
        return deep_copy(obj, {CLONE: True})
    except FileCloneNeeded as e:
        return e.file_clone(obj)


def deep_copy_object(obj, memo):
    """Copy a module/criterion: a new instance of the same class with its fields copied."""
    key = id(obj)
    if key in memo:
        return memo[key]
    cls = type(obj)
    fc = getattr(cls, '_t7_file_clone', None)
    if fc is not None and CLONE in memo:
        raise FileCloneNeeded(fc)
    new = cls.__new__(cls)
    memo[key] = new
    # keep the originals alive while the memo (keyed by id) is in use
    memo.setdefault(id(memo), []).append(obj)
    # Torch7 writes the fields and reads them back: the copy sets them in the order that read
    # gives, and is written as an object read in that order would be. A class whose write
    # changes its fields around the write (WeightNorm's leaves weight out) is copied as that
    # write leaves it, then its read's end rebuilds what was left out
    writing = getattr(obj, '_t7_writing', None) if CLONE in memo else None
    with writing() if writing is not None else contextlib.nullcontext():
        fields, written = cloned_order(obj, obj.__dict__)
        outer = memo.get(_PATH)
        path = memo[_PATH] = ['<?>']
        for k, v in fields.items():
            path.append(str(k))
            new.__dict__[k] = deep_copy(v, memo)
            path.pop()
        memo[_PATH] = outer
    if writing is not None and hasattr(new, '_t7_rebuild'):
        new._t7_rebuild()
    if written is not None:
        note_read_order(new, written)
    read = getattr(cls, '_t7_cloned', None)
    if read is not None:  # a class that rebuilds a field as its read from a file does
        read(new)
    return new


# ---- type conversion ----------------------------------------------------------------------------

_TYPE_WHERE = 'torch/Tensor.lua:238'  # Tensor.lua's type: torch.getmetatable(type).new()


def check_type_name(name):
    """The tensor class of a type name, or Tensor.lua's type's error at its line 238 (its
    torch.getmetatable(type) checks the name, and gives nil for an unknown one)."""
    text = messages.checkstring_error(name, 1, 'getmetatable')
    if text is not None:
        raise messages.at_lua(_tensor.TorchError(text), _TYPE_WHERE)
    if name in _tensor.tensor_types:
        return _tensor.tensor_types[name]
    # Torch7 without cutorch indexes the nil metatable of a CUDA type name as of any unknown
    # one: Lua sees that text; Python's says that the GPU backend is what is missing
    if isinstance(name, str) and 'Cuda' in name:
        e = RuntimeError('type %s: torch7py has no GPU backend' % name)
    else:
        e = ValueError('unknown tensor type %r' % (name,))
    raise messages.at_lua(messages.torch7_text(e, messages.msg('index_nil')), _TYPE_WHERE)


def is_cache(cache):
    """Whether a tensorCache argument keeps recursiveType's conversions: a dict, or a Lua
    table seen as a mapping (one cache shared by several type calls)."""
    return cache.__class__ is dict or isinstance(cache, MutableMapping) or (
        hasattr(cache, 'get') and hasattr(cache, 'keys'))  # (an empty Lua table)


def lua_tensor_cache(cache, type_name, param=None):
    """The dict recursiveType keeps its conversions in, for a tensorCache argument that is no
    dict: a fresh one for nil or a Lua table (or a tensor); Lua's error where Torch7's
    `tensorCache[param]` fails (a number, a boolean: at the read; a string, which reads nil:
    at the write, after torch.Tensor():type(type) checked the name)."""
    kind = messages.lua_type(cache)
    if kind in ('number', 'boolean', 'function'):  # utils.lua:49's `if tensorCache[param]`
        raise messages.at_lua(TypeError(messages.msg('index_local', 'tensorCache', kind)),
                              'nn/utils.lua:49')
    if kind == 'string':
        check_type_name(type_name)
        # the write of the storage's entry (its statement's last line, 58), or for a tensor
        # without a storage tensorCache[param] = newparam (68)
        raise messages.at_lua(TypeError(messages.msg('index_local', 'tensorCache', 'string')),
                              'nn/utils.lua:%d' % (58 if getattr(param, '_storage', None)
                                                   is not None else 68))
    if kind == 'table':
        return lua_table_cache(cache)
    return {}


def tensor_as_cache(cache, param, type_name):
    """utils.lua's recursiveType with a tensor given as tensorCache (m:float(t)): Tensor.c's
    __index declines a tensor key (nil), the new type's name is checked, a storage's entry
    reads tensorCache[torch.pointer(storage)] (a select, out of range), and the tensor key is
    written: luaT refuses a field of a userdata."""
    check_type_name(type_name)
    st = param._storage
    if st is not None:
        from .. import pointer
        cache[pointer(st)]
    with messages.lua_line('nn/utils.lua:68'):  # tensorCache[param] = newparam
        cache[param] = param


def recursiveType(param, type_name, tensorCache=None):
    """nn.utils.recursiveType: converts tensors (each storage once, so sharing survives)."""
    if tensorCache is None:
        tensorCache = {}
    if isinstance(param, list):
        for i, v in enumerate(param):
            param[i] = recursiveType(v, type_name, tensorCache)
    elif isinstance(param, (dict, MutableMapping)):  # a Lua table from the Lua layer too
        for k in list(param):
            param[k] = recursiveType(param[k], type_name, tensorCache)
    elif _is_module_like(param):
        param.type(type_name, tensorCache)
    elif isinstance(param, _tensor.Tensor):
        if param.typename != type_name:
            if not is_cache(tensorCache):
                if isinstance(tensorCache, _tensor.Tensor):
                    tensor_as_cache(tensorCache, param, type_name)
                tensorCache = lua_tensor_cache(tensorCache, type_name, param)
            cls = check_type_name(type_name)
            hit = tensorCache.get(('tensor', id(param)))
            if hit is not None:
                return hit[1]
            newparam = cls()
            st = param._storage
            if st is not None:
                skey = ('storage', id(st))
                if skey not in tensorCache:
                    tensorCache[skey] = (st, st.type(cls.storage_class.typename))
                tensor_set(newparam, tensorCache[skey][1], param._offset, param._size,
                           param._stride)
            # cached with or without a storage (utils.lua): an empty tensor held in two places
            # (CriterionTable's gradInput) stays one tensor
            tensorCache[('tensor', id(param))] = (param, newparam)
            param = newparam
    return param


def put(lst, i, v):
    """lst[i] = v (0-based) where i is at most len(lst): Lua's t[i + 1] = v on a table that
    grows one element at a time. Never a None placeholder: a live Lua table (a gradInput or
    output a script has read) cannot hold nil, so appending None would never grow it."""
    if i < len(lst):
        lst[i] = v
    else:
        lst.append(v)


def recursiveResizeAs(t1, t2):
    if isinstance(t2, list):
        # utils.lua: t1[key], t2[key] = recursiveResizeAs(t1[key], t2[key]) for t2's keys in
        # order (t1 grows one element at a time: never a nil hole, which a Lua table given as t1
        # could not hold), then t1's keys that t2 lacks are removed
        t1 = t1 if isinstance(t1, list) else [t1]
        for i in range(len(t2)):
            a, t2[i] = recursiveResizeAs(t1[i] if i < len(t1) else None, t2[i])
            put(t1, i, a)
        del t1[len(t2):]
    elif is_tensor(t2):
        t1 = t1 if is_tensor(t1) else t2.new()
        t1.resize(t2.size())  # utils.lua: resize(t2:size()), so t1 keeps its own type
    else:
        raise at_lua(TypeError('expecting nested tensors or tables. Got %s and %s instead'
                        % (typename(t1), typename(t2))), 'nn/utils.lua:92')
    return t1, t2


def recursiveCopy(t1, t2):
    """t1 (a tensor or nested list, created where missing) gets t2's sizes and values."""
    if isinstance(t2, list):
        t1 = t1 if isinstance(t1, list) else [t1]
        for i in range(len(t2)):
            # t1 grows one element at a time (put): a live Lua table cannot hold a None
            a, t2[i] = recursiveCopy(t1[i] if i < len(t1) else None, t2[i])
            put(t1, i, a)
    elif is_tensor(t2):
        t1 = t1 if is_tensor(t1) else t2.new()
        t1.resize(*t2._size) if t2._size else t1.set()
        if t2._size:
            t1.copy(t2)
    else:
        raise at_lua(TypeError('expecting nested tensors or tables. Got %s and %s instead'
                        % (typename(t1), typename(t2))), 'nn/utils.lua:148')
    return t1, t2


def contiguousView(output, input, *sizes):
    """output viewed as input with the given sizes, copying input first if not contiguous."""
    at = messages.lua_line
    if output is None:
        with at('nn/utils.lua:189'):
            output = input.new()
    # (utils.lua: output:view(input, ...), Tensor.lua's view into a result: its set fails on
    # an input of another type)
    with at('nn/utils.lua:190'):
        contiguous = input.isContiguous()
    if contiguous:
        with at('nn/utils.lua:191'):
            output.view(input, *sizes)
    else:
        with at('nn/utils.lua:193'):
            output.resize(*input._size)
        with at('nn/utils.lua:194'):
            output.copy(input)
        with at('nn/utils.lua:195'):
            output.view(output, *sizes)
    return output


def recursiveFill(t2, val):
    if isinstance(t2, list):
        for i in range(len(t2)):
            t2[i] = recursiveFill(t2[i], val)
    elif is_tensor(t2):
        t2.fill(val)
    else:
        raise at_lua(TypeError('expecting tensor or table thereof. Got %s instead' % typename(t2)),
                     'nn/utils.lua:106')
    return t2


def recursiveAdd(t1, val, t2=None):
    if t2 is None:
        t2, val = val, 1
    if isinstance(t2, list):
        t1 = t1 if isinstance(t1, list) else [t1]
        for i in range(len(t2)):
            t1[i], t2[i] = recursiveAdd(t1[i], val, t2[i])
    elif is_tensor(t2):
        t1.add(val, t2)
    else:
        raise at_lua(TypeError('expecting nested tensors or tables. Got %s and %s instead'
                        % (typename(t1), typename(t2))), 'nn/utils.lua:127')
    return t1, t2


def addSingletonDimension(*args):
    """addSingletonDimension([view,] t [, dim]): t with a size-1 dimension inserted at dim
    (1 by default); with three arguments the result is written into view and returned."""
    view = None
    if len(args) < 3:
        t, dim = (tuple(args) + (None, None))[:2]
    else:
        view, t, dim = args[:3]
        if not is_tensor(view):
            raise TypeError('output tensor expected, got ' + typename(view))
    if not is_tensor(t):
        raise TypeError('input tensor expected')
    dim = 1 if dim is None else dim
    nd = len(t._size)
    if not 0 < dim <= nd + 1:
        raise ValueError('invalid dimension: %d. Tensor is of %d dimensions.' % (dim, nd))
    size = t._size[:dim - 1] + (1,) + t._size[dim - 1:]
    stride = t._stride[:dim - 1] + (1,) + t._stride[dim - 1:]
    if t._storage is None:
        # view:set(t:storage(), ...) of a tensor without storage: set's check of its nil
        from ..messages import lua_method_call
        with lua_method_call('set'), messages.lua_line('nn/utils.lua:184'):
            (t.new() if view is None else view).set(
                None, t.storageOffset(), _tensor.LongStorage(list(size)),
                _tensor.LongStorage(list(stride)))
    if view is None:
        return type(t)._make(t._storage, t._offset, size, stride)
    if type(view) is not type(t):  # view:set(t:storage(), ...): set's check of the storage
        with messages.lua_line('nn/utils.lua:184'):
            view.set(t.storage(), t.storageOffset(), _tensor.LongStorage(list(size)),
                     _tensor.LongStorage(list(stride)))
    return tensor_set(view, t._storage, t._offset, size, stride)


def clear(self, *names):
    """nn.utils.clear: empties tensor fields in place, resets table fields, drops the rest."""
    if len(names) == 1 and isinstance(names[0], (list, tuple)):
        names = tuple(names[0])
    return clear_fields(self, names, tensor_set)


def set_empty(obj, *names):
    """`if self.x then self.x:set() end` for each name in order: the clearState lines of
    modules that empty their buffers in place (keeping the tensor objects) rather than through
    nn.utils.clear."""
    d = obj.__dict__
    for name in names:
        v = d.get(name)
        if v is not None and v is not False:
            v.set()


def clear_fields(obj, names, empty_tensor):
    """clear's loop: a tensor field becomes empty_tensor(it) (emptied in place, or a new one),
    a table field an empty one; any other value becomes nil (None: the key keeps its place,
    as a Lua table keeps a node set to nil), nil and false are left. obj is a module (its
    fields) or a plain table (a mapping: utils.lua's clear indexes any self); a field is a
    table when torch.type calls it one (a list, a mapping: not an object of a class)."""
    d = obj if isinstance(obj, MutableMapping) else obj.__dict__
    for f in names:
        v = d.get(f)
        if v is None or v is False:
            continue
        if is_tensor(v):
            d[f] = empty_tensor(v)
        elif messages.torch_type(v) == "table":
            d[f] = [] if isinstance(v, list) else {}
        else:
            d[f] = None
    return obj


def flatten_list(x):
    out = []
    for v in x:
        if isinstance(v, list):
            out.extend(flatten_list(v))
        else:
            out.append(v)
    return out


# ---- Module.flatten ------------------------------------------------------------------------------

def _is_compact(size, stride):
    """Torch7's isCompact: sort dims by decreasing stride, drop stride-0 dims, isContiguous."""
    order = sorted(range(len(stride)), key=lambda d: -stride[d])
    dims = [(size[d], stride[d]) for d in order if stride[d] > 0]
    z = 1
    for sz, st in reversed(dims):
        if sz != 1:
            if st != z:
                return False
            z *= sz
    return True


def constructor_len(items):
    """LuaJIT's # (lj_tab_len) of a table built by a constructor of these items ({a, b}: an
    array part of len(items) slots): the count when the last is set, else a border found by
    binary search ({gradWeight, nil} has 1, {nil, gradBias} has 2)."""
    j = len(items) + 1  # asize (slot 0 unused)
    if j > 1 and items[j - 2] is None:
        i = 1
        while j - i > 1:
            m = (i + j) >> 1
            if items[m - 2] is None:
                j = m
            else:
                i = m
        return i - 1
    return j - 1


def flatten(parameters):
    """Module.flatten: one new storage holding every parameter, sharing kept, holes compacted.

    1. unique storages in first-seen order, laid end to end; each tensor keeps its offset
       within its storage and its strides (a transposed weight stays transposed);
    2. a mask marks the elements some tensor views; elements nobody views (holes) are dropped,
       which needs every tensor to be compact (Torch7 asserts otherwise);
    3. every tensor object is re-pointed into the new storage.
    """
    if isinstance(parameters, (list, tuple)):
        parameters = parameters[:constructor_len(parameters)]  # Module.lua loops 1..#parameters
    if not parameters:
        return default_tensor_class()()
    first = messages.lua_type(parameters[0])
    if first in messages.NOT_INDEXABLE:  # Module.lua's `local Tensor = parameters[1].new`
        raise messages.at_lua(_tensor.TorchError(messages.msg('index_a', first)),
                              'nn/Module.lua:242')
    cls = type(parameters[0])
    storages = {}
    order = []
    n = 0
    meta = []
    for p in parameters:
        if not isinstance(p, _tensor.Tensor):  # Module.lua's parameters[k]:storage() (251)
            kind = messages.lua_type(p)
            if kind in messages.NOT_INDEXABLE:
                raise messages.at_lua(_tensor.TorchError(messages.msg('index_a', kind)),
                                      'nn/Module.lua:251')
            raise messages.at_lua(_tensor.TorchError(messages.msg('call_nil_method', 'storage')),
                                  'nn/Module.lua:251')
        st = p._storage
        if st is None:  # torch.pointer(parameters[k]:storage()) of an empty tensor's nil
            raise messages.at_lua(_tensor.TorchError(messages.msg('pointer_type')),
                                  'nn/Module.lua:252')
        key = id(st)
        if key not in storages:
            storages[key] = n
            order.append(st)
            n += 0 if st is None else st._data.shape[0]
        meta.append([p._offset + storages[key], p._size, p._stride])

    # step 4 of Module.flatten copies each storage through `Tensor():set(storage)`, Tensor
    # being parameters[1].new: a storage of another type fails there (Tensor.c's set), before
    # any parameter is touched
    for st in order:
        if type(st) is not cls.storage_class:
            raise at_lua(_tensor.TorchError(messages.bad_argument(
                1, "expecting number or %s or %s" % (cls.typename, cls.storage_class.typename),
                "set")), 'nn/Module.lua:286')

    used = np.zeros(n, dtype=np.uint8)
    compact = True
    for off, size, stride in meta:
        if size and all(s > 0 for s in size):
            view = np.lib.stride_tricks.as_strided(used[off:], shape=size, strides=stride)
            view[...] = 1
        compact = compact and _is_compact(size, stride)
    offsets = np.cumsum(used, dtype=np.int64)
    n_used = int(offsets[-1]) if n else 0
    if n_used != n and not compact:
        # Checked before any tensor is touched, so the module stays usable.
        raise TorchAssertionError('Cannot gather tensors that are not compact')

    flat = np.zeros(n, dtype=cls.dtype)
    base = 0
    for st in order:
        if st is not None:
            k = st._data.shape[0]
            flat[base:base + k] = st._data
            base += k
    if n_used != n:
        flat = flat[used.astype(bool)]
        for m in meta:
            m[0] = int(offsets[m[0]]) - 1 if m[0] < n else n_used
    new_storage = cls.storage_class._wrap(np.ascontiguousarray(flat))
    for p, (off, size, stride) in zip(parameters, meta):
        tensor_set(p, new_storage, off, size, stride)
    if flat.shape[0] == 0:
        return cls()
    return cls._make(new_storage, 0, (flat.shape[0],), (1,))


# ---- small in-place kernels the machinery needs (numpy views; no dispatch) -----------------------

def add_(dst, src, value=1):
    """dst:add(value, src): both tensors of the same number of elements, logical order."""
    d = dst.numpy()
    s = src.numpy()
    if d.size != s.size:
        raise ValueError('inconsistent tensor size: %s vs %s'
                         % ('x'.join(map(str, dst._size)), 'x'.join(map(str, src._size))))
    if s.shape != d.shape:
        s = s.reshape(d.shape)
    numerics.axpy(d, value, s)  # Torch7's rounding: fused when contiguous
    return dst
