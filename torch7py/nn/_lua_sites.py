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

# Lua class -> ((method, fixed beginning or end of the message, line), ...); method None: any.
# 'updateOutput' is what forward runs, 'updateGradInput' what backward runs first.
SITES = {
    'Abs': (
        ('updateOutput', "attempt to index local 'input' ", 8),
    ),
    'AbsCriterion': (
        ('updateOutput', "attempt to index local 'input' ", 13),
    ),
    'Add': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 28),
        ('updateOutput', 'size mismatch', 41),
    ),
    'BCECriterion': (
        ('updateOutput', "attempt to index local 'input' ", 24),
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
    'CAdd': (
        ('updateOutput', "attempt to index local 'input' ", 38),
    ),
    'CAddTable': (
        ('updateOutput', "attempt to index local 'input' ", 13),
        ('updateOutput', 'inconsistent tensor size', 16),
    ),
    'CDivTable': (
        ('updateOutput', "attempt to index local 'input' ", 10),
    ),
    'CMul': (
        ('updateOutput', "attempt to index local 'input' ", 38),
    ),
    'CMulTable': (
        ('updateOutput', "attempt to index local 'input' ", 10),
    ),
    'CSubTable': (
        ('updateOutput', "attempt to index local 'input' ", 10),
    ),
    'ClassNLLCriterion': (
        (None, 'weights input should be 1-D Tensor', 9),
        ('updateOutput', 'attempt to index a nil value', 28),
    ),
    'ClassSimplexCriterion': (
        ('updateOutput', 'assertion failed!', 84),
    ),
    'Contiguous': (
        ('updateOutput', "attempt to index local 'input' ", 4),
    ),
    'Copy': (
        ('updateOutput', "attempt to index local 'input' ", 28),
    ),
    'Cosine': (
        ('updateOutput', "attempt to index local 'input' ", 31),
        ('updateOutput', 'size mismatch', 33),
    ),
    'CosineDistance': (
        ('updateOutput', "attempt to index local 'input' ", 23),
        ('updateOutput', 'inconsistent tensor size', 41),
    ),
    'CosineEmbeddingCriterion': (
        ('updateOutput', "attempt to index local 'input' ", 13),
        ('updateOutput', 'inconsistent tensor size', 42),
    ),
    'CrossEntropyCriterion': (
        ('updateOutput', "attempt to index local 'input' ", 12),
    ),
    'DistKLDivCriterion': (
        ('updateOutput', "attempt to index local 'input' ", 9),
        ('updateOutput', 'input and target should have the same size', 9),
    ),
    'DistanceRatioCriterion': (
        ('updateOutput', 'Invalid number of inputs', 48),
        ('updateOutput', "Number of distances don't match.", 53),
        ('updateOutput', "Invalid distances' size.", 54),
    ),
    'DotProduct': (
        ('updateOutput', "attempt to index local 'input' ", 9),
        ('updateOutput', 'inconsistent tensor size', 18),
    ),
    'Dropout': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 21),
    ),
    'ELU': (
        ('__init__', 'assertion failed!', 12),
    ),
    'Euclidean': (
        ('updateOutput', "attempt to index local 'input' ", 46),
    ),
    'FlattenTable': (
        ('updateOutput', 'input must be a table', 71),
        ('updateGradInput', 'input must be a table', 83),
    ),
    'GPU': (
        (None, 'assertion failed!', 16),
    ),
    'HardShrink': (
        ('updateOutput', "attempt to index local 'input' ", 9),
    ),
    'HardTanh': (
        ('updateOutput', "attempt to index local 'input' ", 17),
    ),
    'HingeEmbeddingCriterion': (
        ('updateOutput', "attempt to index local 'input' ", 10),
    ),
    'Index': (
        ('updateOutput', "attempt to index local 'input' ", 10),
    ),
    'IndexLinear': (
        ('updateOutput', 'assertion failed!', 76),
    ),
    'JoinTable': (
        ('updateOutput', "attempt to get length of local 'input' ", 24),
        ('updateOutput', 'inconsistent tensor size', 39),
    ),
    'Kmeans': (
        ('initRandom', 'Incorrect input dimensionality. Expecting 2D.', 35),
        ('initRandom', "Dimensionality of input and weight don't match.", 39),
        ('updateOutput', 'Incorrect input dimensionality. Expecting 2D.', 106),
        ('updateOutput', "Dimensionality of input and weight don't match.", 110),
    ),
    'L1Cost': (
        ('updateOutput', "attempt to index local 'input' ", 9),
    ),
    'L1HingeEmbeddingCriterion': (
        ('updateOutput', "attempt to index local 'input' ", 11),
        ('updateOutput', 'inconsistent tensor size', 11),
    ),
    'L1Penalty': (
        ('updateOutput', "attempt to index local 'input' ", 23),
    ),
    'LeakyReLU': (
        ('updateOutput', "attempt to index local 'input' ", 19),
    ),
    'Log': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 8),
    ),
    'LogSigmoid': (
        ('updateOutput', "attempt to index local 'input' ", 4),
    ),
    'LogSoftMax': (
        ('updateOutput', "attempt to index local 'input' ", 4),
    ),
    'LookupTable': (
        ('updateOutput', "attempt to index local 'input' ", 59),
    ),
    'MM': (
        ('updateOutput', 'input must be a pair of minibatch matrices', 20),
        ('updateOutput', 'input tensors must be 2D or 3D', 22),
        ('updateOutput', 'second input tensor must be 2D', 25),
        ('updateOutput', 'matrix sizes do not match', 29),
        ('updateOutput', 'second input tensor must be 3D', 34),
        ('updateOutput', 'inputs must contain the same number of minibatches', 35),
    ),
    'MSECriterion': (
        ('updateOutput', "attempt to index local 'input' ", 13),
    ),
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
    'MarginCriterion': (
        ('updateOutput', "attempt to index local 'input' ", 10),
    ),
    'MarginRankingCriterion': (
        ('updateOutput', "attempt to index local 'input' ", 13),
        ('updateOutput', 'inconsistent tensor size', 19),
    ),
    'MaskedSelect': (
        ('updateOutput', "bad argument #1 to 'unpack' ", 17),
    ),
    'MixtureTable': (
        ('updateOutput', "bad argument #1 to 'unpack' ", 14),
    ),
    'Mul': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 24),
    ),
    'MulConstant': (
        ('__init__', 'input is not scalar!', 5),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 20),
    ),
    'MultiLabelMarginCriterion': (
        ('updateOutput', 'attempt to index a nil value', 10),
    ),
    'MultiLabelSoftMarginCriterion': (
        ('updateOutput', "attempt to index local 'input' ", 38),
    ),
    'Narrow': (
        ('updateOutput', "attempt to index local 'input' ", 24),
    ),
    'Normalize': (
        ('__init__', '-norm not supported', 6),
        ('updateOutput', 'only 1d layer supported', 12),
        ('updateOutput', "attempt to index local 'input' ", 12),
    ),
    'PReLU': (
        ('updateOutput', "attempt to index local 'input' ", 12),
    ),
    'Padding': (
        ('updateOutput', "attempt to index local 'input' ", 16),
    ),
    'PairwiseDistance': (
        ('updateOutput', "attempt to index local 'input' ", 14),
        ('updateOutput', 'inconsistent tensor size', 16),
    ),
    'Power': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 12),
    ),
    'RReLU': (
        ('__init__', 'assertion failed!', 8),
    ),
    'ReLU6': (
        ('updateOutput', "attempt to index local 'input' ", 18),
    ),
    'Replicate': (
        ('updateOutput', 'Not enough input dimensions to replicate', 13),
        ('updateOutput', "attempt to index local 'input' ", 14),
    ),
    'Reshape': (
        ('updateOutput', "attempt to index local 'input' ", 32),
    ),
    'Select': (
        ('updateOutput', "attempt to index local 'input' ", 12),
    ),
    'Sigmoid': (
        ('updateOutput', "attempt to index local 'input' ", 4),
    ),
    'SmoothL1Criterion': (
        ('updateOutput', "attempt to index local 'input' ", 13),
    ),
    'SoftMarginCriterion': (
        ('updateOutput', "attempt to index local 'input' ", 9),
    ),
    'SoftMax': (
        ('updateOutput', "attempt to index local 'input' ", 4),
    ),
    'SoftMin': (
        ('updateOutput', "attempt to index local 'input' ", 4),
    ),
    'SoftPlus': (
        ('updateOutput', "attempt to index local 'input' ", 11),
    ),
    'SoftShrink': (
        ('updateOutput', "attempt to index local 'input' ", 9),
    ),
    'SoftSign': (
        ('updateOutput', "attempt to index local 'input' ", 4),
    ),
    'SpatialConvolution': (
        ('updateOutput', "attempt to index local 'input' ", 77),
    ),
    'SpatialCrossMapLRN': (
        ('updateOutput', 'Input must be 3D or 4D', 13),
    ),
    'SpatialMaxPooling': (
        ('updateOutput', 'attempt to index a nil value', 33),
    ),
    'SpatialSoftMax': (
        ('updateOutput', "attempt to index local 'input' ", 4),
    ),
    'SpatialUpSamplingBilinear': (
        ('__init__', 'attempt to compare ', 27),
        ('updateOutput', 'SpatialUpSamplingBilinear only supports 3D or 4D tensors', 71),
    ),
    'SplitTable': (
        ('updateOutput', "attempt to index local 'input' ", 21),
    ),
    'Sqrt': (
        ('updateOutput', "attempt to index local 'input' ", 10),
    ),
    'Square': (
        ('updateOutput', "attempt to index local 'input' ", 8),
    ),
    'Squeeze': (
        ('updateOutput', 'Squeeze only works on tensors', 15),
    ),
    'Sum': (
        ('updateOutput', 'dimension exceeds input dimensions', 24),
        ('updateOutput', "attempt to index local 'input' ", 24),
    ),
    'Tanh': (
        ('updateOutput', "attempt to index local 'input' ", 4),
    ),
    'TemporalConvolution': (
        ('updateOutput', "attempt to index local 'input' ", 41),
    ),
    'TemporalDynamicKMaxPooling': (
        ('updateOutput', 'Input sequence length (', 33),
    ),
    'Threshold': (
        ('updateOutput', "attempt to index local 'input' ", 20),
    ),
    'Transpose': (
        ('updateOutput', "attempt to index local 'input' ", 21),
    ),
    'Unsqueeze': (
        ('updateOutput', 'This module only works on tensor', 4),
        ('updateOutput', 'input feature map dim (numInputDims) must be <= input:dim()', 43),
        ('updateOutput', 'Invalid position: ', 47),
    ),
    'View': (
        ('__init__', 'size should be positive or -1', 17),
        ('__init__', 'only one dimension can be at -1', 18),
    ),
    'WeightNorm': (
        (None, 'assertion failed!', 13),
    ),
    'WeightedEuclidean': (
        ('updateOutput', "attempt to index local 'input' ", 39),
    ),
    'WeightedMSECriterion': (
        ('updateOutput', 'inconsistent tensor size', 16),
    ),
    'ZipTableOneToMany': (
        ('updateOutput', 'input must be table of element and table', 16),
    ),
}


_METHODS = ("__init__", "updateOutput", "updateGradInput", "accGradParameters")


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
        codes = {g.f_code for g in frames if g.f_locals.get("self") is obj}
        methods = {c.co_name for c in codes}  # (a generated method's code has another name)
        methods.update(m for m in _METHODS if getattr(getattr(type(obj), m, None),
                                                      "__code__", None) in codes)
        for cls in type(obj).__mro__:
            name = _lua_class(cls)
            for meth, text, line in SITES.get(name, ()) if name else ():
                if (meth is None or meth in methods) and (msg.startswith(text)
                                                          or msg.endswith(text)):
                    return "nn/%s.lua:%d" % (name, line)
        return None  # (the innermost nn object decides)
    return None
