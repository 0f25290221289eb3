"""Element-Research rnn's criterions (rnn at ba937a0: SequencerCriterion.lua,
RepeaterCriterion.lua, MaskZeroCriterion.lua): a criterion applied at each step of a sequence
(a clone per step, kept in `clones`), against the step's target or the same target each step,
and one that leaves out the samples whose input is all zeros."""
import torch7py

from ..nn.criterion import Criterion
from ..nn.utils import TorchAssertionError
from ..tensor import Tensor, TorchError


def _assert(ok, message="assertion failed!"):
    if not ok:
        raise TorchAssertionError(message)


def _nstep(input, target=None, check=True, what="target"):
    if isinstance(input, Tensor):
        if check:
            _assert(isinstance(target, Tensor), "expecting target Tensor since input is a Tensor")
            _assert(target.size(1) == input.size(1),
                    "target should have as many elements as input")
        return input.size(1)
    if check:
        _assert(isinstance(target, list), "expecting %s table" % what)
        _assert(len(target) == len(input), "target should have as many elements as input")
    return len(input)


def _at(x, i):
    """input[i] (1-based) of a tensor or of a table."""
    return x[i] if isinstance(x, Tensor) else x[i - 1]


def _stack(input, grads, n):
    if isinstance(input, Tensor):
        g = grads[0].new()
        g.resize(n, *grads[0].size())
        for step in range(1, n + 1):
            g[step].copy(grads[step - 1])
        return g
    return grads


class SequencerCriterion(Criterion):
    """nn.SequencerCriterion(criterion, sizeAverage): the sum over time steps of criterion
    (a clone per step) on input[t], target[t]; divided by the steps with sizeAverage."""

    typename = "nn.SequencerCriterion"

    def __init__(self, criterion, sizeAverage=None):
        super().__init__()
        self.criterion = criterion
        if getattr(criterion, "typename", "") == "nn.ModuleCriterion":
            raise TorchError("SequencerCriterion shouldn't decorate a ModuleCriterion. Instead, "
                             "try the other way around : ModuleCriterion decorates a "
                             "SequencerCriterion. Its modules can also be similarly decorated "
                             "with a Sequencer.")
        self.sizeAverage = False if sizeAverage is None else sizeAverage
        self.clones = {}
        self.gradInput = []

    def getStepCriterion(self, step):
        _assert(step, "expecting step at arg 1")
        clones = self.__dict__.get("clones")
        if isinstance(clones, list):
            clones = self.clones = {i + 1: c for i, c in enumerate(clones)}
        c = clones.get(step)
        if c is None:
            c = clones[step] = self.criterion.clone()
        return c

    def updateOutput(self, input, target):
        self.output = 0
        n = _nstep(input, target)
        for i in range(1, n + 1):
            self.output = self.output + self.getStepCriterion(i).forward(_at(input, i),
                                                                         _at(target, i))
        if self.sizeAverage:
            self.output = self.output / n
        return self.output

    def updateGradInput(self, input, target):
        self.gradInput = []
        n = _nstep(input, target, what="gradOutput")
        grads = []
        for i in range(1, n + 1):
            g = self.getStepCriterion(i).backward(_at(input, i), _at(target, i))
            if self.sizeAverage:
                _div(g, n)
            grads.append(g)
        self.gradInput = _stack(input, grads, n)
        return self.gradInput


def _div(x, scalar):
    if isinstance(x, list):
        for v in x:
            _div(v, scalar)
    else:
        x.div(scalar)


class RepeaterCriterion(Criterion):
    """nn.RepeaterCriterion(criterion): the sum over time steps of criterion (a clone per
    step) on input[t] and the same target."""

    typename = "nn.RepeaterCriterion"
    getStepCriterion = SequencerCriterion.getStepCriterion

    def __init__(self, criterion):
        super().__init__()
        self.criterion = criterion
        self.gradInput = []
        self.clones = {}

    def forward(self, input, target):
        self.output = 0
        n = _nstep(input, check=False)
        for i in range(1, n + 1):
            self.output = self.output + self.getStepCriterion(i).forward(_at(input, i), target)
        return self.output

    updateOutput = forward

    def backward(self, input, target):
        self.gradInput = []
        n = _nstep(input, check=False)
        grads = [self.getStepCriterion(i).backward(_at(input, i), target)
                 for i in range(1, n + 1)]
        self.gradInput = _stack(input, grads, n)
        return self.gradInput

    updateGradInput = backward


