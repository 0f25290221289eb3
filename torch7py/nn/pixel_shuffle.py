"""nn.PixelShuffle: port of torch/nn PixelShuffle.lua (C*r*r x H x W planes rearranged into
C x H*r x W*r)."""
import torch7py

from ..storage import LongStorage
from ._kernels import arr, out_like
from . import utils
from .module import Module


class PixelShuffle(Module):

    def __init__(self, upscaleFactor):
        super().__init__()
        self.upscaleFactor = upscaleFactor
        # (PixelShuffle.lua reads the field: a nil one fails as field 'upscaleFactor')
        self.upscaleFactorSquared = self.upscaleFactor * self.upscaleFactor

    def _sizes(self, input):
        # PixelShuffle.lua's reads, so its errors are Torch7's: input:size(k) of a missing
        # dimension; the planes as its LongStorage holds C / r^2 (truncated)
        start = 2 if input.nDimension() == 4 else 1
        N = input.size(1) if start == 2 else 1
        C = input.size(start)
        H = input.size(start + 1)
        W = input.size(start + 2)
        return N, int(C / self.upscaleFactorSquared), H, W, self.upscaleFactor

    def _geo(self, input):
        # the reads, then the forward's view, whose plane count may not fit
        N, c, H, W, r = self._sizes(input)
        if c * self.upscaleFactorSquared != input.size(2 if input.nDimension() == 4 else 1) \
                or input.nDimension() not in (3, 4) or not input.isContiguous():
            # (torch.view asserts a contiguous tensor: "expecting a contiguous tensor")
            input.view(N, c, r, r, H, W)
        return N, c, H, W, r

    # PixelShuffle.lua shuffles into a buffer (_shuffleOut, _shuffleIn) and makes output and
    # gradInput new views of it at each call: a second forward gives a new output object on
    # the same storage
    def _shape(self, name, sizes):
        # the LongStorage fields PixelShuffle.lua fills with the shapes it views through
        st = self.__dict__.get(name)
        st.resize(len(sizes))
        for i, v in enumerate(sizes):
            st[i + 1] = v

    def updateOutput(self, input):
        d = self.__dict__
        if d.get('_intermediateShape') is None:
            self._intermediateShape = LongStorage(6)
        self._outShape = LongStorage()  # (PixelShuffle.lua reads self.outShape, never set)
        utils.lua_buffers(self, input, '_shuffleOut')
        N, c, H, W, r = self._geo(input)
        v = arr(input).reshape(N, c, r, r, H, W).transpose(0, 1, 4, 2, 5, 3)
        shape = (c, H * r, W * r)
        self._shape('_intermediateShape', (N, c, r, r, H, W))
        self._shape('_outShape', ((N,) + shape) if input.dim() == 4 else shape)
        out_like(self._shuffleOut, (N, c, H, r, W, r))[...] = v
        self.output = self._shuffleOut.view(*(((N,) + shape) if input.dim() == 4 else shape))
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get('_intermediateShape') is None:
            self._intermediateShape = LongStorage(6)
        utils.lua_buffers(self, input, '_shuffleIn')
        N, c, H, W, r = self._sizes(input)
        self._shape('_intermediateShape', (N, c, H, r, W, r))
        if type(gradOutput) is not type(input) or not gradOutput.isContiguous() or \
                gradOutput.nElement() != N * c * H * r * W * r:
            # PixelShuffle.lua's torch.view(gradOutput, self._intermediateShape): Torch7's
            # texts for what does not fit
            torch7py.view(gradOutput, self._intermediateShape)
        go = arr(gradOutput).reshape(N, c, H, r, W, r).transpose(0, 1, 3, 5, 2, 4)
        out_like(self._shuffleIn, (N, c, r, r, H, W))[...] = go
        self.gradInput = self._shuffleIn.view(*input._size)
        return self.gradInput

    def clearState(self):
        utils.clear(self, ['_intermediateShape', '_outShape', '_shuffleIn', '_shuffleOut'])
        return super().clearState()
