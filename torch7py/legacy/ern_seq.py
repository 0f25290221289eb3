"""Element-Research rnn's sequence-at-once modules (rnn at ba937a0: SeqLSTM.lua, SeqLSTMP.lua,
SeqGRU.lua, SeqReverseSequence.lua, SeqBRNN.lua): a (T, N, D) input, the time steps run in one
updateOutput, with the fields the Lua classes keep (`weight` (D+R)x4H, `bias`, `gates`, `cell`,
`h0`, `c0`, `_output`, `_remember`, `batchfirst`, `maskzero`, ...), and the same tensor
operations in the same order (addmm, sigmoid, tanh, cmul, ...), so the values are TH's.

Older files: a SeqLSTM saved before SeqLSTMP (July 2016) has no `hiddensize` (the Lua's
`self.hiddensize = self.hiddensize or self.outputsize`); one saved before `_remember` (April
2016) has `remember_states` instead.
"""
import math

from ..nn.container import Container
from ..nn.module import Module
from ..nn import utils as _utils
from ..nn.utils import TorchAssertionError
from ..tensor import Tensor


def _assert(ok, message="assertion failed!"):
    if not ok:
        raise TorchAssertionError(message)


def _check_dims(x, dims):
    _assert(x.dim() == len(dims))
    for i, d in enumerate(dims):
        _assert(x.size(i + 1) == d)


def _remembers(m):
    """Whether updateOutput keeps the last call's state (SeqLSTM's `remember` local; a file
    from SeqLSTM's first week, April 2016, has `remember_states`, true for both modes)."""
    r = m.__dict__.get("_remember")
    if r is None:
        return bool(m.__dict__.get("remember_states"))
    if m.__dict__.get("train") is not False:
        return r in ("both", "train")
    return r in ("both", "eval")


def _zero_mask(m, cur_x):
    """The rows of cur_x (N x D) whose 2-norm is 0, as a ByteTensor kept in `zeroMask`
    (`_zeroMask` the norms), as SeqLSTM.lua, SeqGRU.lua and MaskZero.lua build it."""
    import torch7py
    d = m.__dict__
    if d.get("_zeroMask") is None:
        m._zeroMask = cur_x.new()
    m._zeroMask.norm(cur_x, 2, cur_x.dim())
    if d.get("zeroMask") is None:
        m.zeroMask = torch7py.ByteTensor()
    eq = torch7py.eq(m._zeroMask, 0)
    m.zeroMask.resize(eq.size()).copy(eq)
    return m.zeroMask


def _recursive_mask(output, mask):
    """SeqLSTM:recursiveMask: zero, in place, the rows of each tensor the mask marks."""
    if isinstance(output, (list, tuple)):
        for o in output:
            _recursive_mask(o, mask)
        return
    size = output.size().fill(1)
    size[1] = output.size(1)
    mask.resize(size)
    output.maskedFill(mask.expandAs(output), 0)


