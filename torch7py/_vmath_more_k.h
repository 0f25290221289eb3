/* More lane kernels of _vmath.c (included from _vmath_k.h, once per kernel set, with its macros:
   VD/VL/VQ, VF/VI/VU, WF/WI/WU, MAD, K_, spl/spf/spi, the selects and masks). Each replicates
   glibc 2.36's function operation for operation, MAD where the build the dynamic loader picks on
   this set's CPUs fuses (the AVX2+FMA and AVX-512 sets: glibc's FMA build, read from objdump;
   the portable set: its baseline build, MAD a product and a sum); lanes outside the replicated
   paths go to libm (powf: the float filter of _vmath_k.h's expf instead). Double log1p,
   cosh, sinh; float log1p, atan, asin, acos, sinh, cosh; powf(x, y) for one y. The algorithms
   are fdlibm's ("Developed at SunPro, a Sun Microsystems, Inc. business. Permission to use,
   copy, modify, and distribute this software is freely granted, provided that this notice is
   preserved."; glibc's asinf takes its polynomial from Cephes) and ARM's optimized-routines'
   (powf, MIT licensed), as glibc 2.36 ships them. */

/* fdlibm's log1p (glibc's dbl-64 s_log1p.c; x86-64 picks __log1p_fma where the CPU has FMA and
   AVX2): 1 + x = 2^k (1 + f), sqrt(2)/2 < 1 + f < sqrt(2), with the rounding of 1 + x as a
   correction c / u; log1p(f) = f - (hfsq - s (hfsq + R(s^2))), s = f / (2 + f), and a shorter
   form where |f| < 2^-20. Every path of a finite x > -1 in every lane, one selected; x <= -1,
   +inf and NaN go to libm. */
#define LOG1P_LN2_HI 0x1.62e42feep-1
#define LOG1P_LN2_LO 0x1.a39ef35793c76p-33
#define LOG1P_LP1 0x1.5555555555593p-1
#define LOG1P_LP2 0x1.999999997fa04p-2
#define LOG1P_LP3 0x1.2492494229359p-2
#define LOG1P_LP4 0x1.c71c51d8e78afp-3
#define LOG1P_LP5 0x1.7466496cb03dep-3
#define LOG1P_LP6 0x1.39a09d078c69fp-3
#define LOG1P_LP7 0x1.2f112df3e5244p-3
#define LOG1P_TWO3 0x1.5555555555555p-1 /* 0.66666666666666666 */

/* small integers (|k| < 2^31) as doubles: exact through the 1.5 2^52 shifter (AVX2 has no
   int64 conversion instruction) */
#define VM_I2DQ(k) ((VD)((VQ)(k) + 0x4338000000000000ULL) - 0x1.8p52)

VM_ATTR VM_INL int
K_(log1pd4)(const double *xp, double *yp)
{
    VD x;
    memcpy(&x, xp, sizeof x);
    VL hx = (VL)x >> 32;                        /* the signed high word */
    VL ax = hx & 0x7fffffff;
    VL spec = ~((VL)(x > -1.0) & (hx < 0x7ff00000));    /* x <= -1, +inf, NaN */
    /* -0.2929 < x < 0.41422: k = 0, f = x */
    VL k0 = (hx < 0x3fda827a) & ((hx > 0) | (hx <= (int64_t)(int32_t)0xbfd2bec3));
    VL big = hx >= 0x43400000;                  /* x >= 2^53: u = x, c = 0 */
    VD u = vdsel(big, x, 1.0 + x);
    VL hu = (VL)u >> 32;
    VL k = (hu >> 20) - 1023;
    VD c = vdsel(k > 0, 1.0 - (u - x), x - (u - 1.0)) / u;
    c = vdsel(big, spl(0.0), c);
    hu &= 0xfffff;
    VL up = hu >= 0x6a09e;                      /* normalize u/2 */
    k -= up;
    u = (VD)(((VQ)u & 0xffffffffULL) | ((VQ)(hu | vdseli(up, 0x3fe00000, 0x3ff00000)) << 32));
    hu = vdseli(up, (0x00100000 - hu) >> 2, hu);
    VD f = vdsel(k0, x, u - 1.0);
    k = vdseli(k0, 0, k);
    hu = vdseli(k0, 1, hu);
    VD kd = VM_I2DQ(k);
    VD hfsq = (0.5 * f) * f;
    VD lo = MAD(kd, spl(LOG1P_LN2_LO), c);      /* k ln2_lo + c */
    VD khi = kd * LOG1P_LN2_HI;                 /* (exact: |k| < 2^11, ln2_hi's low bits 0) */
    VL kz = k == 0;
    /* |f| >= 2^-20 */
    VD s = f / (2.0 + f);
    VD z = s * s;
    VD R2 = MAD(z, spl(LOG1P_LP3), spl(LOG1P_LP2));
    VD R3 = MAD(z, spl(LOG1P_LP5), spl(LOG1P_LP4));
    VD R4 = MAD(z, spl(LOG1P_LP7), spl(LOG1P_LP6));
    VD z2 = z * z;
    VD z4 = z2 * z2;
    VD z6 = z4 * z2;
    VD R = MAD(z6, R4, MAD(z4, R3, MAD(z, spl(LOG1P_LP1), z2 * R2)));
    VD t = s * (hfsq + R);
    VD y = vdsel(kz, f - (hfsq - t), khi - ((hfsq - (t + lo)) - f));
    VL hz = hu == 0, tiny = ax < 0x3e200000;
    if (__builtin_expect(K_(mask4d)(hz | tiny) != 0, 0)) {  /* (rare in most data) */
        /* |f| < 2^-20 (hu 0): f = 0 exactly, or hfsq (1 - 2/3 f) */
        VD Rs = hfsq * MAD(-f, spl(LOG1P_TWO3), spl(1.0));
        VD ys = vdsel(kz, f - Rs, khi - ((Rs - lo) - f));
        VD yz = vdsel(kz, spl(0.0), khi + lo);
        y = vdsel(hz, vdsel(f == 0.0, yz, ys), y);
        /* |x| < 2^-29: x - x^2/2 (the halving exact), x itself below 2^-54 */
        VD yt = vdsel(ax < 0x3c900000, x, x - (x * x) * 0.5);
        y = vdsel(tiny, yt, y);
    }
    memcpy(yp, &y, sizeof y);
    return K_(mask4d)(spec);
}
#if VM_HW == 2
/* double log1p on two steps of 8 lanes, the common case in fewer operations: log1pd4's
   operations in its order (the same fused ones), its selects as AVX-512 masks, the two steps'
   operations interleaved (VM_EACH2); a pair of steps with a lane outside [2^-29, 2^53) in
   magnitude or at most -1, inf or NaN, or whose 1 + f is a power of 2 (hu 0: fdlibm's
   |f| < 2^-20 branch), is log1pd4's */
