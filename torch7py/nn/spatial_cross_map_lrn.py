"""nn.SpatialCrossMapLRN: port of torch/nn SpatialCrossMapLRN.lua (local response normalisation
across neighbouring planes: x / (k + alpha/size * sum of squares) ^ beta)."""
import numpy as np

from .. import messages
from ..messages import lua_line
from ..tensor import Tensor, TorchError, from_numpy
from ..tensor_math.pointwise import th_pow
from . import _lua
from ._kernels import arr, out_like
from ._pointwise import buffer
from .module import Module


def _torch_sum_dim(a):
    """TH's sum of a (N, K, H, W) array along K for each sample (accumRatio:sum(..., 1) of one
    sample's (K, H, W) view), as the tensor method computes it: (N, H, W)."""
    t = from_numpy(np.ascontiguousarray(a))
    return t.sum(2).numpy()[:, 0].copy()


class SpatialCrossMapLRN(Module):

    def __init__(self, size, alpha=0.0001, beta=0.75, k=1):
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k
        # (scale: made by the first forward, as SpatialCrossMapLRN.lua's)

    def _x4(self, t):
        if t.dim() not in (3, 4):
            raise TorchError('Input must be 3D or 4D')
        a = arr(t)
        return a if a.ndim == 4 else a[None]

    def updateOutput(self, input):
        x = self._x4(input)
        s_ = self.__dict__.get('scale')
        if x.dtype.kind != 'f' or type(self.output) is not type(input) \
                or isinstance(s_, Tensor) and type(s_) is not type(input):
            # SpatialCrossMapLRN.lua's lines up to inputSquare:pow(input, 2), a method TH's
            # integer types lack (LuaJIT: attempt to call method 'pow' (a nil value)), and
            # which refuse an input of another type than output's or scale's (resizeAs: the
            # scale a failed call made with input.new() fails the next call's line 41)
            from . import utils
            _lua.new_field(self, 'scale', input)
            x4 = input if input.dim() == 4 else utils.addSingletonDimension(input)
            with lua_line('nn/SpatialCrossMapLRN.lua:40'):
                _lua.mcall(self.output, 'resizeAs', x4)
            with lua_line('nn/SpatialCrossMapLRN.lua:41'):
                _lua.mcall(self.scale, 'resizeAs', x4)
            with lua_line('nn/SpatialCrossMapLRN.lua:45'):
                return _lua.mcall(self.output, 'pow', x4, 2)
        R = x.dtype.type
        C = x.shape[1]
        # SpatialCrossMapLRN.lua works on a 4D view of a 3D input: output and scale are
        # resized as that view (scale stays 1xCxHxW; output is narrowed back at the end)
        s4 = buffer(self, 'scale', x.shape)
        y = out_like(self.output, x.shape)
        # SpatialCrossMapLRN.lua, op by op: inputSquare:pow(input, 2) (in the output's storage)
        sq = th_pow(x, 2, y)
        # prePad = (size - 1)/2 + 1 (a Lua number: .5 for an even size; an index made of it
        # is truncated as the C side reads it)
        pre = (self.size - 1) / 2 + 1
        crop = C if pre > C else pre
        s4[:, 0] = 0
        c = 1
        while c <= crop:  # for c = 1, prePadCrop do scaleFirst:add(inputSquare:select(2, c))
            s4[:, 0] += sq[:, c - 1]
            c += 1
        # the next planes' sums: the previous one, plus the entering plane, minus the leaving
        for c in range(2, C + 1):
            s4[:, c - 1] = s4[:, c - 2]
            if c < C - pre + 2:
                s4[:, c - 1] += sq[:, int(c + pre - 1) - 1]
            if c > pre:
                if int(c - pre) < 1:
                    # an even size: c - prePad is a fraction below 1, which select truncates
                    # to 0: inputSquare:select(2, c - prePad) fails (out of range), with the
                    # output holding the squares and scale the planes summed so far
                    try:
                        _lua.mcall(self.output, 'select', 2, c - pre)
                    except TorchError as e:
                        raise messages.at_lua(e, 'nn/SpatialCrossMapLRN.lua:68')
                s4[:, c - 1] -= sq[:, int(c - pre) - 1]
        # scale:mul(alpha/size):add(k), in real
        np.multiply(s4, R(self.alpha / self.size), out=s4)
        s4 += R(self.k)
        th_pow(s4, -self.beta, y)  # output:pow(scale, -beta): TH's pow (libm's powf/pow)
        y *= x
        if input.dim() == 3:
            self.output.resize(*input._size)  # self.output = self.output[1]
        return self.output

    def _lua_grad_prefix(self, input, gradOutput):
        """SpatialCrossMapLRN.lua's updateGradInput (CPU branch) up to the gradient's first
        product, for a call the vectorised path does not cover (no forward yet, a gradOutput
        of another type or count): the rank assert, the singleton views of input, gradOutput
        and output, the buffers and their sizes, the Lua number arithmetic, then
        gradInput:resizeAs(input):pow(self.scale, -beta):cmul(gradOutput) (TH's texts)."""
        from . import _lua, utils
        from .utils import TorchAssertionError
        nd = _lua.mcall(input, 'dim', what="local 'input'")
        if nd not in (3, 4):
            raise TorchAssertionError('Input must be 3D or 4D')
        if nd == 3:
            input = utils.addSingletonDimension(input)
            gradOutput = utils.addSingletonDimension(gradOutput)
            self.output = utils.addSingletonDimension(self.output)
        channels, h, w = input.size(2), input.size(3), input.size(4)
        utils.lua_buffers(self, input, 'paddedRatio', 'accumRatio')
        d = self.__dict__

        def num(name):
            v = d.get(name)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TorchError(messages.arith_text(messages.lua_type(v), "field '%s'" % name))
            return v
        self.paddedRatio.resize(channels + num('size') - 1, h, w)
        self.accumRatio.resize(h, w)
        num('alpha'), num('beta'), num('size')  # cacheRatioValue = 2*alpha*beta/size
        with lua_line('nn/SpatialCrossMapLRN.lua:124'):
            self.gradInput.resizeAs(input)
        with lua_line('nn/SpatialCrossMapLRN.lua:125'):
            _lua.mcall(_lua.mcall(self.gradInput, 'pow', d.get('scale'), -self.beta), 'cmul',
                       gradOutput)

    def updateGradInput(self, input, gradOutput):
        s_ = self.__dict__.get('scale')
        if not (isinstance(input, Tensor) and type(s_) is type(input)
                and type(gradOutput) is type(input)
                and s_.nElement() == input.nElement() == gradOutput.nElement()
                and self.output.nElement() == input.nElement()):
            self._lua_grad_prefix(input, gradOutput)
        x = self._x4(input)
        R = x.dtype.type
        N, C = x.shape[:2]
        s = arr(self.scale).reshape(x.shape)
        y = arr(self.output).reshape(x.shape)
        go = arr(gradOutput).reshape(x.shape)
        size = self.size
        crv = R(2 * self.alpha * self.beta / size)  # cacheRatioValue, a real in addcmul
        ipp = int(size - (size - 1) / 2)            # inversePrePad (narrow's start)
        gi = out_like(self.gradInput, input._size).reshape(x.shape)
        th_pow(s, -self.beta, gi)  # gradInput:pow(scale, -beta):cmul(gradOutput)
        gi *= go
        # paddedRatioCenter:cmul(gradOutput[n], self.output[n]) (line 130): gradOutput's own
        # slices (of as many elements in all, but laid out otherwise) fail TH's count check
        g4 = tuple(gradOutput._size) if input.dim() == 4 else (1,) + tuple(gradOutput._size)
        n1, n2 = int(np.prod(g4[1:])), int(np.prod(x.shape[1:]))
        if n1 != n2:
            a = messages.size_str(g4[1:])
            raise messages.at_lua(TorchError(messages.msg(
                'inconsistent_3', 'r_', a, 't', a, 'src', messages.size_str(x.shape[1:]),
                n1, n1, n2)), 'nn/SpatialCrossMapLRN.lua:130')
        # paddedRatio (zero padded), its centre gradOutput[n] * output[n] / scale[n]; the
        # samples are independent, so all of them at once
        padded = np.zeros((N, C + size - 1) + x.shape[2:], x.dtype)
        centre = padded[:, ipp - 1:ipp - 1 + C]
        np.multiply(go, y, out=centre)
        centre /= s
        # accumRatio:sum(paddedRatio:narrow(1, 1, size - 1), 1): TH's sum along a dim; a
        # size of 1 narrows 0 planes, which TH refuses (out of range) after the gradient's
        # first product and the paddedRatio (channels planes, zero) and accumRatio buffers
        if size - 1 < 1:
            for name, shape in (('paddedRatio', (C + size - 1,) + x.shape[2:]),
                                ('accumRatio', x.shape[2:])):
                buffer(self, name, shape, like=input)[...] = 0
            if input.dim() == 3:  # (output stays the 1xCxHxW view the method made)
                self.output.resize(*x.shape)
            try:
                _lua.mcall(self.paddedRatio, 'narrow', 1, 1, size - 1)
            except TorchError as e:
                raise messages.at_lua(e, 'nn/SpatialCrossMapLRN.lua:132')
        acc = _torch_sum_dim(padded[:, :size - 1])
        for c in range(C):
            acc += padded[:, c + size - 1]
            # gradInput[n][c]:addcmul(-cacheRatioValue, input[n][c], accumRatio)
            gi[:, c] += (x[:, c] * -crv) * acc
            acc -= padded[:, c]
        # SpatialCrossMapLRN.lua keeps its buffers as fields: paddedRatio (channels + size - 1
        # planes) and accumRatio (one plane), as the last sample's loop leaves them; each
        # sample's accumRatio:sum(paddedRatio:narrow(1, 1, size - 1), 1) made it 1 x H x W
        # (TH's sum keeps the summed dimension)
        d = self.__dict__
        if not isinstance(d.get('paddedRatio'), Tensor):
            self.paddedRatio = input.new()
        if not isinstance(d.get('accumRatio'), Tensor):
            self.accumRatio = input.new()
        if len(acc):
            out_like(self.paddedRatio, padded.shape[1:])[...] = padded[-1]
            out_like(self.accumRatio, (1,) + acc.shape[1:])[...] = acc[-1:]
        return self.gradInput

    def clearState(self):
        from . import utils
        utils.clear(self, 'scale', 'paddedRatio', 'accumRatio')
        return super().clearState()
