"""Shared kernel of the spatial padding layers: an output pixel copies input pixel
(rows[i], cols[j]); the gradient sums back through the same map (one-hot matrix products)."""
import numpy as np

from .. import messages

from ..messages import at_lua
from ..tensor import TorchError
from . import _kernels
from ._kernels import arr, out_like, sizes_str
from ._thnn_check import arg_check, thnn_argcheck


def init_pads(m, pad_l, pad_r, pad_t, pad_b):
    """The Spatial*Padding constructors' fields: pad_l, and the other sides default to it."""
    m.pad_l = pad_l
    m.pad_r = pad_l if pad_r is None else pad_r
    m.pad_t = pad_l if pad_t is None else pad_t
    m.pad_b = pad_l if pad_b is None else pad_b


def pads_tostring(m):
    return '%s(l=%d, r=%d, t=%d, b=%d)' % (m.typename, m.pad_l, m.pad_r, m.pad_t, m.pad_b)


def check_input(input, where):
    """SpatialZeroPadding.lua's own check (where: the line of its error)."""
    if input.dim() not in (3, 4):
        raise at_lua(TorchError('input must be 3 or 4-dimensional'), where)


def check_thnn(input, nd, pads):
    """THNN's shape check of the replication/reflection paddings: the number of dimensions
    (nd or nd + 1 in batch mode; THNN_ARGCHECK #2) and an output not empty in every dimension
    (THArgCheck #2; THNN tests 'or', so one non-empty dimension passes). pads: (before,
    after) per padded dimension."""
    if nd == 3:
        thnn_argcheck(input.dim() in (3, 4), 2, input, '3D or 4D (batch mode) tensor expected '
                      'for input, but got: %s')
    else:
        thnn_argcheck(input.dim() in (4, 5), 2, input, '4D or 5D (batch mode) tensor expected '
                      'for input, but got: %s')
    size = input._size[-len(pads):]
    out = [n + a + b for n, (a, b) in zip(size, pads)]
    if len(pads) == 2:
        arg_check(out[0] >= 1 or out[1] >= 1, 2, 'input (H: %d, W: %d)is too small. '
                  'Calculated output H: %d W: %d', size[0], size[1], out[0], out[1])
    else:
        arg_check(max(out) >= 1, 2, 'input (D: %d H: %d, W: %d)is too small. Calculated '
                  'output D: %d H: %d W: %d', *(tuple(size) + tuple(out)))
    return out


def check_grad_thnn(input, gradOutput, out, planes=False):
    """THNN's gradOutput checks (THArgCheck #3: width, then height, then depth; the volumetric
    one checks the planes first, under the name 'width'), each reading gradOutput's size at the
    input's dimension (THTensor_size: #2 'dimension out of range' when gradOutput has fewer);
    THNN checks nothing else (a batch or plane count that differs reads past the tensor: an
    error here)."""
    nd = len(out)
    g, x = gradOutput._size, input._size
    checks = [(len(x) - nd - 1, x[-(nd + 1)], 'width')] if planes else []
    checks += [(len(x) - 1 - i, out[-1 - i], name)
               for i, name in enumerate(('width', 'height', 'depth')[:nd])]
    for d, want, name in checks:
        arg_check(d < len(g), 2, 'dimension %d out of range of %dD tensor', d + 1, len(g))
        if name == 'width':
            arg_check(g[d] == want, 3, 'gradOutput width unexpected. Expected: %d, Got: %d',
                      want, g[d])
        elif name == 'height':
            arg_check(g[d] == want, 3, 'gradOutput height unexpected. Expected: %d, Got: %d',
                      want, g[d])
        else:
            arg_check(g[d] == want, 3, 'gradOutput depth unexpected. Expected: %d, Got: %d',
                      want, g[d])
    want = tuple(x[:-nd]) + tuple(out)
    if tuple(g) != want:
        raise TorchError('size mismatch: gradOutput is %s, expected %s'
                         % (sizes_str(g), sizes_str(want)))


def gather(input, output, rows, cols, pads=None, mode=None):
    """output = input at (rows, cols); with ``pads`` (l, r, t, b) and a numpy pad ``mode`` that
    computes the same map, through np.pad (faster than fancy indexing)."""
    x = arr(input)
    shape = x.shape[:-2] + (rows.size, cols.size)
    y = out_like(output, shape)
    if mode is not None:
        l, r, t, b = pads
        y[...] = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(t, b), (l, r)], mode=mode)
    else:
        y[...] = x[..., rows[:, None], cols[None, :]]


