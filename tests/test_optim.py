"""Tests of torch7py.optim: the optim_* parity cases ported by hand against their goldens, each
algorithm against updates derived independently (closed forms on a quadratic), ConfusionMatrix and
Logger by hand, bad input, and examples/train_convnet in Lua and Python giving the same losses."""
import math
import os
import re

import numpy as np
import pytest

import torch7py as torch
from torch7py import optim
from torch7py.tensor import Tensor, TorchError

from golden import assert_golden, golden


def check(got, case, key):
    assert_golden(got, golden(case)[key], key)


# -- the cases' problem: Linear(3, 1) + MSECriterion on flattened parameters, as in the cases -
# (through torch7py.nn, so that the arithmetic is Torch7's: cg's line search on this quadratic
# cancels to rounding noise, and its path depends on the last bits of every gradient)
def sfill(n, a, f, o=0.0):
    # Lua's math.sin: libm's, as Python's math.sin (numpy's sin may be its own SIMD code)
    return np.array([a * math.sin(f * i + o) for i in range(1, n + 1)])


def problem():
    """params, feval, grads, count: the Linear(3,1)+MSE regression of the optim_* cases.
    Gradients are written into the same grads tensor every call, as getParameters' are."""
    from torch7py import nn
    model = nn.Linear(3, 1)
    model.weight.numpy()[...] = sfill(3, 0.5, 0.7, 0.1).reshape(1, 3)
    model.bias.numpy()[...] = sfill(1, 0.3, 1.1)
    params, grads = model.getParameters()
    X = torch.Tensor(8, 3)
    X.numpy()[...] = sfill(24, 1, 0.37, 0.2).reshape(8, 3)
    Y = torch.mm(X, torch.Tensor([[1.5], [-2], [0.5]])).add(0.3)
    crit = nn.MSECriterion()
    count = [0]

    def feval(x):
        if x is not params:
            params.copy(x)
        count[0] += 1
        grads.zero()
        out = model.forward(X)
        loss = crit.forward(out, Y)
        model.backward(X, crit.backward(out, Y))
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


# -- independently derived updates on a quadratic ---------------------------------------------
# f(x) = 0.5 * sum(a * x^2) + b . x, gradient a * x + b, minimum at -b / a
QA = np.array([1.0, 2.0, 0.5, 4.0, 3.0])
QB = np.array([0.5, -1.0, 0.25, 2.0, -0.3])
X0 = np.array([1.0, -2.0, 3.0, 0.5, -1.5])


def quad(x0=X0, a=QA, b=QB):
    x = torch.DoubleTensor(list(x0))
    grads = torch.DoubleTensor(len(x0))
    calls = []

    def feval(xx):
        v = xx.numpy()
        calls.append(v.copy())
        grads.numpy()[...] = a * v + b
        return float(0.5 * (a * v * v).sum() + (b * v).sum()), grads

    return x, feval, calls


def grad(v):
    return QA * v + QB


def fval(v):
    return 0.5 * (QA * v * v).sum() + (QB * v).sum()


def test_sgd_plain_lrdecay_and_returns():
    x, f, _ = quad()
    state = {}
    x1, fs = optim.sgd(f, x, {"learningRate": 0.1, "learningRateDecay": 0.5}, state)
    assert x1 is x and fs == [pytest.approx(fval(X0))]
    e1 = X0 - 0.1 * grad(X0)
    np.testing.assert_allclose(x.numpy(), e1, rtol=1e-15)
    optim.sgd(f, x, {"learningRate": 0.1, "learningRateDecay": 0.5}, state)
    np.testing.assert_allclose(x.numpy(), e1 - 0.1 / 1.5 * grad(e1), rtol=1e-14)
    assert state == {"evalCounter": 2}


def test_sgd_momentum_dampening_nesterov():
    lr, mom, damp = 0.1, 0.9, 0.3
    x, f, _ = quad()
    state = {}
    for _ in range(3):
        optim.sgd(f, x, {"learningRate": lr, "momentum": mom, "dampening": damp}, state)
    v, e = grad(X0), X0 - lr * grad(X0)
    for _ in range(2):
        v = mom * v + (1 - damp) * grad(e)
        e = e - lr * v
    np.testing.assert_allclose(x.numpy(), e, rtol=1e-14)
    np.testing.assert_allclose(state["dfdx"].numpy(), v, rtol=1e-14)

    x, f, _ = quad()
    cfg = {"learningRate": lr, "momentum": mom, "dampening": 0, "nesterov": True}
    optim.sgd(f, x, cfg)
    optim.sgd(f, x, cfg)
    v = grad(X0)
    e = X0 - lr * (grad(X0) + mom * v)
    g = grad(e)
    v = mom * v + g
    np.testing.assert_allclose(x.numpy(), e - lr * (g + mom * v), rtol=1e-14)
    assert cfg["evalCounter"] == 2 and "dfdx" in cfg  # the state lives in config


