"""nn.Mean: port of torch/nn Mean.lua (a Sum with sizeAverage)."""
from .sum import Sum


class Mean(Sum):

    def __init__(self, dimension=1, nInputDims=None):
        super().__init__(dimension, nInputDims, True)
