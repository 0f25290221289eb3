"""nn.FlattenTable: port of torch/nn FlattenTable.lua (a nested table as one flat list, depth first;
the gradient is given back the input's nesting)."""
from collections.abc import Mapping

from .. import messages
from . import _lua
from .module import Module


def _entries(x):
    """A plain Lua table that is not a list (one with a hole, {a, nil, b}, as a mapping):
    its x[1] .. x[#x], holes as None; anything else as it is."""
    if isinstance(x, Mapping) and messages.lua_type(x) == 'table':
        return [_lua.index(x, i) for i in range(1, _lua.length(x) + 1)]
    return x


def _flatten(output, x):
    """Appends x's leaves to output depth first; returns the input map: x's nesting with each
    leaf replaced by its 1-based position in output. A hole maps to #output + 1 and appends
    nothing (FlattenTable.lua's output[#output + 1] = nil)."""
    x = _entries(x)
    if isinstance(x, list):
        return [_flatten(output, v) for v in x]
    if x is None:
        return len(output) + 1
    output.append(x)
    return len(output)


def _check_mapping(output, input, input_map):
    """True when output still holds input's leaves at the places input_map names (identity)."""
    if input_map is None or output is None or input is None:
        return False
    input = _entries(input)
    if isinstance(input, list):
        if not isinstance(input_map, list) or len(input) != len(input_map):
            return False
        return all(_check_mapping(output, x, m) for x, m in zip(input, input_map))
    if isinstance(input_map, list) or isinstance(input_map, bool) or \
            not isinstance(input_map, (int, float)):
        return False
    i = int(input_map)
    if isinstance(output, list):
        return 1 <= i <= len(output) and output[i - 1] is input
    leaf = _lua.index(output, i, "local 'output'")  # output[input_map] == input
    if isinstance(leaf, (int, float)) and isinstance(input, (int, float)):
        return leaf == input
    return leaf is input


def _inverse_flatten(gradOutput, input_map):
    if isinstance(input_map, list):
        # FlattenTable.lua: gradInput[#gradInput + 1] = inverseFlatten(...): a nil entry
        # (a gradOutput shorter than the input) is no entry, the next one takes its slot
        out = []
        for m in input_map:
            g = _inverse_flatten(gradOutput, m)
            if g is not None:
                out.append(g)
        return out
    # gradOutput[input_map]: a table's entry, or a tensor's (a gradOutput that is a tensor
    # gives its slices or numbers)
    return _lua.index(gradOutput, int(input_map), "local 'gradOutput'")


class FlattenTable(Module):

    def __init__(self):
        super().__init__()
        self.output = []
        self.input_map = []
        self.gradInput = []

    def updateOutput(self, input):
        if not isinstance(input, list) and messages.lua_type(input) != 'table':
            raise AssertionError('input must be a table')
        # the flat table is rebuilt only when the input's leaves or nesting changed
        if not _check_mapping(self.output, input, self.__dict__.get('input_map')):
            self.output = []
            self.input_map = _flatten(self.output, input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not isinstance(input, list) and messages.lua_type(input) != 'table':
            raise AssertionError('input must be a table')
        if not _check_mapping(gradOutput, self.gradInput, self.input_map):
            self.gradInput = _inverse_flatten(gradOutput, self.input_map)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        # FlattenTable.lua's type only clears its tables of references (and returns nothing)
        self.clearState()

    def clearState(self):
        self.input_map = []
        self.output = []
        self.gradInput = []
        return self
