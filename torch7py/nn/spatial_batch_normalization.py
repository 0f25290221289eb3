"""nn.SpatialBatchNormalization: port of torch/nn SpatialBatchNormalization.lua."""
from .batch_normalization import BatchNormalization


class SpatialBatchNormalization(BatchNormalization):

    nDim = 4
