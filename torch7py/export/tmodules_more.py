"""More PyTorch modules with Torch7's semantics (tmodules.py grew past its size): nn classes
whose forms came later (LinearWeightNorm, MixtureTable, FeatureLPPooling,
TemporalDynamicKMaxPooling, L1Cost; s21: Convert, UpSampling, PartialLinear, Kmeans, the
fractional max poolings, RReLU's training slopes, SparseLinear, IndexLinear).

Like tmodules.py, this file imports torch and nothing else of torch7py than tmodules:
`t7-to-pytorch --code` copies it verbatim (less its import lines) into the standalone source,
after tmodules.py.
"""
import math

import torch
from torch import nn

from .tmodules import UpSamplingBilinear  # (--code: the standalone source has it above)


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


# ---- forms added in s21: the nn classes that had none ----------------------------------------

class Convert(nn.Module):
    """nn.Convert: a layout change named by axis letters (Convert.lua's rules: the same letters
    are a sequence of transpositions; 'bf' moves the batch axis first by one swap and flattens
    each sample; 'b' selects the first 't' or 'f'; 'bt' from 'b' is a column), with a missing
    batch axis added before and removed after, in the module's tensor type."""

    def __init__(self, inputShape, outputShape, dtype=None):
        super().__init__()
        self.inputShape, self.outputShape, self.dtype = inputShape, outputShape, dtype

    def _convert(self, x):
        i, o = self.inputShape, self.outputShape
        if i == 'b*' or (len(i) == len(o) and all(c in o for c in i)):
            shape = list(i)
            for k, c in enumerate(o):
                j = shape.index(c)
                if j != k:
                    shape[k], shape[j] = shape[j], shape[k]
                    x = x.transpose(j, k)
            return x
        if o == 'bf':
            if i == 'bt':
                raise ValueError('Conversion of shape bt to bf not supported')
            if len(i) == 1:
                return x.reshape(-1, 1)
            b = i.index('b')
            if b != 0:
                x = x.transpose(0, b)
            return x.reshape(x.shape[0], -1) if len(i) > 2 else x
        if o == 'b':
            if i in ('bt', 'tb'):
                return x.select(i.index('t'), 0)
            if i in ('bf', 'fb'):
                f = i.index('f')
                if x.shape[f] > 1:
                    raise ValueError('Cannot convert shape %s to b when feature > 1' % i)
                return x.select(f, 0)
            raise ValueError('Cannot convert shape %s to shape b' % i)
        if o == 'bt':
            if i == 'b':
                return x.reshape(-1, 1)
            raise ValueError("cannot convert shape '%s' to bt" % i)
        if o == 'default':
            return x
        raise ValueError('Unrecognized conversion of shape %s to %s' % (i, o))

    def forward(self, x):
        if self.dtype is not None:
            x = x.to(getattr(torch, self.dtype))
        single = self.inputShape != 'b*' and x.dim() < len(self.inputShape)
        if single:
            x = x.unsqueeze(self.inputShape.index('b'))
        y = self._convert(x)
        return y.squeeze(self.outputShape.index('b')) if single else y


class UpSampling(nn.Module):
    """nn.UpSampling (4-D or 5-D input): 'nearest' repeats each value scale times along every
    spatial axis; 'linear' is align-corners (bi/tri)linear interpolation to the scaled or given
    size, THNN's source positions in single precision, the outermost axis interpolated first."""

    def __init__(self, mode, scale_factor=None, odepth=None, oheight=None, owidth=None):
        super().__init__()
        self.mode, self.scale_factor = mode, scale_factor
        self.odepth, self.oheight, self.owidth = odepth, oheight, owidth

    _map = staticmethod(UpSamplingBilinear._map)  # (THNN's single-precision positions)

    def _lin(self, x, maps, axis):
        if axis == len(maps):
            return x
        ax = x.dim() - len(maps) + axis
        i0, i1, l0, l1 = maps[axis]
        shape = [1] * x.dim()
        shape[ax] = -1
        a = self._lin(x.index_select(ax, i0.to(x.device)), maps, axis + 1)
        b = self._lin(x.index_select(ax, i1.to(x.device)), maps, axis + 1)
        return l0.to(x.device).view(shape) * a + l1.to(x.device).view(shape) * b

    def forward(self, x):
        if x.dim() not in (4, 5):
            raise ValueError('UpSampling only supports 4D or 5D tensors')
        S = tuple(x.shape[2:])
        if self.mode == 'nearest':
            s = int(self.scale_factor)
            for ax in range(2, x.dim()):
                x = x.repeat_interleave(s, ax)
            return x
        if self.scale_factor is not None:
            out = tuple(n * int(self.scale_factor) for n in S)
        else:
            out = ((self.odepth,) if x.dim() == 5 else ()) + (self.oheight, self.owidth)
        if out == S:
            return x
        return self._lin(x, [self._map(S[d], out[d], x.dtype) for d in range(len(S))], 0)


class PartialLinear(nn.Module):
    """nn.PartialLinear: the Linear rows of its partition (1-based output columns, a constant
    list: setPartition before the export) on a batch (n x inputsize); `weight` is the
    LookupTable's (outputsize x inputsize), `bias` 1 x outputsize."""

    def __init__(self, inputsize, outputsize, partition, bias=True):
        super().__init__()
        self.partition = list(partition)
        self.weight = nn.Parameter(torch.zeros(outputsize, inputsize))
        self.bias = nn.Parameter(torch.zeros(1, outputsize)) if bias else None

    def forward(self, x):
        cols = torch.tensor(self.partition, dtype=torch.long, device=x.device) - 1
        y = x.matmul(self.weight.index_select(0, cols).t())
        if self.bias is not None:
            y = y + self.bias.index_select(1, cols)
        return y


class _KmeansFn(torch.autograd.Function):
    """Kmeans.lua: the labels do not depend on the input (gradInput is zero) and the centres'
    gradient is its online k-means step, -scale * mean of (x - centre) over each cluster's
    samples (divided by count + 1e-7), whatever the gradOutput."""

    @staticmethod
    def forward(ctx, x, w, scale):
        d = (x.unsqueeze(0) - w.unsqueeze(1)).norm(2, 2).pow(2)     # k x n, as Torch7's norm
        label = d.argmin(0)
        ctx.save_for_backward(x, w, label)
        ctx.scale = scale
        return (label + 1).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, w, label = ctx.saved_tensors
        g = (x - w.index_select(0, label)) * -ctx.scale
        g2 = torch.zeros_like(w).index_add(0, label, g)
        count = torch.zeros(w.shape[0], dtype=w.dtype).index_add(
            0, label, torch.ones(label.shape[0], dtype=w.dtype))
        return torch.zeros_like(x), g2 / (count + 1e-7).unsqueeze(1), None


class Kmeans(nn.Module):
    """nn.Kmeans: each sample's nearest centre (1-based, in the input's type); its `weight`
    (k x dim) gets Kmeans.lua's update as its gradient (the module's own `scale` when set)."""

    def __init__(self, k, dim, scale=None):
        super().__init__()
        self.scale = scale
        self.weight = nn.Parameter(torch.zeros(k, dim))

    def forward(self, x):
        return _KmeansFn.apply(x, self.weight, float(self.scale or 1))


class FractionalMaxPooling(nn.Module):
    """nn.Spatial/VolumetricFractionalMaxPooling ([N x] C x H x W [x T]): THNN's pseudo-random
    windows (generateIntervals from one uniform sample per plane and axis: columns (W, H) in 2-D,
    (T, W, H) in 3-D) of a fixed or ratio output size, the first maximum of each. ``samples``
    (N x C x nd), when set, replaces the draw (the module's own randomSamples with fixed
    pooling regions; the tests inject Torch7's draw); ``fixed`` keeps the first draw."""

    def __init__(self, pool, out=None, ratio=None, samples=None, fixed=False):
        super().__init__()
        self.pool, self.out, self.ratio = list(pool), out, ratio
        self.samples = None if samples is None else torch.tensor(samples, dtype=torch.float64,
                                                                 device='cpu')
        self.fixed = fixed

    @staticmethod
    def _starts(s, isize, osize, pool):
        seq = torch.empty(s.shape + (osize,), dtype=torch.long)
        if osize > 1:
            alpha = torch.tensor(isize - pool, dtype=s.dtype) / (osize - 1)
            i = torch.arange(osize - 1, dtype=s.dtype)
            seq[..., :-1] = ((i + s.unsqueeze(-1)) * alpha).long() - \
                (s * alpha).long().unsqueeze(-1)
        seq[..., -1] = isize - pool
        return seq

    def forward(self, x):
        nd = len(self.pool)
        single = x.dim() == nd + 1
        x = x.unsqueeze(0) if single else x
        N, C = x.shape[:2]
        S = tuple(x.shape[2:])
        out = self.out or [int(math.floor(S[a] * self.ratio[a])) for a in range(nd)]
        s = self.samples
        if s is None or tuple(s.shape[:2]) != (N, C):
            s = torch.rand(N, C, nd, dtype=x.dtype)
            if self.fixed:
                self.samples = s
        s = s.to(x.dtype)
        # window start positions, then the flat index into each plane of every window element
        flat = torch.zeros((N, C) + (1,) * (2 * nd), dtype=torch.long)
        for a in range(nd):
            st = self._starts(s[..., nd - 1 - a], S[a], out[a], self.pool[a])    # N, C, o_a
            pos = st.unsqueeze(-1) + torch.arange(self.pool[a])                   # N, C, o_a, k_a
            shape = [N, C] + [1] * (2 * nd)
            shape[2 + a], shape[2 + nd + a] = out[a], self.pool[a]
            flat = flat * S[a] + pos.reshape(shape)
        flat = flat.expand((N, C) + tuple(out) + tuple(self.pool)).reshape(N, C, -1)
        vals = x.reshape(N, C, -1).gather(2, flat.to(x.device))
        vals = vals.reshape((N, C) + tuple(out) + (-1,))
        k = vals.argmax(-1, keepdim=True)
        y = vals.gather(-1, k).squeeze(-1)
        return y[0] if single else y


class RReLU(nn.Module):
    """nn.RReLU: in training, each non-positive input times a slope drawn uniformly in
    [lower, upper] (``noise``, when set, replaces the draw: the slope of every element, 1 for
    the positive ones, as Torch7's noise field holds them); otherwise (lower + upper) / 2."""

    def __init__(self, lower, upper):
        super().__init__()
        self.lower, self.upper = lower, upper
        self.noise = None

    def forward(self, x):
        if self.training and self.lower != self.upper:
            noise = self.noise
            if noise is None:
                draw = torch.rand_like(x) * (self.upper - self.lower) + self.lower
                noise = torch.where(x <= 0, draw, torch.ones_like(x))
            return x * noise.to(x.dtype).reshape(x.shape)
        return torch.where(x >= 0, x, x * ((self.lower + self.upper) / 2))


class SparseLinear(nn.Module):
    """nn.SparseLinear: a sample is an nnz x 2 tensor of (1-based index, value) pairs; a batch
    is a list of them (or, nn's legacy form, one batch x nnz x 2 tensor). The output is the
    bias plus each value times its weight column; `weightDecay` adds weightDecay * weight to
    the weight's gradient, as THNN's accGradParameters does."""

    def __init__(self, inputSize, outputSize, weightDecay=0.0):
        super().__init__()
        self.weightDecay = weightDecay
        self.weight = nn.Parameter(torch.zeros(outputSize, inputSize))
        self.bias = nn.Parameter(torch.zeros(outputSize))

    def _one(self, w, s):
        idx = s[:, 0].long() - 1
        return self.bias + w.index_select(1, idx).matmul(s[:, 1].to(w.dtype))

    def forward(self, x):
        w = self.weight
        if self.weightDecay:
            w = _WeightDecayFn.apply(w, self.weightDecay)
        if isinstance(x, (list, tuple)):
            if not x:
                return self.bias.clone()
            return torch.stack([self._one(w, s) for s in x])
        if x.dim() == 3:
            return torch.stack([self._one(w, s) for s in x])
        return self._one(w, x)


