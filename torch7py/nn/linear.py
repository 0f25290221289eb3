"""nn.Linear: port of torch/nn Linear.lua (y = W x + b, on a vector or a batch of rows)."""
import numpy as np

from .. import messages, numerics, obgemm
from ..messages import at_lua, lua_line
from .. import tensor as _tensor
from ..tensor import TorchError
from . import _blas, _kernels, _lua, threshold, utils
from ._conv import scratch, uniform_reset
from ._kernels import add_bias, arr, check_type, new_tensor, no_bias, out_like, sizes_str
from .module import Module


def _gemm_acc(gw, go2, x2, scale):
    """gw += scale * go2^T x2 in place: the BLAS call of Torch7's addmm (beta = 1) on the
    row-major gradWeight, i.e. gw^T (column-major) = x2^T go2; no temporaries."""
    f = _gemm(gw.dtype)
    if f is None or not gw.flags.c_contiguous or go2.dtype != gw.dtype or x2.dtype != gw.dtype:
        gw += scale * (go2.T @ x2) if scale != 1 else go2.T @ x2
        return
    gt = gw.T
    r = f(scale, x2.T, go2.T, beta=1.0, c=gt, trans_b=1, overwrite_c=1)
    if r is not gt and not np.shares_memory(r, gt):
        gt[...] = r


_GEMM = {}


def _gemm(dtype):
    """scipy's dgemm/sgemm for dtype (None for other types), imported at the first backward:
    scipy.linalg costs a third of `require 'nn'`, and a script that only loads or runs a model
    forward never needs it."""
    if not _GEMM:
        from scipy.linalg import blas
        _GEMM.update({np.dtype(np.float64): blas.dgemm, np.dtype(np.float32): blas.sgemm})
    return _GEMM.get(dtype)


def _bias_acc(gb, go2):
    """gb += go2^T ones (scale 1), as numerics.gemv_n computes Torch7's gradBias:addmv(1,
    gradOutput:t(), addBuffer) for a double matrix of 4 rows or more, with the column groups
    in numpy instead of numerics' Python steps: rows below m & -4 get, per group of four
    columns, (a0 + a2) + (a1 + a3) (the SkylakeX build, numerics.blas_loops' "fused":
    ((a0 + a1) + a2) + a3) added in group order, then a pair and a last column; the
    m & 3 last rows get a sequential sum from zero added once. False when that is not the case
    (the caller runs gemv_n or its own sum)."""
    n, m = go2.shape
    if (not numerics.exact or gb.dtype != np.float64 or go2.dtype != np.float64 or m < 4
            or n == 0 or not go2.flags.c_contiguous or not gb.flags.c_contiguous):
        return False
    if _kernels.c_ok(go2, gb):
        _kernels._nnk.linear_gb(go2, gb, gb, n, m, False)  # the same loops in C
        return True
    m4 = m & -4
    n4 = n & -4
    ya = gb[:m4]
    # one group at a time: numpy buffers a 2-D op on strided rows (a new array per call)
    s = scratch((m4,), gb.dtype, 1)
    u = scratch((m4,), gb.dtype, 2)
    for j in range(0, n4, 4):
        if numerics.blas_fused:
            np.add(go2[j, :m4], go2[j + 1, :m4], out=s)
            np.add(s, go2[j + 2, :m4], out=s)
            np.add(s, go2[j + 3, :m4], out=s)
        else:
            np.add(go2[j, :m4], go2[j + 2, :m4], out=s)
            np.add(go2[j + 1, :m4], go2[j + 3, :m4], out=u)
            np.add(s, u, out=s)
        np.add(ya, s, out=ya)
    j = n4
    if n & 2:
        np.add(go2[j, :m4], go2[j + 1, :m4], out=s)
        np.add(ya, s, out=ya)
        j += 2
    if n & 1:
        np.add(ya, go2[j, :m4], out=ya)
    if m > m4:
        acc = scratch((n + 1, m - m4), gb.dtype, 1)
        acc[0] = 0
        acc[1:] = go2[:, m4:]
        np.add.accumulate(acc, axis=0, out=acc)  # running sums: one add after the other
        yt = gb[m4:]
        np.add(yt, acc[n], out=yt)
    return True


def _acc_c(gw, go2, x2, gb, scale):
    """_gemm_acc (and, with gb, the gradBias of linear_gb's C loop) in one C call that makes
    the BLAS call itself: numpy's cblas gemm with beta = 1 on the row-major gradWeight (_blas).
    False when it does not apply (nothing done)."""
    dt = gw.dtype
    if not (go2.dtype == dt and x2.dtype == dt and _kernels.c_ok(go2, x2, gw)
            and _blas.checked('linear', _acc_check)):
        return False
    _linear_acc(gw, go2, x2, gb, scale)
    return True


def _linear_acc(gw, go2, x2, gb, scale):
    n, o = go2.shape
    _kernels._nnk.linear_acc(go2, x2, gw, gb, scratch((o,), gw.dtype) if gb is not None else None,
                             n, o, x2.shape[1], scale, gw.dtype == _F32)


def _bias_c(gb, go2, scale):
    """gradBias may go with the gradWeight's C call: scale 1 and linear_gb's case (the float
    sum, or the double gemv order where numerics.exact asks for it)."""
    return (scale == 1 and go2.shape[1] > 3 and go2.shape[0] > 0 and gb.dtype == go2.dtype
            and gb.flags.c_contiguous and (gb.dtype == _F32 or numerics.exact))


def _acc_check():
    """linear_acc gives the bits of Torch7's addmm (obgemm) and the bias code it replaces."""
    rs = np.random.RandomState(0)
    for dt in (np.float64, np.float32):
        for scale in (1, 0.5):
            n, o, i = 37, 21, 30
            go, x = rs.standard_normal((n, o)).astype(dt), rs.standard_normal((n, i)).astype(dt)
            gw, gb = rs.standard_normal((o, i)).astype(dt), rs.standard_normal(o).astype(dt)
            egw, egb = gw.copy(), gb.copy()
            obgemm.mm_into(egw, go.T, x, scale, 1)  # gradWeight:addmm(scale, go:t(), x)
            if scale == 1:
                _kernels._nnk.linear_gb(go, egb, scratch((o,), dt), n, o, dt == np.float32)
            _linear_acc(gw, go, x, gb if scale == 1 else None, scale)
            if gw.tobytes() != egw.tobytes() or gb.tobytes() != egb.tobytes():
                return False
    return True


