"""nn.ModuleCriterion: port of torch/nn ModuleCriterion.lua (a criterion applied after an input
module and a target module)."""
from .criterion import Criterion
from ..printing import lua_print  # (th's print when called from Lua, as dpnn/rnn print)


class ModuleCriterion(Criterion):

    def __init__(self, criterion, inputModule=None, targetModule=None, castTarget=None):
        # Torch7 does not call Criterion's constructor here
        self.inputModule = inputModule
        self.targetModule = targetModule
        self.castTarget = True if castTarget is None else castTarget
        if inputModule is not None:
            params = inputModule.parameters()[0]
            if params:
                lua_print("Warning: nn.ModuleCriterion doesn't support parameter updates")
        self.criterion = criterion

    def updateOutput(self, input, target):
        if self.__dict__.get('inputModule') is not None:
            self.input = self.inputModule.forward(input)
        if self.__dict__.get('targetModule') is not None:
            self.target = self.targetModule.forward(target)
        self.output = self.criterion.forward(self.__dict__.get('input', input),
                                             self.__dict__.get('target', target))
        return self.output

    def updateGradInput(self, input, target):
        self.gradInput = self.criterion.backward(self.__dict__.get('input', input),
                                                 self.__dict__.get('target', target))
        if self.__dict__.get('inputModule') is not None:
            self.gradInput = self.inputModule.backward(input, self.gradInput)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if self.__dict__.get('inputModule') is not None:
            self.inputModule.type(type, tensorCache)
        if self.castTarget and self.__dict__.get('targetModule') is not None:
            self.targetModule.type(type, tensorCache)
        self.criterion.type(type, tensorCache)
        return super().type(type, tensorCache)