VM_ATTR VM_INL int
K_(log1pd16)(const double *xp, double *yp)
{
    __m512d x[2];
    VM_EACH2(x[h] = _mm512_loadu_pd(xp + 8 * h));
    const __m512d one = _mm512_set1_pd(1.0);
    /* log1pd4's tests of the signed high word hx as comparisons of doubles (the same sets:
       hx < 0x43400000 is x < 2^53, |hx| >= 0x3e200000 is |x| >= 2^-29; NaN fails x > -1) */
    __mmask8 ok[2];
    VM_EACH2(ok[h] = _mm512_cmp_pd_mask(x[h], _mm512_set1_pd(-1.0), _CMP_GT_OQ)
                     & _mm512_cmp_pd_mask(x[h], _mm512_set1_pd(0x1p53), _CMP_LT_OQ)
                     & (_mm512_cmp_pd_mask(x[h], _mm512_set1_pd(0x1p-29), _CMP_GE_OQ)
                        | _mm512_cmp_pd_mask(x[h], _mm512_set1_pd(-0x1p-29), _CMP_LE_OQ)));
    if (__builtin_expect((__mmask8)(ok[0] & ok[1]) != 0xff, 0))
        return 1;
    /* -0.2929 < x < 0.41422: k = 0, f = x (hx < 0x3fda827a: x below the double of high word
       0x3fda827a; hx > 0 or hx <= (int32_t)0xbfd2bec3: x above -(that of 0x3fd2bec4); 0 and
       tiny x are not here) */
    __mmask8 k0[2];
    VM_EACH2(k0[h] = _mm512_cmp_pd_mask(x[h], _mm512_set1_pd(0x1.a827ap-2), _CMP_LT_OQ)
                     & _mm512_cmp_pd_mask(x[h], _mm512_set1_pd(-0x1.2bec4p-2), _CMP_GT_OQ));
    __m512d u[2];
    VM_EACH2(u[h] = _mm512_add_pd(one, x[h]));
    __m512i ub[2];
    VM_EACH2(ub[h] = _mm512_castpd_si512(u[h]));
    __m512i hu[2];
    VM_EACH2(hu[h] = _mm512_srli_epi64(ub[h], 32));  /* (u > 0) */
    __m512i k[2];
    VM_EACH2(k[h] = _mm512_sub_epi64(_mm512_srli_epi64(hu[h], 20), _mm512_set1_epi64(1023)));
    /* c = (k > 0 ? 1 - (u - x) : x - (u - 1)) / u */
    __mmask8 kpos[2];
    VM_EACH2(kpos[h] = _mm512_cmpgt_epi64_mask(k[h], _mm512_setzero_si512()));
    __m512d cd[2];
    VM_EACH2(cd[h] = _mm512_sub_pd(u[h], _mm512_mask_blend_pd(kpos[h], one, x[h])));
    __m512d c[2];
    VM_EACH2(c[h] = _mm512_div_pd(
                 _mm512_sub_pd(_mm512_mask_blend_pd(kpos[h], x[h], one), cd[h]), u[h]));
    VM_EACH2(hu[h] = _mm512_and_si512(hu[h], _mm512_set1_epi64(0xfffff)));
    __mmask8 up[2];
    VM_EACH2(up[h] = _mm512_cmpge_epi64_mask(hu[h], _mm512_set1_epi64(0x6a09e)));  /* u/2 */
    VM_EACH2(k[h] = _mm512_mask_add_epi64(k[h], up[h], k[h], _mm512_set1_epi64(1)));
    /* u's high word hu | 0x3ff00000 (0x3fe00000 where up), its low word kept */
    __m512i top[2];
    VM_EACH2(top[h] = _mm512_mask_blend_epi64(up[h], _mm512_set1_epi64(0x3ff0000000000000LL),
                                              _mm512_set1_epi64(0x3fe0000000000000LL)));
    VM_EACH2(u[h] = _mm512_castsi512_pd(_mm512_ternarylogic_epi64(
                 top[h], ub[h], _mm512_set1_epi64(0x000fffffffffffffLL),
                 0xf8))); /* top | (u & mantissa) */
    VM_EACH2(hu[h] = _mm512_mask_srli_epi64(
                 hu[h], up[h], _mm512_sub_epi64(_mm512_set1_epi64(0x00100000), hu[h]), 2));
    __m512d f[2];
    VM_EACH2(f[h] = _mm512_mask_mov_pd(_mm512_sub_pd(u[h], one), k0[h], x[h]));
    VM_EACH2(k[h] = _mm512_maskz_mov_epi64((__mmask8)~k0[h], k[h]));
    __mmask8 hz[2];
    VM_EACH2(hz[h] = _mm512_mask_testn_epi64_mask((__mmask8)~k0[h], hu[h],
                                                  hu[h]));  /* (k0: hu 1) */
    __m512d kd[2];
    VM_EACH2(kd[h] = _mm512_cvtepi64_pd(k[h]));
    __m512d hfsq[2];
    VM_EACH2(hfsq[h] = _mm512_mul_pd(_mm512_mul_pd(_mm512_set1_pd(0.5), f[h]), f[h]));
    __m512d lo[2];
    VM_EACH2(lo[h] = _mm512_fmadd_pd(kd[h], _mm512_set1_pd(LOG1P_LN2_LO), c[h]));
    __m512d khi[2];
    VM_EACH2(khi[h] = _mm512_mul_pd(kd[h], _mm512_set1_pd(LOG1P_LN2_HI)));
    __mmask8 kz[2];
    VM_EACH2(kz[h] = _mm512_testn_epi64_mask(k[h], k[h]));
    __m512d s[2];
    VM_EACH2(s[h] = _mm512_div_pd(f[h], _mm512_add_pd(_mm512_set1_pd(2.0), f[h])));
    __m512d z[2];
    VM_EACH2(z[h] = _mm512_mul_pd(s[h], s[h]));
    __m512d R2[2];
    VM_EACH2(R2[h] = _mm512_fmadd_pd(z[h], _mm512_set1_pd(LOG1P_LP3),
                                     _mm512_set1_pd(LOG1P_LP2)));
    __m512d R3[2];
    VM_EACH2(R3[h] = _mm512_fmadd_pd(z[h], _mm512_set1_pd(LOG1P_LP5),
                                     _mm512_set1_pd(LOG1P_LP4)));
    __m512d R4[2];
    VM_EACH2(R4[h] = _mm512_fmadd_pd(z[h], _mm512_set1_pd(LOG1P_LP7),
                                     _mm512_set1_pd(LOG1P_LP6)));
    __m512d z2[2];
    VM_EACH2(z2[h] = _mm512_mul_pd(z[h], z[h]));
    __m512d z4[2];
    VM_EACH2(z4[h] = _mm512_mul_pd(z2[h], z2[h]));
    __m512d z6[2];
    VM_EACH2(z6[h] = _mm512_mul_pd(z4[h], z2[h]));
    __m512d R[2];
    VM_EACH2(R[h] = _mm512_fmadd_pd(z6[h], R4[h], _mm512_fmadd_pd(z4[h], R3[h], _mm512_fmadd_pd(
                 z[h], _mm512_set1_pd(LOG1P_LP1), _mm512_mul_pd(z2[h], R2[h])))));
    __m512d t[2];
    VM_EACH2(t[h] = _mm512_mul_pd(s[h], _mm512_add_pd(hfsq[h], R[h])));
    __m512d yk[2];
    VM_EACH2(yk[h] = _mm512_sub_pd(khi[h], _mm512_sub_pd(
                 _mm512_sub_pd(hfsq[h], _mm512_add_pd(t[h], lo[h])), f[h])));
    __m512d y[2];
    VM_EACH2(y[h] = _mm512_mask_sub_pd(yk[h], kz[h], f[h], _mm512_sub_pd(hfsq[h], t[h])));
    if (__builtin_expect((hz[0] | hz[1]) != 0, 0))
        return 1;
    VM_EACH2(_mm512_storeu_pd(yp + 8 * h, y[h]));
    return 0;

}
VM_ATTR VM_INL int
K_(log1pd4x2)(const double *xp, double *yp)
{
    return K_(log1pd4)(xp, yp) | (K_(log1pd4)(xp + 8, yp + 8) << 8);
}
VM_LOOPF(vm_log1pd, double, 2 * VM_W, K_(log1pd16), K_(log1pd4x2), vm_fixd, log1p)
#else
VM_LOOPD(vm_log1pd, K_(log1pd4), log1p)
#endif

