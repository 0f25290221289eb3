"""Mechanisms found by oracle-style legacy scripts, category by category (session 14, helper
scriptcat15, docs/legacy_sweep.md); each expectation is a fact of the original: read from
Torch7's, nn's, optim's or LuaJIT's sources, or printed by the real LuaJIT 2.1.0-beta2
(tools/beta2_diff.py) for the pure-Lua parts."""
import math

import pytest

from luatest import th_script

pytest.importorskip("lupa")


def _out(r):
    assert r.returncode == 0, r.stderr
    return r.stdout.split("\n")


def test_error_levels_count_only_the_frames_torch7_has(tmp_path):
    # luaL_where(L, level) names the function at that level; the layer's Lua wrapper of the
    # C pcall is a frame Torch7 does not have. Printed by the real LuaJIT 2.1.0-beta2 (our
    # print: th's): pcall(error, m, 2) names the line that called pcall (the C pcall is
    # level 1); a level on a C frame (pcall, xpcall, the top of a coroutine) has no position
    r = th_script("""
print(select(2, pcall(error, 'lvl2', 2)))
print(select(2, pcall(error, 'lvl3', 3)))
local function g(l) error('g' .. l, l) end
local function f(l) g(l) end
for l = 1, 5 do print(l, select(2, pcall(f, l))) end
for l = 3, 5 do print(l, select(2, pcall(function() f(l) end))) end
print(select(2, xpcall(f, function(m) return 'H:' .. m end, 4)))
print(coroutine.resume(coroutine.create(function(l) g(l) end), 3))
print(select(2, pcall(error, 'half', 2.5)))
print(select(2, pcall(function() pcall() end)))
""", tmp_path)
    assert _out(r) == [
        "s.lua:2: lvl2\t",
        "lvl3\t",  # the main chunk's caller: C (dofile in Torch7's th)
        "1\ts.lua:4: g1\t",
        "2\ts.lua:5: g2\t",
        "3\tg3\t",
        "4\ts.lua:6: g4\t",
        "5\tg5\t",
        "3\ts.lua:7: g3\t",
        "4\tg4\t",
        "5\ts.lua:7: g5\t",
        "H:s.lua:8: g4\t",
        "false\tg3\t",
        "s.lua:10: half\t",
        "s.lua:11: bad argument #1 to 'pcall' (value expected)\t",
        "",
    ]


def test_load_and_loadstring_check_their_arguments_as_lj_cf_load(tmp_path):
    # LuaJIT's loadstring is load (lj_cf_load): the chunk name and mode are lj_lib_optstr
    # (#2, #3: a string or a number), then the source is a string, a number or a reader
    # function (lj_lib_checkfunc: 'function expected'); the message names the function as its
    # caller called it. Printed by the real LuaJIT 2.1.0-beta2
    r = th_script("""print(select(2, pcall(loadstring, nil)))
print(select(2, pcall(loadstring)))
print(select(2, pcall(loadstring, {})))
print(select(2, pcall(loadstring, 'return 1', {})))
print(select(2, pcall(load, 'return 1', 'n', {})))
print(select(2, pcall(function() local f = loadstring(true); return f end)))
print(select(2, pcall(function() return load(nil) end)))
print(loadstring(12))
print(loadstring('x =', 'named'))
local parts, i = {'return ', '9'}, 0
print(load(function() i = i + 1; return parts[i] end)())
print(loadstring('return 7', 'seven')())
""", tmp_path)
    assert _out(r) == [
        "bad argument #1 to '?' (function expected, got nil)\t",
        "bad argument #1 to '?' (function expected, got no value)\t",
        "bad argument #1 to '?' (function expected, got table)\t",
        "bad argument #2 to '?' (string expected, got table)\t",
        "bad argument #3 to '?' (string expected, got table)\t",
        "s.lua:6: bad argument #1 to 'loadstring' (function expected, got boolean)\t",
        "bad argument #1 to '?' (function expected, got nil)\t",  # a tail call: no caller
        "nil\t[string \"12\"]:1: unexpected symbol near '12'\t",
        "nil\t[string \"named\"]:1: unexpected symbol near '<eof>'\t",
        "9\t",
        "7\t",
        "",
    ]


