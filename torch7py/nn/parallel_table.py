"""nn.ParallelTable: port of torch/nn ParallelTable.lua (i-th module on the i-th input)."""
from .container import Container, tree_string


def _put(lst, i, v):
    if i < len(lst):
        lst[i] = v
    else:
        while len(lst) < i:
            lst.append(None)
        lst.append(v)


class ParallelTable(Container):
    """Applies the i-th module to the i-th element of the input table."""

    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        for i, m in enumerate(self.modules, 1):
            x = input[i - 1] if i <= len(input) else None  # a missing entry is Lua's nil
            _put(self.output, i - 1, self.rethrowErrors(m, i, 'updateOutput', x))
        return self.output

    def updateGradInput(self, input, gradOutput):
        for i, m in enumerate(self.modules, 1):
            _put(self.gradInput, i - 1, self.rethrowErrors(m, i, 'updateGradInput',
                                                           input[i - 1], gradOutput[i - 1]))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        for i, m in enumerate(self.modules, 1):
            self.rethrowErrors(m, i, 'accGradParameters', input[i - 1], gradOutput[i - 1], scale)

    def accUpdateGradParameters(self, input, gradOutput, lr=1):
        if lr is None:
            lr = 1
        for i, m in enumerate(self.modules, 1):
            self.rethrowErrors(m, i, 'accUpdateGradParameters', input[i - 1],
                               gradOutput[i - 1], lr)

    def __tostring__(self):
        return tree_string(self)
