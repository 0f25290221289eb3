"""torch7py._obgemm's SkylakeX build against the real OpenBLAS 0.3.21 (Debian's DYNAMIC_ARCH
libopenblas, OPENBLAS_CORETYPE=SkylakeX, one thread), call by call, through the Fortran
interface TH calls (sgemm_/dgemm_, column-major, 32-bit ints).

    PYTHONPATH=$PWD .venv/bin/python tools/obgemm_skx_ref.py compare [N] [--start S]
                     [--core Haswell] [--sw]   # --sw: the portable C (set_hw(False))
    PYTHONPATH=$PWD .venv/bin/python tools/obgemm_skx_ref.py facts [N]   # tests/data/...json

A case is drawn from its seed alone (case(seed)): type, transposes, shape, leading dimensions,
alpha, beta, and the operands (inputs(spec)), so the facts file holds seeds, specs and a
digest of the library's result. The library must be loaded in a process whose
OPENBLAS_CORETYPE was set before the load: `compare` and `facts` re-run themselves in a
child process with it set."""
import ctypes
import hashlib
import json
import os
import subprocess
import sys

import numpy as np

LIB = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"
FACTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests",
                     "data", "obgemm_skx_facts.json")
ALPHAS = (0.0, 1.0, -1.0, 0.5, 2.0, 1e-3)


def case(seed):
    """The spec of case `seed` (a dict of plain numbers)."""
    r = np.random.default_rng([seed, 2026])
    single = bool(r.integers(2))
    ta, tb = int(r.integers(2)), int(r.integers(2))
    kind = int(r.integers(11))
    if kind < 5:  # small: the small-matrix kernels, every tail
        m, n, k = (int(x) for x in r.integers(1, 41, 3))
    elif kind < 7:  # around the small path's limit (M*N*K 1e6) and TN's (M*N 1200, K 32)
        m, n = (int(x) for x in r.integers(1, 120, 2))
        k = int(min(1000, max(1, 1e6 * r.uniform(0.5, 1.6) / (m * n))))
    elif kind < 9:  # one long side, 1..1000
        dims = [int(r.integers(1, 1001)), int(r.integers(1, 24)), int(r.integers(1, 60))]
        r.shuffle(dims)
        m, n, k = dims
    elif kind < 10:  # the big path: K blocks, M blocks, 12-column groups
        m = int(r.integers(150, 420))
        n = int(r.integers(12, 60))
        k = int(r.integers(200, 1600))
    else:  # long chains on the small path (k past one packed chunk)
        m, n = (int(x) for x in r.integers(1, 13, 2))
        k = int(r.integers(1000, 6000))
    alpha = float(r.choice(ALPHAS + (float(r.uniform(-2, 2)),)))
    beta = float(r.choice(ALPHAS))
    if single:
        alpha, beta = float(np.float32(alpha)), float(np.float32(beta))
    rows_a = k if ta else m
    rows_b = n if tb else k
    return {"seed": seed, "single": single, "ta": ta, "tb": tb, "m": m, "n": n, "k": k,
            "lda": max(1, rows_a + int(r.integers(0, 3))),
            "ldb": max(1, rows_b + int(r.integers(0, 3))),
            "ldc": m + int(r.integers(0, 3)), "alpha": alpha, "beta": beta}


def inputs(spec):
    """The column-major storage of A, B, C (Fortran-ordered arrays of ld rows)."""
    dt = np.float32 if spec["single"] else np.float64
    r = np.random.default_rng([spec["seed"], 7])

    def arr(rows, cols):
        v = r.standard_normal((rows, cols)) * np.exp2(r.integers(-3, 4, (rows, cols)))
        return np.asfortranarray(v.astype(dt))

    m, n, k = spec["m"], spec["n"], spec["k"]
    a = arr(spec["lda"], m if spec["ta"] else k)
    b = arr(spec["ldb"], k if spec["tb"] else n)
    c = arr(spec["ldc"], n)
    if spec["beta"] == 0 and spec["seed"] % 3 == 0:
        c[: m, :] = np.nan  # beta 0: C is not read
    return a, b, c


def views(spec, a, b, c):
    """A (m x k), B (k x n), C (m x n) in BLAS's orientation over the storage."""
    m, n, k = spec["m"], spec["n"], spec["k"]
    av = a[:k, :m].T if spec["ta"] else a[:m, :k]
    bv = b[:n, :k].T if spec["tb"] else b[:k, :n]
    return av, bv, c[:m, :n]


def load_lib():
    lib = ctypes.CDLL(LIB)
    lib.openblas_set_num_threads(1)
    return lib