/* fdlibm's log1pf (glibc's flt-32 s_log1pf.c: one build, float arithmetic, nothing fused, so
   the same in every set): the double kernel's steps in float on 2 VM_W lanes */
#define LOG1PF_LN2_HI 0x1.62e3p-1f
#define LOG1PF_LN2_LO 0x1.2fefa2p-17f
#define LOG1PF_LP1 0x1.555556p-1f
#define LOG1PF_LP2 0x1.99999ap-2f
#define LOG1PF_LP3 0x1.24924ap-2f
#define LOG1PF_LP4 0x1.c71c52p-3f
#define LOG1PF_LP5 0x1.74664ap-3f
#define LOG1PF_LP6 0x1.39a09ep-3f
#define LOG1PF_LP7 0x1.2f112ep-3f
#define LOG1PF_TWO3 ((float)0.66666666666666666)

VM_ATTR VM_INL int
K_(log1pf8)(const float *xp, float *yp)
{
    WF x;
    memcpy(&x, xp, sizeof x);
    WI hx = (WI)x;
    WI ax = hx & 0x7fffffff;
    WI spec = ~((WI)(x > -1.0f) & (hx < 0x7f800000));   /* x <= -1, +inf, NaN */
    WI k0 = (hx < 0x3ed413d7) & ((hx > 0) | (hx <= (int32_t)0xbe95f61f));
    WI big = hx >= 0x5a000000;                  /* x >= 2^53: u = x, c = 0 */
    WF u = vsel8(big, x, 1.0f + x);
    WI hu = (WI)u;
    WI k = (hu >> 23) - 127;
    WF c = vsel8(k > 0, 1.0f - (u - x), x - (u - 1.0f)) / u;
    c = vsel8(big, spf(0.0f), c);
    hu &= 0x007fffff;
    WI up = hu >= 0x3504f7;                     /* normalize u/2 */
    k -= up;
    u = (WF)(hu | vsel8i(up, spi(0x3f000000), spi(0x3f800000)));
    hu = vsel8i(up, (0x00800000 - hu) >> 2, hu);
    WF f = vsel8(k0, x, u - 1.0f);
    k = vsel8i(k0, spi(0), k);
    hu = vsel8i(k0, spi(1), hu);
    WF kf = __builtin_convertvector(k, WF);
    WF hfsq = (0.5f * f) * f;
    WF lo = kf * LOG1PF_LN2_LO + c;
    WF khi = kf * LOG1PF_LN2_HI;                /* (exact: |k| <= 128) */
    WI kz = k == 0;
    WF s = f / (2.0f + f);
    WF z = s * s;
    WF R = z * (LOG1PF_LP1 + z * (LOG1PF_LP2 + z * (LOG1PF_LP3 + z * (LOG1PF_LP4 + z * (
        LOG1PF_LP5 + z * (LOG1PF_LP6 + z * LOG1PF_LP7))))));
    WF t = s * (hfsq + R);
    WF y = vsel8(kz, f - (hfsq - t), khi - ((hfsq - (t + lo)) - f));
    WI hz = hu == 0, tiny = ax < 0x31000000;
    if (__builtin_expect(K_(mask8i)(hz | tiny) != 0, 0)) {
        WF Rs = hfsq * (1.0f - LOG1PF_TWO3 * f);
        WF ys = vsel8(kz, f - Rs, khi - ((Rs - lo) - f));
        WF yz = vsel8(kz, spf(0.0f), khi + lo);
        y = vsel8(hz, vsel8((WI)(f == 0.0f), yz, ys), y);
        WF yt = vsel8((WI)(ax < 0x24800000), x, x - (x * x) * 0.5f);
        y = vsel8(tiny, yt, y);
    }
    memcpy(yp, &y, sizeof y);
    return K_(mask8i)(spec);
}
VM_LOOP8(vm_log1pf, K_(log1pf8), log1pf)

/* powf(x, y) for one y (TH's pow(t, value) on FloatTensors: optimized-routines' powf.c in
   glibc 2.28+, __powf_fma on CPUs with FMA): log2(x) in double from a 16-entry table and a
   quintic, y log2(x), 2^that from exp2f's 32-entry table and a cubic, rounded to float. The
   FMA build's operations in its order (MAD where it fuses); then the float filter of expf: a
   lane whose double lies within VM_MARGIN of a float rounding boundary, whose |y log2 x| >= 126
   (overflow, underflow, subnormal results) or whose x is 0, subnormal, inf or NaN (or negative
   with y not an integer) goes to libm. */
#ifndef VM_POWF_TABLES
#define VM_POWF_TABLES
/* 1/c and log2(c) for x's 16 subintervals of [0x1.66p-1, 0x1.66p0) (glibc's __powf_log2_data,
   read from its libm; the 1/c column is logf's) */
static const double vm_powf_invc[16] = {
    0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
    0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
    0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
    0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1,
};
static const double vm_powf_logc[16] = {
    -0x1.efec65b963019p-2, -0x1.b0b6832d4fca4p-2, -0x1.7418b0a1fb77bp-2, -0x1.39de91a6dcf7bp-2,
    -0x1.01d9bf3f2b631p-2, -0x1.97c1d1b3b7afp-3, -0x1.2f9e393af3c9fp-3, -0x1.960cbbf788d5cp-4,
    -0x1.a6f9db6475fcep-5, 0x0p+0, 0x1.338ca9f24f53dp-4, 0x1.476a9543891bap-3,
    0x1.e840b4ac4e4d2p-3, 0x1.40645f0c6651cp-2, 0x1.88e9c2c1b9ff8p-2, 0x1.ce0a44eb17bccp-2,
};
#define POWF_A0 0x1.27616c9496e0bp-2
#define POWF_A1 (-0x1.71969a075c67ap-2)
#define POWF_A2 0x1.ec70a6ca7baddp-2
#define POWF_A3 (-0x1.7154748bef6c8p-1)
#define POWF_A4 0x1.71547652ab82bp+0
#define POWF_SHIFT 0x1.8p+47
#define POWF_C0 0x1.c6af84b912394p-5
#define POWF_C1 0x1.ebfce50fac4f3p-3
#define POWF_C2 0x1.62e42ff0c52d6p-1
#endif

