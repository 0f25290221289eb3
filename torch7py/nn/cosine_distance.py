"""nn.CosineDistance: port of torch/nn CosineDistance.lua (row-wise cosine of a pair)."""
from ..messages import lua_line
from . import _lua
from . import utils
from .module import Module


class CosineDistance(Module):
    """CosineDistance.lua's tensor operations in its order (row sums, 1/x, sqrt, addcmul), so
    that the roundings, the buffers (buffer, w1, w22, w, w32, ones) and the errors are
    Torch7's."""

    def __init__(self):
        super().__init__()
        self.gradInput = [self.output.new(), self.output.new()]

    def _contiguous(self, input1, input2):
        if not input1.isContiguous():
            if self.__dict__.get('_input1') is None:
                self._input1 = input1.new()
            self._input1.resizeAs(input1).copy(input1)
            input1 = self._input1
        if not input2.isContiguous():
            if self.__dict__.get('_input2') is None:
                self._input2 = input2.new()
            self._input2.resizeAs(input2).copy(input2)
            input2 = self._input2
        return input1, input2

    def updateOutput(self, input):
        x1, x2, ok = _lua.pair(input)
        input = x1, x2  # (Lua's input[1], input[2]: a tensor's are its first two slices)
        if not ok:   # CosineDistance.lua's makeContiguous: input1:isContiguous(), input2:...
            _lua.mcall(x1, 'isContiguous', what="local 'input1'")
            _lua.mcall(x2, 'isContiguous', what="local 'input2'")
        input1, input2 = self._contiguous(x1, x2)
        if input1.dim() == 1:
            input1 = input1.view(1, -1)
            input2 = input2.view(1, -1)
        if self.__dict__.get('buffer') is None:
            for k in ('buffer', 'w1', 'w22', 'w', 'w32', 'ones'):
                setattr(self, k, input1.new())
        with lua_line('nn/CosineDistance.lua:41'):
            self.buffer.cmul(input1, input2)
        with lua_line('nn/CosineDistance.lua:42'):
            self.w1.sum(self.buffer, 2)
        epsilon = 1e-12
        with lua_line('nn/CosineDistance.lua:45'):
            self.buffer.cmul(input1, input1)
        with lua_line('nn/CosineDistance.lua:46'):
            self.w22.sum(self.buffer, 2).add(epsilon)
        with lua_line('nn/CosineDistance.lua:47'):
            self.ones.resizeAs(self.w22).fill(1)
        with lua_line('nn/CosineDistance.lua:48'):
            self.w22.cdiv(self.ones, self.w22)
        with lua_line('nn/CosineDistance.lua:49'):
            self.w.resizeAs(self.w22).copy(self.w22)
        with lua_line('nn/CosineDistance.lua:51'):
            self.buffer.cmul(input2, input2)
        with lua_line('nn/CosineDistance.lua:52'):
            self.w32.sum(self.buffer, 2).add(epsilon)
        with lua_line('nn/CosineDistance.lua:53'):
            self.w32.cdiv(self.ones, self.w32)
        with lua_line('nn/CosineDistance.lua:54'):
            self.w.cmul(self.w32)
        self.w.sqrt()
        with lua_line('nn/CosineDistance.lua:57'):
            self.output.cmul(self.w1, self.w)
        self.output.resize(input1.size(1))
        return self.output

    def updateGradInput(self, input, gradOutput):
        x1, x2, ok = _lua.pair(input)
        input = x1, x2  # (Lua's input[1], input[2]: a tensor's are its first two slices)
        if not ok:   # CosineDistance.lua's makeContiguous(self, v1, v2)
            _lua.mcall(x1, 'isContiguous', what="local 'input1'")
            _lua.mcall(x2, 'isContiguous', what="local 'input2'")
        v1, v2 = self._contiguous(x1, x2)
        not_batch = False
        if v1.dim() == 1:
            v1 = v1.view(1, -1)
            v2 = v2.view(1, -1)
            not_batch = True
        gi = self.gradInput
        if len(gi) != 2:
            while len(gi) < 2:  # (no None: gradInput may be a Lua table)
                gi.append(v1.new())
            gi[0] = gi[0] if gi[0] is not None else v1.new()
            gi[1] = gi[1] if gi[1] is not None else v1.new()
        gw1, gw2 = gi[0], gi[1]
        with lua_line('nn/CosineDistance.lua:83'):
            gw1.resizeAs(v1).copy(v2)
        with lua_line('nn/CosineDistance.lua:84'):
            gw2.resizeAs(v1).copy(v1)
        with lua_line('nn/CosineDistance.lua:86'):
            self.buffer.cmul(self.w1, self.w22)
        with lua_line('nn/CosineDistance.lua:87'):
            gw1.addcmul(-1, self.buffer.expandAs(v1), v1)
        with lua_line('nn/CosineDistance.lua:88'):
            gw1.cmul(self.w.expandAs(v1))
        with lua_line('nn/CosineDistance.lua:90'):
            self.buffer.cmul(self.w1, self.w32)
        with lua_line('nn/CosineDistance.lua:91'):
            gw2.addcmul(-1, self.buffer.expandAs(v1), v2)
        with lua_line('nn/CosineDistance.lua:92'):
            gw2.cmul(self.w.expandAs(v1))
        go = gradOutput.view(-1, 1).expandAs(v1)
        with lua_line('nn/CosineDistance.lua:95'):
            gw1.cmul(go)
        with lua_line('nn/CosineDistance.lua:96'):
            gw2.cmul(go)
        if not_batch:
            gi[0].resize(gw1.size(2))
            gi[1].resize(gw2.size(2))
        return self.gradInput

    def clearState(self):
        utils.clear(self, ['buffer', 'w1', 'w22', 'w', 'w32', 'ones'])
        return super().clearState()
