"""nn.ClassNLLCriterion: port of torch/nn ClassNLLCriterion.lua and its THNN kernel."""
import math
import sys

import numpy as np

from .. import messages
from .. import tensor as _tensor
from ..luaresults import WithMore
from ..storage import c_cast
from ..tensor import TorchError
from .. import numerics
from . import _kernels, _lua, utils
from ._kernels import arr, lua_call_error, new_tensor, out_like, sizes_str
from ._thnn_check import error as thnn_error
from .criterion import Criterion

_THNN = (_tensor.DoubleTensor, _tensor.FloatTensor)
_NUMBERS = (bool, int, float)


class ClassNLLCriterion(Criterion):
    # (its Lua converts the target before the THNN call: _lua_call runs those lines in order)
    _thnn_own_checks = ('updateOutput', 'updateGradInput')

    def __init__(self, weights=None, sizeAverage=True, ignoreIndex=-100):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        self.ignoreIndex = -100 if ignoreIndex is None else ignoreIndex
        if weights is not None:
            if weights.dim() != 1:
                raise TorchError('weights input should be 1-D Tensor')
            self.weights = weights
        self.output_tensor = new_tensor(1).zero()
        self.total_weight_tensor = new_tensor(1).fill(1)
        self.target = _tensor.LongTensor(1).zero()

    def _set_target(self, target):
        t = type(target)
        if t is _tensor.DoubleTensor or t is _tensor.FloatTensor:
            # (a training batch's targets: the tensor case below, without its type tests)
            if not _refill(self.__dict__.get('target'), target):
                self.target = _long(target)
            return
        if isinstance(target, (int, float, np.integer, np.floating)) and \
                not isinstance(target, bool):
            if self.target.typename != 'torch.LongTensor':
                self.target = _tensor.LongTensor()
            if self.target._size != (1,):
                self.target.resize(1)
            self.target.numpy()[0] = int(target)
        elif utils.is_tensor(target):
            if target.typename == 'torch.LongTensor':
                self.target = target
            elif not _refill(self.__dict__.get('target'), target):
                self.target = _long(target)
        else:
            raise lua_call_error(target, 'target', 'long')  # ClassNLLCriterion.lua's target:long()

    def _plain(self, cls):
        """True where the fast paths' call passes every check of ClassNLLCriterion.lua's
        lines (cls the input's THNN type): the buffers THNN reads of the input's type, the
        numbers numbers. Else _lua_call runs those lines and raises their error."""
        d = self.__dict__
        return (type(d.get('output_tensor')) is cls and type(d.get('total_weight_tensor')) is cls
                and type(d.get('sizeAverage')) in _NUMBERS
                and type(d.get('ignoreIndex')) in _NUMBERS
                and isinstance(d.get('target'), _tensor.Tensor))

    def _lua_call(self, input, target, out_field):
        """ClassNLLCriterion.lua's lines before THNN, in its order: the number target into
        self.target:long()[1] or self.target = target:long() (both after
        torch.typename(input):find(...), nil for a non-object), (backward)
        self.gradInput:resizeAs(input), then the THNN call: input.THNN, the arguments' :cdata()
        (THNN.optionalTensor(self.weights) among them), then the FFI's conversions in the
        parameters' order (#3 target, #4 output, #5 sizeAverage, #6 weights, #7 total_weight,
        #8 ignoreIndex)."""
        if not isinstance(getattr(type(input), 'typename', None), str):
            # torch.typename(input) is nil: its :find on the number target's line (28, 56 in
            # updateGradInput) or the elseif's (35, 63)
            number = messages.lua_type(target) == 'number'
            raise messages.at_lua(TorchError(messages.msg('index_nil')), 'nn/ClassNLLCriterion.lua:%d'
                                  % ((28 if number else 35) if out_field == 'output_tensor' else
                                     (56 if number else 63)))
        d = self.__dict__
        if messages.lua_type(target) == 'number':
            self.target = _lua.mcall(d.get('target'), 'long', what="field 'target'")
            self.target.resize(1)
            self.target[1] = target
        else:
            self.target = _lua.mcall(target, 'long', what="local 'target'")
        if out_field == 'gradInput':
            _lua.mcall(_lua.mcall(d.get('gradInput'), 'resizeAs', input,
                                  what="field 'gradInput'"), 'zero')
        kind = messages.lua_type(input)
        if kind in messages.NOT_INDEXABLE:
            raise TorchError(messages.msg('index_local', 'input', kind))
        if type(input) not in _THNN:
            raise TorchError(messages.msg('index_field', 'THNN', 'nil'))
        w = d.get('weights')
        args = [(3, "field 'target'", self.target), (4, "field '%s'" % out_field,
                                                      d.get(out_field))]
        if w is not None and w is not False:  # THNN.optionalTensor: `t and t:cdata()`
            args.append((6, "local 't'", w))
        args.append((7, "field 'total_weight_tensor'", d.get('total_weight_tensor')))
        for _, what, v in args:  # the :cdata() calls, as Lua evaluates the arguments
            if not isinstance(v, _tensor.Tensor):
                vkind = messages.lua_type(v)
                if vkind in messages.NOT_INDEXABLE:
                    raise TorchError(messages.index_text(vkind, what))
                raise TorchError(messages.msg('call_nil_method', 'cdata'))
        nums = ((5, d.get('sizeAverage'), 'bool'), (8, d.get('ignoreIndex'), 'long'))
        for n, v, ctype in sorted([(n, v, None) for n, _, v in args] + list(nums),
                                  key=lambda a: a[0]):  # the FFI's conversions
            if ctype is None:
                # (target is THIndexTensor: a LongTensor whatever the input's type)
                if v.typename != input.typename and v.typename != 'torch.LongTensor':
                    raise TorchError(messages.msg('thnn_ffi_type', n, v.typename[6:],
                                                  input.typename[6:]))
            else:  # (nil converts to neither: "cannot convert 'nil' to 'bool'")
                vkind = messages.lua_type(v)
                if vkind not in ('number', 'boolean'):
                    raise TorchError(messages.ffi_convert(n, vkind, ctype))

    def _n_classes(self, input):
        """THNN's first line, `n_classes = THTensor_(size)(input, n_dims - 1)`: an empty input
        (no dimensions) fails its argument check."""
        if input.dim() == 0:
            raise thnn_error(messages.bad_argument(2, 'dimension 0 out of range of 0D tensor',
                                                   'v'))

    def _checked(self, input, grad=False):
        """THNN's argument checks: (targets as int64, weights or None, frames, classes); their
        THErrors carry THNN.lua:110, the line of its wrapper's call. grad: updateGradInput's
        (its weights' message names no sizes)."""
        self._n_classes(input)
        if self.target.dim() > 1:
            raise thnn_error('multi-target not supported')
        nd = input.dim()
        if nd not in (1, 2):
            raise thnn_error('input tensor should be 1D or 2D')
        n_classes = input._size[-1]
        batch = input._size[0] if nd == 2 else 1
        t = arr(self.target).reshape(-1)
        if t.dtype != np.int64:
            t = t.astype(np.int64)
        if nd == 1 and t.size > 1:
            # THNN's one-sample loop reads target[0] and checks no size (rnn's tests give a
            # vector output two targets)
            t = t[:1]
        if t.size != batch:
            raise thnn_error(messages.msg('thassert', 'THIndexTensor_(size)(target, 0) == '
                                                      'batch_size'))
        w = self.__dict__.get('weights')
        if w is not None and w.nElement() != n_classes and grad:
            raise thnn_error('weight tensor should be defined either for all or no classes')
        if w is not None and w.nElement() != n_classes:
            raise thnn_error('weight tensor should be defined either for all %d classes or no '
                             'classes but got weight tensor of shape: %s'
                             % (n_classes, sizes_str(w._size)))
        return t, w, batch, n_classes

    def _c_loop(self, input, x, t, w, batch, n_classes, grad, total=0.0):
        """THNN's loop in C (_nnk.class_nll) for a contiguous float input: (output,
        total_weight), or None for the forward when it does not apply; raises THNN's
        assertion for a target out of range."""
        if not (_kernels.c_ok(x, t) and t.flags.c_contiguous):
            return None
        wa = None
        if w is not None:
            wa = arr(w)
            if wa.dtype != x.dtype or not wa.flags.c_contiguous:
                return None
        r = _kernels._nnk.class_nll(x, t, wa, batch, n_classes, self._ignore(),
                                    bool(self.sizeAverage), input.dim() == 1, total, grad,
                                    x.dtype == np.float32)
        if not isinstance(r, tuple):
            raise TorchError(messages.msg('thassert', 'cur_target >= 0 && cur_target < n_classes'))
        return r

    def _ignore(self):
        """ignoreIndex as THNN's `long ignore_index` receives it: truncated, and a NaN or
        infinity as x86 converts it (the smallest long, which no valid target equals)."""
        v = self.ignoreIndex
        if type(v) is int:
            return v
        if isinstance(v, (int, np.integer)):
            return int(v)
        v = float(v)
        return math.trunc(v) if math.isfinite(v) else -2 ** 63

    def _targets(self, input):
        t, w, _batch, n_classes = self._checked(input)
        keep = t != self._ignore()
        bad = keep & ((t < 1) | (t > n_classes))
        if bad.any():
            raise TorchError(messages.msg('thassert', 'cur_target >= 0 && cur_target < n_classes'))
        rows = np.nonzero(keep)[0]
        cols = t[keep] - 1
        cw = arr(w)[cols] if w is not None else np.ones(cols.size)
        return rows, cols, cw

    def _vector_c(self, input, target, grad):
        """One sample (a vector input, a number target, no weights) straight to THNN's loop in
        C: the result of _c_loop without the general checks (those hold here); None when the
        general path decides."""
        gt = self.gradInput
        if (type(input) is not type(gt) or len(input._size) != 1 or input._stride != (1,)
                or type(target) not in (int, float) or not _kernels.use_c
                or _kernels._nnk is None or self.__dict__.get('weights') is not None):
            return None
        x = input.numpy()
        if x.dtype != np.float64 and x.dtype != np.float32:
            return None
        self._set_target(target)
        total = 0.0
        if grad:
            if gt._size != input._size:
                gt.resize(input._size[0])
            x = gt.numpy()
            total = float(self.total_weight_tensor.numpy()[0])
            if gt._stride != (1,):
                return None
        r = _kernels._nnk.class_nll(x, self.target.numpy(), None, 1, x.size, self._ignore(),
                                    bool(self.sizeAverage), True, total, grad,
                                    x.dtype == np.float32)
        if not isinstance(r, tuple):
            raise TorchError(messages.msg('thassert', 'cur_target >= 0 && cur_target < n_classes'))
        return r

    def _batch_c(self, input, target, grad):
        """A batch (a dense matrix input, a target tensor, no weights) straight to THNN's loop
        in C: the general path's result in fewer Python steps (after the network's big
        products each one runs from a cold cache, issue 16); None when the general path
        decides (it then raises Torch7's errors)."""
        gt = self.gradInput
        cls = type(input)
        size = input._size
        if (cls is not type(gt) or len(size) != 2 or input._stride != (size[1], 1)
                or not isinstance(target, _tensor.Tensor) or not _kernels.use_c
                or _kernels._nnk is None or self.__dict__.get('weights') is not None
                or not size[0] or not size[1]):
            return None
        if cls is _tensor.FloatTensor:
            single = True
        elif cls is _tensor.DoubleTensor:
            single = False
        else:
            return None
        x = input.numpy()
        self._set_target(target)  # ClassNLLCriterion.lua's self.target = target:long()
        t = self.target
        if t._size != (size[0],) or t._stride != (1,):
            return None
        total = 0.0
        if grad:
            if gt._size != size:
                gt.resize(*size)
            if gt._stride != (size[1], 1):
                return None
            x = gt.numpy()
            total = float(self.total_weight_tensor.numpy()[0])
        r = _kernels._nnk.class_nll(x, t.numpy(), None, size[0], size[1], self._ignore(),
                                    bool(self.sizeAverage), False, total, grad, single)
        if not isinstance(r, tuple):
            raise TorchError(messages.msg('thassert', 'cur_target >= 0 && cur_target < n_classes'))
        return r

    def updateOutput(self, input, target):
        try:
            return self._update_output(input, target)
        except TorchError as e:
            if str(e).startswith('Assertion `'):
                self._stopped_forward(input)
            raise

    def _stopped_forward(self, input):
        """output_tensor and total_weight_tensor as THNN's forward leaves them when one of its
        assertions stops it: both zeroed first, then (a matrix input) the sums of the frames
        before the bad target (so a backward after the failed forward sees that total weight,
        and returns early when it is 0, as Torch7's does)."""
        o, tw = self.output_tensor.numpy(), self.total_weight_tensor.numpy()
        dt = tw.dtype.type
        out, total = dt(0), dt(0)
        if input.dim() == 2:
            t = arr(self.target).reshape(-1).astype(np.int64)
            if t.size == input._size[0]:  # (else the batch size assertion, before the loop)
                x, nc, ign = arr(input), input._size[1], self._ignore()
                w = self.__dict__.get('weights')
                wa = arr(w).reshape(-1) if w is not None else None
                for i in range(t.size):
                    c = int(t[i])
                    if c == ign:
                        continue
                    if c < 1 or c > nc:
                        break
                    cw = dt(wa[c - 1]) if wa is not None else dt(1)
                    total = dt(total + cw)
                    out = dt(out - dt(x[i, c - 1]) * cw)
        o[0], tw[0] = out, total

    def _update_output(self, input, target):
        r = None
        cls = type(input)
        if cls is type(self.gradInput) and cls in _THNN and self._plain(cls):
            nd = len(input._size)
            r = self._batch_c(input, target, False) if nd == 2 else \
                self._vector_c(input, target, False) if nd == 1 else None
        if r is not None:
            o = self.output_tensor.numpy()
            o[0] = r[0]
            tw = self.total_weight_tensor.numpy()
            tw[0] = r[1]
            self.output = float(o[0])
            # (ClassNLLCriterion.lua: `return self.output, self.total_weight_tensor[1]`)
            return WithMore(self.output, float(tw[0]))
        self._lua_call(input, target, 'output_tensor')
        x = arr(input)
        t, w, batch, n_classes = self._checked(input)
        r = self._c_loop(input, x, t, w, batch, n_classes, False)
        if r is not None:
            self.output_tensor.numpy()[0], self.total_weight_tensor.numpy()[0] = r
            self.output = float(self.output_tensor.numpy()[0])
            return WithMore(self.output, float(self.total_weight_tensor.numpy()[0]))
        rows, cols, cw = self._targets(input)
        x = arr(input).reshape(-1, input._size[-1])
        # THNN: `output -= x[target] * weight` and `total_weight += weight`, in order, in real
        dt = x.dtype
        total = numerics.seqsum(np.asarray(cw, dt), dt)
        # 0 - sum, not -sum: THNN's output starts at +0 (a zero sum stays +0)
        out = dt.type(0) - numerics.seqsum(x[rows, cols] * np.asarray(cw, dt), dt)
        if self.sizeAverage and total:
            out = out / total
        total, out = float(total), float(out)
        self.output_tensor.numpy()[0] = out
        self.total_weight_tensor.numpy()[0] = total
        self.output = float(self.output_tensor.numpy()[0])
        return WithMore(self.output, float(self.total_weight_tensor.numpy()[0]))

    def updateGradInput(self, input, target):
        cls = type(input)
        tw = self.__dict__.get('total_weight_tensor')
        if isinstance(tw, _tensor.Tensor) and tw.nElement() >= 1 and \
                not float(tw.numpy().reshape(-1)[0]) > 0:
            # THNN returns before its target checks when total_weight is not > 0 (a forward
            # whose targets were all ignored, or that stopped at an assertion): the Lua's
            # zeroed gradInput (after THNN's first line, THTensor_(size)(input, n_dims - 1))
            self._lua_call(input, target, 'gradInput')
            self._n_classes(input)
            return self.gradInput
        if cls is type(self.gradInput) and cls in _THNN and self._plain(cls):
            nd = len(input._size)
            if (self._batch_c(input, target, True) if nd == 2 else
                    self._vector_c(input, target, True) if nd == 1 else None) is not None:
                return self.gradInput
        self._lua_call(input, target, 'gradInput')
        t, w, batch, n_classes = self._checked(input, grad=True)
        gi = out_like(self.gradInput, input._size)
        total = float(self.total_weight_tensor.numpy()[0])
        if gi.dtype == arr(input).dtype and self._c_loop(input, gi, t, w, batch, n_classes,
                                                         True, total) is not None:
            return self.gradInput
        rows, cols, cw = self._targets(input)
        gi.fill(0)
        if total <= 0:
            return self.gradInput
        g = gi.reshape(-1, input._size[-1])
        has_w = self.__dict__.get('weights') is not None
        if input.dim() == 1:
            g[rows, cols] = -cw if (not self.sizeAverage and has_w) else -1
        else:
            vals = -cw
            if self.sizeAverage and total:
                vals = vals / total
            g[rows, cols] = vals
        return self.gradInput


