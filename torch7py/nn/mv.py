"""nn.MV: port of torch/nn MV.lua (matrix-vector product of a pair, optionally transposed, or
batched)."""
import numpy as np

from ._kernels import arr, out_like
from ._table import grad_list
from ..tensor import TorchError
from .module import Module


class MV(Module):

    def __init__(self, trans=False):
        super().__init__()
        self.trans = trans
        self.gradInput = [self.output.new(), self.output.new()]

    def _ops(self, input):
        if not isinstance(input, (list, tuple)) or len(input) != 2:
            raise TorchError('input must be a pair of minibatch matrices')
        M, v = input
        if M.dim() == 2:
            if v.dim() != 1:
                raise TorchError('vector must be 1D')
        elif M.dim() == 3:
            if v.dim() != 2:
                raise TorchError('vector must be 2D (batch dimension)')
            if M.size(1) != v.size(1):
                raise TorchError('inputs must contain the same number of minibatches')
        else:
            raise TorchError('input must be 2D or 3D')
        A = arr(M)
        if self.trans:
            A = np.swapaxes(A, -1, -2)
        x = arr(v)
        if A.shape[-1] != x.shape[-1]:
            raise TorchError('matrix and vector sizes do not match')
        return A, x

    def updateOutput(self, input):
        A, x = self._ops(input)
        y = out_like(self.output, A.shape[:-1])
        y[...] = np.matmul(A, x[..., None])[..., 0]
        return self.output

    def updateGradInput(self, input, gradOutput):
        A, x = self._ops(input)
        go = arr(gradOutput)
        gi = grad_list(self, 2, input[0])
        gA = go[..., :, None] * x[..., None, :]
        gm = out_like(gi[0], input[0]._size)
        gm[...] = np.swapaxes(gA, -1, -2) if self.trans else gA
        gv = out_like(gi[1], input[1]._size)
        gv[...] = np.matmul(np.swapaxes(A, -1, -2), go[..., None])[..., 0]
        return self.gradInput
