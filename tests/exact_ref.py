"""Reference arithmetic for the tests of fused (FMA) loops: a*b + c rounded once, computed in
exact rationals, independently of the code under test."""
from fractions import Fraction

import numpy as np


def round32(q):
    """The float32 nearest the rational q (ties to even)."""
    f = np.float32(float(q))
    best = None
    for c in (np.nextafter(f, np.float32(-np.inf)), f, np.nextafter(f, np.float32(np.inf))):
        d = abs(Fraction(float(c)) - q)
        if best is None or d < best[0] or (d == best[0] and int(c.view(np.int32)) % 2 == 0):
            best = (d, c)
    return best[1]


def fma(a, b, c, dtype):
    """a*b + c rounded once to dtype (np.float64 or np.float32); float() of a Fraction is
    correctly rounded."""
    q = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    return np.float64(float(q)) if dtype == np.float64 else round32(q)