class _WeightDecayFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, decay):
        ctx.save_for_backward(w)
        ctx.decay = decay
        return w.view_as(w)

    @staticmethod
    def backward(ctx, grad):
        w, = ctx.saved_tensors
        return grad + ctx.decay * w, None


class _ScaleGrad(torch.autograd.Function):
    """The identity whose gradient is scaled row by row (IndexLinear's update scale column)."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(scale)
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        scale, = ctx.saved_tensors
        return grad * scale.unsqueeze(-1), None


class IndexLinear(nn.Module):
    """nn.IndexLinear: a Linear over sparse input whose weight is inputSize x (outputSize [+ 4]),
    one row per key (row = key + keysOffset - 1). A sample is {keys, values} (two 1-D tensors);
    a batch {list of keys, list of values}, or the flat {keys, values, sizes}. Each output row is
    the bias plus value times the key's weight row. With normalize, the first 4 columns of a row
    are THNN's max |value|, its inverse, an update scale and a feature bias: a value is divided
    by the max (its sign beyond it) plus the feature bias; in training the forward raises the
    max (entry after entry) and sets the update scale to 1, and the gradient of the row (its
    feature bias and outputs) is scaled by the update scale, as updateParameters scales the
    learning rate; the max and inverse columns get none."""

    def __init__(self, inputSize, outputSize, offset=-1, normalize=0):
        super().__init__()
        self.offset, self.normalize = offset, normalize
        self.weight = nn.Parameter(torch.zeros(inputSize, outputSize + normalize))
        self.bias = nn.Parameter(torch.zeros(outputSize))

    def _flat(self, x):
        keys, values = x[0], x[1]
        if len(x) == 3:
            sizes = x[2]
            sizes = [int(v) for v in (sizes.reshape(-1).tolist()
                                      if torch.is_tensor(sizes) else [sizes])]
            return keys.reshape(-1), values.reshape(-1), sizes, False
        if torch.is_tensor(keys):
            return keys.reshape(-1), values.reshape(-1), [keys.numel()], True
        sizes = [k.numel() for k in keys]
        return torch.cat([k.reshape(-1) for k in keys]), torch.cat(
            [v.reshape(-1) for v in values]), sizes, False

    def _normalized(self, rows, v):
        """The values THNN sees: the occurrences of one key in entry order, each against the
        max its own and the earlier occurrences left (training raises it)."""
        w = self.weight
        mx = torch.empty_like(v)
        inv = torch.empty_like(v)
        with torch.no_grad():
            rank = torch.zeros_like(rows)
            seen = {}
            for e, k in enumerate(rows.tolist()):
                rank[e] = seen.get(k, 0)
                seen[k] = int(rank[e]) + 1
            for r in range(int(rank.max()) + 1 if rows.numel() else 0):
                sel = (rank == r).nonzero().reshape(-1)
                k, a = rows[sel], v[sel].abs()
                if self.training:
                    up = a > w[k, 0]
                    w[k[up], 0] = a[up]
                    w[k[up], 1] = 1 / a[up]
                    w[k, 2] = 1
                mx[sel], inv[sel] = w[k, 0], w[k, 1]
        a = v.abs()
        return torch.where(a > mx, v.sign(), v * inv)

    def forward(self, x):
        keys, values, sizes, single = self._flat(x)
        rows = keys.long() + self.offset
        W = self.weight.index_select(0, rows)
        v = values.to(W.dtype)
        if self.normalize:
            n = self.normalize
            v = self._normalized(rows, v)
            W = _ScaleGrad.apply(W, self.weight.detach()[rows, n - 2])
            v = v + W[:, n - 1]
            W = W[:, n:]
        parts = (W * v.unsqueeze(1)).split(sizes)
        y = torch.stack([self.bias + p.sum(0) for p in parts])
        return y[0] if single else y
