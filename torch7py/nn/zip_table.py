"""nn.ZipTable: port of torch/nn ZipTable.lua ({{a1, a2}, {b1, b2}} -> {{a1, b1}, {a2, b2}})."""
from .module import Module


def _zip(tables):
    out = []
    for i, t in enumerate(tables):
        for j, v in enumerate(t):
            while len(out) <= j:
                out.append([])
            row = out[j]
            while len(row) <= i:
                row.append(None)
            row[i] = v
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
