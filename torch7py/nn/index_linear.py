"""nn.IndexLinear: port of torch/nn IndexLinear.lua and THNN IndexLinear.c (a Linear layer on
sparse input given as keys and values: a batch of per-sample tables, one sample, or flat
{keys, values, sizes}). Weight rows are indexed by key; gradients stay sparse until
updateParameters."""
import numpy as np

from .. import messages, numerics
from ..messages import at_lua
from .. import tensor as _tensor
from ..tensor import TorchError
from ._conv import init_bound
from . import _kernels, utils
from ._kernels import arr, new_tensor, out_like
from .module import Module
from .utils import TorchAssertionError


try:  # THNN's loops in C (the FMA axpy on the CPU's instruction)
    from ._sn import il_fwd as _IL_FWD, rows_axpy as _ROWS_AXPY
except ImportError:
    _IL_FWD = _ROWS_AXPY = None

# THNN_SPARSE_OUTDIM_THRESHOLD: more outputs than this go through BLAS axpy (_axpy_rows)
_AXPY_OUTPUTS = 49


def _axpy_rows(a, x, c):
    """c + a * x, each row as THBlas_(axpy) (OpenBLAS's daxpy/saxpy) computes it: its first
    D & -16 (double) or D & -32 (float) elements fused (the micro-kernel), the rest the
    product rounded first (the C tail); all fused for numerics.blas_loops' "fused" build."""
    D = c.shape[-1]
    k = D if numerics.blas_fused else D & (-16 if c.dtype == np.float64 else -32)
    r = np.empty(np.broadcast_shapes(np.shape(a), np.shape(x), c.shape), c.dtype)
    if k:
        r[..., :k] = numerics.fma(a, x[..., :k], c[..., :k])
    if k < D:
        r[..., k:] = c[..., k:] + a * x[..., k:]
    return r


def _forward_sums(w, n, bias, rows, vals, sizes, y):
    """THNN IndexLinear_updateOutput's sums into y (batch, outputs) from the weight columns n...
    of the rows, the values already normalized: per sample, with one output `real val = 0;
    val += w * v` over its entries, then bias + val; with several, y = bias, then per entry
    y += w * v (two roundings), or beyond 49 outputs BLAS axpy's fma(v, w, y)."""
    D = y.shape[1]
    dt = y.dtype
    vals = np.ascontiguousarray(vals, dtype=dt)
    if _IL_FWD is not None and _kernels.use_c and dt in (np.float32, np.float64) \
            and w.flags.c_contiguous and bias.flags.c_contiguous and bias.dtype == dt:
        _IL_FWD(np.ascontiguousarray(rows, dtype=np.int64), vals,
                np.ascontiguousarray(sizes, dtype=np.int64), w.reshape(-1)[n:], bias, y,
                sizes.size, rows.size, D, w.shape[0], w.shape[1], dt == np.float32)
        return
    starts = np.cumsum(sizes) - sizes
    B = sizes.size
    steps = int(sizes.max()) if B else 0
    if D == 1:
        acc = np.zeros(B, dtype=dt)
        prods = w[rows, n] * vals
        if B < steps:   # a few long samples: each one's running sum
            for j in range(B):
                seg = prods[starts[j]:starts[j] + sizes[j]]
                acc[j] = np.add.accumulate(np.concatenate(([acc[j]], seg)))[-1]
        else:           # entry position by position, every sample at once
            for k in range(steps):
                sel = np.flatnonzero(sizes > k)
                acc[sel] += prods[starts[sel] + k]
        y[:, 0] = bias[0] + acc
        return
    y[...] = bias
    if D <= _AXPY_OUTPUTS and B < steps:
        for j in range(B):
            seg = slice(starts[j], starts[j] + sizes[j])
            terms = w[rows[seg], n:] * vals[seg, None]
            y[j] = np.add.accumulate(np.concatenate((y[j:j + 1], terms)), axis=0)[-1]
        return
    for k in range(steps):
        sel = np.flatnonzero(sizes > k)
        e = starts[sel] + k
        if D > _AXPY_OUTPUTS:
            y[sel] = _axpy_rows(vals[e, None], w[rows[e], n:], y[sel])
        else:
            y[sel] += w[rows[e], n:] * vals[e, None]


