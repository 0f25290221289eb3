"""nn.ParallelTable: port of torch/nn ParallelTable.lua (i-th module on the i-th input)."""
from .container import Container, tree_string
from .utils import lua_at, put as _put

_IN, _GRAD = "local 'input'", "local 'gradOutput'"
_AT = 'nn/ParallelTable.lua:%d'  # the line of each method's loop, which reads input[i] ...


class ParallelTable(Container):
    """Applies the i-th module to the i-th element of the input table."""

    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        for i, m in enumerate(self.modules, 1):
            _put(self.output, i - 1, self.rethrowErrors(m, i, 'updateOutput',
                                                        lua_at(input, i, _IN, _AT % 12)))
        return self.output

    def updateGradInput(self, input, gradOutput):
        for i, m in enumerate(self.modules, 1):
            _put(self.gradInput, i - 1, self.rethrowErrors(m, i, 'updateGradInput',
                                                           lua_at(input, i, _IN, _AT % 19),
                                                           lua_at(gradOutput, i, _GRAD, _AT % 19)))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        for i, m in enumerate(self.modules, 1):
            self.rethrowErrors(m, i, 'accGradParameters', lua_at(input, i, _IN, _AT % 27),
                               lua_at(gradOutput, i, _GRAD, _AT % 27), scale)

    def accUpdateGradParameters(self, input, gradOutput, lr=1):
        if lr is None:
            lr = 1
        for i, m in enumerate(self.modules, 1):
            self.rethrowErrors(m, i, 'accUpdateGradParameters', lua_at(input, i, _IN, _AT % 34),
                               lua_at(gradOutput, i, _GRAD, _AT % 34), lr)

    def __tostring__(self):
        return tree_string(self)
