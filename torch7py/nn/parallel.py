"""nn.Parallel: port of torch/nn Parallel.lua (module i on slice i of inputDimension)."""
from .. import messages
from ..storage import LongStorage
from ..tensor import TorchError
from . import _lua
from .container import Container, tree_string
from .concat import _set_sizes


class Parallel(Container):
    """Module i gets ``input.select(inputDimension, i)``; outputs join along outputDimension."""

    def __init__(self, inputDimension=None, outputDimension=None):
        super().__init__()
        self.modules = []
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension

    def updateOutput(self, input):
        try:
            n = _lua.mcall(input, 'size', self.inputDimension, what="local 'input'")
        except TorchError as e:
            raise messages.at_lua(e, 'nn/Parallel.lua:11')
        outputs = []
        if self.__dict__.get('totalOutputSize') is None:
            self.totalOutputSize = LongStorage()
        od = self.outputDimension
        sizes = None
        for i in _lua.upto(n):  # (Lua's for: a limit that is no number fails)
            # (the locals are Parallel.lua's: Lua's errors name them)
            currentOutput = self.rethrowErrors(_lua.index(self.modules, i), i, 'updateOutput',
                                               input.select(self.inputDimension, i))
            outputs.append(currentOutput)
            try:  # Parallel.lua:20, after the module's forward
                outputSize = _lua.mcall(currentOutput, 'size', od,
                                        what="local 'currentOutput'")
            except TorchError as e:
                raise messages.at_lua(e, 'nn/Parallel.lua:20')
            if i == 1:
                sizes = list(currentOutput._size)
            else:
                sizes[od - 1] += outputSize
        _set_sizes(self.totalOutputSize, sizes or [])
        self.output.resize(self.totalOutputSize)
        offset = 1
        for cur in outputs:
            k = cur.size(od)
            self.output.narrow(od, offset, k).copy(cur)
            offset += k
        return self.output

    def updateGradInput(self, input, gradOutput):
        n = _lua.mcall(input, 'size', self.inputDimension, what="local 'input'")
        with messages.lua_line('nn/Parallel.lua:43'):
            self.gradInput.resizeAs(input)
        od = self.outputDimension
        offset = 1
        for i in _lua.upto(n):  # (Lua's for: a limit that is no number fails)
            module = _lua.index(self.modules, i)
            k = module.output.size(od)
            currentGradInput = self.rethrowErrors(module, i, 'updateGradInput',
                                                  input.select(self.inputDimension, i),
                                                  gradOutput.narrow(od, offset, k))
            self.gradInput.select(self.inputDimension, i).copy(currentGradInput)
            offset += k
        return self.gradInput

    def _acc(self, method, input, gradOutput, value):
        n = _lua.mcall(input, 'size', self.inputDimension, what="local 'input'")
        od = self.outputDimension
        offset = 1
        for i in _lua.upto(n):  # (Lua's for: a limit that is no number fails)
            module = _lua.index(self.modules, i)
            k = module.output.size(od)
            self.rethrowErrors(module, i, method, input.select(self.inputDimension, i),
                               gradOutput.narrow(od, offset, k), value)
            offset += k

    def accGradParameters(self, input, gradOutput, scale=1):
        self._acc('accGradParameters', input, gradOutput, 1 if scale is None else scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        self._acc('accUpdateGradParameters', input, gradOutput, lr)

    def __tostring__(self):
        return tree_string(self)
