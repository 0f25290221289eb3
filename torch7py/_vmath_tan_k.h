/* The tan lane kernels of _vmath.c (included from _vmath_k.h once per kernel set, with its
   macros: VD/VL/VQ, VF/VI/VU, WF/WI/WU, MAD, K_, spl/spf/spi, the selects and masks).

   Float tan: glibc 2.36's tanf (sysdeps/ieee754/flt-32/s_tanf.c over k_tanf.c; one build, no
   ifunc: objdump of this machine's libm shows nothing fused). |x| <= pi/4 goes straight to
   fdlibm's float kernel __kernel_tanf(x, 0, 1); from there to 120 the reduction is
   optimized-routines' reduce_fast of sinf (in double: n = (trunc(x 2^24 2/pi) + 2^23) >> 24,
   r = x - n pi/2, product and difference rounded apart), split into the floats y0 = r and
   y1 = r - y0, then __kernel_tanf(y0, y1, n even ? 1 : -1). Every operation of both in its
   order on 2 VM_W lanes, the kernel's branches as selects (one quotient per lane: w^2/(w + iy)
   past 0.6744, -1/w for odd n below, -1/x for tiny odd lanes); the algorithms are fdlibm's
   ("Developed at SunPro, a Sun Microsystems, Inc. business. Permission to use, copy, modify,
   and distribute this software is freely granted, provided that this notice is preserved.")
   and ARM's (MIT). |x| >= 120 (Payne-Hanek reduction), inf and NaN go to libm. Float
   arithmetic and an exact replica: no filter. (reduce_fast's n is the same for |x| <= pi/4,
   where glibc does not reduce: 0, and r = x, y1 = +0 as glibc's z.) */
#define TANF_PIO4 0x1.921fb4p-1f    /* 0x3f490fda */
#define TANF_PIO4LO 0x1.4442d0p-25f /* 0x33222168 */
#define TANF_T0 0x1.555556p-2f
#define TANF_T1 0x1.111112p-3f
#define TANF_T2 0x1.ba1ba2p-5f
#define TANF_T3 0x1.664f48p-6f
#define TANF_T4 0x1.226e3ep-7f
#define TANF_T5 0x1.d6d22cp-9f
#define TANF_T6 0x1.7dbc90p-10f
#define TANF_T7 0x1.344d90p-11f
#define TANF_T8 0x1.026f72p-12f
#define TANF_T9 0x1.47e88ap-14f
#define TANF_T10 0x1.2b80f4p-14f
#define TANF_T11 (-0x1.375cbep-16f)
#define TANF_T12 0x1.b2a708p-16f

/* reduce_fast on VM_W lanes: r = x - n pi/2 as a double (unfused), n */
VM_ATTR VM_INL VD
K_(tanf_reduce)(VF xf, VI *np)
{
    VD x = F2D(xf);
    VD rr = x * SINCOSF_HPI_INV;
    VI n = (D2I(rr) + 0x800000) >> 24;
    *np = n;
    VD p = I2D(n) * SINCOSF_HPI;
    return x - p;
}

