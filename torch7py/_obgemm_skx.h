/* torch7py._obgemm, the SkylakeX build: sgemm/dgemm with the arithmetic of OpenBLAS 0.3.21's
   DYNAMIC_ARCH SkylakeX kernels (AVX-512), one thread. Written from reading OpenBLAS's
   interface/gemm.c, driver/level3/level3.c, param.h (SKYLAKEX) and the kernels named in
   kernel/x86_64/KERNEL.SKYLAKEX; no OpenBLAS code. Included once per element type and build
   (SKX_T: float or double; SKX_FMA: fma/fmaf or the builtin; SKX_ATTR; SKX_SFX: name suffix;
   SKX_NR, SKX_MK0: the tile width and its kernel; all but SKX_ATTR undefined at the end).

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
     4 of the first 4*(K/4)), (c0+c1)+(c2+c3), the K tail then chained on.
   How it is computed here moves data only: chains run in packed 8-row tiles on the Haswell
   build's micro-kernels with their splits off (SKX_MK0, from zero; skx_mk continues a chain
   past a packed chunk of k), the lanes over rows of A and columns of B made contiguous. */

#define SKX_CAT2(a, b) a##b
#define SKX_CAT(a, b) SKX_CAT2(a, b)
#define SKX_N(name) SKX_CAT(name, SKX_SFX)
#define SKX_W ((int)(64 / sizeof(SKX_T)))  /* lanes of a 512-bit vector */
#define SKX_KC 1024                       /* k per packed chunk of a chain */

/* FMA chain over l in [l0, l1) with step st, added to acc (strided operands) */
SKX_ATTR static SKX_T
SKX_N(skx_chain)(const mat *A, const mat *B, ss i, ss j, ss l0, ss l1, ss st, SKX_T acc)
{
    const char *pa = A->p + i * A->s0, *pb = B->p + j * B->s1;
    ss sa = A->s1, sb = B->s0;
    for (ss l = l0; l < l1; l += st)
        acc = SKX_FMA(*(const SKX_T *)(pa + l * sa), *(const SKX_T *)(pb + l * sb), acc);
    return acc;
}

/* pack rows [i0, i0 + 8) (0 past m), k [l0, l0 + kl) of A into Ap[l*8 + i] */
static void
SKX_N(skx_pack_a)(const mat *A, ss m, ss i0, ss l0, ss kl, SKX_T *Ap)
{
    int rows = (int)(m - i0 < 8 ? m - i0 : 8);
    for (int i = 0; i < 8; i++) {
        if (i < rows) {
            const char *r = A->p + (i0 + i) * A->s0 + l0 * A->s1;
            for (ss l = 0; l < kl; l++)
                Ap[l * 8 + i] = *(const SKX_T *)(r + l * A->s1);
        } else {
            for (ss l = 0; l < kl; l++)
                Ap[l * 8 + i] = 0;
        }
    }
}

/* pack columns [j0, j0 + NR) (0 past n), k [l0, l0 + kl) of B into Bp[l*NR + j] */
static void
SKX_N(skx_pack_b)(const mat *B, ss n, ss j0, ss l0, ss kl, SKX_T *Bp)
{
    int cols = (int)(n - j0 < SKX_NR ? n - j0 : SKX_NR);
    for (int j = 0; j < SKX_NR; j++) {
        if (j < cols) {
            const char *c = B->p + (j0 + j) * B->s1 + l0 * B->s0;
            for (ss l = 0; l < kl; l++)
                Bp[l * SKX_NR + j] = *(const SKX_T *)(c + l * B->s0);
        } else {
            for (ss l = 0; l < kl; l++)
                Bp[l * SKX_NR + j] = 0;
        }
    }
}

/* the chains of an 8 x NR tile continued over kl more k: acc[j*8 + i] */
SKX_ATTR static void
SKX_N(skx_mk)(ss kl, const SKX_T *Ap, const SKX_T *Bp, SKX_T *acc)
{
    SKX_T c[SKX_NR * 8];
    memcpy(c, acc, sizeof c);
    for (ss l = 0; l < kl; l++) {
        const SKX_T *a = Ap + l * 8, *b = Bp + l * SKX_NR;
        for (int j = 0; j < SKX_NR; j++)
            for (int i = 0; i < 8; i++)
                c[j * 8 + i] = SKX_FMA(a[i], b[j], c[j * 8 + i]);
    }
    memcpy(acc, c, sizeof c);
}

