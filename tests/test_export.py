"""torch7py.export: every convertible class, batch and single input, outputs and gradients in
float64 within 1e-10 (torch autograd against torch7py's backward)."""
import numpy as np
import pytest

torch = pytest.importorskip(
    'torch', reason="PyTorch is not installed: pip install -e '.[pytorch]' to test the export")

import torch7py as t7  # noqa: E402
from torch7py import nn  # noqa: E402
from torch7py.export import ExportError, to_pytorch  # noqa: E402

from _export_check import compare, to_t7  # noqa: E402


def _pos(shape):
    return lambda rng: np.abs(rng.standard_normal(shape)) + 0.5


def _n(shape):
    return lambda rng: rng.standard_normal(shape)


def _forwarded(m, shape):
    m.forward(t7.zeros(*shape))
    return m


def _tab(*shapes):
    return lambda rng: [rng.standard_normal(s) for s in shapes]


def _maxpool_ceil():
    return nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1).ceil()


def _avg(ceil, exclude):
    def make():
        m = nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1)
        if ceil:
            m.ceil()
        if exclude:
            m.setCountExcludePad()
        return m
    return make


def _depth_concat():
    return (nn.DepthConcat(2).add(nn.SpatialConvolution(3, 2, 3, 3))
            .add(nn.SpatialConvolution(3, 4, 1, 1)).add(nn.SpatialConvolution(3, 1, 2, 2)))


def _lenetish():
    return (nn.Sequential().add(nn.SpatialConvolution(1, 4, 5, 5)).add(nn.Tanh())
            .add(nn.SpatialMaxPooling(2, 2, 2, 2)).add(nn.View(4 * 4 * 4))
            .add(nn.Linear(64, 10)).add(nn.LogSoftMax()))


S2 = [(5,), (4, 5)]
IMG = [(3, 7, 6), (2, 3, 7, 6)]
VOL = [(2, 4, 5, 5), (2, 2, 4, 5, 5)]

