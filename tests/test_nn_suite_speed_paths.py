"""The fast paths that keep nn's test.lua cheap give the values of the straightforward ones:
the linear upsampling backward on a sparse gradOutput (a Jacobian check's one-hot rows) against
THNN's loops written out, bit for bit; Tensor:clone and index tables against numpy; the Lua
Tester's tensor comparison (one bridge call) against numpy's max difference."""
import itertools

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def _t(a):
    t = torch.DoubleTensor(*a.shape) if a.dtype == np.float64 else torch.FloatTensor(*a.shape)
    t.numpy()[...] = a
    return t


def _thnn_linear_map(isize, osize, dtype):
    """THNN's source index and lambdas of each output row (float ratio and position)."""
    r = np.float32(np.float32(isize - 1) / np.float32(osize - 1)) if osize > 1 else np.float32(0)
    rows = []
    for o in range(osize):
        pos = np.float32(r * np.float32(o))
        i0 = int(pos)
        step = 1 if i0 < isize - 1 else 0
        l1 = dtype.type(pos - np.float32(i0))
        rows.append((i0, i0 + step, dtype.type(dtype.type(1) - l1), l1))
    return rows


def _thnn_backward(go, S):
    """VolumetricUpSamplingTrilinear / SpatialUpSamplingBilinear's backward as THNN loops it:
    per plane, per output position, per corner, gradInput[corner] += lambda * gradOutput, in
    double (what the port accumulates in) from a +0 start."""
    nd = len(S)
    lead = go.shape[:-nd]
    out = go.shape[-nd:]
    maps = [_thnn_linear_map(S[d], out[d], go.dtype) for d in range(nd)]
    gi = np.zeros(lead + tuple(S), dtype=np.float64)
    for p in itertools.product(*[range(n) for n in lead]):
        for o in itertools.product(*[range(n) for n in out]):
            g = go[p + o]
            for bits in itertools.product((0, 1), repeat=nd):
                idx, w = [], go.dtype.type(1)
                for d, b in enumerate(bits):
                    i0, i1, l0, l1 = maps[d][o[d]]
                    idx.append(i1 if b else i0)
                    w = go.dtype.type(w * (l1 if b else l0))
                gi[p + tuple(idx)] += float(go.dtype.type(w * g))
    return gi.astype(go.dtype)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # inf * 0 in THNN's products too
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(1, 2, 2, 3), (2, 1, 3, 2, 2)])
def test_linear_upsampling_backward_of_one_hot_rows_is_thnn_loop(dtype, shape):
    rng = np.random.default_rng(len(shape))
    m = nn.UpSampling(3, 'linear')
    if dtype == np.float32:
        m.float()
    x = _t(rng.standard_normal(shape).astype(dtype))
    y = m.forward(x)
    n = y.nElement()
    for trial in range(12):
        go = np.zeros(y.numpy().shape, dtype=dtype)
        k = 1 + trial % 3
        pos = rng.integers(0, n, k)
        go.reshape(-1)[pos] = rng.standard_normal(k) * 10.0 ** rng.integers(-30, 30, k)
        if trial == 4:
            go.reshape(-1)[pos[0]] = -0.0
        if trial == 7:
            go.reshape(-1)[pos[0]] = np.inf
        gi = m.updateGradInput(x, _t(go)).numpy()
        want = _thnn_backward(go, shape[2:])
        assert gi.tobytes() == want.tobytes() or \
            np.array_equal(gi, want, equal_nan=True) and \
            np.array_equal(np.signbit(gi), np.signbit(want))


def test_linear_upsampling_backward_dense_gradient_is_thnn_loop():
    rng = np.random.default_rng(3)
    m = nn.UpSampling(2, 'linear')
    x = _t(rng.standard_normal((2, 1, 2, 3, 2)))
    y = m.forward(x)
    go = rng.standard_normal(y.numpy().shape)
    gi = m.updateGradInput(x, _t(go)).numpy()
    np.testing.assert_array_equal(gi, _thnn_backward(go, (2, 3, 2)))