/* VM_W lanes of x (as doubles) to the power yd; negbad: negative lanes go to libm (y not an
   integer), else sbias (1 << 16 for odd y) sets their sign */
VM_ATTR VM_INL int
K_(powf4)(const float *xp, float *yp, VD yd, int negbad, uint64_t sbias)
{
    VF xf;
    memcpy(&xf, xp, sizeof xf);
    VU ix = (VU)xf, ax = ix & 0x7fffffff;
    VI neg = (VI)ix < 0;
    VI spec = (VI)(ax - 0x00800000 >= 0x7f800000 - 0x00800000);
    if (negbad)
        spec |= neg;
    VU tmp = ax - 0x3f330000, i = (tmp >> 19) % 16, top = tmp & 0xff800000;
    VI k = (VI)top >> 23;
    VU iz = ax - top;
#if VM_HW == 2
    __m512i i64 = _mm512_cvtepu32_epi64((__m256i)i);
    VD invc = (VD)_mm512_permutex2var_pd(_mm512_loadu_pd(vm_powf_invc), i64,
                                         _mm512_loadu_pd(vm_powf_invc + 8));
    VD logc = (VD)_mm512_permutex2var_pd(_mm512_loadu_pd(vm_powf_logc), i64,
                                         _mm512_loadu_pd(vm_powf_logc + 8));
#elif VM_HW
    VD invc = (VD)_mm256_i32gather_pd(vm_powf_invc, (__m128i)i, 8);
    VD logc = (VD)_mm256_i32gather_pd(vm_powf_logc, (__m128i)i, 8);
#else
    VD invc = {vm_powf_invc[i[0]], vm_powf_invc[i[1]], vm_powf_invc[i[2]], vm_powf_invc[i[3]]};
    VD logc = {vm_powf_logc[i[0]], vm_powf_logc[i[1]], vm_powf_logc[i[2]], vm_powf_logc[i[3]]};
#endif
    VD z = F2D((VF)iz);
    VD r = MAD(z, invc, spl(-1.0));
    VD y0 = logc + I2D(k);
    VD py = MAD(r, spl(POWF_A0), spl(POWF_A1));
    VD p = MAD(r, spl(POWF_A2), spl(POWF_A3));
    VD r2 = r * r;
    VD q = MAD(r, spl(POWF_A4), y0);
    VD r4 = r2 * r2;
    q = MAD(r2, p, q);
    VD logx = MAD(py, r4, q);
    VD ylogx = yd * logx;
    VL ovf = (VL)((((VQ)ylogx >> 47) & 0xffff) >= 0x80bf);   /* |y log2 x| >= 126 */
    VD kd = ylogx + POWF_SHIFT;
    VQ ki = (VQ)kd;
    kd -= POWF_SHIFT;
    VD rr = ylogx - kd;
    VQ j = ki % 32;
#if VM_HW == 2
    __m512i t_lo = _mm512_permutex2var_epi64(_mm512_loadu_si512(vm_exp2_tab), (__m512i)j,
                                             _mm512_loadu_si512(vm_exp2_tab + 8));
    __m512i t_hi = _mm512_permutex2var_epi64(_mm512_loadu_si512(vm_exp2_tab + 16), (__m512i)j,
                                             _mm512_loadu_si512(vm_exp2_tab + 24));
    VQ t = (VQ)_mm512_mask_blend_epi64(_mm512_test_epi64_mask((__m512i)j, _mm512_set1_epi64(16)),
                                       t_lo, t_hi);
#elif VM_HW
    VQ t = (VQ)_mm256_i64gather_epi64((const long long *)vm_exp2_tab, (__m256i)j, 8);
#else
    VQ t = {vm_exp2_tab[j[0]], vm_exp2_tab[j[1]], vm_exp2_tab[j[2]], vm_exp2_tab[j[3]]};
#endif
    VQ sb = (VQ)(__builtin_convertvector(neg, VL) & (int64_t)sbias);
    VD s = (VD)(t + ((ki + sb) << 47));
    VD zz = MAD(rr, spl(POWF_C0), spl(POWF_C1));
    VD rr2 = rr * rr;
    VD y = MAD(rr, spl(POWF_C2), spl(1.0));
    y = MAD(zz, rr2, y) * s;
    VF out = D2F(y);
    memcpy(yp, &out, sizeof out);
    return K_(mask4i)(spec) | K_(mask4d)(ovf) | K_(near_mid)(y);
}

/* powf(x[i], yv) for i < n; yint: 0 y not an integer, 1 an odd one, 2 an even one (y not 0,
   inf or NaN: the caller's libm loop takes those) */
VM_ATTR static void
K_(vm_powf)(const float *x, float *y, ptrdiff_t n, float yv, int yint)
{
    VD yd = spl(yv);
    int negbad = yint == 0;
    uint64_t sbias = yint == 1 ? 1ULL << 16 : 0;
    int overlap = (uintptr_t)(x + n) > (uintptr_t)y && (uintptr_t)(y + n) > (uintptr_t)x;
    for (ptrdiff_t i = 0; i < n; i += 2 * VM_W) {
        float xb[2 * VM_W], yb[2 * VM_W];
        ptrdiff_t len = n - i < 2 * VM_W ? n - i : 2 * VM_W;
        const float *xs = x + i;
        float *ys = y + i;
        if (overlap || len < 2 * VM_W) {
            for (int j = 0; j < 2 * VM_W; j++)
                xb[j] = 1.0f;
            memcpy(xb, x + i, len * sizeof(float));
            xs = xb;
        }
        if (len < 2 * VM_W)
            ys = yb;
        int m = K_(powf4)(xs, ys, yd, negbad, sbias)
            | (K_(powf4)(xs + VM_W, ys + VM_W, yd, negbad, sbias) << VM_W);
        m &= (1 << len) - 1;
        for (int j = 0; m; j++, m >>= 1)
            if (m & 1)
                ys[j] = powf(xs[j], yv);
        if (ys == yb)
            memcpy(y + i, yb, len * sizeof(float));
    }
}

/* fdlibm's atanf (glibc's flt-32 s_atanf.c: one build, float arithmetic): |x| reduced to
   x' in [-7/16, 7/16] by one of four quotients (one quotient per lane: x / 1 where none is
   due), atan(x') by an odd polynomial, plus atan(0.5), atan(1), atan(1.5) or pi/2 in two
   parts; +-(pi/2) from 2^25 on, x itself below 2^-29; NaN goes to libm */
#define ATANF_T0 0x1.555556p-2f /* (3.3333334327e-01: its comment says 0x3eaaaaaa) */
#define ATANF_T1 (-0x1.99999ap-3f)
#define ATANF_T2 0x1.24924ap-3f
#define ATANF_T3 (-0x1.c71c7p-4f)
#define ATANF_T4 0x1.745cdcp-4f
#define ATANF_T5 (-0x1.3b0f2ap-4f)
#define ATANF_T6 0x1.10d66ap-4f
#define ATANF_T7 (-0x1.dde2d6p-5f)
#define ATANF_T8 0x1.97b4b2p-5f
#define ATANF_T9 (-0x1.2b4442p-5f)
#define ATANF_T10 0x1.0ad3aep-6f

