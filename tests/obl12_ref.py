"""Reference formulas for OpenBLAS 0.3.21's (Haswell, one thread) level-1/2 orders, written in
numpy/Python from the kernels' sources (kernel/x86_64/sgemv_n_4.c with its Haswell micro-kernel,
daxpy.c/saxpy.c, ddot.c/sdot.c) and the machine code of Debian's build (its C loops compiled
without FMA, except dgemv_t_4.c's), independently of torch7py's C: each numpy float operation
rounds once, as one instruction of the original does."""
import numpy as np


def sgemv_n_ones(go, gb):
    """gb + go^T ones (scale 1) as sgemv_n computes Linear's float gradBias:addmv(1,
    gradOutput:t(), addBuffer): go (n, m) C-contiguous, the matrix m x n column-major."""
    f = np.float32
    n, m = go.shape
    y = gb.astype(f).copy()
    m4 = m & -4
    for b0 in range(0, m4, 4096):
        nb = min(4096, m4 - b0)
        pre = nb & 4
        pre += (nb - pre) & 8  # the micro-kernel's first 4, then 8 rows: two accumulators
        rows, P, Q = slice(b0, b0 + nb), slice(b0, b0 + pre), slice(b0 + pre, b0 + nb)
        j = 0
        for width in (8, 4):
            while j + width <= n and (width == 8 or n & 4):
                c = go[j:j + width]
                a4, a5 = c[0, P] + f(0), c[1, P] + f(0)
                for k in range(2, width, 2):
                    a4 = a4 + c[k, P]
                    a5 = a5 + c[k + 1, P]
                y[P] = (a4 + a5) + y[P]
                a = c[0, Q] + f(0)
                for k in range(1, width):
                    a = a + c[k, Q]
                y[Q] = y[Q] + a
                j += width
                if width == 4:
                    break
        if n & 2:
            y[rows] = (y[rows] + go[j, rows]) + go[j + 1, rows]
            j += 2
        if n & 1:
            y[rows] = y[rows] + go[j, rows]
    for i in range(m4, m):  # the C loop's rows: a sum from zero, added once
        s = f(0)
        for r in range(n):
            s = f(s + go[r, i])
        y[i] = y[i] + s
    return y
