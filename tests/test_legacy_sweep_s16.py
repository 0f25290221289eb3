"""Session 15 sweep (legacysweep16): public legacy scripts run under the reference Torch7 and
under torch7py; each difference found is a mechanism, tested here with what the reference
printed (written literally) or a rule read in Torch7's sources."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TH_PATH = os.path.join(ROOT, "compat", "th.py")  # sys.argv[0] of `python -m compat.th`


def th(*args, cwd=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "compat.th", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


CMDLINE_HELP = """
cmd = torch.CmdLine()
cmd:text()
cmd:text("CmdLine Example:")
cmd:option("--cuda", false, "use cuda")
cmd:option("--batch_size", 512, "batch size")
local opt = cmd:parse(arg or {})
print(opt)
"""


def test_cmdline_dash_h_names_th_not_the_script(tmp_path):
    # trepl's th copies luajit's arg[0] (its own path) into the script's `arg`: CmdLine's -h
    # usage line printed `Usage: /tmp/ref7/lib/luarocks/rocks/trepl/scm-1/bin/th [options]`
    # under the reference (zhmz90/Daily learn/torch/parse_cmd.lua), not the script's name
    (tmp_path / "parse_cmd.lua").write_text(CMDLINE_HELP)
    r = th("parse_cmd.lua", "-h", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split("\n")
    assert lines[0] == "Usage: %s [options]" % TH_PATH
    assert lines[2:4] == ["CmdLine Example:", "  --cuda       use cuda [false]"]


def test_arg_below_one_is_th_and_its_wrapper(tmp_path):
    # the reference printed, for `th a0.lua x y` with print(arg[0], #arg, arg[1], arg[-1]):
    # its bin/th path, 2, x, and the luarocks wrapper's last -e chunk
    (tmp_path / "a0.lua").write_text("print(arg[0], #arg, arg[1], arg[-1], arg[-2])\n")
    r = th("a0.lua", "x", "y", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    loader = 'local k,l,_=pcall(require,"luarocks.loader") _=k and l.add_context("trepl","scm-1")'
    assert r.stdout == "\t".join([TH_PATH, "2", "x", loader, "-e", "\n"])


def test_statement_sees_luajits_arg(tmp_path):
    # with no script, `arg` stays luajit's: th's own arguments, th at 0 (the reference:
    # `th -e 'print(arg[0], #arg, arg[1], arg[2])'` printed its path, 2, -e, the statement)
    stmt = "print(arg[0], #arg, arg[1], arg[2])"
    r = th("-e", stmt, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "\t".join([TH_PATH, "2", "-e", stmt, "\n"])


SIZES_REQUIRED = """
for _, f in ipairs({'randn', 'rand', 'zeros', 'ones'}) do
  local ok, e = pcall(function() local t = torch.Tensor(3); return t[f](t) end)
  print(f, ok, e)
