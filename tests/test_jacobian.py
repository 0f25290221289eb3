"""nn.Jacobian (jacobian.py) and the Jacobian suite: every module of issue 4 in float64, its
backprop gradients checked against central finite differences (Torch7's nn.Jacobian tests)."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn

from nncase import central_diff

PRECISION = 1e-5


def _seq(*mods):
    s = nn.Sequential()
    for m in mods:
        s.add(m)
    return s


def _has(*names):
    return all(hasattr(nn, n) for n in names)


# name -> (factory, input sizes); table modules are wrapped between SplitTable/JoinTable-like
# adapters so that the Jacobian sees tensors, as Torch7's own tests do.
MODULES = {
    'Linear_1d': (lambda: nn.Linear(5, 3), (5,)),
    'Linear_batch': (lambda: nn.Linear(5, 3), (4, 5)),
    'Linear_nobias': (lambda: nn.Linear(5, 3, False), (4, 5)),
    'Identity': (lambda: nn.Identity(), (3, 4)),
    'Reshape': (lambda: nn.Reshape(12), (3, 4)),
    'Reshape_batch': (lambda: nn.Reshape(2, 6), (2, 3, 4)),
    'View': (lambda: nn.View(-1), (3, 4)),
    'View_numinputdims': (lambda: nn.View(12).setNumInputDims(2), (2, 3, 4)),
    'Tanh': (lambda: nn.Tanh(), (3, 4)),
    'Sigmoid': (lambda: nn.Sigmoid(), (3, 4)),
    'ReLU': (lambda: nn.ReLU(), (3, 4)),
    'ReLU_inplace': (lambda: _seq(nn.AddConstant(0.1), nn.ReLU(True)), (3, 4)),
    'Threshold': (lambda: nn.Threshold(0.3, -0.2), (3, 4)),
    'HardTanh': (lambda: nn.HardTanh(-0.5, 1.5), (3, 4)),
    'SoftMax_1d': (lambda: nn.SoftMax(), (5,)),
    'SoftMax_batch': (lambda: nn.SoftMax(), (3, 5)),
    'LogSoftMax_1d': (lambda: nn.LogSoftMax(), (5,)),
    'LogSoftMax_batch': (lambda: nn.LogSoftMax(), (3, 5)),
    'Dropout_eval': (lambda: _eval(nn.Dropout(0.3)), (3, 4)),
    'Dropout_v1_eval': (lambda: _eval(nn.Dropout(0.3, True)), (3, 4)),
    'SpatialConvolution': (lambda: nn.SpatialConvolution(2, 3, 3, 2), (2, 5, 4)),
    'SpatialConvolution_pad_stride_batch':
        (lambda: nn.SpatialConvolution(2, 3, 3, 3, 2, 1, 1, 2), (2, 2, 5, 6)),
    'SpatialConvolutionMM': (lambda: nn.SpatialConvolutionMM(2, 2, 2, 3, 1, 2, 1, 0), (2, 5, 5)),
    'SpatialMaxPooling': (lambda: nn.SpatialMaxPooling(2, 2, 2, 2), (2, 4, 6)),
    'SpatialMaxPooling_ceil_pad':
        (lambda: nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1).ceil(), (2, 2, 5, 5)),
    'SpatialAveragePooling': (lambda: nn.SpatialAveragePooling(2, 3, 1, 2), (2, 5, 4)),
    'BatchNormalization': (lambda: nn.BatchNormalization(4), (5, 4)),
    'BatchNormalization_noaffine': (lambda: nn.BatchNormalization(4, 1e-5, 0.1, False), (5, 4)),
    'BatchNormalization_eval': (lambda: _eval(nn.BatchNormalization(4)), (5, 4)),
    'SpatialBatchNormalization': (lambda: nn.SpatialBatchNormalization(3), (2, 3, 2, 3)),
    'JoinTable': (lambda: _seq(nn.SplitTable(1), nn.JoinTable(1)), (3, 4)),
    'SplitTable': (lambda: _seq(nn.SplitTable(2), nn.JoinTable(1)), (3, 4)),
    'CAddTable': (lambda: _seq(nn.SplitTable(1), nn.CAddTable()), (3, 4)),
    'SelectTable': (lambda: _seq(nn.SplitTable(1), nn.SelectTable(2)), (3, 4)),
    'SelectTable_neg': (lambda: _seq(nn.SplitTable(1), nn.SelectTable(-1)), (3, 4)),
    'Narrow': (lambda: nn.Narrow(2, 2, 2), (3, 4)),
    'Select': (lambda: nn.Select(2, 3), (3, 4)),
    'Mean': (lambda: nn.Mean(2), (3, 4)),
    'Sum': (lambda: nn.Sum(1), (3, 4)),
    'Max': (lambda: nn.Max(2), (3, 4)),
    'MulConstant': (lambda: nn.MulConstant(-2.5), (3, 4)),
    'MulConstant_inplace': (lambda: _seq(nn.AddConstant(0), nn.MulConstant(1.5, True)), (3, 4)),
    'AddConstant': (lambda: nn.AddConstant(0.7), (3, 4)),
    'Copy': (lambda: nn.Copy('torch.DoubleTensor', 'torch.DoubleTensor'), (3, 4)),
    'Contiguous': (lambda: _seq(nn.Transpose([1, 2]), nn.Contiguous()), (3, 4)),
    'Transpose': (lambda: nn.Transpose([1, 2], [2, 3]), (2, 3, 4)),
    'Padding': (lambda: nn.Padding(2, -2, None, 0.5), (3, 4)),
    'Padding_after': (lambda: nn.Padding(1, 2), (3, 4)),
    # containers
    'Sequential': (lambda: _seq(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2)), (5, 4)),
    'Concat': (lambda: nn.Concat(2).add(nn.Linear(4, 3)).add(nn.Tanh()), (5, 4)),
    'ConcatTable': (lambda: _seq(nn.ConcatTable().add(nn.Linear(4, 4)).add(nn.Sigmoid()),
                                 nn.CAddTable()), (5, 4)),
    'Parallel': (lambda: nn.Parallel(1, 1).add(nn.Linear(4, 2)).add(nn.Tanh()), (2, 4)),
    'ParallelTable': (lambda: _seq(nn.SplitTable(1),
                                   nn.ParallelTable().add(nn.Linear(4, 2)).add(nn.Tanh()),
                                   nn.JoinTable(1)), (2, 4)),
    'DepthConcat': (lambda: nn.DepthConcat(1).add(nn.SpatialConvolution(2, 2, 1, 1))
                    .add(nn.SpatialConvolution(2, 1, 3, 3)), (2, 5, 5)),
    'MapTable': (lambda: _seq(nn.SplitTable(1), nn.MapTable(nn.Linear(4, 3)), nn.JoinTable(1)),
                 (3, 4)),
}

PARAM_MODULES = ['Linear_1d', 'Linear_batch', 'Linear_nobias', 'SpatialConvolution',
                 'SpatialConvolution_pad_stride_batch', 'SpatialConvolutionMM',
                 'BatchNormalization', 'SpatialBatchNormalization']


def _eval(m):
    m.evaluate()
    return m


def _build(name):
    factory, size = MODULES[name]
    try:
        m = factory()
    except AttributeError as e:
        pytest.skip('module not available: %s' % e)
    return m, torch.Tensor(*size)


@pytest.mark.parametrize('name', sorted(MODULES))
def test_jacobian_input(name):
    torch.manualSeed(123)
    m, x = _build(name)
    err = nn.Jacobian.testJacobian(m, x)
    assert err < PRECISION, '%s: max |finite diff - backprop| = %g' % (name, err)


@pytest.mark.parametrize('name', PARAM_MODULES)
def test_jacobian_parameters(name):
    torch.manualSeed(7)
    m, x = _build(name)
    err = nn.Jacobian.testJacobianParameters(m, x, m.weight, m.gradWeight)
    assert err < PRECISION
    if m.__dict__.get('bias') is not None:
        err = nn.Jacobian.testJacobianParameters(m, x, m.bias, m.gradBias)
        assert err < PRECISION
    if name.startswith('BatchNormalization') or name.startswith('SpatialBatch'):
        return  # BN has no accUpdateGradParameters of its own; the default is checked below
    err = nn.Jacobian.testJacobianUpdateParameters(m, x, m.weight)
    assert err < PRECISION
    if m.__dict__.get('bias') is not None:
        err = nn.Jacobian.testJacobianUpdateParameters(m, x, m.bias)
        assert err < PRECISION


@pytest.mark.parametrize('name', PARAM_MODULES)
def test_all_update(name):
    torch.manualSeed(11)
    m, x = _build(name)
    x.numpy()[...] = np.linspace(-1, 1, x.nElement()).reshape(x.numpy().shape)
    for w, g in (('weight', 'gradWeight'), ('bias', 'gradBias')):
        if m.__dict__.get(w) is None:
            continue
        errors = nn.Jacobian.testAllUpdate(m, x, w, g)
        for k, e in errors.items():
            assert e < PRECISION, '%s %s %s: %g' % (name, w, k, e)


@pytest.mark.parametrize('name', ['Linear_batch', 'SpatialConvolution', 'Sequential',
                                  'BatchNormalization_eval', 'Concat'])
def test_io(name):
    torch.manualSeed(5)
    m, x = _build(name)
    x.numpy()[...] = np.linspace(-1, 1, x.nElement()).reshape(x.numpy().shape)
    errf, errb = nn.Jacobian.testIO(m, x)
    assert errf == 0 and errb == 0


def test_lookup_table_parameter_jacobian():
    if not hasattr(nn, 'LookupTable'):
        pytest.skip('LookupTable not available')
    torch.manualSeed(3)
    m = nn.LookupTable(6, 3)
    idx = torch.Tensor([[2, 5, 2], [1, 6, 3]])
    jb = nn.Jacobian.backward(m, idx, m.weight, m.gradWeight)
    jf = nn.Jacobian.forward(m, idx, m.weight)
    np.testing.assert_allclose(jb.numpy(), jf.numpy(), atol=PRECISION)
    # row 2 is looked up twice: its gradient accumulates both uses
    assert jb.numpy()[3:6].sum() == pytest.approx(6.0)


def test_forward_jacobian_of_linear_is_weight_transposed():
    torch.manualSeed(1)
    m = nn.Linear(4, 3)
    x = torch.Tensor([0.5, -1.0, 2.0, 0.25])
    jf = nn.Jacobian.forward(m, x)
    jb = nn.Jacobian.backward(m, x)
    assert jf.size().totable() == [4, 3]
    np.testing.assert_allclose(jf.numpy(), m.weight.numpy().T, atol=1e-8)
    np.testing.assert_allclose(jb.numpy(), m.weight.numpy().T, atol=1e-15)


def test_linear_module_diag_hessian():
    m = nn.Linear(3, 2)
    x = torch.Tensor([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]])
    d = nn.Jacobian.linearModuleDiagHessian(m, x, 'gradWeight')
    # d/dW_ij of y_kl = x_kj [i == l]: summing squares over (k, l) gives sum_k x_kj^2
    expect = np.tile((x.numpy() ** 2).sum(0), 2)
    assert d.dim() == 1
    np.testing.assert_allclose(d.numpy(), expect)
    db = nn.Jacobian.linearModuleDiagHessian(m, x, 'gradBias')
    np.testing.assert_allclose(db.numpy(), [2.0, 2.0])


def test_dropout_train_backward_is_noise():
    torch.manualSeed(9)
    d = nn.Dropout(0.4)
    x = torch.Tensor(3, 5).fill(1.0)
    y = d.forward(x)
    noise = d.noise.numpy()
    assert set(np.unique(noise)) <= {0.0, 1 / 0.6}
    np.testing.assert_allclose(y.numpy(), noise)
    g = torch.Tensor(3, 5)
    g.numpy()[...] = np.arange(15).reshape(3, 5)
    np.testing.assert_allclose(d.backward(x, g).numpy(), noise * np.arange(15).reshape(3, 5))


CRITERIONS = {
    'MSECriterion': (lambda: nn.MSECriterion(), lambda x: _rand_like(x)),
    'AbsCriterion': (lambda: nn.AbsCriterion(), lambda x: _rand_like(x)),
    'SmoothL1Criterion': (lambda: nn.SmoothL1Criterion(), lambda x: _rand_like(x)),
    'DistKLDivCriterion': (lambda: nn.DistKLDivCriterion(), lambda x: _rand_like(x, 0.1, 1)),
    'BCECriterion': (lambda: nn.BCECriterion(), lambda x: _rand_like(x, 0, 1)),
    'MarginCriterion': (lambda: nn.MarginCriterion(), lambda x: _signs(x)),
    'ClassNLLCriterion': (lambda: nn.ClassNLLCriterion(), lambda x: _classes(x)),
    'ClassNLLCriterion_weights':
        (lambda: nn.ClassNLLCriterion(torch.Tensor([0.5, 1.0, 2.0, 1.5])), lambda x: _classes(x)),
    'CrossEntropyCriterion': (lambda: nn.CrossEntropyCriterion(), lambda x: _classes(x)),
}


def _rand_like(x, lo=-1, hi=1):
    t = x.new().resizeAs(x)
    t.numpy()[...] = np.random.RandomState(0).uniform(lo, hi, x.numpy().shape)
    return t


def _signs(x):
    t = x.new().resizeAs(x)
    t.numpy()[...] = np.where(np.arange(x.nElement()) % 2, 1.0, -1.0).reshape(x.numpy().shape)
    return t


def _classes(x):
    return torch.Tensor([1 + i % x.size(2) for i in range(x.size(1))])


@pytest.mark.parametrize('name', sorted(CRITERIONS))
def test_criterion_gradient(name):
    """Criterion.backward against central differences of Criterion.forward."""
    factory, target = CRITERIONS[name]
    try:
        crit = factory()
    except AttributeError as e:
        pytest.skip('criterion not available: %s' % e)
    x = torch.Tensor(3, 4)
    lo = 0.05 if name == 'BCECriterion' else -1.5
    hi = 0.95 if name == 'BCECriterion' else 1.5
    x.numpy()[...] = np.random.RandomState(1).uniform(lo, hi, (3, 4))
    t = target(x)
    crit.forward(x, t)
    g = crit.backward(x, t).numpy().copy()
    num = central_diff(x.numpy(), lambda: crit.forward(x, t), 1e-6)
    np.testing.assert_allclose(g.reshape(-1), num.reshape(-1), atol=PRECISION)


def test_test_jacobian_is_the_largest_difference_of_the_two_jacobians():
    """testJacobian compares the Jacobians without making tensors of them: its value is still
    max |forward - backward| of Jacobian.forward and Jacobian.backward's tensors, computed here
    with numpy from a replay of the same random draws."""
    for mod, shape, prm in ((lambda: nn.Tanh(), (3, 4), False),
                            (lambda: nn.Linear(5, 3), (2, 5), True),
                            (lambda: nn.SoftMax(), (6,), False)):
        for seed in (1, 2):
            torch.manualSeed(seed)
            m = mod()
            x = torch.Tensor(*shape)
            err = (nn.Jacobian.testJacobianParameters(m, x, m.weight, m.gradWeight) if prm
                   else nn.Jacobian.testJacobian(m, x))
            torch.manualSeed(seed)
            m = mod()
            x = torch.Tensor(*shape)
            x.copy(torch.rand(x.nElement()).mul(4).add(-2))
            if prm:
                m.weight.copy(torch.rand(m.weight.nElement()).mul(4).add(-2))
                jb = nn.Jacobian.backward(m, x, m.weight, m.gradWeight).numpy()
                jf = nn.Jacobian.forward(m, x, m.weight).numpy()
            else:
                jf = nn.Jacobian.forward(m, x).numpy()
                jb = nn.Jacobian.backward(m, x).numpy()
            assert err == float(np.abs(jf - jb).max()) and err > 0


def test_a_nil_range_is_jacobian_lua_default():
    # Jacobian.lua: minval = minval or -2, maxval = maxval or 2 (a Lua caller passing nil
    # explicitly, e.g. testJacobian(m, x, nil, nil, 1e-7), gets the default range)
    from torch7py.nn import jacobian
    m = nn.Linear(3, 2)
    filled = []
    for lo, hi in ((-2, 2), (None, None), (False, False)):
        x = torch.Tensor(4, 3)
        torch.manualSeed(5)
        jacobian.testJacobian(m, x, lo, hi, 1e-7)
        filled.append(x.numpy().copy())
        torch.manualSeed(5)
        sj = jacobian._rand_fill(torch.Tensor(12), lo, hi).numpy()
        torch.manualSeed(5)
        expect = torch.rand(12).numpy() * 4 - 2  # rand in [0, 1) spread to [-2, 2)
        assert np.allclose(sj, expect, rtol=0, atol=1e-15)
    assert (filled[0] == filled[1]).all() and (filled[0] == filled[2]).all()
    assert filled[0].min() >= -2 and filled[0].max() < 2
