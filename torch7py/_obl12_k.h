/* The level-1/2 kernels of torch7py._obl12 (included by _obl12.c once per float type and
   build: FT the element type, FMA its fused multiply-add, K(name) the kernel's name with the
   type and build suffix, ATTR the build's function attribute, DBL 1 for double).

   Each kernel gives the bits of OpenBLAS 0.3.21's DYNAMIC_ARCH Haswell kernel for one thread:
   its assembly micro-kernels (vfmadd* lanes, their reduction order) written as FMA chains per
   lane, its C loops as they are compiled in Debian's build (without -mfma: every C `y += a*x`
   rounds the product first, checked on that library's machine code and against its results).
   With CC (contract(1)) the SkylakeX kernel set of the same build instead: the same C files
   compiled with -march=skylake-avx512, so their `#if defined(SKYLAKEX)` micro-kernels (AVX-512
   intrinsics: ddot/sdot, dgemv_n, sgemv_n, sgemv_t) and every C loop contracted by GCC (the
   first product of `a*b + c*d` fused into the add: fma(a, b, c*d)); tools/obl12_skx_ref.py
   compares both with the library. -ffp-contract=off keeps the compiler from fusing anything
   else. */

/* y += da * x (daxpy.c / saxpy.c): contiguous, the first n & -16 (double) or n & -32 (float)
   elements by the micro-kernel (one fused multiply-add each), the rest `y[i] += da * x[i]`;
   strided, all of them unfused. */
ATTR static void
K(axpy)(Py_ssize_t n, FT da, const FT *x, Py_ssize_t incx, FT *y, Py_ssize_t incy)
{
    Py_ssize_t i = 0;
    if (n <= 0)
        return;
    if (incx == 1 && incy == 1) {
        Py_ssize_t n1 = n & (DBL ? -16 : -32);
        for (; i < n1; i++)
            y[i] = FMA(da, x[i], y[i]);
        for (; i < n; i++) {
            if (CC) {
                y[i] = FMA(da, x[i], y[i]);
            } else {
                FT p = da * x[i];
                y[i] = y[i] + p;
            }
        }
        return;
    }
    for (; i < n; i++) {
        if (CC) {
            y[i * incy] = FMA(da, x[i * incx], y[i * incy]);
        } else {
            FT p = da * x[i * incx];
            y[i * incy] = y[i * incy] + p;
        }
    }
}

