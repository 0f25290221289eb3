"""Tests of the full-nn modules (issue 7): the parity goldens of the nn_* cases ported by hand,
finite-difference Jacobians in float64, clone/type round trips and Torch7's errors."""
import math

import numpy as np
import pytest

import torch7py as torch
import torch7py.nn as nn
from torch7py.tensor import TorchError

from golden import assert_case as check_case
from nncase import T, central_diff, det, dot, leaves, live, mkgrad, rclone, run, sfill, sp


# ---- nn_activations ------------------------------------------------------------------------------

KINKS = [-3, -1, -0.5, 0, 0.5, 1, 3, 6, 7, -0.1, 0.1, 20, -20, 0.25]


def test_nn_activations():
    r = {}
    kinks = T(KINKS)
    xb = det(2.5, 0.43, 0.3, 3, 5)

    def both(name, mk):
        r[name] = run(mk(), kinks.clone(), 1)
        r[name + '_batch'] = run(mk(), xb.clone(), 2)

    both('relu6', lambda: nn.ReLU6())
    both('leakyrelu', lambda: nn.LeakyReLU(0.2))
    both('leakyrelu_default', lambda: nn.LeakyReLU())
    both('elu', lambda: nn.ELU())
    both('elu_alpha', lambda: nn.ELU(0.3))
    both('hardshrink', lambda: nn.HardShrink())
    both('hardshrink_lambda', lambda: nn.HardShrink(1))
    both('softshrink', lambda: nn.SoftShrink())
    both('softshrink_lambda', lambda: nn.SoftShrink(1))
    both('softplus', lambda: nn.SoftPlus())
    both('softplus_beta', lambda: nn.SoftPlus(2, 5))
    both('softsign', lambda: nn.SoftSign())
    r['prelu_shared'] = run(nn.PReLU(), kinks.clone(), 3)
    p = nn.PReLU(3)
    r['prelu_ch_1d'] = run(p, T([-1, 2, -3]), 4)
    r['prelu_ch_2d'] = run(p, det(2, 0.7, 0.2, 4, 3), 5)
    r['prelu_ch_3d'] = run(p, det(2, 0.7, 0.2, 2, 3, 4), 6)
    r['prelu_ch_4d'] = run(p, det(2, 0.7, 0.2, 2, 3, 2, 2), 7)
    r['prelu_default_weight'] = nn.PReLU(2).weight.clone()

    def inplace(name, m):
        x = kinks.clone()
        y = m.forward(x)
        r[name + '_output_shares_input'] = sp(y) == sp(x)
        r[name + '_input_after'] = x.clone()
        gy = mkgrad(y, 9)
        gi = m.backward(x, gy)
        r[name + '_gradInput'] = gi.clone()
        r[name + '_gradInput_shares_gradOutput'] = sp(gi) == sp(gy)

    inplace('leakyrelu_ip', nn.LeakyReLU(0.1, True))
    inplace('elu_ip', nn.ELU(1, True))
    inplace('relu6_ip', nn.ReLU6(True))
    check_case('nn_activations', r)


# ---- nn_activations2 -----------------------------------------------------------------------------

def test_nn_activations2():
    r = {}
    for i, s in enumerate([(5,), (3, 4), (3, 2, 2), (2, 3, 2, 2)], 1):
        x = sfill(torch.Tensor(*s), 3, 0.61 + 0.1 * i, 0.2)
        r['softmin_%dd' % len(s)] = run(nn.SoftMin(), x, i)
    x = T([-3, -1, -0.5, 0, 0.5, 1, 3, 8])
    xpos = T([0.01, 0.25, 0.5, 1, 2, 4, 9, 100])
    xb = det(2, 0.43, 0.3, 3, 4)
    r['logsigmoid'] = run(nn.LogSigmoid(), x.clone(), 7)
    r['logsigmoid_batch'] = run(nn.LogSigmoid(), xb.clone(), 8)
    r['abs'] = run(nn.Abs(), x.clone(), 9)
    r['exp'] = run(nn.Exp(), x.clone(), 10)
    r['log'] = run(nn.Log(), xpos.clone(), 11)
    r['square'] = run(nn.Square(), x.clone(), 12)
    r['sqrt'] = run(nn.Sqrt(), xpos.clone(), 13)
    r['square_batch'] = run(nn.Square(), xb.clone(), 14)
    r['sqrt_batch'] = run(nn.Sqrt(), xb.clone().abs(), 15)
    r['sqrt_zero'] = run(nn.Sqrt(), T([0, 4, 0]), 16)
    r['log_zero'] = run(nn.Log(), T([0, 1]), 17)
    r['power2'] = run(nn.Power(2), x.clone(), 18)
    r['power3'] = run(nn.Power(3), x.clone(), 19)
    r['power_half'] = run(nn.Power(0.5), xpos.clone(), 20)
    r['power_neg1'] = run(nn.Power(-1), xpos.clone(), 21)
    r['power1'] = run(nn.Power(1), x.clone(), 22)
    r['clamp'] = run(nn.Clamp(-0.5, 1), x.clone(), 23)
    r['clamp_batch'] = run(nn.Clamp(0, 0.75), xb.clone(), 24)
    v = T([3, -4, 1, 0.5, -2])
    vb = det(2, 0.57, 0.1, 3, 5)
    r['normalize_l2'] = run(nn.Normalize(2), v.clone(), 25)
    r['normalize_l2_batch'] = run(nn.Normalize(2), vb.clone(), 26)
    r['normalize_l1'] = run(nn.Normalize(1), v.clone(), 27)
    r['normalize_l1_batch'] = run(nn.Normalize(1), vb.clone(), 28)
    r['normalize_l3_batch'] = run(nn.Normalize(3), vb.clone(), 29)
    r['normalize_inf'] = run(nn.Normalize(math.inf), v.clone(), 30)
    r['normalize_inf_batch'] = run(nn.Normalize(math.inf), vb.clone(), 31)
    r['normalize_eps'] = run(nn.Normalize(2, 0.5), T([0.1, 0.2]), 32)
    check_case('nn_activations2', r)


# ---- nn_table_arith, nn_table, nn_reduce, nn_shape -----------------------------------------------

def test_nn_table_arith():
    r = {}
    p = det(1, 0.37, 0.2, 3, 4)
    q = det(1, 0.53, 1.3, 3, 4)
    rr = det(1, 0.71, 2.1, 3, 4)
    r['csubtable'] = run(nn.CSubTable(), [p, q], 3)
    r['cmultable'] = run(nn.CMulTable(), [p, q, rr], 4)
    r['cdivtable'] = run(nn.CDivTable(), [p, q.clone().add(2)], 5)
    t1 = T([[1, 5, -2], [0, 3, 3]])
    t2 = T([[1, 4, -2], [2, 3, -1]])
    t3 = T([[0, 5, -3], [2, 1, 3]])
    r['cmaxtable'] = run(nn.CMaxTable(), [p, q, rr], 6)
    r['cmaxtable_ties'] = run(nn.CMaxTable(), [t1, t2, t3], 7)
    r['cmintable'] = run(nn.CMinTable(), [p, q, rr], 8)
    r['cmintable_ties'] = run(nn.CMinTable(), [t1, t2, t3], 9)
    gater = nn.SoftMax().forward(det(2, 0.6, 0.1, 3, 2)).clone()
    r['mixture_table'] = run(nn.MixtureTable(),
                             [gater, [det(1, 0.4, 0, 3, 4), det(1, 0.5, 1, 3, 4)]], 11)
    r['mixture_tensor'] = run(nn.MixtureTable(), [gater, det(1, 0.4, 0, 3, 2, 4)], 12)
    g1 = nn.SoftMax().forward(det(2, 0.6, 0.1, 3)).clone()
    r['mixture_single'] = run(nn.MixtureTable(), [g1, [det(1, 0.4, 0, 4), det(1, 0.5, 1, 4),
                                                       det(1, 0.6, 2, 4)]], 13)
    r['dot_1d'] = run(nn.DotProduct(), [p[1], q[1]], 14)
    r['dot_2d'] = run(nn.DotProduct(), [p, q], 15)
    r['cosdist_1d'] = run(nn.CosineDistance(), [p[1], q[1]], 16)
    r['cosdist_2d'] = run(nn.CosineDistance(), [p, q], 17)
    r['pdist2_1d'] = run(nn.PairwiseDistance(2), [p[1], q[1]], 18)
    r['pdist2_2d'] = run(nn.PairwiseDistance(2), [p, q], 19)
    r['pdist1_2d'] = run(nn.PairwiseDistance(1), [p, q], 20)
    r['pdist3_2d'] = run(nn.PairwiseDistance(3), [p, q], 21)
    r['mm'] = run(nn.MM(), [det(1, 0.3, 0, 2, 3), det(1, 0.4, 1, 3, 4)], 22)
    r['mm_transA'] = run(nn.MM(True, False), [det(1, 0.3, 0, 3, 2), det(1, 0.4, 1, 3, 4)], 23)
    r['mm_transB'] = run(nn.MM(False, True), [det(1, 0.3, 0, 2, 3), det(1, 0.4, 1, 4, 3)], 24)
    r['mm_batch'] = run(nn.MM(), [det(1, 0.3, 0, 2, 2, 3), det(1, 0.4, 1, 2, 3, 2)], 25)
    r['mm_batch_trans'] = run(nn.MM(True, True), [det(1, 0.3, 0, 2, 3, 2),
                                                   det(1, 0.4, 1, 2, 4, 3)], 26)
    r['mv'] = run(nn.MV(), [det(1, 0.3, 0, 2, 3), det(1, 0.4, 1, 3)], 27)
    r['mv_trans'] = run(nn.MV(True), [det(1, 0.3, 0, 3, 2), det(1, 0.4, 1, 3)], 28)
    r['mv_batch'] = run(nn.MV(), [det(1, 0.3, 0, 2, 2, 3), det(1, 0.4, 1, 2, 3)], 29)
    check_case('nn_table_arith', r)


