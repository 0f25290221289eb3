"""nn.SparseLinear: port of nn 8726825's SparseLinear.lua and THNN SparseLinear.c (a Linear
layer on sparse input: (nnz x 2) rows of (index, value), a table of them, or a (batch x nnz x 2)
tensor, the legacy mode).

Its sparse updates as the Lua keeps them: sparseUpdate is NO_LAST_INPUT (0), ONE_LAST_INPUT (1)
or ACC_MULTIPLE_TIMES (2); the first accGradParameters after a zeroGradParameters copies the
forward's formatted input (the input in legacy mode) into the tensor lastInput, and while one
input only was accumulated, updateParameters and zeroGradParameters touch the columns it used
(THNN's SparseLinear_updateParameters / zeroGradParameters). accGradParameters resizes a 1-d
gradOutput to 1 x n in place (a second call on that tensor makes it 1 x 1: its gradBias update
then fails in TH's cadd, as the original's accUpdateGradParameters does)."""
import numpy as np

from . import _lua
from .. import messages
from .. import tensor as _tensor
from ..tensor import TorchError
from ._conv import init_bound
from ._thnn_check import THNN_WHERE
from ._kernels import arr, new_tensor, out_like
from .module import Module
from .utils import TorchAssertionError

NO_LAST_INPUT, ONE_LAST_INPUT, ACC_MULTIPLE_TIMES = 0, 1, 2


def _thnn_check(ok, arg, text):
    if not ok:
        raise TorchError(messages.msg('thnn_argcheck', arg, text))


def _rows_of(t, n, out_dim):
    """THNN's ROW_PTR2(t, h) read over out_dim elements with t's strides, for h < n: what the C
    reads (through the storage, whatever t's sizes say). Past the storage's end (a gradOutput
    narrower than outDim, or with fewer rows than the input's batch) the C reads memory that
    is not the storage's: no value of its own to give, those read as 0 here, and the checks
    that follow the products (the gradBias cadd's sizes) still raise THNN's errors."""
    data = t._storage._data if t._storage is not None else np.zeros(0)
    idx = (t._offset + np.arange(n)[:, None] * t._stride[0]
           + np.arange(out_dim)[None, :] * (t._stride[1] if t.dim() > 1 else 1))
    inside = (idx >= 0) & (idx < data.shape[0])
    if inside.all():
        return data[idx]
    rows = np.zeros(idx.shape, dtype=data.dtype)
    rows[inside] = data[idx[inside]]
    return rows


