"""Mechanisms found by the second sweep of real-world .t7 files (docs/t7_sweep.md), each on a
small synthetic file built here byte by byte or written by torch7py: files written with 4-byte
longs (File.lua's 'b32' mode). The fetched files themselves are never part of the tests."""
import struct

import numpy as np
import pytest

import torch7py as torch
from torch7py.serialization import SerializationError


def _int(v):
    return struct.pack('<i', v)


def _str(s):
    return _int(2) + _int(len(s)) + s.encode()


def _obj(index, name):
    return _int(4) + _int(index) + _int(3) + b'V 1' + _int(len(name)) + name.encode()


def _b32_table_with_a_tensor():
    # {x = torch.DoubleTensor{1.5, -2}} as Torch7 writes it where a C long has 4 bytes: the
    # tensor's sizes, strides and offset, and the storage's size, are 4-byte integers
    return (_int(3) + _int(1) + _int(1) + _str('x') + _obj(2, 'torch.DoubleTensor') +
            _int(1) + _int(2) + _int(1) + _int(1) +
            _obj(3, 'torch.DoubleStorage') + _int(2) + struct.pack('<2d', 1.5, -2.0))


def test_b32_mode_reads_files_written_with_4_byte_longs(tmp_path):
    p = tmp_path / 'b32.t7'
    p.write_bytes(_b32_table_with_a_tensor())
    t = torch.load(str(p), 'b32')
    assert list(t) == ['x'] and t['x'].numpy().tolist() == [1.5, -2.0]
    assert t['x'].storage().size() == 2


def test_binary_load_of_a_b32_file_names_the_mode_that_reads_it(tmp_path):
    p = tmp_path / 'b32.t7'
    p.write_bytes(_b32_table_with_a_tensor())
    with pytest.raises(SerializationError, match="load it with mode 'b32'"):
        torch.load(str(p))


def test_b64_mode_is_binary_with_8_byte_longs_and_bad_modes_are_refused(tmp_path):
    p = tmp_path / 'b64.t7'
    x = torch.DoubleTensor(2, 3)
    x.numpy()[...] = np.arange(6).reshape(2, 3)
    torch.save(str(p), {'w': x})
    assert torch.load(str(p), 'b64')['w'].numpy().tolist() == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(ValueError, match='"binary", "b32", "b64" or "ascii"'):
        torch.load(str(p), 'b16')


def test_a_file_that_is_not_b32_either_keeps_its_own_error(tmp_path):
    p = tmp_path / 'cut.t7'
    p.write_bytes(_b32_table_with_a_tensor()[:-4])
    with pytest.raises(SerializationError) as e:
        torch.load(str(p), 'binary')
    assert 'b32' not in str(e.value)


def test_th_torch_load_takes_the_b32_mode(tmp_path):
    pytest.importorskip('lupa')
    from compat.runtime import LuaRuntime
    p = tmp_path / 'b32.t7'
    p.write_bytes(_b32_table_with_a_tensor())
    rt = LuaRuntime()
    got = rt.execute("require 'torch'; local t = torch.load(%r, 'b32') "
                     "return {torch.typename(t.x), t.x[1], t.x[2]}" % str(p))
    assert got == ['torch.DoubleTensor', 1.5, -2]


# -- classes of the model's own project (char-rnn's OneHot) in an export ------------------------

def _onehot_model():
    # char-rnn's OneHot (torch.class('OneHot', 'nn.Module') in its util/OneHot.lua) before a
    # Linear, as a checkpoint holds it: a class torch7py does not define, loaded as its fields
    from torch7py import nn
    from torch7py.serialization.objects import TorchObject
    oh = TorchObject('OneHot', {'outputSize': 4, '_eye': torch.eye(4).float(),
                                'output': torch.DoubleTensor(), 'gradInput': torch.DoubleTensor(),
                                'train': True})
    lin = nn.Linear(4, 3)
    lin.weight.numpy()[...] = np.arange(12).reshape(3, 4) / 10
    lin.bias.numpy()[...] = [1, 2, 3]
    m = nn.Sequential()
    m.modules = [oh, lin]
    return torch.deserialize(torch.serialize(m), unknown_classes='table')


