"""Legacy Torch7 Lua idioms (tutorials, nn/optim docs, training scripts) run through the Lua
layer, their printed output compared with what Torch7 prints (hand-derived from its sources)."""
import os
import subprocess
import sys

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def lua(code, capsys):
    """Runs `code` in a fresh Lua runtime; returns (results, stdout)."""
    capsys.readouterr()
    r = LuaRuntime().execute(code)
    return r, capsys.readouterr().out


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
    assert len(lines) == 4
