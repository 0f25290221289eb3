"""PyTorch forms of Element-Research rnn's GRU, SeqLSTM/SeqLSTMP/SeqGRU, SeqReverseSequence,
SeqBRNN, MaskZero/TrimZero, LookupTableMaskZero, BiSequencer, BiSequencerLM and
NormStabilizer (torch7py/export/tmodules_ern.py): each export computes the numpy formula of
the other tests (independent of both implementations), and the exporter's own measure
(torch7py.export.cli.measure) finds the Torch7 and PyTorch forms within 1e-12."""
import numpy as np
import pytest

import torch7py
from torch7py import nn
from torch7py.legacy import ern

from ern_helpers import _arr, double_default  # noqa: F401

from test_ernport_gru import _gru, _weights, np_gru
from test_ernport_mask import _fast_lstm, np_fast_lstm
from test_ernport_seq import np_seqgru, np_seqlstm

torch = pytest.importorskip('torch')


def _export(m):
    from torch7py.export import to_pytorch
    m.evaluate()
    return to_pytorch(m)


def _measure(m, shapes, grads=True):
    from torch7py.export import cli
    why = []
    out, grad = cli.measure(m, shapes, n=2, why=why)
    assert out < 1e-12, (out, why)
    if grads:
        assert grad is not None and grad < 1e-12, (grad, why)
    return why


def _close(a, b):
    np.testing.assert_allclose(a.detach().numpy() if hasattr(a, 'detach') else a, b,
                               rtol=1e-12, atol=1e-13)


def test_gru_sequencer_export():
    rng = np.random.default_rng(0)
    g = _gru(rng, 3, 2)
    seq = ern.Sequencer(g)
    tm = _export(seq)
    xs = rng.normal(size=(4, 2, 3))
    for _ in range(2):     # each sequence forgets the last one's state
        _close(tm(torch.tensor(xs)), np_gru(_weights(g), xs))
    why = _measure(seq, [(2, 3)], grads=False)
    assert 'training-mode forward' in why[0]
    # a Bayesian GRU (lazy dropouts): evaluation is the dropout-free formula
    bg = ern.Sequencer(ern.GRU(3, 2, None, 0.3))
    _measure(bg, [(3, 2, 3)], grads=False)   # (JoinTable(2) needs a batch, in rnn too)


@pytest.mark.parametrize("cls,args", [(ern.SeqLSTM, (3, 4)), (ern.SeqLSTMP, (3, 4, 2)),
                                      (ern.SeqGRU, (3, 4))])
def test_seq_modules_export_with_their_flags(cls, args):
    rng = np.random.default_rng(1)
    m = cls(*args)
    m.bias.numpy()[...] = rng.uniform(-0.5, 0.5, size=tuple(m.bias.size()))
    xs = rng.normal(size=(5, 2, 3))
    xs[2, 1] = 0

    def want(x, h0=None):
        if cls is ern.SeqGRU:
            return np_seqgru(_arr(m.weight), _arr(m.bias), x, 4, h0=h0)
        wo = _arr(m.weightO) if cls is ern.SeqLSTMP else None
        return np_seqlstm(_arr(m.weight), _arr(m.bias), x, 4, wo, h0=h0)
    tm = _export(m)
    _close(tm(torch.tensor(xs)), want(xs))
    _measure(m, [(4, 2, 3)])
    # remember in evaluation: the second call continues the first one's state
    m.remember('eval')
    tm = _export(m)
    a, b = tm(torch.tensor(xs[:2])), tm(torch.tensor(xs[2:]))
    _close(torch.cat([a, b]), want(xs))
    m.remember('neither')
    # batchfirst
    m.batchfirst = True
    tm = _export(m)
    _close(tm(torch.tensor(xs.transpose(1, 0, 2).copy())), want(xs).transpose(1, 0, 2))
    m.batchfirst = False
    # maskzero: the padded sample's step is zero and its state restarts
    m.maskZero()
    tm = _export(m)
    got = tm(torch.tensor(xs)).detach().numpy()
    np.testing.assert_array_equal(got[2, 1], 0)
    _close(got[3:, 1:2], want(xs[3:, 1:2]))
    _close(got[:, 0:1], want(xs[:, 0:1]))
    _measure(m, [(4, 2, 3)])


def test_seqbrnn_and_reverse_export():
    rng = np.random.default_rng(2)
    m = ern.SeqBRNN(3, 2)
    f, b = m.forwardModule, m.backwardModule
    xs = rng.normal(size=(4, 2, 3))
    want = (np_seqlstm(_arr(f.weight), _arr(f.bias), xs, 2)
            + np.flip(np_seqlstm(_arr(b.weight), _arr(b.bias), np.flip(xs, 0).copy(), 2), 0))
    _close(_export(m)(torch.tensor(xs)), want)
    _measure(m, [(4, 2, 3)])
    _measure(ern.SeqReverseSequence(2), [(3, 4)])


def test_maskzero_trimzero_lookup_export():
    rng = np.random.default_rng(3)
    for how in ('maskZero', 'trimZero'):
        lstm = _fast_lstm(rng, 3, 2)
        getattr(lstm, how)(1)
        seq = ern.Sequencer(lstm)
        xs = rng.normal(size=(4, 3, 3))
        xs[1, 0] = 0
        _close(_export(seq)(torch.tensor(xs)),
               np_fast_lstm(lstm, xs, np.all(xs == 0, axis=-1)))
        _measure(seq, [(3, 3)], grads=False)
    _measure(ern.MaskZero(nn.Linear(3, 2), 1), [(3,)])
    lt = ern.LookupTableMaskZero(6, 3)
    idx = torch7py.LongTensor([[0, 3, 6], [2, 0, 1]])
    want = _arr(lt.forward(idx))
    w = _arr(lt.weight)
    np.testing.assert_array_equal(want[1, 0], w[2])
    np.testing.assert_array_equal(want[0, 0], 0)
    got = _export(lt)(torch.tensor([[0, 3, 6], [2, 0, 1]]))
    np.testing.assert_array_equal(got.detach().numpy(), want)


def test_bidirectional_export():
    rng = np.random.default_rng(4)
    f, b = _fast_lstm(rng, 3, 2), _fast_lstm(rng, 3, 2)
    xs = rng.normal(size=(4, 2, 3))
    bi = ern.BiSequencer(f, b)
    got = _export(bi)([torch.tensor(x) for x in xs])
    want = np.concatenate([np_fast_lstm(f, xs), np.flip(np_fast_lstm(b, np.flip(xs, 0)), 0)],
                          axis=-1)
    _close(torch.stack(got), want)
    lm = ern.BiSequencerLM(f, b)
    got = _export(lm)([torch.tensor(x) for x in xs])
    z = np.zeros((1, 2, 2))
    want = np.concatenate([np.concatenate([z, np_fast_lstm(f, xs[:-1])]),
                           np.concatenate([np.flip(np_fast_lstm(b, np.flip(xs[1:], 0)), 0), z])],
                          axis=-1)
    _close(torch.stack(got), want)


def test_norm_stabilizer_and_sadd_export():
    rng = np.random.default_rng(5)
    seq = ern.Sequencer(ern.NormStabilizer(0.5))
    xs = rng.normal(size=(3, 2, 4))
    _close(_export(seq)(torch.tensor(xs)), xs)
    _measure(ern.SAdd(-1, True), [(3,)])
    _measure(nn.Sequential().add(ern.CopyGrad()).add(nn.Linear(3, 2)), [(3,)])
