"""nn.ZipTableOneToMany: port of torch/nn ZipTableOneToMany.lua ({v, {x1, x2}} ->
{{v, x1}, {v, x2}}; v's gradient is the sum of its copies')."""
from ..messages import lua_line
from . import _lua
from ._kernels import arr, new_tensor, out_like
from .module import Module
from .utils import TorchAssertionError


def _is_pair(input):
    """ZipTableOneToMany.lua's `#input == 2` (a tensor's # is its size, a LongStorage: never
    2)."""
    n = _lua.length(input, "local 'input'")
    return type(n) is int and n == 2


class ZipTableOneToMany(Module):

    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []
        self.gradInputEl = new_tensor()

    def updateOutput(self, input):
        if not _is_pair(input):
            raise TorchAssertionError('input must be table of element and table')
        el, table = _lua.index(input, 1), _lua.index(input, 2)
        # (ipairs(inputTable): a table only)
        self.output = [[el, v] for _, v in _lua.ipairs(table)]
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not _is_pair(input):
            raise TorchAssertionError('input must be table of element and table')
        el = _lua.index(input, 1)
        # ZipTableOneToMany.lua: gradInputEl:resizeAs(inputEl):zero(), then for each pair of
        # ipairs(gradOutput): gradInputEl:add(gradV[1]) (TH's add and its size check)
        with lua_line('nn/ZipTableOneToMany.lua:28'):
            _lua.mcall(self.gradInputEl, 'resizeAs', el).zero()
        table = []
        pairs = _lua.ipairs(gradOutput)
        while True:
            with lua_line('nn/ZipTableOneToMany.lua:30'):
                gv = next(pairs, (None, None))[1]
            if gv is None:
                break
            with lua_line('nn/ZipTableOneToMany.lua:31'):
                _lua.mcall(self.gradInputEl, 'add', _lua.index(gv, 1, "local 'gradV'"))
            with lua_line('nn/ZipTableOneToMany.lua:32'):
                table.append(_lua.index(gv, 2, "local 'gradV'"))
        self.gradInput = [self.gradInputEl, table]
        return self.gradInput
