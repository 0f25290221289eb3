"""Element-Research rnn's other step-by-step and utility classes (rnn at ba937a0): nn.GRU
(GRU.lua), nn.NormStabilizer, nn.MaskZero, nn.TrimZero, nn.LookupTableMaskZero, nn.SAdd,
nn.CopyGrad, nn.BiSequencer, nn.BiSequencerLM, and dpnn's nn.ReverseTable that the
bidirectional sequencers hold. Each keeps the fields its Lua class has and computes as the Lua
does; the recurrent ones share AbstractRecurrent's step bookkeeping (torch7py.legacy.ern).

rnn's nn.Dropout (Dropout.lua replaces nn's: `lazy` keeps one noise mask until the next
backward, `mono` one mask row for the whole batch) is nn.Dropout reading those fields
(torch7py/nn/dropout.py); `lazy_dropout` builds one as `nn.Dropout(p, false, false, true,
mono)` does in rnn.
"""
import torch7py

from .. import messages
from ..nn.decorator import Decorator
from ..nn.identity import Identity
from ..nn.lookup_table import LookupTable
from ..nn.module import Module
from ..nn import utils as _utils
from ..nn.utils import TorchAssertionError
from ..tensor import Tensor, TorchError
from .ern import (AbstractRecurrent, AbstractSequencer, Sequencer, _lua_list, _tab,
                  recursiveAdd, recursiveCopy)
from .ern_crit import _RecursiveMask
from .ern_seq import _zero_mask
from ..printing import lua_print  # (th's print when called from Lua, as dpnn/rnn print)


def _assert(ok, message="assertion failed!"):
    if not ok:
        raise TorchAssertionError(message)


def lazy_dropout(p, mono=False):
    """rnn's nn.Dropout(p, false, false, true, mono): Dropout.lua's fields p, train, inplace,
    lazy, mono, flag, v2, noise (rnn's __init sets no stochastic_inference)."""
    from .. import nn
    d = nn.Dropout(p, False, False)
    d.__dict__.pop("stochastic_inference", None)
    d.lazy = True
    d.mono = bool(mono)
    d.flag = True
    return d


class SAdd(Module):
    """nn.SAdd(addend, negate): output = input + addend, negated when negate."""

    typename = "nn.SAdd"

    def __init__(self, addend, negate=None):
        super().__init__()
        self.addend = addend
        self.negate = False if negate is None else negate

    def updateOutput(self, input):
        self.output.resizeAs(input).copy(input)
        self.output = self.output + self.addend
        if self.negate:
            self.output = -self.output
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get("gradInput") is not None:
            self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        else:
            self.gradInput = _utils.default_tensor_class()().resizeAs(gradOutput).copy(gradOutput)
        if self.negate:
            self.gradInput = -self.gradInput
        return self.gradInput


class CopyGrad(Identity):
    """nn.CopyGrad: the identity whose gradInput is a copy of gradOutput."""

    typename = "nn.CopyGrad"

    def updateGradInput(self, input, gradOutput):
        if not isinstance(self.__dict__.get("gradInput"), Tensor):
            self.gradInput = gradOutput.new()
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput


class ReverseTable(Module):
    """dpnn's nn.ReverseTable: the input table in reverse order (the gradient likewise)."""

    typename = "nn.ReverseTable"

    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        _assert(isinstance(input, list), "Expecting table at arg 1")
        self.output = list(reversed(input))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = list(reversed(gradOutput))
        return self.gradInput