class _SeqBase(Module):
    """What SeqLSTM and SeqGRU share: remember/forget, training/evaluate forgetting,
    updateGradInput/accGradParameters through backward."""

    def remember(self, remember=None):  # Sequencer.remember
        self._remember = "both" if remember is None else remember
        _assert(self._remember in ("both", "eval", "train", "neither"),
                "AbstractSequencer : unrecognized value for remember : %s" % self._remember)
        return self

    def maskZero(self):
        self.maskzero = True

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get("recompute_backward"):
            self.backward(input, gradOutput, 1.0)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if self.__dict__.get("recompute_backward"):
            self.backward(input, gradOutput, scale)

    def training(self):
        if self.__dict__.get("train") is False:
            self.forget()
        Module.training(self)

    def evaluate(self):
        if self.__dict__.get("train") is not False:
            self.forget()
        Module.evaluate(self)
        _assert(self.train is False)

    def type(self, type=None, tensorCache=None):
        if type is None:
            return Module.type(self)
        for name in ("zeroMask", "_zeroMask", "_maskbyte", "_maskindices"):
            self.__dict__.pop(name, None)
        return Module.type(self, type, tensorCache)

    def _initial_state(self, state, user, last, N, width, remember, remember_msg):
        """The state (h0 or c0) a step-1 reads when the input gives none: the user's
        (`userPrevOutput` / `userPrevCell`), zeros, or, remembering, the last step of the field
        named `last` (the previous call's `_output` or `cell`)."""
        given = self.__dict__.get(user)
        if given is not None:
            _assert(given.size(1) == N, "batch sizes must be consistent with " + user)
            state.resizeAs(given).copy(given)
        elif state.nElement() == 0 or not remember:
            state.resize(N, width).zero()
        else:
            last = getattr(self, last)
            _assert(last.size(2) == N, remember_msg)
            state.copy(last[last.size(1)])
        return state

    def _checked(self, input, gradOutput, n, H, D):
        """The n - 1 initial states given (None where not), the input x (T, N, D) and gradOutput
        (T, N, H), time first, with SeqLSTM's/SeqGRU's size checks."""
        parts = self._unpack(input, n)
        x = parts[-1]
        _assert(x.dim() == 3, "Only supports batch mode")
        if self.__dict__.get("batchfirst"):
            x = x.transpose(1, 2)
            gradOutput = gradOutput.transpose(1, 2) if gradOutput is not None else None
        T, N = x.size(1), x.size(2)
        _check_dims(x, [T, N, D])
        for state in reversed(parts[:-1]):  # h0, then c0
            if state is not None:
                _check_dims(state, [N, H])
        if gradOutput is not None:
            _check_dims(gradOutput, [T, N, H])
        return parts[:-1] + [x, gradOutput]

    def _unpack(self, input, n):
        if isinstance(input, Tensor):
            return [None] * (n - 1) + [input]
        if isinstance(input, (list, tuple)) and len(input) in (2, n):
            return [None] * (n - len(input)) + list(input)
        _assert(False, "invalid input")


