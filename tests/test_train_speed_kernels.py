"""The training-step kernels of issue 16 against straightforward formulas: the convolution's
gradInput made through a cached scratch buffer (conv_gi_nt: fgradInput streamed, col2im
gathered row by row on AVX2) in each build of _nnk, and which build nn loads."""
import importlib.util

import numpy as np
import pytest

from torch7py.nn import _blas, _kernels, _nnk_load

BUILDS = [m for m in (_kernels._nnk, _kernels._nnk_portable)
          if m is not None and hasattr(m, 'conv_gi_nt')]
BUILDS = [m for i, m in enumerate(BUILDS) if m not in BUILDS[:i]]


def _col2im_loops(cols, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW):
    """THNN's unfolded_acc, loop for loop: gradInput starts at zero and each column value is
    added at its input position, in the order (sample, plane, kh, kw, i, j)."""
    gi = np.zeros((N, C, H, W), cols.dtype)
    for n in range(N):
        for c in range(C):
            for kh in range(kH):
                for kw in range(kW):
                    row = (c * kH + kh) * kW + kw
                    for i in range(oH):
                        yy = i * dH - padH + kh * dilH
                        if not 0 <= yy < H:
                            continue
                        for j in range(oW):
                            xx = j * dW - padW + kw * dilW
                            if 0 <= xx < W:
                                gi[n, c, yy, xx] += cols[n, row, i * oW + j]
    return gi


@pytest.mark.skipif(not BUILDS or not _blas.gemm_set(), reason='_nnk or its gemm not available')
@pytest.mark.parametrize('build', BUILDS, ids=lambda m: m.__spec__.name.rsplit('.', 1)[-1])
@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('seed', range(12))
def test_conv_gi_nt_gives_thnn_bits(build, dtype, seed):
    rs = np.random.RandomState(seed)
    N, C, O = rs.randint(1, 3), rs.randint(1, 4), rs.randint(2, 5)
    kH, kW = rs.randint(1, 5), rs.randint(1, 7)
    dH, dW = rs.randint(1, 3), (1 if seed % 3 else 2)
    dilH, dilW = rs.randint(1, 3), rs.randint(1, 3)
    padH, padW = rs.randint(0, kH // 2 + 1), rs.randint(0, kW // 2 + 1)
    H, W = rs.randint(kH * dilH, 12), rs.randint(kW * dilW, 30)
    oH = (H + 2 * padH - (dilH * (kH - 1) + 1)) // dH + 1
    oW = (W + 2 * padW - (dilW * (kW - 1) + 1)) // dW + 1
    K, L = C * kH * kW, oH * oW
    w = rs.standard_normal((O, K)).astype(dtype)
    go = rs.standard_normal((N, O, L)).astype(dtype)
    go[0, 0, :3] = -0.0  # a column of -0 products: gradInput stays +0 there, as THNN's
    w[0, 0] = 0.0
    gcols = np.full((N, K, L), np.nan, dtype)
    gi = np.full((N, C, H, W), np.nan, dtype)
    scratch = np.full((K, L), np.nan, dtype)
    build.conv_gi_nt(w, go, gcols, gi, scratch, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH,
                     dilW, oH, oW, O, dtype == np.float32)
    # THNN: fgradInput[n] = weight^T gradOutput[n] (numpy's gemm, the same BLAS call), then
    # unfolded_acc into gradInput
    want_cols = np.stack([np.matmul(w.T, go[n]) for n in range(N)])
    want = _col2im_loops(want_cols, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW)
    assert gcols.tobytes() == want_cols.tobytes()
    assert gi.tobytes() == want.tobytes()


def test_nn_loads_the_avx2_build_where_the_cpu_has_it():
    has_hw = importlib.util.find_spec('torch7py.nn._nnk_hw') is not None
    if _nnk_load.portable is None:
        assert _kernels._nnk is None
    elif has_hw and _nnk_load._cpu_has_avx2_fma():
        assert _kernels._nnk.__spec__.name == 'torch7py.nn._nnk_hw'
    else:
        assert _kernels._nnk is _nnk_load.portable


def _maxpool22_loops(x, oH, oW):
    """THNN's SpatialDilatedMaxPooling scan for 2x2 windows, stride 2: each window row by row,
    `val > maxval` from -THInf (a NaN is never the max), the first maximum kept; 1-based
    indices into the plane, 0 where no value beat -THInf."""
    P, H, W = x.shape
    lowest = -np.finfo(x.dtype).max
    y = np.empty((P, oH, oW), x.dtype)
    ind = np.empty((P, oH, oW), np.int64)
    for k in range(P):
        for i in range(oH):
            for j in range(oW):
                mx, at = lowest, 0
                for a in range(2):
                    for b in range(2):
                        v = x[k, 2 * i + a, 2 * j + b]
                        if v > mx:
                            mx, at = v, (2 * i + a) * W + 2 * j + b + 1
                y[k, i, j], ind[k, i, j] = mx, at
    return y, ind


@pytest.mark.parametrize('build', [m for m in BUILDS if hasattr(m, 'maxpool22_v')],
                         ids=lambda m: m.__spec__.name.rsplit('.', 1)[-1])
@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('seed', range(8))
def test_maxpool22_v_gives_thnn_scan(build, dtype, seed):
    rs = np.random.RandomState(seed)
    P, H, W = rs.randint(1, 4), rs.randint(2, 9), rs.randint(2, 42)
    oH, oW = H // 2, W // 2 - (seed % 2 if W > 3 else 0)  # a column left out sometimes
    x = np.round(rs.standard_normal((P, H, W)) * 2).astype(dtype)  # ties
    x[x > 2] = np.nan
    x[x < -2] = -np.inf
    if seed == 0:
        x[...] = -np.inf  # no value beats -THInf: index 0
    y = np.full((P, oH, oW), 7, dtype)
    ind = np.full((P, oH, oW), 7, np.int64)
    build.maxpool22_v(x, y, ind, P, H, W, oH, oW, dtype == np.float32)
    ey, eind = _maxpool22_loops(x, oH, oW)
    assert y.tobytes() == ey.tobytes()
    assert ind.tobytes() == eind.tobytes()


@pytest.mark.parametrize('build', [m for m in BUILDS if hasattr(m, 'conv_gb_rows')],
                         ids=lambda m: m.__spec__.name.rsplit('.', 1)[-1])
@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('seed', range(6))
def test_conv_gb_rows_gives_thnn_sums(build, dtype, seed):
    """SpatialConvolutionMM_accGradParameters_frame's gradBias, sample after sample: for each
    plane `real sum = 0; sum += gradOutput[k]` in order, then gradBias[i] += scale*sum."""
    rs = np.random.RandomState(seed)
    N, O, L = rs.randint(1, 6), rs.randint(1, 19), rs.randint(1, 90)
    scale = (1.0, 0.5, 0.3)[seed % 3]
    go = (rs.standard_normal((N, O, L)) * 10 ** rs.uniform(-3, 3, (N, O, L))).astype(dtype)
    gb = rs.standard_normal(O).astype(dtype)
    want = gb.copy()
    sc = dtype(scale)
    for n in range(N):
        for i in range(O):
            s = dtype(0)
            for k in range(L):
                s = dtype(s + go[n, i, k])
            want[i] = dtype(want[i] + dtype(sc * s))
    build.conv_gb_rows(go, gb, np.empty(N * O, dtype), N, O, L, scale, dtype == np.float32)
    assert gb.tobytes() == want.tobytes()
