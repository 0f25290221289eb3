/* The float kernels of _vmath.c, included three times: for x86-64 CPUs with AVX-512 (VM_HW 2:
   8 double or 16 float lanes, one zmm register) and with AVX2 and FMA (VM_HW 1: 4 double or 8
   float lanes, one ymm register), MAD the FMA instruction where glibc's FMA build of the
   function fuses; and for any CPU (VM_HW 0, 4 and 8 lanes: MAD is a product and a sum, as in
   glibc's baseline build). VM_SFX names the set, VM_ATTR is its target attribute, VM_W the
   number of double lanes; VD/VL/VQ are VM_W doubles / int64 / uint64, VF/VI/VU VM_W floats /
   int32 / uint32 (half a register), WF/WI/WU 2 VM_W floats / int32 / uint32. Every lane's
   operations are the same in all widths, so are the bits.

   Each kernel computes VM_W (or 2 VM_W) elements and returns the lanes, as a bit mask, whose
   float it cannot vouch for: the caller calls libm for those. Lanes of the double-based functions are
   flagged where the input lies outside the replicated path (glibc's special cases) or where
   the double result before the final rounding lies within VM_MARGIN units of its last 29 bits
   of a float rounding boundary (so an error of up to 2^-41 relative against glibc's own double
   cannot change the float). */

#if VM_HW == 2
#define MAD(a, b, c) ((VD)_mm512_fmadd_pd((__m512d)(a), (__m512d)(b), (__m512d)(c)))
#elif VM_HW
#define MAD(a, b, c) ((VD)_mm256_fmadd_pd((__m256d)(a), (__m256d)(b), (__m256d)(c)))
#else
#define MAD(a, b, c) ((a) * (b) + (c))
#endif
#define VM_CAT2(a, b) a##b
#define VM_CAT(a, b) VM_CAT2(a, b)
#define K_(name) VM_CAT(name, VM_SFX)
/* conversions between the double lanes and the half-register float / int32 lanes: one
   instruction each on AVX-512 (GCC 12 splits the generic ones into halves) */
#if VM_HW == 2
#define F2D(v) ((VD)_mm512_cvtps_pd((__m256)(v)))
#define I2D(v) ((VD)_mm512_cvtepi32_pd((__m256i)(v)))
#define D2F(v) ((VF)_mm512_cvtpd_ps((__m512d)(v)))
#define D2I(v) ((VI)_mm512_cvttpd_epi32((__m512d)(v)))
#else
#define F2D(v) __builtin_convertvector((v), VD)
#define I2D(v) __builtin_convertvector((v), VD)
#define D2F(v) __builtin_convertvector((v), VF)
#define D2I(v) __builtin_convertvector((v), VI)
#endif
/* stmt for h = 0, then for h = 1: the AVX-512 fast paths' two steps a call, each operation of
   one next to the same of the other in program order, so that the core finds independent work
   while a step waits on its long chains (divisions); h is a constant, the arrays of two stay
   in registers */
#ifndef VM_EACH2
#define VM_EACH2(...)                                                                        \
    do {                                                                                     \
        { const int h = 0; __VA_ARGS__; }                                                    \
        { const int h = 1; __VA_ARGS__; }                                                    \
    } while (0)
#endif
/* constants in every lane (c - 0 is c, -0.0 included) */
#define spl(c) ((double)(c) - (VD){0})
#define spf(c) ((float)(c) - (WF){0})
#define spi(c) ((int32_t)(c) + (WI){0})

/* a lane mask (-1 or 0 per lane) as bits: one movemask instruction where there is one */
VM_ATTR VM_INL int
K_(mask4d)(VL m)
{
#if VM_HW == 2
    return _mm512_movepi64_mask((__m512i)m);
#elif VM_HW
    return _mm256_movemask_pd((__m256d)m);
#else
    return (int)((m[0] & 1) | (m[1] & 2) | (m[2] & 4) | (m[3] & 8));
#endif
}

VM_ATTR VM_INL int
K_(mask4i)(VI m)
{
#if VM_HW == 2
    return _mm256_movemask_ps((__m256)m);
#elif VM_HAVE_HW  /* (x86-64: immintrin.h is included, SSE is baseline) */
    return _mm_movemask_ps((__m128)m);
#else
    return (m[0] & 1) | (m[1] & 2) | (m[2] & 4) | (m[3] & 8);
#endif
}

/* the same for 2 VM_W float lanes */
VM_ATTR VM_INL int
K_(mask8i)(WI m)
{
#if VM_HW == 2
    return _mm512_movepi32_mask((__m512i)m);
#elif VM_HW
    return _mm256_movemask_ps((__m256)m);
#else
    int r = 0;
    for (int j = 0; j < 8; j++)
        r |= (m[j] & 1) << j;
    return r;
#endif
}

/* the lanes of VM_W doubles whose low 29 bits lie within VM_MARGIN of the float midpoint
   2^28, as a bit mask (one unsigned comparison: low + MARGIN - 2^28 in [0, 2 MARGIN] mod 2^29) */
VM_ATTR VM_INL int
K_(near_mid)(VD y)
{
    VQ t = ((VQ)y + (uint64_t)(VM_MARGIN - 0x10000000)) & 0x1fffffff;
#if VM_HW == 2
    return _mm512_cmple_epu64_mask((__m512i)t, _mm512_set1_epi64(2 * VM_MARGIN));
#else
    return K_(mask4d)((VL)(t <= 2 * VM_MARGIN));
#endif
}

/* two halves as one register (through memory they would cost a failed store forwarding) */
VM_ATTR VM_INL WF
K_(join)(VF lo, VF hi)
{
#if VM_HW == 2
    return (WF)_mm512_insertf32x8(_mm512_castps256_ps512((__m256)lo), (__m256)hi, 1);
#elif VM_HW
    return (WF)_mm256_insertf128_ps(_mm256_castps128_ps256((__m128)lo), (__m128)hi, 1);
#else
    WF out;
    memcpy(&out, &lo, sizeof lo);
    memcpy((char *)&out + sizeof lo, &hi, sizeof hi);
    return out;
#endif
}

/* expf: exp(x) = 2^(k/32) * 2^(r/32) with x*32/ln2 = k + r, |r| <= 1/2, a cubic in r */
VM_ATTR VM_INL int
K_(expf4)(const float *xp, float *yp)
{
    VF xf;
    memcpy(&xf, xp, sizeof xf);
    VU top = ((VU)xf >> 20) & 0x7ff;
    VI spec = (VI)(top >= 0x42a); /* |x| >= 85 (results near the subnormals or beyond), NaN */
    VD xd = F2D(xf);
    VD kd = MAD(spl(EXPF_INVLN2N), xd, spl(EXPF_SHIFT));
    VQ ki = (VQ)kd;
    kd -= EXPF_SHIFT;
#if VM_HW
    VD r = MAD(spl(EXPF_INVLN2N), xd, -kd);
#else
    VD r = EXPF_INVLN2N * xd - kd;
#endif
    VQ j = ki % 32;
#if VM_HW == 2
    /* two 16-entry permutes and a select on bit 4 (a gather is ~4x slower on AMD's Zen) */
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
    VD s = (VD)(t + (ki << 47));
    VD z = MAD(spl(EXPF_C0), r, spl(EXPF_C1)), r2 = r * r;
    VD y = MAD(spl(EXPF_C2), r, spl(1.0));
    y = MAD(z, r2, y) * s;
    VF out = D2F(y);
    memcpy(yp, &out, sizeof out);
    return K_(mask4i)(spec) | K_(near_mid)(y);
}

/* logf: log(x) = k ln2 + log(c) + log1p(z/c - 1), z = x/2^k in [0.70, 1.40), c the center of
   z's 16th of that range */
