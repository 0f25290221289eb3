"""Export forms added in s21 (sw21h) for the nn classes that had none: Convert, UpSampling,
PartialLinear, Kmeans, Spatial/VolumetricFractionalMaxPooling, SparseLinear, IndexLinear,
RReLU's random training slopes, LookupTable with maxNorm, even-size SpatialCrossMapLRN, and
Constant inside a model. The reference is torch7py's own forward/backward (the function the
exporter verifies against): outputs, input gradients and parameter gradients within 1e-10 on
random float64 inputs of several shapes, plus a training step (forward, backward,
updateParameters against torch.optim.SGD) where the class has parameters."""
import numpy as np
import pytest

torch = pytest.importorskip(
    'torch', reason="PyTorch is not installed: pip install -e '.[pytorch]' to test the export")

import torch7py as t7  # noqa: E402
from torch7py import nn  # noqa: E402
from torch7py.export import ExportError, to_pytorch  # noqa: E402

from _export_check import as_np, close, compare, to_t7, to_torch  # noqa: E402


def _n(*shape):
    return lambda rng: rng.standard_normal(shape)


def _partial(bias=True):
    m = nn.PartialLinear(5, 4, bias)
    m.setPartition(t7.LongTensor([3, 1, 4]))
    return m


def _lrn(size, *args):
    return lambda: nn.SpatialCrossMapLRN(size, *args)


CASES = {
    'Convert_bchw_bf': (lambda: nn.Convert('bchw', 'bf'), [_n(2, 3, 4, 5), _n(3, 4, 5)]),
    'Convert_bchw_bhwc': (lambda: nn.Convert('bchw', 'bhwc'), [_n(2, 3, 4, 5), _n(3, 4, 5)]),
    'Convert_chwb_bf': (lambda: nn.Convert('chwb', 'bf'), [_n(3, 4, 5, 2)]),
    'Convert_default': (nn.Convert, [_n(2, 3)]),
    'Convert_bf_b': (lambda: nn.Convert('bf', 'b'), [_n(4, 1)]),
    'Convert_bt_b': (lambda: nn.Convert('bt', 'b'), [_n(4, 3)]),
    'Convert_b_bt': (lambda: nn.Convert('b', 'bt'), [_n(4)]),
    'UpSampling_nearest2d': (lambda: nn.UpSampling(2), [_n(2, 3, 4, 5)]),
    'UpSampling_nearest3d': (lambda: nn.UpSampling(3), [_n(1, 2, 2, 3, 2)]),
    'UpSampling_bilinear': (lambda: nn.UpSampling(2, 'linear'), [_n(2, 3, 4, 5)]),
    'UpSampling_bilinear_size': (lambda: nn.UpSampling({'oheight': 7, 'owidth': 9},
                                                       'bilinear'), [_n(2, 2, 4, 5)]),
    'UpSampling_trilinear': (lambda: nn.UpSampling(2, 'trilinear'), [_n(1, 2, 3, 4, 3)]),
    'UpSampling_trilinear_size': (lambda: nn.UpSampling(
        {'odepth': 5, 'oheight': 3, 'owidth': 7}, 'linear'), [_n(2, 1, 3, 4, 3)]),
    'PartialLinear': (lambda: nn.PartialLinear(5, 4), [_n(3, 5)]),
    'PartialLinear_partition': (_partial, [_n(3, 5), _n(1, 5)]),
    'PartialLinear_noBias': (lambda: _partial(False), [_n(3, 5)]),
    'Kmeans': (lambda: nn.Kmeans(3, 4), [_n(6, 4)]),
    'Kmeans_scale': (lambda: nn.Kmeans(4, 2, 0.5), [_n(9, 2)]),
    # an even size runs in Torch7 where channels <= size / 2 (its window covers every plane)
    'SpatialCrossMapLRN_even4': (_lrn(4, 0.5, 0.75, 2), [_n(2, 3, 3), _n(2, 2, 3, 3),
                                                         _n(1, 2, 2)]),
    'SpatialCrossMapLRN_even6': (_lrn(6, 0.3, 0.6, 1.5), [_n(2, 3, 3, 2)]),
    'SpatialCrossMapLRN_even2': (_lrn(2, 0.3, 0.6, 1.5), [_n(2, 1, 3, 2)]),
    'Constant_in_Sequential': (lambda: nn.Sequential().add(nn.Linear(4, 3)).add(
        nn.ConcatTable().add(nn.Identity()).add(nn.Constant(t7.DoubleTensor([1, 2, 3]), 1)))
        .add(nn.CAddTable()),
        [_n(2, 4)]),
}


