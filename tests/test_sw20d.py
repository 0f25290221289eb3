"""Session 20's sweep of plain Lua under th (sw20d): the string, math, table, metatable and
control libraries, run under our th and under the original Torch7's (LuaJIT 2.1.0-beta2 with
LUAJIT_ENABLE_LUA52COMPAT, trepl's th). Each test is one mechanism by which ours printed
something else; every expectation is what the original's th (/tmp/ref7) printed for the
same code."""
from luatest import th_script


# -- `#t` is the __len metamethod's first result, whatever it is (lj_meta_len under LJ_52) ----

def test_len_metamethod_result_nil_or_false(tmp_path):
    # the original printed nil, false, 42 and kept LuaJIT's messages for values without length
    r = th_script("local u = setmetatable({}, {__len = function() return nil end})\n"
                  "print(#u)\n"
                  "print(#setmetatable({}, {__len = function() return false end}))\n"
                  "local l = setmetatable({}, {__len = function() return 42, 1 end})\n"
                  "print(#l, #'abc', #{1, 2, 3})\n"
                  "print(pcall(function() local x = 5; return #x end))\n"
                  "print(pcall(function() return #print end))\n", tmp_path)
    assert r.stdout == ("nil\t\nfalse\t\n42\t3\t3\t\n"
                        "false\ts.lua:6: attempt to get length of local 'x' (a number value)\t\n"
                        "false\ts.lua:7: attempt to get length of global 'print' "
                        "(a function value)\t\n"), r.stderr


def test_len_metamethod_in_dofile_and_require(tmp_path):
    # files run by dofile/loadfile/require honour __len too (a first '#!' line is skipped):
    # the original printed 2 7 three times, then 2 7 3 for the file with a shebang
    (tmp_path / "inc.lua").write_text(
        "local t = {1, 2}\nreturn #t, #setmetatable({}, {__len = function() return 7 end})\n")
    (tmp_path / "inc2.lua").write_text(
        "#!/usr/bin/env th\nlocal t = {1, 2}\n"
        "return #t, #setmetatable({}, {__len = function() return 7 end}), "
        "debug.getinfo(1, 'l').currentline\n")
    r = th_script("print(dofile('inc.lua'))\nprint(loadfile('inc.lua')())\n"
                  "package.path = './?.lua;' .. package.path\n"
                  "print(require('inc'))\nprint(dofile('inc2.lua'))\n", tmp_path)
    assert r.stdout == "2\t7\t\n2\t7\t\n2\t\n2\t7\t3\t\n", r.stderr


# -- tonumber: a string is read up to its first NUL; a base other than 10 is C's strtoul ------

def test_tonumber_stops_at_nul_and_strtoul_negates(tmp_path):
    # the original printed these (lj_strscan_scan stops at '\0'; strtoul('-11', 2) is 2^64 - 3)
    r = th_script("for _, s in ipairs({'12\\0', '\\0', '0x10\\0zz', ' 5 \\0 ', '1e2\\0', 'x\\0 1'}) do\n"
                  "  print(tonumber(s), tonumber(s, 10))\nend\n"
                  "local t = {{'-11', 2}, {'-0', 2}, {' -ff ', 16}, {'-0x10', 16}, {'-zz', 36},\n"
                  "  {'-ffffffffffffffff', 16}, {'-1ffffffffffffffff', 16}, {'-9007199254740993', 11},\n"
                  "  {'- 1', 2}, {'-', 2}, {'--1', 2}, {'-1 x', 2}, {'-1\\0', 2}, {'-10', 2.5},\n"
                  "  {'-0x', 16}, {'11', 2}}\n"
                  "for i, c in ipairs(t) do print(i, tonumber(c[1], c[2])) end\n"
                  "print(pcall(tonumber))\nprint(pcall(tonumber, '1', 40))\n"
                  "print(pcall(function() local n = tonumber() return n end))\n"
                  "print(tostring(tonumber), tonumber(12, 10), tonumber(12, 16))\n", tmp_path)
    assert r.stdout == (
        "12\t12\t\nnil\tnil\t\n16\t16\t\n5\t5\t\n100\t100\t\nnil\tnil\t\n"
        "1\t1.844674407371e+19\t\n2\t0\t\n3\t1.844674407371e+19\t\n4\t1.844674407371e+19\t\n"
        "5\t1.844674407371e+19\t\n6\t1\t\n7\t1.844674407371e+19\t\n8\t1.8409126330682e+19\t\n"
        "9\tnil\t\n10\tnil\t\n11\tnil\t\n12\tnil\t\n13\t1.844674407371e+19\t\n"
        "14\t1.844674407371e+19\t\n15\tnil\t\n16\t3\t\n"
        "false\tbad argument #1 to '?' (value expected)\t\n"
        "false\tbad argument #2 to '?' (base out of range)\t\n"
        "false\ts.lua:11: bad argument #1 to 'tonumber' (value expected)\t\n"
        "function: builtin#18\t12\t18\t\n"), r.stderr


def test_lua_tonumber_of_cwrap_stops_at_nul():
    from torch7py.messages import lua_tonumber
    assert lua_tonumber("12\0x") == 12 and lua_tonumber("\0") is None
    assert lua_tonumber(" 0x10 ") == 16


# -- next's "invalid key to 'next'" has no position (a C function's lj_err_msg) ----------------

