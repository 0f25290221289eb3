"""Tests of the containers (container.py, sequential.py, concat.py, concat_table.py, parallel.py,
parallel_table.py, depth_concat.py, map_table.py): numpy formulas, and hand ports of the parity
cases module_tostring and seed_inplace_chain checked against their goldens."""
import math

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn

from golden import assert_case as check, golden
from nncase import T, det, sfill
from test_module import need


def lin(i, o, a, f):
    m = nn.Linear(i, o)
    sfill(m.weight, a, f, 0.1)
    sfill(m.bias, 0.3, f + 0.5, 0.2)
    m.zeroGradParameters()
    return m


def affine(m, x):
    return x @ m.weight.numpy().T + m.bias.numpy()


# ---- Sequential ------------------------------------------------------------------------------

def test_sequential_chain_and_aliasing():
    l1, l2 = lin(3, 4, 0.5, 0.7), lin(4, 2, 0.4, 1.3)
    s = nn.Sequential().add(l1).add(nn.Tanh()).add(l2)
    assert s.output is l2.output and s.gradInput is l1.gradInput
    x = det(1.0, 0.61, 0.4, 5, 3)
    y = s.forward(x)
    h = np.tanh(affine(l1, x.numpy()))
    np.testing.assert_allclose(y.numpy(), affine(l2, h), rtol=1e-12)
    assert y is l2.output
    gy = det(0.5, 0.33, 1.2, 5, 2)
    gi = s.backward(x, gy)
    gh = gy.numpy() @ l2.weight.numpy() * (1 - h ** 2)
    np.testing.assert_allclose(gi.numpy(), gh @ l1.weight.numpy(), rtol=1e-12)
    np.testing.assert_allclose(l2.gradWeight.numpy(), gy.numpy().T @ h, rtol=1e-12)
    np.testing.assert_allclose(l1.gradBias.numpy(), gh.sum(0), rtol=1e-12)
    assert gi is l1.gradInput


def test_sequential_insert_remove_errors():
    s = nn.Sequential().add(nn.Tanh())
    with pytest.raises(IndexError, match='contiguous'):
        s.insert(nn.ReLU(), 3)
    with pytest.raises(IndexError, match='out of range'):
        s.remove(2)
    assert s.insert(nn.ReLU(), 1) is None
    assert [m.typename for m in s] == ['nn.ReLU', 'nn.Tanh']
    assert s.get(-1) is None  # the original: self.modules[-1], nil


def test_sequential_error_names_module():
    s = nn.Sequential().add(nn.Linear(3, 2)).add(nn.Linear(5, 1))
    with pytest.raises(Exception) as info:
        s.forward(T([1.0, 2.0, 3.0]))
    assert any('In 2 module of nn.Sequential' in n for n in getattr(info.value, '__notes__', []))
    assert 'size mismatch' in str(info.value)
    # the module stays usable
    s.modules[1] = nn.Linear(2, 1)
    assert s.forward(T([1.0, 2.0, 3.0])).size().totable() == [1]


def test_container_clear_state_relinks_on_forward():
    s = nn.Sequential().add(nn.Linear(2, 2)).add(nn.Tanh())
    s.forward(T([1.0, 2.0]))
    s.clearState()
    assert s.output is not s.modules[1].output
    s.forward(T([1.0, 2.0]))
    assert s.output is s.modules[1].output


def test_container_training_flags():
    s = nn.Sequential().add(nn.Linear(2, 2)).add(nn.Dropout(0.5))
    assert 'train' not in s.__dict__
    s.evaluate()
    assert s.train is False and s.modules[0].train is False and s.modules[1].train is False
    s.training()
    assert s.train is True and s.modules[1].train is True


# ---- Concat / DepthConcat -------------------------------------------------------------------

def test_concat_forward_backward():
    l1, l2 = lin(4, 3, 0.5, 0.7), lin(4, 2, 0.4, 1.3)
    c = nn.Concat(2).add(l1).add(l2)
    x = det(1.0, 0.5, 0.1, 6, 4)
    y = c.forward(x)
    np.testing.assert_allclose(y.numpy(), np.hstack([affine(l1, x.numpy()), affine(l2, x.numpy())]))
    assert list(c.outputSize) == [6, 5]
    gy = det(0.5, 0.3, 0.2, 6, 5)
    gi = c.backward(x, gy, 0.5)
    g = gy.numpy()
    np.testing.assert_allclose(gi.numpy(), g[:, :3] @ l1.weight.numpy()
                               + g[:, 3:] @ l2.weight.numpy(), rtol=1e-12)
    np.testing.assert_allclose(l2.gradWeight.numpy(), 0.5 * g[:, 3:].T @ x.numpy(), rtol=1e-12)
    c.zeroGradParameters()
    c.updateGradInput(x, gy)
    c.accGradParameters(x, gy)
    np.testing.assert_allclose(l1.gradWeight.numpy(), g[:, :3].T @ x.numpy(), rtol=1e-12)


