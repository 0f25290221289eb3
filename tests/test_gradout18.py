"""Backward with bad gradOutputs, as the original reports them. Every expected text is what the
reference Torch7 (/tmp/ref7, built from the original sources) printed for the same call, and
follows from the original's code: TemporalConvolution.c's walk over gradOutput (THTensor_(select)
of samples and frames, the bias cadd, the first window addmm) and the Lua line that evaluates
gradOutput:cdata()."""
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
pytest.importorskip("lupa")
from luatest import lua_error, trepl_runtime  # noqa: E402

NN = "/usr/local/share/lua/5.1/nn/"
THNN = NN + "THNN.lua:110: "


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nn'")


def tc_call(rt, insize, gosize, meth):
    return lua_error(rt, "(function() local m = nn.TemporalConvolution(3, 2, 2); "
                         "local x = torch.randn(%s); m:forward(x); "
                         "return m:%s(x, torch.randn(%s)) end)()" % (insize, meth, gosize))


VECTOR = THNN + "bad argument #1 to 'v' (cannot select on a vector)"


@pytest.mark.parametrize("meth", ["updateGradInput", "accGradParameters", "backward"])
@pytest.mark.parametrize("insize", ["5, 3", "2, 5, 3"])
@pytest.mark.parametrize("gosize", ["7", "4", "8"])
def test_temporal_convolution_vector_gradoutput(rt, insize, gosize, meth):
    # a vector gradOutput is not 2D, so THNN takes the batch branch (or, for accGradParameters
    # on a 2D input, selects its frames for the bias): select on a vector
    assert tc_call(rt, insize, gosize, meth) == VECTOR


@pytest.mark.parametrize("meth", ["updateGradInput", "accGradParameters", "backward"])
def test_temporal_convolution_missing_sample(rt, meth):
    # batch of 2, gradOutput of 1 sample: sample 0 runs, select(gradOutput, 0, 1) is out of range
    assert tc_call(rt, "2, 5, 3", "1, 4, 2", meth) == THNN + "bad argument #3 to 'v' (out of range)"


def test_temporal_convolution_batch_input_matrix_gradoutput(rt):
    # 2D gradOutput: dimS 0, nInputFrame = input:size(1) = 2, one frame of kW * 5 columns
    assert tc_call(rt, "2, 5, 3", "4, 2", "updateGradInput") == \
        THNN + "size mismatch, t: [1 x 10], m1: [1 x 2], m2: [2 x 6]"
    assert tc_call(rt, "2, 5, 3", "4, 2", "backward") == \
        THNN + "size mismatch, t: [1 x 10], m1: [1 x 2], m2: [2 x 6]"
    # accGradParameters selects sample 0 (a vector of 2), then its frame 0: select on a vector
    assert tc_call(rt, "2, 5, 3", "4, 2", "accGradParameters") == VECTOR


def test_temporal_convolution_3d_gradoutput_of_2d_input(rt):
    # 3D gradOutput: batch branch, sample 0 is [2 x 1]: one window [1 x 1] times weight [2 x 6]
    assert tc_call(rt, "5, 3", "4, 2, 1", "updateGradInput") == \
        THNN + "size mismatch, m1: [1 x 1], m2: [2 x 6]"
    # accGradParameters on a 2D input: the bias adds gradOutput[k] ([4 x 2], 8 elements) to 2
    assert tc_call(rt, "5, 3", "2, 4, 2", "accGradParameters") == \
        THNN + "inconsistent tensor size, expected r_ [2], t [2] and src [4 x 2] to have the " \
               "same number of elements, but got 2, 2 and 8 elements respectively"


def test_temporal_convolution_extra_samples_unread(rt):
    # THNN walks the input's samples only: a gradOutput with more samples gives the gradients
    # of its first ones (the reference ran the [3 x 4 x 2] gradOutput without an error)
    gi, gw, gb, ri, rw, rb = rt.execute("""
      local m = nn.TemporalConvolution(3, 2, 2)
      local x, g = torch.randn(2, 5, 3), torch.randn(3, 4, 2)
      m:forward(x)
      local gi = m:backward(x, g):clone()
      local gw, gb = m.gradWeight:clone(), m.gradBias:clone()
      m:zeroGradParameters()
      local ri = m:backward(x, g:narrow(1, 1, 2)):clone()
      return gi, gw, gb, ri, m.gradWeight, m.gradBias
    """)
    for a, b in ((gi, ri), (gw, rw), (gb, rb)):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("forward", [True, False])