def test_next_invalid_key_has_no_position(tmp_path):
    # the original printed the bare message each time, for a module and a class too
    r = th_script("require 'nn'\nlocal t = {a = 1}\n"
                  "print(pcall(function() for k in next, t, 'nokey' do end end))\n"
                  "print(pcall(function() local x = next(t, 'zz') return x end))\n"
                  "local m = nn.Linear(2, 2)\n"
                  "print(pcall(function() for k in next, m, 'nokey' do end end))\n"
                  "print(pcall(function() local x = next(m, 'nokey') return x end))\n"
                  "print(pcall(function() local x = next(nn.Linear, 'nokey') return x end))\n"
                  "print(next(nn.Linear))\n", tmp_path)
    assert r.stdout == "false\tinvalid key to 'next'\t\n" * 5 + "nil\t\n", r.stderr


# -- file methods: arguments passed on as given; flush returns true; close() without a file ----

def test_file_methods_argument_errors_and_results(tmp_path):
    # the original printed these: no file at all is 'got no value' (not nil), f:flush() is
    # luaL_fileresult's true, f.close() closes the default output (io_method_close), and
    # io.close's argument error is named as the caller named it
    r = th_script("print(pcall(io.stdout.write))\nprint(pcall(io.stdout.flush))\n"
                  "print(pcall(io.stdout.close))\nprint(pcall(io.stdout.flush, 5))\n"
                  "print(pcall(io.stdout.write, io.stdout, {}))\n"
                  "print(io.stdout:flush() == io.stdout, io.stdout:flush(), io.flush())\n"
                  "local f = io.tmpfile()\nprint(f:flush(), f:write('x') == f, io.type(f:flush()))\n"
                  "print(io.stdout:write() == io.stdout)\n"
                  "print(pcall(io.close, 5))\nprint(pcall(function() io.close(5) end))\n"
                  "print(pcall(function() local c = io.close; c({}) end))\n", tmp_path)
    assert r.stdout == (
        "false\tbad argument #1 to '?' (FILE* expected, got no value)\t\n"
        "false\tbad argument #1 to '?' (FILE* expected, got no value)\t\n"
        "true\tnil\tcannot close standard file\t\n"
        "false\tbad argument #1 to '?' (FILE* expected, got number)\t\n"
        "false\tbad argument #2 to '?' (string expected, got table)\t\n"
        "false\ttrue\ttrue\t\ntrue\ttrue\tnil\t\ntrue\t\n"
        "false\tbad argument #1 to '?' (FILE* expected, got number)\t\n"
        "false\ts.lua:11: bad argument #1 to 'close' (FILE* expected, got number)\t\n"
        "false\ts.lua:12: bad argument #1 to 'c' (FILE* expected, got table)\t\n"), r.stderr


# -- th's print of a table tests next(obj): a table whose first key is false prints as {} -----

def test_th_print_table_whose_first_key_is_false(tmp_path):
    # trepl's printrecursive: `if next(obj) then` (the first key's truth) and, nested,
    # `next(v) == nil`; the original printed these
    r = th_script("print({[true] = 1, [false] = 0})\n"
                  "print({x = {[false] = 1}, y = {[false] = 2, [true] = 3}})\n"
                  "print({[false] = 1})\nprint({[true] = 1})\n", tmp_path)
    assert r.stdout == ("{}\n{\n  y : \n    {}\n  x : \n    {}\n}\n{}\n"
                        "{\n  true : 1\n}\n"), r.stderr


# -- setprintlevel's error is raised in trepl's init.lua, at line 312 --------------------------

def test_setprintlevel_error_has_trepls_position(tmp_path):
    # the original printed '<its install>/share/lua/5.1/trepl/init.lua:312: expected number
    # [0,+)'; torch7py writes Torch7's Lua files under messages.LUA_PREFIX
    from torch7py.messages import LUA_PREFIX
    r = th_script("print(pcall(setprintlevel, -1))\nprint(pcall(setprintlevel))\n", tmp_path)
    assert r.stdout == ("false\t%strepl/init.lua:312: expected number [0,+)\t\n" % LUA_PREFIX) * 2, \
        r.stderr


# -- th's print of an object whose __tostring gives no string fails in trepl's rawprint --------

def test_th_print_tostring_without_string_fails_at_trepls_rawprint(tmp_path):
    # the original printed '<install>/share/lua/5.1/trepl/init.lua:262: attempt to concatenate
    # a nil value' (rawprint's io.write(tostring(o or '') .. '\n')); a number is written
    from torch7py.messages import LUA_PREFIX
    r = th_script("local Z = setmetatable({}, {__tostring = function() return nil end})\n"
                  "local N = setmetatable({}, {__tostring = function() return 42 end})\n"
                  "local B = setmetatable({}, {__tostring = function() return true end})\n"
                  "print(pcall(print, Z))\nprint(pcall(print, N))\nprint(pcall(print, B))\n",
                  tmp_path)
    at = LUA_PREFIX + "trepl/init.lua:262: attempt to concatenate a "
    assert r.stdout == ("false\t%snil value\t\n42\ntrue\t\nfalse\t%sboolean value\t\n"
                        % (at, at)), r.stderr


# -- load's reader errors name the script's line that called load (or none from pcall) ---------

def test_load_reader_error_position(tmp_path):
    # the original printed these (lj_err_caller: the caller of load), never a [compat] line
    r = th_script("print(pcall(load, function() return {} end))\n"
                  "local n = 0\n"
                  "local f, e = load(function() n = n + 1 if n == 1 then return 'return ' end "
                  "return true end)\n"
                  "print(f, (e:match('^[^\\n]*')))\n"
                  "print(pcall(loadstring, function() return {} end))\n", tmp_path)
    assert r.stdout == ("true\tnil\treader function must return a string\t\n"
                        "nil\ts.lua:3: reader function must return a string\t\n"
                        "true\tnil\treader function must return a string\t\n"), r.stderr
