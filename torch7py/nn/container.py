"""nn.Container: port of torch/nn Container.lua (the common code of every container)."""
from collections.abc import Mapping

from .. import messages
from ..messages import at_lua
from ..tensor import TorchError
from .. import numerics
from .. import tensor as _tensor
from .module import STREAM_ZERO_BYTES, Module, _dense
from . import _kernels, utils


def _modules_of(mlp):
    """Lua's mlp.modules, as a list: Lua's error where mlp indexes to nothing (a module with no
    modules field, a string, a tensor) or cannot be indexed."""
    kind = messages.lua_type_name(mlp)
    if kind in messages.NOT_INDEXABLE:
        raise TorchError(messages.msg('index_local', 'mlp', kind))
    if isinstance(mlp, Module):
        others = mlp.__dict__.get('modules')
    elif isinstance(mlp, Mapping):
        others = mlp.get('modules')
    else:
        others = None
    if others is None:
        raise TorchError(messages.msg('index_field', 'modules', 'nil'))
    if isinstance(others, Mapping):
        return [others.get(i) for i in range(1, len(others) + 1)]
    return list(others)


class Container(Module):
    """Holds child modules in ``self.modules`` (a Python list, 0-based; ``get`` is 1-based)."""

    def __init__(self, *args):
        super().__init__()
        self.modules = []

    def add(self, module):
        self.modules.append(module)
        return self

    def get(self, index):
        if isinstance(index, bool) or not isinstance(index, (int, float)):
            return None  # Container.lua: self.modules[index], nil for any other key
        # a Lua table's index: 1..#modules (an integral number) has a module; 0, a negative
        # or a fractional index is nil (no counting from the end: modules[-1] is nil)
        n = len(self.modules)
        if 1 <= index <= n and index == int(index):
            return self.modules[int(index) - 1]
        return None

    def size(self):
        return len(self.modules)

    def __len__(self):
        return len(self.modules)

    def __iter__(self):
        return iter(list(self.modules))

    def rethrowErrors(self, module, moduleIndex, funcName, *args):
        """Calls module.funcName(*args); an error gets a note naming the failing module."""
        if module is None:
            # Container.lua: xpcall(module[funcName], handleError, module, ...) (LuaJIT's
            # xpcall takes arguments): the index fails before the handler is set
            raise TorchError(messages.msg('index_local', 'module', 'nil'))
        try:
            return getattr(module, funcName)(*args)
        except Exception as err:
            mods = self.modules
            i = moduleIndex
            if module is not (mods[i - 1] if type(i) is int and 1 <= i <= len(mods) else None):
                # its first line: assert(module == self.modules[moduleIndex], ...)
                raise TorchError('mismatch between moduleIndex and self.modules in '
                                 'rethrowErrors') from None
            if type(err).__name__ == 'LuaError' and not str(err):
                # a Lua error value that is no string (error(), error(table), error(true):
                # lupa's text is empty): handleError's err:find(TRACEBACK_WARNING) fails on
                # it, LuaJIT's LUA_ERRERR, which rethrowErrors raises again (error(ret), line 67)
                raise at_lua(TorchError('error in error handling'), 'nn/Container.lua:67') from None
            if not isinstance(i, (int, float)) or isinstance(i, bool):
                # the handler's string.format('%d', moduleIndex) fails: LuaJIT's LUA_ERRERR
                raise at_lua(TorchError('error in error handling'), 'nn/Container.lua:67') from None
            err.add_note('In %d module of %s:' % (moduleIndex, utils.typename(self)))
            raise

    def applyToModules(self, func):
        for m in self.modules:
            func(m)

    def zeroGradParameters(self):
        mods = self.modules
        if _zero_all(mods):
            return
        for m in mods:
            m.zeroGradParameters()

    def updateParameters(self, learningRate):
        mods = self.modules
        if _update_all(mods, learningRate):
            return
        for m in mods:
            m.updateParameters(learningRate)

    def training(self):
        for m in self.modules:
            m.training()
        Module.training(self)

    def evaluate(self):
        for m in self.modules:
            m.evaluate()
        Module.evaluate(self)

    def share(self, mlp, *names):
        # Container.lua: self.modules[i]:share(mlp.modules[i], ...) for each of its modules
        mods = self.modules
        if not mods:
            return self
        others = _modules_of(mlp)
        for i, m in enumerate(mods):
            m.share(others[i] if i < len(others) else None, *names)
        return self

    def reset(self, stdv=None):
        for m in self.modules:
            if stdv is None:
                m.reset()
            else:
                m.reset(stdv)

    def parameters(self):
        w, gw = [], []
        for m in self.modules:
            mw, mgw = _params_of(m)
            if mw is not None:
                w.extend(utils.flatten_list(mw))
                gw.extend(utils.flatten_list(mgw))
        return w, gw

    def clearState(self):
        # Torch7 puts fresh objects in its own fields (set() could reset a child's tensor)
        utils.clear_fields(self, ('output', 'gradInput'), lambda t: t.new())
        mods = self.__dict__.get('modules')
        if mods is not None:
            for m in mods:
                m.clearState()
        return self


def _params_of(m):
    r = m.parameters()
    if r is None:
        return None, None
    if isinstance(r, tuple):
        if len(r) == 2:
            return r
        return (r[0], None) if r else (None, None)
    return r, None


