"""nn.NarrowTable: port of torch/nn NarrowTable.lua (entries offset..offset+length-1 of a table)."""
from ..messages import at_lua
from ..tensor import TorchError
from . import _lua, utils
from .module import Module


class NarrowTable(Module):

    def __init__(self, offset, length=1):
        super().__init__()
        self.offset = offset
        self.length = 1 if length is None else length
        if offset is None or offset is False:   # NarrowTable.lua: `if not offset then error`
            raise at_lua(TorchError('nn.NarrowTable(offset, length)'), 'nn/NarrowTable.lua:8')
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        # NarrowTable.lua empties its output table and fills output[i] = input[offset+i-1]:
        # the same table every call, and entries past the input's end are nil (the table
        # ends before the first of them), no error
        # (input[k] as Lua reads it: a tensor's slice, or its index error)
        items = []
        for k in range(self.offset, self.offset + self.length):
            v = _lua.index(input, k, "local 'input'")
            if v is None:
                break
            items.append(v)
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
        try:
            _lua.for_limit(_lua.length(gradOutput, "local 'gradOutput'"))
        except TorchError as e:
            raise at_lua(e, 'nn/NarrowTable.lua:24')
        try:
            _lua.for_limit(_lua.length(input, "local 'input'"))
        except TorchError as e:
            raise at_lua(e, 'nn/NarrowTable.lua:27')
        if isinstance(gradOutput, str):
            gradOutput = []   # (gradOutput[i] of a string is nil)
        # (a table by index: gradOutput may reach past the input's end, as in Lua)
        gi = dict(enumerate(self.gradInput, 1))
        for i, g in enumerate(gradOutput, 1):
            gi[self.offset + i - 1] = g
        n = _lua.length(input)
        for i in range(1, n + 1):
            if i < self.offset or i >= self.offset + self.length:
                gi[i], _ = utils.recursiveResizeAs(gi.get(i), _lua.index(input, i))
                utils.recursiveFill(gi[i], 0)
        # for i=#input+1,#self.gradInput do self.gradInput[i] = nil end: entries 1..#input
        # stay (the table ends at its first nil)
        out = []
        for i in range(1, n + 1):
            if gi.get(i) is None:
                break
            out.append(gi[i])
        self.gradInput[:] = out
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if type is not None:
            self.output = []
            self.gradInput = []
        return super().type(type, tensorCache)