/* dot of x and y (ddot.c / sdot.c), returned as TH receives it (real) in a double */
ATTR static double
K(dot)(Py_ssize_t n, const FT *x, Py_ssize_t incx, const FT *y, Py_ssize_t incy)
{
    Py_ssize_t i = 0;
    if (n <= 0)
        return 0.0;
#if DBL
    if (incx == 1 && incy == 1 && CC) {
        /* SkylakeX (ddot_microk_skylakex-2.c): the first n & -32 elements on four zmm
           accumulators of eight lanes (element 32t + 8k + l to acc5[k][l]), each folded to
           four lanes (l + l+4), then 16 at a time on four ymm accumulators; the four summed
           lane by lane ((a0 + a1) + a2) + a3, halves added, vhaddpd; the C tail contracted */
        double dot = 0.0;
        Py_ssize_t n1 = n & -16;
        if (n1) {
            double acc[4][4], a5[4][8];
            Py_ssize_t n32 = n1 & -32;
            for (int k = 0; k < 4; k++)
                for (int l = 0; l < 8; l++)
                    a5[k][l] = 0.0;
            for (; i < n32; i += 32)
                for (int k = 0; k < 4; k++)
                    for (int l = 0; l < 8; l++)
                        a5[k][l] = FMA(x[i + 8 * k + l], y[i + 8 * k + l], a5[k][l]);
            for (int k = 0; k < 4; k++)
                for (int l = 0; l < 4; l++)
                    acc[k][l] = a5[k][l] + a5[k][l + 4];
            for (; i < n1; i += 16)
                for (int k = 0; k < 4; k++)
                    for (int l = 0; l < 4; l++)
                        acc[k][l] = FMA(x[i + 4 * k + l], y[i + 4 * k + l], acc[k][l]);
            double s[4];
            for (int l = 0; l < 4; l++) {
                double t = acc[0][l] + acc[1][l];
                t = t + acc[2][l];
                s[l] = t + acc[3][l];
            }
            double h0 = s[0] + s[2], h1 = s[1] + s[3];
            dot = h0 + h1;
        }
        for (; i < n; i++)
            dot = FMA(y[i], x[i], dot);
        return dot;
    }
    if (incx == 1 && incy == 1) {
        double dot = 0.0;
        Py_ssize_t n1 = n & -16;
        if (n1) {
            /* four ymm accumulators of four lanes: acc[k] takes the elements i == k mod 16 */
            double acc[16] = {0};
            for (; i < n1; i += 16)
                for (int k = 0; k < 16; k++)
                    acc[k] = FMA(x[i + k], y[i + k], acc[k]);
            double v[4][2];
            for (int r = 0; r < 4; r++) {  /* vextractf128 + vaddpd: lanes (0+2, 1+3) */
                v[r][0] = acc[4 * r] + acc[4 * r + 2];
                v[r][1] = acc[4 * r + 1] + acc[4 * r + 3];
            }
            double w0 = v[0][0] + v[1][0], w1 = v[0][1] + v[1][1];
            double u0 = v[2][0] + v[3][0], u1 = v[2][1] + v[3][1];
            w0 = w0 + u0;
            w1 = w1 + u1;
            dot = w0 + w1;  /* vhaddpd */
        }
        for (; i < n; i++) {
            if (CC) {
                dot = FMA(y[i], x[i], dot);
            } else {
                double p = y[i] * x[i];
                dot = dot + p;
            }
        }
        return dot;
    }
    {
        double t1 = 0.0, t2 = 0.0;
        Py_ssize_t n1 = n & -4, ix = 0, iy = 0;
        for (; i < n1; i += 4) {
            double m1 = y[iy] * x[ix], m2 = y[iy + incy] * x[ix + incx];
            double m3 = y[iy + 2 * incy] * x[ix + 2 * incx];
            double m4 = y[iy + 3 * incy] * x[ix + 3 * incx];
            double s13 = CC ? FMA(y[iy], x[ix], m3) : m1 + m3;
            double s24 = CC ? FMA(y[iy + incy], x[ix + incx], m4) : m2 + m4;
            t1 = t1 + s13;
            t2 = t2 + s24;
            ix += 4 * incx;
            iy += 4 * incy;
        }
        for (; i < n; i++) {
            if (CC) {
                t1 = FMA(y[iy], x[ix], t1);
            } else {
                double p = y[iy] * x[ix];
                t1 = t1 + p;
            }
            ix += incx;
            iy += incy;
        }
        return t1 + t2;
    }
#else
    /* sdot.c accumulates its C loops in double (each product rounded to float first) and adds
       the micro-kernel's float result last; the caller gets it rounded to float */
    double dot = 0.0;
    if (incx == 1 && incy == 1) {
        float mydot = 0.0f;
        Py_ssize_t n1 = n & -32;
        if (n1 && CC) {
            /* SkylakeX (sdot_microk_skylakex-2.c): the first n & -64 elements on four zmm
               accumulators of 16 lanes (64t + 16k + l), folded to eight (l + l+8), then 32 at
               a time on four ymm accumulators of eight; summed lane by lane, halves added,
               vhaddps twice */
            float acc[4][8], a5[4][16];
            Py_ssize_t n64 = n1 & -64;
            for (int k = 0; k < 4; k++)
                for (int l = 0; l < 16; l++)
                    a5[k][l] = 0.0f;
            for (; i < n64; i += 64)
                for (int k = 0; k < 4; k++)
                    for (int l = 0; l < 16; l++)
                        a5[k][l] = FMA(x[i + 16 * k + l], y[i + 16 * k + l], a5[k][l]);
            for (int k = 0; k < 4; k++)
                for (int l = 0; l < 8; l++)
                    acc[k][l] = a5[k][l] + a5[k][l + 8];
            for (; i < n1; i += 32)
                for (int k = 0; k < 4; k++)
                    for (int l = 0; l < 8; l++)
                        acc[k][l] = FMA(x[i + 8 * k + l], y[i + 8 * k + l], acc[k][l]);
            float s[8], h[4];
            for (int l = 0; l < 8; l++) {
                float t = acc[0][l] + acc[1][l];
                t = t + acc[2][l];
                s[l] = t + acc[3][l];
            }
            for (int l = 0; l < 4; l++)
                h[l] = s[l] + s[l + 4];
            float h0 = h[0] + h[1], h1 = h[2] + h[3];
            mydot = h0 + h1;
        } else if (n1) {
            float acc[32] = {0};
            for (; i < n1; i += 32)
                for (int k = 0; k < 32; k++)
                    acc[k] = FMA(x[i + k], y[i + k], acc[k]);
            float v[4][4];
            for (int r = 0; r < 4; r++)
                for (int l = 0; l < 4; l++)
                    v[r][l] = acc[8 * r + l] + acc[8 * r + l + 4];
            float w[4];
            for (int l = 0; l < 4; l++) {
                float a = v[0][l] + v[1][l], b = v[2][l] + v[3][l];
                w[l] = a + b;
            }
            float h0 = w[0] + w[1], h1 = w[2] + w[3];  /* vhaddps twice */
            mydot = h0 + h1;
        }
        for (; i < n; i++) {
            float p = y[i] * x[i];
            dot = dot + (double)p;
        }
        dot = dot + (double)mydot;
        return (double)(float)dot;
    }
    {
        Py_ssize_t n1 = n & -2, ix = 0, iy = 0;
        for (; i < n1; i += 2) {
            float p1 = y[iy] * x[ix], p2 = y[iy + incy] * x[ix + incx];
            float s = CC ? FMA(y[iy], x[ix], p2) : p1 + p2;
            dot = dot + (double)s;
            ix += 2 * incx;
            iy += 2 * incy;
        }
        for (; i < n; i++) {
            float p = y[iy] * x[ix];
            dot = dot + (double)p;
            ix += incx;
            iy += incy;
        }
        return (double)(float)dot;
    }
#endif
}

