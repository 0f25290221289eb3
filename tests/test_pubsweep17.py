"""Session 16's sweep of public Torch7 code (pubsweep17): mechanisms by which a legacy script
printed something else through our th than through the original.

nn's own doc example (doc/table.md, ParallelTable after SplitTable(2)) trains two Linear
layers on the columns of a matrix: each Linear gets a strided vector (stride 2). Linear.lua's
vector forward is output:copy(bias); output:addmv(1, weight, input) and its gradInput
addmv(0, 1, weight:t(), gradOutput); TH hands the vector's stride to BLAS gemv as incx, and
OpenBLAS's gemv copies a strided x into a contiguous buffer before its kernel: the result is
bit for bit the contiguous one. Ours took numpy's matmul for a strided operand (another
summation order: the last bits of the loss drifted from step 13 on)."""
import pytest

import torch7py as torch
from torch7py import nn, numerics

needs_blas = pytest.mark.skipif(numerics._b is None, reason="torch7py._obl12 not built")


def _bits(t):
    return [float(v) for v in t.numpy().ravel()]


@needs_blas
@pytest.mark.parametrize("mode", ["fused", "plain"])
@pytest.mark.parametrize("n_in", [4, 10, 17, 33])
def test_linear_vector_forward_strided_equals_contiguous(monkeypatch, mode, n_in):
    old = numerics.blas_loops(mode)
    try:
        torch.manualSeed(3)
        m = nn.Linear(n_in, 5)
        x2 = torch.randn(n_in, 2)
        xs = x2.select(2, 2)
        assert xs.stride(1) == 2
        want = _bits(m.forward(xs.clone()))
        got = _bits(m.forward(xs))
        assert got == want
    finally:
        numerics.blas_loops(old)


@needs_blas
@pytest.mark.parametrize("mode", ["fused", "plain"])
def test_linear_vector_grad_input_strided_equals_contiguous(mode):
    old = numerics.blas_loops(mode)
    try:
        torch.manualSeed(4)
        m = nn.Linear(12, 9)
        x = torch.randn(12)
        go2 = torch.randn(9, 3)
        gos = go2.select(2, 3)
        want = _bits(m.updateGradInput(x, gos.clone()))
        got = _bits(m.updateGradInput(x, gos))
        assert got == want
    finally:
        numerics.blas_loops(old)


# the weight and bias nn.Linear(10, 3) draws in the original's th after torch.manualSeed(1),
# as it printed them with string.format('%.17g') (exact round trips)
_W = [-0.31615542506971994, -0.23519475023450007, -0.12501586102969212, 0.31562093467042956,
      -0.22341118991468847, -0.16691198692650397, -0.25782771044776764, -0.065408091870960638,
      -0.19842646499410566, -0.070891472431195507, -0.097675973786519016, 0.10735682227066151,
      -0.065289985533502237, 0.2754590958904663, 0.024549856818540106, 0.21902625603151354,
      -0.051105873442848004, -0.11809619968596449, 0.11714309784527938, 0.015525621304796622,
      -0.18692081010722514, -0.035763530164305113, 0.2391424647945905, -0.17103038317044614,
      -0.29890632943757017, 0.021765265994663774, 0.10781311818819184, 0.26181257111960915,
      -0.05230103398308561, -0.027066055178843307]
_B = [0.037118705970397348, -0.043830072720081548, -0.22743927111546597]


@needs_blas
def test_linear_on_a_column_prints_the_originals_bits(plain_blas_loops):
    # the original Torch7 (Debian OpenBLAS 0.3.21, Haswell kernels, one thread) printed these
    # with string.format('%.17g') for l:forward(torch.ones(10, 2):select(2, 1)) with the
    # weight and bias above (before the fix ours printed -1.306503312278307 first)
    m = nn.Linear(10, 3)
    m.weight.copy(torch.Tensor(_W).view(3, 10))
    m.bias.copy(torch.Tensor(_B))
    out = m.forward(torch.ones(10, 2).select(2, 1))
    assert ['%.17g' % v for v in _bits(out)] == [
        '-1.3065033122783072', '0.38306264499234216', '-0.36889399305988613']


