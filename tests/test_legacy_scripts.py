"""Legacy Torch7 Lua idioms (tutorials, nn/optim docs, training scripts) run through the Lua
layer, their printed output compared with what Torch7 prints (hand-derived from its sources)."""
import os
import re
import subprocess
import sys

import pytest

pytest.importorskip("lupa")

from luatest import lua  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def th(*args, stdin=None):
    """Runs the `th` command; returns the CompletedProcess (text)."""
    return subprocess.run([sys.executable, "-m", "compat.th", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_stochastic_gradient_trains_as_the_nn_doc(capsys):
    # y = w*x + b fitted on two examples, in order, lr 0.1, MSE: by hand below
    code = """
    require 'nn'
    local lin = nn.Linear(1, 1)
    lin.weight:fill(0.5); lin.bias:fill(0)
    local dataset = {}
    function dataset:size() return 2 end
    dataset[1] = {torch.Tensor({1}), torch.Tensor({2})}
    dataset[2] = {torch.Tensor({2}), torch.Tensor({1})}
    local seen = 0
    local trainer = nn.StochasticGradient(lin, nn.MSECriterion())
    trainer.learningRate = 0.1
    trainer.maxIteration = 2
    trainer.shuffleIndices = false
    trainer.hookExample = function(self, ex) seen = seen + 1 end
    trainer.hookIteration = function(self, it) seen = seen + 100 * it end
    trainer:train(dataset)
    return lin.weight[1][1], lin.bias[1], seen, torch.type(trainer)
    """
    w, b, lr = 0.5, 0.0, 0.1
    errors = []
    for _ in range(2):
        err = 0.0
        for x, y in ((1.0, 2.0), (2.0, 1.0)):
            out = w * x + b
            err += (out - y) ** 2
            g = 2 * (out - y)
            w, b = w - lr * g * x, b - lr * g
        errors.append(err / 2)
    (rw, rb, seen, name), out = lua(code, capsys)
    assert rw == pytest.approx(w) and rb == pytest.approx(b)
    assert seen == 4 + 100 + 200 and name == "nn.StochasticGradient"
    lines = out.splitlines()
    assert lines[0] == "# StochasticGradient: training"
    assert lines[1] == "# current error = %.14g" % errors[0]
    assert lines[2] == "# current error = %.14g" % errors[1]
    assert lines[3] == "# StochasticGradient: you have reached the maximum number of iterations"
    assert lines[4] == "# training error = %.14g" % errors[1]  # StochasticGradient.lua's last
    assert len(lines) == 5


def test_cmdline_string_prints_as_torch7_and_numbers_parse_as_tonumber(capsys):
    # the torch demos' `opt.rundir = cmd:string('experiment', opt, {dir=true})`; Torch7's
    # CmdLine:string prints the ignored options and each option that differs from its default
    code = """
    local cmd = torch.CmdLine()
    cmd:option('-lr', 0.1, 'learning rate')
    cmd:option('-n', 3, 'count')
    cmd:option('-cuda', false, 'gpu')
    cmd:option('-dir', 'out', 'dir')
    cmd:argument('-data', 'data path')
    local opt = cmd:parse({'-lr', '0x10', '-n', ' 1e-3 ', '-cuda', 'd'})
    local s = cmd:string('exp', {lr = opt.lr, dir = 'x', zz = 1}, {dir = true})
    return opt.lr, opt.n, opt.cuda, s, cmd:string('e', {n = 1/3}, {})
    """
    (lr, n, cuda, s, s2), out = lua(code, capsys)
    assert (lr, n, cuda) == (16, 0.001, True)
    assert s == "exp,lr=16" and s2 == "e,n=0.33333333333333"
    assert sorted(out.splitlines()) == sorted([
        "-- ignore option dir", "lr\t16\t0.1",
        "WARNING: unknown option/argument: zz IGNORING for DIRECTORY NAME",
        "n\t0.33333333333333\t3"])


def test_cmdline_help_usage_line_and_bad_number(capsys):
    import io
    from torch7py import CmdLine
    from torch7py.cmdline import CmdLineExit
    c = CmdLine()
    c.out = io.StringIO()
    c.option("-n", 3, "count")
    with pytest.raises(CmdLineExit) as e:
        c.parse({0: "t.lua", 1: "--help"})
    assert e.value.code == 0
    assert c.out.getvalue() == "Usage: t.lua [options]\n  -n count [3]\n"
    c.argument("-a", "first")
    c.argument("-b", "second")
    c.out = io.StringIO()
    with pytest.raises(CmdLineExit):
        c.parse(["-h"])
    assert c.out.getvalue().startswith("Usage: [options] <a> <b>\n")
    with pytest.raises(CmdLineExit) as e:
        c.parse(["-n", "1_0", "x", "y"])
    assert e.value.code == 1
    assert "invalid type for option -n (should be number)" in capsys.readouterr().err


def test_tester_report_is_torch7s(capsys):
    # nn's test.lua idiom: a plain table of tests (Torch7 warns), one failing assert, one Lua
    # error; expected text from Tester.lua (_run, _report, _pcall, check.areEq)
    code = """
    local tester = torch.Tester()
    local tests = {}
    function tests.a_ok() tester:eq({1, {x = 2}}, {1, {x = 2}}, 'tables') end
    function tests.b_fail() tester:asserteq(1, 2, 'one is not two') tester:eq(3, 4) end
    function tests.c_err() local t = nil; t.x = 1 end
    function tests.d_err_msg() tester:assertErrorPattern(function() error('boom 42') end,
                                                         'boom %d+') end
    tester:add(tests)
    local ok, err = pcall(function() tester:run() end)
    return ok, err
    """
    (ok, err), out = lua(code, capsys)
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)  # coloured whenever `arg` exists, as Torch7's
    assert ok is False and "An error was found while running tests!" in err
    lines = out.split("\n")

    def head(i, name):
        return "%d/4 %s %s " % (i, name, "." * (80 - 6 - 2 - 4 - len(name)))
    assert lines[0] == "Running 4 tests"
    # tests run in pairs() order, which this LuaJIT's seeded string hash makes vary by run
    status = {"a_ok": "PASS", "b_fail": "FAIL", "c_err": "ERROR", "d_err_msg": "PASS"}
    names = [row.split(" ")[1] for row in lines[1:5]]
    assert sorted(names) == sorted(status)
    for i, name in enumerate(names, 1):
        assert lines[i] == head(i, name) + "[WAIT]\r" + head(i, name) + "[%s]" % status[name]
    assert lines[5] == ("Completed 4 asserts in 4 tests with 1 failure and 1 error "
                        "and 1 warning")
    text = "\n".join(lines[6:])
    assert "b_fail\none is not two\nEQ failed: 1 ~= 2\n" in text
    assert "b_fail\nEQ failed: 3 ~= 4\nstack traceback:\n\t(command line):5: in function" \
        in text  # as ../shared/parity/scripts/tester_fail.out
    assert "c_err\n Function call failed\n" in text
    assert "attempt to index local 't' (a nil value)" in text
    assert "Should use TestSuite rather than plain lua table\n" in text
    assert "lupa" not in text and "LuaError" not in text


def test_tester_messages_of_tensor_and_table_checks():
    from torch7py import Tensor, LongTensor, Tester
    import io
    t = Tester()
    t.out = io.StringIO()
    t._currentTestName = ""
    t.assertionPass, t.assertionFail = {"": 0}, {"": 0}
    assert t.assertTensorEq(Tensor([[1, 2]]), Tensor([1, 2]), 1e-8)  # dims ignored (warning)
    assert not t.eq(Tensor([[1, 2]]), Tensor([1, 2]))
    assert not t.eq(Tensor([1, 2]), LongTensor([1, 2]))
    assert not t.assertTensorEq(Tensor([1, 2]), Tensor([1, 2.5]), "close")
    assert not t.assertTableEq({"a": 1, "b": [1, 2]}, {"a": 1, "b": [1, 3]})
    assert not t.assertTableEq([1, 2], [1])
    assert not t.assert_(False)
    msgs = [e.split("\n")[0] for e in t.errors]
    assert msgs == ["The tensors have different dimensions",
                    "The tensors have different types",
                    "close", "At table location b.2: EQ failed: 2 ~= 3",
                    "Entry 2 missing in second table (is 2 in first)",
                    "BOOL violation condition=false"]
    assert t.errors[2].split("\n")[1] == "TensorEQ(==) violation: max diff=0.5, tolerance=0"
    assert t.warnings[0].startswith("Tensors have the same content but different dimensions.")
    # the Python API's failures name the assert and its caller, as Torch7's traceback lines
    assert "in function 'assert_'" in t.errors[-1] and __file__ in t.errors[-1]


def test_torch_totable_of_sizes_tensors_and_storages(capsys):
    # `unpack(torch.totable(x:size()))`, a common idiom (init.lua's torch.totable)
    code = """
    local x = torch.Tensor(2, 3)
    local z = torch.zeros(unpack(torch.totable(x:size())))
    local t = torch.totable(torch.Tensor({{1, 2}, {3, 4}}))
    local ok, err = pcall(torch.totable, 5)
    return z:dim(), z:size(2), t[2][1], #torch.totable(torch.IntStorage({7, 8, 9})), ok,
           err:find('obj must be a Storage or a Tensor') ~= nil
    """
    r, _ = lua(code, capsys)
    assert r == (2, 3, 3, 3, False, True)


def test_concatenating_a_tensor_names_the_userdata_operand(capsys):
    # print('size: ' .. t) is a classic mistake; luaT's __concat answers
    # (../shared/parity/scripts/err_tensor_math.out)
    code = """
    local a, ea = pcall(function() return 'x: ' .. torch.Tensor(1) end)
    local b, eb = pcall(function() return torch.Tensor(1) .. 'x' end)
    return a, ea, b, eb
    """
    (a, ea, b, eb), _ = lua(code, capsys)
    assert a is False and ea.endswith("both (null) and torch.DoubleTensor have no concat operator")
    assert b is False and eb.endswith("both torch.DoubleTensor and (null) have no concat operator")


def test_lua_subclass_of_linear_prints_its_own_name(capsys):
    # Linear.lua's __tostring__ starts with torch.type(self)
    code = """
    require 'nn'
    local SL, parent = torch.class('nn.ScaledLinearT', 'nn.Linear')
    function SL:__init(i, o, s) parent.__init(self, i, o) self.s = s end
    function SL:updateOutput(x) parent.updateOutput(self, x) return self.output:mul(self.s) end
    local m = nn.ScaledLinearT(3, 2, 10)
    m.weight:fill(1) m.bias:fill(0)
    return tostring(m), tostring(nn.Linear(3, 2):noBias()), m:forward(torch.ones(3))[1]
    """
    r, _ = lua(code, capsys)
    assert r == ("nn.ScaledLinearT(3 -> 2)", "nn.Linear(3 -> 2) without bias", 30)


def test_require_sys_as_the_tutorials_use_it(capsys):
    # torch/tutorials' train.lua: `require 'sys'`, `local time = sys.clock()`, sys.tic/toc
    code = """
    require 'sys'
    local t = sys.clock()
    sys.tic()
    sys.sleep(0.02)
    local dt = sys.toc()
    local parts = sys.split('a,b,,c', ',')
    local dir, file = sys.fpath()
    return dt >= 0.02, sys.clock() - t >= 0.02, #parts, parts[3], sys.isNaN(0/0),
           sys.execute('echo  hi  '), type(sys.OS), sys.COLORS.red
    """
    r, _ = lua(code, capsys)
    assert r == (True, True, 4, "", True, "hi", "string", "\x1b[0;31m")


def test_tensor_values_are_checked_as_luaL_checknumber(capsys):
    # t:fill('3') works in Torch7 (Lua converts numeric strings), 'x' and booleans are errors
    code = """
    local t = torch.Tensor(2):fill('3')
    local a, ea = pcall(function() t:fill('x') end)
    local b, eb = pcall(function() t:fill(true) end)
    local c, ec = pcall(function() t[1] = 'y' end)
    t[2] = '0x10'
    return t[1], t[2], a, ea, b, eb, c, ec
    """
    (t1, t2, a, ea, b, eb, c, ec), _ = lua(code, capsys)
    assert (t1, t2) == (3, 16)
    # fill is cwrap'd: a non-number is an invalid argument list (scripts/err_bad_args.out)
    assert a is False and ea.endswith("invalid arguments: DoubleTensor string \n"
                                      "expected arguments: *DoubleTensor* double")
    assert b is False and eb.endswith("invalid arguments: DoubleTensor boolean \n"
                                      "expected arguments: *DoubleTensor* double")
    # __newindex with a number key: a number or a tensor, else luaL_typerror (Tensor.c)
    assert c is False and ec.endswith("bad argument #3 to '?' (torch.*Tensor expected, got string)")


def test_cmdline_log_echoes_prints_into_the_log_file(capsys, tmp_path):
    # CmdLine.lua's log redefines print: later prints (and cmd:string's) land in the file too
    log = tmp_path / "train.log"
    code = """
    local cmd = torch.CmdLine()
    cmd:option('-lr', 0.1, 'learning rate')
    local opt = cmd:parse({'-lr', '0.5'})
    cmd:log(%r, opt)
    print('epoch', 1, 'loss', 0.25)
    local dir = cmd:string('exp', opt, {})
    return dir
    """ % str(log)
    r, out = lua(code, capsys)
    assert r == "exp,lr=0.5"
    lines = log.read_text().split("\n")
    assert lines[0].startswith("[program started on ") and lines[0].endswith("] ")
    assert lines[1:] == ["[command line arguments] ", "lr 0.5 ", "[----------------------] ",
                         "epoch 1 loss 0.25 ", "lr 0.5 0.1 ", ""]
    assert "epoch\t1\tloss\t0.25" in out and "lr\t0.5\t0.1" in out


def test_clone_of_a_lua_module_with_table_and_function_fields(capsys):
    # clone() is Torch7's write/read round trip: tables are copied (and stay tables Lua can
    # write to), functions come along
    code = """
    require 'nn'
    local B, parent = torch.class('nn.LegacyCfg', 'nn.Module')
    function B:__init() parent.__init(self)
       self.cfg = {a = 1, name = 'x'}
       self.cache = {torch.ones(2), k = torch.ones(1)}
       self.act = function(v) return v * 7 end
    end
    local m = nn.LegacyCfg()
    m:float()
    local c = m:clone()
    c.cfg.a = 5
    c.cache.k:fill(3)
    return m.cfg.a, c.cfg.a, c.cfg.name, torch.type(c.cache[1]), torch.type(c.cache.k),
           m.cache.k[1], c.cache.k[1], c.act(2), torch.type(c)
    """
    r, _ = lua(code, capsys)
    assert r == (1, 5, "x", "torch.FloatTensor", "torch.FloatTensor", 1, 3, 14, "nn.LegacyCfg")


def test_paths_dofile_and_thisfile_are_relative_to_the_script(tmp_path):
    # imagenet-multiGPU.torch's main.lua: paths.dofile('opts.lua'), paths.dofile('model.lua')
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "main.lua").write_text("print(paths.thisfile())\nprint(paths.thisfile('x.lua'))\n"
                                   "local r = paths.dofile('opts.lua')\nprint(OPTS, r)\n")
    (proj / "opts.lua").write_text("OPTS = 'loaded'\nreturn 5\n")
    r = subprocess.run([sys.executable, "-m", "compat.th", "proj/main.lua"], cwd=str(tmp_path),
                       capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, PYTHONPATH=ROOT))
    assert r.returncode == 0, r.stderr
    lines = [ln.rstrip("\t") for ln in r.stdout.splitlines()]
    assert lines == [str(proj / "main.lua"), str(proj / "x.lua"), "loaded\t5"]


