"""Where nn's Lua code raises: the file:line that Lua's error position names for an error raised
inside an nn module's method, in one table instead of at each raise site.

In Torch7, an error raised inside nn/<X>.lua carries that file's position: error(msg) and
assert(cond, msg) (LuaJIT 2.1's assert names its caller's line, the nn file's), LuaJIT's
runtime errors (indexing a number given as input) and luaL_error from a C function (TH's
checks, THNN's) called by a Lua line all put '<LUA_PREFIX>nn/<X>.lua:<line>: ' before the
message. torch7py's ports raise the same texts from Python; `where(e, msg)` finds the nn object
whose method raised e (the innermost traceback frame whose `self` is a module or criterion),
walks its class and the classes it inherits from (a method inherited from nn.X runs in
nn/X.lua) and returns the line of the first entry of that class whose method is among the
object's methods on the traceback and whose message begins (or ends) with the entry's text.
Lines are those of nn 8726825 (the goldens' nn), checked against the original built from it.
A raise site that the table cannot tell apart (two lines with one text in one method) marks
itself with messages.at_lua, which wins."""
import os

from ..messages import MESSAGES


from ._lua_sites_swept import SWEPT

# LuaJIT's runtime errors on a bad input (their texts live in messages.MESSAGES)
_INDEX_INPUT = MESSAGES["index_local"].partition(" (")[0] % "input"
_LENGTH_INPUT = MESSAGES["length_of"].partition(" (")[0] % "local 'input'"
_INDEX_NIL = MESSAGES["index_nil"]
_COMPARE = MESSAGES["compare"].partition("%s")[0]
_CALL_NEW = MESSAGES["call_nil_field"] % "new"  # input.new() of a string or a table
# `#input + 1` of a tensor: its size, a LongStorage, which luaT gives no addition
_STORAGE_PLUS = "both torch.LongStorage and (null) have no addition operator"
# `for i = 2, #input` of a tensor input: the limit is that LongStorage
_FOR_LIMIT = MESSAGES["for_limit"]
_UNPACK = "bad argument #1 to 'unpack'"  # table.unpack(input) of a tensor
_INDEX_ANY = MESSAGES["index_on"].partition("%s")[0]  # 'attempt to index ' (a local, a field...)
_ARITH_ANY = MESSAGES["arith_on"].partition("%s")[0]  # 'attempt to perform arithmetic on '


def _index(local):
    return MESSAGES["index_local"].partition(" (")[0] % local


def _field_index(field):
    return MESSAGES["index_field"].partition(" (")[0] % field


def _call(method):
    return MESSAGES["call_nil_method"] % method


def _length(local):
    return _LENGTH_INPUT.replace("'input'", "'%s'" % local)


# a THNN module's line `input.THNN.X_updateOutput(input:cdata(), ...)` indexes input, then its
# field THNN (nil for a string, a table or a LongTensor): an _INDEX_INPUT entry names both,
# unless an _INDEX_THNN entry before it names another line (a criterion's input.new(1) first)
_INDEX_THNN = MESSAGES["index_field"].partition(" (")[0] % "THNN"

# Lua class -> ((method, fixed beginning or end of the message, line), ...); method None: any.
# 'updateOutput' is what forward runs, 'updateGradInput' what backward runs first.

def _thnn_criterion(first, thnn, call, grad_first, grad_call):
    """The sites of a THNN criterion's Lua (MSECriterion.lua's shape): updateOutput's first
    use of input (input.new / index), its THNN field, its THNN call reading target and
    cdata; updateGradInput's first use of input and its THNN call."""
    return (
        ('updateOutput', _index('target'), call),
        ('updateOutput', _INDEX_THNN, thnn),
        ('updateOutput', _call('cdata'), call),
        ('updateGradInput', _call('cdata'), grad_call),
        ('updateOutput', _INDEX_INPUT, first),
        ('updateGradInput', _INDEX_INPUT, grad_first),
        ('updateOutput', _CALL_NEW, first),
        ('updateGradInput', _index('target'), grad_call),
    )

