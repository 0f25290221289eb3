"""nn.PrintSize: port of torch/nn PrintSize.lua (prints the size of what passes through)."""
from .. import tensor as _tensor
from .module import Module


def _size_of(x):
    if isinstance(x, (list, dict)):
        return x
    if x is None:
        return 'missing size'
    return x.size() if isinstance(x, _tensor.Tensor) else x


class PrintSize(Module):

    def __init__(self, prefix=None):
        super().__init__()
        self.prefix = prefix or 'PrintSize'

    def updateOutput(self, input):
        self.output = input
        print(self.prefix + ':input\n', _size_of(input), sep='\t')
        return self.output

    def updateGradInput(self, input, gradOutput):
        print(self.prefix + ':gradOutput\n', _size_of(gradOutput), sep='\t')
        self.gradInput = gradOutput
        return self.gradInput
