"""Tests of nn.Module (module.py, utils.py): hand ports of the parity cases seed_*, getparams_*,
clone_*, module_* checked key by key against the goldens recorded on Torch7."""
import copy
import os

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn

from golden import assert_case as check
from nncase import T, det, sfill


def need(*names):
    for n in names:
        if not hasattr(nn, n):
            pytest.skip('nn.%s not available yet' % n)


# ---- helpers mirroring the cases' Lua helpers ----------------------------------------------------

def sp(t):
    return t.storage()


def same_storage(a, b):
    return a.storage() is b.storage()


def clone_t(t):
    return t.clone()


def types(lst):
    return [m.typename for m in lst]


# ---- unit behaviour of Module --------------------------------------------------------------------

def test_fields_are_torch7_names():
    m = nn.Module()
    assert set(m.__dict__) == {'output', 'gradInput', '_type'}
    assert m._type == 'torch.DoubleTensor'
    assert m.parameters() == (None, None)
    assert str(m) == 'nn.Module' and repr(m) == 'nn.Module'


def test_forward_is_call_and_returns_own_buffer():
    need('Linear')
    lin = nn.Linear(3, 2)
    x = T([1.0, 2.0, 3.0])
    y1 = lin(x)
    expect = lin.weight.numpy() @ x.numpy() + lin.bias.numpy()
    np.testing.assert_allclose(y1.numpy(), expect)
    y2 = lin.forward(T([0.0, 0.0, 0.0]))
    assert y1 is y2 is lin.output
    out, gin = lin(x, T([1.0, -1.0]))
    assert out is lin.output and gin is lin.gradInput


def test_cuda_raises_clear_error():
    m = nn.Module()
    with pytest.raises(RuntimeError, match='GPU'):
        m.cuda()
    with pytest.raises(RuntimeError, match='GPU'):
        m.type('torch.CudaTensor')
    assert m.type() == 'torch.DoubleTensor'


def test_flatten_empty_and_none():
    assert nn.Module.flatten([]).nElement() == 0
    assert nn.Module.flatten(None).nElement() == 0


def test_flatten_keeps_sharing_and_compacts_holes():
    big = torch.Tensor(10)
    big.numpy()[...] = np.arange(1, 11)
    a = big.narrow(1, 2, 3)        # elements 2..4
    b = big.narrow(1, 3, 3)        # overlaps a: 3..5
    c = torch.Tensor(2)
    c.numpy()[...] = [-1, -2]
    flat = nn.Module.flatten([a, b, c])
    # used: 2..5 of big, then c -> 6 elements; holes 1 and 6..10 dropped
    np.testing.assert_array_equal(flat.numpy(), [2, 3, 4, 5, -1, -2])
    assert a.storage() is b.storage() is c.storage() is flat.storage()
    assert (a.storageOffset(), b.storageOffset(), c.storageOffset()) == (1, 2, 5)
    np.testing.assert_array_equal(big.numpy(), np.arange(1, 11))


def test_flatten_noncompact_raises_and_leaves_tensors():
    base = torch.Tensor(3, 4)
    base.numpy()[...] = np.arange(12).reshape(3, 4)
    w = base.narrow(2, 1, 2)
    with pytest.raises(AssertionError, match='not compact'):
        nn.Module.flatten([w])
    assert w.storage() is base.storage()
    np.testing.assert_array_equal(w.numpy(), [[0, 1], [4, 5], [8, 9]])


def test_getparameters_mismatch_error_keeps_values():
    need('Linear')
    l1 = nn.Linear(2, 2)
    l2 = l1.clone('weight', 'bias')
    net = nn.Sequential().add(l1).add(l2)
    w = l1.weight.numpy().copy()
    with pytest.raises(AssertionError, match='sharing parameters and gradParameters'):
        net.getParameters()
    np.testing.assert_array_equal(l1.weight.numpy(), w)
    net.forward(T([[1.0, 2.0]]))


def test_deepcopy_is_clone_and_keeps_internal_sharing():
    need('Linear', 'Tanh')
    l1 = nn.Linear(2, 2)
    l2 = l1.clone('weight', 'bias', 'gradWeight', 'gradBias')
    net = nn.Sequential().add(l1).add(nn.Tanh()).add(l2)
    c = copy.deepcopy(net)
    assert type(c) is nn.Sequential
    assert c.modules[0].weight.storage() is c.modules[2].weight.storage()
    assert c.modules[0].weight.storage() is not l1.weight.storage()
    np.testing.assert_array_equal(c.modules[0].weight.numpy(), l1.weight.numpy())
    assert c.modules[0].shared is True


def test_named_parameters_and_len_iter():
    need('Linear', 'Tanh')
    net = nn.Sequential().add(nn.Linear(2, 3)).add(nn.Tanh()).add(nn.Linear(3, 1, False))
    assert len(net) == 3
    assert [m.typename for m in net] == ['nn.Linear', 'nn.Tanh', 'nn.Linear']
    names = [n for n, _ in net.named_parameters()]
    assert names == ['1.weight', '1.bias', '3.weight']
    assert all(a is b for (_, a), b in zip(net.named_parameters(), net.parameters()[0]))
    assert bool(nn.Sequential()) is True and len(nn.Sequential()) == 0


def test_type_converts_each_storage_once():
    need('Linear')
    lin = nn.Linear(3, 2)
    p, g = lin.getParameters()
    lin.float()
    assert lin.weight.typename == 'torch.FloatTensor'
    assert lin.weight.storage() is lin.bias.storage()
    assert lin.gradWeight.storage() is lin.gradBias.storage()
    assert lin.output.typename == 'torch.FloatTensor'
    np.testing.assert_allclose(lin.weight.numpy(), p.numpy()[:6].reshape(2, 3), rtol=1e-7)


def test_clear_state_keeps_leaf_objects():
    need('Linear')
    lin = nn.Linear(2, 2)
    out = lin.forward(T([1.0, 1.0]))
    assert lin.clearState() is lin
    assert lin.output is out and out.nElement() == 0


# ---- parity cases --------------------------------------------------------------------------------

def _lin(i, o, s, a=0.5, f0=0.4, b=0.3, f1=1.1):
    lin = nn.Linear(i, o)
    sfill(lin.weight, a, f0 + s, s)
    sfill(lin.bias, b, f1 + s, s)
    lin.zeroGradParameters()
    return lin


