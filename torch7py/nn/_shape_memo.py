"""The last answers of THNN's shape checks, by everything each check reads (the tensors' sizes,
the module's class and numbers): nn.Jacobian runs a module's forward and backward thousands of
times on tensors of one geometry, and the checks' answer (the output size, or an error, which is
not kept) is a pure function of those."""

_MEMO = {}
_LIMIT = 512


def size_of(t):
    """t's sizes for a key; None when t is no tensor (the caller checks it the long way)."""
    return getattr(t, "_size", None)


def get(key):
    return _MEMO.get(key)


def put(key, value):
    """Keep value for key, unless a part of key is None (something was no tensor)."""
    if None in key:
        return value
    if len(_MEMO) >= _LIMIT:
        _MEMO.clear()
    _MEMO[key] = value
    return value
