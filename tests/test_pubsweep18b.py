"""Mechanisms found by running public nngraph / recurrent / data-handling Lua code through th
(session 18, helper pubsweep18b); each expectation is what the original Torch7 (the reference
build of torch7 + nngraph 3ed3b9b on LuaJIT 2.1.0-beta2) printed for the same lines."""
from luatest import lua_undone as lua


def test_nngraph_asserts_carry_their_lua_position():
    # nngraph's argument checks are Lua assert(cond, msg) calls; LuaJIT 2.1.0-beta2's assert
    # raises msg with the caller's position (lj_err_callermsg), as error(msg) does. The
    # original printed "/usr/local/share/lua/5.1/nngraph/init.lua:27: Use {input1, ..." etc.
    r = lua("""
      require 'nngraph'
      local a, b = nn.Identity()(), nn.Identity()()
      local out = {}
      local function try(f) local ok, e = pcall(f); out[#out + 1] = e end
      try(function() return nn.Linear(2, 2)(a, b) end)
      try(function() return nngraph.nest(a, b) end)
      try(function() return nngraph.nest() end)
      try(function() return nngraph.JustElement():forward({torch.rand(2), torch.rand(2)}) end)
      try(function() return nn.CAddTable()({a, a}) end)
      try(function()
        local i = nn.Identity()(); local h = nn.Tanh()(i); local dangling = nn.Sigmoid()(h)
        return nn.gModule({i}, {h})
      end)
      return unpack(out)
    """)
    where = [e.split(': ', 1) for e in r]
    assert [w[0].split('/lua/5.1/', 1)[1] for w in where] == [
        'nngraph/init.lua:27', 'nngraph/nest.lua:41', 'nngraph/nest.lua:44',
        'nngraph/JustElement.lua:10', 'nngraph/node.lua:40', 'nngraph/gmodule.lua:176']
    assert [w[1] for w in where[:5]] == [
        'Use {input1, input2} to pass multiple inputs.',
        'Use {input1, input2} to pass multiple inputs.', 'Pass an input.',
        'expecting one element', "Don't pass the same input twice."]
    assert where[5][1].endswith('does not connect to gmodule output')


def test_gmodule_given_a_node_instead_of_a_table():
    # gModule:__init loops to table.maxn(inputs) / table.maxn(outputs): a node is a Lua table
    # of named fields (maxn 0), then `#inputs` is luaT's __len error. The original printed
    # ".../nngraph/gmodule.lua:92: nngraph.Node has no length operator" and, for outputs given
    # as a bare node (no outputs), ".../nngraph/gmodule.lua:132: expecting only one start"
    r = lua("""
      require 'nngraph'
      local z = nn.Identity()()
      local ok1, e1 = pcall(function() return nn.gModule(z, {nn.Tanh()(z)}) end)
      local y = nn.Identity()()
      local ok2, e2 = pcall(function() return nn.gModule({y}, nn.Tanh()(y)) end)
      return ok1, e1, ok2, e2
    """)
    assert r[0] is False and r[2] is False
    assert r[1].endswith('/lua/5.1/nngraph/gmodule.lua:92: nngraph.Node has no length operator')
    assert r[3].endswith('/lua/5.1/nngraph/gmodule.lua:132: expecting only one start')


