"""PyTorch modules with Torch7's semantics, used where no stock torch.nn module computes exactly
what the Torch7 layer computes (1-based dimension rules, batch/non-batch rules, table inputs).

This file imports torch and nothing from torch7py: `t7-to-pytorch --code` copies it verbatim
into the standalone source it writes.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


def _pos_dim(dimension, n_input_dims, ndim):
    """Torch7's _getPositiveDimension as a 0-based dim: negative counts from the end; with
    nInputDims set, a batch input (one more dimension) shifts it."""
    if dimension < 0:
        return ndim + dimension
    if n_input_dims and ndim == n_input_dims + 1:
        return dimension
    return dimension - 1


class _Children(nn.Module):
    """A container whose children are named '0', '1', ... like nn.Sequential's."""

    def __init__(self, *children):
        super().__init__()
        for i, m in enumerate(children):
            self.add_module(str(i), m)

    def children_list(self):
        return list(self._modules.values())


# ---- containers ------------------------------------------------------------------------------

class Concat(_Children):
    """nn.Concat: every child sees the input; outputs join along the (absolute) dimension."""

    def __init__(self, dimension, *children):
        super().__init__(*children)
        self.dimension = dimension

    def forward(self, x):
        return torch.cat([m(x) for m in self.children_list()], self.dimension - 1)


class DepthConcat(_Children):
    """nn.DepthConcat: as Concat, smaller outputs are centred in the largest size, zero-padded."""

    def __init__(self, dimension, *children):
        super().__init__(*children)
        self.dimension = dimension

    def forward(self, x):
        outs = [m(x) for m in self.children_list()]
        d = self.dimension - 1
        ndim = outs[0].dim()
        size = [max(o.shape[i] for o in outs) for i in range(ndim)]
        padded = []
        for o in outs:
            pad = []
            for i in reversed(range(ndim)):
                if i == d:
                    pad += [0, 0]
                else:
                    before = (size[i] - o.shape[i]) // 2
                    pad += [before, size[i] - o.shape[i] - before]
            padded.append(F.pad(o, pad))
        return torch.cat(padded, d)


class ConcatTable(_Children):
    """nn.ConcatTable: every child sees the input; the output is the list of their outputs."""

    def forward(self, x):
        return [m(x) for m in self.children_list()]


class ParallelTable(_Children):
    """nn.ParallelTable: child i gets input[i]."""

    def forward(self, x):
        return [m(xi) for m, xi in zip(self.children_list(), x)]


class MapTable(_Children):
    """nn.MapTable: the one child (Torch7's clones share its parameters) maps every entry."""

    def forward(self, x):
        m = self.children_list()[0]
        return [m(xi) for xi in x]


class Parallel(_Children):
    """nn.Parallel: child i gets input.select(inputDimension, i); outputs join along
    outputDimension."""

    def __init__(self, inputDimension, outputDimension, *children):
        super().__init__(*children)
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension

    def forward(self, x):
        outs = [m(x.select(self.inputDimension - 1, i))
                for i, m in enumerate(self.children_list())]
        return torch.cat(outs, self.outputDimension - 1)


class Bottle(_Children):
    """nn.Bottle: folds the leading dimensions into one batch dimension around the child."""

    def __init__(self, nInputDim, nOutputDim, child):
        super().__init__(child)
        self.nInputDim = nInputDim
        self.nOutputDim = nOutputDim

    def forward(self, x):
        m = self.children_list()[0]
        if x.dim() <= self.nInputDim:
            return m(x)
        lead = x.shape[:x.dim() - self.nInputDim + 1]
        y = m(x.reshape((-1,) + tuple(x.shape[x.dim() - self.nInputDim + 1:])))
        return y.reshape(tuple(lead) + tuple(y.shape[1:]))


class Graph(_Children):
    """nngraph's gModule: the forward nodes in their topological order. Each step is
    (module index or -1, selectindex or 0, source steps in input order); the input step takes
    the gModule's inputs, the output step's inputs are the gModule's outputs (one output when
    the graph has one)."""

    def __init__(self, steps, in_step, out_step, n_inputs, single_output, *children):
        super().__init__(*children)
        self.steps = [(int(m), int(sel), [int(j) for j in src]) for m, sel, src in steps]
        self.in_step, self.out_step = in_step, out_step
        self.n_inputs, self.single_output = n_inputs, single_output

    def forward(self, x):
        inputs = [x] if self.n_inputs <= 1 else list(x)
        mods = self.children_list()
        vals = [None] * len(self.steps)
        for i, (mod, sel, src) in enumerate(self.steps):
            inp = inputs if i == self.in_step else [vals[j] for j in src]
            if i == self.out_step:
                return inp[0] if self.single_output else inp
            if sel:
                vals[i] = inp[0][sel - 1]
                continue
            if len(inp) == 1:
                inp = inp[0]
            vals[i] = inp if mod < 0 else mods[mod](inp)
        raise ValueError('the graph has no output step')


# ---- layers with Torch7's weight layouts or input layouts ------------------------------------

class TemporalConvolution(nn.Module):
    """nn.TemporalConvolution: input (T, F) or (N, T, F); weight (out, kW * inFrameSize)."""

    def __init__(self, inputFrameSize, outputFrameSize, kW, dW=1):
        super().__init__()
        self.inputFrameSize, self.outputFrameSize, self.kW, self.dW = (
            inputFrameSize, outputFrameSize, kW, dW)
        self.weight = nn.Parameter(torch.zeros(outputFrameSize, kW * inputFrameSize))
        self.bias = nn.Parameter(torch.zeros(outputFrameSize))

    def forward(self, x):
        single = x.dim() == 2
        x3 = x.unsqueeze(0) if single else x
        w = self.weight.view(self.outputFrameSize, self.kW, self.inputFrameSize).permute(0, 2, 1)
        y = F.conv1d(x3.transpose(1, 2), w, self.bias, stride=self.dW).transpose(1, 2)
        return y[0] if single else y


class DepthWiseConvolution(nn.Module):
    """nn.SpatialDepthWiseConvolution: weight (multiplier, nIn*kH*kW), bias (multiplier, nIn);
    output channel c * multiplier + m. THNN's updateOutput (nn 8726825) reads the contiguous
    input with inputHeight = size[3] and inputWidth = size[2]: a non-square image is read as
    its data laid out W x H (its backward then refuses the output's size)."""

    def __init__(self, nInputPlane, multiplier, kW, kH, dW, dH, padW, padH, bias=True,
                 weight4d=False):
        super().__init__()
        self.nInputPlane, self.multiplier = nInputPlane, multiplier
        self.kW, self.kH, self.dW, self.dH, self.padW, self.padH = kW, kH, dW, dH, padW, padH
        # (THNN resizes the module's weight to 4-D at its first call: the layer's shape)
        shape = ((multiplier, nInputPlane, kH, kW) if weight4d
                 else (multiplier, nInputPlane * kH * kW))
        self.weight = nn.Parameter(torch.zeros(*shape))
        self.bias = nn.Parameter(torch.zeros(multiplier, nInputPlane)) if bias else None

    def forward(self, x):
        w = self.weight.view(self.multiplier, self.nInputPlane, self.kH, self.kW)
        w = w.transpose(0, 1).reshape(self.nInputPlane * self.multiplier, 1, self.kH, self.kW)
        b = None if self.bias is None else self.bias.t().reshape(-1)
        x = x.contiguous()
        x = x.view(x.shape[:-2] + (x.shape[-1], x.shape[-2]))
        return F.conv2d(x, w, b, (self.dH, self.dW), (self.padH, self.padW),
                        groups=self.nInputPlane)


