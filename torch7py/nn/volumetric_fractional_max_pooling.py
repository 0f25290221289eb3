"""nn.VolumetricFractionalMaxPooling: port of torch/nn VolumetricFractionalMaxPooling.lua and THNN
VolumetricFractionalMaxPooling.c (pseudo-random overlapping 3-d windows, one draw per plane)."""
import math

import numpy as np

from .. import messages
from ..messages import at_lua
from .. import tensor as _tensor
from ..tensor import TorchError
from . import _kernels, _lua
from ._fractional import fractional_window_max, intervals
from ._kernels import arr, out_like, sizes_str
from ._thnn_check import arg_check, check_grad_dims
from .module import Module


def _window_index(starts, pool, S):
    """For the windows starting at starts[d] (P, o_d) of size pool[d] over planes (P, *S): the
    flat index into x (P * M, K) rows of K = prod(pool) in window order, and the same within
    the plane. Cached for the last few start sets: a Jacobian check runs thousands of forwards
    with the same samples."""
    key = (tuple(pool), tuple(S)) + tuple((s.shape, s.tobytes()) for s in starts)
    hit = _WINDOWS.get(key)
    if hit is not None:
        return hit
    nd = len(pool)
    P = starts[0].shape[0]
    vol = int(math.prod(S))
    out = tuple(s.shape[1] for s in starts)
    flat = np.zeros((P,) + out + tuple(pool), dtype=np.int64)
    for d in range(nd):
        pos = starts[d][:, :, None] + np.arange(pool[d])[None, None, :]      # (P, o_d, k_d)
        shape = [P] + [1] * (2 * nd)
        shape[1 + d] = out[d]
        shape[1 + nd + d] = pool[d]
        flat += (pos * int(math.prod(S[d + 1:]))).reshape(shape)
    K = int(math.prod(pool))
    flat = flat.reshape(-1, K)
    whole = flat + np.repeat(np.arange(P) * vol, flat.shape[0] // P)[:, None]
    for a in (flat, whole):
        a.flags.writeable = False
    if len(_WINDOWS) >= 4:
        _WINDOWS.pop(next(iter(_WINDOWS)))
    _WINDOWS[key] = (whole, flat)
    return whole, flat


_WINDOWS = {}


def _starts(rs, S, out, pool, dtype):
    """The windows' starts along H, W and T from the planes' samples rs (P, 3): a plane's three
    draws are for T, W and H, in that order. Kept for the last few sample sets (a Jacobian
    check with fixed pooling regions runs thousands of forwards with the same samples)."""
    key = (rs.tobytes(), rs.shape, tuple(S), tuple(out), tuple(pool), np.dtype(dtype).str)
    hit = _STARTS.get(key)
    if hit is not None:
        return hit
    starts = [intervals(rs[:, 2], S[0], out[0], pool[0], dtype),
              intervals(rs[:, 1], S[1], out[1], pool[1], dtype),
              intervals(rs[:, 0], S[2], out[2], pool[2], dtype)]
    for a in starts:
        a.flags.writeable = False
    if len(_STARTS) >= 4:
        _STARTS.pop(next(iter(_STARTS)))
    _STARTS[key] = starts
    return starts


_STARTS = {}


def fractional_pool(x, starts, pool, vals, idx):
    """Max of x (P, *S) over the windows starting at starts[d] (P, o_d) of size pool[d], the
    first maximum in window order; vals (P, *o) and THNN's 1-based plane indices idx (P, *o)."""
    whole, flat = _window_index(starts, pool, x.shape[1:])
    xc = np.ascontiguousarray(x)
    if (_kernels.c_ok(xc, vals, idx) and vals.dtype == xc.dtype
            and hasattr(_kernels._nnk, 'gathermax')):
        # the gather and THNN's scan in one C loop, without the (P * prod(o), K) windows
        if _kernels._nnk.gathermax(xc, whole, flat, vals, idx, xc.size, whole.shape[0],
                                   whole.shape[1], xc.dtype == np.float32):
            raise TorchError("Assertion `maxVal != -THInf' failed. ")
        return
    win = x.reshape(-1)[whole]                       # (P * prod(o), K)
    k, best = fractional_window_max(win)
    rows = np.arange(win.shape[0])
    vals[...] = best.reshape(vals.shape)
    idx[...] = (flat[rows, k] + 1).reshape(idx.shape)


def fractional_backward(gi, idx, go):
    """gi (P, *S) = the sum of go (P, *o) at the 1-based plane indices idx."""
    P = gi.shape[0]
    plane = gi[0].size
    flat = (idx.reshape(P, -1) - 1 + (np.arange(P) * plane)[:, None]).ravel()
    gi[...] = np.bincount(flat, weights=go.reshape(-1), minlength=P * plane).reshape(gi.shape)


class VolumetricFractionalMaxPooling(Module):
    """THNN's kernel lays a plane out as (H, W, T): the input is [N x] C x H x W x T, the output
    [N x] C x outH x outW x outT (THCUNN's too: dimh = 1, dimw = 2, dimt = 3)."""

    def __init__(self, poolSizeT, poolSizeW, poolSizeH, arg1=None, arg2=None, arg3=None):
        super().__init__()
        if not (poolSizeT >= 2 and poolSizeW >= 2 and poolSizeH >= 2):
            raise TorchError('assertion failed!')
        self.poolSizeT = poolSizeT
        self.poolSizeW = poolSizeW
        self.poolSizeH = poolSizeH
        self.randomSamples = None  # (Lua's `self.randomSamples = nil`: a node holding nil)
        self.newRandomPool = False
        if arg1 >= 1 and arg2 >= 1 and arg3 >= 1:
            self.outT, self.outW, self.outH = arg1, arg2, arg3
        else:
            self.ratioT, self.ratioW, self.ratioH = arg1, arg2, arg3
            if not (0 < arg1 < 1 and 0 < arg2 < 1 and 0 < arg3 < 1):
                raise TorchError('assertion failed!')

    def fixPoolingRegions(self, val=None):
        self.newRandomPool = True if val is None else val
        return self

    def _buffer_size(self, input):
        nd = _lua.mcall(input, 'nDimension', what="local 'input'")
        if nd == 4:
            return 1, input.size(1)
        if nd == 5:
            return input.size(1), input.size(2)
        raise at_lua(TorchError('input must be dim 4 or 5'),
                     'nn/VolumetricFractionalMaxPooling.lua:64')

    def initSampleBuffer_(self, input):
        N, C = self._buffer_size(input)
        rs = self.__dict__.get('randomSamples')
        if rs is None:
            self.randomSamples = input.new().resize(N, C, 3).uniform()
        elif rs.size(1) != N or rs.size(2) != C:
            rs.resize(N, C, 3).uniform()
        elif not self.newRandomPool:
            rs.uniform()

    def getOutputSizes_(self, input):
        d = self.__dict__
        if d.get('ratioW') is not None and d.get('ratioH') is not None:
            if input.dim() not in (4, 5):
                raise at_lua(TorchError('input must be dim 4 or 5'),
                             'nn/VolumetricFractionalMaxPooling.lua:100')
            s = input._size
            outT = math.floor(s[-1] * self.ratioT)
            outW = math.floor(s[-2] * self.ratioW)
            outH = math.floor(s[-3] * self.ratioH)
            for v, name in ((outT, 'time'), (outW, 'width'), (outH, 'height')):
                if v <= 0:
                    raise TorchError('reduction ratio or input %s too small' % name)
            return outT, outW, outH
        return self.outT, self.outW, self.outH

    def _geo(self, input, gradOutput=None):
        if self.__dict__.get('ratioW') is not None and self.__dict__.get('ratioH') is not None:
            self.getOutputSizes_(input)  # (its Lua's errors come before the THNN call's)
        if gradOutput is None:
            # the call `input.THNN.VolumetricFractionalMaxPooling_updateOutput(input:cdata(),
            # self.output:cdata(), outT, outW, outH, poolSizeT, poolSizeW, poolSizeH,
            # self.indices:cdata(), self.randomSamples:cdata())`: the FFI's conversions
            _lua.thnn_call(input, ("field 'output'", self.output))
            _lua.thnn_call(input, ("field 'indices'", self.indices),
                           ("field 'randomSamples'", self.randomSamples), first=10,
                           index=("field 'indices'",))
        else:
            # (input:cdata(), gradOutput:cdata(), self.gradInput:cdata(), outT, outW, outH,
            # poolSizeT, poolSizeW, poolSizeH, self.indices:cdata())
            _lua.thnn_call(input, ('gradOutput', gradOutput), ("field 'gradInput'",
                                                              self.gradInput))
            _lua.thnn_call(input, ("field 'indices'", self.indices), first=10,
                           index=("field 'indices'",))
        if input.dim() not in (4, 5):
            raise TorchError(messages.msg('thnn_argcheck', 2, '4D or 5D (batch mode) tensor '
                                          'expected for input, but got: %s'
                                          % sizes_str(input._size)))
        outT, outW, outH = self.getOutputSizes_(input)
        H, W, T = input._size[-3:]
        arg_check(outH + self.poolSizeH - 1 < H, 9, 'poolSizeH (%d) too large relative to '
                  'input height (%d)', self.poolSizeH, H)
        arg_check(outW + self.poolSizeW - 1 < W, 8, 'poolSizeW (%d) too large relative to '
                  'input width (%d)', self.poolSizeW, W)
        arg_check(outT + self.poolSizeT - 1 < T, 7, 'poolSizeT (%d) too large relative to '
                  'input time (%d)', self.poolSizeT, T)
        return (outH, outW, outT), (H, W, T)

    def updateOutput(self, input):
        # its Lua: self.indices (a LongTensor), torch.typename(input):find(...),
        # initSampleBuffer_ (its random draws), getOutputSizes_, then THNN's checks
        ind = self.__dict__.get('indices')
        if ind is None:
            self.indices = _tensor.LongTensor()
        if not isinstance(getattr(type(input), 'typename', None), str):
            raise TorchError(messages.msg('index_nil'))
        if self.indices.typename != 'torch.LongTensor':
            self.indices = self.indices.long()
        self.initSampleBuffer_(input)
        out, S = self._geo(input)
        x = np.ascontiguousarray(arr(input))
        P = int(math.prod(x.shape[:-3]))
        rs = arr(self.randomSamples).reshape(P, 3)
        pool = (self.poolSizeH, self.poolSizeW, self.poolSizeT)
        shape = x.shape[:-3] + out
        vals = out_like(self.output, shape).reshape((P,) + out)
        idx = out_like(self.indices, shape).reshape((P,) + out)
        fractional_pool(x.reshape((P,) + S), _starts(rs, S, out, pool, x.dtype), pool, vals,
                        idx)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get('randomSamples') is None:
            raise TorchError('must call updateOutput/forward first')
        out, S = self._geo(input, gradOutput)
        nd = input.dim()
        check_grad_dims(gradOutput, ((nd - 1, out[2], 'gradOutput time unexpected'),
                                     (nd - 2, out[1], 'gradOutput width unexpected'),
                                     (nd - 3, out[0], 'gradOutput height unexpected')))
        want = tuple(input._size[:-3]) + out
        if tuple(gradOutput._size) != want:  # THNN reads past a smaller gradOutput
            raise TorchError('size mismatch: gradOutput is %s, expected %s'
                             % (sizes_str(gradOutput._size), sizes_str(want)))
        x = arr(input)
        P = int(math.prod(x.shape[:-3]))
        gi = out_like(self.gradInput, x.shape)
        fractional_backward(gi.reshape((P,) + S), arr(self.indices),
                            np.ascontiguousarray(arr(gradOutput)))
        return self.gradInput

    def empty(self):
        return self.clearState()

    def clearState(self):
        self.__dict__.pop('indices', None)
        self.__dict__.pop('randomSamples', None)
        return super().clearState()

    def __tostring__(self):
        d = self.__dict__

        def pick(a, b):
            # Lua's %d of a ratio: LuaJIT truncates it
            return int(d[a]) if d.get(a) is not None else int(d[b])
        # VolumetricFractionalMaxPooling.lua (nn 8726825): '%s(%dx%dx%d, %d,%d,%d)'
        return '%s(%dx%dx%d, %d,%d,%d)' % (self.typename, pick('outT', 'ratioT'),
                                           pick('outW', 'ratioW'), pick('outH', 'ratioH'),
                                           self.poolSizeT, self.poolSizeW, self.poolSizeH)
