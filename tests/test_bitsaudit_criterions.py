"""THNN's element-by-element criterions give THNN's bits: each reference below is the C loop of
nn/lib/THNN/generic/<Name>.c written out one element at a time with numpy scalars of the
tensor's type (`real`) and Python floats where C computes in double (a double literal or a
libm call in the expression: `0.5*z*z`, `log(t)`, `fabs(..)`), the sum rounded to `real` after
each `sum += term`, then `sum /= n` in real. Float and double, sizeAverage on and off, odd
sizes, a non-contiguous input."""
import math

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn

DTYPES = (np.float32, np.float64)


def _tensor(a):
    return torch.FloatTensor(a) if a.dtype == np.float32 else torch.DoubleTensor(a)


def _typed(m, dt):
    return m.float() if dt == np.float32 else m


def _same(got, want):
    got, want = np.atleast_1d(np.asarray(got)), np.atleast_1d(np.asarray(want, np.asarray(got).dtype))
    assert got.shape == want.shape
    bad = got.view(np.uint8).reshape(got.size, -1) != want.view(np.uint8).reshape(want.size, -1)
    assert not bad.any(), (got.ravel()[bad.any(1)][:5], want.ravel()[bad.any(1)][:5])


def _same_result(out, gi, want):
    """The criterion's output and gradInput are the reference's (want_out, want_gi) bits."""
    _same(np.float64(out), np.float64(want[0]))
    _same(gi, want[1])


def _finish(R, s, n, size_average):
    return R(s / R(n)) if size_average else s


# -- the references: THNN's loops -----------------------------------------------------------

def ref_mse(x, t, sa):
    R = x.dtype.type
    s = R(0)
    for a, b in zip(x.ravel(), t.ravel()):
        z = R(a - b)
        s = R(s + R(z * z))
    norm = R(2. / float(R(x.size))) if sa else R(2.)
    return _finish(R, s, x.size, sa), np.array([R(norm * R(a - b)) for a, b in
                                                zip(x.ravel(), t.ravel())]).reshape(x.shape)


def ref_abs(x, t, sa):
    R = x.dtype.type
    s = R(0)
    for a, b in zip(x.ravel(), t.ravel()):
        s = R(float(s) + math.fabs(float(R(a - b))))
    norm = R(1. / float(R(x.size))) if sa else R(1.)
    g = [norm if R(a - b) >= 0 else -norm for a, b in zip(x.ravel(), t.ravel())]
    return _finish(R, s, x.size, sa), np.array(g, x.dtype).reshape(x.shape)


def ref_smooth_l1(x, t, sa):
    R = x.dtype.type
    s = R(0)
    for a, b in zip(x.ravel(), t.ravel()):
        z = math.fabs(float(R(a - b)))  # fabs: a double
        s = R(float(s) + (0.5 * z * z if z < 1 else z - 0.5))  # 0.5: the term in double
    norm = R(1. / float(R(x.size))) if sa else R(1.)
    g = []
    for a, b in zip(x.ravel(), t.ravel()):
        d = R(a - b)
        g.append(-norm if float(d) < -1. else norm if float(d) > 1. else R(norm * d))
    return _finish(R, s, x.size, sa), np.array(g, x.dtype).reshape(x.shape)


def ref_dist_kl_div(x, t, sa):
    R = x.dtype.type
    s = R(0)
    for a, b in zip(x.ravel(), t.ravel()):
        # `sum += t > 0 ? t * (log(t) - x) : 0`: the term in double (libm's log)
        s = R(float(s) + (float(b) * (math.log(float(b)) - float(a)) if b > 0 else 0.))
    norm = R(1. / float(R(x.size))) if sa else R(1.)
    g = [R(norm * -b) if b > 0 else R(0) for a, b in zip(x.ravel(), t.ravel())]
    return _finish(R, s, x.size, sa), np.array(g, x.dtype).reshape(x.shape)


def ref_margin(x, t, sa, margin):
    R = x.dtype.type
    m = R(margin)
    s = R(0)
    for a, b in zip(x.ravel(), t.ravel()):
        z = R(m - R(a * b))
        s = R(s + (z if z > 0 else R(0)))
    norm = R(1. / float(R(x.size))) if sa else R(1.)
    g = [R(-norm * b) if R(a * b) < m else R(0) for a, b in zip(x.ravel(), t.ravel())]
    return _finish(R, s, x.size, sa), np.array(g, x.dtype).reshape(x.shape)


