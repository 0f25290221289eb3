"""Benchmarks of torch7py.nn (issue 4): allocations per training step, steady-state memory, and
forward+backward time of an MLP and LeNet-5 as a ratio to the same nets written in numpy.

    .venv/bin/python benchmarks/bench_nn.py [--quick]

Numbers are reported, never asserted.
"""
import argparse
import gc
import statistics
import sys
import tracemalloc

import numpy as np
from numpy.lib.stride_tricks import as_strided

import torch7py as torch
from torch7py import nn

from _models import lenet, mlp
from _timing import samples


# ---- the two networks in torch7py ------------------------------------------------------------

NETS = {'mlp': (mlp, (128, 784)),
        'lenet': (lambda: lenet(nn.SpatialConvolutionMM), (64, 1, 32, 32))}


def make_data(shape, dtype, seed=0):
    rs = np.random.RandomState(seed)
    cls = torch.FloatTensor if dtype == np.float32 else torch.DoubleTensor
    x = cls(*shape)
    x.numpy()[...] = rs.standard_normal(shape)
    y = cls(shape[0])
    y.numpy()[...] = rs.randint(1, 11, shape[0])
    return x, y


def t7_step(net, crit, x, y, update=False):
    net.zeroGradParameters()
    out = net.forward(x)
    crit.forward(out, y)
    net.backward(x, crit.backward(out, y))
    if update:
        net.updateParameters(0.01)


# ---- the numpy floor: the same nets, hand-written, with preallocated buffers ---------------------

class NumpyLinear:
    def __init__(self, w, b):
        self.w, self.b = w, b
        self.gw, self.gb = np.zeros_like(w), np.zeros_like(b)
        self.out = self.gin = None

    def forward(self, x):
        if self.out is None or self.out.shape[0] != x.shape[0]:
            self.out = np.empty((x.shape[0], self.w.shape[0]), self.w.dtype)
            self.gin = np.empty_like(x)
        np.matmul(x, self.w.T, out=self.out)
        self.out += self.b
        return self.out

    def backward(self, x, g):
        self.gw += g.T @ x
        self.gb += g.sum(0)
        np.matmul(g, self.w, out=self.gin)
        return self.gin


class NumpyReLU:
    def forward(self, x):
        self.out = np.maximum(x, 0, out=getattr(self, 'out', None)
                              if getattr(self, 'out', None) is not None
                              and self.out.shape == x.shape else None)
        return self.out

    def backward(self, x, g):
        self.gin = np.multiply(g, x > 0, out=getattr(self, 'gin', None)
                               if getattr(self, 'gin', None) is not None
                               and self.gin.shape == g.shape else None)
        return self.gin


class NumpyLogSoftMax:
    def forward(self, x):
        m = x.max(1, keepdims=True)
        self.out = x - m
        self.out -= np.log(np.exp(self.out).sum(1, keepdims=True))
        return self.out

    def backward(self, x, g):
        return g - np.exp(self.out) * g.sum(1, keepdims=True)


class NumpyConv:
    """Convolution as im2col + GEMM (SpatialConvolutionMM's layout: cols (B, C*k*k, L))."""

    def __init__(self, w, b, k):
        self.w, self.b, self.k = w.reshape(w.shape[0], -1), b, k
        self.gw, self.gb = np.zeros_like(self.w), np.zeros_like(b)
        self.cols = None

    def forward(self, x):
        B, C, H, W = x.shape
        k = self.k
        oh, ow = H - k + 1, W - k + 1
        if self.cols is None:
            self.cols = np.empty((B, C * k * k, oh * ow), x.dtype)
            self.out = np.empty((B, self.w.shape[0], oh * ow), x.dtype)
            self.gin = np.empty_like(x)
        sB, sC, sH, sW = x.strides
        win = as_strided(x, (B, C, k, k, oh, ow), (sB, sC, sH, sW, sH, sW))
        np.copyto(self.cols.reshape(B, C, k, k, oh, ow), win)
        np.matmul(self.w, self.cols, out=self.out)
        self.out += self.b[:, None]
        self.shape = (oh, ow)
        return self.out.reshape(B, -1, oh, ow)

    def backward(self, x, g):
        B, C, H, W = x.shape
        k = self.k
        oh, ow = self.shape
        g = g.reshape(B, -1, oh * ow)
        self.gw += np.tensordot(g, self.cols, axes=([0, 2], [0, 2]))
        self.gb += g.sum((0, 2))
        gcols = np.matmul(self.w.T, g).reshape(B, C, k, k, oh, ow)
        self.gin[...] = 0
        for i in range(k):
            for j in range(k):
                self.gin[:, :, i:i + oh, j:j + ow] += gcols[:, :, i, j]
        return self.gin