def test_nn_table():
    r = {}
    nested = [det(1, 0.4, 0, 2), [det(1, 0.5, 1, 3), det(1, 0.6, 2, 1)], det(1, 0.7, 3, 2, 2)]
    r['narrowtable'] = run(nn.NarrowTable(2, 2), nested, 24)
    r['narrowtable_default'] = run(nn.NarrowTable(3), nested, 25)
    r['flatten'] = run(nn.FlattenTable(), nested, 26)
    deeper = [[[det(1, 0.2, 0, 2)], det(1, 0.3, 1, 1)], det(1, 0.4, 2, 3)]
    r['flatten_deep'] = run(nn.FlattenTable(), deeper, 27)
    check_case('nn_table', r)


def test_nn_reduce():
    r = {}
    mn = nn.Min(-1)
    r['min_negdim'] = live(mn, det(1, 0.77, 0.5, 2, 3, 4), 18)
    r['min_negdim_indices'] = mn._indices.clone()
    mnt = nn.Min(2)
    r['min_ties'] = live(mnt, T([[4, -1, -1], [0, 0, 7]]), 19)
    r['min_ties_indices'] = mnt._indices.clone()
    for k in ('min_negdim', 'min_ties'):
        del r[k]['out_aliases_input'], r[k]['gi_aliases_gradOutput']
    e = nn.Euclidean(4, 3)
    r['euclidean_single'] = run(e, det(1, 0.5, 0.2, 4), 20)
    r['euclidean_batch'] = run(e, det(1, 0.35, 0.7, 5, 4), 21)
    r['euclidean_weight_size'] = list(e.weight.size())
    c = nn.Cosine(4, 3)
    r['cosine_single'] = run(c, det(1, 0.5, 0.2, 4), 22)
    r['cosine_batch'] = run(c, det(1, 0.35, 0.7, 5, 4), 23)
    r['cosine_weight_size'] = list(c.weight.size())
    check_case('nn_reduce', r)


def test_nn_shape():
    r = {}
    r['squeeze_all'] = live(nn.Squeeze(), det(1, 0.3, 0.5, 1, 3, 1, 2), 14)
    r['squeeze_dim'] = live(nn.Squeeze(3), det(1, 0.3, 0.5, 1, 3, 1, 2), 15)
    r['squeeze_dim_batch'] = live(nn.Squeeze(1, 2), det(1, 0.3, 0.5, 4, 1, 3), 16)
    r['unsqueeze'] = live(nn.Unsqueeze(2), det(1, 0.3, 0.5, 3, 4), 17)
    r['unsqueeze_end'] = live(nn.Unsqueeze(3), det(1, 0.3, 0.5, 3, 4), 18)
    r['unsqueeze_batch'] = live(nn.Unsqueeze(1, 2), det(1, 0.3, 0.5, 5, 3, 4), 19)
    m = nn.Index(1)
    r['index'] = run(m, [det(1, 0.3, 0.5, 4, 3), torch.LongTensor([2, 4, 2])], 26)
    r['index_gradInput_indices_type'] = m.gradInput[1].typename
    r['index_dim2'] = run(nn.Index(2), [det(1, 0.7, 0.1, 2, 5), torch.LongTensor([5, 1])], 27)
    r['replicate'] = live(nn.Replicate(3), det(1, 0.3, 0.5, 4), 28)
    r['replicate_dim2'] = live(nn.Replicate(2, 2), det(1, 0.3, 0.5, 3, 2), 29)
    r['replicate_batch'] = live(nn.Replicate(2, 1, 1), det(1, 0.3, 0.5, 3, 4), 30)
    check_case('nn_shape', r)


# ---- nn_conv2d, nn_pooling, nn_padding_upsample, nn_lrn_temporal_volumetric ----------------------

def test_nn_conv2d():
    r = {}
    x3 = det(1, 0.37, 0.2, 2, 6, 5)
    x4 = det(1, 0.23, 1.1, 2, 2, 6, 5)
    f = nn.SpatialFullConvolution(2, 3, 3, 3)
    r['fullconv_3d'] = run(f, x3, 8)
    r['fullconv_4d'] = run(f, x4, 9)
    r['fullconv_weight_size'] = list(f.weight.size())
    r['fullconv_stride_pad_4d'] = run(nn.SpatialFullConvolution(2, 2, 3, 3, 2, 2, 1, 1), x4, 10)
    r['fullconv_adj_3d'] = run(nn.SpatialFullConvolution(2, 2, 3, 2, 2, 3, 1, 0, 1, 2), x3, 11)
    r['fullconv_nobias_4d'] = run(nn.SpatialFullConvolution(2, 1, 2, 2, 2, 2).noBias(), x4, 12)
    d = nn.SpatialDilatedConvolution(2, 2, 2, 2, 1, 1, 0, 0, 2, 2)
    r['dilated_3d'] = run(d, x3, 13)
    r['dilated_4d'] = run(d, x4, 14)
    r['dilated_stride_pad_4d'] = run(nn.SpatialDilatedConvolution(2, 3, 3, 2, 2, 1, 1, 1, 2, 1),
                                     x4, 15)
    check_case('nn_conv2d', r)


def test_nn_pooling():
    r = {}
    x3 = det(1, 0.71, 0.2, 2, 7, 6)
    x4 = det(1, 0.53, 1.1, 2, 2, 7, 6)
    plateau = T([[[1, 1, 2, 2, 0], [1, 1, 2, 2, 0], [3, 3, 3, 0, 0], [3, 3, 3, 0, 5]]])
    r['dilated_maxpool'] = run(nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 2, 2), x3, 10)
    ad = nn.SpatialAdaptiveMaxPooling(3, 2)
    r['adaptivemax_3d'] = run(ad, x3, 19)
    r['adaptivemax_indices_type'] = ad.indices.typename
    r['adaptivemax_4d'] = run(ad, x4, 20)
    r['adaptivemax_identity_size'] = run(nn.SpatialAdaptiveMaxPooling(6, 7), x3, 21)
    r['adaptivemax_larger'] = run(nn.SpatialAdaptiveMaxPooling(4, 4), det(1, 0.9, 0.4, 1, 3, 3),
                                  22)
    r['adaptivemax_ties'] = run(nn.SpatialAdaptiveMaxPooling(2, 2), plateau.clone(), 23)
    check_case('nn_pooling', r)


def test_nn_padding_upsample():
    r = {}
    x3 = det(1, 0.71, 0.2, 2, 4, 5)
    x4 = det(1, 0.53, 1.1, 2, 3, 4, 3)
    r['zeropad_3d'] = run(nn.SpatialZeroPadding(1, 2, 0, 3), x3, 1)
    r['zeropad_4d'] = run(nn.SpatialZeroPadding(2, 1, 1, 1), x4, 2)
    r['zeropad_symmetric_default'] = run(nn.SpatialZeroPadding(1), x3, 3)
    r['zeropad_negative'] = run(nn.SpatialZeroPadding(-1, 0, -1, -2), x3, 4)
    r['zeropad_mixed'] = run(nn.SpatialZeroPadding(-2, 1, 2, -1), x4, 5)
    r['reflectpad_3d'] = run(nn.SpatialReflectionPadding(1, 2, 3, 1), x3, 6)
    r['reflectpad_4d'] = run(nn.SpatialReflectionPadding(2, 2, 1, 0), x4, 7)
    r['replicatepad_3d'] = run(nn.SpatialReplicationPadding(1, 2, 3, 1), x3, 8)
    r['replicatepad_4d'] = run(nn.SpatialReplicationPadding(3, 0, 2, 4), x4, 9)
    r['replicatepad_big'] = run(nn.SpatialReplicationPadding(4, 4, 4, 4),
                                det(1, 0.9, 0.3, 1, 2, 2), 10)
    r['upsample2_3d'] = run(nn.SpatialUpSamplingNearest(2), x3, 11)
    r['upsample3_4d'] = run(nn.SpatialUpSamplingNearest(3), x4, 12)
    r['upsample2_4d'] = run(nn.SpatialUpSamplingNearest(2), x4, 13)
    check_case('nn_padding_upsample', r)


def test_nn_lrn_temporal_volumetric():
    r = {}
    r['lrn_3d'] = run(nn.SpatialCrossMapLRN(3), det(2, 0.41, 0.2, 4, 3, 3), 1)
    r['lrn_4d'] = run(nn.SpatialCrossMapLRN(5, 0.001, 0.75, 2), det(2, 0.41, 0.2, 2, 6, 2, 3), 2)
    r['lrn_params'] = run(nn.SpatialCrossMapLRN(3, 0.5, 0.5, 1), det(3, 0.77, 0.9, 3, 2, 2), 3)
    t = nn.TemporalConvolution(3, 4, 2)
    r['tconv_2d'] = run(t, det(1, 0.53, 0.1, 6, 3), 4)
    r['tconv_3d'] = run(t, det(1, 0.31, 0.6, 2, 6, 3), 5)
    r['tconv_weight_size'] = list(t.weight.size())
    ts = nn.TemporalConvolution(3, 2, 3, 2)
    r['tconv_stride_2d'] = run(ts, det(1, 0.53, 0.1, 8, 3), 6)
    r['tconv_stride_3d'] = run(ts, det(1, 0.31, 0.6, 2, 7, 3), 7)
    p = nn.TemporalMaxPooling(2)
    r['tmaxpool_2d'] = run(p, det(1, 0.53, 0.1, 7, 3), 8)
    r['tmaxpool_3d'] = run(p, det(1, 0.31, 0.6, 2, 6, 3), 9)
    p2 = nn.TemporalMaxPooling(3, 1)
    r['tmaxpool_overlap'] = run(p2, det(1, 0.73, 0.3, 6, 2), 10)
    r['tmaxpool_indices'] = p2.indices.clone()
    v = nn.VolumetricConvolution(2, 3, 2, 2, 2)
    r['vconv_4d'] = run(v, det(1, 0.37, 0.2, 2, 3, 4, 3), 11)
    r['vconv_5d'] = run(v, det(1, 0.21, 0.7, 2, 2, 3, 4, 3), 12)
    r['vconv_weight_size'] = list(v.weight.size())
    vs = nn.VolumetricConvolution(2, 2, 2, 3, 2, 1, 2, 1, 1, 1, 0)
    r['vconv_stride_pad_5d'] = run(vs, det(1, 0.21, 0.7, 2, 2, 3, 4, 3), 13)
    vn = nn.VolumetricConvolution(2, 1, 1, 2, 2).noBias()
    r['vconv_nobias_4d'] = run(vn, det(1, 0.37, 0.2, 2, 3, 4, 3), 14)
    m = nn.VolumetricMaxPooling(2, 2, 2)
    r['vmaxpool_4d'] = run(m, det(1, 0.67, 0.2, 2, 4, 4, 5), 15)
    r['vmaxpool_5d'] = run(m, det(1, 0.29, 0.5, 2, 2, 4, 4, 5), 16)
    r['vmaxpool_indices_type'] = m.indices.typename
    ms = nn.VolumetricMaxPooling(2, 3, 2, 1, 2, 2, 1, 1, 0)
    r['vmaxpool_stride_pad'] = run(ms, det(1, 0.67, 0.2, 2, 4, 4, 5), 17)
    mc = nn.VolumetricMaxPooling(2, 2, 2, 2, 2, 2).ceil()
    r['vmaxpool_ceil'] = run(mc, det(1, 0.67, 0.2, 1, 3, 5, 5), 18)
    check_case('nn_lrn_temporal_volumetric', r)


# ---- module_tostring_layers (the full-nn entries) ------------------------------------------------

TOSTRING = {
    'bilinear': lambda: nn.Bilinear(2, 3, 4),
    'bilinear_nobias': lambda: nn.Bilinear(2, 3, 4, False),
    'cmul': lambda: nn.CMul(3, 4),
    'cadd': lambda: nn.CAdd(5),
    'add': lambda: nn.Add(3),
    'add_scalar': lambda: nn.Add(3, True),
    'mul': lambda: nn.Mul(),
    'squeeze': lambda: nn.Squeeze(),
    'unsqueeze': lambda: nn.Unsqueeze(2),
    'index': lambda: nn.Index(1),
    'replicate': lambda: nn.Replicate(3),
    'min': lambda: nn.Min(2),
    'euclidean': lambda: nn.Euclidean(3, 4),
    'cosine': lambda: nn.Cosine(3, 4),
    'relu6': lambda: nn.ReLU6(),
    'leakyrelu': lambda: nn.LeakyReLU(0.1),
    'leakyrelu_default': lambda: nn.LeakyReLU(),
    'prelu': lambda: nn.PReLU(),
    'prelu3': lambda: nn.PReLU(3),
    'elu': lambda: nn.ELU(0.5),
    'hardshrink': lambda: nn.HardShrink(0.3),
    'softshrink': lambda: nn.SoftShrink(),
    'softplus': lambda: nn.SoftPlus(),
    'softsign': lambda: nn.SoftSign(),
    'softmin': lambda: nn.SoftMin(),
    'logsigmoid': lambda: nn.LogSigmoid(),
    'abs': lambda: nn.Abs(),
    'exp': lambda: nn.Exp(),
    'log': lambda: nn.Log(),
    'square': lambda: nn.Square(),
    'sqrt': lambda: nn.Sqrt(),
    'power': lambda: nn.Power(2),
    'clamp': lambda: nn.Clamp(-1, 1),
    'normalize': lambda: nn.Normalize(2),
    'normalize_inf': lambda: nn.Normalize(math.inf),
    'fullconv': lambda: nn.SpatialFullConvolution(3, 4, 3, 3, 2, 2, 1, 1, 1, 1),
    'fullconv_plain': lambda: nn.SpatialFullConvolution(3, 4, 3, 3),
    'dilated': lambda: nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 2, 2, 2, 2),
    'adaptivemax': lambda: nn.SpatialAdaptiveMaxPooling(4, 3),
    'zeropad': lambda: nn.SpatialZeroPadding(1, 2, 3, 4),
    'reflectpad': lambda: nn.SpatialReflectionPadding(1, 2, 3, 4),
    'replicatepad': lambda: nn.SpatialReplicationPadding(1, 1, 2, 2),
    'upsample': lambda: nn.SpatialUpSamplingNearest(2),
    'lrn': lambda: nn.SpatialCrossMapLRN(5),
    'tconv': lambda: nn.TemporalConvolution(4, 6, 3),
    'tconv_stride': lambda: nn.TemporalConvolution(4, 6, 3, 2),
    'tmaxpool': lambda: nn.TemporalMaxPooling(2),
    'vconv': lambda: nn.VolumetricConvolution(2, 3, 3, 3, 3),
    'vconv_stride_pad': lambda: nn.VolumetricConvolution(2, 3, 3, 3, 3, 1, 2, 2, 1, 0, 1),
    'vmaxpool': lambda: nn.VolumetricMaxPooling(2, 2, 2),
    'narrowtable': lambda: nn.NarrowTable(1, 2),
    'flattentable': lambda: nn.FlattenTable(),
    'csubtable': lambda: nn.CSubTable(),
    'cmultable': lambda: nn.CMulTable(),
    'cdivtable': lambda: nn.CDivTable(),
    'cmaxtable': lambda: nn.CMaxTable(),
    'cmintable': lambda: nn.CMinTable(),
    'mixturetable': lambda: nn.MixtureTable(),
    'dotproduct': lambda: nn.DotProduct(),
    'cosinedistance': lambda: nn.CosineDistance(),
    'pairwisedistance': lambda: nn.PairwiseDistance(2),
    'mm': lambda: nn.MM(),
    'mm_trans': lambda: nn.MM(True, False),
    'mv': lambda: nn.MV(),
}


