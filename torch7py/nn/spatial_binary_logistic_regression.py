"""nn.SpatialBinaryLogisticRegression: dpnn's SpatialBinaryLogisticRegression.lua, the
logistic loss of one-channel score maps against target maps in {-1, 1}: sum log(1 +
exp(-x y)) divided by 2 k h w (k the batch size; 2 h w without sizeAverage); forward returns
the loss without storing it in `output`, as dpnn's."""
from .criterion import Criterion
from .binary_logistic_regression import log_loss_sum
from .reinforce import _assert


class SpatialBinaryLogisticRegression(Criterion):
    """nn.SpatialBinaryLogisticRegression()."""

    typename = "nn.SpatialBinaryLogisticRegression"

    def __init__(self):
        super().__init__()
        self.sizeAverage = True

    def _div(self):
        return (2 * self._k * self._h * self._w) if self.sizeAverage else (2 * self._h * self._w)

    def updateOutput(self, input, target):
        inputDim, targetDim = input.nDimension(), target.nDimension()
        _assert(inputDim == targetDim, "nDimension of input and target don't match.")
        _assert(inputDim in (3, 4), "Expecting image or batch on images")
        for i in range(1, inputDim + 1):
            _assert(input.size(i) == target.size(i), "Input and target dimensions don't match.")
        if inputDim == 4:
            self._isBatch = True
            _assert(input.size(2) == 1, "No. of channels should be 1.")
            self._k, self._h, self._w = input.size(1), input.size(3), input.size(4)
        else:
            self._isBatch = False
            _assert(input.size(1) == 1, "No. of channels should be 1.")
            self._k, self._h, self._w = 1, input.size(2), input.size(3)
        return log_loss_sum(self, input, target) / self._div()

    def updateGradInput(self, input, target):
        g = self.gradInput
        g.resize(target.size()).copy(target)
        g.mul(-1)
        g.cmul(self._baseExponents)
        g.cdiv(self._coeff)
        g.div(self._div())
        return g