/* fdlibm's atanf of a finite q >= 0 (no NaN, no sign; atanf8 below and atan2f's kernel):
   q reduced to one of four quotients (q / 1 where none is due), the odd polynomial in two
   halves, atan(c) in two parts added; q itself below 2^-29, pi/2 from 2^25 on. An odd
   function in every rounding: atanf(-x) is this value with its sign flipped, bit for bit */
VM_ATTR VM_INL WF
K_(atanf_abs)(WF q)
{
    WI iq = (WI)q;
    WI small = iq < 0x3ee00000, lt11 = iq < 0x3f300000, lt19 = iq < 0x3f980000;
    WI lt39 = iq < 0x401c0000;
    /* the reductions: (2q - 1)/(2 + q), (q - 1)/(q + 1), (q - 1.5)/(1 + 1.5 q), -1/q */
    WF num = vsel8(lt11, 2.0f * q - 1.0f, vsel8(lt19, q - 1.0f, vsel8(lt39, q - 1.5f,
                                                                      spf(-1.0f))));
    WF den = vsel8(lt11, 2.0f + q, vsel8(lt19, q + 1.0f, vsel8(lt39, 1.0f + 1.5f * q, q)));
    num = vsel8(small, q, num);
    den = vsel8(small, spf(1.0f), den);
    WF r = num / den;
    WF z = r * r, w = z * z;
    WF s1 = z * (ATANF_T0 + w * (ATANF_T2 + w * (ATANF_T4 + w * (ATANF_T6 + w * (
        ATANF_T8 + w * ATANF_T10)))));
    WF s2 = w * (ATANF_T1 + w * (ATANF_T3 + w * (ATANF_T5 + w * (ATANF_T7 + w * ATANF_T9))));
    WF hi = vsel8(lt11, spf(0x1.dac670p-2f), vsel8(lt19, spf(0x1.921fb4p-1f),
                                                    vsel8(lt39, spf(0x1.f730bcp-1f),
                                                          spf(0x1.921fb4p+0f))));
    WF lo = vsel8(lt11, spf(0x1.586ed2p-28f), vsel8(lt19, spf(0x1.4442d0p-25f),
                                                     vsel8(lt39, spf(0x1.281f68p-25f),
                                                           spf(0x1.4442d0p-24f))));
    WF t = r * (s1 + s2);
    WF y = vsel8(small, r - t, hi - ((t - lo) - r));
    y = vsel8((WI)(iq < 0x31000000), q, y);                   /* q < 2^-29: q itself */
    y = vsel8((WI)(iq >= 0x4c000000), spf(0x1.921fb4p+0f + 0x1.4442d0p-24f), y);
    return y;
}

VM_ATTR VM_INL int
K_(atanf8)(const float *xp, float *yp)
{
    WF x;
    memcpy(&x, xp, sizeof x);
    WI hx = (WI)x, ix = hx & 0x7fffffff;
    WI spec = ix > 0x7f800000;
    WF y = K_(atanf_abs)((WF)ix);
    y = (WF)((WI)y ^ (hx & (int32_t)0x80000000));            /* (hx < 0 ? -y : y) */
    memcpy(yp, &y, sizeof y);
    return K_(mask8i)(spec);
}
VM_LOOP8(vm_atanf, K_(atanf8), atanf)

/* fdlibm's expm1 on u in [0, 22) (sinh's arguments), every branch of it in one pass, as
   expm1pf8 below for floats: k 0 below 0.5 ln2, 1 below 1.5 ln2 (whose hi and lo are the
   general path's with t = 1: fma(-1, ln2_hi, u) is u - ln2_hi), else (int)(u invln2 + 1/2)
   (fused, as in glibc's FMA build; MAD the same fusing as expm1d4's), one reduction for every
   lane (k = 0: hi = u, lo = 0, xr = u, c = 0); then k = 0's x - (x e - hxs), k = 1's
   x < -0.25 form, k < 20's (1 - 2^-k) - (e - x) (k = 1's 1 + 2 (x - e) too: the same value
   scaled by 2), k >= 20's (x - (e + 2^-k)) + 1, each scaled by 2^k; u itself below 2^-54 */
VM_ATTR VM_INL VD
K_(expm1pd4)(VD u)
{
    VL hx = (VL)((VQ)u >> 32);
    VL one_ln2 = hx < 0x3ff0a2b2, reduce = hx > 0x3fd62e42;
    VI ki = D2I(MAD(u, spl(EXPM1_INVLN2), spl(0.5)));
    VL k = vdseli(one_ln2, 1, __builtin_convertvector(ki, VL)) & reduce;
    VD tf = VM_I2DQ(k);
    VD hi = MAD(-tf, spl(EXPM1_LN2_HI), u), lo = tf * EXPM1_LN2_LO;
    VD xr = hi - lo, c = (hi - xr) - lo;
    VD hxs, e = K_(expm1_e)(xr, &hxs);
    VD r_k0 = xr - MAD(xr, e, -hxs);
    VD e2 = MAD(xr, e - c, -c) - hxs;
    VQ kk = (VQ)k << 52;
    VL ks = vdseli(k < 20, k, 20);
    VD t_mid = (VD)((VQ)(0x3ff00000 - (0x200000 >> ks)) << 32);  /* 1 - 2^-k */
    VD y = (VD)((VQ)(t_mid - (e2 - xr)) + kk);                    /* k < 20 */
    VL hik = k >= 20;
    if (__builtin_expect(K_(mask4d)(hik) != 0, 0)) {
        VD t_hi = (VD)((VQ)((0x3ff - k) << 20) << 32);            /* 2^-k */
        y = vdsel(hik, (VD)((VQ)((xr - (e2 + t_hi)) + 1.0) + kk), y);
    }
    y = vdsel((k == 1) & (VL)(xr < -0.25), -2.0 * (e2 - (xr + 0.5)), y);
    y = vdsel(k == 0, r_k0, y);
    return vdsel(hx < 0x3c900000, u, y);                           /* u < 2^-54: u */
}

/* fdlibm's expm1 where u <= 0.5 ln2 (its k = 0, cosh's small path): x - (x e - hxs), u itself
   below 2^-54 */
VM_ATTR VM_INL VD
K_(expm1sd4)(VD u)
{
    VD hxs, e = K_(expm1_e)(u, &hxs);
    return vdsel((VL)((VQ)u >> 32) < 0x3c900000, u, u - MAD(u, e, -hxs));
}

/* fdlibm's cosh (glibc's dbl-64 e_cosh.c, one build, nothing fused; its exp and expm1 are
   libm's own, the FMA builds on CPUs with FMA): 1 below 2^-55; 1 + t^2 / (2 (1 + t)) with
   t = expm1(|x|) below 0.5 ln2; exp(|x|)/2 + 0.5/exp(|x|) below 22, exp(|x|)/2 beyond. The
   exp and expm1 lanes are _vmath_k.h's exp kernel and expm1sd4 (libm's bits), each lane's
   quotient one division of selected operands; |x| >= 512 (exp's own special path, overflow),
   inf and NaN go to libm. */