def test_case_clone_share():
    need('Linear', 'ReLU', 'Tanh')
    r = {}
    a, b = _lin(3, 2, 1), _lin(3, 2, 2)
    wobj = a.weight
    ret = a.share(b, 'weight', 'bias')
    r['share_returns_self'] = ret is a
    r['share_same_tensor_object'] = a.weight is wobj
    r['share_weight_storage'] = same_storage(a.weight, b.weight)
    r['share_bias_storage'] = same_storage(a.bias, b.bias)
    r['share_gradWeight_storage'] = same_storage(a.gradWeight, b.gradWeight)
    r['share_flags'] = [a.__dict__.get('shared') is True, b.__dict__.get('shared') is True]
    r['share_a_weight'] = a.weight.clone()
    b.weight[1][1] = 100
    r['share_write_seen'] = a.weight[1][1]
    nb1, nb2 = nn.Linear(2, 2, False), nn.Linear(2, 2, False)
    nb1.share(nb2, 'bias')
    r['share_missing_field_flag'] = nb1.__dict__.get('shared') is None
    small, large = _lin(2, 3, 3), _lin(4, 5, 4)
    small.share(large, 'weight')
    r['share_resized_weight_size'] = small.weight.size().totable()
    r['share_resized_bias_size'] = small.bias.size().totable()

    n1 = nn.Sequential().add(_lin(2, 3, 5)).add(nn.ReLU()).add(_lin(3, 1, 6))
    n2 = nn.Sequential().add(_lin(2, 3, 7)).add(nn.ReLU()).add(_lin(3, 1, 8))
    n1.share(n2, 'weight', 'bias', 'gradWeight', 'gradBias')
    r['cshare_storages'] = [same_storage(n1.modules[0].weight, n2.modules[0].weight),
                            same_storage(n1.modules[2].bias, n2.modules[2].bias),
                            same_storage(n1.modules[2].gradWeight, n2.modules[2].gradWeight)]
    r['cshare_n1_weight'] = n1.modules[0].weight.clone()
    r['cshare_container_flag'] = n1.__dict__.get('shared') is None

    a = _lin(3, 2, 9)
    x = T([0.5, -1, 2])
    a.forward(x)
    c = a.clone('weight', 'bias')
    r['clone_weight_shared'] = same_storage(c.weight, a.weight)
    r['clone_bias_shared'] = same_storage(c.bias, a.bias)
    r['clone_gradWeight_shared'] = same_storage(c.gradWeight, a.gradWeight)
    r['clone_output_shared'] = same_storage(c.output, a.output)
    r['clone_output_copied'] = c.output.clone()
    r['clone_flags'] = [a.__dict__.get('shared') is True, c.__dict__.get('shared') is True]
    c.bias.fill(1)
    r['clone_bias_write_seen'] = a.bias.clone()
    d = a.clone()
    r['plainclone_shared_flag'] = d.__dict__.get('shared') is True
    r['plainclone_weight_shared'] = same_storage(d.weight, a.weight)
    r['plainclone_type'] = d.typename

    l1 = _lin(2, 2, 10)
    l2 = l1.clone('weight', 'bias', 'gradWeight', 'gradBias')
    t = nn.Tanh()
    net = nn.Sequential().add(l1).add(t).add(l2).add(t)
    c = net.clone()
    r['clone_internal_sharing'] = same_storage(c.modules[0].weight, c.modules[2].weight)
    r['clone_internal_grad_sharing'] = same_storage(c.modules[0].gradBias, c.modules[2].gradBias)
    r['clone_link_to_original'] = same_storage(c.modules[0].weight, l1.weight)
    r['clone_repeated_module'] = c.modules[1] is c.modules[3]
    r['clone_repeated_module_orig'] = net.modules[1] is c.modules[1]
    x = T([[0.3, 0.6], [-0.9, 0.1]])
    r['clone_forward_equal'] = bool(np.array_equal(c.forward(x).numpy(), net.forward(x).numpy()))
    big = torch.Tensor(12)
    big.numpy()[...] = np.arange(1, 13)
    lv = nn.Linear(2, 2)
    lv.weight = big.narrow(1, 5, 4).view(2, 2)
    cl = lv.clone()
    r['clone_view_storage_size'] = cl.weight.storage().size()
    r['clone_view_offset'] = cl.weight.storageOffset()
    r['clone_view_weight'] = cl.weight.clone()

    a = _lin(2, 2, 11)
    b = a.clone('weight', 'bias', 'gradWeight', 'gradBias')
    x = T([1, -2])
    a.forward(x)
    a.backward(x, T([0.5, 0.25]))
    b.forward(x)
    b.backward(x, T([-1, 1]))
    r['clone_acc_grads'] = a.gradWeight.clone()
    a.updateParameters(0.5)
    r['clone_b_after_a_update'] = b.weight.clone()
    check('clone_share', r)


def _glin(i, o, seed):
    lin = nn.Linear(i, o)
    sfill(lin.weight, 0.6, 0.3 * seed, seed)
    sfill(lin.bias, 0.2, 0.7 * seed, seed)
    lin.zeroGradParameters()
    return lin


def test_case_seed_getparams_shared():
    need('Linear', 'ReLU', 'Tanh', 'Sigmoid')
    r = {}
    net = nn.Sequential().add(_glin(3, 2, 1)).add(nn.ReLU()).add(_glin(2, 2, 2))
    p1, g1 = net.getParameters()
    p2, g2 = net.getParameters()
    r['twice_sizes'] = [p1.nElement(), p2.nElement(), g1.nElement(), g2.nElement()]
    r['twice_same_storage'] = same_storage(p1, p2)
    r['twice_values_equal'] = bool(np.array_equal(p1.numpy(), p2.numpy()))
    p1.fill(7)
    r['twice_after_p1_fill_w1'] = net.modules[0].weight.clone()
    p2.fill(3)
    r['twice_after_p2_fill_w1'] = net.modules[0].weight.clone()
    r['twice_p1_after'] = p1.clone()
    r['twice_module_in_p2'] = same_storage(net.modules[2].bias, p2)

    l1 = _glin(2, 3, 3)
    l2 = l1.clone('weight', 'bias', 'gradWeight', 'gradBias')
    l3 = _glin(3, 2, 4)
    outer = nn.Sequential().add(nn.Sequential().add(l1).add(nn.Tanh()).add(l3)).add(l2)
    params, grads = outer.parameters()
    r['shared_num_param_tensors'] = len(params)
    p, g = outer.getParameters()
    r['shared_flat_size'] = p.nElement()
    r['shared_grad_flat_size'] = g.nElement()
    r['shared_still_shared'] = same_storage(l1.weight, outer.modules[1].weight)
    r['shared_offsets'] = [l1.weight.storageOffset(), l1.bias.storageOffset(),
                           l3.weight.storageOffset(), l3.bias.storageOffset(),
                           outer.modules[1].weight.storageOffset(),
                           outer.modules[1].bias.storageOffset()]
    r['shared_l2_in_flat'] = same_storage(l2.weight, p)
    r['shared_flat'] = p.clone()
    g.zero()
    x = T([[0.3, -0.8], [1.2, 0.1]])
    outer.forward(x)
    outer.backward(x, T([[1, -1, 0.5], [0.2, 0.4, -0.6]]))
    r['shared_grad_flat'] = g.clone()
    r['shared_output'] = outer.output.clone()

    a = nn.Sequential().add(_glin(2, 3, 5)).add(nn.Sigmoid())
    b = a.clone('weight', 'bias', 'gradWeight', 'gradBias')
    pa, _ = a.getParameters()
    pb, _ = b.getParameters()
    r['sep_sizes'] = [pa.nElement(), pb.nElement()]
    r['sep_shared'] = same_storage(a.modules[0].weight, b.modules[0].weight)
    pa.fill(0.5)
    r['sep_b_weight_after_fill'] = b.modules[0].weight.clone()
    a2 = nn.Sequential().add(_glin(2, 3, 5)).add(nn.Sigmoid())
    b2 = a2.clone('weight', 'bias', 'gradWeight', 'gradBias')
    cont = nn.Container().add(a2).add(b2)
    pc, _ = cont.getParameters()
    r['cont_size'] = pc.nElement()
    r['cont_shared'] = same_storage(a2.modules[0].weight, b2.modules[0].weight)
    pc.fill(0.5)
    r['cont_b_weight_after_fill'] = b2.modules[0].weight.clone()
    a3 = nn.Sequential().add(_glin(2, 3, 5)).add(nn.Sigmoid())
    b3 = a3.clone('weight', 'bias', 'gradWeight', 'gradBias')
    ps, _ = nn.Sequential().add(a3).add(b3).getParameters()
    r['seqwrap_size'] = ps.nElement()
    r['seqwrap_shared'] = same_storage(a3.modules[0].bias, b3.modules[0].bias)

    def mknet():
        m1 = _glin(2, 2, 6)
        return nn.Sequential().add(m1).add(m1.clone('weight', 'bias'))
    params, _ = mknet().parameters()
    _, grads = mknet().parameters()
    r['mismatch_num_tensors'] = len(params)
    r['mismatch_param_flat_size'] = nn.Module.flatten(params).nElement()
    r['mismatch_grad_flat_size'] = nn.Module.flatten(grads).nElement()
    try:
        mknet().getParameters()
        r['mismatch_ok'] = True
    except AssertionError:
        r['mismatch_ok'] = False
    l5 = _glin(2, 2, 8)
    l6 = l5.clone('weight', 'bias', 'gradWeight', 'gradBias')
    p3, _ = nn.Sequential().add(l5).add(l6).getParameters()
    r['full_share_ok'] = True
    r['full_share_size'] = p3.nElement()
    check('seed_getparams_shared', r)


