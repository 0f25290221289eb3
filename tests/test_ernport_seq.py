"""Element-Research rnn's sequence-at-once modules (torch7py.legacy.ern_seq): nn.SeqLSTM,
nn.SeqLSTMP, nn.SeqGRU, nn.SeqReverseSequence, nn.SeqBRNN. Expectations: numpy forms of the
equations in SeqLSTM.lua's and SeqGRU.lua's comments (gates i, f, o, g in the columns of a
(D+R) x 4H weight; r, u and the candidate of (D+H) x 3H), central finite differences for the
gradients, and the file fields each Lua __init sets (the line numbers are rnn ba937a0's)."""
import numpy as np
import pytest

from torch7py.legacy import ern

from ern_helpers import _arr, double_default, numgrad, _roundtrip, _sig, _t  # noqa: F401


def np_seqlstm(W, b, x, H, WO=None, h0=None, c0=None):
    T, N, D = x.shape
    R = WO.shape[1] if WO is not None else H
    h = np.zeros((N, R)) if h0 is None else h0
    c = np.zeros((N, H)) if c0 is None else c0
    out = []
    for t in range(T):
        a = x[t] @ W[:D] + h @ W[D:] + b
        i, f, o = _sig(a[:, :H]), _sig(a[:, H:2 * H]), _sig(a[:, 2 * H:3 * H])
        g = np.tanh(a[:, 3 * H:])
        c = f * c + i * g
        h = o * np.tanh(c)
        if WO is not None:
            h = h @ WO
        out.append(h)
    return np.stack(out)


def np_seqgru(W, b, x, H, h0=None):
    T, N, D = x.shape
    h = np.zeros((N, H)) if h0 is None else h0
    out = []
    for t in range(T):
        a = x[t] @ W[:D] + b
        ru = _sig(a[:, :2 * H] + h @ W[D:, :2 * H])
        r, u = ru[:, :H], ru[:, H:]
        hc = np.tanh(a[:, 2 * H:] + (r * h) @ W[D:, 2 * H:])
        h = (1 - u) * hc + u * h
        out.append(h)
    return np.stack(out)


def _numgrad(f, x, go, eps=1e-6):
    return numgrad(lambda a: (f(a) * go).sum(), x, eps)


@pytest.mark.parametrize("D,H,R", [(3, 2, None), (4, 5, None), (4, 5, 3), (2, 3, 4)])
def test_seqlstm_and_seqlstmp_forward_backward(D, H, R):
    rng = np.random.default_rng(D * 10 + H)
    m = ern.SeqLSTM(D, H) if R is None else ern.SeqLSTMP(D, H, R)
    # SeqLSTM.lua's reset: bias 0 but the forget gate's H entries (outputsize + 1 .. 2*outputsize)
    b = _arr(m.bias)
    assert (b[:(R or H)] == 0).all() and (b[(R or H):2 * (R or H)] == 1).all()
    m.bias.numpy()[...] = rng.uniform(-0.5, 0.5, size=b.shape)
    W, bb = _arr(m.weight), _arr(m.bias)
    WO = _arr(m.weightO) if R else None
    x = rng.normal(size=(4, 3, D))
    y = m.forward(_t(x))
    f = lambda a: np_seqlstm(W, bb, a, H, WO)  # noqa: E731
    np.testing.assert_allclose(_arr(y), f(x), rtol=1e-12, atol=1e-13)
    go = rng.normal(size=_arr(y).shape)
    m.zeroGradParameters()
    gi = m.backward(_t(x), _t(go))
    np.testing.assert_allclose(_arr(gi), _numgrad(f, x, go), rtol=1e-6, atol=1e-8)
    # the weight's gradient, entries of each block (input and recurrent rows)
    gw = _arr(m.gradWeight)
    for (r, c) in ((0, 0), (D - 1, H + 1), (D, 2 * H), (D + (R or H) - 1, 4 * H - 1)):
        w = m.weight.numpy()
        w0 = w[r, c]
        w[r, c] = w0 + 1e-6
        lp = (np_seqlstm(_arr(m.weight), bb, x, H, WO) * go).sum()
        w[r, c] = w0 - 1e-6
        lm = (np_seqlstm(_arr(m.weight), bb, x, H, WO) * go).sum()
        w[r, c] = w0
        assert abs(gw[r, c] - (lp - lm) / 2e-6) < 1e-6
    if R:
        gwo = _arr(m.gradWeightO)
        wo = m.weightO.numpy()
        w0 = wo[1, 2]
        wo[1, 2] = w0 + 1e-6
        lp = (np_seqlstm(W, bb, x, H, _arr(m.weightO)) * go).sum()
        wo[1, 2] = w0 - 1e-6
        lm = (np_seqlstm(W, bb, x, H, _arr(m.weightO)) * go).sum()
        wo[1, 2] = w0
        assert abs(gwo[1, 2] - (lp - lm) / 2e-6) < 1e-6