VM_ATTR VM_INL int
K_(logf4)(const float *xp, float *yp)
{
    VF xf;
    memcpy(&xf, xp, sizeof xf);
    VU ix = (VU)xf;
    VI spec = (VI)(ix - 0x00800000 >= 0x7f800000 - 0x00800000); /* <= 0, subnormal, inf, NaN */
    VU tmp = ix - 0x3f330000, i = (tmp >> 19) % 16;
    VI k = (VI)tmp >> 23;
    VU iz = ix - (tmp & 0xff800000);
#if VM_HW == 2
    /* 16 entries: one two-register permute each */
    __m512i i64 = _mm512_cvtepu32_epi64((__m256i)i);
    VD invc = (VD)_mm512_permutex2var_pd(_mm512_loadu_pd(vm_logf_invc), i64,
                                         _mm512_loadu_pd(vm_logf_invc + 8));
    VD logc = (VD)_mm512_permutex2var_pd(_mm512_loadu_pd(vm_logf_logc), i64,
                                         _mm512_loadu_pd(vm_logf_logc + 8));
#elif VM_HW
    VD invc = (VD)_mm256_i32gather_pd(&vm_logf_tab[0][0], (__m128i)(i * 2), 8);
    VD logc = (VD)_mm256_i32gather_pd(&vm_logf_tab[0][1], (__m128i)(i * 2), 8);
#else
    VD invc = {vm_logf_tab[i[0]][0], vm_logf_tab[i[1]][0], vm_logf_tab[i[2]][0],
               vm_logf_tab[i[3]][0]};
    VD logc = {vm_logf_tab[i[0]][1], vm_logf_tab[i[1]][1], vm_logf_tab[i[2]][1],
               vm_logf_tab[i[3]][1]};
#endif
    VD z = F2D((VF)iz);
    VD r = MAD(z, invc, spl(-1.0));
    VD y0 = MAD(I2D(k), spl(LOGF_LN2), logc);
    VD r2 = r * r;
    VD y = MAD(spl(LOGF_A1), r, spl(LOGF_A2));
    y = MAD(spl(LOGF_A0), r2, y);
    y = MAD(y, r2, y0 + r);
    VF out = D2F(y);
    memcpy(yp, &out, sizeof out);
    return K_(mask4i)(spec) | K_(near_mid)(y);
}

/* sinf and cosf below 120 in magnitude: x = n pi/2 + r, |r| <= pi/4, one multiply-subtract;
   an odd polynomial for sin(r), an even one for cos(r); VM_W lanes in double. glibc does not
   reduce below pi/4 (its test: |x| < 0.75 by the top 12 bits); there its n would be 0 anyway
   (|x * 2^24 2/pi| < 2^23) and x - 0 pi/2 is x, so every lane takes the one path. */
