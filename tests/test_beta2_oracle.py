"""What plain Lua prints under our th against what Torch7's LuaJIT printed.

Every expected text below was recorded from the real binary: LuaJIT 2.1.0-beta2 of
torch/luajit-rocks (commit 2c7496b), built with its CMakeLists (`cmake -DWITH_LUAJIT21=ON
-DCMAKE_BUILD_TYPE=Release`: -O3 -DNDEBUG -DLUAJIT_ENABLE_LUA52COMPAT -DLUAJIT_ENABLE_GC64
-DLUAJIT_CPU_SSE2), running the script as a file named script.lua with trepl's print of plain
values (a tab after each; tools/beta2_diff.py's TREPL_PRINT).  tools/beta2_diff.py found the
differences these pin down."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def th(tmp_path, src):
    path = tmp_path / "script.lua"
    path.write_text(src)
    env = dict(os.environ, PYTHONPATH=ROOT)
    out = subprocess.run([sys.executable, "-m", "compat.th", "script.lua"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=120, check=False)
    return out.stdout


# /tmp/ern_ord.lua: a gModule's fields copied through pairs three times per round (readObject's
# table filled in file order, gModule:read's copy, writeObject's copy, the list written back):
# beta2 cycles through these orders
ERN = """local F0 = {'bg', 'gradInput', 'outnode', 'fg', 'forwardnodes', 'innode', '_type',
  'backwardnodes', 'nInputs', 'output', 'modules', 'verbose'}
