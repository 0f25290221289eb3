"""Session 21's sweep sw21j: class metatables' key sets, SparseLinear's gradOutput reads and
SpatialConvolutionLocal's BLAS flags. Every expectation is what the original Torch7
(/tmp/ref7: torch7 814ea4a, nn 8726825, LuaJIT 2.1.0-beta2, OpenBLAS 0.3.21 with
OPENBLAS_CORETYPE=SkylakeX) printed for the same script."""
from luatest import th_script


def _run(src, tmp_path):
    r = th_script(src, tmp_path)
    assert r.returncode == 0, r.stderr
    return r.stdout


# -- SpatialConvolutionLocal: THTensor_(addmm)'s flags from THNN's views ---------------------
# accGradParameters' baddbmm is one gemm per location with TH's transposes: gradWeight[l]
# (o x K, rows contiguous) is 't', so A is finput3d[l] and B gradOutput3d[l], and both are
# copied (neither stride is 1): 'n', 'n'. OpenBLAS's SkylakeX small-matrix kernel serves that
# call and computes alpha * (A B) even for alpha == 0: 0 * nan is nan in gradWeight (the
# gradBias axpy returns at once for alpha == 0).

_CONV_LOCAL = """require 'nn'
for _, tp in ipairs({'torch.FloatTensor', 'torch.DoubleTensor'}) do
  torch.setdefaulttensortype(tp)
  torch.manualSeed(1)
  for _, cfg in ipairs({{2, 3, 5, 5, 3, 3}, {1, 2, 3, 3, 3, 3}, {2, 1, 4, 4, 1, 1}, {1, 1, 1, 1, 1, 1}}) do
    local m = nn.SpatialConvolutionLocal(unpack(cfg))
    local x = torch.randn(2, cfg[1], cfg[4], cfg[3])
    local y = m:forward(x)
    local go = y:clone():fill(1); go:view(-1)[1] = 0/0
    m:zeroGradParameters()
    m:accGradParameters(x, go, 0)
    local n = 0
    m.gradWeight:apply(function(v) if v ~= v then n = n + 1 end end)
    local nb = 0
    m.gradBias:apply(function(v) if v ~= v then nb = nb + 1 end end)
    print(tp, table.concat(cfg, ','), n, nb, m.gradWeight:nElement())
  end
end
"""


def test_conv_local_scale0_nan_follows_th_blas_flags(tmp_path):
    want = ""
    for tp in ("torch.FloatTensor", "torch.DoubleTensor"):
        want += (f"{tp}\t2,3,5,5,3,3\t18\t0\t486\t\n{tp}\t1,2,3,3,3,3\t9\t0\t18\t\n"
                 f"{tp}\t2,1,4,4,1,1\t2\t0\t32\t\n{tp}\t1,1,1,1,1,1\t1\t0\t1\t\n")
    assert _run(_CONV_LOCAL, tmp_path) == want


# -- SparseLinear: gradOutput's rows read through the storage ---------------------------------
# THNN's accGradParameters reads outDim numbers of each gradOutput row (ROW_PTR2) whatever its
# sizes; a gradOutput narrower than outDim then fails at the gradBias cadd's size check.

_SPARSE = """require 'nn'
for _, tp in ipairs({'torch.FloatTensor', 'torch.DoubleTensor'}) do
  torch.manualSeed(1)
  local m = nn.SparseLinear(4, 2):type(tp)
  local x = torch.Tensor{{1, 0.5},{3, -1}}:type(tp)
  m:forward(x)
  local ok, e = pcall(function() return m:backward(x, torch.Tensor(1, 1):fill(2):type(tp)) end)
  print(ok, (tostring(e):gsub(' at /[^%s]*%.c:%d+', ''):gsub('^.-nn/', 'nn/')))
  local xb = {torch.Tensor{{1, 1}}:type(tp), torch.Tensor{{2, 1}}:type(tp), torch.Tensor{{4, 1}}:type(tp)}
  m:forward(xb)
  m:zeroGradParameters()
  ok, e = pcall(function() return m:backward(xb, torch.Tensor(2, 2):fill(1):type(tp)) end)
  print(ok, ok and '' or (tostring(e):gsub(' at /[^%s]*%.c:%d+', ''):gsub('^.-nn/', 'nn/')))
  ok, e = pcall(function() return m:backward(xb, torch.Tensor(3, 1):fill(1):type(tp)) end)
  print(ok, ok and '' or (tostring(e):gsub(' at /[^%s]*%.c:%d+', ''):gsub('^.-nn/', 'nn/')))
  print(m.gradBias[1], m.gradBias[2])
end
"""


def test_sparse_linear_narrow_grad_output_is_thnn_size_error(tmp_path):
    err = ("false\tnn/THNN.lua:110: inconsistent tensor size, expected r_ [2], t [2] and src "
           "[1 x 1] to have the same number of elements, but got 2, 2 and 1 elements "
           "respectively\t\n")
    assert _run(_SPARSE, tmp_path) == (err + "true\t\t\n" + err + "2\t2\t\n") * 2
