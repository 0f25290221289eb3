"""nn.CosineEmbeddingCriterion: port of torch/nn CosineEmbeddingCriterion.lua
(1 - cos for y = 1, max(0, cos - margin) for y = -1)."""
import numpy as np

from .. import messages, numerics
from .. import tensor as _tensor
from ..messages import msg, size_str
from ..tensor import TorchError
from . import _lua
from ._crit import values
from ._kernels import arr, new_tensor, out_like
from .criterion import Criterion


_FLOATS = (_tensor.DoubleTensor, _tensor.FloatTensor)
_NUMBERS = (int, float)
_BUFFERS = ('buffer', 'w1', 'w22', 'w', 'w32')


def _m(x, name, what, *args):
    return _lua.mcall(x, name, *args, what=what)


def _static(y, name, *args):
    """Lua's `y.name(a, b, c)`: y's method looked up (y nil, a number, a boolean fail to
    index; a string or a table has none) and called with the arguments as given."""
    _lua.field_call(y, name, "local 'y'")
    with messages.lua_method_call(name):
        return getattr(type(y), name)(*args)


class CosineEmbeddingCriterion(Criterion):

    def __init__(self, margin=None):
        super().__init__()
        self.margin = 0 if margin is None else margin
        self.gradInput = [new_tensor(), new_tensor()]
        self.sizeAverage = True

    def _parts(self, input, y):
        x1, x2 = _lua.index(input, 1), _lua.index(input, 2)   # a table's or a tensor's
        a = arr(x1)
        a = a.reshape(1, -1) if a.ndim == 1 else a
        if x1.nElement() != x2.nElement():  # the first buffer:cmul(input1, input2)
            s1, s2 = a.shape, ((1, -1) if x2.dim() == 1 else x2._size)
            s2 = (1, x2.nElement()) if s2 == (1, -1) else s2
            raise TorchError(msg('inconsistent_3', 'r_', size_str(s1), 't', size_str(s1), 'src',
                                 size_str(s2), a.size, a.size, x2.nElement()))
        b = arr(x2).reshape(a.shape)
        eps = 1e-12
        # w1:sum(buffer, 2) and the others: TH's sum along a dim of stride 1, each row added in
        # order in accreal (double for floats), then rounded to real; add(eps) and
        # cdiv(ones, w) in real
        R = a.dtype.type

        def rows(p):
            return numerics.seqsum_axis(p, 1, np.float64)[:, 0].astype(a.dtype)
        w1 = rows(a * b)
        w22 = R(1) / (rows(a * a) + R(eps))
        w32 = R(1) / (rows(b * b) + R(eps))
        w = np.sqrt(w22 * w32)
        cos = w1 * w
        yv = values(y).reshape(-1)
        out = np.where(yv == -1, np.maximum(cos - self.margin, 0),
                       np.where(yv == 1, 1 - cos, cos))
        return a, b, w1, w22, w32, w, yv, out

    def _number_y(self, input, y):
        # CosineEmbeddingCriterion.lua keeps a number y in its _y buffer
        if isinstance(y, (int, float)) and not isinstance(y, bool):
            x1 = _lua.index(input, 1)
            if self.__dict__.get('_y') is None:
                self._y = x1.new(1)
            self._y[1] = y

    @staticmethod
    def _fill(t, v):
        out_like(t, v.shape)[...] = v

    def _plain(self, input, y, backward):
        """True where the vectorised path gives what CosineEmbeddingCriterion.lua's lines
        give: a pair of float tensors of one size (a vector or a batch), y a number or a
        vector of their type with a value per row, the buffers (made by a forward on such a
        pair, for the backward) of their type. Else the Lua's lines run one by one."""
        x1, x2, ok = _lua.pair(input)
        cls = type(x1)
        if not ok or cls not in _FLOATS or x1._size != x2._size or len(x1._size) not in (1, 2):
            return False
        if len(x1._size) == 1 and not (x1.isContiguous() and x2.isContiguous()):
            return False  # (the Lua's input1:view(1, -1) asserts a contiguous tensor)
        rows = x1._size[0] if len(x1._size) == 2 else 1
        d = self.__dict__
        if type(y) in _NUMBERS:
            if type(d.get('_y')) is not cls and (backward or d.get('_y') is not None):
                return False
        elif type(y) is not cls or y._size != (rows,):
            return False
        if type(d.get('margin')) not in _NUMBERS or type(d.get('_idx')) is not _tensor.ByteTensor:
            return False
        if not backward:
            return d.get('buffer') is None or all(type(d.get(k)) is cls for k in _BUFFERS)
        g = d.get('gradInput')
        return (isinstance(g, list) and len(g) == 2 and type(g[0]) is cls
                and type(g[1]) is cls and all(type(d.get(k)) is cls for k in _BUFFERS)
                and all(d[k]._size == (rows, 1) for k in _BUFFERS[1:]))

    def _lua_forward(self, input, y):
        """CosineEmbeddingCriterion.lua's updateOutput, line by line on the tensors."""
        d = self.__dict__
        input1 = _lua.index(input, 1, "local 'input'")
        input2 = _lua.index(input, 2, "local 'input'")
        if messages.lua_type(y) == 'number':  # self._y = self._y or input1.new(1)
            if d.get('_y') is None or d.get('_y') is False:
                self._y = _lua.field_call(input1, 'new', "local 'input1'")(1)
            self._y[1] = y
            y = self._y
        if _m(input1, 'dim', "local 'input1'") == 1:
            input1 = _m(input1, 'view', "local 'input1'", 1, -1)
            input2 = _m(input2, 'view', "local 'input2'", 1, -1)
        if d.get('buffer') is None or d.get('buffer') is False:
            for k in _BUFFERS + ('_outputs',):
                d[k] = _lua.field_call(input1, 'new', "local 'input1'")()
            if _m(input1, 'type', "local 'input1'") == 'torch.CudaTensor':
                self._idx = _lua.field_call(input1, 'new', "local 'input1'")()
            else:
                self._idx = _tensor.ByteTensor()

        def f(k):
            return "field '%s'" % k
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:42'):
            _m(d.get('buffer'), 'cmul', f('buffer'), input1, input2)
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:43'):
            _m(d.get('w1'), 'sum', f('w1'), d.get('buffer'), 2)
        eps = 1e-12
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:46'):
            _m(d.get('buffer'), 'cmul', f('buffer'), input1, input1)
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:47'):
            _m(_m(d.get('w22'), 'sum', f('w22'), d.get('buffer'), 2), 'add', None, eps)
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:49'):
            _m(_m(d.get('_outputs'), 'resizeAs', f('_outputs'), d.get('w22')), 'fill', None, 1)
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:50'):
            _m(d.get('w22'), 'cdiv', f('w22'), d.get('_outputs'), d.get('w22'))
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:51'):
            _m(_m(d.get('w'), 'resizeAs', f('w'), d.get('w22')), 'copy', None, d.get('w22'))
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:53'):
            _m(d.get('buffer'), 'cmul', f('buffer'), input2, input2)
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:54'):
            _m(_m(d.get('w32'), 'sum', f('w32'), d.get('buffer'), 2), 'add', None, eps)
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:55'):
            _m(d.get('w32'), 'cdiv', f('w32'), d.get('_outputs'), d.get('w32'))
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:56'):
            _m(d.get('w'), 'cmul', f('w'), d.get('w32'))
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:57'):
            _m(d.get('w'), 'sqrt', f('w'))
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:59'):
            _m(d.get('_outputs'), 'cmul', f('_outputs'), d.get('w1'), d.get('w'))
        self._outputs = _m(d.get('_outputs'), 'select', f('_outputs'), 2, 1)
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:62'):
            _static(y, 'eq', d.get('_idx'), y, -1)
        o = self._outputs
        # self._outputs[self._idx] reads and writes through luaT's C __index/__newindex: a
        # mask of another size fails there without a position (messages.from_c)
        with messages.lua_line(''):
            sel = o[d.get('_idx')]
        r = _m(_m(sel, 'add', None, _lua.unm(d.get('margin'), f('margin'))), 'cmax', None, 0)
        with messages.lua_line(''):
            o[d.get('_idx')] = r
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:64'):
            _static(y, 'eq', d.get('_idx'), y, 1)
        with messages.lua_line(''):
            sel = o[d.get('_idx')]
        r = _m(_m(sel, 'mul', None, -1), 'add', None, 1)
        with messages.lua_line(''):
            o[d.get('_idx')] = r
        self.output = _m(o, 'sum', f('_outputs'))
        if d.get('sizeAverage') is not None and d.get('sizeAverage') is not False:
            self.output = _lua.div(self.output, _m(y, 'size', "local 'y'", 1))
        return self.output

    def _lua_backward(self, input, y):
        """CosineEmbeddingCriterion.lua's updateGradInput, line by line on the tensors (it
        reads the forward's buffers)."""
        d = self.__dict__
        v1 = _lua.index(input, 1, "local 'input'")
        v2 = _lua.index(input, 2, "local 'input'")
        not_batch = False
        if messages.lua_type(y) == 'number':  # self._y or input1.new(1): a global input1
            if d.get('_y') is None or d.get('_y') is False:
                raise TorchError(messages.index_text('nil', "global 'input1'"))
            self._y[1] = y
            y = self._y
        if _m(v1, 'dim', "local 'v1'") == 1:
            v1 = _m(v1, 'view', "local 'v1'", 1, -1)
            v2 = _m(v2, 'view', "local 'v2'", 1, -1)
            not_batch = True
        gw1 = _lua.index(d.get('gradInput'), 1, "field 'gradInput'")
        gw2 = _lua.index(d.get('gradInput'), 2, "field 'gradInput'")
        _m(_m(gw1, 'resizeAs', "local 'gw1'", v1), 'copy', None, v2)
        _m(_m(gw2, 'resizeAs', "local 'gw2'", v1), 'copy', None, v1)

        def f(k):
            return "field '%s'" % k
        _m(d.get('buffer'), 'cmul', f('buffer'), d.get('w1'), d.get('w22'))
        _m(gw1, 'addcmul', "local 'gw1'", -1, _m(d.get('buffer'), 'expandAs', f('buffer'), v1), v1)
        _m(gw1, 'cmul', "local 'gw1'", _m(d.get('w'), 'expandAs', f('w'), v1))
        _m(d.get('buffer'), 'cmul', f('buffer'), d.get('w1'), d.get('w32'))
        _m(gw2, 'addcmul', "local 'gw2'", -1, _m(d.get('buffer'), 'expandAs', f('buffer'), v1), v2)
        _m(gw2, 'cmul', "local 'gw2'", _m(d.get('w'), 'expandAs', f('w'), v1))
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:109'):
            _static(y, 'le', d.get('_idx'), d.get('_outputs'), 0)
        self._idx = _m(_m(d.get('_idx'), 'view', f('_idx'), -1, 1), 'expand', None,
                       _m(gw1, 'size', "local 'gw1'"))
        gw1[self._idx] = 0
        gw2[self._idx] = 0
        with messages.lua_line('nn/CosineEmbeddingCriterion.lua:114'):
            _static(y, 'eq', self._idx, y, 1)
        self._idx = _m(_m(self._idx, 'view', f('_idx'), -1, 1), 'expand', None,
                       _m(gw2, 'size', "local 'gw2'"))
        gw1[self._idx] = _m(gw1[self._idx], 'mul', None, -1)
        gw2[self._idx] = _m(gw2[self._idx], 'mul', None, -1)
        if d.get('sizeAverage') is not None and d.get('sizeAverage') is not False:
            _m(gw1, 'div', "local 'gw1'", _m(y, 'size', "local 'y'", 1))
            _m(gw2, 'div', "local 'gw2'", _m(y, 'size', "local 'y'", 1))
        if not_batch:
            _m(_lua.index(self.gradInput, 1), 'resize', None, _m(gw1, 'size', None, 2))
            _m(_lua.index(self.gradInput, 2), 'resize', None, _m(gw2, 'size', None, 2))
        return self.gradInput

    def updateOutput(self, input, y):
        if not self._plain(input, y, False):
            return self._lua_forward(input, y)
        x1 = _lua.index(input, 1)
        self._number_y(input, y)
        d = self.__dict__
        if d.get('buffer') is None:
            # CosineEmbeddingCriterion.lua's buffers, made together at the first call
            for k in ('buffer', 'w1', 'w22', 'w', 'w32', '_outputs'):
                d[k] = x1.new()
            self._idx = _tensor.ByteTensor()
        a, b, w1, w22, w32, w, yv, out = self._parts(input, y)
        # the buffers as its steps leave them
        self._fill(self.buffer, b * b)
        self._fill(self.w1, w1[:, None])
        self._fill(self.w22, w22[:, None])
        self._fill(self.w, w[:, None])
        self._fill(self.w32, w32[:, None])
        outs = x1.new()
        self._fill(outs, out.astype(a.dtype)[:, None])
        self._outputs = outs.select(2, 1)
        self._fill(self._idx, (yv == 1).astype(np.uint8))
        s = float(numerics.seqsum(out, np.float64))  # t:sum(): accreal, in order
        if self.sizeAverage:
            s /= yv.size
        self.output = s
        return self.output

    def updateGradInput(self, input, y):
        if not self._plain(input, y, True):
            return self._lua_backward(input, y)
        x1, x2 = _lua.index(input, 1), _lua.index(input, 2)
        self._number_y(input, y)
        a, b, w1, w22, w32, w, yv, out = self._parts(input, y)
        if self.__dict__.get('buffer') is not None:
            self._fill(self.buffer, (w1 * w32)[:, None])
            idx = _tensor.ByteTensor()
            self._fill(idx, (yv == 1).astype(np.uint8))
            self._idx = idx.view(-1, 1).expand(*a.shape)
        g1 = (b - (w1 * w22)[:, None] * a) * w[:, None]
        g2 = (a - (w1 * w32)[:, None] * b) * w[:, None]
        dead = (out <= 0)[:, None]
        g1 = np.where(dead, 0, g1)
        g2 = np.where(dead, 0, g2)
        flip = (yv == 1)[:, None]
        g1 = np.where(flip, -g1, g1)
        g2 = np.where(flip, -g2, g2)
        if self.sizeAverage:
            g1 /= yv.size
            g2 /= yv.size
        out_like(self.gradInput[0], x1._size)[...] = g1.reshape(arr(x1).shape)
        out_like(self.gradInput[1], x2._size)[...] = g2.reshape(arr(x1).shape)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        self._idx = None  # CosineEmbeddingCriterion.lua: a Byte mask whatever the type
        super().type(type)  # (its Lua's `parent.type(self,type)`: no tensorCache passed on)
        self._idx = _tensor.ByteTensor()
        return self
