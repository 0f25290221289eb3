"""Training-step benchmark (issue 16): ms per step (zeroGradParameters, forward,
ClassNLLCriterion, backward, updateParameters(0.01)) of three workloads, float and double, one
and two BLAS threads, next to the GEMM floor (the matrix products the step needs, done in the
same run by the BLAS the step's products use: numpy's, or the OpenBLAS copy running the kernel
set in force, see torch7py.blas_library), and numpy arrays allocated per step after warm-up (tracemalloc).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_train.py [--quick] [--only mlp]
        [--threads 1,2] [--clock wall|cpu] [--th] [--profile]

benchmarks/bench_train.lua runs the same workloads through `th`. With --th, this script times
them through the Lua layer too, in this process: bench_train.lua's step (its `lib` mode, in a
LuaRuntime as th makes it) and the Python step in turn, one of each per round, so that the
machine's load hits both alike; the table gives both and th / Python. With --profile, where the
step's time goes, part by part. Numbers are reported, never asserted.
"""
import argparse
import gc
import os
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import torch7py as torch
from torch7py import nn

from _models import lenet, mlp


def vgg():
    return (nn.Sequential()
            .add(nn.SpatialConvolution(3, 64, 3, 3, 1, 1, 1, 1))
            .add(nn.SpatialBatchNormalization(64)).add(nn.ReLU(True))
            .add(nn.SpatialConvolution(64, 64, 3, 3, 1, 1, 1, 1))
            .add(nn.SpatialBatchNormalization(64)).add(nn.ReLU(True))
            .add(nn.SpatialMaxPooling(2, 2, 2, 2))
            .add(nn.View(64 * 16 * 16))
            .add(nn.Linear(64 * 16 * 16, 10)).add(nn.LogSoftMax()))


# (builder, input shape, the step's GEMMs as (m, k, n, form) quadruples: forward, gradWeight,
# gradInput; the first layer's gradInput included, as nn's backward computes it: net:backward
# returns it). form says how each operand lies in memory in the step ('n': row-major as it is,
# 't': the transpose of a row-major array), as BLAS packs them differently: Linear's forward is
# input * weight^T on its (out, in) weight, its gradWeight gradOutput^T * input
def _lin(b, i, o):
    return [(b, i, o, 'nt'), (o, b, i, 'tn'), (b, o, i, 'nn')]


def _conv(b, c, o, k, L):
    K = c * k * k
    return [(o, K, b * L, 'nn'), (o, b * L, K, 'nn'), (K, o, b * L, 'nn')]


WORKLOADS = {
    'mlp': (mlp, (128, 784),
            _lin(128, 784, 1000) + _lin(128, 1000, 1000) + _lin(128, 1000, 10)),
    'lenet': (lenet, (64, 1, 32, 32),
              _conv(64, 1, 6, 5, 28 * 28) + _conv(64, 6, 16, 5, 10 * 10)
              + _lin(64, 400, 120) + _lin(64, 120, 84) + _lin(64, 84, 10)),
    'vgg': (vgg, (32, 3, 32, 32),
            _conv(32, 3, 64, 3, 32 * 32) + _conv(32, 64, 64, 3, 32 * 32)
            + _lin(32, 64 * 16 * 16, 10)),
}


def make(name, dtype):
    build, shape, _ = WORKLOADS[name]
    torch.manualSeed(1)
    net = build()
    net = net.float() if dtype == 'float' else net.double()
    crit = nn.ClassNLLCriterion()
    crit = crit.float() if dtype == 'float' else crit.double()
    rs = np.random.RandomState(0)
    cls = torch.FloatTensor if dtype == 'float' else torch.DoubleTensor
    x = cls(*shape)
    x.numpy()[...] = rs.standard_normal(shape)
    y = cls(shape[0])
    y.numpy()[...] = rs.randint(1, 11, shape[0])
    return net, crit, x, y


def step(net, crit, x, y):
    net.zeroGradParameters()
    out = net.forward(x)
    crit.forward(out, y)
    net.backward(x, crit.backward(out, y))
    net.updateParameters(0.01)