/* the W lanes of the small kernels' dot style over contiguous a[l], b[l], summed by a tree
   (1: adjacent pairs, 0: halving) */
SKX_ATTR static SKX_T
SKX_N(skx_lanes)(const SKX_T *a, const SKX_T *b, ss k, int adjacent)
{
    SKX_T x[64 / sizeof(SKX_T)];
    ss l = 0;
    for (int t = 0; t < SKX_W; t++)
        x[t] = 0;
    for (; l + SKX_W <= k; l += SKX_W)
        for (int t = 0; t < SKX_W; t++)
            x[t] = SKX_FMA(a[l + t], b[l + t], x[t]);
    for (int t = 0; l + t < k; t++)
        x[t] = SKX_FMA(a[l + t], b[l + t], x[t]);
    for (int w = SKX_W; w > 1; w /= 2) {
        if (adjacent)
            for (int t = 0; t < w / 2; t++)
                x[t] = x[2 * t] + x[2 * t + 1];
        else
            for (int t = 0; t < w / 2; t++)
                x[t] = x[t] + x[t + w / 2];
    }
    return x[0];
}

/* the chains over all k from zero of rows [0, mr) x all n columns, into acc (mr8 x n8:
   acc[(q*mp + p)*NR*8 + j*8 + i] for panel p, column group q); 0 on success */
SKX_ATTR static int
SKX_N(skx_chains)(const mat *A, const mat *B, ss mr, ss n, ss k, SKX_T *acc)
{
    ss mp = (mr + 7) / 8, nq = (n + SKX_NR - 1) / SKX_NR;
    ss kc = k < SKX_KC ? (k ? k : 1) : SKX_KC;
    SKX_T *Ap = malloc(sizeof(SKX_T) * (size_t)(mp * 8 * kc));
    SKX_T *Bp = malloc(sizeof(SKX_T) * (size_t)(SKX_NR * kc));
    if (!Ap || !Bp) {
        free(Ap);
        free(Bp);
        return -1;
    }
    memset(acc, 0, sizeof(SKX_T) * (size_t)(mp * nq * SKX_NR * 8));
    for (ss l0 = 0, kl; l0 < k; l0 += kl) {
        kl = k - l0 < kc ? k - l0 : kc;
        for (ss p = 0; p < mp; p++)
            SKX_N(skx_pack_a)(A, mr, p * 8, l0, kl, Ap + p * 8 * kl);
        for (ss q = 0; q < nq; q++) {
            SKX_N(skx_pack_b)(B, n, q * SKX_NR, l0, kl, Bp);
            for (ss p = 0; p < mp; p++) {
                SKX_T *t = acc + (q * mp + p) * SKX_NR * 8;
                if (l0 == 0)
                    SKX_MK0(kl, Ap + p * 8 * kl, Bp, t);
                else
                    SKX_N(skx_mk)(kl, Ap + p * 8 * kl, Bp, t);
            }
        }
    }
    free(Ap);
    free(Bp);
    return 0;
}

