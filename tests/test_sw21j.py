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


# -- class metatables: the keys luaT and the classes' registration put there ------------------
# luaT_newmetatable's __gc (a C destructor), generic/Tensor.c's and Storage.c's __index__,
# __newindex__, __len__, TensorOperator.c's __add__ ... __unm__ (no Half), the __tostring__ of
# Tensor.lua and the C classes, FFInterface.lua's cdata, TensorMath.lua's `torch` table of the
# type's torch functions; Python's own protocol names (__eq__, __call__) are no keys.

_MT_KEYS = "require 'torch'\nlocal function count(n)\n  local mt = torch.getmetatable(n)\n  local c, u = 0, {}\n  for k, v in pairs(mt) do c = c + 1; if type(k) == 'string' and k:find('^__.+__$') or k == '__gc' or k == 'torch' or k == 'cdata' then u[#u + 1] = k .. ':' .. type(v) end end\n  table.sort(u)\n  print(n, c, table.concat(u, ' '))\nend\nfor _, t in ipairs({'Double', 'Float', 'Long', 'Byte', 'Half'}) do count('torch.' .. t .. 'Tensor') count('torch.' .. t .. 'Storage') end\nfor _, n in ipairs({'torch.Generator', 'torch.File', 'torch.DiskFile', 'torch.MemoryFile', 'torch.PipeFile', 'torch.Allocator'}) do count(n) end\nlocal tt = torch.getmetatable('torch.FloatTensor').torch\nlocal n = 0 for k, v in pairs(tt) do n = n + 1 end\nprint(n, type(tt.add), type(tt.gesv), tt.size, torch.getmetatable('torch.FloatTensor').torch == tt)\nn = 0 for k, v in pairs(torch.getmetatable('torch.ByteTensor').torch) do n = n + 1 end\nprint(n, torch.getmetatable('torch.ByteTensor').torch.gesv)\nprint(tt.add(torch.FloatTensor{1, 2}, 3))\nlocal mt = torch.getmetatable('torch.DoubleTensor')\nprint(mt.__eq__, mt.__call__, rawget(mt, '__call__'), torch.getmetatable('torch.HalfTensor').__add__)\nfor _, t in ipairs({'Double','Float','Long','Int','Short','Char','Byte'}) do\n  local ks = {}\n  for k in pairs(torch.getmetatable('torch.' .. t .. 'Tensor').torch) do ks[#ks+1] = k end\n  table.sort(ks)\n  print(t, #ks, table.concat(ks, ' '))\nend\n"

