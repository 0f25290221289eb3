"""Torch7's tostring of tensors and storages (Tensor.lua: Storage__printformat, __tostring__)."""
import itertools
import math

import numpy as np

__all__ = []

_LINE_WIDTH = 80


def _decades(x):
    """Torch7's floor(log10(x)) + 1, with 0 counting as 1 decade; inf and nan pass through."""
    if x == 0:
        return 1
    v = math.log10(x)
    if not math.isfinite(v):
        return v
    return math.floor(v) + 1


def _print_format(values):
    """Storage__printformat on float64 values: returns (format, scale or None, width)."""
    if values.size == 0:
        return '', None, 0
    if np.isnan(values).any():
        # Torch7's min/max propagate NaN, the width becomes 'nan' and the format falls back
        # to an unpadded '%f' with no scale and no column splitting.
        return '%f', None, math.nan
    int_mode = bool(np.all(np.ceil(values) == values))
    mags = np.abs(values)
    exp_min = _decades(float(mags.min()))
    exp_max = _decades(float(mags.max()))
    scale = None
    if int_mode:
        if exp_max > 9:
            return '%11.4e', None, 11
        sz = exp_max + 1
        return '%%%dd' % sz, None, sz
    if exp_max - exp_min > 4:
        sz = 11
        if abs(exp_max) > 99 or abs(exp_min) > 99:
            sz += 1
        return '%%%d.4e' % sz, None, sz
    if exp_max > 5 or exp_max < 0:
        sz = 7
        scale = math.pow(10, exp_max - 1)
    elif exp_max == 0:
        sz = 7
    else:
        sz = exp_max + 6
    if scale == 1:
        scale = None
    return '%%%d.4f' % sz, scale, sz


# -- LuaJIT 2.1.0-beta2's printf: exact halves round away from zero ----------------------------
# Torch7's string.format (and so its tensor printing) rounds a value that lies exactly halfway
# between two printable results away from zero (`%.4f` of 0.03125 is 0.0313), where C rounds
# half to even. Such a value is moved one ulp away from zero before C formats it: only an
# exact half changes result, so every other value prints as C prints it.

def _away(x):
    return math.nextafter(x, math.copysign(math.inf, x))


def is_half(conv, prec, x):
    """True when printf's %<conv> at precision prec meets x exactly halfway between two
    results (x's exact decimal expansion ends in a 5 just past the last printed digit)."""
    if x == 0 or not math.isfinite(x):
        return False
    if conv in 'fF':
        if not (x * 2.0 ** (prec + 1)).is_integer():
            return False  # more binary places than a half at prec decimals can have
        digits = '%.*f' % (prec + 1, abs(x))  # exact: x has at most prec + 1 decimals
        return digits[-1] == '5'
    from decimal import Decimal
    sign, digits, exp = Decimal(x).as_tuple()
    while len(digits) > 1 and digits[-1] == 0:
        digits = digits[:-1]
    sig = prec + 1 if conv in 'eE' else max(prec, 1)
    return len(digits) == sig + 1 and digits[-1] == 5


