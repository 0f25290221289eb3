"""optim.polyinterp: minimum of the polynomial interpolating points (x, f, f') (after minFunc).

Follows optim/polyinterp.lua step by step on tensors of the points' type: the constraint
matrix, torch.gels, the critical points from torch.eig of the companion matrix, all rounded
to that type where the Lua stores them, and Lua's numbers (doubles) elsewhere."""
import math

import numpy as np

from .. import lapack  # noqa: F401  (torch.gels / torch.eig are installed with it)
from .. import messages
from ..tensor import Tensor, TorchError
from ..tensor_math.pointwise import libm2
from ._common import lua_max, lua_min


def _pow(x, j):
    """Lua's x^j (C pow, libm's; numpy's power is its own SIMD code on AVX-512 CPUs): inf on
    overflow instead of Python's OverflowError."""
    out = np.empty(1, np.float64)
    with np.errstate(all="ignore"):
        libm2("pow", np.array([x], np.float64), float(j), out)
    return float(out[0])


def _roots(c):
    """roots(c) of polyinterp.lua: the (re, im) rows of the polynomial c's roots, or the
    number 0 when every coefficient is (near) zero."""
    import torch7py as torch
    c[torch.lt(torch.abs(c), 1e-12)] = 0
    nonzero = torch.ne(c, 0)
    if nonzero.max() == 0:
        return 0
    pos = torch.max(nonzero, 1)[1][1]
    c = c[[pos, -1], ]
    nz = 0
    for i in range(c.size(1), 0, -1):
        if c[i] != 0:
            break
        nz += 1
    c = c[[1, c.size(1) - nz], ]
    n = c.size(1) - 1
    if n == 1:
        e = c.new([[-c[2] / c[1], 0]])
    elif n > 1:
        a = torch.diag(c.new(n - 1).fill(1), -1)
        a[1] = -c[[2, n + 1], ] / c[1]
        e = torch.eig(a, "N")
        e = e[0] if isinstance(e, tuple) else e
    else:
        return c.new(nz, 2).zero()
    return torch.cat(e, c.new(nz, 2).zero(), 1) if nz > 0 else e


def _polyval(params, x):
    val, pwr = 0.0, params.size(1)
    for pc in params.numpy().tolist():
        pwr -= 1
        val = val + pc * _pow(x, pwr)
    return val


def polyinterp(points, xminBound=None, xmaxBound=None):
    """minPos(, fmin) = polyinterp(points, xmin, xmax): points is an N x 3 tensor of (x, f, g).
    With two points and no bounds, the closed-form cubic step (a number); otherwise the best of
    the bounds, the points and the real critical points of the interpolant, and its value."""
    import torch7py as torch
    if isinstance(points, (list, tuple)):  # Python's convenience: a table of rows
        points = torch.Tensor(list(points))
    if not isinstance(points, Tensor):  # polyinterp.lua's first use: points:size(1)
        raise messages.at_lua(TorchError(messages.lua_call_error(points, "points", "size")),
                              "optim/polyinterp.lua:102")
    if points.dim() == 2 and points.size(2) < 3:
        raise TorchError("bad argument #2 to '?' (index out of bound)")  # points[{i, 3}]
    if points.dim() != 2 or points.size(2) != 3:
        raise ValueError("optim.polyinterp: points must be an N x 3 tensor of (x, f, g)")
    n_points = points.size(1)
    order = n_points * 2 - 1
    pts = points.numpy().astype(np.float64)

    with np.errstate(all="ignore"):
        if n_points == 2 and order == 3 and xminBound is None and xmaxBound is None:
            lo = int(np.argmin(pts[:, 0]))
            hi = 1 - lo
            x1, f1, g1 = pts[lo].tolist()
            x2, f2, g2 = pts[hi].tolist()
            d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2) if x1 != x2 else \
                float(np.float64(g1 + g2) - np.float64(3 * (f1 - f2)) / np.float64(x1 - x2))
            d2 = float(np.sqrt(np.float64(_pow(d1, 2) - g1 * g2)))
            if d2 == d2:
                den = g2 - g1 + 2 * d2
                t = float(np.float64(x2) - np.float64(x2 - x1)
                          * (np.float64(g2 + d2 - d1) / np.float64(den)))
                # Lua's math.max(t, x1) and math.min(., x2)
                return float(lua_min(lua_max(t, x1), x2))
            return float(torch.mean(points[[], 1]))

        xs = points[[], 1]
        xminBound = xs.min() if xminBound is None else xminBound
        xmaxBound = xs.max() if xmaxBound is None else xmaxBound

        # constraints on the function values, then on the derivatives, in the points' type
        a = points.new(n_points * 2, order + 1).zero()
        b = points.new(n_points * 2, 1).zero()
        an, bn = a.numpy(), b.numpy()
        for i in range(n_points):
            x = pts[i, 0]
            an[i] = [_pow(x, j) for j in range(order, -1, -1)]
            bn[i, 0] = pts[i, 1]
            an[n_points + i, :order] = [(order - j + 1) * _pow(x, order - j)
                                        for j in range(1, order + 1)]
            bn[n_points + i, 0] = pts[i, 2]
        res = torch.gels(b, a)
        res = res[0] if isinstance(res, tuple) else res
        params = res[[1, n_points * 2], ].squeeze()
        params[torch.le(torch.abs(params), 1e-12)] = 0

        # critical points
        d_params = points.new(order).zero()
        pn = params.numpy()
        d_params.numpy()[:params.size(1) - 1] = [
            float(pn[i]) * (order - i) for i in range(params.size(1) - 1)]
        dn = d_params.numpy()
        nans = bool(np.isnan(dn).any() or (dn == np.inf).any())

        cp = torch.cat(points.new([xminBound, xmaxBound]), xs)
        if not nans:
            cproots = _roots(d_params)
            cpi = points.new(cp.size(1), 2).zero()
            cpi[[1, cp.size(1)], 1] = cp
            cp = torch.cat(cpi, cproots, 1)

        # the best valid critical point, bisection when none is valid
        fmin = math.inf
        min_pos = xminBound + xmaxBound
        min_pos = min_pos / 2
        for i in range(1, cp.size(1) + 1):
            x_cp = cp[[i, i], []]
            ix_cp = x_cp[[], 2][1] if x_cp.dim() > 1 else 0
            rx_cp = x_cp[[], 1][1]
            if ix_cp == 0 and xminBound <= rx_cp <= xmaxBound:
                f_cp = _polyval(params, rx_cp)
                if f_cp < fmin:
                    min_pos, fmin = rx_cp, f_cp
    return min_pos, fmin
