"""The converters: one function per Torch7 class, building the PyTorch module from the layer's
fields. Imported only when an export is asked for (it imports torch)."""
import inspect
import weakref

import numpy as np
import torch
from torch import nn as tnn

from .. import nn as _nn  # noqa: F401  (registers the classes the converters name)
from ..nn import utils as _utils
from ..nn._state_dict import fields as _ftab
from ..nn._state_dict import state_dict as _t7_state_dict
from ..nn.criterion import Criterion
from . import tmodules as T
from . import tmodules_more as T2
from . import tmodules_ern as TE
from .errors import ExportError

# how each exported module was built: module -> (callable name, args, kwargs), for --code
CTORS = weakref.WeakKeyDictionary()

_CONVERTERS = {}
# converters the user supplies (register_converter, or to_pytorch's converters=): typename ->
# fn(layer) -> torch.nn.Module, for classes of the user's own project (char-rnn's OneHot,
# torch-rnn's nn.LSTM) that no converter here can know
_USER = {}


def register_converter(typename, fn):
    """Make ``fn(layer)`` the PyTorch form of the Torch class ``typename`` in every export."""
    if not callable(fn):
        raise TypeError('register_converter: fn must be callable (layer -> torch.nn.Module)')
    _USER[typename] = fn
    return fn


def converter(*typenames):
    def deco(fn):
        for t in typenames:
            _CONVERTERS['nn.' + t] = fn
        return fn
    return deco


class _Ctx:
    def __init__(self):
        self.memo = {}
        self.layers = {}

    def mk(self, cls, *args, **kwargs):
        """Builds cls(*args, **kwargs) and records the call (for the generated source)."""
        m = cls(*args, **kwargs)
        if cls.__module__.startswith('torch.nn'):
            name = 'nn.' + cls.__name__
        else:
            name = cls.__name__
        CTORS[m] = (name, args, kwargs)
        return m

    def child(self, m):
        key = id(m)
        if key not in self.memo:
            self.layers[key] = m
            self.memo[key] = _CONVERTERS[_kind(m)](m, self)
        return self.memo[key]


def _user_converter(typename, fn):
    takes_convert = _positional_count(fn) >= 2

    def convert(m, c):
        # fn(layer, convert): a wrapper of its own project (torch-rnn's LanguageModel holds its
        # net in a field) builds its form from the exported forms of its parts
        out = fn(m, c.child) if takes_convert else fn(m)
        if not isinstance(out, torch.nn.Module):
            raise ExportError('the converter given for %s returned %s, not a torch.nn.Module'
                              % (typename, type(out).__name__))
        return out
    return convert


def _positional_count(fn):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return 2
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
               for p in params)


def _kind(m):
    """The converter's key: the object's Torch7 class, else the nearest base class that has a
    converter, provided no subclass on the way computes its own function (a subclass of
    nn.Linear that only adds fields converts as nn.Linear; one with its own updateOutput
    does not convert; SpatialLPPooling converts as the Sequential it is)."""
    t = _utils.typename(m)
    if t in _CONVERTERS:
        return t
    for cls in type(m).__mro__:
        name = cls.__dict__.get('typename')
        if name in _CONVERTERS:
            return name
        own = [k for k in ('updateOutput', 'updateGradInput', 'accGradParameters')
               if k in cls.__dict__]
        if own and (own != ['accGradParameters'] or _t7_state_dict(m)):
            break   # its own function (an accGradParameters matters only with parameters)
    return t


def _f(m, name, default=None):
    v = _ftab(m).get(name)
    return default if v is None else v


def _pad(m, name):
    """A padding field as the module's forward reads it: files of older nn versions have one
    'padding' field for both sides, or none (0), upgraded by the module on its first forward."""
    return _f(m, name, _f(m, 'padding', 0))


def _has_bias(m):
    b = m.__dict__.get('bias')
    return _utils.is_tensor(b) and b.nElement() > 0


# ---- what can be converted -------------------------------------------------------------------

def _unsupported(m):
    """A reason this configured layer has no exact PyTorch form, or None."""
    t = _kind(m)
    if t not in _CONVERTERS:
        if isinstance(m, dict):
            from ..serialization.packages import package_of
            pkg = package_of(t)
            return ('no PyTorch converter for this class (a class torch7py does not know%s, '
                    'loaded as its fields: give its PyTorch form, below)'
                    % (', of %s' % pkg if pkg else ''))
        if not type(m).__module__.startswith('torch7py.'):
            return ('no PyTorch converter for this class (a class of its own project, with its '
                    'own updateOutput: give its PyTorch form, below)')
        return 'no PyTorch converter for this class'
    if t.startswith('cudnn.') and m.__dict__.get('train', True) and float(
            m.__dict__.get('dropout') or 0) > 0 and int(m.__dict__.get('numLayers', 1)) > 1:
        return 'dropout between layers in training mode (call evaluate())'
    if t == 'nn.IndexLinear' and _f(m, 'weightDecay', 0):
        return 'weightDecay (IndexLinear applies it per entry in its update, not as a gradient)'
    if t in ('nn.SpatialMaxUnpooling', 'nn.VolumetricMaxUnpooling'):
        pool = m.__dict__.get('pooling')
        if pool is None:
            return 'its pooling module is missing'
    return None


def walk(m, path, out):
    reason = _unsupported(m)
    if reason:
        out.append((path or '(root)', _utils.typename(m), reason))
    t = _kind(m)
    if reason and t not in _CONVERTERS:
        return out
    kids = _ftab(m).get('modules')
    if kids is None:
        kids = _ftab(m).get('criterions')
    if isinstance(kids, list) and t in _CONTAINERS:
        if t == 'nn.MapTable':
            kids = [_map_module(m)]
        for i, c in enumerate(kids):
            walk(c, '%s.%d' % (path, i) if path else str(i), out)
    return out


# ---- containers ------------------------------------------------------------------------------

_CONTAINERS = set()


def container(*typenames):
    for t in typenames:
        _CONTAINERS.add('nn.' + t)
    return converter(*typenames)


# SpatialLPPooling is a Sequential (Power/Square, SpatialSubSampling of fixed weights, Sqrt):
# it computes what its modules compute (Torch7 never trains those weights; PyTorch could)
@container('Sequential', 'SpatialLPPooling')
def _sequential(m, c):
    return c.mk(tnn.Sequential, *[c.child(x) for x in m.modules])


