"""nn.ZipTable: port of torch/nn ZipTable.lua ({{a1, a2}, {b1, b2}} -> {{a1, b1}, {a2, b2}})."""
from ..messages import at_lua
from ..tensor import TorchError
from . import _lua
from .module import Module


def _ipairs_at(x, line):
    """_lua.ipairs(x), its error at ZipTable.lua's `line` (the outer and the inner loop fail
    with one text)."""
    try:
        return list(_lua.ipairs(x))
    except TorchError as e:
        raise at_lua(e, "nn/ZipTable.lua:%d" % line)


def _zip(tables, line):
    out = []
    # ipairs over the table (at `line`) and over each of its tables (the next line), as
    # ZipTable.lua
    for i, t in _ipairs_at(tables, line):
        for j, v in _ipairs_at(t, line + 1):
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
        self.output = _zip(input, 13)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = _zip(gradOutput, 25)
        return self.gradInput
