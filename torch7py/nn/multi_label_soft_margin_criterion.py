"""nn.MultiLabelSoftMarginCriterion: port of torch/nn MultiLabelSoftMarginCriterion.lua (sigmoid
then binary cross-entropy, averaged over every element, optional per-class weights)."""
import numpy as np

from ..messages import at_lua, lua_line
from . import _lua
from ..tensor_math.pointwise import libm
from ._kernels import arr, as_target, out_like
from .criterion import Criterion
from .sigmoid import Sigmoid
from .utils import TorchAssertionError


_AT = 'nn/MultiLabelSoftMarginCriterion.lua:%d'


class MultiLabelSoftMarginCriterion(Criterion):

    def __init__(self, weights=None, sizeAverage=None):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        if weights is not None:
            if weights.dim() != 1:
                raise at_lua(TorchAssertionError(
                    'weights input should be 1-D Tensor'),
                    'nn/MultiLabelSoftMarginCriterion.lua:26')
            self.weights = weights
        self.sigmoid = Sigmoid()

    def _weights(self, input):
        w = self.__dict__.get('weights')
        if w is None:
            return 1.0
        return arr(w).reshape((1,) * (input.dim() - 1) + (-1,))

    def _target_weights(self, target):
        """The Lua's `weights ~= nil and target:dim() ~= 1`: the weights viewed as a row and
        expanded as target."""
        weights = self.__dict__.get('weights')
        if weights is not None and _lua.mcall(target, 'dim', what="local 'target'") != 1:
            weights = weights.view(1, target.size(2)).expandAs(target)
        return weights

    def updateOutput(self, input, target):
        # MultiLabelSoftMarginCriterion.lua's steps on tensors (the input's type, accreal sum):
        # log(1 + exp(x - 2 x [x >= 0])) - x (t - [x >= 0]), the stable cross-entropy; its
        # tensor calls check what they are given
        weights = self._target_weights(target)
        with lua_line(_AT % 38):
            x = _lua.mcall(input, 'view', _lua.mcall(input, 'nElement', what="local 'input'"))
        with lua_line(_AT % 39):
            t = _lua.mcall(target, 'view', _lua.mcall(target, 'nElement', what="local 'target'"))
        self.sigmoid.updateOutput(x)
        for k in ('_buffer1', '_buffer2'):
            if self.__dict__.get(k) is None:
                setattr(self, k, input.new())
        b1, b2 = self._buffer1, self._buffer2
        b1.ge(x, 0)
        b2.cmul(x, b1).mul(-2).add(x).exp().add(1).log()
        with lua_line(_AT % 51):
            b1.mul(-1).add(t).cmul(x)
        b2.add(-1, b1)
        if weights is not None:
            with lua_line(_AT % 56):
                b2.cmul(weights)
        out = b2.sum()
        if self.sizeAverage:
            out = out / input.nElement()
        self.output = out
        return self.output

    def updateGradInput(self, input, target):
        weights = self._target_weights(target)
        so = self.sigmoid.output
        if not (type(input) is type(target) is type(self.gradInput) is type(so)
                and input.nElement() == target.nElement() == so.nElement()):
            # its Lua: gradInput:resizeAs(input):copy(sigmoid.output), add(-1, target),
            # cmul(weights), div(target:nElement())
            with lua_line(_AT % 74):
                _lua.mcall(_lua.mcall(self.gradInput, 'resizeAs', input), 'copy', so)
            with lua_line(_AT % 75):
                _lua.mcall(self.gradInput, 'add', -1, target)
            if weights is not None:
                with lua_line(_AT % 78):
                    _lua.mcall(self.gradInput, 'cmul', weights)
            if self.sizeAverage:
                with lua_line(_AT % 82):
                    self.gradInput.div(target.nElement())
            return self.gradInput
        gi = out_like(self.gradInput, input._size)
        p = arr(self.sigmoid.output) if self.sigmoid.output.nElement() == input.nElement() \
            else libm('sigmoid', arr(input), np.empty(arr(input).shape, arr(input).dtype))
        gi[...] = (p.reshape(gi.shape) - as_target(input, target)) * self._weights(input)
        if self.sizeAverage:
            gi /= target.nElement()
        return self.gradInput
