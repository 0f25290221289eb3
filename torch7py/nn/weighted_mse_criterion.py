"""nn.WeightedMSECriterion: port of torch/nn WeightedMSECriterion.lua (MSE against the target
scaled element-wise by a weight, per sample in a batch)."""

from ..messages import lua_line, lua_type_name, msg
from ..storage import TorchError
from ..tensor import Tensor
from . import _lua
from ._kernels import apply_check, arr, out_like
from .mse_criterion import MSECriterion


class WeightedMSECriterion(MSECriterion):

    def __init__(self, w):
        super().__init__()
        self.weight = w.clone()  # the buffer comes with the first updateOutput (as in Lua)

    def _weighted(self, input, target, grad=False):
        # buffer:resizeAs(input):copy(target), then buffer:cmul(weight) (or each
        # buffer[i]:cmul(weight) for a batch): TH checks the counts, not the shapes
        buf = self.buffer
        first = 30 if grad else 10   # (updateGradInput's lines are 20 further)
        if not isinstance(input, Tensor) or not isinstance(target, Tensor) \
                or type(buf) is not type(input):
            with lua_line('nn/WeightedMSECriterion.lua:%d' % first):
                buf.resizeAs(input).copy(target)  # their TH argument errors
        b = out_like(buf, input._size)
        apply_check(('tensor', 'src'), buf, target)
        b[...] = arr(target).reshape(b.shape)
        w = arr(self.weight)
        if type(self.weight) is not type(buf):
            # buffer:cmul(weight) (buffer[i]:cmul for a batch): TH's types
            batch = input.dim() - 1 == self.weight.dim()
            if not batch or input._size[0]:
                with lua_line('nn/WeightedMSECriterion.lua:%d' % (first + (3 if batch else 6))):
                    _lua.mcall(buf[1] if batch else buf, 'cmul', self.weight)
        if input.dim() - 1 == self.weight.dim():
            if input._size[0]:
                apply_check(('r_', 't', 'src'), buf[1], buf[1], self.weight)
            b *= w.reshape((1,) + b.shape[1:])
        else:
            apply_check(('r_', 't', 'src'), buf, buf, self.weight)
            b *= w.reshape(b.shape)
        return buf

    def updateOutput(self, input, target):
        if self.__dict__.get('buffer') is None:
            if not isinstance(input, Tensor):
                kind = lua_type_name(input)  # a string's or table's .new is nil
                raise TorchError(msg('call_nil_field', 'new')
                                 if kind in ('string', 'table', 'userdata') else
                                 msg('index_local', 'input', kind))
            self.buffer = input.new()
        return super().updateOutput(input, self._weighted(input, target))

    def updateGradInput(self, input, target):
        if self.__dict__.get('buffer') is None:
            raise TorchError(msg('index_field', 'buffer', 'nil'))
        return super().updateGradInput(input, self._weighted(input, target, True))


