"""Session 20's sweep of every nn module and criterion (sw20f): each module printed, run forward
and backward in double and float, single and batch, its fields after forward, clearState,
parameters, and bad inputs, under our th and the original Torch7. Every expected output below is
what the ORIGINAL Torch7 (/tmp/ref7, nn 8726825) printed for the same script (its C
' at FILE.c:LINE' suffix removed, as the goldens are recorded)."""
from luatest import th_script


# -- clearState: a module whose Lua defines clearState empties the buffers it names ----------
# SoftSign (temp, tempgrad), SoftMin (mininput), LogSigmoid, DotProduct (buffer), CMulTable
# (tout), CAdd (_gradBias, _expand, _output, _bias, _repeat), Bilinear (buff1, buff2),
# MaskedSelect (its index buffers, without the parent's call), SpatialConvolutionLocal
# (finput, fgradInput, _input, _gradOutput), TemporalDynamicKMaxPooling (indices); L1Cost
# empties output_tensor, then fails at its parent.clearState(self) (nn.Criterion has none).

_CLEAR = "require 'nn'\nlocal function show(name, m, fields)\n  local ok, e = pcall(function() m:clearState() end)\n  local s = {}\n  for _, f in ipairs(fields) do s[#s+1] = f .. '=' .. (torch.isTensor(m[f]) and m[f]:nElement() or tostring(m[f])) end\n  print(name, ok, ok or (tostring(e):gsub('^[^%s]*/nn/', 'nn/')), table.concat(s, ' '))\nend\nlocal x, y = torch.randn(2, 3), torch.randn(2, 3)\nlocal m = nn.SoftSign() m:forward(x) m:backward(x, y) show('SoftSign', m, {'temp', 'tempgrad', 'output'})\nm = nn.SoftMin() m:forward(x) show('SoftMin', m, {'mininput', 'output'})\nm = nn.LogSigmoid() m:forward(x) show('LogSigmoid', m, {'buffer', 'output'})\nm = nn.DotProduct() m:forward({x, y}) m:backward({x, y}, torch.ones(2)) show('DotProduct', m, {'buffer', 'output'})\nm = nn.CMulTable() m:forward({x, y}) m:backward({x, y}, y) show('CMulTable', m, {'tout', 'output'})\nm = nn.CAdd(1, 3) m:forward(x) m:backward(x, y) show('CAdd', m, {'_output', '_expand', '_bias', '_gradBias', 'output', 'bias'})\nm = nn.Bilinear(3, 3, 2) m:forward({x, y}) m:backward({x, y}, torch.ones(2, 2)) show('Bilinear', m, {'buff1', 'buff2', 'output'})\nm = nn.MaskedSelect() m:forward({x, x:gt(0)}) m:backward({x, x:gt(0)}, m.output:clone()) show('MaskedSelect', m, {'_maskIndexBuffer', '_maskIndices', '_gradBuffer', '_gradMask', 'output'})\nm = nn.SpatialConvolutionLocal(1, 1, 2, 2, 2, 2) local xi = torch.randn(1, 2, 2) m:forward(xi) m:backward(xi, torch.ones(1, 1, 1)) show('SpatialConvolutionLocal', m, {'finput', 'fgradInput', 'output'})\nm = nn.TemporalDynamicKMaxPooling(2) m:forward(x) show('TemporalDynamicKMaxPooling', m, {'indices', 'output'})\nm = nn.L1Cost() m:forward(x) show('L1Cost', m, {'output_tensor'})\n"

_CLEAR_REF = "SoftSign\ttrue\ttrue\ttemp=0 tempgrad=0 output=0\t\nSoftMin\ttrue\ttrue\tmininput=0 output=0\t\nLogSigmoid\ttrue\ttrue\tbuffer=0 output=0\t\nDotProduct\ttrue\ttrue\tbuffer=0 output=0\t\nCMulTable\ttrue\ttrue\ttout=nil output=0\t\nCAdd\ttrue\ttrue\t_output=0 _expand=0 _bias=0 _gradBias=0 output=0 bias=3\t\nBilinear\ttrue\ttrue\tbuff1=0 buff2=0 output=0\t\nMaskedSelect\ttrue\ttrue\t_maskIndexBuffer=0 _maskIndices=0 _gradBuffer=0 _gradMask=0 output=0\t\nSpatialConvolutionLocal\ttrue\ttrue\tfinput=0 fgradInput=0 output=0\t\nTemporalDynamicKMaxPooling\ttrue\ttrue\tindices=0 output=0\t\nL1Cost\tfalse\tnn/L1Cost.lua:29: attempt to call field 'clearState' (a nil value)\toutput_tensor=0\t\n"


def test_clear_state_empties_each_modules_own_buffers(tmp_path):
    r = th_script(_CLEAR, tmp_path)
    assert r.stdout == _CLEAR_REF, r.stderr