_MT_KEYS_WANT = 'torch.DoubleTensor\t225\t__add__:function __div__:function __gc:function __index__:function __len__:function __mod__:function __mul__:function __newindex__:function __sub__:function __tostring__:function __unm__:function cdata:function torch:table\t\ntorch.DoubleStorage\t39\t__gc:function __index__:function __len__:function __newindex__:function __tostring__:function cdata:function\t\ntorch.FloatTensor\t224\t__add__:function __div__:function __gc:function __index__:function __len__:function __mod__:function __mul__:function __newindex__:function __sub__:function __tostring__:function __unm__:function cdata:function torch:table\t\ntorch.FloatStorage\t39\t__gc:function __index__:function __len__:function __newindex__:function __tostring__:function cdata:function\t\ntorch.LongTensor\t179\t__add__:function __div__:function __gc:function __index__:function __len__:function __mod__:function __mul__:function __newindex__:function __sub__:function __tostring__:function __unm__:function cdata:function torch:table\t\ntorch.LongStorage\t39\t__gc:function __index__:function __len__:function __newindex__:function __tostring__:function cdata:function\t\ntorch.ByteTensor\t180\t__add__:function __div__:function __gc:function __index__:function __len__:function __mod__:function __mul__:function __newindex__:function __sub__:function __tostring__:function __unm__:function cdata:function torch:table\t\ntorch.ByteStorage\t40\t__gc:function __index__:function __len__:function __newindex__:function __tostring__:function cdata:function\t\ntorch.HalfTensor\t83\t__gc:function __index__:function __len__:function __newindex__:function __tostring__:function cdata:function\t\ntorch.HalfStorage\t39\t__gc:function __index__:function __len__:function __newindex__:function __tostring__:function cdata:function\t\ntorch.Generator\t25\t__gc:function\t\ntorch.File\t61\t\t\ntorch.DiskFile\t30\t__gc:function __tostring__:function\t\ntorch.MemoryFile\t25\t__gc:function __tostring__:function\t\ntorch.PipeFile\t23\t__gc:function __tostring__:function\t\ntorch.Allocator\t20\t\t\n145\tfunction\tfunction\tnil\ttrue\t\n86\tnil\t\n 4\n 5\n[torch.FloatTensor of size 2]\n\nnil\tnil\tnil\tnil\t\nDouble\t145\tabs acos add addbmm addcdiv addcmul addmm addmv addr asin atan atan2 baddbmm bernoulli bhistc bitand bitor bitxor bmm cat cauchy cbitand cbitor cbitxor cdiv ceil cfmod cinv clamp clshift cmax cmin cmod cmul conv2 conv3 cos cosh cpow cremainder cross crshift csub cumprod cumsum diag dist div dot eig eq equal exp exponential eye fill floor fmod frac gather ge gels geometric geqrf ger gesv gt histc inverse kthvalue le lerp linspace log log1p logNormal logspace lshift lt match max mean median min mm mod mode mul multinomial multinomialAliasSetup_ multinomialAlias_ mv ne neg nonzero norm normal numel ones orgqr ormqr potrf potri potrs pow prod pstrf qr rand randn random randperm range remainder renorm reshape round rshift rsqrt scatter sigmoid sign sin sinh sort sqrt squeeze std sum svd symeig tan tanh topk trace tril triu trtrs trunc uniform var xcorr2 xcorr3 zero zeros\t\nFloat\t145\tabs acos add addbmm addcdiv addcmul addmm addmv addr asin atan atan2 baddbmm bernoulli bhistc bitand bitor bitxor bmm cat cauchy cbitand cbitor cbitxor cdiv ceil cfmod cinv clamp clshift cmax cmin cmod cmul conv2 conv3 cos cosh cpow cremainder cross crshift csub cumprod cumsum diag dist div dot eig eq equal exp exponential eye fill floor fmod frac gather ge gels geometric geqrf ger gesv gt histc inverse kthvalue le lerp linspace log log1p logNormal logspace lshift lt match max mean median min mm mod mode mul multinomial multinomialAliasSetup_ multinomialAlias_ mv ne neg nonzero norm normal numel ones orgqr ormqr potrf potri potrs pow prod pstrf qr rand randn random randperm range remainder renorm reshape round rshift rsqrt scatter sigmoid sign sin sinh sort sqrt squeeze std sum svd symeig tan tanh topk trace tril triu trtrs trunc uniform var xcorr2 xcorr3 zero zeros\t\nLong\t85\tabs add addbmm addcdiv addcmul addmm addmv addr baddbmm bernoulli bitand bitor bitxor bmm cat cbitand cbitor cbitxor cdiv cfmod clamp clshift cmax cmin cmod cmul conv2 conv3 cpow cremainder cross crshift csub cumprod cumsum diag div dot eq equal eye fill fmod gather ge geometric ger gt kthvalue le lshift lt match max median min mm mod mode mul mv ne nonzero numel ones prod random randperm range remainder reshape rshift scatter sign sort squeeze sum topk trace tril triu xcorr2 xcorr3 zero zeros\t\nInt\t85\tabs add addbmm addcdiv addcmul addmm addmv addr baddbmm bernoulli bitand bitor bitxor bmm cat cbitand cbitor cbitxor cdiv cfmod clamp clshift cmax cmin cmod cmul conv2 conv3 cpow cremainder cross crshift csub cumprod cumsum diag div dot eq equal eye fill fmod gather ge geometric ger gt kthvalue le lshift lt match max median min mm mod mode mul mv ne nonzero numel ones prod random randperm range remainder reshape rshift scatter sign sort squeeze sum topk trace tril triu xcorr2 xcorr3 zero zeros\t\nShort\t84\tadd addbmm addcdiv addcmul addmm addmv addr baddbmm bernoulli bitand bitor bitxor bmm cat cbitand cbitor cbitxor cdiv cfmod clamp clshift cmax cmin cmod cmul conv2 conv3 cpow cremainder cross crshift csub cumprod cumsum diag div dot eq equal eye fill fmod gather ge geometric ger gt kthvalue le lshift lt match max median min mm mod mode mul mv ne nonzero numel ones prod random randperm range remainder reshape rshift scatter sign sort squeeze sum topk trace tril triu xcorr2 xcorr3 zero zeros\t\nChar\t84\tadd addbmm addcdiv addcmul addmm addmv addr baddbmm bernoulli bitand bitor bitxor bmm cat cbitand cbitor cbitxor cdiv cfmod clamp clshift cmax cmin cmod cmul conv2 conv3 cpow cremainder cross crshift csub cumprod cumsum diag div dot eq equal eye fill fmod gather ge geometric ger gt kthvalue le lshift lt match max median min mm mod mode mul mv ne nonzero numel ones prod random randperm range remainder reshape rshift scatter sign sort squeeze sum topk trace tril triu xcorr2 xcorr3 zero zeros\t\nByte\t86\tadd addbmm addcdiv addcmul addmm addmv addr all any baddbmm bernoulli bitand bitor bitxor bmm cat cbitand cbitor cbitxor cdiv cfmod clamp clshift cmax cmin cmod cmul conv2 conv3 cpow cremainder cross crshift csub cumprod cumsum diag div dot eq equal eye fill fmod gather ge geometric ger gt kthvalue le lshift lt match max median min mm mod mode mul mv ne nonzero numel ones prod random randperm range remainder reshape rshift scatter sign sort squeeze sum topk trace tril triu xcorr2 xcorr3 zero zeros\t\n'