# name -> (factory, [input makers, single first])
CASES = {
    'Linear': (lambda: nn.Linear(5, 3), [_n(s) for s in S2]),
    'Linear_noBias': (lambda: nn.Linear(5, 3, False), [_n(s) for s in S2]),
    'SpatialConvolution': (lambda: nn.SpatialConvolution(3, 4, 3, 2, 2, 1, 1, 0),
                           [_n(s) for s in IMG]),
    'SpatialConvolutionMM': (lambda: nn.SpatialConvolutionMM(3, 4, 3, 3, 1, 1, 1, 1),
                             [_n(s) for s in IMG]),
    'SpatialDilatedConvolution': (lambda: nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 2, 2,
                                                                       2, 2),
                                  [_n(s) for s in IMG]),
    'SpatialFullConvolution': (lambda: nn.SpatialFullConvolution(3, 4, 3, 3, 2, 2, 1, 1, 1, 1),
                               [_n(s) for s in IMG]),
    # (square images: nn 8726825's THNN reads a non-square one as W x H in its forward, and
    # its backward refuses that output's size; a first forward resizes the weight to 4-D, as
    # the backward resizes the gradWeight, so that the exported weight has its gradient's shape)
    'SpatialDepthWiseConvolution': (lambda: _forwarded(nn.SpatialDepthWiseConvolution(
                                        3, 2, 3, 3, 1, 1, 1, 1), (3, 6, 6)),
                                    [_n((3, 6, 6)), _n((2, 3, 6, 6))]),
    'VolumetricConvolution': (lambda: nn.VolumetricConvolution(2, 3, 2, 3, 3, 1, 1, 1, 1, 1, 1),
                              [_n(s) for s in VOL]),
    'VolumetricDilatedConvolution': (lambda: nn.VolumetricDilatedConvolution(
        2, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2), [_n(s) for s in VOL]),
    'VolumetricFullConvolution': (lambda: nn.VolumetricFullConvolution(2, 3, 2, 2, 2, 2, 2, 2),
                                  [_n(s) for s in VOL]),
    'SpatialConvolutionLocal': (lambda: nn.SpatialConvolutionLocal(3, 2, 6, 7, 3, 2, 2, 1, 1, 0),
                                [_n(s) for s in IMG]),
    'TemporalConvolution': (lambda: nn.TemporalConvolution(4, 3, 3, 2),
                            [_n((9, 4)), _n((2, 9, 4))]),
    'SpatialMaxPooling': (lambda: nn.SpatialMaxPooling(2, 2), [_n(s) for s in IMG]),
    'SpatialMaxPooling_ceil': (_maxpool_ceil, [_n((2, 8, 8)), _n((2, 2, 8, 8))]),
    'SpatialDilatedMaxPooling': (lambda: nn.SpatialDilatedMaxPooling(3, 3, 1, 1, 1, 1, 2, 2),
                                 [_n(s) for s in IMG]),
    'SpatialAveragePooling': (_avg(False, False), [_n(s) for s in IMG]),
    'SpatialAveragePooling_ceil': (_avg(True, False), [_n((2, 8, 8)), _n((2, 2, 8, 8))]),
    'SpatialAveragePooling_exclude': (_avg(True, True), [_n((2, 8, 8)), _n((2, 2, 8, 8))]),
    'VolumetricMaxPooling': (lambda: nn.VolumetricMaxPooling(2, 2, 2), [_n(s) for s in VOL]),
    'VolumetricAveragePooling': (lambda: nn.VolumetricAveragePooling(2, 2, 2),
                                 [_n(s) for s in VOL]),
    'TemporalMaxPooling': (lambda: nn.TemporalMaxPooling(2, 2), [_n((9, 4)), _n((2, 9, 4))]),
    'SpatialAdaptiveMaxPooling': (lambda: nn.SpatialAdaptiveMaxPooling(3, 2),
                                  [_n(s) for s in IMG]),
    'SpatialAdaptiveAveragePooling': (lambda: nn.SpatialAdaptiveAveragePooling(3, 2),
                                      [_n(s) for s in IMG]),
    'ReLU': (nn.ReLU, [_n((7,)), _n((3, 4))]),
    'ReLU6': (nn.ReLU6, [lambda rng: 4 * rng.standard_normal((3, 4))]),
    'Tanh': (nn.Tanh, [_n((3, 4))]),
    'Sigmoid': (nn.Sigmoid, [_n((3, 4))]),
    'ELU': (lambda: nn.ELU(0.7), [_n((3, 4))]),
    'LeakyReLU': (lambda: nn.LeakyReLU(0.1), [_n((3, 4))]),
    'Threshold': (lambda: nn.Threshold(0.2, -1), [_n((3, 4))]),
    'HardTanh': (lambda: nn.HardTanh(-0.5, 0.7), [_n((3, 4))]),
    'SoftPlus': (lambda: nn.SoftPlus(2), [lambda rng: 8 * rng.standard_normal((3, 4))]),
    'SoftSign': (nn.SoftSign, [_n((3, 4))]),
    'SoftShrink': (lambda: nn.SoftShrink(0.3), [_n((3, 4))]),
    'HardShrink': (lambda: nn.HardShrink(0.3), [_n((3, 4))]),
    'TanhShrink': (nn.TanhShrink, [_n((3, 4))]),
    'LogSigmoid': (nn.LogSigmoid, [_n((3, 4))]),
    'Abs': (nn.Abs, [_n((3, 4))]),
    'Exp': (nn.Exp, [_n((3, 4))]),
    'Log': (nn.Log, [_pos((3, 4))]),
    'Square': (nn.Square, [_n((3, 4))]),
    'Sqrt': (nn.Sqrt, [_pos((3, 4))]),
    'Power': (lambda: nn.Power(2.5), [_pos((3, 4))]),
    'Clamp': (lambda: nn.Clamp(-0.3, 0.4), [_n((3, 4))]),
    'MulConstant': (lambda: nn.MulConstant(-1.5), [_n((3, 4))]),
    'AddConstant': (lambda: nn.AddConstant(2.5), [_n((3, 4))]),
    'GradientReversal': (lambda: nn.GradientReversal(0.7), [_n((3, 4))]),
    'SoftMax': (nn.SoftMax, [_n((5,)), _n((3, 5)), _n((3, 4, 2)), _n((2, 3, 4, 2))]),
    'LogSoftMax': (nn.LogSoftMax, [_n((5,)), _n((3, 5)), _n((3, 4, 2)), _n((2, 3, 4, 2))]),
    'SoftMin': (nn.SoftMin, [_n((5,)), _n((3, 5))]),
    'SpatialSoftMax': (nn.SpatialSoftMax, [_n((3, 4, 2)), _n((2, 3, 4, 2))]),
    'SpatialLogSoftMax': (nn.SpatialLogSoftMax, [_n((3, 4, 2)), _n((2, 3, 4, 2))]),
    'PReLU_shared': (nn.PReLU, [_n((3, 4, 4)), _n((2, 3, 4, 4))]),
    'PReLU_planes': (lambda: nn.PReLU(3), [_n((3,)), _n((2, 3)), _n((2, 3, 4, 4))]),
    'CMul': (lambda: nn.CMul(5), [_n(s) for s in S2]),
    'Mul': (nn.Mul, [_n(s) for s in S2]),
    'CAdd': (lambda: nn.CAdd(5), [_n(s) for s in S2]),
    'Add': (lambda: nn.Add(5), [_n(s) for s in S2]),
    'Add_scalar': (lambda: nn.Add(1, True), [_n(s) for s in S2]),
    'Normalize': (lambda: nn.Normalize(2), [_n(s) for s in S2]),
    # Torch7's inf-norm gradient is x_i / (max|x| + eps) where the exact one is sign(x_i): with
    # eps = 0 they agree
    'Normalize_inf': (lambda: nn.Normalize(float('inf'), 0), [_n(s) for s in S2]),
    'Normalize_3': (lambda: nn.Normalize(3), [_n(s) for s in S2]),
    'Identity': (nn.Identity, [_n((3, 4))]),
    'Contiguous': (nn.Contiguous, [_n((3, 4))]),
    'View': (lambda: nn.View(-1, 6), [_n((3, 4)), _n((2, 3, 4))]),
    'View_batch': (lambda: nn.View(12).setNumInputDims(2), [_n((3, 4)), _n((2, 3, 4))]),
    'Reshape': (lambda: nn.Reshape(6, 2), [_n((3, 4)), _n((5, 3, 4))]),
    'Transpose': (lambda: nn.Transpose([1, 2], [2, 3]), [_n((2, 3, 4))]),
    'Transpose_batch': (lambda: nn.Transpose([1, 2]).setNumInputDims(2),
                        [_n((3, 4)), _n((2, 3, 4))]),
    'Narrow': (lambda: nn.Narrow(2, 2, 2), [_n((3, 5)), _n((2, 3, 5))]),
    'Narrow_negative': (lambda: nn.Narrow(-1, 2, -2), [_n((3, 5))]),
    'Select': (lambda: nn.Select(2, -1), [_n((3, 5)), _n((2, 3, 5))]),
    # (no 1-D case: Select.lua's self.output:resizeAs(input:select(dim, index)) fails on a
    # vector, whose select is a number, in Torch7 as here)
    'Squeeze': (nn.Squeeze, [_n((3, 1, 4)), _n((1, 3, 1))]),
    'Squeeze_dim': (lambda: nn.Squeeze(2), [_n((3, 1, 4))]),
    'Squeeze_batch': (lambda: nn.Squeeze(None, 2), [_n((1, 3, 1))]),
    'Unsqueeze': (lambda: nn.Unsqueeze(2), [_n((3, 4))]),
    'Unsqueeze_batch': (lambda: nn.Unsqueeze(2, 2), [_n((3, 4)), _n((2, 3, 4))]),
    'Padding_after': (lambda: nn.Padding(1, 2, 1, -1), [_n((3,)), _n((2, 3))]),
    'Padding_before': (lambda: nn.Padding(2, -2, 2, 0.5), [_n((3, 4)), _n((2, 3, 4))]),
    'Padding_index': (lambda: nn.Padding(1, 2, None, 0, 2), [_n((4,))]),
    'SpatialZeroPadding': (lambda: nn.SpatialZeroPadding(1, 2, -1, 0), [_n(s) for s in IMG]),
    'SpatialReflectionPadding': (lambda: nn.SpatialReflectionPadding(1, 2, 2, 1),
                                 [_n(s) for s in IMG]),
    'SpatialReplicationPadding': (lambda: nn.SpatialReplicationPadding(1, 2, 2, 1),
                                  [_n(s) for s in IMG]),
    'VolumetricReplicationPadding': (lambda: nn.VolumetricReplicationPadding(1, 2, 0, 1, 2, 1),
                                     [_n(s) for s in VOL]),
    'SpatialUpSamplingNearest': (lambda: nn.SpatialUpSamplingNearest(2), [_n(s) for s in IMG]),
    'SpatialUpSamplingBilinear': (lambda: nn.SpatialUpSamplingBilinear(2),
                                  [_n(s) for s in IMG]),
    'Sum': (lambda: nn.Sum(2), [_n((3, 4)), _n((2, 3, 4))]),
    'Sum_batch_avg': (lambda: nn.Sum(1, 1, True), [_n((4,)), _n((3, 4))]),
    'Mean': (lambda: nn.Mean(-1), [_n((3, 4))]),
    'Max': (lambda: nn.Max(1, 1), [_n((4,)), _n((3, 4))]),
    'Min': (lambda: nn.Min(2), [_n((3, 4))]),
    'Replicate': (lambda: nn.Replicate(3, 2), [_n((4,)), _n((2, 4))]),
    'Replicate_ndim': (lambda: nn.Replicate(3, 1, 1), [_n((4,)), _n((2, 4))]),
    'Replicate_ndim_2': (lambda: nn.Replicate(3, 2, 1), [_n((4,)), _n((2, 4)), _n((2, 5, 4))]),
    # Torch7 subtracts element by element over nElement, whatever the shapes
    'CSubTable_shapes': (nn.CSubTable, [_tab((4, 5), (5, 4))]),
    'Sequential': (_lenetish, [_n((1, 12, 12)), _n((3, 1, 12, 12))]),
    'Concat': (lambda: nn.Concat(2).add(nn.Linear(5, 3)).add(nn.Linear(5, 2)),
               [_n((4, 5))]),
    'DepthConcat': (_depth_concat, [_n((2, 3, 6, 6))]),
    'ConcatTable': (lambda: nn.ConcatTable().add(nn.Linear(5, 3)).add(nn.Tanh()),
                    [_n(s) for s in S2]),
    'ParallelTable': (lambda: nn.ParallelTable().add(nn.Linear(5, 3)).add(nn.Sigmoid()),
                      [_tab((4, 5), (2, 2))]),
    'MapTable': (lambda: nn.MapTable(nn.Linear(5, 3)), [_tab((4, 5), (2, 5), (5,))]),
    'Parallel': (lambda: nn.Parallel(1, 2).add(nn.Linear(5, 3)).add(nn.Linear(5, 2)),
                 [_n((2, 4, 5))]),
    'PairwiseDistance': (nn.PairwiseDistance, [_tab((4,), (4,)), _tab((3, 4), (3, 4))]),
    'PairwiseDistance_p3': (lambda: nn.PairwiseDistance(3), [_tab((3, 4), (3, 4))]),
    'PairwiseDistance_p1': (lambda: nn.PairwiseDistance(1), [_tab((3, 4), (3, 4))]),
    'CosineDistance': (nn.CosineDistance, [_tab((4,), (4,)), _tab((3, 4), (3, 4))]),
    'DotProduct': (nn.DotProduct, [_tab((4,), (4,)), _tab((3, 4), (3, 4))]),
    'Bilinear': (lambda: nn.Bilinear(3, 4, 2), [_tab((5, 3), (5, 4))]),
    'SpatialSubSampling': (lambda: nn.SpatialSubSampling(3, 3, 2, 2, 1), [_n(s) for s in IMG]),
    # THNN's TemporalSubSampling takes 2-d inputs only
    'TemporalSubSampling': (lambda: nn.TemporalSubSampling(4, 3, 2), [_n((9, 4))]),
    'SpatialLPPooling': (lambda: nn.SpatialLPPooling(3, 2, 2, 2), [_pos(s) for s in IMG]),
    'SpatialCrossMapLRN': (lambda: nn.SpatialCrossMapLRN(3, 0.5, 0.75, 2),
                           [_n((5, 3, 3)), _n((2, 5, 3, 3))]),
    'SpatialCrossMapLRN_5': (lambda: nn.SpatialCrossMapLRN(5), [_n((2, 7, 3, 3))]),
    'GatedLinearUnit': (nn.GatedLinearUnit, [_n((6,)), _n((3, 6))]),
    'GatedLinearUnit_dim': (lambda: nn.GatedLinearUnit(1), [_n((4, 3))]),
    'PixelShuffle': (lambda: nn.PixelShuffle(2), [_n((8, 3, 2)), _n((2, 8, 3, 2))]),
    'MM': (nn.MM, [_tab((3, 4), (4, 2)), _tab((2, 3, 4), (2, 4, 5))]),
    'MM_trans': (lambda: nn.MM(True, True), [_tab((4, 3), (2, 4))]),
    'MV': (nn.MV, [_tab((3, 4), (4,)), _tab((2, 3, 4), (2, 4))]),
    'MV_trans': (lambda: nn.MV(True), [_tab((4, 3), (4,))]),
    'Euclidean': (lambda: nn.Euclidean(4, 3), [_n((4,)), _n((5, 4))]),
    'Cosine': (lambda: nn.Cosine(4, 3), [_n((4,)), _n((5, 4))]),
    'Decorator': (lambda: nn.Decorator(nn.Linear(5, 3)), [_n(s) for s in S2]),
    'PrintSize': (nn.PrintSize, [_n((3, 4))]),
    'ZeroGrad': (nn.ZeroGrad, [_n((3, 4))]),
    'L1Penalty': (lambda: nn.L1Penalty(0.3), [_n((3, 4))]),
    'L1Penalty_average': (lambda: nn.L1Penalty(0.3, True, False), [_n((3, 4))]),
    'Collapse': (lambda: nn.Collapse(2), [_n((3, 4)), _n((2, 3, 4))]),
    'Index': (lambda: nn.Index(2), [lambda rng: [rng.standard_normal((3, 5)),
                                                 np.array([2, 5, 2])]]),  # (a LongTensor)
    'ZipTable': (nn.ZipTable, [lambda rng: [[rng.standard_normal(2), rng.standard_normal(3)],
                                            [rng.standard_normal(4), rng.standard_normal(1)]]]),
    'ZipTableOneToMany': (nn.ZipTableOneToMany, [lambda rng: [
        rng.standard_normal(2), [rng.standard_normal(3), rng.standard_normal(4)]]]),
    'CAddTensorTable': (nn.CAddTensorTable, [lambda rng: [
        rng.standard_normal(3), [rng.standard_normal(3), rng.standard_normal(3)]]]),
    'TemporalRowConvolution': (lambda: nn.TemporalRowConvolution(4, 3, 2),
                               [_n((9, 4)), _n((2, 9, 4))]),
    'TemporalRowConvolution_featFirst': (lambda: nn.TemporalRowConvolution(4, 3, 1, True),
                                         [_n((4, 9)), _n((2, 4, 9))]),
    'CReLU': (lambda: nn.CReLU(3), [_n((2, 4, 4)), _n((2, 2, 4, 4))]),
    'Maxout': (lambda: nn.Maxout(5, 3, 2), [_n((4, 5))]),
    'LayerNormalization': (lambda: nn.LayerNormalization(5), [_n((4, 5))]),
    'CAddTable': (nn.CAddTable, [_tab((3, 4), (3, 4), (3, 4))]),
    'CSubTable': (nn.CSubTable, [_tab((3, 4), (3, 4))]),
    'CMulTable': (nn.CMulTable, [_tab((3, 4), (3, 4), (3, 4))]),
    'CDivTable': (nn.CDivTable, [lambda rng: [rng.standard_normal((3, 4)),
                                              _pos((3, 4))(rng)]]),
    'CMaxTable': (nn.CMaxTable, [_tab((3, 4), (3, 4), (3, 4))]),
    'CMinTable': (nn.CMinTable, [_tab((3, 4), (3, 4))]),
    'JoinTable': (lambda: nn.JoinTable(1), [_tab((3, 4), (2, 4))]),
    'JoinTable_batch': (lambda: nn.JoinTable(1, 1), [_tab((3,), (2,)), _tab((4, 3), (4, 2))]),
    'JoinTable_negative': (lambda: nn.JoinTable(-1), [_tab((2, 3), (2, 4))]),
    'SplitTable': (lambda: nn.SplitTable(1), [_n((3, 4))]),
    'SplitTable_batch': (lambda: nn.SplitTable(1, 2), [_n((3, 4)), _n((2, 3, 4))]),
    'SelectTable': (lambda: nn.SelectTable(-1), [_tab((3,), (2,), (4,))]),
    'NarrowTable': (lambda: nn.NarrowTable(2, 2), [_tab((3,), (2,), (4,), (1,))]),
    'FlattenTable': (nn.FlattenTable, [lambda rng: [rng.standard_normal(3),
                                                    [rng.standard_normal(2),
                                                     [rng.standard_normal(4)]]]]),
}


