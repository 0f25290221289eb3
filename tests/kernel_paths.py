"""For the tests of nn's C kernels (their `use_c` fixture is in conftest.py): a tensor made
from a numpy array."""
import numpy as np

import torch7py as torch


def tensor(a, dtype=np.float64):
    cls = torch.FloatTensor if dtype == np.float32 else torch.DoubleTensor
    t = cls(*a.shape)
    t.numpy()[...] = a
    return t