SITES = {
    'Abs': (
        ('updateGradInput', _call('cdata'), 18),
        ('updateOutput', _INDEX_INPUT, 8),
        ('updateGradInput', _INDEX_INPUT, 16),
        ('updateGradInput', _index('gradOutput'), 18),
    ),
    'AbsCriterion': _thnn_criterion(first=13, thnn=14, call=16, grad_first=25, grad_call=27),
    'Add': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 28),
        ('updateOutput', 'size mismatch', 41),
        ('accGradParameters', _INDEX_INPUT, 59),  # input:isSameSizeAs(self.bias)
        ('accGradParameters', _call('isSameSizeAs'), 59),
        ('accGradParameters', "bad argument #1 to 'isSameSizeAs' ", 59),
        ('accGradParameters', _index('gradOutput'), 62),  # gradOutput:view(input:size(1), -1)
        ('accGradParameters', _call('view'), 62),
        ('accGradParameters', 'invalid arguments: ', 63),  # self.gradBias:view(-1):addmv(...)
    ),
    'BCECriterion': (
        ('updateOutput', 'input and target size mismatch', 24),  # the asserts' lines
        ('updateGradInput', 'input and target size mismatch', 47),
        ('updateOutput', _INDEX_THNN, 33),
        ('updateGradInput', _call('nElement'), 47),
        ('updateGradInput', _INDEX_THNN, 55),
        ('updateOutput', _INDEX_INPUT, 24),
        ('updateGradInput', _INDEX_INPUT, 47),
        ('updateOutput', _call('nElement'), 24),
        ('updateGradInput', _index('target'), 47),
    ),
    'BatchNormalization': (
        (None, _index('input'), 77),  # checkInputDim(gradOutput) of backward's
        (None, 'only mini-batch supported (', 78),  # checkInputDim, of both passes
        (None, 'got ', 83),
        ('__init__', 'Missing argument #1: dimensionality of input. ', 40),
        ('__init__', 'To set affine=false call BatchNormalization(', 42),
        ('__init__', 'affine has to be true/false', 45),
        ('updateOutput', 'only mini-batch supported (', 78),
        ('updateOutput', 'got ', 83),
        (None, 'must call :updateOutput() first', 143),
    ),
    'Bilinear': (
        (None, 'number of rows in gradOutput does not match input', 17),
        (None, _index('gradOutput'), 17),  # __assertInputGradOutput
        ('updateGradInput', _INDEX_NIL, 17),  # (its input[1]:size(1) of a table without one)
        ('accGradParameters', _INDEX_NIL, 17),
        ('updateOutput', 'input should be a table containing two data Tensors', 5),
        ('updateOutput', 'input Tensors should be two-dimensional', 7),
        ('updateOutput', 'input Tensors should have the same number of rows', 9),
        ('updateOutput', 'dimensionality of first input is erroneous', 11),
        ('updateOutput', 'dimensionality of second input is erroneous', 13),
        ('reset', 'standard deviation should be a positive number', 49),
    ),
    'Bottle': (
        ('updateGradInput', _index('gradOutput'), 48),
        ('updateOutput', 'Wrong number of output dims on module.', 27),
    ),
    'AddConstant': (
        ('updateOutput', _call('add'), 30),
        ('updateOutput', _INDEX_INPUT, 30),
        ('updateOutput', "bad argument #1 to 'set' ", 31),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 33),
    ),
    'CAdd': (
        ('updateOutput', _INDEX_INPUT, 38),
        ('updateOutput', _CALL_NEW, 38),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 43),
    ),
    'CAddTable': (
        ('updateGradInput', "bad argument #1 to 'copy' ", 27),  # backward's gradOutput
        ('updateGradInput', 'inconsistent tensor size', 27),
        ('updateOutput', _INDEX_INPUT, 13),
        ('updateOutput', 'inconsistent tensor size', 16),
        ('updateOutput', _FOR_LIMIT, 15),
    ),
    'CAddTensorTable': (
        ('updateOutput', _FOR_LIMIT, 13),
    ),
    'CDivTable': (
        ('updateOutput', _INDEX_INPUT, 10),
        ('updateGradInput', _STORAGE_PLUS, 21),
    ),
    'CMaxTable': (
        ('updateGradInput', "bad argument #1 to 'maskedSelect' ", 37),
        ('updateGradInput', 'inconsistent tensor size', 37),
        ('updateOutput', _FOR_LIMIT, 15),
    ),
    'CMinTable': (
        ('updateGradInput', "bad argument #1 to 'maskedSelect' ", 37),
        ('updateGradInput', 'inconsistent tensor size', 37),
        ('updateOutput', _FOR_LIMIT, 15),
    ),
    'CMul': (
        ('updateOutput', _INDEX_INPUT, 38),
        ('accGradParameters', _INDEX_INPUT, 111),  # self._input or input.new()
        ('accGradParameters', _CALL_NEW, 111),
        ('accGradParameters', _index('gradOutput'), 115),  # gradOutput:nElement()
        ('accGradParameters', _call('nElement'), 115),
    ),
    'CMulTable': (
        ('updateGradInput', "bad argument #1 to 'copy' ", 37),
        ('updateGradInput', 'inconsistent tensor size', 37),
        ('updateOutput', _INDEX_INPUT, 10),
        ('updateOutput', _FOR_LIMIT, 11),
    ),
    'CSubTable': (
        ('updateOutput', _INDEX_INPUT, 10),
        ('updateGradInput', _STORAGE_PLUS, 21),
    ),
    'ClassNLLCriterion': (
        ('updateOutput', _field_index('target'), 31),  # self.target:long()
        ('updateOutput', _index('target'), 38),        # target:long()
        ('updateOutput', _call('long'), 38),
        ('updateGradInput', _index('target'), 66),
        ('updateGradInput', _call('long'), 66),
        ('updateGradInput', _field_index('target'), 59),
        ('updateGradInput', _field_index('gradInput'), 69),  # self.gradInput:resizeAs(input)
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 69),
        (None, 'weights input should be 1-D Tensor', 9),
        ('updateOutput', _INDEX_NIL, 28),
    ),
    'ClassSimplexCriterion': (
        ('updateOutput', 'assertion failed!', 84),
    ),
    'Contiguous': (
        ('updateOutput', _INDEX_INPUT, 4),
    ),
    'Copy': (
        ('updateOutput', _INDEX_INPUT, 28),
    ),
    'Cosine': (
        ('updateOutput', _INDEX_INPUT, 31),
        ('updateOutput', 'size mismatch', 33),
    ),
    'CosineDistance': (
        ('updateOutput', _INDEX_INPUT, 23),
        ('updateOutput', 'inconsistent tensor size', 41),
    ),
    'CosineEmbeddingCriterion': (
        ('updateOutput', _INDEX_INPUT, 13),
        ('updateOutput', 'inconsistent tensor size', 42),
    ),
    'CriterionTable': (
        ('updateOutput', _UNPACK, 10),
    ),
    'CrossEntropyCriterion': (
        ('updateOutput', _INDEX_INPUT, 12),
    ),
    'DistKLDivCriterion': (
        ('updateGradInput', 'input and target should have the same size', 24),
        ('updateOutput', _INDEX_THNN, 13),
        ('updateGradInput', _call('dim'), 24),
        ('updateGradInput', _INDEX_THNN, 27),
        ('updateOutput', _INDEX_INPUT, 9),
        ('updateOutput', 'input and target should have the same size', 9),
        ('updateGradInput', _INDEX_INPUT, 24),
        ('updateOutput', _call('dim'), 9),
        ('updateGradInput', _index('target'), 24),
    ),
    'DistanceRatioCriterion': (
        ('updateOutput', 'Invalid number of inputs', 48),
        ('updateOutput', "Number of distances don't match.", 53),
        ('updateOutput', "Invalid distances' size.", 54),
    ),
    'DotProduct': (
        ('updateOutput', _INDEX_INPUT, 9),
        ('updateOutput', 'inconsistent tensor size', 18),
    ),
    'Dropout': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 21),
    ),
    'ELU': (
        ('updateGradInput', _call('cdata'), 34),
        ('__init__', 'assertion failed!', 12),
        ('updateGradInput', _INDEX_INPUT, 32),
        ('updateGradInput', _index('gradOutput'), 34),
        ('updateOutput', _INDEX_THNN, 20),
    ),
    'Euclidean': (
        ('updateGradInput', 'inconsistent tensor size', 116),
        ('updateOutput', _INDEX_INPUT, 46),
    ),
    'FlattenTable': (
        ('updateOutput', 'input must be a table', 71),
        ('updateGradInput', 'input must be a table', 83),
    ),
    'HardShrink': (
        ('updateGradInput', _call('cdata'), 20),
        ('updateOutput', _INDEX_INPUT, 9),
        ('updateGradInput', _INDEX_INPUT, 18),
        ('updateGradInput', _index('gradOutput'), 20),
    ),
    'HardTanh': (
        ('updateGradInput', _call('cdata'), 30),
        ('updateOutput', _INDEX_INPUT, 17),
        ('updateGradInput', _INDEX_INPUT, 28),
        ('updateGradInput', _index('gradOutput'), 30),
    ),
    'HingeEmbeddingCriterion': (
        ('updateGradInput', 'inconsistent tensor size', 35),
        ('updateOutput', _INDEX_INPUT, 10),
        ('updateOutput', _CALL_NEW, 10),
        ('updateGradInput', _field_index('ty'), 34),
    ),
    'GradientReversal': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 21),
    ),
    'Index': (
        ('updateGradInput', "bad argument #3 to 'indexAdd' ", 23),  # gradOutput
        ('updateGradInput', 'inconsistent tensor size', 23),
        ('updateOutput', _INDEX_INPUT, 10),
    ),
    'IndexLinear': (
        ('updateOutput', 'assertion failed!', 76),
    ),
    'JoinTable': (
        ('updateGradInput', _index('gradOutput'), 63),  # gradOutput:narrow(dimension, ...)
        ('updateGradInput', "bad argument #1 to 'narrow' ", 63),  # (dimension, offset, size)
        ('updateGradInput', "bad argument #2 to 'narrow' ", 63),
        ('updateGradInput', "bad argument #3 to 'narrow' ", 63),
        ('updateGradInput', 'inconsistent tensor size', 65),  # gradInput[i]:copy(...)
        (None, _COMPARE, 13),  # _getPositiveDimension, of both passes
        ('updateOutput', _LENGTH_INPUT, 24),
        ('updateOutput', 'inconsistent tensor size', 39),
        ('updateOutput', _FOR_LIMIT, 24),
    ),
    'Kmeans': (
        ('initRandom', 'Incorrect input dimensionality. Expecting 2D.', 35),
        ('initRandom', "Dimensionality of input and weight don't match.", 39),
        ('updateOutput', 'Incorrect input dimensionality. Expecting 2D.', 106),
        ('updateOutput', "Dimensionality of input and weight don't match.", 110),
    ),
    'L1Cost': (
        ('updateOutput', _INDEX_THNN, 10),
        ('updateOutput', _INDEX_INPUT, 9),
    ),
    'L1HingeEmbeddingCriterion': (
        ('updateOutput', _INDEX_INPUT, 11),
        ('updateOutput', 'inconsistent tensor size', 11),
    ),
    'L1Penalty': (
        ('updateOutput', _INDEX_INPUT, 23),
    ),
    'LeakyReLU': (
        ('updateGradInput', _call('cdata'), 31),
        ('updateOutput', _INDEX_INPUT, 19),
        ('updateGradInput', _INDEX_INPUT, 29),
        ('updateGradInput', _index('gradOutput'), 31),
    ),
    'Log': (
        ('updateGradInput', 'inconsistent tensor size', 18),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 8),
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 15),  # resizeAs(input)
        ('updateGradInput', 'invalid arguments: ', 18),  # self.gradInput:cmul(gradOutput)
    ),
    'LogSigmoid': (
        ('updateOutput', _INDEX_THNN, 5),
        ('updateGradInput', _call('cdata'), 16),
        ('updateOutput', _INDEX_INPUT, 4),
        ('updateGradInput', _INDEX_INPUT, 14),
        ('updateGradInput', _index('gradOutput'), 16),
        ('updateOutput', _CALL_NEW, 4),
    ),
    'LogSoftMax': (
        ('updateGradInput', _call('cdata'), 14),
        ('updateOutput', _INDEX_INPUT, 4),
        ('updateGradInput', _INDEX_INPUT, 12),
        ('updateGradInput', _index('gradOutput'), 14),
    ),
    'LookupTable': (
        ('accGradParameters', _index('gradOutput'), 107),  # gradOutput:cdata()
        ('updateOutput', _INDEX_INPUT, 59),
        # accUpdateOnly() drops gradWeight: backward's `self.gradWeight.THNN...` indexes nil
        ('accGradParameters', _field_index('gradWeight'), 105),
    ),
    'MM': (
        ('updateGradInput', _index('gradOutput'), 57),  # gradOutput:nDimension()
        ('updateGradInput', 'input must be a pair of tensors', 52),
        ('updateGradInput', _LENGTH_INPUT, 52),
        ('updateGradInput', 'arguments must be a 2D or 3D Tensor', 57),
        ('updateGradInput', 'first input tensor must be 2D', 60),
        ('updateGradInput', 'second input tensor must be 2D', 61),
        ('updateGradInput', 'first input tensor must be 3D', 67),
        ('updateGradInput', 'second input tensor must be 3D', 68),
        ('updateOutput', 'input must be a pair of minibatch matrices', 20),
        ('updateOutput', 'input tensors must be 2D or 3D', 22),
        ('updateOutput', 'second input tensor must be 2D', 25),
        ('updateOutput', 'matrix sizes do not match', 29),
        ('updateOutput', 'second input tensor must be 3D', 34),
        ('updateOutput', 'inputs must contain the same number of minibatches', 35),
    ),
    'MSECriterion': _thnn_criterion(first=13, thnn=14, call=16, grad_first=25, grad_call=27),
    'MV': (
        ('updateGradInput', _index('gradOutput'), 53),  # gradOutput:nDimension()
        ('updateGradInput', 'matrix must be 2D', 70),
        ('__init__', 'argument must be a boolean, matrix transpose', 14),
        ('updateOutput', 'input must be a pair of minibatch matrices', 20),
        ('updateOutput', 'input matrix must be 2D or 3D', 22),
        ('updateOutput', 'input vector must be 1D or 2D', 23),
        ('updateOutput', 'vector must be 1D', 26),
        ('updateOutput', 'matrix row count and vector length do not match', 29),
        ('updateOutput', 'vector must be 2D (batch dimension)', 34),
        ('updateOutput', 'inputs must contain the same number of minibatches', 35),
    ),
    'MarginCriterion': _thnn_criterion(first=10, thnn=11, call=13, grad_first=23, grad_call=25),
    'MapTable': (
        (None, _FOR_LIMIT, 15),  # _extend(#input), of both passes
    ),
    'MarginRankingCriterion': (
        ('updateOutput', _INDEX_INPUT, 13),
        ('updateOutput', 'inconsistent tensor size', 19),
    ),
    'MaskedSelect': (
        ('updateOutput', "bad argument #1 to 'unpack' ", 17),
    ),
    'MixtureTable': (
        ('updateOutput', _INDEX_NIL, 17),
        ('updateOutput', "bad argument #1 to 'unpack' ", 14),
    ),
    'Mul': (
        ('updateGradInput', 'inconsistent tensor size', 31),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 24),
    ),
    'MulConstant': (
        ('__init__', 'input is not scalar!', 5),
        ('updateOutput', _call('mul'), 17),
        ('updateOutput', "bad argument #1 to 'set' ", 18),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 20),
    ),
    'MultiLabelMarginCriterion': (
        ('updateOutput', _INDEX_THNN, 16),
        ('updateOutput', _call('long'), 13),
        ('updateGradInput', _call('long'), 31),
        ('updateGradInput', _INDEX_THNN, 33),
        ('updateOutput', _INDEX_NIL, 10),
        ('updateGradInput', _index('target'), 31),
    ),
    'MultiLabelSoftMarginCriterion': (
        ('updateOutput', _INDEX_INPUT, 38),
    ),
    'Narrow': (
        ('updateOutput', _INDEX_INPUT, 24),
    ),
    'NarrowTable': (
        ('updateGradInput', _FOR_LIMIT, 27),
    ),
    'Normalize': (
        ('updateGradInput', 'inconsistent tensor size', 78),
        ('__init__', '-norm not supported', 6),
        ('updateOutput', 'only 1d layer supported', 12),
        ('updateOutput', _INDEX_INPUT, 12),
        ('updateGradInput', _field_index('norm'), 71),  # (p = inf: the max's norm)
        ('updateGradInput', _field_index('normp'), 78),
    ),
    'PReLU': (
        ('updateGradInput', _call('cdata'), 24),
        ('updateOutput', _INDEX_INPUT, 12),
        ('updateGradInput', _INDEX_INPUT, 22),
        ('updateGradInput', _index('gradOutput'), 24),
    ),
    'Padding': (
        ('updateOutput', _INDEX_INPUT, 16),
        ('updateOutput', _call('dim'), 16),  # self.outputSize:resize(input:dim())
        ('updateOutput', "bad argument #1 to 'abs' ", 22),  # math.abs(self.pad)
        ('updateOutput', _ARITH_ANY, 22),
    ),
    'PairwiseDistance': (
        ('updateOutput', _INDEX_INPUT, 14),
        ('updateOutput', 'inconsistent tensor size', 16),
    ),
    'Power': (
        ('updateGradInput', 'inconsistent tensor size', 20),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 12),
    ),
    'RReLU': (
        ('updateGradInput', _call('cdata'), 32),
        ('__init__', 'assertion failed!', 8),
        ('updateGradInput', _index('gradOutput'), 32),
        ('updateOutput', _INDEX_THNN, 16),
        ('updateGradInput', _INDEX_THNN, 30),
    ),
    'ReLU6': (
        ('updateGradInput', _call('cdata'), 28),
        ('updateOutput', _INDEX_INPUT, 18),
        ('updateGradInput', _INDEX_INPUT, 26),
        ('updateGradInput', _index('gradOutput'), 28),
    ),
    'Replicate': (
        ('updateGradInput', "bad argument #1 to 'sum' ", 55),
        ('updateOutput', 'Not enough input dimensions to replicate', 13),
        ('updateOutput', _INDEX_INPUT, 14),
    ),
    'Reshape': (
        ('updateOutput', _INDEX_INPUT, 32),
    ),
    'Select': (
        ('updateOutput', _INDEX_INPUT, 12),
    ),
    'Sigmoid': (
        ('updateGradInput', _call('cdata'), 14),
        ('updateOutput', _INDEX_INPUT, 4),
        ('updateGradInput', _INDEX_INPUT, 12),
        ('updateGradInput', _index('gradOutput'), 14),
    ),
    'SmoothL1Criterion': _thnn_criterion(first=13, thnn=14, call=16, grad_first=25, grad_call=27),
    'SoftMarginCriterion': _thnn_criterion(first=9, thnn=10, call=11, grad_first=19, grad_call=20),
    'SoftMax': (
        ('updateGradInput', _call('cdata'), 14),
        ('updateOutput', _INDEX_INPUT, 4),
        ('updateGradInput', _INDEX_INPUT, 12),
        ('updateGradInput', _index('gradOutput'), 14),
    ),
    'SoftMin': (
        ('updateOutput', _INDEX_THNN, 6),
        ('updateGradInput', _INDEX_THNN, 17),
        ('updateGradInput', _call('cdata'), 19),
        ('updateOutput', _INDEX_INPUT, 4),
        ('updateGradInput', _INDEX_INPUT, 14),
        ('updateGradInput', _index('gradOutput'), 19),
        ('updateOutput', _CALL_NEW, 4),
        ('updateGradInput', _CALL_NEW, 14),
    ),
    'SoftPlus': (
        ('updateGradInput', _call('cdata'), 28),
        ('updateOutput', _INDEX_INPUT, 11),
        ('updateGradInput', _INDEX_INPUT, 26),
        ('updateGradInput', _index('gradOutput'), 28),
    ),
    'SoftShrink': (
        ('updateGradInput', _call('cdata'), 20),
        ('updateOutput', _INDEX_INPUT, 9),
        ('updateGradInput', _INDEX_INPUT, 18),
        ('updateGradInput', _index('gradOutput'), 20),
    ),
    'SoftSign': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 6),
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 12),
        ('updateOutput', _INDEX_INPUT, 4),
        ('updateGradInput', _INDEX_INPUT, 11),
        ('updateGradInput', 'inconsistent tensor size', 12),
        ('updateOutput', _CALL_NEW, 4),
        ('updateGradInput', _CALL_NEW, 11),
    ),
    'SpatialConvolution': (
        ('updateOutput', _INDEX_INPUT, 77),
        ('updateOutput', '.THNN backend not imported', 77),  # assert(input.THNN, ...)
        ('updateGradInput', _INDEX_INPUT, 94),  # (the same assert in the backward passes)
        ('updateGradInput', '.THNN backend not imported', 94),
        ('updateGradInput', _index('gradOutput'), 99),  # gradOutput:cdata()
        ('accGradParameters', _INDEX_INPUT, 113),
        ('accGradParameters', '.THNN backend not imported', 113),
        ('accGradParameters', _index('gradOutput'), 118),
    ),
    'SpatialCrossMapLRN': (
        ('updateOutput', 'Input must be 3D or 4D', 13),
    ),
    # input.THNN on its call's first line (17); gradOutput:cdata() on its own (29)
    'SpatialAdaptiveMaxPooling': (
        ('updateOutput', _INDEX_THNN, 17),
        ('updateGradInput', _index('gradOutput'), 29),
    ),
    'SpatialFractionalMaxPooling': (
        ('__init__', _COMPARE, 31),
    ),
    # `self.nInputPlane = self.connTable:select(2,1):max()` of a missing or bad conMatrix
    'SpatialConvolutionMap': (
        ('__init__', _INDEX_ANY + "field 'connTable'", 66),
        ('__init__', _call('select'), 66),
    ),
    'SpatialFullConvolutionMap': (
        ('__init__', _INDEX_ANY + "field 'connTable'", 14),
        ('__init__', _call('select'), 14),
    ),
    'SpatialAveragePooling': (
        ('updateGradInput', _index('gradOutput'), 69),  # gradOutput:cdata()
    ),
    'SpatialUpSamplingNearest': (
        ('updateGradInput', _index('gradOutput'), 54),  # gradOutput:cdata()
    ),
    'SpatialMaxPooling': (
        ('updateGradInput', _index('gradOutput'), 62),  # gradOutput:cdata()
        ('updateOutput', _INDEX_NIL, 33),
    ),
    'SpatialSoftMax': (
        ('updateGradInput', _call('cdata'), 14),
        ('updateOutput', _INDEX_INPUT, 4),
        ('updateGradInput', _INDEX_INPUT, 12),
        ('updateGradInput', _index('gradOutput'), 14),
    ),
    'SelectTable': (
        ('updateOutput', _STORAGE_PLUS, 14),   # `#input + index + 1` of a tensor input
        ('updateOutput', _INDEX_INPUT, 17),
        ('updateGradInput', "bad argument #1 to 'pairs'", 24),  # zeroTableCopy
        ('updateGradInput', 'both torch.', 52),
    ),
    'SpatialUpSamplingBilinear': (
        ('__init__', _COMPARE, 27),
        ('updateOutput', 'SpatialUpSamplingBilinear only supports 3D or 4D tensors', 71),
    ),
    'SplitTable': (
        ('updateGradInput', 'inconsistent tensor size', 39),
        ('updateOutput', _INDEX_INPUT, 21),
    ),
    'Sqrt': (
        ('updateGradInput', _call('cdata'), 21),
        ('updateOutput', _INDEX_INPUT, 10),
        ('updateGradInput', _INDEX_INPUT, 19),
        ('updateGradInput', _index('gradOutput'), 21),
    ),
    'Square': (
        ('updateGradInput', _call('cdata'), 18),
        ('updateOutput', _INDEX_INPUT, 8),
        ('updateGradInput', _INDEX_INPUT, 16),
        ('updateGradInput', _index('gradOutput'), 18),
    ),
    'Squeeze': (
        ('updateGradInput', 'assertion failed!', 37),
        ('updateOutput', 'Squeeze only works on tensors', 15),
    ),
    'Sum': (
        ('updateOutput', 'dimension exceeds input dimensions', 24),
        ('updateOutput', _INDEX_INPUT, 24),
    ),
    'Tanh': (
        ('updateGradInput', _call('cdata'), 14),
        ('updateOutput', _INDEX_INPUT, 4),
        ('updateGradInput', _INDEX_INPUT, 12),
        ('updateGradInput', _index('gradOutput'), 14),
    ),
    'TemporalConvolution': (
        ('updateOutput', _INDEX_INPUT, 41),
        ('accGradParameters', _INDEX_THNN, 63),  # input.THNN.TemporalConvolution_acc...(
        ('accGradParameters', _INDEX_INPUT, 63),
        ('accGradParameters', _call('cdata'), 64),  # input:cdata(), gradOutput:cdata(),
        ('accGradParameters', _index('gradOutput'), 64),
    ),
    'TemporalDynamicKMaxPooling': (
        ('updateOutput', 'Input sequence length (', 33),
    ),
    'Threshold': (
        ('updateGradInput', _call('cdata'), 34),
        ('updateOutput', _INDEX_INPUT, 20),
        ('updateGradInput', _INDEX_INPUT, 32),
        ('updateGradInput', _index('gradOutput'), 34),
    ),
    'Transpose': (
        ('updateOutput', _INDEX_INPUT, 21),
    ),
    'Unsqueeze': (
        ('updateGradInput', 'assertion failed!', 28),  # nElement counts
        (None, 'This module only works on tensor', 4),  # _assertTensor, of both passes
        ('updateOutput', 'input feature map dim (numInputDims) must be <= input:dim()', 43),
        ('updateOutput', 'Invalid position: ', 47),
    ),
    'View': (
        ('__init__', 'size should be positive or -1', 17),
        ('__init__', 'only one dimension can be at -1', 18),
    ),
    'VolumetricFractionalMaxPooling': (
        ('__init__', _COMPARE, 33),
    ),
    'WeightNorm': (
        (None, 'assertion failed!', 13),
        (None, _index('module'), 13),   # WeightNorm(nil): assert(module.weight)
    ),
    'WeightedEuclidean': (
        ('updateOutput', _INDEX_INPUT, 39),
    ),
    'WeightedMSECriterion': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 10),  # buffer:resizeAs(input)
        ('updateOutput', "bad argument #1 to 'copy' ", 10),      # :copy(target)
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 30),
        ('updateGradInput', "bad argument #1 to 'copy' ", 30),
        ('updateOutput', 'inconsistent tensor size', 16),
        ('updateOutput', _CALL_NEW, 9),  # self.buffer or input.new()
        ('updateOutput', _INDEX_INPUT, 9),
    ),
    'ZipTableOneToMany': (
        ('updateOutput', 'input must be table of element and table', 16),
    ),
    # Max.lua and Min.lua (torch7py's Min shares Max's code: its own entries come first)
    'Max': (
        ('updateGradInput', 'Expected tensor ', 53),  # scatter's size check
        ('updateGradInput', "bad argument #3 to 'scatter' ", 53),
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 53),  # resizeAs(input):zero():
        ('updateGradInput', 'invalid arguments: ', 53),  # scatter(dimension, ...)
        ('updateGradInput', _INDEX_INPUT, 48),  # if input:dim() > 1 then
        ('updateGradInput', _call('dim'), 48),
        ('updateGradInput', "bad argument #2 to 'scatter' ", 53),
    ),
    'Min': (
        ('updateGradInput', 'Expected tensor ', 53),
        ('updateGradInput', "bad argument #3 to 'scatter' ", 53),
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 53),  # resizeAs(input):zero():
        ('updateGradInput', 'invalid arguments: ', 53),  # scatter(dimension, ...)
        ('updateGradInput', _INDEX_INPUT, 48),
        ('updateGradInput', _call('dim'), 48),
        ('updateGradInput', "bad argument #2 to 'scatter' ", 53),
    ),
    'VolumetricConvolution': (
        ('updateGradInput', _INDEX_THNN, 102),  # input.THNN.VolumetricConvolutionMM_update...(
        ('updateGradInput', _index('gradOutput'), 104),  # gradOutput:cdata()
    ),
    'SparseLinear': (
        ('updateOutput', 'inconsistent tensor size', 82),  # buf:narrow(2,2,2):copy(input[i])
    ),
    'Sequential': (
        ('insert', _COMPARE, 18),  # index > (#self.modules + 1)
        ('insert', _INDEX_ANY, 22),    # self.modules[#self.modules].output
    ),
    'Linear': (
        ('reset', _ARITH_ANY, 23),  # stdv = stdv * math.sqrt(3)
        ('reset', 'invalid arguments: ', 39),                # self.weight:uniform(-stdv, stdv)
    ),
    'TemporalSubSampling': (
        ('reset', _ARITH_ANY, 22),
        ('reset', "bad argument #1 to 'sqrt' ", 24),  # 1/math.sqrt(self.kW)
    ),
    # nn/utils.lua's functions (keyed by the Python function that ports each)
    'utils': (
        ('addSingletonDimension', 'output tensor expected, got ', 160),
        ('addSingletonDimension', 'input tensor expected', 164),
        ('addSingletonDimension', 'invalid dimension: ', 166),
        ('addSingletonDimension', "bad argument #1 to 'set'", 184),
    ),
}


