"""nn.WeightedEuclidean: port of torch/nn WeightedEuclidean.lua (y_j = ||c_j * (x - w_j)|| with a
learnt diagonal covariance c_j per template)."""
from ..messages import at_lua
from ..tensor import TorchError
from . import _lua
from ._conv import init_bound
from ._kernels import new_tensor
from .euclidean import _view
from .module import Module


class WeightedEuclidean(Module):

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = new_tensor(inputSize, outputSize)
        self.gradWeight = new_tensor(inputSize, outputSize).zero()
        self.diagCov = new_tensor(inputSize, outputSize)
        self.gradDiagCov = new_tensor(inputSize, outputSize).zero()
        self.reset()

    def reset(self, stdv=None):
        stdv = init_bound(stdv, self.weight.size(1))
        self.weight.uniform(-stdv, stdv)
        self.diagCov.fill(1)
        return  # (its Lua returns nothing)
    def parameters(self):
        return [self.weight, self.diagCov], [self.gradWeight, self.gradDiagCov]

    # WeightedEuclidean.lua's tensor operations in its order, with its quirks kept: _expand2 is
    # _expand (`self._expand2 = self._expand or ...`), and a single sample's gradDiagCov is
    # accumulated without the scale
    def _buf(self, name, like):
        b = self.__dict__.get(name)
        if b is None:
            b = like.new()
            setattr(self, name, b)
        return b

    def updateOutput(self, input):
        diag = self._buf('_diagCov', self.output)
        inp = self._buf('_input', input)
        w_ = self._buf('_weight', self.weight)
        expand = self._buf('_expand', self.output)
        if self.__dict__.get('_expand2') is None:
            self._expand2 = expand
        expand2 = self._expand2
        expand3 = self._buf('_expand3', self.output)
        rep = self._buf('_repeat', self.output)
        self._buf('_repeat2', self.output)
        self._buf('_repeat3', self.output)
        inputSize, outputSize = self.weight.size(1), self.weight.size(2)
        if input.dim() == 1:
            _view(inp, input, inputSize, 1)
            expand.expandAs(inp, self.weight)
            rep.resizeAs(expand).copy(expand)
            rep.add(-1, self.weight)
            rep.cmul(self.diagCov)
            self.output.norm(rep, 2, 1)
            self.output.resize(outputSize)
        elif input.dim() == 2:
            batchSize = input.size(1)
            _view(inp, input, batchSize, inputSize, 1)
            expand.expand(inp, batchSize, inputSize, outputSize)
            rep.resizeAs(expand).copy(expand)
            w_.view(self.weight, 1, inputSize, outputSize)
            expand2.expandAs(w_, rep)
            diag.view(self.diagCov, 1, inputSize, outputSize)
            expand3.expandAs(diag, rep)
            rep.add(-1, expand2)
            rep.cmul(expand3)
            self.output.norm(rep, 2, 2)
            self.output.resize(batchSize, outputSize)
        else:
            raise at_lua(TorchError('1D or 2D input expected'), 'nn/WeightedEuclidean.lua:86')
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        div = self._buf('_div', input)
        out = self._buf('_output', self.output)
        expand4 = self._buf('_expand4', input)
        go = self._buf('_gradOutput', input)
        if not self.__dict__.get('fastBackward'):
            self.updateOutput(input)
        inputSize, outputSize = self.weight.size(1), self.weight.size(2)
        # dy_j/dx = c_j c_j (x - w_j) / y_j; the 1e-7 keeps a zero distance finite
        out.resizeAs(self.output).copy(self.output).add(0.0000001)
        _view(go, gradOutput, gradOutput.size())
        div.cdiv(gradOutput, out)
        rep, rep2 = self._repeat, self._repeat2
        if input.dim() == 1:
            div.resize(1, outputSize)
            expand4.expandAs(div, self.weight)
            rep2.cmul(rep, expand4)
            rep2.cmul(self.diagCov)
            self.gradInput.sum(rep2, 2)
            self.gradInput.resizeAs(input)
        elif input.dim() == 2:
            batchSize = input.size(1)
            div.resize(batchSize, 1, outputSize)
            expand4.expand(div, batchSize, inputSize, outputSize)
            rep2.cmul(rep, expand4)
            rep2.cmul(self._expand3)
            self.gradInput.sum(rep2, 3)
            self.gradInput.resizeAs(input)
        else:
            raise at_lua(TorchError('1D or 2D input expected'), 'nn/WeightedEuclidean.lua:149')
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        # assumes a preceding updateGradInput (its _repeat2 and _expand4)
        inputSize, outputSize = self.weight.size(1), self.weight.size(2)
        if scale is None:
            scale = 1
        # (without one, its tensor calls fail on the nil buffers, as the Lua's do)
        d = self.__dict__
        rep, rep2 = d.get('_repeat'), d.get('_repeat2')
        nd = _lua.mcall(input, 'dim', what="local 'input'")
        if nd == 1:
            _lua.mcall(self.gradWeight, 'add', _lua.unm(scale, "local 'scale'"), rep2)
            _lua.mcall(rep, 'cdiv', self.diagCov, what="field '_repeat'")
            rep.cmul(rep)
            rep.cmul(self.diagCov)
            rep2.cmul(rep, self._expand4)
            self.gradDiagCov.add(rep2)
        elif nd == 2:
            s = self._buf('_sum', input)
            _lua.mcall(s, 'sum', rep2, 1)
            s.resize(inputSize, outputSize)
            self.gradWeight.add(-scale, s)
            rep.cdiv(self._expand3)
            rep.cmul(rep)
            rep.cmul(self._expand3)
            rep.cmul(self._expand4)
            s.sum(rep, 1)
            s.resize(inputSize, outputSize)
            self.gradDiagCov.add(scale, s)
        else:
            raise at_lua(TorchError('1D or 2D input expected'), 'nn/WeightedEuclidean.lua:208')

    def accUpdateGradParameters(self, input, gradOutput, lr):
        gradWeight, gradDiagCov = self.gradWeight, self.gradDiagCov
        self.gradWeight, self.gradDiagCov = self.weight, self.diagCov
        try:
            self.accGradParameters(input, gradOutput, -lr)
        finally:
            self.gradWeight, self.gradDiagCov = gradWeight, gradDiagCov

    _BUFFERS = ('_input', '_output', '_gradOutput', '_weight', '_div', '_sum', '_expand',
                '_expand2', '_expand3', '_expand4', '_repeat', '_repeat2', '_repeat3')

    def type(self, type=None, tensorCache=None):
        if type:
            # WeightedEuclidean.lua: no premature allocations (each key set to nil, in this
            # order, takes a node)
            for k in self._BUFFERS:
                self.__dict__[k] = None
        return super().type(type, tensorCache)
