"""Lua's t.k = nil on a field that is there leaves LuaJIT's node for k (the value nil), so a
later t.k = v takes the same place in pairs() and in the saved table; a nil into a missing
field creates nothing. torch7py keeps such a key as None (commit 848d975's rule), here for
nn.utils.setfield and Module:defaultAccUpdateGradParameters, which points gradWeight/gradBias
at weight/bias (nil after noBias) and back."""
import torch7py as torch
from torch7py import nn
from torch7py.nn import utils


def test_setfield_nil_keeps_an_existing_key_and_makes_no_new_one():
    m = nn.Identity()
    m.a = 1
    m.b = 2
    utils.setfield(m, "a", None)
    utils.setfield(m, "never", None)
    m.c = 3
    utils.setfield(m, "a", 4)
    keys = [k for k in m.__dict__ if k in ("a", "b", "c", "never")]
    assert keys == ["a", "b", "c"]
    assert m.__dict__["a"] == 4


def test_acc_update_of_a_module_without_bias_keeps_its_field_order():
    m = nn.Linear(3, 2).noBias()
    x, go = torch.randn(3), torch.randn(2)
    m.forward(x)
    before = list(m.__dict__)
    w = m.weight.clone()
    m.accUpdateGradParameters(x, go, 0.1)
    assert list(m.__dict__) == before
    assert m.gradBias is None and m.bias is None
    # weight -= lr * go x^T, as Linear's accGradParameters with scale -lr on weight
    expect = w.numpy() - 0.1 * go.numpy()[:, None] * x.numpy()[None, :]
    assert abs(m.weight.numpy() - expect).max() < 1e-12
    m.extra = 1
    m.gradBias = torch.Tensor(2)
    assert list(m.__dict__) == before + ["extra"]
