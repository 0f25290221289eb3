"""Session 19's sweep of the less common nn layers (sw19g): each layer constructed, printed,
run forward and backward in double and float, batch and single, non-contiguous inputs, under
our th and the original Torch7. Every expected output below is what the ORIGINAL Torch7
(/tmp/ref7, nn 8726825) printed for the same script (its C ' at FILE.c:LINE' suffix removed,
as the goldens are recorded)."""
from luatest import th_script


# -- nn.SpatialCrossMapLRN: the Lua code's arithmetic, even sizes and size 1 --------------------
# prePad = (size - 1)/2 + 1 is a fraction for an even size; inputSquare:select(2, c - prePad)
# truncates it to 0 (out of range, SpatialCrossMapLRN.lua:68) once a channel c > prePad exists;
# a size of 1 makes backward's paddedRatio:narrow(1, 1, 0) fail (line 132). A 3D input runs on
# a 1xCxHxW view: scale stays 4D, and so does output after a failure.

_LRN = "require 'nn'\nlocal function p(ok, e) print(ok, ok and '' or (tostring(e):gsub('[^%s]*/nn/', 'nn/'))) end\nlocal x = torch.Tensor(3, 2, 2):fill(1)\nfor _, tp in ipairs({'torch.DoubleTensor', 'torch.FloatTensor'}) do\n  local m = nn.SpatialCrossMapLRN(2, 0.5, 0.75, 1):type(tp)\n  p(pcall(function() return m:forward(x:type(tp)) end))\n  print(m.output:size(), m.output:sum(), m.scale:size(), m.scale:sum())\n  p(pcall(function() return m:forward(torch.ones(2, 3, 2, 2):type(tp)) end))\n  local m4 = nn.SpatialCrossMapLRN(4):type(tp)\n  p(pcall(function() return m4:forward(torch.ones(2, 2, 1, 1):type(tp)) end))\n  p(pcall(function() return m4:forward(torch.ones(2, 3, 1, 1):type(tp)) end))\n  local m1 = nn.SpatialCrossMapLRN(1, 1, 1, 1):type(tp)\n  print(m1:forward(x:type(tp)):sum(), m1.output:dim(), m1.scale:dim())\n  p(pcall(function() return m1:backward(x:type(tp), x:type(tp)) end))\n  print(m1.output:size(), m1.gradInput:sum(), m1.paddedRatio:size(), m1.accumRatio:size())\n  local m3 = nn.SpatialCrossMapLRN(3, 1, 1, 1):type(tp)\n  print(m3:forward(x:type(tp)):sum(), m3.output:dim(), m3.scale:dim())\n  print(m3:backward(x:type(tp), x:type(tp)):sum(), m3.output:dim(), m3.gradInput:dim())\nend\n"

_LRN_REF = "false\tnn/SpatialCrossMapLRN.lua:68: bad argument #2 to 'select' (out of range)\t\n 1\n 3\n 2\n 2\n[torch.LongStorage of size 4]\n\n12\t 1\n 3\n 2\n 2\n[torch.LongStorage of size 4]\n\n12\t\nfalse\tnn/SpatialCrossMapLRN.lua:68: bad argument #2 to 'select' (out of range)\t\ntrue\t\t\nfalse\tnn/SpatialCrossMapLRN.lua:68: bad argument #2 to 'select' (out of range)\t\n6\t3\t4\t\nfalse\tnn/SpatialCrossMapLRN.lua:132: bad argument #3 to 'narrow' (out of range)\t\n 1\n 3\n 2\n 2\n[torch.LongStorage of size 4]\n\n6\t 3\n 2\n 2\n[torch.LongStorage of size 3]\n\n 2\n 2\n[torch.LongStorage of size 2]\n\n6.8\t3\t4\t\n0.96\t3\t3\t\nfalse\tnn/SpatialCrossMapLRN.lua:68: bad argument #2 to 'select' (out of range)\t\n 1\n 3\n 2\n 2\n[torch.LongStorage of size 4]\n\n12\t 1\n 3\n 2\n 2\n[torch.LongStorage of size 4]\n\n12\t\nfalse\tnn/SpatialCrossMapLRN.lua:68: bad argument #2 to 'select' (out of range)\t\ntrue\t\t\nfalse\tnn/SpatialCrossMapLRN.lua:68: bad argument #2 to 'select' (out of range)\t\n6\t3\t4\t\nfalse\tnn/SpatialCrossMapLRN.lua:132: bad argument #3 to 'narrow' (out of range)\t\n 1\n 3\n 2\n 2\n[torch.LongStorage of size 4]\n\n6\t 3\n 2\n 2\n[torch.LongStorage of size 3]\n\n 2\n 2\n[torch.LongStorage of size 2]\n\n6.7999997138977\t3\t4\t\n0.96000003814697\t3\t3\t\n"


def test_cross_map_lrn_even_size_and_size_one_fail_as_the_lua_code(tmp_path):
    r = th_script(_LRN, tmp_path)
    assert r.stdout == _LRN_REF, r.stderr


# -- error positions: Parallel.lua:11 (input:size) and :20 (currentOutput:size), and
# MaskedSelect.lua:18 (self.output:maskedSelect(input, mask)) --------------------------------

_POS = 'require \'nn\'\nlocal x = torch.ones(3, 5)\nlocal function e(m, i) local ok, err = pcall(function() return m:forward(i) end); print(ok, ok and \'\' or (tostring(err):gsub("[^%s]*/nn/", "nn/"))) end\ne(nn.Parallel(1, 2):add(nn.Linear(5, 2)):add(nn.Linear(5, 1)):add(nn.Linear(5, 1)), x)\ne(nn.Parallel(3, 1):add(nn.Linear(5, 2)), x)\ne(nn.Parallel(1, 1):add(nn.Linear(5, 2)), {x})\ne(nn.Parallel(1, 1):add(nn.Linear(5, 2)), 3)\ne(nn.MaskedSelect(), {x, x})\ne(nn.MaskedSelect(), {x, torch.ByteTensor(2, 2):fill(1)})\ne(nn.MaskedSelect(), {x:float(), x:gt(0)})\ne(nn.MaskedSelect(), {3, x:gt(0)})\ne(nn.MaskedSelect(), x)\n'

_POS_REF = "false\tnn/Parallel.lua:20: bad argument #1 to 'size' (dimension 2 out of range of 1D tensor)\t\nfalse\tnn/Parallel.lua:11: bad argument #1 to 'size' (dimension 3 out of range of 2D tensor)\t\nfalse\tnn/Parallel.lua:11: attempt to call method 'size' (a nil value)\t\nfalse\tnn/Parallel.lua:11: attempt to index local 'input' (a number value)\t\nfalse\tnn/MaskedSelect.lua:18: bad argument #2 to 'maskedSelect' (torch.ByteTensor expected, got torch.DoubleTensor)\t\nfalse\tnn/MaskedSelect.lua:18: inconsistent tensor size, expected src [3 x 5] and mask [2 x 2] to have the same number of elements, but got 15 and 4 elements respectively\t\nfalse\tnn/MaskedSelect.lua:18: bad argument #1 to 'maskedSelect' (torch.DoubleTensor expected, got torch.FloatTensor)\t\nfalse\tnn/MaskedSelect.lua:18: bad argument #1 to 'maskedSelect' (torch.DoubleTensor expected, got userdata)\t\nfalse\tnn/MaskedSelect.lua:17: bad argument #1 to 'unpack' (table expected, got userdata)\t\n"


def test_parallel_and_masked_select_error_lines(tmp_path):
    r = th_script(_POS, tmp_path)
    assert r.stdout == _POS_REF, r.stderr
