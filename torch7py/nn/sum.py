"""nn.Sum: port of torch/nn Sum.lua (sum over a dimension, squeezed; optional averaging)."""
import numpy as np

from ..tensor import Tensor, TorchError
from .. import messages, numerics
from ..messages import lua_line
from . import _lua
from ._kernels import arr, out_like, view_check
from . import utils
from .module import Module


class Sum(Module):

    def __init__(self, dimension=1, nInputDims=None, sizeAverage=False, squeeze=True):
        super().__init__()
        self.dimension = 1 if dimension is None else dimension
        self.nInputDims = nInputDims
        self.sizeAverage = bool(sizeAverage)
        if squeeze is not None and not isinstance(squeeze, bool):
            raise TorchError('squeeze has to be true/false')
        self.squeeze = True if squeeze is None else squeeze

    def _getPositiveDimension(self, input):
        # Sum.lua reads input:dim() on line 20 for a negative dimension, on line 21 where
        # nInputDims is set, else first in its assert (line 24)
        dim = self.__dict__.get('dimension')
        line = 20 if isinstance(dim, (int, float)) and dim < 0 else \
            21 if self.__dict__.get('nInputDims') not in (None, False) else 24
        with lua_line('nn/Sum.lua:%d' % line):
            dimension = _lua.positive_dimension(self, input)
        with lua_line('nn/Sum.lua:24'):
            if _lua.mcall(input, 'dim', what="local 'input'") < dimension:
                raise TorchError('dimension exceeds input dimensions')
        return dimension

    def updateOutput(self, input):
        d = self._getPositiveDimension(input)
        if type(self.output) is not type(input):
            # Sum.lua: a number output becomes input.new(); then self.output:sum(input, dim),
            # TH's sum, which takes an input of the output's type only
            if messages.lua_type(self.output) == 'number':
                self.output = input.new()
            else:
                _lua.mcall(self.output, 'sum', input, d)
        if d < 1:  # nn.Sum(0): self.output:sum(input, 0) fails on TH's dimension check
            _lua.mcall(self.output, 'sum', input, d)
        x = arr(input)
        size = list(input._size)
        size[d - 1] = 1
        squeeze = self.__dict__.get('squeeze') is not False and len(size) > 1
        if squeeze:
            del size[d - 1]
        y = out_like(self.output, size)
        # input:sum(dim) in TH's order: a stride-1 dim loops in accreal, another accumulates
        # slices in real; then div in real
        yk = y.reshape(x.shape[:d - 1] + (1,) + x.shape[d:])
        if x.dtype.kind == 'f':
            acc = np.float64 if input._stride[d - 1] == 1 else x.dtype
            yk[...] = numerics.seqsum_axis(x, d - 1, acc)
        else:
            np.sum(x, axis=d - 1, out=yk, keepdims=True)
        if self.sizeAverage:
            if y.dtype.kind == 'f':
                y /= y.dtype.type(x.shape[d - 1])
            else:  # Sum.lua's self.output:div(n): TH's integer division (C's truncation)
                self.output.div(x.shape[d - 1])
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._getPositiveDimension(input)
        if d < 1:  # Sum.lua's size[dimension] = 1 on input:size(): the storage's bounds
            input.size()[d] = 1
        x_shape = input._size
        keep = x_shape[:d - 1] + (1,) + x_shape[d:]
        if not isinstance(gradOutput, Tensor):
            _lua.mcall(gradOutput, 'isContiguous', what="local 'gradOutput'")
        view_check(gradOutput, keep)  # Sum.lua: gradOutput:view(size)
        if type(self.gradInput) is not type(input):
            with messages.lua_line('nn/Sum.lua:56'):   # Sum.lua: gradInput:resizeAs(input)
                _lua.resize_as_first(self.gradInput, input)
        go = arr(gradOutput).reshape(keep)
        gi = out_like(self.gradInput, x_shape)
        np.copyto(gi, go)
        if self.sizeAverage:
            if gi.dtype.kind == 'f':
                gi /= x_shape[d - 1]
            else:
                self.gradInput.div(x_shape[d - 1])
        return self.gradInput

    def clearState(self):
        utils.clear(self, '_gradOutput')
        return super().clearState()