def test_module_tostring_layers():
    check_case('module_tostring_layers', {k: str(mk()) for k, mk in TOSTRING.items()})


# ---- finite-difference Jacobians (float64), non-batch and batch ----------------------------------

def _rand_like(x, rng):
    if isinstance(x, list):
        return [_rand_like(v, rng) for v in x]
    t = x.new(*x._size)
    t.numpy()[...] = rng.uniform(-1, 1, size=x.numpy().shape)
    return t


def fd_check(m, x, diff_inputs=None, params=True, eps=1e-6, tol=1e-5, seed=0):
    """Compares backward with central differences of <forward(x), g> for a random g."""
    rng = np.random.RandomState(seed)
    y = m.forward(x)
    g = _rand_like(y, rng)
    m.zeroGradParameters()
    gi = rclone(m.backward(x, g))
    xs = leaves(x)
    gxs = leaves(gi)
    which = range(len(xs)) if diff_inputs is None else diff_inputs
    for k in which:
        num = central_diff(xs[k].numpy(), lambda: dot(m.forward(x), g), eps)
        np.testing.assert_allclose(gxs[k].numpy().reshape(-1), num.reshape(-1), rtol=tol,
                                   atol=tol, err_msg='%s: d/dinput[%d]' % (m.typename, k))
    if not params:
        return
    ps, gps = m.parameters()
    if not ps:
        return
    m.forward(x)
    m.zeroGradParameters()
    m.backward(x, g)
    # the gradients as backward left them: a forward may reuse a gradient buffer (WeightNorm.lua's
    # updateWeight copies the weight into gradV first)
    gps = [gp.numpy().copy() for gp in gps]
    for p, gp in zip(ps, gps):
        num = central_diff(p.numpy(), lambda: dot(m.forward(x), g), eps)
        np.testing.assert_allclose(gp.reshape(-1), num.reshape(-1), rtol=tol,
                                   atol=tol, err_msg='%s: d/dparam' % m.typename)


def R(*sizes, lo=-1.0, hi=1.0, seed=1):
    t = torch.Tensor(*sizes)
    t.numpy()[...] = np.random.RandomState(seed + sum(sizes)).uniform(lo, hi, size=sizes)
    return t


def away(t, pts, d=0.05):
    """Moves entries of t within d of the kinks in pts away from them (FD is exact there)."""
    a = t.numpy()
    for p in pts:
        close = np.abs(a - p) < d
        a[close] = p + d * np.where(a[close] >= p, 1, -1)
    return t



def _evaluated(m):
    m.evaluate()
    return m


def _reset(m):
    """m after m:reset() (IndexLinear.lua's reset returns nothing)."""
    m.reset()
    return m


def _partial_linear():
    m = nn.PartialLinear(4, 5)
    m.setPartition(torch.LongTensor([2, 5]))  # (returns nothing, as PartialLinear.lua's)
    return m