# Lua class -> {method: line}: where an error raised in the port of that Lua method, and in
# none that it calls, is raised when SITES has no entry for its text (a method whose Lua has
# one line that can fail, or whose failures all come from one line); TAIL: the method ends in
# `return f(...)`, a tail call that leaves the Lua frame, so an error of the C function f (or
# of a Lua method f tail-calls in turn) names the line of the method's caller (the script's
# when a script called it); "": raised with no position. Keys: nn's classes by name, other
# packages' by their typename ('torch.CmdLine' is torch/CmdLine.lua). Lines of the goldens'
# commits, checked against the reference build of them.
TAIL = -1

LINES = {
    # Module.lua
    'Module': {
        'forward': TAIL,             # return self:updateOutput(input)
        'backward': 31,              # self:updateGradInput(input, gradOutput) (a TH error of
                                     # a tail-called updateGradInput); accGradParameters': 32
        'backwardUpdate': 37,
        'defaultAccUpdateGradParameters': 62,  # self:accGradParameters(input, gradOutput, -lr)
        'updateParameters': 88,      # params[i]:add(-learningRate, gradParams[i])
        'getParameters': 252,        # flatten's torch.pointer(storage) of a non-storage
        'apply': 352,                # callback(self)
        '__call__': 339,             # self:forward(input) (backward's errors: 341)
        'replace': 422,              # local out = callback(self)
        'float': TAIL, 'double': TAIL, 'cuda': TAIL,  # return self:type(...)
    },
    'Criterion': {
        'forward': TAIL,             # return self:updateOutput(input, target)
        'backward': TAIL,            # return self:updateGradInput(input, target)
    },
    # Container.lua
    'Container': {
        'rethrowErrors': 63,         # xpcall(module[funcName], ...) of a nil module
        'share': 97,                 # self.modules[i]:share(mlp.modules[i], ...)
        'applyToModules': 73,        # func(module)
    },
    'Sequential': {
        'add': 9,                    # self.gradInput = module.gradInput (the first module)
        'remove': 28,                # if index > #self.modules or index < 1 then
    },
    'Exp': {'updateOutput': TAIL,    # return self.output:exp(input)
            'updateGradInput': TAIL},  # return self.gradInput:cmul(self.output, gradOutput)
    'WeightedMSECriterion': {'updateOutput': 10},  # self.buffer:resizeAs(input):copy(target)
    'Convert': {'findAxis': 226, 'transpose': 212},
    'SpatialAdaptiveMaxPooling': {'updateOutput': 12, 'updateGradInput': 31},
    'Bilinear': {'accGradParameters': 17},
    'DistanceRatioCriterion': {'updateOutput': 61},
    'LinearWeightNorm': {'initFromWeight': 43},
    'SparseLinear': {'accGradParameters': 107},
    'Add': {'updateGradInput': 49},  # self.gradInput:resizeAs(gradOutput):copy(gradOutput)
    'Parallel': {'updateOutput': 16},
    'MaskedSelect': {'updateOutput': 18},  # self.output:maskedSelect(input, mask)
    'VolumetricFullConvolution': {'updateGradInput': 147},
    'MultiLabelMarginCriterion': {'updateOutput': 13},
    'SpatialClassNLLCriterion': {'updateOutput': 37},
    'SplitTable': {'_getPositiveDimension': 11},
    'SpatialConvolutionMM': {'updateGradInput': 85},
    'MapTable': {'updateOutput': 45, 'updateGradInput': 54, 'accGradParameters': 63,
                 'accUpdateGradParameters': 71},  # self:_extend(#input)
    'CSubTable': {'updateOutput': 10},
}


