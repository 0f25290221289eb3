"""Mechanisms found by running public legacy Torch7 code through th (session s11, helper
legacysweep10, see docs/legacy_sweep.md); expectations from the original sources' rules."""
import pytest

from luatest import lua_undone as lua


def test_margin_ranking_of_a_two_row_tensor_with_a_number_target():
    # MarginRankingCriterion.lua reads input[1][1] and input[2][1]: a 2x1 tensor's rows are
    # its two inputs (PanDav2/MemoryNetwork joins two 1x1 scores with JoinTable(1)).
    # loss = max(0, -y * (x1 - x2) + margin), gradInput {-y, y} unless the distance is < 0
    r = lua("""
      require 'nn'
      local c = nn.MarginRankingCriterion(0.1)
      local x = torch.Tensor{{0.25}, {0.5}}
      local l = c:forward(x, 1)
      local g = c:backward(x, 1)
      local a, b = g[1][1], g[2][1]
      local l2 = c:forward(torch.Tensor{{0.5}, {0.25}}, 1)
      local g2 = c:backward(torch.Tensor{{0.5}, {0.25}}, 1)
      return l, a, b, l2, g2[1][1], g2[2][1], torch.type(g), #g
    """)
    assert r[0] == pytest.approx(0.35)
    assert r[1:3] == (-1, 1)
    assert r[3] == 0 and r[4:6] == (0, 0)
    assert r[6:] == ('table', 2)


def test_margin_ranking_batch_mode_on_a_tensor_input():
    # a tensor target: input[1], input[2] are the rows; loss = mean(max(0, -y (x1 - x2) + m))
    r = lua("""
      require 'nn'
      local c = nn.MarginRankingCriterion(1)
      local x = torch.Tensor{{1, 2, 3}, {3, 1, 0}}
      local y = torch.Tensor{1, -1, 1}
      local l = c:forward(x, y)
      local g = c:backward(x, y)
      return l, g[1][1], g[1][2], g[1][3], g[2][1], g[2][2], g[2][3]
    """)
    # -y (x1 - x2) + 1: 3, 2, -2 -> 3 + 2 + 0 over 3
    assert r[0] == pytest.approx(5 / 3)
    assert r[1:] == pytest.approx((-1 / 3, 1 / 3, 0, 1 / 3, -1 / 3, 0))


def test_margin_ranking_number_target_on_matrices_is_math_max_error():
    # a table of two 1x1 tensors: input[1][1] is a tensor, so -y * (a - b) + margin is a
    # tensor (Torch's operators) and math.max(0, tensor) refuses it, as in LuaJIT
    r = lua("""
      require 'nn'
      local c = nn.MarginRankingCriterion(0.1)
      local ok, err = pcall(function() return c:forward({torch.ones(1, 1), torch.zeros(1, 1)}, 1) end)
      return ok, err
    """)
    assert r[0] is False
    assert r[1].endswith("bad argument #2 to 'max' (number expected, got userdata)")


def test_pair_layers_read_a_tensors_rows_as_their_two_inputs():
    # input[1], input[2] in CosineDistance.lua, DotProduct.lua, PairwiseDistance.lua,
    # L1HingeEmbeddingCriterion.lua, CosineEmbeddingCriterion.lua, CSubTable.lua and
    # CDivTable.lua index whatever input is: a 2xN tensor gives its two rows
    r = lua("""
      require 'nn'
      local x = torch.Tensor{{1, 2, 3}, {3, 1, 0}}
      local cd = nn.CosineDistance():forward(x)[1]
      local dp = nn.DotProduct():forward(x)[1]
      local pd = nn.PairwiseDistance(2):forward(x)[1]
      local l1 = nn.L1HingeEmbeddingCriterion(1):forward(x, 1)
      local ce = nn.CosineEmbeddingCriterion(0):forward(x, torch.Tensor{1})
      local cs = nn.CSubTable():forward(x)
      local dv = nn.CDivTable():forward(x + 1)
      local g = nn.DotProduct():backward(x, torch.Tensor{2})
      return cd, dp, pd, l1, ce, cs[1], cs[2], cs[3], dv[1], dv[3], g[1][1], g[2][3]
    """)
    cos = 5 / 140 ** 0.5
    assert r[:5] == pytest.approx((cos, 5, 14 ** 0.5, 6, 1 - cos))
    assert r[5:8] == (-2, 1, 3)
    assert r[8:10] == pytest.approx((2 / 4, 4 / 1))
    # d(x1.x2)/dx1 = x2, times gradOutput 2; d/dx2 = x1
    assert r[10:] == (6, 6)


