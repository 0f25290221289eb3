/* Double asin and acos (TH's asin/acos on DoubleTensors) for _vmath.c, included from _vmath_k.h
   once per kernel set, with its macros (VD/VL/VQ, MAD, K_, spl, vdsel, mask4d, vm_fixd).

   glibc 2.36 computes both with IBM's dbl-64 e_asin.c, whose multi-precision slow paths were
   removed in 2.34/2.35: what remains is a table-driven polynomial whose last step is one
   rounded addition, with an error before that rounding of a small fraction of an ulp (its own
   comments: 0.5015 to 0.524 ulp in all; measured here against long double, 5e6 random x per
   range: asin up to 0.0103 ulp beyond the rounding below 1/8, 0.0151 in [1/8, 1/4), 0.0078
   in [1/4, 1/2), 0.0039 from 1/2 on; acos up to 0.0020 below 1/2 in magnitude, 0.0024 from
   -1/2 down, 0.0044 in [1/2, 3/4), 0.0215 from 3/4 on; each close to the sum of the
   half-ulps of its last two or three roundings: 2^-61 absolute in asin's [1/8, 1/2), 3 2^-61
   in acos's [3/4, 0.97)). So libm returns the correctly rounded value wherever the true
   value lies farther than that from the midpoint between two doubles. These kernels do not
   replicate IBM's code (its tables are not used here): they compute asin with a relative
   error of 2^-62 at most (double-double where it matters; measured against long double,
   whose own error is near that: 0.002 ulp of the result), round, and send to libm every lane
   whose value lies within a margin (ASIN_M_*, ACOS_M_*: 1.5 times the error above plus 0.004
   for this code's own, in ulps of the result) of a midpoint, plus |x| >= 1 and NaN. asin of
   |x| < 2^-26 is x (IBM's first branch, also the correctly rounded value); acos of tiny |x|
   comes out as RN(pi/2), as IBM's does.
   Checked: 0 of 1e8 doubles (tools/check_libm_more.py --double) and 0 of 2e7 inputs per
   function whose value lies within 0.05 ulp of a midpoint differ from libm, on each set.

   The algorithm: s = |x| below 0.5, else s = sqrt((1 - |x|)/2) (1 - |x| exact) carried as
   s + sl; asin(s) = s + s u P(u), u = s^2 in [0, 1/4] (for the square root's lanes u is
   (1 - |x|)/2 itself, exact, so the polynomial does not wait for the root), P a degree-15
   polynomial (a Chebyshev interpolant of (asin(sqrt u) - sqrt u)/u^(3/2) computed in 60-digit
   arithmetic, relative error 2^-61.3 with the coefficients as stored), its two leading steps
   and the products with s and u in double-double, plus sl (1 + u P(u)). Then
   asin(x) = +-asin(s) or +-(pi/2 - 2 asin(s)); acos(x) = pi/2 -+ asin(s), 2 asin(s) or
   pi - 2 asin(s); pi/2 and pi in double-double. The portable set computes the exact products'
   errors by Dekker's splitting, the other sets by FMA: different last bits of the double-double
   value, both far inside the margin, so every set returns libm's bits. */

/* P(u) = C0 + C1 u + ... + C15 u^15; C0 and C1 as hi + lo */
#define ASIN_C0H 0x1.5555555555555p-3
#define ASIN_C0L 0x1.5536fa98a79b6p-57
#define ASIN_C1H 0x1.3333333333334p-4
#define ASIN_C1L (-0x1.4dbfbd57d8640p-58)
#define ASIN_C2 0x1.6db6db6db6c75p-5
#define ASIN_C3 0x1.f1c71c71dc217p-6
#define ASIN_C4 0x1.6e8ba2e2f8089p-6
#define ASIN_C5 0x1.1c4ec5dfe81d9p-6
#define ASIN_C6 0x1.c99964e8e2de8p-7
#define ASIN_C7 0x1.7a8b73dc1b007p-7
#define ASIN_C8 0x1.3fa92e3923959p-7
#define ASIN_C9 0x1.14f7ebcffc822p-7
#define ASIN_C10 0x1.c232290f7ae75p-8
#define ASIN_C11 0x1.1e6dafec868fcp-7
#define ASIN_C12 (-0x1.641b6703bb104p-9)
#define ASIN_C13 0x1.b20b9dc229eb5p-6
#define ASIN_C14 (-0x1.dfdd83264a978p-6)
#define ASIN_C15 0x1.06c051be25377p-5
/* pi/2 and pi as hi + lo */
#define ASIN_PIO2H 0x1.921fb54442d18p+0
#define ASIN_PIO2L 0x1.1a62633145c07p-54
#define ASIN_PIH 0x1.921fb54442d18p+1
#define ASIN_PIL 0x1.1a62633145c07p-53
/* the margins, in ulps of the result, by range of x: 1.5 times glibc's largest error beyond
   the rounding measured there (5e6 random x per range against long double), plus 0.004 for
   this code's own */