def test_errors_inside_containers_name_the_module_as_rethrowErrors(capsys):
    # Container.lua's rethrowErrors: "In 2 module of nn.Sequential:" then the inner message,
    # outermost container first; Lua errors of Lua-defined layers too
    code = """
    require 'nn'
    local B, parent = torch.class('nn.LegacyBoom', 'nn.Module')
    function B:updateOutput(x) error('boom in lua layer') end
    local s = nn.Sequential():add(nn.Linear(2, 2))
    s:add(nn.ConcatTable():add(nn.Identity()):add(nn.Linear(3, 1)))
    local ok1, e1 = pcall(function() return s:forward(torch.randn(2)) end)
    local t = nn.Sequential():add(nn.Identity()):add(nn.LegacyBoom())
    local ok2, e2 = pcall(function() return t:forward(torch.randn(2)) end)
    return ok1, e1, ok2, e2
    """
    (ok1, e1, ok2, e2), _ = lua(code, capsys)
    assert ok1 is False and ok2 is False
    assert "In 2 module of nn.Sequential:\nIn 2 module of nn.ConcatTable:\n" \
        "/usr/local/share/lua/5.1/nn/Linear.lua:57: size mismatch" in e1
    assert "In 2 module of nn.Sequential:\n" in e2 and "boom in lua layer\nstack traceback:" in e2
    # ... and nn's warning last (../shared/parity/scripts/err_nn_linear.out)
    assert e2.endswith("\n\nWARNING: If you see a stack trace below, it doesn't point to the "
                       "place where this error occurred. Please use only the one above.")


