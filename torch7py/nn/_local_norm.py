"""The local estimators shared by SpatialSubtractive/DivisiveNormalization: zero padding, then a
convolution with the (normalised) kernel summed over planes, replicated back to every plane."""
from ..messages import at_lua
from ..tensor import TorchError
from ._kernels import arr, new_tensor
from .replicate import Replicate
from .sequential import Sequential
from .spatial_convolution import SpatialConvolution
from .spatial_convolution_map import SpatialConvolutionMap
from .spatial_zero_padding import SpatialZeroPadding
from . import tables


def init_local_norm(m, nInputPlane, kernel, name):
    """The nInputPlane and kernel fields (a 9x9 kernel of ones by default), the kernel checked."""
    m.nInputPlane = nInputPlane or 1
    m.kernel = kernel if kernel is not None else new_tensor(9, 9).fill(1)
    check_kernel(m.kernel, name)


def init_thresholds(m, threshold, thresval):
    """The threshold (1e-4 by default) and thresval (the threshold by default) fields."""
    m.threshold = 1e-4 if threshold is None else threshold
    m.thresval = thresval if thresval is not None else m.threshold


# the lines of each constructor's two kernel errors in its .lua
_KERNEL_LINES = {'SpatialContrastiveNormalization': (15, 18),
                 'SpatialDivisiveNormalization': (15, 18),
                 'SpatialSubtractiveNormalization': (13, 16)}


def check_kernel(kernel, name):
    kdim = kernel.dim()
    lines = _KERNEL_LINES[name]
    if kdim not in (1, 2):
        raise at_lua(TorchError('<%s> averaging kernel must be 2D or 1D' % name),
                     'nn/%s.lua:%d' % (name, lines[0]))
    if kernel.size(1) % 2 == 0 or (kdim == 2 and kernel.size(2) % 2 == 0):
        raise at_lua(TorchError('<%s> averaging kernel must have ODD dimensions' % name),
                     'nn/%s.lua:%d' % (name, lines[1]))
    return kdim


def estimator(nInputPlane, kernel, pre=None):
    """Sequential: [pre], padding, convolution(s) with the kernel, Replicate over planes.
    Returns it and the index of its first convolution."""
    kdim = kernel.dim()
    padH = kernel.size(1) // 2
    padW = kernel.size(2) // 2 if kdim == 2 else padH
    seq = Sequential()
    if pre is not None:
        seq.add(pre)
    seq.add(SpatialZeroPadding(padW, padW, padH, padH))
    first = len(seq.modules)
    k = arr(kernel)
    if kdim == 2:
        conv = SpatialConvolution(nInputPlane, 1, kernel.size(2), kernel.size(1))
        arr(conv.weight)[0] = k[None]
        conv.bias.zero()
        seq.add(conv)
    else:
        cm = SpatialConvolutionMap(tables.oneToOne(nInputPlane), kernel.size(1), 1)
        arr(cm.weight)[...] = k.reshape(1, 1, -1)
        cm.bias.zero()
        conv = SpatialConvolution(nInputPlane, 1, 1, kernel.size(1))
        arr(conv.weight)[0] = k.reshape(1, -1, 1)
        conv.bias.zero()
        seq.add(cm)
        seq.add(conv)
    seq.add(Replicate(nInputPlane, 1, 3))
    return seq, first