def test_backward_with_a_wrong_gradoutput_names_the_nn_line():
    # A gradOutput of the wrong size (or nil) fails inside the module's updateGradInput; the
    # error carries that nn file's line as in Torch7 (messages printed by the original, the
    # installation prefix left out)
    r = lua("""
      require 'nn'
      local t2 = function() return {torch.rand(2, 3), torch.rand(2, 3)} end
      local mat = function() return torch.rand(2, 3) end
      local cases = {
        {nn.CAddTable(), t2}, {nn.CMulTable(), t2}, {nn.CMaxTable(), t2}, {nn.JoinTable(2), t2},
        {nn.MM(), function() return {torch.rand(2, 3), torch.rand(3, 2)} end},
        {nn.NarrowTable(1, 1), t2}, {nn.PairwiseDistance(2), t2}, {nn.Normalize(2), mat},
        {nn.Power(2), mat}, {nn.Max(2), mat}, {nn.Mul(), mat}, {nn.Padding(2, 1), mat},
        {nn.Bilinear(3, 3, 2), t2}, {nn.Euclidean(3, 2), mat},
        {nn.SplitTable(1), mat}, {nn.Squeeze(), function() return torch.rand(2, 1, 3) end},
      }
      local out = {}
      for _, c in ipairs(cases) do
        local m, inp = c[1], c[2]()
        m:forward(inp)
        local _, e1 = pcall(function() return m:backward(inp, nil) end)
        local _, e2 = pcall(function() return m:backward(inp, torch.rand(5, 5)) end)
        out[#out + 1] = tostring(e1):match('nn/([%w]+%.lua:%d+): ') or '-'
        out[#out + 1] = tostring(e2):match('nn/([%w]+%.lua:%d+): ') or '-'
      end
      return table.concat(out, ' ')
    """)
    assert r.split() == (
        'CAddTable.lua:27 CAddTable.lua:27 CMulTable.lua:37 CMulTable.lua:37 CMaxTable.lua:37 '
        'CMaxTable.lua:37 JoinTable.lua:63 JoinTable.lua:65 MM.lua:57 MM.lua:82 '
        'NarrowTable.lua:24 NarrowTable.lua:24 PairwiseDistance.lua:75 PairwiseDistance.lua:81 '
        'Normalize.lua:55 Normalize.lua:78 Power.lua:20 Power.lua:20 utils.lua:164 Max.lua:53 '
        'Mul.lua:31 Mul.lua:31 Padding.lua:59 Padding.lua:59 Bilinear.lua:17 Bilinear.lua:17 '
        'Euclidean.lua:115 Euclidean.lua:116 SplitTable.lua:38 SplitTable.lua:39 '
        'Squeeze.lua:36 Squeeze.lua:37').split()


def test_jointable_backward_narrows_the_gradoutput():
    # JoinTable.lua's updateGradInput copies gradOutput:narrow(dim, offset, size) into each
    # gradInput: a gradOutput too short fails in narrow (line 63), one with too few elements
    # in copy's count check (line 65); a longer one is read in part. The original printed
    # these messages and 7, 12
    r = lua("""
      require 'nn'
      local m = nn.JoinTable(1)
      local inp = {torch.rand(2, 3), torch.rand(2, 3)}
      m:forward(inp)
      local _, e1 = pcall(function() return m:backward(inp, torch.rand(3, 3)) end)
      local _, e2 = pcall(function() return m:backward(inp, torch.rand(7)) end)
      local ok = pcall(function() return m:backward(inp, torch.rand(5, 3)) end)
      local g = m:backward(inp, torch.range(1, 12):view(4, 3))
      return e1, e2, ok, g[2][1][1], g[2][2][3]
    """)
    assert r[0].endswith("/nn/JoinTable.lua:63: bad argument #3 to 'narrow' (out of range)")
    assert r[1].endswith("/nn/JoinTable.lua:65: inconsistent tensor size, expected tensor "
                         "[2 x 3] and src [2] to have the same number of elements, but got 6 "
                         "and 2 elements respectively")
    assert r[2:] == (True, 7, 12)


def test_node_without_a_data_table_fails_at_node_lua_12():
    # nnNode:__init's first line after graph.Node's sets self.data.annotations: data that is
    # not a table fails there; the original printed ".../nngraph/node.lua:12: attempt to
    # index field 'data' (a nil value)" (a number value for nngraph.Node(3))
    r = lua("""
      require 'nngraph'
      local _, e1 = pcall(function() return nngraph.Node() end)
      local _, e2 = pcall(function() return nngraph.Node(3) end)
      return e1, e2
    """)
    assert r[0].endswith("/nngraph/node.lua:12: attempt to index field 'data' (a nil value)")
    assert r[1].endswith("/nngraph/node.lua:12: attempt to index field 'data' (a number value)")


