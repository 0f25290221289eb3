"""nn's THNN function tables (nn/THNN.lua): THNN.h's functions called with THNN's arguments.

nn 8726825's Lua modules call C through `input.THNN.Linear_updateOutput(input:cdata(), ...)`;
legacy code copies those calls into its own modules. Here each function of
lib/THNN/generic/THNN.h (its argument list below, without the state) runs on torch7py's own
module kernels: a module object is made without its constructor, its fields are THNN's
arguments (renamed where the Lua module's field has another name), its output/gradInput ARE the
tensors given, and its updateOutput/updateGradInput/accGradParameters does the work. Buffers
the C code fills (finput, indices, save_mean, total_weight, ...) are the tensors given too.
The Lua side (compat/thnn.lua) turns `t:cdata()` pointers back into tensors and checks what
LuaJIT's FFI checks (argument count and C types); `call` gets tensors, numbers and booleans.
"""
from .. import storage as _storage
from .. import tensor as _tensor
from ..storage import TorchError
from ._thnn_check import check_dim_size
from . import _thnn_lua
from ._thnn_direct import DIRECT

# THNN.h's functions in its order; codes: T THTensor (the kernel's type), I THIndexTensor
# (Long), N THIntegerTensor (Int), G THGenerator, r accreal/double, i int, l long, b bool.
# A line that starts with spaces continues the previous one.
_SPECS = """
Abs_updateOutput input:T output:T
Abs_updateGradInput input:T gradOutput:T gradInput:T
AbsCriterion_updateOutput input:T target:T output:T sizeAverage:b
AbsCriterion_updateGradInput input:T target:T gradInput:T sizeAverage:b
BCECriterion_updateOutput input:T target:T output:T sizeAverage:b weights:T
BCECriterion_updateGradInput input:T target:T gradInput:T sizeAverage:b weights:T
ClassNLLCriterion_updateOutput input:T target:I output:T sizeAverage:b weights:T
    total_weight:T ignore_index:l
ClassNLLCriterion_updateGradInput input:T target:I gradInput:T sizeAverage:b weights:T
    total_weight:T ignore_index:l
SpatialClassNLLCriterion_updateOutput input:T target:I output:T sizeAverage:b weights:T
    total_weight:T
SpatialClassNLLCriterion_updateGradInput input:T target:I gradInput:T sizeAverage:b
    weights:T total_weight:T
ELU_updateOutput input:T output:T alpha:r inplace:b
ELU_updateGradInput input:T gradOutput:T gradInput:T output:T alpha:r inplace:b
DistKLDivCriterion_updateOutput input:T target:T output:T sizeAverage:b
DistKLDivCriterion_updateGradInput input:T target:T gradInput:T sizeAverage:b
GatedLinear_updateOutput input:T output:T dim:i
GatedLinear_updateGradInput input:T gradOutput:T gradInput:T dim:i
HardShrink_updateOutput input:T output:T lambda:r
HardShrink_updateGradInput input:T gradOutput:T gradInput:T lambda:r
HardTanh_updateOutput input:T output:T min_val:r max_val:r inplace:b
HardTanh_updateGradInput input:T gradOutput:T gradInput:T min_val:r max_val:r inplace:b
L1Cost_updateOutput input:T output:T
L1Cost_updateGradInput input:T gradOutput:T gradInput:T
LeakyReLU_updateOutput input:T output:T negval:r inplace:b
LeakyReLU_updateGradInput input:T gradOutput:T gradInput:T negval:r inplace:b
GRUFused_updateOutput input:T hidden:T bias1:T bias2:T hx:T output:T storage:T
GRUFused_updateGradInput gradInInput:T gradInHidden:T gradOutput:T gradInputHx:T storage:T
LSTMFused_updateOutput input:T hidden:T bias1:T bias2:T cell:T output:T outputCell:T
LSTMFused_updateGradInput storage:T gradInGates:T cx:T cy:T gradOutput:T gradOutputCell:T
    gradInputCx:T
LogSigmoid_updateOutput input:T output:T buffer:T
LogSigmoid_updateGradInput input:T gradOutput:T gradInput:T buffer:T
LogSoftMax_updateOutput input:T output:T
LogSoftMax_updateGradInput input:T gradOutput:T gradInput:T output:T
LookupTable_accGradParameters input:I gradOutput:T gradWeight:T count:N sorted:T indices:I
    scaleGradByFreq:b paddingValue:i scale:r
LookupTable_renorm idx:I weight:T maxNorm:r normType:r
MarginCriterion_updateOutput input:T target:T output:T sizeAverage:b margin:r
MarginCriterion_updateGradInput input:T target:T gradInput:T sizeAverage:b margin:r
SoftMarginCriterion_updateOutput input:T target:T output:T sizeAverage:b
SoftMarginCriterion_updateGradInput input:T target:T gradInput:T sizeAverage:b
MSECriterion_updateOutput input:T target:T output:T sizeAverage:b
MSECriterion_updateGradInput input:T target:T gradInput:T sizeAverage:b
MultiLabelMarginCriterion_updateOutput input:T target:I output:T isTarget:T sizeAverage:b
MultiLabelMarginCriterion_updateGradInput input:T target:I gradInput:T isTarget:T
    sizeAverage:b
MultiMarginCriterion_updateOutput input:T target:I output:T sizeAverage:b p:i weights:T
    margin:r
MultiMarginCriterion_updateGradInput input:T target:I gradInput:T sizeAverage:b p:i
    weights:T margin:r
PReLU_updateOutput input:T output:T weight:T nOutputPlane:l
PReLU_updateGradInput input:T gradOutput:T gradInput:T weight:T nOutputPlane:l
PReLU_accGradParameters input:T gradOutput:T gradInput:T weight:T gradWeight:T
    gradWeightBuf:T gradWeightBuf2:T nOutputPlane:l scale:r
Linear_updateOutput input:T output:T weight:T bias:T addBuffer:T
Linear_updateGradInput input:T gradOutput:T gradInput:T weight:T
Linear_accGradParameters input:T gradOutput:T gradInput:T weight:T bias:T gradWeight:T
    gradBias:T addBuffer:T scale:r
RReLU_updateOutput input:T output:T noise:T lower:r upper:r train:b inplace:b generator:G
RReLU_updateGradInput input:T gradOutput:T gradInput:T noise:T lower:r upper:r train:b
    inplace:b
Sigmoid_updateOutput input:T output:T
Sigmoid_updateGradInput input:T gradOutput:T gradInput:T output:T
SmoothL1Criterion_updateOutput input:T target:T output:T sizeAverage:b
SmoothL1Criterion_updateGradInput input:T target:T gradInput:T sizeAverage:b
SoftMax_updateOutput input:T output:T
SoftMax_updateGradInput input:T gradOutput:T gradInput:T output:T
SoftPlus_updateOutput input:T output:T beta:r threshold:r
SoftPlus_updateGradInput input:T gradOutput:T gradInput:T output:T beta:r threshold:r
SoftShrink_updateOutput input:T output:T lambda:r
SoftShrink_updateGradInput input:T gradOutput:T gradInput:T lambda:r
IndexLinear_updateOutput keys:I keysOffset:l values:T sizes:I cumSumSizes:I output:T
    weight:T bias:T normalizedValues:T train:i
IndexLinear_accGradParameters keys:I keysOffset:l values:T sizes:I cumSumSizes:I
    gradOutput:T gradWeight:T gradBias:T weight:T bias:T valuesBuffer:T weightDecay:r
    scale:r
IndexLinear_accUpdateGradParameters keys:I keysOffset:l values:T sizes:I cumSumSizes:I
    gradOutput:T weight:T bias:T weightDecay:r scale:r
IndexLinear_updateParameters gradWeight:T gradBias:T weight:T bias:T runningKeys:I
    cumSumSizes:I keysOffset:l weightDecay:r learningRate:r
SparseLinear_updateOutput input:T output:T weight:T bias:T
SparseLinear_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T weight:T bias:T
    weightDecay:r scale:r
SparseLinear_zeroGradParameters gradWeight:T gradBias:T lastInput:T
SparseLinear_updateParameters weight:T bias:T gradWeight:T gradBias:T lastInput:T
    learningRate:r
SparseLinear_legacyUpdateOutput input:T output:T weight:T bias:T
SparseLinear_legacyAccGradParameters input:T gradOutput:T gradWeight:T gradBias:T weight:T
    bias:T weightDecay:r scale:r
SparseLinear_legacyZeroGradParameters gradWeight:T gradBias:T lastInput:T
SparseLinear_legacyUpdateParameters weight:T bias:T gradWeight:T gradBias:T lastInput:T
    learningRate:r
Sqrt_updateOutput input:T output:T eps:r
Sqrt_updateGradInput input:T gradOutput:T gradInput:T output:T
Square_updateOutput input:T output:T
Square_updateGradInput input:T gradOutput:T gradInput:T
Tanh_updateOutput input:T output:T
Tanh_updateGradInput input:T gradOutput:T gradInput:T output:T
Threshold_updateOutput input:T output:T threshold:r val:r inplace:b
Threshold_updateGradInput input:T gradOutput:T gradInput:T threshold:r val:r inplace:b
TemporalConvolution_updateOutput input:T output:T weight:T bias:T kW:i dW:i inputFrameSize:i
    outputFrameSize:i
TemporalConvolution_updateGradInput input:T gradOutput:T gradInput:T weight:T kW:i dW:i
TemporalConvolution_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T kW:i dW:i
    scale:r
TemporalMaxPooling_updateOutput input:T output:T indices:I kW:i dW:i
TemporalMaxPooling_updateGradInput input:T gradOutput:T gradInput:T indices:I kW:i dW:i
TemporalSubSampling_updateOutput input:T output:T weight:T bias:T kW:i dW:i inputFrameSize:i
TemporalSubSampling_updateGradInput input:T gradOutput:T gradInput:T weight:T kW:i dW:i
TemporalSubSampling_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T kW:i dW:i
    scale:r
TemporalRowConvolution_updateOutput input:T output:T weight:T bias:T finput:T fgradInput:T
    kW:i dW:i padW:i featFirst:b
TemporalRowConvolution_updateGradInput input:T gradOutput:T gradInput:T weight:T finput:T
    fgradInput:T kW:i dW:i padW:i featFirst:b
TemporalRowConvolution_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    finput:T fgradInput:T kW:i dW:i padW:i featFirst:b scale:r
BatchNormalization_updateOutput input:T output:T weight:T bias:T running_mean:T
    running_var:T save_mean:T save_std:T train:b momentum:r eps:r
BatchNormalization_backward input:T gradOutput:T gradInput:T gradWeight:T gradBias:T
    weight:T running_mean:T running_var:T save_mean:T save_std:T train:b scale:r eps:r
SpatialConvolutionMap_updateOutput input:T output:T weight:T bias:T connTable:T
    nInputPlane:i nOutputPlane:i dW:i dH:i
SpatialConvolutionMap_updateGradInput input:T gradOutput:T gradInput:T weight:T bias:T
    connTable:T nInputPlane:i nOutputPlane:i dW:i dH:i
SpatialConvolutionMap_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    connTable:T nInputPlane:i nOutputPlane:i dW:i dH:i scale:r
SpatialConvolutionMM_updateOutput input:T output:T weight:T bias:T finput:T fgradInput:T
    kW:i kH:i dW:i dH:i padW:i padH:i
SpatialConvolutionMM_updateGradInput input:T gradOutput:T gradInput:T weight:T finput:T
    fgradInput:T kW:i kH:i dW:i dH:i padW:i padH:i
SpatialConvolutionMM_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T finput:T
    fgradInput:T kW:i kH:i dW:i dH:i padW:i padH:i scale:r
SpatialDepthWiseConvolution_updateOutput input:T output:T weight:T bias:T finput:T
    fgradInput:T kW:i kH:i dW:i dH:i padW:i padH:i
SpatialDepthWiseConvolution_updateGradInput input:T gradOutput:T gradInput:T weight:T
    finput:T fgradInput:T kW:i kH:i dW:i dH:i padW:i padH:i
SpatialDepthWiseConvolution_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    finput:T fgradInput:T kW:i kH:i dW:i dH:i padW:i padH:i scale:r
SpatialConvolutionLocal_updateOutput input:T output:T weight:T bias:T finput:T fgradInput:T
    kW:i kH:i dW:i dH:i padW:i padH:i inputWidth:l inputHeight:l outputWidth:l
    outputHeight:l
SpatialConvolutionLocal_updateGradInput input:T gradOutput:T gradInput:T weight:T finput:T
    fgradInput:T kW:i kH:i dW:i dH:i padW:i padH:i inputWidth:l inputHeight:l outputWidth:l
    outputHeight:l
SpatialConvolutionLocal_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    finput:T fgradInput:T kW:i kH:i dW:i dH:i padW:i padH:i inputWidth:l inputHeight:l
    outputWidth:l outputHeight:l scale:r
SpatialAdaptiveMaxPooling_updateOutput input:T output:T indices:I owidth:i oheight:i
SpatialAdaptiveMaxPooling_updateGradInput input:T gradOutput:T gradInput:T indices:I
SpatialAdaptiveAveragePooling_updateOutput input:T output:T owidth:i oheight:i
SpatialAdaptiveAveragePooling_updateGradInput input:T gradOutput:T gradInput:T
SpatialAveragePooling_updateOutput input:T output:T kW:i kH:i dW:i dH:i padW:i padH:i
    ceil_mode:b count_include_pad:b
SpatialAveragePooling_updateGradInput input:T gradOutput:T gradInput:T kW:i kH:i dW:i dH:i
    padW:i padH:i ceil_mode:b count_include_pad:b
SpatialFractionalMaxPooling_updateOutput input:T output:T outputW:i outputH:i poolSizeW:i
    poolSizeH:i indices:I randomSamples:T
SpatialFractionalMaxPooling_updateGradInput input:T gradOutput:T gradInput:T outputW:i
    outputH:i poolSizeW:i poolSizeH:i indices:I
SpatialFullConvolution_updateOutput input:T output:T weight:T bias:T columns:T ones:T kW:i
    kH:i dW:i dH:i padW:i padH:i adjW:i adjH:i
SpatialFullConvolution_updateGradInput input:T gradOutput:T gradInput:T weight:T
    gradColumns:T kW:i kH:i dW:i dH:i padW:i padH:i adjW:i adjH:i
SpatialFullConvolution_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    columns:T ones:T kW:i kH:i dW:i dH:i padW:i padH:i adjW:i adjH:i scale:r
SpatialFullConvolutionMap_updateOutput input:T output:T weight:T bias:T connTable:T
    nInputPlane:i nOutputPlane:i dW:i dH:i
SpatialFullConvolutionMap_updateGradInput input:T gradOutput:T gradInput:T weight:T bias:T
    connTable:T nInputPlane:i nOutputPlane:i dW:i dH:i
SpatialFullConvolutionMap_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    connTable:T nInputPlane:i nOutputPlane:i dW:i dH:i scale:r
SpatialDilatedConvolution_updateOutput input:T output:T weight:T bias:T columns:T ones:T
    kW:i kH:i dW:i dH:i padW:i padH:i dilationW:i dilationH:i
SpatialDilatedConvolution_updateGradInput input:T gradOutput:T gradInput:T weight:T
    gradColumns:T kW:i kH:i dW:i dH:i padW:i padH:i dilationW:i dilationH:i
SpatialDilatedConvolution_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    columns:T ones:T kW:i kH:i dW:i dH:i padW:i padH:i dilationW:i dilationH:i scale:r
SpatialFullDilatedConvolution_updateOutput input:T output:T weight:T bias:T columns:T ones:T
    kW:i kH:i dW:i dH:i padW:i padH:i dilationW:i dilationH:i adjW:i adjH:i
SpatialFullDilatedConvolution_updateGradInput input:T gradOutput:T gradInput:T weight:T
    gradColumns:T kW:i kH:i dW:i dH:i padW:i padH:i dilationW:i dilationH:i adjW:i adjH:i
SpatialFullDilatedConvolution_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    columns:T ones:T kW:i kH:i dW:i dH:i padW:i padH:i dilationW:i dilationH:i adjW:i adjH:i
    scale:r
SpatialMaxPooling_updateOutput input:T output:T indices:I kW:i kH:i dW:i dH:i padW:i padH:i
    ceil_mode:b
SpatialMaxPooling_updateGradInput input:T gradOutput:T gradInput:T indices:I kW:i kH:i dW:i
    dH:i padW:i padH:i ceil_mode:b
SpatialDilatedMaxPooling_updateOutput input:T output:T indices:I kW:i kH:i dW:i dH:i padW:i
    padH:i dilationW:i dilationH:i ceil_mode:b
SpatialDilatedMaxPooling_updateGradInput input:T gradOutput:T gradInput:T indices:I kW:i
    kH:i dW:i dH:i padW:i padH:i dilationW:i dilationH:i ceil_mode:b
SpatialMaxUnpooling_updateOutput input:T output:T indices:I owidth:i oheight:i
SpatialMaxUnpooling_updateGradInput input:T gradOutput:T gradInput:T indices:I owidth:i
    oheight:i
SpatialSubSampling_updateOutput input:T output:T weight:T bias:T kW:i kH:i dW:i dH:i
SpatialSubSampling_updateGradInput input:T gradOutput:T gradInput:T weight:T kW:i kH:i dW:i
    dH:i
SpatialSubSampling_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T kW:i kH:i
    dW:i dH:i scale:r
SpatialUpSamplingNearest_updateOutput input:T output:T scale_factor:i
SpatialUpSamplingNearest_updateGradInput input:T gradOutput:T gradInput:T scale_factor:i
SpatialUpSamplingBilinear_updateOutput input:T output:T outputHeight:i outputWidth:i
SpatialUpSamplingBilinear_updateGradInput gradOutput:T gradInput:T nbatch:i nchannels:i
    inputHeight:i inputWidth:i outputHeight:i outputWidth:i
SpatialGridSamplerBilinear_updateOutput input:T grid:T output:T
SpatialGridSamplerBilinear_updateGradInput input:T gradInput:T grid:T gradGrid:T
    gradOutput:T
unfolded_acc finput:T input:T kW:i kH:i dW:i dH:i padW:i padH:i nInputPlane:i inputWidth:i
    inputHeight:i outputWidth:i outputHeight:i
unfolded_copy finput:T input:T kW:i kH:i dW:i dH:i padW:i padH:i nInputPlane:i inputWidth:i
    inputHeight:i outputWidth:i outputHeight:i
VolumetricAveragePooling_updateOutput input:T output:T kT:i kW:i kH:i dT:i dW:i dH:i padT:i
    padW:i padH:i ceil_mode:b count_include_pad:b
VolumetricAveragePooling_updateGradInput input:T gradOutput:T gradInput:T kT:i kW:i kH:i
    dT:i dW:i dH:i padT:i padW:i padH:i ceil_mode:b count_include_pad:b
VolumetricConvolution_updateOutput input:T output:T weight:T bias:T finput:T fgradInput:T
    dT:i dW:i dH:i pT:i pW:i pH:i
VolumetricConvolution_updateGradInput input:T gradOutput:T gradInput:T weight:T finput:T
    dT:i dW:i dH:i pT:i pW:i pH:i
VolumetricConvolution_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    finput:T fgradInput:T dT:i dW:i dH:i pT:i pW:i pH:i scale:r
VolumetricConvolutionMM_updateOutput input:T output:T weight:T bias:T finput:T kT:i kW:i
    kH:i dT:i dW:i dH:i pT:i pW:i pH:i
VolumetricConvolutionMM_updateGradInput input:T gradOutput:T gradInput:T weight:T finput:T
    fgradInput:T kT:i kW:i kH:i dT:i dW:i dH:i pT:i pW:i pH:i
VolumetricConvolutionMM_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    finput:T kT:i kW:i kH:i dT:i dW:i dH:i pT:i pW:i pH:i scale:r
VolumetricFractionalMaxPooling_updateOutput input:T output:T outputT:i outputW:i outputH:i
    poolSizeT:i poolSizeW:i poolSizeH:i indices:I randomSamples:T
VolumetricFractionalMaxPooling_updateGradInput input:T gradOutput:T gradInput:T outputT:i
    outputW:i outputH:i poolSizeT:i poolSizeW:i poolSizeH:i indices:I
VolumetricFullConvolution_updateOutput input:T output:T weight:T bias:T finput:T
    fgradInput:T dT:i dW:i dH:i pT:i pW:i pH:i aT:i aW:i aH:i
VolumetricFullConvolution_updateGradInput input:T gradOutput:T gradInput:T weight:T finput:T
    fgradInput:T dT:i dW:i dH:i pT:i pW:i pH:i aT:i aW:i aH:i
VolumetricFullConvolution_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    finput:T fgradInput:T dT:i dW:i dH:i pT:i pW:i pH:i aT:i aW:i aH:i scale:r
VolumetricDilatedConvolution_updateOutput input:T output:T weight:T bias:T columns:T ones:T
    kT:i kW:i kH:i dT:i dW:i dH:i padT:i padW:i padH:i dilationT:i dilationW:i dilationH:i
VolumetricDilatedConvolution_updateGradInput input:T gradOutput:T gradInput:T weight:T
    gradColumns:T kT:i kW:i kH:i dT:i dW:i dH:i padT:i padW:i padH:i dilationT:i dilationW:i
    dilationH:i
VolumetricDilatedConvolution_accGradParameters input:T gradOutput:T gradWeight:T gradBias:T
    columns:T ones:T kT:i kW:i kH:i dT:i dW:i dH:i padT:i padW:i padH:i dilationT:i
    dilationW:i dilationH:i scale:r
VolumetricFullDilatedConvolution_updateOutput input:T output:T weight:T bias:T finput:T
    fgradInput:T dT:i dW:i dH:i pT:i pW:i pH:i dilationT:i dilationW:i dilationH:i aT:i aW:i
    aH:i
VolumetricFullDilatedConvolution_updateGradInput input:T gradOutput:T gradInput:T weight:T
    finput:T fgradInput:T dT:i dW:i dH:i pT:i pW:i pH:i dilationT:i dilationW:i dilationH:i
    aT:i aW:i aH:i
VolumetricFullDilatedConvolution_accGradParameters input:T gradOutput:T gradWeight:T
    gradBias:T finput:T fgradInput:T dT:i dW:i dH:i pT:i pW:i pH:i dilationT:i dilationW:i
    dilationH:i aT:i aW:i aH:i scale:r
VolumetricMaxPooling_updateOutput input:T output:T indices:I kT:i kW:i kH:i dT:i dW:i dH:i
    pT:i pW:i pH:i ceilMode:b
VolumetricMaxPooling_updateGradInput input:T gradOutput:T gradInput:T indices:I kT:i kW:i
    kH:i dT:i dW:i dH:i pT:i pW:i pH:i ceilMode:b
VolumetricDilatedMaxPooling_updateOutput input:T output:T indices:I kT:i kW:i kH:i dT:i dW:i
    dH:i pT:i pW:i pH:i dilationT:i dilationW:i dilationH:i ceilMode:b
VolumetricDilatedMaxPooling_updateGradInput input:T gradOutput:T gradInput:T indices:I kT:i
    kW:i kH:i dT:i dW:i dH:i pT:i pW:i pH:i dilationT:i dilationW:i dilationH:i ceilMode:b
VolumetricMaxUnpooling_updateOutput input:T output:T indices:I oT:i oW:i oH:i dT:i dW:i dH:i
    pT:i pW:i pH:i
VolumetricMaxUnpooling_updateGradInput input:T gradOutput:T gradInput:T indices:I oT:i oW:i
    oH:i dT:i dW:i dH:i pT:i pW:i pH:i
SpatialReflectionPadding_updateOutput input:T output:T pad_l:i pad_r:i pad_t:i pad_b:i
SpatialReflectionPadding_updateGradInput input:T gradOutput:T gradInput:T pad_l:i pad_r:i
    pad_t:i pad_b:i
SpatialReplicationPadding_updateOutput input:T output:T pad_l:i pad_r:i pad_t:i pad_b:i
SpatialReplicationPadding_updateGradInput input:T gradOutput:T gradInput:T pad_l:i pad_r:i
    pad_t:i pad_b:i
FeatureLPPooling_updateOutput input:T output:T power:r width:i stride:i batchMode:b
FeatureLPPooling_updateGradInput gradOutput:T input:T output:T gradInput:T power:r width:i
    stride:i batchMode:b
VolumetricReplicationPadding_updateOutput input:T output:T pleft:i pright:i ptop:i pbottom:i
    pfront:i pback:i
VolumetricReplicationPadding_updateGradInput input:T gradOutput:T gradInput:T pleft:i
    pright:i ptop:i pbottom:i pfront:i pback:i
VolumetricUpSamplingNearest_updateOutput input:T output:T scale_factor:i
VolumetricUpSamplingNearest_updateGradInput input:T gradOutput:T gradInput:T scale_factor:i
VolumetricUpSamplingTrilinear_updateOutput input:T output:T outputDepth:i outputHeight:i
    outputWidth:i
VolumetricUpSamplingTrilinear_updateGradInput gradOutput:T gradInput:T nbatch:i nchannels:i
    inputDepth:i inputHeight:i inputWidth:i outputDepth:i outputHeight:i outputWidth:i
"""


