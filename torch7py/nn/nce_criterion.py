"""nn.NCECriterion: dpnn's noise-contrastive estimation loss (NCECriterion.lua), the
criterion of nn.NCEModule's output {Pmt, Pms, Pnt, Pns} (Chen et al. 2015, eq. 5-7).

Loss: -(sum ln(Pmt / (Pmt + k Pnt)) + sum ln(k Pns / (Pms + k Pns))), divided by the batch size
when sizeAverage (each denominator plus 1e-7). Gradients: -k Pnt / ((Pmt + k Pnt + 1e-7)
(Pmt + 1e-7)) for Pmt and Pms / ((Pms + k Pns + 1e-7)(Pms + 1e-7)) for Pms; zeros for the noise
probabilities.
"""
from .criterion import Criterion
from .reinforce import _assert
from . import utils

_EPS = 0.0000001


class NCECriterion(Criterion):
    """nn.NCECriterion()."""

    typename = "nn.NCECriterion"

    def __init__(self):
        super().__init__()
        self.sizeAverage = True
        cls = utils.default_tensor_class()
        self.gradInput = [cls(), cls(), cls(), cls()]

    def _new(self, name, like):
        d = self.__dict__
        if d.get(name) is None:
            d[name] = like.new()
        return d[name]

    def updateOutput(self, inputTable, target=None):
        Pmt, Pms, Pnt, Pns = inputTable[0], inputTable[1], inputTable[2], inputTable[3]
        k = Pms.size(2)
        _assert(Pmt.dim() == 1)
        _assert(Pms.dim() == 2)
        _assert(Pnt.dim() == 1)
        _assert(Pns.dim() == 2)
        # P(origin = model) = Pmt / (Pmt + k Pnt)
        pom = self._new("_Pom", Pmt)
        pom.resizeAs(Pmt).copy(Pmt)
        pomdiv = self._new("_Pomdiv", Pmt)
        pomdiv.resizeAs(Pmt).copy(Pmt)
        pomdiv.add(k, Pnt).add(_EPS)
        pom.cdiv(pomdiv)
        # P(origin = noise) = k Pns / (Pms + k Pns)
        pon = self._new("_Pon", Pns)
        pon.resizeAs(Pns).copy(Pns).mul(k)
        pondiv = self._new("_Pondiv", Pms)
        pondiv.resizeAs(Pms).copy(Pms)
        pondiv.add(k, Pns).add(_EPS)
        pon.cdiv(pondiv)
        lnpom = self._new("_lnPom", pom)
        lnpom.log(pom)
        lnpon = self._new("_lnPon", pon)
        lnpon.log(pon)
        self.output = -(lnpom.sum() + lnpon.sum())
        if self.sizeAverage:
            self.output = self.output / Pmt.size(1)
        return self.output

    def updateGradInput(self, inputTable, target=None):
        _assert(len(self.gradInput) == 4)
        Pmt, Pms, Pnt, Pns = inputTable[0], inputTable[1], inputTable[2], inputTable[3]
        k = Pms.size(2)
        dlnPom = self.gradInput[0]
        dlnPom.resizeAs(Pnt).copy(Pnt).mul(-k)
        dlnPom.cdiv(self._Pomdiv)
        Pmt.add(_EPS)
        dlnPom.cdiv(Pmt)
        Pmt.add(-_EPS)
        dlnPon = self.gradInput[1]
        dlnPon.resizeAs(Pms).copy(Pms)
        dlnPon.cdiv(self._Pondiv)
        Pms.add(_EPS)
        dlnPon.cdiv(Pms)
        Pms.add(-_EPS)
        if self.gradInput[2].nElement() != Pnt.nElement():
            self.gradInput[2].resizeAs(Pnt).zero()
        if self.gradInput[3].nElement() != Pns.nElement():
            self.gradInput[3].resizeAs(Pns).zero()
        if self.sizeAverage:
            dlnPom.div(Pmt.size(1))
            dlnPon.div(Pmt.size(1))
        return self.gradInput