def _rrelu_eval():
    m = nn.RReLU(0.1, 0.3)
    m.evaluate()
    return m


CASES['RReLU_eval'] = (_rrelu_eval, [_n((3, 4))])


@pytest.mark.parametrize('name', sorted(CASES))
def test_class_exports_exactly(name):
    factory, inputs = CASES[name]
    rng = np.random.default_rng(abs(hash(name)) % 2 ** 32)
    t7.manualSeed(7)
    for make_input in inputs:
        m = factory()
        compare(m, make_input(rng), rng)


@pytest.mark.parametrize('kind', ['BatchNormalization', 'SpatialBatchNormalization',
                                  'VolumetricBatchNormalization'])
@pytest.mark.parametrize('affine', [True, False])
def test_batch_normalization_train_and_evaluate(kind, affine):
    rng = np.random.default_rng(3)
    shape = {'BatchNormalization': (6, 3), 'SpatialBatchNormalization': (4, 3, 5, 5),
             'VolumetricBatchNormalization': (3, 3, 2, 4, 4)}[kind]
    m = getattr(nn, kind)(3, 1e-4, 0.3, affine)
    if affine:
        m.weight.numpy()[:] = rng.standard_normal(3)
        m.bias.numpy()[:] = rng.standard_normal(3)
    m.running_mean.numpy()[:] = rng.standard_normal(3)
    m.running_var.numpy()[:] = rng.random(3) + 0.5
    tm = to_pytorch(m)
    compare(m, rng.standard_normal(shape), rng, tm=tm)
    # the running statistics moved the same way (Torch7's momentum is PyTorch's)
    np.testing.assert_allclose(tm.running_mean.numpy(), m.running_mean.numpy(), atol=1e-12)
    np.testing.assert_allclose(tm.running_var.numpy(), m.running_var.numpy(), atol=1e-12)
    m.evaluate()
    tm = to_pytorch(m)
    assert not tm.training
    compare(m, rng.standard_normal(shape), rng, tm=tm)
    if kind == 'SpatialBatchNormalization':
        # non-batch input in evaluation: Torch7 adds a batch dimension of 1 (kept)
        compare(m, rng.standard_normal(shape[1:]), rng, tm=tm, batched_grad=True)