/* y += alpha * A x, A column-major m x n (lda), y already beta-scaled (dgemv_n_4.c /
   sgemv_n_4.c with the Haswell micro-kernels). yb: a work buffer of NBMAX elements. */
#if DBL
#define GN_NBMAX 2048
#else
#define GN_NBMAX 4096
#endif

/* rows [0, nb) of the four columns ap[0..3] (and for float the four at ap[k] + lda4) */
ATTR static void
K(gn_4x4)(Py_ssize_t nb, const FT *const *ap, const FT *x, FT *restrict y, FT alpha)
{
#if DBL
    if (CC) {
        /* SkylakeX (dgemv_n_microk_skylakex-4.c): `a0*x0 + a1*x1 + a2*x2 + a3*x3` as GCC
           contracts it, then y += sum * alpha fused */
        for (Py_ssize_t i = 0; i < nb; i++) {
            FT t = FMA(ap[0][i], x[0], ap[1][i] * x[1]);
            t = FMA(ap[2][i], x[2], t);
            t = FMA(ap[3][i], x[3], t);
            y[i] = FMA(t, alpha, y[i]);
        }
        return;
    }
    for (Py_ssize_t i = 0; i < nb; i++) {
        FT t = FMA(ap[2][i], x[2], ap[0][i] * x[0]);
        FT u = FMA(ap[3][i], x[3], ap[1][i] * x[1]);
        y[i] = FMA(alpha, t + u, y[i]);
    }
#else
    /* the first nb & 4 rows, then 8 if what is left has 8: two accumulators, alpha applied
       unfused; the rest 16 at a time: one chain, alpha fused into y */
    Py_ssize_t pre = nb & 4;
    pre += (nb - pre) & 8;
    for (Py_ssize_t i = 0; i < pre; i++) {
        FT a4 = FMA(ap[0][i], x[0], 0.0f), a5 = FMA(ap[1][i], x[1], 0.0f);
        a4 = FMA(ap[2][i], x[2], a4);
        a5 = FMA(ap[3][i], x[3], a5);
        FT r = (a4 + a5) * alpha;
        y[i] = r + y[i];
    }
    for (Py_ssize_t i = pre; i < nb; i++) {
        FT a = FMA(ap[0][i], x[0], 0.0f);
        a = FMA(ap[1][i], x[1], a);
        a = FMA(ap[2][i], x[2], a);
        a = FMA(ap[3][i], x[3], a);
        y[i] = FMA(alpha, a, y[i]);
    }
#endif
}

#if !DBL
ATTR static void
K(gn_4x8)(Py_ssize_t nb, const FT *const *ap, Py_ssize_t lda4, const FT *x, FT *restrict y,
          FT alpha)
{
    Py_ssize_t pre = nb & 4;
    pre += (nb - pre) & 8;
    const FT *b[4] = {ap[0] + lda4, ap[1] + lda4, ap[2] + lda4, ap[3] + lda4};
    for (Py_ssize_t i = 0; i < pre; i++) {
        FT a4 = FMA(ap[0][i], x[0], 0.0f), a5 = FMA(ap[1][i], x[1], 0.0f);
        a4 = FMA(ap[2][i], x[2], a4);
        a5 = FMA(ap[3][i], x[3], a5);
        a4 = FMA(b[0][i], x[4], a4);
        a5 = FMA(b[1][i], x[5], a5);
        a4 = FMA(b[2][i], x[6], a4);
        a5 = FMA(b[3][i], x[7], a5);
        FT r = (a4 + a5) * alpha;
        y[i] = r + y[i];
    }
    for (Py_ssize_t i = pre; i < nb; i++) {
        FT a = FMA(ap[0][i], x[0], 0.0f);
        a = FMA(ap[1][i], x[1], a);
        a = FMA(ap[2][i], x[2], a);
        a = FMA(ap[3][i], x[3], a);
        a = FMA(b[0][i], x[4], a);
        a = FMA(b[1][i], x[5], a);
        a = FMA(b[2][i], x[6], a);
        a = FMA(b[3][i], x[7], a);
        y[i] = FMA(alpha, a, y[i]);
    }
}
#endif

ATTR static void
K(gn_4x2)(Py_ssize_t nb, const FT *const *ap, const FT *x, FT *restrict y, FT alpha)
{
#if DBL
    if (CC) {  /* SkylakeX: fma(a0, x0, a1*x1), then y += sum * alpha fused */
        for (Py_ssize_t i = 0; i < nb; i++) {
            FT t = FMA(ap[0][i], x[0], ap[1][i] * x[1]);
            y[i] = FMA(t, alpha, y[i]);
        }
        return;
    }
    for (Py_ssize_t i = 0; i < nb; i++) {
        FT p0 = ap[0][i] * x[0], p1 = ap[1][i] * x[1];
        y[i] = FMA(alpha, p0 + p1, y[i]);
    }
#else
    if (CC) {  /* SkylakeX (sgemv_kernel_n_64 on two columns): a chain from +0 */
        for (Py_ssize_t i = 0; i < nb; i++) {
            FT t = FMA(ap[0][i], x[0], 0.0f);
            t = FMA(ap[1][i], x[1], t);
            y[i] = FMA(t, alpha, y[i]);
        }
        return;
    }
    FT x0 = x[0] * alpha, x1 = x[1] * alpha;
    for (Py_ssize_t i = 0; i < nb; i++) {
        FT p0 = ap[0][i] * x0, p1 = ap[1][i] * x1;
        FT s = y[i] + p0;
        y[i] = s + p1;
    }
#endif
}

