"""nn.GPU: port of torch/nn GPU.lua (a decorator that runs its module on a given GPU). torch7py has
no GPU backend: on the CPU the module runs as is, and asking for CUDA raises."""
from .decorator import Decorator
from .utils import TorchAssertionError


class GPU(Decorator):

    def __init__(self, module, device, outdevice=None):
        super().__init__(module)
        if not isinstance(device, int):
            raise TorchAssertionError('expecting number at arg 2')
        self.device = device
        self.outdevice = outdevice or device

    def setDevice(self, device=None):
        if device not in (None, self.device):
            self.device = device
        return self.device

    def cuda(self, *args):
        raise RuntimeError('nn.GPU: torch7py has no CUDA backend (no cutorch); the module can '
                           'only run on the CPU, as float() or double()')

    def __tostring__(self):
        return '%s(%d) @ %s' % (self.typename, self.device, self.modules[0].__tostring__())
