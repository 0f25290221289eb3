"""TensorMath's pointwise arithmetic and unary math."""
import math

import numpy as np

from .. import messages, numerics, overlap
from ..storage import c_cast
from ..tensor import DoubleTensor, FloatTensor, IntTensor, LongTensor, Tensor, TorchError
from ._helpers import (_babs, _c_int_div, _check_apply3, _check_int_divisor, _check_same_n,
                       _FLOAT_TYPES, _new, _pyreal, _quiet, _view_as)
from ._dispatch import _define


# --------------------------------------------------------------------------------------------
# TH's element order where the result overlaps what it reads (torch7py/overlap.py)
# --------------------------------------------------------------------------------------------

def _ordered(impl, kind=None):
    """impl(T, res, *args), run in TH's element order when res overlaps its operands.

    kind names TH's contiguous path, or is a function of the arguments that names it: 'vec'
    (a THVector kernel: adds, muls, divs, cmul, cdiv), 'cadd' (axpy when r_ == t, THVector
    cadd otherwise), 'addc' (addcmul/addcdiv: copy t into r_ unless r_ == t, then APPLY3
    `*r_ += ...`); None: TH_TENSOR_APPLY or a plain C loop, one element after the other."""
    pick = []  # the positions of the tensor arguments (fixed by the variant's spec)
    conflict, self_overlaps = overlap.conflict, overlap.self_overlaps

    def f(T, res, *args):
        if res is not None:
            rs = res._storage
            if rs is not None:
                if not pick:
                    pick.append(tuple(i for i, a in enumerate(args) if isinstance(a, Tensor)))
                # the common case in a few tests: no input on res's memory, res without aliases
                st = res._stride
                suspect = (st[0] == 0 and res._size[0] > 1) if len(st) == 1 else \
                    self_overlaps(res)
                if not suspect:
                    rb = rs._data.base
                    for i in pick[0]:
                        a = args[i]
                        if a is not res:
                            ss = a._storage
                            if ss is rs or ss is not None and (
                                    rb is not None or ss._data.base is not None):
                                suspect = True
                                break
                if suspect:
                    ts = [args[i] for i in pick[0]]
                    if conflict(res, ts):
                        return _ordered_call(T, impl, kind, res, args, ts)
        return impl(T, res, *args)
    return f


# the small-call paths (torch7py._exact's ew and unary): where the result is the source itself,
# a new tensor, or memory apart from every operand, and the operands are contiguous float or
# double tensors of one size, one C call does the op (arguments read once, no temporaries);
# anything else (other types, strides, shared storages, a resize) takes the general path
# below, whose overlap and type handling these cases never need.
_FAST_TYPES = (FloatTensor, DoubleTensor)


def _apart(a, b):
    """a and b are different storages that own their memory (no view of the other's)."""
    sa, sb = a._storage, b._storage
    return sa is not sb and sa is not None and sb is not None and \
        sa._data.base is None and sb._data.base is None


def _fast_unary(name, slow):
    """slow(T, res, src) with libm's function name in one call of _exact.unary where it can."""
    c = numerics._c
    k = c.unary_index(name) if c is not None and hasattr(c, "unary_index") else -1
    if k < 0:
        return slow

    def impl(T, res, src):
        c = numerics._c
        if c is not None and T in _FAST_TYPES:
            if res is None:
                res = _new(T, src._size)
                if c.unary(k, src.numpy(), res.numpy()):
                    return res
            elif (res is src or res._size == src._size and _apart(res, src)) and \
                    c.unary(k, src.numpy(), res.numpy()):
                return res
        return slow(T, res, src)
    return impl


