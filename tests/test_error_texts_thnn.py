"""THNN's checks of the nn modules users build most, one test per module family: each
expectation is the C format (read from the nn/torch7 checkouts by tools/c_messages.py) filled
with the values Torch7 prints, the check THNN's shapeCheck runs first being the one that fires.
Skips without the checkouts (TORCH7_DIR, NN_DIR)."""
import warnings

import pytest
import test_error_texts_c as base
from test_error_texts_c import _c_format, _find, expected, raised

import torch7py as torch
import torch7py.nn as nn
from torch7py.nn import thnn

R = torch.randn


@pytest.fixture(scope="module")
def messages():
    return base.messages.__wrapped__()


def bw(m, x, go):
    m.forward(x)
    return m.backward(x, go)


def select_in_thnn(msgs):
    """TH's select failing inside a THNN function: its argument #3 through THNN.lua's v."""
    return "bad argument #3 to 'v' (%s)" % _find(msgs, "THTensor.c", "out of range@select#3")["fmt"]


def check(msgs, cases):
    for f, file, piece, args in cases:
        assert raised(f) == expected(msgs, file, piece, args), (file, piece)


def test_spatial_convolutions(messages):
    mm = "SpatialConvolutionMM.c"
    dil = "SpatialDilatedConvolution.c"
    full = "SpatialFullDilatedConvolution.c"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reset() of a zero-sized kernel draws from inf bounds
        k0 = nn.SpatialConvolution(3, 4, 0, 3)
    w3 = nn.SpatialConvolution(3, 4, 3, 3)
    w3.weight = R(4, 3, 9)
    b5 = nn.SpatialConvolution(3, 4, 3, 3)
    b5.bias = R(5)
    fadj = nn.SpatialFullConvolution(3, 4, 3, 3, 2, 2)
    fadj.adjW = 2
    check(messages, [
        # shapeCheck's order: kernel, stride, weight, bias, input dims, output size, planes
        (lambda: k0.forward(R(3, 6, 6)), mm, "kernel size should be greater", (3, 0)),
        (lambda: nn.SpatialConvolution(3, 4, 3, 3, 0, 1).forward(R(3, 6, 6)), mm,
         "stride should be greater", (1, 0)),
        (lambda: w3.forward(R(3, 6, 6)), mm, "2D or 4D weight tensor", ("[4 x 3 x 9]",)),
        (lambda: b5.forward(R(3, 6, 6)), mm, "Need bias of dimension", (1, 0, 4, "[5]")),
        (lambda: nn.SpatialConvolution(3, 4, 3, 3).forward(R(2, 2, 2)), mm,
         "Output size is too small", (3, 2, 2, 4, 0, 0)),
        # C's long division truncates: (1 - 4) / 2 + 1 is 0, not -1
        (lambda: nn.SpatialConvolution(3, 4, 4, 4, 2, 2).forward(R(3, 1, 1)), mm,
         "Output size is too small", (3, 1, 1, 4, 0, 0)),
        (lambda: nn.SpatialConvolutionMM(3, 4, 3, 3).forward(R(2, 5, 5, 5)), mm,
         "Need input of dimension", (4, 1, 3, "[2 x 5 x 5 x 5]")),
        (lambda: bw(nn.SpatialConvolution(3, 4, 3, 3), R(2, 3, 5, 5), R(2, 5, 3, 3)), mm,
         "Need gradOutput of dimension", (4, 1, 4, "[2 x 5 x 3 x 3]")),
        (lambda: bw(nn.SpatialConvolution(3, 4, 3, 3), R(3, 5, 5), R(4, 3)), mm,
         "Need gradOutput of dimension", (3, 0, 4, "[4 x 3]")),
        (lambda: nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 0, 0, 0, 1).forward(R(3, 9, 9)),
         dil, "dilation should be greater", (1, 0)),
        (lambda: nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 0, 0, 2, 2).forward(R(3, 4, 4)),
         dil, "Output size is too small", (3, 4, 4, 4, 0, 0)),
        (lambda: bw(nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 0, 0, 2, 2), R(3, 9, 9),
                    R(4, 5, 4)), dil, "Need gradOutput of dimension", (3, 2, 5, "[4 x 5 x 4]")),
        (lambda: fadj.forward(R(3, 5, 5)), full, "output padding must be smaller",
         (0, 2, 2, 2, 1, 1)),
        (lambda: nn.SpatialFullConvolution(3, 4, 3, 3).forward(R(2, 5, 5)), full,
         "Need input of dimension", (3, 0, 3, "[2 x 5 x 5]")),
        (lambda: bw(nn.SpatialFullConvolution(3, 4, 3, 3), R(3, 5, 5), R(4, 7, 6)), full,
         "Need gradOutput of dimension", (3, 2, 7, "[4 x 7 x 6]")),
    ])
    # the batch size is not checked: THNN's per-sample loop selects gradOutput[t]
    for m in (nn.SpatialConvolution(3, 4, 3, 3), nn.SpatialFullConvolution(3, 4, 3, 3),
              nn.SpatialDilatedConvolution(3, 4, 3, 3)):
        x = R(2, 3, 5, 5)
        y = m.forward(x)
        go = R(1, *y._size[1:])
        assert raised(m.backward, x, go) == select_in_thnn(messages)
        big = R(3, *y._size[1:])
        gi = m.updateGradInput(x, big).clone()
        assert gi.equal(m.updateGradInput(x, big.narrow(1, 1, 2).clone()))