ATTR static void
K(gn_4x1)(Py_ssize_t nb, const FT *restrict a, const FT *x, FT *restrict y, FT alpha)
{
    FT x0 = x[0] * alpha;
    for (Py_ssize_t i = 0; i < nb; i++) {
        FT p = a[i] * x0;
        y[i] = y[i] + p;
    }
}

#if !DBL
/* SkylakeX's sgemv_kernel_n_64 on one column (the contiguous-x path): fma(a, x, +0), then
   y += that * alpha fused */
ATTR static void
K(gn_skx1)(Py_ssize_t nb, const FT *restrict a, const FT *x, FT *restrict y, FT alpha)
{
    for (Py_ssize_t i = 0; i < nb; i++) {
        FT t = FMA(a[i], x[0], 0.0f);
        y[i] = FMA(t, alpha, y[i]);
    }
}

/* SkylakeX's sgemv_kernel_n_128 (sgemv_n_4.c takes it for m <= 16384, n <= 48, n != 4): every
   row (the last m & 3 too) a chain over the columns from +0, then y += sum * alpha fused */
ATTR static void
K(gn_skx)(Py_ssize_t m, Py_ssize_t n, FT alpha, const FT *a, Py_ssize_t lda, const FT *x,
          Py_ssize_t incx, FT *y, Py_ssize_t incy)
{
    FT t[256];  /* rows 256 at a time, column by column (each row's chain in column order) */
    for (Py_ssize_t r0 = 0; r0 < m; r0 += 256) {
        Py_ssize_t nb = m - r0 < 256 ? m - r0 : 256;
        for (Py_ssize_t r = 0; r < nb; r++)
            t[r] = 0.0f;
        for (Py_ssize_t j = 0; j < n; j++) {
            const FT *c = a + r0 + j * lda;
            FT xj = x[j * incx];
            for (Py_ssize_t r = 0; r < nb; r++)
                t[r] = FMA(c[r], xj, t[r]);
        }
        for (Py_ssize_t r = 0; r < nb; r++)
            y[(r0 + r) * incy] = FMA(t[r], alpha, y[(r0 + r) * incy]);
    }
}
#endif

