"""nn's THNN function tables (torch7py/nn/thnn.py): each THNN.h function, called with THNN's
arguments as nn's Lua modules call it (fresh output, gradInput and buffer tensors, the module's
parameters and numbers), gives what the module's own forward/backward gives: nn 8726825's Lua
modules are exactly these calls, so that is the definition. Float and double, batch and
single sample."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.nn import thnn

# the module fields that are parameters (passed as the module's own, compared after accGrad)
_PARAMS = ('weight', 'bias', 'running_mean', 'running_var', 'weights', 'connTable')
_GRADS = ('gradWeight', 'gradBias')


def _field(fam, name):
    inv = thnn.FAMILIES[fam].rename
    return inv.get(name, name)


_LUA_PASSES = {'padT': 0, 'padW': 0, 'padH': 0, 'ceil_mode': False, 'count_include_pad': True}


def _fresh(code, tname):
    if code == 'I':
        return torch.LongTensor()
    if code == 'N':
        return torch.IntTensor()
    return getattr(torch, tname.split('.')[1])()


def _thnn_pass(fam, op, m, tname, inp, bufs, go=None, target=None, scale=1, extra=None,
               src=None):
    """Call THNN_<fam>_<op> with nn's Lua-style arguments: the parameters of m, the numbers
    of src (m by default), fresh tensors for the rest; bufs holds the tensors the calls
    share (output, gradInput, finput, indices, ...)."""
    src = m if src is None else src
    name = fam + '_' + op
    args = []
    for n, code in thnn.SIGNATURES[name]:
        if extra and n in extra:
            v = extra[n]
        elif n == 'input':
            v = inp
        elif n == 'gradOutput':
            v = go
        elif n == 'target':
            v = target
        elif n == 'scale':
            v = scale
        elif n in _PARAMS or n in _GRADS:
            v = m.__dict__.get(_field(fam, n))
        elif code in 'TIN':
            if n not in bufs:
                bufs[n] = _fresh(code, tname)
            v = bufs[n]
        elif code == 'G':
            v = None
        else:
            f = _field(fam, n)
            # (VolumetricAveragePooling.lua passes 0, 0, 0, false, true for the fields its
            # nn 8726825 module does not have)
            v = getattr(src, f) if hasattr(src, f) else _LUA_PASSES[f]
            if code == 'b':
                v = bool(v)
        args.append(v)
    thnn.call(name, tname, *args)


def _close(a, b, tname):
    a, b = np.asarray(a.numpy() if hasattr(a, 'numpy') else a), np.asarray(
        b.numpy() if hasattr(b, 'numpy') else b)
    tol = 1e-5 if tname == 'torch.FloatTensor' else 1e-12
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def _typed(t, tname):
    return t.type(tname)


def _check_module(fam, make, shape, tname, grads=True, inplace_ok=False, seed=1):
    torch.manualSeed(seed)
    ref = make().type(tname)
    m = ref.clone()
    x = _typed(torch.randn(*shape), tname)
    y = ref.forward(x.clone()).clone()
    go = _typed(torch.randn(*y.size()), tname)
    if grads and ref.__dict__.get('gradWeight') is not None:
        ref.zeroGradParameters()
        m.zeroGradParameters()
    gi = ref.backward(x.clone(), go, 0.5).clone()
    bufs = {}
    sizes = {}
    if x.dim() == 4:  # SpatialUpSamplingBilinear_updateGradInput gets sizes, not the input
        sizes = {'nbatch': x.size(1), 'nchannels': x.size(2), 'inputHeight': x.size(3),
                 'inputWidth': x.size(4), 'outputHeight': y.size(3), 'outputWidth': y.size(4)}
    if ref.__dict__.get('padW') is None:
        sizes['padW'] = 0  # TemporalRowConvolution.lua passes 0 (it has no padW)
    kw = {'src': ref, 'extra': sizes}
    _thnn_pass(fam, 'updateOutput', m, tname, x, bufs, **kw)
    _close(bufs['output'], y, tname)
    _thnn_pass(fam, 'updateGradInput', m, tname, x, bufs, go=go, **kw)
    _close(bufs['gradInput'], gi, tname)
    if grads and fam + '_accGradParameters' in thnn.SIGNATURES:
        _thnn_pass(fam, 'accGradParameters', m, tname, x, bufs, go=go, scale=0.5, **kw)
        for g in _GRADS:
            if ref.__dict__.get(g) is not None:
                _close(m.__dict__[g], ref.__dict__[g], tname)


TYPES = ['torch.DoubleTensor', 'torch.FloatTensor']

MODULES = [
    ('Abs', nn.Abs, [(3, 4), (5,)]),
    ('ELU', lambda: nn.ELU(0.7), [(3, 4), (6,)]),
    ('GatedLinear', lambda: nn.GatedLinearUnit(2), [(3, 4)]),
    ('HardShrink', lambda: nn.HardShrink(0.3), [(3, 4)]),
    ('HardTanh', lambda: nn.HardTanh(-0.5, 0.7), [(3, 4), (7,)]),
    ('LeakyReLU', lambda: nn.LeakyReLU(0.1), [(3, 4)]),
    ('LogSigmoid', nn.LogSigmoid, [(3, 4)]),
    ('LogSoftMax', nn.LogSoftMax, [(3, 4), (5,)]),
    ('SoftMax', nn.SoftMax, [(3, 4), (5,), (2, 3, 4, 5)]),
    ('Sigmoid', nn.Sigmoid, [(3, 4)]),
    ('Tanh', nn.Tanh, [(3, 4)]),
    ('Square', nn.Square, [(3, 4)]),
    ('Sqrt', lambda: nn.Sqrt(0.1), [(3, 4)]),
    ('SoftPlus', lambda: nn.SoftPlus(2), [(3, 4)]),
    ('SoftShrink', lambda: nn.SoftShrink(0.3), [(3, 4)]),
    ('Threshold', lambda: nn.Threshold(0.1, -2), [(3, 4)]),
    ('PReLU', lambda: nn.PReLU(3), [(2, 3, 4, 5), (4, 3)]),
    ('FeatureLPPooling', lambda: nn.FeatureLPPooling(2, 1, 2, True), [(3, 6)]),
    ('Linear', lambda: nn.Linear(4, 3), [(5, 4), (4,)]),
    ('SpatialConvolutionMM', lambda: nn.SpatialConvolutionMM(3, 4, 3, 2, 1, 2, 1, 0),
     [(2, 3, 7, 6), (3, 7, 6)]),
    ('SpatialDepthWiseConvolution', lambda: nn.SpatialDepthWiseConvolution(3, 2, 3, 3),
     [(2, 3, 6, 6), (3, 6, 6)]),
    ('SpatialConvolutionLocal', lambda: nn.SpatialConvolutionLocal(2, 3, 6, 5, 3, 2),
     [(2, 2, 5, 6), (2, 5, 6)]),
    ('SpatialFullConvolution', lambda: nn.SpatialFullConvolution(3, 2, 3, 3, 2, 2, 1, 1, 1, 1),
     [(2, 3, 4, 5), (3, 4, 5)]),
    ('SpatialDilatedConvolution', lambda: nn.SpatialDilatedConvolution(3, 2, 3, 3, 1, 1, 1, 1,
                                                                       2, 2),
     [(2, 3, 7, 7), (3, 7, 7)]),
    ('SpatialSubSampling', lambda: nn.SpatialSubSampling(3, 2, 2, 2, 2), [(2, 3, 6, 6)]),
    ('SpatialConvolutionMap', lambda: nn.SpatialConvolutionMap(nn.tables.random(3, 4, 2), 3, 3),
     [(3, 6, 6)]),
    ('SpatialFullConvolutionMap',
     lambda: nn.SpatialFullConvolutionMap(nn.tables.oneToOne(3), 3, 3), [(3, 5, 5)]),
    ('TemporalConvolution', lambda: nn.TemporalConvolution(4, 3, 3, 2), [(2, 9, 4), (9, 4)]),
    ('TemporalSubSampling', lambda: nn.TemporalSubSampling(4, 3, 2), [(9, 4)]),
    ('TemporalRowConvolution', lambda: nn.TemporalRowConvolution(4, 3, 1),
     [(2, 9, 4), (9, 4)]),
    ('VolumetricConvolution', lambda: nn.VolumetricConvolution(2, 3, 2, 3, 2, 1, 1, 1, 1, 0, 1),
     [(2, 2, 4, 5, 4), (2, 4, 5, 4)]),
    ('VolumetricConvolutionMM',
     lambda: nn.VolumetricConvolution(2, 3, 2, 3, 2, 1, 2, 1, 1, 0, 1),
     [(2, 2, 4, 5, 4), (2, 4, 5, 4)]),
    ('VolumetricFullConvolution', lambda: nn.VolumetricFullConvolution(2, 3, 2, 2, 2),
     [(2, 2, 3, 3, 3)]),
    ('VolumetricDilatedConvolution',
     lambda: nn.VolumetricDilatedConvolution(2, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2),
     [(2, 2, 5, 5, 5)]),
    ('SpatialMaxPooling', lambda: nn.SpatialMaxPooling(3, 2, 2, 1, 1, 0),
     [(2, 3, 7, 6), (3, 7, 6)]),
    ('SpatialDilatedMaxPooling', lambda: nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 2, 2),
     [(2, 3, 7, 6)]),
    ('SpatialAveragePooling', lambda: nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1),
     [(2, 3, 7, 6), (3, 7, 6)]),
    ('SpatialAdaptiveMaxPooling', lambda: nn.SpatialAdaptiveMaxPooling(3, 2), [(2, 3, 7, 6)]),
    ('SpatialAdaptiveAveragePooling', lambda: nn.SpatialAdaptiveAveragePooling(3, 2),
     [(2, 3, 7, 6)]),
    ('TemporalMaxPooling', lambda: nn.TemporalMaxPooling(2, 2), [(2, 7, 3), (7, 3)]),
    ('VolumetricAveragePooling', lambda: nn.VolumetricAveragePooling(2, 2, 2, 1, 1, 1),
     [(2, 2, 4, 4, 4)]),
    ('VolumetricMaxPooling', lambda: nn.VolumetricMaxPooling(2, 2, 2, 2, 1, 1, 1, 0, 0),
     [(2, 2, 5, 4, 4), (2, 5, 4, 4)]),
    ('VolumetricDilatedMaxPooling',
     lambda: nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 1, 1),
     [(2, 2, 5, 4, 4)]),
    ('SpatialReflectionPadding', lambda: nn.SpatialReflectionPadding(1, 2, 2, 1),
     [(2, 3, 4, 5), (3, 4, 5)]),
    ('SpatialReplicationPadding', lambda: nn.SpatialReplicationPadding(1, 2, 2, 1),
     [(2, 3, 4, 5)]),
    ('VolumetricReplicationPadding', lambda: nn.VolumetricReplicationPadding(1, 2, 2, 1, 1, 0),
     [(2, 3, 4, 5, 3)]),
    ('SpatialUpSamplingNearest', lambda: nn.SpatialUpSamplingNearest(2), [(2, 3, 4, 5)]),
    ('SpatialUpSamplingBilinear', lambda: nn.SpatialUpSamplingBilinear(2), [(2, 3, 4, 5)]),
]


@pytest.mark.parametrize('tname', TYPES)
@pytest.mark.parametrize('fam,make,shapes', MODULES, ids=[c[0] for c in MODULES])
def test_module_family(fam, make, shapes, tname):
    for shape in shapes:
        _check_module(fam, make, shape, tname)


def _rand(tname, *shape):
    return torch.randn(*shape).type(tname)


def _labels(n, c, *shape):
    return torch.LongTensor(n, *shape).random(1, c) if shape or n else None


CRITERIA = [
    ('AbsCriterion', nn.AbsCriterion, lambda t: (_rand(t, 3, 4), _rand(t, 3, 4))),
    ('MSECriterion', nn.MSECriterion, lambda t: (_rand(t, 3, 4), _rand(t, 3, 4))),
    ('SmoothL1Criterion', nn.SmoothL1Criterion, lambda t: (_rand(t, 3, 4), _rand(t, 3, 4))),
    ('DistKLDivCriterion', nn.DistKLDivCriterion,
     lambda t: (_rand(t, 3, 4), torch.rand(3, 4).type(t))),
    ('SoftMarginCriterion', nn.SoftMarginCriterion,
     lambda t: (_rand(t, 3, 4), torch.rand(3, 4).gt(0.5).type(t).mul(2).add(-1))),
    ('MarginCriterion', lambda: nn.MarginCriterion(0.7),
     lambda t: (_rand(t, 5), torch.rand(5).gt(0.5).type(t).mul(2).add(-1))),
    ('BCECriterion', nn.BCECriterion,
     lambda t: (torch.rand(3, 4).mul(0.9).add(0.05).type(t), torch.rand(3, 4).type(t))),
    ('BCECriterion', lambda: nn.BCECriterion(torch.rand(4)),
     lambda t: (torch.rand(3, 4).mul(0.9).add(0.05).type(t), torch.rand(3, 4).type(t))),
    ('ClassNLLCriterion', nn.ClassNLLCriterion,
     lambda t: (_rand(t, 5, 4), torch.LongTensor(5).random(1, 4))),
    ('ClassNLLCriterion', lambda: nn.ClassNLLCriterion(torch.rand(4), False, 2),
     lambda t: (_rand(t, 5, 4), torch.LongTensor(5).random(1, 4))),
    ('ClassNLLCriterion', nn.ClassNLLCriterion,
     lambda t: (_rand(t, 4), torch.LongTensor(1).fill(3))),
    ('SpatialClassNLLCriterion', lambda: nn.SpatialClassNLLCriterion(torch.rand(3)),
     lambda t: (_rand(t, 2, 3, 4, 5), torch.LongTensor(2, 4, 5).random(1, 3))),
    ('MultiMarginCriterion', lambda: nn.MultiMarginCriterion(2, torch.rand(4), 0.8),
     lambda t: (_rand(t, 5, 4), torch.LongTensor(5).random(1, 4))),
    ('MultiMarginCriterion', nn.MultiMarginCriterion,
     lambda t: (_rand(t, 4), torch.LongTensor(1).fill(2))),
    ('MultiLabelMarginCriterion', nn.MultiLabelMarginCriterion,
     lambda t: (_rand(t, 3, 4), torch.LongTensor([[1, 3, 0, 0], [2, 0, 0, 0],
                                                  [4, 1, 2, 0]]))),
]


@pytest.mark.parametrize('tname', TYPES)
@pytest.mark.parametrize('k', range(len(CRITERIA)), ids=[c[0] for c in CRITERIA])
def test_criterion_family(k, tname):
    """nn's criterions: updateOutput into a 1-element output_tensor, then updateGradInput."""
    fam, make, data = CRITERIA[k]
    torch.manualSeed(k)
    ref = make().type(tname)
    m = ref.clone()
    x, target = data(tname)
    if target.typename != 'torch.LongTensor':
        target = target.type(tname)
    loss = ref.forward(x, target)
    gi = ref.backward(x, target).clone()
    bufs = {'output': getattr(torch, tname.split('.')[1])(1)}
    extra = {}
    if 'total_weight' in dict(thnn.SIGNATURES[fam + '_updateOutput']):
        extra['total_weight'] = bufs['total_weight'] = x.new(1)
    _thnn_pass(fam, 'updateOutput', m, tname, x, bufs, target=target, extra=extra, src=ref)
    _close([bufs['output'][1]], [loss], tname)
    _thnn_pass(fam, 'updateGradInput', m, tname, x, bufs, target=target, extra=extra, src=ref)
    _close(bufs['gradInput'], gi, tname)


