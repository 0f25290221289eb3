"""torch-rnn's classes (jcjohnson/torch-rnn: LanguageModel.lua, LSTM.lua, VanillaRNN.lua) in
Python, forward only, so that torch-rnn checkpoints (`cv/checkpoint_N.t7`) load and run in
torch7py: these classes belong to torch-rnn, not to any package, so torch7py loads them as plain
field tables until a script defines them, as torch-rnn's own scripts do under th
(`require 'LanguageModel'`).

    import torch7py as torch
    import examples.torch_rnn_model             # registers nn.LanguageModel, nn.LSTM, ...
    model = torch.load('cv/checkpoint_10000.t7')['model']
    model.resetStates(); model.evaluate()
    scores = model.forward(torch.LongTensor([[1, 2, 3]]).double())   # 1 x 3 x vocab

`t7-to-pytorch --define examples/torch_rnn_model.py` and tools/t7_sweep.py's --define run it.
With PyTorch installed it also gives their PyTorch forms (torch7py.export.register_converter):
LanguageModel's is built from the exported forms of its net's layers (a converter taking
(layer, convert)), so a checkpoint's model exports and is measured against this forward.
"""
import numpy as np

import torch7py
from torch7py import nn


def _arr(t):
    return np.asarray(t.numpy(), dtype=np.float64)


def _put(module, name, value, like):
    """module.<name> = a tensor of like's type holding value (a numpy array)."""
    t = like.new().resize(*value.shape) if value.ndim else like.new()
    t.numpy()[...] = value
    setattr(module, name, t)
    return t


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


class _Recurrent(nn.Module):
    """What LSTM.lua and VanillaRNN.lua share: input x (N, T, D), or {h0, x} / {c0, h0, x};
    with remember_states, the last step's states start the next forward of the same batch
    size (as torch-rnn asserts)."""

    def _unpack(self, input):
        if isinstance(input, list):
            if len(input) == 3:
                return input[0], input[1], input[2]
            if len(input) == 2:
                return None, input[0], input[1]
            raise ValueError('invalid input')
        return None, None, input

    def _start(self, name, given, n, h):
        if given is not None:
            return _arr(given)
        prev = self.__dict__.get(name)
        if self.__dict__.get('remember_states') and prev is not None and prev.nElement() > 0:
            if prev.size(1) != n:
                raise ValueError('batch sizes must be constant to remember states')
            return _arr(prev)
        return np.zeros((n, h))

    def resetStates(self):
        self.h0 = self.weight.new()
        if 'c0' in self.__dict__:
            self.c0 = self.weight.new()


class LSTM(_Recurrent):
    """torch-rnn's nn.LSTM: weight (D + H) x 4H, gates i, f, o (sigmoid) and g (tanh)."""

    typename = 'nn.LSTM'

    def updateOutput(self, input):
        c0, h0, x = self._unpack(input)
        xs = _arr(x)
        n, steps, d = xs.shape
        hdim = self.hidden_dim
        w, b = _arr(self.weight), _arr(self.bias)
        prev_h = self._start('h0', h0, n, hdim)
        prev_c = self._start('c0', c0, n, hdim)
        hs, cs = np.zeros((n, steps, hdim)), np.zeros((n, steps, hdim))
        for t in range(steps):
            a = b + xs[:, t] @ w[:d] + prev_h @ w[d:]
            i, f, o = (_sigmoid(a[:, k * hdim:(k + 1) * hdim]) for k in range(3))
            g = np.tanh(a[:, 3 * hdim:])
            prev_c = f * prev_c + i * g
            prev_h = o * np.tanh(prev_c)
            hs[:, t], cs[:, t] = prev_h, prev_c
        if self.__dict__.get('remember_states'):
            _put(self, 'h0', prev_h, self.weight)
            _put(self, 'c0', prev_c, self.weight)
        _put(self, 'cell', cs, self.weight)
        return _put(self, 'output', hs, self.weight)


class VanillaRNN(_Recurrent):
    """torch-rnn's nn.VanillaRNN: h = tanh(x Wx + h Wh + b), weight (D + H) x H."""

    typename = 'nn.VanillaRNN'

    def updateOutput(self, input):
        _, h0, x = self._unpack(input)
        xs = _arr(x)
        n, steps, d = xs.shape
        hdim = self.hidden_dim
        w, b = _arr(self.weight), _arr(self.bias)
        prev_h = self._start('h0', h0, n, hdim)
        hs = np.zeros((n, steps, hdim))
        for t in range(steps):
            prev_h = np.tanh(b + xs[:, t] @ w[:d] + prev_h @ w[d:])
            hs[:, t] = prev_h
        if self.__dict__.get('remember_states'):
            _put(self, 'h0', prev_h, self.weight)
        return _put(self, 'output', hs, self.weight)


