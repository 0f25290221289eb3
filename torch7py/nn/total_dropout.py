"""nn.TotalDropout: dpnn's TotalDropout.lua: in training the whole input is zeroed with
probability p (one torch.bernoulli(1 - p) draw per forward, not rescaled); evaluation passes
it unchanged; backward is defined in training only."""
from ..random import bernoulli as _bernoulli
from .module import Module
from ..tensor import TorchError


class TotalDropout(Module):
    """nn.TotalDropout([p=0.5])."""

    typename = "nn.TotalDropout"

    def __init__(self, p=None):
        self.p = 0.5 if p is None else p
        self.train = True
        if self.p >= 1 or self.p < 0:
            raise TorchError('<TotalDropout> illegal percentage, must be 0 <= p < 1')
        super().__init__()

    def updateOutput(self, input):
        self.output.resizeAs(input).copy(input)
        if self.train:
            self.noise = _bernoulli(1 - self.p)
            self.output.mul(self.noise)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.train:
            self.gradInput.resizeAs(gradOutput).copy(gradOutput)
            self.gradInput.mul(self.noise)
        else:
            raise TorchError('backprop only defined while training')
        return self.gradInput

    def __tostring__(self):
        return '%s(%f)' % (self.typename, self.p)