def _strided_ddot(x, y):
    """OpenBLAS 0.3.21's ddot for increments other than 1 (kernel/x86_64/ddot.c), as the plain
    build computes it: products rounded, two partial sums of pairs, then their sum."""
    n = len(x)
    t1 = t2 = 0.0
    n1 = n & -4
    i = 0
    while i < n1:
        m1, m2 = y[i] * x[i], y[i + 1] * x[i + 1]
        m3, m4 = y[i + 2] * x[i + 2], y[i + 3] * x[i + 3]
        t1 += m1 + m3
        t2 += m2 + m4
        i += 4
    while i < n:
        t1 += y[i] * x[i]
        i += 1
    return t1 + t2


@needs_blas
@pytest.mark.parametrize("n", [7, 12, 33])
def test_mul_grad_weight_of_a_strided_vector_is_ths_dot(plain_blas_loops, n):
    # Mul.lua: gradWeight[1] = gradWeight[1] + scale*input:dot(gradOutput); THTensor_(dot)
    # passes the strides to BLAS dot (ours summed a raveled copy with numpy's dot)
    torch.manualSeed(5)
    m = nn.Mul()
    x = torch.randn(n, 2).select(2, 1)
    go = torch.randn(n, 3).select(2, 2)
    m.gradWeight.fill(0.25)
    m.accGradParameters(x, go, 0.5)
    want = 0.25 + 0.5 * _strided_ddot(_bits(x), _bits(go))
    assert float(m.gradWeight[1]) == want


@needs_blas
def test_mul_grad_weight_of_transposed_matrices_sums_ths_runs(plain_blas_loops):
    # THTensor_(dot) on two 7x12 transposed matrices: TH_TENSOR_APPLY2 walks the last
    # dimension (12 elements, stride 7) and adds one BLAS dot per run, in row order
    torch.manualSeed(6)
    m = nn.Mul()
    x = torch.randn(12, 7).t()
    go = torch.randn(12, 7).t()
    m.gradWeight.zero()
    m.accGradParameters(x, go)
    want = 0.0
    for r in range(1, 8):
        want += _strided_ddot(_bits(x.select(1, r)), _bits(go.select(1, r)))
    assert float(m.gradWeight[1]) == want


@needs_blas
def test_linear_grad_bias_of_a_transposed_grad_output_is_gemv_t(plain_blas_loops):
    # Linear.lua: gradBias:addmv(scale, gradOutput:t(), addBuffer). A transposed gradOutput
    # makes gradOutput:t() row-major, so TH's addmv calls gemv 't' (OpenBLAS's dgemv_t
    # kernel, 4 rows at a time), not the 'n' of a row-major gradOutput; ours summed in the
    # 'n' order. The expectation is Linear.lua's own call on tensors (tensor addmv's gemv 't'
    # bits are checked against the build in the BLAS tests); the original printed the same
    # for this layout (reference build, /tmp probe) and the two orders differ here
    torch.manualSeed(7)
    m = nn.Linear(12, 5)
    x = torch.randn(7, 12)
    go = torch.randn(5, 7).t()
    m.zeroGradParameters()
    m.accGradParameters(x, go)
    ones = torch.ones(7)
    want = _bits(torch.zeros(5).addmv(1, go.t(), ones))
    n_order = _bits(torch.zeros(5).addmv(1, go.clone().t(), ones))  # gemv 'n'
    assert want != n_order
    assert _bits(m.gradBias) == want


def test_dot_product_grad_with_a_strided_grad_output_fails_in_its_view():
    # DotProduct.lua: local go = gradOutput:view(-1, 1):expandAs(v1); view wants a contiguous
    # tensor (the reference build: "torch/Tensor.lua:461: expecting a contiguous tensor");
    # ours computed a gradInput
    from torch7py.tensor import TorchError
    torch.manualSeed(8)
    m = nn.DotProduct()
    x = [torch.randn(4, 6), torch.randn(4, 6)]
    m.forward(x)
    go = torch.randn(4, 2).select(2, 1)
    with pytest.raises(TorchError, match="expecting a contiguous tensor"):
        m.updateGradInput(x, go)
    # a contiguous gradOutput still works: row i of gradInput[1] is go[i] * x[2][i]
    gi = m.updateGradInput(x, go.clone())
    assert _bits(gi[0]) == [float(a) * float(b) for a, b in zip(
        _bits(x[1]), [g for g in _bits(go) for _ in range(6)])]