local W = F0
for i = 0, 3 do
   local data = {}
   for _, k in ipairs(W) do data[k] = true end
   local obj = {}
   for k in pairs(data) do obj[k] = true end
   local var = {}
   for k in pairs(obj) do var[k] = true end
   local out = {}
   for k in pairs(var) do out[#out + 1] = k end
   W = out
   print(i, table.concat(W, ' '))
end
"""
ERN_BETA2 = """\
0\tbg gradInput outnode fg innode verbose _type backwardnodes modules output nInputs forwardnodes\t
1\tbg gradInput outnode fg forwardnodes verbose _type backwardnodes nInputs output modules innode\t
2\tbg gradInput outnode fg verbose innode _type backwardnodes modules output nInputs forwardnodes\t
3\tbg gradInput outnode fg forwardnodes innode _type backwardnodes nInputs output modules verbose\t
"""


def test_copies_through_pairs_follow_the_traversal_order(tmp_path):
    # each copy is filled in the order the traversal of the one before yielded its keys (and
    # `data` in the list's order, through ipairs): not in the keys' order in the source
    assert th(tmp_path, ERN) == ERN_BETA2


# a fuzz case (tools/beta2_diff.py --kinds pairs_copies): a list of names copied through
# ipairs, then pairs twice
COPY = """local W = {"_", "backwardnodes", "k1", "", "forwardnodes", "y", "bg", "name", "lr",
  "__index", "momentum"}
for i = 1, 2 do
  local d = {} for _, k in ipairs(W) do d[k] = true end
  local e = {} for k in pairs(d) do e[k] = true end d = e
  local o = {} for k in pairs(d) do o[#o + 1] = k end W = o
  print(table.concat(W, ' '))
end
"""
COPY_BETA2 = """\
 bg name momentum __index forwardnodes backwardnodes _ k1 y lr\t
 bg name lr __index forwardnodes backwardnodes _ k1 y momentum\t
"""


def test_list_copied_through_ipairs_then_pairs(tmp_path):
    assert th(tmp_path, COPY) == COPY_BETA2


NUMBERS = """print(123456789012345, -123456789012345, 1234567890123.25, 0.5, 2^60, 4.5e15)
io.write(123456789012345, ' ', 1234567890123.25, ' ', 2.5, '\\n')
io.stdout:write(-1234567890123.25, '\\n')
print(tostring(123456789012345), 0.1, 1/3, -0.0, 1/0, 5e-324)
"""
NUMBERS_BETA2 = """\
1.2345678901235e+14\t-1.2345678901235e+14\t1234567890123.3\t0.5\t1.1529215046068e+18\t4.5e+15\t
1.2345678901235e+14 1234567890123.3 2.5
-1234567890123.3
1.2345678901235e+14\t0.1\t0.33333333333333\t-0\tinf\t4.9406564584125e-324\t
"""


def test_tostring_and_write_round_exact_halves_away_from_zero(tmp_path):
    # %.14g of an exact half: beta2's lj_strfmt_num rounds away from zero (C: to even)
    assert th(tmp_path, NUMBERS) == NUMBERS_BETA2


ERRORS = """print(pcall(function() local s = ('%d'):format('x') return s end))
print(pcall(function() return string.format('%d', 'x') end))
print(pcall(function() local s = coroutine.resume(1) return s end))
print(pcall(function() local s = pcall() return s end))
print(pcall(function() local s = xpcall(print) return s end))
print(pcall(function() local a = ipairs() return a end))
print(pcall(function() local a = pairs() return a end))
print(pcall(function() local a = next() return a end))
"""
ERRORS_BETA2 = """\
false\tscript.lua:1: bad argument #1 to 'format' (number expected, got string)\t
false\tbad argument #2 to '?' (number expected, got string)\t
false\tscript.lua:3: bad argument #1 to 'resume' (coroutine expected)\t
false\tscript.lua:4: bad argument #1 to 'pcall' (value expected)\t
false\tscript.lua:5: bad argument #2 to 'xpcall' (function expected, got no value)\t
false\tscript.lua:6: bad argument #1 to 'ipairs' (value expected)\t
false\tscript.lua:7: bad argument #1 to 'pairs' (value expected)\t
false\tscript.lua:8: bad argument #1 to 'next' (table expected, got no value)\t
"""


def test_argument_errors_name_the_call_as_beta2(tmp_path):
    # a method call counts self out; a tail call names '?' and has no position; the
    # wrappers' own checks point at the script's line
    assert th(tmp_path, ERRORS) == ERRORS_BETA2


# number and boolean keys inserted in a pseudo-random order, some fractional or negative, some
# deleted: beta2's order is the one the LuaJIT here gives them (same number hash and layout)
NUMKEYS = """local r = 12345
local function rnd(n) r = (r * 1103515245 + 12345) % 2147483648 return r % n end
for c = 1, 8 do
  local t = {}
  local n = 1 + rnd(25)
  for i = 1, n do local k = 1 + rnd(60) if rnd(5) == 0 then k = k + 0.5 end if rnd(7) == 0 then k = -k end if rnd(9) == 0 then k = (rnd(2) == 0) end t[k] = i end
  if rnd(2) == 0 then for i = 1, 5 do t[1 + rnd(60)] = nil end end
  local o = {} for k in pairs(t) do o[#o+1] = tostring(k) end
  print(table.concat(o, ' '))
end
"""
NUMKEYS_BETA2 = """\
true 5 29.5 45 -29 57\t
1 true -37.5 -25 9 21 57.5 49.5 57\t
21 -5 45 true\t
13 5 29 -13 41 true 9.5 17 33.5 53 49.5\t
45.5 13 45 57 37 13.5 5.5 -29 -1.5 -17 53 true -57\t
13 57.5 45 41 25 33.5 true\t
1 45.5 13.5 5 57.5 17.5 41 9 49 29 53 17 -1 25.5 true\t
57 -1.5 37\t
"""


def test_number_and_boolean_keys_in_insertion_order_not_ascending(tmp_path):
    assert th(tmp_path, NUMKEYS) == NUMKEYS_BETA2


# a constructor whose names the script used before in another order: the table gets them in
# the constructor's order (the parser's template), not the order they first appear
CTOR = """local opt = {}
opt.verbose = true opt.modules = {} opt.learningRate = 0.1
local t = {nInputs = 1, learningRate = 2, verbose = 3, modules = 4, output = 5}
local o = {} for k in pairs(t) do o[#o + 1] = k end print(table.concat(o, ' '))
local u = {train = true, name = 'x', dim = 2, output = 0, verbose = false, size = 3}
o = {} for k in pairs(u) do o[#o + 1] = k end print(table.concat(o, ' '))
"""
CTOR_BETA2 = """\
verbose output modules nInputs learningRate\t
verbose train output name size dim\t
"""


def test_constructor_keys_in_the_constructors_order(tmp_path):
    assert th(tmp_path, CTOR) == CTOR_BETA2


def test_constructor_scan_reads_keys_not_function_bodies():
    from compat.pairs_order import _constructors
    src = ('local c = {a = f(x, y), b = function(p, q) local u, v = 1, 2 return {z = 1, '
           'zz = 2} end, ["c d"] = 1, [3] = 4; e = {x = 1}, [true] = 0, [-5] = -1, 7, g(1)}\n'
           '-- {no = 1, nope = 2}\nlocal s = "{in_str = 1, x = 2}"')
    assert _constructors(src) == [
        (("k", ("s", "z"), True), ("k", ("s", "zz"), True)),
        (("k", ("s", "a"), False), ("k", ("s", "b"), False), ("k", ("s", "c d"), True),
         ("k", ("n", 3.0), True), ("k", ("s", "e"), False), ("k", ("b", True), True),
         ("k", ("n", -5.0), True), ("p", True), ("p", False))]


# constructors mixing names with list items and [k] = keys: the parser's template is created
# at its first constant key, sized by the counts so far, grows by rehashes and is re-sized at
# the end to hold the list (re-inserting its hash part)
MIXED = """local t = {modules=2, [156]=8, learningRate=9, nInputs=3, verbose=9, [98]=1, 83}
local o = {} for k, v in pairs(t) do o[#o+1] = tostring(k) end print(table.concat(o, ' '))
t = {innode=7, learningRate=5, verbose=5, [true]=6, train=8, 35, ['data']=7, 92}
o = {} for k, v in pairs(t) do o[#o+1] = tostring(k) end print(table.concat(o, ' '))
"""
MIXED_BETA2 = """\
1 nInputs verbose modules learningRate 98 156\t
1 2 data true train learningRate verbose innode\t
"""


def test_mixed_constructors_laid_out_as_the_parsers_template(tmp_path):
    assert th(tmp_path, MIXED) == MIXED_BETA2


# a run of stores into an empty table, deletions included, before its first traversal: the
# table is laid out by those stores in order (a fuzz case, tools/beta2_diff.py pairs_deletes)
STORES = """local t = {} t["learningRate"] = 1 t["a_xc_bbzybz"] = 1 t[1] = 1 t["name18"] = 1
t["modules"] = 1 t[false] = 1 t[false] = 1 t["k109"] = 1 t["verbose"] = 1 t[16] = 1 t["A"] = 1
t["outnode"] = 1 t[30] = 1 t["a"] = 1 t[243] = 1 t["modules"] = nil t[false] = nil t["A"] = nil
t[243] = nil t["k109"] = nil t["outnode"] = nil t["verbose"] = nil t["a"] = nil t[1] = nil
t[false] = nil t[30] = nil t["name18"] = nil t["a_xc_bbzybz"] = nil t[172] = 2 t["_xczaz"] = 2
local o = {} for k in pairs(t) do o[#o + 1] = tostring(k) end print(table.concat(o, ' '))
"""
STORES_BETA2 = "learningRate 172 16 _xczaz\t\n"


def test_run_of_stores_with_deletions_replayed(tmp_path):
    assert th(tmp_path, STORES) == STORES_BETA2


def test_store_runs_scan():
    from compat.pairs_order import _store_runs
    src = ('local t = {}\nt["a"] = 1 t.b = 2 t[3] = 1 t.a = nil x.t = 5 t[-1] = 2\n'
           'local u = {} u[i] = 1 u.x = 2\nlocal w = {} w.k = 1 w.j = 2 w = nil w.z = 1\n')
    assert _store_runs(src) == [
        ((("s", "k"), True), (("s", "j"), True)),
        ((("s", "a"), True), (("s", "b"), True), (("n", 3.0), True), (("s", "a"), False),
         (("n", -1.0), True))]


# io.stdout:write checks its values as io.write does (a table or nil is an argument error at
# the caller's line, numbered without self; the values before it are written)
WRITE = """io.write('a', 1, '\\n')
io.stdout:write('b', 2.5, '\\n')
print(pcall(function() io.stdout:write('x', {}) end))
print(pcall(function() io.write(1, nil) end))
print(pcall(function() io.stdout:write(nil) end))
"""
WRITE_BETA2 = """\
a1
b2.5
xfalse\tscript.lua:3: bad argument #2 to 'write' (string expected, got table)\t
1false\tscript.lua:4: bad argument #2 to 'write' (string expected, got nil)\t
false\tscript.lua:5: bad argument #1 to 'write' (string expected, got nil)\t
"""


def test_stdout_write_checks_its_values(tmp_path):
    assert th(tmp_path, WRITE) == WRITE_BETA2
