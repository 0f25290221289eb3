"""Benchmark of torch7py.random (Torch7's MT19937): torch.randn/torch.rand(10**6) and scalar
draws, against numpy's own generator. Numbers are printed, never asserted."""
import numpy as np

import torch7py as torch

from _timing import best


def row(name, ours, ref, ref_name):
    print("%-34s %10.2f ms   %-30s %8.2f ms   ratio %6.1fx"
          % (name, ours * 1e3, ref_name, ref * 1e3, ours / ref))


def main():
    n = 10 ** 6
    torch.manualSeed(1)
    rs = np.random.RandomState(1)   # numpy's MT19937, legacy interface
    gen = np.random.default_rng(1)  # numpy's default (PCG64)
    print("n = %d, best of 5" % n)
    row("torch.randn(n)", best(lambda: torch.randn(n)), best(lambda: rs.standard_normal(n)),
        "RandomState.standard_normal", )
    row("torch.randn(n)", best(lambda: torch.randn(n)), best(lambda: gen.standard_normal(n)),
        "Generator.standard_normal")
    row("torch.rand(n)", best(lambda: torch.rand(n)), best(lambda: rs.random_sample(n)),
        "RandomState.random_sample")
    row("torch.rand(n)", best(lambda: torch.rand(n)), best(lambda: gen.random(n)),
        "Generator.random")
    t = torch.FloatTensor(1000, 1000)
    row("FloatTensor(1000,1000):uniform()", best(lambda: t.uniform(-1, 1)),
        best(lambda: gen.random(n, dtype=np.float32)), "Generator.random(float32)")
    row("LongTensor(n):random()", best(lambda: torch.LongTensor(n).random()),
        best(lambda: rs.randint(0, 2 ** 32, n, dtype=np.uint64)), "RandomState.randint")
    row("torch.randperm(n)", best(lambda: torch.randperm(n), 3),
        best(lambda: rs.permutation(n), 3), "RandomState.permutation")
    k = 10 ** 5
    print("scalar draws, per call (%d calls)" % k)
    for name, ours, ref, ref_name in [
            ("torch.random()", torch.random, rs.randint.__call__, "RandomState.randint(2**32)"),
            ("torch.uniform()", torch.uniform, rs.random_sample, "RandomState.random_sample()"),
            ("torch.normal()", torch.normal, rs.standard_normal, "RandomState.standard_normal()")]:
        if ref_name.startswith("RandomState.randint"):
            def ref():
                return rs.randint(0, 2 ** 32)
        o = best(lambda: [ours() for _ in range(k)], 3) / k
        r = best(lambda: [ref() for _ in range(k)], 3) / k
        print("%-34s %10.3f us   %-30s %8.3f us   ratio %6.1fx"
              % (name, o * 1e6, ref_name, r * 1e6, o / r))


if __name__ == "__main__":
    main()