@pytest.mark.parametrize("meth", ["updateGradInput", "backward"])
def test_spatial_convolution_mm_gradoutput_line(rt, meth, forward):
    # SpatialConvolutionMM.lua:82 is gradOutput:cdata(), evaluated before self.finput:cdata()
    # (85), with or without a forward before
    pre = "m:forward(x); " if forward else ""
    call = ("(function() local m = nn.SpatialConvolutionMM(1, 2, 3, 3); "
            "local x = torch.randn(1, 5, 5); %sreturn m:%s(x, %%s) end)()" % (pre, meth))
    assert lua_error(rt, call % "'a'") == \
        NN + "SpatialConvolutionMM.lua:82: attempt to call method 'cdata' (a nil value)"
    assert lua_error(rt, call % "nil") == \
        NN + "SpatialConvolutionMM.lua:82: attempt to index local 'gradOutput' (a nil value)"


@pytest.mark.parametrize("gosize,rows", [("3, 2", 3), ("6", 6), ("1, 6", 1), ("6, 1", 6)])
def test_mixture_table_gradoutput_rows(rt, gosize, rows):
    # MixtureTable.lua (experts in a table, a batch of 2): gradOutput of 6 elements passes
    # line 97's cmul, its view (gradOutput:size(1), -1) sums to gradOutput:size(1) values,
    # and line 107 copies them into the gater's column of 2
    code = ("(function() local m = nn.MixtureTable(); "
            "local x = {torch.rand(2, 2), {torch.rand(2, 3), torch.rand(2, 3)}}; m:forward(x); "
            "return m:backward(x, torch.rand(%s)) end)()" % gosize)
    assert lua_error(rt, code) == (
        NN + "MixtureTable.lua:107: inconsistent tensor size, expected tensor [2] and src [%d] "
        "to have the same number of elements, but got 2 and %d elements respectively"
        % (rows, rows))


def test_mixture_table_gradoutput_of_other_shape_same_rows(rt):
    # a [2 x 3 x 1] gradOutput has the batch's 2 rows: the original runs it, element by element
    gi1, ge1, ge2, gt = rt.execute("""
      local m = nn.MixtureTable()
      local x = {torch.rand(2, 2), {torch.rand(2, 3), torch.rand(2, 3)}}
      m:forward(x)
      local g = torch.rand(2, 3, 1)
      local gi = m:backward(x, g)
      return gi[1], gi[2][1], gi[2][2], {x[1], x[2][1], x[2][2], g}
    """)
    gater, e1, e2, g = (t.numpy() for t in gt)
    g = g.reshape(2, 3)
    np.testing.assert_allclose(gi1.numpy(), np.stack([(g * e1).sum(1), (g * e2).sum(1)], 1))
    np.testing.assert_allclose(ge1.numpy(), gater[:, :1] * g)
    np.testing.assert_allclose(ge2.numpy(), gater[:, 1:] * g)


ASSERT_TARGET = THNN + "Assertion `cur_target >= 0 && cur_target < n_classes' failed. "

SNLL = """
  local x = torch.randn(2, 3, 2, 2)
  local t = torch.LongTensor(2, 2, 2):fill(2)
  local bad = t:clone(); bad[1][2][1] = 0
  local big = t:clone(); big[2][1][2] = 7
"""


def test_spatial_class_nll_backward_stops_at_the_bad_target(rt):
    # THNN's updateGradInput writes pixel after pixel (b, then elem) and asserts at the first
    # bad target: [1][2][1] is pixel 2 of sample 1, so pixels 0 and 1 hold -1/8 (8 pixels of
    # weight 1, sizeAverage), class 2 (the reference printed 2 nonzero elements summing -0.25)
    ok, err, g = rt.execute(SNLL + """
      local c = nn.SpatialClassNLLCriterion()
      c:forward(x, t)
      local ok, err = pcall(function() return c:backward(x, bad) end)
      return ok, err, c.gradInput
    """)
    assert ok is False and err == ASSERT_TARGET
    want = np.zeros((2, 3, 2, 2))
    want[0, 1, 0, 0] = want[0, 1, 0, 1] = -1 / 8
    np.testing.assert_array_equal(g.numpy(), want)
    # without sizeAverage, target 7 at [2][1][2] (pixel 5): pixels 0..4 hold -1
    ok, err, g = rt.execute(SNLL + """
      local c = nn.SpatialClassNLLCriterion(nil, false)
      c:forward(x, t)
      local ok, err = pcall(function() return c:backward(x, big) end)
      return ok, err, c.gradInput
    """)
    assert ok is False and err == ASSERT_TARGET
    want = np.zeros((2, 3, 2, 2))
    want.reshape(2, 3, 4)[0, 1, :] = -1
    want[1, 1, 0, 0] = -1
    np.testing.assert_array_equal(g.numpy(), want)