def _parse(text):
    sigs, joined = {}, []
    for line in text.strip('\n').split('\n'):
        if line.startswith(' '):
            joined[-1] += line
        else:
            joined.append(line)
    for line in joined:
        name, *args = line.split()
        sigs[name] = tuple(tuple(a.split(':')) for a in args)
    return sigs


SIGNATURES = _parse(_SPECS)
NAMES = list(SIGNATURES)
_ARGNAMES = {k: tuple(n for n, _ in v) for k, v in SIGNATURES.items()}

# the arguments that are the module's pass arguments, not its fields
_ROLES = frozenset(('input', 'gradOutput', 'target', 'scale'))
_REAL = {'torch.DoubleTensor': 'Double', 'torch.FloatTensor': 'Float'}


def _nn():
    from .. import nn
    return nn


class _Family:
    """How a THNN family runs on a torch7py module: its class (a name in nn, or a function of
    the named arguments giving one), THNN's argument names that the module's fields name
    otherwise, and a function that sets the fields THNN derives (sizes from the weight)."""

    def __init__(self, cls, rename=None, fields=None, kind='module', refwd=False):
        self.cls, self.rename, self.fields, self.kind = cls, rename or {}, fields, kind
        # the module's backward reads what its forward kept: run a forward on a scratch output
        self.refwd = refwd

    def make(self, a, tname):
        cls = self.cls
        if isinstance(cls, str):
            cls = self.cls = getattr(_nn(), cls)  # resolved once
        elif not isinstance(cls, type):
            cls = cls(a)
        m = cls.__new__(cls)
        d = m.__dict__
        for k, v in a.items():
            if k not in _ROLES:
                d[self.rename.get(k, k)] = v
        d['_type'] = tname
        for k, g in (('weight', 'gradWeight'), ('bias', 'gradBias')):
            if g in a and k not in a:  # accGradParameters: the module asks its parameters
                d[k] = a[g]
        if 'train' not in d:
            d['train'] = True
        if self.fields is not None:
            self.fields(m, a)
        return m


