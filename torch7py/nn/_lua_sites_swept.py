"""Raise sites of nn's Lua methods found by sweeping bad arguments through the reference Torch7
(nn 8726825 built with its torch7): for each class, (method, text, line) where the original
printed nn/<Class>.lua:<line> before a message that torch7py gave without a position. A text is
a fixed beginning of the message, or a LuaJIT runtime error's kind and name, made into its text
by _lua_sites (whose hand-written SITES come first: this table only adds). Each entry was read
from the reference's output, not from torch7py's; a (method, text) that the reference put at two
lines was left out, and so was a call whose forward beforehand failed in the reference. (Two
sweeps: inputs of 2x3, then of 4 and 2x1x4x4 elements.)"""

SWEPT = {
    'Add': (
        ('accGradParameters', "bad argument #1 to 'isSameSizeAs' ", 59),
        ('accGradParameters', 'invalid arguments: ', 63),
        ('accGradParameters', ('call', 'isSameSizeAs'), 59),
        ('accGradParameters', ('call', 'view'), 62),
        ('accGradParameters', ('index', 'gradOutput'), 62),
        ('accGradParameters', ('index', 'input'), 59),
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 49),
    ),
    'AddConstant': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 46),
    ),
    'BCECriterion': (
        ('updateOutput', ('index', 'target'), 24),
    ),
    'BatchNormalization': (
        ('accGradParameters', ('call', 'dim'), 77),
        ('accGradParameters', ('index', 'input'), 77),
        ('updateGradInput', ('call', 'dim'), 77),
        ('updateGradInput', ('index', 'input'), 77),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 120),
        ('updateOutput', ('call', 'dim'), 77),
        ('updateOutput', ('index', 'input'), 77),
    ),
    'Bilinear': (
        ('accGradParameters', ('index', 'input'), 17),
        ('accGradParameters', ('index_a', 'number'), 17),
        ('accGradParameters', ('index_nil',), 17),
        ('updateGradInput', ('index', 'input'), 17),
        ('updateGradInput', ('index_a', 'number'), 17),
        ('updateGradInput', ('index_nil',), 17),
    ),
    'CAdd': (
        ('accGradParameters', ('call', 'size'), 92),
        ('accGradParameters', ('call_new',), 81),
        ('accGradParameters', ('index', 'gradOutput'), 81),
        ('accGradParameters', ('index', 'input'), 92),
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 73),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 43),
        ('updateOutput', ('call_new',), 38),
    ),
    'CAddTable': (
        ('updateGradInput', ('for_limit',), 22),
        ('updateGradInput', ('index_nil',), 23),
        ('updateGradInput', ('length', 'input'), 22),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 13),
    ),
    'CDivTable': (
        ('updateGradInput', "bad argument #1 to 'copy' ", 18),
        ('updateGradInput', 'inconsistent tensor size', 18),
        ('updateGradInput', ('index', 'input'), 16),
        ('updateGradInput', ('index_a', 'number'), 16),
        ('updateGradInput', ('index_nil',), 16),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 10),
    ),
    'CMul': (
        ('accGradParameters', "bad argument #1 to 'set' ", 121),
        ('accGradParameters', ('call', 'nElement'), 115),
        ('accGradParameters', ('call_new',), 111),
        ('accGradParameters', ('index', 'gradOutput'), 115),
        ('accGradParameters', ('index', 'input'), 111),
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 80),
        ('updateGradInput', ('call', 'nElement'), 81),
        ('updateGradInput', ('call_new',), 77),
        ('updateGradInput', ('index', 'gradOutput'), 81),
        ('updateGradInput', ('index', 'input'), 77),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 43),
        ('updateOutput', ('call_new',), 38),
    ),
    'CMulTable': (
        ('updateGradInput', ('for_limit',), 35),
        ('updateGradInput', ('index_nil',), 36),
        ('updateGradInput', ('length', 'input'), 35),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 10),
    ),
    'CSubTable': (
        ('updateGradInput', "bad argument #1 to 'copy' ", 18),
        ('updateGradInput', 'inconsistent tensor size', 18),
        ('updateGradInput', ('index', 'input'), 16),
        ('updateGradInput', ('index_a', 'number'), 16),
        ('updateGradInput', ('index_nil',), 16),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 10),
    ),
    'ClassNLLCriterion': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 69),
        ('updateGradInput', ('call', 'long'), 66),
        ('updateGradInput', ('index', 'target'), 66),
        ('updateGradInput', ('index_nil',), 63),
        ('updateOutput', ('call', 'long'), 38),
        ('updateOutput', ('index', 'target'), 38),
    ),
    'Contiguous': (
        ('updateGradInput', "bad argument #1 to 'set' ", 18),
        ('updateGradInput', ('call', 'isContiguous'), 14),
        ('updateGradInput', ('index', 'gradOutput'), 14),
        ('updateOutput', "bad argument #1 to 'set' ", 8),
        ('updateOutput', ('call', 'isContiguous'), 4),
    ),
    'Copy': (
        ('updateGradInput', ('call', 'size'), 33),
        ('updateGradInput', ('index', 'gradOutput'), 33),
        ('updateOutput', ('call', 'size'), 28),
    ),
    'Cosine': (
        ('accGradParameters', 'inconsistent tensor size', 133),
        ('accGradParameters', 'invalid arguments: ', 133),
        ('accGradParameters', ('call', 'dim'), 115),
        ('accGradParameters', ('call_new',), 131),
        ('accGradParameters', ('field', '_weightNorm'), 118),
        ('accGradParameters', ('index', 'gradOutput'), 131),
        ('accGradParameters', ('index', 'input'), 115),
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 70),
        ('updateOutput', ('call', 'dim'), 31),
    ),
    'CosineDistance': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 83),
        ('updateGradInput', ('call', 'view'), 94),
        ('updateGradInput', ('index', 'gradOutput'), 94),
        ('updateGradInput', ('index', 'input'), 64),
        ('updateGradInput', ('index', 'input1'), 9),
        ('updateOutput', 'invalid arguments: ', 57),
        ('updateOutput', ('index', 'input1'), 9),
    ),
    'CosineEmbeddingCriterion': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 97),
        ('updateGradInput', ('field', 'buffer'), 100),
        ('updateGradInput', ('index', 'input'), 78),
        ('updateGradInput', ('index', 'v1'), 89),
        ('updateOutput', ('index', 'input1'), 22),
        ('updateOutput', ('index', 'y'), 62),
    ),
    'CrossEntropyCriterion': (
        ('updateGradInput', ('call', 'size'), 27),
        ('updateGradInput', ('call', 'squeeze'), 29),
        ('updateGradInput', ('index', 'input'), 27),
        ('updateGradInput', ('index', 'target'), 29),
        ('updateOutput', ('index', 'target'), 13),
    ),
    'DistKLDivCriterion': (
        ('updateOutput', ('index', 'target'), 9),
    ),
    'DotProduct': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 42),
        ('updateGradInput', ('call', 'view'), 45),
        ('updateGradInput', ('index', 'gradOutput'), 45),
        ('updateGradInput', ('index', 'input'), 25),
        ('updateGradInput', ('index', 'v1'), 34),
        ('updateOutput', 'invalid arguments: ', 19),
        ('updateOutput', ('index', 'input1'), 10),
    ),
    'Dropout': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 42),
        ('updateGradInput', 'inconsistent tensor size', 46),
    ),
    'ELU': (
        ('updateOutput', ('index', 'input'), 20),
    ),
    'Euclidean': (
        ('accGradParameters', "bad argument #1 to 'sum' ", 166),
        ('accGradParameters', ('call', 'dim'), 162),
        ('accGradParameters', ('index', 'input'), 162),
        ('updateGradInput', ('call', 'size'), 115),
        ('updateGradInput', ('call_new',), 96),
        ('updateGradInput', ('index', 'gradOutput'), 115),
        ('updateGradInput', ('index', 'input'), 96),
        ('updateOutput', ('call_new',), 46),
    ),
    'GradientReversal': (
        ('updateOutput', "bad argument #1 to 'set' ", 16),
    ),
    'HingeEmbeddingCriterion': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 35),
    ),
    'Index': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 22),
        ('updateGradInput', ('index', 'index'), 20),
        ('updateGradInput', ('index', 'input'), 17),
        ('updateOutput', "bad argument #1 to 'index' ", 12),
    ),
    'JoinTable': (
        ('updateOutput', ('index', 'currentOutput'), 27),
    ),
    'L1HingeEmbeddingCriterion': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 26),
        ('updateGradInput', ('index', 'input'), 26),
        ('updateOutput', ('index_a', 'number'), 11),
        ('updateOutput', ('index_nil',), 11),
    ),
    'L1Penalty': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 35),
        ('updateGradInput', 'invalid arguments: ', 38),
        ('updateOutput', ('call', 'norm'), 23),
    ),
    'Log': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 15),
        ('updateGradInput', 'invalid arguments: ', 18),
    ),
    'LogSigmoid': (
        ('updateGradInput', ('field', 'buffer'), 18),
    ),
    'LookupTable': (
        ('accGradParameters', ('call', 'dim'), 99),
        ('accGradParameters', ('index', 'input'), 99),
        ('updateGradInput', ('call_new',), 88),
        ('updateGradInput', ('index', 'input'), 88),
        ('updateOutput', ('call', 'isContiguous'), 59),
    ),
    'MM': (
        ('updateGradInput', 'input must be a pair of tensors', 52),
        ('updateGradInput', ('length', 'input'), 52),
        ('updateOutput', ('length', 'input'), 20),
    ),
    'MV': (
        ('updateGradInput', 'input must be a pair of tensors', 48),
        ('updateGradInput', ('length', 'input'), 48),
        ('updateOutput', ('length', 'input'), 20),
    ),
    'MarginRankingCriterion': (
        ('updateGradInput', 'invalid arguments: ', 51),
        ('updateGradInput', ('index', 'input'), 46),
        ('updateGradInput', ('index_a', 'number'), 46),
        ('updateGradInput', ('index_nil',), 46),
        ('updateOutput', 'invalid arguments: ', 20),
        ('updateOutput', ('index_a', 'number'), 15),
        ('updateOutput', ('index_nil',), 15),
    ),
    'Max': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 53),
        ('updateGradInput', 'invalid arguments: ', 53),
        ('updateGradInput', ('call', 'dim'), 48),
        ('updateGradInput', ('index', 'input'), 48),
    ),
    'Min': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 53),
        ('updateGradInput', 'invalid arguments: ', 53),
        ('updateGradInput', ('call', 'dim'), 48),
        ('updateGradInput', ('index', 'input'), 48),
    ),
    'MixtureTable': (
        ('updateGradInput', "bad argument #1 to 'unpack' ", 70),
        ('updateGradInput', ('index_nil',), 75),
    ),
    'Mul': (
        ('accGradParameters', 'invalid arguments: ', 37),
        ('accGradParameters', ('call', 'dot'), 37),
        ('accGradParameters', ('index', 'input'), 37),
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 30),
        ('updateGradInput', 'invalid arguments: ', 31),
    ),
    'MulConstant': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 35),
    ),
    'Narrow': (
        ('updateGradInput', "bad argument #1 to 'copy' ", 43),
        ('updateGradInput', 'inconsistent tensor size', 43),
        ('updateOutput', ('call', 'narrow'), 24),
    ),
    'NarrowTable': (
        ('updateGradInput', ('length', 'gradOutput'), 24),
        ('updateOutput', ('index', 'input'), 18),
    ),
    'Normalize': (
        ('updateGradInput', 'invalid arguments: ', 78),
        ('updateGradInput', ('field', 'normp'), 78),
        ('updateGradInput', ('index', 'gradOutput'), 55),
        ('updateGradInput', ('index', 'input'), 54),
        ('updateOutput', ('call', 'dim'), 12),
    ),
    'PReLU': (
        ('accGradParameters', ('call', 'cdata'), 37),
        ('accGradParameters', ('call_new',), 33),
        ('accGradParameters', ('index', 'gradOutput'), 37),
        ('accGradParameters', ('index', 'input'), 33),
    ),
    'Padding': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 44),
        ('updateGradInput', 'inconsistent tensor size', 59),
        ('updateGradInput', ('call', 'narrow'), 59),
        ('updateGradInput', ('index', 'gradOutput'), 59),
        ('updateOutput', ('call', 'dim'), 16),
    ),
    'PairwiseDistance': (
        ('updateGradInput', 'invalid arguments: ', 73),
        ('updateGradInput', ('index', 'gradOutput'), 73),
        ('updateGradInput', ('index', 'input'), 42),
        ('updateGradInput', ('index_a', 'number'), 42),
        ('updateGradInput', ('index_nil',), 42),
        ('updateOutput', ('index_a', 'number'), 14),
        ('updateOutput', ('index_nil',), 14),
    ),
    'Power': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 18),
        ('updateGradInput', 'invalid arguments: ', 20),
    ),
    'Replicate': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 42),
        ('updateGradInput', 'invalid arguments: ', 55),
        ('updateOutput', "bad argument #1 to 'set' ", 37),
        ('updateOutput', ('call', 'dim'), 14),
    ),
    'Reshape': (
        ('updateGradInput', ('call', 'isContiguous'), 52),
        ('updateGradInput', ('index', 'gradOutput'), 52),
        ('updateOutput', ('call', 'isContiguous'), 32),
    ),
    'Select': (
        ('updateGradInput', "bad argument #1 to 'copy' ", 22),
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 20),
        ('updateGradInput', 'inconsistent tensor size', 22),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 13),
        ('updateOutput', ('call', 'select'), 12),
    ),
    'SoftSign': (
        ('updateGradInput', "bad argument #1 to 'copy' ", 13),
    ),
    'SpatialAveragePooling': (
        ('updateGradInput', ('field', 'THNN'), 67),
        ('updateGradInput', ('index', 'input'), 67),
        ('updateOutput', ('field', 'THNN'), 48),
        ('updateOutput', ('index', 'input'), 48),
    ),
    'SpatialConvolution': (
        ('accGradParameters', ('index', 'input'), 113),
        ('updateGradInput', ('index', 'input'), 94),
    ),
    'SpatialMaxPooling': (
        ('updateGradInput', ('field', 'THNN'), 60),
        ('updateGradInput', ('index', 'input'), 60),
        ('updateOutput', "bad argument #1 to 'size' ", 40),
    ),
    'SpatialUpSamplingNearest': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 51),
        ('updateOutput', ('call', 'dim'), 30),
        ('updateOutput', ('index', 'input'), 30),
    ),
    'SpatialZeroPadding': (
        ('updateGradInput', ('call', 'dim'), 61),
        ('updateGradInput', ('index', 'input'), 61),
        ('updateOutput', ('call', 'dim'), 12),
        ('updateOutput', ('index', 'input'), 12),
    ),
    'SplitTable': (
        ('updateGradInput', "bad argument #1 to 'copy' ", 39),
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 35),
        ('updateGradInput', ('call', 'size'), 33),
        ('updateGradInput', ('index', 'gradOutput'), 38),
        ('updateGradInput', ('index', 'input'), 33),
        ('updateGradInput', ('index_a', 'number'), 39),
        ('updateOutput', ('call', 'size'), 21),
    ),
    'Squeeze': (
        ('updateGradInput', "bad argument #1 to 'set' ", 38),
        ('updateOutput', "bad argument #1 to 'set' ", 25),
    ),
    'Sum': (
        ('updateGradInput', ('call', 'dim'), 24),
        ('updateGradInput', ('call', 'isContiguous'), 50),
        ('updateGradInput', ('index', 'gradOutput'), 50),
        ('updateGradInput', ('index', 'input'), 24),
        ('updateOutput', 'invalid arguments: ', 33),
        ('updateOutput', ('call', 'dim'), 24),
    ),
    'TemporalConvolution': (
        ('accGradParameters', ('call', 'cdata'), 64),
        ('accGradParameters', ('field', 'THNN'), 63),
        ('accGradParameters', ('index', 'gradOutput'), 64),
        ('accGradParameters', ('index', 'input'), 63),
        ('updateGradInput', ('call', 'cdata'), 53),
        ('updateGradInput', ('field', 'THNN'), 52),
        ('updateGradInput', ('index', 'gradOutput'), 53),
        ('updateGradInput', ('index', 'input'), 52),
    ),
    'TemporalMaxPooling': (
        ('updateGradInput', ('call', 'cdata'), 29),
        ('updateGradInput', ('field', 'THNN'), 28),
        ('updateGradInput', ('field', 'indices'), 30),
        ('updateGradInput', ('index', 'gradOutput'), 29),
        ('updateGradInput', ('index', 'input'), 28),
        ('updateOutput', ('index_nil',), 14),
    ),
    'Transpose': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 33),
        ('updateGradInput', "bad argument #1 to 'transpose' ", 31),
        ('updateGradInput', ('call', 'transpose'), 31),
        ('updateGradInput', ('index', 'gradOutput'), 31),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 23),
        ('updateOutput', "bad argument #1 to 'transpose' ", 21),
        ('updateOutput', ('call', 'transpose'), 21),
    ),
    'View': (
        ('updateGradInput', ('call', 'size'), 90),
        ('updateGradInput', ('index', 'input'), 90),
        ('updateOutput', ('call', 'nDimension'), 38),
        ('updateOutput', ('index', 'input'), 38),
    ),
    'VolumetricConvolution': (
        ('accGradParameters', ('field', 'finput'), 137),
        ('accGradParameters', ('index_nil',), 119),
        ('updateGradInput', ('field', 'finput'), 107),
        ('updateGradInput', ('index_nil',), 89),
        ('updateOutput', ('call_new',), 60),
        ('updateOutput', ('index', 'input'), 60),
    ),
    'WeightedEuclidean': (
        ('accGradParameters', "bad argument #1 to 'sum' ", 186),
        ('accGradParameters', ('call', 'dim'), 169),
        ('accGradParameters', ('index', 'input'), 169),
        ('updateGradInput', ('call', 'size'), 115),
        ('updateGradInput', ('call_new',), 96),
        ('updateGradInput', ('index', 'gradOutput'), 115),
        ('updateGradInput', ('index', 'input'), 96),
        ('updateOutput', ('call_new',), 39),
    ),
    'WeightedMSECriterion': (
        ('updateGradInput', ('field', 'buffer'), 30),
        ('updateOutput', "bad argument #1 to 'copy' ", 10),
    ),
}