@pytest.mark.parametrize("setup", [
    "local c = nn.SpatialClassNLLCriterion(torch.zeros(3)); c:forward(x, t)",
    "local c = nn.SpatialClassNLLCriterion(); c.total_weight_tensor[1] = -1",
])
@pytest.mark.parametrize("target", ["bad", "big"])
def test_spatial_class_nll_backward_without_weight_reads_no_target(rt, setup, target):
    # `if (*total_weight_data <= 0) return;` comes before THNN reads the targets: zeros
    ok, g = rt.execute(SNLL + setup + """
      return pcall(function() return c:backward(x, %s) end)
    """ % target)
    assert ok is True
    np.testing.assert_array_equal(g.numpy(), np.zeros((2, 3, 2, 2)))


def test_spatial_class_nll_failed_forward_keeps_its_state(rt):
    # THNN writes output and total weight after its loop: a failed forward leaves them
    out, out1, tw, tw1 = rt.execute(SNLL + """
      local c = nn.SpatialClassNLLCriterion()
      c:forward(x, t)
      local out, tw = c.output, c.total_weight_tensor[1]
      assert(not pcall(function() return c:forward(x, bad) end))
      return out, c.output, tw, c.total_weight_tensor[1]
    """)
    assert (out1, tw1, tw) == (out, 8, 8)


def _bwd(mod, inp, go, meth="backward"):
    return ("(function() local m = %s; local x = %s; m:forward(x); local o = m.output; "
            "return m:%s(x, %s) end)()" % (mod, inp, meth, go))


PAIR = "{torch.randn(4, 3), torch.randn(4, 3)}"


@pytest.mark.parametrize("mod,inp,go,meth,want", [
    # Cosine.lua:89 self._gradOutput:cmul(self.output) (a float _gradOutput, gradOutput.new())
    ("nn.Cosine(3, 2)", "torch.randn(4, 3)", "o:float()", "updateGradInput",
     "Cosine.lua:89: invalid arguments: FloatTensor DoubleTensor "),
    ("nn.Cosine(3, 2)", "torch.randn(4, 3)", "torch.randn(5, 2)", "backward",
     "Cosine.lua:89: inconsistent tensor size, expected r_ [5 x 2], t [5 x 2] and src [4 x 2] "
     "to have the same number of elements, but got 10, 10 and 8 elements respectively"),
    # Cosine.lua:136-137: a vector gradOutput sums to one number, grad:cdiv indexes it
    ("nn.Cosine(3, 2)", "torch.randn(4, 3)", "o:clone():view(-1)", "accGradParameters",
     "Cosine.lua:137: attempt to index local 'grad' (a number value)"),
    ("nn.Bilinear(3, 3, 2)", PAIR, "o:float()", "backward",
     "Bilinear.lua:99: invalid arguments: DoubleTensor FloatTensor "),
    ("nn.DotProduct()", PAIR, "o:float()", "backward",
     "DotProduct.lua:46: invalid arguments: DoubleTensor FloatTensor "),
    ("nn.CosineDistance()", PAIR, "o:float()", "updateGradInput",
     "CosineDistance.lua:95: invalid arguments: DoubleTensor FloatTensor "),
])
def test_gradoutput_errors_at_their_lua_lines(rt, mod, inp, go, meth, want):
    # (the first line: cwrap's list of the accepted arguments follows)
    assert lua_error(rt, _bwd(mod, inp, go, meth)).split("\n")[0] == NN + want


SET_D = "bad argument #1 to 'set' (expecting number or torch.DoubleTensor or torch.DoubleStorage)"


