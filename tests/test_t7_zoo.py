"""Mechanisms found by sweeping real-world .t7 files (docs/t7_sweep.md), each on a small synthetic
file: tds's containers, objects of unknown classes inside models, modules saved by older nn
versions (missing fields that Torch7 fills in on the first forward), and the exporter's input
shape guess. The fetched files themselves are never part of the tests."""
import struct

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.serialization.objects import TorchObject


def _int(v):
    return struct.pack('<i', v)


def _long(v):
    return struct.pack('<q', v)


def _num(v):
    return _int(1) + struct.pack('<d', v)


def _str(s):
    return _int(2) + _int(len(s)) + s.encode()


def _torch_header(index, name, version='V 0'):
    return _int(4) + _int(index) + _int(len(version)) + version.encode() + _int(len(name)) + \
        name.encode()


# -- tds (torch/tds: hash.lua and vec.lua's __write: the count as a long, then writeObject of
# each key and value / each value, under "V 0") ---------------------------------------------

def _tds_hash_bytes():
    return _torch_header(1, 'tds.Hash') + _long(2) + _str('a') + _num(1.5) + _num(3) + \
        _str('x')


def _tds_vec_bytes():
    return _torch_header(1, 'tds.Vec') + _long(3) + _num(10) + _str('y') + _num(-2)


def test_tds_hash_and_vec_load_and_save_back_byte_for_byte():
    h = torch.deserialize(_tds_hash_bytes())
    assert torch.typename(h) == 'tds.Hash' and dict(h) == {'a': 1.5, 3: 'x'}
    assert bytes(torch.serialize(h)) == _tds_hash_bytes()
    v = torch.deserialize(_tds_vec_bytes())
    assert torch.typename(v) == 'tds.Vec' and list(v) == [10, 'y', -2]
    assert bytes(torch.serialize(v)) == _tds_vec_bytes()


def test_tds_legacy_name_and_counter():
    # hash.lua registers 'tds_hash' (no version header) for files of older tds
    old = _int(4) + _int(1) + _int(8) + b'tds_hash' + _long(1) + _num(1) + _num(2)
    h = torch.deserialize(old)
    assert dict(h) == {1: 2} and torch.typename(h) == 'tds.Hash'
    c = torch.deserialize(_torch_header(1, 'tds.AtomicCounter') + _long(41))
    assert c.get() == 41
    assert bytes(torch.serialize(c)) == _torch_header(1, 'tds.AtomicCounter') + _long(41)


def test_tds_inside_a_table_keeps_sharing_and_clones_as_its_class():
    h = torch.deserialize(_tds_hash_bytes())
    v = torch.deserialize(_tds_vec_bytes())
    back = torch.deserialize(torch.serialize({'dict': h, 'again': h, 'idx': v}))
    assert back['dict'] is back['again'] and torch.typename(back['idx']) == 'tds.Vec'
    from torch7py.nn import utils
    c = utils.deep_copy([h, v], {})
    assert torch.typename(c[0]) == 'tds.Hash' and dict(c[0]) == dict(h) and c[0] is not h
    assert torch.typename(c[1]) == 'tds.Vec' and list(c[1]) == list(v)


def test_tds_negative_count_is_a_load_error():
    bad = _torch_header(1, 'tds.Vec') + _long(-1)
    with pytest.raises(torch.SerializationError, match='negative element count'):
        torch.deserialize(bad)


# -- a model holding an object of a class torch7py does not know (char-rnn's OneHot) ---------

def test_model_with_an_unknown_class_clones_and_clears_its_state():
    seq = nn.Sequential().add(nn.Linear(3, 2))
    seq.modules.append(TorchObject('OneHot', {'outputSize': 5}, version=2))
    back = torch.deserialize(torch.serialize(seq), unknown_classes='table')
    c = back.clone()
    one = c.modules[1]
    assert torch.typename(one) == 'OneHot' and one['outputSize'] == 5 and one.version == 2
    assert one is not back.modules[1]
    # the clone writes the same objects as the original (its nn modules' fields reordered as
    # the original Torch7's clone does; the unknown class's in its file's order)
    again = torch.deserialize(torch.serialize(c), unknown_classes='table')
    assert list(again.modules[1].items()) == list(back.modules[1].items())
    np.testing.assert_array_equal(again.modules[0].weight.numpy(), back.modules[0].weight.numpy())
    # printed as luaT prints an object whose class has no __tostring__: its class name
    assert str(one) == 'OneHot' and '(2): OneHot' in str(c)
    assert repr(one).startswith("TorchObject('OneHot', {")


