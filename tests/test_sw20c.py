"""Session 20's sweep sw20c: linear algebra, BLAS-level products, conv2/xcorr2/conv3 as legacy
scripts use them, run under our th and under the original Torch7 (/tmp/ref7: torch7 814ea4a on
LuaJIT 2.1.0-beta2, Debian OpenBLAS 0.3.21). Each test is one mechanism by which ours printed
something else; every expectation is what the ORIGINAL printed for the same code."""
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.tensor import TorchError

from luatest import th_script


def _err(f, *args):
    with pytest.raises(TorchError) as e:
        f(*args)
    return str(e.value)


# -- cwrap's str_arg_types: a class is a Lua table --------------------------------------------
# luaT_typename is NULL for a class table (its metatable is no registered type), so cwrap falls
# back to Lua's type: "table" (torch.DoubleTensor, nn.Linear, torch.DoubleStorage, torch.Timer).

def test_class_argument_is_named_table():
    # the original printed "invalid arguments: DoubleTensor table " for each of these
    for cls in (torch.DoubleTensor, nn.Linear, torch.DoubleStorage, torch.Timer):
        msg = _err(torch.mm, torch.ones(2, 2), cls)
        assert msg.startswith("invalid arguments: DoubleTensor table \n"), msg
    # torch.eye(torch.DoubleTensor, 3): "table number"
    assert _err(torch.eye, torch.DoubleTensor, 3).startswith("invalid arguments: table number \n")
    # torch.zeros(torch.FloatTensor, 1): "table number" (was "???")
    assert _err(torch.zeros, torch.FloatTensor, 1).startswith(
        "invalid arguments: table number \n")


def test_class_argument_through_th(tmp_path):
    r = th_script("require 'torch'\nrequire 'nn'\n"
                  "print(pcall(torch.add, torch.DoubleTensor, 1))\n"
                  "print(pcall(torch.mm, torch.ones(2,2), nn.Linear))\n"
                  "print(pcall(torch.mm, torch.ones(2,2), print))\n", tmp_path)
    assert r.stdout == (
        "false\tinvalid arguments: table number \nexpected arguments: [*DoubleTensor*] "
        "DoubleTensor double | [*DoubleTensor*] DoubleTensor [double] DoubleTensor\t\n"
        "false\tinvalid arguments: DoubleTensor table \nexpected arguments: [*DoubleTensor*] "
        "DoubleTensor~2D DoubleTensor~2D\t\n"
        "false\tinvalid arguments: DoubleTensor ??? \nexpected arguments: [*DoubleTensor*] "
        "DoubleTensor~2D DoubleTensor~2D\t\n"), r.stdout + r.stderr


# -- mm/mv/ger/bmm: cwrap zeroes the result first, and never resizes a given one ---------------
# TensorMath.lua's wrappers: init (resize) only for the default result, precall zero(res), then
# addmm(res, 0, res, 1, a, b) (ger: beta 1). A result that is an operand reads as zeros.

@pytest.mark.parametrize("T", [torch.DoubleTensor, torch.FloatTensor, torch.IntTensor])
def test_product_into_an_operand_is_zeros(T):
    a = T([[1, 2], [3, 4]])
    b = T([[5, 6], [7, 8]])
    r = a.clone()
    torch.mm(r, r, b)
    assert r.numpy().tolist() == [[0, 0], [0, 0]]
    r = a.clone()
    torch.mm(r, b, r)
    assert r.numpy().tolist() == [[0, 0], [0, 0]]
    v = T([1, 2])
    torch.mv(v, a, v)
    assert v.numpy().tolist() == [0, 0]
    c = T(1, 2, 2).fill(3)
    torch.bmm(c, c, c)
    assert c.numpy().tolist() == [[[0, 0], [0, 0]]]