VM_ATTR VM_INL int
K_(tanf8)(const float *xp, float *yp)
{
    WF x8;
    VF lo, hi;
    memcpy(&x8, xp, sizeof x8);
    memcpy(&lo, xp, sizeof lo);
    memcpy(&hi, xp + VM_W, sizeof hi);
    WI spec = (WI)((((WU)x8 >> 20) & 0x7ff) >= 0x42f);  /* |x| >= 120, inf, NaN */
    VI nlo, nhi;
    VD rlo = K_(tanf_reduce)(lo, &nlo), rhi = K_(tanf_reduce)(hi, &nhi);
    VF y0lo = D2F(rlo), y0hi = D2F(rhi);
    WF x = K_(join)(y0lo, y0hi);
    WF y = K_(join)(D2F(rlo - F2D(y0lo)), D2F(rhi - F2D(y0hi)));
    WI n = (WI)K_(join)((VF)nlo, (VF)nhi);
    /* __kernel_tanf(x, y, iy) */
    WI odd = -(n & 1);
    WF iyf = vsel8(odd, spf(-1.0f), spf(1.0f));
    WI hx = (WI)x, ix = hx & 0x7fffffff, sgn = hx & (int32_t)0x80000000;
    WI big = ix >= 0x3f2ca140;                              /* |x| >= 0.6744 */
    WF xb = (TANF_PIO4 - (WF)ix) + (TANF_PIO4LO - (WF)((WI)y ^ sgn));
    WF xk = vsel8(big, xb, x), yk = vsel8(big, spf(0.0f), y);
    WF z = xk * xk;
    WF w = z * z;
    WF r = TANF_T1 + w * (TANF_T3 + w * (TANF_T5 + w * (TANF_T7 + w * (TANF_T9
                                                                         + w * TANF_T11))));
    WF v = z * (TANF_T2 + w * (TANF_T4 + w * (TANF_T6 + w * (TANF_T8 + w * (TANF_T10
                                                                         + w * TANF_T12)))));
    WF s = z * xk;
    r = yk + z * (s * (r + v) + yk);
    r += TANF_T0 * s;
    w = xk + r;
    /* the one quotient: w^2/(w + iy) (big), -1/x (tiny), -1/w */
    WI tiny = ix < 0x39000000;                              /* |x| < 2^-13 */
    WF num = vsel8(big, w * w, spf(-1.0f));
    WF den = vsel8(big, w + iyf, vsel8(tiny, x, w));
    WF q = num / den;
    /* big: sgn (iy - 2 (x - (q - r))); near pi/4 (|x| < 2^-13 after the flip): sgn iy
       (1 - 2 iy x) */
    WF rb = (WF)((WI)(iyf - 2.0f * (xk - (q - r))) ^ sgn);
    WF rs = (WF)((WI)(1.0f - (iyf + iyf) * xk) ^ sgn ^ (odd & (int32_t)0x80000000));
    WI near4 = ((WI)xk & 0x7fffffff) < 0x39000000;
    rb = vsel8(near4, rs, rb);
    /* odd n below 0.6744: -1/(x + r) accurately from a = -1/w */
    WF zz = (WF)((WI)w & (int32_t)0xfffff000);
    WF vv = r - (zz - xk);
    WF t = (WF)((WI)q & (int32_t)0xfffff000);
    WF ss = 1.0f + t * zz;
    WF rm = t + q * (ss + t * vv);
    WF res = vsel8(big, rb, vsel8(odd, rm, w));
    res = vsel8(tiny, vsel8(odd, q, x), res);
    memcpy(yp, &res, sizeof res);
    return K_(mask8i)(spec | (tiny & odd & (ix == 0)));
}
VM_LOOP8(vm_tanf, K_(tanf8), tanf)

/* Double tan (glibc 2.36's dbl-64 s_tan.c, IBM's: its multi-precision slow paths are gone, so
   it is no longer correctly rounded: "max ULP ~0.619"). Accurate + filter, with an algorithm of
   our own: x = n pi/2 + r by Cody-Waite in three parts (pi/2 = P1 + P2 + P3, P1 rounded: x - n P1
   is exact, n P2 a double-double), tan(|r|) = (T + t)/(1 - T t), -cot(|r|) its negative
   reciprocal, with T = tan(i/128) (i = round(128 |r|), a double-double from a table made at
   init from Taylor series of sin and cos in double-double) and t = tan(|r| - i/128) from its
   Taylor polynomial through b^9 (|b| <= 2^-8), all in double-double, one quotient per lane.
   Relative error below 2^-66. Then the filter: a lane whose value lies within libm's own error
   bound (plus ours) of a rounding midpoint goes to libm, where glibc's result may be either
   neighbour; elsewhere glibc's result is the correctly rounded one, as ours. Its bound, from
   s_tan.c's paths: |y| <= 0.0608 after its reduction, a polynomial (its comment: max 0.506
   ulp; TAN_KC below); else tan(x_j + z) = f_j + z (1 + f_j^2) (...) from a table at x_j ~
   j/256 (|z| <= 2^-9), whose last term carries a few roundings of z (1 + y^2): TAN_KT 2^-53
   (|z| + TAN_DZ) (1 + y^2) plus TAN_KCT ulp (its x_j: the nearest multiple of 1/256 of |x|
   below 0.787, of |r| above). Measured (libm against mpmath on 1e6 inputs, and the kernel
   against libm on 1e8 inputs at smaller constants): libm goes past the midpoint by at most
   0.0013 ulp + 3.6 (the KT term) where we measured, the kernel first differs at TAN_KT 3 and
   TAN_KC 0.004; the constants are about twice those (and KC 2.7 times s_tan.c's 0.006).
   |x| >= 2^26 (s_tan.c's reduction keeps its error bound to 1e8), |r| < 2^-30 (where its
   reduction's absolute error, ~2^-102, would matter), powers of two, subnormal results, inf
   and NaN go to libm. Only the sets with FMA (double-double products): the portable set
   keeps libm's loop. */
