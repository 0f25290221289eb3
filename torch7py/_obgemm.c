/* torch7py._obgemm: dgemm/sgemm with the arithmetic of OpenBLAS 0.3.21's DYNAMIC_ARCH Haswell
   kernels, one thread (the BLAS the original Torch7 calls for addmm/mm/bmm/baddbmm/addbmm and
   nn's matrix products).  Written from reading OpenBLAS's driver and kernels; no OpenBLAS code.

   What decides the bits (everything else, packing and blocking of M and N, only moves data):
   - the beta pass (dgemm_beta): C = 0 when beta == 0 (NaNs in C gone), C *= beta when
     beta != 1, nothing when beta == 1; then nothing more when k == 0 or alpha == 0;
   - the driver's K split (driver/level3/level3.c): blocks of min_l = k - ls, GEMM_Q when
     min_l >= 2 * GEMM_Q, else ((min_l / 2 + UNROLL_M - 1) / UNROLL_M) * UNROLL_M when
     min_l > GEMM_Q (double: Q 256, UNROLL_M 4; float: Q 320, UNROLL_M 8);
   - per K block and element, the micro-kernel's accumulator: an FMA chain over the block from
     zero, in k order; then its save:
       double (dgemm_kernel_4x8_haswell): C = C + alpha * acc, two roundings (vmulpd, vaddpd);
       float (sgemm_kernel_8x4_haswell_2): C = fma(alpha, acc, C), one rounding; and in two
       of its tile shapes (8 rows x 4 columns of a 4-column group; the first and the last
       8 x 6 tile of a 12-column group when the call has 16 rows or more) the chain is split
       in two when the block has 8 or more k: even k of the first K8 = 8*(K/8) into one
       accumulator, odd k into another, the K - K8 last into the first; acc = first + second.
     Which elements fall in those tiles follows the driver's calls (M blocks of GEMM_P = 320
     rows, the first M block's column chunks of 12 / 4 / the rest) and the kernel's walk over
     the call (column groups 12, 8, 4, 2, 1; in a 12-group with >= 16 rows: an 8 x 6 tile on
     the left, then 16 x 6 tiles alternating right/left, an 8 x 6 tile closing on the other
     side, then rows of 4, 2, 1).

   gemm(C, A, B, alpha, beta): C (m x n), A (m x k), B (k x n) are 2-d buffers of one float
   type (any strides) in BLAS's orientation (the caller maps TH's transposes); C in place.

   skylakex(1) switches gemm and gemm_batch to the bits of the same library's SkylakeX
   (AVX-512) kernels, whose small-matrix kernels also depend on the call's transposes (gemm's
   optional transa, transb; by default TH's choice from the strides): see _obgemm_skx.h. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>
#include <stdint.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_HW 1
#define HW __attribute__((target("avx2,fma")))
#include <immintrin.h>
#else
#define HAVE_HW 0
#define HW
#endif
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

typedef Py_ssize_t ss;

static int use_hw = 0;

#define DQ 256
#define DUM 4
#define SQ 320
#define SUM 8
#define SP 320

static ss
k_block(ss rest, ss q, ss um)
{
    if (rest >= 2 * q)
        return q;
    if (rest > q)
        return ((rest / 2 + um - 1) / um) * um;
    return rest;
}

/* ---------------------------------------------------------------------------------------- */
/* micro-kernels: Ap is an 8-row panel (Ap[l*8 + i]), Bp a panel of NR columns (Bp[l*NR + j]),
   out[j*8 + i] the accumulators of the tile */

#define DNR 4
#define SNR 8

static void
dmk_sw(ss kl, const double *Ap, const double *Bp, double *out)
{
    double acc[DNR * 8];
    for (int t = 0; t < DNR * 8; t++)
        acc[t] = 0.0;
    for (ss l = 0; l < kl; l++)
        for (int j = 0; j < DNR; j++) {
            double b = Bp[l * DNR + j];
            for (int i = 0; i < 8; i++)
                acc[j * 8 + i] = fma(Ap[l * 8 + i], b, acc[j * 8 + i]);
        }
    memcpy(out, acc, sizeof acc);
}

static void
smk_sw(ss kl, const float *Ap, const float *Bp, float *out, int split)
{
    float e[SNR * 8], o[SNR * 8];
    for (int t = 0; t < SNR * 8; t++)
        e[t] = o[t] = 0.0f;
    ss l = 0;
    if (split && kl >= 8) {
        ss k8 = kl & ~(ss)7;
        for (; l < k8; l += 2)
            for (int j = 0; j < SNR; j++) {
                float b0 = Bp[l * SNR + j], b1 = Bp[(l + 1) * SNR + j];
                for (int i = 0; i < 8; i++) {
                    e[j * 8 + i] = fmaf(Ap[l * 8 + i], b0, e[j * 8 + i]);
                    o[j * 8 + i] = fmaf(Ap[(l + 1) * 8 + i], b1, o[j * 8 + i]);
                }
            }
    }
    for (; l < kl; l++)
        for (int j = 0; j < SNR; j++) {
            float b = Bp[l * SNR + j];
            for (int i = 0; i < 8; i++)
                e[j * 8 + i] = fmaf(Ap[l * 8 + i], b, e[j * 8 + i]);
        }
    if (split)
        for (int t = 0; t < SNR * 8; t++)
            e[t] = e[t] + o[t];
    memcpy(out, e, sizeof e);
}

