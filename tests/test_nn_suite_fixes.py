"""What nn's own test.lua needs of torch7py.nn (issue 11): nn.hessian, nn.SparseJacobian,
FlattenTable's input_map, Index after clearState, cropping pads, Unsqueeze's position rule,
WeightNorm around Euclidean, IndexLinear's repeated keys, SelectTable with a string key and
Profile's name. Expectations are numpy formulas or hand-built values."""
import io
from contextlib import redirect_stdout

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def R(*sizes, seed=1):
    rng = np.random.RandomState(seed)
    t = torch.Tensor(*sizes)
    t.numpy()[...] = rng.uniform(-1, 1, sizes)
    return t


# ---- nn.hessian ----------------------------------------------------------------------------

def test_hessian_linear_diagonals():
    nn.hessian.enable()
    m = nn.Linear(4, 3)
    x = R(5, 4)
    m.initDiagHessianParameters()
    m.forward(x)
    ones = torch.Tensor(5, 3).fill(1)
    m.diagHessianWeight.zero()
    m.diagHessianBias.zero()
    m.updateDiagHessianInput(x, ones)
    m.accDiagHessianParameters(x, ones)
    W, xa = m.weight.numpy(), x.numpy()
    # F = sum(y^2) / 2 with y = W x + b: d2F/dx_i2 = sum_k W_ki^2, d2F/dW_ki2 = sum_n x_ni^2,
    # d2F/db_k2 = the number of samples
    np.testing.assert_allclose(m.diagHessianInput.numpy(), np.tile((W ** 2).sum(0), (5, 1)))
    np.testing.assert_allclose(m.diagHessianWeight.numpy(), np.tile((xa ** 2).sum(0), (3, 1)))
    np.testing.assert_allclose(m.diagHessianBias.numpy(), np.full(3, 5.0))
    # the module's own fields are back in place after the swaps
    assert m.weight.numpy() is not None and m.output.size(1) == 5
    np.testing.assert_allclose(m.output.numpy(), xa @ W.T + m.bias.numpy())


def test_hessian_sequential_pointwise_and_criterion():
    nn.hessian.enable()
    lin, tanh = nn.Linear(3, 2), nn.Tanh()
    s = nn.Sequential().add(lin).add(tanh)
    s.initDiagHessianParameters()
    x = R(4, 3, seed=2)
    y = s.forward(x).numpy().copy()
    crit = nn.MSECriterion()
    t = R(4, 2, seed=3)
    crit.forward(s.output, t)
    dh = crit.updateDiagHessianInput(s.output, t)
    np.testing.assert_allclose(dh.numpy(), np.full((4, 2), 2 / 8))
    dhi = s.updateDiagHessianInput(x, dh)
    # Tanh: (1 - y^2)^2 * dh; Linear: that through W squared
    dtanh = (1 - y ** 2) ** 2 * (2 / 8)
    np.testing.assert_allclose(tanh.diagHessianInput.numpy(), dtanh)
    np.testing.assert_allclose(dhi.numpy(), dtanh @ lin.weight.numpy() ** 2)
    with pytest.raises(RuntimeError, match='updateDiagHessianInput'):
        nn.Sigmoid().updateDiagHessianInput(x, x)


def test_jacobian_diag_hessian_checks():
    nn.hessian.enable()
    m = nn.SpatialConvolution(2, 3, 3, 3)
    x = R(2, 6, 6)
    m.backward(x, m.forward(x).clone())   # sizes gradInput, as test.lua's earlier checks do
    assert nn.Jacobian.testDiagHessianInput(m, x) < 1e-9
    assert nn.Jacobian.testDiagHessianWeight(m, x) < 1e-9
    assert nn.Jacobian.testDiagHessianBias(m, x) < 1e-9


# ---- nn.SparseJacobian ---------------------------------------------------------------------

def test_sparse_jacobian_perturbs_the_values_column():
    lin = nn.Linear(5, 3)
    m = nn.Sequential().add(nn.Select(2, 2)).add(lin)
    x = torch.Tensor(5, 2)
    x.select(2, 1).copy(torch.Tensor([1, 2, 3, 4, 5]))
    assert nn.SparseJacobian.testJacobian(m, x) < 1e-6
    # d y_k / d value_i = W_ki: row i of the Jacobian is column i of W
    jac = nn.SparseJacobian.forward(m, x)
    np.testing.assert_allclose(jac.numpy(), lin.weight.numpy().T, atol=1e-7)
    assert nn.SparseJacobian.testJacobianParameters(m, x, lin.weight, lin.gradWeight) < 1e-6
    assert nn.SparseJacobian.testJacobianUpdateParameters(m, x, lin.bias) < 1e-6
    ferr, berr = nn.SparseJacobian.testIO(m, x)
    assert ferr == 0 and berr == 0