def scatter(input, gradOutput, gradInput, rows, cols, deps=None):
    """THNN's updateGradInput_frame: gradInput zeroed, then each output element, in order
    (plane, depth, row, column), added into the input element it copied (input (deps[t],
    rows[i], cols[j]); deps None: a spatial layer). Sums stay in the tensor's type."""
    x = arr(input)
    nd = 2 if deps is None else 3
    size = x.shape[-nd:]
    planes = int(np.prod(x.shape[:-nd], dtype=np.int64))
    deps = np.zeros(1, np.int64) if deps is None else np.ascontiguousarray(deps, np.int64)
    rows = np.ascontiguousarray(rows, np.int64)
    cols = np.ascontiguousarray(cols, np.int64)
    D, H, W = (1,) + tuple(size) if nd == 2 else tuple(size)
    gi = out_like(gradInput, x.shape)
    go = np.ascontiguousarray(arr(gradOutput))
    if _kernels.c_ok(gi, go) and go.dtype == gi.dtype:
        _kernels._nnk.pad_back(gi, go, deps, rows, cols, planes, D, H, W, deps.size, rows.size,
                               cols.size, gi.dtype == np.float32)
        return
    # np.add.at adds the elements one by one, in the index arrays' (row-major) order
    g = np.zeros((planes, D, H, W), gi.dtype)
    idx = (np.arange(planes)[:, None, None, None], deps[None, :, None, None],
           rows[None, None, :, None], cols[None, None, None, :])
    np.add.at(g, idx, go.reshape(planes, deps.size, rows.size, cols.size))
    gi[...] = g.reshape(x.shape)


def lua_grad_checks(m, input, gradOutput, pads):
    """The padding modules' updateGradInput lines before their THNN call (Spatial/Volumetric
    Replication/ReflectionPadding.lua): the dimension branch (input and gradOutput both of
    the base rank or both one more), then the assert `input:size(1) == gradOutput:size(1)
    and ... and input:size(k) + self.pA + self.pB == gradOutput:size(k) and ...`, evaluated
    left to right (a nil pad is LuaJIT's arithmetic error, a size that differs the assert),
    then the THNN call's own checks. pads: the (before, after) field names of each padded
    dimension, outermost first."""
    from . import _lua, _thnn_lua
    from ._thnn_calls import CALLS
    from .utils import TorchAssertionError
    if getattr(_thnn_lua._STATE, "raw", 0):  # (a direct THNN call: THNN's checks only)
        return
    pre, var, args = CALLS[type(m).__name__]['updateGradInput']
    base = len(pads) + 1
    nd = _lua.mcall(input, 'dim', what="local 'input'")
    gd = _lua.mcall(gradOutput, 'dim', what="local 'gradOutput'") if nd in (base, base + 1) \
        else None
    if nd != gd or nd not in (base, base + 1):
        # error([[input and gradOutput must be ...]]) at its line
        raise messages.at_lua(TorchError(pre[0][2]), pre[0][3])
    lead = nd - len(pads)
    fail = 'input and gradOutput must be compatible in size'
    for i in range(1, lead + 1):
        if input.size(i) != gradOutput.size(i):
            raise TorchAssertionError(fail)
    d = m.__dict__
    for k, names in enumerate(pads, lead + 1):
        total = input.size(k)
        for name in names:
            v = d.get(name)
            if isinstance(v, str) and messages.lua_tonumber(v) is not None:
                v = messages.lua_tonumber(v)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TorchError(messages.arith_text(messages.lua_type(v), "field '%s'" % name))
            total = total + v
        if total != gradOutput.size(k):
            raise TorchAssertionError(fail)
    spec = ((), var, args)
    fast = _FAST.get(type(m))
    if fast is None:
        fast = _FAST[type(m)] = _thnn_lua._fast(spec, 2)
    if not fast(m, (input, gradOutput)):  # (the THNN call's checks: a few type tests first)
        _thnn_lua.check(m, spec, input, gradOutput)


_FAST = {}
