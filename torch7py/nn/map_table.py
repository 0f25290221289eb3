"""nn.MapTable: port of torch/nn MapTable.lua (one module, cloned with shared parameters)."""
from ..messages import at_lua
from . import _lua, utils
from .container import Container


class MapTable(Container):
    """Applies clones of one module (sharing weight/bias and their gradients) to each input."""

    module = None  # MapTable() without a module: nil in Lua

    def __init__(self, module=None, shared=None):
        super().__init__()
        # Torch7 writes `shared or true`: always true; kept for parity
        self.shared = shared or True
        self.sharedparams = ['weight', 'bias', 'gradWeight', 'gradBias']
        self.output = []
        self.gradInput = []
        self.add(module)

    def _extend(self, n):
        if self.__dict__.get('sharedparams') is None:
            self.sharedparams = ['weight', 'bias', 'gradWeight', 'gradBias']
        if not self.modules:
            self.modules.append(self.module)
        else:
            self.modules[0] = self.module
        for i in _lua.upto(n)[1:]:
            if len(self.modules) < i or self.modules[i - 1] is None:
                c = (self.module.clone(*self.sharedparams) if self.__dict__.get('shared')
                     else self.module.clone())
                if len(self.modules) < i:
                    self.modules.append(c)
                else:
                    self.modules[i - 1] = c

    def resize(self, n):
        self._extend(n)
        for m in self.modules[n:]:
            m.clearState()
        del self.modules[n:]

    def add(self, module):
        if self.__dict__.get('module') is not None:
            raise at_lua(utils.TorchAssertionError('Single module required'), 'nn/MapTable.lua:37')
        self.module = module
        if module is None:
            self.__dict__.pop('module', None)
            return self
        if self.modules:
            self.modules[0] = module
        else:
            self.modules.append(module)
        return self

    def _lua_n(self, input):
        """self:_extend(#input); the loop's 1..#input (Lua's # and for on what input is)."""
        n = _lua.length(input, "local 'input'")
        self._extend(_lua.for_limit(n))
        return _lua.upto(n)

    def updateOutput(self, input):
        self.output = []
        for i in self._lua_n(input):
            self.output.append(self.rethrowErrors(self.modules[i - 1], i, 'updateOutput',
                                                  _lua.index(input, i)))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = []
        for i in self._lua_n(input):
            self.gradInput.append(self.rethrowErrors(
                self.modules[i - 1], i, 'updateGradInput', _lua.index(input, i),
                _lua.index(gradOutput, i, "local 'gradOutput'")))
        return self.gradInput

    def _each(self, method, input, gradOutput, arg):
        """The i-th clone's method(input[i], gradOutput[i], arg), for every input."""
        for i in self._lua_n(input):
            self.rethrowErrors(self.modules[i - 1], i, method, _lua.index(input, i),
                               _lua.index(gradOutput, i, "local 'gradOutput'"), arg)

    def accGradParameters(self, input, gradOutput, scale=1):
        self._each('accGradParameters', input, gradOutput, 1 if scale is None else scale)

    def accUpdateGradParameters(self, input, gradOutput, lr=1):
        self._each('accUpdateGradParameters', input, gradOutput, 1 if lr is None else lr)

    def zeroGradParameters(self):
        if self.__dict__.get('module') is not None:
            self.module.zeroGradParameters()

    def updateParameters(self, learningRate):
        if self.__dict__.get('module') is not None:
            self.module.updateParameters(learningRate)

    def clearState(self):
        for m in self.modules[1:]:
            m.clearState()
        del self.modules[1:]
        Container.clearState(self)  # (MapTable.lua's clearState returns nothing)

    def __tostring__(self):
        tab, line, extlast = '  ', '\n', '      '
        s = utils.typename(self)
        if self.__dict__.get('module') is not None:
            s += ' {' + line + tab + str(self.module).replace(line, line + tab + extlast)
            s += line + '}'
        else:
            s += ' { }'
        return s
