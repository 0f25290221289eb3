"""The bridge's fast paths for Lua loops give what the general paths give: torch's math
functions on numbers (C library values, computed in Lua), index tables of numbers and ranges
(geometry computed from the flat key), Tester's assertTensorEq on small tensors, and the
pairs() order's source scan kept per source."""
import math
import random

import numpy as np
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaError, LuaRuntime  # noqa: E402


@pytest.fixture(scope="module")
def rt():
    r = LuaRuntime()
    r._p_reset()
    return r


XS = [3.7, -3.7, 2.5, -2.5, 0.5, -0.5, 0.0, 1e300, -1e-300, 0.1, 7.0, 1e-5, 0.75, -0.999]


def _c(f):
    def g(x):
        try:
            return f(x)
        except (ValueError, OverflowError, ZeroDivisionError):
            return None  # a domain error: C gives NaN or inf, checked by the types below
    return g


# C's functions on doubles, as Python's math module calls them (the C library), and TH's macros
ONE = {
    "log": _c(math.log), "log1p": _c(math.log1p), "exp": _c(math.exp), "cos": math.cos,
    "acos": _c(math.acos), "cosh": _c(math.cosh), "sin": math.sin, "asin": _c(math.asin),
    "sinh": _c(math.sinh), "tan": math.tan, "atan": math.atan, "tanh": math.tanh,
    "sqrt": _c(math.sqrt), "ceil": lambda x: float(math.ceil(x)),
    "floor": lambda x: float(math.floor(x)), "trunc": lambda x: float(math.trunc(x)),
    "abs": math.fabs, "round": lambda x: float(math.copysign(math.floor(abs(x) + 0.5), x)),
    "frac": lambda x: x - float(math.trunc(x)),
    "rsqrt": _c(lambda x: 1.0 / math.sqrt(x)),
    "sigmoid": _c(lambda x: 1.0 / (1.0 + math.exp(-x))),
}


@pytest.mark.parametrize("name", sorted(ONE))
def test_math_number_forms_are_the_c_library_values(rt, name):
    f = rt.execute("return torch.%s" % name)
    for x in XS:
        got = f(x)
        want = ONE[name](x)
        if want is None:
            assert math.isnan(got) or math.isinf(got), (name, x, got)
        else:
            assert got == want or (math.isnan(got) and math.isnan(want)), (name, x, got, want)


def test_two_argument_number_forms_and_signed_zero(rt):
    pow_, atan2, lerp = rt.execute("return torch.pow, torch.atan2, torch.lerp")
    for x in XS:
        for y in (2.0, 0.5, -3.0, 2.5):
            try:
                want = math.pow(x, y)
            except (ValueError, OverflowError):
                want = None
            got = pow_(x, y)
            if want is None:
                assert math.isnan(got) or math.isinf(got)
            else:
                assert got == want
            assert atan2(x, y) == math.atan2(x, y)
    assert lerp(1.0, 3.0, 0.25) == 1.5
    # -0.0 keeps its sign in Lua (C: floor(-0.0) is -0.0; C99: pow(-inf, 0.5) is +inf)
    assert rt.execute("return 1 / torch.floor(-0.0)") == -math.inf
    assert rt.execute("return 1 / torch.ceil(-0.5)") == -math.inf
    assert rt.execute("return torch.pow(-1/0, 0.5)") == math.inf


def test_number_forms_leave_other_arguments_to_the_tensor_forms(rt):
    t = rt.execute("return torch.floor(torch.Tensor({1.5, -1.5}))")
    assert t.numpy().tolist() == [1.0, -2.0]
    r = rt.execute("local r = torch.Tensor(); torch.exp(r, torch.zeros(2)); return r")
    assert r.numpy().tolist() == [1.0, 1.0]
    with pytest.raises(LuaError, match="invalid arguments"):
        rt.execute("return torch.floor('x')")
    with pytest.raises(LuaError, match="invalid arguments"):
        rt.execute("return torch.floor({})")
    # another default type: its real decides, the Python forms answer
    try:
        got = rt.execute("torch.setdefaulttensortype('torch.FloatTensor'); "
                         "return torch.floor(2.5), torch.getdefaulttensortype()")
        assert got == (2, "torch.FloatTensor")
    finally:
        rt._p_reset()
    assert rt.execute("return 1 / torch.floor(-0.0)") == -math.inf