def _fast_ew(op, slow):
    """slow(T, res, src, x): add (op 0) or mul (1) a number x, cmul (2) a tensor x, in one
    call of _exact.ew where it can; op 3: slow(T, res, src, value, x), add(value, x) where
    value is 1."""
    c = numerics._c
    if c is None or not hasattr(c, "ew"):
        return slow

    def value_op(T, res, src, x):
        c = numerics._c
        if c is not None and T in _FAST_TYPES:
            if res is None:
                res = _new(T, src._size)
                if c.ew(op, src.numpy(), x, res.numpy()):
                    return res
            elif (res is src or res._size == src._size and _apart(res, src)) and \
                    c.ew(op, src.numpy(), x, res.numpy()):
                return res
        if T.dtype.kind == "f":
            x = T.dtype.type(x)  # TH's real (the dispatch passes the number as given)
        return slow(T, res, src, x)
    value_op.raw_real = True

    def tensor_op(T, res, src, x):
        r = _ew_tensors(op, T, res, src, x)
        return slow(T, res, src, x) if r is None else r

    def add_tensor(T, res, src, value, x):  # add(value, x): the plain sum where value is 1
        if value == 1:
            r = _ew_tensors(op, T, res, src, x)
            if r is not None:
                return r
        elif T.dtype.kind == "f":
            value = T.dtype.type(value)  # TH's real (the dispatch passes the number as given)
        return slow(T, res, src, value, x)
    add_tensor.raw_real = True
    return add_tensor if op == 3 else tensor_op if op == 2 else value_op


def _ew_tensors(op, T, res, src, x):
    """res (or a new tensor) = src (*, +) x in one call of _exact.ew: the result, or None where
    that call does not apply (nothing written)"""
    c = numerics._c
    if c is not None and T in _FAST_TYPES and type(x) is T:
        if res is src:
            if (x is src or _apart(x, src)) and c.ew(op, src.numpy(), x.numpy(), src.numpy()):
                return res
        elif res is None:
            if x is src or x._size == src._size and _apart(x, src):
                res = _new(T, src._size)
                if c.ew(op, src.numpy(), x.numpy(), res.numpy()):
                    return res
        elif res._size == src._size and _apart(res, src) and (
                x is src or x is res or _apart(x, src) and _apart(x, res)) and \
                c.ew(op, src.numpy(), x.numpy(), res.numpy()):
            return res
    return None


def _tmp(T, values, contiguous):
    """A 1-D temporary holding values, contiguous or not as the TH path it stands for."""
    m = values.shape[0]
    if contiguous:
        data = np.array(values, dtype=values.dtype)
        return T._make(T.storage_class._wrap(data), 0, (m,), (1,))
    data = np.empty(2 * m, values.dtype)
    data[::2] = values
    return T._make(T.storage_class._wrap(data), 0, (m,), (2,))


def _ordered_call(T, impl, kind, res, args, ts):
    src = ts[0]
    n = src.nElement()
    if any(t.nElement() != n for t in ts):
        return impl(T, res, *args)  # its own size error
    if res._size != src._size:
        res._resize_nd(list(src._size))  # THTensor_(resizeAs)(r_, t) comes first
        if not overlap.conflict(res, ts):
            return impl(T, res, *args)
    if callable(kind):
        kind = kind(args)
    if kind == "addc":
        if res is not args[0]:
            res.copy(args[0])  # THTensor_(copy)(r_, t), in its own order
            args = (res,) + tuple(args[1:])
            ts = [res] + ts[1:]
        kind = None
    contiguous = kind is not None and all(t.isContiguous() for t in [res] + ts)
    block = overlap.block_size(
        ("axpy" if kind == "cadd" and res is args[0] else "vec") if contiguous else None, T)
    W = overlap.positions(res)
    ins = [overlap.operand(res, t) for t in ts]
    idx = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    rtype = T.dtype

    def compute(vals):
        a = list(args)
        for i, v in zip(idx, vals):
            a[i] = _tmp(type(args[i]), v, contiguous)
        r = _tmp(T, np.zeros(vals[0].shape[0], rtype), contiguous)
        impl(T, r, *a)
        return r.numpy()

    overlap.run(res._storage._data, W, ins, overlap.block_ids(W.shape[0], block), compute)
    return res


# --------------------------------------------------------------------------------------------
# pointwise arithmetic
# --------------------------------------------------------------------------------------------

def _prep(T, res, src):
    """Result tensor for a pointwise op on src: new, or resized as src."""
    if res is None:
        return _new(T, src._size)
    if res is not src and res._size != src._size:
        res._resize_nd(list(src._size))
    return res


