"""The keys of Torch7's package tables, in the order Torch7 sets them (written by
tools/package_names.py from torch7 814ea4a, nn 8726825, optim a5ceed7, nngraph 3ed3b9b and graph
37dac07): pairs(torch) after `require 'torch'`, pairs(nn) after `require 'nn'`, pairs(optim)
after `require 'optim'`, pairs(nngraph) after `require 'nngraph'`, pairs(graph) after
`require 'graph'`; nn.utils, nn.tables, nn.hessian, nn.Jacobian and nn.SparseJacobian after
`require 'nn'`."""

TORCH = (
    "getdefaulttensortype", "isatty", "tic", "toc", "setnumthreads", "getnumthreads",
    "getnumcores", "factory", "getconstructortable", "typename", "isequal", "getenv", "setenv",
    "newmetatable", "setmetatable", "getmetatable", "metatype", "pushudata", "version", "pointer",
    "setheaptracking", "updateerrorhandlers", "File", "ByteStorage", "CharStorage",
    "ShortStorage", "IntStorage", "LongStorage", "FloatStorage", "DoubleStorage", "HalfStorage",
    "ByteTensor", "CharTensor", "ShortTensor", "IntTensor", "LongTensor", "FloatTensor",
    "DoubleTensor", "HalfTensor", "Timer", "DiskFile", "PipeFile", "MemoryFile", "zero", "fill",
    "zeros", "ones", "reshape", "gather", "scatter", "dot", "equal", "add", "csub", "mul", "div",
    "lshift", "rshift", "fmod", "remainder", "bitand", "bitor", "bitxor", "mod", "clamp", "match",
    "cmul", "cpow", "cdiv", "clshift", "crshift", "cfmod", "cremainder", "cbitand", "cbitor",
    "cbitxor", "cmod", "addcmul", "addcdiv", "mv", "mm", "bmm", "ger", "addmv", "addmm", "addr",
    "addbmm", "baddbmm", "numel", "cumsum", "cumprod", "sum", "prod", "min", "max", "cmin",
    "cmax", "trace", "cross", "diag", "eye", "range", "randperm", "sort", "topk", "kthvalue",
    "mode", "median", "tril", "triu", "cat", "random", "geometric", "bernoulli", "squeeze",
    "sign", "conv2", "xcorr2", "conv3", "xcorr3", "lt", "gt", "le", "ge", "eq", "ne", "nonzero",
    "all", "any", "abs", "mean", "var", "std", "histc", "bhistc", "norm", "renorm", "dist",
    "linspace", "logspace", "log", "log1p", "exp", "cos", "acos", "cosh", "sin", "asin", "sinh",
    "tan", "atan", "tanh", "sqrt", "round", "ceil", "floor", "trunc", "frac", "rsqrt", "sigmoid",
    "neg", "cinv", "lerp", "atan2", "pow", "rand", "randn", "multinomial",
    "multinomialAliasSetup_", "multinomialAlias_", "uniform", "normal", "cauchy", "logNormal",
    "exponential", "gesv", "gels", "trtrs", "symeig", "eig", "svd", "inverse", "potrf", "potrs",
    "potri", "pstrf", "qr", "geqrf", "orgqr", "ormqr", "Generator", "_gen", "seed", "initialSeed",
    "manualSeed", "getRNGState", "setRNGState", "Allocator", "updatethreadlocals",
    "packageLuaPath", "include", "class", "setdefaulttensortype", "type", "isTypeOf", "Tensor",
    "Storage", "expand", "expandAs", "repeatTensor", "view", "viewAs", "split", "chunk",
    "totable", "permute", "save", "load", "serialize", "serializeToStorage",
    "deserializeFromStorage", "deserialize", "saveobj", "loadobj", "CmdLine", "data", "cdata",
    "Tester", "TestSuite", "test", "isTensor", "isStorage", "_heaptracking",
    "multinomialAliasSetup", "multinomialAlias",
)

