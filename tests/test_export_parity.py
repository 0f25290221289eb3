"""The models the original Torch7 wrote (../shared/parity/t7/model_*.t7) export and match, in
training and evaluation mode, with batch and single inputs; state_dict moves weights both ways;
criterions become losses with the same values and gradients."""
import os

import numpy as np
import pytest

torch = pytest.importorskip(
    'torch', reason="PyTorch is not installed: pip install -e '.[pytorch]' to test the export")

import torch7py as t7  # noqa: E402
from torch7py import nn  # noqa: E402
from torch7py.export import load_t7, to_pytorch, torch_state_dict  # noqa: E402

from _export_check import as_np, close, compare, to_t7, to_torch  # noqa: E402
from golden import PARITY  # noqa: E402

T7_DIR = os.path.join(PARITY, 't7')


def _model(name, fmt='binary'):
    path = os.path.join(T7_DIR, 'model_%s_%s.t7' % (name, fmt))
    if not os.path.exists(path):
        pytest.skip('no parity files at ' + T7_DIR)
    return load_t7(path)


def _n(*shape):
    return lambda rng: rng.standard_normal(shape)


MODELS = {
    'mlp': [_n(4), _n(5, 4)],
    'lenet': [_n(1, 16, 16), _n(3, 1, 16, 16)],
    'residual': [_n(4, 6)],
    'bn': [_n(5, 2, 4, 4)],
    'shared': [lambda rng: [rng.standard_normal(4), rng.standard_normal(4)],
               lambda rng: [rng.standard_normal((3, 4)), rng.standard_normal((3, 4))]],
    'flat': [_n(3), _n(2, 3)],
    'checkpoint': [_n(3), _n(2, 3)],
}


@pytest.mark.parametrize('fmt', ['binary', 'ascii'])
@pytest.mark.parametrize('name', sorted(MODELS))
@pytest.mark.parametrize('mode', ['training', 'evaluate'])
def test_parity_model_exports_and_matches(name, fmt, mode):
    rng = np.random.default_rng(11)
    for make in MODELS[name]:
        m = _model(name, fmt)
        getattr(m, mode)()
        compare(m, make(rng), rng)


def test_bn_model_running_statistics_follow_training():
    rng = np.random.default_rng(12)
    m = _model('bn')
    m.training()
    tm = to_pytorch(m)
    x = rng.standard_normal((6, 2, 4, 4))
    m.forward(to_t7(x))
    tm(torch.tensor(x))
    for k, v in m.state_dict().items():
        close(v.numpy(), tm.state_dict()[k].numpy(), k)


def test_state_dict_names_and_round_trip():
    m = _model('lenet')
    sd = m.state_dict()
    assert list(sd) == ['0.weight', '0.bias', '3.weight', '3.bias', '7.weight', '7.bias']
    tm = to_pytorch(m)
    assert list(tm.state_dict()) == list(sd)
    # PyTorch -> torch7py: train the exported copy one step, load its weights back
    with torch.no_grad():
        for p in tm.parameters():
            p.mul_(0.5).add_(0.25)
    m.load_state_dict(tm.state_dict())
    for k, v in tm.state_dict().items():
        np.testing.assert_array_equal(m.state_dict()[k].numpy(), v.numpy())
    # torch7py -> PyTorch
    m.get(1).weight.fill(0.125)
    tm.load_state_dict(torch_state_dict(m))
    assert float(tm[0].weight.detach().min()) == float(tm[0].weight.detach().max()) == 0.125


def test_state_dict_shares_storage_and_views_old_layouts():
    conv = nn.SpatialConvolutionMM(3, 4, 3, 3)
    assert tuple(conv.weight.size()) == (4, 27)
    sd = conv.state_dict()
    assert tuple(sd['weight'].size()) == (4, 3, 3, 3)
    sd['weight'].fill(2)
    assert conv.weight.numpy().min() == 2
    bn = nn.SpatialBatchNormalization(3)
    assert list(bn.state_dict()) == ['weight', 'bias', 'running_mean', 'running_var']
    net = nn.Sequential().add(nn.Linear(2, 2)).add(nn.Tanh()).add(nn.Linear(2, 1, False))
    assert list(net.state_dict()) == ['0.weight', '0.bias', '2.weight']


