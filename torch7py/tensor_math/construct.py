"""TensorMath's construction and structure functions: zeros ones eye range ... cat reshape."""
import numpy as np

from .. import messages
from ..storage import c_cast, LongStorage
from ..tensor import Tensor, TorchError
from ._helpers import (_acc, _babs, _bany, _bmax, _bmin, _brange, _dimcheck, _FLOAT_TYPES,
                       _NUMBER_TYPES, _quiet, _resize, _result, _th_dim1)
from ._dispatch import _define, _dispatch_type, _PUBLIC
from .pointwise import _prep, libm2


# --------------------------------------------------------------------------------------------
# construction and structure: zeros ones eye range linspace logspace diag tril triu cat cross
# reshape histc
# --------------------------------------------------------------------------------------------

def _sizes(args, name):
    if not args or any(messages.from_lua_table(a) for a in args):
        # cwrap's LongArg is one argument at least (`narg >= k`), numbers or a LongStorage: a
        # Lua table is none
        raise _SizeArgError(name)
    # (a storage is a size only as a torch.LongStorage: cwrap's LongArg reads luaT_toudata of
    # that class, numbers else)
    if len(args) == 1 and isinstance(args[0], (LongStorage, list, tuple)):
        vals = list(args[0]._data) if isinstance(args[0], LongStorage) else list(args[0])
    else:
        vals = list(args)
    out = []
    for v in vals:
        if isinstance(v, str) and messages.lua_tonumber(v) is not None:  # lua_isnumber
            v = messages.lua_tonumber(v)
        if isinstance(v, bool) or not isinstance(v, _NUMBER_TYPES):
            raise _SizeArgError(name)
        out.append(int(v))
    return out


class _SizeArgError(TorchError):
    """A size argument (cwrap's LongArg) that is neither numbers nor a LongStorage."""


def sized_invalid(T, given, method=False, generator=False):
    """cwrap's invalid-arguments error of a function taking [result] [Generator] sizes."""
    res = ("*%s*" if method else "[*%s*]") % T.__name__
    form = res + (" [Generator]" if generator else "") + " " + messages.LONG_ARG
    return TorchError(messages.invalid_arguments(given, [form]))


def _filled(name, value):
    def fn(*args):
        given = args
        T, args = _dispatch_type(args)
        if args and isinstance(args[0], Tensor):
            r, args = args[0], args[1:]
        else:
            r = T()
        try:
            sizes = _sizes(args, name)
        except _SizeArgError:
            raise sized_invalid(T, given) from None
        r.resize(*sizes)
        if r._size:
            r.numpy()[...] = value
        return r

    def method(self, *args):
        try:
            sizes = _sizes(args, name)
        except _SizeArgError:
            raise sized_invalid(type(self), (self,) + args, method=True) from None
        self.resize(*sizes)
        if self._size:
            self.numpy()[...] = value
        return self
    fn.__name__ = name
    return fn, method


zeros, _zeros_m = _filled("zeros", 0)
ones, _ones_m = _filled("ones", 1)
_PUBLIC.update(zeros=zeros, ones=ones)


def reshape(*args):
    """torch.reshape([res,] src, sizes...): a contiguous copy with new sizes."""
    T, targs = _dispatch_type(args)
    return _reshape(T, args, targs, False)


