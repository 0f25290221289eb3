"""t7-to-pytorch (saves the module, writes standalone source, prints the measured difference),
and the optional-extra rule: without torch the export names the extra, and nothing else in
torch7py imports torch."""
import os
import subprocess
import sys

import pytest

from golden import PARITY

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
T7_DIR = os.path.join(PARITY, 't7')


def _run(code, cwd=None, pythonpath=ROOT):
    env = dict(os.environ)
    env.pop('PYTHONPATH', None)
    if pythonpath:
        env['PYTHONPATH'] = pythonpath
    return subprocess.run([sys.executable, '-c', code], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_without_torch_the_export_names_the_extra():
    r = _run("import sys; sys.modules['torch'] = None\n"
             "import torch7py.export as e\n"
             "from torch7py import nn\n"
             "try:\n"
             "    e.to_pytorch(nn.Linear(2, 2))\n"
             "except e.MissingTorchError as err:\n"
             "    print(err)\n")
    assert r.returncode == 0, r.stderr
    assert "torch7py[pytorch]" in r.stdout


def test_nothing_else_imports_torch():
    r = _run("import sys\n"
             "import torch7py as t, torch7py.nn as nn, torch7py.optim, torch7py.export\n"
             "m = nn.Sequential().add(nn.Linear(3, 2)).add(nn.Tanh())\n"
             "m.forward(t.randn(4, 3)); m.state_dict(); m.load_state_dict(m.state_dict())\n"
             "print('torch' in sys.modules)\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == 'False'


torch = pytest.importorskip(
    'torch', reason="PyTorch is not installed: pip install -e '.[pytorch]' to test the export")


def _model(name):
    path = os.path.join(T7_DIR, 'model_%s_binary.t7' % name)
    if not os.path.exists(path):
        pytest.skip('no parity files at ' + T7_DIR)
    return path


def test_command_saves_module_code_and_prints_difference(tmp_path, capsys):
    from torch7py.export.cli import main
    out, code = tmp_path / 'lenet.pt', tmp_path / 'lenet_model.py'
    assert main([_model('lenet'), str(out), '--code', str(code)]) == 0
    printed = capsys.readouterr().out
    assert 'of shape 2x1x16x16' in printed
    diffs = printed.rsplit('output ', 1)[1].split(', gradInput ')
    assert float(diffs[0]) < 1e-10 and float(diffs[1]) < 1e-10
    # the standalone source rebuilds and loads it with torch alone (torch7py unimportable)
    r = _run("import sys; sys.modules['torch7py'] = None\n"
             "import torch, lenet_model as g\n"
             "m = g.load('lenet.pt'); b = g.build(); b.load_state_dict(m.state_dict())\n"
             "x = torch.randn(3, 1, 16, 16, dtype=torch.float64)\n"
             "print(m(x).shape, float((m(x) - b(x)).abs().max()))\n",
             cwd=str(tmp_path), pythonpath=None)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == 'torch.Size([3, 10]) 0.0'
    from torch7py.export import load_t7
    t7m = load_t7(_model('lenet'))
    tm = torch.load(str(out), weights_only=False)
    x = torch.randn(2, 1, 16, 16, dtype=torch.float64)
    import torch7py as t7
    x7 = t7.DoubleTensor(2, 1, 16, 16)
    x7.numpy()[...] = x.numpy()
    y = tm(x).detach().numpy()
    assert abs(y - t7m.forward(x7).numpy()).max() < 1e-12


def test_command_with_table_input_and_tied_parameters(tmp_path, capsys):
    from torch7py.export.cli import main
    out, code = tmp_path / 'shared.pt', tmp_path / 'shared_model.py'
    assert main([_model('shared'), str(out), '--code', str(code),
                 '--input-shape', '3,4', '--input-shape', '3,4']) == 0
    printed = capsys.readouterr().out
    assert 'of shape 3x4 + 3x4' in printed
    r = _run("import sys; sys.modules['torch7py'] = None\n"
             "import shared_model as g\n"
             "b = g.build()\n"
             "n = len(list(b.named_parameters(remove_duplicate=False)))\n"
             "print(len(list(b.parameters())), n)\n",
             cwd=str(tmp_path), pythonpath=None)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ['6', '10']


def test_command_reports_unconvertible_modules(tmp_path, capsys):
    import torch7py as t7
    from torch7py import nn
    from torch7py.export.cli import main
    path = str(tmp_path / 'bad.t7')
    decayed = nn.IndexLinear(2, 2)
    decayed.weightDecay = 0.1       # applied per entry in its update: no PyTorch form
    t7.save(path, nn.Sequential().add(nn.Linear(2, 2)).add(decayed))
    assert main([path, str(tmp_path / 'bad.pt')]) == 1
    err = capsys.readouterr().err
    assert '1  nn.IndexLinear: weightDecay' in err
    assert not (tmp_path / 'bad.pt').exists()


def test_command_converts_a_gmodule_to_standalone_code(tmp_path, capsys):
    from torch7py.export.cli import main
    path = os.path.join(T7_DIR, 'nngraph_lstm2_binary.t7')
    if not os.path.exists(path):
        pytest.skip('no parity file ' + path)
    assert main([path, str(tmp_path / 'lstm.pt'), '--code', str(tmp_path / 'lstm_model.py')]) \
        == 0
    capsys.readouterr()
    r = _run("import sys; sys.modules['torch7py'] = None\n"
             "import torch, lstm_model as g\n"
             "m = g.load('lstm.pt'); b = g.build(); b.load_state_dict(m.state_dict())\n"
             "m.eval(); b.eval()\n"
             "x = [torch.tensor([1., 6])] + [torch.zeros(2, 5, dtype=torch.float64)] * 4\n"
             "print(type(m).__name__, len(m(x)), max(float((u - v).abs().max())\n"
             "                                      for u, v in zip(m(x), b(x))))\n",
             cwd=str(tmp_path), pythonpath=None)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ['Graph', '5', '0.0']
