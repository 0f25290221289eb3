"""Tensor:apply/map/map2 as Tensor.c runs them over TH_TENSOR_APPLY/APPLY2/APPLY3: every tensor
walked in its own row-major order, all in step; an element is read when its turn comes and a
result stored at once, so a source that shares memory with the result sees the stores made
before it (also when the source is not contiguous); the checks come first (luaT_checkudata of
the sources, luaL_checktype of the function, the element counts), even on empty tensors.
Expectations: the sequential loop written out in numpy, or values worked out by hand."""
import numpy as np
import pytest

import torch7py as torch

pytest.importorskip("lupa")


@pytest.fixture(scope="module")
def rt():
    from compat.runtime import LuaRuntime
    return LuaRuntime()


def _seq_map(dst, srcs, f):
    """The C loop over flat views of one buffer: dst and srcs are index arrays into it."""
    def run(buf):
        for k in range(len(dst)):
            r = f(buf[dst[k]], *[buf[s[k]] for s in srcs])
            if r is not None:
                buf[dst[k]] = r
        return buf
    return run


def test_map_over_an_overlapping_strided_source_sees_each_store(rt):
    got = rt.execute("""
        local x = torch.range(1, 12):view(6, 2)
        local col = x:select(2, 1)                      -- stride 2
        col:narrow(1, 2, 5):map(col:narrow(1, 1, 5), function(a, b) return b * 2 + a end)
        return x
    """).numpy()
    buf = np.arange(1.0, 13.0)
    col = np.arange(0, 12, 2)
    want = _seq_map(col[1:], [col[:5]], lambda a, b: b * 2 + a)(buf.copy()).reshape(6, 2)
    np.testing.assert_array_equal(got, want)
    assert got[5, 0] != 2 * 9 + 11  # a copy of the source would give this


def test_map2_sources_overlapping_the_result_in_other_shapes(rt):
    got = rt.execute("""
        local s = torch.range(1, 8)
        local dst = s:narrow(1, 3, 6):view(2, 3)          -- elements 3..8
        local a = s:narrow(1, 2, 6):view(3, 2)            -- 2..7, a 3x2 view
        local b = s:narrow(1, 1, 6)                       -- 1..6
        dst:map2(a, b, function(x, y, z) return x + y * z end)
        return s
    """).numpy()
    want = _seq_map(np.arange(2, 8), [np.arange(1, 7), np.arange(0, 6)],
                    lambda x, y, z: x + y * z)(np.arange(1.0, 9.0))
    np.testing.assert_array_equal(got, want)


def test_sources_walk_their_own_row_major_order(rt):
    got = rt.execute("""
        local y = torch.zeros(2, 3)
        local src = torch.range(1, 6):view(2, 3):t()    -- 3x2, not contiguous
        local seen = {}
        y:map(src, function(a, b) seen[#seen + 1] = b; return b end)
        return y, seen
    """)
    y, seen = got
    order = np.arange(1.0, 7.0).reshape(2, 3).T.reshape(-1)  # 1 4 2 5 3 6
    assert seen == order.tolist()
    np.testing.assert_array_equal(y.numpy(), order.reshape(2, 3))


def test_apply_on_an_expanded_tensor_reads_its_own_stores(rt):
    v = rt.execute("""
        local base = torch.zeros(1)
        base:expand(4):apply(function(v) return v + 1 end)
        local m = torch.zeros(2, 1)
        m:expand(2, 3):apply(function(v) return v * 2 + 1 end)
        return base[1], m
    """)
    assert v[0] == 4  # four visits of one element
    np.testing.assert_array_equal(v[1].numpy(), [[7], [7]])  # 0 -> 1 -> 3 -> 7 per row


def test_results_are_lua_isnumber_values_cast_to_the_type(rt):
    out = rt.execute("""
        local l = torch.LongTensor(3):zero()
        local i = 0
        l:apply(function() i = i + 1; return ({'12', 2.9, -2.9})[i] end)
        return l
    """)
    assert out.numpy().tolist() == [12, 2, -2]  # (long) of a double truncates
    from compat.runtime import LuaError
    for bad in ("true", "{}", "function() end"):
        with pytest.raises(LuaError, match="given function should return a number or nil"):
            rt.execute("torch.zeros(2):apply(function() return %s end)" % bad)


@pytest.mark.parametrize("code, text", [
    ("local x = torch.zeros(0); x:apply()", "function expected, got no value"),
    ("local x = torch.zeros(2); x:apply(nil)", "function expected, got nil"),
    ("local x = torch.zeros(2); x:apply({})", "function expected, got table"),
    ("local x = torch.zeros(0); x:map(torch.zeros(0))", "function expected, got no value"),
    ("local x = torch.zeros(2); x:map(torch.FloatTensor(2), print)",
     "torch.DoubleTensor expected, got torch.FloatTensor"),
    ("local x = torch.LongTensor(2); x:map2(torch.LongTensor(2), torch.IntTensor(2), print)",
     "torch.LongTensor expected, got torch.IntTensor"),
    ("local x = torch.zeros(2, 2); x:map(torch.zeros(3), print)",
     "inconsistent tensor size, expected tensor [2 x 2] and src [3] to have the same number of "
     "elements, but got 4 and 3 elements respectively"),
    ("local x = torch.zeros(2); x:map2(torch.zeros(2), torch.zeros(1, 3), print)",
     "inconsistent tensor size, expected tensor [2], src1 [2] and src2 [1 x 3] to have the same "
     "number of elements, but got 2, 2 and 3 elements respectively"),
])
def test_checks_come_before_the_loop(rt, code, text):
    from compat.runtime import LuaError
    with pytest.raises(LuaError) as e:
        rt.execute(code)
    assert text in str(e.value)


def test_python_callables_loop_the_same_way():
    s = torch.range(1, 8)
    dst = s.narrow(1, 3, 6).view(2, 3)
    a = s.narrow(1, 2, 6).view(3, 2)
    b = s.narrow(1, 1, 6)
    dst.map2(a, b, lambda x, y, z: x + y * z)
    want = _seq_map(np.arange(2, 8), [np.arange(1, 7), np.arange(0, 6)],
                    lambda x, y, z: x + y * z)(np.arange(1.0, 9.0))
    np.testing.assert_array_equal(s.numpy(), want)
    x = torch.range(1, 12).view(6, 2)
    col = x.select(2, 1)
    col.narrow(1, 2, 5).map(col.narrow(1, 1, 5), lambda p, q: q)
    assert x.numpy()[:, 0].tolist() == [1.0] * 6
    with pytest.raises(TypeError, match="function expected, got nil"):
        torch.zeros(0).apply(None)
