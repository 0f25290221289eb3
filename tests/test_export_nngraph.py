"""nngraph gModules saved by the original Torch7 (../shared/parity/t7/nngraph_*.t7) export to a
PyTorch graph module whose outputs, input gradients and parameter gradients equal what Torch7
itself computed for the nngraph_load_t7 parity case (its golden), within 1e-10. The gModule is
read from Torch7's fields, so this holds whether or not torch7py has nngraph's classes."""
import json
import math
import os

import numpy as np
import pytest

torch = pytest.importorskip(
    'torch', reason="PyTorch is not installed: pip install -e '.[pytorch]' to test the export")

from torch7py.export import load_t7, to_pytorch  # noqa: E402
from torch7py.nn._state_dict import fields, grad_dict, state_dict  # noqa: E402

from _export_check import close  # noqa: E402
from golden import PARITY  # noqa: E402

GOLDEN = os.path.join(PARITY, 'goldens', 'nngraph_load_t7.json')


@pytest.fixture(scope='module')
def golden():
    if not os.path.exists(GOLDEN):
        pytest.skip('no nngraph golden at ' + GOLDEN)
    with open(GOLDEN) as f:
        return json.load(f)['results']


def _t(g):
    """A golden tensor (or list of them) as numpy."""
    if isinstance(g, list):
        return [_t(v) for v in g]
    return np.array(g['data'], dtype=np.float64).reshape(g['size'])


def sfill(shape, a, f, o=0.0):
    """The case's deterministic fill: t[i] = a sin(f i + o), row-major, i from 1."""
    n = int(np.prod(shape))
    return np.array([a * math.sin(f * i + o) for i in range(1, n + 1)]).reshape(shape)  # libm's


def mkgrad(y, seed):
    if isinstance(y, list):
        return [mkgrad(v, seed + i + 1) for i, v in enumerate(y)]
    return sfill(y.shape, 0.5, 0.29 + 0.03 * seed, seed)


def _model(name, fmt='binary'):
    path = os.path.join(PARITY, 't7', '%s_%s.t7' % (name, fmt))
    if not os.path.exists(path):
        pytest.skip('no parity file ' + path)
    return load_t7(path)


def _set_mode(m, train):
    """m:training() / m:evaluate() on a model that may be a field table."""
    f = fields(m)
    f['train'] = train
    for k in f.get('modules') or []:
        _set_mode(k, train)


def _tt(x, grad=True):
    if isinstance(x, list):
        return [_tt(v, grad) for v in x]
    return torch.tensor(x, dtype=torch.float64, requires_grad=grad)


def _flat(x):
    return [v for item in x for v in _flat(item)] if isinstance(x, list) else [x]


def _fb(m, x, seed, want, train=False, index_inputs=()):
    """The case's fb(): forward, backward of mkgrad(y, seed), against Torch7's results."""
    _set_mode(m, train)
    tm = to_pytorch(m)
    xt = _tt(x)
    for i in index_inputs:
        xt[i] = torch.tensor(x[i], dtype=torch.float64)
    y = tm(xt)
    ys = [v.detach().numpy() for v in y] if isinstance(y, list) else y.detach().numpy()
    if 'output' in want:
        close(_t(want['output']), ys, 'output')
    go = mkgrad(ys, seed)
    outs = _flat(y)
    torch.autograd.backward(outs, [torch.tensor(g) for g in _flat(go)])
    gi = [v.grad.numpy() for i, v in enumerate(_flat(xt)) if i not in index_inputs]
    want_gi = [v for i, v in enumerate(_flat(_t(want['gradInput']))) if i not in index_inputs]
    close(want_gi, gi, 'gradInput')
    names = list(grad_dict(m))
    close(_t(want['gradParams']), [tm.get_parameter(n).grad.numpy() for n in names],
          'gradParams')
    return tm


def test_residual_block_evaluate_and_training(golden):
    m = _model('nngraph_residual')
    _fb(m, sfill((2, 2, 4, 4), 1, 0.21, 0.6), 2, golden['res_eval'])
    tm = _fb(m, sfill((2, 2, 4, 4), 1, 0.17, 0.3), 3, golden['res_train'], train=True)
    # the running statistics moved as Torch7's did
    after = _t(golden['res_running_after'])
    bns = [k for k in state_dict(m) if k.endswith('running_mean')]
    close(after[0], tm.get_buffer(bns[0]).numpy(), 'running_mean')
    close(after[1], tm.get_buffer(bns[1].replace('mean', 'var')).numpy(), 'running_var')


def test_two_inputs_two_outputs(golden):
    m = _model('nngraph_two_io')
    _fb(m, [sfill((3, 4), 1, 0.3, 0.1), sfill((3, 3), 1, 0.7, 0.9)], 4, golden['two'])
    _fb(m, [sfill((4,), 1, 0.5, 0.1), sfill((3,), 1, 0.2, 0.4)], 5, golden['two_single'])


@pytest.mark.parametrize('fmt', ['binary', 'ascii'])
def test_gmodule_inside_sequential_inside_gmodule(golden, fmt):
    m = _model('nngraph_nested_seq', fmt)
    _fb(m, sfill((3, 4), 1, 0.33, 0.7), 6, golden['nested'])


def test_lstm_sequence_and_backward(golden):
    m = _model('nngraph_lstm2')
    _set_mode(m, False)
    tm = to_pytorch(m)
    state = [torch.zeros(2, 5, dtype=torch.float64) for _ in range(4)]
    logps = []
    with torch.no_grad():
        for tok in ([1, 6], [3, 2], [5, 5], [2, 4]):
            out = tm([torch.tensor(tok, dtype=torch.float64)] + state)
            state = [o.clone() for o in out[:4]]
            logps.append(out[4].numpy())
    close(_t(golden['lstm_eval_logps']), logps, 'log-probabilities')
    close(_t(golden['lstm_eval_state']), [s.numpy() for s in state], 'state')
    x = [np.array([4., 1])] + [sfill((2, 5), 0.5, f, o) for f, o in
                               ((0.3, 0.1), (0.4, 0.2), (0.5, 0.3), (0.6, 0.4))]
    # the golden keeps this step's gradients, not its output (the gradients depend on it)
    _fb(m, x, 1, golden['lstm_backward'], index_inputs=(0,))
