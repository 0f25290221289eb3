"""nn.CMul: port of torch/nn CMul.lua (component-wise learnt scale, broadcast over a batch)."""
import numpy as np

from . import _lua
from .. import messages
from ..messages import lua_line
from ..storage import TorchError
from ._conv import uniform_reset
from ._kernels import arr, new_tensor, out_like
from . import utils
from .module import Module


class CMul(Module):

    def __init__(self, *sizes):
        super().__init__()
        # CMul.lua: a LongStorage's sizes, else self.size[i] = arg[i] for each argument
        # (the storage's __newindex: CMul('a') has size 0), as Reshape.lua's
        from .reshape import _sizes
        sizes = tuple(_sizes(sizes))
        self.size = torch_sizes(sizes)
        self.weight = new_tensor(*sizes)
        self.gradWeight = new_tensor(*sizes).zero()
        self.output.resize(self.size)  # CMul.lua: self.output:resize(self.size)
        self.reset()

    def reset(self, stdv=None):
        uniform_reset(self, self.weight.nElement(), stdv)

    def _views(self, input, a):
        """``a`` (input-shaped) and the weight as two broadcastable arrays."""
        w = arr(self.weight)
        if input.nElement() == self.weight.nElement():
            return a.reshape(-1), w.reshape(-1)
        if self.weight.dim() == input.dim():
            return a, w
        return a.reshape(input.size(1), -1), w.reshape(1, -1)

    def _fits(self, input):
        """Whether CMul.lua's views and expandAs succeed on an input (and a gradOutput) of
        input's size: the vectorised paths run then, its own steps (and their errors) else."""
        w, n = self.weight, input.nElement()
        if n == w.nElement():
            return True
        if w.dim() == input.dim():
            return all(a == b or a == 1 for a, b in zip(w._size, input._size))
        if not w.dim() or not input.dim() or n % input._size[0]:
            return False
        return w.nElement() in (n // input._size[0], 1)

    def updateOutput(self, input):
        # CMul.lua's operations: a cmul of flat views, or of the weight expanded over the input
        # (expandAs's size error when the shapes do not fit)
        utils.lua_buffers(self, input, '_output', '_weight', '_expand', '_repeat')
        with at(43):
            self.output.resizeAs(input).copy(input)
        if input.nElement() == self.weight.nElement():
            with at(45):
                self._output.view(self.output, -1)
            with at(46):
                self._weight.view(self.weight, -1)
            with at(48):
                self._output.cmul(self._weight)
        else:
            if self.weight.dim() == input.dim():
                with at(51):
                    self._output.set(self.output)
                with at(52):
                    self._weight.set(self.weight)
            else:
                with at(54):
                    batchSize = input.size(1)
                with at(55):
                    self._output.view(self.output, batchSize, -1)
                with at(56):
                    self._weight.view(self.weight, 1, -1)
            with at(59):
                self._expand.expandAs(self._weight, self._output)
            with at(65):
                self._output.cmul(self._expand)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get('gradInput') is None:
            return None
        if type(input) is not type(self.output):   # CMul.lua: input.new(), then resizeAs
            _lua.field_call(input, 'new', "local 'input'")
            _lua.resize_as_first(self.gradInput, input)
        utils.lua_buffers(self, input, '_gradOutput', '_gradInput')
        if getattr(gradOutput, '_size', None) != input._size or not self._fits(input) \
                or type(gradOutput) is not type(self.gradInput):
            return self._lua_grad_input(input, gradOutput)
        if self.weight.nElement() != gradOutput.nElement():
            # CMul.lua's views and expandAs: its _gradOutput, _gradInput, _weight and _expand
            # buffers are left as they made them (a script reading them, torch.save's bytes)
            return self._lua_grad_input(input, gradOutput)
        gi = out_like(self.gradInput, input._size)
        gv, w = self._views(input, arr(gradOutput).reshape(gi.shape))
        # gradInput:zero(), then gradInput:addcmul(1, weight, gradOutput): 0 + w * g, +0
        # where the product is -0
        np.add((gv * w).reshape(gi.shape), gi.dtype.type(0), out=gi)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        utils.lua_buffers(self, input, '_input', '_gradWeight', '_sum')
        if getattr(gradOutput, '_size', None) != input._size or not self._fits(input) \
                or type(gradOutput) is not type(self.gradWeight) or (
                self.__dict__.get('_gradOutput') is None
                and self.weight.nElement() != gradOutput.nElement()):
            # (no updateGradInput yet: CMul.lua reads its _gradOutput buffer, nil)
            self._lua_acc_grad(input, gradOutput, scale)
            return
        if self.weight.nElement() != gradOutput.nElement():
            # CMul.lua's steps: _input and _gradOutput views, _repeat the products, _sum
            # their sums, _gradWeight a view of gradWeight (left filled after the call)
            self._lua_acc_grad(input, gradOutput, scale)
            return
        xv, _ = self._views(input, arr(input))
        gv, _ = self._views(input, arr(gradOutput).reshape(arr(input).shape))
        gw = arr(self.gradWeight)
        # CMul.lua: gradWeight:addcmul(scale, input, gradOutput), TH's
        # `*t + value * *src1 * *src2`: (scale * input) * gradOutput, then the add
        sc = gw.dtype.type(scale)
        np.add(gw, ((sc * xv) * gv).reshape(gw.shape), out=gw)

    # CMul.lua's own steps, for a gradOutput not of the input's size: TH's tensor methods
    # then run it (as many elements) or fail with their texts (view, expandAs, addcmul)
    def _lua_grad_input(self, input, gradOutput):
        # (each step at its CMul.lua line; a buffer that forward makes is nil before it)
        with at(80):
            self.gradInput.resizeAs(input).zero()
        if self.weight.nElement() == gradOutput.nElement():
            with at(82):
                self.gradInput.addcmul(1, self.weight, gradOutput)
            return self.gradInput
        if self.weight.dim() == input.dim():
            with at(85):
                utils.contiguousView(self._gradOutput, gradOutput, gradOutput.size())
            with at(86):
                utils.contiguousView(self._gradInput, self.gradInput, self.gradInput.size())
            with at(87):
                self._lua_field('_weight').set(self.weight)
        else:
            with at(89):
                batchSize = input.size(1)
            with at(90):
                utils.contiguousView(self._gradOutput, gradOutput, batchSize, -1)
            with at(91):
                utils.contiguousView(self._gradInput, self.gradInput, batchSize, -1)
            with at(92):
                self._lua_field('_weight').view(self.weight, 1, -1)
        with at(95):
            self._lua_field('_expand').expandAs(self._weight, self._gradOutput)
        with at(101):
            self._gradInput.addcmul(1, self._expand, self._gradOutput)
        return self.gradInput

    def _lua_acc_grad(self, input, gradOutput, scale):
        if self.weight.nElement() == gradOutput.nElement():
            with lua_line('nn/CMul.lua:116'):
                self.gradWeight.addcmul(scale, input, gradOutput)
            return
        if self.weight.dim() == input.dim():
            with at(119):
                utils.contiguousView(self._input, input, input.size())
            with at(120):
                utils.contiguousView(self.__dict__.get('_gradOutput'), gradOutput,
                                     gradOutput.size())
            with at(121):
                self._gradWeight.set(self.gradWeight)
            with at(123):
                rep = self._lua_field('_repeat')
                # self._gradOutput is made by updateGradInput: nil before, cmul's cwrap
                # complaint ("invalid arguments: ... nil")
                _lua.mcall(rep, 'cmul', self._input, self.__dict__.get('_gradOutput'))
            sumInto, sumFrom = self._sum, rep
            for i in range(1, self.weight.dim() + 1):
                if self.weight.size(i) != input.size(i):
                    with at(128):
                        sumInto.sum(sumFrom, i)
                    sumInto = sumFrom
                    sumFrom = self._sum if sumFrom is rep else rep
            with at(133):
                self._gradWeight.add(scale, sumFrom)
        else:
            with at(135):
                batchSize = input.size(1)
            with at(136):
                utils.contiguousView(self._input, input, batchSize, -1)
            with at(137):
                utils.contiguousView(self.__dict__.get('_gradOutput'), gradOutput, batchSize, -1)
            with at(138):
                self._gradWeight.view(self.gradWeight, 1, -1)
            with at(140):
                rep = self._lua_field('_repeat')
                _lua.mcall(rep, 'cmul', self._input, self.__dict__.get('_gradOutput'))
            with at(141):
                self._sum.sum(rep, 1)
            with at(142):
                self._gradWeight.add(scale, self._sum)

    def _lua_field(self, name):
        """A buffer CMul.lua made in an earlier call (LuaJIT's text when it has not)."""
        t = self.__dict__.get(name)
        if t is None:
            raise TorchError(messages.msg('index_field', name, 'nil'))
        return t

    def type(self, type=None, tensorCache=None):
        if type:
            self.clearState()  # CMul.lua: no premature allocations in the new type
        return super().type(type, tensorCache)

    def clearState(self):
        utils.clear(self, ['_input', '_output', '_weight', '_gradWeight', '_expand', '_repeat',
                           '_sum'])
        return super().clearState()


def at(line):
    """`with at(N):` around the port of CMul.lua's line N."""
    return lua_line('nn/CMul.lua:%d' % line)


def torch_sizes(sizes):
    from ..storage import LongStorage
    return LongStorage(list(sizes))