@container('Concat')
def _concat(m, c):
    return c.mk(T.Concat, m.dimension, *[c.child(x) for x in m.modules])


@container('DepthConcat')
def _depth_concat(m, c):
    return c.mk(T.DepthConcat, m.dimension, *[c.child(x) for x in m.modules])


@container('ConcatTable')
def _concat_table(m, c):
    return c.mk(T.ConcatTable, *[c.child(x) for x in m.modules])


@container('ParallelTable')
def _parallel_table(m, c):
    return c.mk(T.ParallelTable, *[c.child(x) for x in m.modules])


@container('MapTable')
def _map_table(m, c):
    return c.mk(T.MapTable, c.child(_map_module(m)))


def _map_module(m):
    return m.__dict__.get('module') or m.modules[0]


@container('Parallel')
def _parallel(m, c):
    return c.mk(T.Parallel, m.inputDimension, m.outputDimension,
                *[c.child(x) for x in m.modules])


@container('Bottle')
def _bottle(m, c):
    return c.mk(T.Bottle, m.nInputDim, m.nOutputDim, c.child(m.modules[0]))


def _seq(t):
    """The array part of a Lua table: nngraph's mapindex and graph's children hold their
    items at 1..n and, keyed by each item, its index (a dict once loaded)."""
    if t is None:
        return []
    if isinstance(t, dict):
        return [t[k] for k in sorted(k for k in t if isinstance(k, int))]
    return list(t)


@container('gModule')
def _gmodule(m, c):
    """nngraph's gModule, read from Torch7's fields (forwardnodes, innode, outnode, each node's
    data: module, mapindex, selectindex), so a gModule loaded as a plain field table converts
    as well as one made by torch7py's nngraph."""
    g = _ftab(m)
    mods = list(g['modules'])
    nodes = list(g['forwardnodes'])
    step_of = {id(_ftab(n)['data']): i for i, n in enumerate(nodes)}
    step_of.update({id(_ftab(_ftab(n)['data'])): i for i, n in enumerate(nodes)})
    in_data = id(_ftab(g['innode'])['data'])
    out_data = id(_ftab(g['outnode'])['data'])
    steps = []
    for n in nodes:
        d = _ftab(_ftab(n)['data'])
        module = d.get('module')
        mi = -1
        if module is not None:
            mi = next(i for i, x in enumerate(mods) if x is module)
        parents = _seq(d.get('mapindex'))
        steps.append((mi, int(d.get('selectindex') or 0), [step_of[id(p)] for p in parents]))
    n_inputs = g.get('nInputs') or len(_seq(_ftab(g['innode'])['children']))
    single = len(_seq(_ftab(g['outnode'])['children'])) == 1
    return c.mk(T.Graph, steps, step_of[in_data], step_of[out_data], int(n_inputs), single,
                *[c.child(x) for x in mods])


# ---- linear and convolutions -----------------------------------------------------------------

@converter('Linear')
def _linear(m, c):
    out, inp = m.weight._size
    return c.mk(tnn.Linear, inp, out, bias=_has_bias(m))


@converter('SpatialConvolution', 'SpatialConvolutionMM', 'SpatialDilatedConvolution')
def _conv2d(m, c):
    groups = _f(m, 'groups', 1)
    kw = dict(stride=(m.dH, m.dW), padding=(_pad(m, 'padH'), _pad(m, 'padW')),
              bias=_has_bias(m))
    if _f(m, 'dilationW', 1) != 1 or _f(m, 'dilationH', 1) != 1:
        kw['dilation'] = (m.dilationH, m.dilationW)
    if groups != 1:
        kw['groups'] = groups
    return c.mk(tnn.Conv2d, m.nInputPlane, m.nOutputPlane, (m.kH, m.kW), **kw)


@converter('VolumetricConvolution', 'VolumetricDilatedConvolution')
def _conv3d(m, c):
    kw = dict(stride=(m.dT, m.dH, m.dW),
              padding=(_f(m, 'padT', 0), _f(m, 'padH', 0), _f(m, 'padW', 0)),
              bias=_has_bias(m))
    if any(_f(m, k, 1) != 1 for k in ('dilationT', 'dilationH', 'dilationW')):
        kw['dilation'] = (m.dilationT, m.dilationH, m.dilationW)
    return c.mk(tnn.Conv3d, m.nInputPlane, m.nOutputPlane, (m.kT, m.kH, m.kW), **kw)


@converter('SpatialFullConvolution')
def _full2d(m, c):
    return c.mk(tnn.ConvTranspose2d, m.nInputPlane, m.nOutputPlane, (m.kH, m.kW),
                stride=(m.dH, m.dW), padding=(_pad(m, 'padH'), _pad(m, 'padW')),
                output_padding=(_f(m, 'adjH', 0), _f(m, 'adjW', 0)), bias=_has_bias(m))


@converter('VolumetricFullConvolution')
def _full3d(m, c):
    return c.mk(tnn.ConvTranspose3d, m.nInputPlane, m.nOutputPlane, (m.kT, m.kH, m.kW),
                stride=(m.dT, m.dH, m.dW), padding=(m.padT, m.padH, m.padW),
                output_padding=(_f(m, 'adjT', 0), _f(m, 'adjH', 0), _f(m, 'adjW', 0)),
                bias=_has_bias(m))


@converter('SpatialDepthWiseConvolution')
def _depthwise(m, c):
    # nn 8726825's module: nOutputPlane kernels per input plane (THNN reads them off the
    # weight, 2-D (nOutputPlane, nInputPlane*kH*kW) or, after a call, 4-D)
    w = m.weight
    nin = w.size(2) if w.dim() == 4 else w.size(2) // (m.kW * m.kH)
    return c.mk(T.DepthWiseConvolution, nin, w.size(1), m.kW, m.kH,
                m.dW, m.dH, m.padW, m.padH, bias=_has_bias(m), weight4d=w.dim() == 4)


@converter('SpatialConvolutionMap')
def _conv_map(m, c):
    conn = [[int(a) - 1, int(b) - 1] for a, b in m.connTable.numpy().tolist()]
    return c.mk(T.ConvolutionMap, conn, m.nOutputPlane, m.kW, m.kH, m.dW, m.dH)


@converter('SpatialFullConvolutionMap')
def _full_conv_map(m, c):
    conn = [[int(a) - 1, int(b) - 1] for a, b in m.connTable.numpy().tolist()]
    return c.mk(T.FullConvolutionMap, conn, m.nOutputPlane, m.kW, m.kH, m.dW, m.dH)