SKX_ATTR static int
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
    if (k == 0) {  /* (the lanes need k >= 16) every acc 0: C = round(alpha*0) or fma(C, beta, it) */
        SKX_T r = alpha * (SKX_T)0;
        for (ss j = 0; j < n; j++)
            for (ss i = 0; i < m; i++) {
                SKX_T *c = (SKX_T *)(C->p + i * C->s0 + j * C->s1);
                *c = beta == 0 ? r : SKX_FMA(*c, beta, r);
            }
        return 0;
    }
    if (dot_from > 0 && dot_from < 8 && B->s1 == (ss)sizeof(SKX_T)) {
        /* a few rows, B's rows contiguous: each row's chains side by side, a row of B at a
           time (the same chains) */
        SKX_T *acc = malloc(sizeof(SKX_T) * (size_t)n);
        if (!acc)
            return -1;
        for (ss i = 0; i < dot_from; i++) {
            for (ss j = 0; j < n; j++)
                acc[j] = 0;
            for (ss l = 0; l < k; l++) {
                SKX_T al = *(const SKX_T *)(A->p + i * A->s0 + l * A->s1);
                const SKX_T *br = (const SKX_T *)(B->p + l * B->s0);
                for (ss j = 0; j < n; j++)
                    acc[j] = SKX_FMA(al, br[j], acc[j]);
            }
            for (ss j = 0; j < n; j++) {
                SKX_T *c = (SKX_T *)(C->p + i * C->s0 + j * C->s1);
                SKX_T r = alpha * acc[j];
                *c = beta == 0 ? r : SKX_FMA(*c, beta, r);
            }
        }
        free(acc);
    } else if (dot_from > 0) {  /* one chain per element, saved fma(C, beta, round(alpha*acc)) */
        ss mp = (dot_from + 7) / 8, nq = (n + SKX_NR - 1) / SKX_NR;
        SKX_T *acc = malloc(sizeof(SKX_T) * (size_t)(mp * nq * SKX_NR * 8));
        if (!acc || SKX_N(skx_chains)(A, B, dot_from, n, k, acc) < 0) {
            free(acc);
            return -1;
        }
        for (ss j = 0; j < n; j++)
            for (ss i = 0; i < dot_from; i++) {
                SKX_T *c = (SKX_T *)(C->p + i * C->s0 + j * C->s1);
                SKX_T r = alpha * acc[((j / SKX_NR) * mp + i / 8) * SKX_NR * 8
                                      + (j % SKX_NR) * 8 + i % 8];
                *c = beta == 0 ? r : SKX_FMA(*c, beta, r);
            }
        free(acc);
    }
    if (dot_from < m) {  /* the lanes: rows of A and columns of B made contiguous */
        ss z = sizeof(SKX_T), nr = m - dot_from, kk = k ? k : 1;
        int pa = A->s1 != z, pb = B->s0 != z;
        SKX_T *ab = pa ? malloc(sizeof(SKX_T) * (size_t)(nr * kk)) : NULL;
        SKX_T *bb = pb ? malloc(sizeof(SKX_T) * (size_t)(n * kk)) : NULL;
        if ((pa && !ab) || (pb && !bb)) {
            free(ab);
            free(bb);
            return -1;
        }
        if (pa)
            for (ss i = 0; i < nr; i++)
                for (ss l = 0; l < k; l++)
                    ab[i * k + l] = *(const SKX_T *)(A->p + (dot_from + i) * A->s0 + l * A->s1);
        if (pb)
            for (ss j = 0; j < n; j++)
                for (ss l = 0; l < k; l++)
                    bb[j * k + l] = *(const SKX_T *)(B->p + l * B->s0 + j * B->s1);
        for (ss j = 0; j < n; j++) {
            const SKX_T *b = pb ? bb + j * k : (const SKX_T *)(B->p + j * B->s1);
            for (ss i = dot_from; i < m; i++) {
                const SKX_T *a = pa ? ab + (i - dot_from) * k : (const SKX_T *)(A->p + i * A->s0);
                SKX_T *c = (SKX_T *)(C->p + i * C->s0 + j * C->s1);
                if (i < m4 || j < n4) {  /* REDUCE_4's tree, saved as a chain is */
                    SKX_T r = alpha * SKX_N(skx_lanes)(a, b, k, 1);
                    *c = beta == 0 ? r : SKX_FMA(*c, beta, r);
                } else {  /* _mm512_reduce_add's tree, C's alpha*s + beta*C contracted */
                    SKX_T s = SKX_N(skx_lanes)(a, b, k, 0);
                    *c = beta == 0 ? alpha * s : SKX_FMA(alpha, s, beta * *c);
                }
            }
        }
        free(ab);
        free(bb);
    }
    return 0;
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