#ifndef VM_TAN_TABLES
#define VM_TAN_TABLES
static double vm_tan_tab[104][2] __attribute__((aligned(16)));

static void
vm_dd_norm(double *h, double *l)
{
    double s = *h + *l;
    *l = *l - (s - *h);
    *h = s;
}

/* (h, l) * d, (h, l) / d, (h, l) + (h2, l2) in double-double */
static void
vm_dd_muld(double *h, double *l, double d)
{
    double p = *h * d;
    double e = fma(*h, d, -p) + *l * d;
    *h = p;
    *l = e;
    vm_dd_norm(h, l);
}

static void
vm_dd_divd(double *h, double *l, double d)
{
    double q = *h / d;
    double r = fma(-q, d, *h) + *l;
    *h = q;
    *l = r / d;
    vm_dd_norm(h, l);
}

static void
vm_dd_add(double *h, double *l, double h2, double l2)
{
    double s = *h + h2, bv = s - *h;
    double e = (*h - (s - bv)) + (h2 - bv) + *l + l2;
    *h = s;
    *l = e;
    vm_dd_norm(h, l);
}

/* tan(i/128), i = 0..103: sin/cos by their Taylor series, the quotient by two corrections */
static void
vm_tan_init(void)
{
    for (int i = 0; i < 104; i++) {
        double a = i / 128.0, a2 = a * a;   /* (exact) */
        double sh = a, sl = 0, ch = 1, cl = 0, th = a, tl = 0, uh = 1, ul = 0;
        for (int k = 1; k < 24; k++) {
            vm_dd_muld(&th, &tl, -a2);
            vm_dd_divd(&th, &tl, (2.0 * k) * (2.0 * k + 1));
            vm_dd_add(&sh, &sl, th, tl);
            vm_dd_muld(&uh, &ul, -a2);
            vm_dd_divd(&uh, &ul, (2.0 * k - 1) * (2.0 * k));
            vm_dd_add(&ch, &cl, uh, ul);
        }
        double qh = sh / ch, ql = 0;
        for (int it = 0; it < 2; it++) {  /* q += (s - q c)/c */
            double ph = ch, pl = cl;
            vm_dd_muld(&ph, &pl, qh);
            double mh = -ph, ml = -pl;
            vm_dd_add(&mh, &ml, sh, sl);
            double mh2 = ql, ml2 = 0;
            vm_dd_muld(&mh2, &ml2, ch);   /* (the low part's own product, for the 2nd round) */
            vm_dd_add(&mh, &ml, -mh2, -ml2);
            double c = mh / ch;
            double nh = qh, nl = ql;
            vm_dd_add(&nh, &nl, c, 0);
            qh = nh;
            ql = nl;
        }
        vm_tan_tab[i][0] = qh;
        vm_tan_tab[i][1] = ql;
    }
}
#endif

#if VM_HW
#define TAN_TWO_OVER_PI 0x1.45f306dc9c883p-1
#define TAN_P1 0x1.921fb54442d18p0
#define TAN_P2 0x1.1a62633145c07p-54
#define TAN_P3 (-0x1.f1976b7ed8fbcp-110)
#define TAN_C3 0x1.5555555555555p-2       /* 1/3 */
#define TAN_C5 0x1.1111111111111p-3       /* 2/15 */
#define TAN_C7 0x1.ba1ba1ba1ba1cp-5       /* 17/315 */
#define TAN_C9 0x1.664f4882c10fap-6       /* 62/2835 */
#define TAN_G2 0x1.f212dp-5               /* s_tan.c's 0.0608 */
#define TAN_G3 0x1.92f1ap-1               /* its 0.787 */
#ifndef TAN_KT
#define TAN_KT 8.0
#endif
#ifndef TAN_KC
#define TAN_KC 0.016    /* (ulps: the polynomial path) */
#endif
#ifndef TAN_KCT
#define TAN_KCT 0.004   /* (ulps: the table path's constant part) */
#endif
#ifndef TAN_DZ
#define TAN_DZ 0x1p-20
#endif

