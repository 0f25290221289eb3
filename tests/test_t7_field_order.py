"""Torch objects are written with their fields in the order Torch7's File.lua writes them: it
copies the fields into a new table in pairs() order, then writes that table in its pairs()
order (LuaJIT's order, torch7py.luaorder, applied twice to the order the fields were set). An
object read from a file and saved again keeps the file's order."""
import torch7py as torch
import torch7py.nn as nn
from torch7py import serialization as S


def _field_order(data):
    """The keys of the top object's field table in a binary stream (ints: tag, index...)."""
    f = torch.MemoryFile()
    f.writeString(data)
    f.seek(1)
    f.binary()
    assert f.readInt() == 4  # TYPE_TORCH
    f.readInt()  # index
    n = f.readInt()
    f.readChar(n)  # "V 1"
    n = f.readInt()
    f.readChar(n)  # class name
    assert f.readInt() == 3  # TYPE_TABLE
    f.readInt()
    count = f.readInt()
    keys = []
    for _ in range(count):
        assert f.readInt() == 2  # a string key
        n = f.readInt()
        keys.append(bytes(f.readChar(n).numpy().astype("uint8")).decode())
        f.readObject()
    return keys


def test_fresh_linear_in_torch7s_written_order():
    # the order of nn.Linear(4, 8)'s fields in a file Torch7 wrote (parity/t7/model_mlp)
    torch7 = ["gradBias", "weight", "_type", "output", "gradInput", "gradWeight", "bias"]
    assert _field_order(S.serialize(nn.Linear(4, 8))) == torch7


def test_read_objects_keep_the_files_order():
    data = S.serialize(nn.Linear(3, 2))
    m = S.deserialize(data)
    assert S.serialize(m) == data
    m.weight.fill(1)  # values change, the fields stay: same order
    assert _field_order(S.serialize(m)) == _field_order(data)
