"""The C loops added for the Jacobian-heavy tests of nn's suite (torch7py/nn/_nnk*.c) and the
numpy code used without them, against straightforward transcriptions of THNN's loops: 3-d max
pooling (padding, dilation, ceil mode, NaN, -inf windows, float and double)."""

import numpy as np
import pytest

from torch7py import nn

from kernel_paths import tensor  # noqa: E402


def naive_vmaxpool(x, k, d, pad, dil, out):
    """VolumetricDilatedMaxPooling_updateOutput_frame, loop for loop: a negative start moves up
    by whole dilations and the kernel shrinks by it; steps past the input are skipped; only a
    greater value (from -THInf) replaces the max; the index long holds the kernel offsets
    (z, y, x) in its first three bytes, -1 as 255."""
    P, T, H, W = x.shape
    low = -np.finfo(x.dtype).max
    y = np.empty((P,) + out, x.dtype)
    ind = np.empty((P,) + out, np.int64)
    for p in range(P):
        for ti in range(out[0]):
            for i in range(out[1]):
                for j in range(out[2]):
                    start = [ti * d[0] - pad[0], i * d[1] - pad[1], j * d[2] - pad[2]]
                    kern = [min(k[a], k[a] + start[a]) for a in range(3)]
                    for a in range(3):
                        while start[a] < 0:
                            start[a] += dil[a]
                    best, m = low, (-1, -1, -1)
                    for z in range(kern[0]):
                        for yy in range(kern[1]):
                            for xx in range(kern[2]):
                                pos = (start[0] + z * dil[0], start[1] + yy * dil[1],
                                       start[2] + xx * dil[2])
                                if pos[0] < T and pos[1] < H and pos[2] < W:
                                    v = x[p][pos]
                                    if v > best:
                                        best = v
                                        m = (z + k[0] - kern[0], yy + k[1] - kern[1],
                                             xx + k[2] - kern[2])
                    y[p, ti, i, j] = best
                    ind[p, ti, i, j] = (m[0] & 255) | (m[1] & 255) << 8 | (m[2] & 255) << 16
    return y, ind


