"""THNN's SparseLinear functions for nn.THNN's tables (torch7py/nn/thnn.py), as
generic/SparseLinear.c runs them: the coo input (nnz x 3: batch row, feature, value, 1-based)
is walked through the row (csr) or column (csc) pointers THNN builds from consecutive entries,
so an input out of THNN's expected order is walked as THNN walks it; each column update is an
axpy in THNN's order (np.add.at applies the terms one after the other). The legacy functions
take a (batch x nnz x 2) input."""
import numpy as np

from ._kernels import arr
from ._thnn_check import arg_check, error as thnn_error


def _real(v, dt):
    return dt.type(v)  # THNN: TH_CONVERT_ACCREAL_TO_REAL


def _sizes(w):
    return w.size(1), w.size(2)


def _is_coo(t):
    return t.dim() == 2 and t.size(2) == 3


def _is_legacy(t):
    return t.dim() == 3 and t.size(3) == 2


def _size1(t, n):
    return t.dim() == 1 and t.size(1) == n


def _size2(t, a, b):
    return t.dim() == 2 and t.size(1) == a and t.size(2) == b


def _pointers(keys, n):
    """THNN's csr/csc: ptr[h + 1] = i + 1 for h from entry i's key to the next entry's (or n
    after the last), later entries overwriting earlier ones."""
    nnz = keys.shape[0]
    lo = keys - 1
    hi = np.append(keys[1:] - 1, n) if nnz else keys
    ptr = np.zeros(n + 1, np.int64)
    span = np.maximum(hi - lo, 0)
    if span.sum():
        who = np.repeat(np.arange(1, nnz + 1), span)
        starts = np.repeat(lo, span)
        offs = np.arange(who.size) - np.repeat(np.cumsum(span) - span, span)
        np.maximum.at(ptr, starts + offs + 1, who)
    return ptr


def _walk(ptr):
    """(group, entry) in THNN's loop order: group g walks entries ptr[g] .. ptr[g + 1] - 1."""
    n = ptr.size - 1
    span = np.maximum(ptr[1:] - ptr[:-1], 0)
    group = np.repeat(np.arange(n), span)
    entry = np.repeat(ptr[:-1], span) + (np.arange(group.size)
                                         - np.repeat(np.cumsum(span) - span, span))
    return group, entry


def _check_offsets(off, n_in, what):
    bad = np.flatnonzero((off < 0) | (off >= n_in))
    if bad.size:
        # THError in SparseLinear.c: under THNN.lua's wrapper, its line 110
        raise thnn_error(f'index out of bound. {what}: {off[bad[0]] + 1} not between 1 and '
                         f'{n_in}')


def _axpy_columns(dst, cols, rows_vals):
    """dst[:, cols[k]] += rows_vals[k] for k in order (dst is (out, in))."""
    if cols.size:
        np.add.at(dst.T, cols, rows_vals)


def update_output(a, tname):
    x, out, w, b = a['input'], a['output'], a['weight'], a['bias']
    n_out, n_in = _sizes(w)
    arg_check(_is_coo(x), 2, 'input must be in coo format, nnz x 3')
    arg_check(out.isContiguous(), 3, 'output must be contiguous')
    arg_check(_size1(b, n_out), 5, 'bias size wrong')
    batch = out.size(1)
    xa = arr(x)
    ptr = _pointers(xa[:, 0].astype(np.int64), batch)
    rows, ents = _walk(ptr)
    vals = xa[ents, 2]
    keep = vals != 0
    rows, ents, vals = rows[keep], ents[keep], vals[keep]
    off = xa[ents, 1].astype(np.int64) - 1
    _check_offsets(off, n_in, 'updateOutput')
    y = arr(out).reshape(batch, n_out)
    y[...] = 0
    if rows.size:
        np.add.at(y, rows, vals[:, None] * arr(w)[:, off].T)
    y[...] = arr(b)[None, :] + y


def legacy_update_output(a, tname):
    x, out, w, b = a['input'], a['output'], a['weight'], a['bias']
    n_out, n_in = _sizes(w)
    arg_check(_is_legacy(x), 2, 'input size must be batchsize x nnz x 2')
    arg_check(out.isContiguous(), 3, 'output must be contiguous')
    arg_check(_size1(b, n_out), 5, 'bias size wrong')
    batch = x.size(1)
    out.resize(batch, n_out)
    xa = arr(x)
    rows = np.repeat(np.arange(batch), xa.shape[1])
    vals = xa[:, :, 1].reshape(-1)
    off = xa[:, :, 0].reshape(-1).astype(np.int64) - 1
    keep = vals != 0
    rows, vals, off = rows[keep], vals[keep], off[keep]
    _check_offsets(off, n_in, 'updateOutput')
    y = arr(out)
    y[...] = 0
    if rows.size:
        np.add.at(y, rows, vals[:, None] * arr(w)[:, off].T)
    y[...] = arr(b)[None, :] + y


