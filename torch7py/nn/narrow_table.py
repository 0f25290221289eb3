"""nn.NarrowTable: port of torch/nn NarrowTable.lua (entries offset..offset+length-1 of a table)."""
from ..tensor import Tensor, TorchError
from . import _lua, utils
from .module import Module


class NarrowTable(Module):

    def __init__(self, offset, length=1):
        super().__init__()
        self.offset = offset
        self.length = 1 if length is None else length
        if offset is None or offset is False:   # NarrowTable.lua: `if not offset then error`
            raise TorchError('nn.NarrowTable(offset, length)')
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        # NarrowTable.lua empties its output table and fills output[i] = input[offset+i-1]:
        # the same table every call, and entries past the input's end are nil (the table
        # ends before the first of them), no error
        items = []
        for k in range(self.offset, self.offset + self.length):
            if isinstance(input, Tensor):   # input[k] of a tensor: its k-th row (or element)
                items.append(_lua.index(input, k))
                continue
            if not 1 <= k <= len(input):
                break
            items.append(input[k - 1])
        out = self.output
        if not isinstance(out, list):
            out = self.output = []
        out[:] = items
        return self.output

    def updateGradInput(self, input, gradOutput):
        # built in a plain list, then stored: gradInput may be a Lua table (a script read
        # it), which cannot hold the None placeholders
        # NarrowTable.lua's loops: for i=1,#gradOutput, then for i=1,#input (Lua's # and
        # for-limit errors on what is not a table)
        _lua.for_limit(_lua.length(gradOutput, "local 'gradOutput'"))
        _lua.for_limit(_lua.length(input, "local 'input'"))
        if isinstance(gradOutput, str):
            gradOutput = []   # (gradOutput[i] of a string is nil)
        gi = list(self.gradInput)
        while len(gi) < len(input):
            gi.append(None)
        for i, g in enumerate(gradOutput):
            gi[self.offset - 1 + i] = g
        for i in range(len(input)):
            if i < self.offset - 1 or i >= self.offset - 1 + self.length:
                gi[i], _ = utils.recursiveResizeAs(gi[i], input[i])
                utils.recursiveFill(gi[i], 0)
        self.gradInput[:] = gi[:len(input)]
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if type is not None:
            self.output = []
            self.gradInput = []
        return super().type(type, tensorCache)