#define ASIN_M_SMALL 0.022  /* |x| < 1/8 (measured 0.0103) */
#define ASIN_M_MID 0.028    /* [1/8, 1/4) (0.0151) */
#define ASIN_M_HALF 0.016   /* [1/4, 1/2) (0.0078) */
#define ASIN_M_BIG 0.01     /* [1/2, 1) (0.0039) */
#define ACOS_M_SMALL 0.007  /* |x| < 1/2 (0.0020) */
#define ACOS_M_NEG 0.008    /* (-1, -1/2] (0.0024) */
#define ACOS_M_HALF 0.011   /* [1/2, 3/4) (0.0044) */
#define ACOS_M_BIG 0.036    /* [3/4, 1) (0.0215) */

/* the rounding error of the product p = a b (exactly a b - p) */
VM_ATTR VM_INL VD
K_(asin_perr)(VD a, VD b, VD p)
{
#if VM_HW
    return MAD(a, b, -p);
#else
    VD ca = a * 134217729.0, cb = b * 134217729.0;
    VD ah = ca - (ca - a), bh = cb - (cb - b);
    VD al = a - ah, bl = b - bh;
    return (((ah * bh - p) + ah * bl) + al * bh) + al * bl;
#endif
}

VM_ATTR VM_INL VD
K_(asin_sqrt)(VD z)
{
#if VM_HW == 2
    return (VD)_mm512_sqrt_pd((__m512d)z);
#elif VM_HW
    return (VD)_mm256_sqrt_pd((__m256d)z);
#else
    VD r;
    for (int j = 0; j < VM_W; j++)
        r[j] = __builtin_sqrt(z[j]);
    return r;
#endif
}

/* asin(s + sl) for s in [0, 1/2], |sl| <= 2^-53 s, as *ah + *al (relative error <= 2^-62);
   big: the lanes whose |x| >= 1/2 (s from the square root) */
VM_ATTR VM_INL void
K_(asin_core)(VD ax, VL big, VD *ah, VD *al)
{
    VD z = (1.0 - ax) * 0.5;
    VD sh = K_(asin_sqrt)(z);
    VD sl = (z - sh * sh - K_(asin_perr)(sh, sh, sh * sh)) / (sh + sh);
    VD s = vdsel(big, sh, ax);
    sl = vdsel(big, sl, spl(0.0));
    /* u = s^2 = z exactly for the square root's lanes (not waiting for it) */
    VD a2 = ax * ax;
    VD uh = vdsel(big, z, a2), ul = vdsel(big, spl(0.0), K_(asin_perr)(ax, ax, a2));
    /* q = C2 + u r, r = C3 + C4 u + ... + C15 u^12 by Estrin's scheme (short dependencies;
       its larger rounding errors scaled by u in q) */
    VD u2 = uh * uh, u4 = u2 * u2;
    VD e34 = MAD(uh, spl(ASIN_C4), spl(ASIN_C3)), e56 = MAD(uh, spl(ASIN_C6), spl(ASIN_C5));
    VD e78 = MAD(uh, spl(ASIN_C8), spl(ASIN_C7)), e910 = MAD(uh, spl(ASIN_C10), spl(ASIN_C9));
    VD e1112 = MAD(uh, spl(ASIN_C12), spl(ASIN_C11));
    VD e1314 = MAD(uh, spl(ASIN_C14), spl(ASIN_C13));
    VD f36 = MAD(u2, e56, e34), f710 = MAD(u2, e910, e78), f1114 = MAD(u2, e1314, e1112);
    VD g310 = MAD(u4, f710, f36), g1115 = MAD(u4, spl(ASIN_C15), f1114);
    VD q = MAD(uh, MAD(u4 * u4, g1115, g310), spl(ASIN_C2));
    /* P1 = C1 + u q */
    VD p = uh * q;
    VD pe = K_(asin_perr)(uh, q, p) + ul * q;
    VD t = ASIN_C1H + p;
    VD p1l = ((ASIN_C1H - t) + p) + (pe + ASIN_C1L), p1h = t;
    /* P0 = C0 + u P1 */
    p = uh * p1h;
    pe = K_(asin_perr)(uh, p1h, p) + (uh * p1l + ul * p1h);
    t = ASIN_C0H + p;
    VD p0l = ((ASIN_C0H - t) + p) + (pe + ASIN_C0L), p0h = t;
    /* T = s u P0 */
    VD su = s * uh;
    VD sue = K_(asin_perr)(s, uh, su) + s * ul;
    VD th = su * p0h;
    VD tl = K_(asin_perr)(su, p0h, th) + (su * p0l + sue * p0h);
    /* s + T + sl (1 + u P): asin(sh + sl) with u = (sh + sl)^2 */
    VD h = s + th;
    VD corr = MAD(sl, uh * p0h, sl);  /* sl (1 + u P), u = (sh + sl)^2 */
    *al = ((s - h) + th) + (tl + corr);
    *ah = h;
}