def test_tutorial_layout_doall_runs_end_to_end(tmp_path):
    # tests/legacy_tutorial: torch/tutorials' 2_supervised structure (doall.lua, dofile of five
    # files sharing globals, CmdLine, float default type, sys.clock, xlua.progress,
    # ConfusionMatrix, Logger, torch.save of the model each epoch)
    here = os.path.join(ROOT, "tests", "legacy_tutorial")
    save = tmp_path / "results"
    r = subprocess.run([sys.executable, "-m", "compat.th", "doall.lua", "-maxIter", "2",
                        "-momentum", "0.9", "-save", str(save)], cwd=here,
                       capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, PYTHONPATH=ROOT))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for piece in ("==> switching to floats", "nn.SpatialConvolutionMM(3 -> 8, 3x3)",
                  "nn.ClassNLLCriterion", "==> online epoch # 2 [batchSize = 10]",
                  "ConfusionMatrix:\n[[", " + global correct: ", "==> saving model to "):
        assert piece in out
    assert (save / "model.net").exists()
    log = (save / "train.log").read_text().splitlines()
    assert log[0] == "% mean class accuracy (train set)\t" and len(log) == 3
    assert "test.log" in os.listdir(str(save))


def test_timer_reset_keeps_a_stopped_timer_stopped():
    # Timer.c: reset zeroes the totals and restarts the clock only if the timer is running
    import time
    from torch7py import Timer
    t = Timer()
    t.stop()
    t.reset()
    time.sleep(0.01)
    assert t.time()["real"] == 0
    t.resume()
    time.sleep(0.01)
    assert t.time()["real"] >= 0.01


