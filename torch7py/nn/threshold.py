"""nn.Threshold: port of torch/nn Threshold.lua and THNN Threshold.c (optionally in place)."""
import numpy as np

from . import _kernels
from ._kernels import (arr, as_shape, check_same_size, check_type, out_like, select_scalar,
                       write_back)
from .. import messages, tensor as _tensor
from ..tensor import TorchError
from . import _lua
from .module import Module

_FLOAT_TENSORS = (_tensor.FloatTensor, _tensor.DoubleTensor)


class Threshold(Module):

    def __init__(self, th=1e-6, v=0, ip=False):
        super().__init__()
        self.threshold = 1e-6 if th is None else th
        self.val = 0 if v is None else v
        # Threshold.lua's checks (a false th, v or ip is its default)
        if th is not None and th is not False and messages.lua_type(th) != 'number' or \
                v is not None and v is not False and messages.lua_type(v) != 'number':
            raise TorchError(messages.msg('threshold_args'))
        if ip is not None and ip is not False and ip is not True:
            raise TorchError(messages.msg('inplace_flag'))
        self.inplace = bool(ip)
        self.validateParameters()

    def validateParameters(self):
        self.inplace = bool(self.__dict__.get('inplace'))  # files saved before the inplace flag
        if self.inplace and self.val > self.threshold:
            raise TorchError('in-place processing requires value (%s) not exceed threshold (%s)'
                             % (_num(self.val), _num(self.threshold)))

    def _c_direct(self, input):
        """THNN's loop may run on input (and tensors of its type and size) in one C call with
        no further checks: the module not in place (validateParameters has nothing to do),
        _nnk built and on, input of a float tensor type and not empty. The activations of a
        training step take this path: after the network's big products each Python step runs
        from a cold cache (issue 16)."""
        return (self.__dict__.get('inplace') is False and _kernels.use_c
                and _kernels._nnk is not None and input._size and type(input) in _FLOAT_TENSORS)

    def updateOutput(self, input):
        out = self.output
        if type(input) is type(out) and self._c_direct(input):
            if out._size != input._size:
                out.resize(*input._size)
            x, y = input.numpy(), out.numpy()
            if x.flags.c_contiguous and y.flags.c_contiguous:
                _kernels._nnk.threshold(x, y, x.size, self.threshold, self.val, False,
                                        x.dtype == np.float32)
                return out
        check_type(self, input)
        self.validateParameters()
        x = arr(input)
        if self.inplace:
            if _kernels.c_ok(x):
                _kernels._nnk.threshold(x, x, x.size, self.threshold, self.val, True,
                                        x.dtype == np.float32)
                self.output.set(input)
                return self.output
            # THNN in place: x <= threshold ? val : x (a NaN stays)
            select_scalar(~(x <= self.threshold), x, self.val, x)
            self.output.set(input)
        else:
            y = out_like(self.output, input._size)
            if _kernels.c_ok(x, y):
                _kernels._nnk.threshold(x, y, x.size, self.threshold, self.val, False,
                                        x.dtype == np.float32)
                return self.output
            # THNN: x > threshold ? x : val (a NaN becomes val)
            select_scalar(x > self.threshold, x, self.val, y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        gi = self.gradInput
        if type(gradOutput) is type(input) and type(gi) is type(input) \
                and gradOutput._size == input._size and self._c_direct(input):
            if gi._size != input._size:
                gi.resize(*input._size)
            x, g, a = input.numpy(), gradOutput.numpy(), gi.numpy()
            if x.flags.c_contiguous and g.flags.c_contiguous and a.flags.c_contiguous:
                _kernels._nnk.threshold_grad(x, g, a, x.size, self.threshold, False,
                                             x.dtype == np.float32)
                return gi
        self.validateParameters()
        _lua.thnn_grad(self, input, gradOutput)  # the THNN call's checks, in Lua's order
        check_same_size(input, gradOutput, names=('input', 'gradOutput'), kind='nelement')
        x = arr(input)
        if self.inplace:
            g = arr(gradOutput)
            if _kernels.c_ok(x, g):
                _kernels._nnk.threshold_grad(x, g, g, x.size, self.threshold, True,
                                             x.dtype == np.float32)
                self.gradInput.set(gradOutput)
                return self.gradInput
            gv = as_shape(g, x.shape)
            select_scalar(~(x <= self.threshold), gv, 0, gv)
            write_back(g, gv)
            self.gradInput.set(gradOutput)
        else:
            g = as_shape(arr(gradOutput), x.shape)
            gi = out_like(self.gradInput, input._size)
            if _kernels.c_ok(x, g, gi):
                _kernels._nnk.threshold_grad(x, g, gi, x.size, self.threshold, False,
                                             x.dtype == np.float32)
                return self.gradInput
            select_scalar(x > self.threshold, g, 0, gi)
        return self.gradInput


def _num(v):
    return ('%d' % v) if float(v).is_integer() else ('%.14g' % v)
