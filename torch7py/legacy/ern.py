"""Element-Research rnn's recurrent classes (the `rnn` package of 2015-17, Nicholas Leonard's:
AbstractRecurrent.lua, Recursor.lua, Recurrent.lua, LSTM.lua, FastLSTM.lua, LinearNoBias.lua,
AbstractSequencer.lua, Sequencer.lua, Repeater.lua), so that models saved with them load as
modules and run: nn.Repeater / nn.Sequencer around an nn.Recursor, nn.Recurrent, nn.LSTM,
nn.FastLSTM (a LSTM whose gates are one Linear and one LinearNoBias) and nn.LinearNoBias.

Each class keeps the fields its Lua class has (a file's `recurrentModule`, `sharedClones`,
`outputs`, `step`, `rho`, ...) and runs as the Lua does, step by step: evaluation runs the
`recurrentModule`, training a step clone per time step (dpnn's `stepClone`: the module tree
copied with its weight/bias/gradWeight/gradBias shared and its AbstractRecurrent modules kept,
as dpnn's `sharedClone(true, true, true)` does), kept in `sharedClones` for BPTT. rnn adds
`forget`, `maxBPTTstep` and `setOutputStep` to every nn.Module (they reach the recurrent
modules inside containers): here the functions of the same names do that walk.

nn.LSTM is also the name of torch-rnn's LSTM (a class of that project): a file's nn.LSTM is
read as this class when its fields are rnn's (`recurrentModule`), else as before (a plain
object, or the class a script registered).
"""
from collections.abc import Mapping
from ..printing import lua_print  # (th's print when called from Lua, as dpnn/rnn print)

from ..nn.container import Container
from ..nn.linear import Linear
from ..nn.module import Module
from ..nn import utils as _utils
from ..nn.utils import TorchAssertionError
from ..messages import torch_type as _torch_type
from ..printing import lua_tostring as _num
from ..serialization.objects import memo_key as _memo_key
from ..tensor import Tensor, TorchError


def _assert(ok, message="assertion failed!"):
    if not ok:
        raise TorchAssertionError(message)


def _tab(obj, name):
    """A Lua table field as a dict keyed by 1-based integers (a file gives a list where the
    table was a sequence); stored back, so later writes land in it."""
    t = obj.__dict__.get(name)
    if isinstance(t, dict):
        return t
    t = {} if t is None else {i + 1: v for i, v in enumerate(t)}
    obj.__dict__[name] = t
    return t


def _lua_list(t):
    """A Lua table given to a hidden-state setter as a 0-based list: a list as it is, a table
    with holes (a mapping over its Lua keys: `{h, nil, c}` of a container whose modules hold
    no state) with None at the holes; None for anything else (rnn asserts a table)."""
    if isinstance(t, list):
        return t
    if isinstance(t, Mapping):
        n = max((int(k) for k in t.keys() if isinstance(k, (int, float)) and k >= 1
                 and k == int(k)), default=0)
        return [t.get(i) for i in range(1, n + 1)]
    return None


def _compact(t):
    """moses' _.compact: the true values of a table, renumbered from 1 (pairs order: the
    integer keys in order)."""
    return {i + 1: v for i, v in enumerate(
        t[k] for k in sorted(t, key=lambda k: (not isinstance(k, int), k)) if t[k])}


def _is_recurrent(m):
    return isinstance(m, (AbstractRecurrent, AbstractSequencer))


def _children(m):
    mods = m.__dict__.get("modules") if hasattr(m, "__dict__") else None
    if isinstance(mods, dict):
        return [mods[k] for k in sorted(mods)]
    return list(mods) if mods else []


def forget(m):
    """rnn's Module:forget(): an AbstractRecurrent forgets its steps; any other module asks
    its modules."""
    if _is_recurrent(m):
        return m.forget()
    for c in _children(m):
        forget(c)
    return m


def maxBPTTstep(m, rho):
    """rnn's Module:maxBPTTstep(rho), walked down to the recurrent modules."""
    if _is_recurrent(m):
        return m.maxBPTTstep(rho)
    for c in _children(m):
        maxBPTTstep(c, rho)


def setOutputStep(m, step):
    """rnn's Module:setOutputStep(step) (Recursor calls it on a step's clone)."""
    if isinstance(m, AbstractRecurrent):
        return m.setOutputStep(step)
    for c in _children(m):
        setOutputStep(c, step)


def _param_names(m, params, grads):
    """dpnn's Module.dpnn_parameters and dpnn_gradParameters of m's class (weight, bias and
    gradWeight, gradBias; an NCEModule's unigrams and Z too): the fields a shared clone
    shares."""
    def listed(name, default):
        t = getattr(m, name, None)
        if t is None:
            return default
        if isinstance(t, Mapping):  # a Lua table a script set on its class
            t = _lua_list(t)
        return tuple(x for x in t if isinstance(x, str))
    names = ()
    if params:
        names += listed("dpnn_parameters", ("weight", "bias"))
    if grads:
        names += listed("dpnn_gradParameters", ("gradWeight", "gradBias"))
    return names


def stepClone(module):
    """dpnn's Module:stepClone(): a copy of the module tree that shares each module's
    weight, bias, gradWeight and gradBias (and the tensors on their storages) and keeps its
    AbstractRecurrent modules themselves (dpnn_stepclone)."""
    if isinstance(module, AbstractRecurrent):
        return module
    memo = {}
    seen = set()

    def keep(m):
        if id(m) in seen or not isinstance(m, Module):
            return
        seen.add(id(m))
        if isinstance(m, AbstractRecurrent):
            memo[_memo_key(m)] = m
            return
        d = m.__dict__
        shared = set()
        for name in _param_names(m, True, True):
            t = d.get(name)
            if isinstance(t, Tensor):
                memo[_memo_key(t)] = t
                if t.storage() is not None:
                    shared.add(id(t.storage()))
        for v in d.values():
            if isinstance(v, Tensor) and v.storage() is not None and id(v.storage()) in shared:
                memo[_memo_key(v)] = v
            elif isinstance(v, Module):
                keep(v)
            elif isinstance(v, (list, tuple)):
                for x in v:
                    keep(x)
            elif isinstance(v, dict):
                for x in v.values():
                    keep(x)

    keep(module)
    return _utils.deep_copy(module, memo)


