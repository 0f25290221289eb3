"""nn.ReinforceNormal: dpnn's REINFORCE sampler of a normal distribution (ReinforceNormal.lua).

Input: the means (or {mean, stdev}); output: a sample of N(mean, stdev^2), drawn with the
tensor's normal() (torch's generator) in training or when stochastic, the means themselves in
evaluation. Backward ignores gradOutput: the gradient with respect to the mean is
-reward * (x - mean) / stdev^2 and, for a stdev input, -reward * ((x - mean)^2 - stdev^2) /
(stdev^3 + 1e-8).
"""
from .. import messages
from .reinforce import Reinforce, _assert
from . import utils
from ..tensor import TorchError


class ReinforceNormal(Reinforce):
    """nn.ReinforceNormal(stdev, [stochastic]); without stdev the input is {mean, stdev}."""

    typename = "nn.ReinforceNormal"

    def __init__(self, stdev=None, stochastic=None):
        super().__init__(stochastic)
        self.stdev = stdev
        if stdev is None:
            cls = utils.default_tensor_class()
            self.gradInput = [cls(), cls()]

    def updateOutput(self, input):
        mean, stdev = input, self.__dict__.get("stdev")
        if messages.torch_type(input) == "table":
            _assert(len(input) == 2)
            mean, stdev = input[0], input[1]
        _assert(stdev is not None)
        out = self.output
        out.resizeAs(mean)
        if self.__dict__.get("stochastic") or self.__dict__.get("train") is not False:
            out.normal()
            if isinstance(stdev, (int, float)) and not isinstance(stdev, bool):
                out.mul(stdev)
            elif utils.is_tensor(stdev):
                if stdev.dim() == mean.dim():
                    _assert(stdev.isSameSizeAs(mean))
                    out.cmul(stdev)
                else:
                    _assert(stdev.dim() + 1 == mean.dim())
                    d = self.__dict__
                    if d.get("_stdev") is None:
                        d["_stdev"] = stdev.new()
                    d["_stdev"].view(stdev, 1, *stdev.size().totable())
                    if d.get("__stdev") is None:
                        d["__stdev"] = stdev.new()
                    d["__stdev"].expandAs(d["_stdev"], mean)
                    out.cmul(d["__stdev"])
            else:
                raise TorchError("unsupported mean type")
            out.add(mean)  # re-centred on the mean
        else:
            out.copy(mean)  # the maximum a posteriori estimate
        return out

    def updateGradInput(self, input, gradOutput):
        mean, stdev = input, self.__dict__.get("stdev")
        gradMean, gradStdev = self.gradInput, None
        if messages.torch_type(input) == "table":
            mean, stdev = input[0], input[1]
            gradMean, gradStdev = self.gradInput[0], self.gradInput[1]
        _assert(stdev is not None)
        # d ln f / d mean = (x - mean) / stdev^2
        gradMean.resizeAs(mean)
        gradMean.copy(self.output).add(-1, mean)
        if isinstance(stdev, (int, float)) and not isinstance(stdev, bool):
            gradMean.div(stdev ** 2)
        elif stdev.dim() == mean.dim():
            gradMean.cdiv(stdev).cdiv(stdev)
        else:
            s = self.__dict__["__stdev"]
            gradMean.cdiv(s).cdiv(s)
        gradMean.cmul(self.rewardAs(mean))
        gradMean.mul(-1)  # descent on the mean
        # d ln f / d stdev = ((x - mean)^2 - stdev^2) / stdev^3
        if gradStdev is not None:
            gradStdev.resizeAs(stdev)
            gradStdev.copy(self.output).add(-1, mean).pow(2)
            d = self.__dict__
            if d.get("_stdev2") is None:
                d["_stdev2"] = stdev.new()
            s2 = d["_stdev2"]
            s2.resizeAs(stdev).copy(stdev).cmul(stdev)
            gradStdev.add(-1, s2)
            s2.cmul(stdev).add(0.00000001)
            gradStdev.cdiv(s2)
            gradStdev.cmul(self.rewardAs(stdev))
            gradStdev.mul(-1)
        return self.gradInput
