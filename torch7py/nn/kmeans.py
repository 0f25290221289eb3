"""nn.Kmeans: port of torch/nn Kmeans.lua (online k-means: forward gives each sample's nearest
centre, accGradParameters moves the centres)."""
import math

import numpy as np

from ..messages import at_lua, lua_line
from .. import tensor as _tensor
from . import _lua
from ._kernels import arr, new_tensor
from .module import Module
from .utils import TorchAssertionError


class Kmeans(Module):

    def __init__(self, k, dim, scale=None):
        super().__init__()
        # Kmeans.lua's assert(k > 0, ...), LuaJIT's 0 < k: a nil k fails the compare there
        with lua_line('nn/Kmeans.lua:12'):
            k_ok = _lua.lt(0, k)
        if not k_ok:
            raise at_lua(TorchAssertionError(
                'Clusters cannot be 0 or negative.'), 'nn/Kmeans.lua:12')
        with lua_line('nn/Kmeans.lua:13'):
            dim_ok = _lua.lt(0, dim)
        if not dim_ok:
            raise at_lua(TorchAssertionError(
                'Dimensionality cannot be 0 or negative.'), 'nn/Kmeans.lua:13')
        self.k = k
        self.dim = dim
        self.scale = scale
        self.weight = new_tensor(k, dim)
        self.gradWeight = new_tensor(k, dim).zero()
        self.loss = 0
        self.clusterSampleCount = new_tensor(k).zero()
        self.reset()

    def reset(self, stdev=None):
        # Kmeans.lua: stdev = stdev or 1, weight:uniform(-stdev, stdev); it returns nothing
        stdev = 1 if stdev is None or stdev is False else stdev
        self.weight.uniform(_lua.unm(stdev, "local 'stdev'"), stdev)

    def _check(self, input, sizes=True):
        # Kmeans.lua: input:nDimension() == 2, then (but in initKmeansPlus) input:size(2)
        if _lua.mcall(input, 'nDimension', what="local 'input'") != 2:
            raise TorchAssertionError('Incorrect input dimensionality. Expecting 2D.')
        if sizes and input.size(2) != self.dim:
            raise TorchAssertionError("Dimensionality of input and weight don't match.")

    def initRandom(self, input):
        self._check(input)
        n = input.size(1)
        if n < self.k:
            raise at_lua(TorchAssertionError(
                'Need atleast k samples for initialization.'), 'nn/Kmeans.lua:40')
        idx = new_tensor(self.k).zero()
        idx.random(1, n)
        w = arr(self.weight)
        w[...] = arr(input)[np.asarray(arr(idx)).astype(np.int64) - 1]

    def initKmeansPlus(self, input, p=None):
        import torch7py as torch
        self.p = p if p is not None else self.__dict__.get('p', 0.95)
        if not 0 <= self.p <= 1:
            raise at_lua(TorchAssertionError('P value should be between 0-1.'), 'nn/Kmeans.lua:53')
        self._check(input, sizes=False)
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
        # Kmeans.lua's updateOutput with its tensor calls: the buffers it keeps
        # (_expandedSamples, _clusterDistances, _temp, ... _minIndx) are fields a clone, a
        # save and clearState see, and the distances are its norm(2)^2, not a sum of squares
        self._check(input)
        if not input.isContiguous():
            raise at_lua(TorchAssertionError('Input is not contiguous.'), 'nn/Kmeans.lua:112')
        d = self.__dict__
        batchSize, dim, k = input.size(1), input.size(2), self.k
        for name, like in (('_expandedSamples', self.weight), ('_clusterDistances', self.weight),
                           ('_temp', input), ('_tempExpanded', input)):
            if d.get(name) is None:
                d[name] = like.new()
        self._temp.view(input, 1, batchSize, dim)
        self._tempExpanded.expand(self._temp, k, batchSize, dim)
        self._expandedSamples.resize(k, batchSize, dim).copy(self._tempExpanded)
        for name in ('_tempWeight', '_tempWeightExp'):
            if d.get(name) is None:
                d[name] = self.weight.new()
        # Kmeans.lua: self._expandedWeight = self._expanedWeight or ... (a new one each call)
        self._expandedWeight = d.get('_expanedWeight') or self.weight.new()
        self._tempWeight.view(self.weight, k, 1, dim)
        self._tempWeightExp.expand(self._tempWeight, self._expandedSamples.size())
        self._expandedWeight.resize(k, batchSize, dim).copy(self._tempWeightExp)
        self._expandedSamples.add(-1, self._expandedWeight)
        self._clusterDistances.norm(self._expandedSamples, 2, 3)
        self._clusterDistances.pow(2)
        self._clusterDistances.resize(k, batchSize)
        if d.get('_minScore') is None:
            self._minScore = self.weight.new()
        if d.get('_minIndx') is None:
            self._minIndx = _tensor.LongTensor()
        self._minScore.min(self._minIndx, self._clusterDistances, 1)
        self._minIndx.resize(batchSize)
        self.output.resize(batchSize).copy(self._minIndx)
        self.loss = self._minScore.sum()
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resize(*input._size).zero()
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        scale = self.__dict__.get('scale') or scale or 1
        if not _lua.lt(0, scale):
            raise at_lua(TorchAssertionError(' Scale has to be positive.'), 'nn/Kmeans.lua:168')
        self._lua_acc(input, scale)
        return

    def _lua_acc(self, input, scale):
        """Kmeans.lua's accGradParameters line by line, with the tensor calls it makes (no
        forward yet, an input of another type or size: they fail where and as its do)."""
        d = self.__dict__
        batchSize = _lua.mcall(input, 'size', 1, what="local 'input'")
        if d.get('_cscAdder') is None:
            self._cscAdder = self.weight.new()
        self._cscAdder.resize(batchSize).fill(1)
        self.clusterSampleCount.zero()
        _lua.mcall(self.clusterSampleCount, 'indexAdd', 1, d.get('_minIndx'), self._cscAdder)
        if d.get('_gradWeight') is None:
            self._gradWeight = self.gradWeight.new()
        g = self._gradWeight
        _lua.mcall(g, 'index', self.weight, 1, self._minIndx)
        g.mul(-1)
        _lua.mcall(g, 'add', input)
        g.mul(-scale)
        if d.get('_gradWeight2') is None:
            self._gradWeight2 = self.gradWeight.new()
        g2 = self._gradWeight2
        g2.resizeAs(self.gradWeight).zero()
        _lua.mcall(g2, 'indexAdd', 1, self._minIndx, g)
        if d.get('_ccounts') is None:
            self._ccounts = self.clusterSampleCount.new()
        self._ccounts.resize(self.k).copy(self.clusterSampleCount)
        self._ccounts.add(0.0000001)
        g2.cdiv(self._ccounts.view(self.k, 1).expandAs(self.gradWeight))
        self.gradWeight.add(g2)

    def clearState(self):
        # Kmeans.lua drops its buffers only: output stays, nothing returned
        for k in ('_expandedSamples', '_clusterDistances', '_temp', '_tempExpanded',
                  '_tempWeight', '_tempWeightExp', '_expandedWeight', '_minScore', '_minIndx',
                  '_cscAdder'):
            self.__dict__[k] = None  # (each key set to nil keeps its node)

    def type(self, type=None, tensorCache=None):
        # Kmeans.lua: self:clearState() first, whatever the call (its LongTensor _minIndx goes)
        self.clearState()
        return super().type(type, tensorCache)
