"""cudnn modules, nn.DataParallelTable and nn.GPU in a file load as nn modules with the same
function (torch7py/legacy/cudnn.py, cunn.py; nn/gpu.py). The files are written by the tests'
own writer (gpu_corpus) with cudnn.torch's class names and fields, in CudaDouble so that the
loaded models run in float64; each is checked against the nn model built by hand."""
import numpy as np
import pytest

import gpu_corpus as G
import torch7py as torch
from torch7py import nn
from torch7py import serialization as S

D = "torch.CudaDoubleTensor"
rng = np.random.RandomState(7)


def load(obj, **kw):
    return S.deserialize(G.dumps(obj), **kw)


def T(a):
    return torch.DoubleTensor(np.ascontiguousarray(a, np.float64))


def close(a, b, tol=1e-12):
    np.testing.assert_allclose(a.numpy(), b.numpy() if hasattr(b, "numpy") else b, rtol=tol,
                               atol=tol)


def fields(**kw):
    return G.module_fields(D, **kw)


def test_convolution_loads_as_nn_spatial_convolution():
    w, b = rng.randn(5, 3, 3, 2), rng.randn(5)
    m = load(G.cudnn_conv(w, b, dW=2, dH=1, padW=1, padH=0, ttype=D))
    assert torch.typename(m) == "nn.SpatialConvolution"
    for desc in ("iDesc", "fmode", "groups", "iSize"):
        assert desc not in m.__dict__
    ref = nn.SpatialConvolution(3, 5, 2, 3, 2, 1, 1, 0)
    ref.weight.copy(T(w))
    ref.bias.copy(T(b))
    x = torch.randn(2, 3, 7, 6)
    close(m.forward(x), ref.forward(x))


@pytest.mark.parametrize("batch", [False, True])
def test_grouped_convolution_is_each_group_on_its_planes(batch):
    groups, w, b = 3, rng.randn(6, 2, 3, 3), rng.randn(6)
    m = load(G.cudnn_conv(w, b, padW=1, padH=1, groups=groups, ttype=D))
    x = torch.randn(*((2, 6, 5, 4) if batch else (6, 5, 4)))
    xs = x.numpy() if batch else x.numpy()[None]
    # each group: 2 input planes -> 2 output planes, by hand with a direct sum over the window
    pad = np.pad(xs, ((0, 0), (0, 0), (1, 1), (1, 1)))
    out = np.zeros((xs.shape[0], 6, 5, 4))
    for o in range(6):
        g = o // 2
        for i in range(2):
            for ki in range(3):
                for kj in range(3):
                    out[:, o] += w[o, i, ki, kj] * pad[:, 2 * g + i, ki:ki + 5, kj:kj + 4]
        out[:, o] += b[o]
    y = m.forward(x)
    close(y, out if batch else out[0], 1e-10)
    # the groups' weights are views of the one loaded weight: training updates it in place
    params, _ = m.parameters()
    assert all(p.storage() is params[0].storage() for p in params[::2])


def test_pooling_activations_bn_softmax_in_one_model():
    cw, cb = rng.randn(4, 2, 3, 3), rng.randn(4)
    bn = [rng.rand(4) + .5, rng.randn(4), rng.randn(4), rng.rand(4) + .5]
    model = G.sequential(
        G.cudnn_conv(cw, cb, padW=1, padH=1, ttype=D),
        G.cudnn_bn("cudnn.SpatialBatchNormalization", *bn, eps=1e-3, ttype=D),
        G.Obj("cudnn.ReLU", fields(inplace=True, mode="CUDNN_ACTIVATION_RELU")),
        G.cudnn_pool("cudnn.SpatialMaxPooling", 3, 3, 2, 2, ceil=True, ttype=D),
        G.cudnn_pool("cudnn.SpatialAveragePooling", 2, 2, 1, 1, padW=1, padH=1, ttype=D,
                     extra={"count_include_pad": True}),
        G.Obj("cudnn.Tanh", fields(inplace=False)),
        G.Obj("nn.View", fields(size=G.Storage("torch.LongStorage", np.array([-1], np.int64)),
                                numElements=-1, numInputDims=3)),
        G.Obj("cudnn.Sigmoid", fields(inplace=False)),
        G.Obj("cudnn.LogSoftMax", fields(mode="CUDNN_SOFTMAX_MODE_INSTANCE",
                                         algorithm="CUDNN_SOFTMAX_LOG")),
        ttype=D)
    m = load(model)
    m.evaluate()
    names = [torch.typename(x) for x in m.modules]
    assert names == ["nn.SpatialConvolution", "nn.SpatialBatchNormalization", "nn.ReLU",
                     "nn.SpatialMaxPooling", "nn.SpatialAveragePooling", "nn.Tanh", "nn.View",
                     "nn.Sigmoid", "nn.LogSoftMax"]
    assert m.modules[2].inplace and m.modules[3].ceil_mode
    ref = nn.Sequential()
    conv = nn.SpatialConvolution(2, 4, 3, 3, 1, 1, 1, 1)
    conv.weight.copy(T(cw))
    conv.bias.copy(T(cb))
    b = nn.SpatialBatchNormalization(4, 1e-3)
    b.weight.copy(T(bn[0]))
    b.bias.copy(T(bn[1]))
    b.running_mean.copy(T(bn[2]))
    b.running_var.copy(T(bn[3]))
    ref.add(conv).add(b).add(nn.ReLU(True)).add(nn.SpatialMaxPooling(3, 3, 2, 2).ceil())
    ref.add(nn.SpatialAveragePooling(2, 2, 1, 1, 1, 1)).add(nn.Tanh())
    ref.add(nn.View(-1).setNumInputDims(3)).add(nn.Sigmoid()).add(nn.LogSoftMax())
    ref.evaluate()
    x = torch.randn(3, 2, 8, 8)
    close(m.forward(x), ref.forward(x))
    # batch norm by its formula, from the file's running statistics (then the in-place ReLU)
    h = conv.forward(x).numpy()
    expect = (h - bn[2][:, None, None]) / np.sqrt(bn[3][:, None, None] + 1e-3) \
        * bn[0][:, None, None] + bn[1][:, None, None]
    close(m.modules[1].output, np.maximum(expect, 0), 1e-10)