class ConvolutionMap(nn.Module):
    """nn.SpatialConvolutionMap: connection k correlates input plane conn[k][0] with kernel k
    and adds it to output plane conn[k][1] (0-based here); weight (nConn, kH, kW)."""

    _per_connection = staticmethod(F.conv2d)

    def __init__(self, conn, nOutputPlane, kW, kH, dW, dH):
        super().__init__()
        self.conn = [tuple(int(v) for v in pair) for pair in conn]
        self.nOutputPlane, self.stride = nOutputPlane, (dH, dW)
        self.weight = nn.Parameter(torch.zeros(len(self.conn), kH, kW))
        self.bias = nn.Parameter(torch.zeros(nOutputPlane))

    def forward(self, x):
        single = x.dim() == 3
        x = x.unsqueeze(0) if single else x
        ins = torch.tensor([a for a, _ in self.conn], device=x.device)
        outs = torch.tensor([b for _, b in self.conn], device=x.device)
        per_conn = self._per_connection(x[:, ins], self.weight.unsqueeze(1), None, self.stride,
                                        groups=self.weight.shape[0])
        n, _, h, w = per_conn.shape
        y = per_conn.new_zeros(n, self.nOutputPlane, h, w).index_add(1, outs, per_conn)
        y = y + self.bias.view(1, -1, 1, 1)
        return y[0] if single else y


class FullConvolutionMap(ConvolutionMap):
    """nn.SpatialFullConvolutionMap: connection k adds the full convolution of input plane
    conn[k][0] with kernel k (stride dW, dH) to output plane conn[k][1]: a transposed
    convolution of each connection."""

    _per_connection = staticmethod(F.conv_transpose2d)


class ConvolutionLocal(nn.Module):
    """nn.SpatialConvolutionLocal: a separate kernel at each output location; weight
    (oH, oW, nOut, nIn, kH, kW), bias (nOut, oH, oW)."""

    def __init__(self, nIn, nOut, oH, oW, kW, kH, dW, dH, padW, padH):
        super().__init__()
        self.geo = (kH, kW, dH, dW, padH, padW)
        self.weight = nn.Parameter(torch.zeros(oH, oW, nOut, nIn, kH, kW))
        self.bias = nn.Parameter(torch.zeros(nOut, oH, oW))

    def forward(self, x):
        kH, kW, dH, dW, padH, padW = self.geo
        single = x.dim() == 3
        x4 = x.unsqueeze(0) if single else x
        cols = F.unfold(x4, (kH, kW), padding=(padH, padW), stride=(dH, dW))   # (N, K, L)
        oH, oW, nOut = self.weight.shape[:3]
        w = self.weight.reshape(oH * oW, nOut, -1)
        y = torch.einsum('nkl,lok->nol', cols, w).reshape(x4.shape[0], nOut, oH, oW)
        y = y + self.bias
        return y[0] if single else y


class BatchNorm(nn.Module):
    """nn.(Spatial|Volumetric)BatchNormalization: batch statistics and running-average update
    in training (Torch7's momentum is PyTorch's), running statistics in evaluation; eval-mode
    non-batch input (one dimension fewer) gets a batch dimension of 1 that the output keeps,
    as Torch7's makeBatch does."""

    def __init__(self, nOutput, eps, momentum, affine, nDim):
        super().__init__()
        self.eps, self.momentum, self.nDim = eps, momentum, nDim
        if affine:
            self.weight = nn.Parameter(torch.ones(nOutput))
            self.bias = nn.Parameter(torch.zeros(nOutput))
        else:
            self.weight = self.bias = None
        self.register_buffer('running_mean', torch.zeros(nOutput))
        self.register_buffer('running_var', torch.ones(nOutput))

    def forward(self, x):
        if x.dim() == self.nDim - 1 and not self.training:
            x = x.unsqueeze(0)
        if x.dim() != self.nDim:
            raise ValueError('only mini-batch supported (%dD tensor), got %dD tensor instead'
                             % (self.nDim, x.dim()))
        y = F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                         self.training, self.momentum, self.eps)
        return y


class Dropout(nn.Module):
    """nn.Dropout / SpatialDropout / VolumetricDropout. v2 (Dropout's default) scales kept values
    by 1/(1-p) in training; v1 (always for the spatial kinds) keeps them and scales by (1-p) at
    evaluation. The spatial kinds drop whole feature maps. ``mask``, when set, replaces the
    random draw (to verify against a given draw)."""

    def __init__(self, p, v1=False, feature_dims=0, stochastic_inference=False):
        super().__init__()
        self.p, self.v1, self.feature_dims = p, v1, feature_dims
        self.stochastic_inference = stochastic_inference
        self.mask = None

    def forward(self, x):
        p = self.p
        if p == 0:
            return x
        if self.training or self.stochastic_inference:
            if self.mask is not None:
                noise = self.mask.to(x.dtype)
            else:
                shape = x.shape
                if self.feature_dims:
                    keep = x.dim() - self.feature_dims
                    shape = tuple(x.shape[:keep]) + (1,) * self.feature_dims
                noise = torch.bernoulli(torch.full(shape, 1 - p, dtype=x.dtype,
                                                   device=x.device))
            if not self.v1:
                noise = noise / (1 - p)
            return x * noise
        return x * (1 - p) if self.v1 else x


class SoftMax(nn.Module):
    """nn.SoftMax/LogSoftMax/SoftMin (and the Spatial kinds): over dim 1 of a 1D or 3D input,
    dim 2 of a 2D or 4D input (Torch7's rule)."""

    def __init__(self, log=False, negate=False):
        super().__init__()
        self.log, self.negate = log, negate

    def forward(self, x):
        dim = 0 if x.dim() in (1, 3) else 1
        if self.negate:
            x = -x
        return F.log_softmax(x, dim) if self.log else F.softmax(x, dim)


class Pointwise(nn.Module):
    """The element-wise layers that have no stock module with Torch7's exact formula."""

    def __init__(self, kind, a=0.0, b=0.0):
        super().__init__()
        self.kind, self.a, self.b = kind, a, b

    def forward(self, x):
        k, a, b = self.kind, self.a, self.b
        if k == 'Abs':
            return x.abs()
        if k == 'Exp':
            return x.exp()
        if k == 'Log':
            return x.log()
        if k == 'Square':
            return x * x
        if k == 'Sqrt':
            return (x + a).sqrt()
        if k == 'Power':
            return x.pow(a)
        if k == 'MulConstant':
            return x * a
        if k == 'AddConstant':
            return x + a
        if k == 'Clamp':
            return x.clamp(a, b)
        if k == 'Threshold':
            return torch.where(x > a, x, torch.full_like(x, b))
        if k == 'HardTanh':
            return x.clamp(a, b)
        if k == 'SoftPlus':
            # Torch7: log(1 + exp(beta x)) / beta, linear above the threshold
            bx = x * a
            return torch.where(bx > b, x, torch.log1p(torch.exp(bx)) / a)
        if k == 'SoftSign':
            return x / (1 + x.abs())
        if k == 'SoftShrink':
            return torch.where(x > a, x - a, torch.where(x < -a, x + a, torch.zeros_like(x)))
        if k == 'HardShrink':
            return torch.where((x > a) | (x < -a), x, torch.zeros_like(x))
        if k == 'TanhShrink':
            return x - x.tanh()
        if k == 'LogSigmoid':
            return F.logsigmoid(x)
        if k == 'ELU':
            return torch.where(x > 0, x, a * (torch.exp(x) - 1))
        if k == 'LeakyReLU':
            return torch.where(x > 0, x, x * a)
        if k == 'RReLU':
            # evaluation (and lower == upper): a fixed slope (lower + upper) / 2
            return torch.where(x >= 0, x, x * ((a + b) / 2))
        if k == 'GradientReversal':
            return _GradReverse.apply(x, a)
        raise ValueError('unknown pointwise kind ' + k)


