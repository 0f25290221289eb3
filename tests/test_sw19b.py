"""Session 19's sweep of errors, exit statuses and the tool classes (sw19b): scripts run under
our th and under the original Torch7; each test is one mechanism by which ours printed something
else. Every expectation is what the original Torch7 (/tmp/ref7: torch7 814ea4a, nn 8726825,
LuaJIT 2.1.0-beta2) printed for the same code (its C messages' " at FILE.c:LINE" removed)."""
import torch7py as torch
from torch7py import nn

from luatest import th_script


def _err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return str(e)
    raise AssertionError("no error")


# -- table layers: a bad input fails where the Lua lines fail, leaving their state --------------
# CMaxTable/CMinTable: inputs of different counts fail at mask:gt(input[i], output) (TH's
# r_, ta, tb); JoinTable's first loop writes self.size before it fails; FlattenTable's
# inverseFlatten indexes a tensor gradOutput (gradOutput[i]); MixtureTable resizes its output
# to expertInputs:select(dim, 1) before its view, and makes its buffers only once.

def test_cmax_table_count_mismatch_fails_in_the_lua_loop():
    # the original: "... expected r_ [3], ta [3] and tb [2] ..." (input[2] against the output)
    msg = _err(lambda: nn.CMaxTable().forward([torch.ones(2), torch.ones(3)]))
    assert msg == ("inconsistent tensor size, expected r_ [3], ta [3] and tb [2] to have the "
                   "same number of elements, but got 3, 3 and 2 elements respectively")


def test_table_layers_through_th(tmp_path):
    r = th_script("require 'nn'\nlocal function try(f) local ok, e = pcall(f); print(ok, (tostring(e):gsub('^.-:%d+: ', ''):gsub(' at /[^ ]*%.c:%d+', ''))) end\ntry(function() return nn.CMaxTable():forward({torch.ones(2), torch.ones(3)}) end)\ntry(function() return nn.CMinTable():forward({torch.ones(2, 2), torch.ones(3), torch.ones(4)}) end)\nlocal m = nn.CMaxTable()\nprint(m:forward({torch.Tensor({1, 5}), torch.Tensor({3, 2})}))\nlocal j = nn.JoinTable(2)\ntry(function() return j:forward({torch.ones(2), torch.ones(3)}) end)\nprint(j.size:size(), j.size[1])\nprint(j:forward({}):size(1))\nlocal j2 = nn.JoinTable(1)\ntry(function() return j2:forward({torch.ones(2, 2), torch.ones(3, 3)}) end)\nprint(j2.size[1], j2.size[2], j2.output:size(1), j2.output:size(2))\nlocal ft = nn.FlattenTable()\nlocal x = {torch.ones(2, 2), {torch.ones(2, 2)}}\nft:forward(x)\nlocal gi = ft:backward(x, torch.Tensor({{1, 2}, {3, 4}}))\nprint(torch.type(gi), torch.type(gi[1]), gi[1]:sum(), torch.type(gi[2]), gi[2][1]:sum())\ngi = ft:backward(x, torch.Tensor({7, 8}))\nprint(gi[1], gi[2][1])\nlocal mt = nn.MixtureTable()\ntry(function() return mt:forward({torch.ones(2), torch.ones(3)}) end)\ntry(function() return mt:forward({}) end)\ntry(function() return nn.MixtureTable():forward({}) end)\nprint(nn.MixtureTable():forward({torch.Tensor({0.25, 0.75}), torch.Tensor({{1, 2}, {3, 4}})}))\n", tmp_path)
    assert r.stdout == "false\tinconsistent tensor size, expected r_ [3], ta [3] and tb [2] to have the same number of elements, but got 3, 3 and 2 elements respectively\t\nfalse\tinconsistent tensor size, expected r_ [3], ta [3] and tb [2 x 2] to have the same number of elements, but got 3, 3 and 4 elements respectively\t\n 3\n 5\n[torch.DoubleTensor of size 2]\n\nfalse\tbad argument #2 to '?' (out of bounds)\t\n1\t2\t\n2\t\nfalse\tinconsistent tensor size, expected tensor [3 x 2] and src [3 x 3] to have the same number of elements, but got 6 and 9 elements respectively\t\n5\t2\t5\t2\t\ntable\ttorch.DoubleTensor\t3\ttable\t7\t\n7\t8\t\nfalse\tbad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)\t\nfalse\tattempt to index local 'gaterInput' (a nil value)\t\nfalse\tattempt to index a nil value\t\n 2.5000\n 3.5000\n[torch.DoubleTensor of size 2]\n\n", r.stderr