class SeqLSTM(_SeqBase):
    """nn.SeqLSTM(inputsize, hiddensize[, outputsize]): an LSTM over a whole (T, N, D)
    sequence (torch-rnn's LSTM), gates i, f, o, g in the columns of `weight` (D+R) x 4H."""

    typename = "nn.SeqLSTM"

    def __init__(self, inputsize, hiddensize, outputsize=None):
        super().__init__()
        outputsize = outputsize or hiddensize
        D, H, R = inputsize, hiddensize, outputsize
        self.inputsize, self.hiddensize, self.outputsize = D, H, R
        cls = _utils.default_tensor_class()
        self.weight = cls(D + R, 4 * H)
        self.gradWeight = cls(D + R, 4 * H)
        self.bias = cls(4 * H)
        self.gradBias = cls(4 * H).zero()
        self.reset()
        self.cell = cls()
        self.gates = cls()
        self.buffer1 = cls()
        self.buffer2 = cls()
        self.buffer3 = cls()
        self.grad_a_buffer = cls()
        self.h0 = cls()
        self.c0 = cls()
        self._remember = "neither"
        self.grad_c0 = cls()
        self.grad_h0 = cls()
        self.grad_x = cls()
        self.gradInput = [self.grad_c0, self.grad_h0, self.grad_x]
        self.batchfirst = False
        self.maskzero = False

    def reset(self, std=None):
        if not std:
            std = 1.0 / math.sqrt(self.outputsize + self.inputsize)
        self.bias.zero()
        self.bias.narrow(1, self.outputsize + 1, self.outputsize).fill(1)
        self.weight.normal(0, std)
        return self

    def resetStates(self):
        self.h0 = self.h0.new()
        self.c0 = self.c0.new()

    def forget(self):
        self.c0.resize(0)
        self.h0.resize(0)

    def _prepare_size(self, input, gradOutput=None):
        return self._checked(input, gradOutput, 3, self.outputsize, self.inputsize)

    def _hsize(self):
        d = self.__dict__
        if d.get("hiddensize") is None:  # backwards compat
            self.hiddensize = self.outputsize
        return self.hiddensize

    def updateOutput(self, input):
        d = self.__dict__
        self.recompute_backward = True
        c0, h0, x = self._prepare_size(input)[:3]
        N, T = x.size(2), x.size(1)
        H, R, D = self._hsize(), self.outputsize, self.inputsize
        if d.get("_output") is None:
            self._output = self.weight.new()
        remember = _remembers(self)
        self._return_grad_c0 = c0 is not None
        self._return_grad_h0 = h0 is not None
        if c0 is None:
            c0 = self._initial_state(self.c0, "userPrevCell", "cell", N, H, remember,
                                     "batch sizes must be constant to remember states")
        if h0 is None:
            h0 = self._initial_state(self.h0, "userPrevOutput", "_output", N, R, remember,
                                     "batch sizes must be the same to remember states")
        bias_expand = self.bias.view(1, 4 * H).expand(N, 4 * H)
        Wx = self.weight.narrow(1, 1, D)
        Wh = self.weight.narrow(1, D + 1, R)
        h, c = self._output, self.cell
        h.resize(T, N, R).zero()
        c.resize(T, N, H).zero()
        prev_h, prev_c = h0, c0
        self.gates.resize(T, N, 4 * H).zero()
        for t in range(1, T + 1):
            cur_x = x[t]
            self.next_h = h[t]
            next_c = c[t]
            cur_gates = self.gates[t]
            cur_gates.addmm(bias_expand, cur_x, Wx)
            cur_gates.addmm(prev_h, Wh)
            cur_gates.narrow(2, 1, 3 * H).sigmoid()
            cur_gates.narrow(2, 3 * H + 1, H).tanh()
            i = cur_gates.narrow(2, 1, H)
            f = cur_gates.narrow(2, H + 1, H)
            o = cur_gates.narrow(2, 2 * H + 1, H)
            g = cur_gates.narrow(2, 3 * H + 1, H)
            self.next_h.cmul(i, g)
            next_c.cmul(f, prev_c).add(self.next_h)
            self.next_h.tanh(next_c).cmul(o)
            self.adapter(t)
            if d.get("maskzero"):
                _recursive_mask([self.next_h, next_c, cur_gates], _zero_mask(self, cur_x))
            prev_h, prev_c = self.next_h, next_c
        d.pop("userPrevOutput", None)
        d.pop("userPrevCell", None)
        self.output = self._output.transpose(1, 2) if d.get("batchfirst") else self._output
        return self.output

    def adapter(self, t):
        """SeqLSTMP's projection; none here."""

    def gradAdapter(self, scale, t):
        """SeqLSTMP's projection's gradient; none here."""

    def backward(self, input, gradOutput, scale=1.0):
        import torch7py
        d = self.__dict__
        self.recompute_backward = False
        scale = 1.0 if scale is None else scale
        _assert(scale == 1.0, "must have scale=1")
        c0, h0, x, grad_h = self._prepare_size(input, gradOutput)
        _assert(grad_h is not None, "Expecting gradOutput")
        N, T = x.size(2), x.size(1)
        H, R, D = self._hsize(), self.outputsize, self.inputsize
        if d.get("_grad_x") is None:
            self._grad_x = self.weight.narrow(1, 1, D).new()
        if c0 is None:
            c0 = self.c0
        if h0 is None:
            h0 = self.h0
        grad_c0, grad_h0, grad_x = self.grad_c0, self.grad_h0, self._grad_x
        h, c = self._output, self.cell
        Wx = self.weight.narrow(1, 1, D)
        Wh = self.weight.narrow(1, D + 1, R)
        grad_Wx = self.gradWeight.narrow(1, 1, D)
        grad_Wh = self.gradWeight.narrow(1, D + 1, R)
        grad_b = self.gradBias
        grad_h0.resizeAs(h0).zero()
        grad_c0.resizeAs(c0).zero()
        grad_x.resizeAs(x).zero()
        self.buffer1.resizeAs(h0)
        self.buffer2.resizeAs(c0)
        gpo = d.get("gradPrevOutput")
        self.grad_next_h = self.buffer1.copy(gpo) if gpo is not None else self.buffer1.zero()
        ungc = d.get("userNextGradCell")
        grad_next_c = self.buffer2.copy(ungc) if ungc is not None else self.buffer2.zero()
        for t in range(T, 0, -1):
            next_c = c[t]
            prev_h, prev_c = (h0, c0) if t == 1 else (h[t - 1], c[t - 1])
            self.grad_next_h.add(grad_h[t])
            if d.get("maskzero") and self.typename != "nn.SeqLSTM":
                _recursive_mask(self.grad_next_h, _zero_mask(self, x[t]))
            self.gradAdapter(scale, t)
            gt = self.gates[t]
            i, f, o, g = (gt.narrow(2, k * H + 1, H) for k in range(4))
            grad_a = self.grad_a_buffer.resize(N, 4 * H).zero()
            grad_ai, grad_af, grad_ao, grad_ag = (grad_a.narrow(2, k * H + 1, H)
                                                  for k in range(4))
            tanh_next_c = grad_ai.tanh(next_c)
            tanh_next_c2 = grad_af.cmul(tanh_next_c, tanh_next_c)
            my_grad_next_c = grad_ao
            my_grad_next_c.fill(1).add(-1, tanh_next_c2).cmul(o).cmul(self.grad_next_h)
            grad_next_c.add(my_grad_next_c)
            grad_ao.fill(1).add(-1, o).cmul(o).cmul(tanh_next_c).cmul(self.grad_next_h)
            g2 = grad_ai.cmul(g, g)
            grad_ag.fill(1).add(-1, g2).cmul(i).cmul(grad_next_c)
            grad_ai.fill(1).add(-1, i).cmul(i).cmul(g).cmul(grad_next_c)
            grad_af.fill(1).add(-1, f).cmul(f).cmul(prev_c).cmul(grad_next_c)
            grad_x[t].mm(grad_a, Wx.t())
            grad_Wx.addmm(scale, x[t].t(), grad_a)
            grad_Wh.addmm(scale, prev_h.t(), grad_a)
            grad_a_sum = self.buffer3.resize(1, 4 * H).sum(grad_a, 1)
            grad_b.add(scale, grad_a_sum)
            self.grad_next_h = torch7py.mm(grad_a, Wh.t())
            grad_next_c.cmul(f)
        grad_h0.copy(self.grad_next_h)
        grad_c0.copy(grad_next_c)
        self.grad_x = grad_x.transpose(1, 2) if d.get("batchfirst") else grad_x
        for name in ("gradPrevOutput", "userNextGradCell"):
            d.pop(name, None)
        self.userGradPrevCell = self.grad_c0
        self.userGradPrevOutput = self.grad_h0
        if self._return_grad_c0 and self._return_grad_h0:
            self.gradInput = [self.grad_c0, self.grad_h0, self.grad_x]
        elif self._return_grad_h0:
            self.gradInput = [self.grad_h0, self.grad_x]
        else:
            self.gradInput = self.grad_x
        return self.gradInput

    def clearState(self):
        for name in ("cell", "gates", "buffer1", "buffer2", "buffer3", "grad_a_buffer",
                     "grad_c0", "grad_h0", "grad_x", "output"):
            self.__dict__[name].set()
        for name in ("_grad_x", "_output", "gradInput", "zeroMask", "_zeroMask", "_maskbyte",
                     "_maskindices"):
            self.__dict__.pop(name, None)

    def parameters(self):
        return [self.weight, self.bias], [self.gradWeight, self.gradBias]

    def toFastLSTM(self):
        """A FastLSTM with this SeqLSTM's weights: FastLSTM's gates are i, g, f, o (rows of its
        Linear), SeqLSTM's i, f, o, g (columns)."""
        from .ern import FastLSTM
        D, H = self.inputsize, self.outputsize
        lstm = FastLSTM(D, H)
        params, grads = lstm.parameters()
        order = (0, 3, 1, 2)  # FastLSTM block k takes SeqLSTM block order[k]
        for (w, bias), (Wx, b, Wh) in (((self.weight, self.bias), params),
                                       ((self.gradWeight, self.gradBias), grads)):
            for k, s in enumerate(order):
                Wx.narrow(1, k * H + 1, H).t().copy(w.narrow(1, 1, D).narrow(2, s * H + 1, H))
                Wh.narrow(1, k * H + 1, H).t().copy(w.narrow(1, D + 1, H).narrow(2, s * H + 1, H))
                b.narrow(1, k * H + 1, H).copy(bias.narrow(1, s * H + 1, H))
        return lstm

