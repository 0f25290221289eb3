"""nn.SpatialLogSoftMax: port of torch/nn SpatialLogSoftMax.lua (LogSoftMax over the planes of a
3D or 4D input, at every location)."""
from ._kernels import check_dims
from .log_soft_max import LogSoftMax


class SpatialLogSoftMax(LogSoftMax):

    def updateOutput(self, input):
        check_dims(input, (3, 4))
        return super().updateOutput(input)
