"""PyTorch forms of Element-Research rnn's classes (torch7py.legacy.ern): each recurrent
module keeps its state from call to call (one call a time step, as rnn's step counter does),
and a Sequencer or Repeater clears the states of the recurrent modules inside it before a
sequence, as their forget() does. Children are registered under the Torch7 modules' indices
('0', '1', ...), so the exported state_dict has the Torch7 tree's names. The sequence-at-once
modules (SeqLSTM, SeqLSTMP, SeqGRU) hold their weight, bias (and weightO) as Torch7 does."""
import torch
from torch import nn


def forget(module):
    """rnn's forget(): every recurrent form inside starts again from step 1."""
    for m in module.modules():
        if isinstance(m, _Stateful):
            m.reset_state()


class _Stateful(nn.Module):
    def reset_state(self):
        raise NotImplementedError   # each form below defines it


class Recursor(nn.Module):
    """nn.Recursor: its module, one step a call."""

    def __init__(self, module):
        super().__init__()
        self.add_module('0', module)

    def forward(self, x):
        return self._modules['0'](x)


class LSTM(_Stateful):
    """rnn's nn.LSTM / nn.FastLSTM: `0` (the recurrentModule's form) maps {x, h, c} to
    {h', c'}; the first step starts from zeros of the batch's shape."""

    def __init__(self, output_size, step):
        super().__init__()
        self.output_size = output_size
        self.add_module('0', step)
        self.h = self.c = None

    def reset_state(self):
        self.h = self.c = None

    def forward(self, x):
        if self.h is None:
            shape = (x.shape[0], self.output_size) if x.dim() == 2 else (self.output_size,)
            self.h = self.c = x.new_zeros(shape)
        out, cell = self._modules['0']([x, self.h, self.c])[:2]
        self.h, self.c = out, cell
        return out


class Recurrent(_Stateful):
    """rnn's nn.Recurrent: children start, input, feedback, transfer, merge ('0'..'4');
    output(1) = transfer(start(input(x))), output(t) = transfer(merge{input(x),
    feedback(output(t-1))})."""

    def __init__(self, start, input, feedback, transfer, merge):
        super().__init__()
        for i, m in enumerate((start, input, feedback, transfer, merge)):
            self.add_module(str(i), m)
        self.prev = None

    def reset_state(self):
        self.prev = None

    def forward(self, x):
        start, inp, fb, transfer, merge = (self._modules[str(i)] for i in range(5))
        if self.prev is None:
            out = transfer(start(inp(x)))
        else:
            out = transfer(merge([inp(x), fb(self.prev)]))
        self.prev = out
        return out


class Sequencer(nn.Module):
    """nn.Sequencer: its module on each step of a sequence (a list, or a tensor whose first
    dimension is time, stacked back); forgets first unless remember is on for the mode."""

    def __init__(self, module, remember='neither'):
        super().__init__()
        self.add_module('0', module)
        self.remember = remember

    def forward(self, input):
        keep = ('train', 'both') if self.training else ('eval', 'both')
        if self.remember not in keep:
            forget(self)
        m = self._modules['0']
        outs = [m(input[i]) for i in range(len(input))]
        return torch.stack(outs) if torch.is_tensor(input) else outs


class Repeater(nn.Module):
    """nn.Repeater: forgets, then gives the same input to its module rho times; the rho
    outputs as a list."""

    def __init__(self, module, rho):
        super().__init__()
        self.add_module('0', module)
        self.rho = rho

    def forward(self, x):
        forget(self)
        m = self._modules['0']
        return [m(x) for _ in range(self.rho)]


class GRU(_Stateful):
    """rnn's nn.GRU: `0` (the recurrentModule's form) maps {x, s} to s'; the first step starts
    from zeros of the batch's shape."""

    def __init__(self, output_size, step):
        super().__init__()
        self.output_size = output_size
        self.add_module('0', step)
        self.h = None

    def reset_state(self):
        self.h = None

    def forward(self, x):
        if self.h is None:
            shape = (x.shape[0], self.output_size) if x.dim() == 2 else (self.output_size,)
            self.h = x.new_zeros(shape)
        self.h = self._modules['0']([x, self.h])
        return self.h


class Decorated(nn.Module):
    """A module that computes what its child '0' computes (rnn's BiSequencer, SeqBRNN and
    NormStabilizer, whose forward is their module's)."""

    def __init__(self, module):
        super().__init__()
        self.add_module('0', module)

    def forward(self, x):
        return self._modules['0'](x)


class SAdd(nn.Module):
    """rnn's nn.SAdd: x + addend, negated when negate."""

    def __init__(self, addend, negate):
        super().__init__()
        self.addend, self.negate = addend, negate

    def forward(self, x):
        y = x + self.addend
        return -y if self.negate else y


class ReverseTable(nn.Module):
    """dpnn's nn.ReverseTable: the list reversed."""

    def forward(self, xs):
        return list(reversed(list(xs)))


