"""Tests of the issue-4 nn layers: golden keys, numpy references, finite differences, bad input."""
import math

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.tensor import TorchError

from golden import assert_case, assert_golden, golden
from nncase import central_diff, det, dot, leaves, live, mkgrad, rclone, run, sfill, sp


# ---- nn_linear ----------------------------------------------------------------------------------

def test_parity_nn_linear():
    r = {}
    lin = nn.Linear(3, 4)
    r['linear_1d'] = run(lin, det(1, 0.9, 0.1, 3), 1)
    r['linear_2d'] = run(lin, det(1, 0.45, 0.2, 5, 3), 2)
    lin.backward(det(1, 0.45, 0.2, 5, 3), det(0.3, 0.6, 0, 5, 4), 0.5)
    r['linear_2d_accumulated'] = [lin.gradWeight.clone(), lin.gradBias.clone()]
    nb = nn.Linear(3, 2, False)
    r['linear_nobias_1d'] = run(nb, det(1, 1.3, 0.4, 3), 3)
    r['linear_nobias_2d'] = run(nb, det(1, 0.8, 0.9, 4, 3), 4)
    r['linear_nobias_nparams'] = len(nb.parameters()[0])
    r['mulconstant'] = run(nn.MulConstant(-2.5), det(1, 0.27, 0.4, 3, 4), 18)
    r['addconstant'] = run(nn.AddConstant(1.25), det(1, 0.27, 0.4, 3, 4), 19)
    mc = nn.MulConstant(4, True)
    x = det(1, 0.61, 0.1, 2, 3)
    y = mc.forward(x)
    r['mulconstant_ip_output_is_input'] = sp(y) == sp(x)
    r['mulconstant_ip_input_after_forward'] = x.clone()
    gy = det(1, 0.3, 0, 2, 3)
    gi = mc.backward(x, gy)
    r['mulconstant_ip_input_after_backward'] = x.clone()
    r['mulconstant_ip_gradInput'] = gi.clone()
    r['mulconstant_ip_gradOutput_modified'] = gy.clone()
    ac = nn.AddConstant(-3, True)
    x2 = det(1, 0.61, 0.1, 4)
    ac.forward(x2)
    r['addconstant_ip_input_after_forward'] = x2.clone()
    ac.backward(x2, det(1, 0.3, 0, 4))
    r['addconstant_ip_input_after_backward'] = x2.clone()
    ident = nn.Identity()
    xi = det(1, 0.5, 0, 3)
    r['identity_output_is_input'] = ident.forward(xi) is xi
    r['identity_gradInput_is_gradOutput'] = ident.backward(xi, xi) is xi
    r['identity_table'] = run(ident, [det(1, 0.5, 0, 2), det(1, 0.3, 1, 3)], 20)
    assert_case('nn_linear', r)


# ---- nn_conv2d ----------------------------------------------------------------------------------

def test_parity_nn_conv2d():
    r = {}
    x3 = det(1, 0.37, 0.2, 2, 6, 5)
    x4 = det(1, 0.23, 1.1, 2, 2, 6, 5)
    c = nn.SpatialConvolution(2, 3, 3, 3)
    r['conv_3d'] = run(c, x3, 1)
    r['conv_4d'] = run(c, x4, 2)
    r['conv_weight_size'] = list(c.weight._size)
    cs = nn.SpatialConvolution(2, 2, 3, 2, 2, 1, 1, 2)
    r['conv_stride_pad_3d'] = run(cs, x3, 3)
    r['conv_stride_pad_4d'] = run(cs, x4, 4)
    cn = nn.SpatialConvolution(2, 2, 2, 2, 1, 1).noBias()
    r['conv_nobias_4d'] = run(cn, x4, 5)
    r['conv_nobias_nparams'] = len(cn.parameters()[0])
    cf = nn.SpatialConvolution(2, 1, 2, 2, 3, 3)
    r['conv_floor_3d'] = run(cf, x3, 6)
    cs.zeroGradParameters()
    cs.forward(x4)
    r['conv_scale_gradInput'] = cs.backward(x4, mkgrad(cs.output, 4), 0.25).clone()
    r['conv_scale_gradWeight'] = cs.gradWeight.clone()
    mm = nn.SpatialConvolutionMM(2, 3, 3, 3)
    r['convmm_3d'] = run(mm, x3, 1)
    r['convmm_4d'] = run(mm, x4, 2)
    r['convmm_weight_size'] = list(mm.weight._size)
    mms = nn.SpatialConvolutionMM(2, 2, 2, 3, 1, 2, 1, 0)
    r['convmm_stride_pad_4d'] = run(mms, x4, 7)
    ref = nn.SpatialConvolution(2, 2, 2, 3, 1, 2, 1, 0)
    ref.weight.copy(mms.weight)
    ref.bias.copy(mms.bias)
    r['convmm_max_diff'] = float(np.abs(ref.forward(x4).numpy() - mms.forward(x4).numpy()).max())
    gold = golden('nn_conv2d')
    for k, v in r.items():
        if k == 'convmm_max_diff':
            assert v <= 1e-12
            continue
        assert_golden(v, gold[k], 'nn_conv2d.' + k)


# ---- nn_pooling ---------------------------------------------------------------------------------

def test_parity_nn_pooling():
    r = {}
    x3 = det(1, 0.71, 0.2, 2, 7, 6)
    x4 = det(1, 0.53, 1.1, 2, 2, 7, 6)
    plateau = torch.Tensor([[[1, 1, 2, 2, 0], [1, 1, 2, 2, 0], [3, 3, 3, 0, 0],
                             [3, 3, 3, 0, 5]]])
    m = nn.SpatialMaxPooling(2, 2, 2, 2)
    r['maxpool_3d'] = run(m, x3, 1)
    r['maxpool_indices_type'] = m.indices.typename
    r['maxpool_indices'] = m.indices.clone()
    r['maxpool_4d'] = run(m, x4, 2)
    r['maxpool_overlap'] = run(nn.SpatialMaxPooling(3, 3, 1, 1), x3, 3)
    r['maxpool_stride_pad'] = run(nn.SpatialMaxPooling(3, 2, 2, 2, 1, 1), x4, 4)
    mc = nn.SpatialMaxPooling(2, 2, 2, 2).ceil()
    r['maxpool_ceil_3d'] = run(mc, x3, 5)
    r['maxpool_ceil_4d'] = run(mc, x4, 6)
    r['maxpool_ceil_pad'] = run(nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1).ceil(), x3, 7)
    r['maxpool_ceil_then_floor'] = run(nn.SpatialMaxPooling(2, 2, 2, 2).ceil().floor(), x3, 8)
    mt = nn.SpatialMaxPooling(2, 2, 1, 1)
    r['maxpool_ties'] = run(mt, plateau.clone(), 9)
    r['maxpool_ties_indices'] = mt.indices.clone()
    A = nn.SpatialAveragePooling
    r['avgpool_3d'] = run(A(2, 2, 2, 2), x3, 11)
    r['avgpool_4d'] = run(A(3, 2, 1, 2), x4, 12)
    r['avgpool_pad_include'] = run(A(3, 3, 2, 2, 1, 1), x3, 13)
    r['avgpool_pad_exclude'] = run(A(3, 3, 2, 2, 1, 1).setCountExcludePad(), x3, 14)
    r['avgpool_pad_reinclude'] = run(
        A(3, 3, 2, 2, 1, 1).setCountExcludePad().setCountIncludePad(), x3, 15)
    r['avgpool_ceil'] = run(A(2, 2, 2, 2).ceil(), x3, 16)
    r['avgpool_ceil_pad_exclude'] = run(A(3, 3, 2, 2, 1, 1).ceil().setCountExcludePad(), x4, 17)
    r['avgpool_ceil_pad_include'] = run(A(3, 3, 2, 2, 1, 1).ceil(), x4, 18)
    a = A(2, 2)
    r['avgpool_default_count_include_pad'] = str(a.count_include_pad).lower()
    r['avgpool_default_divide'] = str(a.divide).lower()
    assert_case('nn_pooling', r)


