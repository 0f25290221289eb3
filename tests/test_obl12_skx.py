"""torch7py._obl12 in numerics.blas_loops' "fused" build: OpenBLAS 0.3.21's SkylakeX kernel set
(ddot/sdot, dgemv_n, sgemv_n, sgemv_t AVX-512 micro-kernels, C loops contracted), the BLAS the
legacy scripts' goldens were recorded with; and nn.Linear's gradBias and one-sample forward,
which embed gemv's orders, in that build.

Expectations: facts measured from Debian's libopenblas.so.0 0.3.21 with OPENBLAS_CORETYPE=SkylakeX
(tests/data/obl12_skx_facts.json, recorded by tools/obl12_skx_ref.py on the inputs CASES and
inputs() build), and, where the library and an AVX-512 CPU are here, the library itself on
random calls (a subprocess: the kernel set is chosen when the library loads)."""
import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics
from torch7py import nn

_b = pytest.importorskip("torch7py._obl12")

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"


def _gemv(tr, p, m, n, lda=None, incx=1, incy=1, alpha=0.7, beta=-1.3, ones=False):
    a = {"tr": tr, "m": m, "n": n, "lda": lda or m, "incx": incx, "incy": incy,
         "alpha": alpha, "beta": beta}
    if ones:
        a["ones"] = True
    return ("gemv", p, a)


def _dot(p, n, incx=1, incy=1):
    return ("dot", p, {"n": n, "incx": incx, "incy": incy})


# each path of the SkylakeX kernels: the dots' zmm blocks (n & -32 doubles, n & -64 floats) and
# their ymm and C tails; dgemv_n's groups of four and two columns; sgemv_n's column chains
# (n <= 48, n != 4) and its driver (n == 4, n > 48: groups of eight and four, then the two- and
# one-column kernels; strided x); sgemv_t's kernels for packed matrices of 1 to 8 rows over 47
# columns (the blocks below n & -16, -8, -4, -2 and the last one) and its generic path
CASES = (
    [_dot("d", n) for n in (16, 31, 32, 33, 47, 64, 80, 100, 129)] + [_dot("d", 37, 2, 3)]
    + [_dot("s", n) for n in (32, 63, 64, 65, 96, 100, 129, 200)] + [_dot("s", 41, 3, 2)]
    + [_gemv("n", "d", 9, 7), _gemv("n", "d", 13, 6, 15, 2, 3), _gemv("n", "d", 21, 11),
       _gemv("n", "d", 10, 5, alpha=1.0, beta=1.0)]
    + [_gemv("n", "s", 13, 7), _gemv("n", "s", 13, 4), _gemv("n", "s", 21, 50),
       _gemv("n", "s", 21, 51), _gemv("n", "s", 7, 49, incx=2), _gemv("n", "s", 10, 48, 12, 1, 2),
       _gemv("n", "s", 22, 53, alpha=1.0, beta=1.0)]
    + [_gemv("t", "s", m, 47) for m in range(1, 9)]
    + [_gemv("t", "s", m, 47, alpha=1.0, beta=1.0) for m in (2, 3)]
    + [_gemv("t", "s", 5, 30, incx=2, incy=3), _gemv("t", "s", 8, 20, 9), _gemv("t", "s", 12, 10)]
    + [_gemv("t", "d", 6, 5, 8, 2, 3), _gemv("t", "d", 3, 47)]
    # Linear's batch gradBias: gradOutput (n x m, row-major) as a column-major m x n matrix
    + [_gemv("n", p, m, n, alpha=1.0, beta=1.0, ones=True)
       for p in "ds" for m, n in ((9, 7), (13, 50), (6, 4), (5, 48))])


def vals(n, s, dt):
    """sin(s*i + 0.3) * (1 + (i % 7)/3), i = 1..n, rounded to dt (test_obl12's inputs)"""
    return np.array([math.sin(s * i + 0.3) * (1 + (i % 7) / 3) for i in range(1, n + 1)]).astype(dt)


def inputs(routine, dt, a):
    """A, x, y of a case (A None for dot)"""
    if routine == "dot":
        return None, vals(a["n"] * a["incx"], 0.77, dt), vals(a["n"] * a["incy"], 1.3, dt)
    lx, ly = (a["m"], a["n"]) if a["tr"] == "t" else (a["n"], a["m"])
    x = np.ones(lx * a["incx"], dt) if a.get("ones") else vals(lx * a["incx"], 0.77, dt)
    return vals(a["lda"] * a["n"], 0.41, dt), x, vals(ly * a["incy"], 1.3, dt)


def _facts():
    with open(os.path.join(HERE, "data", "obl12_skx_facts.json")) as f:
        return json.load(f)["library"]


FACTS = _facts()


def _key(routine, p, a):
    return json.dumps([routine, p, a], sort_keys=True)


WANT = {_key(r, p, a): want for r, p, a, want in FACTS}


def want_of(routine, p, a):
    dt = np.float64 if p == "d" else np.float32
    return np.array([float.fromhex(v) for v in WANT[_key(routine, p, a)]], dt)


@pytest.fixture
def skylakex(monkeypatch):
    """numerics.blas_loops("fused") (the SkylakeX build) for the test; the process's restored"""
    monkeypatch.setenv(numerics.BLAS_LOOPS_ENV, "fused")
    old = numerics.blas_loops("fused")
    yield
    numerics.blas_loops(old)


