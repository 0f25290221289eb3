"""nn.BinaryLogisticRegression: dpnn's BinaryLogisticRegression.lua, the logistic loss of
scores x against targets y in {-1, 1}: sum log(1 + exp(-x y)) (divided by the number of
elements when sizeAverage); gradient -y exp(-x y) / (1 + exp(-x y)). Like dpnn's, forward
returns the loss without storing it in `output`."""
from .criterion import Criterion
from .reinforce import _assert



def log_loss_sum(crit, input, target):
    """sum(log(1 + exp(-input * target))) as dpnn's (Spatial)BinaryLogisticRegression.lua
    compute it, step by step in the crit's kept buffers (_baseExponents, _coeff, _logCoeff)."""
    d = crit.__dict__
    for name in ("_baseExponents", "_coeff", "_logCoeff"):
        if d.get(name) is None:
            d[name] = input.new()
    e = d["_baseExponents"]
    e.resize(input.size()).copy(input)
    e.cmul(target)
    e.mul(-1)
    e.exp()
    d["_coeff"].resize(input.size()).copy(e)
    d["_coeff"].add(1)
    d["_logCoeff"].resize(input.size()).copy(d["_coeff"])
    d["_logCoeff"].log()
    return d["_logCoeff"].sum()


class BinaryLogisticRegression(Criterion):
    """nn.BinaryLogisticRegression([sizeAverage=true])."""

    typename = "nn.BinaryLogisticRegression"

    def __init__(self, sizeAverage=None):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def updateOutput(self, input, target):
        inputDim, targetDim = input.nDimension(), target.nDimension()
        _assert(inputDim in (1, 2), "Input:Expecting batchSize or batchSize x 1")
        _assert(targetDim in (1, 2), "Target:Expecting batchSize or batchSize x 1")
        if inputDim == 2:
            _assert(input.size(1) == 1 or input.size(2) == 1, "Input: Expecting batchSize x 1.")
        if targetDim == 2:
            _assert(target.size(1) == 1 or target.size(2) == 1,
                    "Target: Expecting batchSize x 1.")
        _assert(input.nElement() == target.nElement(),
                "No of input and target elements should be same.")
        self._k = input.nElement()
        input, target = input.view(-1), target.view(-1)
        total = log_loss_sum(self, input, target)
        if self.sizeAverage:
            return total / self._k
        return total

    def updateGradInput(self, input, target):
        g = self.gradInput
        g.resize(input.size()).copy(target)
        g.mul(-1)
        g.cmul(self._baseExponents)
        g.cdiv(self._coeff)
        if self.sizeAverage:
            g.div(self._k)
        return g

    def type(self, type=None, tensorCache=None):
        if type is not None:
            for name in ("_baseExponents", "_coeff", "_logCoeff"):
                self.__dict__.pop(name, None)
        return super().type(type, tensorCache)
