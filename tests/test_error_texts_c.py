"""Torch7's C error texts, one test per mechanism, each expectation formatted from the C source.

Every case names the C file, a piece of the message's format and the values Torch7 prints;
tools/c_messages.py reads the format (and the argument number of an argument check) from the
checkouts, and the text torch7py raises must be that format filled with the values, shown as
Torch7 shows it:
- THArgCheck in TH (through torch's C functions): `bad argument #n to '?' (msg)`;
- THArgCheck / THNN_ARGCHECK in THNN (through THNN.lua's local `v`): `bad argument #n to 'v'
  (msg)`, THNN_ARGCHECK's `%s` a size as THDescBuff prints it (`[2 x 3]`);
- THError and THNN_CHECK_* (macros of nn's THNN/init.c, `#T` the tensor's C name): the text;
- THAssert / THAssertMsg: "Assertion `cond' failed. msg";
- luaL_error: the text.
Skips without the checkouts (TORCH7_DIR, NN_DIR).
"""
import os
import re
import sys

import pytest

import torch7py as torch
import torch7py.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
T7 = os.environ.get("TORCH7_DIR", "/work/ext/torch7")
NN = os.environ.get("NN_DIR", "/work/ext/nn")


@pytest.fixture(scope="module")
def messages():
    if not os.path.exists(os.path.join(T7, "lib", "TH")) or \
            not os.path.exists(os.path.join(NN, "lib", "THNN")):
        pytest.skip("needs torch7 and nn checkouts (TORCH7_DIR, NN_DIR)")
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    try:
        import c_messages
    finally:
        sys.path.pop(0)
    return c_messages.collect(T7, NN)


def _find(msgs, file, piece, call=None):
    """The message of file whose format is piece (else contains it); piece may end with
    '@func#arg' to pick the check of one function and argument."""
    piece, _, where = piece.partition("@")
    func, _, arg = where.partition("#")
    found = [m for m in msgs if m["file"].endswith("/" + file) and piece in m["fmt"]
             and (call is None or m["call"] == call) and func in m["func"]
             and (not arg or m["arg"] == arg)]
    assert found, "no message with %r in %s" % (piece, file)
    exact = [m for m in found if m["fmt"] == piece]
    return (exact or found)[0]


def _c_format(fmt, args):
    return re.sub(r"%(l|t|z)d", "%d", fmt) % tuple(args)


def expected(msgs, file, piece, args=(), call=None):
    """The message Torch7 shows for the C message of `file` containing `piece`."""
    m = _find(msgs, file, piece, call)
    text = _c_format(m["fmt"], args)
    c = m["call"]
    if c in ("THArgCheck", "THNN_ARGCHECK"):
        name = "v" if "/THNN/" in m["file"] else "?"
        return "bad argument #%s to '%s' (%s)" % (m["arg"], name, text)
    if c == "THAssert":
        return "Assertion `%s' failed. " % m["fmt"]
    return text


def raised(f, *a):
    with pytest.raises(Exception) as e:
        f(*a)
    return str(e.value)


D, L = torch.DoubleTensor, torch.LongTensor


def R(*s):
    return torch.randn(*s)


# -- TH's argument checks, through torch's C functions: bad argument #n to '?' ------------------

