"""The im2col columns kept per layer (nn/_conv.py's cols_memo): a forward whose input differs
in a few elements from the last one patches the kept columns instead of redoing vol2col. Each
layer has its own (two layers of other shapes no longer reset one shared memo), and a run of
inputs that all change backs off from comparing. Outputs are checked against a direct numpy
sum over the kernel taps (THNN's dilated convolution with zero padding)."""
import numpy as np

import torch7py as torch
from torch7py import nn
from torch7py.nn import _conv


def direct_conv2d(x, w, b, d, pad, dil):
    C, H, W = x.shape
    nout, _, kH, kW = w.shape
    xp = np.zeros((C, H + 2 * pad[0], W + 2 * pad[1]))
    xp[:, pad[0]:pad[0] + H, pad[1]:pad[1] + W] = x
    oH = (H + 2 * pad[0] - (dil[0] * (kH - 1) + 1)) // d[0] + 1
    oW = (W + 2 * pad[1] - (dil[1] * (kW - 1) + 1)) // d[1] + 1
    y = np.empty((nout, oH, oW))
    for o in range(nout):
        for i in range(oH):
            for j in range(oW):
                patch = xp[:, i * d[0]:i * d[0] + dil[0] * (kH - 1) + 1:dil[0],
                           j * d[1]:j * d[1] + dil[1] * (kW - 1) + 1:dil[1]]
                y[o, i, j] = b[o] + (w[o] * patch).sum()
    return y


def check(m, x, d, pad, dil):
    y = m.forward(x).numpy()
    expect = direct_conv2d(x.numpy(), m.weight.numpy(), m.bias.numpy(), d, pad, dil)
    assert np.abs(y - expect).max() < 1e-12


def test_two_layers_keep_their_own_columns_through_perturbations(use_c):
    torch.manualSeed(3)
    a = nn.SpatialDilatedConvolution(2, 3, 3, 3, 1, 1, 1, 1, 2, 2)
    b = nn.SpatialDilatedConvolution(3, 2, 2, 2, 2, 1, 0, 1, 1, 1)
    xa, xb = torch.randn(2, 7, 6), torch.randn(3, 5, 8)
    for step in range(6):
        # one element moved per call, as nn.Jacobian does, alternating the two layers
        xa[2][1 + step % 3][3] += 0.5  # 1-based, as Torch7
        xb[3][1 + step % 5][8] -= 0.25
        check(a, xa, (1, 1), (1, 1), (2, 2))
        check(b, xb, (1, 2), (1, 0), (1, 1))
    # both layers found few changes and kept their columns
    assert _conv.cols_memo(a).cols is not None and _conv.cols_memo(b).cols is not None
    assert _conv.cols_memo(a).cols.shape != _conv.cols_memo(b).cols.shape


def test_inputs_that_all_change_back_off_and_a_perturbation_run_resumes(use_c):
    torch.manualSeed(4)
    m = nn.SpatialDilatedConvolution(2, 2, 3, 3, 1, 1, 0, 0, 1, 1)
    memo = _conv.cols_memo(m)
    skips = []
    for _ in range(12):
        check(m, torch.randn(2, 6, 6), (1, 1), (0, 0), (1, 1))
        skips.append(memo.skip)
    assert memo.cols is None and max(skips) >= 4 and memo.backoff <= memo.MAX_SKIP
    # nn.Jacobian's central differences: one element moved up, down, and back, per element
    x = torch.randn(2, 6, 6)
    for i in range(50):
        r, c = 1 + i % 6, 1 + (i // 6) % 6
        v = x[2][r][c]
        x[2][r][c] = v + 0.125
        check(m, x, (1, 1), (0, 0), (1, 1))
        x[2][r][c] = v - 0.125
        check(m, x, (1, 1), (0, 0), (1, 1))
        x[2][r][c] = v
    assert memo.cols is not None and memo.skip == 0