class SeqLSTMP(SeqLSTM):
    """nn.SeqLSTMP(inputsize, hiddensize, outputsize): SeqLSTM whose hidden state (H) is
    projected to R by `weightO` (H x R) each step."""

    typename = "nn.SeqLSTMP"
    dpnn_parameters = ["weight", "bias", "weightO"]
    dpnn_gradParameters = ["gradWeight", "gradBias", "gradWeightO"]

    def __init__(self, inputsize, hiddensize, outputsize):
        _assert(inputsize and hiddensize and outputsize, "Expecting input, hidden and output size")
        cls = _utils.default_tensor_class()
        Module.__init__(self)
        self.weightO = cls(hiddensize, outputsize)
        self.gradWeightO = cls(hiddensize, outputsize)
        SeqLSTM.__init__(self, inputsize, hiddensize, outputsize)

    def reset(self, std=None):
        self.bias.zero()
        self.bias.narrow(1, self.outputsize + 1, self.outputsize).fill(1)
        if not std:
            self.weight.normal(0, 1.0 / math.sqrt(self.hiddensize + self.inputsize))
            self.weightO.normal(0, 1.0 / math.sqrt(self.outputsize + self.hiddensize))
        else:
            self.weight.normal(0, std)
            self.weightO.normal(0, std)
        return self

    def adapter(self, t):
        T, N = self._output.size(1), self._output.size(2)
        hid = self.__dict__.get("_hidden")
        if hid is None:
            hid = self.__dict__["_hidden"] = self.next_h.new()
        hid.resize(T, N, self.hiddensize)
        hid[t].copy(self.next_h)
        self.next_h.resize(N, self.outputsize)
        self.next_h.mm(hid[t], self.weightO)

    def gradAdapter(self, scale, t):
        hid = self.__dict__["_hidden"]
        self.buffer3.resizeAs(self.grad_next_h).copy(self.grad_next_h)
        self.gradWeightO.addmm(scale, hid[t].t(), self.grad_next_h)
        self.grad_next_h.resize(self._output.size(2), self.hiddensize)
        self.grad_next_h.mm(self.buffer3, self.weightO.t())

    def parameters(self):
        return ([self.weight, self.bias, self.weightO],
                [self.gradWeight, self.gradBias, self.gradWeightO])

    def toFastLSTM(self):
        raise _utils.TorchError("toFastLSTM not supported for SeqLSTMP")


