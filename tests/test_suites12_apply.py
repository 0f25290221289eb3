"""Tensor:apply/map/map2 as Torch7 under LuaJIT runs them: FFInterface.lua's Lua functions check
map's sources (checkArgument / checkArgumentType, named 'map'), then loop over contiguous
tensors in Lua (`res = func(x)`; `if res then` an ffi store, which rejects what is no number;
assert's 'size mismatch'), and hand the other tensors to Tensor.c over TH_TENSOR_APPLY/2/3:
luaL_checktype of the function, the element counts, lua_isnumber's results stored. Both walk
every tensor in its own row-major order, all in step, an element read when its turn comes and a
result stored at once, so a source sharing memory with the result sees the stores made before
it (also when the source is not contiguous). Expectations: the sequential loop written out in
numpy, values worked out by hand, and the texts of FFInterface.lua, Tensor.c and LuaJIT."""
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


def test_results_stored_by_ffi_on_contiguous_tensors_by_tensor_c_on_others(rt):
    out = rt.execute("""
        local function walk(t)
           local i = 0
           t:apply(function() i = i + 1; return ({2.9, false, -2.9, nil, 7})[i] end)
           return t
        end
        local l = walk(torch.LongTensor(5):fill(1))            -- contiguous: FFInterface
        local c = torch.LongTensor(3, 2):fill(1):select(2, 1)  -- stride 2: Tensor.c
        local i = 0
        c:apply(function() i = i + 1; return ({'12', 2.9, nil})[i] end)
        return l, c
    """)
    assert out[0].numpy().tolist() == [2, 1, -2, 1, 7]  # false and nil leave the element
    assert out[1].numpy().tolist() == [12, 2, 1]        # a numeric string is lua_isnumber
    from compat.runtime import LuaError
    for bad, kind in (("'3'", "string"), ("{}", "table")):
        with pytest.raises(LuaError, match="cannot convert '%s' to 'double'" % kind):
            rt.execute("torch.zeros(2):apply(function() return %s end)" % bad)
    for bad in ("true", "false", "{}"):
        with pytest.raises(LuaError, match="given function should return a number or nil"):
            rt.execute("torch.zeros(2, 2):t():apply(function() return %s end)" % bad)
    # LuaJIT's FFI converts a boolean: the original Torch7 stored true as 1 (no error)
    assert rt.execute("return torch.zeros(2):apply(function() return true end)"
                      ).numpy().tolist() == [1, 1]
    with pytest.raises(LuaError, match="cannot convert 'table' to 'unsigned char'"):
        rt.execute("torch.ByteTensor(2):apply(function() return {} end)")


@pytest.mark.parametrize("code, text", [
    ("local x = torch.zeros(2); x:apply(nil)", "attempt to call local 'func' (a nil value)"),
    ("local x = torch.zeros(2); x:apply({})", "attempt to call local 'func' (a table value)"),
    # (FFInterface's wrapper tail-calls Tensor.c's: LuaJIT names it after the call site, a
    # method call; the reference Torch7's texts)
    ("local x = torch.zeros(2, 3):t(); x:apply()", "bad argument #1 to 'apply' (function "
     "expected, got nil)"),
    ("local x = torch.zeros(2, 3):t(); x:map(torch.zeros(6))", "bad argument #2 to 'map' "
     "(function expected, got nil)"),
    ("local x = torch.zeros(2, 3):t(); x:map2(x, x, 1)", "bad argument #3 to 'map2' "
     "(function expected, got number)"),
    ("local x = torch.zeros(2); x:map(3, print)", "bad argument #1 to 'map' (tensor expected)"),
    ("local x = torch.zeros(2); x:map(torch.FloatTensor(2), print)",
     "bad argument #1 to 'map' (torch.DoubleTensor expected, got torch.FloatTensor)"),
    ("local x = torch.LongTensor(2); x:map2(torch.LongTensor(2), torch.IntTensor(2), print)",
     "bad argument #2 to 'map' (torch.LongTensor expected, got torch.IntTensor)"),
    ("local x = torch.zeros(2, 2); x:map(torch.zeros(3), print)", "size mismatch"),
    ("local x = torch.zeros(2, 2):t(); x:map(torch.zeros(3), print)",
     "inconsistent tensor size, expected tensor [2 x 2] and src [3] to have the same number of "
     "elements, but got 4 and 3 elements respectively"),
    ("local x = torch.zeros(2, 1):expand(2, 2); x:map2(x, torch.zeros(1, 3), print)",
     "inconsistent tensor size, expected tensor [2 x 2], src1 [2 x 2] and src2 [1 x 3] to have "
     "the same number of elements, but got 4, 4 and 3 elements respectively"),
])
def test_checks_come_before_the_loop(rt, code, text):
    from compat.runtime import LuaError
    with pytest.raises(LuaError) as e:
        rt.execute(code)
    assert text in str(e.value)


def test_an_empty_contiguous_tensor_never_calls_its_function(rt):
    # FFInterface's loop runs nElement() times: no call, no error, the tensor returned
    assert rt.execute("local x = torch.zeros(0); return x:apply() == x and "
                      "x:map(torch.zeros(0)) == x")


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
        torch.zeros(2, 2).t().apply(None)
    with pytest.raises(TypeError, match="cannot convert 'string' to 'float'"):
        torch.FloatTensor(2).apply(lambda v: "1")


def test_half_tensors_have_no_apply_map_map2(rt):
    # generic/Tensor.c registers them #ifndef TH_REAL_IS_HALF; FFInterface skips HalfTensor
    from compat.runtime import LuaError
    for call in ("h:apply(print)", "h:map(h, print)", "h:map2(h, h, print)"):
        with pytest.raises(LuaError, match="attempt to call method '%s' \\(a nil value\\)"
                           % call[2:call.index("(")]):
            rt.execute("local h = torch.HalfTensor(2); " + call)
    assert torch.HalfTensor.apply is None and torch.HalfTensor.map2 is None
    n = rt.execute("local n = 0; for k in pairs(torch.getmetatable('torch.HalfTensor')) do "
                   "if k == 'apply' or k == 'map' or k == 'map2' then n = n + 1 end end; "
                   "return n")
    assert n == 0
