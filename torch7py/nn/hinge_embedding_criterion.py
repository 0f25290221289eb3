"""nn.HingeEmbeddingCriterion: port of torch/nn HingeEmbeddingCriterion.lua
(x for y = 1, max(0, margin - x) for y = -1)."""
import numpy as np

import torch7py

from .. import tensor as _tensor
from .. import messages
from ..storage import TorchError
from ._crit import values
from ._kernels import apply_check, arr, out_like
from .criterion import Criterion


class HingeEmbeddingCriterion(Criterion):

    def __init__(self, margin=None):
        super().__init__()
        self.margin = 1 if margin is None else margin
        self.sizeAverage = True

    def _avg(self):
        return self.__dict__.get('sizeAverage') is None or self.sizeAverage is True

    def updateOutput(self, input, y):
        # HingeEmbeddingCriterion.lua's steps on tensors: its sums are t:sum() (accreal) of
        # buffers computed in the input's type
        if self.__dict__.get('buffer') is None:
            self.buffer = input.new()
        if not isinstance(y, _tensor.Tensor):
            if self.__dict__.get('ty') is None:
                self.ty = input.new().resize(1)
            self.ty[1] = y
            y = self.ty
        buf = self.buffer
        buf.resizeAs(input).copy(input)
        buf[torch7py.eq(y, -1)] = 0
        out = buf.sum()
        buf.fill(self.margin).add(-1, input)
        buf.cmax(0)
        buf[torch7py.eq(y, 1)] = 0
        out = out + buf.sum()
        if self._avg():
            out = out / input.nElement()
        self.output = out
        return self.output

    def updateGradInput(self, input, y):
        # HingeEmbeddingCriterion.lua: a number y goes into self.ty (made by updateOutput),
        # then gradInput:resizeAs(input):copy(y) (TH's count check; the shapes may differ)
        if not isinstance(y, _tensor.Tensor):
            if self.__dict__.get('ty') is None:
                raise TorchError(messages.msg('index_field', 'ty', 'nil'))
            self.ty[1] = y
            y = self.ty
        self.gradInput.resizeAs(input)  # (before copy(y)'s check: a failure leaves it so)
        apply_check(('tensor', 'src'), input, y)
        x = arr(input)
        yv = values(y, x)
        gi = out_like(self.gradInput, input._size)
        gi[...] = np.where((yv == -1) & (x > self.margin), 0, yv)
        if self._avg():
            gi *= 1.0 / input.nElement()
        return self.gradInput