class _GradReverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lam):
        ctx.lam = lam
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        return -ctx.lam * g, None


class PReLU(nn.Module):
    """nn.PReLU: one slope, or one per plane (THNN: dim 2 of any input of 2+ dims, dim 1 of a
    vector)."""

    def __init__(self, nOutputPlane):
        super().__init__()
        self.nOutputPlane = nOutputPlane
        self.weight = nn.Parameter(torch.full((max(nOutputPlane, 1),), 0.25))

    def forward(self, x):
        if self.nOutputPlane == 0:
            w = self.weight
        else:
            d = 1 if x.dim() > 1 else 0
            shape = [1] * x.dim()
            shape[d] = self.nOutputPlane
            w = self.weight.view(shape)
        return torch.where(x > 0, x, x * w)


class CMul(nn.Module):
    """nn.CMul / nn.Mul / nn.CAdd / nn.Add: a learned tensor (or scalar) that multiplies or is
    added to the input, expanded over the batch."""

    def __init__(self, size, add=False, name='weight'):
        super().__init__()
        self.size, self.add, self.name = tuple(size), add, name
        self.register_parameter(name, nn.Parameter(torch.zeros(self.size)))

    def forward(self, x):
        w = getattr(self, self.name)
        n = w.numel()
        if n == 1:
            w = w.reshape(())
        elif x.numel() == n:
            w = w.reshape(x.shape)
        else:
            w = w.reshape((1,) + tuple(x.shape[1:]))
        return x + w if self.add else x * w


class Normalize(nn.Module):
    """nn.Normalize: divides each row by its p-norm (plus eps)."""

    def __init__(self, p, eps):
        super().__init__()
        self.p, self.eps = p, eps

    def forward(self, x):
        x2 = x.unsqueeze(0) if x.dim() == 1 else x
        if math.isinf(self.p):
            n = x2.abs().amax(1, keepdim=True) + self.eps
        else:
            n = (x2.abs().pow(self.p).sum(1, keepdim=True) + self.eps).pow(1.0 / self.p)
        y = x2 / n
        return y[0] if x.dim() == 1 else y


class Reduce(nn.Module):
    """nn.Sum / nn.Mean / nn.Max / nn.Min along a Torch7 dimension (nInputDims, negative)."""

    def __init__(self, kind, dimension, nInputDims=None, sizeAverage=False, squeeze=True):
        super().__init__()
        self.kind, self.dimension, self.nInputDims = kind, dimension, nInputDims
        self.sizeAverage, self.squeeze = sizeAverage, squeeze

    def forward(self, x):
        d = _pos_dim(self.dimension, self.nInputDims, x.dim())
        if self.kind == 'Sum':
            y = x.sum(d, keepdim=True)
            if self.sizeAverage:
                y = y / x.shape[d]
        elif self.kind == 'Mean':
            y = x.mean(d, keepdim=True)
        elif self.kind == 'Max':
            y = x.max(d, keepdim=True)[0]
        else:
            y = x.min(d, keepdim=True)[0]
        if self.squeeze and y.dim() > 1:
            y = y.squeeze(d)
        return y


class Replicate(nn.Module):
    """nn.Replicate: nf copies along a new dimension dim (one further in a batch: input of more
    than ndim dimensions)."""

    def __init__(self, nf, dim, ndim):
        super().__init__()
        self.nf, self.dim, self.ndim = nf, dim, ndim

    def forward(self, x):
        rdim = self.dim + (1 if self.ndim and x.dim() > self.ndim else 0)
        shape = list(x.shape)
        shape.insert(rdim - 1, self.nf)
        return x.unsqueeze(rdim - 1).expand(shape)


class SubSampling(nn.Module):
    """nn.SpatialSubSampling (nd=2) / TemporalSubSampling (nd=1, input (T, F) or (N, T, F)):
    each plane's window sum times its weight, plus its bias."""

    def __init__(self, nd, nInputPlane, kernel, stride):
        super().__init__()
        self.nd, self.kernel, self.stride = nd, tuple(kernel), tuple(stride)
        self.weight = nn.Parameter(torch.zeros(nInputPlane))
        self.bias = nn.Parameter(torch.zeros(nInputPlane))

    def forward(self, x):
        single = x.dim() == self.nd + 1
        x = x.unsqueeze(0) if single else x
        if self.nd == 1:
            x = x.transpose(1, 2)
        fn = F.avg_pool1d if self.nd == 1 else F.avg_pool2d
        sums = fn(x, self.kernel, self.stride) * math.prod(self.kernel)
        shape = (1, -1) + (1,) * self.nd
        y = sums * self.weight.view(shape) + self.bias.view(shape)
        if self.nd == 1:
            y = y.transpose(1, 2)
        return y[0] if single else y


class CrossMapLRN(nn.Module):
    """nn.SpatialCrossMapLRN: x / (k + alpha/size * sum of squares over the planes
    c - (size-1)/2 .. c + (size-1)/2) ^ beta. An even size runs in Torch7 only where its
    window (half-integer prePad) covers every plane, channels <= size/2, and then sums them
    all, as this window does; with more channels its forward fails (select out of range)."""

    def __init__(self, size, alpha, beta, k):
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, x):
        single = x.dim() == 3
        x4 = x.unsqueeze(0) if single else x
        if self.size % 2 == 0 and x4.shape[1] > self.size // 2:
            raise ValueError("SpatialCrossMapLRN of even size %d on %d planes: Torch7's forward "
                             "fails there (bad argument #2 to 'select' (out of range))"
                             % (self.size, x4.shape[1]))
        half = (self.size - 1) // 2
        sq = F.pad((x4 * x4).unsqueeze(1), (0, 0, 0, 0, half, half)).squeeze(1)
        sums = sq.unfold(1, 2 * half + 1, 1).sum(-1)
        y = x4 * (self.k + self.alpha / self.size * sums).pow(-self.beta)
        return y[0] if single else y


class GatedLinearUnit(nn.Module):
    """nn.GatedLinearUnit: first half times the sigmoid of the second, along dim (default the
    last)."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return F.glu(x, (self.dim or x.dim()) - 1)


class PixelShuffle(nn.Module):
    """nn.PixelShuffle: (c*r*r, H, W) -> (c, H*r, W*r), batch or not."""

    def __init__(self, r):
        super().__init__()
        self.r = r

    def forward(self, x):
        return F.pixel_shuffle(x, self.r)


class MM(nn.Module):
    """nn.MM: {A, B} -> A B (either transposed), 2-D or batched 3-D."""

    def __init__(self, transA=False, transB=False):
        super().__init__()
        self.transA, self.transB = transA, transB

    def forward(self, xs):
        a, b = xs[0], xs[1]
        a = a.transpose(-1, -2) if self.transA else a
        b = b.transpose(-1, -2) if self.transB else b
        return torch.matmul(a, b)


class MV(nn.Module):
    """nn.MV: {M, v} -> M v (M transposed with trans), 2-D/1-D or batched."""

    def __init__(self, trans=False):
        super().__init__()
        self.trans = trans

    def forward(self, xs):
        m, v = xs[0], xs[1]
        m = m.transpose(-1, -2) if self.trans else m
        return torch.matmul(m, v.unsqueeze(-1)).squeeze(-1)


class _EuclideanFn(torch.autograd.Function):
    """Torch7's gradient divides by (y + 1e-7), against division by zero."""

    @staticmethod
    def forward(ctx, x, w):
        d = x.unsqueeze(2) - w.unsqueeze(0)            # (batch, in, out)
        y = (d * d).sum(1).sqrt()
        ctx.save_for_backward(d, y)
        return y

    @staticmethod
    def backward(ctx, go):
        d, y = ctx.saved_tensors
        t = d * (go / (y + 1e-7)).unsqueeze(1)
        return t.sum(2), -t.sum(0)