def sharedClone(module, shareParams=None, shareGradParams=None, stepClone=None):
    """dpnn's Module:sharedClone(shareParams, shareGradParams, stepClone) (rnn requires dpnn):
    a clone of the module tree whose modules' weight and bias (shareParams, default true),
    gradWeight and gradBias (shareGradParams, default true), and any other tensor field on
    one of their storages, are new tensors set to the originals' storages (`param.new():set
    (param)`), so the clone trains the same parameters; with stepClone the AbstractRecurrent
    modules are themselves in the clone. Everything else is copied as clone() copies."""
    params = shareParams is None or bool(shareParams)
    grads = shareGradParams is None or bool(shareGradParams)
    if stepClone and isinstance(module, AbstractRecurrent):
        return module
    memo = {}
    seen = set()

    def share(t):
        memo[_memo_key(t)] = t.new().set(t)

    def walk(m):
        if id(m) in seen:
            return
        seen.add(id(m))
        if isinstance(m, Module):
            if stepClone and isinstance(m, AbstractRecurrent):
                memo[_memo_key(m)] = m
                return
            d = m.__dict__
            storages = set()
            for name in _param_names(m, params, grads):
                t = d.get(name)
                if isinstance(t, Tensor):
                    share(t)
                    if t.storage() is not None:
                        storages.add(id(t.storage()))
            for v in list(d.values()):
                if isinstance(v, Tensor):
                    if v.storage() is not None and id(v.storage()) in storages \
                            and _memo_key(v) not in memo:
                        share(v)
                else:
                    walk(v)
        elif isinstance(m, (list, tuple)):
            for x in list(m):
                walk(x)
        elif isinstance(m, dict):
            for x in list(m.values()):
                walk(x)

    walk(module)
    return _utils.deep_copy(module, memo)


def _call_reinforce(m, reward):
    """m:reinforce(reward): its class's own, else dpnn's Module:reinforce."""
    f = getattr(m, "reinforce", None)
    if callable(f):
        return f(reward)
    from ..nn.reinforce import reinforce as _reinforce
    return _reinforce(m, reward)


def recursiveCopy(t1, t2):
    """rnn.recursiveCopy: t1 made a copy of t2 (nested tables of tensors), reusing t1; the
    walk of nn.utils.recursiveCopy, which rnn's repeats."""
    return _utils.recursiveCopy(t1, t2)[0]


def recursiveAdd(t1, t2):
    """rnn.recursiveAdd: t1 += t2 (nested tables of tensors), nn.utils.recursiveAdd's walk."""
    return _utils.recursiveAdd(t1, t2)[0]


class AbstractRecurrent(Container):
    """nn.AbstractRecurrent: a module run one time step a call; `step` counts the calls since
    the last forget(), `outputs[step]` keeps each step's output, `sharedClones[step]` the
    step's clone of `recurrentModule` (training), `rho` the steps BPTT goes back."""

    typename = "nn.AbstractRecurrent"
    dpnn_stepclone = True

    def __init__(self, rho=None):
        super().__init__()
        self.rho = rho or 99999
        self.outputs = {}
        self.gradInputs = {}
        self._gradOutputs = {}
        self.gradOutputs = {}
        self.step = 1
        self.sharedClones = {}
        self.reset()

    def _training(self):
        return self.__dict__.get("train") is not False

    def _forward_module(self):
        """The module a step's updateOutput runs (rnn's subclasses each write it): training, the
        step's clone of recurrentModule after recycle(); evaluating, recurrentModule itself."""
        if self._training():
            self.recycle()
            return self.getStepModule(self.step)
        return self.recurrentModule

    def _build_gated(self):
        """The end of LSTM.lua's and GRU.lua's __init: buildModel() as recurrentModule (the
        step-1 clone), a zeroTensor of the default type, empty cells and gradCells."""
        self.recurrentModule = self.buildModel()
        self.modules.append(self.recurrentModule)
        self.sharedClones[1] = self.recurrentModule
        self.zeroTensor = _utils.default_tensor_class()()
        self.cells = {}
        self.gradCells = {}

    def _end_step(self, output):
        """How rnn's recurrent updateOutputs end: output is step `step`'s, the step counter
        goes on and the backward steps (and gradPrevOutput) are reset."""
        _tab(self, "outputs")[self.step] = output
        self.output = output
        self.step += 1
        self.gradPrevOutput = None
        self.updateGradInputStep = None
        self.accGradParametersStep = None
        return self.output

    def getStepModule(self, step):
        _assert(step, "expecting step at arg 1")
        clones = _tab(self, "sharedClones")
        m = clones.get(step)
        if m is None:
            m = stepClone(self.recurrentModule)
            clones[step] = m
            self.nSharedClone = len(clones)
        return m

    def recycle(self, offset=0):
        clones = _tab(self, "sharedClones")
        if self.__dict__.get("nSharedClone") is None:
            self.nSharedClone = len(clones)
        rho = max(self.rho + 1, self.nSharedClone)
        step = self.step
        if clones.get(step) is None:
            grads = _tab(self, "_gradOutputs")
            clones[step] = clones.pop(step - rho, None)
            if clones[step] is None:
                del clones[step]
            g = grads.pop(step - rho, None)
            if g is not None:
                grads[step] = g
        _tab(self, "outputs").pop(step - rho - 1, None)
        _tab(self, "gradInputs").pop(step - rho - 1, None)
        return self

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get("updateGradInputStep") is None:
            self.updateGradInputStep = self.step
        self.gradInput = self._updateGradInput(input, gradOutput)
        self.updateGradInputStep -= 1
        _tab(self, "gradInputs")[self.updateGradInputStep] = self.gradInput
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        _assert(self.updateGradInputStep < self.step, "Missing updateGradInput")
        if self.__dict__.get("accGradParametersStep") is None:
            self.accGradParametersStep = self.step
        self._accGradParameters(input, gradOutput, scale)
        self.accGradParametersStep -= 1

    def forget(self):
        for c in _children(self):
            forget(c)
        if self._training():
            self.outputs = {}
            self.gradInputs = {}
            self.sharedClones = _compact(_tab(self, "sharedClones"))
            self._gradOutputs = _compact(_tab(self, "_gradOutputs"))
            self.gradOutputs = {}
            if self.__dict__.get("cells") is not None:
                self.cells = {}
                self.gradCells = {}
        self.step = 1
        if not self.__dict__.get("rmInSharedClones"):
            clones = _tab(self, "sharedClones")
            n, max_idx = 0, 1
            for k, v in clones.items():
                if v is self.recurrentModule:
                    self.rmInSharedClones = True
                    max_idx = max(k, max_idx)
                n += 1
            if n > 1 and not self.__dict__.get("rmInSharedClones"):
                lua_print("WARNING : recurrentModule should be added to sharedClones in constructor.")
                lua_print("Adding it for you.")
                _assert(_torch_type(clones.get(max_idx))
                        == _torch_type(self.recurrentModule))
                self.recurrentModule = clones[max_idx]
                self.rmInSharedClones = True
        return self

    def _including_shared_clones(self, f, extra=()):
        modules = self.modules
        clones = _tab(self, "sharedClones")
        self.modules = list(modules) + [clones[k] for k in sorted(clones)] + list(extra)
        try:
            return f()
        finally:
            self.modules = modules

    def reinforce(self, reward):
        """AbstractRecurrent.lua's reinforce: a table of rewards (or a tensor of two or more
        dimensions) gives one to each of the last steps' modules, the last reward to the last
        step; one reward reaches every step clone (dpnn's Module:reinforce)."""
        from ..nn.reinforce import reinforce as _reinforce
        if isinstance(reward, (list, Mapping)):
            rewards = _lua_list(reward)
            rstep = len(rewards)
            _assert(self.step > rstep)
            for step in range(self.step - 1, self.step - len(rewards) - 1, -1):
                _call_reinforce(self.getStepModule(step), rewards[rstep - 1])
                rstep -= 1
        elif isinstance(reward, Tensor) and reward.dim() >= 2:
            rstep = reward.size(1)
            _assert(self.step > rstep)
            for step in range(self.step - 1, self.step - reward.size(1) - 1, -1):
                _call_reinforce(self.getStepModule(step), reward[rstep])
                rstep -= 1
        else:
            return self._including_shared_clones(lambda: _reinforce(self, reward))

    def type(self, type=None, tensorCache=None):
        if type is None:
            return self._type
        if tensorCache is None:
            tensorCache = {}
        if isinstance(tensorCache, dict):
            # each step clone of a Recursor holds the recurrent modules themselves: Lua
            # converts one again for every clone (each time a no-op, its tensors cached); once
            # a conversion is enough
            key = ("ern.type", id(self))
            if tensorCache.get(key) is self:
                return self
            tensorCache[key] = self
        return self._including_shared_clones(lambda: Container.type(self, type, tensorCache))

    def training(self):
        return self._including_shared_clones(lambda: Container.training(self))

    def evaluate(self):
        return self._including_shared_clones(lambda: Container.evaluate(self))

    def clearState(self):
        self.forget()
        _utils.clear(self, "_input", "_gradOutput", "_gradOutputs", "gradPrevOutput", "cell",
                     "cells", "gradCells", "outputs", "gradInputs", "gradOutputs")
        clones = _tab(self, "sharedClones")
        for i in range(1, len(clones) + 1):  # ipairs
            if i not in clones:
                break
            clones[i].clearState()
        self.recurrentModule.clearState()
        return Container.clearState(self)

    def setOutputStep(self, step):
        self.output = _tab(self, "outputs").get(step)
        _assert(self.output is not None, "no output for step %s" % _num(step))
        self.gradInput = _tab(self, "gradInputs").get(step)

    def maxBPTTstep(self, rho):
        self.rho = rho

    def maskZero(self, nInputDim):
        """recurrentModule wrapped in a MaskZero (the only shared clone now)."""
        return self._wrap_recurrent(MaskZero(self.recurrentModule, nInputDim, True))

    def trimZero(self, nInputDim):
        if self.typename == "nn.GRU" and self.__dict__.get("p", 0) != 0:
            _assert(self.__dict__.get("mono"), "TrimZero for BGRU needs `mono` option.")
        return self._wrap_recurrent(TrimZero(self.recurrentModule, nInputDim, True))

    # rnn's BPTT calls before its January 2016 rewrite (backward now runs at each step, in
    # reverse): AbstractRecurrent.lua keeps them to stop a script written for them with this
    # message (its scripts of 2015, rnn's doc/article/rnn-example.lua, call
    # rnn:backwardThroughTime() after the step backwards)
    def backwardThroughTime(self, step=None, rho=None):
        raise TorchError("DEPRECATED Jan 8, 2016")

    def updateGradInputThroughTime(self, step=None, rho=None):
        raise TorchError("DEPRECATED Jan 8, 2016")

    def accGradParametersThroughTime(self, step=None, rho=None):
        raise TorchError("DEPRECATED Jan 8, 2016")

    def accUpdateGradParametersThroughTime(self, lr=None, step=None, rho=None):
        raise TorchError("DEPRECATED Jan 8, 2016")

    def backwardUpdateThroughTime(self, learningRate=None):
        raise TorchError("DEPRECATED Jan 8, 2016")

    def _wrap_recurrent(self, wrapped):
        self.recurrentModule = wrapped
        self.sharedClones = {1: wrapped}
        self.modules[0] = wrapped
        return self

    def __tostring__(self):
        d = self.__dict__
        if d.get("inputSize") is not None and d.get("outputSize") is not None:
            return "%s(%d -> %d)" % (self.typename, d["inputSize"], d["outputSize"])
        return Container.__tostring__(self)