class SeqGRU(_SeqBase):
    """nn.SeqGRU(inputSize, outputSize): a GRU over a whole (T, N, D) sequence; gates r, u and
    the candidate in the columns of `weight` (D+H) x 3H."""

    typename = "nn.SeqGRU"

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.seqLength = 1
        self.miniBatch = 1
        D, H = inputSize, outputSize
        cls = _utils.default_tensor_class()
        self.weight = cls(D + H, 3 * H)
        self.gradWeight = cls(D + H, 3 * H).zero()
        self.bias = cls(3 * H)
        self.gradBias = cls(3 * H).zero()
        self.reset()
        self.gates = cls()
        self.buffer1 = cls()
        self.buffer2 = cls()
        self.buffer3 = cls()
        self.grad_a_buffer = cls()
        self.h0 = cls()
        self._remember = "neither"
        self.grad_h0 = cls()
        self.grad_x = cls()
        self.gradInput = [self.grad_h0, self.grad_x]
        self.batchfirst = False
        self.maskzero = False

    def reset(self, std=None):
        if not std:
            std = 1.0 / math.sqrt(self.outputSize + self.inputSize)
        self.bias.zero()
        self.bias.narrow(1, self.outputSize + 1, self.outputSize).fill(1)
        self.weight.normal(0, std)
        return self

    def resetStates(self):
        self.h0 = self.h0.new()

    def forget(self):
        self.h0.resize(0)

    def _prepare_size(self, input, gradOutput=None):
        return self._checked(input, gradOutput, 2, self.outputSize, self.inputSize)

    def updateOutput(self, input):
        d = self.__dict__
        self.recompute_backward = True
        h0, x = self._prepare_size(input)[:2]
        T, N = x.size(1), x.size(2)
        D, H = self.inputSize, self.outputSize
        if d.get("_output") is None:
            self._output = self.weight.new()
        remember = _remembers(self)
        self._return_grad_h0 = h0 is not None
        if h0 is None:
            h0 = self._initial_state(self.h0, "userPrevOutput", "_output", N, H, remember,
                                     "batch sizes must be the same to remember states")
        bias_expand = self.bias.view(1, 3 * H).expand(N, 3 * H)
        Wx = self.weight.narrow(1, 1, D)
        Wh = self.weight.narrow(1, D + 1, H)
        h = self._output
        h.resize(T, N, H).zero()
        prev_h = h0
        self.gates.resize(T, N, 3 * H).zero()
        for t in range(1, T + 1):
            cur_x = x[t]
            next_h = h[t]
            cur_gates = self.gates[t]
            cur_gates.addmm(bias_expand, cur_x, Wx)
            cur_gates.narrow(2, 1, 2 * H).addmm(prev_h, Wh.narrow(2, 1, 2 * H))
            cur_gates.narrow(2, 1, 2 * H).sigmoid()
            r = cur_gates.narrow(2, 1, H)
            u = cur_gates.narrow(2, H + 1, H)
            next_h.cmul(r, prev_h)
            cur_gates.narrow(2, 2 * H + 1, H).addmm(next_h, Wh.narrow(2, 2 * H + 1, H))
            hc = cur_gates.narrow(2, 2 * H + 1, H).tanh()
            next_h.addcmul(hc, -1, u, hc)
            next_h.addcmul(u, prev_h)
            if d.get("maskzero"):
                _recursive_mask([next_h, cur_gates], _zero_mask(self, cur_x))
            prev_h = next_h
        d.pop("userPrevOutput", None)
        self.output = self._output.transpose(1, 2) if d.get("batchfirst") else self._output
        return self.output

    def backward(self, input, gradOutput, scale=1.0):
        d = self.__dict__
        self.recompute_backward = False
        scale = 1.0 if scale is None else scale
        _assert(scale == 1.0, "must have scale=1")
        h0, x, grad_h = self._prepare_size(input, gradOutput)
        _assert(grad_h is not None, "Expecting gradOutput")
        N, T = x.size(2), x.size(1)
        D, H = self.inputSize, self.outputSize
        if d.get("_grad_x") is None:
            self._grad_x = self.weight.new()
        if h0 is None:
            h0 = self.h0
        grad_h0, grad_x = self.grad_h0, self._grad_x
        h = self._output
        Wx = self.weight.narrow(1, 1, D)
        Wh = self.weight.narrow(1, D + 1, H)
        grad_Wx = self.gradWeight.narrow(1, 1, D)
        grad_Wh = self.gradWeight.narrow(1, D + 1, H)
        grad_b = self.gradBias
        grad_h0.resizeAs(h0).zero()
        grad_x.resizeAs(x).zero()
        self.buffer1.resizeAs(h0)
        gpo = d.get("gradPrevOutput")
        grad_next_h = self.buffer1.copy(gpo) if gpo is not None else self.buffer1.zero()
        temp_buffer = self.buffer2.resizeAs(h0).zero()
        Wh_ru, Wh_c = Wh.narrow(2, 1, 2 * H), Wh.narrow(2, 2 * H + 1, H)
        for t in range(T, 0, -1):
            prev_h = h0 if t == 1 else h[t - 1]
            grad_next_h.add(grad_h[t])
            if d.get("maskzero"):
                _recursive_mask(grad_next_h, _zero_mask(self, x[t]))
            gt = self.gates[t]
            r, u, hc = (gt.narrow(2, k * H + 1, H) for k in range(3))
            grad_a = self.grad_a_buffer.resize(N, 3 * H).zero()
            grad_ar, grad_au, grad_ahc = (grad_a.narrow(2, k * H + 1, H) for k in range(3))
            grad_hc = grad_au.fill(0).addcmul(grad_next_h, -1, u, grad_next_h)
            grad_ahc.fill(1).addcmul(-1, hc, hc).cmul(grad_hc)
            grad_r = grad_au.fill(0).addmm(grad_ahc, Wh_c.t()).cmul(prev_h)
            grad_ar.fill(1).add(-1, r).cmul(r).cmul(grad_r)
            temp_buffer.fill(0).add(-1, hc).add(prev_h)
            grad_au.fill(1).add(-1, u).cmul(u).cmul(temp_buffer).cmul(grad_next_h)
            grad_x[t].mm(grad_a, Wx.t())
            grad_Wx.addmm(scale, x[t].t(), grad_a)
            grad_Wh.narrow(2, 1, 2 * H).addmm(scale, prev_h.t(), grad_a.narrow(2, 1, 2 * H))
            grad_a_sum = self.buffer3.resize(H).sum(grad_a, 1)
            grad_b.add(scale, grad_a_sum)
            temp_buffer.fill(0).add(prev_h).cmul(r)
            grad_Wh.narrow(2, 2 * H + 1, H).addmm(scale, temp_buffer.t(), grad_ahc)
            grad_next_h.cmul(u)
            grad_next_h.addmm(grad_a.narrow(2, 1, 2 * H), Wh_ru.t())
            temp_buffer.fill(0).addmm(grad_a.narrow(2, 2 * H + 1, H), Wh_c.t()).cmul(r)
            grad_next_h.add(temp_buffer)
        grad_h0.copy(grad_next_h)
        self.grad_x = grad_x.transpose(1, 2) if d.get("batchfirst") else grad_x
        d.pop("gradPrevOutput", None)
        self.userGradPrevOutput = self.grad_h0
        if self._return_grad_h0:
            self.gradInput = [self.grad_h0, self.grad_x]
        else:
            self.gradInput = self.grad_x
        return self.gradInput

    def clearState(self):
        for name in ("gates", "buffer1", "buffer2", "buffer3", "grad_a_buffer", "grad_h0",
                     "grad_x", "output"):
            self.__dict__[name].set()
        for name in ("_grad_x", "_output", "gradInput", "zeroMask", "_zeroMask", "_maskbyte",
                     "_maskindices", "userGradPrevOutput", "gradPrevOutput"):
            self.__dict__.pop(name, None)

    def parameters(self):
        return [self.weight, self.bias], [self.gradWeight, self.gradBias]

    def toGRU(self):
        """SeqGRU:toGRU(): an nn.GRU with this SeqGRU's weights (i2g's Linear the reset and
        update columns, the candidate's Linear the last H; the recurrent ones likewise)."""
        from .ern_more import GRU
        D, H = self.inputSize, self.outputSize
        gru = GRU(D, H)
        params, grads = gru.parameters()
        pairs = (((self.weight, self.bias), params), ((self.gradWeight, self.gradBias), grads))
        for (w, b), (nWxi, nbxi, nWhi, nWxo, nbxo, nWho) in pairs:
            Wx, Wh = w.narrow(1, 1, D), w.narrow(1, D + 1, H)
            nWxi.t().copy(Wx.narrow(2, 1, 2 * H))
            nWxo.t().copy(Wx.narrow(2, 2 * H + 1, H))
            nWhi.t().copy(Wh.narrow(2, 1, 2 * H))
            nWho.t().copy(Wh.narrow(2, 2 * H + 1, H))
            nbxi.copy(b.narrow(1, 1, 2 * H))
            nbxo.copy(b.narrow(1, 2 * H + 1, H))
        return gru


