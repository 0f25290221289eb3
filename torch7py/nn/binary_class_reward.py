"""nn.BinaryClassReward: dpnn's BinaryClassReward.lua, VRClassReward for one binary output.

Input: {p (batch probabilities of class 1), baseline}; target: 0/1 per example. The reward is
`scale` where (p > 0.5) equals the target, else 0; the loss is -sum(reward) (divided by the
batch size when sizeAverage). Backward gives (reward - baseline) (divided likewise) to the
module's reinforce, zeros for p and the baseline criterion's gradient toward the reward (its
backward only, as dpnn calls it)."""
from .criterion import Criterion
from .mse_criterion import MSECriterion
from .reinforce import _assert, reinforce
from . import utils
from .. import messages


class BinaryClassReward(Criterion):
    """nn.BinaryClassReward(module, [scale], [criterion])."""

    typename = "nn.BinaryClassReward"

    def __init__(self, module=None, scale=None, criterion=None):
        super().__init__()
        self.module = module
        self.scale = 1 if scale is None else scale
        self.criterion = criterion if criterion is not None else MSECriterion()
        self.sizeAverage = True
        self.gradInput = [utils.default_tensor_class()()]

    def updateOutput(self, input, target):
        _assert(messages.torch_type(input) == "table")
        p = input[0]
        _assert(p.dim() == 1)
        _assert(target.dim() == 1)
        d = self.__dict__
        if d.get("_binary") is None:
            d["_binary"] = p.new()
        binary = d["_binary"]
        binary.gt(p, 0.5)
        if messages.torch_type(binary) != messages.torch_type(target):
            if d.get("_target") is None:
                d["_target"] = binary.new()
            d["_target"].resize(target.size()).copy(target)
            target = d["_target"]
        if d.get("_reward") is None:
            d["_reward"] = p.new()
        d["_reward"].eq(binary, target)
        if d.get("reward") is None:
            d["reward"] = p.new()
        reward = d["reward"]
        reward.resize(d["_reward"].size(1)).copy(d["_reward"])
        reward.mul(self.scale)
        self.output = -reward.sum()
        if self.sizeAverage:
            self.output = self.output / p.size(1)
        return self.output

    def updateGradInput(self, inputTable, target):
        p, baseline = inputTable[0], inputTable[1]
        d = self.__dict__
        reward = d["reward"]
        if d.get("vrReward") is None:
            d["vrReward"] = reward.new()
        vr = d["vrReward"]
        vr.resizeAs(reward).copy(reward)
        vr.add(-1, baseline)
        if self.sizeAverage:
            vr.div(p.size(1))
        f = getattr(self.module, "reinforce", None)
        if callable(f):
            f(vr)
        else:
            reinforce(self.module, vr)
        self.gradInput[0].resizeAs(p).zero()
        while len(self.gradInput) < 2:
            self.gradInput.append(None)
        self.gradInput[1] = self.criterion.backward(baseline, reward)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        d = self.__dict__
        d.pop("_binary", None)
        d.pop("_target", None)
        module = d.pop("module", None)
        try:
            return super().type(type, tensorCache)
        finally:
            d["module"] = module