def _lua_key(key):
    return "{" + ", ".join(
        "{%s}" % ", ".join(map(repr, k)) if isinstance(k, list) else repr(k) for k in key) + "}"


def test_index_tables_on_views_and_types_match_the_general_path(rt):
    """Lua's t[{...}] (the flat key's geometry) against Python's t[(...)] (Tensor._resolve) on
    non-contiguous views and other tensor types, reads and assignments, errors included."""
    rng = random.Random(5)
    for typ in ("torch.DoubleTensor", "torch.FloatTensor", "torch.LongTensor",
                "torch.ByteTensor"):
        for trial in range(40):
            key = []
            for n in (3, 4, 5)[:rng.randint(1, 3)]:
                c = rng.random()
                if c < 0.4:
                    key.append(rng.choice([1, n, -1, -n, n + 1, 0, 2.7]))
                elif c < 0.55:
                    key.append([])
                else:
                    lo = rng.choice([1, 2, -1, n + 1])
                    key.append([lo] if rng.random() < 0.3 else [lo, rng.choice([n, -1, lo, 1, -n])])
            code = """
                local base = torch.range(1, 60):view(5, 4, 3):type('%s')
                local t = base:transpose(1, 3)
                local ok, r = pcall(function() return t[%s] end)
                if ok and type(r) ~= 'number' then r = r:clone() end
                local ok2, e2 = pcall(function() t[%s] = 201.7 end)
                return t, ok, r, ok2, e2
            """ % (typ, _lua_key(key), _lua_key(key))
            t, ok, r, ok2, e2 = rt.execute(code)
            import torch7py as torch
            pt = torch.range(1, 60).view(5, 4, 3).type(typ).transpose(1, 3)
            pkey = tuple(key)
            try:
                want = pt[pkey]
                want_ok = True
            except Exception as e:  # noqa: BLE001
                want, want_ok = str(e), False
            assert ok == want_ok, (typ, key, r, want)
            if ok and isinstance(want, (int, float)):
                assert r == want
            elif ok:
                np.testing.assert_array_equal(r.numpy(), want.numpy())
            else:
                assert want in r
            try:
                pt[pkey] = 201.7
                want2 = True
            except Exception as e:  # noqa: BLE001
                want2 = str(e)
            assert ok2 == (want2 is True), (typ, key, e2, want2)
            if want2 is not True:
                assert want2 in e2
            np.testing.assert_array_equal(t.numpy(), pt.numpy())


def test_index_table_assigns_a_tensor_and_reads_a_one_element_range(rt):
    t, r = rt.execute("""
        local t = torch.zeros(2, 3, 4)
        t[{2, {2, 3}, {}}] = torch.ones(2, 4)
        local r = t[{{2}, {3}, {4}}]
        return t, r
    """)
    ref = np.zeros((2, 3, 4))
    ref[1, 1:3, :] = 1
    np.testing.assert_array_equal(t.numpy(), ref)
    assert r.size().tolist() == [1, 1, 1] and r.numpy().item() == 1.0