_SWEPT_TEXT = {'index': _index, 'field': _field_index, 'call': _call, 'length': _length,
               'index_a': lambda kind: MESSAGES["index_a"] % kind,
               'length_a': lambda kind: MESSAGES["length_a"] % kind,
               'call_new': lambda: _CALL_NEW, 'index_nil': lambda: _INDEX_NIL,
               'for_limit': lambda: _FOR_LIMIT,
               'compare': lambda a, b: MESSAGES["compare"] % (a, b),
               'arith': lambda what: MESSAGES["arith_on"].partition(" (")[0] % what}

# criterion sites found running bad sizes and inputs through the reference (session 18):
# before each class's own entries, as a longer text picks a line a shorter one would not
_FIRST = {
    'WeightedMSECriterion': (  # buffer:resizeAs(input):copy(target) of another size
        ('updateOutput', 'inconsistent tensor size, expected tensor ', 10),
        ('updateGradInput', 'inconsistent tensor size, expected tensor ', 30),
    ),
    'DistKLDivCriterion': (
        ('updateGradInput', 'input and target should have the same size', 24),
    ),
    'HingeEmbeddingCriterion': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 17),
        ('updateGradInput', 'inconsistent tensor size', 35),  # gradInput:copy(y)
    ),
    'MultiLabelSoftMarginCriterion': (
        ('updateOutput', _call('nElement'), 38),
        ('updateOutput', 'inconsistent tensor size', 51),
        ('updateGradInput', 'inconsistent tensor size', 75),
    ),
    'ClassSimplexCriterion': (
        ('updateGradInput', 'assertion failed!', 97),
    ),
    'DistanceRatioCriterion': (
        ('updateGradInput', 'Invalid number of inputs', 98),
    ),
    'SpatialAutoCropMSECriterion': (
        ('updateOutput', _call('dim'), 57),
    ),
    # modules whose first line indexes input (an assert of input.THNN or input:dim()), found
    # running a number, a table, a string and a LongTensor through them (session 20)
    'SpatialConvolutionMM': (
        ('updateOutput', _INDEX_INPUT, 54),  # assert(input.THNN, ...)
        ('updateOutput', '.THNN backend not imported', 54),
        ('updateGradInput', _INDEX_INPUT, 78),
        ('updateGradInput', '.THNN backend not imported', 78),
    ),
    'SpatialCrossMapLRN': (
        ('updateOutput', _INDEX_INPUT, 13),  # assert(input:dim() == 3 or ...)
        ('updateOutput', _call('dim'), 13),
        ('updateGradInput', _INDEX_INPUT, 87),
        ('updateGradInput', _call('dim'), 87),
        ('updateGradInput', 'Input must be 3D or 4D', 87),
    ),
    'VolumetricConvolution': (
        ('updateOutput', _INDEX_NIL, 62),  # torch.typename(input):find(...) of a non-object
        ('updateOutput', _INDEX_THNN, 74),  # input.THNN.VolumetricConvolutionMM_updateOutput(
    ),
}
for _cls, _entries in _FIRST.items():
    SITES[_cls] = _entries + tuple(SITES.get(_cls, ()))

