"""nn.NCEModule: dpnn's noise-contrastive estimation output layer (NCEModule.lua, version 6),
for language models with large vocabularies (Mnih & Teh 2012).

A Linear (outputSize x inputSize) that takes {input (batch x inputSize), target (batch)} and in
training gives {Pmt, Pms, Pnt, Pns}: the model's unnormalized probabilities exp(w.x + b) / Z of
the targets (batch) and of k noise samples (batch x k), and the noise distribution's (the
unigrams, normalized) probabilities of both. The k samples are drawn by torchx's alias method
(torch7py.nn.alias_multinomial), once for the whole batch (batchnoise, the default) or per
example. Z < = 0 is estimated from the first batch (and printed, as dpnn does). In evaluation
with `normalized` set the module is the full Linear followed by SoftMax (LogSoftMax with
`logsoftmax`). Backward and accGradParameters touch only the sampled rows of weight and bias.
"""
import math

from .. import messages
from .. import tensor as _tensor
from .alias_multinomial import AliasMultinomial
from .linear import Linear
from .log_soft_max import LogSoftMax
from .reinforce import _assert
from .soft_max import SoftMax
from . import utils
from ..printing import lua_print  # (th's print when called from Lua, as dpnn/rnn print)


class NCEModule(Linear):
    """nn.NCEModule(inputSize, outputSize, k, unigrams, [Z])."""

    typename = "nn.NCEModule"
    version = 6  # (NCEModule.version: scripts check it; "better bias init")
    # shared by its shared clones (a Sequencer's steps) besides weight and bias: one Z
    # approximated once, one unigram table
    dpnn_parameters = ('weight', 'bias', 'unigrams', 'Z')

    def __init__(self, inputSize, outputSize, k=None, unigrams=None, Z=None):
        super().__init__(inputSize, outputSize)
        _assert(messages.torch_type(k) == "number")
        _assert(utils.is_tensor(unigrams))
        self.k = k
        self.unigrams = unigrams
        cls = utils.default_tensor_class()
        z = cls(1)
        z[1] = -1 if Z is None else Z
        self.Z = z
        self.batchnoise = True
        self.fastNoise()
        self.output = [cls(), cls(), cls(), cls()]
        self.gradInput = [cls(), cls()]

    def reset(self, stdv=None):
        if stdv is not None:
            self.weight.uniform(-stdv, stdv)
            self.bias.uniform(-stdv, stdv)
        else:
            stdv = 1.0 / math.sqrt(self.weight.size(2))
            self.weight.uniform(-stdv, stdv)
            self.bias.fill(-math.log(self.bias.size(1)))  # useful for Z = 1
        return self

    def fastNoise(self):
        self.unigrams.div(self.unigrams.sum())
        self.aliasmultinomial = AliasMultinomial(self.unigrams)
        self.aliasmultinomial.dpnn_parameters = ['J', 'q']

    def _new(self, name, like):
        d = self.__dict__
        if d.get(name) is None:
            d[name] = like.new()
        return d[name]

    def _outputs(self, input):
        out = self.output
        if not (isinstance(out, list) and len(out) == 4):
            out = self.output = [input.new(), input.new(), input.new(), input.new()]
        return out

    def _approximate_z(self, pm):
        if self.Z[1] <= 0:
            self.Z[1] = pm.mean() * self.weight.size(1)
            lua_print("normalization constant Z approximated to "
                  + utils_lua_number(self.Z[1]))

    def updateOutput(self, inputTable):
        input, target = inputTable[0], inputTable[1]
        _assert(input.dim() == 2)
        _assert(target.dim() == 1)
        batchsize = input.size(1)
        inputsize = self.weight.size(2)
        k = self.k
        d = self.__dict__
        if d.get("train") is False and d.get("normalized"):
            linout = self._new("linout", input)
            n = linout.nElement()
            linout.resize(batchsize, self.weight.size(1))
            if linout.nElement() != n:
                linout.zero()
            add = self._new("addBuffer", input)
            if add.nElement() != batchsize:
                add.resize(batchsize).fill(1)
            linout.addmm(0, linout, 1, input, self.weight.t())
            if d.get("bias") is not None:
                linout.addr(1, add, self.bias)
            if isinstance(self.output, list):
                self.output = input.new()
            sm = LogSoftMax() if d.get("logsoftmax") else SoftMax()
            self.output.resizeAs(linout).copy(sm.updateOutput(linout))
        elif d.get("batchnoise"):
            out = self._outputs(input)
            _assert(isinstance(target, _tensor.LongTensor))
            sampleidx = self._new("sampleidx", target)
            # the targets after the k noise samples
            sampleidx.resize(k + batchsize)
            sampleidx.narrow(1, k + 1, batchsize).copy(target)
            self.noiseSample(sampleidx, 1, k)
            sampleidx.resize(k + batchsize)
            w = self._new("_weight", self.bias)
            w.index(self.weight, 1, sampleidx)
            _assert(w.nElement() == (k + batchsize) * inputsize)
            w.resize(k + batchsize, inputsize)
            b = self._new("_bias", self.bias)
            b.index(self.bias, 1, sampleidx)
            _assert(b.nElement() == k + batchsize)
            b.resize(k + batchsize)
            sweight, tweight = w.narrow(1, 1, k), w.narrow(1, k + 1, batchsize)
            sbias, tbias = b.narrow(1, 1, k), b.narrow(1, k + 1, batchsize)
            Pmt = out[0]
            pm = self._new("_pm", input)
            pm.cmul(input, tweight)
            Pmt.sum(pm, 2).resize(batchsize)
            Pmt.add(tbias)
            Pmt.exp()
            Pms = out[1]
            Pms.resize(batchsize, k)
            Pms.copy(sbias.view(1, k).expand(batchsize, k))
            Pms.addmm(1, Pms, 1, input, sweight.t())
            Pms.exp()
            self._approximate_z(Pms)
            Pms.div(self.Z[1])
            Pmt.div(self.Z[1])
            if d.get("sampleprob") is None:
                self.sampleprob = Pms.new()
            self.sampleprob = self.noiseProb(self.sampleprob, sampleidx)
            Pnt = self.sampleprob.narrow(1, k + 1, target.size(1))
            Pns = self.sampleprob.narrow(1, 1, k)
            Pns = Pns.resize(1, k).expand(batchsize, k)
            out[2].set(Pnt)
            out[3].set(Pns)
        else:
            out = self._outputs(input)
            sampleidx = self._new("sampleidx", target)
            sampleidx.resize(batchsize, k + 1)
            sampleidx.select(2, 1).copy(target)
            s2 = self._new("_sampleidx", sampleidx)
            s2.resize(batchsize, k)
            self.noiseSample(s2, batchsize, k)
            sampleidx.narrow(2, 2, k).copy(s2)
            if not d.get("testedtargets"):
                for i in range(1, min(target.size(1), 3) + 1):
                    _assert(sampleidx[i][1] == target[i])
                self.testedtargets = True
            w = self._new("_weight", self.bias)
            w.index(self.weight, 1, sampleidx.view(-1))
            _assert(w.nElement() == batchsize * (k + 1) * inputsize)
            w.resize(batchsize, k + 1, inputsize)
            b = self._new("_bias", self.bias)
            b.index(self.bias, 1, sampleidx.view(-1))
            _assert(b.nElement() == batchsize * (k + 1))
            b.resize(batchsize, k + 1)
            pm = self._new("_pm", input)
            pm.resizeAs(b).copy(b)
            pm.resize(batchsize, 1, k + 1)
            pm.baddbmm(1, pm, 1, input.view(batchsize, 1, inputsize), w.transpose(2, 3))
            pm.resize(batchsize, k + 1)
            pm.exp()
            self._approximate_z(pm)
            pm.div(self.Z[1])
            out[0].set(pm.select(2, 1))
            out[1].set(pm.narrow(2, 2, k))
            if d.get("sampleprob") is None:
                self.sampleprob = pm.new()
            self.sampleprob = self.noiseProb(self.sampleprob, sampleidx)
            out[2].set(self.sampleprob.select(2, 1))
            out[3].set(self.sampleprob.narrow(2, 2, k))
        return self.output

    def updateGradInput(self, inputTable, gradOutput):
        input, target = inputTable[0], inputTable[1]
        _assert(input.dim() == 2)
        _assert(target.dim() == 1)
        dPmt, dPms = gradOutput[0], gradOutput[1]
        batchsize = input.size(1)
        inputsize = self.weight.size(2)
        k = self.k
        if self.__dict__.get("batchnoise"):
            Pmt, Pms = self.output[0], self.output[1]
            sweight = self._weight.narrow(1, 1, k)
            tweight = self._weight.narrow(1, k + 1, batchsize)
            # d Pm / d linear = Pm (equation 7's other factor)
            go = self._new("_gradOutput", dPms)
            tgo = self._new("_tgradOutput", dPmt)
            go.cmul(dPms, Pms)
            tgo.cmul(dPmt, Pmt)
            g = self.gradInput[0] if self.gradInput[0] is not None else input.new()
            self.gradInput[0] = g
            g.cmul(tgo.view(batchsize, 1).expandAs(tweight), tweight)
            g.addmm(1, 1, go, sweight)
        else:
            go = self._new("_gradOutput", dPmt)
            go.resize(batchsize, k + 1)
            go.select(2, 1).copy(dPmt)
            go.narrow(2, 2, k).copy(dPms)
            go.resize(batchsize, 1, k + 1)
            go.cmul(self._pm)
            g = self.gradInput[0] if self.gradInput[0] is not None else input.new()
            self.gradInput[0] = g
            g.resize(batchsize, 1, inputsize).zero()
            g.baddbmm(0, 1, go, self._weight)
            g.resizeAs(input)
        while len(self.gradInput) < 2:
            self.gradInput.append(None)
        if self.gradInput[1] is None:
            self.gradInput[1] = input.new()
        if self.gradInput[1].nElement() != target.nElement():
            self.gradInput[1].resize(target.size()).zero()
        return self.gradInput

    def accGradParameters(self, inputTable, gradOutput, scale=1):
        input, target = inputTable[0], inputTable[1]
        _assert(input.dim() == 2)
        _assert(target.dim() == 1)
        batchsize = input.size(1)
        inputsize = self.weight.size(2)
        k = self.k
        gw = self._new("_gradWeight", self.bias)
        gw.resizeAs(self._weight).zero()
        if self.__dict__.get("batchnoise"):
            sgw = gw.narrow(1, 1, k)
            tgw = gw.narrow(1, k + 1, batchsize)
            self._gradOutput.mul(scale)
            self._tgradOutput.mul(scale)
            sgw.addmm(0, sgw, 1, self._gradOutput.t(), input)
            tgw.cmul(self._tgradOutput.view(batchsize, 1).expandAs(self.gradInput[0]), input)
            self.gradWeight.indexAdd(1, self.sampleidx, gw)
            self.gradBias.indexAdd(1, self.sampleidx.narrow(1, k + 1, batchsize),
                                   self._tgradOutput)
            self._tgradOutput.sum(self._gradOutput, 1)  # (a buffer reused)
            self.gradBias.indexAdd(1, self.sampleidx.sub(1, k), self._tgradOutput.view(-1))
        else:
            self._gradOutput.resize(batchsize, k + 1, 1)
            self._gradOutput.mul(scale)
            gw.baddbmm(0, gw, 1, self._gradOutput, input.view(batchsize, 1, inputsize))
            sampleidx = self.sampleidx.view(batchsize * (k + 1))
            self.gradWeight.indexAdd(1, sampleidx, gw.view(batchsize * (k + 1), inputsize))
            self.gradBias.indexAdd(1, sampleidx, self._gradOutput.view(batchsize * (k + 1)))

    def type(self, type=None, tensorCache=None):
        d = self.__dict__
        if type is not None:
            for name in ("sampleidx", "sampleprob", "_noiseidx", "_noiseprob", "_metaidx",
                         "_gradOutput", "_tgradOutput", "_gradWeight", "_weight"):
                d.pop(name, None)
        unigrams = d.pop("unigrams", None)
        am = d.pop("aliasmultinomial", None)
        try:
            return super().type(type, tensorCache)
        finally:
            if unigrams is not None:
                d["unigrams"] = unigrams
            if am is not None:
                d["aliasmultinomial"] = am

    def noiseProb(self, sampleprob, sampleidx):
        _assert(sampleprob is not None)
        _assert(sampleidx is not None)
        npb = self._new("_noiseprob", self.unigrams)
        d = self.__dict__
        if d.get("_noiseidx") is None:
            d["_noiseidx"] = _tensor.LongTensor()
        nid = d["_noiseidx"]
        nid.resize(sampleidx.size()).copy(sampleidx)
        npb.index(self.unigrams, 1, nid.view(-1))
        sampleprob.resize(sampleidx.size()).copy(npb)
        return sampleprob

    def noiseSample(self, sampleidx, batchsize, k):
        if not isinstance(sampleidx, _tensor.LongTensor):
            d = self.__dict__
            if d.get("_noiseidx") is None:
                d["_noiseidx"] = _tensor.LongTensor()
            d["_noiseidx"].resize(batchsize, k)
            self.aliasmultinomial.batchdraw(d["_noiseidx"])
            sampleidx.resize(batchsize, k).copy(d["_noiseidx"])
        else:
            sampleidx.resize(batchsize, k)
            self.aliasmultinomial.batchdraw(sampleidx)
        return sampleidx

    def clearState(self):
        d = self.__dict__
        for name in ("sampleidx", "sampleprob", "_noiseidx", "_noiseprob", "_tgradOutput",
                     "_gradOutput"):
            d.pop(name, None)
        if utils.is_tensor(self.output):
            self.output.set()
        else:
            for o in self.output:
                if o is None:
                    break
                o.set()
        for g in self.gradInput:
            if g is None:
                break
            g.set()
        return self


def utils_lua_number(v):
    """A number as Lua's .. writes it (%.14g)."""
    from ..printing import lua_tostring
    return lua_tostring(v)
