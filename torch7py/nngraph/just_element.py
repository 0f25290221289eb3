"""nngraph.JustElement: port of nngraph's JustElement.lua (the one entry of a one-entry table;
what node:split(1) makes)."""
from ..messages import at_lua
from ..nn.module import Module
from ..nn.utils import TorchAssertionError


class JustElement(Module):
    typename = 'nngraph.JustElement'

    def __init__(self):
        self.gradInput = []

    def updateOutput(self, input):
        if len(input) != 1:
            raise at_lua(TorchAssertionError('expecting one element'), 'nngraph/JustElement.lua:10')
        self.output = input[0]
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput:
            self.gradInput[0] = gradOutput
        else:
            self.gradInput.append(gradOutput)
        return self.gradInput