# gradOutput sites, found running a string, nil and a tensor of another size as the
# gradOutput of each module's updateGradInput, accGradParameters and backward through the
# reference (session 18): where the original named a line and torch7py gave none
_GRAD_SWEPT = {
    'Max': (
        ('updateGradInput', 'Expected tensor ', 53),
    ),
    'Min': (
        ('updateGradInput', 'Expected tensor ', 53),
    ),
    'Mul': (
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 31),
        ('accGradParameters', 'inconsistent tensor size, expected tensor ', 37),
    ),
    'Power': (
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 20),
    ),
    'Log': (
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 18),
    ),
    'Normalize': (
        ('updateGradInput', _call('dim'), 55),
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 78),
    ),
    'BatchNormalization': (
        ('updateGradInput', 'only mini-batch supported', 78),
        ('accGradParameters', 'only mini-batch supported', 78),
        ('backward', _call('dim'), 77),
        ('backward', _index('input'), 77),
        ('backward', 'only mini-batch supported', 78),
    ),
    'SpatialConvolution': (
        ('updateGradInput', _call('cdata'), 99),
        ('accGradParameters', _call('cdata'), 118),
    ),
    'SpatialConvolutionMM': (
        ('updateGradInput', _call('cdata'), 82),  # gradOutput:cdata() (85 is self.finput's)
        ('updateGradInput', _index('gradOutput'), 82),
        ('accGradParameters', _call('cdata'), 101),
        ('accGradParameters', _index('gradOutput'), 101),
    ),
    'SpatialFullConvolution': (
        ('updateGradInput', _index('inputTensor'), 130),  # inputTensor.THNN.X(...) (130)
        ('updateGradInput', _INDEX_THNN, 130),
        ('updateOutput', _CALL_NEW, 86),                  # self.finput or input.new()
        ('updateGradInput', _call('cdata'), 132),
        ('updateGradInput', _index('gradOutput'), 132),
        ('accGradParameters', _call('cdata'), 177),
        ('accGradParameters', _index('gradOutput'), 177),
    ),
    'SpatialMaxPooling': (
        ('updateGradInput', _call('cdata'), 62),
        ('updateGradInput', _index('gradOutput'), 62),
    ),
    'SpatialAveragePooling': (
        ('updateGradInput', _call('cdata'), 69),
        ('updateGradInput', _index('gradOutput'), 69),
    ),
    'SpatialUpSamplingNearest': (
        ('updateGradInput', _call('cdata'), 54),
        ('updateGradInput', _index('gradOutput'), 54),
    ),
    'SpatialZeroPadding': (
        ('updateGradInput', _call('size'), 71),
        ('updateGradInput', "bad argument #1 to 'size' ", 71),
    ),
    'LookupTable': (
        ('accGradParameters', _call('cdata'), 107),
        ('accGradParameters', _index('gradOutput'), 107),
    ),
    'Euclidean': (
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 116),
    ),
    'WeightedEuclidean': (
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 116),
    ),
    'L1Penalty': (
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 38),
    ),
    'Squeeze': (
        ('updateGradInput', 'assertion failed!', 37),
    ),
    'Unsqueeze': (
        ('updateGradInput', 'assertion failed!', 28),
    ),
    'MM': (
        ('updateGradInput', _call('nDimension'), 57),
        ('updateGradInput', _index('gradOutput'), 57),
    ),
    'Bilinear': (
        ('updateGradInput', _call('size'), 17),
        ('updateGradInput', 'number of rows in gradOutput does not match input', 17),
        ('accGradParameters', _call('size'), 17),
        ('accGradParameters', 'number of rows in gradOutput does not match input', 17),
    ),
    'CAddTable': (
        ('updateGradInput', "bad argument #1 to 'copy' ", 27),
        ('updateGradInput', 'inconsistent tensor size, expected tensor ', 27),
    ),
    'CMulTable': (
        ('updateGradInput', "bad argument #1 to 'copy' ", 37),
        ('updateGradInput', 'inconsistent tensor size, expected tensor ', 37),
    ),
    'JoinTable': (
        ('updateGradInput', _index('gradOutput'), 63),
    ),
    'PairwiseDistance': (
        ('updateGradInput', 'size mismatch, t: ', 81),
    ),
}
for _cls, _entries in _GRAD_SWEPT.items():
    SITES[_cls] = tuple(SITES.get(_cls, ())) + _entries