try:  # BLAS ger's FMA loops on the CPU's FMA instruction (libm's fma() elsewhere)
    from ._sn import ger1 as _GER1
except ImportError:  # not built: the numpy code
    _GER1 = None

_F32 = np.dtype(np.float32)
_FLOAT_TENSORS = (_tensor.DoubleTensor, _tensor.FloatTensor)
# Linear.lua's lines where its updateOutput reads input:dim(), calls addmv and addmm: the
# position of the errors raised there (TH's size checks, cwrap's, LuaJIT's)
_L54, _L57, _L66 = 'nn/Linear.lua:54', 'nn/Linear.lua:57', 'nn/Linear.lua:66'


def _c1():
    """The one-sample C kernels may run: Torch7's exact order wanted, _nnk built and on."""
    return numerics.exact and _kernels.use_c and _kernels._nnk is not None


def _dense(t, cls):
    """t is a tensor of class cls (a float tensor type) laid out densely in row-major order:
    checked on its own strides (cheaper than numpy's flags on every call)."""
    if type(t) is not cls:
        return False
    s = t._size
    if len(s) == 1:
        return t._stride == (1,)
    return len(s) == 2 and t._stride == (s[1], 1)


def _level2():
    """tensor_math.blas (TH's addmv/addr with OpenBLAS's level-2 order) where its C kernels
    are built and numerics.exact holds, else None (the numpy paths)."""
    if numerics._b is None or not numerics.exact:
        return None
    from ..tensor_math import blas
    return blas


def _forward1(m, input):
    """Linear.lua's vector forward (output:copy(bias); output:addmv(1, weight, input)) for a
    well-formed vector of the module's type, with few Python steps: legacy scripts train tiny
    nets one sample at a time. None when another case applies (the general path decides)."""
    wt = m.weight
    out = m.output
    cls = type(wt)
    if type(out) is not cls or cls not in _FLOAT_TENSORS or len(wt._size) != 2:
        return None
    n_out, n_in = wt._size
    if input._size[0] != n_in or n_in == 0:
        return None
    if out._size != (n_out,):
        out.resize(n_out)
    bt = m.__dict__.get('bias')
    dense = _dense(wt, cls) and _dense(input, cls) and _dense(out, cls) and (
        bt is None or _dense(bt, cls) and bt._size == (n_out,))
    b = None if bt is None else bt.numpy()
    if dense and numerics._b is not None and numerics.exact:
        # output:copy(bias) (or zero()); output:addmv(1, weight, input): TH's gemv call
        # ('t' on the row-major weight; 'n' when it is one column) in OpenBLAS's order
        y = out.numpy()
        y[...] = 0 if b is None else b
        tr, m_, n_ = ('t', n_in, n_out) if n_in > 1 else ('n', n_out, 1)
        try:
            numerics._b.gemv(tr, m_, n_, 1.0, wt.numpy(), m_, input.numpy(), 1, 1.0, y, 1)
            return out
        except (ValueError, TypeError, BufferError):
            pass
    if not dense and _level2() is not None:
        # a strided input (a column of a matrix: SplitTable(2), select(2, i)), weight, bias
        # or output: Linear.lua's copy and addmv as tensor calls, whose TH gemv passes the
        # strides to OpenBLAS (its order for incx > 1), not numpy's matmul of a copy
        return m._lua_output(input)
    if 2 <= n_in <= 3:
        # the general path's gemv_t_tail, in one C call
        if not (dense and _c1()):
            return None
        _kernels._nnk.linear_fwd_tail(wt.numpy(), input.numpy(), b, out.numpy(), n_out, n_in,
                                      cls is _tensor.FloatTensor)
        return out
    y = out.numpy()
    if dense:
        # numpy's matmul of a row makes this same cblas gemv call (tests check the bits)
        np.dot(wt.numpy(), input.numpy(), out=y)
    else:
        np.matmul(input.numpy().reshape(1, -1), wt.numpy().T, out=y.reshape(1, -1))
    if b is not None:
        np.add(y, b, out=y)  # addr with the ones buffer: an exact-product axpy, i.e. a plain add
    return out


def _grad_input1(m, input, gradOutput):
    """Linear.lua's vector gradInput:addmv(0, 1, weight:t(), gradOutput) for well-formed
    operands of the module's type (see _forward1); None when the general path decides."""
    gi_t = m.gradInput
    wt = m.weight
    cls = type(wt)
    if gi_t is None or type(gi_t) is not cls or type(gradOutput) is not cls \
            or cls not in _FLOAT_TENSORS:
        return None
    ws = wt._size
    if len(ws) != 2 or gradOutput._size != (ws[0],) or input._size != (ws[1],):
        return None
    if gi_t._size != input._size:
        gi_t.resize(ws[1])
    gi = gi_t.numpy()
    if _dense(wt, cls) and _dense(gradOutput, cls) and _dense(gi_t, cls):
        if numerics._b is not None and numerics.exact:
            # gradInput:addmv(0, 1, weight:t(), gradOutput): TH's gemv 'n' on weight:t()
            try:
                numerics._b.gemv('n', ws[1], ws[0], 1.0, wt.numpy(), ws[1],
                                 gradOutput.numpy(), 1, 0.0, gi, 1)
                return gi_t
            except (ValueError, TypeError, BufferError):
                pass
        np.dot(gradOutput.numpy(), wt.numpy(), out=gi)  # the gemv numpy's row matmul calls
    elif _level2() is not None:
        # strided operands: Linear.lua's addmv(0, 1, weight:t(), gradOutput) as a tensor call
        # (TH's gemv with the strides, in OpenBLAS's order)
        return m._lua_grad_input(input, gradOutput)
    else:
        np.matmul(gradOutput.numpy().reshape(1, -1), wt.numpy(), out=gi.reshape(1, -1))
    return gi_t


