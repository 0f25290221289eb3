"""nn.SpatialBatchNormalization: port of torch/nn SpatialBatchNormalization.lua (per-channel
statistics over the batch and both spatial dimensions of a 4D input)."""
from .batch_normalization import BatchNormalization


class SpatialBatchNormalization(BatchNormalization):

    nDim = 4