# ---- nn_batchnorm -------------------------------------------------------------------------------

def test_parity_nn_batchnorm():
    r = {}
    bn = nn.BatchNormalization(3)
    steps = []
    for s in range(1, 4):
        x = det(1 + s, 0.37 + 0.1 * s, 0.3 * s, 5, 3).add(s - 2)
        res = run(bn, x, s)
        res['running_mean'] = bn.running_mean.clone()
        res['running_var'] = bn.running_var.clone()
        res['save_mean'] = bn.save_mean.clone()
        res['save_std'] = bn.save_std.clone()
        steps.append(res)
    r['bn_train_steps'] = steps
    bn.evaluate()
    r['bn_eval'] = run(bn, det(2, 0.81, 0.4, 4, 3), 4)
    r['bn_eval_running_mean_unchanged'] = bn.running_mean.clone()
    r['bn_eval_single'] = run(bn, det(2, 0.81, 0.4, 3), 5)
    bn1 = nn.BatchNormalization(3)
    bn1.running_mean.copy(torch.Tensor([0.5, -0.5, 1]))
    bn1.running_var.copy(torch.Tensor([2, 0.5, 1]))
    r['bn_train_batch1'] = run(bn1, det(1, 0.9, 0.1, 1, 3), 18)
    r['bn_train_batch1_running'] = [bn1.running_mean.clone(), bn1.running_var.clone(),
                                    str(bn1.train).lower()]
    bn2 = nn.BatchNormalization(3)
    with pytest.raises(TorchError):
        bn2.forward(det(1, 1, 1, 3))
    r['bn_train_1d_ok'] = False

    bn = nn.BatchNormalization(4, 1e-3, 0.5, False)
    r['bn_noaffine_params'] = bn.parameters()[0] is None
    x = det(3, 0.29, 0.1, 6, 4)
    r['bn_noaffine'] = run(bn, x, 6)
    r['bn_noaffine_running'] = [bn.running_mean.clone(), bn.running_var.clone()]
    bn2 = nn.BatchNormalization(4, 1e-3, 0.5)
    r['bn_mom_eps'] = run(bn2, x, 7)
    r['bn_mom_eps_running'] = [bn2.running_mean.clone(), bn2.running_var.clone()]
    fresh = nn.BatchNormalization(2)
    r['bn_fresh'] = [fresh.bias.clone(), fresh.running_mean.clone(), fresh.running_var.clone(),
                     fresh.eps, fresh.momentum]

    sbn = nn.SpatialBatchNormalization(2)
    steps = []
    for s in range(1, 4):
        x = det(1.5, 0.23 + 0.07 * s, 0.5 * s, 3, 2, 3, 2).add(0.5 * s)
        res = run(sbn, x, 10 + s)
        res['running_mean'] = sbn.running_mean.clone()
        res['running_var'] = sbn.running_var.clone()
        steps.append(res)
    r['sbn_train_steps'] = steps
    sbn.evaluate()
    r['sbn_eval'] = run(sbn, det(1, 0.61, 0.2, 2, 2, 3, 2), 14)
    r['sbn_eval_3d'] = run(sbn, det(1, 0.61, 0.2, 2, 3, 2), 15)
    sna = nn.SpatialBatchNormalization(3, 1e-5, 0.2, False)
    r['sbn_noaffine'] = run(sna, det(2, 0.47, 0.9, 2, 3, 2, 2), 16)
    r['sbn_noaffine_running'] = [sna.running_mean.clone(), sna.running_var.clone()]

    bn = nn.BatchNormalization(2)
    bn.running_mean.copy(torch.Tensor([0.5, -1]))
    bn.running_var.copy(torch.Tensor([4, 0.25]))
    bn.evaluate()
    r['bn_eval_backward'] = run(bn, torch.Tensor([[1, 2], [3, -4], [0, 0]]), 17)
    assert_case('nn_batchnorm', r)


# ---- nn_dropout ---------------------------------------------------------------------------------

def test_parity_nn_dropout():
    r = {}
    x = det(1, 0.37, 0.2, 3, 5).add(2)
    gy = det(1, 0.53, 1.1, 3, 5)

    def fb(m, seed, inp=None):
        inp = inp if inp is not None else x.clone()
        torch.manualSeed(seed)
        y = m.forward(inp).clone()
        nxt = torch.uniform()
        gi = m.backward(inp, gy.clone()).clone()
        return {'output': y, 'gradInput': gi, 'next_uniform': nxt,
                'noise': m.noise.clone() if m.noise.nElement() > 0 else 'empty'}

    r['v2_train'] = fb(nn.Dropout(0.3), 11)
    r['v1_train'] = fb(nn.Dropout(0.3, True), 11)
    r['p0_train'] = fb(nn.Dropout(0), 12)
    d = nn.Dropout(0.5)
    torch.manualSeed(13)
    m1 = d.forward(x).clone()
    m2 = d.forward(x).clone()
    r['two_masks'] = [m1, m2]
    d2, d1 = nn.Dropout(0.3), nn.Dropout(0.3, True)
    d2.evaluate()
    d1.evaluate()
    r['v2_eval'] = fb(d2, 14)
    r['v1_eval'] = fb(d1, 14)
    d = nn.Dropout(0.4, False, False, True)
    d.evaluate()
    r['stochastic_eval'] = fb(d, 15)
    d = nn.Dropout(0.5, False, True)
    inp = x.clone()
    torch.manualSeed(16)
    y = d.forward(inp)
    r['inplace_input_after'] = inp.clone()
    r['inplace_shares'] = sp(y) == sp(inp)
    g = gy.clone()
    gi = d.backward(inp, g)
    r['inplace_grad_shares'] = sp(gi) == sp(g)
    r['inplace_gradOutput_after'] = g.clone()
    d = nn.Dropout(0.5)
    d.setp(0.1)
    r['setp'] = fb(d, 17)
    r['setp_tostring'] = str(d)
    assert_case('nn_dropout', r)


# ---- nn_activations (the modules of this issue) ------------------------------------------------

KINKS = [-3, -1, -0.5, 0, 0.5, 1, 3, 6, 7, -0.1, 0.1, 20, -20, 0.25]


