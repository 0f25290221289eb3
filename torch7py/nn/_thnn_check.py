"""THNN's argument and shape checks (the macros of nn's lib/THNN/init.c and THArgCheck/THError
inside THNN), raised with the texts Torch7 shows: an argument check goes through THNN.lua's
local `v`, so it reads `bad argument #n to 'v' (...)`; THError and the THNN_CHECK_* macros give
their text; sizes print as THDescBuff does (`[2 x 3]`). Each module's *_shapeCheck calls these
in THNN's order; every check is an integer compare, off the normal path's cost."""
from ..messages import at_lua, msg, size_desc
from ..storage import TorchError

# THNN's C functions run under THNN.lua's wrapper (its line 110): their errors carry that
# position in Torch7 (the Lua layer shows it; Python's text is the message alone)
THNN_WHERE = 'nn/THNN.lua:110'


def desc(t):
    """THDescBuff of a tensor's size: '[2 x 3]' ('[]' for an empty tensor)."""
    return size_desc(t._size)


def arg_error(n, text):
    """THArgCheck / THNN_ARGCHECK failing inside a THNN function (argument n of the C call)."""
    return at_lua(TorchError(msg('thnn_argcheck', n, text)), THNN_WHERE)


def arg_check(cond, n, text, *args):
    """THArgCheck(cond, n, text, args...) in THNN."""
    if not cond:
        raise arg_error(n, text % args if args else text)


def thnn_argcheck(cond, n, t, text):
    """THNN_ARGCHECK(cond, n, t, text): text's %s is t's size."""
    if not cond:
        raise arg_error(n, text % desc(t))


def check_dim_size(t, name, ndim, dim, size):
    """THNN_CHECK_DIM_SIZE(T, DIM, DIM_SIZE, SIZE), T named name (dim 0-based, as THNN prints
    it); also THNN_CHECK_DIM_SIZE_INDICES, whose text is the same."""
    sz = getattr(t, '_size', t)  # a tensor, or the size of one THNN was given (a view)
    if len(sz) != ndim or sz[dim] != size:
        raise at_lua(TorchError('Need %s of dimension %d and %s.size[%d] == %d but got %s to be '
                                'of shape: %s' % (name, ndim, name, dim, size, name,
                                                  size_desc(sz))), THNN_WHERE)


def check_dim_sizes(t, name, ndim, first, sizes):
    """check_dim_size(t, name, ndim, first + k, sizes[k]) for each k in order."""
    sz = getattr(t, '_size', t)
    if type(sz) is tuple and len(sz) == ndim and 0 <= first \
            and sz[first:first + len(sizes)] == tuple(sizes):
        return  # all of them pass (a Jacobian check's backward asks once per output element)
    for k, size in enumerate(sizes):
        check_dim_size(t, name, ndim, first + k, size)


def check_shape(a, b, na, nb):
    """THNN_CHECK_SHAPE(I1, I2) (and _INDICES): the sizes must be the same (a and b tensors or
    sizes)."""
    sa, sb = tuple(getattr(a, '_size', a)), tuple(getattr(b, '_size', b))
    if sa != sb:
        raise at_lua(TorchError('%s and %s shapes do not match: %s %s, %s %s'
                                % (na, nb, na, size_desc(sa), nb, size_desc(sb))), THNN_WHERE)


def check_nelement(a, b, na, nb):
    """THNN_CHECK_NELEMENT(I1, I2): the same number of elements."""
    if a.nElement() != b.nElement():
        raise at_lua(TorchError('%s and %s have different number of elements: %s%s has %d '
                                'elements, while %s%s has %d elements'
                                % (na, nb, na, desc(a), a.nElement(), nb, desc(b),
                                   b.nElement())), THNN_WHERE)


def error(text, *args):
    """THError(text, args...)."""
    return at_lua(TorchError(text % args if args else text), THNN_WHERE)


def _c_div(n, d):
    """C's integer division (truncates towards zero)."""
    return n // d if n >= 0 else -(-n // d)


