"""Linear's backward with a bad gradOutput fails as nn's Linear.lua does (linerr): its
updateGradInput runs gradInput:resizeAs(input), then gradInput:addmv(0, 1, weight:t(),
gradOutput) (a vector) or gradInput:addmm(0, 1, gradOutput, weight) (a batch); its
accGradParameters gradWeight:addr(scale, gradOutput, input) / gradWeight:addmm(scale,
gradOutput:t(), input). The texts are TH's (THTensorMath.c: addmv's "size mismatch, %s, %s"
and "size mismatch, t: %s, mat: %s", addmm's "size mismatch, m1: %s, m2: %s" and "size
mismatch, t: %s, m1: %s, m2: %s") and cwrap's argument check (TensorMath.lua's addmv/addmm/
addr signatures, as nn's own Lua printed them in tools/error_sweep.py --shapes)."""
import numpy as np
import pytest

import torch7py as torch
import torch7py.nn as nn
from torch7py.tensor import TorchError

from luatest import lua_error, trepl_runtime

ADDMV = ("expected arguments: *DoubleTensor~1D* [DoubleTensor~1D] [double] DoubleTensor~2D "
         "DoubleTensor~1D | *DoubleTensor~1D* double [DoubleTensor~1D] double DoubleTensor~2D "
         "DoubleTensor~1D")
ADDMM = ("expected arguments: *DoubleTensor~2D* [DoubleTensor~2D] [double] DoubleTensor~2D "
         "DoubleTensor~2D | *DoubleTensor~2D* double [DoubleTensor~2D] double DoubleTensor~2D "
         "DoubleTensor~2D")
ADDR = ("expected arguments: *DoubleTensor~2D* [DoubleTensor~2D] [double] DoubleTensor~1D "
        "DoubleTensor~1D | *DoubleTensor~2D* double [DoubleTensor~2D] double DoubleTensor~1D "
        "DoubleTensor~1D")


def _err(f, *a):
    with pytest.raises(TorchError) as e:
        f(*a)
    return str(e.value)


def _linear():
    torch.setdefaulttensortype('torch.DoubleTensor')
    return nn.Linear(3, 3)


@pytest.mark.parametrize("x, go, given, expected", [
    (lambda: torch.rand(3), lambda: None, "DoubleTensor number number DoubleTensor nil", ADDMV),
    (lambda: torch.rand(3), lambda: torch.LongTensor([1, 2, 3]),
     "DoubleTensor number number DoubleTensor LongTensor", ADDMV),
    (lambda: torch.rand(3), lambda: torch.FloatTensor(3).fill(1),
     "DoubleTensor number number DoubleTensor FloatTensor", ADDMV),
    (lambda: torch.rand(2, 3), lambda: torch.LongTensor([0, 4]),
     "DoubleTensor number number LongTensor DoubleTensor", ADDMM),
    (lambda: torch.rand(2, 3), lambda: torch.FloatTensor(2, 3).fill(1),
     "DoubleTensor number number FloatTensor DoubleTensor", ADDMM),
])
def test_update_grad_input_of_another_type_fails_cwraps_check(x, go, given, expected):
    m = _linear()
    msg = _err(m.updateGradInput, x(), go())
    assert msg == "invalid arguments: %s \n%s" % (given, expected)


def test_update_grad_input_sizes_in_ths_order():
    m = _linear()
    # a vector: addmv checks weight:t() against gradOutput first...
    assert _err(m.updateGradInput, torch.rand(3), torch.rand(4)) == "size mismatch, [3 x 3], [4]"
    # ...then the gradInput, which resizeAs(input) made of the input's 4 elements
    assert _err(m.updateGradInput, torch.rand(4), torch.rand(3)) == \
        "size mismatch, t: [4], mat: [3 x 3]"
    assert m.gradInput.size().totable() == [4]
    # a batch: gradOutput (m1) against the weight (m2), then the gradInput (t)
    assert _err(m.updateGradInput, torch.rand(2, 3), torch.rand(2, 4)) == \
        "size mismatch, m1: [2 x 4], m2: [3 x 3]"
    assert _err(m.updateGradInput, torch.rand(2, 3), torch.rand(5, 3)) == \
        "size mismatch, t: [2 x 3], m1: [5 x 3], m2: [3 x 3]"
    # an input of 4 columns: gradInput takes its size; the product (2 x 3) does not fit it
    assert _err(m.updateGradInput, torch.rand(2, 4), torch.rand(2, 3)) == \
        "size mismatch, t: [2 x 4], m1: [2 x 3], m2: [3 x 3]"


