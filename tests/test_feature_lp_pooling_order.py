"""FeatureLPPooling's forward is THNN's loop: accreal v = 0, v += pow(x, power) over the window
in order, then pow(v, 1 / power), in double for float tensors too (C's pow is Python's
math.pow); checked element by element against that loop."""
import math

import numpy as np

import torch7py as torch
from torch7py import nn


def thnn(m, x):
    batch = m.batch_mode
    a = x.numpy()
    a3 = a.reshape((a.shape[0] if batch else 1, a.shape[1 if batch else 0], -1))
    B, F, R = a3.shape
    oF = (F - m.width) // m.stride + 1
    out = np.zeros((B, oF, R), dtype=a.dtype)
    for b in range(B):
        for r in range(R):
            for o in range(oF):
                v = 0.0
                for i in range(m.width):
                    v += math.pow(float(a3[b, o * m.stride + i, r]), m.power)
                out[b, o, r] = math.pow(v, 1.0 / m.power)
    shape = [int(n) for n in x.size().tolist()]
    shape[1 if batch else 0] = oF
    return out.reshape(shape)


def test_feature_lp_pooling_forward_is_thnn_loop():
    rng = np.random.default_rng(0)
    for trial in range(120):
        width, stride = int(rng.integers(2, 17)), int(rng.integers(1, 5))
        p = int(rng.choice([2, 3]))
        batch = bool(rng.integers(0, 2))
        F = (int(rng.integers(1, 4)) - 1) * stride + width
        shape = ([int(rng.integers(1, 3))] if batch else []) + [F] + \
            [int(rng.integers(1, 4)) for _ in range(int(rng.integers(0, 3)))]
        dt = str(rng.choice(['torch.FloatTensor', 'torch.DoubleTensor']))
        vals = np.abs(rng.standard_normal(shape)) * np.exp(rng.uniform(-5, 5, shape))
        x = torch.from_numpy(vals).type(dt)
        m = nn.FeatureLPPooling(width, stride, p, batch).type(dt)
        np.testing.assert_array_equal(m.forward(x).numpy(), thnn(m, x))


def test_a_forward_after_a_small_change_is_the_thnn_loop_on_the_new_input():
    # nn.Jacobian's pattern: one element changed between forwards (the kept values of the
    # last call serve the rest); then other geometries, powers and types in between
    rng = np.random.default_rng(1)
    for trial in range(12):
        width, stride = int(rng.integers(2, 6)), int(rng.integers(1, 4))
        F = int(rng.integers(0, 4)) * stride + width + int(rng.integers(0, stride))
        batch = bool(rng.integers(0, 2))
        shape = ([2] if batch else []) + [F, int(rng.integers(1, 4))]
        dt = 'torch.FloatTensor' if trial % 3 == 0 else 'torch.DoubleTensor'
        x = torch.from_numpy(np.abs(rng.standard_normal(shape)) + 0.1).type(dt)
        m = nn.FeatureLPPooling(width, stride, [2, 3, 2.5][trial % 3], batch).type(dt)
        flat = x.numpy().reshape(-1)
        for i in range(flat.size):
            for v in (flat[i] + 1e-3, flat[i] - 1e-3, float(flat[i])):
                flat[i] = v
                np.testing.assert_array_equal(m.forward(x).numpy(), thnn(m, x))
        flat[:] = 0.5  # every element changed at once
        np.testing.assert_array_equal(m.forward(x).numpy(), thnn(m, x))
        m.power = 4  # the same input with another power
        np.testing.assert_array_equal(m.forward(x).numpy(), thnn(m, x))


def thnn_backward(m, x, y, go):
    """FeatureLPPooling_updateGradInput: gradInput zeroed, then for each output feature with a
    nonzero output, each term of its window adds `real v = go * pow(x / y, power - 1)` (the
    quotient in real, pow and the product in double) into gradInput, in real."""
    real = x.dtype.type
    B, F, R = x.shape
    oF = y.shape[1]
    gi = np.zeros_like(x)
    for b in range(B):
        for r in range(R):
            for o in range(oF):
                yv = y[b, o, r]
                if yv == 0:
                    continue
                for i in range(m.width):
                    f = o * m.stride + i
                    q = float(real(x[b, f, r] / yv))
                    v = real(float(go[b, o, r]) * math.pow(q, m.power - 1.0))
                    gi[b, f, r] = real(gi[b, f, r] + v)
    return gi


def test_feature_lp_pooling_backward_is_thnn_loop():
    rng = np.random.default_rng(1)
    for trial in range(80):
        width, stride = int(rng.integers(2, 9)), int(rng.integers(1, 5))
        p = int(rng.choice([2, 3]))
        batch = bool(rng.integers(0, 2))
        F = int(rng.integers(0, 4)) * stride + width
        shape = ([int(rng.integers(1, 3))] if batch else []) + [F] + \
            [int(rng.integers(1, 3)) for _ in range(int(rng.integers(0, 3)))]
        dt = ('torch.FloatTensor', 'torch.DoubleTensor')[trial % 2]
        vals = np.abs(rng.standard_normal(shape)) * np.exp(rng.uniform(-3, 3, shape))
        if trial % 5 == 0:
            vals[..., 0] = 0  # a window of zeros: output 0, skipped by THNN
        x = torch.from_numpy(vals).type(dt)
        m = nn.FeatureLPPooling(width, stride, p, batch).type(dt)
        y = m.forward(x)
        go = torch.from_numpy(rng.standard_normal(list(y.size().tolist()))).type(dt)
        gi = m.updateGradInput(x, go).numpy()
        a = x.numpy()
        a3 = a.reshape((a.shape[0] if batch else 1, a.shape[1 if batch else 0], -1))
        y3 = y.numpy().reshape(a3.shape[0], -1, a3.shape[2])
        g3 = go.numpy().reshape(y3.shape)
        np.testing.assert_array_equal(gi.reshape(a3.shape), thnn_backward(m, a3, y3, g3))


def test_backward_rows_of_a_jacobian_check_are_the_thnn_loop():
    # nn.Jacobian's backward: one one-hot gradOutput after another on the same input (the
    # terms that do not involve gradOutput are kept while input and output are unchanged)
    rng = np.random.default_rng(2)
    for dt in ('torch.DoubleTensor', 'torch.FloatTensor'):
        x = torch.from_numpy(np.abs(rng.standard_normal((2, 7, 3))) + 0.1).type(dt)
        m = nn.FeatureLPPooling(3, 2, 2.5, True).type(dt)
        for step in range(3):
            y = m.forward(x)
            go = y.clone().zero()
            a3 = x.numpy()
            for i in range(go.nElement()):
                go.numpy().reshape(-1)[...] = 0
                go.numpy().reshape(-1)[i] = 1 + i
                gi = m.updateGradInput(x, go).numpy()
                np.testing.assert_array_equal(gi, thnn_backward(m, a3, y.numpy(), go.numpy()))
            x.numpy()[0, step, 0] += 0.25  # a changed input: new terms