@converter('SpatialConvolutionLocal')
def _conv_local(m, c):
    return c.mk(T.ConvolutionLocal, m.nInputPlane, m.nOutputPlane, m.oH, m.oW, m.kW, m.kH,
                m.dW, m.dH, m.padW, m.padH)


@converter('TemporalConvolution')
def _temporal(m, c):
    return c.mk(T.TemporalConvolution, m.inputFrameSize, m.outputFrameSize, m.kW, m.dW)


# ---- pooling ---------------------------------------------------------------------------------

@converter('SpatialMaxPooling', 'SpatialDilatedMaxPooling')
def _maxpool2d(m, c):
    dil = (_f(m, 'dilationH', 1), _f(m, 'dilationW', 1))
    return c.mk(T.Pool, 'max', 2, (m.kH, m.kW), (m.dH, m.dW), (_pad(m, 'padH'), _pad(m, 'padW')),
                dilation=dil, ceil_mode=bool(_f(m, 'ceil_mode', False)))


@converter('VolumetricMaxPooling', 'VolumetricDilatedMaxPooling')
def _maxpool3d(m, c):
    dil = (_f(m, 'dilationT', 1), _f(m, 'dilationH', 1), _f(m, 'dilationW', 1))
    return c.mk(T.Pool, 'max', 3, (m.kT, m.kH, m.kW), (m.dT, m.dH, m.dW),
                (m.padT, m.padH, m.padW), dilation=dil,
                ceil_mode=bool(_f(m, 'ceil_mode', False)))


@converter('SpatialAveragePooling')
def _avgpool2d(m, c):
    return c.mk(T.Pool, 'avg', 2, (m.kH, m.kW), (m.dH, m.dW), (_pad(m, 'padH'), _pad(m, 'padW')),
                ceil_mode=bool(_f(m, 'ceil_mode', False)),
                count_include_pad=bool(_f(m, 'count_include_pad', True)),
                divide=bool(_f(m, 'divide', True)))


@converter('VolumetricAveragePooling')
def _avgpool3d(m, c):
    return c.mk(T.Pool, 'avg', 3, (m.kT, m.kH, m.kW), (m.dT, m.dH, m.dW),
                (_f(m, 'padT', 0), _f(m, 'padH', 0), _f(m, 'padW', 0)),
                ceil_mode=bool(_f(m, 'ceil_mode', False)),
                count_include_pad=bool(_f(m, 'count_include_pad', True)))


@converter('SpatialMaxUnpooling')
def _unpool2d(m, c):
    return c.mk(T.MaxUnpooling, 2, c.child(m.pooling))


@converter('VolumetricMaxUnpooling')
def _unpool3d(m, c):
    return c.mk(T.MaxUnpooling, 3, c.child(m.pooling))


@converter('TemporalMaxPooling')
def _tmaxpool(m, c):
    return c.mk(T.TemporalMaxPooling, m.kW, m.dW)


@converter('SpatialAdaptiveMaxPooling')
def _amax(m, c):
    return c.mk(T.AdaptivePool, 'max', m.H, m.W)


@converter('SpatialAdaptiveAveragePooling')
def _aavg(m, c):
    return c.mk(T.AdaptivePool, 'avg', m.H, m.W)


# ---- normalisation, dropout ------------------------------------------------------------------

def _bn(nd):
    def conv(m, c):
        affine = _utils.is_tensor(m.__dict__.get('weight'))
        return c.mk(T.BatchNorm, m.running_mean.nElement(), float(m.eps), float(m.momentum),
                    affine, nd)
    return conv


converter('BatchNormalization')(_bn(2))
converter('SpatialBatchNormalization')(_bn(4))
converter('VolumetricBatchNormalization')(_bn(5))


@converter('Dropout')
def _dropout(m, c):
    return c.mk(T.Dropout, float(m.p), v1=not m.__dict__.get('v2', False),
                stochastic_inference=bool(_f(m, 'stochastic_inference', False)))


@converter('SpatialDropout')
def _sdropout(m, c):
    return c.mk(T.Dropout, float(m.p), v1=True, feature_dims=2,
                stochastic_inference=bool(_f(m, 'stochastic_inference', False)))


@converter('VolumetricDropout')
def _vdropout(m, c):
    return c.mk(T.Dropout, float(m.p), v1=True, feature_dims=3,
                stochastic_inference=bool(_f(m, 'stochastic_inference', False)))


@converter('Normalize')
def _normalize(m, c):
    return c.mk(T.Normalize, float(m.p), float(m.eps))


# ---- activations -----------------------------------------------------------------------------

def _stock(cls, *args):
    return lambda m, c: c.mk(cls, *args)


for _name, _cls in (('Tanh', tnn.Tanh), ('Sigmoid', tnn.Sigmoid), ('ReLU6', tnn.ReLU6),
                    ('Identity', tnn.Identity), ('Copy', tnn.Identity),
                    ('Contiguous', tnn.Identity)):
    converter(_name)(_stock(_cls))


@converter('ReLU')
def _relu(m, c):
    return c.mk(tnn.ReLU)


def _pw(kind, *fields):
    def conv(m, c):
        return c.mk(T.Pointwise, kind, *[float(getattr(m, f)) for f in fields])
    return conv


for _name, _pw_fields in (('Abs', ()), ('Exp', ()), ('Log', ()), ('Square', ()), ('Sqrt', ('eps',)),
                       ('Power', ('pow',)), ('MulConstant', ('constant_scalar',)),
                       ('AddConstant', ('constant_scalar',)), ('Clamp', ('min_val', 'max_val')),
                       ('Threshold', ('threshold', 'val')), ('HardTanh', ('min_val', 'max_val')),
                       ('SoftPlus', ('beta', 'threshold')), ('SoftSign', ()),
                       ('SoftShrink', ('lambda',)), ('HardShrink', ('lambda',)),
                       ('TanhShrink', ()), ('LogSigmoid', ()), ('ELU', ('alpha',)),
                       ('LeakyReLU', ('negval',)),
                       ('GradientReversal', ('lambda',))):
    converter(_name)(_pw(_name, *_pw_fields))


@converter('SoftMax', 'SpatialSoftMax')
def _softmax(m, c):
    return c.mk(T.SoftMax)


