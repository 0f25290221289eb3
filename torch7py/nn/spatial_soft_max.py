"""nn.SpatialSoftMax: port of torch/nn SpatialSoftMax.lua (SoftMax over the planes of a 3D or 4D
input, at every location)."""
from ._kernels import check_dims
from .soft_max import SoftMax


class SpatialSoftMax(SoftMax):

    def updateOutput(self, input):
        check_dims(input, (3, 4))
        return super().updateOutput(input)