# -- error positions: the Lua line that raised -------------------------------------------------
# CSubTable/CDivTable fail at line 11 (output:add(-1, input[2]) / cdiv), CMulTable at 12
# (cmul), CMaxTable/CMinTable at 13 (resizeAs) and 19 (mask:gt/lt); SoftSign's temp line is 5
# (6, the output's, only when temp took another type than output), SoftMin's mininput line 5
# (15 in backward); OneHot's scatter 46; NaN's errors 41 (output) and 50 (gradOutput).
# CMaxTable after :float(): Module:type made maskByteTensor a FloatTensor, and line 21's
# maxIdx:maskedFill(self.maskByteTensor, i) rejects it.

_POS = "require 'nn'\nlocal function e(name, f) local ok, err = pcall(f) print(name, ok, ok and '' or (tostring(err):gsub(' at /[^%s]*%.c:%d+', ''):gsub('[^%s]*/nn/', 'nn/'))) end\nlocal a, b = torch.randn(3), torch.randn(4)\nfor _, n in ipairs({'CSubTable', 'CDivTable', 'CMulTable', 'CMaxTable', 'CMinTable'}) do\n  local m = nn[n]()\n  e(n, function() return m:forward({a, b}) end)\n  e(n, function() return m:forward({a}) end)\n  e(n, function() return m:forward(a) end)\nend\nlocal m = nn.CMaxTable()\nm:forward({a, a:clone():add(1)}) m:float()\ne('CMaxTable float', function() return m:forward({a:float(), a:float()}) end)\nprint(torch.type(m.maskByteTensor))\nlocal m2 = nn.CMinTable():float()\nprint(m2:forward({a:float(), a:float():add(-1)}):sum() == a:float():add(-1):sum())\nlocal s = nn.SoftSign()\ne('SoftSign', function() return s:forward(torch.randn(2)) end)\ne('SoftSign', function() return s:forward({}) end)\ne('SoftSign', function() return s:forward(torch.randn(2):float()) end)\nlocal s2 = nn.SoftSign()\ne('SoftSign float first', function() return s2:forward(torch.randn(2):float()) end)\nlocal sm = nn.SoftMin()\nsm:forward(torch.randn(2))\ne('SoftMin', function() return sm:forward({}) end)\ne('SoftMin', function() return sm:forward(torch.randn(2):float()) end)\ne('SoftMin back', function() return sm:backward({}, torch.randn(2)) end)\ne('OneHot', function() return nn.OneHot(3):forward(torch.LongTensor{4}) end)\ne('NaN', function() return nn.NaN(nn.Log()):forward(torch.Tensor{-1}) end)\ne('NaN back', function() return nn.NaN(nn.Identity()):backward(torch.ones(1), torch.Tensor{0/0}) end)\n"

_POS_REF = "CSubTable\tfalse\tnn/CSubTable.lua:11: inconsistent tensor size, expected r_ [3], t [3] and src [4] to have the same number of elements, but got 3, 3 and 4 elements respectively\t\nCSubTable\tfalse\tnn/CSubTable.lua:11: invalid arguments: DoubleTensor number nil \nexpected arguments: *DoubleTensor* [DoubleTensor] double | *DoubleTensor* [DoubleTensor] [double] DoubleTensor\t\nCSubTable\tfalse\tnn/CSubTable.lua:10: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)\t\nCDivTable\tfalse\tnn/CDivTable.lua:11: inconsistent tensor size, expected r_ [3], t [3] and src [4] to have the same number of elements, but got 3, 3 and 4 elements respectively\t\nCDivTable\tfalse\tnn/CDivTable.lua:11: invalid arguments: DoubleTensor nil \nexpected arguments: *DoubleTensor* [DoubleTensor] DoubleTensor\t\nCDivTable\tfalse\tnn/CDivTable.lua:10: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)\t\nCMulTable\tfalse\tnn/CMulTable.lua:12: inconsistent tensor size, expected r_ [3], t [3] and src [4] to have the same number of elements, but got 3, 3 and 4 elements respectively\t\nCMulTable\ttrue\t\t\nCMulTable\tfalse\tnn/CMulTable.lua:10: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)\t\nCMaxTable\tfalse\tnn/CMaxTable.lua:19: inconsistent tensor size, expected r_ [4], ta [4] and tb [3] to have the same number of elements, but got 4, 4 and 3 elements respectively\t\nCMaxTable\ttrue\t\t\nCMaxTable\tfalse\tnn/CMaxTable.lua:13: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)\t\nCMinTable\tfalse\tnn/CMinTable.lua:19: inconsistent tensor size, expected r_ [4], ta [4] and tb [3] to have the same number of elements, but got 4, 4 and 3 elements respectively\t\nCMinTable\ttrue\t\t\nCMinTable\tfalse\tnn/CMinTable.lua:13: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)\t\nCMaxTable float\tfalse\tnn/CMaxTable.lua:21: bad argument #1 to 'maskedFill' (torch.ByteTensor expected, got torch.FloatTensor)\t\ntorch.FloatTensor\t\ntrue\t\nSoftSign\ttrue\t\t\nSoftSign\tfalse\tnn/SoftSign.lua:5: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)\t\nSoftSign\tfalse\tnn/SoftSign.lua:5: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)\t\nSoftSign float first\tfalse\tnn/SoftSign.lua:6: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)\t\nSoftMin\tfalse\tnn/SoftMin.lua:5: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)\t\nSoftMin\tfalse\tnn/SoftMin.lua:5: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)\t\nSoftMin back\tfalse\tnn/SoftMin.lua:15: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)\t\nOneHot\tfalse\tnn/OneHot.lua:46: Invalid index in scatter\t\nNaN\tfalse\tnn/NaN.lua:41: NaN found in output of module :\nnn.NaN(1) @ nn.Log\t\nNaN back\tfalse\tnn/NaN.lua:50: NaN found in gradOutput of module :\nnn.NaN(2) @ nn.Identity\t\n"


