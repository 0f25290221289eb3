"""Benchmark of torch7py.export: the export time of a ~100 MB model, and one training step of the
exported MLP and LeNet in PyTorch against the same step in torch7py, in the same run (the
speed-up a user gains by moving to PyTorch).

Run: .venv/bin/python benchmarks/bench_export.py [--mb 100] [--repeat 5] [--threads 1]
A training step is forward + criterion + backward + an SGD update, float64, the same batch.
"""
import argparse
import os
import tempfile

import numpy as np
import torch

import torch7py as t7
from torch7py import nn
from torch7py.export import load_t7, to_pytorch

from _models import lenet, mlp
from _timing import best, samples


def big_model(mb):
    # weights and biases only count in the exported module: n * n doubles per Linear(n, n)
    layers = 4
    n = int((mb * 1e6 / (layers * 8)) ** 0.5)
    t7.manualSeed(1)
    m = nn.Sequential()
    for i in range(layers):
        m.add(nn.Linear(n, n))
        if i < layers - 1:
            m.add(nn.ReLU())
    return m


def steps(model, shape, batch, lr=0.01):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch,) + shape)
    y = rng.integers(1, 11, batch).astype(np.float64)
    x7, y7 = t7.DoubleTensor(*x.shape), t7.DoubleTensor(batch)
    x7.numpy()[...] = x
    y7.numpy()[...] = y
    crit = nn.ClassNLLCriterion()
    tm = to_pytorch(model)
    tcrit = to_pytorch(crit)
    opt = torch.optim.SGD(tm.parameters(), lr=lr)
    xt, yt = torch.tensor(x), torch.tensor(y)

    def step7():
        model.zeroGradParameters()
        out = model.forward(x7)
        crit.forward(out, y7)
        model.backward(x7, crit.backward(out, y7))
        model.updateParameters(lr)

    def step_torch():
        opt.zero_grad()
        tcrit(tm(xt), yt).backward()
        opt.step()
    return step7, step_torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mb', type=float, default=100)
    ap.add_argument('--repeat', type=int, default=5)
    ap.add_argument('--threads', type=int, default=1,
                    help='torch threads (numpy/BLAS threads are set by the environment)')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    model = big_model(args.mb)
    nbytes = sum(t.nElement() * 8 for t in model.state_dict().values())
    d = tempfile.mkdtemp()
    path = os.path.join(d, 'big.t7')
    t7.save(path, model)
    t_export = best(lambda: to_pytorch(model), args.repeat)
    t_file = best(lambda: to_pytorch(load_t7(path)), max(1, args.repeat // 2))
    os.remove(path)
    os.rmdir(d)
    print('export of a %.0f MB model (%d Linear layers): to_pytorch %.3f s (%.0f MB/s); '
          'from the .t7 file (load + export) %.3f s'
          % (nbytes / 1e6, len(model.state_dict()) // 2, t_export, nbytes / 1e6 / t_export,
             t_file))

    for name, make, shape, batch in (('MLP 784-256-128-10', lambda: mlp((784, 256, 128, 10)), (784,), 64),
                                     ('LeNet-5 on 32x32', lenet, (1, 32, 32), 64)):
        step7, step_torch = steps(make(), shape, batch)
        t7s, tts = samples([step7, step_torch], args.repeat * 4, warmup=2)
        a, b = min(t7s), min(tts)
        print('%s training step, batch %d, float64: torch7py %.2f ms, PyTorch %.2f ms '
              '(%.1fx)' % (name, batch, a * 1e3, b * 1e3, a / b))


if __name__ == '__main__':
    main()
