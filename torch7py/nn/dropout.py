"""nn.Dropout: port of torch/nn Dropout.lua (v2 scales in training, v1 at evaluation; in place)."""
import numpy as np

from ..messages import at_lua
from ..tensor import TorchError
from . import utils
from ._kernels import arr, new_tensor
from .module import Module


class Dropout(Module):

    def __init__(self, p=0.5, v1=False, inplace=None, stochasticInference=False):
        super().__init__()
        self.p = 0.5 if p is None else p
        self.train = True
        self.inplace = inplace  # (nil when not given: no field, as in Dropout.lua)
        self.stochastic_inference = bool(stochasticInference)
        self.v2 = not v1
        if self.p >= 1 or self.p < 0:
            raise at_lua(TorchError('<Dropout> illegal percentage, must be 0 <= p < 1'),
                         'nn/Dropout.lua:12')
        self.noise = new_tensor()

    def updateOutput(self, input):
        d = self.__dict__
        if d.get('inplace'):
            self.output.set(input)
        else:
            self.output.resizeAs(input).copy(input)
        p = self.p
        if p > 0 and d.get('train') and (d.get('lazy') or d.get('mono')):
            self._rnn_noise(input)
        elif p > 0:
            y = arr(self.output)
            if d.get('train') or d.get('stochastic_inference'):
                self.noise.resizeAs(input)
                self.noise.bernoulli(1 - p)
                noise = arr(self.noise)
                if d.get('v2'):
                    noise /= (1 - p)
                np.multiply(y, noise.reshape(y.shape), out=y, casting='unsafe')
            elif not d.get('v2'):
                y *= (1 - p)
        return self.output

    def _rnn_noise(self, input):
        """Element-Research rnn's Dropout.lua (it replaces nn's; a file saved with rnn holds
        its fields `lazy`, `mono`, `flag`): a lazy dropout draws its noise again only after a
        backward (`flag`), a mono one a single row for the whole batch, expanded."""
        d = self.__dict__
        if not d.get('lazy') or d.get('flag', True):
            size = input.size()
            if d.get('mono'):
                size[1] = 1
            self.noise.resize(size)
            self.noise.bernoulli(1 - self.p)
            if d.get('v2'):
                self.noise.div(1 - self.p)
            self.flag = False
        if d.get('mono') and self.noise.size(1) != input.size(1):
            self.noise = self.noise.narrow(1, 1, 1).expandAs(input)
        self.output.cmul(self.noise)

    def updateGradInput(self, input, gradOutput):
        d = self.__dict__
        if d.get('lazy'):
            self.flag = True
        if d.get('inplace'):
            self.gradInput.set(gradOutput)
        else:
            self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        if d.get('train'):
            if self.p > 0:
                # gradInput:cmul(noise): TH's size check when gradOutput does not match
                self.gradInput.cmul(self.noise)
        elif not d.get('v2') and self.p > 0:
            g = arr(self.gradInput)
            g *= (1 - self.p)
        return self.gradInput

    def setp(self, p):
        self.p = p

    def __tostring__(self):
        return '%s(%f)' % (self.typename, self.p)

    def clearState(self):
        utils.clear(self, 'noise')
        if 'lazy' in self.__dict__:  # rnn's Dropout.lua
            self.flag = True
        return super().clearState()
