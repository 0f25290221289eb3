"""nn.SpatialRegionDropout: dpnn's SpatialRegionDropout.lua: in training, one of four edge
regions (torch.random(4): the top, bottom, left or right floor(p * size) rows or columns) of
every map is zeroed and the rest scaled by 1 / (1 - p); evaluation passes the input on;
backward is defined in training only."""
import math

from ..random import random as _torch_random
from ..tensor import TorchError
from .module import Module
from . import utils


class SpatialRegionDropout(Module):
    """nn.SpatialRegionDropout([p=0.2])."""

    typename = "nn.SpatialRegionDropout"

    def __init__(self, p=None):
        super().__init__()
        self.p = 0.2 if p is None else p
        self.train = True
        self.noise = utils.default_tensor_class()()
        if self.p >= 1 or self.p < 0:
            raise TorchError('<SpatialRegionDropout> illegal percentage, must be 0 <= p < 1')

    def setp(self, p):
        self.p = p

    def updateOutput(self, input):
        self.output.resizeAs(input).copy(input)
        if self.train:
            noise = self.noise
            noise.resizeAs(input).fill(1)
            self.regionType = _torch_random(4)
            if input.dim() == 4:
                hdim = 3
            elif input.dim() == 3:
                hdim = 2
            else:
                raise TorchError('Input must be 4D (nbatch, nfeat, h, w) or 3D (nfeat, h, w)')
            height, width = input.size(hdim), input.size(hdim + 1)
            rt = self.regionType
            if rt in (1, 2):
                n = math.floor(height * self.p)
                start = 1 if rt == 1 else height - n + 1
                noise.narrow(hdim, start, n).fill(0)
            else:
                n = math.floor(width * self.p)
                start = 1 if rt == 3 else width - n + 1
                noise.narrow(hdim + 1, start, n).fill(0)
            noise.div(1 - self.p)
            self.output.cmul(noise)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not self.train:
            raise TorchError('Backpropagation is only defined for training.')
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        self.gradInput.cmul(self.noise)
        return self.gradInput

    def __tostring__(self):
        return '%s p: %f' % (self.typename, self.p)
