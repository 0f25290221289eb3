"""optim where the differential checker (tools/diff_torch.py, optim's own Lua files run on our
tensors) found us apart: expectations read off optim's Lua code."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import optim
from torch7py.storage import TorchError


def test_polyinterp_works_in_the_points_type():
    # cp = torch.cat(points.new{xminBound, xmaxBound}, ...): a bound that wins is the bound
    # rounded to the points' type. f(x) = (x + 1)^2 sampled at 0 and 3, minimum left of 0.1.
    pts = [[0, 1, 2], [3, 16, 8]]
    pos, fmin = optim.polyinterp(torch.DoubleTensor(pts), 0.1, 5)
    assert pos == 0.1 and fmin == pytest.approx(1.21, abs=1e-9)
    pos, fmin = optim.polyinterp(torch.FloatTensor(pts), 0.1, 5)
    assert pos == float(np.float32(0.1)) and pos != 0.1


def test_polyinterp_with_nan_derivatives_fails_as_the_lua_does():
    # with nan/inf critical-point coefficients the Lua leaves cp 1-D, and cp[{{i,i},{}}] fails
    pts = torch.DoubleTensor([[0, 1, float("nan")], [1, 2, 3]])
    with pytest.raises(TorchError, match="too many indices provided"):
        optim.polyinterp(pts, 0, 1)


def test_lswolfe_keeps_its_bracket_in_x_type():
    # bracketFval = x.new{...}: with a FloatTensor x the returned f is rounded to float, and
    # the returned gradient is a row of bracketGval = x.new(...), a FloatTensor
    def opfunc(x):
        v = x.numpy().astype(np.float64)
        fx = float(((v - 0.3) ** 2).sum()) + 0.1
        return fx, torch.FloatTensor(list(2 * (v - 0.3)))

    x = torch.FloatTensor([1.0, -2.0])
    fx, g = opfunc(x)
    d = g.clone().mul(-1)
    f_new, g_new, x_out, t, evals = optim.lswolfe(opfunc, x, 1, d, fx, g, g.dot(d))
    assert type(g_new) is torch.FloatTensor
    f_exact = opfunc(x_out)[0]
    assert f_new == float(np.float32(f_exact)) and f_new != f_exact


def test_sgd_nesterov_assert_message_is_the_lua_one():
    def opfunc(x):
        return 0.0, x.clone()

    with pytest.raises(TorchError, match="^Nesterov momentum requires a momentum and zero "
                                         "dampening$"):
        optim.sgd(opfunc, torch.DoubleTensor([1.0]), {"nesterov": True, "momentum": 0})


def test_nag_updates_with_one_rounding():
    # nag.lua: x:add(-clr, dfdx) is one fused multiply-add per element (TH's axpy)
    from fractions import Fraction
    x0 = np.array([0.1, -0.7, 1.3, 2.9, -3.3])
    g0 = np.array([0.3, 0.11, -0.7, 1e-3, 5.5])
    lr = 0.1

    def opfunc(x):
        return 0.0, torch.DoubleTensor(list(g0))

    x = torch.DoubleTensor(list(x0))
    optim.nag(opfunc, x, {"learningRate": lr})
    want = [float(Fraction(a) + Fraction(-lr) * Fraction(b)) for a, b in zip(x0, g0)]
    assert x.numpy().tolist() == want


def test_cg_keeps_its_buffers_in_x_type():
    # cg.lua: `local s = state.s or x.new()` (and df0..df3, x0)
    def opfunc(x):
        return float((x.numpy().astype(np.float64) ** 2).sum()), x.clone().mul(2)

    state = {}
    optim.cg(opfunc, torch.FloatTensor([1.0, -2.0]), {"maxIter": 2}, state)
    for key in ("df0", "df1", "df2", "df3", "x0", "s"):
        assert type(state[key]) is torch.FloatTensor


def test_lbfgs_buffers_are_rows_of_one_storage_and_tmp1_is_written():
    # g.new(nCorrection+1, p):split(1), squeezed; tmp1:copy(g):abs() before the first test
    def opfunc(x):
        v = x.numpy()
        return float((v ** 2).sum()), torch.DoubleTensor(list(2 * v))

    state = {}
    optim.lbfgs(opfunc, torch.DoubleTensor([3.0, -4.0, 5.0]),
                {"maxIter": 1, "nCorrection": 4}, state)
    bufs = state["dir_bufs"]
    assert len(bufs) == 5
    assert all(b.storage() is bufs[0].storage() for b in bufs)
    assert [b.storageOffset() for b in bufs] == [1, 4, 7, 10, 13]
    # maxIter = 1 breaks before the tolX test: tmp1 keeps |g| from computing t
    assert state["tmp1"].numpy().tolist() == [6.0, 8.0, 10.0]


def test_rprop_with_its_config_as_state_runs_on():
    # state = config: config.stepsize becomes the step-size tensor, which rprop.lua only reads
    # to fill a new state; f = x^2 from x = 1: steps 0.1 (no sign yet), then 0.1 * 1.2
    def opfunc(x):
        return float(x[1] ** 2), torch.DoubleTensor([2 * x[1]])

    config = {}
    x = torch.DoubleTensor([1.0])
    optim.rprop(opfunc, x, config)
    optim.rprop(opfunc, x, config)
    assert x[1] == (1.0 - 0.1) - 0.1 * 1.2


def test_confusion_far_frr_as_the_lua():
    cm = optim.ConfusionMatrix(3)
    for p, t in [(1, 1), (2, 1), (2, 2), (3, 2)]:
        cm.add(p, t)
    class_frrs, class_fars, frrs, fars = cm.farFrr()
    # rows 1 and 2 have samples: frr = 1 - mat[i][i]/count; far = mean over other present
    # classes j of mat[j][i]/count_j; class 3 has none: -1
    assert class_frrs.numpy().tolist() == [0.5, 0.5, -1]
    assert class_fars.numpy().tolist() == [0.0, 0.5, -1]
    assert frrs.numpy().tolist() == [0.5, 0.5] and fars.numpy().tolist() == [0.0, 0.5]
    # the returned rates are views of the buffers the Lua keeps on the object
    assert frrs.storage() is cm._frrs.storage() and fars.storage() is cm._fars.storage()


def test_confusion_far_of_a_lone_class_is_x86s_nan():
    # farNumerator/farDenominator = 0/0: the x86 default NaN, sign bit set
    cm = optim.ConfusionMatrix(2)
    cm.add(1, 1)
    _, class_fars, _, fars = cm.farFrr()
    assert np.isnan(fars[1]) and np.signbit(fars.numpy()[0])


def test_confusion_failures_of_the_lua():
    cm = optim.ConfusionMatrix(2)
    # no class with samples: self._frrs[{{1, 0}}] fails
    with pytest.raises(Exception, match="out of bound"):
        cm.farFrr()
    # a batch whose targets are all missing: expand(indices:size(1)) on an empty tensor
    with pytest.raises(Exception, match="dimension 1 out of range"):
        cm.batchAdd(torch.DoubleTensor([1, 2]), torch.DoubleTensor([0, -1]))


def test_logger_nsymbols_is_the_lua_length(tmp_path):
    # Logger.lua: `self.nsymbols = #symbols`, 0 for a row keyed by names
    lg = optim.Logger(str(tmp_path / "a.log"))
    lg.add({"train": 1.0, "test": 2.0})
    assert lg.nsymbols == 0
    lg2 = optim.Logger(str(tmp_path / "b.log"))
    lg2.setNames(["train", "test"])
    assert lg2.nsymbols == 2
    lg.file.close()
    lg2.file.close()


def test_de_past_max_fes_fails_with_torch7s_message():
    # de.lua writes fx[fes] for each evaluation: maxFEs not a multiple of popsize overruns it
    def opfunc(x):
        return float((x.numpy().astype(np.float64) ** 2).sum())

    with pytest.raises(TorchError, match=r"^bad argument #2 to '\?' \(out of range\)$"):
        optim.de(opfunc, torch.DoubleTensor(2).zero(),
                 {"popsize": 4, "scaleFactor": 0.5, "crossoverRate": 0.9, "maxFEs": 10})


def test_cmaes_first_generation_is_the_luas():
    # cmaes.lua's ask(): z = D:clone():normal(0,1):cmul(D); candidate = xmean + (B*z)*sigma,
    # in x's type; with N = 1, B = D = 1 that is x0 + z*sigma, each step rounded to float
    def opfunc(x):
        return float(x[1]) ** 2

    x0 = np.float32(0.3)
    torch.manualSeed(11)
    z = torch.FloatTensor(2)
    z[[1, 1]].normal(0, 1)
    z[[2, 2]].normal(0, 1)
    cands = [np.float32(x0 + np.float32(np.float32(v) * np.float32(0.3)))
             for v in z.numpy().tolist()]
    torch.manualSeed(11)
    best, f_hist, evals = optim.cmaes(opfunc, torch.FloatTensor([float(x0)]),
                                      {"sigma": 0.3, "popsize": 2, "maxEval": 2, "verb_disp": 0})
    fs = [float(c) ** 2 for c in cands]
    assert evals == 2 and type(best) is torch.FloatTensor
    assert f_hist == [float(x0) ** 2, min(fs), min(fs)]
    assert best[1] == float(cands[int(np.argmin(fs))])


def test_fista_line_search_uses_the_tensor_dot():
    # fista.lua: Q = fy + gfy:dot(ply - y) + L/2 * (ply - y):dot(ply - y), TH's dot; one step
    # from y = 0 with L = 1 (maxline 0: the first trial ends the search), pl the identity:
    # ply - y = -gfy
    g0 = torch.DoubleTensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])

    def f(x, mode=None):
        fx = 0.0
        if mode == "dx":
            return fx, g0.clone()
        return fx

    def g(x):
        return 0.0

    def pl(x, L):
        pass

    _, history = optim.FistaLS(f, g, pl, torch.DoubleTensor(7).zero(),
                               {"L": 1, "maxiter": 1, "maxline": 0, "doFistaUpdate": False})
    d = g0.clone().mul(-1)
    assert history[0]["Q"] == 0.0 + g0.dot(d) + 1 / 2 * d.dot(d)


def test_lua_method_calls_of_ported_code_name_the_method():
    # ConfusionMatrix.lua's self._mat_flat:indexAdd(...) and fista.lua's xkm:resizeAs(xk) are
    # Lua method calls of C functions: luaL_argerror names the method and counts the
    # arguments after self (TH's "#2 to '?'" of indexAdd's index reads "#1 to 'indexAdd'")
    cm = optim.ConfusionMatrix(3)
    with pytest.raises(Exception, match=r"^bad argument #1 to 'indexAdd' \(out of range\)$"):
        cm.batchAdd(torch.DoubleTensor([1, 2]), torch.DoubleTensor([1, 5]))
    with pytest.raises(Exception, match=r"^bad argument #1 to 'resizeAs' \(torch.DoubleTensor "
                                        r"expected, got torch.FloatTensor\)$"):
        optim.FistaLS(lambda x, mode=None: 0.0, lambda x: 0.0, lambda x, L: None,
                      torch.FloatTensor(3).zero(), {"maxiter": 1})
