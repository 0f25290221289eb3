"""nn.Concat: port of torch/nn Concat.lua (outputs of parallel branches joined along a dim)."""
import contextlib

from .. import messages
from ..messages import at_lua, bad_argument
from ..storage import LongStorage
from ..tensor import Tensor, TorchError
from . import _lua
from .container import Container, tree_string
from . import utils


def _set_sizes(storage, sizes):
    storage.resize(len(sizes))
    storage._data[:] = sizes
    return storage


def retable(t1, t2, f):
    """Torch7's retable: walk the nested table t2, calling f(t1, k, v) at its tensors."""
    for k, v in enumerate(t2):
        if isinstance(v, list):
            sub = t1[k] if k < len(t1) and isinstance(t1[k], list) else []
            utils.put(t1, k, retable(sub, v, f))
        elif k < len(t1):
            f(t1, k, v)
        else:
            t1.append(v.clone())  # what both f do for a missing element
    del t1[len(t2):]
    return t1


def _copy_into(t, k, v):
    if t[k] is None:
        t[k] = v.clone()
    t[k].resizeAs(v)
    t[k].copy(v)


def _add_into(t, k, v):
    if t[k] is not None:
        utils.add_(t[k], v)
    else:
        t[k] = v.clone()


def accumulate_table_grads(self, i, input, current):
    """The table-input branch of Concat/ConcatTable backward (gradInput is a table)."""
    if not isinstance(current, list):
        raise at_lua(TypeError('currentGradInput is not a table!'), self._table_grad_where[0])
    if len(input) != len(current):
        raise at_lua(ValueError('table size mismatch: %d ~= %d' % (len(input), len(current))),
                     self._table_grad_where[1])
    if i == 1:
        if not isinstance(self.gradInput, list):
            self.gradInput = []
        retable(self.gradInput, current, _copy_into)
    else:
        retable(self.gradInput, current, _add_into)