def test_string_format_missing_argument_and_rawlen_as_beta2(tmp_path):
    # beta2's string.format: a missing argument is luaL_argerror(L, arg, "no value"), no
    # format at all 'string expected, got no value'; rawlen is LJ_52's (LUA52COMPAT), a
    # table's or string's length without __len. Printed by the real LuaJIT 2.1.0-beta2
    r = th_script("""print(select(2, pcall(string.format, '%s')))
print(select(2, pcall(string.format, '%d %d', 1)))
print(select(2, pcall(string.format)))
print(select(2, pcall(function() local s = ('%s|%s'):format(1); return s end)))
print(string.format('%s|%5.1f', 'a', 0.25), ('%d'):format(3))
print(rawlen({1, 2, 3}), rawlen('abcd'), rawlen(setmetatable({1}, {__len = function() return 9 end})))
print(select(2, pcall(rawlen, 5)))
print(select(2, pcall(rawlen)))
""", tmp_path)
    assert _out(r) == [
        "bad argument #2 to '?' (no value)\t",
        "bad argument #3 to '?' (no value)\t",
        "bad argument #1 to '?' (string expected, got no value)\t",
        "s.lua:4: bad argument #2 to 'format' (no value)\t",
        "a|  0.3\t3\t",
        "3\t4\t1\t",
        "bad argument #1 to '?' (table expected, got number)\t",
        "bad argument #1 to '?' (table expected, got no value)\t",
        "",
    ]


FILE_LUA = "/usr/local/share/lua/5.1/torch/File.lua:"


def test_saving_a_coroutine_names_its_lua_type_thread(tmp_path):
    # File.lua's writeObject: error(string.format('Unwritable object <%s> at %s',
    # type(object), formatStack(objectNameStack))): type() of a coroutine is 'thread', started
    # or not; coroutine.wrap's result is a C function (string.dump fails): <function>
    r = th_script("""require 'torch'
local co = coroutine.create(function() coroutine.yield(1) end)
print(select(2, pcall(torch.save, 'c.t7', co)))
print(select(2, pcall(torch.save, 'c.t7', {a = {b = co}})))
coroutine.resume(co)
print(select(2, pcall(torch.save, 'c.t7', {co})))
print(select(2, pcall(torch.save, 'c.t7', {coroutine.wrap(function() end)})))
""", tmp_path)
    assert _out(r) == [
        # (File.lua:141, its error call: the position the reference Torch7 shows)
        FILE_LUA + "141: Unwritable object <thread> at <?>\t",
        FILE_LUA + "141: Unwritable object <thread> at <?>.a.b\t",
        FILE_LUA + "141: Unwritable object <thread> at <?>.1\t",
        FILE_LUA + "141: Unwritable object <function> at <?>.1\t",
        "",
    ]


def test_bce_weights_of_the_wrong_size_fail_as_thnn(tmp_path):
    # BCECriterion.lua: for a target of 2+ dimensions weights = self.weights:view(1,
    # target:size(2)):expandAs(target) (Tensor.lua's view: 'Wrong size for view. Input size:
    # %s. Output size: %s'); THNN's BCECriterion.c then THNN_CHECK_NELEMENT(input, target) and
    # (input, weights): '#I1 and #I2 have different number of elements: ...' (THNN/init.c).
    # The weighted loss by hand (targets 0: each term log(1 - 0.5 + EPS), EPS = 1e-12, times
    # its column's weight): -2 * (1 + 2 + 3) * log(0.5 + 1e-12) / 6
    r = th_script("""require 'nn'
local function try(f) print((select(2, pcall(f)):gsub('^.-:%d+: ', ''))) end
try(function() return nn.BCECriterion(torch.zeros(2)):forward(torch.Tensor(3):fill(0.5), torch.zeros(3)) end)
try(function() return nn.BCECriterion(torch.zeros(2)):backward(torch.Tensor(3):fill(0.5), torch.zeros(3)) end)
try(function() return nn.BCECriterion(torch.zeros(2)):forward(torch.Tensor(2, 3):fill(0.5), torch.zeros(2, 3)) end)
local c = nn.BCECriterion(torch.Tensor{1, 2, 3})
print(string.format('%.12f', c:forward(torch.Tensor(2, 3):fill(0.5), torch.zeros(2, 3))))
""", tmp_path)
    assert _out(r) == [
        "input and weights have different number of elements: input[3] has 3 elements, while "
        "weights[2] has 2 elements\t",
        "input and weights have different number of elements: input[3] has 3 elements, while "
        "weights[2] has 2 elements\t",
        "Wrong size for view. Input size: 2. Output size: 1x3\t",
        "%.12f\t" % (-2 * 6 * math.log(0.5 + 1e-12) / 6),
        "",
    ]