VM_ATTR VM_INL int
K_(coshd4)(const double *xp, double *yp)
{
    VD x;
    memcpy(&x, xp, sizeof x);
    VD ax = (VD)((VQ)x & 0x7fffffffffffffffULL);
    VL ix = (VL)((VQ)ax >> 32);
    VL spec = ix >= 0x40800000;
    VL small = ix < 0x3fd62e43;
    int ms = K_(mask4d)(small);
    VD t = spl(1.0), num = spl(0.5), den;
    if (ms != (1 << VM_W) - 1) {
        double a[VM_W], e[VM_W];
        memcpy(a, &ax, sizeof a);
        (void)K_(expd4)(a, e);    /* (its flags: |x| < 2^-54, the small path's lanes, or spec) */
        memcpy(&t, e, sizeof t);
    }
    den = t;
    if (ms) {
        VD t1 = K_(expm1sd4)(vdsel(small, ax, spl(0.25)));
        VD w = 1.0 + t1;
        num = vdsel(small, t1 * t1, num);
        den = vdsel(small, w + w, den);
    }
    VD q = num / den;
    VD y = vdsel(ix < 0x40360000, 0.5 * t + q, 0.5 * t);
    y = vdsel(small, 1.0 + q, y);
    y = vdsel(ix < 0x3c800000, spl(1.0), y);
    memcpy(yp, &y, sizeof y);
    return K_(mask4d)(spec);
}
VM_LOOPD(vm_coshd, K_(coshd4), cosh)

/* fdlibm's sinh (glibc's dbl-64 e_sinh.c, one build, nothing fused, over libm's expm1 and
   exp): x below 2^-28; h (2t - t^2/(t + 1)) below 1 and h (t + t/(t + 1)) below 22, with
   t = expm1(|x|) (one quotient of selected operands), h = +-1/2; h exp(|x|) beyond. |x| >= 512,
   inf and NaN go to libm. */
VM_ATTR VM_INL int
K_(sinhd4)(const double *xp, double *yp)
{
    VD x;
    memcpy(&x, xp, sizeof x);
    VD ax = (VD)((VQ)x & 0x7fffffffffffffffULL);
    VL ix = (VL)((VQ)ax >> 32);
    VD h = (VD)((VQ)spl(0.5) | ((VQ)x & 0x8000000000000000ULL));
    VL spec = ix >= 0x40800000;
    VL mid = ix < 0x40360000;
    VD y = spl(0.0);
    if (__builtin_expect(K_(mask4d)(~mid) != 0, 0)) {
        double a[VM_W], e[VM_W];
        memcpy(a, &ax, sizeof a);
        (void)K_(expd4)(a, e);    /* (flags only for |x| >= 512: spec) */
        VD t;
        memcpy(&t, e, sizeof t);
        y = h * t;
    }
    if (K_(mask4d)(mid)) {
        VD t = K_(expm1pd4)(vdsel(mid, ax, spl(0.25)));
        VL lt1 = ix < 0x3ff00000;
        VD q = vdsel(lt1, t * t, t) / (t + 1.0);
        VD ys = vdsel(lt1, (t + t) - q, q + t);
        y = vdsel(mid, h * ys, y);
        y = vdsel(ix < 0x3e300000, x, y);
    }
    memcpy(yp, &y, sizeof y);
    return K_(mask4d)(spec);
}
VM_LOOPD(vm_sinhd, K_(sinhd4), sinh)

/* glibc's asinf (flt-32 e_asinf.c before 2.40: fdlibm's with a Cephes polynomial; one build,
   float arithmetic): x + x t p(t), t = x^2, below 0.5; above, from s = sqrt((1 - |x|)/2):
   pi/2 - 2 (s + s p) past 0.975, else pi/4 - (2 s p - (pio2_lo - 2 c) - (pi/4 - 2 w)) with w
   s's high bits and c the remainder, p = t p(t) with t = (1 - |x|)/2 (one evaluation of the
   polynomial a lane, on the t of its path); x itself below 2^-27; |x| > 1 and NaN go to libm */
#define ASINF_PIO2_HI 0x1.921fb6p+0f
#define ASINF_PIO2_LO (-0x1.777a5cp-25f)
#define ASINF_PIO4_HI 0x1.921fb6p-1f
#define ASINF_P0 0x1.5555c8p-3f
#define ASINF_P1 0x1.3301e4p-4f
#define ASINF_P2 0x1.747e4ap-5f
#define ASINF_P3 0x1.8c283cp-6f
#define ASINF_P4 0x1.596d28p-5f

VM_ATTR VM_INL WF
K_(sqrtf8)(WF t)
{
#if VM_HW == 2
    return (WF)_mm512_sqrt_ps((__m512)t);
#elif VM_HW
    return (WF)_mm256_sqrt_ps((__m256)t);
#else
    WF s;
    for (int j = 0; j < 2 * VM_W; j++)
        s[j] = sqrtf(t[j]);
    return s;
#endif
}

VM_ATTR VM_INL int
K_(asinf8)(const float *xp, float *yp)
{
    WF x;
    memcpy(&x, xp, sizeof x);
    WI hx = (WI)x, ix = hx & 0x7fffffff;
    WF ax = (WF)ix;
    WI spec = ix > 0x3f800000;
    /* one polynomial for both paths: p(x^2) below 0.5, p((1 - |x|)/2) above */
    WI big = ix >= 0x3f000000;
    WF t = vsel8(big, (1.0f - ax) * 0.5f, x * x);
    WF p = t * (ASINF_P0 + t * (ASINF_P1 + t * (ASINF_P2 + t * (ASINF_P3 + t * ASINF_P4))));
    WF y = x + x * p;
    if (K_(mask8i)(big)) {
        WF s = K_(sqrtf8)(t);
        WF tn = ASINF_PIO2_HI - (2.0f * (s + s * p) - ASINF_PIO2_LO);
        WF w = (WF)((WI)s & (int32_t)0xfffff000);
        WF c = (t - w * w) / (s + w);
        WF pm = 2.0f * s * p - (ASINF_PIO2_LO - 2.0f * c);
        WF q = ASINF_PIO4_HI - 2.0f * w;
        WF tm = ASINF_PIO4_HI - (pm - q);
        WF yb = vsel8((WI)(ix >= 0x3f79999a), tn, tm);
        yb = vsel8((WI)(hx > 0), yb, -yb);
        yb = vsel8((WI)(ix == 0x3f800000), x * ASINF_PIO2_HI + x * ASINF_PIO2_LO, yb);
        y = vsel8(big, yb, y);
    }
    y = vsel8((WI)(ix < 0x32000000), x, y);
    memcpy(yp, &y, sizeof y);
    return K_(mask8i)(spec);
}
VM_LOOP8(vm_asinf, K_(asinf8), asinf)