def _acc1(m, input, gradOutput, scale):
    """Linear.lua's vector accGradParameters (gradWeight:addr(scale, gradOutput, input);
    gradBias:add(scale, gradOutput)) in one C call (BLAS ger's FMA axpys, in its order); False
    when the general path decides."""
    d = m.__dict__
    gwt = d.get('gradWeight')
    wt = m.weight
    cls = type(wt)
    if gwt is None or cls not in _FLOAT_TENSORS or type(gradOutput) is not cls or not _c1():
        return False  # (a gradOutput of another type: the general path's checks)
    ws = wt._size
    if len(ws) != 2 or gwt._size != ws or gradOutput._size != (ws[0],) \
            or input._size != (ws[1],):
        return False
    if not (_dense(gwt, cls) and _dense(gradOutput, cls) and _dense(input, cls)):
        return False
    gb = None
    if d.get('bias') is not None:
        gbt = d.get('gradBias')
        if gbt is None or gbt._size != (ws[0],) or not _dense(gbt, cls):
            return False
        gb = gbt.numpy()
    if numerics._b is not None and numerics.exact:
        # gradWeight:addr(scale, gradOutput, input): TH's ger call on the row-major gradWeight
        # (an axpy of scale*gradOutput[j] times input per row; a column's when it is one
        # column wide); gradBias:add(scale, gradOutput): its axpy; in OpenBLAS's order
        b = numerics._b
        go, x, gw = gradOutput.numpy(), input.numpy(), gwt.numpy()
        try:
            if ws[1] > 1:
                b.ger(ws[1], ws[0], float(scale), x, 1, go, 1, gw, ws[1])
            else:
                b.ger(ws[0], 1, float(scale), go, 1, x, 1, gw, ws[0])
            if gb is not None:
                b.axpy(float(scale), go, gb)
            return True
        except (ValueError, TypeError, BufferError):
            pass
    ger = _GER1
    if ger is None:
        return False
    try:  # a read-only buffer fails before anything is written
        ger(gradOutput.numpy(), input.numpy(), gwt.numpy(), gb, ws[0], ws[1], scale,
            cls is _tensor.FloatTensor)
    except (BufferError, ValueError, TypeError):
        return False
    return True


def _fwd_args(m, input, act=None):
    """The arguments of _forward_n's one C call (linear_fwd, with act's Threshold after it)
    where that call applies with nothing to do first (the steady state of a training loop:
    addBuffer and the output already sized, every array writable), else None; nothing is done
    either way, so a Sequential can prepare a run of layers before the first one runs."""
    wt = m.weight
    cls = type(wt)
    out = m.output
    if type(out) is not cls or type(input) is not cls or cls not in _FLOAT_TENSORS \
            or len(wt._size) != 2 or len(input._size) != 2:
        return None
    n, n_in = input._size
    n_out = wt._size[0]
    if n_in != wt._size[1] or n < 2 or n_in < 2 or n_out < 2 or out._size != (n, n_out):
        return None
    d = m.__dict__
    bt = d.get('bias')
    if bt is not None and (type(bt) is not cls or bt._size != (n_out,) or bt._stride != (1,)):
        return None
    buf = d.get('addBuffer')
    if buf is None or buf._size != (n,) or type(buf) is not cls or input._stride != (n_in, 1) \
            or wt._stride != (n_in, 1) or out._stride != (n_out, 1) \
            or not (_kernels.use_c and _kernels._nnk is not None) \
            or not _blas.checked('linear_fwd', _fwd_check):
        return None
    y = out.numpy()
    x = input.numpy()
    w = wt.numpy()
    if not y.flags.writeable or _may_share(y, x) or _may_share(y, w):
        return None
    b = None if bt is None else bt.numpy()
    single = cls is _tensor.FloatTensor
    if act is None:
        return (x, w, b, y, n, n_out, n_in, single)
    r = act[0].output.numpy()
    if not r.flags.writeable:
        return None
    return (x, w, b, y, n, n_out, n_in, single, r, act[1], act[2])


def _forward_n(m, input, act=None):
    """Linear.lua's batch forward (output:addmm(0, output, 1, input, weight:t()); output:addr(1,
    addBuffer, bias)) for dense matrices of the module's type, in few Python steps: the
    general path's checks all hold here, and after a big product each Python step runs from a
    cold cache (issue 16). None when another case applies (the general path decides). With
    act, (a Threshold, its threshold, its val) that threshold.fused_forward allowed: its
    forward on the output too (in the same C call where linear_fwd runs)."""
    a = _fwd_args(m, input, act)
    if a is not None:  # (the steady state)
        _kernels._nnk.linear_fwd(*a)
        return m.output
    wt = m.weight
    cls = type(wt)
    out = m.output
    if type(out) is not cls or cls not in _FLOAT_TENSORS or len(wt._size) != 2:
        return None
    n, n_in = input._size
    n_out = wt._size[0]
    if n_in != wt._size[1] or n == 0 or n_in == 0:
        return None
    d = m.__dict__
    bt = d.get('bias')
    if bt is not None and (type(bt) is not cls or bt._size != (n_out,)):
        return None
    buf = d.get('addBuffer')
    if buf is not None and type(buf) is not cls:
        return None  # (one a failed forward made of another type: the general path's error)
    if buf is None or buf._size != (n,):
        m._updateAddBuffer(input)
    if out._size != (n, n_out):
        out.resize(n, n_out)
    y = out.numpy()
    x = input.numpy()
    w = wt.numpy()
    if (n > 1 and n_out > 1 and n_in > 1 and input._stride == (n_in, 1)
            and wt._stride == (n_in, 1) and out._stride == (n_out, 1)
            and (bt is None or bt._stride == (1,)) and _kernels.use_c
            and _kernels._nnk is not None and _blas.checked('linear_fwd', _fwd_check)
            and not _may_share(y, x) and not _may_share(y, w)):
        # matmul and add_bias below, in one C call (no Python after the product)
        b = None if bt is None else bt.numpy()
        if act is None:
            _kernels._nnk.linear_fwd(x, w, b, y, n, n_out, n_in, cls is _tensor.FloatTensor)
        else:
            _kernels._nnk.linear_fwd(x, w, b, y, n, n_out, n_in, cls is _tensor.FloatTensor,
                                     act[0].output.numpy(), act[1], act[2])
        return out
    if act is not None:
        _forward_n(m, input)
        act[0].updateOutput(out)
        return out
    if not obgemm.mm_into(y, x, w.T, rstride=out._stride):  # addmm(0, output, 1, x, w^T)
        np.matmul(x, w.T, out=y)
    if bt is not None:
        # addr with the ones buffer: an exact-product axpy, i.e. a plain add (add_bias's C
        # loop, called here when it applies: dense, of one float type)
        b = bt.numpy()
        if out._stride == (n_out, 1) and bt._stride == (1,) and _kernels.use_c \
                and _kernels._nnk is not None:
            _kernels._nnk.add_bias(y, b, n, n_out, 1, cls is _tensor.FloatTensor)
        else:
            add_bias(y, b, n, 1)
    return out


