"""nn.CAddTensorTable: port of torch/nn CAddTensorTable.lua ({t, {x1, x2}} -> {x1 + t, x2 + t})."""
from ..tensor import Tensor
from ..messages import lua_line
from . import _lua
from ._kernels import arr, out_like
from .module import Module


class CAddTensorTable(Module):

    def __init__(self):
        super().__init__()
        self.gradInput = []   # (output stays Module's tensor until a forward, as in nn)

    def _plain(self, input):
        cls = type(self.output) if isinstance(self.output, Tensor) else None
        return (type(input) is list and len(input) == 2 and isinstance(input[0], Tensor)
                and type(input[1]) is list and all(
                    isinstance(x, Tensor) and x.nElement() == input[0].nElement()
                    and (cls is None or type(x) is type(input[0])) for x in input[1]))

    def _lua_output(self, input):
        """CAddTensorTable.lua's updateOutput line by line (a bad input fails there)."""
        out = []
        for i in _lua.upto(_lua.length(_lua.index(input, 2, "local 'input'"))):
            x1 = _lua.index(input, 1)
            o = _lua.index(out, i) or _lua.field_call(x1, 'new')()
            if len(out) < i:
                out.append(o)
            _lua.mcall(o, 'resizeAs', x1)
            _lua.mcall(o, 'copy', _lua.index(_lua.index(input, 2), i))
            _lua.mcall(o, 'add', x1)
        self.output = out
        return self.output

    def _lua_grad(self, input, gradOutput):
        """CAddTensorTable.lua's updateGradInput line by line."""
        def at(line):
            return lua_line('nn/CAddTensorTable.lua:%d' % line)
        gi = self.gradInput if isinstance(self.gradInput, list) else []
        g = _lua.index(gi, 1)
        if g is None:
            with at(27):
                g = _lua.field_call(_lua.index(input, 1, "local 'input'"), 'new')()
            if isinstance(self.gradInput, list):   # (the field is set before line 28 runs)
                self.gradInput[:1] = [g]
        with at(28):
            x1 = _lua.index(input, 1, "local 'input'")
        with at(28):
            _lua.mcall(g, 'resizeAs', x1)
        with at(29):
            _lua.mcall(g, 'copy', _lua.index(gradOutput, 1, "local 'gradOutput'"))
        with at(30):
            n = _lua.length(_lua.index(input, 2))
        for i in _lua.upto(n)[1:]:
            with at(31):
                _lua.mcall(g, 'add', _lua.index(gradOutput, i))
        for i in _lua.upto(n):
            with at(36):
                _lua.mcall(g, 'resizeAs', x1)   # (gradInput[2][i]:resizeAs(input[1]))
            with at(37):
                _lua.mcall(g, 'copy', _lua.index(gradOutput, i))

    def updateOutput(self, input):
        if not self._plain(input):
            return self._lua_output(input)
        t, xs = input
        out = []
        for i, x in enumerate(xs):
            # CAddTensorTable.lua: a new table of new tensors, input[1].new(), each call
            o = t.new()
            y = out_like(o, t._size)
            y[...] = arr(x).reshape(y.shape) + arr(t)
            out.append(o)
        self.output = out
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not (self._plain(input) and type(gradOutput) is list
                and len(gradOutput) >= len(input[1])
                and all(isinstance(g, Tensor) and g.nElement() == input[0].nElement()
                        for g in gradOutput[:len(input[1])])):
            self._lua_grad(input, gradOutput)
        t, xs = input
        gi = self.gradInput
        while len(gi) < 2:  # (no None: gradInput may be a Lua table, which cannot hold nil)
            gi.append(t.new() if len(gi) == 0 else [])
        if gi[0] is None or isinstance(gi[0], list):
            gi[0] = t.new()
        g = out_like(gi[0], t._size)
        g[...] = 0
        for go in gradOutput[:len(xs)]:
            g += arr(go).reshape(g.shape)
        if not isinstance(gi[1], list):
            gi[1] = []
        lst = gi[1]
        for i in range(len(xs)):
            if i >= len(lst):
                lst.append(t.new())
            out_like(lst[i], t._size)[...] = arr(gradOutput[i]).reshape(arr(t).shape)
        del lst[len(xs):]
        if gi[1] is not lst:  # gradInput is a Lua table: its element was read as a copy
            gi[1] = lst
        return self.gradInput