/* fdlibm's acosf (glibc's flt-32 e_acosf.c before 2.40, one build, float arithmetic; its
   constants read from glibc's libm): pi/2 - (x + x r(x^2)) below 0.5 in magnitude, r = p/q
   rational; above, from z = (1 - |x|)/2 and s = sqrt(z): pi - 2 (s + s r(z)) for x < 0, and
   2 (w + s r(z) + c) for x > 0 (w s's high bits, c the remainder); pi/2 below 2^-26, 0 and pi
   at +-1; |x| > 1 and NaN go to libm. The one quotient r serves every lane. */
#define ACOSF_PI 0x1.921fb4p+1f
#define ACOSF_PIO2_HI 0x1.921fb4p+0f
#define ACOSF_PIO2_LO 0x1.4442d0p-24f
#define ACOSF_PS0 0x1.555556p-3f
#define ACOSF_PS1 (-0x1.4d6120p-2f)
#define ACOSF_PS2 0x1.9c1550p-3f
#define ACOSF_PS3 (-0x1.48228cp-5f)
#define ACOSF_PS4 0x1.9efe08p-11f
#define ACOSF_PS5 0x1.23de10p-15f
#define ACOSF_QS1 (-0x1.33a272p+1f)
#define ACOSF_QS2 0x1.02ae5ap+1f
#define ACOSF_QS3 (-0x1.6066c2p-1f)
#define ACOSF_QS4 0x1.3b8c5cp-4f

VM_ATTR VM_INL int
K_(acosf8)(const float *xp, float *yp)
{
    WF x;
    memcpy(&x, xp, sizeof x);
    WI hx = (WI)x, ix = hx & 0x7fffffff;
    WF ax = (WF)ix;
    WI spec = ix > 0x3f800000;
    WI small = ix < 0x3f000000, neg = hx < 0;
    WF z = vsel8(small, x * x, (1.0f - ax) * 0.5f);
    WF p = z * (ACOSF_PS0 + z * (ACOSF_PS1 + z * (ACOSF_PS2 + z * (ACOSF_PS3 + z * (
        ACOSF_PS4 + z * ACOSF_PS5)))));
    WF q = 1.0f + z * (ACOSF_QS1 + z * (ACOSF_QS2 + z * (ACOSF_QS3 + z * ACOSF_QS4)));
    WF r = p / q;
    WF y = ACOSF_PIO2_HI - (x - (ACOSF_PIO2_LO - x * r));
    if (K_(mask8i)(~small)) {
        WF s = K_(sqrtf8)(z);
        WF yn = ACOSF_PI - 2.0f * (s + (r * s - ACOSF_PIO2_LO));
        WF df = (WF)((WI)s & (int32_t)0xfffff000);
        WF c = (z - df * df) / (s + df);
        WF yp_ = 2.0f * (df + (r * s + c));
        y = vsel8(small, y, vsel8(neg, yn, yp_));
        y = vsel8((WI)(ix == 0x3f800000), vsel8(neg, spf(ACOSF_PI + 2.0f * ACOSF_PIO2_LO),
                                                spf(0.0f)), y);
    }
    y = vsel8((WI)(ix <= 0x32800000), spf(ACOSF_PIO2_HI + ACOSF_PIO2_LO), y);
    memcpy(yp, &y, sizeof y);
    return K_(mask8i)(spec);
}
VM_LOOP8(vm_acosf, K_(acosf8), acosf)

/* fdlibm's expm1f on u in [0, 22) (sinhf's and coshf's arguments), every branch of it in one
   pass: k = 0 below 0.5 ln2 (k forced to 1 up to 1.5 ln2, as expm1f's k = 1 path, whose hi and
   lo are the general path's with t = 1: t ln2_hi and t ln2_lo are exact), so hi = u - t ln2_hi,
   lo = t ln2_lo and xr = hi - lo are u, 0 and u where k is 0 (and c 0): one reduction serves
   every lane. Then k = 0's x - (x e - hxs); k = 1's 1 + 2 (x - e), the same rounding as the
   2 <= k < 23 form (1 - 2^-1) - (e - x) scaled by 2^1 (2 RN(1/2 - d) = RN(1 + 2 (-d)): scaling
   by 2 is exact), so only its x < -0.25 form is apart; 23 <= k (u >= 23 ln2 / 1.5 ln2...: up to
   k = 32 here) its own form; u itself below 2^-25. */
VM_ATTR VM_INL WF
K_(expm1pf8)(WF u)
{
    WU hx = (WU)u;
    WI one_ln2 = (WI)(hx < 0x3f851592), reduce = (WI)(hx > 0x3eb17218);
    WF tk = u * EXPM1F_INVLN2 + 0.5f;          /* two roundings, as k = invln2*x + 0.5 */
    WI k = vsel8i(one_ln2, spi(1), __builtin_convertvector(tk, WI)) & reduce;
    WF tf = __builtin_convertvector(k, WF);
    WF hi = u - tf * EXPM1F_LN2_HI, lo = tf * EXPM1F_LN2_LO;
    WF xr = hi - lo, c = (hi - xr) - lo;
    WF hfx = 0.5f * xr, hxs = xr * hfx;
    WF r1 = 1.0f + hxs * (EXPM1F_Q1 + hxs * (EXPM1F_Q2 + hxs * (EXPM1F_Q3 + hxs * (
        EXPM1F_Q4 + hxs * EXPM1F_Q5))));
    WF t = 3.0f - r1 * hfx;
    WF e = hxs * ((r1 - t) / (6.0f - xr * t));
    WF r_k0 = xr - (xr * e - hxs);
    WF e2 = (xr * (e - c) - c) - hxs;
    WU kk = (WU)k << 23;
    WI ks = vsel8i((WI)(k < 23), k, spi(23));
    WF t_mid = (WF)(0x3f800000 - (0x1000000 >> ks));          /* 1 - 2^-k */
    WF y_mid = (WF)((WU)(t_mid - (e2 - xr)) + kk);           /* k < 23 */
    WF y = y_mid;
    WI hik = (WI)(k >= 23);
    if (__builtin_expect(K_(mask8i)(hik) != 0, 0)) {
        WF t_hi = (WF)((0x7f - k) << 23);                      /* 2^-k */
        WF y_hi = (WF)((WU)((xr - (e2 + t_hi)) + 1.0f) + kk); /* 23 <= k <= 56 */
        y = vsel8(hik, y_hi, y);
    }
    y = vsel8((WI)((k == 1) & (WI)(xr < -0.25f)), -2.0f * (e2 - (xr + 0.5f)), y);
    y = vsel8((WI)(k == 0), r_k0, y);
    return vsel8((WI)(hx < 0x33000000), u, y);                 /* u < 2^-25: u */
}

/* fdlibm's expm1f where u <= 0.5 ln2 (its k = 0, coshf's small path): x - (x e - hxs), u
   itself below 2^-25 */
