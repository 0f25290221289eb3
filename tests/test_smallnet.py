"""One-sample (1-D) paths of Linear, Tanh, Sigmoid and Module.updateParameters: Torch7's
rounding (BLAS ger's axpys, gemv_t's scalar tail, THNN's unfused activation gradients),
checked against exact rational arithmetic and numpy formulas, and the C kernels against the
numpy code they replace."""

import numpy as np
import pytest
from exact_ref import fma as _fma

import torch7py as torch
from torch7py import nn
from torch7py.nn import _kernels


# these expectations are the bits of Debian's OpenBLAS 0.3.21 build, whose C loops are not
# fused (numerics.blas_loops('plain'))
pytestmark = pytest.mark.usefixtures('plain_blas_loops')


def _tensor(a):
    t = torch.DoubleTensor() if a.dtype == np.float64 else torch.FloatTensor()
    t.resize(*a.shape)
    t.numpy()[...] = a
    return t


@pytest.fixture(params=[np.float64, np.float32])
def dt(request):
    return request.param


def _linear(n_in, n_out, dt, rs):
    m = nn.Linear(n_in, n_out)
    if dt == np.float32:
        m = m.float()
    m.weight.numpy()[...] = rs.standard_normal((n_out, n_in))
    m.bias.numpy()[...] = rs.standard_normal(n_out)
    m.gradWeight.numpy()[...] = rs.standard_normal((n_out, n_in))
    m.gradBias.numpy()[...] = rs.standard_normal(n_out)
    return m


@pytest.mark.parametrize('scale', [1, -1, 0.5, -0.01, 0.3])
@pytest.mark.parametrize('n_in', [7, 40])
def test_linear_acc_one_sample_is_ger_axpys(dt, scale, n_in):
    # BLAS ger: each row of gradWeight an axpy of scale*gradOutput[j] (rounded once in real)
    # times input; gradBias:add(scale, gradOutput) an axpy. OpenBLAS's axpy fuses the first
    # n & -16 (double) or n & -32 (float) elements (its micro-kernel), not the C tail
    rs = np.random.RandomState(3)
    m = _linear(n_in, 5, dt, rs)
    x = rs.standard_normal(n_in).astype(dt)
    go = rs.standard_normal(5).astype(dt)
    gw0, gb0 = m.gradWeight.numpy().copy(), m.gradBias.numpy().copy()
    m.accGradParameters(_tensor(x), _tensor(go), scale)
    s = dt(scale)
    kernel = n_in & (-16 if dt == np.float64 else -32)
    for j in range(5):
        g = go[j] if scale == 1 else go[j] * s
        for i in range(n_in):
            want = _fma(g, x[i], gw0[j, i], dt) if i < kernel else gw0[j, i] + g * x[i]
            assert m.gradWeight.numpy()[j, i] == want
        assert m.gradBias.numpy()[j] == gb0[j] + s * go[j]  # 5 elements: the C tail


@pytest.mark.parametrize('n_in', [2, 3])
def test_linear_forward_small_input_is_gemv_tail(dt, n_in):
    rs = np.random.RandomState(n_in)
    m = _linear(n_in, 6, dt, rs)
    x = rs.standard_normal(n_in).astype(dt)
    y = m.forward(_tensor(x)).numpy()
    w, b = m.weight.numpy(), m.bias.numpy()
    for j in range(6):
        # gemv_t's last m & 3 elements of a dot: `y += a0*x0 + a1*x1 + a2*x2`, which Debian's
        # build of dgemv_t_4.c contracts to fma(a2, x2, fma(a0, x0, a1*x1)); sgemv_t_4.c is
        # compiled without FMA: each product and sum rounded
        if dt == np.float64:
            t = _fma(w[j, 0], x[0], dt(w[j, 1] * x[1]), dt)
            if n_in == 3:
                t = _fma(w[j, 2], x[2], t, dt)
        else:
            t = w[j, 0] * x[0] + w[j, 1] * x[1]
            if n_in == 3:
                t = t + w[j, 2] * x[2]
        assert y[j] == dt(b[j] + dt(t))


