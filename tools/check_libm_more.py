"""Compare the lane kernels of torch7py/_vmath_more_k.h (log1p, ...) with the machine's libm, as
tools/check_libm_replica.py does for the first ones: a float function over ALL 2^32 inputs, a
double one over N inputs drawn where its branches are (every kernel unchecked, libm(...,
mode=1), against libm's own function element by element, mode=0; bits compared).

Run: python tools/check_libm_more.py [--functions log1pf] [--portable | --avx2]
     python tools/check_libm_more.py --double N [--functions log1p]
     python tools/check_libm_more.py --pow 2.5,-1.5,3   (powf(x, y) for each y, all 2^32 x)
Double inputs, in equal parts: random bit patterns; uniform in [-1, 3]; log-uniform magnitudes
from 2^-80 to 2^64, both signs; 2^j - 1 (j in [-3, 64)) plus an offset of magnitude 2^-80 to 1
(where 1 + x lands near a power of two: log1p's |f| < 2^-20 path and its correction term);
-1 plus 2^-60 to 2^-1 (log1p's largest negative k); the high words of the function's branch
thresholds (THRESHOLDS) and their neighbours with random low words. Exits 1 if any result
differs.
On the portable set the kernels replicate glibc's baseline build, which a CPU with FMA does not
run: there a difference here is expected (the run-time check keeps libm's loop).
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_libm_replica  # noqa: E402  (all 2^32 floats, doubles chunk by chunk)
from check_libm_replica import check  # noqa: E402

from torch7py import numerics  # noqa: E402

FLOATS = ("log1p", "atan", "asin", "acos", "cosh", "sinh", "tan")
DOUBLES = ("log1p", "cosh", "sinh", "tan", "asin", "acos")
# the high words where the functions' branches change (fdlibm's tests on the high word)
THRESHOLDS = {
    "log1p": (0x3fda827a, 0xbfd2bec4, 0x3e200000, 0xbe200000, 0x3c900000, 0xbc900000,
              0x43400000, 0x3ff6a09e, 0x3fe6a09e, 0xbfe6a09e, 0x3ff00000, 0xbfefffff),
    "cosh": (0x3c800000, 0x3c900000, 0x3fd62e43, 0x40360000, 0x40800000, 0x40862e42,
             0xbfd62e43, 0xc0360000, 0x3ff00000),
    "sinh": (0x3e300000, 0x3fd62e43, 0x3ff0a2b2, 0x3ff00000, 0x40360000, 0x40800000,
             0xbe300000, 0xbfd62e43, 0xbff0a2b2, 0xbff00000, 0xc0360000, 0xc0800000),
    # tan: k pi/2 for k = 1..12 (poles and zeros), s_tan.c's 0.0608, 0.787, 25, 1e8 and
    # 1.259e-8, the kernel's 2^26 and 2^-30
    "tan": (0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c,
            0x4025fdbb, 0x402921fb, 0x402c463a, 0x402f6a7a, 0x4031475c, 0x4032d97c,
            0x3faf212d, 0x3fe92f1a, 0x40390000, 0x4197d784, 0x41900000, 0x3e4b096c,
            0x3e100000, 0xbff921fb, 0xc00921fb, 0xbfe92f1a),
}


# asin, acos (glibc's IBM e_asin.c): its branch thresholds in |x| (2^-26, 1/8, 1/4, 1/2, 3/4,
# 0.921875, 0.953125, 0.96875, 1; acos's 2^-55), the edges of its table's subintervals
# (multiples of 2^-8 below 1/2, of 2^-7 and 2^-8 above)
ARC_EDGES = (2.0 ** -26, 2.0 ** -55, 0.125, 0.25, 0.5, 0.75, 0.921875, 0.953125, 0.96875, 1.0)


def arc_inputs(rng, m):
    """m doubles for asin and acos, in equal parts: random bit patterns; uniform in (-1, 1);
    uniform in each of glibc's branches (|x| in [2^-26, 1/8), [1/8, 1/4), ... [0.96875, 1)),
    both signs; tanh of normals; log-uniform magnitudes from 2^-60 to 1, both signs; the
    branch thresholds and the table's subinterval edges (k 2^-8 in [1/8, 1)) with offsets of
    -8..8 ulps"""
    q = -(-m // 6)
    bits = rng.integers(0, 1 << 64, q, dtype=np.uint64).view(np.float64)
    uni = rng.uniform(-1.0, 1.0, q)
    lo = np.array((2.0 ** -26,) + ARC_EDGES[2:-1])
    hi = np.array(ARC_EDGES[2:])
    k = rng.integers(0, lo.size, q)
    br = rng.uniform(lo[k], hi[k]) * rng.choice([-1.0, 1.0], q)
    th = np.tanh(rng.standard_normal(q))
    mags = np.exp2(rng.uniform(-60, 0, q)) * rng.choice([-1.0, 1.0], q)
    edges = np.concatenate([np.array(ARC_EDGES), np.arange(32, 256) / 256.0])
    e = rng.choice(edges, q).view(np.int64) + rng.integers(-8, 9, q)
    e = e.view(np.float64) * rng.choice([-1.0, 1.0], q)
    return np.concatenate([bits, uni, br, th, mags, e])[:m]


def double_inputs(rng, m, name):
    """m doubles, a sixth each of the distributions in the module's docstring (asin, acos:
    arc_inputs)"""
    if name in ("asin", "acos"):
        return arc_inputs(rng, m)
    q = -(-m // 6)
    bits = rng.integers(0, 1 << 64, q, dtype=np.uint64).view(np.float64)
    near = rng.uniform(-1.0, 3.0, q)
    mags = np.exp2(rng.uniform(-80, 64, q)) * rng.choice([-1.0, 1.0], q)
    pow2 = (np.exp2(rng.integers(-3, 64, q).astype(np.float64)) - 1.0
            + rng.choice([-1.0, 1.0], q) * np.exp2(rng.uniform(-80, 0, q)))
    m1 = -1.0 + np.exp2(rng.uniform(-60, -1, q))
    his = np.array(THRESHOLDS.get(name, (0x3ff00000,)), np.int64)
    hi = rng.choice(his, q) + rng.integers(-2, 3, q)
    edge = ((hi.astype(np.uint64) & np.uint64(0xffffffff)) << np.uint64(32)
            | rng.integers(0, 1 << 32, q, dtype=np.uint64)).view(np.float64)
    return np.concatenate([bits, near, mags, pow2, m1, edge])[:m]


def check_double(name, n):
    """n doubles drawn by double_inputs (the function's branches), as check_libm_replica's"""
    return check_libm_replica.check_double(
        name, n, inputs=lambda rng, m: double_inputs(rng, m, name))


def check_pow(y):
    """powf(x, y) for one y over all 2^32 x: the kernel unchecked (libm2 mode 1) against
    libm's loop (mode 0)"""
    C = numerics._c

    def run(x, out, mode):
        C.libm2("pow", x, y, out, 0, mode)
    return check("pow", run=run)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--functions", default=None)
    p.add_argument("--portable", action="store_true")
    p.add_argument("--avx2", action="store_true")
    p.add_argument("--double", type=int, default=0, metavar="N")
    p.add_argument("--pow", default=None, metavar="Y,Y...")
    a = p.parse_args(argv)
    C = numerics._c
    if C is None or not hasattr(C, "libm_fast"):
        print("torch7py._exact is not built")
        return 2
    hw = C.use_hardware(not a.portable)
    wide = hw and C.libm_wide(not a.avx2)
    print("kernel set: %s" % ("AVX-512" if wide else "AVX2+FMA" if hw else "portable"))
    names = a.functions.split(",") if a.functions else list(DOUBLES if a.double else FLOATS)
    failed = False
    if a.pow:
        names = []
        for y in (float(v) for v in a.pow.split(",")):
            t0 = time.process_time()
            with np.errstate(all="ignore"):
                bad, first = check_pow(y)
            failed |= bad > 0
            print("powf(x, %r): %d of 2^32 x differ  (%.0f s CPU)" % (
                y, bad, time.process_time() - t0), flush=True)
            for bits, x, r, f in first:
                print("    x=0x%08x (%r): libm %r, kernel %r" % (bits, x, r, f))
    for name in names:
        t0 = time.process_time()
        if a.double:
            bad, first = check_double(name, a.double)
            what = "%d random doubles" % a.double
        else:
            bad, first = check(name)
            what = "2^32 floats"
        failed |= bad > 0
        print("%-8s %d of %s differ  (%.0f s CPU)" % (name, bad, what,
                                                     time.process_time() - t0), flush=True)
        for bits, x, r, f in first:
            print("    x=0x%x (%r): libm %r, kernel %r" % (bits, x, r, f))
    C.use_hardware(True)
    C.libm_wide(True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
