"""nn.Container: port of torch/nn Container.lua (the common code of every container)."""
from collections.abc import Mapping

from .. import messages
from ..tensor import TorchError
from .module import Module
from . import utils


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
        n = len(self.modules)
        if index < 0:
            index += n + 1
        if 1 <= index <= n:
            return self.modules[index - 1]
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
            if not isinstance(i, (int, float)) or isinstance(i, bool):
                # the handler's string.format('%d', moduleIndex) fails: LuaJIT's LUA_ERRERR
                raise TorchError('error in error handling') from None
            err.add_note('In %d module of %s:' % (moduleIndex, utils.typename(self)))
            raise

    def applyToModules(self, func):
        for m in self.modules:
            func(m)

    def zeroGradParameters(self):
        for m in self.modules:
            m.zeroGradParameters()

    def updateParameters(self, learningRate):
        for m in self.modules:
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
