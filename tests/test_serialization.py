"""Tests of torch7py.serialization against the original Torch7's goldens (serial_*, nn_load_*)."""
import glob
import math
import os
import struct

import numpy as np
import pytest

import torch7py as torch
from torch7py import serialization as S
from torch7py.storage import Storage as StorageBase
from torch7py.tensor import Tensor as TensorBase, tensor_types
from torch7py.serialization import LuaFunction, LuaKey, SerializationError, TorchObject

from golden import PARITY, assert_golden as check, golden
from nncase import det, mkgrad, rclone

T7 = os.path.join(PARITY, "t7")
T7_FILES = sorted(glob.glob(os.path.join(T7, "*.t7")))


def fmt_of(path):
    return "ascii" if path.endswith("_ascii.t7") else "binary"


def t7(name, fmt):
    return os.path.join(T7, "%s_%s.t7" % (name, fmt))


def same_storage(a, b):
    return a.storage() is b.storage()


# ---------------------------------------------------------------------------------------------
# serial_strings: exact bytes of torch.serialize, and round trips

@pytest.fixture(scope="module")
def strings():
    return golden("serial_strings")


def the_view():
    return torch.range(1, 10).narrow(1, 4, 3)


BINARY_CASES = {
    "bin_number": lambda: 3.25,
    "bin_string": lambda: "abc",
    "bin_true": lambda: True,
    "bin_false": lambda: False,
    "bin_nil": lambda: None,
    "bin_empty_table": lambda: {},
    "bin_one_key_table": lambda: {"x": 1},
    "bin_long_tensor": lambda: torch.LongTensor([7, -1]),
    "bin_byte_storage": lambda: torch.ByteStorage([1, 255]),
    "bin_empty_tensor": lambda: torch.Tensor(),
}
BINARY_LEN_CASES = {
    "bin_number_len": lambda: 3.25,
    "bin_float_tensor_len": lambda: torch.FloatTensor(3).fill(1),
    "bin_double_tensor_len": lambda: torch.Tensor(3).fill(1),
    "bin_view_len": the_view,
    "bin_view_clone_len": lambda: the_view().clone(),
}
ASCII_CASES = {
    "ascii_number": lambda: 3.25,
    "ascii_third": lambda: 1 / 3,
    "ascii_int": lambda: 42,
    "ascii_negative_big": lambda: -1.5e300,
    "ascii_inf": lambda: math.inf,
    "ascii_string": lambda: "two\nlines",
    "ascii_empty_string": lambda: "",
    "ascii_bool": lambda: False,
    "ascii_nil": lambda: None,
    "ascii_double_tensor": lambda: torch.Tensor([[1.5, 2], [-3, 0.1]]),
    "ascii_float_tensor": lambda: torch.FloatTensor([0.1, 1 / 3]),
    "ascii_long_tensor": lambda: torch.LongTensor([-5, 12345678901]),
    "ascii_int_tensor": lambda: torch.IntTensor([1, -2]),
    "ascii_short_storage": lambda: torch.ShortStorage([-7, 300]),
    "ascii_char_storage": lambda: torch.CharStorage().string("Hi!"),
    "ascii_empty_tensor": lambda: torch.Tensor(),
    "ascii_transposed": lambda: torch.range(1, 6).resize(2, 3).t(),
    "ascii_view": the_view,
    "ascii_nested_array": lambda: [[1]],
    "ascii_size_storage": lambda: torch.LongStorage([2, 3]),
}


@pytest.mark.parametrize("key", sorted(BINARY_CASES))
def test_serial_strings_binary_bytes(strings, key):
    assert list(S.serialize(BINARY_CASES[key]())) == strings[key]


@pytest.mark.parametrize("key", sorted(BINARY_LEN_CASES))
def test_serial_strings_binary_length(strings, key):
    assert len(S.serialize(BINARY_LEN_CASES[key]())) == strings[key]


@pytest.mark.parametrize("key", sorted(ASCII_CASES))
def test_serial_strings_ascii_text(strings, key):
    assert S.serialize(ASCII_CASES[key](), "ascii").decode("latin-1") == strings[key]


def rt(x, mode="binary"):
    return S.deserialize(S.serialize(x, mode), mode)


def test_serial_strings_round_trips(strings):
    g = strings
    check(rt(-0.1), g["rt_number"])
    assert rt("a\0b") == g["rt_string"] and len(rt("a\0b")) == g["rt_string_len"]
    assert rt(True) is True
    assert rt(None) is None and g["rt_nil_type"] == "nil"
    check(rt(torch.Tensor([[1, 2], [3, 4]]).t()), g["rt_tensor"])
    check(rt(the_view()), g["rt_view"])
    assert rt(the_view()).storage().size() == g["rt_view_storage_size"]
    check(rt(torch.FloatTensor([0.1, -2.5e-8]), "ascii"), g["rt_float_ascii"])
    # Lua builds LongTensor({-9007199254740993}) from a double: -9007199254740992
    check(rt(torch.LongTensor([-9007199254740992, 3]), "ascii"), g["rt_long_ascii"])
    check(rt(torch.ByteTensor([0, 10, 13, 255]), "ascii"), g["rt_byte_ascii"])
    check(rt(torch.CharTensor([-128, 0, 127])), g["rt_char_binary"])
    assert rt(torch.Tensor()).dim() == g["rt_empty_tensor_dim"]
    check(rt({"a": 1, "b": {"c": "d", "e": [True, False]}, 3: "three"}), g["rt_table"])
    check(rt([1, 2.5, "x", {"y": -1}], "ascii"), g["rt_table_ascii"])
    assert (rt(0.1 + 0.2, "ascii") == 0.1 + 0.2) is g["rt_double_precision"]
    st = S.serializeToStorage(3.25)
    assert st.typename == g["serializeToStorage_type"]
    assert st.size() == g["serializeToStorage_size"]
    check(S.deserializeFromStorage(st), g["deserializeFromStorage"])


# ---------------------------------------------------------------------------------------------
# serial_files: save/load, sharing, referenced, MemoryFile and DiskFile primitives

@pytest.fixture(scope="module")
def files():
    return golden("serial_files")


def shared_obj():
    base = torch.range(1, 12).resize(3, 4)
    obj = {"a": base, "b": base.narrow(2, 2, 2), "c": base.t(), "num": 4.5, "str": "hello",
           "flag": True}
    obj["same"] = obj["a"]
    obj["self"] = obj
    return base, obj


@pytest.mark.parametrize("mode", ["binary", "ascii"])
def test_serial_files_save_load_sharing(files, tmp_path, mode):
    g = files
    _, obj = shared_obj()
    path = str(tmp_path / "x.t7")
    S.save(path, obj, mode)
    o = S.load(path, mode)
    assert same_storage(o["a"], o["b"]) is g[mode + "_shared_ab"]
    assert same_storage(o["a"], o["c"]) is g[mode + "_shared_ac"]
    assert (o["same"] is o["a"]) is g[mode + "_same_object"]
    assert (o["self"] is o) is g[mode + "_cycle"]
    check(o["num"], g[mode + "_num"])
    check(o["str"], g[mode + "_str"])
    check(o["flag"], g[mode + "_flag"])
    o["a"][2, 3] = -100
    check(o["b"].clone(), g[mode + "_write_through"])
    # the case returns the views themselves: the golden holds them after the write
    check(o["b"], g[mode + "_b"])
    check(o["c"], g[mode + "_c"])
    # the file holds the same objects as Torch7's (the size differs only by key order luck:
    # every key/value is written once, so the size is order-independent)
    assert os.path.getsize(path) == g[mode + "_file_size"]


def test_serial_files_referenced(files, tmp_path):
    g = files
    base, _ = shared_obj()
    path = str(tmp_path / "r.t7")
    S.save(path, {"x": base, "y": base}, "binary", False)
    nr = S.load(path, "binary", False)
    assert same_storage(nr["x"], nr["y"]) is g["unreferenced_shared"]
    assert (nr["x"] is nr["y"]) is g["unreferenced_identical"]
    S.save(path, {"x": base, "y": base})
    rr = S.load(path)
    assert (rr["x"] is rr["y"]) is g["referenced_identical"]
    S.save(path, 2.5)
    assert list(open(path, "rb").read()) == g["default_mode_bytes"]
    S.save(path, 2.5, "ascii")
    assert open(path, "rb").read().decode() == g["ascii_file_text"]