def test_seqlstm_fields_as_its_init_sets_and_a_file_round_trip():
    m = ern.SeqLSTM(3, 2)
    d = m.__dict__
    # SeqLSTM.lua __init (lines 43-79): sizes, weight (D+R)x4H, bias 4H, the state buffers,
    # _remember, the gradInput table, batchfirst, maskzero
    assert (m.inputsize, m.hiddensize, m.outputsize) == (3, 2, 2)
    assert tuple(m.weight.size()) == (5, 8) and tuple(m.bias.size()) == (8,)
    for name in ("cell", "gates", "buffer1", "buffer2", "buffer3", "grad_a_buffer", "h0", "c0",
                 "grad_c0", "grad_h0", "grad_x"):
        assert d[name].nElement() == 0, name
    assert m._remember == "neither" and m.batchfirst is False and m.maskzero is False
    assert m.gradInput == [m.grad_c0, m.grad_h0, m.grad_x]
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 2, 3))
    want = np_seqlstm(_arr(m.weight), _arr(m.bias), x, 2)
    back = _roundtrip(m)
    assert type(back) is ern.SeqLSTM
    np.testing.assert_allclose(_arr(back.forward(_t(x))), want, rtol=1e-12, atol=1e-13)
    # a file from before SeqLSTMP (July 2016) has no hiddensize: `self.hiddensize or outputsize`
    del back.__dict__["hiddensize"]
    np.testing.assert_allclose(_arr(back.forward(_t(x))), want, rtol=1e-12, atol=1e-13)
    assert back.hiddensize == 2


