"""Shared kernel of the spatial padding layers: an output pixel copies input pixel
(rows[i], cols[j]); the gradient sums back through the same map (one-hot matrix products)."""
import numpy as np

from ..tensor import TorchError
from ._kernels import arr, out_like, sizes_str


def check_input(input):
    if input.dim() not in (3, 4):
        raise TorchError('input must be 3 or 4-dimensional')


def gather(input, output, rows, cols, pads=None, mode=None):
    """output = input at (rows, cols); with ``pads`` (l, r, t, b) and a numpy pad ``mode`` that
    computes the same map, through np.pad (faster than fancy indexing)."""
    x = arr(input)
    shape = x.shape[:-2] + (rows.size, cols.size)
    y = out_like(output, shape)
    if mode is not None:
        l, r, t, b = pads
        y[...] = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(t, b), (l, r)], mode=mode)
    else:
        y[...] = x[..., rows[:, None], cols[None, :]]


def scatter(input, gradOutput, gradInput, rows, cols):
    x = arr(input)
    H, W = x.shape[-2:]
    want = x.shape[:-2] + (rows.size, cols.size)
    if tuple(gradOutput._size) != want:
        raise TorchError('gradOutput sizes are not as expected: %s instead of %s'
                         % (sizes_str(gradOutput._size), sizes_str(want)))
    ph = np.zeros((rows.size, H), dtype=x.dtype)
    ph[np.arange(rows.size), rows] = 1
    pw = np.zeros((cols.size, W), dtype=x.dtype)
    pw[np.arange(cols.size), cols] = 1
    gi = out_like(gradInput, x.shape)
    np.matmul(np.matmul(ph.T, arr(gradOutput)), pw, out=gi)