VM_ATTR VM_INL VD
K_(sincos_core)(VF xf, int cosine)
{
    VD x = F2D(xf);
    /* n = x 2/pi rounded to nearest on the AVX sets (one product, glibc's scaled one times
       2^-24: exact; one rounding instruction): glibc's (trunc(rr) + 2^23) >> 24 can only
       differ where rr lies within 1 of an odd multiple of 2^23, and no float below 120 puts it
       there (every one checked: the same n) */
#if VM_HW == 2
    VD nd = (VD)_mm512_roundscale_pd(_mm512_mul_pd((__m512d)x,
                                                   _mm512_set1_pd(SINCOSF_HPI_INV * 0x1p-24)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
#elif VM_HW
    VD nd = (VD)_mm256_round_pd((__m256d)(x * (SINCOSF_HPI_INV * 0x1p-24)),
                                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
#else
    VD rr = x * SINCOSF_HPI_INV;
    VI n = (D2I(rr) + 0x800000) >> 24;
    VD nd = I2D(n);
#endif
#if VM_HW
    VD xr = MAD(-nd, spl(SINCOSF_HPI), x);
#else
    VD xr = x - nd * SINCOSF_HPI;
#endif
    VD x2 = xr * xr;
    /* glibc's polynomials, sin: x + x^3 s1 + x^7 (s2 + x^2 s3), cos: 1 + x^2 c1 + x^4 c2 +
       x^6 (c3 + x^2 c4), in Horner's order (3 operations fewer): |x^2| < 0.62, every term is
       small against the first, so both orders lie within a few units of 2^-53 of the value,
       far inside the 2^-41 the filter allows against glibc's own double */
    VD sp = MAD(spl(SINCOSF_S3), x2, spl(SINCOSF_S2));
    sp = MAD(sp, x2, spl(SINCOSF_S1));
    sp = MAD(sp, xr * x2, xr);
    VD cp = MAD(spl(SINCOSF_C4), x2, spl(SINCOSF_C3));
    cp = MAD(cp, x2, spl(SINCOSF_C2));
    cp = MAD(cp, x2, spl(SINCOSF_C1));
    cp = MAD(cp, x2, spl(1.0));
    /* the quadrant's bits from n as a double (exact): cos(x) is sin(x + pi/2), quadrant n + 1;
       odd quadrants take cos's polynomial, quadrants 2 and 3 the negative */
    VL q = (VL)(nd + (cosine ? 0x1.8p52 + 1 : 0x1.8p52));
#if VM_HW == 2
    __m512d y = _mm512_mask_blend_pd(_mm512_test_epi64_mask((__m512i)q, _mm512_set1_epi64(1)),
                                     (__m512d)sp, (__m512d)cp);
    return (VD)_mm512_mask_xor_pd(y, _mm512_test_epi64_mask((__m512i)q, _mm512_set1_epi64(2)),
                                  y, _mm512_set1_pd(-0.0));
#else
    VL odd = -(q & 1);
    VD y = (VD)(((VL)cp & odd) | ((VL)sp & ~odd));
    return (VD)((VL)y ^ ((q & 2) << 62));
#endif
}

/* 2 VM_W lanes: the masks on one register, the double work on two halves */
VM_ATTR VM_INL int
K_(sincosf8)(const float *xp, float *yp, int cosine)
{
    WF x8;
    VF lo, hi;
    memcpy(&x8, xp, sizeof x8);
    WU top = ((WU)x8 >> 20) & 0x7ff;
    memcpy(&lo, xp, sizeof lo);
    memcpy(&hi, xp + VM_W, sizeof hi);
    VD ylo = K_(sincos_core)(lo, cosine), yhi = K_(sincos_core)(hi, cosine);
    WF out = K_(join)(D2F(ylo), D2F(yhi));
    int near = K_(near_mid)(ylo) | (K_(near_mid)(yhi) << VM_W);
#if VM_HW == 2
    /* |x| >= 120 (Payne-Hanek reduction; inf, NaN): libm; |x| < 2^-12: x or 1 */
    __mmask16 spec = _mm512_cmpge_epu32_mask((__m512i)top, _mm512_set1_epi32(0x42f));
    __mmask16 tiny = _mm512_cmplt_epu32_mask((__m512i)top, _mm512_set1_epi32(0x398));
    out = (WF)_mm512_mask_blend_ps(tiny, (__m512)out, cosine ? _mm512_set1_ps(1.0f)
                                                          : (__m512)x8);
    memcpy(yp, &out, sizeof out);
    return spec | (near & ~tiny);
#else
    WI spec = (WI)(top >= 0x42f);       /* |x| >= 120: Payne-Hanek reduction; inf, NaN */
    WI tiny = (WI)(top < 0x398);        /* |x| < 2^-12: x or 1 */
    out = vsel8(tiny, cosine ? spf(1.0f) : x8, out);
    memcpy(yp, &out, sizeof out);
    return K_(mask8i)(spec) | (near & ~K_(mask8i)(tiny));
#endif
}

/* fdlibm's expm1f in float arithmetic for tanhf's arguments (2|x| in [2, 44), -2|x| in
   (-2, 0)): every operation of the scalar code on 8 lanes, its branches as selects (k = 1,
   which those arguments never reach, is left out). */
VM_ATTR VM_INL WF
K_(expm1f8)(WF u)
{
    WU hx = (WU)u & 0x7fffffff;
    WI neg = (WI)u < 0;
    WF half = vsel8(neg, spf(-0.5f), spf(0.5f));
    WF tk = u * EXPM1F_INVLN2 + half;          /* two roundings, as k = invln2*x + 0.5 */
    WI kg = __builtin_convertvector(tk, WI);
    WF tg = __builtin_convertvector(kg, WF);
    WF hi_g = u - tg * EXPM1F_LN2_HI, lo_g = tg * EXPM1F_LN2_LO;
    WF hi_1 = vsel8(neg, u + EXPM1F_LN2_HI, u - EXPM1F_LN2_HI);
    WF lo_1 = vsel8(neg, spf(-EXPM1F_LN2_LO), spf(EXPM1F_LN2_LO));
    WI k1 = vsel8i(neg, spi(-1), spi(1));
    WI one_ln2 = (WI)(hx < 0x3f851592);          /* |u| < 1.5 ln2 */
    WI reduce = (WI)(hx > 0x3eb17218);           /* |u| > 0.5 ln2 */
    WF hi = vsel8(one_ln2, hi_1, hi_g), lo = vsel8(one_ln2, lo_1, lo_g);
    WI k = vsel8i(reduce, vsel8i(one_ln2, k1, kg), spi(0));
    WF xr = hi - lo, c = (hi - xr) - lo;
    xr = vsel8(reduce, xr, u);
    c = vsel8(reduce, c, spf(0.0f));
    WF hfx = 0.5f * xr, hxs = xr * hfx;
    WF r1 = 1.0f + hxs * (EXPM1F_Q1 + hxs * (EXPM1F_Q2 + hxs * (EXPM1F_Q3 + hxs * (
        EXPM1F_Q4 + hxs * EXPM1F_Q5))));
    WF t = 3.0f - r1 * hfx;
    WF e = hxs * ((r1 - t) / (6.0f - xr * t));
    WF r_k0 = xr - (xr * e - hxs);
    WF e2 = (xr * (e - c) - c) - hxs;
    WF r_km1 = 0.5f * (xr - e2) - 0.5f;
    WU kk = (WU)k << 23;
    WF y_far = (WF)((WU)(1.0f - (e2 - xr)) + kk) - 1.0f;     /* k <= -2 or k > 56 */
    WI ks = vsel8i((WI)((k >= 2) & (k < 23)), k, spi(2));
    WF t_mid = (WF)(0x3f800000 - (0x1000000 >> ks));          /* 1 - 2^-k */
    WF y_mid = (WF)((WU)(t_mid - (e2 - xr)) + kk);           /* k < 23 */
    WI kh = vsel8i((WI)((k >= 23) & (k <= 56)), k, spi(23));
    WF t_hi = (WF)((0x7f - kh) << 23);                         /* 2^-k */
    WF y_hi = (WF)((WU)((xr - (e2 + t_hi)) + 1.0f) + kk);    /* 23 <= k <= 56 */
    WF y = vsel8((WI)((k <= -2) | (k > 56)), y_far, vsel8((WI)(k < 23), y_mid, y_hi));
    y = vsel8((WI)(k == -1), r_km1, y);
    y = vsel8((WI)(k == 0), r_k0, y);
    return vsel8((WI)(hx < 0x33000000), u, y);                 /* |u| < 2^-25: u */
}

/* fdlibm's tanhf: 1 - 2/(expm1(2|x|) + 2) from 1 on, -t/(t + 2) with t = expm1(-2|x|) below,
   +-1 from 22 on, x(1 + x) below 2^-55 */
VM_ATTR VM_INL int
K_(tanhf8)(const float *xp, float *yp)
{
    WF x;
    memcpy(&x, xp, sizeof x);
    WU ix = (WU)x & 0x7fffffff;
    WF ax = (WF)ix;
    WI spec = (WI)(ix >= 0x7f800000);
    WI big = (WI)(ix >= 0x41b00000), ge1 = (WI)(ix >= 0x3f800000);
    WF u = vsel8(ge1, 2.0f * ax, -2.0f * ax);
    u = vsel8(big | spec, spf(1.0f), u);        /* (keeps the unused lanes in range) */
    WF t = K_(expm1f8)(u);
    WF q = vsel8(ge1, spf(2.0f), -t) / (t + 2.0f);    /* one quotient per lane */
    WF z = vsel8(ge1, 1.0f - q, q);
    z = vsel8(big, spf(1.0f), z);
    z = (WF)((WU)z | ((WU)x & 0x80000000));
    z = vsel8((WI)(ix < 0x24000000), x * (1.0f + x), z);
    z = vsel8((WI)(ix == 0), x, z);
    memcpy(yp, &z, sizeof z);
    return K_(mask8i)(spec);
}

/* the loops: 2 VM_W elements a step, the tail through a padded copy, libm for flagged lanes */
#define VM_LOOP4(NAME, KERN, LIBF)                                                           \
    VM_ATTR static void                                                                      \
    K_(NAME)(const float *x, float *y, ptrdiff_t n)                                          \
    {                                                                                        \
        ptrdiff_t i = 0;                                                                     \
        int overlap = (uintptr_t)(x + n) > (uintptr_t)y && (uintptr_t)(y + n) > (uintptr_t)x;  \
        for (; i + 2 * VM_W <= n; i += 2 * VM_W) {                                           \
            float xc[2 * VM_W]; /* (y may overlap x: libm's lanes read the inputs kept here) */\
            const float *xs = x + i;                                                         \
            if (overlap) {                                                                   \
                memcpy(xc, x + i, sizeof xc);                                                \
                xs = xc;                                                                     \
            }                                                                                \
            int m = KERN(xs, y + i) | (KERN(xs + VM_W, y + i + VM_W) << VM_W);               \
            if (__builtin_expect(m != 0, 0))                                                 \
                vm_fix(m, xs, y + i, LIBF);                                                  \
        }                                                                                    \
        for (; i < n; i += VM_W) {                                                           \
            float xb[VM_W], yb[VM_W];                                                        \
            ptrdiff_t len = n - i < VM_W ? n - i : VM_W;                                     \
            for (int j = 0; j < VM_W; j++)                                                   \
                xb[j] = 1.0f;                                                                \
            memcpy(xb, x + i, len * sizeof(float));                                          \
            int m = KERN(xb, yb) & ((1 << len) - 1);                                         \
            if (m)                                                                           \
                vm_fix(m, xb, yb, LIBF);                                                     \
            memcpy(y + i, yb, len * sizeof(float));                                          \
        }                                                                                    \
    }

VM_LOOP4(vm_expf, K_(expf4), expf)
#define VM_LOOP8(NAME, KERN, LIBF)                                                           \
    VM_ATTR static void                                                                      \
    K_(NAME)(const float *x, float *y, ptrdiff_t n)                                          \
    {                                                                                        \
        ptrdiff_t i = 0;                                                                     \
        int overlap = (uintptr_t)(x + n) > (uintptr_t)y && (uintptr_t)(y + n) > (uintptr_t)x;  \
        for (; i + 2 * VM_W <= n; i += 2 * VM_W) {                                           \
            float xc[2 * VM_W]; /* (y may overlap x: libm's lanes read the inputs kept here) */\
            const float *xs = x + i;                                                         \
            if (overlap) {                                                                   \
                memcpy(xc, x + i, sizeof xc);                                                \
                xs = xc;                                                                     \
            }                                                                                \
            int m = KERN(xs, y + i);                                                         \
            if (__builtin_expect(m != 0, 0))                                                 \
                vm_fix(m, xs, y + i, LIBF);                                                  \
        }                                                                                    \
        if (i < n) {                                                                         \
            float xb[2 * VM_W], yb[2 * VM_W];                                                \
            ptrdiff_t len = n - i;                                                           \
            for (int j = 0; j < 2 * VM_W; j++)                                               \
                xb[j] = 1.0f;                                                                \
            memcpy(xb, x + i, len * sizeof(float));                                          \
            int m = KERN(xb, yb) & ((1 << len) - 1);                                         \
            if (m)                                                                           \
                vm_fix(m, xb, yb, LIBF);                                                     \
            memcpy(y + i, yb, len * sizeof(float));                                          \
        }                                                                                    \
    }

VM_ATTR VM_INL int K_(sinf8)(const float *x, float *y) { return K_(sincosf8)(x, y, 0); }
VM_ATTR VM_INL int K_(cosf8)(const float *x, float *y) { return K_(sincosf8)(x, y, 1); }
VM_LOOP8(vm_sinf, K_(sinf8), sinf)
VM_LOOP8(vm_cosf, K_(cosf8), cosf)

/* TH_sigmoid: 1/(1 + exp(-x)) with every step in T (THMath.h's TH_sigmoidf for floats, its
   TH_sigmoid for doubles), exp by the lane kernel EXPK (libm's bits); blocks of 256 on the
   stack */
#ifndef VM_SIGMOID
#define VM_SIGMOID(NAME, T, EXPK)                                                             \
VM_ATTR static void                                                                           \
K_(NAME)(const T *x, T *y, ptrdiff_t n)                                                       \
{                                                                                             \
    T nb[256], eb[256];                                                                       \
    for (ptrdiff_t i = 0; i < n; i += 256) {                                                  \
        ptrdiff_t len = n - i < 256 ? n - i : 256;                                            \
        for (ptrdiff_t j = 0; j < len; j++)                                                   \
            nb[j] = -x[i + j];                                                                \
        K_(EXPK)(nb, eb, len);                                                                \
        for (ptrdiff_t j = 0; j < len; j++)                                                   \
            y[i + j] = (T)1 / ((T)1 + eb[j]);                                                 \
    }                                                                                         \
}
#endif
VM_SIGMOID(vm_sigmoidf, float, vm_expf)

/* fdlibm's expm1 correction of a reduced argument xr: hxs = xr xr/2 (through *hxsp) and
   e = hxs (r1 - t)/(6 - xr t), r1 its polynomial in hxs, t = 3 - r1 xr/2 (expm1d4, expm1pd4,
   expm1sd4) */
VM_ATTR VM_INL VD
K_(expm1_e)(VD xr, VD *hxsp)
{
    VD hfx = 0.5 * xr, hxs = xr * hfx;
    VD R1 = MAD(hxs, spl(EXPM1_Q1), spl(1.0)), h2 = hxs * hxs;
    VD R2 = MAD(hxs, spl(EXPM1_Q3), spl(EXPM1_Q2)), h4 = h2 * h2;
    VD R3 = MAD(hxs, spl(EXPM1_Q5), spl(EXPM1_Q4));
    VD r1 = MAD(h4, R3, MAD(h2, R2, R1));
    VD t = MAD(-r1, hfx, spl(3.0));
    *hxsp = hxs;
    return hxs * ((r1 - t) / MAD(-xr, t, spl(6.0)));
}

/* fdlibm's tanh and expm1 on doubles, VM_W lanes, for tanh's arguments as in tanhf8 above (k = 1
   left out); MAD where the compiler fuses in glibc's FMA build of expm1 */
VM_ATTR VM_INL VD
K_(expm1d4)(VD u)
{
    VL hx = ((VL)u >> 32) & 0x7fffffff;
    VL neg = (VL)u < 0;
    VD half = (VD)(((VL)spl(-0.5) & neg) | ((VL)spl(0.5) & ~neg));
    VD tk = MAD(u, spl(EXPM1_INVLN2), half);
    VI ki = D2I(tk);
    VD tg = I2D(ki);
    VL kg = __builtin_convertvector(ki, VL);
    VD hi_g = MAD(-tg, spl(EXPM1_LN2_HI), u), lo_g = tg * EXPM1_LN2_LO;
    VD hi_1 = vdsel(neg, u + EXPM1_LN2_HI, u - EXPM1_LN2_HI);
    VD lo_1 = vdsel(neg, spl(-EXPM1_LN2_LO), spl(EXPM1_LN2_LO));
    VL k1 = (neg & -1) | (~neg & 1);
    VL one_ln2 = hx < 0x3ff0a2b2, reduce = hx > 0x3fd62e42;
    VD hi = vdsel(one_ln2, hi_1, hi_g), lo = vdsel(one_ln2, lo_1, lo_g);
    VL k = reduce & ((one_ln2 & k1) | (~one_ln2 & kg));
    VD xr = hi - lo, c = (hi - xr) - lo;
    xr = vdsel(reduce, xr, u);
    c = vdsel(reduce, c, spl(0.0));
    VD hxs, e = K_(expm1_e)(xr, &hxs);
    VD r_k0 = xr - MAD(xr, e, -hxs);
    VD e2 = MAD(xr, e - c, -c) - hxs;
    VD r_km1 = MAD(spl(0.5), xr - e2, spl(-0.5));
    VQ kk = (VQ)k << 52;
    VD y_far = (VD)((VQ)(1.0 - (e2 - xr)) + kk) - 1.0;          /* k <= -2 or k > 56 */
    VL ks = vdseli((k >= 2) & (k < 20), k, 2);
    VD t_mid = (VD)((VQ)(0x3ff00000 - (0x200000 >> ks)) << 32);  /* 1 - 2^-k */
    VD y_mid = (VD)((VQ)(t_mid - (e2 - xr)) + kk);                /* k < 20 */
    VL kh = vdseli((k >= 20) & (k <= 56), k, 20);
    VD t_hi = (VD)((VQ)((0x3ff - kh) << 20) << 32);               /* 2^-k */
    VD y_hi = (VD)((VQ)((xr - (e2 + t_hi)) + 1.0) + kk);         /* 20 <= k <= 56 */
    VD y = vdsel((k <= -2) | (k > 56), y_far, vdsel(k < 20, y_mid, y_hi));
    y = vdsel(k == -1, r_km1, y);
    y = vdsel(k == 0, r_k0, y);
    return vdsel(hx < 0x3c900000, u, y);                           /* |u| < 2^-54: u */
}

VM_ATTR VM_INL int
K_(tanhd4)(const double *xp, double *yp)
{
    VD x;
    memcpy(&x, xp, sizeof x);
    VQ bits = (VQ)x & 0x7fffffffffffffffULL;
    VL ix = (VL)(bits >> 32);
    VD ax = (VD)bits;
    VL spec = ix >= 0x7ff00000;
    VL big = ix >= 0x40360000, ge1 = ix >= 0x3ff00000;
    VD u = vdsel(ge1, 2.0 * ax, -2.0 * ax);
    u = vdsel(big | spec, spl(1.0), u);
    VD t = K_(expm1d4)(u);
    VD q = vdsel(ge1, spl(2.0), -t) / (t + 2.0);
    VD z = vdsel(ge1, 1.0 - q, q);
    z = vdsel(big, spl(1.0), z);
    z = (VD)((VQ)z | ((VQ)x & 0x8000000000000000ULL));
    z = vdsel(ix < 0x3c800000, x * (1.0 + x), z);
    z = vdsel((VL)bits == 0, x, z);
    memcpy(yp, &z, sizeof z);
    return K_(mask4d)(spec);
}

/* glibc's exp (double) on |x| in [2^-54, 512) (its main path; the rest, with NaN and inf,
   goes to libm): the operations of its FMA build (__exp_fma, as objdump shows it) in its
   order, MAD where it fuses; the portable set is its baseline build (MAD a product and a
   sum). No filter: every operation is the same, so are the bits. */
VM_ATTR VM_INL int
K_(expd4)(const double *xp, double *yp)
{
    VD x;
    memcpy(&x, xp, sizeof x);
    VQ abstop = ((VQ)x >> 52) & 0x7ff;
    VL spec = (VL)(abstop - 0x3c9 > 0x3e);
    VD kd = MAD(x, spl(EXP_INVLN2N), spl(EXP_SHIFT));
    VQ ki = (VQ)kd;
    kd -= EXP_SHIFT;
    VD r = MAD(kd, spl(EXP_NEGLN2HIN), x);
    r = MAD(kd, spl(EXP_NEGLN2LON), r);
#if VM_HW == 2
    /* the 8 (tail, sbits) pairs by 16-byte scalar loads at byte offsets 16 (k mod 128), put
       through the stack, and two unpacks as in logd4: two gathers of 8 cost more on AMD's Zen */
    uint64_t off[8] __attribute__((aligned(64)));
    _mm512_store_si512(off, (__m512i)((ki << 4) & 0x7f0));
#define EXPD_PAIR(j) _mm_load_pd((const double *)((const char *)vm_exp_tab + off[j]))
#define EXPD_PAIRS(j) _mm256_insertf128_pd(_mm256_castpd128_pd256(EXPD_PAIR(j)), EXPD_PAIR(j + 2), 1)
    __m512d ta = _mm512_insertf64x4(_mm512_castpd256_pd512(EXPD_PAIRS(0)), EXPD_PAIRS(4), 1);
    __m512d tb = _mm512_insertf64x4(_mm512_castpd256_pd512(EXPD_PAIRS(1)), EXPD_PAIRS(5), 1);
#undef EXPD_PAIRS
#undef EXPD_PAIR
    VD tail = (VD)_mm512_unpacklo_pd(ta, tb);
    VQ sb = (VQ)_mm512_unpackhi_pd(ta, tb);
#else
    VQ idx = (ki & 127) * 2;
#endif
#if VM_HW == 2
#elif VM_HW
    VD tail = (VD)_mm256_i64gather_pd((const double *)vm_exp_tab, (__m256i)idx, 8);
    VQ sb = (VQ)_mm256_i64gather_epi64((const long long *)vm_exp_tab + 1, (__m256i)idx, 8);
#else
    VQ tq = {vm_exp_tab[idx[0]], vm_exp_tab[idx[1]], vm_exp_tab[idx[2]], vm_exp_tab[idx[3]]};
    VQ sb = {vm_exp_tab[idx[0] + 1], vm_exp_tab[idx[1] + 1], vm_exp_tab[idx[2] + 1],
             vm_exp_tab[idx[3] + 1]};
    VD tail = (VD)tq;
#endif
    VD scale = (VD)(sb + (ki << 45));
    VD p23 = MAD(r, spl(EXP_C3), spl(EXP_C2));
    VD a = r + tail, r2 = r * r;
    VD p45 = MAD(r, spl(EXP_C5), spl(EXP_C4));
    VD tmp = MAD(p23, r2, a);
    tmp = MAD(r2 * r2, p45, tmp);
    VD y = MAD(scale, tmp, scale);
    memcpy(yp, &y, sizeof y);
    return K_(mask4d)(spec);
}

/* a double loop's last n - i (< VM_W) elements, padded with 1.0 (each kernel's flag mask drops
   the padding), the lanes the kernel flags to libm (VM_LOOPD and the atan and asin loops) */
#define VM_TAILD(KERN, LIBF)                                                                 \
        if (i < n) {                                                                         \
            double xb[VM_W], yb[VM_W];                                                       \
            ptrdiff_t len = n - i;                                                           \
            for (int j = 0; j < VM_W; j++)                                                   \
                xb[j] = 1.0;                                                                 \
            memcpy(xb, x + i, len * sizeof(double));                                         \
            int m = KERN(xb, yb) & ((1 << len) - 1);                                         \
            if (m)                                                                           \
                vm_fixd(m, xb, yb, LIBF);                                                    \
            memcpy(y + i, yb, len * sizeof(double));                                         \
        }

/* the double loops: VM_W elements a step, the tail through a padded copy (1.0 in the unused
   lanes), libm for flagged lanes */
#define VM_LOOPD(NAME, KERN, LIBF)                                                           \
    VM_ATTR static void                                                                      \
    K_(NAME)(const double *x, double *y, ptrdiff_t n)                                        \
    {                                                                                        \
        ptrdiff_t i = 0;                                                                     \
        int overlap = (uintptr_t)(x + n) > (uintptr_t)y && (uintptr_t)(y + n) > (uintptr_t)x;  \
        for (; i + VM_W <= n; i += VM_W) {                                                   \
            double xc[VM_W]; /* (y may overlap x: libm's lanes read the inputs kept here) */ \
            const double *xs = x + i;                                                        \
            if (overlap) {                                                                   \
                memcpy(xc, x + i, sizeof xc);                                                \
                xs = xc;                                                                     \
            }                                                                                \
            int m = KERN(xs, y + i);                                                         \
            if (__builtin_expect(m != 0, 0))                                                 \
                vm_fixd(m, xs, y + i, LIBF);                                                 \
        }                                                                                    \
        VM_TAILD(KERN, LIBF)                                                                 \
    }

/* the loops of kernels with a fast path (FAST: STEP elements, nonzero where it left a step
   to KERN, without storing): FAST over blocks of 64 steps, then KERN and libm for the steps it
   left (their inputs are intact: FAST stored nothing there, and y is x or apart from it; a y
   that overlaps x otherwise takes KERN step by step); the tail through a padded copy */
#define VM_LOOPF(NAME, T, STEP_, FAST, KERN, FIX, LIBF)                                      \
    VM_ATTR static void                                                                      \
    K_(NAME)(const T *x, T *y, ptrdiff_t n)                                                  \
    {                                                                                        \
        enum { STEP = (STEP_) };                                                             \
        ptrdiff_t i = 0;                                                                     \
        T xc[STEP];                                                                          \
        int overlap = (uintptr_t)(x + n) > (uintptr_t)y && (uintptr_t)(y + n) > (uintptr_t)x;  \
        if (overlap && x != y) {                                                             \
            for (; i + STEP <= n; i += STEP) {                                               \
                memcpy(xc, x + i, sizeof xc);                                                \
                int m = KERN(xc, y + i);                                                     \
                if (m)                                                                       \
                    FIX(m, xc, y + i, LIBF);                                                 \
            }                                                                                \
        }                                                                                    \
        while (i + STEP <= n) {                                                              \
            ptrdiff_t steps = (n - i) / STEP < 64 ? (n - i) / STEP : 64;                     \
            uint64_t left = 0;                                                               \
            for (ptrdiff_t j = 0; j < steps; j++)                                            \
                left |= (uint64_t)(FAST(x + i + j * STEP, y + i + j * STEP) != 0) << j;      \
            while (__builtin_expect(left != 0, 0)) {                                         \
                ptrdiff_t at = i + __builtin_ctzll(left) * STEP;                             \
                left &= left - 1;                                                            \
                memcpy(xc, x + at, sizeof xc);                                               \
                int m = KERN(xc, y + at);                                                    \
                if (m)                                                                       \
                    FIX(m, xc, y + at, LIBF);                                                \
            }                                                                                \
            i += steps * STEP;                                                               \
        }                                                                                    \
        if (i < n) {                                                                         \
            T yb[STEP];                                                                      \
            ptrdiff_t len = n - i;                                                           \
            for (int j = 0; j < STEP; j++)                                                   \
                xc[j] = 1;                                                                   \
            memcpy(xc, x + i, len * sizeof(T));                                              \
            int m = KERN(xc, yb) & ((1 << len) - 1);                                         \
            if (m)                                                                           \
                FIX(m, xc, yb, LIBF);                                                        \
            memcpy(y + i, yb, len * sizeof(T));                                              \
        }                                                                                    \
    }

#if VM_HW == 2
/* float log on 16 lanes, logf4's operations (the same bits), written for fewer instructions
   and fewer that cross the register's 128-bit lanes: x converted to double first (exact; the
   subnormals, which would come out normal, are libm's), glibc's integer steps on the double's
   bits, each the float step shifted left by 29 (tmp << 29 is D - c0, D and c0 the doubles' bits
   of x and 0x1.66p-1: k its top 12 bits, arithmetically; i the next 4, the low bits of
   tmp >> 48, all the permute reads; z's bits D - (tmp & ~(2^52 - 1))); a step with a lane <= 0,
   subnormal, inf or NaN, or whose double lies within 2 VM_MARGIN of a float rounding boundary
   (twice logf4's window: one test instead of two) is left to logf4 twice, which flags
   exactly */
VM_ATTR VM_INL __m512d
K_(logf_half)(const float *xp, __mmask8 *near)
{
    __m512i d = _mm512_castpd_si512(_mm512_cvtps_pd(_mm256_loadu_ps(xp)));
    __m512i tmp = _mm512_sub_epi64(d, _mm512_set1_epi64(0x3fe6600000000000LL));
    __m512d z = _mm512_castsi512_pd(_mm512_sub_epi64(
        d, _mm512_and_si512(tmp, _mm512_set1_epi64((long long)0xfff0000000000000ULL))));
    __m512i i = _mm512_srli_epi64(tmp, 48);
    __m512d kd = _mm512_cvtepi64_pd(_mm512_srai_epi64(tmp, 52));
    __m512d invc = _mm512_permutex2var_pd(_mm512_loadu_pd(vm_logf_invc), i,
                                          _mm512_loadu_pd(vm_logf_invc + 8));
    __m512d logc = _mm512_permutex2var_pd(_mm512_loadu_pd(vm_logf_logc), i,
                                          _mm512_loadu_pd(vm_logf_logc + 8));
    __m512d r = _mm512_fmadd_pd(z, invc, _mm512_set1_pd(-1.0));
    __m512d y0 = _mm512_fmadd_pd(kd, _mm512_set1_pd(LOGF_LN2), logc);
    __m512d r2 = _mm512_mul_pd(r, r);
    __m512d y = _mm512_fmadd_pd(_mm512_set1_pd(LOGF_A1), r, _mm512_set1_pd(LOGF_A2));
    y = _mm512_fmadd_pd(_mm512_set1_pd(LOGF_A0), r2, y);
    y = _mm512_fmadd_pd(y, r2, _mm512_add_pd(y0, r));
    /* the low 29 bits within [2^28 - 2M, 2^28 + 2M): (y + 2M - 2^28) mod 2^29 below 4M */
    *near = _mm512_testn_epi64_mask(
        _mm512_add_epi64(_mm512_castpd_si512(y), _mm512_set1_epi64(2 * VM_MARGIN - 0x10000000)),
        _mm512_set1_epi64(0x1fffffff & ~(4 * VM_MARGIN - 1)));
    return y;
}

VM_ATTR VM_INL int
K_(logf16)(const float *xp, float *yp)
{
    __m512i ix = _mm512_loadu_si512(xp);
    __mmask16 spec = _mm512_cmpge_epu32_mask(_mm512_sub_epi32(ix, _mm512_set1_epi32(0x00800000)),
                                             _mm512_set1_epi32(0x7f800000 - 0x00800000));
    __mmask8 n0, n1;
    __m512d y0 = K_(logf_half)(xp, &n0), y1 = K_(logf_half)(xp + 8, &n1);
    if (__builtin_expect((spec | n0 | n1) != 0, 0))
        return 1;
    _mm256_storeu_ps(yp, _mm512_cvtpd_ps(y0));
    _mm256_storeu_ps(yp + 8, _mm512_cvtpd_ps(y1));
    return 0;
}
VM_ATTR VM_INL int
K_(logf4x2)(const float *x, float *y)
{
    return K_(logf4)(x, y) | (K_(logf4)(x + VM_W, y + VM_W) << VM_W);
}
VM_LOOPF(vm_logf, float, 2 * VM_W, K_(logf16), K_(logf4x2), vm_fix, logf)
#else
VM_LOOP4(vm_logf, K_(logf4), logf)
#endif

#if VM_HW == 2
/* float tanh on 16 lanes, the common case in fewer operations, as tanhd8 below (the same
   float operations as tanhf8 in the same order, none fused but where a product is exact, the
   selects as masked operations); a step with a lane outside |x| < 7.75 (k <= 22: no 2^-k
   branch of expm1f) or [0x1.205968p3, inf] (where tanhf is +-1: every float there, checked)
   is tanhf8's, NaN included. */
#define TANHF_LO 0x40f80000   /* 7.75 */
#define TANHF_SAT 0x41102cb4  /* 0x1.205968p3: tanhf(x) is 1 from there */
VM_ATTR VM_INL int
K_(tanhf16)(const float *xp, float *yp)
{
    __m512 x = _mm512_loadu_ps(xp);
    __m512i ix = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(0x7fffffff));
    __mmask16 lo = _mm512_cmplt_epu32_mask(ix, _mm512_set1_epi32(TANHF_LO));
    __mmask16 sat = _mm512_cmple_epu32_mask(_mm512_sub_epi32(ix, _mm512_set1_epi32(TANHF_SAT)),
                                            _mm512_set1_epi32(0x7f800000 - TANHF_SAT));
    if (__builtin_expect((__mmask16)(lo | sat) != 0xffff, 0))
        return 1;
    __m512 ax = _mm512_castsi512_ps(ix), one = _mm512_set1_ps(1.0f);
    __mmask16 ge1 = _mm512_cmpge_epu32_mask(ix, _mm512_set1_epi32(0x3f800000));
    __mmask16 lt1 = _mm512_cmplt_epu32_mask(ix, _mm512_set1_epi32(0x3f800000));
    __m512 au = _mm512_mul_ps(_mm512_set1_ps(2.0f), ax);
    __m512 u = _mm512_mask_xor_ps(au, lt1, au, _mm512_set1_ps(-0.0f));
    __m512i hu = _mm512_castps_si512(au);
    __mmask16 red = _mm512_cmpgt_epu32_mask(hu, _mm512_set1_epi32(0x3eb17218));
    __mmask16 utiny = _mm512_cmplt_epu32_mask(hu, _mm512_set1_epi32(0x33000000));
    /* k = (int)(invln2 u +- 1/2) (two roundings) as a float, 0 where not reduced; as in
       tanhd8, below 1 and |u| < 1.5 ln2 it is -1 with expm1f's hi and lo exactly */
    __m512 half = _mm512_mask_blend_ps(ge1, _mm512_set1_ps(-0.5f), _mm512_set1_ps(0.5f));
    __m512 tg = _mm512_maskz_roundscale_ps(
        red, _mm512_add_ps(_mm512_mul_ps(u, _mm512_set1_ps(EXPM1F_INVLN2)), half),
        _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    __m512 hi = _mm512_sub_ps(u, _mm512_mul_ps(tg, _mm512_set1_ps(EXPM1F_LN2_HI)));
    __m512 lo_ = _mm512_mul_ps(tg, _mm512_set1_ps(EXPM1F_LN2_LO));
    __m512 xr = _mm512_sub_ps(hi, lo_);
    __m512 c = _mm512_sub_ps(_mm512_sub_ps(hi, xr), lo_);
    __m512 hfx = _mm512_mul_ps(_mm512_set1_ps(0.5f), xr), hxs = _mm512_mul_ps(xr, hfx);
    __m512 r1 = _mm512_add_ps(_mm512_set1_ps(EXPM1F_Q4),
                              _mm512_mul_ps(hxs, _mm512_set1_ps(EXPM1F_Q5)));
    r1 = _mm512_add_ps(_mm512_set1_ps(EXPM1F_Q3), _mm512_mul_ps(hxs, r1));
    r1 = _mm512_add_ps(_mm512_set1_ps(EXPM1F_Q2), _mm512_mul_ps(hxs, r1));
    r1 = _mm512_add_ps(_mm512_set1_ps(EXPM1F_Q1), _mm512_mul_ps(hxs, r1));
    r1 = _mm512_add_ps(one, _mm512_mul_ps(hxs, r1));
    __m512 t = _mm512_sub_ps(_mm512_set1_ps(3.0f), _mm512_mul_ps(r1, hfx));
    __m512 e = _mm512_mul_ps(hxs, _mm512_div_ps(_mm512_sub_ps(r1, t),
                                                _mm512_sub_ps(_mm512_set1_ps(6.0f),
                                                              _mm512_mul_ps(xr, t))));
    /* D = xr - e2, e2 = (xr (e - c) - c) - hxs: with c = 0 (k = 0) e2 is xr e - hxs, so D is
       expm1f's k = 0 result; the others from D and s = 2^k as in tanhd8 (the one fused
       product, D s or RN(D + 1) s, is exact) */
    __m512 e2 = _mm512_sub_ps(_mm512_sub_ps(_mm512_mul_ps(xr, _mm512_sub_ps(e, c)), c), hxs);
    __m512 D = _mm512_sub_ps(xr, e2);
    __mmask16 far = _mm512_cmplt_ps_mask(tg, _mm512_set1_ps(-1.5f));
    __m512 s = _mm512_scalef_ps(one, tg);
    __m512 m = _mm512_mask_add_ps(D, far, D, one);
    __m512 a = _mm512_mask_blend_ps(far, _mm512_sub_ps(s, one), _mm512_set1_ps(-1.0f));
    __m512 tm = _mm512_fmadd_ps(m, s, a);
    tm = _mm512_mask_mov_ps(tm, utiny, u);    /* |u| < 2^-25: u */
    __m512 num = _mm512_mask_xor_ps(_mm512_set1_ps(2.0f), lt1, tm, _mm512_set1_ps(-0.0f));
    __m512 q = _mm512_div_ps(num, _mm512_add_ps(tm, _mm512_set1_ps(2.0f)));
    __m512 z = _mm512_mask_sub_ps(q, ge1, one, q);
    z = _mm512_mask_mov_ps(z, sat, one);
    z = _mm512_castsi512_ps(_mm512_ternarylogic_epi32(_mm512_castps_si512(z),
                                                      _mm512_castps_si512(x),
                                                      _mm512_set1_epi32((int)0x80000000),
                                                      0xf8)); /* z | (x & sign) */
    __mmask16 tiny = _mm512_cmplt_epu32_mask(ix, _mm512_set1_epi32(0x24000000));
    z = _mm512_mask_mov_ps(z, tiny, x);      /* x (1 + x), which is x */
    _mm512_storeu_ps(yp, z);
    return 0;
}
VM_LOOPF(vm_tanhf, float, 2 * VM_W, K_(tanhf16), K_(tanhf8), vm_fix, tanhf)
#else
VM_LOOP8(vm_tanhf, K_(tanhf8), tanhf)
#endif

#if VM_HW == 2
/* double tanh on two steps of 8 lanes, the common case in fewer operations (the same bits: every
   step below is one of tanhd4's or rounds to the same double, as each comment shows), the two
   steps' operations interleaved (VM_EACH2); a pair of steps with a lane outside |x| < 6.5
   (k < 20: no 2^-k branch of expm1) or [19.5, inf] (tanh is +-1 there: expm1 is at least e^39,
   2/(t + 2) < 2^-54 rounds away against 1) is tanhd4's, NaN included. */
#define TANHD_LO 0x401a000000000000ULL  /* 6.5 */
#define TANHD_SAT 0x4033800000000000ULL /* 19.5 */
VM_ATTR VM_INL int
K_(tanhd16)(const double *xp, double *yp)
{
    __m512d x[2];
    VM_EACH2(x[h] = _mm512_loadu_pd(xp + 8 * h));
    __m512i bits[2];
    VM_EACH2(bits[h] = _mm512_and_si512(_mm512_castpd_si512(x[h]),
                                        _mm512_set1_epi64(0x7fffffffffffffffLL)));
    __mmask8 lo[2];
    VM_EACH2(lo[h] = _mm512_cmplt_epu64_mask(bits[h], _mm512_set1_epi64(TANHD_LO)));
    __mmask8 sat[2];
    VM_EACH2(sat[h] = _mm512_cmple_epu64_mask(
                 _mm512_sub_epi64(bits[h], _mm512_set1_epi64(TANHD_SAT)),
                 _mm512_set1_epi64(0x7ff0000000000000LL - TANHD_SAT)));
    if (__builtin_expect((__mmask8)((lo[0] | sat[0]) & (lo[1] | sat[1])) != 0xff, 0))
        return 1;
    __m512d ax[2];
    VM_EACH2(ax[h] = _mm512_castsi512_pd(bits[h]));
    const __m512d one = _mm512_set1_pd(1.0);
    __mmask8 ge1[2];
    VM_EACH2(ge1[h] = _mm512_cmpge_epu64_mask(bits[h],
                                              _mm512_set1_epi64(0x3ff0000000000000LL)));
    __mmask8 lt1[2];
    VM_EACH2(lt1[h] = _mm512_cmplt_epu64_mask(bits[h],
                                              _mm512_set1_epi64(0x3ff0000000000000LL)));
    /* u = 2|x| from 1 on, -2|x| below; |u| > ln2/2 by expm1's high-word test (reduce) */
    __m512d au[2];
    VM_EACH2(au[h] = _mm512_add_pd(ax[h], ax[h]));
    __m512d u[2];
    VM_EACH2(u[h] = _mm512_mask_xor_pd(au[h], lt1[h], au[h], _mm512_set1_pd(-0.0)));
    __mmask8 red[2];
    VM_EACH2(red[h] = _mm512_cmpgt_epu64_mask(_mm512_castpd_si512(au[h]),
                                              _mm512_set1_epi64(0x3fd62e42ffffffffLL)));
    /* k = (int)(u invln2 +- 1/2) as a double (|k| < 2^31: truncating it is the conversion's
       value; not -0: |u invln2| > 1/2 there), 0 where not reduced; below 1 (u < 0) and |u| <
       1.5 ln2 this k is -1 and hi, lo are expm1's u + ln2_hi, -ln2_lo exactly (its k = -1) */
    __m512d half[2];
    VM_EACH2(half[h] = _mm512_mask_blend_pd(ge1[h], _mm512_set1_pd(-0.5),
                                            _mm512_set1_pd(0.5)));
    __m512d tg[2];
    VM_EACH2(tg[h] = _mm512_maskz_roundscale_pd(
                 red[h], _mm512_fmadd_pd(u[h], _mm512_set1_pd(EXPM1_INVLN2), half[h]),
                 _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC));
    __m512d hi[2];
    VM_EACH2(hi[h] = _mm512_fnmadd_pd(tg[h], _mm512_set1_pd(EXPM1_LN2_HI), u[h]));
    __m512d lo_[2];
    VM_EACH2(lo_[h] = _mm512_mul_pd(tg[h], _mm512_set1_pd(EXPM1_LN2_LO)));
    /* not reduced: tg = 0, hi = u, lo = 0, so xr = u and c = 0 as expm1's */
    __m512d xr[2];
    VM_EACH2(xr[h] = _mm512_sub_pd(hi[h], lo_[h]));
    __m512d c[2];
    VM_EACH2(c[h] = _mm512_sub_pd(_mm512_sub_pd(hi[h], xr[h]), lo_[h]));
    __m512d hfx[2];
    VM_EACH2(hfx[h] = _mm512_mul_pd(_mm512_set1_pd(0.5), xr[h]));
    __m512d hxs[2];
    VM_EACH2(hxs[h] = _mm512_mul_pd(xr[h], hfx[h]));
    __m512d R1[2];
    VM_EACH2(R1[h] = _mm512_fmadd_pd(hxs[h], _mm512_set1_pd(EXPM1_Q1), one));
    __m512d h2[2];
    VM_EACH2(h2[h] = _mm512_mul_pd(hxs[h], hxs[h]));
    __m512d R2[2];
    VM_EACH2(R2[h] = _mm512_fmadd_pd(hxs[h], _mm512_set1_pd(EXPM1_Q3),
                                     _mm512_set1_pd(EXPM1_Q2)));
    __m512d h4[2];
    VM_EACH2(h4[h] = _mm512_mul_pd(h2[h], h2[h]));
    __m512d R3[2];
    VM_EACH2(R3[h] = _mm512_fmadd_pd(hxs[h], _mm512_set1_pd(EXPM1_Q5),
                                     _mm512_set1_pd(EXPM1_Q4)));
    __m512d r1[2];
    VM_EACH2(r1[h] = _mm512_fmadd_pd(h4[h], R3[h], _mm512_fmadd_pd(h2[h], R2[h], R1[h])));
    __m512d t[2];
    VM_EACH2(t[h] = _mm512_fnmadd_pd(r1[h], hfx[h], _mm512_set1_pd(3.0)));
    __m512d e[2];
    VM_EACH2(e[h] = _mm512_mul_pd(hxs[h], _mm512_div_pd(
                 _mm512_sub_pd(r1[h], t[h]), _mm512_fnmadd_pd(xr[h], t[h], _mm512_set1_pd(6.0)))));
    /* D = xr - e2, e2 = (xr (e - c) - c) - hxs; k = 0: D = xr - (xr e - hxs) (fused there) */
    __m512d e2[2];
    VM_EACH2(e2[h] = _mm512_sub_pd(_mm512_fmsub_pd(xr[h], _mm512_sub_pd(e[h], c[h]), c[h]),
                                   hxs[h]));
    __m512d D[2];
    VM_EACH2(D[h] = _mm512_sub_pd(xr[h], e2[h]));
    VM_EACH2(D[h] = _mm512_mask_sub_pd(D[h], (__mmask8)~red[h], xr[h],
                                       _mm512_fmsub_pd(xr[h], e[h], hxs[h])));
    /* expm1's results from D and s = 2^k (scaling by 2^k is exact, and commutes with
       rounding: no result here is subnormal): k = 0: D; k = -1: RN(D/2 - 1/2); 2 <= k < 20:
       RN((1 - 2^-k) - (e2 - xr)) 2^k = RN(D s + (s - 1)) (a - (e2 - xr) is a + D: rounding to
       nearest is symmetric); k = 0 and -1 are that formula too; k <= -2:
       RN(RN(1 - (e2 - xr)) s - 1) = RN(RN(D + 1) s - 1) */
    __mmask8 far[2];
    VM_EACH2(far[h] = _mm512_cmplt_pd_mask(tg[h], _mm512_set1_pd(-1.5)));
    __m512d s[2];
    VM_EACH2(s[h] = _mm512_scalef_pd(one, tg[h]));
    __m512d m[2];
    VM_EACH2(m[h] = _mm512_mask_add_pd(D[h], far[h], D[h], one));
    __m512d a[2];
    VM_EACH2(a[h] = _mm512_mask_blend_pd(far[h], _mm512_sub_pd(s[h], one),
                                         _mm512_set1_pd(-1.0)));
    __m512d tm[2];
    VM_EACH2(tm[h] = _mm512_fmadd_pd(m[h], s[h], a[h]));
    /* tanh: 1 - 2/(t + 2) from 1 on, -t/(t + 2) below; +-1 saturated; x (1 + x) below 2^-55,
       which is x */
    __m512d num[2];
    VM_EACH2(num[h] = _mm512_mask_xor_pd(_mm512_set1_pd(2.0), lt1[h], tm[h],
                                         _mm512_set1_pd(-0.0)));
    __m512d q[2];
    VM_EACH2(q[h] = _mm512_div_pd(num[h], _mm512_add_pd(tm[h], _mm512_set1_pd(2.0))));
    __m512d z[2];
    VM_EACH2(z[h] = _mm512_mask_sub_pd(q[h], ge1[h], one, q[h]));
    VM_EACH2(z[h] = _mm512_mask_mov_pd(z[h], sat[h], one));
    VM_EACH2(z[h] = _mm512_castsi512_pd(_mm512_ternarylogic_epi64(
                 _mm512_castpd_si512(z[h]), _mm512_castpd_si512(x[h]),
                 _mm512_set1_epi64(0x8000000000000000ULL), 0xf8))); /* z | (x & sign) */
    __mmask8 tiny[2];
    VM_EACH2(tiny[h] = _mm512_cmplt_epu64_mask(bits[h],
                                               _mm512_set1_epi64(0x3c80000000000000LL)));
    VM_EACH2(z[h] = _mm512_mask_mov_pd(z[h], tiny[h], x[h]));
    VM_EACH2(_mm512_storeu_pd(yp + 8 * h, z[h]));
    return 0;

}
VM_ATTR VM_INL int
K_(tanhd4x2)(const double *xp, double *yp)
{
    return K_(tanhd4)(xp, yp) | (K_(tanhd4)(xp + 8, yp + 8) << 8);
}
VM_LOOPF(vm_tanhd, double, 2 * VM_W, K_(tanhd16), K_(tanhd4x2), vm_fixd, tanh)
#else
VM_LOOPD(vm_tanhd, K_(tanhd4), tanh)
#endif
VM_LOOPD(vm_expd, K_(expd4), exp)

#if VM_HW
/* glibc's log (double), its FMA build (__log_fma, as objdump shows it) operation for operation
   in its order, both paths (x near 1: x in [1 - 2^-4, 1 + 0x1.09p-4), the rest) in every lane,
   one selected; lanes <= 0, subnormal, inf and NaN go to libm */
VM_ATTR VM_INL int
K_(logd4)(const double *xp, double *yp)
{
    VD x;
    memcpy(&x, xp, sizeof x);
    VQ ix = (VQ)x;
    VL near1 = (VL)(ix - 0x3fee000000000000ULL < 0x3ff1090000000000ULL - 0x3fee000000000000ULL);
    VL spec = (VL)((ix >> 48) - 0x10 >= 0x7ff0 - 0x10);
    VQ tmp = ix - 0x3fe6000000000000ULL;
    VQ i2 = ((tmp >> 45) & 127) * 2;
    VL k = (VL)tmp >> 52;
    VD z = (VD)(ix - (tmp & 0xfff0000000000000ULL));
#if VM_HW == 2
    /* the 8 (invc, logc) pairs by scalar loads (their indices from the inputs' bits, as i2)
       and two shuffles: a gather of 8 doubles costs more than twice this on AMD's Zen */
    (void)i2;
#define LOGD_PAIR(j) _mm_load_pd((const double *)((const char *)vm_log_rot                    \
                                 + ((((const vm_u64a *)xp)[j] >> 41) & 0x7f0)))
#define LOGD_PAIRS(j) _mm256_insertf128_pd(_mm256_castpd128_pd256(LOGD_PAIR(j)), LOGD_PAIR(j + 2), 1)
    /* the even lanes' pairs in one register, the odd lanes' in the other: the low and high
       halves of each 128-bit pair of both, interleaved, are invc and logc in lane order */
    __m512d ta = _mm512_insertf64x4(_mm512_castpd256_pd512(LOGD_PAIRS(0)), LOGD_PAIRS(4), 1);
    __m512d tb = _mm512_insertf64x4(_mm512_castpd256_pd512(LOGD_PAIRS(1)), LOGD_PAIRS(5), 1);
#undef LOGD_PAIRS
#undef LOGD_PAIR
    VD invc = (VD)_mm512_unpacklo_pd(ta, tb);
    VD logc = (VD)_mm512_unpackhi_pd(ta, tb);
    VD kd = (VD)_mm512_cvtepi64_pd((__m512i)k);
#else
    VD invc = (VD)_mm256_i64gather_pd(&vm_log_tab[0][0], (__m256i)i2, 8);
    VD logc = (VD)_mm256_i64gather_pd(&vm_log_tab[0][1], (__m256i)i2, 8);
    VD kd = __builtin_convertvector(k, VD);
#endif
    VD w = MAD(kd, spl(LOG_LN2HI), logc);
    VD r = MAD(z, invc, spl(-1.0));
    VD p12 = MAD(r, spl(LOG_A2), spl(LOG_A1));
    VD hi = r + w, r2 = r * r;
    VD lo = MAD(kd, spl(LOG_LN2LO), (w - hi) + r);
    VD r3 = r * r2;
    VD p34 = MAD(r, spl(LOG_A4), spl(LOG_A3));
    lo = MAD(r2, spl(LOG_A0), lo);
    VD p = MAD(p34, r2, p12);
    VD y = MAD(r3, p, lo) + hi;
    /* near 1 (x = 1 gives +0 here as there) */
    VD q = x - 1.0, q2 = q * q;
    VD b12 = MAD(q, spl(LOG_B2), spl(LOG_B1)), b45 = MAD(q, spl(LOG_B5), spl(LOG_B4));
    VD b78 = MAD(q, spl(LOG_B8), spl(LOG_B7));
    b12 = MAD(q2, spl(LOG_B3), b12);
    b45 = MAD(q2, spl(LOG_B6), b45);
    VD q3 = q * q2;
    b78 = MAD(q2, spl(LOG_B9), b78);
    b78 = MAD(q3, spl(LOG_B10), b78);
    b78 = MAD(b78, q3, b45);
    VD qp = MAD(b78, q3, b12);
    VD qhi = MAD(q, spl(0x1p27), q);
    qhi = MAD(spl(-0x1p27), q, qhi);    /* r + w - w with w = 2^27 r, the first pair fused */
    VD qlo = q - qhi, qh2 = qhi * qhi;
    VD hi1 = MAD(qh2, spl(LOG_B0), q);
    VD lo1 = MAD(qh2, spl(LOG_B0), q - hi1);
    lo1 = MAD(LOG_B0 * qlo, q + qhi, lo1);
    VD y1 = hi1 + MAD(qp, q3, lo1);
    y = vdsel(near1, y1, y);
    memcpy(yp, &y, sizeof y);
    return K_(mask4d)(spec);
}
VM_LOOPD(vm_logd, K_(logd4), log)
#endif

#include "_vmath_more_k.h" /* (log1p ...: another file, their own notes) */
#include "_vmath_tan_k.h"  /* (tan: another file, its own notes) */
#include "_vmath_asin_k.h" /* (double asin, acos: accurate + filter) */
#include "_vmath_pow_k.h" /* (double pow of one exponent) */
#include "_vmath_atan_k.h" /* (atan2f, double atan and atan2) */

#undef MAD
#undef F2D
#undef I2D
#undef D2F
#undef D2I
#undef spl
#undef spf
#undef spi
#undef VM_LOOP4
#undef VM_LOOP8
#undef VM_LOOPD
#undef VM_TAILD
#undef VM_LOOPF
