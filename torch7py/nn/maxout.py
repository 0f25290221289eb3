"""nn.Maxout: a Sequential of Linear(inputSize, outputSize * maxoutNumber), a View into
maxoutNumber groups and a Max over them (the maxout unit of Goodfellow et al. 2013)."""
from .linear import Linear
from .max import Max
from .sequential import Sequential
from .view import View


class Maxout(Sequential):

    def __init__(self, inputSize, outputSize, maxoutNumber, preprocess=None):
        super().__init__()
        self.add(Linear(inputSize, outputSize * maxoutNumber))
        self.add(View(maxoutNumber, outputSize).setNumInputDims(1))
        if preprocess is not None:
            self.add(preprocess)
        self.add(Max(1, 2))