def _value_op(ufunc):
    """r = src (op) value, elementwise."""
    def impl(T, res, src, value):
        r = _prep(T, res, src)
        a = src.numpy()
        ufunc(a, value, out=a if r is src else r.numpy())
        return r
    return impl


def _scaled_tensor_op(ufunc):
    """add/csub with a tensor: r = src (op) value * other; _prep and _view_as inlined (hot path)."""
    add = ufunc is np.add

    def impl(T, res, src, value, other):
        ss = src._size
        o = other.numpy()
        contiguous = o.flags.c_contiguous  # other's own layout (TH's isContiguous), not o's
        if res is None:
            r = _new(T, ss)
        else:
            r = res
            if r is not src and r._size != ss:
                r._resize_nd(list(ss))  # (TH's resizeAs(r_, t) comes before APPLY3's check)
        if other._size != ss:
            _check_same_n(src, other)
            o = o.reshape(ss)
        s, ra = src.numpy(), r.numpy()
        if value == 1:
            ufunc(s, o, out=ra)
        elif (r is src and contiguous and T.dtype.kind == "f" and s.flags.c_contiguous
              and numerics.blas_axpy(value if add else -value, o, s)):
            pass  # THTensor_(cadd) in place: THBlas_(axpy), in OpenBLAS's order
        elif (contiguous and T.dtype.kind == "f" and s.flags.c_contiguous
              and ra.flags.c_contiguous and not numerics.exact_scale(value)):
            # contiguous, another result: TH's AVX2 cadd, fused multiply-adds (its
            # tail too, as compiled): one rounding
            numerics.fma_contiguous(o, value if add else -value, s, ra)
        else:
            # TH_TENSOR_APPLY3's `*t + value * *src`: the product rounds first
            ufunc(s, o * value, out=ra)
        return r
    return impl


_add_value = _value_op(np.add)
_sub_value = _value_op(np.subtract)
_mul = _value_op(np.multiply)
_cadd = _scaled_tensor_op(np.add)
_csub = _scaled_tensor_op(np.subtract)


def _divide(T, a, b, out, op="div"):
    """out = a / b as TH divides T: C integer division for integer types."""
    if T.is_integer:
        _c_int_div(a, b, out, op)
    else:
        with _quiet():
            np.divide(a, b, out=out)
    return out


def _div(T, res, src, value):
    r = _prep(T, res, src)
    _divide(T, src.numpy(), value, r.numpy())
    return r


def _cmul(T, res, src, other):
    r = _prep(T, res, src)
    _check_same_n(src, other)
    a = src.numpy()
    np.multiply(a, _view_as(other, src._size), out=a if r is src else r.numpy())
    return r


def _cdiv(T, res, src, other):
    r = _prep(T, res, src)
    _check_same_n(src, other)
    _divide(T, src.numpy(), _view_as(other, src._size), r.numpy(), "cdiv")
    return r


def _make_addc(combine):
    """addcmul/addcdiv: r = src + value * t1 (op) t2, evaluated left to right as Torch7 does."""
    def impl(T, res, src, value, t1, t2):
        r = _prep(T, res, src)
        if res is not None and r is not src and (t1.nElement() != src.nElement()
                                                 or t2.nElement() != src.nElement()):
            r.numpy()[...] = src.numpy()  # (r_ ~= t: resizeAs(r_, t), copy(r_, t) first)
        _check_apply3(("r_", "src1", "src2"), src, t1, t2)
        a1, a2 = _view_as(t1, src._size), _view_as(t2, src._size)
        if T.is_integer and T.dtype.itemsize < 4:
            # C promotes unsigned char/char/short to int: value * t1 / t2 does not wrap before
            # the sum is stored (a quotient of the wrapped product would differ)
            v = np.asarray(value).astype(T.dtype).astype(np.int32)
            p = _c_int_div(a1.astype(np.int32) * v, a2.astype(np.int32),
                           np.empty(a1.shape, np.int32), "addcdiv") if combine is _over \
                else a1.astype(np.int32) * v * a2.astype(np.int32)
            r.numpy()[...] = (src.numpy().astype(np.int32) + p).astype(T.dtype)
            return r
        p = combine(T, a1 * value, a2)
        np.add(src.numpy(), p, out=r.numpy())
        return r
    return impl


