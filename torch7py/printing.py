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


def _format_column(values, fmt, scale):
    """One value per line, with the scale line first when there is one."""
    if scale is not None:
        values = values / scale
    body = ((fmt + '\n') * values.size) % tuple(values.tolist())
    if scale is not None:
        return '%g *\n' % scale + body
    return body


def _format_matrix(mat, fmt, scale, sz, indent=''):
    """Tensor__printMatrix: a 2D slice in column blocks that fit the line width."""
    nrows, ncols = mat.shape
    if scale is not None:
        mat = mat / scale
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
            return 'nan' if not np.signbit(v) else '-nan'
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
