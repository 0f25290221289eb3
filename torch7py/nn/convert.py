"""nn.Convert: port of torch/nn Convert.lua, a Container that converts between data layouts named
by axis letters ('bchw' -> 'bhwc' is a transposition, 'bchw' -> 'bf' flattens each sample,
'b'/'bt' for targets) and the input's tensor type to the module's. The converter (Transpose,
Reshape, Select or Identity) is built at the first forward, as in Torch7."""
from .. import messages
from ..messages import at_lua
from .. import tensor as _tensor
from . import _lua
from ..tensor import TorchError
from .container import Container
from .identity import Identity
from .reshape import Reshape
from .select import Select
from .sequential import Sequential
from .transpose import Transpose
from .utils import TorchAssertionError


class Convert(Container):

    # fields Convert.lua sets at the first forward: nil before (Lua reads nil there)
    batchMode = None
    converter = None

    def __init__(self, inputShape=None, outputShape=None):
        if outputShape and not inputShape:
            raise at_lua(TorchError(
                'Expecting non-nil arg 1 when arg 2 is provided'), 'nn/Convert.lua:13')
        inputShape = inputShape or 'b*'
        outputShape = outputShape or inputShape
        self.inputShape = inputShape if 'b' in inputShape else 'b' + inputShape
        self.outputShape = outputShape if 'b' in outputShape else 'b' + outputShape
        self.inputBatchDim = self.inputShape.index('b') + 1
        self.outputBatchDim = self.outputShape.index('b') + 1
        if self.inputShape == 'b*' or self.outputShape == 'b*':
            if not (self.inputShape == 'b*' and self.outputShape == 'b*'):
                raise at_lua(TorchAssertionError(
                    'Both or neither shapes must be b*'), 'nn/Convert.lua:22')
            self.nInputDim = -1
            self.nOutputDim = -1
            self.transposition = True
        else:
            self.nInputDim = len(self.inputShape)
            self.nOutputDim = len(self.outputShape)
            if self.nInputDim == self.nOutputDim:
                self.transposition = all(c in self.outputShape for c in self.inputShape)
        super().__init__()

    # -- the converters (Convert.lua's bf, b, bt, default and transpose) --

    def findAxis(self, axis_char, shape=None, silent=False):
        if shape is None or shape is False:  # shape = shape or self.inputShape
            shape = self.inputShape
        if not isinstance(shape, str):  # shape:find(axis_char) on a value with no find
            raise TorchError(messages.lua_call_error(shape, 'shape', 'find'))
        if isinstance(axis_char, (int, float)) and not isinstance(axis_char, bool):
            axis_char = '%.14g' % axis_char  # find's luaL_checklstring converts a number
        elif not isinstance(axis_char, str):
            raise TorchError(messages.bad_argument(1, messages.msg(
                'type_expected', 'string', messages.lua_type(axis_char)), 'find'))
        if axis_char not in shape:
            if not silent:
                # error(..., 2): the caller's line
                raise messages.at_caller(TorchError(
                    "Provided shape '%s' has no axis '%s'" % (shape, axis_char)))
            return None
        return shape.index(axis_char) + 1

    def bf(self, input):
        b_pos = self.findAxis('b', self.inputShape)
        dim = len(self.inputShape)
        if self.inputShape == 'bt':
            raise at_lua(TorchError(
                'Conversion of shape bt to bf not supported: open an issue on github'),
                'nn/Convert.lua:140')
        if dim == 1:
            return Reshape(1)
        modula = Transpose([1, b_pos]) if b_pos != 1 else None
        if dim > 2:
            reshape = Reshape(input.select(self.findAxis('b'), 1).nElement())
            modula = reshape if modula is None else Sequential().add(modula).add(reshape)
        return Identity() if modula is None else modula

    def b(self, input):
        if self.inputShape in ('bt', 'tb'):
            return Select(self.findAxis('t'), 1)
        if self.inputShape in ('bf', 'fb'):
            f_pos = self.findAxis('f')
            if input.size(f_pos) > 1:
                raise at_lua(TorchError(
                    'Cannot convert shape %s to b when feature > 1'
                    % self.inputShape), 'nn/Convert.lua:177')
            return Select(f_pos, 1)
        raise at_lua(TorchError(
            'Cannot convert shape %s to shape b' % self.inputShape), 'nn/Convert.lua:181')

    def default(self, input=None):
        return Identity()

    def bt(self, input=None):
        if self.inputShape == 'b':
            return Reshape(1)
        raise at_lua(TorchError(
            "cannot convert shape '%s' to bt" % self.inputShape), 'nn/Convert.lua:197')

    def transpose(self, newShape):
        if newShape == self.inputShape:
            return Identity()
        shape = list(self.inputShape)
        transpositions = []
        # Convert.lua: for i=1,#newShape ... newShape:sub(i,i), _.indexOf(inputShape, c)
        for i in _lua.upto(_lua.length(newShape, "local 'newShape'")):
            if not isinstance(newShape, str):
                _lua.mcall(newShape, 'sub', i, i, what="local 'newShape'")
            c = newShape[i - 1]
            j = shape.index(c) + 1 if c in shape else None
            if i != j:
                if j is None:  # inputShape[j] = char with j nil
                    raise at_lua(TorchError(messages.msg('table_index_nil')),
                                 'nn/Convert.lua:217')
                shape[i - 1], shape[j - 1] = shape[j - 1], shape[i - 1]
                transpositions.append([j, i])
        return Transpose(*transpositions)

    def buildConverter(self, input):
        if self.__dict__.get('transposition'):
            self.converter = self.transpose(self.outputShape)
        else:
            make = {'bf': self.bf, 'b': self.b, 'bt': self.bt,
                    'default': self.default}.get(self.outputShape)
            if make is None:
                raise at_lua(TorchError(
                    'Unrecognized conversion of shape %s to %s'
                    % (self.inputShape, self.outputShape)), 'nn/Convert.lua:50')
            self.converter = make(input)
        self.converter.type(self.output.typename)
        self.modules[:1] = [self.converter]

    # -- forward and backward --

    def updateOutput(self, input):
        if not isinstance(input, _tensor.Tensor):
            raise at_lua(TorchAssertionError('expecting Tensor'), 'nn/Convert.lua:62')
        if input.typename != self.output.typename:
            if self.__dict__.get('_input') is None:
                self._input = self.output.new()
            self._input.resize(*input._size).copy(input)
            input = self._input
        self.batchMode = True
        if input.dim() < self.nInputDim:
            size = list(input._size)
            size.insert(self.inputBatchDim - 1, 1)
            if self.__dict__.get('__input') is None:
                self.__dict__['__input'] = input.new()
            input = self.__dict__['__input'].set(input).resize(*size)
            self.batchMode = False
        if self.__dict__.get('converter') is None:
            self.buildConverter(input)
        self.output = self.converter.updateOutput(input)
        if not self.batchMode:
            size = list(self.output._size)
            del size[self.outputBatchDim - 1]
            if self.__dict__.get('__output') is None:
                self.__dict__['__output'] = self.output.new()
            self.output = self.__dict__['__output'].set(self.output).resize(*size)
        return self.output

    def updateGradInput(self, input, gradOutput):
        input_ = input
        if self.__dict__.get('_input') is not None:
            input = self._input
        if not self.batchMode:
            input = self.__dict__.get('__input')
            if self.__dict__.get('__gradOutput') is None:
                self.__dict__['__gradOutput'] = gradOutput.new()
            gradOutput = self.__dict__['__gradOutput'].set(gradOutput).resize(
                *self.converter.output._size)
        gradInput = self.converter.updateGradInput(input, gradOutput)
        if not self.batchMode:
            if self.__dict__.get('__gradInput') is None:
                self.__dict__['__gradInput'] = gradInput.new()
            gradInput = self.__dict__['__gradInput'].set(gradInput).resize(*input_._size)
        if self.__dict__.get('_input') is not None:
            if self.__dict__.get('_gradInput') is None:
                self._gradInput = input.new()
            self._gradInput.resize(*input._size).copy(gradInput)
            self.gradInput = self._gradInput
        else:
            self.gradInput = gradInput
        return self.gradInput

    def _inputs(self, input, gradOutput):
        # Convert.lua: 'self.batchMode and self.__input or self._input or input'
        d = self.__dict__
        for i in ((d.get('__input') if self.batchMode else None), d.get('_input'), input):
            if i is not None:
                break
        g = d.get('__gradOutput') if self.batchMode else None
        return i, gradOutput if g is None else g

    def accGradParameters(self, input, gradOutput, scale=1):
        self.converter.accGradParameters(*self._inputs(input, gradOutput), scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        self.converter.accUpdateGradParameters(*self._inputs(input, gradOutput), lr)

    def type(self, type=None, tensorCache=None):
        # Convert.lua's type(type): clearState at every call, and no tensor cache passed on
        # (what float(x) or type(t, x) is given second is never read)
        self.clearState()
        return super().type(type)

    def clearState(self):
        # Convert.lua drops its input/gradient copies only: output stays, nothing returned
        # (`self._input = nil` ...: each key set to nil, in this order, takes a node)
        for k in ('_input', '_gradInput', '__input', '__output', '__gradInput', '__gradOutput'):
            self.__dict__[k] = None