@pytest.mark.parametrize("shape", [(6,), (3, 4)])
def test_l1_hinge_embedding_zero_gradient_is_positive_zero(shape):
    # L1HingeEmbeddingCriterion.lua with y == -1 and dist > margin: gradInput[1]:zero() and
    # gradInput[2]:zero():add(-1, gradInput[1]): +0 everywhere (the reference printed 0);
    # ours printed -0 where the difference was negative (sign * 0)
    import math
    torch.manualSeed(9)
    c = nn.L1HingeEmbeddingCriterion(0.5)
    x = [torch.randn(*shape).mul(3), torch.randn(*shape).mul(3)]
    assert c.forward(x, -1) == 0
    g = c.backward(x, -1)
    for t in g:
        assert all(v == 0 and math.copysign(1, v) == 1 for v in _bits(t))


def test_collapse_grad_with_a_strided_grad_output_fails_in_its_view():
    # Collapse.lua: self.gradInput:view(gradOutput, input:size()); Tensor.lua's view asserts
    # a contiguous source (the reference build: "torch/Tensor.lua:461: expecting a
    # contiguous tensor"); ours viewed a contiguous copy
    from torch7py.tensor import TorchError
    m = nn.Collapse(1)
    x = torch.randn(6)
    m.forward(x)
    go = torch.randn(6, 2).select(2, 1)
    with pytest.raises(TorchError, match="expecting a contiguous tensor"):
        m.updateGradInput(x, go)
    gi = m.updateGradInput(x, go.clone())
    assert _bits(gi) == _bits(go)


def test_one_hot_of_strided_long_indices_fails_in_its_view():
    # OneHot.lua: output:resize(..., outputSize):zero(), then input:view(...) asserts a
    # contiguous tensor, for a LongTensor too (the reference build: "torch/Tensor.lua:461:
    # expecting a contiguous tensor"); ours scattered the strided indices
    from torch7py.tensor import TorchError
    m = nn.OneHot(5)
    idx = torch.LongTensor([1, 3, 5, 2]).view(2, 2).t()
    with pytest.raises(TorchError, match="expecting a contiguous tensor"):
        m.forward(idx)
    assert tuple(m.output.size()) == (2, 2, 5) and _bits(m.output) == [0.0] * 20
    out = m.forward(idx.clone())
    assert [i for i, v in enumerate(_bits(out)) if v == 1] == [0, 9, 12, 16]  # rows (1, 5), (3, 2)


@pytest.mark.parametrize("transposed", [False, True])
def test_partial_linear_grad_bias_is_its_mv_then_mul(transposed):
    # PartialLinear.lua: buffer:mv(gradOutput:t(), addBuffer):mul(scale), then
    # gradBias:indexAdd(2, partition, buffer:view(1, n)): TH's gemv with the ones (its order
    # follows gradOutput's layout), rounded, then multiplied; ours summed with numpy's
    # pairwise sum times scale (the original printed other last bits for a transposed
    # gradOutput: reference build)
    torch.manualSeed(10)
    m = nn.PartialLinear(6, 4)
    m.setPartition(torch.LongTensor([1, 3]))
    x = torch.randn(40, 6)
    m.forward(x)
    go = torch.randn(2, 40).t() if transposed else torch.randn(40, 2)
    m.zeroGradParameters()
    m.accGradParameters(x, go, 0.3)
    mv = torch.mv(go.t(), torch.ones(40)).mul(0.3)
    assert _bits(m.gradBias) == [_bits(mv)[0], 0.0, _bits(mv)[1], 0.0]


def test_linear_weight_norm_weight_is_ths_row_norm():
    # LinearWeightNorm.lua: norm:norm(v, 2, 2):clamp(eps, huge); scale:cdiv(g, norm);
    # weight:cmul(v, scale:expandAs(v)). THTensor_(norm) over a dimension sums
    # pow(fabs(x), 2) one element after the other and takes pow(sum, 1/2) (libm's pow, as
    # Python's math.pow); ours took numpy's pairwise sum (8 partial sums past 8 inputs): the
    # reference build printed other last bits for 37 inputs
    import math
    torch.manualSeed(2)  # (a draw whose row sums round apart in the two orders)
    m = nn.LinearWeightNorm(37, 4)
    m.forward(torch.randn(37))
    v = m.v.numpy().tolist()
    g = m.g.numpy().ravel().tolist()
    want = []
    for j, row in enumerate(v):
        s = 0.0
        for x in row:
            s += math.pow(abs(x), 2)
        n = max(math.pow(s, 1 / 2), m.eps)
        sc = g[j] / n
        want.extend(x * sc for x in row)
    assert _bits(m.weight) == want


