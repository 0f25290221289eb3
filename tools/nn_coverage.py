"""Print the README's nn coverage table: every class of nn's init.lua and whether torch7py has it.

Run: python tools/nn_coverage.py   (tests/test_readme.py checks the README's copy is current)
"""
import torch7py.nn as nn

# The classes of nn's init.lua (torch/nn 8726825), in its order; containers and criterions
# included, helpers (utils, Jacobian, THNN) left out.
NN_CLASSES = """
Module Container Concat Parallel Sequential DepthConcat Decorator Bottle WeightNorm DontCast NaN
Profile Linear LinearWeightNorm Bilinear PartialLinear SparseLinear IndexLinear Reshape View
Contiguous Select Narrow Index Squeeze Unsqueeze Replicate Transpose BatchNormalization
LayerNormalization Padding GradientReversal MaskedSelect Copy Min Max Sum Mean CMul Mul
MulConstant CAdd Add AddConstant Constant Dropout SpatialDropout VolumetricDropout WhiteNoise
OneHot PrintSize ZeroGrad Collapse Convert CAddTable CDivTable CMulTable CSubTable CMaxTable
CMinTable CAddTensorTable Euclidean WeightedEuclidean PairwiseDistance CosineDistance
DotProduct Normalize Cosine Kmeans Exp Log HardTanh Clamp LogSigmoid LogSoftMax Sigmoid SoftMax
SoftMin SoftPlus SoftSign Tanh TanhShrink Abs Power Square Sqrt HardShrink SoftShrink Threshold
Maxout ReLU ReLU6 PReLU CReLU LeakyReLU SpatialSoftMax SpatialLogSoftMax RReLU ELU
GatedLinearUnit LookupTable SpatialConvolution SpatialConvolutionLocal SpatialFullConvolution
SpatialFullConvolutionMap SpatialConvolutionMM SpatialConvolutionMap SpatialDepthWiseConvolution
SpatialDilatedConvolution SpatialSubSampling SpatialMaxPooling SpatialDilatedMaxPooling
SpatialMaxUnpooling SpatialFractionalMaxPooling SpatialLPPooling SpatialAveragePooling
SpatialAdaptiveMaxPooling SpatialAdaptiveAveragePooling TemporalConvolution
TemporalSubSampling TemporalMaxPooling TemporalDynamicKMaxPooling TemporalRowConvolution
FeatureLPPooling SpatialSubtractiveNormalization SpatialDivisiveNormalization
SpatialContrastiveNormalization SpatialCrossMapLRN SpatialZeroPadding SpatialReflectionPadding
SpatialReplicationPadding SpatialUpSamplingNearest SpatialUpSamplingBilinear UpSampling
SpatialBatchNormalization VolumetricConvolution VolumetricFullConvolution
VolumetricDilatedConvolution VolumetricMaxPooling VolumetricDilatedMaxPooling
VolumetricFractionalMaxPooling VolumetricMaxUnpooling VolumetricAveragePooling
VolumetricBatchNormalization VolumetricReplicationPadding GPU ParallelTable Identity
ConcatTable SplitTable JoinTable SelectTable MixtureTable CriterionTable FlattenTable
NarrowTable MapTable ZipTable ZipTableOneToMany PixelShuffle Criterion MSECriterion
SpatialAutoCropMSECriterion SmoothL1Criterion MarginCriterion SoftMarginCriterion AbsCriterion
ClassNLLCriterion SpatialClassNLLCriterion ClassSimplexCriterion DistKLDivCriterion
MultiCriterion L1HingeEmbeddingCriterion HingeEmbeddingCriterion CosineEmbeddingCriterion
MarginRankingCriterion MultiMarginCriterion MultiLabelMarginCriterion
MultiLabelSoftMarginCriterion L1Cost L1Penalty WeightedMSECriterion BCECriterion
CrossEntropyCriterion ParallelCriterion DistanceRatioCriterion ModuleCriterion
StochasticGradient MM MV
""".split()

# Classes that only work on a GPU in Torch7: here they run on the CPU (no CUDA backend).
GPU_ONLY = {"GPU"}


def status(name):
    if not hasattr(nn, name):
        return "missing"
    return "yes (runs its module on the CPU; :cuda() raises)" if name in GPU_ONLY else "yes"


def table():
    have = sum(hasattr(nn, n) for n in NN_CLASSES)
    lines = ["%d of %d nn classes (nn 8726825's init.lua) are in torch7py:" % (have,
                                                                              len(NN_CLASSES)),
             "", "| class | status |", "| --- | --- |"]
    lines += ["| nn.%s | %s |" % (n, status(n)) for n in NN_CLASSES]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(), end="")