def test_gradient_reversal_backward_is_ths_mul_in_the_tensors_type(tmp_path):
    # GradientReversal.lua: gradInput:resizeAs(gradOutput); gradInput:copy(gradOutput);
    # gradInput:mul(-self.lambda). TH's mul converts the value to the tensor's real first:
    # a ByteTensor's -1 is 255 (1 * 255 = 255, 2 * 255 = 510 = 254 mod 256), a LongTensor's
    # -0.5 is 0; a gradOutput of another type fails in resizeAs (luaT_checkudata's text)
    r = th_script("""require 'nn'
local g = nn.GradientReversal():type('torch.ByteTensor'):backward(torch.ByteTensor{1, 2}, torch.ByteTensor{1, 2})
print(g[1], g[2], torch.type(g))
g = nn.GradientReversal(0.5):type('torch.LongTensor'):backward(torch.LongTensor{1, 2}, torch.LongTensor{3, 4})
print(g[1], g[2])
g = nn.GradientReversal(0.5):backward(torch.Tensor{1, 2}, torch.Tensor{3, -4})
print(g[1], g[2])
print((select(2, pcall(function() return nn.GradientReversal():backward(torch.zeros(2), torch.ByteTensor(2)) end)):gsub('^.-:%d+: ', '')))
""", tmp_path)
    assert _out(r) == [
        "255\t254\ttorch.ByteTensor\t",
        "0\t0\t",
        "-1.5\t2\t",
        "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.ByteTensor)\t",
        "",
    ]


def test_select_is_its_luas_select_resizeas_and_copy(tmp_path):
    # Select.lua: output = input:select(dim, index); self.output:resizeAs(output): a vector's
    # select is a number (Tensor.c's select pushes get1d's value), refused by resizeAs
    # (luaT_typerror: lua_typename(L, 2) of the stack index, 'userdata'); backward is
    # gradInput:select(dim, index):copy(gradOutput), TH's copy of as many elements
    r = th_script("""require 'nn'
local function try(f) print((select(2, pcall(f)):gsub('^.-:%d+: ', ''))) end
try(function() return nn.Select(1, 2):forward(torch.Tensor{1, 2, 3}) end)
try(function() return nn.Select(1, 2):backward(torch.Tensor{1, 2, 3}, torch.Tensor{1}) end)
try(function() local m = nn.Select(1, 2); m:forward(torch.zeros(2, 3)); return m:backward(torch.zeros(2, 3), torch.zeros(7)) end)
local m = nn.Select(2, -1)
local x = torch.range(1, 12):view(2, 3, 2)
local o = m:forward(x)
print(o[1][1], o[1][2], o[2][1], o[2][2])
local g = m:backward(x, torch.Tensor{{1, 2}, {3, 4}})
print(g:sum(), g[1][3][1], g[1][3][2], g[2][3][1], g[2][3][2], g[1][1][1])
""", tmp_path)
    assert _out(r) == [
        "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)\t",
        "attempt to index a number value\t",
        "inconsistent tensor size, expected tensor [3] and src [7] to have the same number of "
        "elements, but got 3 and 7 elements respectively\t",
        "5\t6\t11\t12\t",
        "10\t1\t2\t3\t4\t0\t",
        "",
    ]


def test_table_layers_backward_of_a_gradoutput_of_another_size_is_ths_copy_error(tmp_path):
    # CAddTable/CSubTable/CDivTable/CMulTable.lua: self.gradInput[i]:resizeAs(input[i])
    # :copy(gradOutput): TH's copy of another number of elements fails with
    # 'inconsistent tensor size, expected tensor %s and src %s to have the same number of
    # elements, but got %d and %d elements respectively' (TH_TENSOR_APPLY2 in THTensorCopy);
    # Spatial{Subtractive,Divisive}Normalization reach it through their subtractor/normalizer;
    # L1Penalty.lua's gradInput:add(gradOutput) is TH's cadd (r_, t, src)
    r = th_script("""require 'nn'
local function try(f) print((select(2, pcall(f)):gsub('^.-:%d+: ', ''))) end
for _, M in ipairs{'CAddTable', 'CSubTable', 'CDivTable', 'CMulTable'} do
  try(function() local m = nn[M](); local x = {torch.ones(2,3), torch.ones(2,3)}; m:forward(x); return m:backward(x, torch.zeros(7)) end)
end
try(function() local m = nn.SpatialSubtractiveNormalization(2); local x = torch.ones(2,3,4); m:forward(x); return m:backward(x, torch.zeros(7)) end)
try(function() local m = nn.L1Penalty(1); local x = torch.ones(3); m:forward(x); return m:backward(x, torch.zeros(7)) end)
""", tmp_path)
    copy = ("inconsistent tensor size, expected tensor [%s] and src [7] to have the same number "
            "of elements, but got %d and 7 elements respectively\t")
    assert _out(r) == [copy % ("2 x 3", 6)] * 4 + [
        copy % ("2 x 3 x 4", 24),
        "inconsistent tensor size, expected r_ [3], t [3] and src [7] to have the same number "
        "of elements, but got 3, 3 and 7 elements respectively\t",
        "",
    ]


