"""torch.HalfTensor / torch.HalfStorage: Torch7's CPU half (float16 storage, copies and
conversions, file I/O in both formats as THFile writes it, printing)."""
import struct

import numpy as np
import pytest

import torch7py as torch


def test_half_storage_is_float16_rounded_through_float():
    vals = [1.0, 0.1, 65504.0, 1e-8, -2.5, 1 / 3]
    s = torch.HalfStorage(vals)
    assert s.elementSize() == 2 and torch.HalfTensor().elementSize() == 2
    # TH_float2half from the float value (a double is first cast to float)
    expected = [float(np.float16(np.float32(v))) for v in vals]
    assert list(s) == expected
    assert s.typename == "torch.HalfStorage" and torch.isStorage(s)


def test_half_conversions_and_real():
    x = torch.DoubleTensor([[1.5, -2.25, 0.1], [3.0, 1e5, 7.0]])
    h = x.half()
    assert h.typename == "torch.HalfTensor" and h.size().totable() == [2, 3]
    with np.errstate(over="ignore"):
        want = x.numpy().astype(np.float32).astype(np.float16)
    np.testing.assert_array_equal(h.numpy(), want)
    assert np.isinf(h.numpy()[1, 1])  # 1e5 overflows half
    r = h.real()
    assert r.typename == torch.getdefaulttensortype()
    assert r.numpy()[0, 2] == float(np.float16(0.1))
    torch.setdefaulttensortype("torch.FloatTensor")
    try:
        assert h.real().typename == "torch.FloatTensor"
    finally:
        torch.setdefaulttensortype("torch.DoubleTensor")
    y = torch.HalfTensor(2, 3).copy(x)
    np.testing.assert_array_equal(y.numpy(), h.numpy())
    assert torch.FloatTensor(2, 3).copy(h).numpy()[0, 0] == 1.5


def test_half_views_and_clone():
    h = torch.randn(5, 6).half()
    assert h.isContiguous() and h.stride().totable() == [6, 1]
    assert not h.t().isContiguous()
    n = h.narrow(1, 2, 3)
    np.testing.assert_array_equal(n.numpy(), h.numpy()[1:4])
    c = h.clone()
    h.select(1, 1).copy(torch.zeros(6))
    assert c.numpy()[0].any() or not h.numpy()[0].any()
    assert torch.Tensor.isTensor(h) and torch.isTensor(h)


def _binary(obj):
    f = torch.MemoryFile("rw").binary()
    f.writeObject(obj)
    return f


def test_half_storage_binary_layout_and_round_trip():
    s = torch.HalfStorage([1.0, -0.5, 3.25])
    f = _binary(s)
    data = f.storage().string().encode("utf-8", "surrogateescape")
    # TYPE_TORCH, index, "V 1", class name, size (long), then the raw 2-byte halves
    name = b"torch.HalfStorage"
    head = struct.pack("<ii", 4, 1) + struct.pack("<i", 3) + b"V 1" + \
        struct.pack("<i", len(name)) + name + struct.pack("<q", 3)
    expected = head + np.array([1.0, -0.5, 3.25], np.float16).tobytes()
    assert data[:len(expected)] == expected and data[len(expected):] == b"\0"  # MemoryFile's NUL
    f.seek(1)
    back = f.readObject()
    assert back.typename == "torch.HalfStorage" and list(back) == [1.0, -0.5, 3.25]


def test_half_tensor_ascii_writes_floats_as_9g():
    h = torch.DoubleTensor([0.1, 2.0]).half()
    f = torch.MemoryFile("rw").ascii()
    f.writeObject(h)
    text = f.storage().string()
    v = float(np.float16(np.float32(0.1)))
    assert ("%.9g 2" % v) in text
    f.seek(1)
    back = f.readObject()
    assert back.typename == "torch.HalfTensor"
    np.testing.assert_array_equal(back.numpy(), h.numpy())


def test_half_file_methods():
    f = torch.MemoryFile("rw").binary()
    f.writeHalf(torch.HalfStorage([1.5, 2.5]))
    f.writeHalf(0.25)
    f.seek(1)
    assert list(f.readHalf(2)) == [1.5, 2.5] and f.readHalf() == 0.25


def test_half_printing():
    h = torch.DoubleTensor([1.0, 2.5]).half()
    assert str(h).splitlines()[-1] == "[torch.HalfTensor of size 2]"
    assert "2.5000" in str(h)


def test_half_from_lua_surface():
    lupa = pytest.importorskip("lupa")  # noqa: F841
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    r = rt.execute("""
        local mt = torch.getmetatable(torch.Tensor():type())
        local h = mt.half(torch.ones(2, 2))
        local r = mt.real(h)
        return torch.type(h), torch.type(r), torch.Tensor.isTensor(h), h:totable()[2][1]
    """)
    assert r == ("torch.HalfTensor", "torch.DoubleTensor", True, 1)