def test_fractional_sizes_and_indices_truncate_as_luaL_checklong(capsys):
    # Lua numbers are doubles; Torch7 casts sizes and indices to long (toward zero)
    code = """
    require 'nn'
    local t = torch.range(1, 5)
    local z = torch.zeros(3)
    z[2.9] = 7
    return torch.Tensor(2.5):size(1), t:narrow(1, 1, 4/3):size(1), t[2.7],
           nn.Linear(10/4, 2).weight:size(2), z[2], pcall(torch.Tensor, true)
    """
    r, _ = lua(code, capsys)
    assert r[:6] == (2, 1, 2, 2, 7, False)


def test_messages_torch7_prints_go_through_lua_print(capsys):
    # optim.lbfgs's verbose lines are print('<optim.lbfgs> ', msg): a tab between the values;
    # from Lua they go through the script's print (so CmdLine:log and th see them)
    code = """
    require 'optim'
    local seen = {}
    local oprint = print
    print = function(...) seen[#seen + 1] = table.concat({...}, '|') end
    local f = function(x) return x:dot(x), x * 2 end
    optim.lbfgs(f, torch.Tensor{1, 2}, {maxIter = 2, verbose = true})
    print = oprint
    return seen[1]
    """
    first, out = lua(code, capsys)
    assert first == "<optim.lbfgs> |creating recyclable direction/step/history buffers"
    assert out == ""
    from torch7py import optim, Tensor
    optim.lbfgs(lambda x: (x.dot(x), x * 2), Tensor([1, 2]), {"maxIter": 1, "verbose": True})
    assert capsys.readouterr().out.splitlines()[0] == \
        "<optim.lbfgs> \tcreating recyclable direction/step/history buffers"


