/* atan2 lane kernels of _vmath.c (included from _vmath_k.h once per kernel set, with its
   macros: VD/VL/VQ, VF/VI/VU, WF/WI/WU, MAD, K_, spl/spf/spi, the selects and masks).

   atan2f: fdlibm's (glibc 2.36's flt-32 e_atan2f.c over its s_atanf.c; one build on x86-64,
   float arithmetic, nothing fused: the same in every set; "Developed at SunPro, a Sun
   Microsystems, Inc. business. Permission to use, copy, modify, and distribute this software
   is freely granted, provided that this notice is preserved."): z = atanf(|y / x|) by
   _vmath_more_k.h's atanf steps (K_(atanf_abs)), or pi/2 + pi_lo/2 where |y/x| > 2^60 by
   exponents, 0 where x < 0 and |y/x| < 2^-60; then z, -z, pi - (z - pi_lo) or (z - pi_lo) - pi by the signs.
   Every float operation of the scalar code in its order, branches as selects. Lanes where x or
   y is 0, inf or NaN go to libm (its special cases). */

#define AT2F_PI 0x1.921fb6p+1f
#define AT2F_PI_LO (-0x1.777a5cp-24f)
#define AT2F_PI_O_2 0x1.921fb6p+0f

/* atan2f(y[j], x[j]) for 2 VM_W lanes; the lanes whose x or y is 0, inf or NaN are flagged */
VM_ATTR VM_INL int
K_(atan2f8)(const float *yp, const float *xp, float *op)
{
    WF y, x;
    memcpy(&y, yp, sizeof y);
    memcpy(&x, xp, sizeof x);
    WI hy = (WI)y, hx = (WI)x;
    WI iy = hy & 0x7fffffff, ix = hx & 0x7fffffff;
    /* (as unsigned: i - 1 >= 0x7f7fffff where i is 0 or at least 0x7f800000) */
    WI spec = (WI)((WU)(iy - 1) >= 0x7f7fffffu) | (WI)((WU)(ix - 1) >= 0x7f7fffffu);
    WI k = (iy - ix) >> 23;
    WF q = (WF)((WI)(y / x) & 0x7fffffff);
    q = vsel8(spec, spf(1.0f), q);               /* (keeps the unused lanes finite) */
    WF z = K_(atanf_abs)(q);
    z = vsel8((WI)(k > 60), spf(AT2F_PI_O_2 + 0.5f * AT2F_PI_LO), z);
    z = vsel8((WI)(hx < 0) & (WI)(k < -60), spf(0.0f), z);
    WF zn = (WF)((WI)z ^ (int32_t)0x80000000);
    WF zp = AT2F_PI - (z - AT2F_PI_LO), zm = (z - AT2F_PI_LO) - AT2F_PI;
    WI ny = hy < 0;
    WF out = vsel8(hx < 0, vsel8(ny, zm, zp), vsel8(ny, zn, z));
    memcpy(op, &out, sizeof out);
    return K_(mask8i)(spec);
}

/* out[i] = atan2f(y[i], x[i]) for i < n, x[i] the number xv where x is NULL: 2 VM_W lanes a
   step, inputs through a copy where out overlaps them or past the end (1.0 in the unused
   lanes), libm for the flagged lanes */
