/* torch7py._exact: the loops of torch7py/numerics.py in C, bit-identical with its numpy code.

   fma() is C99's fused multiply-add (one rounding: what Torch7's OpenBLAS axpy and TH's AVX2
   cadd kernels compute); sums and products run one element after the other in the order
   numerics.py uses (long rows of a sum give the same bits faster by the binade method below).
   Built with -ffp-contract=off and without -ffast-math, so that the compiler neither fuses
   other expressions nor reorders the sums. Buffers come through the buffer protocol
   (C-contiguous; sumall takes any strides); numerics.py checks types and shapes first. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include "_vmath.h"

/* -ffast-math (or -Ofast in CFLAGS) reorders the sums: 1507 of 3000 results differed in a
   test build; without setup.py's flags (GCC's default contraction) or with -march=native the
   bits were the same. Refuse the first, and keep clang (which contracts by default) from
   fusing */
#ifdef __FAST_MATH__
#error "torch7py._exact must be built without -ffast-math: Torch7's bits depend on the order"
#endif
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

/* Every kernel exists twice: built for x86-64 CPUs with AVX2 and FMA (fma() is then one
   instruction and the elementwise loops run 4 lanes wide) and for any CPU (libm's fma(),
   correctly rounded too); the module picks one set when it loads. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_HW 1
#define HW __attribute__((target("avx2,fma")))
#else
#define HAVE_HW 0
#define HW
#endif
#if defined(__GNUC__) || defined(__clang__)
#define UNUSED __attribute__((unused))
#else
#define UNUSED
#endif

#if defined(__GNUC__) && !defined(__clang__)
#define UNROLL8 _Pragma("GCC unroll 8")
#elif defined(__clang__)
#define UNROLL8 _Pragma("unroll")
#else
#define UNROLL8
#endif

#define FMA_KERNEL(NAME, T, BT, BI, FMA, ATTR)                                               \
    ATTR static void                                                                         \
    NAME(const T *a, BT b, const T *c, T *r, Py_ssize_t n)                                   \
    {                                                                                        \
        for (Py_ssize_t i = 0; i < n; i++)                                                   \
            r[i] = FMA(a[i], BI, c[i]);                                                      \
    }

#define FMA_KERNELS(SFX, ATTR)                                                               \
    FMA_KERNEL(fma64_vv##SFX, double, const double *, b[i], fma, ATTR)                       \
    FMA_KERNEL(fma64_vs##SFX, double, double, b, fma, ATTR)                                  \
    FMA_KERNEL(fma32_vv##SFX, float, const float *, b[i], fmaf, ATTR)                        \
    FMA_KERNEL(fma32_vs##SFX, float, float, b, fmaf, ATTR)

FMA_KERNELS(_sw, )
#if HAVE_HW
FMA_KERNELS(_hw, HW)
#endif

/* One row (inner == 1) summed or multiplied one element after the other from x[0]. */
#define ROW_LOOP(NAME, SRC, ACC, OP, ATTR)                                                     \
    ATTR static ACC UNUSED                                                                   \
    NAME(const SRC *x, Py_ssize_t n)                                                         \
    {                                                                                        \
        ACC acc = (ACC)x[0];                                                                 \
        for (Py_ssize_t k = 1; k < n; k++)                                                   \
            acc = acc OP (ACC)x[k];                                                          \
        return acc;                                                                          \
    }

/* rows o..o+G-1 of x (n elements each) reduced side by side into out */
#define ROWS_AT_ONCE(G, SRC, ACC, OP)                                                        \
    do {                                                                                     \
        const SRC *a = x + o * n;                                                            \
        ACC s[G];                                                                            \
        for (int r = 0; r < G; r++)                                                          \
            s[r] = (ACC)a[r * n];                                                            \
        for (Py_ssize_t k = 1; k < n; k++) {                                                 \
            UNROLL8                                                                          \
            for (int r = 0; r < G; r++)                                                      \
                s[r] = s[r] OP (ACC)a[r * n + k];                                            \
        }                                                                                    \
        for (int r = 0; r < G; r++)                                                          \
            out[o + r] = sum ? s[r] + (ACC)0 : s[r];                                         \
    } while (0)

/* Reductions along the middle axis of a C-contiguous (outer, n, inner) array, n >= 1, into
   out (outer, inner): out = x[:, 0] then out op= x[:, k] for k = 1..n-1 (np.add.accumulate's
   order, each element converted to the accumulator's type first); a sum ends with + 0, which
   turns a -0 result into +0 as Torch7's `acc = 0; acc += x` does. Independent outputs may
   run side by side (the vectorizer does that across inner); each one's order is kept. A row
   (inner == 1) goes through ROW, which returns the sequential loop's bits. */
#define REDUCE(NAME, SRC, ACC, OP, ROW, ATTR)                                                  \
    ATTR static void                                                                         \
    NAME(const SRC *x, ACC *out, Py_ssize_t outer, Py_ssize_t n, Py_ssize_t inner, int sum)  \
    {                                                                                        \
        if (inner == 1) {                                                                    \
            Py_ssize_t o = 0;                                                                \
            /* rows 8 (then 4) at a time: independent chains in flight, each row in its      \
               order (faster than ROW's binade method, which a sum near zero defeats) */     \
            for (; o + 8 <= outer; o += 8)                                                   \
                ROWS_AT_ONCE(8, SRC, ACC, OP);                                               \
            for (; o + 4 <= outer; o += 4)                                                   \
                ROWS_AT_ONCE(4, SRC, ACC, OP);                                               \
            for (; o < outer; o++) {                                                         \
                ACC acc = ROW(x + o * n, n);                                                 \
                out[o] = sum ? acc + (ACC)0 : acc;                                           \
            }                                                                                \
            return;                                                                          \
        }                                                                                    \
        for (Py_ssize_t o = 0; o < outer; o++) {                                             \
            const SRC *xo = x + o * n * inner;                                               \
            ACC *y = out + o * inner;                                                        \
            for (Py_ssize_t i = 0; i < inner; i++)                                           \
                y[i] = (ACC)xo[i];                                                           \
            for (Py_ssize_t k = 1; k < n; k++) {                                             \
                const SRC *xk = xo + k * inner;                                              \
                for (Py_ssize_t i = 0; i < inner; i++)                                       \
                    y[i] = y[i] OP (ACC)xk[i];                                               \
            }                                                                                \
            if (sum)                                                                         \
                for (Py_ssize_t i = 0; i < inner; i++)                                       \
                    y[i] = y[i] + (ACC)0;                                                    \
        }                                                                                    \
    }

