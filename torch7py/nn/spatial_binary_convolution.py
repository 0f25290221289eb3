"""nn.SpatialBinaryConvolution: dpnn's SpatialBinaryConvolution.lua, XNOR-Net's binary-weight
convolution (Rastegari et al. 2016): a SpatialConvolution without bias whose forward runs on
sign(weight) (>= 0 gives 1) and scales each output plane by the mean |weight| of its filter;
the gradInput is scaled by each input plane's mean |weight|; accGradParameters restores the
real-valued weights (so does forward in evaluation)."""
from .. import tensor as _tensor
from .spatial_convolution import SpatialConvolution


class SpatialBinaryConvolution(SpatialConvolution):
    """nn.SpatialBinaryConvolution(nInputPlane, nOutputPlane, kW, kH, [dW], [dH], [padW],
    [padH])."""

    typename = "nn.SpatialBinaryConvolution"

    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=None, dH=None, padW=None,
                 padH=None):
        super().__init__(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
        SpatialConvolution.noBias(self)
        self.iwh = self.nInputPlane * self.kW * self.kH
        self.owh = self.nOutputPlane * self.kW * self.kH
        self.train = True

    def training(self):
        self.train = True

    def evaluate(self):
        self.train = False

    def _buf(self, name, like):
        d = self.__dict__
        if d.get(name) is None:
            d[name] = like.new()
        return d[name]

    def binarizeWeight(self):
        tw = self._buf("tempWeight", self.weight)
        gia = self._buf("gradInputAlphas", self.weight)
        gia.resize(self.nInputPlane)
        temp = self.weight.transpose(1, 2)
        tw.resizeAs(temp).copy(temp)
        gia.norm(tw.view(self.nInputPlane, -1), 1, 2)
        gia.div(self.owh)
        tw.resizeAs(self.weight).copy(self.weight)
        alphas = self._buf("alphas", self.weight)
        alphas.resize(self.nOutputPlane)
        alphas.norm(self.weight.view(self.nOutputPlane, -1), 1, 2)
        alphas.div(self.iwh)
        if self.__dict__.get("wmask") is None:
            self.wmask = _tensor.ByteTensor()
        # (the weight's class's ge/lt with a ByteTensor result, as dpnn's self.weight.ge)
        T = type(self.weight)
        T.ge(self.wmask, self.weight, 0)
        self.weight.maskedFill(self.wmask, 1)
        T.lt(self.wmask, self.weight, 0)
        self.weight.maskedFill(self.wmask, -1)

    def _scale(self, t, by, n, name):
        """t .* by broadcast over the planes (dimension 2 of a batch, 1 of one sample)."""
        samples = self._buf(name, t)
        if t.nDimension() == 4:
            v = by.view(1, n, 1, 1)
            e = v.expand(t.size(1), n, t.size(3), t.size(4))
        else:
            v = by.view(n, 1, 1)
            e = v.expand(n, t.size(2), t.size(3))
        samples.resizeAs(e).copy(e)
        t.cmul(samples)

    def updateOutput(self, input):
        self.binarizeWeight()
        self.output = super().updateOutput(input)
        self._scale(self.output, self.alphas, self.nOutputPlane, "_tempAlphasSamples")
        if not self.train:
            self.weight.copy(self.tempWeight)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = super().updateGradInput(input, gradOutput)
        self._scale(self.gradInput, self.gradInputAlphas, self.nInputPlane,
                    "_tempGradAlphasSamples")
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        super().accGradParameters(input, gradOutput, scale)
        self.weight.copy(self.tempWeight)  # the real-valued weights for the update

    def type(self, type=None, tensorCache=None):
        for name in ("tempWeight", "alphas", "gradInputAlphas", "wmask", "_tempAlphas",
                     "_tempAlphasExpanded", "_tempAlphasSamples", "_tempGradAlphas",
                     "_tempGradAlphasExpanded", "_tempGradAlphasSamples"):
            self.__dict__.pop(name, None)
        super().type(type, tensorCache)
        return None  # (dpnn's type returns nothing)

    def __tostring__(self):
        return "Binary Convolution: " + super().__tostring__()
