"""Shared helpers of the TensorMath modules: result tensors, Torch7's C `real`, size checks."""
import builtins

import numpy as np

from .. import messages
from ..storage import c_cast, lua_real
from ..tensor_args import _c_int
from ..tensor import (ByteTensor, CharTensor, _contiguous_strides, DoubleTensor, FloatTensor,
                      IntTensor, LongTensor, ShortTensor, TorchError)


_ALL_TYPES = (ByteTensor, CharTensor, ShortTensor, IntTensor, LongTensor, FloatTensor,
              DoubleTensor)
_FLOAT_TYPES = (FloatTensor, DoubleTensor)
_NUMBER_TYPES = (int, float, np.integer, np.floating)

# the torch functions below shadow these builtins in this module
_bany, _ball, _bmax, _bmin, _babs, _brange, _bsum, _bround, _bpow = (
    builtins.any, builtins.all, builtins.max, builtins.min, builtins.abs, builtins.range,
    builtins.sum, builtins.round, builtins.pow)


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------

_STRIDES = {}


def _new(T, shape):
    """A new contiguous tensor of type T and the given sizes (uninitialised)."""
    st = _STRIDES.get(shape)
    if st is None:
        shape = tuple(shape)
        n = 1
        for s in shape:
            n *= s
        if n == 0 or not shape:
            return T()
        st = _STRIDES[shape] = (n, _contiguous_strides(shape))
        if len(_STRIDES) > 4096:
            _STRIDES.clear()
    data = np.empty(st[0], T.dtype)
    t = T._make(T.storage_class._wrap(data), 0, shape, st[1])
    # the numpy view now (t.numpy() would build it from the buffer, several times slower)
    t._np = data if len(shape) == 1 else data.reshape(shape)
    t._np_data = data
    return t


def _resize(t, shape):
    if t._size != tuple(shape):
        t._resize_nd(list(shape))
    return t


def _result(T, res, shape):
    """Torch7's `res` handling: a new tensor when absent, else resized to shape."""
    if res is None:
        return _new(T, shape)
    if res._size != shape:
        res._resize_nd(list(shape))
    return res


_IRANGE = {}  # integer dtype -> (min, max)


def _real(T, v):
    """A Lua number as Torch7's C `real` of tensor type T (integers truncate and wrap)."""
    dt = T.dtype
    if dt.kind == "f":
        return dt.type(v)
    if isinstance(v, float):
        return c_cast(np.float64(v), dt)[()]
    if isinstance(v, str):  # luaG_(checkreal) of a string: strtol(s, NULL, 0) as the type
        return lua_real(v, dt)
    v = int(v)
    lo, hi = _IRANGE.get(dt) or _IRANGE.setdefault(dt, (np.iinfo(dt).min, np.iinfo(dt).max))
    if not lo <= v <= hi and -2 ** 1023 < v < 2 ** 1023 and float(v) == v:
        # a Lua number (a double; lupa hands an integral one over as an int): cwrap's
        # `(real)lua_tonumber` out of range, as x86 casts it (INT_MIN, INT64_MIN, ...)
        return c_cast(np.float64(v), dt)[()]
    return np.array(v).astype(dt)[()]


def _acc(T):
    return np.float64 if T.dtype.kind == "f" else np.int64


def _pyacc(T, v):
    """accreal return value as a Python number."""
    return float(v) if T.dtype.kind == "f" else int(v)


def _pyreal(T, v):
    return float(v) if T.dtype.kind == "f" else int(v)


def _view_as(t, shape):
    """t's elements (logical order) with the given shape."""
    a = t.numpy()
    if a.shape != shape and (a.size or shape):
        # (an empty tensor has size () but a (0,) array: it stays as it is)
        a = a.reshape(shape)
    return a


def _check_same_n(a, b, names=("r_", "t", "src")):
    """TH_TENSOR_APPLY3(r_, t, src)'s check (r_ resized as t first); two names: APPLY2's."""
    if a._size != b._size and a.nElement() != b.nElement():
        raise _inconsistent(names, (a, a, b) if len(names) == 3 else (a, b))


def _check_apply3(names, a, b, c):
    """TH_TENSOR_APPLY3's check: three tensors of one element count (named as TH names them)."""
    n = a.nElement()
    if b.nElement() != n or c.nElement() != n:
        raise _inconsistent(names, (a, b, c))


def _inconsistent(names, tensors):
    """TH_TENSOR_APPLY2/3's message: the tensors' names, sizes and element counts."""
    parts = []
    for n, t in zip(names, tensors):
        parts += [n, messages.size_str(t._size)]
    counts = [t.nElement() for t in tensors]
    key = "inconsistent_3" if len(tensors) == 3 else "inconsistent_2"
    return TorchError(messages.msg(key, *(parts + counts)))


def _fmt_size(t):
    return "x".join(str(s) for s in t._size) if t._size else "empty"


def _th_dim1(d):
    """TH's `dimension + 1` in its messages: int arithmetic (cwrap's index arguments are
    taken as int dimensions: x:sum(2^31) names dimension -2147483648)."""
    return _c_int(d + 1)


def _dimcheck(t, d, name="dimension", arg=2):
    """TH's THArgCheck of a dimension argument (#arg): 'dimension 3 out of range'."""
    n = len(t._size)
    if d < 0 or d >= n:
        d1 = _th_dim1(d)
        if name == "dimension":
            raise TorchError(messages.bad_argument(arg, "dimension %d out of range" % d1))
        if name == "invalid":  # mean, std, var, norm, renorm
            raise TorchError(messages.bad_argument(arg, "invalid dimension %d" % d1))
        raise TorchError("%s %d out of range of %dD tensor" % (name, d1, n))
    return d


def _quiet():
    return np.errstate(all="ignore")


def _check_int_divisor(op, a, b):
    """C's integer `/` and `%` trap on a zero divisor, and x86's idiv on the most negative int
    or long divided by -1 (char and short are promoted to int first): Torch7's process dies
    of SIGFPE there without a word. torch7py raises a Lua error naming the operation instead,
    before anything is written. a: the dividends, b: the divisors (a number or an array)."""
    if not np.size(a):
        return  # no element: TH's loop divides nothing
    b = np.asarray(b)
    if not b.all():
        raise TorchError("%s: integer division by zero" % op)
    dt = np.asarray(a).dtype
    if dt.kind == "i" and dt.itemsize >= 4:
        lo = np.iinfo(dt).min
        if (b == -1).any() and ((np.asarray(a) == lo) & (b == -1)).any():
            raise TorchError("%s: integer overflow (%d / -1)" % (op, lo))


def _c_int_div(a, b, out, op="div"):
    """C integer division (truncation toward zero); a zero divisor is an error."""
    _check_int_divisor(op, a, b)
    with _quiet():
        q = np.floor_divide(a, b)
        if a.dtype.kind == "i":
            m = np.remainder(a, b)
            fix = (m != 0) & ((np.asarray(a) < 0) != (np.asarray(b) < 0))
            q = q + fix.astype(q.dtype)
    out[...] = q
    return out
