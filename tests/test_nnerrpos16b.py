"""nn's errors carry their Lua file:line as the original's do (torch7py/nn/_lua_sites.py's one
table, messages.at_lua where a line cannot be told from its text). Every expected text is what
the reference Torch7 (/tmp/ref7: LuaJIT 2.1.0-beta2, torch7 814ea4a, nn 8726825) printed for
the same Lua line, its install path shown as the goldens' /usr/local/share/lua/5.1/ and the
` at <file.c>:<line>` suffix of TH's C messages removed."""
import pytest

from luatest import lua_error, trepl_runtime
from torch7py.messages import lua_position

P = "/usr/local/share/lua/5.1/"


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nn'")


# asserts (LuaJIT 2.1's assert names the nn file's line), error() calls, LuaJIT runtime errors on
# a bad input and TH errors raised by an nn Lua line
@pytest.mark.parametrize("code, want", [
    ('nn.MV():forward({torch.rand(2,2)})',
     'nn/MV.lua:20: input must be a pair of minibatch matrices'),
    ('nn.MV():forward({torch.rand(2,2,2),torch.rand(2,3)})',
     'nn/MV.lua:38: matrix row count and vector length do not match'),
    ('nn.MM():forward({torch.rand(2,2,2),torch.rand(2,3,2)})',
     'nn/MM.lua:39: matrix sizes do not match'),
    ('nn.Bilinear()',
     'nn/Bilinear.lua:26: should specify inputSize1 and inputSize2 and outputSize'),
    ('nn.Bilinear(1.5,2,3)',
     'nn/Bilinear.lua:28: inputSize1 and inputSize2 and outputSize should be integer numbers'),
    ('nn.Bilinear(0,2,3)',
     'nn/Bilinear.lua:30: inputSize1 and inputSize2 and outputSize should be positive numbers'),
    ('nn.Bilinear(2,2,3):forward(torch.rand(2))',
     'nn/Bilinear.lua:5: input should be a table containing two data Tensors'),
    ('nn.Bilinear(2,2,3):reset(-1)',
     'nn/Bilinear.lua:49: standard deviation should be a positive number'),
    ('nn.Kmeans(2,2):initRandom(torch.rand(3))',
     'nn/Kmeans.lua:35: Incorrect input dimensionality. Expecting 2D.'),
    ('nn.Kmeans(2,2):forward(torch.rand(3))',
     'nn/Kmeans.lua:106: Incorrect input dimensionality. Expecting 2D.'),
    ('nn.BatchNormalization()',
     'nn/BatchNormalization.lua:40: Missing argument #1: dimensionality of input. '),
    ('nn.BatchNormalization(3):forward(torch.rand(2,4))',
     'nn/BatchNormalization.lua:83: got 4-feature tensor, expected 3'),
    ('nn.BatchNormalization(3):backward(torch.rand(2,3), torch.rand(2,3))',
     'nn/BatchNormalization.lua:143: must call :updateOutput() first'),
    ('nn.SpatialBatchNormalization(3):forward(torch.rand(2,3))',
     'nn/BatchNormalization.lua:78: only mini-batch supported (4D tensor), got 2D tensor instead'),
    ('nn.Normalize(-1)',
     'nn/Normalize.lua:6: -1-norm not supported'),
    ('nn.Unsqueeze(5):forward(torch.rand(2))',
     'nn/Unsqueeze.lua:47: Invalid position: 5. input:dim() is 1, input feature map dim (numInputDims) is 1.'),
    ('nn.Replicate(2, 0)',
     'nn/Replicate.lua:8: Can only replicate across positive integer dimensions.'),
    ('nn.ELU(1, 3)',
     'nn/ELU.lua:14: assertion failed!'),
    ('nn.DistanceRatioCriterion():forward({torch.rand(2)}, 1)',
     'nn/DistanceRatioCriterion.lua:48: Invalid number of inputs'),
    ('nn.ClassNLLCriterion(torch.rand(2,2))',
     'nn/ClassNLLCriterion.lua:9: weights input should be 1-D Tensor'),
    ('nn.RReLU(0.5, 0.1)',
     'nn/RReLU.lua:8: assertion failed!'),
    ('nn.FlattenTable():forward(torch.rand(2))',
     'nn/FlattenTable.lua:71: input must be a table'),
    ('nn.FlattenTable():backward(torch.rand(2), {})',
     'nn/FlattenTable.lua:83: input must be a table'),
    ('nn.SpatialCrossMapLRN(3):forward(torch.rand(2))',
     'nn/SpatialCrossMapLRN.lua:13: Input must be 3D or 4D'),
    ('nn.TemporalDynamicKMaxPooling(3):forward(torch.rand(2,2))',
     'nn/TemporalDynamicKMaxPooling.lua:33: Input sequence length (2) too small for desired k value (3)'),
    ('nn.Tanh():forward(3)',
     "nn/Tanh.lua:4: attempt to index local 'input' (a number value)"),
    ('nn.L1Cost():forward(3)',
     "nn/L1Cost.lua:9: attempt to index local 'input' (a number value)"),
    ('nn.LogSoftMax():forward(3)',
     "nn/LogSoftMax.lua:4: attempt to index local 'input' (a number value)"),
    ('nn.Log():forward(3)',
     "nn/Log.lua:8: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)"),
    ('nn.MulConstant(2):forward(3)',
     "nn/MulConstant.lua:20: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)"),
    ('nn.Add(2):forward(3)',
     "nn/Add.lua:28: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)"),
    ('nn.JoinTable(1):forward(3)',
     "nn/JoinTable.lua:24: attempt to get length of local 'input' (a number value)"),
    ('nn.CAddTable():forward(3)',
     "nn/CAddTable.lua:13: attempt to index local 'input' (a number value)"),
    ('nn.MSECriterion():forward(3, 3)',
     "nn/MSECriterion.lua:13: attempt to index local 'input' (a number value)"),
    ('nn.BCECriterion():forward(3, 3)',
     "nn/BCECriterion.lua:24: attempt to index local 'input' (a number value)"),
    ('nn.MultiLabelMarginCriterion():forward(3, 3)',
     'nn/MultiLabelMarginCriterion.lua:10: attempt to index a nil value'),
    ('nn.ClassNLLCriterion():forward(3, 3)',
     'nn/ClassNLLCriterion.lua:28: attempt to index a nil value'),
    ('nn.SpatialMaxPooling(2,2):forward(3)',
     'nn/SpatialMaxPooling.lua:33: attempt to index a nil value'),
    ('nn.MaskedSelect():forward(3)',
     "nn/MaskedSelect.lua:17: bad argument #1 to 'unpack' (table expected, got number)"),
    ('nn.Sum(1):forward(3)',
     "nn/Sum.lua:24: attempt to index local 'input' (a number value)"),
    ('nn.Cosine(2,3):forward(torch.rand(3))',
     'nn/Cosine.lua:33: size mismatch, [3 x 2], [3]'),
    ('nn.Add(2):forward(torch.rand(3))',
     'nn/Add.lua:41: size mismatch, t: [3 x 1], vec1: [3], vec2: [2]'),
    ('nn.CAddTable():forward({torch.rand(2),torch.rand(3)})',
     'nn/CAddTable.lua:16: inconsistent tensor size, expected r_ [2], t [2] and src [3] to have the same number of elements, but got 2, 2 and 3 elements respectively'),
    ('nn.PairwiseDistance(2):forward({torch.rand(2),torch.rand(3)})',
     'nn/PairwiseDistance.lua:16: inconsistent tensor size, expected tensor [2] and src [3] to have the same number of elements, but got 2 and 3 elements respectively'),
    ('nn.WeightedMSECriterion(torch.rand(2)):forward(torch.rand(3), torch.rand(3))',
     'nn/WeightedMSECriterion.lua:16: inconsistent tensor size, expected r_ [3], t [3] and src [2] to have the same number of elements, but got 3, 3 and 2 elements respectively'),
    ('nn.CosineEmbeddingCriterion():forward({torch.rand(2),torch.rand(3)}, torch.Tensor{1})',
     'nn/CosineEmbeddingCriterion.lua:42: inconsistent tensor size, expected r_ [1 x 2], t [1 x 2] and src [1 x 3] to have the same number of elements, but got 2, 2 and 3 elements respectively'),
    ('nn.ClassSimplexCriterion(3):forward(torch.rand(2,2), torch.Tensor{1,2})',
     'nn/ClassSimplexCriterion.lua:84: assertion failed!'),
    ('nn.SpatialFractionalMaxPooling(2,2)',
     'nn/SpatialFractionalMaxPooling.lua:31: attempt to compare nil with number'),
    ('nn.SpatialUpSamplingBilinear(2):forward(torch.rand(2))',
     'nn/SpatialUpSamplingBilinear.lua:71: SpatialUpSamplingBilinear only supports 3D or 4D tensors'),
    ('nn.SpatialMaxUnpooling(3)',
     'nn/SpatialMaxUnpooling.lua:5: Argument must be a nn.SpatialMaxPooling module'),
    ('nn.IndexLinear(3,2):forward(3)',
     'nn/IndexLinear.lua:76: assertion failed!'),
    ('nn.WeightNorm(nn.Tanh())',
     'nn/WeightNorm.lua:13: assertion failed!'),
    ("nn.GPU(nn.Tanh(), 'a')",
     'nn/GPU.lua:16: assertion failed!'),
    ('nn.Bottle(nn.Linear(2,3), 2, 3):forward(torch.rand(2,2,2))',
     'nn/Bottle.lua:27: Wrong number of output dims on module. Expected: 3 but got 2'),
    ('nn.VolumetricMaxUnpooling(3)',
     'nn/VolumetricMaxUnpooling.lua:5: Argument must be a nn.VolumetricMaxPooling module'),
    # backward's lines: the THNN activations and criteria index input, gradOutput, target
    ("nn.Tanh():updateGradInput(nil, torch.zeros(2))",
     "nn/Tanh.lua:12: attempt to index local 'input' (a nil value)"),
    ("nn.ReLU():updateGradInput(nil, torch.zeros(2))",
     "nn/Threshold.lua:32: attempt to index local 'input' (a nil value)"),
    ("nn.ReLU():updateGradInput(torch.zeros(2), 3)",
     "nn/Threshold.lua:34: attempt to index local 'gradOutput' (a number value)"),
    ("nn.HardTanh():updateGradInput(torch.zeros(2), 3)",
     "nn/HardTanh.lua:30: attempt to index local 'gradOutput' (a number value)"),
    ("nn.RReLU():forward('a')", "nn/RReLU.lua:16: attempt to index field 'THNN' (a nil value)"),
    ("nn.ELU():forward('a')", "nn/ELU.lua:20: attempt to index field 'THNN' (a nil value)"),
    ("nn.Tanh():forward('a')", "nn/Tanh.lua:4: attempt to index field 'THNN' (a nil value)"),
    ("nn.SoftMin():updateGradInput('a', torch.zeros(2))",
     "nn/SoftMin.lua:14: attempt to call field 'new' (a nil value)"),
    ("nn.MSECriterion():updateGradInput(torch.zeros(2), 3)",
     "nn/MSECriterion.lua:27: attempt to index local 'target' (a number value)"),
    ("nn.BCECriterion():forward('a', torch.zeros(2))",
     "nn/BCECriterion.lua:24: attempt to call method 'nElement' (a nil value)"),
    ("nn.DistKLDivCriterion():forward('a', torch.zeros(2))",
     "nn/DistKLDivCriterion.lua:9: attempt to call method 'dim' (a nil value)"),
    ("nn.HingeEmbeddingCriterion():updateGradInput(torch.zeros(2), 3)",
     "nn/HingeEmbeddingCriterion.lua:34: attempt to index field 'ty' (a nil value)"),
    ("nn.GradientReversal():updateGradInput(torch.zeros(2))",
     "nn/GradientReversal.lua:21: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, "
     "got userdata)"),
    ("nn.Unsqueeze(1):updateGradInput(torch.zeros(2))",
     "nn/Unsqueeze.lua:4: This module only works on tensor"),
    ("nn.MixtureTable():forward({})", "nn/MixtureTable.lua:17: attempt to index a nil value"),
    ("nn.GPU(3, 1)", "nn/GPU.lua:20: assertion failed!"),
])
def test_nn_errors_name_their_lua_line(rt, code, want):
    assert lua_error(rt, "return " + code) == P + want


