/* torch7py._obgemm, the SkylakeX build: sgemm/dgemm with the arithmetic of OpenBLAS 0.3.21's
   DYNAMIC_ARCH SkylakeX kernels (AVX-512), one thread. Written from reading OpenBLAS's
   interface/gemm.c, driver/level3/level3.c, param.h (SKYLAKEX) and the kernels named in
   kernel/x86_64/KERNEL.SKYLAKEX; no OpenBLAS code. Included once per element type and build
   (SKX_T: float or double; SKX_FMA: fma/fmaf or the builtin; SKX_ATTR; SKX_SFX: name suffix).

   What decides the bits:
   - the small-matrix path (interface/gemm.c): taken when M*N*K <= 1e6 and, for A transposed
     and B not, M*N <= 1200 and K >= 32; float also refuses both transposed with K < 4. No
     beta pass: per element acc (below), r = alpha*acc rounded, then C = r (beta == 0, C not
     read) or C = fma(C, beta, r). Per element, acc is
       - an FMA chain over all K from zero in k order (the NN kernel's rows below the tail,
         NT, TT), or
       - W lanes (W = 16 float, 8 double): lane t an FMA chain over k = t mod W, then summed:
         where the element is in a tile of 4 rows or 4 columns (row < M & ~3 or column <
         N & ~3), by the pairwise tree of adjacent lanes (the REDUCE_4 transposes);
         otherwise by _mm512_reduce_add's halving tree (lane t + lane t + W/2, ...), whose
         save is fma(alpha, sum, beta*C) (the C expression alpha*sum + beta*C, contracted).
       TN uses the lanes everywhere; NN for the tail rows past M & ~15 (float; ~7 double)
       when there are <= 8 (float; 4 double) of them and K >= 32 (float; 16 double).
   - the big path (level3.c): the beta pass (C = 0 for beta 0, C *= beta unless beta is 1),
     nothing more when K == 0 or alpha == 0; K blocks of GEMM_Q (float 448, double 384),
     the last two halved to a multiple of 16; per block and element an FMA chain from zero,
     saved C = fma(alpha, acc, C). Except, double only: in the M blocks (GEMM_P 192) after
     the first (whose kernel calls have the generic driver's column chunks of 6, 2 or the
     rest: DYNAMIC_ARCH compiles level3.c without SKYLAKEX), the kernel's 12-column groups
     (columns js + 12*q.. of an R block (43472 columns) where a whole 12 fit: the kernel
     walks 12, 10, 8, ... columns), the rows past the 16s and 8s of the M block: a 4-row tile
     sums two chains (even and odd k of the first 2*(K/2)), a 2-row or 1-row tile four (k mod
     4 of the first 4*(K/4)), (c0+c1)+(c2+c3), the K tail then chained on. */

#define SKX_CAT2(a, b) a##b
#define SKX_CAT(a, b) SKX_CAT2(a, b)
#define SKX_N(name) SKX_CAT(name, SKX_SFX)
#define SKX_AT(M, i, j) (*(const SKX_T *)((M)->p + (i) * (M)->s0 + (j) * (M)->s1))

/* FMA chain over l in [l0, l1) with step st, added to acc */
SKX_ATTR static SKX_T
SKX_N(skx_chain)(const mat *A, const mat *B, ss i, ss j, ss l0, ss l1, ss st, SKX_T acc)
{
    const char *pa = A->p + i * A->s0, *pb = B->p + j * B->s1;
    ss sa = A->s1, sb = B->s0;
    for (ss l = l0; l < l1; l += st)
        acc = SKX_FMA(*(const SKX_T *)(pa + l * sa), *(const SKX_T *)(pb + l * sb), acc);
    return acc;
}

/* the lanes of the small kernels' dot style, summed by tree (1: adjacent pairs, 0: halving) */
SKX_ATTR static SKX_T
SKX_N(skx_lanes)(const mat *A, const mat *B, ss i, ss j, ss k, int adjacent)
{
    enum { W = sizeof(SKX_T) == 4 ? 16 : 8 };
    SKX_T x[W];
    for (int t = 0; t < W; t++)
        x[t] = SKX_N(skx_chain)(A, B, i, j, t, k, W, (SKX_T)0);
    for (int w = W; w > 1; w /= 2) {
        if (adjacent)
            for (int t = 0; t < w / 2; t++)
                x[t] = x[2 * t] + x[2 * t + 1];
        else
            for (int t = 0; t < w / 2; t++)
                x[t] = x[t] + x[t + w / 2];
    }
    return x[0];
}

