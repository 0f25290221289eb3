"""nn.SpatialMaxUnpooling: port of torch/nn SpatialMaxUnpooling.lua and THNN
SpatialMaxUnpooling.c (each value put back at the position its SpatialMaxPooling took it from)."""
import numpy as np

from .. import messages
from ..messages import at_lua
from ._kernels import arr, out_like
from ._thnn_check import check_shape, error, thnn_argcheck
from .module import Module
from .utils import TorchAssertionError


class SpatialMaxUnpooling(Module):

    # its Lua runs setParams() (self.indices = self.pooling.indices) before the THNN call, so
    # the call's checks are its own _lua_call's, after setParams: the indices that :type()
    # made float are replaced by the pooling's (LongTensor again after its forward)
    _thnn_own_checks = ('updateOutput', 'updateGradInput')

    def __init__(self, poolingModule):
        super().__init__()
        if messages.torch_type(poolingModule) != 'nn.SpatialMaxPooling':  # torch.type
            raise at_lua(TorchAssertionError(
                'Argument must be a nn.SpatialMaxPooling module'), 'nn/SpatialMaxUnpooling.lua:5')
        if poolingModule.kH != poolingModule.dH or poolingModule.kW != poolingModule.dW:
            raise at_lua(TorchAssertionError(
                "The size of pooling module's kernel must be equal to its "
                "stride"), 'nn/SpatialMaxUnpooling.lua:6')
        self.pooling = poolingModule

    def setParams(self):
        # SpatialMaxUnpooling.lua: the pooling module's indices, iheight and iwidth (nil
        # before its first forward)
        d = self.pooling.__dict__
        self.indices = d.get('indices')
        self.oheight = d.get('iheight')
        self.owidth = d.get('iwidth')

    def _lua_call(self, input, *args):
        """The THNN call's checks: input.THNN, the tensors' :cdata() and FFI types (indices a
        THIndexTensor), then owidth, oheight as C ints (nil before the pooling ran)."""
        from ..tensor import LongTensor
        from . import _lua
        if (type(input) is not type(args[0][1]) or type(self.indices) is not LongTensor
                or not isinstance(self.owidth, int) or not isinstance(self.oheight, int)):
            _lua.thnn_call(input, *args, ("field 'indices'", self.indices),
                           nums=((self.owidth, 'int'), (self.oheight, 'int')),
                           index=("field 'indices'",))

    def updateOutput(self, input):
        self.setParams()
        self._lua_call(input, ("field 'output'", self.output))
        x = arr(input)
        thnn_argcheck(input.dim() in (3, 4), 2, input, '3D or 4D (batch mode) tensor expected '
                      'for input, but got: %s')
        check_shape(input, self.indices, 'input', 'indices')
        x4 = x if x.ndim == 4 else x[None]
        y = out_like(self.output, x.shape[:-2] + (self.oheight, self.owidth))
        y4 = y if y.ndim == 4 else y[None]
        idx = arr(self.indices).reshape(x4.shape) - 1
        bad = (idx < 0) | (idx >= self.oheight * self.owidth)
        if bad.any():
            # THNN checks each frame (batch element) after its loop: the last bad index of
            # the first frame that has one
            b = bad.reshape(bad.shape[0], -1)
            n = int(np.flatnonzero(b.any(axis=1))[0])
            last = int(idx.reshape(b.shape)[n][b[n]][-1])
            raise error('found an invalid max index %d (output volumes are of size %dx%d)',
                        last, self.oheight, self.owidth)
        y4[...] = 0
        flat = y4.reshape(x4.shape[0], x4.shape[1], -1)
        np.put_along_axis(flat, idx.reshape(flat.shape[0], flat.shape[1], -1),
                          x4.reshape(flat.shape[0], flat.shape[1], -1), axis=2)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.setParams()
        self._lua_call(input, ('gradOutput', gradOutput), ("field 'gradInput'", self.gradInput))
        check_shape(input, self.indices, 'input', 'indices')
        nd = input.dim()
        if nd in (3, 4) and (gradOutput.dim() < nd or gradOutput._size[nd - 1] != self.owidth
                             or gradOutput._size[nd - 2] != self.oheight):
            g = gradOutput._size
            raise error('Inconsistent gradOutput size. oheight= %d, owidth= %d, gradOutput: '
                        '%dx%d', self.oheight, self.owidth, g[nd - 2] if len(g) > nd - 2 else 0,
                        g[nd - 1] if len(g) > nd - 1 else 0)
        go = arr(gradOutput)
        go4 = go if go.ndim == 4 else go[None]
        idx = arr(self.indices).reshape(go4.shape[:2] + (-1,)) - 1
        bad = (idx < 0) | (idx >= self.oheight * self.owidth)
        if bad.any():  # THError at the first one, in THNN's loop order
            first = int(idx.reshape(-1)[np.flatnonzero(bad.reshape(-1))[0]])
            raise error('invalid max index %d, owidth= %d, oheight= %d',
                        first, self.owidth, self.oheight)
        gi = out_like(self.gradInput, input._size)
        g4 = gi if gi.ndim == 4 else gi[None]
        g4.reshape(idx.shape)[...] = np.take_along_axis(go4.reshape(go4.shape[:2] + (-1,)),
                                                        idx, axis=2)
        return self.gradInput

    def __tostring__(self):
        return '%s associated to %s' % (self.typename, self.pooling.__tostring__())


