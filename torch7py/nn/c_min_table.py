"""nn.CMinTable: port of torch/nn CMinTable.lua (element-wise min of a table; first wins ties)."""
import numpy as np

from .c_max_table import CMaxTable
from .module import Module


class CMinTable(CMaxTable):
    _torch_parent = Module  # its .lua declares parent nn.Module; only the code is shared

    _pick = staticmethod(np.argmin)
    _cmp = 'lt'
    _beats = staticmethod(np.less)  # mask:lt(input[i], output)
    _IDX, _VALS = 'minIdx', 'minVals'
    _FILE = 'nn/CMinTable.lua'
