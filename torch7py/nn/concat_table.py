"""nn.ConcatTable: port of torch/nn ConcatTable.lua (same input to each module, a table out)."""
from .container import Container, tree_string
from .concat import accumulate_table_grads
from . import utils
from .utils import lua_at


class ConcatTable(Container):
    """Applies every module to the same input; output is the list of their outputs."""
    _table_grad_where = ('nn/ConcatTable.lua:37', 'nn/ConcatTable.lua:40')

    def __init__(self):
        super().__init__()
        self.output = []

    def updateOutput(self, input):
        out = self.output
        for i, m in enumerate(self.modules, 1):
            y = self.rethrowErrors(m, i, 'updateOutput', input)
            if i <= len(out):
                out[i - 1] = y
            else:
                out.append(y)
        return out

    def _backward(self, method, input, gradOutput, scale=1):
        args = () if method == 'updateGradInput' else (scale,)
        if isinstance(input, list):
            for i, m in enumerate(self.modules, 1):
                cur = self.rethrowErrors(m, i, method, input, lua_at(gradOutput, i), *args)
                accumulate_table_grads(self, i, input, cur)
            return self.gradInput
        if isinstance(self.gradInput, list):
            self.gradInput = input.clone()
        for i, m in enumerate(self.modules, 1):
            cur = self.rethrowErrors(m, i, method, input, lua_at(gradOutput, i), *args)
            if i == 1:
                self.gradInput.resize(*cur._size).copy(cur)
            else:
                utils.add_(self.gradInput, cur)
        return self.gradInput

    def updateGradInput(self, input, gradOutput):
        return self._backward('updateGradInput', input, gradOutput)

    def backward(self, input, gradOutput, scale=1):
        return self._backward('backward', input, gradOutput, 1 if scale is None else scale)

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        for i, m in enumerate(self.modules, 1):
            self.rethrowErrors(m, i, 'accGradParameters', input, lua_at(gradOutput, i), scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        for i, m in enumerate(self.modules, 1):
            self.rethrowErrors(m, i, 'accUpdateGradParameters', input, lua_at(gradOutput, i), lr)

    def __tostring__(self):
        return tree_string(self)