def test_given_result_is_checked_not_resized():
    x, y = torch.Tensor([1, 2]), torch.Tensor([3, 4, 5])
    a, b = torch.ones(2, 3), torch.ones(3, 2)
    r = torch.Tensor()
    assert _err(torch.ger, r, x, y) == "expected matrix, got 0D tensor for t"
    assert _err(torch.mm, r, a, b) == "matrix expected, got 0D tensor for t"
    assert _err(torch.mv, r, a, y) == "vector expected, got t: 0D"
    assert _err(torch.bmm, r, a.view(1, 2, 3), b.view(1, 3, 2)) == \
        "bad argument #2 to '?' (dimension 1 out of range of 0D tensor)"
    r = torch.Tensor(5)
    assert _err(torch.mv, r, a, y) == "size mismatch, t: [5], mat: [2 x 3]"
    assert _err(torch.bmm, r, a.view(1, 2, 3), b.view(1, 3, 2)) == \
        "bad argument #1 to '?' (output tensor of incorrect size)"
    r = torch.Tensor(3, 3).fill(1)
    assert _err(torch.mm, r, a, b) == "size mismatch, t: [3 x 3], m1: [2 x 3], m2: [3 x 2]"
    assert r.size().totable() == [3, 3]
    # zeroed before the size error
    r = torch.Tensor(2, 2).fill(3)
    assert _err(torch.ger, r, torch.ones(2), torch.ones(3)) == \
        "size mismatch, t: [2 x 2], vec1: [2], vec2: [3]"
    assert r.numpy().tolist() == [[0, 0], [0, 0]]
    r = torch.Tensor(3).fill(3)
    assert _err(torch.mv, r, torch.ones(2, 3), torch.ones(4)) == "size mismatch, [2 x 3], [4]"
    assert r.numpy().tolist() == [0, 0, 0]
    # the right size: written
    r = torch.Tensor(2, 3).fill(7)
    torch.ger(r, x, y)
    assert r.numpy().tolist() == [[3, 4, 5], [6, 8, 10]]


# -- conv2/xcorr2/conv3: the C loop adds into THTensor_(data)(r_) as a contiguous block --------

def test_conv_into_noncontiguous_result_is_in_memory_order(tmp_path):
    r = th_script("""require 'torch'
local x = torch.Tensor({{1,2,3},{4,5,6},{7,8,10}})
local k = torch.Tensor({{1,2},{3,5}})
local rt = torch.Tensor(2,2):fill(1):t()
torch.conv2(rt, x, k) print(rt:storage():totable())
local big = torch.Tensor(3,3):fill(100)
local rn = big:narrow(2,1,2):narrow(1,1,2)
torch.xcorr2(rn, x, k) print(big:storage():totable())
local ri = torch.IntTensor(2,2):fill(1):t()
torch.conv2(ri, x:int(), k:int()) print(ri[1][2], ri[2][1])
""".replace("print(rt:storage():totable())",
            "print(table.concat(rt:storage():totable(), ' '))").replace(
        "print(big:storage():totable())", "print(table.concat(big:storage():totable(), ' '))"),
        tmp_path)
    # the original printed these: rt's storage in conv2's row-major order; rn (rows 3 apart)
    # zeroed through its strides, then the block of 4 from its first element written: big's
    # third element gets 100 + 75, its fourth 0 + 91, its fifth stays zeroed
    assert r.stdout == ("24 35 57 69\t\n"
                        "42 53 175 91 0 100 100 100 100\t\n"
                        "57\t35\t\n"), r.stdout + r.stderr


# -- integer products whose result is an operand: THBlas.c's own loops, in TH's orientation ----
# THTensor_(addmm)/(addmv)/(addr) hand the C loops the result's memory and the operands' own
# memory (a copy only where TH makes one), so the loops read values they already wrote.

def _base(T):
    a = T(3, 3)
    s = a.storage()
    for i in range(1, 10):
        s[i] = (i * 7) % 11
    return a


def test_int_addmm_into_its_operand():
    # the original printed these (a:addmm(a, a), then at:addmm(2, 3, at, a) with at = a:t())
    a = _base(torch.IntTensor)
    a.addmm(a, a)
    assert a.numpy().tolist() == [[124, 391, 4849], [807, 315552, 6753192],
                                  [1472, 891113, 615138800]]
    a = _base(torch.ByteTensor)
    a.addmm(a, a)
    assert a.numpy().tolist() == [[124, 135, 241], [39, 160, 168], [192, 233, 240]]
    a = _base(torch.ByteTensor)
    at = a.t()
    at.addmm(2, 3, at, a)
    assert a.numpy().tolist() == [[88, 37, 121], [87, 30, 35], [255, 154, 190]]
    a = _base(torch.ByteTensor)
    a.addmm(0, 2, a, a.t())
    assert a.numpy().tolist() == [[60, 64, 176], [144, 170, 32], [254, 164, 168]]


