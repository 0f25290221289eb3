"""rnn's FastLSTM built with nngraph (`nn.FastLSTM.usenngraph = true`, FastLSTM.lua's
nngraphModel) and the double save/load round trip its checkpoints fail (t7_sweep, s11).

The round trip: a gModule reads itself (gmodule.lua:494 sets `self[k] = v` in the pairs order
of the table read) and is saved by writeObject's pairs copy, so its field order after a load
and a save is not the file's. Torch7's LuaJIT (2.1.0-beta2 of torch/luajit-rocks, built and
run on the 12 keys of FARNN's gModules: read table filled in file order, `self[k]` set in its
pairs order, copied into writeObject's `var` in pairs order, written in var's pairs order)
gives, from FARNN's file order F0, the orders L0, L1, L2, then F0 again: a 4-cycle. The files
differ after a second round trip in Torch7 too; torch7py's writes follow the same cycle."""
import contextlib
import io

import numpy as np
import pytest

import torch7py
from torch7py.legacy import ern
from torch7py.luaorder import pairs_order

from ern_helpers import _t
from test_ernport_mask import np_fast_lstm
from test_ngclone_fieldorder import _objects

F0 = ['bg', 'gradInput', 'outnode', 'fg', 'forwardnodes', 'innode', '_type', 'backwardnodes',
      'nInputs', 'output', 'modules', 'verbose']
# printed by LuaJIT 2.1.0-beta2 (torch/luajit-rocks), one line per load-and-save from F0
BETA2 = [
    'bg gradInput outnode fg innode verbose _type backwardnodes modules output nInputs '
    'forwardnodes',
    'bg gradInput outnode fg forwardnodes verbose _type backwardnodes nInputs output modules '
    'innode',
    'bg gradInput outnode fg verbose innode _type backwardnodes modules output nInputs '
    'forwardnodes',
    ' '.join(F0),
]


@pytest.fixture
def nngraph_fastlstm(monkeypatch):
    torch7py.setdefaulttensortype('torch.DoubleTensor')
    monkeypatch.setattr(ern.FastLSTM, 'usenngraph', True)
    rng = np.random.default_rng(0)
    m = ern.FastLSTM(3, 2)
    for p in m.parameters()[0]:
        p.numpy()[...] = rng.uniform(-0.5, 0.5, size=tuple(p.size()))
    return m


def test_nngraph_fastlstm_is_the_lstm_formula(nngraph_fastlstm):
    m = nngraph_fastlstm
    assert type(m.recurrentModule).__name__ == 'gModule'
    # nngraphModel annotates i2h and h2h (FastLSTM.lua lines 167-168)
    names = {n.data['annotations'].get('name') for n in m.recurrentModule.forwardnodes}
    assert {'i2h', 'h2h'} <= names
    xs = np.random.default_rng(1).normal(size=(4, 2, 3))
    want = np_fast_lstm(m, xs)
    seq = ern.Sequencer(m)
    for mode in ('evaluate', 'training'):
        getattr(seq, mode)()
        np.testing.assert_allclose(np.array(seq.forward(_t(xs)).numpy()), want, rtol=1e-12,
                                   atol=1e-13)
    with contextlib.redirect_stderr(io.StringIO()):
        back = torch7py.deserialize(bytes(torch7py.serialize(seq)))
    back.evaluate()
    np.testing.assert_allclose(np.array(back.forward(_t(xs)).numpy()), want, rtol=1e-12,
                               atol=1e-13)


def test_the_gmodule_field_order_cycles_as_torch7s_luajit_does(nngraph_fastlstm):
    g = nngraph_fastlstm.recurrentModule
    x, h = _t(np.ones((2, 3))), _t(np.zeros((2, 2)))
    g.forward([x, h, h])
    g.backward([x, h, h], [h, h])     # a trained graph's gradInput, as FARNN's files hold
    assert sorted(k for k, v in vars(g).items() if v is not None) == sorted(F0)
    # as read from FARNN's file: the fields set in the pairs order of the table read in F0
    d = dict(vars(g))
    g.__dict__.clear()
    g.__dict__.update({k: d[k] for k in pairs_order(F0)})
    data = bytes(torch7py.serialize(g))
    for want in BETA2:
        assert ' '.join(_objects(data)['nn.gModule'][0]) == want
        with contextlib.redirect_stderr(io.StringIO()):
            data = bytes(torch7py.serialize(torch7py.deserialize(data)))
