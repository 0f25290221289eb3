"""nn modules fail as their Lua does, in its order (errors10). Each expectation is read from
the module's Lua in nn 8726825 (and TH/Tensor.lua for the text of the call that fails there):
a backward before any forward meets the fields its updateOutput makes (finput, indices,
buffer, normp) as nil; views, index reads and argument evaluation run left to right."""

import pytest

import torch7py as torch
import torch7py.nn as nn
from torch7py.tensor import TorchError

from luatest import lua_error, trepl_runtime

# THNN.lua's wrapper of each THNN function (its line 110) raises THNN's errors in Torch7
THNN = "/usr/local/share/lua/5.1/nn/THNN.lua:110: "
# (the positions of the sweep's texts: /tmp/ref7/bin/th printed them, session 21)
L = "/usr/local/share/lua/5.1/nn/"


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nn'")


def _err(f, *a):
    with pytest.raises(TorchError) as e:
        f(*a)
    return str(e.value)


# ---- fields made by updateOutput: `self.finput:cdata()` of nil indexes a nil field ----------

@pytest.mark.parametrize("make, field", [
    (lambda: nn.SpatialFullConvolution(3, 3, 3, 3), "finput"),
    (lambda: nn.SpatialDepthWiseConvolution(3, 3, 3, 3), "finput"),
    (lambda: nn.TemporalRowConvolution(3, 3), "finput"),
    (lambda: nn.TemporalMaxPooling(2), "indices"),
    (lambda: nn.LogSigmoid(), "buffer"),
])
def test_backward_before_forward_indexes_the_nil_field(make, field):
    m = make()
    # (THNN's call evaluates self.<field>:cdata() before any C shape check runs)
    assert _err(m.updateGradInput, torch.zeros(3), torch.zeros(5)) == \
        "attempt to index field '%s' (a nil value)" % field


@pytest.mark.parametrize("make, x", [
    (lambda: nn.SpatialFullConvolution(2, 3, 3, 3), torch.randn(2, 5, 5)),
    (lambda: nn.SpatialDepthWiseConvolution(2, 2, 3, 3), torch.randn(2, 5, 5)),
    (lambda: nn.TemporalRowConvolution(4, 3), torch.randn(6, 4)),
])
def test_forward_makes_finput_and_fgradInput_of_the_input_type(make, x):
    m = make()
    m.forward(x)
    # `self.finput = self.finput or input.new()`: tensors of the input's type
    assert type(m.finput) is type(x) and type(m.fgradInput) is type(x)
    g = m.backward(x, m.output.clone().fill(1))
    assert g.isSameSizeAs(x)
    m.clearState()  # nn.utils.clear(self, 'finput', 'fgradInput', ...): emptied
    assert m.finput.nElement() == 0


def test_temporal_max_pooling_after_forward():
    m = nn.TemporalMaxPooling(2)
    x = torch.Tensor([[1, 5], [3, 2], [0, 7], [4, 1]])
    y = m.forward(x)
    assert y.totable() == [[3, 5], [4, 7]]
    g = m.backward(x, torch.ones(2, 2))
    assert g.totable() == [[0, 1], [1, 0], [0, 1], [1, 0]]


