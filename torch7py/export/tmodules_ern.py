"""PyTorch forms of Element-Research rnn's classes (torch7py.legacy.ern): each recurrent
module keeps its state from call to call (one call a time step, as rnn's step counter does),
and a Sequencer or Repeater clears the states of the recurrent modules inside it before a
sequence, as their forget() does. Children are registered under the Torch7 modules' indices
('0', '1', ...), so the exported state_dict has the Torch7 tree's names."""
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