@pytest.mark.parametrize('tname', TYPES)
def test_l1cost(tname):
    ref = nn.L1Cost().type(tname)  # (its gradInput of the input's type, as THNN's FFI needs)
    x = _rand(tname, 3, 4)
    out = x.new(1)
    thnn.call('L1Cost_updateOutput', tname, x, out)
    np.testing.assert_allclose(out[1], np.abs(x.numpy()).sum(), rtol=1e-5)
    gi = x.new()
    thnn.call('L1Cost_updateGradInput', tname, x, None, gi)
    _close(gi, ref.updateGradInput(x, None), tname)


def test_criterion_output_must_have_one_element():
    x = torch.randn(3)
    with pytest.raises(torch.TorchError, match=r'Need output of dimension 1'):
        thnn.call('MSECriterion_updateOutput', 'torch.DoubleTensor', x, x, x.new(), True)


@pytest.mark.parametrize('tname', TYPES)
def test_lookup_table(tname):
    torch.manualSeed(3)
    ref = nn.LookupTable(7, 4).type(tname)
    ref.scaleGradByFreq()
    m = ref.clone()
    x = torch.LongTensor([[1, 3, 3], [7, 1, 3]])
    ref.forward(x)
    go = _rand(tname, 2, 3, 4)
    ref.zeroGradParameters()
    m.zeroGradParameters()
    ref.accGradParameters(x, go, 0.5)
    thnn.call('LookupTable_accGradParameters', tname, x, go, m.gradWeight, torch.IntTensor(),
              None, None, True, 0, 0.5)
    _close(m.gradWeight, ref.gradWeight, tname)
    # renorm: rows of weight used by idx scaled down to maxNorm (p-norm), others untouched
    w = _rand(tname, 5, 3).mul(4)
    before = w.numpy().copy()
    thnn.call('LookupTable_renorm', tname, torch.LongTensor([2, 4, 2]), w, 1.5, 2)
    for r in range(5):
        norm = np.linalg.norm(before[r].astype(np.float64))
        want = before[r] * (1.5 / (norm + 1e-7)) if r in (1, 3) and norm > 1.5 else before[r]
        np.testing.assert_allclose(w.numpy()[r], want, rtol=1e-5)


