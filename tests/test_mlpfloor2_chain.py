"""A Sequential's run of Linear layers (with the ReLUs fused with them) in one C call each way
(issue 16: the float MLP step's floor): the outputs and gradients against numpy formulas
(Torch7's addmm is a BLAS gemm, numpy's matmul the same call into the same OpenBLAS; the bias
an exact add per element; ReLU a select; the float gradBias in sgemv_n's order) in the steady
state where the runs apply, the fields Sequential.lua sets, and the cases that keep the
modules' own calls (a method replaced on one module, a layer in between that is no Linear)."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.nn import _blas, _kernels, sequential

from obl12_ref import sgemv_n_ones


# these expectations are the bits of Debian's OpenBLAS 0.3.21 build, whose C loops are not
# fused (numerics.blas_loops('plain'))
pytestmark = pytest.mark.usefixtures('plain_blas_loops')

needs_c = pytest.mark.skipif(_kernels._nnk is None or not _blas.gemm_set()
                             or not hasattr(_kernels._nnk, 'linear_chain'),
                             reason='_nnk or its gemm not available')
TYPES = [(np.float32, 'torch.FloatTensor'), (np.float64, 'torch.DoubleTensor')]
SIZES = (30, 40, 24, 16)  # above numerics._GEMM_SMALL with a batch of 37


def _t(a):
    cls = torch.FloatTensor if a.dtype == np.float32 else torch.DoubleTensor
    t = cls(*a.shape)
    t.numpy()[...] = a
    return t


def _mlp(typename, sizes=SIZES):
    torch.manualSeed(11)
    m = nn.Sequential()
    for k in range(len(sizes) - 1):
        m.add(nn.Linear(sizes[k], sizes[k + 1]))
        if k < len(sizes) - 2:
            m.add(nn.ReLU())
    return m.type(typename)


def _expected(net, x, go):
    """Forward and backward of Linear/ReLU layers by numpy (from zeroed gradients): the output,
    the gradInput, each Linear's gradWeight and gradBias (the bias sums as Linear's C loops
    add them: a float one in sgemv_n's order; a double through numpy's gemv order is left to the
    existing tests, so only float gradBias is compared)."""
    acts, h = [x], x
    for m in net.modules:
        if type(m).__name__ == 'Linear':
            h = np.matmul(h, m.weight.numpy().T)
            h += m.bias.numpy()
        else:
            h = np.where(h > 0, h, 0).astype(h.dtype)
        acts.append(h)
    out = h
    grads = {}
    g = go
    for k in range(len(net.modules) - 1, -1, -1):
        m = net.modules[k]
        inp = acts[k]
        if type(m).__name__ == 'Linear':
            grads[k] = (np.matmul(g.T, inp), sgemv_n_ones(g, np.zeros(g.shape[1], g.dtype))
                        if g.dtype == np.float32 else None)
            g = np.matmul(g, m.weight.numpy())
        else:
            g = np.where(inp > 0, g, 0).astype(g.dtype)
    return out, g, grads


@needs_c
@pytest.mark.parametrize('dtype,typename', TYPES)
def test_runs_give_the_formulas_bits(dtype, typename):
    net = _mlp(typename)
    rs = np.random.RandomState(1)
    x = rs.standard_normal((37, SIZES[0])).astype(dtype)
    go = rs.standard_normal((37, SIZES[-1])).astype(dtype)
    calls = []
    real = _kernels._nnk

    class Spy:
        def __getattr__(self, name):
            f = getattr(real, name)
            return (lambda *a: (calls.append(name), f(*a))[1]) if name.startswith('linear') \
                else f

    for step in range(3):  # the first step sizes the buffers, the next ones run in chains
        if step == 2:
            _kernels._nnk = Spy()
        try:
            net.zeroGradParameters()
            out = net.forward(_t(x))
            gi = net.backward(_t(x), _t(go))
        finally:
            _kernels._nnk = real
        want_out, want_gi, grads = _expected(net, x, go)
        assert out.numpy().tobytes() == want_out.tobytes()
        assert gi.numpy().tobytes() == want_gi.tobytes()
        for k, (gw, gb) in grads.items():
            m = net.modules[k]
            assert m.gradWeight.numpy().tobytes() == gw.tobytes()
            if gb is not None:
                assert m.gradBias.numpy().tobytes() == gb.tobytes()
    assert calls == ['linear_chain', 'linear_chain']
    # Sequential.lua's fields: its output and gradInput are the ends' tensors
    assert net.output is net.modules[-1].output
    assert net.gradInput is net.modules[0].gradInput


@needs_c
def test_run_stops_at_a_replaced_method_and_goes_on_after_it():
    net = _mlp('torch.FloatTensor')
    rs = np.random.RandomState(2)
    x = rs.standard_normal((37, SIZES[0])).astype(np.float32)
    go = rs.standard_normal((37, SIZES[-1])).astype(np.float32)
    seen = []
    relu = net.modules[1]
    own = relu.updateOutput

    def spy(inp):
        seen.append(inp is net.modules[0].output)
        return own(inp)
    relu.updateOutput = spy  # a Lua script may set a method on the object
    for _ in range(2):
        net.zeroGradParameters()
        out = net.forward(_t(x))
        net.backward(_t(x), _t(go))
    assert seen == [True, True]  # called with Linear 1's output, computed before it
    want_out, want_gi, grads = _expected(net, x, go)
    assert out.numpy().tobytes() == want_out.tobytes()
    assert net.gradInput.numpy().tobytes() == want_gi.tobytes()


@needs_c
@pytest.mark.parametrize('dtype,typename', TYPES)
def test_run_around_another_layer(dtype, typename):
    # Tanh between Linear layers: each run ends there, the Tanh runs as usual
    torch.manualSeed(4)
    net = (nn.Sequential().add(nn.Linear(30, 40)).add(nn.ReLU()).add(nn.Linear(40, 24))
           .add(nn.Tanh()).add(nn.Linear(24, 16))).type(typename)
    rs = np.random.RandomState(3)
    x = rs.standard_normal((37, 30)).astype(dtype)
    go = rs.standard_normal((37, 16)).astype(dtype)
    for _ in range(2):
        net.zeroGradParameters()
        net.forward(_t(x))
        net.backward(_t(x), _t(go))
    l1, _, l2, tanh, l3 = net.modules
    h1 = np.matmul(x, l1.weight.numpy().T) + l1.bias.numpy()
    r1 = np.where(h1 > 0, h1, 0).astype(dtype)
    h2 = np.matmul(r1, l2.weight.numpy().T) + l2.bias.numpy()
    assert l2.output.numpy().tobytes() == h2.astype(dtype).tobytes()
    t = tanh.output.numpy()
    y = np.matmul(t, l3.weight.numpy().T) + l3.bias.numpy()
    assert net.output.numpy().tobytes() == y.astype(dtype).tobytes()
    g3 = np.matmul(go, l3.weight.numpy())
    assert l3.gradInput.numpy().tobytes() == g3.tobytes()
    assert l3.gradWeight.numpy().tobytes() == np.matmul(go.T, t).tobytes()
    g2 = tanh.gradInput.numpy()
    gi2 = np.matmul(g2, l2.weight.numpy())
    assert l2.gradInput.numpy().tobytes() == gi2.tobytes()
    gr = np.where(h1 > 0, gi2, 0).astype(dtype)
    assert net.gradInput.numpy().tobytes() == np.matmul(gr, l1.weight.numpy()).tobytes()


@needs_c
def test_preparing_does_nothing():
    # the first forward (buffers to size) does not prepare; once sized, preparing leaves
    # every tensor as it was
    net = _mlp('torch.FloatTensor')
    rs = np.random.RandomState(5)
    x = _t(rs.standard_normal((37, SIZES[0])).astype(np.float32))
    assert sequential._forward_chain(net.modules, 0, len(net.modules), x) is None
    net.forward(x)
    before = [m.output.numpy().copy() for m in net.modules]
    lin, relu = net.modules[0], net.modules[1]
    assert lin._chain_forward(relu, x) is not None
    assert [m.output.numpy().tobytes() for m in net.modules] == [b.tobytes() for b in before]
