"""nn.CMinTable: port of torch/nn CMinTable.lua (element-wise min of a table; first wins ties)."""
import numpy as np

from .c_max_table import CMaxTable


class CMinTable(CMaxTable):

    _pick = staticmethod(np.argmin)

    def updateOutput(self, input):
        super().updateOutput(input)
        # Torch7 keeps the winners' positions in minIdx
        self.minIdx = self.__dict__.pop('maxIdx')
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.maxIdx = self.minIdx
        try:
            return super().updateGradInput(input, gradOutput)
        finally:
            del self.maxIdx
