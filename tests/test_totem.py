"""compat/totem.lua: deepmind's totem (the release that extends torch.Tester), which nngraph's
tests require. Expectations come from totem's documented rules: central differences with
h = 1e-6 (double) / 1e-3 (float), a default precision of 1e-4 / 1e-2 compared with `<=`,
totem's messages, pl.lapp's command line."""
import os
import subprocess
import sys

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# a Tester whose report is kept (io.write collected) and whose failures do not stop the run
PRELUDE = """
require 'totem'
OUT = {}
test = {}  -- the module table of the test classes (luaT_newmetatable requires it)
function runQuiet(tester)
   local write = io.write
   io.write = function(...) for _, s in ipairs({...}) do OUT[#OUT + 1] = tostring(s) end end
   local ok, err = pcall(tester.run, tester)
   io.write = write
   return ok, err
end
"""


def lua(code, **kw):
    rt = LuaRuntime(script="test_x.lua", **kw)
    rt.execute(PRELUDE)
    return rt, rt.execute(code)


def check_gradients(module_code, input_code, precision="nil"):
    """Runs totem.nn.checkGradients in a test; (passes, failures, error messages)."""
    _, r = lua("""
        require 'nn'
        local tester = totem.Tester()
        local t = totem.TestSuite()
        function t.grad()
           %s
           totem.nn.checkGradients(tester, module, %s, %s)
        end
        tester:add(t)
        runQuiet(tester)
        return tester.assertionPass.grad, tester.assertionFail.grad, tester.testError.grad,
               table.concat(tester.errors, '\\n')
    """ % (module_code, input_code, precision))
    return r


# -- checkGradients ----------------------------------------------------------------------------

def test_correct_gradients_pass_for_parameters_and_inputs():
    npass, nfail, nerr, msg = check_gradients("local module = nn.Linear(4, 3)",
                                              "torch.randn(2, 4)")
    assert (nfail, nerr) == (0, 0), msg
    # one check per tensor (params, input) plus CopyModule's gradInput size checks
    assert npass >= 2


def test_a_wrong_input_gradient_is_caught():
    # y = 3x but the module says dy/dx = 2: the numerical gradient (3 g) differs by max|g|
    code = """
        local M = torch.class('test.Triple', 'nn.Module')
        function M:updateOutput(x) self.output = x * 3; return self.output end
        function M:updateGradInput(x, g) self.gradInput = g * 2; return self.gradInput end
        local module = test.Triple()
    """
    npass, nfail, nerr, msg = check_gradients(code, "torch.randn(5)")
    assert (nfail, nerr) == (1, 0)
    assert "wrong grad w.r.t. input" in msg
    assert "TensorEQ(==) violation: max diff=" in msg and "tolerance=0.0001" in msg


def test_a_wrong_parameter_gradient_is_caught():
    # a Linear that never accumulates its gradients: analytic 0, numerical x' g
    code = """
        local M = torch.class('test.Lazy', 'nn.Linear')
        function M:accGradParameters() end
        local module = test.Lazy(3, 2)
    """
    npass, nfail, nerr, msg = check_gradients(code, "torch.randn(3)")
    assert (nfail, nerr) == (1, 0)
    assert "wrong grad w.r.t. params" in msg


@pytest.mark.parametrize("delta,fails", [(5e-5, False), (2e-4, True)])
def test_the_default_precision_is_1e_4_for_doubles(delta, fails):
    # an identity whose gradInput is off by delta everywhere: max diff = delta (the central
    # difference of a linear loss is exact up to rounding, ~1e-10 here)
    code = """
        local M = torch.class('test.Off', 'nn.Module')
        function M:updateOutput(x) self.output:resizeAs(x):copy(x); return self.output end
        function M:updateGradInput(x, g)
           self.gradInput:resizeAs(g):copy(g):add(%r)
           return self.gradInput
        end
        local module = test.Off()
    """ % delta
    _, nfail, _, msg = check_gradients(code, "torch.randn(4)")
    assert nfail == (1 if fails else 0), msg


def test_an_explicit_precision_replaces_the_default():
    code = """
        local M = torch.class('test.Off2', 'nn.Module')
        function M:updateOutput(x) self.output:resizeAs(x):copy(x); return self.output end
        function M:updateGradInput(x, g)
           self.gradInput:resizeAs(g):copy(g):add(0.01)
           return self.gradInput
        end
        local module = test.Off2()
    """
    assert check_gradients(code, "torch.randn(3)", "0.02")[1] == 0
    assert check_gradients(code.replace("Off2", "Off3"), "torch.randn(3)", "0.005")[1] == 1


