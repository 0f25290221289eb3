"""nn.Euclidean: port of torch/nn Euclidean.lua (y_j = ||w_j - x||; weight is in x out)."""
from ._conv import uniform_reset
from ._kernels import new_tensor
from ..messages import at_lua, lua_line
from ..tensor import TorchError
from . import _lua, utils
from .module import Module

_BUFFERS = ('_input', '_output', '_gradOutput', '_weight', '_div', '_sum', '_expand', '_expand2',
            '_expand3', '_repeat', '_repeat2')


def _view(res, src, *sizes):
    """Euclidean.lua's view: a view of a contiguous source, else a reshaped copy."""
    if src.isContiguous():
        res.view(src, *sizes)
    else:
        res.reshape(src, *sizes)


class Euclidean(Module):
    """Euclidean.lua's tensor operations in its order (expand, copy, add, norm; cdiv, cmul,
    sum), so that the roundings, the buffers and the errors are Torch7's."""

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = new_tensor(inputSize, outputSize)
        self.gradWeight = new_tensor(inputSize, outputSize).zero()
        self.gradInput.resize(inputSize)
        self.output.resize(outputSize)
        self.fastBackward = True
        self.reset()

    def reset(self, stdv=None):
        uniform_reset(self, self.weight.size(1), stdv)

    def _buf(self, name, like):
        b = self.__dict__.get(name)
        if b is None:
            b = like.new()
            setattr(self, name, b)
        return b

    def updateOutput(self, input):
        inp = self._buf('_input', input)
        w_ = self._buf('_weight', self.weight)
        expand = self._buf('_expand', self.output)
        expand2 = self._buf('_expand2', self.output)
        rep = self._buf('_repeat', self.output)
        self._buf('_repeat2', self.output)
        inputSize, outputSize = self.weight.size(1), self.weight.size(2)
        if input.dim() == 1:
            _view(inp, input, inputSize, 1)
            expand.expandAs(inp, self.weight)
            rep.resizeAs(expand).copy(expand)
            rep.add(-1, self.weight)
            self.output.norm(rep, 2, 1)
            self.output.resize(outputSize)
        elif input.dim() == 2:
            batchSize = input.size(1)
            _view(inp, input, batchSize, inputSize, 1)
            expand.expand(inp, batchSize, inputSize, outputSize)
            rep.resizeAs(expand).copy(expand)
            w_.view(self.weight, 1, inputSize, outputSize)
            expand2.expandAs(w_, rep)
            rep.add(-1, expand2)
            self.output.norm(rep, 2, 2)
            self.output.resize(batchSize, outputSize)
        else:
            raise at_lua(TorchError('1D or 2D input expected'), 'nn/Euclidean.lua:85')
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        div = self._buf('_div', input)
        out = self._buf('_output', self.output)
        go = self._buf('_gradOutput', input)
        expand3 = self._buf('_expand3', input)
        if not self.__dict__.get('fastBackward'):
            self.updateOutput(input)
        inputSize, outputSize = self.weight.size(1), self.weight.size(2)
        # dy_j/dx = (x - w_j) / y_j
        out.resizeAs(self.output).copy(self.output).add(0.0000001)
        _view(go, gradOutput, gradOutput.size())
        div.cdiv(gradOutput, out)
        rep, rep2 = self.__dict__.get('_repeat'), self.__dict__.get('_repeat2')
        if input.dim() in (1, 2) and (rep is None or rep2 is None):
            # before a forward: its self._repeat2:cmul(self._repeat, ...) fails on the nils
            _lua.mcall(rep2, 'cmul', rep, expand3, what="field '_repeat2'")
        if input.dim() == 1:
            div.resize(1, outputSize)
            expand3.expandAs(div, self.weight)
            rep2.cmul(rep, expand3)
            self.gradInput.sum(rep2, 2)
            with lua_line('nn/Euclidean.lua:129'):
                self.gradInput.resizeAs(input)
        elif input.dim() == 2:
            batchSize = input.size(1)
            div.resize(batchSize, 1, outputSize)
            expand3.expand(div, batchSize, inputSize, outputSize)
            rep2.cmul(rep, expand3)
            self.gradInput.sum(rep2, 3)
            with lua_line('nn/Euclidean.lua:144'):
                self.gradInput.resizeAs(input)
        else:
            raise at_lua(TorchError('1D or 2D input expected'), 'nn/Euclidean.lua:146')
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        # dy_j/dw_j = (w_j - x) / y_j; assumes a preceding updateGradInput (its _repeat2)
        inputSize, outputSize = self.weight.size(1), self.weight.size(2)
        if scale is None:
            scale = 1
        # (without one, its tensor calls fail on the nil _repeat2, as the Lua's do)
        rep2 = self.__dict__.get('_repeat2')
        nd = _lua.mcall(input, 'dim', what="local 'input'")
        if nd == 1:
            with lua_line('nn/Euclidean.lua:163'):
                _lua.mcall(self.gradWeight, 'add', _lua.unm(scale, "local 'scale'"), rep2,
                           what="field 'gradWeight'")
        elif nd == 2:
            s = self._buf('_sum', input)
            _lua.mcall(s, 'sum', rep2, 1)
            s.resize(inputSize, outputSize)
            with lua_line('nn/Euclidean.lua:168'):   # (a nil gradWeight: LuaJIT's index error)
                _lua.mcall(self.gradWeight, 'add', -scale, s, what="field 'gradWeight'")
        else:
            raise at_lua(TorchError('1D or 2D input expected'), 'nn/Euclidean.lua:170')

    def type(self, type=None, tensorCache=None):
        if type:
            self.clearState()  # Euclidean.lua: no premature allocations in the new type
        return super().type(type, tensorCache)

    def clearState(self):
        utils.clear(self, _BUFFERS)
        return super().clearState()
