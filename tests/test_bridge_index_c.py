"""The C helpers of Lua's element loops (torch7py._exact.flat_geom, maxabsdiff) against their
Python definitions and independent numpy formulas: random shapes, strides, offsets,
non-contiguous views and every kind of index entry."""
import numpy as np
import pytest

import torch7py as torch
from compat import bridgecalls, torchcalls
from compat.bridgecalls import _flat_geom

_exact = pytest.importorskip("torch7py._exact")


def _random_view(rng):
    base = torch.Tensor(int(rng.integers(20, 200))).uniform()
    nd = int(rng.integers(1, 6))
    t = base.view(base.nElement()) if nd == 1 else torch.Tensor(
        *[int(v) for v in rng.integers(1, 5, nd)]).uniform()
    if t.dim() > 1 and rng.random() < 0.5:
        t = t.transpose(1, t.dim())
    if rng.random() < 0.3 and t.size(1) > 1:
        t = t.narrow(1, 2, t.size(1) - 1)
    return t


def _random_key(rng, t):
    flat = []
    for d in range(int(rng.integers(0, t.dim() + 2))):
        n = t.size(d + 1) if d < t.dim() else 3
        r = rng.random()
        if r < 0.3:
            flat += [int(rng.integers(-n - 1, n + 2)), None]
        elif r < 0.5:
            flat += [False, False]
        elif r < 0.85:
            a, b = sorted(int(v) for v in rng.integers(-n - 1, n + 2, 2))
            flat += [a, b]
        elif r < 0.9:
            flat += [float(rng.integers(1, n + 1)) + 0.5, None]
        elif r < 0.95:
            flat += [True, None]
        else:
            flat += [1, 2.0]
    return tuple(flat)


def test_flat_geom_c_is_the_python_rule():
    rng = np.random.default_rng(5)
    for _ in range(3000):
        t = _random_view(rng)
        flat = _random_key(rng, t)
        want = _flat_geom(t, flat)
        got = _exact.flat_geom(t._size, t._stride, t._offset, flat)
        if want is None:
            assert got is None
        elif want is t:
            assert got is True
        elif want[1] is None:
            assert got == want[0] and type(got) is int
        else:
            assert got == (want[0], tuple(want[1]), tuple(want[2]))


def test_flat_geom_views_select_what_numpy_selects():
    """Independent of _flat_geom: the view's elements are numpy's slice of the tensor."""
    rng = np.random.default_rng(6)
    for _ in range(500):
        t = _random_view(rng)
        a = t.numpy()
        key, flat = [], []
        for d in range(int(rng.integers(1, t.dim() + 1))):
            n = t.size(d + 1)
            if rng.random() < 0.4:
                i = int(rng.integers(1, n + 1))
                key.append(i - 1)
                flat += [i, None]
            else:
                lo = int(rng.integers(1, n + 1))
                hi = int(rng.integers(lo, n + 1))
                key.append(slice(lo - 1, hi))
                flat += [lo, hi]
        g = _exact.flat_geom(t._size, t._stride, t._offset, tuple(flat))
        want = a[tuple(key)]
        if type(g) is int:
            assert want.ndim == 0 and t._storage._data[g] == want
        else:
            off, size, stride = g
            v = type(t)._make(t._storage, off, size, stride)
            np.testing.assert_array_equal(v.numpy(), want)


def _reference_diff(ta, tb):
    a = np.ravel(ta.numpy(), order='C')
    b = np.ravel(tb.numpy(), order='C')
    return np.abs(a - b).max().item()


def test_maxabsdiff_is_numpys_max_abs_difference():
    rng = np.random.default_rng(7)
    for _ in range(1500):
        ta = _random_view(rng)
        n = ta.nElement()
        tb = torch.Tensor(n).uniform() if rng.random() < 0.5 else ta.clone()
        if rng.random() < 0.5:
            tb = tb.view(n)
        if rng.random() < 0.2:
            tb.numpy().reshape(-1)[int(rng.integers(0, n))] = np.nan
        if rng.random() < 0.1:
            tb.numpy().reshape(-1)[int(rng.integers(0, n))] = -np.inf
        want = _reference_diff(ta, tb)
        got = torchcalls.small_diff(ta, tb)
        assert type(got) is float
        assert (np.isnan(want) and np.isnan(got)) or got == want
        got2 = _exact.maxabsdiff(ta._storage._data, ta._offset, ta._size, ta._stride,
                                 tb._storage._data, tb._offset, tb._size, tb._stride)
        assert (np.isnan(want) and np.isnan(got2)) or got2 == want


def test_maxabsdiff_expanded_and_refusals():
    a = torch.Tensor(1, 4).uniform()
    e = a.expand(3, 4)  # stride 0: the row three times
    b = torch.Tensor(3, 4).uniform()
    assert torchcalls.small_diff(e, b) == _reference_diff(e, b)
    # different counts, an empty tensor, an offset past the buffer: the numpy path decides
    assert _exact.maxabsdiff(a._storage._data, 0, (4,), (1,), b._storage._data, 0, (3,),
                             (1,)) is None
    assert _exact.maxabsdiff(a._storage._data, 0, (), (), b._storage._data, 0, (), ()) is None
    assert _exact.maxabsdiff(a._storage._data, 1, (4,), (1,), b._storage._data, 0, (4,),
                             (1,)) is None
    f = np.zeros(4, np.float32)
    assert _exact.maxabsdiff(f, 0, (4,), (1,), b._storage._data, 0, (4,), (1,)) is None


@pytest.mark.parametrize("c", [True, False])
def test_lua_index_paths_with_and_without_c(monkeypatch, c):
    """t[{...}] reads and writes from Lua give numpy's values on the C path and without it."""
    if not c:
        monkeypatch.setattr(bridgecalls, "_c_flat_geom", None)
        monkeypatch.setattr(torchcalls, "_c_maxabsdiff", None)
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    rt.execute("""
      t = torch.Tensor(3, 4, 5):copy(torch.range(1, 60))
      u = t:transpose(1, 3)
      a = t[{2, 3, 4}]
      b = t[{{}, {2}, {3, 5}}]:clone()
      c = u[{{2, 4}, 3}]:clone()
      t[{1, {2, 3}, -1}] = -7
      t[{3, 4}] = torch.Tensor(5):fill(9)
      ok = torch.Tester()
      ok.assertionPass, ok.assertionFail = {[''] = 0}, {[''] = 0}
      ok:assertTensorEq(t[{{}, {2}, {3}}], t[{{}, {2}, {3}}]:clone(), 0)
      d = t[{{}, {2}, {3}}]:clone():add(0.5)
      ok:assertTensorEq(t[{{}, {2}, {3}}], d, 0.4)
    """)
    g = rt.globals

    def arr(name):
        return rt.from_lua(g[name]).numpy()
    ref = np.arange(1, 61, dtype=np.float64).reshape(3, 4, 5)
    assert g.a == ref[1, 2, 3]
    np.testing.assert_array_equal(arr('b'), ref[:, 1:2, 2:5])
    np.testing.assert_array_equal(arr('c'), ref.transpose(2, 1, 0)[1:4, 2])
    ref[0, 1:3, -1] = -7
    ref[2, 3] = 9
    np.testing.assert_array_equal(arr('t'), ref)
    assert g.ok.assertionPass[''] == 1 and g.ok.assertionFail[''] == 1