def test_assert_tensor_eq_on_small_tensors_is_the_largest_difference(rt):
    rng = np.random.default_rng(3)
    run = rt.execute("""
        return function(a, b, tol)
           local tester = torch.Tester()
           tester._currentTestName = 'x'
           tester.assertionPass, tester.assertionFail = {x = 0}, {x = 0}
           local ok = tester:assertTensorEq(a, b, tol, 'msg')
           return ok, tester.errors[1]
        end
    """)
    import torch7py as torch
    for trial in range(30):
        shape = tuple(int(x) for x in rng.integers(1, 4, size=rng.integers(1, 4)))
        a = torch.from_numpy(rng.standard_normal(shape))
        b = torch.from_numpy(a.numpy() + rng.standard_normal(shape) * 1e-3)
        if trial % 3 == 0 and a.dim() > 1:
            a = a.transpose(1, a.dim())
            b = b.transpose(1, b.dim()).clone()
        diff = float(np.abs(a.numpy().ravel() - b.numpy().ravel()).max())
        ok, err = run(a, b, diff)
        assert ok is True
        ok, err = run(a, b, np.nextafter(diff, 0))
        assert ok is False and ("max diff=%.14g," % diff) in err
    nan = torch.from_numpy(np.array([1.0, np.nan, 2.0]))
    ok, err = run(nan, torch.from_numpy(np.array([1.0, 5.0, 2.0])), 1e9)
    assert ok is False and "max diff=nan" in err


def test_source_scan_is_kept_per_source_with_the_same_ranks():
    from compat import pairs_order
    src = "local t = {zeta = 1, alpha = 2, 'mid'}\n" * 300 + "x.omega = [[long]]\n"
    assert len(src) >= 4096
    fresh = pairs_order._scan(src)
    a = pairs_order.SourceRanks()
    a.add("local beta, zeta")
    a.add(src)
    b = pairs_order.SourceRanks()
    b.add("local beta, zeta")
    b.add(src)  # the kept scan
    assert pairs_order._SCANNED[src] == fresh
    assert a.rank == b.rank
    assert list(a.rank)[:6] == ["local", "beta", "zeta", "t", "alpha", "mid"]


def test_kept_layouts_are_copies_and_give_the_same_order():
    from compat import pairs_order
    from torch7py.luaorder import TableLayout
    seq = [("s", ("key%d" % i).encode()) for i in range(40)]
    fresh = TableLayout()
    for k in seq:
        fresh.set(k)
    a = pairs_order._layout(seq, -1, 0)
    a.set(("s", b"later"))  # a model changes after it is made: the kept layout must not
    b = pairs_order._layout(seq, -1, 0)
    assert b.order(dead=True) == fresh.order(dead=True)
    assert ("s", b"later") not in b.order(dead=True)
    code = "local t = {} for i = 1, 40 do t['k' .. (i * 7 % 40)] = i end " \
           "local o = {} for k in pairs(t) do o[#o + 1] = k end return table.concat(o, ',')"
    r1 = LuaRuntime().execute(code)
    r2 = LuaRuntime().execute(code)
    assert r1 == r2 and sorted(r1.split(",")) == sorted("k%d" % i for i in range(40))


def test_storage_elements_from_lua_match_the_python_storage(rt):
    """s[i] and s[i] = x from Lua (the fast paths for numbers in range) against Python's
    storage indexing: values, C conversions of other types, errors out of range."""
    import torch7py as torch
    for typ in ("Double", "Float", "Long", "Byte"):
        s, r = rt.execute("""
            local s = torch.%sStorage(4):fill(3)
            s[1] = 2.75; s[2] = -7; s[4] = 1e10
            local r = {s[1], s[2], s[3], s[4]}
            r[5] = select(2, pcall(function() return s[5] end))
            r[6] = select(2, pcall(function() s[0] = 1 end))
            r[7] = select(2, pcall(function() return s[2.5] end))
            return s, r
        """ % typ)
        p = getattr(torch, typ + "Storage")(4).fill(3)
        p[1], p[2], p[4] = 2.75, -7, 1e10
        assert list(s) == list(p)
        assert r[:4] == [p[1], p[2], p[3], p[4]]
        for msg in r[4:6]:
            assert "out of bounds" in msg
        assert r[6] == p[2]
