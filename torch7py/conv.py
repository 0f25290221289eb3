"""Torch7's conv2/xcorr2/conv3/xcorr3 (THTensorConv.c), valid ('V') and full ('F')."""
import numpy as np

from . import numerics
from .messages import bad_argument
from .tensor import TorchError
from .tensor_math import _ALL_TYPES, _define, _DimError, _new
from .storage import c_cast


def _windows_slices(kshape, oshape, full=False, width=0):
    """The kernel taps in the order THTensorConv.c adds them to an output element: row-major,
    except a full 2-D correlation of rows of 4 or more (its vectorised path scatters each
    input row with the kernel's columns last to first)."""
    taps = np.ndindex(*kshape)
    if full and len(kshape) == 2 and width >= 4:
        taps = ((a, b) for a in range(kshape[0]) for b in range(kshape[1] - 1, -1, -1))
    for tap in taps:
        yield tap, tuple(slice(t, t + o) for t, o in zip(tap, oshape))


def _prepare(x, kshape, full):
    """Zero-pad x for a full correlation (kernel - 1 on each side of every spatial axis)."""
    if not full:
        return x
    nsp = len(kshape)
    pad = [(0, 0)] * (x.ndim - nsp) + [(s - 1, s - 1) for s in kshape]
    return np.pad(x, pad)


def _acc_dtype(dt):
    return dt if dt.kind == "f" else np.dtype(np.int64)


def _simd_2d(x, kshape, full):
    """THTensorConv.c's 2-D loops take their vectorised branch (column stride 1 here): valid
    ones (validXCorr2Dptr, validConv2Dptr) for output rows of 4 or more, full ones
    (fullXCorr2Dptr, fullConv2Dptr) for input rows of 4 or more (x unpadded). There each
    kernel tap adds a row with THVector_(cadd), whose AVX2 kernel (and its tail, built with
    -mfma) fuses the multiply-add: one rounding per tap, for float types."""
    if len(kshape) != 2 or x.dtype.kind != "f":
        return False
    if full:
        return x.shape[-1] >= 4
    return x.shape[-1] - kshape[-1] + 1 >= 4


def _xcorr_mul(x, k, full, conv=False):
    """One plane with one kernel: (*S) x (*K) -> (*O)."""
    if conv:
        # THTensorConv.c's conv loops are its xcorr loops reading the kernel backwards: the
        # same products summed in the same order, so conv2(x, k) == xcorr2(x, flip(k)) exactly
        k = np.flip(k)
    width = x.shape[-1]
    simd = _simd_2d(x, k.shape, full)
    x = _prepare(x, k.shape, full)
    osh = tuple(s - t + 1 for s, t in zip(x.shape, k.shape))
    acc = _acc_dtype(x.dtype)
    out = np.zeros(osh, acc)
    for tap, sl in _windows_slices(k.shape, osh, full, width):
        if simd:
            numerics.fma(x[sl], k[tap], out, out=out)
        else:
            out += k[tap].astype(acc) * x[sl]
    return out


def _xcorr_cmul(x, k, full):
    """Plane p of x with kernel p: (P, *S) x (P, *K) -> (P, *O)."""
    nsp = k.ndim - 1
    width = x.shape[-1]
    simd = _simd_2d(x, k.shape[1:], full)
    x = _prepare(x, k.shape[1:], full)
    osh = tuple(s - t + 1 for s, t in zip(x.shape[1:], k.shape[1:]))
    acc = _acc_dtype(x.dtype)
    out = np.zeros((x.shape[0],) + osh, acc)
    expand = (slice(None),) + (None,) * nsp
    for tap, sl in _windows_slices(k.shape[1:], osh, full, width):
        if simd:
            numerics.fma(x[(slice(None),) + sl], k[(slice(None),) + tap][expand], out, out=out)
        else:
            out += k[(slice(None),) + tap].astype(acc)[expand] * x[(slice(None),) + sl]
    return out


