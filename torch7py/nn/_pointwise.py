"""Shared machinery for nn's element-wise layers (THNN's TH_TENSOR_APPLY kernels)."""
from . import _lua
from ._kernels import arr, out_like, sizes_str, thnn_value_error
from ._thnn_check import THNN_WHERE, check_shape
from .. import messages
from ..messages import at_lua, msg, size_str
from ..tensor import DoubleTensor, FloatTensor, Tensor, TorchError
from .module import Module


def check_nelement(a, b):
    """THNN_CHECK_NELEMENT: gradOutput must have as many elements as input."""
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        # the module's input.THNN.F(input:cdata(), gradOutput:cdata(), ...), left to right
        raise thnn_value_error(*((a, 'input') if not isinstance(a, Tensor) else
                                 (b, 'gradOutput')))
    if a.nElement() != b.nElement():
        raise at_lua(TorchError('input and gradOutput have different number of elements: '
                                'input%s has %d elements, while gradOutput%s has %d elements'
                                % (sizes_str(a._size), a.nElement(), sizes_str(b._size),
                                   b.nElement())), THNN_WHERE)


def lua_num(v):
    """Lua's tostring of a number (%.14g; integers without a fraction)."""
    v = float(v)
    if v != v:
        return 'nan'  # LuaJIT's lj_strfmt writes a NaN without its sign (x86's 0/0 has one)
    if v in (float('inf'), float('-inf')):
        return 'inf' if v > 0 else '-inf'
    if v.is_integer() and abs(v) < 1e15:
        return '%d' % v
    return '%.14g' % v


class Pointwise(Module):
    """A layer y = f(x) applied element by element.

    Subclasses implement ``_forward(x, y)`` (writes f(x) into y; y may be x) and
    ``_backward(x, y, go, gi)`` (writes the gradient into gi; gi may be go).
    """

    # the size check of the backward, per the original: THNN's THNN_CHECK_NELEMENT(input,
    # gradOutput) (most), THNN_CHECK_SHAPE with the tensor it names ('shape', 'input' or
    # 'output'), or a Lua module's tensor method that meets gradOutput ('cmul': TH's cmul
    # into the gradInput; 'copy': gradInput:copy(gradOutput)), whose TH_TENSOR_APPLY checks
    # the number of elements only
    _grad_check = ('nelement', 'input')
    # a Lua module whose updateOutput and updateGradInput start with
    # self.output:resizeAs(input) / self.gradInput:resizeAs(input) (Log.lua, Power.lua)
    _resize_first = False
    # a THNN kernel whose backward is resizeAs(gradInput, output) then TH_TENSOR_APPLY3(
    # gradInput, gradOutput, output) (SoftPlus, ELU): an output of another element count (a
    # backward before any forward) fails APPLY3's check
    _apply3_output = False
    # a THNN kernel whose backward ends with THTensor_(cmul)(gradInput, gradOutput, ...)
    # (LogSigmoid): gradInput takes gradOutput's size
    _grad_sized_as_gradOutput = False

    def _check_grad(self, input, gradOutput):
        kind, name = self._grad_check
        if kind in ('nelement', 'shape'):  # a THNN module: its Lua call's checks come first
            _lua.thnn_grad(self, input, gradOutput)
        if kind == 'cmul' and isinstance(input, Tensor) and \
                type(gradOutput) is not type(self.gradInput):
            # the Lua's gradInput:cmul(gradOutput) meets it (a tensor of another type too):
            # cwrap's check
            with messages.lua_method_call('cmul'):
                self.gradInput.cmul(gradOutput)
        if kind == 'nelement' or not isinstance(gradOutput, Tensor) \
                or not isinstance(input, Tensor):
            check_nelement(input, gradOutput)
        elif kind == 'shape':
            ref = input if name == 'input' else self.output
            check_shape(ref, gradOutput, name, 'gradOutput')
        elif input.nElement() != gradOutput.nElement():
            n, m = input.nElement(), gradOutput.nElement()
            a, b = size_str(input._size), size_str(gradOutput._size)
            if kind == 'copy':
                raise TorchError(msg('inconsistent_2', 'tensor', a, 'src', b, n, m))
            raise TorchError(msg('inconsistent_3', 'r_', a, 't', a, 'src', b, n, n, m))

    def _inplace(self):
        return bool(self.__dict__.get('inplace'))

    # A module whose Lua is tensor methods (no THNN call) gives these its Lua lines, run as
    # written when an argument is no tensor of the module's type: they fail where, and as,
    # the original does (and compute what it computes when they do not fail)
    def _lua_forward(self, input):
        return None

    def _lua_backward(self, input, gradOutput):
        return None

    def _plain(self, *xs):
        # (a Float or Double module: TH's integer types compute with integer arithmetic, or
        # lack the method, in the Lua lines)
        t = type(self.output)
        return (t is DoubleTensor or t is FloatTensor) and all(type(x) is t for x in xs)

    def updateOutput(self, input):
        if not self._plain(input):
            r = self._lua_forward(input)
            if r is not None:
                return r
        if self._resize_first:
            _lua.resize_as_first(self.output, input)
        x = arr(input)
        if self._inplace():
            self._forward(x.copy(), x)
            self.output.set(input)
        else:
            y = out_like(self.output, input._size)
            self._forward(x, y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not self._plain(input, gradOutput):
            r = self._lua_backward(input, gradOutput)
            if r is not None:
                return r
        if self._resize_first:
            _lua.resize_as_first(self.gradInput, input)
            if isinstance(input, Tensor):
                # (done before the line that meets gradOutput: a gradOutput of another size
                # leaves gradInput sized as input)
                self.gradInput.resizeAs(input)
        self._check_grad(input, gradOutput)
        x = arr(input)
        go = arr(gradOutput).reshape(x.shape)
        y = arr(self.output).reshape(x.shape) if self.output.nElement() == input.nElement() \
            else None
        if y is None and self._apply3_output and not self._inplace():
            g, o = self.gradInput, self.output
            g.resizeAs(o)
            raise at_lua(TorchError(msg('inconsistent_3', 'gradInput', size_str(g._size),
                                        'gradOutput', size_str(gradOutput._size), 'output',
                                        size_str(o._size), g.nElement(), gradOutput.nElement(),
                                        o.nElement())), THNN_WHERE)
        if self._inplace():
            g = arr(gradOutput)
            self._backward(x, y, go.copy(), g.reshape(x.shape) if g.shape != x.shape else g)
            self.gradInput.set(gradOutput)
        else:
            if self._grad_sized_as_gradOutput:
                # THNN's last step THTensor_(cmul)(gradInput, gradOutput, gradInput) resizes
                # gradInput as gradOutput (as many elements, any shape)
                gi = out_like(self.gradInput, gradOutput._size).reshape(x.shape)
            else:
                gi = out_like(self.gradInput, input._size)
            self._backward(x, y, go, gi)
        return self.gradInput


def buffer(module, name, shape, like=None, cls=None):
    """A tensor field of the module used as scratch space (created on first use, as Torch7's
    ``self.x = self.x or input.new()``), resized to ``shape``; returns its numpy view."""
    t = module.__dict__.get(name)
    if t is None:
        if cls is not None:
            t = cls()
        else:
            t = (like if like is not None else module.output).new()
        module.__dict__[name] = t
    return out_like(t, shape)