def _lua_vector_calls(m, x, go):
    """Linear.lua's vector forward and gradInput as its TensorMath calls: output:copy(bias);
    output:addmv(1, weight, input) and gradInput:addmv(0, 1, weight:t(), gradOutput)."""
    y = torch.addmv(m.bias.clone(), m.weight, _tensor(x)).numpy()
    g = torch.addmv(0, m.gradInput.clone().resize(x.shape[0]).zero(), 1, m.weight.t(),
                    _tensor(go)).numpy()
    return y, g


def test_linear_one_sample_is_its_addmv_calls(dt):
    # the vector forward and gradInput make Linear.lua's TensorMath calls (BLAS gemv 't' and
    # 'n': another order than the batch's gemm of one row)
    rs = np.random.RandomState(5)
    m = _linear(9, 4, dt, rs)
    x = rs.standard_normal(9).astype(dt)
    go = rs.standard_normal(4).astype(dt)
    y1 = m.forward(_tensor(x)).numpy().copy()
    g1 = m.updateGradInput(_tensor(x), _tensor(go)).numpy().copy()
    y2, g2 = _lua_vector_calls(m, x, go)
    assert y1.tobytes() == y2.tobytes() and g1.tobytes() == g2.tobytes()
    ref = x.astype(np.float64) @ m.weight.numpy().T.astype(np.float64) + m.bias.numpy()
    assert np.allclose(y1, ref, rtol=1e-5)


def test_linear_one_sample_errors_unchanged():
    m = nn.Linear(3, 2)
    with pytest.raises(Exception, match='size mismatch'):
        m.forward(torch.randn(4))
    m.forward(torch.randn(3))
    with pytest.raises(Exception, match='size mismatch'):
        m.backward(torch.randn(3), torch.randn(3))


@pytest.mark.parametrize('cls', [nn.Tanh, nn.Sigmoid])
def test_activation_gradient_unfused(dt, cls):
    rs = np.random.RandomState(1)
    m = cls() if dt == np.float64 else cls().float()
    x = rs.standard_normal(13).astype(dt)
    go = rs.standard_normal(13).astype(dt)
    y = m.forward(_tensor(x)).numpy().copy()
    gi = m.backward(_tensor(x), _tensor(go)).numpy()
    # THNN's Tanh.c and Sigmoid.c: go * (1. - z*z) (z*z in real) and go * (1. - z) * z; the
    # double literal makes the rest double, rounded to real once (the nn_activations golden)
    d = np.float64
    if cls is nn.Tanh:
        expect = (go.astype(d) * (1. - (y * y).astype(d))).astype(dt)
    else:
        expect = ((go.astype(d) * (1. - y.astype(d))) * y.astype(d)).astype(dt)
    assert np.array_equal(gi, expect)


def test_update_parameters_is_axpy(dt):
    rs = np.random.RandomState(2)
    m = _linear(4, 3, dt, rs)
    w0, gw = m.weight.numpy().copy(), m.gradWeight.numpy().copy()
    m.updateParameters(0.1)
    lr = dt(-0.1)
    for j in range(3):
        for i in range(4):
            assert m.weight.numpy()[j, i] == _fma(gw[j, i], lr, w0[j, i], dt)


def _train(seed):
    torch.manualSeed(seed)
    net = (nn.Sequential().add(nn.Linear(2, 9)).add(nn.Tanh()).add(nn.Linear(9, 10))
           .add(nn.Sigmoid()).add(nn.Linear(10, 1)))
    crit = nn.MSECriterion()
    data = [(torch.randn(2), torch.randn(1)) for _ in range(40)]
    for x, y in data:
        crit.forward(net.forward(x), y)
        net.zeroGradParameters()
        net.backward(x, crit.backward(net.output, y))
        net.updateParameters(0.05)
        net.accUpdateGradParameters(x, crit.backward(net.forward(x), y), 0.01)
    return net.getParameters()[0].numpy().copy()


