"""Export sweep: every nn class of tools/nn_coverage.py (and nngraph, the legacy cudnn classes),
several configurations each (batch and single, strides, padding, ceil mode, dims, in-place,
the random modules with Torch7's draw injected), run in double by torch7py, exported, and the
PyTorch module's output, input gradient and parameter gradients compared (max |difference|).

    PYTHONPATH=. python tools/export_sweep.py [CLASS ...]

Configurations: tests/test_export.py's CASES, tests/test_export_parity.py's CRITERIONS, and
the EXTRA ones below. A line per configuration (ok: all within 1e-10), then the classes with a
failing configuration."""
import os
import sys
WT = os.environ.get('WT') or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(WT, 'tests'), os.path.join(WT, 'tools')]
import numpy as np
import torch
import torch7py as t7
from torch7py import nn
from torch7py.export import to_pytorch
import _export_check as X
import test_export as TE
import test_export_parity as TP
from nn_coverage import NN_CLASSES

def maxdiff(a, b):
    a, b = X.flat(a), X.flat(b)
    if len(a) != len(b):
        return float('inf')
    d = 0.0
    for u, v in zip(a, b):
        u, v = np.asarray(u, np.float64), np.asarray(v, np.float64)
        if u.shape != v.shape:
            return float('inf')
        if u.size:
            if not np.array_equal(np.isnan(u), np.isnan(v)):
                return float('inf')
            d = max(d, float(np.nanmax(np.abs(u - v))) if not np.isnan(u).all() else 0.0)
    return d

def run(module, x, rng, before_torch=None, backward=True, input_grad=True):
    tm = to_pytorch(module)
    x7 = X.to_t7(x)
    y7 = X.as_np(module.forward(x7))
    if not backward:
        return maxdiff(y7, X.as_np(tm(X.to_torch(x, grad=False)))), None, None
    go = X.like(y7, rng)
    module.zeroGradParameters()
    gi7 = X.as_np(module.backward(x7, X.to_t7(go)))
    g7 = X._grads_by_parameter(module)
    if before_torch:
        before_torch(module, tm)
    tm.zero_grad(set_to_none=True)
    xt = X.to_torch(x, grad=input_grad)
    yt = tm(xt)
    dy = maxdiff(y7, X.as_np(yt))
    outs = X.flat(yt)
    gos = [torch.tensor(g) for g in X.flat(go)]
    torch.autograd.backward([o for o in outs if o.requires_grad], [g for o, g in zip(outs, gos) if o.requires_grad])
    dgi = None
    if input_grad:
        gt = [v.grad if v.grad is not None else torch.zeros_like(v) for v in X.flat(xt) if v.dtype.is_floating_point]
        dgi = maxdiff([g for g in X.flat(gi7)][:len(gt)], X.as_np(gt))
    dgw = 0.0
    for name, g in g7.items():
        p = tm.get_parameter(name)
        dgw = max(dgw, float('inf') if p.grad is None else maxdiff(g, p.grad.numpy()))
    return dy, dgi, dgw

def crit_run(crit, x, target, rng):
    tc = to_pytorch(crit)
    x7 = X.to_t7(x)
    tg7 = None if target is None else float(target) if np.ndim(target) == 0 else X.to_t7(target)
    loss7 = crit.forward(x7, tg7)
    gi7 = X.as_np(crit.backward(x7, tg7))
    xt = X.to_torch(x)
    loss = tc(xt, None if target is None else X.to_torch(target, grad=False))
    loss.backward()
    gt = [v.grad for v in xt] if isinstance(xt, list) else xt.grad
    return maxdiff(loss7, loss.detach().numpy()), maxdiff(gi7, X.as_np(gt)), None

CONFIGS = []   # (class, config name, thunk -> (dy, dgi, dgw))

def add_cases(cases):
    for name, (factory, inputs) in cases.items():
        cls = name.split('_')[0]
        for i, mk in enumerate(inputs):
            def thunk(factory=factory, mk=mk, name=name):
                rng = np.random.default_rng(1)
                t7.manualSeed(7)
                return run(factory(), mk(rng), rng)
            CONFIGS.append((cls, '%s#%d' % (name, i), thunk))