def test_volumetric_convolutions(messages):
    mm = "VolumetricConvolutionMM.c"
    dil = "VolumetricDilatedConvolution.c"
    wd = nn.VolumetricDilatedConvolution(3, 4, 2, 2, 2)
    wd.weight = R(4, 3, 8)
    check(messages, [
        (lambda: nn.VolumetricConvolution(3, 4, 2, 2, 2).forward(R(3, 5, 5)), mm,
         "4D or 5D (batch mode) tensor expected", ("[3 x 5 x 5]",)),
        (lambda: nn.VolumetricConvolution(3, 4, 2, 2, 2, 1, 0, 1).forward(R(3, 5, 5, 5)), mm,
         "stride should be greater", (1, 1, 0)),
        (lambda: nn.VolumetricConvolution(3, 4, 2, 2, 2).forward(R(3, 1, 5, 5)), mm,
         "Output size is too small", (3, 1, 5, 5, 4, 0, 4, 4)),
        # nInputPlane comes from the input: the frame GEMM of the weight (4 x 3*2*2*2) and the
        # unfolded input (2*2*2*2 x 4*4*4) reports the mismatch
        (lambda: nn.VolumetricConvolution(3, 4, 2, 2, 2).forward(R(2, 5, 5, 5)),
         "THTensorMath.c", "size mismatch, m1: %s, m2: %s", ("[4 x 24]", "[16 x 64]")),
        (lambda: bw(nn.VolumetricConvolution(3, 4, 2, 2, 2), R(3, 5, 5, 5), R(4, 4, 4, 3)), mm,
         "Need gradOutput of dimension", (4, 3, 4, "[4 x 4 x 4 x 3]")),
        (lambda: wd.forward(R(3, 5, 5, 5)), dil, "5D (nOutputPlane x nInputPlane",
         ("[4 x 3 x 8]",)),
        (lambda: nn.VolumetricDilatedConvolution(3, 4, 2, 2, 2).forward(R(2, 5, 5, 5)), dil,
         "Need input of dimension", (4, 0, 3, "[2 x 5 x 5 x 5]")),
        (lambda: nn.VolumetricDilatedConvolution(3, 4, 2, 2, 2, 1, 1, 1, 0, 0, 0, 1, 0, 1)
         .forward(R(3, 5, 5, 5)), dil, "dilation should be greater", (1, 1, 0)),
    ])


