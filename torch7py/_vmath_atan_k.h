/* atan2 lane kernels of _vmath.c (included from _vmath_k.h once per kernel set, with its
   macros: VD/VL/VQ, VF/VI/VU, WF/WI/WU, MAD, K_, spl/spf/spi, the selects and masks).

   atan2f: fdlibm's (glibc 2.36's flt-32 e_atan2f.c over its s_atanf.c; one build on x86-64,
   float arithmetic, nothing fused: the same in every set; "Developed at SunPro, a Sun
   Microsystems, Inc. business. Permission to use, copy, modify, and distribute this software
   is freely granted, provided that this notice is preserved."): z = atanf(|y / x|) with
   atanf's steps inlined here, or pi/2 + pi_lo/2 where |y/x| > 2^60 by exponents, 0 where
   x < 0 and |y/x| < 2^-60; then z, -z, pi - (z - pi_lo) or (z - pi_lo) - pi by the signs.
   Every float operation of the scalar code in its order, branches as selects. Lanes where x or
   y is 0, inf or NaN go to libm (its special cases). */

/* fdlibm's atanf of a finite q >= 0 (no NaN, no sign): q reduced to one of four quotients
   (q / 1 where none is due), the odd polynomial in two halves, atan(c) in two parts added */
#define AT2F_T0 0x1.555556p-2f
#define AT2F_T1 (-0x1.99999ap-3f)
#define AT2F_T2 0x1.24924ap-3f
#define AT2F_T3 (-0x1.c71c7p-4f)
#define AT2F_T4 0x1.745cdcp-4f
#define AT2F_T5 (-0x1.3b0f2ap-4f)
#define AT2F_T6 0x1.10d66ap-4f
#define AT2F_T7 (-0x1.dde2d6p-5f)
#define AT2F_T8 0x1.97b4b2p-5f
#define AT2F_T9 (-0x1.2b4442p-5f)
#define AT2F_T10 0x1.0ad3aep-6f
#define AT2F_PI 0x1.921fb6p+1f
#define AT2F_PI_LO (-0x1.777a5cp-24f)
#define AT2F_PI_O_2 0x1.921fb6p+0f

VM_ATTR VM_INL WF
K_(atan2f_atanf)(WF q)
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
    WF s1 = z * (AT2F_T0 + w * (AT2F_T2 + w * (AT2F_T4 + w * (AT2F_T6 + w * (
        AT2F_T8 + w * AT2F_T10)))));
    WF s2 = w * (AT2F_T1 + w * (AT2F_T3 + w * (AT2F_T5 + w * (AT2F_T7 + w * AT2F_T9))));
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
    WF z = K_(atan2f_atanf)(q);
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