class GRU(AbstractRecurrent):
    """nn.GRU(inputSize, outputSize, rho, p, mono): `recurrentModule` maps {x(t), s(t-1)} to
    s(t) = (1 - z) * tanh(W x + U (r * s(t-1)) + b) + z * s(t-1), r and z the sigmoids of
    i2g(x) + o2g(s(t-1)) split in two; the first step starts from `zeroTensor` (or
    `userPrevOutput`). p > 0: rnn's lazy dropouts on each input of each Linear (Bayesian GRU)."""

    typename = "nn.GRU"

    def __init__(self, inputSize, outputSize, rho=None, p=None, mono=None):
        super().__init__(rho or 9999)
        self.p = p or 0
        self.mono = mono or False
        self.inputSize = inputSize
        self.outputSize = outputSize
        self._build_gated()

    def reset(self, stdv=None):
        # (nn's Container:reset: each module's reset, nothing returned)
        for m in self.__dict__.get("modules") or []:
            m.reset(stdv)

    def buildModel(self):
        from .. import nn
        from .ern import LinearNoBias
        n, p = self.outputSize, self.p

        def drop():
            return lazy_dropout(p, self.mono)
        if p != 0:
            self.i2g = nn.Sequential().add(nn.ConcatTable().add(drop()).add(drop()))
            self.i2g.add(nn.ParallelTable().add(nn.Linear(self.inputSize, n))
                         .add(nn.Linear(self.inputSize, n))).add(nn.JoinTable(2))
            self.o2g = nn.Sequential().add(nn.ConcatTable().add(drop()).add(drop()))
            self.o2g.add(nn.ParallelTable().add(LinearNoBias(n, n)).add(LinearNoBias(n, n)))
            self.o2g.add(nn.JoinTable(2))
        else:
            if n is None:  # nn.GRU(inputSize) (no default, unlike LSTM's): GRU.lua's 2*nil
                raise TorchError(messages.arith_text("nil", "field 'outputSize'"))
            self.i2g = nn.Linear(self.inputSize, 2 * n)
            self.o2g = LinearNoBias(n, 2 * n)
        gates = nn.Sequential().add(nn.ParallelTable().add(self.i2g).add(self.o2g))
        gates.add(nn.CAddTable()).add(nn.Reshape(2, n)).add(nn.SplitTable(1, 2))
        gates.add(nn.ParallelTable().add(nn.Sigmoid()).add(nn.Sigmoid()))
        seq = nn.Sequential().add(nn.ConcatTable().add(nn.Identity()).add(gates))
        seq.add(nn.FlattenTable())  # x(t), s(t-1), r, z
        seq.add(nn.ConcatTable().add(nn.NarrowTable(1, 4)).add(nn.SelectTable(2)))
        seq.add(nn.FlattenTable())  # x(t), s(t-1), r, z, s(t-1)
        t1 = nn.Sequential().add(nn.SelectTable(1))
        t2 = nn.Sequential().add(nn.NarrowTable(2, 2)).add(nn.CMulTable())
        if p != 0:
            t1.add(drop())
            t2.add(drop())
        t1.add(nn.Linear(self.inputSize, n))
        t2.add(LinearNoBias(n, n))
        hidden = nn.Sequential().add(nn.ConcatTable().add(t1).add(t2))
        hidden.add(nn.CAddTable()).add(nn.Tanh())
        z1 = nn.Sequential().add(nn.SelectTable(4)).add(SAdd(-1, True))
        z2 = nn.Sequential().add(nn.NarrowTable(4, 2)).add(nn.CMulTable())
        o1 = nn.Sequential().add(nn.ConcatTable().add(hidden).add(z1)).add(nn.CMulTable())
        o2 = nn.Sequential().add(nn.ConcatTable().add(o1).add(z2)).add(nn.CAddTable())
        seq.add(o2)
        return seq

    def getHiddenState(self, step, input=None):
        d = self.__dict__
        if step == 0:
            prev = d.get("userPrevOutput") or _tab(self, "outputs").get(step) or self.zeroTensor
            if input is not None:
                if input.dim() == 2:
                    self.zeroTensor.resize(input.size(1), self.outputSize).zero()
                else:
                    self.zeroTensor.resize(self.outputSize).zero()
            return prev
        return _tab(self, "outputs").get(step)

    def setHiddenState(self, step, hiddenState):
        _assert(isinstance(hiddenState, Tensor))
        _tab(self, "outputs")[step] = hiddenState

    def updateOutput(self, input):
        prev = self.getHiddenState(self.step - 1, input)
        return self._end_step(self._forward_module().updateOutput([input, prev]))

    def getGradHiddenState(self, step):
        gouts = _tab(self, "gradOutputs")
        if step == self.step - 1:
            return self.__dict__.get("userNextGradOutput") or gouts.get(step) or self.zeroTensor
        return gouts.get(step)

    def setGradHiddenState(self, step, gradHiddenState):
        _assert(isinstance(gradHiddenState, Tensor))
        _tab(self, "gradOutputs")[step] = gradHiddenState

    def _updateGradInput(self, input, gradOutput):
        _assert(self.step > 1, "expecting at least one updateOutput")
        step = self.updateGradInputStep - 1
        _assert(step >= 1)
        m = self.getStepModule(step)
        g = self.getGradHiddenState(step)
        _assert(g is not None)
        grads = _tab(self, "_gradOutputs")
        grads[step] = recursiveCopy(grads.get(step), g)
        recursiveAdd(grads[step], gradOutput)
        gin = m.updateGradInput([input, self.getHiddenState(step - 1)], grads[step])
        self.setGradHiddenState(step - 1, gin[1])
        return gin[0]

    def _accGradParameters(self, input, gradOutput, scale=1):
        step = self.accGradParametersStep - 1
        _assert(step >= 1)
        m = self.getStepModule(step)
        g = _tab(self, "_gradOutputs").get(step) or self.getGradHiddenState(step)
        m.accGradParameters([input, self.getHiddenState(step - 1)], g, scale)

    # (GRU.lua has no clearState or type of its own: AbstractRecurrent's keep zeroTensor)

    def __tostring__(self):
        return "%s(%d -> %d, %.2f)" % (self.typename, self.inputSize, self.outputSize, self.p)


_MUFURU_OPS = {}


def _mufuru_operations():
    """Mufuru.lua's `_operations`: one module per operation name, made once and shared by
    every MuFuRu (the Lua's file-level table)."""
    if not _MUFURU_OPS:
        from .. import nn

        def fold(join):
            return (nn.Sequential().add(nn.MapTable(nn.Unsqueeze(1))).add(nn.JoinTable(1))
                    .add(join(1)))
        _MUFURU_OPS.update(
            max=fold(nn.Max), keep=nn.SelectTable(1), replace=nn.SelectTable(2),
            mul=nn.CMulTable(), min=fold(nn.Min), diff=nn.CSubTable(),
            forget=nn.Sequential().add(nn.SelectTable(1)).add(nn.MulConstant(0.0)),
            sqrt_diff=nn.Sequential().add(nn.CSubTable()).add(nn.Abs()).add(nn.Sqrt())
            .add(nn.MulConstant(0.25)))
    return _MUFURU_OPS