def test_th_argchecks(messages):
    m = R(3, 4)
    cases = [
        (lambda: m.narrow(1, 0, 2), "THTensor.c", "out of range@narrow#3", ()),
        (lambda: m.narrow(1, 2, 5), "THTensor.c", "out of range@narrow#4", ()),
        (lambda: m.unfold(2, 5, 1), "THTensor.c", "out of range@unfold#3", ()),
        (lambda: R(2, 3, 4).index(1, L([[1]])), "THTensorMath.c", "Index is supposed to be",
         ()),
        (lambda: m.indexCopy(1, L([1]), R(2, 4)), "THTensorMath.c",
         "Number of indices should be", ()),
        (lambda: m.kthvalue(9), "THTensorMath.c", "selected index out of range", ()),
        (lambda: m.kthvalue(1, 3), "THTensorMath.c", "dimension out of range@kthvalue", ()),
        (lambda: m.mean(3), "THTensorMath.c", "invalid dimension %d@mean", (3,)),
        (lambda: m.std(3), "THTensorMath.c", "invalid dimension %d@std", (3,)),
        (lambda: m.renorm(-1, 1, 1), "THTensorMath.c", "non-positive-norm", ()),
        (lambda: R(4).renorm(2, 1, 1), "THTensorMath.c", "need at least 2 dimensions", (1,)),
        (lambda: R(2, 2, 2).diag(), "THTensorMath.c", "matrix or a vector expected", ()),
        (lambda: R(2, 2, 2).trace(), "THTensorMath.c", "expected a matrix", ()),
        (lambda: torch.eye(0), "THTensorMath.c", "invalid argument", ()),
        (lambda: torch.cross(R(3, 2), R(3, 2), 2), "THTensorMath.c",
         "does not have size 3", (2,)),
        (lambda: torch.bmm(R(2, 3, 4), R(3, 4, 5)), "THTensorMath.c",
         "equal number of batches expected, got %d, %d", (2, 3)),
        (lambda: torch.bmm(R(2, 3, 4), R(2, 5, 5)), "THTensorMath.c",
         "wrong matrix size, batch1", (3, 4, 5, 5)),
        (lambda: torch.gather(R(2, 3), 3, L([[1]])), "THTensorMath.c",
         "Index dimension is out of bounds", ()),
        (lambda: m.scatter(1, L([1]), 0), "THTensorMath.c",
         "Index tensor must have same dimensions as output tensor", ()),
        (lambda: m.squeeze(5), "THTensor.c", "dimension out of range@squeeze1d", ()),
    ]
    for f, file, piece, args in cases:
        assert raised(f) == expected(messages, file, piece, args), piece


def test_th_errors_and_apply_names(messages):
    # THError texts, and the C names TH_TENSOR_APPLY2/3 print for each function's tensors
    cases = [
        (lambda: R(3, 4).index(1, L([1, 7])), "THTensorMath.c", "index out of range", ()),
        (lambda: torch.cross(R(3, 2), R(3, 3)), "THTensorMath.c",
         "inconsistent tensor sizes %s, %s", ("[3 x 2]", "[3 x 3]")),
        (lambda: torch.addmv(R(4), R(3, 4), R(4)), "THTensorMath.c",
         "size mismatch, t: %s, mat: %s", ("[4]", "[3 x 4]")),
        (lambda: torch.mm(D(3), R(2, 3), R(3, 4)), "THTensorMath.c",
         "matrix expected, got %dD tensor for t", (1,)),
        (lambda: torch.gather(R(2, 3), 1, L([[1, 2]])), "THTensorDimApply.h",
         "Expected %s %s, %s %s and %s %s to have the same size",
         ("tensor", "[1 x 2]", "src", "[2 x 3]", "index", "[1 x 2]", 0)),
    ]
    apply3 = "to have the same number of elements, but got %d, %d and %d"
    cases += [
        (lambda: R(3, 4).cmax(R(5)), "THTensorApply.h", apply3,
         ("r", "[3 x 4]", "t", "[3 x 4]", "src", "[5]", 12, 12, 5)),
        (lambda: R(3, 4).addcmul(1, R(5), R(5)), "THTensorApply.h", apply3,
         ("r_", "[3 x 4]", "src1", "[5]", "src2", "[5]", 12, 5, 5)),
        (lambda: torch.atan2(R(3), R(4)), "THTensorApply.h", apply3,
         ("r_", "[3]", "tx", "[3]", "ty", "[4]", 3, 3, 4)),
        # (THTensor_(lerp) checks the counts first: THArgCheck #2)
        (lambda: torch.lerp(R(3), R(4), 0.5), "THTensorMath.c", "sizes do not match", ()),
        (lambda: torch.lt(R(3), R(4)), "THTensorApply.h", apply3,
         ("r_", "[3]", "ta", "[3]", "tb", "[4]", 3, 3, 4)),
    ]
    for f, file, piece, args in cases:
        assert raised(f) == expected(messages, file, piece, args), piece


