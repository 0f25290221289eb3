"""nn.VRClassReward: dpnn's variance-reduced classification reward criterion
(VRClassReward.lua).

Input: {class scores, baseline}; target: the classes. The reward of an example is `scale`
when its highest score is its target class, else 0; the loss is -sum(reward) (divided by the
batch size when sizeAverage). Backward broadcasts (reward - baseline) (divided by the batch
size when sizeAverage) to the module given at construction (`module:reinforce`, which reaches
its Reinforce modules), gives zeros for the scores, and for the baseline the gradient of its
criterion (MSE by default) against the reward.
"""
from .. import tensor as _tensor
from .criterion import Criterion
from .mse_criterion import MSECriterion
from .reinforce import _assert, from_batch, reinforce, to_batch
from . import utils
from .. import messages


def class_reward(crit, predicted, target, like):
    """The reward of dpnn's class-reward criterions (VRClassReward.lua, BinaryClassReward.lua):
    `scale` where `predicted` equals the target (converted to predicted's type in a kept
    buffer), else 0, into crit.reward (of `like`'s type); returns the loss -sum(reward),
    divided by the batch size when sizeAverage."""
    d = crit.__dict__
    if messages.torch_type(predicted) != messages.torch_type(target):
        if d.get("_target") is None:
            d["_target"] = predicted.new()
        d["_target"].resize(target.size()).copy(target)
        target = d["_target"]
    if d.get("_reward") is None:
        d["_reward"] = predicted.new()
    d["_reward"].eq(predicted, target)
    if d.get("reward") is None:
        d["reward"] = like.new()
    reward = d["reward"]
    reward.resize(d["_reward"].size(1)).copy(d["_reward"])
    reward.mul(crit.scale)
    output = -reward.sum()
    if crit.sizeAverage:
        output = output / like.size(1)
    return output


def send_reward(crit, baseline, n):
    """(reward - baseline), divided by the batch size n when sizeAverage, to the module's
    reinforce (crit.vrReward, as dpnn keeps it)."""
    d = crit.__dict__
    reward = d["reward"]
    if d.get("vrReward") is None:
        d["vrReward"] = reward.new()
    vr = d["vrReward"]
    vr.resizeAs(reward).copy(reward)
    vr.add(-1, baseline)  # the baseline reduces the variance
    if crit.sizeAverage:
        vr.div(n)
    f = getattr(crit.module, "reinforce", None)
    if callable(f):
        f(vr)
    else:
        reinforce(crit.module, vr)
    return reward


class VRClassReward(Criterion):
    """nn.VRClassReward(module, [scale], [criterion])."""

    typename = "nn.VRClassReward"

    def __init__(self, module=None, scale=None, criterion=None):
        super().__init__()
        self.module = module  # (its reinforce receives the reward)
        self.scale = 1 if scale is None else scale
        self.criterion = criterion if criterion is not None else MSECriterion()
        self.sizeAverage = True
        self.gradInput = [utils.default_tensor_class()()]

    def toBatch(self, tensor, nDim, batchDim=None):
        return to_batch(self, tensor, nDim, 1 if batchDim is None else batchDim)

    def fromBatch(self, tensor, batchDim=None):
        return from_batch(self, tensor, 1 if batchDim is None else batchDim)

    def updateOutput(self, input, target):
        _assert(messages.torch_type(input) == "table")
        scores = self.toBatch(input[0], 1)
        d = self.__dict__
        if d.get("_maxVal") is None:
            d["_maxVal"] = scores.new()
        if d.get("_maxIdx") is None:
            d["_maxIdx"] = _tensor.LongTensor()
        d["_maxVal"].max(d["_maxIdx"], scores, 2)  # the predicted class
        self.output = class_reward(self, d["_maxIdx"], target, scores)
        return self.output

    def updateGradInput(self, inputTable, target):
        scores = self.toBatch(inputTable[0], 1)
        baseline = self.toBatch(inputTable[1], 1)
        reward = send_reward(self, baseline, scores.size(1))
        # no gradient for the class scores
        self.gradInput[0].resizeAs(scores).zero()
        self.gradInput[0] = self.fromBatch(self.gradInput[0], 1)
        # the baseline learns the reward
        self.criterion.forward(baseline, reward)
        g = self.criterion.backward(baseline, reward)
        while len(self.gradInput) < 2:
            self.gradInput.append(None)
        self.gradInput[1] = self.fromBatch(g, 1)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        d = self.__dict__
        for k in ("_maxVal", "_maxIdx", "__maxIdx", "_target"):
            d.pop(k, None)
        module = d.pop("module", None)
        try:
            return super().type(type, tensorCache)
        finally:
            d["module"] = module