def _reshape(T, given, args, method):
    if len(args) >= 2 and isinstance(args[1], Tensor):
        res, src, sizes = args[0], args[1], args[2:]
    else:
        res, src, sizes = None, (args[0] if args else None), args[1:]
    try:
        # cwrap: [res] src (LongStorage | dim1 [dim2...]), tensors of the dispatched type
        if type(src) is not T or (res is not None and type(res) is not T) or not sizes:
            raise _SizeArgError("reshape")
        sizes = _sizes(sizes, "reshape")
    except _SizeArgError:
        raise TorchError(messages.invalid_arguments(
            given, ["[*%s*] %s %s" % (T.__name__, T.__name__, messages.LONG_ARG)])) from None
    # THTensor_(reshape): resize r_ (TH's resize keeps the dimensions before a size <= 0),
    # then copy's count check on r_ as resized; r_ may be src itself (then the copy is one
    # of a tensor to itself)
    r = T() if res is None else res
    data = np.array(src.numpy()).reshape(-1) if src._size else None
    r.resize(*sizes)
    if r.nElement() != src.nElement():
        raise TorchError(messages.msg("inconsistent_2", "tensor", messages.size_str(r._size),
                                      "src", messages.size_str(src._size), r.nElement(),
                                      src.nElement()))
    if r._size and r is not src:
        r.numpy()[...] = data.reshape(r._size)
    return r


_PUBLIC["reshape"] = reshape


def _reshape_m(self, *args):
    args = (self,) + args
    return _reshape(type(self), args, args, True)


def _eye(T, res, n, m):
    if n <= 0:
        raise TorchError(messages.bad_argument(1, "invalid argument"))
    if m <= 0:
        m = n
    r = _result(T, res, (n, m))
    a = r.numpy()
    a[...] = 0
    k = _bmin(n, m)
    a[np.arange(k), np.arange(k)] = 1
    return r


_define("eye", [("R! n n=0", _eye)])


def _range(T, res, xmin, xmax, step):
    if T.is_integer:
        xmin, xmax, step = int(xmin), int(xmax), int(step)
    if step == 0:
        raise TorchError(messages.bad_argument(3, "step must be a non-null number"))
    if not ((step > 0 and xmax >= xmin) or (step < 0 and xmax <= xmin)):
        raise TorchError(messages.bad_argument(2, "upper bound and larger bound incoherent "
                                                  "with step sign"))
    if T.is_integer:
        size = (xmax - xmin) // step + 1
    else:
        size = int((xmax - xmin) / step + 1)
    r = T() if res is None else res
    if r.nElement() != size:
        r._resize_nd([size])
    vals = xmin + np.arange(size, dtype=_acc(T)) * step
    r.numpy()[...] = c_cast(vals, T.dtype).reshape(r._size)
    return r


_define("range", [("R! a a a=1", _range)])


def _linspace(T, res, a, b, n):
    if not (n > 1 or (n == 1 and a == b)):
        raise TorchError(messages.bad_argument(3, "invalid number of points"))
    r = T() if res is None else res
    if r.nElement() != n:
        r._resize_nd([n])
    dt = T.dtype.type
    if n == 1:
        vals = np.array([a], T.dtype)
    else:
        # THTensorMath.c: a + i*(b-a)/((real)(n-1)), left to right in real
        i = np.arange(n).astype(T.dtype)
        vals = dt(a) + (i * (dt(b) - dt(a))) / dt(n - 1)
    r.numpy()[...] = vals.reshape(r._size)
    return r


def _logspace(T, res, a, b, n):
    r = _linspace(T, res, a, b, n)
    a_ = r.numpy()
    # TH_MATH_NAME(pow)(10.0, x): libm's powf / pow (numpy's power is its own SIMD code)
    libm2("rpow", a_, 10.0, a_)
    return r


_define("linspace", [("R! r r n=100", _linspace)], types=_FLOAT_TYPES)
_define("logspace", [("R! r r n=100", _logspace)], types=_FLOAT_TYPES)


def _diag(T, res, src, k):
    if src.dim() == 1:
        n = src._size[0]
        size = n + _babs(k)
        r = _result(T, res, (size, size))
        a = r.numpy()
        a[...] = 0
        i = np.arange(n)
        if k >= 0:
            a[i, i + k] = src.numpy()
        else:
            a[i - k, i] = src.numpy()
        return r
    if src.dim() == 2:
        rows, cols = src._size
        if (min(rows, cols - k) if k >= 0 else min(rows + k, cols)) <= 0:
            # TH resizes r_ to that length (no dimensions for none), then its
            # THTensor_(stride)(r_, 0) fails
            _result(T, res, ())
            raise TorchError(messages.bad_argument(2, "dimension 1 out of range of 0D tensor"))
        d = np.diagonal(src.numpy(), offset=k)
        r = _result(T, res, (d.shape[0],))
        r.numpy()[...] = d
        return r
    raise TorchError(messages.bad_argument(1, "matrix or a vector expected"))