VM_ATTR static void
K_(vm_atan2f)(const float *y, const float *x, float xv, float *out, ptrdiff_t n)
{
    enum { S = 2 * VM_W };
    float xs[S];
    for (int j = 0; j < S; j++)
        xs[j] = xv;
    int overlap = ((uintptr_t)(y + n) > (uintptr_t)out && (uintptr_t)(out + n) > (uintptr_t)y)
        || (x && (uintptr_t)(x + n) > (uintptr_t)out && (uintptr_t)(out + n) > (uintptr_t)x);
    ptrdiff_t i = 0;
    /* two steps at a time (their chains of divisions overlap), x a buffer or the number */
    if (!overlap && x)
        for (; i + 2 * S <= n; i += 2 * S) {
            uint32_t m = (uint32_t)K_(atan2f8)(y + i, x + i, out + i)
                | (uint32_t)K_(atan2f8)(y + i + S, x + i + S, out + i + S) << S;
            for (int j = 0; __builtin_expect(m != 0, 0); j++, m >>= 1)
                if (m & 1)
                    out[i + j] = atan2f(y[i + j], x[i + j]);
        }
    else if (!overlap)
        for (; i + 2 * S <= n; i += 2 * S) {
            uint32_t m = (uint32_t)K_(atan2f8)(y + i, xs, out + i)
                | (uint32_t)K_(atan2f8)(y + i + S, xs, out + i + S) << S;
            for (int j = 0; __builtin_expect(m != 0, 0); j++, m >>= 1)
                if (m & 1)
                    out[i + j] = atan2f(y[i + j], xv);
        }
    /* out is y or x (in place; no other overlap): the inputs of a pair of steps kept aside */
    int same = overlap && (out == y || (uintptr_t)(y + n) <= (uintptr_t)out
                           || (uintptr_t)(out + n) <= (uintptr_t)y)
        && (!x || out == x || (uintptr_t)(x + n) <= (uintptr_t)out
            || (uintptr_t)(out + n) <= (uintptr_t)x);
    if (same)
        for (; i + 2 * S <= n; i += 2 * S) {
            float yc[2 * S], xc[2 * S];
            memcpy(yc, y + i, sizeof yc);
            if (x)
                memcpy(xc, x + i, sizeof xc);
            else
                for (int j = 0; j < 2 * S; j++)
                    xc[j] = xv;
            uint32_t m = (uint32_t)K_(atan2f8)(yc, xc, out + i)
                | (uint32_t)K_(atan2f8)(yc + S, xc + S, out + i + S) << S;
            for (int j = 0; __builtin_expect(m != 0, 0); j++, m >>= 1)
                if (m & 1)
                    out[i + j] = atan2f(yc[j], xc[j]);
        }
    for (; i < n; i += S) {
        float yb[S], xb[S], ob[S];
        ptrdiff_t len = n - i < S ? n - i : S;
        const float *ya = y + i, *xa = x ? x + i : xs;
        float *oa = out + i;
        if (overlap || len < S) {
            for (int j = 0; j < S; j++)
                yb[j] = xb[j] = 1.0f;
            memcpy(yb, ya, len * sizeof(float));
            memcpy(xb, xa, len * sizeof(float));
            ya = yb;
            xa = xb;
        }
        if (len < S)
            oa = ob;
        int m = K_(atan2f8)(ya, xa, oa) & (int)((1u << len) - 1);
        for (int j = 0; m; j++, m >>= 1)
            if (m & 1)
                oa[j] = atan2f(ya[j], xa[j]);
        if (oa == ob)
            memcpy(out + i, ob, len * sizeof(float));
    }
}

/* Double atan and atan2 (glibc 2.36's IBM dbl-64 s_atan.c and e_atan2.c, LGPL: nothing of them
   here). Since 2.35 they have no slow paths and are not correctly rounded: their result is the
   rounding of a table value plus a polynomial in z = u - x_i (|z| <= 2^-9; u = |x|, 1/|x|, or
   the ratio of |y| and |x|) summed in double, so the sum strays from the true value by the
   roundings of terms below 2^-9 (four of them at most, 2^-60 together) plus the polynomial's own
   error: measured (against 120-bit values, tools/check_libm_more.py --margins, 1e6 inputs per
   path) at most 2^-60.8 absolute in the table paths (0.4% of atan's results in [1/16, 1) are
   not the correctly rounded ones) and 2^-61.5 relative in the small-argument paths (u < 1/16).
   Here: atan(a/b) for 0 <= a <= b in double-double by our own reduction: c = i/64 nearest a/b,
   t = (a - c b)/(b + c a) (|t| <= 1/120, products split exactly), atan(t) = t + t^3 P(t^2)
   (Taylor to t^13), atan(c) from a table computed at init in quadruple precision (Euler's
   series); then 0, pi/2 or pi plus or minus that, rounded. A lane is libm's own call where the
   double-double value lies within a margin of a midpoint between two doubles: 2^-58 absolute
   where libm takes a table path, 2^-57 relative where it sums its small-argument polynomial
   (7 and 20 times the largest measured; 4 times the rounding bound), plus 2^-62 relative for
   our own error; where the result would lie below 2^-960; where x or y is 0, inf or NaN
   (atan2). About a tenth of the lanes of normally distributed inputs go to libm. */