class Cosine(nn.Module):
    """nn.Cosine: y_j = x . w_j / ((|w_j| + 1e-12)(|x| + 1e-12)), weight (outputSize,
    inputSize)."""

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(outputSize, inputSize))

    def forward(self, x):
        x2 = x.unsqueeze(0) if x.dim() == 1 else x
        wn = self.weight.norm(dim=1) + 1e-12
        xn = x2.norm(dim=1, keepdim=True) + 1e-12
        y = x2.matmul(self.weight.t()) / wn / xn
        return y[0] if x.dim() == 1 else y


class Euclidean(nn.Module):
    """nn.Euclidean: y_j = || x - w[:, j] ||, weight (inputSize, outputSize)."""

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(inputSize, outputSize))

    def forward(self, x):
        if x.dim() == 1:
            return _EuclideanFn.apply(x.unsqueeze(0), self.weight)[0]
        return _EuclideanFn.apply(x, self.weight)


class Decorator(_Children):
    """nn.Decorator and its kinds (DontCast, NaN, Profile, GPU): the wrapped module's function."""

    def forward(self, x):
        return self.children_list()[0](x)


class CReLU(nn.Module):
    """nn.CReLU: each sample flattened, [relu(x), relu(-x)] joined, read back with the feature
    dimension (dim 2 of a batch beyond nInputDims, else dim 1) doubled."""

    def __init__(self, nInputDims):
        super().__init__()
        self.nInputDims = nInputDims

    def forward(self, x):
        batched = x.dim() == self.nInputDims + 1
        x2 = x.reshape(x.shape[0] if batched else 1, -1)
        y = torch.cat([F.relu(x2), F.relu(-x2)], 1)
        size = list(x.shape)
        size[1 if batched else 0] *= 2
        return y.reshape(size)


class WhiteNoise(nn.Module):
    """nn.WhiteNoise: adds N(mean, std) noise in training (``noise``, when set, replaces the
    draw); adds the mean at evaluation."""

    def __init__(self, mean, std):
        super().__init__()
        self.mean, self.std = mean, std
        self.noise = None

    def forward(self, x):
        if self.training:
            noise = self.noise if self.noise is not None else \
                torch.randn_like(x) * self.std + self.mean
            return x + noise.to(x.dtype).reshape(x.shape)
        return x + self.mean if self.mean != 0 else x


class MaskedSelect(nn.Module):
    """nn.MaskedSelect: {x, mask} -> the entries of x where mask is set, in row-major order."""

    def forward(self, xs):
        return xs[0][xs[1].reshape(xs[0].shape).bool()]


class ZeroGrad(nn.Module):
    """nn.ZeroGrad: the input unchanged, no gradient back."""

    def forward(self, x):
        return x.detach()


class _L1PenaltyFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, m, provide_output):
        ctx.save_for_backward(x)
        ctx.m, ctx.provide_output = m, provide_output
        return x.clone()

    @staticmethod
    def backward(ctx, go):
        x, = ctx.saved_tensors
        g = torch.sign(x) * ctx.m
        return (g + go if ctx.provide_output else g), None, None


class L1Penalty(nn.Module):
    """nn.L1Penalty: the identity whose gradient adds l1weight * sign(x) (divided by the
    element count with sizeAverage; the output's gradient only with provideOutput)."""

    def __init__(self, l1weight, sizeAverage=False, provideOutput=True):
        super().__init__()
        self.l1weight, self.sizeAverage, self.provideOutput = l1weight, sizeAverage, provideOutput

    def forward(self, x):
        m = self.l1weight / x.numel() if self.sizeAverage else self.l1weight
        return _L1PenaltyFn.apply(x, m, self.provideOutput)


class Collapse(nn.Module):
    """nn.Collapse: (batch, rest...) -> (batch, n) beyond nInputDim dimensions, else flat."""

    def __init__(self, nInputDim):
        super().__init__()
        self.nInputDim = nInputDim

    def forward(self, x):
        return x.reshape(x.shape[0], -1) if x.dim() > self.nInputDim else x.reshape(-1)


class OneHot(nn.Module):
    """nn.OneHot: 1-based indices to one-hot rows of outputSize."""

    def __init__(self, outputSize):
        super().__init__()
        self.outputSize = outputSize

    def forward(self, x):
        y = F.one_hot(x.long() - 1, self.outputSize)
        return y.to(x.dtype if x.is_floating_point() else torch.get_default_dtype())


class Index(nn.Module):
    """nn.Index: {t, indices} -> t.index(dimension, indices), 1-based."""

    def __init__(self, dimension):
        super().__init__()
        self.dimension = dimension

    def forward(self, xs):
        return xs[0].index_select(self.dimension - 1, xs[1].long().reshape(-1) - 1)


class ZipTable(nn.Module):
    """nn.ZipTable: {{a, b}, {c, d}} -> {{a, c}, {b, d}}."""

    def forward(self, xs):
        n = max(len(t) for t in xs)
        return [[t[j] for t in xs if j < len(t)] for j in range(n)]


class ZipTableOneToMany(nn.Module):
    """nn.ZipTableOneToMany: {v, {a, b}} -> {{v, a}, {v, b}}."""

    def forward(self, xs):
        return [[xs[0], v] for v in xs[1]]


class CAddTensorTable(nn.Module):
    """nn.CAddTensorTable: {t, {a, b}} -> {t + a, t + b}."""

    def forward(self, xs):
        return [xs[0] + v.reshape(xs[0].shape) for v in xs[1]]


class Constant(nn.Module):
    """nn.Constant: the value, repeated over the batch beyond nInputDim dimensions."""

    def __init__(self, value, nInputDim=None):
        super().__init__()
        # a constant of the module, not a state_dict entry (Torch7's Constant has no
        # parameters): on the CPU, since the export builds modules on the meta device
        self.register_buffer('value', torch.as_tensor(value, device='cpu'), persistent=False)
        self.nInputDim = nInputDim

    def forward(self, x):
        v = self.value.to(x.dtype)
        if self.nInputDim and x.dim() > self.nInputDim:
            return v.unsqueeze(0).expand((x.shape[0],) + tuple(v.shape)).clone()
        return v.clone()


class TemporalRowConvolution(nn.Module):
    """nn.TemporalRowConvolution: each feature row convolved with its own kernel; input
    (T, F) / (N, T, F), or (F, T) / (N, F, T) with featFirst."""

    def __init__(self, inputFrameSize, kW, dW=1, featFirst=False, bias=True):
        super().__init__()
        self.kW, self.dW, self.featFirst = kW, dW, featFirst
        self.weight = nn.Parameter(torch.zeros(inputFrameSize, 1, kW))
        self.bias = nn.Parameter(torch.zeros(inputFrameSize)) if bias else None

    def forward(self, x):
        single = x.dim() == 2
        x3 = x.unsqueeze(0) if single else x
        rows = x3 if self.featFirst else x3.transpose(1, 2)
        y = F.conv1d(rows, self.weight, self.bias, self.dW, groups=rows.shape[1])
        y = y if self.featFirst else y.transpose(1, 2)
        return y[0] if single else y