_define("diag", [("R T n=0", _diag)])


def _tri(f):
    def impl(T, res, src, k):
        if src.dim() != 2:  # TH's check (cwrap takes a tensor of any dimension)
            raise TorchError(messages.bad_argument(1, "expected a matrix"))
        r = _prep(T, res, src)
        r.numpy()[...] = f(src.numpy(), k)
        return r
    return impl


_define("tril", [("R T k=0", _tri(np.tril))])
_define("triu", [("R T k=0", _tri(np.triu))])


def _cat_array(T, res, inputs, dim):
    if not inputs:
        # (THTensor_(catArray)'s checks; cwrap lets no empty table through)
        raise TorchError(messages.bad_argument(3, "invalid number of inputs 0"))
    maxdim = _bmax([dim + 1] + [t.dim() for t in inputs])
    ldim = (maxdim - 1 if maxdim else 0) if dim == -2 else dim
    if ldim < 0:
        raise TorchError(messages.bad_argument(4, "invalid dimension %d" % (dim + 1)))

    def sz(t, i):
        return t._size[i] if i < t.dim() else _bmin(t.dim(), 1)
    size = []
    for i in _brange(maxdim):
        s = sz(inputs[0], i)
        for t in inputs[1:]:
            s2 = sz(t, i)
            if i == ldim:
                s += s2
            elif s != s2 and s and s2:
                raise TorchError("inconsistent tensor sizes")  # THTensor_(catArray)
            elif not s:
                s = s2
        size.append(s)
    r = T() if res is None else res
    if not _bany(size):
        return r
    _resize(r, tuple(size))
    ra = r.numpy()
    off = 0
    for t in inputs:
        if not t._size:
            continue
        n = t._size[ldim] if ldim < t.dim() else 1
        sl = [slice(None)] * maxdim
        sl[ldim] = slice(off, off + n)
        dst = ra[tuple(sl)]
        dst[...] = t.numpy().reshape(dst.shape)
        off += n
    return r


def _cat2(T, res, a, b, dim):
    return _cat_array(T, res, [a, b], dim)


_define("cat", [("R T T i=-1", _cat2), ("R A i=-1", _cat_array)])


def _cross(T, res, a, b, d):
    # THTensor_(cross)'s checks, in its order
    if a.dim() != b.dim():
        raise TorchError("inconsistent tensor dimension %dD, %dD" % (a.dim(), b.dim()))
    if a._size != b._size:
        raise TorchError("inconsistent tensor sizes [%s], [%s]" % (
            messages.size_str(a._size), messages.size_str(b._size)))
    if d < 0:
        for i, s in enumerate(a._size):
            if s == 3:
                d = i
                break
        else:
            raise TorchError("no dimension of size 3 in a: [%s]" % messages.size_str(a._size))
    _dimcheck(a, d, arg=3)
    if a._size[d] != 3:
        raise TorchError(messages.bad_argument(3, "dimension %d does not have size 3" % _th_dim1(d)))
    r = _prep(T, res, a)
    x = np.moveaxis(a.numpy(), d, -1)
    y = np.moveaxis(b.numpy(), d, -1)
    c = np.empty(x.shape, T.dtype)
    c[..., 0] = x[..., 1] * y[..., 2] - x[..., 2] * y[..., 1]
    c[..., 1] = x[..., 2] * y[..., 0] - x[..., 0] * y[..., 2]
    c[..., 2] = x[..., 0] * y[..., 1] - x[..., 1] * y[..., 0]
    r.numpy()[...] = np.moveaxis(c, -1, d)
    return r