def gemm_floor(name, dtype):
    """A function doing exactly the step's matrix products (into preallocated outputs), each
    operand laid out as the step has it (numpy's matmul of a transposed view makes the BLAS call
    with that operand transposed, as the step's does). A Linear's three products share their
    buffers as the step's do: the forward and the gradInput read one weight, the forward and
    the gradWeight one input, the gradWeight and the gradInput one gradOutput (separate copies
    would spread the floor over more memory than the step and make it slower than it is)."""
    return _floor_run(floor_ops(name, dtype))


def floor_ops(name, dtype):
    """The floor's products as (a, b, c) triples, c = a * b."""
    dt = np.float32 if dtype == 'float' else np.float64
    rs = np.random.RandomState(0)
    gemms = WORKLOADS[name][2]
    ops = []
    i = 0
    while i < len(gemms):
        g3 = gemms[i:i + 3]
        if [g[3] for g in g3] == ['nt', 'tn', 'nn']:  # a Linear (see _lin)
            b, n_in, n_out = g3[0][:3]
            x = rs.standard_normal((b, n_in)).astype(dt)
            w = rs.standard_normal((n_out, n_in)).astype(dt)
            go = rs.standard_normal((b, n_out)).astype(dt)
            ops += [(x, w.T, np.empty((b, n_out), dt)), (go.T, x, np.empty((n_out, n_in), dt)),
                    (go, w, np.empty((b, n_in), dt))]
            i += 3
            continue
        m, k, n, form = gemms[i]
        a = rs.standard_normal((m, k) if form[0] == 'n' else (k, m)).astype(dt)
        b = rs.standard_normal((k, n) if form[1] == 'n' else (n, k)).astype(dt)
        ops.append((a if form[0] == 'n' else a.T, b if form[1] == 'n' else b.T,
                    np.empty((m, n), dt)))
        i += 1
    return ops


def floor_blas():
    """The BLAS the step's big products go through (obgemm's route for the kernel set in
    force): numpy's own where it serves (obgemm.numpy_serves), else torch7py.blas_library's
    copy running that set; the floor uses it
    too, so that step / floor compares like with like."""
    from torch7py import blas_library, numerics, obgemm
    if obgemm.numpy_serves():
        return None, 'numpy (%s kernels)' % numerics.blas_core()
    lib = blas_library.library(numerics.blas_core())
    if lib is None:
        return None, 'numpy (no OpenBLAS running the %s kernels here)' % numerics.blas_core()
    return lib, "OpenBLAS with the %s kernels (a private copy of numpy's)" % lib.core


def _floor_run(ops):
    lib = floor_blas()[0]
    if lib is None:
        def run():
            for a, b, c in ops:
                np.matmul(a, b, out=c)
    else:
        def run():  # c = a @ b is the column-major c^T = b^T a^T
            for a, b, c in ops:
                lib.gemm(c.T, b.T, a.T, 1.0, 0.0)
    return run


CLOCK = time.perf_counter


def times_ms(fn, repeat, warmup=2):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(repeat):
        t = CLOCK()
        fn()
        ts.append((CLOCK() - t) * 1e3)
    return ts


def allocs_per_step(net, crit, x, y):
    """After warm-up, one step under tracemalloc: (blocks over 1 KiB allocated in the step and
    still alive at its end; the step's peak of traced memory above its start, in KiB, which
    counts every temporary the step made)."""
    for _ in range(2):
        step(net, crit, x, y)
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    step(net, crit, x, y)
    peak = tracemalloc.get_traced_memory()[1]
    snap = tracemalloc.take_snapshot()
    tracemalloc.stop()
    big = sum(s.count for s in snap.statistics('traceback') if s.size > 1024)
    return big, (peak - base) / 1024


def kernels_build():
    """Which build of nn's C loops runs (torch7py.nn._nnk_load picks the AVX2 one where the
    CPU has it)."""
    from torch7py.nn import _kernels
    m = _kernels._nnk
    return 'none (numpy)' if m is None else m.__spec__.name.rsplit('.', 1)[-1]


def set_threads(n):
    torch.setnumthreads(n)


def lua_workloads():
    """bench_train.lua's make(name, type) -> (step, floor), in a LuaRuntime as `th` runs it."""
    from compat.runtime import LuaRuntime
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'bench_train.lua')
    rt = LuaRuntime(argv=['lib'], script=path)
    rt.enable_trepl()
    return rt.dofile(path)


