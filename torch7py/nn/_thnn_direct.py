"""THNN.h functions that no torch7py module runs (nn.THNN's table, torch7py/nn/thnn.py): the
fused RNN kernels (THNN has no CPU code for them), unfolded_copy/unfolded_acc (THNN's im2col
helpers on raw buffers), the volumetric up-sampling layers and SpatialGridSamplerBilinear; each as its generic/*.c does,
arguments by THNN.h's names."""
import numpy as np

from ..messages import msg
from ..storage import TorchError
from ._kernels import arr
from ._thnn_check import arg_check, check_dim_size, thnn_argcheck
from .spatial_up_sampling_bilinear import lin_backward, lin_forward, linear_map


def _not_on_cpu(a, tname):
    # FusedRNNKernel.c: THAssertMsg(false, "Not implemented for CPU")
    raise TorchError(msg('thassert', 'false') + 'Not implemented for CPU')


def _unfold_geometry(a):
    n, kh, kw = a['nInputPlane'], a['kH'], a['kW']
    oh, ow = a['outputHeight'], a['outputWidth']
    ih, iw = a['inputHeight'], a['inputWidth']
    return n, kh, kw, oh, ow, ih, iw


def _flat(t, count, name):
    """The first count numbers of t's storage from its offset, as the C code reads them."""
    if t is None or t.storage() is None or t.nElement() < count:
        raise TorchError(f'{name} is too small for the sizes given ({count} numbers needed)')
    if not t.isContiguous():
        raise TorchError(name + ' must be contiguous')
    return arr(t).reshape(-1)[:count]


def _windows(a):
    """For each (kh, kw): the output positions whose input pixel is inside the input, and that
    pixel (THNN's unfold loops, padding reads as 0)."""
    _, kh, kw, oh, ow, ih, iw = _unfold_geometry(a)
    ys = np.arange(oh) * a['dH'] - a['padH']
    xs = np.arange(ow) * a['dW'] - a['padW']
    for i in range(kh):
        for j in range(kw):
            iy, ix = ys + i, xs + j
            oky, okx = (iy >= 0) & (iy < ih), (ix >= 0) & (ix < iw)
            yield i, j, oky, okx, iy[oky], ix[okx]


def unfolded_copy(a, tname):
    n, kh, kw, oh, ow, ih, iw = _unfold_geometry(a)
    cols = _flat(a['finput'], n * kh * kw * oh * ow, 'finput').reshape(n, kh, kw, oh, ow)
    x = _flat(a['input'], n * ih * iw, 'input').reshape(n, ih, iw)
    for i, j, oky, okx, iy, ix in _windows(a):
        c = cols[:, i, j]
        c[...] = 0
        c[np.ix_(np.arange(n), np.flatnonzero(oky), np.flatnonzero(okx))] = \
            x[np.ix_(np.arange(n), iy, ix)]


def unfolded_acc(a, tname):
    n, kh, kw, oh, ow, ih, iw = _unfold_geometry(a)
    cols = _flat(a['finput'], n * kh * kw * oh * ow, 'finput').reshape(n, kh, kw, oh, ow)
    x = _flat(a['input'], n * ih * iw, 'input').reshape(n, ih, iw)
    # each input pixel gets at most one term per (kh, kw): adding window after window in
    # THNN's loop order keeps its sums
    for i, j, oky, okx, iy, ix in _windows(a):
        sel = np.ix_(np.arange(n), iy, ix)
        x[sel] = x[sel] + cols[:, i, j][np.ix_(np.arange(n), np.flatnonzero(oky),
                                               np.flatnonzero(okx))]


def _nearest_check(x, go, s):
    arg_check(x is not None, 2, '5D input tensor expected but got NULL')
    arg_check(s > 1, 4, 'scale_factor must be greater than 1, but got: %d', s)
    thnn_argcheck(x.dim() in (4, 5), 2, x, '4D or 5D input tensor expected but got: %s')
    if go is not None:
        nd = x.dim()
        sz = [x.size(d) for d in range(1, x.dim() + 1)]
        want = list(sz[:nd - 3]) + [v * s for v in sz[nd - 3:]]
        for d, v in enumerate(want):
            check_dim_size(go, 'gradOutput', nd, d, v)


def nearest_update_output(a, tname):
    x, s, out = a['input'], a['scale_factor'], a['output']
    _nearest_check(x, None, s)
    sz = [x.size(d) for d in range(1, x.dim() + 1)]
    out.resize(*(sz[:-3] + [v * s for v in sz[-3:]]))
    xa, ya = arr(x), arr(out)
    ya[...] = xa.repeat(s, axis=-3).repeat(s, axis=-2).repeat(s, axis=-1)


