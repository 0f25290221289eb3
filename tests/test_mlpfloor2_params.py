"""A container's zeroGradParameters and updateParameters in one C call each (issue 16, the
float MLP step's floor): every gradient zeroed, every parameter p:add(-lr, g) with one rounding
(Module.lua's updateParameters: TH's add(value, y) is BLAS axpy, fused), in the modules' order;
and the cases that keep the modules' own calls (a method replaced, a gradient that is not a
dense float tensor, an error half-way, more arrays than one call takes)."""
from fractions import Fraction

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.nn import _kernels, container


# these expectations are the bits of Debian's OpenBLAS 0.3.21 build, whose C loops are not
# fused (numerics.blas_loops('plain'))
pytestmark = pytest.mark.usefixtures('plain_blas_loops')

needs_c = pytest.mark.skipif(_kernels._nnk is None or not hasattr(_kernels._nnk, 'axpy_many'),
                             reason='_nnk not built')
TYPES = ['torch.FloatTensor', 'torch.DoubleTensor']


def _net(typename, big=False):
    """Linear layers (one over 1 MiB of gradient when big: zeroed with streaming stores), one
    without bias, a bias-only module, a nested Sequential, parameter-free layers."""
    torch.manualSeed(3)
    inner = nn.Sequential().add(nn.Linear(7, 6)).add(nn.Tanh())
    net = (nn.Sequential().add(nn.Linear(600 if big else 5, 7)).add(nn.ReLU())
           .add(inner).add(nn.Linear(6, 4, False)).add(nn.Add(4)).add(nn.LogSoftMax()))
    if big:
        net.modules[0] = nn.Linear(600, 700)
        net.modules[2].modules[0] = nn.Linear(700, 6)
    return net.type(typename)


def _fill_grads(net, seed):
    rs = np.random.RandomState(seed)
    ps, gs = net.parameters()
    for g in gs:
        g.numpy()[...] = rs.standard_normal(g.numpy().shape)
    return ps, gs


@needs_c
@pytest.mark.parametrize('typename', TYPES)
@pytest.mark.parametrize('big', [False, True])
def test_zero_all_gradients(typename, big):
    net = _net(typename, big)
    ps, gs = _fill_grads(net, 1)
    before = [p.numpy().copy() for p in ps]
    arrays = []
    assert container._zero_arrays(net.modules, arrays) and len(arrays) == len(gs)
    net.zeroGradParameters()
    for g in gs:
        a = g.numpy()
        assert not a.any() and not np.signbit(a).any()  # +0.0 everywhere (g:zero())
    for p, b in zip(ps, before):
        assert p.numpy().tobytes() == b.tobytes()