@converter('LogSoftMax', 'SpatialLogSoftMax')
def _logsoftmax(m, c):
    return c.mk(T.SoftMax, log=True)


@converter('SoftMin')
def _softmin(m, c):
    return c.mk(T.SoftMax, negate=True)


@converter('PReLU')
def _prelu(m, c):
    return c.mk(T.PReLU, int(_f(m, 'nOutputPlane', 0)))


@converter('CMul')
def _cmul(m, c):
    return c.mk(T.CMul, tuple(m.weight._size))


@converter('Mul')
def _mul(m, c):
    return c.mk(T.CMul, (1,))


@converter('CAdd', 'Add')
def _cadd(m, c):
    return c.mk(T.CMul, tuple(m.bias._size), add=True, name='bias')


@converter('LookupTable')
def _lookup(m, c):
    n, d = m.weight._size
    kw = {}
    if _f(m, 'maxNorm'):
        # LookupTable.lua: normType or 2
        kw = dict(maxNorm=float(m.maxNorm), normType=float(_f(m, 'normType', 2)))
    return c.mk(T.LookupTable, n, d, paddingValue=int(_f(m, 'paddingValue', 0)),
                scaleGradByFreq=bool(_f(m, 'shouldScaleGradByFreq', False)), **kw)


@converter('SpatialSubSampling')
def _subsampling(m, c):
    return c.mk(T.SubSampling, 2, m.nInputPlane, (m.kH, m.kW), (m.dH, m.dW))


@converter('TemporalSubSampling')
def _tsubsampling(m, c):
    return c.mk(T.SubSampling, 1, m.inputFrameSize, (m.kW,), (m.dW,))


@converter('SpatialCrossMapLRN')
def _lrn(m, c):
    return c.mk(T.CrossMapLRN, m.size, float(m.alpha), float(m.beta), float(m.k))


@converter('GatedLinearUnit')
def _glu(m, c):
    return c.mk(T.GatedLinearUnit, _f(m, 'dim'))


@converter('PixelShuffle')
def _pixel_shuffle(m, c):
    return c.mk(T.PixelShuffle, m.upscaleFactor)


@converter('MM')
def _mm(m, c):
    return c.mk(T.MM, bool(_f(m, 'transA', False)), bool(_f(m, 'transB', False)))


@converter('MV')
def _mv(m, c):
    return c.mk(T.MV, bool(_f(m, 'trans', False)))


@converter('Cosine')
def _cosine(m, c):
    out, inp = m.weight._size
    return c.mk(T.Cosine, inp, out)


@converter('Euclidean')
def _euclidean(m, c):
    return c.mk(T.Euclidean, *m.weight._size)


for _name in ('Decorator', 'DontCast', 'NaN', 'Profile', 'GPU'):
    _CONTAINERS.add('nn.' + _name)
    converter(_name)(lambda m, c: c.mk(T.Decorator, c.child(m.modules[0])))

converter('PrintSize')(_stock(tnn.Identity))
converter('MaskedSelect')(_stock(T.MaskedSelect))
converter('WhiteNoise')(lambda m, c: c.mk(T.WhiteNoise, float(m.mean), float(m.std)))
converter('CReLU')(lambda m, c: c.mk(T.CReLU, m.nInputDims))
converter('ZeroGrad')(_stock(T.ZeroGrad))
converter('ZipTable')(_stock(T.ZipTable))
converter('ZipTableOneToMany')(_stock(T.ZipTableOneToMany))
converter('CAddTensorTable')(_stock(T.CAddTensorTable))


@converter('L1Penalty')
def _l1penalty(m, c):
    return c.mk(T.L1Penalty, float(m.l1weight), _f(m, 'sizeAverage') is True,
                _f(m, 'provideOutput', True) is True)


@converter('LinearWeightNorm')
def _linear_weight_norm(m, c):
    out, inp = m.v._size
    return c.mk(T2.LinearWeightNorm, inp, out, _has_bias(m), float(_f(m, 'eps', 1e-16)))


@converter('MixtureTable')
def _mixture_table(m, c):
    d = _f(m, 'dim')
    return c.mk(T2.MixtureTable, None if d is None else int(d))


@converter('FeatureLPPooling')
def _feature_lp_pooling(m, c):
    return c.mk(T2.FeatureLPPooling, int(m.width), int(m.stride), float(m.power),
                bool(_f(m, 'batch_mode', False)))


@container('WeightNorm')
def _weight_norm(m, c):
    inner = c.child(m.modules[0])
    if not isinstance(getattr(inner, '_parameters', {}).get('weight'), tnn.Parameter):
        raise ExportError('nn.WeightNorm: the PyTorch form of its %s has no weight parameter'
                          % _utils.typename(m.modules[0]))
    return c.mk(T2.WeightNorm, inner, int(_f(m, 'outputDim', 1)), list(m.viewOut),
                list(m.g._size))


@converter('TemporalDynamicKMaxPooling')
def _temporal_dynamic_k_max_pooling(m, c):
    return c.mk(T2.TemporalDynamicKMaxPooling, int(m.minK), float(_f(m, 'factor', 0)))


converter('L1Cost')(_stock(T2.L1Cost))


@converter('Collapse')
def _collapse(m, c):
    return c.mk(T.Collapse, m.nInputDim)


@converter('OneHot')
def _one_hot(m, c):
    return c.mk(T.OneHot, m.outputSize)


@converter('Index')
def _index(m, c):
    return c.mk(T.Index, m.dimension)


@converter('Constant')
def _constant(m, c):
    return c.mk(T.Constant, m.value.numpy().tolist(), _f(m, 'nInputDim'))


@converter('TemporalRowConvolution')
def _trowconv(m, c):
    return c.mk(T.TemporalRowConvolution, m.inputFrameSize, m.kW, m.dW,
                bool(_f(m, 'featFirst', False)), bias=_has_bias(m))


# ---- shapes ----------------------------------------------------------------------------------

@converter('View')
def _view(m, c):
    return c.mk(T.View, [int(v) for v in m.size._data], numInputDims=_f(m, 'numInputDims'))


@converter('Reshape')
def _reshape(m, c):
    return c.mk(T.Reshape, [int(v) for v in m.size._data], batchMode=_f(m, 'batchMode'))


@converter('Transpose')
def _transpose(m, c):
    return c.mk(T.Transpose, [list(p) for p in m.permutations],
                numInputDims=_f(m, 'numInputDims'))