def _fused_rows(w, n, rows, a, x, xi, groups):
    """Entry after entry, w[rows[e], n:] = fma(a[e], x[xi[e]], w[rows[e], n:]) (THBlas axpy
    past 49 outputs): in C, or one occurrence rank of the keys at a time (``groups()``)."""
    dt = w.dtype
    if _ROWS_AXPY is not None and _kernels.use_c and dt in (np.float32, np.float64) \
            and w.flags.c_contiguous and x.flags.c_contiguous and x.dtype == dt:
        _ROWS_AXPY(w.reshape(-1)[n:], np.ascontiguousarray(rows, dtype=np.int64),
                   np.ascontiguousarray(a, dtype=dt), x, np.ascontiguousarray(xi, dtype=np.int64),
                   rows.size, w.shape[1] - n, w.shape[0], w.shape[1], x.shape[0], x.shape[1],
                   dt == np.float32, numerics.blas_fused)
        return
    for sel in groups():
        k = rows[sel]
        w[k, n:] = _axpy_rows(a[sel, None], x[xi[sel]], w[k, n:])


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
        stdv = init_bound(stdv, self.weight.size(2))
        self.weight.uniform(-stdv, stdv)
        self.bias.uniform(-stdv, stdv).mul(0.000001)
        if self.normalize:
            arr(self.weight)[:, :self.normalize] = 0
        return  # (its Lua returns nothing)
    def _flatten(self, input):
        """Concatenated 0-based weight rows, values, and per-sample sizes."""
        if not isinstance(input, (list, tuple)) or len(input) not in (2, 3):
            # reshapeInput's assert(torch.type(input) == 'table') (line 76), then
            # assert(ninputs == 2 or ninputs == 3) (line 83)
            raise at_lua(TorchAssertionError('assertion failed!'), 'nn/IndexLinear.lua:%d' % (
                83 if isinstance(input, (list, tuple)) else 76))
        if len(input) == 3:
            keys, vals, sizes = input
            sizes = np.asarray(arr(sizes) if isinstance(sizes, _tensor.Tensor)
                               else [sizes]).astype(np.int64).reshape(-1)
            if keys.nElement() != vals.nElement():
                raise TorchAssertionError('Keys and values should be of same size')
            self.isFlat, self.noBatch = True, False
            k, v = arr(keys).reshape(-1), arr(vals).reshape(-1)
            given = (keys, vals, input[2])
        else:
            keys, vals = input
            if isinstance(keys, list) and isinstance(vals, list):
                self.isFlat, self.noBatch = False, False
            elif isinstance(keys, _tensor.Tensor) and isinstance(vals, _tensor.Tensor):
                keys, vals = [keys], [vals]
                self.isFlat, self.noBatch = False, True
            else:
                raise at_lua(TorchError('Wrong input format.'), 'nn/IndexLinear.lua:126')
            for a, b in zip(keys, vals):
                if a.dim() != 1 or b.dim() != 1:
                    raise at_lua(TorchAssertionError(
                        'keys and values should be 1D'), 'nn/IndexLinear.lua:130')
            sizes = np.array([t.size(1) for t in keys], dtype=np.int64)
            given = (keys, vals, None)
            k = np.concatenate([arr(t) for t in keys]) if keys else np.zeros(0)
            v = np.concatenate([arr(t) for t in vals]) if vals else np.zeros(0)
        rows = k.astype(np.int64) + self.offset
        if rows.size and (rows.min() < 0 or rows.max() >= self.inputSize):
            raise TorchError('index out of range')
        samples = np.repeat(np.arange(sizes.size), sizes)
        return rows, np.asarray(v, dtype=arr(self.weight).dtype), sizes, samples, given

    def _ranks(self, rows):
        """Each entry's occurrence number among the entries of its key (0 for the first): entries
        of one rank touch distinct rows, so THNN's sequential per-entry updates are replayed
        exactly one rank at a time."""
        order = np.argsort(rows, kind='stable')
        srt = rows[order]
        first = np.r_[True, srt[1:] != srt[:-1]] if srt.size else np.zeros(0, bool)
        start = np.maximum.accumulate(np.where(first, np.arange(srt.size), 0))
        rank = np.empty(rows.size, dtype=np.int64)
        rank[order] = np.arange(srt.size) - start
        return rank

    def _rank_groups(self, rows):
        """The entries of each rank (see _ranks), in entry order, found with one sort: linear
        in the number of entries however often a key repeats."""
        rank = self._ranks(rows)
        if not rank.size:
            return []
        order = np.argsort(rank, kind='stable')
        bounds = np.cumsum(np.bincount(rank))
        return np.split(order, bounds[:-1])

    def _normalized(self, rows, v):
        """THNN's max-abs scaling (weight columns: 1 max |value|, 2 its inverse, 3 the update
        scale, 4 a per-feature bias): in training the max grows and the scale is set to 1;
        a value is divided by the max (clamped to its sign beyond it), plus the feature bias."""
        w = arr(self.weight)
        out = np.empty_like(v)
        for sel in self._rank_groups(rows):
            k, x = rows[sel], v[sel]
            a = np.abs(x)
            if self.__dict__.get('train'):    # 'self.train and 1 or 0': nil until training()
                up = a > w[k, 0]
                w[k[up], 0] = a[up]
                w[k[up], 1] = 1 / a[up]
                w[k, 2] = 1
            out[sel] = np.where(a > w[k, 0], np.sign(x), x * w[k, 1]) + w[k, 3]
        return out

    def updateOutput(self, input):
        rows, v, sizes, samples, given = self._flatten(input)
        w = arr(self.weight)
        vals = v
        if self.normalize:
            vals = self._normalized(rows, v)
            out_like(self.normalizedValues, vals.shape)[...] = vals
        y = np.empty((sizes.size, self.outputSize), dtype=w.dtype)
        _forward_sums(w, self.normalize, arr(self.bias), rows, vals, sizes, y)
        self._flatten_inputs(rows, v, sizes, given)
        out_like(self.output, (y.shape[1],) if self.noBatch else y.shape)[...] = \
            y[0] if self.noBatch else y
        return self.output

    def _flatten_inputs(self, rows, v, sizes, given):
        """IndexLinear.lua's flattenInputs, as it keeps its tensors: the keys in
        running.keys[counter] (made once per counter), values, sizes and cumSumSizes (the
        sizesCache/cumSumSizesCache tensors of a table input; the input's sizes tensor and a
        cumSumSizes of its own for a flat one), lkeys/lvalues (the input's tables), and
        running.cumSumSizes[counter] = cumSumSizes."""
        d = self.__dict__
        running = self.running
        c = running['counter']
        keys = _tget(running['keys'], c - 1)
        if keys is None:
            keys = _tensor.LongTensor()
            _tset(running['keys'], c - 1, keys)
        self.keys = keys
        lkeys, lvalues, fsizes = given
        if d.get('values') is None:
            self.values = (lvalues if self.isFlat else lvalues[0]).new()
        n = int(rows.size)
        if n:
            keys.resize(n)
            arr(keys)[...] = rows - self.offset
            self.values.resize(n)
            arr(self.values)[...] = v
        else:
            keys.set()
            self.values.set()
        if self.isFlat:
            self.sizes = fsizes if isinstance(fsizes, _tensor.Tensor) else _long(sizes)
            if d.get('cumSumSizes') is None:
                self.cumSumSizes = self.sizes.new()
            self.cumSumSizes.resize(max(sizes.size, 1))
        else:
            self.lkeys, self.lvalues = lkeys, lvalues
            b = int(sizes.size)
            caches = (self.sizesCache, self.cumSumSizesCache)
            for cache in caches:
                if _tget(cache, 0) is None:
                    _tset(cache, 0, _tensor.LongTensor(max(b, 1)))
            self.sizes, self.cumSumSizes = _tget(caches[0], 0), _tget(caches[1], 0)
            self.sizes.resize(max(b, 1))
            self.cumSumSizes.resize(max(b, 1))
            arr(self.sizes)[:b] = sizes
        if sizes.size:
            arr(self.cumSumSizes)[:sizes.size] = np.cumsum(sizes)
        _tset(running['cumSumSizes'], c - 1, self.cumSumSizes)

    def _check_forwarded(self):
        """IndexLinear.lua's backward passes start at self.values.THNN (or .new()): nil
        before a forward."""
        if self.__dict__.get('values') is None:
            raise TorchError(messages.msg('index_field', 'values', 'nil'))

    def _saved(self):
        """0-based weight rows, the values THNN sees (normalized ones with normalize) and the
        sample of every entry of the last forward."""
        rows = np.asarray(arr(self.keys)).astype(np.int64) + self.offset
        src = self.normalizedValues if self.normalize else self.values
        vals = arr(src) if src.nElement() else np.zeros(0)
        sizes = np.asarray(arr(self.sizes)).astype(np.int64)
        return rows, vals, np.repeat(np.arange(sizes.size), sizes)

    def accGradParameters(self, input, gradOutput, scale=1):
        """THNN IndexLinear_accGradParameters: a dense (nKeys, outputSize) gradient per call
        (with normalize: (nKeys, 2 * outputSize), the feature-bias part first), kept in
        running.gradWeight with the keys until updateParameters."""
        if scale is None:
            scale = 1
        self._check_forwarded()
        rows, vals, samples = self._saved()
        go = arr(gradOutput).reshape(-1, self.outputSize)
        out = self.outputSize
        # written straight into the new running gradient: it holds nKeys rows
        gt = self.values.new(rows.size, 2 * out if self.normalize else out)
        g = arr(gt)
        sc = g.dtype.type(scale)      # THNN: real scale
        gb = arr(self.gradBias)
        if out == 1:
            # real val = gradOutput[j] * scale; rows val * v (normalize: val, val * v);
            # gradBias += val sample after sample
            Gs = go[:, 0] * sc
            if self.normalize:
                np.take(Gs, samples, out=g[:, 0])
                np.multiply(g[:, 0], vals, out=g[:, 1])
            else:
                np.multiply(Gs[samples], vals, out=g[:, 0])
            gb[0] = np.add.accumulate(np.concatenate((gb[:1], Gs)))[-1]
        else:
            # real val = value * scale; rows val * gradOutput[j] (normalize: gradOutput[j] *
            # scale first); gradBias gets THVector cadd(gradOutput[j], scale) a sample at a time
            vs = vals * sc
            gv = g[:, out:] if self.normalize else g
            if self.normalize:
                np.take(go * sc, samples, axis=0, out=g[:, :out])
            if samples.size and int(samples[-1]) < 64:
                # a few samples (the suite's 200,000 entries of one key): each sample's rows in
                # one broadcast product, one pass over the new gradient instead of a gather and
                # a multiply (the same products)
                start = 0
                for n, size in enumerate(np.asarray(arr(self.sizes)).reshape(-1).tolist()):
                    np.multiply(vs[start:start + size, None], go[n], out=gv[start:start + size])
                    start += size
            else:
                np.take(go, samples, axis=0, out=gv)
                gv *= vs[:, None]
            for j in range(go.shape[0]):
                numerics.vector_cadd(gb, scale, go[j])
        c = self.running['counter']
        # running.gradWeight[counter] (running.keys[counter] is the forward's)
        _tset(self.running['keys'], c - 1, self.keys)
        _tset(self.running['gradWeight'], c - 1, gt)
        self.running['counter'] = c + 1

    def _update_rows(self, rows, step):
        """Replays THNN's sequential per-entry weight updates, one occurrence rank at a time;
        ``step(sel, k)`` updates the rows k of the entries sel (distinct within a rank)."""
        for sel in self._rank_groups(rows):
            step(sel, rows[sel])

    def accUpdateGradParameters(self, input, gradOutput, lr):
        """THNN IndexLinear_accUpdateGradParameters (``lr`` is its scale), its products and
        sums in its order and in real: one output: per sample val = gradOutput * scale, the
        bias minus val, each entry's row minus val * value (with normalize and weight decay
        as THNN); several: the bias by THVector cadd (fused) a sample at a time, each entry's
        row minus (value * scale) * gradOutput, past 49 outputs in BLAS axpy's order."""
        self._check_forwarded()
        if lr is None:
            lr = 1
        rows, vals, samples = self._saved()
        go = arr(gradOutput).reshape(-1, self.outputSize)
        w = arr(self.weight)
        b = arr(self.bias)
        real = w.dtype.type
        n, out = self.normalize, self.outputSize
        sc, wd = real(lr), real(self.weightDecay or 0)
        if out == 1:
            val = go[:, 0] * sc
            b[0] = np.add.accumulate(np.concatenate((b[:1], -val)))[-1]
            V = val[samples]
            if n:
                def step(sel, k):
                    w[k, n - 1] -= w[k, n] * V[sel] * w[k, n - 2]
                    w[k, n] -= (V[sel] * vals[sel] - wd * w[k, n]) * w[k, n - 2]
                self._update_rows(rows, step)
                w[rows, n - 2] = 0
            elif wd:
                def step(sel, k):
                    w[k, 0] -= V[sel] * vals[sel] + w[k, 0] * wd
                self._update_rows(rows, step)
            else:
                # terms independent of the weight: ufunc.at applies them one entry at a time
                # in entry order, as THNN's loop does
                np.subtract.at(w[:, 0], rows, V * vals)
            return
        for j in range(go.shape[0]):
            numerics.vector_cadd(b, -sc, go[j])
        V = vals * sc
        fused = out > _AXPY_OUTPUTS
        if not n and not wd and not fused:
            _subtract_rows(w, rows, lambda a, e: V[a:e, None] * go[samples[a:e]])
            return
        if not n and not wd:
            _fused_rows(w, 0, rows, -V, np.ascontiguousarray(go), samples,
                        lambda: self._rank_groups(rows))
            return
        G = go[samples]

        def step(sel, k):
            val, g = V[sel], G[sel]
            d = np.full(k.size, wd, dtype=w.dtype)
            if n:
                s2 = w[k, n - 2]
                val = val * s2
                d = wd * s2
                acc = w[k, n - 1]
                for c in range(out):
                    acc = acc - w[k, n + c] * sc * g[:, c] * s2
                w[k, n - 1] = acc
            W = w[k, n:]
            if wd:
                W = _axpy_rows(-d[:, None], W, W) if fused else W - d[:, None] * W
            w[k, n:] = _axpy_rows(-val[:, None], g, W) if fused else W - val[:, None] * g
        self._update_rows(rows, step)

    def updateParameters(self, lr=None):
        """THNN IndexLinear_updateParameters: the bias, then each key's row from the running
        gradients (with normalize, scaled by the row's update scale, the feature bias too)."""
        c = self.running['counter']
        if c <= 1:
            return
        if lr is None:
            raise at_lua(TorchError('You must specify a learning rate'), 'nn/IndexLinear.lua:353')
        if c == 2:
            self.updateKeys = _tget(self.running['keys'], 0)
            self.gradWeight = _tget(self.running['gradWeight'], 0)
        else:
            ks = [arr(_tget(self.running['keys'], i)).reshape(-1) for i in range(c - 1)]
            gs = [arr(_tget(self.running['gradWeight'], i)) for i in range(c - 1)]
            self.updateKeys = _long(np.concatenate(ks))
            self.gradWeight = self.gradWeightBuffer
            g = np.concatenate(gs, axis=0)
            self.gradWeight.resize(*g.shape)
            arr(self.gradWeight)[...] = g
        rows = np.asarray(arr(self.updateKeys)).astype(np.int64).reshape(-1) + self.offset
        g = arr(self.gradWeight).reshape(rows.size, -1)
        w = arr(self.weight)
        real = w.dtype.type
        n, out = self.normalize, self.outputSize
        lr_, wd = real(lr), real(self.weightDecay or 0)
        # the bias first: THVector cadd(bias, gradBias, -lr), fused
        numerics.vector_cadd(arr(self.bias), -lr_, arr(self.gradBias))
        fused = out > _AXPY_OUTPUTS
        if out == 1 and not n and not wd:
            # independent of the weight: applied entry by entry in order (see accUpdate)
            np.subtract.at(w[:, 0], rows, g[:, 0] * lr_)
            return
        if not n and not wd and not fused:
            _subtract_rows(w, rows, lambda a, e: g[a:e] * lr_)
            return
        if not n and not wd:
            _fused_rows(w, 0, rows, np.full(rows.size, -lr_, dtype=w.dtype),
                        np.ascontiguousarray(g), np.arange(rows.size),
                        lambda: self._rank_groups(rows))
            return
        if out == 1 and n:
            def step(sel, k):
                s = lr_ * w[k, n - 2]
                w[k, n - 1] -= w[k, n] * g[sel, 0] * s
                t = g[sel, 1] * s
                if wd:
                    t = t - wd * w[k, n - 2] * w[k, n]
                w[k, n] -= t
        elif out == 1:
            def step(sel, k):
                w[k, 0] -= g[sel, 0] * lr_ + wd * w[k, 0]
        else:
            def step(sel, k):
                gw = g[sel]
                s = np.full(k.size, lr_, dtype=w.dtype)
                d = np.full(k.size, wd, dtype=w.dtype)
                if n:
                    s = lr_ * w[k, n - 2]
                    d = wd * w[k, n - 2]
                    acc = w[k, n - 1]
                    for c in range(out):
                        acc = acc - gw[:, c] * w[k, n + c] * s
                    w[k, n - 1] = acc
                    gw = gw[:, out:]
                W = w[k, n:]
                if wd:
                    W = W - W * d[:, None]
                w[k, n:] = _axpy_rows(-s[:, None], gw, W) if fused else W - gw * s[:, None]
        self._update_rows(rows, step)

    def updateGradInput(self, input, gradOutput):
        self.gradInput = []
        if self.doGradInput and self.normalize:
            raise at_lua(TorchError(
                'updateGradInput is not implemented in max-normalize mode'),
                'nn/IndexLinear.lua:273')
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

    def zeroGradParameters(self):
        self.gradBias.zero()
        self.running['counter'] = 1

    def parameters(self):
        return [self.weight, self.bias], [self.running, self.gradBias]

    def clearState(self):
        # IndexLinear.lua's clearState: cumSumSizes and running.cumSumSizes stay
        self.running['keys'] = []
        self.running['gradWeight'] = []
        for k in ('keys', 'zerokeys', 'updateKeys', 'values', 'sizes', 'updateKeysBuffer'):
            self.__dict__[k] = None
        self.lkeys = []
        self.lvalues = []
        self.gradWeightBuffer = self.gradWeightBuffer.new()
        self.valuesBuffer = self.valuesBuffer.new()
        return super().clearState()


