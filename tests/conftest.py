"""Fixtures shared by the test modules."""
import pytest

from torch7py.nn import _kernels

_PATHS = [True, False] if _kernels._nnk is not None else [False]


@pytest.fixture(params=_PATHS, ids=lambda c: 'C' if c else 'numpy')
def use_c(request, monkeypatch):
    """Runs a test of nn's C kernels on the C path and on the numpy fallback."""
    monkeypatch.setattr(_kernels, 'use_c', request.param)
    return request.param
