"""Torch objects are written with their fields in the order Torch7's File.lua writes them: it
copies the fields into a new table in pairs() order, then writes that table in its pairs()
order (LuaJIT's order, torch7py.luaorder, applied twice to the order the fields were set). An
object read from a file (or cloned) is no exception: the original Torch7 (/tmp/ref7, reft716's
runs) re-saves a file it loaded, and saves a clone, with its fields in another order."""
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


def test_read_objects_are_written_by_the_same_rule():
    # the original Torch7 loading nn.Linear(3, 2)'s file (fields in this order) and saving it
    # again writes the fields in the second order (reft716: /tmp/ref7's th, torch.load then
    # torch.save): the read set them in the read table's pairs order, the write applies
    # pairs twice more
    infile = ['gradBias', 'weight', '_type', 'output', 'gradInput', 'addBuffer', 'bias',
              'gradWeight']
    torch7 = ['gradBias', 'weight', '_type', 'output', 'gradInput', 'gradWeight', 'bias',
              'addBuffer']
    m = nn.Linear(3, 2)
    m.addBuffer = torch.Tensor(2).fill(1)
    f = torch.MemoryFile()
    f.binary()
    fields = {k: vars(m)[k] for k in infile}
    f.writeObject(S.TorchObject("nn.Linear", fields))  # a file with the fields in that order
    data = f.storage().string()[:-1]
    assert _field_order(data) == infile
    back = S.deserialize(data)
    assert type(back) is nn.Linear
    assert _field_order(S.serialize(back)) == torch7
    assert _pairs(_pairs(_pairs(infile))) == torch7


# torch7py.luaorder's model of LuaJIT's pairs() over keys set in a fresh table in the order
# given: the tests below check that save and load compose it as File.lua does
def _pairs(keys):
    from torch7py.luaorder import pairs_order
    return pairs_order(keys)


def test_a_read_object_gets_its_fields_in_the_read_tables_pairs_order():
    # File.lua: writeObject copies pairs(object) into var and writes var's pairs; readObject
    # reads a table in file order, then sets object[k] = v in that table's pairs order
    m = nn.Narrow(1, 2, 3)
    m.forward(torch.randn(5))
    m.backward(torch.randn(5), torch.randn(3))
    live = _pairs(list(vars(m)))
    written = _field_order(S.serialize(m))
    assert written == _pairs(live)
    c = S.deserialize(S.serialize(m))
    assert list(vars(c)) == _pairs(written)
    # ('length' and 'output' share a chain: the order changes on the way, as in Torch7)
    assert _pairs(list(vars(c))) == ["index", "_type", "dimension", "gradInput", "output",
                                     "length"]


def test_a_torch_object_made_in_python_is_written_in_pairs_order():
    keys = ["upscaleFactor", "output", "gradInput", "_type", "nOutputDim", "size", "w", "zz"]
    obj = S.TorchObject("my.Thing", {k: 1 for k in keys})
    assert _pairs(_pairs(keys)) != keys  # (this set of keys tells the two orders apart)
    f = torch.MemoryFile()
    f.binary()
    f.writeObject(obj)
    data = f.storage().string()
    assert _field_order(data[:-1] if data.endswith("\0") else data) == _pairs(_pairs(keys))


def test_clone_sets_the_fields_as_its_write_and_read_would():
    m = nn.Narrow(1, 2, 3)
    m.forward(torch.randn(5))
    m.backward(torch.randn(5), torch.randn(3))
    c = m.clone()
    written = _pairs(_pairs(list(vars(m))))
    assert list(vars(c)) == _pairs(written)
    # and is written as any object: pairs twice more (Torch7's clone of an nn.Narrow does not
    # save to its original's bytes either: reft716's runs of /tmp/ref7)
    assert _field_order(S.serialize(c)) == _pairs(_pairs(_pairs(written)))
    assert _field_order(S.serialize(c)) != written
