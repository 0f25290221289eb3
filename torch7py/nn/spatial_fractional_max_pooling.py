"""nn.SpatialFractionalMaxPooling: port of torch/nn SpatialFractionalMaxPooling.lua and THNN
SpatialFractionalMaxPooling.c (pseudo-random pooling windows, Graham 2014)."""
import math

from .. import messages, tensor as _tensor
from . import _lua
from ..messages import at_lua
from ..tensor import TorchError
from ._fractional import gather_max, intervals
from ._kernels import arr, out_like, scatter_planes
from ._thnn_check import arg_check, check_grad_dims
from .module import Module
from .utils import TorchAssertionError


def at_line(line):
    return messages.lua_line('nn/SpatialFractionalMaxPooling.lua:%d' % line)


def _ge(a, b):
    """Lua's a >= b: two numbers (or two strings), else LuaJIT's compare error, naming a's
    type first (the original printed 'attempt to compare nil with number' for `nil >= 1`)."""
    ka, kb = messages.lua_type(a), messages.lua_type(b)
    if ka == kb and ka in ('number', 'string'):
        return a >= b
    if ka == kb:
        raise TorchError(messages.msg('compare_two', ka))
    raise TorchError(messages.msg('compare', ka, kb))


class SpatialFractionalMaxPooling(Module):

    def __init__(self, poolSizeW, poolSizeH, arg1=None, arg2=None):
        super().__init__()
        if poolSizeW < 2 or poolSizeH < 2:
            raise TorchAssertionError('assertion failed!')  # the Lua asserts have no message
        self.poolSizeW = poolSizeW
        self.poolSizeH = poolSizeH
        # the fields in the order of the Lua __init (their pairs() and file order):
        # self.randomSamples = nil, self.newRandomPool = false, then the sizes or ratios
        self.randomSamples = None
        self.newRandomPool = False
        # SpatialFractionalMaxPooling.lua 31: `if arg1 >= 1 and arg2 >= 1` (short-circuit), else 43-44: assert(self.ratioW > 0 and self.ratioW < 1), the same
        # for ratioH: a nil or non-number fails its compare on the line that reads it
        with at_line(31):
            sized = _ge(arg1, 1) and _ge(arg2, 1)
        if sized:
            self.outW = arg1
            self.outH = arg2
        else:
            self.ratioW = arg1
            self.ratioH = arg2
            for line, r in ((43, arg1), (44, arg2)):
                with at_line(line):
                    ok = _lua.lt(0, r) and _lua.lt(r, 1)
                if not ok:
                    raise at_lua(TorchAssertionError('assertion failed!'),
                                 'nn/SpatialFractionalMaxPooling.lua:%d' % line)

    def _buffer_size(self, input):
        nd = _lua.mcall(input, 'nDimension', what="local 'input'")
        if nd == 3:
            return (1, input.size(1), 2)
        if nd == 4:
            return (input.size(1), input.size(2), 2)
        raise at_lua(TorchError('input must be dim 3 or 4'),
                     'nn/SpatialFractionalMaxPooling.lua:59')

    def initSampleBuffer_(self, input):
        size = self._buffer_size(input)
        rs = self.__dict__.get('randomSamples')
        if rs is None:
            self.randomSamples = input.new().resize(*size).uniform()
        elif rs.size(1) != size[0] or rs.size(2) != size[1]:
            rs.resize(*size).uniform()
        elif not self.newRandomPool:
            # new pooling windows on every call unless fixPoolingRegions() was called
            rs.uniform()

    def getOutputSizes_(self, input):
        if self.__dict__.get('ratioW') is not None:
            H, W = input._size[-2:]
            outW = int(math.floor(W * self.ratioW))
            outH = int(math.floor(H * self.ratioH))
            if outW <= 0:
                raise TorchAssertionError('reduction ratio or input width too small')
            if outH <= 0:
                raise TorchAssertionError('reduction ratio or input height too small')
            return outW, outH
        return self.outW, self.outH

    def fixPoolingRegions(self, val=True):
        self.newRandomPool = val
        return self

    def updateOutput(self, input):
        if not isinstance(self.__dict__.get('indices'), _tensor.LongTensor):
            # type() converts every tensor field; indices stay LongTensor
            self.indices = _tensor.LongTensor()
        if not isinstance(getattr(type(input), 'typename', None), str):
            raise TorchError(messages.msg('index_nil'))  # torch.typename(input):find
        self.initSampleBuffer_(input)
        outW, outH = self.getOutputSizes_(input)
        # the call `input.THNN.SpatialFractionalMaxPooling_updateOutput(input:cdata(),
        # self.output:cdata(), outW, outH, poolSizeW, poolSizeH, self.indices:cdata(),
        # self.randomSamples:cdata())`: the FFI's conversions before THNN's checks
        _lua.thnn_call(input, ("field 'output'", self.output))
        _lua.thnn_call(input, ("field 'indices'", self.indices),
                       ("field 'randomSamples'", self.randomSamples), first=8,
                       index=("field 'indices'",))
        H, W = input._size[-2:]
        arg_check(outH + self.poolSizeH - 1 < H, 7, 'poolSizeH (%d) too large relative to '
                  'input height (%d)', self.poolSizeH, H)
        arg_check(outW + self.poolSizeW - 1 < W, 6, 'poolSizeW (%d) too large relative to '
                  'input width (%d)', self.poolSizeW, W)
        x = arr(input)
        x4 = x if x.ndim == 4 else x[None]
        rs = arr(self.randomSamples)
        sw = intervals(rs[..., 0], W, outW, self.poolSizeW, x.dtype)
        sh = intervals(rs[..., 1], H, outH, self.poolSizeH, x.dtype)
        vals, pos = gather_max(x4, [sh, sw], [self.poolSizeH, self.poolSizeW])
        shape = x.shape[:-2] + (outH, outW)
        out_like(self.output, shape)[...] = vals.reshape(shape)
        out_like(self.indices, shape)[...] = pos.reshape(shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get('randomSamples') is None:
            raise TorchError('must call updateOutput/forward first')
        outW, outH = self.getOutputSizes_(input)
        # (input:cdata(), gradOutput:cdata(), self.gradInput:cdata(), outW, outH, poolSizeW,
        # poolSizeH, self.indices:cdata())
        _lua.thnn_call(input, ('gradOutput', gradOutput), ("field 'gradInput'",
                                                          self.gradInput))
        _lua.thnn_call(input, ("field 'indices'", self.indices), first=8,
                       index=("field 'indices'",))
        nd = input.dim()
        check_grad_dims(gradOutput, ((nd - 1, outW, 'gradOutput width unexpected'),
                                     (nd - 2, outH, 'gradOutput height unexpected')))
        gi = out_like(self.gradInput, input._size)
        g4 = gi if gi.ndim == 4 else gi[None]
        idx = arr(self.indices)
        shape = g4.shape[:2] + idx.shape[-2:]
        scatter_planes(g4, idx.reshape(shape), arr(gradOutput).reshape(shape))
        return self.gradInput

    def clearState(self):
        # SpatialFractionalMaxPooling.lua: self.indices = nil; self.randomSamples = nil (the
        # next forward draws new pooling regions), then parent.clearState
        self.__dict__['indices'] = None
        self.__dict__['randomSamples'] = None
        return super().clearState()

    def __tostring__(self):
        d = self.__dict__

        def pick(a, b):
            # Lua's %d of a ratio: LuaJIT truncates it
            return int(d[a]) if d.get(a) is not None else int(d[b])
        return '%s(%dx%d, %d,%d)' % (self.typename, pick('outW', 'ratioW'),
                                     pick('outH', 'ratioH'), self.poolSizeW, self.poolSizeH)