class NumpyMaxPool2:
    def forward(self, x):
        B, C, H, W = x.shape
        r = x.reshape(B, C, H // 2, 2, W // 2, 2)
        self.out = r.max((3, 5))
        self.mask = r == self.out[:, :, :, None, :, None]
        return self.out

    def backward(self, x, g):
        gin = self.mask * g[:, :, :, None, :, None]
        return gin.reshape(x.shape)


class NumpyNet:
    def __init__(self, net, kind):
        self.layers = []
        for m in net.modules:
            t = m.typename
            if t == 'nn.Linear':
                self.layers.append(NumpyLinear(m.weight.numpy().copy(), m.bias.numpy().copy()))
            elif t == 'nn.SpatialConvolutionMM':
                self.layers.append(NumpyConv(m.weight.numpy().copy(), m.bias.numpy().copy(),
                                             m.kW))
            elif t == 'nn.ReLU':
                self.layers.append(NumpyReLU())
            elif t == 'nn.SpatialMaxPooling':
                self.layers.append(NumpyMaxPool2())
            elif t == 'nn.View':
                self.layers.append(None)
            elif t == 'nn.LogSoftMax':
                self.layers.append(NumpyLogSoftMax())

    def step(self, x, y):
        for lay in self.layers:
            if isinstance(lay, (NumpyLinear, NumpyConv)):
                lay.gw[...] = 0
                lay.gb[...] = 0
        inputs = []
        h = x
        for lay in self.layers:
            inputs.append(h)
            h = h.reshape(h.shape[0], -1) if lay is None else lay.forward(h)
        n = h.shape[0]
        idx = y.astype(np.int64) - 1
        loss = -h[np.arange(n), idx].mean()
        g = np.zeros_like(h)
        g[np.arange(n), idx] = -1.0 / n
        for lay, inp in zip(reversed(self.layers), reversed(inputs)):
            g = g.reshape(inp.shape) if lay is None else lay.backward(inp, g)
        return loss


# ---- measurements --------------------------------------------------------------------------------

def paired(fa, fb, reps, warmup=2):
    """Alternates the two steps so that load from other processes hits both alike: the median
    times, the median of the per-pair ratios, and the ratio of the minimum times."""
    ta, tb = samples([fa, fb], reps, warmup)
    ratios = [a / b for a, b in zip(ta, tb)]
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios), \
        min(ta) / min(tb)


def buffers(net):
    """(module index, field, data pointer) of every output/gradInput/parameter buffer."""
    out = []
    for i, m in enumerate(net.listModules()):
        for f in ('output', 'gradInput', 'weight', 'bias', 'gradWeight', 'gradBias'):
            t = m.__dict__.get(f)
            if t is not None and hasattr(t, '_storage') and t._storage is not None:
                out.append((i, f, id(t), t._storage._data.ctypes.data))
    return out


def nbytes(tensors):
    return sum(t.nElement() * t.numpy().itemsize for t in tensors if t.nElement())


class StorageCounter:
    """Counts the torch7py Storages (tensor buffers) created while active."""

    def __enter__(self):
        from torch7py import storage
        self.mod, self.count, self.bytes = storage, 0, 0
        self.init, self.wrap = storage.Storage.__init__, storage.Storage._wrap.__func__
        counter = self

        def init(st, *args):
            counter.init(st, *args)
            counter.count += 1
            counter.bytes += st._data.nbytes

        def wrap(cls, array):
            counter.count += 1
            counter.bytes += array.nbytes
            return counter.wrap(cls, array)
        storage.Storage.__init__ = init
        storage.Storage._wrap = classmethod(wrap)
        return self

    def __exit__(self, *exc):
        self.mod.Storage.__init__ = self.init
        self.mod.Storage._wrap = classmethod(self.wrap)


def memory(kind, dtype, steps=3):
    factory, shape = NETS[kind]
    torch.manualSeed(1)
    net = factory()
    if dtype == np.float32:
        net.float()
    crit = nn.ClassNLLCriterion()
    if dtype == np.float32:
        crit.float()
    x, y = make_data(shape, dtype)
    for _ in range(2):
        t7_step(net, crit, x, y, update=True)
    before = buffers(net)
    gc.collect()
    tracemalloc.start()
    snap0 = tracemalloc.take_snapshot()
    base, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    with StorageCounter() as counter:
        for _ in range(steps):
            t7_step(net, crit, x, y, update=True)
    cur, peak = tracemalloc.get_traced_memory()
    snap1 = tracemalloc.take_snapshot()
    tracemalloc.stop()
    after = buffers(net)
    diff = [s for s in snap1.compare_to(snap0, 'lineno') if s.size_diff > 0]
    new_blocks = sum(s.count_diff for s in diff if s.count_diff > 0)
    new_bytes = sum(s.size_diff for s in diff)
    params, _ = net.parameters()
    acts = [m.output for m in net.modules] + [m.gradInput for m in net.modules]
    live = 2 * nbytes(params) + nbytes(acts)
    return {
        'buffers_reused': before == after,
        'storages_per_step': counter.count / steps,
        'storage_bytes_per_step': counter.bytes / steps,
        'retained_blocks_per_step': new_blocks / steps,
        'retained_bytes_per_step': new_bytes / steps,
        'transient_peak_bytes': peak - base,
        'params_grads_acts_bytes': live,
        'peak_over_live': (peak - base + live) / live,
        'steady_growth_bytes': cur - base,
    }


