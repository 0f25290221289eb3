"""Bit-exactness of non-BLAS kernels against the original's order of operations (issue 12).

Each expectation is a plain Python loop written from the original C/Lua source, in its order
and its types (numpy float32 scalars stand for C `float`, Python floats for `double`)."""
import math

import numpy as np

import torch7py as torch
from torch7py import nn


def _sin(n, a, f, o=0.0):
    return [a * math.sin(f * i + o) for i in range(1, n + 1)]


def _bits(a, b):
    return np.asarray(a, dtype=np.float64).tobytes() == np.asarray(b, dtype=np.float64).tobytes()


def test_spatial_class_nll_weights_sequential_real_sums():
    # THNN SpatialClassNLLCriterion.c: total_weight_acc += w[t]; output_acc -= x * w[t]
    # over b then elem, in `real`; output /= total_weight; gradInput = -w[t] / normalize
    for T, ct in ((torch.DoubleTensor, float), (torch.FloatTensor, np.float32)):
        N, C, H, W = 2, 3, 4, 5
        x = T(N, C, H, W)
        x.copy(torch.Tensor(_sin(N * C * H * W, 2.0, 0.41, 0.3)).view(N, C, H, W))
        tg = [(i * 7 + i // 3) % C + 1 for i in range(N * H * W)]
        target = torch.LongTensor(tg).view(N, H, W)
        wl = [0.2, 1.0, 2.5]
        crit = nn.SpatialClassNLLCriterion(T(wl))
        if T is torch.FloatTensor:
            crit.float()
        out = crit.forward(x, target)
        xv = [x[b + 1][c + 1][h + 1][w + 1] for b in range(N) for c in range(C)
              for h in range(H) for w in range(W)]
        tw, acc = ct(0), ct(0)
        m = H * W
        for b in range(N):
            for e in range(m):
                c = tg[b * m + e] - 1
                wc = ct(wl[c])
                tw = ct(tw + wc)
                acc = ct(acc - ct(ct(xv[b * C * m + c * m + e]) * wc))
        want = ct(acc / tw)
        assert out == float(want)
        gi = crit.backward(x, target)
        for b in range(N):
            for e in range(m):
                c = tg[b * m + e] - 1
                h, w = divmod(e, W)
                assert gi[b + 1][c + 1][h + 1][w + 1] == float(ct(-ct(wl[c]) / tw))