def test_parity_nn_activations():
    r = {}
    kinks = torch.Tensor(KINKS)
    xb = det(2.5, 0.43, 0.3, 3, 5)

    def both(name, mk):
        r[name] = run(mk(), kinks.clone(), 1)
        r[name + '_batch'] = run(mk(), xb.clone(), 2)

    both('tanh', nn.Tanh)
    both('sigmoid', nn.Sigmoid)
    both('relu', nn.ReLU)
    both('hardtanh', nn.HardTanh)
    both('hardtanh_range', lambda: nn.HardTanh(-0.5, 3))
    both('threshold', lambda: nn.Threshold(0.5, -2))
    both('threshold_default', nn.Threshold)

    def inplace(name, m):
        x = kinks.clone()
        y = m.forward(x)
        r[name + '_output_shares_input'] = sp(y) == sp(x)
        r[name + '_input_after'] = x.clone()
        g = mkgrad(y, 9)
        gi = m.backward(x, g)
        r[name + '_gradInput'] = gi.clone()
        r[name + '_gradInput_shares_gradOutput'] = sp(gi) == sp(g)

    inplace('relu_ip', nn.ReLU(True))
    inplace('hardtanh_ip', nn.HardTanh(-1, 1, True))
    inplace('threshold_ip', nn.Threshold(0, 0, True))
    x = kinks.clone()
    r['relu_not_inplace_shares'] = sp(nn.ReLU().forward(x)) == sp(x)
    assert_case('nn_activations', r)


# ---- nn_shape (the modules of this issue) -------------------------------------------------------

def test_parity_nn_shape():
    r = {}
    r['reshape'] = live(nn.Reshape(3, 2), det(1, 0.4, 0, 6), 1)
    r['reshape_batch_auto'] = live(nn.Reshape(3, 2), det(1, 0.4, 0, 4, 6), 2)
    r['reshape_batch_forced'] = live(nn.Reshape(6, True), det(1, 0.4, 0, 1, 2, 3), 3)
    r['reshape_noncontig'] = live(nn.Reshape(6), det(1, 0.4, 0, 3, 2).t(), 4)
    r['view_plain'] = live(nn.View(2, 3), det(1, 0.3, 0.5, 6), 5)
    r['view_infer'] = live(nn.View(-1, 2), det(1, 0.3, 0.5, 3, 4), 6)
    r['view_batch'] = live(nn.View(6), det(1, 0.3, 0.5, 4, 2, 3), 7)
    r['view_numinputdims'] = live(nn.View(6).setNumInputDims(2), det(1, 0.3, 0.5, 4, 2, 3), 8)
    r['view_numinputdims_nobatch'] = live(nn.View(6).setNumInputDims(2),
                                          det(1, 0.3, 0.5, 2, 3), 9)
    r['view_neg_batch'] = live(nn.View(-1).setNumInputDims(3), det(1, 0.3, 0.5, 2, 2, 3, 2), 10)
    with pytest.raises(TorchError):
        nn.View(6).forward(det(1, 1, 1, 3, 2).t())
    r['view_noncontig_ok'] = False
    r['transpose'] = live(nn.Transpose((1, 2)), det(1, 0.3, 0.5, 2, 3), 11)
    r['transpose_multi'] = live(nn.Transpose((1, 2), (2, 3)), det(1, 0.3, 0.5, 2, 3, 4), 12)
    r['transpose_numinputdims'] = live(nn.Transpose((1, 2)).setNumInputDims(2),
                                       det(1, 0.3, 0.5, 5, 2, 3), 13)
    r['narrow'] = live(nn.Narrow(1, 2, 3), det(1, 0.3, 0.5, 5, 2), 20)
    r['narrow_neglen'] = live(nn.Narrow(2, 2, -2), det(1, 0.3, 0.5, 3, 6), 21)
    r['narrow_negoffset'] = live(nn.Narrow(2, -2, 2), det(1, 0.3, 0.5, 3, 6), 22)
    r['narrow_negdim'] = live(nn.Narrow(-1, 3, 2), det(1, 0.3, 0.5, 2, 3, 5), 23)
    r['select'] = live(nn.Select(1, 2), det(1, 0.3, 0.5, 3, 4), 24)
    r['select_neg'] = live(nn.Select(-1, -1), det(1, 0.3, 0.5, 2, 3, 4), 25)
    r['padding_after'] = live(nn.Padding(1, 2), det(1, 0.3, 0.5, 3), 31)
    r['padding_before'] = live(nn.Padding(1, -2), det(1, 0.3, 0.5, 3), 32)
    r['padding_value'] = live(nn.Padding(2, 1, 2, -7), det(1, 0.3, 0.5, 4, 2, 3), 33)
    r['padding_index'] = live(nn.Padding(1, 2, 1, 9, 2), det(1, 0.3, 0.5, 4), 34)
    r['padding_neg_index'] = live(nn.Padding(1, -1, 1, 5, 3), det(1, 0.3, 0.5, 4), 35)
    r['contiguous_on_contig'] = live(nn.Contiguous(), det(1, 0.3, 0.5, 2, 3), 36)
    r['contiguous_on_noncontig'] = live(nn.Contiguous(), det(1, 0.3, 0.5, 2, 3).t(), 37)
    c = nn.Copy('torch.DoubleTensor', 'torch.FloatTensor')
    x = det(1, 0.3, 0.5, 2, 3)
    r['copy_output'] = c.forward(x).clone()
    r['copy_gradInput'] = c.backward(x, sfill(torch.FloatTensor(2, 3), 1, 0.4, 0)).clone()
    c2 = nn.Copy('torch.DoubleTensor', 'torch.DoubleTensor')
    r['copy_same_type_aliases'] = sp(c2.forward(x)) == sp(x)
    c3 = nn.Copy('torch.DoubleTensor', 'torch.DoubleTensor', True)
    r['copy_forced_aliases'] = sp(c3.forward(x)) == sp(x)
    assert_case('nn_shape', r)


# ---- nn_table (the modules of this issue) -------------------------------------------------------

def test_parity_nn_table():
    r = {}
    r['join_1'] = run(nn.JoinTable(1), [det(1, 0.4, 0, 2), det(1, 0.5, 1, 3)], 12)
    r['join_2'] = run(nn.JoinTable(2), [det(1, 0.4, 0, 2, 2), det(1, 0.5, 1, 2, 3)], 13)
    r['join_ninput_batch'] = run(nn.JoinTable(1, 1), [det(1, 0.4, 0, 3, 2),
                                                      det(1, 0.5, 1, 3, 1)], 14)
    r['join_ninput_nobatch'] = run(nn.JoinTable(1, 1), [det(1, 0.4, 0, 2), det(1, 0.5, 1, 1)], 15)
    r['join_neg'] = run(nn.JoinTable(-1), [det(1, 0.4, 0, 2, 2), det(1, 0.5, 1, 2, 1)], 16)
    r['split_1'] = run(nn.SplitTable(1), det(1, 0.3, 0.2, 3, 2), 17)
    r['split_2'] = run(nn.SplitTable(2), det(1, 0.3, 0.2, 2, 3, 2), 18)
    r['split_ninput_batch'] = run(nn.SplitTable(1, 2), det(1, 0.3, 0.2, 4, 2, 3), 19)
    r['split_neg'] = run(nn.SplitTable(-1), det(1, 0.3, 0.2, 2, 3), 20)
    s = nn.SplitTable(1)
    x = det(1, 0.3, 0.2, 3, 2)
    out = s.forward(x)
    r['split_outputs_are_views'] = sp(out[1]) == sp(x)
    r['split_output_offsets'] = [t.storageOffset() for t in out]
    nested = [det(1, 0.4, 0, 2), [det(1, 0.5, 1, 3), det(1, 0.6, 2, 1)], det(1, 0.7, 3, 2, 2)]
    r['select_1'] = run(nn.SelectTable(1), nested, 21)
    r['select_nested'] = run(nn.SelectTable(2), nested, 22)
    r['select_neg'] = run(nn.SelectTable(-1), nested, 23)
    assert_case('nn_table', r)