@pytest.fixture(params=[True, False], ids=["hw", "portable"])
def kernels(request):
    _b.use_hw(request.param)
    yield request.param
    _b.use_hw(True)


def test_every_case_has_its_fact():
    assert len(FACTS) == len(CASES)
    for routine, p, a in CASES:
        assert _key(routine, p, a) in WANT


@pytest.mark.parametrize("case", range(len(CASES)))
def test_kernels_give_the_skylakex_librarys_bits(case, kernels, skylakex):
    routine, p, a = CASES[case]
    dt = np.float64 if p == "d" else np.float32
    A, x, y = inputs(routine, dt, a)
    if routine == "dot":
        got = np.array([_b.dot(a["n"], x, a["incx"], y, a["incy"])], dt)
    else:
        _b.gemv(a["tr"], a["m"], a["n"], a["alpha"], A, a["lda"], x, a["incx"], a["beta"], y,
                a["incy"])
        got = y
    assert got.tobytes() == want_of(routine, p, a).tobytes()


def test_plain_build_is_not_the_skylakex_one():
    # the facts tell the two kernel sets apart (the parity cases' goldens follow Haswell's)
    assert numerics.blas_loops() == "plain"
    differ = 0
    for routine, p, a in CASES:
        if routine != "gemv" or a["tr"] != "t" or p != "s" or a["m"] > 3 or a["lda"] != a["m"]:
            continue
        dt = np.float32
        A, x, y = inputs(routine, dt, a)
        _b.gemv("t", a["m"], a["n"], a["alpha"], A, a["lda"], x, 1, a["beta"], y, 1)
        differ += y.tobytes() != want_of(routine, p, a).tobytes()
    assert differ > 0


def _lin(T, n_in, n_out):
    m = nn.Linear(n_in, n_out)
    if T is not torch.DoubleTensor:
        m = m.float()
    return m


@pytest.mark.parametrize("p", ["d", "s"])
@pytest.mark.parametrize("m,n,n_in", [(9, 7, 5), (13, 50, 20), (6, 4, 3), (5, 48, 40)])
def test_linear_grad_bias_is_the_librarys_gemv_n(p, m, n, n_in, skylakex):
    # Linear.lua's batch gradBias:addmv(1, gradOutput:t(), addBuffer): gemv 'n' on the
    # column-major m x n gradOutput^T with a vector of ones, added to gradBias
    a = _gemv("n", p, m, n, alpha=1.0, beta=1.0, ones=True)[2]
    dt = np.float64 if p == "d" else np.float32
    T = torch.DoubleTensor if p == "d" else torch.FloatTensor
    go = vals(m * n, 0.41, dt).reshape(n, m)
    lin = _lin(T, n_in, m)
    x = T(n, n_in)
    x.numpy()[...] = vals(n * n_in, 0.19, dt).reshape(n, n_in)
    lin.forward(x)
    lin.gradBias.numpy()[...] = vals(m, 1.3, dt)
    g = T(n, m)
    g.numpy()[...] = go
    lin.backward(x, g)
    assert lin.gradBias.numpy().tobytes() == want_of("gemv", p, a).tobytes()


@pytest.mark.parametrize("n_in", [2, 3])
def test_linear_one_sample_forward_is_the_librarys_sgemv_t(n_in, skylakex):
    # output:copy(bias); output:addmv(1, weight, input): sgemv 't' on the packed n_in x 47
    # weight^T, SkylakeX's kernel for 2 or 3 rows
    a = _gemv("t", "s", n_in, 47, alpha=1.0, beta=1.0)[2]
    lin = _lin(torch.FloatTensor, n_in, 47)
    lin.weight.numpy()[...] = vals(n_in * 47, 0.41, np.float32).reshape(47, n_in)
    lin.bias.numpy()[...] = vals(47, 1.3, np.float32)
    x = torch.FloatTensor(n_in)
    x.numpy()[...] = vals(n_in, 0.77, np.float32)
    out = lin.forward(x)
    assert out.numpy().tobytes() == want_of("gemv", "s", a).tobytes()


def _library_kernels():
    """'SkylakeX' where Debian's library loads its SkylakeX kernels here, else None"""
    if not os.path.exists(LIB):
        return None
    code = ("import ctypes; d = ctypes.CDLL(%r); d.openblas_get_corename.restype = "
            "ctypes.c_char_p; print(d.openblas_get_corename().decode())" % LIB)
    env = dict(os.environ, OPENBLAS_CORETYPE="SkylakeX", OPENBLAS_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return "SkylakeX" if r.returncode == 0 and r.stdout.strip().lower() == "skylakex" else None


@pytest.mark.parametrize("mode,core", [("fused", "SkylakeX"), ("plain", "Haswell")])
def test_random_calls_match_the_library(mode, core):
    if _library_kernels() is None:
        pytest.skip("Debian's libopenblas 0.3.21 with its SkylakeX kernels is not here")
    env = dict(os.environ, OPENBLAS_CORETYPE=core, OPENBLAS_NUM_THREADS="1")
    env.pop(numerics.BLAS_LOOPS_ENV, None)
    tool = os.path.join(HERE, "..", "tools", "obl12_skx_ref.py")
    r = subprocess.run([sys.executable, tool, "diff", mode, "150", "17"], env=env,
                       capture_output=True, text=True, timeout=300)
    assert "library kernels: %s" % core in r.stdout, r.stdout + r.stderr
    assert r.returncode == 0, r.stdout + r.stderr
