"""nn.CriterionTable: port of torch/nn CriterionTable.lua (a criterion used as a module on the
table {input, target})."""
from .module import Module


class CriterionTable(Module):

    def __init__(self, criterion):
        super().__init__()
        self.criterion = criterion
        self.gradInput = [criterion.gradInput]

    def updateOutput(self, input):
        self.output = self.criterion.updateOutput(*input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.criterion.updateGradInput(*input)
        return self.gradInput