def _inject_noise(m, tm):
    tm.mask = torch.from_numpy(np.array(m.noise.numpy()) != 0)


@pytest.mark.parametrize('v1', [False, True])
def test_dropout_scaling_rules(v1):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((4, 6))
    m = nn.Dropout(0.3, v1)
    # training: the same mask, injected; Torch7's v1/v2 scaling must follow
    compare(m, x, rng, before_torch=_inject_noise)
    # evaluation: deterministic (v1 scales by 1 - p, v2 is the identity)
    m.evaluate()
    compare(m, x, rng)
    # p = 0 in training is the identity
    compare(nn.Dropout(0, v1), x, rng)


@pytest.mark.parametrize('kind,shape', [('SpatialDropout', (2, 3, 4, 4)),
                                        ('VolumetricDropout', (2, 3, 2, 4, 4))])
def test_feature_dropout(kind, shape):
    rng = np.random.default_rng(6)
    x = rng.standard_normal(shape)
    m = getattr(nn, kind)(0.4)
    compare(m, x, rng, before_torch=_inject_noise)
    compare(m, x[0], rng, before_torch=_inject_noise)
    # evaluation scales by 1 - p (Torch7 has no backward there)
    m.evaluate()
    compare(m, x, rng, backward=False)
    # an unmasked training forward drops whole feature maps, unscaled (Torch7's v1 rule)
    tm = to_pytorch(getattr(nn, kind)(0.4))
    y = tm(torch.ones(shape, dtype=torch.float64))
    vals = y.reshape(shape[0] * shape[1], -1)
    assert all(len(set(r.tolist())) == 1 for r in vals)
    assert set(np.unique(y.numpy())) <= {0.0, 1.0}