@pytest.mark.parametrize("tensor,step", [("torch.DoubleTensor", 1e-6), ("torch.FloatTensor", 1e-3)])
def test_central_differences_use_totems_step(tensor, step):
    # the module records every input it sees: each element moves to v - h, then v + h
    _, r = lua("""
        require 'nn'
        local seen = {}
        local M = torch.class('test.Spy', 'nn.Module')
        function M:updateOutput(x)
           seen[#seen + 1] = x:clone():double()
           self.output:resizeAs(x):copy(x)
           return self.output
        end
        function M:updateGradInput(x, g)
           self.gradInput:resizeAs(g):copy(g)
           return self.gradInput
        end
        local tester = totem.Tester()
        tester._currentTestName = ''
        tester.assertionPass, tester.assertionFail = {[''] = 0}, {[''] = 0}
        local x = torch.randn(3):type('%s')
        local m = test.Spy():type('%s')
        totem.nn.checkGradients(tester, m, x)
        local steps = {}
        local x0 = x:double()
        for i = 1, #seen do
           local d = seen[i] - x0
           local nz = d:ne(0):sum()
           if nz == 1 then
              local _, j = torch.abs(d):max(1)
              steps[#steps + 1] = {j[1], d[j[1]]}
           end
        end
        return steps, tester.assertionFail['']
    """ % (tensor, tensor))
    steps, nfail = r
    assert nfail == 0
    # element by element: -h, +h (the forward of the check itself and of feval(params) see x)
    got = [(int(j), float(d)) for j, d in steps]
    assert [j for j, _ in got] == [1, 1, 2, 2, 3, 3]
    for k, (_, d) in enumerate(got):
        want = -step if k % 2 == 0 else step
        assert d == pytest.approx(want, rel=1e-3 if "Float" in tensor else 1e-6)


def test_tables_of_tensors_name_each_input():
    # CAddTable's gradient for the second input deliberately wrong (doubled)
    code = """
        local M = torch.class('test.BadAdd', 'nn.CAddTable')
        function M:updateGradInput(input, g)
           nn.CAddTable.updateGradInput(self, input, g)
           self.gradInput[2]:mul(2)
           return self.gradInput
        end
        local module = test.BadAdd()
    """
    _, nfail, nerr, msg = check_gradients(code, "{torch.randn(3), torch.randn(3)}")
    assert (nfail, nerr) == (1, 0), msg
    assert "wrong grad w.r.t. input[2]" in msg and "input[1]" not in msg


# -- Tester: eq / ne with tolerances, ret, assertions --------------------------------------------

def test_eq_tolerance_is_inclusive():
    # 0.5 and 0.75 are exact in binary: the difference is exactly 0.25
    _, r = lua("""
        local t = totem.Tester()
        local a, b = torch.Tensor({0, 0.5}), torch.Tensor({0, 0.75})
        return t:eq(a, b, '', 0.25, true), t:eq(a, b, '', 0.2499, true),
               t:ne(a, b, '', 0.25, true), t:ne(a, b, '', 0.2499, true),
               t:eq(1, 1.25, '', 0.25, true), t:eq({x = a}, {x = b}, '', 0.25, true),
               (t:eq({x = a}, {x = b}, '', 0.1, true))
    """)
    assert r == (True, False, False, True, True, True, False)


def test_ret_returns_without_counting_an_assertion():
    _, r = lua("""
        local t = totem.Tester()
        local s = totem.TestSuite()
        function s.quiet() t:eq({1}, {2}, '', 0, true); t:ne(1, 2, '', 0, true) end
        function s.loud() t:eq(1, 1, 'ok') end
        t:add(s)
        local ok = runQuiet(t)
        return ok, t.countasserts, t.assertionFail.quiet
    """)
    assert r == (True, 1, 0)


def test_tensor_dimensions_matter():
    # totem's Tester sets _assertTensorEqIgnoresDims = false: {{1}} is not {1}
    _, r = lua("""
        local t = totem.Tester()
        return (t:eq(torch.Tensor({{1}}), torch.Tensor({1}), '', 0, true))
    """)
    assert r is False


def test_error_assertions():
    _, r = lua("""
        local t = totem.Tester()
        local s = totem.TestSuite()
        function s.errs()
           t:assertError(function() error('boom') end)
           t:assertErrorPattern(function() error('a needle here') end, 'needle')
           t:assertErrorMsg(function() error('exact', 0) end, 'exact')
           t:assertNoError(function() end)
           t:assertErrorPattern(function() error('hay') end, 'needle', 'pattern missed')
        end
        t:add(s)
        runQuiet(t)
        return t.assertionPass.errs, t.assertionFail.errs, t.errors[1]
    """)
    assert r[0] == 4 and r[1] == 1
    assert "pattern missed" in r[2] and "ERROR violation" in r[2]


