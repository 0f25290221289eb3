"""nn.PReLU: port of torch/nn PReLU.lua and THNN PReLU.c (one shared slope, or one per channel)."""
import numpy as np

from .. import numerics

from ._kernels import arr, out_like, new_tensor
from ._pointwise import check_nelement
from ._thnn_check import error as thnn_error
from ..tensor import Tensor
from .spatial_convolution_mm import _nil_field
from . import utils
from .module import Module


class PReLU(Module):

    def __init__(self, nOutputPlane=None):
        super().__init__()
        # no argument: one slope shared by every element (nOutputPlane 0)
        self.nOutputPlane = nOutputPlane or 0
        self.weight = new_tensor(nOutputPlane or 1).fill(0.25)
        self.gradWeight = new_tensor(nOutputPlane or 1).zero()

    def _planes(self, a):
        """(batch, planes, rest) view of an input-shaped array: the channel dim is dim 2 for
        inputs of 2+ dims, dim 1 for vectors."""
        n = self.nOutputPlane
        got = a.shape[1 if a.ndim > 1 else 0]
        if got != n:
            raise thnn_error('Wrong number of input planes. Expected %d but got %d.', n, got)
        bs = a.shape[0] if a.ndim > 1 else 1
        return a.reshape(bs, n, -1)

    def _slopes(self, x):
        w = arr(self.weight)
        if self.nOutputPlane == 0:
            return w[0]
        return w.reshape(1, -1, 1)

    def updateOutput(self, input):
        x = arr(input)
        y = out_like(self.output, input._size)
        if self.nOutputPlane == 0:
            np.copyto(y, np.where(x > 0, x, x * arr(self.weight)[0]))
        else:
            x3 = self._planes(x)
            y.reshape(x3.shape)[...] = np.where(x3 > 0, x3, x3 * self._slopes(x))
        return self.output

    def updateGradInput(self, input, gradOutput):
        check_nelement(input, gradOutput)
        x = arr(input)
        go = arr(gradOutput).reshape(x.shape)
        gi = out_like(self.gradInput, input._size)
        if self.nOutputPlane == 0:
            np.copyto(gi, np.where(x > 0, go, go * arr(self.weight)[0]))
        else:
            x3 = self._planes(x)
            gi.reshape(x3.shape)[...] = np.where(x3 > 0, go.reshape(x3.shape),
                                                 go.reshape(x3.shape) * self._slopes(x))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        # PReLU.lua: self.gradWeightBuf = self.gradWeightBuf or input.new(), and
        # gradWeightBuf2, for the THNN call (whose C leaves them empty): fields the module keeps
        d = self.__dict__
        if isinstance(input, Tensor):
            if d.get('gradWeightBuf') is None:
                self.gradWeightBuf = input.new()
            if d.get('gradWeightBuf2') is None:
                self.gradWeightBuf2 = input.new()
            if isinstance(gradOutput, Tensor) and isinstance(self.gradInput, Tensor) \
                    and isinstance(d.get('weight'), Tensor):
                # PReLU.lua 40: self.gradWeight:cdata() of a gradWeight set to nil
                _nil_field(self, 'gradWeight', 'nn/PReLU.lua:40')
        check_nelement(input, gradOutput)
        x = arr(input)
        go = arr(gradOutput).reshape(x.shape)
        gw = arr(self.gradWeight)
        R = gw.dtype.type
        sc = R(scale)  # real scale = TH_CONVERT_ACCREAL_TO_REAL(scale_)
        # THNN: `real sum = 0; if (x <= 0) sum += x * go` in order in real (skipped terms add
        # nothing: the sum never is -0), then gradWeight += scale * sum in real; per plane,
        # sample after sample: gradWeight[j] += scale * (sample i's sum over plane j)
        prod = np.where(x <= 0, x * go, R(0))
        if self.nOutputPlane == 0:
            gw[0] = R(gw[0] + R(sc * numerics.seqsum(prod, gw.dtype)))
        else:
            sums = numerics.seqsum_axis(self._planes(prod), 2, gw.dtype)[:, :, 0]
            for row in sums:
                gw += sc * row
        return self.gradWeight  # (PReLU.lua returns it)

    def clearState(self):
        # PReLU.lua: nn.utils.clear(self, 'gradWeightBuf', 'gradWeightBuf2'), then the parent's
        utils.clear(self, 'gradWeightBuf', 'gradWeightBuf2')
        return super().clearState()