def test_sgd_weight_decay_goes_into_the_gradient_and_per_parameter_rates():
    x, f, _ = quad()
    wds = torch.DoubleTensor([0, 0.1, 0.2, 0.3, 0.4])
    lrs = torch.DoubleTensor([1, 0.5, 0, 2, 1])
    _, grads, _ = None, None, None
    optim.sgd(f, x, {"learningRate": 0.1, "weightDecays": wds, "learningRates": lrs})
    g = grad(X0) + wds.numpy() * X0
    np.testing.assert_allclose(x.numpy(), X0 - 0.1 * lrs.numpy() * g, rtol=1e-15)
    x, f, _ = quad()
    res = f(x)[1]
    optim.sgd(f, x, {"learningRate": 0.1, "weightDecay": 0.05})
    np.testing.assert_allclose(res.numpy(), grad(X0) + 0.05 * X0, rtol=1e-15)


def test_adam_first_steps_closed_form():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    x, f, _ = quad()
    state = {}
    optim.adam(f, x, {"learningRate": lr}, state)
    g = grad(X0)
    m, v = (1 - b1) * g, (1 - b2) * g * g
    e = X0 - lr * math.sqrt(1 - b2) / (1 - b1) * m / (np.sqrt(v) + eps)
    np.testing.assert_allclose(x.numpy(), e, rtol=1e-14)
    np.testing.assert_allclose(x.numpy(), X0 - lr * np.sign(g), rtol=1e-6)  # |step| = lr
    optim.adam(f, x, {"learningRate": lr}, state)
    g = grad(e)
    m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
    e = e - lr * math.sqrt(1 - b2 ** 2) / (1 - b1 ** 2) * m / (np.sqrt(v) + eps)
    np.testing.assert_allclose(x.numpy(), e, rtol=1e-14)
    assert state["t"] == 2 and sorted(state) == ["denom", "m", "t", "v"]


def test_adagrad_rmsprop_adadelta_adamax_first_step():
    g = grad(X0)
    x, f, _ = quad()
    optim.adagrad(f, x, {"learningRate": 0.1}, {})
    np.testing.assert_allclose(x.numpy(), X0 - 0.1 * g / (np.abs(g) + 1e-10), rtol=1e-14)

    x, f, _ = quad()
    optim.rmsprop(f, x, {"learningRate": 0.1, "alpha": 0.9}, {})
    np.testing.assert_allclose(x.numpy(), X0 - 0.1 * g / (np.sqrt(0.1 * g * g) + 1e-8),
                               rtol=1e-14)

    x, f, _ = quad()
    st = {}
    optim.adadelta(f, x, {"rho": 0.9, "eps": 1e-6}, st)
    delta = math.sqrt(1e-6) / np.sqrt(0.1 * g * g + 1e-6) * g
    np.testing.assert_allclose(x.numpy(), X0 - delta, rtol=1e-14)
    np.testing.assert_allclose(st["accDelta"].numpy(), 0.1 * delta * delta, rtol=1e-14)

    x, f, _ = quad()
    st = {}
    optim.adamax(f, x, {"learningRate": 0.1, "beta1": 0.9}, st)
    np.testing.assert_allclose(x.numpy(), X0 - 0.1 * g / (np.abs(g) + 1e-38), rtol=1e-14)
    assert st["u"].size().totable() == [1, 5]


def test_nag_looks_ahead_along_the_momentum():
    lr, mom = 0.1, 0.5
    x, f, calls = quad()
    st = {}
    optim.nag(f, x, {"learningRate": lr, "momentum": mom}, st)
    optim.nag(f, x, {"learningRate": lr, "momentum": mom}, st)
    v = -lr * grad(X0)
    e = X0 + v
    look = e + mom * v
    np.testing.assert_allclose(calls[1], look, rtol=1e-15)
    v2 = mom * v - lr * grad(look)
    np.testing.assert_allclose(x.numpy(), look - lr * grad(look), rtol=1e-14)
    np.testing.assert_allclose(st["dfdx"].numpy(), v2, rtol=1e-14)