# ---- table layers ---------------------------------------------------------------------------

def test_flatten_table_input_map():
    a, b, c, d = R(1), R(2), R(3), R(4)
    inp = [a, [b, [c]], d]
    m = nn.FlattenTable()
    out = m.forward(inp)
    assert [o is v for o, v in zip(out, (a, b, c, d))] == [True] * 4
    assert m.input_map == [1, [2, [3]], 4]
    old_map, old_out = m.input_map, m.output
    m.forward(inp)
    assert m.input_map is old_map and m.output is old_out
    inp[1].append(R(5))
    m.forward(inp)
    assert m.input_map == [1, [2, [3], 4], 5] and m.output is not old_out
    g = [R(1), R(2), R(3), R(5), R(4)]
    gi = m.backward(inp, g)
    assert gi[0] is g[0] and gi[1][1][0] is g[2] and gi[1][2] is g[3] and gi[2] is g[4]


def test_select_table_string_key():
    a, b = R(2), R(3)
    m = nn.SelectTable('A')
    assert m.forward({'A': a, 'B': b}) is a
    gi = m.backward({'A': a, 'B': b}, torch.Tensor([7, 8]))
    assert set(gi) == {'A', 'B'}
    np.testing.assert_array_equal(gi['A'].numpy(), [7, 8])
    np.testing.assert_array_equal(gi['B'].numpy(), [0, 0, 0])
    with pytest.raises(RuntimeError, match='index does not exist'):
        m.forward([a, b])
    assert str(m) == 'nn.SelectTable(A)'


def test_index_after_clear_state():
    m = nn.Index(1)
    x = R(5, 2)
    idx = torch.LongTensor([2, 5, 2])
    m.forward([x, idx])
    m.clearState()
    assert isinstance(m.gradInput, list) and len(m.gradInput) == 2
    y = m.forward([x, idx])
    np.testing.assert_array_equal(y.numpy(), x.numpy()[[1, 4, 1]])
    gi = m.backward([x, idx], torch.Tensor(3, 2).fill(1))
    np.testing.assert_array_equal(gi[0].numpy()[:, 0], [0, 2, 0, 0, 1])
    np.testing.assert_array_equal(gi[1].numpy(), [0, 0, 0])


# ---- padding, Unsqueeze, WeightNorm --------------------------------------------------------

def _pad_crop(x, left, right, top, bottom, mode):
    """np.pad by the positive pads, then the negative ones cut away."""
    pads = [(max(top, 0), max(bottom, 0)), (max(left, 0), max(right, 0))]
    y = np.pad(x, [(0, 0)] * (x.ndim - 2) + pads, mode=mode)
    H, W = y.shape[-2:]
    return y[..., max(-top, 0):H - max(-bottom, 0), max(-left, 0):W - max(-right, 0)]


@pytest.mark.parametrize('cls,mode', [(nn.SpatialReflectionPadding, 'reflect'),
                                      (nn.SpatialReplicationPadding, 'edge')])
@pytest.mark.parametrize('pads', [(-1, 2, 1, -2), (-3, -2, 0, 3), (2, -1, -3, -1)])
def test_negative_pads_crop(cls, mode, pads):
    m = cls(*pads)
    x = R(2, 3, 7, 8)
    y = m.forward(x)
    np.testing.assert_array_equal(y.numpy(), _pad_crop(x.numpy(), *pads, mode))
    # the gradient: each output pixel's gradient goes back to the pixel it copied
    src = np.arange(56.0).reshape(7, 8)
    where = _pad_crop(src, *pads, mode).astype(int).ravel()
    go = R(*y._size, seed=4)
    gi = m.backward(x, go)
    want = np.zeros((2, 3, 56))
    np.add.at(want, (slice(None), slice(None), where), go.numpy().reshape(2, 3, -1))
    np.testing.assert_allclose(gi.numpy(), want.reshape(2, 3, 7, 8), rtol=1e-12, atol=1e-12)


def test_unsqueeze_keeps_the_first_inputs_dims():
    m = nn.Unsqueeze(2)
    assert m.forward(R(3, 4)).size().totable() == [3, 1, 4]
    # numInputDims is now 2: a 3-D input has one batch dimension in front
    assert m.forward(R(5, 3, 4)).size().totable() == [5, 3, 1, 4]
    assert m.numInputDims == 2
    with pytest.raises(RuntimeError, match='numInputDims'):
        m.forward(R(4))
    with pytest.raises(RuntimeError, match='Invalid position: 4'):
        nn.Unsqueeze(4).forward(R(2))