def test_clipped_relu_softmax_modes_lrn_full_convolution():
    x = torch.randn(2, 3, 4, 4) * 3
    m = load(G.Obj("cudnn.ClippedReLU", fields(ceiling=2.5, inplace=False)))
    close(m.forward(x), np.clip(x.numpy(), 0, 2.5))
    sm = load(G.Obj("cudnn.SpatialSoftMax", fields(mode="CUDNN_SOFTMAX_MODE_CHANNEL",
                                                  algorithm="CUDNN_SOFTMAX_ACCURATE")))
    e = np.exp(x.numpy() - x.numpy().max(1, keepdims=True))
    close(sm.forward(x), e / e.sum(1, keepdims=True))
    lsm = load(G.Obj("cudnn.SpatialLogSoftMax", fields(mode="CUDNN_SOFTMAX_MODE_CHANNEL",
                                                      algorithm="CUDNN_SOFTMAX_LOG")))
    close(lsm.forward(x), np.log(e / e.sum(1, keepdims=True)))
    s2 = load(G.Obj("cudnn.SoftMax", fields()))
    x2 = torch.randn(3, 5)
    e2 = np.exp(x2.numpy())
    close(s2.forward(x2), e2 / e2.sum(1, keepdims=True))
    lrn = load(G.Obj("cudnn.SpatialCrossMapLRN", fields(size=3, alpha=1e-2, beta=0.75, k=2)))
    ref = nn.SpatialCrossMapLRN(3, 1e-2, 0.75, 2)
    close(lrn.forward(x), ref.forward(x))
    w, b = rng.randn(3, 2, 3, 3), rng.randn(2)
    full = load(G.Obj("cudnn.SpatialFullConvolution", fields(
        nInputPlane=3, nOutputPlane=2, kW=3, kH=3, dW=2, dH=2, padW=1, padH=1, adjW=1, adjH=0,
        weight=G.tensor(D, w), bias=G.tensor(D, b), gradWeight=G.tensor(D, 0 * w),
        gradBias=G.tensor(D, 0 * b))))
    fref = nn.SpatialFullConvolution(3, 2, 3, 3, 2, 2, 1, 1, 1, 0)
    fref.weight.copy(T(w))
    fref.bias.copy(T(b))
    close(full.forward(x), fref.forward(x))


