"""nn.Unsqueeze: port of torch/nn Unsqueeze.lua (a view with a size-1 dim inserted at pos)."""
from ..tensor import TorchError
from . import utils
from .module import Module


class Unsqueeze(Module):

    def __init__(self, pos, numInputDims=None):
        super().__init__()
        self.pos = pos
        if pos is None:
            raise TorchError('must specify insertion position')
        self.setNumInputDims(numInputDims)

    def setNumInputDims(self, numInputDims):
        self.numInputDims = numInputDims
        return self

    def _getActualPosition(self, input):
        pos = self.pos
        nid = self.__dict__.get('numInputDims')
        if nid and input.dim() == nid + 1:
            pos = pos + 1
        if not 1 <= pos <= input.dim() + 1:
            raise TorchError('Invalid position: %d. input:dim() is %d, input feature dim is %s.'
                             % (pos, input.dim(), nid))
        return pos

    def updateOutput(self, input):
        pos = self._getActualPosition(input)
        v = utils.addSingletonDimension(input, pos)
        self.output.set(v)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if input.nElement() != gradOutput.nElement():
            raise TorchError('input and gradOutput must have the same number of elements')
        self.gradInput.set(gradOutput.view(*input._size))
        return self.gradInput

    def __tostring__(self):
        return '%s(dim %d)' % (self.typename, self.pos)