def test_temporal_modules(messages):
    tc = "TemporalConvolution.c"
    tmp = "TemporalMaxPooling.c"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k0 = nn.TemporalConvolution(3, 4, 0)
    mp = nn.TemporalMaxPooling(2)
    mp.forward(R(6, 3))
    mp.indices = torch.LongTensor(2, 3)
    check(messages, [
        (lambda: k0.forward(R(6, 3)), tc, "kernel size should be greater", (0,)),
        (lambda: nn.TemporalConvolution(3, 4, 2, 0).forward(R(6, 3)), tc,
         "stride should be greater", (0,)),
        (lambda: nn.TemporalConvolution(3, 4, 2).forward(R(6)), tc,
         "2D or 3D (batch mode) tensor expected", ("[6]",)),
        (lambda: nn.TemporalMaxPooling(0).forward(R(6, 3)), tmp,
         "kernel size should be greater", (0,)),
        (lambda: nn.TemporalMaxPooling(2, 0).forward(R(6, 3)), tmp,
         "stride should be greater", (0,)),
        (lambda: mp.backward(R(6, 3), R(3, 3)), tmp, "Need indices of dimension",
         (2, 0, 3, "[2 x 3]")),
    ])
    # a gradOutput of the wrong frame size: THNN's first window GEMM fails in TH's addmm (its
    # windows step (kW-1)/dW+1 = 2 output frames: (5 - 2) / 2 + 1 = 2 rows of 5, times the
    # weight 4 x 2*3)
    m = nn.TemporalConvolution(3, 4, 2)
    x = R(5, 3)
    m.forward(x)
    assert raised(m.backward, x, R(4, 5)) == expected(
        messages, "THTensorMath.c", "size mismatch, m1: %s, m2: %s", ("[2 x 5]", "[4 x 6]"))


def test_spatial_poolings(messages):
    sm = "SpatialDilatedMaxPooling.c"
    m = nn.SpatialMaxPooling(2, 2)
    check(messages, [
        # backward before forward: THNN checks the empty indices after gradOutput
        (lambda: m.backward(R(3, 6, 6), R(3, 3, 3)), sm, "Need indices of dimension",
         (3, 0, 3, "[]")),
        (lambda: nn.SpatialDilatedMaxPooling(2, 2, 2, 2, 0, 0, 0, 1).forward(R(3, 6, 6)), sm,
         "dilation should be greater than zero", (1, 0)),
        (lambda: bw(nn.SpatialAveragePooling(2, 2, 2, 2), R(3, 6, 6), R(3, 3, 2)),
         "SpatialAveragePooling.c", "Need gradOutput of dimension", (3, 2, 3, "[3 x 3 x 2]")),
    ])


def test_lua_defaults_keep_zero():
    # Lua's `dW or 1` keeps a given 0 (0 is true in Lua): THNN then rejects the stride
    assert nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 0, 0, 0, 0).dilationW == 0
    assert nn.VolumetricMaxPooling(2, 2, 2, 0, 1, 1).dT == 0
    assert nn.TemporalMaxPooling(2).dW == 2 and nn.TemporalConvolution(3, 4, 2, 0).dW == 0