def test_case_seed_getparams_clone_order():
    need('Linear', 'Tanh')

    def mk():
        net = nn.Sequential().add(nn.Linear(2, 3)).add(nn.Tanh())
        sfill(net.modules[0].weight, 0.5, 0.7, 0.2)
        sfill(net.modules[0].bias, 0.25, 1.9, 0.4)
        return net
    r = {}
    net = mk()
    c = net.clone('weight', 'bias', 'gradWeight', 'gradBias')
    r['s1_shared_before'] = same_storage(net.modules[0].weight, c.modules[0].weight)
    p, g = net.getParameters()
    r['s1_flat_size'] = p.nElement()
    r['s1_grad_flat_size'] = g.nElement()
    p.fill(0)
    r['s1_net_weight'] = net.modules[0].weight.clone()
    r['s1_net_bias'] = net.modules[0].bias.clone()
    r['s1_clone_weight'] = c.modules[0].weight.clone()
    r['s1_clone_bias'] = c.modules[0].bias.clone()
    r['s1_shared_after'] = same_storage(net.modules[0].weight, c.modules[0].weight)
    r['s1_clone_gradw_shared_after'] = same_storage(net.modules[0].gradWeight,
                                                    c.modules[0].gradWeight)
    r['s1_net_weight_in_flat'] = same_storage(net.modules[0].weight, p)
    r['s1_clone_weight_storage_size'] = c.modules[0].weight.storage().size()

    net = mk()
    p, g = net.getParameters()
    c = net.clone('weight', 'bias', 'gradWeight', 'gradBias')
    p.fill(0)
    r['s2_flat_size'] = p.nElement()
    r['s2_net_weight'] = net.modules[0].weight.clone()
    r['s2_clone_weight'] = c.modules[0].weight.clone()
    r['s2_clone_bias'] = c.modules[0].bias.clone()
    r['s2_clone_in_flat'] = same_storage(c.modules[0].weight, p)
    r['s2_clone_bias_in_flat'] = same_storage(c.modules[0].bias, p)
    r['s2_clone_gradw_in_gflat'] = same_storage(c.modules[0].gradWeight, g)
    r['s2_clone_weight_offset'] = c.modules[0].weight.storageOffset()
    r['s2_clone_bias_offset'] = c.modules[0].bias.storageOffset()
    p[7] = 5
    r['s2_clone_bias_after_p7'] = c.modules[0].bias.clone()
    pc, _ = c.getParameters()
    pc.fill(-1)
    r['s2b_net_weight_after_clone_getparams'] = net.modules[0].weight.clone()
    r['s2b_clone_weight'] = c.modules[0].weight.clone()
    r['s2b_shared'] = same_storage(net.modules[0].weight, c.modules[0].weight)

    net = mk()
    p, g = net.getParameters()
    c = net.clone()
    p.fill(0)
    r['s3_net_weight'] = net.modules[0].weight.clone()
    r['s3_clone_weight'] = c.modules[0].weight.clone()
    r['s3_clone_bias'] = c.modules[0].bias.clone()
    r['s3_shared'] = same_storage(net.modules[0].weight, c.modules[0].weight)
    r['s3_clone_weight_bias_same_storage'] = same_storage(c.modules[0].weight, c.modules[0].bias)
    r['s3_clone_storage_size'] = c.modules[0].weight.storage().size()
    r['s3_clone_bias_offset'] = c.modules[0].bias.storageOffset()
    r['s3_clone_grad_same_storage'] = same_storage(c.modules[0].gradWeight,
                                                   c.modules[0].gradBias)
    pc, gc = c.getParameters()
    r['s3_clone_flat'] = pc.clone()
    r['s3_clone_flat_size'] = pc.nElement()

    net = mk()
    p, g = net.getParameters()
    c = net.clone('weight', 'bias')
    r['s4_weight_shared'] = same_storage(c.modules[0].weight, p)
    r['s4_gradw_shared'] = same_storage(c.modules[0].gradWeight, g)
    r['s4_clone_gradw_storage_size'] = c.modules[0].gradWeight.storage().size()
    g.zero()
    c.zeroGradParameters()
    x = T([[0.5, -1.0], [2.0, 0.25]])
    c.forward(x)
    c.backward(x, T([[1, 0, -1], [0.5, 0.5, 0.5]]))
    r['s4_net_grad_flat'] = g.clone()
    r['s4_clone_gradWeight'] = c.modules[0].gradWeight.clone()
    r['s4_clone_gradBias'] = c.modules[0].gradBias.clone()
    check('seed_getparams_clone_order', r)


def _describe(params):
    return [{'size': p.size().totable(), 'stride': p.stride().totable(),
             'offset': p.storageOffset(), 'first': p.storage()[p.storageOffset()]}
            for p in params]


