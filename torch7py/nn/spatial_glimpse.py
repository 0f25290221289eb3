"""nn.SpatialGlimpse: dpnn's glimpse sensor (SpatialGlimpse.lua), for recurrent models of
visual attention.

Input {image, location}: images (batch x channels x height x width, or one image) and
locations (batch x 2, (y, x) in [-1, 1]: (-1, -1) the top-left corner). Output: per example,
`depth` patches centred on the location, the first height x width, each next one `scale` times
larger and averaged down to height x width (SpatialAveragePooling with a kernel of the ratio),
joined along the channels: batch x (depth * channels) x height x width. The image is padded
with zeros so that a patch may reach past its border. Backward: the gradient of each patch
goes back to the pixels it read; the location gets a zero gradient.

A scale other than 2 re-samples each larger patch down with nnx's SpatialReSampling (bilinear),
as dpnn builds it.
"""
import math

from .. import messages
from .module import Module
from .reinforce import _assert, from_batch, to_batch
from .spatial_average_pooling import SpatialAveragePooling
from .spatial_re_sampling import SpatialReSampling
from . import utils


class SpatialGlimpse(Module):
    """nn.SpatialGlimpse(size, [depth=3], [scale=2]); size is a width (a square) or
    {height, width}."""

    typename = "nn.SpatialGlimpse"

    def __init__(self, size=None, depth=None, scale=None):
        if messages.torch_type(size) == "table":
            self.height, self.width = size[0], size[1]
        else:
            self.width = size
            self.height = size
        self.depth = 3 if depth is None else depth
        self.scale = 2 if scale is None else scale
        for v in (self.width, self.height, self.depth, self.scale):
            _assert(messages.torch_type(v) == "number")
        super().__init__()
        cls = utils.default_tensor_class()
        self.gradInput = [cls(), cls()]
        if self.scale == 2:
            self.module = SpatialAveragePooling(2, 2, 2, 2)
        else:
            self.module = SpatialReSampling({"oheight": self.height, "owidth": self.width})
        self.modules = [self.module]

    def toBatch(self, tensor, nDim, batchDim=None):
        return to_batch(self, tensor, nDim, 1 if batchDim is None else batchDim)

    def fromBatch(self, tensor, batchDim=None):
        return from_batch(self, tensor, 1 if batchDim is None else batchDim)

    def _pool(self, gw, gh):
        """The pooling of a patch gh x gw down to height x width (kernel = stride = ratio);
        nnx's re-sampling (a scale other than 2) as it is."""
        if not isinstance(self.module, SpatialAveragePooling):
            return self.module
        pw = gw / self.width
        _assert(pw % 2 == 0)
        ph = gh / self.height
        _assert(ph % 2 == 0)
        m = self.module
        m.kW, m.kH, m.dW, m.dH = _int(pw), _int(ph), _int(pw), _int(ph)
        return m

    def _window(self, input, y, x, depth, gw, gh):
        """The patch's size at this depth, its padding and its top-left corner in the padded
        image (0-based)."""
        if depth > 1:
            gw = math.floor(gw * self.scale)
            gh = math.floor(gh * self.scale)
        padW = math.floor((gw - 1) / 2)
        padH = math.floor((gh - 1) / 2)
        self._pad.resize(input.size(2), input.size(3) + padH * 2,
                         input.size(4) + padW * 2).zero()
        h, w = self._pad.size(2) - gh, self._pad.size(3) - gw
        py = math.floor(min(h, max(0, y * h)))
        px = math.floor(min(w, max(0, x * w)))
        return gw, gh, padW, padH, py, px

    def updateOutput(self, inputTable):
        _assert(messages.torch_type(inputTable) == "table")
        _assert(len(inputTable) >= 2)
        input, location = inputTable[0], inputTable[1]
        input, location = self.toBatch(input, 3), self.toBatch(location, 1)
        _assert(input.dim() == 4 and location.dim() == 2)
        out = self.output
        out.resize(input.size(1), self.depth, input.size(2), self.height, self.width)
        d = self.__dict__
        if d.get("_crop") is None:
            d["_crop"] = out.new()
        if d.get("_pad") is None:
            d["_pad"] = input.new()
        for s in range(1, out.size(1) + 1):
            outS, inS, yx = out[s], input[s], location[s]
            y, x = (yx.select(1, 1) + 1) / 2, (yx.select(1, 2) + 1) / 2
            gw, gh = math.floor(self.width), math.floor(self.height)
            for depth in range(1, self.depth + 1):
                dst = outS[depth]
                gw, gh, padW, padH, py, px = self._window(input, y, x, depth, gw, gh)
                self._pad.narrow(2, padH + 1, input.size(3)).narrow(
                    3, padW + 1, input.size(4)).copy(inS)
                patch = self._pad.narrow(2, py + 1, gh).narrow(3, px + 1, gw)
                if depth == 1:
                    dst.copy(patch)
                else:
                    self._crop.resize(input.size(2), gh, gw)
                    self._crop.copy(patch)
                    dst.copy(self._pool(gw, gh).updateOutput(self._crop))
        out.resize(input.size(1), self.depth * input.size(2), self.height, self.width)
        self.output = self.fromBatch(out, 1)
        return self.output

    def updateGradInput(self, inputTable, gradOutput):
        input, location = inputTable[0], inputTable[1]
        if len(self.gradInput) != 2:
            self.gradInput = [input.new(), input.new()]
        gradInput, gradLocation = self.gradInput[0], self.gradInput[1]
        input, location = self.toBatch(input, 3), self.toBatch(location, 1)
        gradOutput = self.toBatch(gradOutput, 3)
        gradInput.resizeAs(input).zero()
        gradLocation.resizeAs(location).zero()  # no gradient through the location
        gradOutput = gradOutput.view(input.size(1), self.depth, input.size(2), self.height,
                                     self.width)
        for s in range(1, gradOutput.size(1) + 1):
            goS, giS, yx = gradOutput[s], gradInput[s], location[s]
            y, x = (yx.select(1, 1) + 1) / 2, (yx.select(1, 2) + 1) / 2
            gw, gh = math.floor(self.width), math.floor(self.height)
            for depth in range(1, self.depth + 1):
                src = goS[depth]
                gw, gh, padW, padH, py, px = self._window(input, y, x, depth, gw, gh)
                pad = self._pad.narrow(2, py + 1, gh).narrow(3, px + 1, gw)
                if depth == 1:
                    pad.copy(src)
                else:
                    self._crop.resize(input.size(2), gh, gw)
                    pad.copy(self._pool(gw, gh).updateGradInput(self._crop, src))
                giS.add(self._pad.narrow(2, padH + 1, input.size(3)).narrow(
                    3, padW + 1, input.size(4)))
        self.gradInput[0] = self.fromBatch(gradInput, 1)
        self.gradInput[1] = self.fromBatch(gradLocation, 1)
        return self.gradInput


def _int(v):
    return int(v) if float(v).is_integer() else v