def typed_values():
    return [torch.ByteTensor([0, 255]), torch.CharTensor([-3]), torch.ShortTensor([-300]),
            torch.IntTensor([70000]), torch.LongTensor([-2]), torch.FloatTensor([0.25]),
            torch.DoubleStorage([1.5, 2.5])]


@pytest.mark.parametrize("mode", ["binary", "ascii"])
def test_serial_files_typed(files, tmp_path, mode):
    path = str(tmp_path / "t.t7")
    S.save(path, typed_values(), mode)
    check(S.load(path, mode), files["typed_" + mode])


def test_serial_files_memory_file(files):
    g = files
    mf = torch.MemoryFile()
    mf.binary()
    mf.writeObject([1, 2, 3])
    mf.writeInt(7)
    mf.writeDouble(0.5)
    mf.writeString("xyz")
    mf.seek(1)
    check(mf.readObject(), g["mem_object"])
    check(mf.readInt(), g["mem_int"])
    check(mf.readDouble(), g["mem_double"])
    check(mf.readString("*a"), g["mem_string"])
    check(mf.position(), g["mem_position"])
    mf.close()
    ma = torch.MemoryFile()
    ma.writeInt(3)
    ma.writeDouble(1.25)
    ma.writeString("abc")
    ma.writeFloat(0.1)
    assert ma.storage().string() == g["mem_ascii_text"]
    ma.seek(1)
    check([ma.readInt(), ma.readDouble()], g["mem_ascii_read"])
    ma.close()
    with pytest.raises(ValueError):
        torch.MemoryFile(torch.CharStorage().string("1 2"), "r")
    assert g["mem_storage_needs_zero"] is False
    ms = torch.MemoryFile(torch.CharStorage().string("12 34\n5.5\nline two\n\0"), "r")
    check([ms.readInt(), ms.readInt()], g["mem_storage_ints"])
    check(ms.readDouble(), g["mem_storage_double"])
    check(ms.readString("*l"), g["mem_storage_line"])
    ms.close()


def test_serial_files_disk_ascii(files, tmp_path):
    g = files
    path = str(tmp_path / "d.txt")
    df = torch.DiskFile(path, "w")
    df.writeInt(12)
    df.writeDouble(-0.75)
    df.writeLong(123456789012)
    df.writeString("words here")
    check(df.position(), g["disk_ascii_position_after_string"])
    df.writeInt(torch.IntStorage([1, 2, 3]))
    df.writeFloat(1 / 3)
    df.writeByte(65)
    df.writeChar(66)
    df.writeShort(-5)
    df.close()
    assert open(path, "rb").read().decode() == g["disk_ascii_text"]
    dr = torch.DiskFile(path, "r")
    check(dr.readInt(), g["disk_ascii_int"])
    check(dr.readDouble(), g["disk_ascii_double"])
    check(dr.readLong(), g["disk_ascii_long"])
    check(dr.readString("*l"), g["disk_ascii_string"])
    assert dr.readFloat() == g["disk_ascii_float"]
    dr.close()


def test_serial_files_disk_binary(files, tmp_path):
    g = files
    path = str(tmp_path / "b.bin")
    db = torch.DiskFile(path, "w").binary()
    db.writeInt(258)
    db.writeDouble(1)
    db.writeShort(-2)
    db.writeString("ok")
    db.writeLong(-1)
    db.writeFloat(2)
    db.close()
    assert list(open(path, "rb").read()) == g["disk_binary_bytes"]
    dbr = torch.DiskFile(path, "r").binary()
    check([dbr.readInt(), dbr.readDouble(), dbr.readShort()], g["disk_binary_read"])
    check(dbr.readChar(2).string(), g["disk_binary_chars"])
    check([dbr.readLong(), dbr.readFloat()], g["disk_binary_rest"])
    assert dbr.isBinary() is g["disk_binary_isBinary"]
    dbr.close()
    dq = torch.DiskFile(path, "r").binary()
    dq.seekEnd()
    with pytest.raises(SerializationError):
        dq.readInt()
    assert g["eof_error"] is False
    dq.quiet()
    dq.clearError()
    v = dq.readInt()
    assert dq.hasError() is g["eof_quiet_hasError"]
    assert v == g["eof_quiet_value"]
    dq.close()


# ---------------------------------------------------------------------------------------------
# serial_load_ascii / serial_load_binary: the t7 corpus written by Torch7

@pytest.mark.parametrize("mode", ["binary", "ascii"])
def test_serial_load_corpus(mode):
    g = golden("serial_load_" + mode)
    r = {}

    def load(name):
        return S.load(t7(name, mode), mode)

    d = load("tensor_double")
    r["double"] = d
    r["double_storage_size"] = d.storage().size()
    ty = load("tensors_types")
    for k in ("byte", "char", "short", "int", "long", "float", "double"):
        r["type_" + k] = ty[k]
        r["typename_" + k] = torch.typename(ty[k])
    sh = load("tensors_shared")
    for k in ("full", "rows", "cols", "t", "pair", "other"):
        r["shared_" + k] = sh[k]
    full = sh["full"]
    r["share_full_rows"] = same_storage(full, sh["rows"])
    r["share_full_cols"] = same_storage(full, sh["cols"])
    r["share_full_t"] = same_storage(full, sh["t"])
    r["share_full_pair"] = same_storage(full, sh["pair"][0]) and same_storage(full, sh["pair"][1])
    r["share_full_other"] = same_storage(full, sh["other"])
    r["again_is_full"] = sh["again"] is full
    r["rows_is_full"] = sh["rows"] is full
    r["shared_storage_size"] = full.storage().size()
    r["cols_contiguous"] = sh["cols"].isContiguous()
    sh["cols"].fill(-1)
    r["after_fill_full"] = full.clone()
    r["after_fill_t_row3"] = sh["t"][3].clone()
    r["after_fill_pair2"] = sh["pair"][1].clone()
    v = load("tensor_view")
    r["view"] = v
    r["view_storage_size"] = v.storage().size()
    r["view_contiguous"] = v.isContiguous()
    st = load("storages")
    r["storages_count"] = len(st)
    for i, s in enumerate(st):
        r["storage_%d" % (i + 1)] = s
        r["storage_type_%d" % (i + 1)] = torch.typename(s)
    r["char_storage_string"] = st[1].string()
    t = load("table_nested")
    r["nested_name"] = t["name"]
    r["nested_version"] = t["version"]
    r["nested_ratio"] = t["ratio"]
    r["nested_neg"] = t["neg"]
    r["nested_big"] = t["big"]
    r["nested_flags"] = t["flags"]
    r["nested_list"] = t["list"]
    r["nested_deep"] = t["deep"]["a"]["b"]["c"]["d"]
    r["nested_int_key"] = t[1]
    r["nested_float_key"] = t[2.5]
    r["nested_bool_key"] = t[LuaKey(True)]
    r["nested_empty_next"] = len(t["empty"]) == 0
    r["nested_text"] = t["text"]
    r["nested_cycle"] = t["me"] is t
    r["nested_key_count"] = len(t)
    e = load("tensor_empty")
    r["empty_type"] = torch.typename(e)
    r["empty_dim"] = e.dim()
    r["empty_storage_nil"] = e.storage() is None
    et = load("empty_things")
    r["empty_float_dim"] = et["t"].dim()
    r["empty_float_type"] = torch.typename(et["t"])
    r["empty_long_storage_size"] = et["s"].size()
    r["empty_zero_dim"] = et["z"].dim()
    if mode == "ascii":
        def bin_(name):
            return S.load(t7(name, "binary"))
        r["ascii_equals_binary_double"] = d.equal(bin_("tensor_double"))
        tyb = bin_("tensors_types")
        r["ascii_equals_binary_types"] = [ty[k].equal(tyb[k]) for k in
                                          ("byte", "char", "short", "int", "long", "float",
                                           "double")]
    assert set(r) == set(g)
    for k in sorted(g):
        check(r[k], g[k], k)


