"""nn.SpatialSoftMax: port of torch/nn SpatialSoftMax.lua. In nn 8726825 it calls THNN's
SoftMax as nn.SoftMax does (1D to 4D input; for 3D and 4D, over the planes at every
location): the class only has its own name."""
from .module import Module
from .soft_max import SoftMax


class SpatialSoftMax(SoftMax):
    _torch_parent = Module  # its .lua declares parent nn.Module; only the code is shared