class Recursor(AbstractRecurrent):
    """nn.Recursor(module, rho): decorates a module to run it step by step (a clone per step
    while training, for BPTT)."""

    typename = "nn.Recursor"

    def __init__(self, module, rho=None):
        super().__init__(rho or 9999999)
        self.recurrentModule = module
        self.module = module
        self.modules = [module]
        self.sharedClones[1] = module

    def updateOutput(self, input):
        output = self._forward_module().updateOutput(input)
        _tab(self, "outputs")[self.step] = output
        self.output = output
        self.step += 1
        self.updateGradInputStep = None
        self.accGradParametersStep = None
        return self.output

    def _updateGradInput(self, input, gradOutput):
        _assert(self.step > 1, "expecting at least one updateOutput")
        step = self.updateGradInputStep - 1
        _assert(step >= 1)
        m = self.getStepModule(step)
        setOutputStep(m, step)
        return m.updateGradInput(input, gradOutput)

    def _accGradParameters(self, input, gradOutput, scale=1):
        step = self.accGradParametersStep - 1
        _assert(step >= 1)
        m = self.getStepModule(step)
        setOutputStep(m, step)
        m.accGradParameters(input, gradOutput, scale)

    def forget(self):
        AbstractRecurrent.forget(self)
        for c in _children(self):
            forget(c)
        return self

    def maxBPTTstep(self, rho):
        self.rho = rho
        for c in _children(self):
            maxBPTTstep(c, rho)

    def __tostring__(self):  # nn.Decorator's
        return "%s @ %s" % (self.typename, self.modules[0].__tostring__())


