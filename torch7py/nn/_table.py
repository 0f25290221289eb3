"""Shared helpers of nn's table modules (element-wise ops over a list of tensors)."""
from ..tensor import DoubleTensor, FloatTensor
from ._kernels import new_tensor

_FLOAT_TENSORS = (DoubleTensor, FloatTensor)


def grad_list(module, n, like):
    """module.gradInput as a list of n tensors (created with ``like.new()``), extra ones dropped."""
    gi = module.gradInput
    if not isinstance(gi, list):
        gi = module.gradInput = []
    while len(gi) < n:
        gi.append(like.new() if like is not None else new_tensor())
    del gi[n:]
    return gi


_NO_GRAD = object()


def plain(module, input, n=None, gradOutput=_NO_GRAD):
    """A list of (at least n) non-empty tensors of the module's output type (and a tensor
    gradOutput when one is given, a nil one too, of as many elements as each input: the Lua
    lines copy it into gradInput[i]:resizeAs(input[i])): the table layers' vectorised paths;
    anything else runs their Lua lines (which fail where and as nn's do: TH's copy text)."""
    cls = type(module.output)
    # (Float and Double: TH's integer types divide as C does, or lack the method, in the Lua)
    ok = cls in _FLOAT_TENSORS and type(input) is list and len(input) >= (n or 1) and all(
        type(t) is cls and t._size for t in input)
    # inputs of different counts: the Lua lines, which write the output (input[1]'s copy)
    # before TH refuses the next one, as a failed forward leaves it in nn
    ok = ok and all(t.nElement() == input[0].nElement() for t in input)
    if ok and gradOutput is not _NO_GRAD:
        ok = type(gradOutput) is cls and all(
            t.nElement() == gradOutput.nElement() for t in input)
    return ok


def lua_grad_table(module):
    """The module's gradInput table (a fresh one when it holds none)."""
    gi = module.gradInput if isinstance(module.gradInput, list) else []
    module.gradInput = gi
    return gi


def lua_grad_slot(gi, input, i):
    """`self.gradInput[i] = self.gradInput[i] or input[1].new()`, as a table layer's Lua loop
    does at its step i (a failure at step i leaves the slots after i unmade); the slot."""
    from . import _lua
    g = _lua.index(gi, i)
    if g is None:
        g = _lua.field_call(_lua.index(input, 1), 'new')()
        if len(gi) < i:
            gi.append(g)
        else:
            gi[i - 1] = g
    return g