def test_training_c_kernels_match_numpy_code(monkeypatch):
    fast = _train(7)
    monkeypatch.setattr(_kernels, 'use_c', False)
    slow = _train(7)
    assert np.array_equal(fast, slow)


@pytest.mark.parametrize('size_average', [True, False])
def test_mse_sequential_sum_in_real(dt, size_average):
    rs = np.random.RandomState(4)
    x = rs.standard_normal(11).astype(dt)
    t = rs.standard_normal(11).astype(dt)
    c = nn.MSECriterion(size_average)
    if dt == np.float32:
        c = c.float()
    # THNN: real sum = 0; sum += z*z element after element (z = x - t); sum /= n
    s = dt(0)
    for a, b in zip(x, t):
        z = dt(a - b)
        s = dt(s + dt(z * z))
    if size_average:
        s = dt(s / dt(11))
    assert c.forward(_tensor(x), _tensor(t)) == float(s)
    gi = c.backward(_tensor(x), _tensor(t)).numpy()
    g = dt(2 * (1.0 / 11 if size_average else 1.0))
    assert np.array_equal(gi, (x - t) * g)


@pytest.mark.parametrize('n_in,n_out', [(1, 1), (1, 7), (4, 1), (5, 9), (10, 20), (20, 5),
                                        (33, 17), (100, 64)])
def test_linear_vector_is_its_addmv_calls_shapes(dt, n_in, n_out):
    # the vector paths (one C call each) give the bits of Linear.lua's TensorMath calls
    rs = np.random.RandomState(n_in * 100 + n_out)
    m = _linear(n_in, n_out, dt, rs)
    for _ in range(3):
        x = (rs.standard_normal(n_in) * 10.0 ** rs.uniform(-3, 3)).astype(dt)
        go = rs.standard_normal(n_out).astype(dt)
        y1 = m.forward(_tensor(x)).numpy().copy()
        g1 = m.updateGradInput(_tensor(x), _tensor(go)).numpy().copy()
        y2, g2 = _lua_vector_calls(m, x, go)
        assert y1.tobytes() == y2.tobytes() and g1.tobytes() == g2.tobytes()


def test_log_soft_max_vector_path_matches_numpy_code(dt, monkeypatch):
    # THNN: logsum = max + log(sum of exp(x - max) in double), y = x - logsum; gradient
    # gi = go - exp(y) * (sum of go in double); the C loop against the numpy code
    rs = np.random.RandomState(6)
    x = (rs.standard_normal(7) * 5).astype(dt)
    go = rs.standard_normal(7).astype(dt)
    m = nn.LogSoftMax() if dt == np.float64 else nn.LogSoftMax().float()
    y1 = m.forward(_tensor(x)).numpy().copy()
    g1 = m.backward(_tensor(x), _tensor(go)).numpy().copy()
    monkeypatch.setattr(_kernels, 'use_c', False)
    y2 = m.forward(_tensor(x)).numpy().copy()
    g2 = m.backward(_tensor(x), _tensor(go)).numpy().copy()
    assert y1.tobytes() == y2.tobytes() and g1.tobytes() == g2.tobytes()
    ref = x.astype(np.float64) - np.log(np.exp(x.astype(np.float64)).sum())
    assert np.allclose(y1, ref, rtol=1e-5)