add_cases(TE.CASES)
add_cases(TE.CASES_S9)
for name, (factory, make) in TP.CRITERIONS.items():
    cls = name.split('_')[0]
    cls = cls if cls.endswith('Criterion') else cls + 'Criterion'
    def thunk(factory=factory, make=make):
        rng = np.random.default_rng(13)
        x, t = make(rng)
        return crit_run(factory(), x, t, rng)
    CONFIGS.append((cls, name, thunk))

# ---- EXTRA configurations ----

def n(*s):
    return lambda r: r.standard_normal(s)

def pos(*s):
    return lambda r: np.abs(r.standard_normal(s)) + 0.5

def idx(hi, *s):
    return lambda r: r.integers(1, hi + 1, s).astype(np.float64)

def fwd(m, shape):
    m.forward(t7.zeros(*shape))
    return m

def ev(m):
    m.evaluate()
    return m

def seq(*mods):
    s = nn.Sequential()
    for x in mods:
        s.add(x)
    return s

def ceil(m):
    return m.ceil()

IMG = [(3, 7, 6), (2, 3, 7, 6)]
VOL = [(2, 4, 5, 5), (2, 2, 4, 5, 5)]

M = {
    # in-place variants and other configurations of converted classes
    'ReLU_inplace': (lambda: nn.ReLU(True), [n(3, 4)]),
    'Threshold_inplace': (lambda: nn.Threshold(0.5, 0.1, True), [n(3, 4)]),
    'HardTanh_inplace': (lambda: nn.HardTanh(-1, 1, True), [n(3, 4)]),
    'ELU_inplace': (lambda: nn.ELU(1.0, True), [n(3, 4)]),
    'LeakyReLU_inplace': (lambda: nn.LeakyReLU(0.2, True), [n(3, 4)]),
    'RReLU_eval': (lambda: ev(nn.RReLU(0.1, 0.3)), [n(3, 4)]),
    'SpatialCrossMapLRN_even4': (lambda: nn.SpatialCrossMapLRN(4, 0.5, 0.75, 2),
                                [n(2, 3, 3), n(2, 2, 3, 3), n(1, 2, 2)]),
    'SpatialCrossMapLRN_even6': (lambda: nn.SpatialCrossMapLRN(6, 0.3, 0.6, 1.5), [n(2, 3, 3, 2)]),
    'SpatialCrossMapLRN_even2': (lambda: nn.SpatialCrossMapLRN(2, 0.3, 0.6, 1.5), [n(2, 1, 3, 2)]),
    'SpatialMaxPooling_padceil': (lambda: ceil(nn.SpatialMaxPooling(3, 2, 2, 2, 1, 1)),
                                  [n(*s) for s in IMG]),
    'SpatialMaxPooling_stride1': (lambda: nn.SpatialMaxPooling(2, 3, 1, 1), [n(*s) for s in IMG]),
    'SpatialAveragePooling_nodiv': (lambda: nn.SpatialAveragePooling(2, 2, 1, 1).__setattr__('divide', False) or None,
                                    []),
    'VolumetricMaxPooling_ceil': (lambda: ceil(nn.VolumetricMaxPooling(2, 2, 2, 2, 2, 2, 1, 1, 1)),
                                  [n(*s) for s in VOL]),
    'VolumetricAveragePooling_stride': (lambda: nn.VolumetricAveragePooling(2, 3, 2, 1, 2, 1),
                                        [n(*s) for s in VOL]),
    'VolumetricDilatedMaxPooling': (lambda: nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0, 0, 0, 1, 2, 2),
                                    [n(*s) for s in VOL]),
    'SpatialConvolution_noBias': (lambda: nn.SpatialConvolution(3, 4, 3, 3).noBias(), [n(*s) for s in IMG]),
    'SpatialFullConvolution_adj': (lambda: nn.SpatialFullConvolution(3, 2, 3, 3, 2, 2, 0, 0, 1, 0),
                                   [n(*s) for s in IMG]),
    'SpatialUpSamplingNearest_3': (lambda: nn.SpatialUpSamplingNearest(3), [n(*s) for s in IMG]),
    'SpatialUpSamplingBilinear_size': (lambda: nn.SpatialUpSamplingBilinear({'oheight': 9, 'owidth': 5}),
                                       [n(*s) for s in IMG]),
    'SoftMax_1d': (nn.SoftMax, [n(6)]),
    'Max_3d': (lambda: nn.Max(3), [n(2, 3, 4)]),
    'Mean_batch': (lambda: nn.Mean(1, 1), [n(4,), n(3, 4)]),
    'BatchNormalization': (lambda: nn.BatchNormalization(4), [n(5, 4)]),
    'BatchNormalization_eval': (lambda: ev(nn.BatchNormalization(4, 1e-5, 0.1, False)), [n(5, 4)]),
    'SpatialBatchNormalization': (lambda: nn.SpatialBatchNormalization(3), [n(2, 3, 4, 4)]),
    'VolumetricBatchNormalization': (lambda: nn.VolumetricBatchNormalization(2), [n(2, 2, 3, 3, 3)]),
    'Dropout_eval': (lambda: ev(nn.Dropout(0.3)), [n(3, 4)]),
    'Dropout_v1_eval': (lambda: ev(nn.Dropout(0.3, True)), [n(3, 4)]),
    'Bottle': (lambda: nn.Bottle(nn.Linear(5, 3)), [n(2, 4, 5), n(2, 3, 4, 5)]),
    'Constant': (lambda: nn.Constant(2.5, 2), [n(3, 4), n(2, 3, 4)]),
    'Copy': (lambda: nn.Copy('torch.DoubleTensor', 'torch.DoubleTensor'), [n(3, 4)]),
    'DontCast': (lambda: nn.DontCast(nn.Linear(5, 3)), [n(4, 5)]),
    'GPU': (lambda: nn.GPU(nn.Linear(5, 3), 1), [n(4, 5)]),
    'NaN': (lambda: nn.NaN(nn.Linear(5, 3)), [n(4, 5)]),
    'Profile': (lambda: nn.Profile(nn.Linear(5, 3), 1000000), [n(4, 5)]),
    'SpatialConvolutionMap': (lambda: nn.SpatialConvolutionMap(nn.tables.random(3, 4, 2), 3, 3),
                              [n(*s) for s in IMG[:1]]),
    'SpatialFullConvolutionMap': (lambda: nn.SpatialFullConvolutionMap(nn.tables.full(2, 3), 3, 3, 2, 2),
                                  [n(2, 4, 5)]),
    'SpatialSubtractiveNormalization': (lambda: nn.SpatialSubtractiveNormalization(2, t7.ones(3, 3)),
                                        [n(2, 7, 7), n(2, 2, 7, 7)]),
    'SpatialDivisiveNormalization': (lambda: nn.SpatialDivisiveNormalization(2, t7.ones(5)),
                                     [n(2, 7, 7)]),
    'SpatialContrastiveNormalization': (lambda: nn.SpatialContrastiveNormalization(1, t7.ones(3, 3)),
                                        [n(1, 6, 6)]),
    'WeightedEuclidean': (lambda: nn.WeightedEuclidean(4, 3), [n(4), n(5, 4)]),
    'WhiteNoise_eval': (lambda: ev(nn.WhiteNoise(0.5, 0.1)), []),
    'Convert_bchw_bf': (lambda: nn.Convert('bchw', 'bf'), [n(2, 3, 4, 5), n(3, 4, 5)]),
    'Convert_bchw_bhwc': (lambda: nn.Convert('bchw', 'bhwc'), [n(2, 3, 4, 5), n(3, 4, 5)]),
    'Convert_chwb_bf': (lambda: nn.Convert('chwb', 'bf'), [n(3, 4, 5, 2)]),
    'Convert_default': (lambda: nn.Convert(), [n(2, 3)]),
    'Convert_bf_b': (lambda: nn.Convert('bf', 'b'), [n(4, 1)]),
    'Convert_bt_b': (lambda: nn.Convert('bt', 'b'), [n(4, 3)]),
    'Convert_b_bt': (lambda: nn.Convert('b', 'bt'), [n(4)]),
    'UpSampling_nearest2d': (lambda: nn.UpSampling(2), [n(2, 3, 4, 5)]),
    'UpSampling_nearest3d': (lambda: nn.UpSampling(3), [n(1, 2, 2, 3, 2)]),
    'UpSampling_bilinear': (lambda: nn.UpSampling(2, 'linear'), [n(2, 3, 4, 5)]),
    'UpSampling_bilinear_size': (lambda: nn.UpSampling({'oheight': 7, 'owidth': 9}, 'bilinear'), [n(2, 2, 4, 5)]),
    'UpSampling_trilinear': (lambda: nn.UpSampling(2, 'trilinear'), [n(1, 2, 3, 4, 3)]),
    'UpSampling_trilinear_size': (lambda: nn.UpSampling({'odepth': 5, 'oheight': 3, 'owidth': 7}, 'linear'),
                                  [n(2, 1, 3, 4, 3)]),
    'PartialLinear': (lambda: nn.PartialLinear(5, 4), [n(3, 5)]),
    'PartialLinear_partition': (lambda: _partial(True), [n(3, 5)]),
    'PartialLinear_noBias': (lambda: _partial(False), [n(3, 5)]),
    'Kmeans': (lambda: nn.Kmeans(3, 4), [n(6, 4)]),
    'Kmeans_scale': (lambda: nn.Kmeans(4, 2, 0.5), [n(9, 2)]),
}
del M['SpatialAveragePooling_nodiv'], M['WhiteNoise_eval']