def test_case_getparams_layout_linear_parts():
    need('Linear', 'Tanh', 'ReLU', 'Identity')
    r = {}
    p, g = nn.Tanh().getParameters()
    r['noparam_module'] = [p.nElement(), p.dim(), g.nElement()]
    p2, _ = nn.Sequential().add(nn.ReLU()).add(nn.Identity()).getParameters()
    r['noparam_seq'] = [p2.nElement(), p2.dim()]
    r['noparam_parameters_nil'] = nn.Tanh().parameters()[0] is None
    r['noparam_seq_parameters'] = len(nn.Sequential().add(nn.ReLU()).parameters()[0])

    lin = nn.Linear(2, 3)
    big = torch.Tensor(10)
    big.numpy()[...] = np.arange(1, 11)
    big = big.view(5, 2)
    gbig = torch.Tensor(10)
    gbig.numpy()[...] = -np.arange(1, 11)
    gbig = gbig.view(5, 2)
    lin.weight = big.narrow(1, 2, 3)
    lin.gradWeight = gbig.narrow(1, 2, 3)
    lin.bias.fill(0.5)
    lin.gradBias.fill(-0.5)
    p, g = lin.getParameters()
    r['holes_flat'] = p.clone()
    r['holes_gflat'] = g.clone()
    r['holes_weight_offset'] = lin.weight.storageOffset()
    r['holes_bias_offset'] = lin.bias.storageOffset()
    r['holes_big_untouched'] = big.clone()

    lin = nn.Linear(3, 2)
    w = torch.Tensor(6)
    w.numpy()[...] = np.arange(1, 7)
    lin.weight = w.view(3, 2).t()
    lin.gradWeight = torch.Tensor(3, 2).zero().t()
    lin.bias.numpy()[...] = [10, 20]
    lin.gradBias.zero()
    p, _ = lin.getParameters()
    r['transposed_flat'] = p.clone()
    r['transposed_weight_stride'] = lin.weight.stride().totable()
    r['transposed_weight'] = lin.weight.clone()
    r['transposed_output'] = lin.forward(T([1, 0.5, -1])).clone()

    lin = nn.Linear(2, 3)
    w = torch.Tensor(12)
    w.numpy()[...] = np.arange(1, 13)
    lin.weight = w.view(3, 4).narrow(2, 1, 2)
    lin.gradWeight = torch.Tensor(3, 4).zero().narrow(2, 1, 2)
    try:
        lin.getParameters()
        r['noncompact_ok'] = True
    except AssertionError:
        r['noncompact_ok'] = False
    check('getparams_layout', r)


def _tag(net):
    params, grads = net.parameters()
    for k, (p, g) in enumerate(zip(params, grads), 1):
        n = p.nElement()
        p.numpy()[...] = (k + np.arange(1, n + 1) / 1000).reshape(p.numpy().shape)
        g.numpy()[...] = (-k - np.arange(1, n + 1) / 1000).reshape(g.numpy().shape)
    return params, grads


def test_case_getparams_layout_convbn():
    need('Linear', 'ReLU', 'View', 'SpatialConvolution', 'SpatialBatchNormalization',
         'BatchNormalization')
    net = nn.Sequential()
    net.add(nn.SpatialConvolution(2, 3, 2, 2)).add(nn.SpatialBatchNormalization(3))
    net.add(nn.ReLU()).add(nn.View(-1)).add(nn.Linear(12, 2))
    net.add(nn.BatchNormalization(2, None, None, False))
    params, _ = _tag(net)
    r = {'convbn_num_params': len(params)}
    p, g = net.getParameters()
    r['convbn_flat_size'] = p.nElement()
    r['convbn_after'] = _describe(net.parameters()[0])
    r['convbn_running_mean_in_flat'] = same_storage(net.modules[1].running_mean, p)
    check('getparams_layout', r)


def test_case_getparams_layout_nested():
    need('Linear', 'Tanh', 'CMul', 'Add', 'CAdd', 'Identity', 'Mul', 'PReLU')
    inner = nn.Sequential().add(nn.Linear(4, 2)).add(nn.Tanh()).add(nn.Linear(2, 2, False))
    concat = nn.Concat(1).add(nn.Linear(4, 3)).add(inner)
    ct = nn.ConcatTable().add(nn.Add(5)).add(nn.CAdd(5)).add(nn.Identity())
    pt = nn.ParallelTable().add(nn.Mul()).add(nn.PReLU(5)).add(nn.Sequential())
    net = nn.Sequential().add(concat).add(nn.CMul(5)).add(ct).add(pt)
    params, grads = _tag(net)
    r = {'nested_num_params': len(params), 'nested_before': _describe(params)}
    p, g = net.getParameters()
    r['nested_flat_size'] = p.nElement()
    r['nested_flat'] = p.clone()
    r['nested_gflat'] = g.clone()
    params2, grads2 = net.parameters()
    r['nested_after'] = _describe(params2)
    r['nested_grads_after'] = _describe(grads2)
    r['nested_all_in_flat'] = all(same_storage(a, p) and same_storage(b, g) and a is c
                                  for a, b, c in zip(params2, grads2, params))
    r['flat_meta'] = {'size': p.size().totable(), 'stride': p.stride().totable(),
                      'offset': p.storageOffset(), 'dim': p.dim()}
    check('getparams_layout', r)


def test_case_module_api():
    need('Linear', 'Tanh', 'ReLU', 'Identity', 'CAddTable', 'Sigmoid')

    def mknet():
        inner = nn.Sequential().add(nn.Linear(4, 3)).add(nn.Tanh())
        branch = nn.Concat(1).add(inner).add(nn.Sequential().add(nn.Linear(4, 2)).add(nn.ReLU()))
        net = nn.Sequential()
        net.add(branch).add(nn.Linear(5, 3)).add(nn.Tanh())
        net.add(nn.ConcatTable().add(nn.Identity()).add(nn.Linear(3, 3)))
        net.add(nn.CAddTable())
        return net, inner, branch
    r = {}
    net, _, _ = mknet()
    lst = net.listModules()
    r['list_types'] = types(lst)
    r['list_first_is_self'] = lst[0] is net
    r['list_count'] = len(lst)
    t = nn.Tanh()
    rep = nn.Sequential().add(t).add(nn.Sequential().add(t))
    r['list_repeated'] = types(rep.listModules())
    r['list_leaf'] = types(nn.ReLU().listModules())

    net, inner, branch = mknet()
    nodes, conts = net.findModules('nn.Linear')
    r['find_linear_count'] = len(nodes)
    r['find_linear_container_types'] = types(conts)
    r['find_first_container_is_inner'] = conts[0] is inner
    r['find_second_container_is_net'] = conts[2] is net
    tn, tc = net.findModules('nn.Tanh')
    r['find_tanh'] = [len(tn), tc[0].typename, tc[1].typename]
    sn, sc = net.findModules('nn.Sequential')
    r['find_seq_count'] = len(sn)
    r['find_seq_root_container_is_self'] = sc[0] is net
    cn, cc = net.findModules('nn.Concat')
    r['find_concat'] = [len(cn), cn[0] is branch, cc[0] is net]
    r['find_none'] = len(net.findModules('nn.SpatialConvolution')[0])
    lin = nn.Linear(2, 2)
    holder = nn.Sequential().add(lin)
    _, lc1 = lin.findModules('nn.Linear')
    _, lc2 = lin.findModules('nn.Linear', holder)
    r['find_root_default_container_is_self'] = lc1[0] is lin
    r['find_root_container_arg_used'] = lc2[0] is holder
    _, hc = holder.findModules('nn.Linear', lin)
    r['find_child_container_arg_ignored'] = hc[0] is holder

    net, _, _ = mknet()
    visited = []
    net.apply(lambda m: visited.append(m.typename))
    r['apply_order'] = visited
    k = [0]

    def fill(m):
        if m.__dict__.get('weight') is not None:
            k[0] += 1
            m.weight.fill(k[0])
            m.bias.fill(-k[0])
    net.apply(fill)
    r['apply_filled_last_linear_weight'] = net.modules[3].modules[1].weight.clone()
    r['apply_forward'] = net.forward(T([0.1, 0.2, 0.3, 0.4])).clone()
    net.apply(lambda m: m.evaluate())
    r['apply_train_flags'] = [str(net.train).lower(), str(net.modules[1].train).lower()]

    net, _, _ = mknet()
    calls = []

    def swap(m):
        calls.append(m.typename)
        return nn.ReLU() if m.typename == 'nn.Tanh' else m
    ret = net.replace(swap)
    r['replace_returns_root'] = ret is net
    r['replace_calls'] = calls
    r['replace_types_after'] = types(net.listModules())
    net2, inner2, _ = mknet()
    seen = [0]

    def swap2(m):
        seen[0] += 1
        return nn.Identity() if m is inner2 else m
    net2.replace(swap2)
    r['replace_container_calls'] = seen[0]
    r['replace_container_types'] = types(net2.listModules())

    s = nn.Sequential()
    s.add(nn.Linear(2, 3)).add(nn.Tanh()).add(nn.Linear(3, 1))
    s.insert(nn.ReLU(), 2)
    r['after_insert'] = types(s.modules)
    r['removed_type'] = 'nil' if s.remove(3) is None else 'module'
    r['insert_returns_nil'] = s.insert(nn.Sigmoid()) is None
    r['seq_output_is_last_before_forward'] = s.output is s.modules[3].output
    r['after_remove_insert_end'] = types(s.modules)
    r['removed_last'] = 'nil' if s.remove() is None else 'module'
    r['size_get'] = [s.size(), len(s), s.get(1).typename, s.get(s.size()).typename]
    sfill(s.modules[0].weight, 0.5, 0.9, 0)
    sfill(s.modules[0].bias, 0.1, 1.3, 0)
    sfill(s.modules[2].weight, 0.5, 0.4, 1)
    sfill(s.modules[2].bias, 0.1, 2.3, 0)
    s.zeroGradParameters()
    x = T([[0.5, -0.5], [1, 2]])
    y1 = s(x)
    r['call_output'] = y1.clone()
    y2, gi = s(x, T([[1], [-1]]))
    r['call_same_output_object'] = y1 is y2
    r['call_gradInput'] = gi.clone()
    r['call_gradWeight'] = s.modules[0].gradWeight.clone()
    check('module_api', r)


