"""Small networks trained one sample at a time (legacy scripts' habit): µs per sample of
(a) nn.StochasticGradient on a 2-9-10-1 Linear/Tanh net with MSECriterion,
(b) a hand loop (forward, criterion, zeroGradParameters, backward, updateParameters) on a
    10-20-5 Linear/Tanh/LogSoftMax net with ClassNLLCriterion,
(c) optim.sgd over getParameters() on the same 10-20-5 net.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_smallnet.py [--repeat 5] [--n 2000]
        [--profile a|b|c]

benchmarks/bench_smallnet.lua runs the same three through `th`. Each round times every
workload once (in turn, so that load changes hit them alike); the report gives the best and the
worst round, in CPU time (the process's, as Lua's os.clock: on a shared machine wall time
mostly measures the other processes). Numbers are reported, never asserted.
"""
import argparse
import cProfile
import io
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch7py as torch
from torch7py import nn, optim


def net_a():
    return (nn.Sequential().add(nn.Linear(2, 9)).add(nn.Tanh()).add(nn.Linear(9, 10))
            .add(nn.Tanh()).add(nn.Linear(10, 1)))


def net_b():
    return (nn.Sequential().add(nn.Linear(10, 20)).add(nn.Tanh()).add(nn.Linear(20, 5))
            .add(nn.LogSoftMax()))


def data_a(n):
    return [(torch.randn(2), torch.randn(1)) for _ in range(n)]


def data_b(n):
    return [(torch.randn(10), (i % 5) + 1) for i in range(n)]


class _Dataset:
    def __init__(self, rows):
        self.rows = rows

    def size(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i - 1]


def setup_a(n):
    torch.manualSeed(1)
    net, crit = net_a(), nn.MSECriterion()
    ds = _Dataset(data_a(n))
    sgd = nn.StochasticGradient(net, crit)
    sgd.maxIteration = 1
    sgd.verbose = False
    sgd.learningRate = 0.01

    def run():
        import contextlib
        with contextlib.redirect_stdout(io.StringIO()):
            sgd.train(ds)
    return run


def setup_b(n):
    torch.manualSeed(1)
    net, crit = net_b(), nn.ClassNLLCriterion()
    ds = data_b(n)

    def run():
        for x, y in ds:
            crit.forward(net.forward(x), y)
            net.zeroGradParameters()
            net.backward(x, crit.backward(net.output, y))
            net.updateParameters(0.01)
    return run


def setup_c(n):
    torch.manualSeed(1)
    net, crit = net_b(), nn.ClassNLLCriterion()
    ds = data_b(n)
    params, grads = net.getParameters()
    state = {'learningRate': 0.01}

    def run():
        for x, y in ds:
            def feval(p, x=x, y=y):
                grads.zero()
                loss = crit.forward(net.forward(x), y)
                net.backward(x, crit.backward(net.output, y))
                return loss, grads
            optim.sgd(feval, params, state)
    return run


SETUPS = {'a': setup_a, 'b': setup_b, 'c': setup_c}
NAMES = {'a': 'StochasticGradient 2-9-10-1 Tanh/MSE',
         'b': 'hand loop 10-20-5 LogSoftMax/ClassNLL',
         'c': 'optim.sgd getParameters 10-20-5'}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeat', type=int, default=5)
    ap.add_argument('--n', type=int, default=2000)
    ap.add_argument('--profile', choices=sorted(SETUPS))
    args = ap.parse_args()
    if args.profile:
        run = SETUPS[args.profile](args.n)
        run()
        pr = cProfile.Profile()
        pr.enable()
        run()
        pr.disable()
        s = io.StringIO()
        pstats.Stats(pr, stream=s).sort_stats('tottime').print_stats(25)
        print(s.getvalue())
        return
    runs = {k: f(args.n) for k, f in SETUPS.items()}
    for run in runs.values():
        run()  # warm-up
    times = {k: [] for k in runs}
    for _ in range(args.repeat):
        for k, run in runs.items():
            t = time.process_time()
            run()
            times[k].append((time.process_time() - t) / args.n * 1e6)
    for k in runs:
        print('(%s) %-40s %8.1f - %8.1f us/sample' % (k, NAMES[k], min(times[k]), max(times[k])))


if __name__ == '__main__':
    main()
