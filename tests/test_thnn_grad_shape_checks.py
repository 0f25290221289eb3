"""The backward's size check of nn's element-wise layers is the original's, per module:
THNN_CHECK_NELEMENT (a gradOutput of another shape but as many elements runs, its elements
paired in order), THNN_CHECK_SHAPE (the shapes must match), or the TH_TENSOR_APPLY of the
tensor method the module's Lua code calls (nn 8726825's lib/THNN/generic/*.c and *.lua)."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.storage import TorchError
from kernel_paths import tensor

X = np.array([[-0.9, -0.3, 0.05, 0.2, 0.45, 0.7], [1.3, -1.7, 0.0, 0.95, -0.05, 2.5]])
G = np.arange(1.0, 13.0)  # 12 elements, as X has

# module, gradInput as a numpy formula of (x, y = forward output, g = gradOutput in x's shape)
NELEMENT = [
    ('Threshold', lambda: nn.Threshold(0.1, 0), lambda x, y, g: np.where(x > 0.1, g, 0)),
    ('ReLU', lambda: nn.ReLU(), lambda x, y, g: np.where(x > 0, g, 0)),
    ('HardTanh', lambda: nn.HardTanh(), lambda x, y, g: np.where((x > -1) & (x < 1), g, 0)),
    ('Sigmoid', lambda: nn.Sigmoid(), lambda x, y, g: g * (1 - y) * y),
    ('ELU', lambda: nn.ELU(), lambda x, y, g: np.where(x > 0, g, g * (y + 1))),
    ('LeakyReLU', lambda: nn.LeakyReLU(), lambda x, y, g: np.where(x > 0, g, g * 0.01)),
    ('Abs', lambda: nn.Abs(), lambda x, y, g: np.where(x >= 0, g, -g)),  # THNN: z >= 0 ? 1 : -1
    ('SoftShrink', lambda: nn.SoftShrink(), lambda x, y, g: np.where(np.abs(x) > 0.5, g, 0)),
]


@pytest.mark.parametrize('name,make,formula', NELEMENT, ids=[c[0] for c in NELEMENT])
@pytest.mark.parametrize('inplace', [False, True])
def test_nelement_check_runs_on_another_shape(use_c, name, make, formula, inplace):
    m = make()
    if inplace and not hasattr(m, 'inplace'):
        pytest.skip('no in-place form')
    if inplace:
        m.inplace = True
    x = tensor(X.copy())
    y = m.forward(x).clone().numpy().reshape(X.shape)
    x = tensor(X.copy())  # the in-place forward overwrote it; THNN reads the input
    if inplace:
        m.forward(x)
        x = tensor(X.copy())
    go = tensor(G.reshape(3, 4).copy())
    gi = m.backward(x, go)
    want = formula(X, y, G.reshape(X.shape))
    assert gi.nElement() == 12
    np.testing.assert_allclose(gi.numpy().reshape(X.shape), want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize('name,make,formula', NELEMENT, ids=[c[0] for c in NELEMENT])
def test_nelement_check_text(name, make, formula):
    m = make()
    x = tensor(X.copy())
    m.forward(x)
    who = 'output' if name == 'Sigmoid' else 'input'
    with pytest.raises(TorchError) as e:
        m.backward(x, torch.rand(5))
    assert str(e.value) == ('%s and gradOutput have different number of elements: %s[2 x 6] '
                            'has 12 elements, while gradOutput[5] has 5 elements' % (who, who))


@pytest.mark.parametrize('name,who', [('Square', 'input'), ('Sqrt', 'output'),
                                      ('Tanh', 'output'), ('SoftMax', 'input'),
                                      ('LogSoftMax', 'input')])
def test_shape_check(name, who):
    m = getattr(nn, name)()
    x = tensor(np.abs(X))
    m.forward(x)
    for go in (tensor(G.reshape(3, 4).copy()), torch.rand(5)):
        with pytest.raises(TorchError) as e:
            m.backward(x, go)
        assert str(e.value) == ('%s and gradOutput shapes do not match: %s [2 x 6], '
                                'gradOutput [%s]' % (who, who, ' x '.join(map(str, go.size()))))


def test_lua_modules_take_th_text():
    x = tensor(np.abs(X) + 0.1)
    for m in (nn.Exp(), nn.Log(), nn.Power(2)):  # gradInput:cmul(..., gradOutput)
        m.forward(x)
        with pytest.raises(TorchError) as e:
            m.backward(x, torch.rand(5))
        assert str(e.value) == ('inconsistent tensor size, expected r_ [2 x 6], t [2 x 6] and '
                                'src [5] to have the same number of elements, but got 12, 12 '
                                'and 5 elements respectively')
    m = nn.SoftSign()  # gradInput:resizeAs(input):copy(gradOutput)
    m.forward(x)
    with pytest.raises(TorchError) as e:
        m.backward(x, torch.rand(5))
    assert str(e.value) == ('inconsistent tensor size, expected tensor [2 x 6] and src [5] to '
                            'have the same number of elements, but got 12 and 5 elements '
                            'respectively')
    # as many elements: they run, gradient of exp is exp(x) * g with g read in order
    m = nn.Exp()
    m.forward(x)
    gi = m.backward(x, tensor(G.reshape(3, 4).copy()))
    np.testing.assert_allclose(gi.numpy(), np.exp(np.abs(X) + 0.1) * G.reshape(X.shape),
                               rtol=1e-12)


def _raises(f):
    with pytest.raises((TorchError, TypeError)) as e:  # Tensor.c's argument errors: TypeError
        f()
    return str(e.value)


def test_lua_reductions_view_and_scatter():
    # Sum.lua / Mean.lua: gradOutput:view(size) (TH's view text)
    for m in (nn.Sum(2), nn.Mean(2)):
        x = tensor(X.copy())
        m.forward(x)
        assert _raises(lambda: m.backward(x, torch.rand(5))) == \
            'Wrong size for view. Input size: 5. Output size: 2x1'
    # Max.lua on a 1-d input: scatter(1, indices, gradOutput) reads gradOutput's first element
    m = nn.Max(1)
    x = tensor(np.array([0.3, 0.9, 0.1]))
    m.forward(x)
    gi = m.backward(x, tensor(np.array([7.0, 8.0, 9.0, 10.0, 11.0])))
    np.testing.assert_array_equal(gi.numpy(), [0, 7, 0])


def test_mul_and_criteria_th_texts():
    m = nn.Mul()
    x = torch.rand(3)
    m.forward(x)
    assert _raises(lambda: m.updateGradInput(x, torch.rand(5))) == (
        'inconsistent tensor size, expected r_ [3], t [3] and src [5] to have the same number '
        'of elements, but got 3, 3 and 5 elements respectively')
    assert _raises(lambda: m.accGradParameters(x, torch.rand(5))) == (
        'inconsistent tensor size, expected tensor [3] and src [5] to have the same number of '
        'elements, but got 3 and 5 elements respectively')
    c = nn.HingeEmbeddingCriterion()
    assert _raises(lambda: c.updateGradInput(x, 1)) == "attempt to index field 'ty' (a nil value)"
    # as many elements, another shape: gradInput = y where not (y == -1 and x > margin), / n
    gi = c.updateGradInput(tensor(np.array([0.5, 2, -1, 3])),
                           tensor(np.array([[1.0, -1], [-1, 1]])))
    np.testing.assert_allclose(gi.numpy(), [0.25, 0, -0.25, 0.25])
    w = nn.WeightedMSECriterion(torch.ones(3))
    assert _raises(lambda: w.updateGradInput(x, x)) == \
        "attempt to index field 'buffer' (a nil value)"
    assert _raises(lambda: w.forward(x, torch.rand(5))) == (
        'inconsistent tensor size, expected tensor [3] and src [5] to have the same number of '
        'elements, but got 3 and 5 elements respectively')


def test_cmul_gradoutput_of_another_size_follows_cmul_lua():
    m = nn.CMul(3)
    x = torch.rand(3)
    m.forward(x)
    # weight [3] and gradOutput [5] have the input's dimensions: expandAs's singleton text
    assert _raises(lambda: m.updateGradInput(x, torch.rand(5))) == \
        'incorrect size: only supporting singleton expansion (size=1)'
    # a gradOutput with the weight's count runs: gradInput = weight * gradOutput, in order
    m = nn.CMul(2, 3)
    xb = torch.rand(2, 3)
    m.forward(xb)
    g = tensor(np.arange(1.0, 7.0).reshape(3, 2))
    gi = m.updateGradInput(xb, g)
    np.testing.assert_allclose(gi.numpy(), m.weight.numpy() * np.arange(1.0, 7.0).reshape(2, 3))
    m.gradWeight.zero()
    m.accGradParameters(xb, g)
    np.testing.assert_allclose(m.gradWeight.numpy(),
                               xb.numpy() * np.arange(1.0, 7.0).reshape(2, 3))


def test_view_sizes_as_longstorage_table():
    assert _raises(lambda: nn.View(2, 'a')) == 'element at index 2 is not a number'
    assert _raises(lambda: nn.View(torch.rand(2))) == 'element at index 1 is not a number'
    assert nn.View('3', 4).numElements == 12  # Lua reads '3' as a number
    assert _raises(lambda: nn.View(float('nan'))) == 'size should be positive or -1'


def test_multimargin_number_target_goes_through_a_longtensor():
    c = nn.MultiMarginCriterion()
    x = tensor(np.array([0.1, 0.7, 0.2]))
    assert _raises(lambda: c.forward(x, 'a')) == \
        "bad argument #3 to '?' (torch.*Tensor expected, got string)"
    # margin 1, p 1, averaged over the 3 classes: sum_{i != y} max(0, 1 - x_y + x_i) / 3
    want = (max(0, 1 - 0.7 + 0.1) + max(0, 1 - 0.7 + 0.2)) / 3
    assert abs(c.forward(x, 2) - want) < 1e-12


def test_feature_lp_pooling_ffi_conversions():
    m = nn.FeatureLPPooling(2, 1, 2, False)
    x = torch.rand(4, 3)
    m.power = None  # what a module made without its power holds (nil)
    assert _raises(lambda: m.forward(x)) == \
        "bad argument #4 to 'v' (cannot convert 'nil' to 'double')"
    m.power = 2
    m.forward(x)
    m.width = 'a'
    assert _raises(lambda: m.updateGradInput(x, m.output)) == \
        "bad argument #7 to 'v' (cannot convert 'string' to 'int')"
    m.width = 2
    assert _raises(lambda: m.updateGradInput(x, 3)) == \
        "attempt to index local 'gradOutput' (a number value)"


def test_class_simplex_target_and_predictions_as_lua():
    c = nn.ClassSimplexCriterion(3)
    x = torch.rand(3)
    c.forward(x, 2)
    before = c._target.clone()
    c.forward(x, 'a')  # transformTarget ignores what is neither a number nor a tensor
    np.testing.assert_array_equal(c._target.numpy(), before.numpy())
    assert _raises(lambda: c.forward('b', 'b')) == "attempt to call method 'nElement' (a nil value)"
    p = c.getPredictions(x)
    np.testing.assert_allclose(p.numpy(), x.numpy()[None, :] @ c.simplex.numpy().T, rtol=1e-12)
    assert _raises(lambda: c.getPredictions(torch.LongTensor(2, 3).zero())).startswith(
        'invalid arguments: LongTensor DoubleTensor')
