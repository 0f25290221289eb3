"""optim.cg: Torch7's nonlinear conjugate gradient (a rewrite of Rasmussen's minimize.m)."""
import numpy as np

from .. import messages
from ._common import axpy, dot, evaluate_raw, lua_max, lua_min, num, tables
from ._literal import arith, recv
from ..messages import lua_line
from ..tensor import TorchError

# the lines of cg.lua that make each buffer (`state.df1 or x.new()`)
_BUF_LINES = {"df1": 57, "df2": 58, "df3": 59, "s": 67, "x0": 71, "df0": 73}
# each buffer's buf:resizeAs(x): a state buffer of another type than x fails there
_RESIZE_LINES = {"df1": 62, "df2": 63, "df3": 64, "s": 68, "x0": 74, "df0": 75}


def _f2(f):
    """f2 as `f2 > f1 + z1*rho*d1` compares it: a number, else LuaJIT's error (X < f2)."""
    if isinstance(f, (int, float)) and not isinstance(f, bool):
        return f
    raise TorchError(messages.msg("compare", "number", messages.lua_type(f)))


def _math_arg(v, fname):
    """v as math.<fname>'s first argument: a number, a string that reads as one, else Lua's
    'bad argument #1 to ...'."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    n = messages.lua_tonumber(v) if isinstance(v, str) else None
    if n is None:
        raise TypeError(messages.msg("bad_argument", 1, fname, messages.msg(
            "number_expected", messages.lua_type(v))))
    return n


def cg(opfunc, x, config=None, state=None):
    """x*, {f history}, nEvals = cg(opfunc, x, config, state): config has rho, sig, int, ext,
    maxIter, ratio, maxEval; state keeps the work tensors df0..df3, s, x0."""
    config, state = tables(config, state, "cg")
    # rho and sig as they are: Lua's arithmetic on them in the line search's first test
    rho = config.get("rho")
    rho = 0.01 if rho is None or rho is False else rho
    sig = config.get("sig")
    sig = 0.5 if sig is None or sig is False else sig
    intr = num(config, "int", 0.1, "cg")
    ext = num(config, "ext", 3.0, "cg")
    # maxIter and maxEval as they are: `maxIter*1.25`, math.abs(maxEval), math.min(maxIter,
    # maxEval-i) fail on what is no number (a numeric string computes)
    max_iter = config.get("maxIter")
    max_iter = 20 if max_iter is None or max_iter is False else max_iter
    ratio = num(config, "ratio", 100, "cg")
    max_eval = config.get("maxEval")
    if max_eval is None or max_eval is False:
        with lua_line("optim/cg.lua:43"):
            max_eval = arith(max_iter, "local 'maxIter'") * 1.25
    red = 1

    i = 0
    fx = []

    def buf(key):
        t = state.get(key)
        if t is None:
            with lua_line("optim/cg.lua:%d" % _BUF_LINES[key]):
                t = recv(x, "local 'x'", "new")()  # `state.df1 or x.new()`: x's type
        with lua_line("optim/cg.lua:%d" % _RESIZE_LINES[key]):
            recv(t, "local '%s'" % key, "resizeAs")(x)
        return t

    df1, df2, df3 = buf("df1"), buf("df2"), buf("df3")
    s = buf("s")
    x0 = buf("x0")
    df0 = buf("df0")
    a_df0, a_df1, a_df2 = df0.numpy(), df1.numpy(), df2.numpy()
    a_s, a_x0, xa = s.numpy(), x0.numpy(), x.numpy()

    def feval(line, check=True):
        f, tdf = evaluate_raw(opfunc, x, "cg", line - 1)  # (the line before the copy)
        with lua_line("optim/cg.lua:%d" % line):
            df2.copy(tdf)  # df2:copy(tdf): a gradient of another size fails there, as in Torch7
        return _f2(f) if check else f

    f1, tdf = evaluate_raw(opfunc, x, "cg")
    fx.append(f1)
    with lua_line("optim/cg.lua:80"):
        df1.copy(tdf)
    i += 1
    np.negative(a_df1, out=a_s)
    d1 = -dot(s, s)
    z1 = red / (1 - d1)

    with np.errstate(all="ignore"):
        # numpy scalars keep Lua's IEEE arithmetic (x/0 is inf, sqrt(-1) is nan)
        d1, z1 = np.float64(d1), np.float64(z1)
        with lua_line("optim/cg.lua:89"):
            max_eval = _math_arg(max_eval, "abs")
        while i < abs(max_eval):
            a_x0[...] = xa
            f0 = f1
            a_df0[...] = a_df1
            axpy(xa, z1, a_s)  # x:add(z, s): a fused axpy
            f2 = feval(97, False)
            i += 1
            d2 = np.float64(dot(df2, s))
            # the line search's first test, f2 > f1 + z1*rho*d1: f1's arithmetic, then f2's
            with lua_line("optim/cg.lua:106"):
                f1 = arith(f1, "local 'f1'")
                rho = arith(rho, "local 'rho'")
                f2 = _f2(f2)
                sig = arith(sig, "local 'sig'")
            f3, d3, z3 = f1, d1, -z1
            with lua_line("optim/cg.lua:101"):
                max_iter = _math_arg(max_iter, "min")
            m = lua_min(max_iter, max_eval - i)
            success = False
            limit = -1
            while True:
                while (f2 > f1 + z1 * rho * d1 or d2 > -sig * d1) and m > 0:
                    limit = z1
                    if f2 > f1:
                        z2 = z3 - (0.5 * d3 * z3 * z3) / (d3 * z3 + f2 - f3)
                    else:
                        a = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)
                        b = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
                        z2 = (np.sqrt(b * b - a * d2 * z3 * z3) - b) / a
                    if not np.isfinite(z2):
                        z2 = z3 / 2
                    z2 = lua_max(lua_min(z2, intr * z3), (1 - intr) * z3)
                    z1 = z1 + z2
                    axpy(xa, z2, a_s)  # x:add(z, s): a fused axpy
                    f2 = feval(122)
                    i += 1
                    m -= 1
                    d2 = np.float64(dot(df2, s))
                    z3 = z3 - z2
                if m < 0 and d2 != d2:
                    # a NaN slope fails every test below, and only m == 0 ends the search (a
                    # fractional maxEval skips 0): Torch7 loops forever; a clear error instead
                    raise TorchError("optim.cg: opfunc returned a gradient with NaN past maxEval "
                                     "(f(x) = %s): the line search cannot end" % f2)
                if f2 > f1 + z1 * rho * d1 or d2 > -sig * d1:
                    break
                elif d2 > sig * d1:
                    success = True
                    break
                elif m == 0:
                    break
                a = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)
                b = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
                z2 = -d2 * z3 * z3 / (b + np.sqrt(b * b - a * d2 * z3 * z3))
                if not np.isfinite(z2) or z2 < 0:
                    z2 = z1 * (ext - 1) if limit < -0.5 else (limit - z1) / 2
                elif limit > -0.5 and z2 + z1 > limit:
                    z2 = (limit - z1) / 2
                elif limit < -0.5 and z2 + z1 > z1 * ext:
                    z2 = z1 * (ext - 1)
                elif z2 < -z3 * intr:
                    z2 = -z3 * intr
                elif limit > -0.5 and z2 < (limit - z1) * (1 - intr):
                    z2 = (limit - z1) * (1 - intr)
                f3, d3, z3 = f2, d2, -z2
                z1 = z1 + z2
                axpy(xa, z2, a_s)  # x:add(z, s): a fused axpy
                f2 = feval(160)
                i += 1
                m -= 1
                d2 = np.float64(dot(df2, s))
            if success:
                f1 = f2
                fx.append(f1)
                ss = (dot(df2, df2) - dot(df2, df1)) / dot(df1, df1)
                np.multiply(a_s, ss, out=a_s)
                np.subtract(a_s, a_df2, out=a_s)
                tmp = a_df1.copy()
                a_df1[...] = a_df2
                a_df2[...] = tmp
                d2 = np.float64(dot(df1, s))
                if d2 > 0:
                    np.negative(a_df1, out=a_s)
                    d2 = np.float64(-dot(s, s))
                z1 = z1 * lua_min(ratio, d1 / (d2 - 1e-320))
                d1 = d2
            else:
                xa[...] = a_x0
                f1 = f0
                a_df1[...] = a_df0
                # Torch7 tests `ls_failed or i > maxEval` where ls_failed is a number, always
                # true in Lua: a failed line search always ends the run. Kept for parity.
                break
    for key, t in (("df0", df0), ("df1", df1), ("df2", df2), ("df3", df3), ("x0", x0),
                   ("s", s)):
        state[key] = t
    return x, [float(v) for v in fx], i