def test_torch_c_functions(messages):
    m = R(3, 4)
    s = torch.DoubleStorage(3)
    cases = [
        (lambda: m.sub(3, 1), "Tensor.c", "end smaller than beginning@sub#3", ()),
        (lambda: m.sub(1, 2, 1, 2, 1, 1), "Tensor.c", "invalid dimension@sub#6", ()),
        (lambda: m[[3, 1]], "Tensor.c", "end index must be greater or equal", ()),
        (lambda: m[torch.LongStorage([1])], "Tensor.c", "invalid size", ()),
        (lambda: D()[1], "Tensor.c", "empty tensor", ()),
        (lambda: D().unfold(1, 1, 1), "THTensor.c", "cannot unfold an empty tensor", ()),
        (lambda: torch.DoubleStorage(s, 5), "Storage.c", "offset out of bounds", ()),
        (lambda: torch.DoubleStorage(s, 2, 5), "Storage.c", "size out of bounds", ()),
    ]
    for f, file, piece, args in cases:
        m_ = _find(messages, file, piece)
        want = expected(messages, file, piece, args)
        if m_["call"] == "THArgCheck" and m_["arg"] and not m_["arg"].isdigit():
            want = want.replace("#%s" % m_["arg"], "#2")
        assert raised(f) == want, piece
    # luaL_typerror(L, n, "torch.*Tensor"): "<tname> expected, got <type>"
    assert raised(m.copy, 5) == "bad argument #2 to '?' (%s expected, got number)" \
        % _find(messages, "Tensor.c", "torch.*Tensor", "luaL_typerror")["fmt"]
    # luaT_checkudata: the type's name expected; luaT_typerror names a value without a torch
    # type by lua_typename(L, 2), the index taken as a type code (2: light userdata), as
    # err_tensor_math's golden shows for #1 ('got boolean')
    assert raised(m.resizeAs, 5) == \
        "bad argument #2 to '?' (torch.DoubleTensor expected, got userdata)"


# -- THNN: argument checks through THNN.lua (v), shape macros, assertions ----------------------

def test_thnn_argchecks(messages):
    cases = [
        (lambda: nn.SpatialMaxPooling(2, 2).forward(R(5, 5)), "SpatialDilatedMaxPooling.c",
         "3D or 4D input tensor expected but got: %s", ("[5 x 5]",)),
        (lambda: nn.SpatialAveragePooling(2, 2).forward(R(5)), "SpatialAveragePooling.c",
         "3D or 4D input tensor expected but got: %s", ("[5]",)),
        (lambda: nn.SpatialMaxPooling(2, 2, 1, 1, 2, 2).forward(R(1, 5, 5)),
         "SpatialDilatedMaxPooling.c", "pad should be smaller", (2, 2, 2, 2)),
        (lambda: nn.SpatialMaxPooling(0, 2).forward(R(1, 4, 4)), "SpatialDilatedMaxPooling.c",
         "kernel size should be greater than zero", (2, 0)),
        (lambda: nn.SpatialConvolution(3, 4, 3, 3).forward(R(5, 5)), "SpatialConvolutionMM.c",
         "3D or 4D input tensor expected but got: %s", ("[5 x 5]",)),
        (lambda: nn.TemporalConvolution(3, 4, 2).forward(R(5, 2)), "TemporalConvolution.c",
         "invalid input frame size", (2, 3)),
        (lambda: nn.LogSoftMax().forward(R(1, 2, 3, 4, 5)), "LogSoftMax.c",
         "1D, 2D, 3D or 4D tensor expected", ()),
        (lambda: nn.MultiMarginCriterion().forward(R(2, 3, 4), L([1, 2])),
         "MultiMarginCriterion.c", "vector or matrix expected", ()),
        (lambda: nn.MultiMarginCriterion().forward(R(2, 3), L([1, 2, 3])),
         "MultiMarginCriterion.c", "inconsistent target size", ()),
        (lambda: nn.MultiLabelMarginCriterion().forward(R(2, 3), L(2, 4).zero()),
         "MultiLabelMarginCriterion.c", "inconsistent target size", ()),
        (lambda: nn.SpatialClassNLLCriterion().forward(R(2, 3, 4), L(2, 4).fill(1)),
         "SpatialClassNLLCriterion.c", "only batches of spatial targets", (2,)),
    ]
    for f, file, piece, args in cases:
        assert raised(f) == expected(messages, file, piece, args, ), piece


