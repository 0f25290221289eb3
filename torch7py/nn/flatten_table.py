"""nn.FlattenTable: port of torch/nn FlattenTable.lua (a nested table as one flat list, depth first;
the gradient is given back the input's nesting)."""
from . import _lua
from .module import Module


def _flatten(output, x):
    """Appends x's leaves to output depth first; returns the input map: x's nesting with each
    leaf replaced by its 1-based position in output."""
    if isinstance(x, list):
        return [_flatten(output, v) for v in x]
    output.append(x)
    return len(output)


def _check_mapping(output, input, input_map):
    """True when output still holds input's leaves at the places input_map names (identity)."""
    if input_map is None or output is None or input is None:
        return False
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
        return [_inverse_flatten(gradOutput, m) for m in input_map]
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
        if not isinstance(input, list):
            raise AssertionError('input must be a table')
        # the flat table is rebuilt only when the input's leaves or nesting changed
        if not _check_mapping(self.output, input, self.__dict__.get('input_map')):
            self.output = []
            self.input_map = _flatten(self.output, input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not isinstance(input, list):
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
