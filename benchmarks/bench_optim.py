"""Per-step time of each optim algorithm on a 10^6-parameter vector, against the minimal in-place
numpy expression of the same update (preallocated buffers) in the same run.

Run: python benchmarks/bench_optim.py [n]   (numbers are reported, never asserted)
"""
import math
import sys

import numpy as np

import torch7py as torch
from torch7py import optim

from _timing import per_call


def setup(n):
    rng = np.random.default_rng(0)
    x = torch.DoubleTensor(n)
    g = torch.DoubleTensor(n)
    x.numpy()[...] = rng.standard_normal(n)
    g0 = rng.standard_normal(n)
    g.numpy()[...] = g0

    def feval(_):
        return 1.0, g

    return x, g, g0, feval


def numpy_steps(n):
    """name -> (config, a function doing one step of the same update in plain numpy)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(n)
    g = rng.standard_normal(n)
    t1, t2, t3 = np.empty(n), np.empty(n), np.empty(n)
    v, m, u = np.zeros(n), np.zeros(n), np.zeros(n)
    mx = np.zeros((2, n))
    b8 = np.zeros((4, n), dtype=bool)
    lr, mom = 0.01, 0.9
    step = {"t": 0}

    def sgd():
        np.multiply(g, -lr, out=t1)
        np.add(x, t1, out=x)

    def sgd_momentum():
        np.multiply(v, mom, out=v)
        np.multiply(g, 1 - mom, out=t1)
        np.add(v, t1, out=v)
        np.multiply(v, -lr, out=t1)
        np.add(x, t1, out=x)

    def sgd_nesterov():
        np.multiply(v, mom, out=v)
        np.add(v, g, out=v)
        np.multiply(v, mom, out=t1)
        g2 = np.add(g, t1, out=t2)
        np.multiply(g2, -lr, out=t1)
        np.add(x, t1, out=x)

    def sgd_wd():
        np.multiply(x, 1e-4, out=t1)
        np.add(g, t1, out=t2)
        np.multiply(t2, -lr, out=t1)
        np.add(x, t1, out=x)

    def nag():
        np.multiply(v, mom, out=t1)
        np.add(x, t1, out=x)
        np.multiply(v, mom, out=v)
        np.multiply(g, -lr, out=t1)
        np.add(v, t1, out=v)
        np.add(x, t1, out=x)

    def adam():
        step["t"] += 1
        np.multiply(m, 0.9, out=m)
        np.multiply(g, 0.1, out=t1)
        np.add(m, t1, out=m)
        np.multiply(v, 0.999, out=v)
        np.multiply(g, 0.001, out=t1)
        np.multiply(t1, g, out=t1)
        np.add(v, t1, out=v)
        np.sqrt(v, out=t2)
        np.add(t2, 1e-8, out=t2)
        s = lr * math.sqrt(1 - 0.999 ** step["t"]) / (1 - 0.9 ** step["t"])
        np.multiply(m, -s, out=t1)
        np.divide(t1, t2, out=t1)
        np.add(x, t1, out=x)

    def adamax():
        step["t"] += 1
        np.multiply(m, 0.9, out=m)
        np.multiply(g, 0.1, out=t1)
        np.add(m, t1, out=m)
        np.multiply(u, 0.999, out=mx[0])
        np.abs(g, out=mx[1])
        np.add(mx[1], 1e-38, out=mx[1])
        np.maximum(mx[0], mx[1], out=u)
        np.multiply(m, -lr / (1 - 0.9 ** step["t"]), out=t1)
        np.divide(t1, u, out=t1)
        np.add(x, t1, out=x)

    def adagrad():
        np.multiply(g, g, out=t1)
        np.add(v, t1, out=v)
        np.sqrt(v, out=t2)
        np.add(t2, 1e-10, out=t2)
        np.multiply(g, -lr, out=t1)
        np.divide(t1, t2, out=t1)
        np.add(x, t1, out=x)

    def rmsprop():
        np.multiply(v, 0.99, out=v)
        np.multiply(g, 0.01, out=t1)
        np.multiply(t1, g, out=t1)
        np.add(v, t1, out=v)
        np.sqrt(v, out=t2)
        np.add(t2, 1e-8, out=t2)
        np.multiply(g, -lr, out=t1)
        np.divide(t1, t2, out=t1)
        np.add(x, t1, out=x)

    def adadelta():
        np.multiply(v, 0.9, out=v)
        np.multiply(g, 0.1, out=t1)
        np.multiply(t1, g, out=t1)
        np.add(v, t1, out=v)
        np.add(v, 1e-6, out=t2)
        np.sqrt(t2, out=t2)
        np.add(m, 1e-6, out=t3)
        np.sqrt(t3, out=t3)
        np.divide(t3, t2, out=t3)
        np.multiply(t3, g, out=t3)
        np.subtract(x, t3, out=x)
        np.multiply(m, 0.9, out=m)
        np.multiply(t3, 0.1, out=t1)
        np.multiply(t1, t3, out=t1)
        np.add(m, t1, out=m)

    def rprop():
        np.multiply(g, v, out=t1)
        np.sign(t1, out=t1)
        np.greater(t1, 0, out=b8[0])
        np.less(t1, 0, out=b8[1])
        np.copyto(t1, 1.2, where=b8[0])
        np.copyto(t1, 0.5, where=b8[1])
        np.equal(t1, 0, out=b8[2])
        np.copyto(t1, 1, where=b8[2])
        np.multiply(u, t1, out=u)
        np.greater(u, 50, out=b8[3])
        np.copyto(u, 50, where=b8[3])
        np.less(u, 1e-6, out=b8[3])
        np.copyto(u, 1e-6, where=b8[3])
        np.copyto(g, 0, where=b8[1])
        np.sign(g, out=t1)
        np.multiply(t1, u, out=t1)
        np.subtract(x, t1, out=x)
        v[...] = g

    def asgd():
        np.multiply(x, 1 - 1e-4 * 1e-4, out=x)
        np.multiply(g, -1e-4, out=t1)
        np.add(x, t1, out=x)
        np.subtract(x, m, out=t1)
        np.multiply(t1, 0.5, out=t1)
        np.add(m, t1, out=m)

    u.fill(0.1)
    return {
        "sgd": ({"learningRate": lr}, sgd),
        "sgd momentum": ({"learningRate": lr, "momentum": mom}, sgd_momentum),
        "sgd nesterov": ({"learningRate": lr, "momentum": mom, "dampening": 0,
                          "nesterov": True}, sgd_nesterov),
        "sgd weightDecay": ({"learningRate": lr, "weightDecay": 1e-4}, sgd_wd),
        "nag": ({"learningRate": lr, "momentum": mom}, nag),
        "adam": ({"learningRate": lr}, adam),
        "adamax": ({"learningRate": lr}, adamax),
        "adagrad": ({"learningRate": lr}, adagrad),
        "rmsprop": ({"learningRate": lr}, rmsprop),
        "adadelta": ({}, adadelta),
        "rprop": ({"stepsize": 0.1}, rprop),
        "asgd": ({"t0": 0}, asgd),
    }


ALGORITHM = {"sgd momentum": "sgd", "sgd nesterov": "sgd", "sgd weightDecay": "sgd"}


def main(n=10 ** 6):
    print("per-step time on a %d-parameter DoubleTensor (best of 7 x 10 steps)" % n)
    print("%-18s %10s %10s %7s" % ("algorithm", "optim", "numpy", "ratio"))
    ratios = []
    for name in list(numpy_steps(16)):
        config, ref = numpy_steps(n)[name]  # fresh buffers for each reference
        x, g, g0, feval = setup(n)
        method = getattr(optim, ALGORITHM.get(name, name))
        state = {}
        # warmed up once (first-step allocations)
        ours, theirs = (1e3 * t for t in per_call([lambda: method(feval, x, config, state), ref],
                                                  10, 7, warmup=1))
        ratios.append(ours / theirs)
        print("%-18s %8.3fms %8.3fms %6.2fx" % (name, ours, theirs, ours / theirs))
    print("geometric mean ratio: %.2fx" % math.exp(np.mean(np.log(ratios))))


if __name__ == "__main__":
    main(int(float(sys.argv[1])) if len(sys.argv) > 1 else 10 ** 6)
