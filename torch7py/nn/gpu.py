"""nn.GPU: port of torch/nn GPU.lua (a decorator that runs its module on a given GPU). torch7py has
no GPU backend: the module runs on the CPU as the module it wraps, a file saved from a GPU loads
(its tensors on the CPU), and asking for CUDA raises."""
import re

from .. import messages
from ..messages import at_lua, msg
from ..tensor import TorchError
from . import _lua, utils
from .decorator import Decorator
from .module import Module
from .utils import TorchAssertionError


class GPU(Decorator):

    def __init__(self, module=None, device=None, outdevice=None):
        # GPU.lua's asserts (no messages): device a number, then module an nn.Module
        if isinstance(device, bool) or not isinstance(device, (int, float)):
            raise at_lua(TorchAssertionError(msg('assertion_failed')), 'nn/GPU.lua:16')
        if not isinstance(module, Module):
            raise at_lua(TorchAssertionError(msg('assertion_failed')), 'nn/GPU.lua:20')
        super().__init__(module)
        self.device = device
        self.outdevice = outdevice or device

    def setDevice(self, device=None):
        # GPU.lua: self.device = device or self.device, then cutorch.withDevice(...): without
        # cutorch (torch7py has none) that indexes the nil global
        if device is not None and device is not False:
            self.device = device
        if not self.modules:
            raise TorchAssertionError(msg('assertion_failed'))
        raise TorchError(messages.index_text('nil', "global 'cutorch'"))

    def type(self, type=None, typecache=None):
        # GPU.lua's type: `type and type:find('torch%.Cuda.*Tensor')`, else it drops output,
        # gradInput, _input, _gradOutput and converts the rest (typecache passed on); it
        # returns self, even for type() with no type
        if type is not None and type is not False:
            if not isinstance(type, str):
                _lua.mcall(type, 'find', 'torch%.Cuda.*Tensor', what="local 'type'")
            elif re.search(r'torch.Cuda.*Tensor', type):  # cutorch.withDevice(...)
                raise TorchError(messages.index_text('nil', "global 'cutorch'"))
        for k in ('output', 'gradInput', '_input', '_gradOutput'):
            self.__dict__[k] = None
        super().type(type, typecache)
        return self

    # GPU.lua: neither runs on a GPU-decorated module
    def accUpdateGradParameters(self, input=None, gradOutput=None, lr=None):
        raise at_lua(TorchError(msg('not_implemented_for', utils.typename(self))), 'nn/GPU.lua:268')

    def sharedAccUpdateGradParameters(self, input=None, gradOutput=None, lr=None):
        raise at_lua(TorchError(msg('not_implemented_for', utils.typename(self))), 'nn/GPU.lua:272')

    def cuda(self, *args):
        raise RuntimeError('nn.GPU: torch7py has no CUDA backend (no cutorch); the module can '
                           'only run on the CPU, as float() or double()')

    # GPU.lua's write/read: a header {_type, device}, then every field as one table
    def _t7_write_file(self, f):
        f.writeObject([self.__dict__.get('_type'), self.__dict__.get('device')])
        f.writeObject(dict(self.__dict__))

    def _t7_read_file(self, f, version):
        f.readObject()  # the header: which GPU to read the fields on (one CPU here)
        fields = f.readObject()
        if not isinstance(fields, dict):
            raise TorchAssertionError('nn.GPU: the fields of the module must be a table')
        self.__dict__.update(fields)
        options = (f._env or {}).get('options') or {}
        kind = self.__dict__.get('_type')
        if options.get('gpu_types', 'cpu') == 'cpu' and isinstance(kind, str) \
                and kind.startswith('torch.Cuda'):
            # the wrapped module was read onto the CPU: so is the decorator's type
            element = kind[len('torch.Cuda'):-len('Tensor')]
            self._type = 'torch.%sTensor' % (element if element not in ('', 'Half')
                                             else 'Float')

    def __tostring__(self):
        return '%s(%d) @ %s' % (self.typename, self.device, self.modules[0].__tostring__())
