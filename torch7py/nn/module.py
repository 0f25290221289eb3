"""nn.Module: port of torch/nn Module.lua (the base class of every layer and container)."""
import functools

import numpy as np

from .. import numerics
from . import _kernels, _lua, _state_dict, utils
from .. import messages
from ..fieldorder import note_constructed
from ..luaresults import NoResults
from ..storage import TorchError

# a gradient this large is zeroed with streaming stores (see _zero_grad)
STREAM_ZERO_BYTES = 1 << 20


def _zero_grad_at(g):
    """Module.lua's `gradParams[i]:zero()` (its line 79): a nil entry fails indexing there."""
    if g is None:
        raise messages.at_lua(TorchError(messages.MESSAGES["index_nil"]), 'nn/Module.lua:79')
    _zero_grad(g)


def _zero_grad(g):
    """g:zero(). A large contiguous gradient is zeroed with streaming stores: it is read again
    only when the backward pass accumulates into it, after the forward pass has streamed the
    weights and activations through the cache, so caching its zeros buys nothing, and a plain
    memset would first read every line it overwrites (issue 16: 0.6 ms of a 36 ms MLP step)."""
    size = getattr(g, '_size', None)
    if size is not None and (len(size) == 1 and size[0] * 8 < STREAM_ZERO_BYTES
                             or len(size) == 2 and size[0] * size[1] * 8 < STREAM_ZERO_BYTES):
        g.zero()  # a small vector or matrix (a bias, a small layer's gradWeight)
        return
    a = g.numpy() if _kernels.use_c and _kernels._nnk is not None and hasattr(g, 'numpy') \
        else None
    if a is not None and a.nbytes >= STREAM_ZERO_BYTES and a.flags.c_contiguous \
            and a.flags.writeable:
        _kernels._nnk.zero_stream(a)
    else:
        g.zero()


_NO_PARAMETERS = NoResults((None, None))

_c_fma = numerics._c.fma if numerics._c is not None else None
_FLOAT_KINDS = {}


def _dense(t):
    """t is laid out densely in row-major order (its own strides; no numpy flags needed)."""
    size = t._size
    n = len(size)
    if n == 1:
        return t._stride == (1,)
    if n == 2:
        return t._stride == (size[1], 1)
    st = t._stride
    step = 1
    for i in range(n - 1, -1, -1):
        if st[i] != step:
            return False
        step *= size[i]
    return True


def _update_param(p, g, learningRate):
    """params[i]:add(-learningRate, gradParams[i]) (Module.lua's updateParameters)."""
    if g is None:  # Torch7's params[i]:add(-lr, nil): cwrap's invalid arguments
        p.add(-learningRate, g)
    if type(g) is type(p) and g._size == p._size and numerics.exact:
        d, s = p.numpy(), g.numpy()
        if (d.dtype == s.dtype and d.dtype.kind == 'f' and d.flags.c_contiguous
                and s.flags.c_contiguous and d.flags.writeable):
            # add's THBlas_(axpy) in one C call, in OpenBLAS's order (without the C
            # extension: fused throughout)
            if not numerics.blas_axpy(-learningRate, s, d):
                numerics.fma_contiguous(s, -learningRate, d, d)
            return
    utils.add_(p, g, -learningRate)


def _axpy_dense(p, g, v):
    """p:add(v, g) as updateParameters' general path computes it (add's axpy in one C call),
    done here when p and g are dense float tensors of one type and size; False (nothing done)
    otherwise, the general path then decides (and raises Torch7's errors)."""
    tp = type(p)
    if (_c_fma is None and numerics._b is None) or not numerics.exact or type(g) is not tp \
            or g._size != p._size \
            or not p._size or p._storage is None or g._storage is None:
        return False
    single = _FLOAT_KINDS.get(tp)
    if single is None:
        k = np.dtype(tp.dtype)
        if k != np.float64 and k != np.float32:
            return False
        single = _FLOAT_KINDS[tp] = k == np.float32
    if p._stride != g._stride or not _dense(p):  # (g, of p's size, then dense too)
        return False
    d = p.numpy()
    try:  # a read-only buffer fails before anything is written
        if numerics._b is not None:  # THBlas_(axpy) in OpenBLAS's order
            numerics._b.axpy(float(v), g.numpy(), d)
        else:
            _c_fma(g.numpy(), float(v), d, d, single)
    except (BufferError, ValueError, TypeError):
        return False
    return True


