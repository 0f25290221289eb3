"""The layer methods shared by the convolutions on im2col + one GEMM: SpatialDilatedConvolution,
VolumetricConvolution and their subclasses (m._geo(input) gives (batch, k, d, pad, dil, out)), and
the transposed Spatial/VolumetricFullConvolution; m._w2(t) is a weight tensor as a matrix."""
import math
import weakref

import numpy as np

from .. import messages, numerics
from ..tensor import Tensor, TorchError
from . import _lua
from ._conv import acc_outer, cols_memo, conv_backward_input, conv_forward, unfold_copy
from ._kernels import arr, check_type, new_tensor, out_like
from ._pointwise import buffer
from ._thnn_check import conv_grad_check


UNFOLD_STATE = ('finput', 'fgradInput', '_input', '_gradOutput')  # what their clearState drops


def renew_unfold_buffers(m):
    """`self.finput = self.finput and torch.Tensor()`, likewise fgradInput: what the type of
    SpatialConvolution.lua, SpatialConvolutionMM.lua, SpatialConvolutionLocal.lua,
    SpatialFullConvolution.lua and SpatialDepthWiseConvolution.lua do before parent.type (a
    buffer that is there becomes a new empty tensor of the default type; one that is not is
    set to nil, which gives the object's table a key holding nil: a node pairs() and
    torch.save see the other keys move around, kept here as a field holding None)."""
    d = m.__dict__
    for k in ('finput', 'fgradInput'):
        d[k] = new_tensor() if d.get(k) is not None else None


def lua_pads(m, names):
    """Torch7's tostrings test their padding fields the Lua way, and a file from an nn older than
    a field lacks it (nil): (any field ~= 0, the text to append or None). The text is added when
    `(padW or padH) and (padW ~= 0 or padH ~= 0)`; concatenating a missing one fails as in Lua."""
    d = m.__dict__
    vals = [d.get(n) for n in names]
    nonzero = any(v != 0 for v in vals)   # nil ~= 0 in Lua
    if not (nonzero and any(v is not None for v in vals)):
        return nonzero, None
    for n, v in zip(names, vals):
        if v is None:
            raise TorchError(messages.msg('concat', "field '%s'" % n, 'nil'))
    return nonzero, ','.join('%d' % v for v in vals)


def target_input(input, n):
    """The full convolutions' table input {inputTensor, targetTensor} read by their Lua lines:
    `targetTensor = input[2]; tDims = targetTensor:dim()`, then the sizes of its last n
    dimensions (`targetTensor:size(tDims - k)`); inputTensor = input[1] is next indexed for
    `.THNN`. Returns (inputTensor, those sizes)."""
    target = _lua.index(input, 2)
    dims = _lua.mcall(target, 'dim', what="local 'targetTensor'")
    sizes = tuple(_lua.mcall(target, 'size', dims - k) for k in range(n - 1, -1, -1))
    x = _lua.index(input, 1)
    kind = messages.lua_type(x)
    if not isinstance(x, Tensor) and kind in messages.NOT_INDEXABLE:
        raise TorchError(messages.msg('index_local', 'inputTensor', kind))
    return x, sizes


def conv_tostring(m, dims=2, extra=(), n_out=None, bias_note=True):
    """Torch7's tostring of the convolutions: 'type(nIn -> nOut, kWxkH[, dW,dH][, padW,padH]
    [, extra])' (kTxkWxkH and three values each in 3-d), then ' without bias' when bias_note and
    the bias was removed."""
    ks, ds, pads = (m.kW, m.kH), (m.dW, m.dH), ('padW', 'padH')
    if dims == 3:
        ks, ds, pads = (m.kT,) + ks, (m.dT,) + ds, ('padT',) + pads

    def values(v):
        return ','.join('%d' % x for x in v)
    s = '%s(%d -> %d, %s' % (m.typename, m.nInputPlane, m.nOutputPlane if n_out is None else n_out,
                             'x'.join('%d' % k for k in ks))
    padded, text = lua_pads(m, pads)
    if padded or any(d != 1 for d in ds):
        s += ', ' + values(ds)
    if text is not None:
        s += ', ' + text
    if extra:
        s += ', ' + values(extra)
    return s + (') without bias' if bias_note and m.__dict__.get('bias') is None else ')')