def test_depth_concat_pads_centred():
    need('SpatialConvolution')
    a = nn.SpatialConvolution(1, 2, 1, 1)
    b = nn.SpatialConvolution(1, 1, 3, 3)
    dc = nn.DepthConcat(1).add(a).add(b)
    x = det(1.0, 0.3, 0.0, 1, 5, 5)
    y = dc.forward(x).numpy()
    assert y.shape == (3, 5, 5)
    np.testing.assert_allclose(y[:2], a.output.numpy())
    np.testing.assert_array_equal(y[2, 0, :], 0)
    np.testing.assert_array_equal(y[2, :, 4], 0)
    np.testing.assert_allclose(y[2, 1:4, 1:4], b.output.numpy()[0])
    gy = det(0.5, 0.7, 0.3, 3, 5, 5)
    dc.backward(x, gy)
    ga = a.gradInput.numpy().copy()
    b.updateGradInput(x, torch.Tensor(1, 3, 3).copy(gy.narrow(1, 3, 1).narrow(2, 2, 3)
                                                       .narrow(3, 2, 3)))
    a.updateGradInput(x, gy.narrow(1, 1, 2))
    np.testing.assert_allclose(dc.gradInput.numpy(), a.gradInput.numpy() + b.gradInput.numpy())
    np.testing.assert_allclose(ga, a.gradInput.numpy())


# ---- ConcatTable / ParallelTable / Parallel / MapTable ------------------------------------------

def test_concat_table_tensor_and_table_input():
    l1, l2 = lin(3, 2, 0.5, 0.7), lin(3, 2, 0.4, 1.3)
    ct = nn.ConcatTable().add(l1).add(l2)
    x = det(1.0, 0.5, 0.1, 3)
    out = ct.forward(x)
    assert isinstance(out, list) and out[0] is l1.output and out[1] is l2.output
    gi = ct.backward(x, [T([1.0, 2.0]), T([-1.0, 0.5])])
    np.testing.assert_allclose(gi.numpy(), np.array([1.0, 2.0]) @ l1.weight.numpy()
                               + np.array([-1.0, 0.5]) @ l2.weight.numpy())
    # table input: gradInput is a table accumulated entrywise
    ct2 = nn.ConcatTable().add(nn.Identity()).add(nn.Identity())
    xs = [T([1.0, 2.0]), T([3.0])]
    g = ct2.backward(xs, [[T([1.0, 1.0]), T([2.0])], [T([0.5, 0.5]), T([-1.0])]])
    assert isinstance(g, list)
    np.testing.assert_allclose(g[0].numpy(), [1.5, 1.5])
    np.testing.assert_allclose(g[1].numpy(), [1.0])


def test_parallel_table():
    l1, l2 = lin(3, 2, 0.5, 0.7), lin(2, 1, 0.4, 1.3)
    pt = nn.ParallelTable().add(l1).add(l2)
    xs = [det(1, 0.3, 0, 3), det(1, 0.4, 1, 2)]
    out = pt.forward(xs)
    np.testing.assert_allclose(out[1].numpy(), affine(l2, xs[1].numpy()))
    gi = pt.backward(xs, [T([1.0, 0.0]), T([2.0])])
    assert gi[0] is l1.gradInput and gi[1] is l2.gradInput
    np.testing.assert_allclose(l2.gradWeight.numpy(), 2.0 * xs[1].numpy()[None])


def test_parallel():
    l1, l2 = lin(3, 2, 0.5, 0.7), lin(3, 4, 0.4, 1.3)
    p = nn.Parallel(1, 1).add(l1).add(l2)
    x = det(1.0, 0.5, 0.1, 2, 3)
    y = p.forward(x)
    np.testing.assert_allclose(y.numpy(), np.concatenate([affine(l1, x.numpy()[0]),
                                                          affine(l2, x.numpy()[1])]))
    gy = det(0.5, 0.3, 0.2, 6)
    gi = p.backward(x, gy)
    np.testing.assert_allclose(gi.numpy()[0], gy.numpy()[:2] @ l1.weight.numpy())
    np.testing.assert_allclose(gi.numpy()[1], gy.numpy()[2:] @ l2.weight.numpy())