@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('seed', range(8))
def test_volumetric_max_pooling_matches_thnn_loop(use_c, dtype, seed):
    rs = np.random.RandomState(seed)
    k = tuple(int(v) for v in rs.randint(1, 4, 3))
    d = tuple(int(v) for v in rs.randint(1, 3, 3))
    pad = tuple(int(rs.randint(0, kk // 2 + 1)) for kk in k)
    dil = tuple(int(v) for v in rs.randint(1, 3, 3)) if seed % 2 else (1, 1, 1)
    N, C = rs.randint(1, 3), rs.randint(1, 3)
    S = tuple(int(v) for v in rs.randint(5, 9, 3))
    m = nn.VolumetricDilatedMaxPooling(k[0], k[2], k[1], d[0], d[2], d[1], pad[0], pad[2],
                                       pad[1], dil[0], dil[2], dil[1])
    if seed % 3 == 1:
        m.ceil()
    if dtype == np.float32:
        m = m.float()
    x = rs.standard_normal((N, C) + S).astype(dtype)
    x[rs.rand(*x.shape) < 0.05] = np.nan
    if seed % 4 == 3:  # windows of -inf only have no maximum
        x[:, :, :3, :3, :3] = -np.inf
    t = tensor(x, dtype)
    if seed % 5 == 2:  # a non-contiguous input
        t = tensor(np.ascontiguousarray(np.swapaxes(x, 3, 4)), dtype).transpose(4, 5)
    batch = seed % 4 != 1
    if not batch:
        t, x, N = t.select(1, 1), x[:1], 1
    y = m.forward(t).numpy()
    out = y.shape[-3:]
    ey, eind = naive_vmaxpool(x.reshape((N * C,) + S), k, d, pad, dil, out)
    np.testing.assert_array_equal(y.reshape(ey.shape), ey)
    np.testing.assert_array_equal(m.indices.numpy().reshape(eind.shape), eind)


def naive_cols(x, k, d, pad, dil, out):
    """vol2col (im2col in 1 to 3 dimensions) loop for loop: column (c, offset) at output
    position o reads x[c, o*d - pad + offset*dil], zero outside the input."""
    N, C = x.shape[:2]
    S = x.shape[2:]
    offs = list(np.ndindex(*k))
    outs = list(np.ndindex(*out))
    cols = np.zeros((N, C * len(offs), len(outs)), x.dtype)
    for n in range(N):
        for c in range(C):
            for a, off in enumerate(offs):
                for b, o in enumerate(outs):
                    pos = tuple(o[i] * d[i] - pad[i] + off[i] * dil[i] for i in range(len(k)))
                    if all(0 <= pos[i] < S[i] for i in range(len(k))):
                        cols[n, c * len(offs) + a, b] = x[(n, c) + pos]
    return cols


def naive_fold(cols, S, k, d, pad, dil, out):
    """col2vol: the input starts at zero; offset after offset (in order), each column value is
    added where it was read from."""
    N = cols.shape[0]
    offs = list(np.ndindex(*k))
    outs = list(np.ndindex(*out))
    C = cols.shape[1] // len(offs)
    res = np.zeros((N, C) + tuple(S), cols.dtype)
    for n in range(N):
        for c in range(C):
            for a, off in enumerate(offs):
                for b, o in enumerate(outs):
                    pos = tuple(o[i] * d[i] - pad[i] + off[i] * dil[i] for i in range(len(k)))
                    if all(0 <= pos[i] < S[i] for i in range(len(k))):
                        res[(n, c) + pos] += cols[n, c * len(offs) + a, b]
    return res


@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('nd', [1, 2, 3])
@pytest.mark.parametrize('seed', range(4))
def test_unfold_and_fold_match_thnn_loops(use_c, dtype, nd, seed):
    from torch7py.nn import _conv
    rs = np.random.RandomState(seed * 7 + nd)
    k = tuple(int(v) for v in rs.randint(1, 4, nd))
    d = tuple(int(v) for v in rs.randint(1, 3, nd))
    dil = tuple(int(v) for v in rs.randint(1, 3, nd))
    pad = tuple(int(rs.randint(0, kk + 1)) for kk in k)
    S = tuple(int(v) for v in rs.randint(4, 8, nd))
    out = tuple(_conv.out_size(S[i], k[i], d[i], pad[i], dil[i]) for i in range(nd))
    if seed == 3:  # windows reaching past the input's end (a ceil-mode pooling's last ones)
        out = tuple(o + 1 for o in out)
    N, C = int(rs.randint(1, 3)), int(rs.randint(1, 4))
    x = rs.standard_normal((N, C) + S).astype(dtype)
    cols = _conv.unfold_copy(x, k, d, pad, dil, out)
    np.testing.assert_array_equal(cols, naive_cols(x, k, d, pad, dil, out))
    g = rs.standard_normal(cols.shape).astype(dtype)
    res = _conv.fold(g.reshape((N, C) + k + out), S, d, pad, dil)
    expect = naive_fold(g, S, k, d, pad, dil, out)
    assert res.dtype == dtype
    np.testing.assert_array_equal(res, expect)
    buf = np.full((N, C) + S, 7, dtype)  # an output array given is overwritten
    _conv.fold(g.reshape((N, C) + k + out), S, d, pad, dil, buf)
    np.testing.assert_array_equal(buf, expect)


def sequential_mse(x, t, avg):
    """MSECriterion.c: `real sum = 0; z = x - t; sum += z*z` element after element, in Python
    floats (double), then / n when averaging."""
    s = 0.0
    for a, b in zip(x.ravel().tolist(), t.ravel().tolist()):
        z = a - b
        s += z * z
    return s / x.size if avg else s


@pytest.mark.parametrize('avg', [True, False])
def test_auto_crop_mse_through_central_differences(use_c, avg):
    """criterionJacobianTest's sequence: each forward changes one element of the input (+h,
    then -2h, then back), with a cropped (non-contiguous) target; every value is THNN's
    sequential sum, however the previous calls went (the C loop resumes from its memo)."""
    rs = np.random.RandomState(5)
    x = rs.rand(2, 3, 7, 9)
    tgt = rs.rand(2, 3, 10, 12)
    crop = tgt[:, :, 1:8, 1:10]
    m = nn.SpatialAutoCropMSECriterion(avg)
    tx, tt = tensor(x), tensor(tgt)
    flat = tx.numpy().reshape(-1)
    for i in list(range(0, x.size, 37)) + [x.size - 1, 0]:
        for delta in (1e-6, -2e-6, 1e-6):
            flat[i] += delta
            got = m.forward(tx, tt)
            assert got == sequential_mse(tx.numpy(), crop, avg)
    other = nn.SpatialAutoCropMSECriterion(avg)  # another criterion, another target, same n
    tgt2 = tensor(rs.rand(2, 3, 7, 9))
    assert other.forward(tx, tgt2) == sequential_mse(tx.numpy(), tgt2.numpy(), avg)
    tt.numpy()[1, 2, 5, 5] += 1  # a change in the target alone
    assert m.forward(tx, tt) == sequential_mse(tx.numpy(), tt.numpy()[:, :, 1:8, 1:10], avg)
    nan = tx.clone()
    nan.numpy()[0, 0, 0, 3] = np.nan
    assert np.isnan(m.forward(nan, tt))
    assert m.forward(tx, tt) == sequential_mse(tx.numpy(), tt.numpy()[:, :, 1:8, 1:10], avg)
    with pytest.raises(Exception):  # noqa: B017  (sizes that differ in a leading dimension)
        m.forward(tensor(rs.rand(1, 3, 7, 9)), tt)


def naive_vavgpool(x, k, d, pad, out, include_pad):
    """VolumetricAveragePooling_updateOutput_frame: the window clipped to the padded input gives
    the pooled size, clipped to the input the summed range; real sum = 0 in t, h, w order, then
    0 + sum / divide_factor."""
    P = x.shape[0]
    S = x.shape[1:]
    y = np.empty((P,) + out, x.dtype)
    T = x.dtype.type
    for p in range(P):
        for o in np.ndindex(*out):
            st = [o[a] * d[a] - pad[a] for a in range(3)]
            en = [min(st[a] + k[a], S[a] + pad[a]) for a in range(3)]
            pool = int(np.prod([en[a] - st[a] for a in range(3)]))
            st = [max(v, 0) for v in st]
            en = [min(en[a], S[a]) for a in range(3)]
            div = pool if include_pad else int(np.prod([en[a] - st[a] for a in range(3)]))
            s = T(0)
            for z in range(st[0], en[0]):
                for a in range(st[1], en[1]):
                    for b in range(st[2], en[2]):
                        s = T(s + x[p, z, a, b])
            with np.errstate(divide='ignore', invalid='ignore'):
                y[(p,) + o] = T(0) + s / T(div)
    return y


@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('seed', range(6))
def test_volumetric_average_pooling_matches_thnn_loop(use_c, dtype, seed):
    rs = np.random.RandomState(seed + 40)
    k = tuple(int(v) for v in rs.randint(1, 4, 3))
    d = tuple(int(v) for v in rs.randint(1, 3, 3))
    pad = tuple(int(rs.randint(0, kk // 2 + 1)) for kk in k)
    m = nn.VolumetricAveragePooling(k[0], k[2], k[1], d[0], d[2], d[1], pad[0], pad[2], pad[1])
    if seed % 2:
        m.ceil()
    if seed % 3 == 2:
        m.setCountExcludePad()
    if dtype == np.float32:
        m = m.float()
    N, C = int(rs.randint(1, 3)), int(rs.randint(1, 3))
    S = tuple(int(v) for v in rs.randint(4, 8, 3))
    x = rs.standard_normal((N, C) + S).astype(dtype)
    y = m.forward(tensor(x, dtype)).numpy()
    out = y.shape[-3:]
    expect = naive_vavgpool(x.reshape((N * C,) + S), k, d, pad, out, seed % 3 != 2)
    np.testing.assert_array_equal(y.reshape(expect.shape), expect)


@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('seed', range(4))
def test_fractional_pool_scan(use_c, dtype, seed):
    """The fractional max poolings' windows (given starts, overlapping) scanned in window order
    from -THInf: the first greater value wins, a NaN never; 1-based plane indices."""
    from torch7py.nn.volumetric_fractional_max_pooling import fractional_pool
    rs = np.random.RandomState(seed + 90)
    S = (5, 6, 4)
    pool = (2, 3, 2)
    out = (3, 2, 3)
    P = 3
    x = rs.standard_normal((P,) + S).astype(dtype)
    x[rs.rand(*x.shape) < 0.1] = np.nan
    x[0, :2, :2, :2] = 1  # ties
    starts = [rs.randint(0, S[a] - pool[a] + 1, (P, out[a])) for a in range(3)]
    vals = np.empty((P,) + out, dtype)
    idx = np.empty((P,) + out, np.int64)
    fractional_pool(x, starts, pool, vals, idx)
    low = -np.finfo(dtype).max
    for p in range(P):
        for o in np.ndindex(*out):
            best, at = low, -1
            for off in np.ndindex(*pool):
                pos = tuple(starts[a][p, o[a]] + off[a] for a in range(3))
                v = x[p][pos]
                if v > best:
                    best, at = v, (pos[0] * S[1] + pos[1]) * S[2] + pos[2]
            assert vals[(p,) + o] == best and idx[(p,) + o] == at + 1
    x[1] = -np.inf  # a plane of -inf: no window holds a maximum, THNN asserts
    with pytest.raises(Exception, match='maxVal'):
        fractional_pool(x, starts, pool, vals, idx)


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('nsp', [2, 3])
def test_up_sampling_nearest_backward_order(use_c, dtype, nsp):
    """UpSamplingNearest's gradInput: zero plus each block's terms, the offset along the last
    axis outermost, along the first innermost (THNN's loops), in the tensor's precision."""
    rs = np.random.RandomState(nsp)
    s = 3
    S = (2, 3, 4)[3 - nsp:]
    x = rs.standard_normal((2, 2) + S).astype(dtype)
    m = nn.UpSampling(s)
    if dtype == np.float32:
        m = m.float()
    t = tensor(x, dtype)
    y = m.forward(t).numpy()
    go = (rs.standard_normal(y.shape) * 10 ** rs.uniform(-6, 6, y.shape)).astype(dtype)
    go[0, 0, :s, :s] = 0  # a block of zeros, one of them -0
    go[0, 0, 0, 1] = -0.0
    gi = m.backward(t, tensor(go, dtype)).numpy()
    expect = np.empty(x.shape, dtype)
    for idx in np.ndindex(*x.shape):
        acc = dtype(0)
        for offs in np.ndindex(*([s] * nsp)):  # offs[0]: the last axis's offset
            pos = tuple(idx[2 + a] * s + offs[nsp - 1 - a] for a in range(nsp))
            acc = dtype(acc + go[idx[:2] + pos])
        expect[idx] = acc
    assert np.array_equal(gi.view(np.uint8), expect.view(np.uint8))


def test_full_convolution_backward_columns_follow_grad_output():
    """VolumetricFullConvolution's vol2col of gradOutput, shared by updateGradInput and
    accGradParameters while gradOutput's bits are unchanged: each backward's gradients are
    those of its own gradOutput (gradInput = W2 @ cols, gradWeight += x @ cols^T), also when
    gradOutput changes in place between calls."""
    rs = np.random.RandomState(11)
    m = nn.VolumetricFullConvolution(2, 3, 2, 2, 2, 2, 1, 1, 0, 1, 0)
    x = tensor(rs.standard_normal((2, 2, 3, 3, 4)))
    y = m.forward(x)
    go = tensor(rs.standard_normal(tuple(y.size())))
    for step in range(3):
        if step == 2:
            go.numpy()[1, 2, 0, 0, 0] += 1  # changed in place: new columns
        m.zeroGradParameters()
        gi = m.backward(x, go).numpy()
        g = go.numpy()
        cols = naive_cols(g, (2, 2, 2), (2, 1, 1), (0, 0, 1), (1, 1, 1), (3, 3, 4))
        w2 = m.weight.numpy().reshape(2, -1)
        np.testing.assert_allclose(gi, (w2 @ cols).reshape(gi.shape), rtol=1e-12, atol=1e-12)
        gw = sum(x.numpy()[n].reshape(2, -1) @ cols[n].T for n in range(2))
        np.testing.assert_allclose(m.gradWeight.numpy().reshape(2, -1), gw, rtol=1e-12,
                                   atol=1e-12)


@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('seed', range(4))
def test_volumetric_max_pooling_after_a_small_change_is_the_thnn_loop(use_c, dtype, seed):
    # nn.Jacobian's pattern: one element changed between forwards (the kept outputs of the last
    # call serve the windows that do not read it); NaN, -inf and a new maximum included
    rs = np.random.RandomState(100 + seed)
    k = tuple(int(v) for v in rs.randint(2, 4, 3))
    d = tuple(int(v) for v in rs.randint(1, 3, 3))
    pad = tuple(int(rs.randint(0, kk // 2 + 1)) for kk in k)
    dil = tuple(int(v) for v in rs.randint(1, 3, 3)) if seed % 2 else (1, 1, 1)
    S = tuple(int(v) for v in rs.randint(5, 8, 3))
    m = nn.VolumetricDilatedMaxPooling(k[0], k[2], k[1], d[0], d[2], d[1], pad[0], pad[2],
                                       pad[1], dil[0], dil[2], dil[1])
    if seed == 2:
        m.ceil()
    if dtype == np.float32:
        m = m.float()
    x = rs.standard_normal((2,) + S).astype(dtype)
    t = tensor(x, dtype)
    flat = t.numpy().reshape(-1)
    for step in range(14):
        e = int(rs.randint(flat.size))
        flat[e] = [np.nan, -np.inf, 10.0, -10.0, rs.standard_normal()][step % 5]
        y = m.forward(t).numpy()
        ey, eind = naive_vmaxpool(t.numpy().copy(), k, d, pad, dil, y.shape[-3:])
        np.testing.assert_array_equal(y, ey)
        np.testing.assert_array_equal(m.indices.numpy(), eind)


def seq_mse(x, t, avg):
    """THNN's sequential sum, fast: np.add.accumulate adds element after element in order."""
    z = x.ravel() - t.ravel()
    z = z * z
    s = float(np.add.accumulate(z)[-1]) if z.size else 0.0
    return s / z.size if avg else s


@pytest.mark.parametrize('seed', range(4))
def test_auto_crop_mse_memo_runs_and_ties(use_c, seed):
    """The memo's jumps (runs of unchanged elements shift the partial sums by a fixed delta
    inside one binade) against the sequential sum: sums over many binades, exact rounding ties
    in the chain (z = 2^-52 added to a sum in [2, 4)), perturbations by odd and even multiples
    of an ulp, several elements changed at once, changes in the target only, more changes than
    the memo keeps, and a NaN."""
    rs = np.random.RandomState(seed)
    B, C, H, W = 2, 3, 20, 30
    x = rs.rand(B, C, H, W)
    tgt = rs.rand(B, C, H + 4, W + 3)
    r0, c0 = 2, 1
    crop = tgt[:, :, r0:r0 + H, c0:c0 + W]
    flat = x.reshape(-1)
    # ties: elements with x - t = 2^-26 once the sum is in [2, 4)
    z = (flat - crop.ravel()) ** 2
    pre = np.add.accumulate(z)
    where = np.nonzero((pre > 2.2) & (pre < 3.8))[0][1:-1:7]
    for p in where:
        b, c, i, j = np.unravel_index(p, x.shape)
        tgt[b, c, r0 + i, c0 + j] = flat[p] - 2.0 ** -26
    m = nn.SpatialAutoCropMSECriterion(True)
    tx, tt = tensor(x), tensor(tgt)
    fx = tx.numpy().reshape(-1)
    ct = tt.numpy()[:, :, r0:r0 + H, c0:c0 + W]

    def check():
        assert m.forward(tx, tt) == seq_mse(tx.numpy(), ct, True)

    check()
    n = fx.size
    for step in range(300):
        kind = rs.randint(6)
        if kind == 0:  # the Jacobian's pattern
            i = rs.randint(n)
            for delta in (1e-6, -2e-6, 1e-6):
                fx[i] += delta
                check()
        elif kind == 1:  # an ulp or a few, odd and even, early in the chain
            i = rs.randint(min(n, 50))
            fx[i] = np.nextafter(fx[i], 2.0) if rs.rand() < 0.5 else fx[i] + 3 * np.spacing(fx[i])
            check()
        elif kind == 2:  # several at once
            for i in rs.randint(n, size=rs.randint(2, 9)):
                fx[i] += rs.choice([1e-9, -1e-7, 2.0 ** -40])
            check()
        elif kind == 3:  # the target only, inside the crop and outside it
            b, c = rs.randint(B), rs.randint(C)
            tt.numpy()[b, c, rs.randint(H + 4), rs.randint(W + 3)] += 1e-5
            check()
        elif kind == 4:  # next to a tie
            p = where[rs.randint(len(where))]
            fx[p - 1] += np.spacing(fx[p - 1]) * rs.choice([1, 2, 3])
            check()
        else:
            check()  # nothing changed
    fx[rs.randint(n, size=400)] += 1e-3  # more than the memo keeps: rebuilt
    check()
    fx[5] = np.nan
    assert np.isnan(m.forward(tx, tt))
    fx[5] = 0.5
    check()


@pytest.mark.parametrize('nd', [2, 3])
@pytest.mark.parametrize('seed', range(4))
def test_conv_forward_columns_after_small_changes(use_c, nd, seed):
    """conv_forward's kept columns (updated where a few input elements changed, then copied
    out) against THNN's im2col/vol2col loop on the whole input, call after call: one element
    at a time (nn.Jacobian's pattern), several, -0 for +0, NaN, and a whole new input."""
    from torch7py.nn import _conv
    rs = np.random.RandomState(seed)
    N, C = rs.randint(1, 3), rs.randint(1, 3)
    S = tuple(int(v) for v in rs.randint(3, 7, size=nd))
    k = tuple(int(v) for v in rs.randint(1, 4, size=nd))
    d = tuple(int(v) for v in rs.randint(1, 3, size=nd))
    dil = tuple(int(v) for v in rs.randint(1, 3, size=nd))
    pad = tuple(int(rs.randint(0, 2)) for _ in range(nd))
    out = tuple(_conv.out_size(S[i], k[i], d[i], pad[i], dil[i]) for i in range(nd))
    if min(out) < 1:
        pytest.skip('no output for this geometry')
    x = rs.randn(N, C, *S)
    w2 = rs.randn(2, C * int(np.prod(k)))
    L = int(np.prod(out))
    cols = np.empty((N, C * int(np.prod(k)), L))
    flat = x.reshape(-1)
    for step in range(40):
        r = rs.rand()
        if r < 0.6:
            flat[rs.randint(flat.size)] += 1e-6
        elif r < 0.75:
            flat[rs.randint(flat.size, size=3)] = rs.randn(3)
        elif r < 0.85:
            flat[rs.randint(flat.size)] = rs.choice([-0.0, 0.0, np.nan])
        elif r < 0.9:
            flat[...] = rs.randn(flat.size)
        y = np.empty((N, 2, L))
        _conv.conv_forward(x, w2, k, d, pad, dil, out, None, cols, y)
        expect = naive_cols(x, k, d, pad, dil, out)
        assert np.array_equal(cols.view(np.int64), expect.view(np.int64))
