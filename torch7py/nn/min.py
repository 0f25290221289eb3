"""nn.Min: port of torch/nn Min.lua (min over a dimension, squeezed; first minimum wins)."""
import torch7py

from .max import Max


class Min(Max):

    @staticmethod
    def _op(values, indices, input, dim):
        return torch7py.min(values, indices, input, dim)