VM_ATTR VM_INL WF
K_(expm1sf8)(WF u)
{
    WF hfx = 0.5f * u, hxs = u * hfx;
    WF r1 = 1.0f + hxs * (EXPM1F_Q1 + hxs * (EXPM1F_Q2 + hxs * (EXPM1F_Q3 + hxs * (
        EXPM1F_Q4 + hxs * EXPM1F_Q5))));
    WF t = 3.0f - r1 * hfx;
    WF e = hxs * ((r1 - t) / (6.0f - u * t));
    return vsel8((WI)((WU)u < 0x33000000), u, u - (u * e - hxs));
}

/* half j of 2 VM_W float lanes (one extract instruction) */
VM_ATTR VM_INL VF
K_(half)(WF a, int j)
{
#if VM_HW == 2
    return (VF)(j ? _mm512_extractf32x8_ps((__m512)a, 1) : _mm512_castps512_ps256((__m512)a));
#elif VM_HW
    return (VF)(j ? _mm256_extractf128_ps((__m256)a, 1) : _mm256_castps256_ps128((__m256)a));
#else
    VF h;
    memcpy(&h, (const char *)&a + j * sizeof h, sizeof h);
    return h;
#endif
}

/* expf of 2 VM_W lanes with libm's bits: the expf kernel, libm's expf for the lanes it hands
   back (but those of skip) */
VM_ATTR VM_INL WF
K_(expf8)(WF a, int skip)
{
    float ab[2 * VM_W], eb[2 * VM_W];
    VF a0 = K_(half)(a, 0), a1 = K_(half)(a, 1);
    memcpy(ab, &a0, sizeof a0);     /* (as two stores, each read back whole: no stall) */
    memcpy(ab + VM_W, &a1, sizeof a1);
    int m = K_(expf4)(ab, eb) | (K_(expf4)(ab + VM_W, eb + VM_W) << VM_W);
    m &= ~skip;
    if (__builtin_expect(m != 0, 0))
        vm_fix(m, ab, eb, expf);
    VF e0, e1;      /* (the halves as stored: one wide load of two stores would stall) */
    memcpy(&e0, eb, sizeof e0);
    memcpy(&e1, eb + VM_W, sizeof e1);
    return K_(join)(e0, e1);
}

/* glibc's coshf and sinhf (flt-32 e_coshf.c, e_sinhf.c: fdlibm's, one float build each, over
   libm's expf and expm1f): the double kernels' branches in float (22 and 0.5 ln2 the same,
   tiny 2^-55 / 2^-28 as 0x24000000 / 0x31800000); |x| > 0x42b1717f (overflow's own path),
   inf and NaN go to libm. Each lane's quotient (coshf's 0.5/t or t^2/(2w), sinhf's t^2/(t + 1)
   or t/(t + 1)) is one division of selected operands. */
VM_ATTR VM_INL int
K_(sinhf8)(const float *xp, float *yp)
{
    WF x;
    memcpy(&x, xp, sizeof x);
    WI ix = (WI)x & 0x7fffffff;
    WF ax = (WF)ix;
    WF h = (WF)((WI)spf(0.5f) | ((WI)x & (int32_t)0x80000000));
    WI spec = ix > 0x42b1717f;
    WI mid = ix < 0x41b00000;
    WF y = spf(0.0f);
    if (__builtin_expect(K_(mask8i)(~mid) != 0, 0))
        y = h * K_(expf8)(vsel8(mid | spec, spf(1.0f), ax), K_(mask8i)(mid | spec));
    if (K_(mask8i)(mid)) {
        WF t = K_(expm1pf8)(vsel8(mid, ax, spf(0.25f)));
        WI lt1 = ix < 0x3f800000;
        WF q = vsel8(lt1, t * t, t) / (t + 1.0f);
        WF ys = vsel8(lt1, (t + t) - q, q + t);
        y = vsel8(mid, h * ys, y);
        y = vsel8((WI)(ix < 0x31800000), x, y);
    }
    memcpy(yp, &y, sizeof y);
    return K_(mask8i)(spec);
}
VM_LOOP8(vm_sinhf, K_(sinhf8), sinhf)

/* coshf of 2 VM_W lanes of |x| (ap) with t = expf(|x|) given (tp): the lanes' own quotients
   and selects */
VM_ATTR VM_INL int
K_(coshf8t)(const float *ap, const float *tp, float *yp)
{
    WF ax, t;
    memcpy(&ax, ap, sizeof ax);
    memcpy(&t, tp, sizeof t);
    WI ix = (WI)ax;
    WI spec = ix > 0x42b1717f;
    WI small = ix < 0x3eb17218;
    WF num = spf(0.5f), den = t;
    if (K_(mask8i)(small)) {
        WF t1 = K_(expm1sf8)(vsel8(small, ax, spf(0.25f)));
        WF w = 1.0f + t1;
        num = vsel8(small, t1 * t1, num);
        den = vsel8(small, w + w, den);
    }
    WF q = num / den;
    WF y = vsel8((WI)(ix < 0x41b00000), 0.5f * t + q, 0.5f * t);
    y = vsel8(small, 1.0f + q, y);
    y = vsel8((WI)(ix < 0x24000000), spf(1.0f), y);
    memcpy(yp, &y, sizeof y);
    return K_(mask8i)(spec);
}

/* coshf in blocks of 256: x copied, |x|, expf of the block by vm_expf's loop (libm's bits; its
   lanes that the small path or libm take are computed and not used), then coshf8t: two short
   dependency chains a step instead of one long one (the processor overlaps more steps). libm's
   lanes read the copy (coshf(-NaN) keeps its sign; y may be x or overlap it) */
VM_ATTR static void
K_(vm_coshf)(const float *x, float *y, ptrdiff_t n)
{
    enum { B = 256 };
    float xb[B], ab[B] __attribute__((aligned(64))), tb[B] __attribute__((aligned(64)));
    for (ptrdiff_t i = 0; i < n; i += B) {
        ptrdiff_t len = n - i < B ? n - i : B, lr = (len + 2 * VM_W - 1) & -(ptrdiff_t)(2 * VM_W);
        ptrdiff_t j;
        memcpy(xb, x + i, len * sizeof(float));
        for (j = 0; j < len; j++)
            ab[j] = fabsf(xb[j]);
        for (; j < lr; j++)
            ab[j] = 1.0f;
        K_(vm_expf)(ab, tb, lr);
        for (j = 0; j + 2 * VM_W <= len; j += 2 * VM_W) {
            float yb[2 * VM_W];
            int m = K_(coshf8t)(ab + j, tb + j, yb);
            if (__builtin_expect(m != 0, 0))
                vm_fix(m, xb + j, yb, coshf);
            memcpy(y + i + j, yb, sizeof yb);
        }
        if (j < len) {
            float yb[2 * VM_W];
            int m = K_(coshf8t)(ab + j, tb + j, yb) & ((1 << (len - j)) - 1);
            if (m)
                vm_fix(m, xb + j, yb, coshf);
            memcpy(y + i + j, yb, (len - j) * sizeof(float));
        }
    }
}

/* TH_sigmoid on doubles: 1.0/(1.0 + exp(-x)) over vm_expd (its flagged lanes recomputed by
   libm), so the quotient is TH's (VM_SIGMOID: _vmath_k.h) */
VM_SIGMOID(vm_sigmoidd, double, vm_expd)
#undef VM_I2DQ