def _times(T, a, b):
    a *= b  # a is a temporary
    return a


def _over(T, a, b):
    return _divide(T, a, b, np.empty(a.shape, T.dtype), "addcdiv")


_addcmul = _make_addc(_times)
_addcdiv = _make_addc(_over)


def _fmod(T, res, src, value):
    r = _prep(T, res, src)
    if T.is_integer:
        _check_int_divisor("fmod", src.numpy(), value)
    with _quiet():
        np.fmod(src.numpy(), value, out=r.numpy())
    return r


def _remainder_arrays(a, b, out, integer, op):
    with _quiet():
        if integer:
            _check_int_divisor(op, a, b)
            np.remainder(a, b, out=out)
            if np.ndim(b) == 0 and b == 0 or np.ndim(b) and not np.all(b):
                out[...] = np.where(np.asarray(b) == 0, 0, out)
        else:
            # THTensorMath.c: t - v * floor(t / v): the quotient in real, then C's double
            # floor(), so the product and the difference are double (Float rounds once)
            b = np.asarray(b, dtype=out.dtype)
            f = np.floor(np.divide(a, b, dtype=out.dtype).astype(np.float64))
            r = a.astype(np.float64) - b.astype(np.float64) * f
            out[...] = np.where(b == 0, np.nan, r)
    return out


def _remainder(T, res, src, value):
    r = _prep(T, res, src)
    _remainder_arrays(src.numpy(), value, r.numpy(), T.is_integer, "remainder")
    return r


def _cfmod(T, res, src, other):
    r = _prep(T, res, src)
    _check_same_n(src, other)
    if T.is_integer:
        _check_int_divisor("cfmod", src.numpy(), _view_as(other, src._size))
    with _quiet():
        np.fmod(src.numpy(), _view_as(other, src._size), out=r.numpy())
    return r


def _cremainder(T, res, src, other):
    r = _prep(T, res, src)
    _check_same_n(src, other)
    _remainder_arrays(src.numpy(), _view_as(other, src._size), r.numpy(), T.is_integer,
                      "cremainder")
    return r


def _int_only(name):
    def check(T):
        if T.dtype.kind == "f":
            raise TorchError("%s is only supported for integer type tensors" % name)
    return check


def _make_bit(name, ufunc, tensor_arg):
    if tensor_arg:
        def impl(T, res, src, other):
            _int_only(name)(T)
            r = _prep(T, res, src)
            _check_same_n(src, other)
            ufunc(src.numpy(), _view_as(other, src._size).astype(T.dtype), out=r.numpy())
            return r
    else:
        def impl(T, res, src, value):
            _int_only(name)(T)
            r = _prep(T, res, src)
            ufunc(src.numpy(), value, out=r.numpy())
            return r
    return impl


def _c_shift(a, n, left, dtype):
    """TH's integer shift: ((unsigned real) x) << n (Byte: (real) x), in C's promoted type (int
    for 8/16/32-bit types, 64-bit for Long), the count taken as x86's shl/shr take it (modulo
    the width: TH's loops are scalar), the result cast back to real."""
    wide = np.uint64 if dtype.itemsize == 8 else np.uint32
    bits = 64 if dtype.itemsize == 8 else 32
    u = a.astype(np.dtype("u%d" % dtype.itemsize)).astype(wide)
    cnt = (np.asarray(n).astype(np.int64) & (bits - 1)).astype(wide)
    r = np.left_shift(u, cnt) if left else np.right_shift(u, cnt)
    return r.astype(dtype)


def _make_shift(float_op, left, tensor_arg):
    """lshift/rshift by a value, clshift/crshift by a tensor. A float (Float, Double) is
    multiplied (divided) by powf/pow(2, n) of libm, n not truncated; an integer shifts as
    _c_shift."""
    def impl(T, res, src, n):
        r = _prep(T, res, src)  # (TH resizes r_ as t before APPLY3's check)
        if tensor_arg:
            _check_same_n(src, n)
            n = _view_as(n, src._size)
        dt = T.dtype
        if dt.kind == "f":
            if tensor_arg:
                scale = np.empty(np.shape(n), dt)
                _libm2("rpow", np.asarray(n, dt), 2.0, scale, False)
            else:
                one = np.empty(1, dt)
                _libm2("rpow", np.array([n], dt), 2.0, one, False)
                scale = one[0]
            with _quiet():
                float_op(src.numpy(), scale, out=r.numpy())
        else:
            r.numpy()[...] = _c_shift(src.numpy(), n, left, dt)
        return r
    return impl


