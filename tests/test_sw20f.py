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
