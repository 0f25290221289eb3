"""nn.VolumetricMaxUnpooling: port of torch/nn VolumetricMaxUnpooling.lua and THNN
VolumetricMaxUnpooling.c (values put back where a VolumetricMaxPooling took them from: the
window start ti*dT - pT plus the kernel offset in the index's bytes)."""
import numpy as np

from .. import messages
from ..messages import at_lua
from ._kernels import arr, out_like
from ._thnn_check import arg_check, check_shape, error, thnn_argcheck
from .module import Module
from .volumetric_max_pooling import decode
from .utils import TorchAssertionError


class VolumetricMaxUnpooling(Module):

    # its Lua runs setParams() (self.indices = self.pooling.indices) before the THNN call, so
    # the call's checks are its own _lua_call's, after setParams: the indices that :type()
    # made float are replaced by the pooling's (LongTensor again after its forward)
    _thnn_own_checks = ('updateOutput', 'updateGradInput')

    def __init__(self, poolingModule):
        super().__init__()
        if messages.torch_type(poolingModule) != 'nn.VolumetricMaxPooling':  # torch.type
            raise at_lua(TorchAssertionError(
                'Argument must be a nn.VolumetricMaxPooling module'),
                'nn/VolumetricMaxUnpooling.lua:5')
        if poolingModule.kT != poolingModule.dT or poolingModule.kH != poolingModule.dH or \
                poolingModule.kW != poolingModule.dW:
            raise at_lua(TorchAssertionError(
                "The size of pooling module's kernel must be equal to its "
                "stride"), 'nn/VolumetricMaxUnpooling.lua:6')
        self.pooling = poolingModule

    def setParams(self):
        # VolumetricMaxUnpooling.lua: the pooling module's fields (itime, iheight, iwidth
        # are nil before its first forward)
        d = self.pooling.__dict__
        self.indices = d.get('indices')
        self.otime = d.get('itime')
        self.oheight = d.get('iheight')
        self.owidth = d.get('iwidth')
        self.dT, self.dH, self.dW = d.get('dT'), d.get('dH'), d.get('dW')
        self.padT, self.padH, self.padW = d.get('padT'), d.get('padH'), d.get('padW')

    def _lua_call(self, input, *args):
        """The THNN call's checks: input.THNN, the tensors' FFI types (indices a
        THIndexTensor), then otime, owidth, oheight, dT, dW, dH, padT, padW, padH as C ints."""
        from ..tensor import LongTensor
        from . import _lua
        nums = (self.otime, self.owidth, self.oheight, self.dT, self.dW, self.dH, self.padT,
                self.padW, self.padH)
        if (type(input) is not type(args[0][1]) or type(self.indices) is not LongTensor
                or not all(isinstance(v, int) for v in nums)):
            _lua.thnn_call(input, *args, ("field 'indices'", self.indices),
                           nums=tuple((v, 'int') for v in nums), index=("field 'indices'",))

    def _targets(self, shape):
        """Flat output position (per slice) of every input element, and the first bad one:
        (start_t + maxz, start_h + maxy, start_w + maxx) from the index bytes."""
        bz, by, bx = decode(arr(self.indices))
        ti, i, j = (np.arange(n) for n in shape[-3:])
        z = bz + (ti * self.dT - self.padT)[:, None, None]
        y = by + (i * self.dH - self.padH)[None, :, None]
        x = bx + (j * self.dW - self.padW)[None, None, :]
        oT, oH, oW = self.otime, self.oheight, self.owidth
        bad = (z < 0) | (y < 0) | (x < 0) | (z >= oT) | (y >= oH) | (x >= oW)
        return (z * oH + y) * oW + x, bad, (z, y, x)

    def _shape_check(self, input, gradOutput=None):
        """THNN VolumetricMaxUnpooling_shapeCheck in its order."""
        thnn_argcheck(input.dim() in (4, 5), 2, input, '4D or 5D (batch mode) tensor expected '
                      'for input, but got: %s')
        check_shape(input, self.indices, 'input', 'indices')
        arg_check(self.dT > 0 and self.dW > 0 and self.dH > 0, 10, 'stride should be greater '
                  'than zero, but got dT: %d dH: %d dW: %d', self.dT, self.dH, self.dW)
        if gradOutput is not None:
            nd, g = input.dim(), tuple(gradOutput._size) + (0, 0, 0, 0, 0)
            want = (self.otime, self.oheight, self.owidth)
            if g[nd - 3:nd] != want:
                raise error('Inconsistent gradOutput size. oT= %d, oH= %d, oW= %d, gradOutput: '
                            '%dx%dx%d', *(want + g[nd - 3:nd]))

    def updateOutput(self, input):
        self.setParams()
        self._lua_call(input, ("field 'output'", self.output))
        self._shape_check(input)
        x = arr(input)
        oT, oH, oW = self.otime, self.oheight, self.owidth
        y = out_like(self.output, x.shape[:-3] + (oT, oH, oW))
        y[...] = 0
        flat, bad, _ = self._targets(x.shape)
        if bad.any():
            f = flat.reshape(-1, flat.shape[-3] * flat.shape[-2] * flat.shape[-1])
            slices = x.shape[-4]
            k = np.flatnonzero(bad.reshape(f.shape).any(axis=1))[-1] % slices
            err = k * oT * oW * oH + f[k % f.shape[0]][bad.reshape(f.shape)[k % f.shape[0]]][-1]
            raise error('found an invalid max index %d (output volumes are of size '
                        '%dx%dx%d)', err, oT, oH, oW)
        y5 = y.reshape(-1, oT * oH * oW)
        np.put_along_axis(y5, flat.reshape(y5.shape[0], -1), x.reshape(y5.shape[0], -1),
                          axis=1)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.setParams()
        self._lua_call(input, ('gradOutput', gradOutput), ("field 'gradInput'", self.gradInput))
        self._shape_check(input, gradOutput)
        gi = out_like(self.gradInput, input._size)
        flat, bad, (z, y, x) = self._targets(gi.shape)
        oT, oH, oW = self.otime, self.oheight, self.owidth
        if bad.any():
            w = tuple(a[bad][0] for a in (z, y, x))
            raise error('invalid max index z= %d, y= %d, x= %d, oT= %d, oW= %d, oH= %d',
                        *(w + (oT, oW, oH)))
        g = arr(gradOutput).reshape(-1, oT * oH * oW)
        gi[...] = np.take_along_axis(g, flat.reshape(g.shape[0], -1), axis=1).reshape(gi.shape)
        return self.gradInput

    def __tostring__(self):
        return '%s associated to %s' % (self.typename, self.pooling.__tostring__())
