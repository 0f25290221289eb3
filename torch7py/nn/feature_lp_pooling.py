"""nn.FeatureLPPooling: port of torch/nn FeatureLPPooling.lua and THNN FeatureLPPooling.c (p-norm
pooling across windows of the feature dimension)."""
import numpy as np

from ..tensor import TorchError
from . import _kernels, _lua
from ..tensor_math.pointwise import libm2
from ._kernels import arr, out_like
from .module import Module
from ..messages import at_lua, lua_type_name, msg
from ._thnn_check import arg_check

try:  # _nnk.flp's loop, from the values of its last call where the input is unchanged
    from ._sn import flp_resume as _FLP_RESUME
except ImportError:  # not built (or built before it): _nnk's
    _FLP_RESUME = None

def _cpow(a, e):
    """C's double pow (libm's) of each element of a (as doubles) and the number e."""
    a = np.asarray(a, np.float64)
    return libm2('pow', a, float(e), np.empty(a.shape, np.float64))


_POW_TERMS = []  # [(key, keep, pow terms)] of the last backward


def _pow_terms(x3, y, oF, width, s, p):
    """THNN's backward terms that do not involve gradOutput: whether each output is nonzero, and
    pow(x / y, power - 1) of each window term (x / y in real, pow in double). nn.Jacobian's
    backward runs once per output element on the same input and output: the last call's terms
    are kept while their bits and the geometry are the same (a pure function of them)."""
    key = (x3.shape, x3.dtype.str, y.shape, oF, width, s, p, x3.tobytes(), y.tobytes())
    if _POW_TERMS and _POW_TERMS[0][0] == key:
        return _POW_TERMS[0][1], _POW_TERMS[0][2]
    B, F, R = x3.shape
    st = x3.strides
    win = np.lib.stride_tricks.as_strided(    # (B, oF, width, R): x[b, o * s + i, r]
        x3, (B, oF, width, R), (st[0], st[1] * s, st[1], st[2]), writeable=False)
    with np.errstate(invalid='ignore', divide='ignore', over='ignore'):
        keep = (y != 0)[:, :, None]
        q = win / np.where(keep, y[:, :, None], 1)
        pw = _cpow(q, p - 1)
    keep.flags.writeable = False
    pw.flags.writeable = False
    _POW_TERMS[:] = [(key, keep, pw)]
    return keep, pw