# ---- shapes ----------------------------------------------------------------------------------

class View(nn.Module):
    """nn.View: sizes with -1, and numInputDims' batch rule."""

    def __init__(self, sizes, numInputDims=None):
        super().__init__()
        self.sizes, self.numInputDims = list(sizes), numInputDims
        self.numElements = 1
        for s in self.sizes:
            if s > 0:
                self.numElements *= s

    def forward(self, x):
        isz = list(x.shape)
        ind = len(isz)
        nid = self.numInputDims
        maxdim = nid if nid else ind
        ine = 1
        for i in range(ind - 1, ind - maxdim - 1, -1):
            ine *= isz[i]
        if ine % self.numElements != 0:
            raise ValueError('input view (%s) and desired view (%s) do not match'
                             % ('x'.join(map(str, isz)), 'x'.join(map(str, self.sizes))))
        bsz = ine // self.numElements
        if -1 in self.sizes:
            bsz = 1
        for i in range(ind - maxdim - 1, -1, -1):
            bsz *= isz[i]
        if bsz == 1 and (not nid or ind <= nid):
            return x.reshape(self.sizes)
        return x.reshape([bsz] + self.sizes)


class Reshape(nn.Module):
    """nn.Reshape: batch mode when asked, or when the element count differs from the size's
    (or the first dimension is 1)."""

    def __init__(self, sizes, batchMode=None):
        super().__init__()
        self.sizes, self.batchMode = list(sizes), batchMode
        self.nelement = 1
        for s in self.sizes:
            self.nelement *= s

    def forward(self, x):
        if self.batchMode is False or (self.batchMode is None and x.numel() == self.nelement
                                       and x.shape[0] != 1):
            return x.reshape(self.sizes)
        return x.reshape([x.shape[0]] + self.sizes)


class Transpose(nn.Module):
    """nn.Transpose: the 1-based swaps, shifted by the batch dimensions (numInputDims)."""

    def __init__(self, permutations, numInputDims=None):
        super().__init__()
        self.permutations = [list(p) for p in permutations]
        self.numInputDims = numInputDims

    def forward(self, x):
        off = x.dim() - self.numInputDims if self.numInputDims and x.dim() > self.numInputDims \
            else 0
        for a, b in self.permutations:
            x = x.transpose(a - 1 + off, b - 1 + off)
        return x.contiguous()


class Narrow(nn.Module):
    """nn.Narrow: 1-based offset, negative dimension/offset/length as Torch7 reads them."""

    def __init__(self, dimension, index, length):
        super().__init__()
        self.dimension, self.index, self.length = dimension, index, length

    def forward(self, x):
        dim = x.dim() + self.dimension + 1 if self.dimension < 0 else self.dimension
        length, index = self.length, self.index
        if length < 0:
            length = x.shape[dim - 1] - index + length + 2
        if index < 0:
            index = 1
            length = x.shape[dim - 1] - length
        return x.narrow(dim - 1, index - 1, length)


class Select(nn.Module):
    """nn.Select: 1-based (or negative) index on a 1-based (or negative) dimension; a 1D input
    gives a one-element tensor."""

    def __init__(self, dimension, index):
        super().__init__()
        self.dimension, self.index = dimension, index

    def forward(self, x):
        dim = x.dim() + self.dimension + 1 if self.dimension < 0 else self.dimension
        index = x.shape[dim - 1] + self.index + 1 if self.index < 0 else self.index
        y = x.select(dim - 1, index - 1)
        return y.reshape(1) if y.dim() == 0 else y


class Squeeze(nn.Module):
    """nn.Squeeze: one dimension or all size-1 dimensions; a batch of one keeps its batch dim."""

    def __init__(self, dim=None, numInputDims=None):
        super().__init__()
        self.dim, self.numInputDims = dim, numInputDims

    def forward(self, x):
        dim, addone = self.dim, False
        if self.numInputDims and x.dim() == self.numInputDims + 1:
            if dim:
                dim = dim + 1
            elif x.shape[0] == 1:
                addone = True
        if dim:
            if x.shape[dim - 1] == 1 and x.dim() > 1:
                x = x.squeeze(dim - 1)
            return x
        size = [s for s in x.shape if s != 1] or ([1] if x.dim() else [])
        if addone:
            size = [1] + size
        return x.reshape(size)


class Unsqueeze(nn.Module):
    """nn.Unsqueeze: a size-1 dimension at pos (shifted by batch dimensions)."""

    def __init__(self, pos, numInputDims=None):
        super().__init__()
        self.pos, self.numInputDims = pos, numInputDims

    def forward(self, x):
        pos = self.pos
        if self.numInputDims and x.dim() > self.numInputDims:
            pos = pos + x.dim() - self.numInputDims
        return x.unsqueeze(pos - 1)


class Padding(nn.Module):
    """nn.Padding: |pad| entries of value before (pad < 0) or after (pad > 0) index."""

    def __init__(self, dim, pad, nInputDim=None, value=0.0, index=1):
        super().__init__()
        self.dim, self.pad, self.nInputDim, self.value, self.index = (
            dim, pad, nInputDim, value, index)

    def forward(self, x):
        dim = self.dim
        if self.nInputDim and x.dim() != self.nInputDim:
            dim += 1
        d = dim - 1
        n = x.shape[d]
        index, pad = self.index, self.pad
        if pad > 0:
            index = n - index + 2
        else:
            pad = -pad
        shape = list(x.shape)
        shape[d] = pad
        fill = torch.full(shape, float(self.value), dtype=x.dtype, device=x.device)
        if index == 1:
            parts = [fill, x]
        elif index == n + 1:
            parts = [x, fill]
        else:
            parts = [x.narrow(d, 0, index - 1), fill, x.narrow(d, index - 1, n - index + 1)]
        return torch.cat(parts, d)


class SpatialPadding(nn.Module):
    """nn.SpatialZeroPadding (negative pads crop) / Reflection / Replication padding, and
    VolumetricReplicationPadding; pads are (left, right, top, bottom[, front, back])."""

    def __init__(self, pads, mode='constant'):
        super().__init__()
        self.pads, self.mode = list(pads), mode

    def forward(self, x):
        if self.mode == 'constant':
            return F.pad(x, self.pads)
        nspatial = len(self.pads) // 2
        single = x.dim() == nspatial + 1
        y = F.pad(x.unsqueeze(0) if single else x, self.pads, mode=self.mode)
        return y[0] if single else y


class UpSamplingNearest(nn.Module):
    """nn.SpatialUpSamplingNearest: each pixel repeated scale x scale times."""

    def __init__(self, scale):
        super().__init__()
        self.scale = scale

    def forward(self, x):
        s = self.scale
        return x.repeat_interleave(s, -2).repeat_interleave(s, -1)


