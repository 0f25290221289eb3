"""nn.ReLU: port of torch/nn ReLU.lua (a Threshold at 0 with value 0, optionally in place)."""
from .threshold import Threshold


class ReLU(Threshold):

    def __init__(self, p=False):
        super().__init__(0, 0, p)
