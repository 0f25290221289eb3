"""Results of pointwise ops and copies whose result overlaps what they read, in TH's order:
TH_TENSOR_APPLY element by element (row-major), THVector's AVX blocks (8 doubles / 16
floats read before they are written), OpenBLAS axpy's blocks (16 doubles) for `r_ == t` in
cadd. Every expectation below is worked out by hand from those loops."""
import numpy as np
import pytest

import torch7py as torch


def test_expanded_destination_add_mul_applies_once_per_alias():
    # TH_TENSOR_APPLY2(r_, t): the 3 rows of x:expand(3, 4) are the same 4 elements
    x = torch.Tensor([1, 2, 3, 4]).view(1, 4)
    x.expand(3, 4).add(1)
    assert x.numpy().tolist() == [[4, 5, 6, 7]]
    x = torch.Tensor([1, 2, 3, 4]).view(1, 4)
    x.expand(3, 4).mul(2)
    assert x.numpy().tolist() == [[8, 16, 24, 32]]


def test_expanded_destination_cmul_addcmul_copy():
    x = torch.Tensor([1, 2, 3, 4]).view(4, 1)
    x.expand(4, 3).cmul(torch.Tensor([[1, 2, 3]] * 4))  # x[i] * 1 * 2 * 3
    assert x.numpy().ravel().tolist() == [6, 12, 18, 24]
    x = torch.Tensor([1, 2, 3, 4]).view(1, 4)
    x.expand(3, 4).addcmul(2, torch.ones(3, 4), torch.ones(3, 4))  # r_ == t: 3 x (+2)
    assert x.numpy().tolist() == [[7, 8, 9, 10]]
    x = torch.zeros(1, 4)
    x.expand(3, 4).copy(torch.range(1, 12).view(3, 4))  # the last row is written last
    assert x.numpy().tolist() == [[9, 10, 11, 12]]


def test_unfolded_destination():
    # x:unfold(1, 2, 1) is 3x2 with strides (1, 1): positions 0 1 1 2 2 3
    x = torch.range(1, 4)
    x.unfold(1, 2, 1).add(1)
    assert x.numpy().tolist() == [2, 4, 5, 5]


def test_shifted_copy_double_uses_avx_blocks():
    # THVector_(copy) on doubles: blocks of 8 read then written, then one element at a time
    x = torch.range(1, 20)
    x.narrow(1, 2, 19).copy(x.narrow(1, 1, 19))
    assert x.numpy().tolist() == [1, 1, 2, 3, 4, 5, 6, 7, 8, 8, 10, 11, 12, 13, 14, 15, 16,
                                  16, 16, 16]
    x = torch.range(1, 6)  # shorter than a block: all element by element
    x.narrow(1, 2, 5).copy(x.narrow(1, 1, 5))
    assert x.numpy().tolist() == [1] * 6


def test_shifted_copy_float_blocks_of_16_and_integers_one_by_one():
    x = torch.range(1, 20).float()
    x.narrow(1, 2, 19).copy(x.narrow(1, 1, 19))
    # block 0..15 -> 1..16 from the old values, then 16, 17, 18 one by one
    assert x.numpy().tolist() == [1] + list(range(1, 17)) + [16, 16, 16]
    x = torch.range(1, 20).long()  # copy_DEFAULT: a C loop
    x.narrow(1, 2, 19).copy(x.narrow(1, 1, 19))
    assert x.numpy().tolist() == [1] * 20


def test_backward_shift_matches_buffered_copy():
    # the destination before the source: every element is read before it is written
    x = torch.range(1, 20)
    x.narrow(1, 1, 19).copy(x.narrow(1, 2, 19))
    assert x.numpy().tolist() == list(range(2, 21)) + [20]


def test_shifted_add_double_is_openblas_axpy():
    # y:add(x) with y == r_ == t contiguous: daxpy, 16 elements per block, then a scalar tail
    x = torch.range(1, 20)
    x.narrow(1, 2, 19).add(x.narrow(1, 1, 19))
    first = [1] + [2 * k + 1 for k in range(1, 17)]  # 1..16 (0-based) from old values
    v17 = 18 + first[-1]
    v18 = 19 + v17
    v19 = 20 + v18
    assert x.numpy().tolist() == first + [v17, v18, v19]


