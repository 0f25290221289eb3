"""Compare torch7py's float lane kernels (torch7py/_vmath.c) with the machine's libm over ALL
2^32 float inputs: for each function, every bit pattern (NaNs, infinities, subnormals, both
zeros included) goes through the kernel unchecked (libm(..., mode=1)) and through libm's own
function element by element (mode=0), and the results' bits are compared.

Run: python tools/check_libm_replica.py [--functions exp,log,...] [--portable | --avx2]
                                         [--chunk-bits N]
     python tools/check_libm_replica.py --double N [--functions exp]   (the double kernels:
     N random inputs, a quarter each random bit patterns, uniform in [-25, 25] and [0.9, 1.1],
     uniform in [-750, 750], log-uniform magnitudes from 2^-64 to 2^16; 2^64 inputs cannot all
     be tried)
Prints, per function, the number of inputs whose result differs (must be 0) and the first few
of them; exits 1 if any differs. By default the set the module picks for this CPU runs (AVX-512
where the CPU has it, else AVX2+FMA); --avx2 checks the AVX2+FMA set on an AVX-512 CPU,
--portable the kernels for CPUs without AVX2/FMA
(on this CPU their bits still have to be libm's: the filter covers the fused products; the
double tanh replica mirrors glibc's FMA build in the AVX2+FMA set and its baseline build in
the portable one, so there only the first can match this machine's libm).
"""
import argparse
import sys
import time

import numpy as np

from torch7py import numerics

FUNCTIONS = ("exp", "log", "sin", "cos", "tanh", "sigmoid")
DOUBLES = ("tanh", "exp", "log", "sigmoid", "tan")  # the double lane kernels checked here


def differences(x, run, fast, ref, first, show):
    """run(x, out, mode) with mode 1 (the kernel unchecked) into fast and mode 0 (libm's own
    loop) into ref: how many results differ in their bits; the first `show` of them (input bits,
    input, libm's, the kernel's) are appended to `first`"""
    run(x, fast, 1)
    run(x, ref, 0)
    u = np.uint32 if x.dtype == np.float32 else np.uint64
    d = np.flatnonzero(fast.view(u) != ref.view(u))
    for i in d[:max(0, show - len(first))]:
        first.append((int(x.view(u)[i]), float(x[i]), float(ref[i]), float(fast[i])))
    return len(d)


def check(name, chunk_bits=24, show=5, run=None):
    """all 2^32 floats through run(x, out, mode) (by default libm(name, ..., single=True))"""
    C = numerics._c
    if run is None:
        def run(x, out, mode):
            C.libm(name, x, out, True, mode)
    n = 1 << chunk_bits
    base = np.arange(n, dtype=np.uint32)
    fast = np.empty(n, np.float32)
    ref = np.empty(n, np.float32)
    bad, first = 0, []
    for hi in range(1 << (32 - chunk_bits)):
        x = (base + np.uint32(hi << chunk_bits)).view(np.float32)
        bad += differences(x, run, fast, ref, first, show)
    return bad, first


def double_inputs(rng, m):
    """m doubles: a quarter each random bit patterns; uniform in [-25, 25] and [0.9, 1.1] (an
    eighth each); uniform in [-750, 750] (exp's whole finite range and past it); random
    mantissas and signs with exponents from 2^-64 to 2^16 (log-uniform magnitudes: tiny, near
    1, large)"""
    x = np.empty(m)
    q = (m + 3) // 4
    x[0::4] = rng.integers(0, 1 << 64, len(x[0::4]), dtype=np.uint64).view(np.float64)
    x[1::8] = rng.uniform(-25, 25, len(x[1::8]))
    x[5::8] = rng.uniform(0.9, 1.1, len(x[5::8]))  # (log's path near 1 and around it)
    x[2::4] = rng.uniform(-750, 750, len(x[2::4]))
    e = rng.integers(0x3ff - 64, 0x3ff + 16, q, dtype=np.uint64)[:len(x[3::4])]
    mant = rng.integers(0, 1 << 53, len(e), dtype=np.uint64)  # bit 52: the sign
    x[3::4] = ((e << np.uint64(52)) | ((mant >> np.uint64(52)) << np.uint64(63))
               | (mant & np.uint64((1 << 52) - 1))).view(np.float64)
    return x


def check_double(name, n, chunk=1 << 22, show=5, inputs=double_inputs):
    """n doubles drawn by inputs(rng, m), chunk by chunk, through libm(name, ..., single=False)"""
    C = numerics._c

    def run(x, out, mode):
        C.libm(name, x, out, False, mode)
    rng = np.random.default_rng(2026)
    bad, first, done = 0, [], 0
    while done < n:
        x = inputs(rng, min(chunk, n - done))
        bad += differences(x, run, np.empty_like(x), np.empty_like(x), first, show)
        done += len(x)
    return bad, first


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--functions", default=",".join(FUNCTIONS))
    p.add_argument("--portable", action="store_true",
                   help="the portable kernels instead of the AVX2+FMA ones")
    p.add_argument("--avx2", action="store_true",
                   help="the AVX2+FMA kernels on a CPU that has AVX-512 too")
    p.add_argument("--chunk-bits", type=int, default=24)
    p.add_argument("--double", type=int, default=0, metavar="N",
                   help="check the double kernels (%s) on N random inputs instead"
                   % ", ".join(DOUBLES))
    a = p.parse_args(argv)
    a.functions_given = a.functions != ",".join(FUNCTIONS)
    C = numerics._c
    if C is None or not hasattr(C, "libm_fast"):
        print("torch7py._exact is not built (or predates the lane kernels)")
        return 2
    hw = C.use_hardware(not a.portable)
    wide = hw and C.libm_wide(not a.avx2)
    print("kernel set: %s" % ("AVX-512" if wide else "AVX2+FMA" if hw else "portable"))
    failed = False
    if a.double:
        names = [f for f in a.functions.split(",") if f in DOUBLES] if a.functions_given \
            else list(DOUBLES)
        for name in names:
            t0 = time.process_time()
            try:
                bad, first = check_double(name, a.double)
            except ValueError as e:  # (log has no portable kernel: libm's loop there)
                print("%-8s (double) %s" % (name, e))
                continue
            failed |= bad > 0
            print("%-8s (double) %d of %d random inputs differ  (%.0f s CPU)" % (
                name, bad, a.double, time.process_time() - t0))
            for bits, x, r, f in first:
                print("    x=0x%016x (%r): libm %r, kernel %r" % (bits, x, r, f))
        C.use_hardware(True)
        return 1 if failed else 0
    for name in a.functions.split(","):
        t0 = time.process_time()
        bad, first = check(name, a.chunk_bits)
        failed |= bad > 0
        print("%-8s %d of 2^32 inputs differ  (%.0f s CPU)" % (name, bad,
                                                            time.process_time() - t0))
        for bits, x, r, f in first:
            print("    x=0x%08x (%r): libm %r, kernel %r" % (bits, x, r, f))
        sys.stdout.flush()
    C.use_hardware(True)
    C.libm_wide(True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