@pytest.mark.parametrize("path", T7_FILES, ids=[os.path.basename(p) for p in T7_FILES])
def test_every_t7_file_loads(path):
    fmt = fmt_of(path)
    try:
        obj = S.load(path, fmt)
    except SerializationError as e:
        if "unknown Torch class <nn." in str(e):
            # the nn layer that this file needs is not ported yet: its fields must still load
            obj = S.load(path, fmt, unknown_classes="table")
            pytest.skip("nn class not available yet: %s" % str(e).split("<")[-1].split(">")[0])
        raise
    # the same file in the other format holds the same values
    other = path.replace("_ascii", "_binary") if fmt == "ascii" else path.replace(
        "_binary", "_ascii")
    if not os.path.exists(other):  # written in one format only
        return
    other_obj = S.load(other, fmt_of(other))
    assert_same_structure(obj, other_obj, fmt_of(other) == "ascii" or fmt == "ascii")


def assert_same_structure(a, b, approx, path="obj", seen=None):
    seen = set() if seen is None else seen
    if id(a) in seen:
        return
    seen.add(id(a))
    assert type(a) is type(b), path
    if isinstance(a, TensorBase):
        assert a._size == b._size and a._stride == b._stride and a._offset == b._offset, path
        if a._storage is not None:
            assert_same_structure(a._storage, b._storage, approx, path + ".storage", seen)
    elif isinstance(a, StorageBase):
        np.testing.assert_array_equal(a._data, b._data, err_msg=path)
    elif isinstance(a, dict):
        def plain(d):
            return {k for k in d if isinstance(k, (str, int, float))}
        assert plain(a) == plain(b), path
        for k in plain(a):
            assert_same_structure(a[k], b[k], approx, "%s.%s" % (path, k), seen)
        # tables keyed by tables or objects (nngraph's mapindex): paired in the file's order
        ka, kb = [k for k in a if k not in plain(a)], [k for k in b if k not in plain(b)]
        assert len(ka) == len(kb), path
        for i, (x, y) in enumerate(zip(ka, kb)):
            assert_same_structure(x, y, approx, "%s.<key %d>" % (path, i), seen)
            assert_same_structure(a[x], b[y], approx, "%s[<key %d>]" % (path, i), seen)
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same_structure(x, y, approx, "%s[%d]" % (path, i), seen)
    elif hasattr(a, "__dict__"):
        assert_same_structure(vars(a), vars(b), approx, path, seen)
    else:
        assert a == b or (a != a and b != b), "%s: %r != %r" % (path, a, b)


# ---------------------------------------------------------------------------------------------
# round trips of every type, both formats

def all_values():
    base = torch.range(1, 20).resize(4, 5)
    values = {
        "int": 42, "float": -0.1, "big": 1e300, "tiny": 5e-324, "neg_zero": -0.0,
        "inf": math.inf, "ninf": -math.inf, "true": True, "false": False,
        "string": "h\u00e9llo\n\0end", "bytes": b"\xff\xfe raw", "empty_string": "",
        "list": [1, "two", [3.5, [4]]], "dict": {"a": 1, 2: "b", 2.5: "c"},
        "empty": {}, "bool_keys": {LuaKey(True): "t", 1: "one", LuaKey(False): "f", 0: "zero"},
        "view": base.narrow(2, 2, 3), "transposed": base.t(), "base": base,
        "expanded": torch.Tensor([[1], [2]]).expand(2, 3),
        "empty_tensor": torch.Tensor(), "float_empty": torch.FloatTensor(),
    }
    for name, cls in sorted(tensor_types.items()):
        data = np.array([0, 1, -1, 100, 127, -128], dtype=np.float64)
        if "Byte" in name:
            data = np.abs(data)
        values[name] = cls(data.tolist()).resize(2, 3)
        values[name + "_storage"] = values[name].storage()
    values["double_extremes"] = torch.DoubleTensor([1.7976931348623157e308, -5e-324, 0.1,
                                                    1 / 3, math.inf, -math.inf])
    values["float_extremes"] = torch.FloatTensor([3.4028234663852886e38, 1.401298464324817e-45,
                                                  0.1, 1 / 3, -math.inf])
    values["long_extremes"] = torch.LongTensor([2 ** 63 - 1, -2 ** 63, 12345678901])
    values["int_extremes"] = torch.IntTensor([2 ** 31 - 1, -2 ** 31])
    values["short_extremes"] = torch.ShortTensor([32767, -32768])
    values["char_bytes"] = torch.CharTensor(list(range(-128, 128)))
    values["byte_bytes"] = torch.ByteTensor(list(range(256)))
    return values


@pytest.mark.parametrize("mode", ["binary", "ascii"])
def test_round_trip_every_type(mode):
    values = all_values()
    back = rt(values, mode)
    assert set(back) == set(values)
    for k, v in values.items():
        b = back[k]
        if isinstance(v, TensorBase):
            assert type(b) is type(v) and b._size == v._size and b._stride == v._stride, k
            assert b._offset == v._offset, k
            if v._storage is not None:
                np.testing.assert_array_equal(b.storage()._data, v.storage()._data, err_msg=k)
                assert b.storage()._data.dtype == v.storage()._data.dtype
            else:
                assert b._storage is None
        elif hasattr(v, "_data"):
            assert type(b) is type(v)
            np.testing.assert_array_equal(b._data, v._data, err_msg=k)
        elif isinstance(v, float) and v == 0:
            assert b == 0 and math.copysign(1, b) == math.copysign(1, v), k
        elif isinstance(v, bytes):
            # Lua strings load as UTF-8 text with undecodable bytes as surrogates
            assert b.encode("utf-8", "surrogateescape") == v, k
        else:
            assert b == v, "%s: %r != %r" % (k, b, v)
    # sharing survives: the views and the base share one storage
    assert back["view"].storage() is back["base"].storage()
    assert back["transposed"].storage() is back["base"].storage()
    assert back["torch.IntTensor_storage"] is back["torch.IntTensor"].storage()


def test_round_trip_numbers_are_lua_numbers():
    # Lua has one number type: integral values come back as int, others as float
    assert rt(2.0) == 2 and type(rt(2.0)) is int
    assert type(rt(2.5)) is float
    assert type(rt(2 ** 60)) is float  # beyond 2^53 a double is not an exact integer
    assert math.isnan(rt(math.nan))


@pytest.mark.parametrize("mode", ["binary", "ascii"])
def test_round_trip_self_containing(mode):
    lst = [1, 2]
    lst.append(lst)
    d = {"me": None, "list": lst}
    d["me"] = d
    back = rt(d, mode)
    assert back["me"] is back
    inner = back["list"]
    # a table that holds itself cannot become a list before it is complete: it loads as a dict
    assert isinstance(inner, dict) and inner[3] is inner and inner[1] == 1
    again = rt(back, mode)
    assert again["list"][3] is again["list"]
    # two references to one list keep their identity
    shared = [1, 2, 3]
    back = rt({"a": shared, "b": shared, "c": (shared, shared)}, mode)
    assert back["a"] is back["b"] and back["c"][0] is back["a"] is back["c"][1]


