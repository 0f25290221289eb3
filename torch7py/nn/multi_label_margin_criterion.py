"""nn.MultiLabelMarginCriterion: port of torch/nn MultiLabelMarginCriterion.lua and THNN
MultiLabelMarginCriterion.c (targets list class indices, ended by the first 0)."""
import numpy as np

from .. import numerics
from ..messages import msg
from ..tensor import DoubleTensor, FloatTensor, Tensor, TorchError
from . import _lua
from ._kernels import arr, check_type, out_like
from .criterion import Criterion

_THNN = (DoubleTensor, FloatTensor)


class MultiLabelMarginCriterion(Criterion):
    _thnn_own_checks = ('updateOutput', 'updateGradInput')  # _lua_call

    def __init__(self):
        super().__init__()
        self.sizeAverage = True
        self.isTarget = self.gradInput.new()

    def _lua_call(self, input, target, out_field):
        """MultiLabelMarginCriterion.lua's lines before THNN: torch.typename(input):find(...),
        target = target:long(), (forward) self.output_tensor = self.output_tensor or
        input.new(1), then the THNN call's input.THNN, cdata()s and FFI conversions. Returns
        the target as THNN reads it (a LongTensor)."""
        out = self.__dict__.get(out_field)
        if type(input) in _THNN and isinstance(target, Tensor) and type(out) is type(input) \
                and type(self.__dict__.get('isTarget')) is type(input) \
                and type(self.__dict__.get('sizeAverage')) in (bool, int, float):
            return target
        if not isinstance(getattr(type(input), 'typename', None), str):
            raise TorchError(msg('index_nil'))
        target = _lua.mcall(target, 'long', what="local 'target'")
        if out is None and out_field == 'output_tensor':
            out = self.output_tensor = _lua.field_call(input, 'new', "local 'input'")(1)
        _lua.thnn_call(input, ('target', target), ("field '%s'" % out_field, out),
                       ("field 'isTarget'", self.__dict__.get('isTarget')),
                       nums=((self.__dict__.get('sizeAverage'), 'bool'),), index=('target',))
        return target

    def _parts(self, input, target):
        check_type(self, input, self.gradInput)
        # THNN's checks, in its order
        if input.dim() not in (1, 2):
            raise TorchError(msg('thnn_argcheck', 2, 'vector or matrix expected'))
        x = arr(input)
        x2 = x.reshape(1, -1) if x.ndim == 1 else x
        n, dim = x2.shape
        if tuple(target._size) != tuple(input._size):
            raise TorchError(msg('thnn_argcheck', 3, 'inconsistent target size'))
        t = np.asarray(arr(target)).astype(np.int64)
        t = t.reshape(n, dim)
        if (t < 0).any() or (t > dim).any():
            raise TorchError(msg('thnn_argcheck', 3, 'target out of range'))
        # the targets of a sample are its entries before the first 0
        valid = np.cumprod(t != 0, axis=1).astype(bool)
        tidx = np.where(valid, t - 1, 0)
        rows = np.arange(n)[:, None]
        is_target = np.zeros((n, dim), dtype=bool)
        is_target[np.broadcast_to(rows, t.shape)[valid], tidx[valid]] = True
        self.isTarget.resize(*((n, dim) if x.ndim == 2 else (dim,)))
        arr(self.isTarget).reshape(n, dim)[...] = is_target
        # z[b, j, i] = 1 - x[b, target j] + x[b, i], for valid targets j and non-targets i
        xt = np.take_along_axis(x2, tidx, axis=1)
        z = 1 - xt[:, :, None] + x2[:, None, :]
        active = (z > 0) & valid[:, :, None] & ~is_target[:, None, :]
        return x2, tidx, z, active, n, dim

    def updateOutput(self, input, target):
        self._lua_call(input, target, 'output_tensor')
        x2, tidx, z, active, n, dim = self._parts(input, target)
        R = x2.dtype.type
        # THNN: for each frame, each target slot, each non-target d: `z = 1 - x[target] + x[d];
        # if (z > 0) sum += z` in order in real; then `sum /= dim`, `sum /= nframe` in real
        s = numerics.seqsum(np.where(active, z, R(0)), x2.dtype)
        s = R(s / R(dim))
        if self.sizeAverage:
            s = R(s / R(n))
        # THNN: THTensor_(set1d)(output, 0, sum); its Lua: self.output_tensor[1]
        o = arr(self.output_tensor).reshape(-1)
        o[0] = s
        self.output = float(o[0])
        return self.output

    def updateGradInput(self, input, target):
        self._lua_call(input, target, 'gradInput')
        x2, tidx, z, active, n, dim = self._parts(input, target)
        R = x2.dtype.type
        # THNN: g = 1./((real)(nframe*dim)) (or 1./dim) rounded to real; each active pair does
        # `gradInput[target] -= g; gradInput[d] += g` in real. A target never takes a +g (d is
        # a non-target), so each element is 0 + g + g ... (or 0 - g - g ...) a count of times:
        # the partial sums of g in real, looked up by count
        g = R(1. / float(R(n * dim)) if self.sizeAverage else 1. / float(R(dim)))
        up = active.sum(axis=1)                              # += g at each non-target d
        down = np.zeros((n, dim), np.int64)                  # -= g at each target
        np.add.at(down, (np.broadcast_to(np.arange(n)[:, None], tidx.shape), tidx),
                  active.sum(axis=2))
        k = int(max(up.max(initial=0), down.max(initial=0)))
        steps = np.zeros(k + 1, x2.dtype)
        if k:
            steps[1:] = np.add.accumulate(np.full(k, g, x2.dtype), dtype=x2.dtype)
        gi = out_like(self.gradInput, input._size).reshape(x2.shape)
        gi[...] = np.where(down > 0, R(0) - steps[down], steps[up])
        return self.gradInput