@pytest.mark.parametrize("batch", [False, True])
def test_temporal_convolution_weight_layout_and_padding(batch):
    # cudnn.TemporalConvolution(inputFrameSize, outputFrameSize, kH, dH, padH) is a
    # cudnn.SpatialConvolution(1, outputFrameSize, inputFrameSize, kH, 1, dH, 0, padH) over the
    # input viewed as 1 x frames x inputFrameSize: weight [out][t][in]
    nIn, nOut, kH, dH, pad = 3, 2, 3, 2, 1
    w = rng.randn(nOut, kH, nIn)
    b = rng.randn(nOut)
    m = load(G.Obj("cudnn.TemporalConvolution", fields(
        inputFrameSize=nIn, outputFrameSize=nOut, nInputPlane=1, nOutputPlane=nOut, kW=nIn,
        kH=kH, dW=1, dH=dH, padW=0, padH=pad, groups=1,
        weight=G.tensor(D, w.reshape(nOut, kH * nIn)), bias=G.tensor(D, b),
        gradWeight=G.tensor(D, 0 * w.reshape(nOut, -1)), gradBias=G.tensor(D, 0 * b))))
    x = torch.randn(*((2, 7, nIn) if batch else (7, nIn)))
    xs = x.numpy() if batch else x.numpy()[None]
    xp = np.pad(xs, ((0, 0), (pad, pad), (0, 0)))
    frames = range(0, 7 + 2 * pad - kH + 1, dH)
    expect = np.array([[[b[o] + sum(w[o, t, i] * xp[n, s + t, i] for i in range(nIn)
                                    for t in range(kH)) for o in range(nOut)]
                        for s in frames] for n in range(xs.shape[0])])
    close(m.forward(x), expect if batch else expect[0], 1e-10)


def test_average_pooling_counts_the_padding_as_cudnn_does():
    # cudnn.SpatialAveragePooling sets count_include_pad = (x ~= nil and x or true): always
    # true, so even a module saved with count_include_pad = false divided by the full window
    m = load(G.cudnn_pool("cudnn.SpatialAveragePooling", 2, 2, 2, 2, padW=1, padH=1, ttype=D,
                          extra={"count_include_pad": False}))
    x = torch.randn(1, 3, 3)
    assert m.forward(x)[1][1][1] == pytest.approx(x[1][1][1] / 4)
    assert m.forward(x)[1][2][2] == pytest.approx(
        (x[1][2][2] + x[1][2][3] + x[1][3][2] + x[1][3][3]) / 4)
    # a file from before ceil_mode existed had no padding
    old = G.cudnn_pool("cudnn.SpatialAveragePooling", 2, 2, 2, 2, padW=1, padH=1, ttype=D)
    del old.fields["ceil_mode"]
    assert load(old).padW == 0


def test_data_parallel_table_is_its_module():
    w, b = rng.randn(2, 4), rng.randn(2)
    inner = G.sequential(G.nn_linear(w, b, ttype=D), ttype=D)
    m = load(G.data_parallel_table(inner, ttype=D))
    assert torch.typename(m) == "nn.Sequential"
    x = torch.randn(3, 4)
    close(m.forward(x), x.numpy() @ w.T + b)
    # kept: the table with its layout, saved back the same way
    kept = load(G.data_parallel_table(inner, ttype=D), gpu_types="keep")
    assert torch.typename(kept) == "nn.DataParallelTable"
    again = S.deserialize(S.serialize(kept))
    assert torch.typename(again) == "nn.Sequential"


def test_nn_gpu_runs_its_module_on_the_cpu():
    w, b = rng.randn(2, 3), rng.randn(2)
    m = load(G.nn_gpu(G.nn_linear(w, b, ttype=D), 2, ttype=D))
    assert torch.typename(m) == "nn.GPU" and m.device == 2
    assert m._type == "torch.DoubleTensor"
    x = torch.randn(3)
    close(m.forward(x), w @ x.numpy() + b)
    with pytest.raises(RuntimeError, match="CUDA"):
        m.cuda()
    # written back with GPU.lua's header, and read again
    back = S.deserialize(S.serialize(m))
    close(back.forward(x), w @ x.numpy() + b)


def test_loading_does_not_move_the_generator():
    torch.manualSeed(3)
    a = torch.uniform()
    torch.manualSeed(3)
    load(G.cudnn_conv(rng.randn(6, 2, 3, 3), rng.randn(6), groups=2, ttype=D))
    assert torch.uniform() == a


def test_unknown_mode_and_bad_weight_name_the_path():
    bad = G.sequential(G.Obj("cudnn.Tanh", fields()),
                       G.Obj("cudnn.ReLU", fields(mode="CUDNN_ACTIVATION_SWISH")), ttype=D)
    with pytest.raises(S.SerializationError, match=r"modules\.2.*cudnn\.ReLU.*SWISH"):
        load(bad)
    conv = G.cudnn_conv(rng.randn(4, 2, 3, 3), None, ttype=D)
    conv.fields["nInputPlane"] = 3
    with pytest.raises(S.SerializationError, match="groups"):
        load(G.sequential(conv, ttype=D))
    conv.fields["nInputPlane"] = 4
    with pytest.raises(S.SerializationError, match=r"cudnn.SpatialConvolution>.weight"):
        load(G.sequential(conv, ttype=D))


