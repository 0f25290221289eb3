"""nn.Decorator: port of torch/nn Decorator.lua (a container of one module it forwards every call
to)."""
from collections.abc import MutableMapping

from .. import messages
from ..tensor import TorchError
from .container import Container


class Decorator(Container):

    def __init__(self, module=None):
        super().__init__()
        # Decorator.lua's self.modules[1] = module: a Lua table stores no nil
        self.modules = [module] if module is not None else []

    def updateOutput(self, input):
        self.output = self.modules[0].updateOutput(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self.modules[0].updateGradInput(input, gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.modules[0].accGradParameters(input, gradOutput, scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        self.modules[0].accUpdateGradParameters(input, gradOutput, lr)

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr):
        self.modules[0].sharedAccUpdateGradParameters(input, gradOutput, lr)

    def __tostring__(self):
        return '%s @ %s' % (self.typename, self.modules[0].__tostring__())

    @staticmethod
    def decorate(klass):
        """Decorator.lua's multiple inheritance: klass (a class, or a Lua class table) takes
        Decorator's updateOutput, updateGradInput, accGradParameters,
        accUpdateGradParameters, sharedAccUpdateGradParameters and __tostring__ (rnn's
        BiSequencer, a Container, decorates itself so)."""
        for name in _DECORATED:
            f = Decorator.__dict__[name]
            if isinstance(klass, type):
                setattr(klass, name, f)
            elif isinstance(klass, MutableMapping):
                klass[name] = f
            else:  # Decorator.lua's class.updateOutput = ... on a value that is no table
                raise TorchError(messages.msg("index_local", "class", messages.lua_type(klass)))


_DECORATED = ('updateOutput', 'updateGradInput', 'accGradParameters', 'accUpdateGradParameters',
              'sharedAccUpdateGradParameters', '__tostring__')