class Recurrent(AbstractRecurrent):
    """nn.Recurrent(start, input, feedback, transfer, rho, merge): output(t) =
    transfer(merge{input(x(t)), feedback(output(t-1))}); output(1) = transfer(start(input(x)))
    (`initialModule`, the first step's)."""

    typename = "nn.Recurrent"

    def __init__(self, start, input, feedback, transfer=None, rho=None, merge=None):
        from .. import nn
        super().__init__(rho)
        if isinstance(start, (int, float)) and not isinstance(start, bool):
            start = nn.Add(start)
        elif not isinstance(start, Module):
            raise TorchError("Recurrent : expecting arg 1 of type nn.Module, "
                             "torch.LongStorage, number or table")
        self.startModule = start
        self.inputModule = input
        self.feedbackModule = feedback
        self.transferModule = transfer or nn.Sigmoid()
        self.mergeModule = merge or nn.CAddTable()
        self.modules = [self.startModule, self.inputModule, self.feedbackModule,
                        self.transferModule, self.mergeModule]
        self.initialModule = nn.Sequential()
        self.initialModule.add(stepClone(self.inputModule))
        self.initialModule.add(self.startModule)
        self.initialModule.add(stepClone(self.transferModule))
        par = nn.ParallelTable()
        par.add(self.inputModule)
        par.add(self.feedbackModule)
        self.recurrentModule = nn.Sequential()
        self.recurrentModule.add(par)
        self.recurrentModule.add(self.mergeModule)
        self.recurrentModule.add(self.transferModule)
        self.sharedClones[2] = self.recurrentModule

    def updateOutput(self, input):
        outputs = _tab(self, "outputs")
        if self.step == 1:
            output = self.initialModule.updateOutput(input)
        elif self._training():
            self.recycle()
            output = self.getStepModule(self.step).updateOutput([input, outputs[self.step - 1]])
        else:
            output = self.recurrentModule.updateOutput([input, outputs[self.step - 1]])
        return self._end_step(output)

    def _updateGradInput(self, input, gradOutput):
        _assert(self.step > 1, "expecting at least one updateOutput")
        step = self.updateGradInputStep - 1
        if self.__dict__.get("gradPrevOutput") is not None:
            grads = _tab(self, "_gradOutputs")
            grads[step] = recursiveCopy(grads.get(step), self.gradPrevOutput)
            recursiveAdd(grads[step], gradOutput)
            gradOutput = grads[step]
        output = _tab(self, "outputs").get(step - 1)
        if step > 1:
            gradInput, self.gradPrevOutput = self.getStepModule(step).updateGradInput(
                [input, output], gradOutput)[:2]
        elif step == 1:
            gradInput = self.initialModule.updateGradInput(input, gradOutput)
        else:
            raise TorchError("non-positive time-step")
        return gradInput

    def _accGradParameters(self, input, gradOutput, scale=1):
        step = self.accGradParametersStep - 1
        if step != self.step - 1:
            gradOutput = _tab(self, "_gradOutputs").get(step)
        output = _tab(self, "outputs").get(step - 1)
        if step > 1:
            self.getStepModule(step).accGradParameters([input, output], gradOutput, scale)
        elif step == 1:
            self.initialModule.accGradParameters(input, gradOutput, scale)
        else:
            raise TorchError("non-positive time-step")

    def _including_shared_clones(self, f, extra=()):
        return AbstractRecurrent._including_shared_clones(self, f, [self.initialModule])

    def reinforce(self, reward):
        """Recurrent.lua's reinforce: a table's first reward goes to the first step's module
        (initialModule), the others to the step clones in order; any other reward (a tensor of
        any size) to them all."""
        if isinstance(reward, (list, Mapping)):
            for step, r in enumerate(_lua_list(reward), 1):
                _call_reinforce(self.initialModule if step == 1 else self.getStepModule(step), r)
            return None
        from ..nn.reinforce import reinforce as _reinforce
        return self._including_shared_clones(lambda: _reinforce(self, reward))

    def __tostring__(self):
        def ind(s, by):
            return s.replace("\n", by)
        tab, nxt, ext = "  ", "  |`-> ", "  |    "
        s = self.typename + " {\n  [{input(t), output(t-1)}"
        for i in range(1, 4):
            s += " -> (%d)" % i
        s += " -> output(t)]"
        line = "\n  "
        s += line + "(1): " + " {" + line + tab + "input(t)"
        s += line + tab + nxt + "(t==0): " + ind(self.startModule.__tostring__(), "\n" + tab + ext)
        s += line + tab + nxt + "(t~=0): " + ind(self.inputModule.__tostring__(), "\n" + tab + ext)
        s += line + tab + "output(t-1)"
        s += line + tab + nxt + ind(self.feedbackModule.__tostring__(), line + tab + ext)
        s += line + "}"
        s += "\n" + tab + "(2): " + ind(self.mergeModule.__tostring__(), "\n" + tab)
        s += "\n" + tab + "(3): " + ind(self.transferModule.__tostring__(), "\n" + tab)
        return s + "\n}"