def test_rprop_steps_and_sign_changes():
    x, f, _ = quad()
    st = {}
    optim.rprop(f, x, {"stepsize": 0.5, "etaplus": 2, "etaminus": 0.25}, st)
    g0 = grad(X0)
    e = X0 - 0.5 * np.sign(g0)
    np.testing.assert_allclose(x.numpy(), e)
    optim.rprop(f, x, {"stepsize": 0.5, "etaplus": 2, "etaminus": 0.25}, st)
    g1 = grad(e)
    flip = np.sign(g0 * g1)
    step = 0.5 * np.where(flip > 0, 2, np.where(flip < 0, 0.25, 1))
    g1[flip < 0] = 0
    np.testing.assert_allclose(x.numpy(), e - np.sign(g1) * step)
    np.testing.assert_array_equal(st["nsign"].numpy(), (flip < 0).astype(np.uint8))


def test_asgd_averaging():
    x, f, _ = quad()
    cfg, st = {"eta0": 0.1, "lambda": 0.01, "t0": 1}, {}
    e, ax, eta, mu = X0.copy(), None, 0.1, 1.0
    for t in range(1, 5):
        _, _, got_ax = optim.asgd(f, x, cfg, st)
        g = grad(e)
        e = e * (1 - 0.01 * eta) - eta * g
        ax = e.copy() if mu == 1 else ax + mu * (e - ax)
        eta = 0.1 / (1 + 0.01 * 0.1 * t) ** 0.75
        mu = 1 / max(1, t - 1)
        np.testing.assert_allclose(x.numpy(), e, rtol=1e-14)
        np.testing.assert_allclose(got_ax.numpy(), ax, rtol=1e-14)
    assert cfg["alpha"] == 0.75 and st["t"] == 4


def test_lbfgs_and_cg_find_the_minimum_of_a_quadratic():
    xmin = -QB / QA
    x, f, _ = quad()
    _, fh, _ = optim.lbfgs(f, x, {"maxIter": 50, "lineSearch": optim.lswolfe,
                                  "tolFun": 1e-12, "tolX": 1e-14})
    np.testing.assert_allclose(x.numpy(), xmin, atol=1e-8)
    assert fh[0] == pytest.approx(fval(X0)) and fh[-1] == pytest.approx(fval(xmin))
    x, f, _ = quad()
    optim.lbfgs(f, x, {"maxIter": 200, "learningRate": 0.5})
    np.testing.assert_allclose(x.numpy(), xmin, atol=1e-4)
    x, f, _ = quad()
    _, fh, n = optim.cg(f, x, {"maxIter": 20, "maxEval": 100})
    np.testing.assert_allclose(x.numpy(), xmin, atol=1e-6)
    assert n <= 100 and fh[-1] <= fh[0]


def test_lbfgs_first_iteration_is_a_scaled_gradient_step():
    x, f, calls = quad()
    optim.lbfgs(f, x, {"maxIter": 1, "learningRate": 0.3})
    g = grad(X0)
    t = min(1, 1 / np.abs(g).sum()) * 0.3
    np.testing.assert_allclose(x.numpy(), X0 - t * g, rtol=1e-15)
    assert len(calls) == 1  # the last iteration does not re-evaluate


def test_lswolfe_returns_a_point_meeting_the_wolfe_conditions():
    x, f, _ = quad()
    fx, g = f(x)
    g = g.clone()
    d = torch.DoubleTensor(list(-grad(X0)))
    gtd = float(g.numpy() @ d.numpy())
    f_new, g_new, x_new, t, nev = optim.lswolfe(f, x, 1.0, d, fx, g, gtd)
    assert x_new is x
    np.testing.assert_allclose(x.numpy(), X0 + t * d.numpy(), rtol=1e-15)
    assert f_new == pytest.approx(fval(X0 + t * d.numpy()), rel=1e-14)
    assert f_new <= fx + 1e-4 * t * gtd
    assert abs(float(g_new.numpy() @ d.numpy())) <= -0.9 * gtd
    np.testing.assert_allclose(g_new.numpy(), grad(X0 + t * d.numpy()), rtol=1e-14)


