"""cudnn's RNN family loaded from a GPU-style file computes what cuDNN computes
(torch7py/legacy/rnn.py). The expected outputs are numpy formulas written from cuDNN's
documented equations (cudnnRNNMode_t) on weights cut from the blob in cuDNN's layout, and the
checksums of NVIDIA's RNN sample that cudnn.torch's test_rnn.lua checks against."""
import numpy as np
import pytest

import gpu_corpus as G
import torch7py as torch
from torch7py import serialization as S
from torch7py.legacy import rnn as R

D = "torch.CudaDoubleTensor"
NGATES = {"CUDNN_LSTM": 4, "CUDNN_GRU": 3, "CUDNN_RNN_RELU": 1, "CUDNN_RNN_TANH": 1}


def sig(a):
    return 1 / (1 + np.exp(-a))


def unpack(blob, mode, inputSize, H, L, dirs):
    """cuDNN's layout, pseudo-layer by pseudo-layer: the G input matrices, the G recurrent
    matrices, the G input biases, the G recurrent biases (each gate's separately)."""
    g, pos, out = NGATES[mode], 0, []
    for layer in range(L):
        inp = inputSize if layer == 0 else H * dirs
        for _ in range(dirs):
            Ws, Rs = [], []
            for k in range(g):
                Ws.append(blob[pos:pos + H * inp].reshape(H, inp))
                pos += H * inp
            for k in range(g):
                Rs.append(blob[pos:pos + H * H].reshape(H, H))
                pos += H * H
            bW = [blob[pos + k * H:pos + (k + 1) * H] for k in range(g)]
            pos += g * H
            bR = [blob[pos + k * H:pos + (k + 1) * H] for k in range(g)]
            pos += g * H
            out.append((Ws, Rs, bW, bR))
    assert pos == len(blob)
    return out


def cell(mode, p, x, h, c):
    """One step of cuDNN's equations for a batch (x: B x in, h, c: B x H)."""
    W, Rm, bW, bR = p

    def lin(k):
        return x @ W[k].T + bW[k] + h @ Rm[k].T + bR[k]
    if mode == "CUDNN_RNN_RELU":
        return np.maximum(lin(0), 0), c
    if mode == "CUDNN_RNN_TANH":
        return np.tanh(lin(0)), c
    if mode == "CUDNN_LSTM":
        i, f, cc, o = sig(lin(0)), sig(lin(1)), np.tanh(lin(2)), sig(lin(3))
        c = f * c + i * cc
        return o * np.tanh(c), c
    r, z = sig(lin(0)), sig(lin(1))
    hh = np.tanh(x @ W[2].T + bW[2] + r * (h @ Rm[2].T + bR[2]))
    return (1 - z) * hh + z * h, c


def reference(mode, blob, x, H, L, dirs, h0=None, c0=None):
    """Output (T x B x dirs*H), final h and c (L*dirs x B x H)."""
    T, B, inputSize = x.shape
    params = unpack(blob, mode, inputSize, H, L, dirs)
    seq = x
    hy, cy = np.zeros((L * dirs, B, H)), np.zeros((L * dirs, B, H))
    for layer in range(L):
        outs = []
        for d in range(dirs):
            k = layer * dirs + d
            h = np.zeros((B, H)) if h0 is None else h0[k]
            c = np.zeros((B, H)) if c0 is None else c0[k]
            ys = np.zeros((T, B, H))
            for t in (range(T - 1, -1, -1) if d else range(T)):
                h, c = cell(mode, params[k], seq[t], h, c)
                ys[t] = h
            hy[k], cy[k] = h, c
            outs.append(ys)
        seq = np.concatenate(outs, 2)
    return seq, hy, cy


CASES = [("cudnn.LSTM", "CUDNN_LSTM", False), ("cudnn.GRU", "CUDNN_GRU", False),
         ("cudnn.RNNReLU", "CUDNN_RNN_RELU", False), ("cudnn.RNNTanh", "CUDNN_RNN_TANH", False),
         ("cudnn.BLSTM", "CUDNN_LSTM", True), ("cudnn.BGRU", "CUDNN_GRU", True),
         ("cudnn.RNN", "CUDNN_RNN_TANH", True)]


