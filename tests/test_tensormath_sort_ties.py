"""sort / kthvalue / median / mode / topk index choices with ties, against THTensorMath.c's
quicksort (median of three, Hoare partition, insertion sort below 11 elements) and quickselect,
written out again here from the C."""
import numpy as np
import pytest

import torch7py as torch


def _qsort(a, ix, desc):
    n = len(a)
    gt = (lambda x, y: x < y) if desc else (lambda x, y: x > y)  # "x after y"

    def swap(p, q):
        a[p], a[q] = a[q], a[p]
        ix[p], ix[q] = ix[q], ix[p]
    stack, L, R = [], 0, n - 1
    done = n - 1 <= 10
    while not done:
        P = (L + R) >> 1
        swap(P, L + 1)
        if gt(a[L + 1], a[R]):
            swap(L + 1, R)
        if gt(a[L], a[R]):
            swap(L, R)
        if gt(a[L + 1], a[L]):
            swap(L + 1, L)
        i, j, piv = L + 1, R, a[L]
        while True:
            i += 1
            while gt(piv, a[i]):
                i += 1
            j -= 1
            while gt(a[j], piv):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(L, j)
        szl, szr = j - L, R - i + 1
        if szl <= 10 and szr <= 10:
            if not stack:
                done = True
            else:
                L, R = stack.pop()
        elif szl <= 10 or szr <= 10:
            if szl > szr:
                R = j - 1
            else:
                L = i
        else:
            if szl > szr:
                stack.append((L, j - 1))
                L = i
            else:
                stack.append((i, R))
                R = j - 1
    for i in range(n - 2, -1, -1):
        if gt(a[i], a[i + 1]):
            piv, pid, j = a[i], ix[i], i + 1
            while True:
                a[j - 1], ix[j - 1] = a[j], ix[j]
                j += 1
                if not (j < n and gt(piv, a[j])):
                    break
            a[j - 1], ix[j - 1] = piv, pid


def _qselect(a, ix, k):
    def swap(p, q):
        a[p], a[q] = a[q], a[p]
        ix[p], ix[q] = ix[q], ix[p]
    L, R = 0, len(a) - 1
    while True:
        if R <= L:
            return
        if R == L + 1:
            if a[L] > a[R]:
                swap(L, R)
            return
        P = (L + R) >> 1
        swap(P, L + 1)
        if a[L + 1] > a[R]:
            swap(L + 1, R)
        if a[L] > a[R]:
            swap(L, R)
        if a[L + 1] > a[L]:
            swap(L + 1, L)
        i, j, piv = L + 1, R, a[L]
        while True:
            i += 1
            while a[i] < piv:
                i += 1
            j -= 1
            while a[j] > piv:
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(L, j)
        if j <= k:
            L = i
        if j >= k:
            R = j - 1


def _sorted(row, desc):
    a, ix = list(row), list(range(len(row)))
    _qsort(a, ix, desc)
    return a, ix


@pytest.mark.parametrize("n,rows", [(5, 3), (12, 4), (37, 5), (300, 2), (11000, 1)])
@pytest.mark.parametrize("desc", [False, True])
def test_sort_indices_of_ties(n, rows, desc):
    rng = np.random.default_rng(n)
    x = rng.integers(0, 4, (rows, n)).astype(np.float64)
    v, i = torch.sort(torch.DoubleTensor(x.tolist()), 2, desc)
    for r in range(rows):
        a, ix = _sorted(x[r].tolist(), desc)
        assert v.numpy()[r].tolist() == a
        assert (i.numpy()[r] - 1).tolist() == ix


@pytest.mark.parametrize("n", [7, 40, 6001])
def test_kthvalue_median_mode_of_ties(n):
    rng = np.random.default_rng(n)
    x = rng.integers(0, 5, (2, n)).astype(np.float64)
    t = torch.DoubleTensor(x.tolist())
    for k in (1, n // 3 + 1, n):
        v, i = torch.kthvalue(t, k, 2)
        for r in range(2):
            a, ix = list(x[r]), list(range(n))
            _qselect(a, ix, k - 1)
            assert (v.numpy()[r, 0], i.numpy()[r, 0] - 1) == (a[k - 1], ix[k - 1])
    v, i = torch.median(t, 2)
    k = (n - 1) // 2
    for r in range(2):
        a, ix = list(x[r]), list(range(n))
        _qselect(a, ix, k)
        assert (v.numpy()[r, 0], i.numpy()[r, 0] - 1) == (a[k], ix[k])
    v, i = torch.mode(t, 2)
    for r in range(2):
        a, ix = _sorted(x[r].tolist(), False)
        best = freq = 0
        mode = modei = 0
        for j in range(n):
            freq += 1
            if j == n - 1 or a[j] != a[j + 1]:
                if freq > best:
                    mode, modei, best = a[j], ix[j], freq
                freq = 0
        assert (v.numpy()[r, 0], i.numpy()[r, 0] - 1) == (mode, modei)