def _grad_input_n(m, input, gradOutput):
    """Linear.lua's batch gradInput:addmm(0, 1, gradOutput, weight) for well-formed matrices
    of the module's type (see _forward_n); None when the general path decides."""
    gi_t = m.gradInput
    wt = m.weight
    cls = type(wt)
    if type(gi_t) is not cls or type(gradOutput) is not cls or cls not in _FLOAT_TENSORS:
        return None
    ws = wt._size
    isz = input._size
    if len(ws) != 2 or isz[1] != ws[1] or gradOutput._size != (isz[0], ws[0]):
        return None
    if gi_t._size != isz:
        gi_t.resize(*isz)
    go, w, gi = gradOutput.numpy(), wt.numpy(), gi_t.numpy()
    if not obgemm.mm_into(gi, go, w, rstride=gi_t._stride):  # addmm(0, 1, gradOutput, weight)
        np.matmul(go, w, out=gi)
    return gi_t


def _acc_n(m, input, gradOutput, scale):
    """Linear.lua's batch accGradParameters (gradWeight:addmm(scale, gradOutput:t(), input);
    gradBias:addmv(scale, gradOutput:t(), addBuffer)) as the general path's one C call
    (linear_acc) for dense matrices of the module's type: False when another case applies (the
    general path decides)."""
    d = m.__dict__
    gwt = d.get('gradWeight')
    wt = m.weight
    cls = type(wt)
    if type(gwt) is not cls or type(gradOutput) is not cls or cls not in _FLOAT_TENSORS \
            or not (_kernels.use_c and _kernels._nnk is not None):
        return False
    ws = wt._size
    if len(ws) != 2 or gwt._size != ws:
        return False
    o, i = ws
    n = input._size[0]
    if input._size[1] != i or gradOutput._size != (n, o) or n == 0 or scale != 1 \
            or (numerics.exact and o * i * n <= numerics._GEMM_SMALL) or o < 4:
        return False  # (small products: obgemm's C kernel; a gradBias of fewer than 4)
    if input._stride != (i, 1) or gradOutput._stride != (o, 1) or gwt._stride != (i, 1):
        return False  # (not dense)
    gb = _grad_bias_array(d, cls, o)
    if gb is False:
        return False
    if not _blas.checked('linear', _acc_check):
        return False
    _linear_acc(gwt.numpy(), gradOutput.numpy(), input.numpy(), gb, 1)
    return True


def _bwd_args(m, input, gradOutput, act=None):
    """The arguments of _backward_n's one C call (linear_bwd, with act's Threshold before it)
    where that call applies with nothing to do first (gradInput already sized, no array over
    another, every output writable), else None; nothing is done either way (see _fwd_args)."""
    gi_t = m.gradInput
    wt = m.weight
    cls = type(wt)
    d = m.__dict__
    gwt = d.get('gradWeight')
    if type(gi_t) is not cls or type(gradOutput) is not cls or type(gwt) is not cls \
            or type(input) is not cls or cls not in _FLOAT_TENSORS \
            or not (_kernels.use_c and _kernels._nnk is not None):
        return None
    ws = wt._size
    isz = input._size
    if len(ws) != 2 or gwt._size != ws or len(isz) != 2 or gi_t._size != isz:
        return None
    o, i = ws
    n = isz[0]
    if isz[1] != i or gradOutput._size != (n, o) or n < 2 or i < 2 or o < 4 \
            or (numerics.exact and o * i * n <= numerics._GEMM_SMALL):
        return None
    if input._stride != (i, 1) or gradOutput._stride != (o, 1) or gwt._stride != (i, 1) \
            or wt._stride != (i, 1) or gi_t._stride != (i, 1):
        return None
    gb = _grad_bias_array(d, cls, o)
    if gb is False or not (_blas.checked('linear', _acc_check)
                           and _blas.checked('linear_bwd', _bwd_check)):
        return None
    go = gradOutput.numpy()
    w = wt.numpy()
    gi = gi_t.numpy()
    gw = gwt.numpy()
    if not (gi.flags.writeable and gw.flags.writeable) or _may_share(gi, go) \
            or _may_share(gi, w) or (gb is not None and not gb.flags.writeable):
        return None
    tmp = scratch((o,), w.dtype) if gb is not None else None
    single = cls is _tensor.FloatTensor
    if act is None:
        return (go, w, gi, input.numpy(), gw, gb, tmp, n, o, i, single)
    agi = act[0].gradInput.numpy()
    if not agi.flags.writeable:
        return None
    return (go, w, gi, input.numpy(), gw, gb, tmp, n, o, i, single, act[1].numpy(), agi, act[2])