class MuFuRu(GRU):
    """nn.MuFuRu(inputSize, outputSize, ops, rho): the multi-function recurrent unit (a GRU
    whose update is a softmax-weighted sum of operations `ops` on the previous state s and a
    feature vector v: keep s, replace by v, s*v, s-v, forget, sqrt|s-v|/4, max, min)."""

    typename = "nn.MuFuRu"

    def __init__(self, inputSize, outputSize, ops=None, rho=None):
        self.ops = ops or ["keep", "replace", "mul", "diff", "forget", "sqrt_diff", "max",
                           "min"]
        self.num_ops = len(self.ops)
        table = _mufuru_operations()
        self.operations = [table[o] for o in self.ops]
        self.inputSize = inputSize
        self.outputSize = outputSize
        GRU.__init__(self, inputSize, outputSize, rho or 9999)

    def buildModel(self):
        from .. import nn
        d, n, k = self.inputSize, self.outputSize, self.num_ops
        reset = nn.Sequential().add(nn.ParallelTable().add(nn.Linear(d, n))
                                    .add(nn.Linear(n, n)))
        reset.add(nn.CAddTable()).add(nn.Sigmoid())
        feature = nn.Sequential().add(nn.ConcatTable().add(nn.SelectTable(1)).add(
            nn.Sequential().add(nn.NarrowTable(2, 2)).add(nn.CMulTable())))
        feature.add(nn.JoinTable(2)).add(nn.Linear(d + n, n)).add(nn.Sigmoid())
        weights = nn.Sequential().add(nn.NarrowTable(1, 2)).add(nn.JoinTable(2))
        weights.add(nn.Linear(d + n, k * n)).add(nn.View(k, n).setNumInputDims(1))
        weights.add(nn.Transpose([1, 2])).add(nn.SoftMax())
        all_ops = nn.ConcatTable()
        for op in self.operations:
            all_ops.add(op)
        acts = nn.Sequential().add(nn.NarrowTable(1, 2)).add(all_ops)
        acts.add(nn.MapTable(nn.Unsqueeze(1))).add(nn.JoinTable(1, 3))
        combine = nn.Sequential().add(nn.ConcatTable().add(acts).add(nn.SelectTable(3)))
        combine.add(nn.CMulTable()).add(nn.Sum(1, 3))
        cell = nn.Sequential().add(nn.ConcatTable().add(nn.SelectTable(1))
                                   .add(nn.SelectTable(2)).add(reset))
        cell.add(nn.ConcatTable().add(nn.SelectTable(2)).add(feature).add(weights))
        return cell.add(combine)

    def __tostring__(self):
        return "%s(%d -> %d) { %s}" % (self.typename, self.inputSize, self.outputSize,
                                        "".join(o + " " for o in self.ops))

    def migrate(self, params):
        raise TorchError("Migrate not supported for MuFuRu")


class NormStabilizer(AbstractRecurrent):
    """nn.NormStabilizer(beta): the identity (a CopyGrad per step) whose backward adds the
    gradient of beta * mean_t (||h_t|| - ||h_{t-1}||)^2 (Krueger & Memisevic's norm
    stabilizer), the norms kept on each step's clone (`norm`)."""

    typename = "nn.NormStabilizer"

    def __init__(self, beta=None):
        super().__init__(99999)
        self.beta = beta or 1
        self.recurrentModule = CopyGrad()
        self.modules.append(self.recurrentModule)
        self.sharedClones[1] = self.recurrentModule

    def _accGradParameters(self, input, gradOutput, scale=1):
        pass

    def updateOutput(self, input):
        _assert(input.dim() == 2)
        if self._training():
            self.recycle()
            rm = self.getStepModule(self.step)
            output = rm.updateOutput(input)
            if rm.__dict__.get("norm") is None:
                rm.norm = output.new()
            rm.norm.norm(output, 2, 2)
        else:
            output = self.recurrentModule.updateOutput(input)
        return self._end_step(output)

    def updateLoss(self):
        self.loss = 0
        if self.__dict__.get("_normsum") is None:
            self._normsum = self.output.new()
        for step in range(2, self.step):
            rm1, rm2 = self.getStepModule(step - 1), self.getStepModule(step)
            self._normsum.add(rm1.norm, rm2.norm)
            self._normsum.pow(2)
            self.loss = self.loss + self._normsum.mean()
        self.loss = self.beta * self.loss / (self.step - 1)
        return self.loss

    def _updateGradInput(self, input, gradOutput):
        d = self.__dict__
        cur = self.updateGradInputStep - 1
        hm = self.getStepModule(cur)
        hm.updateGradInput(input, gradOutput)
        _assert(cur < self.step)
        if d.get("_normsum") is None:
            self._normsum = self.output.new()
        if d.get("_gradInput") is None:
            self._gradInput = self.output.new()
        batch = hm.output.size(1)
        for other, ok in ((cur - 1, cur > 1), (cur + 1, cur < self.step - 1)):
            if not ok:
                continue
            om = self.getStepModule(other)
            self._normsum.resizeAs(hm.norm).copy(hm.norm)
            self._normsum.add(-1, om.norm)
            self._normsum.mul(self.beta * 2)
            self._normsum.cdiv(hm.norm)
            self._gradInput.mul(hm.output, 1 / batch)
            self._gradInput.cmul(self._normsum.expandAs(self._gradInput))
            hm.gradInput.add(self._gradInput)
        return hm.gradInput

    def __tostring__(self):
        return "nn.NormStabilizer"