def _xcorr_mv(x, k, full):
    """Sum over input planes: (Pin, *S) x (Pout, Pin, *K) -> (Pout, *O); one GEMM per tap."""
    width = x.shape[-1]
    simd = _simd_2d(x, k.shape[2:], full)
    x = _prepare(x, k.shape[2:], full)
    osh = tuple(s - t + 1 for s, t in zip(x.shape[1:], k.shape[2:]))
    acc = _acc_dtype(x.dtype)
    pin = x.shape[0]
    if x.dtype.kind == "f" and len(osh) in (2, 3):
        # THTensor_(conv2Dmv)/(conv3Dmv): for each output plane, input plane after input
        # plane, one loop each (all of its taps before the next input plane): the vectorised
        # branch's fused tap adds; the plain valid loops' sum of the taps added to the
        # output; the plain full loops (full*Ptr) scatter each input element's products
        # into the output directly, in input order (the taps in order for each output)
        out = np.zeros((k.shape[0],) + osh, acc)
        direct = simd or full
        for i in range(pin):
            part = out if direct else np.zeros_like(out)
            for tap, sl in _windows_slices(k.shape[2:], osh, full, width):
                w = k[(slice(None), i) + tap][(slice(None),) + (None,) * len(osh)]
                if simd:
                    numerics.fma(x[(i,) + sl][None], w, out, out=out)
                else:
                    part += w * x[(i,) + sl][None]
            if not direct:
                out += part
        return out
    out = np.zeros((k.shape[0], int(np.prod(osh))), acc)
    for tap, sl in _windows_slices(k.shape[2:], osh, full, width):
        w = k[(slice(None), slice(None)) + tap].astype(acc, copy=False)
        win = x[(slice(None),) + sl].reshape(pin, -1).astype(acc, copy=False)
        out += w @ win
    return out.reshape((k.shape[0],) + osh)


# THTensorConv.c's texts, by dimensions and form
_SMALLER = {(2, "mul"): "conv2Dmul : Input image is smaller than kernel",
            (2, "cmul"): "conv2Dcmul : Input image is smaller than kernel",
            (2, "mv"): "conv2Dmv : Input image is smaller than kernel",
            (3, "mul"): "conv3Dmul : Input image is smaller than kernel",
            (3, "cmul"): "conv3Dcmul : Input image is smaller than kernel",
            (3, "mv"): "conv3Dmv : Input image is smaller than kernel"}


def _make(nsp, conv, name):
    def impl(T, res, inp, ker, vf):
        di, dk = inp.dim(), ker.dim()
        if (di, dk) == (nsp, nsp):
            kind = "mul"
        elif (di, dk) == (nsp + 1, nsp + 1):
            kind = "cmul"
        elif (di, dk) == (nsp + 1, nsp + 2):
            kind = "mv"
        else:  # no cwrap form has these dimensions: its "invalid arguments"
            raise _DimError(name)
        x = inp.numpy()
        k = ker.numpy()
        sp_in = x.shape[-nsp:]
        sp_k = k.shape[-nsp:]
        full = vf == "F"
        # THTensor_(conv2Dmul/cmul/mv) and conv3D*'s checks, in their order (TH's argument #2)
        if kind == "cmul" and x.shape[0] != k.shape[0]:
            raise TorchError(bad_argument(2, "invalid number of input/kernel planes"))
        if kind == "mv" and x.shape[0] != k.shape[1]:
            raise TorchError(bad_argument(2, "invalid number of input planes"))
        if not full and any(a < b for a, b in zip(sp_in, sp_k)):
            raise TorchError(bad_argument(2, _SMALLER[nsp, kind]))
        if kind == "mul":
            out = _xcorr_mul(x, k, full, conv)
        else:
            if conv:  # a true convolution is a correlation with the flipped kernel
                k = np.flip(k, axis=tuple(range(k.ndim - nsp, k.ndim)))
            f = _xcorr_cmul if kind == "cmul" else _xcorr_mv
            out = f(x, k, full)
        if res is None and out.dtype == T.dtype and out.flags.c_contiguous:
            # a fresh result array becomes the new tensor's storage (no copy)
            return T._make(T.storage_class._wrap(out.reshape(-1)), 0, out.shape,
                           tuple(st // out.itemsize for st in out.strides))
        r = _new(T, out.shape) if res is None else res._resize_nd(list(out.shape))
        if res is not None and not r.isContiguous() and r.nElement() > 0:
            # THTensor_(conv2Dmul)... zero r_ (through its strides), then the C loop adds the
            # result into THTensor_(data)(r_) as a contiguous block: a given result that is
            # a non-contiguous view (a transpose) holds it in memory order. Past the end of
            # the storage (an expanded view) TH writes memory it does not own: not imitated.
            flat = r._storage._data
            n = out.size
            if r._offset + n <= flat.shape[0]:
                r.numpy()[...] = 0
                blk = flat[r._offset:r._offset + n]
                src = out.reshape(-1)
                blk[...] = blk + (src if src.dtype == T.dtype else c_cast(src, T.dtype))
                return r
        r.numpy()[...] = out if out.dtype == T.dtype else c_cast(out, T.dtype)
        return r
    return impl


for _name, _nsp, _conv in (("conv2", 2, True), ("xcorr2", 2, False), ("conv3", 3, True),
                           ("xcorr3", 3, False)):
    _impl = _make(_nsp, _conv, _name)
    _define(_name, [("R T~%d T~%d c=V:VF" % d, _impl)
                    for d in ((_nsp, _nsp), (_nsp + 1, _nsp + 1), (_nsp + 1, _nsp + 2))],
            types=_ALL_TYPES)
