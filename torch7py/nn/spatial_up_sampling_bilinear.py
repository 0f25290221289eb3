"""nn.SpatialUpSamplingBilinear: port of torch/nn SpatialUpSamplingBilinear.lua and THNN
SpatialUpSamplingBilinear.c (bilinear interpolation with aligned corners)."""
import numpy as np

from ..storage import LongStorage
from ..tensor import TorchError
from ._kernels import arr, out_like, sizes_str
from .module import Module


def interp_matrix(n_in, n_out, dtype=np.float64):
    """(n_out, n_in) linear interpolation weights, THNN's aligned-corners rule."""
    r = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    pos = r * np.arange(n_out)
    i0 = pos.astype(np.int64)
    step = (i0 < n_in - 1).astype(np.int64)
    lam = pos - i0
    m = np.zeros((n_out, n_in), dtype=dtype)
    rows = np.arange(n_out)
    np.add.at(m, (rows, i0), 1 - lam)
    np.add.at(m, (rows, i0 + step), lam)
    return m


class SpatialUpSamplingBilinear(Module):

    def __init__(self, params):
        super().__init__()
        if isinstance(params, (int, float)):
            if params < 1 or int(params) != params:
                raise TorchError('scale_factor must be a positive integer')
            self.scale_factor = params
        elif isinstance(params, (list, tuple, dict)):
            if isinstance(params, dict):
                self.oheight, self.owidth = params['oheight'], params['owidth']
            else:
                self.oheight, self.owidth = params[0], params[1]
        else:
            raise TorchError('Parameters should be number or table')
        self.inputSize = LongStorage(4)
        self.outputSize = LongStorage(4)

    def _sizes(self, input):
        if input.dim() not in (3, 4):
            raise TorchError('3D or 4D input expected, got %s' % sizes_str(input._size))
        H, W = input._size[-2:]
        s = self.__dict__.get('scale_factor')
        if s is not None:
            return H, W, int(H * s), int(W * s)
        return H, W, self.oheight, self.owidth

    def updateOutput(self, input):
        H, W, oH, oW = self._sizes(input)
        mh, mw = interp_matrix(H, oH), interp_matrix(W, oW)
        x = arr(input)
        out_like(self.output, x.shape[:-2] + (oH, oW))[...] = mh @ x @ mw.T
        return self.output

    def updateGradInput(self, input, gradOutput):
        H, W, oH, oW = self._sizes(input)
        mh, mw = interp_matrix(H, oH), interp_matrix(W, oW)
        gi = out_like(self.gradInput, input._size)
        gi[...] = mh.T @ arr(gradOutput) @ mw
        return self.gradInput

    def __tostring__(self):
        s = self.__dict__.get('scale_factor')
        if s is not None:
            return '%s(%d)' % (self.typename, s)
        return '%s(%d, %d)' % (self.typename, self.oheight, self.owidth)
