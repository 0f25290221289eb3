"""Tests of torch7py.optim: the optim_* parity cases ported by hand against their goldens, and
each algorithm against updates derived independently (closed forms on quadratics)."""
import json
import math
import os

import numpy as np
import pytest

import torch7py as torch
from torch7py import optim
from torch7py.tensor import Tensor, TorchError

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "parity", "goldens")
_golden_cache = {}


def golden(case):
    if case not in _golden_cache:
        path = os.path.join(GOLDENS, case + ".json")
        if not os.path.exists(path):
            pytest.skip("parity goldens not found")
        with open(path) as fh:
            _golden_cache[case] = json.load(fh)["results"]
    return _golden_cache[case]


# -- comparing with a golden (PROTOCOL.md's rules) ---------------------------------------------
def _num(v):
    if isinstance(v, dict) and "num" in v:
        return float(v["num"])
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


def compare(got, want, path="", errors=None):
    errors = [] if errors is None else errors
    want = _num(want)
    if isinstance(want, dict) and "tensor" in want:
        if not isinstance(got, Tensor):
            errors.append("%s: %r is not a tensor" % (path, type(got)))
            return errors
        for key, val in (("tensor", got.typename), ("size", list(got._size)),
                         ("stride", list(got._stride)), ("offset", got.storageOffset())):
            if want[key] != val and not (key == "offset" and not want["size"]):
                errors.append("%s.%s: %r != %r" % (path, key, val, want[key]))
        data = got.contiguous().numpy().reshape(-1).tolist() if got._size else []
        if len(data) != len(want["data"]):
            errors.append("%s.data: %d values != %d" % (path, len(data), len(want["data"])))
            return errors
        exact = want["tensor"] in ("torch.LongTensor", "torch.ByteTensor", "torch.IntTensor")
        for i, (a, b) in enumerate(zip(data, want["data"])):
            b = _num(b)
            ok = a == b if exact else _close(a, b, "Float" in want["tensor"])
            if not ok:
                errors.append("%s.data[%d]: %r != %r" % (path, i + 1, a, b))
        return errors
    if isinstance(want, list):
        if isinstance(got, dict):
            got = [got[k] for k in sorted(got)] if all(isinstance(k, int) for k in got) else got
        if not isinstance(got, (list, tuple)) or len(got) != len(want):
            errors.append("%s: %r != list of %d" % (path, got, len(want)))
            return errors
        for i, (a, b) in enumerate(zip(got, want)):
            compare(a, b, "%s[%d]" % (path, i + 1), errors)
        return errors
    if isinstance(want, dict):
        if not isinstance(got, dict):
            errors.append("%s: %r is not a table" % (path, type(got)))
            return errors
        keys = {str(k) for k in got}
        if keys != set(want):
            errors.append("%s: keys %s != %s" % (path, sorted(keys), sorted(want)))
        for k in want:
            if k in got:
                compare(got[k], want[k], "%s.%s" % (path, k), errors)
        return errors
    if isinstance(want, bool) or isinstance(want, str):
        if got != want:
            errors.append("%s: %r != %r" % (path, got, want))
        return errors
    if isinstance(want, (int, float)):
        if isinstance(got, bool) or not isinstance(got, (int, float)) or not _close(got, want):
            errors.append("%s: %r != %r" % (path, got, want))
        return errors
    errors.append("%s: cannot compare %r" % (path, want))
    return errors


def check(got, case, key):
    errors = compare(got, golden(case)[key], key)
    assert not errors, "\n".join(errors[:20])


# -- the cases' problem: Linear(3, 1) + MSECriterion on flattened parameters, in numpy ---------
def sfill(n, a, f, o=0.0):
    return a * np.sin(f * np.arange(1, n + 1) + o)


def problem():
    """params, feval, grads, count: the Linear(3,1)+MSE regression of the optim_* cases.
    Gradients are written into the same grads tensor every call, as getParameters' are."""
    params, grads = torch.DoubleTensor(4), torch.DoubleTensor(4)
    params.numpy()[:3] = sfill(3, 0.5, 0.7, 0.1)
    params.numpy()[3] = sfill(1, 0.3, 1.1)[0]
    X = sfill(24, 1, 0.37, 0.2).reshape(8, 3)
    Y = X @ np.array([[1.5], [-2], [0.5]]) + 0.3
    count = [0]

    def feval(x):
        if x is not params:
            params.copy(x)
        count[0] += 1
        p = params.numpy()
        out = X @ p[:3].reshape(3, 1) + p[3]
        loss = float(((out - Y) ** 2).sum() / out.size)
        gout = 2 * (out - Y) / out.size
        g = grads.numpy()
        g[:3] = (gout.T @ X).reshape(3)
        g[3] = gout.sum()
        return loss, grads

    return params, feval, grads, lambda: count[0]


def rclone(v):
    if isinstance(v, Tensor):
        return v.clone()
    if isinstance(v, dict):
        return {k: rclone(x) for k, x in v.items()}
    if isinstance(v, list):
        return [rclone(x) for x in v]
    return v


def steps(method, config, nsteps, use_state):
    params, feval, grads, count = problem()
    state = {} if use_state else None
    xs, fs = [], []
    for _ in range(nsteps):
        x, f = method(feval, params, config, state)[:2]
        xs.append(x.clone())
        fs.append(rclone(f))
    return {"x": xs, "f": fs, "state": rclone(state if use_state else config),
            "grads": grads.clone(), "nevals": count()}


# -- optim_sgd --------------------------------------------------------------------------------
SGD_CASES = {
    "sgd_plain": ({"learningRate": 0.1}, 4, True),
    "sgd_momentum": ({"learningRate": 0.05, "momentum": 0.9}, 5, True),
    "sgd_momentum_damp": ({"learningRate": 0.05, "momentum": 0.9, "dampening": 0.5}, 5, True),
    "sgd_nesterov": ({"learningRate": 0.05, "momentum": 0.8, "dampening": 0, "nesterov": True},
                     5, True),
    "sgd_weightdecay": ({"learningRate": 0.1, "weightDecay": 0.01}, 3, True),
    "sgd_lrdecay": ({"learningRate": 0.2, "learningRateDecay": 0.5}, 4, True),
    "sgd_all": ({"learningRate": 0.1, "learningRateDecay": 0.1, "weightDecay": 0.05,
                 "momentum": 0.5}, 4, True),
    "sgd_weightdecays": (lambda: {"learningRate": 0.1,
                                  "weightDecays": torch.DoubleTensor([0, 0.1, 0.2, 0.3])}, 3, True),
    "sgd_learningrates": (lambda: {"learningRate": 0.1,
                                   "learningRates": torch.DoubleTensor([1, 0.5, 0, 2])}, 3, True),
    "sgd_state_in_config": ({"learningRate": 0.1, "momentum": 0.5}, 3, False),
}


@pytest.mark.parametrize("key", sorted(SGD_CASES))
def test_parity_sgd(key):
    config, n, use_state = SGD_CASES[key]
    config = config() if callable(config) else dict(config)
    check(steps(optim.sgd, config, n, use_state), "optim_sgd", key)


def test_parity_sgd_nesterov_bad_and_same_tensor():
    p, f, _, _ = problem()
    with pytest.raises(TorchError, match="Nesterov"):
        optim.sgd(f, p, {"learningRate": 0.1, "momentum": 0.5, "nesterov": True})
    assert golden("optim_sgd")["sgd_nesterov_bad_ok"] is False
    x, _ = optim.sgd(f, p, {"learningRate": 0.1})
    assert (x is p) == golden("optim_sgd")["sgd_returns_same_tensor"]