#ifndef VM_ATAN_CONST
#define VM_ATAN_CONST
#define ATAN_HPI_HI 0x1.921fb54442d18p+0
#define ATAN_HPI_LO 0x1.1a62633145c07p-54
#define ATAN_PI_HI 0x1.921fb54442d18p+1
#define ATAN_PI_LO 0x1.1a62633145c07p-53
#define ATAN_SHIFT 0x1.8p52
/* the Taylor coefficients -1/3, 1/5, ... 1/13 */
#define ATAN_P3 (-1.0 / 3)
#define ATAN_P5 (1.0 / 5)
#define ATAN_P7 (-1.0 / 7)
#define ATAN_P9 (1.0 / 9)
#define ATAN_P11 (-1.0 / 11)
#define ATAN_P13 (1.0 / 13)
#endif

/* a b = p + e exactly (the FMA's exact residue; Dekker's split where there is no FMA, for
   |a|, |b| < 2^995) */
VM_ATTR VM_INL void
K_(atan_two_prod)(VD a, VD b, VD *p, VD *e)
{
    *p = a * b;
#if VM_HW
    *e = MAD(a, b, -*p);
#else
    VD ca = a * 134217729.0, cb = b * 134217729.0;
    VD ah = ca - (ca - a), bh = cb - (cb - b);
    VD al = a - ah, bl = b - bh;
    *e = ((ah * bh - *p) + ah * bl + al * bh) + al * bl;
#endif
}

/* s + e = a + b exactly */
VM_ATTR VM_INL void
K_(atan_two_sum)(VD a, VD b, VD *s, VD *e)
{
    *s = a + b;
    VD bb = *s - a;
    *e = (a - (*s - bb)) + (b - bb);
}

/* the lanes' a/b (0 <= a <= b, finite, b in [2^-900, 2^900]) in double-double, plus base +-
   that: rh + rl = base + (neg ? -1 : 1) atan(a/b), base (bh, bl) 0, pi/2 or pi; returns the
   lanes within the margin (mabs absolute plus mrel relative) of a midpoint, or with a result
   below 2^-960 */
VM_ATTR VM_INL VL
K_(atan_core)(VD a, VD b, VD bh, VD bl, VL neg, VD mabs, VD mrel, VD *out)
{
    /* c: i/64 near a/b (the nearest, or a neighbour where an approximate 1/b errs: |t| stays
       below 1/120, where the polynomial is still exact to 2^-90) */
#if VM_HW == 2
    VD q = a * (VD)_mm512_rcp14_pd((__m512d)b);
#else
    VD q = a * (1.0 / b);
#endif
    VD k = q * 64.0 + ATAN_SHIFT;
    VQ idx = (VQ)k & 0xff;
    VD c = (k - ATAN_SHIFT) * 0.015625;
    VD p, pl, d, dl, nh, ne;
    K_(atan_two_prod)(c, b, &p, &pl);
    K_(atan_two_sum)(a, -p, &nh, &ne);
    VD nl = ne - pl;
    K_(atan_two_prod)(c, a, &d, &dl);
    VD dh = b + d;
    VD dlo = (d - (dh - b)) + dl;
    /* t = th + tl: th within an ulp of nh/dh (a product by 1/dh), the residue nh - th dh
       exact, tl its quotient (needed to 2^-20 relative) */
    VD rd = 1.0 / dh;
    VD th = nh * rd;
#if VM_HW
    VD r = MAD(-th, dh, nh);
#else
    VD ph, pe;
    K_(atan_two_prod)(th, dh, &ph, &pe);
    VD r = (nh - ph) - pe;
#endif
    VD tl = ((r + nl) - th * dlo) * rd;
    /* (Estrin's scheme: a shorter chain than Horner's) */
    VD z = th * th, z2 = z * z, z4 = z2 * z2;
    VD P = MAD(z2, MAD(z, spl(ATAN_P9), spl(ATAN_P7)), MAD(z, spl(ATAN_P5), spl(ATAN_P3)));
    P = MAD(z4, MAD(z, spl(ATAN_P13), spl(ATAN_P11)), P);
    VD tail = MAD(th * z, P, tl);
#if VM_HW == 2
    VD ah = (VD)_mm512_i64gather_pd((__m512i)idx, vm_atan_hi, 8);
    VD al = (VD)_mm512_i64gather_pd((__m512i)idx, vm_atan_lo, 8);
#elif VM_HW
    VD ah = (VD)_mm256_i64gather_pd(vm_atan_hi, (__m256i)idx, 8);
    VD al = (VD)_mm256_i64gather_pd(vm_atan_lo, (__m256i)idx, 8);
#else
    VD ah = {vm_atan_hi[idx[0]], vm_atan_hi[idx[1]], vm_atan_hi[idx[2]], vm_atan_hi[idx[3]]};
    VD al = {vm_atan_lo[idx[0]], vm_atan_lo[idx[1]], vm_atan_lo[idx[2]], vm_atan_lo[idx[3]]};
#endif
    VQ flip = (VQ)neg & 0x8000000000000000ULL;
    ah = (VD)((VQ)ah ^ flip);
    al = (VD)((VQ)al ^ flip);
    th = (VD)((VQ)th ^ flip);
    tail = (VD)((VQ)tail ^ flip);
    VD s1, e1, s2, e2;
    K_(atan_two_sum)(bh, ah, &s1, &e1);
    K_(atan_two_sum)(s1, th, &s2, &e2);
    VD lo = (e1 + e2) + (bl + (al + tail));
    VD rh = s2 + lo;
    VD rl = lo - (rh - s2);
    *out = rh;
    /* half an ulp of rh (rh > 0), its distance from |rl| */
    VQ ex = (VQ)rh & 0x7ff0000000000000ULL;
    VD half = (VD)(ex - (53ULL << 52));
    VD arl = (VD)((VQ)rl & 0x7fffffffffffffffULL);
    VD m = mabs + rh * mrel;
    return (VL)(half - arl <= m) | (VL)(ex < ((uint64_t)(0x3ff - 960) << 52))
        | (VL)(((VQ)rh & 0x000fffffffffffffULL) == 0);
}

