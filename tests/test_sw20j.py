"""Session 20's sweep of the utility packages legacy scripts call besides torch/nn/optim
(sw20j): paths, sys, xlua's helpers and trepl's globals, run under our th and under the
original Torch7. Every expectation is what the original Torch7 (/tmp/ref7: paths 4ebe222,
sys f073f05, xlua 41308fe, trepl e5e17e3 on LuaJIT 2.1.0-beta2) printed for the same code,
with its install prefix (/tmp/ref7/share/lua/5.1/) written as the torch distro's
/usr/local/share/lua/5.1/ that torch7py's positions use (torch7py.messages.LUA_PREFIX)."""
import os

from luatest import th_script

P = "/usr/local/share/lua/5.1/"


def _out(r):
    assert r.returncode == 0, r.stderr
    return r.stdout


# -- paths.c's luaL_checkstring: LuaJIT names the C function as its caller's call does --------
# ('?' below pcall or in a tail call), after the calling Lua line; paths/init.lua's own errors
# name its lines; extname returns no value without a '.'; execdir one nil (no
# lua_executable_dir in the distro's LuaJIT); tmpname makes no file (tempnam: luatm + 6)

def test_paths_argument_errors_extname_execdir_tmpname(tmp_path):
    r = th_script(
        "print(pcall(paths.dirname))\n"
        "print(pcall(function() paths.dirname() end))\n"
        "print(pcall(function() return paths.concat('a', nil) end))\n"
        "print(pcall(function() local x = paths.basename('a', {}) end))\n"
        "print(pcall(paths.files))\n"
        "print(pcall(paths.files, '.', 5))\n"
        "print(select('#', paths.extname('a/b')), paths.extname('a.b/c.d'))\n"
        "print(select('#', paths.execdir()), paths.execdir())\n"
        "local t = paths.tmpname()\n"
        "print(paths.filep(t), paths.basename(t):sub(1, 5), #paths.basename(t))\n", tmp_path)
    assert _out(r) == (
        "false\tbad argument #1 to '?' (string expected, got no value)\t\n"
        "false\ts.lua:2: bad argument #1 to 'dirname' (string expected, got no value)\t\n"
        "false\tbad argument #2 to '?' (string expected, got nil)\t\n"
        "false\ts.lua:4: bad argument #2 to 'basename' (string expected, got table)\t\n"
        "false\t" + P + "paths/init.lua:26: bad argument #1 to 'dir' (string expected, "
        "got nil)\t\n"
        "false\t" + P + "paths/init.lua:32: Expecting optional arg 2 to be function or "
        "string. Got : number\t\n"
        "0\td\t\n"
        "1\tnil\t\n"
        "false\tluatm\t11\t\n")


def test_paths_tmpname_is_a_fresh_name_only():
    from compat import lualibs
    t = lualibs.tmpname()
    assert not os.path.exists(t) and os.path.basename(t).startswith("luatm")
    assert len(os.path.basename(t)) == 11


# -- errors raised in sys/init.lua's and xlua/init.lua's Lua code name their line there ------
# (sys.c's usleep returns the top of its stack: its last argument)

def test_sys_errors_name_sys_init_lua_and_usleep_returns_its_last_argument(tmp_path):
    r = th_script(
        "require 'sys'\n"
        "print(pcall(sys.execute))\n"
        "print(pcall(sys.fexecute, {}))\n"
        "print(pcall(sys.fexecute, 'true', '*l'))\n"
        "print(pcall(sys.sleep, 'x'))\n"
        "print(pcall(sys.toc))\n"
        "print(sys.usleep(1, 'last'))\n"
        "print(select('#', sys.usleep('x')))\n"
        "print(select('#', sys.sleep(0)))\n", tmp_path)
    assert _out(r) == (
        "false\t" + P + "sys/init.lua:36: attempt to concatenate local 'cmd' (a nil value)\t\n"
        "false\t" + P + "sys/init.lua:53: attempt to concatenate local 'cmd' (a table value)"
        "\t\n"
        "false\t" + P + "sys/init.lua:58: attempt to index local 's' (a nil value)\t\n"
        "false\t" + P + "sys/init.lua:155: attempt to perform arithmetic on local 'seconds' "
        "(a string value)\t\n"
        "false\t" + P + "sys/init.lua:27: attempt to perform arithmetic on upvalue '__t__' "
        "(a nil value)\t\n"
        "last\t\n"
        "1\t\n"
        "0\t\n")


