"""torch.AliasMultinomial: torchx's sampler of a discrete distribution by the alias method
(torchx AliasMultinomial.lua), which dpnn's NCEModule draws its noise samples with.

setup(probs) builds the alias table J (LongTensor) and the mixture probabilities q (probs'
type) as torchx does in Lua: outcomes below 1/K and the others on two stacks, paired from the
stacks' tops; q scaled to a maximum of 1 when it overshoots; an outcome left without an alias
gets q = 1. batchdraw(output) fills a LongTensor with draws: a uniform outcome kk per element
(random(1, K)), a Bernoulli draw of q[kk] per element, kk where it is 1, else J[kk] (both from
torch's generator, in that order).
"""
from .. import tensor as _tensor
from .reinforce import _assert


class AliasMultinomial:
    """torch.AliasMultinomial(probs)."""

    typename = "torch.AliasMultinomial"

    def __init__(self, probs):
        self.J, self.q = self.setup(probs)

    def setup(self, probs):
        _assert(probs.dim() == 1)
        K = probs.nElement()
        q = probs.new(K).zero()
        J = _tensor.LongTensor(K).zero()
        smaller, larger = [], []
        for kk in range(1, K + 1):
            q[kk] = K * probs[kk]
            if q[kk] < 1:
                smaller.append(kk)
            else:
                larger.append(kk)
        while smaller and larger:
            small = smaller.pop()
            large = larger.pop()
            J[small] = large
            q[large] = q[large] - (1.0 - q[small])
            if q[large] < 1.0:
                smaller.append(large)
            else:
                larger.append(large)
        _assert(q.min() >= 0)
        if q.max() > 1:
            q.div(q.max())
        _assert(q.max() <= 1)
        if J.min() <= 0:
            # an outcome that got no alias is always kept
            for i in range(1, K + 1):
                if J[i] <= 0:
                    q[i] = 1
        return J, q

    def batchdraw(self, output):
        _assert(isinstance(output, _tensor.LongTensor))
        _assert(output.nElement() > 0)
        J = self.J
        K = J.nElement()
        d = self.__dict__
        if d.get("_kk") is None:
            d["_kk"] = output.new()
        kk = d["_kk"]
        kk.resizeAs(output).random(1, K)
        if d.get("_q") is None:
            d["_q"] = self.q.new()
        d["_q"].index(self.q, 1, kk.view(-1))
        # (torchx reads self._b here, a field it never sets: a fresh LongTensor each draw)
        mask = d.get("_b") or _tensor.LongTensor()
        d["_mask"] = mask
        mask.resize(d["_q"].size()).bernoulli(d["_q"])
        if d.get("__kk") is None:
            d["__kk"] = output.new()
        kept = d["__kk"]
        kept.resize(kk.size()).copy(kk)
        kept.cmul(mask)
        mask.add(-1).mul(-1)  # 1 where the alias is taken
        output.view(-1).index(J, 1, kk.view(-1))
        output.cmul(mask)
        output.add(kept)
        return output