def test_round_trip_memory_file_all_primitives():
    for mode in ("binary", "ascii"):
        f = torch.MemoryFile()
        getattr(f, mode)()
        f.writeByte(200)
        f.writeChar(-5)
        f.writeShort(-300)
        f.writeInt(70000)
        f.writeLong(-(2 ** 40))
        f.writeFloat(0.1)
        f.writeDouble(1 / 3)
        f.writeBool(True)
        for name, values in (("Byte", [0, 255, 10]), ("Char", [-1, 10, 32]),
                             ("Short", [-1, 2]), ("Int", [3, -4]), ("Long", [2 ** 40, -1]),
                             ("Float", [0.5, -0.25]), ("Double", [1e-300, 2.5])):
            getattr(f, "write" + name)(getattr(torch, name + "Storage")(values))
        f.seek(1)
        assert f.readByte() == 200
        assert f.readChar() == -5
        assert f.readShort() == -300
        assert f.readInt() == 70000
        assert f.readLong() == -(2 ** 40)
        assert f.readFloat() == float(np.float32(0.1))
        assert f.readDouble() == 1 / 3
        assert f.readBool() is True
        for name, values in (("Byte", [0, 255, 10]), ("Char", [-1, 10, 32]),
                             ("Short", [-1, 2]), ("Int", [3, -4]), ("Long", [2 ** 40, -1]),
                             ("Float", [0.5, -0.25]), ("Double", [1e-300, 2.5])):
            s = getattr(torch, name + "Storage")(len(values))
            assert getattr(f, "read" + name)(s) == len(values)
            assert s._data.tolist() == values, (mode, name)
        f.close()


def test_memory_file_storage_ends_with_nul():
    f = torch.MemoryFile()
    f.writeInt(5)
    s = f.storage()
    assert s.typename == "torch.CharStorage"
    assert s._data.tolist() == [ord("5"), ord("\n"), 0]
    # a MemoryFile over that storage reads it back
    g = torch.MemoryFile(s, "r")
    assert g.readInt() == 5
    assert not g.isWritable() and g.isReadable()


def test_file_flags_and_positions(tmp_path):
    path = str(tmp_path / "f")
    f = torch.DiskFile(path, "w")
    assert f.isWritable() and not f.isReadable() and not f.isBinary() and f.isAutoSpacing()
    assert f.binary() is f and f.isBinary() and f.ascii() is f and not f.isBinary()
    f.binary()
    f.writeInt(torch.IntStorage([1, 2, 3, 4]))
    assert f.position() == 17
    f.seek(5)
    f.writeInt(20)
    f.close()
    with pytest.raises(ValueError):
        f.writeInt(1)
    r = torch.DiskFile(path, "r").binary()
    assert r.readInt(4)._data.tolist() == [1, 20, 3, 4]
    with pytest.raises(ValueError):
        r.writeInt(1)
    r.close()
    rw = torch.DiskFile(str(tmp_path / "new"), "rw").binary()
    rw.writeDouble(2.5)
    rw.seek(1)
    assert rw.readDouble() == 2.5
    rw.close()
    assert torch.DiskFile(str(tmp_path / "missing" / "x"), "r", True) is None  # nil in Torch7
    with pytest.raises(SerializationError):
        torch.DiskFile(str(tmp_path / "missing" / "x"), "r")


def test_no_autospacing_and_endianness():
    f = torch.MemoryFile().noAutoSpacing()
    f.writeInt(torch.IntStorage([1, 2]))
    assert f.storage().string() == "12\0"
    g = torch.MemoryFile().binary().bigEndianEncoding()
    g.writeInt(258)
    assert bytes(g.storage()._data.view(np.uint8)[:4]) == b"\x00\x00\x01\x02"
    g.seek(1)
    assert g.readInt() == 258


def test_long_size_4():
    # files written where C long is 32-bit
    data = struct.pack("<ii", -7, 9)
    f = torch.MemoryFile(data, "r").binary().longSize(4)
    assert f.readLong(2)._data.tolist() == [-7, 9]
    w = torch.MemoryFile().binary().longSize(4)
    w.writeLong(torch.LongStorage([-7, 9]))
    assert bytes(w.storage()._data.view(np.uint8)[:-1]) == data
    # a whole tensor in that layout
    t = torch.LongTensor([5, 6])
    f = torch.MemoryFile().binary().longSize(4)
    f.writeObject(t)
    f.seek(1)
    back = f.readObject()
    assert back.numpy().tolist() == [5, 6]


# ---------------------------------------------------------------------------------------------
# classes, functions, safety

def test_unknown_class_error_and_table_option(capsys):
    data = bytearray(S.serialize(TorchObject("nn.NotAThing", {"x": 1.5, "modules": []})))
    with pytest.raises(SerializationError, match="nn.NotAThing"):
        S.deserialize(bytes(data), unknown_classes="error")  # Torch7's behaviour
    # by default a plain object, with one note on stderr naming the class
    obj = S.deserialize(bytes(data))
    assert isinstance(obj, TorchObject) and obj.typename == "nn.NotAThing"
    assert capsys.readouterr().err.count("nn.NotAThing") == 1
    obj = S.deserialize(bytes(data), unknown_classes="table")
    assert capsys.readouterr().err == ""
    assert isinstance(obj, TorchObject) and obj.typename == "nn.NotAThing"
    assert obj["x"] == 1.5 and obj["modules"] == []
    assert S.serialize(obj) == bytes(data)


def test_functions_are_refused_unless_asked():
    # a function as Torch7 writes it: type 8, index, bytecode, upvalues table
    fn = LuaFunction(b"\x1bLJ\x01fake bytecode", [{"name": "x", "value": 3}])
    data = S.serialize({"f": fn})
    with pytest.raises(SerializationError, match="allow_functions"):
        S.deserialize(data)
    back = S.deserialize(data, allow_functions=True)
    assert isinstance(back["f"], LuaFunction) and back["f"].bytecode == fn.bytecode
    assert back["f"].upvalues == [{"name": "x", "value": 3}]
    assert S.serialize(back) == data


def test_registered_class_hooks():
    class Thing:
        def __init__(self):
            self.a = torch.Tensor([1, 2])
            self.n = 3

    class Hooked:
        def _t7_fields(self):
            return {"packed": [self.x, self.y]}

        def _t7_read(self, fields, version):
            self.x, self.y = fields["packed"]
            self.version = version

    S.register_class("test.Thing", Thing)
    S.register_class("test.Hooked", Hooked)
    t = Thing()
    t.me = t
    back = rt(t)
    assert type(back) is Thing and back.me is back and back.n == 3
    assert back.a.numpy().tolist() == [1, 2]
    h = Hooked()
    h.x, h.y = 1, "two"
    back = rt(h, "ascii")
    assert (back.x, back.y, back.version) == (1, "two", 1)


def test_refuses_huge_counts_before_allocating():
    big = 10 ** 12
    # a DoubleStorage that claims 10^12 elements
    data = (struct.pack("<iii", 4, 1, 3) + b"V 1" + struct.pack("<i", 19)
            + b"torch.DoubleStorage" + struct.pack("<q", big) + b"\0" * 16)
    with pytest.raises(SerializationError, match="claims 1000000000000"):
        S.deserialize(data)
    # a string, a table, a tensor with 10^9 dimensions
    with pytest.raises(SerializationError, match="byte offset"):
        S.deserialize(struct.pack("<ii", 2, 2 ** 31 - 1) + b"abc")
    # (a table of 2^31-1 entries reads them until one fails, as File.lua's loop: its first key
    # is nil, Lua's "table index is nil", which the original raised too)
    with pytest.raises(SerializationError, match="table index is nil"):
        S.deserialize(struct.pack("<iii", 3, 1, 2 ** 31 - 1) + b"\0" * 8)
    with pytest.raises(SerializationError):
        S.deserialize(struct.pack("<iii", 4, 1, 3) + b"V 1" + struct.pack("<i", 18)
                      + b"torch.DoubleTensor" + struct.pack("<i", 10 ** 9))
    with pytest.raises(SerializationError, match="claims"):
        S.deserialize(b"4\n1\n3\nV 1\n19\ntorch.DoubleStorage\n1000000000000\n1 2\n", "ascii")


def test_tensor_outside_its_storage_is_refused():
    t = torch.Tensor([1, 2, 3])
    data = bytearray(S.serialize(t))
    # the size field of the 1-D tensor: after the class name, nDimension (int32)
    i = data.index(b"torch.DoubleTensor") + len("torch.DoubleTensor") + 4
    data[i:i + 8] = struct.pack("<q", 4)
    with pytest.raises(SerializationError, match="overruns"):
        S.deserialize(bytes(data))