def _clamp(T, res, src, lo, hi):
    r = _prep(T, res, src)
    a = src.numpy()
    if lo <= hi:
        np.clip(a, lo, hi, out=r.numpy())
    else:
        r.numpy()[...] = np.where(a < lo, lo, np.where(a > hi, hi, a))
    return r


def _cpow(T, res, src, other):
    r = _prep(T, res, src)
    _check_same_n(src, other)
    o = _view_as(other, src._size)
    with _quiet():
        if T.is_integer:
            # C's double pow (libm's) of each element, cast back
            d = np.empty(src._size, np.float64)
            _libm2("pow", src.numpy().astype(np.float64), o.astype(np.float64), d, False)
            r.numpy()[...] = c_cast(d, T.dtype)
        else:  # C's double pow of each element (float ones too)
            _libm2("pow", src.numpy(), o, r.numpy(), True)
    return r


def _cminmax(pick_first):
    def impl_t(T, res, src, other):
        if src is None:  # t:cmax(x): cwrap's src defaults to the (new) result
            res = src = T() if res is None else res
        r = _prep(T, res, src)
        _check_same_n(src, other, ("r", "t", "src"))
        a = src.numpy()
        b = _view_as(other, src._size)
        # THMax(a, b) = a > b ? a : b; THMin(a, b) = a < b ? a : b (NaN-order kept)
        r.numpy()[...] = np.where(pick_first(a, b), a, b)
        return r

    def impl_v(T, res, src, value):
        r = _prep(T, res, src)
        a = src.numpy()
        r.numpy()[...] = np.where(pick_first(a, value), a, value)
        return r
    return impl_t, impl_v


_cmax_t, _cmax_v = _cminmax(np.greater)
_cmin_t, _cmin_v = _cminmax(np.less)

_define("add", [("R! S r", _fast_ew(0, _ordered(_add_value, "vec"))),
                ("R! S r=1 T", _fast_ew(3, _ordered(_cadd, "cadd")))])
_define("csub", [("R! S r", _ordered(_sub_value, "vec")),
                  ("R! S r=1 T", _ordered(_csub, "cadd"))])
_define("mul", [("R! S r", _fast_ew(1, _ordered(_mul, "vec")))])
_define("div", [("R! S r", _ordered(_div, "vec"))])
_define("cmul", [("R! S T", _fast_ew(2, _ordered(_cmul, "vec")))])
_define("cdiv", [("R! S T", _ordered(_cdiv, "vec"))])
_define("addcmul", [("R! S r=1 T T", _ordered(_addcmul, "addc"))])
_define("addcdiv", [("R! S r=1 T T", _ordered(_addcdiv, "addc"))])
_define("fmod", [("R! S r", _ordered(_fmod))])
_define("mod", [("R! S r", _ordered(_fmod))])
_define("remainder", [("R! S r", _ordered(_remainder))])
_define("cfmod", [("R! S T", _ordered(_cfmod))])
_define("cmod", [("R! S T", _ordered(_cfmod))])
_define("cremainder", [("R! S T", _ordered(_cremainder))])
def _fast_cpow(slow):
    """slow(T, res, src, other), but cpow of contiguous float or double tensors of one size in
    one call of _exact.libm2 (C's double pow of each pair) where the result is new, one of the
    operands or apart from them (as _ew_tensors)"""
    def impl(T, res, src, other):
        c = numerics._c
        if c is not None and T in _FAST_TYPES and type(other) is T and (
                other is src or other._size == src._size and _apart(other, src)):
            if res is None:
                res = _new(T, src._size)
            elif not (res is src or res is other or res._size == src._size and _apart(
                    res, src) and _apart(res, other)):
                return slow(T, res, src, other)
            a, b, r = src.numpy(), other.numpy(), res.numpy()
            if a.flags.c_contiguous and b.flags.c_contiguous and r.flags.c_contiguous:
                c.libm2("pow", a, b, r, 1 if T is DoubleTensor else 2)
                return res
        return slow(T, res, src, other)
    return impl


