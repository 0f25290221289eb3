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


# -- optim_adaptive ---------------------------------------------------------------------------
ADAPTIVE_CASES = {
    "adam_default": ("adam", {}, 4, True),
    "adam_lr": ("adam", {"learningRate": 0.05}, 5, True),
    "adam_betas": ("adam", {"learningRate": 0.1, "beta1": 0.5, "beta2": 0.9, "epsilon": 1e-4},
                   4, True),
    "adam_wd_lrd": ("adam", {"learningRate": 0.1, "weightDecay": 0.1, "learningRateDecay": 0.3},
                    4, True),
    "adagrad": ("adagrad", {"learningRate": 0.1}, 5, True),
    "adagrad_lrd_wd": ("adagrad", {"learningRate": 0.2, "learningRateDecay": 0.1,
                                   "weightDecay": 0.05}, 4, True),
    "rmsprop_default": ("rmsprop", {}, 4, True),
    "rmsprop": ("rmsprop", {"learningRate": 0.05, "alpha": 0.9, "epsilon": 1e-6}, 5, True),
    "rmsprop_wd_initmean": ("rmsprop", {"learningRate": 0.05, "weightDecay": 0.1,
                                        "initialMean": 0.5}, 4, True),
    "adadelta": ("adadelta", {}, 5, True),
    "adadelta_rho": ("adadelta", {"rho": 0.5, "eps": 1e-3, "weightDecay": 0.01}, 4, True),
    "adamax": ("adamax", {}, 4, True),
    "adamax_cfg": ("adamax", {"learningRate": 0.1, "beta1": 0.8, "beta2": 0.99,
                              "epsilon": 1e-5}, 5, True),
    "adam_state_in_config": ("adam", {"learningRate": 0.01}, 3, False),
}


@pytest.mark.parametrize("key", sorted(ADAPTIVE_CASES))
def test_parity_adaptive(key):
    name, config, n, use_state = ADAPTIVE_CASES[key]
    check(steps(getattr(optim, name), dict(config), n, use_state), "optim_adaptive", key)


# -- optim_other ------------------------------------------------------------------------------
OTHER_STEPS = {
    "nag": ("nag", {"learningRate": 0.05}, 5),
    "nag_mom": ("nag", {"learningRate": 0.05, "momentum": 0.5, "weightDecay": 0.02,
                        "learningRateDecay": 0.1}, 4),
    "rprop": ("rprop", {"stepsize": 0.05}, 5),
    "rprop_niter": ("rprop", {"stepsize": 0.1, "etaplus": 1.5, "etaminus": 0.3,
                              "stepsizemax": 0.2, "niter": 3}, 2),
}


@pytest.mark.parametrize("key", sorted(OTHER_STEPS))
def test_parity_other_steps(key):
    name, config, n = OTHER_STEPS[key]
    check(steps(getattr(optim, name), dict(config), n, True), "optim_other", key)


def test_parity_nag_zero_momentum():
    p, f, _, _ = problem()
    with pytest.raises(TorchError, match="Momentum must be positive"):
        optim.nag(f, p, {"learningRate": 0.1, "momentum": 0})
    assert golden("optim_other")["nag_zero_momentum_ok"] is False


def test_parity_lbfgs():
    p, f, g, count = problem()
    state, calls = {}, []
    for _ in range(2):
        x, fhist, nev = optim.lbfgs(f, p, {"maxIter": 4, "learningRate": 1}, state)
        calls.append({"x": x.clone(), "fhist": rclone(fhist), "nev": nev,
                      "funcEval": state["funcEval"], "nIter": state["nIter"]})
    check(calls, "optim_other", "lbfgs")
    k = len(state["old_dirs"])
    check({"Hdiag": state["Hdiag"], "t": state["t"], "d": state["d"].clone(), "nCorrections": k,
           "old_dirs": rclone(state["old_dirs"]), "old_stps": rclone(state["old_stps"]),
           "f_old": state["f_old"], "g_old": state["g_old"].clone(),
           "ro": state["ro"].narrow(1, 1, k).clone(), "al": state["al"].narrow(1, 1, k).clone()},
          "optim_other", "lbfgs_state")
    assert count() == golden("optim_other")["lbfgs_total_evals"]


def test_parity_lbfgs_wolfe_and_tolfun():
    p, f, g, count = problem()
    x, fhist, nev = optim.lbfgs(f, p, {"maxIter": 6, "lineSearch": optim.lswolfe,
                                       "nCorrection": 3})
    check({"x": x.clone(), "fhist": rclone(fhist), "nev": nev, "evals": count()},
          "optim_other", "lbfgs_wolfe")
    p2, f2, _, _ = problem()
    x2, fh2 = optim.lbfgs(f2, p2, {"maxIter": 100, "tolFun": 1e-3, "learningRate": 0.5})[:2]
    check({"x": x2.clone(), "fhist": rclone(fh2), "n": len(fh2)}, "optim_other", "lbfgs_tolfun")


def test_parity_cg():
    p, f, g, count = problem()
    state = {}
    x, fx, i = optim.cg(f, p, {"maxIter": 3}, state)
    check({"x": x.clone(), "fx": rclone(fx), "i": i, "evals": count()}, "optim_other", "cg")
    x2, fx2, i2 = optim.cg(f, p, {"maxIter": 3}, state)
    check({"x": x2.clone(), "fx": rclone(fx2), "i": i2, "evals": count()}, "optim_other",
          "cg_second")
    p3, f3, _, _ = problem()
    x3, fx3 = optim.cg(f3, p3, {"maxEval": 7, "rho": 0.05, "sig": 0.3})[:2]
    check({"x": x3.clone(), "fx": rclone(fx3)}, "optim_other", "cg_maxeval")


def test_parity_asgd():
    p, f, _, _ = problem()
    config = {"eta0": 0.1, "lambda": 0.01, "alpha": 0.75, "t0": 2}
    state, hist = {}, []
    for _ in range(5):
        x, fx, ax = optim.asgd(f, p, config, state)
        hist.append({"x": x.clone(), "fx": rclone(fx), "ax": ax.clone()})
    check(hist, "optim_other", "asgd")
    check({"eta_t": state["eta_t"], "mu_t": state["mu_t"], "t": state["t"]}, "optim_other",
          "asgd_state")
    check([config["eta0"], config["lambda"], config["alpha"], config["t0"]], "optim_other",
          "asgd_config_filled")
