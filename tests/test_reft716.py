""".t7 files both ways against the original Torch7 (reft716). The files under
tests/data/reft716/ were all written by the original Torch7 (/tmp/ref7: torch7 814ea4a, nn
8726825, nngraph 3ed3b9b on LuaJIT 2.1.0-beta2), by the session's generated scripts:

  bn.t7, weightnorm.t7      write.lua: torch.save of nn.BatchNormalization(3) after a forward and
                            backward on a 4x3 batch, of nn.WeightNorm(nn.Linear(4, 3)) after one
                            on a 3x4 batch
  bn_resaved.t7,            resave.lua: torch.save(path, torch.load(bn.t7 / weightnorm.t7)) in
  weightnorm_resaved.t7     the original
  nan_ascii.t7              write.lua: torch.save(path, 0/0, 'ascii')
  double_special_ascii.t7   write.lua: torch.save(path, torch.DoubleTensor({0/0, 1/0, -1/0, -0.0,
                            1e308, 5e-324, 2^53 + 1, 0.1, 1/3, -2.5e-10}), 'ascii')
  gmodule.t7                write.lua: an nngraph gModule of two inputs (Linear, CAddTable, Tanh,
                            Linear) after a forward and backward
  shared_upvalue.t7         write.lua: {inc = inc, get = get}, two closures sharing the upvalue
                            `count` (10)
"""
import math
import os

import numpy as np
import pytest

import torch7py as torch
from torch7py import serialization as S
from torch7py.luaorder import pairs_order

DATA = os.path.join(os.path.dirname(__file__), "data", "reft716")


def _path(name):
    return os.path.join(DATA, name)


def _bytes(name):
    with open(_path(name), "rb") as f:
        return f.read()


def _field_order(data):
    """The string keys of the top object's field table in a binary stream, in file order."""
    from test_t7_field_order import _field_order as order
    return order(data)


# -- a loaded object is saved back as the original saves it ----------------------------------

@pytest.mark.parametrize("name", ["bn", "weightnorm"])
def test_load_then_save_gives_the_originals_bytes(name):
    # the original re-saving a module it loaded reorders its fields (its read sets them in the
    # read table's pairs order, its write copies pairs(object) into a table written in pairs
    # order): LuaJIT's pairs order three times over the file's
    data, resaved = _bytes(name + ".t7"), _bytes(name + "_resaved.t7")
    assert data != resaved
    infile = _field_order(data)
    assert _field_order(resaved) == pairs_order(pairs_order(pairs_order(infile)))
    assert bytes(S.serialize(torch.load(_path(name + ".t7")))) == resaved


@pytest.mark.parametrize("name", ["bn", "weightnorm"])
def test_load_then_save_from_lua_gives_the_originals_bytes(name, capsys):
    pytest.importorskip("lupa")
    from luatest import lua
    (same,), _ = lua("""
        require 'nn'
        local f = io.open(%r, 'rb'); local want = f:read('*a'); f:close()
        return {torch.serialize(torch.load(%r)) == want}
    """ % (_path(name + "_resaved.t7"), _path(name + ".t7")), capsys)
    assert same is True


def test_weightnorm_writes_without_its_weight():
    # WeightNorm.lua's write sets weight and gradWeight (its own, its module's) to nil while it
    # writes: the original's file has neither; the read rebuilds them from v and g
    assert "weight" not in _field_order(_bytes("weightnorm.t7"))
    m = torch.nn.WeightNorm(torch.nn.Linear(4, 3))
    m.forward(torch.Tensor(2, 4).fill(0.5))  # (updateWeight: weight = g * v / ||v||)
    w, gw, inner = m.weight, m.gradWeight, m.modules[0]
    data = bytes(S.serialize(m))
    fields = _field_order(data)
    assert "weight" not in fields and "gradWeight" not in fields and "v" in fields
    # restored after the write, the same tensors as the module's
    assert m.weight is w and m.gradWeight is gw and inner.weight is w and inner.gradWeight is gw
    back = S.deserialize(data)
    np.testing.assert_allclose(back.weight.numpy(), w.numpy(), rtol=1e-12, atol=1e-15)
    assert back.weight is back.modules[0].weight
    loaded = torch.load(_path("weightnorm.t7"))
    assert loaded.weight is loaded.modules[0].weight
    assert list(loaded.weight.size()) == [3, 4]


