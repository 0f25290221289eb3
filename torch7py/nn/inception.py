"""nn.Inception: dpnn's Inception module (Inception.lua; Szegedy et al. 2014), a Decorator of
a DepthConcat(2) of columns built from a config table:

- one column per kernelSize[i] (default {5, 3}): a 1x1 SpatialConvolution inputSize ->
  reduceSize[i] (stride reduceStride[i] or 1), [SpatialBatchNormalization], a clone of
  transfer (default ReLU), a kernelSize[i] convolution reduceSize[i] -> outputSize[i] (stride
  kernelStride[i] or 1, padding floor(kernelSize[i] / 2) unless padding = false),
  [SpatialBatchNormalization], a clone of transfer;
- the pooling column: pool (default SpatialMaxPooling(poolSize = 3, poolStride = 1)) and, when
  reduceSize has one more entry, a 1x1 reduction with its [batch norm] and transfer;
- a plain 1x1 column when reduceSize has one more entry still.

The modules are built in that order (their weights drawn so). dpnn's checks of the columns'
output sizes (for a 100 x 200 input) print its warnings. An input of 3 dimensions gets a batch
dimension of 1 (dpnn's toBatch), and its output goes through fromBatch(output, 3), as dpnn's
code has it (which asserts the output's third size is 1).
"""
import math

from .. import messages
from ..tensor import TorchError
from .decorator import Decorator
from .depth_concat import DepthConcat
from .relu import ReLU
from .reinforce import from_batch, to_batch
from .sequential import Sequential
from .spatial_batch_normalization import SpatialBatchNormalization
from .spatial_convolution import SpatialConvolution
from .spatial_max_pooling import SpatialMaxPooling
from ..printing import lua_print  # (th's print when called from Lua, as dpnn/rnn print)


def _field(config, name):
    if isinstance(config, dict):
        return config.get(name)
    try:
        return config[name]
    except (KeyError, IndexError, TypeError):
        return getattr(config, name, None)


def _at(t, i, name=None):
    """t[i] of a Lua sequence (1-based), nil past its end; `self.name[i]` of a nil field is
    Lua's indexing error (a config table without the field: Inception.lua indexes it)."""
    if t is None:
        if name is not None:
            raise TorchError(messages.index_text("nil", "field '%s'" % name))
        return None
    if isinstance(t, dict):
        return t.get(i)
    return t[i - 1] if 1 <= i <= len(t) else None


def _len(t):
    if t is None:
        return 0
    if isinstance(t, dict):
        n = 0
        while (n + 1) in t:
            n += 1
        return n
    return len(t)