# -- modules saved by older nn versions ------------------------------------------------------

def _old(m, drop=(), **extra):
    """m as a file of an older nn wrote it: fields in `drop` absent, `extra` present."""
    for k in drop:
        m.__dict__.pop(k, None)
    m.__dict__.update(extra)
    return torch.deserialize(torch.serialize(m))


def _xcorr(x, w, b):
    """A valid 2-d cross-correlation per output plane (numpy, independent of nn's kernels)."""
    n_out, _, kH, kW = w.shape
    H, W = x.shape[1] - kH + 1, x.shape[2] - kW + 1
    y = np.zeros((n_out, H, W))
    for o in range(n_out):
        for i in range(H):
            for j in range(W):
                y[o, i, j] = (x[:, i:i + kH, j:j + kW] * w[o]).sum() + b[o]
    return y


def test_spatial_convolution_without_padding_fields_prints_and_runs_as_torch7():
    torch.manualSeed(3)
    m = nn.SpatialConvolution(2, 3, 3, 3)
    old = _old(m, drop=('padW', 'padH', 'finput', 'fgradInput'))
    # SpatialConvolution.lua's __tostring__: nil ~= 0, so ', dW,dH' is shown; the pads are not
    assert str(old) == 'nn.SpatialConvolution(2 -> 3, 3x3, 1,1)'
    x = torch.randn(2, 6, 5)
    y = old.forward(x)
    want = _xcorr(x.numpy(), m.weight.numpy(), m.bias.numpy())
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-12, atol=1e-12)
    # backCompatibility set the fields: the text is now the usual one
    assert old.padW == 0 and old.padH == 0 and str(old) == 'nn.SpatialConvolution(2 -> 3, 3x3)'


def test_spatial_convolution_with_one_padding_field_and_a_2d_weight():
    torch.manualSeed(4)
    m = nn.SpatialConvolution(1, 2, 3, 3)
    w4 = m.weight.clone()
    old = _old(m, drop=('padW', 'padH'), padding=1, weight=m.weight.view(2, 9))
    assert old.weight.dim() == 2
    x = torch.randn(1, 4, 4)
    y = old.forward(x)
    xp = np.pad(x.numpy(), ((0, 0), (1, 1), (1, 1)))
    want = _xcorr(xp, w4.numpy(), m.bias.numpy())
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-12, atol=1e-12)
    assert (old.padW, old.padH) == (1, 1) and 'padding' not in old.__dict__
    assert list(old.weight.size()) == [2, 1, 3, 3]
    assert str(old) == 'nn.SpatialConvolution(1 -> 2, 3x3, 1,1, 1,1)'


def test_pooling_and_full_convolution_without_later_fields():
    p = _old(nn.SpatialMaxPooling(2, 2), drop=('padW', 'padH', 'ceil_mode'))
    # SpatialMaxPooling.lua: (padW or padH) is nil, so no padding is shown
    assert str(p) == 'nn.SpatialMaxPooling(2x2, 2,2)'
    x = torch.randn(1, 4, 4)
    y = p.forward(x).numpy()
    np.testing.assert_array_equal(y, x.numpy().reshape(1, 2, 2, 2, 2).max(axis=(2, 4)))
    f = _old(nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2), drop=('adjW', 'adjH'))
    assert str(f) == 'nn.SpatialFullConvolution(2 -> 3, 3x3, 2,2)'
    # one pad present and the other missing: Lua's concatenation of nil fails
    half = _old(nn.SpatialMaxPooling(2, 2), drop=('padH',))
    half.padW = 1
    with pytest.raises(RuntimeError, match="attempt to concatenate field 'padH'"):
        str(half)


def test_view_without_output_buffer():
    v = _old(nn.View(6), drop=('output', 'gradInput'))
    x = torch.randn(2, 3)
    y = v.forward(x)
    assert list(y.size()) == [6] and y.storage() is x.storage()
    g = v.backward(x, torch.ones(6))
    assert list(g.size()) == [2, 3]


# -- export: old layouts, models without gradInput, the input shape guess ----------------------

torch_pt = pytest.importorskip('torch')


