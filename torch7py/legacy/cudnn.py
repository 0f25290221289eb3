"""cudnn.torch's modules (cudnn.SpatialConvolution, cudnn.ReLU, ...) loaded as their nn equivalents.

Each cudnn module is a Lua class deriving from an nn one (or from nn.Module with the same
fields as its nn twin); its fields are read as written and moved onto the nn module that
computes the same function, as cudnn.convert(net, nn) does, dropping the descriptors and
algorithm caches cudnn keeps (iDesc, weightDesc, fmode, ...). Where nn has no single module
with cudnn's function (a grouped convolution, a padded cudnn.TemporalConvolution) the
equivalent is built from nn modules that share the loaded weights.
"""
import contextlib

from ..random import getRNGState, setRNGState
from ..tensor import Tensor, TorchError, tensor_types

# fields that only cudnn uses: descriptors, algorithm choices, size caches, its own buffers
_DROP = frozenset((
    "iDesc", "oDesc", "weightDesc", "biasDesc", "convDesc", "poolDesc", "activDesc", "LRNDesc",
    "sDesc", "wDesc", "hxDesc", "cxDesc", "hyDesc", "cyDesc", "dropoutDesc", "rnnDesc",
    "xDescs", "yDescs", "iSize", "nElem", "fmode", "bdmode", "bwmode", "fastest_mode",
    "extraBuffer", "extraBufferSizeInBytes", "input_slice", "output_slice", "weight_slice",
    "input_offset", "output_offset", "weight_offset", "mode", "algorithm", "scaleT", "groups",
    "benchmarked", "iTensorSize", "_gradOutput", "pad", "padding", "__class", "algoFamily",
    "oDescForBias", "stride", "convDescData", "oSize", "maxWorkspaceSize", "autotunerCache",
    "calculatedWorkspaceSize", "iteration", "DivisiveNormDesc",
))


class LegacyError(TorchError):
    """A GPU object that cannot be read as an nn module (its path is in the message)."""


@contextlib.contextmanager
def _rng_kept():
    """Building an nn module draws its initial weights: loading a file must not move the
    global generator (Torch7's torch.load does not)."""
    state = getRNGState()
    try:
        yield
    finally:
        setRNGState(state)


def _nn():
    from .. import nn
    return nn


def _fields_type(fields):
    """The tensor class the module was saved with (its _type, else its weight's or output's)."""
    name = fields.get("_type")
    if isinstance(name, str) and name in tensor_types:
        return tensor_types[name]
    for k in ("weight", "running_mean", "output"):
        if isinstance(fields.get(k), Tensor):
            return type(fields[k])
    return None


def build(cls_name, args, fields, drop=()):
    """The nn module `cls_name(*args)` with the file's fields moved onto it.

    The file's values win (weights, buffers, train, inplace, user fields); constructor buffers
    the file does not have are remade empty in the file's tensor type."""
    with _rng_kept():
        m = getattr(_nn(), cls_name)(*args)
    ttype = _fields_type(fields)
    made = dict(m.__dict__)
    for k, v in fields.items():
        if k in _DROP or k in drop or (isinstance(k, str) and k.endswith("Desc")):
            continue
        m.__dict__[k] = v
    nil = set()
    if "weight" in fields:
        # a module saved after :noBias() has no bias field: nil in Lua, no bias here (not an
        # empty tensor of the file's type below: THNN refuses a bias of no elements)
        for k in ("bias", "gradBias"):
            if k not in fields and m.__dict__.get(k) is not None:
                m.__dict__[k] = None
                nil.add(k)
    if ttype is not None:
        for k, v in made.items():
            if k not in fields and k not in nil and isinstance(v, Tensor) \
                    and v.dtype.kind == "f" and type(v) is not ttype:
                m.__dict__[k] = ttype()
        m._type = ttype.typename
    return m


def _need(fields, path, *names):
    out = []
    for name in names:
        v = fields.get(name)
        if v is None:
            raise LegacyError("%s: a %s without its field '%s'" % (path, fields.get("__class"),
                                                                   name))
        out.append(v)
    return out


def _int(v, default=0):
    return default if v is None else int(v)


# ---------------------------------------------------------------------------------------------
# convolutions

