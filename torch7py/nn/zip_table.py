"""nn.ZipTable: port of torch/nn ZipTable.lua ({{a1, a2}, {b1, b2}} -> {{a1, b1}, {a2, b2}})."""
from . import _lua
from .module import Module


def _zip(tables):
    out = []
    # ipairs over the table and over each of its tables, as ZipTable.lua
    for i, t in _lua.ipairs(tables):
        for j, v in _lua.ipairs(t):
            while len(out) < j:
                out.append([])
            row = out[j - 1]
            while len(row) < i:
                row.append(None)
            row[i - 1] = v
    return out


class ZipTable(Module):

    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        self.output = _zip(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = _zip(gradOutput)
        return self.gradInput