JACOBIAN_CASES = {
    'WeightedEuclidean': (lambda: nn.WeightedEuclidean(4, 3), lambda: R(4), lambda: R(3, 4)),
    'PartialLinear': (_partial_linear, None, lambda: R(3, 4)),
    'LayerNormalization': (lambda: nn.LayerNormalization(4), None, lambda: R(3, 4)),
    'Maxout': (lambda: nn.Maxout(4, 3, 2), lambda: R(4), lambda: R(3, 4)),
    'LinearWeightNorm': (lambda: nn.LinearWeightNorm(4, 3), lambda: R(4), lambda: R(3, 4)),
    'WeightNorm': (lambda: nn.WeightNorm(nn.Linear(4, 3)), lambda: R(4), lambda: R(3, 4)),
    'WeightNormConv': (lambda: nn.WeightNorm(nn.SpatialConvolution(2, 3, 2, 2), 2),
                       lambda: R(2, 3, 3), lambda: R(2, 2, 3, 3)),
    'VolumetricBatchNormalization': (lambda: nn.VolumetricBatchNormalization(2), None,
                                     lambda: R(2, 2, 2, 2, 2)),
    'SpatialSubtractiveNormalization': (lambda: nn.SpatialSubtractiveNormalization(
        2, T([[1, 2, 1], [2, 4, 2], [1, 2, 1]])), lambda: R(2, 4, 5), lambda: R(2, 2, 4, 5)),
    'SpatialSubtractiveNormalization1d': (lambda: nn.SpatialSubtractiveNormalization(
        2, T([1, 2, 1])), lambda: R(2, 4, 5), lambda: R(2, 2, 4, 5)),
    'SpatialDivisiveNormalization': (lambda: nn.SpatialDivisiveNormalization(
        2, T([[1, 2, 1], [2, 4, 2], [1, 2, 1]])), lambda: R(2, 4, 5), lambda: R(2, 2, 4, 5)),
    'SpatialContrastiveNormalization': (lambda: nn.SpatialContrastiveNormalization(
        2, T([1, 1, 1])), lambda: R(2, 4, 5), lambda: R(2, 2, 4, 5)),
    'VolumetricDilatedMaxPooling': (lambda: nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0,
                                                                           0, 0, 2, 1, 2),
                                    lambda: R(2, 4, 3, 4), lambda: R(2, 1, 4, 3, 4)),
    'VolumetricAveragePooling': (lambda: nn.VolumetricAveragePooling(2, 2, 2, 1, 2, 1),
                                 lambda: R(2, 3, 4, 3), lambda: R(2, 1, 3, 4, 3)),
    'VolumetricAveragePoolingPad': (lambda: nn.VolumetricAveragePooling(2, 3, 2, 2, 2, 2, 1, 1,
                                                                        1).ceil()
                                    .setCountExcludePad(),
                                    lambda: R(2, 3, 4, 3), lambda: R(2, 1, 3, 4, 5)),
    'SpatialAdaptiveAveragePooling': (lambda: nn.SpatialAdaptiveAveragePooling(2, 3),
                                      lambda: R(2, 5, 4), lambda: R(2, 2, 5, 4)),
    'TemporalDynamicKMaxPooling': (lambda: nn.TemporalDynamicKMaxPooling(2, 0.5),
                                   lambda: R(5, 3), lambda: R(2, 6, 3)),
    'SpatialLPPooling': (lambda: nn.SpatialLPPooling(2, 2, 2, 2), lambda: R(2, 4, 4, lo=0.2),
                         lambda: R(2, 2, 4, 4, lo=0.2)),
    'SpatialLPPooling3': (lambda: nn.SpatialLPPooling(2, 3, 2, 2, 1, 1),
                          lambda: R(2, 3, 3, lo=0.2), lambda: R(2, 2, 3, 3, lo=0.2)),
    'FeatureLPPooling': (lambda: nn.FeatureLPPooling(2, 1, 2, False), lambda: R(5, 3),
                         lambda: R(4, 2, 3)),
    'FeatureLPPoolingBatch': (lambda: nn.FeatureLPPooling(3, 2, 3, True),
                              lambda: R(2, 7, lo=0.2), lambda: R(2, 7, 3, lo=0.2)),
    'SpatialFractionalMaxPooling': (lambda: nn.SpatialFractionalMaxPooling(2, 2, 3, 3)
                                    .fixPoolingRegions(),
                                    lambda: R(2, 6, 5), lambda: R(2, 2, 5, 6)),
    'VolumetricFractionalMaxPooling': (lambda: nn.VolumetricFractionalMaxPooling(
        2, 2, 2, 2, 3, 2).fixPoolingRegions(), lambda: R(2, 4, 5, 4), lambda: R(2, 1, 4, 5, 4)),
    'VolumetricReplicationPadding': (lambda: nn.VolumetricReplicationPadding(1, 2, 0, 1, 2, 0),
                                     lambda: R(2, 2, 3, 2), lambda: R(2, 1, 2, 3, 2)),
    'SpatialUpSamplingBilinear': (lambda: nn.SpatialUpSamplingBilinear(2), lambda: R(2, 3, 2),
                                  lambda: R(2, 2, 3, 2)),
    'SpatialUpSamplingBilinearSize': (lambda: nn.SpatialUpSamplingBilinear([5, 4]),
                                      lambda: R(2, 3, 2), lambda: R(2, 2, 3, 2)),
    'UpSamplingNearest': (lambda: nn.UpSampling(2), None, lambda: R(2, 2, 3, 2)),
    'UpSamplingLinear5d': (lambda: nn.UpSampling(2, 'linear'), None, lambda: R(1, 2, 2, 3, 2)),
    'SpatialSubSampling': (lambda: nn.SpatialSubSampling(2, 2, 3, 2, 1), lambda: R(2, 5, 5),
                           lambda: R(2, 2, 4, 5)),
    # THNN's TemporalSubSampling takes 2-d inputs only (no batch mode)
    'TemporalSubSampling': (lambda: nn.TemporalSubSampling(3, 2, 2), None, lambda: R(7, 3)),
    # (square images: nn 8726825's THNN reads a non-square one as W x H in its forward, and
    # its backward refuses that output's size)
    'SpatialDepthWiseConvolution': (lambda: nn.SpatialDepthWiseConvolution(2, 3, 2, 3, 1, 2, 1, 0),
                                    lambda: R(2, 5, 5), lambda: R(2, 2, 5, 5)),
    'SpatialConvolutionLocal': (lambda: nn.SpatialConvolutionLocal(2, 3, 4, 5, 2, 3, 1, 2, 1, 0),
                                lambda: R(2, 5, 4), lambda: R(2, 2, 5, 4)),
    'SpatialConvolutionMap': (lambda: nn.SpatialConvolutionMap(nn.tables.random(3, 2, 2), 2, 2),
                              lambda: R(3, 4, 4), lambda: R(2, 3, 4, 3)),
    # THNN's SpatialFullConvolutionMap takes one 3-d image (no batch mode)
    'SpatialFullConvolutionMap': (lambda: nn.SpatialFullConvolutionMap(nn.tables.full(2, 3), 2,
                                                                       3, 2, 1),
                                  None, lambda: R(2, 3, 3)),
    'TemporalRowConvolution': (lambda: nn.TemporalRowConvolution(3, 2, 2), lambda: R(7, 3),
                               lambda: R(2, 6, 3)),
    'TemporalRowConvolutionFF': (lambda: nn.TemporalRowConvolution(3, 3, 1, True),
                                 lambda: R(3, 7), lambda: R(2, 3, 6)),
    'VolumetricDilatedConvolution': (lambda: nn.VolumetricDilatedConvolution(
        2, 2, 2, 2, 2, 1, 1, 1, 0, 1, 0, 2, 1, 2), lambda: R(2, 4, 3, 5),
        lambda: R(2, 2, 4, 3, 4)),
    'VolumetricFullConvolution': (lambda: nn.VolumetricFullConvolution(2, 2, 2, 3, 2, 2, 1, 2, 1,
                                                                       1, 0, 1, 0, 1),
                                  lambda: R(2, 2, 3, 2), lambda: R(2, 2, 2, 2, 3)),
    'TanhShrink': (lambda: nn.TanhShrink(), lambda: R(5), lambda: R(3, 4)),
    'RReLUeval': (lambda: nn.RReLU().evaluate() or _evaluated(nn.RReLU()),
                  lambda: away(R(5), [0]), lambda: away(R(3, 4), [0])),
    'CReLU': (lambda: nn.CReLU(3), lambda: away(R(2, 3, 2), [0]),
              lambda: away(R(2, 2, 3, 2), [0])),
    'GatedLinearUnit': (lambda: nn.GatedLinearUnit(), lambda: R(6), lambda: R(3, 4)),
    'GatedLinearUnit1': (lambda: nn.GatedLinearUnit(1), lambda: R(4, 3), lambda: R(2, 3)),
    'Collapse': (lambda: nn.Collapse(2), lambda: R(3, 4), lambda: R(2, 3, 4)),
    'PixelShuffle': (lambda: nn.PixelShuffle(2), lambda: R(8, 2, 3), lambda: R(2, 4, 3, 2)),
    'Bottle': (lambda: nn.Bottle(nn.Linear(4, 3)), lambda: R(3, 4), lambda: R(2, 5, 4)),
    'Decorator': (lambda: nn.Decorator(nn.Linear(4, 3)), lambda: R(4), lambda: R(2, 4)),
    'CAddTensorTable': (lambda: nn.CAddTensorTable(), lambda: [R(4), [R(4, seed=3), R(4, seed=4)]],
                        lambda: [R(2, 4), [R(2, 4, seed=3)]]),
    'ZipTableOneToMany': (lambda: nn.ZipTableOneToMany(),
                          lambda: [R(4), [R(4, seed=3), R(4, seed=4)]],
                          lambda: [R(2, 4), [R(2, 4, seed=3)]]),
    'PReLU': (lambda: nn.PReLU(), lambda: away(R(5), [0]), lambda: away(R(3, 4), [0])),
    'PReLU3': (lambda: nn.PReLU(3), lambda: away(R(3), [0]), lambda: away(R(2, 3, 2, 2), [0])),
    'LeakyReLU': (lambda: nn.LeakyReLU(0.2), lambda: away(R(5), [0]), lambda: away(R(3, 4), [0])),
    'ELU': (lambda: nn.ELU(0.7), lambda: away(R(5), [0]), lambda: away(R(3, 4), [0])),
    'ReLU6': (lambda: nn.ReLU6(), lambda: away(R(5, lo=-2, hi=8), [0, 6]),
              lambda: away(R(3, 4, lo=-2, hi=8), [0, 6])),
    'SoftPlus': (lambda: nn.SoftPlus(2), lambda: R(5), lambda: R(3, 4)),
    'SoftShrink': (lambda: nn.SoftShrink(0.3), lambda: away(R(6), [-.3, .3]),
                   lambda: away(R(3, 4), [-.3, .3])),
    'HardShrink': (lambda: nn.HardShrink(0.3), lambda: away(R(6), [-.3, .3]),
                   lambda: away(R(3, 4), [-.3, .3])),
    'LogSigmoid': (lambda: nn.LogSigmoid(), lambda: R(5), lambda: R(3, 4)),
    'SoftSign': (lambda: nn.SoftSign(), lambda: R(5), lambda: R(3, 4)),
    'SoftMin': (lambda: nn.SoftMin(), lambda: R(5), lambda: R(3, 4)),
    'SpatialSoftMax': (lambda: nn.SpatialSoftMax(), lambda: R(3, 2, 2), lambda: R(2, 3, 2, 2)),
    'SpatialLogSoftMax': (lambda: nn.SpatialLogSoftMax(), lambda: R(3, 2, 2),
                          lambda: R(2, 3, 2, 2)),
    'Exp': (lambda: nn.Exp(), lambda: R(5), lambda: R(3, 4)),
    'Log': (lambda: nn.Log(), lambda: R(5, lo=0.5, hi=2), lambda: R(3, 4, lo=0.5, hi=2)),
    'Abs': (lambda: nn.Abs(), lambda: away(R(5), [0]), lambda: away(R(3, 4), [0])),
    'Square': (lambda: nn.Square(), lambda: R(5), lambda: R(3, 4)),
    'Sqrt': (lambda: nn.Sqrt(), lambda: R(5, lo=0.5, hi=2), lambda: R(3, 4, lo=0.5, hi=2)),
    'Power': (lambda: nn.Power(3), lambda: R(5), lambda: R(3, 4)),
    'Clamp': (lambda: nn.Clamp(-0.5, 0.5), lambda: away(R(6), [-.5, .5]),
              lambda: away(R(3, 4), [-.5, .5])),
    'Normalize2': (lambda: nn.Normalize(2), lambda: R(5), lambda: R(3, 4)),
    'Normalize3': (lambda: nn.Normalize(3), lambda: R(5), lambda: R(3, 4)),
    'NormalizeInf': (lambda: nn.Normalize(math.inf), lambda: R(5), lambda: R(3, 4)),
    'Mul': (lambda: nn.Mul(), lambda: R(5), lambda: R(3, 4)),
    'Add': (lambda: nn.Add(4), lambda: R(4), lambda: R(3, 4)),
    'AddScalar': (lambda: nn.Add(4, True), lambda: R(4), lambda: R(3, 4)),
    'CMul': (lambda: nn.CMul(4), lambda: R(4), lambda: R(3, 4)),
    'CMul2d': (lambda: nn.CMul(1, 4), lambda: R(3, 4), lambda: R(5, 4)),
    'CAdd': (lambda: nn.CAdd(4), lambda: R(4), lambda: R(3, 4)),
    'Euclidean': (lambda: nn.Euclidean(4, 3), lambda: R(4), lambda: R(3, 4)),
    'Cosine': (lambda: nn.Cosine(4, 3), lambda: R(4), lambda: R(3, 4)),
    'Bilinear': (lambda: nn.Bilinear(3, 2, 4), None, lambda: [R(5, 3), R(5, 2)]),
    'MM': (lambda: nn.MM(), lambda: [R(2, 3), R(3, 4)], lambda: [R(2, 2, 3), R(2, 3, 4)]),
    'MMtt': (lambda: nn.MM(True, True), lambda: [R(3, 2), R(4, 3)],
             lambda: [R(2, 3, 2), R(2, 4, 3)]),
    'MV': (lambda: nn.MV(), lambda: [R(2, 3), R(3)], lambda: [R(2, 2, 3), R(2, 3)]),
    'MVt': (lambda: nn.MV(True), lambda: [R(3, 2), R(3)], lambda: [R(2, 3, 2), R(2, 3)]),
    'DotProduct': (lambda: nn.DotProduct(), lambda: [R(4), R(4, seed=5)],
                   lambda: [R(3, 4), R(3, 4, seed=5)]),
    'CosineDistance': (lambda: nn.CosineDistance(), lambda: [R(4), R(4, seed=5)],
                       lambda: [R(3, 4), R(3, 4, seed=5)]),
    'PairwiseDistance2': (lambda: nn.PairwiseDistance(2), lambda: [R(4), R(4, seed=5)],
                          lambda: [R(3, 4), R(3, 4, seed=5)]),
    'PairwiseDistance3': (lambda: nn.PairwiseDistance(3), lambda: [R(4), R(4, seed=5)],
                          lambda: [R(3, 4), R(3, 4, seed=5)]),
    'CSubTable': (lambda: nn.CSubTable(), lambda: [R(4), R(4, seed=5)],
                  lambda: [R(3, 4), R(3, 4, seed=5)]),
    'CMulTable': (lambda: nn.CMulTable(), lambda: [R(4), R(4, seed=5), R(4, seed=7)],
                  lambda: [R(3, 4), R(3, 4, seed=5)]),
    'CDivTable': (lambda: nn.CDivTable(), lambda: [R(4), R(4, lo=1, hi=2)],
                  lambda: [R(3, 4), R(3, 4, lo=1, hi=2)]),
    'CMaxTable': (lambda: nn.CMaxTable(), lambda: [R(4), R(4, seed=5)],
                  lambda: [R(3, 4), R(3, 4, seed=5), R(3, 4, seed=9)]),
    'CMinTable': (lambda: nn.CMinTable(), lambda: [R(4), R(4, seed=5)],
                  lambda: [R(3, 4), R(3, 4, seed=5), R(3, 4, seed=9)]),
    'MixtureTable': (lambda: nn.MixtureTable(), lambda: [R(3), [R(4), R(4, seed=3), R(4, seed=4)]],
                     lambda: [R(2, 3), R(2, 3, 4)]),
    'Min': (lambda: nn.Min(2), lambda: R(4, 3), lambda: R(2, 3, 4)),
    'Squeeze': (lambda: nn.Squeeze(), lambda: R(1, 3, 1, 2), lambda: R(3, 1, 2)),
    'Unsqueeze': (lambda: nn.Unsqueeze(2), lambda: R(3, 4), lambda: R(2, 3, 4)),
    'Replicate': (lambda: nn.Replicate(3, 2), lambda: R(4, 2), lambda: R(2, 3, 2)),
    'SpatialZeroPadding': (lambda: nn.SpatialZeroPadding(1, -1, 2, 0), lambda: R(2, 3, 4),
                           lambda: R(2, 2, 3, 4)),
    'SpatialReflectionPadding': (lambda: nn.SpatialReflectionPadding(1, 2, 2, 1),
                                 lambda: R(2, 3, 4), lambda: R(2, 2, 3, 4)),
    'SpatialReplicationPadding': (lambda: nn.SpatialReplicationPadding(2, 1, 0, 3),
                                  lambda: R(2, 3, 4), lambda: R(2, 2, 3, 4)),
    'SpatialUpSamplingNearest': (lambda: nn.SpatialUpSamplingNearest(2), lambda: R(2, 3, 2),
                                 lambda: R(2, 2, 3, 2)),
    'SpatialCrossMapLRN': (lambda: nn.SpatialCrossMapLRN(3, 0.5, 0.75, 1), lambda: R(4, 2, 3),
                           lambda: R(2, 5, 2, 2)),
    'SpatialFullConvolution': (lambda: nn.SpatialFullConvolution(2, 3, 3, 2, 2, 1, 1, 0, 1, 0),
                               lambda: R(2, 3, 4), lambda: R(2, 2, 3, 3)),
    'SpatialDilatedConvolution': (lambda: nn.SpatialDilatedConvolution(2, 3, 2, 2, 1, 2, 1, 1,
                                                                       2, 1),
                                  lambda: R(2, 5, 4), lambda: R(2, 2, 4, 4)),
    'VolumetricConvolution': (lambda: nn.VolumetricConvolution(2, 2, 2, 2, 2, 1, 2, 1, 1, 0, 1),
                              lambda: R(2, 3, 4, 3), lambda: R(2, 2, 3, 3, 3)),
    'TemporalConvolution': (lambda: nn.TemporalConvolution(3, 2, 2, 2), lambda: R(7, 3),
                            lambda: R(2, 5, 3)),
    'TemporalMaxPooling': (lambda: nn.TemporalMaxPooling(2, 1), lambda: R(6, 3),
                           lambda: R(2, 5, 3)),
    'VolumetricMaxPooling': (lambda: nn.VolumetricMaxPooling(2, 2, 2, 1, 1, 1),
                             lambda: R(2, 3, 3, 3), lambda: R(2, 1, 3, 3, 3)),
    'SpatialAdaptiveMaxPooling': (lambda: nn.SpatialAdaptiveMaxPooling(2, 3),
                                  lambda: R(2, 5, 4), lambda: R(2, 2, 5, 4)),
    'SpatialDilatedMaxPooling': (lambda: nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 2, 2),
                                 lambda: R(2, 5, 5), lambda: R(2, 2, 5, 5)),
}


