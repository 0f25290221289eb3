"""torch7py._obl12 against Debian's libopenblas 0.3.21 (dot, gemv; axpy and ger too), called
through its Fortran interface in this process, on the kernel set OPENBLAS_CORETYPE names:

    OPENBLAS_CORETYPE=SkylakeX python tools/obl12_skx_ref.py diff fused [CALLS] [SEED]
    OPENBLAS_CORETYPE=Haswell  python tools/obl12_skx_ref.py diff plain [CALLS] [SEED]
    OPENBLAS_CORETYPE=SkylakeX python tools/obl12_skx_ref.py facts OUT.json

`diff` prints, per routine and type, how many of CALLS random calls (sizes, strides, lda,
alpha, beta; a third of them on small integers, where products cancel to zeros) give other bits
than the library. `facts` records the library's results on the inputs tests/test_obl12_skx.py
builds (its CASES), as float.hex() strings. Needs a CPU with AVX-512 for SkylakeX."""
import collections
import ctypes
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

LIB = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"


def library():
    deb = ctypes.CDLL(LIB)
    deb.openblas_set_num_threads(1)
    deb.openblas_get_corename.restype = ctypes.c_char_p
    return deb


def _i(v):
    return ctypes.byref(ctypes.c_int(v))


def _p(a):
    return ctypes.c_void_p(a.ctypes.data)


def call_lib(deb, routine, dt, a, A, x, y):
    """the library's result for one call (arrays modified in place: pass copies)"""
    ct = ctypes.c_float if dt == np.float32 else ctypes.c_double
    pre = "s" if dt == np.float32 else "d"
    if routine == "dot":
        f = getattr(deb, pre + "dot_")
        f.restype = ct
        return np.array([f(_i(a["n"]), _p(x), _i(a["incx"]), _p(y), _i(a["incy"]))], dt)
    if routine == "gemv":
        getattr(deb, pre + "gemv_")(ctypes.c_char_p(a["tr"].encode()), _i(a["m"]), _i(a["n"]),
                                    ctypes.byref(ct(a["alpha"])), _p(A), _i(a["lda"]), _p(x),
                                    _i(a["incx"]), ctypes.byref(ct(a["beta"])), _p(y),
                                    _i(a["incy"]))
        return y
    if routine == "ger":
        getattr(deb, pre + "ger_")(_i(a["m"]), _i(a["n"]), ctypes.byref(ct(a["alpha"])), _p(x),
                                   _i(a["incx"]), _p(y), _i(a["incy"]), _p(A), _i(a["lda"]))
        return A
    getattr(deb, pre + "axpy_")(_i(a["n"]), ctypes.byref(ct(a["alpha"])), _p(x), _i(a["incx"]),
                                _p(y), _i(a["incy"]))
    return y


def call_ours(ob, routine, dt, a, A, x, y):
    if routine == "dot":
        return np.array([ob.dot(a["n"], x, a["incx"], y, a["incy"])], dt)
    if routine == "gemv":
        ob.gemv(a["tr"], a["m"], a["n"], a["alpha"], A, a["lda"], x, a["incx"], a["beta"], y,
                a["incy"])
        return y
    if routine == "ger":
        ob.ger(a["m"], a["n"], a["alpha"], x, a["incx"], y, a["incy"], A, a["lda"])
        return A
    ob.axpy(a["alpha"], x[::a["incx"]], y[::a["incy"]])
    return y


def shapes(routine, a):
    """element counts of A, x, y for one call"""
    if routine == "gemv":
        lx, ly = (a["m"], a["n"]) if a["tr"] == "t" else (a["n"], a["m"])
        return a["lda"] * a["n"], lx * a["incx"], ly * a["incy"]
    if routine == "ger":
        return a["lda"] * a["n"], a["m"] * a["incx"], a["n"] * a["incy"]
    return 0, a["n"] * a["incx"], a["n"] * a["incy"]


SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 15, 16, 17, 20, 24, 31, 32, 33, 40, 47, 48, 49, 50,
         52, 63, 64, 65, 96, 100, 127, 128, 129, 200, 255, 256, 300, 513, 784, 1000]