def test_seqlstm_remember_batchfirst_and_initial_states():
    rng = np.random.default_rng(2)
    m = ern.SeqLSTM(3, 4)
    W, b = _arr(m.weight), _arr(m.bias)
    x = rng.normal(size=(6, 2, 3))
    whole = np_seqlstm(W, b, x, 4)
    m.remember("both")
    m.evaluate()
    y1 = _arr(m.forward(_t(x[:3])))
    y2 = _arr(m.forward(_t(x[3:])))   # continues from the last step's h and c
    np.testing.assert_allclose(np.concatenate([y1, y2]), whole, rtol=1e-12, atol=1e-13)
    m.forget()
    np.testing.assert_allclose(_arr(m.forward(_t(x[3:]))), np_seqlstm(W, b, x[3:], 4),
                               rtol=1e-12, atol=1e-13)
    # SeqLSTM's first files (April 2016, 7922b50) keep `remember_states` instead of _remember
    del m.__dict__["_remember"]
    m.remember_states = True
    m.forget()
    y1 = _arr(m.forward(_t(x[:3])))
    y2 = _arr(m.forward(_t(x[3:])))
    np.testing.assert_allclose(np.concatenate([y1, y2]), whole, rtol=1e-12, atol=1e-13)
    m.remember("both")
    # batchfirst: N x T x D in, N x T x H out
    m.batchfirst = True
    m.forget()
    got = _arr(m.forward(_t(np.ascontiguousarray(x.transpose(1, 0, 2)))))
    np.testing.assert_allclose(got, whole.transpose(1, 0, 2), rtol=1e-12, atol=1e-13)
    m.batchfirst = False
    # {c0, h0, x} and {h0, x} inputs; gradInput then holds their gradients
    h0, c0 = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    m.training()
    y = m.forward([_t(c0), _t(h0), _t(x)])
    np.testing.assert_allclose(_arr(y), np_seqlstm(W, b, x, 4, h0=h0, c0=c0), rtol=1e-12,
                               atol=1e-13)
    go = rng.normal(size=(6, 2, 4))
    gc0, gh0, gx = m.backward([_t(c0), _t(h0), _t(x)], _t(go))
    np.testing.assert_allclose(_arr(gh0), _numgrad(lambda a: np_seqlstm(W, b, x, 4, h0=a, c0=c0),
                                                   h0, go), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(_arr(gc0), _numgrad(lambda a: np_seqlstm(W, b, x, 4, h0=h0, c0=a),
                                                   c0, go), rtol=1e-6, atol=1e-8)


def test_seqlstm_maskzero_zeroes_the_steps_of_zero_inputs():
    rng = np.random.default_rng(3)
    m = ern.SeqLSTM(3, 2)
    m.maskZero()
    W, b = _arr(m.weight), _arr(m.bias)
    x = rng.normal(size=(4, 2, 3))
    x[1, 0] = 0   # sample 1's step 2 is padding: its h and c restart from 0
    y = _arr(m.forward(_t(x)))
    want = np.concatenate([np_seqlstm(W, b, x[:1, :1], 2),
                           np.zeros((1, 1, 2)),
                           np_seqlstm(W, b, x[2:, :1], 2)])
    np.testing.assert_allclose(y[:, 0:1], want, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(y[:, 1:2], np_seqlstm(W, b, x[:, 1:2], 2), rtol=1e-12,
                               atol=1e-13)
    assert m.zeroMask.typename == "torch.ByteTensor"


@pytest.mark.parametrize("D,H,N", [(3, 2, 2), (5, 4, 1), (2, 6, 3)])
def test_seqgru_forward_backward(D, H, N):
    rng = np.random.default_rng(D + H * 7)
    m = ern.SeqGRU(D, H)
    d = m.__dict__
    # SeqGRU.lua __init: inputSize/outputSize (camel case, unlike SeqLSTM), seqLength,
    # miniBatch, weight (D+H) x 3H, buffers, h0, _remember, batchfirst, maskzero
    assert (m.inputSize, m.outputSize, m.seqLength, m.miniBatch) == (D, H, 1, 1)
    assert tuple(m.weight.size()) == (D + H, 3 * H) and "c0" not in d
    assert m.gradInput == [m.grad_h0, m.grad_x]
    m.bias.numpy()[...] = rng.uniform(-0.5, 0.5, size=3 * H)
    W, b = _arr(m.weight), _arr(m.bias)
    x = rng.normal(size=(5, N, D))
    y = m.forward(_t(x))
    f = lambda a: np_seqgru(W, b, a, H)  # noqa: E731
    np.testing.assert_allclose(_arr(y), f(x), rtol=1e-12, atol=1e-13)
    go = rng.normal(size=(5, N, H))
    m.zeroGradParameters()
    gi = m.backward(_t(x), _t(go))
    np.testing.assert_allclose(_arr(gi), _numgrad(f, x, go), rtol=1e-6, atol=1e-8)
    gw, gb = _arr(m.gradWeight), _arr(m.gradBias)
    for (r, c) in ((0, 0), (D - 1, H), (D, 2 * H), (D + H - 1, 3 * H - 1), (D, 1)):
        w = m.weight.numpy()
        w0 = w[r, c]
        w[r, c] = w0 + 1e-6
        lp = (np_seqgru(_arr(m.weight), b, x, H) * go).sum()
        w[r, c] = w0 - 1e-6
        lm = (np_seqgru(_arr(m.weight), b, x, H) * go).sum()
        w[r, c] = w0
        assert abs(gw[r, c] - (lp - lm) / 2e-6) < 1e-6
    bp, bm = b.copy(), b.copy()
    bp[2 * H] += 1e-6
    bm[2 * H] -= 1e-6
    assert abs(gb[2 * H] - ((np_seqgru(W, bp, x, H) - np_seqgru(W, bm, x, H)) * go).sum()
               / 2e-6) < 1e-6
    back = _roundtrip(m)
    assert type(back) is ern.SeqGRU
    back.evaluate()
    np.testing.assert_allclose(_arr(back.forward(_t(x))), f(x), rtol=1e-12, atol=1e-13)


def test_seqgru_with_h0_and_remember():
    rng = np.random.default_rng(4)
    m = ern.SeqGRU(3, 2)
    W, b = _arr(m.weight), _arr(m.bias)
    x, h0 = rng.normal(size=(4, 2, 3)), rng.normal(size=(2, 2))
    m.forward([_t(h0), _t(x)])
    gh0, gx = m.backward([_t(h0), _t(x)], _t(np.ones((4, 2, 2))))
    np.testing.assert_allclose(_arr(gh0), _numgrad(lambda a: np_seqgru(W, b, x, 2, h0=a), h0,
                                                   np.ones((4, 2, 2))), rtol=1e-6, atol=1e-8)
    m.remember("eval")
    m.evaluate()
    y1 = _arr(m.forward(_t(x[:2])))
    y2 = _arr(m.forward(_t(x[2:])))
    np.testing.assert_allclose(np.concatenate([y1, y2]), np_seqgru(W, b, x, 2), rtol=1e-12,
                               atol=1e-13)


@pytest.mark.parametrize("dim", [1, 2, 3])
def test_seq_reverse_sequence(dim):
    rng = np.random.default_rng(dim)
    m = ern.SeqReverseSequence(dim)
    x = rng.normal(size=(4, 3, 2))
    np.testing.assert_array_equal(_arr(m.forward(_t(x))), np.flip(x, axis=dim - 1))
    go = rng.normal(size=x.shape)
    np.testing.assert_array_equal(_arr(m.backward(_t(x), _t(go))), np.flip(go, axis=dim - 1))
    assert m.outputIndices.typename == "torch.LongTensor"


def test_seqbrnn_sums_a_forward_and_a_reversed_lstm():
    rng = np.random.default_rng(5)
    for batchfirst in (False, True):
        m = ern.SeqBRNN(3, 2, batchfirst)
        f, bw = m.forwardModule, m.backwardModule
        x = rng.normal(size=(4, 2, 3))
        want = (np_seqlstm(_arr(f.weight), _arr(f.bias), x, 2)
                + np.flip(np_seqlstm(_arr(bw.weight), _arr(bw.bias), np.flip(x, 0).copy(), 2),
                          0))
        xin = x.transpose(1, 0, 2).copy() if batchfirst else x
        got = _arr(_roundtrip(m).forward(_t(xin)))
        np.testing.assert_allclose(got, want.transpose(1, 0, 2) if batchfirst else want,
                                   rtol=1e-12, atol=1e-13)
    assert str(m).startswith("nn.SeqBRNN @ nn.Sequential {")


def test_seqlstm_to_fastlstm_computes_the_same():
    rng = np.random.default_rng(6)
    s = ern.SeqLSTM(3, 2)
    s.bias.numpy()[...] = rng.uniform(-1, 1, size=8)
    x = rng.normal(size=(3, 2, 3))
    want = np_seqlstm(_arr(s.weight), _arr(s.bias), x, 2)
    seq = ern.Sequencer(s.toFastLSTM())
    seq.evaluate()
    np.testing.assert_allclose(_arr(seq.forward(_t(x))), want, rtol=1e-12, atol=1e-13)


def test_seqgru_to_gru_computes_the_same():
    rng = np.random.default_rng(7)
    s = ern.SeqGRU(3, 2)
    s.bias.numpy()[...] = rng.uniform(-1, 1, size=6)
    x = rng.normal(size=(3, 2, 3))
    seq = ern.Sequencer(s.toGRU())
    seq.evaluate()
    np.testing.assert_allclose(_arr(seq.forward(_t(x))), np_seqgru(_arr(s.weight), _arr(s.bias),
                                                                   x, 2), rtol=1e-12, atol=1e-13)
