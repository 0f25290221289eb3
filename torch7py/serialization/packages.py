"""Which Torch7 package a class torch7py does not define comes from, for the messages that name
a class a file holds (the load's note, the error of using it as a module, the export's list).

The names are the `torch.class` declarations of each package's sources (their last versions:
Element-Research/rnn and dpnn, clementfarabet/lua---nnx, facebookarchive/fbcunn and fbnn,
qassemoquab/stnbhwd, szagoruyko/imagine-nn). A class torch7py defines never reaches this table;
one that moved into nn later (dpnn's Convert, rnn's ZeroGrad) is torch7py's.
"""

_PACKAGES = {
    "rnn (Element-Research/rnn)": (
        "AbstractRecurrent AbstractSequencer BiSequencer BiSequencerLM CopyGrad ExpandAs "
        "FastLSTM GRU LSTM LinearNoBias LookupTableMaskZero MaskZero MaskZeroCriterion MuFuRu "
        "NormStabilizer Recurrence Recurrent RecurrentAttention Recursor Repeater "
        "RepeaterCriterion SAdd SeqBRNN SeqGRU SeqLSTM SeqLSTMP SeqReverseSequence Sequencer "
        "SequencerCriterion TrimZero"),
    "dpnn (Element-Research/dpnn)": (
        "ArgMax BinaryClassReward BinaryLogisticRegression CategoricalEntropy Clip FireModule "
        "Inception NCECriterion NCEModule PCAColorTransform Reinforce ReinforceBernoulli "
        "ReinforceCategorical ReinforceGamma ReinforceNormal ReverseTable SG Serial "
        "SimpleColorTransform SpatialBinaryConvolution SpatialBinaryLogisticRegression "
        "SpatialFeatNormalization SpatialGlimpse SpatialRegionDropout SpatialUniformCrop "
        "TotalDropout VRClassReward Dictionary"),
    "nnx (clementfarabet/lua---nnx)": (
        "Balance CTCCriterion DistMarginCriterion DistNLLCriterion FunctionWrapper Minus "
        "MultiSoftMax PixelSort Probe PullTable PushTable SaturatedLU SoftMaxForest SoftMaxTree "
        "SparseCriterion SpatialClassifier SpatialColorTransform SpatialDownSampling "
        "SpatialFovea SpatialGraph SpatialLinear SpatialMatching SpatialMaxSampling "
        "SpatialNormalization SpatialPadding SpatialPyramid SpatialRadialMatching "
        "SpatialReSampling SpatialReSamplingEx SpatialRecursiveFovea SpatialSparseCriterion "
        "SpatialUpSampling SuperCriterion TreeNLLCriterion"),
    "fbcunn (facebookarchive/fbcunn, GPU only)": (
        "AbstractParallel DataParallel HalfPrecision LookupTableGPU ModelParallel "
        "OneBitDataParallel SpatialConvolutionCuFFT SpatialConvolutionFBFFT "
        "SpatialConvolutionFBFFTGemm SpatialConvolutionFFT SpatialConvolutionFFTTiled "
        "SpatialConvolutionFFTTiledAsync SpatialConvolutionFFTTiledIterated "
        "SpatialConvolutionFFTTiledSync TemporalConvolutionFB TemporalKMaxPooling"),
    "fbnn (facebookarchive/fbnn)": (
        "CachingLookupTable ClassNLLCriterionWithUNK CrossMapNormalization DifferenceOfGaussian "
        "FasterLookup GroupKMaxPooling HSM KMaxPooling LaplacianOfGaussian LinearNB "
        "LinearNoBackprop LocallyConnected SequentialCriterion SoftPlusLSECriterion "
        "SoftPlusLSEMinusLSECriterion SparseConverter SparseKmax SparseLookupTable "
        "SparseNLLCriterion SparseSum SparseThreshold TemporalConvolutionTBC TrueNLLCriterion "
        "UnfoldedTemporalConvolution Upsample WeightedLookupTable"),
    "stn (qassemoquab/stnbhwd)": (
        "AffineGridGeneratorBHWD AffineTransformMatrixGenerator BilinearSamplerBHWD"),
}

# namespaces whose every class belongs to one package
_PREFIXES = {"fbnn.": "fbnn (facebookarchive/fbnn; fbcunn's fbnn.SpatialConvolution and "
                      "BatchNormalization are GPU only)",
             "inn.": "inn (szagoruyko/imagine-nn)", "nnx.": "nnx (clementfarabet/lua---nnx)",
             "dp.": "dp (nicholas-leonard/dp)", "onmt.": "OpenNMT (OpenNMT/OpenNMT)",
             "tnt.": "torchnet (torchnet/torchnet)", "cudnn.": "cudnn (soumith/cudnn.torch)",
             "nngraph.": "nngraph (torch/nngraph)", "tds.": "tds (torch/tds)"}

# names a model's own project often defines too (torch-rnn's nn.LSTM)
_COMMON = ("nn.LSTM", "nn.GRU")

_BY_NAME = {}
for _pkg, _names in _PACKAGES.items():
    for _n in _names.split():
        _BY_NAME.setdefault("nn." + _n, []).append(_pkg)


def package_of(typename):
    """The package (with its repository) that defines `typename`, or None."""
    for prefix, pkg in _PREFIXES.items():
        if typename.startswith(prefix):
            return pkg
    pkgs = _BY_NAME.get(typename)
    if not pkgs:
        return None
    also = ", or of the model's own project (torch-rnn's nn.LSTM)" if typename in _COMMON else ""
    return " or ".join(pkgs) + also


def described(typename):
    """`typename`, followed by its package when one is known:
    'nn.DataParallel (a class of fbcunn: facebookarchive/fbcunn, GPU only)'."""
    pkg = package_of(typename)
    if not pkg:
        return typename
    name, _, rest = pkg.partition(" (")
    repo, _, also = rest.partition(")")
    return "%s (a class of %s%s%s)" % (typename, name, ": " + repo if repo else "", also)