def test_batch_normalization_lookup_table_up_sampling(messages):
    bn = nn.BatchNormalization(3)
    bn.forward(R(4, 3))
    sbn = nn.SpatialBatchNormalization(3)
    sbn.forward(R(2, 3, 4, 4))
    up = nn.SpatialUpSamplingBilinear(2)
    up.forward(R(3, 4, 5))
    check(messages, [
        (lambda: bn.backward(R(4, 3), R(5, 3)), "BatchNormalization.c",
         "input and gradOutput shapes do not match", ("[4 x 3]", "[5 x 3]")),
        (lambda: sbn.backward(R(2, 3, 4, 4), R(2, 3, 4, 5)), "BatchNormalization.c",
         "input and gradOutput shapes do not match", ("[2 x 3 x 4 x 4]", "[2 x 3 x 4 x 5]")),
        # renorm (maxNorm set) checks the indices in THNN before the forward's index()
        (lambda: nn.LookupTable(5, 3, 0, 1.0).forward(torch.LongTensor([1, 0, 9])),
         "LookupTable.c", "input need to be in the range", (1, 6, 0)),
        (lambda: nn.LookupTable(5, 3).forward(torch.LongTensor([1, 7])), "THTensorMath.c",
         "index out of range", ()),
        (lambda: nn.SpatialUpSamplingNearest(1).forward(R(3, 4, 4)),
         "SpatialUpSamplingNearest.c", "scale_factor must be greater than 1", (1,)),
        (lambda: bw(nn.SpatialUpSamplingNearest(2), R(3, 4, 4), R(3, 8, 7)),
         "SpatialUpSamplingNearest.c", "Need gradOutput of dimension", (3, 2, 8, "[3 x 8 x 7]")),
        # a 3-d input goes to THNN as a batch of one: the 4-d view's shape is printed
        (lambda: up.backward(R(3, 4, 5), R(3, 8, 9)), "SpatialUpSamplingBilinear.c",
         "Need gradOutput of dimension", (4, 3, 10, "[1 x 3 x 8 x 9]")),
        (lambda: nn.SpatialUpSamplingBilinear({'oheight': 0, 'owidth': 3}).forward(R(3, 4, 5)),
         "SpatialUpSamplingBilinear.c", "input and output sizes should be greater than 0",
         (4, 5, 0, 3)),
        (lambda: bw(nn.UpSampling(2, 'nearest'), R(1, 2, 3, 3, 3), R(1, 2, 6, 6, 5)),
         "VolumetricUpSamplingNearest.c", "Need gradOutput of dimension",
         (5, 4, 6, "[1 x 2 x 6 x 6 x 5]")),
        (lambda: nn.UpSampling({'odepth': 0, 'oheight': 3, 'owidth': 3}, 'linear')
         .forward(R(1, 2, 3, 3, 3)), "VolumetricUpSamplingTrilinear.c",
         "input and output sizes should be greater than 0", (3, 3, 3, 0, 3, 3)),
    ])


def test_volumetric_poolings(messages):
    vm = "VolumetricDilatedMaxPooling.c"
    va = "VolumetricAveragePooling.c"
    mp = nn.VolumetricMaxPooling(2, 2, 2)
    mp.forward(R(2, 4, 4, 4))
    check(messages, [
        (lambda: nn.VolumetricMaxPooling(2, 2, 2, 1, 0, 1).forward(R(2, 4, 4, 4)), vm,
         "stride should be greater", (1, 1, 0)),
        (lambda: nn.VolumetricMaxPooling(2, 2, 2, 2, 2, 2, 2, 0, 0).forward(R(2, 4, 4, 4)), vm,
         "pad should be smaller than half", (2, 2, 2, 2, 0, 0)),
        (lambda: nn.VolumetricMaxPooling(3, 3, 3).forward(R(2, 2, 4, 4)), vm,
         "Output size is too small", (2, 2, 4, 4, 2, 0, 1, 1)),
        (lambda: mp.backward(R(2, 4, 4, 4), R(2, 2, 2, 3)), vm, "Need gradOutput of dimension",
         (4, 3, 2, "[2 x 2 x 2 x 3]")),
        (lambda: nn.VolumetricAveragePooling(3, 3, 3).forward(R(2, 2, 4, 4)), va,
         "smaller than kernel size", (2, 4, 4, 3, 3, 3)),
        (lambda: nn.VolumetricAveragePooling(2, 2, 2, 1, 1, 1, 0, 2, 0).forward(R(2, 4, 4, 4)),
         va, "pad should not be greater than half", (0, 2, 0, 2, 2, 2)),
        (lambda: bw(nn.VolumetricAveragePooling(2, 2, 2), R(2, 4, 4, 4), R(3, 2, 2, 2)), va,
         "Need gradOutput of dimension", (4, 0, 2, "[3 x 2 x 2 x 2]")),
    ])


