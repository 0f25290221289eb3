"""Index tables of any length, t[{a, b, c, d, ...}], read and assigned from Lua and from Python,
every mix of numbers and ranges, against numpy's indexing of the same values."""
import random

import numpy as np
import pytest

import torch7py as torch


def np_index(shape, key):
    """The numpy index of Torch7's index table key (1-based numbers, {a, b} ranges, {})."""
    out = []
    for k, n in zip(key, shape):
        if isinstance(k, list):
            if not k:
                out.append(slice(None))
                continue
            lo = k[0] + n + 1 if k[0] < 0 else k[0]
            hi = k[1] if len(k) > 1 else k[0]
            hi = hi + n + 1 if hi < 0 else hi
            out.append(slice(lo - 1, hi))
        else:
            out.append((k + n + 1 if k < 0 else k) - 1)
    return tuple(out)


def random_key(rng, shape, length):
    key = []
    for n in shape[:length]:
        c = rng.random()
        if c < 0.45:
            key.append(rng.randint(1, n) * (1 if rng.random() < 0.8 else -1) if n else 1)
        elif c < 0.6:
            key.append([])
        elif c < 0.8:
            key.append([rng.randint(1, n)])
        else:
            lo = rng.randint(1, n)
            key.append([lo, rng.randint(lo, n)])
    return key


def lua_key(key):
    return "{" + ", ".join("{%s}" % ", ".join(map(str, k)) if isinstance(k, list) else str(k)
                           for k in key) + "}"


SHAPES = [(2, 3, 4, 5), (3, 2, 2, 3, 2), (2, 2, 3, 2, 2, 3)]


@pytest.mark.parametrize("shape", SHAPES)
def test_python_index_tuples_of_any_length(shape):
    rng = random.Random(len(shape))
    base = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    for trial in range(60):
        key = random_key(rng, shape, rng.randint(1, len(shape)))
        t = torch.from_numpy(base.copy())
        ref = base.copy()
        idx = np_index(shape, key)
        got = t[tuple(key)]
        want = ref[idx]
        if np.ndim(want) == 0:
            assert got == want
        else:
            np.testing.assert_array_equal(got.numpy(), want)
        t[tuple(key)] = -1.0
        ref[idx] = -1.0
        np.testing.assert_array_equal(t.numpy(), ref)


@pytest.mark.parametrize("shape", SHAPES)
def test_lua_index_tables_of_any_length(shape):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    rng = random.Random(10 + len(shape))
    base = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    dims = ", ".join(map(str, shape))
    for trial in range(25):
        key = random_key(rng, shape, rng.randint(1, len(shape)))
        idx = np_index(shape, key)
        ref = base.copy()
        ref[idx] = 7.0
        code = """
            local t = torch.range(0, %d):view(%s)
            local r = t[%s]
            if type(r) ~= 'number' then r = r:clone() end
            t[%s] = 7
            return t, r
        """ % (base.size - 1, dims, lua_key(key), lua_key(key))
        t, r = rt.execute(code)
        np.testing.assert_array_equal(t.numpy(), ref)
        want = base[idx]
        if np.ndim(want) == 0:
            assert r == want
        else:
            np.testing.assert_array_equal(r.numpy(), want)


def test_lua_full_index_table_assigns_one_element_and_too_many_errors():
    pytest.importorskip("lupa")
    from compat.runtime import LuaError, LuaRuntime
    rt = LuaRuntime()
    t = rt.execute("local t = torch.zeros(2, 3, 4, 5); t[{1, 1, 1, 2}] = 5; return t")
    ref = np.zeros((2, 3, 4, 5))
    ref[0, 0, 0, 1] = 5
    np.testing.assert_array_equal(t.numpy(), ref)
    t = rt.execute("local t = torch.zeros(2, 2, 2, 2, 2, 2); t[{2, 1, 2, 1, 2, {1, 2}}] = 3; "
                   "return t")
    ref = np.zeros((2,) * 6)
    ref[1, 0, 1, 0, 1, :] = 3
    np.testing.assert_array_equal(t.numpy(), ref)
    # a value that is a tensor, through an index table of 4 keys
    t = rt.execute("local t = torch.zeros(2, 2, 3, 4); t[{2, 1, {}, {2, 3}}] = "
                   "torch.ones(3, 2); return t")
    ref = np.zeros((2, 2, 3, 4))
    ref[1, 0, :, 1:3] = 1
    np.testing.assert_array_equal(t.numpy(), ref)
    for code in ("local r = torch.zeros(3, 3, 3); r[{1, 1, 1, 1}] = 1",
                 "local r = torch.zeros(3, 3, 3); r[{1, 1, 1, {1, 1}}] = 1",
                 "local r = torch.zeros(3, 3, 3); r[{3, 3, 3, 3, 3, 3, 3, 3}] = 1",
                 "local r = torch.zeros(3, 3, 3); return r[{1, 1, 1, 1}]"):
        with pytest.raises(LuaError, match="too many indices"):
            rt.execute(code)