def test_lua_object_tables_keep_string_keys_through_save_clone_and_load(capsys, tmp_path):
    # a vocabulary class: self.w2i = {} then w2i[word] = n. torch.save and clone must keep the
    # string keys; a loaded vocabulary must accept new words (its tables stay live for Lua)
    path = str(tmp_path / "vocab.t7")
    code = """
    local V = torch.class('LegacyVocab')
    function V:__init() self.w2i = {} self.i2w = {} self.n = 0 end
    function V:add(w)
       if not self.w2i[w] then
          self.n = self.n + 1
          self.w2i[w] = self.n
          self.i2w[self.n] = w
       end
       return self.w2i[w]
    end
    local v = LegacyVocab()
    for _, w in ipairs({'the', 'cat', 'sat', 'the'}) do v:add(w) end
    torch.save(%r, v)
    local c = torch.deserialize(torch.serialize(v))
    local l = torch.load(%r)
    local before = l.w2i.cat
    local dog = l:add('dog')
    local again = l:add('cat')
    return before, dog, again, l.n, l.w2i.dog, l.i2w[5], c.w2i.sat, v.n
    """ % (path, path)
    r, _ = lua(code, capsys)
    assert r == (2, 4, 2, 4, 4, None, 3, 3)


def test_clone_keeps_string_keys_of_a_table_field_created_empty(capsys):
    code = """
    require 'nn'
    local B, parent = torch.class('nn.LegacyKeys', 'nn.Module')
    function B:__init() parent.__init(self) self.w2i = {} self.mixed = {} end
    local m = nn.LegacyKeys()
    m.w2i.cat = 1
    m.mixed[1] = 'a'; m.mixed.k = 'b'
    local c = m:clone()
    c.w2i.dog = 2
    return c.w2i.cat, c.mixed[1], c.mixed.k, m.w2i.dog, c.w2i.dog
    """
    r, _ = lua(code, capsys)
    assert r == (1, "a", "b", None, 2)


