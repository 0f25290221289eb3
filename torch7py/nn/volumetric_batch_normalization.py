"""nn.VolumetricBatchNormalization: port of torch/nn VolumetricBatchNormalization.lua
(BatchNormalization over the feature planes of N x C x T x H x W input)."""
from .batch_normalization import BatchNormalization


class VolumetricBatchNormalization(BatchNormalization):

    nDim = 5