#define REDUCE_KERNELS(SFX, ATTR, ROW_DD, ROW_FD)                                            \
    ROW_LOOP(row_sum_dd##SFX, double, double, +, ATTR)                                       \
    ROW_LOOP(row_sum_fd##SFX, float, double, +, ATTR)                                        \
    ROW_LOOP(row_sum_ff##SFX, float, float, +, ATTR)                                         \
    ROW_LOOP(row_prod_dd##SFX, double, double, *, ATTR)                                      \
    ROW_LOOP(row_prod_fd##SFX, float, double, *, ATTR)                                       \
    ROW_LOOP(row_prod_ff##SFX, float, float, *, ATTR)                                        \
    REDUCE(sum_dd##SFX, double, double, +, ROW_DD, ATTR)                                     \
    REDUCE(sum_fd##SFX, float, double, +, ROW_FD, ATTR)                                      \
    REDUCE(sum_ff##SFX, float, float, +, row_sum_ff##SFX, ATTR)                              \
    REDUCE(prod_dd##SFX, double, double, *, row_prod_dd##SFX, ATTR)                          \
    REDUCE(prod_fd##SFX, float, double, *, row_prod_fd##SFX, ATTR)                           \
    REDUCE(prod_ff##SFX, float, float, *, row_prod_ff##SFX, ATTR)

#if HAVE_HW
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

/* The sequential sum of a long row at SIMD speed, with the sequential loop's bits.

   `acc += x` is a chain of dependent additions, one per FP-add latency (3 cycles on this
   machine's Zen 3), 2-4x numpy's pairwise sum. But while the running sum s stays inside one
   binade [2^e, 2^(e+1)), every rounded sum is a multiple of u = ulp(s) = 2^(e-52), and
   RN(s + x) = s + u*q with q = x/u rounded to an integer: the additions become additions of
   integers (in units of u), exact below 2^53 and so associative, four lanes at a time. A
   chunk of elements is done that way when its running sums provably stay one unit inside
   the binade (so that the unrounded sums are inside it too): they lie between the sum
   before the chunk minus the chunk's negative q and plus its positive q, two vector sums,
   no partial sums needed. Ties (x/u exactly halfway between two integers) are resolved in
   order, since round-half-even picks the neighbour that makes the running sum even. Where
   no element rounds (float32 data summed in double: every element a multiple of one small
   unit) the sums are exact wherever they go below 2^53 u, across binades and zero. A zero
   or tiny sum, infinities and NaNs fail the checks; what is not accepted goes through the
   plain loop (where the sum crosses an edge). Same bits as the plain loop (tests compare
   both on adversarial data); only the time changes: see benchmarks/bench_numerics.py. */
static _Thread_local Py_ssize_t fast_elements;
#define INLINE __attribute__((always_inline)) inline

/* Elements as the row kernels read them: f32 is the layout, 0 float64, 1 float32, 2 every
   other float64 (a column of an n x 2 matrix), 3 float64 and 4 float32 es elements apart
   (any other column or strided view): strided rows are read in place, where a gathered copy
   would cost a pass over memory of its own. Element k of x as it is added: the element
   (op 0), its square in double (1: normall's p = 2) or its magnitude (2: p = 1) */
HW static INLINE double
conv1(const void *x, Py_ssize_t k, int f32, int op, Py_ssize_t es)
{
    const Py_ssize_t i = f32 == 2 ? 2 * k : f32 >= 3 ? k * es : k;
    double z = f32 == 1 || f32 == 4 ? (double)((const float *)x)[i] : ((const double *)x)[i];
    return op == 1 ? z * z : op == 2 ? fabs(z) : z;
}

/* elements k..k+3 (layout 2: reads the double after element k + 3 too) */
HW static INLINE __m256d
load4(const void *x, Py_ssize_t k, int f32, int op, Py_ssize_t es)
{
    __m256d v;
    if (f32 == 2) {
        __m256d a = _mm256_loadu_pd((const double *)x + 2 * k);  /* x0 . x1 . */
        __m256d b = _mm256_loadu_pd((const double *)x + 2 * k + 4);  /* x2 . x3 . */
        v = _mm256_permute4x64_pd(_mm256_unpacklo_pd(a, b), 0xd8);
    } else if (f32 == 3) {
        const double *d = (const double *)x + k * es;
        v = _mm256_set_pd(d[3 * es], d[2 * es], d[es], d[0]);
    } else if (f32 == 4) {
        const float *f = (const float *)x + k * es;
        v = _mm256_cvtps_pd(_mm_set_ps(f[3 * es], f[2 * es], f[es], f[0]));
    } else {
        v = f32 ? _mm256_cvtps_pd(_mm_loadu_ps((const float *)x + k))
                : _mm256_loadu_pd((const double *)x + k);
    }
    if (op == 1)
        v = _mm256_mul_pd(v, v);
    else if (op == 2)
        v = _mm256_andnot_pd(_mm256_set1_pd(-0.0), v);
    return v;
}

/* the sum of a vector's 4 lanes (exact here: integers far below 2^53) */
HW static INLINE double
hsum4(__m256d v)
{
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

/* ties among 8 consecutive elements (bits of t; their q rounded to even, y = x/u) resolved in
   order: the neighbour that leaves the running sum P + ... even */
HW __attribute__((noinline)) static void
wide_ties(__m256d *q0, __m256d *q1, __m256d y0, __m256d y1, unsigned t, double P)
{
    double q[8], y[8];
    _mm256_storeu_pd(q, *q0);
    _mm256_storeu_pd(q + 4, *q1);
    _mm256_storeu_pd(y, y0);
    _mm256_storeu_pd(y + 4, y1);
    for (int l = 0; l < 8; l++) {
        if ((t >> l & 1) && ((int64_t)P & 1))
            q[l] = 2 * y[l] - q[l];
        P += q[l];
    }
    *q0 = _mm256_loadu_pd(q);
    *q1 = _mm256_loadu_pd(q + 4);
}

/* The scan: *accp plus x[0..n) (n a multiple of 8) chunk by chunk, as far as the chunks pass.
   A chunk's running sums lie between m - N and m + P (in units u, m the sum before it), where
   P and N are the sums of its positive and of its negative q: no partial sums, no transposes.
   Chunks are sized to the room left (32 to 1024 elements, in units of the expected parts *up
   and *dn, the mean positive and negative part of an element, which the scan updates); a
   chunk that fails is tried again at a quarter of its length (at least 32), and the longest
   chunk to try grows back by doubling (jumping back to 1024 wasted as many elements on
   failing chunks as it added on rows with a few large elements). Rounded elements (x/u not an
   integer) need the running sum in the binade [2^52 u, 2^53 u) where u is its ulp. exact
   (float32 rows): u is a power of two that 2^53 u bounds |s0| plus the elements to come and
   that divides s0; a chunk without rounded elements (float32 data summed in double mostly
   are) is exact wherever its sums go below 2^53 u, across binades and zero, and a chunk with
   some needs the binade (of either sign). Else (float64 rows) u = ulp(s0) and every chunk
   needs the binade of s0's sign. Ties are resolved in order. Returns how many elements were
   added; *fitp: how many elements of mean size fit into the room at the start. */
HW static INLINE Py_ssize_t
scan_block(const void *x, Py_ssize_t n, double *accp, double *up, double *dn, int exact,
           int f32, int op, Py_ssize_t es, double *fitp)
{
    *fitp = 0;
    const double s0 = *accp;
    double u, inv, sg = 1, m;
    uint64_t ub, ib, bits;
    memcpy(&bits, &s0, 8);
    const int E = (int)((bits >> 52) & 0x7ff);
    if (exact) {
        double bound = fabs(s0) + 2 * (*up + *dn) * (double)(n < 4096 ? n : 4096);
        uint64_t bb;
        memcpy(&bb, &bound, 8);
        int e = (int)((bb >> 52) & 0x7ff) - 1023 - 52;  /* 2^(e+52) <= bound */
        /* s0 must be a multiple of u (at most its lowest bit), u at least its ulp */
        int low = E - 1075 + __builtin_ctzll((bits & ((1ULL << 52) - 1)) | (1ULL << 52));
        if (low < e)
            e = low;
        if (e < E - 1075)
            e = E - 1075;
        if (E == 0 || E == 2047 || e < -1022 || e > 1023 - 53)  /* (also NaN, inf) */
            return 0;
        ub = (uint64_t)(e + 1023) << 52;
        ib = (uint64_t)(1023 - e) << 52;
        memcpy(&u, &ub, 8);
        memcpy(&inv, &ib, 8);
        m = s0 * inv;
    } else {
        if (E < 53 || E > 2046)
            return 0;
        ub = (uint64_t)(E - 52) << 52;
        ib = (uint64_t)(2098 - E) << 52;
        memcpy(&u, &ub, 8);
        memcpy(&inv, &ib, 8);
        sg = s0 < 0 ? -1.0 : 1.0;
        m = fabs(s0) * inv;
    }
    /* |running sum| in [lo, hi]: in the binade; |running sum| <= top: exact */
    const double lo = 4503599627370496.0 + 1.0, hi = 9007199254740992.0 - 1.0, top = hi;
    const double blo = exact ? -top : lo;  /* the bounds the chunk sizes aim at */
    /* expected parts per element in units, in the direction of sg */
    double pu = (sg > 0 ? *up : *dn) * inv * 1.25, pd = (sg > 0 ? *dn : *up) * inv * 1.25;
    const __m256d vinv = _mm256_set1_pd(sg * inv), half = _mm256_set1_pd(0.5);
    const __m256d absm = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    Py_ssize_t k = 0, cap = 1024;
    double P = 0, N = 0;  /* the last chunk's positive and negative parts, in units */
    while (k < n) {
        /* the chunk: as long as the expected excursion fits the room, a power of two */
        const double rhi = hi - m, rlo = m - blo;
        if (k == 0) {
            double fit = rhi / pu, fit2 = rlo / pd;
            *fitp = fit < fit2 ? fit : fit2;
            if (!(*fitp >= 64))  /* the first chunks would fail: the caller knows better */
                return 0;
        }
        Py_ssize_t C = 32;
        double invC = 1.0 / 32;
        while (C < cap && 2 * C * pu <= rhi && 2 * C * pd <= rlo) {
            C *= 2;
            invC *= 0.5;
        }
        if (C > n - k) {
            C = n - k;
            invC = 1.0 / (double)C;
        }
        __m256d qs0 = zero, qs1 = zero, ps0 = zero, ps1 = zero;
        unsigned rounded = 0;  /* exact: some element of the chunk rounded (or NaN) */
        for (Py_ssize_t i = k; i < k + C; i += 8) {
            __m256d y0 = _mm256_mul_pd(load4(x, i, f32, op, es), vinv);
            __m256d y1 = _mm256_mul_pd(load4(x, i + 4, f32, op, es), vinv);
            __m256d q0 = _mm256_round_pd(y0, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            __m256d q1 = _mm256_round_pd(y1, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            unsigned t;
            if (exact) {  /* ties only among the rounded elements, which are rare */
                t = (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(y0, q0, _CMP_NEQ_UQ))
                    | (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(y1, q1, _CMP_NEQ_UQ)) << 4;
                rounded |= t;
            } else {
                t = 1;
            }
            if (t) {
                t = (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(
                        _mm256_and_pd(_mm256_sub_pd(y0, q0), absm), half, _CMP_EQ_OQ))
                    | (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(
                          _mm256_and_pd(_mm256_sub_pd(y1, q1), absm), half, _CMP_EQ_OQ)) << 4;
                if (__builtin_expect(t != 0, 0)) {
                    /* (copies: q0, q1 themselves stay in registers) */
                    __m256d a0 = q0, a1 = q1;
                    wide_ties(&a0, &a1, y0, y1, t, m + hsum4(_mm256_add_pd(qs0, qs1)));
                    q0 = a0;
                    q1 = a1;
                }
            }
            /* q*1 + qs: the same exact sum, on the multiply pipes (the add pipes are the
               busier ones here) */
            qs0 = _mm256_fmadd_pd(q0, one, qs0);
            qs1 = _mm256_fmadd_pd(q1, one, qs1);
            ps0 = _mm256_add_pd(ps0, _mm256_max_pd(q0, zero));
            ps1 = _mm256_add_pd(ps1, _mm256_max_pd(q1, zero));
        }
        double Q = hsum4(_mm256_add_pd(qs0, qs1));
        P = hsum4(_mm256_add_pd(ps0, ps1));
        N = P - Q;  /* (exact while P, Q < 2^53) */
        /* the running sums lie in [m - N, m + P] (NaN fails) */
        int ok = exact && !rounded ? m - N >= -top && m + P <= top
                 : (m - N >= lo && m + P <= hi) || (exact && m + P <= -lo && m - N >= -hi);
        if (!ok) {
            if (C <= 32) {
                /* exact, failed only by a rounded element below the binade */
                *fitp = exact && rounded && m - N >= -top && m + P <= top ? -1 : *fitp;
                break;
            }
            cap = C / 4 > 32 ? C / 4 : 32;  /* the same elements again, a quarter as many */
            continue;
        }
        cap = cap < 512 ? 2 * cap : 1024;  /* (back to long chunks gradually) */
        m += Q;
        k += C;
        /* the next chunks' size from this one's parts */
        pu = 1.25 * P * invC;
        pd = 1.25 * N * invC;
    }
    if (k) {
        *accp = sg * (m * u);
        if (sg > 0) {
            *up = pu * u / 1.25;
            *dn = pd * u / 1.25;
        } else {
            *dn = pu * u / 1.25;
            *up = pd * u / 1.25;
        }
    }
    return k;
}

/* acc + x[0] + x[1] + ... + x[n-1], left to right: scans, and the plain loop where the sum
   crosses a binade's edge */
HW static INLINE double
fast_from(const void *x, Py_ssize_t n, double acc, int f32, int op, Py_ssize_t es)
{
    if (n <= 0)
        return acc;
    const Py_ssize_t sz = f32 == 1 ? 4 : f32 == 2 ? 16 : f32 == 3 ? 8 * es : f32 == 4 ? 4 * es
                                                                                    : 8;
    /* float32 elements: mostly multiples of u */
    int exact = (f32 == 1 || f32 == 4) && op != 1, xfail = 0;
    double up = 0, dn = 0, fit;  /* mean positive and negative part of an element (about) */
    Py_ssize_t k = 0, plain = 0;
    for (; k < n && k < 32; k++) {
        double z = conv1(x, k, f32, op, es);
        acc = acc + z;
        if (z > 0)
            up += z;
        else
            dn -= z;
    }
    up /= 32;
    dn /= 32;
    while (n - k >= 64) {
        const char *xk = (const char *)x + k * sz;
        Py_ssize_t j = scan_block(xk, (n - k) & ~(Py_ssize_t)7, &acc, &up, &dn, exact, f32, op,
                                  es, &fit);
        k += j;
        fast_elements += j;
        if (fit == -1) {  /* a rounded element: past it with u = ulp(sum), then exact again */
            if (j >= 256)
                xfail = 0;
            else if (++xfail > 8)  /* (unless they come often: rounding rows) */
                exact = 0;
            xk = (const char *)x + k * sz;
            Py_ssize_t nk = (n - k) & ~(Py_ssize_t)7;
            j = scan_block(xk, exact && nk > 32 ? 32 : nk, &acc, &up, &dn, 0, f32, op, es,
                           &fit);
            k += j;
            fast_elements += j;
            if (j) {
                plain = 0;
                continue;
            }
            fit = 0;
        }
        if (j) {
            plain = 0;
            if (j >= 256)
                xfail = 0;
            continue;
        }
        /* the binade changes here: a few elements by the plain loop; more (up to 1024)
           while scans keep failing at once (a running sum small against the elements) */
        plain = plain < 16 ? 16 : (plain < 1024 ? 2 * plain : 1024);
        for (Py_ssize_t end = k + plain < n ? k + plain : n; k < end; k++)
            acc = acc + conv1(x, k, f32, op, es);
    }
    for (; k < n; k++)
        acc = acc + conv1(x, k, f32, op, es);
    return acc;
}

#define ROW_FAST(NAME, SRC, F32, OP)                                                         \
    HW static double                                                                         \
    NAME##_from(const SRC *x, Py_ssize_t n, double acc)                                      \
    {                                                                                        \
        return fast_from(x, n, acc, F32, OP, 1);                                             \
    }                                                                                        \
    HW UNUSED static double                                                                  \
    NAME(const SRC *x, Py_ssize_t n)                                                         \
    {                                                                                        \
        return NAME##_from(x + 1, n - 1, conv1(x, 0, F32, OP, 1));                           \
    }
ROW_FAST(row_fast_dd, double, 0, 0)
ROW_FAST(row_fast_fd, float, 1, 0)
ROW_FAST(row_fast_dd_sq, double, 0, 1)
ROW_FAST(row_fast_fd_sq, float, 1, 1)
ROW_FAST(row_fast_dd_abs, double, 0, 2)
ROW_FAST(row_fast_fd_abs, float, 1, 2)
ROW_FAST(row_fast_d2, double, 2, 0)
ROW_FAST(row_fast_d2_sq, double, 2, 1)
ROW_FAST(row_fast_d2_abs, double, 2, 2)
/* rows es elements apart (layouts 3, 4) */
#define ROW_FAST_S(NAME, F32, OP)                                                            \
    HW static double                                                                         \
    NAME##_from(const void *x, Py_ssize_t n, double acc, Py_ssize_t es)                      \
    {                                                                                        \
        return fast_from(x, n, acc, F32, OP, es);                                            \
    }
ROW_FAST_S(row_fast_ds, 3, 0)
ROW_FAST_S(row_fast_ds_sq, 3, 1)
ROW_FAST_S(row_fast_ds_abs, 3, 2)
ROW_FAST_S(row_fast_fs, 4, 0)
ROW_FAST_S(row_fast_fs_sq, 4, 1)
ROW_FAST_S(row_fast_fs_abs, 4, 2)
#endif

/* acc + x[0] + ... + x[n-1] in double, left to right: the portable row sums */
#define ROW_FROM(NAME, SRC, CONV)                                                            \
    static double                                                                            \
    NAME(const SRC *x, Py_ssize_t n, double acc)                                             \
    {                                                                                        \
        for (Py_ssize_t k = 0; k < n; k++)                                                   \
            acc = acc + CONV(x[k]);                                                          \
        return acc;                                                                          \
    }
#define SW_X(v) ((double)(v))
#define SW_SQ(v) ((double)(v) * (double)(v))
#define SW_ABS(v) fabs((double)(v))
ROW_FROM(row_from_dd_sw, double, SW_X)
ROW_FROM(row_from_fd_sw, float, SW_X)
ROW_FROM(row_from_dd_sq_sw, double, SW_SQ)
ROW_FROM(row_from_fd_sq_sw, float, SW_SQ)
ROW_FROM(row_from_dd_abs_sw, double, SW_ABS)
ROW_FROM(row_from_fd_abs_sw, float, SW_ABS)

REDUCE_KERNELS(_sw, , row_sum_dd_sw, row_sum_fd_sw)
#if HAVE_HW
REDUCE_KERNELS(_hw, HW, row_fast_dd, row_fast_fd)
#endif

typedef void (*fma64_vv_t)(const double *, const double *, const double *, double *,
                           Py_ssize_t);
typedef void (*fma64_vs_t)(const double *, double, const double *, double *, Py_ssize_t);
typedef void (*fma32_vv_t)(const float *, const float *, const float *, float *, Py_ssize_t);
typedef void (*fma32_vs_t)(const float *, float, const float *, float *, Py_ssize_t);
typedef void (*red_dd_t)(const double *, double *, Py_ssize_t, Py_ssize_t, Py_ssize_t, int);
typedef void (*red_fd_t)(const float *, double *, Py_ssize_t, Py_ssize_t, Py_ssize_t, int);
typedef void (*red_ff_t)(const float *, float *, Py_ssize_t, Py_ssize_t, Py_ssize_t, int);
typedef double (*from_d_t)(const double *, Py_ssize_t, double);
typedef double (*from_f_t)(const float *, Py_ssize_t, double);

/* the kernel set in use: _sw until the module's init finds AVX2 and FMA */
static struct {
    fma64_vv_t fma64_vv;
    fma64_vs_t fma64_vs;
    fma32_vv_t fma32_vv;
    fma32_vs_t fma32_vs;
    red_dd_t sum_dd, prod_dd;
    red_fd_t sum_fd, prod_fd;
    red_ff_t sum_ff, prod_ff;
    from_d_t from_dd[3];  /* x, x*x, |x| (sumall's op) */
    from_f_t from_fd[3];
} K = {fma64_vv_sw, fma64_vs_sw, fma32_vv_sw, fma32_vs_sw, sum_dd_sw, prod_dd_sw,
       sum_fd_sw, prod_fd_sw, sum_ff_sw, prod_ff_sw,
       {row_from_dd_sw, row_from_dd_sq_sw, row_from_dd_abs_sw},
       {row_from_fd_sw, row_from_fd_sq_sw, row_from_fd_abs_sw}};
static int hw_kernels = 0;
/* the lane kernels' set for libm(): 0 portable, 1 AVX2+FMA, 2 AVX-512 (with the AVX2+FMA set
   where the CPU has AVX-512 too and libm_wide has not turned it off) */
static int vm_set = 0, vm_wide_ok = 1;

static void
pick_vm_set(void)
{
    vm_set = hw_kernels ? (vm_wide_ok && vm_has_wide() ? 2 : 1) : 0;
}

static int
cpu_has_hw(void)
{
#if HAVE_HW
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

static void
pick_kernels(int hw)
{
    K.fma64_vv = fma64_vv_sw;
    K.fma64_vs = fma64_vs_sw;
    K.fma32_vv = fma32_vv_sw;
    K.fma32_vs = fma32_vs_sw;
    K.sum_dd = sum_dd_sw;
    K.prod_dd = prod_dd_sw;
    K.sum_fd = sum_fd_sw;
    K.prod_fd = prod_fd_sw;
    K.sum_ff = sum_ff_sw;
    K.prod_ff = prod_ff_sw;
    K.from_dd[0] = row_from_dd_sw;
    K.from_dd[1] = row_from_dd_sq_sw;
    K.from_dd[2] = row_from_dd_abs_sw;
    K.from_fd[0] = row_from_fd_sw;
    K.from_fd[1] = row_from_fd_sq_sw;
    K.from_fd[2] = row_from_fd_abs_sw;
    hw_kernels = 0;
#if HAVE_HW
    if (hw && cpu_has_hw()) {
        K.fma64_vv = fma64_vv_hw;
        K.fma64_vs = fma64_vs_hw;
        K.fma32_vv = fma32_vv_hw;
        K.fma32_vs = fma32_vs_hw;
        K.sum_dd = sum_dd_hw;
        K.prod_dd = prod_dd_hw;
        K.sum_fd = sum_fd_hw;
        K.prod_fd = prod_fd_hw;
        K.sum_ff = sum_ff_hw;
        K.prod_ff = prod_ff_hw;
        K.from_dd[0] = row_fast_dd_from;
        K.from_dd[1] = row_fast_dd_sq_from;
        K.from_dd[2] = row_fast_dd_abs_from;
        K.from_fd[0] = row_fast_fd_from;
        K.from_fd[1] = row_fast_fd_sq_from;
        K.from_fd[2] = row_fast_fd_abs_from;
        hw_kernels = 1;
    }
#endif
    pick_vm_set();
}

static int
same_len(Py_buffer *x, Py_ssize_t nbytes, const char *what)
{
    if (x->len != nbytes) {
        PyErr_Format(PyExc_ValueError, "%s: buffer of %zd bytes, expected %zd", what,
                     x->len, nbytes);
        return 0;
    }
    return 1;
}

/* fma(a, b, c, out, single): out = a*b + c with one rounding, elementwise; b a buffer of the
   same length or a number; single selects float32, else float64. out may be c. */
static PyObject *
py_fma(PyObject *self, PyObject *args)
{
    Py_buffer a, c, r, b = {0};
    PyObject *bobj;
    int single, ok = 0, scalar;
    if (!PyArg_ParseTuple(args, "y*Oy*w*p", &a, &bobj, &c, &r, &single))
        return NULL;
    Py_ssize_t sz = single ? 4 : 8, n = r.len / sz;
    scalar = PyFloat_Check(bobj) || PyLong_Check(bobj);
    double bv = 0;
    if (scalar) {
        bv = PyFloat_AsDouble(bobj);
        if (bv == -1.0 && PyErr_Occurred())
            goto done;
    } else if (PyObject_GetBuffer(bobj, &b, PyBUF_C_CONTIGUOUS) < 0)
        goto done;
    if (r.len % sz || !same_len(&a, r.len, "fma a") || !same_len(&c, r.len, "fma c")
        || (!scalar && !same_len(&b, r.len, "fma b")))
        goto done;
    Py_BEGIN_ALLOW_THREADS
    if (single) {
        if (scalar)
            K.fma32_vs(a.buf, (float)bv, c.buf, r.buf, n);
        else
            K.fma32_vv(a.buf, b.buf, c.buf, r.buf, n);
    } else {
        if (scalar)
            K.fma64_vs(a.buf, bv, c.buf, r.buf, n);
        else
            K.fma64_vv(a.buf, b.buf, c.buf, r.buf, n);
    }
    Py_END_ALLOW_THREADS
    ok = 1;
done:
    PyBuffer_Release(&a);
    PyBuffer_Release(&c);
    PyBuffer_Release(&r);
    if (b.obj)
        PyBuffer_Release(&b);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* reduce(x, out, outer, n, inner, src_single, acc_single, prod) */
static PyObject *
py_reduce(PyObject *self, PyObject *args)
{
    Py_buffer x, r;
    Py_ssize_t outer, n, inner;
    int ss, as, prod, ok = 0;
    if (!PyArg_ParseTuple(args, "y*w*nnnppp", &x, &r, &outer, &n, &inner, &ss, &as, &prod))
        return NULL;
    if (outer < 0 || n < 1 || inner < 0 || (ss == 0 && as == 1)) {
        PyErr_SetString(PyExc_ValueError, "reduce: bad shape or types");
        goto done;
    }
    if (!same_len(&x, outer * n * inner * (ss ? 4 : 8), "reduce x")
        || !same_len(&r, outer * inner * (as ? 4 : 8), "reduce out"))
        goto done;
    Py_BEGIN_ALLOW_THREADS
    if (!ss)
        (prod ? K.prod_dd : K.sum_dd)(x.buf, r.buf, outer, n, inner, !prod);
    else if (!as)
        (prod ? K.prod_fd : K.sum_fd)(x.buf, r.buf, outer, n, inner, !prod);
    else
        (prod ? K.prod_ff : K.sum_ff)(x.buf, r.buf, outer, n, inner, !prod);
    Py_END_ALLOW_THREADS
    ok = 1;
done:
    PyBuffer_Release(&x);
    PyBuffer_Release(&r);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

#if HAVE_HW
/* c elements st bytes apart from p into buf for the fast row kernel, a vector at a time: one
   store for four elements (the stores, one a cycle, bounded the element-wise copy); every
   other float by two wide loads and two shuffles (every other double does not come here:
   the row kernels read it in place). A wide load reads past a group's last element only
   where the next element is in the row (the bytes between belong to the same array). */
HW static void
gather_d(const char *p, Py_ssize_t st, double *buf, Py_ssize_t c)
{
    Py_ssize_t k = 0;
    for (; k + 4 <= c; k += 4, p += 4 * st)
        _mm256_storeu_pd(buf + k, _mm256_set_pd(*(const double *)(p + 3 * st),
                                                *(const double *)(p + 2 * st),
                                                *(const double *)(p + st), *(const double *)p));
    for (; k < c; k++, p += st)
        buf[k] = *(const double *)p;
}

HW static void
gather_f(const char *p, Py_ssize_t st, float *buf, Py_ssize_t c)
{
    Py_ssize_t k = 0;
    if (st == 8)
        for (; k + 8 < c; k += 8, p += 64) {
            __m256 a = _mm256_loadu_ps((const float *)p);  /* x0 . x1 . x2 . x3 . */
            __m256 b = _mm256_loadu_ps((const float *)(p + 32));
            __m256d v = _mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88));  /* x0 x1 x4 x5 | .. */
            _mm256_storeu_ps(buf + k, _mm256_castpd_ps(_mm256_permute4x64_pd(v, 0xd8)));
        }
    for (; k + 4 <= c; k += 4, p += 4 * st)
        _mm_storeu_ps(buf + k, _mm_set_ps(*(const float *)(p + 3 * st),
                                          *(const float *)(p + 2 * st),
                                          *(const float *)(p + st), *(const float *)p));
    for (; k < c; k++, p += st)
        buf[k] = *(const float *)p;
}
#else
#define GATHER_LOOP(NAME, SRC)                                                               \
    static void                                                                              \
    NAME(const char *p, Py_ssize_t st, SRC *buf, Py_ssize_t c)                               \
    {                                                                                        \
        for (Py_ssize_t k = 0; k < c; k++, p += st)                                          \
            buf[k] = *(const SRC *)p;                                                        \
    }
GATHER_LOOP(gather_d, double)
GATHER_LOOP(gather_f, float)
#endif

/* The elements of an N-d float32/float64 buffer (any strides) in row-major order, one after
   the other from acc = 0 in double: x (op 0, TH's sumall), x*x (1, normall's p = 2: the
   square rounded in double, then added) or |x| (2, p = 1). Contiguous rows of a sum go
   through the row kernels. */
#if HAVE_HW
#define FAST_COUNT() fast_elements
#else
#define FAST_COUNT() 0
#endif
#define ALL_LOOP(NAME, SRC, FROM, D2)   /* D2: SRC is double */                            \
    static double                                                                            \
    NAME(const char *p, Py_ssize_t n, Py_ssize_t st, double acc, int op)                     \
    {                                                                                        \
        if (st == (Py_ssize_t)sizeof(SRC))                                                   \
            return FROM[op]((const SRC *)p, n, acc);                                         \
        if (D2 && hw_kernels && st == 16 && n >= 2) {                                        \
            /* every other double, read in place; the last one apart, so that no read goes   \
               past it */                                                                    \
            acc = d2_from[op]((const double *)p, n - 1, acc);                                \
            double z = (double)*(const SRC *)(p + (n - 1) * st);                             \
            return acc + (op == 1 ? z * z : op == 2 ? fabs(z) : z);                          \
        }                                                                                    \
        if (hw_kernels && st % (Py_ssize_t)sizeof(SRC) == 0)  /* other strides, in place */  \
            return STRIDED[op](p, n, acc, st / (Py_ssize_t)sizeof(SRC));                     \
        /* strided: gathered a chunk at a time for the fast row kernel, while that pays      \
           (most of a chunk by the binade method; else 4, 8, ... 64 chunks by the plain      \
           loop before the next try) */                                                      \
        for (int skip = 0, backoff = 4; hw_kernels && n >= 512;) {                           \
            SRC buf[2048];                                                                   \
            Py_ssize_t c = n < 2048 ? n : 2048;                                              \
            if (skip) {                                                                      \
                skip--;                                                                      \
                for (Py_ssize_t k = 0; k < c; k++, p += st) {                                \
                    double z = (double)*(const SRC *)p;                                      \
                    acc = acc + (op == 1 ? z * z : op == 2 ? fabs(z) : z);                   \
                }                                                                            \
                n -= c;                                                                      \
                continue;                                                                    \
            }                                                                                \
            GATHER(p, st, buf, c);                                                           \
            p += c * st;                                                                     \
            Py_ssize_t f0 = FAST_COUNT();                                                    \
            acc = FROM[op](buf, c, acc);                                                     \
            if (2 * (FAST_COUNT() - f0) < c) {                                               \
                skip = backoff;                                                              \
                backoff = backoff < 64 ? 2 * backoff : 64;                                   \
            } else {                                                                         \
                backoff = 4;                                                                 \
            }                                                                                \
            n -= c;                                                                          \
        }                                                                                    \
        for (Py_ssize_t k = 0; k < n; k++, p += st) {                                        \
            double z = (double)*(const SRC *)p;                                              \
            acc = acc + (op == 1 ? z * z : op == 2 ? fabs(z) : z);                           \
        }                                                                                    \
        return acc;                                                                          \
    }
typedef double (*from_s_t)(const void *, Py_ssize_t, double, Py_ssize_t);
#if HAVE_HW
/* the row kernels for every other double (layout 2) and for doubles and floats any number of
   elements apart (3, 4): x, x*x and |x| */
static from_d_t const d2_from[3] = {row_fast_d2_from, row_fast_d2_sq_from,
                                    row_fast_d2_abs_from};
static from_s_t const ds_from[3] = {row_fast_ds_from, row_fast_ds_sq_from,
                                    row_fast_ds_abs_from};
static from_s_t const fs_from[3] = {row_fast_fs_from, row_fast_fs_sq_from,
                                    row_fast_fs_abs_from};
#else
/* (no AVX2 build: never called) */
static from_d_t const d2_from[3] = {NULL, NULL, NULL};
static from_s_t const ds_from[3] = {NULL, NULL, NULL}, fs_from[3] = {NULL, NULL, NULL};
#endif
#define GATHER gather_d
#define STRIDED ds_from
ALL_LOOP(all_d, double, K.from_dd, 1)
#undef GATHER
#undef STRIDED
#define GATHER gather_f
#define STRIDED fs_from
ALL_LOOP(all_f, float, K.from_fd, 0)
#undef GATHER
#undef STRIDED

/* sumall(array, op): a float, or None for a buffer that is neither float32 nor float64 in
   native order */
static PyObject *
py_sumall(PyObject *self, PyObject *args)
{
    PyObject *obj;
    int op;
    Py_buffer v;
    if (!PyArg_ParseTuple(args, "Oi", &obj, &op))
        return NULL;
    if (PyObject_GetBuffer(obj, &v, PyBUF_STRIDES | PyBUF_FORMAT) < 0)
        return NULL;
    const char *f = v.format ? v.format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    int dbl = f[0] == 'd' && f[1] == 0 && v.itemsize == 8;
    int flt = f[0] == 'f' && f[1] == 0 && v.itemsize == 4;
    if (op < 0 || op > 2) {
        PyBuffer_Release(&v);
        PyErr_SetString(PyExc_ValueError, "sumall: op is 0, 1 or 2");
        return NULL;
    }
    if ((!dbl && !flt) || v.ndim > 64) {
        PyBuffer_Release(&v);
        Py_RETURN_NONE;
    }
    double acc = 0;
    int nd = v.ndim;
    Py_ssize_t total = 1;
    for (int d = 0; d < nd; d++)
        total *= v.shape[d];
    if (nd == 0) {
        double z = dbl ? *(const double *)v.buf : (double)*(const float *)v.buf;
        acc = acc + (op == 1 ? z * z : op == 2 ? fabs(z) : z);
    } else if (total > 0) {
        Py_ssize_t idx[64] = {0}, n = v.shape[nd - 1], st = v.strides[nd - 1];
        /* rows as long as the layout allows: trailing dimensions that continue the last
           one's stride merge into it (a C-contiguous array is one row) */
        int outer = nd - 1;
        while (outer > 0 && (v.shape[outer - 1] == 1 || v.strides[outer - 1] == st * n)) {
            n *= v.shape[outer - 1];
            outer--;
        }
        const char *p = v.buf;
        Py_BEGIN_ALLOW_THREADS
        for (;;) {
            acc = (dbl ? all_d : all_f)(p, n, st, acc, op);
            int d = outer - 1;  /* next row: an odometer over the outer dimensions */
            for (; d >= 0; d--) {
                p += v.strides[d];
                if (++idx[d] < v.shape[d])
                    break;
                p -= v.strides[d] * v.shape[d];
                idx[d] = 0;
            }
            if (d < 0)
                break;
        }
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&v);
    return PyFloat_FromDouble(acc);
}

/* dot(x, y, single): s = 0; s = fma(y[i], x[i], s) for i = 0..n-1: OpenBLAS's short-vector
   tail of ddot/sdot as GCC contracts it. */
static PyObject *
py_dot(PyObject *self, PyObject *args)
{
    Py_buffer x, y;
    int single;
    double s = 0;
    if (!PyArg_ParseTuple(args, "y*y*p", &x, &y, &single))
        return NULL;
    if (!same_len(&y, x.len, "dot y")) {
        PyBuffer_Release(&x);
        PyBuffer_Release(&y);
        return NULL;
    }
    if (single) {
        const float *xf = x.buf, *yf = y.buf;
        float sf = 0;
        for (Py_ssize_t i = 0; i < x.len / 4; i++)
            sf = fmaf(yf[i], xf[i], sf);
        s = sf;
    } else {
        const double *xd = x.buf, *yd = y.buf;
        for (Py_ssize_t i = 0; i < x.len / 8; i++)
            s = fma(yd[i], xd[i], s);
    }
    PyBuffer_Release(&x);
    PyBuffer_Release(&y);
    return PyFloat_FromDouble(s);
}

/* fast_elements(): how many elements this thread's row sums have added by the binade
   method since the last call (the tests check that their inputs reach it) */
static PyObject *
py_fast_elements(PyObject *self, PyObject *args)
{
#if HAVE_HW
    Py_ssize_t n = fast_elements;
    fast_elements = 0;
    return PyLong_FromSsize_t(n);
#else
    return PyLong_FromSsize_t(0);
#endif
}

static PyObject *
py_use_hardware(PyObject *self, PyObject *args)
{
    int hw;
    if (!PyArg_ParseTuple(args, "p", &hw))
        return NULL;
    pick_kernels(hw);
    return PyBool_FromLong(hw_kernels);
}

/* libm(name, src, out, single, mode=2): out[i] = f(src[i]) with libm's float or double
   function, as TH's LAB_IMPLEMENT_BASIC_FUNCTION calls TH_MATH_NAME(f) on each element
   (numpy's float32 exp/log/sin/cos/tanh and float64 tanh are its own SIMD code: other bits in
   up to a third of the elements, and other again on AVX-512 CPUs). Float exp, log, sin, cos,
   tanh, sigmoid and double tanh go through _vmath.c's lane kernels, which give libm's bits
   several elements at a time, once they matched libm on their check set (mode 2); mode 0 is
   always the per-element libm loop, mode 1 the kernel unchecked (tools/check_libm_replica.py).
   Both buffers C-contiguous, of one length. */
static double sigmoid_d(double x) { return 1.0 / (1.0 + exp(-x)); }
static float sigmoid_f(float x) { return 1.0f / (1.0f + expf(-x)); }
static const struct {
    const char *name;
    double (*d)(double);
    float (*f)(float);
} LIBM[] = {
    {"log", log, logf}, {"log1p", log1p, log1pf}, {"exp", exp, expf}, {"cos", cos, cosf},
    {"acos", acos, acosf}, {"cosh", cosh, coshf}, {"sin", sin, sinf}, {"asin", asin, asinf},
    {"sinh", sinh, sinhf}, {"tan", tan, tanf}, {"atan", atan, atanf}, {"tanh", tanh, tanhf},
    {"sigmoid", sigmoid_d, sigmoid_f}, {NULL, NULL, NULL},
};


/* n elements of LIBM[k] (libm's function) from x into y: the lane kernel vk where fast (checked
   against libm, or asked for unchecked), else libm's own function element by element. */
static void
libm_loop(int k, int vk, int fast, int single, const void *x, void *y, Py_ssize_t n)
{
    if (fast && single)
        vm_run(vk, vm_set, x, y, n);
    else if (fast)
        vm_run_d(vk, vm_set, x, y, n);
    else if (single) {
        const float *xf = x;
        float *yf = y;
        for (Py_ssize_t i = 0; i < n; i++)
            yf[i] = LIBM[k].f(xf[i]);
    } else {
        const double *xd = x;
        double *yd = y;
        for (Py_ssize_t i = 0; i < n; i++)
            yd[i] = LIBM[k].d(xd[i]);
    }
}

static PyObject *
py_libm(PyObject *self, PyObject *args)
{
    const char *name;
    Py_buffer a, r;
    int single, k, ok = 0, mode = 2, vk = -1;
    if (!PyArg_ParseTuple(args, "sy*w*p|i", &name, &a, &r, &single, &mode))
        return NULL;
    for (k = 0; LIBM[k].name && strcmp(LIBM[k].name, name); k++)
        ;
    Py_ssize_t sz = single ? 4 : 8, n = r.len / sz;
    if (mode)
        vk = single ? vm_find(name) : vm_find_d(name);
    if (!LIBM[k].name)
        PyErr_Format(PyExc_ValueError, "libm: no function %s", name);
    else if (mode == 1 && (vk < 0 || !(single ? vm_run(vk, vm_set, NULL, NULL, 0)
                                       : vm_run_d(vk, vm_set, NULL, NULL, 0))))
        PyErr_Format(PyExc_ValueError, "libm: no %s %s kernel for %s", vm_set == 2
                     ? "AVX-512" : vm_set ? "AVX2+FMA" : "portable", single ? "float" : "double",
                     name);
    else if (r.len % sz == 0 && same_len(&a, r.len, "libm src")) {
        /* the lane kernels once checked against libm (mode 2), or unchecked (mode 1) */
        int fast = vk >= 0 && (mode == 1 || (single ? vm_checked(vk, vm_set)
                                             : vm_checked_d(vk, vm_set)));
        Py_BEGIN_ALLOW_THREADS
        libm_loop(k, vk, fast, single, a.buf, r.buf, n);
        Py_END_ALLOW_THREADS
        ok = 1;
    }
    PyBuffer_Release(&a);
    PyBuffer_Release(&r);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* libm_wide(flag=None): whether libm()'s lane kernels run the AVX-512 set; flag False keeps
   them on the AVX2+FMA set (tests run every set), True allows AVX-512 where the CPU has it */
static PyObject *
py_libm_wide(PyObject *self, PyObject *args)
{
    PyObject *flag = Py_None;
    if (!PyArg_ParseTuple(args, "|O", &flag))
        return NULL;
    if (flag != Py_None) {
        int on = PyObject_IsTrue(flag);
        if (on < 0)
            return NULL;
        vm_wide_ok = on;
        pick_vm_set();
    }
    return PyBool_FromLong(vm_set == 2);
}

static int
list_add(PyObject *list, const char *name)
{
    PyObject *s = PyUnicode_FromString(name);
    int r = s ? PyList_Append(list, s) : -1;
    Py_XDECREF(s);
    return r;
}

static PyObject *
py_libm_fast(PyObject *self, PyObject *args)
{
    int dbl = 0;
    if (!PyArg_ParseTuple(args, "|p", &dbl))
        return NULL;
    PyObject *out = PyList_New(0);
    for (int k = 0; out && (dbl ? vm_name_d(k) : vm_name(k)); k++) {
        int ok = dbl ? vm_checked_d(k, vm_set) : vm_checked(k, vm_set);
        PyObject *s = ok ? PyUnicode_FromString(dbl ? vm_name_d(k) : vm_name(k)) : NULL;
        if (ok && (!s || PyList_Append(out, s) < 0)) {
            Py_XDECREF(s);
            Py_CLEAR(out);
            break;
        }
        Py_XDECREF(s);
    }
    /* the double pow kernels (one exponent; per element: cpow, rpow), where admitted */
    if (out && dbl && vm_pow(vm_set, 2, NULL, 2.5, NULL, 0) && list_add(out, "pow") < 0)
        Py_CLEAR(out);
    if (out && dbl && vm_pow2(vm_set, 2, 0, NULL, 0, NULL, NULL, 0) && list_add(out, "cpow") < 0)
        Py_CLEAR(out);
    return out;
}

/* ---- the small-call paths: one call, arguments read once, no temporaries ----
   A tensor op on 1e3 elements spends more in Python than in its loop; these entry points
   take the operands' numpy views as they are and answer False, having written nothing, where
   they are not C-contiguous float32 or float64 buffers of one type and length (the caller
   then takes its general path). */

/* buf: a C-contiguous float or double buffer of obj: 'f' or 'd'; 0 (no error set) otherwise */
static int
fbuf(PyObject *obj, Py_buffer *v, int writable)
{
    if (PyObject_GetBuffer(obj, v, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT
                           | (writable ? PyBUF_WRITABLE : 0)) < 0) {
        PyErr_Clear();
        return 0;
    }
    const char *f = v->format;
    if (f && (f[0] == '<' || f[0] == '=' || f[0] == '@'))
        f++;
    if (f && f[1] == 0 && (f[0] == 'f' || f[0] == 'd')
        && v->itemsize == (f[0] == 'f' ? 4 : 8))
        return f[0];
    PyBuffer_Release(v);
    return 0;
}

/* unary_index(name): the index of libm's function name for unary(), or -1 */
static PyObject *
py_unary_index(PyObject *self, PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "s", &name))
        return NULL;
    int k;
    for (k = 0; LIBM[k].name && strcmp(LIBM[k].name, name); k++)
        ;
    return PyLong_FromLong(LIBM[k].name ? k : -1);
}

/* the lane kernel of each LIBM entry, float and double, found once (-2: not looked up) */
static int unary_vk[2][sizeof LIBM / sizeof LIBM[0]];
static int unary_vk_init = 0;

/* unary(k, src, out): out = libm's function k (unary_index) of src, as libm() computes it */
static PyObject *
py_unary(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "unary(k, src, out)");
        return NULL;
    }
    long k = PyLong_AsLong(args[0]);
    if (k < 0 || k >= (long)(sizeof LIBM / sizeof LIBM[0]) - 1) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "unary: no such function");
        return NULL;
    }
    if (!unary_vk_init) {
        for (int j = 0; LIBM[j].name; j++) {
            unary_vk[0][j] = vm_find_d(LIBM[j].name);
            unary_vk[1][j] = vm_find(LIBM[j].name);
        }
        unary_vk_init = 1;
    }
    Py_buffer a, r;
    int ta = fbuf(args[1], &a, 0);
    if (!ta)
        Py_RETURN_FALSE;
    int tr = fbuf(args[2], &r, 1);
    if (!tr) {
        PyBuffer_Release(&a);
        Py_RETURN_FALSE;
    }
    if (ta != tr || a.len != r.len) {
        PyBuffer_Release(&a);
        PyBuffer_Release(&r);
        Py_RETURN_FALSE;
    }
    int single = ta == 'f';
    Py_ssize_t n = r.len / (single ? 4 : 8);
    int vk = unary_vk[single][k];
    int fast = vk >= 0 && (single ? vm_checked(vk, vm_set) : vm_checked_d(vk, vm_set));
    PyThreadState *ts = n >= 16384 ? PyEval_SaveThread() : NULL;
    libm_loop(k, vk, fast, single, a.buf, r.buf, n);
    if (ts)
        PyEval_RestoreThread(ts);
    PyBuffer_Release(&a);
    PyBuffer_Release(&r);
    Py_RETURN_TRUE;
}

/* ew(op, src, other, out): out = src + other (op 0), src * other (op 1), other a number
   rounded to the buffers' type first (TH's real value), or a buffer of src's type and length
   (op 2: src * other, cmul; op 3: src + other, add of a tensor). One IEEE operation per
   element, the bits of numpy's ufuncs and of TH's loops. */
#define EW_LOOP(T)                                                                           \
    do {                                                                                     \
        const T *x = a.buf;                                                                  \
        T *y = r.buf;                                                                        \
        if (op == 2) {                                                                       \
            const T *z = b.buf;                                                              \
            for (Py_ssize_t i = 0; i < n; i++)                                               \
                y[i] = x[i] * z[i];                                                          \
        } else if (op == 3) {                                                                \
            const T *z = b.buf;                                                              \
            for (Py_ssize_t i = 0; i < n; i++)                                               \
                y[i] = x[i] + z[i];                                                          \
        } else {                                                                             \
            T c = (T)v;                                                                      \
            if (op == 0)                                                                     \
                for (Py_ssize_t i = 0; i < n; i++)                                           \
                    y[i] = x[i] + c;                                                         \
            else                                                                             \
                for (Py_ssize_t i = 0; i < n; i++)                                           \
                    y[i] = x[i] * c;                                                         \
        }                                                                                    \
    } while (0)

static PyObject *
py_ew(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "ew(op, src, other, out)");
        return NULL;
    }
    long op = PyLong_AsLong(args[0]);
    if (op < 0 || op > 3) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "ew: op 0 (add), 1 (mul), 2 (cmul) or 3 (cadd)");
        return NULL;
    }
    double v = 0.0;
    if (op < 2) {
        v = PyFloat_AsDouble(args[2]);
        if (v == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            Py_RETURN_FALSE;
        }
    }
    Py_buffer a, b, r;
    int ta = fbuf(args[1], &a, 0), tb = 0, tr = 0;
    if (!ta)
        Py_RETURN_FALSE;
    if (op >= 2 && !(tb = fbuf(args[2], &b, 0))) {
        PyBuffer_Release(&a);
        Py_RETURN_FALSE;
    }
    tr = fbuf(args[3], &r, 1);
    int ok = tr && ta == tr && a.len == r.len && (op < 2 || (tb == ta && b.len == a.len));
    if (ok) {
        Py_ssize_t n = r.len / (ta == 'f' ? 4 : 8);
        PyThreadState *ts = n >= 65536 ? PyEval_SaveThread() : NULL;
        if (ta == 'f')
            EW_LOOP(float);
        else
            EW_LOOP(double);
        if (ts)
            PyEval_RestoreThread(ts);
    }
    PyBuffer_Release(&a);
    if (op >= 2)
        PyBuffer_Release(&b);
    if (tr)
        PyBuffer_Release(&r);
    return PyBool_FromLong(ok);
}

/* libm2(name, a, b, out, kind): out[i] = name(a[i], b[i] or the number b), name one of pow,
   rpow (pow(b, a[i])), atan2; kind 0: float32 buffers and powf/atan2f, 1: float64 buffers and
   pow/atan2, 2: float32 buffers and the double function (TH's tpow and cpow call C's pow on
   float elements). Buffers C-contiguous, of one length. powf with a number b (TH's pow(t, v)
   on floats), and C's double pow (kinds 1 and 2: pow with a number or a buffer b, rpow), go
   through _vmath.c's lane kernels where they matched libm (mode 2), never (mode 0), or unchecked (mode 1,
   tools/check_libm_more.py). */
static PyObject *
py_libm2(PyObject *self, PyObject *args)
{
    const char *name;
    Py_buffer a, r, b = {0};
    PyObject *bobj;
    int kind, op, ok = 0, scalar;
    int mode = 2;
    if (!PyArg_ParseTuple(args, "sy*Ow*i|i", &name, &a, &bobj, &r, &kind, &mode))
        return NULL;
    op = !strcmp(name, "pow") ? 0 : !strcmp(name, "rpow") ? 1 : !strcmp(name, "atan2") ? 2 : -1;
    Py_ssize_t sz = kind == 1 ? 8 : 4, n = r.len / sz;
    double bv = 0;
    scalar = PyFloat_Check(bobj) || PyLong_Check(bobj);
    if (op < 0 || kind < 0 || kind > 2) {
        PyErr_Format(PyExc_ValueError, "libm2: no function %s (kind %d)", name, kind);
        goto done;
    }
    if (scalar) {
        bv = PyFloat_AsDouble(bobj);
        if (bv == -1.0 && PyErr_Occurred())
            goto done;
    } else if (PyObject_GetBuffer(bobj, &b, PyBUF_C_CONTIGUOUS) < 0)
        goto done;
    if (r.len % sz || !same_len(&a, r.len, "libm2 a") || (!scalar && !same_len(&b, r.len,
                                                                           "libm2 b")))
        goto done;
    /* powf's lane kernel: its tables and its check against libm, once, with the GIL held
       (n = 0 runs nothing) */
    int powk = kind == 0 && op == 0 && scalar && mode
        && vm_powf(vm_set, mode, NULL, (float)bv, NULL, 0);
    /* C's double pow of one exponent (kind 1, and kind 2's float elements): likewise */
    double yd = kind == 1 ? bv : (double)(float)bv;  /* (a float tensor's number is a float) */
    int powd = kind != 0 && op == 0 && scalar && mode
        && vm_pow(vm_set, mode, NULL, yd, NULL, 0);
    /* two buffers, or pow(the number, a[i]) (rpow): the per-lane-y kernel, likewise */
    int pow2 = kind != 0 && op <= 1 && !(op == 0 && scalar) && mode
        && vm_pow2(vm_set, mode, 0, NULL, 0, NULL, NULL, 0);
    float bf = (float)bv;
    const void *base = scalar ? (kind == 1 ? (const void *)&bv : (const void *)&bf) : b.buf;
    int atan2k = op == 2 && mode && (kind == 0 ? vm_atan2f(vm_set, mode, NULL, NULL, 0.0f,
                                                           NULL, 0)
                                     : vm_atan2d(vm_set, mode, NULL, NULL, 0.0, NULL, 0));
    Py_BEGIN_ALLOW_THREADS
    /* one loop per case, without a test per element */
#define LIBM2_LOOP(T, U, EXPR)                                                               \
    do {                                                                                     \
        const T *x = a.buf, *y = b.buf;                                                      \
        T *z = r.buf, s = (T)bv;                                                             \
        if (scalar)                                                                          \
            for (Py_ssize_t i = 0; i < n; i++) {                                             \
                U u = x[i], v = s;                                                           \
                z[i] = (T)(EXPR);                                                            \
            }                                                                                \
        else                                                                                 \
            for (Py_ssize_t i = 0; i < n; i++) {                                             \
                U u = x[i], v = y[i];                                                        \
                z[i] = (T)(EXPR);                                                            \
            }                                                                                \
    } while (0)
    if (kind == 1) {
        if (op == 0) {
            if (!(scalar ? powd && vm_pow(vm_set, mode, a.buf, yd, r.buf, n)
                  : pow2 && vm_pow2(vm_set, mode, 0, a.buf, 1, b.buf, r.buf, n)))
                LIBM2_LOOP(double, double, pow(u, v));
        }
        else if (op == 1) {
            if (!(pow2 && vm_pow2(vm_set, mode, 0, base, !scalar, a.buf, r.buf, n)))
                LIBM2_LOOP(double, double, pow(v, u));
        }
        else if (!(atan2k && vm_atan2d(vm_set, mode, a.buf, scalar ? NULL : b.buf, bv, r.buf,
                                       n)))
            LIBM2_LOOP(double, double, atan2(u, v));
    } else if (kind == 0) {
        if (op == 0) {
            /* (one exponent: _vmath.c's lane kernel where it matched libm; mode 0 never) */
            if (!(powk && vm_powf(vm_set, mode, a.buf, (float)bv, r.buf, n)))
                LIBM2_LOOP(float, float, powf(u, v));
        }
        else if (op == 1)
            LIBM2_LOOP(float, float, powf(v, u));
        else if (!(atan2k && vm_atan2f(vm_set, mode, a.buf, scalar ? NULL : b.buf, (float)bv,
                                       r.buf, n)))
            LIBM2_LOOP(float, float, atan2f(u, v));  /* (_vmath.c's kernel, as powf's) */
    } else {
        if (op == 0) {
            if (!(scalar ? powd && vm_pow32(vm_set, mode, a.buf, yd, r.buf, n)
                  : pow2 && vm_pow2(vm_set, mode, 1, a.buf, 1, b.buf, r.buf, n)))
                LIBM2_LOOP(float, double, pow(u, v));
        }
        else if (op == 1) {
            if (!(pow2 && vm_pow2(vm_set, mode, 1, base, !scalar, a.buf, r.buf, n)))
                LIBM2_LOOP(float, double, pow(v, u));
        }
        else if (atan2k) {
            /* (blocks of doubles through the double kernel: its results are atan2's) */
            const float *x = a.buf, *y = b.buf;
            float *z = r.buf;
            double ad[256], bd[256], zd[256];
            for (Py_ssize_t i = 0; i < n; i += 256) {
                Py_ssize_t len = n - i < 256 ? n - i : 256;
                for (Py_ssize_t j = 0; j < len; j++) {
                    ad[j] = x[i + j];
                    bd[j] = scalar ? (double)(float)bv : y[i + j];
                }
                vm_atan2d(vm_set, 1, ad, bd, 0.0, zd, len);
                for (Py_ssize_t j = 0; j < len; j++)
                    z[i + j] = (float)zd[j];
            }
        } else
            LIBM2_LOOP(float, double, atan2(u, v));
    }
#undef LIBM2_LOOP
    Py_END_ALLOW_THREADS
    ok = 1;
done:
    PyBuffer_Release(&a);
    PyBuffer_Release(&r);
    if (b.obj)
        PyBuffer_Release(&b);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* ---- the geometry of an index table and small comparisons, for Lua loops over elements ----
   flat_geom(size, stride, offset, flat): compat/bridgecalls.py's _flat_geom (see there) for a
   tensor's size and stride tuples, offset and bridge.lua's flat key (pairs: (i, None) a number,
   (False, False) {}, (i, j) a range): None where the general path must decide (a float, an
   index out of range, too many entries), True for {} entries only, the storage position of an
   element, else (offset, size, stride) of the view. */
#define GEOM_MAX 64
static PyObject *
py_flat_geom(PyObject *self, PyObject *args)
{
    PyObject *size, *stride, *flat;
    Py_ssize_t off;
    if (!PyArg_ParseTuple(args, "OOnO", &size, &stride, &off, &flat))
        return NULL;
    if (!PyTuple_Check(size) || !PyTuple_Check(stride) || !PyTuple_Check(flat))
        Py_RETURN_NONE;
    Py_ssize_t nd = PyTuple_GET_SIZE(size), nk = PyTuple_GET_SIZE(flat) / 2;
    if (nk > nd || nk == 0 || nd > GEOM_MAX || PyTuple_GET_SIZE(stride) != nd)
        Py_RETURN_NONE;
    Py_ssize_t nsize[GEOM_MAX], nstride[GEOM_MAX], m = 0;
    int plain = 1;
    for (Py_ssize_t d = 0; d < nd; d++) {
        Py_ssize_t n = PyLong_AsSsize_t(PyTuple_GET_ITEM(size, d));
        Py_ssize_t st = PyLong_AsSsize_t(PyTuple_GET_ITEM(stride, d));
        if ((n == -1 || st == -1) && PyErr_Occurred()) {
            PyErr_Clear();
            Py_RETURN_NONE;
        }
        if (d >= nk) {  /* the dimensions past the key stay */
            nsize[m] = n;
            nstride[m++] = st;
            continue;
        }
        PyObject *a = PyTuple_GET_ITEM(flat, 2 * d), *b = PyTuple_GET_ITEM(flat, 2 * d + 1);
        if (b == Py_None || (a != Py_False && PyLong_CheckExact(a))) {
            if (!PyLong_CheckExact(a) || (b != Py_None && !PyLong_CheckExact(b)))
                Py_RETURN_NONE;  /* a float or a bool: the general path's rules */
            int overflow;
            long long lo = PyLong_AsLongLongAndOverflow(a, &overflow);
            if (overflow || (lo == -1 && PyErr_Occurred())) {
                PyErr_Clear();
                Py_RETURN_NONE;
            }
            if (lo < 0) lo += n + 1;
            if (b == Py_None) {  /* a number: select */
                if (lo < 1 || lo > n) Py_RETURN_NONE;
                off += (Py_ssize_t)(lo - 1) * st;
                plain = 0;
                continue;
            }
            long long hi = PyLong_AsLongLongAndOverflow(b, &overflow);
            if (overflow || (hi == -1 && PyErr_Occurred())) {
                PyErr_Clear();
                Py_RETURN_NONE;
            }
            if (hi < 0) hi += n + 1;
            if (lo < 1 || lo > n || hi < lo || hi > n) Py_RETURN_NONE;
            off += (Py_ssize_t)(lo - 1) * st;
            nsize[m] = (Py_ssize_t)(hi - lo + 1);
            nstride[m++] = st;
            plain = 0;
        } else if (a == Py_False) {  /* {}: the whole dimension */
            nsize[m] = n;
            nstride[m++] = st;
        } else {
            Py_RETURN_NONE;  /* a float, a bool: the general path's rules */
        }
    }
    if (plain) Py_RETURN_TRUE;
    if (m == 0) return PyLong_FromSsize_t(off);
    PyObject *ts = PyTuple_New(m), *tt = PyTuple_New(m);
    if (!ts || !tt) {
        Py_XDECREF(ts);
        Py_XDECREF(tt);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *u = PyLong_FromSsize_t(nsize[i]), *v = PyLong_FromSsize_t(nstride[i]);
        if (!u || !v) {
            Py_XDECREF(u);
            Py_XDECREF(v);
            Py_DECREF(ts);
            Py_DECREF(tt);
            return NULL;
        }
        PyTuple_SET_ITEM(ts, i, u);
        PyTuple_SET_ITEM(tt, i, v);
    }
    return Py_BuildValue("(nNN)", off, ts, tt);
}

/* one strided tensor's element positions in row-major logical order */
typedef struct {
    Py_ssize_t nd, size[GEOM_MAX], stride[GEOM_MAX], idx[GEOM_MAX], pos, lo, hi;
} geom_walk;

static int
walk_init(geom_walk *g, PyObject *size, PyObject *stride, Py_ssize_t off, Py_ssize_t *count)
{
    g->nd = PyTuple_GET_SIZE(size);
    if (g->nd > GEOM_MAX || PyTuple_GET_SIZE(stride) != g->nd) return -1;
    Py_ssize_t n = 1;
    g->pos = g->lo = g->hi = off;
    for (Py_ssize_t d = 0; d < g->nd; d++) {
        g->size[d] = PyLong_AsSsize_t(PyTuple_GET_ITEM(size, d));
        g->stride[d] = PyLong_AsSsize_t(PyTuple_GET_ITEM(stride, d));
        if (PyErr_Occurred() || g->size[d] < 0) return -1;
        g->idx[d] = 0;
        n *= g->size[d];
        if (g->size[d] > 0) {
            Py_ssize_t span = (g->size[d] - 1) * g->stride[d];
            if (span > 0) g->hi += span; else g->lo += span;
        }
    }
    *count = g->nd ? n : 0;
    return 0;
}

static inline void
walk_next(geom_walk *g)
{
    for (Py_ssize_t d = g->nd - 1; d >= 0; d--) {
        g->pos += g->stride[d];
        if (++g->idx[d] < g->size[d]) return;
        g->pos -= g->stride[d] * g->size[d];
        g->idx[d] = 0;
    }
}

/* maxabsdiff(da, oa, sa, ta, db, ob, sb, tb): Tester's largest |a - b| of two double tensors
   of as many elements (storage buffers, offsets, sizes, strides), element by element in
   row-major logical order, NaN as soon as one difference is NaN (TH's maxall; numpy's max):
   the value of numpy's np.abs(a - b).max(). None when they are empty, differ in count or
   reach outside their buffers. */
static PyObject *
py_maxabsdiff(PyObject *self, PyObject *args)
{
    PyObject *da, *db, *sa, *sb, *ta, *tb;
    Py_ssize_t oa, ob;
    if (!PyArg_ParseTuple(args, "OnOOOnOO", &da, &oa, &sa, &ta, &db, &ob, &sb, &tb))
        return NULL;
    if (!PyTuple_Check(sa) || !PyTuple_Check(ta) || !PyTuple_Check(sb) || !PyTuple_Check(tb))
        Py_RETURN_NONE;
    geom_walk ga, gb;
    Py_ssize_t na, nb;
    if (walk_init(&ga, sa, ta, oa, &na) < 0 || walk_init(&gb, sb, tb, ob, &nb) < 0) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    if (na != nb || na == 0) Py_RETURN_NONE;
    Py_buffer ba, bb;
    if (PyObject_GetBuffer(da, &ba, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyErr_Clear();  /* not one plain buffer: numpy's path */
        Py_RETURN_NONE;
    }
    if (PyObject_GetBuffer(db, &bb, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&ba);
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    PyObject *res = NULL;
    if (ba.itemsize != 8 || bb.itemsize != 8 || !ba.format || !bb.format
            || strcmp(ba.format, "d") || strcmp(bb.format, "d")
            || ga.lo < 0 || gb.lo < 0 || ga.hi >= ba.len / 8 || gb.hi >= bb.len / 8) {
        Py_INCREF(Py_None);
        res = Py_None;
    } else {
        const double *a = ba.buf, *b = bb.buf;
        double m = 0.0;
        for (Py_ssize_t i = 0; i < na; i++) {
            double d = fabs(a[ga.pos] - b[gb.pos]);
            if (d != d) { m = d; break; }
            if (d > m) m = d;
            walk_next(&ga);
            walk_next(&gb);
        }
        res = PyFloat_FromDouble(m);
    }
    PyBuffer_Release(&ba);
    PyBuffer_Release(&bb);
    return res;
}

static PyMethodDef methods[] = {
    {"fma", py_fma, METH_VARARGS, "fma(a, b, c, out, single): out = a*b + c, one rounding"},
    {"reduce", py_reduce, METH_VARARGS,
     "reduce(x, out, outer, n, inner, src_single, acc_single, prod): sequential sum/product"},
    {"fast_elements", py_fast_elements, METH_NOARGS,
     "fast_elements(): elements summed by the binade method since the last call (this thread)"},
    {"sumall", py_sumall, METH_VARARGS,
     "sumall(array, op): sum (op 0), sum of squares (1) or of magnitudes (2) of a float32 or "
     "float64 array's elements in row-major order from 0, in double; None for other types"},
    {"dot", py_dot, METH_VARARGS, "dot(x, y, single): fused-multiply-add chain from zero"},
    {"libm", py_libm, METH_VARARGS,
     "libm(name, src, out, single, mode=2): out = libm's float or double name(src), "
     "elementwise; mode 0 the per-element loop, 1 the float lane kernel unchecked, 2 the lane "
     "kernel where it matched libm on its check set"},
    {"unary_index", py_unary_index, METH_VARARGS,
     "unary_index(name): the index of libm's function name for unary(), -1 if none"},
    {"unary", (PyCFunction)(void (*)(void))py_unary, METH_FASTCALL,
     "unary(k, src, out): out = libm's function k of src (as libm computes it), True; False "
     "(nothing written) unless both are C-contiguous float32 or float64 of one type and size"},
    {"ew", (PyCFunction)(void (*)(void))py_ew, METH_FASTCALL,
     "ew(op, src, other, out): out = src + other (op 0: a number; 3: a buffer), src * other "
     "(1: a number; 2: a buffer), True; False (nothing written) unless all are C-contiguous float32 or float64 "
     "of one type and size"},
    {"libm_wide", py_libm_wide, METH_VARARGS,
     "libm_wide(flag=None): whether libm's lane kernels run 8 doubles / 16 floats wide "
     "(AVX-512, where the CPU has it and the AVX2+FMA set is in use); False keeps them on "
     "AVX2+FMA, True allows AVX-512 again"},
    {"libm_fast", py_libm_fast, METH_VARARGS,
     "libm_fast(double=False): the float (or double) functions whose lane kernels (of the set "
     "in use) give libm's bits on their check set"},
    {"libm2", py_libm2, METH_VARARGS,
     "libm2(name, a, b, out, kind, mode=2): out = pow(a, b), pow(b, a) (rpow) or atan2(a, b), "
     "b a buffer or a number; kind 0 float32 and powf/atan2f, 1 float64, 2 float32 and "
     "pow/atan2; powf of a number through its lane kernel where it matched libm (mode 0: "
     "libm's loop, 1: the kernel unchecked)"},
    {"use_hardware", py_use_hardware, METH_VARARGS,
     "use_hardware(flag): the AVX2+FMA kernels (when the CPU has them) or the portable ones; "
     "returns whether the AVX2+FMA ones are in use (tests run both sets)"},
    {"flat_geom", py_flat_geom, METH_VARARGS,
     "flat_geom(size, stride, offset, flat): the view or element an index table selects"},
    {"maxabsdiff", py_maxabsdiff, METH_VARARGS,
     "maxabsdiff(da, oa, sa, ta, db, ob, sb, tb): largest |a - b| of two double tensors"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_exact", "Torch7's rounding and order in C (see numerics.py)", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__exact(void)
{
    pick_kernels(1);
    return PyModule_Create(&module);
}