class LSTM(AbstractRecurrent):
    """nn.LSTM(inputSize, outputSize, rho, cell2gate, p, mono): `recurrentModule` maps
    {x(t), output(t-1), cell(t-1)} to {output(t), cell(t)}; the first step starts from zeros
    (`zeroTensor`), or `userPrevOutput`/`userPrevCell`."""

    typename = "nn.LSTM"
    _t7_by_fields = True  # a file's nn.LSTM is this class only with rnn's fields (load_lstm)

    def __init__(self, inputSize, outputSize=None, rho=None, cell2gate=None, p=None,
                 mono=None):
        super().__init__(rho or 9999)
        self.p = p or 0
        self.mono = mono or False
        self.inputSize = inputSize
        self.outputSize = outputSize or inputSize
        self.cell2gate = True if cell2gate is None else cell2gate
        self._build_gated()

    def reset(self, stdv=None):
        # (nn's Container:reset: each module's reset, nothing returned)
        for m in _children(self):
            m.reset(stdv)

    # the Lua's factory methods
    def _dropout(self):  # LSTM.lua's nn.Dropout(self.p, false, false, true, self.mono)
        return lazy_dropout(self.p, self.mono)  # (ern_more's, imported below)

    def buildGate(self):
        from .. import nn
        gate = nn.Sequential()
        if not self.cell2gate:
            gate.add(nn.NarrowTable(1, 2))
        i2g = nn.Sequential().add(self._dropout()).add(nn.Linear(self.inputSize,
                                                                 self.outputSize))
        o2g = nn.Sequential().add(self._dropout()).add(LinearNoBias(self.outputSize,
                                                                    self.outputSize))
        para = nn.ParallelTable().add(i2g).add(o2g)
        if self.cell2gate:
            para.add(nn.CMul(self.outputSize))
        return gate.add(para).add(nn.CAddTable()).add(nn.Sigmoid())

    def buildHidden(self):
        from .. import nn
        hidden = nn.Sequential().add(nn.NarrowTable(1, 2))
        i2h = nn.Sequential().add(self._dropout()).add(nn.Linear(self.inputSize,
                                                                 self.outputSize))
        o2h = nn.Sequential().add(self._dropout()).add(LinearNoBias(self.outputSize,
                                                                    self.outputSize))
        hidden.add(nn.ParallelTable().add(i2h).add(o2h)).add(nn.CAddTable()).add(nn.Tanh())
        self.hiddenLayer = hidden
        return hidden

    def buildCell(self):
        from .. import nn
        self.inputGate = self.buildGate()
        self.forgetGate = self.buildGate()
        self.hiddenLayer = self.buildHidden()
        forget_ = nn.Sequential().add(nn.ConcatTable().add(self.forgetGate)
                                      .add(nn.SelectTable(3))).add(nn.CMulTable())
        input_ = nn.Sequential().add(nn.ConcatTable().add(self.inputGate)
                                     .add(self.hiddenLayer)).add(nn.CMulTable())
        cell = nn.Sequential().add(nn.ConcatTable().add(forget_).add(input_))
        cell.add(nn.CAddTable())
        self.cellLayer = cell
        return cell

    def buildModel(self):
        from .. import nn
        self.cellLayer = self.buildCell()
        self.outputGate = self.buildGate()
        model = nn.Sequential()
        model.add(nn.ConcatTable().add(nn.NarrowTable(1, 2)).add(self.cellLayer))
        model.add(nn.FlattenTable())
        cell_act = nn.Sequential().add(nn.SelectTable(3)).add(nn.Tanh())
        output = nn.Sequential().add(nn.ConcatTable().add(self.outputGate).add(cell_act))
        output.add(nn.CMulTable())
        model.add(nn.ConcatTable().add(output).add(nn.SelectTable(3)))
        return model

    def getHiddenState(self, step, input=None):
        if step is None:
            step = self.step - 1
        elif step < 0:
            step = self.step - step - 1
        d = self.__dict__
        outputs, cells = _tab(self, "outputs"), _tab(self, "cells")
        if step == 0:
            prev_out = d.get("userPrevOutput") or outputs.get(step) or self.zeroTensor
            prev_cell = d.get("userPrevCell") or cells.get(step) or self.zeroTensor
            if input is not None:
                if input.dim() == 2:
                    self.zeroTensor.resize(input.size(1), self.outputSize).zero()
                else:
                    self.zeroTensor.resize(self.outputSize).zero()
        else:
            prev_out, prev_cell = outputs.get(step), cells.get(step)
        return [prev_out, prev_cell]

    def setHiddenState(self, step, hiddenState):
        if step is None:
            step = self.step - 1
        elif step < 0:
            step = self.step - step - 1
        hiddenState = _lua_list(hiddenState)
        _assert(hiddenState is not None)
        _assert(len(hiddenState) == 2)
        _tab(self, "outputs")[step] = hiddenState[0]
        _tab(self, "cells")[step] = hiddenState[1]

    def updateOutput(self, input):
        prev_out, prev_cell = self.getHiddenState(self.step - 1, input)
        m = self._forward_module()
        output, cell = m.updateOutput([input, prev_out, prev_cell])[:2]
        _tab(self, "outputs")[self.step] = output
        _tab(self, "cells")[self.step] = cell
        self.output = output
        self.cell = cell
        self.step += 1
        self.gradPrevOutput = None
        self.updateGradInputStep = None
        self.accGradParametersStep = None
        return self.output

    def getGradHiddenState(self, step=None):
        d = self.__dict__
        gouts, gcells = _tab(self, "gradOutputs"), _tab(self, "gradCells")
        cur = d.get("updateGradInputStep") or self.step
        if step is None:
            step = cur - 1
        elif step < 0:
            step = cur - step - 1
        if step == self.step - 1:
            g = d.get("userNextGradOutput") or gouts.get(step) or self.zeroTensor
            c = d.get("userNextGradCell") or gcells.get(step) or self.zeroTensor
        else:
            g, c = gouts.get(step), gcells.get(step)
        return [g, c]

    def setGradHiddenState(self, step, gradHiddenState):
        cur = self.__dict__.get("updateGradInputStep") or self.step
        if step is None:
            step = cur - 1
        elif step < 0:
            step = cur - step - 1
        gradHiddenState = _lua_list(gradHiddenState)
        _assert(gradHiddenState is not None)
        _assert(len(gradHiddenState) == 2)
        _tab(self, "gradOutputs")[step] = gradHiddenState[0]
        _tab(self, "gradCells")[step] = gradHiddenState[1]

    def _updateGradInput(self, input, gradOutput):
        _assert(self.step > 1, "expecting at least one updateOutput")
        step = self.updateGradInputStep - 1
        _assert(step >= 1)
        m = self.getStepModule(step)
        g, gcell = self.getGradHiddenState(step)
        _assert(g is not None and gcell is not None)
        grads = _tab(self, "_gradOutputs")
        grads[step] = recursiveCopy(grads.get(step), g)
        recursiveAdd(grads[step], gradOutput)
        gradOutput = grads[step]
        inputs = [input] + self.getHiddenState(step - 1)
        gin = m.updateGradInput(inputs, [gradOutput, gcell])
        self.setGradHiddenState(step - 1, list(gin[1:3]))
        return gin[0]

    def _accGradParameters(self, input, gradOutput, scale=1):
        step = self.accGradParametersStep - 1
        _assert(step >= 1)
        m = self.getStepModule(step)
        inputs = [input] + self.getHiddenState(step - 1)
        gouts = self.getGradHiddenState(step)
        gouts[0] = _tab(self, "_gradOutputs").get(step) or gouts[0]
        m.accGradParameters(inputs, gouts, scale)

    def clearState(self):
        d = self.__dict__
        self.zeroTensor.set()
        for name in ("userPrevOutput", "userPrevCell", "userGradPrevOutput", "userGradPrevCell"):
            if d.get(name) is not None:
                d[name].set()
        return AbstractRecurrent.clearState(self)

    def type(self, type=None, tensorCache=None):
        if type is not None:
            self.forget()
            self.clearState()
            self.zeroTensor = self.zeroTensor.type(type)
        return AbstractRecurrent.type(self, type, tensorCache)


