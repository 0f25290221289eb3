"""nn.FireModule: dpnn's FireModule.lua, SqueezeNet's fire module (Iandola et al. 2016): a
Decorator of Sequential{SpatialConvolution(nInputPlane, s1x1, 1, 1) (squeeze), activation,
Concat(2){SpatialConvolution(s1x1, e1x1, 1, 1), SpatialConvolution(s1x1, e3x3, 3, 3, 1, 1, 1,
1)} (expand), activation}; the activation is nn's class of that name (default ReLU). dpnn
prints a warning when s1x1 > e1x1 + e3x3, and its type() returns nothing."""
from .. import nn as _nn
from .concat import Concat
from .decorator import Decorator
from .sequential import Sequential
from .spatial_convolution import SpatialConvolution
from . import utils
from ..printing import lua_print  # (th's print when called from Lua, as dpnn/rnn print)


class FireModule(Decorator):
    """nn.FireModule(nInputPlane, s1x1, e1x1, e3x3, [activation='ReLU'])."""

    typename = "nn.FireModule"

    def __init__(self, nInputPlane=None, s1x1=None, e1x1=None, e3x3=None, activation=None):
        self.nInputPlane = nInputPlane
        self.s1x1 = s1x1
        self.e1x1 = e1x1
        self.e3x3 = e3x3
        self.activation = activation or 'ReLU'
        if self.s1x1 > self.e1x1 + self.e3x3:
            lua_print('Warning: <FireModule> s1x1 is recommended to be smaller then e1x1+e3x3')
        act = getattr(_nn, self.activation)
        self.module = Sequential()
        self.squeeze = SpatialConvolution(nInputPlane, s1x1, 1, 1)
        self.expand = Concat(2)
        self.expand.add(SpatialConvolution(s1x1, e1x1, 1, 1))
        self.expand.add(SpatialConvolution(s1x1, e3x3, 3, 3, 1, 1, 1, 1))
        self.module.add(self.squeeze)
        self.module.add(act())
        self.module.add(self.expand)
        self.module.add(act())
        super().__init__(self.module)

    def type(self, type=None, tensorCache=None):
        if type is None:
            raise utils.TorchAssertionError('Module: must provide a type to convert to')
        self.module = utils.recursiveType(self.module, type, tensorCache)
        return None

    def __tostring__(self):
        return ('%s inputPlanes: %d -> Squeeze Planes: %d -> Expand: %d(1x1) + %d(3x3), '
                'activation: %s' % (self.typename, self.nInputPlane, self.s1x1, self.e1x1,
                                    self.e3x3, self.activation))