# the swept entries (_lua_sites_swept.py) after each class's own
for _cls, _entries in SWEPT.items():
    SITES[_cls] = tuple(SITES.get(_cls, ())) + tuple(
        (m, t if isinstance(t, str) else _SWEPT_TEXT[t[0]](*t[1:]), line)
        for m, t, line in _entries)


_METHODS = ("__init__", "updateOutput", "updateGradInput", "accGradParameters")


def _runs(fn, frame):
    """Whether frame runs the method fn: its code, and for a wrapper made by functools.wraps
    (one code for every method it wraps) the wrapped function among the frame's variables."""
    if getattr(fn, "__code__", None) is not frame.f_code:
        return False
    inner = getattr(fn, "__wrapped__", None)
    return inner is None or any(v is inner for v in frame.f_locals.values())


def _frames(tb):
    out = []
    while tb is not None:
        out.append(tb.tb_frame)
        tb = tb.tb_next
    return out[::-1]  # innermost first


_UTILS_PY = os.path.join("nn", "utils.py")
_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_CONSTRUCTOR_FILES = (os.path.join(_PKG, "tensor.py"), os.path.join(_PKG, "storage.py"))


def _constructed_from_lua_port(frames):
    """Whether the error was raised by a tensor's or storage's constructor that a port of
    Torch7's Lua called (torch.Tensor(...) in nn's Lua goes through luaT's __call, a C
    function that lua_calls the constructor: LuaJIT gives its errors no position). The
    Lua layer's own calls (x.new(...) from a script) keep theirs."""
    inside = False
    for f in frames:
        path = f.f_code.co_filename
        if path in _CONSTRUCTOR_FILES:
            if f.f_code.co_name == "__init__":
                inside = True
            continue
        return inside and not path.startswith(_COMPAT)
    return False