def test_storage_assertions_take_tolerance_then_message():
    _, r = lua("""
        local t = totem.Tester()
        local s = totem.TestSuite()
        function s.st()
           t:assertStorageEq(torch.DoubleStorage({1, 2}), torch.DoubleStorage({1, 2.5}), 0.5, 'm')
           t:assertStorageNe(torch.DoubleStorage({1, 2}), torch.DoubleStorage({1, 2.5}), 0.1, 'm')
           t:assertStorageEq(torch.DoubleStorage({1}), torch.FloatStorage({1}), 0, 'types')
        end
        t:add(s)
        runQuiet(t)
        return t.assertionPass.st, t.assertionFail.st
    """)
    assert r == (2, 1)


def test_report_format_is_torch_testers():
    _, r = lua("""
        local t = totem.Tester()
        local s = totem.TestSuite()
        function s.good() t:eq(1, 1) end
        function s.bad() t:eq(1, 2, 'one is not two') end
        t:add(s)
        local ok = runQuiet(t)
        return ok, table.concat(OUT)
    """)
    ok, text = r
    assert ok is False  # run() raises when a test failed, as torch.Tester does
    plain = text.replace("\x1b[0m", "")
    import re
    plain = re.sub("\x1b\\[[0-9;]*m", "", plain)
    assert plain.startswith("Running 2 tests\n")
    assert "Completed 2 asserts in 2 tests with 1 failure and 0 errors" in plain
    assert "one is not two\nnumber" not in plain  # the message is torch.Tester's, not totem's
    assert "one is not two\nEQ failed: 1 ~= 2" in plain


def test_test_suite_refuses_a_name_twice():
    _, r = lua("""
        local s = totem.TestSuite()
        function s.same() end
        return pcall(function() s.same = function() end end)
    """)
    assert r[0] is False and "Test same is already defined." in r[1]


def test_is_a_torch_tester():
    _, r = lua("""
        local t = totem.Tester()
        return torch.type(t), torch.isTypeOf(t, 'torch.Tester'), torch.isTypeOf(t, 'totem.Tester')
    """)
    assert r == ("totem.Tester", True, True)


# -- asserts.lua ------------------------------------------------------------------------------

def test_are_tensors_eq_messages():
    _, r = lua("""
        local a = torch.ones(2)
        local r = {}
        local function add(...) r[#r + 1] = {...} end
        add(totem.areTensorsEq(a, torch.ones(1, 2)))
        add(totem.areTensorsEq(a, torch.ones(3)))
        add(totem.areTensorsEq(a, torch.FloatTensor(2):fill(1)))
        add(totem.areTensorsEq(torch.Tensor(), torch.Tensor()))
        add(totem.areTensorsEq(a, torch.Tensor({1, 1.5}), 0.1))
        add(totem.areTensorsNe(a, torch.Tensor({1, 1.5}), 0.1))
        add(pcall(totem.areTensorsEq, nil, a))
        add(pcall(totem.assertTensorEq, a, torch.ones(3)))
        return r
    """)
    r = [list(x) for x in r]
    assert r[0] == [False, "The tensors have different dimensions"]
    assert r[1] == [False, "Both tensors are empty"]  # totem's text for a size mismatch
    assert r[2] == [False, "The tensors have different types"]
    assert r[3] == [True, "Both tensors are empty"]
    assert r[4] == [False, "TensorEQ(==) violation: max diff=0.5, tolerance=0.1"]
    assert r[5] == [True]
    assert r[6][0] is False and "First argument should be a Tensor" in r[6][1]
    assert r[7][0] is False and r[7][1] == "Both tensors are empty"


def test_are_eq_and_tables():
    _, r = lua("""
        local r = {}
        local function add(...) r[#r + 1] = {...} end
        add(totem.areEq(1, '1'))
        add(totem.areEq(1, 1.5, 0.4))
        add(totem.areEq('a', 'b'))
        add(totem.areTablesEq({1, {2}}, {1, {2}}))
        add(totem.areTablesEq({1, k = 2}, {1}))
        add(totem.areTablesEq({1}, {1, k = 2}, 0, true))
        add(totem.areStoragesEq(torch.IntStorage({1, 3}), torch.IntStorage({1, 1}), 1))
        add(pcall(totem.assertTableNe, {1}, {1}))
        return r
    """)
    r = [list(x) for x in r]
    assert r[0] == [False, "Arguments are not of the same type (got: number, expected: string)"]
    assert r[1] == [False, "numberEQ(==) violation: max diff=0.5, tolerance=0.4"]
    assert r[2] == [False, "stringEQ(==) violation: val1=a, val2=b"]
    assert r[3] == [True, "The tables are equal."]
    assert r[4] == [False, "Arguments are not of the same type (got: number, expected: nil)"]
    assert r[5] == [True, "Arguments are not of the same type (got: nil, expected: number)"]
    assert r[6] == [False, "StorageEQ(==) violation: max diff=2, tolerance=1"]
    assert r[7][0] is False


