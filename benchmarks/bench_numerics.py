"""The cost of Torch7's order of operations (issue 12): torch7py's bit-exact reductions and fused
add(value, y) against the plain numpy call each replaces (pairwise np.sum, two-rounding axpy).

First the floor: the cost per element of a sequential sum on one long row, by the plain C
loop and by the binade kernel that gives its bits faster (see torch7py/_exact.c), against
numpy's pairwise sum. Then three columns: torch7py with its C loops (torch7py._exact),
torch7py with the C loops switched off (numerics.py's numpy code, the fallback without a
compiler), and the plain numpy call. Each
time is the median per-call time over `repeat` rounds (statements timed in turn, so that load
hits them alike), with the ratios' range over the rounds in brackets. One BLAS thread.

Run: python benchmarks/bench_numerics.py   (numbers are reported, never asserted)
     python benchmarks/bench_numerics.py pointwise   (TH's pointwise functions only, every
     function, float and double, 1e3/1e5/1e6 elements, a summary of the ratios by size, then
     strided 1e6 and the per-call cost of small ops, t:exp() ... t:cmul(u), at 1e3)
     python benchmarks/bench_numerics.py pointwise exp,sin,cos,tanh   (those functions)
     python benchmarks/bench_numerics.py thnn   (nn.SoftPlus and nn.LogSigmoid, whose THNN
     loops call libm's double exp / log1p / log per element, against numpy's formulas)
"""
import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import math
import statistics
import sys
import time
import timeit

import numpy as np

import torch7py as torch
from torch7py import nn, numerics, optim

C = numerics._c


def times(stmts, ns, number, repeat, timer=time.perf_counter):
    """per-call seconds of each (statement, C module or None) in each of repeat rounds."""
    timers = [(timeit.Timer(s, globals=ns, timer=timer), mode) for s, mode in stmts]
    out = [[] for _ in timers]
    try:
        for _ in range(repeat):
            for (t, mode), ts in zip(timers, out):
                numerics._c = mode
                ts.append(t.timeit(number) / number)
    finally:
        numerics._c = C
    return out


def row(name, ours, ref, ns, number, unit="ms", repeat=7):
    tc, tn, tr = times([(ours, C), (ours, None), (ref, C)], ns, number, repeat)
    scale = 1e6 if unit == "us" else 1e3
    rc = [a / b for a, b in zip(tc, tr)]
    rn = [a / b for a, b in zip(tn, tr)]
    med = statistics.median
    print("%-36s %9.3f%s %9.3f%s %9.3f%s  %5.2fx [%.2f-%.2f]  %6.2fx" % (
        name, med(tc) * scale, unit, med(tn) * scale, unit, med(tr) * scale, unit, med(rc),
        min(rc), max(rc), med(rn)))