@pytest.mark.parametrize("cls", [torch.DoubleTensor, torch.FloatTensor, torch.LongTensor,
                                 torch.ByteTensor])
def test_clone_is_a_contiguous_copy_on_a_new_storage(cls):
    base = cls(3, 4, 5)
    base.numpy()[...] = np.arange(60).reshape(3, 4, 5) % 17
    for view in (base, base.transpose(1, 3), base[[2, 3], [], [2, 4]], base.select(2, 3),
                 base.narrow(3, 2, 1), cls(2).fill(3).view(2, 1).expand(2, 5)):
        c = view.clone()
        assert type(c) is cls
        assert c.storage() is not view.storage()
        assert c.storage().size() == view.nElement()
        assert c.isContiguous() and c.storageOffset() == 1
        assert c.size().tolist() == view.size().tolist()
        np.testing.assert_array_equal(c.numpy(), view.numpy())
    e = cls().clone()
    assert e.dim() == 0 and e.storage() is None


def test_index_table_of_only_empty_ranges_is_the_tensor_itself():
    t = torch.zeros(2, 3)
    assert t[[], []] is t
    v = t[[], [1, 3]]
    assert v is not t and v.storage() is t.storage()
    assert t[(2, 3)] == 0.0


def _lua_diff(rt, a, b, ignore):
    """Tester:assertTensorEq(a, b, 1e-300) in Lua: (its result, the failure's message)."""
    rt.globals.A, rt.globals.B, rt.globals.IGNORE = rt.to_lua(a), rt.to_lua(b), ignore
    return rt.execute("""
        local T = torch.Tester()
        T._currentTestName = 'x'
        T.assertionPass, T.assertionFail = {x = 0}, {x = 0}
        T._assertTensorEqIgnoresDims = IGNORE
        T._warning = function() end
        local ok = T:assertTensorEq(A, B, 1e-300)
        return ok, T.errors[1]
    """)


@pytest.mark.parametrize("cls", [torch.DoubleTensor, torch.FloatTensor, torch.LongTensor,
                                 torch.IntTensor, torch.ByteTensor])
def test_lua_assert_tensor_eq_reports_numpys_max_difference(cls):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    rng = np.random.default_rng(5)
    a, b = cls(3, 4), cls(3, 4)
    a.numpy()[...] = rng.integers(0, 100, (3, 4))
    b.numpy()[...] = rng.integers(0, 100, (3, 4))
    if cls in (torch.DoubleTensor, torch.FloatTensor):
        a.numpy()[...] += rng.random((3, 4))
    want = np.max(np.abs(a.numpy().astype(np.float64) - b.numpy().astype(np.float64)))
    ok, err = _lua_diff(rt, a, b.transpose(1, 2).contiguous().transpose(1, 2), True)
    assert ok is False
    got = float(err.split('max diff=')[1].split(',')[0])
    assert got == pytest.approx(float(want), rel=1e-12)


def test_lua_assert_tensor_eq_forms_and_nan():
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    a = torch.DoubleTensor(2, 2).fill(1)
    ok, err = _lua_diff(rt, a, torch.FloatTensor(2, 2).fill(1), True)
    assert not ok and 'different types' in err
    ok, err = _lua_diff(rt, a, torch.DoubleTensor(4).fill(1), False)
    assert not ok and 'different dimensions' in err
    ok, _ = _lua_diff(rt, a, torch.DoubleTensor(4).fill(1), True)  # same content, {4} vs {2,2}
    assert ok is True
    ok, err = _lua_diff(rt, a, torch.DoubleTensor(3).fill(1), True)
    assert not ok and 'different sizes' in err
    ok, _ = _lua_diff(rt, torch.DoubleTensor(), torch.DoubleTensor(), True)
    assert ok is True
    b = a.clone()
    b[(1, 2)] = float('nan')
    ok, err = _lua_diff(rt, a, b, True)
    assert not ok and 'max diff=nan' in err