def test_polyinterp_exact_on_a_cubic_and_bounded():
    # f(x) = (x - 1)^2: the interpolating cubic is the parabola, minimum at 1
    pts = torch.DoubleTensor([[0, 1, -2], [3, 4, 4]])
    assert optim.polyinterp(pts) == pytest.approx(1.0, abs=1e-14)
    pos, fmin = optim.polyinterp(pts, -1.0, 5.0)
    assert pos == pytest.approx(1.0, abs=1e-9) and fmin == pytest.approx(0.0, abs=1e-9)
    pos, fmin = optim.polyinterp(pts, 2.0, 5.0)  # minimum outside: the bound wins
    assert pos == 2.0 and fmin == pytest.approx(1.0, abs=1e-9)
    # f(x) = x^3 - 3x: local minimum at 1 inside [0, 2]
    pts = [[0, 0, -3], [2, 2, 9]]
    pos, fmin = optim.polyinterp(pts, 0.0, 2.0)
    assert pos == pytest.approx(1.0, abs=1e-9) and fmin == pytest.approx(-2.0, abs=1e-9)


def test_fista_solves_a_lasso_problem():
    c = np.array([3.0, -0.2, 0.5, -2.0])
    lam = 0.7

    def f(x, mode=None):
        v = x.numpy()
        fx = 0.5 * float(((v - c) ** 2).sum())
        if mode == "dx":
            return fx, torch.DoubleTensor(list(v - c))
        return fx

    def g(x):
        return lam * float(np.abs(x.numpy()).sum())

    def pl(x, L):
        v = x.numpy()
        v[...] = np.sign(v) * np.maximum(np.abs(v) - lam / L, 0)

    for fista_update in (True, False):
        xinit = torch.DoubleTensor(4).zero()
        params = {"L": 0.5, "maxiter": 200, "errthres": 1e-12, "doFistaUpdate": fista_update}
        x, hist = optim.FistaLS(f, g, pl, xinit, params)
        np.testing.assert_allclose(x.numpy(), np.sign(c) * np.maximum(np.abs(c) - lam, 0),
                                   atol=1e-5)
        np.testing.assert_allclose(xinit.numpy(), x.numpy())
        assert hist[-1]["F"] <= hist[0]["F"] and params["L"] >= 0.5


def test_checkgrad():
    x, f, _ = quad()
    diff, dC, dC_est = optim.checkgrad(f, x)
    assert diff < 1e-7
    np.testing.assert_allclose(dC_est.numpy(), grad(X0), rtol=1e-6)
    np.testing.assert_allclose(x.numpy(), X0)

    def wrong(xx):
        return f(xx)[0], torch.DoubleTensor(list(2 * grad(xx.numpy())))

    assert optim.checkgrad(wrong, x)[0] == pytest.approx(1 / 3, rel=1e-5)


def test_cmaes_minimises_a_sphere():
    torch.manualSeed(1)
    x = torch.DoubleTensor([1.5, -2.0, 0.5])

    def f(v):
        return float(((v.numpy() - 0.25) ** 2).sum())

    # verb_disp 0: without one cmaes.lua's disp fails on its nil (test_reflib16: Torch7 does)
    best, fh, nev = optim.cmaes(f, x, {"sigma": 0.5, "maxEval": 2000, "verb_disp": 0})
    np.testing.assert_allclose(best.numpy(), 0.25, atol=1e-3)
    assert fh[0] == pytest.approx(f(x)) and fh[-1] < 1e-6 and nev <= 2000 + 7
    np.testing.assert_allclose(x.numpy(), [1.5, -2.0, 0.5])  # x itself is not touched


def test_cmaes_first_generation_samples_the_mean_plus_sigma_times_normal_draws():
    # before any adaptation B = D = I: candidate k is x + sigma * (the k-th randn(n) draw)
    n, sigma = 3, 0.5
    lam = 4 + math.floor(3 * math.log(n))
    torch.manualSeed(5)
    z = [torch.randn(n).numpy().copy() for _ in range(lam)]
    x0 = np.array([1.5, -2.0, 0.5])
    calls = []

    def f(v):
        calls.append(v.numpy().copy())
        return float(((v.numpy() - 0.25) ** 2).sum())

    torch.manualSeed(5)
    best, fh, nev = optim.cmaes(f, torch.DoubleTensor(list(x0)),
                                {"sigma": sigma, "maxEval": lam, "verb_disp": 0})
    assert len(calls) == 1 + lam and nev == lam
    np.testing.assert_array_equal(calls[0], x0)
    expect = [x0 + sigma * zk for zk in z]
    np.testing.assert_allclose(calls[1:], expect, rtol=1e-15)
    fs = [float(((e - 0.25) ** 2).sum()) for e in expect]
    np.testing.assert_allclose(best.numpy(), expect[int(np.argmin(fs))], rtol=1e-15)
    assert fh[1] == pytest.approx(min(fs), rel=1e-15)


