"""cudnn.torch's shape-folding wrappers (VolumetricSoftMax, VolumetricLogSoftMax,
SpatialCrossEntropyCriterion, VolumetricCrossEntropyCriterion) read from GPU-style files
written by tests/gpu_corpus.py (cudnn's field layouts), run on the CPU and exported; the
expectations are numpy formulas."""
import gpu_corpus as G
import numpy as np
import pytest

import torch7py as torch
from torch7py import serialization as S

D = "torch.CudaDoubleTensor"
rng = np.random.RandomState(11)


def fields(**kw):
    return G.module_fields(D, **kw)


def softmax_obj(log):
    # cudnn.SpatialSoftMax as VolumetricSoftMax.__init__ makes it (VolumetricLogSoftMax then
    # sets mode and algorithm); iSize as createIODescriptors leaves it
    return G.Obj("cudnn.SpatialSoftMax", fields(
        mode="CUDNN_SOFTMAX_MODE_CHANNEL",
        algorithm="CUDNN_SOFTMAX_LOG" if log else "CUDNN_SOFTMAX_ACCURATE",
        iSize=G.Storage("torch.LongStorage", np.zeros(4, np.int64))))


def volumetric_softmax(log):
    name = "cudnn.VolumetricLogSoftMax" if log else "cudnn.VolumetricSoftMax"
    return G.Obj(name, fields(ssm=softmax_obj(log)))


def nll_obj(weights=None, size_average=True):
    f = {"sizeAverage": size_average, "output": 0,
         "gradInput": G.tensor(D, np.zeros(0)),
         "output_tensor": G.tensor(D, np.zeros(1)),
         "total_weight_tensor": G.tensor(D, np.ones(1))}
    if weights is not None:
        f["weights"] = G.tensor(D, weights)
    return G.Obj("nn.SpatialClassNLLCriterion", f)


def spatial_ce(weights=None, size_average=True):
    return G.Obj("cudnn.SpatialCrossEntropyCriterion", {
        "output": 0, "gradInput": G.tensor(D, np.zeros(0)), "sizeAverage": size_average,
        "slsm": G.Obj("cudnn.SpatialLogSoftMax", fields(
            mode="CUDNN_SOFTMAX_MODE_CHANNEL", algorithm="CUDNN_SOFTMAX_LOG")),
        "nll": nll_obj(weights)})


def np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def T(a):
    return torch.DoubleTensor(np.ascontiguousarray(a, np.float64))


@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("shape", [(2, 3, 4, 2, 5), (3, 4, 2, 5)])
def test_volumetric_softmax_is_a_softmax_over_the_planes(log, shape):
    m = S.deserialize(G.dumps(G.sequential(volumetric_softmax(log), ttype=D)))
    inner = m.modules[0]
    name = "cudnn.VolumetricLogSoftMax" if log else "cudnn.VolumetricSoftMax"
    assert torch.typename(inner) == name
    assert torch.typename(inner.ssm) == ("nn.SpatialLogSoftMax" if log else "nn.SpatialSoftMax")
    x = rng.randn(*shape)
    g = rng.randn(*shape)
    axis = 0 if len(shape) == 4 else 1
    p = np_softmax(x, axis)
    y = m.forward(T(x))
    gi = m.backward(T(x), T(g))
    assert tuple(y.size()) == shape and tuple(gi.size()) == shape
    if log:
        want_y = np.log(p)
        want_g = g - p * g.sum(axis=axis, keepdims=True)
    else:
        want_y = p
        want_g = p * (g - (g * p).sum(axis=axis, keepdims=True))
    np.testing.assert_allclose(y.numpy(), want_y, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gi.numpy(), want_g, rtol=1e-10, atol=1e-12)


def test_volumetric_softmax_refuses_other_ranks_with_cudnns_message():
    m = S.deserialize(G.dumps(volumetric_softmax(False)))
    with pytest.raises(Exception, match="input should either be a 3d image or a minibatch"):
        m.forward(torch.randn(3, 4, 5))


def ce_expect(x, t, w, size_average):
    """Loss and gradInput of log-softmax + class NLL over axis 1 (t 1-based)."""
    C = x.shape[1]
    p = np_softmax(x, 1)
    idx = t.astype(int) - 1
    onehot = np.moveaxis(np.eye(C)[idx], -1, 1)
    wt = (np.ones(C) if w is None else w)[idx]
    logp = np.log(p)
    picked = np.take_along_axis(logp, idx[:, None], axis=1)[:, 0]
    total = wt.sum()
    loss = -(picked * wt).sum()
    grad = (p - onehot) * wt[:, None]
    if size_average:
        loss, grad = loss / total, grad / total
    return loss, grad


