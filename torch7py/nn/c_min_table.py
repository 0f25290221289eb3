"""nn.CMinTable: port of torch/nn CMinTable.lua (element-wise min of a table; first wins ties)."""
import numpy as np

from .c_max_table import CMaxTable


class CMinTable(CMaxTable):

    _pick = staticmethod(np.argmin)
    _cmp = 'lt'

    def updateOutput(self, input):
        try:
            super().updateOutput(input)
        finally:
            # Torch7 keeps the winners' positions in minIdx
            if 'maxIdx' in self.__dict__:
                self.minIdx = self.__dict__.pop('maxIdx')
        return self.output

    def updateGradInput(self, input, gradOutput):
        had = 'minIdx' in self.__dict__
        if had:
            self.maxIdx = self.minIdx
        try:
            return super().updateGradInput(input, gradOutput)
        finally:
            if had:
                del self.maxIdx
