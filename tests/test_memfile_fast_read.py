"""A binary MemoryFile reads objects through the reader's in-memory fast path (numbers,
strings, booleans and objects read before, in one step): what it gives, and what a stream cut
short raises, are what the general path gives for the same bytes in a disk file."""
import math

import pytest

import torch7py as torch
from torch7py import nn
from torch7py.serialization import SerializationError


def _bytes_of(obj):
    f = torch.MemoryFile("w").binary()
    f.writeObject(obj)
    data = bytes(f.storage()._data[:-1].tobytes())
    f.close()
    return data


def _from_memory(data):
    r = torch.MemoryFile(bytearray(data), "r").binary()
    return r.readObject()


def _from_disk(data, tmp_path):
    p = tmp_path / "x.bin"
    p.write_bytes(data)
    r = torch.DiskFile(str(p), "r").binary()
    try:
        return r.readObject()
    finally:
        r.close()


def test_plain_values_and_sharing():
    shared = {"k": 1}
    obj = {"int": 3, "neg": -7, "half": 0.5, "big": 2.0 ** 60, "negzero": -0.0, "t": True,
           "f": False, "s": "héllo", "raw": "a\udcffb", "empty": "", "list": [1, "two", 3.5],
           "a": shared, "b": shared, 1: "one", 2.5: "float key"}
    got = _from_memory(_bytes_of(obj))
    assert got["int"] == 3 and type(got["int"]) is int
    assert got["neg"] == -7 and got["half"] == 0.5 and got["big"] == 2 ** 60
    assert type(got["negzero"]) is float and math.copysign(1.0, got["negzero"]) < 0
    assert got["t"] is True and got["f"] is False
    assert got["s"] == "héllo" and got["raw"] == "a\udcffb" and got["empty"] == ""
    assert got["list"] == [1, "two", 3.5]
    assert got["a"] == {"k": 1} and got["a"] is got["b"]  # one table, read once
    assert got[1] == "one" and got[2.5] == "float key"


def test_module_copies_as_clone_many_times_reads_them():
    torch.manualSeed(3)
    net = nn.Sequential().add(nn.Linear(3, 2)).add(nn.Tanh())
    data = _bytes_of(net)
    for _ in range(2):  # a fresh reader per copy: no object of the first read is reused
        c = _from_memory(data)
        assert c is not net and torch.typename(c) == "nn.Sequential"
        assert c.modules[0].weight.equal(net.modules[0].weight)
        assert c.modules[0].weight is not net.modules[0].weight
        x = torch.randn(3)
        assert c.forward(x).equal(net.forward(x))


@pytest.mark.parametrize("cut", [1, 3, 6, 9, 13, 20])
def test_a_stream_cut_short_fails_as_from_disk(cut, tmp_path):
    data = _bytes_of({"name": "abcdefgh", "n": 1.25, "flag": True, "sub": {"x": 1}})
    short = data[:-cut]
    with pytest.raises(SerializationError) as mem_err:
        _from_memory(short)
    with pytest.raises(SerializationError) as disk_err:
        _from_disk(short, tmp_path)
    assert str(mem_err.value) == str(disk_err.value)


def test_same_values_as_from_disk(tmp_path):
    obj = {"w": torch.Tensor([[1, 2], [3, 4]]), "names": ["a", "b"], "n": 12, "x": -1.5,
           "yes": True}
    data = _bytes_of(obj)
    a, b = _from_memory(data), _from_disk(data, tmp_path)
    assert sorted(a) == sorted(b)
    assert a["w"].equal(b["w"]) and a["names"] == b["names"]
    assert (a["n"], a["x"], a["yes"]) == (b["n"], b["x"], b["yes"])