@pytest.mark.parametrize('tname', TYPES)
@pytest.mark.parametrize('shape', [(6, 3), (4, 3, 2, 5), (3, 3, 7)])
@pytest.mark.parametrize('train', [True, False])
def test_batch_normalization(tname, shape, train):
    torch.manualSeed(5)
    cls = nn.SpatialBatchNormalization if len(shape) == 4 else nn.BatchNormalization
    ref = cls(3).type(tname)
    if len(shape) == 3:
        ref.nDim = 3
    ref.running_var.uniform(0.5, 2)
    ref.running_mean.normal()
    if not train:
        ref.evaluate()
    m = ref.clone()
    x = _rand(tname, *shape)
    y = ref.forward(x).clone()
    go = _rand(tname, *shape)
    ref.zeroGradParameters()
    gi = ref.backward(x, go, 0.5).clone()
    out, gin = x.new(), x.new()
    sm, ss = x.new(), x.new()
    gw, gb = m.gradWeight.zero(), m.gradBias.zero()
    thnn.call('BatchNormalization_updateOutput', tname, x, out, m.weight, m.bias, m.running_mean,
              m.running_var, sm, ss, train, m.momentum, m.eps)
    _close(out, y, tname)
    _close(m.running_mean, ref.running_mean, tname)
    _close(m.running_var, ref.running_var, tname)
    thnn.call('BatchNormalization_backward', tname, x, go, gin, gw, gb, m.weight,
              m.running_mean, m.running_var, sm, ss, train, 0.5, m.eps)
    _close(gin, gi, tname)
    _close(gw, ref.gradWeight, tname)
    _close(gb, ref.gradBias, tname)