# -- the other totem.nn checks ----------------------------------------------------------------

def run_check(body):
    _, r = lua("""
        require 'nn'
        local tester = totem.Tester()
        local s = totem.TestSuite()
        function s.check() %s end
        tester:add(s)
        runQuiet(tester)
        return tester.assertionPass.check, tester.assertionFail.check, tester.testError.check,
               table.concat(tester.errors, '\\n')
    """ % body)
    return r


def test_serializable_and_type_castable_linear():
    assert run_check("totem.nn.checkSerializable(tester, nn.Linear(3, 2), torch.randn(4, 3))"
                     )[1:3] == (0, 0)
    npass, nfail, nerr, msg = run_check(
        "totem.nn.checkTypeCastable(tester, nn.Linear(3, 2), torch.randn(4, 3))")
    assert (nfail, nerr) == (0, 0), msg
    # two assertNoError, four eq
    assert npass == 6


def test_type_castable_catches_a_module_left_in_double():
    npass, nfail, nerr, msg = run_check("""
        local M = torch.class('test.Stuck', 'nn.Linear')
        function M:type() return self end
        totem.nn.checkTypeCastable(tester, test.Stuck(3, 2), torch.randn(3))""")
    assert nerr == 1
    assert "after casting, module still contains objects of original type" in msg
    assert '"self.weight"' in msg


def test_minibatch():
    assert run_check("totem.nn.checkMinibatch(tester, nn.Tanh(), torch.randn(4, 3))"
                     )[1:3] == (0, 0)
    # x - mean(x over the batch): a batch row depends on the other rows
    npass, nfail, nerr, msg = run_check("""
        local M = torch.class('test.Center', 'nn.Module')
        function M:updateOutput(x)
           self.output = x - x:mean()
           return self.output
        end
        function M:updateGradInput(x, g) self.gradInput = g:clone(); return self.gradInput end
        totem.nn.checkMinibatch(tester, test.Center(), torch.randn(4, 3))""")
    assert nfail >= 1 and "wrong minibatch output" in msg


def test_type_preserves_sharing():
    assert run_check("""
        local m = nn.Linear(4, 4)
        local c = m:clone('weight', 'bias', 'gradWeight', 'gradBias')
        totem.nn.checkTypePreservesSharing(tester, nn.Sequential():add(m):add(c))""")[1:3] == (0, 0)
    npass, nfail, nerr, msg = run_check("""
        local M = torch.class('test.Breaks', 'nn.Linear')
        function M:type(t)
           self.weight = self.weight:type(t)
           self.bias = self.bias:type(t)
           return self
        end
        local m = test.Breaks(4, 4)
        local c = m:clone('weight', 'bias', 'gradWeight', 'gradBias')
        totem.nn.checkTypePreservesSharing(tester, nn.Sequential():add(m):add(c))""")
    assert nfail == 1 and "Sharing is broken for parameter #1" in msg


# -- the command line (pl.lapp's rules), through th ----------------------------------------------

SCRIPT = """
require 'totem'
local t = totem.Tester()
local s = totem.TestSuite()
function s.alpha() t:assert(true) end
function s.beta() t:assert(true) end
function s.gamma() t:eq(1, 2, 'gamma fails') end
t:add(s)
return t:run()
"""


def _th(tmp_path, *args):
    p = tmp_path / "test_cli.lua"
    p.write_text(SCRIPT)
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "compat.th", str(p), *args],
                          capture_output=True, text=True, cwd=str(tmp_path), env=env,
                          timeout=120)


def test_cli_list_and_names(tmp_path):
    r = _th(tmp_path, "--list")
    assert r.returncode == 0, r.stderr
    assert sorted(r.stdout.split()) == ["alpha", "beta", "gamma"]
    r = _th(tmp_path, "alpha", "bet")  # Lua patterns
    assert r.returncode == 0, r.stderr
    assert "Running 2 tests" in r.stdout and "gamma" not in r.stdout


def test_cli_log_output_and_failure_status(tmp_path):
    r = _th(tmp_path, "--log-output", "log.txt", "--summary")
    assert r.returncode == 1
    assert "gamma fails" not in r.stdout  # --summary: no messages
    lines = sorted((tmp_path / "log.txt").read_text().splitlines())
    assert lines == ["[total] 2 1 0", "alpha 1 0 0", "beta 1 0 0", "gamma 0 1 0"]


def test_cli_unknown_option(tmp_path):
    r = _th(tmp_path, "--bogus")
    assert r.returncode == 1
    # lapp names the program by arg[0]: under th, th's own path (trepl's th copies luajit's)
    assert r.stderr.startswith("th: unrecognized parameter: bogus\n\nRun tests\n")