def test_shifted_add_into_other_result_uses_cadd_blocks():
    # torch.add(r, t, src) with r_ != t: THVector cadd (AVX2), blocks of 8 doubles
    x = torch.range(1, 12)
    r = x.narrow(1, 2, 11)
    torch.add(r, torch.ones(11), x.narrow(1, 1, 11))
    # block 0..7 from old values: 1 + x[k]; then k = 8, 9, 10 read the new x[k]
    exp = [1.0] + [1 + k for k in range(1, 9)]
    for _ in range(3):
        exp.append(1 + exp[-1])
    assert x.numpy().tolist() == exp


def test_shifted_add_long_is_sequential():
    x = torch.range(1, 10).long()
    x.narrow(1, 2, 9).add(x.narrow(1, 1, 9))  # prefix sums
    assert x.numpy().tolist() == np.cumsum(np.arange(1, 11)).tolist()


def test_transposed_view_adds_itself():
    # r_ = x:t() is not contiguous: APPLY3, x:t()[1][2] (x[2][1]) reads x[1][2] first,
    # then x:t()[2][1] (x[1][2]) reads the new x[2][1]
    x = torch.Tensor([[1, 2], [3, 4]])
    x.t().add(x)
    assert x.numpy().tolist() == [[2, 7], [5, 8]]


def test_copy_of_own_transpose_goes_by_tiles():
    # copyTranspose (>= 3600 elements): each 60x60 tile of the source is read, then
    # written; tiles row by row, so a tile below the diagonal reads what was written above
    n = 120
    x = torch.range(1, n * n).view(n, n)
    orig = x.numpy().copy()
    x.copy(x.t())
    ti = np.arange(n)[:, None] // 60
    tj = np.arange(n)[None, :] // 60
    exp = np.where(ti > tj, orig, orig.T)
    np.testing.assert_array_equal(x.numpy(), exp)


def test_sequential_other_ops_and_unary():
    x = torch.range(1, 6)
    x.narrow(1, 2, 5).cmax(x.narrow(1, 1, 5), 0)  # APPLY2: r[k] = max(t[k], 0) = t[k]
    assert x.numpy().tolist() == [1] * 6
    x = torch.Tensor([4, 0, 0, 0])
    x.narrow(1, 2, 3).sqrt(x.narrow(1, 1, 3))  # APPLY2 in order: 4, 2, sqrt 2, 2^(1/4)
    np.testing.assert_allclose(x.numpy(), [4, 2, 2 ** 0.5, 2 ** 0.25], rtol=0, atol=1e-15)


def test_disjoint_views_of_one_storage_unchanged():
    x = torch.range(1, 8)
    a, b = x.narrow(1, 1, 4), x.narrow(1, 5, 4)
    a.add(b)
    assert x.numpy().tolist() == [6, 8, 10, 12, 5, 6, 7, 8]
    a.copy(b)
    assert x.numpy().tolist() == [5, 6, 7, 8, 5, 6, 7, 8]


def test_storage_window_overlap():
    s = torch.DoubleStorage([1, 2, 3, 4, 5, 6])
    w = torch.DoubleStorage(s, 2)  # a window on the same memory
    torch.Tensor(w).copy(torch.Tensor(s).narrow(1, 1, 5))
    assert list(s) == [1] * 6


def test_lua_shifted_copy():
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    r = LuaRuntime().execute("""
        local x = torch.range(1, 6)
        x:narrow(1, 2, 5):copy(x:narrow(1, 1, 5))
        local y = torch.Tensor({1, 2, 3, 4}):view(1, 4)
        y:expand(3, 4):add(1)
        return {x:sum(), y:sum()}
    """)
    assert r == [6, 22]


def test_storage_copy_between_windows_is_sequential():
    # THStorage_(rawCopy): for (i = 0; i < size; i++) data[i] = src[i]
    s = torch.DoubleStorage([1, 2, 3, 4, 5, 6])
    torch.DoubleStorage(s, 2, 5).copy(torch.DoubleStorage(s, 1, 5))
    assert list(s) == [1] * 6
    s = torch.DoubleStorage([1, 2, 3, 4, 5, 6])
    torch.DoubleStorage(s, 1, 5).copy(torch.DoubleStorage(s, 2, 5))
    assert list(s) == [2, 3, 4, 5, 6, 6]