@pytest.mark.parametrize('name', sorted(CASES))
def test_class_exports_exactly(name):
    factory, inputs = CASES[name]
    rng = np.random.default_rng(21)
    t7.manualSeed(21)
    for make in inputs:
        compare(factory(), make(rng), rng)


def test_convert_against_its_layout_rule():
    x = np.random.default_rng(1).standard_normal((2, 3, 4, 5))
    tm = to_pytorch(nn.Convert('bchw', 'bhwc'))
    np.testing.assert_array_equal(tm(torch.tensor(x)).numpy(), x.transpose(0, 2, 3, 1))
    # 'chwb' -> 'bf': one swap of the batch axis with the first (h, w, c order), flattened
    tm = to_pytorch(nn.Convert('chwb', 'bf'))
    np.testing.assert_array_equal(tm(torch.tensor(x)).numpy(), x.swapaxes(0, 3).reshape(5, -1))
    # a FloatTensor Convert converts its input to float
    tm = to_pytorch(nn.Convert('bchw', 'bf').float())
    assert tm(torch.tensor(x)).dtype == torch.float32


def _inject_noise(m, tm):
    tm.noise = torch.from_numpy(np.array(m.noise.numpy()))


@pytest.mark.parametrize('inplace', [False, True])
def test_rrelu_random_slopes_in_training(inplace):
    rng = np.random.default_rng(2)
    t7.manualSeed(2)
    for shape in ((3, 4), (2, 3, 4)):
        m = nn.RReLU(0.1, 0.3, inplace)
        compare(m, rng.standard_normal(shape), rng, before_torch=_inject_noise)
    # an unmasked training forward: each negative input times a slope in [lower, upper]
    tm = to_pytorch(nn.RReLU(0.1, 0.3))
    x = -torch.rand(200, dtype=torch.float64) - 0.5
    r = tm(x) / x
    assert 0.1 <= float(r.min()) and float(r.max()) <= 0.3 and len(set(r.tolist())) > 1
    assert torch.equal(tm(-x), -x)
    m = nn.RReLU(0.1, 0.3)
    m.evaluate()
    compare(m, rng.standard_normal((3, 4)), rng)


def _inject_samples(m, tm):
    tm.samples = torch.from_numpy(np.array(m.randomSamples.numpy()))


FRACTIONAL = {
    'spatial_size': (lambda: nn.SpatialFractionalMaxPooling(2, 2, 4, 3),
                     [(2, 7, 6), (2, 2, 7, 6)]),
    'spatial_ratio': (lambda: nn.SpatialFractionalMaxPooling(3, 2, 0.6, 0.5), [(2, 2, 9, 8)]),
    'volumetric_size': (lambda: nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 3, 2),
                        [(2, 6, 5, 5), (2, 2, 6, 5, 5)]),
    'volumetric_ratio': (lambda: nn.VolumetricFractionalMaxPooling(2, 2, 2, 0.5, 0.7, 0.6),
                         [(1, 2, 6, 7, 5)]),
}


@pytest.mark.parametrize('name', sorted(FRACTIONAL))
def test_fractional_max_pooling_with_torch7s_samples(name):
    factory, shapes = FRACTIONAL[name]
    rng = np.random.default_rng(3)
    t7.manualSeed(3)
    for shape in shapes:
        compare(factory(), rng.standard_normal(shape), rng, before_torch=_inject_samples)


def test_fractional_max_pooling_fixed_regions_export_the_modules_samples():
    rng = np.random.default_rng(4)
    t7.manualSeed(4)
    m = nn.SpatialFractionalMaxPooling(3, 2, 4, 3).fixPoolingRegions()
    m.forward(to_t7(rng.standard_normal((2, 2, 9, 7))))
    compare(m, rng.standard_normal((2, 2, 9, 7)), rng)      # no injection: the module's own
    v = nn.VolumetricFractionalMaxPooling(2, 2, 2, 0.5, 0.6, 0.7).fixPoolingRegions()
    v.forward(to_t7(rng.standard_normal((2, 2, 6, 7, 8))))
    compare(v, rng.standard_normal((2, 2, 6, 7, 8)), rng)
    # without fixed regions every call draws its own windows (within the input, the size kept)
    tm = to_pytorch(nn.SpatialFractionalMaxPooling(2, 2, 4, 4))
    x = torch.tensor(rng.standard_normal((3, 9, 9)))
    y = tm(x)
    assert y.shape == (3, 4, 4) and set(y.reshape(-1).tolist()) <= set(x.reshape(-1).tolist())