class SparseLinear(Module):

    def __init__(self, inputSize, outputSize, doGradInput=False):
        super().__init__()
        self.weightDecay = 0
        self.doGradInput = doGradInput or False
        self.weight = new_tensor(outputSize, inputSize).zero()
        self.bias = new_tensor(outputSize).zero()
        self.gradWeight = new_tensor(outputSize, inputSize).zero()
        self.gradBias = new_tensor(outputSize).zero()
        if not isinstance(self.doGradInput, bool):
            raise messages.at_lua(TorchAssertionError('assertion failed!'),
                                  'nn/SparseLinear.lua:19')
        self.sparseUpdate = NO_LAST_INPUT
        self.gradInput = []
        self.output.resize(outputSize)
        self.reset()

    def reset(self, stdv=None):
        stdv = init_bound(stdv, self.weight.size(2))
        self.weight.uniform(-stdv, stdv)
        self.bias.uniform(-stdv, stdv).mul(0.000001)
        return  # (its Lua returns nothing)
    def _entries(self, input):
        """(batch rows, 0-based feature indices, values) of every non-zero, and the batch size."""
        if isinstance(input, list):
            rows, cols, vals = [], [], []
            for b, t in enumerate(input):
                a = arr(t).reshape(-1, 2)
                rows.append(np.full(a.shape[0], b))
                cols.append(a[:, 0])
                vals.append(a[:, 1])
            n = len(input)
            if not n:
                return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), 0, True
            return (np.concatenate(rows), np.concatenate(cols).astype(np.int64) - 1,
                    np.concatenate(vals), n, True)
        a = arr(input)
        if a.ndim == 2:
            return np.zeros(a.shape[0], np.int64), a[:, 0].astype(np.int64) - 1, a[:, 1], 1, \
                False
        if a.ndim == 3:
            n = a.shape[0]
            return (np.repeat(np.arange(n), a.shape[1]), a[:, :, 0].reshape(-1).astype(np.int64)
                    - 1, a[:, :, 1].reshape(-1), n, True)
        raise TorchError('input must be a (nnz x 2) tensor, a table of them or a 3D tensor')

    def _reshape(self, input):
        """SparseLinear.lua's reshapeInput: (input, batchMode, legacyMode)."""
        if messages.torch_type(input) == 'table':
            return input, True, False
        if _lua.mcall(input, 'dim', what="local 'input'") == 2:
            return [input], False, False
        return input, True, True

    def _lua_format(self, input):
        """updateOutput's Lua lines before the arithmetic (reshapeInput, the table's
        formatted_input built with Lua's tensor calls, the THNN call's checks and C's input
        check); True for an empty table (the output is the bias then)."""
        inp, _, legacy = self._reshape(input)
        self.legacyMode = legacy
        fields = (("field 'output'", self.output), ("field 'weight'", self.weight),
                  ("field 'bias'", self.bias))
        if legacy:
            _lua.thnn_call(inp, *fields)
            if not (inp.dim() == 3 and inp.size(3) == 2):
                raise TorchError(messages.msg('thnn_argcheck', 2,
                                              'input size must be batchsize x nnz x 2'))
            return False
        if _lua.length(inp, "local 'input'") == 0:
            _lua.mcall(self.output, 'copy', self.bias)
            return True
        first = _lua.index(inp, 1)
        fi = self.__dict__.get('formatted_input')
        if fi is None:
            fi = self.formatted_input = _lua.field_call(first, 'new')()
        size = 0
        for _, v in _lua.ipairs(inp):
            size = size + _lua.mcall(v, 'size', 1)
        fi.resize(size, 3)
        marker = 1
        for i, v in _lua.ipairs(inp):
            buf = fi.narrow(1, marker, v.size(1))
            _lua.mcall(buf.narrow(2, 2, 2), 'copy', v)
            buf.select(2, 1).fill(i)
            marker = marker + v.size(1)
        # input[1].THNN.SparseLinear_updateOutput(self.formatted_input:cdata(), ...)
        _lua.thnn_call(first, *fields)
        return False

    def updateOutput(self, input):
        if self.__dict__.get('sparseUpdate') == ONE_LAST_INPUT:
            self.sparseUpdate = ACC_MULTIPLE_TIMES
        if self._lua_format(input):
            return self.output
        rows, cols, vals, n, batch = self._entries(input)
        bad = (vals != 0) & ((cols < 0) | (cols >= self.weight.size(2)))
        if bad.any():  # THNN's loop skips zero values, then checks each offset
            # (THError in SparseLinear.c, under THNN.lua's wrapper: its line 110)
            raise messages.at_lua(TorchError(messages.msg(
                'sparse_index', int(cols[bad][0]) + 1, self.weight.size(2))), THNN_WHERE)
        nz = vals != 0
        rows, cols, vals = rows[nz], cols[nz], vals[nz]
        w = arr(self.weight)
        # output = 0, one axpy per non-zero (its order), then each row's cadd of the bias
        y = np.zeros((n, w.shape[0]), dtype=w.dtype)
        contrib = (w[:, cols] * vals).T                        # (nnz, out)
        np.add.at(y, rows, contrib)
        y = arr(self.bias)[None, :] + y
        out_like(self.output, y.shape if batch else (y.shape[1],))[...] = y if batch else y[0]
        return self.output

    def accGradParameters(self, input, gradOutput, scale=1):
        # its Lua: reshapeInput, self.lastInput or gradOutput.new(), the sparse-update state,
        # then the THNN call
        inp, batch, legacy = self._reshape(input)
        self.legacyMode = legacy
        d = self.__dict__
        if d.get('lastInput') is None:
            self.lastInput = _lua.field_call(gradOutput, 'new', "local 'gradOutput'")()
        if d.get('sparseUpdate') == NO_LAST_INPUT:
            # self.lastInput:resizeAs(v):copy(v), v the forward's formatted_input (the input in
            # legacy mode): nil before any forward
            v = inp if legacy else d.get('formatted_input')
            _lua.mcall(self.lastInput, 'resizeAs', v)
            self.lastInput.copy(v)
            self.sparseUpdate = ONE_LAST_INPUT
        elif d.get('sparseUpdate') == ONE_LAST_INPUT:
            self.sparseUpdate = ACC_MULTIPLE_TIMES
        scale = 1 if scale is None else scale
        decay = d.get('weightDecay') or 0
        if legacy:
            _lua.thnn_call(inp, ('gradOutput', gradOutput), ("field 'gradWeight'",
                           self.gradWeight), ("field 'gradBias'", self.gradBias))
            _thnn_check(inp.dim() == 3 and inp.size(3) == 2, 2,
                        'input size must be batchsize x nnz x 2')
            self._acc_checks(gradOutput)
            n = inp.size(1)
            gradOutput.resize(n, self.weight.size(1))   # THTensor_(resize2d), in place
            rows, cols, vals, _, _ = self._entries(inp)
            # (its loop: entries by position i, then by sample h; zeros skipped)
            order = np.lexsort((rows, np.tile(np.arange(inp.size(2)), n)))
            rows, cols, vals = rows[order], cols[order], vals[order]
            keep = vals != 0
            rows, cols, vals = rows[keep], cols[keep], vals[keep]
        else:
            if not batch:
                n1 = _lua.mcall(gradOutput, 'size', 1, what="local 'gradOutput'")
                gradOutput.resize(1, n1)
            fi = self.formatted_input
            rows_t, cols_t = fi.select(2, 1), fi.select(2, 2)
            sortinds = cols_t * gradOutput.size(1) + rows_t
            _, inds = sortinds.sort(1, False)
            newinput = fi.index(1, inds)
            _lua.thnn_call(_lua.index(inp, 1), ('gradOutput', gradOutput),
                           ("field 'gradWeight'", self.gradWeight),
                           ("field 'gradBias'", self.gradBias))
            self._acc_checks(gradOutput)
            a = arr(newinput)
            rows, cols, vals = (a[:, 0].astype(np.int64) - 1, a[:, 1].astype(np.int64) - 1,
                                a[:, 2])
            n = None
        with messages.lua_line('nn/THNN.lua:110'):   # (THNN's C, called through THNN.lua)
            self._acc_compute(gradOutput, rows, cols, vals, n, legacy, scale, decay)

    def _acc_compute(self, gradOutput, rows, cols, vals, n, legacy, scale, decay):
        w = self.weight
        out_dim, in_dim = w.size(1), w.size(2)
        dt = arr(w).dtype
        bad = (cols < 0) | (cols >= in_dim)
        if bad.any():
            raise TorchError('index out of bound. accGradParameters: %d not between 1 and %d'
                             % (int(cols[bad][0]) + 1, in_dim))
        # gradWeight[:, offset] += (scale * value) * gradOutput[row], one entry after the other
        val = dt.type(scale) * vals.astype(dt)
        go_rows = _rows_of(gradOutput, int(rows.max()) + 1 if rows.size else 0, out_dim)
        gw = arr(self.gradWeight)
        np.add.at(gw.T, cols, val[:, None] * go_rows[rows])
        if legacy:
            # gradBias += scale * gradOutput[h], sample after sample
            for h in range(n):
                self.gradBias.add(self.gradBias, scale, gradOutput.select(1, h + 1))
        else:
            # buf = sum(gradOutput, 1) (keeping the dimension); gradBias += scale * buf
            buf = gradOutput.sum(1)
            self.gradBias.add(self.gradBias, scale, buf)
        if decay != 0:
            self.gradWeight.add(self.gradWeight, decay, self.weight)

    def _acc_checks(self, gradOutput):
        """THNN's accGradParameters checks after the input's."""
        out_dim, in_dim = self.weight.size(1), self.weight.size(2)
        gw, gb = self.gradWeight, self.gradBias
        _thnn_check(gw.dim() == 2 and tuple(gw._size) == (out_dim, in_dim), 4,
                    'gradWeight size wrong')
        _thnn_check(gb.dim() == 1 and gb.size(1) == out_dim, 5, 'gradBias size wrong')
        _thnn_check(gradOutput.isContiguous(), 1, 'gradOutput must be contiguous')

    def _last_offsets(self, what):
        """The 0-based columns of lastInput's non-zero values, in its order (THNN's loop)."""
        li = self.lastInput
        in_dim = self.weight.size(2) if what != 'zeroGradParameters' else \
            self.gradWeight.size(2)
        a = arr(li)
        if self.__dict__.get('legacyMode'):
            _thnn_check(li.dim() == 3 and li.size(3) == 2,
                        6 if what == 'updateParameters' else 4,
                        'input size must be batchsize x nnz x 2')
            a = a.reshape(-1, 2)
            cols, vals = a[:, 0], a[:, 1]
        else:
            _thnn_check(li.dim() == 2 and li.size(2) == 3,
                        6 if what == 'updateParameters' else 4,
                        'input must be in coo format, nnz x 3')
            cols, vals = a[:, 1], a[:, 2]
        keep = vals != 0
        cols = cols[keep].astype(np.int64) - 1
        bad = (cols < 0) | (cols >= in_dim)
        if bad.any():
            raise TorchError('index out of bound. %s: %d not between 1 and %d'
                             % (what, int(cols[bad][0]) + 1, in_dim))
        return cols

    def updateParameters(self, learningRate):
        d = self.__dict__
        if d.get('lastInput') is not None and d.get('sparseUpdate') == ONE_LAST_INPUT:
            # THNN's SparseLinear_updateParameters: the bias, then the used columns only
            w, gw = self.weight, self.gradWeight
            out_dim, in_dim = w.size(1), w.size(2)
            _thnn_check(gw.dim() == 2 and tuple(gw._size) == (out_dim, in_dim), 4,
                        'gradWeight size wrong')
            _thnn_check(self.bias.dim() == 1 and self.bias.size(1) == out_dim, 3,
                        'bias size wrong')
            _thnn_check(self.gradBias.dim() == 1 and self.gradBias.size(1) == out_dim, 5,
                        'gradBias size wrong')
            cols = self._last_offsets('updateParameters')
            if not cols.size:
                return
            self.bias.add(self.bias, -learningRate, self.gradBias)
            lr = arr(w).dtype.type(learningRate)
            wa, ga = arr(w), arr(gw)
            for c in np.unique(cols):
                wa[:, c] += -lr * ga[:, c]
            return
        super().updateParameters(learningRate)
        return

    def zeroGradParameters(self):
        d = self.__dict__
        if d.get('lastInput') is not None and d.get('sparseUpdate') == ONE_LAST_INPUT:
            # THNN's SparseLinear_zeroGradParameters: the bias, and the used columns
            gb = self.gradBias
            _thnn_check(gb.dim() == 1 and gb.size(1) == self.gradWeight.size(1), 3,
                        'gradBias size wrong')
            cols = self._last_offsets('zeroGradParameters')
            gb.zero()
            arr(self.gradWeight)[:, cols] = 0
        else:
            super().zeroGradParameters()
        self.sparseUpdate = NO_LAST_INPUT

    def updateGradInput(self, input, gradOutput):
        """SparseLinear.lua: the gradient is dense, gradOutput * weight, given as (index, value)
        rows over every input feature: a (batch x inputSize x 2) tensor for a 3-D input, else
        a table of (inputSize x 2) tensors, one per sample ({} without doGradInput)."""
        # (the mode of the last forward or accGradParameters, as its Lua's self.legacyMode)
        legacy = bool(self.__dict__.get('legacyMode'))
        if legacy:
            if not isinstance(self.gradInput, _tensor.Tensor) or \
                    type(self.gradInput) is not type(gradOutput):
                self.gradInput = gradOutput.new()
            self.gradInput.resizeAs(input)
        else:
            self.gradInput = []
        if self.doGradInput:
            go = arr(gradOutput)
            w = arr(self.weight)
            gi = (go @ w).reshape(-1, w.shape[1])
            ini = w.shape[1]
            index = np.arange(1, ini + 1)
            if legacy:
                g = out_like(self.gradInput, (self.gradInput.size(1), ini, 2))
                g[:, :, 0] = index
                g[:, :, 1] = gi
            else:
                for row in gi:
                    t = gradOutput.new(ini, 2)
                    a = arr(t)
                    a[:, 1] = row
                    a[:, 0] = index
                    self.gradInput.append(t)
        return self.gradInput

    def clearState(self):
        # SparseLinear.lua: if self.lastInput then self.lastInput:set() end, then
        # input.THNN.SparseLinear_cudaClearState(): `input` is a global there, which th
        # sets to penlight's pl.input table (no THNN field)
        li = self.__dict__.get('lastInput')
        if li is not None:
            li.set()
        raise messages.at_lua(TorchError(messages.msg('index_field', 'THNN', 'nil')),
                              'nn/SparseLinear.lua:240')
