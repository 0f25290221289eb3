"""nn.ReinforceCategorical: dpnn's REINFORCE sampler of a categorical distribution
(ReinforceCategorical.lua).

Input: a batch of probability rows; output: one-hot rows of one draw each (multinomial, torch's
generator) in training or when stochastic; the probabilities in evaluation. Backward ignores
gradOutput: -reward * x / (p + 1e-8), x the one-hot sample.
"""
from .. import tensor as _tensor
from .reinforce import Reinforce


class ReinforceCategorical(Reinforce):
    """nn.ReinforceCategorical([stochastic])."""

    typename = "nn.ReinforceCategorical"

    def updateOutput(self, input):
        self.output.resizeAs(input)
        d = self.__dict__
        if d.get("_index") is None:
            d["_index"] = _tensor.LongTensor()
        if d.get("stochastic") or d.get("train") is not False:
            if d.get("_input") is None:
                d["_input"] = input.new()
            # (kept for the division in backward; the draw itself is from the input)
            d["_input"].resizeAs(input).copy(input).add(0.00000001)
            input.multinomial(d["_index"], input, 1)
            self.output.zero()
            self.output.scatter(2, d["_index"], 1)  # one-hot
        else:
            self.output.copy(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        g = self.gradInput
        g.resizeAs(input).zero()
        g.copy(self.output)
        d = self.__dict__
        if d.get("_input") is None:
            d["_input"] = input.new()
        d["_input"].resizeAs(input).copy(input).add(0.00000001)
        g.cdiv(d["_input"])
        g.cmul(self.rewardAs(input))
        g.mul(-1)
        return g

    def type(self, type=None, tensorCache=None):
        self.__dict__.pop("_index", None)
        return super().type(type, tensorCache)