def _onehot_form(layer):
    import torch as pt

    class OneHotT(pt.nn.Module):
        def __init__(self, n):
            super().__init__()
            self.n = n

        def forward(self, x):
            return pt.nn.functional.one_hot(x.long() - 1, self.n).to(pt.float64)
    return OneHotT(layer['outputSize'])


def test_export_names_a_class_of_the_models_own_project_and_how_to_give_its_form():
    pytest.importorskip('torch')
    from torch7py.export import ExportError, to_pytorch
    with pytest.raises(ExportError) as e:
        to_pytorch(_onehot_model())
    msg = str(e.value)
    assert '0  OneHot: no PyTorch converter for this class (a class torch7py does not' in msg
    assert 'converters={name: fn}' in msg and 'register_converter' in msg


def test_export_with_a_converter_given_for_the_class():
    pt = pytest.importorskip('torch')
    from torch7py.export import to_pytorch
    tm = to_pytorch(_onehot_model(), converters={'OneHot': _onehot_form})
    y = tm(pt.tensor([2, 4]))
    w = np.arange(12).reshape(3, 4) / 10
    expect = np.stack([w[:, 1], w[:, 3]]) + [1, 2, 3]
    assert np.allclose(y.detach().numpy(), expect, atol=1e-6)
    # the converter was for that call only
    from torch7py.export import convert
    assert 'OneHot' not in convert._CONVERTERS


def test_registered_converter_and_its_return_value_checked():
    pytest.importorskip('torch')
    from torch7py.export import ExportError, convert, register_converter, to_pytorch
    register_converter('OneHot', lambda layer: 'not a module')
    try:
        with pytest.raises(ExportError, match='returned str, not a torch.nn.Module'):
            to_pytorch(_onehot_model())
        register_converter('OneHot', _onehot_form)
        assert to_pytorch(_onehot_model())[1].weight.shape == (3, 4)
    finally:
        convert._USER.pop('OneHot', None)


_DEFINE = '''
import numpy as np
import torch
import torch7py
from torch7py import nn
from torch7py.export import register_converter


class OneHot(nn.Module):
    """char-rnn's util/OneHot.lua in Python: rows of an identity matrix."""

    def updateOutput(self, input):
        idx = np.asarray(input.numpy(), dtype=np.int64) - 1
        out = np.eye(self.outputSize)[idx]
        self.output = torch7py.DoubleTensor(*out.shape)
        self.output.numpy()[...] = out
        return self.output


class OneHotT(torch.nn.Module):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def forward(self, x):
        return torch.nn.functional.one_hot(x.long() - 1, self.n).to(torch.float64)


torch7py.register_class('OneHot', OneHot)
register_converter('OneHot', lambda layer: OneHotT(layer.outputSize))
'''


def test_a_class_defined_in_python_without_a_converter_is_named(tmp_path):
    pytest.importorskip('torch')
    from torch7py import nn
    from torch7py.export import ExportError, to_pytorch

    class Twice(nn.Module):
        def updateOutput(self, input):
            self.output = input * 2
            return self.output
    m = nn.Sequential().add(Twice()).add(nn.Linear(2, 2))
    with pytest.raises(ExportError, match=r'0  nn.Twice: no PyTorch converter for this '
                                          r'class \(a class of its own project'):
        to_pytorch(m)