class FeatureLPPooling(Module):

    def __init__(self, width, stride, power, batch_mode=None):
        super().__init__()
        if width < 2 or width > 16:
            raise at_lua(TorchError('width must be within 2 to 16'),
                         'nn/FeatureLPPooling.lua:32')  # Lua's error()
        if stride < 1 or stride > 4:
            raise at_lua(TorchError('stride must be within 1 to 4'), 'nn/FeatureLPPooling.lua:36')
        self.width = width
        self.stride = stride
        self.power = power
        self.batch_mode = batch_mode

    def _ffi_check(self, first):
        """LuaJIT's conversion of power (accreal), width and stride (int), arguments first..
        first+2 of the THNN call: a field that is no number fails before THNN runs."""
        for n, (value, ctype) in enumerate(((self.__dict__.get('power'), 'double'),
                                            (self.__dict__.get('width'), 'int'),
                                            (self.__dict__.get('stride'), 'int')), first):
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                raise TorchError(msg('thnn_argcheck', n, "cannot convert '%s' to '%s'"
                                     % (lua_type_name(value), ctype)))

    def _rows(self, input, backward=False):
        """(batch, feature, rest) view: the feature dim is the first non-batch one; THNN's
        checks first (its argument numbers differ between updateOutput and
        updateGradInput)."""
        nd = input.dim()
        batch = self.__dict__.get('batch_mode')  # nil when a file was written without it
        n = 3 if backward else 2
        if batch:
            arg_check(2 <= nd <= 4, n, 'input must be 2-4 dimensions for batch mode')
        else:
            arg_check(1 <= nd <= 3, n, 'input must be 1-3 dimensions for non-batch mode')
        x = arr(input)
        lo = 2 if batch else 1
        x3 = x.reshape((x.shape[0] if batch else 1, x.shape[lo - 1], -1))
        F = x3.shape[1]
        arg_check(F >= self.width, 3, 'input: feature dimension must be >= width')
        oF = (F - self.width) // self.stride + 1
        return x3, oF

    def updateOutput(self, input):
        if hasattr(input, 'dim'):
            self._ffi_check(4)
        x3, oF = self._rows(input)
        p = self.power
        shape = list(input._size)
        shape[1 if self.__dict__.get('batch_mode') else 0] = oF
        y = out_like(self.output, tuple(shape))
        if _kernels.c_ok(x3, y) and y.dtype == x3.dtype and hasattr(_kernels._nnk, 'flp'):
            # THNN's loop in one call (a Jacobian check runs one forward per element twice);
            # _sn's resumes from the last call, recomputing only what a changed element reaches
            B, F, R = x3.shape
            (_FLP_RESUME or _kernels._nnk.flp)(x3, y, B, F, R, oF, int(self.width),
                                               int(self.stride), float(p), y.dtype == np.float32)
            return self.output
        # THNN: accreal v = 0; v += pow(x, power) for each term of the window in order; then
        # pow(v, 1 / power), in double (accreal) for float tensors too. C's pow is libm's
        # (numpy's float_power and power are numpy's own SIMD code on AVX-512 CPUs, and np.power
        # and x * x differ from pow in the last bit now and then)
        span = self.stride * (oF - 1) + 1
        with np.errstate(invalid='ignore', divide='ignore', over='ignore'):
            xp = _cpow(x3, float(p))                                  # (B, F, R)
            s = np.zeros(xp[:, 0:span:self.stride].shape)
            for i in range(self.width):  # one strided slice of the features per window offset
                s += xp[:, i:i + span:self.stride]
            y = _cpow(s, 1.0 / p)                                     # (B, oF, R)
        out_like(self.output, tuple(shape))[...] = y.reshape(shape)
        return self.output

    def _upcast(self, t):
        """THNN's FeatureLPPooling_upcastCPU sizes: [batch][feature][opt 1][opt 2]."""
        size = list(t._size)
        if not self.__dict__.get('batch_mode'):
            size = [1] + size
        return size + [1] * (4 - len(size))

    def updateGradInput(self, input, gradOutput):
        if not (type(input) is type(gradOutput) is type(self.output) is type(self.gradInput)
                and input.typename in ('torch.DoubleTensor', 'torch.FloatTensor')):
            # FeatureLPPooling.lua: input.THNN.FeatureLPPooling_updateGradInput(
            # gradOutput:cdata(), input:cdata(), self.output:cdata(), self.gradInput:cdata(), ..)
            _lua.thnn_call(input, ('gradOutput', gradOutput), first=2)
            _lua.thnn_call(input, ("field 'output'", self.output),
                           ("field 'gradInput'", self.gradInput), first=4)
        if hasattr(input, 'dim'):  # the THNN call's arguments in order: gradOutput:cdata()
            if not hasattr(gradOutput, 'dim'):
                raise _kernels.thnn_value_error(gradOutput, 'gradOutput')
            self._ffi_check(6)
        x3, oF = self._rows(input, backward=True)
        if self._upcast(self.output) != self._upcast(gradOutput):
            raise TorchError(msg('thassert', 'outputDesc.size[i] == gradOutputDesc.size[i]')
                             + 'output and gradOutput sizes do not match')
        B, F, R = x3.shape
        y = arr(self.output).reshape(B, oF, R)
        go = arr(gradOutput).reshape(B, oF, R)
        p, s = float(self.power), self.stride
        span = s * (oF - 1) + 1
        g = np.zeros(x3.shape, dtype=x3.dtype)
        # THNN: for each output feature whose output is nonzero, each term of its window adds
        # real v = go * pow(x / y, power - 1) (x / y in real, pow and the product in double)
        # into gradInput, in real. An input feature's terms come from the output features in
        # increasing order, that is from the window offsets in decreasing order.
        keep, pw = _pow_terms(x3, y, oF, int(self.width), s, p)
        goc = np.ascontiguousarray(go)
        if _kernels.c_ok(g, goc) and goc.dtype == g.dtype and hasattr(_kernels._nnk, 'flp_back'):
            # the loop below in one pass (nn.Jacobian's backward runs once per output element)
            _kernels._nnk.flp_back(g, goc, np.ascontiguousarray(keep), np.ascontiguousarray(pw),
                                   B, F, R, oF, int(self.width), int(s), g.dtype == np.float32)
            out_like(self.gradInput, input._size)[...] = g.reshape(arr(input).shape)
            return self.gradInput
        with np.errstate(invalid='ignore', over='ignore'):
            v = (np.where(keep, go[:, :, None], 0).astype(np.float64) * pw).astype(x3.dtype)
        v[~np.broadcast_to(keep, v.shape)] = 0  # skipped: +0 into a sum that never holds -0
        for i in reversed(range(self.width)):
            g[:, i:i + span:s] += v[:, :, i]
        out_like(self.gradInput, input._size)[...] = g.reshape(arr(input).shape)
        return self.gradInput

    def __tostring__(self):
        # FeatureLPPooling.lua formats batch_mode (nil or a boolean in practice) with %d, so
        # Torch7's print of this module fails with string.format's error; a number prints,
        # without the closing parenthesis its format string lacks. Its `return
        # string.format(...)` is a tail call: LuaJIT names the function '?', and string.format
        # (a C function) puts no position before its error
        fields = (self.width, self.stride, self.power, self.__dict__.get('batch_mode'))
        for i, v in enumerate(fields):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                e = TorchError("bad argument #%d to '?' (number expected, got %s)"
                               % (i + 3, lua_type_name(v)))
                e.torch7_plain = True
                raise e
        return '%s(w%d s%d power %d batch %d' % ((self.typename,) + fields)