_define("cpow", [("R! S T", _fast_cpow(_ordered(_cpow)))])
_define("clamp", [("R! S r r", _ordered(_clamp))])
_define("cmax", [("R S T", _ordered(_cmax_t)), ("R S r", _ordered(_cmax_v))])
_define("cmin", [("R S T", _ordered(_cmin_t)), ("R S r", _ordered(_cmin_v))])
_define("lshift", [("R! S r", _ordered(_make_shift(np.multiply, True, False)))])
_define("rshift", [("R! S r", _ordered(_make_shift(np.divide, False, False)))])
_define("clshift", [("R! S T", _ordered(_make_shift(np.multiply, True, True)))])
_define("crshift", [("R! S T", _ordered(_make_shift(np.divide, False, True)))])
for _n, _u in (("bitand", np.bitwise_and), ("bitor", np.bitwise_or),
               ("bitxor", np.bitwise_xor)):
    _define(_n, [("R! S r", _ordered(_make_bit(_n, _u, False)))])
    _define("c" + _n, [("R! S T", _ordered(_make_bit("c" + _n, _u, True)))])


# --------------------------------------------------------------------------------------------
# unary math
# --------------------------------------------------------------------------------------------

def _round_half_away(a, out):
    t = np.trunc(a)
    d = a - t
    # C's round() keeps the argument's sign: round(-0.3) is -0 (t + 0 would make it +0)
    out[...] = np.copysign(t + np.where(np.abs(d) >= 0.5, np.sign(a), 0), a)
    return out


def _sign_arr(a, out):
    pos = a > 0
    neg = a < 0
    np.copyto(out, pos, casting="unsafe")
    np.subtract(out, neg, out=out, casting="unsafe")
    return out


def _sigmoid_arr(a, out):
    with _quiet():
        np.negative(a, out=out)
        np.exp(out, out=out)
        np.add(out, 1, out=out)
        np.divide(1, out, out=out)
    return out


def _unary_kernel(ufunc):
    def k(a, out):
        with _quiet():
            ufunc(a, out=out)
        return out
    return k


def _frac_arr(a, out):
    np.subtract(a, np.trunc(a), out=out)
    return out


def _rsqrt_arr(a, out):
    with _quiet():
        np.sqrt(a, out=out)
        np.divide(1, out, out=out)
    return out


def _cinv_arr(a, out):
    with _quiet():
        np.divide(1, a, out=out)
    return out


def _abs_arr(a, out):
    np.abs(a, out=out)
    return out


def _neg_arr(a, out):
    np.negative(a, out=out)
    return out


def _scalar_unary(kernel):
    def f(T, x):
        out = np.empty((), np.float64)
        kernel(np.float64(x), out)
        return float(out)
    return f


def _tensor_unary(kernel):
    """res = kernel(src), in TH's element order where res overlaps src (_ordered: one layer is
    enough)."""
    def f(T, res, src):
        r = _prep(T, res, src)
        a = src.numpy()
        ra = r.numpy()
        if r is src or not _overlaps(r, src):
            kernel(a, ra)
        else:
            ra[...] = kernel(a, np.empty(a.shape, a.dtype))
        return r
    return _ordered(f)


def _overlaps(r, s):
    return r._storage is s._storage and r._storage is not None


def _libm_kernel(name, fallback):
    """TH's CFUNC(*t_data) with libm's float or double function, element by element (the C
    extension); numpy's own float32 exp/log/sin/cos/tanh (and float64 tanh, and more on AVX-512
    CPUs) are SIMD code whose last bits differ. Without the extension: numpy."""
    def k(a, out):
        if getattr(numerics._c, "libm", None) is None or out.dtype not in (_F32, _F64):
            return fallback(a, out)  # (no extension, or one built before libm)
        src = np.ascontiguousarray(a, dtype=out.dtype)
        dst = out if out.flags.c_contiguous else np.empty(out.shape, out.dtype)
        numerics._c.libm(name, src.reshape(-1), dst.reshape(-1), out.dtype == _F32)
        if dst is not out:
            out[...] = dst
        return out
    return k


