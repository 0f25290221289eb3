"""nn.SpatialLogSoftMax: port of torch/nn SpatialLogSoftMax.lua (LogSoftMax over the planes of a
3D or 4D input, at every location)."""
from ._kernels import check_dims
from .log_soft_max import LogSoftMax
from .module import Module


class SpatialLogSoftMax(LogSoftMax):
    _torch_parent = Module  # its .lua declares parent nn.Module; only the code is shared

    def updateOutput(self, input):
        check_dims(input, (3, 4))
        return super().updateOutput(input)