# ---- nn_lookup ----------------------------------------------------------------------------------

def test_parity_nn_lookup():
    r = {}

    def mk(*args):
        lt = nn.LookupTable(*args)
        sfill(lt.weight, 1.5, 0.47, 0.3)
        lt.zeroGradParameters()
        return lt

    def fb(lt, idx, seed, scale=None):
        y = lt.forward(idx).clone()
        gy = mkgrad(y, seed)
        gi = lt.backward(idx, gy, scale)
        return {'output': y, 'gradInput': gi.clone(), 'gradInput_type': gi.typename,
                'gradWeight': lt.gradWeight.clone()}

    L = torch.LongTensor
    lt = mk(6, 3)
    r['lookup_1d'] = fb(lt, L([2, 5, 2, 1]), 1)
    r['lookup_1d_accum'] = fb(lt, L([6, 2]), 2, 0.5)
    lt.zeroGradParameters()
    r['lookup_2d'] = fb(lt, L([[1, 3, 3], [6, 6, 2]]), 3)
    lt.zeroGradParameters()
    r['lookup_double_idx'] = fb(lt, torch.Tensor([4, 4, 1]), 4)
    r['lookup_weight_untouched'] = lt.weight.clone()
    lt = mk(5, 2, 3)
    r['lookup_pad'] = fb(lt, L([[3, 1, 3], [2, 3, 5]]), 5)
    l2 = mk(5, 2).setPadding(1)
    r['lookup_setpad'] = fb(l2, L([1, 2, 1]), 6)
    lt = mk(5, 3, 0, 1.0)
    r['lookup_maxnorm'] = fb(lt, L([1, 4, 4]), 7)
    r['lookup_maxnorm_weight'] = lt.weight.clone()
    l1 = mk(5, 3, 0, 0.5, 1)
    r['lookup_maxnorm_l1'] = fb(l1, L([[2, 3], [5, 2]]), 8)
    r['lookup_maxnorm_l1_weight'] = l1.weight.clone()
    lt = mk(4, 2).scaleGradByFreq()
    r['lookup_freq'] = fb(lt, L([1, 3, 1, 1, 4]), 9)
    lt = mk(4, 2)
    idx = L([2, 2, 4])
    lt.forward(idx)
    g = torch.Tensor([[1, -1], [0.5, 0.5], [2, 0]])
    lt.updateGradInput(idx, g)
    lt.accUpdateGradParameters(idx, g, 0.1)
    r['lookup_accupdate_weight'] = lt.weight.clone()
    assert_case('nn_lookup', r)


# ---- nn_reset_seed (the modules of this issue) -------------------------------------------------

def test_parity_nn_reset_seed():
    r = {}

    def init(seed, mk):
        torch.manualSeed(seed)
        m = mk()
        params = m.parameters()[0] or []
        return {'params': [p.clone() for p in params], 'next_uniform': torch.uniform()}

    r['linear'] = init(1, lambda: nn.Linear(5, 3))
    r['linear_nobias'] = init(2, lambda: nn.Linear(4, 2, False))
    r['conv'] = init(3, lambda: nn.SpatialConvolution(2, 3, 3, 2))
    r['convmm'] = init(3, lambda: nn.SpatialConvolutionMM(2, 3, 3, 2))
    r['lookup'] = init(15, lambda: nn.LookupTable(4, 3))
    r['bn'] = init(16, lambda: nn.BatchNormalization(4))
    r['sbn'] = init(17, lambda: nn.SpatialBatchNormalization(3))
    lin = nn.Linear(3, 2)
    torch.manualSeed(21)
    lin.reset(0.1)
    r['linear_reset_stdv'] = [lin.weight.clone(), lin.bias.clone()]
    c = nn.SpatialConvolution(1, 2, 2, 2)
    torch.manualSeed(21)
    c.reset(0.1)
    r['conv_reset_stdv'] = [c.weight.clone(), c.bias.clone()]
    lt = nn.LookupTable(3, 2)
    torch.manualSeed(21)
    lt.reset(0.5)
    r['lookup_reset_stdv'] = lt.weight.clone()
    torch.manualSeed(22)
    lin.reset()
    first = lin.weight.clone()
    lin.reset()
    r['linear_reset_twice'] = [first, lin.weight.clone()]
    assert_case('nn_reset_seed', r)


def test_parity_nn_reset_seed_networks():
    r = {}
    torch.manualSeed(30)
    net = nn.Sequential().add(nn.Linear(2, 3)).add(nn.Tanh()).add(nn.Linear(3, 1))
    built = [net.modules[0].weight.clone(), net.modules[2].bias.clone()]
    torch.manualSeed(31)
    net.reset()
    r['seq_built'] = built
    r['seq_reset'] = [net.modules[0].weight.clone(), net.modules[0].bias.clone(),
                      net.modules[2].weight.clone(), net.modules[2].bias.clone()]
    r['seq_reset_next'] = torch.uniform()
    torch.manualSeed(32)
    c = nn.Concat(1).add(nn.Linear(2, 2)).add(nn.Linear(2, 1))
    c.reset(0.2)
    r['concat_reset_stdv'] = [c.modules[0].weight.clone(), c.modules[1].weight.clone(),
                              c.modules[1].bias.clone()]
    torch.manualSeed(40)
    net = nn.Sequential().add(nn.Linear(4, 6)).add(nn.ReLU()).add(nn.Dropout(0.5)).add(
        nn.Linear(6, 2))
    x = torch.randn(3, 4)
    r['seeded_input'] = x.clone()
    r['seeded_forward'] = net.forward(x).clone()
    r['seeded_noise'] = net.modules[2].noise.clone()
    r['seeded_next_normal'] = torch.normal()
    assert_case('nn_reset_seed', r)


# ---- tostring -----------------------------------------------------------------------------------

