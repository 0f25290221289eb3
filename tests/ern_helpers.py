"""Helpers shared by the tests of Element-Research rnn's port (tests/test_ernport_*.py,
tests/test_t7zoo6_ern.py): numpy <-> DoubleTensor, a serialize/deserialize round trip, the
logistic sigmoid, central finite differences and the autouse fixture that makes doubles the
default tensor type (import `double_default` into a test module to use it)."""
import contextlib
import io

import numpy as np
import pytest

import torch7py


def _sig(a):
    return 1 / (1 + np.exp(-a))


def _arr(t):
    return np.array(t.numpy(), dtype=np.float64)


def _t(a):
    t = torch7py.DoubleTensor(*a.shape)
    t.numpy()[...] = a
    return t


def _roundtrip(obj):
    with contextlib.redirect_stderr(io.StringIO()):
        return torch7py.deserialize(bytes(torch7py.serialize(obj)))


def numgrad(loss, x, eps=1e-6):
    """Central differences of the scalar loss(x) in each entry of x."""
    num = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        p, m = x.copy(), x.copy()
        p[idx] += eps
        m[idx] -= eps
        num[idx] = (loss(p) - loss(m)) / (2 * eps)
    return num


@pytest.fixture(autouse=True)
def double_default():
    torch7py.setdefaulttensortype('torch.DoubleTensor')