def test_truncated_error_names_object_and_offset(tmp_path):
    data = open(t7("model_mlp", "binary"), "rb").read()
    with pytest.raises(SerializationError) as e:
        S.deserialize(data[:2000], unknown_classes="table")
    msg = str(e.value)
    assert "byte offset" in msg and "<nn.Sequential>" in msg and "modules" in msg


def test_unwritable_object():
    with pytest.raises(SerializationError, match=r"Unwritable object <object> at <\?>\.x"):
        S.serialize({"x": object()})


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "model.t7"
    S.save(str(path), {"v": 1})
    before = path.read_bytes()

    class Boom:
        pass

    with pytest.raises(SerializationError):
        S.save(str(path), {"big": torch.Tensor(1000).fill(1), "bad": Boom()})
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.t7"]
    with pytest.raises(ValueError):
        S.save(str(path), 1, "text")


def test_lua_key_semantics():
    assert LuaKey(True) == LuaKey(True) and LuaKey(True) != LuaKey(False)
    assert LuaKey(True) != 1 and hash(LuaKey(True)) == hash(LuaKey(True))
    t = {}
    k = LuaKey(t)
    assert k == LuaKey(t) and k != LuaKey({})
    # a table used as a key keeps its identity
    key_table = {"id": 7}
    back = rt({LuaKey(key_table): "v", "k": key_table})
    (lk,) = [k for k in back if isinstance(k, LuaKey)]
    assert lk.value is back["k"] and back[lk] == "v"


# ---------------------------------------------------------------------------------------------
# mutated and truncated files: load succeeds or raises SerializationError, nothing else

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_SMALL = [p for p in T7_FILES if os.path.getsize(p) < 8000]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(_SMALL), st.data())
def test_mutated_files_load_or_raise(path, data):
    raw = bytearray(open(path, "rb").read())
    action = data.draw(st.sampled_from(["truncate", "flip", "overwrite", "insert"]))
    if action == "truncate":
        raw = raw[:data.draw(st.integers(0, len(raw) - 1))]
    elif action == "flip":
        for _ in range(data.draw(st.integers(1, 4))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] ^= 1 << data.draw(st.integers(0, 7))
    elif action == "overwrite":
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i:i + 4] = data.draw(st.binary(min_size=1, max_size=4))
    else:
        i = data.draw(st.integers(0, len(raw)))
        raw[i:i] = data.draw(st.binary(min_size=1, max_size=8))
    fmt = fmt_of(path)
    try:
        S.deserialize(bytes(raw), fmt, unknown_classes="table")
    except SerializationError:
        pass


# ---------------------------------------------------------------------------------------------
# cross-check: the torchfile package reads what torch7py writes

def test_torchfile_reads_torch7py_binary(tmp_path):
    torchfile = pytest.importorskip("torchfile")
    base = torch.range(1, 12).resize(3, 4)
    obj = {"w": base, "v": base.narrow(2, 2, 2), "f": torch.FloatTensor([0.5, -1]),
           "l": torch.LongTensor([2 ** 40, -3]), "b": torch.ByteTensor([0, 255]),
           "s": "text", "n": 2.5, "list": [1, 2, 3], "flag": True, "empty": torch.Tensor()}
    path = str(tmp_path / "x.t7")
    S.save(path, obj)
    back = torchfile.load(path)
    get = (lambda d, k: d[k.encode()]) if b"w" in back else (lambda d, k: d[k])
    np.testing.assert_array_equal(get(back, "w"), np.arange(1, 13).reshape(3, 4))
    np.testing.assert_array_equal(get(back, "v"), np.arange(1, 13).reshape(3, 4)[:, 1:3])
    np.testing.assert_array_equal(get(back, "f"), np.array([0.5, -1], np.float32))
    np.testing.assert_array_equal(get(back, "l"), [2 ** 40, -3])
    np.testing.assert_array_equal(get(back, "b"), [0, 255])
    assert get(back, "s") in ("text", b"text")
    assert get(back, "n") == 2.5 and get(back, "flag") is True
    assert list(get(back, "list").values()) == [1, 2, 3] if isinstance(
        get(back, "list"), dict) else list(get(back, "list")) == [1, 2, 3]


def test_torchfile_agrees_on_the_corpus():
    torchfile = pytest.importorskip("torchfile")
    path = t7("tensors_types", "binary")
    ours = S.load(path)
    theirs = torchfile.load(path)
    for k in ("byte", "char", "short", "int", "long", "float", "double"):
        t = theirs[k.encode()] if k.encode() in theirs else theirs[k]
        np.testing.assert_array_equal(ours[k].numpy(), t)


# ---------------------------------------------------------------------------------------------
# nn_load_models: models saved by Torch7 load into working modules

def _count(m):
    params = m.parameters()[0] or []
    return {"tensors": len(params), "elements": sum(p.nElement() for p in params)}


def _check_model(mb, ma, x, seed):
    mb.zeroGradParameters()
    ma.zeroGradParameters()
    y = rclone(mb.forward(x))
    gy = mkgrad(y, seed)
    gi = rclone(mb.backward(x, gy))
    ya = ma.forward(x)
    ma.backward(x, gy)
    gp = mb.parameters()[1] or []
    gpa = ma.parameters()[1] or []
    same = ya.equal(y) if isinstance(y, TensorBase) else True
    for a, b in zip(gp, gpa):
        same = same and a.equal(b)
    return {"output": y, "gradInput": gi, "gradParams": rclone(gp), "ascii_equal": same,
            "type": torch.type(mb), "tostring": str(mb), "tostring_ascii_equal": str(mb) == str(ma),
            "count": _count(mb)}


def _load_pair(name):
    try:
        return S.load(t7(name, "binary")), S.load(t7(name, "ascii"), "ascii")
    except SerializationError as e:
        if "unknown Torch class" in str(e):
            pytest.skip("nn class not ported yet: %s" % str(e).split("class <")[1].split(">")[0])
        raise


@pytest.fixture(scope="module")
def nn_golden():
    return golden("nn_load_models")


def _sp(t):
    return t.storage()


def test_nn_load_mlp(nn_golden):
    mb, ma = _load_pair("model_mlp")
    check(_check_model(mb, ma, det(1, 0.37, 0.2, 5, 4), 1), nn_golden["mlp"], "mlp")
    check(_check_model(mb, ma, det(1, 0.41, 0.9, 4), 2), nn_golden["mlp_single"], "mlp_single")


def test_nn_load_lenet(nn_golden):
    mb, ma = _load_pair("model_lenet")
    check(mb.output.size().totable(), nn_golden["lenet_saved_output_size"])
    check(mb.modules[0].finput.size().totable(), nn_golden["lenet_saved_finput_size"])
    check(_check_model(mb, ma, det(1, 0.13, 0.4, 3, 1, 16, 16), 3), nn_golden["lenet"], "lenet")


def test_nn_load_batchnorm(nn_golden):
    g = nn_golden
    mb, ma = _load_pair("model_bn")
    m2, m6 = mb.modules[1], mb.modules[5]
    check(str(m2.train).lower(), g["bn_train_flag"])
    check([m2.running_mean.clone(), m2.running_var.clone(), m6.running_mean.clone(),
           m6.running_var.clone()], g["bn_running"])
    mb.evaluate()
    ma.evaluate()
    check(_check_model(mb, ma, det(1, 0.23, 0.7, 3, 2, 4, 4), 4), g["bn_eval"], "bn_eval")
    mb.training()
    ma.training()
    check(_check_model(mb, ma, det(1, 0.23, 0.7, 3, 2, 4, 4), 5), g["bn_train"], "bn_train")
    check([m2.running_mean.clone(), m6.running_var.clone()], g["bn_running_after_train"])


def test_nn_load_residual(nn_golden):
    mb, ma = _load_pair("model_residual")
    check(_check_model(mb, ma, det(1, 0.31, 0.5, 4, 6), 6), nn_golden["residual"], "residual")