# The dilated convolutions (SpatialDilatedConvolution.c, VolumetricDilatedConvolution.c) keep
# one sample's columns in finput (2-d: nInputPlane*prod(k) x prod(out)) and a plane of ones in
# fgradInput; the port computes all samples' columns at once, kept here (one entry per layer,
# gone with it) instead of in finput.
_SIDE = weakref.WeakKeyDictionary()


def _side(m, name, shape, dtype):
    d = _SIDE.get(m)
    if d is None:
        d = _SIDE[m] = {}
    a = d.get(name)
    if a is None or a.shape != shape or a.dtype != dtype:
        a = d[name] = np.empty(shape, dtype)
    return a


def _dilated(m):
    """THNN's dilated convolution (one sample's columns) rather than the MM one (all)."""
    return getattr(type(m), '_one_sample_columns', False)


def lua_columns(m, shape, last=None):
    """finput as THNN's 2-d columns buffer: resize2d(columns, *shape) (a field made from the
    weight's type when missing, as `self.finput or self.weight.new()`); last: the last
    sample's columns, its contents after the call."""
    t = m.__dict__.get('finput')
    if t is None:
        t = m.finput = m.weight.new()
    t.resize(*shape)
    if last is not None:
        arr(t)[...] = last.reshape(shape)
    return t


def lua_ones(m, spatial):
    """fgradInput as THNN's buffer of ones: resized to the output's spatial size and filled
    with 1 only when it is not of that many dimensions or holds fewer elements than one
    output plane (`ones->nDimension != D || size[0]*...*size[D-1] < prod(out)`)."""
    t = m.__dict__.get('fgradInput')
    if t is None:
        t = m.fgradInput = m.weight.new()
    if t.dim() != len(spatial) or math.prod(t._size) < math.prod(spatial):
        t.resize(*spatial).fill(1)
    return t


def layer_forward(m, input):
    check_type(m, input, m.weight)
    batch, k, d, pad, dil, out = m._geo(input)
    x = arr(input)
    xb = x if batch else x[None]
    bias = m.__dict__.get('bias')
    N, C = xb.shape[:2]
    L = int(math.prod(out))
    CK = C * int(math.prod(k))
    dilated = _dilated(m)
    if dilated:
        cols = _side(m, 'cols', (N, CK, L), x.dtype)
    else:
        # VolumetricConvolution.lua: self.fgradInput = self.fgradInput or input.new();
        # VolumetricConvolutionMM.c: finput resize2d(CK, L) for one sample, resize3d(N, CK, L)
        # for a batch: all the columns
        if m.__dict__.get('fgradInput') is None:
            m.fgradInput = input.new()
        cols = buffer(m, 'finput', (N, CK, L) if batch else (CK, L)).reshape(N, CK, L)
    w2 = m._w2(m.weight)
    nOut = w2.shape[0]  # THNN: nOutputPlane = weight->size[0], not the module's field
    shape = (N, nOut) + out
    y = out_like(m.output, shape if batch else shape[1:])
    conv_forward(xb, w2, k, d, pad, dil, out, None if bias is None else arr(bias),
                 cols, y.reshape(N, nOut, L), cols_memo(m))
    if dilated:
        lua_columns(m, (CK, L), cols[-1] if N else None)
        lua_ones(m, out)
    return m.output


def _grad_output_rows(m, input, gradOutput, out):
    """gradOutput checked against the output size (THNN's shapeCheck), as (N, nOutputPlane,
    prod(out))."""
    batch = input.dim() == len(out) + 2
    N = input.size(1) if batch else 1
    gradOutput = conv_grad_check(input, gradOutput, (m.weight._size[0],) + out)
    return arr(gradOutput).reshape(N, m.weight._size[0], -1)


def layer_grad_input(m, input, gradOutput):
    if m.gradInput is None:
        return None
    batch, k, d, pad, dil, out = m._geo(input)
    go = _grad_output_rows(m, input, gradOutput, out)
    w2 = m._w2(m.weight)
    shape = (go.shape[0], w2.shape[1], go.shape[2])
    dilated = _dilated(m)
    if dilated:
        gcols = _side(m, 'gcols', shape, go.dtype)
    else:
        # VolumetricConvolutionMM.c: resizeAs(fgradInput, finput), zeroed, the gradient's
        # columns of every sample
        gcols = buffer(m, 'fgradInput', shape if batch else shape[1:]).reshape(shape)
    gi = out_like(m.gradInput, input._size)
    conv_backward_input(go, w2, tuple(input._size[-len(out):]), k, d, pad, dil, gcols,
                        gi if batch else gi[None])
    if dilated:
        # (the dilated convolutions' gradColumns is finput: one sample's, the last)
        lua_columns(m, shape[1:], gcols[-1] if shape[0] else None)
    return m.gradInput