class MaskZero(Decorator, _RecursiveMask):
    """nn.MaskZero(module, nInputDim): the rows (samples) whose first input tensor is all
    zeros get zero output and zero gradOutput (`zeroMask`, a ByteTensor)."""

    typename = "nn.MaskZero"

    def __init__(self, module, nInputDim, silent=None):
        super().__init__(module)
        _assert(isinstance(module, Module))
        if isinstance(module, AbstractRecurrent) and not silent:
            lua_print("Warning : you are most likely using MaskZero the wrong way. You should "
                  "probably use AbstractRecurrent:maskZero() so that it wraps the internal "
                  "AbstractRecurrent.recurrentModule instead of wrapping the AbstractRecurrent "
                  "module itself.")
        _assert(isinstance(nInputDim, (int, float)) and not isinstance(nInputDim, bool),
                "Expecting nInputDim number at arg 1")
        self.nInputDim = nInputDim

    def _mask_tensor(self, output, input, mask):
        """MaskZero's recursiveMask on a tensor: a copy whose masked rows (samples) are 0."""
        size = input.size().fill(1)
        if self.batchmode:
            size[1] = input.size(1)
        mask.resize(size)
        output.resizeAs(input).copy(input)
        output.maskedFill(mask.expandAs(input), 0)
        return output

    def _mask(self, input):
        rmi = self.recursiveGetFirst(input).contiguous()
        if rmi.dim() == self.nInputDim:
            self.batchmode = False
            rmi = rmi.view(-1)
        elif rmi.dim() - 1 == self.nInputDim:
            self.batchmode = True
            rmi = rmi.view(rmi.size(1), -1)
        else:
            raise TorchError("nInputDim error: %d, %s" % (rmi.dim(), _num(self.nInputDim)))
        return _zero_mask(self, rmi)

    def updateOutput(self, input):
        mask = self._mask(input)
        output = self.modules[0].updateOutput(input)
        self.output = self.recursiveMask(self.__dict__.get("output"), output, mask)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradOutput = self.recursiveMask(self.__dict__.get("gradOutput"), gradOutput,
                                             self.zeroMask)
        self.gradInput = self.modules[0].updateGradInput(input, self.gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):  # Decorator's, gradOutput as is
        self.modules[0].accGradParameters(input, gradOutput, scale)

    def type(self, type=None, tensorCache=None):
        if type is None:
            return Module.type(self)
        for name in ("zeroMask", "_zeroMask", "_maskbyte", "_maskindices"):
            self.__dict__.pop(name, None)
        return Decorator.type(self, type, tensorCache)


def _num(v):
    from ..printing import lua_tostring
    return lua_tostring(v)


class TrimZero(MaskZero):
    """nn.TrimZero(module, nInputDim): MaskZero that runs the module on the non-zero rows only
    (index), and puts their outputs back in place (indexCopy), zeros elsewhere."""

    typename = "nn.TrimZero"

    def __init__(self, module, nInputDim, silent=None):
        super().__init__(module, nInputDim, silent)
        if module.typename in ("nn.GRU", "nn.LSTM", "nn.FastLSTM") and \
                module.__dict__.get("p", 0) != 0:
            _assert(module.__dict__.get("mono"), "TrimZero + Bayesian RNN needs `mono` option!")
        cls = _utils.default_tensor_class()
        self.temp = cls()
        self.gradTemp = cls()

    def recursiveMask(self, output, input, mask):
        if isinstance(input, list):
            output = output if isinstance(output, list) else []
            for k, v in enumerate(input):
                o, mask = self.recursiveMask(output[k] if k < len(output) else None, v, mask)
                if k < len(output):
                    output[k] = o
                else:
                    output.append(o)
            return output, mask
        _assert(isinstance(input, Tensor))
        output = output if isinstance(output, Tensor) else input.new()
        is_long = mask.typename == "torch.LongTensor"
        if not is_long:
            size = input.size().fill(1)
            if self.batchmode:
                size[1] = input.size(1)
            mask.resize(size)
        if self.batchmode:
            if not is_long:
                # torchx's torch.find(mask, 0): the 1-based positions of the zeros
                flat = mask.numpy().reshape(-1)
                pos = [i + 1 for i in range(flat.size) if flat[i] == 0]
                mask = torch7py.LongTensor(pos) if pos else torch7py.LongTensor()
            self._maskindices = mask
            if mask.dim() > 0:
                output.index(input, 1, mask)
            else:
                output.index(input, 1, torch7py.LongTensor([1])).zero()
        elif mask.dim() == 0 or mask.view(-1)[1] == 1:
            output.resize(input.size()).zero()
        else:
            output.resize(input.size()).copy(input)
        return output, mask

    def recursiveUnMask(self, output, input, mask):
        if isinstance(input, list):
            output = output if isinstance(output, list) else []
            for k, v in enumerate(input):
                o = self.recursiveUnMask(output[k] if k < len(output) else None, v, mask)
                if k < len(output):
                    output[k] = o
                else:
                    output.append(o)
            return output
        _assert(isinstance(input, Tensor))
        output = output if isinstance(output, Tensor) else input.new()
        size = input.size()
        if self.batchmode:
            size[1] = mask.size(1)
        output.resize(size).zero()
        if self.batchmode:
            _assert(self.__dict__.get("_maskindices") is not None)
            idx = self._maskindices
            if idx.dim() > 0:
                output.indexCopy(1, idx, input)
        elif mask.view(-1)[1] == 0:
            output.copy(input)
        return output

    def updateOutput(self, input):
        mask = self._mask(input)
        self.temp = self.recursiveMask(self.temp, input, mask)[0]
        output = self.modules[0].updateOutput(self.temp)
        self.output = self.recursiveUnMask(self.__dict__.get("output"), output, self.zeroMask)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.temp = self.recursiveMask(self.temp, input, self.zeroMask)[0]
        self.gradTemp = self.recursiveMask(self.gradTemp, gradOutput, self.zeroMask)[0]
        gin = self.modules[0].updateGradInput(self.temp, self.gradTemp)
        self.gradInput = self.recursiveUnMask(self.__dict__.get("gradInput"), gin,
                                              self.zeroMask)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.temp = self.recursiveMask(self.temp, input, self.zeroMask)[0]
        self.modules[0].accGradParameters(self.temp, gradOutput, scale)