def speed(kind, dtype, reps):
    factory, shape = NETS[kind]
    torch.manualSeed(1)
    net = factory()
    crit = nn.ClassNLLCriterion()
    if dtype == np.float32:
        net.float()
        crit.float()
    x, y = make_data(shape, dtype)
    ref = NumpyNet(net, kind)
    xn, yn = x.numpy(), y.numpy()
    t_t7, t_np, ratio, ratio_min = paired(lambda: t7_step(net, crit, x, y),
                                          lambda: ref.step(xn, yn), reps)
    # the two compute the same loss: a check that the floor is the same network
    t7_step(net, crit, x, y)
    loss_t7 = crit.output
    loss_np = ref.step(xn, yn)
    res = {'t7_ms': t_t7 * 1e3, 'numpy_ms': t_np * 1e3, 'ratio': ratio, 'ratio_min': ratio_min,
           'loss_diff': abs(loss_t7 - loss_np)}
    try:
        import torch as pytorch  # noqa: F401  (PyTorch's CPU build, when installed)
    except ImportError:
        res['pytorch_ms'] = None
    else:
        res['pytorch_ms'] = pytorch_time(kind, dtype, shape, reps) * 1e3
    return res


def pytorch_time(kind, dtype, shape, reps):
    import torch as pt
    pdt = pt.float32 if dtype == np.float32 else pt.float64
    if kind == 'mlp':
        net = pt.nn.Sequential(pt.nn.Linear(784, 1000), pt.nn.ReLU(), pt.nn.Linear(1000, 1000),
                               pt.nn.ReLU(), pt.nn.Linear(1000, 10), pt.nn.LogSoftmax(1))
    else:
        net = pt.nn.Sequential(pt.nn.Conv2d(1, 6, 5), pt.nn.ReLU(), pt.nn.MaxPool2d(2),
                               pt.nn.Conv2d(6, 16, 5), pt.nn.ReLU(), pt.nn.MaxPool2d(2),
                               pt.nn.Flatten(), pt.nn.Linear(400, 120), pt.nn.ReLU(),
                               pt.nn.Linear(120, 84), pt.nn.ReLU(), pt.nn.Linear(84, 10),
                               pt.nn.LogSoftmax(1))
    net = net.to(pdt)
    x = pt.randn(*shape, dtype=pdt)
    y = pt.randint(0, 10, (shape[0],))

    def step():
        net.zero_grad()
        pt.nn.functional.nll_loss(net(x), y).backward()
    return statistics.median(samples([step], reps, warmup=2)[0])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--quick', action='store_true', help='fewer repetitions')
    args = ap.parse_args(argv)
    reps = 3 if args.quick else 15
    print('numpy %s, python %s' % (np.__version__, sys.version.split()[0]))
    print('\n== memory: training step (forward, backward, updateParameters) after warm-up ==')
    for kind in ('mlp', 'lenet'):
        for dtype in (np.float32, np.float64):
            try:
                m = memory(kind, dtype)
            except Exception as e:  # a layer bug must not hide the other numbers
                print('%-5s %-7s failed: %s: %s' % (kind, np.dtype(dtype).name,
                                                   type(e).__name__, e))
                continue
            print('%-5s %-7s buffers reused: %s; new Storages per step: %.1f (%.0f B); '
                  'numpy blocks still alive after a step: %.1f (%.0f B); transient peak '
                  '%.2f MB; peak / (params+grads+activations) = %.2fx'
                  % (kind, np.dtype(dtype).name, m['buffers_reused'], m['storages_per_step'],
                     m['storage_bytes_per_step'], m['retained_blocks_per_step'],
                     m['retained_bytes_per_step'], m['transient_peak_bytes'] / 2 ** 20,
                     m['peak_over_live']))
    print('\n== speed: forward + backward per step (%d alternating pairs) ==' % reps)
    for kind in ('mlp', 'lenet'):
        for dtype in (np.float32, np.float64):
            try:
                s = speed(kind, dtype, reps)
            except Exception as e:
                print('%-5s %-7s failed: %s: %s' % (kind, np.dtype(dtype).name,
                                                   type(e).__name__, e))
                continue
            pt = ('%.2f ms' % s['pytorch_ms']) if s['pytorch_ms'] is not None \
                else 'not installed'
            print('%-5s %-7s torch7py %.2f ms, numpy floor %.2f ms, ratio %.2fx (median of '
                  'pairs; %.2fx of the best times), PyTorch %s (|loss diff| %.1e)'
                  % (kind, np.dtype(dtype).name, s['t7_ms'], s['numpy_ms'], s['ratio'],
                     s['ratio_min'], pt, s['loss_diff']))


if __name__ == '__main__':
    main()