@converter('Narrow')
def _narrow(m, c):
    return c.mk(T.Narrow, m.dimension, m.index, m.length)


@converter('Select')
def _select(m, c):
    return c.mk(T.Select, m.dimension, m.index)


@converter('Squeeze')
def _squeeze(m, c):
    return c.mk(T.Squeeze, _f(m, 'dim'), _f(m, 'numInputDims'))


@converter('Unsqueeze')
def _unsqueeze(m, c):
    return c.mk(T.Unsqueeze, m.pos, _f(m, 'numInputDims'))


@converter('Padding')
def _padding(m, c):
    return c.mk(T.Padding, m.dim, m.pad, _f(m, 'nInputDim'), float(_f(m, 'value', 0)),
                _f(m, 'index', 1))


def _pads(m, c, mode):
    return c.mk(T.SpatialPadding, [m.pad_l, m.pad_r, m.pad_t, m.pad_b], mode)


converter('SpatialZeroPadding')(lambda m, c: _pads(m, c, 'constant'))
converter('SpatialReflectionPadding')(lambda m, c: _pads(m, c, 'reflect'))
converter('SpatialReplicationPadding')(lambda m, c: _pads(m, c, 'replicate'))


@converter('VolumetricReplicationPadding')
def _vpad(m, c):
    return c.mk(T.SpatialPadding, [m.pleft, m.pright, m.ptop, m.pbottom, m.pfront, m.pback],
                'replicate')


@converter('SpatialUpSamplingNearest')
def _upnearest(m, c):
    return c.mk(T.UpSamplingNearest, int(m.scale_factor))


@converter('SpatialUpSamplingBilinear')
def _upbilinear(m, c):
    return c.mk(T.UpSamplingBilinear, _f(m, 'scale_factor'), _f(m, 'oheight'), _f(m, 'owidth'))


def _reduce(kind):
    def conv(m, c):
        return c.mk(T.Reduce, kind, m.dimension, _f(m, 'nInputDims'),
                    bool(_f(m, 'sizeAverage', False)), bool(_f(m, 'squeeze', True)))
    return conv


for _name in ('Sum', 'Mean', 'Max', 'Min'):
    converter(_name)(_reduce(_name))


@converter('Replicate')
def _replicate(m, c):
    return c.mk(T.Replicate, m.nfeatures, m.dim, _f(m, 'ndim'))


# ---- table layers ----------------------------------------------------------------------------

for _name, _op in (('CAddTable', 'add'), ('CSubTable', 'sub'), ('CMulTable', 'mul'),
                   ('CDivTable', 'div'), ('CMaxTable', 'max'), ('CMinTable', 'min')):
    converter(_name)(_stock(T.CTable, _op))


@converter('JoinTable')
def _join(m, c):
    return c.mk(T.JoinTable, m.dimension, _f(m, 'nInputDims'))


@converter('SplitTable')
def _split(m, c):
    return c.mk(T.SplitTable, m.dimension, _f(m, 'nInputDims'))


@converter('SelectTable')
def _select_table(m, c):
    return c.mk(T.SelectTable, m.index)


@converter('NarrowTable')
def _narrow_table(m, c):
    return c.mk(T.NarrowTable, m.offset, m.length)


@converter('FlattenTable')
def _flatten_table(m, c):
    return c.mk(T.FlattenTable)


@converter('PairwiseDistance')
def _pairwise(m, c):
    return c.mk(T.PairwiseDistance, float(m.norm))


converter('CosineDistance')(_stock(T.CosineDistance))
converter('DotProduct')(_stock(T.DotProduct))


@converter('Bilinear')
def _bilinear(m, c):
    out, in1, in2 = m.weight._size
    return c.mk(T.Bilinear, in1, in2, out, bias=_has_bias(m))


# ---- criterions ------------------------------------------------------------------------------

def _weights(m):
    w = m.__dict__.get('weights')
    return None if not _utils.is_tensor(w) or w.nElement() == 0 else w.numpy().tolist()


def _crit(kind, margin=None):
    def conv(m, c):
        kw = dict(sizeAverage=bool(_f(m, 'sizeAverage', True)))
        if margin is not None:
            kw['margin'] = float(_f(m, 'margin', margin))
        if kind in ('BCE', 'ClassNLL', 'MultiMargin', 'MultiLabelSoftMargin',
                    'SpatialClassNLL'):
            kw['weights'] = _weights(m)
        if kind in ('ClassNLL', 'SpatialClassNLL'):
            kw['ignoreIndex'] = int(_f(m, 'ignoreIndex', -100))
        if kind == 'WeightedMSE':
            kw['weights'] = m.weight.numpy().tolist()
        if kind == 'MultiMargin':
            kw['p'] = int(_f(m, 'p', 1))
        if kind == 'CrossEntropy':
            kw['weights'] = _weights(m.nll)
            kw['sizeAverage'] = bool(_f(m.nll, 'sizeAverage', True))
        return c.mk(T.Criterion, kind, **kw)
    return conv


for _name, _crit_kind, _margin in (('MSECriterion', 'MSE', None), ('AbsCriterion', 'Abs', None),
                              ('SmoothL1Criterion', 'SmoothL1', None),
                              ('BCECriterion', 'BCE', None),
                              ('DistKLDivCriterion', 'DistKLDiv', None),
                              ('ClassNLLCriterion', 'ClassNLL', None),
                              ('CrossEntropyCriterion', 'CrossEntropy', None),
                              ('SoftMarginCriterion', 'SoftMargin', None),
                              ('MultiLabelSoftMarginCriterion', 'MultiLabelSoftMargin', None),
                              ('MarginRankingCriterion', 'MarginRanking', 1.0),
                              ('HingeEmbeddingCriterion', 'HingeEmbedding', 1.0),
                              ('MultiMarginCriterion', 'MultiMargin', 1.0),
                              ('CosineEmbeddingCriterion', 'CosineEmbedding', 0.0),
                              ('SpatialClassNLLCriterion', 'SpatialClassNLL', None),
                              ('MarginCriterion', 'Margin', 1.0),
                              ('MultiLabelMarginCriterion', 'MultiLabelMargin', None),
                              ('L1HingeEmbeddingCriterion', 'L1HingeEmbedding', 1.0),
                              ('WeightedMSECriterion', 'WeightedMSE', None)):
    converter(_name)(_crit(_crit_kind, _margin))


