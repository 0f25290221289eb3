"""THNN.h functions that no torch7py module runs (nn.THNN's table, torch7py/nn/thnn.py): the
fused RNN kernels (THNN has no CPU code for them), unfolded_copy/unfolded_acc (THNN's im2col
helpers on raw buffers) and the volumetric up-sampling layers; each as its generic/*.c does,
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


DIRECT = {
    'GRUFused_updateOutput': _not_on_cpu, 'GRUFused_updateGradInput': _not_on_cpu,
    'LSTMFused_updateOutput': _not_on_cpu, 'LSTMFused_updateGradInput': _not_on_cpu,
    'unfolded_copy': unfolded_copy, 'unfolded_acc': unfolded_acc,
    'VolumetricUpSamplingNearest_updateOutput': nearest_update_output,
    'VolumetricUpSamplingNearest_updateGradInput': nearest_update_grad_input,
    'VolumetricUpSamplingTrilinear_updateOutput': trilinear_update_output,
    'VolumetricUpSamplingTrilinear_updateGradInput': trilinear_update_grad_input,
}