_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)


def libm(name, a, out):
    """out = TH's TH_MATH_NAME(name)(a) elementwise (exp, log, tanh, ... sigmoid): what a Lua
    module's `y:exp(x)` computes, for Python ports of such modules. Returns out."""
    return _LIBM[name](a, out)


_UNARY = {
    "log": np.log, "log1p": np.log1p, "exp": np.exp, "cos": np.cos, "acos": np.arccos,
    "cosh": np.cosh, "sin": np.sin, "asin": np.arcsin, "sinh": np.sinh, "tan": np.tan,
    "atan": np.arctan, "tanh": np.tanh, "sqrt": np.sqrt, "ceil": np.ceil, "floor": np.floor,
    "trunc": np.trunc,
}
_EXACT_UNARY = ("sqrt", "ceil", "floor", "trunc")  # correctly rounded or exact: numpy's bits
_LIBM = {}
for _n, _u in _UNARY.items():
    _k = _unary_kernel(_u)
    if _n in _EXACT_UNARY:
        _define(_n, [("R! S", _tensor_unary(_k)), ("r", _scalar_unary(_k))],
                types=_FLOAT_TYPES)
        continue
    _k = _LIBM[_n] = _libm_kernel(_n, _k)
    _define(_n, [("R! S", _fast_unary(_n, _tensor_unary(_k))), ("r", _scalar_unary(_k))],
            types=_FLOAT_TYPES)
for _n, _k in (("round", _round_half_away), ("frac", _frac_arr), ("rsqrt", _rsqrt_arr),
               ("sigmoid", _libm_kernel("sigmoid", _sigmoid_arr))):
    _t = _tensor_unary(_k)
    if _n == "sigmoid":
        _LIBM[_n] = _k
        _t = _fast_unary(_n, _t)
    _define(_n, [("R! S", _t), ("r", _scalar_unary(_k))], types=_FLOAT_TYPES)
_define("neg", [("R! S", _tensor_unary(_neg_arr))], types=_FLOAT_TYPES)
_define("cinv", [("R! S", _tensor_unary(_cinv_arr))], types=_FLOAT_TYPES)


def _abs_scalar(T, x):
    return _pyreal(T, _babs(x)) if T.dtype.kind == "f" else int(_babs(int(x)))


_define("abs", [("R! S", _tensor_unary(_abs_arr)), ("r", _abs_scalar)],
        types=(IntTensor, LongTensor, FloatTensor, DoubleTensor))
_define("sign", [("R! S", _tensor_unary(_sign_arr))])


def _libm2(name, a, b, out, double):
    """libm's pow / atan2 elementwise (b an array or a number), in the tensor's type or, where
    TH calls C's double function on float elements (double), in double."""
    dt = out.dtype
    if getattr(numerics._c, "libm2", None) is None or dt not in (_F32, _F64):
        with _quiet():
            if name == "atan2":
                r = np.arctan2(a, b, dtype=np.float64 if double else dt)
            elif name == "pow":
                r = np.power(a, b, dtype=np.float64 if double else dt)
            else:
                r = np.power(b, a, dtype=np.float64 if double else dt)
        out[...] = r
        return out
    src = np.ascontiguousarray(a, dtype=dt).reshape(-1)
    if not isinstance(b, (int, float)):
        b = np.ascontiguousarray(np.broadcast_to(b, a.shape), dtype=dt).reshape(-1)
    dst = out if out.flags.c_contiguous else np.empty(out.shape, dt)
    numerics._c.libm2(name, src, b, dst.reshape(-1), 1 if dt == _F64 else (2 if double else 0))
    if dst is not out:
        out[...] = dst
    return out


def libm2(name, a, b, out, double=False):
    """out = libm's pow(a, b) ('pow'), pow(b, a) ('rpow') or atan2(a, b) elementwise, b an
    array or a number: powf / atan2f in out's type for float32 (TH_MATH_NAME), or C's double
    function of float elements where double is true. Returns out."""
    return _libm2(name, a, b, out, double)


