"""nn modules and criterions against the original Torch7 (refnn16): every expectation here is
what the reference Torch7 (/tmp/ref7: torch7 814ea4a, nn 8726825 on LuaJIT 2.1.0-beta2) printed
for the same script, or a numpy formula."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.luaorder import pairs_order


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime().execute(code)


# ---- a key set to nil where the table had none --------------------------------------------------
# LuaJIT's lj_meta_tset gives the absent key a node (lj_tab_newkey) and stores nil in it; the
# next key whose main position is that node takes it over (lj_tab_newkey tests the node's value,
# not its key), and a rehash drops it. The orders are the reference LuaJIT's pairs() output for
# a plain table filled in the order given (k=nil: `t.k = nil`).
@pytest.mark.parametrize("sets,order", [
    (['_type', 'affine', 'train=nil', 'padW', 'finput', 'inplace', 'momentum', 'p=nil',
      'running_mean=nil'], 'padW _type affine inplace finput momentum'),
    (['beta', 'b=nil', 'momentum=nil', 'fgradInput', 'size=nil', 'ceil_mode', 'running_var',
      'a'], 'a fgradInput ceil_mode running_var beta'),
    (['fgradInput', 'b', 'dW', 'outputSize=nil', 'inplace=nil', 'momentum'],
     'momentum b dW fgradInput'),
    (['finput=nil', 'dim', 'nInputDim', 'size=nil', 'p', 'index'], 'index nInputDim dim p'),
    (['e', 'gradBias', 'scalar', 'finput=nil', 'indices', 'save_std', 'train', 'padW'],
     'gradBias train padW save_std scalar e indices'),
    (['kW', 'train', 'finput=nil', 'ceil_mode', 'save_std', 'kH', 'momentum'],
     'train kW ceil_mode kH save_std momentum'),
])
def test_pairs_order_of_keys_set_to_nil_when_absent(sets, order):
    keys = [s.split('=')[0] for s in sets]
    nils = frozenset(s[:-4] for s in sets if s.endswith('=nil'))
    assert ' '.join(pairs_order(keys, nils)) == order


@pytest.mark.parametrize("make,order", [
    # nn.Add(5): `self.scalar = scalar` (nil) in __init
    ("nn.Add(5)", "gradBias _type bias gradInput _ones output"),
    # nn.Dropout(0.3): `self.inplace = ip` (nil)
    ("nn.Dropout(0.3)", "v2 noise _type p gradInput stochastic_inference train output"),
    # nn.Padding(1, 2): `self.nInputDim = nInputDim` (nil)
    ("nn.Padding(1, 2)", "index outputSize _type output gradInput pad value dim"),
    ("nn.MixtureTable()", "size2 _type output gradInput size backwardSetup batchSize"),
])
def test_module_fields_pairs_order_with_nil_constructor_arguments(make, order):
    keys = lua("""require 'nn'
        local ks = {}
        for k in pairs(%s) do ks[#ks + 1] = k end
        return table.concat(ks, ' ')""" % make)
    assert keys == order


def test_dropout_saved_ascii_is_the_reference_file(tmp_path):
    # torch.save(f, nn.Dropout(0.3), 'ascii') on the reference: these bytes (the fields in
    # writeObject's order: pairs(object) into var, then pairs(var); inplace was set to nil)
    ref = ('4\n1\n3\nV 1\n10\nnn.Dropout\n3\n2\n8\n2\n2\nv2\n5\n1\n2\n5\nnoise\n4\n3\n3\n'
           'V 1\n18\ntorch.DoubleTensor\n0\n1\n0\n2\n5\n_type\n2\n18\ntorch.DoubleTensor\n2\n'
           '1\np\n1\n0.29999999999999999\n2\n9\ngradInput\n4\n4\n3\nV 1\n18\n'
           'torch.DoubleTensor\n0\n1\n0\n2\n20\nstochastic_inference\n5\n0\n2\n6\noutput\n4\n'
           '5\n3\nV 1\n18\ntorch.DoubleTensor\n0\n1\n0\n2\n5\ntrain\n5\n1\n')
    f = str(tmp_path / "d.t7")
    torch.save(f, nn.Dropout(0.3), 'ascii')
    assert open(f).read() == ref


# ---- THNN criterions keep self.output_tensor ----------------------------------------------------
# (MSE, Abs, SmoothL1, DistKLDiv, Margin, SoftMargin, ClassSimplex, MultiMargin ...: their Lua
# forward does `self.output_tensor = self.output_tensor or input.new(1)` and returns
# self.output_tensor[1]; the reference lists the field after a forward and saves it)
def test_mse_criterion_keeps_output_tensor():
    c = nn.MSECriterion()
    x, t = torch.Tensor([1, 2, 4]), torch.Tensor([0, 0, 0])
    assert c.forward(x, t) == 7  # reference: 7 ((1 + 4 + 16) / 3)
    assert c.output_tensor.typename == 'torch.DoubleTensor'
    assert c.output_tensor.size(1) == 1 and c.output_tensor[1] == 7


def test_abs_criterion_float_input_on_a_fresh_criterion():
    # reference: 2.1666667461395 (the float sum 6.5 / 3 in float) and a FloatTensor
    # output_tensor; the fresh criterion's double gradInput is not the forward's business
    c = nn.AbsCriterion()
    out = c.forward(torch.FloatTensor([1, -2, 4]), torch.FloatTensor([0, 0, 0.5]))
    assert out == float(np.float32(6.5) / np.float32(3))
    assert c.output_tensor.typename == 'torch.FloatTensor'
    assert c.output_tensor[1] == out


def test_multi_margin_criterion_fields_after_forward():
    keys = lua("""require 'nn'
        local c = nn.MultiMarginCriterion()
        local out = c:forward(torch.Tensor{0.1, 0.7, 0.2}, 2)
        local ks = {} for k in pairs(c) do ks[#ks + 1] = k end table.sort(ks)
        return out .. ' ' .. torch.type(c.output_tensor) .. ' ' .. table.concat(ks, ' ')""")
    # reference: 0.3 torch.DoubleTensor and these fields
    assert keys == ('0.3 torch.DoubleTensor gradInput margin output output_tensor p '
                    'sizeAverage target_tensor')


def test_l1cost_clear_state_then_forward_errors():
    # reference: L1Cost:clearState empties output_tensor, then calls nn.Criterion's missing
    # clearState; the next forward fails THNN_CHECK_DIM_SIZE(output, 1, 0, 1)
    out = lua("""require 'nn'
        local l = nn.L1Cost()
        local a = l:forward(torch.Tensor{1, -2})
        local ok, e = pcall(function() l:clearState() end)
        local n = l.output_tensor:nElement()
        local ok2, e2 = pcall(function() return l:forward(torch.Tensor{1, -2}) end)
        return table.concat({a, tostring(ok), (e:gsub('^.-:%d+: ', '')), n, tostring(ok2),
                             (e2:gsub('^.-:%d+: ', ''))}, '|')""")
    assert out == ("3|false|attempt to call field 'clearState' (a nil value)|0|false|"
                   "Need output of dimension 1 and output.size[0] == 1 but got output to be "
                   "of shape: []")


def test_cadd_constructor_resizes_output():
    # CAdd.lua: self.output:resize(self.size) in __init (reference: size 3x1, saved so)
    assert nn.CAdd(3, 1).output.size().totable() == [3, 1]


def test_sqrt_ignores_eps():
    # THNN Sqrt_updateOutput receives eps and does not use it: the reference prints 0.5, 2
    y = nn.Sqrt(0.1).forward(torch.Tensor([0.25, 4]))
    assert y.numpy().tolist() == [0.5, 2.0]


# ---- constructor arguments and numbers as strings -----------------------------------------------
def _errors(code):
    return lua("""require 'nn'
        local out = {}
        local function p(f) local ok, e = pcall(f)
           out[#out + 1] = tostring(ok) .. ' ' .. (tostring(e):gsub('^.-:%d+: ', '')) end
        """ + code + "\nreturn table.concat(out, '|')")


def test_elu_asserts_number_alpha_and_boolean_inplace():
    # ELU.lua: assert(type(self.alpha) == 'number'), assert(type(self.inplace) == 'boolean')
    assert _errors("""p(function() return nn.ELU('0.5') end)
        p(function() return nn.ELU(0.5, 1) end)""") == ("false assertion failed!|"
                                                          "false assertion failed!")


def test_hardtanh_string_bounds_fail_in_the_ffi_call():
    # reference: the THNN call's FFI refuses a string for the accreal min_val (#4)
    want = "false bad argument #4 to 'v' (cannot convert 'string' to 'double')"
    assert _errors("""p(function() return nn.HardTanh('-0.5', '0.5'):forward(torch.Tensor{1, 2}) end)
        p(function() return nn.Clamp('-0.5', '0.5'):forward(torch.Tensor{1, 2}) end)""") \
        == want + '|' + want


def test_power_of_a_numeric_string():
    # Lua's `self.pow - 1` and cwrap's pow/mul take '2' as 2: reference 9 and 6
    m = nn.Power('2')
    assert m.forward(torch.Tensor([3])).numpy().tolist() == [9.0]
    assert m.backward(torch.Tensor([3]), torch.Tensor([1])).numpy().tolist() == [6.0]


def test_rrelu_checks_the_input_type_as_the_thnn_call():
    assert _errors("""p(function() return nn.RReLU():forward(torch.LongTensor{1, 2}) end)
        p(function() return nn.RReLU():forward(torch.FloatTensor{1, 2}) end)""") == (
        "false attempt to index field 'THNN' (a nil value)|"
        "false bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to "
        "'struct THFloatTensor *')")


def test_acc_update_that_fails_leaves_the_gradients_pointing_at_the_parameters():
    # Module.lua's accUpdateGradParameters swaps gradWeight/gradBias with weight/bias around
    # accGradParameters(-lr) without a pcall: Bilinear's assert(scale >= 0) fails, and on the
    # reference gradWeight == weight and gradBias == bias afterwards
    b = nn.Bilinear(2, 2, 1)
    x = [torch.Tensor([[1, 2]]), torch.Tensor([[3, 4]])]
    b.forward(x)
    with pytest.raises(AssertionError):
        b.accUpdateGradParameters(x, torch.Tensor([[1]]), 0.1)
    assert b.gradWeight is b.weight and b.gradBias is b.bias


# ---- fields of the nn 8726825 layout --------------------------------------------------------------
def test_gated_linear_unit_is_thnn_s_computation_without_buffers():
    # the reference (GatedLinearUnit():float(), x = {1, -2, 0.5, 3}, gradOutput {1, -1}):
    g = nn.GatedLinearUnit().float()
    x = torch.FloatTensor([1, -2, 0.5, 3])
    y = g.forward(x)
    gi = g.backward(x, torch.FloatTensor([1, -1]))
    assert y.numpy().tolist() == [0.62245935201644897, -1.9051482677459717]
    assert gi.numpy().tolist() == [0.62245935201644897, -0.95257413387298584,
                                   0.23500370979309082, 0.090353310108184814]
    assert sorted(k for k, v in g.__dict__.items() if v is not None) == [
        '_type', 'gradInput', 'output']


def test_prelu_keeps_its_empty_weight_buffers():
    # PReLU.lua's accGradParameters: gradWeightBuf, gradWeightBuf2 = input.new() (empty)
    p = nn.PReLU(2)
    x = torch.Tensor([[1, -2], [-1, 3]])
    p.forward(x)
    p.backward(x, torch.Tensor([[1, 1], [1, 1]]))
    assert p.gradWeightBuf.nElement() == 0 and p.gradWeightBuf2.nElement() == 0
    assert p.gradWeightBuf.typename == 'torch.DoubleTensor'


def test_spatial_fractional_max_pooling_fields_after_clear_state():
    # reference pairs() order after forward and clearState (indices and randomSamples nil)
    keys = lua("""require 'nn'
        local f = nn.SpatialFractionalMaxPooling(2, 2, 3, 3)
        f:forward(torch.randn(1, 6, 6)) f:clearState()
        local ks = {} for k in pairs(f) do ks[#ks + 1] = k end
        return table.concat(ks, ' ')""")
    assert keys == "output gradInput newRandomPool poolSizeH outW outH poolSizeW _type"


def test_max_unpooling_before_its_pooling_ran():
    # the reference: the pooling module's iheight/iwidth (itime) are nil before its forward, and
    # the THNN call's FFI refuses nil for the int (#5); after :float() the pooling's indices
    # are a FloatTensor where THNN wants a THLongTensor (#4)
    want = ("false bad argument #5 to 'v' (cannot convert 'nil' to 'int')|"
            "false bad argument #4 to 'v' (cannot convert 'struct THFloatTensor *' to "
            "'struct THLongTensor *')")
    assert _errors("""
        local u = nn.SpatialMaxUnpooling(nn.SpatialMaxPooling(2, 2, 2, 2))
        p(function() return u:forward(torch.randn(1, 4, 4)) end)
        local uf = nn.SpatialMaxUnpooling(nn.SpatialMaxPooling(2, 2, 2, 2)):float()
        p(function() return uf:forward(torch.randn(1, 4, 4):float()) end)""") == want
    assert _errors("""
        local u = nn.VolumetricMaxUnpooling(nn.VolumetricMaxPooling(2, 2, 2))
        p(function() return u:forward(torch.randn(1, 4, 4, 4)) end)
        local uf = nn.VolumetricMaxUnpooling(nn.VolumetricMaxPooling(2, 2, 2)):float()
        p(function() return uf:forward(torch.randn(1, 4, 4, 4):float()) end)""") == want


def test_select_calls_only_what_select_lua_calls():
    # Select.lua reads input:dim()/input:size(dim) only for negative arguments, then
    # input:select(dim, index): the reference's texts (a method's arguments counted from dim)
    assert _errors("""
        p(function() return nn.Select(1, 2):forward('abc') end)
        p(function() return nn.Select(3, 1):forward(torch.randn(4, 2)) end)
        p(function() return nn.Select(1, 5):forward(torch.randn(4, 2)) end)""") == (
        "false attempt to call method 'select' (a nil value)|"
        "false bad argument #1 to 'select' (out of range)|"
        "false bad argument #2 to 'select' (out of range)")


def test_adaptive_pooling_dimension_check_is_an_argument_error():
    # THNN_ARGCHECK(..., 2, input, ...) through the FFI: "bad argument #2 to 'v' (...)"
    want = ("false bad argument #2 to 'v' (3D or 4D (batch mode) tensor expected for input, "
            "but got: [2 x 1 x 2 x 1 x 3])")
    assert _errors("""
        p(function() return nn.SpatialAdaptiveMaxPooling(2, 3):forward(torch.randn(2, 1, 2, 1, 3)) end)
        p(function() return nn.SpatialAdaptiveAveragePooling(2, 3):forward(torch.randn(2, 1, 2, 1, 3)) end)
        """) == want + '|' + want


def test_volumetric_average_pooling_fields_are_nn_8726825_s():
    # VolumetricAveragePooling.lua sets kT, kH, kW, dT, dW, dH (kH before kW) and nothing
    # else: the reference's pairs() order
    keys = lua("""require 'nn'
        local m = nn.VolumetricAveragePooling(2, 2, 2)
        local ks = {} for k in pairs(m) do ks[#ks + 1] = k end
        return table.concat(ks, ' ')""")
    assert keys == "dH dW dT gradInput _type kT kH kW output"


def test_views_of_non_contiguous_inputs_fail_as_torch_view():
    # PixelShuffle.lua's torch.view(input, ...) and CosineEmbeddingCriterion.lua's
    # input1:view(1, -1) assert a contiguous tensor (the reference's text)
    want = "false expecting a contiguous tensor"
    assert _errors("""
        local x = torch.randn(8, 2, 3, 2):select(4, 1)
        p(function() return nn.PixelShuffle(2):forward(x) end)
        local a, b = torch.randn(5, 2):select(2, 1), torch.randn(5, 2):select(2, 1)
        p(function() return nn.CosineEmbeddingCriterion(0.3):forward({a, b}, -1) end)""") \
        == want + '|' + want


def test_lrn_keeps_padded_and_accum_ratio_buffers():
    # SpatialCrossMapLRN.lua's CPU backward keeps paddedRatio (channels + size - 1 planes)
    # and accumRatio (one plane); the reference's fields after a backward (sorted)
    m = nn.SpatialCrossMapLRN(3)
    torch.manualSeed(1)
    x = torch.randn(2, 4, 3, 3)
    m.forward(x)
    go = torch.randn(2, 4, 3, 3)
    m.backward(x, go)
    assert sorted(k for k, v in m.__dict__.items() if v is not None) == [
        '_type', 'accumRatio', 'alpha', 'beta', 'gradInput', 'k', 'output', 'paddedRatio',
        'scale', 'size']
    assert m.paddedRatio.size().totable() == [6, 3, 3]
    # (1 x H x W: each sample's accumRatio:sum(paddedRatio:narrow(1, 1, size - 1), 1); the
    # original prints a 1x3x3 accumRatio)
    assert m.accumRatio.size().totable() == [1, 3, 3]
    # the last sample's centre planes: gradOutput * output / scale (paddedRatio[2..5]), the
    # padding planes zero
    pr = m.paddedRatio.numpy()
    want = go.numpy()[1] * m.output.numpy()[1] / m.scale.numpy()[1]
    assert np.array_equal(pr[1:5], want) and not pr[0].any() and not pr[5].any()


def test_table_layers_name_the_locals_of_their_lua():
    # the reference's texts: JoinTable.lua's `currentOutput:dim()` of a string's input[1];
    # ParallelCriterion.lua's `self.repeatTarget and target or target[i]` indexes a nil target
    # even with repeatTarget
    assert _errors("""
        p(function() return nn.JoinTable(1):forward('abc') end)
        local c = nn.ParallelCriterion(true):add(nn.MSECriterion()):add(nn.AbsCriterion())
        p(function() return c:forward({torch.randn(3), torch.randn(3)}) end)
        local c2 = nn.ParallelCriterion():add(nn.MSECriterion())
        p(function() return c2:forward({torch.randn(3)}) end)""") == (
        "false attempt to index local 'currentOutput' (a nil value)|"
        "false attempt to index local 'target' (a nil value)|"
        "false attempt to index local 'target' (a nil value)")
