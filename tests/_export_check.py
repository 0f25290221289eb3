"""Runs a torch7py module and its PyTorch export on the same float64 input and compares outputs,
input gradients and parameter gradients (torch autograd against torch7py's backward)."""
import numpy as np

import torch7py as t7
from torch7py.nn._state_dict import grad_dict

torch = None


def _torch():
    global torch
    if torch is None:
        import torch as _t
        torch = _t
    return torch


def t7_tensor(a):
    t = t7.DoubleTensor(*a.shape) if a.ndim else t7.DoubleTensor()
    t.numpy()[...] = a
    return t


def to_t7(x):
    if isinstance(x, list):
        return [to_t7(v) for v in x]
    a = np.asarray(x)
    if a.dtype.kind in "iu":  # an index (nn.Index takes a LongTensor only, as Torch7)
        t = t7.LongTensor(*a.shape)
        t.numpy()[...] = a
        return t
    return t7_tensor(np.asarray(x, dtype=np.float64))


def to_torch(x, grad=True):
    th = _torch()
    if isinstance(x, list):
        return [to_torch(v, grad) for v in x]
    a = np.asarray(x)
    if a.dtype.kind in "iu":
        return th.tensor(a, dtype=th.int64)
    return th.tensor(a, dtype=th.float64, requires_grad=grad)


def as_np(x):
    if isinstance(x, list):
        return [as_np(v) for v in x]
    if hasattr(x, 'detach'):
        return x.detach().numpy()
    if isinstance(x, (int, float)):
        return np.array(x)
    return np.array(x.numpy())


def flat(x):
    if isinstance(x, (list, tuple)):
        out = []
        for v in x:
            out.extend(flat(v))
        return out
    return [x]


def like(x, rng):
    if isinstance(x, list):
        return [like(v, rng) for v in x]
    return rng.standard_normal(np.shape(x))


def close(a, b, what, tol=1e-10):
    a, b = flat(a), flat(b)
    assert len(a) == len(b), '%s: %d vs %d entries' % (what, len(a), len(b))
    for u, v in zip(a, b):
        u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
        assert u.shape == v.shape, '%s: shapes %s vs %s' % (what, u.shape, v.shape)
        np.testing.assert_allclose(u, v, rtol=tol, atol=tol, err_msg=what)


def _grads_by_parameter(module):
    """name -> the gradient PyTorch accumulates for that parameter: parameters that share one
    tensor in Torch7 are one tied parameter in the export, whose gradient is the sum of the
    distinct gradient tensors of the group (one, when Torch7 shares the gradients too)."""
    weights = module.state_dict()
    grads = grad_dict(module)
    groups = {}
    for name, g in grads.items():
        w = weights[name]
        key = (id(w._storage), w._offset, w._size)
        groups.setdefault(key, []).append((name, g))
    out = {}
    for members in groups.values():
        seen, total = set(), 0
        for _, g in members:
            gk = (id(g._storage), g._offset)
            if gk not in seen:
                seen.add(gk)
                total = total + np.array(g.numpy())
        for name, _ in members:
            out[name] = total
    return out


def compare(module, x, rng, input_grad=True, tm=None, before_torch=None, backward=True,
            batched_grad=False):
    """x: numpy array or (nested) list of arrays. Returns the exported module.
    backward=False compares outputs only; batched_grad: Torch7's gradInput keeps a batch
    dimension of 1 that the input has not (BatchNormalization's makeBatch)."""
    from torch7py.export import to_pytorch
    th = _torch()
    tm = to_pytorch(module) if tm is None else tm
    x7 = to_t7(x)
    y7 = as_np(module.forward(x7))
    if not backward:
        close(y7, as_np(tm(to_torch(x, grad=False))), 'output')
        return tm
    go = like(y7, rng)
    module.zeroGradParameters()
    gi7 = module.backward(x7, to_t7(go))
    gi7 = as_np(gi7) if input_grad else None
    g7 = _grads_by_parameter(module)
    if before_torch is not None:
        before_torch(module, tm)
    tm.zero_grad(set_to_none=True)
    xt = to_torch(x, grad=input_grad)
    yt = tm(xt)
    close(y7, as_np(yt), 'output')
    outs = flat(yt)
    gos = [th.tensor(g) for g in flat(go)]
    th.autograd.backward([o for o in outs if o.requires_grad],
                         [g for o, g in zip(outs, gos) if o.requires_grad])
    if input_grad:
        gt = [v.grad if v.grad is not None else th.zeros_like(v, dtype=th.float64)
              for v in flat(xt)]
        if batched_grad:
            gt = [g.unsqueeze(0) for g in gt]
        close(gi7, as_np(gt), 'gradInput')
    for name, g in g7.items():
        p = tm.get_parameter(name)
        assert p.grad is not None, name
        close(g, p.grad.numpy(), 'grad of ' + name)
    return tm