VM_ATTR VM_INL int
K_(tand4)(const double *xp, double *yp)
{
    VD x;
    memcpy(&x, xp, sizeof x);
    VQ sign = (VQ)spl(-0.0);
    VD ax = (VD)((VQ)x & ~sign);
    VL spec = ~(VL)(ax < 0x1p26);                   /* (NaN too) */
    VD kd = MAD(x, spl(TAN_TWO_OVER_PI), spl(0x1.8p52));
    VQ odd = (VQ)kd << 63;
    kd -= 0x1.8p52;
    /* r = x - n pi/2 = rh + rl */
    VD r1 = MAD(-kd, spl(TAN_P1), x);              /* exact */
    VD p2 = kd * TAN_P2, p2e = MAD(kd, spl(TAN_P2), -p2);
    VD s = r1 - p2, bv = s - r1;
    VD er = (r1 - (s - bv)) + (-p2 - bv);
    VD lo = (er - p2e) - kd * TAN_P3;
    VD rh = s + lo, rl = lo - (rh - s);
    VQ rs = (VQ)rh & sign;
    VD a = (VD)((VQ)rh ^ rs), al = (VD)((VQ)rl ^ rs);
    spec |= (VL)(a < 0x1p-30);
    /* T = tan(i/128), b = a - i/128 (exact) + al, t = tan(b) */
    VD id = MAD(a, spl(128.0), spl(0x1.8p52));
    VQ iq = (VQ)id & 127;
    id -= 0x1.8p52;
    VD bh = MAD(id, spl(-1.0 / 128), a);
    VD b2 = bh * bh;
    VD pb = MAD(b2, spl(TAN_C9), spl(TAN_C7));
    pb = MAD(pb, b2, spl(TAN_C5));
    pb = MAD(pb, b2, spl(TAN_C3));
    VD tl0 = MAD(pb, bh * b2, al);
    VD th = bh + tl0;
    bv = th - bh;
    VD tl = (bh - (th - bv)) + (tl0 - bv);
    /* (T_h, T_l) pairs by 16-byte loads, two per 128-bit lane, then unpacked (a gather costs
       more on AMD's Zen) */
    uint64_t off[VM_W] __attribute__((aligned(64)));
    VQ offv = iq << 4;
    memcpy(off, &offv, sizeof off);
#define TAN_PAIR(j) _mm_load_pd((const double *)((const char *)vm_tan_tab + off[j]))
#define TAN_PAIRS(j) _mm256_insertf128_pd(_mm256_castpd128_pd256(TAN_PAIR(j)), TAN_PAIR(j + 2), 1)
#if VM_HW == 2
    __m512d ta = _mm512_insertf64x4(_mm512_castpd256_pd512(TAN_PAIRS(0)), TAN_PAIRS(4), 1);
    __m512d tb = _mm512_insertf64x4(_mm512_castpd256_pd512(TAN_PAIRS(1)), TAN_PAIRS(5), 1);
    VD Th = (VD)_mm512_unpacklo_pd(ta, tb), Tl = (VD)_mm512_unpackhi_pd(ta, tb);
#else
    __m256d ta = TAN_PAIRS(0), tb = TAN_PAIRS(1);
    VD Th = (VD)_mm256_unpacklo_pd(ta, tb), Tl = (VD)_mm256_unpackhi_pd(ta, tb);
#endif
#undef TAN_PAIRS
#undef TAN_PAIR
    /* num = T + t, den = 1 - T t */
    VD nh = Th + th;
    bv = nh - Th;
    VD nl = ((Th - (nh - bv)) + (th - bv)) + (Tl + tl);
    VD p = Th * th, pe = MAD(Th, th, -p);
    VD dh = 1.0 - p;
    VD dl = ((1.0 - dh) - p) - (pe + MAD(Th, tl, Tl * th));
    /* tan: num/den; -cot: -den/num */
    VL oddm = (VL)odd >> 63;
    VD Nh = vdsel(oddm, dh, nh), Nl = vdsel(oddm, dl, nl);
    VD Dh = vdsel(oddm, nh, dh), Dl = vdsel(oddm, nl, dl);
    VD rcp = 1.0 / Dh;
    VD q1 = Nh * rcp;
    VD rem = MAD(-q1, Dh, Nh) + MAD(-q1, Dl, Nl);
    VD q2 = rem * rcp;
    VD y = q1 + q2;
    VD e = (q1 - y) + q2;                          /* (the value's distance from y) */
    /* the filter: | |e| - ulp/2 | within libm's error bound and ours */
    VD hv = (VD)((VQ)y & 0x7ff0000000000000ULL) * 0x1p-53;
    VD ae = (VD)((VQ)e & ~sign);
    VD d = ae - hv;
    d = (VD)((VQ)d & ~sign);
    VD ya = vdsel((VL)(ax <= TAN_G3), ax, a);
    VD zr = MAD(ya, spl(256.0), spl(0x1.8p52)) - 0x1.8p52;
    VD zg = (VD)((VQ)MAD(zr, spl(-1.0 / 256), ya) & ~sign);
    VD mt = (zg + TAN_DZ) * MAD(y, y, spl(1.0)) * (TAN_KT * 0x1p-53);
    /* (a lane within 2^-40 of 0.0608 takes the table path's, larger, margin: our |r| and
       s_tan.c's may differ in their last bits) */
    VD marg = vdsel((VL)(ya > TAN_G2 * (1 - 0x1p-40)), MAD(hv, spl(2 * TAN_KCT), mt),
                    hv * (2 * TAN_KC));
    VL near = (VL)(d <= marg) | (VL)(((VQ)y & 0x000fffffffffffffULL) == 0);
    y = (VD)((VQ)y ^ rs ^ odd);
    memcpy(yp, &y, sizeof y);
    return K_(mask4d)(spec | near);
}

