"""nn.CAddTensorTable: port of torch/nn CAddTensorTable.lua ({t, {x1, x2}} -> {x1 + t, x2 + t})."""
from ._kernels import arr, out_like
from .module import Module


class CAddTensorTable(Module):

    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        t, xs = input
        old = self.output if isinstance(self.output, list) else []
        out = []
        for i, x in enumerate(xs):
            o = old[i] if i < len(old) else t.new()
            y = out_like(o, t._size)
            y[...] = arr(x).reshape(y.shape) + arr(t)
            out.append(o)
        self.output = out
        return self.output

    def updateGradInput(self, input, gradOutput):
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
