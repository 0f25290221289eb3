"""The shared body of THNN's element-by-element criterions (Abs, MSE, SmoothL1, DistKLDiv, Margin,
SoftMargin): a loss summed over the elements, divided by their number when sizeAverage."""
import numpy as np

from .. import messages, numerics
from ..tensor import Tensor, TorchError
from . import _kernels, _lua
from ._kernels import arr, as_target, check_nelement, out_like
from .criterion import Criterion


class PointwiseCriterion(Criterion):
    """Subclasses implement ``_loss(x, t)`` (the element losses, summed in order here) and
    ``_grad(x, t, norm, gi)`` (writes the gradient, scaled by norm = 1/n or 1, into gi).
    A subclass whose C term is a double expression (a double literal or a libm call in it) sets
    ``_double_terms``: its ``_loss`` gives the terms in double, and a float sum adds each in
    double and rounds to float (C's `float sum; sum += (double)term`)."""

    _double_terms = False

    def updateOutput(self, input, target):
        # their Lua starts `self.output_tensor = self.output_tensor or input.new(1)` (a field
        # the criterion keeps: saved, cloned, typed), then
        # input.THNN.F(input:cdata(), target:cdata(), self.output_tensor:cdata(), ...): the
        # call's checks, then C's; self.output = self.output_tensor[1]
        ot = self.__dict__.get('output_tensor')
        if ot is None:
            if not isinstance(input, Tensor):
                if messages.lua_type_name(input) in ('string', 'table'):
                    raise TorchError(messages.msg('call_nil_field', 'new'))
            else:
                ot = self.output_tensor = input.new(1)
        if ot is None:
            _lua.thnn_call(input, ('target', target))
        else:
            _lua.thnn_call(input, ('target', target), ("field 'output_tensor'", ot))
        check_nelement(input, target)
        x = arr(input)
        # THNN: `real sum = 0; sum += term` element after element, then `sum /= n`, in real
        terms = self._loss(x, as_target(input, target))
        if self._double_terms and x.dtype == np.float32:
            s = _float_sum_of_doubles(terms)
        else:
            s = numerics.seqsum(terms, x.dtype)
        if self.sizeAverage:
            # (`sum /= nElement` in real: no elements give 0/0, a NaN)
            with np.errstate(invalid='ignore', divide='ignore'):
                s = x.dtype.type(s) / x.dtype.type(input.nElement())
        o = arr(ot)
        o.reshape(-1)[0] = s
        self.output = float(o.reshape(-1)[0])
        return self.output

    def updateGradInput(self, input, target):
        _lua.thnn_call(input, ('target', target), (None, self.gradInput))
        check_nelement(input, target)
        n = input.nElement()
        # (THNN's norm of no elements is an infinity, and no element reads it)
        norm = (1.0 / n if n else float('inf')) if self.sizeAverage else 1.0
        x, t = arr(input), as_target(input, target)
        self._grad(x, t, norm, out_like(self.gradInput, input._size))
        return self.gradInput


def _float_sum_of_doubles(terms):
    """`float sum = 0; sum += term` over double terms in row-major order: each step in double,
    rounded to float."""
    terms = np.ascontiguousarray(terms, np.float64).reshape(-1)
    if numerics.exact and _kernels.use_c and _kernels._nnk is not None:
        return np.float32(_kernels._nnk.fsum_d(terms, terms.size))
    if not numerics.exact:
        return np.float32(terms.sum())
    s = 0.0
    f32 = np.float32
    for v in terms.tolist():
        s = float(f32(s + v))
    return f32(s)