class Concat(Container):
    """Feeds the same input to every module and concatenates outputs along ``dimension``."""
    # where its Lua raises accumulate_table_grads's two errors
    _table_grad_where = ('nn/Concat.lua:59', 'nn/Concat.lua:62')
    # Concat.lua's lines of the calls that fail on a bad input or gradOutput: the window of
    # gradOutput in backward's loop over a table input (57) and over a tensor (92), its
    # gradInput:resizeAs(input) (87), the windows of accGradParameters (120) and
    # accUpdateGradParameters (132); a subclass with other Lua sets its own (or none)
    _lua_lines = {'table': 'nn/Concat.lua:57', 'resize': 'nn/Concat.lua:87',
                  'tensor': 'nn/Concat.lua:92', 'accGradParameters': 'nn/Concat.lua:120',
                  'accUpdateGradParameters': 'nn/Concat.lua:132', 'add': 'nn/Concat.lua:97'}

    def _at(self, key):
        where = self._lua_lines.get(key)
        return messages.lua_line(where) if where else contextlib.nullcontext()

    def __init__(self, dimension):
        super().__init__()
        self.outputSize = LongStorage()
        self.dimension = dimension

    def _window(self, tensor, current, offset):
        """Concat.lua's gradOutput:narrow(self.dimension, offset,
        currentOutput:size(self.dimension)) (self.output's window too, always a tensor): Lua
        indexes gradOutput for its method, evaluates the arguments, then calls the method."""
        if isinstance(tensor, Tensor):
            return tensor.narrow(self.dimension, offset, current.size(self.dimension))
        kind = messages.lua_type(tensor)
        if kind in messages.NOT_INDEXABLE:
            raise TorchError(messages.index_text(kind, "local 'gradOutput'"))
        n = _lua.mcall(current, 'size', self.dimension, what="local 'currentOutput'")
        return _lua.mcall(tensor, 'narrow', self.dimension, offset, n, what="local 'gradOutput'")

    def _forward_each(self, input):
        """Every module's output, and the size of their concatenation (grown by _grow)."""
        outs = []
        sizes = None
        for i, m in enumerate(self.modules, 1):
            out = self.rethrowErrors(m, i, 'updateOutput', input)
            outs.append(out)
            if i == 1:
                sizes = list(out._size)
            else:
                self._grow(sizes, out)
        return outs, sizes or []

    def _grow(self, sizes, out):
        if not 1 <= self.dimension <= len(sizes):  # self.outputSize[self.dimension] (Storage.c)
            raise TorchError(bad_argument(2, 'out of bounds'))
        sizes[self.dimension - 1] += out.size(self.dimension)

    def _copy_windows(self, outs, window):
        """Each output copied into its window of self.output, one after the other."""
        offset = 1
        for out in outs:
            window(self.output, out, offset).copy(out)
            offset += out.size(self.dimension)

    def _copy_concat(self, outs):
        """_copy_windows for Concat's own windows: an output of the window's shape, on another
        storage, is assigned through numpy (the same values: copy converts as a C cast does)
        without making a narrowed Tensor per module; any other goes through narrow and copy
        (their errors, TH's order where the memory overlaps)."""
        if not outs:
            return
        y = self.output
        ya = y.numpy()
        size = y._size
        offset = 0
        # (a dimension out of the output's range: the narrow path, whose
        # currentOutput:size(self.dimension) fails as nn's does)
        inside = type(self.dimension) is int and 1 <= self.dimension <= len(size)
        d = self.dimension - 1 if inside else None
        for out in outs:
            osize = getattr(out, '_size', ())
            if inside and type(out) is type(y) and len(osize) == len(size) \
                    and out._storage is not y._storage \
                    and all(a == b for k, (a, b) in enumerate(zip(osize, size)) if k != d):
                n = osize[d]
                ya[(slice(None),) * d + (slice(offset, offset + n),)] = out.numpy()
                offset += n
            else:
                self._window(y, out, offset + 1).copy(out)
                offset += out.size(self.dimension)

    def updateOutput(self, input):
        if self.__dict__.get('outputSize') is None:
            self.outputSize = LongStorage()
        outs, sizes = self._forward_each(input)
        _set_sizes(self.outputSize, sizes)
        self.output.resize(self.outputSize)
        self._copy_concat(outs)
        return self.output

    def _backward(self, method, input, gradOutput, scale=1):
        args = () if method == 'updateGradInput' else (scale,)
        offset = 1
        if isinstance(input, list):
            for i, m in enumerate(self.modules, 1):
                cur_out = m.output
                with self._at('table'):
                    window = self._window(gradOutput, cur_out, offset)
                cur = self.rethrowErrors(m, i, method, input, window, *args)
                accumulate_table_grads(self, i, input, cur)
                offset += cur_out.size(self.dimension)
            return self.gradInput
        if isinstance(self.gradInput, list):
            self.gradInput = input.clone()
        else:
            with self._at('resize'):
                self.gradInput.resizeAs(input)
        for i, m in enumerate(self.modules, 1):
            cur_out = m.output
            with self._at('tensor'):
                window = self._window(gradOutput, cur_out, offset)
            cur = self.rethrowErrors(m, i, method, input, window, *args)
            if cur is not None:
                if i == 1:
                    self.gradInput.copy(cur)
                elif type(cur) is not type(self.gradInput):
                    with self._at('add'):   # self.gradInput:add(currentGradInput): TH's types
                        _lua.mcall(self.gradInput, 'add', cur)
                else:
                    utils.add_(self.gradInput, cur)
            offset += cur_out.size(self.dimension)
        return self.gradInput

    def updateGradInput(self, input, gradOutput):
        return self._backward('updateGradInput', input, gradOutput)

    def backward(self, input, gradOutput, scale=1):
        return self._backward('backward', input, gradOutput, 1 if scale is None else scale)

    def _each_window(self, method, input, gradOutput, arg):
        """m:method(input, its window of gradOutput, arg) for every module m."""
        offset = 1
        for i, m in enumerate(self.modules, 1):
            cur_out = m.output
            with self._at(method):
                window = self._window(gradOutput, cur_out, offset)
            self.rethrowErrors(m, i, method, input, window, arg)
            offset += cur_out.size(self.dimension)

    def accGradParameters(self, input, gradOutput, scale=1):
        self._each_window('accGradParameters', input, gradOutput, 1 if scale is None else scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        self._each_window('accUpdateGradParameters', input, gradOutput, lr)

    def __tostring__(self):
        return tree_string(self)
