"""Compare the lane kernels of torch7py/_vmath_more_k.h (log1p, ...) with the machine's libm, as
tools/check_libm_replica.py does for the first ones: a float function over ALL 2^32 inputs, a
double one over N inputs drawn where its branches are (every kernel unchecked, libm(...,
mode=1), against libm's own function element by element, mode=0; bits compared).

Run: python tools/check_libm_more.py [--functions log1pf] [--portable | --avx2]
     python tools/check_libm_more.py --double N [--functions log1p]
     python tools/check_libm_more.py --pow 2.5,-1.5,3   (powf(x, y) for each y, all 2^32 x)
     python tools/check_libm_more.py --dpow N   (double pow(x, y) of one y: N (x, y) pairs,
     DPOW_YS and random y, x drawn by dpow_inputs, plus DPOW_EDGE's grid)
     python tools/check_libm_more.py --dpow2 N   (double pow of two buffers and rpow: N pairs,
     y per element from dpow2_ys, plus DPOW_EDGE x DPOW_EDGE in one call)
     python tools/check_libm_more.py --margins N   (how far glibc's double atan and atan2 stray
     from the true value: per path, the misrounded results among N and the largest distance of
     the true value from the midpoint there, against mpmath at 120 bits; the kernels' margins
     must stay well above it)
     python tools/check_libm_more.py --atan2 N [--atan2-kind 0,1,2]   (atan2(y, x): N pairs
     from atan2_pairs, kind 0 float32 atan2f, 1 float64 atan2, 2 float32 through atan2; then
     the edge grid: every pair of EDGES2 values and a few numbers, both ways)
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
DOUBLES = ("log1p", "cosh", "sinh", "tan", "asin", "acos", "atan")
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
    # glibc's paths (1.29e-8, 1/16, 1, 16, 5.8e15) and the kernel's (2^-27, 2^60, its table's
    # 1/128 steps around 1/2)
    "atan": (0x3e4bb67a, 0x3fb00000, 0x3ff00000, 0x40300000, 0x43349ff2, 0x3e400000,
             0x43b00000, 0xbfb00000, 0xbff00000, 0xc0300000, 0x3fe00000, 0x3fe02000),
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


# double pow's exponents: fractional, negative, odd and even integers, tiny, huge, near glibc's
# limits for y (2^-65, 2^63: the kernel leaves the outside to libm's loop)
DPOW_YS = (0.5, 2.5, -1.5, 3.0, 1 / 3, 1e-3, 100.0, -0.75, -2.0, 7.0, -35.0, 1.1, 0.1,
           1023.0, -1023.0, 1e-19, 3e-20, 2.0 ** -64, 1e18, 2.0 ** 62 + 2.0 ** 10, -1e18,
           1e300, 5e-324)
# x and y edges: zeros, subnormals, 1 and its neighbours, -1, infinities, NaNs, huge
_DPOW_XE = (0.0, 5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1.0,
            1.0000000000000002, 0.9999999999999999, 2.0, 0.5, 1.7976931348623157e308,
            float("inf"), float("nan"), 3.0, 1e-300, 1e300)
DPOW_EDGE = tuple(sorted(set(_DPOW_XE + tuple(-v for v in _DPOW_XE)), key=repr))


def dpow_inputs(rng, m, y):
    """m doubles x for pow(x, y): a quarter random bit patterns (both signs, the whole range),
    a quarter x = 2^(u/y) with u uniform in [-1100, 1100] (results over the whole range and
    past it: exp's scaled, overflow, underflow and subnormal paths), an eighth each near 1
    (1 + 2^-52 k, and 1 + N(0, 1e-6)), log-uniform magnitudes of both signs, integers of both
    signs"""
    q = -(-m // 8)
    bits = rng.integers(0, 1 << 64, 2 * q, dtype=np.uint64).view(np.float64)
    with np.errstate(all="ignore"):
        res = np.exp2(rng.uniform(-1100, 1100, 2 * q) / y) * rng.choice([-1.0, 1.0], 2 * q)
    ulps = 1.0 + rng.integers(-4096, 4096, q) * 2.0 ** -52
    near = 1.0 + rng.standard_normal(q) * 1e-6
    mags = np.exp2(rng.uniform(-1074, 1024, q)) * rng.choice([-1.0, 1.0], q)
    ints = rng.integers(-1000, 1000, q).astype(np.float64)
    return np.concatenate([bits, res, ulps, near, mags, ints])[:m]


def check_dpow(n, show=5):
    """n (x, y) pairs of C's double pow: half over DPOW_YS, half over random y (bit patterns
    of moderate exponents, random values, random integers), x drawn by dpow_inputs; the
    kernel unchecked (libm2 mode 1) against libm's loop (mode 0), on doubles (kind 1) and,
    for a tenth, on floats (kind 2); then DPOW_EDGE x DPOW_EDGE"""
    C = numerics._c
    rng = np.random.default_rng(2027)
    bad, first, done = 0, [], 0
    chunk = 0
    while done < n:
        if done < n // 2:  # (a million x for each y of DPOW_YS in turn)
            y, per = DPOW_YS[chunk % len(DPOW_YS)], 1 << 20
        else:  # (65536 x for each random y)
            k, per = rng.integers(4), 1 << 16
            y = (float(rng.standard_normal() * 10) if k == 0 else
                 float(rng.integers(-300, 300)) if k == 1 else
                 float(np.exp2(rng.uniform(-66, 64)) * rng.choice([-1, 1])) if k == 2
                 else float(rng.uniform(-2, 2)))
        chunk += 1
        m = min(per, n - done)
        x = dpow_inputs(rng, m, y)
        kind = 2 if rng.integers(10) == 0 else 1
        if kind == 2:
            with np.errstate(all="ignore"):
                x = x.astype(np.float32)

        def run(xa, out, mode):
            C.libm2("pow", xa, y, out, kind, mode)
        got = []
        with np.errstate(all="ignore"):
            bad += check_libm_replica.differences(x, run, np.empty_like(x), np.empty_like(x),
                                                  got, show)
        first += [(b, v, r, f, y) for b, v, r, f in got][:max(0, show - len(first))]
        done += m
    xe = np.array(DPOW_EDGE)
    for y in DPOW_EDGE:
        def run(xa, out, mode):
            C.libm2("pow", xa, y, out, 1, mode)
        got = []
        bad += check_libm_replica.differences(xe, run, np.empty_like(xe), np.empty_like(xe),
                                              got, show)
        first += [(b, v, r, f, y) for b, v, r, f in got][:max(0, show - len(first))]
    return bad, first


def dpow2_ys(rng, m):
    """m exponents, in equal parts: N(0, 10), integers in [-300, 300) (odd and even: negative
    bases), halves, log-uniform magnitudes from 2^-70 to 2^66 of both signs (past glibc's
    2^-65 and 2^63 limits), random bit patterns (zeros, infinities, NaNs among them rarely)"""
    q = -(-m // 5)
    y = np.concatenate([
        rng.standard_normal(q) * 10, rng.integers(-300, 300, q).astype(np.float64),
        rng.integers(-200, 200, q) * 0.5,
        np.exp2(rng.uniform(-70, 66, q)) * rng.choice([-1.0, 1.0], q),
        rng.integers(0, 1 << 64, q, dtype=np.uint64).view(np.float64)])[:m]
    rng.shuffle(y)
    return y


def check_dpow2(n, show=5):
    """n (x, y) pairs of C's double pow with y per element: pow(x[i], y[i]) (TH's cpow) and
    pow(b, y[i]) for a few bases b (TH's tpow, rpow), the kernel unchecked (libm2 mode 1)
    against libm's loop (mode 0), a tenth on float buffers (kind 2); then the edge grid"""
    C = numerics._c
    rng = np.random.default_rng(2028)
    bad, first, done, per = 0, [], 0, 1 << 20
    bases = (2.5, -2.0, 0.5, 10.0, -0.75, 1.0, 1e-300, 3.0)
    while done < n:
        m = min(per, n - done)
        y = dpow2_ys(rng, m)
        x = dpow_inputs(rng, m, 2.5)
        rng.shuffle(x)
        kind = 2 if rng.integers(10) == 0 else 1
        if kind == 2:
            with np.errstate(all="ignore"):
                x, y = x.astype(np.float32), y.astype(np.float32)
        if rng.integers(4) == 0:  # (rpow: pow(b, y[i]))
            b = bases[rng.integers(len(bases))]

            def run(ya, out, mode):
                C.libm2("rpow", ya, b, out, kind, mode)
            got = []
            with np.errstate(all="ignore"):
                bad += check_libm_replica.differences(y, run, np.empty_like(y), np.empty_like(y),
                                                      got, show)
            first += [(g[0], g[1], g[2], g[3], "rpow %r" % b) for g in got][:show - len(first)]
        else:
            def run(xa, out, mode):
                C.libm2("pow", xa, y, out, kind, mode)
            got = []
            with np.errstate(all="ignore"):
                bad += check_libm_replica.differences(x, run, np.empty_like(x), np.empty_like(x),
                                                      got, show)
            first += [(g[0], g[1], g[2], g[3], "y per element") for g in got][:show - len(first)]
        done += m
    xe, ye = np.meshgrid(np.array(DPOW_EDGE), np.array(DPOW_EDGE))
    xe, ye = xe.ravel(), ye.ravel()

    def run(xa, out, mode):
        C.libm2("pow", xa, ye, out, 1, mode)
    got = []
    with np.errstate(all="ignore"):
        bad += check_libm_replica.differences(xe, run, np.empty_like(xe), np.empty_like(xe),
                                              got, show)
    first += [(g[0], g[1], g[2], g[3], "edge grid") for g in got][:max(0, show - len(first))]
    return bad, first


# atan2's edge values: zeros, infinities, NaN, 1 (glibc's x == 1 path), subnormals, the
# largest and smallest normals
EDGES2 = (0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 2.0, -0.5, 5e-324, -5e-324, 1e-45,
          -1e-45, 1.1754944e-38, 2.2250738585072014e-308, 1.7976931348623157e308,
          3.4028235e38, -3.4028235e38, 2.0 ** 60, 2.0 ** -60, 2.0 ** 500, 2.0 ** -500, 3.0, -7.25)


def atan2_pairs(rng, m, dt):
    """m (y, x) pairs of dtype dt, a sixth each: random bit patterns; standard normals; |y/x|
    log-uniform from 2^-80 to 2^80 (fdlibm's 2^+-60 and glibc's 2^+-(57*4) cut-offs inside
    the range for floats); y within a few ulps of +-x (|y| = |x|: the reduction's seams); x
    exactly +-1 (glibc's atan(y) path); both log-uniform over the whole exponent range"""
    u = np.uint32 if dt == np.float32 else np.uint64
    bits = 32 if dt == np.float32 else 64
    emax = 127 if dt == np.float32 else 1023
    q = -(-m // 6)
    sg = lambda: rng.choice([-1.0, 1.0], q)  # noqa: E731
    ys, xs = [], []
    r = rng.integers(0, 1 << 63, (2, q), dtype=np.uint64)
    r ^= rng.integers(0, 2, (2, q), dtype=np.uint64) << np.uint64(63)
    if bits == 32:
        r = r >> np.uint64(32)
    ys.append(r[0].astype(u).view(dt))
    xs.append(r[1].astype(u).view(dt))
    ys.append(rng.standard_normal(q).astype(dt))
    xs.append(rng.standard_normal(q).astype(dt))
    x = (sg() * np.exp2(rng.uniform(-30, 30, q))).astype(dt)
    xs.append(x)
    ys.append((x * (sg() * np.exp2(rng.uniform(-80, 80, q)))).astype(dt))
    x = (sg() * np.exp2(rng.uniform(-30, 30, q))).astype(dt)
    xs.append(x)
    step = rng.integers(-4, 5, q).astype(np.int64)
    ys.append((sg() * np.abs(x.view(u).astype(np.int64) + step).astype(u).view(dt)).astype(dt))
    xs.append(rng.choice([1.0, -1.0], q).astype(dt))
    ys.append((sg() * np.exp2(rng.uniform(-40, 40, q))).astype(dt))
    with np.errstate(all="ignore"):
        ys.append((sg() * np.exp2(rng.uniform(-emax - 20, emax, q))).astype(dt))
        xs.append((sg() * np.exp2(rng.uniform(-emax - 20, emax, q))).astype(dt))
    return np.concatenate(ys)[:m], np.concatenate(xs)[:m]


def check_atan2(n, kind, chunk=1 << 22, show=5):
    """atan2 through libm2's kernel (mode 1) against its libm loop (mode 0): n pairs from
    atan2_pairs, then the grid of EDGES2 against each other and against 1e5 random values"""
    C = numerics._c
    dt = np.float64 if kind == 1 else np.float32
    u = np.uint32 if dt == np.float32 else np.uint64
    rng = np.random.default_rng(2026 + kind)
    bad, first, done = 0, [], 0

    def one(y, x):
        a, b = np.empty_like(y), np.empty_like(y)
        with np.errstate(all="ignore"):
            C.libm2("atan2", y, x, a, kind, 1)
            C.libm2("atan2", y, x, b, kind, 0)
        d = np.flatnonzero(a.view(u) != b.view(u))
        for i in d[:max(0, show - len(first))]:
            first.append((int(y.view(u)[i]), float(y[i]), float(x[i]), float(b[i]),
                          float(a[i])))
        return len(d)
    while done < n:
        y, x = atan2_pairs(rng, min(chunk, n - done), dt)
        bad += one(y, x)
        done += len(y)
    with np.errstate(all="ignore"):
        e = np.array(EDGES2, dt)
        bad += one(np.repeat(e, len(e)), np.tile(e, len(e)))
        v = np.concatenate([rng.standard_normal(50000),
                            np.exp2(rng.uniform(-1100, 1024, 50000))]).astype(dt)
        for ev in e:
            bad += one(v, np.full_like(v, ev)) + one(np.full_like(v, ev), v)
    return bad, first


def margins(n, show=print):
    """glibc's double atan and atan2 are no longer correctly rounded (2.35 removed their slow
    paths): for u = |x| or the ratio of |y| and |x| in each of their paths (and atan2's four
    quadrants), the share of n log-uniform inputs whose result is not the correct rounding and
    the largest distance of the true value from the midpoint among those (ulps, and absolute or
    relative), against mpmath at 120 bits. _vmath_atan_k.h's margins (2^-59 absolute in the
    table paths, 2^-58 relative in the small-argument paths) must exceed these several times."""
    import ctypes
    import math
    try:
        import mpmath
    except ImportError:
        show("mpmath is not installed")
        return
    mpmath.mp.prec = 120
    lib = ctypes.CDLL("libm.so.6")
    lib.atan.restype, lib.atan.argtypes = ctypes.c_double, [ctypes.c_double]
    lib.atan2.restype, lib.atan2.argtypes = ctypes.c_double, [ctypes.c_double] * 2
    rng = np.random.default_rng(2036)

    def stray(pairs, f, ref):
        bad, worst, wabs, wrel = 0, 0.0, 0.0, 0.0
        for args in pairs:
            r = f(*args)
            ulp = math.ulp(r)
            d = abs(float((mpmath.mpf(r) - ref(*map(mpmath.mpf, args))) / ulp))
            if d > 0.5:
                bad += 1
                worst = max(worst, d - 0.5)
                wabs = max(wabs, (d - 0.5) * ulp)
                wrel = max(wrel, (d - 0.5) * ulp / abs(r))
        lg = lambda v: math.log2(v) if v else float("-inf")  # noqa: E731
        return "%d of %d misrounded, %.4f ulp from the midpoint at most (2^%.1f absolute, " \
            "2^%.1f relative)" % (bad, n, worst, lg(wabs), lg(wrel))
    for lo, hi in ((2.0 ** -27, 1 / 16), (1 / 16, 1), (1, 16), (16, 6e15)):
        u = np.exp(rng.uniform(math.log(lo), math.log(hi), n)).tolist()
        show("atan  u in [%g, %g): %s" % (lo, hi, stray([(v,) for v in u], lib.atan,
                                                         mpmath.atan)))
    for q, (sy, sx, swap) in enumerate(((1, 1, 0), (1, 1, 1), (1, -1, 1), (1, -1, 0))):
        for lo, hi in ((2.0 ** -30, 1 / 16), (1 / 16, 1)):
            u = np.exp(rng.uniform(math.log(lo), math.log(hi), n))
            b = np.exp(rng.uniform(-5, 5, n))
            a = u * b
            pairs = [((bv, sx * av) if swap else (av, sx * bv)) for av, bv in zip(a.tolist(),
                                                                                  b.tolist())]
            show("atan2 quadrant %d (%s), ratio in [%g, %g): %s" % (
                q, ("x > 0, |y| < |x|", "x > 0, |y| > |x|", "x < 0, |y| > |x|",
                    "x < 0, |y| < |x|")[q], lo, hi, stray(pairs, lib.atan2, mpmath.atan2)))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--functions", default=None)
    p.add_argument("--portable", action="store_true")
    p.add_argument("--avx2", action="store_true")
    p.add_argument("--double", type=int, default=0, metavar="N")
    p.add_argument("--pow", default=None, metavar="Y,Y...")
    p.add_argument("--dpow", type=int, default=0, metavar="N")
    p.add_argument("--dpow2", type=int, default=0, metavar="N")
    p.add_argument("--atan2", type=int, default=0, metavar="N")
    p.add_argument("--margins", type=int, default=0, metavar="N")
    p.add_argument("--atan2-kind", default="0", metavar="K,K...")
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
    if a.dpow:
        names = []
        t0 = time.process_time()
        with np.errstate(all="ignore"):
            bad, first = check_dpow(a.dpow)
        failed |= bad > 0
        print("pow (double, one y): %d of %d (x, y) pairs differ  (%.0f s CPU)" % (
            bad, a.dpow + len(DPOW_EDGE) ** 2, time.process_time() - t0), flush=True)
        for bits, x, r, f, y in first:
            print("    x=0x%x (%r), y=%r: libm %r, kernel %r" % (bits, x, y, r, f))
    if a.dpow2:
        names = []
        t0 = time.process_time()
        with np.errstate(all="ignore"):
            bad, first = check_dpow2(a.dpow2)
        failed |= bad > 0
        print("pow (double, y per element; rpow): %d of %d pairs differ  (%.0f s CPU)" % (
            bad, a.dpow2 + len(DPOW_EDGE) ** 2, time.process_time() - t0), flush=True)
        for bits, x, r, f, what in first:
            print("    x=0x%x (%r), %s: libm %r, kernel %r" % (bits, x, what, r, f))
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
    if a.margins:
        margins(a.margins)
        return 0
    if a.atan2:
        names = []
        for kind in (int(k) for k in a.atan2_kind.split(",")):
            t0 = time.process_time()
            bad, first = check_atan2(a.atan2, kind)
            failed |= bad > 0
            print("atan2 kind %d: %d of %d pairs and the edge grid differ  (%.0f s CPU)" % (
                kind, bad, a.atan2, time.process_time() - t0), flush=True)
            for bits, y, x, r, f in first:
                print("    y=%r x=%r: libm %r, kernel %r" % (y, x, r, f))
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
