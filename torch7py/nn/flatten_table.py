"""nn.FlattenTable: port of torch/nn FlattenTable.lua (a nested table as one flat list, depth first;
the gradient is given back the input's nesting)."""
from .module import Module


def _flatten(x, out):
    if isinstance(x, list):
        for v in x:
            _flatten(v, out)
    else:
        out.append(x)
    return out


def _unflatten(like, flat, pos, old):
    """A table shaped like ``like`` holding the entries of ``flat`` from pos; reuses ``old``."""
    if not isinstance(like, list):
        return flat[pos], pos + 1
    res = old if isinstance(old, list) else []
    while len(res) < len(like):
        res.append(None)
    del res[len(like):]
    for i, v in enumerate(like):
        res[i], pos = _unflatten(v, flat, pos, res[i])
    return res, pos


def _same_structure(a, b):
    if isinstance(a, list) != isinstance(b, list):
        return False
    if not isinstance(a, list):
        return True
    return len(a) == len(b) and all(_same_structure(x, y) for x, y in zip(a, b))


class FlattenTable(Module):

    def __init__(self):
        super().__init__()
        self.output = []
        self.input_map = []
        self.gradInput = []

    def updateOutput(self, input):
        if not isinstance(input, list):
            raise TypeError('input must be a table')
        self.output = _flatten(input, [])
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not isinstance(input, list) or not isinstance(gradOutput, list):
            raise TypeError('input and gradOutput must be tables')
        if len(_flatten(input, [])) != len(gradOutput):
            raise ValueError('FlattenTable: gradOutput has the wrong number of entries')
        self.gradInput, _ = _unflatten(input, gradOutput, 0, self.gradInput)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        # Torch7 drops its tables of references to the input before converting
        self.output = []
        self.gradInput = []
        return super().type(type, tensorCache)

    def clearState(self):
        self.output = []
        self.gradInput = []
        return self
