"""Benchmarks of the full-nn convolutions and poolings (issue 7): forward+backward time of each
family on a realistic size, as a ratio to a direct numpy formulation timed in the same run, and
the convolutions' GEMM rate as a share of the machine's measured matmul rate.

    .venv/bin/python benchmarks/bench_nn_full.py [--quick]

Numbers are reported, never asserted.
"""
import argparse
import itertools

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import torch7py as torch
from torch7py import nn

from _timing import best, samples


def matmul_rate(dtype, repeat):
    a = np.random.RandomState(0).standard_normal((1024, 1024)).astype(dtype)
    b = a.copy()
    out = np.empty_like(a)
    t = best(lambda: np.matmul(a, b, out=out), repeat, warmup=1)
    return 2 * 1024 ** 3 / t


# ---- direct numpy formulations (the floor) -------------------------------------------------------

def np_conv(x, w, stride, pad, dil):
    """Forward+backward of a cross-correlation (N, C, *S) x (O, C, *k), by windows + tensordot."""
    nd = x.ndim - 2
    k = w.shape[2:]
    xp = np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in pad])
    span = [dil[i] * (k[i] - 1) + 1 for i in range(nd)]
    win = sliding_window_view(xp, span, axis=tuple(range(2, 2 + nd)))
    win = win[(Ellipsis,) + tuple(slice(None, None, s) for s in stride)
              + tuple(slice(None, None, d) for d in dil)]
    # forward: (N, C, *out, *k) . (O, C, *k)
    axes_x = [1] + list(range(2 + nd, 2 + 2 * nd))
    y = np.tensordot(win, w, axes=(axes_x, [1] + list(range(2, 2 + nd))))
    y = np.moveaxis(y, -1, 1)
    go = np.ones_like(y)
    gw = np.tensordot(go, win, axes=([0] + list(range(2, 2 + nd)),
                                     [0] + list(range(2, 2 + nd))))
    gcols = np.tensordot(go, w, axes=([1], [0]))            # (N, *out, C, *k)
    gx = np.zeros_like(xp)
    out = y.shape[2:]
    for off in itertools.product(*[range(n) for n in k]):
        sl = tuple(slice(off[i] * dil[i], off[i] * dil[i] + stride[i] * (out[i] - 1) + 1,
                         stride[i]) for i in range(nd))
        gx[(slice(None), slice(None)) + sl] += np.moveaxis(
            gcols[(Ellipsis, slice(None)) + off], -1, 1)
    return y, gw, gx


def np_maxpool(x, k, stride):
    nd = len(k)
    win = sliding_window_view(x, k, axis=tuple(range(2, 2 + nd)))
    win = win[(Ellipsis,) + tuple(slice(None, None, s) for s in stride) + (slice(None),) * nd]
    flat = win.reshape(win.shape[:2 + nd] + (-1,))
    idx = flat.argmax(axis=-1)
    y = np.take_along_axis(flat, idx[..., None], axis=-1)[..., 0]
    gx = np.zeros(x.shape, x.dtype)
    coords = np.unravel_index(idx, k)
    grids = np.meshgrid(*[np.arange(o) * s for o, s in zip(y.shape[2:], stride)],
                        indexing='ij')
    pos = [g + c for g, c in zip(grids, coords)]
    n, c = np.meshgrid(np.arange(x.shape[0]), np.arange(x.shape[1]), indexing='ij')
    n = n.reshape(n.shape + (1,) * nd)
    c = c.reshape(c.shape + (1,) * nd)
    np.add.at(gx, (np.broadcast_to(n, y.shape), np.broadcast_to(c, y.shape)) + tuple(
        np.broadcast_to(p, y.shape) for p in pos), 1.0)
    return y, gx