# Session 19 (sw19c): a dimension or an index out of range in a layer's tensor call (TH's
# luaL_argerror under the nn file's line), read from the reference's output the same way:
# nn.Narrow(3, 1, 1), nn.Select(1, 5), nn.SplitTable(3), nn.Squeeze(3), nn.Index(1), nn.Sum(3)
# and nn.Max(3) on a 2x3 input, forward and backward.
_S19 = {
    'Add': (
        ('accGradParameters', 'size mismatch', 63),
    ),
    'Index': (
        ('updateOutput', "bad argument #3 to 'index' ", 12),
        ('updateOutput', 'index out of range', 12),
        ('updateGradInput', "bad argument #2 to 'indexAdd' ", 23),
    ),
    'Max': (
        ('updateGradInput', "bad argument #1 to 'scatter' ", 53),
    ),
    'Min': (
        ('updateGradInput', "bad argument #1 to 'scatter' ", 53),
    ),
    'Narrow': tuple((m, "bad argument #%d to 'narrow' " % k, line)
                    for m, line in (('updateOutput', 24), ('updateGradInput', 43))
                    for k in (1, 2, 3)),
    'Select': tuple((m, "bad argument #%d to 'select' " % k, line)
                    for m, line in (('updateOutput', 12), ('updateGradInput', 22))
                    for k in (1, 2)),
    'SplitTable': (
        ('updateOutput', "bad argument #1 to 'size' ", 21),
        ('updateGradInput', "bad argument #1 to 'size' ", 33),
    ),
    'Squeeze': (
        ('updateOutput', "bad argument #1 to 'squeeze' ", 25),
    ),
    'Sum': (
        ('updateGradInput', 'dimension exceeds input dimensions', 24),
        ('updateOutput', "bad argument #1 to 'sum' ", 33),  # nn.Sum(0)
    ),
}
for _cls, _entries in _S19.items():
    SWEPT[_cls] = SWEPT.get(_cls, ()) + _entries