def test_backward_errors_of_more_modules_name_their_line():
    # as above, for the modules of the second sweep (the original's positions; '-' where its
    # backward went through)
    r = lua("""
      require 'nn'
      local mat = function() return torch.rand(2, 3) end
      local img = function() return torch.rand(2, 3, 6, 6) end
      local cases = {
        {nn.BatchNormalization(3), mat}, {nn.Log(), mat},
        {nn.MV(), function() return {torch.rand(2, 3, 4), torch.rand(2, 4)} end},
        {nn.Bottle(nn.Linear(3, 2)), function() return torch.rand(2, 2, 3) end},
        {nn.Unsqueeze(2), mat}, {nn.Replicate(3, 2), mat},
        {nn.SpatialMaxPooling(2, 2, 2, 2), img}, {nn.SpatialAveragePooling(2, 2, 2, 2), img},
        {nn.SpatialUpSamplingNearest(2), img},
      }
      local out = {}
      for _, c in ipairs(cases) do
        local m, inp = c[1], c[2]()
        m:forward(inp)
        for _, g in ipairs({false, torch.rand(7), torch.rand(5, 5)}) do
          local ok, e = pcall(function() return m:backward(inp, g or nil) end)
          out[#out + 1] = ok and '-' or (tostring(e):match('nn/([%w]+%.lua:%d+): ') or '?')
        end
      end
      return table.concat(out, ' ')
    """)
    assert r.split() == (
        'BatchNormalization.lua:77 BatchNormalization.lua:78 BatchNormalization.lua:83 '
        'Log.lua:18 Log.lua:18 Log.lua:18 MV.lua:53 MV.lua:70 ? Bottle.lua:48 ? ? '
        'Unsqueeze.lua:4 Unsqueeze.lua:28 Unsqueeze.lua:28 Replicate.lua:55 Replicate.lua:55 - '
        'SpatialMaxPooling.lua:62 THNN.lua:110 THNN.lua:110 SpatialAveragePooling.lua:69 '
        'THNN.lua:110 THNN.lua:110 SpatialUpSamplingNearest.lua:54 THNN.lua:110 THNN.lua:110'
    ).split()


def test_softsign_backward_gradoutput_count_is_line_13():
    # SoftSign.lua: line 12 fills tempgrad from the input, line 13 copies gradOutput into
    # gradInput; the original printed ".../nn/SoftSign.lua:13: inconsistent tensor size, ..."
    r = lua("""
      require 'nn'
      local m = nn.SoftSign(); local x = torch.rand(2, 3); m:forward(x)
      local _, e = pcall(function() return m:backward(x, torch.rand(7)) end)
      return e
    """)
    assert r.endswith("nn/SoftSign.lua:13: inconsistent tensor size, expected tensor [2 x 3] and "
                      "src [7] to have the same number of elements, but got 6 and 7 elements "
                      "respectively")


def test_criterion_target_checks_name_their_line():
    # a target of the wrong size (or a string for CrossEntropyCriterion) fails in the
    # criterion's own Lua line; the positions the original printed
    r = lua("""
      require 'nn'
      local x = torch.rand(2, 3)
      local out = {}
      local function pos(f)
        local ok, e = pcall(f)
        out[#out + 1] = ok and '-' or (tostring(e):match('nn/([%w]+%.lua:%d+): ') or '?')
      end
      for _, c in ipairs({nn.BCECriterion(), nn.DistKLDivCriterion(),
                          nn.HingeEmbeddingCriterion()}) do
        pos(function() return c:forward(x, torch.rand(7)) end)
        pos(function() return c:backward(x, torch.rand(7)) end)
      end
      local ce = nn.CrossEntropyCriterion()
      pos(function() return ce:forward(x, 'x') end)
      pos(function() return ce:backward(x, 'x') end)
      return table.concat(out, ' ')
    """)
    assert r.split() == (
        'BCECriterion.lua:24 BCECriterion.lua:47 DistKLDivCriterion.lua:9 '
        'DistKLDivCriterion.lua:24 ? HingeEmbeddingCriterion.lua:35 CrossEntropyCriterion.lua:13 '
        'CrossEntropyCriterion.lua:29').split()