ATTR static void
K(gemv_n)(Py_ssize_t m, Py_ssize_t n, FT alpha, const FT *a, Py_ssize_t lda, const FT *x,
          Py_ssize_t incx, FT *y, Py_ssize_t incy, FT *ybuffer)
{
    if (m < 1 || n < 1)
        return;
#if !DBL
    if (CC && m <= 16384 && n <= 48 && n != 4) {
        K(gn_skx)(m, n, alpha, a, lda, x, incx, y, incy);
        return;
    }
#endif
    Py_ssize_t n1, n2;
    if (!DBL && incx == 1) {
        n1 = n >> 3;
        n2 = n & 7;
    } else {
        n1 = n >> 2;
        n2 = n & 3;
    }
    Py_ssize_t m3 = m & 3, m1 = m & -4, m2 = (m & (GN_NBMAX - 1)) - m3;
    Py_ssize_t lda4 = lda << 2;
    FT *y_ptr = y;
    Py_ssize_t NB = GN_NBMAX;
    FT xbuffer[8];
    while (NB == GN_NBMAX) {
        m1 -= NB;
        if (m1 < 0) {
            if (m2 == 0)
                break;
            NB = m2;
        }
        const FT *a_ptr = a, *x_ptr = x;
        const FT *ap[4] = {a_ptr, a_ptr + lda, a_ptr + 2 * lda, a_ptr + 3 * lda};
        FT *yb;
        if (incy != 1) {
            yb = ybuffer;
            for (Py_ssize_t k = 0; k < NB; k++)
                yb[k] = 0;
        } else {
            yb = y_ptr;
        }
        if (incx == 1) {
#if DBL
            for (Py_ssize_t i = 0; i < n1; i++) {
                K(gn_4x4)(NB, ap, x_ptr, yb, alpha);
                for (int k = 0; k < 4; k++)
                    ap[k] += lda4;
                a_ptr += lda4;
                x_ptr += 4;
            }
#else
            for (Py_ssize_t i = 0; i < n1; i++) {
                K(gn_4x8)(NB, ap, lda4, x_ptr, yb, alpha);
                for (int k = 0; k < 4; k++)
                    ap[k] += 2 * lda4;
                a_ptr += 2 * lda4;
                x_ptr += 8;
            }
            if (n2 & 4) {
                K(gn_4x4)(NB, ap, x_ptr, yb, alpha);
                for (int k = 0; k < 4; k++)
                    ap[k] += lda4;
                a_ptr += lda4;
                x_ptr += 4;
            }
#endif
            if (n2 & 2) {
                const FT *ap2[2] = {a_ptr, a_ptr + lda};
                K(gn_4x2)(NB, ap2, x_ptr, yb, alpha);
                a_ptr += 2 * lda;
                x_ptr += 2;
            }
            if (n2 & 1) {
#if !DBL
                if (CC)
                    K(gn_skx1)(NB, a_ptr, x_ptr, yb, alpha);
                else
#endif
                    K(gn_4x1)(NB, a_ptr, x_ptr, yb, alpha);
            }
        } else {
            for (Py_ssize_t i = 0; i < n1; i++) {
                for (int k = 0; k < 4; k++) {
                    xbuffer[k] = x_ptr[0];
                    x_ptr += incx;
                }
                K(gn_4x4)(NB, ap, xbuffer, yb, alpha);
                for (int k = 0; k < 4; k++)
                    ap[k] += lda4;
                a_ptr += lda4;
            }
            for (Py_ssize_t i = 0; i < n2; i++) {
                xbuffer[0] = x_ptr[0];
                x_ptr += incx;
                K(gn_4x1)(NB, a_ptr, xbuffer, yb, alpha);
                a_ptr += lda;
            }
        }
        a += NB;
        if (incy != 1) {
            for (Py_ssize_t k = 0; k < NB; k++) {
                *y_ptr = *y_ptr + yb[k];
                y_ptr += incy;
            }
        } else {
            y_ptr += NB;
        }
    }
    if (m3 == 0)
        return;
    /* the last m & 3 rows: C loops, one accumulator a row (CC: as GCC contracts them) */
    const FT *a_ptr = a, *x_ptr = x;
    FT temp[3] = {0, 0, 0};
    if (lda == m3 && incx == 1) {
        Py_ssize_t i = 0;
        if (m3 == 1) {
            for (; i < (n & -4); i += 4) {
                FT s;
                if (CC) {
                    s = FMA(a_ptr[i], x_ptr[i], a_ptr[i + 1] * x_ptr[i + 1]);
                    s = FMA(a_ptr[i + 2], x_ptr[i + 2], s);
                    s = FMA(a_ptr[i + 3], x_ptr[i + 3], s);
                } else {
                    s = a_ptr[i] * x_ptr[i];
                    FT p1 = a_ptr[i + 1] * x_ptr[i + 1];
                    s = s + p1;
                    FT p2 = a_ptr[i + 2] * x_ptr[i + 2];
                    s = s + p2;
                    FT p3 = a_ptr[i + 3] * x_ptr[i + 3];
                    s = s + p3;
                }
                temp[0] = temp[0] + s;
            }
            for (; i < n; i++)
                temp[0] = MADD(a_ptr[i], x_ptr[i], temp[0]);
        } else {
            for (; i < (n & -4); i += 4) {
                for (int half = 0; half < 2; half++) {
                    for (Py_ssize_t r = 0; r < m3; r++) {
                        FT p1 = a_ptr[r + m3] * x_ptr[1];
                        FT s = CC ? FMA(a_ptr[r], x_ptr[0], p1) : (FT)(a_ptr[r] * x_ptr[0]) + p1;
                        temp[r] = temp[r] + s;
                    }
                    a_ptr += 2 * m3;
                    x_ptr += 2;
                }
            }
            for (; i < n; i++) {
                for (Py_ssize_t r = 0; r < m3; r++)
                    temp[r] = MADD(a_ptr[r], x_ptr[0], temp[r]);
                a_ptr += m3;
                x_ptr++;
            }
        }
    } else {
        for (Py_ssize_t i = 0; i < n; i++) {
            for (Py_ssize_t r = 0; r < m3; r++)
                temp[r] = MADD(a_ptr[r], x_ptr[0], temp[r]);
            a_ptr += lda;
            x_ptr += incx;
        }
    }
    for (Py_ssize_t r = 0; r < m3; r++) {
        *y_ptr = MADD(alpha, temp[r], *y_ptr);
        y_ptr += incy;
    }
}

/* y += alpha * A^T x, A column-major m x n (lda): n dots of length m (dgemv_t_4.c /
   sgemv_t_4.c with the Haswell micro-kernels). xbuffer: NBMAX elements (x copied when
   strided), ytemp: NBMAX elements. */
/* Debian's build compiles dgemv_t_4.c (not sgemv_t_4.c) with FMA contraction: GCC fuses its
   C loops' first product into the add that uses it (`y += a*b` is fma(a, b, y), `y += a0*b0 +
   a1*b1 + a2*b2` is y + fma(a2, b2, fma(a0, b0, a1*b1))), seen in that library's machine code */
#if DBL
#define GT_FUSED 1
#define GT_ADD(a, b, y) FMA(a, b, y)
#else
#define GT_FUSED CC
#define GT_ADD(a, b, y) MADD(a, b, y)
#endif
#if DBL
#define GT_NBMAX 2048
#define GT_LANES 4
#else
#define GT_NBMAX 4096
#define GT_LANES 8
#endif

