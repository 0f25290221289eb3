"""nn.PCAColorTransform: dpnn's PCAColorTransform.lua, AlexNet's PCA color augmentation: in
training each image gets eigenVectors * (alpha .* eigenValues) added to its channels, alpha
drawn from N(0, std) (one normal() fill of a channels x batch tensor); evaluation passes the
input on; backward is defined in training only."""
from ..tensor import TorchError
from .module import Module
from .reinforce import _assert


class PCAColorTransform(Module):
    """nn.PCAColorTransform(inputChannels, eigenVectors, eigenValues, [std=0.1])."""

    typename = "nn.PCAColorTransform"

    def __init__(self, inputChannels=None, eigenVectors=None, eigenValues=None, std=None):
        super().__init__()
        self.train = True
        self.inputChannels = inputChannels
        _assert(inputChannels == eigenVectors.size(1),
                "Number of input channels do not match number of eigen vectors.")
        _assert(eigenVectors.size(2) == eigenVectors.size(1),
                "Invalid dimensionality: eigen vectors.")
        _assert(inputChannels == eigenValues.nElement(),
                "Number of input channels do not match number of eigen values.")
        self.eigenVectors = eigenVectors
        self.eigenValues = eigenValues
        self.std = 0.1 if std is None else std

    _BUFFERS = ("noise", "alphas", "_tempNoise", "_tempNoiseExpanded", "_tempNoiseSamples",
                "_tempLambda", "_tempLambdaExpanded")

    def updateOutput(self, input):
        out = self.output
        out.resizeAs(input).copy(input)
        if self.train:
            d = self.__dict__
            for name in self._BUFFERS:
                if d.get(name) is None:
                    d[name] = out.new()
            if out.nDimension() == 4:
                b, c, h, w = out.size(1), out.size(2), out.size(3), out.size(4)
            elif out.nDimension() == 3:
                b, c, h, w = 1, out.size(1), out.size(2), out.size(3)
            else:
                raise TorchError("Invalid input dimensionality.")
            _assert(c == self.inputChannels)
            alphas = d["alphas"]
            alphas.resize(c, b)
            alphas.normal(0, self.std)
            d["_tempLambda"] = self.eigenValues.view(self.inputChannels, 1)
            d["_tempLambdaExpanded"] = d["_tempLambda"].expand(c, b)
            alphas.cmul(d["_tempLambdaExpanded"])
            noise = d["noise"]
            noise.resize(b, self.inputChannels).zero()
            noise.t().addmm(self.eigenVectors, alphas)
            if out.nDimension() == 4:
                d["_tempNoise"] = noise.view(b, self.inputChannels, 1, 1)
                d["_tempNoiseExpanded"].expand(d["_tempNoise"], b, c, h, w)
            else:
                d["_tempNoise"] = noise.view(self.inputChannels, 1, 1)
                d["_tempNoiseExpanded"].expand(d["_tempNoise"], c, h, w)
            out.add(d["_tempNoiseExpanded"])
        return out

    def updateGradInput(self, input, gradOutput):
        if not self.train:
            raise TorchError('backprop only defined while training')
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        for name in ("noise", "alphas", "_tempLambda", "_tempLambdaExpanded", "_tempNoise",
                     "_tempNoiseExpanded"):
            self.__dict__.pop(name, None)
        super().type(type, tensorCache)
        return None  # (dpnn's type returns nothing)

    def __tostring__(self):
        return '%s channels: %d, std: %f' % (self.typename, self.inputChannels, self.std)
