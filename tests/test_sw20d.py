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