def test_de_first_generation_and_first_child_follow_de_lua():
    # de.lua: a Generator seeded with 1 draws the population uniformly in [minRegion, maxRegion];
    # child i takes best + F * (pop[r1] - pop[r2]) where a uniform draw < CR or i == jrand
    popsize, dim, F, CR = 5, 3, 0.5, 0.6
    gen = torch.Generator()
    torch.manualSeed(gen, 1)
    pop = torch.DoubleTensor(popsize, dim).uniform(gen, -2, 2).numpy().copy()
    calls = []

    def f(v):
        calls.append(v.numpy().copy())
        return float((v.numpy() ** 2).sum())

    best, fx = optim.de(f, torch.DoubleTensor(dim), {"popsize": popsize, "scaleFactor": F,
                                                      "crossoverRate": CR, "maxFEs": 2 * popsize,
                                                      "minRegion": -2, "maxRegion": 2})
    np.testing.assert_array_equal(calls[:popsize], pop)
    fit = (pop ** 2).sum(1)
    np.testing.assert_array_equal(fx.numpy()[:popsize], fit)
    start = pop[int(np.argmax(fit))]           # de.lua starts from fitness:max()
    r1 = torch.random(gen, 1, popsize)
    while r1 == 1:
        r1 = torch.random(gen, 1, popsize)
    r2 = torch.random(gen, 1, popsize)
    while r2 in (r1, 1):
        r2 = torch.random(gen, 1, popsize)
    jrand = torch.random(gen, 1, dim)
    child = [start[j] + F * (pop[r1 - 1][j] - pop[r2 - 1][j])
             if torch.uniform(gen, 0, 1) < CR or jrand == 1 else pop[0][j] for j in range(dim)]
    np.testing.assert_allclose(calls[popsize], child, rtol=1e-15)
    assert len(calls) == 2 * popsize and fx.nElement() == 2 * popsize


def test_de_minimises_a_sphere_and_is_seeded():
    def f(v):
        return float((v.numpy() ** 2).sum())

    cfg = {"popsize": 20, "scaleFactor": 0.5, "crossoverRate": 0.9, "maxFEs": 2000,
           "minRegion": -5, "maxRegion": 5}
    best, fx = optim.de(f, torch.DoubleTensor(2).zero(), dict(cfg))
    assert f(best) < 1e-6 and fx.nElement() == 2000
    best2, fx2 = optim.de(f, torch.DoubleTensor(2).zero(), dict(cfg))
    np.testing.assert_array_equal(fx.numpy(), fx2.numpy())  # its own generator, seeded with 1
    # de.lua's x.new(maxFEs) of a nil maxFEs: the original Torch7 prints this (test_reflib16)
    with pytest.raises(TorchError, match=r"^bad argument #1 to 'new' \(expecting number or "
                       r"torch.DoubleTensor or torch.DoubleStorage\)$"):
        optim.de(f, torch.DoubleTensor(2), {"scaleFactor": 0.5, "crossoverRate": 0.9})


