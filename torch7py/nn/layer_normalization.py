"""nn.LayerNormalization: port of torch/nn LayerNormalization.lua (a Sequential: each row minus
its mean, scaled to norm sqrt(n), then an optional learnt gain and bias)."""

from .add import Add
from .c_mul import CMul
from .c_sub_table import CSubTable
from .concat_table import ConcatTable
from .identity import Identity
from .mean import Mean
from .mul_constant import MulConstant
from .normalize import Normalize
from .replicate import Replicate
from .sequential import Sequential


class LayerNormalization(Sequential):

    def __init__(self, nOutput, bias=None, eps=None, affine=None):
        super().__init__()
        eps = 1e-10 if eps is None else eps
        affine = True if affine is None else affine
        bias = 0 if bias is None else bias
        self.add(ConcatTable()
                 .add(Identity())
                 .add(Sequential().add(Mean(1, 1)).add(Replicate(nOutput, 1, 1))))
        self.add(CSubTable())
        self.add(Normalize(2, eps))
        # LayerNormalization.lua: nn.MulConstant(torch.sqrt(nOutput)), torch's sqrt (a nil
        # nOutput is its cwrap complaint, with no position)
        import torch7py
        self.add(MulConstant(torch7py.sqrt(nOutput)))
        if affine:
            bias_t = Add(nOutput, False)
            bias_t.bias.fill(bias)
            gain = CMul(nOutput)
            gain.weight.fill(1.0)
            self.add(gain)
            self.add(bias_t)
