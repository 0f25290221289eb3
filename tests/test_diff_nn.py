"""tools/diff_nn.py over the original nn's own Lua code (NN_DIR, default /work/ext/nn): every
case's outputs, gradients, errors, printing and fields (names and pairs() order after the
constructor, forward/backward, clearState, a type round trip and a save/load) equal what nn's
Lua code gives on the same calls. Skips without the checkout."""
import os
import subprocess
import sys

import pytest

pytest.importorskip("lupa")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NN = os.environ.get("NN_DIR", "/work/ext/nn")


def test_diff_nn_finds_no_difference():
    if not os.path.exists(os.path.join(NN, "Module.lua")):
        pytest.skip("needs an nn checkout (NN_DIR)")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "diff_nn.py"), NN],
                       capture_output=True, text=True, env=env, timeout=600)
    out = p.stdout + p.stderr
    diffs = [line for line in out.splitlines() if line.startswith("DIFF ")]
    assert diffs == [] and p.returncode == 0, out[-4000:]
    assert " 0 differences" in out
