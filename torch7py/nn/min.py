"""nn.Min: port of torch/nn Min.lua (min over a dimension, squeezed; first minimum wins)."""
import numpy as np

from .max import Max


class Min(Max):

    def _reduce(self, x, axis):
        return np.argmin(x, axis=axis)