class LanguageModel(nn.Module):
    """torch-rnn's nn.LanguageModel: its net (LookupTable, recurrent layers, Dropout, View,
    Linear, View) on an N x T input of token indices, the views resized to N * T first."""

    typename = 'nn.LanguageModel'

    def updateOutput(self, input):
        n, steps = input.size(1), input.size(2)
        self.view1.resetSize(n * steps, -1)
        self.view2.resetSize(n, steps, -1)
        for v in self.__dict__.get('bn_view_in') or []:
            v.resetSize(n * steps, -1)
        for v in self.__dict__.get('bn_view_out') or []:
            v.resetSize(n, steps, -1)
        self.output = self.net.forward(input)
        return self.output

    def resetStates(self):
        for rnn in self.rnns:
            rnn.resetStates()

    def training(self):
        self.net.training()
        return super().training()

    def evaluate(self):
        self.net.evaluate()
        return super().evaluate()

    def type(self, type=None, tensorCache=None):
        if type is None:
            return self._type
        self.net.type(type, tensorCache)
        return super().type(type, tensorCache)

    def clearState(self):
        self.net.clearState()
        return super().clearState()


for _cls in (LSTM, VanillaRNN, LanguageModel):
    torch7py.register_class(_cls.typename, _cls)


# ---- PyTorch forms ---------------------------------------------------------------------------

try:
    import torch
except ImportError:     # torch7py runs the checkpoints without PyTorch; no export then
    torch = None


def _state(layer, name):
    t = layer.__dict__.get(name)
    if layer.__dict__.get('remember_states') and t is not None and t.nElement() > 0:
        return _arr(t)
    return None


if torch is not None:
    from torch7py.export import register_converter

    class RecurrentT(torch.nn.Module):
        """torch-rnn's LSTM (lstm=True) or VanillaRNN: weight (D + H) x 4H (x H), bias; with
        remember_states the last step's h (and c) start the next call of the same batch
        size, from the layer's saved states on, as LSTM.lua does."""

        def __init__(self, lstm, d, h, remember, h0=None, c0=None):
            super().__init__()
            self.lstm, self.d, self.h, self.remember = lstm, d, h, remember
            g = 4 * h if lstm else h
            self.weight = torch.nn.Parameter(torch.zeros(d + h, g))
            self.bias = torch.nn.Parameter(torch.zeros(g))
            self.h0, self.c0 = h0, c0

        def _start(self, given, prev, n, like):
            if given is not None:
                return given
            if self.remember and prev is not None:
                if prev.shape[0] != n:
                    raise ValueError('batch sizes must be constant to remember states')
                return torch.as_tensor(prev, dtype=like.dtype)
            return like.new_zeros(n, self.h)

        def forward(self, input):
            c0 = h0 = None
            x = input
            if isinstance(input, (list, tuple)):
                *states, x = input
                c0, h0 = states if len(states) == 2 else (None, states[0])
            n, steps, d = x.shape
            h = self._start(h0, self.h0, n, x)
            c = self._start(c0, self.c0, n, x) if self.lstm else None
            w, b, hd = self.weight, self.bias, self.h
            hs = []
            for t in range(steps):
                a = b + x[:, t] @ w[:d] + h @ w[d:]
                if self.lstm:
                    i, f, o = (torch.sigmoid(a[:, k * hd:(k + 1) * hd]) for k in range(3))
                    c = f * c + i * torch.tanh(a[:, 3 * hd:])
                    h = o * torch.tanh(c)
                else:
                    h = torch.tanh(a)
                hs.append(h)
            if self.remember:
                self.h0 = h.detach().numpy().copy()
                self.c0 = c.detach().numpy().copy() if self.lstm else None
            return torch.stack(hs, 1)

    class LanguageModelT(torch.nn.Module):
        """torch-rnn's LanguageModel: its net's forms, the views resized to the N x T input
        before each call as LanguageModel.lua resizes them."""

        def __init__(self, net, flat_views, seq_views):
            super().__init__()
            self.net = net
            self.flat_views, self.seq_views = flat_views, seq_views

        def forward(self, x):
            n, steps = x.shape
            for views, sizes in ((self.flat_views, [n * steps, -1]),
                                 (self.seq_views, [n, steps, -1])):
                for v in views:     # nn.View:resetSize: the positive sizes' product
                    v.sizes, v.numElements = list(sizes), n * steps
            return self.net(x)

    def _recurrent_form(layer):
        d = int(layer.input_dim)
        h = int(layer.hidden_dim)
        lstm = isinstance(layer, LSTM)
        return RecurrentT(lstm, d, h, bool(layer.__dict__.get('remember_states')),
                          _state(layer, 'h0'), _state(layer, 'c0') if lstm else None)

    def _language_model_form(layer, convert):
        net = convert(layer.net)
        flat = [convert(v) for v in [layer.view1] + list(layer.__dict__.get('bn_view_in') or [])]
        seq = [convert(v) for v in [layer.view2] + list(layer.__dict__.get('bn_view_out') or [])]
        return LanguageModelT(net, flat, seq)

    register_converter('nn.LSTM', _recurrent_form)
    register_converter('nn.VanillaRNN', _recurrent_form)
    register_converter('nn.LanguageModel', _language_model_form)