class UpSamplingBilinear(nn.Module):
    """nn.SpatialUpSamplingBilinear: align-corners interpolation to (H*s, W*s) (what the code
    computes; its doc's (H-1)*(s-1)+H is stale) or to a given size. The source positions are
    single-precision floats, as THNN computes them."""

    def __init__(self, scale_factor=None, oheight=None, owidth=None):
        super().__init__()
        self.scale_factor, self.oheight, self.owidth = scale_factor, oheight, owidth

    @staticmethod
    def _map(isize, osize, dtype):
        f32 = torch.float32
        if osize > 1:
            r = torch.tensor(isize - 1, dtype=f32) / torch.tensor(osize - 1, dtype=f32)
        else:
            r = torch.tensor(0, dtype=f32)
        pos = r * torch.arange(osize, dtype=f32)
        i0 = pos.long()
        i1 = i0 + (i0 < isize - 1).long()
        l1 = (pos - i0.to(f32)).to(dtype)
        return i0, i1, 1 - l1, l1

    def forward(self, x):
        H, W = x.shape[-2:]
        if self.scale_factor:
            oH, oW = H * self.scale_factor, W * self.scale_factor
        else:
            oH, oW = self.oheight, self.owidth
        if (oH, oW) == (H, W):
            return x
        h0, h1, hl0, hl1 = self._map(H, oH, x.dtype)
        w0, w1, wl0, wl1 = self._map(W, oW, x.dtype)
        hl0, hl1 = hl0.view(-1, 1), hl1.view(-1, 1)

        def row(h):
            r = x.index_select(-2, h)
            return wl0 * r.index_select(-1, w0) + wl1 * r.index_select(-1, w1)
        return hl0 * row(h0) + hl1 * row(h1)


class Pool(nn.Module):
    """Max/average pooling of every dimensionality with Torch7's non-batch rule (the ceil-mode
    rule, padding and divisor rules are PyTorch's, which are Torch7's). Keeps the last indices
    for a MaxUnpooling that refers to it."""

    def __init__(self, kind, nd, kernel, stride, padding, dilation=1, ceil_mode=False,
                 count_include_pad=True, divide=True):
        super().__init__()
        self.kind, self.nd = kind, nd
        self.kernel, self.stride, self.padding = kernel, stride, padding
        self.dilation, self.ceil_mode = dilation, ceil_mode
        self.count_include_pad, self.divide = count_include_pad, divide
        self.indices = None

    def forward(self, x):
        single = x.dim() == self.nd + 1
        x = x.unsqueeze(0) if single else x
        self.last_input_size = tuple(x.shape[-self.nd:])
        if self.kind == 'max':
            fn = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[self.nd - 1]
            y, self.indices = fn(x, self.kernel, self.stride, self.padding, self.dilation,
                                 self.ceil_mode, return_indices=True)
        else:
            fn = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[self.nd - 1]
            y = fn(x, self.kernel, self.stride, self.padding, self.ceil_mode,
                   self.count_include_pad)
            if not self.divide:
                y = y * math.prod(self.kernel)
        return y[0] if single else y


class TemporalMaxPooling(nn.Module):
    """nn.TemporalMaxPooling: input (T, F) or (N, T, F)."""

    def __init__(self, kW, dW):
        super().__init__()
        self.kW, self.dW = kW, dW

    def forward(self, x):
        single = x.dim() == 2
        x3 = x.unsqueeze(0) if single else x
        y = F.max_pool1d(x3.transpose(1, 2), self.kW, self.dW).transpose(1, 2)
        return y[0] if single else y


class MaxUnpooling(nn.Module):
    """nn.Spatial/VolumetricMaxUnpooling: scatters into the input size of the pooling module it
    refers to, at that module's last indices (the pooling module is held outside the module
    tree, so its parameters are not counted twice)."""

    def __init__(self, nd, pool):
        super().__init__()
        self.nd = nd
        self._pool = [pool]

    def forward(self, x):
        pool = self._pool[0]
        single = x.dim() == self.nd + 1
        x = x.unsqueeze(0) if single else x
        size = pool.last_input_size
        fn = (F.max_unpool1d, F.max_unpool2d, F.max_unpool3d)[self.nd - 1]
        y = fn(x, pool.indices, pool.kernel, pool.stride, pool.padding, output_size=size)
        return y[0] if single else y


class AdaptivePool(nn.Module):
    """nn.SpatialAdaptiveMax/AveragePooling to (H, W)."""

    def __init__(self, kind, oH, oW):
        super().__init__()
        self.kind, self.oH, self.oW = kind, oH, oW

    def forward(self, x):
        fn = F.adaptive_max_pool2d if self.kind == 'max' else F.adaptive_avg_pool2d
        return fn(x, (self.oH, self.oW))


class LookupTable(nn.Module):
    """nn.LookupTable: 1-based indices (1D, or 2D for a batch); the padding index gets no
    gradient; scaleGradByFreq divides each row's gradient by its count in the batch."""

    def __init__(self, nIndex, nOutput, paddingValue=0, scaleGradByFreq=False, maxNorm=None,
                 normType=2.0):
        super().__init__()
        self.paddingValue, self.scaleGradByFreq = paddingValue, scaleGradByFreq
        # maxNorm: the rows the input names are renormalised in place before the lookup, each
        # scaled by maxNorm / (norm + 1e-7) where its p-norm exceeds maxNorm (THNN's
        # LookupTable_renorm is PyTorch's embedding_renorm_)
        self.maxNorm, self.normType = maxNorm, normType
        self.weight = nn.Parameter(torch.zeros(nIndex, nOutput))

    def forward(self, x):
        idx = x.long() - 1
        y = F.embedding(idx, self.weight, scale_grad_by_freq=self.scaleGradByFreq,
                        max_norm=getattr(self, 'maxNorm', None),
                        norm_type=getattr(self, 'normType', 2.0))
        if self.paddingValue:
            keep = (x.long() != self.paddingValue).unsqueeze(-1).to(y.dtype)
            y = y * keep + (y * (1 - keep)).detach()
        return y


# ---- table layers ----------------------------------------------------------------------------

class CTable(nn.Module):
    """nn.CAddTable / CSubTable / CMulTable / CDivTable / CMaxTable / CMinTable."""

    def __init__(self, op):
        super().__init__()
        self.op = op

    def forward(self, xs):
        y = xs[0]
        for x in xs[1:]:
            if x.shape != y.shape and x.numel() == y.numel():
                # Torch7 works element by element over nElement, each in its own order
                x = x.reshape(y.shape)
            if self.op == 'add':
                y = y + x
            elif self.op == 'sub':
                y = y - x
            elif self.op == 'mul':
                y = y * x
            elif self.op == 'div':
                y = y / x
            elif self.op == 'max':
                y = torch.maximum(y, x)
            else:
                y = torch.minimum(y, x)
        return y


class _PairwiseDistanceFn(torch.autograd.Function):
    """Torch7's gradient: d |d|^(p-2) (the power only for p > 2) / (y + 1e-6)^(p-1), sign(d)
    for p = 1 (0 where d = 0, where Torch7 draws a random sign)."""

    @staticmethod
    def forward(ctx, a, b, p):
        d = a - b
        y = d.abs().pow(p).sum(1).pow(1.0 / p)
        ctx.save_for_backward(d, y)
        ctx.p = p
        return y

    @staticmethod
    def backward(ctx, go):
        d, y = ctx.saved_tensors
        p = ctx.p
        if p == 1:
            g = torch.sign(d)
        else:
            g = d.clone()
            if p > 2:
                g = g * d.abs().pow(p - 2)
            g = g * (y + 1e-6).pow(-(p - 1)).unsqueeze(1)
        g = g * go.unsqueeze(1)
        return g, -g, None


class PairwiseDistance(nn.Module):
    """nn.PairwiseDistance: the p-norm of each row of a - b (a vector gives one value), with
    Torch7's gradient."""

    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, xs):
        a, b = xs[0], xs[1]
        b = b.reshape(a.shape)
        if a.dim() == 1:
            return _PairwiseDistanceFn.apply(a.reshape(1, -1), b.reshape(1, -1), self.p)
        return _PairwiseDistanceFn.apply(a, b, self.p)