# -- LuaJIT 2.1.0-beta2's assert: the message is a string (a number converts) ------------------
# anything else is "bad argument #2 to 'assert' (string expected, got T)" at the caller; an
# explicit nil is "assertion failed!". paths.is_win/is_mac: uname():match(...), one nil.

def test_assert_message_types_and_paths_is_win(tmp_path):
    r = th_script("print(pcall(assert, false, {1}))\nprint(pcall(assert, nil, true))\nprint(pcall(assert, false, 12))\nprint(pcall(function() assert(false, {}) end))\nprint(pcall(function() assert(false, nil) end))\nprint(pcall(function() local a = assert; a(false, print) end))\nprint(pcall(function() return assert(false, 'tail') end))\nprint(select('#', assert(1, nil, nil)), assert)\nrequire 'paths'\nprint(paths.is_win(), paths.is_mac())\nprint(select('#', paths.is_win()))\n", tmp_path)
    assert r.stdout == "false\tbad argument #2 to '?' (string expected, got table)\t\nfalse\tbad argument #2 to '?' (string expected, got boolean)\t\nfalse\t12\t\nfalse\ts.lua:4: bad argument #2 to 'assert' (string expected, got table)\t\nfalse\ts.lua:5: assertion failed!\t\nfalse\ts.lua:6: bad argument #2 to 'a' (string expected, got function)\t\nfalse\ttail\t\n3\tfunction: builtin#2\t\nnil\tnil\t\n1\t\n", r.stderr


# -- a Storage's file mapping reads its arguments as Storage.c does, before opening anything ---
# luaT_optboolean(shared) (luaT_typerror: "got " lua_typename(L, 2), i.e. 'userdata', for a
# value without a torch type), luaL_optinteger(size), luaT_optboolean(sharedMem) when shared;
# a non-boolean `shared` no longer creates the file.

def test_storage_mapping_argument_checks():
    # the original: "bad argument #2 to '?' (boolean expected, got userdata)"
    msg = _err(lambda: torch.LongStorage("nofile_sw19b", 2))
    assert msg == "bad argument #2 to '?' (boolean expected, got userdata)"
    msg = _err(lambda: torch.DoubleStorage("nofile_sw19b", True, 4, 3))
    assert msg == "bad argument #4 to '?' (boolean expected, got string)"


# -- T.new(...) is the C constructor: luaL_argerror names it as the call does ('new'), the
# constructor table's __call '?' (and a tail call '?') -------------------------------------