def test_white_noise_with_the_same_draw_and_at_evaluation():
    rng = np.random.default_rng(17)
    x = rng.standard_normal((3, 4))
    m = nn.WhiteNoise(0.5, 0.2)

    def inject(m, tm):
        tm.noise = torch.from_numpy(np.array(m.noise.numpy()))
    compare(m, x, rng, before_torch=inject)
    m.evaluate()
    # WhiteNoise.lua refuses backward at evaluation ('backprop only defined while training')
    compare(m, x, rng, backward=False)


def test_masked_select():
    rng = np.random.default_rng(18)
    x = rng.standard_normal((3, 4))
    mask = (rng.random((3, 4)) > 0.5) * 1.0
    m = nn.MaskedSelect()
    tm = to_pytorch(m)
    x7 = to_t7(x)
    mask7 = t7.ByteTensor(3, 4)
    mask7.numpy()[...] = mask
    y7 = m.forward([x7, mask7]).numpy()
    xt = torch.tensor(x, requires_grad=True)
    y = tm([xt, torch.tensor(mask)])
    np.testing.assert_array_equal(y.detach().numpy(), y7)
    go = rng.standard_normal(y7.shape)
    gi7 = m.backward([x7, mask7], to_t7(go))[0].numpy()
    y.backward(torch.tensor(go))
    np.testing.assert_array_equal(xt.grad.numpy(), gi7)