/* atan(x) for VM_W lanes: x itself below 2^-27 (libm's too), +-pi/2 rounded from 2^60 on
   (libm's from 5.8e15), atan_core(min(|x|, 1), max(|x|, 1)) between, pi/2 minus it above 1 */
VM_ATTR VM_INL int
K_(atand4)(const double *xp, double *yp)
{
    VD x;
    memcpy(&x, xp, sizeof x);
    VQ sg = (VQ)x & 0x8000000000000000ULL;
    VD ax = (VD)((VQ)x ^ sg);
    VL spec = (VL)(ax != ax);
    VL tiny = (VL)(ax < 0x1p-27), big = (VL)(ax >= 0x1p60);
    VD u = vdsel(tiny | big | spec, spl(0.5), ax);
    VL inv = (VL)(u > 1.0);
    VD a = vdsel(inv, spl(1.0), u), b = vdsel(inv, u, spl(1.0));
    /* libm's deviation: 2^-57 relative below 1/16, 2^-58 absolute above; ours 2^-62 */
    VL sm = (VL)(u < 0.0625);
    VD rh;
    VL near = K_(atan_core)(a, b, vdsel(inv, spl(ATAN_HPI_HI), spl(0.0)),
                            vdsel(inv, spl(ATAN_HPI_LO), spl(0.0)), inv,
                            vdsel(sm, spl(0.0), spl(0x1p-58)),
                            vdsel(sm, spl(0x1p-57 + 0x1p-62), spl(0x1p-62)), &rh);
    VD y = (VD)((VQ)rh | sg);
    y = vdsel(tiny, x, y);
    y = vdsel(big, (VD)((VQ)spl(ATAN_HPI_HI) | sg), y);
    memcpy(yp, &y, sizeof y);
    return K_(mask4d)(spec | (near & ~tiny & ~big));
}
/* the double loops of this file: VM_LOOPD's, two steps at a time where y does not overlap x
   (their chains of divisions overlap), 64 such pairs a block, and then libm for the block's
   flagged lanes (a few in a hundred here: one test a pair, not one mispredicted branch) */
