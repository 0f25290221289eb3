"""nn.CAddTable: port of torch/nn CAddTable.lua (sum of a table of tensors, optionally in place)."""
import numpy as np

from ..messages import lua_line
from . import _lua
from ._kernels import arr
from ._table import lua_grad_slot, lua_grad_table, plain
from .module import Module


class CAddTable(Module):

    def __init__(self, ip=None):
        super().__init__()
        self.inplace = ip  # (nil when not given: no field, as in CAddTable.lua)
        self.gradInput = []

    def updateOutput(self, input):
        if not plain(self, input):   # CAddTable.lua's lines
            if self.__dict__.get('inplace'):
                with lua_line('nn/CAddTable.lua:11'):
                    _lua.mcall(self.output, 'set', _lua.index(input, 1, "local 'input'"))
            else:
                with lua_line('nn/CAddTable.lua:13'):
                    x1 = _lua.index(input, 1, "local 'input'")
                    _lua.mcall(_lua.mcall(self.output, 'resizeAs', x1), 'copy', x1)
            for i in _lua.upto(_lua.length(input))[1:]:
                with lua_line('nn/CAddTable.lua:16'):
                    _lua.mcall(self.output, 'add', _lua.index(input, i))
            return self.output
        if self.__dict__.get('inplace'):
            self.output.set(input[0])
        else:
            self.output.resizeAs(input[0]).copy(input[0])
        y = arr(self.output)
        for t in input[1:]:
            x = arr(t)
            if x.size != y.size:  # output:add(input[i]): TH_TENSOR_APPLY3(r_, t, src)
                from .. import messages
                from ..tensor import TorchError
                ss = messages.size_str
                raise TorchError(messages.msg('inconsistent_3', 'r_', ss(self.output._size),
                                              't', ss(self.output._size), 'src', ss(t._size),
                                              y.size, y.size, x.size))
            np.add(y, x.reshape(y.shape), out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not plain(self, input, 1, gradOutput):
            gi = lua_grad_table(self)
            n = _lua.length(input, "local 'input'")
            for i in _lua.upto(n):
                g = lua_grad_slot(gi, input, i)
                if self.__dict__.get('inplace'):
                    with lua_line('nn/CAddTable.lua:25'):
                        _lua.mcall(g, 'set', gradOutput)
                else:
                    with lua_line('nn/CAddTable.lua:27'):
                        _lua.mcall(_lua.mcall(g, 'resizeAs', _lua.index(input, i)), 'copy',
                                   gradOutput)
            del gi[n:]
            return self.gradInput
        gi = self.gradInput
        for i, t in enumerate(input):
            if i >= len(gi):
                gi.append(input[0].new())
            if self.__dict__.get('inplace'):
                gi[i].set(gradOutput)
            else:
                gi[i].resizeAs(t).copy(gradOutput)
        del gi[len(input):]
        return self.gradInput