def test_normalize_reads_normp_first(rt):
    # Normalize.lua: self._gradInput:cmul(self.normp:view(n,1):expand(n,d), gradOutput) is the
    # first read of a forward's field (p = inf reads self.norm first)
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Normalize(2):updateGradInput(torch.zeros(3), torch.zeros(5))") == \
        "/usr/local/share/lua/5.1/nn/Normalize.lua:78: attempt to index field 'normp' (a nil value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Normalize(math.huge):updateGradInput(torch.zeros(3), "
                         "torch.zeros(5))") == "/usr/local/share/lua/5.1/nn/Normalize.lua:71: attempt to index field 'norm' (a nil value)"


def test_normalize_gradient_unchanged():
    # y = x / ||x||_2: dy/dx . g = (g - y (y.g)) / ||x||
    x = torch.Tensor([3, 4])
    m = nn.Normalize(2)
    m.forward(x)
    g = m.backward(x, torch.Tensor([1, 0]))
    assert abs(g[1] - 0.128) < 1e-9 and abs(g[2] + 0.096) < 1e-9


def test_softsign_sizes_tempgrad_as_the_output():
    # SoftSign.lua: self.tempgrad:resizeAs(self.output):copy(input): a fresh module's output is
    # empty, so the copy of a 3-element input fails first (TH_TENSOR_APPLY2's text)
    assert _err(nn.SoftSign().updateGradInput, torch.zeros(3), torch.zeros(5)) == (
        "inconsistent tensor size, expected tensor [] and src [3] to have the same number of "
        "elements, but got 0 and 3 elements respectively")
    m = nn.SoftSign()
    x = torch.Tensor([1, -3])
    m.forward(x)
    g = m.backward(x, torch.Tensor([1, 1]))  # 1 / (1 + |x|)^2
    assert g.totable() == [0.25, 1 / 16]


def test_cadd_views_in_its_order():
    # CAdd() holds an empty bias, with no storage: CAdd.lua's self._bias:view(self.bias, 1, -1)
    # is Tensor.lua's view:set(tensor:storage(), ...) of nil (the reference Torch7's text)
    text = ("bad argument #1 to 'set' (expecting number or torch.DoubleTensor or "
            "torch.DoubleStorage)")
    assert _err(nn.CAdd().forward, torch.zeros(2, 2, 2, 1, 2)) == text
    # accGradParameters views gradBias before gradOutput (which would not divide by 3 here)
    assert _err(nn.CAdd().accGradParameters, torch.zeros(3), torch.zeros(5)) == text
    m = nn.CAdd(1, 3)
    m.bias.copy(torch.Tensor([[1, 2, 3]]))
    assert m.forward(torch.ones(2, 3)).totable() == [[2, 3, 4], [2, 3, 4]]


def test_add_indexes_gradOutput_before_reading_the_batch():
    # Add.lua: gradOutput:view(input:size(1), -1): gradOutput is indexed first
    assert _err(nn.Add(3).accGradParameters, torch.zeros(2, 3), None) == \
        "attempt to index local 'gradOutput' (a nil value)"


def test_class_simplex_indexes_the_simplex_as_torch7(rt):
    # self.simplex[target[i]]: 0 and 4 are out of range (#2 of the tensor's __index)
    for code in ("c:forward(torch.zeros(3), torch.Tensor{0})",
                 "c:forward(torch.zeros(2, 3), torch.Tensor{1, 4})",
                 "c:forward(torch.zeros(3), 0)", "c:forward(torch.zeros(3), 4)"):
        assert lua_error(rt, "local c = nn.ClassSimplexCriterion(3); " + code) == \
            "bad argument #2 to '?' (out of range)"
    c = nn.ClassSimplexCriterion(3)
    # a negative index counts from the end: -1 is the last vertex, -3 the first
    v3 = c.simplex[3].clone().view(1, 3)
    assert c.forward(v3, torch.Tensor([-1])) == 0
    assert c.forward(v3, torch.Tensor([3])) == 0
    assert c.forward(v3, torch.Tensor([1])) > 0
    assert c.forward(c.simplex[1].clone(), -3) == 0


def test_l1penalty_calls_norm_before_the_product():
    # L1Penalty.lua: m * input:norm(1); a LongTensor has no norm method in Torch7
    assert _err(nn.L1Penalty(1).forward, torch.LongTensor(2, 3).zero()) == \
        "attempt to call method 'norm' (a nil value)"


def test_margin_ranking_takes_the_batch_branch_for_a_non_number():
    # torch.type(y) ~= 'number': dist:mul(-1):cmul(y) with y nil is cwrap's help of cmul
    text = _err(nn.MarginRankingCriterion(1).updateGradInput, torch.zeros(2, 2, 2, 1, 2), None)
    assert text == ("invalid arguments: DoubleTensor nil \nexpected arguments: *DoubleTensor* "
                    "[DoubleTensor] DoubleTensor")


def test_multicriterion_type_takes_no_cache():
    # MultiCriterion.lua's type(type) converts its criterions and itself without a cache
    mc = nn.MultiCriterion().add(nn.MSECriterion())
    cache = {}
    mc.type('torch.FloatTensor', cache)
    assert cache == {}
    assert mc.criterions[0].gradInput.typename == 'torch.FloatTensor'


def test_depth_concat_window_narrow_argument_order():
    m = nn.DepthConcat(1)
    # output:narrow(dim, offset, currentOutput:size(dim)): currentOutput's size is read
    # before narrow is called on a value that has none
    assert _err(m.windowNarrow, "a", None, 1) == \
        "attempt to index local 'currentOutput' (a nil value)"
    assert _err(m.windowNarrow, "a", "b", 1) == "attempt to call method 'size' (a nil value)"
    assert _err(m.windowNarrow, None, torch.zeros(2), 1) == \
        "attempt to index local 'output' (a nil value)"


def test_pixel_shuffle_backward_reads_sizes_as_its_lua():
    # PixelShuffle.lua's updateGradInput on a 5D input: batch 1, channels/height/width from
    # sizes 1-3, gradOutput viewed as (1, c, H, r, W, r), gradInput viewed as input:size()
    m = nn.PixelShuffle(1)
    g = m.updateGradInput(torch.zeros(1, 2, 2, 1, 1), torch.range(1, 4).view(2, 2))
    assert g.size().totable() == [1, 2, 2, 1, 1]
    assert g.view(4).totable() == [1, 2, 3, 4]


# ---- the shapes sweep (tools/error_sweep.py --shapes): right types, other sizes -------------

@pytest.mark.parametrize("code, want", [
    # THNN.h: MSECriterion_updateOutput(state, input, THTensor *target, ...): the FFI takes a
    # THLongTensor for a THDoubleTensor parameter nowhere (only THIndexTensor is Long)
    ("nn.MSECriterion():forward(torch.rand(3), torch.LongTensor{1, 2, 3})",
     THNN + "bad argument #3 to 'v' (cannot convert 'struct THLongTensor *' to "
     "'struct THDoubleTensor *')"),
    ("nn.AbsCriterion():backward(torch.rand(3), torch.LongTensor{1, 2, 3})",
     THNN + "bad argument #3 to 'v' (cannot convert 'struct THLongTensor *' to "
     "'struct THDoubleTensor *')"),
    # CMul() has an empty weight: updateGradInput's self._weight (made by a forward) is nil,
    # at its line 92 (/tmp/ref7/bin/th printed the position, sw21i)
    ("nn.CMul():updateGradInput(torch.rand(2, 3), torch.rand(2, 3))",
     "/usr/local/share/lua/5.1/nn/CMul.lua:92: attempt to index field '_weight' (a nil value)"),
    # PairwiseDistance.lua: self.outExpand:resize(self.output:size(1), 1), no forward yet
    ("nn.PairwiseDistance(2):updateGradInput({torch.rand(2, 3), torch.rand(2, 3)}, "
     "torch.rand(2))", L + "PairwiseDistance.lua:62: "
     "bad argument #1 to 'size' (dimension 1 out of range of 0D tensor)"),
    # MixtureTable.lua before a forward: self.size2[self.dim] = 1 with dim nil
    ("nn.MixtureTable():updateGradInput({torch.rand(2, 3), torch.rand(2, 3)}, torch.rand(2, 3))",
     L + "MixtureTable.lua:117: the class torch.LongStorage cannot be indexed"),
    # THNN RReLU: cmul(gradInput, gradOutput, noise) by the empty noise of a fresh module
    ("nn.RReLU():updateGradInput(torch.rand(2, 3), torch.rand(2, 3))",
     THNN + "inconsistent tensor size, expected r_ [2 x 3], t [2 x 3] and src [] to have the same "
     "number of elements, but got 6, 6 and 0 elements respectively"),
    # ZipTableOneToMany.lua: ipairs(inputTable)
    ("nn.ZipTableOneToMany():forward({torch.rand(2), torch.rand(2)})",
     L + "ZipTableOneToMany.lua:19: bad argument #1 to 'ipairs' (table expected, got userdata)"),
    # the paddings' assert before their THNN call: left to right, a nil pad is arithmetic
    ("nn.SpatialReplicationPadding(1):updateGradInput(torch.rand(3, 4, 5), torch.rand(3, 6, 6))",
     L + "SpatialReplicationPadding.lua:25: input and gradOutput must be compatible in size"),
    ("nn.SpatialReflectionPadding():updateGradInput(torch.rand(3, 4, 5), torch.rand(3, 4, 5))",
     "attempt to perform arithmetic on field 'pad_t' (a nil value)"),
    # SpatialZeroPadding.lua: `if self.pad_t < 0` with no pads
    ("nn.SpatialZeroPadding():updateGradInput(torch.rand(3, 4, 5), torch.rand(3, 4, 5))",
     "attempt to compare nil with number"),
    # Power.lua: self.gradInput:cmul(gradOutput) of a LongTensor: cwrap's cmul help (at its
    # line 20, as the reference build prints it)
    ("nn.Power(2):updateGradInput(torch.rand(3), torch.LongTensor{1, 2, 3})",
     "/usr/local/share/lua/5.1/nn/Power.lua:20: "
     "invalid arguments: DoubleTensor LongTensor \nexpected arguments: *DoubleTensor* "
     "[DoubleTensor] DoubleTensor"),
    # DistanceRatioCriterion.lua: self.dX:resizeAs(self._expMinusX) before a forward (luaT
    # names a nil #2 by lua_typename(L, 2): 'userdata')
    ("nn.DistanceRatioCriterion():updateGradInput({torch.rand(2), torch.rand(2)})",
     "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)"),
    # nn.utils.addSingletonDimension: view:set(t:storage(), ...) of a tensor without storage
    # (utils.lua's line, as the reference build prints it)
    ("nn.utils.addSingletonDimension(torch.Tensor())",
     "/usr/local/share/lua/5.1/nn/utils.lua:184: "
     "bad argument #1 to 'set' (expecting number or torch.DoubleTensor or "
     "torch.DoubleStorage)"),
    ("nn.SpatialCrossMapLRN(3):updateGradInput(torch.rand(3, 4, 5), torch.rand(3, 4, 5))",
     "/usr/local/share/lua/5.1/nn/utils.lua:184: "
     "bad argument #1 to 'set' (expecting number or torch.DoubleTensor or "
     "torch.DoubleStorage)"),
    # (THNN's table input: input[2]'s sizes, then the call on input[1] and gradOutput)
    ("nn.SpatialFullConvolution(3, 3, 3, 3):accGradParameters({torch.rand(3, 5, 5), "
     "torch.rand(7, 7)})",
     # (the original names its line 177, gradOutput:cdata(): /tmp/ref7/bin/th printed it)
     "/usr/local/share/lua/5.1/nn/SpatialFullConvolution.lua:177: "
     "attempt to index local 'gradOutput' (a nil value)"),
    # a nil key of a storage is no field either (luaT's __newindex)
    ("local s = torch.LongStorage(2); s[nil] = 1",
     "the class torch.LongStorage cannot be indexed"),
])
def test_shapes_sweep_texts(rt, code, want):
    if not code.startswith("local"):
        code = "local r = " + code
    assert lua_error(rt, code) == want


def test_index_tensor_parameters_stay_long_after_float():
    # THIndexTensor parameters take a LongTensor whatever the input's type: the module's
    # indices (converted by :float(), back to Long by its Lua's self.indices:long())
    m = nn.SpatialAdaptiveMaxPooling(2, 2)
    x = torch.Tensor(1, 4, 4).copy(torch.range(1, 16).view(1, 4, 4))
    y = m.forward(x).clone()
    m.float()
    yf = m.forward(x.float())
    assert yf.typename == 'torch.FloatTensor' and yf.double().totable() == y.totable()
    assert y.view(4).totable() == [6, 8, 14, 16]


def test_spatial_subsampling_reads_gradoutputs_first_elements():
    # THNN reads gradOutput's data as planes x oH x oW without checking its size: a longer
    # gradOutput acts as its first elements
    m = nn.SpatialSubSampling(2, 2, 2, 2, 2)
    x = torch.rand(2, 4, 4)
    m.forward(x)
    g = torch.rand(40)
    a = m.backward(x, g.view(2, 4, 5)).clone()
    b = m.backward(x, g.narrow(1, 1, 8).contiguous().view(2, 2, 2)).clone()
    assert a.totable() == b.totable()
    with pytest.raises(TorchError, match="THNN reads 8"):
        m.backward(x, torch.rand(5))