@pytest.mark.parametrize("mod,inp,meth,want", [
    # Reshape.lua:59 self.gradInput:viewAs(gradOutput, input), Unsqueeze.lua:30
    # self.gradInput:view(gradOutput, input:size()): Tensor.lua's view sets a double result
    # to a float storage
    ("nn.Reshape(12)", "torch.randn(4, 3)", "updateGradInput",
     "/usr/local/share/lua/5.1/torch/Tensor.lua:462: " + SET_D),
    ("nn.Unsqueeze(1)", "torch.randn(4, 3)", "backward",
     "/usr/local/share/lua/5.1/torch/Tensor.lua:462: " + SET_D),
    # CMul.lua:90 nn.utils.contiguousView(self._gradOutput, gradOutput, batchSize, -1)
    ("nn.CMul(3)", "torch.randn(4, 3)", "updateGradInput",
     "/usr/local/share/lua/5.1/torch/Tensor.lua:462: " + SET_D),
    # CAdd.lua:93 self._gradBias:view(self.gradBias, 1, -1), _gradBias = gradOutput.new()
    ("nn.CAdd(3)", "torch.randn(4, 3)", "accGradParameters",
     "/usr/local/share/lua/5.1/torch/Tensor.lua:462: bad argument #1 to 'set' (expecting "
     "number or torch.FloatTensor or torch.FloatStorage)"),
    # Max.lua:53 / Min.lua:53 gradInput:resizeAs(input):zero():scatter(dim, indices, gradOutput)
    ("nn.Max(2)", "torch.randn(4, 3)", "updateGradInput",
     NN + "Max.lua:53: invalid arguments: DoubleTensor number LongTensor FloatTensor "),
    ("nn.Min(2)", "torch.randn(4, 3)", "backward",
     NN + "Min.lua:53: invalid arguments: DoubleTensor number LongTensor FloatTensor "),
])
def test_float_gradoutput_of_a_double_module(rt, mod, inp, meth, want):
    # (the first line: cwrap's list of the accepted arguments follows)
    assert lua_error(rt, _bwd(mod, inp, "o:float()", meth)).split("\n")[0] == want


@pytest.mark.parametrize("mod,inp,meth,want", [
    # MM.lua:82 self.gradInput[1][f](self.gradInput[1], gradOutput, b)
    ("nn.MM()", "{torch.randn(4, 3), torch.randn(3, 2)}", "backward",
     NN + "MM.lua:82: invalid arguments: DoubleTensor FloatTensor DoubleTensor "),
    # PairwiseDistance.lua:78 self.grad:resizeAs(input[1]), self.grad = gradOutput.new()
    ("nn.PairwiseDistance(2)", PAIR, "updateGradInput",
     NN + "PairwiseDistance.lua:78: bad argument #1 to 'resizeAs' (torch.FloatTensor expected, "
          "got torch.DoubleTensor)"),
    # BatchNormalization.lua:151 gradInput:resizeAs(gradOutput); without a gradInput, THNN's
    # FFI conversion of gradOutput, its argument 3
    ("nn.BatchNormalization(3)", "torch.randn(4, 3)", "backward",
     NN + "BatchNormalization.lua:151: bad argument #1 to 'resizeAs' (torch.DoubleTensor "
          "expected, got torch.FloatTensor)"),
    ("nn.SpatialBatchNormalization(2)", "torch.randn(2, 2, 3, 3)", "accGradParameters",
     THNN + "bad argument #3 to 'v' (cannot convert 'struct THFloatTensor *' to "
            "'struct THDoubleTensor *')"),
    # CMul.lua:82 / 116: a weight of gradOutput's element count, addcmul
    ("nn.CMul(4, 3)", "torch.randn(4, 3)", "updateGradInput",
     NN + "CMul.lua:82: invalid arguments: DoubleTensor number DoubleTensor FloatTensor "),
    ("nn.CMul(4, 3)", "torch.randn(4, 3)", "accGradParameters",
     NN + "CMul.lua:116: invalid arguments: DoubleTensor number DoubleTensor FloatTensor "),
])
def test_float_gradoutput_at_the_lua_line(rt, mod, inp, meth, want):
    assert lua_error(rt, _bwd(mod, inp, "o:float()", meth)).split("\n")[0] == want


def _tc_windows(T, R, kW, dW):
    """TemporalConvolution.c's window groups over R gradOutput frames, as its loop runs them
    (C's truncating division): (gradOutput frame, first input frame) pairs."""
    ofs = (kW - 1) // dW + 1
    ifs = ofs * dW
    pairs, k = [], 0
    while R > 0:
        q = T - k * dW - kW
        nf = int(q / ifs) + 1
        R -= nf
        pairs += [(k + j * ofs, k * dW + j * ifs) for j in range(nf)]
        k += 1
    return pairs