def test_tostring_layers():
    gold = golden('module_tostring_layers')
    mods = {
        'linear': nn.Linear(3, 4), 'linear_nobias': nn.Linear(3, 4, False),
        'linear_nobias_method': nn.Linear(3, 4).noBias(),
        'mulconstant': nn.MulConstant(2.5), 'addconstant': nn.AddConstant(1.5),
        'identity': nn.Identity(), 'reshape': nn.Reshape(2, 3),
        'reshape_batch': nn.Reshape(2, 3, True), 'view': nn.View(2, -1),
        'view_numinputdims': nn.View(6).setNumInputDims(2),
        'transpose': nn.Transpose((1, 2), (3, 4)), 'narrow': nn.Narrow(1, 2, 3),
        'select': nn.Select(1, 2), 'padding': nn.Padding(1, 2), 'contiguous': nn.Contiguous(),
        'mean': nn.Mean(2), 'sum': nn.Sum(1), 'max': nn.Max(1), 'tanh': nn.Tanh(),
        'sigmoid': nn.Sigmoid(), 'relu': nn.ReLU(), 'relu_inplace': nn.ReLU(True),
        'hardtanh': nn.HardTanh(-2, 2), 'softmax': nn.SoftMax(), 'logsoftmax': nn.LogSoftMax(),
        'threshold': nn.Threshold(0.1, 2), 'dropout': nn.Dropout(0.3),
        'dropout_default': nn.Dropout(), 'conv': nn.SpatialConvolution(3, 8, 5, 5),
        'conv_stride_pad': nn.SpatialConvolution(3, 8, 5, 3, 2, 1, 2, 1),
        'conv_mm': nn.SpatialConvolutionMM(3, 8, 3, 3, 1, 1, 1, 1),
        'maxpool': nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1),
        'maxpool_ceil': nn.SpatialMaxPooling(3, 3, 2, 2).ceil(),
        'lookup': nn.LookupTable(3, 2), 'jointable': nn.JoinTable(1),
        'splittable': nn.SplitTable(1), 'selecttable': nn.SelectTable(-1),
        'caddtable': nn.CAddTable(), 'bn': nn.BatchNormalization(4),
        'sbn': nn.SpatialBatchNormalization(4),
    }
    for k, m in mods.items():
        assert str(m) == gold[k], (k, str(m), gold[k])
        assert repr(m) == gold[k]
    av = gold['avgpool']
    assert str(nn.SpatialAveragePooling(2, 2)) == av
    assert str(nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1)) == gold['avgpool_pad']


# ---- finite-difference gradients in float64 ----------------------------------------------------

R = np.random.RandomState(1234)


def T(*shape, lo=-1.0, hi=1.0):
    return torch.from_numpy(R.uniform(lo, hi, shape))


def fd_check(m, x, eps=1e-6, rtol=1e-6, atol=1e-8, params=True):
    """gradInput and parameter gradients against central differences of sum(y * gy)."""
    y = m.forward(x)
    gy = mkgrad(rclone(y), 3)
    m.zeroGradParameters()
    m.forward(x)
    gi = rclone(m.backward(x, gy))

    def loss():
        return dot(m.forward(x), gy)

    for xt, gt in zip(leaves(x), leaves(gi)):
        np.testing.assert_allclose(gt.numpy(), central_diff(xt.numpy(), loss, eps), rtol=rtol,
                                   atol=atol)
    ps, gs = m.parameters()
    if params and ps:
        m.zeroGradParameters()
        m.forward(x)
        m.backward(x, gy)
        analytic = [g.clone() for g in gs]
        for p, g in zip(ps, analytic):
            np.testing.assert_allclose(g.numpy(), central_diff(p.numpy(), loss, eps), rtol=rtol,
                                       atol=atol)


FD_CASES = {
    'linear_1d': (lambda: nn.Linear(4, 3), lambda: T(4)),
    'linear_2d': (lambda: nn.Linear(4, 3), lambda: T(5, 4)),
    'linear_nobias': (lambda: nn.Linear(4, 3, False), lambda: T(2, 4)),
    'conv_3d': (lambda: nn.SpatialConvolution(2, 3, 3, 2), lambda: T(2, 5, 4)),
    'conv_4d_stride_pad': (lambda: nn.SpatialConvolution(2, 2, 3, 3, 2, 1, 1, 2),
                           lambda: T(2, 2, 5, 4)),
    'convmm_4d': (lambda: nn.SpatialConvolutionMM(2, 3, 2, 3, 1, 2, 1, 0),
                  lambda: T(2, 2, 5, 4)),
    'conv_nobias': (lambda: nn.SpatialConvolution(1, 2, 2, 2).noBias(), lambda: T(1, 3, 3)),
    'maxpool': (lambda: nn.SpatialMaxPooling(2, 2, 2, 2), lambda: T(2, 4, 5)),
    'maxpool_overlap_pad_ceil': (lambda: nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1).ceil(),
                                 lambda: T(2, 2, 6, 5)),
    'avgpool': (lambda: nn.SpatialAveragePooling(2, 3, 1, 2), lambda: T(2, 5, 4)),
    'avgpool_pad_exclude_ceil': (
        lambda: nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1).ceil().setCountExcludePad(),
        lambda: T(2, 2, 6, 5)),
    'bn_train': (lambda: nn.BatchNormalization(3), lambda: T(6, 3)),
    'bn_noaffine': (lambda: nn.BatchNormalization(3, 1e-5, 0.1, False), lambda: T(4, 3)),
    'sbn_train': (lambda: nn.SpatialBatchNormalization(2), lambda: T(3, 2, 2, 3)),
    'tanh': (lambda: nn.Tanh(), lambda: T(3, 4)),
    'sigmoid': (lambda: nn.Sigmoid(), lambda: T(3, 4)),
    'relu': (lambda: nn.ReLU(), lambda: T(3, 4)),
    'threshold': (lambda: nn.Threshold(0.2, -1), lambda: T(3, 4)),
    'hardtanh': (lambda: nn.HardTanh(-0.5, 0.6), lambda: T(3, 4)),
    'softmax_1d': (lambda: nn.SoftMax(), lambda: T(5)),
    'softmax_4d': (lambda: nn.SoftMax(), lambda: T(2, 3, 2, 2)),
    'logsoftmax_2d': (lambda: nn.LogSoftMax(), lambda: T(3, 4)),
    'logsoftmax_3d': (lambda: nn.LogSoftMax(), lambda: T(3, 2, 2)),
    'reshape': (lambda: nn.Reshape(2, 6), lambda: T(3, 4)),
    'view': (lambda: nn.View(-1, 2), lambda: T(3, 4)),
    'transpose': (lambda: nn.Transpose((1, 3)), lambda: T(2, 3, 4)),
    'narrow': (lambda: nn.Narrow(2, 2, 2), lambda: T(3, 4)),
    'select': (lambda: nn.Select(2, -1), lambda: T(3, 4)),
    'padding': (lambda: nn.Padding(2, -2, 2, 3.5, 2), lambda: T(3, 4)),
    'sum': (lambda: nn.Sum(2), lambda: T(3, 4)),
    'mean': (lambda: nn.Mean(-1), lambda: T(2, 3, 4)),
    'max': (lambda: nn.Max(1), lambda: T(3, 4)),
    'mulconstant': (lambda: nn.MulConstant(-1.5), lambda: T(3, 4)),
    'addconstant': (lambda: nn.AddConstant(2), lambda: T(3, 4)),
    'contiguous': (lambda: nn.Contiguous(), lambda: T(3, 4).t()),
    'identity': (lambda: nn.Identity(), lambda: T(3, 4)),
    'jointable': (lambda: nn.JoinTable(2), lambda: [T(2, 3), T(2, 1)]),
    'splittable': (lambda: nn.SplitTable(2), lambda: T(2, 3)),
    'caddtable': (lambda: nn.CAddTable(), lambda: [T(2, 3), T(2, 3), T(2, 3)]),
    'selecttable': (lambda: nn.SelectTable(2), lambda: [T(2), [T(3), T(1)]]),
}


