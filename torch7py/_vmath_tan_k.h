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