def test_storage_mapping_and_new_naming_through_th(tmp_path):
    r = th_script("require 'torch'\nlocal function try(f) local ok, e = pcall(f); print(ok, (tostring(e):gsub(' at /[^ ]*%.c:%d+', ''))) end\ntry(function() return torch.LongStorage('nofile_x', 2) end)\ntry(function() return torch.LongStorage('nofile_x', 'y') end)\ntry(function() return torch.LongStorage('nofile_x', {}) end)\ntry(function() return torch.DoubleStorage('nofile_x', nil, 'a') end)\ntry(function() return torch.DoubleStorage('nofile_x', true, 4, 3) end)\ntry(function() return torch.ByteStorage('nofile_x', torch.ones(1)) end)\ntry(function() return torch.LongStorage('nofile_x', false) end)\ntry(function() local x = torch.DoubleTensor.new(2, 'x') end)\ntry(function() local t = torch.ones(2); local x = t.new(2, 'x') end)\ntry(function() local x = torch.LongStorage.new('nofile_x', 2) end)\ntry(function() local x = torch.Tensor.new(torch.LongStorage({2}), 'x') end)\ntry(function() local x = torch.DiskFile.new(3, {}) end)\ntry(function() return torch.DoubleTensor.new(2, 'x') end)\ntry(function() local x = torch.DoubleTensor(2, 'x') end)\nprint(io.open('nofile_x') == nil)\n", tmp_path)
    assert r.stdout == "false\tbad argument #2 to '?' (boolean expected, got userdata)\t\nfalse\tbad argument #2 to '?' (boolean expected, got userdata)\t\nfalse\tbad argument #2 to '?' (boolean expected, got userdata)\t\nfalse\tbad argument #3 to '?' (number expected, got string)\t\nfalse\tbad argument #4 to '?' (boolean expected, got string)\t\nfalse\tbad argument #2 to '?' (boolean expected, got torch.DoubleTensor)\t\nfalse\tunable to open file <nofile_x> in read-only mode\t\nfalse\ts.lua:10: bad argument #2 to 'new' (number expected, got string)\t\nfalse\ts.lua:11: bad argument #2 to 'new' (number expected, got string)\t\nfalse\ts.lua:12: bad argument #2 to 'new' (boolean expected, got userdata)\t\nfalse\ts.lua:13: bad argument #2 to 'new' (torch.LongStorage expected)\t\nfalse\ts.lua:14: bad argument #2 to 'new' (string expected, got table)\t\nfalse\tbad argument #2 to '?' (number expected, got string)\t\nfalse\tbad argument #2 to '?' (number expected, got string)\t\ntrue\t\n", r.stderr
    assert not (tmp_path / "nofile_x").exists()


# -- Concat's copy into its output: a dimension outside the output's range takes nn's narrow
# path, whose currentOutput:size(self.dimension) fails (numpy read 0 as the last axis). Copy's
# types: torch.getmetatable(name).new() (an unknown name is nil there), `intype or default`. --

def test_concat_bad_dimension_and_copy_types(tmp_path):
    r = th_script("require 'nn'\nlocal function try(f) local ok, e = pcall(f); print(ok, (tostring(e):gsub('^.-:%d+: ', ''):gsub(' at /[^ ]*%.c:%d+', ''))) end\ntry(function() return nn.Concat(0):add(nn.Tanh()):forward(torch.ones(2)) end)\ntry(function() return nn.Concat(3):add(nn.Tanh()):forward(torch.ones(2, 2)) end)\ntry(function() return nn.Concat(2):add(nn.Identity()):add(nn.Identity()):forward(torch.ones(2, 1)):size(2) end)\ntry(function() return nn.Copy('torch.FooTensor', 'torch.DoubleTensor') end)\ntry(function() return nn.Copy('torch.DoubleTensor', 3) end)\ntry(function() return nn.Copy({}, 'torch.DoubleTensor') end)\ntry(function() return torch.type(nn.Copy('torch.FloatTensor', 'torch.IntTensor').output) end)\n", tmp_path)
    assert r.stdout == "false\tbad argument #1 to 'size' (dimension 0 out of range of 1D tensor)\t\nfalse\tbad argument #1 to 'size' (dimension 3 out of range of 2D tensor)\t\ntrue\t2\t\nfalse\tattempt to index a nil value\t\nfalse\tattempt to index a nil value\t\nfalse\tbad argument #1 to 'getmetatable' (string expected, got table)\t\ntrue\ttorch.IntTensor\t\n", r.stderr