@pytest.mark.parametrize("rows", [5, 6])
def test_temporal_convolution_more_frames_within_bounds(rows):
    # a [rows x 2] gradOutput of a [5 x 3] input (4 output frames): THNN's loop takes groups
    # until the rows are used up; for 5 and 6 rows the extra groups stay inside both tensors
    # (the reference ran them without an error: 6 rows gave gradInput's sum 5.7667 for its
    # draws); the result is those windows' products, as numpy computes them here
    import torch7py as torch
    from torch7py import nn
    rng = np.random.RandomState(rows)
    m = nn.TemporalConvolution(3, 2, 2)
    x = torch.DoubleTensor(5, 3)
    x.numpy()[...] = rng.randn(5, 3)
    g = torch.DoubleTensor(rows, 2)
    g.numpy()[...] = rng.randn(rows, 2)
    m.forward(x)
    m.zeroGradParameters()
    gi = m.backward(x, g).numpy()
    W = m.weight.numpy()
    want_gi = np.zeros((5, 3))
    want_gw = np.zeros_like(W)
    for r, i in _tc_windows(5, rows, 2, 1):
        want_gi[i:i + 2] += (g.numpy()[r] @ W).reshape(2, 3)
        want_gw += np.outer(g.numpy()[r], x.numpy()[i:i + 2].reshape(-1))
    np.testing.assert_allclose(gi, want_gi, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(m.gradWeight.numpy(), want_gw, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(m.gradBias.numpy(), g.numpy().sum(0), rtol=1e-12)


def _crit(crit, inp, target, meth):
    return ("(function() local c = %s; local x = %s; return c:%s(x, %s) end)()"
            % (crit, inp, meth, target))


@pytest.mark.parametrize("crit,inp,target,meth,want", [
    # MultiLabelSoftMarginCriterion.lua:39 target:view(target:nElement()), :51
    # self._buffer1:mul(-1):add(t):cmul(x), :75 self.gradInput:add(-1, target)
    ("nn.MultiLabelSoftMarginCriterion()", "torch.rand(2, 3)", "'x'", "forward",
     "MultiLabelSoftMarginCriterion.lua:39: attempt to call method 'nElement' (a nil value)"),
    ("nn.MultiLabelSoftMarginCriterion()", "torch.rand(2, 3)", "torch.LongTensor{0, 5}",
     "forward", "MultiLabelSoftMarginCriterion.lua:51: invalid arguments: DoubleTensor "
                "LongTensor "),
    ("nn.MultiLabelSoftMarginCriterion(); c:forward(torch.rand(2, 3), torch.rand(2, 3))",
     "torch.rand(2, 3)", "{torch.rand(2)}",
     "updateGradInput", "MultiLabelSoftMarginCriterion.lua:75: invalid arguments: DoubleTensor "
                        "number table "),
    # CosineEmbeddingCriterion.lua:62 y.eq(self._idx, y, -1), :109 y.le(self._idx, ...)
    ("nn.CosineEmbeddingCriterion()", "{torch.rand(2, 3), torch.rand(2, 3)}", "'x'",
     "forward", "CosineEmbeddingCriterion.lua:62: attempt to call field 'eq' (a nil value)"),
    ("nn.CosineEmbeddingCriterion(); c:forward({torch.rand(2, 3), torch.rand(2, 3)}, "
     "torch.Tensor{1, -1})", "{torch.rand(2, 3), torch.rand(2, 3)}", "nil",
     "updateGradInput",
     "CosineEmbeddingCriterion.lua:109: attempt to index local 'y' (a nil value)"),
    # MarginRankingCriterion.lua:51 dist:mul(-1):cmul(y) (a LongTensor y included)
    ("nn.MarginRankingCriterion()", "{torch.rand(2), torch.rand(2)}", "torch.rand(7)",
     "updateGradInput", "MarginRankingCriterion.lua:51: inconsistent tensor size, expected r_ "
     "[2], t [2] and src [7] to have the same number of elements, but got 2, 2 and 7 elements "
     "respectively"),
    ("nn.MarginRankingCriterion()", "{torch.rand(2), torch.rand(2)}", "torch.LongTensor{0, 5}",
     "updateGradInput", "MarginRankingCriterion.lua:51: invalid arguments: DoubleTensor "
                        "LongTensor "),
    # ParallelCriterion.lua:22 / :32 target[i]
    ("nn.ParallelCriterion():add(nn.MSECriterion())", "{torch.rand(2)}", "nil", "forward",
     "ParallelCriterion.lua:22: attempt to index local 'target' (a nil value)"),
    ("nn.ParallelCriterion():add(nn.MSECriterion())", "{torch.rand(2)}", "nil",
     "updateGradInput", "ParallelCriterion.lua:32: attempt to index local 'target' (a nil value)"),
])
def test_criterion_target_errors_at_their_lua_lines(rt, crit, inp, target, meth, want):
    # (the first line: cwrap's list of the accepted arguments follows)
    got = lua_error(rt, _crit(crit, inp, target, meth)).split("\n")[0]
    assert got.endswith("/nn/" + want) and got.startswith(("/usr/local/", "...")), got