def np_avgpool(x, k, stride):
    nd = len(k)
    win = sliding_window_view(x, k, axis=tuple(range(2, 2 + nd)))
    win = win[(Ellipsis,) + tuple(slice(None, None, s) for s in stride) + (slice(None),) * nd]
    y = win.mean(axis=tuple(range(-nd, 0)))
    gx = np.zeros(x.shape, x.dtype)
    out = y.shape[2:]
    g = np.ones_like(y) / np.prod(k)
    for off in itertools.product(*[range(n) for n in k]):
        sl = tuple(slice(off[i], off[i] + stride[i] * (out[i] - 1) + 1, stride[i])
                   for i in range(nd))
        gx[(Ellipsis,) + sl] += g
    return y, gx


def np_replication_pad(x, p):
    y = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), mode='edge')
    g = y[:, :, p:-p, p:-p].copy()
    g[:, :, 0, :] += y[:, :, :p, p:-p].sum(axis=2)
    g[:, :, -1, :] += y[:, :, -p:, p:-p].sum(axis=2)
    col0 = y[:, :, :, :p].sum(axis=3)
    col1 = y[:, :, :, -p:].sum(axis=3)
    g[:, :, :, 0] += col0[:, :, p:-p]
    g[:, :, :, -1] += col1[:, :, p:-p]
    g[:, :, 0, 0] += col0[:, :, :p].sum(axis=2)
    g[:, :, -1, 0] += col0[:, :, -p:].sum(axis=2)
    g[:, :, 0, -1] += col1[:, :, :p].sum(axis=2)
    g[:, :, -1, -1] += col1[:, :, -p:].sum(axis=2)
    return y, g


# ---- the cases -----------------------------------------------------------------------------------

def tensor(a):
    t = torch.FloatTensor(*a.shape)
    t.numpy()[...] = a
    return t


def conv_flops(n_out_elems, fan_in):
    return 3 * 2 * n_out_elems * fan_in      # forward, gradInput and gradWeight GEMMs