class FastLSTM(LSTM):
    """nn.FastLSTM(inputSize, outputSize, ...): the LSTM with its four gates computed at once
    (i2g, a Linear to 4*outputSize, and o2g, a LinearNoBias), no cell-to-gate weights. The
    forward is LSTM's; the model comes from the file or from buildModel: FastLSTM.lua's nn
    form, or its nngraph gModule when the class fields `usenngraph` or `bn` (recurrent batch
    normalization) are set, as rnn's `nn.FastLSTM.usenngraph = true` does."""

    typename = "nn.FastLSTM"
    usenngraph = False
    bn = False

    def __init__(self, inputSize, outputSize=None, rho=None, eps=None, momentum=None,
                 affine=None, p=None, mono=None):
        self.eps = eps
        self.momentum = momentum
        self.affine = True if affine is None else affine
        self.p = p or 0
        self.mono = mono or False
        super().__init__(inputSize, outputSize, rho, None, p, mono)

    def buildModel(self):
        from .. import nn
        n = self.outputSize
        if self.p != 0:  # four lazy dropouts, four Linears, joined (FastLSTM.lua)
            def four(make):
                c, par = nn.ConcatTable(), nn.ParallelTable()
                for _ in range(4):
                    c.add(lazy_dropout(self.p, self.mono))
                    par.add(make())
                return nn.Sequential().add(c).add(par).add(nn.JoinTable(2))
            self.i2g = four(lambda: nn.Linear(self.inputSize, n))
            self.o2g = four(lambda: LinearNoBias(n, n))
        else:
            self.i2g = nn.Linear(self.inputSize, 4 * n)
            self.o2g = LinearNoBias(n, 4 * n)
        if self.usenngraph or self.bn:
            return self.nngraphModel()
        gates = nn.Sequential().add(nn.NarrowTable(1, 2))
        gates.add(nn.ParallelTable().add(self.i2g).add(self.o2g)).add(nn.CAddTable())
        gates.add(nn.Reshape(4, n)).add(nn.SplitTable(1, 2))
        gates.add(nn.ParallelTable().add(nn.Sigmoid()).add(nn.Tanh()).add(nn.Sigmoid())
                  .add(nn.Sigmoid()))
        seq = nn.Sequential().add(nn.ConcatTable().add(gates).add(nn.SelectTable(3)))
        seq.add(nn.FlattenTable())
        hidden = nn.Sequential().add(nn.NarrowTable(1, 2)).add(nn.CMulTable())
        cell = nn.Sequential().add(nn.ConcatTable().add(nn.SelectTable(3))
                                   .add(nn.SelectTable(5))).add(nn.CMulTable())
        next_cell = nn.Sequential().add(nn.ConcatTable().add(hidden).add(cell))
        next_cell.add(nn.CAddTable())
        seq.add(nn.ConcatTable().add(next_cell).add(nn.SelectTable(4)))
        seq.add(nn.FlattenTable())
        cell_act = nn.Sequential().add(nn.SelectTable(1)).add(nn.Tanh())
        output = nn.Sequential().add(nn.ConcatTable().add(cell_act).add(nn.SelectTable(2)))
        output.add(nn.CMulTable())
        seq.add(nn.ConcatTable().add(output).add(nn.SelectTable(1)))
        return seq

    def nngraphModel(self):
        """FastLSTM.lua's nngraphModel: {x, prev_h, prev_c} -> {next_h, next_c} as a gModule;
        with bn, BatchNormalizations (weights 0.1) on both input sums and on the cell, and
        the bias (an nn.Add) after the recurrent one's."""
        from .. import nn
        from .. import nngraph
        n = self.outputSize
        x, prev_h, prev_c = nn.Identity()(), nn.Identity()(), nn.Identity()()
        if self.bn:
            bn_wx = nn.BatchNormalization(4 * n, self.eps, self.momentum, self.affine)
            bn_wh = nn.BatchNormalization(4 * n, self.eps, self.momentum, self.affine)
            bn_c = nn.BatchNormalization(n, self.eps, self.momentum, self.affine)
            for b in (bn_wx, bn_wh, bn_c):
                b.weight.fill(0.1)
            i2h = bn_wx(self.i2g(x).annotate({"name": "i2h"})).annotate({"name": "bn_wx"})
            h2h = bn_wh(self.o2g(prev_h).annotate({"name": "h2h"})).annotate({"name": "bn_wh"})
            h2h = nn.Add(4 * n)(h2h)
        else:
            i2h = self.i2g(x).annotate({"name": "i2h"})
            h2h = self.o2g(prev_h).annotate({"name": "h2h"})
        sums = nn.CAddTable()([i2h, h2h])
        n1, n2, n3, n4 = nn.SplitTable(2)(nn.Reshape(4, n)(sums)).split(4)
        in_gate, in_transform = nn.Sigmoid()(n1), nn.Tanh()(n2)
        forget_gate, out_gate = nn.Sigmoid()(n3), nn.Sigmoid()(n4)
        next_c = nn.CAddTable()([nn.CMulTable()([forget_gate, prev_c]),
                                 nn.CMulTable()([in_gate, in_transform])])
        cell = bn_c(next_c).annotate({"name": "bn_c"}) if self.bn else next_c
        next_h = nn.CMulTable()([out_gate, nn.Tanh()(cell)])
        nngraph.annotateNodes()
        return nn.gModule([x, prev_h, prev_c], [next_h, next_c])


class LinearNoBias(Linear):
    """nn.LinearNoBias(inputSize, outputSize): nn.Linear without its bias."""

    typename = "nn.LinearNoBias"

    def __init__(self, inputSize, outputSize):
        Module.__init__(self)
        cls = type(self.output)
        self.weight = cls(outputSize, inputSize)
        self.gradWeight = cls(outputSize, inputSize)
        self.reset()

    def reset(self, stdv=None):
        import math
        if stdv is not None:
            stdv = stdv * math.sqrt(3)
        else:
            stdv = 1.0 / math.sqrt(self.weight.size(2))
        self.weight.uniform(-stdv, stdv)
        return self

    def updateOutput(self, input):
        if input.dim() == 1:
            self.output.resize(self.weight.size(1))
            self.output.mv(self.weight, input)
        elif input.dim() == 2:
            nframe = input.size(1)
            n = self.output.nElement()
            self.output.resize(nframe, self.weight.size(1))
            if self.output.nElement() != n:
                self.output.zero()
            ab = self.__dict__.get("addBuffer")
            if ab is None or ab.nElement() != nframe:
                self.addBuffer = input.new(nframe).fill(1)
            self.output.addmm(0, self.output, 1, input, self.weight.t())
        else:
            raise TorchError("input must be vector or matrix")
        return self.output

    def accGradParameters(self, input, gradOutput, scale=1):
        if input.dim() == 1:
            self.gradWeight.addr(scale, gradOutput, input)
        elif input.dim() == 2:
            self.gradWeight.addmm(scale, gradOutput.t(), input)

    def parameters(self):
        return [self.weight], [self.gradWeight]

    def __tostring__(self):
        return "%s(%d -> %d)" % (self.typename, self.weight.size(2), self.weight.size(1))


class AbstractSequencer(Container):
    """nn.AbstractSequencer: `_remember` says whether forward forgets first ('neither',
    'train', 'eval', 'both')."""

    typename = "nn.AbstractSequencer"

    def maxBPTTstep(self, rho):
        pass

    def forget(self):
        for c in _children(self):
            forget(c)
        return self

    def remember(self, remember=None):
        self._remember = "both" if remember is None else remember
        _assert(self._remember in ("both", "eval", "train", "neither"),
                "AbstractSequencer : unrecognized value for remember : %s" % self._remember)
        return self

    def hasMemory(self):
        r = self.__dict__.get("_remember")
        if self.__dict__.get("train") is not False:
            return r in ("both", "train")
        return r in ("both", "eval")

    def __tostring__(self):  # nn.Decorator's
        return "%s @ %s" % (self.typename, self.modules[0].__tostring__())


def _as_recurrent(module):
    return module if isinstance(module, AbstractRecurrent) else Recursor(module)