def _refill(old, target):
    """target:long() written into old, the LongTensor the criterion made for the last target,
    where that is the same as making the new one Torch7 makes: target a dense vector of
    floats, old a dense LongTensor of as many elements over a storage of exactly that size,
    and nothing but the criterion holding old, its storage, its buffer or a view of it (their
    reference counts those of such a tensor: see _PRIVATE), so that no one can tell the two
    apart. A training step's targets skip making a tensor, a storage and an array twice a step,
    each from a cold cache (issue 16). False when it does not apply (nothing done)."""
    if type(old) is not _tensor.LongTensor or not _kernels.use_c or _kernels._nnk is None:
        return False
    size = target._size
    if len(size) != 1 or old._size != size or target._stride != (1,) or old._stride != (1,) \
            or old._offset:
        return False
    a = target.numpy()
    single = a.dtype == np.float32
    if not single and a.dtype != np.float64:
        return False
    counts = _counts(old)
    if counts is None or counts != _PRIVATE[old._np is None]:
        return False
    data = old._storage._data
    if data.shape[0] != size[0]:
        return False
    _kernels._nnk.to_long(a, data, size[0], single)
    return True


def _counts(t):
    """The reference counts of t, its storage, its storage's array and its cached numpy view
    (as seen from here), or None where t has no storage or a memory-mapped one."""
    st = t._storage
    if st is None:
        return None
    data = st._data
    if type(data) is not np.ndarray or not data.flags.writeable:
        return None
    view = t._np
    return (sys.getrefcount(t), sys.getrefcount(st), sys.getrefcount(data),
            0 if view is None else sys.getrefcount(view))


