"""THNN's fractional max pooling: pseudo-random window starts from one uniform sample per plane
and axis (generateIntervals), then a max over each window."""
import numpy as np

from ..tensor import TorchError
from ._kernels import window_max


def intervals(samples, inputSize, outputSize, poolSize, dtype=np.float64):
    """THNN generateIntervals for every sample (any shape): the window starts, shape
    samples.shape + (outputSize,), computed in the tensor's precision as THNN's real arithmetic
    is (alpha and (i + sample) * alpha in float for a FloatTensor)."""
    dtype = np.dtype(dtype)
    samples = np.asarray(samples, dtype=dtype)
    seq = np.empty(samples.shape + (outputSize,), dtype=np.int64)
    if outputSize > 1:
        alpha = dtype.type(inputSize - poolSize) / dtype.type(outputSize - 1)
        i = np.arange(outputSize - 1, dtype=dtype)
        a = ((i + samples[..., None]) * alpha).astype(np.int64)
        seq[..., :-1] = a - (samples * alpha).astype(np.int64)[..., None]
    seq[..., -1] = inputSize - poolSize
    return seq


def fractional_window_max(win):
    """THNN's fractional max over the last axis (see window_max), which asserts that every
    window holds a maximum."""
    if win.ndim == 2 and win.shape[0]:
        # numpy's argmax is the first maximum too when no window holds a NaN (argmax stops at
        # a NaN, so its value tells) and every maximum exceeds -THInf
        k = win.argmax(axis=1)
        vals = win[np.arange(win.shape[0]), k]
        if not np.isnan(vals).any() and (vals > -np.finfo(vals.dtype).max).all():
            return k, vals
    k, vals = window_max(win)
    if (k < 0).any():
        raise TorchError("Assertion `maxVal != -THInf' failed. ")
    return k, vals


def gather_max(x, starts, pools):
    """x (N, C, *S); starts list of (N, C, o_i); pools list of k_i. Returns the values and the
    1-based flat index into each plane of the first maximum of every window."""
    N, C = x.shape[:2]
    S = x.shape[2:]
    nd = len(S)
    outs = [s.shape[2] for s in starts]
    idx = []
    for a in range(nd):
        pos = starts[a][..., :, None] + np.arange(pools[a])            # (N, C, o_a, k_a)
        shape = [N, C] + [1] * (2 * nd)
        shape[2 + a] = outs[a]
        shape[2 + nd + a] = pools[a]
        idx.append(pos.reshape(shape))
    flat = idx[0]
    for a in range(1, nd):
        flat = flat * S[a] + idx[a]
    plane = x.reshape(N, C, -1)
    fi = np.broadcast_to(flat, (N, C) + tuple(outs) + tuple(pools)).reshape(N, C, -1)
    vals = np.take_along_axis(plane, fi, axis=2).reshape((N, C) + tuple(outs) + (-1,))
    k, best = fractional_window_max(vals)
    fi = fi.reshape((N, C) + tuple(outs) + (-1,))
    pos = np.take_along_axis(fi, k[..., None], axis=-1)[..., 0]
    return best, pos + 1
