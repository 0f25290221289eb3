"""nn.UpSampling: port of torch/nn UpSampling.lua and THNN's Spatial/VolumetricUpSamplingNearest,
SpatialUpSamplingBilinear and VolumetricUpSamplingTrilinear kernels (4D or 5D batches)."""
import itertools

import numpy as np

from ..storage import LongStorage
from ..messages import MESSAGES, at_lua
from ..tensor import TorchError
from . import _kernels, _lua
from ._kernels import arr, out_like
from ._thnn_check import arg_check, check_dim_sizes
from .module import Module
from .spatial_up_sampling_bilinear import lin_backward, lin_forward, linear_map


def _sparse_block_sums(go, s):
    """The nearest backward's block sums when few elements of go (N, C, *o) are not +0 and no
    block holds two of them (a Jacobian check's one-hot rows), else None. A block's sum is then
    its one such element, exactly as the reduceats add it (v plus +0s is v; a -0 among +0s
    gives +0)."""
    g = go.reshape(-1)
    # every bit pattern but +0 (a comparison first: numpy's nonzero of a u8 array is ~10x slower)
    nz = np.flatnonzero(g.view('u%d' % g.itemsize) != 0)
    if nz.size * 8 >= g.size:
        return None
    coords = np.unravel_index(nz, go.shape)
    shape = go.shape[:2] + tuple(n // s for n in go.shape[2:])
    block = np.ravel_multi_index(coords[:2] + tuple(c // s for c in coords[2:]), shape)
    if block.size > 1 and np.unique(block).size != block.size:
        return None
    r = np.zeros(shape, dtype=go.dtype)
    v = g[nz]
    v[v == 0] = 0  # a lone -0
    r.reshape(-1)[block] = v
    return r


def nearest_backward(go, s, nsp):
    """THNN's Spatial/VolumetricUpSamplingNearest backward for go (..., *o) with nsp spatial
    axes: each input element's gradient is zero plus its block's terms one by one, the offset
    along the last spatial axis in the outermost loop and along the first in the innermost
    (the C loops' order: for y < dH, for x < dW with x on the height axis)."""
    cut = go.ndim - nsp
    r = np.zeros(go.shape[:cut] + tuple(n // s for n in go.shape[cut:]), go.dtype)
    for offs in itertools.product(range(s), repeat=nsp):  # offs[0]: the last axis's offset
        r += go[(Ellipsis,) + tuple(slice(o, None, s) for o in reversed(offs))]
    return r


_INDEX = MESSAGES["index_on"].partition("%s")[0]  # LuaJIT's 'attempt to index ...'


class _IndexAt:
    """`with _IndexAt(where):` around a THNN call's checks: its input.THNN index (a LongTensor
    or a table has none) fails on the call's Lua line (the FFI's conversions are THNN.lua's)."""

    def __init__(self, where):
        self.where = where

    def __enter__(self):
        return self

    def __exit__(self, tp, e, tb):
        if isinstance(e, TorchError) and str(e).startswith(_INDEX) and \
                getattr(e, 'lua_where', None) is None:
            at_lua(e, self.where)
        return False


class UpSampling(Module):

    def __init__(self, params, mode=None):
        super().__init__()
        # any other mode means nearest, as in Torch7
        self.mode = 'linear' if mode in ('linear', 'bilinear', 'trilinear') else 'nearest'
        if isinstance(params, dict) or hasattr(params, 'keys'):
            if self.mode == 'nearest':
                raise at_lua(TorchError('Nearest neighbour upsampling requires a scale_factor'),
                             'nn/UpSampling.lua:44')
            for k in ('odepth', 'owidth', 'oheight'):
                if params.get(k) is not None:
                    self.__dict__[k] = params.get(k)
            if params.get('owidth') is None or params.get('oheight') is None:
                raise at_lua(TorchError('Output height and width parameters are required'),
                             'nn/UpSampling.lua:48')
        else:
            self.scale_factor = params
            if self.scale_factor < 1:
                raise at_lua(TorchError('scale_factor must be greater than 1'),
                             'nn/UpSampling.lua:53')
            if int(self.scale_factor) != self.scale_factor:
                raise at_lua(TorchError('scale_factor must be integer'), 'nn/UpSampling.lua:56')
        self.inputSize = LongStorage(5).fill(0)
        self.outputSize = LongStorage(5).fill(0)

    def setSize(self, input):
        self._set_size(input)  # (UpSampling.lua's returns nothing)

    def _call_line(self, nd, grad):
        """The line of UpSampling.lua's THNN call (its input.THNN) for these dimensions and
        mode: updateOutput's (grad 0) or updateGradInput's (grad 1)."""
        lines = ((110, 116, 125, 131), (160, 167, 180, 187))[grad]
        return _IndexAt('nn/UpSampling.lua:%d' % lines[(0 if nd == 4 else 2)
                                                       + (0 if self.mode == 'nearest' else 1)])

    def _set_size(self, input):
        nd = _lua.mcall(input, 'dim', what="local 'input'")
        size = list(input._size)
        out = list(size)
        d = self.__dict__
        s = d.get('scale_factor')
        if not 2 <= nd <= 5:
            self._lua_set_size(nd, size, s)
        if s is not None:
            for i in range(2, nd):
                out[i] = size[i] * int(s)
        else:
            if nd == 5:
                if d.get('odepth') is None:
                    raise at_lua(TorchError('No output depth dimension was supplied for '
                                            'volumetric upsampling'), 'nn/UpSampling.lua:87')
                out[2] = self.odepth
            out[nd - 2] = self.oheight
            out[nd - 1] = self.owidth
        # written into the storages' buffers at once (the backward of a Jacobian check runs
        # this once per output element)
        self.inputSize._data[:nd] = size
        self.outputSize._data[:nd] = out
        return out

    def _lua_set_size(self, nd, size, s):
        """UpSampling.lua's setSize line by line, for an input of fewer than 2 or more than 5
        dimensions: its LongStorage(5) writes fail (out of bounds) where Lua's do."""
        ydim, xdim = nd - 1, nd
        zdim = nd - 2 if nd > 4 else None
        for i in range(1, nd + 1):
            self.inputSize[i] = size[i - 1]
            self.outputSize[i] = size[i - 1]
        o = self.outputSize
        if s is not None:
            if zdim is not None:
                o[zdim] = o[zdim] * s
            o[ydim] = o[ydim] * s
            o[xdim] = o[xdim] * s
        else:
            if zdim is not None:
                if self.__dict__.get('odepth') is None:
                    raise at_lua(TorchError('No output depth dimension was supplied for '
                                            'volumetric upsampling'), 'nn/UpSampling.lua:87')
                o[zdim] = self.odepth
            o[ydim] = self.oheight
            o[xdim] = self.owidth

    def _out(self, input, gradOutput=None):
        """UpSampling.lua's checks, then those of the THNN function it calls for the mode and
        the number of dimensions (forward: setSize first; backward: the last forward's
        outputSize for the linear modes, the scale for nearest)."""
        nd = input.dim()
        if nd < 4 or nd > 5:
            raise at_lua(TorchError('UpSampling only supports 4D or 5D tensors'),
                         'nn/UpSampling.lua:99')
        S = tuple(input._size[2:])
        sz = tuple(input._size)
        if gradOutput is None:
            out = tuple(int(v) for v in self._set_size(input)[2:])
            # `input.THNN.<Mode>_updateOutput(input:cdata(), self.output:cdata(), ...)`: the
            # FFI's conversions come before THNN's checks
            with self._call_line(nd, 0):
                _lua.thnn_call(input, ("field 'output'", self.output))
        else:
            # self.gradInput:resizeAs(input), then the call: (input:cdata(),
            # gradOutput:cdata(), self.gradInput:cdata(), ...) for nearest,
            # (gradOutput:cdata(), self.gradInput:cdata(), ...) for the linear modes
            _lua.resize_as_first(self.gradInput, input)
            self.gradInput.resizeAs(input)
            with self._call_line(nd, 1):
                _lua.thnn_call(input, ('gradOutput', gradOutput), ("field 'gradInput'",
                                                                  self.gradInput),
                               first=3 if self.mode == 'nearest' else 2)
        if self.mode == 'nearest':
            sf = self.scale_factor
            arg_check(sf > 1, 4, 'scale_factor must be greater than 1, but got: %d', sf)
            if gradOutput is not None:
                out = tuple(v * int(sf) for v in S)
                check_dim_sizes(gradOutput, 'gradOutput', nd, 0, sz[:2] + out)
            return S, out
        if gradOutput is not None:
            os_ = self.outputSize
            data = getattr(os_, '_data', None)
            if isinstance(os_, LongStorage) and data is not None and data.shape[0] >= nd:
                out = tuple(data[2:nd].tolist())  # once per output element in a Jacobian check
            else:
                out = tuple(int(os_[i + 1]) for i in range(2, nd))
        if nd == 4:
            arg_check(min(S) > 0 and min(out) > 0, 2, 'input and output sizes should be '
                      'greater than 0, but got input (H: %d, W: %d) output (H: %d, W: %d)',
                      *(S + out))
        else:
            arg_check(min(S) > 0 and min(out) > 0, 2, 'input and output sizes should be '
                      'greater than 0, but got input (D: %d, H: %d, W: %d) output (D: %d, H: '
                      '%d, W: %d)', *(S + out))
        if gradOutput is not None:
            check_dim_sizes(gradOutput, 'gradOutput', nd, 0, sz[:2] + out)
        return S, out

    def updateOutput(self, input):
        S, out = self._out(input)
        x = arr(input)
        y = out_like(self.output, x.shape[:2] + out)
        if self.mode == 'nearest':
            s = int(self.scale_factor)
            v = y.reshape(x.shape[:2] + sum(((n, s) for n in S), ()))
            v[...] = x[(Ellipsis,) + sum(((slice(None), None) for _ in S), ())]
        elif S == out:
            y[...] = x
        else:
            y[...] = lin_forward(x, [linear_map(S[i], out[i], x.dtype) for i in range(len(S))])
        return self.output

    def updateGradInput(self, input, gradOutput):
        nd = input.dim()
        if nd < 4 or nd > 5:
            raise at_lua(TorchError('UpSampling only supports 4D or 5D tensors'),
                         'nn/UpSampling.lua:146')
        if nd != gradOutput.dim():
            raise at_lua(TorchError('Input and gradOutput should be of same dimension'),
                         'nn/UpSampling.lua:149')
        S, out = self._out(input, gradOutput)
        x = arr(input)
        go = arr(gradOutput)
        gi = out_like(self.gradInput, x.shape)
        if self.mode == 'nearest':
            s = int(self.scale_factor)
            goc = np.ascontiguousarray(go)
            if _kernels.c_ok(goc, gi) and gi.dtype == goc.dtype and \
                    hasattr(_kernels._nnk, 'upnear_back'):
                # THNN's loop: one pass, each block summed in its order
                T, H, W = ((1,) + S)[-3:]
                _kernels._nnk.upnear_back(goc, gi, x.shape[0] * x.shape[1], T, H, W,
                                          1 if len(S) == 2 else s, s, s,
                                          gi.dtype == np.float32)
                return self.gradInput
            r = _sparse_block_sums(go, s) if s > 1 else None
            gi[...] = r if r is not None else nearest_backward(go, s, go.ndim - 2)
        elif S == out:
            gi[...] = go
        else:
            gi[...] = lin_backward(go, S)
        return self.gradInput

    def __tostring__(self):
        d = self.__dict__
        if d.get('scale_factor') is not None:
            return '%s(%dx, %s)' % (self.typename, self.scale_factor, self.mode)
        if d.get('odepth') is not None:
            return '%s(%dx%dx%d, %s)' % (self.typename, self.odepth, self.oheight, self.owidth,
                                         self.mode)
        return '%s(%dx%d, %s)' % (self.typename, self.oheight, self.owidth, self.mode)