@container('ParallelCriterion')
def _parallel_criterion(m, c):
    return c.mk(T.ParallelCriterion, [float(w) for w in m.weights],
                bool(_f(m, 'repeatTarget', False)), *[c.child(x) for x in m.criterions])


@container('MultiCriterion')
def _multi_criterion(m, c):
    return c.mk(T.MultiCriterion, [float(w) for w in m.weights._data],
                *[c.child(x) for x in m.criterions])


# ---- the driver ------------------------------------------------------------------------------

def _dtype(m):
    for t in _t7_state_dict(m).values():
        return torch.float32 if t.typename == 'torch.FloatTensor' else torch.float64
    if isinstance(m, Criterion):
        return torch.float64
    tname = _ftab(m).get('_type') or 'torch.DoubleTensor'
    return torch.float32 if tname == 'torch.FloatTensor' else torch.float64


def _fill_by_part(ctx, tmod, dtype):
    """Fills each exported part from its own Torch7 layer, where the export's names are not the
    Torch7 tree's (a converter given for a wrapper class built its form from its parts: the
    wrapper's fields are no 'modules' list, so the tree's state_dict does not reach them)."""
    parts = {id(p) for p in ctx.memo.values()}
    for key, part in ctx.memo.items():
        layer = ctx.layers[key]
        if any(id(sub) in parts for sub in part.modules() if sub is not part):
            continue    # made of other layers' parts: those layers fill them
        own = {k: torch.from_numpy(np.array(v.numpy(), dtype=_NP[dtype]))
               for k, v in _t7_state_dict(layer).items()}
        names = set(part.state_dict())
        if not own and not names:
            continue
        if set(own) != names:
            raise ExportError('cannot fill the PyTorch form of %s: it holds %s, the layer %s'
                              % (_utils.typename(layer), sorted(names) or 'nothing',
                                 sorted(own) or 'nothing'))
        part.load_state_dict(own, strict=True, assign=True)
    left = [n for n, t in list(tmod.named_parameters()) + list(tmod.named_buffers())
            if t.is_meta]
    if left:
        raise ExportError('cannot export: no Torch7 layer gives %s (a converter given for a '
                          'class returned parameters its layer does not hold)' % ', '.join(left))


def _tie_shared(module, tmod):
    """Parameters that share one tensor in Torch7 (clone('weight', 'bias')) become one
    nn.Parameter, so their gradients accumulate together as Torch7's do."""
    first = {}
    for name, t in _t7_state_dict(module).items():
        if t._storage is None:
            continue
        key = (id(t._storage), t._offset, t._size, t._stride)
        if key not in first:
            first[key] = name
            continue
        try:
            src = tmod.get_parameter(first[key])
            owner_path, _, attr = name.rpartition('.')
            owner = tmod.get_submodule(owner_path) if owner_path else tmod
            getattr(owner, attr)
        except AttributeError:
            continue    # filled part by part: the Torch7 tree's names are not the export's
        if isinstance(getattr(owner, attr), tnn.Parameter):
            setattr(owner, attr, src)


_NP = {torch.float64: np.float64, torch.float32: np.float32}


def to_pytorch(module, converters=None):
    """The export; ``converters`` (typename -> fn(layer) -> torch.nn.Module) adds to or
    overrides the converters for this call, after those given to register_converter."""
    given = dict(_USER)
    given.update(converters or {})
    saved = {t: _CONVERTERS.get(t) for t in given}
    try:
        for t, fn in given.items():
            if not callable(fn):
                raise TypeError('converters[%r] must be callable (layer -> torch.nn.Module)'
                                % t)
            _CONVERTERS[t] = _user_converter(t, fn)
        return _to_pytorch(module)
    finally:
        for t, old in saved.items():
            if old is None:
                _CONVERTERS.pop(t, None)
            else:
                _CONVERTERS[t] = old


def _to_pytorch(module):
    problems = walk(module, '', [])
    if problems:
        raise ExportError('cannot export %s: %d module(s) have no PyTorch form:\n%s\n'
                          'A class of your own project converts with a function you give: '
                          'to_pytorch(model, converters={name: fn}) or '
                          'torch7py.export.register_converter(name, fn), where fn(layer) '
                          'returns a torch.nn.Module holding the layer\'s state_dict entries '
                          '(weight, bias, ...: the export fills them); t7-to-pytorch --define '
                          'FILE.py runs a file that registers them' % (
                              _utils.typename(module), len(problems),
                              '\n'.join('  %s  %s: %s' % p for p in problems)))
    ctx = _Ctx()
    dtype = _dtype(module)
    if isinstance(module, Criterion):
        return ctx.child(module).to(dtype)
    # built on the meta device (no initialisation of weights that are replaced at once), then
    # every parameter and buffer is the state_dict's copy (strict: all of them are there)
    with torch.device('meta'):
        tmod = ctx.child(module)
    sd = {k: torch.from_numpy(np.array(v.numpy(), dtype=_NP[dtype])) for k, v in
          _t7_state_dict(module).items()}
    if set(sd) == set(tmod.state_dict()):
        tmod.load_state_dict(sd, strict=True, assign=True)
    else:
        _fill_by_part(ctx, tmod, dtype)
    if not isinstance(module, Criterion):
        _tie_shared(module, tmod)
        tmod.train(bool(_ftab(module).get('train', True)))
        _sync_train(module, tmod, ctx)
    return tmod


# a module whose train field was never set (nn's Module.__init__ sets none): the modules that
# read it set it in their __init__ (BatchNormalization, Dropout: true); IndexLinear reads
# 'self.train and 1 or 0', so nil is evaluation there
_TRAIN_UNSET = {'nn.IndexLinear': False}


def _sync_train(module, tmod, ctx):
    """Torch7's train flag is per module; each exported module gets its own."""
    todo = [module]
    while todo:
        m = todo.pop()
        t = ctx.memo.get(id(m))
        if t is not None:
            t.training = bool(_ftab(m).get('train', _TRAIN_UNSET.get(_kind(m), True)))
        kids = _ftab(m).get('modules')
        if isinstance(kids, list):
            todo.extend(kids)


# ---- local normalisations (2012-2015 models: torch/demos, tutorials' preprocessing) ---------