def conv2d_check(kind, input, weight, bias, k, d, pad, dil=(1, 1), adj=(0, 0)):
    """THNN's shapeCheck of the 2-d convolutions on the input, weight and bias, in its order;
    kind 'mm' (SpatialConvolutionMM), 'dilated' (SpatialDilatedConvolution) or 'full'
    (SpatialFullDilatedConvolution, the transposed one). k, d, pad, dil, adj are (H, W) pairs.
    Returns (nOutputPlane, outputHeight, outputWidth); gradOutput is checked against them by
    conv_grad_check."""
    (kH, kW), (dH, dW), (padH, padW), (dilH, dilW), (adjH, adjW) = k, d, pad, dil, adj
    wd = weight.dim()
    if kind == 'dilated':
        thnn_argcheck(wd == 4, 4, weight, '4D weight tensor (nOutputPlane,nInputPlane,kH,kW) '
                      'expected, but got: %s')
    arg_check(kW > 0 and kH > 0, 9, 'kernel size should be greater than zero, but got kH: %d '
              'kW: %d', kH, kW)
    arg_check(dW > 0 and dH > 0, 11, 'stride should be greater than zero, but got dH: %d '
              'dW: %d', dH, dW)
    if kind != 'mm':
        arg_check(dilW > 0 and dilH > 0, 15, 'dilation should be greater than zero, but got '
                  'dilationH: %d, dilationW: %d', dilH, dilW)
    if kind == 'full':
        arg_check((adjW < dW or adjW < dilW) and (adjH < dH or adjH < dilH), 15,
                  'output padding must be smaller than either stride or dilation, but got '
                  'adjH: %d adjW: %d dH: %d dW: %d dilationH: %d dilationW: %d',
                  adjH, adjW, dH, dW, dilH, dilW)
    if kind != 'dilated':
        thnn_argcheck(wd in (2, 4), 5, weight, '2D or 4D weight tensor expected, but got: %s')
    ws = weight._size
    nOut = ws[1] if kind == 'full' else ws[0]
    if bias is not None:
        check_dim_size(bias, 'bias', 1, 0, nOut)
    nd = input.dim()
    thnn_argcheck(nd in (3, 4), 2, input, '3D or 4D input tensor expected but got: %s')
    H, W = input._size[-2:]
    if kind == 'mm':  # the weight as THNN views it: nOut x (nIn*kH*kW)
        nIn = _c_div(ws[1] * (ws[2] * ws[3] if wd == 4 else 1), kH * kW)
        oH = _c_div(H + 2 * padH - kH, dH) + 1
        oW = _c_div(W + 2 * padW - kW, dW) + 1
    elif kind == 'dilated':
        nIn = ws[1]
        oH = _c_div(H + 2 * padH - (dilH * (kH - 1) + 1), dH) + 1
        oW = _c_div(W + 2 * padW - (dilW * (kW - 1) + 1), dW) + 1
    else:
        nIn = ws[0]
        oH = (H - 1) * dH - 2 * padH + (dilH * (kH - 1) + 1) + adjH
        oW = (W - 1) * dW - 2 * padW + (dilW * (kW - 1) + 1) + adjW
    if oW < 1 or oH < 1:
        raise error('Given input size: (%d x %d x %d). Calculated output size: (%d x %d x %d). '
                    'Output size is too small', nIn, H, W, nOut, oH, oW)
    check_dim_size(input, 'input', nd, nd - 3, nIn)
    return nOut, oH, oW


def conv_grad_check(input, gradOutput, out):
    """The gradOutput checks closing the convolutions' and poolings' shapeChecks: its
    dimensions after the batch one must be out (planes then sizes), with the input's number of
    dimensions. The batch size is not checked: THNN's per-sample loop selects gradOutput[t]
    for each of the input's samples (TH's select: argument #3 'out of range' when gradOutput
    has fewer); returns gradOutput, narrowed to the input's samples when it has more."""
    nd = input.dim()
    check_dim_sizes(gradOutput, 'gradOutput', nd, nd - len(out), out)
    if nd > len(out) and gradOutput._size[0] != input._size[0]:
        arg_check(gradOutput._size[0] > input._size[0], 3, 'out of range')
        return gradOutput.narrow(1, 1, input._size[0])
    return gradOutput


