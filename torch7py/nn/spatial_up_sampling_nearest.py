"""nn.SpatialUpSamplingNearest: port of torch/nn SpatialUpSamplingNearest.lua and THNN
SpatialUpSamplingNearest.c (each pixel repeated scale x scale times)."""
from ..storage import LongStorage
from ..messages import at_lua
from ..tensor import TorchError
from ._thnn_check import arg_check, check_dim_sizes, thnn_argcheck
from . import _lua
from ._kernels import arr, out_like
from .module import Module
from .up_sampling import nearest_backward


class SpatialUpSamplingNearest(Module):

    def __init__(self, scale):
        super().__init__()
        self.scale_factor = scale
        if self.scale_factor < 1:
            raise at_lua(TorchError('scale_factor must be greater than 1'),
                         'nn/SpatialUpSamplingNearest.lua:20')
        if int(self.scale_factor) != self.scale_factor:
            raise at_lua(TorchError('scale_factor must be integer'),
                         'nn/SpatialUpSamplingNearest.lua:23')
        self.inputSize = LongStorage(4)
        self.outputSize = LongStorage(4)

    def _check(self, input, gradOutput=None):
        """SpatialUpSamplingNearest.lua's dimension check (forward), then THNN's shapeCheck."""
        if gradOutput is None and input.dim() not in (3, 4):
            raise at_lua(TorchError('SpatialUpSamplingNearest only support 3D or 4D tensors'),
                         'nn/SpatialUpSamplingNearest.lua:31')
        s = self.scale_factor
        arg_check(s > 1, 4, 'scale_factor must be greater than 1, but got: %d', s)
        thnn_argcheck(input.dim() in (3, 4), 2, input, '3D or 4D input tensor expected but got: %s')
        if gradOutput is not None:
            sz = input._size
            check_dim_sizes(gradOutput, 'gradOutput', len(sz), 0,
                            sz[:-2] + (sz[-2] * int(s), sz[-1] * int(s)))

    def updateOutput(self, input):
        if input.dim() not in (3, 4):
            raise at_lua(TorchError('SpatialUpSamplingNearest only support 3D or 4D tensors'),
                         'nn/SpatialUpSamplingNearest.lua:31')
        # `input.THNN.SpatialUpSamplingNearest_updateOutput(input:cdata(),
        # self.output:cdata(), self.scale_factor)`: the FFI's conversions first
        _lua.thnn_call(input, ("field 'output'", self.output),
                       nums=((self.scale_factor, 'int'),))
        self._check(input)
        if type(self.output) is not type(input):
            # its Lua's input.THNN...(input:cdata(), self.output:cdata(), self.scale_factor):
            # THNN's FFI refuses an output of another type
            _lua.thnn_call(input, ("field 'output'", self.output),
                           nums=((self.scale_factor, 'int'),))
        s = int(self.scale_factor)
        x = arr(input)
        H, W = x.shape[-2:]
        y = out_like(self.output, x.shape[:-2] + (H * s, W * s))
        y.reshape(x.shape[:-2] + (H, s, W, s))[...] = x[..., :, None, :, None]
        return self.output

    def updateGradInput(self, input, gradOutput):
        # its Lua: self.gradInput:resizeAs(input), then input.THNN...(input:cdata(),
        # gradOutput:cdata(), self.gradInput:cdata(), self.scale_factor)
        _lua.resize_as_first(self.gradInput, input)
        self.gradInput.resizeAs(input)
        if type(gradOutput) is not type(input):
            _lua.thnn_call(input, ('gradOutput', gradOutput), ("field 'gradInput'",
                                                              self.gradInput),
                           nums=((self.scale_factor, 'int'),))
        self._check(input, gradOutput)
        s = int(self.scale_factor)
        x = arr(input)
        H, W = x.shape[-2:]
        gi = out_like(self.gradInput, x.shape)
        gi[...] = nearest_backward(arr(gradOutput), s, 2)
        return self.gradInput
