"""nn.SelectTable: port of torch/nn SelectTable.lua (one entry of a table; negative index)."""
from collections.abc import Mapping

from .. import messages
from ..messages import at_lua
from ..tensor import TorchError
from . import _lua, utils
from .utils import TorchAssertionError
from .module import Module


def _zero_entry(old, v):
    if isinstance(v, (list, Mapping)):
        return _zero_table_copy(old, v)
    if utils.is_tensor(v):
        return old.resizeAs(v).zero() if utils.is_tensor(old) else v.clone().zero()
    return None


def _zero_table_copy(t1, t2):
    """gradInput shaped as the input table, zeroed, reusing the tensors already there; a table
    with other keys than 1..n (a mapping) gives a dict with the same keys."""
    if messages.lua_type(t2) != 'table':  # SelectTable.lua's pairs(t2)
        raise TorchError(messages.pairs_error(t2))
    if isinstance(t2, Mapping):
        t1 = t1 if isinstance(t1, dict) else {}
        for k, v in t2.items():
            new = _zero_entry(t1.get(k), v)
            if new is None:
                t1.pop(k, None)
            else:
                t1[k] = new
        for k in [k for k in t1 if t2.get(k) is None]:
            del t1[k]
        return t1
    if not isinstance(t1, list):
        t1 = []
    del t1[len(t2):]
    for k, v in enumerate(t2):
        new = _zero_entry(t1[k] if k < len(t1) else None, v)
        if k < len(t1):
            t1[k] = new
        else:
            t1.append(new)
    return t1


def _recursive_copy(t1, t2):
    if isinstance(t2, Mapping):
        t1 = t1 if isinstance(t1, dict) else {}
        for k, v in t2.items():
            t1[k] = _recursive_copy(t1.get(k), v)
        return t1
    if isinstance(t2, list):
        t1 = t1 if isinstance(t1, list) else []
        del t1[len(t2):]
        for k, v in enumerate(t2):
            if k < len(t1):
                t1[k] = _recursive_copy(t1[k], v)
            else:
                t1.append(_recursive_copy(None, v))
        return t1
    if utils.is_tensor(t2):
        t1 = t1 if utils.is_tensor(t1) else t2.new()
        # utils.lua: t1:resize(t2:size()); t1:copy(t2): a tensor of another type takes the
        # values (no resizeAs type check)
        t1.resize(t2.size()).copy(t2)
        return t1
    raise at_lua(TorchError('expecting nested tensors or tables. Got %s and %s instead'
                     % (utils.typename(t1), utils.typename(t2))), 'nn/utils.lua:148')


class SelectTable(Module):

    def __init__(self, index):
        super().__init__()
        self.index = index
        self.gradInput = []

    def _index(self, input):
        index = self.index
        if isinstance(index, int) and isinstance(input, Mapping):
            # a table with holes ({a, nil, b}): gradInput is keyed as it, # is its border
            return _lua.length(input) + index + 1 if index < 0 else index
        if isinstance(index, int):
            index = len(input) + index + 1 if index < 0 else index
            if not 1 <= index <= len(input):
                raise TorchError('index does not exist in the input table')
            return index - 1
        # any other key (a string) names an entry of a table with such keys
        if not isinstance(input, Mapping) or input.get(index) is None:
            raise TorchError('index does not exist in the input table')
        return index

    def _lua_index(self, input):
        """SelectTable.lua's index: a negative number counts from #input's end."""
        index = self.index
        if messages.lua_type(index) == 'number' and index < 0:
            # (#input + index) + 1: a tensor's # is a LongStorage, which luaT cannot add to
            index = _lua.plus(_lua.length(input, "local 'input'"), index) + 1
        return index

    def updateOutput(self, input):
        # assert(input[index], ...) as Lua indexes what it is given (a tensor: its select)
        v = _lua.index(input, self._lua_index(input), "local 'input'")
        if v is None or v is False:
            raise at_lua(TorchError('index does not exist in the input table'),
                         'nn/SelectTable.lua:17')
        self.output = v
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = _zero_table_copy(self.gradInput, input)
        if _lua.index(self.gradInput, self._lua_index(input)) is None:
            # assert(self.gradInput[index]): LuaJIT 2.1's assert names its caller's line
            raise at_lua(TorchAssertionError('assertion failed!'), 'nn/SelectTable.lua:55')
        i = self._index(input)
        self.gradInput[i] = _recursive_copy(self.gradInput[i], gradOutput)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if type is not None:
            self.gradInput = []
            self.output = []
        return super().type(type, tensorCache)

    def __tostring__(self):
        return '%s(%s)' % (self.typename, self.index)