@pytest.mark.parametrize('name', sorted(FD_CASES))
def test_gradients_match_finite_differences(name):
    mk, mkx = FD_CASES[name]
    m = mk()
    fd_check(m, mkx())


def test_dropout_gradient_is_the_mask():
    torch.manualSeed(5)
    d = nn.Dropout(0.4)
    x = T(4, 5)
    y = d.forward(x)
    mask = d.noise.numpy()
    assert set(np.unique(mask)) <= {0.0, 1 / 0.6}
    np.testing.assert_allclose(y.numpy(), x.numpy() * mask)
    gy = T(4, 5)
    np.testing.assert_allclose(d.backward(x, gy).numpy(), gy.numpy() * mask)


def test_lookup_gradient_is_a_scatter_add():
    lt = nn.LookupTable(5, 3)
    idx = torch.LongTensor([[1, 3, 3], [5, 1, 2]])
    lt.zeroGradParameters()
    y = lt.forward(idx)
    np.testing.assert_array_equal(y.numpy(), lt.weight.numpy()[idx.numpy() - 1])
    gy = T(2, 3, 3)
    lt.backward(idx, gy, 2.0)
    ref = np.zeros((5, 3))
    np.add.at(ref, idx.numpy().ravel() - 1, 2.0 * gy.numpy().reshape(-1, 3))
    np.testing.assert_allclose(lt.gradWeight.numpy(), ref)


# ---- independent numpy references ---------------------------------------------------------------

def ref_conv(x, w, b, dH, dW, padH, padW):
    """Direct convolution: x (N, C, H, W), w (O, C, kH, kW)."""
    N, C, H, W = x.shape
    O, _, kH, kW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padH, padH), (padW, padW)))
    oH = (H + 2 * padH - kH) // dH + 1
    oW = (W + 2 * padW - kW) // dW + 1
    y = np.zeros((N, O, oH, oW))
    for i in range(oH):
        for j in range(oW):
            patch = xp[:, :, i * dH:i * dH + kH, j * dW:j * dW + kW]
            y[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return y + (0 if b is None else b[None, :, None, None])


@pytest.mark.parametrize('args', [(3, 4, 3, 3, 1, 1, 0, 0), (2, 5, 5, 3, 2, 1, 2, 1),
                                  (1, 2, 1, 1, 3, 2, 0, 0)])
def test_conv_matches_direct_formula(args):
    nIn, nOut, kW, kH, dW, dH, padW, padH = args
    c = nn.SpatialConvolution(*args)
    mm = nn.SpatialConvolutionMM(*args)
    mm.weight.copy(c.weight)
    mm.bias.copy(c.bias)
    x = T(3, nIn, 9, 8)
    ref = ref_conv(x.numpy(), c.weight.numpy(), c.bias.numpy(), dH, dW, padH, padW)
    np.testing.assert_allclose(c.forward(x).numpy(), ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mm.forward(x).numpy(), ref, rtol=1e-12, atol=1e-12)
    single = c.forward(x[2]).numpy().copy()
    np.testing.assert_allclose(single, ref[1], rtol=1e-12, atol=1e-12)


def ref_pool(x, kH, kW, dH, dW, padH, padW, ceil, op):
    N, C, H, W = x.shape

    def osz(n, k, d, p):
        o = (math.ceil if ceil else math.floor)((n + 2 * p - k) / d) + 1
        if ceil and (o - 1) * d >= n + p:
            o -= 1
        return o
    oH, oW = osz(H, kH, dH, padH), osz(W, kW, dW, padW)
    y = np.zeros((N, C, oH, oW))
    idx = np.zeros((N, C, oH, oW), dtype=np.int64)
    for i in range(oH):
        for j in range(oW):
            h0, w0 = i * dH - padH, j * dW - padW
            h1, w1 = min(h0 + kH, H + padH), min(w0 + kW, W + padW)
            size = (h1 - h0) * (w1 - w0)
            hs, ws, he, we = max(h0, 0), max(w0, 0), min(h1, H), min(w1, W)
            win = x[:, :, hs:he, ws:we].reshape(N, C, -1)
            if op == 'max':
                k = win.argmax(axis=2)
                y[:, :, i, j] = win.max(axis=2)
                idx[:, :, i, j] = (hs + k // (we - ws)) * W + ws + k % (we - ws) + 1
            else:
                y[:, :, i, j] = win.sum(axis=2) / (size if op == 'avg_in' else win.shape[2])
    return y, idx


@pytest.mark.parametrize('geom', [(2, 2, 2, 2, 0, 0, False), (3, 3, 2, 2, 1, 1, True),
                                  (3, 2, 1, 2, 1, 0, False), (2, 3, 3, 2, 0, 1, True)])
def test_pooling_matches_direct_formula(geom):
    kW, kH, dW, dH, padW, padH, ceil = geom
    x = T(2, 3, 7, 6)
    mp = nn.SpatialMaxPooling(kW, kH, dW, dH, padW, padH)
    if ceil:
        mp.ceil()
    y, idx = ref_pool(x.numpy(), kH, kW, dH, dW, padH, padW, ceil, 'max')
    np.testing.assert_array_equal(mp.forward(x).numpy(), y)
    np.testing.assert_array_equal(mp.indices.numpy(), idx)
    for include in (True, False):
        ap = nn.SpatialAveragePooling(kW, kH, dW, dH, padW, padH)
        if ceil:
            ap.ceil()
        if not include:
            ap.setCountExcludePad()
        y, _ = ref_pool(x.numpy(), kH, kW, dH, dW, padH, padW, ceil,
                        'avg_in' if include else 'avg_ex')
        np.testing.assert_allclose(ap.forward(x).numpy(), y, rtol=1e-12)


def test_batchnorm_matches_formula_and_running_stats():
    bn = nn.BatchNormalization(3, 1e-5, 0.3)
    x = T(8, 3)
    a = x.numpy()
    w, b = bn.weight.numpy().copy(), bn.bias.numpy().copy()
    y = bn.forward(x).numpy()
    mu, var = a.mean(0), a.var(0)
    np.testing.assert_allclose(y, (a - mu) / np.sqrt(var + 1e-5) * w + b, rtol=1e-10)
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.3 * mu, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.numpy(), 0.7 + 0.3 * a.var(0, ddof=1), rtol=1e-12)
    bn.evaluate()
    y = bn.forward(x).numpy()
    rm, rv = bn.running_mean.numpy(), bn.running_var.numpy()
    np.testing.assert_allclose(y, (a - rm) / np.sqrt(rv + 1e-5) * w + b, rtol=1e-10)


def test_activation_formulas():
    x = T(4, 5, lo=-3, hi=3)
    a = x.numpy()
    np.testing.assert_allclose(nn.Tanh().forward(x).numpy(), np.tanh(a), rtol=1e-14)
    np.testing.assert_allclose(nn.Sigmoid().forward(x).numpy(), 1 / (1 + np.exp(-a)),
                               rtol=1e-14)
    np.testing.assert_array_equal(nn.ReLU().forward(x).numpy(), np.maximum(a, 0))
    np.testing.assert_array_equal(nn.HardTanh().forward(x).numpy(), np.clip(a, -1, 1))
    sm = np.exp(a) / np.exp(a).sum(1, keepdims=True)
    np.testing.assert_allclose(nn.SoftMax().forward(x).numpy(), sm, rtol=1e-13)
    np.testing.assert_allclose(nn.LogSoftMax().forward(x).numpy(), np.log(sm), rtol=1e-12)
    big = torch.Tensor([1000, 0, -1000])
    np.testing.assert_allclose(nn.LogSoftMax().forward(big).numpy(), [0, -1000, -2000])
    np.testing.assert_allclose(nn.Sigmoid().forward(big).numpy(), [1, 0.5, 0])


def test_outputs_are_reused_buffers():
    lin = nn.Linear(3, 2)
    y1 = lin.forward(T(4, 3))
    data = y1.storage()
    y2 = lin.forward(T(4, 3))
    assert y1 is y2 and y2.storage() is data
    c = nn.SpatialConvolution(1, 2, 2, 2)
    o1 = c.forward(T(2, 1, 4, 4))
    o2 = c.forward(T(2, 1, 4, 4))
    assert o1 is o2
    g1 = c.backward(T(2, 1, 4, 4), T(2, 2, 3, 3))
    assert g1 is c.gradInput


def test_float_modules_match_double():
    torch.manualSeed(3)
    net = nn.Sequential().add(nn.SpatialConvolution(1, 2, 3, 3, 1, 1, 1, 1)).add(
        nn.SpatialBatchNormalization(2)).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2)).add(
        nn.View(8)).add(nn.Linear(8, 3)).add(nn.LogSoftMax())
    x = T(2, 1, 4, 4)
    yd = net.forward(x).numpy().copy()
    gd = net.backward(x, T(2, 3)).numpy().copy()
    net.float()
    xf = x.float()
    yf = net.forward(xf)
    assert yf.typename == 'torch.FloatTensor'
    np.testing.assert_allclose(yf.numpy(), yd, rtol=1e-4, atol=1e-5)
    gy = torch.from_numpy(np.zeros((2, 3), dtype=np.float32))
    assert net.backward(xf, gy).typename == 'torch.FloatTensor'
    assert gd.shape == (2, 1, 4, 4)