def test_map_table_shares_parameters():
    m = lin(3, 2, 0.5, 0.7)
    mt = nn.MapTable(m)
    assert mt.shared is True
    xs = [det(1, 0.3, 0, 3), det(1, 0.4, 1, 3), det(1, 0.5, 2, 3)]
    out = mt.forward(xs)
    assert len(mt.modules) == 3
    for x, y in zip(xs, out):
        np.testing.assert_allclose(y.numpy(), affine(m, x.numpy()))
    c = mt.modules[2]
    assert c.weight.storage() is m.weight.storage()
    assert c.gradBias.storage() is m.gradBias.storage()
    mt.zeroGradParameters()
    gys = [T([1.0, 0.0]), T([0.0, 1.0]), T([1.0, 1.0])]
    mt.backward(xs, gys)
    expect = sum(np.outer(g.numpy(), x.numpy()) for g, x in zip(gys, xs))
    np.testing.assert_allclose(m.gradWeight.numpy(), expect)
    mt.clearState()
    assert len(mt.modules) == 1


def test_container_parameters_flatten_lists():
    s = nn.Sequential().add(lin(2, 3, 0.5, 0.7)).add(nn.Tanh()).add(nn.Linear(3, 1, False))
    p, g = s.parameters()
    assert [t.size().totable() for t in p] == [[3, 2], [3], [1, 3]]
    assert len(g) == 3 and g[2] is s.modules[2].gradWeight
    flat, gflat = s.getParameters()
    assert flat.nElement() == 12 and gflat.nElement() == 12
    s2 = s.clone()
    assert s2.modules[0].weight.storage() is s2.modules[2].weight.storage()


# ---- parity cases --------------------------------------------------------------------------------

def test_case_module_tostring():
    g = golden('module_tostring')
    need('Linear', 'ReLU', 'Dropout', 'LogSoftMax', 'Tanh', 'Identity', 'SpatialConvolution',
         'SpatialBatchNormalization', 'SpatialMaxPooling', 'SpatialConvolutionMM',
         'SpatialAveragePooling', 'View', 'CAddTable', 'Sigmoid', 'SplitTable', 'SelectTable',
         'JoinTable', 'MSECriterion', 'ClassNLLCriterion', 'AbsCriterion',
         'CrossEntropyCriterion')
    r = {}
    r['empty_sequential'] = str(nn.Sequential())
    r['empty_concat'] = str(nn.Concat(1))
    r['empty_concattable'] = str(nn.ConcatTable())
    r['empty_paralleltable'] = str(nn.ParallelTable())
    r['empty_parallel'] = str(nn.Parallel(1, 1))
    r['empty_container'] = str(nn.Container())
    r['mlp'] = str(nn.Sequential().add(nn.Linear(10, 20)).add(nn.ReLU()).add(nn.Dropout(0.25))
                   .add(nn.Linear(20, 5, False)).add(nn.LogSoftMax()))
    r['convnet'] = str(nn.Sequential()
                       .add(nn.SpatialConvolution(3, 16, 5, 5))
                       .add(nn.SpatialConvolution(16, 16, 3, 3, 2, 2, 1, 1))
                       .add(nn.SpatialBatchNormalization(16))
                       .add(nn.ReLU(True))
                       .add(nn.SpatialMaxPooling(2, 2, 2, 2))
                       .add(nn.SpatialConvolutionMM(16, 8, 3, 3, 1, 1, 1, 1))
                       .add(nn.SpatialAveragePooling(2, 2))
                       .add(nn.View(8 * 2 * 2))
                       .add(nn.Linear(32, 10)))
    deep = nn.Sequential().add(nn.Linear(4, 4)).add(
        nn.Sequential().add(nn.Tanh()).add(nn.Linear(4, 2)))
    r['concat_nested'] = str(nn.Concat(2).add(deep).add(nn.Linear(4, 3)).add(nn.Identity()))
    block = nn.Sequential()
    block.add(nn.ConcatTable()
              .add(nn.Sequential().add(nn.SpatialConvolution(8, 8, 3, 3, 1, 1, 1, 1))
                   .add(nn.ReLU()))
              .add(nn.Identity()))
    block.add(nn.CAddTable())
    block.add(nn.ReLU(True))
    r['residual'] = str(block)
    r['paralleltable'] = str(nn.ParallelTable()
                             .add(nn.Linear(2, 3))
                             .add(nn.Sequential().add(nn.Linear(3, 3)).add(nn.Sigmoid()))
                             .add(nn.Identity()))
    r['parallel'] = str(nn.Parallel(1, 2)
                        .add(nn.Sequential().add(nn.Linear(5, 2)).add(nn.Tanh()))
                        .add(nn.Linear(5, 4)))
    r['depthconcat'] = str(nn.DepthConcat(1)
                           .add(nn.SpatialConvolution(3, 2, 1, 1))
                           .add(nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)))
    r['concat_of_concattable'] = str(nn.Sequential().add(
        nn.Concat(1)
        .add(nn.Sequential().add(nn.ConcatTable().add(nn.Linear(2, 2)).add(nn.Linear(2, 2)))
             .add(nn.CAddTable()))
        .add(nn.Linear(2, 1))))
    r['crit_mse'] = str(nn.MSECriterion())
    r['crit_crossentropy'] = str(nn.CrossEntropyCriterion())
    r['tostring_equals_print_text'] = str(nn.Linear(2, 2)) == nn.Linear(2, 2).__tostring__()
    if hasattr(nn, 'NarrowTable') and hasattr(nn, 'FlattenTable'):
        m = nn.Sequential()
        m.add(nn.SplitTable(1))
        m.add(nn.MapTable(nn.Sequential().add(nn.Linear(3, 3)).add(nn.Tanh())))
        m.add(nn.ConcatTable().add(nn.SelectTable(1)).add(nn.NarrowTable(2, 2)))
        m.add(nn.ParallelTable().add(nn.Identity()).add(nn.JoinTable(1)))
        m.add(nn.FlattenTable())
        r['table_model'] = str(m)
    assert set(r) <= set(g)
    check('module_tostring', r)


