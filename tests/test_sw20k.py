"""Session 20's float sweep (sw20k): legacy scripts in FloatTensors (TensorMath's pointwise
functions and reductions, BLAS calls, nn modules forward/backward, criterions, optim loops)
run under our th and under the original Torch7 (/tmp/ref7, OpenBLAS SkylakeX kernels); each
test is one mechanism by which ours printed other bits. Every expectation is what the
original Torch7 printed for the same code."""
from luatest import th_script


# -- CMul's accGradParameters: TH's sum(dim), one dimension after the other -------------------
# CMul.lua sums its _repeat buffer (input .* gradOutput, contiguous) over each dimension the
# weight does not span, one sum(dim) at a time; THTensor_(sum) loops a slice of stride 1 in
# accreal (double) and rounds once, and accumulates along any other stride in the tensor's type.

CMUL = r"""
require 'nn'
for _, T in ipairs({'torch.FloatTensor', 'torch.DoubleTensor'}) do
  local m = nn.CMul(1):type(T)
  m.weight:fill(2)
  local x = torch.Tensor({{1}, {3e-8}, {3e-8}}):type(T)
  m:forward(x)
  m:zeroGradParameters()
  m:backward(x, x.new(3, 1):fill(1))
  print(string.format('%.17g', m.gradWeight[1]))
  local m2 = nn.CMul(1, 1):type(T)
  m2.weight:fill(1)
  local x2 = torch.Tensor({{1, 3e-8, 3e-8}, {2, 0, 0}}):type(T)
  m2:forward(x2)
  m2:zeroGradParameters()
  m2:backward(x2, x2.new(2, 3):fill(1))
  print(string.format('%.17g', m2.gradWeight[1][1]))
end
"""