@pytest.mark.parametrize('name', sorted(JACOBIAN_CASES))
def test_jacobian(name):
    mk, single, batch = JACOBIAN_CASES[name]
    if single is not None:
        fd_check(mk(), single())
    fd_check(mk(), batch())


def test_jacobian_index():
    m = nn.Index(1)
    fd_check(m, [R(4, 3), torch.LongTensor([2, 4, 2])], diff_inputs=[0])
    fd_check(nn.Index(2), [R(2, 5), torch.LongTensor([5, 1])], diff_inputs=[0])


def test_jacobian_tables():
    x = [R(2), [R(3), R(1)], R(2, 2)]
    fd_check(nn.NarrowTable(2, 2), x)
    fd_check(nn.FlattenTable(), x)


def _float_input(x):
    return [_float_input(v) for v in x] if isinstance(x, list) else (
        x.float() if x.typename == 'torch.DoubleTensor' else x)


# CMaxTable/CMinTable: :float() after a forward turns maskByteTensor into a FloatTensor too
# (Module:type converts every tensor field), and the next forward fails at CMaxTable.lua:21's
# maxIdx:maskedFill(self.maskByteTensor, i), as the original Torch7 (nn 8726825) does
_MASK_BYTE_TENSOR_CAST = ('CMaxTable', 'CMinTable')


def _assert_mask_cast_fails(f, x):
    assert f.maskByteTensor.typename == 'torch.FloatTensor'
    with pytest.raises(TorchError, match="bad argument #1 to 'maskedFill' "
                       r"\(torch.ByteTensor expected, got torch.FloatTensor\)"):
        f.forward(_float_input(x))


@pytest.mark.parametrize('name', sorted(JACOBIAN_CASES))
def test_clone_type_save_roundtrip(name, tmp_path):
    mk, single, batch = JACOBIAN_CASES[name]
    m = mk()
    x = batch()
    y = rclone(m.forward(x))
    c = m.clone()
    for a, b in zip(leaves(c.forward(x)), leaves(y)):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    path = str(tmp_path / 'm.t7')
    torch.save(path, m)
    loaded = torch.load(path)
    assert type(loaded) is type(m)
    for a, b in zip(leaves(loaded.forward(x)), leaves(y)):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    f = m.clone().float()
    if name in _MASK_BYTE_TENSOR_CAST:
        _assert_mask_cast_fails(f, x)
        return
    yf = f.forward(_float_input(x))
    for a, b in zip(leaves(yf), leaves(y)):
        assert a.typename == 'torch.FloatTensor'
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-5)
    d = f.double()
    for a, b in zip(leaves(d.forward(x)), leaves(y)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-5)


def test_gradient_reversal_and_zero_grad():
    x, g = R(3, 4), R(3, 4, seed=7)
    m = nn.GradientReversal(0.5)
    assert sp(m.forward(x)) == sp(x)
    np.testing.assert_allclose(m.backward(x, g).numpy(), -0.5 * g.numpy())
    m.setLambda(2)
    np.testing.assert_allclose(m.backward(x, g).numpy(), -2 * g.numpy())
    z = nn.ZeroGrad()
    assert sp(z.forward(x)) == sp(x)
    assert not z.backward(x, g).numpy().any()