class Sequencer(AbstractSequencer):
    """nn.Sequencer(module): applies the (recurrent) module to each step of a sequence, a
    table of tensors or a tensor whose first dimension is time."""

    typename = "nn.Sequencer"

    def __init__(self, module):
        super().__init__()
        if not isinstance(module, Module):
            raise TorchError("Sequencer: expecting nn.Module instance at arg 1")
        self.module = _as_recurrent(module)
        self.modules = [self.module]
        self.output = []
        self.tableoutput = []
        self.tablegradInput = []
        self._output = []
        self._remember = "neither"

    def _nstep(self, input):
        if isinstance(input, Tensor):
            return input.size(1)
        _assert(isinstance(input, list), "expecting input table")
        return len(input)

    # A Sequencer saved before rnn's Recursor (October 2015) holds a non-recurrent module as
    # it is (`isRecurrent` false): evaluation runs it on each step, keeping a copy of each
    # output; training runs a clone per step (`sharedClones[step]`, sharing the parameters).
    def _plain(self):
        return not _is_recurrent(self.module)

    def _plain_step(self, step):
        clones = _tab(self, "sharedClones")
        m = clones.get(step)
        if m is None:
            m = clones[step] = stepClone(self.module)
        return m

    def _plain_updateOutput(self, input):
        n = self._nstep(input)
        steps = [input[i + 1] if isinstance(input, Tensor) else input[i] for i in range(n)]
        if self.__dict__.get("train") is not False:
            outs = [self._plain_step(i + 1).updateOutput(x) for i, x in enumerate(steps)]
        else:
            old = self.output if isinstance(self.output, list) else []
            outs = [recursiveCopy(old[i] if i < len(old) else None,
                                  self.module.updateOutput(x)) for i, x in enumerate(steps)]
        self.output = outs
        return self.output

    def updateOutput(self, input):
        if self._plain():
            return self._plain_updateOutput(input)
        n = self._nstep(input)
        self.module.maxBPTTstep(n)
        tensor_in = isinstance(input, Tensor)
        if self.__dict__.get("train") is not False:
            if self.__dict__.get("_remember") not in ("train", "both"):
                self.module.forget()
            self.tableoutput = [self.module.updateOutput(input[i + 1] if tensor_in else input[i])
                                for i in range(n)]
            if tensor_in:
                first = self.tableoutput[0]
                out = self.output if isinstance(self.output, Tensor) else first.new()
                out.resize(n, *first.size())
                for i in range(n):
                    out[i + 1].copy(self.tableoutput[i])
                self.output = out
            else:
                self.output = self.tableoutput
        else:
            if self.__dict__.get("_remember") not in ("eval", "both"):
                self.module.forget()
            if tensor_in:
                for i in range(n):
                    y = self.module.updateOutput(input[i + 1])
                    if i == 0:
                        self.output = self.output if isinstance(self.output, Tensor) else y.new()
                        self.output.resize(n, *y.size())
                    self.output[i + 1].copy(y)
            else:
                tab = self.__dict__.get("tableoutput")
                tab = tab if isinstance(tab, list) else []
                spare = self.__dict__.get("_output")
                spare = spare if isinstance(spare, list) else []
                for i in range(n):
                    old = tab[i] if i < len(tab) else (spare.pop(0) if spare else None)
                    y = recursiveCopy(old, self.module.updateOutput(input[i]))
                    if i < len(tab):
                        tab[i] = y
                    else:
                        tab.append(y)
                spare.extend(tab[n:])
                del tab[n:]
                self.tableoutput, self._output = tab, spare
                self.output = tab
        return self.output

    def updateGradInput(self, input, gradOutput):
        n = self._nstep(input)
        if self._plain():
            self.gradInput = [self._plain_step(i + 1).updateGradInput(input[i], gradOutput[i])
                              for i in range(n)]
            return self.gradInput
        if isinstance(input, Tensor):
            _assert(isinstance(gradOutput, Tensor),
                    "expecting gradOutput Tensor since input is a Tensor")
            _assert(gradOutput.size(1) == input.size(1),
                    "gradOutput should have as many elements as input")
            ix = lambda t, i: t[i + 1]  # noqa: E731
        else:
            _assert(isinstance(gradOutput, list), "expecting gradOutput table")
            _assert(len(gradOutput) == len(input),
                    "gradOutput should have as many elements as input")
            ix = lambda t, i: t[i]  # noqa: E731
        grads = [None] * n
        for i in range(n - 1, -1, -1):
            grads[i] = self.module.updateGradInput(ix(input, i), ix(gradOutput, i))
        self.tablegradinput = grads
        if isinstance(input, Tensor):
            g = self.gradInput if isinstance(self.gradInput, Tensor) else grads[0].new()
            g.resize(n, *grads[0].size())
            for i in range(n):
                g[i + 1].copy(grads[i])
            self.gradInput = g
        else:
            self.gradInput = grads
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        n = self._nstep(input)
        if self._plain():
            for i in range(n):
                self._plain_step(i + 1).accGradParameters(input[i], gradOutput[i], scale)
            return
        tensor_in = isinstance(input, Tensor)
        for i in range(n - 1, -1, -1):
            j = i + 1 if tensor_in else i
            self.module.accGradParameters(input[j], gradOutput[j], scale)

    def training(self):
        if self.__dict__.get("train") is False:
            self.forget()
            self._output = []
            self.tableoutput = None
        return Container.training(self)

    def evaluate(self):
        if self.__dict__.get("train") is not False:
            self.forget()
            self.tableoutput = []
        Container.evaluate(self)
        _assert(self.train is False)
        return self

    def clearState(self):
        if isinstance(self.output, Tensor):
            self.output.set()
            self.gradInput.set()
        else:
            self.output = []
            self.gradInput = []
        self._output = []
        self.tableoutput = []
        self.tablegradinput = []
        self.module.clearState()
        return self


class Repeater(AbstractSequencer):
    """nn.Repeater(module, rho): presents the same input to the recurrent module rho times;
    the output is the table of the rho outputs (copies)."""

    typename = "nn.Repeater"

    def __init__(self, module, rho):
        super().__init__()
        _assert(isinstance(rho, (int, float)) and not isinstance(rho, bool),
                "expecting number value for arg 2")
        self.rho = rho
        self.module = _as_recurrent(module)
        self.module.maxBPTTstep(rho)
        self.modules = [self.module]
        self.output = []

    def updateOutput(self, input):
        d = self.__dict__
        if d.get("module") is None:
            self.module = d.get("rnn")  # backwards compatibility
        self.module.forget()
        out = self.output if isinstance(self.output, list) else []
        for step in range(int(self.rho)):
            y = recursiveCopy(out[step] if step < len(out) else None,
                              self.module.updateOutput(input))
            if step < len(out):
                out[step] = y
            else:
                out.append(y)
        self.output = out
        return self.output

    def _check(self, gradOutput):
        _assert(self.module.step - 1 == self.rho, "inconsistent rnn steps")
        _assert(isinstance(gradOutput, list), "expecting gradOutput table")
        _assert(len(gradOutput) == self.rho, "gradOutput should have rho elements")

    def updateGradInput(self, input, gradOutput):
        self._check(gradOutput)
        for step in range(int(self.rho), 0, -1):
            g = self.module.updateGradInput(input, gradOutput[step - 1])
            if step == self.rho:
                self.gradInput = recursiveCopy(self.gradInput, g)
            else:
                recursiveAdd(self.gradInput, g)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self._check(gradOutput)
        for step in range(int(self.rho), 0, -1):
            self.module.accGradParameters(input, gradOutput[step - 1], scale)

    def maxBPTTstep(self, rho):
        self.rho = rho
        self.module.maxBPTTstep(rho)

    def __tostring__(self):
        v = "     V         V             V     "
        body = self.modules[0].__tostring__().replace("\n", "\n  ")
        return ("%s {\n  [  input,    input,  ...,  input  ]\n  %s\n  %s\n  %s\n"
                "  [output(1),output(2),...,output(%s)]\n}"
                % (self.typename, v, body, v, _num(self.rho)))