_define("cross", [("R T T i=0", _cross)])


def _histc(T, res, src, nbins, lo, hi):
    if nbins <= 0:
        raise TorchError("histc: bins must be > 0")
    r = _result(T, res, (nbins,))
    a = src.numpy().reshape(-1)
    lo, hi = _hist_range(T, a, lo, hi)
    a = a[(a >= lo) & (a <= hi)]
    r.numpy()[...] = np.bincount(_hist_bins(a, lo, hi, nbins), minlength=nbins)[:nbins]
    return r


def _hist_range(T, a, lo, hi):
    """THTensor_(histc)'s range in real: the bounds given, else minall/maxall, else +-1."""
    dt = T.dtype.type
    lo, hi = dt(lo), dt(hi)
    if lo == hi and not a.size:  # THTensor_(minall)'s check
        raise TorchError(messages.bad_argument(1, "tensor must have one dimension"))
    if lo == hi:
        lo, hi = a.min(), a.max()
    if lo == hi:
        lo, hi = dt(lo - 1), dt(hi + 1)
    return lo, hi


def _hist_bins(a, lo, hi, nbins):
    """(int)((x - minval) / (maxval - minval) * nbins), each step in real, then the last bin
    for x == maxval."""
    with _quiet():
        b = ((a - lo) / (hi - lo) * a.dtype.type(nbins)).astype(np.int64)
    return np.minimum(b, nbins - 1, out=b)


_define("histc", [("R T n=100 d=0 d=0", _histc)], types=_FLOAT_TYPES)


def _bhistc(T, res, src, nbins, lo, hi):
    # THTensor_(bhistc)'s checks: fewer than 3 dimensions, then its dimension 2 there
    if src.dim() >= 3:
        raise TorchError(messages.bad_argument(
            2, "invalid dimension %d, the input must be a 2d tensor" % src.dim()))
    if src.dim() < 2:
        raise TorchError(messages.bad_argument(2, "invalid dimension 2"))
    if nbins <= 0:
        raise TorchError("bhistc: bins must be > 0")
    rows = src._size[0]
    r = _result(T, res, (rows, nbins))
    a = src.numpy()
    lo, hi = _hist_range(T, a, lo, hi)
    row = np.broadcast_to(np.arange(rows)[:, None], a.shape)
    keep = (a >= lo) & (a <= hi)
    b = _hist_bins(a[keep], lo, hi, nbins)
    r.numpy()[...] = np.bincount(row[keep] * nbins + b, minlength=rows * nbins).reshape(
        rows, nbins)
    return r


_define("bhistc", [("R T n=100 d=0 d=0", _bhistc)], types=_FLOAT_TYPES)


def _match_impl(T, res, m1, m2, gain):
    """res[i][j] = gain * squared distance between row i of m1 and row j of m2
    (THTensor_(match): rows of nElement/size[1] values, `real sum += term*term` in order)."""
    if not m1._size or not m2._size:
        # (TH reads m1->size[0] of a tensor without dimensions: nothing defined)
        raise TorchError("match: m1 and m2 must have at least one dimension")
    n1, n2 = m1._size[0], m2._size[0]
    r = _result(T, res, (n1, n2))
    a = m1.numpy().reshape(n1, -1)
    b = m2.numpy().reshape(n2, -1)
    if a.shape[1] != b.shape[1]:
        raise TorchError(messages.bad_argument(
            3, "m1 and m2 must have the same inner vector dim"))
    dt = T.dtype.type
    s = np.zeros((n1, n2), T.dtype)
    for k in range(a.shape[1]):
        term = a[:, None, k] - b[None, :, k]
        s += term * term
    r.numpy()[...] = dt(gain) * s
    return r


_define("match", [("R! T T r=1", _match_impl)])
