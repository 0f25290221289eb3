"""Per-call overhead of the tensor core's small operations, against numpy on the same arrays.

Run: python benchmarks/bench_tensor.py   (numbers are reported, never asserted)
"""
import torch7py as torch

from _timing import per_call


def main():
    t = torch.Tensor(10, 10).zero()
    v = torch.Tensor(10).zero()
    a = t.numpy()
    av = v.numpy()
    ns = dict(t=t, v=v, a=a, av=av)
    rows = [
        ("narrow(1, 2, 3)", "t.narrow(1, 2, 3)", "a[1:4]"),
        ("select(1, 2)", "t.select(1, 2)", "a[1]"),
        ("t[2] (2D -> view)", "t[2]", "a[1]"),
        ("t[2] (1D -> number)", "v[2]", "av[1].item()"),
        ("t[2, 3] (number)", "t[2, 3]", "a[1, 2].item()"),
        ("transpose(1, 2)", "t.transpose(1, 2)", "a.T"),
        ("size(1)", "t.size(1)", "a.shape[0]"),
        ("numpy() (cached view)", "t.numpy()", "a"),
    ]
    print("%-24s %10s %10s %8s" % ("operation", "torch7py", "numpy", "ratio"))
    for name, ours, ref in rows:
        x, y = (1e6 * t for t in per_call([ours, ref], 20000, 5, ns))
        print("%-24s %8.2fus %8.2fus %7.1fx" % (name, x, y, x / y))


if __name__ == "__main__":
    main()