class LookupTableMaskZero(LookupTable):
    """nn.LookupTableMaskZero(nIndex, nOutput): a LookupTable of nIndex + 1 rows whose row 1
    (index 0 of the input) is kept zero: index i reads row i + 1."""

    typename = "nn.LookupTableMaskZero"

    def __init__(self, nIndex, nOutput):
        super().__init__(nIndex + 1, nOutput)

    def updateOutput(self, input):
        self.weight[1].zero()
        d = self.__dict__
        if d.get("__input") is not None and d["__input"].typename != input.typename:
            d["__input"] = None
        if d.get("__input") is None:
            d["__input"] = input.new()
        d["__input"].resizeAs(input).add(input, 1)
        return LookupTable.updateOutput(self, d["__input"])

    def accGradParameters(self, input, gradOutput, scale=1):
        LookupTable.accGradParameters(self, self.__dict__["__input"], gradOutput, scale)

    def type(self, type=None, tensorCache=None):
        if type is None:
            return Module.type(self)
        self.__dict__.pop("__input", None)
        return LookupTable.type(self, type, tensorCache)


class RecurrentAttention(AbstractSequencer):
    """nn.RecurrentAttention(rnn, action, nStep, hiddenSize): nStep glimpses; the action module
    (a Recursor unless recurrent) maps the last output (zeros of hiddenSize at step 1) to an
    action, the rnn maps {input, action} to the step's output; the output is the table of the
    nStep outputs ({output, action} pairs with forwardActions)."""

    typename = "nn.RecurrentAttention"

    def __init__(self, rnn, action, nStep, hiddenSize):
        from .ern import Recursor
        super().__init__()
        _assert(isinstance(action, Module))
        _assert(isinstance(nStep, (int, float)) and not isinstance(nStep, bool))
        _assert(isinstance(hiddenSize, list))
        _assert(isinstance(hiddenSize[0], (int, float)), "Does not support table hidden layers")
        self.rnn = rnn if isinstance(rnn, AbstractRecurrent) else Recursor(rnn)
        self.action = action if isinstance(action, AbstractRecurrent) else Recursor(action)
        self.hiddenSize = hiddenSize
        self.nStep = nStep
        self.modules = [self.rnn, self.action]
        self.output = []
        self.actions = []
        self.forwardActions = False
        self.gradHidden = []

    def _put(self, name, i, v):
        t = self.__dict__.get(name)
        if not isinstance(t, list):
            t = self.__dict__[name] = [] if t is None else [t[k] for k in sorted(t)]
        while len(t) <= i:
            t.append(None)
        t[i] = v

    def updateOutput(self, input):
        self.rnn.forget()
        self.action.forget()
        for step in range(int(self.nStep)):
            if step == 0:
                if self.__dict__.get("_initInput") is None:
                    self._initInput = input.new()
                self._initInput.resize(input.size(1), *[int(v) for v in self.hiddenSize]).zero()
                self._put("actions", 0, self.action.updateOutput(self._initInput))
            else:
                self._put("actions", step, self.action.updateOutput(self._last(step - 1)))
            out = self.rnn.updateOutput([input, self.actions[step]])
            self._put("output", step, [out, self.actions[step]] if self.forwardActions
                      else out)
        return self.output

    def _last(self, i):
        o = self.output[i]
        return o[0] if self.forwardActions else o

    def _grads(self, gradOutput, step):
        if self.forwardActions:
            return gradOutput[step][0], gradOutput[step][1]
        act = self.action.output
        if self.__dict__.get("_gradAction") is None:
            self._gradAction = act.new()
        if not self._gradAction.isSameSizeAs(act):
            self._gradAction.resizeAs(act).zero()
        return gradOutput[step], self._gradAction

    def _check(self, gradOutput):
        _assert(self.rnn.step - 1 == self.nStep, "inconsistent rnn steps")
        _assert(isinstance(gradOutput, list), "expecting gradOutput table")
        _assert(len(gradOutput) == self.nStep, "gradOutput should have nStep elements")

    def updateGradInput(self, input, gradOutput):
        self._check(gradOutput)
        n = int(self.nStep)
        for step in range(n - 1, -1, -1):
            g_out, g_act = self._grads(gradOutput, step)
            gh = self.gradHidden if isinstance(self.gradHidden, list) else []
            self.gradHidden = gh
            if step == n - 1:
                self._put("gradHidden", step, recursiveCopy(
                    gh[step] if step < len(gh) else None, g_out))
            else:
                recursiveAdd(self.gradHidden[step], g_out)
            if step == 0:
                self.action.updateGradInput(self._initInput, g_act)
            else:
                ga = self.action.updateGradInput(self._last(step - 1), g_act)
                gh = self.gradHidden
                self._put("gradHidden", step - 1, recursiveCopy(
                    gh[step - 1] if step - 1 < len(gh) else None, ga))
            gin = self.rnn.updateGradInput([input, self.actions[step]],
                                           self.gradHidden[step])[0]
            if step == n - 1:
                self.gradInput.resizeAs(gin).copy(gin)
            else:
                self.gradInput.add(gin)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self._check(gradOutput)
        for step in range(int(self.nStep) - 1, -1, -1):
            g_act = gradOutput[step][1] if self.forwardActions else self._gradAction
            prev = self._initInput if step == 0 else self._last(step - 1)
            self.action.accGradParameters(prev, g_act, scale)
            self.rnn.accGradParameters([input, self.actions[step]], self.gradHidden[step],
                                       scale)

    def type(self, type=None, tensorCache=None):
        for name in ("_input", "_actions", "_crop", "_pad", "_byte"):
            self.__dict__.pop(name, None)
        return AbstractSequencer.type(self, type, tensorCache)

    def __tostring__(self):
        line, tab, ext = "\n", "  ", "  |    "
        s = self.typename + " {"
        s += line + tab + "action : " + self.action.__tostring__().replace(line, line + tab + ext)
        s += line + tab + "rnn     : " + self.rnn.__tostring__().replace(line, line + tab + ext)
        return s + line + "}"