def test_table_layers_on_a_tensor_fail_where_their_lua_uses_its_length():
    # #tensor is a LongStorage (Tensor.c's __len__ is size): CSubTable's backward loop
    # `for i=#input+1, ...` adds 1 to it, NarrowTable's `for i=1,#input` takes it as a limit
    r = lua("""
      require 'nn'
      local x = torch.Tensor{{1, 2, 3}, {3, 1, 4}}
      local m = nn.CSubTable(); m:forward(x)
      local ok1, e1 = pcall(function() return m:backward(x, torch.ones(3)) end)
      local n = nn.NarrowTable(2)
      local out = n:forward(x)
      local ok2, e2 = pcall(function() return n:backward(x, {torch.ones(3)}) end)
      local ok3, e3 = pcall(function() return nn.NarrowTable(3):forward(x) end)
      local ok4, e4 = pcall(function() return nn.ZipTableOneToMany():forward(x) end)
      return ok1, e1, #out, out[1][3], ok2, e2, ok3, e3, ok4, e4
    """)
    # (a LongStorage plus a number is luaT's __add, which fails with its own text: the
    # reference Torch7 prints "...CSubTable.lua:21: both torch.LongStorage and (null) ...")
    assert r[0] is False and r[1].endswith(
        "CSubTable.lua:21: both torch.LongStorage and (null) have no addition operator")
    assert r[2:4] == (1, 4)
    assert r[4] is False and r[5].endswith("'for' limit must be a number")
    assert r[6] is False and r[7].endswith("bad argument #2 to '?' (out of range)")
    # ZipTableOneToMany.lua: assert(#input == 2, ...), a LongStorage is not 2
    assert r[8] is False and r[9].endswith("input must be table of element and table")


def test_moses_161_functions_from_its_tutorial():
    # moses 1.6.1's documented results (its tutorial's examples, worked by hand)
    r = lua("""
      local _ = require 'moses'
      local at = _.at({4, 5, 6}, 1, 2)
      local cf = _.countf({1, 2, 3, 4, 5, 6}, function(i, v) return v % 2 == 0 end)
      local mr = _.mapReduce({1, 2, 3, 4}, function(s, v) return s + v end)
      local parts = {}
      for p in _.partition({1, 2, 3, 4, 5}, 2, 0) do parts[#parts + 1] = table.concat(p, ',') end
      local slides = {}
      for p in _.sliding({1, 2, 3, 4, 5}, 3) do slides[#slides + 1] = table.concat(p, ',') end
      local ch = _.chunk({1, 1, 2, 3, 3, 4}, function(k, v) return v % 2 end)
      local np = 0
      for p in _.permutation({'a', 'b', 'c'}) do np = np + 1 end
      local add3 = _.curry(function(a, b, c) return a + b + c end, 3)
      local t = _.template({a = 1}, {a = 9, b = 2})
      local ip = _.interpose('x', {1, 2, 3})
      return table.concat(at, ','), cf, table.concat(mr, ','), table.concat(parts, ';'),
             table.concat(slides, ';'), #ch, table.concat(ch[0], ','), table.concat(ch[1], ','),
             np, add3(1)(2)(3), t.a, t.b, table.concat(ip, ','), _.same({1, 2}, {2, 1}),
             #_.shuffle({1, 2, 3, 4}), _.uniqueId('id%d'), _.uniqueId()
    """)
    assert r[:5] == ('4,5', 3, '1,3,6,10', '1,2;3,4;5,0', '1,2,3;3,4,5')
    # chunk numbers its runs from 0: {1,1}, {2}, {3,3}, {4}
    assert r[5:8] == (3, '1,1', '2')
    assert r[8:] == (6, 6, 1, 2, '1,x,2,x,3', True, 4, 'id0', 1)


def test_lookup_table_with_a_vector_weight_a_script_put_in():
    # r0hilp/cs287-hw3's NCE: out_bias = nn.LookupTable(V, 1); out_bias.weight = bias:clone()
    # (a vector). LookupTable.lua's 1-D path is weight:index(1, input), a vector here; THNN's
    # accGradParameters adds gradOutput's rows of gradWeight's stride (1) into gradWeight
    r = lua("""
      require 'nn'
      local m = nn.LookupTable(5, 1)
      m.weight = torch.Tensor{10, 20, 30, 40, 50}
      local idx = torch.LongTensor{2, 4, 4}
      local out = m:forward(idx)
      m:zeroGradParameters()
      m:backward(idx, torch.Tensor{1, 2, 3})
      local gw = m.gradWeight
      local o1, o2, o3 = out[1], out[2], out[3]
      local ok, err = pcall(function() return m:forward(torch.LongTensor{{1, 2}}) end)
      return out:dim(), o1, o2, o3, gw:dim(), gw[2][1], gw[4][1], gw:sum(), ok, err, out:size(1)
    """)
    assert r[:4] == (1, 20, 40, 40)
    assert r[4:8] == (2, 1, 5, 6)
    # the 2-D path views the output with weight:size(2): Tensor.c's argument check, after
    # self.output:index(self.weight, 1, input:view(-1)) made the output the 2 rows' vector
    # (the original prints out:size() = 2 there, and out[3] is then out of range)
    assert r[8] is False
    assert r[9].endswith("bad argument #1 to 'size' (dimension 2 out of range of 1D tensor)")
    assert r[10] == 2


def test_lookup_table_with_a_weight_of_another_type():
    # LookupTable.lua's self.output:index(self.weight, 1, input): a FloatTensor weight in a
    # Double module fails Tensor.c's index: luaT_checkudata(L, 2, torch.DoubleTensor), #1
    # after self in a method call (index is no cwrap function in Torch7)
    r = lua("""
      require 'nn'
      local m = nn.LookupTable(5, 2)
      m.weight = torch.FloatTensor(5, 2):fill(1)
      local ok, err = pcall(function() return m:forward(torch.LongTensor{1, 2}) end)
      local m2 = nn.LookupTable(5, 2):float()
      return ok, err, torch.type(m2:forward(torch.LongTensor{1, 2}))
    """)
    assert r[0] is False
    assert r[1].endswith("bad argument #1 to 'index' (torch.DoubleTensor expected, got "
                         "torch.FloatTensor)")
    assert r[2] == "torch.FloatTensor"
