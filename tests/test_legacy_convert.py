"""t7-convert and the Lua side of GPU checkpoints: torch.load, require 'cudnn',
cudnn.convert(m, nn), :cuda() (torch7py/legacy/convert_cli.py, cudnn_api.py)."""
import subprocess
import sys

import numpy as np
import pytest

import gpu_corpus as G
import torch7py as torch
from torch7py import serialization as S
from torch7py.legacy import convert_cli
from torch7py.legacy import rnn as R

rng = np.random.RandomState(11)


def gpu_model():
    """A GPU checkpoint as training scripts saved them: {model = DataParallelTable(cudnn
    net), epoch = 3}, Cuda float tensors, one weight shared by two convolutions."""
    w, b = rng.randn(4, 2, 3, 3).astype(np.float32), rng.randn(4).astype(np.float32)
    conv = G.cudnn_conv(w, b, padW=1, padH=1, groups=2)
    conv2 = G.cudnn_conv(w, b, padW=1, padH=1, groups=2)
    conv2.fields["weight"] = conv.fields["weight"]  # shared, as after :share('weight')
    lw, lb = rng.randn(3, 4 * 2 * 2), rng.randn(3)
    net = G.sequential(
        conv, G.cudnn_bn("cudnn.SpatialBatchNormalization", rng.rand(4) + .5, rng.randn(4),
                         rng.randn(4), rng.rand(4) + .5),
        G.Obj("cudnn.ReLU", G.module_fields(inplace=True)), conv2,
        G.cudnn_pool("cudnn.SpatialMaxPooling", 2, 2, 2, 2),
        G.Obj("nn.View", G.module_fields(size=G.Storage("torch.LongStorage",
                                                        np.array([16], np.int64)),
                                         numElements=16, numInputDims=3)),
        G.nn_linear(lw, lb), G.Obj("cudnn.LogSoftMax", G.module_fields()))
    return {"model": G.data_parallel_table(net), "epoch": 3,
            "optimState": {"learningRate": 0.1,
                           "momentum": G.tensor("torch.CudaTensor", np.ones(5))}}


def classes_in(data):
    """The class names written in a binary .t7 stream (each follows its "V n" header)."""
    import re
    names = set()
    for m in re.finditer(rb"\x03\x00\x00\x00V \d", data):
        n = int.from_bytes(data[m.end():m.end() + 4], "little")
        names.add(data[m.end() + 4:m.end() + 4 + n].decode("latin-1", "replace"))
    return names


@pytest.mark.parametrize("to", ["cpu", "float", "double"])
def test_t7_convert_writes_a_cpu_only_file(tmp_path, capsys, to):
    src, dst = tmp_path / "gpu.t7", tmp_path / "cpu.t7"
    G.save(src, gpu_model())
    assert convert_cli.main([str(src), str(dst), "--to", to]) == 0
    data = dst.read_bytes()
    names = classes_in(data)
    assert not any("Cuda" in n or n.startswith("cudnn.") or "DataParallel" in n for n in names)
    assert all(n.startswith(("torch.", "nn.")) for n in names)
    ck = S.load(str(dst))     # no unknown class, no GPU type: a pure torch + nn file
    assert ck["epoch"] == 3
    m = ck["model"]
    m.evaluate()
    want = {"cpu": "torch.FloatTensor", "float": "torch.FloatTensor",
            "double": "torch.DoubleTensor"}[to]
    assert torch.typename(m.modules[0].modules[0].modules[0].modules[1].weight) == want
    assert m._type == want and torch.typename(ck["optimState"]["momentum"]) == want
    # sharing kept: the two grouped convolutions still share their weight storage
    p1 = m.modules[0].modules[0].modules[0].modules[1].weight
    p2 = m.modules[3].modules[0].modules[0].modules[1].weight
    assert p1.storage() is p2.storage()
    # the same function as the GPU model read directly
    x = torch.randn(2, 4, 4, 4)
    x = x.float() if want == "torch.FloatTensor" else x
    direct = S.load(str(src))["model"]
    direct.evaluate()
    np.testing.assert_allclose(m.forward(x).numpy(), direct.forward(x.float()).numpy(),
                               rtol=1e-5, atol=1e-5)


def test_t7_convert_names_what_pure_torch_lacks(tmp_path, capsys):
    src, dst = tmp_path / "rnn.t7", tmp_path / "out.t7"
    blob = np.zeros(R.weight_size("CUDNN_LSTM", 2, 3, 1, 1))
    G.save(src, G.sequential(G.cudnn_rnn("cudnn.LSTM", "CUDNN_LSTM", 2, 3, 1, blob),
                             G.Obj("dpnn.Inception", {"k": 1})))
    assert convert_cli.main([str(src), str(dst)]) == 0
    err = capsys.readouterr().err
    assert "cudnn.LSTM" in err and "dpnn.Inception" in err
    back = S.load(str(dst), unknown_classes="table")
    assert torch.typename(back.modules[0]) == "cudnn.LSTM"
    assert torch.typename(back.modules[0].weight) == "torch.FloatTensor"


