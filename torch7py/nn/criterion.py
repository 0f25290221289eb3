"""nn.Criterion: port of torch/nn Criterion.lua (the base class of every loss)."""
from ..messages import at_lua
from .. import messages
from . import utils


class Criterion:
    """Torch7's nn.Criterion. ``output`` is a Python number, ``gradInput`` a tensor."""

    typename = 'nn.Criterion'

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if 'typename' not in cls.__dict__:
            cls.typename = 'nn.' + cls.__name__

    def __init__(self):
        self.gradInput = utils.default_tensor_class()()
        self.output = 0

    def updateOutput(self, input, target):
        return None

    def forward(self, input, target):
        return self.updateOutput(input, target)

    def backward(self, input, target):
        return self.updateGradInput(input, target)

    # Criterion.lua's forward/backward are tail calls (`return self:updateOutput(input,
    # target)`): the base class's updateOutput/updateGradInput, and a script's that only
    # set self.output, return nothing, which Lua's caller gets as no value
    # (print(nn.Criterion():forward(x, t)) prints an empty line); the Lua layer reads this
    forward.lua_tail_call = "updateOutput"
    backward.lua_tail_call = "updateGradInput"

    def updateGradInput(self, input, target):
        return None

    def clone(self):
        """Torch7's serialize-to-memory-and-read-back."""
        return utils.clone_value(self)

    def __deepcopy__(self, memo):
        return utils.deep_copy_object(self, memo)

    def type(self, type=None, tensorCache=None):
        if type is None:
            raise at_lua(utils.TorchAssertionError(
                'Criterion: must provide a type to convert to'), 'nn/Criterion.lua:32')
        if not utils.is_cache(tensorCache) and messages.lua_type(tensorCache) in (
                'nil', 'table', 'userdata'):
            # (a Lua list's keys are not Python's: a Python cache kept for that table; a
            # tensor keeps no conversions: a fresh cache)
            tensorCache = (utils.lua_table_cache(tensorCache)
                           if messages.lua_type(tensorCache) == 'table' else {})
        d = self.__dict__
        for key in list(d):
            d[key] = utils.recursiveType(d[key], type, tensorCache)
        return self

    def float(self):
        return self.type('torch.FloatTensor')

    def double(self):
        return self.type('torch.DoubleTensor')

    def cuda(self):
        # see Module.cuda
        return self.type('torch.CudaTensor')

    _graph_call = None  # see Module._graph_call: criterion(node) makes a graph node

    def __call__(self, *args):
        hook = Criterion._graph_call
        if hook is not None:
            node = hook(self, args)
            if node is not NotImplemented:
                return node
        # Criterion.lua's __call__(input, target): a missing argument is nil, extra ones ignored
        input = args[0] if args else None
        target = args[1] if len(args) > 1 else None
        self.output = self.forward(input, target)
        self.gradInput = self.backward(input, target)
        return self.output, self.gradInput

    def __tostring__(self):
        return utils.typename(self)

    # nn.Criterion.lua has no __tostring__ either: nil in Lua (see Module.__tostring__)
    __tostring__._t7_absent = True

    def __repr__(self):
        return self.__tostring__()

    def __str__(self):
        return self.__tostring__()
