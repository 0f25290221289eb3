"""nn.VolumetricBatchNormalization: port of torch/nn VolumetricBatchNormalization.lua (batch
normalisation of 5-D input, per plane over batch, time, height and width)."""
from .batch_normalization import BatchNormalization


class VolumetricBatchNormalization(BatchNormalization):

    nDim = 5
