"""nn.CAdd: port of torch/nn CAdd.lua (component-wise learnt bias, broadcast over a batch)."""
from contextlib import contextmanager

import numpy as np

from .. import messages
from ..messages import lua_line, lua_method_call
from ..tensor import TorchError
from . import _lua
from ._conv import init_bound
from ._kernels import arr, new_tensor, out_like
from .c_mul import torch_sizes
from . import utils
from .module import Module


@contextmanager
def _torch_errors():
    """TH's argument errors of the buffers' view/set (TypeErrors here) raised as the
    TorchError the module's other failures are, keeping their Lua position."""
    try:
        yield
    except TypeError as e:
        err = TorchError(str(e))
        err.__dict__.update(e.__dict__)
        raise err from None


class CAdd(Module):

    def __init__(self, *sizes):
        super().__init__()
        sizes = utils.lua_varargs(sizes)
        if len(sizes) == 1 and not isinstance(sizes[0], int):
            sizes = tuple(sizes[0])
        self.size = torch_sizes(sizes)
        self.bias = new_tensor(*sizes)
        self.gradBias = new_tensor(*sizes).zero()
        self.output.resize(self.size)  # CAdd.lua: self.output:resize(self.size)
        self.reset()

    def reset(self, stdv=None):
        stdv = init_bound(stdv, self.bias.nElement())
        self.bias.uniform(-stdv, stdv)
        return  # (its Lua returns nothing)
    def _views(self, input, a):
        b = arr(self.bias)
        if input.nElement() == self.bias.nElement():
            return a.reshape(-1), b.reshape(-1)
        if self.bias.dim() == input.dim():
            return a, b
        return a.reshape(input.size(1), -1), b.reshape(1, -1)

    def updateOutput(self, input):
        if type(input) is not type(self.output):
            # CAdd.lua: self._output = self._output or input.new() (and three more buffers:
            # input.new() is called only for a buffer not made yet), then output:resizeAs
            utils.lua_buffers(self, input, '_output', '_bias', '_expand', '_repeat',
                              what="local 'input'")
            _lua.resize_as_first(self.output, input)
        utils.lua_buffers(self, input, '_output', '_bias', '_expand', '_repeat')
        y = out_like(self.output, input._size)
        if input.nElement() != self.bias.nElement():
            # CAdd.lua's views, in its order: _output:view(output, batchSize, -1), then
            # _bias:view(bias, 1, -1) (an empty bias is Tensor.lua's "Wrong size for view"),
            # or both set when the bias has the input's dim; they stay made after the call
            with _torch_errors():
                if self.bias.dim() != input.dim():
                    with messages.lua_line('nn/CAdd.lua:51'):
                        batchSize = input.size(1)
                    with messages.lua_line('nn/CAdd.lua:52'):
                        self._output.view(self.output, batchSize, -1)
                    with messages.lua_line('nn/CAdd.lua:53'):
                        self._bias.view(self.bias, 1, -1)
                else:
                    # (TH's set, a C method: its argument error names it)
                    with messages.lua_line('nn/CAdd.lua:48'), messages.lua_method_call('set'):
                        self._output.set(self.output)
                    with messages.lua_line('nn/CAdd.lua:49'), messages.lua_method_call('set'):
                        self._bias.set(self.bias)
        xv, b = self._views(input, arr(input))
        if b.ndim != xv.ndim or any(m != n and m != 1 for m, n in zip(b.shape, xv.shape)):
            # CAdd.lua's self._expand:expandAs(self._bias, self._output): Tensor.lua's expand
            raise messages.at_lua(TorchError(messages.msg('expand_size')), 'torch/Tensor.lua:326')
        if input.nElement() != self.bias.nElement():
            self._expand.expandAs(self._bias, self._output)
        y[...] = (xv + b).reshape(y.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        # CAdd.lua: self.gradInput:resizeAs(gradOutput):copy(gradOutput)
        _lua.resize_as_first(self.gradInput, gradOutput)
        if self.__dict__.get('gradInput') is None:   # CAdd.lua: self.gradInput or input.new()
            self.gradInput = input.new()
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        utils.lua_buffers(self, gradOutput, '_gradBias', '_gradOutput', '_repeat',
                          what="local 'gradOutput'")
        if self.bias.nElement() == gradOutput.nElement():
            self.gradBias.add(scale, gradOutput)
            return
        # CAdd.lua adds scale * gradOutput into gradBias expanded (stride 0) over the batch:
        # TH walks the expanded tensor in row-major order, each element read back before the
        # next add, so every bias element gets its terms one after the other, each rounded
        # (`*t + value * *src`)
        # CAdd.lua's views: gradOutput as it is when the bias has its dim, else (batch, -1)
        # against the bias (1, -1); _gradBias:expandAs(_gradOutput) checks they fit
        # (its buffers are gradOutput.new(): of another type than gradBias, set and view
        # into them fail)
        gbv, go = self._gradBias, self._gradOutput
        if self.bias.dim() == gradOutput.dim():
            with lua_line('nn/CAdd.lua:89'), lua_method_call('set'):
                gbv.set(self.gradBias)
            with lua_line('nn/CAdd.lua:90'), lua_method_call('set'):
                go.set(gradOutput)
        else:
            # (CAdd.lua's order: batchSize, the gradBias view, then gradOutput's)
            batch = _lua.mcall(input, 'size', 1, what="local 'input'")
            with _torch_errors():
                gbv.view(self.gradBias, 1, -1)
                go.view(gradOutput, batch, -1)
        b = arr(gbv)
        # (CAdd.lua: self._gradBias:expandAs(self._gradBias, self._gradOutput): the buffer is
        # left that expanded view)
        gbv.expandAs(gbv, go)
        gv = arr(go)
        axes = [i for i in range(gv.ndim) if b.shape[i] == 1 and gv.shape[i] != 1]
        gb = arr(self.gradBias)
        terms = gv * gv.dtype.type(scale)
        if axes:
            keep = [i for i in range(gv.ndim) if i not in axes]
            terms = terms.transpose(axes + keep).reshape((-1,) + tuple(gv.shape[i] for i in keep))
        else:
            terms = terms[None]
        start = gb.reshape(tuple(b.shape[i] for i in range(b.ndim) if i not in axes))[None]
        acc = np.add.accumulate(np.concatenate([start, terms]), axis=0)
        gb[...] = acc[-1].reshape(gb.shape)

    def type(self, type=None, tensorCache=None):
        if type:
            self.clearState()  # CAdd.lua: its buffers (and output, gradInput) emptied first
        return super().type(type, tensorCache)

    def clearState(self):
        # CAdd.lua: nn.utils.clear(self, {'_gradBias', '_expand', '_output', '_bias', '_repeat'})
        utils.clear(self, ['_gradBias', '_expand', '_output', '_bias', '_repeat'])
        return super().clearState()
