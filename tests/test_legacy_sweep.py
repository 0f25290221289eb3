"""What public legacy Torch7 scripts use that th must provide (docs/legacy_sweep.md): torch's
global `include`, Penlight's modules (trepl loads `pl`; scripts use lapp, stringx, pretty, ...).
Expectations come from torch/init.lua and Penlight 1.4's documented behaviour."""
import os
import subprocess
import sys

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def th(script, *args, cwd):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "compat.th", script, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def run(code):
    rt = LuaRuntime()
    return rt.execute(code)


def test_include_runs_a_file_relative_to_the_caller(tmp_path):
    # torch/init.lua: include(file) is paths.dofile(file, 3): relative to the calling file,
    # nothing returned
    sub = tmp_path / "sub"
    sub.mkdir()
    (tmp_path / "main.lua").write_text(
        "include 'sub/a.lua'\nprint(A, B, select('#', include('sub/b.lua')))\n")
    (sub / "a.lua").write_text("A = 'a'\ninclude 'b.lua'\n")
    (sub / "b.lua").write_text("B = (B or 0) + 1\nreturn 5\n")
    r = th("main.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "a\t1\t0\t\n"


def test_package_lua_path_searches_package_path(tmp_path):
    pkg = tmp_path / "mypkg"
    pkg.mkdir()
    (pkg / "init.lua").write_text("return {}\n")
    (pkg / "extra.lua").write_text("EXTRA = 7\n")
    r = run("package.path = '%s/?/init.lua;' .. package.path\n"
            "torch.include('mypkg', 'extra.lua')\n"
            "return torch.packageLuaPath('mypkg'), torch.packageLuaPath('no_such_pkg'), EXTRA"
            % tmp_path)
    assert r == (str(pkg), None, 7)


def test_stringx_split_strip_replace():
    r = run("""
    local sx = require 'pl.stringx'
    local a = sx.split('  a b   c ')          -- whitespace runs, leading ones ignored
    local b = sx.split('a,b,', ',')           -- explicit separator: empty last field kept
    local c = sx.split('a,,b', ',')
    local d = sx.split('', ',')
    return #a, a[3], #b, b[3], #c, c[2], #d, tostring(a),
           sx.strip('  hi \\t'), sx.strip('xxhixx', 'x'), sx.lstrip('  a '), sx.rstrip(' a  '),
           sx.replace('a.b.c', '.', '%'), sx.replace('aaa', 'a', 'b', 2),
           sx.startswith('hello', 'he'), sx.endswith('hello', {'x', 'lo'}),
           sx.count('abcabc', 'bc'), sx.rfind('abcabc', 'bc'), sx.lfind('abcabc', 'c'),
           sx.ljust('a', 3, '*'), sx.rjust('a', 3), sx.center('ab', 5),
           sx.join('-', {'x', 'y'}), sx.title('hello wORLD'), sx.shorten('abcdefgh', 6),
           sx.isdigit('123'), sx.isalpha('ab1')
    """)
    assert r == (3, "c", 3, "", 3, "", 0, "{a,b,c}", "hi", "hi", "a ", " a", "a%b%c", "bba",
                 True, True, 2, 5, 3, "a**", "  a", " ab  ", "x-y", "Hello World", "abc...",
                 True, False)


def test_utils_split_and_files(tmp_path):
    f = tmp_path / "t.txt"
    r = run("""
    local utils = require 'pl.utils'
    local file = require 'pl.file'
    local s = utils.split('a b  c')
    local n = utils.split('a,b,c,d', ',', true, 2)
    assert(file.write('%s', 'one\\ntwo\\n'))
    local lines = utils.readlines('%s')
    local missing, err = file.read('%s/none')
    return #s, s[3], #n, n[2], file.read('%s'), #lines, lines[2], missing, type(err),
           utils.escape('a.b%%c')
    """ % (f, f, tmp_path, f))
    assert r == (3, "c", 2, "b,c,d", "one\ntwo\n", 2, "two", None, "string", "a%.b%%c")


def test_pretty_write_layout():
    # array items first, then the other keys; identifiers bare, others bracketed and quoted;
    # no comma after the last item of a table
    r = run("""
    local pretty = require 'pl.pretty'
    return pretty.write({1, 'two', x = {y = true}}), pretty.write({['a b'] = 1}),
           pretty.write({}), pretty.write('s'), pretty.write({['end'] = 1}, ''),
           pretty.write({2.5, [10] = 'z'}, '')
    """)
    assert r == ('{\n  1,\n  "two",\n  x = {\n    y = true\n  }\n}', '{\n  ["a b"] = 1\n}',
                 "{\n}", '"s"', '{["end"]=1}', '{2.5,[10]="z"}')


def test_pretty_dump_prints(tmp_path):
    (tmp_path / "d.lua").write_text(
        "local pretty = require 'pl.pretty'\npretty.dump({lr = 0.1})\n"
        "local t = pretty.read('{a = 1, {2}}')\nprint(t.a, t[1][1])\n")
    r = th("d.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "{\n  lr = 0.1\n}\t\n1\t2\t\n"


def test_list_and_tablex():
    r = run("""
    local List = require 'pl.List'
    local tablex = require 'pl.tablex'
    local l = List{3, 1, 2}
    local m = l:map(function(x) return x * 10 end)
    local j = List{'a'} .. List{'b', 'c'}
    l:sort()
    return tostring(l), tostring(m), tostring(j), l:index(2), l:contains(9), #l:slice(2),
           tablex.size({1, 2, a = 3}), tostring(tablex.keys({10, 20})),
           tablex.find({5, 6, 7}, 7), tablex.deepcompare({a = {1}}, {a = {1}}),
           tablex.deepcompare({a = 1}, {a = 2}), tostring(tablex.range(1, 5, 2)),
           tablex.reduce(function(a, b) return a + b end, {1, 2, 3}),
           tablex.count_map({'a', 'b', 'a'}).a
    """)
    assert r == ("{1,2,3}", "{30,10,20}", "{a,b,c}", 2, False, 2, 3, "{1,2}", 3, True, False,
                 "{1,3,5}", 6, 2)


LAPP_SCRIPT = """
local opt = lapp [[
Training a model
   -r,--learningRate  (default 0.05)     learning rate
   -b,--batchSize     (default 10)       batch size
   -s,--save          (default "logs")   folder
   -f,--full                             use the full set
   -t,--threshold     (default true)     a flag that starts true
   --model            (string)           model name
   --mode             (train|test default train)  mode
   <input>            (string)           input file
]]
for _, k in ipairs({'learningRate', 'batchSize', 'save', 'full', 'threshold', 'model', 'mode',
                    'input', 'r'}) do
   print(k, opt[k], type(opt[k]))
end
"""


def test_lapp_parses_usage_text(tmp_path):
    # under th, `lapp` is a global (trepl requires 'pl'): a script need not require it
    (tmp_path / "l.lua").write_text(LAPP_SCRIPT)
    r = th("l.lua", "-r", "0.5", "--model=mlp", "-f", "-b5", "-t", "data.t7", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "learningRate\t0.5\tnumber\t", "batchSize\t5\tnumber\t", "save\tlogs\tstring\t",
        "full\ttrue\tboolean\t", "threshold\tfalse\tboolean\t", "model\tmlp\tstring\t",
        "mode\ttrain\tstring\t", "input\tdata.t7\tstring\t", "r\tnil\tnil\t"]


def test_lapp_errors_go_to_stderr_with_usage(tmp_path):
    (tmp_path / "l.lua").write_text(LAPP_SCRIPT)
    r = th("l.lua", "in.t7", cwd=tmp_path)  # --model is required (a type, no default)
    assert r.returncode == 1 and r.stdout == ""
    # lapp names the program by arg[0], which under th is th's own path (trepl's th copies
    # luajit's arg[0]): 'th', not the script's name
    assert r.stderr.startswith("th: missing required parameter: model\n\nTraining a model\n")
    r = th("l.lua", "--model", "m", "--mode", "eval", "x", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.startswith("th: value 'eval' not in train|test\n\n")
    r = th("l.lua", "--model", "m", "-b", "ten", "x", cwd=tmp_path)
    assert r.stderr.startswith("th: unable to convert to number: ten\n\n")
    r = th("l.lua", "--nope", cwd=tmp_path)
    assert r.stderr.startswith("th: unrecognized parameter: nope\n\n")
    r = th("l.lua", "--help", cwd=tmp_path)  # -h/--help not declared: the usage, status 1
    assert r.returncode == 1 and r.stderr.startswith("Training a model\n")


def test_require_pl_gives_lazy_globals():
    r = run("""
    require 'pl'
    return type(utils), type(rawget(_G, 'stringx')), type(stringx.split), type(tablex),
           type(pretty.write), type(List), type(path.join), type(file.read)
    """)
    assert r == ("table", "nil", "function", "table", "function", "table", "function",
                 "function")


def test_prompt_help_shortcut_does_not_swallow_lines():
    # trepl: a line starting with '?' is help, never continued with the lines after it; with
    # dok loaded (as th loads it), '? name' evaluates help(name): nn is not loaded here
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, "-m", "compat.th"], input="? nn.Linear\nx = 1 + 1\nx\n",
                       env=env, capture_output=True, text=True, timeout=120)
    out = r.stdout.split("th> ")
    assert "attempt to index global 'nn' (a nil value)" in out[1]
    assert out[3].startswith("x\n2\t\n")  # (readline writes the line it read: no terminal)
    r = subprocess.run([sys.executable, "-m", "compat.th"], input="?\n", env=env,
                       capture_output=True, text=True, timeout=120)
    help_text = r.stdout.split("th> ")[1]
    assert help_text.startswith("?\n  ______             __\n")  # (the line read, then help)
    assert help_text.endswith("print(c.red('a red string') .. c.blue('a blue string'))\n\t\n")
    assert "      who() \n" in help_text


def test_gmodule_backward_when_the_gradoutput_sum_is_bypassed():
    # nngraph's getTotalGradOutput returns the only gradOutput that is not a one-element zero
    # without making node.data.gradOutputBuffer; accGradParameters then passes that nil to the
    # node's module, which Module:accGradParameters ignores (torch-ntm's NTM:backward)
    r = run("""
    require 'nngraph'
    local x = nn.Identity()()
    local a = nn.Tanh()(x)
    local g = nn.gModule({x}, {nn.Identity()(a), nn.Identity()(a)})
    local inp = torch.Tensor{0.5, -1, 2}
    g:forward(inp)
    local gi = g:backward(inp, {torch.Tensor{1, 2, 3}, torch.zeros(1)})
    return gi[1], gi[2], gi[3]
    """)
    import math
    expect = [(1 - math.tanh(v) ** 2) * go for v, go in ((0.5, 1), (-1, 2), (2, 3))]
    assert r == pytest.approx(tuple(expect), rel=1e-12)


def test_xlua_unpack_named_and_positional_arguments():
    # xlua.unpack: one table without array items holds named arguments, otherwise the
    # arguments are positional; missing ones take their default; unpack_class copies the named
    # values into the object
    r = run("""
    require 'nn'
    require 'xlua'
    local Foo, parent = torch.class('nn.LegacyFoo', 'nn.Module')
    function Foo:__init(...)
       parent.__init(self)
       xlua.unpack_class(self, {...}, 'nn.LegacyFoo', 'a test module',
          {arg = 'nfeatures', type = 'number', help = 'number of features', req = true},
          {arg = 'scale', type = 'number', help = 'scale', default = 2})
    end
    local f, g = nn.LegacyFoo(5), nn.LegacyFoo{nfeatures = 3, scale = 7}
    local args, a, b = xlua.unpack({4}, 'fn', 'desc',
       {arg = 'x', type = 'number', help = 'x', req = true},
       {arg = 'y', type = 'number', help = 'y', default = 1})
    local ok = pcall(nn.LegacyFoo)
    return f.nfeatures, f.scale, g.nfeatures, g.scale, a, b, args.x, args.y, args[2], ok,
           xlua.table2string({1, 'a'}), xlua.table2string({k = true}, true)
    """)
    assert r == (5, 2, 3, 7, 4, 1, 4, 1, 1, False, '{1,"a"}', "{\n   k : true\n}")


def test_xlua_usage_text():
    r = run("""
    require 'xlua'
    return xlua.usage('fn', 'desc', nil,
       {arg = 'x', type = 'number', help = 'the x', req = true},
       {arg = 'y', type = 'string', help = 'the y', default = 'a'})
    """)
    c = {"M": "\x1b[1;35m", "b": "\x1b[0;34m", "c": "\x1b[0;36m", "n": "\x1b[0m"}
    banner = "+" * 69
    assert r == (banner + "\n" + c["M"] + "fn" + c["n"] + "\n\ndesc\n\n" + c["b"] + "> "
                 + c["n"] + "usage:\n" + c["c"] + "fn{\n"
                 + "    x = number".ljust(40) + "-- the x\n"
                 + "    [y = string]".ljust(40) + "-- the y  [default = a]\n}\n" + c["n"]
                 + banner)


OPTIONPARSER_SCRIPT = """
op = xlua.OptionParser('%prog [options]')
op:option{'-t', '--threads', action='store', dest='threads', help='number of threads', default=2}
op:option{'-v', '--visualize', action='store_true', dest='visualize', help='show'}
op:option{'-n', '--network', action='store', dest='network', help='a file'}
opt, rest = op:parse()
print(opt.threads, opt.visualize, opt.network, #rest, rest[1])
"""


def test_xlua_option_parser(tmp_path):
    (tmp_path / "o.lua").write_text(OPTIONPARSER_SCRIPT)
    r = th("o.lua", "--threads=8", "-v", "extra", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "8\ttrue\tnil\t1\textra\t\n"
    r = th("o.lua", "-h", cwd=tmp_path)  # the help on stdout, then exit
    assert r.returncode == 0
    # flags padded to the widest ("-t THREADS, --threads=THREADS"), then two spaces
    rows = [("-h, --help", "show this help message and exit"),
            ("-t THREADS, --threads=THREADS", "number of threads [default = 2]"),
            ("-v, --visualize", "show"), ("-n NETWORK, --network=NETWORK", "a file")]
    width = max(len(f) for f, _ in rows)
    # %prog is arg[-1] .. ' ' .. arg[0]: under th the luarocks wrapper's last -e chunk and
    # th's own path (what Torch7's th printed: the loader chunk, then trepl's bin/th)
    prog = ('local k,l,_=pcall(require,"luarocks.loader") _=k and l.add_context("trepl","scm-1") '
            + os.path.join(ROOT, "compat", "th.py"))
    assert r.stdout == "Usage: " + prog + " [options]\n\nOptions:\n" + "".join(
        "  " + f.ljust(width) + "  " + h + "\n" for f, h in rows)
    r = th("o.lua", "--bad", cwd=tmp_path)
    assert r.returncode == 1 and r.stderr.startswith("invalid option --bad\n")


def test_parameters_of_a_layer_without_any_returns_nothing_to_lua(tmp_path):
    # Module.lua ends parameters() with a bare `return`: no values, so print(i, m,
    # m:parameters()) shows only i and m (schaul's xorexample); Python still unpacks two Nones
    from torch7py import nn
    p, g = nn.Tanh().parameters()
    assert p is None and g is None
    (tmp_path / "p.lua").write_text(
        "require 'nn'\nlocal t = nn.Tanh()\nprint(select('#', t:parameters()))\n"
        "print(2, t:parameters())\nlocal p, g = nn.Linear(2, 1):parameters()\nprint(#p, #g)\n")
    r = th("p.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "0\t\n2\t\n2\t2\t\n"


def test_nngraph_node_label_lists_data_in_luajit_pairs_order(tmp_path):
    # nngraph's nnNode:label() walks `pairs(self.data)`; soumith/cvpr2015's MLP.dot, written
    # by the original Torch7 (an nngraph without reverseMap), shows a Linear node as
    # "input = {Tensor[10]}\lmodule = nn.Linear(10 -> 1)\lgradOutput = {Tensor[1]}": input
    # before module before gradOutput, not the order the keys were set (module first).
    (tmp_path / "g.lua").write_text("""
require 'nngraph'
local input = nn.Identity()()
local h1 = nn.Tanh()(nn.Linear(20, 10)(input))
local output = nn.Linear(10, 1)(h1)
local mlp = nn.gModule({input}, {output})
local x = torch.rand(20)
mlp:forward(x)
mlp:backward(x, torch.rand(1))
for _, node in ipairs(mlp.fg.nodes) do
   if node.data.module and torch.type(node.data.module) == 'nn.Linear' then
      print(node:label())
   end
end
""")
    r = th("g.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    labels = r.stdout.split("\n")
    assert "input = {Tensor[10]}\\lmodule = nn.Linear(10 -> 1)\\l" in r.stdout
    for lbl in labels[:2]:
        keys = [part.split(" = ")[0] for part in lbl.split("\\l")]
        assert keys.index("input") < keys.index("module") < keys.index("gradOutput"), lbl


def test_a_class_is_an_empty_table_to_pairs_next_and_print(tmp_path):
    # luaT_lua_newmetatable: nn.Linear is the "constructor table", a lua_newtable() whose
    # metatable holds __index/__newindex/__call/__metatable only, so pairs/next find nothing and
    # trepl's printrecursive shows a table holding it as `key : {...}` (an empty table).
    # soumith/cvpr2015's notebook evaluates `require 'nn'` at the prompt: th prints the nn table.
    (tmp_path / "c.lua").write_text("""
require 'nn'
print({cls = nn.Linear, n = 1})
print(next(nn.Linear), next(nn.Sequential, nil))
local count = 0
for _ in pairs(nn.Tanh) do count = count + 1 end
print(count, type(nn.Linear))
""")
    r = th("c.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split("\n")
    assert lines[0] == "{"
    assert sorted(lines[1:3]) == ["  cls : {...}", "  n : 1"]
    assert lines[3] == "}"
    assert lines[4] == "nil\tnil\t"
    assert lines[5] == "0\ttable\t"


def test_pl_data_reads_and_writes_delimited_files(tmp_path):
    # Penlight 1.4's data.lua: the delimiter is guessed from the first line (',' then tab then
    # spaces), a first line that is not all numbers gives the field names, numeric columns
    # are converted, blank lines skipped; write uses tab unless the data has a delimiter, and
    # new() of a table without field names guesses ' ' from the empty names (chetannaik's
    # learning_torch writes its grid predictions so).
    (tmp_path / "a.csv").write_text("x,y,name\n1,2.5,a\n3,4,b\n\n")
    (tmp_path / "b.txt").write_text(" 1 2\n 3 4\n")
    (tmp_path / "d.lua").write_text("""
local data = require 'pl.data'
local d = assert(data.read('a.csv'))
print(#d, d.delim, #d.fieldnames, d.fieldnames[3], d[1][2] * 2, d[2][3])
print(table.concat(d:column_by_name('y'), ' '), table.concat(d:column_by_name(1), ' '))
local e = data.read('b.txt')
print(#e, e[2][2] + 1, e.delim == ' ', #e.fieldnames)
data.write({{1, 2}, {3, 0.5}}, 'c.txt', {'a', 'b'})
data.new({{1, 2}, {3, 4}}):write('n.txt')
print(data.read('missing.txt'))
""")
    r = th("d.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = r.stdout.split("\n")
    assert out[0] == "2\t,\t3\tname\t5\tb\t"
    assert out[1] == "2.5 4\t1 3\t"
    assert out[2] == "2\t5\ttrue\t0\t"
    assert out[3].startswith("nil\tmissing.txt: No such file or directory")
    assert (tmp_path / "c.txt").read_text() == "a\tb\n1\t2\n3\t0.5\n"
    assert (tmp_path / "n.txt").read_text() == "1 2\n3 4\n"


def test_tensor_and_storage_from_any_lua_table(tmp_path):
    # generic/Tensor.c's new: a table first argument is read by its array part (lua_objlen,
    # the chain of first elements gives the sizes) whatever other keys it has, and the other
    # arguments are dropped; so davidstutz/torch-examples' `torch:Tensor(n)` (the torch table
    # itself) is an empty tensor. Elements must be numbers (lua_isnumber: numeric strings
    # too), each table of the right size, in row-major order. Storage.c reads lua_objlen too.
    (tmp_path / "t.lua").write_text("""
local function try(t, ...)
   local ok, r = pcall(torch.Tensor, t, ...)
   if ok then print(r:dim(), r:nElement(), r:sum()) else print(r) end
end
print(torch:Tensor(5):dim(), torch.FloatTensor(torch, 3):nElement())
try({a = 1})
try({1, 2, 3, n = 3}, 7)
try({{1, 2, k = 1}, {3, 4}})
try({' 1.5', '0x10'})
try({torch.ones(2)})
try({{}})
try({{1, 2}, {}})
try({{1, 2}, 3})
try({{1, 'x'}})
local s = torch.LongStorage({2, 3, foo = 'x'})
print(s:size(), s[2])
""")
    r = th("t.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [
        "0\t0\t", "0\t0\t0\t", "1\t3\t6\t", "2\t4\t10\t", "1\t2\t17.5\t",
        "invalid element (not a number)\t", "invalid element (not a number)\t",
        "invalid tensor sizes\t", "invalid tensor definition\t",
        "invalid element (not a number)\t", "2\t3\t", ""]


def test_lapp_results_visit_keys_in_the_order_penlight_inserted_them(tmp_path):
    # Penlight 1.4's lapp.process_options_string fills `parms` line by line, sets `results`
    # for the arguments given, then the defaults in pairs(parms) order; pairs(results) (th's
    # print(opt), pratikac/cs268-dl's mnist.lua -h) follows LuaJIT's layout for that insertion
    # order (luaorder, the model of beta2's tables).
    from torch7py.luaorder import pairs_order
    (tmp_path / "l.lua").write_text("""
local lapp = require 'pl.lapp'
local opt = lapp([[
-b,--batch_size     (default 256)               Batch size
--LR                (default 1e-3)              Learning rate
--L2                (default 1e-3)              Weight decay
-g,--gpu            (default 0)                 GPU idx
--seed              (default 42)                Random seed
--max_epochs        (default 100)               Max. epochs
-h,--help                                       Print this message
]])
for k in pairs(opt) do io.write(k, ' ') end
print()
""")
    names = ["batch_size", "LR", "L2", "gpu", "seed", "max_epochs", "help"]
    parms = pairs_order(names)
    for args, given in ((), []), (("--LR", "3", "-g", "2"), ["LR", "gpu"]):
        r = th("l.lua", *args, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        inserted = given + [k for k in parms if k not in given]
        assert r.stdout.split() == pairs_order(inserted)


def test_tablex_copies_insert_keys_in_the_source_pairs_order(tmp_path):
    # Penlight's tablex.copy/deepcopy/map fill a new table with `for k, v in pairs(t)`: the
    # copy's layout (and so its own pairs order) follows from inserting in the source's pairs
    # order, which can differ from the source's (here alpha, beta, gamma set in that order).
    from torch7py.luaorder import pairs_order
    (tmp_path / "c.lua").write_text("""
local tablex = require 'pl.tablex'
local src = {}
src.alpha = 1 src.beta = 2 src.gamma = 3
local function keys(t)
   local o = {}
   for k in pairs(t) do o[#o + 1] = k end
   return table.concat(o, ' ')
end
print(keys(src))
print(keys(tablex.copy(src)))
print(keys(tablex.deepcopy(src)))
print(keys(tablex.map(function(x) return x end, src)))
""")
    r = th("c.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    first = pairs_order(["alpha", "beta", "gamma"])
    copied = " ".join(pairs_order(first))
    assert r.stdout.split("\n") == [" ".join(first) + "\t"] + [copied + "\t"] * 3 + [""]


def test_pretty_writes_numbers_with_penlights_own_tostring():
    # Penlight 1.4's pretty.lua replaces tostring for numbers: "NaN", "Inf", "-Inf", an
    # integral value through ("%d"):format (LuaJIT gives INT64_MIN for 1e100, "0" for -0.0),
    # anything else "%.14g"; keys too. utils.quote_arg quotes a POSIX shell argument.
    r = run("""
    local pretty, utils = require 'pl.pretty', require 'pl.utils'
    return pretty.write({1.5, 1e100, 1/0, -1/0, 2}, ''), pretty.write({[-0.0] = 0/0}, ''),
           pretty.write(1/3), pretty.write(-0.0),
           utils.quote_arg("it's"), utils.quote_arg(''), utils.quote_arg('a/b.c')
    """)
    assert r == ("{1.5,-9223372036854775808,Inf,-Inf,2}", "{[0]=NaN}", "0.33333333333333", "0",
                 "'it'\\''s'", "''", "a/b.c")


def test_pl_path_follows_penlight_posix_rules():
    # Penlight 1.4's path.lua: splitpath cuts at the last '/', so '/x' gives '' and 'x';
    # normpath keeps '//' and a '..' with nothing before it ('/../a'); common_prefix cuts at the
    # first differing character, back to a directory unless just after a '/'; relpath joins
    # '..' per remaining part of start with the rest of the path ('' for the same path);
    # join needs two strings.
    r = run("""
    local path = require 'pl.path'
    local ok, err = pcall(path.join, 'a')
    return select(1, path.splitpath('/x')), path.dirname('/x'), path.dirname('//x'),
           path.normpath('/../a'), path.normpath('//a/./b'), path.normpath('a/b/../../..'),
           path.normpath('./'), path.common_prefix('/a/b/c', '/a/b/d'),
           path.common_prefix('/a/b', '/a/b'), path.common_prefix('/a/b', '/a/b/c'),
           path.relpath('/a/b', '/a/b'), path.relpath('/a', '/a/b/c'), path.relpath('/x/y', '/a'),
           ok, (err:gsub('^.-:%d+: ', ''))
    """)
    assert r == ("", "", "/", "/../a", "//a/b", "..", ".", "/a/b/", "/a", "/a/b", "",
                 "../..", "../x/y", False, "argument 2 expected a 'string', got a 'nil'")


def test_xlua_table_splice_and_prune():
    # xlua's init.lua: table.splice(t, start, length) returns the elements outside
    # [start, start + length) and those inside, t unchanged; table.prune keeps one element per
    # hash (merge(new, kept) when given), listed in pairs() order of the hash table
    r = run("""
    require 'xlua'
    local t = {1, 2, 3, 4, 5}
    local kept, cut = table.splice(t, 2, 2)
    local merged = table.prune({1, 2, 3, 4, 5, 6}, function(x) return x % 3 end,
                               function(a, b) return a + b end)
    return table.concat(kept, ','), table.concat(cut, ','), #t, #table.splice({1, 2}),
           table.concat(table.prune({3, 1, 3, 2, 1}), ','), table.concat(merged, ',')
    """)
    assert r == ("1,4,5", "2,3", 5, 1, "1,2,3", "9,5,7")


def test_sys_fexecute_reads_back_and_prefix_is_a_string():
    # torch/sys's init.lua: fexecute runs the command into a temporary file and reads it back
    # with `readwhat` ('*all' by default), trimmed; sys.prefix is '' unless arg names a luajit
    r = run("""
    require 'sys'
    return sys.fexecute('printf "a\\\\nb "'), sys.fexecute('printf "a\\\\nb"', '*l'),
           type(sys.prefix)
    """)
    assert r == ("a\nb", "a", "string")


def test_every_class_has_its_constructor_as_new(tmp_path):
    # luaT_lua_newmetatable stores the constructor in the class metatable as "new" (torch's
    # C classes and torch.class's Lua constructor alike), and the constructor table's __index
    # reaches it: petros2k/neural-network-torch7 opens its data with torch.DiskFile.new(path)
    (tmp_path / "d.bin").write_bytes(b"abc")
    (tmp_path / "n.lua").write_text("""
require 'nn'
local f = torch.DiskFile.new('d.bin')
f:binary()
print(torch.type(f), f:readByte(3):size(), tostring(nn.Linear.new(2, 3)))
local Foo = torch.class('Foo')
function Foo:__init(x) self.x = x end
local Bar, parent = torch.class('nn.Bar', 'nn.Module')
function Bar:__init(v) parent.__init(self) self.v = v end
print(Foo.new(5).x, torch.type(Foo.new(1)), nn.Bar.new(3).v, Bar.new(4).v)
print(type(torch.CmdLine.new), type(torch.Timer.new), type(nn.Sequential.new))
""")
    r = th("n.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [
        "torch.DiskFile\t3\tnn.Linear(2 -> 3)\t", "5\tFoo\t3\t4\t",
        "function\tfunction\tfunction\t", ""]