# session 20's sweep of every module (sw20f): lines the reference printed for tables of tensors
# of different sizes, a missing second tensor, an index out of range, NaN checks
_S20F = {
    'CSubTable': (
        ('updateOutput', 'inconsistent tensor size', 11),  # self.output:add(-1, input[2])
        ('updateOutput', 'invalid arguments: ', 11),
    ),
    'CDivTable': (
        ('updateOutput', 'inconsistent tensor size', 11),  # self.output:cdiv(input[2])
        ('updateOutput', 'invalid arguments: ', 11),
    ),
    'CMulTable': (
        ('updateOutput', 'inconsistent tensor size', 12),  # self.output:cmul(input[i])
    ),
    'CMaxTable': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 13),
        ('updateOutput', 'inconsistent tensor size', 19),  # self.mask:gt(input[i], self.output)
        ('updateOutput', "bad argument #1 to 'maskedFill' ", 21),
    ),
    'CMinTable': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 13),
        ('updateOutput', 'inconsistent tensor size', 19),
        ('updateOutput', "bad argument #1 to 'maskedFill' ", 21),
    ),
    'OneHot': (
        ('updateOutput', 'Invalid index in scatter', 46),
    ),
    'NaN': (
        ('updateOutput', 'NaN found in input of module', 37),
        ('updateOutput', 'NaN found in parameters of module', 39),
        ('updateOutput', 'NaN found in output of module', 41),
        ('updateGradInput', 'NaN found in gradOutput of module', 50),
        ('updateGradInput', 'NaN found in gradInput of module', 52),
        ('accGradParameters', 'NaN found in gradParameters of module', 61),
    ),
}
for _cls, _entries in _S20F.items():
    SWEPT[_cls] = SWEPT.get(_cls, ()) + _entries