def format_half_away(spec, x):
    """One printf conversion `spec` (%[flags][width][.prec] and e, E, f, F, g or G) of x, an
    exact half at that precision, rounded away from zero as LuaJIT 2.1.0-beta2 rounds it,
    written digit by digit from x's exact decimal expansion. (Moving x one ulp away from zero,
    as lua_number_arg does, changes more than the rounding where an ulp of x is more than a
    unit of the last digit: %.17g of 0.877582550048828125 is 0.87758255004882813 in
    beta2, the ulp-moved value prints 0.87758255004882824.)"""
    import re
    from decimal import ROUND_HALF_UP, Decimal, localcontext
    m = re.match(r"^%([-+ #0]*)(\d*)(?:\.(\d*))?([eEfFgG])$", spec)
    flags, width, prec, conv = m.group(1), int(m.group(2) or 0), m.group(3), m.group(4)
    p = 6 if prec is None else int(prec or 0)
    alt = "#" in flags
    with localcontext() as ctx:
        ctx.prec = 2000
        d = abs(Decimal(x))
        if conv in "fF":
            body = format(d.quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP), "f")
            if alt and p == 0:
                body += "."
        else:
            if conv in "gG":
                p = p or 1
                sig = p
            else:
                sig = p + 1
            exp = d.adjusted()
            q = d.scaleb(-exp).quantize(Decimal(1).scaleb(1 - sig), rounding=ROUND_HALF_UP)
            if q >= 10:  # 9.995 -> 10.00: one more decade
                exp += 1
                q = (q / 10).quantize(Decimal(1).scaleb(1 - sig), rounding=ROUND_HALF_UP)
            digits = str(q).replace(".", "")[:sig]

            def e_style(ds):
                body = ds[0] + ("." + ds[1:] if len(ds) > 1 or alt else "")
                return body + ("E" if conv in "EG" else "e") + ("-" if exp < 0 else "+") + \
                    "%02d" % abs(exp)

            if conv in "eE":
                body = e_style(digits)
            elif p > exp >= -4:  # %g as %f with p - 1 - exp decimals
                if exp < 0:
                    intpart, frac = "0", "0" * (-exp - 1) + digits
                else:
                    intpart, frac = digits[:exp + 1], digits[exp + 1:]
                if not alt:
                    frac = frac.rstrip("0")
                body = intpart + ("." + frac if frac or alt else "")
            else:
                body = e_style(digits if alt else (digits.rstrip("0") or "0"))
    sign = "-" if math.copysign(1.0, x) < 0 else "+" if "+" in flags else \
        " " if " " in flags else ""
    pad = width - len(sign) - len(body)
    if pad <= 0:
        return sign + body
    if "-" in flags:
        return sign + body + " " * pad
    if "0" in flags:
        return sign + "0" * pad + body
    return " " * pad + sign + body


def lua_spec_arg(spec, x):
    """The text of printf's conversion spec (e, E, f, F, g, G) of x in LuaJIT 2.1.0-beta2
    when x is an exact half there (format_half_away), else None (C's printf of x is beta2's)."""
    import re
    m = re.match(r"^%[-+ #0]*\d*(?:\.(\d*))?([eEfFgG])$", spec)
    if m is None or not math.isfinite(x):
        return None
    prec = 6 if m.group(1) is None else int(m.group(1) or 0)
    if not is_half(m.group(2).lower(), prec, x):
        return None
    return format_half_away(spec, x)


def lua_number_arg(conv, prec, x):
    """x as LuaJIT's printf rounds it under %<conv>.<prec>: moved past an exact half, unless
    C's round-half-even already rounds it away from zero (the digit before the half is odd):
    at 16-17 significant digits one ulp can be more than a printed unit, and the moved value
    would print digits of its own (beta2: '%.17g' of -128.899993896484375 is
    -128.89999389648438, one ulp further -128.8999938964844)."""
    if not is_half(conv, prec, x):
        return x
    from decimal import Decimal
    digits = Decimal(x).normalize().as_tuple().digits  # ..., the last printed digit, 5
    return x if len(digits) > 1 and digits[-2] % 2 else _away(x)


def _halves_away(values, conv, prec):
    """values for '%.<prec><conv>', exact halves moved one ulp away from zero (vectorised)."""
    with np.errstate(all='ignore'):
        if conv == 'f':
            places = prec + 1
        else:  # a half at prec+1 significant digits has 'prec - exponent + 1' decimals
            places = np.clip(prec + 1 - np.floor(np.log10(np.abs(values))), 0, 1100)
            places = np.where(np.isfinite(places), places, 0).astype(np.int64)
        scaled = np.ldexp(values, places)
        cand = np.isfinite(scaled) & (scaled == np.floor(scaled)) & (values != 0)
    if not cand.any():
        return values
    # k / 2^places has at most `places` decimals: a half is then told exactly
    idx = np.flatnonzero(cand.ravel())
    flat = values.ravel()
    half = [i for i, v in zip(idx.tolist(), flat[idx].tolist()) if is_half(conv, prec, v)]
    if not half:
        return values
    out = flat.copy()
    out[half] = np.nextafter(flat[half], np.copysign(np.inf, flat[half]))
    return out.reshape(values.shape)


def _fix_halves(values, fmt):
    """values ready for fmt (a '%N.4f' / '%N.4e' / '%Nd' / '%f' of Storage__printformat)."""
    if fmt.endswith('.4f') or fmt.endswith('.4e'):
        return _halves_away(values, fmt[-1], 4)
    if fmt == '%f':
        return _halves_away(values, 'f', 6)
    return values


