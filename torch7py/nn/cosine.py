"""nn.Cosine: port of torch/nn Cosine.lua (y_j = cos(w_j, x); weight outputSize x inputSize)."""
from ._conv import uniform_reset
from ._kernels import new_tensor
from ..messages import at_lua, lua_line
from ..tensor import TorchError
from .. import messages
from . import _lua, utils
from .module import Module


class Cosine(Module):
    """Computed with Cosine.lua's tensor operations, in its order, so that its roundings are
    Torch7's; as in Cosine.lua, a batch's accGradParameters ignores the scale."""

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = new_tensor(outputSize, inputSize)
        self.gradWeight = new_tensor(outputSize, inputSize).zero()
        self.reset()

    def reset(self, stdv=None):
        uniform_reset(self, self.weight.size(1), stdv)

    def _buf(self, name, like):
        t = self.__dict__.get(name)
        if t is None:
            t = like.new()
            setattr(self, name, t)
        return t

    def updateOutput(self, input):
        outputSize = self.weight.size(1)
        wnorm = self._buf('_weightNorm', self.weight)
        inorm = self._buf('_inputNorm', self.weight)
        wnorm.norm(self.weight, 2, 2).add(1e-12)
        out = self.output
        if input.dim() == 1:
            out.resize(outputSize).zero()
            out.addmv(1, self.weight, input)
            norm = input.norm() + 1e-12
            self.__dict__['__norm'] = norm
            out.cdiv(wnorm.view(outputSize)).div(norm)
        elif input.dim() == 2:
            batchSize = input.size(1)
            n = out.nElement()
            out.resize(batchSize, outputSize)
            if out.nElement() != n:
                out.zero()
            with lua_line('nn/Cosine.lua:43'):  # (a size mismatch here, not line 33's)
                out.addmm(0, out, 1, input, self.weight.t())
            inorm.norm(input, 2, 2).add(1e-12)
            out.cdiv(wnorm.view(1, outputSize).expandAs(out))
            out.cdiv(inorm.expandAs(out))
        else:
            raise at_lua(TorchError('input must be vector or matrix'), 'nn/Cosine.lua:49')
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        outputSize = self.weight.size(1)
        gi = self.gradInput
        n = gi.nElement()
        gi.resizeAs(input)
        if gi.nElement() != n:
            gi.zero()
        if input.dim() == 1:
            w = self._buf('_weight', input)
            w.resizeAs(self.weight).copy(self.weight)
            w.cdiv(self._weightNorm.expandAs(self.weight))
            norm = self.__dict__.get('__norm')  # (nil before a forward: div's own error)
            _lua.mcall(w, 'div', norm)
            w.addr(1, w, -1 / (norm * norm), self.output, input)
            gi.addmv(0, 1, w.t(), gradOutput)
        elif input.dim() == 2:
            # (each TH call at its Cosine.lua line: a bad gradOutput fails at several)
            with lua_line('nn/Cosine.lua:83'):
                inputNorm = self._inputNorm.expandAs(input)
            with lua_line('nn/Cosine.lua:84'):
                weightNorm = self._weightNorm.view(1, outputSize).expandAs(gradOutput)
            with lua_line('nn/Cosine.lua:86'):
                gi.copy(input).cdiv(inputNorm)
            with lua_line('nn/Cosine.lua:87'):
                go = self._buf('_gradOutput', gradOutput)
            with lua_line('nn/Cosine.lua:88'):
                go.resizeAs(gradOutput).copy(gradOutput)
            with lua_line('nn/Cosine.lua:89'):
                go.cmul(self.output)
            s = self._buf('_sum', input)
            with lua_line('nn/Cosine.lua:91'):
                s.sum(go, 2)
            with lua_line('nn/Cosine.lua:92'):
                gi.cmul(s.expandAs(input))
            with lua_line('nn/Cosine.lua:94'):
                go.resizeAs(gradOutput).copy(gradOutput)
            with lua_line('nn/Cosine.lua:95'):
                go.cdiv(weightNorm)
            with lua_line('nn/Cosine.lua:96'):
                gi.addmm(-1, gi, 1, go, self.weight)
            with lua_line('nn/Cosine.lua:98'):
                gi.cdiv(inputNorm)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        outputSize = self.weight.size(1)
        if input.dim() == 1:
            go = self._buf('_gradOutput', gradOutput)
            go.resizeAs(gradOutput).copy(gradOutput)
            weightNorm = self._weightNorm.view(outputSize)
            go.cdiv(weightNorm)
            norm = self.__dict__.get('__norm')
            if messages.lua_type(norm) != 'number':  # Cosine.lua's scale/self.__norm
                raise TorchError(messages.arith_text(messages.lua_type(norm), "field '__norm'"))
            self.gradWeight.addr(scale / norm, go, input)
            go.cdiv(weightNorm)
            go.cmul(self.output)
            w = self._buf('_weight', self.weight)
            # Cosine.lua resizes _weight as itself: it holds weight's size from updateGradInput
            w.resizeAs(w).copy(self.weight)
            w.cmul(go.view(outputSize, 1).expandAs(self.weight))
            self.gradWeight.add(-1, w)
        elif input.dim() == 2:
            w = self._buf('_weight', self.weight)
            w.resizeAs(self.weight).copy(self.weight)
            with lua_line('nn/Cosine.lua:131'):
                go = self._buf('_gradOutput', gradOutput)
            with lua_line('nn/Cosine.lua:132'):
                go.resizeAs(gradOutput).copy(gradOutput)
            with lua_line('nn/Cosine.lua:133'):
                go.cmul(self.output)
            s = self._buf('_sum', input)
            with lua_line('nn/Cosine.lua:135'):
                s.sum(go, 1)
            with lua_line('nn/Cosine.lua:136'):
                grad = s[1]
            with lua_line('nn/Cosine.lua:137'):
                grad.cdiv(self._weightNorm.select(2, 1))
            with lua_line('nn/Cosine.lua:138'):
                w.cmul(grad.view(outputSize, 1).expandAs(w))
            input_ = go
            with lua_line('nn/Cosine.lua:141'):
                input_.resizeAs(input).copy(input)
            with lua_line('nn/Cosine.lua:142'):
                input_.cdiv(self._inputNorm.expandAs(input))
            with lua_line('nn/Cosine.lua:143'):
                w.addmm(-1, w, 1, gradOutput.t(), input_)
            with lua_line('nn/Cosine.lua:145'):
                w.cdiv(self._weightNorm.expandAs(w))
            with lua_line('nn/Cosine.lua:146'):
                self.gradWeight.add(w)
        else:
            raise at_lua(TorchError('1D or 2D input expected'), 'nn/Cosine.lua:148')

    _BUFFERS = ('_input', '_weight', '_gradOutput', '_sum', '_inputNorm', '_weightNorm')

    def type(self, type=None, tensorCache=None):
        if type:
            # Cosine.lua: no premature allocations in the new type (`self._input = nil` ...:
            # each key set to nil, in this order, takes a node)
            for k in ('_input', '_weight', '_inputNorm', '_weightNorm', '_gradOutput', '_sum'):
                self.__dict__[k] = None
        return super().type(type, tensorCache)

    def clearState(self):
        utils.clear(self, self._BUFFERS)
        return super().clearState()