# a third sweep (session 21: every nn module and criterion given a wrong input, a wrong
# gradOutput, a backward before any forward and bad constructor arguments, one fresh module per
# call): the (method, text, line) the reference gave where torch7py gave no position; entries
# the earlier sweeps hold come first, a (method, text) it put at two lines is left out
_SWEPT21 = {
    'Add': (
        ('updateOutput', "bad argument #1 to 'size' ", 35),
    ),
    'AddConstant': (
        ('updateGradInput', "bad argument #1 to 'set' ", 42),
    ),
    'BCECriterion': (
        ('__init__', ('index', 'weights'), 12),
    ),
    'Bottle': (
        ('accGradParameters', ('index', 'gradOutput'), 68),
        ('updateOutput', ('call', 'dim'), 16),
        ('updateOutput', ('index', 'input'), 16),
    ),
    'CAdd': (
        ('updateOutput', "bad argument #1 to 'size' ", 51),
    ),
    'CAddTable': (
        ('updateGradInput', "bad argument #1 to 'set' ", 25),
        ('updateOutput', "bad argument #1 to 'set' ", 11),
    ),
    'CAddTensorTable': (
        ('updateOutput', ('index', 'input'), 13),
        ('updateOutput', ('length_a', 'nil'), 13),
        ('updateOutput', ('length_a', 'number'), 13),
    ),
    'CDivTable': (
        ('updateGradInput', 'invalid arguments: ', 18),
    ),
    'CMaxTable': (
        ('updateOutput', ('index', 'input'), 13),
        ('updateOutput', 'invalid arguments: ', 19),
    ),
    'CMinTable': (
        ('updateOutput', ('index', 'input'), 13),
        ('updateOutput', 'invalid arguments: ', 19),
    ),
    'CMul': (
        ('updateOutput', "bad argument #1 to 'size' ", 54),
    ),
    'CMulTable': (
        ('updateOutput', 'invalid arguments: ', 12),
    ),
    'CReLU': (
        ('updateGradInput', ('index', 'gradOutput'), 45),
        ('updateOutput', ('call', 'dim'), 21),
        ('updateOutput', ('index', 'input'), 21),
    ),
    'CSubTable': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 19),
    ),
    'ClassNLLCriterion': (
        ('__init__', ('call', 'dim'), 9),
        ('__init__', ('index', 'weights'), 9),
    ),
    'Collapse': (
        ('updateOutput', ('call', 'isContiguous'), 10),
        ('updateOutput', ('index', 'input'), 10),
    ),
    'Convert': (
        ('accGradParameters', ('field', 'converter'), 126),
        ('updateGradInput', ('field', 'converter'), 101),
        ('updateOutput', ('index_a', 'number'), 153),
    ),
    'Copy': (
        ('__init__', ('index_nil',), 10),
    ),
    'CosineDistance': (
        ('updateGradInput', ('field', 'buffer'), 86),
        ('updateOutput', ('index', 'input2'), 14),
    ),
    'CosineEmbeddingCriterion': (
        ('updateGradInput', 'inconsistent tensor size, expected tensor ', 97),
    ),
    'CriterionTable': (
        ('__init__', ('index', 'criterion'), 6),
    ),
    'DepthConcat': (
        ('accGradParameters', ('index', 'output'), 15),
        ('accGradParameters', "bad argument #1 to 'narrow' ", 15),
        ('updateGradInput', ('index', 'output'), 15),
        ('updateGradInput', "bad argument #1 to 'narrow' ", 15),
    ),
    'DistKLDivCriterion': (
        ('updateOutput', "calling 'all' on bad self ", 10),
        ('updateGradInput', "calling 'all' on bad self ", 25),
    ),
    'Dropout': (
        ('__init__', ('compare', 'string', 'number'), 11),
    ),
    'Euclidean': (
        ('accGradParameters', 'invalid arguments: ', 166),
    ),
    'FeatureLPPooling': (
        ('__init__', ('compare', 'nil', 'number'), 35),
        ('updateOutput', ('field', 'THNN'), 49),
        ('updateOutput', ('index', 'input'), 49),
    ),
    'GatedLinearUnit': (
        ('updateGradInput', ('index', 'gradOutput'), 22),
        ('updateOutput', ('call', 'dim'), 9),
        ('updateOutput', ('field', 'THNN'), 10),
    ),
    'IndexLinear': (
        ('__init__', ('arith', "local 'outputSize'"), 21),
        ('accGradParameters', ('field', 'values'), 247),
        ('accGradParameters', ('index', 'gradOutput'), 254),
    ),
    'JoinTable': (
        ('updateOutput', ('index', 'input'), 15),
    ),
    'Kmeans': (
        ('accGradParameters', "bad argument #2 to 'indexAdd' ", 175),
        ('updateOutput', ('call', 'nDimension'), 105),
        ('updateOutput', ('index', 'input'), 105),
    ),
    'L1Cost': (
        ('updateGradInput', ('field', 'THNN'), 19),
        ('updateGradInput', ('index', 'input'), 19),
    ),
    'L1HingeEmbeddingCriterion': (
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 29),
    ),
    'LeakyReLU': (
        ('__init__', ('compare', 'string', 'number'), 13),
    ),
    'Linear': (
        ('__init__', "bad argument #1 to 'size' ", 25),
    ),
    'LinearWeightNorm': (
        ('accGradParameters', ('index', 'gradOutput'), 121),
        ('accGradParameters', "calling 't' on bad self ", 121),
        ('accGradParameters', 'invalid arguments: ', 121),
        ('accGradParameters', 'size mismatch, t: ', 121),
    ),
    'MV': (
        ('updateGradInput', 'arguments must be a 1D or 2D Tensor', 53),
        ('updateGradInput', 'invalid arguments: ', 66),
        ('updateOutput', ('index', 'v'), 23),
        ('updateOutput', 'invalid arguments: ', 41),
    ),
    'MarginRankingCriterion': (
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 16),
    ),
    'MaskedSelect': (
        ('updateGradInput', 'invalid arguments: ', 34),
    ),
    'Maxout': (
        ('__init__', ('arith', "local 'maxoutNumber'"), 7),
        ('__init__', ('arith', "local 'outputSize'"), 7),
    ),
    'Min': (
        ('updateOutput', ('call', 'dim'), 15),
        ('updateOutput', ('index', 'input'), 15),
    ),
    'MixtureTable': (
        ('updateGradInput', ('call', 'dim'), 115),
        ('updateGradInput', 'the class torch.LongStorage cannot be indexed', 117),
        ('updateOutput', ('index', 'expertInputs'), 53),
    ),
    'MulConstant': (
        ('updateGradInput', ('index', 'gradOutput'), 30),
        ('updateGradInput', "bad argument #1 to 'set' ", 31),
        ('updateOutput', ('index', 'input'), 17),
    ),
    'MultiMarginCriterion': (
        ('__init__', ('index', 'weights'), 11),
    ),
    'Narrow': (
        ('updateOutput', ('call', 'size'), 17),
        ('updateOutput', "bad argument #1 to 'size' ", 17),
    ),
    'Normalize': (
        ('updateOutput', "bad argument #1 to 'sum' ", 44),
    ),
    'OneHot': (
        ('updateOutput', ('call', 'size'), 23),
        ('updateOutput', ('index', 'input'), 23),
    ),
    'PairwiseDistance': (
        ('updateGradInput', "bad argument #1 to 'size' ", 62),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 19),
        ('updateOutput', 'invalid arguments: ', 22),
    ),
    'Parallel': (
        ('accGradParameters', "bad argument #1 to 'size' ", 68),
        ('updateGradInput', "bad argument #1 to 'size' ", 50),
    ),
    'PartialLinear': (
        ('accGradParameters', ('index', 'gradOutput'), 77),
        ('accGradParameters', "bad argument #1 to 'size' ", 77),
        ('accGradParameters', "calling 't' on bad self ", 78),
        ('accGradParameters', 'invalid arguments: ', 78),
    ),
    'PixelShuffle': (
        ('updateOutput', ('index', 'input'), 20),
        ('updateOutput', ('call_new',), 20),
        ('updateOutput', "bad argument #1 to 'size' ", 38),
        ('__init__', ('arith', "field 'upscaleFactor'"), 10),
    ),
    'RReLU': (
        ('updateOutput', ('index', 'input'), 16),
    ),
    'Reshape': (
        ('updateOutput', "bad argument #1 to 'size' ", 45),
    ),
    'Select': (
        ('updateOutput', ('call', 'dim'), 10),
        ('updateOutput', "bad argument #1 to 'size' ", 11),
        ('updateOutput', "calling 'select' on bad self ", 12),
    ),
    'SelectTable': (
        ('updateOutput', ('length', 'input'), 14),
    ),
    'SparseLinear': (
        ('updateOutput', ('field', 'THNN'), 88),
        ('updateOutput', ('index', 'input'), 45),
        ('updateOutput', ('index_a', 'number'), 78),
    ),
    'SpatialAdaptiveAveragePooling': (
        ('updateGradInput', ('index', 'gradOutput'), 22),
        ('updateOutput', ('field', 'THNN'), 11),
        ('updateOutput', ('index', 'input'), 11),
    ),
    'SpatialClassNLLCriterion': (
        ('__init__', ('index', 'weights'), 12),
    ),
    'SpatialConvolutionLocal': (
        ('accGradParameters', ('index', 'output'), 82),
        ('updateGradInput', ('index', 'output'), 82),
        ('updateOutput', ('field', 'THNN'), 105),
    ),
    'SpatialConvolutionMM': (
        ('__init__', ('arith', "local 'kH'"), 20),
    ),
    'SpatialConvolutionMap': (
        ('accGradParameters', ('index', 'gradOutput'), 140),
        ('updateGradInput', ('index', 'gradOutput'), 125),
        ('updateOutput', ('field', 'THNN'), 109),
        ('updateOutput', ('index', 'input'), 109),
    ),
    'SpatialCrossMapLRN': (
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 125),
        ('updateGradInput', 'invalid arguments: ', 125),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 40),
    ),
    'SpatialDepthWiseConvolution': (
        ('__init__', ('arith', "local 'kH'"), 20),
        ('accGradParameters', ('index', 'gradOutput'), 101),
        ('updateGradInput', ('index', 'gradOutput'), 82),
        ('updateOutput', ('index', 'input'), 54),
        ('updateOutput', 'table.THNN backend not imported', 54),
        ('updateOutput', 'torch.LongTensor.THNN backend not imported', 54),
    ),
    'SpatialDilatedConvolution': (
        ('accGradParameters', ('index', 'gradOutput'), 52),
        ('updateGradInput', ('index', 'gradOutput'), 34),
        ('updateOutput', ('field', 'THNN'), 14),
        ('updateOutput', ('index', 'input'), 14),
    ),
    'SpatialDilatedMaxPooling': (
        ('updateOutput', ('field', 'THNN'), 23),
        ('updateGradInput', ('index', 'gradOutput'), 39),
        ('updateOutput', ('index_nil',), 13),
        ('updateOutput', "bad argument #1 to 'size' ", 20),
    ),
    'SpatialDropout': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 34),
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 35),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 12),
    ),
    'SpatialFractionalMaxPooling': (
        ('updateGradInput', ('index', 'gradOutput'), 142),
        ('updateOutput', ('call', 'uniform'), 69),
        ('updateOutput', ('index_nil',), 118),
    ),
    'SpatialFullConvolution': (
        ('updateOutput', ('field', 'THNN'), 90),
        ('updateOutput', ('index', 'input'), 86),
        ('updateOutput', ('index', 'targetTensor'), 78),
    ),
    'SpatialFullConvolutionMap': (
        ('accGradParameters', ('index', 'gradOutput'), 82),
        ('updateGradInput', ('index', 'gradOutput'), 67),
        ('updateOutput', ('field', 'THNN'), 51),
        ('updateOutput', ('index', 'input'), 51),
    ),
    'SpatialLPPooling': (
        ('__init__', ('arith', "local 'kH'"), 20),
    ),
    'SpatialLogSoftMax': (
        ('updateGradInput', ('index', 'gradOutput'), 14),
        ('updateOutput', ('field', 'THNN'), 4),
        ('updateOutput', ('index', 'input'), 4),
    ),
    'SpatialMaxPooling': (
        ('updateOutput', ('field', 'THNN'), 47),
    ),
    'SpatialMaxUnpooling': (
        ('updateGradInput', ('index', 'gradOutput'), 31),
        ('updateOutput', ('field', 'THNN'), 18),
        ('updateOutput', ('index', 'input'), 18),
    ),
    'SpatialReflectionPadding': (
        ('updateGradInput', ('index', 'gradOutput'), 29),
        ('updateGradInput', 'input and gradOutput must be compatible in size', 30),
        ('updateOutput', ('call', 'dim'), 13),
        ('updateOutput', ('field', 'THNN'), 14),
        ('updateOutput', ('index', 'input'), 13),
    ),
    'SpatialReplicationPadding': (
        ('updateGradInput', ('index', 'gradOutput'), 24),
        ('updateGradInput', 'input and gradOutput must be compatible in size', 25),
        ('updateOutput', ('call', 'dim'), 13),
        ('updateOutput', ('field', 'THNN'), 14),
        ('updateOutput', ('index', 'input'), 13),
    ),
    'SpatialSubSampling': (
        ('__init__', ('arith', "field 'kW'"), 27),
        ('accGradParameters', ('index', 'gradOutput'), 72),
        ('updateGradInput', ('index', 'gradOutput'), 58),
        ('updateOutput', ('field', 'THNN'), 43),
        ('updateOutput', ('index', 'input'), 43),
    ),
    'SpatialSubtractiveNormalization': (
        ('updateOutput', ('call', 'dim'), 65),
        ('updateOutput', ('index', 'input'), 65),
    ),
    'SpatialUpSamplingBilinear': (
        ('updateGradInput', ('index', 'gradOutput'), 98),
        ('updateGradInput', 'Input and gradOutput should be of same dimension', 98),
        ('updateOutput', ('call', 'dim'), 71),
        ('updateOutput', ('field', 'THNN'), 82),
        ('updateOutput', ('index', 'input'), 71),
    ),
    'SpatialUpSamplingNearest': (
        ('updateOutput', ('field', 'THNN'), 42),
    ),
    'SpatialZeroPadding': (
        ('updateGradInput', "bad argument #3 to 'narrow' ", 88),
    ),
    'TemporalConvolution': (
        ('__init__', ('arith', "local 'kW'"), 13),
    ),
    'TemporalDynamicKMaxPooling': (
        ('updateGradInput', 'invalid arguments: ', 55),
        ('updateOutput', ('call', 'dim'), 29),
        ('updateOutput', ('index', 'input'), 29),
    ),
    'TemporalMaxPooling': (
        ('updateOutput', ('field', 'THNN'), 19),
    ),
    'TemporalRowConvolution': (
        ('updateOutput', ('index', 'input'), 39),
        ('updateOutput', 'table.THNN backend not imported', 39),
        ('updateOutput', 'torch.LongTensor.THNN backend not imported', 39),
    ),
    'TemporalSubSampling': (
        ('accGradParameters', ('index', 'gradOutput'), 61),
        ('updateGradInput', ('index', 'gradOutput'), 51),
        ('updateOutput', ('field', 'THNN'), 40),
        ('updateOutput', ('index', 'input'), 40),
    ),
    'Transpose': (
        ('updateGradInput', "calling 'transpose' on bad self ", 31),
        ('updateOutput', "calling 'transpose' on bad self ", 21),
    ),
    'UpSampling': (
        ('updateGradInput', ('index', 'gradOutput'), 148),
        ('updateOutput', ('call', 'dim'), 97),
        ('updateOutput', ('index', 'input'), 97),
    ),
    'VolumetricAveragePooling': (
        ('updateGradInput', ('index', 'gradOutput'), 34),
        ('updateOutput', ('field', 'THNN'), 20),
        ('updateOutput', ('index', 'input'), 20),
    ),
    'VolumetricConvolution': (
        ('accGradParameters', ('index', 'gradOutput'), 134),
    ),
    'VolumetricDilatedConvolution': (
        ('accGradParameters', ('index', 'gradOutput'), 53),
        ('updateGradInput', ('index', 'gradOutput'), 35),
        ('updateOutput', ('field', 'THNN'), 15),
        ('updateOutput', ('index', 'input'), 15),
    ),
    'VolumetricDilatedMaxPooling': (
        ('updateGradInput', ('index', 'gradOutput'), 41),
        ('updateOutput', ('call', 'dim'), 14),
        ('updateOutput', ('field', 'THNN'), 25),
        ('updateOutput', ('index', 'input'), 14),
        ('updateOutput', "bad argument #1 to 'size' ", 15),
    ),
    'VolumetricDropout': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 34),
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 35),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 12),
    ),
    'VolumetricFractionalMaxPooling': (
        ('updateGradInput', ('index', 'gradOutput'), 151),
        ('updateOutput', ('call', 'uniform'), 74),
        ('updateOutput', ('index_nil',), 127),
    ),
    'VolumetricFullConvolution': (
        ('updateGradInput', ('index', 'gradOutput'), 149),  # gradOutput:cdata()'s own line
        ('accGradParameters', ('index', 'gradOutput'), 194),
        ('updateOutput', ('field', 'THNN'), 108),
        ('updateOutput', ('index', 'inputTensor'), 108),
        ('updateOutput', ('index', 'targetTensor'), 99),
    ),
    'VolumetricMaxPooling': (
        ('updateGradInput', ('index', 'gradOutput'), 65),
        ('updateOutput', ('call', 'dim'), 39),
        ('updateOutput', ('field', 'THNN'), 50),
        ('updateOutput', ('index', 'input'), 39),
        ('updateOutput', "bad argument #1 to 'size' ", 40),
    ),
    'VolumetricMaxUnpooling': (
        ('updateGradInput', ('index', 'gradOutput'), 40),
        ('updateOutput', ('field', 'THNN'), 25),
        ('updateOutput', ('index', 'input'), 25),
    ),
    'VolumetricReplicationPadding': (
        ('updateGradInput', ('index', 'gradOutput'), 34),
        ('updateGradInput', 'input and gradOutput must be compatible in size', 35),
        ('updateOutput', ('call', 'dim'), 16),
        ('updateOutput', ('field', 'THNN'), 17),
        ('updateOutput', ('index', 'input'), 16),
    ),
    'WeightedMSECriterion': (
        ('__init__', ('index', 'w'), 5),
        ('updateGradInput', 'inconsistent tensor size, expected r_ ', 36),
    ),
    'WhiteNoise': (
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 27),
        ('updateOutput', "bad argument #1 to 'resizeAs' ", 11),
    ),
    'ZeroGrad': (
        ('updateOutput', "bad argument #1 to 'set' ", 4),
    ),
    'ZipTableOneToMany': (
        ('updateOutput', ('length', 'input'), 16),
        ('updateOutput', "bad argument #1 to 'ipairs' ", 19),
    ),
}

