"""nn.Squeeze: port of torch/nn Squeeze.lua (a view without the size-1 dims, or one of them)."""
from ..messages import at_lua, bad_argument
from ..tensor import TorchError
from . import utils
from .module import Module


class Squeeze(Module):

    def __init__(self, dim=None, numInputDims=None):
        super().__init__()
        self.dim = dim
        self.setNumInputDims(numInputDims)

    def setNumInputDims(self, numInputDims):
        self.numInputDims = numInputDims
        return self

    def updateOutput(self, input):
        if not utils.is_tensor(input):
            raise TorchError('Squeeze only works on tensors')
        dim = self.__dict__.get('dim')
        addone = False
        nid = self.__dict__.get('numInputDims')
        if nid and input.dim() == nid + 1:
            if dim:
                dim = dim + 1
            elif input.size(1) == 1:
                addone = True   # a minibatch of size 1 keeps its batch dim
        size, stride = list(input._size), list(input._stride)
        if dim:
            if not 1 <= dim <= len(size):
                # input:squeeze(dim): THTensor_(squeeze1d)'s check of argument #2, named after
                # the method as LuaJIT does
                raise TorchError(bad_argument(1, 'dimension out of range', 'squeeze'))
            if size[dim - 1] == 1 and len(size) > 1:
                del size[dim - 1], stride[dim - 1]
        else:
            keep = [(n, s) for n, s in zip(size, stride) if n != 1]
            if not keep and size:
                keep = [(1, 1)]
            size, stride = [k[0] for k in keep], [k[1] for k in keep]
        if addone:
            size.insert(0, 1)
            stride.insert(0, size[1] * stride[0] if len(size) > 1 else 1)
        if type(input) is not type(self.output):
            # Squeeze.lua's self.output:set(input:squeeze(...)): Tensor.c's set refuses
            # another type's tensor
            self.output.set(input)
        utils.tensor_set(self.output, input._storage, input._offset, size, stride)
        if addone:
            # Torch7 views the squeezed output, which resets the strides to contiguous ones
            self.output.set(self.output.contiguous().view(*size)) \
                if not self.output.isContiguous() else self.output.set(self.output.view(*size))
        return self.output

    def updateGradInput(self, input, gradOutput):
        for t, line in ((input, 35), (gradOutput, 36)):  # Squeeze.lua's two asserts
            if not utils.is_tensor(t):
                raise at_lua(TorchError('Squeeze only works on tensors'), 'nn/Squeeze.lua:%d' % line)
        if input.nElement() != gradOutput.nElement():
            raise TorchError('assertion failed!')  # Lua's assert without a message
        self.gradInput.set(gradOutput.view(*input._size))
        return self.gradInput