_COMPAT = os.path.join(os.path.dirname(_PKG), "compat")


def _lua_class(cls):
    name = cls.__dict__.get("typename")
    return name[3:] if isinstance(name, str) and name.startswith("nn.") else None


def _lua_key(cls):
    """cls's key in LINES: an nn class's name, another package's typename; and its file."""
    name = cls.__dict__.get("typename")
    if not isinstance(name, str) or "." not in name:
        return None, None
    if name.startswith("nn."):
        return name[3:], "nn/%s.lua" % name[3:]
    return name, name.replace(".", "/") + ".lua"


def _method_chain(obj, own):
    """The Lua methods of obj on the traceback, innermost first: each frame's function name
    where obj's class has it (a wrapper's: the method it runs), less Python's own helpers
    (_lua_*: the body of the method that calls them)."""
    cls = type(obj)
    out = []
    for g in own:
        name = g.f_code.co_name
        meth = next((m for m in _METHODS if _runs(getattr(cls, m, None), g)), None)
        if meth is None:
            if name.startswith("_lua") or not callable(getattr(cls, name, None)):
                continue
            meth = name
        if not out or out[-1] != meth:
            out.append(meth)
    return out


def _default(obj, own, e):
    """LINES' position of an error raised in the innermost method of obj on the traceback;
    None where LINES does not know it (or a tail call leaves the script's line). An error
    raised with error(msg, 2) (messages.at_caller) names its caller's line."""
    chain = _method_chain(obj, own)
    if getattr(e, "lua_level", 1) == 2:
        chain = chain[1:]
    for meth in chain:
        for cls in type(obj).__mro__:
            key, path = _lua_key(cls)
            line = LINES.get(key, {}).get(meth) if key else None
            if line is not None:
                break
        else:
            return None
        if line == TAIL:
            continue  # (the caller's line: the next method out, or the script's)
        return "%s:%d" % (path, line) if line else ""
    return None