def _tsub_case():
    torch.manualSeed(12)
    m = nn.TemporalSubSampling(5, 9, 2)
    x = torch.randn(30, 5)
    y = m.forward(x)
    go = torch.randn(*y.size())
    return m, x, go


def test_temporal_sub_sampling_follows_thnns_frame_loop(plain_blas_loops):
    # THNN TemporalSubSampling.c, frame k after frame k: output[k] = sum(window) (accreal,
    # row after row) * weight + bias; gradInput's window rows += weight .* gradOutput[k]
    # (addr with ones: overlapping windows add in k's order); gradWeight = gradWeight +
    # scale * sum(window) * gradOutput[k] (addcmul), gradBias += scale * gradOutput[k] (an
    # axpy below 16 elements: its plain C loop). Ours summed the windows and frames with
    # numpy (pairwise past 8 terms) and folded in another order: the reference build
    # printed other last bits for a 9-wide window with stride 2
    m, x, go = _tsub_case()
    X, G = x.numpy().tolist(), go.numpy().tolist()
    w, b = m.weight.numpy().tolist(), m.bias.numpy().tolist()
    kW, dW, F = 9, 2, 5
    oT = len(G)
    wins = []
    for k in range(oT):
        s = [0.0] * F
        for r in range(kW):
            s = [a + v for a, v in zip(s, X[k * dW + r])]
        wins.append(s)
    assert _bits(m.output) == [s * wf + bf for k in range(oT)
                               for s, wf, bf in zip(wins[k], w, b)]
    gi = [[0.0] * F for _ in X]
    for k in range(oT):
        buf = [wf * g for wf, g in zip(w, G[k])]
        for r in range(kW):
            gi[k * dW + r] = [a + v for a, v in zip(gi[k * dW + r], buf)]
    assert _bits(m.updateGradInput(x, go)) == [v for row in gi for v in row]
    m.zeroGradParameters()
    m.accGradParameters(x, go, 0.7)
    gw, gb = [0.0] * F, [0.0] * F
    for k in range(oT):
        gw = [a + 0.7 * s * g for a, s, g in zip(gw, wins[k], G[k])]
        gb = [a + 0.7 * g for a, g in zip(gb, G[k])]
    assert _bits(m.gradWeight) == gw
    assert _bits(m.gradBias) == gb


def _fma(a, b, c):
    from fractions import Fraction
    return float(Fraction(a) * Fraction(b) + Fraction(c))  # one rounding


def test_xcorr2_valid_rows_of_four_fuse_each_tap():
    # THTensorConv.c validXCorr2Dptr, output rows of 4 or more at column stride 1: for each
    # kernel tap (row-major) THVector_(cadd)(r, r, input, alpha * k, oc), TH's AVX2 kernel
    # built with -mfma: r = fma(input, k, r) per tap from r = 0. Ours rounded the product and
    # the sum apart (the reference build printed other last bits)
    torch.manualSeed(13)
    x = torch.randn(6, 9)
    k = torch.randn(3, 3)
    X, K = x.numpy().tolist(), k.numpy().tolist()
    want = []
    for i in range(4):
        for j in range(7):
            r = 0.0
            for a in range(3):
                for b in range(3):
                    r = _fma(X[i + a][j + b], K[a][b], r)
            want.append(r)
    assert _bits(torch.xcorr2(x, k)) == want


def test_conv2_mv_adds_input_plane_after_input_plane():
    # THTensor_(conv2Dmv): each output plane gets its input planes one after the other, each
    # through the whole 2-D loop; output rows of 3 take the plain branch: sum = the taps'
    # products added in order, then r += sum. Ours added tap by tap across the planes (a GEMM)
    torch.manualSeed(14)
    x = torch.randn(3, 5, 5)
    k = torch.randn(2, 3, 3, 3)
    X, K = x.numpy().tolist(), k.numpy().tolist()
    want = []
    for o in range(2):
        for i in range(3):
            for j in range(3):
                r = 0.0
                for p in range(3):
                    s = 0.0
                    for a in range(3):
                        for b in range(3):
                            s += X[p][i + a][j + b] * K[o][p][a][b]
                    r += s
                want.append(r)
    assert _bits(torch.xcorr2(x, k)) == want