def nearest_update_grad_input(a, tname):
    x, go, gi, s = a['input'], a['gradOutput'], a['gradInput'], a['scale_factor']
    _nearest_check(x, go, s)
    gi.resizeAs(x).zero()
    g, acc = arr(go), arr(gi)
    # the C loop walks gradOutput in order: each input element sums its s^3 terms in
    # (t, h, w) offset order
    for dt in range(s):
        for dh in range(s):
            for dw in range(s):
                acc += g[..., dt::s, dh::s, dw::s]


def _tri_check(a, x, go, sizes):
    arg_check(all(v > 0 for v in sizes[2:]), 2, 'input and output sizes should be greater '
              'than 0, but got input (D: %d, H: %d, W: %d) output (D: %d, H: %d, W: %d)',
              *sizes[2:])
    if x is not None:
        thnn_argcheck(x.dim() == 5, 2, x, '5D input tensor expected but got: %s')
    if go is not None:
        nb, nc, _, _, _, od, oh, ow = sizes
        for d, v in enumerate((nb, nc, od, oh, ow)):
            check_dim_size(go, 'gradOutput', 5, d, v)


def trilinear_update_output(a, tname):
    x, out = a['input'], a['output']
    if x is None or x.dim() != 5:
        thnn_argcheck(False, 2, x, '5D input tensor expected but got: %s')
    nb, nc, idp, ih, iw = (x.size(d) for d in range(1, 6))
    od, oh, ow = a['outputDepth'], a['outputHeight'], a['outputWidth']
    _tri_check(a, x, None, (nb, nc, idp, ih, iw, od, oh, ow))
    out.resize(nb, nc, od, oh, ow)
    xa = arr(x)
    if (idp, ih, iw) == (od, oh, ow):
        arr(out)[...] = xa
        return
    arr(out)[...] = lin_forward(xa, [linear_map(s, o, xa.dtype)
                                     for s, o in zip((idp, ih, iw), (od, oh, ow))])


def trilinear_update_grad_input(a, tname):
    go, gi = a['gradOutput'], a['gradInput']
    sizes = (a['nbatch'], a['nchannels'], a['inputDepth'], a['inputHeight'], a['inputWidth'],
             a['outputDepth'], a['outputHeight'], a['outputWidth'])
    _tri_check(a, None, go, sizes)
    gi.resize(*sizes[:5])
    g = arr(go)
    if sizes[2:5] == sizes[5:]:
        arr(gi)[...] = g
        return
    arr(gi)[...] = lin_backward(g, sizes[2:5])


def _grid_check(x, grid, go):
    thnn_argcheck(x.dim() == 4, 2, x, '4D input tensor expected but got: %s')
    thnn_argcheck(grid.dim() == 4, 2, grid, '4D grid tensor expected but got: %s')
    n, c = x.size(1), x.size(2)
    check_dim_size(grid, 'grid', 4, 0, n)
    check_dim_size(grid, 'grid', 4, 3, 2)
    if go is not None:
        for d, v in enumerate((n, c, grid.size(2), grid.size(3))):
            check_dim_size(go, 'gradOutput', 4, d, v)


def _grid_corners(x, grid):
    """SpatialGridSamplerBilinear's sampling, in the tensor's precision: the grid mapped from
    [-1, 1] to pixels, the four neighbours (nw, ne, sw, se: (x, y) integer positions) and
    their surfaces."""
    dt = arr(x).dtype
    IH, IW = x.size(3), x.size(4)
    g = arr(grid)
    ix = ((g[..., 0] + dt.type(1)) / dt.type(2)) * dt.type(IW - 1)
    iy = ((g[..., 1] + dt.type(1)) / dt.type(2)) * dt.type(IH - 1)
    x0, y0 = np.floor(ix).astype(np.int64), np.floor(iy).astype(np.int64)
    x1, y1 = x0 + 1, y0 + 1
    f = (lambda v: v.astype(dt))
    surf = [(f(x1) - ix) * (f(y1) - iy), (ix - f(x0)) * (f(y1) - iy),
            (f(x1) - ix) * (iy - f(y0)), (ix - f(x0)) * (iy - f(y0))]
    pos = [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]
    return ix, iy, pos, surf