def test_map_table_tostring():
    g = golden('module_tostring')['table_model']
    inner = str(nn.MapTable(nn.Sequential().add(nn.Linear(3, 3)).add(nn.Tanh())))
    # the MapTable block of the golden, with the outer Sequential's indent removed
    lines = g.split('\n')
    start = next(i for i, s in enumerate(lines) if s.startswith('  (2): nn.MapTable'))
    block = [lines[start][len('  (2): '):]] + [s[2:] for s in lines[start + 1:start + 7]]
    assert inner == '\n'.join(block)


def test_case_seed_inplace_chain():
    need('Linear', 'Tanh', 'ReLU', 'LeakyReLU', 'Sigmoid', 'MulConstant', 'Dropout')
    x = det(1.5, 0.61, 0.3, 5, 3)
    gy = det(0.5, 0.43, 0.9, 5, 2)

    def eq(a, b):
        return bool(np.array_equal(a.numpy(), b.numpy()))

    def mk(inplace, leaky=False):
        act = nn.LeakyReLU(0.2, inplace) if leaky else nn.ReLU(inplace)
        net = nn.Sequential().add(nn.Linear(3, 4)).add(nn.Tanh()).add(act).add(nn.Linear(4, 2))
        sfill(net.modules[0].weight, 0.8, 0.7, 0.1)
        sfill(net.modules[0].bias, 0.3, 1.9, 0.2)
        sfill(net.modules[3].weight, 0.6, 0.5, 0.4)
        sfill(net.modules[3].bias, 0.2, 1.1, 0.0)
        net.zeroGradParameters()
        return net
    r = {}
    a, b = mk(False), mk(True)
    ya, yb = a.forward(x).clone(), b.forward(x).clone()
    r['same_forward'] = eq(ya, yb)
    r['tanh_output_notinplace'] = a.modules[1].output.clone()
    r['tanh_output_overwritten'] = b.modules[1].output.clone()
    r['relu_output_is_tanh_output'] = b.modules[2].output.storage() is \
        b.modules[1].output.storage()
    r['gradInput_notinplace'] = a.backward(x, gy).clone()
    r['gradInput_inplace'] = b.backward(x, gy).clone()
    r['gradWeight1_notinplace'] = a.modules[0].gradWeight.clone()
    r['gradWeight1_inplace'] = b.modules[0].gradWeight.clone()
    r['relu_gradInput_is_linear_gradInput'] = b.modules[2].gradInput.storage() is \
        b.modules[3].gradInput.storage()
    c, d = mk(False, True), mk(True, True)
    r['leaky_same_forward'] = eq(c.forward(x), d.forward(x))
    r['leaky_gradInput_notinplace'] = c.backward(x, gy).clone()
    r['leaky_gradInput_inplace'] = d.backward(x, gy).clone()
    r['leaky_gradWeight1_inplace'] = d.modules[0].gradWeight.clone()

    def mk2(inplace):
        net = nn.Sequential().add(nn.Linear(3, 4)).add(nn.ReLU(inplace)).add(nn.Linear(4, 2))
        sfill(net.modules[0].weight, 0.8, 0.7, 0.1)
        sfill(net.modules[0].bias, 0.3, 1.9, 0.2)
        sfill(net.modules[2].weight, 0.6, 0.5, 0.4)
        sfill(net.modules[2].bias, 0.2, 1.1, 0.0)
        net.zeroGradParameters()
        return net
    a, b = mk2(False), mk2(True)
    a.forward(x)
    b.forward(x)
    r['linear_relu_output_overwritten'] = b.modules[0].output.clone()
    ga, gb = a.backward(x, gy).clone(), b.backward(x, gy).clone()
    r['linear_relu_same_gradInput'] = eq(ga, gb)
    r['linear_relu_same_gradWeight'] = eq(a.modules[0].gradWeight, b.modules[0].gradWeight)

    net = nn.Sequential().add(nn.Linear(3, 3)).add(nn.Sigmoid()).add(nn.MulConstant(3, True))
    sfill(net.modules[0].weight, 0.8, 0.7, 0.1)
    sfill(net.modules[0].bias, 0.3, 1.9, 0.2)
    net.zeroGradParameters()
    r['mulc_output'] = net.forward(x).clone()
    r['mulc_sigmoid_output_scaled'] = net.modules[1].output.clone()
    gi = net.backward(x, det(0.5, 0.43, 0.9, 5, 3)).clone()
    r['mulc_sigmoid_output_restored'] = net.modules[1].output.clone()
    r['mulc_gradInput'] = gi

    net = nn.Sequential().add(nn.Linear(3, 4)).add(nn.Dropout(0.5, False, True))
    sfill(net.modules[0].weight, 0.8, 0.7, 0.1)
    sfill(net.modules[0].bias, 0.3, 1.9, 0.2)
    torch.manualSeed(3)
    net.forward(x)
    r['dropout_ip_linear_output'] = net.modules[0].output.clone()
    r['dropout_ip_shares'] = net.modules[1].output.storage() is net.modules[0].output.storage()

    relu = nn.ReLU(True)
    v = T([-1, 2, -3, 4])
    keep = v
    relu.forward(v)
    r['user_tensor_modified'] = keep.clone()
    s = nn.Sigmoid()
    y = s.forward(T([0, 1]))
    y2 = s.forward(y)
    r['sigmoid_on_own_output'] = y2.clone()
    r['sigmoid_on_own_output_same_object'] = y is y2
    check('seed_inplace_chain', r)
    assert math.isclose(y2[1], 1 / (1 + math.exp(-0.5)))


def test_table_layers_read_a_short_gradoutput_as_lua_nil():
    # nn/doc/simple.md's CriterionTable example: mlp:backward({x, y}) with no gradOutput; the
    # CriterionTable's gradInput {criterion.gradInput} has one entry for a ParallelTable of two
    # modules, and Lua's gradOutput[2] is nil, which Identity returns as its gradInput
    lin = nn.Linear(5, 3)
    xy = nn.ParallelTable().add(lin).add(nn.Identity())
    mlp = nn.Sequential().add(xy).add(nn.CriterionTable(nn.MSECriterion()))
    x, y = torch.ones(5), torch.Tensor([1, 2, 3])
    mlp.forward([x, y])
    gi = mlp.backward([x, y], None)
    W, b = lin.weight.numpy(), lin.bias.numpy()
    g = 2 * (W @ np.ones(5) + b - np.array([1, 2, 3])) / 3      # MSE's gradient, sizeAverage
    np.testing.assert_allclose(gi[0].numpy(), W.T @ g, rtol=1e-12)
    assert len(gi) == 1 or gi[1] is None
    np.testing.assert_allclose(lin.gradWeight.numpy(), np.outer(g, np.ones(5)), rtol=1e-12)
    # MapTable reads gradOutput[i] the same way
    mt = nn.MapTable(nn.Identity())
    mt.forward([x, y])
    g1 = torch.ones(5)
    gi = mt.updateGradInput([x, y], [g1])
    assert gi[0] is g1 and (len(gi) == 1 or gi[1] is None)