for _cls, _entries in _SWEPT21.items():
    SWEPT[_cls] = tuple(SWEPT.get(_cls, ())) + _entries

# session 21's nngraph sweep (sw21f): the table layers' TH calls on a table of mixed tensor
# types, a hole ({a, nil, b}) or a gradOutput of another type, as graphs feed them
_S21F = {
    'CAddTable': (
        ('updateOutput', "bad argument #1 to 'set' ", 11),   # self.output:set(input[1])
        ('updateOutput', 'invalid arguments: ', 16),         # self.output:add(input[i])
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 27),
    ),
    'CMulTable': (
        ('updateOutput', 'invalid arguments: ', 12),         # self.output:cmul(input[i])
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 37),
        ('updateGradInput', 'invalid arguments: ', 40),      # self.gradInput[i]:cmul(input[j])
    ),
    'CSubTable': (
        # gradInput[2] is input[1].new(): resizeAs(input[2]) refuses another type
        ('updateGradInput', "bad argument #1 to 'resizeAs' ", 19),
    ),
    'CDivTable': (
        ('updateGradInput', 'invalid arguments: ', 18),      # ...:copy(gradOutput):cdiv(input[2])
    ),
    'CMaxTable': (
        ('updateOutput', 'invalid arguments: ', 19),         # self.mask:gt(input[i], self.output)
        ('updateGradInput', ('index_nil',), 30),             # input[i].new() of a hole
        ('updateGradInput', "bad argument #1 to 'maskedSelect' ", 37),
        ('updateGradInput', "bad argument #2 to 'maskedCopy' ", 38),
    ),
    'CMinTable': (
        ('updateOutput', 'invalid arguments: ', 19),
        ('updateGradInput', ('index_nil',), 30),
        ('updateGradInput', "bad argument #1 to 'maskedSelect' ", 37),
        ('updateGradInput', "bad argument #2 to 'maskedCopy' ", 38),
    ),
    # a pair or a gater/experts table whose entry is a hole ({a, nil, b}, {nil, b})
    'DotProduct': (
        ('updateOutput', ('index', 'input2'), 13),
        ('updateGradInput', ('index', 'v2'), 36),
    ),
    'CosineDistance': (  # makeContiguous(self, input1, input2), for both passes
        ('updateOutput', ('index', 'input2'), 14),
        ('updateGradInput', ('index', 'input2'), 14),
    ),
    'PairwiseDistance': (
        ('updateOutput', 'invalid arguments: ', 16),         # self.diff:add(input[1], -1, input[2])
    ),
    'MM': (
        ('updateOutput', ('index', 'a'), 22),
    ),
    'CAddTensorTable': (
        ('updateOutput', ('length_a', 'nil'), 13),          # #input[2]
    ),
    'MixtureTable': (
        ('updateOutput', ('index', 'gaterInput'), 22),
        ('updateOutput', ('index', 'expertInputs'), 53),
    ),
    'Bilinear': (
        ('updateOutput', ('index_nil',), 7),                 # input[2]:size() of a hole
    ),
}
for _cls, _entries in _S21F.items():
    SWEPT[_cls] = SWEPT.get(_cls, ()) + _entries
