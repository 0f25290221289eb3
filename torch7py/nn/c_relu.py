"""nn.CReLU: port of torch/nn CReLU.lua (ReLU of [x, -x] joined along the feature dim; a
Sequential of ConcatTable(Identity, MulConstant(-1)), JoinTable(2), ReLU)."""
from .concat_table import ConcatTable
from .identity import Identity
from .join_table import JoinTable
from .mul_constant import MulConstant
from .relu import ReLU
from .sequential import Sequential


class CReLU(Sequential):

    def __init__(self, nInputDims, inplace=False):
        super().__init__()
        self.nInputDims = nInputDims
        self.inplace = inplace or False
        ct = ConcatTable()
        ct.add(Identity())
        ct.add(MulConstant(-1))
        self.add(ct)
        self.add(JoinTable(2))
        self.add(ReLU(self.inplace))

    def _flat(self, input, t):
        if input.dim() == self.nInputDims + 1:
            return t.view(input.size(1), -1), True
        return t.view(1, -1), False

    def updateOutput(self, input):
        x, batched = self._flat(input, input)
        super().updateOutput(x)
        size = list(input._size)
        size[1 if batched else 0] *= 2
        self.output.resize(*size)
        return self.output

    def backward(self, input, gradOutput, scale=1):
        return self.updateGradInput(input, gradOutput)

    def updateGradInput(self, input, gradOutput):
        x, batched = self._flat(input, input)
        go, _ = self._flat(input, gradOutput.contiguous() if not gradOutput.isContiguous()
                           else gradOutput)
        super().updateGradInput(x, go)
        self.gradInput.resizeAs(input)
        return self.gradInput

    def __tostring__(self):
        return 'CReLU()'