class SeqReverseSequence(Module):
    """nn.SeqReverseSequence(dim): the input reversed along dimension 1 after moving `dim`
    there (a gather with indices T..1)."""

    typename = "nn.SeqReverseSequence"

    def __init__(self, dim):
        super().__init__()
        cls = _utils.default_tensor_class()
        self.output = cls()
        self.gradInput = cls()
        _assert(dim, "Must specify dimension to reverse sequence over")
        _assert(dim <= 3, "Dimension has to be no greater than 3 (Only supports up to a 3D "
                "Tensor).")
        self.dim = dim

    def _reverse(self, out, name, x):
        import torch7py
        out.resizeAs(x)
        idx = self.__dict__.get(name)
        if idx is None:
            idx = torch7py.LongTensor()
            self.__dict__[name] = idx
        idx.resize(x.size())
        T = x.size(1)
        for k in range(1, T + 1):
            idx.narrow(1, k, 1).fill(T - k + 1)
        out.gather(x, 1, idx)

    def updateOutput(self, input):
        dim = self.dim
        if dim == 1:
            self._reverse(self.output, "outputIndices", input)
        elif dim in (2, 3):
            self._reverse(self.output, "outputIndices", input.transpose(1, dim))
            self.output = self.output.transpose(1, dim)
        return self.output

    def updateGradInput(self, input, gradOutput):
        dim = self.dim
        if dim == 1:
            self._reverse(self.gradInput, "gradIndices", gradOutput)
        elif dim in (2, 3):
            self._reverse(self.gradInput, "gradIndices", gradOutput.transpose(1, dim))
            self.gradInput = self.gradInput.transpose(1, dim)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if type is not None:
            self.__dict__.pop("outputIndices", None)
            self.__dict__.pop("gradIndices", None)
        return Module.type(self, type, tensorCache)

    def clearState(self):
        self.output.set()
        self.gradInput.set()
        self.__dict__.pop("outputIndices", None)
        self.__dict__.pop("gradIndices", None)


