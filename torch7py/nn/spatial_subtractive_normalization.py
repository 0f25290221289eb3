"""nn.SpatialSubtractiveNormalization: port of torch/nn SpatialSubtractiveNormalization.lua (each
pixel minus its kernel-weighted local mean over all planes; built from nn modules as in Torch7)."""

from ..tensor import TorchError
from ._kernels import new_tensor
from .module import Module


def check_kernel(name, kernel):
    kdim = kernel.dim()
    if kdim not in (1, 2):
        raise TorchError('<%s> averaging kernel must be 2D or 1D' % name)
    if kernel.size(1) % 2 == 0 or (kdim == 2 and kernel.size(2) % 2 == 0):
        raise TorchError('<%s> averaging kernel must have ODD dimensions' % name)
    return kdim


def local_estimator(nInputPlane, kernel, kdim, square=False, sqrt=False):
    """Torch7's mean (or std) estimator: [Square], zero padding, the kernel over every plane
    summed into one plane, replicated back to nInputPlane planes, [Sqrt]."""
    from . import (Replicate, Sequential, SpatialConvolution, SpatialConvolutionMap,
                   SpatialZeroPadding, Sqrt, Square, tables)
    padH = kernel.size(1) // 2
    padW = kernel.size(2) // 2 if kdim == 2 else padH
    seq = Sequential()
    if square:
        seq.add(Square())
    seq.add(SpatialZeroPadding(padW, padW, padH, padH))
    if kdim == 2:
        seq.add(SpatialConvolution(nInputPlane, 1, kernel.size(2), kernel.size(1)))
    else:
        # a 1D kernel: along rows plane by plane, then along columns summing the planes
        seq.add(SpatialConvolutionMap(tables.oneToOne(nInputPlane), kernel.size(1), 1))
        seq.add(SpatialConvolution(nInputPlane, 1, 1, kernel.size(1)))
    seq.add(Replicate(nInputPlane, 1, 3))
    if sqrt:
        seq.add(Sqrt())
    return seq


def set_kernel(est, kernel, kdim):
    """Copies the (normalised) kernel into the estimator's convolutions, biases zero."""
    convs = [m for m in est.modules if m.typename in ('nn.SpatialConvolution',
                                                      'nn.SpatialConvolutionMap')]
    if kdim == 2:
        w = convs[0].weight
        for i in range(1, w.size(2) + 1):
            w.select(1, 1).select(1, i).copy(kernel)
    else:
        rows, cols = convs
        for i in range(1, rows.weight.size(1) + 1):
            rows.weight.select(1, i).copy(kernel.view(1, kernel.size(1)))
        for i in range(1, rows.weight.size(1) + 1):
            cols.weight.select(1, 1).select(1, i).copy(kernel.view(kernel.size(1), 1))
    for c in convs:
        c.bias.zero()


def side_coef(m, input, estimator, like):
    """The estimator's answer on ones: the share of the kernel inside the image at each pixel
    (one image's worth, expanded over a batch)."""
    d = m.__dict__
    dim = input.dim()
    coef = d.get('coef')
    if coef is not None and coef.dim() == like.dim() and \
            tuple(coef._size[-2:]) == tuple(input._size[-2:]) and \
            (dim == 3 or coef.size(1) == input.size(1)):
        return
    if d.get('ones') is None:
        m.ones = input.new()
    if d.get('_coef') is None:
        m._coef = input.new()
    one = input.select(1, 1) if dim == 4 else input
    m.ones.resizeAs(one).fill(1)
    c = estimator.updateOutput(m.ones)
    m._coef.resizeAs(c).copy(c)
    if dim == 4:
        m.coef = m._coef.view(1, *m._coef._size).expand(input.size(1), *m._coef._size)
    else:
        m.coef = m._coef


class SpatialSubtractiveNormalization(Module):

    def __init__(self, nInputPlane=None, kernel=None):
        super().__init__()
        from . import CDivTable, CSubTable
        self.nInputPlane = nInputPlane or 1
        self.kernel = kernel if kernel is not None else new_tensor(9, 9).fill(1)
        kdim = check_kernel('SpatialSubtractiveNormalization', self.kernel)
        # Torch7 normalises the caller's kernel tensor in place
        self.kernel.div(self.kernel.sum() * self.nInputPlane)
        self.meanestimator = local_estimator(self.nInputPlane, self.kernel, kdim)
        set_kernel(self.meanestimator, self.kernel, kdim)
        self.subtractor = CSubTable()
        self.divider = CDivTable()
        self.coef = new_tensor(1, 1, 1)

    def _check(self, input):
        if input.dim() not in (3, 4):
            raise TorchError('3D or 4D (batch mode) tensor expected for input, but got: %dD'
                             % input.dim())

    def updateOutput(self, input):
        self._check(input)
        side_coef(self, input, self.meanestimator, input)
        self.localsums = self.meanestimator.updateOutput(input)
        self.adjustedsums = self.divider.updateOutput([self.localsums, self.coef])
        self.output = self.subtractor.updateOutput([input, self.adjustedsums])
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input).zero()
        gradsub = self.subtractor.updateGradInput([input, self.adjustedsums], gradOutput)
        graddiv = self.divider.updateGradInput([self.localsums, self.coef], gradsub[1])
        self.gradInput.add(self.meanestimator.updateGradInput(input, graddiv[0]))
        self.gradInput.add(gradsub[0])
        return self.gradInput