def test_index_backward_checks_gradoutput_as_indexadd_does():
    # Index.lua's updateGradInput is gradInput:indexAdd(dim, index, gradOutput): TH's argument
    # checks, at Index.lua:23 (the original's messages; nil shows as 'got string' there too)
    r = lua("""
      require 'nn'
      local m = nn.Index(1)
      local inp = {torch.rand(4, 3), torch.LongTensor{1, 3}}
      m:forward(inp)
      local out = {}
      for _, g in ipairs({false, torch.rand(5, 5), torch.rand(2, 4),
                          torch.FloatTensor(2, 3):fill(1)}) do
        local _, e = pcall(function() return m:backward(inp, g or nil) end)
        out[#out + 1] = e
      end
      local gi = m:backward(inp, torch.ones(2, 3))[1]
      return out[1], out[2], out[3], out[4], gi:sum(), gi[2]:sum()
    """)
    assert r[0].endswith("nn/Index.lua:23: bad argument #3 to 'indexAdd' (torch.DoubleTensor "
                         "expected, got string)")
    assert r[1].endswith("nn/Index.lua:23: bad argument #3 to 'indexAdd' (Number of indices "
                         "should be equal to source:size(dim))")
    assert r[2].endswith("nn/Index.lua:23: inconsistent tensor size, expected r_ [3], t [3] and "
                         "src [4] to have the same number of elements, but got 3, 3 and 4 "
                         "elements respectively")
    assert r[3].endswith("nn/Index.lua:23: bad argument #3 to 'indexAdd' (torch.DoubleTensor "
                         "expected, got torch.FloatTensor)")
    assert r[4:] == (6, 0)


def test_classnll_backward_after_a_failed_forward_returns_zeros():
    # THNN's ClassNLLCriterion_updateOutput sets output and total_weight to 0 before its
    # per-sample assertions; its updateGradInput returns before checking the target when
    # total_weight is not positive. The original printed 0, 0 after the failed forward and a
    # zero gradInput from the backward (and again for a multi-target table afterwards)
    r = lua("""
      require 'nn'
      local c = nn.ClassNLLCriterion()
      local x = torch.Tensor{{-1, -2, -3}, {-3, -2, -1}}
      local f1 = c:forward(x, torch.LongTensor{1, 2})
      local ok1 = pcall(function() return c:forward(x, torch.rand(7)) end)
      local tw, ot = c.total_weight_tensor[1], c.output_tensor[1]
      local ok2, g = pcall(function() return c:backward(x, torch.rand(7)) end)
      local gsum = g:sum()
      local ok3, g3 = pcall(function() return c:backward(x, torch.rand(5, 5)) end)
      local f2 = c:forward(x, torch.LongTensor{3, 3})
      local g4 = c:backward(x, torch.LongTensor{3, 3}):clone()
      return f1, ok1, tw, ot, ok2, gsum, g:dim(), ok3, g3:size(2), f2, g4[1][3], g4[2][2]
    """)
    assert r == (1.5, False, 0, 0, True, 0, 2, True, 3, 2, -0.5, 0)