def _private_counts():
    """_counts of a criterion's own target, held by nothing else, with and without its cached
    numpy view (measured once: the counts depend on the interpreter)."""
    class Holder:
        pass
    out = {}
    for viewed in (False, True):
        h = Holder()
        v = np.zeros(3, np.int64)
        lt = _tensor.LongTensor
        h.target = lt._make(lt.storage_class._wrap(v), 0, (3,), (1,))
        del v
        if viewed:
            h.target.numpy()
        out[not viewed] = _counts_as_refill(h)
    return out


def _counts_as_refill(holder):
    old = holder.__dict__.get('target')  # as _set_target passes it: one reference more
    return _counts(old)


def _long(target):
    """target:long(), a new LongTensor of its size holding its values cast as C casts them,
    built around the cast array (the training step's targets: no resize and copy)."""
    a = arr(target)
    if a.ndim == 0 or a.size == 0:
        return target.long()
    lt = _tensor.LongTensor
    if (a.ndim == 1 and (a.dtype == np.float32 or a.dtype == np.float64)
            and a.flags.c_contiguous and _kernels.use_c and _kernels._nnk is not None):
        # a vector of float targets (a training batch's): c_cast's values in one C loop,
        # without numpy's error-state switch around the cast
        v = np.empty(a.size, np.int64)
        _kernels._nnk.to_long(a, v, a.size, a.dtype == np.float32)
        return lt._make(lt.storage_class._wrap(v), 0, (a.size,), (1,))
    v = c_cast(a, np.int64)
    if v is a or not v.flags.c_contiguous or v.base is not None:
        return target.long()
    size = tuple(target._size)
    stride, n = [], 1
    for s in reversed(size):
        stride.append(n)
        n *= s
    return lt._make(lt.storage_class._wrap(v.reshape(-1)), 0, size, tuple(reversed(stride)))


_PRIVATE = _private_counts()
