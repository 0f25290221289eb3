"""nn.CMulTable: port of torch/nn CMulTable.lua (product of a table of tensors)."""
import numpy as np

from ..messages import lua_line
from . import _lua
from . import utils
from ._kernels import arr, out_like
from ._table import grad_list, lua_grad_slot, lua_grad_table, plain
from .module import Module


class CMulTable(Module):

    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        if not plain(self, input):   # CMulTable.lua's lines
            x1 = _lua.index(input, 1, "local 'input'")
            with lua_line('nn/CMulTable.lua:10'):
                _lua.mcall(_lua.mcall(self.output, 'resizeAs', x1), 'copy', x1)
            for i in _lua.upto(_lua.length(input))[1:]:
                with lua_line('nn/CMulTable.lua:12'):
                    _lua.mcall(self.output, 'cmul', _lua.index(input, i))
            return self.output
        y = out_like(self.output, input[0]._size)
        np.copyto(y, arr(input[0]))
        for t in input[1:]:
            y *= arr(t).reshape(y.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not plain(self, input, 1, gradOutput):
            gi = lua_grad_table(self)
            n = _lua.length(input, "local 'input'")
            for i in _lua.upto(n):
                slot = lua_grad_slot(gi, input, i)
                with lua_line('nn/CMulTable.lua:37'):
                    g = _lua.mcall(_lua.mcall(slot, 'resizeAs', _lua.index(input, i)), 'copy',
                                   gradOutput)
                for j in _lua.upto(n):
                    if i != j:
                        with lua_line('nn/CMulTable.lua:40'):
                            _lua.mcall(g, 'cmul', _lua.index(input, j))
            del gi[n:]
            return self.gradInput
        gi = grad_list(self, len(input), input[0])
        go = arr(gradOutput)
        for i, t in enumerate(input):
            # the product of the other inputs, never a division by input[i]
            g = out_like(gi[i], t._size)
            np.copyto(g, go.reshape(g.shape))
            for j, u in enumerate(input):
                if j != i:
                    g *= arr(u).reshape(g.shape)
        return self.gradInput

    def clearState(self):
        # CMulTable.lua: `if self.tout then self.tout:set() end`
        utils.set_empty(self, 'tout')
        return super().clearState()
