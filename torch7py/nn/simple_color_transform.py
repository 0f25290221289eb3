"""nn.SimpleColorTransform: dpnn's SimpleColorTransform.lua, data augmentation: in training
each channel of each image gets one uniform draw in [-range[c], range[c]] added to all its
pixels (a batch: noise[{{}, {c}}]:uniform per channel; one image: torch.uniform per
channel); evaluation passes the input on; backward is defined in training only."""
from ..random import uniform as _torch_uniform
from ..tensor import TorchError
from .module import Module
from .reinforce import _assert


class SimpleColorTransform(Module):
    """nn.SimpleColorTransform(inputChannels, range) (range: a tensor, one value a
    channel)."""

    typename = "nn.SimpleColorTransform"

    def __init__(self, inputChannels=None, range=None):
        super().__init__()
        self.train = True
        self.inputChannels = inputChannels
        _assert(inputChannels == range.nElement(),
                "Number of input channels and number of range values don't match.")
        self.range = range

    def updateOutput(self, input):
        out = self.output
        out.resizeAs(input).copy(input)
        if self.train:
            d = self.__dict__
            for name in ("noise", "_tempNoise", "_tempNoiseExpanded", "_tempNoiseSamples"):
                if d.get(name) is None:
                    d[name] = out.new()
            noise = d["noise"]
            if out.nDimension() == 4:
                b, c, h, w = out.size(1), out.size(2), out.size(3), out.size(4)
                _assert(c == self.inputChannels)
                noise.resize(b, c)
                for i in range(1, c + 1):
                    noise.narrow(2, i, 1).uniform(-self.range[i], self.range[i])
                d["_tempNoise"] = noise.view(b, self.inputChannels, 1, 1)
                d["_tempNoiseExpanded"].expand(d["_tempNoise"], b, c, h, w)
            elif out.nDimension() == 3:
                c, h, w = out.size(1), out.size(2), out.size(3)
                _assert(c == self.inputChannels)
                noise.resize(c)
                for i in range(1, c + 1):
                    noise[i] = _torch_uniform(-self.range[i], self.range[i])
                d["_tempNoise"] = noise.view(self.inputChannels, 1, 1)
                d["_tempNoiseExpanded"].expand(d["_tempNoise"], c, h, w)
            else:
                raise TorchError("Invalid input dimensionality.")
            d["_tempNoiseSamples"].resizeAs(d["_tempNoiseExpanded"]).copy(
                d["_tempNoiseExpanded"])
            out.add(d["_tempNoiseSamples"])
        return out

    def updateGradInput(self, input, gradOutput):
        if not self.train:
            raise TorchError('backprop only defined while training')
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        for name in ("noise", "_tempNoise", "_tempNoiseExpanded", "_tempNoiseSamples"):
            self.__dict__.pop(name, None)
        super().type(type, tensorCache)
        return None  # (dpnn's type returns nothing)

    def __tostring__(self):
        return 'SimpleColorTransform'
