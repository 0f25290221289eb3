"""Functions Torch7 writes in Lua give the errors of their Lua bodies on bad arguments:
torch.deserialize's `torch.CharStorage():string(str)` (luaL_checklstring of the method's #1,
numbers accepted), torch.multinomialAlias's `state[1], state[2]` handed to
torch.DoubleTensor.multinomialAlias_ (cwrap's invalid-arguments help), and
StochasticGradient:train's `torch.randperm(dataset:size(), 'torch.LongTensor')`."""
import pytest

import torch7py as torch
from torch7py.tensor import TorchError

lupa = pytest.importorskip("lupa")


@pytest.fixture(scope="module")
def lua():
    from compat.runtime import LuaRuntime
    return LuaRuntime()


def _err(lua, code):
    ok, e = lua.execute("return pcall(%s)" % code)
    assert ok is False
    return e


@pytest.mark.parametrize("arg,kind", [("nil", "nil"), ("{}", "table"), ("true", "boolean")])
def test_deserialize_checks_its_string_as_storage_string(lua, arg, kind):
    # Storage.c's string sets the storage only from a string or number; given anything else
    # it returns the storage's own string "", which torch.CharTensor refuses (/tmp/ref7's th)
    assert _err(lua, "torch.deserialize, %s" % arg) == \
        "bad argument #1 to '?' (expecting number or torch.CharTensor or torch.CharStorage)"


def test_deserialize_reads_a_number_as_its_string(lua):
    # "5" is one byte: the binary reader's first readInt finds too little
    # (the original printed File.lua:259, the line of readObject's first readInt)
    assert _err(lua, "torch.deserialize, 5") == (
        "/usr/local/share/lua/5.1/torch/File.lua:259: read error: read 0 blocks instead of 1")


HELP = "expected arguments: *LongTensor* [Generator] LongTensor DoubleTensor"
INIT202 = "/usr/local/share/lua/5.1/torch/init.lua:202: "


@pytest.mark.parametrize("state,first", [
    ("'x'", "invalid arguments: LongTensor nil nil "),
    ("{torch.multinomialAliasSetup(torch.Tensor{0.5, 0.5})[1]}",
     "invalid arguments: LongTensor LongTensor nil "),
])
def test_multinomial_alias_hands_state_to_the_double_method(lua, state, first):
    # (init.lua's line 202 makes the call: the original's message names it)
    assert _err(lua, "torch.multinomialAlias, torch.LongTensor(3), %s" % state) == \
        INIT202 + first + "\n" + HELP


@pytest.mark.parametrize("state,kind", [("nil", "nil"), ("5", "number")])
def test_multinomial_alias_indexes_its_state(lua, state, kind):
    assert _err(lua, "torch.multinomialAlias, torch.LongTensor(3), %s" % state) == \
        INIT202 + "attempt to index local 'state' (a %s value)" % kind


def test_multinomial_alias_draws_as_torch7_after_seed_123():
    # issue 12's recorded draw of the original: 3 1 2 2 3 2 3
    torch.manualSeed(123)
    state = torch.multinomialAliasSetup(torch.Tensor([0.2, 0.3, 0.5]))
    out = torch.multinomialAlias(torch.LongTensor(7), state)
    assert list(out.numpy()) == [3, 1, 2, 2, 3, 2, 3]


def test_python_deserialize_refuses_none_with_torch7_text():
    with pytest.raises(TorchError, match=r"bad argument #1 to '\?' \(expecting number or "
                                         r"torch.CharTensor or torch.CharStorage\)"):
        torch.deserialize(None)


@pytest.mark.parametrize("dataset,text", [
    ("torch.randn(3, 2)",
     "invalid arguments: LongStorage \nexpected arguments: [*LongTensor*] [Generator] long"),
    # (the original names train's line 19 for LuaJIT's errors: /tmp/ref7/bin/th printed
    # these two with that position)
    ("nil", "/usr/local/share/lua/5.1/nn/StochasticGradient.lua:19: "
            "attempt to index local 'dataset' (a nil value)"),
    ("{}", "/usr/local/share/lua/5.1/nn/StochasticGradient.lua:19: "
           "attempt to call method 'size' (a nil value)"),
])
def test_stochastic_gradient_train_fails_in_its_lua_lines(lua, dataset, text):
    lua.execute("require 'nn'; SG = nn.StochasticGradient(nn.Linear(2, 1), nn.MSECriterion())")
    assert _err(lua, "SG.train, SG, %s" % dataset) == text