def cases(quick):
    b = 4 if quick else 16
    rs = np.random.RandomState(0)

    def arr(*s):
        return rs.standard_normal(s).astype(np.float32)

    out = []
    x = arr(b, 32, 32, 32)
    m = nn.SpatialDilatedConvolution(32, 32, 3, 3, 1, 1, 2, 2, 2, 2).float()
    w = m.weight.numpy()
    out.append(('SpatialDilatedConvolution 32->32 3x3 dil2', m, x,
                lambda: np_conv(x, w, (1, 1), (2, 2), (2, 2)),
                conv_flops(b * 32 * 32 * 32, 32 * 9)))
    # a transposed convolution is the gradient of a convolution: its floor is that gradient
    xf = arr(b, 64, 16, 16)
    m = nn.SpatialFullConvolution(64, 32, 4, 4, 2, 2, 1, 1).float()
    wf = np.ascontiguousarray(m.weight.numpy())
    big = arr(b, 32, 32, 32)
    out.append(('SpatialFullConvolution 64->32 4x4 s2', m, xf,
                lambda: np_conv(big, wf, (2, 2), (1, 1), (1, 1)),
                conv_flops(b * 64 * 16 * 16, 32 * 16)))
    xv = arr(max(b // 4, 1), 16, 8, 16, 16)
    m = nn.VolumetricConvolution(16, 32, 3, 3, 3, 1, 1, 1, 1, 1, 1).float()
    wv = m.weight.numpy()
    out.append(('VolumetricConvolution 16->32 3x3x3', m, xv,
                lambda: np_conv(xv, wv, (1, 1, 1), (1, 1, 1), (1, 1, 1)),
                conv_flops(xv.shape[0] * 32 * 8 * 16 * 16, 16 * 27)))
    xt = arr(b * 2, 100, 128)
    m = nn.TemporalConvolution(128, 256, 5).float()
    wt = m.weight.numpy().reshape(256, 5, 128).transpose(0, 2, 1)
    xtt = np.ascontiguousarray(xt.transpose(0, 2, 1))
    out.append(('TemporalConvolution 128->256 k5', m, xt,
                lambda: np_conv(xtt, wt, (1,), (0,), (1,)),
                conv_flops(b * 2 * 96 * 256, 128 * 5)))
    x1 = arr(b, 128, 16, 16)
    m = nn.SpatialConvolution(128, 128, 1, 1).float()
    w1 = m.weight.numpy()
    out.append(('SpatialConvolution 128->128 1x1', m, x1,
                lambda: np_conv(x1, w1, (1, 1), (0, 0), (1, 1)),
                conv_flops(b * 128 * 16 * 16, 128)))
    xd = arr(b, 32, 32, 32)
    m = nn.SpatialDepthWiseConvolution(32, 2, 3, 3, 1, 1, 1, 1).float()
    wd = m.weight.numpy().reshape(2, 32, 3, 3)   # (depthwiseMultiplier, nInputPlane*kH*kW)
    out.append(('SpatialDepthWiseConvolution 32x2 3x3', m, xd,
                lambda: [np_conv(xd[:, i:i + 1], wd[:, i:i + 1], (1, 1), (1, 1), (1, 1))
                         for i in range(32)], None))
    xp = arr(max(b // 2, 1), 32, 8, 32, 32)
    out.append(('VolumetricMaxPooling 2x2x2', nn.VolumetricMaxPooling(2, 2, 2).float(), xp,
                lambda: np_maxpool(xp, (2, 2, 2), (2, 2, 2)), None))
    out.append(('VolumetricAveragePooling 2x2x2', nn.VolumetricAveragePooling(2, 2, 2).float(),
                xp, lambda: np_avgpool(xp, (2, 2, 2), (2, 2, 2)), None))
    xq = arr(b * 2, 200, 128)
    xqt = np.ascontiguousarray(xq.transpose(0, 2, 1))
    out.append(('TemporalMaxPooling 2', nn.TemporalMaxPooling(2).float(), xq,
                lambda: np_maxpool(xqt, (2,), (2,)), None))
    xa = arr(b, 64, 28, 28)
    out.append(('SpatialAdaptiveMaxPooling 7x7 of 28x28', nn.SpatialAdaptiveMaxPooling(7, 7)
                .float(), xa, lambda: np_maxpool(xa, (4, 4), (4, 4)), None))
    xs = arr(b, 32, 32, 32)
    out.append(('SpatialUpSamplingNearest 2', nn.SpatialUpSamplingNearest(2).float(), xs,
                lambda: (xs.repeat(2, axis=2).repeat(2, axis=3),
                         xs.repeat(2, axis=2).repeat(2, axis=3).reshape(
                             b, 32, 32, 2, 32, 2).sum(axis=(3, 5))), None))
    out.append(('SpatialReplicationPadding 2', nn.SpatialReplicationPadding(2).float(), xs,
                lambda: np_replication_pad(xs, 2), None))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--quick', action='store_true')
    args = ap.parse_args()
    repeat = 3 if args.quick else 7
    # the best of many runs: on a shared machine a slow measurement would flatter the GEMM share
    rate = matmul_rate(np.float32, 5 * repeat)
    print('machine matmul rate (float32, 1024^3): %.1f GFLOP/s' % (rate / 1e9))
    print('%-42s %10s %10s %7s %8s' % ('module (float32, forward+backward)', 'torch7py', 'numpy',
                                        'ratio', 'GEMM%'))
    for name, m, x, floor, flops in cases(args.quick):
        xt = tensor(x)

        def step():
            y = m.forward(xt)
            m.zeroGradParameters()
            m.backward(xt, y)
        # interleaved, the machine may be shared
        t_mod, t_np = map(min, samples([step, floor], repeat, warmup=1))
        gemm = '%7.0f%%' % (100 * flops / t_mod / rate) if flops else '       -'
        print('%-42s %9.2fms %9.2fms %6.2fx %s' % (name, 1e3 * t_mod, 1e3 * t_np,
                                                   t_mod / t_np, gemm))
    print('matmul rate measured again after the runs: %.1f GFLOP/s'
          % (matmul_rate(np.float32, 5 * repeat) / 1e9))


if __name__ == '__main__':
    main()
