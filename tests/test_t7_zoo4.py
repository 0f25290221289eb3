"""Mechanisms found by the s9 sweep of real-world .t7 files (docs/t7_sweep.md), each on a small
synthetic file written by the tests' own writer (gpu_corpus), never a fetched one."""
import importlib
import os
import sys

import numpy as np
import pytest

import gpu_corpus as G
import torch7py as t7
from torch7py import serialization as S

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
D = 'torch.DoubleTensor'


def _texture_nets():
    sys.path.insert(0, os.path.join(ROOT, 'examples'))
    try:
        return importlib.import_module('texture_nets_model')
    finally:
        sys.path.pop(0)


def _circ(left, right, top, bottom):
    return G.Obj('nn.SpatialCircularPadding', G.module_fields(D, pad_l=left, pad_r=right,
                                                              pad_t=top, pad_b=bottom))


def _conv(w, b):
    n_out, n_in, kh, kw = w.shape
    return G.Obj('nn.SpatialConvolution', G.module_fields(
        D, nInputPlane=n_in, nOutputPlane=n_out, kW=kw, kH=kh, dW=1, dH=1, padW=0, padH=0,
        weight=G.tensor(D, w), bias=G.tensor(D, b), gradWeight=G.tensor(D, np.zeros_like(w)),
        gradBias=G.tensor(D, np.zeros_like(b))))


def test_texture_nets_classes_print_and_run_as_their_lua(tmp_path):
    _texture_nets()
    rng = np.random.default_rng(0)
    w, b = rng.standard_normal((2, 3, 3, 3)), rng.standard_normal(2)
    path = tmp_path / 'gen.t7'
    G.save(str(path), G.sequential(_circ(1, 1, 1, 1), _conv(w, b), ttype=D))
    m = t7.load(str(path))
    assert 'nn.SpatialCircularPadding(l=1,r=1,t=1,b=1)' in str(m)
    x = rng.standard_normal((2, 3, 5, 4))
    y = m.forward(t7.DoubleTensor(x.copy()))
    # a wrap of one pixel: numpy's 'wrap' padding, then the 3x3 convolution
    p = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode='wrap')
    want = np.einsum('oikl,nihwkl->nohw', w,
                     np.lib.stride_tricks.sliding_window_view(p, (3, 3), axis=(2, 3))) + \
        b[None, :, None, None]
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-12, atol=1e-12)
    # its gradInput is gradOutput's interior (the Lua drops the wrapped pixels' gradients)
    pad = m.modules[0]
    g = rng.standard_normal((2, 3, 7, 6))
    gi = pad.updateGradInput(t7.DoubleTensor(x.copy()), t7.DoubleTensor(g.copy()))
    np.testing.assert_array_equal(gi.numpy(), g[:, :, 1:-1, 1:-1])


def test_texture_nets_circular_padding_of_zero_overwrites_the_border():
    # the March 2016 version copies one row/column whatever the pads: with pad 0 the input's
    # own first row becomes its second-to-last one (and so on), as its generators ran
    tn = _texture_nets()
    x = np.arange(20.0).reshape(1, 1, 4, 5)
    m = tn.SpatialCircularPadding(0)
    y = m.forward(t7.DoubleTensor(x.copy())).numpy()
    want = x.copy()
    want[:, :, 0], want[:, :, 3] = want[:, :, 2], want[:, :, 1]
    want[:, :, :, 0], want[:, :, :, 4] = want[:, :, :, 3].copy(), want[:, :, :, 1].copy()
    np.testing.assert_array_equal(y, want)


def test_texture_nets_gen_noise_fills_its_input_and_passes_the_gradient():
    tn = _texture_nets()
    m = tn.GenNoise()
    x = t7.DoubleTensor(2, 3).fill(5)
    y = m.forward(x)
    assert y is x and (x.numpy() >= 0).all() and (x.numpy() < 1).all()
    m.action = 'zero'
    assert not m.forward(t7.DoubleTensor(2, 3).fill(5)).numpy().any()
    m.action = 'fix'
    a = m.forward(t7.DoubleTensor(2, 3)).numpy().copy()
    np.testing.assert_array_equal(m.forward(t7.DoubleTensor(2, 3)).numpy(), a)
    g = t7.DoubleTensor(2, 3).fill(7)
    assert m.backward(x, g) is g


def test_texture_nets_forms_export_against_the_forward():
    torch = pytest.importorskip('torch', reason="PyTorch is not installed: pip install -e "
                                                "'.[pytorch]' to test the export")
    from _export_check import compare
    from torch7py.export import to_pytorch
    tn = _texture_nets()
    rng = np.random.default_rng(1)
    net = t7.nn.Sequential().add(tn.SpatialCircularPadding(1, 2, 1, 0)) \
        .add(t7.nn.SpatialConvolution(3, 2, 3, 3))
    compare(net, rng.standard_normal((2, 3, 5, 6)), rng)
    noise = t7.nn.Sequential().add(tn.GenNoise()).add(t7.nn.Tanh())
    noise.modules[0].action = 'fix'
    noise.forward(t7.DoubleTensor(2, 4).zero())        # draws fix_value
    tm = to_pytorch(noise)
    x = torch.zeros(2, 4, dtype=torch.float64, requires_grad=True)
    y = tm(x)
    np.testing.assert_allclose(y.detach().numpy(), np.tanh(noise.modules[0].fix_value.numpy()),
                               rtol=1e-14)
    y.sum().backward()          # GenNoise passes the gradient through, as its Lua does
    np.testing.assert_allclose(x.grad.numpy(), 1 - np.tanh(noise.modules[0].fix_value.numpy())**2,
                               rtol=1e-14)


