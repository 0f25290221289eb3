"""nn.Copy: port of torch/nn Copy.lua (converts the tensor type forward and back)."""
from .. import messages
from .. import tensor as _tensor
from ..tensor import TorchError
from .module import Module


def _new_of(name):
    """Copy.lua's torch.getmetatable(name).new(): a class name that names no tensor type
    gives nil there, which .new then indexes."""
    if isinstance(name, (list, dict, bool)) or callable(name):
        raise TorchError(messages.bad_argument(1, messages.msg(
            "type_expected", "string", messages.lua_type(name)), "getmetatable"))
    cls = _tensor.tensor_types.get(name) if isinstance(name, str) else None
    if cls is None:
        raise TorchError(messages.msg("index_nil"))
    return cls()


class Copy(Module):

    def __init__(self, intype=None, outtype=None, forceCopy=False, dontCast=None):
        default = _tensor.default_tensor_type().typename
        # (Lua's `intype or default`: only nil and false give the default, an empty table not)
        intype = default if intype is None or intype is False else intype
        outtype = default if outtype is None or outtype is False else outtype
        self.dontCast = dontCast  # (set before Module's fields, as Copy.lua; nil: no field)
        super().__init__()
        self.gradInput = _new_of(intype)
        self.output = _new_of(outtype)
        # Torch7 installs pass-through methods on the instance when no copy is needed
        if (not forceCopy) and intype == outtype:
            self._passthrough = True

    def updateOutput(self, input):
        if self.__dict__.get('_passthrough'):
            with messages.lua_line('nn/Copy.lua:16'):   # the function Copy.lua installs
                self.output.set(input)
            return input
        self.output.resize(*input._size).copy(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get('_passthrough'):
            with messages.lua_line('nn/Copy.lua:21'):
                self.gradInput.set(gradOutput)
            return gradOutput
        self.gradInput.resize(*gradOutput._size).copy(gradOutput)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if type is not None and self.__dict__.get('dontCast'):
            return self
        return super().type(type, tensorCache)
