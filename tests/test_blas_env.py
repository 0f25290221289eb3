"""compat.blas_env: th asks numpy's and scipy's OpenBLAS for its BLAS mode's kernel set before
they load, so that LAPACK gives that build's bits. Expected values: what the original Torch7
printed for the script below (`torch.gesv` of a 40 x 40 system after torch.manualSeed(9), the
first six values, %.17g) with OPENBLAS_CORETYPE=Haswell and =SkylakeX."""
import os
import subprocess
import sys

import pytest

from compat import blas_env
from luatest import ROOT, th_script

SCRIPT = r"""
torch.manualSeed(9)
local A, B
for _, n in ipairs({3, 8, 40}) do A = torch.randn(n, n); B = torch.randn(n, 2) end
local x = torch.gesv(B, A):contiguous():view(-1)
local s = {}
for i = 1, 6 do s[#s + 1] = string.format('%.17g', x[i]) end
print(table.concat(s, ' '))
"""

ORIGINAL = {
    "Haswell": "-2.4784620060770539 -1.7012602184281258 3.5777166485513576 -2.5181548190341498 "
               "1.1314048867655635 -3.7968305933088535",
    "SkylakeX": "-2.4784620060770393 -1.7012602184280894 3.577716648551386 -2.5181548190340663 "
                "1.1314048867655984 -3.7968305933087581",
}


def _cpu_runs(core):
    with open("/proc/cpuinfo") as f:
        flags = next((set(line.split(":", 1)[1].split()) for line in f
                      if line.startswith("flags")), set())
    return set(blas_env.CORE_NEEDS[core]) <= flags


def _ask(env):
    code = ("import os; from compat import blas_env; "
            "print(blas_env.request_blas_kernels('plain'), os.environ.get('OPENBLAS_CORETYPE'))")
    return subprocess.run([sys.executable, "-c", code], env=dict(env, PYTHONPATH=ROOT),
                          capture_output=True, text=True, timeout=60).stdout.split()


def test_request_follows_the_mode_and_leaves_a_users_choice():
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "TORCH7PY_BLAS_LOOPS")}
    if _cpu_runs("Haswell"):
        assert _ask(env) == ["Haswell", "Haswell"]
    if _cpu_runs("SkylakeX"):
        assert _ask(dict(env, TORCH7PY_BLAS_LOOPS="fused")) == ["SkylakeX", "SkylakeX"]
    assert _ask(dict(env, OPENBLAS_CORETYPE="Zen")) == ["None", "Zen"]
    # numpy already loaded: too late to ask, nothing set
    assert blas_env.request_blas_kernels("plain") is None


@pytest.mark.parametrize("mode, core", [("plain", "Haswell"), ("fused", "SkylakeX")])
def test_th_lapack_gives_the_builds_bits(mode, core, tmp_path, monkeypatch):
    if not _cpu_runs(core):
        pytest.skip("this CPU does not run OpenBLAS's %s kernels" % core)
    monkeypatch.delenv("OPENBLAS_CORETYPE", raising=False)
    monkeypatch.setenv("TORCH7PY_BLAS_LOOPS", mode)
    r = th_script(SCRIPT, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ORIGINAL[core].split()
