"""More PyTorch modules with Torch7's semantics (tmodules.py grew past its size): nn classes
whose forms came later (LinearWeightNorm, MixtureTable, FeatureLPPooling,
TemporalDynamicKMaxPooling, L1Cost).

Like tmodules.py, this file imports torch and nothing from torch7py: `t7-to-pytorch --code`
copies it verbatim into the standalone source, after tmodules.py.
"""
import math

import torch
from torch import nn


class LinearWeightNorm(nn.Module):
    """nn.LinearWeightNorm: a Linear whose weight rows are g * v / max(||v||, eps); Torch7's
    parameters v (out x in) and g (out x 1) are weight_v and weight_g here (PyTorch's
    weight_norm names), the bias is bias."""

    def __init__(self, inputSize, outputSize, bias=True, eps=1e-16):
        super().__init__()
        self.eps = eps
        self.weight_v = nn.Parameter(torch.zeros(outputSize, inputSize))
        self.weight_g = nn.Parameter(torch.zeros(outputSize, 1))
        self.bias = nn.Parameter(torch.zeros(outputSize)) if bias else None

    def forward(self, x):
        norm = self.weight_v.norm(2, 1, keepdim=True).clamp_min(self.eps)
        w = self.weight_v * (self.weight_g / norm)
        return torch.nn.functional.linear(x, w, self.bias)


