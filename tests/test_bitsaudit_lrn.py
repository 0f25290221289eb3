"""SpatialCrossMapLRN (nn's Lua on CPU, no THNN) gives the bits of its op sequence: the running
sum of squares (the previous plane's sum, plus the entering plane, minus the leaving one),
`scale:mul(alpha/size):add(k)`, `pow(scale, -beta)`, and the backward's accumRatio sliding in
the same way with addcmul(-2*alpha*beta/size, input, accumRatio). The reference below follows
those steps one plane and one element at a time (TH's pow through the libm helper)."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.tensor_math.pointwise import th_pow


def lrn_ref(x, go, size, alpha, beta, k):
    R = x.dtype.type
    N, C, H, W = x.shape
    sq = th_pow(x, 2, np.empty_like(x))
    pre = (size - 1) / 2 + 1
    crop = C if pre > C else pre
    sc = np.zeros_like(x)
    for n in range(N):
        for h in range(H):
            for w in range(W):
                s = R(0)
                c = 1
                while c <= crop:
                    s = R(s + sq[n, c - 1, h, w])
                    c += 1
                sc[n, 0, h, w] = s
                for c in range(2, C + 1):
                    s = sc[n, c - 2, h, w]
                    if c < C - pre + 2:
                        s = R(s + sq[n, int(c + pre - 1) - 1, h, w])
                    if c > pre:
                        s = R(s - sq[n, int(c - pre) - 1, h, w])
                    sc[n, c - 1, h, w] = s
    sc = (sc * R(alpha / size)).astype(x.dtype) + R(k)
    y = th_pow(sc, -beta, np.empty_like(x)) * x
    gi = th_pow(sc, -beta, np.empty_like(x)) * go
    crv = R(2 * alpha * beta / size)
    ipp = int(size - (size - 1) / 2)
    for n in range(N):
        pad = np.zeros((C + size - 1, H, W), x.dtype)
        pad[ipp - 1:ipp - 1 + C] = (go[n] * y[n]) / sc[n]
        for h in range(H):
            for w in range(W):
                # accumRatio:sum(paddedRatio:narrow(1, 1, size - 1), 1): along a dim of stride
                # H*W, in real (accreal when the stride is 1)
                acc = R(0) if H * W > 1 else 0.0
                for j in range(size - 1):
                    acc = type(acc)(acc + pad[j, h, w])
                acc = R(acc)
                for c in range(C):
                    acc = R(acc + pad[c + size - 1, h, w])
                    gi[n, c, h, w] = R(gi[n, c, h, w] + R(R(x[n, c, h, w] * -crv) * acc))
                    acc = R(acc - pad[c, h, w])
    return y, gi


@pytest.mark.parametrize('dt', (np.float32, np.float64))
@pytest.mark.parametrize('shape,size', [((2, 7, 3, 4), 3), ((1, 9, 2, 3), 5), ((2, 3, 2, 2), 5),
                                        ((6, 4, 3), 3), ((2, 6, 1, 1), 3)])
def test_cross_map_lrn_is_the_lua_op_sequence(dt, shape, size):
    rng = np.random.default_rng(len(shape) * 10 + size)
    x = (rng.standard_normal(shape) * np.exp(rng.uniform(-2, 3, shape))).astype(dt)
    go = rng.standard_normal(shape).astype(dt)
    m = nn.SpatialCrossMapLRN(size, 0.37, 0.73, 1.3)
    if dt == np.float32:
        m.float()
    X = torch.from_numpy(x)
    y = m.forward(X).numpy().copy()
    gi = m.backward(X, torch.from_numpy(go)).numpy().copy()
    x4, g4 = (x, go) if x.ndim == 4 else (x[None], go[None])
    yr, gr = lrn_ref(x4, g4, size, 0.37, 0.73, 1.3)
    np.testing.assert_array_equal(y, yr.reshape(shape))
    np.testing.assert_array_equal(gi, gr.reshape(shape))