#define VM_ATAN_LOOPD(NAME, KERN, LIBF)                                                      \
    VM_ATTR static void                                                                      \
    K_(NAME)(const double *x, double *y, ptrdiff_t n)                                        \
    {                                                                                        \
        ptrdiff_t i = 0;                                                                     \
        int overlap = (uintptr_t)(x + n) > (uintptr_t)y && (uintptr_t)(y + n) > (uintptr_t)x;  \
        double xb[64 * 2 * VM_W]; /* (y is x: the block's inputs, for libm's lanes) */       \
        if (!overlap || x == y)                                                              \
            while (i + 2 * VM_W <= n) {                                                      \
                ptrdiff_t steps = (n - i) / (2 * VM_W) < 64 ? (n - i) / (2 * VM_W) : 64;     \
                const double *xi = x + i;                                                    \
                if (overlap) {                                                               \
                    memcpy(xb, xi, steps * 2 * VM_W * sizeof(double));                       \
                    xi = xb;                                                                 \
                }                                                                            \
                uint32_t ms[64];                                                             \
                uint64_t left = 0;                                                           \
                for (ptrdiff_t j = 0; j < steps; j++) {                                      \
                    const double *xj = xi + j * 2 * VM_W;                                    \
                    double *yj = y + i + j * 2 * VM_W;                                       \
                    ms[j] = (uint32_t)KERN(xj, yj)                                           \
                        | (uint32_t)KERN(xj + VM_W, yj + VM_W) << VM_W;                      \
                    left |= (uint64_t)(ms[j] != 0) << j;                                     \
                }                                                                            \
                while (left) {                                                               \
                    int j = __builtin_ctzll(left);                                           \
                    left &= left - 1;                                                        \
                    for (uint32_t m = ms[j]; m; m &= m - 1) {                                \
                        ptrdiff_t at = j * 2 * VM_W + __builtin_ctz(m);                      \
                        y[i + at] = LIBF(xi[at]);                                            \
                    }                                                                        \
                }                                                                            \
                i += steps * 2 * VM_W;                                                       \
            }                                                                                \
        for (; i + VM_W <= n; i += VM_W) {                                                   \
            double xc[VM_W];                                                                 \
            memcpy(xc, x + i, sizeof xc);                                                    \
            int m = KERN(xc, y + i);                                                         \
            if (__builtin_expect(m != 0, 0))                                                 \
                vm_fixd(m, xc, y + i, LIBF);                                                 \
        }                                                                                    \
        VM_TAILD(KERN, LIBF)                                                                 \
    }
VM_ATAN_LOOPD(vm_atand, K_(atand4), atan)

/* atan2(y, x) for VM_W lanes: atan_core(min, max of |y|, |x|, scaled by 2^-600 where the max
   is above 2^900, by 2^600 where the min is below 2^-900)
   plus 0, pi/2 or pi (by the signs and which is larger), y's sign; x or y 0, inf or NaN go to
   libm */
VM_ATTR VM_INL int
K_(atan2d4)(const double *yp, const double *xp, double *op)
{
    VD y, x;
    memcpy(&y, yp, sizeof y);
    memcpy(&x, xp, sizeof x);
    VQ sy = (VQ)y & 0x8000000000000000ULL, sx = (VQ)x & 0x8000000000000000ULL;
    VD ay = (VD)((VQ)y ^ sy), ax = (VD)((VQ)x ^ sx);
    /* (0 < |v| < inf: v's bits minus one below those of inf minus one) */
    VL spec = (VL)((VQ)ay - 1 >= 0x7fefffffffffffffULL) | (VL)((VQ)ax - 1 >= 0x7fefffffffffffffULL);
    ay = vdsel(spec, spl(1.0), ay);
    ax = vdsel(spec, spl(1.0), ax);
    VL swap = (VL)(ay > ax);
    VD a = vdsel(swap, ax, ay), b = vdsel(swap, ay, ax);
    /* (where a < 2^-900 and b >= 2^300, a/b < 2^-1200: a result below 2^-960, libm's, or
       nothing next to pi/2 or pi) */
    VD sc = vdsel((VL)(b > 0x1p900), spl(0x1p-600),
                  vdsel((VL)(a < 0x1p-900) & (VL)(b < 0x1p300), spl(0x1p600), spl(1.0)));
    a *= sc;
    b *= sc;
    VL xneg = (VL)sx != 0;
    /* x > 0: atan(a/b) or pi/2 - it (swapped); x < 0: pi/2 + it (swapped) or pi - it */
    VD bh = vdsel(swap, spl(ATAN_HPI_HI), vdsel(xneg, spl(ATAN_PI_HI), spl(0.0)));
    VD bl = vdsel(swap, spl(ATAN_HPI_LO), vdsel(xneg, spl(ATAN_PI_LO), spl(0.0)));
    VL neg = swap ^ xneg;
    /* libm's deviation: 2^-57 relative where it sums a polynomial on its own (x > 0, |y| <
       |x|, ratio below 1/16), 2^-58 absolute elsewhere */
    VL sm = ~swap & ~xneg & (VL)(a < b * 0.0625);
    VD rh;
    VL near = K_(atan_core)(a, b, bh, bl, neg, vdsel(sm, spl(0.0), spl(0x1p-58)),
                            vdsel(sm, spl(0x1p-57 + 0x1p-62), spl(0x1p-62)), &rh);
    VD out = (VD)((VQ)rh | sy);
    memcpy(op, &out, sizeof out);
    return K_(mask4d)(spec | near);
}

