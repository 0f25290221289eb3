"""Session 19's sweep of torch.Tester and torch.CmdLine (sw19e): what their reports and
errors print. Every expectation is what the original Torch7 (/tmp/ref7, LuaJIT 2.1.0-beta2,
Tester.lua/CmdLine.lua at torch7 814ea4a) printed for the same code, its install prefix
written as the goldens' /usr/local/share/lua/5.1/."""
from torch7py.cmdline import CmdLine

from luatest import th_script

P = "/usr/local/share/lua/5.1/torch/Tester.lua"
C = {"red": "\x1b[0;31m", "green": "\x1b[0;32m", "magenta": "\x1b[0;35m", "none": "\x1b[0m"}


def test_run_error_names_the_tester_line_of_its_assert(tmp_path):
    # run() asserts, name by name in pairs() order, no failure (Tester.lua:361) then no error
    # (:363); LuaJIT's assert puts that position before the message
    r = th_script("""
local t = torch.Tester()
t:setSummaryOnly(true)
t:add(function() t:assert(false, 'f') end, 'f1')
print(pcall(function() return t:run() end))
local t2 = torch.Tester()
t2:setSummaryOnly(true)
t2:add(function() error('oops', 0) end, 'e1')
print(pcall(function() return t2:run() end))
""", tmp_path)
    lines = [line for line in r.stdout.splitlines() if line.startswith("false")]
    assert lines[0] == "false\t%s:361: An error was found while running tests!\t" % P
    assert lines[-1] == "false\t%s:363: An error was found while running tests!\t" % P


def test_warning_traceback_starts_with_the_tester_method(tmp_path):
    # _warning is no tail call: the two traceback lines are the Tester.lua method's (named as
    # the script called it, assertTensorEq through its tail call) and the test's
    r = th_script("""
local tester = torch.Tester()
local tests = torch.TestSuite()
function tests.a()
   tester:assert(1, 'a number')
   tester:assertne({1}, {2}, 'tables')
   tester._assertTensorEqIgnoresDims = true
   tester:assertTensorEq(torch.ones(4), torch.ones(2, 2), 'dims')
end
tester:add(tests)
tester:run()
""", tmp_path)
    out = r.stdout
    assert ("\t%s:129: in function 'assert'\n\ts.lua:5: in function <s.lua:4>\n" % P) in out
    assert ("\t%s:209: in function 'assertne'\n\ts.lua:6: in function <s.lua:4>\n" % P) in out
    assert (("\t%s:238: in function 'assertTensorEq'\n\ts.lua:8: in function <s.lua:4>\n" % P)
            in out)
    assert "stack traceback:" not in out


def test_tester_argument_errors_name_tester_lua_lines(tmp_path):
    r = th_script("""
local t = torch.Tester()
t:add(function()
   local function try(f) local ok, e = pcall(f) print(ok, tostring(e)) end
   try(function() t:assert(true, 5) end)
   try(function() t:assert(true, 'm', 'extra') end)
   try(function() t:eq(1, 1, -1) end)
   try(function() t:eq(1, 1, 1, 2) end)
   try(function() t:assertalmosteq(1, 1, 1, 2) end)
   try(function() t:assertTensorEq(torch.ones(1), torch.ones(1), 1, 2) end)
   try(function() t:assertTensorEq(1, torch.ones(1)) end)
   try(function() t:assertTableEq({}, 'x') end)
   try(function() t:assertlt(1, 'x') end)
   try(function() t:assertge({}, 1) end)
end, 'bad')
t:run()
t:add(function() error({code = 1}) end, 'errs')
print(pcall(function() return t:run('errs') end))
""", tmp_path)
    lines = r.stdout.split("\n")[:-1]  # (the report's \r is no line break)
    got = [line.split("]", 2)[-1] if "WAIT" in line else line for line in lines[1:11]]
    assert got == [
        "false\t%s:86: message parameter must be a string\t" % P,
        "false\t%s:84: Unexpected arguments passed to test function\t" % P,
        "false\t%s:116: tolerance cannot be negative\t" % P,
        "false\t%s:155: Unexpected number argument; already have tolerance\t" % P,
        "false\t%s:190: Unexpected number argument; already have tolerance\t" % P,
        "false\t%s:230: Unexpected number argument; already have tolerance\t" % P,
        "false\t%s:227: First argument should be a Tensor\t" % P,
        "false\t%s:257: Second argument should be a Table\t" % P,
        "false\t%s:163: attempt to compare number with string\t" % P,
        "false\t%s:184: attempt to compare table with number\t" % P,
    ]
    assert lines[-1].endswith(
        "false\t%s:480: attempt to concatenate local 'result' (a table value)\t" % P)


def test_cmdline_numbers_are_luajit_tonumber():
    # the original read '0x1p4' as 16 (LuaJIT's tonumber takes hex floats), '0X1P-2' 0.25,
    # '0x.8' 0.5, '0x1.8p1' 3, ' 12 ' 12, 'infinity' inf
    cmd = CmdLine()
    cmd.option("-n", 1, "number")
    for text, value in [("0x1p4", 16), ("0X1P-2", 0.25), ("0x.8", 0.5), ("0x1.8p1", 3),
                        (" 12 ", 12), ("infinity", float("inf")), ("08", 8), ("5.", 5)]:
        assert cmd.parse(["-n", text])["n"] == value
