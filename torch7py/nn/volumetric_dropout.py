"""nn.VolumetricDropout: port of torch/nn VolumetricDropout.lua (whole volumes dropped)."""
from ..messages import at_lua
from ..tensor import TorchError
from .module import Module
from .spatial_dropout import SpatialDropout


class VolumetricDropout(SpatialDropout):
    _torch_parent = Module  # its .lua declares parent nn.Module; only the code is shared
    _lua_file = 'nn/VolumetricDropout.lua'

    def _noise_size(self, input):
        nd = input.dim()
        if nd == 5:
            return (input.size(1), input.size(2), 1, 1, 1)
        if nd == 4:
            return (input.size(1), 1, 1, 1)
        raise at_lua(TorchError('Input must be 5D (nbatch, nfeat, t, h, w) or 4D (nfeat, t, h, w)'),
                     self._lua_file + ':19')
