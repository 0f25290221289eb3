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
from ..messages import MESSAGES


# LuaJIT's runtime errors on a bad input (their texts live in messages.MESSAGES)
_INDEX_INPUT = MESSAGES["index_local"].partition(" (")[0] % "input"
_LENGTH_INPUT = MESSAGES["length_of"].partition(" (")[0] % "local 'input'"
_INDEX_NIL = MESSAGES["index_nil"]
_COMPARE = MESSAGES["compare"].partition("%s")[0]
_CALL_NEW = MESSAGES["call_nil_field"] % "new"  # input.new() of a string or a table


def _index(local):
    return MESSAGES["index_local"].partition(" (")[0] % local


def _field_index(field):
    return MESSAGES["index_field"].partition(" (")[0] % field


def _call(method):
    return MESSAGES["call_nil_method"] % method


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
    ),
    'BCECriterion': (
        ('updateOutput', _INDEX_THNN, 33),
        ('updateGradInput', _call('nElement'), 47),
        ('updateGradInput', _INDEX_THNN, 55),
        ('updateOutput', _INDEX_INPUT, 24),
        ('updateGradInput', _INDEX_INPUT, 47),
        ('updateOutput', _call('nElement'), 24),
        ('updateGradInput', _index('target'), 47),
    ),
    'BatchNormalization': (
        ('__init__', 'Missing argument #1: dimensionality of input. ', 40),
        ('__init__', 'To set affine=false call BatchNormalization(', 42),
        ('__init__', 'affine has to be true/false', 45),
        ('updateOutput', 'only mini-batch supported (', 78),
        ('updateOutput', 'got ', 83),
        (None, 'must call :updateOutput() first', 143),
    ),
    'Bilinear': (
        (None, _index('gradOutput'), 17),  # __assertInputGradOutput
        ('updateOutput', 'input should be a table containing two data Tensors', 5),
        ('updateOutput', 'input Tensors should be two-dimensional', 7),
        ('updateOutput', 'input Tensors should have the same number of rows', 9),
        ('updateOutput', 'dimensionality of first input is erroneous', 11),
        ('updateOutput', 'dimensionality of second input is erroneous', 13),
        ('reset', 'standard deviation should be a positive number', 49),
    ),
    'Bottle': (
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
        ('updateOutput', _INDEX_INPUT, 13),
        ('updateOutput', 'inconsistent tensor size', 16),
    ),
    'CDivTable': (
        ('updateOutput', _INDEX_INPUT, 10),
        ('updateGradInput', 'both torch.', 21),
    ),
    'CMul': (
        ('updateOutput', _INDEX_INPUT, 38),
    ),
    'CMulTable': (
        ('updateOutput', _INDEX_INPUT, 10),
    ),
    'CSubTable': (
        ('updateOutput', _INDEX_INPUT, 10),
        ('updateGradInput', 'both torch.', 21),
    ),
    'ClassNLLCriterion': (
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
    'CrossEntropyCriterion': (
        ('updateOutput', _INDEX_INPUT, 12),
    ),
    'DistKLDivCriterion': (
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
        ('updateOutput', _INDEX_INPUT, 10),
        ('updateOutput', _CALL_NEW, 10),
        ('updateGradInput', _field_index('ty'), 34),
    ),
    'GradientReversal': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 21),
    ),
    'Index': (
        ('updateOutput', _INDEX_INPUT, 10),
    ),
    'IndexLinear': (
        ('updateOutput', 'assertion failed!', 76),
    ),
    'JoinTable': (
        (None, _COMPARE, 13),  # _getPositiveDimension, of both passes
        ('updateOutput', _LENGTH_INPUT, 24),
        ('updateOutput', 'inconsistent tensor size', 39),
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
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 8),
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
        ('updateOutput', _INDEX_INPUT, 59),
    ),
    'MM': (
        ('updateOutput', 'input must be a pair of minibatch matrices', 20),
        ('updateOutput', 'input tensors must be 2D or 3D', 22),
        ('updateOutput', 'second input tensor must be 2D', 25),
        ('updateOutput', 'matrix sizes do not match', 29),
        ('updateOutput', 'second input tensor must be 3D', 34),
        ('updateOutput', 'inputs must contain the same number of minibatches', 35),
    ),
    'MSECriterion': _thnn_criterion(first=13, thnn=14, call=16, grad_first=25, grad_call=27),
    'MV': (
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
    'Normalize': (
        ('__init__', '-norm not supported', 6),
        ('updateOutput', 'only 1d layer supported', 12),
        ('updateOutput', _INDEX_INPUT, 12),
    ),
    'PReLU': (
        ('updateGradInput', _call('cdata'), 24),
        ('updateOutput', _INDEX_INPUT, 12),
        ('updateGradInput', _INDEX_INPUT, 22),
        ('updateGradInput', _index('gradOutput'), 24),
    ),
    'Padding': (
        ('updateOutput', _INDEX_INPUT, 16),
    ),
    'PairwiseDistance': (
        ('updateOutput', _INDEX_INPUT, 14),
        ('updateOutput', 'inconsistent tensor size', 16),
    ),
    'Power': (
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
        ('updateOutput', 'Not enough input dimensions to replicate', 13),
        ('updateOutput', _INDEX_INPUT, 14),
    ),
    'Reshape': (
        ('updateOutput', _INDEX_INPUT, 32),
    ),
    'Select': (
        ('updateOutput', _INDEX_INPUT, 12),
    ),
    'SelectTable': (
        ('updateOutput', 'both torch.', 14),
        ('updateGradInput', 'both torch.', 52),
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
    ),
    'SpatialCrossMapLRN': (
        ('updateOutput', 'Input must be 3D or 4D', 13),
    ),
    'SpatialFractionalMaxPooling': (
        ('__init__', _COMPARE, 31),
    ),
    'SpatialMaxPooling': (
        ('updateOutput', _INDEX_NIL, 33),
    ),
    'SpatialSoftMax': (
        ('updateGradInput', _call('cdata'), 14),
        ('updateOutput', _INDEX_INPUT, 4),
        ('updateGradInput', _INDEX_INPUT, 12),
        ('updateGradInput', _index('gradOutput'), 14),
    ),
    'SpatialUpSamplingBilinear': (
        ('__init__', _COMPARE, 27),
        ('updateOutput', 'SpatialUpSamplingBilinear only supports 3D or 4D tensors', 71),
    ),
    'SplitTable': (
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
    ),
    'WeightedEuclidean': (
        ('updateOutput', _INDEX_INPUT, 39),
    ),
    'WeightedMSECriterion': (
        ('updateOutput', 'inconsistent tensor size', 16),
    ),
    'ZipTableOneToMany': (
        ('updateOutput', 'input must be table of element and table', 16),
    ),
}


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


def _lua_class(cls):
    name = cls.__dict__.get("typename")
    return name[3:] if isinstance(name, str) and name.startswith("nn.") else None


def where(e, msg):
    """'nn/X.lua:N', the position Torch7 gives `msg` (e's Lua message) raised by the nn method
    that raised e; None when the table does not know it."""
    frames = _frames(getattr(e, "__traceback__", None))
    for f in frames:
        obj = f.f_locals.get("self")
        if obj is None or _lua_class(type(obj)) is None:
            continue
        own = [g for g in frames if g.f_locals.get("self") is obj]
        methods = {g.f_code.co_name for g in own}
        methods.update(m for m in _METHODS if any(_runs(getattr(type(obj), m, None), g)
                                                  for g in own))
        for cls in type(obj).__mro__:
            name = _lua_class(cls)
            for meth, text, line in SITES.get(name, ()) if name else ():
                if (meth is None or meth in methods) and (
                        msg.startswith(text) or msg.endswith(text)
                        or text is _INDEX_INPUT and msg.startswith(_INDEX_THNN)):
                    return "nn/%s.lua:%d" % (name, line)
        return None  # (the innermost nn object decides)
    return None