def layer_acc_grad(m, input, gradOutput, scale=1):
    if scale is None:
        scale = 1
    where = getattr(type(m), '_gw_where', None)
    if where and isinstance(input, Tensor) and isinstance(gradOutput, Tensor) \
            and m.__dict__.get('gradWeight') is None:
        # the layer's Lua line `self.gradWeight:cdata()` of a gradWeight set to nil
        raise messages.at_lua(TorchError(messages.msg('index_field', 'gradWeight', 'nil')),
                              where)
    batch, k, d, pad, dil, out = m._geo(input)
    go = _grad_output_rows(m, input, gradOutput, out)
    gw = m._w2(m.gradWeight)
    if _dilated(m):
        x = arr(input)
        xb = x if batch else x[None]
        cols = (_SIDE.get(m) or {}).get('cols')
        if cols is None or cols.shape[:2] != (go.shape[0], gw.shape[1]) or cols.dtype != x.dtype:
            cols = unfold_copy(xb, k, d, pad, dil, out)
        lua_ones(m, out)
        lua_columns(m, cols.shape[1:], cols[-1] if cols.shape[0] else None)
    else:
        cols = arr(m.finput).reshape(go.shape[0], gw.shape[1], -1)
    acc_outer(gw, go, cols, scale)
    if m.__dict__.get('gradBias') is not None:   # THNN.optionalTensor(self.gradBias)
        bias_acc(m, arr(m.gradBias), go, scale)


def bias_acc(m, gb, go, scale):
    """gradBias += scale * the sums of gradOutput's planes (go: (N, nOutputPlane, ...)), sample
    after sample as THNN adds them: VolumetricConvolutionMM's loop (a real sum from 0 per plane,
    then gradBias[i] += scale * sum, unfused); the dilated and full convolutions' BLAS
    gemv('t', k, nOutputPlane, scale, gradOutput_n, k, ones, 1, 1, gradBias, 1), in OpenBLAS's
    order (numerics.blas_gemv). numpy's sum without the C kernels or numerics.exact."""
    n, planes = go.shape[0], go.shape[1]
    go3 = go.reshape(n, planes, -1)
    dt = gb.dtype
    if dt.kind == 'f' and numerics.exact and go3.dtype == dt and gb.flags.c_contiguous:
        if type(m).__name__ == 'VolumetricConvolution':
            v = dt.type(scale)
            for i in range(n):
                s = numerics.seqsum_axis(go3[i], 1, dt)[:, 0] + dt.type(0)
                np.add(gb, v * s, out=gb)
            return
        k = go3.shape[2]
        ones = np.ones(k, dt)
        done = 0
        for i in range(n):
            if not numerics.blas_gemv('t', k, planes, scale, np.ascontiguousarray(go3[i]), k,
                                      ones, 1, 1.0, gb, 1):
                break
            done += 1
        if done == n:
            return
        go3 = go3[done:]
    gb += scale * go3.sum(axis=(0, 2))


def transposed_grad_input(m):
    """The full convolutions' gradInput tensor (the first of a {x, target} table's pair)."""
    return m.gradInput[0] if isinstance(m.gradInput, list) else m.gradInput


def set_transposed_grad_input(m, input, t):
    """gradInput is t, or {t, zero} for a {x, target} input: the target gets a zero gradient,
    one zero expanded to its size, as in Torch7."""
    if isinstance(input, (list, tuple)):
        target = input[1]
        zero = target.new(1).zero().view(*([1] * target.dim())).expandAs(target)
        m.gradInput = [t, zero]
    else:
        m.gradInput = t
    return m.gradInput


def transposed_acc_grad(m, x, go, cols, scale):
    """gradWeight += scale * x cols^T and gradBias += scale * sum(gradOutput) for the full
    convolutions (x the input, go the gradOutput as (N, nOutputPlane, *out))."""
    x3 = arr(x).reshape(go.shape[0], m.gradWeight._size[0], -1)  # THNN: gradWeight->size[0]
    gw = m._w2(m.gradWeight)
    acc_outer(gw, x3, cols, scale, direct=True)  # THNN's gemm('t', 'n', ...) per sample
    if m.__dict__.get('gradBias') is not None:   # THNN.optionalTensor(self.gradBias)
        bias_acc(m, arr(m.gradBias), go, scale)