def ref_soft_margin(x, t, sa):
    R = x.dtype.type
    s = R(0)
    for a, b in zip(x.ravel(), t.ravel()):
        z = R(math.log(1. + math.exp(float(R(-a * b)))))
        s = R(s + z)
    norm = R(1. / float(R(x.size))) if sa else R(1.)
    g = []
    for a, b in zip(x.ravel(), t.ravel()):
        z = R(math.exp(float(R(-b * a))))
        g.append(R(float(R(R(-norm * b) * z)) / (1. + float(z))))
    return _finish(R, s, x.size, sa), np.array(g, x.dtype).reshape(x.shape)


def ref_l1_cost(x):
    s = 0.  # accreal
    for a in x.ravel():
        s += math.fabs(float(a))
    g = np.sign(x).astype(x.dtype)
    return x.dtype.type(s), g


def ref_multi_margin(x, tgt, sa, p, margin, w):
    R = x.dtype.type
    x2 = x.reshape(-1, x.shape[-1])
    nframe, dim = x2.shape
    m = R(margin)
    s = R(0)
    if sa:
        g = R(1. / float(R(nframe * dim)))
    else:
        g = R(1. / float(R(dim)))
    gi = np.zeros_like(x2)
    for f in range(nframe):
        ti = int(tgt[f]) - 1
        it = x2[f, ti]
        git = R(0)
        for d in range(dim):
            z = R(R(m - it) + x2[f, d])
            if d == ti:
                continue
            if z > 0:
                h = z if p == 1 else R(z * z)
                if w is not None:
                    h = R(h * w[ti])
                s = R(s + h)
                hg = g if p == 1 else R(R(R(2) * g) * z)
                if w is not None:
                    hg = R(hg * w[ti])
                git = R(git - hg)
                gi[f, d] = hg
            else:
                gi[f, d] = 0
        gi[f, ti] = git
    s = R(s / R(dim))
    if sa:
        s = R(s / R(nframe))
    return s, gi.reshape(x.shape)


def ref_multi_label_margin(x, tgt, sa):
    R = x.dtype.type
    x2 = x.reshape(-1, x.shape[-1])
    t2 = tgt.reshape(x2.shape)
    nframe, dim = x2.shape
    g = R(1. / float(R(nframe * dim))) if sa else R(1. / float(R(dim)))
    s = R(0)
    gi = np.zeros_like(x2)
    for f in range(nframe):
        targets = []
        for v in t2[f]:
            if int(v) - 1 < 0:
                break
            targets.append(int(v) - 1)
        is_t = set(targets)
        for ti in targets:
            it = x2[f, ti]
            for d in range(dim):
                if d not in is_t:
                    z = R(R(R(1) - it) + x2[f, d])
                    if z > 0:
                        s = R(s + z)
                        gi[f, ti] = R(gi[f, ti] - g)
                        gi[f, d] = R(gi[f, d] + g)
    s = R(s / R(dim))
    if sa:
        s = R(s / R(nframe))
    return s, gi.reshape(x.shape)


# -- inputs: mixed magnitudes, so that the orders and roundings differ ----------------------

def _inputs(rng, shape, dt, scale=1.0):
    x = rng.standard_normal(shape) * scale * np.exp(rng.uniform(-3, 1, shape))
    return x.astype(dt)


def _run(m, x, t, strided=False):
    X, T = _tensor(x), _tensor(t)
    if strided:  # a transposed (non-contiguous) input and target
        X, T = _tensor(np.ascontiguousarray(x.T)).t(), _tensor(np.ascontiguousarray(t.T)).t()
    out = m.forward(X, T)
    gi = m.backward(X, T)
    return out, gi.numpy().copy()


POINTWISE = {
    'MSECriterion': (nn.MSECriterion, ref_mse),
    'AbsCriterion': (nn.AbsCriterion, ref_abs),
    'SmoothL1Criterion': (nn.SmoothL1Criterion, ref_smooth_l1),
    'DistKLDivCriterion': (nn.DistKLDivCriterion, ref_dist_kl_div),
}