/* a split element of those tiles over the K block [ls, ls + kl) */
SKX_ATTR static SKX_T
SKX_N(skx_split)(const mat *A, const mat *B, ss i, ss j, ss ls, ss kl, int kind)
{
    if (kl < kind)
        return SKX_N(skx_chain)(A, B, i, j, ls, ls + kl, 1, (SKX_T)0);
    ss kk = ls + (kl / kind) * kind;
    SKX_T acc, c0 = SKX_N(skx_chain)(A, B, i, j, ls, kk, kind, (SKX_T)0);
    SKX_T c1 = SKX_N(skx_chain)(A, B, i, j, ls + 1, kk, kind, (SKX_T)0);
    if (kind == 2) {
        acc = c0 + c1;
    } else {
        SKX_T c2 = SKX_N(skx_chain)(A, B, i, j, ls + 2, kk, kind, (SKX_T)0);
        SKX_T c3 = SKX_N(skx_chain)(A, B, i, j, ls + 3, kk, kind, (SKX_T)0);
        acc = (c0 + c1) + (c2 + c3);
    }
    return SKX_N(skx_chain)(A, B, i, j, kk, ls + kl, 1, acc);
}

SKX_ATTR static int
SKX_N(skx_big)(const mat *A, const mat *B, const mat *C, ss m, ss n, ss k, SKX_T alpha)
{
    int single = sizeof(SKX_T) == 4;
    ss q = single ? 448 : 384, p = single ? 448 : 192, um = 16, rr = 43472;
    ss nq = (n + SKX_NR - 1) / SKX_NR, pmax = (p + 7) / 8 + 1;
    SKX_T *Ap = malloc(sizeof(SKX_T) * (size_t)(pmax * 8 * q));
    SKX_T *Bp = malloc(sizeof(SKX_T) * (size_t)(SKX_NR * q));
    if (!Ap || !Bp) {
        free(Ap);
        free(Bp);
        return -1;
    }
    SKX_T acc[SKX_NR * 8];
    for (ss ls = 0, kl; ls < k; ls += kl) {
        kl = k_block(k - ls, q, um);
        for (ss is = 0, mi; is < m; is += mi) {
            mi = m - is;
            if (mi >= 2 * p)
                mi = p;
            else if (mi > p)
                mi = ((mi / 2 + um - 1) / um) * um;
            ss mp = (mi + 7) / 8;
            mat As = {A->p + is * A->s0, A->s0, A->s1};
            for (ss t = 0; t < mp; t++)
                SKX_N(skx_pack_a)(&As, mi, t * 8, ls, kl, Ap + t * 8 * kl);
            for (ss t = 0; t < nq; t++) {
                SKX_N(skx_pack_b)(B, n, t * SKX_NR, ls, kl, Bp);
                for (ss pp = 0; pp < mp; pp++) {
                    SKX_MK0(kl, Ap + pp * 8 * kl, Bp, acc);
                    int rows = (int)(mi - pp * 8 < 8 ? mi - pp * 8 : 8);
                    int cols = (int)(n - t * SKX_NR < SKX_NR ? n - t * SKX_NR : SKX_NR);
                    for (int jj = 0; jj < cols; jj++) {
                        ss j = t * SKX_NR + jj;
                        /* the R block's whole 12-column groups */
                        int g12 = !single && is > 0 && j - (j / rr) * rr < ((n - (j / rr) * rr
                                  < rr ? n - (j / rr) * rr : rr) / 12) * 12;
                        for (int ii = 0; ii < rows; ii++) {
                            ss i = is + pp * 8 + ii;
                            SKX_T a = acc[jj * 8 + ii];
                            int kind = g12 ? SKX_N(skx_rowkind)(pp * 8 + ii, mi) : 0;
                            if (kind)
                                a = SKX_N(skx_split)(A, B, i, j, ls, kl, kind);
                            SKX_T *c = (SKX_T *)(C->p + i * C->s0 + j * C->s1);
                            *c = SKX_FMA(alpha, a, *c);
                        }
                    }
                }
            }
        }
    }
    free(Ap);
    free(Bp);
    return 0;
}

#undef SKX_W

#undef SKX_KC

/* the parameters of this inclusion (SKX_ATTR stays: the includer sets it per build) */
#undef SKX_T
#undef SKX_FMA
#undef SKX_SFX
#undef SKX_NR
#undef SKX_MK0
