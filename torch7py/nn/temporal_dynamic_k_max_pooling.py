"""nn.TemporalDynamicKMaxPooling: port of torch/nn TemporalDynamicKMaxPooling.lua (the k largest
values of each feature over time, k = max(minK, ceil(factor * length)), in time order)."""
import math

import numpy as np

from .. import messages, tensor as _tensor
from ..messages import at_lua
from ..tensor import TorchError
from . import _lua
from ._kernels import arr, out_like
from . import utils
from .module import Module
from .utils import TorchAssertionError


class TemporalDynamicKMaxPooling(Module):

    def __init__(self, minK, factor=None):
        super().__init__()
        self.minK = minK
        self.factor = factor or 0

    def updateOutput(self, input):
        if _lua.mcall(input, 'dim', what="local 'input'") not in (2, 3):
            raise at_lua(TorchAssertionError(
                'Only 2D or 3D(batch mode) accepted'), 'nn/TemporalDynamicKMaxPooling.lua:29')
        seqDim = input.dim() - 1
        T = input.size(seqDim)
        c = int(math.ceil(self.factor * T))
        if messages.lua_type(self.minK) != 'number':  # math.max(self.minK, ...)
            raise TorchError(messages.bad_argument(1, messages.msg(
                'number_expected', messages.lua_type(self.minK)), 'max'))
        k = max(self.minK, c)
        if T < self.minK:
            raise TorchAssertionError('Input sequence length (%d) too small for desired k value '
                                      '(%d)' % (T, k))
        # Torch7's own sort (its quicksort decides which of equal values are kept), then the
        # kept frames back in time order
        _, allIndices = input.sort(seqDim, True)
        self.indices = allIndices.narrow(seqDim, 1, k).sort(seqDim)[0]
        self.output = input.gather(seqDim, self.indices)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        ind = self.__dict__.get('indices')
        if not (type(input) is type(self.gradInput) is type(gradOutput)
                and type(ind) is _tensor.LongTensor and gradOutput._size == ind._size):
            # its Lua: gradInput:resizeAs(input):zero(), gather(seqDim, self.indices),
            # add(gradOutput), scatter back (before a forward: no indices)
            seqDim = _lua.mcall(input, 'dim', what="local 'input'") - 1
            _lua.mcall(self.gradInput, 'resizeAs', input)
            self.gradInput.zero()
            uv = _lua.mcall(self.gradInput, 'gather', seqDim, ind)
            _lua.mcall(uv, 'add', gradOutput)
            _lua.mcall(self.gradInput, 'scatter', seqDim, ind, uv)
            return self.gradInput
        axis = input.dim() - 2
        gi = out_like(self.gradInput, input._size)
        gi[...] = 0
        np.put_along_axis(gi, arr(self.indices) - 1, arr(gradOutput), axis=axis)
        return self.gradInput

    def clearState(self):
        # TemporalDynamicKMaxPooling.lua: nn.utils.clear(self, 'indices')
        utils.clear(self, ['indices'])
        return super().clearState()
