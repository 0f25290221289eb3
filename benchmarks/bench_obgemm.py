"""torch7py.obgemm (OpenBLAS 0.3.21 Haswell's gemm bits) against numpy's matmul (other bits
where numpy calls gemv), per call, CPU time, one BLAS thread:

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_obgemm.py

Columns: the C kernel alone (torch7py._obgemm.gemm), obgemm.gemm (numpy's matmul where it
gives the same bits, the C kernel elsewhere), numpy's matmul, the C kernel's SkylakeX build
(_obgemm.skylakex(1): OpenBLAS 0.3.21 SkylakeX's bits; the operands are row-major arrays, so
BLAS's 'T','T' call); microseconds per call, the best of 5 runs of a loop."""
import time

import numpy as np

from torch7py import obgemm
from torch7py import _obgemm as _c

SHAPES = [(16, 16, 16), (64, 64, 64), (256, 256, 256), (128, 800, 75), (100, 100, 600),
          (500, 1, 700), (1, 500, 700), (300, 2, 300)]


def per_call(f, reps):
    best = float("inf")
    for _ in range(5):
        t = time.process_time()
        for _ in range(reps):
            f()
        best = min(best, (time.process_time() - t) / reps)
    return best * 1e6


def main():
    print("%-8s %-15s %10s %10s %10s %10s" % ("type", "m n k", "kernel", "obgemm", "numpy",
                                              "skylakex"))
    for dt in (np.float64, np.float32):
        for m, n, k in SHAPES:
            rng = np.random.default_rng(0)
            a = rng.standard_normal((m, k)).astype(dt)
            b = rng.standard_normal((k, n)).astype(dt)
            c = np.zeros((m, n), dt)
            reps = max(1, int(2e7 // (m * n * k + 1000)))
            tk = per_call(lambda: _c.gemm(c, a, b, 1.0, 0.0), reps)
            to = per_call(lambda: obgemm.gemm(c, a, b, 1.0, 0.0), reps)
            tn = per_call(lambda: np.matmul(a, b, out=c), reps)
            was = _c.skylakex(True)
            try:
                ts = per_call(lambda: _c.gemm(c, a, b, 1.0, 0.0), reps)
            finally:
                _c.skylakex(was)
            print("%-8s %-15s %10.1f %10.1f %10.1f %10.1f" % (
                np.dtype(dt).name, "%d %d %d" % (m, n, k), tk, to, tn, ts))


if __name__ == "__main__":
    main()
