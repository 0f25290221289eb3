"""Export of cudnn.torch's RNNs (GPU checkpoints load them as torch7py.legacy.rnn's modules, on
cudnn's flat weight blob): outputs, input gradients and the blob's gradient against torch7py's
forward/backward, a numpy formula for one tanh layer, a saved float file, remembered states,
and the refusal of training-mode dropout."""
import numpy as np
import pytest

torch = pytest.importorskip(
    'torch', reason="PyTorch is not installed: pip install -e '.[pytorch]' to test the export")

import torch7py as t7  # noqa: E402
from torch7py.export import ExportError, to_pytorch  # noqa: E402
from torch7py.legacy import rnn  # noqa: E402

from _export_check import compare  # noqa: E402

CASES = [('LSTM', rnn.LSTM, {}), ('GRU', rnn.GRU, {}), ('RNNReLU', rnn.RNNReLU, {}),
         ('RNNTanh', rnn.RNNTanh, {}), ('BLSTM', rnn.BLSTM, {}), ('BGRU', rnn.BGRU, {}),
         ('LSTM-batchFirst', rnn.LSTM, {'batchFirst': True})]


@pytest.mark.parametrize('name,cls,kw', CASES, ids=[c[0] for c in CASES])
def test_against_torch7py(name, cls, kw):
    t7.manualSeed(11)
    rng = np.random.default_rng(11)
    m = cls(3, 4, 2, **kw)
    compare(m, rng.standard_normal((2, 5, 3) if kw else (5, 2, 3)), rng)


def test_one_tanh_layer_numpy():
    t7.manualSeed(12)
    m = rnn.RNNTanh(2, 3, 1)
    blob = m.weight.numpy().reshape(-1)
    W, R = blob[:6].reshape(3, 2), blob[6:15].reshape(3, 3)
    bW, bR = blob[15:18], blob[18:21]
    x = np.random.default_rng(12).standard_normal((4, 1, 2))
    h, expect = np.zeros(3), []
    for t in range(4):
        h = np.tanh(W @ x[t, 0] + bW + R @ h + bR)
        expect.append(h)
    out = to_pytorch(m)(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(out[:, 0], np.array(expect), rtol=0, atol=1e-12)


def test_saved_float_file_exports_in_float32(tmp_path):
    t7.manualSeed(13)
    m = rnn.BGRU(3, 2, 2).float()
    m.evaluate()
    path = str(tmp_path / 'rnn.t7')
    t7.save(path, m)
    m2 = t7.load(path)
    assert t7.typename(m2) == 'cudnn.BGRU'
    x = t7.randn(4, 2, 3).float()
    y = m2.forward(x).numpy()
    tm = to_pytorch(m2)
    assert tm.weight.dtype == torch.float32
    out = tm(torch.from_numpy(x.numpy().copy())).detach().numpy()
    np.testing.assert_allclose(out, y, rtol=0, atol=2e-6)


def test_remembered_states_carry_over_calls():
    t7.manualSeed(14)
    m = rnn.LSTM(2, 3, 1)
    m.rememberStates = True
    m.evaluate()
    tm = to_pytorch(m)
    rng = np.random.default_rng(14)
    for _ in range(3):
        x = rng.standard_normal((3, 2, 2))
        y = m.forward(t7.DoubleTensor(x.tolist())).numpy()
        np.testing.assert_allclose(tm(torch.from_numpy(x)).detach().numpy(), y, rtol=0,
                                   atol=1e-12)


def test_training_dropout_between_layers_is_refused():
    m = rnn.LSTM(2, 3, 2, False, 0.5)
    m.training()
    with pytest.raises(ExportError) as err:
        to_pytorch(m)
    assert 'cudnn.LSTM' in str(err.value) and 'evaluate()' in str(err.value)
    m.evaluate()
    to_pytorch(m)