@pytest.mark.parametrize('tname', TYPES)
def test_rrelu_draws_as_the_module(tname):
    ref = nn.RReLU(0.1, 0.3).type(tname)
    x = _rand(tname, 4, 5)
    torch.manualSeed(11)
    y = ref.forward(x).clone()
    go = _rand(tname, 4, 5)
    gi = ref.backward(x, go).clone()
    torch.manualSeed(11)
    out, noise, gin = x.new(), x.new(), x.new()
    thnn.call('RReLU_updateOutput', tname, x, out, noise, 0.1, 0.3, True, False, None)
    _close(out, y, tname)
    _close(noise, ref.noise, tname)
    thnn.call('RReLU_updateGradInput', tname, x, go, gin, noise, 0.1, 0.3, True, False)
    _close(gin, gi, tname)


@pytest.mark.parametrize('tname', TYPES)
def test_fractional_max_pooling_and_unpooling(tname):
    torch.manualSeed(2)
    ref = nn.SpatialFractionalMaxPooling(2, 2, 4, 3).type(tname)
    x = _rand(tname, 2, 3, 8, 7)
    y = ref.forward(x).clone()
    go = _rand(tname, *y.size())
    gi = ref.backward(x, go).clone()
    out, gin, idx = x.new(), x.new(), torch.LongTensor()
    rs = ref.randomSamples.clone()
    thnn.call('SpatialFractionalMaxPooling_updateOutput', tname, x, out, 4, 3, 2, 2, idx, rs)
    _close(out, y, tname)
    assert idx.numpy().tolist() == ref.indices.numpy().tolist()
    thnn.call('SpatialFractionalMaxPooling_updateGradInput', tname, x, go, gin, 4, 3, 2, 2, idx)
    _close(gin, gi, tname)
    # SpatialMaxUnpooling of a max pooling's indices puts each max back where it was
    pool = nn.SpatialMaxPooling(2, 2, 2, 2).type(tname)
    p = pool.forward(x).clone()
    up, gup = x.new(), x.new()
    thnn.call('SpatialMaxUnpooling_updateOutput', tname, p, up, pool.indices, 7, 8)
    unpool = nn.SpatialMaxUnpooling(pool)
    unpool.output, unpool.gradInput = x.new(), x.new()  # (Torch7: the module's tensors' type)
    _close(up, unpool.forward(p), tname)
    g2 = _rand(tname, *up.size())
    thnn.call('SpatialMaxUnpooling_updateGradInput', tname, p, g2, gup, pool.indices, 7, 8)
    _close(gup, unpool.backward(p, g2), tname)