def test_paddings(messages):
    sr = "SpatialReflectionPadding.c"
    vr = "VolumetricReplicationPadding.c"
    m = nn.SpatialReflectionPadding(1, 1, 1, 1)
    m.forward(R(2, 3, 3))
    v = nn.VolumetricReplicationPadding(1)
    v.forward(R(2, 3, 3, 3))
    check(messages, [
        # (the module's Lua checks the dimension first: THNN's own text through a direct call)
        (lambda: thnn.call("SpatialReflectionPadding_updateOutput", "torch.DoubleTensor",
                           R(3, 3), R(1), 1, 1, 1, 1), sr,
         "3D or 4D (batch mode) tensor expected", ("[3 x 3]",)),
        (lambda: nn.SpatialReplicationPadding(-2, -2, -2, -2).forward(R(2, 3, 3)),
         "SpatialReplicationPadding.c", "is too small", (3, 3, -1, -1)),
        # (the modules' Lua asserts the sizes before the THNN call: THNN's gradOutput texts
        # through direct calls)
        (lambda: thnn.call("SpatialReflectionPadding_updateGradInput", "torch.DoubleTensor",
                           R(2, 3, 3), R(2, 5, 4), R(1), 1, 1, 1, 1), sr,
         "gradOutput width unexpected", (5, 4)),
        (lambda: thnn.call("SpatialReflectionPadding_updateGradInput", "torch.DoubleTensor",
                           R(2, 3, 3), R(2, 4, 5), R(1), 1, 1, 1, 1), sr,
         "gradOutput height unexpected", (5, 4)),
        (lambda: thnn.call("VolumetricReplicationPadding_updateGradInput",
                           "torch.DoubleTensor", R(2, 3, 3, 3), R(3, 5, 5, 5), R(1),
                           1, 1, 1, 1, 1, 1), vr,
         "gradOutput width unexpected@VolumetricReplicationPadding_shapeCheck", (2, 3)),
        (lambda: thnn.call("VolumetricReplicationPadding_updateGradInput",
                           "torch.DoubleTensor", R(2, 3, 3, 3), R(2, 4, 5, 5), R(1),
                           1, 1, 1, 1, 1, 1), vr, "gradOutput depth unexpected", (5, 4)),
    ])
    # through the modules: their Lua's assert (SpatialReflectionPadding.lua,
    # VolumetricReplicationPadding.lua) comes first
    for f in (lambda: m.backward(R(2, 3, 3), R(2, 5, 4)),
              lambda: v.backward(R(2, 3, 3, 3), R(2, 4, 5, 5))):
        assert raised(f) == "input and gradOutput must be compatible in size"
    # THTensor_(size)(gradOutput, dimw) of a gradOutput with fewer dimensions (a direct THNN
    # call: the module's Lua checks the dimensions first)
    assert raised(thnn.call, "SpatialReflectionPadding_updateGradInput", "torch.DoubleTensor",
                  R(2, 3, 3), R(5, 5), R(1), 1, 1, 1, 1) == \
        "bad argument #2 to 'v' (%s)" % _c_format(
        _find(messages, "THTensor.c", "dimension %d out of range of %dD tensor")["fmt"], (3, 2))


