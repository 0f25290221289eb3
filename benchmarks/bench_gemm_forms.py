"""Is bench_train.py's GEMM floor the best this machine's BLAS does? (issue 16)

For every matrix product of the training-step workloads, GFLOP/s in each call form numpy and
scipy offer for it: np.matmul on C-contiguous operands (the floor's form), with either operand
a transposed view (the forms nn's Linear uses: x @ w.T forward, go @ w gradInput),
scipy.linalg.blas ?gemm accumulating into C with beta = 1, the same call to numpy's own OpenBLAS
cblas (nn's Linear gradWeight since issue 16: scipy's OpenBLAS build was up to 1.5x slower), and a
convolution's batched product done as one GEMM per sample (nn's SpatialConvolution); next to
the machine's peak (a large square product) and the BLAS library numpy loaded (threadpoolctl:
its name, version and the kernel it picked). With --coretypes, the same in child processes
under OPENBLAS_CORETYPE (the kernel OpenBLAS would use on another CPU).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_gemm_forms.py [--only mlp]
        [--types double,float] [--repeat 15] [--coretypes Haswell,Zen,SandyBridge]
"""
import argparse
import os
import subprocess
import sys
import time

import numpy as np
from scipy.linalg import blas

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import samples  # noqa: E402

# the products of bench_train.py's workloads, (m, k, n), with what nn computes for each


def _lin(b, i, o):
    return [('lin', 'forward', (b, i, o)), ('lin', 'gradWeight', (o, b, i)),
            ('lin', 'gradInput', (b, o, i))]


def _conv(b, c, o, k, L):
    K = c * k * k
    return [('conv', 'forward', (o, K, b * L), b), ('conv', 'gradWeight', (o, b * L, K), b),
            ('conv', 'gradInput', (K, o, b * L), b)]


PRODUCTS = {
    'mlp': _lin(128, 784, 1000) + _lin(128, 1000, 1000) + _lin(128, 1000, 10),
    'lenet': (_conv(64, 1, 6, 5, 28 * 28) + _conv(64, 6, 16, 5, 10 * 10) + _lin(64, 400, 120)
              + _lin(64, 120, 84) + _lin(64, 84, 10)),
    'vgg': (_conv(32, 3, 64, 3, 32 * 32) + _conv(32, 64, 64, 3, 32 * 32)
            + _lin(32, 64 * 16 * 16, 10)),
}


def blas_info():
    try:
        import threadpoolctl
    except ImportError:
        return 'threadpoolctl not installed'
    out = []
    for d in threadpoolctl.threadpool_info():
        if d.get('user_api') == 'blas':
            out.append('%s %s (%s kernel, %d threads) %s' % (
                d.get('internal_api'), d.get('version'), d.get('architecture'),
                d.get('num_threads'), os.path.basename(d.get('filepath', ''))))
    return '; '.join(out)


def cpu_name():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return '?'


def forms(kind, what, mkn, dt, rs, batch=None):
    """{form name: callable} computing the product (m, k, n) in each form."""
    m, k, n = mkn
    gemm = blas.sgemm if dt == np.float32 else blas.dgemm
    a = rs.standard_normal((m, k)).astype(dt)
    b = rs.standard_normal((k, n)).astype(dt)
    c = np.empty((m, n), dt)
    at = np.ascontiguousarray(a.T)
    bt = np.ascontiguousarray(b.T)
    cc = np.zeros((m, n), dt)
    f = {'matmul C': lambda: np.matmul(a, b, out=c),
         'matmul A^T view': lambda: np.matmul(at.T, b, out=c),
         'matmul B^T view': lambda: np.matmul(a, bt.T, out=c)}
    # c += a @ b in place: c (row-major) is c.T column-major = b^T a^T
    f['gemm beta=1'] = lambda: gemm(1.0, b.T, a.T, beta=1.0, c=cc.T, overwrite_c=1)
    cg = numpy_cblas_gemm(dt)
    if cg is not None:
        # the same through numpy's own OpenBLAS (nn's Linear gradWeight: _nnk.linear_acc)
        cd = np.zeros((m, n), dt)
        f['np cblas beta=1'] = lambda: cg(101, 111, 111, m, n, k, 1.0, a.ctypes.data, k,
                                          b.ctypes.data, n, 1.0, cd.ctypes.data, n)
    if kind == 'conv' and batch and what != 'gradWeight':
        # one GEMM per sample, as SpatialConvolution runs it: (m, k) x (k, n / batch) each
        L = n // batch
        bs = rs.standard_normal((batch, k, L)).astype(dt)
        cs = np.empty((batch, m, L), dt)
        f['per sample'] = lambda: np.matmul(a, bs, out=cs)
    elif kind == 'conv' and batch:
        # gradWeight: sum over samples of (o, L) x (L, K)
        L = k // batch
        as_ = rs.standard_normal((batch, m, L)).astype(dt)
        bs = rs.standard_normal((batch, L, n)).astype(dt)
        cs = np.empty((batch, m, n), dt)
        f['per sample'] = lambda: np.matmul(as_, bs, out=cs)
    return f