#if HAVE_HW
HW static void
dmk_hw(ss kl, const double *Ap, const double *Bp, double *out)
{
    __m256d c00 = _mm256_setzero_pd(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
            c30 = c00, c31 = c00;
    for (ss l = 0; l < kl; l++) {
        __m256d a0 = _mm256_loadu_pd(Ap + l * 8), a1 = _mm256_loadu_pd(Ap + l * 8 + 4);
        const double *b = Bp + l * DNR;
        __m256d b0 = _mm256_broadcast_sd(b), b1 = _mm256_broadcast_sd(b + 1);
        c00 = _mm256_fmadd_pd(a0, b0, c00);
        c01 = _mm256_fmadd_pd(a1, b0, c01);
        c10 = _mm256_fmadd_pd(a0, b1, c10);
        c11 = _mm256_fmadd_pd(a1, b1, c11);
        __m256d b2 = _mm256_broadcast_sd(b + 2), b3 = _mm256_broadcast_sd(b + 3);
        c20 = _mm256_fmadd_pd(a0, b2, c20);
        c21 = _mm256_fmadd_pd(a1, b2, c21);
        c30 = _mm256_fmadd_pd(a0, b3, c30);
        c31 = _mm256_fmadd_pd(a1, b3, c31);
    }
    _mm256_storeu_pd(out, c00);
    _mm256_storeu_pd(out + 4, c01);
    _mm256_storeu_pd(out + 8, c10);
    _mm256_storeu_pd(out + 12, c11);
    _mm256_storeu_pd(out + 16, c20);
    _mm256_storeu_pd(out + 20, c21);
    _mm256_storeu_pd(out + 24, c30);
    _mm256_storeu_pd(out + 28, c31);
}

#define S_STEP(E, l)                                                                         \
    do {                                                                                     \
        __m256 a = _mm256_loadu_ps(Ap + (l) * 8);                                            \
        const float *b = Bp + (l) * SNR;                                                     \
        E##0 = _mm256_fmadd_ps(a, _mm256_broadcast_ss(b), E##0);                             \
        E##1 = _mm256_fmadd_ps(a, _mm256_broadcast_ss(b + 1), E##1);                         \
        E##2 = _mm256_fmadd_ps(a, _mm256_broadcast_ss(b + 2), E##2);                         \
        E##3 = _mm256_fmadd_ps(a, _mm256_broadcast_ss(b + 3), E##3);                         \
        E##4 = _mm256_fmadd_ps(a, _mm256_broadcast_ss(b + 4), E##4);                         \
        E##5 = _mm256_fmadd_ps(a, _mm256_broadcast_ss(b + 5), E##5);                         \
        E##6 = _mm256_fmadd_ps(a, _mm256_broadcast_ss(b + 6), E##6);                         \
        E##7 = _mm256_fmadd_ps(a, _mm256_broadcast_ss(b + 7), E##7);                         \
    } while (0)

HW static void
smk_hw(ss kl, const float *Ap, const float *Bp, float *out, int split)
{
    __m256 e0 = _mm256_setzero_ps(), e1 = e0, e2 = e0, e3 = e0, e4 = e0, e5 = e0, e6 = e0,
           e7 = e0;
    ss l = 0;
    if (split && kl >= 8) {
        __m256 o0 = e0, o1 = e0, o2 = e0, o3 = e0, o4 = e0, o5 = e0, o6 = e0, o7 = e0;
        ss k8 = kl & ~(ss)7;
        for (; l < k8; l += 2) {
            S_STEP(e, l);
            S_STEP(o, l + 1);
        }
        for (; l < kl; l++)
            S_STEP(e, l);
        e0 = _mm256_add_ps(e0, o0);
        e1 = _mm256_add_ps(e1, o1);
        e2 = _mm256_add_ps(e2, o2);
        e3 = _mm256_add_ps(e3, o3);
        e4 = _mm256_add_ps(e4, o4);
        e5 = _mm256_add_ps(e5, o5);
        e6 = _mm256_add_ps(e6, o6);
        e7 = _mm256_add_ps(e7, o7);
    } else {
        for (; l < kl; l++)
            S_STEP(e, l);
        /* the split tiles add a zero second accumulator: -0 becomes +0 */
        if (split) {
            __m256 z = _mm256_setzero_ps();
            e0 = _mm256_add_ps(e0, z);
            e1 = _mm256_add_ps(e1, z);
            e2 = _mm256_add_ps(e2, z);
            e3 = _mm256_add_ps(e3, z);
            e4 = _mm256_add_ps(e4, z);
            e5 = _mm256_add_ps(e5, z);
            e6 = _mm256_add_ps(e6, z);
            e7 = _mm256_add_ps(e7, z);
        }
    }
    _mm256_storeu_ps(out, e0);
    _mm256_storeu_ps(out + 8, e1);
    _mm256_storeu_ps(out + 16, e2);
    _mm256_storeu_ps(out + 24, e3);
    _mm256_storeu_ps(out + 32, e4);
    _mm256_storeu_ps(out + 40, e5);
    _mm256_storeu_ps(out + 48, e6);
    _mm256_storeu_ps(out + 56, e7);
}
#endif

/* double, the last column of an odd n (the kernel's 4 x 1 tiles, rows of whole 4s): four
   chains over the first K8 = 8*(K/8) k, by k mod 4, the K - K8 last into the first;
   acc = (c0 + c1) + (c2 + c3). Rows past the 4s: one chain. */
#define DCOL1(NAME, ATTR, FMA)                                                               \
    ATTR static void                                                                         \
    NAME(ss kl, const double *Ap, const double *b, double *out, int rows4)                   \
    {                                                                                        \
        ss k8 = kl & ~(ss)7;                                                                 \
        for (int i = 0; i < 8; i++) {                                                        \
            double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0;                                   \
            ss l = 0;                                                                        \
            if (i < rows4)                                                                   \
                for (; l < k8; l += 4) {                                                     \
                    c0 = FMA(Ap[l * 8 + i], b[l], c0);                                       \
                    c1 = FMA(Ap[(l + 1) * 8 + i], b[l + 1], c1);                             \
                    c2 = FMA(Ap[(l + 2) * 8 + i], b[l + 2], c2);                             \
                    c3 = FMA(Ap[(l + 3) * 8 + i], b[l + 3], c3);                             \
                }                                                                            \
            for (; l < kl; l++)                                                              \
                c0 = FMA(Ap[l * 8 + i], b[l], c0);                                           \
            out[i] = i < rows4 ? (c0 + c1) + (c2 + c3) : c0;                                 \
        }                                                                                    \
    }
DCOL1(dcol1_sw, , fma)
#if HAVE_HW
/* the same, 4 rows a vector: a half panel of rows below rows4 runs its four chains, the
   others one chain each (both halves side by side) */
HW static void
dcol1_hw(ss kl, const double *Ap, const double *b, double *out, int rows4)
{
    ss k8 = kl & ~(ss)7;
    __m256d z = _mm256_setzero_pd();
    for (int h = 0; h < 2; h++) {
        if (rows4 < 4 * (h + 1))
            continue;
        const double *a = Ap + 4 * h;
        __m256d c0 = z, c1 = z, c2 = z, c3 = z;
        ss l = 0;
        for (; l < k8; l += 4) {
            c0 = _mm256_fmadd_pd(_mm256_loadu_pd(a + l * 8), _mm256_broadcast_sd(b + l), c0);
            c1 = _mm256_fmadd_pd(_mm256_loadu_pd(a + (l + 1) * 8), _mm256_broadcast_sd(b + l + 1),
                                 c1);
            c2 = _mm256_fmadd_pd(_mm256_loadu_pd(a + (l + 2) * 8), _mm256_broadcast_sd(b + l + 2),
                                 c2);
            c3 = _mm256_fmadd_pd(_mm256_loadu_pd(a + (l + 3) * 8), _mm256_broadcast_sd(b + l + 3),
                                 c3);
        }
        for (; l < kl; l++)
            c0 = _mm256_fmadd_pd(_mm256_loadu_pd(a + l * 8), _mm256_broadcast_sd(b + l), c0);
        _mm256_storeu_pd(out + 4 * h, _mm256_add_pd(_mm256_add_pd(c0, c1), _mm256_add_pd(c2, c3)));
    }
    if (rows4 < 8) {  /* the halves of one chain */
        __m256d c0 = z, c1 = z;
        for (ss l = 0; l < kl; l++) {
            __m256d bl = _mm256_broadcast_sd(b + l);
            c0 = _mm256_fmadd_pd(_mm256_loadu_pd(Ap + l * 8), bl, c0);
            c1 = _mm256_fmadd_pd(_mm256_loadu_pd(Ap + l * 8 + 4), bl, c1);
        }
        if (rows4 < 4)
            _mm256_storeu_pd(out, c0);
        _mm256_storeu_pd(out + 4, c1);
    }
}

/* float, a class of one column in single chains: one accumulator of 8 rows */
HW static void
smk1_hw(ss kl, const float *Ap, const float *b, float *out)
{
    __m256 e = _mm256_setzero_ps();
    for (ss l = 0; l < kl; l++)
        e = _mm256_fmadd_ps(_mm256_loadu_ps(Ap + l * 8), _mm256_broadcast_ss(b + l * SNR), e);
    _mm256_storeu_ps(out, e);
}
#endif

/* ---------------------------------------------------------------------------------------- */
/* operands: element (i, j) of X at base + i * s0 + j * s1 (bytes) */
typedef struct {
    char *p;
    ss s0, s1;
} mat;

#define AT(T, M, i, j) (*(T *)((M).p + (i) * (M).s0 + (j) * (M).s1))

/* pack rows [i0, i0 + 8) (those < m), k [l0, l0 + kl) of A into Ap[l*8 + i] (0 past m) */
#define PACK_A(T)                                                                            \
    static void pack_a_##T(const mat *A, ss m, ss i0, ss l0, ss kl, T *Ap)                   \
    {                                                                                        \
        int rows = (int)(m - i0 < 8 ? m - i0 : 8);                                           \
        for (ss l = 0; l < kl; l++) {                                                        \
            for (int i = 0; i < rows; i++)                                                   \
                Ap[l * 8 + i] = AT(T, *A, i0 + i, l0 + l);                                   \
            for (int i = rows; i < 8; i++)                                                   \
                Ap[l * 8 + i] = 0;                                                           \
        }                                                                                    \
    }
PACK_A(double)
PACK_A(float)

/* pack columns cols[0..nc) (nc <= NR), k [l0, l0 + kl) of B into Bp[l*NR + j] (0 past nc) */
#define PACK_B(T, NR)                                                                        \
    static void pack_b_##T(const mat *B, const ss *cols, int nc, ss l0, ss kl, T *Bp)        \
    {                                                                                        \
        for (int j = 0; j < NR; j++) {                                                       \
            if (j < nc) {                                                                    \
                const char *col = B->p + cols[j] * B->s1 + l0 * B->s0;                       \
                for (ss l = 0; l < kl; l++)                                                  \
                    Bp[l * NR + j] = *(const T *)(col + l * B->s0);                          \
            } else {                                                                         \
                for (ss l = 0; l < kl; l++)                                                  \
                    Bp[l * NR + j] = 0;                                                      \
            }                                                                                \
        }                                                                                    \
    }
PACK_B(double, DNR)
PACK_B(float, SNR)

/* ---------------------------------------------------------------------------------------- */
/* double: every element one chain per K block, C = C + alpha * acc */
static int
dgemm_run(const mat *A, const mat *B, const mat *C, ss m, ss n, ss k, double alpha)
{
    ss n1 = n & 1 ? n - 1 : n;  /* columns of the panels; the last of an odd n apart */
    ss ncp = (n1 + DNR - 1) / DNR, mp = (m + 7) / 8, m4 = m & ~(ss)3;
    double *Bp = malloc(sizeof(double) * (size_t)DQ * DNR * (ncp + 1));
    double *Ap = malloc(sizeof(double) * (size_t)DQ * 8 * (mp ? mp : 1));
    ss *cols = malloc(sizeof(ss) * (size_t)(n ? n : 1));
    if (!Bp || !Ap || !cols) {
        free(Bp);
        free(Ap);
        free(cols);
        return -1;
    }
    for (ss j = 0; j < n; j++)
        cols[j] = j;
    double out[DNR * 8];
    for (ss ls = 0, kl; ls < k; ls += kl) {
        kl = k_block(k - ls, DQ, DUM);
        for (ss p = 0; p < mp; p++)
            pack_a_double(A, m, p * 8, ls, kl, Ap + p * kl * 8);
        for (ss q = 0; q < ncp; q++) {
            ss j0 = q * DNR;
            int nc = (int)(n1 - j0 < DNR ? n1 - j0 : DNR);
            pack_b_double(B, cols + j0, nc, ls, kl, Bp + q * kl * DNR);
        }
        /* columns in panels of 64 keep B's part in cache while the row panels go by */
        for (ss q0 = 0; q0 < ncp; q0 += 16) {
            ss q1 = q0 + 16 < ncp ? q0 + 16 : ncp;
            for (ss p = 0; p < mp; p++) {
                ss i0 = p * 8;
                int rows = (int)(m - i0 < 8 ? m - i0 : 8);
                for (ss q = q0; q < q1; q++) {
                    ss j0 = q * DNR;
                    int nc = (int)(n1 - j0 < DNR ? n1 - j0 : DNR);
#if HAVE_HW
                    if (use_hw)
                        dmk_hw(kl, Ap + p * kl * 8, Bp + q * kl * DNR, out);
                    else
#endif
                        dmk_sw(kl, Ap + p * kl * 8, Bp + q * kl * DNR, out);
                    for (int j = 0; j < nc; j++)
                        for (int i = 0; i < rows; i++) {
                            double *c = &AT(double, *C, i0 + i, j0 + j);
                            double t = alpha * out[j * 8 + i];
                            *c = *c + t;
                        }
                }
            }
        }
        if (n1 < n) {
            double *b = Bp;  /* the column's k, after the panels are done with Bp */
            for (ss l = 0; l < kl; l++)
                b[l] = AT(double, *B, ls + l, n1);
            for (ss p = 0; p < mp; p++) {
                ss i0 = p * 8;
                int rows = (int)(m - i0 < 8 ? m - i0 : 8);
                int rows4 = (int)(m4 - i0 < 0 ? 0 : (m4 - i0 < 8 ? m4 - i0 : 8));
#if HAVE_HW
                if (use_hw)
                    dcol1_hw(kl, Ap + p * kl * 8, b, out, rows4);
                else
#endif
                    dcol1_sw(kl, Ap + p * kl * 8, b, out, rows4);
                for (int i = 0; i < rows; i++) {
                    double *c = &AT(double, *C, i0 + i, n1);
                    double t = alpha * out[i];
                    *c = *c + t;
                }
            }
        }
    }
    free(Bp);
    free(Ap);
    free(cols);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* float: the kernel calls of one K block and M block, their columns sorted into classes of
   the same split panels */

typedef struct {
    ss *cols;       /* columns (of C) in this class */
    ss nc;
    unsigned char *split;  /* per 8-row panel of the M block: 1 = split chain */
} sclass;

/* the split panels of one kernel call's column group (width w, mi rows): fills l, r (per
   panel, left 6 and right 6 columns for w == 12; l only otherwise) */
static void
group_split(ss mi, int w, unsigned char *l, unsigned char *r)
{
    ss np = (mi + 7) / 8;
    memset(l, 0, (size_t)np);
    memset(r, 0, (size_t)np);
    if (w == 4) {
        for (ss p = 0; p < mi / 8; p++)
            l[p] = 1;
    } else if (w == 12 && mi >= 16) {
        ss r11 = mi, p = 0;
        l[0] = 1;  /* the opening 8 x 6 tile on the left */
        for (;;) {
            r11 -= 8;  /* a 16 x 6 tile on the right at rows p.. */
            p += 8;
            if (r11 < 16) {
                l[p / 8] = 1;
                break;
            }
            r11 -= 8;  /* a 16 x 6 tile on the left */
            p += 8;
            if (r11 < 16) {
                r[p / 8] = 1;
                break;
            }
        }
    }
}

static int
sgemm_block(const mat *A, const mat *B, const mat *C, ss is, ss mi, ss n, ss ls, ss kl,
            float alpha, int first, float *Ap, float *Bp, sclass *cl, unsigned char *tl,
            unsigned char *tr)
{
    ss np = (mi + 7) / 8;
    int ncl = 0;
    /* the calls: the first M block per driver column chunk (12, else 4 when > 4, else the
       rest), the others one call over all n columns */
    ss j = 0;
    while (j < n) {
        ss w;
        if (first) {
            ss rest = n - j;
            w = rest >= 12 ? 12 : (rest > 4 ? 4 : rest);
        } else {
            w = n;
        }
        /* the kernel's own walk over w columns */
        ss jj = 0;
        while (jj < w) {
            ss rest = w - jj;
            int g = rest > 11 ? 12 : rest > 7 ? 8 : rest > 3 ? 4 : rest > 1 ? 2 : 1;
            group_split(mi, g, tl, tr);
            for (int side = 0; side < (g == 12 ? 2 : 1); side++) {
                unsigned char *sp = side ? tr : tl;
                ss c0 = j + jj + (g == 12 ? 6 * side : 0), cw = g == 12 ? 6 : g;
                int c;
                for (c = 0; c < ncl; c++)
                    if (!memcmp(cl[c].split, sp, (size_t)np))
                        break;
                if (c == ncl) {
                    memcpy(cl[c].split, sp, (size_t)np);
                    cl[c].nc = 0;
                    ncl++;
                }
                for (ss t = 0; t < cw; t++)
                    cl[c].cols[cl[c].nc++] = c0 + t;
            }
            jj += g;
        }
        j += w;
    }
    for (ss p = 0; p < np; p++)
        pack_a_float(A, is + mi, is + p * 8, ls, kl, Ap + p * kl * 8);
    float out[SNR * 8];
    for (int c = 0; c < ncl; c++) {
        ss nq = (cl[c].nc + SNR - 1) / SNR;
        for (ss q = 0; q < nq; q++) {
            int nc = (int)(cl[c].nc - q * SNR < SNR ? cl[c].nc - q * SNR : SNR);
            pack_b_float(B, cl[c].cols + q * SNR, nc, ls, kl, Bp + q * kl * SNR);
        }
        for (ss q0 = 0; q0 < nq; q0 += 8) {
            ss q1 = q0 + 8 < nq ? q0 + 8 : nq;
            for (ss p = 0; p < np; p++) {
                int rows = (int)(mi - p * 8 < 8 ? mi - p * 8 : 8);
                for (ss q = q0; q < q1; q++) {
                    int nc = (int)(cl[c].nc - q * SNR < SNR ? cl[c].nc - q * SNR : SNR);
                    const ss *cols = cl[c].cols + q * SNR;
#if HAVE_HW
                    if (use_hw && nc == 1 && !cl[c].split[p])
                        smk1_hw(kl, Ap + p * kl * 8, Bp + q * kl * SNR, out);
                    else if (use_hw)
                        smk_hw(kl, Ap + p * kl * 8, Bp + q * kl * SNR, out, cl[c].split[p]);
                    else
#endif
                        smk_sw(kl, Ap + p * kl * 8, Bp + q * kl * SNR, out, cl[c].split[p]);
                    for (int jx = 0; jx < nc; jx++)
                        for (int i = 0; i < rows; i++) {
                            float *cp = &AT(float, *C, is + p * 8 + i, cols[jx]);
                            *cp = fmaf(alpha, out[jx * 8 + i], *cp);
                        }
                }
            }
        }
    }
    return 0;
}

static int
sgemm_run(const mat *A, const mat *B, const mat *C, ss m, ss n, ss k, float alpha)
{
    ss np = (SP + 7) / 8 + 1;  /* panels of an M block (<= SP rows) */
    ss kq = SQ;
    float *Ap = malloc(sizeof(float) * (size_t)kq * 8 * np);
    float *Bp = malloc(sizeof(float) * (size_t)kq * SNR * ((n + SNR - 1) / SNR + 4));
    ss *colbuf = malloc(sizeof(ss) * (size_t)(n + 1) * 4);
    unsigned char *flags = malloc((size_t)np * 6);
    int rc = -1;
    if (!Ap || !Bp || !colbuf || !flags)
        goto done;
    sclass cl[4];
    for (int c = 0; c < 4; c++) {
        cl[c].cols = colbuf + (n + 1) * c;
        cl[c].split = flags + np * c;
    }
    for (ss ls = 0, kl; ls < k; ls += kl) {
        kl = k_block(k - ls, SQ, SUM);
        ss mi;
        for (ss is = 0; is < m; is += mi) {
            mi = m - is;
            if (mi >= 2 * SP)
                mi = SP;
            else if (mi > SP)
                mi = ((mi / 2 + SUM - 1) / SUM) * SUM;
            sgemm_block(A, B, C, is, mi, n, ls, kl, alpha, is == 0, Ap, Bp, cl,
                        flags + np * 4, flags + np * 5);
        }
    }
    rc = 0;
done:
    free(Ap);
    free(Bp);
    free(colbuf);
    free(flags);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* n == 1 with A's rows contiguous (a gemv-shaped call: Linear's batch of one, mm of a row or
   a column): each row's dot read in place, no packing. Double: rows below m & ~3 the 4 x 1
   tiles' four chains (lane r of a vector is chain r), the rest one chain; float: one chain. */
#define DROWS(NAME, ATTR, FMA)                                                               \
    ATTR static void                                                                         \
    NAME(const mat *A, const double *b, const mat *C, ss m, ss ls, ss kl, double alpha,      \
         int split)                                                                          \
    {                                                                                        \
        ss k8 = kl & ~(ss)7, m4 = split ? m & ~(ss)3 : 0;                                    \
        for (ss i = 0; i < m; i++) {                                                         \
            const double *a = (const double *)(A->p + i * A->s0) + ls;                       \
            double acc;                                                                      \
            if (i < m4) {                                                                    \
                double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0;                               \
                ss l = 0;                                                                    \
                for (; l < k8; l += 4) {                                                     \
                    c0 = FMA(a[l], b[l], c0);                                                \
                    c1 = FMA(a[l + 1], b[l + 1], c1);                                        \
                    c2 = FMA(a[l + 2], b[l + 2], c2);                                        \
                    c3 = FMA(a[l + 3], b[l + 3], c3);                                        \
                }                                                                            \
                for (; l < kl; l++)                                                          \
                    c0 = FMA(a[l], b[l], c0);                                                \
                acc = (c0 + c1) + (c2 + c3);                                                 \
            } else {                                                                         \
                acc = 0.0;                                                                   \
                for (ss l = 0; l < kl; l++)                                                  \
                    acc = FMA(a[l], b[l], acc);                                              \
            }                                                                                \
            double *c = &AT(double, *C, i, 0);                                               \
            double t = alpha * acc;                                                          \
            *c = *c + t;                                                                     \
        }                                                                                    \
    }
DROWS(drows_sw, , fma)
#if HAVE_HW
DROWS(drows1_hw, HW, __builtin_fma)

/* drows with the four chains of a row in a vector's lanes, two rows side by side */
HW static void
drows_hw(const mat *A, const double *b, const mat *C, ss m, ss ls, ss kl, double alpha,
         int split)
{
    ss k8 = kl & ~(ss)7, m4 = split ? m & ~(ss)3 : 0, i = 0;
    for (; i + 2 <= m4; i += 2) {
        const double *a0 = (const double *)(A->p + i * A->s0) + ls;
        const double *a1 = (const double *)(A->p + (i + 1) * A->s0) + ls;
        __m256d v0 = _mm256_setzero_pd(), v1 = v0;
        for (ss l = 0; l < k8; l += 4) {
            __m256d bl = _mm256_loadu_pd(b + l);
            v0 = _mm256_fmadd_pd(_mm256_loadu_pd(a0 + l), bl, v0);
            v1 = _mm256_fmadd_pd(_mm256_loadu_pd(a1 + l), bl, v1);
        }
        double c[2][4];
        _mm256_storeu_pd(c[0], v0);
        _mm256_storeu_pd(c[1], v1);
        for (ss l = k8; l < kl; l++) {
            c[0][0] = __builtin_fma(a0[l], b[l], c[0][0]);
            c[1][0] = __builtin_fma(a1[l], b[l], c[1][0]);
        }
        for (int r = 0; r < 2; r++) {
            double acc = (c[r][0] + c[r][1]) + (c[r][2] + c[r][3]);
            double *cp = &AT(double, *C, i + r, 0);
            double t = alpha * acc;
            *cp = *cp + t;
        }
    }
    if (i < m) {  /* i == m4 (even): the m & 3 last rows, one chain each (m - i < 4) */
        mat A2 = {A->p + i * A->s0, A->s0, A->s1}, C2 = {C->p + i * C->s0, C->s0, C->s1};
        drows1_hw(&A2, b, &C2, m - i, ls, kl, alpha, 0);
    }
}
#endif

#define SROWS(NAME, ATTR, FMA)                                                               \
    ATTR static void                                                                         \
    NAME(const mat *A, const float *b, const mat *C, ss m, ss ls, ss kl, float alpha)        \
    {                                                                                        \
        ss i = 0;                                                                            \
        for (; i + 8 <= m; i += 8) {  /* eight rows' chains side by side */                 \
            const char *p0 = A->p + i * A->s0 + ls * 4;                                      \
            ss s0 = A->s0;                                                                   \
            const float *a0 = (const float *)p0, *a1 = (const float *)(p0 + s0);             \
            const float *a2 = (const float *)(p0 + 2 * s0), *a3 = (const float *)(p0 + 3 * s0);\
            const float *a4 = (const float *)(p0 + 4 * s0), *a5 = (const float *)(p0 + 5 * s0);\
            const float *a6 = (const float *)(p0 + 6 * s0), *a7 = (const float *)(p0 + 7 * s0);\
            float e0 = 0.0f, e1 = 0.0f, e2 = 0.0f, e3 = 0.0f;                                \
            float e4 = 0.0f, e5 = 0.0f, e6 = 0.0f, e7 = 0.0f;                                \
            for (ss l = 0; l < kl; l++) {                                                    \
                float bl = b[l];                                                             \
                e0 = FMA(a0[l], bl, e0);                                                     \
                e1 = FMA(a1[l], bl, e1);                                                     \
                e2 = FMA(a2[l], bl, e2);                                                     \
                e3 = FMA(a3[l], bl, e3);                                                     \
                e4 = FMA(a4[l], bl, e4);                                                     \
                e5 = FMA(a5[l], bl, e5);                                                     \
                e6 = FMA(a6[l], bl, e6);                                                     \
                e7 = FMA(a7[l], bl, e7);                                                     \
            }                                                                                \
            float *c;                                                                        \
            c = &AT(float, *C, i, 0); *c = FMA(alpha, e0, *c);                               \
            c = &AT(float, *C, i + 1, 0); *c = FMA(alpha, e1, *c);                           \
            c = &AT(float, *C, i + 2, 0); *c = FMA(alpha, e2, *c);                           \
            c = &AT(float, *C, i + 3, 0); *c = FMA(alpha, e3, *c);                           \
            c = &AT(float, *C, i + 4, 0); *c = FMA(alpha, e4, *c);                           \
            c = &AT(float, *C, i + 5, 0); *c = FMA(alpha, e5, *c);                           \
            c = &AT(float, *C, i + 6, 0); *c = FMA(alpha, e6, *c);                           \
            c = &AT(float, *C, i + 7, 0); *c = FMA(alpha, e7, *c);                           \
        }                                                                                    \
        for (; i + 4 <= m; i += 4) {  /* four rows' chains side by side */                  \
            const float *a0 = (const float *)(A->p + i * A->s0) + ls;                        \
            const float *a1 = (const float *)(A->p + (i + 1) * A->s0) + ls;                  \
            const float *a2 = (const float *)(A->p + (i + 2) * A->s0) + ls;                  \
            const float *a3 = (const float *)(A->p + (i + 3) * A->s0) + ls;                  \
            float e0 = 0.0f, e1 = 0.0f, e2 = 0.0f, e3 = 0.0f;                                \
            for (ss l = 0; l < kl; l++) {                                                    \
                e0 = FMA(a0[l], b[l], e0);                                                   \
                e1 = FMA(a1[l], b[l], e1);                                                   \
                e2 = FMA(a2[l], b[l], e2);                                                   \
                e3 = FMA(a3[l], b[l], e3);                                                   \
            }                                                                                \
            float *c;                                                                        \
            c = &AT(float, *C, i, 0); *c = FMA(alpha, e0, *c);                               \
            c = &AT(float, *C, i + 1, 0); *c = FMA(alpha, e1, *c);                           \
            c = &AT(float, *C, i + 2, 0); *c = FMA(alpha, e2, *c);                           \
            c = &AT(float, *C, i + 3, 0); *c = FMA(alpha, e3, *c);                           \
        }                                                                                    \
        for (; i < m; i++) {                                                                 \
            const float *a = (const float *)(A->p + i * A->s0) + ls;                         \
            float e = 0.0f;                                                                  \
            for (ss l = 0; l < kl; l++)                                                      \
                e = FMA(a[l], b[l], e);                                                      \
            float *c = &AT(float, *C, i, 0);                                                 \
            *c = FMA(alpha, e, *c);                                                          \
        }                                                                                    \
    }
SROWS(srows_sw, , fmaf)
#if HAVE_HW
SROWS(srows_hw, HW, __builtin_fmaf)
#endif

/* m == 1 with B's rows contiguous: the columns' chains side by side, a row of B at a time
   (one chain per element: the kernels' one-row tiles split nothing) */
#define MROW(NAME, ATTR, T, FMA)                                                             \
    ATTR static void                                                                         \
    NAME(const mat *A, const mat *B, const mat *C, ss n, ss ls, ss kl, T alpha)             \
    {                                                                                        \
        T acc[64];                                                                           \
        for (ss j0 = 0; j0 < n; j0 += 64) {                                                  \
            int jn = (int)(n - j0 < 64 ? n - j0 : 64);                                       \
            for (int j = 0; j < jn; j++)                                                     \
                acc[j] = 0;                                                                  \
            for (ss l = ls; l < ls + kl; l++) {                                              \
                T al = AT(T, *A, 0, l);                                                      \
                const T *br = (const T *)(B->p + l * B->s0) + j0;                            \
                for (int j = 0; j < jn; j++)                                                 \
                    acc[j] = FMA(al, br[j], acc[j]);                                         \
            }                                                                                \
            for (int j = 0; j < jn; j++) {                                                   \
                T *c = &AT(T, *C, 0, j0 + j);                                                \
                SAVE_##T(c, alpha, acc[j], FMA);                                             \
            }                                                                                \
        }                                                                                    \
    }
/* the kernels' saves: double C + alpha*acc (two roundings), float fma(alpha, acc, C) */
#define SAVE_double(c, alpha, acc, FMA)                                                      \
    do {                                                                                     \
        double t_ = (alpha) * (acc);                                                         \
        *(c) = *(c) + t_;                                                                    \
    } while (0)
#define SAVE_float(c, alpha, acc, FMA) (*(c) = FMA((alpha), (acc), *(c)))
MROW(mrow_d_sw, , double, fma)
MROW(mrow_f_sw, , float, fmaf)
#if HAVE_HW
MROW(mrow_d_hw, HW, double, __builtin_fma)
MROW(mrow_f_hw, HW, float, __builtin_fmaf)
#endif

static void
mrow_run(const mat *A, const mat *B, const mat *C, ss n, ss k, double alpha, int single)
{
    ss q = single ? SQ : DQ, um = single ? SUM : DUM;
    for (ss ls = 0, kl; ls < k; ls += kl) {
        kl = k_block(k - ls, q, um);
#if HAVE_HW
        if (use_hw) {
            if (single)
                mrow_f_hw(A, B, C, n, ls, kl, (float)alpha);
            else
                mrow_d_hw(A, B, C, n, ls, kl, alpha);
            continue;
        }
#endif
        if (single)
            mrow_f_sw(A, B, C, n, ls, kl, (float)alpha);
        else
            mrow_d_sw(A, B, C, n, ls, kl, alpha);
    }
}

static int
rows_run(const mat *A, const mat *B, const mat *C, ss m, ss k, double alpha, int single,
         int split)
{
    ss q = single ? SQ : DQ, um = single ? SUM : DUM;
    void *b = malloc((size_t)(k ? k : 1) * (single ? 4 : 8));
    if (!b)
        return -1;
    for (ss l = 0; l < k; l++) {
        if (single)
            ((float *)b)[l] = AT(float, *B, l, 0);
        else
            ((double *)b)[l] = AT(double, *B, l, 0);
    }
    for (ss ls = 0, kl; ls < k; ls += kl) {
        kl = k_block(k - ls, q, um);
#if HAVE_HW
        if (use_hw) {
            if (single)
                srows_hw(A, (const float *)b + ls, C, m, ls, kl, (float)alpha);
            else
                drows_hw(A, (const double *)b + ls, C, m, ls, kl, alpha, split);
            continue;
        }
#endif
        if (single)
            srows_sw(A, (const float *)b + ls, C, m, ls, kl, (float)alpha);
        else
            drows_sw(A, (const double *)b + ls, C, m, ls, kl, alpha, split);
    }
    free(b);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* the SkylakeX build (see _obgemm_skx.h), chosen by skylakex(flag) */

static int use_skx = 0;

/* per type and build: the element type, its fma, the chain tiles' width (8 rows x SKX_NR
   columns) and their kernel from zero (the Haswell build's micro-kernels, unsplit) */
#define SKX_T float
#define SKX_FMA fmaf
#define SKX_ATTR
#define SKX_SFX _f_sw
#define SKX_NR SNR
#define SKX_MK0(kl, Ap, Bp, out) smk_sw(kl, Ap, Bp, out, 0)
#include "_obgemm_skx.h"
#define SKX_T double
#define SKX_FMA fma
#define SKX_SFX _d_sw
#define SKX_NR DNR
#define SKX_MK0(kl, Ap, Bp, out) dmk_sw(kl, Ap, Bp, out)
#include "_obgemm_skx.h"
#undef SKX_ATTR
#if HAVE_HW
#define SKX_ATTR HW
#define SKX_T float
#define SKX_FMA __builtin_fmaf
#define SKX_SFX _f_hw
#define SKX_NR SNR
#define SKX_MK0(kl, Ap, Bp, out) smk_hw(kl, Ap, Bp, out, 0)
#include "_obgemm_skx.h"
#define SKX_T double
#define SKX_FMA __builtin_fma
#define SKX_SFX _d_hw
#define SKX_NR DNR
#define SKX_MK0(kl, Ap, Bp, out) dmk_hw(kl, Ap, Bp, out)
#include "_obgemm_skx.h"
#undef SKX_ATTR
#endif

/* interface/gemm.c's GEMM_SMALL_MATRIX_PERMIT (the SkylakeX ones) */
static int
skx_permit(int single, int ta, int tb, ss m, ss n, ss k)
{
    if ((double)m * (double)n * (double)k > 1e6)
        return 0;
    if (ta && !tb && (m * n > 1200 || k < 32))
        return 0;
    if (single && ta && tb && k < 4)
        return 0;
    return 1;
}

static void beta_pass(const mat *C, ss m, ss n, double beta, int single);

static int
skx_gemm(const mat *A, const mat *B, const mat *C, ss m, ss n, ss k, double alpha, double beta,
         int single, int ta, int tb)
{
    if (skx_permit(single, ta, tb, m, n, k)) {
#if HAVE_HW
        if (use_hw)
            return single ? skx_small_f_hw(A, B, C, m, n, k, (float)alpha, (float)beta, ta, tb)
                          : skx_small_d_hw(A, B, C, m, n, k, alpha, beta, ta, tb);
#endif
        return single ? skx_small_f_sw(A, B, C, m, n, k, (float)alpha, (float)beta, ta, tb)
                      : skx_small_d_sw(A, B, C, m, n, k, alpha, beta, ta, tb);
    }
    beta_pass(C, m, n, beta, single);
    if (k <= 0 || alpha == 0.0)
        return 0;
#if HAVE_HW
    if (use_hw)
        return single ? skx_big_f_hw(A, B, C, m, n, k, (float)alpha)
                      : skx_big_d_hw(A, B, C, m, n, k, alpha);
#endif
    return single ? skx_big_f_sw(A, B, C, m, n, k, (float)alpha)
                  : skx_big_d_sw(A, B, C, m, n, k, alpha);
}

static void
beta_pass(const mat *C, ss m, ss n, double beta, int single)
{
    if (beta == 1.0)
        return;
    for (ss j = 0; j < n; j++)
        for (ss i = 0; i < m; i++) {
            if (single) {
                float *c = &AT(float, *C, i, j);
                *c = beta == 0.0 ? 0.0f : *c * (float)beta;
            } else {
                double *c = &AT(double, *C, i, j);
                *c = beta == 0.0 ? 0.0 : *c * beta;
            }
        }
}

/* BLAS's transposes as TH picks them from the strides (THTensor_(addmm)): A 'N' when its
   rows are contiguous (and its columns' stride not 0), else 'T' when its columns are, else
   (TH copies such a matrix first) 'N' */
static int
trans_of(const mat *X, ss z, int given)
{
    if (given >= 0)
        return given;
    if (X->s0 == z && X->s1 != 0)
        return 0;
    return X->s1 == z && X->s0 != 0;
}

static int
gemm_one(const mat *A, const mat *B, const mat *C, ss m, ss n, ss k, double alpha, double beta,
         int single, int ta, int tb)
{
    if (m <= 0 || n <= 0)
        return 0;
    if (use_skx) {
        ss z = single ? 4 : 8;
        return skx_gemm(A, B, C, m, n, k, alpha, beta, single, trans_of(A, z, ta),
                        trans_of(B, z, tb));
    }
    beta_pass(C, m, n, beta, single);
    if (k <= 0 || alpha == 0.0)
        return 0;
    ss z = single ? 4 : 8;
    if (n == 1 && A->s1 == z)
        return rows_run(A, B, C, m, k, alpha, single, 1);
    if (m == 1 && n > 1 && B->s1 == z) {
        mrow_run(A, B, C, n, k, alpha, single);
        return 0;
    }
    if (m == 1 && n > 1 && B->s0 == z) {
        /* one row: C^T = B^T A^T, each column's dot in place; one chain each (the kernels'
           tiles of one row split nothing) */
        mat At = {B->p, B->s1, B->s0}, Bt = {A->p, A->s1, A->s0}, Ct = {C->p, C->s1, C->s0};
        return rows_run(&At, &Bt, &Ct, n, k, alpha, single, 0);
    }
    return single ? sgemm_run(A, B, C, m, n, k, (float)alpha)
                  : dgemm_run(A, B, C, m, n, k, alpha);
}

static int
buf_nd(Py_buffer *v, int nd, int *single, const char *name, const char *what)
{
    const char *f = v->format ? v->format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    int s = f[0] == 'f' && v->itemsize == 4;
    if (v->ndim != nd || !(s || (f[0] == 'd' && v->itemsize == 8)) || f[1] != 0
        || (*single >= 0 && *single != s)) {
        PyErr_Format(PyExc_ValueError, "%s %s: expected a %d-d float32 or float64 buffer "
                     "(all three of one type)", name, what, nd);
        return 0;
    }
    *single = s;
    return 1;
}

/* gemm (nd 2) and gemm_batch (nd 3, a leading batch axis: one BLAS call per [i], in order):
   C = beta*C + alpha*(A @ B) in place */
static PyObject *
gemm_call(PyObject *args, int nd, const char *name)
{
    PyObject *co, *ao, *bo;
    double alpha, beta;
    int single = -1, ok = 0, rc = 0, ta = -1, tb = -1;
    Py_buffer a = {0}, b = {0}, c = {0};
    if (!PyArg_ParseTuple(args, "OOOdd|ii", &co, &ao, &bo, &alpha, &beta, &ta, &tb))
        return NULL;
    if (PyObject_GetBuffer(co, &c, PyBUF_STRIDES | PyBUF_FORMAT | PyBUF_WRITABLE) < 0
        || PyObject_GetBuffer(ao, &a, PyBUF_STRIDES | PyBUF_FORMAT) < 0
        || PyObject_GetBuffer(bo, &b, PyBUF_STRIDES | PyBUF_FORMAT) < 0)
        goto done;
    if (!buf_nd(&c, nd, &single, name, "C") || !buf_nd(&a, nd, &single, name, "A")
        || !buf_nd(&b, nd, &single, name, "B"))
        goto done;
    int o = nd - 2;  /* the first matrix axis (1 after a batch axis) */
    ss nb = o ? c.shape[0] : 1, m = c.shape[o], n = c.shape[o + 1], k = a.shape[o + 1];
    if ((o && (a.shape[0] != nb || b.shape[0] != nb)) || a.shape[o] != m || b.shape[o] != k
        || b.shape[o + 1] != n) {
        PyErr_Format(PyExc_ValueError, "%s: shapes do not match", name);
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    for (ss i = 0; i < nb && rc == 0; i++) {
        mat A = {(char *)a.buf + (o ? i * a.strides[0] : 0), a.strides[o], a.strides[o + 1]};
        mat B = {(char *)b.buf + (o ? i * b.strides[0] : 0), b.strides[o], b.strides[o + 1]};
        mat C = {(char *)c.buf + (o ? i * c.strides[0] : 0), c.strides[o], c.strides[o + 1]};
        rc = gemm_one(&A, &B, &C, m, n, k, alpha, beta, single, ta, tb);
    }
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        PyErr_NoMemory();
        goto done;
    }
    ok = 1;
done:
    if (a.obj)
        PyBuffer_Release(&a);
    if (b.obj)
        PyBuffer_Release(&b);
    if (c.obj)
        PyBuffer_Release(&c);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* gemm_batch(C, A, B, alpha, beta): gemm on each [i] of 3-d buffers (one BLAS call each, in
   order): THTensor_(baddbmm)'s and THNN's loops of products */
static PyObject *
py_gemm_batch(PyObject *self, PyObject *args)
{
    (void)self;
    return gemm_call(args, 3, "gemm_batch");
}

static PyObject *
py_gemm(PyObject *self, PyObject *args)
{
    (void)self;
    return gemm_call(args, 2, "gemm");
}

/* fma_into(C, P, alpha): C = fmaf(alpha, P, C) elementwise (float32 2-d buffers, any strides):
   the float kernel's save of one K block whose accumulators P were computed elsewhere */
static PyObject *
py_fma_into(PyObject *self, PyObject *args)
{
    PyObject *co, *po;
    double alpha;
    int single = 1, ok = 0;
    Py_buffer c = {0}, p = {0};
    (void)self;
    if (!PyArg_ParseTuple(args, "OOd", &co, &po, &alpha))
        return NULL;
    if (PyObject_GetBuffer(co, &c, PyBUF_STRIDES | PyBUF_FORMAT | PyBUF_WRITABLE) < 0
        || PyObject_GetBuffer(po, &p, PyBUF_STRIDES | PyBUF_FORMAT) < 0)
        goto done;
    if (!buf_nd(&c, 2, &single, "gemm", "C") || !buf_nd(&p, 2, &single, "gemm", "P"))
        goto done;
    if (c.shape[0] != p.shape[0] || c.shape[1] != p.shape[1]) {
        PyErr_SetString(PyExc_ValueError, "fma_into: shapes do not match");
        goto done;
    }
    {
        mat C = {c.buf, c.strides[0], c.strides[1]}, P = {p.buf, p.strides[0], p.strides[1]};
        float al = (float)alpha;
        Py_BEGIN_ALLOW_THREADS
        for (ss i = 0; i < c.shape[0]; i++)
            for (ss j = 0; j < c.shape[1]; j++) {
                float *cp = &AT(float, C, i, j);
                *cp = fmaf(al, AT(float, P, i, j), *cp);
            }
        Py_END_ALLOW_THREADS
    }
    ok = 1;
done:
    if (c.obj)
        PyBuffer_Release(&c);
    if (p.obj)
        PyBuffer_Release(&p);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
py_set_hw(PyObject *self, PyObject *args)
{
    int hw;
    (void)self;
    if (!PyArg_ParseTuple(args, "p", &hw))
        return NULL;
#if HAVE_HW
    use_hw = hw && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    use_hw = 0;
#endif
    return PyBool_FromLong(use_hw);
}

static PyObject *
py_skylakex(PyObject *self, PyObject *args)
{
    int flag = -1, was = use_skx;
    (void)self;
    if (!PyArg_ParseTuple(args, "|i", &flag))
        return NULL;
    if (flag >= 0)
        use_skx = flag != 0;
    return PyBool_FromLong(was);
}

static PyMethodDef methods[] = {
    {"gemm", py_gemm, METH_VARARGS,
     "gemm(C, A, B, alpha, beta[, transa, transb]): C = beta*C + alpha*(A @ B) with OpenBLAS "
     "0.3.21's bits, Haswell's or SkylakeX's (see skylakex) (BLAS orientation: C m x n, A m x "
     "k, B k x n; float32 or float64); transa/transb 0 ('N') or 1 ('T'): the BLAS call's "
     "transposes, which the SkylakeX build's small kernels depend on (default -1: TH's choice "
     "from the strides)"},
    {"gemm_batch", py_gemm_batch, METH_VARARGS,
     "gemm_batch(C, A, B, alpha, beta): gemm on each [i] of 3-d buffers, in order"},
    {"fma_into", py_fma_into, METH_VARARGS,
     "fma_into(C, P, alpha): C = fmaf(alpha, P, C) elementwise (float32)"},
    {"set_hw", py_set_hw, METH_VARARGS,
     "set_hw(flag): use the AVX2/FMA micro-kernels where the CPU has them (same bits); "
     "returns whether they are used"},
    {"skylakex", py_skylakex, METH_VARARGS,
     "skylakex(flag): gemm and gemm_batch with the bits of OpenBLAS 0.3.21's SkylakeX kernels "
     "(true) or its Haswell kernels (false, the default); returns the previous flag "
     "(skylakex(): the flag, unchanged)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_obgemm", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__obgemm(void)
{
#if HAVE_HW
    use_hw = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    return PyModule_Create(&module);
}
