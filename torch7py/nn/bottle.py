"""nn.Bottle: port of torch/nn Bottle.lua (leading dims folded into the batch dim around a module
that takes nInputDim-D input)."""
from ..messages import msg
from ..tensor import TorchError
from ._kernels import new_tensor
from .decorator import Decorator


class _NilModule:
    """self.modules[1] of a Bottle made without a module: Lua's nil, indexed by an expression
    (LuaJIT names no variable)."""

    def __getattr__(self, name):
        raise TorchError(msg('index_nil'))


_NIL_MODULE = _NilModule()


class Bottle(Decorator):

    def __init__(self, module, nInputDim=None, nOutputDim=None):
        super().__init__(module)
        self.nInputDim = nInputDim or 2
        self.nOutputDim = nOutputDim or self.nInputDim
        self.dimDelta = self.nInputDim - self.nOutputDim
        self.inShape = new_tensor(self.nInputDim)
        self.outShape = new_tensor(self.nOutputDim)
        self.output = new_tensor()
        self.gradInput = new_tensor()

    def _shape(self, t):
        return [int(v) for v in t.numpy().reshape(-1)]

    def updateOutput(self, input):
        batchDims = input.dim() - self.nInputDim + 1
        mod = self.modules[0] if self.modules else _NIL_MODULE
        if batchDims > 1:
            size = list(input._size)
            squeeze = 1
            for s in size[:batchDims - 1]:
                squeeze *= s
            inner = size[batchDims - 1:]
            inner[0] *= squeeze
            self.inShape.numpy()[...] = inner
            out = mod.updateOutput(input.view(*inner))
            if out.dim() != self.nOutputDim:
                raise TorchError('Wrong number of output dims on module. Expected: %d but got %d'
                                 % (self.nOutputDim, out.dim()))
            self.outShape.numpy()[...] = out._size
            osize = size[:batchDims - 1] + list(out._size)
            osize[batchDims - 1] //= squeeze
            self.output.set(out.view(*osize))
        else:
            self.output.set(mod.updateOutput(input))
        return self.output

    def updateGradInput(self, input, gradOutput):
        mod = self.modules[0] if self.modules else _NIL_MODULE
        if input.dim() > self.nInputDim:
            x = input.view(*self._shape(self.inShape))
            go = gradOutput.view(*self._shape(self.outShape))
            mod.updateGradInput(x, go)
            if mod.gradInput is not None:
                self.gradInput.set(mod.gradInput.viewAs(input))
            else:
                self.gradInput = None
        elif mod.gradInput is not None:
            self.gradInput.set(mod.updateGradInput(input, gradOutput))
        else:
            self.gradInput = None
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if input.dim() > self.nInputDim:
            input = input.view(*self._shape(self.inShape))
            gradOutput = gradOutput.view(*self._shape(self.outShape))
        self.modules[0].accGradParameters(input, gradOutput, scale)