class MixtureTable(nn.Module):
    """nn.MixtureTable: {gater, experts} -> sum_i gater[..., i] * expert_i; experts a table of
    tensors or one tensor holding them along dim (1-based). An unset dim becomes 1 or 2 at the
    first call (non-batch or batch gater) and stays, as MixtureTable.lua sets self.dim."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        gater, experts = input[0], input[1]
        batch = gater.dim() >= 2
        if self.dim is None:
            self.dim = 2 if batch else 1
        d = self.dim - 1
        if isinstance(experts, (list, tuple)):
            experts = torch.stack(list(experts), d)
        if gater.shape[-1] != experts.shape[d]:
            raise ValueError('Should be one gater output per expert')
        size = [1] * experts.dim()
        if batch:
            size[0] = gater.shape[0]
        size[d] = gater.shape[-1]
        return (gater.reshape(size) * experts).sum(d)


class FeatureLPPooling(nn.Module):
    """nn.FeatureLPPooling: windows of `width` features every `stride` along the feature
    dimension (the first, or the second with batch_mode), each (sum x^p)^(1/p)."""

    def __init__(self, width, stride, power, batch_mode):
        super().__init__()
        self.width, self.stride, self.power = width, stride, float(power)
        self.batch_mode = bool(batch_mode)

    def forward(self, x):
        d = 1 if self.batch_mode else 0
        if x.dim() - d not in (1, 2, 3):
            raise ValueError('input must be %s dimensions for %s mode'
                             % ('2-4' if self.batch_mode else '1-3',
                                'batch' if self.batch_mode else 'non-batch'))
        if x.shape[d] < self.width:
            raise ValueError('input: feature dimension must be >= width')
        win = x.pow(self.power).unfold(d, self.width, self.stride)   # windows last
        return win.sum(-1).pow(1.0 / self.power)


class TemporalDynamicKMaxPooling(nn.Module):
    """nn.TemporalDynamicKMaxPooling: the k largest values of each feature along the sequence
    (dim 1 of a 2-D input, 2 of a 3-D batch), kept in their order; k = max(minK,
    ceil(factor * length))."""

    def __init__(self, minK, factor=0.0):
        super().__init__()
        self.minK, self.factor = int(minK), float(factor)

    def forward(self, x):
        if x.dim() not in (2, 3):
            raise ValueError('Only 2D or 3D(batch mode) accepted')
        d = x.dim() - 2
        n = x.shape[d]
        k = max(self.minK, math.ceil(self.factor * n))
        if n < self.minK:
            raise ValueError('Input sequence length (%d) too small for desired k value (%d)'
                             % (n, k))
        idx = x.sort(d, descending=True)[1].narrow(d, 0, k).sort(d)[0]
        return x.gather(d, idx)


class L1Cost(nn.Module):
    """nn.L1Cost: the criterion sum |x| (the target is ignored); its gradient is sign(x)."""

    def forward(self, input, target=None):
        return input.abs().sum()


class WeightNorm(nn.Module):
    """nn.WeightNorm(module, outputDim): the module run with weight = g * v / sqrt(||v||^2 +
    1e-4) per output (WeightNorm.lua's norm), v the weight viewed as (outputs, the rest) with the
    outputDim-th dimension first. Torch7's v and g are weight_v and weight_g; the module keeps
    its other parameters (bias) under '0.'."""

    def __init__(self, module, outputDim, viewOut, gSize=None):
        super().__init__()
        del module._parameters['weight']        # computed on each call
        self.add_module('0', module)
        self.outputDim, self.viewOut = int(outputDim), [int(s) for s in viewOut]
        rest = 1
        for s in self.viewOut[1:]:
            rest *= s
        self.weight_v = nn.Parameter(torch.zeros(self.viewOut[0], rest))
        # g as the layer holds it: n, or n x 1 once resetInit's g:norm(v, 2, 2) resized it
        self.weight_g = nn.Parameter(torch.zeros(*(gSize or [self.viewOut[0]])))

    def forward(self, x):
        norm = (self.weight_v.pow(2).sum(1) + 1e-4).sqrt()
        g = self.weight_g.reshape(-1)
        w = (self.weight_v * (g / norm).unsqueeze(1)).reshape(self.viewOut)
        for i in range(self.outputDim - 1):     # WeightNorm:permuteOut
            w = w.transpose(i, i + 1)
        module = self._modules['0']
        module.weight = w
        return module(x)


class ChannelSoftMax(nn.Module):
    """cudnn.VolumetricSoftMax/VolumetricLogSoftMax: a softmax over the planes, dim 1 of a
    d x t x h x w image (0 here), dim 2 of a batch of them (its SpatialSoftMax on t and h
    folded into one)."""

    def __init__(self, log=False):
        super().__init__()
        self.log = log

    def forward(self, x):
        if x.dim() not in (4, 5):
            raise ValueError('input should either be a 3d image or a minibatch of them')
        dim = 0 if x.dim() == 4 else 1
        f = torch.nn.functional
        return f.log_softmax(x, dim) if self.log else f.softmax(x, dim)


class ChannelCrossEntropy(nn.Module):
    """cudnn.SpatialCrossEntropyCriterion/VolumetricCrossEntropyCriterion: log-softmax over
    the classes (dim 2, 1-based) of a batch, then the class NLL of the 1-based targets at each
    position, averaged by the summed target weights (sizeAverage) or summed."""

    def __init__(self, dims, weights=None, sizeAverage=True, ignoreIndex=-100):
        super().__init__()
        self.dims, self.sizeAverage, self.ignoreIndex = dims, sizeAverage, ignoreIndex
        if weights is not None:
            self.register_buffer('weights', torch.tensor(weights, dtype=torch.float64))
        else:
            self.weights = None

    def forward(self, input, target):
        if input.dim() != self.dims or target.dim() != self.dims - 1:
            raise ValueError('mini-batch supported only')
        f = torch.nn.functional
        w = None if self.weights is None else self.weights.to(input.dtype)
        ign = self.ignoreIndex - 1 if self.ignoreIndex >= 0 else self.ignoreIndex
        return f.nll_loss(f.log_softmax(input, 1), target.long() - 1, w, ignore_index=ign,
                          reduction='mean' if self.sizeAverage else 'sum')


class _WeightedEuclideanFn(torch.autograd.Function):
    """WeightedEuclidean.lua's backward: r = c * (x - w), y = ||r||; each gradient divides by
    (y + 1e-7); diagCov's is (r / c)^2 * c, as the Lua computes it (r / c again)."""

    @staticmethod
    def forward(ctx, x, w, c):
        r = (x.unsqueeze(2) - w.unsqueeze(0)) * c        # (batch, in, out)
        y = (r * r).sum(1).sqrt()
        ctx.save_for_backward(r, y, c)
        return y

    @staticmethod
    def backward(ctx, go):
        r, y, c = ctx.saved_tensors
        div = (go / (y + 1e-7)).unsqueeze(1)
        t = r * div * c
        q = r / c
        return t.sum(2), -t.sum(0), (q * q * c * div).sum(0)


class WeightedEuclidean(nn.Module):
    """nn.WeightedEuclidean: y_j = || c_j * (x - w_j) || with weight w and diagCov c, both
    inputSize x outputSize (state_dict names weight, diagCov)."""

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(inputSize, outputSize))
        self.diagCov = nn.Parameter(torch.ones(inputSize, outputSize))

    def forward(self, x):
        if x.dim() == 1:
            return _WeightedEuclideanFn.apply(x.unsqueeze(0), self.weight, self.diagCov)[0]
        if x.dim() != 2:
            raise ValueError('1D or 2D input expected')
        return _WeightedEuclideanFn.apply(x, self.weight, self.diagCov)