def _partial(bias):
    m = nn.PartialLinear(5, 4, bias)
    m.setPartition(t7.LongTensor([3, 1, 4]))
    return m


NOGRAD = {  # index inputs: no input gradient
    'LookupTable': (lambda: nn.LookupTable(7, 3), [idx(7, 5), idx(7, 2, 4)]),
    'LookupTable_maxNorm': (lambda: nn.LookupTable(7, 3, 0, 0.8), [idx(7, 5), idx(7, 2, 4)]),
    'LookupTable_maxNorm_p1': (lambda: nn.LookupTable(7, 3, 0, 1.2, 1), [idx(7, 6)]),
    'LookupTable_padding_maxNorm': (lambda: nn.LookupTable(7, 3, 2, 0.9), [idx(7, 6)]),
    'OneHot': (lambda: nn.OneHot(5), [idx(5, 4)]),
}


def sparse(nnz_max, insize, batch):
    def mk(r):
        def one():
            k = r.integers(1, nnz_max + 1)
            ids = np.sort(r.choice(np.arange(1, insize + 1), k, replace=False)).astype(np.float64)
            return np.stack([ids, r.standard_normal(k)], 1)
        return [one() for _ in range(batch)] if batch else one()
    return mk


FRAC = {
    'SpatialFractionalMaxPooling_size': (lambda: nn.SpatialFractionalMaxPooling(2, 2, 4, 3), [n(2, 7, 6), n(2, 2, 7, 6)]),
    'SpatialFractionalMaxPooling_ratio': (lambda: nn.SpatialFractionalMaxPooling(3, 2, 0.6, 0.5), [n(2, 2, 9, 8)]),
    'VolumetricFractionalMaxPooling_size': (lambda: nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 3, 2), [n(2, 6, 5, 5), n(2, 2, 6, 5, 5)]),
    'VolumetricFractionalMaxPooling_ratio': (lambda: nn.VolumetricFractionalMaxPooling(2, 2, 2, 0.5, 0.7, 0.6), [n(1, 2, 6, 7, 5)]),
}


