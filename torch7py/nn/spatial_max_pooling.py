"""nn.SpatialMaxPooling: port of torch/nn SpatialMaxPooling.lua and its THNN kernel."""
from .. import tensor as _tensor
from ..messages import msg
from ..tensor import TorchError
from . import utils
from ._kernels import (arr, as4d, check_type, maxpool_forward, out_like, pool_ceil, pool_floor,
                       pool_out_size, scatter_planes, sizes_str)
from ._thnn_check import check_dim_sizes, error as thnn_error
from .module import Module


def pool_geometry(m, input, dilH=1, dilW=1, lua_sizes=True):
    """The output size, after the checks of THNN's SpatialDilatedMaxPooling_shapeCheck /
    SpatialAveragePooling_shapeCheck in their order (lua_sizes: SpatialMaxPooling.lua reads
    input:size(dims - 1) before calling THNN)."""
    d = m.__dict__
    if d.get('ceil_mode') is None:
        # files saved before ceil mode and padding existed
        m.ceil_mode = False
        m.padW = d.get('padW') or 0
        m.padH = d.get('padH') or 0
        if 'count_include_pad' in type(m).__dict__.get('_compat_fields', ()):
            m.count_include_pad = True
    nd = input.dim()
    if nd < 2 and lua_sizes:  # SpatialMaxPooling.lua reads input:size(dims - 1) first
        raise TorchError("bad argument #1 to 'size' (dimension %d out of range of %dD tensor)"
                         % (nd - 1, nd))
    if not (m.kW > 0 and m.kH > 0):
        raise TorchError(msg('thnn_argcheck', 5, 'kernel size should be greater than zero, '
                             'but got kH: %d kW: %d' % (m.kH, m.kW)))
    if not (m.dW > 0 and m.dH > 0):
        raise TorchError(msg('thnn_argcheck', 8, 'stride should be greater than zero, but got '
                             'dH: %d dW: %d' % (m.dH, m.dW)))
    if not (dilH > 0 and dilW > 0):
        raise TorchError(msg('thnn_argcheck', 12, 'dilation should be greater than zero, but '
                             'got dilationH: %d dilationW: %d' % (dilH, dilW)))
    if nd not in (3, 4):
        raise TorchError(msg('thnn_argcheck', 2, '3D or 4D input tensor expected but got: %s'
                             % sizes_str(input._size)))
    if m.kW // 2 < m.padW or m.kH // 2 < m.padH:
        raise TorchError(msg('thnn_argcheck', 2, 'pad should be smaller than half of kernel '
                             'size, but got padW = %d, padH = %d, kW = %d, kH = %d'
                             % (m.padW, m.padH, m.kW, m.kH)))
    C, H, W = input._size[-3:]
    any_pad = m.padH or m.padW
    oH = pool_out_size(H, m.kH, m.dH, m.padH, m.ceil_mode, dilH, any_pad)
    oW = pool_out_size(W, m.kW, m.dW, m.padW, m.ceil_mode, dilW, any_pad)
    if oH < 1 or oW < 1:
        raise thnn_error('Given input size: (%dx%dx%d). Calculated output size: (%dx%dx%d). '
                         'Output size is too small', C, H, W, C, oH, oW)
    return oH, oW


def pool_tostring(m, dims=2):
    """'type(kWxkH, dW,dH[, padW,padH])'; kTxkWxkH and three values each when dims is 3 (a
    file from before padding existed has no pad fields: none are shown, as in Torch7)."""
    from ._conv_layers import lua_pads
    ks, ds, pads = (m.kW, m.kH), (m.dW, m.dH), ('padW', 'padH')
    if dims == 3:
        ks, ds, pads = (m.kT,) + ks, (m.dT,) + ds, ('padT',) + pads
    s = '%s(%s, %s' % (m.typename, 'x'.join('%d' % k for k in ks), ','.join('%d' % d for d in ds))
    text = lua_pads(m, pads)[1]
    if text is not None:
        s += ', ' + text
    return s + ')'


def check_pool_grad(input, gradOutput, oH, oW, indices=None):
    """THNN_CHECK_DIM_SIZE(gradOutput, ndim, dim, size) of the planes, height and width, then
    THNN_CHECK_DIM_SIZE_INDICES of the max poolings' indices."""
    nd = input.dim()
    want = (input._size[-3], oH, oW)
    check_dim_sizes(gradOutput, 'gradOutput', nd, nd - 3, want)
    if indices is not None:
        check_dim_sizes(indices, 'indices', nd, nd - 3, want)


class SpatialMaxPooling(Module):

    def __init__(self, kW, kH, dW=None, dH=None, padW=0, padH=0):
        super().__init__()
        self.kW, self.kH = kW, kH
        self.dW = kW if dW is None else dW
        self.dH = kH if dH is None else dH
        self.padW = padW or 0
        self.padH = padH or 0
        self.ceil_mode = False
        self.indices = _tensor.LongTensor()

    ceil = pool_ceil
    floor = pool_floor

    def _dilation(self):
        return 1, 1

    def updateOutput(self, input):
        check_type(self, input)
        dilH, dilW = self._dilation()
        oH, oW = pool_geometry(self, input, dilH, dilW)
        # Torch7 records the input size; SpatialMaxUnpooling reads it back
        self.iheight, self.iwidth = input._size[-2], input._size[-1]
        if self.__dict__.get('indices') is None:
            self.indices = _tensor.LongTensor()
        elif self.indices.typename != 'torch.LongTensor':
            self.indices = self.indices.long()
        x4 = as4d(arr(input))
        shape = tuple(input._size[:-2]) + (oH, oW)
        vals = as4d(out_like(self.output, shape))
        idx = as4d(out_like(self.indices, shape))
        maxpool_forward(x4, vals, idx, self.kH, self.kW, self.dH, self.dW, self.padH,
                        self.padW, oH, oW, dilH, dilW)
        return self.output

    def updateGradInput(self, input, gradOutput):
        dilH, dilW = self._dilation()
        oH, oW = pool_geometry(self, input, dilH, dilW)
        check_pool_grad(input, gradOutput, oH, oW, self.indices)
        gi = out_like(self.gradInput, input._size)
        unique = self.dH >= (self.kH - 1) * dilH + 1 and self.dW >= (self.kW - 1) * dilW + 1
        scatter_planes(as4d(gi), as4d(arr(self.indices)), as4d(arr(gradOutput)), unique)
        return self.gradInput

    def __tostring__(self):
        return pool_tostring(self)

    def clearState(self):
        utils.clear(self, 'indices')
        return super().clearState()
