"""The helpers that the nn parity cases (../shared/parity/cases/nn_*, module_*, crit_*) define in
Lua, in Python: deterministic fills, forward/backward runs, recursive clones."""
import math

import numpy as np

import torch7py as torch
from torch7py.tensor import Tensor


def sfill(t, a, f, o=0.0):
    """t[i] = a * sin(f * i + o) in row-major order (i from 1)."""
    n = t.nElement()
    # Lua's math.sin is libm's sin, as Python's math.sin (numpy's sin may be its own SIMD code)
    v = np.array([a * math.sin(f * i + o) for i in range(1, n + 1)])
    t.numpy()[...] = v.reshape(t.numpy().shape)
    return t


def det(a, f, o, *sizes):
    return sfill(torch.Tensor(*sizes), a, f, o)


def T(data, cls=None):
    return (cls or torch.Tensor)(data)


def rclone(x):
    if isinstance(x, Tensor):
        return x.clone()
    if isinstance(x, list):
        return [rclone(v) for v in x]
    if isinstance(x, dict):
        return {k: rclone(v) for k, v in x.items()}
    return x


def mkgrad(y, seed):
    if isinstance(y, Tensor):
        return sfill(y.new(*y._size) if y._size else y.new(), 0.5, 0.29 + 0.03 * seed, seed)
    return [mkgrad(v, seed + i + 1) for i, v in enumerate(y)]


def run(m, x, seed, scale=None):
    """Deterministic parameters, forward, backward with mkgrad: output, gradInput, gradParams."""
    params, _ = m.parameters()
    if params:
        for k, p in enumerate(params, 1):
            sfill(p, 0.5, 0.3 + 0.17 * k + 0.05 * seed, 0.7 * k + seed)
    m.zeroGradParameters()
    y = rclone(m.forward(x))
    gi = rclone(m.backward(x, mkgrad(y, seed), scale))
    res = {'output': y, 'gradInput': gi}
    _, gp = m.parameters()
    if gp:
        res['gradParams'] = rclone(gp)
    return res


def crun(c, input, target):
    """A criterion's loss, output field and (cloned) gradInput, as the crit_* cases record."""
    loss = c.forward(input, target)
    gi = rclone(c.backward(input, target))
    return {'loss': loss, 'output_field': c.output, 'gradInput': gi}


def floats(x):
    """x with its DoubleTensors (nested in lists) made FloatTensors."""
    if isinstance(x, list):
        return [floats(v) for v in x]
    if isinstance(x, Tensor) and x.typename == 'torch.DoubleTensor':
        return x.float()
    return x


def sp(t):
    """Names t's storage (Lua's torch.pointer(t:storage()))."""
    return id(t.storage())


def live(m, x, seed):
    """forward and backward without clones, and whether they alias their inputs."""
    y = m.forward(x)
    gy = mkgrad(y, seed)
    gi = m.backward(x, gy)
    return {'output': y, 'gradInput': gi, 'out_aliases_input': sp(y) == sp(x),
            'gi_aliases_gradOutput': sp(gi) == sp(gy)}


# ---- finite differences --------------------------------------------------------------------------

def leaves(x):
    """The tensors of x (a tensor, or nested lists of them) in order."""
    if isinstance(x, (list, tuple)):
        return [t for v in x for t in leaves(v)]
    return [x]


def dot(y, g):
    """<y, g> over the leaves: the loss whose gradient backward(x, g) computes."""
    return sum(float((a.numpy() * b.numpy()).sum()) for a, b in zip(leaves(y), leaves(g)))


def central_diff(a, f, eps=1e-6):
    """(f() at a + eps - f() at a - eps) / 2 eps for each entry of the numpy array a (the data of
    an input or parameter, changed in place and restored), in float64, shaped like a."""
    num = np.zeros(a.shape)
    for i in np.ndindex(a.shape):
        old = a[i]
        a[i] = old + eps
        fp = f()
        a[i] = old - eps
        fm = f()
        a[i] = old
        num[i] = (fp - fm) / (2 * eps)
    return num
