"""nn.SpatialDropout: port of torch/nn SpatialDropout.lua (whole planes dropped; no rescaling in
training, output scaled by 1 - p in evaluation)."""
from ..messages import at_lua
from ..tensor import TorchError
from . import utils
from ._kernels import arr, new_tensor
from .module import Module


class SpatialDropout(Module):

    _dims = {4: 'batch', 3: 'single'}
    _msg = 'Input must be 4D (nbatch, nfeat, h, w) or 3D (nfeat, h, w)'
    _lua_file = 'nn/SpatialDropout.lua'  # its errors: lines 19 and 37

    def __init__(self, p=0.5, stochasticInference=False):
        super().__init__()
        self.p = 0.5 if p is None else p
        self.train = True
        self.stochastic_inference = stochasticInference or False
        self.noise = new_tensor()

    def _noise_size(self, input):
        nd = input.dim()
        if nd == 4:
            return (input.size(1), input.size(2), 1, 1)
        if nd == 3:
            return (input.size(1), 1, 1)
        raise at_lua(TorchError(self._msg), self._lua_file + ':19')

    def updateOutput(self, input):
        self.output.resizeAs(input).copy(input)
        if self.train or self.stochastic_inference:
            self.noise.resize(*self._noise_size(input))
            self.noise.bernoulli(1 - self.p)
            y = arr(self.output)
            y *= arr(self.noise)
        else:
            y = arr(self.output)
            y *= 1 - self.p
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not self.train:
            raise at_lua(TorchError('backprop only defined while training'),
                         self._lua_file + ':37')
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        # the Lua's gradInput:cmul(noise:expandAs(input)): TH's cmul refuses a gradOutput of
        # another element count, and a same-count one of another shape multiplies in order
        self.gradInput.cmul(self.noise.expandAs(input))
        return self.gradInput

    def setp(self, p):
        self.p = p

    def __tostring__(self):
        return '%s(%f)' % (self.typename, self.p)

    def clearState(self):
        utils.clear(self, 'noise')
        return super().clearState()