def _idx(hi, *shape):
    return lambda rng: rng.integers(1, hi + 1, shape).astype(np.float64)


@pytest.mark.parametrize('args', [(7, 3, 0, 0.8), (7, 3, 0, 1.2, 1), (7, 3, 2, 0.9),
                                  (7, 3, 0, 0.7, 3)])
def test_lookup_table_max_norm(args):
    rng = np.random.default_rng(5)
    for shape in ((6,), (2, 4)):
        m = nn.LookupTable(*args)
        m.weight.numpy()[...] = 2 * rng.standard_normal((7, 3))
        tm = to_pytorch(m)
        compare(m, _idx(7, *shape)(rng), rng, input_grad=False, tm=tm)
        # both renormalised the rows they read, in place, the same way
        close(m.weight.numpy(), tm.weight.detach().numpy(), 'renormalised weight')


def _sparse(rng, nnz_max, insize):
    k = rng.integers(1, nnz_max + 1)
    ids = np.sort(rng.choice(np.arange(1, insize + 1), k, replace=False)).astype(np.float64)
    return np.stack([ids, rng.standard_normal(k)], 1)


def test_sparse_linear():
    rng = np.random.default_rng(6)
    m = nn.SparseLinear(10, 3)
    compare(m, _sparse(rng, 4, 10), rng, input_grad=False)
    compare(m, [_sparse(rng, 4, 10) for _ in range(3)], rng, input_grad=False)
    # nn's legacy form: one batch x nnz x 2 tensor
    compare(m, np.stack([_sparse(rng, 1, 10) for _ in range(3)])[:, :1], rng, input_grad=False)
    # weightDecay: THNN adds weightDecay * weight to the weight's gradient
    m.weightDecay = 0.1
    compare(m, [_sparse(rng, 4, 10) for _ in range(2)], rng, input_grad=False)


def test_sparse_linear_value_gradient_is_torch7s_dense_gradient_at_the_keys():
    rng = np.random.default_rng(7)
    m = nn.SparseLinear(10, 3, True)
    x = _sparse(rng, 4, 10)
    tm = to_pytorch(m)
    m.forward(to_t7(x))
    go = rng.standard_normal(3)
    gi = m.backward(to_t7(x), to_t7(go))[0].numpy()      # ini x 2: (index, gradient)
    xt = torch.tensor(x, requires_grad=True)
    tm(xt).backward(torch.tensor(go))
    keys = x[:, 0].astype(int)
    np.testing.assert_allclose(xt.grad[:, 1].numpy(), gi[keys - 1, 1], rtol=1e-12, atol=1e-14)


def _index_input(rng, batch=3):
    keys, vals = [], []
    for _ in range(batch):
        k = rng.integers(1, 5)
        keys.append(np.sort(rng.choice(np.arange(1, 11), k, replace=False)).astype(np.int64))
        vals.append(rng.standard_normal(k))
    return keys, vals


def test_index_linear_forms_of_input():
    rng = np.random.default_rng(8)
    m = nn.IndexLinear(10, 3)
    m.weight.numpy()[...] = rng.standard_normal((10, 3))
    tm = to_pytorch(m)
    keys, vals = _index_input(rng)
    compare(m, [keys, vals], rng, input_grad=False, tm=tm)       # a batch of tables
    compare(m, [keys[0], vals[0]], rng, input_grad=False, tm=tm)  # one sample
    sizes = np.array([len(k) for k in keys], dtype=np.int64)
    flat = [np.concatenate(keys), np.concatenate(vals), sizes]    # flat {keys, values, sizes}
    y7 = m.forward(to_t7(flat)).numpy()
    np.testing.assert_allclose(tm(to_torch(flat, grad=False)).detach().numpy(), y7,
                               rtol=1e-12, atol=1e-14)
    # keysOffset 3: row (0-based) = key + 3 - 1, so the keys k - 3 read the rows k - 1
    m2 = nn.IndexLinear(10, 2, None, 3)
    m2.weight.numpy()[...] = rng.standard_normal((10, 2))
    compare(m2, [[k - 3 for k in keys], vals], rng, input_grad=False)