class CriterionTable(nn.Module):
    """nn.CriterionTable: a module whose input is the table {input, target} of its criterion."""

    def __init__(self, criterion):
        super().__init__()
        self.criterion = criterion

    def forward(self, x):
        return self.criterion(*x)


class ModuleCriterion(nn.Module):
    """nn.ModuleCriterion: the criterion of inputModule(input) and targetModule(target) (each
    when given)."""

    def __init__(self, criterion, inputModule=None, targetModule=None):
        super().__init__()
        self.criterion, self.inputModule, self.targetModule = (criterion, inputModule,
                                                               targetModule)

    def forward(self, input, target):
        if self.inputModule is not None:
            input = self.inputModule(input)
        if self.targetModule is not None:
            target = self.targetModule(target)
        return self.criterion(input, target)


class DistanceRatioCriterion(nn.Module):
    """nn.DistanceRatioCriterion: {X, Y} (distances of similar, dissimilar pairs) ->
    sum(X + log(exp(-X) + exp(-Y))), divided by X's first size under sizeAverage."""

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = sizeAverage

    def forward(self, input, target=None):
        x, y = input
        loss = (x + torch.log(torch.exp(-x) + torch.exp(-y))).sum()
        return loss / x.shape[0] if self.sizeAverage else loss


class SpatialAutoCropMSECriterion(nn.Module):
    """nn.SpatialAutoCropMSECriterion: MSE of a (batch x) C x H x W input against the target
    centre-cropped to H x W (rows from 1 + floor((Ht - H) / 2), columns likewise)."""

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = sizeAverage

    def forward(self, input, target):
        if input.dim() != target.dim() or input.dim() not in (3, 4):
            raise ValueError('input and target must have 3 or 4 dimensions')
        h, w = input.shape[-2:]
        th, tw = target.shape[-2:]
        if h > th or w > tw:
            raise ValueError('Spatial resolution of input should be less than or equal to the '
                             'spatial resolution of the target')
        r, c = (th - h) // 2, (tw - w) // 2
        t = target[..., r:r + h, c:c + w]
        return torch.nn.functional.mse_loss(input, t,
                                            reduction='mean' if self.sizeAverage else 'sum')


class ClassSimplexCriterion(nn.Module):
    """nn.ClassSimplexCriterion: MSE of the input against the vertices of its regular simplex
    (the module's own `simplex`, a constant) picked by the 1-based class targets."""

    def __init__(self, simplex, sizeAverage=True):
        super().__init__()
        self.register_buffer('simplex', torch.tensor(simplex, dtype=torch.float64))
        self.sizeAverage = sizeAverage

    def forward(self, input, target):
        if isinstance(target, (int, float)):
            t = self.simplex[int(target) - 1]
        else:
            t = self.simplex[target.long().reshape(-1) - 1]
        t = t.to(input.dtype).reshape(input.shape)
        return torch.nn.functional.mse_loss(input, t,
                                            reduction='mean' if self.sizeAverage else 'sum')
