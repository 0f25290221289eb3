"""TensorMath as a Lua script sees it: every cwrap declaration called from Lua (results counted,
typed and matched to the arguments they return), the methods each tensor type has, and
generic/Tensor.c's methods that have no TensorMath entry (retain, free, read, write)."""
import os
import struct
import sys

import pytest
from luatest import cwrap_checkouts, lua_error, trepl_runtime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_every_declared_call_from_lua():
    t7, cw = cwrap_checkouts()
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    try:
        import diff_cwrap
    finally:
        sys.path.pop(0)
    stats, problems = diff_cwrap.check_lua(t7, cw)
    assert stats["entries"] > 1300 and stats["results_checked"] > 5000
    assert stats["presence_checked"] > 1500
    assert not problems, "\n".join("%s: %s: %s" % p for p in problems[:20])


@pytest.fixture(scope="module")
def rt():
    pytest.importorskip("lupa")
    return trepl_runtime("")


def test_float_only_random_methods_are_nil_on_other_types(rt):
    for ty in ("Byte", "Char", "Short", "Int", "Long"):
        for name in ("uniform", "normal", "exponential", "cauchy", "logNormal", "rand",
                     "randn"):
            assert rt.execute("return torch.%sTensor(2).%s == nil" % (ty, name)) is True
        for name in ("random", "geometric", "bernoulli"):
            assert rt.execute("return torch.%sTensor(2).%s ~= nil" % (ty, name)) is True
    assert lua_error(rt, "torch.IntTensor(2):uniform()") == \
        "attempt to call method 'uniform' (a nil value)"
    assert rt.execute("local t = torch.FloatTensor(3):uniform(2, 2) return t[1], t[3]") == (2, 2)


def test_retain_and_free_return_nothing(rt):
    assert rt.execute("local t = torch.LongTensor(2) return select('#', t:retain()), "
                      "select('#', t:free()), torch.typename(t)") == (0, 0, "torch.LongTensor")


def test_tostring_method_is_tostring(rt):
    assert rt.execute("local t = torch.range(1, 3) return t:__tostring__() == tostring(t)")
    assert rt.execute("return torch.IntTensor():__tostring__()") == \
        "[torch.IntTensor with no dimension]\n"


def _obj_header(index, cls):
    # File.lua's writeObject of a torch class: TYPE_TORCH (4), the index, "V 1", the class
    ver = b"V 1"
    return (struct.pack("<ii", 4, index) + struct.pack("<i", len(ver)) + ver
            + struct.pack("<i", len(cls)) + cls.encode())


def test_write_is_tensor_c_layout(rt):
    # a 2x2 view at offset 2 of a 6-element storage, strides (1, 2): transposed
    data = rt.execute("""
      local s = torch.DoubleStorage({1, 2, 3, 4, 5, 6})
      local t = torch.DoubleTensor(s, 2, 2, 1, 2, 2)
      local f = torch.MemoryFile():binary()
      local n = select('#', t:write(f))
      return n, f:storage():string()""")
    n, b = data
    assert n == 0
    want = (struct.pack("<i", 2) + struct.pack("<qq", 2, 2) + struct.pack("<qq", 1, 2)
            + struct.pack("<q", 2) + _obj_header(1, "torch.DoubleStorage")
            + struct.pack("<q", 6) + struct.pack("<6d", 1, 2, 3, 4, 5, 6))
    raw = b.encode("utf-8", "surrogateescape")
    assert raw.rstrip(b"\0") == want


def test_read_sets_the_fields_unchecked(rt):
    got = rt.execute("""
      local s = torch.FloatStorage({1, 2, 3, 4, 5, 6})
      local f = torch.MemoryFile():binary()
      torch.FloatTensor(s, 2, 2, 1, 2, 2):write(f)
      f:seek(1)
      local t = torch.FloatTensor(9)
      local n = select('#', t:read(f))
      return n, t:size(1), t:size(2), t:stride(1), t:stride(2), t:storageOffset(),
             t[1][2], t[2][1], torch.pointer(t:storage()) ~= 0""")
    assert got == (0, 2, 2, 1, 2, 2, 4, 3, True)
    # a storage of another type: luaT_toudata gives none
    assert rt.execute("""
      local f = torch.MemoryFile():binary()
      torch.DoubleTensor(3):write(f)
      f:seek(1)
      local t = torch.FloatTensor(2)
      t:read(f)
      return t:storage() == nil, t:dim()""") == (True, 1)
    assert lua_error(rt, "torch.FloatTensor(2):write(3)") == \
        "bad argument #1 to 'write' (torch.File expected, got userdata)"


def test_storage_write_read_retain_free(rt):
    # Storage.c: write is the size (a long) then the raw elements; read resizes; retain, free,
    # write and read return nothing
    n, b = rt.execute("""
      local s = torch.ShortStorage({1, -2, 3})
      local f = torch.MemoryFile():binary()
      return select('#', s:write(f)) + select('#', s:retain()) + select('#', s:free()),
             f:storage():string()""")
    assert n == 0
    raw = b.encode("utf-8", "surrogateescape")
    want = struct.pack("<q3h", 3, 1, -2, 3)
    assert raw[:len(want)] == want and not raw[len(want):].strip(b"\0")
    got = rt.execute("""
      local f = torch.MemoryFile():binary()
      torch.FloatStorage({1.5, 2, 3}):write(f)
      f:seek(1)
      local r = torch.FloatStorage(7)
      local n = select('#', r:read(f))
      return n, r:size(), r[1], r[3]""")
    assert got == (0, 3, 1.5, 3)
