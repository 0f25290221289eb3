"""The THNN Lua-call checks' fast path (nn/_thnn_lua._fast): where it passes a call, the full
walk (`check`) raises nothing; on the plain calls of nn's modules it passes (else it buys
nothing); and a wrapped method still raises the Lua texts on bad input."""
import random

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.nn import _thnn_lua
from torch7py.nn._thnn_calls import CALLS
from torch7py.storage import TorchError


class _Obj:
    pass


def _specs():
    out = []
    for cls, methods in sorted(CALLS.items()):
        for meth, spec in sorted(methods.items()):
            if _thnn_lua._usable(spec):
                out.append((cls, meth, spec))
    return out


SPECS = _specs()


def _values(rng):
    """A pool of argument and field values: right and wrong tensor types, numbers, others."""
    return [None, torch.DoubleTensor(2, 3), torch.FloatTensor(2, 3), torch.LongTensor(3),
            torch.ByteTensor(2), torch.DoubleTensor(4, 2, 3), torch.DoubleTensor(5),
            torch.DoubleTensor(2, 2, 2, 2), torch.FloatTensor(3, 2, 2), 3, 2.5, True, False,
            "s", np.float64(1.5), [1, 2], {"a": 1}, _Obj()]


def _check_raises(m, spec, n, args):
    a = tuple(args) + (None,) * (n - len(args))
    try:
        _thnn_lua.check(m, spec, *a[:n])
    except TorchError:
        return True
    return False


@pytest.mark.parametrize("cls,meth,spec", SPECS, ids=[f"{s[0]}.{s[1]}" for s in SPECS])
def test_fast_never_passes_what_check_rejects(cls, meth, spec):
    rng = random.Random(sum(map(ord, cls + meth)))
    n = _thnn_lua._ARG_COUNT[meth]
    fast = _thnn_lua._fast(spec, n)
    tensors = sorted({a[1] for a in spec[2] if a[0] in ("field", "setfield", "opt")}
                     | {"gradInput"})
    nums = sorted({a[1] for a in spec[2] if a[0] == "num"})
    news = sorted({s[1] for s in spec[0] if len(s) == 2 and isinstance(s[1], str)})
    # (a THIndexTensor field is a LongTensor in a plain call, whatever the module's type)
    index = {a[1] for a in spec[2] if a[2:] == ("index",)}
    passed = 0
    for _ in range(300):
        pool = _values(rng)
        # a plain call (the module's own type everywhere) with 0-3 values then replaced
        dtype = rng.choice([torch.DoubleTensor, torch.FloatTensor])
        m = _Obj()
        for k in tensors + news:
            m.__dict__[k] = torch.LongTensor(3) if k in index else dtype(2, 3)
        for k in nums:
            m.__dict__[k] = rng.choice([3, 0.5, True])
        args = [dtype(*([2] * rng.randint(1, 5))) for _ in range(n)]
        if n > 2:
            args[2] = rng.choice([1, 0.5, None])
        for _ in range(rng.randint(0, 3)):
            r = rng.random()
            if r < 0.4 and args:
                args[rng.randrange(len(args))] = rng.choice(pool)
            elif r < 0.5:
                args = args[:rng.randint(0, len(args))]
            else:
                k = rng.choice(tensors + nums + news)
                if rng.random() < 0.2:
                    m.__dict__.pop(k, None)
                else:
                    m.__dict__[k] = rng.choice(pool)
        if fast(m, tuple(args)):
            passed += 1
            assert not _check_raises(m, spec, n, args), (cls, meth, args, m.__dict__)
    assert passed > 0


def _plain_module(cls):
    """nn's module of that class built with small arguments, or None where the constructor
    needs more than this test supplies."""
    ctor = getattr(nn, cls, None)
    for args in ((), (3,), (3, 3), (3, 3, 3, 3), (3, 3, 3, 3, 3, 3)):
        try:
            return ctor(*args)
        except (TorchError, TypeError, ValueError, AttributeError, IndexError):
            pass
    return None


@pytest.mark.parametrize("dtype", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_fast_passes_plain_calls(dtype):
    # a module whose fields are its own type's tensors and numbers: every call the full walk
    # accepts on a THNN tensor of an allowed rank, the fast path accepts too
    checked = 0
    for cls, meth, spec in SPECS:
        m = _plain_module(cls)
        if m is None:
            continue
        m = m.type(dtype)
        n = _thnn_lua._ARG_COUNT[meth]
        fast = _thnn_lua._fast(spec, n)
        dims = [set(s[1]) for s in spec[0] if s[0] == "dims"]
        for s in spec[0]:
            if s[0] == "dims2":
                dims.append(set(s[1]))
        nd = min(set.intersection(*dims)) if dims else 3
        nd = max(nd, 2)
        x = torch.Tensor().type(dtype).resize(*([2] * nd))
        args = (x, x.clone(), 1)[:n]
        if _check_raises(m, spec, n, args):
            continue
        assert fast(m, args), (cls, meth)
        checked += 1
    assert checked > 50


def test_wrapped_method_keeps_lua_errors():
    m = nn.SpatialConvolution(2, 3, 3, 3)
    # a FloatTensor weight with a double input: the FFI's conversion text, not a fast pass
    m.weight = m.weight.float()
    with pytest.raises(TorchError, match="FloatTensor"):
        m.updateOutput(torch.rand(2, 5, 5))
    m = nn.SpatialConvolution(2, 3, 3, 3)
    m.kW = "x"
    with pytest.raises(TorchError, match="string"):
        m.updateOutput(torch.rand(2, 5, 5))
    m = nn.SpatialConvolution(2, 3, 3, 3)
    with pytest.raises(TorchError):
        m.updateOutput(torch.LongTensor(2, 5, 5))
    # the plain call gives the same numbers with and without the checks
    x = torch.rand(2, 6, 6)
    y = m.updateOutput(x).clone()
    with _thnn_lua.raw():
        y2 = m.updateOutput(x).clone()
    np.testing.assert_array_equal(y.numpy(), y2.numpy())