def _grid_values(xa, px, py):
    """input[n, :, py, px] for every (n, h, w), 0 outside: (N, C, H, W)."""
    N, C, IH, IW = xa.shape
    ok = (px >= 0) & (px < IW) & (py >= 0) & (py < IH)
    flat = np.where(ok, py * IW + px, 0).reshape(N, 1, -1)
    v = np.take_along_axis(xa.reshape(N, C, -1), np.broadcast_to(flat, (N, C, flat.shape[2])),
                           axis=2).reshape(N, C, *px.shape[1:])
    return np.where(ok[:, None], v, xa.dtype.type(0)), ok


def grid_update_output(a, tname):
    x, grid, out = a['input'], a['grid'], a['output']
    _grid_check(x, grid, None)
    out.resize(x.size(1), x.size(2), grid.size(2), grid.size(3))
    xa = arr(x)
    _, _, pos, surf = _grid_corners(x, grid)
    acc = None
    for (px, py), s in zip(pos, surf):  # nw*v + ne*v + sw*v + se*v, left to right
        term = _grid_values(xa, px, py)[0] * s[:, None]
        acc = term if acc is None else acc + term
    arr(out)[...] = acc


def grid_update_grad_input(a, tname):
    x, gi, grid, gg, go = a['input'], a['gradInput'], a['grid'], a['gradGrid'], a['gradOutput']
    _grid_check(x, grid, go)
    N, C, IH, IW = (x.size(d) for d in range(1, 5))
    H, W = grid.size(2), grid.size(3)
    gi.resize(N, C, IH, IW).zero()
    gg.resize(N, H, W, 2).zero()
    xa, g = arr(x), arr(go)
    dt = xa.dtype.type
    ix, iy, pos, surf = _grid_corners(x, grid)
    # gradInput: each pixel adds its terms in THNN's order (output pixel, then nw, ne, sw, se)
    idx, val = [], []
    for (px, py), s in zip(pos, surf):
        ok = (px >= 0) & (px < IW) & (py >= 0) & (py < IH)
        idx.append(np.where(ok, py * IW + px, IH * IW))  # outside: a spare slot
        val.append(s[:, None] * g)
    idx = np.stack(idx, axis=-1).reshape(N, 1, -1)
    val = np.stack(val, axis=-1).reshape(N, C, -1)
    acc = np.zeros((N, C, IH * IW + 1), xa.dtype)
    np.add.at(acc, (np.arange(N)[:, None, None], np.arange(C)[None, :, None],
                    np.broadcast_to(idx, val.shape)), val)
    arr(gi)[...] = acc[:, :, :IH * IW].reshape(N, C, IH, IW)
    # gradGrid: per output pixel, channel after channel
    (x0, y0), (x1, _), (_, y1) = pos[0], pos[1], pos[2]
    f = (lambda v: v.astype(xa.dtype))
    vals = [_grid_values(xa, px, py)[0] for px, py in pos]
    gix = np.zeros(ix.shape, xa.dtype)
    giy = np.zeros(ix.shape, xa.dtype)
    for c in range(C):
        gc = g[:, c]
        nw, ne, sw, se = (v[:, c] for v in vals)
        gix = gix - nw * (f(y1) - iy) * gc
        gix = gix + ne * (f(y1) - iy) * gc
        gix = gix - sw * (iy - f(y0)) * gc
        gix = gix + se * (iy - f(y0)) * gc
        giy = giy - nw * (f(x1) - ix) * gc
        giy = giy - ne * (ix - f(x0)) * gc
        giy = giy + sw * (f(x1) - ix) * gc
        giy = giy + se * (ix - f(x0)) * gc
    gga = arr(gg)
    gga[..., 0] = gga[..., 0] + gix * dt(IW - 1) / dt(2)
    gga[..., 1] = gga[..., 1] + giy * dt(IH - 1) / dt(2)


DIRECT = {
    'SpatialGridSamplerBilinear_updateOutput': grid_update_output,
    'SpatialGridSamplerBilinear_updateGradInput': grid_update_grad_input,
    'GRUFused_updateOutput': _not_on_cpu, 'GRUFused_updateGradInput': _not_on_cpu,
    'LSTMFused_updateOutput': _not_on_cpu, 'LSTMFused_updateGradInput': _not_on_cpu,
    'unfolded_copy': unfolded_copy, 'unfolded_acc': unfolded_acc,
    'VolumetricUpSamplingNearest_updateOutput': nearest_update_output,
    'VolumetricUpSamplingNearest_updateGradInput': nearest_update_grad_input,
    'VolumetricUpSamplingTrilinear_updateOutput': trilinear_update_output,
    'VolumetricUpSamplingTrilinear_updateGradInput': trilinear_update_grad_input,
}


def _sparse():
    from ._thnn_sparse import SPARSE
    return SPARSE


DIRECT.update(_sparse())