def test_class_metatables_hold_torch7_keys(tmp_path):
    # the original's output of the same script
    assert _run(_MT_KEYS, tmp_path) == _MT_KEYS_WANT


_MT_CALLS = 'require \'torch\'\nlocal function try(name, f, ...)\n   local r = table.pack(pcall(f, ...))\n   for i = 1, r.n do if type(r[i]) == "string" then r[i] = r[i]:gsub("^.-:%d+: ", "") end end\n   for i = 1, r.n do\n      if torch.isTensor(r[i]) then r[i] = torch.typename(r[i]) .. \'{\' .. table.concat(r[i]:clone():storage():totable(), \',\') .. \'}\'\n      elseif torch.isStorage(r[i]) then r[i] = torch.typename(r[i]) .. \'{\' .. table.concat(r[i]:totable(), \',\') .. \'}\' end\n   end\n   print(name, table.unpack(r, 1, r.n))\nend\nlocal tmt = torch.getmetatable(\'torch.DoubleTensor\')\nlocal a, b = torch.DoubleTensor{1, 2, 3}, torch.DoubleTensor{4, 5, 6}\ntry(\'add\', tmt.__add__, a, b)\ntry(\'add n\', tmt.__add__, a, 2)\ntry(\'sub\', tmt.__sub__, a, b)\ntry(\'mul\', tmt.__mul__, a, 3)\ntry(\'div\', tmt.__div__, b, 2)\ntry(\'mod\', tmt.__mod__, b, 4)\ntry(\'unm\', tmt.__unm__, a)\ntry(\'dot\', tmt.__mul__, a, b)\ntry(\'len\', tmt.__len__, a)\ntry(\'index n\', tmt.__index__, a, 2)\ntry(\'index s\', tmt.__index__, a, \'size\')\ntry(\'newindex n\', tmt.__newindex__, a, 2, 9)\nprint(a[2])\ntry(\'newindex s\', tmt.__newindex__, a, \'foo\', 9)\ntry(\'tostring\', function() return tmt.__tostring__(torch.DoubleTensor{1}) end)\nlocal smt = torch.getmetatable(\'torch.FloatStorage\')\nlocal s = torch.FloatStorage{1, 2, 3}\ntry(\'s index n\', smt.__index__, s, 3)\ntry(\'s index s\', smt.__index__, s, \'size\')\ntry(\'s newindex\', smt.__newindex__, s, 1, 7)\nprint(s[1])\ntry(\'s newindex s\', smt.__newindex__, s, \'x\', 7)\ntry(\'s len\', smt.__len__, s)\ntry(\'s tostring\', smt.__tostring__, torch.ByteStorage{1, 2})\nfor _, n in ipairs({\'torch.DoubleTensor\', \'torch.IntStorage\', \'torch.Generator\', \'torch.Timer\', \'torch.MemoryFile\', \'torch.File\'}) do\n  print(n, type(torch.getmetatable(n).__gc))\nend\nlocal imt = torch.getmetatable(\'torch.IntTensor\')\ntry(\'int add\', imt.__add__, torch.IntTensor{1, 2}, torch.IntTensor{3, 4})\ntry(\'int div\', imt.__div__, torch.IntTensor{7, 9}, 2)\ntry(\'int unm\', imt.__unm__, torch.IntTensor{7, -9})\ntry(\'byte unm\', torch.getmetatable(\'torch.ByteTensor\').__unm__, torch.ByteTensor{7, 9})\nprint(type(torch.getmetatable(\'torch.HalfTensor\').__add__), type(torch.getmetatable(\'torch.HalfTensor\').__unm__))\n'