def test_acc_grad_parameters_of_another_type_or_size():
    m = _linear()
    assert _err(m.accGradParameters, torch.rand(3), torch.LongTensor([1, 2, 3])) == \
        "invalid arguments: DoubleTensor number LongTensor DoubleTensor \n" + ADDR
    assert _err(m.accGradParameters, torch.rand(4), None) == \
        "invalid arguments: DoubleTensor number nil DoubleTensor \n" + ADDR
    # a batch: gradOutput:t() comes first (nil has no method), then addmm's checks
    assert _err(m.accGradParameters, torch.rand(2, 3), None) == \
        "attempt to index local 'gradOutput' (a nil value)"
    assert _err(m.accGradParameters, torch.rand(2, 3), torch.FloatTensor(2, 3).fill(1)) == \
        "invalid arguments: DoubleTensor number FloatTensor DoubleTensor \n" + ADDMM
    # gradWeight (3 x 3) += gradOutput:t() (3 x 5) input (2 x 3): m1 against m2
    assert _err(m.accGradParameters, torch.rand(2, 3), torch.rand(2, 5)) == \
        "size mismatch, t: [3 x 3], m1: [5 x 2], m2: [2 x 3]"
    assert _err(m.accGradParameters, torch.rand(2, 3), torch.rand(3, 3)) == \
        "size mismatch, m1: [3 x 3], m2: [2 x 3]"


def test_bad_calls_leave_no_python_text_and_well_formed_ones_still_compute():
    m = _linear()
    w = m.weight.numpy().copy()
    x = torch.rand(4, 3)
    go_full = torch.rand(3, 4)
    go = go_full.t()  # a transposed (non-contiguous) gradOutput: the general path
    m.zeroGradParameters()
    gi = m.backward(x, go)
    expected = go.numpy() @ w
    np.testing.assert_allclose(gi.numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(m.gradWeight.numpy(), go.numpy().T @ x.numpy(), rtol=1e-12)
    np.testing.assert_allclose(m.gradBias.numpy(), go.numpy().sum(0), rtol=1e-12)
    # a vector through the general path (a strided gradOutput)
    xv = torch.rand(3)
    gov = torch.rand(3, 2).select(2, 1)
    np.testing.assert_allclose(m.updateGradInput(xv, gov).numpy(), gov.numpy() @ w,
                               rtol=1e-12)


def test_input_of_another_dimension_only_resizes_grad_input():
    m = _linear()
    gi = m.updateGradInput(torch.rand(2, 2, 2), torch.rand(3))
    assert gi.size().totable() == [2, 2, 2]
    m.accGradParameters(torch.rand(2, 2, 2), None)  # Linear.lua adds nothing for 3-D


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nn'")


def test_from_lua_linear_weight_norm_and_maxout(rt):
    # LinearWeightNorm keeps Linear's updateGradInput
    assert lua_error(rt, "local m = nn.LinearWeightNorm(3, 3); "
                         "m:backward(torch.rand(2, 3), torch.LongTensor{1, 2})") == \
        ("/usr/local/share/lua/5.1/nn/Linear.lua:86: "
         "invalid arguments: DoubleTensor number number LongTensor DoubleTensor \n" + ADDMM)
    # Maxout: its Linear(3, 9) gets the View's empty gradInput as gradOutput (addr's check)
    # (Container's rethrowErrors adds the xpcall traceback after the text)
    msg = lua_error(rt, "local m = nn.Maxout(3, 3, 3); m:accGradParameters(torch.rand(4))")
    assert msg.split("\nstack traceback:")[0] == (
        "/usr/local/share/lua/5.1/nn/Container.lua:67: \nIn 1 module of nn.Maxout:\n"
        "/usr/local/share/lua/5.1/nn/Linear.lua:96: "
        "invalid arguments: DoubleTensor number DoubleTensor DoubleTensor \n" + ADDR)
    assert lua_error(rt, "local m = nn.Linear(3, 3); "
                         "m:backward(torch.rand(3), torch.FloatTensor(3))") == \
        ("/usr/local/share/lua/5.1/nn/Linear.lua:84: "
         "invalid arguments: DoubleTensor number number DoubleTensor FloatTensor \n" + ADDMV)
