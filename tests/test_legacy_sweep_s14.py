"""Mechanisms found by running public legacy Torch7 code and tutorial snippets through th
(session 13, helper legacysweep14, see docs/legacy_sweep.md); expectations from the original
sources' rules (luaT.c, LuaJIT's error paths, TH's texts)."""

from luatest import lua_undone as lua, th_script


def test_errors_of_luaT_metamethods_carry_no_position(tmp_path):
    # luaT_mt__index / __newindex / __add ... are C functions that lua_call the class's C
    # __index__, __newindex__, __add__: a luaL_argerror there names '?' and LuaJIT adds no
    # file:line (the function was called from C: lj_err_callermsg finds no Lua caller), and
    # TH's THError -> luaL_error's luaL_where(L, 1) is luaT's C frame (no line): the message
    # is the bare text. A method called from Lua (x:narrow) is named at the calling line.
    p = th_script("""
      local v = torch.Tensor(3):zero()
      local m = torch.Tensor(2, 3):zero()
      local s = torch.DoubleStorage(2)
      local function t(name, f) local ok, e = pcall(f); print(name, e) end
      t('idx', function() local a = v[4]; return a end)
      t('newidx', function() v[0] = 1 end)
      t('rows', function() local a = m[3]; return a end)
      t('range', function() local a = m[{{1, 3}}]; return a end)
      t('cell', function() m[{2, 4}] = 1 end)
      t('st', function() local a = s[3]; return a end)
      t('stnew', function() s[3] = 1 end)
      t('add', function() local a = v + torch.Tensor(2); return a end)
      t('div', function() local a = v / 'x'; return a end)
      t('ctor', function() local a = torch.Tensor('x'); return a end)
      t('method', function() local a = v:narrow(1, 3, 2); return a end)
      local a = m[5]
    """, tmp_path)
    assert p.returncode == 1
    add = ("inconsistent tensor size, expected r_ [3], t [3] and src [2] to have the same "
           "number of elements, but got 3, 3 and 2 elements respectively")
    assert p.stdout.splitlines() == [
        "idx\tbad argument #2 to '?' (out of range)\t",
        "newidx\tbad argument #2 to '?' (out of range)\t",
        "rows\tbad argument #2 to '?' (out of range)\t",
        "range\tbad argument #2 to '?' (end index out of bound)\t",
        "cell\tbad argument #2 to '?' (index out of bound)\t",
        "st\tbad argument #2 to '?' (out of bounds)\t",
        "stnew\tbad argument #2 to '?' (out of bounds)\t",
        "add\t" + add + "\t",
        "div\tbad argument #2 to '?' (number expected)\t",
        "ctor\tbad argument #1 to '?' (expecting number or torch.DoubleTensor or "
        "torch.DoubleStorage)\t",
        "method\ts.lua:16: bad argument #3 to 'narrow' (out of range)\t",
    ]
    # th's report of the uncaught one: the bare message, then the traceback
    assert p.stderr.startswith("bad argument #2 to '?' (out of range)\nstack traceback:\n")


def test_constructor_table_still_builds_and_returns_one_value():
    r = lua("""
      local t = torch.Tensor(2, 3)
      local s = torch.LongStorage({4, 5})
      return select('#', torch.FloatTensor(2)), t:size(1), t:size(2), s[2],
             torch.type(torch.ByteTensor()), torch.type(torch.CharStorage(1))
    """)
    assert r == (1, 2, 3, 5, "torch.ByteTensor", "torch.CharStorage")


def test_mapped_storage_of_a_missing_file_gives_THs_text(tmp_path):
    # THMapAllocator: THError("unable to open file <%s> in read-only mode") (read-write for a
    # shared mapping); open's errno is not in the text
    missing = str(tmp_path / "nope" / "x.bin")
    r = lua("""
      local ok1, e1 = pcall(function() local s = torch.FloatStorage('%s'); return s end)
      local ok2, e2 = pcall(function() local s = torch.FloatStorage('%s', true); return s end)
      return e1, e2
    """ % (missing, missing))
    assert r == ("unable to open file <%s> in read-only mode" % missing,
                 "unable to open file <%s> in read-write mode" % missing)


