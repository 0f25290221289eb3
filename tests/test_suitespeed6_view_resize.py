"""Tensor.view and Tensor.resize's plain-int fast paths against the general path (the same
sizes as a LongStorage) and against numpy's reshape, on random shapes, offsets and
non-contiguous views, with the errors unchanged."""
import random

import numpy as np
import pytest

import torch7py as torch
from torch7py.storage import TorchError


def _geom(t):
    return t._offset, t._size, t._stride, t._storage


def _outcome(f):
    try:
        return "ok", f()
    except (TorchError, TypeError, ValueError) as e:
        return "err", str(e)


def _rand_sizes(rng, n):
    # a factorisation of n in random order, with sometimes one -1, sometimes a wrong size
    f, k = [], n
    for p in (2, 3, 5, 7):
        while k % p == 0:
            f.append(p)
            k //= p
    if k > 1:
        f.append(k)
    rng.shuffle(f)
    sizes = []
    while f:
        c = rng.randint(1, len(f))
        prod = 1
        for v in f[:c]:
            prod *= v
        sizes.append(prod)
        f = f[c:]
    if not sizes:
        sizes = [1]
    r = rng.random()
    if r < 0.3:
        sizes[rng.randrange(len(sizes))] = -1
    elif r < 0.4:
        sizes[rng.randrange(len(sizes))] += 1
    elif r < 0.45:
        sizes.append(0)
    elif r < 0.5:
        sizes = sizes + [-1, -1]
    return sizes


@pytest.mark.parametrize("seed", range(6))
def test_view_fast_matches_general(seed):
    rng = random.Random(seed)
    for _ in range(300):
        shape = [rng.randint(1, 5) for _ in range(rng.randint(1, 4))]
        base = torch.rand(*[s + 2 for s in shape])
        t = base
        for d, s in enumerate(shape):  # a view at an offset, contiguous or not
            t = t.narrow(d + 1, rng.randint(1, 3), s)
        if rng.random() < 0.5:
            t = t.contiguous()
        if rng.random() < 0.2 and t.dim() > 1:
            t = t.transpose(1, 2)
        sizes = _rand_sizes(rng, t.nElement())
        fast = _outcome(lambda: t.view(*sizes))
        slow = _outcome(lambda: t.view(torch.LongStorage(sizes)))
        assert fast[0] == slow[0], (t._size, sizes, fast, slow)
        if fast[0] == "err":
            assert fast[1] == slow[1]
            continue
        assert _geom(fast[1]) == _geom(slow[1])
        # independent: numpy's reshape of the elements, contiguous strides
        kept = sizes[:sizes.index(0)] if 0 in sizes else sizes  # TH stops at a size 0
        want = t.numpy().reshape(kept)
        np.testing.assert_array_equal(fast[1].numpy(), want)
        acc, strides = 1, []
        for s in reversed(fast[1]._size):
            strides.insert(0, acc)
            acc *= s
        assert fast[1]._stride == tuple(strides)


@pytest.mark.parametrize("seed", range(6))
def test_resize_fast_matches_general(seed):
    rng = random.Random(100 + seed)
    for _ in range(300):
        shape = [rng.randint(1, 5) for _ in range(rng.randint(0, 4))]
        a = torch.rand(*shape) if shape else torch.Tensor()
        if rng.random() < 0.3 and a.dim() > 1:
            a = a.transpose(1, a.dim())
        if rng.random() < 0.3 and a.dim() and a._size[0] > 1:
            a = a.narrow(1, 2, a._size[0] - 1)
        b = a.new().set(a)
        new = [rng.randint(1, 6) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.3:
            new = list(a._size) or [1]
        ra = a.resize(*new)
        assert b._resize_nd(list(new)) is b
        assert ra is a
        assert (a._offset, a._size, a._stride) == (b._offset, b._size, b._stride)
        assert a._storage.size() == b._storage.size()
        # independent: a contiguous result's strides, and room for its elements
        if a._size != tuple(shape) or new != list(shape):
            n = int(np.prod(new))
            assert a._storage.size() >= a._offset + n
        a.numpy()[...] = 7
        assert (a.numpy() == 7).all()


def test_view_and_resize_errors_unchanged():
    t = torch.rand(3, 4)
    with pytest.raises(TorchError, match="expecting a contiguous tensor"):
        t.t().view(12)
    with pytest.raises(TorchError):
        t.view(5, 3)
    with pytest.raises(TorchError):
        t.view(-1, -1)
    with pytest.raises(TorchError, match="number expected"):
        t.resize(3, "x")
    # a size <= 0 ends the dimensions, as TH's resizeNd
    assert t.clone().resize(3, 0).dim() == 1
    assert t.view(12, 0).dim() == 1
