"""Shared helpers of nn's table modules (element-wise ops over a list of tensors)."""
from ._kernels import new_tensor


def grad_list(module, n, like):
    """module.gradInput as a list of n tensors (created with ``like.new()``), extra ones dropped."""
    gi = module.gradInput
    if not isinstance(gi, list):
        gi = module.gradInput = []
    while len(gi) < n:
        gi.append(like.new() if like is not None else new_tensor())
    del gi[n:]
    return gi
