"""nn.CDivTable: port of torch/nn CDivTable.lua (input[1] / input[2])."""
import numpy as np

from ..messages import lua_line
from . import _lua
from ._kernels import arr, out_like
from ._table import grad_list, plain
from .module import Module


class CDivTable(Module):

    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        if not plain(self, input, 2):   # CDivTable.lua's lines
            x1 = _lua.index(input, 1, "local 'input'")
            with lua_line('nn/CDivTable.lua:10'):
                _lua.mcall(_lua.mcall(self.output, 'resizeAs', x1), 'copy', x1)
            with lua_line('nn/CDivTable.lua:11'):
                _lua.mcall(self.output, 'cdiv', _lua.index(input, 2))
            return self.output
        y = out_like(self.output, input[0]._size)
        np.divide(arr(input[0]), arr(input[1]).reshape(y.shape), out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not plain(self, input, 2, gradOutput):
            gi = self.gradInput if isinstance(self.gradInput, list) else []
            self.gradInput = gi
            x1 = _lua.index(input, 1, "local 'input'")
            x2 = _lua.index(input, 2)
            while len(gi) < 2:
                gi.append(_lua.field_call(x1, 'new')())
            with lua_line('nn/CDivTable.lua:18'):
                g = _lua.mcall(_lua.mcall(gi[0], 'resizeAs', x1), 'copy', gradOutput)
                _lua.mcall(g, 'cdiv', x2)
            with lua_line('nn/CDivTable.lua:19'):
                g2 = _lua.mcall(_lua.mcall(gi[1], 'resizeAs', x2), 'zero')
                _lua.mcall(_lua.mcall(g2, 'addcdiv', -1, gi[0], x2), 'cmul', x1)
            del gi[_lua.plus(_lua.length(input), 1) - 1:]   # for i=#input+1, #self.gradInput
            return self.gradInput
        gi = grad_list(self, 2, input[0])
        a = arr(input[0])
        b = arr(input[1]).reshape(a.shape)
        g1 = out_like(gi[0], input[0]._size)
        np.divide(arr(gradOutput).reshape(a.shape), b, out=g1)
        g2 = out_like(gi[1], input[1]._size)
        g2[...] = (-(g1 / b) * a).reshape(g2.shape)
        return self.gradInput