def test_blitz_tutorial_idioms(capsys):
    # the 60-minute blitz: a dataset table whose __index metamethod builds {data[i], label[i]},
    # trained by StochasticGradient; 'Lenet5\n' .. net:__tostring()
    code = """
    require 'nn'
    torch.manualSeed(0)
    local trainset = {data = torch.ByteTensor(6, 1, 4, 4):random(0, 255),
                      label = torch.ByteTensor(6):random(1, 3)}
    setmetatable(trainset, {__index = function(t, i) return {t.data[i], t.label[i]} end})
    trainset.data = trainset.data:double():div(255)
    function trainset:size() return self.data:size(1) end
    local net = nn.Sequential():add(nn.View(16)):add(nn.Linear(16, 3)):add(nn.LogSoftMax())
    local header = 'Lenet5\\n' .. net:__tostring()
    local trainer = nn.StochasticGradient(net, nn.ClassNLLCriterion())
    trainer.maxIteration = 2
    trainer:train(trainset)
    return header, torch.Tensor{1}:__tostring()
    """
    (header, ts), out = lua(code, capsys)
    assert header.startswith("Lenet5\nnn.Sequential {\n  [input -> (1) -> (2) -> (3) -> output]")
    assert ts == " 1\n[torch.DoubleTensor of size 1]\n"
    assert out.count("# current error = ") == 2