def where(e, msg):
    """'nn/X.lua:N', the position Torch7 gives `msg` (e's Lua message) raised by the nn method
    that raised e; None when the table does not know it."""
    frames = _frames(getattr(e, "__traceback__", None))
    if _constructed_from_lua_port(frames):
        return ""
    for f in frames:
        obj = f.f_locals.get("self")
        if obj is None:
            if f.f_code.co_filename.endswith(_UTILS_PY):  # nn/utils.lua's functions
                for meth, text, line in SITES['utils']:
                    if meth == f.f_code.co_name and (msg.startswith(text)
                                                     or msg.endswith(text)):
                        return "nn/utils.lua:%d" % line
            continue
        if _lua_class(type(obj)) is None:
            if _lua_key(type(obj))[0] in LINES:  # (torch's, optim's Lua classes)
                return _default(obj, [g for g in frames if g.f_locals.get("self") is obj], e)
            continue
        own = [g for g in frames if g.f_locals.get("self") is obj]
        methods = {g.f_code.co_name for g in own}
        methods.update(m for m in _METHODS if any(_runs(getattr(type(obj), m, None), g)
                                                  for g in own))
        thnn_call = getattr(e, "lua_thnn_call", False)
        for cls in type(obj).__mro__:
            name = _lua_class(cls)
            if thnn_call:
                # an index of input raised at the THNN call: that call's line (its entry for
                # input.THNN), when the table has one
                for meth, text, line in SITES.get(name, ()) if name else ():
                    if text is _INDEX_THNN and (meth is None or meth in methods):
                        return "nn/%s.lua:%d" % (name, line)
            for meth, text, line in SITES.get(name, ()) if name else ():
                if (meth is None or meth in methods) and (
                        msg.startswith(text) or msg.endswith(text)
                        or text is _INDEX_INPUT and msg.startswith(_INDEX_THNN)):
                    return "nn/%s.lua:%d" % (name, line)
        return _default(obj, own, e)  # (the innermost nn object decides)
    return None