def _distinct_keys(rng, batch=3, nkeys=10):
    keys = rng.permutation(np.arange(1, nkeys + 1))[:3 * batch].astype(np.int64)
    sizes = rng.integers(1, 4, batch)
    out, vals, at = [], [], 0
    for n in sizes:
        out.append(np.sort(keys[at:at + n]))
        vals.append(3 * rng.standard_normal(n))
        at += n
    return [out, vals]


@pytest.mark.parametrize('outputs', [3, 1])
def test_index_linear_normalize(outputs):
    rng = np.random.default_rng(12)
    m = nn.IndexLinear(10, outputs, None, None, None, None, True)
    m.weight.numpy()[:, 4:] = rng.standard_normal((10, outputs))
    m.weight.numpy()[:, 3] = rng.standard_normal(10)      # the feature biases
    # a fresh module has no train field: IndexLinear.lua's 'self.train and 1 or 0' is
    # evaluation, the maxima (0) stay and every nonzero value is its sign
    tm = to_pytorch(m)
    assert not tm.training
    compare(m, list(_index_input(rng)), rng, input_grad=False, tm=tm)
    # training: the forward raises the maxima entry after entry (a key repeated in the batch
    # too) and sets the update scale
    m.training()
    tm = to_pytorch(m)
    compare(m, list(_index_input(rng, 5)), rng, input_grad=False, tm=tm)
    close(m.weight.numpy(), tm.weight.detach().numpy(), 'maxima after the forward')
    # training steps (keys distinct in the batch: for a key met twice, Torch7's update of its
    # feature bias reads the row the first occurrence's update left), then evaluation
    for _ in range(2):
        _step(m, to_pytorch(m), _distinct_keys(rng), rng, input_grad=False)
    m.evaluate()
    _step(m, to_pytorch(m), _distinct_keys(rng), rng, input_grad=False)


def test_index_linear_weight_decay_is_refused_by_name():
    m = nn.IndexLinear(10, 3)
    m.weightDecay = 0.01
    with pytest.raises(ExportError, match='weightDecay'):
        to_pytorch(m)


def test_kmeans_against_its_rule():
    rng = np.random.default_rng(9)
    m = nn.Kmeans(3, 2)
    x = rng.standard_normal((8, 2))
    tm = to_pytorch(m)
    w = m.weight.numpy().copy()
    label = ((x[None] - w[:, None]) ** 2).sum(2).argmin(0) + 1
    np.testing.assert_array_equal(tm(torch.tensor(x)).detach().numpy(), label)
    np.testing.assert_array_equal(m.forward(to_t7(x)).numpy(), label)


def _step(m, tm, x, rng, lr=0.1, input_grad=True):
    """One training step on both: Torch7's zeroGradParameters, forward, backward,
    updateParameters(lr) against PyTorch's zero_grad, forward, backward and SGD(lr); then the
    parameters must agree, and a second forward too."""
    x7 = to_t7(x)
    y7 = as_np(m.forward(x7))
    go = rng.standard_normal(np.shape(y7))
    m.zeroGradParameters()
    m.backward(x7, to_t7(go))
    m.updateParameters(lr)
    opt = torch.optim.SGD(tm.parameters(), lr=lr)
    opt.zero_grad()
    y = tm(to_torch(x, grad=input_grad))
    close(y7, as_np(y), 'output')
    y.backward(torch.tensor(go))
    opt.step()
    sd = m.state_dict()
    for name, p in tm.state_dict().items():
        close(sd[name].numpy(), p.numpy(), 'updated ' + name)
    close(as_np(m.forward(x7)), as_np(tm(to_torch(x, grad=False))), 'output after the step')


