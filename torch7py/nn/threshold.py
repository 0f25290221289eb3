"""nn.Threshold: port of torch/nn Threshold.lua and THNN Threshold.c (optionally in place)."""
import numpy as np

from . import _kernels
from ._kernels import (arr, as_shape, check_same_size, check_type, out_like, select_scalar,
                       write_back)
from .. import messages, tensor as _tensor
from ..messages import at_lua
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
            raise at_lua(TorchError(messages.msg('threshold_args')), 'nn/Threshold.lua:8')
        if ip is not None and ip is not False and ip is not True:
            raise at_lua(TorchError(messages.msg('inplace_flag')), 'nn/Threshold.lua:13')
        self.inplace = bool(ip)
        self.validateParameters()

    def validateParameters(self):
        self.inplace = bool(self.__dict__.get('inplace'))  # files saved before the inplace flag
        if self.inplace and self.val > self.threshold:
            raise at_lua(TorchError(
                'in-place processing requires value (%s) not exceed threshold (%s)'
                % (_num(self.val), _num(self.threshold))), 'nn/Threshold.lua:47')

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


_OWN = (Threshold.updateOutput, Threshold.updateGradInput, Module.accGradParameters,
        Module.backward)


def _own(f, raw):
    """f is the method raw as this package defines it: raw itself, or the wrapper of the Lua
    call's argument checks around it (_thnn_lua.install), which passes the arguments the
    fused calls take (dense tensors of the module's type, number fields)."""
    return f is raw or (getattr(f, '_thnn_lua', False) and f.__wrapped__ is raw)


def _dense_as(t, cls, size):
    """t is a tensor of class cls and of this size, laid out densely in row-major order."""
    if type(t) is not cls or t._size != size:
        return False
    st = t._stride
    step = 1
    for k in range(len(size) - 1, -1, -1):
        if st[k] != step:
            return False
        step *= size[k]
    return True


def _number_params(m):
    """(threshold, val) when both are Python numbers (what the C loop takes), else None."""
    th, val = m.__dict__.get('threshold'), m.__dict__.get('val')
    if type(th) not in (int, float) or type(val) not in (int, float):
        return None
    return th, val


def fused_forward(m, cls, size):
    """(threshold, val) where m's forward may run inside the C call of the module before it in
    a Sequential (linear.py): m a Threshold whose updateOutput is Threshold's own (not a
    subclass's, not one set on the class or the object since), not in place, its output already
    a dense tensor of class cls and of the size it will take (the steady state of a training
    loop: nothing to resize), so that the result is that of m.updateOutput (THNN's loop) on
    that module's output. None otherwise (the Sequential then calls m as usual)."""
    if not (isinstance(m, Threshold) and _own(type(m).updateOutput, _OWN[0])
            and m.__dict__.get('inplace') is False and 'updateOutput' not in m.__dict__
            and _dense_as(m.output, cls, size)):
        return None
    return _number_params(m)


def fused_backward(m, input, cls, size):
    """threshold where m's backward (input: m's input) may run inside the C call of the module
    after it in a Sequential, that module's gradInput being its gradOutput (linear.py): m's
    backward Module.backward calling Threshold's updateGradInput and Module's (empty)
    accGradParameters, none replaced since, not in place, input and its gradInput dense
    tensors of class cls and of that size. None otherwise."""
    t = type(m)
    d = m.__dict__
    if not (isinstance(m, Threshold) and t.backward is _OWN[3] and Module.backward is _OWN[3]
            and _own(t.updateGradInput, _OWN[1]) and t.accGradParameters is _OWN[2]
            and d.get('inplace') is False and 'backward' not in d
            and 'updateGradInput' not in d and 'accGradParameters' not in d
            and _dense_as(input, cls, size) and _dense_as(m.gradInput, cls, size)):
        return None
    p = _number_params(m)
    return None if p is None else p[0]