def test_no_equivalent_is_a_clear_error_or_a_plain_object():
    # cudnn.torch's own forward of this class calls cuDNN functions that do not exist
    obj = G.Obj("cudnn.SpatialDivisiveNormalization", fields(size=5, alpha=1e-4, beta=0.75,
                                                             K=2.0))
    with pytest.raises(S.SerializationError, match="has no CPU form.*never ran"):
        load(obj, unknown_classes="error")
    kept = load(obj, unknown_classes="table")
    assert torch.typename(kept) == "cudnn.SpatialDivisiveNormalization"


def test_unknown_class_is_a_plain_object_that_round_trips():
    data = G.dumps(G.sequential(G.nn_linear(np.ones((2, 2)), np.zeros(2)),
                                G.Obj("dpnn.Inception", {"depth": 3, "tag": "x"})))
    with pytest.raises(S.SerializationError, match="unknown Torch class <dpnn.Inception>"):
        S.deserialize(data, unknown_classes="error")
    m = S.deserialize(data, unknown_classes="table")
    inc = m.modules[1]
    assert torch.typename(inc) == "dpnn.Inception" and inc["depth"] == 3
    with pytest.raises(AttributeError, match="dpnn.Inception.*register_class"):
        m.forward(torch.FloatTensor([1, 2]))
    back = S.deserialize(S.serialize(m), unknown_classes="table")
    assert torch.typename(back.modules[1]) == "dpnn.Inception"
    assert dict(back.modules[1]) == {"depth": 3, "tag": "x"}


def test_register_class_maps_a_name_to_an_implementation():
    class Double(nn.Module):
        typename = "mypkg.Double"

        def updateOutput(self, input):
            self.output = input * 2
            return self.output

    torch.register_class("mypkg.Double", Double)
    m = S.deserialize(G.dumps(G.Obj("mypkg.Double", G.module_fields(D))))
    assert isinstance(m, Double)
    close(m.forward(torch.DoubleTensor([1, 2])), [2, 4])


def test_cudnn_convert_in_memory():
    from torch7py import legacy
    kept = load(G.sequential(G.Obj("cudnn.ReLU", fields(inplace=True)), ttype=D),
                gpu_types="keep")
    assert torch.typename(kept) == "nn.Sequential"
    assert torch.typename(kept.modules[0]) == "cudnn.ReLU"
    out = legacy.convert(kept)
    assert torch.typename(out.modules[0]) == "nn.ReLU" and out.modules[0].inplace


def test_old_batch_normalization_with_running_std():
    var = rng.rand(3) + 0.5
    bn = G.cudnn_bn("cudnn.BatchNormalization", None, None, rng.randn(3), var, eps=1e-3, ttype=D)
    del bn.fields["running_var"]
    bn.fields["running_std"] = G.tensor(D, 1 / np.sqrt(var + 1e-3))
    m = load(bn)
    close(m.running_var, var, 1e-12)
    assert "running_std" not in m.__dict__ and m.weight is None
    m.evaluate()
    x = torch.randn(4, 3)
    close(m.forward(x), (x.numpy() - bn.fields["running_mean"].storage.data)
          / np.sqrt(var + 1e-3), 1e-10)


# Files the original Torch7 wrote (the parity oracle's t7/), turned into what Torch7 saves after
# cudnn.convert(model, cudnn) and a move to the GPU: cudnn.convert keeps every field and only
# changes each module's class, and cutorch writes a Cuda tensor in its CPU twin's layout, so the
# GPU file is the CPU file with the class and type names renamed.
GPU_NAMES = [(b"nn.SpatialConvolution", b"cudnn.SpatialConvolution"),
             (b"nn.SpatialMaxPooling", b"cudnn.SpatialMaxPooling"),
             (b"nn.ReLU", b"cudnn.ReLU"), (b"nn.Tanh", b"cudnn.Tanh"),
             (b"nn.LogSoftMax", b"cudnn.LogSoftMax"),
             (b"nn.BatchNormalization", b"cudnn.BatchNormalization"),
             (b"nn.SpatialBatchNormalization", b"cudnn.SpatialBatchNormalization"),
             (b"torch.DoubleTensor", b"torch.CudaDoubleTensor"),
             (b"torch.DoubleStorage", b"torch.CudaDoubleStorage"),
             (b"torch.LongTensor", b"torch.CudaLongTensor"),
             (b"torch.LongStorage", b"torch.CudaLongStorage")]


def to_gpu_names(data):
    import struct
    for cpu, gpu in GPU_NAMES:
        data = data.replace(struct.pack("<i", len(cpu)) + cpu, struct.pack("<i", len(gpu)) + gpu)
    return data


