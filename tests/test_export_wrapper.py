"""Converters given for a class of the model's own project that holds its parts in fields (no
'modules' list: torch-rnn's LanguageModel holds its net in `net`): fn(layer, convert) builds the
form from the exported forms of the parts, and the export fills each part from its own layer."""
import os
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip(
    'torch', reason="PyTorch is not installed: pip install -e '.[pytorch]' to test the export")

import torch7py as t7  # noqa: E402
from torch7py import nn  # noqa: E402
from torch7py.export import ExportError, to_pytorch  # noqa: E402

from _export_check import compare  # noqa: E402


class Scaled(nn.Module):
    """A project's wrapper: its net's output times a constant (no 'modules' field)."""

    typename = 'proj.Scaled'

    def __init__(self, net, scale):
        super().__init__()
        self.net, self.scale = net, scale

    def updateOutput(self, input):
        self.output = self.net.forward(input).clone().mul(self.scale)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self.net.updateGradInput(input, gradOutput.clone().mul(self.scale))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.net.accGradParameters(input, gradOutput.clone().mul(self.scale), scale)


class ScaledT(torch.nn.Module):
    def __init__(self, net, scale):
        super().__init__()
        self.net, self.scale = net, scale

    def forward(self, x):
        return self.net(x) * self.scale


def _form(layer, convert):
    return ScaledT(convert(layer.net), layer.scale)


def _model():
    t7.manualSeed(3)
    return Scaled(nn.Sequential().add(nn.Linear(4, 3)).add(nn.Tanh()).add(nn.Linear(3, 2)), 1.5)


def test_wrapper_form_from_its_parts():
    rng = np.random.default_rng(1)
    m = _model()
    tm = to_pytorch(m, converters={'proj.Scaled': _form})
    assert set(tm.state_dict()) == {'net.0.weight', 'net.0.bias', 'net.2.weight', 'net.2.bias'}
    compare(m, rng.standard_normal((5, 4)), rng, tm=tm)
    # numpy: 1.5 * (W2 tanh(W1 x + b1) + b2)
    x = rng.standard_normal((2, 4))
    l1, l2 = m.net.modules[0], m.net.modules[2]
    expect = 1.5 * (np.tanh(x @ l1.weight.numpy().T + l1.bias.numpy()) @ l2.weight.numpy().T
                    + l2.bias.numpy())
    np.testing.assert_allclose(tm(torch.from_numpy(x)).detach().numpy(), expect, atol=1e-12)


def test_wrapper_inside_a_container_and_a_shared_part():
    rng = np.random.default_rng(2)
    inner = _model()
    m = nn.Sequential().add(nn.Linear(3, 4)).add(inner)
    tm = to_pytorch(m, converters={'proj.Scaled': _form})
    compare(m, rng.standard_normal((3, 3)), rng, tm=tm)


def test_a_form_holding_what_no_layer_holds_is_refused():
    class Extra(torch.nn.Module):
        def __init__(self, net):
            super().__init__()
            self.net = net
            self.gain = torch.nn.Parameter(torch.ones(2))

        def forward(self, x):
            return self.net(x) * self.gain

    with pytest.raises(ExportError) as err:
        to_pytorch(_model(), converters={'proj.Scaled': lambda layer, convert:
                                         Extra(convert(layer.net))})
    assert 'gain' in str(err.value)


_TORCH_RNN = r"""
import sys
import numpy as np
import torch
import torch7py as t7
from torch7py import nn
from torch7py.export import to_pytorch
sys.path.insert(0, sys.argv[1])
from torch_rnn_model import LanguageModel, LSTM   # registers the classes and their forms

t7.manualSeed(4)
d, h, v = 2, 3, 5
lstm = LSTM.__new__(LSTM)
nn.Module.__init__(lstm)
lstm.input_dim, lstm.hidden_dim, lstm.remember_states = d, h, True
lstm.weight, lstm.bias = t7.randn(d + h, 4 * h), t7.randn(4 * h)
lstm.h0, lstm.c0 = t7.Tensor(), t7.Tensor()
view1, view2 = nn.View(1, 1, -1).setNumInputDims(3), nn.View(1, -1).setNumInputDims(2)
net = nn.Sequential().add(nn.LookupTable(v, d))
net.modules.append(lstm)
net.add(view1).add(nn.Linear(h, v)).add(view2)
model = LanguageModel.__new__(LanguageModel)
nn.Module.__init__(model)
model.net, model.rnns, model.view1, model.view2 = net, [lstm], view1, view2
model.evaluate()
tm = to_pytorch(model)
for x in ([[1, 3, 5]], [[2, 2, 4]]):   # the second call starts from the first's state
    y = model.forward(t7.DoubleTensor(x)).numpy()
    yt = tm(torch.tensor(x, dtype=torch.float64)).detach().numpy()
    assert yt.shape == (1, 3, v)
    print(float(np.abs(yt - y).max()))
"""


def test_torch_rnn_language_model_exports_with_remembered_states():
    # in a process of its own: the example registers classes for the whole process
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, PYTHONPATH=os.path.dirname(here))
    out = subprocess.run([sys.executable, '-c', _TORCH_RNN, os.path.join(here, '..', 'examples')],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    diffs = [float(v) for v in out.stdout.split()]
    assert len(diffs) == 2 and max(diffs) < 1e-12