def test_case_module_state():
    need('Linear', 'BatchNormalization', 'ReLU', 'Dropout')

    def mknet():
        net = nn.Sequential()
        net.add(nn.Linear(3, 4)).add(nn.BatchNormalization(4)).add(nn.ReLU())
        net.add(nn.Dropout(0.5)).add(nn.Linear(4, 2))
        m = net.modules
        sfill(m[0].weight, 0.6, 0.7, 0.1)
        sfill(m[0].bias, 0.2, 1.9, 0.3)
        sfill(m[1].weight, 0.5, 1.1, 2.0)
        m[1].weight.numpy()[...] += 1
        m[1].bias.fill(0.1)
        sfill(m[4].weight, 0.4, 0.3, 0.9)
        sfill(m[4].bias, 0.3, 0.8, 0.0)
        net.zeroGradParameters()
        return net

    def flag(m):
        v = m.__dict__.get('train')
        return 'nil' if v is None else str(v).lower()
    x = det(1.0, 0.61, 0.4, 5, 3)
    gy = det(0.5, 0.33, 1.2, 5, 2)
    r = {}
    net = mknet()
    m = net.modules
    r['flags_fresh'] = [flag(net), flag(m[0]), flag(m[1]), flag(m[3])]
    net.evaluate()
    r['flags_eval'] = [flag(net), flag(m[0]), flag(m[1]), flag(m[3])]
    net.training()
    r['flags_train'] = [flag(net), flag(m[0]), flag(m[3])]

    net = mknet()
    m = net.modules
    torch.manualSeed(123)
    net.training()
    net.forward(x)
    r['train_output'] = net.output.clone()
    r['train_dropout_noise'] = m[3].noise.clone()
    r['bn_running_mean_1'] = m[1].running_mean.clone()
    r['bn_running_var_1'] = m[1].running_var.clone()
    net.evaluate()
    r['eval_output'] = net.forward(x).clone()
    r['eval_running_mean_unchanged'] = m[1].running_mean.clone()
    r['eval_single_sample'] = net.forward(x[2]).clone()

    net = mknet()
    net.evaluate()
    net.forward(x)
    net.backward(x, gy)
    before = net.output.clone()
    lin = net.modules[0]
    out_obj = lin.output
    r['clear_returns_self'] = net.clearState() is net
    m = net.modules
    r['clear_sizes'] = [lin.output.nElement(), lin.gradInput.nElement(), m[4].output.nElement(),
                        m[1].output.nElement(), net.output.nElement(), net.gradInput.nElement()]
    r['clear_keeps_leaf_tensor_object'] = lin.output is out_obj
    ab = lin.__dict__.get('addBuffer')
    r['clear_linear_addBuffer'] = ab.nElement() if ab is not None else -1
    r['clear_weights_kept'] = m[4].weight.clone()
    r['clear_seq_output_is_last'] = net.output is m[4].output
    y = net.forward(x)
    r['clear_refwd_equal'] = bool(np.array_equal(y.numpy(), before.numpy()))
    r['clear_seq_output_is_last_after_fwd'] = net.output is m[4].output

    net = mknet()
    m = net.modules
    net.evaluate()
    net.forward(x)
    net.backward(x, gy)
    r['grad_scale1_w5'] = m[4].gradWeight.clone()
    net.backward(x, gy, 0.5)
    r['grad_accum_scale_half_w5'] = m[4].gradWeight.clone()
    r['grad_accum_bn_weight'] = m[1].gradWeight.clone()
    net.zeroGradParameters()
    r['grad_zeroed'] = [float(m[0].gradWeight.numpy().sum()), float(m[1].gradBias.numpy().sum()),
                        float(m[4].gradBias.numpy().sum())]
    net.backward(x, gy, 2)
    r['grad_scale2_b1'] = m[0].gradBias.clone()
    net.updateParameters(0.1)
    r['upd_w1'] = m[0].weight.clone()
    r['upd_bn_w'] = m[1].weight.clone()
    r['upd_b5'] = m[4].bias.clone()
    net2 = mknet()
    m2 = net2.modules
    net2.evaluate()
    net2.forward(x)
    net2.updateGradInput(x, gy)
    net2.accUpdateGradParameters(x, gy, 0.1)
    r['accupd_w5'] = m2[4].weight.clone()
    r['accupd_b1'] = m2[0].bias.clone()
    r['accupd_bn_w'] = m2[1].weight.clone()
    r['accupd_grad_untouched'] = float(m2[4].gradWeight.numpy().sum())
    check('module_state', r)


