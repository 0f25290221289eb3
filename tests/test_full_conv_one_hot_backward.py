"""nn.VolumetricFullConvolution's backward for a gradOutput with at most one nonzero (what
nn.Jacobian's backprop sends, one output unit at a time): computed from that one term, it must
carry the bits of THNN's products (BLAS sums that add the term to +0 among exact zeros). The
expectation here is a plain loop over THNN's definition of the transposed convolution's
gradients, in Python floats from +0; the BLAS path (the fast path switched off) is held to it
too, so the claim about BLAS is checked on this machine."""
import itertools

import numpy as np
import pytest
from kernel_paths import tensor

from torch7py import nn
from torch7py.nn import volumetric_full_convolution as vfc


def naive_backward(x, w, go, k, d, pad, scale):
    """gradInput[n,c,s] = sum_{o,kk} w[c,o,kk] go[n,o,s*d-pad+kk]; the per-sample weight
    products P[n][c,o,kk] = sum_s x[n,c,s] go[n,o,s*d-pad+kk], times scale, then added into a
    zero gradWeight sample after sample (acc_outer's order)."""
    N, C = x.shape[:2]
    O = w.shape[1]
    S = x.shape[2:]
    out = go.shape[2:]
    gi = np.zeros(x.shape)
    gw = np.zeros(w.shape)
    for n in range(N):
        P = np.zeros(w.shape)
        for s in itertools.product(*[range(v) for v in S]):
            for kk in itertools.product(*[range(v) for v in k]):
                q = tuple(s[a] * d[a] - pad[a] + kk[a] for a in range(3))
                if not all(0 <= q[a] < out[a] for a in range(3)):
                    continue
                for c in range(C):
                    for o in range(O):
                        g = float(go[(n, o) + q])
                        gi[(n, c) + s] = gi[(n, c) + s] + float(w[(c, o) + kk]) * g
                        P[(c, o) + kk] = P[(c, o) + kk] + float(x[(n, c) + s]) * g
        gw = gw + P * scale
    return gi, gw


def bits(a):
    return np.ascontiguousarray(a).view(np.int64)


@pytest.mark.parametrize('fast', [True, False])
@pytest.mark.parametrize('seed', range(5))
def test_one_hot_backward_bits(monkeypatch, fast, seed):
    if not fast:
        monkeypatch.setattr(vfc, '_one_nonzero', lambda go, *ops: None)
    rs = np.random.RandomState(seed)
    nIn, nOut = rs.randint(1, 4), rs.randint(1, 4)
    k = tuple(int(v) for v in rs.randint(1, 4, size=3))
    d = tuple(int(v) for v in rs.randint(1, 3, size=3))
    pad = tuple(int(rs.randint(0, (v - 1) // 2 + 1)) for v in k)
    batch = seed % 2 == 0
    N = rs.randint(1, 3) if batch else 1
    S = tuple(int(v) for v in rs.randint(1, 4, size=3))
    m = nn.VolumetricFullConvolution(nIn, nOut, k[0], k[2], k[1], d[0], d[2], d[1],
                                     pad[0], pad[2], pad[1])
    w = m.weight.numpy()
    w[0, 0, 0, 0, 0] = 0.0  # a zero weight: its product with the term is -0 or +0
    x = rs.randn(N, nIn, *S)
    x.reshape(-1)[0] = -0.0
    xt = tensor(x if batch else x[0])
    m.forward(xt)
    go_t = m.output.new().resizeAs(m.output)
    flat = go_t.numpy().reshape(-1)
    picks = sorted(set(rs.randint(flat.size, size=6).tolist()) | {0, flat.size - 1})
    scale = [1, 0.5, 3][seed % 3]
    for i in picks + [None]:
        flat[...] = 0
        if i is not None:
            flat[i] = rs.choice([1.0, -2.5])
        m.zeroGradParameters()
        gi = m.updateGradInput(xt, go_t).numpy()
        m.accGradParameters(xt, go_t, scale)
        go = go_t.numpy() if batch else go_t.numpy()[None]
        egi, egw = naive_backward(x, w, go, k, d, pad, scale)
        assert np.array_equal(bits(gi), bits(egi if batch else egi[0]))
        assert np.array_equal(bits(m.gradWeight.numpy()), bits(egw))
        assert np.array_equal(m.gradBias.numpy(), go.sum(axis=(0, 2, 3, 4)) * scale)


def test_two_nonzeros_and_non_finite_take_the_products():
    m = nn.VolumetricFullConvolution(2, 2, 2, 2, 2)
    x = tensor(np.random.RandomState(1).randn(1, 2, 2, 2, 2))
    m.forward(x)
    go = m.output.new().resizeAs(m.output).zero()
    go.numpy().reshape(-1)[[3, 7]] = 1
    assert vfc._one_nonzero(go.numpy(), m.weight.numpy()) is None
    go.zero()
    go.numpy().reshape(-1)[3] = 1
    m.weight.numpy()[0, 0, 0, 0, 0] = np.inf
    assert vfc._one_nonzero(go.numpy(), m.weight.numpy()) is None
    with np.errstate(invalid='ignore'):
        gi = m.updateGradInput(x, go).numpy()
    assert np.isnan(gi[0, 0]).any()  # inf * 0 in the zero terms: BLAS's NaN