def test_fused_rnn_kernels_have_no_cpu_code():
    x = torch.randn(2, 3)
    with pytest.raises(torch.TorchError, match=r"Assertion `false' failed. Not implemented for"):
        thnn.call('LSTMFused_updateOutput', 'torch.DoubleTensor', x, x, x, x, x, x, x)


def _im2col_ref(x, kh, kw, dh, dw, ph, pw, oh, ow):
    n, ih, iw = x.shape
    cols = np.zeros((n, kh, kw, oh, ow), x.dtype)
    for c in range(n):
        for i in range(kh):
            for j in range(kw):
                for y in range(oh):
                    for z in range(ow):
                        iy, ix = y * dh - ph + i, z * dw - pw + j
                        if 0 <= iy < ih and 0 <= ix < iw:
                            cols[c, i, j, y, z] = x[c, iy, ix]
    return cols


@pytest.mark.parametrize('tname', TYPES)
def test_unfolded_copy_and_acc(tname):
    n, ih, iw, kh, kw, dh, dw, ph, pw = 2, 5, 6, 3, 2, 2, 1, 1, 0
    oh, ow = (ih + 2 * ph - kh) // dh + 1, (iw + 2 * pw - kw) // dw + 1
    x = _rand(tname, n, ih, iw)
    cols = x.new(n * kh * kw, oh * ow).fill(7)
    thnn.call('unfolded_copy', tname, cols, x, kw, kh, dw, dh, pw, ph, n, iw, ih, ow, oh)
    want = _im2col_ref(x.numpy(), kh, kw, dh, dw, ph, pw, oh, ow)
    np.testing.assert_array_equal(cols.numpy().reshape(want.shape), want)
    # acc is copy's adjoint: <unfold(x), c> = <x, acc(c)> (acc adds into what is there)
    c = _rand(tname, n * kh * kw, oh * ow)
    base = _rand(tname, n, ih, iw)
    g = base.clone()
    thnn.call('unfolded_acc', tname, c, g, kw, kh, dw, dh, pw, ph, n, iw, ih, ow, oh)
    lhs = float((cols.numpy().astype(np.float64) * c.numpy()).sum())
    rhs = float((x.numpy().astype(np.float64) * (g.numpy() - base.numpy())).sum())
    np.testing.assert_allclose(lhs, rhs, rtol=1e-4)