def _merge_module(merge, who):
    from .. import nn
    if isinstance(merge, (int, float)) and not isinstance(merge, bool):
        return nn.JoinTable(1, merge)
    if merge is None:
        return nn.JoinTable(1, 1)
    if isinstance(merge, Module):
        return merge
    raise TorchError("%s: expecting nn.Module or number instance at arg 3" % who)


def _other_direction(forward, backward, who):
    if not isinstance(forward, Module):
        raise TorchError("%s: expecting nn.Module instance at arg 1" % who)
    if backward is None:
        backward = forward.clone()
        backward.reset()
    if not isinstance(backward, Module):
        raise TorchError("%s: expecting nn.Module instance at arg 2" % who)
    return backward


class BiSequencer(AbstractSequencer):
    """nn.BiSequencer(fwd, bwd, merge): a Sequencer of fwd over the sequence, one of bwd over
    it reversed (ReverseTable on both sides), the two outputs of each step zipped and merged
    (JoinTable(1, 1) by default). A Decorator of `module`, the assembled Sequential."""

    typename = "nn.BiSequencer"

    def __init__(self, forward, backward=None, merge=None):
        from .. import nn
        self.forwardModule = forward
        self.backwardModule = _other_direction(forward, backward, "BiSequencer")
        self.mergeModule = _merge_module(merge, "BiSequencer")
        self.fwdSeq = Sequencer(self.forwardModule)
        self.bwdSeq = Sequencer(self.backwardModule)
        self.mergeSeq = Sequencer(self.mergeModule)
        bwd = nn.Sequential().add(ReverseTable()).add(self.bwdSeq).add(ReverseTable())
        brnn = nn.Sequential().add(nn.ConcatTable().add(self.fwdSeq).add(bwd))
        brnn.add(nn.ZipTable()).add(self.mergeSeq)
        AbstractSequencer.__init__(self)
        self.output = []
        self.gradInput = []
        self.module = brnn
        self.modules = [brnn]


Decorator.decorate(BiSequencer)