# -- a failed forward leaves what nn's Lua lines wrote before the failing call ---------------
# Linear: output resized (a vector's filled with the bias, a batch's zeroed) and the addBuffer
# before addmv/addmm refuse the input; CMulTable/CSubTable/CDivTable: output:resizeAs(input[1])
# :copy(input[1]) before TH refuses input[2]; Reshape: Tensor.lua's view sets the output on the
# input's storage before its count check. A Sequential's output is its last module's.

def test_state_after_failed_forward(tmp_path):
    r = th_script("require 'nn'\ntorch.manualSeed(9)\nlocal function sz(o) return o:dim() == 0 and 'empty' or table.concat(o:size():totable(), 'x') end\nlocal function bad(name, m, x)\n   local ok = pcall(function() return m:forward(x) end)\n   print(name, ok, sz(m.output))\nend\nlocal lin = nn.Linear(2, 3)\nbad('Linear vector', lin, torch.ones(3))\nprint(lin.output[1] == lin.bias[1], lin.output[3] == lin.bias[3])\nlocal lin2 = nn.Linear(2, 3)\nbad('Linear batch', lin2, torch.ones(4, 3))\nprint(lin2.output:sum(), lin2.addBuffer:nElement())\nlocal nob = nn.Linear(2, 2):noBias()\nbad('Linear no bias', nob, torch.ones(5))\nprint(nob.output:sum())\nbad('CMulTable', nn.CMulTable(), {torch.ones(2, 2), torch.ones(3)})\nbad('CSubTable', nn.CSubTable(), {torch.ones(2), torch.ones(3)})\nbad('CDivTable', nn.CDivTable(), {torch.ones(2), torch.ones(3)})\nbad('CAddTable', nn.CAddTable(), {torch.ones(2), torch.ones(3)})\nbad('Reshape', nn.Reshape(4), torch.ones(3))\nbad('Reshape float', nn.Reshape(3), torch.FloatTensor(3):fill(1))\nlocal seq = nn.Sequential():add(nn.Linear(2, 2)):add(nn.Linear(3, 2))\nbad('Sequential', seq, torch.ones(2))\nlocal r = nn.Reshape(2, 2)\nprint(sz(r:forward(torch.ones(4))), sz(r:forward(torch.ones(3, 4))))\nprint(nn.CMulTable():forward({torch.Tensor({2, 3}), torch.Tensor({4, 5})}))\n", tmp_path)
    assert r.stdout == 'Linear vector\tfalse\t3\t\ntrue\ttrue\t\nLinear batch\tfalse\t4x3\t\n0\t4\t\nLinear no bias\tfalse\t2\t\n0\t\nCMulTable\tfalse\t2x2\t\nCSubTable\tfalse\t2\t\nCDivTable\tfalse\t2\t\nCAddTable\tfalse\t2\t\nReshape\tfalse\t3x4\t\nReshape float\tfalse\tempty\t\nSequential\tfalse\t2\t\n2x2\t3x2x2\t\n  8\n 15\n[torch.DoubleTensor of size 2]\n\n', r.stderr


def test_linear_failed_vector_forward_leaves_bias_in_output():
    # the original: output of size 3 holding the bias after "size mismatch"
    torch.manualSeed(9)
    lin = nn.Linear(2, 3)
    _err(lambda: lin.forward(torch.ones(3)))
    assert lin.output.size().totable() == [3]
    assert lin.output.numpy().tolist() == lin.bias.numpy().tolist()


# -- a failed backward: View sets gradInput on gradOutput before its count check; CAddTable's
# and CMulTable's loops make gradInput[i] at step i (a failure leaves the later slots unmade
# and the trailing ones untrimmed) -------------------------------------------------------------

