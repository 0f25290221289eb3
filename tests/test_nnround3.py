"""nn modules that behaved differently from the original Torch7 (session 16, helper nnround3).
Expectations are the texts and values the reference Torch7 (torch7 814ea4a, nn 8726825) prints
for the same Lua, or hand-computed from the original's Lua/C."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from luatest import lua_undone as lua


def _strip(e):
    # the harness's view of an error: no 'file:line: ' position
    return e.split(': ', 1)[1] if e.startswith('/') else e


# ---- Profile: Profile.lua's makeTorchTimerSerializable -------------------------------------

def test_profile_clones_saves_and_loads_with_a_new_timer(tmp_path):
    m = nn.Profile(nn.Tanh(), 10)
    x = torch.randn(3)
    y = m.forward(x).numpy().tolist()
    for other in (m.clone(), None):
        if other is None:
            path = str(tmp_path / 'p.t7')
            torch.save(path, m)
            other = torch.load(path)
        assert other.timer.typename == 'torch.Timer' and other.timer is not m.timer
        assert repr(other.timer) == 'torch.Timer [status: running]'
        assert other.module is other.modules[0]
        assert other.forward(x).numpy().tolist() == y
    # Timer's write writes nothing: the ascii file holds the class header only
    # (TYPE_TORCH 4, the object's index, "V 1", "torch.Timer")
    path = str(tmp_path / 'p.asc')
    torch.save(path, m, 'ascii')
    text = open(path).read()
    assert '\n3\nV 1\n11\ntorch.Timer\n' in text


def test_lua_profile_clone_and_serialize():
    r = lua("""
      require 'nn'
      local m = nn.Profile(nn.Tanh(), 10)
      local c = m:clone()
      local s = torch.serialize(torch.Timer())
      local t = torch.deserialize(s)
      return torch.type(c.timer), #s, torch.type(t), tostring(t)
    """)
    assert r == ('torch.Timer', 30, 'torch.Timer', 'torch.Timer [status: running]')


# ---- Kmeans: the buffers its Lua keeps -----------------------------------------------------

def test_kmeans_fields_after_forward_backward_and_clear_state():
    torch.manualSeed(1)
    m = nn.Kmeans(3, 4)
    x = torch.randn(5, 4)
    m.forward(x)
    m.backward(x, torch.randn(5))
    keys = sorted(k for k, v in vars(m).items() if v is not None)
    # the reference's field list (torch.type of each as the harness prints it)
    assert keys == ['_ccounts', '_clusterDistances', '_cscAdder', '_expandedSamples',
                    '_expandedWeight', '_gradWeight', '_gradWeight2', '_minIndx', '_minScore',
                    '_temp', '_tempExpanded', '_tempWeight', '_tempWeightExp', '_type',
                    'clusterSampleCount', 'dim', 'gradInput', 'gradWeight', 'k', 'loss',
                    'output', 'weight']
    assert torch.type(m._minIndx) == 'torch.LongTensor'
    # _clusterDistances are the squared distances of each centre to each sample (k x batch)
    w, xa = m.weight.numpy(), x.numpy()
    d = ((xa[None] - w[:, None]) ** 2).sum(axis=2)
    assert np.allclose(m._clusterDistances.numpy(), d, rtol=1e-12)
    assert m.output.numpy().tolist() == (d.argmin(axis=0) + 1).tolist()
    assert m._ccounts.numpy().tolist() == pytest.approx(
        (np.bincount(d.argmin(axis=0), minlength=3) + 1e-7).tolist())
    m.clearState()
    keys = sorted(k for k, v in vars(m).items() if v is not None)
    assert keys == ['_ccounts', '_gradWeight', '_gradWeight2', '_type', 'clusterSampleCount',
                    'dim', 'gradInput', 'gradWeight', 'k', 'loss', 'output', 'weight']
    c = m.clone()
    assert sorted(k for k, v in vars(c).items() if v is not None) == keys


# ---- a LongTensor or a string given to a double module ---------------------------------------

BAD = [
    # (Lua expression, the reference's error without its position)
    ("nn.Reshape(3, 2):forward(torch.LongTensor(2, 3):fill(1))",
     "bad argument #2 to 'set' (torch.LongStorage expected)"),
    ("nn.View(3, 2):forward(torch.LongTensor(2, 3):fill(1))",
     "bad argument #2 to 'set' (torch.LongStorage expected)"),
    ("nn.Collapse(2):forward(torch.LongTensor(2, 3):fill(1))",
     "bad argument #2 to 'set' (torch.LongStorage expected)"),
    ("nn.Replicate(2):forward(torch.LongTensor(2, 3):fill(1))",
     "bad argument #2 to 'set' (torch.LongStorage expected)"),
    ("nn.Replicate(2, 2):forward(torch.LongTensor(2, 3):fill(1))",
     "bad argument #2 to 'set' (torch.LongStorage expected)"),
    ("nn.AddConstant(3):forward('abc')",
     "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)"),
    ("nn.AddConstant(3, true):forward('abc')", "attempt to call method 'add' (a nil value)"),
    ("nn.MulConstant(3, true):forward('abc')", "attempt to call method 'mul' (a nil value)"),
    ("nn.CAdd(5):forward('abc')", "attempt to call field 'new' (a nil value)"),
    ("nn.SelectTable(-1):forward(torch.LongTensor(2, 3))",
     "both torch.LongStorage and (null) have no addition operator"),
    ("nn.SelectTable(-1):forward(torch.randn(2, 3))",
     "both torch.LongStorage and (null) have no addition operator"),
]


@pytest.mark.parametrize("expr, text", BAD)
def test_bad_values_fail_where_the_lua_fails(expr, text):
    ok, err = lua("require 'nn'; return pcall(function() return %s end)" % expr)
    assert ok is False and _strip(err) == text


def test_positions_of_those_errors():
    ok, err = lua("""require 'nn'
      return pcall(function() return nn.SelectTable(-1):forward(torch.LongTensor(2, 3)) end)""")
    assert err.endswith("nn/SelectTable.lua:14: both torch.LongStorage and (null) have no "
                        "addition operator")
    ok, err = lua("""require 'nn'
      return pcall(function() return nn.Replicate(2):forward(torch.LongTensor(2, 3)) end)""")
    assert err.endswith("nn/Replicate.lua:37: bad argument #2 to 'set' (torch.LongStorage "
                        "expected)")
    ok, err = lua("""require 'nn'
      return pcall(function() return nn.Reshape(6):forward(torch.LongTensor(2, 3)) end)""")
    assert err.endswith("torch/Tensor.lua:462: bad argument #2 to 'set' (torch.LongStorage "
                        "expected)")
    ok, err = lua("""require 'nn'
      return pcall(function() return nn.AddConstant(3):forward('abc') end)""")
    assert err.endswith("nn/AddConstant.lua:33: bad argument #1 to 'resizeAs' "
                        "(torch.DoubleTensor expected, got userdata)")


def test_buffers_made_by_an_earlier_forward_move_the_failure():
    # CAdd.lua: self._output = self._output or input.new(): with its buffers made, a string
    # gets to self.output:resizeAs(input); MarginRankingCriterion.lua likewise reaches
    # self._output:resizeAs(input[1]) once _output exists
    r = lua("""
      require 'nn'
      local m = nn.CAdd(5); m:forward(torch.randn(5))
      local ok1, e1 = pcall(function() return m:forward('abc') end)
      local c = nn.MarginRankingCriterion(0.5)
      c:forward({torch.randn(3), torch.randn(3)}, torch.Tensor{1, -1, 1})
      local ok2, e2 = pcall(function() return c:forward('abc') end)
      local ok3, e3 = pcall(function() return c:forward(torch.LongTensor(2, 3):fill(1)) end)
      return ok1, e1, ok2, e2, ok3, e3
    """)
    assert r[0] is False and _strip(r[1]) == \
        "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)"
    assert r[2] is False and _strip(r[3]) == \
        "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)"
    assert r[4] is False and _strip(r[5]) == \
        "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.LongTensor)"


# ---- Replicate's backward: THTensor_(sum) --------------------------------------------------

def test_replicate_backward_sums_as_th():
    # gradInput:view(sz):sum(gradOutput, rdim): along a dimension of stride 1 a float
    # tensor's values add up in double and round once; else the float result accumulates
    torch.manualSeed(3)
    g = torch.randn(5, 3).float()
    m = nn.Replicate(3, 2).float()
    x = torch.randn(5).float()
    m.forward(x)
    gi = m.backward(x, g).numpy()
    ga = g.numpy()
    want = np.array([np.float32(float(ga[i, 0]) + float(ga[i, 1]) + float(ga[i, 2]))
                     for i in range(5)], dtype=np.float32)
    assert gi.tobytes() == want.tobytes()
    m = nn.Replicate(3, 1).float()
    gi = m.backward(x, g.t().contiguous()).numpy()
    gt = g.t().contiguous().numpy()
    acc = gt[0].copy()
    acc = acc + gt[1]
    acc = acc + gt[2]           # float32 slice after slice (stride 5 along the summed dim)
    assert gi.tobytes() == acc.astype(np.float32).tobytes()


def test_an_error_with_a_shortened_file_name_keeps_its_one_position():
    # VolumetricFractionalMaxPooling.lua's error('input must be dim 4 or 5'): its file name is
    # LuaJIT's shortened '...' form; called from a Lua line that is no tail call, the error
    # keeps that position only (the reference's text)
    ok, err = lua("""require 'nn'
      local m = nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 3, 3)
      local ok, e = pcall(function() local y = m:forward(torch.LongTensor(2, 3)); return y end)
      return ok, e""")
    assert ok is False
    assert err == "...ocal/share/lua/5.1/nn/VolumetricFractionalMaxPooling.lua:64: input " \
        "must be dim 4 or 5"


# ---- SpatialDepthWiseConvolution: nn 8726825's module and THNN's in-place work ---------------

def _dw_expect(x, w, b, go, k):
    """Hand formulas: output plane i*nOut + o = x[i] (x) w[o, i] + b[o, i]; the gradients
    of weight and bias for (o, i); x (nIn, H, W), w (nOut, nIn, kH, kW), go (nIn*nOut, oH, oW)."""
    nout, nin = w.shape[:2]
    oH, oW = x.shape[1] - k + 1, x.shape[2] - k + 1
    y = np.zeros((nin * nout, oH, oW))
    gw = np.zeros_like(w)
    gb = np.zeros((nout, nin))
    for i in range(nin):
        for o in range(nout):
            p = i * nout + o
            for r in range(oH):
                for c in range(oW):
                    patch = x[i, r:r + k, c:c + k]
                    y[p, r, c] = (patch * w[o, i]).sum() + b[o, i]
                    gw[o, i] += go[p, r, c] * patch
            gb[o, i] = go[p].sum()
    return y, gw, gb


def test_depthwise_layout_fields_and_tostring():
    m = nn.SpatialDepthWiseConvolution(3, 2, 3, 2, 1, 1, 1)
    assert (m.nInputPlane, m.nOutputPlane, m.padW, m.padH) == (3, 2, 1, 1)
    assert 'depthwiseMultiplier' not in vars(m)
    assert list(m.weight.size()) == [2, 18] and list(m.bias.size()) == [2, 3]
    assert str(m) == 'nn.SpatialDepthWiseConvolution(3 -> 2, 3x2, 1,1, 1,1)'
    assert str(nn.SpatialDepthWiseConvolution(2, 2, 2, 2)) == \
        'nn.SpatialDepthWiseConvolution(2 -> 2, 2x2)'
    m.forward(torch.randn(3, 5, 5))
    assert list(m.weight.size()) == [2, 3, 2, 3] and list(m.gradWeight.size()) == [2, 18]


def test_depthwise_values_and_the_gradients_th_leaves():
    torch.manualSeed(2)
    m = nn.SpatialDepthWiseConvolution(2, 2, 2, 2)
    m.gradWeight.zero()
    m.gradBias.zero()
    x = torch.randn(2, 4, 4)
    w = m.weight.numpy().reshape(2, 2, 2, 2).copy()
    b = m.bias.numpy().copy()
    gos = [torch.randn(4, 3, 3) for _ in range(3)]
    strides = []
    S, Sb = 0, 0
    for n, go in enumerate(gos):
        y = m.forward(x).numpy()
        ey, gw, gb = _dw_expect(x.numpy(), w, b, go.numpy(), 2)
        np.testing.assert_allclose(y, ey, rtol=1e-12, atol=1e-14)
        m.backward(x, go)
        strides.append((tuple(m.gradWeight.stride()), tuple(m.gradBias.stride())))
        S, Sb = S + gw, Sb + gb
        G, B = m.gradWeight.numpy(), m.gradBias.numpy()
        if n == 0:      # the values where they belong, in transposed storage
            np.testing.assert_allclose(G, S, rtol=1e-12, atol=1e-13)
            np.testing.assert_allclose(B, Sb, rtol=1e-12, atol=1e-13)
        if n == 1:
            # TH's copy back through a transposed view of one storage (nIn == nOut): the
            # (input 0, kernel 1) block lands on (0, 1) and (1, 0); the bias stays transposed
            want = np.stack([np.stack([S[0, 0], S[1, 0]]), np.stack([S[1, 0], S[1, 1]])])
            np.testing.assert_allclose(G, want, rtol=1e-12, atol=1e-13)
            np.testing.assert_allclose(B, Sb.T, rtol=1e-12, atol=1e-13)
            S, Sb = G.copy(), B.copy()      # what the third call adds to
    # the reference's strides, call after call
    assert strides == [((4, 8, 2, 1), (1, 2)), ((8, 4, 2, 1), (2, 1)), ((4, 8, 2, 1), (1, 2))]


def test_depthwise_non_square_input_as_th_reads_it():
    # THNN's updateOutput reads the input with inputHeight = size[3], inputWidth = size[2]:
    # a 2x5x6 input (kW 3, kH 2, padW 1) gives 6x5x5, and its backward refuses that size
    # (the reference's texts)
    r = lua("""
      require 'nn'
      local m = nn.SpatialDepthWiseConvolution(2, 3, 3, 2, 1, 1, 1, 0)
      local y = m:forward(torch.randn(2, 5, 6))
      local ok, e = pcall(function() return m:backward(torch.randn(2, 5, 6), y:clone()) end)
      return table.concat(y:size():totable(), 'x'), ok, e
    """)
    assert r[0] == '6x5x5' and r[1] is False
    assert _strip(r[2]) == ("Need gradOutput of dimension 4 and gradOutput.size[2] == 4 but got "
                            "gradOutput to be of shape: [2 x 3 x 5 x 5]")


# ---- SparseLinear: nn 8726825's sparse updates ------------------------------------------------

def test_sparse_linear_state_and_sparse_updates():
    # facts from the reference Torch7 running the same calls
    r = lua("""
      require 'nn'
      torch.manualSeed(1)
      local m = nn.SparseLinear(6, 3)
      local x = torch.Tensor{{1, 0.5}, {4, -1}, {6, 2}}
      local out = {}
      m:zeroGradParameters()
      m:forward(x)
      out[#out + 1] = m.sparseUpdate
      out[#out + 1] = tostring(m.lastInput)
      local go = torch.Tensor{0.3, -0.2, 0.7}
      m:backward(x, go)
      out[#out + 1] = m.sparseUpdate
      out[#out + 1] = torch.type(m.lastInput) .. ' ' .. m.lastInput:nElement()
      out[#out + 1] = table.concat(go:size():totable(), 'x')
      local w2 = m.weight[1][2]
      m:updateParameters(0.1)
      out[#out + 1] = m.weight[1][2] == w2       -- column 2 unused: left alone
      out[#out + 1] = m.weight[1][1] - (-0.067751254568306 - 0.015)
      local ok, e = pcall(function() return m:accUpdateGradParameters(x, go, 0.1) end)
      out[#out + 1] = ok
      out[#out + 1] = e
      out[#out + 1] = m.sparseUpdate
      out[#out + 1] = m.gradWeight == m.weight
      out[#out + 1] = table.concat(go:size():totable(), 'x')
      m:zeroGradParameters()
      out[#out + 1] = m.sparseUpdate
      local ok2, e2 = pcall(function() return m:clearState() end)
      out[#out + 1] = ok2
      out[#out + 1] = e2
      out[#out + 1] = m.lastInput:dim()
      return unpack(out)
    """)
    assert r[0] == 0 and r[1] == 'nil'
    assert r[2] == 1 and r[3] == 'torch.DoubleTensor 9' and r[4] == '1x3'
    assert r[5] is True and abs(r[6]) < 1e-14
    assert r[7] is False and r[8].endswith(
        "nn/THNN.lua:110: inconsistent tensor size, expected r_ [3], t [3] and src [1 x 1] to "
        "have the same number of elements, but got 3, 3 and 1 elements respectively")
    assert r[9] == 2 and r[10] is True and r[11] == '1x1'
    assert r[12] == 0
    assert r[13] is False and r[14].endswith(
        "nn/SparseLinear.lua:240: attempt to index field 'THNN' (a nil value)")
    assert r[15] == 0


def test_sparse_linear_table_gradients_and_output_order():
    m = nn.SparseLinear(6, 3)
    w = m.weight.numpy().copy()
    b = m.bias.numpy().copy()
    t = [torch.Tensor([[1, 0.5], [4, -1]]), torch.Tensor([[2, 3]])]
    y = m.forward(t).numpy()
    # THNN: output = 0, an axpy per entry, then the bias added
    want = np.stack([(0.0 + w[:, 0] * 0.5) + w[:, 3] * -1, 0.0 + w[:, 1] * 3]) + b
    assert y.tobytes() == want.tobytes()
    m.zeroGradParameters()
    g = torch.Tensor([[1, 2, 3], [-1, 0.5, 2]])
    m.backward(t, g)
    gw = np.zeros((3, 6))
    gw[:, 0] = 0.5 * g.numpy()[0]
    gw[:, 3] = -1 * g.numpy()[0]
    gw[:, 1] = 3 * g.numpy()[1]
    assert m.gradWeight.numpy().tolist() == gw.tolist()
    assert m.gradBias.numpy().tolist() == [0, 2.5, 5]
    assert m.sparseUpdate == 1 and m.lastInput.numpy().tolist() == [[1, 1, 0.5], [1, 4, -1],
                                                                     [2, 2, 3]]


# ---- IndexLinear: flattenInputs' bookkeeping -------------------------------------------------

def test_index_linear_running_cumsumsizes_and_clear_state():
    # the reference: after a forward and backward of a 2-sample table input,
    # running.cumSumSizes = {LongTensor{2, 4}}; clearState keeps cumSumSizes and empties
    # lkeys/lvalues
    m = nn.IndexLinear(6, 3)
    x = [[torch.LongTensor([1, 4]), torch.LongTensor([2, 6])],
         [torch.Tensor([0.5, -1]), torch.Tensor([2, 1.5])]]
    m.forward(x)
    m.backward(x, torch.randn(2, 3))
    cs = m.running['cumSumSizes']
    assert len(cs) == 1 and torch.type(cs[0]) == 'torch.LongTensor'
    assert cs[0].numpy().tolist() == [2, 4] and cs[0] is m.cumSumSizes
    assert m.cumSumSizes is m.cumSumSizesCache[0] and m.sizes is m.sizesCache[0]
    assert m.keys is m.running['keys'][0] and m.keys.numpy().tolist() == [1, 4, 2, 6]
    assert m.lkeys is x[0] and m.lvalues is x[1]
    m.clearState()
    have = sorted(k for k, v in vars(m).items() if v is not None)
    assert 'cumSumSizes' in have and 'keys' not in have and 'values' not in have
    assert m.lkeys == [] and m.lvalues == []


def test_index_linear_loaded_module_runs():
    # a loaded module's running tables come back as tables read from the file
    m = nn.IndexLinear(6, 3)
    back = torch.deserialize(torch.serialize(m))
    x = [[torch.LongTensor([1, 4])], [torch.Tensor([0.5, -1])]]
    y = back.forward(x).numpy().copy()
    back.zeroGradParameters()
    back.backward(x, torch.ones(1, 3))
    back.updateParameters(0.1)
    w = m.weight.numpy()
    assert np.allclose(y, (w[0] * 0.5 - w[3] + m.bias.numpy())[None], rtol=1e-12)


# ---- TH's indexSelect: its two paths --------------------------------------------------------

def test_index_select_out_of_range_on_each_path():
    # the reference's texts: the contiguous dim-1 path checks every index first (THError);
    # the other path copies slice after slice, get1d (#2) on a vector, select (#3) on a
    # matrix refusing the bad index after copying the ones before it
    r = lua("""
      local r = torch.Tensor()
      local out = {}
      local function p(f)
         local ok, e = pcall(f)
         out[#out + 1] = e
         out[#out + 1] = table.concat(r:size():totable(), 'x')
      end
      local src = torch.Tensor{{1, 2}, {3, 4}, {5, 6}}
      local ncv = src:select(2, 1)
      p(function() return r:index(src, 1, torch.LongTensor{1, 9}) end)
      p(function() return r:index(ncv, 1, torch.LongTensor{2, 9, 1}) end)
      out[#out + 1] = r[1]
      p(function() return r:index(src, 2, torch.LongTensor{1, 3}) end)
      out[#out + 1] = r[2][1]
      return unpack(out)
    """)
    assert r == ("index out of range", "2x2",
                 "bad argument #2 to '?' (out of range)", "3", 3,
                 "bad argument #3 to '?' (out of range)", "3x2", 3)