class BiSequencerLM(AbstractSequencer):
    """nn.BiSequencerLM(fwd, bwd, merge): for language models: the forward sequencer sees
    steps 1..T-1, the backward one steps 2..T reversed; output t merges forward output t-1
    (zeros at t = 1) with backward output t+1 (zeros at t = T)."""

    typename = "nn.BiSequencerLM"

    def __init__(self, forward, backward=None, merge=None):
        from .. import nn
        self.forwardModule = forward
        self.backwardModule = _other_direction(forward, backward, "BiSequencerLM")
        self.mergeModule = _merge_module(merge, "BiSequencerLM")
        self.fwdSeq = (Sequencer(self.forwardModule)
                       if isinstance(self.forwardModule, AbstractRecurrent)
                       else self.forwardModule)
        self.bwdSeq = (Sequencer(self.backwardModule)
                       if isinstance(self.backwardModule, AbstractRecurrent)
                       else self.backwardModule)
        self.mergeSeq = Sequencer(self.mergeModule)
        self._fwd = self.fwdSeq
        self._bwd = nn.Sequential().add(ReverseTable()).add(self.bwdSeq).add(ReverseTable())
        self._merge = nn.Sequential().add(nn.ZipTable()).add(self.mergeSeq)
        AbstractSequencer.__init__(self)
        self.modules = [self._fwd, self._bwd, self._merge]
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        _assert(isinstance(input, list), "Expecting table at arg 1")
        n = len(input)
        _assert(n > 1, "Expecting at least 2 elements in table")
        self._fwdOutput = self._fwd.updateOutput(input[:n - 1])
        self._bwdOutput = self._bwd.updateOutput(input[1:])
        d = self.__dict__
        self._firstStep = _utils.recursiveResizeAs(d.get("_firstStep"), self._fwdOutput[0])[0]
        _utils.recursiveFill(self._firstStep, 0)
        self._lastStep = _utils.recursiveResizeAs(d.get("_lastStep"), self._bwdOutput[0])[0]
        _utils.recursiveFill(self._lastStep, 0)
        self._mergeInput = [[self._firstStep] + list(self._fwdOutput),
                            list(self._bwdOutput) + [self._lastStep]]
        self.output = self._merge.updateOutput(self._mergeInput)
        return self.output

    def updateGradInput(self, input, gradOutput):
        n = len(input)
        self._mergeGradInput = self._merge.updateGradInput(self._mergeInput, gradOutput)
        mg = self._mergeGradInput
        self._fwdGradInput = self._fwd.updateGradInput(input[:n - 1], mg[0][-(n - 1):])
        self._bwdGradInput = self._bwd.updateGradInput(input[1:], mg[1][:n - 1])
        g = self.gradInput if isinstance(self.gradInput, list) else []
        g = (g + [None] * n)[:max(n, len(g))]
        for i in range(n):
            if i == 0:
                g[0] = self._fwdGradInput[0]
            elif i == n - 1:
                g[i] = self._bwdGradInput[n - 2]
            else:
                g[i] = recursiveCopy(g[i], self._fwdGradInput[i])
                recursiveAdd(g[i], self._bwdGradInput[i - 1])
        self.gradInput = g
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        n = len(input)
        mg = self._mergeGradInput
        self._merge.accGradParameters(self._mergeInput, gradOutput, scale)
        self._fwd.accGradParameters(input[:n - 1], mg[0][-(n - 1):], scale)
        self._bwd.accGradParameters(input[1:], mg[1][:n - 1], scale)

    def __tostring__(self):
        tab, line, ext = "  ", "\n", "  |    "
        s = self.typename + " {"
        for name, m in (("  fwd  ", self._fwd), ("  bwd  ", self._bwd),
                        (" merge ", self._merge)):
            s += line + tab + "(" + name + "): " + m.__tostring__().replace(
                line, line + tab + ext)
        return s + line + "}"


def _get_hidden(m, step):
    """rnn's Module:getHiddenState(step): a recurrent module's own state, a container's the
    table of its modules' (None for others)."""
    if isinstance(m, AbstractRecurrent) and hasattr(m, "getHiddenState"):
        return m.getHiddenState(step)
    mods = m.__dict__.get("modules") if isinstance(m, Module) else None
    if mods:
        return [_get_hidden(c, step) for c in mods]
    return None


def _set_hidden(m, step, state, grad=False):
    """rnn's Module:setHiddenState / setGradHiddenState(step, state), walked the same way."""
    if isinstance(m, AbstractRecurrent):
        f = getattr(m, "setGradHiddenState" if grad else "setHiddenState", None)
        if f is not None:
            f(step, state)
        return
    mods = m.__dict__.get("modules") if isinstance(m, Module) else None
    if mods:
        state = _lua_list(state)
        _assert(state is not None)
        for i, c in enumerate(mods):
            _set_hidden(c, step, state[i] if i < len(state) else None, grad)


