"""nn.IndexLinear: port of torch/nn IndexLinear.lua and THNN IndexLinear.c (a Linear layer on
sparse input given as keys and values: a batch of per-sample tables, one sample, or flat
{keys, values, sizes}). Weight rows are indexed by key; gradients stay sparse until
updateParameters."""
import math

import numpy as np

from .. import tensor as _tensor
from ..tensor import TorchError
from ._kernels import arr, new_tensor, out_like
from .module import Module


class IndexLinear(Module):

    def __init__(self, inputSize, outputSize, doGradInput=False, keysOffset=None, weight=None,
                 bias=None, normalize=False):
        super().__init__()
        # with normalize, 4 extra columns per feature: max |value|, its inverse, a per-feature
        # bias and a spare one
        self.normalize = 4 if normalize else 0
        self.weight = weight if weight is not None else new_tensor(
            inputSize, outputSize + self.normalize).zero()
        self.bias = bias if bias is not None else new_tensor(outputSize).zero()
        self.inputSize = self.weight.size(1)
        self.outputSize = self.weight.size(2) - self.normalize
        self.gradWeight = new_tensor()
        self.gradBias = new_tensor(self.outputSize).zero()
        self.gradWeightBuffer = new_tensor()
        self.valuesBuffer = new_tensor()
        self.normalizedValues = new_tensor()
        self.running = {'cumSumSizes': [], 'keys': [], 'gradWeight': [], 'counter': 1}
        self.sizesCache = []
        self.cumSumSizesCache = []
        self.weightDecay = 0
        self.doGradInput = doGradInput or False
        self.offset = keysOffset - 1 if keysOffset is not None else -1

    def reset(self, stdv=None):
        if stdv is not None:
            stdv = stdv * math.sqrt(3)
        else:
            stdv = 1.0 / math.sqrt(self.weight.size(2))
        self.weight.uniform(-stdv, stdv)
        self.bias.uniform(-stdv, stdv).mul(0.000001)
        if self.normalize:
            arr(self.weight)[:, :self.normalize] = 0
        return self

    def _flatten(self, input):
        """Concatenated 0-based weight rows, values, and per-sample sizes."""
        if not isinstance(input, (list, tuple)) or len(input) not in (2, 3):
            raise TorchError('Wrong input format.')
        if len(input) == 3:
            keys, vals, sizes = input
            sizes = np.asarray(arr(sizes) if isinstance(sizes, _tensor.Tensor)
                               else [sizes]).astype(np.int64).reshape(-1)
            if keys.nElement() != vals.nElement():
                raise AssertionError('Keys and values should be of same size')
            self.isFlat, self.noBatch = True, False
            k, v = arr(keys).reshape(-1), arr(vals).reshape(-1)
        else:
            keys, vals = input
            if isinstance(keys, list) and isinstance(vals, list):
                self.isFlat, self.noBatch = False, False
            elif isinstance(keys, _tensor.Tensor) and isinstance(vals, _tensor.Tensor):
                keys, vals = [keys], [vals]
                self.isFlat, self.noBatch = False, True
            else:
                raise TorchError('Wrong input format.')
            for a, b in zip(keys, vals):
                if a.dim() != 1 or b.dim() != 1:
                    raise AssertionError('keys and values should be 1D')
            sizes = np.array([t.size(1) for t in keys], dtype=np.int64)
            k = np.concatenate([arr(t) for t in keys]) if keys else np.zeros(0)
            v = np.concatenate([arr(t) for t in vals]) if vals else np.zeros(0)
        rows = k.astype(np.int64) + self.offset
        if rows.size and (rows.min() < 0 or rows.max() >= self.inputSize):
            raise TorchError('index out of range')
        samples = np.repeat(np.arange(sizes.size), sizes)
        return rows, np.asarray(v, dtype=arr(self.weight).dtype), sizes, samples

    def _normalized(self, rows, v):
        """THNN's max-abs feature scaling: track max |value| per key (in training), then
        value / max + the feature's bias column."""
        w = arr(self.weight)
        if self.train is not False:
            a = np.abs(v)
            np.maximum.at(w[:, 0], rows, a)
            m = w[:, 0]
            w[:, 1] = np.where(m > 0, 1.0 / np.where(m > 0, m, 1), 0)
        return v * w[rows, 1] + w[rows, 2]

    def updateOutput(self, input):
        rows, v, sizes, samples = self._flatten(input)
        w = arr(self.weight)
        vals = v
        if self.normalize:
            vals = self._normalized(rows, v)
            out_like(self.normalizedValues, vals.shape)[...] = vals
        contrib = w[rows, self.normalize:] * vals[:, None]
        y = np.tile(arr(self.bias), (sizes.size, 1))
        np.add.at(y, samples, contrib)
        # kept as tensors (Torch7's keys, values, sizes, cumSumSizes) for the backward passes
        self.keys = _long(rows - self.offset)
        self.values = self.weight.new()
        if vals.size:
            self.values.resize(vals.size)
            arr(self.values)[...] = vals
        self.sizes = _long(sizes)
        self.cumSumSizes = _long(np.cumsum(sizes))
        out_like(self.output, (y.shape[1],) if self.noBatch else y.shape)[...] = \
            y[0] if self.noBatch else y
        return self.output

    def _saved(self):
        """0-based weight rows, values and sample of every entry of the last forward."""
        rows = np.asarray(arr(self.keys)).astype(np.int64) + self.offset
        vals = arr(self.values) if self.values.nElement() else np.zeros(0)
        sizes = np.asarray(arr(self.sizes)).astype(np.int64)
        return rows, vals, np.repeat(np.arange(sizes.size), sizes)

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        rows, vals, samples = self._saved()
        go = arr(gradOutput).reshape(-1, self.outputSize)
        g = scale * vals[:, None] * go[samples]
        if self.weightDecay:
            g = g + self.weightDecay * arr(self.weight)[rows, self.normalize:]
        gb = arr(self.gradBias)
        gb += scale * go.sum(axis=0)
        c = self.running['counter']
        keys, grads = self.running['keys'], self.running['gradWeight']
        while len(keys) < c:
            keys.append(None)
            grads.append(None)
        keys[c - 1] = _long(rows)
        gt = self.weight.new(*g.shape)
        arr(gt)[...] = g
        grads[c - 1] = gt
        self.running['counter'] = c + 1

    def accUpdateGradParameters(self, input, gradOutput, lr):
        rows, vals, samples = self._saved()
        go = arr(gradOutput).reshape(-1, self.outputSize)
        w = arr(self.weight)
        g = vals[:, None] * go[samples]
        if self.weightDecay:
            g = g + self.weightDecay * w[rows, self.normalize:]
        np.add.at(w[:, self.normalize:], rows, -lr * g)
        b = arr(self.bias)
        b -= lr * go.sum(axis=0)

    def updateGradInput(self, input, gradOutput):
        self.gradInput = []
        if self.doGradInput and self.normalize:
            raise TorchError('updateGradInput is not implemented in max-normalize mode')
        ini = self.inputSize
        if self.doGradInput:
            go = arr(gradOutput)
            go2 = go.reshape(1, -1) if go.ndim == 1 else go
            gi = go2 @ arr(self.weight).T
            indices = np.arange(1, ini + 1)
            if self.isFlat:
                k = _tensor.LongTensor(gi.shape[0], ini)
                arr(k)[...] = indices
                t = gradOutput.new(*gi.shape)
                arr(t)[...] = gi
                self.gradInput = [k, t]
            else:
                ks, ts = [], []
                for row in gi:
                    k = _tensor.LongTensor(ini)
                    arr(k)[...] = indices
                    t = gradOutput.new(ini)
                    arr(t)[...] = row
                    ks.append(k)
                    ts.append(t)
                self.gradInput = [ks, ts]
            if self.noBatch:
                if self.isFlat:
                    self.gradInput = [self.gradInput[0].resize(ini),
                                      self.gradInput[1].resize(ini)]
                else:
                    self.gradInput = [self.gradInput[0][0], self.gradInput[1][0]]
        return self.gradInput

    def updateParameters(self, lr):
        c = self.running['counter']
        if c > 1:
            w = arr(self.weight)[:, self.normalize:]
            for keys, g in zip(self.running['keys'][:c - 1], self.running['gradWeight'][:c - 1]):
                np.add.at(w, np.asarray(arr(keys)).astype(np.int64), -lr * arr(g))
            b = arr(self.bias)
            b -= lr * arr(self.gradBias)

    def zeroGradParameters(self):
        self.gradBias.zero()
        self.running['counter'] = 1

    def parameters(self):
        return [self.weight, self.bias], [self.running, self.gradBias]

    def clearState(self):
        self.running['keys'] = []
        self.running['gradWeight'] = []
        for k in ('keys', 'values', 'sizes', 'cumSumSizes'):
            self.__dict__.pop(k, None)
        return super().clearState()


def _long(a):
    t = _tensor.LongTensor(max(int(np.size(a)), 1))
    if np.size(a):
        arr(t)[...] = a
    else:
        t.set()
    return t