def random_call(rng, routine):
    pick = lambda v: int(rng.choice(v))  # noqa: E731
    small = rng.random() < 0.5
    m = pick(SIZES[:20] if small else SIZES)
    n = pick(SIZES[:20] if small else SIZES)
    if routine == "gemv" and rng.random() < 0.1:
        m, n = (pick([2048, 2049, 2051, 4096, 4099, 5000]), pick([1, 2, 3, 5, 9]))
    a = {"m": m, "n": n, "tr": "t" if rng.random() < 0.5 else "n",
         "incx": 1 if rng.random() < 0.7 else pick([2, 3]),
         "incy": 1 if rng.random() < 0.7 else pick([2, 3]),
         "alpha": float(rng.choice([1.0, -0.1, 0.37, 2.0, -1.7])),
         "beta": float(rng.choice([0.0, 1.0, 0.5, -1.3]))}
    a["lda"] = m if rng.random() < 0.7 else m + pick([1, 2, 5])
    if routine in ("dot", "axpy"):
        a["n"] = m
    return a


def diff(mode, calls, seed):
    from torch7py import numerics
    numerics.blas_loops(mode)
    from torch7py import _obl12 as ob
    deb = library()
    print("library kernels:", deb.openblas_get_corename().decode(), "mode:", mode)
    rng = np.random.default_rng(seed)
    bad, tot = collections.Counter(), collections.Counter()
    ex = collections.defaultdict(list)
    for it in range(calls):
        for routine in ("dot", "gemv", "axpy", "ger"):
            for dt in (np.float32, np.float64):
                a = random_call(rng, routine)
                if dt == np.float32:
                    a["alpha"] = float(np.float32(a["alpha"]))
                    a["beta"] = float(np.float32(a["beta"]))
                na, nx, ny = shapes(routine, a)
                ints = rng.random() < 0.3
                gen = ((lambda k: rng.integers(-2, 3, k) * 0.5) if ints
                       else rng.standard_normal)
                A, x, y = (gen(max(k, 1)).astype(dt) for k in (na, nx, ny))
                r1 = call_lib(deb, routine, dt, a, A.copy(), x.copy(), y.copy())
                r2 = call_ours(ob, routine, dt, a, A.copy(), x.copy(), y.copy())
                key = (routine + ("_" + a["tr"] if routine == "gemv" else ""), dt.__name__)
                tot[key] += 1
                if r1.tobytes() != r2.tobytes():
                    bad[key] += 1
                    ex[key].append(dict(a, ints=ints))
    for k in sorted(tot):
        print(k, bad[k], "/", tot[k], ex[k][:3])
    return sum(bad.values())


def facts(out):
    from test_obl12_skx import CASES, inputs
    deb = library()
    assert deb.openblas_get_corename().decode().lower() == "skylakex", "OPENBLAS_CORETYPE"
    res = []
    for routine, p, a in CASES:
        dt = np.float64 if p == "d" else np.float32
        A, x, y = inputs(routine, dt, a)
        got = call_lib(deb, routine, dt, a, A, x, y)
        res.append([routine, p, a, [float(v).hex() for v in got.tolist()]])
    doc = {"source": "Debian's libopenblas.so.0 0.3.21 (%s), OPENBLAS_CORETYPE=SkylakeX, one "
           "thread, called through its Fortran interface on the inputs of "
           "tests/test_obl12_skx.py (tools/obl12_skx_ref.py facts)" % LIB,
           "library": res}
    with open(out, "w") as f:  # one case a line
        f.write('{"source": %s,\n "library": [\n' % json.dumps(doc["source"]))
        f.write(",\n".join(json.dumps(c) for c in res))
        f.write("\n]}\n")
    print(len(res), "cases written to", out)


if __name__ == "__main__":
    if sys.argv[1] == "diff":
        n = diff(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 300,
                 int(sys.argv[4]) if len(sys.argv) > 4 else 0)
        sys.exit(1 if n else 0)
    facts(sys.argv[2])
