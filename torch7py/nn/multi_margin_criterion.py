"""nn.MultiMarginCriterion: port of torch/nn MultiMarginCriterion.lua and THNN
MultiMarginCriterion.c (multi-class hinge loss, p = 1 or 2, optional class weights)."""
import numpy as np

from .. import messages, numerics
from ..messages import at_lua
from ..tensor import LongTensor, Tensor, TorchError
from ._crit import target_array
from ._kernels import arr, check_type, out_like
from .criterion import Criterion
from .utils import TorchAssertionError


class MultiMarginCriterion(Criterion):

    def __init__(self, p=None, weights=None, margin=None):
        if p not in (None, 1, 2):
            raise at_lua(TorchAssertionError(
                'only p=1 and p=2 supported'), 'nn/MultiMarginCriterion.lua:5')
        # p and margin before Criterion's fields (MultiMarginCriterion.lua's order)
        self.p = p or 1
        self.margin = 1.0 if margin is None else margin
        super().__init__()
        self.sizeAverage = True
        if weights is not None:
            if weights.dim() != 1:
                raise at_lua(TorchAssertionError(
                    'weights input should be 1-D Tensor'), 'nn/MultiMarginCriterion.lua:11')
            self.weights = weights

    def _parts(self, input, target, grad=False):
        if not isinstance(target, Tensor):
            # MultiMarginCriterion.lua first: a number target goes into self.target_tensor
            # (a LongTensor of 1), whose __newindex rejects a string or a table
            tt = self.__dict__.get('target_tensor')
            if tt is None:
                tt = self.target_tensor = LongTensor(1)
            tt[1] = target
            target = tt
        if not isinstance(getattr(type(input), 'typename', None), str):
            # torch.typename(input):find('torch%.Cuda.*Tensor') of a non-torch input: nil,
            # indexed at line 23 (49 in updateGradInput)
            raise at_lua(TorchError(messages.MESSAGES['index_nil']),
                         'nn/MultiMarginCriterion.lua:%d' % (49 if grad else 23))
        check_type(self, input, input)
        # THNN's FFI: output_tensor (input.new(1), made by the forward) or gradInput, its
        # argument #4 after the state, input and target, must be of the input's type
        buf = self.gradInput if grad else self.__dict__.get('output_tensor')
        if isinstance(buf, Tensor) and buf.typename != input.typename:
            raise TorchError(messages.msg('thnn_ffi_type', 4, buf.typename[6:],
                                          input.typename[6:]))
        # THNN's checks, in its order
        if input.dim() not in (1, 2):
            raise TorchError(messages.msg('thnn_argcheck', 2, 'vector or matrix expected'))
        x = arr(input)
        x2 = x.reshape(1, -1) if x.ndim == 1 else x
        n, dim = x2.shape
        t = target_array(target)
        if x.ndim == 2 and not (getattr(target, 'dim', lambda: 1)() == 1 and t.size == n):
            raise TorchError(messages.msg('thnn_argcheck', 3, 'inconsistent target size'))
        t = t[:n]  # a vector input reads the target's first element
        if (t < 1).any() or (t > dim).any():
            raise TorchError(messages.msg('thnn_argcheck', 3, 'target out of range'))
        t = t - 1
        rows = np.arange(n)
        z = self.margin - x2[rows, t][:, None] + x2
        z[rows, t] = 0
        active = z > 0
        w = self.__dict__.get('weights')
        wt = arr(w)[t][:, None] if w is not None else 1.0
        return x2, t, rows, z, active, wt, n, dim

    def updateOutput(self, input, target):
        x2, t, rows, z, active, wt, n, dim = self._parts(input, target)
        R = x2.dtype.type
        # THNN: `h = p == 1 ? z : z*z; h *= w[target]; sum += h` over the frames' active d in
        # order, in real; then `sum /= dim` and `sum /= nframe` in real
        h = np.where(active, z if self.p == 1 else z * z, R(0))
        if not isinstance(wt, float):
            h = h * wt
        s = numerics.seqsum(h, x2.dtype)
        s = R(s / R(dim))
        if self.sizeAverage:
            s = R(s / R(n))
        # MultiMarginCriterion.lua: self.output_tensor = self.output_tensor or input.new(1)
        # for the THNN call's sum; self.output = self.output_tensor[1]
        ot = self.__dict__.get('output_tensor')
        if ot is None:
            ot = self.output_tensor = input.new(1)
        o = arr(ot).reshape(-1)
        o[0] = s
        self.output = float(o[0])
        return self.output

    def updateGradInput(self, input, target):
        x2, t, rows, z, active, wt, n, dim = self._parts(input, target, grad=True)
        R = x2.dtype.type
        # THNN: g = 1./((real)(nframe*dim)) (or 1./dim) rounded to real; h = g or 2*g*z (in
        # real), h *= w[target]; gradInput[d] = h, gradInput[target] = 0 - h - h ... in order
        g = R(1. / float(R(n * dim)) if self.sizeAverage else 1. / float(R(dim)))
        h = np.where(active, g if self.p == 1 else (R(2) * g) * z, R(0))
        if not isinstance(wt, float):
            h = h * wt
        gi = out_like(self.gradInput, input._size).reshape(x2.shape)
        gi[...] = h
        gi[rows, t] = R(0) - numerics.seqsum_axis(h, 1, x2.dtype)[:, 0]
        return self.gradInput