NN = (
    "utils", "Module", "Container", "Concat", "Parallel", "Sequential", "DepthConcat",
    "Decorator", "Bottle", "WeightNorm", "DontCast", "NaN", "Profile", "Linear",
    "LinearWeightNorm", "Bilinear", "PartialLinear", "SparseLinear", "IndexLinear", "Reshape",
    "View", "Contiguous", "Select", "Narrow", "Index", "Squeeze", "Unsqueeze", "Replicate",
    "Transpose", "BatchNormalization", "LayerNormalization", "Padding", "GradientReversal",
    "MaskedSelect", "Copy", "Min", "Max", "Sum", "Mean", "CMul", "Mul", "MulConstant", "CAdd",
    "Add", "AddConstant", "Constant", "Dropout", "SpatialDropout", "VolumetricDropout",
    "WhiteNoise", "OneHot", "PrintSize", "ZeroGrad", "CAddTable", "CDivTable", "CMulTable",
    "CSubTable", "CMaxTable", "CMinTable", "CAddTensorTable", "Euclidean", "WeightedEuclidean",
    "PairwiseDistance", "CosineDistance", "DotProduct", "Normalize", "Cosine", "Kmeans", "Exp",
    "Log", "HardTanh", "Clamp", "LogSigmoid", "LogSoftMax", "Sigmoid", "SoftMax", "SoftMin",
    "SoftPlus", "SoftSign", "Tanh", "TanhShrink", "Abs", "Power", "Square", "Sqrt", "HardShrink",
    "SoftShrink", "Threshold", "Maxout", "ReLU", "ReLU6", "PReLU", "CReLU", "LeakyReLU",
    "SpatialSoftMax", "SpatialLogSoftMax", "RReLU", "ELU", "GatedLinearUnit", "LookupTable",
    "SpatialConvolution", "SpatialConvolutionLocal", "SpatialFullConvolution",
    "SpatialFullConvolutionMap", "SpatialConvolutionMM", "SpatialDepthWiseConvolution",
    "SpatialConvolutionMap", "tables", "SpatialDilatedConvolution", "SpatialSubSampling",
    "SpatialMaxPooling", "SpatialDilatedMaxPooling", "SpatialMaxUnpooling",
    "SpatialFractionalMaxPooling", "SpatialLPPooling", "SpatialAveragePooling",
    "SpatialAdaptiveMaxPooling", "SpatialAdaptiveAveragePooling", "TemporalConvolution",
    "TemporalSubSampling", "TemporalMaxPooling", "TemporalDynamicKMaxPooling",
    "TemporalRowConvolution", "SpatialSubtractiveNormalization", "SpatialDivisiveNormalization",
    "SpatialContrastiveNormalization", "SpatialCrossMapLRN", "SpatialZeroPadding",
    "SpatialReflectionPadding", "SpatialReplicationPadding", "SpatialUpSamplingNearest",
    "SpatialUpSamplingBilinear", "SpatialBatchNormalization", "UpSampling",
    "VolumetricConvolution", "VolumetricFullConvolution", "VolumetricDilatedConvolution",
    "VolumetricMaxPooling", "VolumetricDilatedMaxPooling", "VolumetricFractionalMaxPooling",
    "VolumetricMaxUnpooling", "VolumetricAveragePooling", "VolumetricBatchNormalization",
    "VolumetricReplicationPadding", "FeatureLPPooling", "GPU", "ParallelTable", "Identity",
    "ConcatTable", "SplitTable", "JoinTable", "SelectTable", "MixtureTable", "CriterionTable",
    "FlattenTable", "NarrowTable", "MapTable", "ZipTable", "ZipTableOneToMany", "Collapse",
    "Convert", "Criterion", "MSECriterion", "SpatialAutoCropMSECriterion", "SmoothL1Criterion",
    "MarginCriterion", "SoftMarginCriterion", "AbsCriterion", "ClassNLLCriterion",
    "SpatialClassNLLCriterion", "ClassSimplexCriterion", "DistKLDivCriterion", "MultiCriterion",
    "L1HingeEmbeddingCriterion", "HingeEmbeddingCriterion", "CosineEmbeddingCriterion",
    "MarginRankingCriterion", "MultiMarginCriterion", "MultiLabelMarginCriterion",
    "MultiLabelSoftMarginCriterion", "L1Cost", "L1Penalty", "WeightedMSECriterion",
    "BCECriterion", "CrossEntropyCriterion", "ParallelCriterion", "DistanceRatioCriterion",
    "ModuleCriterion", "PixelShuffle", "StochasticGradient", "MM", "MV", "Jacobian",
    "SparseJacobian", "hessian", "test", "testTHNN",
)

