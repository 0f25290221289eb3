"""optim.polyinterp: minimum of the polynomial interpolating points (x, f, f') (after minFunc)."""
import numpy as np

from ..tensor import Tensor


def _roots(c):
    """Roots of the polynomial with coefficients c (highest power first), as (re, im) rows."""
    c = c.copy()
    c[np.abs(c) < 1e-12] = 0
    nonzero = np.flatnonzero(c)
    if nonzero.size == 0:
        return np.zeros((0, 2))
    c = c[nonzero[0]:]
    nz = len(c) - 1 - np.flatnonzero(c)[-1]
    c = c[:len(c) - nz]
    n = len(c) - 1
    if n == 1:
        e = np.array([[-c[1] / c[0], 0.0]])
    elif n > 1:
        a = np.diag(np.ones(n - 1), -1)
        a[0] = -c[1:] / c[0]
        ev = np.linalg.eigvals(a)
        e = np.stack([ev.real, ev.imag], axis=1) if np.iscomplexobj(ev) else (
            np.stack([ev, np.zeros(n)], axis=1))
    else:
        e = np.zeros((0, 2))
    return np.concatenate([e, np.zeros((nz, 2))]) if nz > 0 else e


def _polyval(p, x):
    val, pwr = 0.0, len(p)
    for pc in p:
        pwr -= 1
        val = val + pc * x ** pwr
    return val


def polyinterp(points, xminBound=None, xmaxBound=None):
    """minPos(, fmin) = polyinterp(points, xmin, xmax): points is an N x 3 tensor of (x, f, g).
    With two points and no bounds, the closed-form cubic step (a number); otherwise the best of
    the bounds, the points and the real critical points of the interpolant, and its value."""
    pts = np.array(points.numpy() if isinstance(points, Tensor) else points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 3:
        raise ValueError("optim.polyinterp: points must be an N x 3 tensor of (x, f, g)")
    n_points = pts.shape[0]
    order = n_points * 2 - 1

    with np.errstate(all="ignore"):
        if n_points == 2 and order == 3 and xminBound is None and xmaxBound is None:
            lo = int(np.argmin(pts[:, 0]))
            hi = 1 - lo
            x1, f1, g1 = pts[lo]
            x2, f2, g2 = pts[hi]
            d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
            d2 = np.sqrt(d1 ** 2 - g1 * g2)
            if d2 == d2:
                t = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                return float(min(max(t, x1), x2))
            return float(np.mean(pts[:, 0]))

        xmin, xmax = pts[:, 0].min(), pts[:, 0].max()
        xminBound = xmin if xminBound is None else float(xminBound)
        xmaxBound = xmax if xmaxBound is None else float(xmaxBound)

        # interpolating polynomial from function values and derivatives
        powers = np.arange(order, -1, -1)
        a = np.zeros((n_points * 2, order + 1))
        a[:n_points] = pts[:, :1] ** powers
        a[n_points:, :order] = powers[:-1] * pts[:, :1] ** (powers[:-1] - 1)
        b = np.concatenate([pts[:, 1], pts[:, 2]])
        params = np.linalg.lstsq(a, b, rcond=None)[0]
        params[np.abs(params) <= 1e-12] = 0

        dparams = params[:-1] * powers[:-1]
        cand = [(xminBound, 0.0), (xmaxBound, 0.0)] + [(v, 0.0) for v in pts[:, 0]]
        if not (np.isnan(dparams).any() or (dparams == np.inf).any()):
            cand += [tuple(r) for r in _roots(dparams)]

        fmin = np.inf
        min_pos = (xminBound + xmaxBound) / 2  # bisection when no critical point is valid
        for re, im in cand:
            if im == 0 and xminBound <= re <= xmaxBound:
                f_cp = _polyval(params, re)
                if f_cp < fmin:
                    min_pos, fmin = re, f_cp
    return float(min_pos), float(fmin)
