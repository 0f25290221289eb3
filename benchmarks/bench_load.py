"""Benchmark of loading large checkpoints: torch.load in Python against torch.load through the
Lua layer (what `th` does: the Python load, then the loaded object graph handed to Lua).

Run: .venv/bin/python benchmarks/bench_load.py [--repeat 7] [--mb 100]

Files (binary, written by torch.save into a temporary folder):
1. a big model: an nn.Sequential of Linear(1024, 1024) + Tanh layers, weights and gradients
   coming to about --mb MB;
2. a char-rnn checkpoint (bench_nngraph's: a 2-layer LSTM gModule, its criterion, opt, vocab,
   1,000 losses), about 5 MB: a few hundred small tensors and tables;
3. many small objects: 20,000 tensors, 20,000 small tables, 50,000 numbers in lists.

Each file is loaded in turn by Python and by Lua in one process (a LuaRuntime, as th makes
it), one load of each per round so that the machine's load hits both alike; then by a `th -e`
process and a `python -c` process of their own, the same loop in each (interpreter start left
out). The table gives the best, median and worst seconds and the ratios Lua / Python.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import torch7py as torch  # noqa: E402
from torch7py import nn  # noqa: E402


def build_big(path, mb):
    torch.manualSeed(1)
    m = nn.Sequential()
    per_layer = 2 * 8 * (1024 * 1024 + 1024)  # weight + gradWeight (+ biases), doubles
    for _ in range(max(1, round(mb * 1e6 / per_layer))):
        m.add(nn.Linear(1024, 1024)).add(nn.Tanh())
    torch.save(path, m)


def build_charrnn(path):
    from bench_nngraph import build_checkpoint
    build_checkpoint(path, 5)


def build_many(path):
    torch.manualSeed(1)
    torch.save(path, {
        'tensors': [torch.randn(4, 4) for _ in range(20000)],
        'tables': [{'a': i, 'b': [i, i + 1], 't': torch.zeros(2)} for i in range(20000)],
        'losses': [float(i) / 7 for i in range(50000)],
    })


def _env():
    env = dict(os.environ)
    env['PYTHONPATH'] = os.path.dirname(HERE) + os.pathsep + env.get('PYTHONPATH', '')
    return env


def processes(path, repeat):
    """Best, median and worst seconds of torch.load in a `th -e` process and in a `python -c`
    process of their own (the same loop, the interpreter's start left out)."""
    lua = ("require 'nn'; require 'nngraph'; local ts = {}; "
           "for i = 1, %d do collectgarbage(); local t = torch.Timer(); "
           "local c = torch.load('%s'); ts[#ts + 1] = t:time().real; c = nil end; "
           "table.sort(ts); print(ts[1], ts[math.ceil(#ts / 2)], ts[#ts])" % (repeat, path))
    py = ("import gc, time, torch7py as torch\nfrom torch7py import nn, nngraph\nts = []\n"
          "for i in range(%d):\n    gc.collect(); t = time.perf_counter(); c = torch.load(%r)\n"
          "    ts.append(time.perf_counter() - t); c = None\n"
          "ts.sort(); print(ts[0], ts[(len(ts) - 1) // 2], ts[-1])" % (repeat, path))
    out = []
    for cmd in ([sys.executable, '-m', 'compat.th', '-e', lua], [sys.executable, '-c', py]):
        r = subprocess.run(cmd, env=_env(), capture_output=True, text=True,
                           cwd=os.path.dirname(HERE))
        out.append([float(x) for x in r.stdout.split()] if r.returncode == 0
                   else [float('nan')] * 3)
    return out


def interleaved(rt, path, repeat):
    import gc
    lua_load = rt.execute("return function(p) local c = torch.load(p); c = nil end")

    def py():
        torch.load(path)

    def lua():
        lua_load(path)
    times = {py: [], lua: []}
    py()
    lua()
    for _ in range(repeat):
        for fn in (py, lua):
            rt.execute("collectgarbage()")
            gc.collect()
            t = time.perf_counter()
            fn()
            times[fn].append(time.perf_counter() - t)
    return times[py], times[lua]


def row(name, ts):
    return '  %-24s %8.3f %8.3f %8.3f' % (name, min(ts), statistics.median(ts), max(ts))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeat', type=int, default=7)
    ap.add_argument('--mb', type=float, default=100)
    args = ap.parse_args()
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    rt.execute("require 'nn'; require 'nngraph'")
    with tempfile.TemporaryDirectory() as d:
        files = [('big model', os.path.join(d, 'big.t7'), lambda p: build_big(p, args.mb)),
                 ('char-rnn checkpoint', os.path.join(d, 'lm_lstm.t7'), build_charrnn),
                 ('many small objects', os.path.join(d, 'many.t7'), build_many)]
        for name, path, build in files:
            build(path)
            tpy, tlua = interleaved(rt, path, args.repeat)
            tth, tpp = processes(path, args.repeat)
            print('%s: %.1f MB, %d rounds (seconds: best, median, worst)'
                  % (name, os.path.getsize(path) / 1e6, args.repeat))
            print(row('torch.load in Python', tpy))
            print(row('torch.load in Lua', tlua))
            print('  %-24s %8.3f %8.3f %8.3f' % ('python -c (own process)', *tpp))
            print('  %-24s %8.3f %8.3f %8.3f' % ('th -e (own process)', *tth))
            print('  one process, Lua / Python: best %.2fx, median %.2fx; processes, th / python:'
                  ' best %.2fx, median %.2fx'
                  % (min(tlua) / min(tpy), statistics.median(tlua) / statistics.median(tpy),
                     tth[0] / tpp[0], tth[1] / tpp[1]))
            os.remove(path)


if __name__ == '__main__':
    main()
