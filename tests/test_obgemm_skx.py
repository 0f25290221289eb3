"""torch7py._obgemm's SkylakeX build (skylakex(1)): dgemm/sgemm in the bits of OpenBLAS
0.3.21's SkylakeX kernels, the BLAS of the Torch7 that recorded the shared scripts' goldens.

Expectations independent of the C: facts measured on the real library (Debian's
libopenblas 0.3.21, OPENBLAS_CORETYPE=SkylakeX, one thread, through sgemm_/dgemm_ as TH calls
them; tools/obgemm_skx_ref.py wrote tests/data/obgemm_skx_facts.json: each case's spec, its
inputs drawn again from the seed, and a digest of the library's C), the library itself where
this machine has it, and the kernels' arithmetic written out in exact rationals."""
import json
import os
import sys
from fractions import Fraction

import numpy as np
import pytest

_c = pytest.importorskip("torch7py._obgemm")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))
import obgemm_skx_ref as ref  # noqa: E402

with open(os.path.join(HERE, "data", "obgemm_skx_facts.json")) as _f:
    FACTS = json.load(_f)["cases"]


@pytest.fixture
def skx():
    was = _c.skylakex(True)
    hw = _c.set_hw(True)
    yield
    _c.skylakex(was)
    _c.set_hw(hw)


def _run(spec, batch=False):
    a, b, c = ref.inputs(spec)
    av, bv, cv = ref.views(spec, a, b, c)
    args = (spec["alpha"], spec["beta"], spec["ta"], spec["tb"])
    if batch:  # gemm_batch: a batch of one, the same BLAS call
        _c.gemm_batch(cv[None], av[None], bv[None], *args)
    else:
        _c.gemm(cv, av, bv, *args)
    return ref.digest(c, spec)


def test_flag_returns_the_previous():
    was = _c.skylakex(True)
    try:
        assert _c.skylakex() is True  # no argument: the flag, unchanged
        assert _c.skylakex(False) is True
        assert _c.skylakex(False) is False
        assert _c.skylakex() is False
    finally:
        _c.skylakex(was)


@pytest.mark.parametrize("hw", [True, False])
def test_facts_of_the_real_library(skx, hw):
    _c.set_hw(hw)
    bad = [f["seed"] for f in FACTS if _run(f) != f["digest"]]
    assert not bad, bad[:10]
    # the facts cover both types, the four transposes, both paths, beta 0 and not
    kinds = {(f["single"], f["ta"], f["tb"]) for f in FACTS}
    assert len(kinds) == 8
    assert any(f["m"] * f["n"] * f["k"] > 1e6 for f in FACTS)
    assert any(f["beta"] == 0 for f in FACTS) and any(f["beta"] not in (0, 1) for f in FACTS)


def test_gemm_batch_gives_the_calls_bits(skx):
    for f in FACTS[:60]:
        assert _run(f, batch=True) == f["digest"], f["seed"]


def test_transposes_default_to_ths_choice(skx):
    # without explicit transposes, the strides decide as THTensor_(addmm) does: A's rows
    # contiguous is 'N', its columns 'T'
    for f in FACTS[:80]:
        a, b, c = ref.inputs(f)
        av, bv, cv = ref.views(f, a, b, c)
        if (ref.th_trans(av), ref.th_trans(bv)) != (f["ta"], f["tb"]):
            continue  # a shape whose strides say otherwise (TH's call would be the other)
        _c.gemm(cv, av, bv, f["alpha"], f["beta"])
        assert ref.digest(c, f) == f["digest"], f["seed"]


def _rn32(x):
    f = np.float32(float(x))
    cands = [np.nextafter(f, np.float32(-np.inf)), f, np.nextafter(f, np.float32(np.inf))]
    return Fraction(float(min(cands, key=lambda y: (abs(Fraction(float(y)) - x),
                                                     int(np.array(y).view(np.int32)) & 1))))


def test_small_tn_float_lanes_and_trees_in_rationals(skx):
    # sgemm 'T','N', m = n = 5, k = 37 (small path: M*N <= 1200, K >= 32): every element is
    # 16 lanes (lane t: the FMA chain over k = t mod 16); summed by the adjacent-pairs tree
    # where the element is in a tile of 4 rows or columns (i < 4 or j < 4), saved
    # fma(C, beta, round(alpha*sum)); element (4, 4) by _mm512_reduce_add_ps's halving tree,
    # saved fma(alpha, sum, round(beta*C))
    rng = np.random.default_rng(3)
    m = n = 5
    k = 37
    A = (rng.standard_normal((m, k)) * 4).astype(np.float32)
    B = (rng.standard_normal((k, n)) * 4).astype(np.float32)
    C = rng.standard_normal((m, n)).astype(np.float32)
    alpha, beta = np.float32(0.7), np.float32(-1.3)
    got = np.asfortranarray(C.copy())
    _c.gemm(got, A, B, float(alpha), float(beta), 1, 0)

    al, be = Fraction(float(alpha)), Fraction(float(beta))
    for i in range(m):
        for j in range(n):
            lanes = []
            for t in range(16):
                acc = Fraction(0)
                for l in range(t, k, 16):
                    acc = _rn32(Fraction(float(A[i, l])) * Fraction(float(B[l, j])) + acc)
                lanes.append(acc)
            x = lanes
            cij = Fraction(float(C[i, j]))
            if i < 4 or j < 4:
                while len(x) > 1:
                    x = [_rn32(x[2 * q] + x[2 * q + 1]) for q in range(len(x) // 2)]
                want = _rn32(cij * be + _rn32(al * x[0]))
            else:
                while len(x) > 1:
                    h = len(x) // 2
                    x = [_rn32(x[q] + x[q + h]) for q in range(h)]
                want = _rn32(al * x[0] + _rn32(be * cij))
            assert Fraction(float(got[i, j])) == want, (i, j)


def _lib_ok():
    if not os.path.exists(ref.LIB):
        return False
    try:
        with open("/proc/cpuinfo") as f:
            return "avx512f" in f.read()
    except OSError:
        return False


@pytest.mark.skipif(not _lib_ok(), reason="no Debian libopenblas 0.3.21 / no AVX-512 here")
@pytest.mark.parametrize("core", ["SkylakeX", "Haswell"])
def test_live_against_the_library(core):
    # fresh random calls (other seeds than the facts'), in a child process whose
    # OPENBLAS_CORETYPE picks the library's kernels; the Haswell build against Haswell's
    bad, _ = ref.run_child("compare", range(200000, 200800), core)
    assert not bad, bad[:3]