def test_file_write_returns_the_file_as_lua52compat(tmp_path):
    # LJ_52 (LUAJIT_ENABLE_LUA52COMPAT, Torch7's build): io_file_write returns the file, so
    # f:write(a):write(b) chains; errors unchanged. Printed by the real LuaJIT 2.1.0-beta2
    r = th_script("""local f = assert(io.open('w.txt', 'w'))
print(f:write('a') == f, f:write(1, 2.5):write('x') == f)
print(select(2, pcall(function() f:write({}) end)))
print(select(2, pcall(function() f.write(f, {}) end)))
f:close()
print(select(2, pcall(function() f:write('x') end)))
local g = io.open('w.txt'); print(g:read('*a')); g:close()
""", tmp_path)
    assert _out(r) == [
        "true\ttrue\t",
        "s.lua:3: bad argument #1 to 'write' (string expected, got table)\t",
        "s.lua:4: bad argument #2 to 'write' (string expected, got table)\t",
        "s.lua:6: attempt to use a closed file\t",
        "a12.5x\t",
        "",
    ]


def test_lua52compat_library_details(tmp_path):
    # LuaJIT's lib_base.c/lib_debug.c/lib_string.c under LJ_52 (Torch7's build):
    # coroutine.running gives (the coroutine, false), in the main thread (the main thread,
    # true); debug.setmetatable returns its first argument; debug.getuservalue exists;
    # str_find_aux returns nil for an init past the end. Printed by the real LuaJIT 2.1.0-beta2
    r = th_script("""print(type(coroutine.running()), select('#', coroutine.running()))
print(select(2, coroutine.running()), select(2, coroutine.wrap(function() return coroutine.running() end)()))
print(coroutine.status(coroutine.running()), coroutine.resume(coroutine.running()))
print(debug.setmetatable(5, nil), type(debug.getuservalue))
print(('abc'):find('', 4), ('abc'):find('', 5), ('abc'):find('b', 10), ('abc'):match('x', 10))
print(('hello'):find('l', 5), ('hello'):match('(l)', 4))
""", tmp_path)
    assert _out(r) == [
        "thread\t2\t",
        "true\tfalse\t",
        "running\tfalse\tcannot resume running coroutine\t",
        "5\tfunction\t",
        "4\tnil\tnil\tnil\t",
        "nil\tl\t",
        "",
    ]


@pytest.mark.parametrize("arg, status", [
    ("3.7", 3), ("'2'", 2), ("' 0x10 '", 16), ("-2.5", 254), ("1e10", 0), ("false", 1)])
def test_os_exit_reads_its_status_as_luajit(tmp_path, arg, status):
    # LuaJIT's os_exit: a boolean, else lj_lib_optint (a number or a numeric string,
    # lj_num2int truncates toward zero, out of int's range x86's INT_MIN), then exit(status):
    # the process sees status & 0xff. Exit statuses of the real LuaJIT 2.1.0-beta2
    r = th_script("io.write('o') os.exit(%s)" % arg, tmp_path)
    assert (r.stdout, r.returncode) == ("o", status)


def test_os_exit_of_a_bad_value_is_an_argument_error(tmp_path):
    r = th_script("print(select(2, pcall(os.exit, {})))\nos.exit('x')", tmp_path)
    assert r.stdout == "bad argument #1 to '?' (number expected, got table)\t\n"
    assert r.returncode == 1
    assert "s.lua:2: bad argument #1 to 'exit' (number expected, got string)" in r.stderr