def test_nn_load_flat(nn_golden):
    g = nn_golden
    mb, ma = _load_pair("model_flat")
    params = mb.parameters()[0]
    check(all(_sp(p) is _sp(params[0]) for p in params), g["flat_one_storage"])
    check(params[0].storage().size(), g["flat_storage_size"])
    check([p.storageOffset() for p in params[:4]], g["flat_offsets"])
    check(_check_model(mb, ma, det(1, 0.61, 0.1, 2, 3), 7), g["flat"], "flat")
    p, gr = mb.getParameters()
    check([p.clone(), gr.clone()], g["flat_getparams"])


def test_nn_load_shared(nn_golden):
    g = nn_golden
    mb, ma = _load_pair("model_shared")
    siam = mb.modules[0].modules[0].modules[0]
    b1, b2 = siam.modules[0].modules[0], siam.modules[1].modules[0]
    stack = mb.modules[0].modules[1].modules[2]
    check([_sp(b1.weight) is _sp(b2.weight), _sp(b1.gradWeight) is _sp(b2.gradWeight),
           b1 is b2], g["shared_siamese"])
    check(_sp(stack.modules[0].weight) is _sp(stack.modules[2].weight), g["shared_tied"])
    check([str(b1.shared).lower(), str(stack.modules[2].shared).lower()], g["shared_flags"])
    x = [det(1, 0.37, 0.2, 3, 4), det(1, 0.53, 1.1, 3, 4)]
    check(_check_model(mb, ma, x, 8), g["shared"], "shared")
    p = mb.getParameters()[0]
    check(p.nElement(), g["shared_flat_size"])
    check(_sp(b1.weight) is _sp(b2.weight) and _sp(stack.modules[0].bias) is _sp(
        stack.modules[2].bias), g["shared_after_getparams"])


def test_nn_load_criterions(nn_golden):
    g = nn_golden
    cb, ca = _load_pair("model_criterion")
    logp = torch.nn.LogSoftMax().forward(det(2, 0.47, 0.2, 4, 3)).clone()
    t = torch.LongTensor([1, 3, 3, 2])
    check({"type": torch.type(cb), "weights": cb.weights, "loss": cb.forward(logp, t),
           "gradInput": cb.backward(logp, t).clone(), "ascii_loss": ca.forward(logp, t),
           "sizeAverage": cb.sizeAverage}, g["criterion"], "criterion")
    pb, _ = _load_pair("model_criterion_parallel")
    x = det(1, 0.3, 0.1, 4, 3)
    res = {"type": torch.type(pb), "weights": pb.weights, "ncrit": len(pb.criterions),
           "loss": pb.forward([x, logp], [det(1, 0.2, 0.5, 4, 3), t]),
           "gradInput": rclone(pb.backward([x, logp], [det(1, 0.2, 0.5, 4, 3), t]))}
    check(res, g["criterion_parallel"], "criterion_parallel")


def test_nn_load_checkpoint(nn_golden):
    g = nn_golden
    ck, cka = _load_pair("model_checkpoint")
    check(ck["epoch"], g["ck_epoch"])
    check(ck["loss_history"], g["ck_loss_history"])
    st = ck["optimState"]
    check({k: (st[k].clone() if k == "dfdx" else st[k]) for k in
           ("learningRate", "momentum", "evalCounter", "dfdx", "weightDecay")}, g["ck_optim"])
    check(cka["optimState"]["dfdx"].equal(st["dfdx"]), g["ck_ascii_dfdx_equal"])
    model = ck["model"]
    p, gr = model.getParameters()
    check(p.clone(), g["ck_params_before"])
    X = det(1, 0.44, 0.3, 6, 3)
    Y = torch.LongTensor([2, 1, 1, 2, 2, 1])
    crit = torch.nn.ClassNLLCriterion()

    def feval(_x):
        gr.zero()
        out = model.forward(X)
        loss = crit.forward(out, Y)
        model.backward(X, crit.backward(out, Y))
        return loss, gr

    from torch7py import optim
    _, fs = optim.sgd(feval, p, st)
    check(fs[0], g["ck_resume_loss"])
    check(p.clone(), g["ck_params_after"])
    check(st["dfdx"].clone(), g["ck_dfdx_after"])
    check(str(model), g["ck_tostring"])


@pytest.mark.parametrize("mode", ["binary", "ascii"])
def test_python_model_round_trip(tmp_path, mode):
    from torch7py import nn
    torch.manualSeed(3)
    a, b = nn.Linear(3, 4), nn.Linear(3, 4)
    b.share(a, "weight", "bias")
    model = nn.Sequential().add(nn.ConcatTable().add(a).add(b)).add(nn.CAddTable()).add(
        nn.Tanh())
    x = torch.Tensor([[0.1, -0.2, 0.3], [1, 2, 3]])
    y = model.forward(x).clone()
    path = str(tmp_path / "m.t7")
    torch.save(path, model, mode)
    back = torch.load(path, mode)
    assert type(back) is nn.Sequential and torch.type(back.modules[2]) == "nn.Tanh"
    a2, b2 = back.modules[0].modules
    assert a2.weight.storage() is b2.weight.storage() and a2.gradWeight is not b2.gradWeight
    # ascii doubles are written with %.17g: they read back exactly
    assert back.forward(x).equal(y)
    assert str(back) == str(model)


def test_torchfile_reads_torch7py_model(tmp_path):
    torchfile = pytest.importorskip("torchfile")
    from torch7py import nn
    model = nn.Sequential().add(nn.Linear(3, 2)).add(nn.Tanh())
    path = str(tmp_path / "m.t7")
    torch.save(path, model)
    back = torchfile.load(path)
    assert back.torch_typename() in (b"nn.Sequential", "nn.Sequential")
    lin = back.modules[0] if hasattr(back, "modules") else back[b"modules"][0]
    np.testing.assert_array_equal(lin.weight, model.modules[0].weight.numpy())
    np.testing.assert_array_equal(lin.bias, model.modules[0].bias.numpy())


def test_unreferenced_cycle_is_an_error():
    d = {}
    d["me"] = d
    f = torch.MemoryFile().binary().referenced(False)
    assert not f.isReferenced()
    with pytest.raises(SerializationError, match="stack overflow"):
        f.writeObject(d)


def test_legacy_function_type():
    # TYPE_FUNCTION (6): size, bytecode, upvalues table, no memo index
    data = (struct.pack("<ii", 6, 3) + b"abc" + struct.pack("<iii", 3, 1, 0))
    with pytest.raises(SerializationError, match="allow_functions"):
        S.deserialize(data)
    fn = S.deserialize(data, allow_functions=True)
    assert isinstance(fn, LuaFunction) and fn.bytecode == b"abc" and fn.legacy
    # written back with the legacy recursive tag (7): index, bytecode, the same upvalue list
    assert S.serialize(fn) == struct.pack("<iii", 7, 1, 3) + b"abc" + struct.pack(
        "<iii", 3, 2, 0)


def test_pipe_file(tmp_path):
    p = torch.PipeFile("printf '12 34\\n5.5\\n'", "r")
    assert (p.readInt(), p.readInt(), p.readDouble()) == (12, 34, 5.5)
    p.close()
    out = tmp_path / "out.txt"
    w = torch.PipeFile("cat > '%s'" % out, "w")
    w.writeInt(7)
    w.writeString("x")
    w.close()
    assert out.read_bytes() == b"7\nx"


def test_unknown_class_typename():
    obj = S.deserialize(S.serialize(TorchObject("my.Thing", {"a": 1})), unknown_classes="table")
    assert torch.typename(obj) == "my.Thing" and torch.type(obj) == "my.Thing"
    assert isinstance(obj, TorchObject) and isinstance(obj, dict)