_MT_CALLS_WANT = 'add\ttrue\ttorch.DoubleTensor{5,7,9}\t\nadd n\ttrue\ttorch.DoubleTensor{3,4,5}\t\nsub\ttrue\ttorch.DoubleTensor{-3,-3,-3}\t\nmul\ttrue\ttorch.DoubleTensor{3,6,9}\t\ndiv\ttrue\ttorch.DoubleTensor{2,2.5,3}\t\nmod\ttrue\ttorch.DoubleTensor{0,1,2}\t\nunm\ttrue\ttorch.DoubleTensor{-1,-2,-3}\t\ndot\ttrue\t32\t\nlen\ttrue\ttorch.LongStorage{3}\t\nindex n\ttrue\t2\ttrue\t\nindex s\ttrue\tfalse\t\nnewindex n\ttrue\ttrue\t\n9\t\nnewindex s\ttrue\tfalse\t\ntostring\ttrue\t 1\n[torch.DoubleTensor of size 1]\n\t\ns index n\ttrue\t3\ttrue\t\ns index s\ttrue\tfalse\t\ns newindex\ttrue\ttrue\t\n7\t\ns newindex s\ttrue\tfalse\t\ns len\ttrue\t3\t\ns tostring\ttrue\t 1\n 2\n[torch.ByteStorage of size 2]\n\t\ntorch.DoubleTensor\tfunction\t\ntorch.IntStorage\tfunction\t\ntorch.Generator\tfunction\t\ntorch.Timer\tfunction\t\ntorch.MemoryFile\tfunction\t\ntorch.File\tnil\t\nint add\ttrue\ttorch.IntTensor{4,6}\t\nint div\ttrue\ttorch.IntTensor{3,4}\t\nint unm\ttrue\ttorch.IntTensor{-7,9}\t\nbyte unm\ttrue\ttorch.ByteTensor{249,247}\t\nnil\tnil\t\n'


def test_class_metatable_underscore_methods_forward(tmp_path):
    # mt.__add__(a, b), mt.__index__(t, k), mt.__len__ (a tensor's size, a storage's number):
    # the original's output of the same script
    assert _run(_MT_CALLS, tmp_path) == _MT_CALLS_WANT


_TIMER = """require 'nn'
local mt = torch.getmetatable('torch.Timer')
local ks = {}
for k, v in pairs(mt) do if not k:find('^__') then ks[#ks + 1] = k .. ':' .. type(v) end end
table.sort(ks)
print(table.concat(ks, ' '))
local t = torch.Timer()
print(rawget(mt, 'read')(t, nil, 1) == t, rawget(mt, 'write')(t, nil))
"""


def test_timer_metatable_after_nn_holds_profile_read_write(tmp_path):
    # nn's Profile.lua puts write (saves nothing) and read (the object) in torch.Timer's
    # metatable: the original printed these two lines
    assert _run(_TIMER, tmp_path) == (
        "new:function read:function reset:function resume:function stop:function "
        "time:function write:function\t\ntrue\t\n")