@pytest.mark.parametrize('size_average', [True, False])
def test_class_nll_vector_number_target(dt, size_average):
    rs = np.random.RandomState(8)
    x = rs.standard_normal(6).astype(dt)
    c = nn.ClassNLLCriterion(None, size_average)
    if dt == np.float32:
        c = c.float()
    # THNN for one sample: output = -x[target] (total weight 1), gradInput -1 at the target
    assert c.forward(_tensor(x), 4) == float(-x[3])
    gi = c.backward(_tensor(x), 4).numpy()
    expect = np.zeros(6, dt)
    expect[3] = -1
    assert gi.tobytes() == expect.tobytes()
    with pytest.raises(Exception, match='cur_target >= 0'):
        c.forward(_tensor(x), 7)


_sn = pytest.importorskip("torch7py.nn._sn")


@pytest.mark.parametrize('n,m', [(1, 1), (3, 7), (5, 17), (6, 203)])
@pytest.mark.parametrize('scale', [1, -1, 0.3, -0.01])
def test_sn_ger1_is_fused_ger_bit_for_bit(dt, n, m, scale):
    """_sn.ger1 (the CPU's FMA instruction, vector lanes) is BLAS ger's FMA axpys: every
    element of gradWeight and gradBias (tails of every lane length, subnormal inputs) against
    the fused product rounded once, in exact rational arithmetic."""
    rs = np.random.RandomState(n * 1000 + m)
    go = rs.standard_normal(n).astype(dt)
    x = (rs.standard_normal(m) * np.exp(rs.uniform(-30, 30, m))).astype(dt)
    x[::5] = np.array(5e-320 if dt == np.float64 else 1e-44, dt)  # subnormal inputs
    gw = rs.standard_normal((n, m)).astype(dt)
    gb = rs.standard_normal(n).astype(dt)
    gw1, gb1 = gw.copy(), gb.copy()
    single = dt == np.float32
    _sn.ger1(go, x, gw1, gb1, n, m, scale, single)
    for j in range(n):
        g = go[j] if scale == 1 else dt(go[j] * dt(scale))
        expect = np.array([_fma(g, x[i], gw[j, i], dt) for i in range(m)], dt)
        assert gw1[j].tobytes() == expect.tobytes()
        assert gb1[j] == _fma(go[j], dt(scale), gb[j], dt)
    gb2 = gb1.copy()
    _sn.ger1(go, x, gw1, None, n, m, scale, single)  # no bias
    assert gb1.tobytes() == gb2.tobytes()


def test_sn_ger1_refuses_wrong_buffers():
    a = np.zeros(3)
    with pytest.raises(ValueError):
        _sn.ger1(a, a, np.zeros((3, 2)), None, 3, 3, 1.0, False)  # gw of the wrong size
    with pytest.raises((BufferError, ValueError, TypeError)):
        _sn.ger1(a, a, np.zeros((3, 3))[:, ::-1], None, 3, 3, 1.0, False)  # not contiguous
    ro = np.zeros((3, 3))
    ro.flags.writeable = False
    with pytest.raises((BufferError, ValueError)):
        _sn.ger1(a, a, ro, None, 3, 3, 1.0, False)


def test_linear_big_vector_acc_is_exact_ger(dt):
    """nn.Profile's manual example: a 1000x1000 Linear on a vector input; its accGradParameters
    is BLAS ger's axpys (checked on rows against exact arithmetic: fused below 1000 & -16
    = 1000 & -32 = 992, the C tail's two roundings from there)."""
    rs = np.random.RandomState(5)
    m = _linear(1000, 1000, dt, rs)
    x = _tensor(rs.standard_normal(1000).astype(dt))
    go = _tensor(rs.standard_normal(1000).astype(dt))
    gw0 = m.gradWeight.numpy().copy()
    m.accGradParameters(x, go, 0.5)
    gw = m.gradWeight.numpy()
    xs, gs = x.numpy(), go.numpy()
    for j in (0, 499, 999):
        g = dt(gs[j] * dt(0.5))
        for i in (0, 1, 2, 3, 4, 991, 992, 998, 999):
            want = _fma(g, xs[i], gw0[j, i], dt) if i < 992 else gw0[j, i] + g * xs[i]
            assert gw[j, i] == want