OPTIM = (
    "sgd", "cg", "asgd", "nag", "FistaLS", "lbfgs", "adagrad", "rprop", "adam", "adamax",
    "rmsprop", "adadelta", "cmaes", "de", "lswolfe", "polyinterp", "checkgrad", "ConfusionMatrix",
    "Logger",
)

NNGRAPH = (
    "nest", "Node", "setDebug", "annotateNodes", "display", "JustElement", "JustTable",
    "simple_print",
)

GRAPH = (
    "graphvizLayout", "graphvizFile", "dot", "Node", "Edge", "Graph", "_dotEscape",
)

NN_UTILS = (
    "recursiveType", "recursiveResizeAs", "recursiveFill", "recursiveAdd", "recursiveCopy",
    "addSingletonDimension", "contiguousView", "clear",
)

NN_TABLES = (
    "full", "oneToOne", "random",
)

NN_HESSIAN = (
    "enable",
)

NN_JACOBIAN = (
    "backward", "backwardUpdate", "forward", "backwardDiagHessian", "linearModuleDiagHessian",
    "forwardUpdate", "testJacobian", "testJacobianParameters", "testJacobianUpdateParameters",
    "testDiagHessian", "testDiagHessianInput", "testDiagHessianWeight", "testDiagHessianBias",
    "testIO", "testAllUpdate",
)

NN_SPARSEJACOBIAN = (
    "backward", "backwardUpdate", "forward", "forwardUpdate", "testJacobian",
    "testJacobianParameters", "testJacobianUpdateParameters", "testIO", "testAllUpdate",
)