def test_batchnorm_version1_running_std():
    # a BatchNormalization saved before nn's version 2 holds running_std = 1/sqrt(var + eps)
    std = torch.Tensor([0.5, 2.0])
    old = TorchObject("nn.BatchNormalization", {"running_std": std, "eps": 1e-5,
                                                "running_mean": torch.Tensor([0, 0])},
                      version=1)
    data = S.serialize(old)
    assert b"V 1" in data
    bn = S.deserialize(data)
    assert torch.type(bn) == "nn.BatchNormalization" and "running_std" not in vars(bn)
    np.testing.assert_allclose(bn.running_var.numpy(), [1 / 0.25 - 1e-5, 1 / 4.0 - 1e-5])
    # a new BatchNormalization is written as version 2, a LookupTable as 4 (nn's __version)
    assert b"V 2" in S.serialize(torch.nn.BatchNormalization(3))
    assert S.serialize(torch.nn.LookupTable(3, 2)).startswith(
        struct.pack("<iii", 4, 1, 3) + b"V 4" + struct.pack("<i", 14) + b"nn.LookupTable")


def test_save_through_symlink_and_keeps_mode(tmp_path):
    real = tmp_path / "real.t7"
    S.save(str(real), 1)
    os.chmod(real, 0o640)
    link = tmp_path / "link.t7"
    os.symlink(real, link)
    S.save(str(link), {"x": 2})
    assert os.path.islink(link) and S.load(str(real)) == {"x": 2}
    assert os.stat(real).st_mode & 0o777 == 0o640


def test_cuda_tensors_load_on_the_cpu():
    # cutorch writes a CudaTensor/CudaStorage with the layout of a FloatTensor/FloatStorage
    data = S.serialize({"w": torch.FloatTensor([1.5, -2]), "d": torch.DoubleTensor([3])})
    for cpu, gpu in ((b"torch.FloatTensor", b"torch.CudaTensor"),
                     (b"torch.FloatStorage", b"torch.CudaStorage"),
                     (b"torch.DoubleTensor", b"torch.CudaDoubleTensor"),
                     (b"torch.DoubleStorage", b"torch.CudaDoubleStorage")):
        data = data.replace(struct.pack("<i", len(cpu)) + cpu, struct.pack("<i", len(gpu)) + gpu)
    assert b"torch.CudaTensor" in data and b"torch.CudaDoubleStorage" in data
    back = S.deserialize(data)
    assert torch.typename(back["w"]) == "torch.FloatTensor"
    assert back["w"].numpy().tolist() == [1.5, -2]
    assert torch.typename(back["d"]) == "torch.DoubleTensor" and back["d"].numpy()[0] == 3


def test_generator_loads_without_registering_it():
    # Torch7 writes a Generator as its raw THGenerator struct after the class header; a fresh
    # runtime must know the class (no register_class call)
    import subprocess
    import sys
    code = ("import struct, torch7py as torch\n"
            "g = torch.Generator(); torch.manualSeed(g, 77); torch.normal(g)\n"
            "state = torch.getRNGState(g).numpy().tobytes()\n"
            "head = struct.pack('<ii', 4, 1) + struct.pack('<i', 3) + b'V 1' \\\n"
            "    + struct.pack('<i', 15) + b'torch.Generator'\n"
            "h = torch.deserialize(head + state)\n"
            "assert torch.typename(h) == 'torch.Generator'\n"
            "assert torch.serialize(g) == head + state\n"
            "assert [torch.normal(h), torch.random(h)] == [torch.normal(g), torch.random(g)]\n")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("mode", ["binary", "ascii"])
def test_disk_file_object_memo_spans_calls_and_flags(tmp_path, mode):
    # File.lua keeps one memo per file: an object written again is a reference (type, index)
    path = str(tmp_path / "o.t7")
    t = torch.DoubleTensor([1.5, 2.5])
    w = torch.DiskFile(path, "w")
    getattr(w, mode)()
    assert w.isReferenced() is True
    w.writeObject(t)
    pos = w.position()
    w.writeObject(t)
    w.writeInt(9)
    assert w.synchronize() is w
    w.close()
    with open(path, "rb") as f:
        raw = f.read()
    ref = struct.pack("<ii", 4, 1) if mode == "binary" else b"4\n1\n"
    assert raw[pos - 1:] == ref + (struct.pack("<i", 9) if mode == "binary" else b"9\n")
    r = torch.DiskFile(path, "r")
    getattr(r, mode)()
    a, b = r.readObject(), r.readObject()
    assert a is b and a.numpy().tolist() == [1.5, 2.5] and r.readInt() == 9
    # past the end: pedantic raises; quiet sets the flag and returns 0 / ''
    assert r.isQuiet() is False
    with pytest.raises(SerializationError):
        r.readInt()
    assert r.hasError() is True and r.clearError() is r and r.hasError() is False
    assert r.quiet() is r and r.isQuiet() is True
    assert r.readDouble() == 0 and r.hasError() is True
    r.clearError()
    assert r.readString("*a") == "" and r.hasError() is True
    assert r.pedantic() is r and r.isQuiet() is False
    r.close()
    with pytest.raises(ValueError):
        r.readInt()


def test_file_spacing_endianness_long_size_and_text(tmp_path):
    path = str(tmp_path / "s.txt")
    f = torch.DiskFile(path, "w")
    f.writeInt(torch.IntStorage([1, 2]))
    assert f.noAutoSpacing() is f and f.isAutoSpacing() is False
    f.writeInt(torch.IntStorage([3, 4]))
    f.writeDouble(0.5)
    assert f.autoSpacing() is f and f.isAutoSpacing() is True
    f.writeDouble(0.25)
    assert str(f) == "torch.DiskFile on <%s> [status: open -- mode  w]" % path
    f.close()
    assert str(f) == "torch.DiskFile on <%s> [status: closed -- mode  w]" % path
    assert open(path, "rb").read() == b"1 2\n340.50.25\n"
    assert torch.DiskFile.isLittleEndianCPU() is (np.little_endian is True)
    assert torch.DiskFile.isBigEndianCPU() is (np.little_endian is False)
    path = str(tmp_path / "e.bin")
    f = torch.DiskFile(path, "w").binary()
    f.bigEndianEncoding().writeInt(1)
    f.littleEndianEncoding().writeShort(2)
    f.nativeEndianEncoding().writeInt(3)
    f.longSize(4).writeLong(-2)
    f.close()
    assert open(path, "rb").read() == (b"\x00\x00\x00\x01" + b"\x02\x00" + struct.pack("=i", 3)
                                       + struct.pack("<i", -2))
    r = torch.DiskFile(path, "r").binary()
    assert r.bigEndianEncoding().readInt() == 1
    assert r.littleEndianEncoding().readShort() == 2
    assert r.nativeEndianEncoding().readInt() == 3
    assert r.longSize(4).readLong() == -2
    with pytest.raises(ValueError):
        r.longSize(2)
    r.close()
    m = torch.MemoryFile("w")
    assert str(m) == "torch.MemoryFile [status: open -- mode:  w]"
    assert isinstance(m, torch.File)
    with pytest.raises(torch.TorchError, match="no constructor available"):  # luaT_cmt__call
        torch.File(True, True)
    p = torch.PipeFile("true", "r")
    assert isinstance(p, torch.DiskFile) and not hasattr(p, "storage")
    assert str(p) == "torch.PipeFile on <true> [status: open -- mode: r ]"
    p.close()


LUA_LAYER = """
require 'nn'
local MyLayer, parent = torch.class('nn.A5Layer', 'nn.Module')
function MyLayer:__init(k)
   parent.__init(self)
   self.k = k
   self.weight = torch.Tensor(3):fill(k)
end
function MyLayer:updateOutput(input)
   self.output:resizeAs(input):copy(input):cmul(self.weight):add(%s)
   return self.output
end
"""