# -- bad input --------------------------------------------------------------------------------
def test_bad_feval_results_and_config_fields():
    # the texts the original Torch7 (optim a5ceed7, /tmp/ref7's th) gave for these calls made
    # from Lua (its C messages without their ` at file.c:line`; the Lua files' `path:line: `
    # prefix is the Lua layer's to add): each fails where optim's Lua first trips on the value
    x, f, _ = quad()
    size5_3 = ("inconsistent tensor size, expected r_ [5], t [5] and src [3] to have the same "
               "number of elements, but got 5, 5 and 3 elements respectively")
    with pytest.raises(TorchError, match=re.escape(size5_3)):
        optim.sgd(lambda v: (1.0, torch.DoubleTensor(3)), x.clone())
    with pytest.raises(TorchError, match=r"^attempt to index local 'dfdx' \(a nil value\)$"):
        optim.adam(lambda v: 1.0, x.clone())
    # lbfgs computes with f(x); the first-order methods only hand it back (sgd.lua's {fx})
    with pytest.raises(TorchError, match=r"^attempt to perform arithmetic on local 'f' "
                                         r"\(a string value\)$"):
        optim.lbfgs(lambda v: ("a", torch.DoubleTensor(5).fill(1)), x.clone())
    assert optim.rmsprop(lambda v: ("a", torch.DoubleTensor(5).zero()), x.clone())[1] == ["a"]
    # (a nil df/dx in adagrad: resizeAs's argument error, test_reflib16 from Lua)
    with pytest.raises(TorchError, match=r"^attempt to perform arithmetic on local 'lr' "
                                         r"\(a string value\)$"):
        optim.sgd(f, x.clone(), {"learningRate": "fast"})
    copy5_3 = ("inconsistent tensor size, expected tensor [5] and src [3] to have the same "
               "number of elements, but got 5 and 3 elements respectively")
    for name, key in (("sgd", "learningRates"), ("sgd", "weightDecays"),
                      ("nag", "learningRates")):
        with pytest.raises(TorchError, match=re.escape(copy5_3)):
            getattr(optim, name)(f, x.clone(), {key: torch.DoubleTensor(3).fill(1)})
    with pytest.raises(TorchError, match=r"^attempt to index local 'config' "
                                         r"\(a number value\)$"):
        optim.adam(f, x.clone(), 0.1)
    with pytest.raises(TorchError, match=r"^attempt to index local 'state' "
                                         r"\(a string value\)$"):
        optim.lbfgs(f, x.clone(), {}, "state")
    with pytest.raises(TorchError, match=r"^Momentum must be positive for Nesterov"):
        optim.nag(f, x.clone(), {"momentum": -1})
    with pytest.raises(TorchError, match=r"^attempt to compare number with string$"):
        optim.nag(f, x.clone(), {"momentum": "1"})
    with pytest.raises(TorchError, match=r"^attempt to perform arithmetic on field 'lambda' "
                                         r"\(a string value\)$"):
        optim.asgd(f, x.clone(), {"lambda": "x"})
    with pytest.raises(TorchError, match=r"^attempt to perform arithmetic on local 'rho' "
                                         r"\(a string value\)$"):
        optim.cg(f, x.clone(), {"rho": "a"})
    # Lua coerces numeric strings, and NaN losses go through as Torch7 lets them
    optim.sgd(f, x, {"learningRate": "0.1"})
    _, fs = optim.sgd(lambda v: (float("nan"), torch.DoubleTensor(5).zero()), x)
    assert math.isnan(fs[0])
    # cg's line search with a NaN slope would loop forever in Torch7 (maxEval = 5 * 1.25 is
    # fractional, so m == 0 never ends it): an error instead
    with pytest.raises(TorchError, match="NaN"):
        optim.cg(lambda v: (float("nan"), v.clone().fill(float("nan"))), x, {"maxIter": 5})


def test_float_tensors_stay_float():
    x = torch.FloatTensor([1, 2, 3])
    g = torch.FloatTensor([0.5, -0.5, 1])
    for name in ("sgd", "adam", "adagrad", "rmsprop", "adadelta", "adamax", "nag", "rprop"):
        st = {}
        getattr(optim, name)(lambda v: (1.0, g), x, {"learningRate": 0.1}, st)
        assert x.typename == "torch.FloatTensor"
        for v in st.values():
            if isinstance(v, Tensor) and v.typename not in ("torch.ByteTensor",):
                assert v.typename == "torch.FloatTensor", (name, v.typename)


# -- ConfusionMatrix --------------------------------------------------------------------------
def _f32(v):
    return float(np.float32(v))


def test_confusion_matrix_counts_and_text():
    cm = optim.ConfusionMatrix(["a", "b", "c"])
    # rows are targets, columns predictions: [[2,1,0],[0,3,1],[1,0,0]]
    for p, t in [(1, 1), (1, 1), (2, 1), (2, 2), (2, 2), (2, 2), (3, 2), (1, 3)]:
        cm.add(p, t)
    cm.add(3, 0)  # a missing target is ignored
    assert cm.mat.numpy().tolist() == [[2, 1, 0], [0, 3, 1], [1, 0, 0]]
    cm.updateValids()
    v = [_f32(2 / 3), 0.75, 0.0]
    u = [0.5, _f32(3 / 5), 0.0]
    np.testing.assert_array_equal(cm.valids.numpy(), np.float32(v))
    assert cm.totalValid == 5 / 8
    assert cm.averageValid == (v[0] + v[1] + v[2]) / 3
    assert cm.averageUnionValid == (u[0] + u[1] + u[2]) / 3
    want = ("ConfusionMatrix:\n"
            "[[       2       1       0]   66.667% \t[class: a]\n"
            " [       0       3       1]   75.000% \t[class: b]\n"
            " [       1       0       0]]  0.000% \t[class: c]\n"
            " + average row correct: " + "%.14g" % (cm.averageValid * 100) + "% \n"
            " + average rowUcol correct (VOC measure): "
            + "%.14g" % (cm.averageUnionValid * 100) + "% \n"
            " + global correct: 62.5%")
    assert str(cm) == want
    assert "47.222222884496" in want and "36.666667461395" in want


