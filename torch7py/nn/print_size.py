"""nn.PrintSize: port of torch/nn PrintSize.lua (prints the size of what passes through)."""
from .. import messages
from ..printing import lua_print
from . import _lua
from .module import Module


def _size_of(x, what):
    """PrintSize.lua's size: a table itself, 'missing size' for nil, else x:size() (a value
    without one fails as Lua does)."""
    kind = messages.torch_type(x)
    if kind == 'table':
        return x
    if kind == 'nil':
        return 'missing size'
    return _lua.mcall(x, 'size', what=what)


class PrintSize(Module):

    def __init__(self, prefix=None):
        super().__init__()
        self.prefix = prefix or 'PrintSize'

    def updateOutput(self, input):
        self.output = input
        size = _size_of(input, "local 'input'")
        lua_print(_lua.concat(self.prefix, "field 'prefix'") + ':input\n', size)
        return self.output

    def updateGradInput(self, input, gradOutput):
        size = _size_of(gradOutput, "local 'gradOutput'")
        lua_print(_lua.concat(self.prefix, "field 'prefix'") + ':gradOutput\n', size)
        self.gradInput = gradOutput
        return self.gradInput