def test_export_of_old_layout_modules_matches_and_skips_missing_gradients():
    from torch7py.export import cli
    torch.manualSeed(5)
    net = nn.Sequential().add(nn.SpatialConvolution(1, 2, 3, 3)).add(nn.SpatialMaxPooling(2, 2))
    net.add(nn.View(8)).add(nn.Linear(8, 3))
    conv, pool = net.modules[0], net.modules[1]
    for k in ('padW', 'padH'):
        del conv.__dict__[k]
    conv.padding = 0
    for k in ('padW', 'padH', 'ceil_mode'):
        del pool.__dict__[k]
    old = torch.deserialize(torch.serialize(net))
    out, grad = cli.measure(old, [(2, 1, 6, 6)], n=2)
    assert out < 1e-12 and grad < 1e-12
    # a deployment file without gradInput buffers: outputs measured, gradients not
    for m in old.modules:
        m.__dict__.pop('gradInput', None)
    out, grad = cli.measure(old, [(2, 1, 6, 6)], n=1)
    assert out < 1e-12 and grad is None


def test_input_shape_guess_skips_layers_that_take_any_shape():
    from torch7py.export import cli
    net = nn.Sequential().add(nn.SpatialZeroPadding(1, 1, 1, 1)).add(nn.ReLU())
    net.add(nn.SpatialConvolution(3, 4, 3, 3))
    assert cli._candidates(net)[0] == (3, 32, 32)
    bn = nn.Sequential().add(nn.SpatialBatchNormalization(5)).add(nn.ReLU())
    assert cli._candidates(bn)[0] == (5, 32, 32)
    assert cli._candidates(nn.Sequential().add(nn.BatchNormalization(7)))[0] == (7,)
    # a table input: one shape per branch
    assert cli._candidates(nn.ParallelTable().add(nn.Linear(2, 2))) == [[(2,)]]


# -- files that are no .t7 at all ----------------------------------------------------------------

@pytest.mark.parametrize('head, what', [
    (b'\x89HDF\r\n\x1a\n', 'an HDF5 file'),
    (b'\x80\x02\x8a\x0a', 'a Python pickle'),
    (b'PK\x03\x04\x14\x00', 'a zip archive'),
])
def test_a_file_of_another_format_is_named(head, what):
    with pytest.raises(torch.SerializationError, match=r'at byte offset 4: unknown object type '
                       r'-?\d+ \(the file starts as %s' % what):
        torch.deserialize(head + b'\x00' * 12)
    # a real unknown type stays a plain error
    with pytest.raises(torch.SerializationError, match=r'unknown object type 9$'):
        torch.deserialize(_int(9) + b'\x00' * 8)


def test_sub_sampling_with_a_weight_of_2012s_layout():
    # THNN reads weight_data[k] for plane k: the first nInputPlane values of the tensor
    m = nn.SpatialSubSampling(2, 2, 2, 2, 2)
    w = torch.Tensor(2, 2, 2)
    w.numpy()[...] = np.arange(1, 9).reshape(2, 2, 2)
    m.weight, m.gradWeight = w, torch.Tensor(2, 2, 2).zero()
    m.bias.fill(0.5)
    x = torch.randn(1, 2, 4, 4)
    y = m.forward(x).numpy()
    sums = x.numpy().reshape(1, 2, 2, 2, 2, 2).sum(axis=(3, 5))
    np.testing.assert_allclose(y, sums * np.array([1, 2])[None, :, None, None] + 0.5,
                               rtol=1e-12)
    g = m.backward(x, torch.ones(1, 2, 2, 2)).numpy()
    np.testing.assert_allclose(g, np.broadcast_to(np.array([1, 2])[None, :, None, None],
                                                  (1, 2, 4, 4)))
    np.testing.assert_allclose(m.gradWeight.numpy().ravel()[:2], sums.sum(axis=(0, 2, 3)))
    assert (m.gradWeight.numpy().ravel()[2:] == 0).all()
    # state_dict names the values THNN uses, as views on the layer's storage
    sd = m.state_dict()
    assert list(sd['weight'].size()) == [2] and sd['weight'].storage() is w.storage()
    from torch7py.export import cli
    out, grad = cli.measure(nn.Sequential().add(m), [(1, 2, 4, 4)], n=1)
    assert out < 1e-12 and grad < 1e-12


def test_export_of_spatial_convolution_map():
    from torch7py.export import cli
    torch.manualSeed(6)
    conn = nn.tables.random(3, 4, 2)
    net = nn.Sequential().add(nn.SpatialConvolutionMap(conn, 3, 3, 2, 1)).add(nn.Tanh())
    out, grad = cli.measure(net, [(2, 3, 9, 8)], n=2)
    assert out < 1e-12 and grad < 1e-12
    out, grad = cli.measure(net, [(3, 7, 7)], n=1)    # a single image
    assert out < 1e-12 and grad < 1e-12