def test_table_arith_softsign_softmin_onehot_nan_error_lines(tmp_path):
    r = th_script(_POS, tmp_path)
    assert r.stdout == _POS_REF, r.stderr


# -- SpatialMaxUnpooling after :float(): its Lua runs setParams() (indices = pooling.indices)
# before the THNN call; the pooling's forward made its indices a LongTensor again, so the
# unpooling inside a converted Sequential runs (ours checked the float indices first)

_UNPOOL = "require 'nn'\nlocal mp = nn.SpatialMaxPooling(2,2) local mu = nn.SpatialMaxUnpooling(mp)\nlocal s = nn.Sequential():add(mp):add(mu)\ns:forward(torch.randn(1,4,4))\nprint(s:get(2).pooling == s:get(1), s:get(2).indices == s:get(1).indices)\ns:float()\nprint(s:get(2).pooling == s:get(1), torch.type(s:get(1).indices), torch.type(s:get(2).indices))\nprint(pcall(function() s:get(1):forward(torch.randn(1,4,4):float()) end))\nprint(torch.type(s:get(1).indices), torch.type(s:get(2).pooling.indices))\nprint(pcall(function() return s:forward(torch.randn(1,4,4):float()):size(2) end))\n"

_UNPOOL_REF = 'true\ttrue\t\ntrue\ttorch.FloatTensor\ttorch.FloatTensor\t\ntrue\t\ntorch.LongTensor\ttorch.LongTensor\t\ntrue\t4\t\n'


def test_max_unpooling_takes_the_poolings_indices_before_its_checks(tmp_path):
    r = th_script(_UNPOOL, tmp_path)
    assert r.stdout == _UNPOOL_REF, r.stderr


# -- MixtureTable: self.batchSize is set after the table path's gater count check (line 43) and
# after the tensor path's output:resizeAs(expertInputs:select(dim, 1)) (line 59): a forward
# that fails there keeps the previous batchSize (dimG and dim are already set)

_MIXTURE = "require 'nn'\ntorch.manualSeed(1)\nlocal _p = print\nprint = function(a, b, ...) if type(b) == 'string' then b = b:gsub('[^%s]*/torch/', 'torch/'):gsub('[^%s]*/nn/', 'nn/') end _p(a, b, ...) end\nlocal m = nn.MixtureTable()\nprint(pcall(function() return m:forward({torch.rand(2), {torch.randn(3), torch.randn(3)}}) end))\nprint(m.batchSize, m.dimG)\nprint(pcall(function() return m:forward({torch.rand(2,2), torch.randn(2,2,3)}):size(1) end))\nprint(m.batchSize, m.dimG)\nprint(pcall(function() return m:forward({torch.rand(4,3), {torch.randn(4,3), torch.randn(4,3)}}) end))\nprint(m.batchSize, m.dimG, m.dim)\nlocal m2 = nn.MixtureTable()\nprint(pcall(function() return m2:forward({torch.rand(3,2), torch.randn(3,3)}) end))\nprint(m2.batchSize, m2.dimG, m2.dim)\n"

_MIXTURE_REF = 'true\t-0.1792\n-2.1521\n 3.7367\n[torch.DoubleTensor of size 3]\n\n1\t1\t\nfalse\tnn/MixtureTable.lua:34: Should be one gater output per expert\t\n1\t2\t\nfalse\tnn/MixtureTable.lua:34: Should be one gater output per expert\t\n1\t2\t1\t\nfalse\ttorch/Tensor.lua:326: incorrect size: only supporting singleton expansion (size=1)\t\n3\t2\t2\t\n'


def test_mixture_table_batch_size_is_set_after_the_checks(tmp_path):
    r = th_script(_MIXTURE, tmp_path)
    assert r.stdout == _MIXTURE_REF, r.stderr