def test_thnn_shape_macros(messages):
    def backward(m, x, go):
        m.forward(x)
        return m.backward(x, go)
    cases = [
        (lambda: nn.SpatialConvolution(3, 4, 3, 3).forward(R(2, 5, 5)), "SpatialConvolutionMM.c",
         "Need input of dimension", (3, 0, 3, "[2 x 5 x 5]")),
        (lambda: backward(nn.SpatialMaxPooling(2, 2), R(1, 4, 4), R(1, 3, 2)),
         "SpatialDilatedMaxPooling.c", "Need gradOutput of dimension",
         (3, 1, 2, "[1 x 3 x 2]")),
        (lambda: backward(nn.TemporalMaxPooling(2), R(6, 3), R(2, 3)), "TemporalMaxPooling.c",
         "Need gradOutput of dimension", (2, 0, 3, "[2 x 3]")),
        (lambda: backward(nn.SoftMax(), R(3), R(4)), "SoftMax.c",
         "input and gradOutput shapes do not match", ("[3]", "[4]")),
        (lambda: backward(nn.Tanh(), R(3), R(4)), "Tanh.c",
         "output and gradOutput shapes do not match", ("[3]", "[4]")),
        (lambda: backward(nn.Threshold(), R(3), R(4)), "Threshold.c",
         "input and gradOutput have different number of elements", ("[3]", 3, "[4]", 4)),
        (lambda: nn.MSECriterion().forward(R(2, 3), R(3)), "MSECriterion.c",
         "input and target have different number of elements", ("[2 x 3]", 6, "[3]", 3)),
    ]
    for f, file, piece, args in cases:
        assert raised(f) == expected(messages, file, piece, args), piece


def test_thnn_assertions(messages):
    nll = _find(messages, "ClassNLLCriterion.c", "cur_target >= 0", "THAssert")
    assert raised(nn.ClassNLLCriterion().forward, R(2, 3), torch.Tensor([1, 5])) == \
        "Assertion `%s' failed. " % nll["fmt"]
    snll = _find(messages, "SpatialClassNLLCriterion.c", "size mismatch (got input",
                 "THAssertMsg")
    got = raised(nn.SpatialClassNLLCriterion().forward, R(2, 3, 4, 4), L(2, 4, 5).fill(1))
    assert got.startswith("Assertion `input0 == target0 && input2 == target1 && "
                          "input3 == target2' failed. ")
    assert got.endswith(_c_format(snll["fmt"], (2, 3, 4, 4, 2, 4, 5)))


def test_tool_lists_and_counts(messages):
    # the scan sees each kind of call, with argument numbers where there is one
    calls = {m["call"] for m in messages}
    assert {"THArgCheck", "THError", "THNN_ARGCHECK", "THNN_CHECK_DIM_SIZE", "THAssert",
            "luaL_error"} <= calls
    m = _find(messages, "SpatialConvolutionMM.c", "3D or 4D input tensor expected")
    assert m["arg"] == "2" and m["func"].endswith("SpatialConvolutionMM_shapeCheck")
    assert len(messages) > 900
