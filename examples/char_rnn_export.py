"""char-rnn's OneHot for torch7py and for the export: with this file,
`t7-to-pytorch --define examples/char_rnn_export.py cv/lm_lstm_epoch50.00_1.38.t7 rnn.pt`
converts a char-rnn checkpoint's protos.rnn and measures it on {x, c1, h1, ...} (its init
state). The class is examples/char_rnn_sample.py's; its PyTorch form is below."""
import os
import sys

import torch

import torch7py
from torch7py.export import register_converter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from char_rnn_sample import OneHot  # noqa: E402

torch7py.register_class('OneHot', OneHot)


class OneHotT(torch.nn.Module):
    """util/OneHot.lua: one row of an identity matrix per 1-based index."""

    def __init__(self, n, dtype):
        super().__init__()
        self.n, self.dtype = n, dtype

    def forward(self, x):
        return torch.nn.functional.one_hot(x.long() - 1, self.n).to(self.dtype)


def _form(layer):
    n = layer['outputSize'] if isinstance(layer, dict) else layer.outputSize
    out = layer['output'] if isinstance(layer, dict) else layer.output
    return OneHotT(n, torch.float64 if out.type() == 'torch.DoubleTensor' else torch.float32)


register_converter('OneHot', _form)