def test_local_depthwise_full3d_row_fractional(messages):
    dw = "SpatialDepthWiseConvolution.c"
    d = nn.SpatialDepthWiseConvolution(3, 2, 3, 3)
    d.forward(R(3, 6, 6))
    row = nn.TemporalRowConvolution(4, 3)
    row.forward(R(6, 4))
    fr = nn.SpatialFractionalMaxPooling(2, 2, 3, 3)
    fr.forward(R(2, 8, 8))
    vf = nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 3, 3)
    vf.forward(R(2, 8, 8, 8))
    check(messages, [
        (lambda: nn.SpatialDepthWiseConvolution(3, 2, 3, 3).forward(R(3, 2, 2)), dw,
         "Output size is too small", (3, 2, 2, 6, 0, 0)),
        # THNN checks gradOutput as its nIn x multiplier x H x W view
        (lambda: d.backward(R(3, 6, 6), R(6, 4, 3)), dw, "Need gradOutput of dimension",
         (4, 3, 4, "[3 x 2 x 4 x 3]")),
        (lambda: nn.VolumetricFullConvolution(3, 4, 2, 2, 2).forward(R(2, 3, 3, 3)),
         "VolumetricFullDilatedConvolution.c", "Need input of dimension",
         (4, 0, 3, "[2 x 3 x 3 x 3]")),
        # the input reaches the shapeCheck transposed to features x time
        (lambda: nn.TemporalRowConvolution(4, 3).forward(R(6, 5)), "TemporalRowConvolution.c",
         "Need input of dimension", (2, 0, 4, "[5 x 6]")),
        (lambda: nn.TemporalRowConvolution(4, 3).forward(R(2, 4)), "TemporalRowConvolution.c",
         "Output size is too small", (4, 2, 4, 0)),
        (lambda: row.backward(R(6, 4), R(3, 4)), "TemporalRowConvolution.c",
         "Need gradOutput of dimension", (2, 1, 4, "[4 x 3]")),
        (lambda: nn.SpatialFractionalMaxPooling(2, 2, 3, 3).forward(R(2, 3, 8)),
         "SpatialFractionalMaxPooling.c", "too large relative to input height", (2, 3)),
        (lambda: fr.backward(R(2, 8, 8), R(2, 3, 2)), "SpatialFractionalMaxPooling.c",
         "gradOutput width unexpected", ()),
        (lambda: vf.backward(R(2, 8, 8, 8), R(2, 3, 2, 3)), "VolumetricFractionalMaxPooling.c",
         "gradOutput width unexpected", ()),
    ])
    # SpatialConvolutionLocal.lua's own checks
    loc = nn.SpatialConvolutionLocal(3, 4, 6, 6, 3, 3)
    assert raised(loc.forward, R(3, 5, 6)) == ("Given input size: (3x5x6) inconsistent with "
                                               "expected input size: (3x6x6).")
    loc.forward(R(3, 6, 6))
    assert raised(loc.backward, R(3, 6, 6), R(1, 4, 4, 4)) == \
        "inconsistent dimension between output and input."


