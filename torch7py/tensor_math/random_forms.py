"""The cwrap forms of the random functions (TensorMath.lua's and random.lua's declarations),
which random.py implements with its own argument parsing: check_args gives their errors."""
from ._dispatch import _define, cwrap_gate
from ._helpers import _FLOAT_TYPES

# the number form reads doubles, the tensor form the tensor's real
for _n, _d in (("uniform", "=0 %s=1"), ("normal", "=0 %s=1"), ("cauchy", "=0 %s=1"),
               ("logNormal", "=1 %s=2")):
    cwrap_gate(_n, ["G d" + _d % "d", "T* G r" + _d % "r"], types=_FLOAT_TYPES)
cwrap_gate("exponential", ["G d", "T* G r"], types=_FLOAT_TYPES)
cwrap_gate("geometric", ["G d", "T* G d"])
cwrap_gate("bernoulli", ["G d=0.5", "T* G d=0.5", "T* G F", "T* G D"])
cwrap_gate("random", ["G n n", "G n", "G", "T* G n n", "T* G n", "T* G"])
cwrap_gate("randperm", ["R! G n"])
cwrap_gate("multinomial", ["L!* G T k b=0"], types=_FLOAT_TYPES)
# random.lua (no tensor type)
cwrap_gate("seed", ["G"])
cwrap_gate("initialSeed", ["G"])
cwrap_gate("manualSeed", ["G n"])
cwrap_gate("getRNGState", ["G B?"])
cwrap_gate("setRNGState", ["G B?"])


# TensorMath's multinomialAliasSetup_ / multinomialAlias_, which init.lua's
# torch.multinomialAliasSetup / torch.multinomialAlias call
def _alias_setup(T, probs, J, q):
    from ..random import multinomialAliasSetup
    from ..tensor import LongTensor
    state = multinomialAliasSetup(probs, [LongTensor() if J is None else J,
                                                 T() if q is None else q])
    return state[0], state[1]


def _alias_draw(T, output, gen, J, q):
    from ..random import multinomialAlias
    from ..tensor import LongTensor
    return multinomialAlias(LongTensor() if output is None else output, [J, q], gen)


_define("multinomialAliasSetup_", [("T L? R", _alias_setup)], types=_FLOAT_TYPES,
        method_forms=[("T L* T*", _alias_setup)])
_define("multinomialAlias_", [("L? G L T", _alias_draw)], types=_FLOAT_TYPES,
        method_forms=[("L* G L T", _alias_draw)])