def test_confusion_matrix_batch_and_vectors():
    cm = optim.ConfusionMatrix(4)
    scores = torch.DoubleTensor([[0.1, 0.7, 0.1, 0.1], [0.9, 0, 0, 0.1], [0, 0, 0.2, 0.8]])
    cm.batchAdd(scores, torch.DoubleTensor([2, 3, 4]))
    onehot = torch.DoubleTensor([[0, 0, 1, 0], [1, 0, 0, 0]])
    cm.batchAdd(torch.LongTensor([3, 2]), onehot)
    cm.add(torch.DoubleTensor([0.2, 0.1, 0.6, 0.1]), 1)
    cm.add(torch.DoubleTensor([0.2, 0.1, 0.6, 0.1]), torch.DoubleTensor([0, 0, 0, 1]))
    want = np.zeros((4, 4), np.int64)
    for t, p in [(2, 2), (3, 1), (4, 4), (3, 3), (1, 2), (1, 3), (4, 3)]:
        want[t - 1, p - 1] += 1
    np.testing.assert_array_equal(cm.mat.numpy(), want)
    text = str(cm)
    assert text.splitlines()[1] == "[[       0       1       1       0]   0.000% "
    assert text.endswith(" + global correct: %s%%" % ("%.14g" % (3 / 7 * 100)))
    cm.zero()
    assert cm.mat.numpy().sum() == 0 and cm.totalValid == 0
    with pytest.raises(TorchError, match="out of range"):
        cm.add(5, 1)


def test_confusion_matrix_absent_class_prints_nan_like_torch7():
    cm = optim.ConfusionMatrix(2)
    cm.add(1, 1)
    lines = str(cm).splitlines()
    assert lines[1] == "[[       1       0]   100.000% "
    # 0/0 is x86's negative NaN, but LuaJIT's string.format writes a NaN without its sign
    # (../shared/parity/scripts/print_confusion.out)
    assert lines[2] == " [       0       0]]  nan% "
    assert lines[3] == " + average row correct: 100% "


# -- Logger -----------------------------------------------------------------------------------
def test_logger_file_format(tmp_path, capsys):
    path = str(tmp_path / "sub" / "train.log")
    log = optim.Logger(path)
    log.add({"training error": 0.5, "test error": 12.25})
    log.add({"training error": 1e-3, "test error": -3})
    with open(path) as fh:
        assert fh.read() == ("training error\ttest error\t\n"
                             " 5.0000e-01\t 1.2250e+01\t\n"
                             " 1.0000e-03\t-3.0000e+00\t\n")
    log2 = optim.Logger(str(tmp_path / "b.log")).setNames(["loss", "acc"])
    log2.add([2.5, "n/a"])
    with open(str(tmp_path / "b.log")) as fh:
        assert fh.read() == "loss\tacc\t\n 2.5000e+00\tn/a\t\n"
    assert log2.symbols == {1: [2.5], 2: ["n/a"]}
    with pytest.raises(TypeError, match="numbers and strings"):
        log.add({"training error": [1]})
    log.style({"training error": "-", "test error": ["+", "-"]})
    assert log.styles["test error"] == ["+", "-"]
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert log.plot() is None
        assert "matplotlib is not installed" in capsys.readouterr().err  # never stdout
    else:
        assert log.plot() == path + ".png" and os.path.exists(path + ".png")


# -- examples/train_convnet: the Lua script under th and its Python twin ----------------------
def test_train_convnet_lua_and_python_twin_agree(capsys):
    pytest.importorskip("lupa")
    import re
    import subprocess
    import sys
    root = os.path.join(os.path.dirname(__file__), "..")
    lua = subprocess.run([sys.executable, "-m", "compat.th",
                          os.path.join(root, "examples", "train_convnet.lua"), "2"],
                         cwd=root, capture_output=True, text=True, timeout=120)
    assert lua.returncode == 0, lua.stderr
    sys.path.insert(0, os.path.join(root, "examples"))
    try:
        import train_convnet
    finally:
        sys.path.pop(0)
    losses = train_convnet.main(2)
    py_out = capsys.readouterr().out

    def report(text):  # everything but the progress bars; th's print ends values with a tab
        return [ln.rstrip("\t") for ln in re.split(r"[\r\n]", text)
                if ln and not ln.startswith(" [")]

    lua_losses = [float(v) for v in re.findall(r"epoch \d+: loss = (\S+)", lua.stdout)]
    assert len(lua_losses) == 2
    np.testing.assert_allclose(lua_losses, losses, rtol=1e-9, atol=0)
    assert report(lua.stdout) == report(py_out)
    assert losses[1] < losses[0] < math.log(10) + 0.1