@pytest.mark.parametrize('tname', TYPES)
def test_volumetric_up_sampling(tname):
    x = _rand(tname, 2, 3, 2, 3, 2)
    out, gi = x.new(), x.new()
    thnn.call('VolumetricUpSamplingNearest_updateOutput', tname, x, out, 2)
    want = x.numpy().repeat(2, 2).repeat(2, 3).repeat(2, 4)
    np.testing.assert_array_equal(out.numpy(), want)
    go = _rand(tname, *out.size())
    thnn.call('VolumetricUpSamplingNearest_updateGradInput', tname, x, go, gi, 2)
    blocks = go.numpy().reshape(2, 3, 2, 2, 3, 2, 2, 2).astype(np.float64).sum(axis=(3, 5, 7))
    np.testing.assert_allclose(gi.numpy(), blocks, rtol=1e-5)
    with pytest.raises(torch.TorchError, match='scale_factor must be greater than 1'):
        thnn.call('VolumetricUpSamplingNearest_updateOutput', tname, x, out, 1)
    # trilinear, align-corners interpolation: the corners stay, each output a convex mix
    tout = x.new()
    thnn.call('VolumetricUpSamplingTrilinear_updateOutput', tname, x, tout, 3, 5, 3)
    xs, ys = x.numpy().astype(np.float64), tout.numpy()
    ref = np.empty((2, 3, 3, 5, 3))
    for t in range(3):
        for h in range(5):
            for w in range(3):
                pos = [t * (2 - 1) / 2, h * (3 - 1) / 4, w * (2 - 1) / 2]
                lo = [min(int(p), s - 1) for p, s in zip(pos, (2, 3, 2))]
                hi = [min(v + 1, s - 1) for v, s in zip(lo, (2, 3, 2))]
                fr = [p - v for p, v in zip(pos, lo)]
                acc = 0
                for bits in np.ndindex(2, 2, 2):
                    wgt, idx = 1.0, []
                    for d, b in enumerate(bits):
                        wgt *= fr[d] if b else 1 - fr[d]
                        idx.append(hi[d] if b else lo[d])
                    acc = acc + wgt * xs[:, :, idx[0], idx[1], idx[2]]
                ref[:, :, t, h, w] = acc
    np.testing.assert_allclose(ys, ref, rtol=1e-5, atol=1e-6)
    tg = _rand(tname, 2, 3, 3, 5, 3)
    tgi = x.new()
    thnn.call('VolumetricUpSamplingTrilinear_updateGradInput', tname, tg, tgi, 2, 3, 2, 3, 2,
              3, 5, 3)
    # the backward is the forward's adjoint
    np.testing.assert_allclose((ys.astype(np.float64) * tg.numpy()).sum(),
                               (xs * tgi.numpy()).sum(), rtol=1e-4)


@pytest.mark.parametrize('tname', TYPES)
def test_volumetric_pooling_with_indices(tname):
    torch.manualSeed(8)
    ref = nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 3, 3).type(tname)
    x = _rand(tname, 2, 2, 6, 6, 5)
    y = ref.forward(x).clone()
    go = _rand(tname, *y.size())
    gi = ref.backward(x, go).clone()
    out, gin, idx = x.new(), x.new(), torch.LongTensor()
    thnn.call('VolumetricFractionalMaxPooling_updateOutput', tname, x, out, 3, 3, 3, 2, 2, 2,
              idx, ref.randomSamples.clone())
    _close(out, y, tname)
    thnn.call('VolumetricFractionalMaxPooling_updateGradInput', tname, x, go, gin, 3, 3, 3, 2,
              2, 2, idx)
    _close(gin, gi, tname)
    pool = nn.VolumetricMaxPooling(2, 2, 2, 2, 2, 2).type(tname)
    p = pool.forward(x).clone()
    unpool = nn.VolumetricMaxUnpooling(pool)
    unpool.output, unpool.gradInput = x.new(), x.new()  # (Torch7: the module's tensors' type)
    up, gup = x.new(), x.new()
    thnn.call('VolumetricMaxUnpooling_updateOutput', tname, p, up, pool.indices, 6, 5, 6,
              2, 2, 2, 0, 0, 0)
    _close(up, unpool.forward(p), tname)
    g2 = _rand(tname, *up.size())
    thnn.call('VolumetricMaxUnpooling_updateGradInput', tname, p, g2, gup, pool.indices, 6, 5,
              6, 2, 2, 2, 0, 0, 0)
    _close(gup, unpool.backward(p, g2), tname)