def test_max_unpooling_inverts_pooling():
    x = R(2, 2, 4, 6)
    p = nn.SpatialMaxPooling(2, 2)
    y = p.forward(x)
    u = nn.SpatialMaxUnpooling(p)
    z = u.forward(y)
    assert list(z.size()) == [2, 2, 4, 6]
    xa = x.numpy().reshape(2, 2, 2, 2, 3, 2).transpose(0, 1, 2, 4, 3, 5).reshape(2, 2, 2, 3, 4)
    mask = xa == xa.max(axis=-1, keepdims=True)
    back = np.where(mask, xa, 0).reshape(2, 2, 2, 3, 2, 2).transpose(0, 1, 2, 4, 3, 5)
    np.testing.assert_array_equal(z.numpy(), back.reshape(2, 2, 4, 6))
    fd_check(u, y.clone())
    vp = nn.VolumetricMaxPooling(2, 2, 2)
    vy = vp.forward(R(1, 2, 4, 4, 2))
    vu = nn.VolumetricMaxUnpooling(vp)
    assert list(vu.forward(vy).size()) == [1, 2, 4, 4, 2]
    fd_check(vu, vy.clone())


def test_fractional_pooling_windows():
    x = R(1, 1, 7, 7)
    m = nn.SpatialFractionalMaxPooling(2, 2, 0.5, 0.5)
    y = m.forward(x)
    assert list(y.size()) == [1, 1, 3, 3]
    xs = x.numpy()[0, 0]
    idx = m.indices.numpy()[0, 0] - 1
    np.testing.assert_array_equal(y.numpy()[0, 0], xs.reshape(-1)[idx])


def test_subtractive_normalization_formula():
    x = R(2, 5, 6)
    k = np.ones((3, 3))
    m = nn.SpatialSubtractiveNormalization(2, T(k.tolist()))
    y = m.forward(x).numpy()
    xp = np.pad(x.numpy(), ((0, 0), (1, 1), (1, 1)))
    sums = sum(xp[:, i:i + 5, j:j + 6] for i in range(3) for j in range(3)).sum(axis=0)
    ones = np.pad(np.ones((5, 6)), 1)
    count = sum(ones[i:i + 5, j:j + 6] for i in range(3) for j in range(3))
    # the kernel is normalised over the planes too: the mean of both planes' windows
    np.testing.assert_allclose(y, x.numpy() - (sums / (2 * count))[None], rtol=1e-12,
                               atol=1e-12)


def test_sparse_linear_matches_dense():
    m = nn.SparseLinear(6, 3, True)
    x = T([[2, 0.5], [5, -1.0], [6, 2.0]])
    dense = np.zeros(6)
    dense[[1, 4, 5]] = [0.5, -1.0, 2.0]
    y = m.forward(x).clone()
    np.testing.assert_allclose(y.numpy(), m.weight.numpy() @ dense + m.bias.numpy())
    g = T([1.0, -2.0, 0.5])
    gv = g.numpy().copy()
    m.zeroGradParameters()
    gi = m.backward(x, g)
    # (SparseLinear.lua's accGradParameters: gradOutput:resize(1, gradOutput:size(1)))
    assert list(g.size()) == [1, 3]
    g = T(gv)
    np.testing.assert_allclose(m.gradWeight.numpy(), np.outer(g.numpy(), dense))
    # SparseLinear.lua's gradInput is dense: a table of one (inputSize x 2) tensor of
    # (index, d loss / d x_index) over every feature, not only the input's non-zeros
    assert isinstance(gi, list) and len(gi) == 1
    np.testing.assert_array_equal(gi[0].numpy()[:, 0], np.arange(1, 7))
    np.testing.assert_allclose(gi[0].numpy()[:, 1], m.weight.numpy().T @ g.numpy())
    # (updateGradInput follows the mode of the last forward, SparseLinear.lua's legacyMode)
    xl = torch.Tensor(2, 3, 2).copy(torch.Tensor(2, 3, 2).fill(1))
    m.forward(xl)
    gib = m.backward(xl, T([[1.0, -2.0, 0.5], [0.0, 1.0, 0.0]]))
    assert list(gib.size()) == [2, 6, 2]
    np.testing.assert_allclose(gib.numpy()[1, :, 1], m.weight.numpy()[1])
    batch = [x, T([[1, 3.0]])]
    yb = m.forward(batch)
    np.testing.assert_allclose(yb.numpy()[0], y.numpy())
    np.testing.assert_allclose(yb.numpy()[1], m.weight.numpy()[:, 0] * 3 + m.bias.numpy())


def test_kmeans_assign_and_update():
    m = nn.Kmeans(2, 2)
    m.weight.numpy()[...] = [[0, 0], [10, 10]]
    x = T([[1, 1], [9, 9], [0, 2], [11, 10]])
    assert list(m.forward(x).numpy()) == [1, 2, 1, 2]
    assert abs(m.loss - (2 + 2 + 4 + 1)) < 1e-12
    m.zeroGradParameters()
    m.backward(x, m.output)
    np.testing.assert_allclose(m.gradWeight.numpy(), [[-0.5, -1.5], [0, 0.5]], rtol=1e-6)
    m.updateParameters(1)
    np.testing.assert_allclose(m.weight.numpy(), [[0.5, 1.5], [10, 9.5]], rtol=1e-6)


def test_index_linear_matches_dense():
    m = nn.IndexLinear(6, 3)
    m.reset()
    keys = [torch.LongTensor([2, 5]), torch.LongTensor([1])]
    vals = [T([0.5, -1.0]), T([2.0])]
    y = m.forward([keys, vals]).clone()
    dense = np.zeros((2, 6))
    dense[0, [1, 4]] = [0.5, -1.0]
    dense[1, 0] = 2.0
    w = m.weight.numpy().copy()
    np.testing.assert_allclose(y.numpy(), dense @ w + m.bias.numpy())
    flat = m.forward([torch.LongTensor([2, 5, 1]), T([0.5, -1.0, 2.0]), torch.LongTensor([2, 1])])
    np.testing.assert_allclose(flat.numpy(), y.numpy())
    g = T([[1.0, 0, -1], [0.5, 2, 0]])
    m.zeroGradParameters()
    m.forward([keys, vals])
    m.backward([keys, vals], g)
    b = m.bias.numpy().copy()
    m.updateParameters(0.1)
    np.testing.assert_allclose(m.weight.numpy(), w - 0.1 * dense.T @ g.numpy())
    np.testing.assert_allclose(m.bias.numpy(), b - 0.1 * g.numpy().sum(axis=0))


def test_convert_layouts():
    x = R(2, 3, 4, 5)
    y = nn.Convert('bchw', 'bhwc').forward(x)
    np.testing.assert_array_equal(y.numpy(), x.numpy().transpose(0, 2, 3, 1))
    fd_check(nn.Convert('bchw', 'bhwc'), x)
    f = nn.Convert('bchw', 'bf')
    np.testing.assert_array_equal(f.forward(x).numpy(), x.numpy().reshape(2, -1))
    fd_check(nn.Convert('chw', 'bf'), R(3, 2, 2))
    assert list(nn.Convert('chw', 'bf').forward(R(3, 2, 2)).size()) == [12]


# ---- bad input: Torch7's error text, and the module stays usable ---------------------------------

