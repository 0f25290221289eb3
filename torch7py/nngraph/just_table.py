"""nngraph.JustTable: port of nngraph's JustTable.lua (wraps its input in a one-entry table)."""
from ..nn.module import Module


class JustTable(Module):
    typename = 'nngraph.JustTable'

    def __init__(self):
        self.output = []

    def updateOutput(self, input):
        if self.output:
            self.output[0] = input
        else:
            self.output.append(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput[0]
        return self.gradInput