def test_subsampling_maps_glu_unpooling_lookup(messages):
    lt = nn.LookupTable(5, 3)
    lt.forward(torch.LongTensor([1, 2]))
    pool = nn.SpatialMaxPooling(2, 2, 2, 2)
    unpool = nn.SpatialMaxUnpooling(pool)
    pool.forward(R(2, 4, 4))
    unpool.forward(pool.output)
    vpool = nn.VolumetricMaxPooling(2, 2, 2)
    vunpool = nn.VolumetricMaxUnpooling(vpool)
    vpool.forward(R(2, 4, 4, 4))
    vunpool.forward(vpool.output)
    check(messages, [
        (lambda: nn.TemporalSubSampling(3, 2).forward(R(2, 6, 3)), "TemporalSubSampling.c",
         "2D or 3D (batch mode) tensor expected", ("[2 x 6 x 3]",)),
        (lambda: nn.TemporalSubSampling(3, 2).forward(R(6, 4)), "TemporalSubSampling.c",
         "invalid input frame size.  Got: %d, Expected: %d", (4, 3)),
        (lambda: nn.TemporalSubSampling(3, 4).forward(R(2, 3)), "TemporalSubSampling.c",
         "input sequence smaller than kernel size.  Got %d", (2, 4)),
        (lambda: nn.SpatialSubSampling(3, 2, 2).forward(R(2, 5, 5)), "SpatialSubSampling.c",
         "invalid number of input planes", ()),
        (lambda: nn.SpatialSubSampling(3, 4, 4).forward(R(3, 3, 5)), "SpatialSubSampling.c",
         "input image smaller than kernel size", ()),
        (lambda: nn.SpatialConvolutionMap(nn.tables.full(3, 2), 3, 3).forward(R(3, 2, 5)),
         "SpatialConvolutionMap.c", "input image smaller than kernel size", ()),
        (lambda: nn.SpatialFullConvolutionMap(nn.tables.full(3, 2), 3, 3).forward(
            R(2, 3, 5, 5)), "SpatialFullConvolutionMap.c", "3D tensor expected", ()),
        (lambda: nn.GatedLinearUnit().forward(R(2, 5)), "GatedLinearUnit.c",
         "Halving dimension must be even@updateOutput", (2, 5)),
        (lambda: lt.accGradParameters(torch.LongTensor([1, 9]), R(2, 3)), "LookupTable.c",
         "inputs need to be in the range", (1, 6, 9)),
        (lambda: unpool.forward(R(2, 3, 2)), "SpatialMaxUnpooling.c",
         "input and indices shapes do not match@updateOutput", ("[2 x 3 x 2]", "[2 x 2 x 2]")),
        (lambda: unpool.backward(pool.output, R(2, 4, 3)), "SpatialMaxUnpooling.c",
         "Inconsistent gradOutput size", (4, 4, 4, 3)),
        (lambda: vunpool.backward(vpool.output, R(2, 4, 4, 3)), "VolumetricMaxUnpooling.c",
         "Inconsistent gradOutput size", (4, 4, 4, 4, 4, 3)),
    ])


def test_feature_lp_pooling_index_zero_padding(messages):
    fl = "FeatureLPPooling.c"
    f = nn.FeatureLPPooling(2, 1, 2, False)
    f.forward(R(4, 3))
    check(messages, [
        (lambda: nn.FeatureLPPooling(2, 1, 2, False).forward(R(2, 2, 2, 2)), fl,
         "input must be 1-3 dimensions for non-batch mode@updateOutput", ()),
        (lambda: nn.FeatureLPPooling(2, 1, 2, True).forward(R(4)), fl,
         "input must be 2-4 dimensions for batch mode@updateOutput", ()),
        (lambda: nn.FeatureLPPooling(3, 1, 2, False).forward(R(2, 3)), fl,
         "input: feature dimension must be >= width@updateOutput", ()),
    ])
    # THAssertMsg: the condition as the C source writes it, then the message
    sizes = _find(messages, fl, "output and gradOutput sizes do not match", "THAssertMsg")
    assert raised(f.backward, R(4, 3), R(3, 2)) == \
        "Assertion `outputDesc.size[i] == gradOutputDesc.size[i]' failed. " + sizes["fmt"]
    # nn.Index's x:index(t, dim, idx) from Lua: TH's check #3 named as a method call (#2)
    vec = _find(messages, "THTensorMath.c", "Index is supposed to be a vector")
    assert raised(nn.Index(1).forward, [R(3, 4), torch.LongTensor([[1]])]) == \
        "bad argument #%d to 'index' (%s)" % (int(vec["arg"]) - 1, vec["fmt"])
    # SpatialZeroPadding.lua copies the narrowed gradOutput: TH's copy check
    z = nn.SpatialZeroPadding(1, 1, 1, 1)
    z.forward(R(2, 3, 3))
    assert raised(z.backward, R(2, 3, 3), R(2, 5, 4)) == expected(
        messages, "THTensorApply.h",
        "to have the same number of elements, but got %d and %d",
        ("tensor", "[2 x 3 x 3]", "src", "[2 x 3 x 2]", 18, 12))
