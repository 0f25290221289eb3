"""TensorMath speed against numpy/scipy on the same arrays: per-call overhead of small ops, large
element-wise ops and mm as a ratio, and sort/topk/cumsum/conv2/svd as a ratio.

Run: python benchmarks/bench_math.py   (numbers are reported, never asserted)
The same small ops through `th`: th benchmarks/bench_math.lua
"""
import time
import timeit

import numpy as np
import scipy.linalg
import scipy.signal

import torch7py as torch

from _timing import per_call


def row(name, ours, ref, ns, number, unit="us", repeat=7):
    x, y = per_call([ours, ref], number, repeat, ns)
    scale = 1e6 if unit == "us" else 1e3
    print("%-34s %9.2f%s %9.2f%s %7.2fx" % (name, x * scale, unit, y * scale, unit, x / y))


def main():
    rng = np.random.default_rng(0)
    print("%-34s %11s %11s %8s" % ("operation", "torch7py", "numpy/scipy", "ratio"))

    # small ops: per-call overhead, in CPU time of the process (steady on a loaded machine)
    a, b = torch.Tensor(10).fill(1), torch.Tensor(10).fill(2)
    an, bn = a.numpy(), b.numpy()
    ns = dict(a=a, b=b, an=an, bn=bn, np=np, torch=torch)
    print("-- 10 elements (per call, CPU time)")
    for name, ours, ref in (
            ("a.sum()", "a.sum()", "float(np.sum(an))"),
            ("a.cmul(b)", "a.cmul(b)", "np.multiply(an, bn, out=an)"),
            ("a.add(b)", "a.add(b)", "np.add(an, bn, out=an)"),
            ("a.add(2)", "a.add(2)", "np.add(an, 2.0, out=an)"),
            ("a.mul(2)", "a.mul(2)", "np.multiply(an, 2.0, out=an)"),
            ("a.fill(0)", "a.fill(0)", "an.fill(0)"),
            ("a.copy(b)", "a.copy(b)", "np.copyto(an, bn)"),
            ("a.zero()", "a.zero()", "an.fill(0)"),
            ("a.norm()", "a.norm()", "float(np.sqrt(np.dot(an, an)))"),
            ("a.max()", "a.max()", "float(an.max())"),
            ("a.mean()", "a.mean()", "float(an.mean())"),
            ("a.add(0.01, b) (fused)", "a.add(0.01, b)", "np.add(an, 0.01 * bn, out=an)"),
            ("torch.add(a, b) (new result)", "torch.add(a, b)", "np.add(an, bn)"),
            ("a + b", "a + b", "an + bn"),
            ("a[2]", "a[2]", "float(an[1])"),
            ("a.narrow(1, 2, 3)", "a.narrow(1, 2, 3)", "an[1:4]")):
        x, y = (min(timeit.Timer(st, globals=ns, timer=time.process_time).repeat(5, 20000))
                / 20000 for st in (ours, ref))
        print("%-34s %9.2f%s %9.2f%s %7.2fx" % (name, x * 1e6, "us", y * 1e6, "us", x / y))

    # large element-wise ops
    n = 4_000_000
    x, y = torch.Tensor(n).fill(1.5), torch.Tensor(n).fill(0.5)
    xn, yn = x.numpy(), y.numpy()
    r = torch.Tensor(n)
    rn = r.numpy()
    ns.update(x=x, y=y, xn=xn, yn=yn, r=r, rn=rn)
    print("-- 4M doubles")
    row("x.add(y) (in place)", "x.add(y)", "np.add(xn, yn, out=xn)", ns, 20, "ms")
    row("torch.add(r, x, y)", "torch.add(r, x, y)", "np.add(xn, yn, out=rn)", ns, 20, "ms")
    row("torch.cmul(x, y) (new)", "torch.cmul(x, y)", "np.multiply(xn, yn)", ns, 20, "ms")
    row("x.mul(1.0001)", "x.mul(1.0001)", "np.multiply(xn, 1.0001, out=xn)", ns, 20, "ms")
    row("torch.exp(r, y)", "torch.exp(r, y)", "np.exp(yn, out=rn)", ns, 20, "ms")
    row("x.sum()", "x.sum()", "float(np.sum(xn))", ns, 20, "ms")

    # mm
    m = 1000
    A = torch.from_numpy(rng.standard_normal((m, m)))
    B = torch.from_numpy(rng.standard_normal((m, m)))
    C = torch.Tensor(m, m)
    ns.update(A=A, B=B, C=C, An=A.numpy(), Bn=B.numpy(), Cn=C.numpy())
    print("-- mm 1000x1000")
    row("torch.mm(A, B)", "torch.mm(A, B)", "np.matmul(An, Bn)", ns, 5, "ms")
    row("torch.mm(C, A, B)", "torch.mm(C, A, B)", "np.matmul(An, Bn, out=Cn)", ns, 5, "ms")

    # sort, topk, cumsum, conv2, svd
    v = torch.from_numpy(rng.standard_normal(1_000_000))
    ns.update(v=v, vn=v.numpy())
    print("-- sort family, 1M doubles")
    row("torch.sort(v)", "torch.sort(v)",
        "o = np.argsort(vn, kind='stable'); vn[o]", ns, 3, "ms")
    row("torch.sort(v, true) (descending)", "torch.sort(v, True)",
        "o = np.argsort(vn[::-1], kind='stable'); vn[o]", ns, 3, "ms")
    row("torch.topk(v, 10, 1, true, true)", "torch.topk(v, 10, 1, True, True)",
        "p = np.argpartition(vn, -10)[-10:]; p[np.argsort(-vn[p])]", ns, 5, "ms")
    row("torch.cumsum(v)", "torch.cumsum(v)", "np.cumsum(vn)", ns, 10, "ms")
    img = torch.from_numpy(rng.standard_normal((512, 512)))
    ker = torch.from_numpy(rng.standard_normal((5, 5)))
    ns.update(img=img, ker=ker, imgn=img.numpy(), kern=ker.numpy(), scipy=scipy)
    print("-- conv2 512x512 * 5x5, svd 300x300")
    row("torch.conv2(img, ker)", "torch.conv2(img, ker)",
        "scipy.signal.convolve2d(imgn, kern, 'valid')", ns, 3, "ms")
    row("torch.xcorr2(img, ker, 'F')", "torch.xcorr2(img, ker, 'F')",
        "scipy.signal.correlate2d(imgn, kern, 'full')", ns, 3, "ms")
    planes = torch.from_numpy(rng.standard_normal((16, 64, 64)))
    bank = torch.from_numpy(rng.standard_normal((32, 16, 3, 3)))
    ns.update(planes=planes, bank=bank, pn=planes.numpy(), bn_=bank.numpy())
    row("torch.conv2(16x64x64, 32x16x3x3)", "torch.conv2(planes, bank)",
        "[sum(scipy.signal.convolve2d(pn[i], bn_[o, i], 'valid') for i in range(16)) "
        "for o in range(32)]", ns, 2, "ms")
    S = torch.from_numpy(rng.standard_normal((300, 300)))
    ns.update(S=S, Sn=S.numpy())
    row("torch.svd(S)", "torch.svd(S)",
        "scipy.linalg.svd(Sn, full_matrices=False, lapack_driver='gesvd')", ns, 3, "ms")


if __name__ == "__main__":
    main()