/* the loop: blocks of VM_TAN_BLOCK elements through the kernel, the inputs of the lanes it
   hands back kept, then libm for those (one switch from vector code per block, not per
   step); the tail through a padded copy */
#define VM_TAN_BLOCK 512
VM_ATTR static void
K_(vm_tand)(const double *x, double *y, ptrdiff_t n)
{
    ptrdiff_t at[VM_TAN_BLOCK + VM_W];
    double xk[VM_TAN_BLOCK + VM_W];
    ptrdiff_t i = 0;
    while (i < n) {
        ptrdiff_t end = n - i < VM_TAN_BLOCK ? n : i + VM_TAN_BLOCK;
        int k = 0;
        for (; i < end; i += VM_W) {
            double xc[VM_W], yb[VM_W];
            ptrdiff_t len = end - i < VM_W ? end - i : VM_W;
            double *ys = len < VM_W ? yb : y + i;
            if (len < VM_W) {
                for (int j = 0; j < VM_W; j++)
                    xc[j] = 1.0;
                memcpy(xc, x + i, len * sizeof(double));
            } else
                memcpy(xc, x + i, sizeof xc);  /* (y may be x) */
            int m = K_(tand4)(xc, ys) & ((1 << len) - 1);
            if (ys == yb)
                memcpy(y + i, yb, len * sizeof(double));
#if VM_HW == 2
            /* (branch-free: the flagged lanes' indices and inputs packed to the front) */
            __m512i iv = _mm512_add_epi64(_mm512_set1_epi64(i),
                                          _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0));
            _mm512_storeu_si512(at + k, _mm512_maskz_compress_epi64((__mmask8)m, iv));
            _mm512_storeu_pd(xk + k, _mm512_maskz_compress_pd((__mmask8)m, _mm512_loadu_pd(xc)));
            k += __builtin_popcount(m);
#else
            for (; m; m &= m - 1) {
                int j = __builtin_ctz(m);
                at[k] = i + j;
                xk[k++] = xc[j];
            }
#endif
        }
        for (int j = 0; j < k; j++)
            y[at[j]] = tan(xk[j]);
    }
}
#endif
