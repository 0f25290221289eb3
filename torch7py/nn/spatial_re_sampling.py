"""nn.SpatialReSampling: nnx's bilinear re-sampling of each plane (SpatialReSampling.lua and
generic/SpatialReSampling.c), which dpnn's SpatialGlimpse uses for a scale other than 2.

Input: planes x height x width, or batch x planes x height x width. Output: the same planes at
oheight x owidth (given, or rheight/rwidth times the input's). Output pixel (y, x) (0-based)
reads the input at iy = hratio*y, ix = wratio*x, where wratio = (iwidth-1)/(owidth-1) (C float
arithmetic), from its four neighbours (the right and lower ones clamped to the border)
weighted by the opposite rectangles' areas. Backward sends each output gradient back to the
same four pixels with the same weights, accumulated pixel by pixel in the C loop's order."""
import numpy as np

from .. import messages
from .module import Module
from ..tensor import TorchError

_F = np.float32


def _axis(isize, osize):
    """C's float mapping of one axis: the four neighbour indices and the two offsets."""
    ratio = _F(isize - 1) / _F(osize - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        i = (ratio * np.arange(osize, dtype=_F)).astype(_F)
    lo = np.floor(i).astype(_F)
    hi = lo + _F(1)
    return i, lo, hi


class SpatialReSampling(Module):
    """nn.SpatialReSampling{owidth=, oheight=} or {rwidth=, rheight=} (xlua.unpack_class: a
    table of named arguments, or rwidth, rheight, owidth, oheight in that order)."""

    typename = "nn.SpatialReSampling"

    def __init__(self, *args):
        super().__init__()
        names = ("rwidth", "rheight", "owidth", "oheight")
        if len(args) == 1 and messages.torch_type(args[0]) == "table":
            t = args[0]
            get = t.get if hasattr(t, "get") else (lambda k: getattr(t, k, None))
            values = [get(n) for n in names]
        else:
            values = list(args) + [None] * (4 - len(args))
        for n, v in zip(names, values):
            if v is not None:
                if messages.torch_type(v) != "number":
                    raise TorchError("nn.SpatialReSampling: argument %s should be a number" % n)
                self.__dict__[n] = v

    def _out_size(self, input):
        d = self.__dict__
        h, w = (2, 3) if input.dim() == 3 else (3, 4)
        if d.get("oheight") is None:
            d["oheight"] = d.get("rheight") * input.size(h)
        if d.get("owidth") is None:
            d["owidth"] = d.get("rwidth") * input.size(w)
        return int(d["oheight"]), int(d["owidth"])

    @staticmethod
    def _planes(t):
        a = t.numpy()
        return a.reshape((-1,) + a.shape[-2:]) if a.ndim == 4 else a

    def updateOutput(self, input):
        if not (input.dim() == 3 or input.dim() == 4):
            raise TorchError("input to SpatialReSampling must be 3D or 4D, received: [%s]"
                             % ", ".join(str(s) for s in input.size().totable()))
        oh, ow = self._out_size(input)
        if input.dim() == 3:
            self.output.resize(input.size(1), oh, ow)
        else:
            self.output.resize(input.size(1), input.size(2), oh, ow)
        ih, iw = input.size(input.dim() - 1), input.size(input.dim())
        src = self._planes(input)
        iy, ylo, yhi = _axis(ih, oh)
        ix, xlo, xhi = _axis(iw, ow)
        Y, X = iy[:, None], ix[None, :]
        Ylo, Yhi, Xlo, Xhi = ylo[:, None], yhi[:, None], xlo[None, :], xhi[None, :]
        se = (X - Xlo) * (Y - Ylo)
        sw = (Xhi - X) * (Y - Ylo)
        ne = (X - Xlo) * (Yhi - Y)
        nw = (Xhi - X) * (Yhi - Y)
        y0, x0 = ylo.astype(np.int64), xlo.astype(np.int64)
        y1 = np.minimum(yhi, ih - 1).astype(np.int64)
        x1 = np.minimum(xhi, iw - 1).astype(np.int64)
        ct = np.result_type(src.dtype, _F)  # (a double tensor's sum in double, a float's in float)
        s = src.astype(ct, copy=False)
        total = (s[:, y0[:, None], x0[None, :]] * nw.astype(ct)
                 + s[:, y0[:, None], x1[None, :]] * ne.astype(ct)
                 + s[:, y1[:, None], x0[None, :]] * sw.astype(ct)
                 + s[:, y1[:, None], x1[None, :]] * se.astype(ct))
        self._planes(self.output)[...] = total
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input).zero()
        ih, iw = input.size(input.dim() - 1), input.size(input.dim())
        oh, ow = gradOutput.size(gradOutput.dim() - 1), gradOutput.size(gradOutput.dim())
        iy, ylo, yhi = _axis(ih, oh)
        ix, xlo, xhi = _axis(iw, ow)
        Y, X = iy[:, None], ix[None, :]
        Ylo, Yhi, Xlo, Xhi = ylo[:, None], yhi[:, None], xlo[None, :], xhi[None, :]
        w = np.stack([(Xhi - X) * (Yhi - Y), (X - Xlo) * (Yhi - Y),
                      (Xhi - X) * (Y - Ylo), (X - Xlo) * (Y - Ylo)], axis=-1)  # nw ne sw se
        y0 = np.broadcast_to(ylo.astype(np.int64)[:, None], (oh, ow))
        x0 = np.broadcast_to(xlo.astype(np.int64)[None, :], (oh, ow))
        y1 = np.broadcast_to(np.minimum(yhi, ih - 1).astype(np.int64)[:, None], (oh, ow))
        x1 = np.broadcast_to(np.minimum(xhi, iw - 1).astype(np.int64)[None, :], (oh, ow))
        # the four pixels of each output pixel, in the C loop's order (y, then x, then nw ne
        # sw se): each addition rounds to the tensor's type before the next
        flat = np.stack([y0 * iw + x0, y0 * iw + x1, y1 * iw + x0, y1 * iw + x1],
                        axis=-1).reshape(-1)
        go = self._planes(gradOutput).astype(np.float64).reshape(-1, oh * ow)
        gi = self._planes(self.gradInput).reshape(-1, ih * iw)
        wv = w.astype(np.float64).reshape(-1, 4)
        for p in range(gi.shape[0]):
            vals = (wv * go[p][:, None]).reshape(-1)
            np.add.at(gi[p], flat, vals)
        return self.gradInput
