"""nn.BatchNormalization: port of torch/nn BatchNormalization.lua and its THNN kernel."""
import numpy as np

from ..tensor import Tensor, TorchError
from ..tensor_math.pointwise import th_pow
from . import utils
from .. import numerics
from . import _kernels, _lua
from ._kernels import arr, check_type, new_tensor, out_like
from ..messages import at_lua, lua_line, lua_method_call, msg
from ._thnn_check import THNN_WHERE, check_shape
from .module import Module


def _plane_sums(a3):
    """Per channel of an (N, C, S) array: its N*S elements summed one after the other in
    (batch, position) order, in double (TH_TENSOR_APPLY over input:select(2, c))."""
    c = a3.shape[1]
    return numerics.seqsum_axis(a3.transpose(1, 0, 2).reshape(c, -1), 1, np.float64)[:, 0]


def _plane_vector(v, C, dt):
    """A per-plane value (a scalar or a length-C array) as a contiguous length-C array."""
    return np.ascontiguousarray(np.broadcast_to(np.asarray(v, dt), (C,)))


class BatchNormalization(Module):

    nDim = 2

    def __init__(self, nOutput, eps=1e-5, momentum=0.1, affine=True):
        super().__init__()
        if nOutput is None or isinstance(nOutput, bool) or not isinstance(nOutput, int):
            raise TorchError('Missing argument #1: dimensionality of input. ')
        if nOutput == 0:
            raise TorchError('To set affine=false call BatchNormalization'
                             '(nOutput,  eps, momentum, false) ')
        if affine is not None:
            if not isinstance(affine, bool):
                raise TorchError('affine has to be true/false')
            self.affine = affine
        else:
            self.affine = True
        self.eps = 1e-5 if eps is None else eps
        self.train = True
        self.momentum = 0.1 if momentum is None else momentum
        self.running_mean = new_tensor(nOutput).zero()
        self.running_var = new_tensor(nOutput).fill(1)
        if self.affine:
            self.weight = new_tensor(nOutput)
            self.bias = new_tensor(nOutput)
            self.gradWeight = new_tensor(nOutput)
            self.gradBias = new_tensor(nOutput)
            self.reset()

    def reset(self):
        if self.__dict__.get('weight') is not None:
            self.weight.uniform()
        if self.__dict__.get('bias') is not None:
            self.bias.zero()
        self.running_mean.zero()
        self.running_var.fill(1)

    def checkInputDim(self, input):
        nd = _lua.mcall(input, 'dim', what="local 'input'")
        if not (nd == self.nDim or (nd == self.nDim - 1 and self.train is False)):
            raise TorchError('only mini-batch supported (%dD tensor), got %dD tensor instead'
                             % (self.nDim, nd))
        feat = 0 if nd == self.nDim - 1 else 1
        n = self.running_mean.nElement()
        if input._size[feat] != n:
            raise TorchError('got %d-feature tensor, expected %d' % (input._size[feat], n))

    def _batch_size(self, t):
        # evaluate mode takes a single sample and answers with a batch of one
        return ((1,) if t.dim() == self.nDim - 1 else ()) + tuple(t._size)

    def _frames(self, a):
        """(N, C, S) view: statistics are per C over N and S."""
        if a.ndim == self.nDim - 1:
            a = a[None]
        return a.reshape(a.shape[0], a.shape[1], -1)

    def _stats(self, x3):
        """mean and invstd used for this batch, and whether they are the batch's own."""
        # BatchNormalization.lua passes THNN `self.train and (input:size(1) > 1)`: a batch of
        # one sample (whatever its spatial size: a 1x2x2x2 input of SpatialBatchNormalization)
        # is normalised with the running statistics, which stay as they were
        if self.train and x3.shape[0] > 1:
            return None, None, True
        mean = arr(self.running_mean)
        # `real invstd = 1 / sqrt(running_var + eps)`: computed in double
        invstd = 1.0 / np.sqrt(arr(self.running_var).astype(np.float64) + self.eps)
        return mean, invstd, False

    def updateOutput(self, input):
        self.checkInputDim(input)
        # BatchNormalization.lua: save_mean/save_std = input.new() resized as the running
        # statistics (a tensor of another type fails there), then the THNN call's types
        d = self.__dict__
        for buf, like in (('save_mean', 'running_mean'), ('save_std', 'running_var')):
            if d.get(buf) is None:
                d[buf] = input.new()
            if type(d[buf]) is not type(d.get(like)):
                _lua.mcall(d[buf], 'resizeAs', d.get(like))
        check_type(self, input)
        x3 = self._frames(arr(input))
        y3 = self._frames(out_like(self.output, self._batch_size(input)))
        if self.__dict__.get('save_mean') is None:
            self.save_mean = input.new()
        if self.__dict__.get('save_std') is None:
            self.save_std = input.new()
        C = x3.shape[1]
        sm = out_like(self.save_mean, (C,))
        ss = out_like(self.save_std, (C,))
        mean, invstd, batch_stats = self._stats(x3)
        dt = x3.dtype.type
        fast = _kernels.c_ok(x3, y3)
        N, S = x3.shape[0], x3.shape[2]
        single = x3.dtype == np.float32
        if batch_stats:
            # THNN, per plane: `accreal sum += x` in (batch, position) order, mean = (real)sum/n
            # in real, `sum += (x - mean)*(x - mean)` (real products), the rest in double
            n = x3.shape[0] * x3.shape[2]
            if fast:
                ssum = np.empty(C)
                _kernels._nnk.bn_sums(x3, sm, ssum, N, C, S, False, single)
                mean = (ssum.astype(x3.dtype) / dt(n)).astype(x3.dtype)
                _kernels._nnk.bn_sums(x3, mean, ssum, N, C, S, True, single)
            else:
                mean = (_plane_sums(x3).astype(x3.dtype) / dt(n)).astype(x3.dtype)
                centered = x3 - mean[:, None]
                ssum = _plane_sums(centered * centered)
            with np.errstate(divide='ignore'):
                invstd = np.where((ssum == 0) & (self.eps == 0), 0,
                                  1 / np.sqrt(ssum / n + self.eps)).astype(x3.dtype)
            sm[...] = mean
            ss[...] = invstd
            rm, rv = arr(self.running_mean), arr(self.running_var)
            m = self.momentum
            rm[...] = m * mean.astype(np.float64) + (1 - m) * rm.astype(np.float64)
            rv[...] = m * (ssum / (n - 1)) + (1 - m) * rv.astype(np.float64)
        else:
            mean, invstd = np.asarray(mean, x3.dtype), np.asarray(invstd).astype(x3.dtype)
        w = arr(self.weight) if self.__dict__.get('weight') is not None else dt(1)
        b = arr(self.bias) if self.__dict__.get('bias') is not None else dt(0)
        if fast:
            _kernels._nnk.bn_out(x3, y3, _plane_vector(mean, C, dt), _plane_vector(invstd, C, dt),
                                 _plane_vector(w, C, dt), _plane_vector(b, C, dt), N, C, S,
                                 single)
            return self.output
        # ((x - mean) * invstd) * w + b, left to right in real
        np.subtract(x3, np.asarray(mean)[:, None], out=y3)
        y3 *= np.asarray(invstd)[:, None]
        y3 *= np.broadcast_to(w, (C,))[:, None]
        y3 += np.broadcast_to(b, (C,))[:, None]
        return self.output

    def _backward(self, input, gradOutput, scale, gradInput, gradWeight, gradBias):
        self.checkInputDim(input)
        self.checkInputDim(gradOutput)
        d = self.__dict__
        if d.get('save_mean') is None or d.get('save_std') is None:
            # assert(self.save_mean and self.save_std, ...): whatever the mode (a backward
            # before any forward)
            raise at_lua(TorchError('must call :updateOutput() first'),
                         'nn/BatchNormalization.lua:143')
        if type(gradOutput) is not type(input):
            # BatchNormalization.lua:151 gradInput:resizeAs(gradOutput), else THNN's FFI
            # conversion of gradOutput (its argument 3)
            if gradInput is not None:
                with lua_line('nn/BatchNormalization.lua:151'), lua_method_call('resizeAs'):
                    gradInput.resizeAs(gradOutput)
            raise at_lua(TorchError(msg('thnn_ffi_type', 3, gradOutput.typename[6:],
                                        input.typename[6:])), THNN_WHERE)
        if tuple(input._size) != tuple(gradOutput._size):
            if gradInput is not None:
                # (line 151, gradInput:resizeAs(gradOutput), comes before THNN's check)
                out_like(gradInput, self._batch_size(gradOutput))
            # THNN_CHECK_SHAPE on the tensors makeBatch gave THNN (a batch of one added)
            b = (1,) if input.dim() == self.nDim - 1 else ()
            bg = (1,) if gradOutput.dim() == self.nDim - 1 else ()
            check_shape(b + tuple(input._size), bg + tuple(gradOutput._size), 'input',
                        'gradOutput')
        x3 = self._frames(arr(input))
        go3 = self._frames(arr(gradOutput))
        mean, invstd, batch_stats = self._stats(x3)
        if batch_stats:
            if self.__dict__.get('save_mean') is None or self.save_mean.nElement() == 0:
                raise TorchError('must call :updateOutput() first')
            mean, invstd = arr(self.save_mean), arr(self.save_std)
        n = x3.shape[0] * x3.shape[2]
        dt = x3.dtype.type
        mean, invstd = np.asarray(mean, x3.dtype), np.asarray(invstd).astype(x3.dtype)
        w = arr(self.weight) if self.__dict__.get('weight') is not None else dt(1)
        wc = np.broadcast_to(w, (x3.shape[1],))[:, None]
        if _kernels.c_ok(x3, go3):
            return self._backward_c(x3, go3, mean, invstd, w, n, batch_stats, scale, gradInput,
                                    gradWeight, gradBias, self._batch_size(gradOutput))
        # THNN: accreal sums in (batch, position) order; real products inside them
        gsum = _plane_sums(go3)
        centered = x3 - mean[:, None]
        dotp = _plane_sums(centered * go3)
        if gradInput is not None:
            gi3 = self._frames(out_like(gradInput, self._batch_size(gradOutput)))
            if batch_stats:
                k = (dotp.astype(x3.dtype) * invstd * invstd / dt(n))[:, None]
                np.multiply(centered, k, out=gi3)
                # (go - gradMean - gi) * invstd * w in double, stored in real
                gi3[...] = ((go3 - (gsum / n)[:, None] - gi3) * invstd[:, None]) * wc
            else:
                gi3[...] = (go3 * invstd[:, None]) * wc
        if gradWeight is not None:
            gw = arr(gradWeight)
            gw[...] = gw + (scale * dotp) * invstd
        if gradBias is not None:
            gb = arr(gradBias)
            gb[...] = gb + scale * gsum

    def _backward_c(self, x3, go3, mean, invstd, w, n, batch_stats, scale, gradInput,
                    gradWeight, gradBias, gshape):
        """_backward through the C loops: one pass for both sums, one for gradInput."""
        N, C, S = x3.shape
        dt = x3.dtype.type
        single = x3.dtype == np.float32
        gsum, dotp = np.empty(C), np.empty(C)
        mean = _plane_vector(mean, C, dt)
        _kernels._nnk.bn_gsums(x3, go3, mean, gsum, dotp, N, C, S, single)
        if gradInput is not None:
            gi3 = self._frames(out_like(gradInput, gshape))
            if batch_stats and _kernels.c_ok(gi3) and gi3.dtype == x3.dtype:
                k = dotp.astype(x3.dtype) * invstd * invstd / dt(n)
                _kernels._nnk.bn_gi(x3, go3, gi3, mean, _plane_vector(k, C, dt), gsum / n,
                                    _plane_vector(invstd, C, dt), _plane_vector(w, C, dt), N, C,
                                    S, single)
            elif batch_stats:
                k = (dotp.astype(x3.dtype) * invstd * invstd / dt(n))[:, None]
                np.multiply(x3 - mean[:, None], k, out=gi3)
                gi3[...] = ((go3 - (gsum / n)[:, None] - gi3) * invstd[:, None]) * \
                    np.broadcast_to(w, (C,))[:, None]
            else:
                np.multiply(go3, invstd[:, None], out=gi3)
                gi3 *= np.broadcast_to(w, (C,))[:, None]
        if gradWeight is not None:
            gw = arr(gradWeight)
            gw[...] = gw + (scale * dotp) * invstd
        if gradBias is not None:
            gb = arr(gradBias)
            gb[...] = gb + scale * gsum

    def backward(self, input, gradOutput, scale=1):
        self._backward(input, gradOutput, 1 if scale is None else scale, self.gradInput,
                       self.__dict__.get('gradWeight'), self.__dict__.get('gradBias'))
        return self.gradInput

    def updateGradInput(self, input, gradOutput):
        self._backward(input, gradOutput, 1, self.gradInput, None, None)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self._backward(input, gradOutput, 1 if scale is None else scale, None,
                       self.__dict__.get('gradWeight'), self.__dict__.get('gradBias'))
        return self.gradInput  # (BatchNormalization.lua: `return backward(...)`, its gradInput)

    def _t7_read(self, fields, version):
        """BN:read: files of version < 2 kept running_std; Torch7 turns it into running_var."""
        self.__dict__.update(fields)
        if (version or 0) < 2 and self.__dict__.get('running_std') is not None:
            # check before use: nothing from a file is called while it loads
            if not isinstance(self.running_std, Tensor) or not isinstance(
                    self.__dict__.get('eps'), (int, float)):
                raise TorchError('a version 1 %s needs a tensor running_std and a number eps'
                                 % self.typename)
            rs = arr(self.running_std)
            th_pow(rs, -2, rs)  # running_std:pow(-2): TH's 1/(x*x)
            rs -= self.eps
            self.running_var = self.__dict__.pop('running_std')

    def __tostring__(self):
        return '%s (%dD) (%d)' % (self.typename, self.nDim, self.running_mean.nElement())

    def clearState(self):
        utils.clear(self, 'buffer', 'buffer2', 'centered', 'std', 'normalized', '_input',
                    '_gradOutput', 'save_mean', 'save_std')
        return super().clearState()