def test_case_seed_shared_updates():
    need('Linear', 'Tanh')
    x = T([[0.5, -0.25], [1.5, 0.75], [-1.0, 2.0]])
    gy = T([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]])

    def mk():
        l1 = nn.Linear(2, 2)
        sfill(l1.weight, 0.7, 0.9, 0.3)
        sfill(l1.bias, 0.3, 1.4, 0.1)
        l2 = l1.clone('weight', 'bias', 'gradWeight', 'gradBias')
        net = nn.Sequential().add(l1).add(nn.Tanh()).add(l2)
        net.zeroGradParameters()
        return net, l1, l2
    r = {}
    net, l1, l2 = mk()
    r['flag_shared'] = [l1.__dict__.get('shared') is True, l2.__dict__.get('shared') is True]
    net.forward(x)
    net.backward(x, gy)
    r['upd_grad'] = l1.gradWeight.clone()
    r['upd_gradBias'] = l1.gradBias.clone()
    net.updateParameters(0.1)
    r['upd_weight_after_updateParameters'] = l1.weight.clone()
    r['upd_bias_after_updateParameters'] = l2.bias.clone()
    net2, _, _ = mk()
    p, g = net2.getParameters()
    g.zero()
    net2.forward(x)
    net2.backward(x, gy)
    p.numpy()[...] += -0.1 * g.numpy()
    r['upd_flat_after_step'] = p.clone()

    net, _, _ = mk()
    try:
        net.backwardUpdate(x, gy, 0.05)
        r['bu_without_forward_ok'] = True
    except Exception:
        r['bu_without_forward_ok'] = False
    net2, m1, m2 = mk()
    net2.forward(x)
    gi2 = net2.backwardUpdate(x, gy, 0.05)
    r['bu_gradInput'] = gi2.clone()
    r['bu_weight'] = m1.weight.clone()
    r['bu_bias'] = m2.bias.clone()
    r['bu_gradWeight_untouched'] = m1.gradWeight.clone()

    lin = nn.Linear(2, 2)
    w = T([[1, 2], [3, 4]])
    lin.weight = w
    lin.bias.fill(0)
    w[2][2] = 10
    r['ref_module_weight'] = lin.weight.clone()
    r['ref_module_output'] = lin.forward(T([1, 1])).clone()
    l2 = nn.Linear(2, 2)
    w2 = T([[5, 6], [7, 8]])
    before = l2.weight
    l2.weight.copy(w2)
    w2[1][1] = 0
    r['copy_module_weight'] = l2.weight.clone()
    r['copy_same_object'] = l2.weight is before
    check('seed_shared_updates', r)


def test_case_seed_shared_updates_mul():
    need('Mul')
    a = nn.Mul()
    a.weight[1] = 1.5
    a.gradWeight.zero()
    b = a.clone('weight', 'gradWeight')
    c = nn.Mul()
    c.weight[1] = -0.5
    c.gradWeight.zero()
    net = nn.Sequential().add(a).add(c).add(b)
    xin = T([1, 2, -3])
    net.forward(xin)
    r = {'mul_output': net.output.clone()}
    net.updateGradInput(xin, T([0.5, -1, 0.25]))
    net.accUpdateGradParameters(xin, T([0.5, -1, 0.25]), 0.1)
    r['mul_shared_flags'] = [m.__dict__.get('shared') is True for m in (a, b, c)]
    r['mul_weight_a'] = a.weight[1]
    r['mul_weight_c'] = c.weight[1]
    r['mul_gradWeight_a'] = a.gradWeight[1]
    r['mul_gradWeight_c'] = c.gradWeight[1]
    check('seed_shared_updates', r)


def test_case_seed_forward_aliasing_linear_seq():
    need('Linear', 'Tanh', 'Sigmoid')
    r = {}
    lin = nn.Linear(3, 2)
    sfill(lin.weight, 0.5, 0.9, 0.3)
    sfill(lin.bias, 0.1, 2.0, 0.0)
    lin.zeroGradParameters()
    x1 = det(1.0, 1.1, 0.0, 3)
    x2 = det(1.0, 0.45, 0.6, 4, 3)
    y1 = lin.forward(x1)
    r['lin_y1_before'] = y1.clone()
    g1 = lin.backward(x1, det(1, 0.8, 0.2, 2))
    r['lin_g1_before'] = g1.clone()
    y2 = lin.forward(x2)
    r['lin_same_object'] = y1 is y2
    r['lin_y1_size_after'] = y1.size()
    r['lin_y1_after'] = y1.clone()
    g2 = lin.backward(x2, det(1, 0.3, 0.7, 4, 2))
    r['lin_grad_same_object'] = g1 is g2
    r['lin_g1_after'] = g1.clone()
    r['lin_gradWeight_accumulated'] = lin.gradWeight
    r['lin_gradBias_accumulated'] = lin.gradBias

    seq = nn.Sequential()
    seq.add(nn.Linear(4, 3)).add(nn.Tanh())
    sfill(seq.modules[0].weight, 0.4, 0.61, 0.0)
    sfill(seq.modules[0].bias, 0.3, 1.7, 0.2)
    x1 = det(1, 0.77, 0.1, 4)
    x2 = det(1, 0.21, 0.9, 5, 4)
    y1 = seq.forward(x1)
    keep = y1.clone()
    r['seq_output_is_last_module_output'] = y1 is seq.modules[1].output
    r['seq_y1_before'] = keep
    y2 = seq.forward(x2)
    r['seq_same_object'] = y1 is y2
    r['seq_y1_size_after'] = y1.size()
    r['seq_y1_after'] = y1.clone()
    r['seq_clone_before'] = keep
    y2[1][1] = 42
    r['seq_write_through'] = seq.modules[1].output[1][1]
    seqc = seq.clone()
    y3 = seqc.forward(x1)
    r['seqclone_output_distinct'] = y3 is not y2
    r['seqclone_y3'] = y3
    r['seq_y2_untouched_by_clone'] = y2.size()

    m = nn.Sigmoid()
    a = m.forward(det(1, 0.5, 0, 3))
    b = m.forward(det(2, 0.9, 1, 3))
    r['same_shape_same_object'] = a is b
    r['same_shape_a_now'] = a.clone()
    check('seed_forward_aliasing', r)


def test_case_seed_forward_aliasing_conv():
    need('SpatialConvolution')
    r = {}
    conv = nn.SpatialConvolution(2, 3, 3, 3)
    sfill(conv.weight, 0.3, 0.7, 0.1)
    sfill(conv.bias, 0.2, 1.3, 0.5)
    x1 = det(1.0, 0.37, 0.2, 2, 5, 5)
    x2 = det(0.8, 0.53, 1.1, 4, 2, 5, 5)
    y1 = conv.forward(x1)
    y1copy = y1.clone()
    r['conv_y1_before'] = y1copy
    r['conv_y1_size_before'] = y1.size().totable()
    y2 = conv.forward(x2)
    r['conv_same_object'] = y1 is y2
    r['conv_is_module_output'] = y2 is conv.output
    r['conv_y1_size_after'] = y1.size()
    r['conv_y1_after'] = y1.clone()
    r['conv_y1_equals_y2'] = bool(np.array_equal(y1.numpy(), y2.numpy()))
    r['conv_clone_unchanged'] = y1copy
    r['conv_clone_independent'] = y1copy.storage() is not y1.storage()
    conv.forward(x1)
    r['conv_y2_size_after_refwd'] = y2.size().totable()
    r['conv_y2_after_refwd'] = y2
    check('seed_forward_aliasing', r)