def test_lua_class_module_saved_from_lua_loads_in_a_new_runtime(tmp_path):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    path = str(tmp_path / "m.t7")
    rt1 = LuaRuntime()
    rt1.execute(LUA_LAYER % 0)
    rt1.execute("""local m = nn.Sequential():add(nn.Linear(3, 3)):add(nn.A5Layer(2))
                   m:get(1).weight:fill(1); m:get(1).bias:zero()
                   m:get(2).shared = m:get(1).weight
                   torch.save('%s', m)""" % path)
    # the new runtime's definition is the one used (its updateOutput adds 100)
    rt2 = LuaRuntime()
    rt2.execute(LUA_LAYER % 100)
    r = rt2.execute("""local m = torch.load('%s')
        local y = m:forward(torch.Tensor({1, 2, 3}))
        return torch.type(m:get(2)), m:get(2).k, y[1], y[3],
               torch.pointer(m:get(2).shared:storage()) == torch.pointer(m:get(1).weight:storage())
        """ % path)
    assert r == ("nn.A5Layer", 2, 6 * 2 + 100, 6 * 2 + 100, True)
    # a fresh Python process that does not define the class: an error that names it, or its
    # fields on request
    import subprocess
    import sys
    code = ("import torch7py as torch, pytest\n"
            "from torch7py.serialization import SerializationError, TorchObject\n"
            "with pytest.raises(SerializationError, match='nn.A5Layer'):\n"
            "    torch.load(%r, unknown_classes='error')\n"
            "m = torch.load(%r, unknown_classes='table')\n"
            "layer = m.modules[1]\n"
            "assert isinstance(layer, TorchObject) and torch.typename(layer) == 'nn.A5Layer'\n"
            "assert layer['k'] == 2\n"
            "assert layer['shared'].storage() is m.modules[0].weight.storage()\n" % (path, path))
    subprocess.run([sys.executable, "-c", code], check=True)


def _sharing_signature(root):
    """Each path of an object graph, with the first path that reached the same object/storage."""
    first, out = {}, []

    def walk(v, path):
        if isinstance(v, TensorBase):
            st = v.storage()
            out.append((path, first.setdefault(("t", id(v)), path),
                        None if st is None else first.setdefault(("s", id(st)), path + ".s"),
                        v._offset, tuple(v._size)))
            return
        if isinstance(v, (list, dict)) or hasattr(v, "__dict__"):
            seen = ("o", id(v)) in first
            out.append((path, first.setdefault(("o", id(v)), path)))
            if seen:
                return
            items = (enumerate(v) if isinstance(v, list) else
                     (v.items() if isinstance(v, dict) else vars(v).items()))
            for k, x in sorted(items, key=lambda kv: str(kv[0])):
                walk(x, "%s.%s" % (path, k))

    walk(root, "")
    return out


def test_clone_sharing_matches_a_serialization_round_trip():
    # Torch7's clone is writeObject + readObject on a MemoryFile: the same sharing must come back
    from torch7py import nn
    a = nn.Linear(3, 2)
    b = nn.Linear(3, 2)
    b.share(a, "weight", "bias")
    m = nn.Sequential().add(a).add(b).add(nn.Tanh())
    m.modules.append(m.modules[2])          # one module twice
    m.view = a.weight.narrow(2, 2, 2)       # a view into a shared storage
    m.cycle = {"name": "c"}
    m.cycle["self"] = m.cycle               # a table that contains itself
    for mode in ("binary", "ascii"):
        assert _sharing_signature(m.clone()) == _sharing_signature(
            S.deserialize(S.serialize(m, mode), mode))
    c = m.clone()
    assert c.modules[1].weight.storage() is c.modules[0].weight.storage() \
        and c.modules[0].weight.storage() is not a.weight.storage()


def test_live_function_hook_writes_file_lua_layout():
    # the Lua layer's functions provide string.dump's bytecode and File.lua's upvalue list
    class Live:
        def _t7_function(self, env=None):
            return "\x1bLJcode", [{"name": "k", "value": 3}]

    fn = Live()
    data = S.serialize([fn, fn])
    ups = (struct.pack("<iii", 3, 3, 1) + struct.pack("<id", 1, 1)          # {[1] = {...}}
           + struct.pack("<iii", 3, 4, 2)                                   # {name=, value=}
           + struct.pack("<ii", 2, 4) + b"name" + struct.pack("<ii", 2, 1) + b"k"
           + struct.pack("<ii", 2, 5) + b"value" + struct.pack("<id", 1, 3))
    body = struct.pack("<iii", 8, 2, 7) + b"\x1bLJcode" + ups
    assert data == (struct.pack("<iii", 3, 1, 2) + struct.pack("<id", 1, 1) + body
                    + struct.pack("<id", 1, 2) + struct.pack("<ii", 8, 2))
    a, b = S.deserialize(data, allow_functions=True)
    assert a is b and a.bytecode == b"\x1bLJcode" and a.upvalues == [{"name": "k", "value": 3}]


def test_a_quiet_diskfile_that_cannot_open_is_nil(tmp_path):
    # DiskFile.c: THDiskFile_new returns NULL when quiet, and luaT_pushudata pushes nil
    assert torch.DiskFile(str(tmp_path / "missing" / "x.t7"), "r", True) is None
    assert torch.DiskFile(str(tmp_path / "missing" / "x.t7"), "w", True) is None
    f = torch.DiskFile(str(tmp_path / "x.t7"), "w", True)
    f.writeInt(7)
    f.close()
    f = torch.DiskFile(str(tmp_path / "x.t7"), "r", True)
    assert f.isQuiet() and f.readInt() == 7
    f.close()
    with pytest.raises(torch.SerializationError, match="cannot open"):
        torch.DiskFile(str(tmp_path / "missing" / "x.t7"), "r")


def _pipe_bufsize():
    # glibc gives a FILE on a pipe st_blksize bytes of buffer when that is below BUFSIZ (8192)
    r, w = os.pipe()
    try:
        bs = os.fstat(w).st_blksize
    finally:
        os.close(r)
        os.close(w)
    return bs if 0 < bs < 8192 else 8192


def _read_exactly(fd, n):
    out = b""
    while len(out) < n:
        chunk = os.read(fd, n - len(out))
        assert chunk, "the command's output ended early"
        out += chunk
    return out


def test_pipe_file_write_goes_through_stdio_buffer(tmp_path):
    # popen(cmd, "w"): the command runs from the start; a write that overflows the buffer sends
    # the full buffer and the whole buffers of the rest, synchronize() flushes, close() waits.
    # The command copies into a FIFO that the test reads (blocking reads: no timing involved)
    import fcntl
    fifo = str(tmp_path / "fifo")
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    hold = os.open(fifo, os.O_WRONLY)  # no EOF before the command has opened the FIFO
    try:
        bs = _pipe_bufsize()
        w = torch.PipeFile("cat > '%s'" % fifo, "w")
        w.binary()
        w.writeString("hello")
        fcntl.fcntl(fd, fcntl.F_SETFL, 0)  # blocking from here
        w.synchronize()
        assert _read_exactly(fd, 5) == b"hello"
        w.writeString("x" * (2 * bs + 100))
        # bs bytes filled the buffer, then one whole buffer went straight out: 100 are kept
        assert _read_exactly(fd, 2 * bs) == b"x" * (2 * bs)
        fcntl.fcntl(fd, fcntl.F_SETFL, os.O_NONBLOCK)
        with pytest.raises(BlockingIOError):
            os.read(fd, 1)
        fcntl.fcntl(fd, fcntl.F_SETFL, 0)
        with pytest.raises(SerializationError, match="unable to obtain disk file offset"):
            w.position()
        with pytest.raises(SerializationError, match="unable to seek at end of file"):
            w.seekEnd()
        w.close()
        assert _read_exactly(fd, 100) == b"x" * 100
        os.close(hold)
        hold = None
        assert os.read(fd, 1) == b""  # the command has ended: close waited for it
    finally:
        os.close(fd)
        if hold is not None:
            os.close(hold)


def test_disk_file_synchronize_flushes(tmp_path):
    path = tmp_path / "f.txt"
    f = torch.DiskFile(str(path), "w")
    f.writeString("abc")
    f.synchronize()
    assert path.read_bytes() == b"abc"  # fflush: another reader sees it before close
    f.noBuffer()
    f.writeString("de")
    assert path.read_bytes() == b"abcde"
    f.close()