def test_int_addmv_addr_into_their_operands():
    # the original printed these
    a = _base(torch.IntTensor)
    v = a.select(2, 1)
    v.addmv(2, 1, a, v)
    assert a.numpy().tolist() == [[131, 3, 10], [855, 2, 9], [1560, 1, 8]]
    a = _base(torch.IntTensor)
    v = a.select(1, 2)
    v.addmv(a.t(), v)
    assert a.numpy().tolist() == [[7, 3, 10], [8253, 1869, 13041], [5, 1, 8]]
    a = _base(torch.IntTensor)
    a.addr(2, a.select(1, 3), a.select(2, 2))
    assert a.numpy().tolist() == [[37, 23, 20], [52, 6, 11], [373, 97, 1560]]
    a = _base(torch.IntTensor)
    at = a.t()
    at.addr(at.select(1, 1), a.select(1, 1))
    assert a.numpy().tolist() == [[56, 45, 45], [2526, 113672, 234], [2525, 113671, 113633]]


def test_int_batch_products_into_their_operands():
    # the original printed these
    b = torch.LongTensor(2, 2, 2)
    for i in range(1, 9):
        b.storage()[i] = i
    b.baddbmm(2, 1, b, b)
    assert b.numpy().tolist() == [[[9, 30], [45, 1374]], [[77, 522], [609, 317978]]]
    for i in range(1, 9):
        b.storage()[i] = i
    r = b.select(1, 1)
    r.addbmm(r.view(1, 2, 2).expand(2, 2, 2), b)
    assert b.numpy().tolist() == [[[230, 1614], [7472, 54138]], [[5, 6], [7, 8]]]


# -- full correlations of several input planes: the plain full loops scatter into the output ---
# fullXCorr2Dptr (rows under 4) and fullXCorr3Dptr add each product to the output element
# directly, input plane after input plane; the valid loops sum an element's taps first.

_FULL_SCRIPT = """require 'torch'
for _, T in ipairs{'torch.DoubleTensor', 'torch.FloatTensor'} do
  local x = torch.Tensor(2, 3, 3):copy(torch.range(1, 18)):div(7):type(T)
  local k = torch.Tensor(1, 2, 2, 2):copy(torch.range(1, 8)):div(3):type(T)
  local o = torch.xcorr2(x, k, 'F')
  print(string.format('%.17g %.17g %.17g', o[1][2][2], o[1][3][3], o[1][4][4]))
  local x3 = torch.Tensor(2, 2, 2, 2):copy(torch.range(1, 16)):div(7):type(T)
  local k3 = torch.Tensor(1, 2, 2, 2, 2):copy(torch.range(1, 16)):div(3):type(T)
  local o3 = torch.xcorr3(x3, k3, 'F')
  print(string.format('%.17g %.17g %.17g', o3[1][2][2][2], o3[1][2][3][2], o3[1][3][3][3]))
end
"""


def test_full_xcorr_of_several_planes_adds_in_scatter_order(tmp_path):
    r = th_script(_FULL_SCRIPT, tmp_path)
    # the original printed these
    assert r.stdout == ("16.952380952380953 23.80952380952381 4.7142857142857153\t\n"
                        "71.238095238095241 34.857142857142854 7.2380952380952372\t\n"
                        "16.952381134033203 23.809524536132813 4.7142853736877441\t\n"
                        "71.23809814453125 34.857143402099609 7.238095760345459\t\n"), \
        r.stdout + r.stderr


# -- LAPACK results: TH's working matrix (THTensorLapack.c's checkLapackClone) ----------------
# A given result apart from the source is TH's working matrix: resized, transposed when
# contiguous, holding the input's copy and then LAPACK's output, also when LAPACK reports an
# error. A result that is its own source (torch.inverse(x, x)) and no transposed-contiguous
# matrix is not: TH works in a new tensor and copies it back through the result's strides.

def _sz(t):
    return t.size().totable() + t.stride().totable()


