"""nn.ModuleFromCriterion: port of nngraph's ModuleFromCriterion.lua (a criterion as a module
of {prediction, target}; what calling a criterion on nodes makes)."""
from ..nn import utils
from ..nn.module import Module


class ModuleFromCriterion(Module):
    typename = 'nn.ModuleFromCriterion'

    def __init__(self, criterion):
        cls = utils.default_tensor_class()
        self.criterion = criterion
        self.output = cls(1)
        self.gradInput = [cls(), cls()]

    def updateOutput(self, input):
        prediction, target = input[0], input[1]
        self.output[1] = self.criterion.updateOutput(prediction, target)
        return self.output

    def updateGradInput(self, input, gradOutput):
        prediction, target = input[0], input[1]
        grad = self.criterion.updateGradInput(prediction, target)
        scale = gradOutput[1]
        if isinstance(grad, list):
            if not isinstance(self.gradInput[0], list):
                self.gradInput[0] = [g.new() for g in grad]
            for mine, g in zip(self.gradInput[0], grad):
                mine.resizeAs(g).copy(g).mul(scale)
        else:
            self.gradInput[0].resizeAs(grad).copy(grad).mul(scale)
        self.gradInput[1].resizeAs(target).zero()
        return self.gradInput