@pytest.mark.parametrize("name,shape", [("model_lenet", (2, 1, 32, 32)),
                                        ("model_bn", (3, 2, 4, 4))])
def test_torch7_written_models_in_their_gpu_form(name, shape):
    import os
    from golden import PARITY
    path = os.path.join(PARITY, "t7", name + "_binary.t7")
    if not os.path.exists(path):
        pytest.skip("the parity oracle is not beside the repository")
    with open(path, "rb") as f:
        data = f.read()
    gpu = to_gpu_names(data)
    assert b"cudnn." in gpu and b"torch.CudaDoubleTensor" in gpu
    cpu_model, gpu_model = S.deserialize(data), S.deserialize(gpu)
    assert "cudnn" not in str(gpu_model) and str(gpu_model) == str(cpu_model)
    cpu_model.evaluate()
    gpu_model.evaluate()
    torch.manualSeed(5)
    x = torch.randn(*shape)
    close(gpu_model.forward(x), cpu_model.forward(x), 0)


def test_cudnn_convert_leaves_graphs_as_cudnn_convert_does(capsys):
    from torch7py import legacy
    from torch7py.serialization import TorchObject
    g = TorchObject("nn.gModule", {"modules": [TorchObject("cudnn.ReLU", {"inplace": True})]})
    assert legacy.convert(g) is g
    assert "does not work with nngraph" in capsys.readouterr().err


def test_an_unknown_cudnn_name_is_an_unknown_class():
    obj = G.sequential(G.Obj("cudnn.SpatialFancyThing", fields()), ttype=D)
    with pytest.raises(S.SerializationError, match="cudnn.SpatialFancyThing is not a cudnn"):
        load(obj, unknown_classes="error")
    assert torch.typename(load(obj, unknown_classes="table").modules[0]) == \
        "cudnn.SpatialFancyThing"


def test_cudnn_model_saved_after_float():
    # fb.resnet.torch-style checkpoints: a residual block of cudnn modules moved to float
    F = "torch.FloatTensor"
    w, b = rng.randn(3, 3, 3, 3), rng.randn(3)
    block = G.Obj("nn.ConcatTable", G.module_fields(F, output=[], modules=[
        G.sequential(G.cudnn_conv(w, b, padW=1, padH=1, ttype=F),
                     G.cudnn_bn("cudnn.SpatialBatchNormalization", np.ones(3), np.zeros(3),
                                np.zeros(3), np.ones(3), ttype=F), ttype=F),
        G.Obj("nn.Identity", G.module_fields(F))]))
    net = G.sequential(block, G.Obj("nn.CAddTable", G.module_fields(F, gradInput=[], inplace=True)),
                       G.Obj("cudnn.ReLU", G.module_fields(F, inplace=True)), ttype=F)
    m = load(net)
    m.evaluate()
    x = torch.randn(2, 3, 5, 5).float()
    conv = nn.SpatialConvolution(3, 3, 3, 3, 1, 1, 1, 1).float()
    conv.weight.copy(torch.FloatTensor(w.astype(np.float32)))
    conv.bias.copy(torch.FloatTensor(b.astype(np.float32)))
    ref = np.maximum(conv.forward(x).numpy() / np.sqrt(1 + 1e-5) + x.numpy(), 0)
    y = m.forward(x)
    assert torch.typename(y) == "torch.FloatTensor"
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-5, atol=1e-5)


def test_convolution_without_bias():
    w = rng.randn(2, 3, 1, 1)
    m = load(G.cudnn_conv(w, None, ttype=D))
    assert m.bias is None and m.gradBias is None
    x = torch.randn(3, 2, 2)
    close(m.forward(x), np.einsum("oi,ihw->ohw", w[:, :, 0, 0], x.numpy()))


def test_float_convolution_without_bias_stays_without_bias():
    # a CudaTensor file: the constructor's other tensors are remade in FloatTensor, but the
    # missing bias stays nil (an empty FloatTensor bias made THNN refuse the forward: ENet's
    # :noBias() convolutions)
    w = rng.randn(2, 3, 1, 1).astype(np.float32)
    m = load(G.cudnn_conv(w, None, ttype=G.CUDA))
    assert m.bias is None and m.gradBias is None
    assert torch.typename(m.weight) == "torch.FloatTensor"
    x = torch.randn(3, 2, 2).float()
    close(m.forward(x), np.einsum("oi,ihw->ohw", w[:, :, 0, 0], x.numpy()), tol=1e-5)
    back = S.deserialize(S.serialize(m))      # what t7-convert writes: no bias field at all
    assert "bias" not in back.__dict__ or back.__dict__["bias"] is None
