"""nn.ZipTableOneToMany: port of torch/nn ZipTableOneToMany.lua ({v, {x1, x2}} ->
{{v, x1}, {v, x2}}; v's gradient is the sum of its copies')."""
from . import _lua
from ._kernels import arr, new_tensor, out_like
from .module import Module
from .utils import TorchAssertionError


def _is_pair(input):
    """ZipTableOneToMany.lua's `#input == 2` (a tensor's # is its size, a LongStorage: never
    2)."""
    n = _lua.length(input, "local 'input'")
    return type(n) is int and n == 2


class ZipTableOneToMany(Module):

    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []
        self.gradInputEl = new_tensor()

    def updateOutput(self, input):
        if not _is_pair(input):
            raise TorchAssertionError('input must be table of element and table')
        el, table = input
        self.output = [[el, v] for v in table]
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not _is_pair(input):
            raise TorchAssertionError('input must be table of element and table')
        el = input[0]
        g = out_like(self.gradInputEl, el._size)
        g[...] = 0
        table = []
        for gv in gradOutput:
            g += arr(gv[0]).reshape(g.shape)
            table.append(gv[1])
        self.gradInput = [self.gradInputEl, table]
        return self.gradInput