def tree_string(self, last_arrow='   `-> '):
    """The ``input |`-> (i): ... -> output`` tree of Concat, ConcatTable, Parallel(Table)."""
    tab, line = '  ', '\n'
    nxt, ext, extlast, last = '  |`-> ', '  |    ', '       ', '   ... -> '
    s = utils.typename(self) + ' {' + line + tab + 'input'
    n = len(self.modules)
    for i, m in enumerate(self.modules, 1):
        if i == n:
            s += line + tab + last_arrow + '(%d): ' % i + str(m).replace(line, line + tab + extlast)
        else:
            s += line + tab + nxt + '(%d): ' % i + str(m).replace(line, line + tab + ext)
    return s + line + tab + last + 'output' + line + '}'


# ---- zeroGradParameters and updateParameters of a whole container in one C call each --------
# (issue 16: a step's Python calls each start from the cache its big products flushed). They
# apply where every module down the tree runs the package's own method (Container's, or
# Module's on Module's own parameters(): weight and bias, gradWeight and gradBias) and every
# gradient (parameter and gradient pair) is a dense float tensor that the per-module call
# would handle in one C call too; the arrays go to C in the modules' order, all taken before
# any is written. Anything else: False, nothing done, and the modules' own calls run.

_FLOATS = frozenset((_tensor.FloatTensor, _tensor.DoubleTensor))
_MANY_MAX = 64  # (_nnk_linear.c's MANY_MAX)


def _zero_arrays(mods, out):
    """The gradients mods' zeroGradParameters would zero, appended to out as arrays; False
    where some module or gradient is not a case for zero_many."""
    if type(mods) is not list:
        return False
    for m in mods:
        t = type(m)
        f = getattr(t, 'zeroGradParameters', None)
        d = m.__dict__ if f is not None else None
        if f is _MODULE_ZERO:
            if t.parameters is not _MODULE_PARAMETERS or 'parameters' in d \
                    or 'zeroGradParameters' in d:
                return False
            w, b = d.get('weight'), d.get('bias')
            if w is not None:
                g = d.get('gradWeight')
                if type(g) not in _FLOATS or not g._size or not _dense(g):
                    return False
                out.append(g.numpy())
            if b is not None:
                g = d.get('gradBias')
                if type(g) not in _FLOATS or not g._size or not _dense(g):
                    return False
                out.append(g.numpy())
        elif f is _CONTAINER_ZERO:
            if 'zeroGradParameters' in d or not _zero_arrays(d.get('modules'), out):
                return False
        else:
            return False
    return True


def _zero_all(mods):
    """Container.zeroGradParameters in one C call (see above); False where it does not
    apply (nothing written)."""
    k = _kernels._nnk
    if k is None or not _kernels.use_c:
        return False
    arrays = []
    if not _zero_arrays(mods, arrays) or len(arrays) > _MANY_MAX:
        return False
    try:
        k.zero_many(arrays, STREAM_ZERO_BYTES)
    except (BufferError, ValueError, TypeError):  # (a read-only one: taken before any write)
        return False
    return True


def _pair(p, g, ps, gs):
    """p and g go to axpy_many where the per-module call would make _exact's one fma call
    for them (module._axpy_dense): dense float tensors of one type, size and strides."""
    tp = type(p)
    if tp not in _FLOATS or type(g) is not tp or g._size != p._size or not p._size \
            or p._stride != g._stride or not _dense(p):
        return False
    ps.append(p.numpy())
    gs.append(g.numpy())
    return True


def _update_arrays(mods, ps, gs):
    """The (parameter, gradient) pairs mods' updateParameters would update, appended to ps
    and gs; False where some module or pair is not a case for axpy_many."""
    if type(mods) is not list:
        return False
    for m in mods:
        t = type(m)
        f = getattr(t, 'updateParameters', None)
        d = m.__dict__ if f is not None else None
        if f is _MODULE_UPDATE:
            if t.parameters is not _MODULE_PARAMETERS or 'parameters' in d \
                    or 'updateParameters' in d:
                return False
            w, b = d.get('weight'), d.get('bias')
            if w is not None and not _pair(w, d.get('gradWeight'), ps, gs):
                return False
            if b is not None and not _pair(b, d.get('gradBias'), ps, gs):
                return False
        elif f is _CONTAINER_UPDATE:
            if 'updateParameters' in d or not _update_arrays(d.get('modules'), ps, gs):
                return False
        else:
            return False
    return True


def _update_all(mods, learningRate):
    """Container.updateParameters in one C call (see above): p:add(-learningRate, g) for each
    pair, fused, as Module.updateParameters' fma call; False where it does not apply (nothing
    written)."""
    k = _kernels._nnk
    if type(learningRate) is not float and type(learningRate) is not int \
            or k is None or not _kernels.use_c or not numerics.exact \
            or numerics._c is None:
        return False
    ps, gs = [], []
    if not _update_arrays(mods, ps, gs) or len(ps) > _MANY_MAX:
        return False
    try:
        k.axpy_many(ps, gs, float(-learningRate), numerics.blas_fused)
    except (BufferError, ValueError, TypeError, OverflowError):
        return False
    return True


_MODULE_ZERO = Module.zeroGradParameters
_MODULE_UPDATE = Module.updateParameters
_MODULE_PARAMETERS = Module.parameters
_CONTAINER_ZERO = Container.zeroGradParameters
_CONTAINER_UPDATE = Container.updateParameters
