"""nn.SpatialClassNLLCriterion: port of torch/nn SpatialClassNLLCriterion.lua and THNN
SpatialClassNLLCriterion.c (ClassNLL at every pixel; averaged by the summed target weights)."""
import numpy as np

from .. import messages, numerics
from ..luaresults import WithMore
from ..messages import at_lua, msg
from ..tensor import DoubleTensor, FloatTensor, LongTensor, TorchError
from . import _lua
from ._kernels import arr, check_type, new_tensor, out_like
from .criterion import Criterion
from ._thnn_check import error as thnn_error
from .utils import TorchAssertionError

_THNN = (DoubleTensor, FloatTensor)


class SpatialClassNLLCriterion(Criterion):
    _thnn_own_checks = ('updateOutput', 'updateGradInput')  # _lua_call

    def __init__(self, weights=None, sizeAverage=None):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        if weights is not None:
            if weights.dim() != 1:
                raise at_lua(TorchAssertionError(
                    'weights input should be 1-D Tensor'), 'nn/SpatialClassNLLCriterion.lua:12')
            self.weights = weights
        self.output_tensor = new_tensor(1).zero()
        self.total_weight_tensor = new_tensor(1).fill(1)
        self.target = LongTensor(1).zero()

    def _lua_call(self, input, target, out_field):
        """SpatialClassNLLCriterion.lua's lines before THNN: the target as a LongTensor in
        self.target (a number goes into self.target[1]) after torch.typename(input):find(...),
        (backward) gradInput:resizeAs(input):zero(), then the THNN call's input.THNN, cdata()s
        and FFI conversions. Returns the target THNN reads."""
        if not isinstance(getattr(type(input), 'typename', None), str):
            raise TorchError(msg('index_nil'))  # torch.typename(input) is nil
        d = self.__dict__
        if messages.lua_type(target) == 'number':
            self.target = _lua.mcall(d.get('target'), 'long', what="field 'target'")
            self.target[1] = target
        else:
            self.target = _lua.mcall(target, 'long', what="local 'target'")
        if out_field == 'gradInput':
            _lua.resize_as_first(self.gradInput, input)
        out, tw, w = d.get(out_field), d.get('total_weight_tensor'), d.get('weights')
        if not (type(input) in _THNN and type(out) is type(input) and type(tw) is type(input)
                and (w is None or type(w) is type(input))
                and type(d.get('sizeAverage')) in (bool, int, float)):
            _lua.thnn_call(input, ('target', self.target), ("field '%s'" % out_field, out),
                           nums=((d.get('sizeAverage'), 'bool'),), index=('target',))
            _lua.thnn_call(input, *((("field 'weights'", w),) if w is not None else ()),
                           ("field 'total_weight_tensor'", tw), first=7 if w is None else 6)
        return self.target

    def _parts(self, input, target, check=True):
        check_type(self, input, self.gradInput)
        # THNN's INITIAL_CHECK, in its order
        if target.dim() != 3:
            raise TorchError(msg('thnn_argcheck', 3, 'only batches of spatial targets supported '
                                 '(3D tensors) but got targets of dimension: %d' % target.dim()))
        if input.dim() != 4:
            raise TorchError(msg('thnn_argcheck', 2, 'only batches of spatial inputs supported '
                                 '(4D tensors), but got input of dimension: %d' % input.dim()))
        w = self.__dict__.get('weights')
        if w is not None and w.nElement() != input._size[1]:
            raise thnn_error('weight tensor should be defined either for all or no classes')
        N, C, H, W = input._size
        if (N, H, W) != tuple(target._size):
            raise TorchError(msg('thassert', 'input0 == target0 && input2 == target1 && '
                                 'input3 == target2') + 'size mismatch (got input: %dx%dx%dx%d, '
                             'target: %dx%dx%d)' % ((N, C, H, W) + tuple(target._size)))
        x4 = arr(input)
        t = np.asarray(arr(target)).astype(np.int64) - 1
        if check and ((t < 0).any() or (t >= C).any()):
            raise _bad_target()
        return x4, t, (self._weights_of(t) if check else None)

    def _weights_of(self, t):
        w = self.__dict__.get('weights')
        return arr(w)[t] if w is not None else np.ones(t.shape)

    def updateOutput(self, input, target):
        target = self._lua_call(input, target, 'output_tensor')
        x4, t, wt = self._parts(input, target)
        picked = np.take_along_axis(x4, t[:, None], axis=1)[:, 0]
        # THNN sums in `real`, one pixel after another (b, then elem): np.add.accumulate is
        # that sequential loop (np.sum would add pairwise); (-a) - b == -(a + b) exactly
        dt = x4.dtype
        wt = wt.astype(dt, copy=False)
        # (from 0: `0 - sum` is THNN's `acc -= p` chain, a zero total included, which C leaves
        # +0 where -(sum) would be -0: a saturated log-probability of 0 prints as 0, not -0)
        total_weight = float(numerics.seqsum(wt.ravel(), dt)) if wt.size else 0.0
        prod = (picked * wt).ravel()
        s = float(dt.type(0) - numerics.seqsum(prod, dt)) if prod.size else 0.0
        if self.sizeAverage and total_weight:
            s = float(dt.type(s) / dt.type(total_weight))
        arr(self.output_tensor)[0] = s
        arr(self.total_weight_tensor)[0] = total_weight
        self.output = s
        # (SpatialClassNLLCriterion.lua: `return self.output, self.total_weight_tensor[1]`)
        return WithMore(s, float(arr(self.total_weight_tensor)[0]))

    def updateGradInput(self, input, target):
        target = self._lua_call(input, target, 'gradInput')
        x4, t, _ = self._parts(input, target, check=False)
        total_weight = float(arr(self.total_weight_tensor)[0])
        gi = out_like(self.gradInput, input._size)
        g4 = gi if gi.ndim == 4 else gi[None]
        g4[...] = 0
        if total_weight <= 0:
            # THNN returns before reading the targets (a forward of zero total weight, or
            # the failed forward's total_weight_tensor): the zeroed gradInput
            return self.gradInput
        C = x4.shape[1]
        bad = (t < 0) | (t >= C)
        stop = None
        if bad.any():
            # THNN writes pixel after pixel (b, then elem) and asserts at the first bad target:
            # the pixels before it keep their gradients
            stop = int(np.argmax(bad.ravel()))
            t = np.where(np.arange(t.size).reshape(t.shape) < stop, t, 0)
        wt = self._weights_of(t)
        if stop is not None:
            wt = np.where(np.arange(t.size).reshape(t.shape) < stop, wt, 0)
        # THNN: -weight / normalize (a division, in `real`)
        norm = total_weight if self.sizeAverage else 1.0
        vals = (-wt.astype(g4.dtype, copy=False)) / g4.dtype.type(norm)
        np.put_along_axis(g4, t[:, None], vals[:, None], axis=1)
        if stop is not None:
            raise _bad_target()
        return self.gradInput


def _bad_target():
    return TorchError(msg('thassert', 'cur_target >= 0 && cur_target < n_classes'))
