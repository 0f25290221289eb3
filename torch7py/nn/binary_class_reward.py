"""nn.BinaryClassReward: dpnn's BinaryClassReward.lua, VRClassReward for one binary output.

Input: {p (batch probabilities of class 1), baseline}; target: 0/1 per example. The reward is
`scale` where (p > 0.5) equals the target, else 0; the loss is -sum(reward) (divided by the
batch size when sizeAverage). Backward gives (reward - baseline) (divided likewise) to the
module's reinforce, zeros for p and the baseline criterion's gradient toward the reward (its
backward only, as dpnn calls it)."""
from .criterion import Criterion
from .mse_criterion import MSECriterion
from .reinforce import _assert
from .vr_class_reward import class_reward, send_reward
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
        self.output = class_reward(self, binary, target, p)
        return self.output

    def updateGradInput(self, inputTable, target):
        p, baseline = inputTable[0], inputTable[1]
        reward = send_reward(self, baseline, p.size(1))
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
