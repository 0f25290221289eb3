"""nn.MV: port of torch/nn MV.lua (matrix-vector product of a pair, optionally transposed, or
batched)."""
from . import _lua
from .module import Module
from ..messages import at_lua
from .utils import TorchAssertionError


def _assert(ok, msg):
    if not ok:
        raise TorchAssertionError(msg)


def _pair(input, text):
    """MV.lua's assert(#input == 2, text) and unpack(input)."""
    n = _lua.length(input, "local 'input'")
    _assert(type(n) is int and n == 2, text)
    return _lua.unpack(input)[:2]


class MV(Module):
    """MV.lua's tensor operations (mv, bmm, ger) and asserts; as in MV.lua, a non-batch
    gradInput[2] is a new tensor (M:t() * gradOutput) at each call."""

    def __init__(self, trans=False):
        super().__init__()
        self.trans = trans or False
        _assert(isinstance(self.trans, bool),
                'argument must be a boolean, matrix transpose before multiplication')
        self.gradInput = [self.output.new(), self.output.new()]

    def updateOutput(self, input):
        M, v = _pair(input, 'input must be a pair of minibatch matrices')
        _assert(_lua.mcall(M, 'nDimension', what="local 'M'") in (2, 3),
                'input matrix must be 2D or 3D')
        _assert(_lua.mcall(v, 'nDimension', what="local 'v'") in (1, 2),
                'input vector must be 1D or 2D')
        if M.nDimension() == 2:
            _assert(v.nDimension() == 1, 'vector must be 1D')
            if self.trans:
                M = M.transpose(1, 2)
            _assert(M.size(2) == v.size(1), 'matrix row count and vector length do not match')
            self.output.resize(M.size(1))
            self.output.mv(M, v)
        else:
            _assert(v.nDimension() == 2, 'vector must be 2D (batch dimension)')
            _assert(M.size(1) == v.size(1), 'inputs must contain the same number of minibatches')
            if self.trans:
                M = M.transpose(2, 3)
            if M.size(3) != v.size(2):  # (the table's line for this text is 29's)
                raise at_lua(TorchAssertionError('matrix row count and vector length do not '
                                                 'match'), 'nn/MV.lua:38')
            self.output.resize(M.size(1), M.size(2), 1)
            self.output.bmm(M, v.view(v.size(1), v.size(2), 1)).resize(M.size(1), M.size(2))
        return self.output

    def updateGradInput(self, input, gradOutput):
        M, v = _pair(input, 'input must be a pair of tensors')
        gi = self.gradInput
        _lua.mcall(gi[0], 'resizeAs', M)
        _lua.mcall(gi[1], 'resizeAs', v)
        _assert(_lua.mcall(gradOutput, 'nDimension', what="local 'gradOutput'") in (1, 2),
                'arguments must be a 1D or 2D Tensor')
        if gradOutput.nDimension() == 2:
            _assert(M.nDimension() == 3, 'matrix must must be 3D (batched)')
            _assert(v.nDimension() == 2, 'vector must be 2D (batched)')
            bdim, odim, idim = M.size(1), M.size(2), M.size(3)
            if self.trans:
                gi[0].bmm(v.view(bdim, odim, 1), gradOutput.view(bdim, 1, idim))
                gi[1].view(bdim, odim, 1).bmm(M, gradOutput.view(bdim, idim, 1))
            else:
                gi[0].bmm(gradOutput.view(bdim, odim, 1), v.view(bdim, 1, idim))
                gi[1].view(bdim, idim, 1).bmm(M.transpose(2, 3), gradOutput.view(bdim, odim, 1))
        else:
            _assert(M.nDimension() == 2, 'matrix must be 2D')
            _assert(v.nDimension() == 1, 'vector must be 1D')
            if self.trans:
                gi[0].ger(v, gradOutput)
                gi[1] = M * gradOutput
            else:
                gi[0].ger(gradOutput, v)
                gi[1] = M.t() * gradOutput
        return self.gradInput