def _lua_field(obj, name, local):
    """Lua's obj[name] in nn's code: a field of a module or a table, nil for what indexes to
    nothing (a string, a tensor), Lua's error for what cannot be indexed."""
    kind = messages.lua_type(obj)
    if kind in messages.NOT_INDEXABLE:
        raise TypeError(messages.msg('index_local', local, kind))
    d = getattr(obj, '__dict__', None)
    if isinstance(obj, Module) and d is not None:
        return d.get(name)
    if hasattr(obj, 'get') and hasattr(obj, 'keys'):
        return obj.get(name)
    return None


class Module:
    """Torch7's nn.Module. Instance fields (``__dict__``) are exactly Torch7's field names."""

    typename = 'nn.Module'
    # Python API beyond Torch7's class: a Lua script finds nil there, as in Torch7
    _py_only = frozenset(('named_parameters', 'state_dict', 'load_state_dict'))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if 'typename' not in cls.__dict__:
            cls.typename = 'nn.' + cls.__name__
        init = cls.__dict__.get('__init__')
        if init is not None:
            # the fields a constructor leaves nil never took a node (fieldorder: save order)
            @functools.wraps(init)
            def __init__(self, *args, _t7_init=init, **kwargs):
                _t7_init(self, *args, **kwargs)
                note_constructed(self)
            cls.__init__ = __init__

    def __init__(self):
        tensor_cls = utils.default_tensor_class()
        self.gradInput = tensor_cls()
        self.output = tensor_cls()
        self._type = tensor_cls.typename

    # ---- parameters and the three passes -------------------------------------------------

    def parameters(self):
        """Returns ``(params, gradParams)`` lists, or ``(None, None)`` when there are none
        (Module.lua's bare `return`: nothing, from Lua)."""
        weight = self.__dict__.get('weight')
        bias = self.__dict__.get('bias')
        if weight is not None and bias is not None:
            return [weight, bias], [self.__dict__.get('gradWeight'), self.__dict__.get('gradBias')]
        if weight is not None:
            return [weight], [self.__dict__.get('gradWeight')]
        if bias is not None:
            return [bias], [self.__dict__.get('gradBias')]
        return _NO_PARAMETERS

    def updateOutput(self, input):
        return self.output

    def forward(self, input):
        return self.updateOutput(input)

    # Module.lua's `return self:updateOutput(input)` is a tail call: Lua's caller gets what
    # updateOutput returned, no value where it returns none (a script's that only sets
    # self.output: select('#', m:forward(x)) is 0); the Lua layer reads this
    forward.lua_tail_call = "updateOutput"

    # a class's backward in one call where its two methods are its own (Linear's batch: one C
    # call): called with (self, input, gradOutput, scale), it answers self.gradInput, or None
    # with nothing done
    _backward_fast = None

    def backward(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        fast = type(self)._backward_fast
        if fast is not None:
            r = fast(self, input, gradOutput, scale)
            if r is not None:
                return r
        self.updateGradInput(input, gradOutput)
        self.accGradParameters(input, gradOutput, scale)
        return self.gradInput

    def backwardUpdate(self, input, gradOutput, lr):
        self.updateGradInput(input, gradOutput)
        self.accUpdateGradParameters(input, gradOutput, lr)
        return self.gradInput

    def updateGradInput(self, input, gradOutput):
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        pass

    def accUpdateGradParameters(self, input, gradOutput, lr):
        # Module.lua (nn 8726825): share() only sets the `shared` flags, and this function
        # dispatches on the flag through the object's own sharedAccUpdateGradParameters; a
        # class's own accUpdateGradParameters is what the object's lookup finds, shared or not.
        # A class that stores this very function as its sharedAccUpdateGradParameters (older
        # nn's Linear did) recurses until LuaJIT's 'stack overflow', as the reference does
        if self.__dict__.get('shared'):
            self.sharedAccUpdateGradParameters(input, gradOutput, lr)
        else:
            self.defaultAccUpdateGradParameters(input, gradOutput, lr)

    def defaultAccUpdateGradParameters(self, input, gradOutput, lr):
        # Torch7 points the gradient fields at the parameters and accumulates with -lr (a
        # non-number lr fails there: Lua's -lr)
        lr = -_lua.unm(lr, "local 'lr'")
        d = self.__dict__
        gradWeight, gradBias = d.get('gradWeight'), d.get('gradBias')
        if gradWeight is None and gradBias is None and d.get('weight') is None \
                and d.get('bias') is None:
            # nothing to point anywhere (Tanh and the like): the swap below would not change d
            self.accGradParameters(input, gradOutput, -lr)
            return
        utils.setfield(self, 'gradWeight', d.get('weight'))
        utils.setfield(self, 'gradBias', d.get('bias'))
        # (no finally: an error in accGradParameters leaves the fields pointing at the
        # parameters, as Module.lua's plain statements do; Bilinear's assert(scale >= 0) on the
        # reference leaves gradWeight == weight)
        self.accGradParameters(input, gradOutput, -lr)
        utils.setfield(self, 'gradWeight', gradWeight)
        utils.setfield(self, 'gradBias', gradBias)

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr):
        if self.parameters()[0] is not None:
            self.zeroGradParameters()
            self.accGradParameters(input, gradOutput, 1)
            self.updateParameters(lr)

    def _plain_parameters(self):
        """self.parameters() is Module.lua's (weight and bias, gradWeight and gradBias): not
        overridden by the class or by a field of the object."""
        return type(self).parameters is Module.parameters and 'parameters' not in self.__dict__

    def zeroGradParameters(self):
        if self._plain_parameters():
            # the two gradients, without the lists parameters() builds
            d = self.__dict__
            w, b = d.get('weight') is not None, d.get('bias') is not None
            grads = ((d.get('gradWeight'), d.get('gradBias')) if w and b else
                     (d.get('gradWeight' if w else 'gradBias'),) if w or b else ())
            # Module.lua loops 1..#{self.gradWeight, self.gradBias}: 2 when gradBias is set
            # (a nil gradWeight then fails), else 1 or 0
            for g in grads[:utils.constructor_len(grads)]:
                _zero_grad_at(g)
            return
        _, gradParams = self.parameters()
        if gradParams is not None:
            for g in gradParams:
                _zero_grad_at(g)

    def updateParameters(self, learningRate):
        if type(learningRate) is not float and (isinstance(learningRate, bool) or not isinstance(
                learningRate, (int, float, np.number))):
            self._lua_update_parameters(learningRate)  # (the error path)
            return
        if self._plain_parameters():
            # weight then bias, each in one C call when dense (parameters()' order)
            d = self.__dict__
            w, b = d.get('weight'), d.get('bias')
            if w is not None:
                g = d.get('gradWeight')
                if not _axpy_dense(w, g, -learningRate):
                    _update_param(w, g, learningRate)
            if b is not None:
                g = d.get('gradBias')
                if not _axpy_dense(b, g, -learningRate):
                    _update_param(b, g, learningRate)
            return
        params, gradParams = self.parameters()
        if params is not None:
            for p, g in zip(params, gradParams):
                _update_param(p, g, learningRate)

    def _lua_update_parameters(self, learningRate):
        """Module.lua's updateParameters line by line (a learning rate that is no number):
        params[i]:add(-learningRate, gradParams[i]) with Lua's unary minus and add's own
        argument check."""
        from . import _lua
        params, gradParams = self.parameters()
        if params is None:
            return
        for i in _lua.upto(_lua.length(params)):
            p = _lua.index(params, i)
            neg = _lua.unm(learningRate, "local 'learningRate'")
            _lua.mcall(p, 'add', neg, _lua.index(gradParams, i), what="field '?'")

    def training(self):
        self.train = True

    def evaluate(self):
        self.train = False

    # ---- sharing, cloning, types -----------------------------------------------------------

    def share(self, mlp, *names):
        for name in names:
            if name is None:  # Module.lua's ipairs(arg) stops at the first nil
                break
            if not isinstance(name, (str, int, float)):  # a table key: never a field
                continue
            mine = self.__dict__.get(name)
            if mine is not None:
                other = _lua_field(mlp, name, 'mlp')
                if other is None:
                    mine.set()
                else:
                    mine.set(other)
                self.shared = True
                if isinstance(mlp, Module):
                    mlp.shared = True
                elif hasattr(mlp, 'keys'):
                    mlp['shared'] = True
                elif isinstance(mlp, str):  # Lua: a string takes no fields
                    raise TypeError(messages.msg('index_local', 'mlp', 'string'))
                else:  # a tensor: luaT's __newindex
                    raise TypeError('the class %s cannot be indexed' % utils.typename(mlp))
        return self

    def clone(self, *names):
        """Torch7's serialize-to-memory-and-read-back, then ``share(self, *names)``."""
        c = utils.clone_value(self)
        if names:
            c.share(self, *names)
        return c

    def __deepcopy__(self, memo):
        return utils.deep_copy_object(self, memo)

    def __copy__(self):
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def type(self, type=None, tensorCache=None):
        if type is None:
            return self._type
        # (the type name is checked where a tensor converts: Tensor.lua's type, as in Torch7,
        # so a module holding no tensor takes any name)
        if not utils.is_cache(tensorCache) and messages.lua_type(tensorCache) in (
                'nil', 'table') or tensorCache is not None and not utils.is_cache(
                    tensorCache) and not utils.is_tensor(tensorCache) and messages.lua_type(
                    tensorCache) == 'userdata':
            # (a Lua list's keys are not Python's: a Python cache kept for that table; a
            # tensor is Torch7's cache too, where recursiveType fails on it)
            tensorCache = (utils.lua_table_cache(tensorCache)
                           if messages.lua_type(tensorCache) == 'table' else {})
        d = self.__dict__
        keys = list(d)
        if utils.is_tensor(tensorCache) or messages.lua_type(tensorCache) == 'string':
            # it fails on the first tensor of pairs(self)
            from ..luaorder import pairs_order
            keys = pairs_order(keys)
        for key in keys:
            d[key] = utils.recursiveType(d[key], type, tensorCache)
        self._type = type
        return self

    # Module.lua's float(...)/double(...) pass their arguments on; type takes two
    def float(self, *args):
        return self.type('torch.FloatTensor', *args[:1])

    def double(self, *args):
        return self.type('torch.DoubleTensor', *args[:1])

    def cuda(self, *args):
        # no GPU backend: converting a tensor fails (Torch7 without cutorch: Tensor.lua's type
        # indexes torch.getmetatable's nil); a module holding none converts, as there
        return self.type('torch.CudaTensor', *args[:1])

    def reset(self, *args):
        pass

    # ---- serialization hooks a Lua subclass calls from its own write/read (Module.lua) ----

    def write(self, file):
        """Writes every field as one table (what torch.save writes for a module)."""
        file.writeObject(dict(self.__dict__))

    def read(self, file, version=None):
        """Reads the table of fields written by write()."""
        fields = file.readObject()
        for k, v in (fields.items() if hasattr(fields, 'items') else enumerate(fields, 1)):
            utils.setfield(self, k, v)

    # ---- flattening ------------------------------------------------------------------------

    @staticmethod
    def flatten(parameters):
        return utils.flatten(parameters)

    def getParameters(self):
        parameters, gradParameters = self.parameters()
        p = utils.flatten(parameters)
        g = utils.flatten(gradParameters)
        if p.nElement() != g.nElement():
            # Module.lua's assert text, word for word
            raise messages.at_lua(utils.TorchAssertionError(
                'check that you are sharing parameters and gradParameters'), 'nn/Module.lua:327')
        if parameters is not None:
            for i, (w, gw) in enumerate(zip(parameters, gradParameters)):
                if w.storageOffset() != gw.storageOffset():
                    raise messages.at_lua(utils.TorchAssertionError(
                        'misaligned parameter at %d' % (i + 1)), 'nn/Module.lua:331')
        return p, g

    # ---- calling and traversal ---------------------------------------------------------------

    # torch7py.nngraph puts a function here when imported: module(node) then builds a graph
    # node (it answers NotImplemented for data, which is forwarded); nn never imports nngraph
    _graph_call = None

    def __call__(self, *args):
        hook = Module._graph_call
        if hook is not None:
            node = hook(self, args)
            if node is not NotImplemented:
                return node
        # Module.lua's __call__(input, gradOutput): a missing argument is nil (forward(nil)
        # fails where the module's updateOutput does), extra ones are ignored
        input = args[0] if args else None
        gradOutput = args[1] if len(args) > 1 else None
        self.forward(input)
        if gradOutput is not None:
            self.backward(input, gradOutput)
            return self.output, self.gradInput
        return self.output

    def apply(self, callback):
        callback(self)
        mods = self.__dict__.get('modules')
        if mods is not None:
            for m in mods:
                m.apply(callback)

    def findModules(self, typename, container=None):
        if container is None:
            container = self
        nodes, containers = [], []
        if utils.typename(self) == typename:
            nodes.append(self)
            containers.append(container)
        mods = self.__dict__.get('modules')
        if isinstance(mods, list):
            for child in mods:
                cn, cc = child.findModules(typename, self)
                nodes.extend(cn)
                containers.extend(cc)
        return nodes, containers

    def listModules(self):
        result = [self]
        mods = self.__dict__.get('modules')
        if mods is not None:
            for m in mods:
                sub = m.listModules()
                if sub:
                    result.extend(utils.flatten_list(sub))
        return result

    def clearState(self):
        return utils.clear(self, 'output', 'gradInput')

    def replace(self, callback):
        out = callback(self)
        mods = self.__dict__.get('modules')
        if mods is not None:
            for i, m in enumerate(mods):
                mods[i] = m.replace(callback)
        return out

    # ---- Python conveniences -------------------------------------------------------------------

    def named_parameters(self, prefix=''):
        """Yields ``(name, param)``: a leaf names its fields, a container adds 1-based indices
        (``'1.weight'``, ``'3.bias'``), as ``m.get(1).weight`` reads."""
        mods = self.__dict__.get('modules')
        if isinstance(mods, list):
            for i, m in enumerate(mods):
                yield from m.named_parameters('%s%d.' % (prefix, i + 1))
            return
        params, _ = self.parameters()
        if params is None:
            return
        names = {id(v): k for k, v in self.__dict__.items() if v is not None}
        for i, p in enumerate(params):
            yield prefix + names.get(id(p), str(i + 1)), p

    def state_dict(self, prefix=''):
        """PyTorch-style ``{'0.weight': tensor, ...}`` (0-based children), sharing storage."""
        return _state_dict.state_dict(self, prefix)

    def load_state_dict(self, state_dict, strict=True):
        """Copies a state_dict (torch7py or torch tensors, or arrays) into the parameters."""
        return _state_dict.load_state_dict(self, state_dict, strict)

    def __bool__(self):
        # a Lua object is always true; an empty container must not be falsy in Python
        return True

    def __tostring__(self):
        return utils.typename(self)

    # nn.Module.lua has no __tostring__ (torch's print falls back to the typename): in Lua
    # m.__tostring__ is nil unless the module's class (or a parent below Module) has its own
    __tostring__._t7_absent = True

    def __repr__(self):
        return self.__tostring__()

    def __str__(self):
        return self.__tostring__()