# ---- bad input ----------------------------------------------------------------------------------

def test_linear_size_mismatch_names_both_sizes_and_leaves_module_usable():
    lin = nn.Linear(3, 2)
    w = lin.weight.clone()
    with pytest.raises(TorchError, match=r'size mismatch.*\[5 x 4\].*\[3 x 2\]'):
        lin.forward(T(5, 4))
    with pytest.raises(TorchError, match=r'size mismatch.*\[2 x 3\].*\[4\]'):
        lin.forward(T(4))
    with pytest.raises(TorchError):
        lin.forward(T(2, 3, 3))
    np.testing.assert_array_equal(lin.weight.numpy(), w.numpy())
    assert lin.forward(T(5, 3))._size == (5, 2)


def test_conv_and_pooling_bad_input():
    c = nn.SpatialConvolution(3, 2, 3, 3)
    w = c.weight.clone()
    with pytest.raises(TorchError, match='3D or 4D'):
        c.forward(T(3, 5))
    with pytest.raises(TorchError, match=r'\[2 x 5 x 5\]'):
        c.forward(T(2, 5, 5))
    with pytest.raises(TorchError, match='too small'):
        c.forward(T(3, 2, 2))
    np.testing.assert_array_equal(c.weight.numpy(), w.numpy())
    assert c.forward(T(3, 5, 5))._size == (2, 3, 3)
    # THNN's shape check: planes, then height, then width (scripts/err_conv_pool.out)
    with pytest.raises(TorchError, match=r'^Need gradOutput of dimension 3 and '
                       r'gradOutput.size\[1\] == 3 but got gradOutput to be of shape: '
                       r'\[2 x 4 x 4\]$'):
        c.backward(T(3, 5, 5), T(2, 4, 4))
    with pytest.raises(TorchError, match='pad should be smaller'):
        nn.SpatialMaxPooling(2, 2, 2, 2, 2, 2).forward(T(1, 4, 4))
    with pytest.raises(TorchError):
        nn.Tanh().float().forward(T(3))


def test_shape_bad_input():
    with pytest.raises(TorchError, match='do not match'):
        nn.View(5).forward(T(3, 4))
    with pytest.raises(TorchError):
        nn.Narrow(1, 3, 3).forward(T(4))
    with pytest.raises(TorchError):
        nn.Select(1, 5).forward(T(4, 2))
    with pytest.raises(TorchError):
        nn.JoinTable(1).forward([T(2, 3), T(2, 4)])
    with pytest.raises(TorchError):
        nn.SelectTable(3).forward([T(1), T(1)])
    with pytest.raises(TorchError):
        nn.LookupTable(3, 2).forward(torch.LongTensor([1, 4]))
    with pytest.raises(TorchError):
        nn.Dropout(1.0)
    with pytest.raises(TorchError):
        nn.Threshold(0, 1, True)


# ---- fields: defaults from Lua nils, files of older Torch7 versions, clearState ---------------

def test_nil_arguments_take_defaults():
    assert nn.Threshold(None, None, True).threshold == 1e-6
    h = nn.HardTanh(None, None)
    assert (h.min_val, h.max_val) == (-1, 1)
    assert nn.Sum(None).dimension == 1 and nn.Max(None).dimension == 1
    assert nn.Narrow(1, 2, None).length == 1
    p = nn.Padding(1, 2, None, None, None)
    assert (p.value, p.index) == (0, 1)
    c = nn.SpatialConvolution(1, 2, 3, 3, None, None, None, None)
    assert (c.dW, c.dH, c.padW, c.padH) == (1, 1, 0, 0)
    assert nn.Linear(2, 3, None).__dict__.get('bias') is not None
    bn = nn.BatchNormalization(3, None, None, None)
    assert (bn.eps, bn.momentum, bn.affine) == (1e-5, 0.1, True)


def test_modules_saved_by_older_versions():
    d = nn.Dropout(0.5)
    for k in ('v2', 'inplace', 'stochastic_inference'):
        del d.__dict__[k]
    torch.manualSeed(1)
    x = torch.Tensor(50).fill(1)
    y = d.forward(x).numpy()
    assert set(np.unique(y)) <= {0.0, 1.0}  # v1: no rescaling in training
    d.evaluate()
    np.testing.assert_allclose(d.forward(x).numpy(), 0.5)
    c = nn.SpatialConvolution(1, 1, 3, 3, 1, 1, 1, 1)
    del c.__dict__['padW'], c.__dict__['padH']
    c.padding = 1
    assert c.forward(T(1, 4, 4))._size == (1, 4, 4) and 'padding' not in c.__dict__
    m = nn.SpatialMaxPooling(2, 2)
    for k in ('ceil_mode', 'padW', 'padH'):
        del m.__dict__[k]
    assert m.forward(T(1, 5, 5))._size == (1, 2, 2)
    t = nn.Threshold(0, 0)
    del t.__dict__['inplace']
    assert t.forward(torch.Tensor([-1, 2])).numpy().tolist() == [0, 2]
    cat = nn.CAddTable()
    del cat.__dict__['inplace']
    assert cat.forward([torch.Tensor([1]), torch.Tensor([2])]).numpy().tolist() == [3]


