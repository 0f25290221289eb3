"""nn.MapTable: port of torch/nn MapTable.lua (one module, cloned with shared parameters)."""
from .container import Container
from . import utils
from .utils import lua_at


class MapTable(Container):
    """Applies clones of one module (sharing weight/bias and their gradients) to each input."""

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
        for i in range(2, n + 1):
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
            raise utils.TorchAssertionError('Single module required')
        self.module = module
        if module is None:
            self.__dict__.pop('module', None)
            return self
        if self.modules:
            self.modules[0] = module
        else:
            self.modules.append(module)
        return self

    def updateOutput(self, input):
        self.output = []
        self._extend(len(input))
        for i, x in enumerate(input, 1):
            self.output.append(self.rethrowErrors(self.modules[i - 1], i, 'updateOutput', x))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = []
        self._extend(len(input))
        for i, x in enumerate(input, 1):
            self.gradInput.append(self.rethrowErrors(self.modules[i - 1], i, 'updateGradInput',
                                                     x, lua_at(gradOutput, i)))
        return self.gradInput

    def _each(self, method, input, gradOutput, arg):
        """The i-th clone's method(input[i], gradOutput[i], arg), for every input."""
        self._extend(len(input))
        for i, x in enumerate(input, 1):
            self.rethrowErrors(self.modules[i - 1], i, method, x, lua_at(gradOutput, i), arg)

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
        return Container.clearState(self)

    def __tostring__(self):
        tab, line, extlast = '  ', '\n', '      '
        s = utils.typename(self)
        if self.__dict__.get('module') is not None:
            s += ' {' + line + tab + str(self.module).replace(line, line + tab + extlast)
            s += line + '}'
        else:
            s += ' { }'
        return s