/* the micro-kernel: four dots of nb (a multiple of 4) into y[0..3] */
ATTR static void
K(gt_4x4)(Py_ssize_t nb, const FT *const *ap, const FT *x, FT *y)
{
    for (int c = 0; c < 4; c++) {
        const FT *a = ap[c];
        FT acc[GT_LANES];
        for (int l = 0; l < GT_LANES; l++)
            acc[l] = 0;
#if DBL
        /* lane l takes the elements i == l mod 4, in order */
        for (Py_ssize_t i = 0; i < nb; i += 4)
            for (int l = 0; l < 4; l++)
                acc[l] = FMA(a[i + l], x[i + l], acc[l]);
        FT s0 = acc[0] + acc[2], s1 = acc[1] + acc[3];
        y[c] = s0 + s1;
#else
        /* the first nb & 4 elements go to lanes 0..3, the rest 8 lanes wide from there */
        Py_ssize_t off = nb & 4;
        for (Py_ssize_t l = 0; l < off; l++)
            acc[l] = FMA(a[l], x[l], acc[l]);
        for (Py_ssize_t i = off; i < nb; i += 8)
            for (int l = 0; l < 8; l++)
                acc[l] = FMA(a[i + l], x[i + l], acc[l]);
        FT v[4];
        for (int l = 0; l < 4; l++)
            v[l] = acc[l] + acc[l + 4];
        FT h0 = v[0] + v[1], h1 = v[2] + v[3];
        y[c] = h0 + h1;
#endif
    }
}

ATTR static void
K(gt_4x2)(Py_ssize_t nb, const FT *a0, const FT *a1, const FT *x, FT *y)
{
#if DBL
    FT c0[2] = {0, 0}, c1[2] = {0, 0};
    for (Py_ssize_t i = 0; i < nb; i += 2)  /* nb is a multiple of 4 */
        for (int l = 0; l < 2; l++) {
            FT p0 = a0[i + l] * x[i + l], p1 = a1[i + l] * x[i + l];
            c0[l] = c0[l] + p0;
            c1[l] = c1[l] + p1;
        }
    y[0] = c0[0] + c0[1];
    y[1] = c1[0] + c1[1];
#else
    FT c0[4] = {0, 0, 0, 0}, c1[4] = {0, 0, 0, 0};
    for (Py_ssize_t i = 0; i < nb; i += 4)
        for (int l = 0; l < 4; l++) {
            FT p0 = a0[i + l] * x[i + l], p1 = a1[i + l] * x[i + l];
            c0[l] = c0[l] + p0;
            c1[l] = c1[l] + p1;
        }
    FT h0 = c0[0] + c0[1], h1 = c0[2] + c0[3];
    y[0] = h0 + h1;
    h0 = c1[0] + c1[1];
    h1 = c1[2] + c1[3];
    y[1] = h0 + h1;
#endif
}

ATTR static void
K(gt_4x1)(Py_ssize_t nb, const FT *a, const FT *x, FT *y)
{
#if DBL
    /* xmm10 takes elements i, i+1 of each four, xmm9 the other two */
    FT A[2] = {0, 0}, B[2] = {0, 0};
    Py_ssize_t i = 0;
    if (nb & 2) {
        for (int l = 0; l < 2; l++) {
            FT p = a[l] * x[l];
            A[l] = A[l] + p;
        }
        i = 2;
    }
    for (; i < nb; i += 4) {
        for (int l = 0; l < 2; l++) {
            FT p = a[i + l] * x[i + l];
            A[l] = A[l] + p;
            FT q = a[i + 2 + l] * x[i + 2 + l];
            B[l] = B[l] + q;
        }
    }
    FT s0 = A[0] + B[0], s1 = A[1] + B[1];
    y[0] = s0 + s1;
#else
    FT A[4] = {0, 0, 0, 0}, B[4] = {0, 0, 0, 0};
    Py_ssize_t i = 0;
    if (nb & 4) {
        for (int l = 0; l < 4; l++) {
            FT p = a[l] * x[l];
            A[l] = A[l] + p;
        }
        i = 4;
    }
    for (; i < nb; i += 8) {
        for (int l = 0; l < 4; l++) {
            FT p = a[i + l] * x[i + l];
            A[l] = A[l] + p;
            FT q = a[i + 4 + l] * x[i + 4 + l];
            B[l] = B[l] + q;
        }
    }
    FT s[4];
    for (int l = 0; l < 4; l++)
        s[l] = A[l] + B[l];
    FT h0 = s[0] + s[1], h1 = s[2] + s[3];
    y[0] = h0 + h1;
#endif
}

#if !DBL
/* SkylakeX's sgemv_t for a packed matrix of m <= 8 rows (sgemv_t_microk_skylakex_template.c,
   taken for lda == m, n <= 16384): column j (a, m elements) into y (one element), its order
   set by m and by the block j falls in (the kernels' 16/8/4/2/1-column blocks). x: m elements
   (unit stride), xa: x * alpha. */
