"""torch.multinomial's draws are THTensor_multinomial's: its binary search (the first slot whose
normalised cumulative probability is not below the uniform draw) for each THRandom_uniform(0, 1)
in turn. The fast path (a sorted search on a non-decreasing distribution) must give the C
loop's slot for every draw, ties and zero-probability runs included; the expectations are the
C loop written out here over draws taken from the same seed with torch.rand."""
import numpy as np

import torch7py as torch
from torch7py.random import _bsearch


def _c_loop(cum, u):
    # THTensorRandom.c: left = 0, right = n; mid = left + (right - left) / 2; cum[mid] < u
    out = []
    for x in u:
        left, right = 0, len(cum)
        while right - left > 0:
            mid = left + (right - left) // 2
            if cum[mid] < x:
                left = mid + 1
            else:
                right = mid
        out.append(left)
    return np.array(out)


def test_search_is_the_c_loop_on_ties_zero_runs_and_exact_values():
    rng = np.random.default_rng(7)
    for trial in range(60):
        n = int(rng.integers(1, 40))
        p = rng.random(n)
        p[rng.random(n) < 0.4] = 0.0            # runs of equal cumulative values
        if trial % 2:
            p = np.round(p, 1)
        if not p.sum() > 0:
            p[-1] = 1.0
        cum = np.cumsum(p)
        cum /= cum[-1]
        cum[-1] = 1.0
        # draws below, at and between the slots, many enough for the sorted path
        u = np.concatenate([rng.random(80), cum, [0.0, np.nextafter(0.0, 1.0)]])
        np.testing.assert_array_equal(_bsearch(cum, u), _c_loop(cum, u))
        np.testing.assert_array_equal(_bsearch(cum, u[:5]), _c_loop(cum, u[:5]))


def test_search_on_a_non_monotone_cum_keeps_the_c_loop():
    cum = np.array([0.5, np.nan, 0.2, 0.9, 1.0])
    u = np.linspace(0.0, 0.99, 100)
    np.testing.assert_array_equal(_bsearch(cum, u), _c_loop(cum, u))


def test_multinomial_with_replacement_draws_the_c_loop_slots():
    n_cat, n = 3000, 5000
    p = torch.FloatTensor(n_cat).fill(1)
    p.narrow(1, 101, 1000).fill(1e-3)
    p.narrow(1, 2001, 10).zero()
    torch.manualSeed(123)
    u = torch.rand(n).numpy().copy()           # THRandom_uniform(0, 1), as multinomial draws
    torch.manualSeed(123)
    res = torch.LongTensor()
    p.multinomial(res, p, n, True)
    cum = np.cumsum(p.numpy().astype(np.float64))  # TH sums in double, one after the other
    cum /= cum[-1]
    cum[-1] = 1.0
    np.testing.assert_array_equal(res.numpy(), _c_loop(cum, u) + 1)
    assert not ((res.numpy() >= 2001) & (res.numpy() <= 2010)).any()