def test_long_file_names_shortened_as_luajit():
    # lj_debug_shortname: a chunk name of 60 characters or more is '...' and its last 56; the
    # reference (installed under /tmp/ref7/share/lua/5.1/, one character shorter) printed
    # '.../ref7/share/lua/5.1/nn/MultiLabelSoftMarginCriterion.lua:26: ' and kept
    # '/tmp/ref7/share/lua/5.1/nn/SpatialFractionalMaxPooling.lua' (58 characters) whole
    assert lua_position("nn/MultiLabelSoftMarginCriterion.lua:26") == \
        "...local/share/lua/5.1/nn/MultiLabelSoftMarginCriterion.lua:26: "
    assert lua_position("nn/SpatialFractionalMaxPooling.lua:31") == \
        P + "nn/SpatialFractionalMaxPooling.lua:31: "  # 59 characters: kept
    assert lua_position("nn/VolumetricReplicationPadding.lua:22") == \
        ".../local/share/lua/5.1/nn/VolumetricReplicationPadding.lua:22: "  # 60: shortened


def test_error_inside_a_container_names_the_inner_line(rt):
    # Container.lua's handler prints the inner error's own position after its note
    msg = lua_error(rt, "return nn.Sequential():add(nn.Tanh()):forward(3)")
    assert msg.startswith(P + "nn/Container.lua:67: \nIn 1 module of nn.Sequential:\n" + P
                          + "nn/Tanh.lua:4: attempt to index local 'input' (a number value)\n")


def test_comparison_operand_order_of_luajit(rt):
    # LuaJIT 2.1.0-beta2: a >= b keeps its operands' order (a > b and a <= b swap them):
    # SpatialFractionalMaxPooling.lua:31's `arg1 >= 1` with arg1 nil
    assert lua_error(rt, "return nn.SpatialFractionalMaxPooling(2, 2)") == \
        P + "nn/SpatialFractionalMaxPooling.lua:31: attempt to compare nil with number"