def test_lookup_table():
    rng = np.random.default_rng(8)
    m = nn.LookupTable(10, 4)
    for idx in (np.array([3, 1, 3, 10]), np.array([[2, 5, 5], [7, 1, 2]])):
        compare(m, idx.astype(np.float64), rng, input_grad=False)
    # the padding index learns nothing; scaleGradByFreq divides by the count in the batch
    padded = nn.LookupTable(10, 4, 3)
    compare(padded, np.array([3., 1, 3, 10]), rng, input_grad=False)
    assert padded.gradWeight.numpy()[2].tolist() == [0, 0, 0, 0]
    freq = nn.LookupTable(10, 4).scaleGradByFreq()
    compare(freq, np.array([[2., 5, 5], [7, 5, 2]]), rng, input_grad=False)


def test_max_unpooling_follows_its_pooling():
    rng = np.random.default_rng(9)
    pool = nn.SpatialMaxPooling(2, 2, 2, 2)
    m = nn.Sequential().add(pool).add(nn.Tanh()).add(nn.SpatialMaxUnpooling(pool))
    compare(m, rng.standard_normal((2, 3, 6, 6)), rng)


def test_rrelu_training_with_equal_bounds():
    rng = np.random.default_rng(10)
    compare(nn.RReLU(0.2, 0.2), rng.standard_normal((3, 4)), rng)