def test_case_clone_type():
    need('Linear', 'Sigmoid', 'Tanh')
    r = {}

    l1 = _lin(3, 3, 1)
    l2 = l1.clone('weight', 'bias', 'gradWeight', 'gradBias')
    net = nn.Sequential().add(l1).add(nn.Sigmoid()).add(l2)
    r['type_before'] = net.type()
    r['float_returns_self'] = net.float() is net
    r['type_after'] = net.type()
    r['float_field_types'] = [l1.weight.typename, l2.bias.typename,
                              net.modules[1].output.typename, net.output.typename]
    r['float_sharing_kept'] = same_storage(l1.weight, l2.weight)
    r['float_grad_sharing_kept'] = same_storage(l1.gradWeight, l2.gradWeight)
    r['float_weight'] = l1.weight.clone()
    xf = torch.FloatTensor([0.1, 0.7, -1.3])
    r['float_output'] = net.forward(xf).clone()
    try:
        net.forward(torch.DoubleTensor([0.1, 0.7, -1.3]))
        r['float_net_double_input_ok'] = True
    except Exception:
        r['float_net_double_input_ok'] = False
    net.double()
    r['double_back_weight'] = l1.weight.clone()
    r['double_back_sharing'] = same_storage(l1.weight, l2.weight)

    a = _lin(2, 2, 2)
    b = a.clone('weight', 'bias')
    a.float()
    b.float()
    r['sep_float_sharing'] = same_storage(a.weight, b.weight)
    c = _lin(2, 2, 3)
    d = c.clone('weight', 'bias')
    cache = {}
    c.type('torch.FloatTensor', cache)
    d.type('torch.FloatTensor', cache)
    r['cache_float_sharing'] = same_storage(c.weight, d.weight)
    r['cache_float_bias_sharing'] = same_storage(c.bias, d.bias)

    net = nn.Sequential().add(_lin(3, 2, 4)).add(nn.Tanh()).add(_lin(2, 2, 5))
    p, _ = net.getParameters()
    net.float()
    m = net.modules
    r['flat_after_float_one_storage'] = same_storage(m[0].weight, m[2].bias)
    r['flat_after_float_offsets'] = [m[0].bias.storageOffset(), m[2].weight.storageOffset(),
                                     m[2].bias.storageOffset()]
    r['flat_old_double_detached'] = same_storage(p, m[0].weight)
    pf, _ = net.getParameters()
    r['flat_float_type'] = pf.typename
    r['flat_float_values'] = pf.clone()

    lin = _lin(2, 3, 6)
    w = lin.weight
    lin.type('torch.DoubleTensor')
    r['same_type_same_object'] = w is lin.weight
    check('clone_type', r)


def test_case_clone_type_crit_conv():
    need('MSECriterion', 'SpatialConvolution')
    r = {}
    crit = nn.MSECriterion().float()
    inp = torch.FloatTensor([1, 2, 3])
    tgt = torch.FloatTensor([1.5, 1, 2])
    r['float_crit_loss'] = crit.forward(inp, tgt)
    r['float_crit_grad'] = crit.backward(inp, tgt).clone()
    conv = nn.SpatialConvolution(1, 2, 2, 2)
    sfill(conv.weight, 0.5, 0.3, 0.0)
    sfill(conv.bias, 0.1, 1.0, 0.0)
    conv.float()
    xin = sfill(torch.FloatTensor(1, 3, 3), 1.0, 0.77, 0.0)
    r['float_conv_output'] = conv.forward(xin).clone()
    r['float_conv_finput_type'] = conv.finput.typename
    check('clone_type', r)


# ---- docs/pitfalls.md: its Python blocks print the text the page shows ---------------------------

def _pitfall_examples():
    import re
    path = os.path.join(os.path.dirname(__file__), '..', 'docs', 'pitfalls.md')
    with open(path) as f:
        text = f.read()
    return re.findall(r'```python\n(.*?)```.*?```text\n(.*?)```', text, re.S)


@pytest.mark.parametrize('index', range(3))
def test_pitfalls_doc(index, capsys):
    examples = _pitfall_examples()
    assert len(examples) == 3
    code, expected = examples[index]
    exec(compile(code, 'pitfalls.md', 'exec'), {})
    assert capsys.readouterr().out == expected


@pytest.mark.parametrize('index', range(3))
def test_pitfalls_doc_lua(index, capsys):
    """The page's Lua blocks, run through torch7py's Lua layer, print the same text."""
    import re
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
    from compat.runtime import LuaRuntime
    path = os.path.join(os.path.dirname(__file__), '..', 'docs', 'pitfalls.md')
    with open(path) as f:
        text = f.read()
    blocks = re.findall(r'```lua\n(.*?)```.*?```text\n(.*?)```', text, re.S)
    assert len(blocks) == 3
    code, expected = blocks[index]
    capsys.readouterr()
    LuaRuntime().execute(code)
    assert capsys.readouterr().out == expected


# ---- Criterion base ------------------------------------------------------------------------------

def test_criterion_base_clone_type_call():
    need('MSECriterion', 'ClassNLLCriterion')
    c = nn.MSECriterion()
    assert isinstance(c, nn.Criterion) and not isinstance(c, nn.Module)
    assert c.output == 0 and c.gradInput.nElement() == 0
    x, t = T([1.0, 2.0, 4.0]), T([0.0, 2.0, 1.0])
    loss, grad = c(x, t)
    assert loss == pytest.approx((1 + 0 + 9) / 3)
    np.testing.assert_allclose(grad.numpy(), 2 * np.array([1.0, 0.0, 3.0]) / 3)
    assert c.output == loss and c.gradInput is grad
    w = torch.Tensor([1.0, 2.0, 3.0])
    nll = nn.ClassNLLCriterion(w)
    d = copy.deepcopy(nll)
    assert type(d) is nn.ClassNLLCriterion and d.weights is not nll.weights
    np.testing.assert_array_equal(d.weights.numpy(), [1, 2, 3])
    assert nll.float() is nll and nll.weights.typename == 'torch.FloatTensor'
    with pytest.raises(AssertionError):
        nll.type()
    with pytest.raises(RuntimeError, match='GPU'):
        nll.cuda()
    assert str(nll) == 'nn.ClassNLLCriterion'


# ---- property: flatten keeps values and sharing, and compacts holes ------------------------------

def _positions(t):
    """(storage identity, absolute 0-based element indices in logical order) of a tensor."""
    idx = np.zeros(t._size, dtype=np.int64) + t._offset
    for d, (n, s) in enumerate(zip(t._size, t._stride)):
        shape = [1] * len(t._size)
        shape[d] = n
        idx = idx + (np.arange(n) * s).reshape(shape)
    return id(t._storage), idx.reshape(-1)


