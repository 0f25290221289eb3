"""TH and THNN compute with glibc's libm (TH_MATH_NAME(exp) = expf / exp, pow / powf, THNN's
double exp and log), so torch7py must give libm's bits on every CPU. numpy's float64 exp, log,
tanh, power (and all its float32 functions) are numpy's own SIMD code on AVX-512 CPUs, whose
last bits differ from libm's on 0.2-30% of the inputs: each expectation here is libm's, through
Python's math module (glibc's double functions) or ctypes (the float ones), or a golden of the
reference Torch7 (../shared/parity), compared bit for bit."""
import ctypes
import ctypes.util
import math

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.nn import _kernels

from golden import golden
from nncase import det, run, sfill

# libm's functions come from the C extension (without it torch7py falls back to numpy's)
pytest.importorskip("torch7py._exact")

f32, f64 = np.float32, np.float64
_LIB = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")


def libm(name, single=False):
    """libm's name (exp, powf, ...) through ctypes: float or double arguments and result."""
    ct = ctypes.c_float if single else ctypes.c_double
    f = getattr(_LIB, name + ("f" if single else ""))
    f.restype = ct
    f.argtypes = [ct] * (2 if name in ("pow", "atan2") else 1)
    return f


def bits_equal(got, want):
    """got and want hold the same bits (NaN equal to NaN)."""
    got = np.asarray(got)
    want = np.asarray(want, dtype=got.dtype)
    assert got.shape == want.shape
    u = "u%d" % got.itemsize
    g, w = got.reshape(-1), want.reshape(-1)
    bad = np.flatnonzero((g.view(u) != w.view(u)) & ~(np.isnan(g) & np.isnan(w)))
    assert bad.size == 0, "%d of %d differ, first at %d: %r != %r" % (
        bad.size, g.size, bad[0], g[bad[0]], w[bad[0]])