def test_unconvertible_modules_all_listed_before_any_work():
    class Halved(nn.Linear):
        def updateOutput(self, input):
            return super().updateOutput(input).mul(0.5)

    decayed = nn.IndexLinear(4, 4)
    decayed.weightDecay = 0.1
    net = (nn.Sequential().add(nn.Linear(4, 4))
           .add(nn.ConcatTable().add(decayed)
                .add(nn.Identity()))
           .add(Halved(4, 2)))
    with pytest.raises(ExportError) as err:
        to_pytorch(net)
    msg = str(err.value)
    assert '2 module(s)' in msg
    assert '1.0  nn.IndexLinear: weightDecay' in msg
    assert '2  nn.Halved' in msg


def test_float_model_exports_in_float32():
    m = nn.Linear(3, 2).float()
    tm = to_pytorch(m)
    assert tm.weight.dtype == torch.float32
    x = t7.FloatTensor(2, 3).uniform()
    y = tm(torch.from_numpy(np.array(x.numpy())))
    # (float32 sums: an output near 0 has a relative error above 1e-6, whatever the draw)
    np.testing.assert_allclose(y.detach().numpy(), m.forward(x).numpy(), rtol=1e-6, atol=1e-6)


def test_exported_module_is_independent_of_the_source():
    m = nn.Linear(3, 2)
    tm = to_pytorch(m)
    m.weight.fill(0)
    assert float(tm.weight.detach().abs().sum()) > 0
    x = to_t7(np.ones((1, 3)))
    assert np.abs(m.forward(x).numpy() - m.bias.numpy()).max() == 0


def test_subclass_converts_as_its_base_unless_it_computes_its_own_function():
    class Tagged(nn.Linear):
        pass

    class Doubled(nn.Linear):
        def updateOutput(self, input):
            return super().updateOutput(input).mul(2)

    rng = np.random.default_rng(15)
    compare(Tagged(4, 2), rng.standard_normal((3, 4)), rng)
    with pytest.raises(ExportError, match='nn.Doubled: no PyTorch converter'):
        to_pytorch(nn.Sequential().add(Doubled(4, 2)))


# ---- forms added in s9: LinearWeightNorm, MixtureTable, FeatureLPPooling ---------------------

def _lwn(bias=True):
    def make():
        m = nn.LinearWeightNorm(5, 3, bias)
        m.g.numpy()[...] = np.array([[0.5], [1.5], [-2.0]])    # not the rows' norms
        return m
    return make


CASES_S9 = {
    'LinearWeightNorm': (_lwn(), [_n(s) for s in S2]),
    'LinearWeightNorm_noBias': (_lwn(False), [_n(s) for s in S2]),
    'MixtureTable_table': (nn.MixtureTable, [lambda rng: [rng.standard_normal(3),
                                                          [rng.standard_normal(4)
                                                           for _ in range(3)]],
                                             lambda rng: [rng.standard_normal((2, 3)),
                                                          [rng.standard_normal((2, 4))
                                                           for _ in range(3)]]]),
    'MixtureTable_tensor': (lambda: nn.MixtureTable(2),
                            [lambda rng: [rng.standard_normal((2, 3)),
                                          rng.standard_normal((2, 3, 4))]]),
    'FeatureLPPooling': (lambda: nn.FeatureLPPooling(3, 2, 2, True),
                         [_n((2, 7)), _n((2, 7, 3)), _n((2, 7, 3, 2))]),
    'FeatureLPPooling_nonbatch_p3': (lambda: nn.FeatureLPPooling(2, 1, 3, False),
                                     [_pos((6,)), _pos((6, 4))]),
    'TemporalDynamicKMaxPooling': (lambda: nn.TemporalDynamicKMaxPooling(2, 0.5),
                                   [_n((7, 3)), _n((2, 7, 3))]),
    'WeightNorm_Linear': (lambda: nn.WeightNorm(nn.Linear(5, 3)), [_n(s) for s in S2]),
    'WeightNorm_conv_dim2': (lambda: nn.WeightNorm(nn.SpatialConvolution(3, 4, 3, 2, 1, 1, 1,
                                                                         0), 2),
                             [_n(s) for s in IMG]),
    'WeightNorm_in_Sequential': (lambda: nn.Sequential().add(nn.WeightNorm(nn.Linear(5, 4)))
                                 .add(nn.Tanh()).add(nn.Linear(4, 2)), [_n(s) for s in S2]),
}


@pytest.mark.parametrize('name', sorted(CASES_S9))
def test_s9_forms_export_exactly(name):
    factory, inputs = CASES_S9[name]
    rng = np.random.default_rng(9)
    for make in inputs:
        m = factory()
        compare(m, make(rng), rng)


def _np_lwn(v, g, b, x, eps=1e-16):
    w = v * (g / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), eps))
    return x @ w.T + b