def dlibm(name, a):
    """C's double function name (exp, log, log1p, tanh, ...; libm's, not numpy's) of each
    element of a, as a new float64 array: THNN's `exp(x)` of a real x. Returns the array."""
    a = np.asarray(a)
    return _LIBM[name](a, np.empty(a.shape, np.float64))


def _pow(T, res, src, value):
    r = _prep(T, res, src)
    th_pow(src.numpy(), value, r.numpy())
    return r


def th_pow(a, value, out):
    """THTensor_(pow) on arrays (out = a ^ value in out's type): exponents 1, 2, 3, 0.5, -0.5,
    -1, -2 are products, sqrt and quotients in real; the others libm's powf/pow of each
    element. For the Python ports of Lua modules that call `t:pow(p)`. Returns out."""
    dt = out.dtype.type
    with _quiet():
        if value == 1:
            out[...] = a
        elif value == 2:
            np.multiply(a, a, out=out)
        elif value == 3:
            out[...] = (a * a) * a
        elif value == 0.5:
            np.sqrt(a, out=out)
        elif value == -0.5:
            out[...] = dt(1) / np.sqrt(a)
        elif value == -1:
            out[...] = dt(1) / a
        elif value == -2:
            out[...] = dt(1) / (a * a)
        else:
            _libm2("pow", a, float(dt(value)), out, False)
    return out


def _tpow(T, res, value, src):
    # THTensor_(tpow): C's double pow(value, x) on each element
    r = _prep(T, res, src)
    dt = T.dtype.type
    _libm2("rpow", src.numpy(), float(dt(value)), r.numpy(), True)
    return r


def _pow_scalar(T, a, b):
    out = np.empty(1, np.float64)  # libm's double pow (math.pow raises where C gives NaN/inf)
    with _quiet():
        _libm2("pow", np.array([a], np.float64), np.array([b], np.float64), out, False)
    return float(out[0])


def _fast_pow(slow):
    """slow(T, res, src, value), but pow(t, value) by libm for an exponent TH does not turn
    into other operations in one call of _exact.libm2 where the result is new, the source
    itself or apart from it, and the source is a contiguous float or double tensor"""
    def impl(T, res, src, value):
        c = numerics._c
        if c is not None and T in _FAST_TYPES and value not in (1, 2, 3, 0.5, -0.5, -1, -2):
            a = src.numpy()
            if a.flags.c_contiguous:
                if res is None:
                    res = _new(T, src._size)
                elif not (res is src or res._size == src._size and _apart(res, src)):
                    return slow(T, res, src, value)
                r = res.numpy()
                if r.flags.c_contiguous:
                    c.libm2("pow", a, float(T.dtype.type(value)), r,
                            1 if T is DoubleTensor else 0)
                    return res
        return slow(T, res, src, value)
    return impl


# THTensor_(pow): value 1 is copy, 2 is cmul(r_, t, t) (THVector blocks), others one loop
_pow_o = _fast_pow(_ordered(_pow, lambda args: "vec" if args[1] in (1, 2) else None))
_define("pow", [("R! S r", _pow_o), ("R! r S", _ordered(_tpow)), ("r r", _pow_scalar)],
        types=_FLOAT_TYPES)


def _atan2(T, res, src, other):
    r = _prep(T, res, src)
    _check_same_n(src, other, ("r_", "tx", "ty"))
    _libm2("atan2", src.numpy(), _view_as(other, src._size), r.numpy(), False)
    return r


_define("atan2", [("R! S T", _ordered(_atan2)), ("r r", lambda T, a, b: math.atan2(a, b))],
        types=_FLOAT_TYPES)


def _lerp(T, res, src, end, weight):
    # THTensor_(lerp): THArgCheck(nElement(a) == nElement(b), 2, ...) before its APPLY3
    if src.nElement() != end.nElement():
        raise TorchError(messages.bad_argument(2, "sizes do not match"))
    r = _prep(T, res, src)
    a = src.numpy()
    r.numpy()[...] = a + weight * (_view_as(end, src._size) - a)
    return r


_define("lerp", [("R! S T r", _ordered(_lerp)),
                 ("r r r", lambda T, a, b, w: float(a + w * (b - a)))],
        types=_FLOAT_TYPES)
