"""The shared body of THNN's element-by-element criterions (Abs, MSE, SmoothL1, DistKLDiv, Margin,
SoftMargin): a loss summed over the elements, divided by their number when sizeAverage."""
from ._kernels import arr, as_target, check_nelement, check_type, out_like
from .criterion import Criterion


class PointwiseCriterion(Criterion):
    """Subclasses implement ``_loss(x, t)`` (the sum of the element losses) and
    ``_grad(x, t, norm, gi)`` (writes the gradient, scaled by norm = 1/n or 1, into gi)."""

    def updateOutput(self, input, target):
        check_type(self, input, self.gradInput)
        check_nelement(input, target)
        s = float(self._loss(arr(input), as_target(input, target)))
        if self.sizeAverage:
            s /= input.nElement()
        self.output = s
        return self.output

    def updateGradInput(self, input, target):
        check_nelement(input, target)
        norm = 1.0 / input.nElement() if self.sizeAverage else 1.0
        x, t = arr(input), as_target(input, target)
        self._grad(x, t, norm, out_like(self.gradInput, input._size))
        return self.gradInput