@pytest.mark.parametrize("weights", [None, np.array([0.5, 2.0, 1.0])])
@pytest.mark.parametrize("size_average", [True, False])
def test_spatial_cross_entropy_criterion(weights, size_average):
    crit = S.deserialize(G.dumps(spatial_ce(weights, size_average)))
    assert torch.typename(crit) == "cudnn.SpatialCrossEntropyCriterion"
    x = rng.randn(2, 3, 4, 5)
    t = rng.randint(1, 4, size=(2, 4, 5)).astype(np.float64)
    loss = crit.forward(T(x), T(t))
    gi = crit.backward(T(x), T(t))
    want_loss, want_grad = ce_expect(x, t, weights, size_average)
    assert abs(loss - want_loss) < 1e-10
    np.testing.assert_allclose(gi.numpy(), want_grad, rtol=1e-10, atol=1e-12)
    with pytest.raises(Exception, match="mini-batch supported only"):
        crit.forward(T(x[0]), T(t[0]))
    with pytest.raises(Exception, match="input and target should be of same size"):
        crit.forward(T(x), T(t[:, :3]))


def test_volumetric_cross_entropy_criterion():
    vce = G.Obj("cudnn.VolumetricCrossEntropyCriterion", {
        "output": 0, "gradInput": G.tensor(D, np.zeros(0)), "sizeAverage": True,
        "scec": spatial_ce(np.array([1.0, 3.0]))})
    crit = S.deserialize(G.dumps(vce))
    x = rng.randn(2, 2, 3, 2, 4)
    t = rng.randint(1, 3, size=(2, 3, 2, 4)).astype(np.float64)
    loss = crit.forward(T(x), T(t))
    gi = crit.backward(T(x), T(t))
    want_loss, want_grad = ce_expect(x, t, np.array([1.0, 3.0]), True)
    assert abs(loss - want_loss) < 1e-10
    assert tuple(gi.size()) == x.shape
    np.testing.assert_allclose(gi.numpy(), want_grad, rtol=1e-10, atol=1e-12)


def test_kept_names_save_back_the_same_bytes():
    model = G.sequential(volumetric_softmax(True), ttype=D)
    kept = S.deserialize(G.dumps(model), gpu_types="keep")
    # (the nn.Sequential and the wrapper, classes torch7py implements, written back as the
    # original Torch7 writes a module it loaded; the kept cudnn.SpatialSoftMax as it was)
    assert type(kept.modules[0].ssm).__name__ == "TorchObject"
    assert bytes(S.serialize(kept)) == G.dumps(G.resaved(
        model, {"nn.Sequential", "cudnn.VolumetricLogSoftMax"}))


def test_constructors_and_export():
    torch_ = pytest.importorskip("torch")
    from torch7py.export import to_pytorch
    from torch7py.legacy import cudnn_api
    for log in (False, True):
        m = (cudnn_api.VolumetricLogSoftMax if log else cudnn_api.VolumetricSoftMax)()
        m.double()
        x = rng.randn(2, 3, 2, 3, 2)
        tm = to_pytorch(m)
        y = tm(torch_.from_numpy(x)).numpy()
        want = np_softmax(x, 1)
        np.testing.assert_allclose(y, np.log(want) if log else want, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(y, m.forward(T(x)).numpy(), rtol=1e-12, atol=1e-12)
    w = np.array([0.5, 2.0, 1.0])
    crit = S.deserialize(G.dumps(spatial_ce(w, True)))
    x = rng.randn(2, 3, 4, 2)
    t = rng.randint(1, 4, size=(2, 4, 2)).astype(np.float64)
    tc = to_pytorch(crit)
    got = float(tc(torch_.from_numpy(x), torch_.from_numpy(t)))
    assert abs(got - ce_expect(x, t, w, True)[0]) < 1e-10
    assert abs(got - crit.forward(T(x), T(t))) < 1e-10


# the concrete classes of cudnn.torch's sources (their torch.class declarations; the abstract
# _Pointwise, _Pooling and _Pooling3D are never saved) and cunn's
CUDNN_CLASSES = """BGRU BLSTM BatchNormalization ClippedReLU GRU LSTM LogSoftMax RNN RNNReLU RNNTanh
ReLU Sigmoid SoftMax SpatialAveragePooling SpatialBatchNormalization SpatialConvolution
SpatialCrossEntropyCriterion SpatialCrossMapLRN SpatialDivisiveNormalization
SpatialFullConvolution SpatialLogSoftMax SpatialMaxPooling SpatialSoftMax Tanh
TemporalConvolution VolumetricAveragePooling VolumetricBatchNormalization VolumetricConvolution
VolumetricCrossEntropyCriterion VolumetricFullConvolution VolumetricLogSoftMax
VolumetricMaxPooling VolumetricSoftMax""".split()


def test_every_cudnn_and_cunn_class_has_a_cpu_reading():
    from torch7py import legacy
    as_object = legacy._as_object
    for name in CUDNN_CLASSES:
        how = legacy.resolve("cudnn." + name)
        if name == "SpatialDivisiveNormalization":
            assert how is as_object      # it never ran in cudnn.torch itself
        else:
            assert how is not None and how is not as_object, name
    for name in ("nn.DataParallelTable", "nn.DataParallelTable.Basic",
                 "nn.DataParallelTable.Threads"):
        assert legacy.resolve(name) is not None
