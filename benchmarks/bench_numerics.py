"""The cost of Torch7's order of operations (issue 12): torch7py's bit-exact reductions and fused
add(value, y) against the plain numpy call each replaces (pairwise np.sum, two-rounding axpy).

Run: python benchmarks/bench_numerics.py   (numbers are reported, never asserted)
"""
import numpy as np

import torch7py as torch
from torch7py import nn

from _timing import per_call


def row(name, ours, ref, ns, number, unit="ms", repeat=5):
    x, y = per_call([ours, ref], number, repeat, ns)
    scale = 1e6 if unit == "us" else 1e3
    print("%-40s %9.3f%s %9.3f%s %7.2fx" % (name, x * scale, unit, y * scale, unit, x / y))


def main():
    rng = np.random.default_rng(0)
    print("%-40s %11s %11s %8s" % ("operation", "torch7py", "numpy", "ratio"))
    for n, number, unit in ((10, 20000, "us"), (10_000, 200, "us"), (4_000_000, 3, "ms")):
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
    row("forward/backward/updateParameters", ours, ref, {}, 2000, "us")


if __name__ == "__main__":
    main()