def _rows(dt, shape, seed, scale=3.0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(dt)


def _t(cls, a):
    return cls(a.tolist())


TYPES = [(torch.FloatTensor, f32), (torch.DoubleTensor, f64)]


# ---- TensorMath: norm, dist, renorm, logspace, pow of numbers ---------------------------------

@pytest.mark.parametrize("cls,dt", TYPES)
@pytest.mark.parametrize("p", [2, 3, 1.5])
def test_norm_along_a_dim_is_libms_pow(cls, dt, p):
    # THTensor_(norm): accreal sum of TH_MATH_NAME(pow)(fabs(x), p) (powf(x, 2) is no x*x: it
    # rounds ties its own way), then TH_MATH_NAME(pow)((real)sum, 1.0/p)
    single = dt == f32
    pw = libm("pow", single)
    # integers (ties of x*x) and normal values
    x = np.concatenate([np.arange(4097, 4097 + 70, dtype=dt).reshape(10, 7),
                        _rows(dt, (30, 7), 8)])
    want = []
    for row in x:
        s = 0.0
        for v in row:
            s += float(dt(pw(abs(float(v)), float(dt(p)))))
        want.append(pw(float(dt(s)), float(dt(1.0 / float(dt(p))))))
    got = _t(cls, x).norm(p, 2).numpy().ravel()
    bits_equal(got, np.array(want, dt))


@pytest.mark.parametrize("cls,dt", TYPES)
def test_normall_and_dist_are_libms_pow(cls, dt):
    single = dt == f32
    pw = libm("pow", single)
    x, y = _rows(dt, (9, 11), 1), _rows(dt, (9, 11), 2)
    # normall: `accreal sum += pow(fabs(x), 3)`, TH_MATH_NAME(pow)(sum, 1.0/3)
    s = 0.0
    for v in x.ravel():
        s += float(dt(pw(abs(float(v)), 3.0)))
    assert _t(cls, x).norm(3) == float(dt(pw(float(dt(s)), float(dt(1.0 / 3)))))
    # dist: `real sum += pow(fabs(t - s), p)` (in real), then pow(sum, 1.0/p)
    s = dt(0)
    for a, b in zip(x.ravel(), y.ravel()):
        s = dt(s + dt(pw(abs(float(dt(a - b))), 2.5)))
    assert torch.dist(_t(cls, x), _t(cls, y), 2.5) == float(dt(pw(float(s), float(dt(0.4)))))


@pytest.mark.parametrize("cls,dt", TYPES)
def test_renorm_row_norms_are_libms_pow(cls, dt):
    # THTensor_(renorm): `real norm += TH_MATH_NAME(pow)(fabs(x), p)`, norm = pow(norm, 1/p)
    # (C's double pow of a real 1/p), then maxnorm / (norm + 1e-7)
    pw = libm("pow", dt == f32)
    x = _rows(dt, (12, 9), 4)
    for p in (3, 1.5):
        maxnorm = dt(2.0)
        want = x.copy()
        for i, row in enumerate(x):
            n = dt(0)
            for v in row:
                n = dt(n + dt(pw(abs(float(v)), float(dt(p)))))
            n = dt(math.pow(float(n), float(dt(1) / dt(p))))
            if n > maxnorm:
                want[i] = row * dt(float(maxnorm) / (float(n) + 1e-7))
        bits_equal(torch.renorm(_t(cls, x), p, 1, float(maxnorm)).numpy(), want)


@pytest.mark.parametrize("cls,dt", TYPES)
def test_logspace_is_libms_pow_of_ten(cls, dt):
    # THTensor_(logspace): TH_MATH_NAME(pow)(10.0, a + i*(b-a)/((real)(n-1)))
    pw = libm("pow", dt == f32)
    a, b, n = -7.3, 5.9, 300
    r = torch.logspace(cls(), a, b, n).numpy()
    lin = torch.linspace(cls(), a, b, n).numpy()
    bits_equal(r, np.array([pw(10.0, float(v)) for v in lin], dt))


def test_pow_of_numbers_is_libms():
    xs = _rows(f64, 400, 5)
    for a, b in zip(np.abs(xs[:200]), xs[200:]):
        assert torch.pow(float(a), float(b)) == math.pow(float(a), float(b))


def test_integer_cpow_is_cs_double_pow():
    # THTensor_(cpow) on integers: pow(t, src) in double, cast back
    a = np.array([3, 7, 11, 2, 5, 13, 9], np.int32)
    b = np.array([5, 3, 2, 20, 7, 4, 6], np.int32)
    got = torch.IntTensor(a.tolist()).cpow(torch.IntTensor(b.tolist())).numpy()
    assert got.tolist() == [int(math.pow(x, y)) for x, y in zip(a.tolist(), b.tolist())]


# ---- THNN modules: double exp/log/log1p of real values ---------------------------------------

@pytest.fixture
def python_paths():
    """The modules' numpy paths (the C kernels off), where the libm calls are Python's."""
    old = _kernels.use_c
    _kernels.use_c = False
    yield
    _kernels.use_c = old


@pytest.mark.parametrize("cls,dt", TYPES)
def test_softmax_and_logsoftmax_use_cs_exp_and_log(cls, dt, python_paths):
    x = _rows(dt, (13, 17), 6, 5.0)
    go = _rows(dt, (13, 17), 7, 1.0)
    # SoftMax.c: `real z = exp(x - max)`, `accreal sum += z`, y = z * (1/sum)
    want = np.empty_like(x)
    for r, row in enumerate(x):
        z = [dt(math.exp(float(dt(v - row.max())))) for v in row]
        s = 0.0
        for v in z:
            s += float(v)
        want[r] = [dt(float(v) * (1 / s)) for v in z]
    bits_equal(nn.SoftMax().type("torch." + cls.__name__).forward(_t(cls, x)).numpy(), want)
    # LogSoftMax.c: logsum = max + log(sum of exp(x - max)); gi = go - exp(y) * sum(go)
    m = nn.LogSoftMax().type("torch." + cls.__name__)
    y = m.forward(_t(cls, x)).numpy().copy()
    want = np.empty_like(x)
    for r, row in enumerate(x):
        s = 0.0
        for v in row:
            s += math.exp(float(dt(v - row.max())))
        ls = float(row.max()) + math.log(s)
        want[r] = [dt(float(v) - ls) for v in row]
    bits_equal(y, want)
    gi = m.backward(_t(cls, x), _t(cls, go)).numpy()
    wgi = np.empty_like(go)
    for r in range(go.shape[0]):
        s = 0.0
        for v in go[r]:
            s += float(v)
        wgi[r] = [dt(float(g) - math.exp(float(v)) * s) for g, v in zip(go[r], y[r])]
    bits_equal(gi, wgi)


@pytest.mark.parametrize("cls,dt", TYPES)
def test_elu_softplus_logsigmoid_use_cs_exp_and_log(cls, dt):
    x = _rows(dt, 500, 9, 4.0)
    go = _rows(dt, 500, 10, 1.0)
    typ = "torch." + cls.__name__
    # ELU.c: `(exp(x) - 1) * alpha`, alpha a real
    alpha = float(dt(0.3))
    want = [dt((math.exp(float(v)) - 1) * alpha) if v <= 0 else v for v in x]
    bits_equal(nn.ELU(0.3).type(typ).forward(_t(cls, x)).numpy(), np.array(want, dt))
    # SoftPlus.c: x*beta > threshold ? x : log1p(exp(x*beta)) / beta; gradient from
    # `real z = exp(y*beta)`, go * (z - 1.)/z
    m = nn.SoftPlus(2).type(typ)
    y = m.forward(_t(cls, x)).numpy().copy()
    want = [v if dt(v * dt(2)) > 20 else dt(math.log1p(math.exp(float(dt(v * dt(2))))) / 2.0)
            for v in x]
    bits_equal(y, np.array(want, dt))
    gi = m.backward(_t(cls, x), _t(cls, go)).numpy()
    want = []
    for g, v in zip(go, y):
        z = float(dt(math.exp(float(dt(v * dt(2))))))
        want.append(g if dt(v * dt(2)) > 20 else dt(float(g) * (z - 1.) / z))
    bits_equal(gi, np.array(want, dt))
    # LogSigmoid.c: m = fmax(0, -x), real z = exp(-m) + exp(-x - m), y = -(m + log(z));
    # gi = go * (-max_deriv - sign * ((z - 1)/z))
    m = nn.LogSigmoid().type(typ)
    y = m.forward(_t(cls, x)).numpy()
    zs = [dt(math.exp(-max(0.0, -float(v))) + math.exp(float(dt(-v - dt(max(0.0, -float(v)))))))
          for v in x]
    want = [dt(-(max(0.0, -float(v)) + math.log(float(z)))) for v, z in zip(x, zs)]
    bits_equal(y, np.array(want, dt))
    gi = m.backward(_t(cls, x), _t(cls, go)).numpy()
    q = [(float(z) - 1.0) / float(z) for z in zs]
    want = [dt(g * dt(1.0 - qq if v < 0 else qq)) for g, v, qq in zip(go, x, q)]
    bits_equal(gi, np.array(want, dt))


@pytest.mark.parametrize("cls,dt", TYPES)
def test_criterions_use_cs_exp_and_log(cls, dt):
    typ = "torch." + cls.__name__
    x = _rows(dt, (6, 7), 11, 2.0)
    t = np.where(_rows(dt, (6, 7), 12) > 0, dt(1), dt(-1))
    n = x.size
    # SoftMarginCriterion.c: `real z = log(1. + exp(-x*t))`, `real sum += z`, sum /= n
    c = nn.SoftMarginCriterion().type(typ)
    s = dt(0)
    for a, b in zip(x.ravel(), t.ravel()):
        s = dt(s + dt(math.log(1. + math.exp(float(dt(-a * b))))))
    assert c.forward(_t(cls, x), _t(cls, t)) == float(dt(s / dt(n)))
    norm = dt(1. / n)
    want = [dt(float(-norm * b * dt(math.exp(float(-b * a)))) / (1. + float(
        dt(math.exp(float(-b * a)))))) for a, b in zip(x.ravel(), t.ravel())]
    bits_equal(c.backward(_t(cls, x), _t(cls, t)).numpy().ravel(), np.array(want, dt))
    # BCECriterion.c: sum -= log(x + EPS) * y + log(1. - x + EPS) * (1. - y) (sum a real);
    # gi = -norm * (y - x) / ((1. - x + EPS) * (x + EPS))
    p = (1 / (1 + np.exp(-x))).astype(dt)
    y = (t > 0).astype(dt)
    c = nn.BCECriterion().type(typ)
    s = dt(0)
    for a, b in zip(p.ravel(), y.ravel()):
        a, b = float(a), float(b)
        s = dt(float(s) - (math.log(a + 1e-12) * b + math.log(1. - a + 1e-12) * (1. - b)))
    assert c.forward(_t(cls, p), _t(cls, y)) == float(dt(s / dt(n)))
    want = [dt(float(-norm * (b - a)) / ((1. - float(a) + 1e-12) * (float(a) + 1e-12)))
            for a, b in zip(p.ravel(), y.ravel())]
    bits_equal(c.backward(_t(cls, p), _t(cls, y)).numpy().ravel(), np.array(want, dt))
    # DistKLDivCriterion.c: `sum += t > 0 ? t * (log(t) - x) : 0`: the term is a double (log),
    # and `sum += term` adds in double before rounding the sum to real
    c = nn.DistKLDivCriterion().type(typ)
    s = dt(0)
    for a, b in zip(x.ravel(), p.ravel()):
        s = dt(float(s) + (float(b) * (math.log(float(b)) - float(a)) if b > 0 else 0.))
    assert c.forward(_t(cls, x), _t(cls, p)) == float(dt(s / dt(n)))


@pytest.mark.parametrize("cls,dt", TYPES)
def test_cross_map_lrn_is_ths_pow(cls, dt):
    # SpatialCrossMapLRN.lua: output:pow(scale, -beta): TH_MATH_NAME(pow) of each element
    pw = libm("pow", dt == f32)
    m = nn.SpatialCrossMapLRN(3, 0.7, 0.6, 1.5).type("torch." + cls.__name__)
    x = _rows(dt, (4, 5, 5), 13, 2.0)
    y = m.forward(_t(cls, x)).numpy()
    s = m.scale.numpy()
    want = np.array([pw(float(v), float(dt(-0.6))) for v in s.ravel()], dt).reshape(x.shape) * x
    bits_equal(y, want)


def test_lookup_table_max_norm_is_cs_double_pow():
    # LookupTable_renormRow: `real norm += pow(fabs(x), p)` (double pow), norm = pow(norm,
    # 1.0/p), new_norm = maxNorm / (norm + 1e-7), row *= new_norm
    torch.manualSeed(3)
    m = nn.LookupTable(6, 9, 0, 1.5, 3)
    w0 = m.weight.numpy().copy()
    m.forward(torch.LongTensor([2, 5]))
    want = w0.copy()
    for r in (1, 4):
        n = 0.0
        for v in w0[r]:
            n = float(f64(n + math.pow(abs(float(v)), 3.0)))
        n = math.pow(n, 1.0 / 3.0)
        if n > 1.5:
            want[r] = w0[r] * (1.5 / (n + 1e-7))
    bits_equal(m.weight.numpy(), want)


# ---- the reference Torch7's goldens, bit for bit ---------------------------------------------

def _bits_golden(got, want):
    """got's doubles are the golden's (which writes -0 as 0: a zero's sign is left out)."""
    g = got.numpy().reshape(-1)
    bits_equal(np.where(g == 0, 0.0, g), np.array(want["data"], f64))


@pytest.mark.parametrize("name,mk", [("elu", lambda: nn.ELU()), ("elu_alpha", lambda: nn.ELU(0.3)),
                                     ("softplus", lambda: nn.SoftPlus()),
                                     ("softplus_beta", lambda: nn.SoftPlus(2, 5))])
def test_activations_match_the_goldens_bit_for_bit(name, mk):
    g = golden("nn_activations")
    kinks = torch.Tensor([-3, -1, -0.5, 0, 0.5, 1, 3, 6, 7, -0.1, 0.1, 20, -20, 0.25])
    xb = det(2.5, 0.43, 0.3, 3, 5)
    for key, x, seed in ((name, kinks, 1), (name + "_batch", xb, 2)):
        r = run(mk(), x.clone(), seed)
        _bits_golden(r["output"], g[key]["output"])
        _bits_golden(r["gradInput"], g[key]["gradInput"])


def test_logsigmoid_and_softmax_match_the_goldens_bit_for_bit():
    g = golden("nn_activations2")
    x = torch.Tensor([-3, -1, -0.5, 0, 0.5, 1, 3, 8])
    for key, inp, seed in (("logsigmoid", x, 7), ("logsigmoid_batch", det(2, 0.43, 0.3, 3, 4), 8)):
        r = run(nn.LogSigmoid(), inp.clone(), seed)
        _bits_golden(r["output"], g[key]["output"])
        _bits_golden(r["gradInput"], g[key]["gradInput"])
    for i, s in enumerate([(5,), (3, 4), (3, 2, 2), (2, 3, 2, 2)], 1):
        for name, mk in (("softmax", nn.SoftMax), ("softmin", nn.SoftMin)):
            inp = sfill(torch.Tensor(*s), 3, 0.61 + 0.1 * i, 0.2)
            r = run(mk(), inp, i)
            key = "%s_%dd" % (name, len(s))
            _bits_golden(r["output"], g[key]["output"])
            _bits_golden(r["gradInput"], g[key]["gradInput"])


# ---- THRandom.c: double log, cos, sin, tan, exp ----------------------------------------------

def test_random_distributions_are_libms():
    # THRandom_normal: rho = sqrt(-2 * log(1 - y)), rho * cos(2 pi x) then rho * sin(2 pi x)
    # of two uniform_double draws (the draws torch.rand makes); exponential: -1/lambda *
    # log(1 - u); cauchy: median + sigma * tan(pi * (u - 0.5)); logNormal: exp(normal)
    n = 4000
    torch.manualSeed(7)
    u = torch.rand(n).numpy().tolist()
    torch.manualSeed(7)
    got = torch.randn(n).numpy()
    want = []
    for x, y in zip(u[0::2], u[1::2]):
        rho = math.sqrt(-2.0 * math.log(1.0 - y))
        want += [rho * math.cos(2.0 * math.pi * x), rho * math.sin(2.0 * math.pi * x)]
    bits_equal(got, np.array(want))
    torch.manualSeed(7)
    got = torch.Tensor(n).logNormal(0.5, 2).numpy()
    bits_equal(got, np.array([math.exp(v * 2 + 0.5) for v in want]))
    torch.manualSeed(7)
    got = torch.Tensor(n).exponential(1.5).numpy()
    bits_equal(got, np.array([-1.0 / 1.5 * math.log(1.0 - v) for v in u]))
    torch.manualSeed(7)
    got = torch.Tensor(n).cauchy(0.25, 2).numpy()
    bits_equal(got, np.array([0.25 + 2 * math.tan(math.pi * (v - 0.5)) for v in u]))