def test_load_state_dict_errors_name_every_problem_and_write_nothing():
    net = nn.Sequential().add(nn.Linear(2, 3))
    before = np.array(net.get(1).weight.numpy())
    bad = {'0.weight': np.zeros((2, 2)), 'extra': np.zeros(1)}
    with pytest.raises(t7.TorchError) as err:
        net.load_state_dict(bad)
    msg = str(err.value)
    assert 'Missing key(s) in state_dict: "0.bias"' in msg
    assert 'Unexpected key(s) in state_dict: "extra"' in msg
    assert 'size mismatch for 0.weight' in msg
    np.testing.assert_array_equal(net.get(1).weight.numpy(), before)
    # strict=False loads what matches; PyTorch's num_batches_tracked is ignored
    bn = nn.BatchNormalization(2)
    tb = torch.nn.BatchNorm1d(2).double()
    tb.running_mean.fill_(3)
    bn.load_state_dict(tb.state_dict())
    assert bn.running_mean.numpy().tolist() == [3, 3]
    net.load_state_dict({'0.bias': np.ones(3)}, strict=False)
    assert net.get(1).bias.numpy().tolist() == [1, 1, 1]


def _crit_compare(crit, x, target, rng):
    tc = to_pytorch(crit)
    x7 = to_t7(x)
    tg7 = float(target) if np.ndim(target) == 0 else to_t7(target)
    loss7 = crit.forward(x7, tg7)
    gi7 = as_np(crit.backward(x7, tg7))
    xt = to_torch(x)
    tt = to_torch(target, grad=False)
    loss = tc(xt, tt)
    loss.backward()
    close(loss7, loss.detach().numpy(), 'loss')
    gt = [v.grad for v in xt] if isinstance(xt, list) else xt.grad
    close(gi7, as_np(gt), 'gradInput')


def _logp(rng, *shape):
    x = rng.standard_normal(shape)
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


def _prob(rng, *shape):
    return 1 / (1 + np.exp(-rng.standard_normal(shape)))


CRITERIONS = {
    'MSE': (lambda: nn.MSECriterion(), lambda r: (r.standard_normal((3, 4)),
                                                  r.standard_normal((3, 4)))),
    'MSE_sum': (lambda: nn.MSECriterion(False), lambda r: (r.standard_normal(4),
                                                           r.standard_normal(4))),
    'Abs': (lambda: nn.AbsCriterion(), lambda r: (r.standard_normal((3, 4)),
                                                  r.standard_normal((3, 4)))),
    'SmoothL1': (lambda: nn.SmoothL1Criterion(), lambda r: (2 * r.standard_normal((3, 4)),
                                                            r.standard_normal((3, 4)))),
    'BCE': (lambda: nn.BCECriterion(), lambda r: (_prob(r, 3, 4), (r.random((3, 4)) > .5) * 1.)),
    'BCE_weights': (lambda: nn.BCECriterion(t7.DoubleTensor([1, 2, 0.5, 3])),
                    lambda r: (_prob(r, 3, 4), (r.random((3, 4)) > .5) * 1.)),
    'DistKLDiv': (lambda: nn.DistKLDivCriterion(), lambda r: (_logp(r, 3, 4), _prob(r, 3, 4))),
    'ClassNLL': (lambda: nn.ClassNLLCriterion(), lambda r: (_logp(r, 5, 3),
                                                            np.array([1., 3, 2, 2, 1]))),
    'ClassNLL_single': (lambda: nn.ClassNLLCriterion(), lambda r: (_logp(r, 3), np.array([2.]))),
    'ClassNLL_weights': (lambda: nn.ClassNLLCriterion(t7.DoubleTensor([1, 2, 0.5]), False),
                         lambda r: (_logp(r, 5, 3), np.array([1., 3, 2, 2, 1]))),
    'CrossEntropy': (lambda: nn.CrossEntropyCriterion(), lambda r: (r.standard_normal((5, 3)),
                                                                    np.array([1., 3, 2, 2, 1]))),
    'SoftMargin': (lambda: nn.SoftMarginCriterion(), lambda r: (
        r.standard_normal((3, 4)), np.sign(r.standard_normal((3, 4))))),
    'MultiLabelSoftMargin': (lambda: nn.MultiLabelSoftMarginCriterion(), lambda r: (
        r.standard_normal((3, 4)), (r.random((3, 4)) > .5) * 1.)),
    'HingeEmbedding': (lambda: nn.HingeEmbeddingCriterion(0.7), lambda r: (
        r.standard_normal((3, 4)), np.sign(r.standard_normal((3, 4))))),
    'MultiMargin': (lambda: nn.MultiMarginCriterion(), lambda r: (
        r.standard_normal((5, 3)), np.array([1., 3, 2, 2, 1]))),
    'MarginRanking': (lambda: nn.MarginRankingCriterion(0.3), lambda r: (
        [r.standard_normal(5), r.standard_normal(5)], np.sign(r.standard_normal(5)))),
    'CosineEmbedding': (lambda: nn.CosineEmbeddingCriterion(0.2), lambda r: (
        [r.standard_normal((5, 3)), r.standard_normal((5, 3))], np.sign(r.standard_normal(5)))),
    'SpatialClassNLL': (lambda: nn.SpatialClassNLLCriterion(), lambda r: (
        _logp(r, 2, 3, 3, 4).transpose(0, 3, 1, 2).copy(), r.integers(1, 5, (2, 3, 3)) * 1.)),
    'Margin': (lambda: nn.MarginCriterion(0.6), lambda r: (
        r.standard_normal(5), np.sign(r.standard_normal(5)))),
    'MultiLabelMargin': (lambda: nn.MultiLabelMarginCriterion(), lambda r: (
        r.standard_normal((2, 4)), np.array([[3., 1, 0, 0], [4, 2, 1, 0]]))),
    'MultiLabelMargin_single': (lambda: nn.MultiLabelMarginCriterion(), lambda r: (
        r.standard_normal(4), np.array([2., 0, 0, 0]))),
    'L1HingeEmbedding_same': (lambda: nn.L1HingeEmbeddingCriterion(9), lambda r: (
        [r.standard_normal(4), r.standard_normal(4)], np.array(1.))),
    'L1HingeEmbedding_other': (lambda: nn.L1HingeEmbeddingCriterion(9), lambda r: (
        [r.standard_normal(4), r.standard_normal(4)], np.array(-1.))),
    'WeightedMSE': (lambda: nn.WeightedMSECriterion(t7.DoubleTensor([1, 2, 0.5, 3])), lambda r: (
        r.standard_normal((3, 4)), r.standard_normal((3, 4)))),
}