def _zero_rows(x, batch):
    """rnn's zero mask: the samples whose input has a 2-norm of 0 (computed as TH's norm:
    the square root of the sum of squares)."""
    flat = x.reshape(x.shape[0], -1) if batch else x.reshape(1, -1)
    return (flat * flat).sum(1).sqrt() == 0


def _mask_rows(y, zero, batch):
    if isinstance(y, (list, tuple)):
        return [_mask_rows(v, zero, batch) for v in y]
    shape = (y.shape[0],) + (1,) * (y.dim() - 1) if batch else (1,) * y.dim()
    return y.masked_fill(zero.reshape(shape), 0)


class MaskZero(nn.Module):
    """rnn's nn.MaskZero (and TrimZero, whose outputs are the same for modules that treat the
    samples apart): the outputs of the samples whose first input tensor is all zeros are
    zeros."""

    def __init__(self, module, n_input_dim):
        super().__init__()
        self.add_module('0', module)
        self.n_input_dim = n_input_dim

    def forward(self, input):
        first = input
        while isinstance(first, (list, tuple)):
            first = first[0]
        if first.dim() == self.n_input_dim:
            batch = False
        elif first.dim() - 1 == self.n_input_dim:
            batch = True
        else:
            raise RuntimeError('nInputDim error: %d, %d' % (first.dim(), self.n_input_dim))
        zero = _zero_rows(first, batch)
        return _mask_rows(self._modules['0'](input), zero, batch)


class LookupTableMaskZero(nn.Module):
    """rnn's nn.LookupTableMaskZero: index i reads row i + 1 (1-based) of nIndex + 1 rows;
    index 0 reads the first row, kept zero."""

    def __init__(self, nIndex, nOutput):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(nIndex, nOutput))

    def forward(self, x):
        w = torch.cat([torch.zeros_like(self.weight[:1]), self.weight[1:]])
        return torch.nn.functional.embedding(x.long(), w)


class _SeqRNN(_Stateful):
    """What SeqLSTM's and SeqGRU's forms share: the (T, N, D) input or {h0, x} / {c0, h0, x},
    batchfirst, remember (the last step's state kept for the next call in the modes it names),
    maskzero (a sample whose input step is all zeros gets zero output and state)."""

    def __init__(self, batchfirst, maskzero, remember):
        super().__init__()
        self.batchfirst, self.maskzero, self.remember = batchfirst, maskzero, remember
        self.state = None

    def reset_state(self):
        self.state = None

    def _remembers(self):
        keep = ('train', 'both') if self.training else ('eval', 'both')
        return self.remember in keep

    def _split(self, input, n):
        if torch.is_tensor(input):
            given, x = [], input
        else:
            given, x = list(input[:-1]), input[-1]
        if self.batchfirst:
            x = x.transpose(0, 1)
        return given, x

    def _run(self, x, state, step):
        out = []
        for t in range(x.shape[0]):
            y, state = step(x[t], state)
            if self.maskzero:
                zero = _zero_rows(x[t], True)
                y = _mask_rows(y, zero, True)
                state = _mask_rows(list(state), zero, True)
            out.append(y)
        h = torch.stack(out)
        return (h.transpose(0, 1) if self.batchfirst else h), state


class SeqLSTM(_SeqRNN):
    """rnn's nn.SeqLSTM / nn.SeqLSTMP: weight (D+R) x 4H (gates i, f, o, g in its columns),
    bias 4H, and for SeqLSTMP weightO (H x R) projecting each step's hidden state."""

    def __init__(self, D, H, R, projected, batchfirst=False, maskzero=False,
                 remember='neither'):
        super().__init__(batchfirst, maskzero, remember)
        self.D, self.H, self.R = D, H, R
        self.weight = nn.Parameter(torch.zeros(D + R, 4 * H))
        self.bias = nn.Parameter(torch.zeros(4 * H))
        self.weightO = nn.Parameter(torch.zeros(H, R)) if projected else None

    def forward(self, input):
        given, x = self._split(input, 3)
        N, D, H = x.shape[1], self.D, self.H
        if len(given) == 2:
            c, h = given
        elif len(given) == 1:
            c, h = None, given[0]
        else:
            c = h = None
        if self.state is not None and self._remembers():
            h = self.state[0] if h is None else h
            c = self.state[1] if c is None else c
        h = x.new_zeros(N, self.R) if h is None else h
        c = x.new_zeros(N, H) if c is None else c
        Wx, Wh, b = self.weight[:D], self.weight[D:], self.bias

        def step(xt, state):
            h, c = state
            a = torch.addmm(b, xt, Wx) + h @ Wh
            i, f, o = (torch.sigmoid(a[:, k * H:(k + 1) * H]) for k in range(3))
            g = torch.tanh(a[:, 3 * H:])
            c = f * c + i * g
            h = o * torch.tanh(c)
            if self.weightO is not None:
                h = h @ self.weightO
            return h, (h, c)
        out, self.state = self._run(x, (h, c), step)
        return out


