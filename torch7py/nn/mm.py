"""nn.MM: port of torch/nn MM.lua (matrix product of a pair, optionally transposed, or batched)."""
import numpy as np

from .. import obgemm
from . import _lua
from ._kernels import arr, out_like
from ._table import grad_list
from ..messages import at_lua, lua_line
from ..tensor import TorchError
from .module import Module


class MM(Module):

    def __init__(self, transA=False, transB=False):
        super().__init__()
        self.transA = transA
        self.transB = transB
        self.gradInput = [self.output.new(), self.output.new()]

    def _ops(self, input):
        # MM.lua's updateOutput line by line (each error carries the line its branch reaches)
        def at(line):
            return lua_line('nn/MM.lua:%d' % line)
        with at(20):
            if _lua.length(input, "local 'input'") != 2:
                raise TorchError('input must be a pair of minibatch matrices')
        with at(21):
            a, b = _lua.unpack(input)[:2]
        with at(22):
            nd = _lua.mcall(a, 'nDimension', what="local 'a'")
            if nd not in (2, 3):
                raise TorchError('input tensors must be 2D or 3D')
        if nd == 2:
            with at(25):
                if _lua.mcall(b, 'nDimension', what="local 'b'") != 2:
                    raise TorchError('second input tensor must be 2D')
        else:
            with at(34):
                if _lua.mcall(b, 'nDimension', what="local 'b'") != 3:
                    raise TorchError('second input tensor must be 3D')
            with at(35):
                if a.size(1) != b.size(1):
                    raise TorchError('inputs must contain the same number of minibatches')
        A, B = arr(a), arr(b)
        if self.transA:
            A = np.swapaxes(A, -1, -2)
        if self.transB:
            B = np.swapaxes(B, -1, -2)
        if A.shape[-1] != B.shape[-2]:
            raise at_lua(TorchError('matrix sizes do not match'),  # the 2D or the 3D branch
                         'nn/MM.lua:29' if A.ndim == 2 else 'nn/MM.lua:39')
        return A, B

    def updateOutput(self, input):
        A, B = self._ops(input)
        a, b = _lua.unpack(input)[:2]
        if not type(a) is type(b) is type(self.output) or obgemm.available() \
                and self.output.numpy().dtype.kind == 'f':
            # MM.lua's self.output:mm(a, b) (bmm for 3D): TH takes operands of the output's
            # type only, and names the types it was given; a float type's product in
            # OpenBLAS's bits (TensorMath's mm/bmm, torch7py.obgemm)
            if a.dim() == 2:
                a = a.t() if self.transA else a
                b = b.t() if self.transB else b
                self.output.resize(a.size(1), b.size(2))
                with lua_line('nn/MM.lua:32'):
                    return _lua.mcall(self.output, 'mm', a, b)
            a = a.transpose(2, 3) if self.transA else a
            b = b.transpose(2, 3) if self.transB else b
            self.output.resize(a.size(1), a.size(2), b.size(3))
            with lua_line('nn/MM.lua:42'):
                return _lua.mcall(self.output, 'bmm', a, b)
        y = out_like(self.output, A.shape[:-1] + B.shape[-1:])
        np.matmul(A, B, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        # its Lua: assert(#input == 2, ...), gradInput[i]:resizeAs(a), gradOutput:nDimension()
        if _lua.length(input, "local 'input'") != 2:
            raise TorchError('input must be a pair of tensors')
        a, b = _lua.unpack(input)[:2]
        with lua_line('nn/MM.lua:54'):
            _lua.mcall(self.gradInput[0], 'resizeAs', a)
        with lua_line('nn/MM.lua:55'):
            _lua.mcall(self.gradInput[1], 'resizeAs', b)
        nd = _lua.mcall(gradOutput, 'nDimension', what="local 'gradOutput'")
        if nd not in (2, 3):
            raise TorchError('arguments must be a 2D or 3D Tensor')
        if a.nDimension() != nd:
            raise TorchError('first input tensor must be %dD' % nd)
        if b.nDimension() != nd:
            raise TorchError('second input tensor must be %dD' % nd)
        A, B = self._ops(input)
        go = arr(gradOutput)
        if go.ndim not in (2, 3):
            raise TorchError('arguments must be a 2D or 3D Tensor')
        gi = grad_list(self, 2, input[0])
        same = type(a) is type(b) is type(gradOutput) is type(gi[0]) is type(gi[1])
        if (obgemm.available() and go.dtype.kind == 'f') or not same:
            # (of mixed types: mm's cwrap refuses them at their line)
            # MM.lua's own calls (mm/bmm into gradInput[i], as it is laid out): OpenBLAS's
            # bits through TensorMath (torch7py.obgemm)
            with lua_line('nn/MM.lua:54'):
                _lua.mcall(gi[0], 'resizeAs', a)
            with lua_line('nn/MM.lua:55'):
                _lua.mcall(gi[1], 'resizeAs', b)
            h, w, f = (1, 2, 'mm') if nd == 2 else (2, 3, 'bmm')
            if self.transA == self.transB:
                a, b = a.transpose(h, w), b.transpose(h, w)
            # (each call's line in MM.lua: a size mismatch there carries it)
            if self.transA:
                _mm_at(80, gi[0], f, b, gradOutput.transpose(h, w))
            else:
                _mm_at(82, gi[0], f, gradOutput, b)
            if self.transB:
                _mm_at(86, gi[1], f, gradOutput.transpose(h, w), a)
            else:
                _mm_at(88, gi[1], f, a, gradOutput)
            return self.gradInput
        gA = go @ np.swapaxes(B, -1, -2)
        gB = np.swapaxes(A, -1, -2) @ go
        ga = out_like(gi[0], input[0]._size)
        gb = out_like(gi[1], input[1]._size)
        ga[...] = np.swapaxes(gA, -1, -2) if self.transA else gA
        gb[...] = np.swapaxes(gB, -1, -2) if self.transB else gB
        return self.gradInput


def _mm_at(line, t, f, *args):
    """MM.lua's `t[f](t, ...)` (mm or bmm) on its line `line` of updateGradInput: a call of the
    field, not a method call, so TH's argument errors name no method and count t (bad
    argument #2 to '?')."""
    try:
        return getattr(t, f)(*args)
    except TorchError as e:
        e.lua_field_call = True
        raise at_lua(e, 'nn/MM.lua:%d' % line)
