"""Shared helpers of the criterions of the full nn."""
import numpy as np

from .. import tensor as _tensor
from ._kernels import arr


def target_array(target, n=None):
    """A target given as a number or a tensor, as a 1-D int64 array."""
    if isinstance(target, _tensor.Tensor):
        return np.asarray(arr(target)).astype(np.int64).reshape(-1)
    return np.array([int(target)], dtype=np.int64)


def values(target, like=None):
    """A target given as a number or a tensor, as a float array (input-shaped if like)."""
    if isinstance(target, _tensor.Tensor):
        a = np.asarray(arr(target), dtype=np.float64)
    else:
        a = np.array([float(target)])
    if like is not None:
        a = a.reshape(like.shape)
    return a