def _estimator(seq):
    """The kernels of a normalisation's mean/std estimator (a Sequential: [Square,]
    SpatialZeroPadding, SpatialConvolution | SpatialConvolutionMap + SpatialConvolution,
    Replicate[, Sqrt]) as nested lists, and its padding (left, top)."""
    mods = [x for x in seq.modules if _kind(x) not in ('nn.Square', 'nn.Sqrt', 'nn.Replicate')]
    pad, convs = mods[0], mods[1:]
    if _kind(pad) != 'nn.SpatialZeroPadding' or not 1 <= len(convs) <= 2:
        raise ExportError('a normalisation estimator of an unknown layout: %s'
                          % [_utils.typename(x) for x in seq.modules])
    out = []
    for conv in convs:
        w = conv.weight.numpy().astype(np.float64)
        if _kind(conv) == 'nn.SpatialConvolutionMap':
            w = w.reshape(w.shape[0], -1)
        else:
            w = w.reshape(conv.nOutputPlane, conv.nInputPlane, conv.kH, conv.kW)
        out += [w.tolist(), conv.bias.numpy().astype(np.float64).tolist()]
    return out, (int(pad.pad_l), int(pad.pad_t))


@converter('SpatialSubtractiveNormalization')
def _sub_norm(m, c):
    mean, pads = _estimator(m.meanestimator)
    return c.mk(T.LocalNorm, 'sub', pads, mean)


@converter('SpatialDivisiveNormalization')
def _div_norm(m, c):
    mean, pads = _estimator(m.meanestimator)
    std, _ = _estimator(m.stdestimator)
    eps = float(getattr(m.stdestimator.modules[-1], 'eps', 0) or 0)
    return c.mk(T.LocalNorm, 'div', pads, mean, std, float(m.threshold), float(m.thresval),
                eps)


@converter('SpatialContrastiveNormalization')
def _contrast_norm(m, c):
    return c.child(m.normalizer)


# ---- cudnn.torch's RNNs (GPU checkpoints, loaded as torch7py.legacy.rnn's modules) -------------

def _cudnn_rnn(m, c):
    def state(name):
        t = m.__dict__.get(name)
        if _utils.is_tensor(t) and t.nElement() > 0:
            return np.array(t.numpy(), dtype=np.float64)
        return None
    remember = bool(m.__dict__.get('rememberStates'))
    if remember:
        h0, c0 = state('hiddenOutput'), state('cellOutput')
    else:
        h0, c0 = state('hiddenInput'), state('cellInput')
    if m.mode != 'CUDNN_LSTM':
        c0 = None
    return c.mk(T.CudnnRNN, str(m.mode), int(m.inputSize), int(m.hiddenSize),
                int(m.numLayers), int(m.numDirections), bool(m.__dict__.get('batchFirst')),
                remember, [int(v) for v in m.weight._size],
                None if h0 is None else h0.tolist(), None if c0 is None else c0.tolist())


def _register_cudnn_rnns():
    from ..legacy.rnn import CLASSES
    for name in CLASSES:
        _CONVERTERS[name] = _cudnn_rnn


_register_cudnn_rnns()


def _cudnn_volumetric_softmax(m, c):
    return c.mk(T2.ChannelSoftMax, _kind(m) == 'cudnn.VolumetricLogSoftMax')


def _cudnn_cross_entropy(m, c):
    volumetric = _kind(m) == 'cudnn.VolumetricCrossEntropyCriterion'
    scec = m.scec if volumetric else m
    nll = scec.nll
    return c.mk(T2.ChannelCrossEntropy, 5 if volumetric else 4, _weights(nll),
                bool(_f(scec, 'sizeAverage', True)), int(_f(nll, 'ignoreIndex', -100)))


def _register_cudnn_volumetric():
    for name in ('cudnn.VolumetricSoftMax', 'cudnn.VolumetricLogSoftMax'):
        _CONVERTERS[name] = _cudnn_volumetric_softmax
    for name in ('cudnn.SpatialCrossEntropyCriterion', 'cudnn.VolumetricCrossEntropyCriterion'):
        _CONVERTERS[name] = _cudnn_cross_entropy


_register_cudnn_volumetric()


# ---- forms added in s10: WeightedEuclidean and the criterions of nn without one -------------

@converter('WeightedEuclidean')
def _weighted_euclidean(m, c):
    return c.mk(T2.WeightedEuclidean, *m.weight._size)


def _filled(form, layer):
    """form with the parameters of its Torch7 layer (a criterion's parts are not filled by the
    model's state_dict: a criterion is exported on its own)."""
    sd = _t7_state_dict(layer)
    if sd:
        form.to(_dtype(layer))      # in the layer's precision before its values are copied in
        form.load_state_dict({k: torch.from_numpy(np.array(v.numpy())) for k, v in sd.items()})
    return form


@converter('CriterionTable')
def _criterion_table(m, c):
    return c.mk(T2.CriterionTable, c.child(m.criterion))


@converter('ModuleCriterion')
def _module_criterion(m, c):
    parts = [None if _f(m, k) is None else _filled(c.child(m.__dict__[k]), m.__dict__[k])
             for k in ('inputModule', 'targetModule')]
    return c.mk(T2.ModuleCriterion, c.child(m.criterion), *parts)


converter('DistanceRatioCriterion')(
    lambda m, c: c.mk(T2.DistanceRatioCriterion, bool(_f(m, 'sizeAverage', True))))
converter('SpatialAutoCropMSECriterion')(
    lambda m, c: c.mk(T2.SpatialAutoCropMSECriterion, bool(_f(m, 'sizeAverage', True))))
converter('ClassSimplexCriterion')(
    lambda m, c: c.mk(T2.ClassSimplexCriterion, m.simplex.numpy().tolist(),
                      bool(_f(m, 'sizeAverage', True))))


# ---- Element-Research rnn (torch7py.legacy.ern): the rnn package's recurrent modules --------

@converter('LinearNoBias')
def _linear_no_bias(m, c):
    out, inp = m.weight._size
    return c.mk(tnn.Linear, inp, out, bias=False)


@container('Recursor')
def _recursor(m, c):
    return c.mk(TE.Recursor, c.child(m.modules[0]))


@container('LSTM', 'FastLSTM')
def _ern_lstm(m, c):
    return c.mk(TE.LSTM, int(m.outputSize), c.child(m.modules[0]))


@container('Recurrent')
def _ern_recurrent(m, c):
    return c.mk(TE.Recurrent, *[c.child(x) for x in m.modules[:5]])


@container('Sequencer')
def _ern_sequencer(m, c):
    return c.mk(TE.Sequencer, c.child(m.modules[0]), str(_f(m, '_remember', 'neither')))