def test_volumetric_fractional_pool_is_thnn_window_loop():
    """The first maximum of each window in window order (THNN: val > maxVal), its 1-based plane
    index; ties and -0 included; the same starts twice (the cached index)."""
    from torch7py.nn.volumetric_fractional_max_pooling import fractional_pool
    rng = np.random.default_rng(2)
    for trial in range(30):
        P = int(rng.integers(1, 4))
        S = tuple(int(v) for v in rng.integers(4, 7, 3))
        pool = tuple(int(v) for v in rng.integers(2, 4, 3))
        out = tuple(int(v) for v in rng.integers(1, 4, 3))
        starts = [rng.integers(0, S[d] - pool[d] + 1, (P, out[d])) for d in range(3)]
        x = rng.integers(-2, 3, (P,) + S).astype(np.float64)
        x[x == 0] = -0.0 if trial % 2 else 0.0
        want_v = np.empty((P,) + out)
        want_i = np.empty((P,) + out, dtype=np.int64)
        for p in range(P):
            for o in itertools.product(*[range(n) for n in out]):
                best, at = None, None
                for k in itertools.product(*[range(n) for n in pool]):
                    pos = tuple(int(starts[d][p, o[d]]) + k[d] for d in range(3))
                    v = x[(p,) + pos]
                    if best is None or v > best:
                        best, at = v, np.ravel_multi_index(pos, S) + 1
                want_v[(p,) + o], want_i[(p,) + o] = best, at
        for _ in range(2):
            vals = np.empty((P,) + out)
            idx = np.empty((P,) + out, dtype=np.int64)
            fractional_pool(x, starts, pool, vals, idx)
            assert vals.tobytes() == want_v.tobytes()
            np.testing.assert_array_equal(idx, want_i)


def test_jacobian_max_difference_over_blocks_and_transposed_copy():
    from torch7py.nn import jacobian
    rng = np.random.default_rng(4)
    a = rng.standard_normal((300, 500))
    b = a + rng.standard_normal((300, 500)) * 1e-9
    b[299, 499] += 0.5  # in the last block
    ta, tb = jacobian._to_tensor(a.T), jacobian._to_tensor(b.T)
    assert ta.isContiguous() and ta.size().tolist() == [500, 300]
    np.testing.assert_array_equal(ta.numpy(), a.T)
    assert jacobian._maxabs(ta, tb) == np.max(np.abs(a - b))
    tb.numpy()[0, 0] = np.nan
    assert np.isnan(jacobian._maxabs(ta, tb))
    assert jacobian._maxabs(torch.DoubleTensor(), torch.DoubleTensor()) == 0.0


@pytest.mark.parametrize("ceil", [False, True])
def test_volumetric_dilated_max_pooling_is_thnn_loop(ceil):
    """Values of VolumetricDilatedMaxPooling.c's loop (windows clipped to the volume, the first
    `val > maxval` wins from -inf), ties and -0 included; indices (kernel offsets in the bytes
    of a long) point at the maxima."""
    rng = np.random.default_rng(6 + ceil)
    for trial in range(6):
        k, d, dil = (3, 2, 3), (2, 1, 2), (1 + trial % 2, 2, 1)
        pad = (1, 0, 1)
        m = nn.VolumetricDilatedMaxPooling(k[0], k[2], k[1], d[0], d[2], d[1], pad[0], pad[2],
                                           pad[1], dil[0], dil[2], dil[1])
        if ceil:
            m.ceil()
        S = (7, 6, 8)
        x = rng.integers(-2, 3, (2, 3) + S).astype(np.float64)
        x[x == 0] = -0.0 if trial % 2 else 0.0
        y = m.forward(_t(x)).numpy()
        idx = m.indices.numpy()
        assert y.shape[:2] == (2, 3)
        for n, c in itertools.product(range(2), range(3)):
            for o in itertools.product(*[range(v) for v in y.shape[2:]]):
                best = -np.inf
                for z in itertools.product(*[range(v) for v in k]):
                    pos = [o[i] * d[i] - pad[i] + z[i] * dil[i] for i in range(3)]
                    if all(0 <= pos[i] < S[i] for i in range(3)):
                        v = x[(n, c) + tuple(pos)]
                        if v > best:
                            best = v
                got = y[(n, c) + o]
                assert got == best and np.signbit(got) == np.signbit(best)
                # THNN's index: the kernel offsets z, y, x in bytes 0, 1, 2 of the long
                v = int(idx[(n, c) + o])
                off = (v & 255, (v >> 8) & 255, (v >> 16) & 255)
                assert v >> 24 == 0
                pos = tuple(o[i] * d[i] - pad[i] + off[i] * dil[i] for i in range(3))
                assert x[(n, c) + pos] == best


