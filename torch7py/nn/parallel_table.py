"""nn.ParallelTable: port of torch/nn ParallelTable.lua (i-th module on the i-th input)."""
from .container import Container, tree_string
from .utils import lua_at, put as _put


class ParallelTable(Container):
    """Applies the i-th module to the i-th element of the input table."""

    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        for i, m in enumerate(self.modules, 1):
            _put(self.output, i - 1, self.rethrowErrors(m, i, 'updateOutput', lua_at(input, i)))
        return self.output

    def updateGradInput(self, input, gradOutput):
        for i, m in enumerate(self.modules, 1):
            _put(self.gradInput, i - 1, self.rethrowErrors(m, i, 'updateGradInput',
                                                           lua_at(input, i), lua_at(gradOutput, i)))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        for i, m in enumerate(self.modules, 1):
            self.rethrowErrors(m, i, 'accGradParameters', lua_at(input, i),
                               lua_at(gradOutput, i), scale)

    def accUpdateGradParameters(self, input, gradOutput, lr=1):
        if lr is None:
            lr = 1
        for i, m in enumerate(self.modules, 1):
            self.rethrowErrors(m, i, 'accUpdateGradParameters', lua_at(input, i),
                               lua_at(gradOutput, i), lr)

    def __tostring__(self):
        return tree_string(self)