def _subtract_rows(w, rows, terms, chunk=16384):
    """w[rows[i]] -= terms(i) one entry after the other in entry order (THNN's sequential loop,
    repeated keys included); terms(a, b) gives the rows of terms of entries a..b-1, so only a
    chunk of them exists at a time. ufunc.at on the flat weight is its fast 1-D form."""
    flat = w.reshape(-1) if w.flags.c_contiguous else None
    cols = np.arange(w.shape[1])
    for a in range(0, rows.size, chunk):
        b = min(a + chunk, rows.size)
        if flat is None:
            np.subtract.at(w, rows[a:b], terms(a, b))
        else:
            idx = (rows[a:b, None] * w.shape[1] + cols).reshape(-1)
            np.subtract.at(flat, idx, terms(a, b).reshape(-1))


def _tget(t, i):
    """Lua's t[i + 1] of a running/cache table: a list, or a table read from a file (a dict)."""
    if isinstance(t, list):
        return t[i] if i < len(t) else None
    return t.get(i + 1)


def _tset(t, i, v):
    """Lua's t[i + 1] = v (a list grows one element at a time, a hole stays None)."""
    if isinstance(t, list):
        while len(t) < i:
            t.append(None)
        utils.put(t, i, v)
    else:
        t[i + 1] = v


def _long(a):
    t = _tensor.LongTensor(max(int(np.size(a)), 1))
    if np.size(a):
        arr(t)[...] = a
    else:
        t.set()
    return t