def test_integer_index_on_views_and_vector_assignment():
    base = torch.DoubleTensor(4, 5, 6)
    base.numpy()[...] = np.arange(120).reshape(4, 5, 6)
    ref = np.arange(120.0).reshape(4, 5, 6)
    for view, r in ((base, ref), (base.transpose(1, 3), ref.transpose(2, 1, 0)),
                    (base[[2, 3], [], [2, 5]], ref[1:3, :, 1:5]), (base.select(2, 4), ref[:, 3])):
        for i in range(1, view.size(1) + 1):
            sub = view[i]
            np.testing.assert_array_equal(sub.numpy(), r[i - 1])
            assert sub.storage() is base.storage()
            assert view[-i].numpy().tolist() == r[-i].tolist()
    vec = base.select(3, 2).select(1, 3)          # strided vector
    assert [vec[i] for i in range(1, 6)] == ref[2, :, 1].tolist()
    vec[5] = 7.5
    assert base.numpy()[2, 4, 1] == 7.5
    b = torch.ByteTensor(3)
    b[1], b[2] = 300, -1.5                        # C conversions: 300 -> 44, -1.5 -> -1 -> 255
    assert b[1] == 44 and b[2] == 255
    lt = torch.LongTensor(2)
    lt[1] = -2.7
    assert lt[1] == -2
    with pytest.raises(IndexError):
        vec[6]
    with pytest.raises(IndexError):
        vec[6] = 1.0


@pytest.mark.parametrize("shape", [(2, 3, 3, 4), (1, 2, 2, 3, 2)])
def test_nearest_upsampling_backward_of_sparse_rows_is_block_sum(shape):
    """Each input element's gradient is the sum of its s^d block of gradOutput: with one term
    per block (a Jacobian check's rows) exactly that term; with two terms in a block, the
    block summed along w, then h (then t)."""
    rng = np.random.default_rng(len(shape))
    s = 3
    m = nn.UpSampling(s)
    x = _t(rng.standard_normal(shape))
    y = m.forward(x)
    nd = len(shape) - 2
    for trial in range(10):
        go = np.zeros(y.numpy().shape)
        flat = go.reshape(-1)
        pos = rng.choice(go.size, 1 + trial % 3, replace=False)
        flat[pos] = rng.standard_normal(pos.size) * 10.0 ** rng.integers(-20, 20, pos.size)
        if trial == 3:
            flat[pos[0]] = np.inf
        want = np.zeros(shape)
        for p in itertools.product(*[range(n) for n in shape]):
            block = go[p[:2] + tuple(slice(p[2 + i] * s, p[2 + i] * s + s) for i in range(nd))]
            acc = block
            for _ in range(nd):  # the last axis first, each sum sequential from its first term
                acc = np.add.accumulate(acc, axis=-1)[..., -1]
            want[p] = acc
        got = m.updateGradInput(x, _t(go)).numpy()
        assert got.tobytes() == want.tobytes()


def test_lua_split_and_chunk_into_a_given_empty_table():
    """torch.split(result, t, n, d) and torch.chunk(result, ...) from Lua with result = {}
    (torch7's test.lua does): the table gets the views, a used table is emptied first."""
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    sizes = rt.execute("""
        local t = torch.range(1, 28):view(7, 4)
        local r = {}
        torch.split(r, t, 3, 1)
        local c = {1, 2, 3, 4, 5}
        torch.chunk(c, t, 2, 2)
        return {#r, r[1]:size(1), r[3]:size(1), r[3][1][2], #c, c[2][7][2]}
    """)
    assert list(sizes) == [3, 3, 1, 26, 2, 28]
