"""Linear's batch forward and backward in one C call each (issue 16: the MLP step's GEMM
floor): the results against numpy formulas (Torch7's addmm is a BLAS gemm, numpy's matmul the
same call into the same OpenBLAS; the bias an exact add per element; the float gradBias a row
sum in order), and the cases that must go the general way (a method replaced, an output over
an operand, another scale)."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.nn import _blas, _kernels, linear
from torch7py.nn.module import Module

from obl12_ref import sgemv_n_ones


# these expectations are the bits of Debian's OpenBLAS 0.3.21 build, whose C loops are not
# fused (numerics.blas_loops('plain'))
pytestmark = pytest.mark.usefixtures('plain_blas_loops')

TYPES = [(np.float64, 'torch.DoubleTensor'), (np.float32, 'torch.FloatTensor')]
needs_c = pytest.mark.skipif(_kernels._nnk is None or not _blas.gemm_set(),
                             reason='_nnk or its gemm not available')


def _t(a):
    cls = torch.FloatTensor if a.dtype == np.float32 else torch.DoubleTensor
    t = cls(*a.shape)
    t.numpy()[...] = a
    return t


def _layer(dtype, typename, n_in, n_out, seed):
    torch.manualSeed(seed)
    m = nn.Linear(n_in, n_out).type(typename)
    rs = np.random.RandomState(seed)
    m.bias.numpy()[...] = rs.standard_normal(n_out)
    return m, rs


@needs_c
@pytest.mark.parametrize('dtype,typename', TYPES)
@pytest.mark.parametrize('n,n_in,n_out', [(128, 784, 100), (20, 30, 16), (5, 700, 4), (3, 50, 60),
                                        (6, 700, 2)])
def test_batch_forward_backward_bits(dtype, typename, n, n_in, n_out):
    # (above numerics._GEMM_SMALL elements: smaller products follow OpenBLAS's small order)
    m, rs = _layer(dtype, typename, n_in, n_out, n + n_in)
    x = rs.standard_normal((n, n_in)).astype(dtype)
    go = rs.standard_normal((n, n_out)).astype(dtype)
    w = m.weight.numpy().copy()
    b = m.bias.numpy().copy()
    y = m.forward(_t(x)).numpy()
    want = np.matmul(x, w.T)
    want += b  # addr with the ones vector: one exact add per element
    assert y.tobytes() == want.tobytes()
    m.zeroGradParameters()
    gi = m.backward(_t(x), _t(go)).numpy()
    assert gi.tobytes() == np.matmul(go, w).tobytes()
    # gemm with beta 1 on a zeroed gradWeight: 0 + the product, the product's bits
    assert m.gradWeight.numpy().tobytes() == (np.matmul(go.T, x) + 0).tobytes()
    if dtype == np.float32 and n_out >= 4:
        want = sgemv_n_ones(go, np.zeros(n_out, np.float32))
        assert m.gradBias.numpy().tobytes() == want.tobytes()
    # a second backward accumulates: gradWeight + the product, each element one add
    before = m.gradWeight.numpy().copy()
    m.backward(_t(x), _t(go))
    assert m.gradWeight.numpy().tobytes() == (before + np.matmul(go.T, x)).tobytes()


@needs_c
def test_fused_kernels_are_used():
    """The batch step of a dense Linear goes through linear_fwd and linear_bwd (each checked
    once against its numpy code)."""
    assert _blas.checked('linear_fwd', linear._fwd_check)
    assert _blas.checked('linear_bwd', linear._bwd_check)
    m, rs = _layer(np.float64, 'torch.DoubleTensor', 60, 20, 1)
    x, go = _t(rs.standard_normal((9, 60))), _t(rs.standard_normal((9, 20)))
    calls = []
    real = _kernels._nnk

    class Spy:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(real, name)
    _kernels._nnk = Spy()
    try:
        m.forward(x)
        m.backward(x, go)
    finally:
        _kernels._nnk = real
    assert 'linear_fwd' in calls and 'linear_bwd' in calls


@needs_c
def test_replaced_methods_are_called():
    """A subclass's updateGradInput, one set on the object, a replaced Module.backward: each is
    what backward runs (Module.backward's dispatch, as in Torch7)."""
    seen = []

    class Mine(nn.Linear):
        def updateGradInput(self, input, gradOutput):
            seen.append('sub')
            return nn.Linear.updateGradInput(self, input, gradOutput)

    rs = np.random.RandomState(2)
    x, go = _t(rs.standard_normal((6, 20))), _t(rs.standard_normal((6, 8)))
    Mine(20, 8).double().backward(x, go)
    assert seen == ['sub']
    m = nn.Linear(20, 8).double()

    def acc(input, gradOutput, scale=1):
        seen.append('object')
    m.accGradParameters = acc
    before = m.gradWeight.numpy().copy()
    m.backward(x, go)
    assert seen == ['sub', 'object'] and m.gradWeight.numpy().tobytes() == before.tobytes()
    original = Module.backward

    def patched(self, input, gradOutput, scale=1):
        seen.append('patched')
        return original(self, input, gradOutput, scale)
    Module.backward = patched
    try:
        nn.Linear(20, 8).double().backward(x, go)
    finally:
        Module.backward = original
    assert seen[-1] == 'patched'


@needs_c
@pytest.mark.parametrize('dtype,typename', TYPES)
def test_gradinput_over_gradoutput_and_scale(dtype, typename):
    """gradInput sharing gradOutput's storage (a product over its own operand: numpy's copy
    semantics, the general way) and a scale other than 1 give the formulas' bits."""
    m, rs = _layer(dtype, typename, 8, 8, 3)
    x = rs.standard_normal((5, 8)).astype(dtype)
    go = rs.standard_normal((5, 8)).astype(dtype)
    w = m.weight.numpy().copy()
    got = _t(go)
    m.gradInput = got  # the same tensor: gradInput:addmm(0, 1, gradOutput, weight) in place
    m.zeroGradParameters()
    gi = m.backward(_t(x), got).numpy()
    assert gi.tobytes() == np.matmul(go, w).tobytes()
    m2, _ = _layer(dtype, typename, 8, 8, 3)
    m2.zeroGradParameters()
    m2.backward(_t(x), _t(go), 0.5)
    want = np.matmul(go.T, x) * dtype(0.5)  # an exact scaling by a power of two
    assert m2.gradWeight.numpy().tobytes() == (want + 0).tobytes()


@needs_c
def test_non_dense_input_forward():
    """A transposed (non-dense) input takes the general path: the same values."""
    m, rs = _layer(np.float64, 'torch.DoubleTensor', 6, 5, 4)
    xt = rs.standard_normal((6, 7))
    x = _t(xt).t()  # 7 x 6, strides (1, 7)
    y = m.forward(x).numpy()
    want = np.matmul(xt.T, m.weight.numpy().T) + m.bias.numpy()
    assert y.tobytes() == want.tobytes()


def _relu(a):
    return np.where(a > 0, a, a.dtype.type(0))


def _mlp_numpy(ws, bs, x, go, first_relu):
    """The forward and backward of [ReLU,] Linear, ReLU, Linear, ReLU by formulas: each Linear
    a matmul plus an exact bias add, each ReLU THNN's select (x > 0 ? x : 0; gradient go where
    x > 0, else 0)."""
    h = _relu(x) if first_relu else x
    acts = [h]
    for w, b in zip(ws, bs):
        y = np.matmul(h, w.T)
        y += b
        h = _relu(y)
        acts += [y, h]
    g = go
    gws = []
    for k in (1, 0):
        y = acts[2 * k + 1]
        g = np.where(y > 0, g, g.dtype.type(0))
        gws.append(np.matmul(g.T, acts[2 * k]) + 0)
        g = np.matmul(g, ws[k])
    if first_relu:
        g = np.where(x > 0, g, g.dtype.type(0))
    return h, g, gws[::-1]


@needs_c
@pytest.mark.parametrize('dtype,typename', TYPES)
@pytest.mark.parametrize('first_relu', [False, True])
def test_sequential_linear_relu_pairs(dtype, typename, first_relu):
    """A Sequential's Linear and the ReLU after it run in one call each way (linear_fwd and
    linear_bwd with the threshold loop): the formulas' bits, over several steps (the first
    one sizes the outputs and goes the usual way)."""
    rs = np.random.RandomState(5)
    net = nn.Sequential()
    if first_relu:
        net.add(nn.ReLU())
    net.add(nn.Linear(40, 30)).add(nn.ReLU()).add(nn.Linear(30, 20)).add(nn.ReLU())
    net = net.type(typename)
    lins = [m for m in net.modules if type(m) is nn.Linear]
    for step in range(3):
        x = rs.standard_normal((16, 40)).astype(dtype)
        go = rs.standard_normal((16, 20)).astype(dtype)
        ws = [m.weight.numpy().copy() for m in lins]
        bs = [m.bias.numpy().copy() for m in lins]
        out, gi, gws = _mlp_numpy(ws, bs, x, go, first_relu)
        net.zeroGradParameters()
        assert net.forward(_t(x)).numpy().tobytes() == out.tobytes()
        got = net.backward(_t(x), _t(go))
        assert got is net.gradInput and got.numpy().tobytes() == gi.tobytes()
        for m, gw in zip(lins, gws):
            assert m.gradWeight.numpy().tobytes() == gw.tobytes()
        net.updateParameters(0.1)
    # the steps after the first ran each pair in one call, both ways
    calls = []
    real = _kernels._nnk

    class Spy:
        def __getattr__(self, name):
            f = getattr(real, name)

            def call(*a):
                if name == 'linear_chain':  # a Sequential's run: each tuple one call's
                    calls.extend(('linear_bwd' if a[1] else 'linear_fwd', len(t)) for t in a[0])
                else:
                    calls.append((name, len(a)))
                return f(*a)
            return call
    _kernels._nnk = Spy()
    try:
        net.forward(_t(x))
        net.backward(_t(x), _t(go))
    finally:
        _kernels._nnk = real
    assert calls.count(('linear_fwd', 11)) == 2
    assert calls.count(('threshold', 7)) == (1 if first_relu else 0)  # (a first ReLU: alone)
    assert calls.count(('linear_bwd', 14)) == (2 if first_relu else 1)


@needs_c
def test_sequential_pairs_replaced_or_in_place():
    """An in-place ReLU, a ReLU whose updateOutput is set on the object, a Threshold subclass
    with its own updateGradInput: each runs its own way (the same values as alone)."""
    rs = np.random.RandomState(6)
    x = rs.standard_normal((8, 12))
    go = rs.standard_normal((8, 6))
    seen = []

    class MyReLU(nn.ReLU):
        def updateGradInput(self, input, gradOutput):
            seen.append('grad')
            return nn.ReLU.updateGradInput(self, input, gradOutput)

    own = nn.ReLU()
    real = own.updateOutput

    def patched(input):
        seen.append('out')
        return real(input)
    own.updateOutput = patched
    for act in (nn.ReLU(True), own, MyReLU()):
        torch.manualSeed(3)
        net = nn.Sequential().add(nn.Linear(12, 10)).add(act).add(nn.Linear(10, 6)).double()
        for _ in range(2):
            net.zeroGradParameters()
            w1, b1 = net.modules[0].weight.numpy(), net.modules[0].bias.numpy()
            w2, b2 = net.modules[2].weight.numpy(), net.modules[2].bias.numpy()
            y1 = np.matmul(x, w1.T) + b1
            want = np.matmul(_relu(y1), w2.T) + b2
            assert net.forward(_t(x)).numpy().tobytes() == want.tobytes()
            g = np.where(y1 > 0, np.matmul(go, w2), 0.0)
            net.backward(_t(x), _t(go))
            assert net.modules[1].gradInput.numpy().tobytes() == g.tobytes()
    assert seen == ['out', 'out', 'grad', 'grad']