/* rh + rl rounded; the lanes where rounding rh + rl +- m ulp(rh) gives two doubles */
VM_ATTR VM_INL VL
K_(asin_near)(VD rh, VD rl, VD m, VD *y)
{
    VD d = (VD)((VQ)rh & 0x7ff0000000000000ULL) * m;
    *y = rh + rl;
    return (VL)((rh + (rl + d)) != (rh + (rl - d)));
}

/* the loop: VM_W elements a step, the tail through a padded copy (1.0 in the unused lanes);
   the flagged lanes go to libm after each block of ASIN_BLK steps (a few in a hundred lanes
   at random places: called at once, each would cost a mispredicted branch or two and reload
   the loop's constants). Where y is apart from x, a bit per step marks the steps to revisit
   (x is intact); where they overlap, the flagged lanes' inputs, as read, and their places are
   appended to a buffer without a branch (a compress on AVX-512). */
#define ASIN_BLK 64
#if VM_HW == 2
#define ASIN_KEEP(m, xv, i, xb, ib, cnt)                                                     \
    do {                                                                                     \
        _mm512_storeu_pd(xb + cnt, _mm512_maskz_compress_pd((__mmask8)(m), (__m512d)(xv)));  \
        _mm512_storeu_si512(ib + cnt, _mm512_maskz_compress_epi64(                           \
            (__mmask8)(m), _mm512_add_epi64(_mm512_set1_epi64(i),                            \
                                            _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0))));     \
        cnt += __builtin_popcount(m);                                                        \
    } while (0)
#else
#define ASIN_KEEP(m, xv, i, xb, ib, cnt)                                                     \
    do {                                                                                     \
        for (int j_ = 0; j_ < VM_W; j_++) {                                                  \
            xb[cnt] = (xv)[j_];                                                              \
            ib[cnt] = (i) + j_;                                                              \
            cnt += ((m) >> j_) & 1;                                                          \
        }                                                                                    \
    } while (0)