class SeqBRNN(Container):
    """nn.SeqBRNN(inputDim, hiddenDim, batchFirst, merge): a SeqLSTM forward and one over the
    reversed sequence (SeqReverseSequence on both sides), merged (CAddTable by default)."""

    typename = "nn.SeqBRNN"

    def __init__(self, inputDim, hiddenDim, batchFirst=None, merge=None):
        from .. import nn
        self.forwardModule = SeqLSTM(inputDim, hiddenDim)
        self.backwardModule = SeqLSTM(inputDim, hiddenDim)
        self.merge = merge or nn.CAddTable()
        self.dim = 1
        backward = nn.Sequential()
        backward.add(SeqReverseSequence(self.dim))
        backward.add(self.backwardModule)
        backward.add(SeqReverseSequence(self.dim))
        concat = nn.ConcatTable().add(self.forwardModule).add(backward)
        brnn = nn.Sequential().add(concat).add(self.merge)
        if batchFirst:
            brnn.insert(nn.Transpose([1, 2]), 1)
            brnn.insert(nn.Transpose([1, 2]))
        Container.__init__(self)
        cls = _utils.default_tensor_class()
        self.output = cls()
        self.gradInput = cls()
        self.module = brnn
        self.modules = [brnn]

    def updateOutput(self, input):
        self.output = self.module.updateOutput(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self.module.updateGradInput(input, gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.module.accGradParameters(input, gradOutput, scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        self.module.accUpdateGradParameters(input, gradOutput, lr)

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr):
        self.module.sharedAccUpdateGradParameters(input, gradOutput, lr)

    def __tostring__(self):
        return "%s @ %s" % (self.typename, self.module.__tostring__())


CLASSES = {c.typename: c for c in (SeqLSTM, SeqLSTMP, SeqGRU, SeqReverseSequence, SeqBRNN)}