# -- NaN's sign in the ascii format -----------------------------------------------------------

def test_ascii_nan_keeps_its_sign():
    # C's printf writes x86's 0/0 (a NaN with its sign bit) as '-nan', fscanf reads it back so
    data = _bytes("nan_ascii.t7")
    assert data == b"1\n-nan\n"
    v = torch.load(_path("nan_ascii.t7"), "ascii")
    assert math.isnan(v) and math.copysign(1.0, v) < 0
    assert bytes(S.serialize(v, "ascii")) == data
    assert bytes(S.serialize(float("nan"), "ascii")) == b"1\nnan\n"
    f = torch.MemoryFile()
    f.writeDouble(v)
    f.writeDouble(-v)
    assert f.storage().string()[:-1] == "-nan\nnan\n"


def test_ascii_tensor_with_signed_nan_saves_back_the_same_bytes():
    data = _bytes("double_special_ascii.t7")
    t = torch.load(_path("double_special_ascii.t7"), "ascii")
    x = t.numpy()
    assert np.isnan(x[0]) and np.signbit(x[0])
    assert x[1] == math.inf and x[2] == -math.inf and x[3] == 0 and np.signbit(x[3])
    assert bytes(S.serialize(t, "ascii")) == data
    # read through a MemoryFile (the fast path over the whole buffer) and a DiskFile alike
    assert np.signbit(S.deserialize(data, "ascii").numpy()[0])
    f = torch.MemoryFile()
    f.writeString("-nan nan -NAN 1\n")
    f.seek(1)
    assert list(np.signbit(f.readDouble(4).numpy())) == [True, False, True, False]


# -- a gModule's tables keyed by tables and nodes, seen from Lua ------------------------------

def test_gmodule_tables_keyed_by_tables_and_nodes_list_every_key(capsys):
    # node.data.mapindex holds [data] = i and node.data.reverseMap [node] = true: pairs() over
    # them lists those keys too; counts as the original prints them for the same file
    pytest.importorskip("lupa")
    from luatest import lua
    (mapindex, reverse, fresh), _ = lua("""
        require 'nngraph'
        local g = torch.load(%r)
        local m, r = {}, {}
        for i, n in ipairs(g.forwardnodes) do
          local c = 0; for k in pairs(n.data.mapindex) do c = c + 1 end
          local d = 0; for k in pairs(n.data.reverseMap or {}) do d = d + 1 end
          m[i], r[i] = c, d
        end
        local x = nn.Identity()()
        local y = nn.Linear(3, 2)(x)
        local h = nn.gModule({x}, {y}).forwardnodes[2]
        local seen = {}
        for k, v in pairs(h.data.mapindex) do seen[#seen + 1] = type(k) .. ':' .. type(v) end
        for k, v in pairs(h.data.reverseMap) do seen[#seen + 1] = torch.typename(k) end
        return table.concat(m, ' '), table.concat(r, ' '), table.concat(seen, ' ')
    """ % _path("gmodule.t7"), capsys)
    assert mapindex == "0 2 2 2 2 2 2 4 2 2 4"
    assert reverse == "1 2 1 1 1 1 1 1 2 1 0"
    assert fresh == "number:table table:number nngraph.Node"


# -- functions ---------------------------------------------------------------------------------

def test_closures_sharing_an_upvalue_load_joined_and_save_back_the_same_bytes(capsys):
    data = _bytes("shared_upvalue.t7")
    back = torch.load(_path("shared_upvalue.t7"), allow_functions=True)
    assert bytes(S.serialize(back)) == data
    pytest.importorskip("lupa")
    from luatest import lua
    (a, b, c), _ = lua("""
        local o = torch.load(%r, 'binary', true, {allow_functions = true})
        local a = o.inc()
        return a, o.get(), o.inc() + o.get()
    """ % _path("shared_upvalue.t7"), capsys)
    assert (a, b, c) == (11, 11, 24)


def test_pairs_over_a_table_with_infinite_keys(capsys):
    # the pairs() model took every number key for a possible array index: int(inf) raised
    # (the original lists v, -inf, inf for this table; the order of keys of unknown insertion
    # order stays the model's estimate)
    pytest.importorskip("lupa")
    from luatest import lua
    (keys, back), _ = lua("""
        local t = {[1/0] = 'a', [-1/0] = 'b', v = 1}
        local function keys(t)
          local s = {}
          for k in pairs(t) do s[#s + 1] = tostring(k) end
          table.sort(s)
          return table.concat(s, ' ')
        end
        return keys(t), keys(torch.deserialize(torch.serialize(t)))
    """, capsys)
    assert keys == back == "-inf inf v"