def vs_th(args, names):
    """The Python step and bench_train.lua's step through the Lua layer, in turn."""
    make_lua = lua_workloads()
    print('# ms per step (min-median, %s clock), Python and through th in turn in one process'
          % args.clock)
    print('%-6s %-6s %3s %16s %16s %9s %9s' % ('net', 'type', 'thr', 'python min-med',
                                               'th min-med', 'th/py min', 'th/py med'))
    for name in names:
        for dtype in args.types.split(','):
            net, crit, x, y = make(name, dtype)
            lstep = make_lua(name, dtype)[0]
            for nthr in [int(t) for t in args.threads.split(',')]:
                set_threads(nthr)
                rep = 3 if args.quick else (8 if name == 'vgg' else 20)
                py, th = [], []
                for _ in range(2):
                    step(net, crit, x, y)
                    lstep()
                def one(net=net, crit=crit, x=x, y=y):
                    step(net, crit, x, y)
                for _ in range(rep):
                    py += times_ms(one, 1, warmup=0)
                    th += times_ms(lstep, 1, warmup=0)
                py.sort()
                th.sort()
                pm, tm = py[len(py) // 2], th[len(th) // 2]
                print('%-6s %-6s %3d %7.2f-%-8.2f %7.2f-%-8.2f %9.3f %9.3f' % (
                    name, dtype, nthr, py[0], pm, th[0], tm, th[0] / py[0], tm / pm), flush=True)
    set_threads(1)


def profile(args, names):
    """Where a step's time goes: each part of the step (zeroGradParameters, each module's
    updateOutput / updateGradInput / accGradParameters, the criterion, updateParameters) timed
    on its own inside the step, min and median over the repeats; next to each Linear pass, its
    product in the floor, timed on its own after the step (the floor's buffers, the step's cache
    state), and the part's time beyond it; at the end, the step timed whole against the sum of
    its parts (the rest is the call path: Sequential, the step function)."""
    for name in names:
        for dtype in args.types.split(','):
            net, crit, x, y = make(name, dtype)
            ops = floor_ops(name, dtype)
            floor = _floor_run(ops)
            set_threads(int(args.threads.split(',')[0]))
            mods = net.modules
            parts = {}
            # each Linear's passes -> its three products in the floor (in the floor's order)
            lin = [i for i, m in enumerate(mods) if type(m).__name__ == 'Linear']
            fkey = {}
            for j, i in enumerate(lin):
                if len(ops) >= 3 * (j + 1) and name == 'mlp':
                    for k, p in enumerate(('updateOutput', 'accGradParameters',
                                           'updateGradInput')):
                        fkey['%2d Linear %s' % (i + 1, p)] = 3 * j + k

            def timed(key, fn, *a, parts=parts):
                t = CLOCK()
                r = fn(*a)
                parts.setdefault(key, []).append((CLOCK() - t) * 1e3)
                return r
            rep = 3 if args.quick else (8 if name == 'vgg' else 30)
            fl, whole, fparts = [], [], {}
            for r in range(rep + 2):
                if r == 2:
                    parts.clear()
                    fparts.clear()
                    whole.clear()
                timed('zeroGradParameters', net.zeroGradParameters)
                h, ins = x, []
                for i, m in enumerate(mods):
                    ins.append(h)
                    h = timed('%2d %s updateOutput' % (i + 1, type(m).__name__),
                              m.updateOutput, h)
                timed('criterion forward', crit.forward, h, y)
                g = timed('criterion backward', crit.backward, h, y)
                for i in reversed(range(len(mods))):
                    m = mods[i]
                    g2 = timed('%2d %s updateGradInput' % (i + 1, type(m).__name__),
                               m.updateGradInput, ins[i], g)
                    timed('%2d %s accGradParameters' % (i + 1, type(m).__name__),
                          m.accGradParameters, ins[i], g, 1)
                    g = g2
                timed('updateParameters', net.updateParameters, 0.01)
                fl += times_ms(floor, 1, warmup=0)
                # each floor product alone, after a step as the step's own are
                for k, (a, b, c) in enumerate(ops):
                    step(net, crit, x, y)
                    t = CLOCK()
                    np.matmul(a, b, out=c)
                    fparts.setdefault(k, []).append((CLOCK() - t) * 1e3)
                whole += times_ms(lambda n=net, c=crit, a=x, b=y: step(n, c, a, b), 1,
                                  warmup=0)
            fl.sort()
            whole.sort()
            total = beyond = 0.0
            print('# %s %s: ms per part of the step (min / median, %s clock); a Linear pass\'s '
                  'product in the floor alone (min / median), the part beyond it (min - min)'
                  % (name, dtype, args.clock))
            for k, v in parts.items():
                v.sort()
                total += v[0]
                if k in fkey:
                    f = sorted(fparts[fkey[k]])
                    beyond += v[0] - f[0]
                    print('  %-36s %8.3f %8.3f   floor %7.3f %7.3f  beyond %7.3f'
                          % (k, v[0], v[len(v) // 2], f[0], f[len(f) // 2], v[0] - f[0]))
                else:
                    beyond += v[0]
                    print('  %-36s %8.3f %8.3f' % (k, v[0], v[len(v) // 2]))
            print('  %-36s %8.3f; GEMM floor %.3f (%.3fx), beyond the floor %.3f'
                  % ('sum of the minima', total, fl[0], total / fl[0], beyond))
            print('  %-36s %8.3f %8.3f (the call path: whole - sum of parts %.3f)'
                  % ('the step whole', whole[0], whole[len(whole) // 2], whole[0] - total),
                  flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--only', action='append')
    ap.add_argument('--threads', default='1,2')
    ap.add_argument('--types', default='double,float')
    ap.add_argument('--clock', choices=('wall', 'cpu'), default='wall',
                    help='cpu: this process\'s CPU time (steadier on a shared machine; with one '
                         'BLAS thread only, as it adds the threads up)')
    ap.add_argument('--th', action='store_true',
                    help='Python vs bench_train.lua through the Lua layer, in turn')
    ap.add_argument('--profile', action='store_true',
                    help='each part of the step on its own (first --threads value)')
    args = ap.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.clock == 'cpu' else time.perf_counter
    names = args.only or list(WORKLOADS)
    if args.th:
        vs_th(args, names)
        return
    if args.profile:
        profile(args, names)
        return
    print('# ms per step (min / median of repeats, %s clock); floor = the step\'s GEMMs in numpy;'
          ' ratio: step / floor, of the minima and of the medians' % args.clock)
    print('# nn\'s C loops: %s; load average %.1f' % (kernels_build(), os.getloadavg()[0]))
    print('# BLAS of the step and of the floor: %s (numerics.blas_loops %r)'
          % (floor_blas()[1], torch.numerics.blas_loops()))
    print('%-6s %-6s %3s %16s %16s %7s %7s %10s %10s' % ('net', 'type', 'thr', 'step min-med',
                                                         'floor min-med', 'ratio', 'med',
                                                         'peak KiB', 'arrays>1K'))
    for name in names:
        for dtype in args.types.split(','):
            net, crit, x, y = make(name, dtype)
            floor = gemm_floor(name, dtype)
            for nthr in [int(t) for t in args.threads.split(',')]:
                set_threads(nthr)
                rep = 3 if args.quick else (8 if name == 'vgg' else 20)
                st, fl = [], []
                def one(net=net, crit=crit, x=x, y=y):
                    step(net, crit, x, y)
                for _ in range(rep):  # interleaved so machine load hits both alike
                    st += times_ms(one, 1, warmup=0)
                    fl += times_ms(floor, 1, warmup=0)
                st.sort()
                fl.sort()
                big, kib = allocs_per_step(net, crit, x, y) if nthr == 1 else ('', '')
                sm, fm = st[len(st) // 2], fl[len(fl) // 2]
                print('%-6s %-6s %3d %7.2f-%-8.2f %7.2f-%-8.2f %7.3f %7.3f %10s %10s' % (
                    name, dtype, nthr, st[0], sm, fl[0], fm, st[0] / fl[0], sm / fm,
                    kib if kib == '' else '%.0f' % kib, big), flush=True)
    set_threads(1)


if __name__ == '__main__':
    main()
