"""nn.Padding: port of torch/nn Padding.lua (pads dim with value, before or after index)."""
from .. import messages
from . import _lua
from ..messages import at_lua, bad_argument
from ..storage import LongStorage
from ..tensor import TorchError
from .module import Module


class Padding(Module):

    def __init__(self, dim, pad, nInputDim=None, value=0, index=1):
        # the fields first, then Module's (Padding.lua's order: pairs() follows it)
        self.value = 0 if value is None else value
        self.index = 1 if index is None else index
        self.dim = dim
        self.pad = pad
        self.nInputDim = nInputDim
        self.outputSize = LongStorage()
        super().__init__()

    def _geometry(self, input, check=True):
        dim = self.dim
        nid = self.__dict__.get('nInputDim')
        if nid and input.dim() != nid:
            dim += 1
        if isinstance(dim, int) and check:
            input._dim(dim)
        index, pad = self.index, self.pad
        if isinstance(pad, bool) or not isinstance(pad, (int, float)):
            # Padding.lua's `if pad > 0` (Lua compiles it as 0 < pad)
            raise TorchError(messages.msg('compare', 'number', messages.lua_type(pad)))
        if pad > 0:
            # (updateGradInput's line 52, updateOutput's 28: input:size(dim), TH's check
            # naming 'size')
            with messages.lua_line('nn/Padding.lua:%d' % (28 if check else 52)), \
                    messages.lua_method_call('size'):
                index = input.size(dim) - index + 2
        else:
            pad = -pad
        return dim, index, pad

    def updateOutput(self, input):
        # Padding.lua: self.outputSize:resize(input:dim()) first
        _lua.mcall(input, 'dim', what="local 'input'")
        dim = self.dim
        if self.__dict__.get('nInputDim') and input.dim() != self.nInputDim:
            dim = dim + 1
        pad = self.pad
        if isinstance(dim, (int, float)) and not 1 <= dim <= input.dim():
            # Padding.lua's first use of dim: outputSize[dim], a LongStorage of input:dim()
            # (its __index, a C function luaT calls: no Lua position)
            raise messages.from_c(TorchError(bad_argument(2, 'out of bounds')))
        if isinstance(pad, bool) or not isinstance(pad, (int, float)):
            # outputSize[dim] + math.abs(self.pad): abs fails before the sum
            raise TorchError(bad_argument(1, messages.msg('number_expected',
                                                          messages.lua_type(pad)), 'abs'))
        if not isinstance(dim, (int, float)):
            raise TorchError(messages.msg('arith', 'nil'))
        if not 1 <= dim <= input.dim():
            # Padding.lua's first use of dim: outputSize[dim], a LongStorage of input:dim()
            # (its __index, a C function luaT calls: no Lua position)
            raise messages.from_c(TorchError(bad_argument(2, 'out of bounds')))
        dim, index, pad = self._geometry(input)
        size = list(input._size)
        size[dim - 1] += abs(self.pad)
        self.outputSize.resize(len(size))
        self.outputSize._data[:] = size
        self.output.resize(*size).fill(self.value)
        n = input.size(dim)
        out = self.output
        if index == 1:
            out.narrow(dim, 1 + pad, n).copy(input)
        elif index == n + 1:
            out.narrow(dim, 1, n).copy(input)
        else:
            out.narrow(dim, 1, index - 1).copy(input.narrow(dim, 1, index - 1))
            out.narrow(dim, index + pad, n - (index - 1)).copy(
                input.narrow(dim, index, n - (index - 1)))
        return self.output

    def updateGradInput(self, input, gradOutput):
        _lua.mcall(self.gradInput, 'resizeAs', input)   # Padding.lua's first line
        # (Padding.lua reads input:size(dim) on the line that uses it: a dim out of range
        # fails there, as 'size''s bad argument)
        dim, index, pad = self._geometry(input, check=False)

        def size():
            with messages.lua_method_call('size'):
                return input.size(dim)
        gi = self.gradInput
        # (Padding.lua's lines 57, 59, 61-62: a gradOutput that narrow or copy refuses
        # fails there)
        try:
            line = 57
            if index == 1:
                # gradOutput:narrow(dim, 1 + pad, input:size(dim)): LuaJIT indexes gradOutput,
                # evaluates the arguments, then calls (a table's nil narrow fails last)
                narrow = _lua.field(gradOutput, 'narrow', "local 'gradOutput'")
                n = size()
                if narrow is None:
                    raise TorchError(messages.msg('call_nil_method', 'narrow'))
                gi.copy(narrow(dim, 1 + pad, n))
            elif (line := 58) and index == size() + 1:
                line = 59
                gi.copy(gradOutput.narrow(dim, 1, size()))
            else:
                line = 61
                n = size()
                gi.narrow(dim, 1, index - 1).copy(gradOutput.narrow(dim, 1, index - 1))
                line = 62
                gi.narrow(dim, index, n - (index - 1)).copy(
                    gradOutput.narrow(dim, index + pad, n - (index - 1)))
        except Exception as e:
            raise at_lua(e, 'nn/Padding.lua:%d' % line)
        return self.gradInput
