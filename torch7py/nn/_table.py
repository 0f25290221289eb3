"""Shared helpers of nn's table modules (element-wise ops over a list of tensors)."""
from ..tensor import TorchError
from ._kernels import new_tensor, sizes_str


def grad_list(module, n, like):
    """module.gradInput as a list of n tensors (created with ``like.new()``), extra ones dropped."""
    gi = module.gradInput
    if not isinstance(gi, list):
        gi = module.gradInput = []
    while len(gi) < n:
        gi.append(like.new() if like is not None else new_tensor())
    del gi[n:]
    return gi


def same_n(tensors):
    """TH's element-wise ops need operands of the same number of elements."""
    n = tensors[0].nElement()
    for t in tensors[1:]:
        if t.nElement() != n:
            raise TorchError('inconsistent tensor size, expected %s and %s to have the same '
                             'number of elements, but got %d and %d elements respectively'
                             % (sizes_str(tensors[0]._size), sizes_str(t._size), n,
                                t.nElement()))