ATTR static FT
K(gt_skx1)(Py_ssize_t m, Py_ssize_t j, Py_ssize_t n, const FT *a, const FT *x, const FT *xa,
           FT alpha, FT y)
{
    Py_ssize_t t16 = n & -16, t8 = n & -8, t4 = n & -4, t2 = n & -2;
    FT q[8], p[8], t, u;
    switch (m) {
    case 1:
        return FMA(a[0], xa[0], y);
    case 2:
        if (j < t16)  /* fma(xa1, a1, a0*xa0) + y */
            return FMA(a[1], xa[1], a[0] * xa[0]) + y;
        t = a[0] * x[0];
        t = t * alpha;
        u = a[1] * x[1];
        u = u * alpha;
        return (t + u) + y;
    case 3:
        if (j < t8) {
            t = FMA(a[1], xa[1], a[0] * xa[0]);
            return FMA(a[2], xa[2], t) + y;
        }
        if (j < t4) {
            t = FMA(a[0], xa[0], a[1] * xa[1]);
            return FMA(a[2], xa[2], t) + y;
        }
        if (j < t2) {  /* vhaddps of the products (x unscaled) and a zero lane */
            for (int i = 0; i < 3; i++)
                p[i] = a[i] * x[i];
            t = p[0] + p[1];
            u = p[2] + 0.0f;
            return FMA(alpha, t + u, y);
        }
        t = FMA(a[0], x[0], a[1] * x[1]);
        t = FMA(a[2], x[2], t);
        return FMA(alpha, t, y);
    case 4:
        if (j < t4) {
            for (int i = 0; i < 4; i++)
                q[i] = a[i] * xa[i];
            t = q[0] + q[1];
            u = q[2] + q[3];
            return (t + u) + y;
        }
        for (int i = 0; i < 4; i++)
            p[i] = a[i] * x[i];
        if (j < t2) {
            t = p[0] + p[1];
            u = p[2] + p[3];
            return FMA(alpha, t + u, y);
        }
        t = p[0] + p[1];
        t = t + p[2];
        t = t + p[3];
        return FMA(alpha, t, y);
    case 5:
    case 6:
    case 7:
        if (j < (m == 5 ? t4 : t8)) {  /* a chain from a0*x0 (x unscaled), alpha fused into y */
            t = a[0] * x[0];
            for (int i = 1; i < m; i++)
                t = FMA(a[i], x[i], t);
            return FMA(t, alpha, y);
        }
        if (j >= t4) {
            for (int i = 0; i < m; i++)
                q[i] = a[i] * xa[i];
            if (m == 5) {  /* y + sum */
                t = q[0] + q[1];
                for (int i = 2; i < 5; i++)
                    t = t + q[i];
                return y + t;
            }
            for (int i = 0; i < m; i++)  /* each product added to y */
                y = y + q[i];
            return y;
        }
        if (m == 6) {  /* lanes (a0x0 | a3x3) + (fma(a1, x1, a2x2) | fma(a4, x4, a5x5)) */
            FT lo = FMA(a[1], x[1], a[2] * x[2]), hi = FMA(a[4], x[4], a[5] * x[5]);
            t = FMA(a[0], x[0], 0.0f) + lo;
            u = FMA(a[3], x[3], 0.0f) + hi;
        } else {  /* (f01 | f23) + (f45 | a6x6) */
            FT f01 = FMA(a[0], x[0], a[1] * x[1]), f23 = FMA(a[2], x[2], a[3] * x[3]);
            FT f45 = FMA(a[4], x[4], a[5] * x[5]), f6 = FMA(a[6], x[6], 0.0f);
            t = f01 + f45;
            u = f23 + f6;
        }
        t = t * alpha;
        u = u * alpha;
        return (t + u) + y;
    default:  /* 8 */
        for (int i = 0; i < 8; i++)
            q[i] = a[i] * xa[i];
        if (j < t4) {
            FT s01 = q[0] + q[1], s23 = q[2] + q[3], s45 = q[4] + q[5], s67 = q[6] + q[7];
            t = s01 + s23;
            u = s45 + s67;
            return (t + u) + y;
        }
        if (j < t2) {
            FT s01 = q[0] + q[1], s23 = q[2] + q[3], s45 = q[4] + q[5], s67 = q[6] + q[7];
            t = s01 + s45;
            u = s23 + s67;
            return y + (t + u);
        }
        for (int i = 0; i < 4; i++)
            p[i] = q[i] + q[i + 4];
        t = p[0] + p[1];
        t = t + p[2];
        t = t + p[3];
        return y + t;
    }
}

ATTR static void
K(gt_skx)(Py_ssize_t m, Py_ssize_t n, FT alpha, const FT *a, const FT *x, Py_ssize_t incx,
          FT *y, Py_ssize_t incy)
{
    FT xs[8], xa[8];
    for (Py_ssize_t i = 0; i < m; i++) {
        xs[i] = x[i * incx];
        xa[i] = xs[i] * alpha;
    }
    for (Py_ssize_t j = 0; j < n; j++)
        y[j * incy] = K(gt_skx1)(m, j, n, a + j * m, xs, xa, alpha, y[j * incy]);
}
#endif