end
print(pcall(torch.randn))
print(pcall(torch.zeros))
print(torch.Tensor(3):randn(2):size(1), torch.zeros(torch.LongStorage()):dim())
"""


def test_size_argument_is_required(tmp_path):
    # Houshalter/structurenet's sparseWeights:__init calls torch.Tensor(n):randn(): the
    # reference stopped there (cwrap's LongArg counts as one argument, `narg >= 2`); these
    # lines are what the reference printed for this script
    (tmp_path / "s.lua").write_text(SIZES_REQUIRED)
    r = th("s.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    gen = "*DoubleTensor* [Generator] (LongStorage | dim1 [dim2...])"
    plain = "*DoubleTensor* (LongStorage | dim1 [dim2...])"
    assert r.stdout.split("\n") == [
        "randn\tfalse\tinvalid arguments: DoubleTensor ", "expected arguments: %s\t" % gen,
        "rand\tfalse\tinvalid arguments: DoubleTensor ", "expected arguments: %s\t" % gen,
        "zeros\tfalse\tinvalid arguments: DoubleTensor ", "expected arguments: %s\t" % plain,
        "ones\tfalse\tinvalid arguments: DoubleTensor ", "expected arguments: %s\t" % plain,
        "false\tinvalid arguments: no arguments provided",
        "expected arguments: [*DoubleTensor*] [Generator] (LongStorage | dim1 [dim2...])\t",
        "false\tinvalid arguments: no arguments provided",
        "expected arguments: [*DoubleTensor*] (LongStorage | dim1 [dim2...])\t",
        "2\t0\t", ""]


def test_dofile_chunk_frames_in_a_traceback(tmp_path):
    # a file with `#` goes through the layer's LUA52COMPAT rewrite; its chunk was tail-called,
    # so a traceback named it 'dofile' and lost the C frame (the NYU notebook cells printed
    # through xpcall(f, debug.traceback)). The reference printed, for these two files:
    (tmp_path / "inner.lua").write_text(
        "local t = {1}\nprint(#t)\nprint(debug.traceback('x'))\n")
    (tmp_path / "outer.lua").write_text("dofile('inner.lua')\nprint('after')\n")
    r = th("outer.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split("\n")
    assert lines[:5] == ["1\t", "x", "stack traceback:", "\tinner.lua:3: in main chunk",
                         "\t[C]: in function 'dofile'"]
    # (Torch7's goes on past outer.lua's main chunk into th's own frames: a machine path)
    assert lines[5].startswith("\touter.lua:1: in main chunk")
    assert lines[-2:] == ["after\t", ""]


CLASS_CALL = """
local A = torch.class('S16A')
function A:__init(x) self.x = x end
print(pcall(A, 3))
local B = torch.class('S16B', 'S16A')
print(pcall(B, 7))
print(S16B(7).x, B.new ~= nil)
local ok, e = pcall(function() local a = A(4) end)
print(e)
"""


def test_the_metatable_torch_class_returns_is_no_constructor(tmp_path):
    # torch.class returns luaT's metatable; the constructor is the global (S16A): calling the
    # metatable goes to luaT_mt__call through the parent's metatable ("S16A has no call
    # operator"), a root's has none (Lua's own error). The reference printed these lines for
    # this script (ls12's t8/t10/t11 scripts: `local A = torch.class('A') ... A(3)` failed)
    (tmp_path / "c.lua").write_text(CLASS_CALL)
    r = th("c.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [
        "false\tattempt to call a table value\t", "false\tS16A has no call operator\t",
        "7\ttrue\t", "c.lua:8: attempt to call upvalue 'A' (a table value)\t", ""]


MODULE_CALL = """
require 'nn'
print(pcall(function() return nn.Identity()() end))
local ok, e = pcall(function() return nn.MSECriterion()(torch.ones(2)) end)
print(ok, (e:gsub('^.-:%d+: ', '')))
local m = nn.Linear(2, 2)
print(select('#', m(torch.ones(2))), select('#', m(torch.ones(2), torch.ones(2))))
"""


def test_module_call_with_missing_arguments(tmp_path):
    # Module.lua's __call__(input, gradOutput) and Criterion.lua's __call__(input, target):
    # a missing argument is nil, forward(nil) fails where the module does (it raised a
    # Python-worded 'takes 1 or 2 arguments'); the reference printed these lines
    (tmp_path / "m.lua").write_text(MODULE_CALL)
    r = th("m.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [
        "true\tnil\t", "false\tattempt to index local 'target' (a nil value)\t", "1\t2\t", ""]


def test_package_loaded_holds_the_packages_files(tmp_path):
    # nn/init.lua, optim/init.lua, torch/init.lua, xlua/init.lua require each of their files:
    # `require 'nn.Linear'` is true (the reference printed this line), not 'module not found'
    (tmp_path / "r.lua").write_text(
        "require 'nn'\nrequire 'optim'\nprint(require 'nn.Linear', require 'optim.sgd', "
        "require 'torch.Tester', require 'xlua.OptionParser', "
        "package.loaded['sys.colors'] == sys.COLORS, "
        "package.loaded['nn.CrossEntropyCriterion'] == nn.CrossEntropyCriterion, "
        "package.loaded['nn.ErrorMessages'])\n")
    r = th("r.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "true\t" * 7 + "\n"


C_FRAMES = """
local function show(f) local ok, tb = xpcall(f, debug.traceback) print(tb) end
show(function() next() end)
show(function() local t = torch.Tensor(3); t:randn() end)
show(function() local t = torch.Tensor(3); t:add('x') end)
show(function() error('mine') end)
"""


def test_a_c_functions_error_is_its_own_frame(tmp_path):
    # LuaJIT's traceback of an error raised in a C function starts at that function, named as
    # called; the layer's Lua wrapper raised it through error() (`[C]: in function 'error'`).
    # The reference printed `[C]: in function 'next'`, `'randn'`, `'add'`; a script's own
    # error() keeps its 'error' frame
    (tmp_path / "t.lua").write_text(C_FRAMES)
    r = th("t.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split("\n")
    tops = [lines[i + 1] for i, ln in enumerate(lines) if ln == "stack traceback:"]
    assert tops == ["\t[C]: in function 'next'", "\t[C]: in function 'randn'",
                    "\t[C]: in function 'add'", "\t[C]: in function 'error'"]