# The files each package's init.lua requires ('nn.Linear', 'optim.sgd', 'torch.CmdLine',
# 'xlua.OptionParser'), as package.loaded holds them once the package is loaded (true: the
# files return nothing; `require 'nn.Linear'` gives true). Read from the reference Torch7's
# package.loaded after `require 'nn'; require 'optim'`. nn.CrossEntropyCriterion's file returns
# its class; nn.THNN, nn.test and torch.test are the layer's own preloads (compat/torch.lua).
FILES = {
    "nn": (
        "Abs", "AbsCriterion", "Add", "AddConstant", "BCECriterion", "BatchNormalization",
        "Bilinear", "Bottle", "CAdd", "CAddTable", "CAddTensorTable", "CDivTable", "CMaxTable",
        "CMinTable", "CMul", "CMulTable", "CReLU", "CSubTable", "Clamp", "ClassNLLCriterion",
        "ClassSimplexCriterion", "Collapse", "Concat", "ConcatTable", "Constant", "Container",
        "Contiguous", "Convert", "Copy", "Cosine", "CosineDistance", "CosineEmbeddingCriterion",
        "Criterion", "CriterionTable", "Decorator", "DepthConcat", "DistKLDivCriterion",
        "DistanceRatioCriterion", "DontCast", "DotProduct", "Dropout", "ELU", "ErrorMessages",
        "Euclidean", "Exp", "FeatureLPPooling", "FlattenTable", "GPU", "GatedLinearUnit",
        "GradientReversal", "HardShrink", "HardTanh", "HingeEmbeddingCriterion", "Identity",
        "Index", "IndexLinear", "Jacobian", "JoinTable", "Kmeans", "L1Cost",
        "L1HingeEmbeddingCriterion", "L1Penalty", "LayerNormalization", "LeakyReLU", "Linear",
        "LinearWeightNorm", "Log", "LogSigmoid", "LogSoftMax", "LookupTable", "MM",
        "MSECriterion", "MV", "MapTable", "MarginCriterion", "MarginRankingCriterion",
        "MaskedSelect", "Max", "Maxout", "Mean", "Min", "MixtureTable", "Module",
        "ModuleCriterion", "Mul", "MulConstant", "MultiCriterion", "MultiLabelMarginCriterion",
        "MultiLabelSoftMarginCriterion", "MultiMarginCriterion", "NaN", "Narrow", "NarrowTable",
        "Normalize", "OneHot", "PReLU", "Padding", "PairwiseDistance", "Parallel",
        "ParallelCriterion", "ParallelTable", "PartialLinear", "PixelShuffle", "Power",
        "PrintSize", "Profile", "RReLU", "ReLU6", "ReLU", "Replicate", "Reshape", "Select",
        "SelectTable", "Sequential", "Sigmoid", "SmoothL1Criterion", "SoftMarginCriterion",
        "SoftMax", "SoftMin", "SoftPlus", "SoftShrink", "SoftSign", "SparseJacobian",
        "SparseLinear", "SpatialAdaptiveAveragePooling", "SpatialAdaptiveMaxPooling",
        "SpatialAutoCropMSECriterion", "SpatialAveragePooling", "SpatialBatchNormalization",
        "SpatialClassNLLCriterion", "SpatialContrastiveNormalization", "SpatialConvolution",
        "SpatialConvolutionLocal", "SpatialConvolutionMM", "SpatialConvolutionMap",
        "SpatialCrossMapLRN", "SpatialDepthWiseConvolution", "SpatialDilatedConvolution",
        "SpatialDilatedMaxPooling", "SpatialDivisiveNormalization", "SpatialDropout",
        "SpatialFractionalMaxPooling", "SpatialFullConvolution", "SpatialFullConvolutionMap",
        "SpatialLPPooling", "SpatialLogSoftMax", "SpatialMaxPooling", "SpatialMaxUnpooling",
        "SpatialReflectionPadding", "SpatialReplicationPadding", "SpatialSoftMax",
        "SpatialSubSampling", "SpatialSubtractiveNormalization", "SpatialUpSamplingBilinear",
        "SpatialUpSamplingNearest", "SpatialZeroPadding", "SplitTable", "Sqrt", "Square",
        "Squeeze", "StochasticGradient", "Sum", "Tanh", "TanhShrink", "TemporalConvolution",
        "TemporalDynamicKMaxPooling", "TemporalMaxPooling", "TemporalRowConvolution",
        "TemporalSubSampling", "Threshold", "Transpose", "Unsqueeze", "UpSampling", "View",
        "VolumetricAveragePooling", "VolumetricBatchNormalization", "VolumetricConvolution",
        "VolumetricDilatedConvolution", "VolumetricDilatedMaxPooling", "VolumetricDropout",
        "VolumetricFractionalMaxPooling", "VolumetricFullConvolution", "VolumetricMaxPooling",
        "VolumetricMaxUnpooling", "VolumetricReplicationPadding", "WeightNorm",
        "WeightedEuclidean", "WeightedMSECriterion", "WhiteNoise", "ZeroGrad", "ZipTable",
        "ZipTableOneToMany", "hessian", "utils",
    ),
    "optim": (
        "ConfusionMatrix", "Logger", "adadelta", "adagrad", "adam", "adamax", "asgd", "cg",
        "checkgrad", "cmaes", "de", "fista", "lbfgs", "lswolfe", "nag", "polyinterp", "rmsprop",
        "rprop", "sgd",
    ),
    "torch": (
        "CmdLine", "FFInterface", "File", "Tensor", "TestSuite", "Tester",
    ),
    "xlua": (
        "OptionParser", "Profiler",
    ),
}