# the classes a file's name gives (nn.LSTM is read by its fields: load_lstm), with those of
# ern_seq (SeqLSTM, SeqGRU, ...), ern_more (GRU, Recurrence, MaskZero, BiSequencer, ...) and
# ern_crit (SequencerCriterion, RepeaterCriterion, MaskZeroCriterion)
CLASSES = {c.typename: c for c in (AbstractRecurrent, Recursor, Recurrent, FastLSTM,
                                   LinearNoBias, AbstractSequencer, Sequencer, Repeater)}
from . import ern_crit as _ern_crit  # noqa: E402
from . import ern_more as _ern_more, ern_seq as _ern_seq  # noqa: E402  (they import this one)
from .ern_crit import (MaskZeroCriterion, RepeaterCriterion,  # noqa: E402,F401
                       SequencerCriterion)
from .ern_more import (BiSequencer, BiSequencerLM, CopyGrad, GRU,  # noqa: E402,F401
                       LookupTableMaskZero, MaskZero, MuFuRu, NormStabilizer, Recurrence,
                       RecurrentAttention,
                       ReverseTable, SAdd, TrimZero, lazy_dropout)
from .ern_seq import (SeqBRNN, SeqGRU, SeqLSTM, SeqLSTMP,  # noqa: E402,F401
                      SeqReverseSequence)
CLASSES.update(_ern_more.CLASSES)
CLASSES.update(_ern_seq.CLASSES)
CLASSES.update(_ern_crit.CLASSES)
# dpnn's modules (rnn requires dpnn; `require 'dpnn'` alone gives these): torch7py/nn files
# outside nn's own classes
from ..nn.reinforce import Reinforce  # noqa: E402
from ..nn.reinforce_bernoulli import ReinforceBernoulli  # noqa: E402
from ..nn.reinforce_categorical import ReinforceCategorical  # noqa: E402
from ..nn.reinforce_normal import ReinforceNormal  # noqa: E402
from ..nn.serial import Serial  # noqa: E402
from ..nn.spatial_glimpse import SpatialGlimpse  # noqa: E402
from ..nn.spatial_re_sampling import SpatialReSampling  # noqa: E402
from ..nn.vr_class_reward import VRClassReward  # noqa: E402
from ..nn.nce_module import NCEModule  # noqa: E402
from ..nn.nce_criterion import NCECriterion  # noqa: E402
from ..nn.alias_multinomial import AliasMultinomial  # noqa: E402
from ..nn.inception import Inception  # noqa: E402
from ..nn.arg_max import ArgMax  # noqa: E402
from ..nn.categorical_entropy import CategoricalEntropy  # noqa: E402
from ..nn.clip import Clip  # noqa: E402
from ..nn.total_dropout import TotalDropout  # noqa: E402
from ..nn.binary_class_reward import BinaryClassReward  # noqa: E402
from ..nn.fire_module import FireModule  # noqa: E402
from ..nn.binary_logistic_regression import BinaryLogisticRegression  # noqa: E402
from ..nn.spatial_binary_logistic_regression import SpatialBinaryLogisticRegression  # noqa: E402
from ..nn.spatial_region_dropout import SpatialRegionDropout  # noqa: E402
from ..nn.spatial_feat_normalization import SpatialFeatNormalization  # noqa: E402
from ..nn.simple_color_transform import SimpleColorTransform  # noqa: E402
from ..nn.pca_color_transform import PCAColorTransform  # noqa: E402
from ..nn.spatial_binary_convolution import SpatialBinaryConvolution  # noqa: E402
DPNN_CLASSES = {c.typename: c for c in (Reinforce, ReinforceBernoulli, ReinforceCategorical,
                                        ReinforceNormal, Serial, SpatialGlimpse, VRClassReward,
                                        ReverseTable, NCEModule, NCECriterion, Inception,
                                        ArgMax, CategoricalEntropy, Clip, TotalDropout,
                                        BinaryClassReward, FireModule,
                                        BinaryLogisticRegression,
                                        SpatialBinaryLogisticRegression, SpatialRegionDropout,
                                        SpatialFeatNormalization, SimpleColorTransform,
                                        PCAColorTransform, SpatialBinaryConvolution,
                                        # nnx's, which dpnn's SpatialGlimpse requires
                                        SpatialReSampling)}
CLASSES.update(DPNN_CLASSES)
# (torchx's sampler, which an NCEModule holds: a torch.* class, read back with it)
CLASSES[AliasMultinomial.typename] = AliasMultinomial


def load_lstm(reader, index, version, typename):
    """nn.LSTM of a file: rnn's when its fields are (a recurrentModule), else what the name
    gave before (a plain object: torch-rnn's LSTM, a class of that project)."""
    from ..serialization import objects
    obj = LSTM.__new__(LSTM)
    reader._remember(index, obj)
    infile = reader._fields()
    if "recurrentModule" in infile:
        if reader.gpu_types == "cpu" and isinstance(infile.get("_type"), str) \
                and infile["_type"].startswith("torch.Cuda"):
            from . import cpu_typename
            infile["_type"] = cpu_typename(infile["_type"])
        obj.__dict__.update(objects._read_order(infile))
        objects._note_read_order(obj, infile)
        return obj
    if not reader.unknown_table:
        pkg = objects._package_of(typename)
        raise reader._error("unknown Torch class <%s> (%sload with unknown_classes='table' "
                            "to get its fields as a TorchObject)" % (
                                typename, "a class of %s; " % pkg if pkg else ""))
    plain = objects.TorchObject(typename, version=version)
    plain.update(objects._read_order(infile))
    objects._note_read_order(plain, infile)
    reader._remember(index, plain)
    seen = reader.env.get("unknown_seen")
    if seen is not None:
        seen.add(typename)
    return plain