def test_lapack_given_results_keep_the_working_state_after_an_error():
    # the original printed these after pcall's false
    s = torch.Tensor([[1, 2], [2, 4]])
    for r in (torch.Tensor(2, 2).fill(9), torch.Tensor(3, 3).fill(9), torch.Tensor()):
        with pytest.raises(TorchError, match="U is singular"):
            torch.inverse(r, s)
        assert _sz(r) == [2, 2, 1, 2]
        assert r.numpy().tolist() == [[2, 4], [0.5, 0]]
    r = torch.Tensor(2, 2).fill(9)
    with pytest.raises(TorchError, match="not positive definite"):
        torch.potrf(r, torch.Tensor([[1, 2], [2, 1]]))
    assert _sz(r) == [2, 2, 1, 2] and r.numpy().tolist() == [[1, 2], [2, -3]]
    ra, rb = torch.Tensor(2, 2).fill(9), torch.Tensor(2, 1).fill(9)
    with pytest.raises(TorchError, match="singular U"):
        torch.gesv(rb, ra, torch.Tensor([[1], [2]]), s)
    assert ra.numpy().tolist() == [[2, 4], [0.5, 0]] and rb.numpy().tolist() == [[1], [2]]
    assert _sz(rb) == [2, 1, 1, 2]
    ra, rb = torch.Tensor(2, 2).fill(9), torch.Tensor(2, 1).fill(9)
    with pytest.raises(TorchError, match="singular A"):
        torch.trtrs(rb, ra, torch.Tensor([[1], [2]]), torch.Tensor([[1, 2], [0, 0]]))
    assert ra.numpy().tolist() == [[1, 2], [0, 0]] and rb.numpy().tolist() == [[1], [2]]
    r = torch.Tensor(2, 2).fill(9)
    with pytest.raises(TorchError, match="cannot be factorized"):
        torch.potri(r, torch.Tensor([[1, 0], [0, 0]]))
    assert r.numpy().tolist() == [[1, 0], [0, 0]] and _sz(r) == [2, 2, 1, 2]
    # in place (the result is the source): TH's new working tensor, the source untouched
    a = s.clone()
    with pytest.raises(TorchError, match="U is singular"):
        torch.inverse(a, a)
    assert a.numpy().tolist() == [[1, 2], [2, 4]] and _sz(a) == [2, 2, 2, 1]


def test_lapack_in_place_results_keep_their_strides():
    # the original printed strides 2 1 (not 1 2) for each, and these values
    a = torch.Tensor([[4, 1], [2, 3]])
    x = a.clone()
    torch.inverse(x, x)
    assert _sz(x) == [2, 2, 2, 1]
    assert x.numpy().ravel().tolist() == pytest.approx([0.3, -0.1, -0.2, 0.4])
    x = a.clone().t()  # transposed contiguous: TH works in it directly
    torch.inverse(x, x)
    assert _sz(x) == [2, 2, 1, 2]
    s = torch.Tensor([[4, 2], [2, 3]])
    for f in (torch.potrf, torch.potri):
        x = s.clone()
        f(x, x)
        assert _sz(x) == [2, 2, 2, 1]
    ra, rb = a.clone(), torch.Tensor([[1], [2]])
    torch.gesv(rb, ra, rb, ra)
    assert _sz(ra) == [2, 2, 2, 1] and _sz(rb) == [2, 1, 1, 1]
    q, qb = torch.Tensor([[1, 2], [3, 4], [5, 6]]), torch.Tensor([[1], [2], [3]])
    torch.gels(qb, q, qb, q)
    assert _sz(q) == [3, 2, 2, 1] and _sz(qb) == [2, 1, 1, 1]
    assert qb[2][1] == pytest.approx(0.5)
    e = torch.Tensor([[2, 1], [1, 2]])
    torch.symeig(torch.Tensor(), e, e, 'V')
    assert _sz(e) == [2, 2, 2, 1]


def test_lapack_result_with_other_strides_is_worked_as_a_raw_block(tmp_path):
    # a result of the right size that is neither contiguous nor the transpose of one stays as
    # it is; cloneColumnMajor copies the input through its strides, then LAPACK works on
    # THTensor_(data)(result) as a column-major block with lda = n: the original printed these
    r = th_script("""require 'torch'
local a = torch.Tensor({{4, 1, 0}, {2, 5, 1}, {1, 0, 3}})
local big = torch.Tensor(5, 5) local st = big:storage() for i = 1, 25 do st[i] = i end
local r = big:narrow(1, 2, 3):narrow(2, 2, 3)
torch.inverse(r, a)
local out = {} for i = 1, 25 do out[#out + 1] = string.format('%.17g', st[i]) end
print(table.concat(out, ' '))
print(r:stride(1), r:stride(2), r:size(1), r:size(2))
local z = torch.zeros(4, 4)
print(pcall(torch.inverse, z:narrow(1, 2, 2):narrow(2, 2, 2), torch.Tensor({{4, 1}, {2, 3}})))
print(table.concat(z:storage():totable(), ' '))
""", tmp_path)
    assert r.stdout == (
        "1 2 3 4 5 6 0.318359375 -0.029296875 0.00390625 -0.2734375 0.1171875 -0.015625 "
        "-0.087890625 0.001953125 0.06640625 16 1 0 3 20 21 22 23 24 25\t\n"
        "5\t1\t3\t3\t\n"
        "false\tLapack Error getrf : U(2,2) is 0, U is singular\t\n"
        "0 0 0 0 0 4 0.25 0 0 2 3 0 0 0 0 0\t\n"), r.stdout + r.stderr