def _backward_n(m, input, gradOutput, act=None):
    """Module.backward of a batch at scale 1 (updateGradInput, then accGradParameters) where
    _grad_input_n and _acc_n both apply, in one C call (linear_bwd: their products and
    gradBias loop, in their order), with no Python between the products. False when another
    case applies (nothing done: Module.backward decides). With act, (a Threshold, its input,
    its threshold) that threshold.fused_backward allowed: its backward from this gradInput too
    (in the same C call)."""
    a = _bwd_args(m, input, gradOutput, act)
    if a is not None:  # (the steady state)
        _kernels._nnk.linear_bwd(*a)
        return True
    gi_t = m.gradInput
    wt = m.weight
    cls = type(wt)
    d = m.__dict__
    gwt = d.get('gradWeight')
    if type(gi_t) is not cls or type(gradOutput) is not cls or type(gwt) is not cls \
            or cls not in _FLOAT_TENSORS or not (_kernels.use_c and _kernels._nnk is not None):
        return False
    ws = wt._size
    isz = input._size
    if len(ws) != 2 or gwt._size != ws or len(isz) != 2:
        return False
    o, i = ws
    n = isz[0]
    if isz[1] != i or gradOutput._size != (n, o) or n < 2 or i < 2 or o < 4 \
            or (numerics.exact and o * i * n <= numerics._GEMM_SMALL):
        return False  # (numpy's gemv cases; small products; a gradBias of fewer than 4)
    if input._stride != (i, 1) or gradOutput._stride != (o, 1) or gwt._stride != (i, 1) \
            or wt._stride != (i, 1):
        return False  # (not dense)
    gb = _grad_bias_array(d, cls, o)
    if gb is False:
        return False
    if gi_t._size == isz and gi_t._stride != (i, 1):
        return False
    if not (_blas.checked('linear', _acc_check) and _blas.checked('linear_bwd', _bwd_check)):
        return False
    go = gradOutput.numpy()
    w = wt.numpy()
    if gi_t._size != isz:
        gi_t.resize(n, i)  # (updateGradInput's resize: a dense matrix)
    gi = gi_t.numpy()
    if gi_t._stride != (i, 1) or _may_share(gi, go) or _may_share(gi, w):
        # (matmul copes with an output over its operands: the two calls)
        np.matmul(go, w, out=gi)
        _linear_acc(gwt.numpy(), go, input.numpy(), gb, 1)
        if act is not None:
            act[0].backward(act[1], gi_t, 1)
        return True
    tmp = scratch((o,), w.dtype) if gb is not None else None
    if act is None:
        _kernels._nnk.linear_bwd(go, w, gi, input.numpy(), gwt.numpy(), gb, tmp, n, o, i,
                                 cls is _tensor.FloatTensor)
    else:
        _kernels._nnk.linear_bwd(go, w, gi, input.numpy(), gwt.numpy(), gb, tmp, n, o, i,
                                 cls is _tensor.FloatTensor, act[1].numpy(),
                                 act[0].gradInput.numpy(), act[2])
    return True


def _grad_bias_array(d, cls, o):
    """The gradBias array the one-call backward paths accumulate into (d: the module's
    fields): None without a bias, False where they do not apply (not a dense vector of the
    module's type; a double one without numerics.exact, where linear_gb's order is not asked
    for)."""
    if d.get('bias') is None:
        return None
    gbt = d.get('gradBias')
    if type(gbt) is not cls or gbt._size != (o,) or gbt._stride != (1,):
        return False
    if cls is not _tensor.FloatTensor and not numerics.exact:
        return False
    return gbt.numpy()


def _may_share(a, b):
    """a and b may overlap in memory (their bounds do)."""
    return np.may_share_memory(a, b)


def _fwd_check():
    """linear_fwd gives the bits of Torch7's addmm (obgemm) and the bias add it replaces."""
    rs = np.random.RandomState(0)
    k = _kernels._nnk
    for dt in (np.float64, np.float32):
        for n, i, o in ((37, 30, 21), (2, 2, 2), (128, 50, 10), (3, 700, 5)):
            x, w = rs.standard_normal((n, i)).astype(dt), rs.standard_normal((o, i)).astype(dt)
            b = rs.standard_normal(o).astype(dt)
            for bias in (b, None):
                e = np.empty((n, o), dt)
                obgemm.mm_into(e, x, w.T)  # output:addmm(0, output, 1, input, weight:t())
                if bias is not None:
                    np.add(e, bias, out=e)
                y = np.empty((n, o), dt)
                k.linear_fwd(x, w, bias, y, n, o, i, dt == np.float32)
                if y.tobytes() != e.tobytes():
                    return False
    return True


def _bwd_check():
    """linear_bwd gives the bits of Torch7's addmm (obgemm) and linear_acc it replaces."""
    rs = np.random.RandomState(1)
    for dt in (np.float64, np.float32):
        for n, i, o in ((37, 30, 21), (2, 2, 4), (128, 50, 10), (3, 700, 5)):
            go, x = rs.standard_normal((n, o)).astype(dt), rs.standard_normal((n, i)).astype(dt)
            w = rs.standard_normal((o, i)).astype(dt)
            gw, gb = rs.standard_normal((o, i)).astype(dt), rs.standard_normal(o).astype(dt)
            for bias in (gb, None):
                egw = gw.copy()
                egb = None if bias is None else bias.copy()
                ei = np.empty((n, i), dt)
                obgemm.mm_into(ei, go, w)  # gradInput:addmm(0, 1, gradOutput, weight)
                _linear_acc(egw, go, x, egb, 1)
                agw = gw.copy()
                agb = None if bias is None else bias.copy()
                gi = np.empty((n, i), dt)
                _kernels._nnk.linear_bwd(go, w, gi, x, agw, agb,
                                         scratch((o,), dt) if agb is not None else None,
                                         n, o, i, dt == np.float32)
                if gi.tobytes() != ei.tobytes() or agw.tobytes() != egw.tobytes() or (
                        bias is not None and agb.tobytes() != egb.tobytes()):
                    return False
    return True


