"""nn.CSubTable: port of torch/nn CSubTable.lua (input[1] - input[2])."""
import numpy as np

from ..messages import lua_line
from . import _lua
from ._kernels import arr, out_like
from ._table import grad_list, plain
from .module import Module


class CSubTable(Module):

    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        if not plain(self, input, 2):   # CSubTable.lua's lines
            x1 = _lua.index(input, 1, "local 'input'")
            with lua_line('nn/CSubTable.lua:10'):
                _lua.mcall(_lua.mcall(self.output, 'resizeAs', x1), 'copy', x1)
            with lua_line('nn/CSubTable.lua:11'):
                _lua.mcall(self.output, 'add', -1, _lua.index(input, 2))
            return self.output
        a, b = input[0], input[1]
        y = out_like(self.output, a._size)
        np.subtract(arr(a), arr(b).reshape(y.shape), out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not plain(self, input, 2, gradOutput):
            gi = self.gradInput if isinstance(self.gradInput, list) else []
            self.gradInput = gi
            x1 = _lua.index(input, 1, "local 'input'")
            while len(gi) < 2:
                gi.append(_lua.field_call(x1, 'new')())
            with lua_line('nn/CSubTable.lua:18'):
                _lua.mcall(_lua.mcall(gi[0], 'resizeAs', x1), 'copy', gradOutput)
            with lua_line('nn/CSubTable.lua:19'):
                g = _lua.mcall(_lua.mcall(gi[1], 'resizeAs', _lua.index(input, 2)), 'copy',
                               gradOutput)
            g.mul(-1)
            del gi[_lua.plus(_lua.length(input), 1) - 1:]   # for i=#input+1, #self.gradInput
            return self.gradInput
        gi = grad_list(self, 2, input[0])
        go = arr(gradOutput)
        out_like(gi[0], input[0]._size)[...] = go.reshape(arr(input[0]).shape)
        np.negative(go.reshape(arr(input[1]).shape), out=out_like(gi[1], input[1]._size))
        return self.gradInput
