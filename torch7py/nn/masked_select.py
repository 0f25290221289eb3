"""nn.MaskedSelect: port of torch/nn MaskedSelect.lua ({input, mask} -> the masked entries, 1-D)."""
import numpy as np

from .. import tensor as _tensor
from ..messages import at_lua, lua_line
from ..tensor import TorchError
from . import _lua
from ._kernels import arr, new_tensor, out_like
from . import utils
from .module import Module


def _pair(input):
    """MaskedSelect.lua's `local input, mask = unpack(input)`."""
    v = _lua.unpack(input) + [None, None]
    return v[0], v[1]


class MaskedSelect(Module):

    def __init__(self):
        super().__init__()
        self._maskIndices = _tensor.LongTensor()
        self._maskIndexBuffer = _tensor.LongTensor()
        self._maskIndexBufferCPU = _tensor.FloatTensor()
        self._gradBuffer = new_tensor()
        self._gradMask = _tensor.ByteTensor()

    def _mask(self, input, mask):
        if input.nElement() != mask.nElement():
            raise TorchError('inconsistent tensor size')
        return np.asarray(arr(mask)).reshape(arr(input).shape) != 0

    def _plain(self, x, mask):
        return (type(x) is type(self.output) and type(mask) is _tensor.ByteTensor
                and x.nElement() == mask.nElement())

    def updateOutput(self, input):
        x, mask = _pair(input)
        if not self._plain(x, mask):   # TH's maskedSelect says what is wrong
            _lua.mcall(self.output, 'maskedSelect', x, mask)
            return self.output
        m = self._mask(x, mask)
        sel = arr(x)[m]
        out_like(self.output, (sel.size,))[...] = sel
        return self.output

    def _lua_grad(self, x, mask, gradOutput):
        """MaskedSelect.lua's updateGradInput line by line (a bad input fails there)."""
        _lua.mcall(x, 'type', what="local 'input'")
        n = _lua.mcall(mask, 'nElement', what="local 'mask'")
        self._maskIndexBuffer.range(1, n)
        _lua.mcall(self._maskIndexBuffer, 'resize', mask.size())
        with lua_line('nn/MaskedSelect.lua:32'):
            _lua.mcall(self._maskIndices, 'maskedSelect', self._maskIndexBuffer, mask)
        _lua.mcall(self._gradBuffer, 'resize', _lua.mcall(x, 'nElement')).zero()
        with lua_line('nn/MaskedSelect.lua:34'):
            _lua.mcall(self._gradBuffer, 'scatter', 1, self._maskIndices, gradOutput)
        self._gradBuffer.resize(x.size())
        self.gradInput = [self._gradBuffer, self._gradMask.resize(mask.size()).fill(0)]
        return self.gradInput

    def updateGradInput(self, input, gradOutput):
        x, mask = _pair(input)
        if not (self._plain(x, mask) and isinstance(gradOutput, _tensor.Tensor)
                # _gradBuffer:scatter(1, _maskIndices, gradOutput) takes its own type only
                and type(gradOutput) is type(self._gradBuffer)):
            return self._lua_grad(x, mask, gradOutput)
        m = self._mask(x, mask)
        if gradOutput._size != (int(m.sum()),):
            # _gradBuffer:scatter(1, _maskIndices, gradOutput): TH's checks (its dimensions;
            # a longer gradOutput gives its first elements)
            return self._lua_grad(x, mask, gradOutput)
        g = out_like(self._gradBuffer, x._size)
        g[...] = 0
        g[m] = arr(gradOutput).reshape(-1)
        # MaskedSelect.lua's buffers: _maskIndexBuffer:range(1, n) viewed as the mask, and
        # _maskIndices:maskedSelect(_maskIndexBuffer, mask), the flat places selected
        n = mask.nElement()
        out_like(self._maskIndexBuffer, mask._size)[...] = np.arange(
            1, n + 1, dtype=np.int64).reshape(mask._size)
        sel = np.flatnonzero(m.reshape(-1)) + 1
        out_like(self._maskIndices, (sel.size,))[...] = sel
        self._gradMask.resize(*mask._size).fill(0)
        self.gradInput = [self._gradBuffer, self._gradMask]
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if type is None or type is False:
            return self._type
        # MaskedSelect.lua's own type: _gradBuffer, gradInput and output converted (lines
        # 45-47: a gradInput that a backward made a table has no :type), the index buffers
        # kept integer tensors; _maskIndexBufferCPU and any other field left as they are
        for line, name in ((45, '_gradBuffer'), (46, 'gradInput'), (47, 'output')):
            try:
                v = _lua.mcall(self.__dict__.get(name), 'type', type,
                               what="field '%s'" % name)
            except TorchError as e:
                raise at_lua(e, 'nn/MaskedSelect.lua:%d' % line)
            self.__dict__[name] = v
        self._maskIndexBuffer = self._maskIndexBuffer.long()
        self._maskIndices = self._maskIndices.long()
        self._gradMask = self._gradMask.byte()
        self._type = type
        return self

    def clearState(self):
        # MaskedSelect.lua: return nn.utils.clear(self, {'output', 'gradInput',
        # '_maskIndexBuffer', '_maskIndexBufferCPU', '_maskIndices', '_gradBuffer', '_gradMask'})
        # (no parent call)
        return utils.clear(self, ['output', 'gradInput', '_maskIndexBuffer',
                                  '_maskIndexBufferCPU', '_maskIndices', '_gradBuffer',
                                  '_gradMask'])
