"""nn.SpatialLogSoftMax: port of torch/nn SpatialLogSoftMax.lua (LogSoftMax over the planes of a
3D or 4D input, at every location). Its Lua calls THNN's LogSoftMax, as LogSoftMax.lua does:
the same 1D-4D inputs, the same checks."""
from .log_soft_max import LogSoftMax
from .module import Module


class SpatialLogSoftMax(LogSoftMax):
    _torch_parent = Module  # its .lua declares parent nn.Module; only the code is shared