@pytest.mark.parametrize("ctor", ["nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1)",
                                  "nn.VolumetricFullConvolution(2, 3, 3, 3, 3, 2, 2, 2)"])
@pytest.mark.parametrize("arg", ["{}", "{torch.randn(2, 4, 4, 4)}"])
def test_full_convolution_table_input_reads_its_target_first(lua, ctor, arg):
    # SpatialFullConvolution.lua / VolumetricFullConvolution.lua: targetTensor = input[2];
    # local tDims = targetTensor:dim()
    # (with the line, as /tmp/ref7/bin/th printed it: SpatialFullConvolution.lua:78,
    # VolumetricFullConvolution.lua:99)
    lua.execute("require 'nn'; FC = %s" % ctor)
    where = "SpatialFullConvolution.lua:78" if "Spatial" in ctor else \
        "VolumetricFullConvolution.lua:99"
    assert _err(lua, "FC.forward, FC, %s" % arg) == "/usr/local/share/lua/5.1/nn/" + where + \
        ": attempt to index local 'targetTensor' (a nil value)"


@pytest.mark.parametrize("cls,shape,bad", [("SpatialDropout", (2, 3, 4, 4), (2, 3, 4, 5)),
                                           ("VolumetricDropout", (2, 3, 2, 2, 2), (7,))])
def test_spatial_dropout_backward_multiplies_by_th_cmul(cls, shape, bad):
    # SpatialDropout.lua: gradInput:resizeAs(gradOutput):copy(gradOutput):cmul(noise:expandAs(
    # input)); TH's cmul needs equal element counts (it broadcast before)
    from torch7py import nn
    m = getattr(nn, cls)(0.5)
    x = torch.randn(*shape)
    m.forward(x)
    n_bad, n = 1, 1
    for s in bad:
        n_bad *= s
    for s in shape:
        n *= s
    with pytest.raises(TorchError, match="to have the same number of elements, but got "
                       "%d, %d and %d elements respectively" % (n_bad, n_bad, n)):
        m.backward(x, torch.randn(*bad))
    g = torch.randn(*shape)
    want = g.numpy() * m.noise.numpy()  # noise is (N, C, 1, 1...): numpy broadcasts it
    assert (m.backward(x, g).numpy() == want).all()


def test_cadd_acc_grad_views_the_grad_output_as_its_lua():
    # CAdd.lua: a gradOutput of another dim than the bias's is viewed (batchSize, -1) against
    # gradBias:view(1, -1), then expandAs; 5 elements for a batch of 2 cannot be
    from torch7py import nn
    m = nn.CAdd(3)
    x = torch.randn(2, 3)
    m.forward(x)
    with pytest.raises(TorchError, match="not a multiple"):
        m.backward(x, torch.randn(5, 1))
    # a gradOutput of the bias's dim is expanded against it: only singletons expand
    with pytest.raises(TorchError, match="only supporting singleton expansion"):
        m.backward(x, torch.randn(5))
    with pytest.raises(TorchError, match="attempt to index local 'gradOutput' "
                                         r"\(a nil value\)"):
        nn.CAdd(3).accGradParameters(x, None)
    g = torch.randn(2, 3)
    m.zeroGradParameters()
    m.backward(x, g)
    assert (m.gradBias.numpy() == g.numpy()[0] + g.numpy()[1]).all()


@pytest.mark.parametrize("arg,text", [
    ("{}", "/usr/local/share/lua/5.1/nn/MixtureTable.lua:17: attempt to index a nil value"),
    ("5", "/usr/local/share/lua/5.1/nn/MixtureTable.lua:14: bad argument #1 to 'unpack' "
          "(table expected, got number)"),
])
def test_mixture_table_starts_with_its_lua_lines(lua, arg, text):
    # MixtureTable.lua: table.unpack(input); self._gaterView = ... or input[1].new()
    lua.execute("require 'nn'; MT = nn.MixtureTable()")
    assert _err(lua, "MT.forward, MT, %s" % arg) == text