@pytest.mark.parametrize('name', sorted(CRITERIONS))
def test_criterion_exports_to_its_loss(name):
    rng = np.random.default_rng(13)
    factory, make = CRITERIONS[name]
    x, target = make(rng)
    _crit_compare(factory(), x, target, rng)


def test_parity_criterions():
    rng = np.random.default_rng(14)
    c = load_t7(os.path.join(T7_DIR, 'model_criterion_binary.t7'))
    _crit_compare(c, _logp(rng, 4, 3), np.array([3., 1, 2, 3]), rng)
    pc = load_t7(os.path.join(T7_DIR, 'model_criterion_parallel_binary.t7'))
    x = [rng.standard_normal(3), _logp(rng, 3)]
    tc = to_pytorch(pc)
    loss7 = pc.forward(to_t7(x), [to_t7(rng.standard_normal(3)), 2])
    assert tc is not None and np.isfinite(loss7)


def test_gpu_saved_file_exports_and_matches(tmp_path):
    """A checkpoint as cutorch/cudnn/cunn write it (CudaTensors, cudnn modules, a grouped
    convolution, nn.GPU, DataParallelTable) loads as its nn equivalent and exports."""
    import gpu_corpus as G
    rng = np.random.default_rng(16)

    def f32(*s):
        return rng.standard_normal(s).astype(np.float32)
    view = G.Obj('nn.View', G.module_fields(
        size=G.Storage('torch.LongStorage', np.array([-1], np.int64)), numElements=1,
        numInputDims=3))
    model = G.sequential(
        G.cudnn_conv(f32(4, 1, 3, 3), f32(4), padW=1, padH=1, groups=2),
        G.cudnn_bn('cudnn.SpatialBatchNormalization', f32(4), f32(4), f32(4),
                   np.abs(f32(4)) + .5),
        G.Obj('cudnn.ReLU', G.module_fields(inplace=False)),
        G.cudnn_pool('cudnn.SpatialMaxPooling', 2, 2, 2, 2), view,
        G.nn_gpu(G.nn_linear(f32(3, 16), f32(3)), 1))
    path = str(tmp_path / 'gpu.t7')
    G.save(path, G.data_parallel_table(model))
    m = load_t7(path)
    tm = to_pytorch(m)
    assert next(tm.parameters()).dtype == torch.float32
    x = rng.standard_normal((3, 2, 4, 4))
    y = tm(torch.tensor(x, dtype=torch.float32)).detach().numpy()
    m.evaluate()
    np.testing.assert_allclose(y, m.forward(to_t7(x).float()).numpy(), rtol=1e-5, atol=1e-5)
    m.double()
    for mode in ('evaluate', 'training'):
        getattr(m, mode)()
        compare(m, x, rng)