def spatial_convolution(fields, path):
    nIn, nOut, kW, kH = _need(fields, path, "nInputPlane", "nOutputPlane", "kW", "kH")
    dW, dH = _int(fields.get("dW"), 1), _int(fields.get("dH"), 1)
    padW, padH = _int(fields.get("padW")), _int(fields.get("padH"))
    groups = _int(fields.get("groups"), 1)
    if groups < 1 or nIn % groups or nOut % groups:
        raise LegacyError("%s: %d input and %d output planes cannot form %d groups"
                          % (path, nIn, nOut, groups))
    weight = fields.get("weight")
    if weight is not None and weight.nElement() != nOut * (nIn // groups) * kH * kW:
        raise LegacyError("%s.weight: %d elements, a convolution %d -> %d (%d groups) of %dx%d "
                          "needs %d" % (path, weight.nElement(), nIn, nOut, groups, kW, kH,
                                        nOut * (nIn // groups) * kH * kW))
    if groups == 1:
        m = build("SpatialConvolution", (nIn, nOut, kW, kH, dW, dH, padW, padH), fields)
        if weight is not None and weight.dim() != 4:
            m.weight = weight.view(nOut, nIn, kH, kW)
        return m
    return _grouped(fields, nIn, nOut, groups, (kW, kH, dW, dH, padW, padH))


def _grouped(fields, nIn, nOut, groups, geometry):
    """cudnn's grouped convolution from nn modules: each group narrows its input planes, runs
    an nn.SpatialConvolution whose weight and bias are views of the loaded ones, and the
    outputs are joined along the plane dimension (-3: batch or not)."""
    nn = _nn()
    gIn, gOut = nIn // groups, nOut // groups
    branches = nn.ConcatTable()
    keep = {k: v for k, v in fields.items() if k in ("train",)}
    for g in range(groups):
        sub = {"train": fields.get("train", True), "_type": fields.get("_type")}
        for name in ("weight", "gradWeight", "bias", "gradBias"):
            t = fields.get(name)
            if isinstance(t, Tensor) and t.nElement():
                if name in ("weight", "gradWeight"):
                    t = t.view(nOut, gIn, geometry[1], geometry[0])
                sub[name] = t.narrow(1, g * gOut + 1, gOut)
        conv = build("SpatialConvolution", (gIn, gOut) + geometry,
                     {k: v for k, v in sub.items() if v is not None})
        if fields.get("bias") is None:
            conv.bias = conv.gradBias = None
        with _rng_kept():
            branch = nn.Sequential().add(nn.Narrow(-3, g * gIn + 1, gIn)).add(conv)
        branches.add(branch)
    with _rng_kept():
        seq = nn.Sequential().add(branches).add(nn.JoinTable(-3))
    seq.__dict__.update(keep)
    return _typed(seq, fields)


def _typed(m, fields):
    """The modules built here take the loaded module's tensor type (the loaded weights, of
    that type already, stay the same objects)."""
    ttype = _fields_type(fields)
    if ttype is not None:
        m.type(ttype.typename)
    return m


def spatial_full_convolution(fields, path):
    nIn, nOut, kW, kH = _need(fields, path, "nInputPlane", "nOutputPlane", "kW", "kH")
    g = fields.get
    return build("SpatialFullConvolution",
                 (nIn, nOut, kW, kH, _int(g("dW"), 1), _int(g("dH"), 1), _int(g("padW")),
                  _int(g("padH")), _int(g("adjW")), _int(g("adjH"))), fields)


def volumetric_convolution(fields, path):
    nIn, nOut, kT, kW, kH = _need(fields, path, "nInputPlane", "nOutputPlane", "kT", "kW", "kH")
    g = fields.get
    return build("VolumetricConvolution",
                 (nIn, nOut, kT, kW, kH, _int(g("dT"), 1), _int(g("dW"), 1), _int(g("dH"), 1),
                  _int(g("padT")), _int(g("padW")), _int(g("padH"))), fields)


def volumetric_full_convolution(fields, path):
    nIn, nOut, kT, kW, kH = _need(fields, path, "nInputPlane", "nOutputPlane", "kT", "kW", "kH")
    g = fields.get
    return build("VolumetricFullConvolution",
                 (nIn, nOut, kT, kW, kH, _int(g("dT"), 1), _int(g("dW"), 1), _int(g("dH"), 1),
                  _int(g("padT")), _int(g("padW")), _int(g("padH")), _int(g("adjT")),
                  _int(g("adjW")), _int(g("adjH"))), fields)


def temporal_convolution(fields, path):
    """cudnn.TemporalConvolution is a cudnn.SpatialConvolution of one input plane over
    (frames x inputFrameSize) images with a kH x inputFrameSize kernel: its weight
    (outputFrameSize x kH*inputFrameSize) is [out][t][in], nn.TemporalConvolution's layout.
    nn has no padding: padH frames of zeros on each side become two nn.Padding."""
    nIn, nOut, kH = _need(fields, path, "inputFrameSize", "outputFrameSize", "kH")
    dH, padH = _int(fields.get("dH"), 1), _int(fields.get("padH"))
    moved = dict(fields)
    for name in ("weight", "gradWeight"):
        t = fields.get(name)
        if isinstance(t, Tensor) and t.nElement():
            if t.nElement() != nOut * nIn * kH:
                raise LegacyError("%s.%s: %d elements, %d x %d x %d expected"
                                  % (path, name, t.nElement(), nOut, kH, nIn))
            moved[name] = t if t.dim() == 2 else t.view(nOut, kH * nIn)
    # cudnn's kW/dW/padW are the frame width (inputFrameSize, 1, 0); nn's kW/dW are in time
    for name in ("kW", "dW", "nInputPlane", "nOutputPlane", "padW", "padH", "dH", "kH",
                 "oSize", "buffer", "_output"):
        moved.pop(name, None)
    conv = build("TemporalConvolution", (nIn, nOut, kH, dH), moved)
    if not padH:
        return conv
    nn = _nn()
    with _rng_kept():
        seq = nn.Sequential().add(nn.Padding(1, -padH, 2)).add(nn.Padding(1, padH, 2)).add(conv)
    return _typed(seq, fields)


# ---------------------------------------------------------------------------------------------
# pooling, activations, softmax, normalization

def _pool(name, fields, path, volumetric=False):
    if volumetric:
        kT, kW, kH = _need(fields, path, "kT", "kW", "kH")
        g = fields.get
        args = (kT, kW, kH, _int(g("dT"), kT), _int(g("dW"), kW), _int(g("dH"), kH),
                _int(g("padT")), _int(g("padW")), _int(g("padH")))
    else:
        kW, kH = _need(fields, path, "kW", "kH")
        g = fields.get
        args = (kW, kH, _int(g("dW"), kW), _int(g("dH"), kH), _int(g("padW")), _int(g("padH")))
    return build(name, args, fields)


def spatial_max_pooling(fields, path):
    m = _pool("SpatialMaxPooling", fields, path)
    m.ceil_mode = bool(fields.get("ceil_mode"))
    return m


def spatial_average_pooling(fields, path):
    m = _pool("SpatialAveragePooling", fields, path)
    # cudnn's backwardCompatible(): a file without ceil_mode has no padding
    if fields.get("ceil_mode") is None:
        m.padW = m.padH = 0
    m.ceil_mode = bool(fields.get("ceil_mode"))
    # cudnn counts the padding whatever count_include_pad says: its updateOutput sets it to
    # `self.count_include_pad ~= nil and self.count_include_pad or true` (always true in Lua)
    # and its exclude-padding branch raises
    m.count_include_pad = True
    m.divide = True
    return m


def volumetric_max_pooling(fields, path):
    m = _pool("VolumetricMaxPooling", fields, path, volumetric=True)
    m.ceil_mode = bool(fields.get("ceil_mode"))
    return m


def volumetric_average_pooling(fields, path):
    m = _pool("VolumetricAveragePooling", fields, path, volumetric=True)
    m.count_include_pad = True  # cudnn: CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING always
    return m


_ACTIVATION_MODES = {"cudnn.ReLU": "CUDNN_ACTIVATION_RELU", "cudnn.Tanh": "CUDNN_ACTIVATION_TANH",
                     "cudnn.Sigmoid": "CUDNN_ACTIVATION_SIGMOID",
                     "cudnn.ClippedReLU": "CUDNN_ACTIVATION_CLIPPED_RELU"}
_ACTIVATIONS = {"CUDNN_ACTIVATION_RELU": "ReLU", "CUDNN_ACTIVATION_TANH": "Tanh",
                "CUDNN_ACTIVATION_SIGMOID": "Sigmoid"}


def activation(typename):
    def convert(fields, path):
        # the mode a module ran with decides its function (cudnn.ReLU's mode is set on use)
        mode = fields.get("mode") or _ACTIVATION_MODES[typename]
        inplace = bool(fields.get("inplace"))
        if mode == "CUDNN_ACTIVATION_CLIPPED_RELU":
            ceiling = fields.get("ceiling")
            if ceiling is None:
                raise LegacyError("%s: a clipped ReLU without its ceiling" % path)
            m = build("HardTanh", (0, ceiling, inplace), fields, drop=("ceiling",))
            return m
        name = _ACTIVATIONS.get(mode)
        if name is None:
            raise LegacyError("%s: unknown cudnn activation mode %r" % (path, mode))
        if name == "ReLU":
            return build("ReLU", (inplace,), fields)
        # nn.Tanh/Sigmoid have no in-place form: the output is the same function
        return build(name, (), fields, drop=("inplace",))
    return convert


_SOFTMAX = {"cudnn.SoftMax": ("CUDNN_SOFTMAX_MODE_INSTANCE", "CUDNN_SOFTMAX_ACCURATE"),
            "cudnn.LogSoftMax": ("CUDNN_SOFTMAX_MODE_INSTANCE", "CUDNN_SOFTMAX_LOG"),
            "cudnn.SpatialSoftMax": ("CUDNN_SOFTMAX_MODE_CHANNEL", "CUDNN_SOFTMAX_ACCURATE"),
            "cudnn.SpatialLogSoftMax": ("CUDNN_SOFTMAX_MODE_CHANNEL", "CUDNN_SOFTMAX_LOG")}


def softmax(typename):
    def convert(fields, path):
        mode, algorithm = _SOFTMAX[typename]
        # cudnn.SoftMax/LogSoftMax set mode and algorithm on each forward; the spatial ones
        # keep what their constructor (or a user) set
        if typename.startswith("cudnn.Spatial"):
            mode = fields.get("mode") or mode
            algorithm = fields.get("algorithm") or algorithm
        if mode not in ("CUDNN_SOFTMAX_MODE_INSTANCE", "CUDNN_SOFTMAX_MODE_CHANNEL"):
            raise LegacyError("%s: unknown cudnn softmax mode %r" % (path, mode))
        if algorithm not in ("CUDNN_SOFTMAX_ACCURATE", "CUDNN_SOFTMAX_FAST", "CUDNN_SOFTMAX_LOG"):
            raise LegacyError("%s: unknown cudnn softmax algorithm %r" % (path, algorithm))
        log = algorithm == "CUDNN_SOFTMAX_LOG"
        if mode == "CUDNN_SOFTMAX_MODE_INSTANCE":
            name = "LogSoftMax" if log else "SoftMax"
        else:
            name = "SpatialLogSoftMax" if log else "SpatialSoftMax"
        return build(name, (), fields)
    return convert


def batch_normalization(typename):
    nn_name = typename.split(".", 1)[1]

    def convert(fields, path):
        (rm,) = _need(fields, path, "running_mean")
        if fields.get("running_var") is None and isinstance(fields.get("running_std"), Tensor):
            # cudnn BatchNormalization:read of a version-1 file: var = std^-2 - eps
            std = fields.pop("running_std")
            fields["running_var"] = std.clone().pow(-2).add(-fields.get("eps", 1e-5))
        affine = fields.get("affine")
        affine = (fields.get("weight") is not None) if affine is None else bool(affine)
        args = (rm.nElement(), fields.get("eps", 1e-5), fields.get("momentum", 0.1), affine)
        m = build(nn_name, args, fields, drop=("save_mean", "save_std"))
        if not affine:
            m.weight = m.bias = m.gradWeight = m.gradBias = None
        return m
    return convert


def cross_map_lrn(fields, path):
    g = fields.get
    if g("K") is not None and g("k") is None:
        fields["k"] = fields.pop("K")
    return build("SpatialCrossMapLRN", (g("size", 5), g("alpha", 1e-4), g("beta", 0.75),
                                        g("k", 1.0)), fields)


CONVERTERS = {
    "cudnn.SpatialConvolution": spatial_convolution,
    "cudnn.SpatialFullConvolution": spatial_full_convolution,
    "cudnn.VolumetricConvolution": volumetric_convolution,
    "cudnn.VolumetricFullConvolution": volumetric_full_convolution,
    "cudnn.TemporalConvolution": temporal_convolution,
    "cudnn.SpatialMaxPooling": spatial_max_pooling,
    "cudnn.SpatialAveragePooling": spatial_average_pooling,
    "cudnn.VolumetricMaxPooling": volumetric_max_pooling,
    "cudnn.VolumetricAveragePooling": volumetric_average_pooling,
    "cudnn.SpatialCrossMapLRN": cross_map_lrn,
}
for _name in _ACTIVATION_MODES:
    CONVERTERS[_name] = activation(_name)
for _name in _SOFTMAX:
    CONVERTERS[_name] = softmax(_name)
for _name in ("BatchNormalization", "SpatialBatchNormalization", "VolumetricBatchNormalization"):
    CONVERTERS["cudnn." + _name] = batch_normalization("cudnn." + _name)