@container('Repeater')
def _ern_repeater(m, c):
    return c.mk(TE.Repeater, c.child(m.modules[0]), int(m.rho))



@container('GRU', 'MuFuRu')
def _ern_gru(m, c):
    return c.mk(TE.GRU, int(m.outputSize), c.child(m.modules[0]))


@container('BiSequencer', 'SeqBRNN', 'NormStabilizer')
def _ern_decorated(m, c):
    return c.mk(TE.Decorated, c.child(m.modules[0]))


@container('MaskZero', 'TrimZero')
def _ern_mask_zero(m, c):
    return c.mk(TE.MaskZero, c.child(m.modules[0]), int(m.nInputDim))


@container('BiSequencerLM')
def _ern_bisequencer_lm(m, c):
    return c.mk(TE.BiSequencerLM, *[c.child(x) for x in m.modules[:3]])


@converter('SAdd')
def _ern_sadd(m, c):
    return c.mk(TE.SAdd, float(m.addend), bool(_f(m, 'negate', False)))


converter('CopyGrad')(lambda m, c: c.mk(tnn.Identity))
converter('ReverseTable')(lambda m, c: c.mk(TE.ReverseTable))


@converter('LookupTableMaskZero')
def _ern_lookup_mask_zero(m, c):
    n, d = m.weight._size
    return c.mk(TE.LookupTableMaskZero, n, d)


def _ern_seq_flags(m):
    return dict(batchfirst=bool(_f(m, 'batchfirst', False)),
                maskzero=bool(_f(m, 'maskzero', False)),
                remember=str(_f(m, '_remember',    # (SeqLSTM's first files: remember_states)
                                'both' if _f(m, 'remember_states') else 'neither')))


@converter('SeqLSTM', 'SeqLSTMP')
def _ern_seq_lstm(m, c):
    D, R = int(m.inputsize), int(m.outputsize)
    H = int(_f(m, 'hiddensize', R))
    return c.mk(TE.SeqLSTM, D, H, R, _utils.typename(m) == 'nn.SeqLSTMP', **_ern_seq_flags(m))


@converter('SeqGRU')
def _ern_seq_gru(m, c):
    return c.mk(TE.SeqGRU, int(m.inputSize), int(m.outputSize), **_ern_seq_flags(m))


converter('SeqReverseSequence')(lambda m, c: c.mk(TE.SeqReverseSequence, int(m.dim)))


def _ern_sizes(size):
    if isinstance(size, (int, float)):
        return [int(size)]
    if hasattr(size, 'tolist'):
        return [int(v) for v in size.tolist()]
    if size and not isinstance(size[0], (int, float)):
        return [_ern_sizes(s) for s in size]
    return [int(v) for v in size]


@container('Recurrence')
def _ern_recurrence(m, c):
    return c.mk(TE.Recurrence, _ern_sizes(m.outputSize), int(m.nInputDim),
                c.child(m.modules[0]))


@converter('SequencerCriterion')
def _ern_sequencer_criterion(m, c):
    return c.mk(TE.SequencerCriterion, c.child(m.criterion), bool(_f(m, 'sizeAverage', False)))


@converter('RepeaterCriterion')
def _ern_repeater_criterion(m, c):
    return c.mk(TE.SequencerCriterion, c.child(m.criterion), False, True)


@converter('MaskZeroCriterion')
def _ern_mask_zero_criterion(m, c):
    return c.mk(TE.MaskZeroCriterion, c.child(m.criterion), int(m.nInputDim))


# ---- forms added in s21: the nn classes that had none ----------------------------------------

@converter('RReLU')
def _rrelu(m, c):
    return c.mk(T2.RReLU, float(m.lower), float(m.upper))


@converter('Convert')
def _convert(m, c):
    # the type the module converts its input to (Convert.lua: self.output's type)
    tname = _utils.typename(m.output) if _utils.is_tensor(m.__dict__.get('output')) else None
    dtype = {'torch.DoubleTensor': 'float64', 'torch.FloatTensor': 'float32'}.get(tname)
    return c.mk(T2.Convert, str(m.inputShape), str(m.outputShape), dtype)


@converter('UpSampling')
def _up_sampling(m, c):
    sf = _f(m, 'scale_factor')
    return c.mk(T2.UpSampling, str(m.mode), None if sf is None else int(sf),
                *[None if _f(m, k) is None else int(_f(m, k))
                  for k in ('odepth', 'oheight', 'owidth')])


@converter('PartialLinear')
def _partial_linear(m, c):
    part = [int(v) for v in np.asarray(m.partition.numpy()).reshape(-1).tolist()]
    return c.mk(T2.PartialLinear, int(m.inputsize), int(m.outputsize), part,
                bias=_has_bias(m))


@converter('Kmeans')
def _kmeans(m, c):
    scale = _f(m, 'scale')
    return c.mk(T2.Kmeans, int(m.k), int(m.dim), None if scale is None else float(scale))


def _fractional(axes):
    def conv(m, c):
        # axes: the spatial axes' letters in the input's order (THNN's H x W [x T])
        pool = [int(_f(m, 'poolSize' + a)) for a in axes]
        if _f(m, 'ratio' + axes[0]) is not None:
            size = dict(ratio=[float(_f(m, 'ratio' + a)) for a in axes])
        else:
            size = dict(out=[int(_f(m, 'out' + a)) for a in axes])
        rs = m.__dict__.get('randomSamples')
        fixed = bool(_f(m, 'newRandomPool', False))
        samples = None
        if fixed and _utils.is_tensor(rs) and rs.nElement() > 0:
            samples = np.asarray(rs.numpy(), dtype=np.float64).tolist()
        return c.mk(T2.FractionalMaxPooling, pool, samples=samples, fixed=fixed, **size)
    return conv


converter('SpatialFractionalMaxPooling')(_fractional('HW'))
converter('VolumetricFractionalMaxPooling')(_fractional('HWT'))


@converter('SparseLinear')
def _sparse_linear(m, c):
    out, inp = m.weight._size
    return c.mk(T2.SparseLinear, inp, out, float(_f(m, 'weightDecay', 0) or 0))


@converter('IndexLinear')
def _index_linear(m, c):
    return c.mk(T2.IndexLinear, int(m.inputSize), int(m.outputSize), int(m.offset),
                int(_f(m, 'normalize', 0)))

