"""nn.Transpose: port of torch/nn Transpose.lua (a contiguous copy of the transposed input)."""
from .. import messages
from ..messages import at_lua, lua_method_call
from ..tensor import TorchError
from .module import Module


def _pair(perm, line):
    """perm[1], perm[2] of Transpose.lua's loop (line): a permutation that is no table fails
    to index."""
    if isinstance(perm, (list, tuple)):
        return perm[0], perm[1]
    raise at_lua(TorchError(messages.index_text(messages.lua_type(perm), "local 'perm'")),
                 'nn/Transpose.lua:%d' % line)


class Transpose(Module):

    def __init__(self, *permutations):
        super().__init__()
        # Transpose.lua keeps {...} as it is: a permutation that is no table (nn.Transpose(1,
        # 2)) is refused only by a forward, at perm[1]
        self.permutations = [list(p) if isinstance(p, (list, tuple)) else p
                             for p in permutations]
        self.numInputDims = None

    def setNumInputDims(self, numInputDims):
        self.numInputDims = numInputDims
        return self

    def _offset(self, input):
        nid = self.__dict__.get('numInputDims')
        if nid and input.dim() > nid:
            return input.dim() - nid
        return 0

    def updateOutput(self, input):
        off = self._offset(input)
        for perm in self.permutations:
            a, b = _pair(perm, 21)
            with lua_method_call('transpose'):  # Transpose.lua: input:transpose(...)
                input = input.transpose(a + off, b + off)
        self.output.resizeAs(input).copy(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        off = self._offset(input)
        for perm in reversed(self.permutations):
            a, b = _pair(perm, 31)
            with lua_method_call('transpose'):
                gradOutput = gradOutput.transpose(a + off, b + off)
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput
