"""nn.SpatialLPPooling: port of torch/nn SpatialLPPooling.lua (a Sequential computing the p-norm of
each window: Power/Square, SpatialAveragePooling, MulConstant(kW*kH), Power(1/p)/Sqrt)."""
from .mul_constant import MulConstant
from .power import Power
from .sequential import Sequential
from .spatial_average_pooling import SpatialAveragePooling
from .sqrt import Sqrt
from .square import Square


class SpatialLPPooling(Sequential):

    def __init__(self, nInputPlane, pnorm, kW, kH, dW=None, dH=None):
        super().__init__()
        dW = kW if dW is None else dW
        dH = kH if dH is None else dH
        self.kW, self.kH, self.dW, self.dH = kW, kH, dW, dH
        self.add(Square() if pnorm == 2 else Power(pnorm))
        self.add(SpatialAveragePooling(kW, kH, dW, dH))
        self.add(MulConstant(kW * kH))
        self.add(Sqrt() if pnorm == 2 else Power(1.0 / pnorm))

    # the pooling has no parameters to learn (Torch7 overrides Sequential's parameter methods)
    def reset(self, *args):
        return  # (its Lua returns nothing)
    def accGradParameters(self, *args):
        pass

    def accUpdateGradParameters(self, *args):
        pass

    def zeroGradParameters(self):
        pass

    def updateParameters(self, *args):
        pass