@pytest.mark.parametrize('name', sorted(POINTWISE))
@pytest.mark.parametrize('dt', DTYPES)
@pytest.mark.parametrize('sa', (True, False))
@pytest.mark.parametrize('shape,strided', [((37,), False), ((5, 13), False), ((7, 9), True)])
def test_pointwise_criterion_is_thnn_loop(name, dt, sa, shape, strided):
    cls, ref = POINTWISE[name]
    rng = np.random.default_rng(hash((name, shape)) % 2 ** 32)
    for _ in range(3):
        x = _inputs(rng, shape, dt)
        t = _inputs(rng, shape, dt)
        if name == 'DistKLDivCriterion':
            t = np.where(rng.random(shape) < 0.2, 0, np.abs(t)).astype(dt)
        m = _typed(cls(), dt)
        m.sizeAverage = sa
        out, gi = _run(m, x, t, strided)
        _same_result(out, gi, ref(x, t, sa))


@pytest.mark.parametrize('dt', DTYPES)
@pytest.mark.parametrize('sa', (True, False))
@pytest.mark.parametrize('margin', (1, 0.3))
def test_margin_criterion_is_thnn_loop(dt, sa, margin):
    rng = np.random.default_rng(7)
    for shape in ((23,), (4, 11)):
        x = _inputs(rng, shape, dt)
        t = np.where(rng.random(shape) < 0.5, -1, 1).astype(dt)
        m = _typed(nn.MarginCriterion(margin), dt)
        m.sizeAverage = sa
        out, gi = _run(m, x, t)
        _same_result(out, gi, ref_margin(x, t, sa, margin))


@pytest.mark.parametrize('dt', DTYPES)
@pytest.mark.parametrize('sa', (True, False))
def test_soft_margin_criterion_is_thnn_loop(dt, sa):
    rng = np.random.default_rng(8)
    for shape in ((29,), (6, 7)):
        x = _inputs(rng, shape, dt, 3.0)
        t = np.where(rng.random(shape) < 0.5, -1, 1).astype(dt)
        m = _typed(nn.SoftMarginCriterion(), dt)
        m.sizeAverage = sa
        out, gi = _run(m, x, t)
        _same_result(out, gi, ref_soft_margin(x, t, sa))


@pytest.mark.parametrize('dt', DTYPES)
def test_l1_cost_sums_in_accreal(dt):
    rng = np.random.default_rng(9)
    for shape in ((31,), (5, 9)):
        x = _inputs(rng, shape, dt, 100.0)
        x[..., 0] = 0
        m = _typed(nn.L1Cost(), dt)
        X = _tensor(x)
        out = m.forward(X, None)
        gi = m.backward(X, None).numpy()
        _same_result(out, gi, ref_l1_cost(x))


@pytest.mark.parametrize('dt', DTYPES)
@pytest.mark.parametrize('sa', (True, False))
@pytest.mark.parametrize('p', (1, 2))
@pytest.mark.parametrize('weighted', (False, True))
def test_multi_margin_criterion_is_thnn_loop(dt, sa, p, weighted):
    rng = np.random.default_rng(10 + p)
    for shape in ((11,), (6, 9)):
        dim = shape[-1]
        x = _inputs(rng, shape, dt, 0.5)
        nframe = 1 if len(shape) == 1 else shape[0]
        tgt = rng.integers(1, dim + 1, nframe)
        w = rng.uniform(0.1, 2, dim).astype(dt) if weighted else None
        m = nn.MultiMarginCriterion(p, _tensor(w) if weighted else None, 0.7)
        m = _typed(m, dt)
        m.sizeAverage = sa
        T = torch.LongTensor(tgt.tolist()) if len(shape) == 2 else torch.LongTensor([int(tgt[0])])
        if len(shape) == 1:
            T = int(tgt[0])
        X = _tensor(x)
        out = m.forward(X, T)
        gi = m.backward(X, T).numpy()
        _same_result(out, gi, ref_multi_margin(x, tgt, sa, p, 0.7, w))


@pytest.mark.parametrize('dt', DTYPES)
@pytest.mark.parametrize('sa', (True, False))
def test_multi_label_margin_criterion_is_thnn_loop(dt, sa):
    rng = np.random.default_rng(12)
    for shape in ((10,), (5, 8)):
        dim = shape[-1]
        x = _inputs(rng, shape, dt, 0.5)
        rows = []
        for _ in range(1 if len(shape) == 1 else shape[0]):
            k = int(rng.integers(1, dim))
            lab = list(rng.permutation(dim)[:k] + 1) + [0] * (dim - k)
            rows.append(lab)
        tgt = np.array(rows).reshape(shape)
        m = _typed(nn.MultiLabelMarginCriterion(), dt)
        m.sizeAverage = sa
        T = torch.LongTensor(tgt.tolist())
        X = _tensor(x)
        out = m.forward(X, T)
        gi = m.backward(X, T).numpy()
        _same_result(out, gi, ref_multi_label_margin(x, tgt, sa))


