"""nn.Reinforce: dpnn's abstract REINFORCE module (Element-Research dpnn, Reinforce.lua).

A Reinforce module's forward passes its input on; a reward criterion (nn.VRClassReward) calls
`reinforce(reward)` on the model, which reaches every module (dpnn's Module:reinforce: a
container asks its modules, torch7py.nn.reinforce.reinforce), and the Reinforce modules keep
the reward: their backward ignores gradOutput and gives the gradient of the log-likelihood of
their sample times the reward (the subclasses: ReinforceNormal, ReinforceBernoulli,
ReinforceCategorical). This module also holds dpnn's Module:toBatch/fromBatch, which they and
VRClassReward use to take an input without its batch dimension.
"""
from .module import Module
from .utils import TorchAssertionError


def _assert(ok, message="assertion failed!"):
    if not ok:
        raise TorchAssertionError(message)


def _children(m):
    mods = m.__dict__.get("modules") if hasattr(m, "__dict__") else None
    if isinstance(mods, dict):
        return [mods[k] for k in sorted(k for k in mods if isinstance(k, int))]
    return list(mods) if isinstance(mods, (list, tuple)) else []


def reinforce(module, reward):
    """dpnn's Module:reinforce(reward): a module with modules passes the reward to each of them
    (its own reinforce, when its class has one: Reinforce keeps it, a recurrent module gives it
    to its step clones)."""
    for m in _children(module):
        if m is None:
            break  # ipairs stops at the first hole
        f = getattr(m, "reinforce", None)
        if callable(f):
            f(reward)
        else:
            reinforce(m, reward)


def to_batch(owner, tensor, nDim, batchDim=1):
    """dpnn's Module:toBatch: a tensor of nDim dimensions gets a batch dimension of size 1 at
    batchDim (the owner remembers it was online: dpnn_online)."""
    if tensor.dim() == nDim:
        owner.dpnn_online = True
        size = list(tensor.size().totable())
        size.insert(batchDim - 1, 1)
        return tensor.view(*size)
    owner.dpnn_online = False
    return tensor


def from_batch(owner, tensor, batchDim=1):
    """dpnn's Module:fromBatch: undoes toBatch when the input was online."""
    if owner.__dict__.get("dpnn_online"):
        size = list(tensor.size().totable())
        _assert(size.pop(batchDim - 1) == 1)
        return tensor.view(*size)
    return tensor


class Reinforce(Module):
    """nn.Reinforce([stochastic]): the identity forward; backward gives the reward broadcast
    to the input's size. `stochastic` true samples in evaluation too (the subclasses)."""

    typename = "nn.Reinforce"

    def __init__(self, stochastic=None):
        super().__init__()
        self.stochastic = stochastic

    def reinforce(self, reward):
        reinforce(self, reward)
        self.reward = reward

    def toBatch(self, tensor, nDim, batchDim=None):
        return to_batch(self, tensor, nDim, 1 if batchDim is None else batchDim)

    def fromBatch(self, tensor, batchDim=None):
        return from_batch(self, tensor, 1 if batchDim is None else batchDim)

    def updateOutput(self, input):
        self.output.set(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        reward = self.rewardAs(input)
        self.gradInput.resizeAs(reward).copy(reward)
        return self.gradInput

    def rewardAs(self, input):
        """The reward (one per example) viewed as input's size: expanded over every dimension
        after the first."""
        reward = self.__dict__.get("reward")
        _assert(reward.dim() == 1)
        if input.isSameSizeAs(reward):
            return reward
        if reward.size(1) != input.size(1):
            # the input is online (no batch dimension)
            input = self.toBatch(input, input.dim())
            _assert(reward.size(1) == input.size(1),
                    "%s ~= %s" % (reward.size(1), input.size(1)))
        d = self.__dict__
        if d.get("_reward") is None:
            d["_reward"] = reward.new()
        if d.get("__reward") is None:
            d["__reward"] = reward.new()
        size = list(input.size().fill(1).totable())
        size[0] = reward.size(1)
        d["_reward"].view(reward, *size)
        d["__reward"].expandAs(d["_reward"], input)
        return d["__reward"]
