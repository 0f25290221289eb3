"""nn.Min: port of torch/nn Min.lua (min over a dimension, squeezed; first minimum wins)."""
import torch7py

from .max import Max
from .module import Module


class Min(Max):
    _torch_parent = Module  # its .lua declares parent nn.Module; only the code is shared
    _lua_file = 'Min'

    @staticmethod
    def _op(values, indices, input, dim):
        return torch7py.min(values, indices, input, dim)
