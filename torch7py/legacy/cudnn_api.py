"""What `require 'cudnn'` gives a legacy script on a machine without a GPU: cudnn's module
constructors, building the nn module with the same function (a script that builds a cudnn model
runs it on the CPU), and cudnn.convert(net, nn). The Lua layer wraps this module (its
cudnn.convert takes the nn table as Lua passes it); from Python use `to_nn` or
`torch7py.legacy.convert`.
"""
from .. import nn as _nn
from . import cudnn as _cudnn
from . import cudnn_volumetric as _vol
from . import rnn as _rnn

benchmark = False
fastest = False
verbose = False


def to_nn(net, exclusion_fn=None):
    """cudnn.convert(net, nn): cudnn modules in `net` (objects kept by gpu_types='keep')
    replaced by their nn equivalents; a module exclusion_fn(module) is true for stays."""
    from . import convert
    return convert(net, exclusion_fn)


def SpatialConvolution(nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=0,
                       groups=1):
    groups = groups or 1
    if nInputPlane % groups or nOutputPlane % groups:
        raise ValueError("nInputPlane and nOutputPlane should be divisible by nGroups")
    if groups == 1:
        return _nn.SpatialConvolution(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
    conv = _nn.SpatialConvolution(nInputPlane // groups, nOutputPlane, kW, kH, dW, dH, padW,
                                  padH)
    fields = {"weight": conv.weight, "bias": conv.bias, "gradWeight": conv.gradWeight,
              "gradBias": conv.gradBias, "_type": conv._type}
    return _cudnn._grouped(fields, nInputPlane, nOutputPlane, groups,
                           (kW, kH, dW or 1, dH or 1, padW or 0, padH or 0))


def ReLU(inplace=False):
    return _nn.ReLU(bool(inplace))


def ClippedReLU(ceiling, inplace=False):
    return _nn.HardTanh(0, ceiling, bool(inplace))


def Tanh(inplace=False):
    return _nn.Tanh()


def Sigmoid(inplace=False):
    return _nn.Sigmoid()


def SoftMax(fast=None):
    return _nn.SoftMax()


def LogSoftMax(fast=None):
    return _nn.LogSoftMax()


def SpatialSoftMax(fast=None):
    return _nn.SpatialSoftMax()


def SpatialLogSoftMax(fast=None):
    return _nn.SpatialLogSoftMax()


def SpatialMaxPooling(kW, kH, dW=None, dH=None, padW=0, padH=0):
    return _nn.SpatialMaxPooling(kW, kH, dW or kW, dH or kH, padW or 0, padH or 0)


def SpatialAveragePooling(kW, kH, dW=None, dH=None, padW=0, padH=0):
    return _nn.SpatialAveragePooling(kW, kH, dW or kW, dH or kH, padW or 0, padH or 0)


def VolumetricMaxPooling(kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0):
    return _nn.VolumetricMaxPooling(kT, kW, kH, dT or kT, dW or kW, dH or kH, padT or 0,
                                    padW or 0, padH or 0)


def VolumetricAveragePooling(kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0):
    return _nn.VolumetricAveragePooling(kT, kW, kH, dT or kT, dW or kW, dH or kH, padT or 0,
                                        padW or 0, padH or 0)


def SpatialFullConvolution(*args):
    return _nn.SpatialFullConvolution(*args)


def VolumetricConvolution(*args):
    return _nn.VolumetricConvolution(*args)


def VolumetricFullConvolution(*args):
    return _nn.VolumetricFullConvolution(*args)


def SpatialCrossMapLRN(size=5, alpha=1e-4, beta=0.75, k=1.0):
    return _nn.SpatialCrossMapLRN(size, alpha, beta, k)


def BatchNormalization(*args):
    return _nn.BatchNormalization(*args)


def SpatialBatchNormalization(*args):
    return _nn.SpatialBatchNormalization(*args)


def VolumetricBatchNormalization(*args):
    return _nn.VolumetricBatchNormalization(*args)


# the RNN family runs as cudnn computes it (torch7py.legacy.rnn)
RNN, LSTM, GRU, BLSTM, BGRU = _rnn.RNN, _rnn.LSTM, _rnn.GRU, _rnn.BLSTM, _rnn.BGRU
RNNReLU, RNNTanh = _rnn.RNNReLU, _rnn.RNNTanh

# wrappers that fold shapes around nn modules (torch7py.legacy.cudnn_volumetric)
VolumetricSoftMax, VolumetricLogSoftMax = _vol.VolumetricSoftMax, _vol.VolumetricLogSoftMax
SpatialCrossEntropyCriterion = _vol.SpatialCrossEntropyCriterion
VolumetricCrossEntropyCriterion = _vol.VolumetricCrossEntropyCriterion
