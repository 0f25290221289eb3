"""cutorch's tensor and storage types in a file load onto the CPU (torch7py/legacy/cutorch.py)."""
import numpy as np
import pytest

import gpu_corpus as G
import torch7py as torch
from torch7py import serialization as S

ELEMENTS = [("", "torch.FloatTensor", np.float32), ("Double", "torch.DoubleTensor", np.float64),
            ("Byte", "torch.ByteTensor", np.uint8), ("Char", "torch.CharTensor", np.int8),
            ("Short", "torch.ShortTensor", np.int16), ("Int", "torch.IntTensor", np.int32),
            ("Long", "torch.LongTensor", np.int64), ("Half", "torch.HalfTensor", np.float16)]


@pytest.mark.parametrize("element,cpu,dtype", ELEMENTS)
def test_every_cutorch_type_loads_as_its_cpu_type(element, cpu, dtype):
    values = np.array([[1, 2, 3], [4, 5, 100]], dtype)
    t = G.tensor("torch.Cuda%sTensor" % element, values)
    back = S.deserialize(G.dumps({"t": t, "s": t.storage}))
    assert torch.typename(back["t"]) == cpu
    assert torch.typename(back["s"]) == cpu.replace("Tensor", "Storage")
    np.testing.assert_array_equal(back["t"].numpy(), values.astype(back["t"].dtype))
    # the tensor and the storage read are one storage, as written
    assert back["t"].storage() is back["s"]


def test_half_values_load_as_a_half_tensor():
    values = np.array([0.1, -65504, 6.1e-5, 1 / 3], np.float16)
    back = S.deserialize(G.dumps(G.tensor("torch.CudaHalfTensor", values)))
    assert torch.typename(back) == "torch.HalfTensor"
    assert back.numpy().tolist() == [float(v) for v in values]


def test_sharing_between_views_is_kept():
    # two views of one CudaStorage (a weight and its narrow), written once
    data = np.arange(12, dtype=np.float32)
    storage = G.Storage("torch.CudaStorage", data)
    a = G.Tensor("torch.CudaTensor", storage, (3, 4))
    b = G.Tensor("torch.CudaTensor", storage, (2, 2), stride=(4, 1), offset=5)
    x, y = S.deserialize(G.dumps([a, b]))
    assert x.storage() is y.storage()
    y[1][1] = -7
    assert x[2][2] == -7
    np.testing.assert_array_equal(y.numpy(), [[-7, 6], [9, 10]])


def test_a_note_on_stderr_once_per_load(capsys):
    obj = [G.tensor("torch.CudaTensor", np.zeros(2)) for _ in range(5)]
    S.deserialize(G.dumps(obj))
    err = capsys.readouterr().err
    assert err.count("torch7py: GPU types read on the CPU") == 1
    assert "torch.CudaTensor" in err and "gpu_types='keep'" in err
    S.deserialize(G.dumps([G.tensor("torch.FloatTensor", np.zeros(2))]))
    assert capsys.readouterr().err == ""


def test_keep_reads_and_writes_the_cutorch_names():
    values = np.array([1.5, -2, 3], np.float32)
    half = np.array([0.5, 2], np.float16)
    data = G.dumps({"w": G.tensor("torch.CudaTensor", values),
                    "h": G.tensor("torch.CudaHalfTensor", half),
                    "l": G.tensor("torch.CudaLongTensor", np.array([7, 8], np.int64))})
    back = S.deserialize(data, gpu_types="keep")
    assert torch.typename(back["w"]) == "torch.CudaTensor"
    assert torch.typename(back["h"]) == "torch.CudaHalfTensor"
    assert torch.typename(back["l"].storage()) == "torch.CudaLongStorage"
    np.testing.assert_array_equal(back["w"].numpy(), values)
    # a faithful re-save: the same names and element layouts (CudaHalf in 2-byte values)
    again = S.deserialize(S.serialize(back), gpu_types="keep")
    assert torch.typename(again["h"]) == "torch.CudaHalfTensor"
    assert again["h"].numpy().tolist() == [0.5, 2]
    raw = S.serialize(back)
    assert b"torch.CudaHalfStorage" in raw and half.tobytes() in raw
    # read with the default, the re-saved file is the CPU file
    cpu = S.deserialize(raw)
    assert torch.typename(cpu["h"]) == "torch.HalfTensor"


def test_ascii_cuda_files_load():
    f = S.MemoryFile("w")
    f.ascii()
    t = torch.FloatTensor([1.25, 2])
    f.writeObject(t)
    text = bytes(f._mem).replace(b"torch.FloatTensor", b"torch.CudaTensor").replace(
        b"torch.FloatStorage", b"torch.CudaStorage")
    text = text.replace(b"\n17\ntorch.CudaTensor", b"\n16\ntorch.CudaTensor").replace(
        b"\n18\ntorch.CudaStorage", b"\n17\ntorch.CudaStorage")
    back = S.deserialize(text, "ascii")
    assert torch.typename(back) == "torch.FloatTensor" and back.numpy().tolist() == [1.25, 2]


def test_module_type_field_is_mapped():
    lin = G.nn_linear(np.ones((2, 3)), np.zeros(2))
    m = S.deserialize(G.dumps(lin))
    assert m._type == "torch.FloatTensor"
    assert torch.typename(m.weight) == "torch.FloatTensor"
    out = m.forward(torch.FloatTensor([1, 2, 3]))
    assert out.numpy().tolist() == [6, 6]
    kept = S.deserialize(G.dumps(lin), gpu_types="keep")
    assert kept._type == "torch.CudaTensor"


def test_a_truncated_gpu_file_names_the_path():
    data = G.dumps(G.sequential(G.nn_linear(np.ones((4, 3)), np.zeros(4))))
    with pytest.raises(S.SerializationError, match=r"<root>.*modules.*weight|modules\.1"):
        S.deserialize(data[:len(data) - 40])


def test_torch_factory_does_not_pretend_to_have_cutorch():
    assert torch.getconstructortable("torch.CudaTensor") is None
