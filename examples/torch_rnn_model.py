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