def test_stochastic_gradient_takes_a_python_list_dataset(capsys):
    # the Python API's dataset can be a list with a size() method: example i is item i - 1
    import torch7py as torch
    from torch7py import nn

    class Dataset(list):
        def size(self):
            return len(self)
    lin = nn.Linear(1, 1)
    lin.weight.fill(0.5)
    lin.bias.fill(0)
    data = Dataset([[torch.Tensor([1]), torch.Tensor([2])], [torch.Tensor([2]), torch.Tensor([1])]])
    tr = nn.StochasticGradient(lin, nn.MSECriterion())
    tr.maxIteration, tr.shuffleIndices, tr.learningRate = 1, False, 0.1
    tr.train(data)
    # first example (1 -> 2): out 0.5, grad 2*(0.5-2) = -3: w = 0.8, b = 0.3; then (2 -> 1)
    w, b = 0.5 + 0.3, 0.3
    g = 2 * (w * 2 + b - 1)
    assert lin.weight[1][1] == pytest.approx(w - 0.1 * g * 2)
    assert lin.bias[1] == pytest.approx(b - 0.1 * g)


def test_lua_class_write_and_read_overrides_are_used_by_torch_save(capsys):
    # File.lua calls object:write(file) / object:read(file, version); Module.lua's write/read
    # (the parent's) write and read the table of fields
    code = """
    require 'nn'
    local W, parent = torch.class('nn.LegacyCached', 'nn.Module')
    function W:__init() parent.__init(self) self.keep = 5 self.cache = torch.ones(100) end
    function W:write(file)
       local c = self.cache
       self.cache = nil
       parent.write(self, file)
       self.cache = c
    end
    function W:read(file, version)
       parent.read(self, file, version)
       self.cache = torch.zeros(3)
       self.version_seen = version
    end
    local m = nn.LegacyCached()
    local net = nn.Sequential():add(nn.Linear(2, 2)):add(m)
    local l = torch.deserialize(torch.serialize(net))
    local a = torch.deserialize(torch.serialize(m, 'ascii'), 'ascii')
    return l:get(2).keep, l:get(2).cache:size(1), l:get(2).version_seen, m.cache:size(1),
           torch.type(l:get(2)), a.cache:size(1)
    """
    r, _ = lua(code, capsys)
    assert r == (5, 3, 1, 100, "nn.LegacyCached", 3)


def test_python_objects_dict_fields_stay_python_dicts_after_lua_reads_them(capsys, tmp_path):
    # optim.Logger updates its symbols dict itself: Lua reading logger.symbols must not detach it
    code = """
    require 'optim'
    local l = optim.Logger(%r)
    l:add{['x'] = 1}
    local n1 = #l.symbols.x
    l:add{['x'] = 2}
    l:add{['x'] = 3}
    return n1, #l.symbols.x
    """ % str(tmp_path / "l.log")
    r, _ = lua(code, capsys)
    assert r == (1, 3)