def test_t7_convert_bad_input(tmp_path, capsys):
    src = tmp_path / "bad.t7"
    src.write_bytes(G.dumps(gpu_model())[:-100])
    assert convert_cli.main([str(src), str(tmp_path / "o.t7")]) == 1
    assert "t7-convert: cannot read" in capsys.readouterr().err
    assert not (tmp_path / "o.t7").exists()


def test_t7_convert_runs_as_a_module(tmp_path):
    src, dst = tmp_path / "g.t7", tmp_path / "c.t7"
    G.save(src, G.tensor("torch.CudaTensor", np.arange(3)))
    r = subprocess.run([sys.executable, "-m", "torch7py.legacy.convert_cli", str(src), str(dst)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert S.load(str(dst)).numpy().tolist() == [0, 1, 2]


lupa = pytest.importorskip("lupa")


@pytest.fixture
def rt():
    from compat.runtime import LuaRuntime
    return LuaRuntime()


def test_lua_loads_a_gpu_checkpoint_and_converts(rt, tmp_path):
    path = tmp_path / "gpu.t7"
    G.save(path, gpu_model())
    out = rt.execute("""
        require 'nn'
        require 'cudnn'
        local ck = torch.load(%r)
        local m = cudnn.convert(ck.model, nn):float()
        m:evaluate()
        local y = m:forward(torch.FloatTensor(2, 4, 4, 4):fill(0.5))
        local ok, err = pcall(function() return m:cuda() end)
        local has_cunn = pcall(require, 'cunn')
        return torch.type(m), torch.type(m:get(1)), y:size(1), y:size(2), ok, err, has_cunn,
               torch.type(ck.optimState.momentum)
    """ % str(path))
    assert out[:5] == ("nn.Sequential", "nn.Sequential", 2, 3, False)
    # (Torch7 without cutorch: Tensor.lua's type indexes the nil metatable of the CUDA name)
    assert out[5] == "/usr/local/share/lua/5.1/torch/Tensor.lua:238: attempt to index a nil value"
    assert out[6] is False and out[7] == "torch.FloatTensor"


def test_lua_keep_option_and_cudnn_modules(rt, tmp_path):
    path = tmp_path / "k.t7"
    G.save(path, G.sequential(G.Obj("cudnn.ReLU", G.module_fields(inplace=True))))
    out = rt.execute("""
        require 'cudnn'
        local m = torch.load(%r, 'binary', true, {gpu_types = 'keep'})
        local before = torch.type(m:get(1))
        m = cudnn.convert(m, nn)
        local conv = cudnn.SpatialConvolution(4, 6, 3, 3, 1, 1, 1, 1, 2)
        local y = conv:forward(torch.randn(4, 5, 5))
        return before, torch.type(m:get(1)), m:get(1).inplace, y:size(1), torch.type(m._type)
    """ % str(path))
    assert out[:4] == ("cudnn.ReLU", "nn.ReLU", True, 6)


def test_lua_torch_class_registers_an_unknown_class(rt, tmp_path):
    path = tmp_path / "u.t7"
    G.save(path, G.sequential(G.Obj("dpnn.Twice", G.module_fields("torch.CudaDoubleTensor",
                                                                  k=2))))
    out = rt.execute("""
        require 'nn'
        local ok, err = pcall(torch.load, %r)
        dpnn = {}  -- luaT_newmetatable needs the module table (luaT.c: invalid module name)
        local Twice, parent = torch.class('dpnn.Twice', 'nn.Module')
        function Twice:updateOutput(input)
           self.output = input * self.k
           return self.output
        end
        local m = torch.load(%r)
        local y = m:forward(torch.Tensor({1, 2}))
        return ok, torch.type(m:get(1)), y[1], y[2], m:get(1)._type
    """ % (str(path), str(path)))
    assert out == (False, "dpnn.Twice", 2, 4, "torch.DoubleTensor")


def _implemented(obj, seen=None, out=None):
    """The class names of the objects of a loaded graph that torch7py implements (not kept
    as TorchObjects, tensors or storages)."""
    from torch7py.serialization.objects import TorchObject
    seen, out = set() if seen is None else seen, set() if out is None else out
    if id(obj) in seen or isinstance(obj, (torch.Tensor, torch.Storage)):
        return out
    seen.add(id(obj))
    if isinstance(obj, (dict, TorchObject)):
        for v in obj.values():
            _implemented(v, seen, out)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _implemented(v, seen, out)
    elif hasattr(obj, "__dict__") and torch.typename(obj):
        out.add(torch.typename(obj))
        for v in vars(obj).values():
            _implemented(v, seen, out)
    return out


def test_keep_round_trip_saves_as_torch7_resaves(capsys):
    # the kept GPU objects save back as they were; the classes torch7py implements (nn.View,
    # nn.Linear, ...) as the original Torch7 re-saves a module it loaded (gpu_corpus.resaved)
    model = gpu_model()
    data = G.dumps(model)
    kept = S.deserialize(data, gpu_types="keep")
    classes = _implemented(kept)
    assert "nn.Linear" in classes and "nn.View" in classes
    assert S.serialize(kept) == G.dumps(G.resaved(model, classes))
    assert capsys.readouterr().err == ""   # nothing was mapped: no note
