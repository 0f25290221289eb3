"""Behaviours found by tools/diff_nn.py (nn's own Lua code run beside ours): buffers, clearState,
errors. Expectations are read from nn's Lua source, not from our code."""
import math

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


@pytest.mark.parametrize("make, x", [
    (lambda: nn.Collapse(2), lambda: torch.randn(2, 3, 4)),
    (lambda: nn.OneHot(5), lambda: torch.LongTensor([1, 3, 5])),
    (lambda: nn.WhiteNoise(0, 0.2), lambda: torch.randn(3, 5)),
])
def test_clear_state_of_modules_whose_lua_keeps_output(make, x):
    # Collapse.lua, OneHot.lua and WhiteNoise.lua define clearState without calling
    # Module.clearState: output keeps its size and nothing is returned
    m = make()
    y = m.forward(x())
    size = tuple(y.size())
    assert m.clearState() is None
    assert tuple(m.output.size()) == size


def test_white_noise_clear_state_empties_the_noise_and_backward_needs_training():
    m = nn.WhiteNoise(0, 0.2)
    m.forward(torch.randn(3, 5))
    assert m.noise.nElement() == 15
    m.clearState()
    assert m.noise.nElement() == 0
    m.evaluate()
    x = torch.randn(3, 5)
    np.testing.assert_array_equal(m.forward(x).numpy(), x.numpy())
    with pytest.raises(RuntimeError, match='backprop only defined while training'):
        m.backward(x, torch.randn(3, 5))


def test_pixel_shuffle_output_is_a_new_view_of_one_buffer():
    # PixelShuffle.lua: self.output = torch.view(self._shuffleOut, ...) at each forward
    m = nn.PixelShuffle(2)
    x = torch.randn(8, 2, 3)
    y1 = m.forward(x)
    y2 = m.forward(torch.randn(8, 2, 3))
    assert y1 is not y2
    assert y1.storage() is y2.storage() is m._shuffleOut.storage()
    g1 = m.backward(x, torch.randn(2, 4, 6))
    g2 = m.backward(x, torch.randn(2, 4, 6))
    assert g1 is not g2 and g1.storage() is g2.storage()
    # the shuffle itself: out[c, h*r + i, w*r + j] = in[c*r*r + i*r + j, h, w]
    xa = x.numpy()
    ya = m.forward(x).numpy()
    for c, h, w, i, j in [(0, 0, 0, 0, 1), (1, 1, 1, 1, 0), (1, 1, 2, 1, 1)]:
        assert ya[c, h * 2 + i, w * 2 + j] == xa[c * 4 + i * 2 + j, h, w]


def test_distance_ratio_criterion_returns_a_new_table_and_keeps_grad_input():
    c = nn.DistanceRatioCriterion(True)
    x, y = torch.rand(4), torch.rand(4)
    c.forward([x, y], None)
    g = c.backward([x, y], None)
    assert isinstance(g, list) and len(g) == 2
    assert torch.isTensor(c.gradInput) and c.gradInput.nElement() == 0
    ex, ey = np.exp(-x.numpy()), np.exp(-y.numpy())
    np.testing.assert_allclose(g[0].numpy(), (1 - ex / (ex + ey)) / 4)


def test_mixture_table_view_error_is_torch7s():
    m = nn.MixtureTable()
    m.forward([torch.rand(3), [torch.randn(4), torch.randn(4), torch.randn(4)]])
    with pytest.raises(RuntimeError, match='Wrong size for view. Input size: 2x3. '
                                           'Output size: 3x1x1'):
        m.forward([torch.rand(2, 3), [torch.randn(2, 4)] * 3])


def test_weight_norm_g_is_two_dimensional_and_bias_zeroed():
    # WeightNorm.lua's resetInit: g:norm(v, 2, 2) (n x 1) and bias:zero()
    torch.manualSeed(3)
    lin = nn.Linear(4, 2)
    m = nn.WeightNorm(lin)
    assert tuple(m.g.size()) == (2, 1)
    assert m.bias.abs().sum() == 0
    v = m.v.numpy()
    for i in range(2):
        assert m.g[i + 1][1] == math.sqrt(sum(float(a) * float(a) for a in v[i]))
    m.forward(torch.randn(4))
    # weight = v * (g / sqrt(norm(v)^2 + 1e-4)), the norm squared back from its root
    for i in range(2):
        n = math.sqrt(math.sqrt(sum(float(a) * float(a) for a in v[i])) ** 2 + 10e-5)
        s = m.g[i + 1][1] / n
        for j in range(4):
            assert lin.weight[i + 1][j + 1] == v[i][j] * s


def test_get_parameters_unshared_gradients_message_is_module_luas():
    lin = nn.Linear(3, 3)
    m = nn.Sequential().add(lin).add(lin.clone('weight', 'bias'))
    with pytest.raises(AssertionError) as e:
        m.getParameters()
    assert str(e.value) == 'check that you are sharing parameters and gradParameters'


def test_bad_input_errors_are_the_tensor_operations_of_the_lua_code():
    # Add.lua: output:view(batch, -1):addr(1, ones, bias); CMul.lua: _weight:expandAs(...);
    # Max.lua/Min.lua: torch.max(out, idx, input, dim)
    with pytest.raises(RuntimeError, match=r'size mismatch, t: \[4 x 1\], vec1: \[4\], '
                                           r'vec2: \[5\]'):
        nn.Add(5).forward(torch.randn(4))
    with pytest.raises(RuntimeError, match='only supporting singleton expansion'):
        nn.CMul(5).forward(torch.randn(3, 4))
    with pytest.raises(RuntimeError, match=r"bad argument #2 to '\?' \(dimension 3 out of "
                                           r"range\)"):
        nn.Max(3).forward(torch.randn(4, 2))
    with pytest.raises(RuntimeError, match=r"dimension 3 out of range"):
        nn.Min(3).forward(torch.randn(4, 2))


def test_narrow_table_keeps_its_table_and_stops_at_the_inputs_end():
    m = nn.NarrowTable(2, 3)
    a, b = torch.randn(2), torch.randn(3)
    out = m.forward([a, b])
    assert out is m.output and len(out) == 1 and out[0] is b
    c = torch.randn(1)
    out2 = m.forward([a, b, c, a])
    assert out2 is out and [t is u for t, u in zip(out2, [b, c, a])] == [True] * 3


def test_more_bad_input_errors_follow_the_lua_code():
    # DotProduct.lua: buffer:cmul of 1 x n views; Padding.lua: outputSize[dim] of a storage of
    # input:dim() entries; PixelShuffle.lua: a view of (N, C / r^2 truncated, r, r, H, W)
    with pytest.raises(RuntimeError, match=r'expected r_ \[1 x 3\], t \[1 x 3\] and src '
                                           r'\[1 x 4\]'):
        nn.DotProduct().forward([torch.randn(3), torch.randn(4)])
    with pytest.raises(RuntimeError, match=r"bad argument #2 to '\?' \(out of bounds\)"):
        nn.Padding(3, 2).forward(torch.randn(3))
    with pytest.raises(RuntimeError, match=r'Wrong size for view. Input size: 3x2x2. '
                                           r'Output size: 1x0x2x2x2x2'):
        nn.PixelShuffle(2).forward(torch.randn(3, 2, 2))