@needs_c
@pytest.mark.parametrize('typename', TYPES)
def test_update_is_blas_axpy_per_parameter(typename):
    net = _net(typename)
    ps, gs = _fill_grads(net, 2)
    before = [p.numpy().copy() for p in ps]
    pairs = [], []
    assert container._update_arrays(net.modules, *pairs) and len(pairs[0]) == len(ps)
    lr = 0.01
    net.updateParameters(lr)
    dt = before[0].dtype
    v = Fraction(float(dt.type(-lr)))  # a float pair's -lr is rounded to float first
    for p, g, b in zip(ps, gs, before):
        got, gg, bb = p.numpy().ravel(), g.numpy().ravel(), b.ravel()
        # THBlas_(axpy) (OpenBLAS's daxpy/saxpy): fused for the first n & -16 (double) or
        # n & -32 (float) elements, the C tail rounds the product first
        kernel = got.size & (-16 if dt == np.float64 else -32)
        for k in list(range(0, got.size, max(1, got.size // 9))) + list(range(kernel, got.size)):
            if k >= kernel:
                assert got[k] == bb[k] + dt.type(-lr) * gg[k]
                continue
            exact = Fraction(float(gg[k])) * v + Fraction(float(bb[k]))
            if dt == np.float64:
                want = float(exact)  # correctly rounded
                assert got[k] == want
            else:  # the float nearest the exact value: no float is nearer
                f = got[k]
                err = abs(Fraction(float(f)) - exact)
                assert err <= abs(Fraction(float(np.nextafter(f, np.float32(np.inf)))) - exact)
                assert err <= abs(Fraction(float(np.nextafter(f, np.float32(-np.inf)))) - exact)


@needs_c
@pytest.mark.parametrize('typename', TYPES)
def test_update_power_of_two_rate_is_a_plain_add(typename):
    # -0.5 * g is exact: p + (-0.5 * g) in the type, one add, is the fused result
    net = _net(typename, big=True)
    ps, gs = _fill_grads(net, 4)
    want = [(p.numpy() + gs[i].numpy() * p.numpy().dtype.type(-0.5)) for i, p in enumerate(ps)]
    net.updateParameters(0.5)
    for p, w in zip(ps, want):
        assert p.numpy().tobytes() == w.tobytes()


@needs_c
@pytest.mark.parametrize('typename', TYPES)
def test_shared_parameters_updated_in_module_order(typename):
    # two Linears sharing weight and bias (not the gradients): p gets the first module's
    # gradient, then the second's, rounded after each
    a = nn.Linear(3, 2).type(typename)
    b = nn.Linear(3, 2).type(typename)
    b.share(a, 'weight', 'bias')
    net = nn.Sequential().add(a).add(b)
    rs = np.random.RandomState(5)
    for m in (a, b):
        m.gradWeight.numpy()[...] = rs.standard_normal((2, 3))
        m.gradBias.numpy()[...] = rs.standard_normal(2)
    w0 = a.weight.numpy().copy()
    dt = w0.dtype
    want = (w0 + a.gradWeight.numpy() * dt.type(-0.5)).astype(dt)
    want = (want + b.gradWeight.numpy() * dt.type(-0.5)).astype(dt)
    net.updateParameters(0.5)
    assert a.weight.numpy().tobytes() == want.tobytes()


def test_replaced_method_runs():
    net = _net('torch.FloatTensor')
    calls = []
    lin = net.modules[3]
    lin.updateParameters = lambda lr: calls.append(('update', lr))
    lin.zeroGradParameters = lambda: calls.append('zero')
    assert not container._update_arrays(net.modules, [], [])
    assert not container._zero_arrays(net.modules, [])
    ps, gs = _fill_grads(net, 6)
    net.zeroGradParameters()
    net.updateParameters(0.25)
    assert calls == ['zero', ('update', 0.25)]
    assert lin.gradWeight.numpy().any()  # its own method ran, not the one call
    assert not net.modules[0].gradWeight.numpy().any()


@pytest.mark.parametrize('typename', TYPES)
def test_non_dense_gradient_takes_the_modules_calls(typename):
    net = _net(typename)
    lin = net.modules[0]
    # a gradWeight that is a transposed view: not a case for the one call, same result
    g = lin.gradWeight.new(lin.gradWeight.size(2), lin.gradWeight.size(1))
    lin.gradWeight = g.t()
    assert not container._update_arrays(net.modules, [], [])
    ps, gs = _fill_grads(net, 7)
    w0 = lin.weight.numpy().copy()
    gw = lin.gradWeight.numpy().copy()
    net.updateParameters(0.5)
    assert lin.weight.numpy().tobytes() == (w0 + gw * w0.dtype.type(-0.5)).tobytes()
    net.zeroGradParameters()
    assert not lin.gradWeight.numpy().any()


def test_error_half_way_leaves_earlier_modules_updated():
    # Module.lua's loop: the first Linear is updated, then the second one's nil gradient fails
    net = _net('torch.DoubleTensor')
    _fill_grads(net, 8)
    first = net.modules[0]
    w0 = first.weight.numpy().copy()
    net.modules[3].gradWeight = None
    with pytest.raises(Exception):
        net.updateParameters(0.5)
    assert first.weight.numpy().tobytes() == \
        (w0 + first.gradWeight.numpy() * -0.5).tobytes()


def test_many_modules_go_the_usual_way():
    torch.manualSeed(9)
    net = nn.Sequential()
    for _ in range(40):  # 80 arrays: more than one call takes
        net.add(nn.Linear(2, 2))
    ps, gs = _fill_grads(net, 9)
    before = [p.numpy().copy() for p in ps]
    net.updateParameters(0.5)
    for p, g, b in zip(ps, gs, before):
        assert p.numpy().tobytes() == (b + g.numpy() * -0.5).tobytes()
    net.zeroGradParameters()
    assert not any(g.numpy().any() for g in gs)


def test_read_only_gradient_fails_before_writing():
    net = _net('torch.FloatTensor')
    ps, gs = _fill_grads(net, 10)
    before = [p.numpy().copy() for p in ps]
    last = gs[-1].numpy()
    last.flags.writeable = False
    try:
        with pytest.raises(Exception):
            net.zeroGradParameters()
        # the modules' own calls ran: gradients before the read-only one are zeroed, as in
        # Torch7's loop
        assert not gs[0].numpy().any()
    finally:
        last.flags.writeable = True
    for p, b in zip(ps, before):
        assert p.numpy().tobytes() == b.tobytes()