ATTR static void
K(gemv_t)(Py_ssize_t m, Py_ssize_t n, FT alpha, const FT *a, Py_ssize_t lda, const FT *x,
          Py_ssize_t incx, FT *y, Py_ssize_t incy, FT *xbuffer, FT *ytemp)
{
    if (m < 1 || n < 1)
        return;
#if !DBL
    if (CC && lda == m && n <= 16384 && m <= 8) {
        K(gt_skx)(m, n, alpha, a, x, incx, y, incy);
        return;
    }
#endif
    Py_ssize_t n0 = n / GT_NBMAX, n1 = (n % GT_NBMAX) >> 2, n2 = n & 3;
    Py_ssize_t m3 = m & 3, m1 = m & -4, m2 = (m & (GT_NBMAX - 1)) - m3;
    Py_ssize_t NB = GT_NBMAX, lda4 = 4 * lda;
    FT ybuffer[4];
    while (NB == GT_NBMAX) {
        m1 -= NB;
        if (m1 < 0) {
            if (m2 == 0)
                break;
            NB = m2;
        }
        FT *y_ptr = y;
        const FT *a_ptr = a, *xb;
        if (incx == 1) {
            xb = x;
        } else {
            for (Py_ssize_t k = 0; k < NB; k++)
                xbuffer[k] = x[k * incx];
            xb = xbuffer;
        }
        const FT *ap[4] = {a_ptr, a_ptr + lda, a_ptr + 2 * lda, a_ptr + 3 * lda};
        Py_ssize_t groups[2] = {n0, 1}, widths[2] = {GT_NBMAX / 4, n1};
        for (int g = 0; g < 2; g++) {
            for (Py_ssize_t j = 0; j < groups[g]; j++) {
                Py_ssize_t nb1 = widths[g];
                for (Py_ssize_t i = 0; i < nb1; i++) {
                    K(gt_4x4)(NB, ap, xb, ytemp + 4 * i);
                    for (int k = 0; k < 4; k++)
                        ap[k] += lda4;
                }
                for (Py_ssize_t k = 0; k < nb1 * 4; k++) {  /* add_y */
                    if (GT_FUSED && incy != 1) {
                        *y_ptr = FMA(ytemp[k], alpha, *y_ptr);
                    } else {  /* unit stride: SSE assembly, unfused */
                        FT p = ytemp[k] * alpha;
                        *y_ptr = *y_ptr + p;
                    }
                    y_ptr += incy;
                }
                a_ptr += nb1 * lda4;
            }
        }
        if (n2 & 2) {
            K(gt_4x2)(NB, ap[0], ap[1], xb, ybuffer);
            a_ptr += 2 * lda;
            for (int k = 0; k < 2; k++) {
                *y_ptr = GT_ADD(ybuffer[k], alpha, *y_ptr);
                y_ptr += incy;
            }
        }
        if (n2 & 1) {
            K(gt_4x1)(NB, a_ptr, xb, ybuffer);
            *y_ptr = GT_ADD(ybuffer[0], alpha, *y_ptr);
        }
        a += NB;
        x += NB * incx;
    }
    if (m3 == 0)
        return;
    /* the last m & 3 elements of each dot: y[j] += a0*xt0 + a1*xt1 + a2*xt2, unfused, with
       xt = x * alpha (the same sums in the packed and strided loops) */
    FT xt[3];
    for (Py_ssize_t r = 0; r < m3; r++)
        xt[r] = x[r * incx] * alpha;
    const FT *aj = a;
    FT *y_ptr = y;
    for (Py_ssize_t j = 0; j < n; j++) {
        if (m3 == 1) {
            *y_ptr = GT_ADD(aj[0], xt[0], *y_ptr);
        } else {
            FT s;
            if (GT_FUSED) {
                s = FMA(aj[0], xt[0], aj[1] * xt[1]);
                if (m3 > 2)
                    s = FMA(aj[2], xt[2], s);
            } else {
                s = aj[0] * xt[0];
                FT p = aj[1] * xt[1];
                s = s + p;
                if (m3 > 2) {
                    p = aj[2] * xt[2];
                    s = s + p;
                }
            }
            *y_ptr = *y_ptr + s;
        }
        y_ptr += incy;
        aj += lda;
    }
}

/* A += alpha * x y^T (interface/ger.c, kernel/generic/ger.c): for each column j, the axpy
   kernel with alpha * y[j] (rounded) on the contiguous x (copied first when strided) */
ATTR static void
K(ger)(Py_ssize_t m, Py_ssize_t n, FT alpha, const FT *x, Py_ssize_t incx, const FT *y,
       Py_ssize_t incy, FT *a, Py_ssize_t lda, FT *xbuffer)
{
    if (m == 0 || n == 0 || alpha == 0)
        return;
    const FT *X = x;
    if (incx != 1) {
        for (Py_ssize_t i = 0; i < m; i++)
            xbuffer[i] = x[i * incx];
        X = xbuffer;
    }
    for (Py_ssize_t j = 0; j < n; j++) {
        FT da = alpha * y[j * incy];
        K(axpy)(m, da, X, 1, a + j * lda, 1);
    }
}

#undef GN_NBMAX
#undef GT_NBMAX
#undef GT_LANES
#undef GT_FUSED
#undef GT_ADD
