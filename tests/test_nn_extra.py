"""Tests of the full-nn modules (issue 7): the parity goldens of the nn_* cases ported by hand,
finite-difference Jacobians in float64, clone/type round trips and Torch7's errors."""
import json
import math
import os

import numpy as np
import pytest

import torch7py as torch
import torch7py.nn as nn

GOLDENS = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'parity', 'goldens')


# ---- the helpers every nn case defines, in Python ------------------------------------------------

def sfill(t, a, f, o=0):
    """t[i] = a * sin(f * i + o) in row-major order (i from 1)."""
    n = t.nElement()
    v = a * np.sin(f * np.arange(1, n + 1) + o)
    t.numpy()[...] = v.reshape(t.numpy().shape)
    return t


def det(a, f, o, *sizes):
    return sfill(torch.Tensor(*sizes), a, f, o)


def T(data, cls=None):
    return (cls or torch.Tensor)(data)


def rclone(x):
    if isinstance(x, torch.tensor.Tensor):
        return x.clone()
    if isinstance(x, list):
        return [rclone(v) for v in x]
    if isinstance(x, dict):
        return {k: rclone(v) for k, v in x.items()}
    return x


def mkgrad(y, seed):
    if isinstance(y, torch.tensor.Tensor):
        return sfill(y.new(*y._size) if y._size else y.new(), 0.5, 0.29 + 0.03 * seed, seed)
    return [mkgrad(v, seed + i + 1) for i, v in enumerate(y)]


def run(m, x, seed, scale=None):
    params, _ = m.parameters()
    if params:
        for k, p in enumerate(params, 1):
            sfill(p, 0.5, 0.3 + 0.17 * k + 0.05 * seed, 0.7 * k + seed)
    m.zeroGradParameters()
    y = rclone(m.forward(x))
    gi = rclone(m.backward(x, mkgrad(y, seed), scale))
    res = {'output': y, 'gradInput': gi}
    _, gp = m.parameters()
    if gp:
        res['gradParams'] = rclone(gp)
    return res


def sp(t):
    return id(t.storage())


def live(m, x, seed):
    y = m.forward(x)
    gy = mkgrad(y, seed)
    gi = m.backward(x, gy)
    return {'output': y, 'gradInput': gi, 'out_aliases_input': sp(y) == sp(x),
            'gi_aliases_gradOutput': sp(gi) == sp(gy)}


# ---- comparing with a golden (PROTOCOL.md's rules) ------------------------------------------------

def golden(case):
    with open(os.path.join(GOLDENS, case + '.json')) as f:
        return json.load(f)['results']


def _num(v):
    if isinstance(v, dict) and 'num' in v:
        return float(v['num'])
    return v


def _close(a, b, float32=False):
    a, b = float(a), float(b)
    if math.isnan(b):
        return math.isnan(a)
    if math.isinf(b):
        return a == b
    if float32:
        return abs(a - b) <= 1e-6 + 1e-5 * abs(b)
    return abs(a - b) <= 1e-12 + 1e-9 * abs(b)