def _w(m, a):
    """The weight THNN was given, or (accGradParameters) the gradWeight: its sizes."""
    w = a.get('weight')
    if w is None:
        w = a.get('gradWeight')
    d = m.__dict__
    d.setdefault('weight', w)
    d.setdefault('gradWeight', w)
    d.setdefault('finput', _new_like(m._type))
    d.setdefault('fgradInput', _new_like(m._type))
    return w


def _rows(m):
    """A 4-D weight/gradWeight (THNN views it) as the module keeps it: 2-D, nOutputPlane x
    nInputPlane*kH*kW."""
    d = m.__dict__
    for k in ('weight', 'gradWeight'):
        t = d.get(k)
        if t is not None and t.dim() != 2:
            d[k] = t.view(t.size(1), -1)


def _mm_fields(m, a):
    w = _w(m, a)
    m.nOutputPlane = w.size(1)
    m.nInputPlane = (w.size(2) if w.dim() == 4 else w.size(2) // (m.kW * m.kH))
    _rows(m)


def _depthwise_fields(m, a):
    # nn 8726825's SpatialDepthWiseConvolution.c takes its sizes from the weight, which it
    # works on as given (a 2-D one is resized to 4-D in place): no view of it here
    w = _w(m, a)
    m.nOutputPlane = w.size(1)
    m.nInputPlane = w.size(2) if w.dim() == 4 else w.size(2) // (m.kW * m.kH)


def _local_fields(m, a):
    w = _w(m, a)
    d = m.__dict__
    if w.dim() == 3:  # SpatialConvolutionLocal.lua's viewWeight: (oH*oW, nOut, nIn*kH*kW)
        nout, nin = w.size(2), w.size(3) // (m.kW * m.kH)
        for k in ('weight', 'gradWeight'):
            t = d.get(k)
            if t is not None:
                d[k] = t.view(m.oH, m.oW, nout, nin, m.kH, m.kW)
        w = d['weight']
    m.nOutputPlane, m.nInputPlane = w.size(3), w.size(4)


def _planes(o, i, k=None):
    """nOutputPlane/nInputPlane from the weight's sizes o and i (1-based), and the kernel
    sizes kT/kH/kW from k (the weight's dimensions that hold them) where THNN omits them."""
    def f(m, a):
        w = _w(m, a)
        m.nOutputPlane, m.nInputPlane = w.size(o), w.size(i)
        d = m.__dict__
        if k is not None:
            for name, dim in zip(('kT', 'kH', 'kW')[-len(k):], k):
                d.setdefault(name, w.size(dim))
    return f


def _vol_mm_fields(m, a):
    w = _w(m, a)
    m.nOutputPlane = w.size(1)
    m.nInputPlane = w.size(2) if w.dim() == 5 else w.size(2) // (m.kT * m.kH * m.kW)
    d = m.__dict__
    for k in ('weight', 'gradWeight'):  # THNN takes the 2-D view too; the module 5-D
        t = d.get(k)
        if t is not None and t.dim() == 2:
            d[k] = t.view(m.nOutputPlane, m.nInputPlane, m.kT, m.kH, m.kW)


def _map_fields(m, a):
    w = _w(m, a)
    d = m.__dict__
    d.setdefault('kH', w.size(2))
    d.setdefault('kW', w.size(3))


def _temporal_fields(m, a):
    w = _w(m, a)
    d = m.__dict__
    d.setdefault('outputFrameSize', w.size(1))
    d.setdefault('inputFrameSize', w.size(2) // m.kW)


def _frames_fields(m, a):
    w = _w(m, a)
    m.__dict__.setdefault('inputFrameSize', w.size(1))


def _from_grad_output(names):
    """Sizes THNN's updateGradInput leaves out, read from gradOutput's last dimensions."""
    def f(m, a):
        d = m.__dict__
        go = a.get('gradOutput')
        # (THNN reads them unchecked after its own checks: a gradOutput with fewer dimensions
        # leaves them to the kernel's checks instead of failing here first)
        if go is not None and go.dim() >= len(names):
            for j, name in enumerate(reversed(names)):
                d.setdefault(name, go.size(go.dim() - j))
    return f


def _bilinear_fields(m, a):
    if 'input' not in a:  # updateGradInput is given the sizes, not the input
        a['input'] = _new_like(m._type).resize(a['nbatch'], a['nchannels'], a['inputHeight'],
                                               a['inputWidth'])
    m.oheight, m.owidth = a['outputHeight'], a['outputWidth']
    m.inputSize, m.outputSize = _storage.LongStorage(4), _storage.LongStorage(4)
    m.outputSize[3], m.outputSize[4] = m.oheight, m.owidth


def _lut_fields(m, a):
    if 'gradWeight' in a:  # accGradParameters
        m.weight = a['gradWeight']
        m.shouldScaleGradByFreq = bool(a['scaleGradByFreq'])
        m._count = a['count'] if a['count'] is not None else _tensor.IntTensor()


def _bn_class(a):
    nd = a['input'].dim()
    nn = _nn()
    return {4: nn.SpatialBatchNormalization, 5: nn.VolumetricBatchNormalization}.get(
        nd, nn.BatchNormalization)


def _bn_fields(m, a):
    nd = a['input'].dim()
    m.nDim = max(2, nd)
    m.affine = a.get('weight') is not None
    m.train = bool(a['train'])
    rv = a['running_var']
    m.running_mean, m.running_var = a['running_mean'], rv


def _nll_fields(m, a):
    d = m.__dict__
    out = a.get('output')
    d['output_tensor'] = out if out is not None else _new_like(m._type).resize(1)
    if d.get('total_weight_tensor') is None:
        d['total_weight_tensor'] = _new_like(m._type).resize(1)


def _glu_fields(m, a):
    m.sigmoid = _nn().Sigmoid().type(m._type)


def _unpool_fields(m, a):
    # the sizes are THNN's arguments, not the pooling module's (setParams reads that)
    m.setParams = _nothing


def _nothing():
    return None


def _fmp_fields(m, a):
    m.outW, m.outH = a['outputW'], a['outputH']
    if 'outputT' in a:
        m.outT = a['outputT']
    m.newRandomPool = True  # THNN's randomSamples are used as given
    if m.__dict__.get('randomSamples') is None:  # updateGradInput works from the indices
        m.randomSamples = _new_like(m._type)


_F = _Family
# the dilated convolutions' columns buffer is the module's finput (nn's Lua passes it so)
_COLUMNS = {'columns': 'finput', 'gradColumns': 'fgradInput'}
FAMILIES = {
    'Abs': _F('Abs'), 'ELU': _F('ELU'), 'GatedLinear': _F('GatedLinearUnit', fields=_glu_fields, refwd=True),
    'HardShrink': _F('HardShrink'), 'HardTanh': _F('HardTanh'),
    'LeakyReLU': _F('LeakyReLU'), 'LogSigmoid': _F('LogSigmoid'),
    'LogSoftMax': _F('LogSoftMax'), 'SoftMax': _F('SoftMax'), 'Sigmoid': _F('Sigmoid'),
    'Tanh': _F('Tanh'), 'Square': _F('Square'), 'Sqrt': _F('Sqrt'), 'SoftPlus': _F('SoftPlus'),
    'SoftShrink': _F('SoftShrink'), 'Threshold': _F('Threshold'), 'RReLU': _F('RReLU'),
    'PReLU': _F('PReLU'),
    'FeatureLPPooling': _F('FeatureLPPooling', {'batchMode': 'batch_mode'}),
    'L1Cost': _F('L1Cost', kind='cost'),
    'AbsCriterion': _F('AbsCriterion', kind='crit'),
    'BCECriterion': _F('BCECriterion', kind='crit'),
    'ClassNLLCriterion': _F('ClassNLLCriterion', {'total_weight': 'total_weight_tensor',
                                                  'ignore_index': 'ignoreIndex'},
                                   _nll_fields, kind='crit'),
    'SpatialClassNLLCriterion': _F('SpatialClassNLLCriterion',
                                   {'total_weight': 'total_weight_tensor'}, _nll_fields,
                                   kind='crit'),
    'DistKLDivCriterion': _F('DistKLDivCriterion', kind='crit'),
    'MarginCriterion': _F('MarginCriterion', kind='crit'),
    'SoftMarginCriterion': _F('SoftMarginCriterion', kind='crit'),
    'MSECriterion': _F('MSECriterion', kind='crit'),
    'SmoothL1Criterion': _F('SmoothL1Criterion', kind='crit'),
    'MultiLabelMarginCriterion': _F('MultiLabelMarginCriterion', kind='crit'),
    'MultiMarginCriterion': _F('MultiMarginCriterion', kind='crit'),
    'Linear': _F('Linear'),
    'LookupTable': _F('LookupTable', fields=_lut_fields),
    'BatchNormalization': _F(_bn_class, fields=_bn_fields),
    'SpatialConvolutionMM': _F('SpatialConvolutionMM', fields=_mm_fields),
    'SpatialConvolutionMap': _F('SpatialConvolutionMap', fields=_map_fields),
    'SpatialFullConvolutionMap': _F('SpatialFullConvolutionMap', fields=_map_fields),
    'SpatialDepthWiseConvolution': _F('SpatialDepthWiseConvolution', fields=_depthwise_fields),
    'SpatialConvolutionLocal': _F('SpatialConvolutionLocal',
                                  {'inputWidth': 'iW', 'inputHeight': 'iH',
                                   'outputWidth': 'oW', 'outputHeight': 'oH'},
                                  fields=_local_fields),
    'SpatialFullConvolution': _F('SpatialFullConvolution', fields=_planes(2, 1)),
    'SpatialFullDilatedConvolution': _F('SpatialFullConvolution', fields=_planes(2, 1)),
    'SpatialDilatedConvolution': _F('SpatialDilatedConvolution', _COLUMNS,
                                    fields=_planes(1, 2)),
    'SpatialSubSampling': _F('SpatialSubSampling', fields=_planes(1, 1)),
    'TemporalConvolution': _F('TemporalConvolution', fields=_temporal_fields),
    'TemporalSubSampling': _F('TemporalSubSampling', fields=_frames_fields),
    'TemporalRowConvolution': _F('TemporalRowConvolution', fields=_frames_fields),
    'VolumetricConvolution': _F('VolumetricConvolution', {'pT': 'padT', 'pW': 'padW',
                                                         'pH': 'padH'},
                                fields=_planes(1, 2, (3, 4, 5))),
    'VolumetricConvolutionMM': _F('VolumetricConvolution', {'pT': 'padT', 'pW': 'padW',
                                                           'pH': 'padH'}, _vol_mm_fields),
    'VolumetricFullConvolution': _F('VolumetricFullConvolution',
                                    {'pT': 'padT', 'pW': 'padW', 'pH': 'padH', 'aT': 'adjT',
                                     'aW': 'adjW', 'aH': 'adjH'},
                                    fields=_planes(2, 1, (3, 4, 5))),
    'VolumetricDilatedConvolution': _F('VolumetricDilatedConvolution', _COLUMNS,
                                       fields=_planes(1, 2)),
    'SpatialMaxPooling': _F('SpatialMaxPooling'),
    'SpatialDilatedMaxPooling': _F('SpatialDilatedMaxPooling'),
    'SpatialAveragePooling': _F('SpatialAveragePooling'),
    'SpatialAdaptiveMaxPooling': _F('SpatialAdaptiveMaxPooling', {'owidth': 'W',
                                                                  'oheight': 'H'},
                                    _from_grad_output(('H', 'W'))),
    'SpatialAdaptiveAveragePooling': _F('SpatialAdaptiveAveragePooling', {'owidth': 'W',
                                                                          'oheight': 'H'},
                                        _from_grad_output(('H', 'W'))),
    'SpatialFractionalMaxPooling': _F('SpatialFractionalMaxPooling', fields=_fmp_fields),
    'VolumetricFractionalMaxPooling': _F('VolumetricFractionalMaxPooling',
                                         fields=_fmp_fields),
    'SpatialMaxUnpooling': _F('SpatialMaxUnpooling', fields=_unpool_fields),
    'VolumetricMaxUnpooling': _F('VolumetricMaxUnpooling',
                                 {'oT': 'otime', 'oW': 'owidth', 'oH': 'oheight', 'pT': 'padT',
                                  'pW': 'padW', 'pH': 'padH'}, _unpool_fields),
    'TemporalMaxPooling': _F('TemporalMaxPooling'),
    'VolumetricAveragePooling': _F('VolumetricAveragePooling'),
    'VolumetricMaxPooling': _F('VolumetricMaxPooling', {'pT': 'padT', 'pW': 'padW',
                                                       'pH': 'padH', 'ceilMode': 'ceil_mode'}),
    'VolumetricDilatedMaxPooling': _F('VolumetricDilatedMaxPooling',
                                      {'pT': 'padT', 'pW': 'padW', 'pH': 'padH',
                                       'ceilMode': 'ceil_mode'}),
    'SpatialReflectionPadding': _F('SpatialReflectionPadding'),
    'SpatialReplicationPadding': _F('SpatialReplicationPadding'),
    'VolumetricReplicationPadding': _F('VolumetricReplicationPadding'),
    'SpatialUpSamplingNearest': _F('SpatialUpSamplingNearest'),
    'SpatialUpSamplingBilinear': _F('SpatialUpSamplingBilinear', fields=_bilinear_fields),
}

_PASS_ARGS = ('input', 'gradOutput', 'target')


def _new_like(tname):
    return getattr(_tensor, tname.split('.')[1])()


def _settle(F, m, a):
    """Where the module put a result or buffer in a tensor of its own, the tensor THNN was
    given gets it: the same view (an in-place result is the input) or a copy."""
    d = m.__dict__
    for k, given in a.items():
        if k in _PASS_ARGS or not isinstance(given, _tensor.Tensor):
            continue
        got = d.get(F.rename.get(k, k))
        if got is given or not isinstance(got, _tensor.Tensor):
            continue
        src = [a.get(p) for p in ('input', 'gradOutput')]
        if any(s is not None and s.storage() is got.storage() and got.storage() is not None
               for s in src):
            given.set(got)
        else:
            given.resize(got.size())
            if got.dim():
                given.copy(got)


def _scalar(out, value):
    check_dim_size(out, 'output', 1, 0, 1)
    out[1] = value


def _update_output(F, m, a, tname):
    d = m.__dict__
    if F.kind == 'crit':
        d['output'] = 0
        d.setdefault('gradInput', _new_like(tname))
        _scalar(a['output'], m.updateOutput(a['input'], a['target']))
        a = dict(a, output=None)
    elif F.kind == 'cost':
        d['output'] = 0
        d.setdefault('gradInput', _new_like(tname))
        _scalar(a['output'], m.updateOutput(a['input']))
        a = dict(a, output=None)
    else:
        d.setdefault('gradInput', _new_like(tname))
        m.updateOutput(a['input'])
    _settle(F, m, a)


def _update_grad_input(F, m, a, tname):
    d = m.__dict__
    if d.get('output') is None:  # the module may check gradOutput against its output's size
        go = a.get('gradOutput')
        d['output'] = go.new().resizeAs(go) if go is not None else _new_like(tname)
    if F.refwd:
        given, d['output'] = d['output'], _new_like(tname)
        m.updateOutput(a['input'])
        d['output'] = given
    if F.kind == 'crit':
        m.updateGradInput(a['input'], a['target'])
    elif F.kind == 'cost':
        m.updateGradInput(a['input'])
    else:
        m.updateGradInput(a['input'], a['gradOutput'])
    _settle(F, m, a)


def _acc_grad_parameters(F, m, a, tname):
    d = m.__dict__
    d.setdefault('gradInput', _new_like(tname))
    d.setdefault('output', _new_like(tname))
    fin = d.get('finput')
    if isinstance(fin, _tensor.Tensor) and fin.nElement() == 0 and F.rename is _COLUMNS:
        # THNN unfolds the input again here; the module reads the columns its forward made
        m.updateOutput(a['input'])
    m.accGradParameters(a['input'], a['gradOutput'], a['scale'])
    _settle(F, m, a)


def _bn_backward(F, m, a, tname):
    m._backward(a['input'], a['gradOutput'], a['scale'], a['gradInput'], a['gradWeight'],
                a['gradBias'])


def _lut_renorm(F, m, a, tname):
    m._input = _tensor.LongTensor()
    m.renorm(a['idx'])


_OPS = {'updateOutput': _update_output, 'updateGradInput': _update_grad_input,
        'accGradParameters': _acc_grad_parameters, 'backward': _bn_backward,
        'renorm': _lut_renorm}


def available():
    """The THNN.h functions that run here, in THNN.h's order."""
    out = []
    for name in NAMES:
        fam, _, op = name.rpartition('_')
        if name in DIRECT or (fam in FAMILIES and op in _OPS):
            out.append(name)
    return out


def codes(name):
    """The argument codes of a function ('TTb'): the Lua side checks its calls with them."""
    return ''.join(c for _, c in SIGNATURES[name])


def call(name, tname, *args):
    """THNN_<Real><name>(state, args...) for the tensor type tname ('torch.DoubleTensor'):
    args in THNN.h's order, tensors as tensor objects (None for NULL)."""
    if tname not in _REAL:
        raise TorchError('Unsupported tensor type: ' + tname)
    sig = SIGNATURES.get(name)
    fam, _, op = name.rpartition('_')
    F = FAMILIES.get(fam)
    direct = DIRECT.get(name)
    if sig is None or (direct is None and (F is None or op not in _OPS)):
        raise TorchError(f"Function '{name}' not found for tensor type '{tname}'.")
    if len(args) != len(sig):
        raise TorchError('wrong number of arguments for function call')
    a = dict(zip(_ARGNAMES[name], args))
    if direct is not None:
        direct(a, tname)
        return
    m = F.make(a, tname)
    with _thnn_lua.raw():  # (a C call: the Lua layer's checks are not on this path)
        _OPS[op](F, m, a, tname)