def add(CONFIGS, run, crit_run):
    def push(cases, **kw):
        for name, (factory, inputs) in cases.items():
            cls = name.split('_')[0]
            for i, mk in enumerate(inputs):
                def thunk(factory=factory, mk=mk):
                    rng = np.random.default_rng(2)
                    t7.manualSeed(7)
                    return run(factory(), mk(rng), rng, **kw)
                CONFIGS.append((cls, '%s#%d' % (name, i), thunk))
    push(M)
    def inject_noise(m, tm):
        tm.noise = torch.from_numpy(np.array(m.noise.numpy()))
    push({'RReLU_train': (lambda: nn.RReLU(0.1, 0.3), [n(3, 4), n(2, 3, 4)]),
          'RReLU_train_inplace': (lambda: nn.RReLU(0.1, 0.3, True), [n(3, 4)])},
         before_torch=inject_noise)
    def inject_samples(m, tm):
        tm.samples = torch.from_numpy(np.array(m.randomSamples.numpy()))
    push(FRAC, before_torch=inject_samples)
    def fixed(m, shape):
        m.fixPoolingRegions()
        return fwd(m, shape)
    push({'SpatialFractionalMaxPooling_fixed': (lambda: fixed(nn.SpatialFractionalMaxPooling(3, 2, 4, 3), (2, 2, 9, 7)), [n(2, 2, 9, 7)]),
          'VolumetricFractionalMaxPooling_fixed': (lambda: fixed(nn.VolumetricFractionalMaxPooling(2, 2, 2, 0.5, 0.6, 0.7), (2, 2, 6, 7, 8)), [n(2, 2, 6, 7, 8)])})
    push(NOGRAD, input_grad=False)
    # max unpooling: through a Sequential holding its pooling module
    def unpool(vol):
        def f():
            pool = nn.VolumetricMaxPooling(2, 2, 2) if vol else nn.SpatialMaxPooling(2, 2, 2, 2)
            un = nn.VolumetricMaxUnpooling(pool) if vol else nn.SpatialMaxUnpooling(pool)
            return seq(pool, nn.Tanh(), un)
        return f
    push({'SpatialMaxUnpooling': (unpool(False), [n(2, 3, 6, 6)]),
          'VolumetricMaxUnpooling': (unpool(True), [n(2, 2, 4, 4, 4)])})
    # SparseLinear: nnz x 2 (index, value) non-batch, a table of them for a batch
    push({'SparseLinear': (lambda: nn.SparseLinear(10, 3), [sparse(4, 10, 0), sparse(4, 10, 3)])},
         input_grad=False)
    push({'SparseLinear_doGradInput': (lambda: nn.SparseLinear(10, 3, True), [sparse(4, 10, 0)])}, input_grad=False)
    # IndexLinear: {keys, values} (tables of LongTensor keys and values per sample) or 1D sets
    def il_input(r):
        keys, vals = [], []
        for _ in range(3):
            k = r.integers(1, 5)
            keys.append(np.sort(r.choice(np.arange(1, 11), k, replace=False)).astype(np.int64))
            vals.append(r.standard_normal(k))
        return [keys, vals]
    push({'IndexLinear': (lambda: nn.IndexLinear(10, 3), [il_input]),
          'IndexLinear_normalize': (lambda: nn.IndexLinear(10, 3, None, None, None, None, True), [il_input])},
         input_grad=False)
    # gModule containing the new forms
    def gmod():
        import importlib
        importlib.import_module('torch7py.nngraph')    # modules called on nodes make nodes
        x = nn.Identity()()
        a = nn.UpSampling(2)(x)
        b = nn.SpatialFractionalMaxPooling(2, 2, 4, 4).fixPoolingRegions()(a)
        c = nn.Convert('bchw', 'bf')(b)
        d = nn.PartialLinear(3 * 16, 4)(c)
        g = nn.gModule([x], [d])
        return fwd(g, (2, 3, 3, 3))
    push({'gModule_newforms': (gmod, [n(2, 3, 3, 3)])})
    def inject_dropout(m, tm):
        tm.mask = torch.from_numpy(np.array(m.noise.numpy()) != 0)
    push({'SpatialDropout': (lambda: nn.SpatialDropout(0.4), [n(2, 3, 4, 4), n(3, 4, 4)]),
          'VolumetricDropout': (lambda: nn.VolumetricDropout(0.4), [n(2, 3, 2, 4, 4)]),
          'Dropout_train': (lambda: nn.Dropout(0.3), [n(4, 6)])}, before_torch=inject_dropout)
    def inject_white(m, tm):
        tm.noise = torch.from_numpy(np.array(m.noise.numpy()))
    push({'WhiteNoise': (lambda: nn.WhiteNoise(0.5, 0.2), [n(3, 4)])}, before_torch=inject_white)
    push({'WhiteNoise_eval': (lambda: ev(nn.WhiteNoise(0.5, 0.2)), [n(3, 4)])}, backward=False)
    def masked(r):
        return [r.standard_normal((3, 4)), (r.random((3, 4)) > 0.5).astype(np.uint8)]
    # legacy cudnn classes (torch7py.legacy.cudnn_api builds their nn equivalents)
    from torch7py.legacy import cudnn_api as cd
    push({'cudnn.SpatialConvolution_groups': (lambda: cd.SpatialConvolution(4, 6, 3, 3, 1, 1, 1, 1, 2), [n(2, 4, 5, 5)]),
          'cudnn.ClippedReLU': (lambda: cd.ClippedReLU(0.7), [n(3, 4)]),
          'cudnn.SpatialMaxPooling': (lambda: cd.SpatialMaxPooling(2, 2), [n(2, 3, 4, 4)]),
          'cudnn.SpatialAveragePooling_pad': (lambda: cd.SpatialAveragePooling(3, 3, 2, 2, 1, 1), [n(2, 3, 5, 5)]),
          'cudnn.VolumetricMaxPooling': (lambda: cd.VolumetricMaxPooling(2, 2, 2), [n(1, 2, 4, 4, 4)]),
          'cudnn.SpatialCrossMapLRN': (lambda: cd.SpatialCrossMapLRN(3), [n(2, 4, 3, 3)]),
          'cudnn.SpatialLogSoftMax': (lambda: cd.SpatialLogSoftMax(), [n(2, 3, 2, 2)]),
          'cudnn.SpatialBatchNormalization': (lambda: cd.SpatialBatchNormalization(3), [n(2, 3, 3, 3)])})
    from torch7py.legacy.cudnn_volumetric import VolumetricSoftMax, VolumetricLogSoftMax
    push({'cudnn.VolumetricSoftMax': (VolumetricSoftMax, [n(2, 3, 2, 2, 2)]),
          'cudnn.VolumetricLogSoftMax': (VolumetricLogSoftMax, [n(2, 3, 2, 2, 2)])})
    # criterions not in test_export_parity's table
    C = {
        'ClassSimplexCriterion': (lambda: nn.ClassSimplexCriterion(4), lambda r: (r.standard_normal((3, 4)), np.array([2., 4, 1]))),
        'DistanceRatioCriterion': (lambda: nn.DistanceRatioCriterion(), lambda r: ([r.uniform(0, 2, 5), r.uniform(0, 2, 5)], None)),
        'L1Cost': (lambda: nn.L1Cost(), lambda r: (r.standard_normal((3, 4)), None)),
        'SpatialAutoCropMSECriterion': (lambda: nn.SpatialAutoCropMSECriterion(), lambda r: (r.standard_normal((2, 3, 4, 5)), r.standard_normal((2, 3, 4, 5)))),
        'ParallelCriterion': (lambda: nn.ParallelCriterion().add(nn.MSECriterion(), 0.5).add(nn.AbsCriterion()),
                              lambda r: ([r.standard_normal(3), r.standard_normal(3)], [r.standard_normal(3), r.standard_normal(3)])),
        'MultiCriterion': (lambda: nn.MultiCriterion().add(nn.MSECriterion(), 0.5).add(nn.AbsCriterion()),
                           lambda r: (r.standard_normal((3, 4)), r.standard_normal((3, 4)))),
        'CriterionTable': (lambda: nn.CriterionTable(nn.MSECriterion()), None),
        'CriterionTable_': None,
        'ModuleCriterion': (lambda: nn.ModuleCriterion(nn.MSECriterion(), nn.Tanh(), nn.Sigmoid()),
                            lambda r: (r.standard_normal((3, 4)), r.standard_normal((3, 4)))),
    }
    del C['CriterionTable_']
    def ct_thunk():
        rng = np.random.default_rng(13)
        x, t = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
        ct = nn.CriterionTable(nn.MSECriterion())
        tm = to_pytorch(ct)
        loss7 = ct.forward(X.to_t7([x, t]))
        xt = torch.tensor(x, requires_grad=True)
        loss = tm([xt, torch.tensor(t)])
        loss.backward()
        gi7 = ct.backward(X.to_t7([x, t]), 1)[0].numpy()
        return abs(loss7 - float(loss)), float(np.abs(gi7 - xt.grad.numpy()).max()), None
    CONFIGS.append(('CriterionTable', 'CriterionTable', ct_thunk))
    def ms_thunk():
        rng = np.random.default_rng(18)
        x = rng.standard_normal((3, 4))
        mask = (rng.random((3, 4)) > 0.5) * 1.0
        m = nn.MaskedSelect()
        tm = to_pytorch(m)
        mask7 = t7.ByteTensor(3, 4)
        mask7.numpy()[...] = mask
        x7 = X.to_t7(x)
        y7 = m.forward([x7, mask7]).numpy()
        xt = torch.tensor(x, requires_grad=True)
        y = tm([xt, torch.tensor(mask)])
        go = rng.standard_normal(y7.shape)
        gi7 = m.backward([x7, mask7], X.to_t7(go))[0].numpy()
        y.backward(torch.tensor(go))
        return float(np.abs(y.detach().numpy() - y7).max()), float(np.abs(xt.grad.numpy() - gi7).max()), None
    CONFIGS.append(('MaskedSelect', 'MaskedSelect', ms_thunk))
    for name, (factory, make) in C.items():
        if make is None:
            continue
        def thunk(factory=factory, make=make):
            rng = np.random.default_rng(13)
            x, t = make(rng)
            return crit_run(factory(), x, t, rng)
        CONFIGS.append((name, name, thunk))