def test_debug_traceback_of_a_thread_and_of_a_nil_message(tmp_path):
    # lib_debug.c's debug_traceback: a message that is no string comes back as it is when one
    # is given (debug.traceback(nil) is nil); a thread's traceback is of that thread (the
    # wrapper passed it on with explicit nils: nil). Printed by LuaJIT 2.1.0-beta2
    r = th_script("""print(debug.traceback(nil), debug.traceback(nil, 2))
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
print(debug.traceback(co))
print(debug.traceback(co, 'comsg'))
""", tmp_path)
    assert _out(r) == [
        "nil\tnil\t",
        "stack traceback:",
        "\t[C]: in function 'yield'",
        "\ts.lua:2: in function <s.lua:2>\t",
        "comsg",
        "stack traceback:",
        "\t[C]: in function 'yield'",
        "\ts.lua:2: in function <s.lua:2>\t",
        "",
    ]


def test_tester_run_of_a_plain_list_of_tests_fails_on_the_number_name(tmp_path):
    # Tester:add of a plain table adds each function under its key (a number for a list);
    # Tester.lua's run then computes the dots with self._currentTestName:len(): a number has
    # no methods, 'attempt to index field '_currentTestName' (a number value)'
    r = th_script("""require 'torch'
local t = torch.Tester()
t:add({function() end})
local ok, e = pcall(function() t:run() end)
print(ok, (e:gsub('^.-:%d+: ', '')))
""", tmp_path)
    assert r.stdout.split("\n")[-2] == (
        "false\tattempt to index field '_currentTestName' (a number value)\t")


def test_set_reads_its_source_as_tensor_c_and_names_set_through_tensor_lua(tmp_path):
    # Tensor.c's set: c_readTensorStorageSizeStride(L, 2, ...): a tensor or storage of this
    # type, numbers or a LongStorage (sizes); anything else THArgCheck(0, 2, "expecting number
    # or torch.DoubleTensor or torch.DoubleStorage"). Tensor.lua's expand/view end in
    # result:set(tensor:storage(), ...), a method call: 'bad argument #1 to 'set'' for a source
    # of another type (nn.Euclidean's expandAs of a FloatTensor input in a Double module)
    r = th_script("""require 'nn'
local function try(f) print((select(2, pcall(f)):gsub('^.-:%d+: ', ''))) end
try(function() local x = torch.DoubleTensor():set(torch.FloatTensor(2)) end)
try(function() local x = torch.DoubleTensor():set(torch.FloatStorage(2)) end)
try(function() local x = torch.DoubleTensor():expand(torch.FloatTensor(2, 1), 2, 3) end)
try(function() local x = torch.DoubleTensor():view(torch.FloatTensor(6), 2, 3) end)
try(function() local x = nn.Euclidean(3, 2):forward(torch.FloatTensor(3)) end)
local t = torch.DoubleTensor():set(2, 3)
print(t:dim(), t:size(1), t:size(2), torch.LongTensor():set(torch.LongStorage{4, 5}):size(1))
""", tmp_path)
    set_msg = "expecting number or torch.DoubleTensor or torch.DoubleStorage"
    assert _out(r) == [
        "bad argument #1 to 'set' (%s)\t" % set_msg,
        "bad argument #1 to 'set' (%s)\t" % set_msg,
        "bad argument #1 to 'set' (%s)\t" % set_msg,
        "bad argument #1 to 'set' (%s)\t" % set_msg,
        "bad argument #1 to 'set' (%s)\t" % set_msg,
        "2\t2\t3\t2\t",
        "",
    ]


def test_library_functions_print_as_beta2s_builtins(tmp_path):
    # Torch7's LuaJIT (2.1.0-beta2, LUA52COMPAT) prints a library function as
    # 'function: builtin#N', N its fast function id there (lj_ffdef.h's order from 2: assert
    # 2, ipairs_aux 6, tostring 19, coroutine_wrap_aux 37, math.floor 40, string.gmatch_aux 87,
    # string.format 90); tostring and string.format's %s alike; th's print and require are
    # trepl's Lua functions (an address). Printed by the real LuaJIT 2.1.0-beta2
    r = th_script("""print(math.floor, string.format, tostring, assert)
print(string.format('%s|%5s', math.floor, 'x'), (tostring(print):gsub('0x%x+', 'ADDR')))
print(ipairs({}), (string.gmatch('a', 'a')), coroutine.wrap(function() end))
print(pcall(string.format, '%d', math.floor))
""", tmp_path)
    assert _out(r) == [
        "function: builtin#40\tfunction: builtin#90\tfunction: builtin#19\tfunction: builtin#2\t",
        "function: builtin#40|    x\tfunction: ADDR\t",
        "function: builtin#6\tfunction: builtin#87\tfunction: builtin#37\t",
        "false\tbad argument #2 to '?' (number expected, got function)\t",
        "",
    ]


