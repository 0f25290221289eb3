"""rnn's classes under `th`: a script that loads a checkpoint holding them runs it, and sees
rnn's classes as nn.X from then on (Torch7 read such a file only after `require 'rnn'`, which
defines them all); before a load or `require 'rnn'` they are nil (tests/test_ngsweep13_rnn.py
has `require 'rnn'` itself)."""
import numpy as np

import torch7py
from torch7py.legacy import ern

from luatest import th_script
from test_ernport_gru import _weights, np_gru
from test_ernport_seq import np_seqlstm


def test_a_script_runs_a_loaded_gru_and_seqlstm(tmp_path):
    torch7py.setdefaulttensortype('torch.DoubleTensor')
    rng = np.random.default_rng(0)
    g = ern.GRU(3, 2)
    for p in g.parameters()[0]:
        p.numpy()[...] = rng.uniform(-0.5, 0.5, size=tuple(p.size()))
    s = ern.SeqLSTM(3, 2)
    torch7py.save(str(tmp_path / 'm.t7'), {'gru': ern.Sequencer(g), 'seq': s})
    x = np.linspace(-1, 1, 4 * 2 * 3).reshape(4, 2, 3)
    out = th_script("""
require 'nn'
print(nn.GRU == nil, nn.SeqLSTM == nil)
local m = torch.load('m.t7')
print(torch.type(m.gru), torch.type(m.gru.module), tostring(m.gru))
local x = torch.linspace(-1, 1, 24):view(4, 2, 3)
m.gru:evaluate()
local y = m.gru:forward(x)
local z = m.seq:forward(x)
for _, v in ipairs{y[4][2][1], y[4][2][2], z[4][1][1], z[4][1][2]} do
   print(string.format('%.15e', v))
end
print(torch.type(nn.GRU(3, 4)), tostring(nn.SeqLSTM(3, 4)), torch.type(nn.MaskZero))
""", tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ['true', 'true']
    assert lines[1].split('\t')[:3] == ['nn.Sequencer', 'nn.GRU',
                                        'nn.Sequencer @ nn.GRU(3 -> 2, 0.00)']
    vals = [float(v) for v in lines[2:6]]
    y = np_gru(_weights(g), x)
    z = np_seqlstm(np.array(s.weight.numpy()), np.array(s.bias.numpy()), x, 2)
    np.testing.assert_allclose(vals, [y[3, 1, 0], y[3, 1, 1], z[3, 0, 0], z[3, 0, 1]],
                               rtol=1e-13, atol=1e-14)
    assert lines[6].split('\t')[:2] == ['nn.GRU', 'nn.SeqLSTM']
