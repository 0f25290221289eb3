"""nn.BCECriterion: port of torch/nn BCECriterion.lua and THNN BCECriterion.c."""
import numpy as np

from ..messages import at_lua, lua_line, msg
from ..tensor import TorchError
from .. import numerics
from . import _lua
from ..tensor_math.pointwise import dlibm
from ._kernels import arr, as_target, check_nelement, check_type, out_like, sizes_str
from ._thnn_check import THNN_WHERE
from .criterion import Criterion

EPS = 1e-12


class BCECriterion(Criterion):

    def __init__(self, weights=None, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        if weights is not None:
            # BCECriterion.lua 12: assert(weights:dim() == 1, ...)
            with lua_line('nn/BCECriterion.lua:12'):
                if _lua.mcall(weights, 'dim', what="local 'weights'") != 1:
                    raise TorchError('weights input should be 1-D Tensor')
            self.weights = weights

    def __len__(self):
        w = self.__dict__.get('weights')
        return w.size(1) if w is not None else 0

    def _weights(self, input, target):
        # BCECriterion.lua: weights = self.weights:view(1, target:size(2)):expandAs(target)
        # for a target of more than one dimension (Tensor.lua's view and expandAs errors);
        # then THNN_CHECK_NELEMENT(input, weights) after (input, target)
        w = self.__dict__.get('weights')
        if w is not None and target.dim() != 1:
            w = w.view(1, target.size(2)).expandAs(target)
        return w

    @staticmethod
    def _check_weights(input, w):
        if w is None:
            return 1
        if input.nElement() != w.nElement():
            raise at_lua(TorchError(
                'input and weights have different number of elements: input%s has '
                '%d elements, while weights%s has %d elements'
                % (sizes_str(input._size), input.nElement(), sizes_str(w._size),
                   w.nElement())), THNN_WHERE)
        return arr(w)

    def updateOutput(self, input, target):
        # BCECriterion.lua's assert first: input:nElement() == target:nElement()
        if _lua.mcall(input, 'nElement', what="local 'input'") != _lua.mcall(
                target, 'nElement', what="local 'target'"):
            raise at_lua(TorchError('input and target size mismatch'), 'nn/BCECriterion.lua:24')
        # self.output_tensor = self.output_tensor or input.new(1), then the THNN call's types:
        # input, target, output_tensor (of the input's type: a fresh criterion takes floats)
        ot = self.__dict__.get('output_tensor')
        if ot is None:
            ot = self.output_tensor = input.new(1)
        wt = self._weights(input, target)
        if not type(input) is type(target) is type(ot):
            _lua.thnn_call(input, ('target', target), ("field 'output_tensor'", ot))
        check_type(self, input, ot)
        check_nelement(input, target)
        w = self._check_weights(input, wt)
        x = arr(input)
        bad = ~((x >= 0) & (x <= 1))
        if bad.any():  # THNN's THAssertMsg, at the first such element in row-major order
            raise TorchError(msg('thassert', 'x >= 0. && x <= 1.') + 'input value should be '
                             'between 0~1, but got %f' % float(x.reshape(-1)[np.argmax(
                                 bad.reshape(-1))]))
        t = as_target(input, target)
        # THNN: `real sum -= (log(x + EPS) * y + log(1. - x + EPS) * (1. - y)) * w` element
        # after element (the term in double), then `sum /= n` in real
        xd = x.astype(np.float64)
        # (libm's double log: numpy's is its own SIMD code on AVX-512 CPUs)
        terms = dlibm('log', xd + EPS) * t + dlibm('log', 1. - xd + EPS) * (
            1. - t.astype(np.float64))
        if not isinstance(w, int):
            terms = terms * w
        if x.dtype == np.float64:
            s = -numerics.seqsum(terms, np.float64)
        else:
            s = x.dtype.type(0)
            for v in terms.ravel().tolist():
                s = x.dtype.type(float(s) - v)
        if self.sizeAverage:
            with np.errstate(invalid='ignore', divide='ignore'):  # (no elements: 0/0, a NaN)
                s = x.dtype.type(s) / x.dtype.type(input.nElement())
        # THNN: THTensor_(set1d)(output, 0, sum); BCECriterion.lua: self.output_tensor[1]
        o = arr(self.output_tensor).reshape(-1)
        o[0] = s
        self.output = float(o[0])
        return self.output

    def updateGradInput(self, input, target):
        if _lua.mcall(input, 'nElement', what="local 'input'") != _lua.mcall(
                target, 'nElement', what="local 'target'"):  # BCECriterion.lua's assert
            raise at_lua(TorchError('input and target size mismatch'), 'nn/BCECriterion.lua:47')
        wt = self._weights(input, target)
        if not type(input) is type(target) is type(self.gradInput):
            # BCECriterion_updateGradInput(input:cdata(), target:cdata(), gradInput:cdata(), ..)
            _lua.thnn_call(input, ('target', target), ("field 'gradInput'", self.gradInput))
        check_nelement(input, target)
        w = self._check_weights(input, wt)
        x = arr(input)
        t = as_target(input, target)
        gi = out_like(self.gradInput, input._size)
        # THNN: `- norm * (y - x) / ((1. - x + EPS) * (x + EPS))`, norm = 1./n a real, the
        # product in real, the quotient in double; then cmul(gradInput, gradInput, weights)
        n = input.nElement()
        norm = x.dtype.type((1. / n if n else float('inf')) if self.sizeAverage else 1.)
        xd = x.astype(np.float64)
        with np.errstate(divide='ignore', invalid='ignore'):
            np.copyto(gi, (-norm * (t - x)) / ((1. - xd + EPS) * (xd + EPS)), casting='unsafe')
        if not isinstance(w, int):
            np.multiply(gi, w, out=gi, casting='unsafe')
        return self.gradInput