def test_linear_weight_norm_against_its_formula_and_names():
    m = _lwn()()
    tm = to_pytorch(m)
    assert sorted(tm.state_dict()) == ['bias', 'weight_g', 'weight_v']
    x = np.random.default_rng(3).standard_normal((4, 5))
    want = _np_lwn(m.v.numpy(), m.g.numpy(), m.bias.numpy(), x)
    got = tm(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    # evaluation mode keeps the weight evaluate() computed: the same function
    m.evaluate()
    np.testing.assert_allclose(m.forward(to_t7(x)).numpy(), want, rtol=1e-12, atol=1e-12)


def test_mixture_table_and_feature_lp_pooling_against_numpy():
    rng = np.random.default_rng(4)
    g, e = rng.standard_normal((2, 3)), rng.standard_normal((2, 3, 4))
    tm = to_pytorch(nn.MixtureTable(2))
    got = tm([torch.tensor(g), torch.tensor(e)]).numpy()
    np.testing.assert_allclose(got, np.einsum('bi,bij->bj', g, e), rtol=1e-12)
    x = rng.standard_normal((2, 7))
    tm = to_pytorch(nn.FeatureLPPooling(3, 2, 2, True))
    want = np.stack([np.sqrt((x[:, i:i + 3] ** 2).sum(1)) for i in (0, 2, 4)], 1)
    np.testing.assert_allclose(tm(torch.tensor(x)).numpy(), want, rtol=1e-12)


def test_s9_forms_in_the_standalone_source(tmp_path):
    import runpy

    from torch7py.export.codegen import source_code
    tm = to_pytorch(nn.Sequential().add(nn.LinearWeightNorm(4, 3)).add(nn.Tanh()))
    src = source_code(tm)
    assert 'class LinearWeightNorm' in src and 'class MixtureTable' in src
    (tmp_path / 'exported.py').write_text(src)
    built = runpy.run_path(str(tmp_path / 'exported.py'))['build']()
    built.load_state_dict(tm.state_dict())
    x = torch.randn(2, 4, dtype=torch.float64)
    torch.testing.assert_close(built(x), tm(x))


def test_docs_list_every_nn_class_without_an_export_form():
    # docs/export.md's "Not converted" paragraph names each class of nn's init.lua that has no
    # converter (LayerNormalization and Maxout convert as the Sequentials they are)
    import os
    import re
    import sys

    from torch7py.export import convert as cv
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, os.path.join(root, 'tools'))
    try:
        from nn_coverage import NN_CLASSES
    finally:
        sys.path.pop(0)
    missing = {n for n in NN_CLASSES if 'nn.' + n not in cv._CONVERTERS} - {
        'Module', 'Container', 'Criterion', 'StochasticGradient', 'LayerNormalization', 'Maxout'}
    with open(os.path.join(root, 'docs', 'export.md')) as f:
        para = f.read().split('Not converted (listed in the error', 1)[1].split('\n\n', 1)[0]
    words = set(re.findall(r'[A-Za-z0-9]+', para))
    named = {n for n in missing if n in words or n.replace('Criterion', '') in words
             or n.replace('Spatial', '') in para or n.replace('Volumetric', '') in para}
    assert named == missing, sorted(missing - named)


def test_k_max_pooling_and_l1_cost_against_numpy():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 7, 3))
    tm = to_pytorch(nn.TemporalDynamicKMaxPooling(2, 0.5))     # k = ceil(3.5) = 4
    keep = np.sort(np.argsort(-x, axis=1)[:, :4], axis=1)
    np.testing.assert_array_equal(tm(torch.tensor(x)).numpy(),
                                  np.take_along_axis(x, keep, axis=1))
    crit = nn.L1Cost()
    tc = to_pytorch(crit)
    xt = torch.tensor(x, requires_grad=True)
    loss = tc(xt, None)
    loss.backward()
    np.testing.assert_allclose(loss.item(), np.abs(x).sum(), rtol=1e-14)
    np.testing.assert_array_equal(xt.grad.numpy(), np.sign(x))
    np.testing.assert_allclose(crit.forward(to_t7(x), None), loss.item(), rtol=1e-14)
    np.testing.assert_array_equal(crit.backward(to_t7(x), None).numpy(), np.sign(x))


def test_weight_norm_against_its_formula():
    m = nn.WeightNorm(nn.Linear(5, 3))
    m.g.numpy().reshape(-1)[...] = [0.5, -1.5, 2.0]
    tm = to_pytorch(m)
    assert sorted(tm.state_dict()) == ['0.bias', 'weight_g', 'weight_v']
    v, g, b = m.v.numpy(), m.g.numpy().reshape(-1), m.modules[0].bias.numpy()
    x = np.random.default_rng(6).standard_normal((4, 5))
    w = v * (g / np.sqrt((v * v).sum(1) + 1e-4))[:, None]     # WeightNorm.lua's norm
    np.testing.assert_allclose(tm(torch.tensor(x)).detach().numpy(), x @ w.T + b, rtol=1e-12)
