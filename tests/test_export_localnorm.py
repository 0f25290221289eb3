"""Export of layers of 2012-2015 models: the local normalisations (SpatialSubtractive/Divisive/
Contrastive Normalization, 2-D and 1-D kernels): against torch7py's forward and backward on
random inputs, against a numpy formula, in float32 from a saved file, and the --code source;
SpatialFullConvolutionMap likewise."""
import numpy as np
import pytest

torch = pytest.importorskip(
    'torch', reason="PyTorch is not installed: pip install -e '.[pytorch]' to test the export")

import torch7py as t7  # noqa: E402
from torch7py import nn  # noqa: E402
from torch7py.export import to_pytorch  # noqa: E402

from _export_check import compare  # noqa: E402

CASES = [
    ('sub2d', lambda: nn.SpatialSubtractiveNormalization(3, t7.Tensor(5, 5).fill(1)), 3),
    ('sub1d', lambda: nn.SpatialSubtractiveNormalization(2, t7.Tensor([1, 2, 3, 2, 1])), 2),
    ('div2d', lambda: nn.SpatialDivisiveNormalization(3, t7.Tensor(3, 5).fill(1)), 3),
    ('div1d', lambda: nn.SpatialDivisiveNormalization(2, t7.Tensor([1, 2, 1]), 0.3, 0.7), 2),
    ('con2d', lambda: nn.SpatialContrastiveNormalization(3, t7.Tensor(7, 7).fill(1)), 3),
    ('con1d', lambda: nn.SpatialContrastiveNormalization(1, t7.Tensor([1, 1, 1, 1, 1])), 1),
    ('default', lambda: nn.SpatialContrastiveNormalization(), 1),
]


@pytest.mark.parametrize('name,ctor,planes', CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize('batch', [False, True])
def test_against_torch7py(name, ctor, planes, batch):
    rng = np.random.default_rng(7)
    shape = (planes, 10, 12)
    x = rng.standard_normal((4,) + shape if batch else shape)
    compare(ctor(), x, rng)


def _window_sums(x, k):
    """numpy: the sum over every plane of each k x k window (zeros outside), and the number of
    its cells inside the image (times the planes)."""
    c, h, w = x.shape
    p = k // 2
    xp = np.zeros((c, h + 2 * p, w + 2 * p))
    xp[:, p:p + h, p:p + w] = x
    onep = np.zeros((h + 2 * p, w + 2 * p))
    onep[p:p + h, p:p + w] = 1
    s = np.zeros((h, w))
    n = np.zeros((h, w))
    for i in range(h):
        for j in range(w):
            s[i, j] = xp[:, i:i + k, j:j + k].sum()
            n[i, j] = onep[i:i + k, j:j + k].sum() * c
    return s, n


def test_numpy_formula():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 8, 9))
    tx = torch.from_numpy(x)
    sub = to_pytorch(nn.SpatialSubtractiveNormalization(2, t7.Tensor(3, 3).fill(1)))
    s, n = _window_sums(x, 3)
    centred = x - (s / n)[None]     # (s/K) / (n/K): the local mean, border-corrected
    np.testing.assert_allclose(sub(tx).numpy(), centred, rtol=0, atol=1e-12)
    div = to_pytorch(nn.SpatialDivisiveNormalization(2, t7.Tensor(3, 3).fill(1), 0.5, 0.25))
    s2, _ = _window_sums(x * x, 3)
    big_k = 3 * 3 * 2               # the kernel is divided by its sum times the planes
    std = np.sqrt(s2 / big_k) / (n / big_k)
    expect = x / np.where(std > 0.5, std, 0.25)[None]
    np.testing.assert_allclose(div(tx).numpy(), expect, rtol=0, atol=1e-12)


def test_float_file_and_code(tmp_path):
    m = nn.Sequential().add(nn.SpatialConvolution(1, 3, 3, 3)).add(nn.Tanh()) \
        .add(nn.SpatialContrastiveNormalization(3, t7.Tensor(5, 5).fill(1))).float()
    path = str(tmp_path / 'm.t7')
    t7.save(path, m)
    m2 = t7.load(path)
    x = t7.randn(2, 1, 12, 12).float()
    y = m2.forward(x).numpy()
    tm = to_pytorch(m2)
    assert next(tm.parameters()).dtype == torch.float32
    out = tm(torch.from_numpy(x.numpy().copy())).detach().numpy()
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, y, rtol=0, atol=2e-5)
    # the kernels are constants of the module, not state_dict entries
    assert set(tm.state_dict()) == {'0.weight', '0.bias'}
    # the standalone source rebuilds the same module (kernels written as literals)
    from torch7py.export.codegen import source_code
    scope = {}
    exec(source_code(tm), scope)
    built = scope['build']()
    built.load_state_dict(tm.state_dict())
    xt = torch.from_numpy(x.numpy().copy())
    np.testing.assert_array_equal(built.float()(xt).detach().numpy(), out)


def test_full_convolution_map():   # Torch7 takes 3-D input only here
    rng = np.random.default_rng(5)
    t7.manualSeed(5)
    m = nn.SpatialFullConvolutionMap(nn.tables.random(3, 4, 2), 3, 2, 2, 3)
    x = rng.standard_normal((3, 5, 6))
    compare(m, x, rng)


def test_full_convolution_map_formula():
    rng = np.random.default_rng(6)
    m = nn.SpatialFullConvolutionMap(nn.tables.oneToOne(1), 3, 2, 2, 1)   # kW 3, kH 2, dW 2
    x = rng.standard_normal((1, 4, 5))
    w, b = m.weight.numpy()[0], m.bias.numpy()[0]
    expect = np.full((1, (4 - 1) * 1 + 2, (5 - 1) * 2 + 3), b)
    for i in range(4):
        for j in range(5):
            expect[0, i:i + 2, 2 * j:2 * j + 3] += x[0, i, j] * w
    out = to_pytorch(m)(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(out, expect, rtol=0, atol=1e-12)