def test_clear_state_empties_buffers():
    lin = nn.Linear(3, 2)
    lin.forward(T(4, 3))
    assert lin.addBuffer.nElement() == 4
    lin.clearState()
    assert lin.addBuffer.nElement() == 0 and lin.output.nElement() == 0
    c = nn.SpatialConvolution(1, 2, 2, 2)
    c.forward(T(1, 3, 3))
    c.clearState()
    assert c.finput.nElement() == 0 and c.fgradInput.nElement() == 0
    x = T(3)
    i = nn.Identity()
    i.forward(x)
    i.clearState()
    assert i.output is not x and x.nElement() == 3
    mx = nn.Max(1)
    mx.forward(T(3, 2))
    mx.clearState()
    assert mx._indices.nElement() == 0


def test_shared_linear_backward_update_steps_the_weight_once():
    lin = nn.Linear(2, 2)
    other = lin.clone('weight', 'bias')
    x, gy = T(3, 2), T(3, 2)
    w0 = lin.weight.numpy().copy()
    other.forward(x)
    other.backwardUpdate(x, gy, 0.1)
    np.testing.assert_allclose(lin.weight.numpy(), w0 - 0.1 * gy.numpy().T @ x.numpy())


def test_nan_follows_thnn():
    nan = float('nan')
    # THNN (nn 8726825) keeps `val > maxval` from -THInf: a NaN is never a window's max, and
    # a window of NaNs alone gives -DBL_MAX with index 0
    m = nn.SpatialMaxPooling(3, 1)
    y = m.forward(torch.Tensor([[[nan, 5, nan, 1, 2, 0, nan, nan, nan]]]))
    assert y.numpy().tolist() == [[[5, 2, -np.finfo(np.float64).max]]]
    assert m.indices.numpy().tolist() == [[[2, 5, 0]]]
    x = torch.Tensor([nan, -1, 2])
    assert nn.ReLU().forward(x).numpy().tolist() == [0, 0, 2]
    g = nn.ReLU().backward(x, torch.Tensor([1, 1, 1]))
    assert g.numpy().tolist() == [0, 0, 1]
    xi = x.clone()
    assert np.isnan(nn.ReLU(True).forward(xi).numpy()[0])


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
def test_select_scalar_is_bit_exact(dtype):
    from torch7py.nn._kernels import select_scalar
    a = np.array([np.nan, -np.inf, np.inf, -0.0, 0.0, 1.5, -2, 3], dtype=dtype)
    out = np.empty_like(a)
    for val in (0, -2.5, 7):
        keep = a > 0.5
        select_scalar(keep, a, val, out)
        ref = np.where(keep, a, dtype(val))
        assert out.tobytes() == ref.tobytes()
    b = R.standard_normal((6, 8)).astype(dtype)[:, ::2]
    o = np.empty((6, 8), dtype)[:, 1::2]
    select_scalar(b > 0, b, -1.0, o)
    np.testing.assert_array_equal(o, np.where(b > 0, b, dtype(-1)))
    relu = nn.ReLU().forward(torch.Tensor([-0.0, -3.0, 2.0])).numpy()
    assert not np.signbit(relu).any()


def test_batchnorm_read_converts_running_std_of_version_1():
    bn = nn.BatchNormalization(2)
    old = bn.__dict__.copy()
    del old['running_var']
    old['running_std'] = torch.Tensor([2, 0.5])
    fresh = nn.BatchNormalization.__new__(nn.BatchNormalization)
    fresh._t7_read(old, 1)
    assert 'running_std' not in fresh.__dict__
    np.testing.assert_allclose(fresh.running_var.numpy(), [0.25 - 1e-5, 4 - 1e-5])


def test_max_unpooling_restores_an_odd_input_size():
    # SpatialMaxPooling records the input size (iheight/iwidth) as Torch7 does, so unpooling
    # gives back a 5x7 plane even though 2x2 windows with stride 2 do not tile it.
    pool = nn.SpatialMaxPooling(2, 2, 2, 2)
    unpool = nn.SpatialMaxUnpooling(pool)
    x = torch.Tensor(1, 5, 7)
    x.numpy()[...] = np.arange(35).reshape(1, 5, 7)
    y = pool.forward(x)
    z = unpool.forward(y)
    assert list(z._size) == [1, 5, 7]
    expected = np.zeros((1, 5, 7))
    for i in range(2):
        for j in range(3):
            expected[0, 2 * i + 1, 2 * j + 1] = x.numpy()[0, 2 * i + 1, 2 * j + 1]
    np.testing.assert_array_equal(z.numpy(), expected)


def test_fractional_max_pooling_skips_nan_as_thnn():
    # THNN's VolumetricFractionalMaxPooling keeps `val > maxVal` from -THInf: a NaN is passed
    # over, and a window with nothing above -THInf fails its assertion
    from torch7py.nn._fractional import gather_max
    x = np.array([np.nan, 3.0, np.nan, 1.0, 2.0, 2.0]).reshape(1, 1, 6)
    starts = [np.array([[[0, 3]]])]
    best, pos = gather_max(x, starts, [3])
    assert best.tolist() == [[[3.0, 2.0]]] and pos.tolist() == [[[2, 5]]]
    with pytest.raises(torch.TorchError, match="Assertion `maxVal != -THInf' failed"):
        gather_max(np.full((1, 1, 3), np.nan), [np.array([[[0]]])], [3])


def test_temporal_and_volumetric_fractional_max_pooling_skip_nan_as_thnn():
    # TemporalMaxPooling.c: maxval = -THInf, maxindex = -1, `val > maxval`; indices 0-based
    nan = float('nan')
    m = nn.TemporalMaxPooling(3)
    x = torch.Tensor([[nan], [4], [nan], [nan], [nan], [nan]])
    y = m.forward(x)
    assert y.numpy().ravel().tolist() == [4, -np.finfo(np.float64).max]
    assert m.indices.numpy().ravel().tolist() == [1, -1]
    g = m.backward(x, torch.Tensor([[1], [2]]))
    # index -1 of the second window lands one frame before it, as THNN's pointer does
    assert g.numpy().ravel().tolist() == [0, 1, 2, 0, 0, 0]
    from torch7py.nn.volumetric_fractional_max_pooling import fractional_pool
    xv = np.array([[nan, 2.0, nan, 1.0]])
    vals, idx = np.empty((1, 2)), np.empty((1, 2), np.int64)
    fractional_pool(xv, [np.array([[0, 2]])], [2], vals, idx)
    assert vals.tolist() == [[2.0, 1.0]] and idx.tolist() == [[2, 4]]