@pytest.mark.parametrize("name,mode,bidir", CASES)
@pytest.mark.parametrize("batchFirst", [False, True])
def test_forward_matches_cudnn_equations(name, mode, bidir, batchFirst):
    rs = np.random.RandomState(len(name) + bidir)
    N, H, L, T, B = 3, 4, 2, 5, 2
    dirs = 2 if bidir else 1
    n = R.weight_size(mode, N, H, L, dirs)
    blob = rs.uniform(-0.6, 0.6, n)
    m = S.deserialize(G.dumps(G.cudnn_rnn(name, mode, N, H, L, blob, bidir, batchFirst, D)))
    assert torch.typename(m) == name
    m.evaluate()
    x = rs.randn(T, B, N)
    inp = torch.DoubleTensor(x.transpose(1, 0, 2).copy() if batchFirst else x)
    y = m.forward(inp)
    ys, hy, cy = reference(mode, blob, x, H, L, dirs)
    got = y.numpy().transpose(1, 0, 2) if batchFirst else y.numpy()
    np.testing.assert_allclose(got, ys, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(m.hiddenOutput.numpy(), hy, rtol=1e-12, atol=1e-12)
    if mode == "CUDNN_LSTM":
        np.testing.assert_allclose(m.cellOutput.numpy(), cy, rtol=1e-12, atol=1e-12)


def test_initial_states_and_weights_views():
    rs = np.random.RandomState(1)
    N, H, L = 2, 3, 1
    blob = rs.uniform(-1, 1, R.weight_size("CUDNN_LSTM", N, H, L, 1))
    m = S.deserialize(G.dumps(G.cudnn_rnn("cudnn.LSTM", "CUDNN_LSTM", N, H, L, blob, ttype=D)))
    h0, c0 = rs.randn(1, 2, H), rs.randn(1, 2, H)
    m.hiddenInput, m.cellInput = torch.DoubleTensor(h0), torch.DoubleTensor(c0)
    x = rs.randn(4, 2, N)
    ys, _, _ = reference("CUDNN_LSTM", blob, x, H, L, 1, h0, c0)
    np.testing.assert_allclose(m.forward(torch.DoubleTensor(x)).numpy(), ys, rtol=1e-12)
    # cudnn's weights()/biases(): the 8 matrices and biases as views of the blob
    W, B = m.weights(), m.biases()
    assert len(W[0]) == 8 and W[0][0].nElement() == H * N and W[0][5].nElement() == H * H
    assert W[0][0].dim() == 1
    W[0][1].fill(0.25)
    assert m.weight[H * N + 1] == 0.25
    np.testing.assert_array_equal(B[0][7].numpy(), blob[-H:])


@pytest.mark.parametrize("mode", ["CUDNN_LSTM", "CUDNN_GRU", "CUDNN_RNN_RELU",
                                  "CUDNN_RNN_TANH"])
def test_backward_matches_finite_differences(mode):
    rs = np.random.RandomState(5)
    N, H, L, T, B = 2, 3, 2, 3, 2
    blob = rs.uniform(-0.7, 0.7, R.weight_size(mode, N, H, L, 2))
    m = S.deserialize(G.dumps(G.cudnn_rnn("cudnn.RNN", mode, N, H, L, blob, True, False, D)))
    x = rs.randn(T, B, N)
    go = rs.randn(T, B, 2 * H)

    def loss(xv, wv):
        ys, _, _ = reference(mode, wv, xv, H, L, 2)
        return float((ys * go).sum())
    with pytest.raises(Exception, match="only be called when training"):
        m.forward(torch.DoubleTensor(x))
        m.backward(torch.DoubleTensor(x), torch.DoubleTensor(go))
    m.training()
    m.forward(torch.DoubleTensor(x))
    m.zeroGradParameters()
    gi = m.backward(torch.DoubleTensor(x), torch.DoubleTensor(go)).numpy()
    eps = 1e-6
    num = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        num[idx] = (loss(x + d, blob) - loss(x - d, blob)) / (2 * eps)
    np.testing.assert_allclose(gi, num, rtol=1e-5, atol=1e-7)
    gw = m.gradWeight.numpy()
    for j in rs.choice(len(blob), 25, replace=False):
        d = np.zeros_like(blob)
        d[j] = eps
        expect = (loss(x, blob + d) - loss(x, blob - d)) / (2 * eps)
        assert gw[j] == pytest.approx(expect, rel=1e-5, abs=1e-7)


# NVIDIA's RNN sample (cudnn.torch test_rnn.lua): input, hx, cx all ones, every matrix filled
# with 1/(its element count), every bias with 1; miniBatch 64, seqLength 20, hiddenSize 512,
# 2 layers; the sums of the output (i), of hy (h) and of cy (c), tolerance 1000
# (the two gated modes; the sample's RNN_RELU/RNN_TANH sums, 1.315793E+06 and 6.319591E+05,
# hold too but would double the test's time)
SAMPLE = [("CUDNN_LSTM", {"i": 5.749536E+05, "c": 4.365091E+05, "h": 5.774818E+04}),
          ("CUDNN_GRU", {"i": 6.358978E+05, "h": 6.281680E+04})]


@pytest.mark.parametrize("mode,sums", SAMPLE)
def test_nvidia_sample_checksums(mode, sums):
    H, L, B, T = 512, 2, 64, 20
    m = R.RNN(H, H, L)
    m.mode = mode
    m.reset()
    m.weight = torch.FloatTensor(m.weight.nElement())
    g = NGATES[mode]
    for mats, biases in zip(m.weights(), m.biases()):
        for k in range(2 * g):
            mats[k].fill(1.0 / mats[k].nElement())
            biases[k].fill(1)
    m.hiddenInput = torch.FloatTensor(L, B, H).fill(1)
    m.cellInput = torch.FloatTensor(L, B, H).fill(1)
    y = m.forward(torch.FloatTensor(T, B, H).fill(1))
    got = {"i": y.sum(), "h": m.hiddenOutput.sum(), "c": m.cellOutput.sum()}
    for k, v in sums.items():
        assert abs(got[k] - v) < 1000, (k, got[k], v)


def test_bad_blob_or_mode_names_the_path():
    blob = np.zeros(R.weight_size("CUDNN_GRU", 3, 4, 1, 1) - 1)
    bad = G.sequential(G.cudnn_rnn("cudnn.GRU", "CUDNN_GRU", 3, 4, 1, blob, ttype=D), ttype=D)
    with pytest.raises(S.SerializationError, match=r"modules\.1\.<cudnn\.GRU>.*weight.*"
                                                   r"CUDNN_GRU.*has 108 elements, got 107"):
        S.deserialize(G.dumps(bad))
    obj = G.cudnn_rnn("cudnn.RNN", "CUDNN_GRU", 3, 4, 1, np.zeros(108), ttype=D)
    obj.fields["mode"] = "CUDNN_PEEPHOLE"
    with pytest.raises(S.SerializationError, match="unknown cudnn RNN mode 'CUDNN_PEEPHOLE'"):
        S.deserialize(G.dumps(obj))


def test_round_trip_keeps_cudnn_fields():
    blob = np.linspace(-1, 1, R.weight_size("CUDNN_LSTM", 2, 3, 1, 1))
    m = S.deserialize(G.dumps(G.cudnn_rnn("cudnn.LSTM", "CUDNN_LSTM", 2, 3, 1, blob)))
    assert torch.typename(m.weight) == "torch.FloatTensor"
    m.forward(torch.FloatTensor(2, 1, 2).fill(0.5))
    back = S.deserialize(S.serialize(m))
    assert torch.typename(back) == "cudnn.LSTM" and back.mode == "CUDNN_LSTM"
    np.testing.assert_array_equal(back.weight.numpy(), blob.astype(np.float32))
    assert "_cache" not in back.__dict__