def test_t7_to_pytorch_define_registers_the_class_and_its_form(tmp_path, capsys):
    pytest.importorskip('torch')
    from torch7py.export import cli, convert
    from torch7py.serialization import objects
    model = tmp_path / 'charrnn.t7'
    torch.save(str(model), _onehot_model())
    define = tmp_path / 'onehot.py'
    define.write_text(_DEFINE)
    try:
        rc = cli.main([str(model), str(tmp_path / 'out.pt'), '--define', str(define)])
    finally:
        convert._USER.pop('OneHot', None)
        objects._registry.pop('OneHot', None)
    assert rc == 0
    assert 'saved' in capsys.readouterr().out


# -- input shapes guessed for index inputs and graphs of several inputs -------------------------

def _char_rnn_cell(vocab, rnn):
    # char-rnn's LSTM proto: x -> OneHot -> Linear; prev_c meets only table modules, prev_h a
    # Linear of the hidden size
    from torch7py import nn, nngraph  # noqa: F401
    x, prev_c, prev_h = nn.Identity()(), nn.Identity()(), nn.Identity()()
    i2h = nn.Linear(vocab, 4 * rnn)(nn.OneHot(vocab)(x))
    h2h = nn.Linear(rnn, 4 * rnn)(prev_h)
    sums = nn.CAddTable()([i2h, h2h])
    gi, gf, go, gc = nn.SplitTable(2)(nn.Reshape(4, rnn)(sums)).split(4)
    c = nn.CAddTable()([nn.CMulTable()([nn.Sigmoid()(gf), prev_c]),
                        nn.CMulTable()([nn.Sigmoid()(gi), nn.Tanh()(gc)])])
    h = nn.CMulTable()([nn.Sigmoid()(go), nn.Tanh()(c)])
    out = nn.LogSoftMax()(nn.Linear(rnn, vocab)(h))
    return nn.gModule([x, prev_c, prev_h], [c, h, out])


def test_graph_inputs_are_guessed_per_input_node_with_indices_for_a_one_hot():
    from torch7py.export import cli
    g = torch.deserialize(torch.serialize(_char_rnn_cell(7, 3)))   # as a file holds it
    g.evaluate()
    found = cli._probe(g, cli._candidates(g), 2, np.random.default_rng(0))
    assert [tuple(s) for s in found] == [(2,), (2, 3), (2, 3)]
    assert isinstance(found[0], cli.Index) and found[0].high == 7
    assert not isinstance(found[1], cli.Index)
    x = cli._random_like(found[0], np.random.default_rng(1)).numpy()
    assert set(x.tolist()) <= set(range(1, 8)) and x.dtype == np.float64


def test_lookup_table_first_gets_an_index_input_and_the_export_is_measured():
    pytest.importorskip('torch')
    from torch7py import nn
    from torch7py.export import cli
    net = nn.Sequential().add(nn.LookupTable(9, 4)).add(nn.Linear(4, 2))
    cands = cli._candidates(net)
    assert cands[0] == () and cands[0].high == 9 and cands[1] == (5,)
    found = cli._probe(net, cands, 2, np.random.default_rng(0))
    assert found == (2,) and found.high == 9
    why = []
    out, grad = cli.measure(net, [found], n=2, why=why)
    assert out < 1e-12 and grad is None and why == ['its inputs are indices']
    assert cli._parse_shape('2,5@9') == (2, 5) and cli._parse_shape('2,5@9').high == 9
    assert not isinstance(cli._parse_shape('2,3'), cli.Index)


def test_a_model_that_runs_on_no_guess_says_why():
    from torch7py import nn
    from torch7py.export import cli
    net = nn.Sequential().add(nn.Linear(3, 2)).add(nn.Linear(5, 2))   # mismatched sizes
    why = []
    assert cli._probe(net, cli._candidates(net), 2, np.random.default_rng(0), why) is None
    assert why and 'size' in why[0].lower()