class _RecursiveMask:
    """recursiveGetFirst and recursiveMask's walk of nested tables, which rnn's MaskZero and
    MaskZeroCriterion both write: dst keeps its tables and tensors, each tensor of src gives
    `_mask_tensor(dst, src, mask)` (a class's own masking)."""

    def recursiveGetFirst(self, input):
        if isinstance(input, list):
            return self.recursiveGetFirst(input[0])
        _assert(isinstance(input, Tensor))
        return input

    def recursiveMask(self, dst, src, mask):
        if isinstance(src, list):
            dst = dst if isinstance(dst, list) else []
            for k, v in enumerate(src):
                o = self.recursiveMask(dst[k] if k < len(dst) else None, v, mask)
                if k < len(dst):
                    dst[k] = o
                else:
                    dst.append(o)
            return dst
        _assert(isinstance(src, Tensor))
        dst = dst if isinstance(dst, Tensor) else src.new()
        return self._mask_tensor(dst, src, mask)


class MaskZeroCriterion(Criterion, _RecursiveMask):
    """nn.MaskZeroCriterion(criterion, nInputDim): the criterion on the samples (rows) whose
    first input tensor is not all zeros (`zeroMask`, their 1-based indices); 0 when none is."""

    typename = "nn.MaskZeroCriterion"

    def __init__(self, criterion, nInputDim):
        super().__init__()
        self.criterion = criterion
        _assert(isinstance(criterion, Criterion))
        _assert(isinstance(nInputDim, (int, float)) and not isinstance(nInputDim, bool),
                "Expecting nInputDim number at arg 2")
        self.nInputDim = nInputDim

    def _mask_tensor(self, dst, src, mask):
        """MaskZeroCriterion's recursiveMask on a tensor: the rows the mask (indices) keeps."""
        dst.index(src, 1, mask)
        return dst

    def updateOutput(self, input, target):
        d = self.__dict__
        rmi = self.recursiveGetFirst(input).contiguous()
        if rmi.dim() == self.nInputDim:
            raise TorchError("does not support online (i.e. non-batch) mode")
        if rmi.dim() - 1 != self.nInputDim:
            raise TorchError("nInputDim error: %d, %d" % (rmi.dim(), self.nInputDim))
        rmi = rmi.view(rmi.size(1), -1)
        if d.get("_zeroMask") is None:
            self._zeroMask = rmi.new()
        self._zeroMask.norm(rmi, 2, rmi.dim())
        if d.get("zeroMask") is None:
            self.zeroMask = torch7py.LongTensor()
        norms = self._zeroMask.numpy().reshape(-1)
        kept = [i + 1 for i in range(norms.size) if norms[i] != 0]
        self.zeroMask.resize(len(kept))
        for j, i in enumerate(kept):
            self.zeroMask[j + 1] = i
        if kept:
            self.input = self.recursiveMask(d.get("input"), input, self.zeroMask)
            self.target = self.recursiveMask(d.get("target"), target, self.zeroMask)
            self.output = self.criterion.updateOutput(self.input, self.target)
        else:
            self.output = 0
        return self.output

    def recursiveMaskGradInput(self, dst, mask, src, input):
        if isinstance(input, list):
            dst = dst if isinstance(dst, list) else [dst]
            src = src if isinstance(src, list) else [src]
            out = []
            for k, v in enumerate(input):
                out.append(self.recursiveMaskGradInput(dst[k] if k < len(dst) else None, mask,
                                                       src[k] if k < len(src) else None, v))
            return out
        if isinstance(input, Tensor):
            dst = dst if isinstance(dst, Tensor) else input.new()
            dst.resizeAs(input).zero()
            if mask.nElement() > 0:
                _assert(src is not None)
                dst.indexCopy(1, mask, src)
            return dst
        raise TorchError("expecting nested tensors or tables. Got %s and %s instead"
                         % (type(dst).__name__, type(input).__name__))

    def updateGradInput(self, input, target):
        d = self.__dict__
        if self.zeroMask.nElement() > 0:
            _assert(d.get("input") is not None and d.get("target") is not None)
            self._gradInput = self.criterion.updateGradInput(self.input, self.target)
        self.gradInput = self.recursiveMaskGradInput(d.get("gradInput"), self.zeroMask,
                                                     d.get("_gradInput"), input)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if type is not None:
            for name in ("zeroMask", "_zeroMask", "__zeroMask", "input", "target",
                         "_gradInput"):
                self.__dict__.pop(name, None)
        return Criterion.type(self, type, tensorCache)


CLASSES = {c.typename: c for c in (SequencerCriterion, RepeaterCriterion, MaskZeroCriterion)}
