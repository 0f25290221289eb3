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
