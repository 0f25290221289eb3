"""nn.WhiteNoise: port of torch/nn WhiteNoise.lua (adds N(mean, std) noise in training)."""
from ..messages import at_lua
from ..tensor import TorchError
from ._kernels import arr, new_tensor
from .module import Module


class WhiteNoise(Module):

    def __init__(self, mean=0, std=0.1):
        super().__init__()
        self.mean = 0 if mean is None else mean
        self.std = 0.1 if std is None else std
        self.noise = new_tensor()

    def updateOutput(self, input):
        self.output.resizeAs(input).copy(input)
        if self.__dict__.get('train') is not False:
            self.noise.resizeAs(input)
            self.noise.normal(self.mean, self.std)
            y = arr(self.output)
            y += arr(self.noise)
        elif self.mean != 0:
            y = arr(self.output)
            y += self.mean
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get('train') is False:
            raise at_lua(TorchError('backprop only defined while training'), 'nn/WhiteNoise.lua:29')
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput

    def clearState(self):
        # WhiteNoise.lua empties its noise only: output and gradInput stay, nothing returned
        self.noise.set()

    def __tostring__(self):
        return '%s mean: %f, std: %f' % (self.typename, self.mean, self.std)