def test_resave_of_a_loaded_gpu_file_gives_its_own_bytes():
    # the sweep's re-save step: GPU names kept in the file's order; the nn.Sequential holding
    # them is written back as the original Torch7 writes a module it loaded
    conv = G.cudnn_conv(np.ones((2, 1, 1, 1), np.float32), None)
    model = G.sequential(conv, G.Obj('cudnn.ReLU', G.module_fields(inplace=True)))
    data = G.dumps(model)
    obj = S.deserialize(data, gpu_types='keep')
    assert S.serialize(obj) == G.dumps(G.resaved(model, {'nn.Sequential'}))


def _version_of(data):
    """The version string of the first object of a binary .t7 (after type, index, length)."""
    n = int.from_bytes(data[8:12], 'little')
    return data[12:12 + n].decode()


@pytest.mark.parametrize('make,version', [
    (lambda: t7.nn.GradientReversal(0.5), 'V 2'),
    (lambda: t7.nn.VolumetricMaxPooling(2, 2, 2), 'V 2'),
    (lambda: t7.nn.VolumetricDilatedMaxPooling(2, 2, 2), 'V 1'),
    (lambda: t7.nn.BatchNormalization(3), 'V 2'),
    (lambda: t7.nn.SpatialBatchNormalization(3), 'V 2'),
    (lambda: t7.nn.VolumetricBatchNormalization(3), 'V 1'),
    (lambda: t7.nn.LookupTable(4, 2), 'V 4'),
    (lambda: t7.nn.Linear(2, 2), 'V 1'),
])
def test_each_class_writes_its_own_version(make, version):
    # File.lua writes 'V ' .. torch.version(obj): the __version of the object's own metatable
    # (luaT's rawget; 1 unless the class sets one), never inherited from its parent class
    assert _version_of(S.serialize(make())) == version


def _as_version(data, version):
    """The same bytes with the first object's version string replaced (same length)."""
    n = int.from_bytes(data[8:12], 'little')
    assert len(version) == n
    return data[:12] + version.encode() + data[12 + n:]


def test_version_1_files_get_the_read_upgrades():
    # GradientReversal:read: version < 2 means lambda 1; VolumetricMaxPooling:read: version < 2
    # means ceil_mode false (and its dilated subclass, always version 1, inherits that read)
    g = t7.nn.GradientReversal(0.5)
    assert S.deserialize(S.serialize(g)).__dict__['lambda'] == 0.5
    assert S.deserialize(_as_version(S.serialize(g), 'V 1')).__dict__['lambda'] == 1
    p = t7.nn.VolumetricMaxPooling(2, 2, 2).ceil()
    assert S.deserialize(S.serialize(p)).ceil_mode is True
    assert S.deserialize(_as_version(S.serialize(p), 'V 1')).ceil_mode is False
    d = t7.nn.VolumetricDilatedMaxPooling(2, 2, 2).ceil()
    assert S.deserialize(S.serialize(d)).ceil_mode is False


def test_weight_norm_file_without_weight_rebuilds_it():
    # Torch7's WeightNorm:write leaves out weight and gradWeight (its own and its module's);
    # WeightNorm:read rebuilds them from v and g
    m = t7.nn.WeightNorm(t7.nn.Linear(4, 3))
    x = t7.DoubleTensor(np.random.default_rng(2).standard_normal((2, 4)))
    want = m.forward(x).numpy().copy()
    for obj in (m, m.modules[0]):
        del obj.__dict__['weight'], obj.__dict__['gradWeight']
    back = S.deserialize(S.serialize(m))
    assert back.weight is back.modules[0].weight and tuple(back.weight.size()) == (3, 4)
    v, g = back.v.numpy(), back.g.numpy().reshape(-1)
    w = v * (g / np.sqrt((v * v).sum(1) + 1e-4))[:, None]
    np.testing.assert_allclose(back.weight.numpy(), w, rtol=1e-14)
    np.testing.assert_allclose(back.forward(x).numpy(), want, rtol=1e-13)


def test_later_gen_noise_and_noise_fill_of_online_neural_doodle():
    tn = _texture_nets()
    g = tn.GenNoise()
    g.num_planes, g.mult = 3, 2.0               # src/utils.lua's GenNoise(num_planes)
    x = t7.DoubleTensor(2, 5, 4, 4).fill(7)
    y = g.forward(x)
    assert tuple(y.size()) == (2, 3, 4, 4) and y is not x and (x.numpy() == 7).all()
    assert not g.backward(x, t7.DoubleTensor(2, 3, 4, 4).fill(1)).numpy().any()
    f = tn.NoiseFill()
    f.n_colors, f.num_mask_noise_times, f.num_noise_channels = 2, 1, 3
    f.out_size, f.mult_noise_mask, f.mult_noise = 2 + 2 + 3, 1.0, 1.0
    mask = np.zeros((1, 2, 3, 3))
    mask[:, 0, 1:] = 1
    out = f.forward(t7.DoubleTensor(mask.copy())).numpy()
    np.testing.assert_array_equal(out[:, :2], mask)
    assert not out[:, 2:4][mask == 0].any() and (out[:, 2:4] <= mask).all()
    assert ((out[:, 4:] >= 0) & (out[:, 4:] < 1)).all()