def test_cmul_grad_weight_sums_each_dim_as_th_sum(tmp_path):
    # the original printed these (the float batch column summed in double: 1 + 2 * 3e-8
    # rounds up to 1.0000001 where float accumulation stayed at 1; the double 2x3 case sums
    # the rows first, then the column, not all six at once)
    r = th_script(CMUL, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("1.0000001192092896\t\n3\t\n"
                        "1.0000000600000001\t\n3.0000000599999996\t\n")


# -- SoftMin's gradInput: THNN's SoftMax gradient, then gradInput:mul(-1) -----------------------

SOFTMIN = r"""
require 'nn'
for _, T in ipairs({'torch.FloatTensor', 'torch.DoubleTensor'}) do
  local s = nn.SoftMin():type(T)
  s:forward(torch.Tensor({0.5}):type(T))
  print(string.format('%g', s:backward(torch.Tensor({0.5}):type(T), torch.Tensor({2}):type(T))[1]))
  s:forward(torch.Tensor({{0.5, 0.25}}):type(T))
  local g = s:backward(torch.Tensor({{0.5, 0.25}}):type(T), torch.Tensor({{3, 3}}):type(T))
  print(string.format('%g %g', g[1][1], g[1][2]))
end
"""


def test_softmin_grad_input_is_negated_softmax_gradient(tmp_path):
    # the original printed -0 where gradOutput equals the weighted sum (y * 0, then * -1);
    # the float pair's sum is not exactly 3 (float softmax), so non-zero there
    r = th_script(SOFTMIN, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "-0\t\n3.91445e-08 5.02625e-08\t\n-0\t\n-0 -0\t\n"


# -- MixtureTable's forward: output:sum(_expert, dim) for a tensor of experts -----------------
# A tensor of experts is mixed by cmul then TH's sum(dim) (accreal along a stride of 1); a table
# of experts by output:addcmul per expert, in the tensor's type.

MIXTURE = r"""
require 'nn'
local m = nn.MixtureTable():float()
local y = m:forward({torch.FloatTensor({{1, 1, 1}}), torch.FloatTensor({{1, 3e-8, 3e-8}})})
print(string.format('%.17g', y[1]))
local m3 = nn.MixtureTable(3):float()
local e = torch.FloatTensor(1, 2, 3)
e[1][1]:copy(torch.FloatTensor({1, 3e-8, 3e-8})); e[1][2]:copy(torch.FloatTensor({3e-8, 3e-8, 1}))
y = m3:forward({torch.FloatTensor({{1, 1, 1}}), e})
print(string.format('%.17g %.17g', y[1][1], y[1][2]))
local mt = nn.MixtureTable():float()
y = mt:forward({torch.FloatTensor({{1, 1, 1}}), {torch.FloatTensor({{1}}),
  torch.FloatTensor({{3e-8}}), torch.FloatTensor({{3e-8}})}})
print(string.format('%.17g', y[1][1]))
"""


def test_mixture_table_sums_a_tensor_of_experts_as_th_sum(tmp_path):
    # the original printed these: the experts' axis of stride 1 summed in double (1 + 6e-8
    # rounds up), the table of experts added in float (stays 1)
    r = th_script(MIXTURE, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("1.0000001192092896\t\n1.0000001192092896 1.0000001192092896\t\n"
                        "1\t\n")


# -- Mul/CMul's gradInput: gradInput:zero(), then add(w, gradOutput) / addcmul(1, w, gradOutput)
# The product is added to zeros: a -0 product gives +0; Mul's add is THBlas_(axpy) on
# contiguous tensors, which does nothing for a weight of 0 (a NaN/inf gradOutput stays 0).

MULZERO = r"""
require 'nn'
local function G(t) local s = {} for i = 1, t:nElement() do s[#s+1] = string.format('%g', t[i]) end return table.concat(s, ' ') end
for _, T in ipairs({'torch.FloatTensor', 'torch.DoubleTensor'}) do
  local x = torch.Tensor({1, 2, 3}):type(T)
  local m = nn.Mul():type(T)
  m.weight:fill(0)
  m:forward(x)
  print(G(m:backward(x, torch.Tensor({0/0, 1/0, -1}):type(T))))
  m.weight:fill(-0.5)
  print(G(m:backward(x, torch.Tensor({0, -0.0, 2}):type(T))))
  local c = nn.CMul(3):type(T)
  c.weight:fill(0)
  c:forward(x)
  print(G(c:backward(x, torch.Tensor({0/0, 1/0, -1}):type(T))))
  c.weight:fill(-1)
  print(G(c:backward(x, torch.Tensor({0, -0.0, 2}):type(T))))
end
"""


def test_mul_cmul_grad_input_adds_the_product_to_zeros(tmp_path):
    # the original printed these (ours printed nan nan -0 and -0 0 ... before)
    r = th_script(MULZERO, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "0 0 0\t\n0 0 -1\t\nnan nan 0\t\n0 0 -2\t\n" * 2


# -- LookupTable's accGradParameters with scale 0: THBlas_(axpy) does nothing for alpha 0 ------

LOOKUP0 = r"""
require 'nn'
local function G(t) local s = {} local v = t:view(-1) for i = 1, v:nElement() do s[#s+1] = string.format('%g', v[i]) end return table.concat(s, ' ') end
for _, T in ipairs({'torch.FloatTensor', 'torch.DoubleTensor'}) do
  for _, freq in ipairs({false, true}) do
    local m = nn.LookupTable(3, 2):type(T)
    if freq then m:scaleGradByFreq() end
    local x = torch.LongTensor({1, 3, 1})
    m:forward(x)
    m:zeroGradParameters()
    local go = torch.Tensor({{0/0, 1/0}, {1, 2}, {3, -1/0}}):type(T)
    m:accGradParameters(x, go, 0)
    print(G(m.gradWeight))
    m:accGradParameters(x, torch.Tensor({{1, 2}, {3, 4}, {5, 6}}):type(T), 1)
    print(G(m.gradWeight))
  end
end
"""


def test_lookup_table_scale_zero_adds_nothing(tmp_path):
    # the original printed zeros after the scale-0 call (no NaN), then the plain sums
    r = th_script(LOOKUP0, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("0 0 0 0 0 0\t\n6 8 0 0 3 4\t\n"
                        "0 0 0 0 0 0\t\n3 4 0 0 3 4\t\n") * 2