def test_mixturetable_backward_refuses_a_gradoutput_as_line_97():
    # MixtureTable.lua:97, self._expert:cmul(gradOutput, expertInputs[i]), checks the
    # gradOutput first (cwrap's argument error, TH's count); the original's messages
    r = lua("""
      require 'nn'
      local m = nn.MixtureTable()
      local inp = {torch.rand(2, 2), {torch.rand(2, 3), torch.rand(2, 3)}}
      m:forward(inp)
      local _, e1 = pcall(function() return m:backward(inp, nil) end)
      local _, e2 = pcall(function() return m:backward(inp, torch.rand(7)) end)
      return e1, e2
    """)
    assert r[0].endswith("nn/MixtureTable.lua:97: invalid arguments: DoubleTensor nil "
                         "DoubleTensor \nexpected arguments: *DoubleTensor* [DoubleTensor] "
                         "DoubleTensor")
    assert r[1].endswith("nn/MixtureTable.lua:97: inconsistent tensor size, expected r_ [7], "
                         "t [7] and src [2 x 3] to have the same number of elements, but got "
                         "7, 7 and 6 elements respectively")


def test_spatialzeropadding_backward_crops_the_local_cg_output():
    # SpatialZeroPadding.lua's updateGradInput crops `local cg_output = gradOutput` line by
    # line (71-74 for 3D, 87-90 for 4D), evaluating cg_output:size(d) before the narrow; the
    # original printed these messages
    r = lua("""
      require 'nn'
      local m = nn.SpatialZeroPadding(1, 1, 1, 1)
      local x = torch.rand(2, 3, 6, 6); m:forward(x)
      local _, e1 = pcall(function() return m:backward(x, nil) end)
      local _, e2 = pcall(function() return m:backward(x, 'x') end)
      local _, e3 = pcall(function() return m:backward(x, torch.rand(7)) end)
      local x3 = torch.rand(3, 6, 6); m:forward(x3)
      local _, e4 = pcall(function() return m:backward(x3, nil) end)
      return e1, e2, e3, e4
    """)
    assert r[0].endswith("nn/SpatialZeroPadding.lua:87: attempt to index local 'cg_output' "
                         "(a nil value)")
    assert r[1].endswith("nn/SpatialZeroPadding.lua:87: attempt to call method 'size' "
                         "(a nil value)")
    assert r[2].endswith("nn/SpatialZeroPadding.lua:87: bad argument #1 to 'size' (dimension 3 "
                         "out of range of 1D tensor)")
    assert r[3].endswith("nn/SpatialZeroPadding.lua:71: attempt to index local 'cg_output' "
                         "(a nil value)")


def test_split_takes_a_numeric_string_as_lua_does():
    # node:split(noutput) loops `for i=1,noutput` (LuaJIT converts '2'; 'x' is no for limit,
    # node.lua:70) and gModule's unused-output check subtracts from the string; the original
    # returned two nodes, then printed the errors below
    r = lua("""
      require 'nngraph'
      local a = nn.Identity()()
      local p, q = a:split('2')
      local _, e1 = pcall(function() return nn.Identity()():split('x') end)
      local b = nn.Identity()()
      local r1, r2 = b:split('2')
      local _, e2 = pcall(function() return nn.gModule({b}, {r1, r2}) end)
      return torch.type(p), torch.type(q), e1, e2
    """)
    assert r[:2] == ('nngraph.Node', 'nngraph.Node')
    assert r[2].endswith("nngraph/node.lua:70: 'for' limit must be a number")
    assert "nngraph/gmodule.lua:153: 0 of split(2) outputs from the node declared at " in r[3]
    assert r[3].endswith("-mnode are unused")


def test_split_into_no_outputs_returns_no_value():
    # node.lua's split ends `return unpack(selectnodes)`: split(0) and a negative count give
    # Lua no value at all (the original printed 0 and 0 for these counts, and an empty line)
    r = lua("""
      require 'nngraph'
      local n = nn.Identity()()
      return select('#', n:split(0)), select('#', n:split(-1)), select('#', n:split(3))
    """)
    assert r == (0, 0, 3)