@pytest.mark.parametrize('tname', TYPES)
@pytest.mark.parametrize('batch', [True, False])
def test_spatial_full_dilated_convolution_is_the_dilated_ones_adjoint(tname, batch):
    """The transposed convolution of x is SpatialDilatedConvolution's gradInput for gradOutput
    x (same weight, stride, padding, dilation); plus the bias; its gradWeight that of the
    dilated one with input and gradOutput swapped."""
    torch.manualSeed(6)
    nin, nout, kh, kw, dh, dw, ph, pw, dlh, dlw, ah, aw = 3, 2, 3, 2, 2, 1, 1, 0, 2, 2, 1, 0
    dil = nn.SpatialDilatedConvolution(nout, nin, kw, kh, dw, dh, pw, ph, dlw, dlh).type(tname)
    w, b = _rand(tname, nin, nout, kh, kw), _rand(tname, nout)
    dil.weight.copy(w)
    dil.bias.zero()
    shape = (2, nin, 4, 5) if batch else (nin, 4, 5)
    x = _rand(tname, *shape)
    oh = (4 - 1) * dh - 2 * ph + dlh * (kh - 1) + ah + 1
    ow = (5 - 1) * dw - 2 * pw + dlw * (kw - 1) + aw + 1
    yshape = ((2,) if batch else ()) + (nout, oh, ow)
    yzero = x.new(*yshape).zero()
    dil.forward(yzero)
    want = dil.updateGradInput(yzero, x).clone()
    want.add(b.view(nout, 1, 1).expandAs(want) if not batch else
             b.view(1, nout, 1, 1).expandAs(want))
    out, cols, ones = x.new(), x.new(), x.new()
    thnn.call('SpatialFullDilatedConvolution_updateOutput', tname, x, out, w, b, cols, ones,
              kw, kh, dw, dh, pw, ph, dlw, dlh, aw, ah)
    _close(out, want, tname)
    go = _rand(tname, *yshape)
    gi = x.new()
    thnn.call('SpatialFullDilatedConvolution_updateGradInput', tname, x, go, gi, w, cols,
              kw, kh, dw, dh, pw, ph, dlw, dlh, aw, ah)
    _close(gi, dil.forward(go), tname)  # the dilated convolution of gradOutput (no bias)
    gw, gb = x.new(*w.size()).zero(), x.new(nout).zero()
    thnn.call('SpatialFullDilatedConvolution_accGradParameters', tname, x, go, gw, gb, cols,
              ones, kw, kh, dw, dh, pw, ph, dlw, dlh, aw, ah, 0.5)
    dil.zeroGradParameters()
    dil.accGradParameters(go, x, 0.5)
    _close(gw, dil.gradWeight, tname)
    red = go.numpy().astype(np.float64)
    red = red.sum(axis=(0, 2, 3)) if batch else red.sum(axis=(1, 2))
    np.testing.assert_allclose(gb.numpy(), 0.5 * red, rtol=1e-4)


def _grid_sample_ref(x, grid):
    """Bilinear sampling at grid's (x, y) in [-1, 1] (corners at the border pixels' centres),
    zero outside the image, in float64 loops."""
    N, C, IH, IW = x.shape
    _, H, W, _ = grid.shape
    out = np.zeros((N, C, H, W))
    for n in range(N):
        for h in range(H):
            for w in range(W):
                px = (grid[n, h, w, 0] + 1) / 2 * (IW - 1)
                py = (grid[n, h, w, 1] + 1) / 2 * (IH - 1)
                x0, y0 = int(np.floor(px)), int(np.floor(py))
                for xx, yy in ((x0, y0), (x0 + 1, y0), (x0, y0 + 1), (x0 + 1, y0 + 1)):
                    wgt = (1 - abs(px - xx)) * (1 - abs(py - yy))
                    if 0 <= xx < IW and 0 <= yy < IH:
                        out[n, :, h, w] += wgt * x[n, :, yy, xx]
    return out


@pytest.mark.parametrize('tname', TYPES)
def test_spatial_grid_sampler_bilinear(tname):
    torch.manualSeed(12)
    x = _rand(tname, 2, 3, 4, 5)
    grid = torch.rand(2, 3, 4, 2).mul(2.4).add(-1.2).type(tname)  # some points outside
    out = x.new()
    thnn.call('SpatialGridSamplerBilinear_updateOutput', tname, x, grid, out)
    ref = _grid_sample_ref(x.numpy().astype(np.float64), grid.numpy().astype(np.float64))
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-4, atol=1e-5)
    go = _rand(tname, 2, 3, 3, 4)
    gi, gg = x.new(), x.new()
    thnn.call('SpatialGridSamplerBilinear_updateGradInput', tname, x, gi, grid, gg, go)
    # gradInput is the sampling's adjoint (linear in x)
    np.testing.assert_allclose((ref * go.numpy()).sum(),
                               (x.numpy().astype(np.float64) * gi.numpy()).sum(), rtol=1e-4)
    # gradGrid: central differences of <sample(x, grid), go> in double
    if tname == 'torch.DoubleTensor':
        g0 = grid.numpy().astype(np.float64)
        num = np.zeros_like(g0)
        for idx in np.ndindex(*g0.shape):
            d = np.zeros_like(g0)
            d[idx] = 1e-6
            num[idx] = ((_grid_sample_ref(x.numpy(), g0 + d) * go.numpy()).sum()
                        - (_grid_sample_ref(x.numpy(), g0 - d) * go.numpy()).sum()) / 2e-6
        np.testing.assert_allclose(gg.numpy(), num, rtol=1e-4, atol=1e-6)