class CosineDistance(nn.Module):
    """nn.CosineDistance: row cosine similarity, with Torch7's 1e-12 in each squared norm."""

    def forward(self, xs):
        a, b = xs[0], xs[1]
        a = a.reshape(1, -1) if a.dim() == 1 else a
        b = b.reshape(a.shape)
        w1 = (a * b).sum(1)
        w22 = 1.0 / ((a * a).sum(1) + 1e-12)
        w32 = 1.0 / ((b * b).sum(1) + 1e-12)
        return w1 * torch.sqrt(w22 * w32)


class DotProduct(nn.Module):
    """nn.DotProduct: the dot product of each row pair."""

    def forward(self, xs):
        a, b = xs[0], xs[1]
        a = a.reshape(1, -1) if a.dim() == 1 else a
        return (a * b.reshape(a.shape)).sum(1)


class Bilinear(nn.Module):
    """nn.Bilinear: y_k = x1 W_k x2 + b_k over a batch."""

    def __init__(self, in1, in2, out, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(out, in1, in2))
        self.bias = nn.Parameter(torch.zeros(out)) if bias else None

    def forward(self, xs):
        return F.bilinear(xs[0], xs[1], self.weight, self.bias)


class JoinTable(nn.Module):
    """nn.JoinTable: torch.cat along Torch7's (1-based, negative, nInputDims) dimension."""

    def __init__(self, dimension, nInputDims=None):
        super().__init__()
        self.dimension, self.nInputDims = dimension, nInputDims

    def forward(self, xs):
        return torch.cat(list(xs), _pos_dim(self.dimension, self.nInputDims, xs[0].dim()))


class SplitTable(nn.Module):
    """nn.SplitTable: the list of slices along Torch7's dimension."""

    def __init__(self, dimension, nInputDims=None):
        super().__init__()
        self.dimension, self.nInputDims = dimension, nInputDims

    def forward(self, x):
        return list(torch.unbind(x, _pos_dim(self.dimension, self.nInputDims, x.dim())))


class SelectTable(nn.Module):
    """nn.SelectTable: entry index (1-based, negative from the end)."""

    def __init__(self, index):
        super().__init__()
        self.index = index

    def forward(self, xs):
        i = len(xs) + self.index if self.index < 0 else self.index - 1
        return xs[i]


class NarrowTable(nn.Module):
    """nn.NarrowTable: entries offset .. offset+length-1 (a negative length counts back)."""

    def __init__(self, offset, length):
        super().__init__()
        self.offset, self.length = offset, length

    def forward(self, xs):
        length = self.length
        if length < 0:
            length = len(xs) - self.offset + length + 2
        return list(xs[self.offset - 1:self.offset - 1 + length])


class FlattenTable(nn.Module):
    """nn.FlattenTable: nested lists become one flat list, depth first."""

    def forward(self, xs):
        out = []

        def walk(t):
            if isinstance(t, (list, tuple)):
                for v in t:
                    walk(v)
            else:
                out.append(t)
        walk(xs)
        return out


# ---- criterions ------------------------------------------------------------------------------

class Criterion(nn.Module):
    """A Torch7 criterion as a loss module: forward(input, target) -> scalar. Class targets are
    1-based, as in Torch7; sizeAverage=False sums."""

    def __init__(self, kind, sizeAverage=True, weights=None, margin=None, p=1, ignoreIndex=-100):
        super().__init__()
        self.kind, self.sizeAverage, self.margin, self.p = kind, sizeAverage, margin, p
        self.ignoreIndex = ignoreIndex
        if weights is not None:
            self.register_buffer('weights', torch.as_tensor(weights))
        else:
            self.weights = None

    def forward(self, input, target):
        k = self.kind
        red = 'mean' if self.sizeAverage else 'sum'
        if k == 'MSE':
            return F.mse_loss(input, target, reduction=red)
        if k == 'Abs':
            return F.l1_loss(input, target, reduction=red)
        if k == 'SmoothL1':
            return F.smooth_l1_loss(input, target, reduction=red)
        if k == 'BCE':
            w = self.weights
            if w is not None and input.dim() == 2 and w.dim() == 1:
                w = w.expand_as(input)
            return F.binary_cross_entropy(input, target, w, reduction=red)
        if k == 'DistKLDiv':
            # Torch7: sum target * (log target - input) over target > 0, averaged per element
            t = torch.where(target > 0, target * (torch.log(target.clamp_min(1e-300)) - input),
                            torch.zeros_like(input))
            return t.sum() / input.numel() if self.sizeAverage else t.sum()
        if k == 'SpatialClassNLL':
            ign = self.ignoreIndex - 1 if self.ignoreIndex >= 0 else self.ignoreIndex
            return F.nll_loss(input, target.long() - 1, self.weights, ignore_index=ign,
                              reduction=red)
        if k in ('ClassNLL', 'CrossEntropy'):
            single = input.dim() == 1
            inp = input.unsqueeze(0) if single else input
            tgt = target.reshape(-1).long() - 1
            if k == 'CrossEntropy':
                inp = F.log_softmax(inp, 1)
            ign = self.ignoreIndex - 1 if self.ignoreIndex >= 0 else self.ignoreIndex
            return F.nll_loss(inp, tgt, self.weights, ignore_index=ign, reduction=red)
        if k == 'SoftMargin':
            return F.soft_margin_loss(input, target, reduction=red)
        if k == 'MultiLabelSoftMargin':
            w = self.weights
            loss = F.binary_cross_entropy_with_logits(input, target, w, reduction='sum')
            return loss / input.numel() if self.sizeAverage else loss
        if k == 'MarginRanking':
            loss = F.margin_ranking_loss(input[0], input[1], target, margin=self.margin,
                                         reduction=red)
            return loss
        if k == 'HingeEmbedding':
            return F.hinge_embedding_loss(input, target, margin=self.margin, reduction=red)
        if k == 'MultiMargin':
            single = input.dim() == 1
            inp = input.unsqueeze(0) if single else input
            return F.multi_margin_loss(inp, target.reshape(-1).long() - 1, p=self.p,
                                       margin=self.margin, weight=self.weights, reduction=red)
        if k == 'CosineEmbedding':
            return F.cosine_embedding_loss(input[0], input[1], target, margin=self.margin,
                                           reduction=red)
        if k == 'Margin':
            z = (self.margin - input * target).clamp_min(0).sum()
            return z / input.numel() if self.sizeAverage else z
        if k == 'MultiLabelMargin':
            # Torch7's 1-based targets ended by 0 are PyTorch's 0-based ended by -1
            single = input.dim() == 1
            inp = input.unsqueeze(0) if single else input
            tgt = (target.long() - 1).reshape(inp.shape)
            return F.multilabel_margin_loss(inp, tgt, reduction=red)
        if k == 'L1HingeEmbedding':
            d = (input[0] - input[1]).abs().sum()
            return d if float(target) == 1 else (self.margin - d).clamp_min(0)
        if k == 'WeightedMSE':
            w = self.weights
            if input.dim() - 1 == w.dim():
                w = w.unsqueeze(0) if tuple(w.shape) == tuple(input.shape[1:]) \
                    else w.reshape(1, -1)
            else:
                w = w.reshape(input.shape)
            return F.mse_loss(input, target.reshape(input.shape) * w, reduction=red)
        raise ValueError('unknown criterion kind ' + k)