add(CONFIGS, run, crit_run)

def main():
    only = sys.argv[1:]
    results = {}
    for cls, cfg, thunk in CONFIGS:
        if only and cls not in only:
            continue
        try:
            dy, dgi, dgw = thunk()
            bad = any(d is not None and not d <= 1e-10 for d in (dy, dgi, dgw))
            status = 'DIFF' if bad else 'ok'
            msg = 'out %.2e gradIn %s gradW %s' % (dy, 'n/a' if dgi is None else '%.2e' % dgi, 'n/a' if dgw is None else '%.2e' % dgw)
        except Exception as e:
            status = 'FAIL'
            msg = '%s: %s' % (type(e).__name__, str(e).splitlines()[0][:150] if str(e) else '')
        results.setdefault(cls, []).append((cfg, status, msg))
        print('%-32s %-40s %-4s %s' % (cls, cfg, status, msg), flush=True)
    classes = set(results)
    allc = set(NN_CLASSES) - {'Module', 'Container', 'Criterion', 'StochasticGradient'}
    print('\nclasses tested: %d; configurations: %d' % (len(classes), sum(len(v) for v in results.values())))
    failing = sorted(c for c, v in results.items() if any(s != 'ok' for _, s, _ in v))
    print('classes failing (any configuration): %d %s' % (len(failing), failing))
    if not only:
        print('nn classes with no configuration: %s' % sorted(allc - classes))

if __name__ == '__main__':
    main()