class Recurrence(AbstractRecurrent):
    """nn.Recurrence(recurrentModule, outputSize, nInputDim, rho): output(t) =
    recurrentModule{input(t), output(t-1)}, output(0) zeros of outputSize (a number, a
    LongStorage or a table of them: one zero tensor per entry, with the batch size first when
    the input has nInputDim + 1 dimensions)."""

    typename = "nn.Recurrence"

    def __init__(self, recurrentModule, outputSize, nInputDim, rho=None):
        super().__init__(rho or 9999)
        _assert(isinstance(outputSize, (list, int, float, torch7py.LongStorage))
                and not isinstance(outputSize, bool), "Unsupported size type")
        self.outputSize = [outputSize] if isinstance(outputSize, (int, float)) else outputSize
        _assert(isinstance(nInputDim, (int, float)) and not isinstance(nInputDim, bool),
                "Expecting nInputDim number for arg 2")
        self.nInputDim = nInputDim
        _assert(isinstance(recurrentModule, Module),
                "Expecting recurrenModule nn.Module for arg 3")
        self.recurrentModule = recurrentModule
        self.module = recurrentModule
        self.modules.append(recurrentModule)
        self.sharedClones[1] = recurrentModule
        self.typeTensor = _utils.default_tensor_class()()

    def recursiveResizeZero(self, tensor, size, batchSize):
        if isinstance(size, list) and size and not isinstance(size[0], (int, float)):
            tensor = tensor if isinstance(tensor, list) else []
            for k, v in enumerate(size):
                t = self.recursiveResizeZero(tensor[k] if k < len(tensor) else None, v,
                                             batchSize)
                if k < len(tensor):
                    tensor[k] = t
                else:
                    tensor.append(t)
            return tensor
        if isinstance(size, torch7py.LongStorage):
            size = [int(v) for v in size.tolist()]
        elif not isinstance(size, list):
            raise TorchError("Unknown size type : %s" % type(size).__name__)
        tensor = tensor if isinstance(tensor, Tensor) else self.typeTensor.new()
        dims = ([batchSize] if batchSize else []) + [int(v) for v in size]
        tensor.resize(*dims)
        tensor.zero()
        return tensor

    def getBatchSize(self, input, nInputDim=None):
        n = nInputDim or self.nInputDim
        if isinstance(input, list):
            return self.getBatchSize(input[0])
        _assert(isinstance(input, Tensor))
        if input.dim() == n:
            return None
        if input.dim() - 1 == n:
            return input.size(1)
        raise TorchError("inconsitent tensor dims %d" % input.dim())

    def getHiddenState(self, step, input=None):
        d = self.__dict__
        if step == 0:
            if input is not None:
                self.zeroTensor = self.recursiveResizeZero(d.get("zeroTensor"),
                                                           self.outputSize,
                                                           self.getBatchSize(input))
            prev = d.get("userPrevOutput") or _tab(self, "outputs").get(step) \
                or d.get("zeroTensor")
        else:
            prev = _tab(self, "outputs").get(step)
        return [prev, [_get_hidden(c, step) for c in self.modules]]

    def setHiddenState(self, step, hiddenState):
        hiddenState = _lua_list(hiddenState)
        _assert(hiddenState is not None)
        _assert(len(hiddenState) >= 1)
        _tab(self, "outputs")[step] = hiddenState[0]
        if len(hiddenState) > 1 and hiddenState[1] is not None:
            states = _lua_list(hiddenState[1])
            _assert(states is not None)
            for i, c in enumerate(self.modules):
                _set_hidden(c, step, states[i] if i < len(states) else None)

    def updateOutput(self, input):
        prev = self.getHiddenState(self.step - 1, input)[0]
        return self._end_step(self._forward_module().updateOutput([input, prev]))

    def getGradHiddenState(self, step):
        d = self.__dict__
        gouts = _tab(self, "gradOutputs")
        if step == self.step - 1:
            g = d.get("userNextGradOutput") or gouts.get(step) or d.get("zeroTensor")
        else:
            g = gouts.get(step)
        return [g, None]

    def setGradHiddenState(self, step, gradHiddenState):
        gradHiddenState = _lua_list(gradHiddenState)
        _assert(gradHiddenState is not None)
        _assert(len(gradHiddenState) >= 1)
        _tab(self, "gradOutputs")[step] = gradHiddenState[0]
        if len(gradHiddenState) > 1 and gradHiddenState[1] is not None:
            states = _lua_list(gradHiddenState[1])
            _assert(states is not None)
            for i, c in enumerate(self.modules):
                _set_hidden(c, step, states[i] if i < len(states) else None, grad=True)

    def _updateGradInput(self, input, gradOutput):
        _assert(self.step > 1, "expecting at least one updateOutput")
        step = self.updateGradInputStep - 1
        _assert(step >= 1)
        m = self.getStepModule(step)
        g = self.getGradHiddenState(step)[0]
        grads = _tab(self, "_gradOutputs")
        grads[step] = recursiveCopy(grads.get(step), g)
        recursiveAdd(grads[step], gradOutput)
        gin = m.updateGradInput([input, self.getHiddenState(step - 1)[0]], grads[step])
        self.setGradHiddenState(step - 1, list(gin[1:]))
        return gin[0]

    def _accGradParameters(self, input, gradOutput, scale=1):
        step = self.accGradParametersStep - 1
        _assert(step >= 1)
        m = self.getStepModule(step)
        g = _tab(self, "_gradOutputs").get(step) or self.getGradHiddenState(step)[0]
        m.accGradParameters([input, self.getHiddenState(step - 1)[0]], g, scale)

    def __tostring__(self):  # nn.Decorator's
        return "%s @ %s" % (self.typename, self.modules[0].__tostring__())


CLASSES = {c.typename: c for c in (GRU, MuFuRu, Recurrence, NormStabilizer, MaskZero,
                                   TrimZero, LookupTableMaskZero, SAdd, CopyGrad, ReverseTable,
                                   BiSequencer, BiSequencerLM, RecurrentAttention)}
