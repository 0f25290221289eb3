"""nn.DepthConcat: port of torch/nn DepthConcat.lua (Concat that zero-pads smaller maps)."""
from .. import messages
from ..tensor import TorchError
from . import _lua
from .concat import Concat, _set_sizes
from . import utils


class DepthConcat(Concat):
    """Concatenates along ``dimension``, centring smaller outputs in the largest spatial size."""

    _lua_lines = {}  # (DepthConcat.lua's own backward passes: not Concat.lua's lines)

    def windowNarrow(self, output, currentOutput, offset):
        # DepthConcat.lua's output:narrow(self.dimension, offset, currentOutput:size(...)):
        # output is indexed, then currentOutput's size read, then narrow called
        with messages.lua_line('nn/DepthConcat.lua:15'):
            narrow = _lua.field(output, 'narrow', "local 'output'")
            n = _lua.mcall(currentOutput, 'size', self.dimension,
                           what="local 'currentOutput'")
            if narrow is None:
                raise TorchError(messages.msg('call_nil_method', 'narrow'))
            with messages.lua_method_call('narrow'):
                window = narrow(self.dimension, offset, n)
        sizes = list(self.outputSize)
        for dim in range(1, len(sizes) + 1):
            cur = currentOutput.size(dim)
            if dim != self.dimension and sizes[dim - 1] != cur:
                # 5 vs 3 -> start 2 (1 pad each side); 9 vs 4 -> start 3 (2 before, 3 after)
                start = (sizes[dim - 1] - cur) // 2 + 1
                window = window.narrow(dim, start, cur)
        return window

    _window = windowNarrow

    def _grow(self, sizes, out):
        super()._grow(sizes, out)
        # the other dimensions take the largest output's size
        for k in range(len(sizes)):
            if k != self.dimension - 1:
                sizes[k] = max(sizes[k], out._size[k])

    def updateOutput(self, input):
        outs, sizes = self._forward_each(input)
        _set_sizes(self.outputSize, sizes)
        self.output.resize(self.outputSize).zero()
        self._copy_windows(outs, self.windowNarrow)
        return self.output

    def backward(self, input, gradOutput, scale=1):
        # DepthConcat.lua's backward calls each module's backward without the scale: Torch7
        # accumulates the parameters' gradients with scale 1 whatever the caller passed
        return self._backward('backward', input, gradOutput)

    def _backward(self, method, input, gradOutput, scale=None):
        args = () if method == 'updateGradInput' or scale is None else (scale,)
        # DepthConcat.lua's updateGradInput (lines 61, 71) or its backward (90, 101)
        at = 'nn/DepthConcat.lua:%d'
        lines = (61, 71) if method == 'updateGradInput' else (90, 101)
        with messages.lua_line(at % lines[0]):
            self.gradInput.resizeAs(input)
        offset = 1
        for i, m in enumerate(self.modules, 1):
            cur_out = m.output
            window = self.windowNarrow(gradOutput, cur_out, offset)
            cur = self.rethrowErrors(m, i, method, input, window, *args)
            if i == 1:
                self.gradInput.copy(cur)
            elif type(cur) is not type(self.gradInput):
                with messages.lua_line(at % lines[1]):   # TH's add takes its own type only
                    _lua.mcall(self.gradInput, 'add', cur)
            else:
                utils.add_(self.gradInput, cur)
            offset += cur_out.size(self.dimension)
        return self.gradInput