# -- luaT's binary operators: the first operand's metatable decides ---------------------------
# luaT_mt__add... take the first operand's metatable when it has one: a string's (the string
# library's) has no __add__..., so luaL_error "both (null) and torch.X have no ... operator";
# an operand without a metatable (number, boolean, plain table, function) leaves it to the
# tensor's class: TensorOperator's __mul__(x, tensor) checks x as its argument #1.

_OPS_SCRIPT = """require 'torch'
local t = torch.ones(2)
print(pcall(function() return '2' + t end))
print(pcall(function() return 'x' * t end))
print(pcall(function() return '' - t end))
print(pcall(function() return '2' / t end))
print(pcall(function() return 'x' ^ t end))
print(pcall(function() return '2' + torch.LongStorage({1, 2}) end))
print(pcall(function() return {} * t end))
print(pcall(function() return true * t end))
print(pcall(function() return print * t end))
print(pcall(function() return t * {} end))
"""


def test_string_left_operand_and_x_times_tensor(tmp_path):
    r = th_script(_OPS_SCRIPT, tmp_path)
    # the original printed these
    assert r.stdout == (
        "false\ts.lua:3: both (null) and torch.DoubleTensor have no addition operator\t\n"
        "false\ts.lua:4: both (null) and torch.DoubleTensor have no multiplication operator\t\n"
        "false\ts.lua:5: both (null) and torch.DoubleTensor have no substraction operator\t\n"
        "false\ts.lua:6: both (null) and torch.DoubleTensor have no division operator\t\n"
        "false\ts.lua:7: both (null) and torch.DoubleTensor have no power operator\t\n"
        "false\ts.lua:8: both (null) and torch.LongStorage have no addition operator\t\n"
        "false\tbad argument #1 to '?' (number expected, got table)\t\n"
        "false\tbad argument #1 to '?' (number expected, got boolean)\t\n"
        "false\tbad argument #1 to '?' (number expected, got function)\t\n"
        "false\tbad argument #2 to '?' (number expected, got table)\t\n"), r.stdout + r.stderr


# -- cwrap's charoption: lua_tostring, then only its first character --------------------------
# torchcwrap.lua's check is `*arg == 'V' || *arg == 'F'`; TH reads *vf, uplo[0], jobz[0].

def test_char_options_take_their_first_character():
    # the original accepted these, as 'V', 'F', 'L', 'V' and 'A'
    x = torch.Tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    k = torch.Tensor([[1, 0], [0, 1]])
    assert torch.conv2(x, k, "VF").numpy().tolist() == [[6, 8], [12, 14]]
    assert torch.conv2(x, k, "Full").size().totable() == [4, 4]
    s = torch.Tensor([[4, 2], [2, 3]])
    assert torch.potrf(s, "Lower").numpy().tolist() == torch.potrf(s, "L").numpy().tolist()
    e, v = torch.symeig(s, "Vectors")
    assert v.size().totable() == [2, 2]
    u, sv, _ = torch.svd(s, "All")
    assert u.size().totable() == [2, 2]
    # and refused these ('f', '', ' F'): cwrap's invalid arguments
    for bad in ("f", "", " F"):
        msg = _err(torch.conv2, x, k, bad)
        assert msg.startswith("invalid arguments: DoubleTensor DoubleTensor string \n"), msg


# -- cross into one of its operands: TH_TENSOR_DIM_APPLY3's slices, three writes each ----------

