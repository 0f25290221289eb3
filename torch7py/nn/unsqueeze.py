"""nn.Unsqueeze: port of torch/nn Unsqueeze.lua (a view with a size-1 dim inserted at pos)."""
from ..messages import at_lua
from ..tensor import TorchError
from . import utils
from .module import Module



def _assert_tensor(t):
    """Unsqueeze.lua's _assertTensor."""
    if not utils.is_tensor(t):
        raise TorchError('This module only works on tensor')

class Unsqueeze(Module):

    def __init__(self, pos, numInputDims=None):
        super().__init__()
        self.pos = pos
        if pos is None:
            raise at_lua(TorchError('the position to insert singleton dim not specified'),
                         'nn/Unsqueeze.lua:9')
        self.setNumInputDims(numInputDims)

    def setNumInputDims(self, numInputDims):
        self.numInputDims = numInputDims
        return self

    def _getActualPosition(self, input):
        # nn 8726825: numInputDims defaults to the first input's dim and is then kept, so
        # a later input with more dimensions counts the extra leading ones as batch dims
        inputDim = input.dim()
        if self.__dict__.get('numInputDims') is None:
            self.numInputDims = inputDim
        offsetDim = inputDim - self.numInputDims
        if offsetDim < 0:
            raise utils.TorchAssertionError(
                'input feature map dim (numInputDims) must be <= input:dim()')
        actualPos = self.pos + offsetDim
        if not 1 <= actualPos <= inputDim + 1:
            raise utils.TorchAssertionError(
                'Invalid position: %d. input:dim() is %d, input feature map dim (numInputDims) '
                'is %d.' % (self.pos, inputDim, self.numInputDims))
        return actualPos

    def updateOutput(self, input):
        _assert_tensor(input)
        pos = self._getActualPosition(input)
        utils.addSingletonDimension(self.output, input, pos)
        return self.output

    def updateGradInput(self, input, gradOutput):
        _assert_tensor(input)
        _assert_tensor(gradOutput)
        if input.nElement() != gradOutput.nElement():
            raise TorchError('assertion failed!')  # Lua's assert without a message
        # Unsqueeze.lua: self.gradInput:view(gradOutput, input:size())
        self.gradInput.view(gradOutput, input.size())
        return self.gradInput

    def __tostring__(self):
        return '%s(dim %d)' % (self.typename, self.pos)