def conv3d_check(kind, input, weight, bias, k, d, pad, dil=(1, 1, 1)):
    """THNN's shapeCheck of VolumetricConvolutionMM (kind 'mm') or VolumetricDilatedConvolution
    ('dilated') on the input, weight and bias in its order; k, d, pad, dil are (T, H, W).
    Returns (nInputPlane the weight takes, nOutputPlane, (oT, oH, oW)). VolumetricConvolutionMM
    reads nInputPlane from the input, so its plane check always passes: the GEMM's size
    mismatch reports a wrong number of planes (vol_planes_check)."""
    nd = input.dim()
    thnn_argcheck(nd in (4, 5), 2, input, '4D or 5D (batch mode) tensor expected for input, '
                  'but got: %s')
    if kind == 'dilated':
        thnn_argcheck(weight.dim() == 5, 4, weight, '5D (nOutputPlane x nInputPlane x kT x kH x '
                      'kW) tensor expected for weight, but got: %s')
    (kT, kH, kW), (dT, dH, dW), (lT, lH, lW) = k, d, dil
    arg_check(kT > 0 and kW > 0 and kH > 0, 8, 'kernel size should be greater than zero, but '
              'got kT: %d kH: %d kW: %d', kT, kH, kW)
    arg_check(dT > 0 and dW > 0 and dH > 0, 11, 'stride should be greater than zero, but got '
              'dT: %d dH: %d dW: %d', dT, dH, dW)
    ws = weight._size
    if kind == 'dilated':
        arg_check(lT > 0 and lW > 0 and lH > 0, 15, 'dilation should be greater than zero, but '
                  'got dilationT: %d, dilationH: %d, dilationW: %d', lT, lH, lW)
        if bias is not None:
            check_dim_size(bias, 'bias', 1, 0, ws[0])
    C, T, H, W = input._size[-4:]
    nIn = ws[1] if kind == 'dilated' else C
    out = tuple(_c_div(s + 2 * p - (dl * (kk - 1) + 1), dd) + 1 for s, kk, dd, p, dl in
                zip((T, H, W), k, d, pad, dil))
    if min(out) < 1:
        raise error('Given input size: (%dx%dx%dx%d). Calculated output size: (%dx%dx%dx%d). '
                    'Output size is too small', *((nIn, T, H, W, ws[0]) + out))
    if kind == 'mm':
        arg_check(weight.dim() in (2, 5), 4, 'weight tensor should be 2D or 5D - got %d',
                  weight.dim())
        if bias is not None:
            check_dim_size(bias, 'bias', 1, 0, ws[0])
    check_dim_size(input, 'input', nd, nd - 4, nIn)
    return nIn, ws[0], out


def vol_planes_check(input, weight, k, out, before_gemm=None):
    """VolumetricConvolutionMM's frame GEMM (output2d += weight2d * finput): with an input of
    another number of planes than the weight's, TH's addmm fails with its size mismatch
    (updateOutput's before_gemm(finput_size, output_size): its resizes, done before)."""
    K = weight.nElement() // weight._size[0]
    Kin = input._size[-4] * k[0] * k[1] * k[2]
    if K != Kin:
        L = out[0] * out[1] * out[2]
        if before_gemm is not None:
            batch = input._size[:1] if input.dim() == 5 else ()
            before_gemm(batch + (Kin, L), batch + (weight._size[0],) + tuple(out))
        raise error('size mismatch, m1: %s, m2: %s', size_desc((weight._size[0], K)),
                    size_desc((Kin, L)))


def check_grad_dims(gradOutput, checks):
    """THArgCheck(want == THTensor_(size)(gradOutput, dim), 3, text) for each (dim, want,
    text), dim 0-based: THTensor_size first rejects a dimension gradOutput lacks (#2)."""
    sz = gradOutput._size
    for dim, want, text in checks:
        arg_check(dim < len(sz), 2, 'dimension %d out of range of %dD tensor', dim + 1, len(sz))
        arg_check(sz[dim] == want, 3, text)