def test_getmetatable_and_xpcall_without_arguments(tmp_path):
    # lib_base.c: getmetatable's and xpcall's lj_lib_checkany(L, 1) come first: 'value
    # expected' (the wrappers answered nil, and xpcall's handler check). Real LuaJIT 2.1.0-beta2
    r = th_script("""print(pcall(getmetatable))
print(pcall(xpcall))
print(pcall(function() getmetatable() end))
print(pcall(function() xpcall() end))
""", tmp_path)
    assert _out(r) == [
        "false\tbad argument #1 to '?' (value expected)\t",
        "false\tbad argument #1 to '?' (value expected)\t",
        "false\ts.lua:3: bad argument #1 to 'getmetatable' (value expected)\t",
        "false\ts.lua:4: bad argument #1 to 'xpcall' (value expected)\t",
        "",
    ]


def test_base_library_argument_errors_of_the_layers_wrappers(tmp_path):
    # lib_base.c/lib_table.c/lib_io.c/lib_math.c of LuaJIT 2.1.0-beta2: rawget/rawset check
    # a table and then their key/value (lj_lib_checkany), type() its argument, the table
    # functions say 'got no value' for a missing table, math.randomseed needs a number,
    # io.write names itself as the caller called it ('?' from pcall). Printed by the real binary
    r = th_script("""print(pcall(rawget, {}))
print(pcall(rawget, 'x', 1))
print(pcall(function() rawset({}, 1) end))
print(pcall(type))
print(pcall(table.insert))
print(pcall(unpack))
print(pcall(math.randomseed))
print(pcall(io.write, {}))
print(pcall(function() io.stdout.write(io.stdout, {}) end))
print(rawget({5}, 1), rawset({}, 1, 2)[1], type(nil))
""", tmp_path)
    assert _out(r) == [
        "false\tbad argument #2 to '?' (value expected)\t",
        "false\tbad argument #1 to '?' (table expected, got string)\t",
        "false\ts.lua:3: bad argument #3 to 'rawset' (value expected)\t",
        "false\tbad argument #1 to '?' (value expected)\t",
        "false\tbad argument #1 to '?' (table expected, got no value)\t",
        "false\tbad argument #1 to '?' (table expected, got no value)\t",
        "false\tbad argument #1 to '?' (number expected, got no value)\t",
        "false\tbad argument #1 to '?' (string expected, got table)\t",
        "false\ts.lua:9: bad argument #2 to 'write' (string expected, got table)\t",
        "5\t2\tnil\t",
        "",
    ]


def test_ascii_files_write_a_nan_with_its_sign_as_printf(tmp_path):
    # THMemoryFile/THDiskFile's ascii writeDouble is snprintf("%.17g"): glibc writes a NaN
    # whose sign bit is set as '-nan'; x86's 0/0 (what Lua's 0/0 and TH's division give) is
    # that NaN (bits 0xfff8000000000000), -(0/0) the positive one
    r = th_script("""require 'torch'
local f = torch.MemoryFile():ascii()
f:writeDouble(0/0) f:writeDouble(-(0/0)) f:writeFloat(0/0) f:writeDouble(torch.DoubleStorage{0/0, 1})
io.write((f:storage():string():gsub('%z', '')))
""", tmp_path)
    assert r.stdout == "-nan\nnan\n-nan\n-nan 1\n"