def test_logger_plot_draws_a_png_with_matplotlib(tmp_path, monkeypatch):
    """The matplotlib path, with a recording stand-in for matplotlib (not a test dependency)."""
    import sys
    import types
    calls = []

    class Ax:
        def __getattr__(self, name):
            return lambda *a, **k: calls.append((name, a, k))

    class Fig:
        def savefig(self, path):
            calls.append(("savefig", (path,), {}))
            open(path, "wb").close()

    mpl = types.ModuleType("matplotlib")
    mpl.use = lambda backend: None
    plt = types.ModuleType("matplotlib.pyplot")
    plt.subplots = lambda: (Fig(), Ax())
    plt.close = lambda fig: None
    mpl.pyplot = plt
    monkeypatch.setitem(sys.modules, "matplotlib", mpl)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", plt)
    path = str(tmp_path / "p.log")
    log = optim.Logger(path)
    for v in (3.0, 2.0, 1.5):
        log.add({"loss": v, "one": 1.0 if v == 3.0 else "x"})
    log.style({"loss": "+-"})
    log.setlogscale(True)
    assert log.plot("loss") == path + ".png" and os.path.exists(path + ".png")
    plotted = [c for c in calls if c[0] == "plot"]
    assert len(plotted) == 1 and list(plotted[0][1][1]) == [3.0, 2.0, 1.5]
    assert plotted[0][2]["linestyle"] == "-" and plotted[0][2]["marker"] == "+"
    assert ("set_yscale", ("log",), {}) in calls


def test_non_contiguous_parameters_are_updated_in_place():
    base = torch.DoubleTensor(3, 4).zero()
    x = base.t()  # a 4x3 view with strides (1, 4)
    g = torch.DoubleTensor(4, 3).fill(2.0)
    for name in ("sgd", "adam", "rmsprop", "adagrad", "nag"):
        base.zero()
        getattr(optim, name)(lambda v: (0.0, g), x, {"learningRate": 0.1}, {})
        assert (base.numpy() < 0).all(), name  # every element moved against the gradient


# -- from Lua: the caller's config/state tables are updated in place ---------------------------
def test_lua_tables_passed_as_config_and_state_are_updated_in_place():
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    # the state fields each algorithm of optim a5ceed7 keeps (from its sources)
    fields = {"sgd": "evalCounter dfdx", "nag": "evalCounter dfdx", "adam": "t m v denom",
              "adamax": "t m u max", "adagrad": "evalCounter paramVariance paramStd",
              "rmsprop": "m tmp", "adadelta": "evalCounter paramVariance paramStd delta accDelta",
              "rprop": "delta stepsize sign psign nsign zsign dminmax",
              "asgd": "t eta_t mu_t ax tmp",
              "lbfgs": "funcEval nIter d t old_dirs old_stps Hdiag g_old f_old"}
    for name, keys in fields.items():
        r = rt.execute("""
            require 'optim'
            local x = torch.Tensor({1, -2, 3})
            local x0 = x
            local function feval(p) return 0.5 * p:dot(p), p:clone() end
            local config, state = {learningRate = 0.1, momentum = 0.5}, {}
            optim.%s(feval, x, config, state)
            optim.%s(feval, x, config, state)
            local missing = {}
            for k in string.gmatch('%s', '%%S+') do
               if state[k] == nil then missing[#missing + 1] = k end
            end
            return table.concat(missing, ' '), rawequal(x, x0), config.evalCounter == nil,
                   x[1] < 1""" % (name, name, keys))
        assert r == ("", True, True, True), name
    # with no state table the state lives in config (sgd), and asgd writes its defaults there
    r = rt.execute("""
        local x = torch.Tensor({1, 2})
        local function feval(p) return p:dot(p), p * 2 end
        local config = {learningRate = 0.1}
        optim.sgd(feval, x, config)
        local c2 = {}
        optim.asgd(feval, x, c2, {})
        return config.evalCounter, c2.eta0, c2.lambda, c2.alpha, c2.t0""")
    assert r == (1, 1e-4, 1e-4, 0.75, 1e6)
