"""nn.DepthConcat: port of torch/nn DepthConcat.lua (Concat that zero-pads smaller maps)."""
from .concat import Concat, _set_sizes
from . import utils


class DepthConcat(Concat):
    """Concatenates along ``dimension``, centring smaller outputs in the largest spatial size."""

    def windowNarrow(self, output, currentOutput, offset):
        window = output.narrow(self.dimension, offset, currentOutput.size(self.dimension))
        sizes = list(self.outputSize)
        for dim in range(1, len(sizes) + 1):
            cur = currentOutput.size(dim)
            if dim != self.dimension and sizes[dim - 1] != cur:
                # 5 vs 3 -> start 2 (1 pad each side); 9 vs 4 -> start 3 (2 before, 3 after)
                start = (sizes[dim - 1] - cur) // 2 + 1
                window = window.narrow(dim, start, cur)
        return window

    _window = windowNarrow

    def updateOutput(self, input):
        outs = []
        sizes = None
        d = self.dimension - 1
        for i, m in enumerate(self.modules, 1):
            out = self.rethrowErrors(m, i, 'updateOutput', input)
            outs.append(out)
            if i == 1:
                sizes = list(out._size)
            else:
                sizes[d] += out.size(self.dimension)
                for k in range(len(sizes)):
                    if k != d:
                        sizes[k] = max(sizes[k], out._size[k])
        _set_sizes(self.outputSize, sizes or [])
        self.output.resize(self.outputSize).zero()
        offset = 1
        for out in outs:
            self.windowNarrow(self.output, out, offset).copy(out)
            offset += out.size(self.dimension)
        return self.output

    def _backward(self, method, input, gradOutput, scale=1):
        args = () if method == 'updateGradInput' else (scale,)
        self.gradInput.resizeAs(input)
        offset = 1
        for i, m in enumerate(self.modules, 1):
            cur_out = m.output
            window = self.windowNarrow(gradOutput, cur_out, offset)
            cur = self.rethrowErrors(m, i, method, input, window, *args)
            if i == 1:
                self.gradInput.copy(cur)
            else:
                utils.add_(self.gradInput, cur)
            offset += cur_out.size(self.dimension)
        return self.gradInput