#endif
#define ASIN_LOOP(NAME, KERN, LIBF)                                                          \
    VM_ATTR static void                                                                      \
    K_(NAME)(const double *x, double *y, ptrdiff_t n)                                        \
    {                                                                                        \
        ptrdiff_t i = 0;                                                                     \
        int overlap = (uintptr_t)(x + n) > (uintptr_t)y && (uintptr_t)(y + n) > (uintptr_t)x;  \
        while (i + VM_W <= n && !overlap) {                                                  \
            ptrdiff_t steps = (n - i) / VM_W < ASIN_BLK ? (n - i) / VM_W : ASIN_BLK;         \
            unsigned char mk[ASIN_BLK];                                                      \
            uint64_t left = 0;                                                               \
            for (ptrdiff_t j = 0; j < steps; j++) {                                          \
                int m = KERN(x + i + j * VM_W, y + i + j * VM_W);                            \
                mk[j] = (unsigned char)m;                                                    \
                left |= (uint64_t)(m != 0) << j;                                             \
            }                                                                                \
            while (left) {                                                                   \
                int j = __builtin_ctzll(left);                                               \
                left &= left - 1;                                                            \
                for (unsigned m = mk[j]; m; m &= m - 1) {                                    \
                    ptrdiff_t at = i + j * VM_W + __builtin_ctz(m);                          \
                    y[at] = LIBF(x[at]);                                                     \
                }                                                                            \
            }                                                                                \
            i += steps * VM_W;                                                               \
        }                                                                                    \
        while (i + VM_W <= n) {                                                              \
            double xb[ASIN_BLK * VM_W + VM_W];                                               \
            int64_t ib[ASIN_BLK * VM_W + VM_W];                                              \
            ptrdiff_t end = n - i > ASIN_BLK * VM_W ? i + ASIN_BLK * VM_W : n;               \
            int cnt = 0;                                                                     \
            for (; i + VM_W <= end; i += VM_W) {                                             \
                VD xv;                                                                       \
                memcpy(&xv, x + i, sizeof xv);                                               \
                double xc[VM_W];                                                             \
                memcpy(xc, &xv, sizeof xc);                                                  \
                int m = KERN(xc, y + i);                                                     \
                ASIN_KEEP(m, xv, i, xb, ib, cnt);                                            \
            }                                                                                \
            for (int k = 0; k < cnt; k++)                                                    \
                y[ib[k]] = LIBF(xb[k]);                                                      \
        }                                                                                    \
        VM_TAILD(KERN, LIBF)                                                                 \
    }

VM_ATTR VM_INL int
K_(asind4)(const double *xp, double *yp)
{
    VD x;
    memcpy(&x, xp, sizeof x);
    VQ ix = (VQ)x & 0x7fffffffffffffffULL, sgn = (VQ)x & 0x8000000000000000ULL;
    VD ax = (VD)ix;
    VL spec = (VL)(ix >= 0x3ff0000000000000ULL);      /* |x| >= 1, NaN */
    VL tiny = (VL)(ix < 0x3e50000000000000ULL);       /* |x| < 2^-26: x */
    VL big = (VL)(ix >= 0x3fe0000000000000ULL);
    VD ah, al;
    K_(asin_core)(ax, big, &ah, &al);
    /* asin(|x|) = A, or pi/2 - 2 A */
#if VM_HW == 2
    /* (by one index, max(exponent - 0x3fb, 0): 0 below 1/8 ... 3 from 1/2, permutes pick the
       factor of A, pi/2 or 0 and the margin; |x| >= 1 is flagged whatever they pick) */
    __m512i mi = _mm512_max_epi64(_mm512_sub_epi64(_mm512_srli_epi64((__m512i)ix, 52),
                                                   _mm512_set1_epi64(0x3fb)),
                                  _mm512_setzero_si512());
    VD c = (VD)_mm512_permutexvar_pd(mi, _mm512_set_pd(0, 0, 0, 0, -2.0, 1.0, 1.0, 1.0));
    VD kh = (VD)_mm512_permutexvar_pd(mi, _mm512_set_pd(0, 0, 0, 0, ASIN_PIO2H, 0, 0, 0));
    VD kl = (VD)_mm512_permutexvar_pd(mi, _mm512_set_pd(0, 0, 0, 0, ASIN_PIO2L, 0, 0, 0));
    VD m = (VD)_mm512_permutexvar_pd(mi, _mm512_set_pd(
        0, 0, 0, 0, ASIN_M_BIG * 0x1p-52, ASIN_M_HALF * 0x1p-52, ASIN_M_MID * 0x1p-52,
        ASIN_M_SMALL * 0x1p-52));
    VD ch = c * ah, cl = c * al;
#else
    VD ch = vdsel(big, -2.0 * ah, ah), cl = vdsel(big, -2.0 * al, al);
    VD kh = vdsel(big, spl(ASIN_PIO2H), spl(0.0)), kl = vdsel(big, spl(ASIN_PIO2L), spl(0.0));
    VD m = vdsel(big, spl(ASIN_M_BIG * 0x1p-52),
                 vdsel((VL)(ix >= 0x3fd0000000000000ULL), spl(ASIN_M_HALF * 0x1p-52),
                       vdsel((VL)(ix >= 0x3fc0000000000000ULL), spl(ASIN_M_MID * 0x1p-52),
                             spl(ASIN_M_SMALL * 0x1p-52))));
#endif
    VD rh = kh + ch;
    VD rl = ((kh - rh) + ch) + (cl + kl);
    VD y;
    VL near = K_(asin_near)(rh, rl, m, &y);
    y = vdsel(tiny, x, (VD)((VQ)y | sgn));
    memcpy(yp, &y, sizeof y);
    return K_(mask4d)(spec | (near & ~tiny));
}
ASIN_LOOP(vm_asind, K_(asind4), asin)

