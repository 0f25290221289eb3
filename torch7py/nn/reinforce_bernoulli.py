"""nn.ReinforceBernoulli: dpnn's REINFORCE sampler of Bernoulli variables
(ReinforceBernoulli.lua).

Input: probabilities p; output: 1 where a uniform draw (the tensor's uniform(0, 1), torch's
generator) is below p, else 0, in training or when stochastic; p itself in evaluation.
Backward ignores gradOutput: -reward * (x - p) / (p (1 - p)).
"""
from .reinforce import Reinforce


class ReinforceBernoulli(Reinforce):
    """nn.ReinforceBernoulli([stochastic])."""

    typename = "nn.ReinforceBernoulli"

    def updateOutput(self, input):
        self.output.resizeAs(input)
        d = self.__dict__
        if d.get("stochastic") or d.get("train") is not False:
            if d.get("_uniform") is None:
                d["_uniform"] = input.new()
            d["_uniform"].resizeAs(input).uniform(0, 1)
            self.output.lt(d["_uniform"], input)
        else:
            self.output.copy(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        g = self.gradInput
        g.resizeAs(input)
        g.copy(self.output).add(-1, input)  # (x - p)
        d = self.__dict__
        if d.get("_div") is None:
            d["_div"] = input.new()
        d["_div"].resizeAs(input)
        d["_div"].fill(1).add(-1, input).cmul(input)  # p (1 - p)
        g.cdiv(d["_div"])
        g.cmul(self.rewardAs(input))
        g.mul(-1)
        return g
