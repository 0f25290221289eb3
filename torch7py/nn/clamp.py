"""nn.Clamp: port of torch/nn Clamp.lua (a HardTanh with the given bounds)."""
from .hard_tanh import HardTanh


class Clamp(HardTanh):

    def __init__(self, min_value, max_value):
        super().__init__(min_value, max_value)