def floor(n=4_000_000, repeat=7):
    """The sequential sum's cost per element on one long row: the plain C loop (the portable
    kernel: one dependent add per element, bound by the FP-add latency), the binade kernel
    (the same bits, see _exact.c), numpy's pairwise SIMD sum, np.add.accumulate (the numpy
    fallback's sequential loop) and math.fsum; best of `repeat`, CPU time of the process."""
    if C is None:
        return
    rng = np.random.default_rng(0)
    print("-- one row of %d elements: ns per element (best of %d); the plain loop at 3 cycles "
          "per element (Zen 3's FP-add latency) gives the clock" % (n, repeat))
    print("%-22s %9s %9s %9s %9s %9s  %s" % ("data", "plain C", "binade C", "np.sum",
                                              "accumulate", "fsum", "binade/np.sum"))
    out = np.empty(1)
    for name, x in (("normal, double", rng.standard_normal(n)),
                    ("normal, float", rng.standard_normal(n).astype(np.float32)),
                    ("uniform, double", rng.random(n)),
                    ("uniform, float", rng.random(n).astype(np.float32))):
        f32 = x.dtype == np.float32

        def plain():
            C.use_hardware(False)
            C.reduce(x, out, 1, n, 1, f32, False, False)
            C.use_hardware(True)

        def fast():
            C.reduce(x, out, 1, n, 1, f32, False, False)

        fns = [plain, fast, lambda: np.sum(x, dtype=np.float64),
               lambda: np.add.accumulate(x, dtype=np.float64)]
        best = [min(timeit.repeat(f, number=1, repeat=repeat, timer=time.process_time))
                for f in fns]
        fs = min(timeit.repeat(lambda: math.fsum(x[:n // 16]), number=1, repeat=2,
                               timer=time.process_time)) * 16
        ns = [b / n * 1e9 for b in best + [fs]]
        print("%-22s %9.2f %9.2f %9.2f %9.2f %9.2f  %.2fx" % ((name,) + tuple(ns)
                                                             + (best[1] / best[2],)))


def coverage(sizes=(100_000, 1_000_000), repeat=5):
    """Why some rows stay slow: per data kind, the share of elements the binade method took
    (fast), how often the exact running sum changes binade (sign or exponent; the method
    needs one binade per chunk), the share of elements in runs of >= 64 in one binade (what
    any method of that kind could take at best), and the best time of the C row sum, of the
    plain sequential loop and of np.sum (CPU time, best of `repeat`)."""
    if C is None:
        return
    rng = np.random.default_rng(0)
    print("-- where the binade method runs: one row, best of %d" % repeat)
    print("%-30s %6s %9s %8s %8s %8s" % ("data", "fast", "changes", "runs>=64", "C/np",
                                         "plain/np"))
    out = np.empty(1)
    for n in sizes:
        kinds = (("normal, double", rng.standard_normal(n)),
                 ("normal + 0.1, double", rng.standard_normal(n) + 0.1),
                 ("uniform, double", rng.random(n)),
                 ("+-1 walk, double", rng.choice([-1.0, 1.0], n) * (1 + rng.random(n))),
                 ("normal * 2^+-30, double",
                  rng.standard_normal(n) * np.exp2(rng.integers(-30, 30, n))),
                 ("normal, float", rng.standard_normal(n).astype(np.float32)))
        for name, x in kinds:
            f32 = x.dtype == np.float32
            s = np.add.accumulate(x.astype(np.float64))  # the sequential partial sums
            ex = np.frexp(s)[1]
            key = ex * 4 + np.sign(s).astype(int)
            edges = np.flatnonzero(key[1:] != key[:-1])
            runs = np.diff(np.r_[0, edges + 1, n])
            C.fast_elements()
            C.reduce(x, out, 1, n, 1, f32, False, False)
            fast = C.fast_elements() / n

            def ours():
                C.reduce(x, out, 1, n, 1, f32, False, False)

            def plain():
                C.use_hardware(False)
                C.reduce(x, out, 1, n, 1, f32, False, False)
                C.use_hardware(True)

            best = [min(timeit.repeat(f, number=1, repeat=repeat, timer=time.process_time))
                    for f in (ours, plain, lambda: np.sum(x, dtype=np.float64))]
            print("%-30s %5.0f%% %9d %7.0f%% %7.2fx %7.2fx" % (
                "%s n=%d" % (name, n), 100 * fast, edges.size,
                100 * runs[runs >= 64].sum() / n, best[0] / best[2], best[1] / best[2]))


def row_kinds(rng, n):
    """The data kinds of the row-sum tables: zero-mean (normal; a +-1..2 walk; normals over
    2^+-30, whose sum jumps binades), drifting (normal + 0.1, uniform) and float32 normals
    summed in double."""
    return (("normal", rng.standard_normal(n)),
            ("walk", rng.choice([-1.0, 1.0], n) * (1 + rng.random(n))),
            ("wide", rng.standard_normal(n) * np.exp2(rng.integers(-30, 30, n))),
            ("normal + 0.1", rng.standard_normal(n) + 0.1),
            ("uniform", rng.random(n)),
            ("normal float32", rng.standard_normal(n).astype(np.float32)))


def row_sums(sizes=(1_000, 10_000, 100_000, 1_000_000, 10_000_000), repeat=7):
    """The cost of the sequential order on one row, size by size (in cache up to 1e5-1e6, out
    of it at 1e7) and data kind by data kind: sumall (t:sum()'s C call, the binade method on
    AVX2 CPUs) against np.sum in double; per size and kind the share of elements the binade
    method took (fast), how many of the elements lie within 8 standard deviations of an
    element of an edge of the running sum's binade (power of two or zero: where the method
    cannot run, see docs/internals.md), the median CPU time per call and the ratio's median
    and range over the rounds (each round the best of a few calls)."""
    if C is None:
        return
    rng = np.random.default_rng(0)
    print(f"-- one row, sumall against np.sum (float32: dtype=float64), {repeat} rounds")
    print(f"{'data':16} {'n':>9} {'fast':>6} {'<8sd':>6} {'sumall':>11} {'np.sum':>11}  "
          "ratio [range]")
    for n in sizes:
        for name, x in row_kinds(rng, n):
            s = np.add.accumulate(x.astype(np.float64))
            a = np.abs(s)
            e = np.exp2(np.floor(np.log2(np.maximum(a, 1e-300))))
            near = np.mean(np.minimum(a - e, 2 * e - a) < 8 * np.std(x))
            C.fast_elements()
            C.sumall(x, 0)
            fast = C.fast_elements() / n
            number = max(1, 200_000 // n)
            tc, tn = [], []
            for _ in range(repeat):
                tc.append(min(timeit.repeat(lambda x=x: C.sumall(x, 0), number=number,
                                            repeat=3, timer=time.process_time)) / number)
                tn.append(min(timeit.repeat(lambda x=x: np.sum(x, dtype=np.float64),
                                            number=number, repeat=3,
                                            timer=time.process_time)) / number)
            r = [p / q for p, q in zip(tc, tn, strict=True)]
            med = statistics.median
            print(f"{name:16} {n:9d} {100 * fast:5.0f}% {100 * near:5.0f}% "
                  f"{med(tc) * 1e6:9.1f}us {med(tn) * 1e6:9.1f}us  {med(r):5.2f}x "
                  f"[{min(r):.2f}-{max(r):.2f}]", flush=True)


def sums(sizes=(1_000, 10_000, 100_000, 1_000_000, 10_000_000), repeat=7):
    """t:sum() (TH's sumall: the sequential sum in double) against np.sum (pairwise, in double)
    for zero-mean (normal) and drifting (uniform) data, float64 and float32, contiguous and
    every other element (a column of an n x 2 matrix), and t:sum(2) of 100 rows; the fraction
    of elements the binade method took (fast); median CPU time per call (process time: the
    machine may be shared) and the ratio's median and range over the rounds."""
    rng = np.random.default_rng(0)
    print("-- t:sum() against np.sum (float32: dtype=float64), %d rounds" % repeat)
    print("%-34s %6s %11s %11s  %s" % ("data", "fast", "C", "np.sum", "C/np.sum [range]"))
    for kind in ("normal", "uniform"):
        for dt in (np.float64, np.float32):
            for n in sizes:
                a = (rng.standard_normal((n, 2)) if kind == "normal" else rng.random((n, 2)))
                a = a.astype(dt)
                m = torch.from_numpy(a)
                for layout in ("contiguous", "strided"):
                    if layout == "contiguous":
                        an = np.ascontiguousarray(a[:, 0])
                        x = torch.from_numpy(an)
                    else:
                        an, x = a[:, 0], m.select(2, 1)
                    if C is not None:
                        C.fast_elements()
                    x.sum()
                    fast = C.fast_elements() / n if C is not None else 0.0
                    number = max(1, 2_000_000 // n)
                    tc, tr = times([("x.sum()", C), ("float(np.sum(an, dtype=np.float64))", C)],
                                   dict(x=x, an=an, np=np), number, repeat, time.process_time)
                    r = [p / q for p, q in zip(tc, tr)]
                    med = statistics.median
                    name = "%s %s %s n=%d" % (kind, np.dtype(dt).name, layout[:6], n)
                    print("%-34s %5.0f%% %9.3fus %9.3fus  %5.2fx [%.2f-%.2f]" % (
                        name, 100 * fast, med(tc) * 1e6, med(tr) * 1e6, med(r), min(r), max(r)))
                if n >= 10_000:  # rows of a matrix: t:sum(2) of 100 x n/100
                    an = np.ascontiguousarray(a[:, 0]).reshape(100, -1)
                    x = torch.from_numpy(an)
                    tc, tr = times([("x.sum(2)", C),
                                    ("np.sum(an, axis=1, keepdims=True, dtype=np.float64)", C)],
                                   dict(x=x, an=an, np=np), number, repeat, time.process_time)
                    r = [p / q for p, q in zip(tc, tr)]
                    name = "%s %s sum(2) 100x%d" % (kind, np.dtype(dt).name, n // 100)
                    print("%-34s %6s %9.3fus %9.3fus  %5.2fx [%.2f-%.2f]" % (
                        name, "", med(tc) * 1e6, med(tr) * 1e6, med(r), min(r), max(r)))


# TH's pointwise functions (THTensorMath.c's LAB_IMPLEMENT_BASIC_FUNCTION and pow/atan2, with
# TH_MATH_NAME: expf... on float, exp... on double) and the numpy call each stands against
_POINTWISE = {
    "exp": "np.exp(xn, out=rn)", "log": "np.log(xn, out=rn)", "log1p": "np.log1p(xn, out=rn)",
    "sin": "np.sin(xn, out=rn)", "cos": "np.cos(xn, out=rn)", "tan": "np.tan(xn, out=rn)",
    "asin": "np.arcsin(xn, out=rn)", "acos": "np.arccos(xn, out=rn)",
    "atan": "np.arctan(xn, out=rn)", "sinh": "np.sinh(xn, out=rn)",
    "cosh": "np.cosh(xn, out=rn)", "tanh": "np.tanh(xn, out=rn)",
    "sigmoid": "np.divide(1, np.add(1, np.exp(np.negative(xn, out=rn), out=rn), out=rn), out=rn)",
    "sqrt": "np.sqrt(xn, out=rn)", "rsqrt": "np.divide(1, np.sqrt(xn, out=rn), out=rn)",
    "pow": "np.power(xn, 2.5, out=rn)", "atan2": "np.arctan2(xn, yn, out=rn)",
    "cpow": "np.power(xn, yn, out=rn)", "tpow": "np.power(2.5, xn, out=rn)",
}
# inputs in each function's domain: |x| for log, log1p, sqrt, rsqrt, pow; [-1, 1] for asin, acos
_ABS = ("log", "log1p", "sqrt", "rsqrt", "pow", "cpow")
_UNIT = ("asin", "acos")


def pointwise(sizes=(1_000, 100_000, 1_000_000), funcs=tuple(_POINTWISE), strided=False,
              repeat=7):
    """torch.f(r, x) (TH's pointwise math: libm's float or double function per element, the
    float ones through _vmath.c's lane kernels where they exist) against numpy's ufunc with
    out=, CPU time of the process, median and range of the ratio over `repeat` rounds; with
    strided, x and r are transposed views (every other column of a wider matrix). x and r are
    torch's own tensors (as a Lua script makes them), so the small-call path can take them.
    Returns {(function, type, n): median ratio}."""
    rng = np.random.default_rng(0)
    print("-- pointwise math (torch.f(r, x) into a reused r / numpy with out=; CPU time)%s"
          % (", strided views" if strided else ""))
    if C is not None and hasattr(C, "libm_fast"):
        print("   float lane kernels in use: %s (%s set)" % (
            ", ".join(C.libm_fast()), "AVX-512" if getattr(C, "libm_wide", lambda: False)()
            else "AVX2+FMA" if C.use_hardware(True) else "portable"))
    ratios = {}
    for n in sizes:
        number = max(1, 200_000 // n)
        for dt, tname in ((np.float64, "double"), (np.float32, "float")):
            T = torch.DoubleTensor if dt == np.float64 else torch.FloatTensor
            base = rng.standard_normal(2 * n if strided else n).astype(dt)
            other = rng.standard_normal(base.size).astype(dt)
            for fn in funcs:
                xv = np.abs(base) if fn in _ABS else (np.tanh(base) if fn in _UNIT else base)
                xv = xv.astype(dt)
                x, y = T(xv.size).copy(torch.from_numpy(xv)), T(xv.size).copy(
                    torch.from_numpy(other))
                if strided:
                    x = x.view(n // 1000, 1000, 2).select(3, 1).t()
                    y = y.view(n // 1000, 1000, 2).select(3, 1).t()
                    r = T(2 * n).view(1000, 2 * n // 1000).narrow(2, 1, n // 1000)
                else:
                    r = T(n)
                xn, yn, rn = x.numpy(), y.numpy(), np.empty(x.numpy().shape, dt)
                if strided:
                    rn = np.empty((1000, 2 * n // 1000), dt)[:, ::2]
                ours = {"pow": "torch.pow(r, x, 2.5)", "atan2": "torch.atan2(r, x, y)",
                        "cpow": "torch.cpow(r, x, y)",
                        "tpow": "torch.pow(r, 2.5, x)"}.get(fn, "torch.%s(r, x)" % fn)
                ns = dict(x=x, y=y, r=r, xn=xn, yn=yn, rn=rn, np=np, torch=torch)
                tc, tr = times([(ours, C), (_POINTWISE[fn], C)], ns, number, repeat,
                               timer=time.process_time)
                rc = [a / b for a, b in zip(tc, tr)]
                med = statistics.median
                ratios[fn, tname, n] = med(rc)
                print("%-30s %9.3fus %9.3fus  %5.2fx [%.2f-%.2f]" % (
                    "torch.%s (%s, %d)" % (fn, tname, n), med(tc) * 1e6, med(tr) * 1e6,
                    med(rc), min(rc), max(rc)), flush=True)
    return ratios


def summary(ratios, sizes=(1_000, 100_000, 1_000_000)):
    """the median ratios of pointwise(), one line a function: float then double, by size"""
    funcs = list(dict.fromkeys(f for f, _, _ in ratios))
    head = "  ".join("%7s" % ("%.0e" % n).replace("+0", "") for n in sizes)
    print("-- pointwise ratios (torch7py / numpy, CPU time, median)")
    print("%-10s float   %s   double  %s" % ("function", head, head))
    for f in funcs:
        cells = []
        for tname in ("float", "double"):
            cells.append("  ".join("%6.2fx" % ratios[f, tname, n] if (f, tname, n) in ratios
                                   else "%7s" % "-" for n in sizes))
        print("%-10s       %s           %s" % (f, cells[0], cells[1]))


def calls(n=1_000, repeat=7):
    """The per-call cost of small ops on n-element contiguous tensors made by torch (the
    one-call paths), CPU time, against the numpy call each replaces; in place on values that
    stay in range (sin, tanh, sigmoid converge slowly)."""
    print("-- small calls, %d elements, CPU time per call (median of %d rounds)" % (n, repeat))
    rng = np.random.default_rng(1)
    for T, tname, dt in ((torch.FloatTensor, "float", np.float32),
                         (torch.DoubleTensor, "double", np.float64)):
        v = rng.standard_normal(n).astype(dt)
        t, u, r = (T(n).copy(torch.from_numpy(v)) for _ in range(3))
        w = T(n).copy(torch.from_numpy(np.sign(v)))  # cmul by +-1: t stays in range
        tn, un, rn, wn = t.numpy(), u.numpy(), r.numpy(), w.numpy()
        ns = dict(t=t, u=u, r=r, w=w, tn=tn, un=un, rn=rn, wn=wn, np=np, torch=torch)
        for ours, ref in (("r.exp(t)", "np.exp(tn, out=rn)"),
                          ("torch.exp(r, t)", "np.exp(tn, out=rn)"),
                          ("t.sin()", "np.sin(tn, out=tn)"),
                          ("t.tanh()", "np.tanh(tn, out=tn)"),
                          ("t.sigmoid()", "np.divide(1, np.add(1, np.exp(np.negative("
                                          "tn, out=rn), out=rn), out=rn), out=tn)"),
                          ("t.add(1e-3)", "np.add(tn, 1e-3, out=tn)"),
                          ("t.mul(0.999)", "np.multiply(tn, 0.999, out=tn)"),
                          ("t.cmul(w)", "np.multiply(tn, wn, out=tn)")):
            tc, tr = times([(ours, C), (ref, C)], ns, 2000, repeat, timer=time.process_time)
            t.copy(u)
            rc = [a / b for a, b in zip(tc, tr)]
            med = statistics.median
            print("%-8s %-16s %7.2fus   numpy %7.2fus  %5.2fx [%.2f-%.2f]" % (
                tname, ours, med(tc) * 1e6, med(tr) * 1e6, med(rc), min(rc), max(rc)),
                flush=True)


def thnn_act(shape=(256, 1000), repeat=7):
    """nn.SoftPlus and nn.LogSigmoid forward and backward on a shape-d tensor (libm's double
    exp, log1p, log through the lane kernels), float and double, CPU time, against the same
    formula in numpy's own functions (in the tensor's type: what they cost before libm)"""
    print("-- THNN SoftPlus / LogSigmoid, %dx%d, CPU time per call (median of %d rounds)"
          % (shape + (repeat,)))
    rng = np.random.default_rng(2)
    for T, tname, dt in ((torch.FloatTensor, "float", np.float32),
                         (torch.DoubleTensor, "double", np.float64)):
        xn = rng.standard_normal(shape).astype(dt)
        x = T(*shape).copy(torch.from_numpy(xn))
        for M, ref in ((nn.SoftPlus, "np.where(xn > 20, xn, np.log1p(np.exp(xn)))"),
                       (nn.LogSigmoid, "-(np.fmax(0, -xn) + np.log(np.exp(-np.fmax(0, -xn)) "
                                       "+ np.exp(-xn - np.fmax(0, -xn))))")):
            m = M().float() if dt == np.float32 else M()
            m.forward(x)
            go = m.output.clone()
            ns = dict(m=m, x=x, go=go, xn=xn, np=np)
            tf, tb, tr = times([("m.forward(x)", C), ("m.backward(x, go)", C), (ref, C)], ns,
                               5, repeat, timer=time.process_time)
            med = statistics.median
            rf = [a / b for a, b in zip(tf, tr)]
            print("%-6s %-10s forward %6.2fms  backward %6.2fms  numpy formula %6.2fms  "
                  "forward/numpy %5.2fx [%.2f-%.2f]" % (
                      tname, M.__name__, med(tf) * 1e3, med(tb) * 1e3, med(tr) * 1e3, med(rf),
                      min(rf), max(rf)), flush=True)


def main():
    if sys.argv[1:2] == ["thnn"]:
        thnn_act()
        return
    if sys.argv[1:2] == ["pointwise"]:  # only the pointwise table: all functions and sizes
        funcs = tuple(sys.argv[2].split(",")) if sys.argv[2:] else tuple(_POINTWISE)
        summary(pointwise(funcs=funcs))
        pointwise(sizes=(1_000_000,), funcs=funcs, strided=True)
        calls()
        return
    floor()
    row_sums()
    coverage()
    sums()
    rng = np.random.default_rng(0)
    if C is None:
        print("torch7py._exact is not built: both torch7py columns run the numpy code")
    print("%-36s %11s %11s %11s  %-20s %7s" % ("operation", "C", "numpy path", "plain numpy",
                                               "C/plain [range]", "np/plain"))
    for n, number, unit in ((10, 20000, "us"), (10_000, 200, "us"), (1_000_000, 5, "ms")):
        x = torch.from_numpy(rng.standard_normal(n))
        y = torch.from_numpy(rng.standard_normal(n))
        xf = x.float()
        xn, yn, xfn = x.numpy(), y.numpy(), xf.numpy()
        ns = dict(x=x, y=y, xf=xf, xn=xn, yn=yn, xfn=xfn, np=np, torch=torch)
        print("-- %d elements" % n)
        row("x.sum() (double)", "x.sum()", "float(np.sum(xn))", ns, number, unit)
        row("xf.sum() (float, in double)", "xf.sum()", "float(np.sum(xfn, dtype=np.float64))",
            ns, number, unit)
        row("x.add(0.01, y) (in place, fused)", "x.add(0.01, y)",
            "np.add(xn, 0.01 * yn, out=xn)", ns, number, unit)
        row("x.norm()", "x.norm()", "float(np.sqrt(np.dot(xn, xn)))", ns, number, unit)
        row("x.var()", "x.var()", "float(np.var(xn, ddof=1))", ns, number, unit)
        if n >= 10_000:
            m = x.view(100, -1)
            mn = m.numpy()
            ns.update(m=m, mn=mn)
            row("m.sum(2) (rows, 100 x n/100)", "m.sum(2)",
                "np.sum(mn, axis=1, keepdims=True)", ns, number, unit)
            row("m.sum(1) (columns)", "m.sum(1)", "np.sum(mn, axis=0, keepdims=True)", ns,
                number, unit)
    pointwise(sizes=(1_000_000,), funcs=("exp", "log", "tanh", "sin"))
    # optim.sgd on a million parameters (a fused x += -lr * dfdx) against x -= lr * g
    w = torch.from_numpy(rng.standard_normal(1_000_000))
    g = torch.from_numpy(rng.standard_normal(1_000_000))
    wn, gn = w.numpy(), g.numpy()
    ns = dict(optim=optim, w=w, feval=lambda _x: (0.0, g), np=np, wn=wn, gn=gn,
              cfg={"learningRate": 0.01})
    print("-- optim.sgd, 1e6 parameters")
    row("optim.sgd step", "optim.sgd(feval, w, cfg)", "np.subtract(wn, 0.01 * gn, out=wn)",
        ns, 5, "ms")
    # a small training step: Linear(2, 1) + MSE, 1D input, updateParameters
    lin, crit = nn.Linear(2, 1), nn.MSECriterion()
    inp, tgt = torch.Tensor([0.3, -1.2]), torch.Tensor([0.5])
    w, b = lin.weight.numpy(), lin.bias.numpy()
    gw, gb = lin.gradWeight.numpy(), lin.gradBias.numpy()
    xi, ti = inp.numpy(), tgt.numpy()

    def ours():
        out = lin.forward(inp)
        crit.forward(out, tgt)
        lin.zeroGradParameters()
        lin.backward(inp, crit.backward(out, tgt))
        lin.updateParameters(0.01)

    def ref():
        out = w @ xi + b
        d = out - ti
        g = 2 * d
        gw[...] = np.outer(g, xi)
        gb[...] = g
        w[...] -= 0.01 * gw
        b[...] -= 0.01 * gb
    print("-- a Linear(2, 1) + MSE SGD step on one example")
    row("forward/backward/updateParameters", "ours()", "ref()", dict(ours=ours, ref=ref), 2000,
        "us")


if __name__ == "__main__":
    main()
