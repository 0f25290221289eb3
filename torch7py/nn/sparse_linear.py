"""nn.SparseLinear: port of torch/nn SparseLinear.lua and THNN SparseLinear.c (a Linear layer on
sparse input: (nnz x 2) rows of (index, value), a table of them, or a (batch x nnz x 2) tensor)."""
import numpy as np

from . import _lua
from .. import messages
from .. import tensor as _tensor
from ..tensor import TorchError
from ._conv import init_bound
from ._thnn_check import THNN_WHERE
from ._kernels import arr, new_tensor, out_like
from .module import Module


class SparseLinear(Module):

    def __init__(self, inputSize, outputSize, doGradInput=False):
        super().__init__()
        self.weightDecay = 0
        self.doGradInput = doGradInput or False
        self.weight = new_tensor(outputSize, inputSize).zero()
        self.bias = new_tensor(outputSize).zero()
        self.gradWeight = new_tensor(outputSize, inputSize).zero()
        self.gradBias = new_tensor(outputSize).zero()
        self.sparseUpdate = 'none'
        self.gradInput = []
        self.output.resize(outputSize)
        self.reset()

    def reset(self, stdv=None):
        stdv = init_bound(stdv, self.weight.size(2))
        self.weight.uniform(-stdv, stdv)
        self.bias.uniform(-stdv, stdv).mul(0.000001)
        return self

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
        y = np.tile(arr(self.bias), (n, 1))
        contrib = (w[:, cols] * vals).T                        # (nnz, out)
        np.add.at(y, rows, contrib)
        out_like(self.output, y.shape if batch else (y.shape[1],))[...] = y if batch else y[0]
        return self.output

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        # its Lua: reshapeInput, self.lastInput or gradOutput.new(), then the THNN call
        inp, batch, legacy = self._reshape(input)
        self.legacyMode = legacy
        if self.__dict__.get('lastInput') is None:
            last = _lua.field_call(gradOutput, 'new', "local 'gradOutput'")()
            # its first call (NO_LAST_INPUT): self.lastInput:resizeAs(v):copy(v), v the
            # forward's formatted_input (the input in legacy mode): nil before any forward
            v = inp if legacy else self.__dict__.get('formatted_input')
            if not isinstance(v, _tensor.Tensor) or type(v) is not type(last):
                _lua.mcall(last, 'resizeAs', v)
        if legacy:
            _lua.thnn_call(inp, ('gradOutput', gradOutput), ("field 'gradWeight'",
                           self.gradWeight), ("field 'gradBias'", self.gradBias))
            if not (inp.dim() == 3 and inp.size(3) == 2):
                raise TorchError(messages.msg('thnn_argcheck', 2,
                                              'input size must be batchsize x nnz x 2'))
        elif not batch:
            _lua.mcall(gradOutput, 'size', 1, what="local 'gradOutput'")
        rows, cols, vals, n, batch = self._entries(input)
        go = arr(gradOutput).reshape(n, -1)
        gw = arr(self.gradWeight)
        np.add.at(gw.T, cols, scale * vals[:, None] * go[rows])
        gb = arr(self.gradBias)
        gb += scale * go.sum(axis=0)
        self.lastInput = input
        if self.weightDecay != 0:
            gw += self.weightDecay * arr(self.weight)

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

    def zeroGradParameters(self):
        self.gradWeight.zero()
        self.gradBias.zero()

    def clearState(self):
        self.lastInput = None  # (SparseLinear.lua: the key stays, set to nil)
        return super().clearState()