def test_weightnorm_clone_and_round_trip_list_fields_as_the_original(capsys):
    # the pairs() order the original prints for this script (/tmp/ref7's th): its clone and its
    # serialize round trip write without weight and gradWeight, and the read sets them last
    pytest.importorskip("lupa")
    from luatest import lua
    got, _ = lua("""
        require 'nn'
        torch.manualSeed(1)
        local m = nn.WeightNorm(nn.Linear(4, 2))
        local x = torch.rand(3, 4)
        m:forward(x); m:backward(x, torch.rand(3, 2))
        m:type('torch.FloatTensor'); m:double()
        local function ko(t) local s = {} for k in pairs(t) do s[#s+1] = k end
                             return table.concat(s, ' ') end
        local c = m:clone()
        return ko(m), ko(torch.deserialize(torch.serialize(m))), ko(c),
               c.weight == c.modules[1].weight and c.weight ~= m.weight
    """, capsys)
    head = "_scale output gradInput modules _type outputDim gradBias _norm viewOut bias g weightSize "
    assert got[0] == head + "weight viewIn gradWeight gradV gradG otherDims v"
    assert got[1] == got[2] == head + "gradV viewIn gradWeight weight otherDims v gradG"
    assert got[3] is True


# the fields of these modules in the files the original writes (/tmp/ref7: torch.serialize of
# the fresh module, and of the LookupTable after a forward of LongTensor{1, 2})
FRESH = {
    "Dropout": ["v2", "noise", "_type", "p", "gradInput", "stochastic_inference", "output",
                "train"],
    "Add": ["gradBias", "_type", "bias", "gradInput", "_ones", "output"],
    "LookupTable": ["weight", "_type", "output", "gradInput", "paddingValue", "gradWeight"],
}


def test_a_field_a_constructor_leaves_nil_takes_no_place_after_a_rehash():
    # `self.inplace = nil` makes a dead node that the next rehash drops: Dropout's nine
    # assignments rehash after it, LookupTable's maxNorm/normType stay until its forward adds
    # fields
    nn = torch.nn
    made = {"Dropout": nn.Dropout(0.3), "Add": nn.Add(3), "LookupTable": nn.LookupTable(6, 3)}
    for name, m in made.items():
        assert _field_order(bytes(S.serialize(m))) == FRESH[name], name
    lt = made["LookupTable"]
    lt.forward(torch.LongTensor([1, 2]))
    assert _field_order(bytes(S.serialize(lt))) == [
        "output", "gradInput", "gradWeight", "copiedInput", "_type", "_input", "paddingValue",
        "_count", "shouldScaleGradByFreq", "weight"]


def test_round_trip_and_clone_orders_of_modules_with_nil_fields(capsys):
    # pairs() over torch.deserialize(torch.serialize(m)) and m:clone() after a forward, as the
    # original prints them
    pytest.importorskip("lupa")
    from luatest import lua
    got, _ = lua("""
        require 'nn'
        local function ko(t) local s = {} for k in pairs(t) do s[#s+1] = k end
                             return table.concat(s, ' ') end
        local ms = {nn.Dropout(0.3), nn.Add(3), nn.Padding(1, 2, 1, 0.5), nn.LookupTable(6, 3)}
        local xs = {torch.rand(2, 4), torch.rand(2, 3), torch.rand(2, 3), torch.LongTensor{1, 2}}
        local out = {}
        for i, m in ipairs(ms) do
          m:forward(xs[i])
          out[#out + 1] = ko(torch.deserialize(torch.serialize(m)))
          out[#out + 1] = ko(m:clone())
        end
        return unpack(out)
    """, capsys)
    want = ["v2 noise _type p gradInput stochastic_inference output train",
            "gradBias _type bias gradInput _ones output",
            "pad output gradInput nInputDim index _type value outputSize dim",
            "output gradInput _input weight _type gradWeight paddingValue _count "
            "shouldScaleGradByFreq copiedInput"]
    assert list(got) == [w for w in want for _ in (0, 1)]
