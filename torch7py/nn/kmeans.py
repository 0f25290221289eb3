"""nn.Kmeans: port of torch/nn Kmeans.lua (online k-means: forward gives each sample's nearest
centre, accGradParameters moves the centres)."""
import math

import numpy as np

from .. import tensor as _tensor
from ._kernels import arr, new_tensor, out_like
from .module import Module
from .utils import TorchAssertionError


class Kmeans(Module):

    def __init__(self, k, dim, scale=None):
        super().__init__()
        if not k > 0:
            raise TorchAssertionError('Clusters cannot be 0 or negative.')
        if not dim > 0:
            raise TorchAssertionError('Dimensionality cannot be 0 or negative.')
        self.k = k
        self.dim = dim
        self.scale = scale
        self.weight = new_tensor(k, dim)
        self.gradWeight = new_tensor(k, dim).zero()
        self.loss = 0
        self.clusterSampleCount = new_tensor(k).zero()
        self.reset()

    def reset(self, stdev=None):
        stdev = 1 if stdev is None else stdev
        self.weight.uniform(-stdev, stdev)
        return self

    def _check(self, input):
        if input.dim() != 2:
            raise TorchAssertionError('Incorrect input dimensionality. Expecting 2D.')
        if input.size(2) != self.dim:
            raise TorchAssertionError("Dimensionality of input and weight don't match.")

    def initRandom(self, input):
        self._check(input)
        n = input.size(1)
        if n < self.k:
            raise TorchAssertionError('Need atleast k samples for initialization.')
        idx = new_tensor(self.k).zero()
        idx.random(1, n)
        w = arr(self.weight)
        w[...] = arr(input)[np.asarray(arr(idx)).astype(np.int64) - 1]

    def initKmeansPlus(self, input, p=None):
        import torch7py as torch
        self.p = p if p is not None else self.__dict__.get('p', 0.95)
        if not 0 <= self.p <= 1:
            raise TorchAssertionError('P value should be between 0-1.')
        self._check(input)
        x = arr(input)
        n = x.shape[0]
        pcount = max(int(math.ceil((1 - self.p) * n)), 1)
        w = arr(self.weight)
        w[0] = x[int(torch.random(n)) - 1]
        dist = np.full(n, np.inf)
        for k in range(1, self.k):
            d = ((x - w[k - 1]) ** 2).sum(axis=1)
            dist = np.minimum(dist, d)
            order = np.argsort(-dist, kind='stable')
            w[k] = x[order[int(torch.random(pcount)) - 1]]

    def updateOutput(self, input):
        self._check(input)
        x = arr(input)
        w = arr(self.weight)
        d = ((x[None, :, :] - w[:, None, :]) ** 2).sum(axis=2)      # (k, batch)
        idx = d.argmin(axis=0)
        if not isinstance(self.__dict__.get('_minIndx'), _tensor.LongTensor):
            # type() converts every tensor field; indices stay LongTensor
            self._minIndx = _tensor.LongTensor()
        out_like(self._minIndx, (x.shape[0],))[...] = idx + 1
        out_like(self.output, (x.shape[0],))[...] = idx + 1
        self.loss = float(d[idx, np.arange(x.shape[0])].sum())
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resize(*input._size).zero()
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        scale = self.__dict__.get('scale') or scale or 1
        if not scale > 0:
            raise TorchAssertionError(' Scale has to be positive.')
        x = arr(input)
        idx = arr(self._minIndx) - 1
        counts = np.bincount(idx, minlength=self.k).astype(x.dtype)
        arr(self.clusterSampleCount)[...] = counts
        w = arr(self.weight)
        step = -scale * (x - w[idx])
        acc = np.zeros_like(w)
        np.add.at(acc, idx, step)
        gw = arr(self.gradWeight)
        gw += acc / (counts + 0.0000001)[:, None]

    def clearState(self):
        # Kmeans.lua drops its buffers only: output stays, nothing returned
        for k in ('_expandedSamples', '_clusterDistances', '_temp', '_tempExpanded',
                  '_tempWeight', '_tempWeightExp', '_expandedWeight', '_minScore', '_minIndx',
                  '_cscAdder'):
            self.__dict__[k] = None  # (each key set to nil keeps its node)