def test_weight_norm_around_euclidean():
    model = nn.WeightNorm(nn.Euclidean(5, 4))
    x = R(6, 5)
    assert nn.Jacobian.testJacobianParameters(model, x, model.g, model.gradG) < 1e-5
    assert nn.Jacobian.testJacobianParameters(model, x, model.v, model.gradV) < 1e-5


def test_euclidean_backward_follows_the_forward_weight():
    m = nn.Euclidean(3, 2)
    x = R(4, 3)
    w0 = m.weight.numpy().copy()
    y = m.forward(x).numpy().copy()
    m.weight.fill(5)   # changed between the passes: the gradients use the forward's weight
    go = R(4, 2, seed=5)
    gi = m.backward(x, go)
    d = x.numpy()[:, :, None] - w0[None]
    coef = go.numpy() / (y + 1e-7)
    np.testing.assert_allclose(gi.numpy(), (d * coef[:, None, :]).sum(2))


# ---- IndexLinear's repeated keys -----------------------------------------------------------

def test_index_linear_one_key_many_times():
    il = nn.IndexLinear(50, 4)
    n, idx, lr = 3000, 7, 0.01
    batch = [[torch.LongTensor(n).fill(idx)] * 2, [torch.Tensor(n).fill(1)] * 2]
    out = il.updateOutput(batch)
    out.fill(1)
    il.backwardUpdate(batch, out, lr)
    il.backward(batch, out, 1)
    il.updateParameters(lr)
    # each of the 2n entries moves the row by lr twice (backwardUpdate, then the update)
    np.testing.assert_allclose(il.weight.numpy()[idx - 1], -2 * n * 2 * lr, rtol=1e-12)
    assert not il.weight.numpy()[np.arange(50) != idx - 1].any()


def test_index_linear_update_is_sequential_per_entry():
    il = nn.IndexLinear(6, 3)
    il.weight.numpy()[...] = np.arange(18.0).reshape(6, 3) / 7
    w0 = il.weight.numpy().copy()
    keys = torch.LongTensor([2, 5, 2, 2, 6])
    vals = torch.Tensor([0.3, -1.1, 0.7, 2.0, 0.1])
    go = torch.Tensor([0.5, -0.25, 1.5])
    il.forward([keys, vals])
    il.zeroGradParameters()
    il.backward([keys, vals], go)
    il.updateParameters(0.1)
    want = w0.copy()
    for k, v in zip(keys.numpy() - 1, vals.numpy()):
        want[k] = want[k] - (v * go.numpy()) * 0.1
    np.testing.assert_array_equal(il.weight.numpy(), want)


# ---- Profile -------------------------------------------------------------------------------

def test_profile_names_the_module_type():
    m = nn.Profile(nn.Linear(3, 2), 2)
    assert m.name == 'nn.Linear'
    buf = io.StringIO()
    with redirect_stdout(buf):
        for _ in range(2):
            m.forward(R(3))
        m.backward(R(3), R(2))
    lines = buf.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith('nn.Linear took ')
    assert lines[0].endswith(' seconds for 2 forward passes')


# ---- constructors called from Lua with nil for what Torch7 treats as optional ---------------

def test_constructors_take_nil_as_lua_does():
    # {...} stops at the trailing nils: no sizes at all
    assert nn.CAdd(None).bias.nElement() == 0
    assert nn.CMul(None).weight.nElement() == 0
    assert nn.CMul(3, None).weight.size().totable() == [3]
    v = nn.View(None)
    assert v.size.size() == 0 and v.numElements == 1
    assert nn.View(2, -1, None).size.totable() == [2, -1]
    p = nn.Parallel()
    assert p.inputDimension is None and p.outputDimension is None
    # AddConstant.lua checks the constant when it is used, not when it is stored
    a = nn.AddConstant(None, True)
    assert a.inplace is True
    with pytest.raises(AssertionError, match='input is not scalar'):
        a.forward(R(3))


def test_add_singleton_dimension_into_a_given_tensor():
    a = R(2, 3)
    out = torch.Tensor()
    r = nn.utils.addSingletonDimension(out, a, 3)
    assert r is out and out.size().totable() == [2, 3, 1]
    assert out.storage() is a.storage() and out.stride().totable() == [3, 1, 1]
    np.testing.assert_array_equal(out.numpy()[:, :, 0], a.numpy())
    assert nn.utils.addSingletonDimension(a).size().totable() == [1, 2, 3]
    with pytest.raises(TypeError, match='output tensor expected'):
        nn.utils.addSingletonDimension(3, a, 1)