BAD_INPUT = [
    (lambda: nn.PReLU(3), lambda: R(2, 4), 'Wrong number of input planes. Expected 3 but got 4.',
     lambda: R(2, 3)),
    (lambda: nn.SpatialFullConvolution(2, 3, 3, 3), lambda: R(4, 4),
     "bad argument #2 to 'v' (3D or 4D input tensor expected but got: [4 x 4])",  # THNN_ARGCHECK
     lambda: R(2, 4, 4)),
    (lambda: nn.SpatialDilatedConvolution(2, 3, 3, 3, 1, 1, 0, 0, 2, 2), lambda: R(2, 4, 4),
     'Output size is too small', lambda: R(2, 6, 6)),
    # VolumetricConvolutionMM takes nInputPlane from the input: TH's addmm of the weight
    # (3 x 2*2*2*2) and the unfolded input (3*2*2*2 x 3*3*3) reports the mismatch
    (lambda: nn.VolumetricConvolution(2, 3, 2, 2, 2), lambda: R(3, 4, 4, 4),
     'size mismatch, m1: [3 x 16], m2: [24 x 27]', lambda: R(2, 4, 4, 4)),
    (lambda: nn.TemporalConvolution(3, 4, 5), lambda: R(3, 3),
     'input sequence smaller than kernel size. Got: 3, Expected: 5', lambda: R(6, 3)),
    (lambda: nn.TemporalConvolution(3, 4, 2), lambda: R(6, 2),
     'invalid input frame size. Got: 2, Expected: 3', lambda: R(6, 3)),
    # (a 3-d input: its Lua's input:size(dims-2) fails first on a 2-d one)
    (lambda: nn.VolumetricMaxPooling(2, 2, 2), lambda: R(4, 4, 4),
     '4D or 5D (batch mode) tensor expected for input', lambda: R(1, 4, 4, 4)),
    (lambda: nn.SpatialZeroPadding(1), lambda: R(4, 4), 'input must be 3 or 4-dimensional',
     lambda: R(1, 4, 4)),
    (lambda: nn.SpatialReflectionPadding(4), lambda: R(1, 3, 3),
     'Padding size should be less than the corresponding input dimension',
     lambda: R(1, 5, 5)),
    (lambda: nn.Normalize(2), lambda: R(2, 3, 4), 'only 1d layer supported', lambda: R(2, 3)),
]


@pytest.mark.parametrize('case', range(len(BAD_INPUT)))
def test_bad_input_errors(case):
    mk, bad, text, good = BAD_INPUT[case]
    m = mk()
    with pytest.raises(torch.TorchError) as err:
        m.forward(bad())
    assert text in str(err.value)
    x = good()
    y = m.forward(x)
    m.backward(x, y.clone())


def test_bad_targets():
    with pytest.raises(torch.TorchError, match='target out of range'):
        nn.MultiMarginCriterion().forward(R(2, 3), torch.LongTensor([1, 4]))
    with pytest.raises(torch.TorchError, match='index out of range'):
        nn.Index(1).forward([R(3, 2), torch.LongTensor([4])])
    # THNN's THAssert(cur_target >= 0 && cur_target < n_classes)
    with pytest.raises(torch.TorchError, match='cur_target >= 0 && cur_target < n_classes'):
        nn.SpatialClassNLLCriterion().forward(R(1, 2, 2, 2), torch.LongTensor([[[1, 3], [1, 1]]]))


def test_bilinear_weight_gradient_ignores_scale():
    """Torch7's Bilinear scales only the bias gradient (kept for parity)."""
    m = nn.Bilinear(3, 2, 4)
    x = [R(5, 3), R(5, 2, seed=4)]
    g = R(5, 4, seed=6)
    m.zeroGradParameters()
    m.forward(x)
    m.backward(x, g, 0.5)
    want = np.einsum('bk,bi,bj->kij', g.numpy(), x[0].numpy(), x[1].numpy())
    np.testing.assert_allclose(m.gradWeight.numpy(), want)
    np.testing.assert_allclose(m.gradBias.numpy(), 0.5 * g.numpy().sum(axis=0))
    with pytest.raises(AssertionError):
        m.accGradParameters(x, g, -1)


@pytest.mark.parametrize('name', sorted(JACOBIAN_CASES))
def test_float_forward_backward(name):
    """float() modules run forward and backward on FloatTensors, close to the double result."""
    mk, single, batch = JACOBIAN_CASES[name]
    m = mk()
    x = batch()
    y = rclone(m.forward(x))
    g = _rand_like(y, np.random.RandomState(3))
    m.zeroGradParameters()
    gi = rclone(m.backward(x, g))
    f = m.clone().float()
    if name in _MASK_BYTE_TENSOR_CAST:
        _assert_mask_cast_fails(f, x)
        return
    f.zeroGradParameters()
    yf = f.forward(_float_input(x))
    gif = f.backward(_float_input(x), _float_input(g))
    for a, b in zip(leaves(yf) + leaves(gif), leaves(y) + leaves(gi)):
        if b.typename == 'torch.DoubleTensor':
            assert a.typename == 'torch.FloatTensor', name
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-3, atol=1e-4)


OTHER_MODULES = {
    'WhiteNoise': (lambda: _evaluated(nn.WhiteNoise(0.5, 0.1)), lambda: R(3, 4)),
    'OneHot': (lambda: nn.OneHot(5), lambda: torch.LongTensor([1, 5, 2])),
    'Constant': (lambda: nn.Constant(T([1, 2]), 1), lambda: R(3, 4)),
    'Kmeans': (lambda: nn.Kmeans(3, 4), lambda: R(5, 4)),
    'SparseLinear': (lambda: nn.SparseLinear(6, 3), lambda: T([[2, 0.5], [5, -1.0]])),
    'IndexLinear': (lambda: _reset(nn.IndexLinear(6, 3)), lambda: [[torch.LongTensor([2, 5])],
                                                                  [T([0.5, -1.0])]]),
    'MaskedSelect': (lambda: nn.MaskedSelect(), lambda: [R(3, 4), torch.ByteTensor(3, 4).fill(1)]),
    'ZipTable': (lambda: nn.ZipTable(), lambda: [[R(2), R(3)], [R(2), R(3)]]),
    'CriterionTable': (lambda: nn.CriterionTable(nn.MSECriterion()), lambda: [R(3), R(3, seed=4)]),
    'SpatialMaxUnpooling': (lambda: _unpool(), lambda: R(1, 2, 2, 3)),
    'ZeroGrad': (lambda: nn.ZeroGrad(), lambda: R(3)),
    'GPU': (lambda: nn.GPU(nn.Linear(3, 2), 1), lambda: R(3)),
    'NaN': (lambda: nn.NaN(nn.Linear(3, 2)), lambda: R(3)),
    'DontCast': (lambda: nn.DontCast(nn.Linear(3, 2).float(), True), lambda: R(3)),
}


def _unpool():
    p = nn.SpatialMaxPooling(2, 2)
    p.forward(R(1, 2, 4, 6))
    return nn.SpatialMaxUnpooling(p)


def _values(y):
    return [a.numpy().copy() for a in leaves(y)] if not isinstance(y, (int, float)) else [y]


@pytest.mark.parametrize('name', sorted(OTHER_MODULES))
def test_other_modules_save_load_clone(name, tmp_path):
    mk, inp = OTHER_MODULES[name]
    m = mk()
    x = inp()
    y = _values(m.forward(x))
    path = str(tmp_path / 'm.t7')
    torch.save(path, m)
    for other in (torch.load(path), m.clone()):
        assert type(other) is type(m)
        for a, b in zip(_values(other.forward(x)), y):
            np.testing.assert_array_equal(a, b)


def test_nan_module_reports():
    m = nn.NaN(nn.Log(), 7)
    assert str(m) == 'nn.NaN(7) @ nn.Log'
    with pytest.raises(RuntimeError, match='NaN found in output of module'):
        m.forward(T([-1.0, 1.0]))
    with pytest.raises(RuntimeError, match='NaN found in input of module'):
        m.forward(T([math.nan, 1.0]))
    assert m.forward(T([1.0, 2.0])).numpy()[0] == 0


@pytest.mark.parametrize('mk', [nn.CSubTable, nn.CMulTable, nn.CDivTable, nn.CMaxTable,
                                nn.CMinTable, nn.DotProduct, nn.CosineDistance,
                                nn.PairwiseDistance])
def test_table_size_mismatch(mk):
    m = mk()
    with pytest.raises(torch.TorchError, match='inconsistent tensor size'):
        m.forward([R(3, 4), R(2, 4)])
    x = [R(3, 4), R(3, 4, seed=5)]
    m.forward(x)


def test_cmul_clear_state_and_type_drop_its_buffers():
    # CMul.lua: clearState empties (nn.utils.clear: tensor:set()) _input, _output, _weight,
    # _gradWeight, _expand, _repeat, _sum; type(t) calls clearState first
    import torch7py as torch
    from torch7py import nn
    m = nn.CMul(3)
    x = torch.randn(4, 3)
    m.forward(x)
    m.backward(x, torch.randn(4, 3))
    assert m._output.nElement() == 12
    m.clearState()
    for k in ('_input', '_output', '_weight', '_gradWeight', '_expand', '_repeat', '_sum'):
        t = m.__dict__.get(k)
        assert t is None or t.nElement() == 0, k
    m.forward(x)
    m.backward(x, torch.randn(4, 3))
    assert m._output.nElement() == 12
    m.type('torch.FloatTensor')
    assert isinstance(m._output, torch.FloatTensor) and m._output.nElement() == 0
    assert isinstance(m.weight, torch.FloatTensor)