class Inception(Decorator):
    """nn.Inception(config): config's inputSize, outputSize, reduceSize (tables), reduceStride,
    transfer, batchNorm, padding, kernelSize, kernelStride, poolSize, poolStride, pool."""

    typename = "nn.Inception"

    def __init__(self, config=None):
        if messages.torch_type(config) != "table":
            raise messages_index_error(config)
        self.inputSize = _field(config, "inputSize")
        self.outputSize = _field(config, "outputSize")
        self.reduceSize = _field(config, "reduceSize")
        self.reduceStride = _field(config, "reduceStride") or []
        self.transfer = _field(config, "transfer") or ReLU()
        self.batchNorm = _field(config, "batchNorm")
        self.padding = True
        if _field(config, "padding") is not None:
            self.padding = _field(config, "padding")
        self.kernelSize = _field(config, "kernelSize") or [5, 3]
        self.kernelStride = _field(config, "kernelStride") or [1, 1]
        self.poolSize = _field(config, "poolSize") or 3
        self.poolStride = _field(config, "poolStride") or 1
        self.pool = _field(config, "pool") or SpatialMaxPooling(
            self.poolSize, self.poolSize, self.poolStride, self.poolStride)
        iW, iH = 100, 200
        oW = oH = None
        concat = DepthConcat(2)

        def reduce_column(mlp, i):
            s = _at(self.reduceStride, i) or 1
            mlp.add(SpatialConvolution(self.inputSize, _at(self.reduceSize, i, 'reduceSize'), 1, 1, s, s))
            if self.batchNorm:
                mlp.add(SpatialBatchNormalization(_at(self.reduceSize, i, 'reduceSize')))
            mlp.add(self.transfer.clone())

        for i in range(1, _len(self.kernelSize) + 1):
            mlp = Sequential()
            reduce_column(mlp, i)
            k = _at(self.kernelSize, i, 'kernelSize')
            ks = _at(self.kernelStride, i, 'kernelStride')
            pad = math.floor(k / 2) if self.padding else 0
            mlp.add(SpatialConvolution(_at(self.reduceSize, i, 'reduceSize'), _at(self.outputSize, i, 'outputSize'),
                                       k, k, ks, ks, pad))
            if self.batchNorm:
                mlp.add(SpatialBatchNormalization(_at(self.outputSize, i, 'outputSize')))
            mlp.add(self.transfer.clone())
            concat.add(mlp)
            w = math.floor((iW + 2 * pad - k) / ks + 1)
            h = math.floor((iH + 2 * pad - k) / ks + 1)
            if oW is None:
                oW, oH = w, h
            elif oW != w or oH != h:
                lua_print("dpnn.Inception: Warning: Inconsistent output sizes.")
        mlp = Sequential()
        mlp.add(self.pool)
        i = _len(self.kernelSize) + 1
        if _at(self.reduceSize, i, 'reduceSize'):
            reduce_column(mlp, i)
        concat.add(mlp)
        pd = self.pool.__dict__
        if pd.get("kW") is not None and pd.get("dW") is not None \
                and pd.get("padW") is not None:
            assert oW is not None and oH is not None
            w = math.floor((iW + 2 * pd["padW"] - pd["kW"]) / pd["dW"] + 1)
            h = math.floor((iH + 2 * pd["padH"] - pd["kH"]) / pd["dH"] + 1)
            if oW != w or oH != h:
                lua_print("dpnn.Inception: Warning: Inconsistent output sizes in pooling.")
        i += 1
        if _at(self.reduceSize, i, 'reduceSize'):
            mlp = Sequential()
            reduce_column(mlp, i)
            concat.add(mlp)
            s = _at(self.reduceStride, i) or 1
            w = math.floor((iW - 1) / s + 1)
            h = math.floor((iH - 1) / s + 1)
            if oW != w or oH != h:
                lua_print("dpnn.Inception: Warning: Inconsistent output sizes in 1x1 conv.")
        super().__init__(concat)

    def toBatch(self, tensor, nDim, batchDim=None):
        return to_batch(self, tensor, nDim, 1 if batchDim is None else batchDim)

    def fromBatch(self, tensor, batchDim=None):
        return from_batch(self, tensor, 1 if batchDim is None else batchDim)

    def updateOutput(self, input):
        input = self.toBatch(input, 3)
        output = self.modules[0].updateOutput(input)
        self.output = self.fromBatch(output, 3)
        return self.output

    def updateGradInput(self, input, gradOutput):
        input, gradOutput = self.toBatch(input, 3), self.toBatch(gradOutput, 3)
        gradInput = self.modules[0].updateGradInput(input, gradOutput)
        self.gradInput = self.fromBatch(gradInput, 3)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        input, gradOutput = self.toBatch(input, 3), self.toBatch(gradOutput, 3)
        self.modules[0].accGradParameters(input, gradOutput, scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        input, gradOutput = self.toBatch(input, 3), self.toBatch(gradOutput, 3)
        self.modules[0].accUpdateGradParameters(input, gradOutput, lr)


def messages_index_error(config):
    """Inception.lua's config.inputSize on a value that is no table: Lua's index error."""
    return TorchError(messages.msg("index_local", "config", messages.lua_type(config)))