def diff(got, want, path='', out=None):
    """The differences between a Python result and a golden value, by key path."""
    if out is None:
        out = []
    want = _num(want)
    if isinstance(want, dict) and 'tensor' in want:
        if not isinstance(got, torch.tensor.Tensor):
            out.append('%s: not a tensor (%r)' % (path, type(got)))
            return out
        if got.typename != want['tensor']:
            out.append('%s: type %s != %s' % (path, got.typename, want['tensor']))
        size = list(got._size)
        if size != want['size']:
            out.append('%s: size %s != %s' % (path, size, want['size']))
            return out
        if list(got._stride) != want['stride'] or got.storageOffset() != want['offset']:
            out.append('%s: geometry %s/%s != %s/%s' % (path, list(got._stride),
                                                        got.storageOffset(), want['stride'],
                                                        want['offset']))
        data = got.numpy().reshape(-1).tolist() if size else []
        f32 = 'Float' in want['tensor']
        exact = not ('Float' in want['tensor'] or 'Double' in want['tensor'])
        for i, (a, b) in enumerate(zip(data, want['data'])):
            b = _num(b)
            if (a != b) if exact else not _close(a, b, f32):
                out.append('%s.data[%d]: %r != %r' % (path, i + 1, a, b))
                if len(out) > 20:
                    return out
        return out
    if isinstance(want, dict) and 'storage' in want:
        data = list(got)
        if data != want['data']:
            out.append('%s: storage %s != %s' % (path, data, want['data']))
        return out
    if isinstance(want, dict) and 'object' in want:
        return out
    if isinstance(want, dict):
        if not isinstance(got, dict):
            out.append('%s: not a table' % path)
            return out
        for k in want:
            if k not in got:
                out.append('%s.%s: missing' % (path, k))
            else:
                diff(got[k], want[k], '%s.%s' % (path, k), out)
        for k in got:
            if k not in want:
                out.append('%s.%s: extra key' % (path, k))
        return out
    if isinstance(want, list):
        if isinstance(got, torch.storage.Storage):
            got = list(got)
        if not isinstance(got, (list, tuple)) or len(got) != len(want):
            out.append('%s: %r != %r' % (path, got, want))
            return out
        for i, (a, b) in enumerate(zip(got, want)):
            diff(a, b, '%s[%d]' % (path, i + 1), out)
        return out
    if isinstance(want, bool) or isinstance(want, str):
        if got != want:
            out.append('%s: %r != %r' % (path, got, want))
        return out
    if isinstance(want, (int, float)):
        if isinstance(got, torch.tensor.Tensor) or not isinstance(got, (int, float, np.number)) \
                or not _close(got, want):
            out.append('%s: %r != %r' % (path, got, want))
        return out
    out.append('%s: unhandled golden %r' % (path, want))
    return out


def check_case(case, results):
    """Every key computed here matches the golden."""
    want = golden(case)
    problems = []
    for k, v in results.items():
        if k not in want:
            problems.append('%s: not in the golden' % k)
        else:
            diff(v, want[k], k, problems)
    assert not problems, '\n'.join(problems[:40])


# ---- nn_activations ------------------------------------------------------------------------------

KINKS = [-3, -1, -0.5, 0, 0.5, 1, 3, 6, 7, -0.1, 0.1, 20, -20, 0.25]


def test_nn_activations():
    r = {}
    kinks = T(KINKS)
    xb = det(2.5, 0.43, 0.3, 3, 5)

    def both(name, mk):
        r[name] = run(mk(), kinks.clone(), 1)
        r[name + '_batch'] = run(mk(), xb.clone(), 2)

    both('relu6', lambda: nn.ReLU6())
    both('leakyrelu', lambda: nn.LeakyReLU(0.2))
    both('leakyrelu_default', lambda: nn.LeakyReLU())
    both('elu', lambda: nn.ELU())
    both('elu_alpha', lambda: nn.ELU(0.3))
    both('hardshrink', lambda: nn.HardShrink())
    both('hardshrink_lambda', lambda: nn.HardShrink(1))
    both('softshrink', lambda: nn.SoftShrink())
    both('softshrink_lambda', lambda: nn.SoftShrink(1))
    both('softplus', lambda: nn.SoftPlus())
    both('softplus_beta', lambda: nn.SoftPlus(2, 5))
    both('softsign', lambda: nn.SoftSign())
    r['prelu_shared'] = run(nn.PReLU(), kinks.clone(), 3)
    p = nn.PReLU(3)
    r['prelu_ch_1d'] = run(p, T([-1, 2, -3]), 4)
    r['prelu_ch_2d'] = run(p, det(2, 0.7, 0.2, 4, 3), 5)
    r['prelu_ch_3d'] = run(p, det(2, 0.7, 0.2, 2, 3, 4), 6)
    r['prelu_ch_4d'] = run(p, det(2, 0.7, 0.2, 2, 3, 2, 2), 7)
    r['prelu_default_weight'] = nn.PReLU(2).weight.clone()

    def inplace(name, m):
        x = kinks.clone()
        y = m.forward(x)
        r[name + '_output_shares_input'] = sp(y) == sp(x)
        r[name + '_input_after'] = x.clone()
        gy = mkgrad(y, 9)
        gi = m.backward(x, gy)
        r[name + '_gradInput'] = gi.clone()
        r[name + '_gradInput_shares_gradOutput'] = sp(gi) == sp(gy)

    inplace('leakyrelu_ip', nn.LeakyReLU(0.1, True))
    inplace('elu_ip', nn.ELU(1, True))
    inplace('relu6_ip', nn.ReLU6(True))
    check_case('nn_activations', r)
