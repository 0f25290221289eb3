"""LookupTable's 2-D forward as LookupTable.lua:75-76 runs it: self.output:index(...) fills the
rows, then `self.output = self.output:view(...)` makes a NEW tensor (the one before keeps its
flat rows, a 1-D forward afterwards reuses the view), and a 1-D weight fails at line 76 with the
rows already written. The expected output is what the original Torch7 (/tmp/ref7, nn 8726825)
printed for this script; only its install prefix and its C message's " at FILE.c:LINE" are
written as ours."""
from luatest import th_script

SCRIPT = "require 'nn'\ntorch.manualSeed(1)\nlocal m = nn.LookupTable(5, 3)\nlocal o = m.output\nlocal y = m:forward(torch.LongTensor{{1, 2}, {3, 4}})\nprint(o:size(), y:size(), m.output == o, y == o)\nlocal y2 = m:forward(torch.LongTensor{{1, 2, 5}})\nprint(o:size(), y2:size(), y2 == y, y2 == o)\nlocal y3 = m:forward(torch.LongTensor{1, 2})\nprint(y3:size(), y3 == o, y3 == y2)\nm.weight = torch.Tensor{10, 20, 30, 40, 50}\nlocal z = m.output\nprint(pcall(function() return m:forward(torch.LongTensor{{1, 2}}) end))\nprint(z)\n"

EXPECTED = " 4\n 3\n[torch.LongStorage of size 2]\n\n 2\n 2\n 3\n[torch.LongStorage of size 3]\n\nfalse\tfalse\t\n 4\n 3\n[torch.LongStorage of size 2]\n\n 1\n 3\n 3\n[torch.LongStorage of size 3]\n\nfalse\tfalse\t\n 2\n 3\n[torch.LongStorage of size 2]\n\nfalse\ttrue\t\nfalse\t/usr/local/share/lua/5.1/nn/LookupTable.lua:76: bad argument #1 to 'size' (dimension 2 out of range of 1D tensor)\t\n 10\n 20\n[torch.DoubleTensor of size 2]\n\n"


def test_two_dimensional_forward_replaces_the_output_with_a_view(tmp_path):
    p = th_script(SCRIPT, tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout == EXPECTED