def _coo(samples):
    """SparseLinear.lua's formatted_input: (batch row, feature, value) rows, batch by batch."""
    rows = [[b + 1, f, v] for b, s in enumerate(samples) for f, v in s]
    return torch.Tensor(rows)


@pytest.mark.parametrize('tname', TYPES)
def test_sparse_linear(tname):
    torch.manualSeed(13)
    ref = nn.SparseLinear(6, 3).type(tname)
    samples = [[(1, 0.5), (4, -1.5), (6, 2.0)], [(2, 1.0), (3, 0.0)], [(5, -0.25)]]
    table = [torch.Tensor([[f, v] for f, v in s]).type(tname) for s in samples]
    y = ref.forward(table).clone()
    coo = _coo(samples).type(tname)
    out = coo.new(3, 3)
    thnn.call('SparseLinear_updateOutput', tname, coo, out, ref.weight, ref.bias)
    _close(out, y, tname)
    # the legacy (batch x nnz x 2) layout, all samples of one length
    leg = torch.Tensor([[[1, 0.5], [4, -1.5]], [[2, 1.0], [3, 0.0]], [[5, -0.25], [6, 1]]])
    leg = leg.type(tname)
    lout = leg.new()
    thnn.call('SparseLinear_legacyUpdateOutput', tname, leg, lout, ref.weight, ref.bias)
    w, b = ref.weight.numpy().astype(np.float64), ref.bias.numpy().astype(np.float64)
    want = np.stack([b + sum(v * w[:, int(f) - 1] for f, v in row) for row in leg.numpy()])
    np.testing.assert_allclose(lout.numpy(), want, rtol=1e-5)
    # accGradParameters (weightDecay 0): gradWeight[:, f] += scale * v * gradOutput[row]
    go = _rand(tname, 3, 3)
    gw, gb = ref.gradWeight.clone().zero(), ref.gradBias.clone().zero()
    thnn.call('SparseLinear_accGradParameters', tname, coo, go, gw, gb, ref.weight, ref.bias,
              0, 0.5)
    ref.zeroGradParameters()
    ref.accGradParameters(table, go, 0.5)
    _close(gw, ref.gradWeight, tname)
    _close(gb, ref.gradBias, tname)
    lgw, lgb = gw.clone().zero(), gb.clone().zero()
    thnn.call('SparseLinear_legacyAccGradParameters', tname, leg, go, lgw, lgb, ref.weight,
              ref.bias, 0.1, 2)
    g = go.numpy().astype(np.float64)
    wgw = np.zeros((3, 6))
    for r, row in enumerate(leg.numpy()):
        for f, v in row:
            wgw[:, int(f) - 1] += 2 * v * g[r]
    np.testing.assert_allclose(lgw.numpy(), wgw + 0.1 * w, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(lgb.numpy(), 2 * g.sum(axis=0), rtol=1e-5)
    # zeroGradParameters zeroes gradBias and the columns of the features used (value != 0)
    thnn.call('SparseLinear_zeroGradParameters', tname, gw.fill(1), gb.fill(1), coo)
    assert gb.numpy().tolist() == [0, 0, 0]
    assert (gw.numpy().sum(axis=0) == 0).tolist() == [True, True, False, True, True, True]
    # updateParameters: bias and the used columns step by -lr * grad
    gw.fill(1)
    gb.fill(2)
    w0, b0 = ref.weight.clone(), ref.bias.clone()
    thnn.call('SparseLinear_updateParameters', tname, ref.weight, ref.bias, gw, gb, coo, 0.1)
    np.testing.assert_allclose(ref.bias.numpy(), b0.numpy() - 0.2, rtol=1e-5)
    moved = (ref.weight.numpy() != w0.numpy()).any(axis=0).tolist()
    assert moved == [True, True, False, True, True, True]
    with pytest.raises(torch.TorchError, match='index out of bound. updateOutput: 9 not '):
        thnn.call('SparseLinear_updateOutput', tname, _coo([[(9, 1.0)]]).type(tname),
                  out.new(1, 3), ref.weight, ref.bias)
