"""nn.StochasticGradient: port of torch/nn StochasticGradient.lua (plain SGD over a dataset)."""
from .. import messages
from ..printing import lua_print
from ..tensor import TorchError
from . import _lua
from ._pointwise import lua_num


# the lines of StochasticGradient.lua (nn 8726825) whose LuaJIT errors name them
_AT_SIZE, _AT_EXAMPLE = 'nn/StochasticGradient.lua:19', 'nn/StochasticGradient.lua:32'


def _dataset_size(dataset):
    """``dataset:size()`` as Lua calls it (a method of a Python object, or a function field of
    a Lua table), its value as returned: train's Lua hands it to randperm and its for loops.
    A dataset that has none fails at line 19, as LuaJIT names it."""
    kind = messages.lua_type(dataset)
    if kind in messages.NOT_INDEXABLE:
        raise messages.at_lua(TorchError(messages.msg('index_local', 'dataset', kind)),
                              _AT_SIZE)
    size = getattr(dataset, 'size', None)
    if callable(size):
        return size()
    try:
        fn = dataset['size']
    except (KeyError, TypeError, IndexError):
        fn = None
    if not callable(fn):
        raise messages.at_lua(TorchError(messages.msg('call_nil_method', 'size')), _AT_SIZE)
    return fn(dataset)


def _example(dataset, i):
    """``dataset[i]`` with Lua's 1-based index (a Python list is indexed from 0); an example is
    ``{input, target}``: a missing one (nil) or one that is no table fails at line 32, where
    `local input = example[1]` indexes it."""
    if isinstance(dataset, (list, tuple)):
        ex = dataset[i - 1] if 0 < i <= len(dataset) else None
    else:
        try:
            ex = dataset[i]
        except (KeyError, IndexError):  # (a Lua table's missing key reads nil)
            ex = None
    kind = messages.lua_type(ex)
    if kind in messages.NOT_INDEXABLE:
        raise messages.at_lua(TorchError(messages.msg('index_local', 'example', kind)),
                              _AT_EXAMPLE)
    return ex, ex[0] if isinstance(ex, (list, tuple)) else ex[1], \
        ex[1] if isinstance(ex, (list, tuple)) else ex[2]


def _call_as_lua(f, *args):
    """f(*args) as Lua calls it: arguments beyond those f takes are dropped (a Python hook
    written for fewer arguments than Torch7 passes still works)."""
    import inspect
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):
        return f(*args)
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return f(*args)
    n = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)
    return f(*args[:n])


class StochasticGradient:
    """Torch7's nn.StochasticGradient(module, criterion); ``train(dataset)`` prints its progress."""

    typename = 'nn.StochasticGradient'

    def __init__(self, module, criterion):
        self.learningRate = 0.01
        self.learningRateDecay = 0
        self.maxIteration = 25
        self.shuffleIndices = True
        self.module = module
        self.criterion = criterion
        self.verbose = True

    def train(self, dataset):
        import torch7py as _torch
        iteration = 1
        currentLearningRate = self.learningRate
        module = self.module
        criterion = self.criterion
        size = _dataset_size(dataset)
        # the permutation is drawn even when unused, as in Torch7 (it moves the generator);
        # a size that is no number fails in randperm's argument check, as there
        shuffled = _torch.randperm(size, 'torch.LongTensor').numpy().tolist()
        n = len(_lua.upto(size))
        if not self.shuffleIndices:
            shuffled = list(range(1, n + 1))
        lua_print('# StochasticGradient: training')
        d = self.__dict__
        while True:
            currentError = 0
            for t in range(n):
                example, input, target = _example(dataset, shuffled[t])
                currentError = currentError + criterion.forward(module.forward(input), target)
                module.updateGradInput(input, criterion.updateGradInput(module.output, target))
                module.accUpdateGradParameters(input, criterion.gradInput, currentLearningRate)
                if d.get('hookExample'):
                    self.hookExample(self, example)
            currentError = currentError / size
            if d.get('hookIteration'):
                _call_as_lua(self.hookIteration, self, iteration, currentError)
            if d.get('verbose', True):
                lua_print('# current error = ' + lua_num(currentError))
            iteration += 1
            currentLearningRate = self.learningRate / (1 + iteration * self.learningRateDecay)
            if self.maxIteration > 0 and iteration > self.maxIteration:
                lua_print('# StochasticGradient: you have reached the maximum number of iterations')
                lua_print('# training error = ' + lua_num(currentError))
                break

    def __repr__(self):
        return self.typename