def test_tester_run_error_names_no_layer_line(tmp_path):
    # Tester.lua's run ends with assert(self.assertionFail[name] == 0, 'An error was found
    # while running tests!'): Torch7 names torch/Tester.lua's line (LuaJIT 2.1.0-beta2's
    # assert puts its caller's position first: 361, as the original built here printed),
    # never the layer's ('[compat]:NNN: '); the script ends with status 1 after the report
    p = th_script("""
      local t = torch.TestSuite()
      local tester = torch.Tester()
      function t.bad() tester:asserteq(1, 2, 'one is not two') end
      tester:add(t)
      tester:run()
      print('not reached')
    """, tmp_path)
    assert p.returncode == 1
    assert "not reached" not in p.stdout
    assert p.stderr.startswith("/usr/local/share/lua/5.1/torch/Tester.lua:361: An error was "
                               "found while running tests!\nstack traceback:\n")
    assert "[compat]" not in p.stderr


def test_tester_argument_errors_name_no_layer_line():
    # Tester.lua's asserts and errors name its own line in Torch7 (/usr/local/share/lua/5.1/
    # torch/Tester.lua:NNN, as the reference Torch7 shows them; its assert too: 227), never
    # the layer's; its error('...', a) with a string argument as the level is error's
    # luaL_optint check (bad argument #2 to 'error'), raised at Tester.lua's line
    r = lua("""
      local tester = torch.Tester()
      local _, e1 = pcall(function() tester:assertTensorEq(1, 2) end)
      local _, e2 = pcall(function() tester:eq(1, 1, 'a', 'b') end)
      local _, e3 = pcall(function()
         tester:add(function() end, 'x'); tester:add(function() end, 'x')
      end)
      local _, e4 = pcall(function() local s = torch.TestSuite(); s.a = 1 end)
      return e1, e2, e3, e4
    """)
    at = "/usr/local/share/lua/5.1/torch/"
    assert r == (at + "Tester.lua:227: First argument should be a Tensor",
                 at + "Tester.lua:108: bad argument #2 to 'error' (number expected, got string)",
                 at + "Tester.lua:324: Test with name x already exists!",
                 at + "TestSuite.lua:21: Only functions are supported as members of a TestSuite")


def test_file_constructor_error_carries_no_position(tmp_path):
    # torch.DiskFile(name): luaT_cmt__call (C) lua_calls DiskFile's C __new, whose THError
    # ("cannot open <%s> in mode %c%c") gets no position; a method of the file called from a
    # Lua line keeps that line (luaL_where's level 1 is the script)
    missing = str(tmp_path / "nope.t7")
    r = lua("""
      local _, e1 = pcall(function() local f = torch.DiskFile('%s'); return f end)
      local f = torch.MemoryFile()
      f:close()
      local _, e2 = pcall(function() local x = f:readDouble(); return x end)
      return e1, e2
    """ % missing)
    assert r[0] == "cannot open <%s> in mode r " % missing
    assert r[1].startswith("(command line):5: ")


def test_torch_load_and_save_errors_carry_no_caller_line(tmp_path):
    # File.lua's torch.load/torch.save open the file with torch.DiskFile(filename, mode):
    # luaT's constructor table calls DiskFile's C __new, whose THError has no position; a
    # missing data file (a tutorial run without its download) reads so, caught or not
    missing = str(tmp_path / "cifar10-train.t7")
    bad_dir = str(tmp_path / "no" / "such" / "x.t7")
    good = str(tmp_path / "ok.t7")
    r = lua("""
      local _, e1 = pcall(function() local d = torch.load('%s'); return d end)
      local _, e2 = pcall(function() torch.save('%s', 1) end)
      torch.save('%s', {1, 2})
      return e1, e2, select('#', torch.save('%s', 3)), torch.load('%s'), torch.load('%s', 'binary')
    """ % (missing, bad_dir, good, good, good, good))
    assert r == ("cannot open <%s> in mode r " % missing,
                 "cannot open <%s> in mode  w" % bad_dir, 0, 3, 3)
    p = th_script("local d = torch.load('%s')\n" % missing, tmp_path)
    assert p.returncode == 1
    assert p.stderr.startswith("cannot open <%s> in mode r \nstack traceback:\n" % missing)
