"""nn.CriterionTable: port of torch/nn CriterionTable.lua (a criterion used as a module on the
table {input, target})."""
from ..luacall import call
from . import _lua
from .module import Module


class CriterionTable(Module):

    def __init__(self, criterion):
        super().__init__()
        self.criterion = criterion
        self.gradInput = [criterion.gradInput]

    def updateOutput(self, input):
        # self.criterion:updateOutput(table.unpack(input)): a Lua call of what the table holds
        self.output = call(self.criterion.updateOutput, *_lua.unpack(input))
        return self.output

    def updateGradInput(self, input, gradOutput):
        call(self.criterion.updateGradInput, *_lua.unpack(input))
        return self.gradInput