def _acc_checks(a, legacy):
    x, go, gw, gb = a['input'], a['gradOutput'], a['gradWeight'], a['gradBias']
    n_out, n_in = _sizes(a['weight'])
    if legacy:
        arg_check(_is_legacy(x), 2, 'input size must be batchsize x nnz x 2')
    else:
        arg_check(_is_coo(x), 2, 'input must be in coo format, nnz x 3')
    arg_check(_size2(gw, n_out, n_in), 4, 'gradWeight size wrong')
    arg_check(_size1(gb, n_out), 5, 'gradBias size wrong')
    arg_check(go.isContiguous(), 1, 'gradOutput must be contiguous')
    return x, go, gw, gb, n_out, n_in


def _decay(a, gw):
    dt = arr(gw).dtype
    wd = _real(a['weightDecay'], dt)
    if wd != 0:
        g = arr(gw)
        g[...] = g + wd * arr(a['weight'])


def acc_grad_parameters(a, tname):
    x, go, gw, gb, n_out, n_in = _acc_checks(a, False)
    dt = arr(gw).dtype
    scale = _real(a['scale'], dt)
    xa = arr(x)
    _, ents = _walk(_pointers(xa[:, 1].astype(np.int64), n_in))
    vals = scale * xa[ents, 2]
    rows = xa[ents, 0].astype(np.int64) - 1
    off = xa[ents, 1].astype(np.int64) - 1
    _check_offsets(off, n_in, 'accGradParameters')
    g = arr(go).reshape(-1, n_out)
    _axpy_columns(arr(gw), off, vals[:, None] * g[rows])
    # gradBias += scale * sum over rows (TH's sum: accreal, row after row)
    s = g.astype(np.float64).sum(axis=0).astype(dt)
    gba = arr(gb)
    gba[...] = gba + scale * s
    _decay(a, gw)


def legacy_acc_grad_parameters(a, tname):
    x, go, gw, gb, n_out, n_in = _acc_checks(a, True)
    dt = arr(gw).dtype
    scale = _real(a['scale'], dt)
    batch, nnz = x.size(1), x.size(2)
    go.resize(batch, n_out)
    xa = arr(x)
    # THNN's loop: entry index outside, batch row inside
    vals = (scale * xa[:, :, 1]).T.reshape(-1)
    off = xa[:, :, 0].T.reshape(-1).astype(np.int64) - 1
    rows = np.tile(np.arange(batch), nnz)
    keep = vals != 0
    vals, off, rows = vals[keep], off[keep], rows[keep]
    _check_offsets(off, n_in, 'accGradParameters')
    g = arr(go)
    _axpy_columns(arr(gw), off, vals[:, None] * g[rows])
    gba = arr(gb)
    for h in range(batch):  # one cadd per row, in real
        gba[...] = gba + scale * g[h]
    _decay(a, gw)


def _used_columns(li, legacy, n_in, what):
    la = arr(li)
    if legacy:
        vals, off = la[:, :, 1].reshape(-1), la[:, :, 0].reshape(-1)
    else:
        vals, off = la[:, 2], la[:, 1]
    off = off[vals != 0].astype(np.int64) - 1
    _check_offsets(off, n_in, what)
    return off


def _zero_grad(a, legacy):
    gw, gb, li = a['gradWeight'], a['gradBias'], a['lastInput']
    n_out, n_in = _sizes(gw)
    arg_check(_size1(gb, n_out), 3, 'gradBias size wrong')
    if legacy:
        arg_check(_is_legacy(li), 4, 'input size must be batchsize x nnz x 2')
    else:
        arg_check(_is_coo(li), 4, 'input must be in coo format, nnz x 3')
    gb.zero()
    off = _used_columns(li, legacy, n_in, 'zeroGradParameters')
    arr(gw)[:, off] = 0


def _update_parameters(a, legacy):
    w, b, gw, gb, li = a['weight'], a['bias'], a['gradWeight'], a['gradBias'], a['lastInput']
    n_out, n_in = _sizes(w)
    arg_check(_size2(gw, n_out, n_in), 4, 'gradWeight size wrong')
    arg_check(_size1(b, n_out), 3, 'bias size wrong')
    arg_check(_size1(gb, n_out), 5, 'gradBias size wrong')
    if legacy:
        arg_check(_is_legacy(li), 6, 'input size must be batchsize x nnz x 2')
    else:
        arg_check(_is_coo(li), 6, 'input must be in coo format, nnz x 3')
    off = _used_columns(li, legacy, n_in, 'updateParameters')
    if off.size == 0 and not legacy:
        return  # THNN returns before the bias update here (not in the legacy one)
    dt = arr(w).dtype
    lr = _real(a['learningRate'], dt)
    ba = arr(b)
    ba[...] = ba + (-lr) * arr(gb)
    cols = np.unique(off)
    wa = arr(w)
    wa[:, cols] = wa[:, cols] + (-lr) * arr(gw)[:, cols]


SPARSE = {
    'SparseLinear_updateOutput': update_output,
    'SparseLinear_accGradParameters': acc_grad_parameters,
    'SparseLinear_zeroGradParameters': lambda a, t: _zero_grad(a, False),
    'SparseLinear_updateParameters': lambda a, t: _update_parameters(a, False),
    'SparseLinear_legacyUpdateOutput': legacy_update_output,
    'SparseLinear_legacyAccGradParameters': legacy_acc_grad_parameters,
    'SparseLinear_legacyZeroGradParameters': lambda a, t: _zero_grad(a, True),
    'SparseLinear_legacyUpdateParameters': lambda a, t: _update_parameters(a, True),
}
