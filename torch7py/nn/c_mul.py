"""nn.CMul: port of torch/nn CMul.lua (component-wise learnt scale, broadcast over a batch)."""
from ._conv import uniform_reset
from ._kernels import arr, new_tensor, out_like
from . import utils
from .module import Module


class CMul(Module):

    def __init__(self, *sizes):
        super().__init__()
        sizes = utils.lua_varargs(sizes)
        if len(sizes) == 1 and not isinstance(sizes[0], int):
            sizes = tuple(sizes[0])
        self.size = torch_sizes(sizes)
        self.weight = new_tensor(*sizes)
        self.gradWeight = new_tensor(*sizes).zero()
        self.reset()

    def reset(self, stdv=None):
        return uniform_reset(self, self.weight.nElement(), stdv)

    def _views(self, input, a):
        """``a`` (input-shaped) and the weight as two broadcastable arrays."""
        w = arr(self.weight)
        if input.nElement() == self.weight.nElement():
            return a.reshape(-1), w.reshape(-1)
        if self.weight.dim() == input.dim():
            return a, w
        return a.reshape(input.size(1), -1), w.reshape(1, -1)

    def updateOutput(self, input):
        y = out_like(self.output, input._size)
        xv, w = self._views(input, arr(input))
        y[...] = (xv * w).reshape(y.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        gi = out_like(self.gradInput, input._size)
        gv, w = self._views(input, arr(gradOutput).reshape(gi.shape))
        gi[...] = (gv * w).reshape(gi.shape)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        xv, w = self._views(input, arr(input))
        gv, _ = self._views(input, arr(gradOutput).reshape(arr(input).shape))
        prod = xv * gv
        axes = tuple(i for i in range(prod.ndim) if w.shape[i] == 1 and prod.shape[i] != 1)
        if axes:
            prod = prod.sum(axis=axes, keepdims=True)
        gw = arr(self.gradWeight)
        gw += scale * prod.reshape(gw.shape)


def torch_sizes(sizes):
    from ..storage import LongStorage
    return LongStorage(list(sizes))