def lib_gemm(lib, spec, a, b, c):
    """The library's gemm on the storage (c in place)."""
    ct = ctypes.c_float if spec["single"] else ctypes.c_double
    fn = lib.sgemm_ if spec["single"] else lib.dgemm_
    i = ctypes.c_int
    p = ctypes.c_void_p
    fn(ctypes.c_char_p(b"T" if spec["ta"] else b"N"), ctypes.c_char_p(b"T" if spec["tb"] else b"N"),
       ctypes.byref(i(spec["m"])), ctypes.byref(i(spec["n"])), ctypes.byref(i(spec["k"])),
       ctypes.byref(ct(spec["alpha"])), p(a.ctypes.data), ctypes.byref(i(spec["lda"])),
       p(b.ctypes.data), ctypes.byref(i(spec["ldb"])), ctypes.byref(ct(spec["beta"])),
       p(c.ctypes.data), ctypes.byref(i(spec["ldc"])))


def th_trans(x):
    """TH's transpose for a BLAS-oriented operand (THTensor_(addmm)): 0 when its rows are
    contiguous, else 1 when its columns are (what _obgemm infers without explicit ones)."""
    z = x.itemsize
    if x.strides[0] == z and x.strides[1] != 0:
        return 0
    return int(x.strides[1] == z and x.strides[0] != 0)


def model_gemm(spec, a, b, c, explicit=True):
    from torch7py import _obgemm
    av, bv, cv = views(spec, a, b, c)
    if explicit or (th_trans(av), th_trans(bv)) != (spec["ta"], spec["tb"]):
        _obgemm.gemm(cv, av, bv, spec["alpha"], spec["beta"], spec["ta"], spec["tb"])
    else:
        _obgemm.gemm(cv, av, bv, spec["alpha"], spec["beta"])


def digest(c, spec):
    return hashlib.sha256(np.ascontiguousarray(c[: spec["m"], :]).tobytes()).hexdigest()[:24]


def _child(mode, seeds, core, hw=True):
    from torch7py import _obgemm
    lib = load_lib()
    _obgemm.skylakex(core == "SkylakeX")
    _obgemm.set_hw(hw)
    bad, out = [], []
    for s in seeds:
        spec = case(s)
        a, b, c = inputs(spec)
        c1 = c.copy(order="F")
        lib_gemm(lib, spec, a, b, c1)
        if mode == "facts":
            out.append(dict(spec, digest=digest(c1, spec)))
            continue
        c2 = c.copy(order="F")
        model_gemm(spec, a, b, c2, explicit=bool(s % 2))
        if c1.tobytes() != c2.tobytes():
            it = np.uint32 if spec["single"] else np.uint64
            d = int(np.sum(c1.ravel(order="F").view(it) != c2.ravel(order="F").view(it)))
            bad.append((spec, d))
    return bad, out


def run_child(mode, seeds, core="SkylakeX", hw=True):
    """Run _child on a range of seeds in a process with OPENBLAS_CORETYPE=core; returns
    (mismatches, facts)."""
    env = dict(os.environ, OPENBLAS_CORETYPE=core, OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1")
    code = ("import json, sys; sys.path.insert(0, %r); import obgemm_skx_ref as t; "
            "print(json.dumps(t._child(%r, range(%d, %d), %r, %r)))" % (os.path.dirname(
                os.path.abspath(__file__)), mode, seeds.start, seeds.stop, core, hw))
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if res.returncode:
        raise RuntimeError(res.stderr[-2000:])
    bad, out = json.loads(res.stdout.strip().splitlines()[-1])
    return bad, out


def main(argv):
    mode = argv[0] if argv else "compare"
    n = int(argv[1]) if len(argv) > 1 and not argv[1].startswith("--") else 2000
    core = argv[argv.index("--core") + 1] if "--core" in argv else "SkylakeX"
    start = int(argv[argv.index("--start") + 1]) if "--start" in argv else 0
    seeds = range(start, start + n)
    if mode == "facts":
        n = int(argv[1]) if len(argv) > 1 and not argv[1].startswith("--") else 400
        seeds = range(start, start + n)
        _, out = run_child("facts", seeds, core)
        with open(FACTS, "w") as f:
            json.dump({"library": "OpenBLAS 0.3.21 (Debian libopenblas0-pthread), "
                       "OPENBLAS_CORETYPE=SkylakeX, one thread",
                       "cases": out}, f, separators=(",", ":"))
            f.write("\n")
        print("wrote", len(out), "facts to", FACTS)
        return
    hw = "--sw" not in argv
    bad, _ = run_child("compare", seeds, core, hw)
    print("%s (%s): %d calls, %d differ" % (core, "hw" if hw else "portable C", n, len(bad)))
    for spec, d in bad[:20]:
        print(d, spec)


if __name__ == "__main__":
    main(sys.argv[1:])
