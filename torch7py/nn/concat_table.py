"""nn.ConcatTable: port of torch/nn ConcatTable.lua (same input to each module, a table out)."""
import contextlib

from .. import messages
from ..tensor import Tensor
from . import _lua
from .container import Container, tree_string
from .concat import accumulate_table_grads
from . import utils
from .utils import lua_at

_GRAD = "local 'gradOutput'"


class ConcatTable(Container):
    """Applies every module to the same input; output is the list of their outputs."""
    _table_grad_where = ('nn/ConcatTable.lua:37', 'nn/ConcatTable.lua:40')
    # ConcatTable.lua's lines that read gradOutput[i]: backward's loops over a table input
    # (35) and a tensor (66), accGradParameters' (88), accUpdateGradParameters' (94)
    _lua_lines = {'table': 'nn/ConcatTable.lua:35', 'tensor': 'nn/ConcatTable.lua:66',
                  'accGradParameters': 'nn/ConcatTable.lua:88',
                  'accUpdateGradParameters': 'nn/ConcatTable.lua:94',
                  'first': 'nn/ConcatTable.lua:68', 'add': 'nn/ConcatTable.lua:70'}

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
                g = lua_at(gradOutput, i, _GRAD, self._lua_lines.get('table'))
                cur = self.rethrowErrors(m, i, method, input, g, *args)
                accumulate_table_grads(self, i, input, cur)
            return self.gradInput
        if isinstance(self.gradInput, list):
            self.gradInput = input.clone()
        for i, m in enumerate(self.modules, 1):
            g = lua_at(gradOutput, i, _GRAD, self._lua_lines.get('tensor'))
            cur = self.rethrowErrors(m, i, method, input, g, *args)
            if not isinstance(cur, Tensor) or i > 1 and type(cur) is not type(self.gradInput):
                # self.gradInput:resize(currentGradInput:size()) (68), or :add(it) (70): TH's
                # add takes a tensor of its own type only (resize and copy take any)
                where = self._lua_lines.get('first' if i == 1 else 'add')
                with messages.lua_line(where) if where else contextlib.nullcontext():
                    if i == 1:
                        _lua.mcall(cur, 'size', what="local 'currentGradInput'")
                    else:
                        _lua.mcall(self.gradInput, 'add', cur, what="field 'gradInput'")
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
            g = lua_at(gradOutput, i, _GRAD, self._lua_lines.get('accGradParameters'))
            self.rethrowErrors(m, i, 'accGradParameters', input, g, scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        for i, m in enumerate(self.modules, 1):
            g = lua_at(gradOutput, i, _GRAD, self._lua_lines.get('accUpdateGradParameters'))
            self.rethrowErrors(m, i, 'accUpdateGradParameters', input, g, lr)

    def __tostring__(self):
        return tree_string(self)
