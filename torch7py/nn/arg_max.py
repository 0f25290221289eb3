"""nn.ArgMax: dpnn's ArgMax.lua: the indices of the maxima along `dim` (dim + 1 when the input
has more than nInputDim dimensions: a batch), as a LongTensor unless asLong is false; the
gradient is zero."""
from .. import tensor as _tensor
from .module import Module


class ArgMax(Module):
    """nn.ArgMax([dim=1], [nInputDim=9999], [asLong=true])."""

    typename = "nn.ArgMax"

    def __init__(self, dim=None, nInputDim=None, asLong=None):
        super().__init__()
        self.dim = 1 if dim is None else dim
        self.nInputDim = 9999 if nInputDim is None else nInputDim
        self.asLong = True if asLong is None else asLong
        if self.asLong:
            self.output = _tensor.LongTensor()

    def updateOutput(self, input):
        d = self.__dict__
        if d.get("_value") is None:
            d["_value"] = input.new()
        if d.get("_indices") is None:
            d["_indices"] = _tensor.LongTensor()
        dim = self.dim + 1 if input.dim() > self.nInputDim else self.dim
        d["_value"].max(d["_indices"], input, dim)
        if input.dim() > 1:
            idx = d["_indices"].select(dim, 1)
            self.output.resize(idx.size()).copy(idx)
        else:
            self.output.resize(d["_indices"].size()).copy(d["_indices"])
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input).zero()
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        d = self.__dict__
        indices = d.pop("_indices", None)
        super().type(type, tensorCache)
        if indices is not None:
            d["_indices"] = indices.long()
        if self.asLong:
            self.output = _tensor.LongTensor()
        return self