def test_t7_to_pytorch_on_a_char_rnn_style_checkpoint(tmp_path, capsys):
    # a checkpoint table {protos = {rnn = gModule}, opt = ...} written with 4-byte longs: the
    # cell is found, read as 'b32', and measured on an index input and two state inputs
    pytest.importorskip('torch')
    from torch7py.export import cli
    f = torch.DiskFile(str(tmp_path / 'lm.t7'), 'w')
    f.binary()
    f.longSize(4)
    f.writeObject({'protos': {'rnn': _char_rnn_cell(6, 3)}, 'opt': {'rnn_size': 3}})
    f.close()
    rc = cli.main([str(tmp_path / 'lm.t7'), str(tmp_path / 'out.pt')])
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    line = cap.out.strip().splitlines()[-1]
    assert 'shape 2(indices 1..6) + 2x3 + 2x3' in line
    import re
    diffs = [float(v) for v in re.findall(r'(?:output|gradInput) (\S+?)(?:,|$)', line)]
    assert len(diffs) == 2 and max(diffs) < 1e-12, line


# -- a SpatialConvolutionMM of 2013's nn: no dW/dH/padding fields --------------------------------

def test_spatial_convolution_mm_of_2013_reads_as_stride_1_without_padding():
    from torch7py import nn
    m = nn.SpatialConvolutionMM(1, 2, 3, 3)
    m.weight.numpy()[...] = np.arange(18).reshape(2, 9) / 10
    m.bias.numpy()[...] = [0.5, -1]
    for k in ('dW', 'dH', 'padW', 'padH'):
        del m.__dict__[k]
    old = torch.deserialize(torch.serialize(m))
    assert (old.dW, old.dH, old.padW, old.padH) == (1, 1, 0, 0)
    assert str(old) == 'nn.SpatialConvolutionMM(1 -> 2, 3x3)'
    x = np.random.default_rng(0).standard_normal((1, 5, 4))
    y = old.forward(torch.DoubleTensor(x)).numpy()
    w = np.arange(18).reshape(2, 3, 3) / 10
    expect = np.array([[[np.sum(x[0, i:i + 3, j:j + 3] * w[o]) for j in range(2)]
                        for i in range(3)] for o in range(2)]) + np.array([0.5, -1])[:, None, None]
    assert np.allclose(y, expect, atol=1e-12)
    # a later file's fields stay as they are
    m2 = nn.SpatialConvolutionMM(1, 2, 3, 3, 2, 2, 1, 1)
    back = torch.deserialize(torch.serialize(m2))
    assert (back.dW, back.dH, back.padW, back.padH) == (2, 2, 1, 1)


def test_parallel_table_first_gets_a_table_input_and_single_sample_models_no_batch():
    from torch7py import nn
    from torch7py.export import cli
    # SleepStaging-style: a ParallelTable of a Linear branch and a TemporalConvolution branch,
    # flattened with View(-1)/View(n) and joined: it takes one sample, not a batch
    a = nn.Sequential().add(nn.Linear(3, 4)).add(nn.View(-1))
    b = nn.Sequential().add(nn.TemporalConvolution(2, 5, 3)).add(nn.View(30))
    net = nn.Sequential().add(nn.ParallelTable().add(a).add(b)).add(nn.JoinTable(1))
    net.add(nn.Linear(34, 2))
    found = cli._probe(net, cli._candidates(net), 2, np.random.default_rng(0))
    assert found == [(3,), (8, 2)]
    y = net.forward([cli._random_like(s, np.random.default_rng(1)) for s in found])
    assert tuple(y.size()) == (2,)


# -- torch-rnn's classes, defined by examples/torch_rnn_model.py --------------------------------