class Linear(Module):

    # Torch7: no need to accumulate into the gradients when sharing; update the weight directly
    sharedAccUpdateGradParameters = Module.defaultAccUpdateGradParameters

    def __init__(self, inputSize, outputSize, bias=True):
        super().__init__()
        self.weight = new_tensor(outputSize, inputSize)
        self.gradWeight = new_tensor(outputSize, inputSize)
        if bias is not False:
            self.bias = new_tensor(outputSize)
            self.gradBias = new_tensor(outputSize)
        self.reset()

    noBias = no_bias

    def reset(self, stdv=None):
        return uniform_reset(self, self.weight.size(2), stdv)

    def _check(self, input):
        if not hasattr(input, 'dim'):  # Linear.lua's `input:dim()`, as Lua fails on it
            kind = messages.lua_type_name(input)
            if kind in ('nil', 'number', 'boolean'):  # a string or a table index to nil
                raise at_lua(TorchError(messages.msg('index_local', 'input', kind)), _L54)
            raise at_lua(TorchError(messages.msg('call_nil_method', 'dim')), _L54)
        nd = input.dim()
        if nd not in (1, 2):
            raise at_lua(TorchError('input must be vector or matrix'), 'nn/Linear.lua:69')
        # cwrap matches addmv's / addmm's argument types before TH checks their sizes
        self._check_types(input)
        n_in = self.weight.size(2)
        if input._size[-1] != n_in:
            w = self.weight._size
            if nd == 1:  # (TH's errors of its addmv / addmm: their Lua lines, 57 and 66)
                raise at_lua(TorchError('size mismatch, %s, %s'
                                        % (sizes_str(w), sizes_str(input._size))), _L57)
            raise at_lua(TorchError('size mismatch, m1: %s, m2: %s'
                                    % (sizes_str(input._size), sizes_str((w[1], w[0])))), _L66)

    def _check_types(self, input):
        """Linear.lua calls output:addmv(1, weight, input) / output:addmm(0, output, 1, input,
        weight:t()): an input or a weight of another type fails cwrap's argument check of those."""
        if type(input) is not type(self.weight) or type(self.output) is not type(input):
            from .. import tensor_math
            if input.dim() == 1:
                given = (self.output, 1, self.weight, input)
                fn = 'addmv'
            else:
                given = (self.output, 0, self.output, 1, input, self.weight)
                fn = 'addmm'
            f = tensor_math._FUNCS[fn]
            # (the method is output's: its class's signatures are the ones listed)
            raise at_lua(f._invalid(type(self.output), f.mvariants,
                                    [tensor_math._code(a) for a in given]),
                         _L57 if fn == 'addmv' else _L66)

    def _lua_output(self, input):
        """Linear.lua's updateOutput as it is written (TH's integer types: their addmv, addmm
        and addr compute in integer arithmetic; no THNN call is made)."""
        d = self.__dict__
        with lua_line(_L54):
            nd = _lua.mcall(input, 'dim', what="local 'input'")
        out, w, b = self.output, self.weight, d.get('bias')
        if nd == 1:
            out.resize(w.size(1))
            if b is not None:
                out.copy(b)
            else:
                out.zero()
            with lua_line(_L57):
                _lua.mcall(out, 'addmv', 1, w, input)
        elif nd == 2:
            n = out.nElement()
            out.resize(input.size(1), w.size(1))
            if out.nElement() != n:
                out.zero()
            self._updateAddBuffer(input)
            with lua_line(_L66):
                _lua.mcall(out, 'addmm', 0, out, 1, input, w.t())
            if b is not None:
                with lua_line('nn/Linear.lua:67'):
                    _lua.mcall(out, 'addr', 1, self.addBuffer, b)
        else:
            raise at_lua(TorchError('input must be vector or matrix'), 'nn/Linear.lua:69')
        return out

    def updateOutput(self, input):
        if type(input) is type(self.weight):
            nd = len(input._size)
            y = _forward1(self, input) if nd == 1 else _forward_n(self, input) if nd == 2 \
                else None
            if y is not None:
                return y
        w = self.__dict__.get('weight')
        if isinstance(w, _tensor.Tensor) and type(w) not in _FLOAT_TENSORS and \
                isinstance(input, _tensor.Tensor):
            return self._lua_output(input)  # an integer Linear (m:long())
        try:
            self._check(input)
        except TorchError:
            self._lines_before_blas(input)
            raise
        check_type(self, input)
        buf = self.__dict__.get('addBuffer')
        if buf is not None and type(buf) is not type(self.weight) and len(input._size) == 2:
            # an addBuffer that a failed forward made of another type (input.new()): Linear.lua
            # keeps it, and its addr(1, addBuffer, bias) refuses it
            return self._lua_output(input)
        x = arr(input)
        w = arr(self.weight)
        x2 = x.reshape(1, -1) if x.ndim == 1 else x
        out_shape = (self.weight.size(1),) if x.ndim == 1 else (x.shape[0], self.weight.size(1))
        y = out_like(self.output, out_shape)
        y2 = y.reshape(x2.shape[0], -1)
        if x.ndim == 2:
            self._updateAddBuffer(input)
        if x.ndim == 1 and 2 <= w.shape[1] <= 3 and y.flags.c_contiguous:
            # Torch7: output:copy(bias); output:addmv(1, weight, input) (BLAS gemv's order)
            if self.__dict__.get('bias') is not None:
                y[...] = arr(self.bias)
            else:
                y[...] = 0
            if numerics.gemv_t_tail(w, x, y):
                return self.output
        # a batch: addmm(0, output, 1, input, weight:t()) in OpenBLAS's bits (obgemm); a
        # vector's addmv through numpy's BLAS
        if x.ndim == 1 or not obgemm.mm_into(y2, x2, w.T, rstride=self.output._stride):
            np.matmul(x2, w.T, out=y2)
        if self.__dict__.get('bias') is not None:
            # addr with the ones buffer: an exact-product axpy, i.e. a plain add
            add_bias(y2, arr(self.bias), y2.shape[0], 1)
        return self.output

    def _lines_before_blas(self, input):
        """Linear.lua's lines before its addmv / addmm (which refuse the input): the output
        resized (a vector's filled with the bias, a batch's zeroed when its count changed) and
        the batch's addBuffer, as a failed forward leaves them."""
        size = getattr(input, '_size', None)
        if not isinstance(input, _tensor.Tensor) or size is None or len(size) not in (1, 2):
            return
        n_out = self.weight.size(1)
        if len(size) == 1:
            self.output.resize(n_out)
            if self.__dict__.get('bias') is not None:
                self.output.copy(self.bias)
            else:
                self.output.zero()
            return
        n = self.output.nElement()
        self.output.resize(size[0], n_out)
        if self.output.nElement() != n:
            self.output.zero()
        self._updateAddBuffer(input)

    def _updateAddBuffer(self, input):
        nframe = input.size(1)
        buf = self.__dict__.get('addBuffer')
        if buf is None:
            buf = self.addBuffer = input.new()
        if buf.nElement() != nframe:
            buf.resize(nframe).fill(1)

    def clearState(self):
        utils.clear(self, 'addBuffer')
        return super().clearState()

    def _well_formed(self, input, gradOutput, acc):
        """input and gradOutput are what Linear.lua's TH calls take without a complaint: the
        module's tensor type throughout (gradInput's, or with acc gradWeight's and gradBias's
        too) and sizes that agree with the weight, for a vector or a batch. The general path
        computes those with numpy; anything else runs Linear.lua's own calls (_lua_grad_input,
        _lua_acc), whose checks give Torch7's texts in its order."""
        cls = type(self.weight)
        if type(input) is not cls or type(gradOutput) is not cls:
            return False
        d = self.__dict__
        ws = self.weight._size
        if len(ws) != 2:
            return False
        isz = input._size
        if len(isz) == 1:
            if isz != (ws[1],) or gradOutput._size != (ws[0],):
                return False
        elif len(isz) != 2 or isz[1] != ws[1] or gradOutput._size != (isz[0], ws[0]):
            return False
        if not acc:
            return type(d.get('gradInput')) is cls
        gw = d.get('gradWeight')
        if type(gw) is not cls or gw._size != ws:
            return False
        if d.get('bias') is not None:
            gb = d.get('gradBias')
            return type(gb) is cls and gb._size == (ws[0],)
        return True

    def _lua_grad_input(self, input, gradOutput):
        """Linear.lua's updateGradInput as it is written: gradInput:resizeAs(input) (zeroed
        when its element count changes), then addmv(0, 1, weight:t(), gradOutput) for a
        vector or addmm(0, 1, gradOutput, weight) for a matrix (no other dimension computes
        anything): TH's and cwrap's checks of those calls, in their order."""
        gi = self.gradInput
        n = gi.nElement()
        with lua_line('nn/Linear.lua:79'):
            _lua.mcall(gi, 'resizeAs', input)
        if gi.nElement() != n:
            gi.zero()
        with lua_line('nn/Linear.lua:83'):
            nd = _lua.mcall(input, 'dim', what="local 'input'")
        if nd == 1:
            with lua_line('nn/Linear.lua:84'):
                _lua.mcall(gi, 'addmv', 0, 1, self.weight.t(), gradOutput)
        elif nd == 2:
            with lua_line('nn/Linear.lua:86'):
                _lua.mcall(gi, 'addmm', 0, 1, gradOutput, self.weight)
        return gi

    def _lua_acc(self, input, gradOutput, scale):
        """Linear.lua's accGradParameters as it is written: gradWeight:addr(scale, gradOutput,
        input) and gradBias:add(scale, gradOutput) for a vector; gradWeight:addmm(scale,
        gradOutput:t(), input), updateAddBuffer and gradBias:addmv(scale, gradOutput:t(),
        addBuffer) for a matrix (TH's and cwrap's checks of those calls, in their order)."""
        d = self.__dict__
        with lua_line('nn/Linear.lua:95'):
            nd = _lua.mcall(input, 'dim', what="local 'input'")
        if nd == 1:
            with lua_line('nn/Linear.lua:96'):
                _lua.mcall(d.get('gradWeight'), 'addr', scale, gradOutput, input,
                           what="field 'gradWeight'")
            if d.get('bias') is not None:
                with lua_line('nn/Linear.lua:97'):
                    _lua.mcall(d.get('gradBias'), 'add', scale, gradOutput,
                               what="field 'gradBias'")
        elif nd == 2:
            with lua_line('nn/Linear.lua:99'):
                _lua.mcall(d.get('gradWeight'), 'addmm', scale,
                           _lua.mcall(gradOutput, 't', what="local 'gradOutput'"), input,
                           what="field 'gradWeight'")
            if d.get('bias') is not None:
                self._updateAddBuffer(input)
                with lua_line('nn/Linear.lua:103'):
                    _lua.mcall(d.get('gradBias'), 'addmv', scale, gradOutput.t(),
                               self.addBuffer, what="field 'gradBias'")

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        if type(input) is type(self.weight):
            nd = len(input._size)
            gi = _grad_input1(self, input, gradOutput) if nd == 1 else \
                _grad_input_n(self, input, gradOutput) if nd == 2 else None
            if gi is not None:
                return gi
        if not self._well_formed(input, gradOutput, False):
            return self._lua_grad_input(input, gradOutput)
        go = arr(gradOutput)
        gi = out_like(self.gradInput, input._size)
        go2 = go.reshape(1, -1) if go.ndim == 1 else go
        w = arr(self.weight)
        if go.ndim == 1 or not obgemm.mm_into(gi, go2, w, rstride=self.gradInput._stride):
            np.matmul(go2, w, out=gi.reshape(go2.shape[0], -1))
        return self.gradInput

    def _backward_fast(self, input, gradOutput, scale):
        """Module.backward's two calls in one C call for a batch (_backward_n), where they are
        this class's own: the gradInput, or None where that does not apply (nothing done)."""
        if (scale == 1 and type(input) is type(self.weight) and len(input._size) == 2
                and _own_backward(self) and _backward_n(self, input, gradOutput)):
            return self.gradInput
        return None

    def _forward_with_next(self, nxt, input):
        """Sequential's updateOutput of this module and the next one, nxt, in one C call
        (_forward_n with a Threshold after it: the step's Linear and ReLU): nxt's output, or
        None where that does not apply (nothing done: the Sequential calls both as usual)."""
        if type(input) is not type(self.weight) or len(input._size) != 2 \
                or type(self).updateOutput is not _OWN[3] or 'updateOutput' in self.__dict__:
            return None
        ws = self.weight._size
        if len(ws) != 2:
            return None
        p = threshold.fused_forward(nxt, type(self.weight), (input._size[0], ws[0]))
        if p is None or _forward_n(self, input, (nxt, p[0], p[1])) is None:
            return None
        return nxt.output

    def _backward_with_prev(self, prev, input, prev_input, gradOutput, scale):
        """Sequential's backward of this module (input: its input, prev's output) and of the
        one before it, prev (its input prev_input), in one C call (_backward_n with the
        Threshold before it): prev's gradInput, or None where that does not apply (nothing
        done: the Sequential calls both as usual)."""
        if scale != 1 or type(input) is not type(self.weight) or len(input._size) != 2 \
                or type(self).backward is not _OWN[2] or 'backward' in self.__dict__ \
                or not _own_backward(self):
            return None
        th = threshold.fused_backward(prev, prev_input, type(self.weight), input._size)
        if th is None or not _backward_n(self, input, gradOutput, (prev, prev_input, th)):
            return None
        return prev.gradInput

    def _chain_forward(self, nxt, input):
        """A Sequential's run of layers in one C call (linear_chain): what this module's
        forward on input (with nxt's, the next module's, where _forward_with_next would fuse
        it; nxt may be None) would do in one C call, as (linear_fwd's arguments, the tensor
        the result is left in, the number of modules covered), prepared without doing
        anything; None where that does not apply (the Sequential then calls as usual)."""
        if type(input) is not type(self.weight) or len(input._size) != 2 \
                or type(self).updateOutput is not _OWN[3] or 'updateOutput' in self.__dict__:
            return None
        ws = self.weight._size
        if len(ws) != 2:
            return None
        if nxt is not None:
            p = threshold.fused_forward(nxt, type(self.weight), (input._size[0], ws[0]))
            if p is not None:
                a = _fwd_args(self, input, (nxt, p[0], p[1]))
                return None if a is None else (a, nxt.output, 2)
        a = _fwd_args(self, input)  # (Linear.updateOutput's batch path, called alone)
        return None if a is None else (a, self.output, 1)

    def _chain_backward(self, prev, input, prev_input, gradOutput):
        """Sequential's backward at scale 1 of this module (input: its input) and, where
        _backward_with_prev would fuse it, of prev before it (prev_input: prev's input; prev
        None: this module alone), as (linear_bwd's arguments, the gradInput tensor it leaves
        the result in, the number of modules covered), prepared without doing anything; None
        where that does not apply."""
        if type(input) is not type(self.weight) or len(input._size) != 2 \
                or type(self).backward is not _OWN[2] or 'backward' in self.__dict__ \
                or not _own_backward(self):
            return None
        if prev is not None:
            th = threshold.fused_backward(prev, prev_input, type(self.weight), input._size)
            if th is not None:
                a = _bwd_args(self, input, gradOutput, (prev, prev_input, th))
                return None if a is None else (a, prev.gradInput, 2)
        if type(self)._backward_fast is not _BWD_FAST:
            return None
        a = _bwd_args(self, input, gradOutput)  # (Module.backward's _backward_fast, alone)
        return None if a is None else (a, self.gradInput, 1)

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None or scale is False:  # scale = scale or 1
            scale = 1
        if type(scale) is not int and type(scale) is not float:
            # (a string, a table: cwrap's checks of Linear.lua's addr/addmm name it)
            self._lua_acc(input, gradOutput, scale)
            return
        if type(input) is type(self.weight):
            nd = len(input._size)
            if nd == 1 and _acc1(self, input, gradOutput, scale) \
                    or nd == 2 and _acc_n(self, input, gradOutput, scale):
                return
        if not self._well_formed(input, gradOutput, True):
            self._lua_acc(input, gradOutput, scale)
            return
        if (len(gradOutput._size) == 2 and gradOutput._stride[1] != 1
                and _level2() is not None):
            # a gradOutput whose rows are not contiguous (a transposed one): gradOutput:t()
            # is no column-major matrix, so TH's addmv for gradBias calls gemv 't' (on it or
            # on a contiguous copy), another order than the usual 'n'; Linear.lua's calls as
            # tensor calls take TH's branch
            self._lua_acc(input, gradOutput, scale)
            return
        x = arr(input)
        go = arr(gradOutput)
        x2 = x.reshape(1, -1) if x.ndim == 1 else x
        go2 = go.reshape(1, -1) if go.ndim == 1 else go
        gw = arr(self.gradWeight)
        if x.ndim == 1 and gw.dtype.kind == 'f':
            # Torch7: gradWeight:addr(scale, gradOutput, input), BLAS ger: column j gets an
            # axpy of scale*gradOutput[j] (rounded) times input; gradBias:add(scale, ...)
            lv = _level2()
            if lv is None or lv._th_addr(type(self.gradWeight), self.gradWeight, 1,
                                         self.gradWeight, scale, gradOutput, input) is None:
                g = go if scale == 1 else go * gw.dtype.type(scale)
                numerics.fma(g.reshape(-1, 1), x.reshape(1, -1), gw, out=gw)
            if self.__dict__.get('bias') is not None:
                numerics.axpy(arr(self.gradBias), scale, go)
            return
        # Torch7: gradWeight:addmm(scale, gradOutput:t(), input) and gradBias:addmv(scale,
        # gradOutput:t(), addBuffer): small ones in OpenBLAS's order, others through BLAS
        has_bias = self.__dict__.get('bias') is not None
        small = go2.shape[1] * x2.shape[1] * go2.shape[0] <= numerics._GEMM_SMALL
        if not (small and obgemm.mm_into(gw, go2.T, x2, scale, 1,
                                         rstride=self.gradWeight._stride)):
            gb = arr(self.gradBias) if has_bias else None
            if gb is not None and not _bias_c(gb, go2, scale):
                gb = None
            if _acc_c(gw, go2, x2, gb, scale):
                if gb is not None or not has_bias:
                    return
            elif not obgemm.mm_into(gw, go2.T, x2, scale, 1, rstride=self.gradWeight._stride):
                _gemm_acc(gw, go2, x2, scale)
        if has_bias:
            gb = arr(self.gradBias)
            if scale == 1 and _bias_acc(gb, go2):
                return
            n, m = go2.shape
            if (scale == 1 and m > 3 and gb.dtype == np.float32 and go2.dtype == gb.dtype
                    and n > 0 and _kernels.c_ok(go2, gb)):
                # sgemv_n's order with the ones buffer (numerics.gemv_n's), in one C loop
                _kernels._nnk.linear_gb(go2, gb, scratch(gb.shape, gb.dtype), n, m, True)
                return
            ones = np.ones(go2.shape[0], gb.dtype)
            if not numerics.gemv_n(go2.T, ones, gb, scale, go2.flags.c_contiguous):
                tmp = scratch(gb.shape, gb.dtype)
                np.add.reduce(go2, axis=0, out=tmp)
                if scale != 1:
                    tmp *= scale
                gb += tmp

    def __tostring__(self):
        # torch.type(self): a subclass (torch.class('nn.X', 'nn.Linear')) shows its own name
        return '%s(%d -> %d)%s' % (utils.typename(self), self.weight.size(2),
                                   self.weight.size(1),
                                   '' if self.__dict__.get('bias') is not None
                                   else ' without bias')


_OWN = (Linear.updateGradInput, Linear.accGradParameters, Module.backward, Linear.updateOutput)
_BWD_FAST = Linear._backward_fast


def _own_backward(m):
    """m's updateGradInput and accGradParameters are Linear's (not a subclass's, neither set
    on a class or on the object since: a Lua script may do it)."""
    cls = type(m)
    d = m.__dict__
    return (cls.updateGradInput is _OWN[0] and cls.accGradParameters is _OWN[1]
            and 'updateGradInput' not in d and 'accGradParameters' not in d)
