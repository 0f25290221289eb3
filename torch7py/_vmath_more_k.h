/* More lane kernels of _vmath.c (included from _vmath_k.h, once per kernel set, with its macros:
   VD/VL/VQ, VF/VI/VU, WF/WI/WU, MAD, K_, spl/spf/spi, the selects and masks). Each replicates
   glibc 2.36's function operation for operation, MAD where the build the dynamic loader picks on
   this set's CPUs fuses (the AVX2+FMA and AVX-512 sets: glibc's FMA build, read from objdump;
   the portable set: its baseline build, MAD a product and a sum); lanes outside the replicated
   paths go to libm. Sun's fdlibm notice covers the algorithms: "Developed at SunPro, a Sun
   Microsystems, Inc. business. Permission to use, copy, modify, and distribute this software
   is freely granted, provided that this notice is preserved." */

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
VM_LOOPD(vm_log1pd, K_(log1pd4), log1p)
#undef VM_I2DQ