def test_bilinear_acc_update_fails_at_its_scale_assert():
    # Module's default accUpdateGradParameters calls accGradParameters(input, gradOutput,
    # -lr): Bilinear.lua:129 asserts scale >= 0 (the reference build: "nn/Bilinear.lua:129:
    # assertion failed!"); ours placed it at line 17
    from torch7py.nn.utils import TorchAssertionError
    torch.manualSeed(15)
    m = nn.Bilinear(4, 5, 3)
    x = [torch.randn(7, 4), torch.randn(7, 5)]
    m.forward(x)
    with pytest.raises(TorchAssertionError) as e:
        m.accUpdateGradParameters(x, torch.randn(7, 3), 0.1)
    assert str(e.value) == "assertion failed!"
    assert getattr(e.value, "lua_where", None) == "nn/Bilinear.lua:129"


def test_cmul_batch_acc_grad_before_update_grad_input_fails_in_its_cmul():
    # CMul.lua's batch accGradParameters reads self._gradOutput, a buffer updateGradInput makes:
    # before any updateGradInput, self._repeat:cmul(self._input, nil) fails with cwrap's text
    # (the reference build: "nn/CMul.lua:140: invalid arguments: DoubleTensor DoubleTensor
    # nil"); ours computed a gradient
    from torch7py.tensor import TorchError
    torch.manualSeed(16)
    m = nn.CMul(12)
    x = torch.randn(7, 12)
    m.forward(x)
    with pytest.raises(TorchError, match="invalid arguments: DoubleTensor DoubleTensor nil"):
        m.accGradParameters(x, torch.randn(7, 12))
    go = torch.randn(7, 12)
    m.updateGradInput(x, go)
    m.zeroGradParameters()
    m.accGradParameters(x, go)  # then it works (column sums of input .* gradOutput)
    assert m.gradWeight.size(1) == 12


def test_cmul_acc_grad_with_a_scale_is_ths_addcmul():
    # CMul.lua: gradWeight:addcmul(scale, input, gradOutput) when the weight has the input's
    # elements; TH computes `*t + value * *src1 * *src2`, i.e. t + (scale * x) * g (C's left
    # to right). Ours rounded x * g first (accUpdateGradParameters' -lr showed it: the
    # reference build printed other last bits)
    torch.manualSeed(17)
    m = nn.CMul(40)
    x, g = torch.randn(40), torch.randn(40)
    m.forward(x)
    m.gradWeight.fill(0.125)
    m.accGradParameters(x, g, 0.3)
    want = [0.125 + (0.3 * a) * b for a, b in zip(_bits(x), _bits(g))]
    assert _bits(m.gradWeight) == want


def test_spatial_convolution_map_follows_thnns_loops():
    # THNN SpatialConvolutionMap.c: an output plane starts at its bias, then each connection
    # (table order) adds validXCorr2Dptr(input plane, kernel): output rows of 4 or more take
    # its vectorised branch, a fused multiply-add per tap (THVector_(cadd), AVX2 with -mfma).
    # Ours summed the taps with numpy (einsum): the reference build printed other last bits
    torch.manualSeed(18)
    m = nn.SpatialConvolutionMap(nn.tables.full(2, 1), 3, 3)
    x = torch.randn(2, 7, 8)
    X, W = x.numpy().tolist(), m.weight.numpy().tolist()
    b = float(m.bias[1])
    want = []
    for i in range(5):
        for j in range(6):
            r = b
            for k in range(2):  # connections (1 -> 1), (2 -> 1), in the table's order
                for a in range(3):
                    for c in range(3):
                        r = _fma(X[k][i + a][j + c], W[k][a][c], r)
            want.append(r)
    assert _bits(m.forward(x)) == want


def test_spatial_full_convolution_map_follows_thnns_loops():
    # THNN SpatialFullConvolutionMap.c: output plane = bias, then fullConv2Dptr(input plane,
    # kernel) per connection; input rows of 4 or more: for each input row yy, each tap
    # (ky, kx) adds the row times w[ky][kx] into output row yy + ky from column kx, fused
    # (THVector_(cadd)). Ours folded numpy products: other last bits than the reference build
    torch.manualSeed(19)
    m = nn.SpatialFullConvolutionMap(nn.tables.oneToOne(1), 3, 3)
    x = torch.randn(1, 4, 5)
    X, W = x.numpy()[0].tolist(), m.weight.numpy()[0].tolist()
    r = [[float(m.bias[1])] * 7 for _ in range(6)]
    for yy in range(4):
        for a in range(3):
            for c in range(3):
                for j in range(5):
                    r[yy + a][c + j] = _fma(X[yy][j], W[a][c], r[yy + a][c + j])
    assert _bits(m.forward(x)) == [v for row in r for v in row]