def test_stochastic_gradient_prints_a_diverged_error_as_lua_nan(tmp_path):
    # StochasticGradient.lua: print("# current error = " .. currentError): Lua's concat of a
    # number is lj_strfmt_num, which writes any NaN as 'nan' (no sign; x86's inf - inf has
    # one). The loss here: (1e308 * 2e308 - 1)^2 overflows to inf, its gradient inf - inf
    r = th_script("""require 'nn'
local ds = {}
function ds:size() return 2 end
ds[1] = {torch.Tensor{1e308, 1e308}, torch.Tensor{1}}
ds[2] = {torch.Tensor{-1e308, 1e308}, torch.Tensor{-1}}
local m = nn.Linear(2, 1)
m.weight:fill(1e308) m.bias:fill(0)
local t = nn.StochasticGradient(m, nn.MSECriterion())
t.maxIteration = 2
t:train(ds)
""", tmp_path)
    assert _out(r) == [
        "# StochasticGradient: training\t",
        "# current error = nan\t",
        "# current error = nan\t",
        "# StochasticGradient: you have reached the maximum number of iterations\t",
        "# training error = nan\t",
        "",
    ]


def test_xlua_progress_of_a_zero_goal_is_luas_arithmetic(tmp_path):
    # xlua.progress: percent = math.floor(current * barLength / goal) in Lua: 1/0 is inf (every
    # i < percent: a bar of '='), 0/0 nan (no comparison holds: all '.'); 80 columns give
    # barLength 46; the bar is never done. (Python raised 'division by zero'.)
    r = th_script("""require 'xlua'
torch.Timer = function() return {time = function() return {real = 0} end} end
print(pcall(xlua.progress, 1, 0))
print(pcall(xlua.progress, 0, 0))
print(select(2, pcall(xlua.progress, 1, 'ten')))
""", tmp_path)
    assert r.returncode == 0, r.stderr
    out = r.stdout.replace("\b", "")  # (text mode: each '\r' reads as a newline)
    assert out.startswith(" [" + "=" * 46 + "] ")
    assert " 1/0 \ntrue\t\n\n [" + "." * 46 + "] " in out
    assert out.endswith(" 0/0 \ntrue\t\n"
                        "attempt to perform arithmetic on local 'goal' (a string value)\t\n")


def test_shape_layers_of_another_type_fail_in_their_luas_set(tmp_path):
    # Reshape/View/Collapse.lua: self.output:view(input, ...) (Tensor.lua's view:set(...)),
    # Squeeze.lua: self.output:set(input:squeeze()), Contiguous.lua: self.output:set(input):
    # Replicate.lua: self.output:set(input:storage(), ...): a FloatTensor input of a Double
    # module fails in Tensor.c's set; Identity passes it on
    r = th_script("""require 'nn'
local F = torch.FloatTensor(2, 3):fill(1)
for _, m in ipairs{nn.Reshape(6), nn.View(-1), nn.Squeeze(), nn.Contiguous(), nn.Replicate(2), nn.Identity()} do
  local ok, e = pcall(function() return torch.type(m:forward(F)) end)
  print(torch.type(m), ok, (tostring(e):gsub('^.-:%d+: ', '')))
end
""", tmp_path)
    err = "false\tbad argument #1 to 'set' (expecting number or torch.DoubleTensor or " \
          "torch.DoubleStorage)\t"
    assert _out(r) == ["nn.Reshape\t" + err, "nn.View\t" + err, "nn.Squeeze\t" + err,
                       "nn.Contiguous\t" + err, "nn.Replicate\t" + err,
                       "nn.Identity\ttrue\ttorch.FloatTensor\t", ""]


def test_container_of_a_module_raising_a_non_string_error(tmp_path):
    # Container.lua's rethrowErrors: xpcall(module[funcName], handleError, ...), whose handler
    # begins with err:find(TRACEBACK_WARNING): a table, nil or boolean error value has no
    # find, the handler fails, xpcall gives LuaJIT's "error in error handling" (the real
    # LuaJIT 2.1.0-beta2 on that handler), which error(ret) raises again.
    r = th_script("""require 'nn'
local E = torch.class('nn.ErrModS15', 'nn.Module')
function E:updateOutput(input) error(self.value) end
for _, v in ipairs{{code = 7}, true} do
  local m = nn.ErrModS15()
  m.value = v
  local ok, e = pcall(function() return nn.Sequential():add(m):forward(torch.zeros(2)) end)
  print(ok, type(e), (tostring(e):gsub('^.-:%d+: ', ''):gsub('\\n.*', '')))
end
local ok, e = pcall(function() return nn.Sequential():add(nn.ErrModS15()):forward(torch.zeros(2)) end)
print(ok, (tostring(e):gsub('^.-:%d+: ', '')))
""", tmp_path)
    assert _out(r) == [
        "false\tstring\terror in error handling\t",
        "false\tstring\terror in error handling\t",
        "false\terror in error handling\t",
        "",
    ]