@pytest.mark.parametrize("T", [torch.DoubleTensor, torch.IntTensor])
def test_cross_into_an_operand_reads_its_own_writes(T):
    # the original printed these (dim 1: the slices are the columns, in order)
    def m3():
        return T([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    b = T([[0, 1, 0], [1, 0, 0], [0, 0, 1]])
    a = m3()
    torch.cross(a, a, b)
    assert a.numpy().tolist() == [[-7, 0, 6], [0, 8, -6], [-7, -8, 0]]
    a, c = m3(), b.clone()
    torch.cross(c, a, c)
    assert c.numpy().tolist() == [[-7, 0, 6], [-49, 0, 51], [-21, 0, 117]]


# -- LAPACK's guard: eig's and svd's vectors are no working matrix ---------------------------
# THTensor_(geev) and gesvd2 take the given vectors through newTransposedContiguous ("guard
# against someone passing a correct size, but wrong stride") and copy back through their
# strides; qr's q is orgqr's cloneColumnMajor working matrix (a raw block, as gesv's results).
# torch7's own test.lua (eig_noncontig, svd_noncontig) checks the first; the text below is what
# the ORIGINAL printed for this script.

NONCONTIG_LUA = "torch.manualSeed(1)\nlocal X = torch.randn(4,4)\nX = X:t()*X\nlocal e = torch.zeros(4,2,2)[{ {}, 2, {} }]\nlocal v = torch.zeros(4,2,4)[{ {}, 2, {} }]\ntorch.eig(e, v, X,'V')\nlocal Xhat = v * torch.diag(e:select(2,1)) * v:t()\nprint((X - Xhat):abs():max() < 1e-8, v:isContiguous(), v:stride(1), v:stride(2))\nprint(v)\nlocal X = torch.randn(5,5)\nlocal U = torch.zeros(5,2,5)[{ {}, 2, {} }]\nlocal S = torch.zeros(5,2)[{ {}, 2 }]\nlocal V = torch.zeros(5,2,5)[{ {}, 2, {} }]\ntorch.svd(U, S, V, X)\nlocal Xhat = torch.mm(U, torch.mm(S:diag(), V:t()))\nprint((X - Xhat):abs():max() < 1e-8, U:stride(1), U:stride(2), V:stride(1), V:stride(2))\nprint(U, S, V)\nlocal q = torch.zeros(4,2,4)[{ {}, 2, {} }]\nlocal r = torch.zeros(4,2,4)[{ {}, 2, {} }]\ntorch.qr(q, r, X:narrow(1,1,4):narrow(2,1,4))\nprint(q, r)\n"

NONCONTIG_OUT = 'true\tfalse\t8\t1\t\n 0.5084 -0.5511 -0.6085  0.2600\n-0.1891  0.5376 -0.3217  0.7562\n-0.1140 -0.5057  0.6161  0.5930\n 0.8323  0.3894  0.3830  0.0942\n[torch.DoubleTensor of size 4x4]\n\ntrue\t10\t1\t10\t1\t\n-0.5117  0.7326  0.3331 -0.2272  0.1974\n 0.0688  0.1860 -0.7351 -0.0732  0.6442\n 0.1264 -0.4300  0.4359 -0.5591  0.5445\n-0.5328 -0.3454  0.1465  0.6462  0.3972\n 0.6585  0.3529  0.3705  0.4613  0.3029\n[torch.DoubleTensor of size 5x5]\n\n 3.9783\n 3.0890\n 2.0928\n 0.9538\n 0.3811\n[torch.DoubleTensor of size 5]\n\n 0.7731 -0.1005 -0.2065 -0.4828 -0.3413\n 0.2247  0.6921  0.5466  0.2270 -0.3467\n 0.2794 -0.6803  0.4850  0.4600 -0.1110\n 0.4769  0.1767  0.0842  0.0884  0.8523\n 0.2152  0.1302 -0.6452  0.7042 -0.1567\n[torch.DoubleTensor of size 5x5]\n\n-0.6720  0.7457 -1.5655 -1.8281\n 1.5622 -0.6967  0.9729  1.2729\n-0.1121  0.1387 -1.7842  0.1744\n 0.4187  0.8261  0.5852 -0.1605\n[torch.DoubleTensor of size 4x4]\n\n 2.7768 -0.4460  0.9363  1.0934\n 0.0000  1.7907 -1.5833  0.2921\n 0.0000  0.0000 -1.7842  0.1744\n 0.0000  0.0000  0.0000 -0.1605\n[torch.DoubleTensor of size 4x4]\n\n'


def test_eig_svd_vectors_guarded_qr_raw_block(tmp_path):
    r = th_script(NONCONTIG_LUA, tmp_path)
    assert r.stdout == NONCONTIG_OUT, r.stdout + r.stderr