def _torch_rnn_checkpoint():
    # what torch-rnn's train.lua saves: {model = nn.LanguageModel}, its net a Sequential of
    # LookupTable, nn.LSTM (torch-rnn's), View, Linear, View; classes unknown to torch7py
    from torch7py import nn
    from torch7py.serialization.objects import TorchObject
    H, V = 1, 3
    lstm = TorchObject('nn.LSTM', {
        'input_dim': 2, 'hidden_dim': H, 'remember_states': True,
        'weight': torch.zeros(2 + H, 4 * H), 'bias': torch.DoubleTensor([0.5, -1, 2, 0.25]),
        'h0': torch.DoubleTensor(), 'c0': torch.DoubleTensor(), 'cell': torch.DoubleTensor(),
        'output': torch.DoubleTensor(), 'gradInput': [], 'train': False})
    lookup = nn.LookupTable(V, 2)
    view1, view2 = nn.View(1, 1, -1).setNumInputDims(3), nn.View(1, -1).setNumInputDims(2)
    lin = nn.Linear(H, V)
    lin.weight.numpy()[...] = [[1], [2], [-1]]
    lin.bias.numpy()[...] = [0, 0.5, 1]
    net = nn.Sequential().add(lookup)
    net.modules.append(lstm)
    net.add(view1).add(lin).add(view2)
    model = TorchObject('nn.LanguageModel', {'net': net, 'rnns': [lstm], 'view1': view1,
                                             'view2': view2, 'output': torch.DoubleTensor(),
                                             'gradInput': torch.DoubleTensor(), 'train': False})
    return torch.serialize({'model': model})


def test_torch_rnn_checkpoint_runs_once_its_classes_are_defined():
    import importlib
    import os
    import sys
    from torch7py.serialization import objects
    data = _torch_rnn_checkpoint()
    plain = torch.deserialize(data)['model']
    assert torch.typename(plain) == 'nn.LanguageModel' and isinstance(plain, dict)
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'examples'))
    try:
        importlib.import_module('torch_rnn_model')
        model = torch.deserialize(data)['model']
        model.resetStates()
        model.evaluate()
        y = model.forward(torch.DoubleTensor([[1, 3]])).numpy()
    finally:
        sys.path.pop(0)
        for t in ('nn.LSTM', 'nn.VanillaRNN', 'nn.LanguageModel'):
            objects._registry.pop(t, None)
    # zero weights: the gates are the bias's, the same at each step
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    i, f, o, g = sig(0.5), sig(-1), sig(2), np.tanh(0.25)
    c1 = i * g
    c2 = f * c1 + i * g
    hs = np.array([o * np.tanh(c1), o * np.tanh(c2)])
    expect = hs[:, None] * np.array([1, 2, -1]) + np.array([0, 0.5, 1])
    assert y.shape == (1, 2, 3) and np.allclose(y[0], expect, atol=1e-12)


def test_th_pairs_over_keys_with_non_ascii_digits(tmp_path):
    # torch-rnn's vocabulary (token_to_idx) holds keys such as '³': str.isdigit() is true of
    # it, int() is not; ordering such keys for pairs() stopped a checkpoint's :float()
    pytest.importorskip('lupa')
    from compat.runtime import LuaRuntime
    p = tmp_path / 'vocab.t7'
    torch.save(str(p), {'token_to_idx': {'³': 1, 'k2': 2, 'k10': 3, '²x': 4}})
    rt = LuaRuntime()
    got = rt.execute("require 'nn'; local t = torch.load(%r) local m = nn.Module() "
                     "m.vocab = t.token_to_idx; m:float() local n = 0 "
                     "for k, v in pairs(m.vocab) do n = n + v end return n" % str(p))
    assert got == 10


def test_lookup_table_with_an_indices_field_from_its_file_runs():
    # nn's LookupTable keeps an _indices buffer (cunn's accGradParameters): a file that holds
    # it must not hide the module's own code
    from torch7py import nn
    lt = nn.LookupTable(4, 2)
    lt.weight.numpy()[...] = np.arange(8).reshape(4, 2)
    lt._indices = torch.LongTensor([1, 2])
    back = torch.deserialize(torch.serialize(lt))
    assert torch.typename(back._indices) == 'torch.LongTensor'
    assert back.forward(torch.LongTensor([3, 1])).numpy().tolist() == [[4, 5], [0, 1]]
