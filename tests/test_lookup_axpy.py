"""LookupTable's accGradParameters rounds as THNN's THBlas_(axpy) calls do: the micro-kernel's
fused multiply-adds for the first n & -16 doubles of each row, the C tail fused in the SkylakeX
build ("fused") and not in the Haswell one ("plain"). Expected: what the original Torch7 printed
for this script with OPENBLAS_CORETYPE=Haswell and =SkylakeX."""
import pytest

from luatest import th_script

SCRIPT = r"""
torch.manualSeed(3)
require 'nn'
for _, d in ipairs({3, 20, 40}) do
  for _, freq in ipairs({false, true}) do
    local m = nn.LookupTable(7, d)
    if freq then m:scaleGradByFreq() end
    m:zeroGradParameters()
    local idx = torch.LongTensor({1, 3, 3, 5, 1, 3, 7, 2})
    local go = torch.randn(8, d)
    m:forward(idx)
    m:accGradParameters(idx, go, 0.37)
    m:accUpdateGradParameters(idx, go, 0.11)
    local s = 0
    for i = 1, 7 do for j = 1, d do
      s = s + m.gradWeight[i][j] * (i + j / 7) + m.weight[i][j] * (j - i / 3)
    end end
    print(d, freq, string.format('%a', s))
  end
end
"""

COMMON = ["3\tfalse\t-0x1.1620acf572666p+4\t", "3\ttrue\t-0x1.0bd43e2622b0ap+2\t"]
TAIL = ["20\ttrue\t-0x1.7efb82e223ad1p+6\t", "40\tfalse\t0x1.907cbbea11fadp+7\t",
        "40\ttrue\t-0x1.d3c2fee609cd9p+4\t"]
ORIGINAL = {
    "plain": COMMON + ["20\tfalse\t-0x1.8f4a3e5c00dbcp+6\t"] + TAIL,
    "fused": COMMON + ["20\tfalse\t-0x1.8f4a3e5c00dbap+6\t"] + TAIL,
}


@pytest.mark.parametrize("mode", ["plain", "fused"])
def test_lookup_table_gradients_round_as_the_originals_axpy(mode, tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH7PY_BLAS_LOOPS", mode)
    r = th_script(SCRIPT, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ORIGINAL[mode]