def test_xlua_helpers_errors_name_xlua_init_lua(tmp_path):
    r = th_script(
        "require 'xlua'\n"
        "print(pcall(xlua.formatTime))\n"
        "print(pcall(xlua.table2string, 5))\n"
        "print(pcall(table.splice, nil, 1))\n"
        "print(pcall(table.prune, 'x'))\n"
        "print(pcall(table.prune, 'x', nil, function(a) return a end))\n", tmp_path)
    X = P + "xlua/init.lua:"
    assert _out(r) == (
        "false\t" + X + "195: attempt to perform arithmetic on local 'seconds' (a nil value)"
        "\t\n"
        "false\t" + X + "396: bad argument #1 to 'ipairs' (table expected, got number)\t\n"
        "false\t" + X + "646: bad argument #1 to 'ipairs' (table expected, got nil)\t\n"
        "false\t" + X + "675: bad argument #1 to 'ipairs' (table expected, got string)\t\n"
        "false\t" + X + "667: bad argument #1 to 'ipairs' (table expected, got string)\t\n")


# -- debug.getinfo(level) counts no frame of the layer's pcall/xpcall (LuaJIT's are fast
# functions: the callee's frame links to the caller), so paths.thisfile/dofile under pcall
# see the script; thisfile returns a non-file source as it is ('=[C]')

def test_getinfo_levels_under_pcall_and_thisfile_sources(tmp_path):
    r = th_script(
        "local function f() local i = debug.getinfo(2, 'S') return i.what end\n"
        "local function g() local i = debug.getinfo(3, 'S') return i and i.what, "
        "i and i.short_src end\n"
        "local function h() return g() end\n"
        "print(pcall(f))\n"
        "print(pcall(h))\n"
        "print(xpcall(h, print))\n"
        "print(pcall(paths.thisfile, nil, 2))\n"
        "print(paths.basename(loadstring('return paths.thisfile(\"x.lua\")', '=chunk')()))\n"
        "local ok, e = pcall(paths.dofile, 'sw_none.lua')\n"
        "print(ok, e == 'cannot open ' .. paths.concat('sw_none.lua') .. "
        "': No such file or directory')\n", tmp_path)
    assert _out(r) == (
        "true\tC\t\n"
        "true\tmain\ts.lua\t\n"
        "true\tmain\ts.lua\t\n"
        "true\t=[C]\t\n"
        "x.lua\t\n"
        "false\ttrue\t\n")


# -- torch7's test/test.lua (loaded by torch/init.lua) defines twelve torchtest_* globals: they
# exist from the start, and who() pads names to the longest global (torchtest_isSameSizeAs)

def test_torchtest_globals_and_who_padding(tmp_path):
    r = th_script(
        "print(type(torchtest_isSameSizeAs), type(torchtest_view), type(torchtest_totable))\n"
        "myvarA = 1\n"
        "who()\n", tmp_path)
    assert _out(r) == (
        "function\tfunction\tfunction\t\n"
        "== User Variables ==\t\n"
        "[myvarA]                 = 1\t\n"
        "==\t\n")


def test_colorize_concatenation_error_names_colorize_lua(tmp_path):
    # trepl/colorize.lua:7: colors[name] .. txt .. colors.none
    r = th_script("local c = require 'trepl.colorize'\nprint(pcall(c.red))\n"
                  "print(pcall(c.Green, {}))\nprint(c.none(12))\n", tmp_path)
    C = P + "trepl/colorize.lua:7: attempt to concatenate local 'txt' "
    assert _out(r) == ("false\t" + C + "(a nil value)\t\n"
                       "false\t" + C + "(a table value)\t\n"
                       "12\t\n")