def test_state_after_failed_backward(tmp_path):
    r = th_script("require 'nn'\nlocal function sz(o)\n   if torch.isTensor(o) then return o:dim() == 0 and 'empty' or table.concat(o:size():totable(), 'x') end\n   local s = {}; for i, v in ipairs(o) do s[i] = sz(v) end; return '{' .. table.concat(s, ',') .. '}'\nend\nlocal v = nn.View(3)\nv:forward(torch.ones(3))\nprint(pcall(function() return v:backward(torch.ones(3), torch.ones(4)) end) and 'ok' or 'failed', sz(v.gradInput))\nfor _, name in ipairs({'CAddTable', 'CMulTable'}) do\n   local m = nn[name]()\n   local x = {torch.ones(3), torch.ones(3), torch.ones(3)}\n   m:forward(x)\n   print(name, (pcall(function() return m:backward(x, torch.ones(4)) end)), sz(m.gradInput))\n   m:backward(x, torch.ones(3))\n   print(name, sz(m.gradInput))\n   print(name, (pcall(function() return m:backward({torch.ones(2), torch.ones(3)}, torch.ones(3)) end)), sz(m.gradInput))\nend\n", tmp_path)
    assert r.stdout == 'failed\t3\t\nCAddTable\tfalse\t{3}\t\nCAddTable\t{3,3,3}\t\nCAddTable\tfalse\t{2,3,3}\t\nCMulTable\tfalse\t{3}\t\nCMulTable\t{3,3,3}\t\nCMulTable\tfalse\t{2,3,3}\t\n', r.stderr


# -- HingeEmbeddingCriterion resizes gradInput to the input before copy(y) checks the count;
# L1HingeEmbeddingCriterion resizes both gradInputs before copy(input[1]):add(-1, input[2]) --

def test_hinge_criterions_state_after_failed_backward(tmp_path):
    r = th_script("require 'nn'\nlocal function sz(o) if torch.isTensor(o) then return o:dim() == 0 and 'empty' or table.concat(o:size():totable(), 'x') end local s = {} for i, v in ipairs(o) do s[i] = sz(v) end return '{' .. table.concat(s, ',') .. '}' end\nlocal function try(f) local ok, e = pcall(f); print(ok, (tostring(e):gsub('^.-:%d+: ', ''):gsub(' at /[^ ]*%.c:%d+', ''))) end\nlocal h = nn.HingeEmbeddingCriterion()\nh:forward(torch.ones(3), torch.ones(3))\ntry(function() return h:backward(torch.ones(3), torch.ones(4)) end)\nprint(sz(h.gradInput))\ntry(function() return h:backward(torch.FloatTensor(3):fill(1), torch.ones(3)) end)\ntry(function() return h:backward({}, torch.ones(3)) end)\nprint(sz(h:backward(torch.Tensor({0.5, 2}), torch.Tensor({1, -1}))), h.gradInput[1], h.gradInput[2])\nlocal l = nn.L1HingeEmbeddingCriterion()\ntry(function() return l:backward({torch.ones(3), torch.ones(4)}, 1) end)\nprint(sz(l.gradInput))\ntry(function() return l:backward({torch.ones(3), torch.ones(2, 2)}, 1) end)\nprint(sz(l.gradInput))\ntry(function() return l:backward({torch.ones(3), torch.FloatTensor(3)}, 1) end)\nprint(sz(l:backward({torch.Tensor({1, 2}), torch.Tensor({0, 3})}, 1)), l.gradInput[1][1], l.gradInput[2][2])\n", tmp_path)
    assert r.stdout == "false\tinconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively\t\n3\t\nfalse\tbad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)\t\nfalse\tbad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)\t\n2\t0.5\t0\t\nfalse\tinconsistent tensor size, expected r_ [3], t [3] and src [4] to have the same number of elements, but got 3, 3 and 4 elements respectively\t\n{3,4}\t\nfalse\tinconsistent tensor size, expected r_ [3], t [3] and src [2 x 2] to have the same number of elements, but got 3, 3 and 4 elements respectively\t\n{3,2x2}\t\nfalse\tbad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)\t\n{2,2}\t1\t1\t\n", r.stderr