VM_ATTR VM_INL int
K_(acosd4)(const double *xp, double *yp)
{
    VD x;
    memcpy(&x, xp, sizeof x);
    VQ ix = (VQ)x & 0x7fffffffffffffffULL;
    VL neg = (VL)x < 0;
    VD ax = (VD)ix;
    VL spec = (VL)(ix >= 0x3ff0000000000000ULL);      /* |x| >= 1, NaN */
    VL big = (VL)(ix >= 0x3fe0000000000000ULL);
    VD ah, al;
    K_(asin_core)(ax, big, &ah, &al);
    /* pi/2 - asin(x); 2 A for x >= 1/2, pi - 2 A for x <= -1/2 */
#if VM_HW == 2
    /* (by one index, (|x| < 1/2 ? 0 : |x| < 3/4 ? 1 : 2) + (x < 0 ? 4 : 0), permutes pick the
       factor of A, pi/2, pi or 0 and the margin; |x| >= 1 is flagged whatever they pick) */
    __m512i mi = _mm512_max_epi64(_mm512_sub_epi64(_mm512_srli_epi64((__m512i)ix, 51),
                                                   _mm512_set1_epi64(0x7fb)),
                                  _mm512_setzero_si512());
    mi = _mm512_or_si512(mi, _mm512_slli_epi64(_mm512_srli_epi64((__m512i)x, 63), 2));
    VD c = (VD)_mm512_permutexvar_pd(mi, _mm512_set_pd(0, -2.0, -2.0, 1.0, 0, 2.0, 2.0, -1.0));
    VD kh = (VD)_mm512_permutexvar_pd(mi, _mm512_set_pd(0, ASIN_PIH, ASIN_PIH, ASIN_PIO2H,
                                                        0, 0, 0, ASIN_PIO2H));
    VD kl = (VD)_mm512_permutexvar_pd(mi, _mm512_set_pd(0, ASIN_PIL, ASIN_PIL, ASIN_PIO2L,
                                                        0, 0, 0, ASIN_PIO2L));
    VD m = (VD)_mm512_permutexvar_pd(mi, _mm512_set_pd(
        0, ACOS_M_NEG * 0x1p-52, ACOS_M_NEG * 0x1p-52, ACOS_M_SMALL * 0x1p-52,
        0, ACOS_M_BIG * 0x1p-52, ACOS_M_HALF * 0x1p-52, ACOS_M_SMALL * 0x1p-52));
    VD ch = c * ah, cl = c * al;
    (void)neg;
#else
    VL flip = big ^ ~neg;                           /* (-A: small x >= 0, or big x < 0) */
    VD ch = vdsel(big, 2.0 * ah, ah), cl = vdsel(big, 2.0 * al, al);
    ch = (VD)((VQ)ch ^ ((VQ)flip & 0x8000000000000000ULL));
    cl = (VD)((VQ)cl ^ ((VQ)flip & 0x8000000000000000ULL));
    VD kh = vdsel(big, vdsel(neg, spl(ASIN_PIH), spl(0.0)), spl(ASIN_PIO2H));
    VD kl = vdsel(big, vdsel(neg, spl(ASIN_PIL), spl(0.0)), spl(ASIN_PIO2L));
    VD m = vdsel((VL)(ix >= 0x3fe8000000000000ULL), spl(ACOS_M_BIG * 0x1p-52),
                 spl(ACOS_M_HALF * 0x1p-52));
    m = vdsel(big, vdsel(neg, spl(ACOS_M_NEG * 0x1p-52), m), spl(ACOS_M_SMALL * 0x1p-52));
#endif
    VD rh = kh + ch;
    VD rl = ((kh - rh) + ch) + (cl + kl);
    VD y;
    VL near = K_(asin_near)(rh, rl, m, &y);
    memcpy(yp, &y, sizeof y);
    return K_(mask4d)(spec | near);
}
ASIN_LOOP(vm_acosd, K_(acosd4), acos)
#undef ASIN_LOOP
#undef ASIN_KEEP
#undef ASIN_BLK