def _random_params(data):
    from hypothesis import strategies as st
    storages = [torch.Tensor(data.draw(st.integers(4, 30))) for _ in range(data.draw(
        st.integers(1, 3)))]
    for k, s in enumerate(storages):
        s.numpy()[...] = np.arange(s.nElement()) + 100 * k
    params = []
    for _ in range(data.draw(st.integers(1, 4))):
        base = storages[data.draw(st.integers(0, len(storages) - 1))]
        n = base.nElement()
        kind = data.draw(st.sampled_from(['narrow', 'matrix', 'transposed', 'whole', 'gappy']))
        if kind == 'whole':
            params.append(base)
            continue
        first = data.draw(st.integers(1, n - 3))
        if kind == 'narrow':
            params.append(base.narrow(1, first, data.draw(st.integers(1, n - first + 1))))
            continue
        rows = data.draw(st.integers(1, 3))
        cols = data.draw(st.integers(1, 3))
        if first - 1 + rows * cols > n:
            rows, cols = 1, 1
        m = base.narrow(1, first, rows * cols).view(rows, cols)
        if kind == 'gappy' and rows > 1 and cols > 1:
            m = m.narrow(2, 1, cols - 1)      # rows with a gap: not compact
        params.append(m.t() if kind == 'transposed' else m)
    return params


def test_flatten_property():
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=150, deadline=None)
    @given(st.data())
    def check_one(data):
        params = _random_params(data)
        values = [p.numpy().copy() for p in params]
        strides = [p.stride().totable() for p in params]
        before = [_positions(p) for p in params]
        # a view without self-overlap is compact when it covers a contiguous range
        compact = all(idx.max() - idx.min() + 1 == idx.size for _, idx in before)
        used = {(sid, int(i)) for sid, idx in before for i in idx}
        holes = sum(p._storage.size() for p in {id(p._storage): p for p in params}.values()) \
            != len(used)
        try:
            flat = nn.Module.flatten(params)
        except AssertionError:
            assert holes and not compact, 'raised without holes in a non-compact view'
            for p, v in zip(params, values):
                np.testing.assert_array_equal(p.numpy(), v)
            return
        assert not (holes and not compact), 'did not raise'
        assert flat.nElement() == len(used)
        after = [_positions(p) for p in params]
        for p, v in zip(params, values):
            assert p.storage() is flat.storage()
            np.testing.assert_array_equal(p.numpy(), v)
        # two elements alias after flattening exactly when they aliased before
        mapping = {}
        for (sid, idx), (_, new) in zip(before, after):
            for i, j in zip(idx.tolist(), new.tolist()):
                assert mapping.setdefault((sid, i), j) == j
        assert len(set(mapping.values())) == len(mapping)
        # strides are kept (a transposed parameter stays transposed)
        assert [p.stride().totable() for p in params] == strides

    check_one()


def _storage_classes(tensors):
    """The partition of tensor indices by storage identity (the sharing pattern)."""
    groups = {}
    for i, t in enumerate(tensors):
        groups.setdefault(id(t._storage), []).append(i)
    return sorted(groups.values())


def test_clone_and_type_keep_sharing_property():
    need('Linear')
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=60, deadline=None)
    @given(st.data())
    def check_one(data):
        n = data.draw(st.integers(1, 4))
        mods = [nn.Linear(2, 2) for _ in range(n)]
        for _ in range(data.draw(st.integers(0, 3))):
            a, b = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
            fields = data.draw(st.lists(st.sampled_from(['weight', 'bias', 'gradWeight',
                                                         'gradBias']), unique=True))
            mods[a].share(mods[b], *fields)
        net = nn.Sequential()
        for m in mods:
            net.add(m)
        if data.draw(st.booleans()):
            try:
                net.getParameters()
            except AssertionError:
                pass
        tensors = [m.__dict__[f] for m in mods for f in ('weight', 'bias', 'gradWeight',
                                                         'gradBias')]
        pattern = _storage_classes(tensors)
        c = net.clone()
        ctensors = [m.__dict__[f] for m in c.modules for f in ('weight', 'bias', 'gradWeight',
                                                               'gradBias')]
        assert _storage_classes(ctensors) == pattern
        assert not {id(t._storage) for t in tensors} & {id(t._storage) for t in ctensors}
        for a, b in zip(tensors, ctensors):
            assert a.storageOffset() == b.storageOffset() and a._stride == b._stride
            np.testing.assert_array_equal(a.numpy(), b.numpy())
        net.float()
        ftensors = [m.__dict__[f] for m in mods for f in ('weight', 'bias', 'gradWeight',
                                                          'gradBias')]
        assert _storage_classes(ftensors) == pattern
        assert all(t.typename == 'torch.FloatTensor' for t in ftensors)

    check_one()


# ---- nn.utils ------------------------------------------------------------------------------------

def test_utils_recursive_helpers():
    from torch7py.nn import utils
    a = T([[1, 2, 3], [4, 5, 6]])
    b = T([7, 8])
    t1, _ = utils.recursiveResizeAs(None, [a, [b]])
    assert [t1[0].size().totable(), t1[1][0].size().totable()] == [[2, 3], [2]]
    utils.recursiveFill(t1, 2.5)
    assert t1[1][0].numpy().tolist() == [2.5, 2.5]
    utils.recursiveAdd(t1, 2, [a, [b]])
    np.testing.assert_array_equal(t1[0].numpy(), 2.5 + 2 * a.numpy())
    np.testing.assert_array_equal(t1[1][0].numpy(), [16.5, 18.5])
    c, _ = utils.recursiveCopy(None, [a.t(), [b]])
    np.testing.assert_array_equal(c[0].numpy(), a.numpy().T)
    assert c[0].storage() is not a.storage()
    v = utils.contiguousView(None, a.t(), 6)
    np.testing.assert_array_equal(v.numpy(), [1, 4, 2, 5, 3, 6])
    w = utils.contiguousView(None, a, 3, 2)
    assert w.storage() is a.storage() and w.size().totable() == [3, 2]
    s = utils.addSingletonDimension(a, 2)
    assert s.size().totable() == [2, 1, 3] and s.storage() is a.storage()
    with pytest.raises(ValueError, match='invalid dimension'):
        utils.addSingletonDimension(a, 4)
    with pytest.raises(TypeError, match='expecting'):
        utils.recursiveFill(3, 1)


def test_utils_clear_and_recursive_type():
    from torch7py.nn import utils
    m = nn.Module()
    m.buf = T([1, 2])
    m.tab = [T([1])]
    m.num = 3
    keep = m.buf
    assert utils.clear(m, 'buf', 'tab', 'num', 'missing') is m
    assert m.buf is keep and keep.nElement() == 0
    # a field set to nil keeps its key's place (a LuaJIT node): None where it was
    assert m.tab == [] and m.__dict__['num'] is None
    assert list(m.__dict__).index('num') == list(m.__dict__).index('tab') + 1
    utils.clear(m, ['output'])
    assert m.output.nElement() == 0
    base = T([1, 2, 3, 4])
    x, y = base.narrow(1, 1, 2), base.narrow(1, 2, 3)
    cache = {}
    fx = utils.recursiveType(x, 'torch.FloatTensor', cache)
    fy = utils.recursiveType([y], 'torch.FloatTensor', cache)[0]
    assert fx.storage() is fy.storage() and fy.storageOffset() == 2
    assert utils.recursiveType(x, 'torch.FloatTensor', cache) is fx
    assert utils.recursiveType(x, 'torch.DoubleTensor') is x