SKX_ATTR static void
SKX_N(skx_small)(const mat *A, const mat *B, const mat *C, ss m, ss n, ss k, SKX_T alpha,
                 SKX_T beta, int ta, int tb)
{
    int single = sizeof(SKX_T) == 4;
    ss dot_from = m;  /* rows from which the lanes serve */
    if (ta && !tb) {
        dot_from = 0;
    } else if (!ta && !tb) {
        ss tail = single ? m & ~(ss)15 : m & ~(ss)7, mm = m - tail;
        if (mm > 0 && (single ? (mm <= 8 && k >= 32) : (mm <= 4 && k >= 16)))
            dot_from = tail;
    }
    ss m4 = m & ~(ss)3, n4 = n & ~(ss)3;
    for (ss j = 0; j < n; j++)
        for (ss i = 0; i < m; i++) {
            SKX_T *c = (SKX_T *)(C->p + i * C->s0 + j * C->s1);
            if (i >= dot_from && !(i < m4 || j < n4)) {
                SKX_T s = SKX_N(skx_lanes)(A, B, i, j, k, 0);
                if (beta == 0)
                    *c = alpha * s;
                else
                    *c = SKX_FMA(alpha, s, beta * *c);
                continue;
            }
            SKX_T acc = i >= dot_from ? SKX_N(skx_lanes)(A, B, i, j, k, 1)
                                      : SKX_N(skx_chain)(A, B, i, j, 0, k, 1, (SKX_T)0);
            SKX_T r = alpha * acc;
            *c = beta == 0 ? r : SKX_FMA(*c, beta, r);
        }
}

/* the double kernel's 12-column tiles: 0 one chain, 2 or 4 chains (rows of the M block of mi
   rows at offset r) */
static int
SKX_N(skx_rowkind)(ss r, ss mi)
{
    ss base = mi & ~(ss)15, rem = mi - base;
    if (r < base)
        return 0;
    r -= base;
    if (rem >= 8) {
        if (r < 8)
            return 0;
        r -= 8;
        rem -= 8;
    }
    if (rem >= 4) {
        if (r < 4)
            return 2;
    }
    return 4;
}

SKX_ATTR static void
SKX_N(skx_big)(const mat *A, const mat *B, const mat *C, ss m, ss n, ss k, SKX_T alpha)
{
    int single = sizeof(SKX_T) == 4;
    ss q = single ? 448 : 384, p = single ? 448 : 192, um = 16, rr = 43472;
    for (ss js = 0, nj; js < n; js += nj) {
        nj = n - js < rr ? n - js : rr;
        ss n12 = js + (nj / 12) * 12;  /* columns [js, n12) in 12-groups */
        for (ss ls = 0, kl; ls < k; ls += kl) {
            kl = k_block(k - ls, q, um);
            for (ss is = 0, mi; is < m; is += mi) {
                mi = m - is;
                if (mi >= 2 * p)
                    mi = p;
                else if (mi > p)
                    mi = ((mi / 2 + um - 1) / um) * um;
                for (ss j = js; j < js + nj; j++)
                    for (ss i = is; i < is + mi; i++) {
                        int kind = (!single && is > 0 && j < n12) ? SKX_N(skx_rowkind)(i - is, mi)
                                                               : 0;
                        SKX_T acc;
                        if (kind == 0 || kl < kind) {
                            acc = SKX_N(skx_chain)(A, B, i, j, ls, ls + kl, 1, (SKX_T)0);
                        } else {
                            ss kk = ls + (kl / kind) * kind;
                            SKX_T c0 = SKX_N(skx_chain)(A, B, i, j, ls, kk, kind, (SKX_T)0);
                            SKX_T c1 = SKX_N(skx_chain)(A, B, i, j, ls + 1, kk, kind, (SKX_T)0);
                            if (kind == 2) {
                                acc = c0 + c1;
                            } else {
                                SKX_T c2 = SKX_N(skx_chain)(A, B, i, j, ls + 2, kk, kind, (SKX_T)0);
                                SKX_T c3 = SKX_N(skx_chain)(A, B, i, j, ls + 3, kk, kind, (SKX_T)0);
                                acc = (c0 + c1) + (c2 + c3);
                            }
                            acc = SKX_N(skx_chain)(A, B, i, j, kk, ls + kl, 1, acc);
                        }
                        SKX_T *c = (SKX_T *)(C->p + i * C->s0 + j * C->s1);
                        *c = SKX_FMA(alpha, acc, *c);
                    }
            }
        }
    }
}

#undef SKX_AT