_CBLAS = {}


def numpy_cblas_gemm(dt):
    """cblas_?gemm of the OpenBLAS numpy ships (64-bit integers) through ctypes, or None."""
    if dt not in _CBLAS:
        import ctypes
        import glob
        _CBLAS[dt] = None
        libs = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(np.__file__))),
                            'numpy.libs')
        name = 'sgemm' if dt == np.float32 else 'dgemm'
        for path in sorted(glob.glob(os.path.join(libs, '*openblas*'))):
            lib = ctypes.CDLL(path)
            for sym in ('scipy_cblas_%s64_' % name, 'cblas_%s64_' % name):
                if hasattr(lib, sym):
                    fn = getattr(lib, sym)
                    fn.restype = None
                    i, p = ctypes.c_int64, ctypes.c_void_p
                    r = ctypes.c_float if dt == np.float32 else ctypes.c_double
                    fn.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, i, i, i, r, p, i, p,
                                   i, r, p, i]
                    _CBLAS[dt] = fn
                    return fn
    return _CBLAS[dt]


def peak(dt, repeat):
    n = 1536
    rs = np.random.RandomState(0)
    a = rs.standard_normal((n, n)).astype(dt)
    b = rs.standard_normal((n, n)).astype(dt)
    c = np.empty((n, n), dt)
    t = min(samples([lambda: np.matmul(a, b, out=c)], max(3, repeat // 3), warmup=1)[0])
    return 2 * n ** 3 / t / 1e9


def run(args):
    print('# CPU: %s; BLAS: %s; OPENBLAS_CORETYPE=%s' % (
        cpu_name(), blas_info(), os.environ.get('OPENBLAS_CORETYPE', '(unset)')))
    for dtype in args.types.split(','):
        dt = np.float32 if dtype == 'float' else np.float64
        print('# %s: peak (1536^2 matmul) %.1f GFLOP/s' % (dtype, peak(dt, args.repeat)))
        for name in args.only or list(PRODUCTS):
            rs = np.random.RandomState(0)
            tot_floor = tot_best = 0.0
            print('%-6s %-6s %-5s %-10s %-18s %s' % ('net', 'type', 'layer', 'product',
                                                      '(m, k, n)', 'GFLOP/s by form (best *)'))
            for p in PRODUCTS[name]:
                kind, what, mkn = p[:3]
                f = forms(kind, what, mkn, dt, rs, p[3] if len(p) > 3 else None)
                names = list(f)
                ts = samples([f[k] for k in names], args.repeat, warmup=1)
                best = {k: min(t) for k, t in zip(names, ts)}
                flop = 2.0 * np.prod(mkn)
                top = min(best, key=best.get)
                tot_floor += best['matmul C']
                tot_best += best[top]
                print('%-6s %-6s %-5s %-10s %-18s %s' % (
                    name, dtype, kind, what, '(%d, %d, %d)' % mkn,
                    ', '.join('%s %.1f%s' % (k, flop / best[k] / 1e9, '*' if k == top else '')
                              for k in names)))
            print('%-6s %-6s floor (matmul C) %.2f ms; best form of each product %.2f ms '
                  '(%.3fx)' % (name, dtype, tot_floor * 1e3, tot_best * 1e3,
                               tot_best / tot_floor), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--only', action='append')
    ap.add_argument('--types', default='double,float')
    ap.add_argument('--repeat', type=int, default=15)
    ap.add_argument('--coretypes', default='')
    args = ap.parse_args()
    if args.coretypes:
        for ct in args.coretypes.split(','):
            env = dict(os.environ, OPENBLAS_CORETYPE=ct)
            cmd = [sys.executable, os.path.abspath(__file__), '--types', args.types,
                   '--repeat', str(args.repeat)]
            for o in args.only or []:
                cmd += ['--only', o]
            subprocess.run(cmd, env=env, check=False)
            time.sleep(0.1)
        return
    run(args)


if __name__ == '__main__':
    main()