class ParallelCriterion(_Children):
    """nn.ParallelCriterion: sum of weight_i * criterion_i(input[i], target[i]) (or the one
    target for every criterion with repeatTarget)."""

    def __init__(self, weights, repeatTarget, *criterions):
        super().__init__(*criterions)
        self.weights, self.repeatTarget = list(weights), repeatTarget

    def forward(self, input, target):
        loss = 0
        for i, c in enumerate(self.children_list()):
            loss = loss + self.weights[i] * c(input[i], target if self.repeatTarget
                                              else target[i])
        return loss


class MultiCriterion(_Children):
    """nn.MultiCriterion: sum of weight_i * criterion_i(input, target)."""

    def __init__(self, weights, *criterions):
        super().__init__(*criterions)
        self.weights = list(weights)

    def forward(self, input, target):
        loss = 0
        for w, c in zip(self.weights, self.children_list()):
            loss = loss + w * c(input, target)
        return loss


class LocalNorm(nn.Module):
    """nn.SpatialSubtractiveNormalization (kind 'sub': x - est(x) / est(1)) and
    nn.SpatialDivisiveNormalization (kind 'div': x / threshold(sqrt(est2(x^2)) / est(1)), with
    Threshold(threshold, thresval)). est is the module's own estimator: a zero padding, then one
    SpatialConvolution of every plane to one (a 2-D kernel: w, b) or a per-plane horizontal pass
    (SpatialConvolutionMap oneToOne: w1, b1) and a vertical SpatialConvolution (w2, b2) (a 1-D
    kernel); the one output plane is replicated to every plane. The kernels are the file's, held
    as constants (Torch7 never trains them), so they stay out of the state_dict."""

    def __init__(self, kind, pads, mean, std=None, threshold=0.0, thresval=0.0, eps=0.0):
        super().__init__()
        self.kind, self.pads = kind, tuple(pads)
        self.threshold, self.thresval, self.eps = threshold, thresval, eps
        for name, est in (('mean', mean), ('std', std)):
            if est is None:
                continue
            for i, t in enumerate(est):
                self.register_buffer('%s%d' % (name, i),
                                     torch.tensor(t, dtype=torch.float64, device='cpu'),
                                     persistent=False)
        self.n_est = len(mean)

    def _est(self, x, name):
        t = [getattr(self, '%s%d' % (name, i)).to(x.dtype) for i in range(self.n_est)]
        pw, ph = self.pads
        y = F.pad(x, (pw, pw, ph, ph))
        n = x.shape[1]
        if len(t) == 2:       # 2-D kernel: weight (1, n, kH, kW)
            y = F.conv2d(y, t[0], t[1])
        else:                 # 1-D: per-plane (n, kW) rows, then (1, n, kH, 1)
            y = F.conv2d(y, t[0].view(n, 1, 1, -1), t[1], groups=n)
            y = F.conv2d(y, t[2], t[3])
        return y.expand(-1, n, -1, -1)

    def forward(self, x):
        single = x.dim() == 3
        x4 = x.unsqueeze(0) if single else x
        coef = self._est(torch.ones_like(x4[:1]), 'mean')
        if self.kind == 'sub':
            y = x4 - self._est(x4, 'mean') / coef
        else:
            std = torch.sqrt(self._est(x4 * x4, 'std') + self.eps)
            y = x4 / F.threshold(std / coef, self.threshold, self.thresval)
        return y[0] if single else y


class CudnnRNN(nn.Module):
    """cudnn.torch's RNN family (cudnn.RNN, LSTM, GRU, RNNReLU, RNNTanh, BLSTM, BGRU) on its
    flat `weight` blob, in cuDNN's layout: for each pseudo-layer (layer * directions + direction)
    the G input matrices (H x layer input), the G recurrent matrices (H x H), the G input and the
    G recurrent biases; gates LSTM i, f, c', o; GRU r, z, h'. Input seqLength x batch x input
    (batch first with batchFirst); output the last layer's outputs, both directions side by side.
    Initial states: hiddenInput/cellInput as the layer held them, or with rememberStates the
    last call's final states when the batch size is the same (zeros otherwise), as cudnn.RNN."""

    def __init__(self, mode, input_size, hidden, layers, directions, batch_first, remember,
                 weight_shape, h0=None, c0=None):
        super().__init__()
        self.mode, self.inp, self.h, self.layers, self.dirs = mode, input_size, hidden, layers, \
            directions
        self.batch_first, self.remember = batch_first, remember
        self.weight = nn.Parameter(torch.zeros(weight_shape))
        self.h0, self.c0 = h0, c0

    def _gates(self):
        return {'CUDNN_LSTM': 4, 'CUDNN_GRU': 3}.get(self.mode, 1)

    def _start(self, state, shape, like):
        if state is None:
            return like.new_zeros(shape)
        s = torch.as_tensor(state, dtype=like.dtype)
        if tuple(s.shape) != tuple(shape):
            if self.remember:
                return like.new_zeros(shape)
            raise ValueError('hiddenInput has incorrect size! (%s expected, got %s)'
                             % ('x'.join(map(str, shape)), 'x'.join(map(str, s.shape))))
        return s

    def forward(self, x):
        seq = x.transpose(0, 1) if self.batch_first else x
        steps, batch = seq.shape[0], seq.shape[1]
        g, hd, nd = self._gates(), self.h, self.dirs
        shape = (self.layers * nd, batch, hd)
        hx = self._start(self.h0, shape, seq)
        cx = self._start(self.c0, shape, seq)
        w = self.weight.reshape(-1)
        off, hy, cy = 0, [], []
        for layer in range(self.layers):
            inp = self.inp if layer == 0 else hd * nd
            outs = []
            for d in range(nd):
                k = layer * nd + d
                W = w[off:off + g * hd * inp].view(g * hd, inp)
                off += g * hd * inp
                R = w[off:off + g * hd * hd].view(g * hd, hd)
                off += g * hd * hd
                bW, bR = w[off:off + g * hd], w[off + g * hd:off + 2 * g * hd]
                off += 2 * g * hd
                xg = seq @ W.t() + bW
                h, c = hx[k], cx[k]
                ys = [None] * steps
                for t in (range(steps - 1, -1, -1) if d == 1 else range(steps)):
                    hr = h @ R.t() + bR
                    if self.mode == 'CUDNN_LSTM':
                        a = xg[t] + hr
                        i, f = torch.sigmoid(a[:, :hd]), torch.sigmoid(a[:, hd:2 * hd])
                        cc, o = torch.tanh(a[:, 2 * hd:3 * hd]), torch.sigmoid(a[:, 3 * hd:])
                        c = f * c + i * cc
                        h = o * torch.tanh(c)
                    elif self.mode == 'CUDNN_GRU':
                        r = torch.sigmoid(xg[t, :, :hd] + hr[:, :hd])
                        z = torch.sigmoid(xg[t, :, hd:2 * hd] + hr[:, hd:2 * hd])
                        n = torch.tanh(xg[t, :, 2 * hd:] + r * hr[:, 2 * hd:])
                        h = (1 - z) * n + z * h
                    else:
                        a = xg[t] + hr
                        h = torch.relu(a) if self.mode == 'CUDNN_RNN_RELU' else torch.tanh(a)
                    ys[t] = h
                outs.append(torch.stack(ys))
                hy.append(h)
                cy.append(c)
            seq = torch.cat(outs, 2) if nd == 2 else outs[0]
        if self.remember:
            self.h0 = torch.stack(hy).detach().numpy().copy()
            self.c0 = torch.stack(cy).detach().numpy().copy() if self.mode == 'CUDNN_LSTM' \
                else None
        return seq.transpose(0, 1) if self.batch_first else seq