def ref_cosine_embedding(a, b, y, margin, sa):
    """CosineEmbeddingCriterion.lua's steps: w1 = sum(a*b, 2), w22 = 1/(sum(a*a, 2) + eps),
    w32 likewise, w = sqrt(w22*w32) (TH's sum along a dim of stride 1: accreal, rounded to
    real); the gradients b - (w1*w22)*a, a - (w1*w32)*b times w, zeroed where the loss is 0,
    negated where y = 1, divided by the batch size in real."""
    R = a.dtype.type

    def rowsum(p):
        s = 0.0
        for v in p:
            s += float(v)
        return R(s)
    n = a.shape[0]
    g1, g2 = np.zeros_like(a), np.zeros_like(a)
    total = 0.0
    for i in range(n):
        w1 = rowsum([R(u * v) for u, v in zip(a[i], b[i])])
        w22 = R(R(1) / R(rowsum([R(u * u) for u in a[i]]) + R(1e-12)))
        w32 = R(R(1) / R(rowsum([R(v * v) for v in b[i]]) + R(1e-12)))
        w = R(np.sqrt(R(w22 * w32)))
        cos = R(w1 * w)
        out = max(R(cos + R(-margin)), R(0)) if y[i] == -1 else R(R(-cos) + R(1))
        total += float(out)
        for j in range(a.shape[1]):
            x1 = R(R(b[i, j] + R(R(R(-1) * R(w1 * w22)) * a[i, j])) * w)
            x2 = R(R(a[i, j] + R(R(R(-1) * R(w1 * w32)) * b[i, j])) * w)
            if out <= 0:
                x1, x2 = R(0), R(0)
            if y[i] == 1:
                x1, x2 = R(x1 * R(-1)), R(x2 * R(-1))
            if sa:
                x1, x2 = R(x1 / R(n)), R(x2 / R(n))
            g1[i, j], g2[i, j] = x1, x2
    return (total / n if sa else total), g1, g2


@pytest.mark.parametrize('dt', DTYPES)
@pytest.mark.parametrize('sa', (True, False))
def test_cosine_embedding_criterion_is_the_lua_op_sequence(dt, sa):
    rng = np.random.default_rng(31)
    a = _inputs(rng, (6, 11), dt)
    b = _inputs(rng, (6, 11), dt)
    b[:2] = a[:2] * dt(0.9)  # close pairs: some hinge terms are 0
    y = np.array([1, -1, 1, -1, -1, 1], dt)
    m = nn.CosineEmbeddingCriterion(0.1)
    m = _typed(m, dt)
    m.sizeAverage = sa
    X = [_tensor(a), _tensor(b)]
    out = m.forward(X, _tensor(y))
    g = m.backward(X, _tensor(y))
    want, g1, g2 = ref_cosine_embedding(a, b, y, 0.1, sa)
    _same(np.float64(out), np.float64(want))
    _same(g[0].numpy(), g1)
    _same(g[1].numpy(), g2)


@pytest.mark.parametrize('dt', DTYPES)
def test_spatial_class_nll_zero_loss_is_positive_zero(dt):
    """SpatialClassNLLCriterion.c: `output_acc = 0; output_acc -= x * w` pixel after pixel:
    log-probabilities of exactly 0 at the targets give 0 - 0 = +0 (printed 0, not -0)."""
    x = np.zeros((1, 3, 2, 2), dt)
    x[:, 1:] = -5
    t = torch.LongTensor([[[1, 1], [1, 1]]])
    m = _typed(nn.SpatialClassNLLCriterion(), dt)
    out = m.forward(_tensor(x), t)
    assert math.copysign(1.0, out) == 1.0
    m.sizeAverage = False
    out = m.forward(_tensor(x), t)
    assert math.copysign(1.0, out) == 1.0
    x[0, 0, 0, 0] = -0.25
    x[0, 0, 1, 1] = -0.5
    _same(np.float64(m.forward(_tensor(x), t)), np.float64(dt(dt(dt(0) - dt(-0.25)) - dt(-0.5))))