def test_training_steps_of_the_classes_with_parameters():
    rng = np.random.default_rng(10)
    t7.manualSeed(10)
    for make, x in ((lambda: nn.PartialLinear(5, 4), rng.standard_normal((3, 5))),
                    (_partial, rng.standard_normal((3, 5))),
                    (lambda: nn.Kmeans(3, 4), rng.standard_normal((7, 4))),
                    (lambda: nn.Kmeans(2, 3, 0.5), rng.standard_normal((5, 3)))):
        m = make()
        _step(m, to_pytorch(m), x, rng)
    for make, x in ((lambda: nn.SparseLinear(10, 3), [_sparse(rng, 4, 10) for _ in range(3)]),
                    (lambda: nn.LookupTable(7, 3, 0, 0.8),
                     rng.integers(1, 8, (2, 4)).astype(np.float64)),
                    (lambda: nn.IndexLinear(10, 3), list(_index_input(rng)))):
        m = make()
        _step(m, to_pytorch(m), x, rng, input_grad=False)


def test_partial_linear_state_dict_names_its_weight():
    m = _partial()
    sd = m.state_dict()
    assert sorted(sd) == ['bias', 'weight']
    assert sd['weight'].numpy().shape == (4, 5) and sd['bias'].numpy().shape == (1, 4)
    tm = to_pytorch(m)
    assert sorted(tm.state_dict()) == ['bias', 'weight']
    new = {k: torch.full(v.shape, 0.5, dtype=torch.float64) for k, v in tm.state_dict().items()}
    m.load_state_dict(new)
    assert float(m.network.modules[0].modules[1].weight.numpy().min()) == 0.5


def test_even_size_lrn_refuses_what_torch7_refuses():
    tm = to_pytorch(nn.SpatialCrossMapLRN(4))
    with pytest.raises(ValueError, match="out of range"):
        tm(torch.zeros(3, 2, 2, dtype=torch.float64))
    with pytest.raises(t7.TorchError if hasattr(t7, 'TorchError') else Exception):
        nn.SpatialCrossMapLRN(4).forward(t7.zeros(3, 2, 2))


def test_gmodule_holding_the_new_forms():
    import importlib
    importlib.import_module("torch7py.nngraph")   # modules called on nodes make graph nodes
    rng = np.random.default_rng(11)
    t7.manualSeed(11)
    x = nn.Identity()()
    a = nn.UpSampling(2)(x)
    b = nn.SpatialFractionalMaxPooling(2, 2, 4, 4).fixPoolingRegions()(a)
    c = nn.Convert('bchw', 'bf')(b)
    d = nn.PartialLinear(3 * 16, 4)(c)
    g = nn.gModule([x], [d])
    g.forward(to_t7(rng.standard_normal((2, 3, 3, 3))))
    compare(g, rng.standard_normal((2, 3, 3, 3)), rng)


def test_command_measures_a_fractional_pooling_model_on_the_same_windows():
    from torch7py.export.cli import measure
    t7.manualSeed(13)
    net = (nn.Sequential().add(nn.SpatialConvolution(2, 3, 3, 3))
           .add(nn.SpatialFractionalMaxPooling(2, 2, 0.5, 0.5)).add(nn.Tanh()))
    out, grad = measure(net, [(2, 2, 11, 11)])
    assert out < 1e-10 and grad < 1e-10
    assert net.modules[1].__dict__.get('randomSamples') is None     # the model is untouched


def test_standalone_source_holds_the_new_forms(tmp_path):
    import runpy

    from torch7py.export.codegen import source_code
    net = (nn.Sequential().add(nn.UpSampling(2)).add(nn.Convert('bchw', 'bf'))
           .add(nn.PartialLinear(2 * 16, 3)))
    tm = to_pytorch(net)
    (tmp_path / 'exported.py').write_text(source_code(tm))
    built = runpy.run_path(str(tmp_path / 'exported.py'))['build']()
    built.load_state_dict(tm.state_dict())
    x = torch.randn(2, 2, 2, 2, dtype=torch.float64)
    torch.testing.assert_close(built(x), tm(x))


def test_no_nn_class_left_without_a_converter():
    import os
    import sys

    from torch7py.export import convert as cv
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, os.path.join(root, 'tools'))
    try:
        from nn_coverage import NN_CLASSES
    finally:
        sys.path.pop(0)
    missing = {n for n in NN_CLASSES if 'nn.' + n not in cv._CONVERTERS} - {
        'Module', 'Container', 'Criterion', 'StochasticGradient', 'LayerNormalization', 'Maxout'}
    assert missing == set()