class SeqGRU(_SeqRNN):
    """rnn's nn.SeqGRU: weight (D+H) x 3H (reset, update, candidate in its columns), bias 3H."""

    def __init__(self, D, H, batchfirst=False, maskzero=False, remember='neither'):
        super().__init__(batchfirst, maskzero, remember)
        self.D, self.H = D, H
        self.weight = nn.Parameter(torch.zeros(D + H, 3 * H))
        self.bias = nn.Parameter(torch.zeros(3 * H))

    def forward(self, input):
        given, x = self._split(input, 2)
        N, D, H = x.shape[1], self.D, self.H
        h = given[0] if given else None
        if h is None and self.state is not None and self._remembers():
            h = self.state[0]
        h = x.new_zeros(N, H) if h is None else h
        Wx, Wh, b = self.weight[:D], self.weight[D:], self.bias

        def step(xt, state):
            h = state[0]
            a = torch.addmm(b, xt, Wx)
            ru = torch.sigmoid(a[:, :2 * H] + h @ Wh[:, :2 * H])
            r, u = ru[:, :H], ru[:, H:]
            hc = torch.tanh(a[:, 2 * H:] + (r * h) @ Wh[:, 2 * H:])
            h = (1 - u) * hc + u * h
            return h, (h,)
        out, self.state = self._run(x, (h,), step)
        return out


class SeqReverseSequence(nn.Module):
    """rnn's nn.SeqReverseSequence(dim): the input reversed along dimension dim (1-based)."""

    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return torch.flip(x, [self.dim - 1])


class BiSequencerLM(nn.Module):
    """rnn's nn.BiSequencerLM: children _fwd, _bwd, _merge ('0', '1', '2'); the forward
    direction sees steps 1..T-1, the backward one 2..T; zeros pad each to T steps."""

    def __init__(self, fwd, bwd, merge):
        super().__init__()
        for i, m in enumerate((fwd, bwd, merge)):
            self.add_module(str(i), m)

    def forward(self, xs):
        xs = list(xs)
        fwd, bwd, merge = (self._modules[str(i)] for i in range(3))
        f = list(fwd(xs[:-1]))
        b = list(bwd(xs[1:]))
        return merge([[torch.zeros_like(f[0])] + f, b + [torch.zeros_like(b[0])]])


class Recurrence(_Stateful):
    """rnn's nn.Recurrence: `0` maps {x, output(t-1)} to output(t); output(0) is zeros of
    outputSize (a list of sizes, or a list of such lists for a table state), with the batch
    size first when x has n_input_dim + 1 dimensions."""

    def __init__(self, output_size, n_input_dim, step):
        super().__init__()
        self.output_size, self.n_input_dim = output_size, n_input_dim
        self.add_module('0', step)
        self.prev = None

    def reset_state(self):
        self.prev = None

    def _zeros(self, size, x, batch):
        if size and isinstance(size[0], (list, tuple)):
            return [self._zeros(s, x, batch) for s in size]
        return x.new_zeros(((batch,) if batch else ()) + tuple(size))

    def forward(self, x):
        if self.prev is None:
            first = x
            while isinstance(first, (list, tuple)):
                first = first[0]
            batch = first.shape[0] if first.dim() - 1 == self.n_input_dim else None
            self.prev = self._zeros(self.output_size, first, batch)
        self.prev = self._modules['0']([x, self.prev])
        return self.prev


class SequencerCriterion(nn.Module):
    """rnn's nn.SequencerCriterion: the sum over steps of '0'(input[t], target[t]) (a tensor's
    first dimension, or a list), divided by the steps with sizeAverage; RepeaterCriterion's
    form (repeat) gives each step the same target."""

    def __init__(self, criterion, sizeAverage=False, repeat=False):
        super().__init__()
        self.add_module('0', criterion)
        self.sizeAverage, self.repeat = sizeAverage, repeat

    def forward(self, input, target):
        c = self._modules['0']
        n = len(input)
        loss = 0
        for t in range(n):
            loss = loss + c(input[t], target if self.repeat else target[t])
        return loss / n if self.sizeAverage else loss


class MaskZeroCriterion(nn.Module):
    """rnn's nn.MaskZeroCriterion: '0' on the samples whose first input tensor is not all
    zeros (0 when none is)."""

    def __init__(self, criterion, n_input_dim):
        super().__init__()
        self.add_module('0', criterion)
        self.n_input_dim = n_input_dim

    def forward(self, input, target):
        first = input
        while isinstance(first, (list, tuple)):
            first = first[0]
        if first.dim() != self.n_input_dim + 1:
            raise RuntimeError('MaskZeroCriterion: batch input expected (nInputDim + 1 dims)')
        keep = (~_zero_rows(first, True)).nonzero().reshape(-1)
        if keep.numel() == 0:
            return first.new_zeros(())

        def pick(x):
            return [pick(v) for v in x] if isinstance(x, (list, tuple)) else x[keep]
        return self._modules['0'](pick(input), pick(target))