def _format_column(values, fmt, scale):
    """One value per line, with the scale line first when there is one."""
    if scale is not None:
        values = values / scale
    values = _fix_halves(values, fmt)
    body = ((fmt + '\n') * values.size) % tuple(values.tolist())
    if scale is not None:
        return '%g *\n' % scale + body
    return body


def _format_matrix(mat, fmt, scale, sz, indent=''):
    """Tensor__printMatrix: a 2D slice in column blocks that fit the line width."""
    nrows, ncols = mat.shape
    if scale is not None:
        mat = mat / scale
    mat = _fix_halves(mat, fmt)
    per_line = (_LINE_WIDTH - len(indent)) / (sz + 1)
    split = not math.isnan(per_line) and math.floor(per_line) < ncols
    per_line = math.floor(per_line) if split else ncols
    row_prefix = indent + ' ' if scale is not None else indent
    out = [indent]
    for first in range(0, ncols, per_line):
        last = min(first + per_line, ncols)
        if split:
            if first != 0:
                out.append('\n')
            out.append('Columns %d to %d\n%s' % (first + 1, last, indent))
        if scale is not None:
            out.append('%g *\n %s' % (scale, indent))
        row_fmt = ' '.join([fmt] * (last - first)) + '\n'
        block = row_prefix.join([row_fmt] * nrows)
        out.append(block % tuple(mat[:, first:last].ravel().tolist()))
    return ''.join(out)


def _format_slices(arr, fmt, scale, sz):
    """Tensor__printTensor: 2D slices headed '(i,j,.,.) = ', first index varying fastest."""
    lead = arr.shape[:-2]
    out = []
    for rev in itertools.product(*[range(n) for n in reversed(lead)]):
        idx = rev[::-1]
        if out:
            out.append('\n')
        out.append('(' + ''.join('%d,' % (i + 1) for i in idx) + '.,.) = \n')
        out.append(_format_matrix(arr[idx], fmt, scale, sz, ' '))
    return ''.join(out)


def format_tensor(arr, typename):
    """Torch7's tostring(tensor) for a numpy array holding the tensor's logical contents."""
    arr = np.asarray(arr)
    if arr.ndim == 0 or arr.size == 0:
        return '[%s with no dimension]\n' % typename
    values = arr.astype(np.float64)
    fmt, scale, sz = _print_format(values.ravel())
    if values.ndim == 1:
        body = _format_column(values, fmt, scale)
    elif values.ndim == 2:
        body = _format_matrix(values, fmt, scale, sz)
    else:
        body = _format_slices(values, fmt, scale, sz)
    size = 'x'.join(str(n) for n in arr.shape)
    return '%s[%s of size %s]\n' % (body, typename, size)


def format_storage(arr1d, typename):
    """Torch7's tostring(storage): one value per line, then '[torch.XStorage of size n]'."""
    values = np.asarray(arr1d).astype(np.float64).ravel()
    fmt, scale, _ = _print_format(values)
    body = _format_column(values, fmt, scale) if values.size else ''
    return '%s[%s of size %d]\n' % (body, typename, values.size)


# ---- Lua's print, for messages torch7py writes where Torch7's Lua code calls print -----------

# The Lua layer sets this to a function calling the script's global print (th's print adds a
# tab after each value; CmdLine:log redefines print): used when torch7py was called from Lua.
print_hook = None


def lua_tostring(v):
    """Lua's tostring: numbers as '%.14g', true/false/nil, torch objects by their tostring."""
    if v is None:
        return 'nil'
    if isinstance(v, (bool, np.bool_)):
        return 'true' if v else 'false'
    if isinstance(v, (int, float, np.number)):
        v = float(v)
        if v != v:
            return 'nan'  # LuaJIT writes a NaN without its sign
        if math.isinf(v):
            return 'inf' if v > 0 else '-inf'
        return '%.14g' % v
    return str(v)


def _called_from_lua():
    """True when the torch7py code running was entered from the Lua layer (compat)."""
    import sys
    f = sys._getframe(2)
    while f is not None and str(f.f_globals.get('__name__', '')).startswith('torch7py'):
        f = f.f_back
    return f is not None and str(f.f_globals.get('__name__', '')).startswith('compat.')


def lua_print(*values, out=None):
    """Lua's print: the values' tostring separated by tabs, then a newline (through the
    script's own print when torch7py was called from Lua)."""
    if print_hook is not None and _called_from_lua():
        print_hook(*values)
        return
    import sys
    (out or sys.stdout).write('\t'.join(lua_tostring(v) for v in values) + '\n')
