"""Compare torch7py's float lane kernels (torch7py/_vmath.c) with the machine's libm over ALL
2^32 float inputs: for each function, every bit pattern (NaNs, infinities, subnormals, both
zeros included) goes through the kernel unchecked (libm(..., mode=1)) and through libm's own
function element by element (mode=0), and the results' bits are compared.

Run: python tools/check_libm_replica.py [--functions exp,log,...] [--portable] [--chunk-bits N]
Prints, per function, the number of inputs whose float differs (must be 0) and the first few
of them; exits 1 if any differs. --portable checks the kernels for CPUs without AVX2/FMA
(on this CPU their bits still have to be libm's: the filter covers the fused products).
"""
import argparse
import sys
import time

import numpy as np

from torch7py import numerics

FUNCTIONS = ("exp", "log", "sin", "cos", "tanh", "sigmoid")


def check(name, chunk_bits=24, show=5):
    C = numerics._c
    n = 1 << chunk_bits
    base = np.arange(n, dtype=np.uint32)
    fast = np.empty(n, np.float32)
    ref = np.empty(n, np.float32)
    bad, first = 0, []
    for hi in range(1 << (32 - chunk_bits)):
        x = (base + np.uint32(hi << chunk_bits)).view(np.float32)
        C.libm(name, x, fast, True, 1)
        C.libm(name, x, ref, True, 0)
        d = np.flatnonzero(fast.view(np.uint32) != ref.view(np.uint32))
        bad += len(d)
        for i in d[:max(0, show - len(first))]:
            first.append((int(x.view(np.uint32)[i]), float(x[i]), float(ref[i]),
                          float(fast[i])))
    return bad, first


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--functions", default=",".join(FUNCTIONS))
    p.add_argument("--portable", action="store_true",
                   help="the portable kernels instead of the AVX2+FMA ones")
    p.add_argument("--chunk-bits", type=int, default=24)
    a = p.parse_args(argv)
    C = numerics._c
    if C is None or not hasattr(C, "libm_fast"):
        print("torch7py._exact is not built (or predates the lane kernels)")
        return 2
    hw = C.use_hardware(not a.portable)
    print("kernel set: %s" % ("AVX2+FMA" if hw else "portable"))
    failed = False
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