/* out[i] = atan2(y[i], x[i]) for i < n, x[i] the number xv where x is NULL; as vm_atan2f */
VM_ATTR static void
K_(vm_atan2d)(const double *y, const double *x, double xv, double *out, ptrdiff_t n)
{
    enum { S = VM_W };
    double xs[S];
    for (int j = 0; j < S; j++)
        xs[j] = xv;
    int overlap = ((uintptr_t)(y + n) > (uintptr_t)out && (uintptr_t)(out + n) > (uintptr_t)y)
        || (x && (uintptr_t)(x + n) > (uintptr_t)out && (uintptr_t)(out + n) > (uintptr_t)x);
    ptrdiff_t i = 0;
    /* two steps at a time, 64 pairs a block, then libm for the block's flagged lanes (as
       VM_ATAN_LOOPD); where out is y or x, the block's inputs through a copy */
    int same = overlap && (out == y || (uintptr_t)(y + n) <= (uintptr_t)out
                           || (uintptr_t)(out + n) <= (uintptr_t)y)
        && (!x || out == x || (uintptr_t)(x + n) <= (uintptr_t)out
            || (uintptr_t)(out + n) <= (uintptr_t)x);
    double yc[64 * 2 * S], xc[64 * 2 * S];
    while ((!overlap || same) && i + 2 * S <= n) {
        ptrdiff_t steps = (n - i) / (2 * S) < 64 ? (n - i) / (2 * S) : 64;
        const double *yi = y + i, *xi = x ? x + i : NULL;
        if (same) {
            memcpy(yc, yi, steps * 2 * S * sizeof(double));
            yi = yc;
            if (x) {
                memcpy(xc, xi, steps * 2 * S * sizeof(double));
                xi = xc;
            }
        }
        uint32_t ms[64];
        uint64_t left = 0;
        if (x)
            for (ptrdiff_t j = 0; j < steps; j++) {
                ptrdiff_t at = j * 2 * S;
                ms[j] = (uint32_t)K_(atan2d4)(yi + at, xi + at, out + i + at)
                    | (uint32_t)K_(atan2d4)(yi + at + S, xi + at + S, out + i + at + S) << S;
                left |= (uint64_t)(ms[j] != 0) << j;
            }
        else
            for (ptrdiff_t j = 0; j < steps; j++) {
                ptrdiff_t at = j * 2 * S;
                ms[j] = (uint32_t)K_(atan2d4)(yi + at, xs, out + i + at)
                    | (uint32_t)K_(atan2d4)(yi + at + S, xs, out + i + at + S) << S;
                left |= (uint64_t)(ms[j] != 0) << j;
            }
        while (left) {
            int j = __builtin_ctzll(left);
            left &= left - 1;
            for (uint32_t m = ms[j]; m; m &= m - 1) {
                ptrdiff_t at = j * 2 * S + __builtin_ctz(m);
                out[i + at] = atan2(yi[at], x ? xi[at] : xv);
            }
        }
        i += steps * 2 * S;
    }
    for (; i < n; i += S) {
        double yb[S], xb[S], ob[S];
        ptrdiff_t len = n - i < S ? n - i : S;
        const double *ya = y + i, *xa = x ? x + i : xs;
        double *oa = out + i;
        if (overlap || len < S) {
            for (int j = 0; j < S; j++)
                yb[j] = xb[j] = 1.0;
            memcpy(yb, ya, len * sizeof(double));
            memcpy(xb, xa, len * sizeof(double));
            ya = yb;
            xa = xb;
        }
        if (len < S)
            oa = ob;
        int m = K_(atan2d4)(ya, xa, oa) & (int)((1u << len) - 1);
        for (int j = 0; m; j++, m >>= 1)
            if (m & 1)
                oa[j] = atan2(ya[j], xa[j]);
        if (oa == ob)
            memcpy(out + i, ob, len * sizeof(double));
    }
}
