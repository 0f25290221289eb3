/* The float kernels of _vmath.c, included twice: once for x86-64 CPUs with AVX2 and FMA
   (VM_HW 1: the lanes are one ymm register, MAD is the FMA instruction where glibc's FMA build
   of the function fuses) and once for any CPU (VM_HW 0: MAD is a product and a sum, as in
   glibc's baseline build). VM_SFX names the set, VM_ATTR is its target attribute.

   Each kernel computes 4 (or 8) elements and returns the lanes, as a bit mask, whose float it
   cannot vouch for: the caller calls libm for those. Lanes of the double-based functions are
   flagged where the input lies outside the replicated path (glibc's special cases) or where
   the double result before the final rounding lies within VM_MARGIN units of its last 29 bits
   of a float rounding boundary (so an error of up to 2^-41 relative against glibc's own double
   cannot change the float). */

#if VM_HW
#define MAD(a, b, c) ((vd)_mm256_fmadd_pd((__m256d)(a), (__m256d)(b), (__m256d)(c)))
#else
#define MAD(a, b, c) ((a) * (b) + (c))
#endif
#define VM_CAT2(a, b) a##b
#define VM_CAT(a, b) VM_CAT2(a, b)
#define K_(name) VM_CAT(name, VM_SFX)

/* a lane mask (-1 or 0 per lane) as bits: one movemask instruction where there is one */
VM_ATTR VM_INL int
K_(mask4d)(vl m)
{
#if VM_HW
    return _mm256_movemask_pd((__m256d)m);
#else
    return (int)((m[0] & 1) | (m[1] & 2) | (m[2] & 4) | (m[3] & 8));
#endif
}

VM_ATTR VM_INL int
K_(mask4i)(vi m)
{
#if defined(__SSE__)
    return _mm_movemask_ps((__m128)m);
#else
    return (m[0] & 1) | (m[1] & 2) | (m[2] & 4) | (m[3] & 8);
#endif
}

/* the lanes of 4 doubles whose low 29 bits lie near the float midpoint, as a bit mask */
VM_ATTR VM_INL int
K_(near_mid)(vd y)
{
    vl low = (vl)((vu64)y & 0x1fffffff) - 0x10000000;
    return K_(mask4d)((low <= VM_MARGIN) & (low >= -VM_MARGIN));
}

/* expf: exp(x) = 2^(k/32) * 2^(r/32) with x*32/ln2 = k + r, |r| <= 1/2, a cubic in r */
VM_ATTR VM_INL int
K_(expf4)(const float *xp, float *yp)
{
    vf xf;
    memcpy(&xf, xp, sizeof xf);
    vu top = ((vu)xf >> 20) & 0x7ff;
    vi spec = (vi)(top >= 0x42a); /* |x| >= 85 (results near the subnormals or beyond), NaN */
    vd xd = __builtin_convertvector(xf, vd);
    vd kd = MAD(spl(EXPF_INVLN2N), xd, spl(EXPF_SHIFT));
    vu64 ki = (vu64)kd;
    kd -= EXPF_SHIFT;
#if VM_HW
    vd r = MAD(spl(EXPF_INVLN2N), xd, -kd);
#else
    vd r = EXPF_INVLN2N * xd - kd;
#endif
    vu64 j = ki % 32;
#if VM_HW
    vu64 t = (vu64)_mm256_i64gather_epi64((const long long *)vm_exp2_tab, (__m256i)j, 8);
#else
    vu64 t = {vm_exp2_tab[j[0]], vm_exp2_tab[j[1]], vm_exp2_tab[j[2]], vm_exp2_tab[j[3]]};
#endif
    vd s = (vd)(t + (ki << 47));
    vd z = MAD(spl(EXPF_C0), r, spl(EXPF_C1)), r2 = r * r;
    vd y = MAD(spl(EXPF_C2), r, spl(1.0));
    y = MAD(z, r2, y) * s;
    vf out = __builtin_convertvector(y, vf);
    memcpy(yp, &out, sizeof out);
    return K_(mask4i)(spec) | K_(near_mid)(y);
}

/* logf: log(x) = k ln2 + log(c) + log1p(z/c - 1), z = x/2^k in [0.70, 1.40), c the center of
   z's 16th of that range */
VM_ATTR VM_INL int
K_(logf4)(const float *xp, float *yp)
{
    vf xf;
    memcpy(&xf, xp, sizeof xf);
    vu ix = (vu)xf;
    vi spec = (vi)(ix - 0x00800000 >= 0x7f800000 - 0x00800000); /* <= 0, subnormal, inf, NaN */
    vu tmp = ix - 0x3f330000, i = (tmp >> 19) % 16;
    vi k = (vi)tmp >> 23;
    vu iz = ix - (tmp & 0xff800000);
#if VM_HW
    vd invc = (vd)_mm256_i32gather_pd(&vm_logf_tab[0][0], (__m128i)(i * 2), 8);
    vd logc = (vd)_mm256_i32gather_pd(&vm_logf_tab[0][1], (__m128i)(i * 2), 8);
#else
    vd invc = {vm_logf_tab[i[0]][0], vm_logf_tab[i[1]][0], vm_logf_tab[i[2]][0],
               vm_logf_tab[i[3]][0]};
    vd logc = {vm_logf_tab[i[0]][1], vm_logf_tab[i[1]][1], vm_logf_tab[i[2]][1],
               vm_logf_tab[i[3]][1]};
#endif
    vd z = __builtin_convertvector((vf)iz, vd);
    vd r = MAD(z, invc, spl(-1.0));
    vd y0 = MAD(__builtin_convertvector(k, vd), spl(LOGF_LN2), logc);
    vd r2 = r * r;
    vd y = MAD(spl(LOGF_A1), r, spl(LOGF_A2));
    y = MAD(spl(LOGF_A0), r2, y);
    y = MAD(y, r2, y0 + r);
    vf out = __builtin_convertvector(y, vf);
    memcpy(yp, &out, sizeof out);
    return K_(mask4i)(spec) | K_(near_mid)(y);
}

/* sinf and cosf below 120 in magnitude: x = n pi/2 + r, |r| <= pi/4, one multiply-subtract;
   an odd polynomial for sin(r), an even one for cos(r). 4 lanes in double; small: the lanes
   below pi/4 (no reduction) */
VM_ATTR VM_INL vd
K_(sincos_core)(vf xf, vi small, int cosine)
{
    vd x = __builtin_convertvector(xf, vd);
    vd rr = x * SINCOSF_HPI_INV;
    vi n = ((__builtin_convertvector(rr, vi) + 0x800000) >> 24) & ~small;
    vd nd = __builtin_convertvector(n, vd);
#if VM_HW
    vd xr = MAD(-nd, spl(SINCOSF_HPI), x);
#else
    vd xr = x - nd * SINCOSF_HPI;
#endif
    vd x2 = xr * xr;
    /* sin: x + x^3 s1 + x^7 (s2 + x^2 s3) */
    vd x3 = xr * x2, s1 = MAD(x2, spl(SINCOSF_S3), spl(SINCOSF_S2)), x7 = x3 * x2;
    vd sp = MAD(x7, s1, MAD(x3, spl(SINCOSF_S1), xr));
    /* cos: 1 + x^2 c1 + x^4 c2 + x^6 (c3 + x^2 c4) */
    vd x4 = x2 * x2, c2 = MAD(x2, spl(SINCOSF_C4), spl(SINCOSF_C3));
    vd c1 = MAD(x2, spl(SINCOSF_C1), spl(1.0)), x6 = x4 * x2;
    vd cp = MAD(x6, c2, MAD(x4, spl(SINCOSF_C2), c1));
    /* the quadrant's bits from n as a double (exact): cos(x) is sin(x + pi/2), quadrant n + 1;
       odd quadrants take cos's polynomial, quadrants 2 and 3 the negative */
    vl q = (vl)(nd + (cosine ? 0x1.8p52 + 1 : 0x1.8p52));
    vl odd = -(q & 1);
    vd y = (vd)(((vl)cp & odd) | ((vl)sp & ~odd));
    return (vd)((vl)y ^ ((q & 2) << 62));
}

/* 8 lanes: the masks on one register, the double work on two halves */
VM_ATTR VM_INL int
K_(sincosf8)(const float *xp, float *yp, int cosine)
{
    v8f x8;
    vf lo, hi;
    vi slo, shi;
    memcpy(&x8, xp, sizeof x8);
    v8u top = ((v8u)x8 >> 20) & 0x7ff;
    v8i spec = (v8i)(top >= 0x42f);       /* |x| >= 120: Payne-Hanek reduction; inf, NaN */
    v8i small = (v8i)(top < 0x3f4);       /* |x| < pi/4 (glibc's test): no reduction */
    v8i tiny = (v8i)(top < 0x398);        /* |x| < 2^-12: x or 1 */
    memcpy(&lo, xp, sizeof lo);
    memcpy(&hi, xp + 4, sizeof hi);
    memcpy(&slo, &small, sizeof slo);
    memcpy(&shi, (const char *)&small + sizeof shi, sizeof shi);
    vd ylo = K_(sincos_core)(lo, slo, cosine), yhi = K_(sincos_core)(hi, shi, cosine);
    vf olo = __builtin_convertvector(ylo, vf), ohi = __builtin_convertvector(yhi, vf);
    v8f out;
    memcpy(&out, &olo, sizeof olo);
    memcpy((char *)&out + sizeof olo, &ohi, sizeof ohi);
    out = vsel8(tiny, cosine ? spf(1.0f) : x8, out);
    memcpy(yp, &out, sizeof out);
    int near = K_(near_mid)(ylo) | (K_(near_mid)(yhi) << 4);
#if VM_HW
    return _mm256_movemask_ps((__m256)spec) | (near & ~_mm256_movemask_ps((__m256)tiny));
#else
    int m = 0;
    for (int j = 0; j < 8; j++)
        m |= ((spec[j] & 1) | ((near >> j) & 1 & ~tiny[j])) << j;
    return m;
#endif
}

/* fdlibm's expm1f in float arithmetic for tanhf's arguments (2|x| in [2, 44), -2|x| in
   (-2, 0)): every operation of the scalar code on 8 lanes, its branches as selects (k = 1,
   which those arguments never reach, is left out). */
VM_ATTR VM_INL v8f
K_(expm1f8)(v8f u)
{
    v8u hx = (v8u)u & 0x7fffffff;
    v8i neg = (v8i)u < 0;
    v8f half = vsel8(neg, spf(-0.5f), spf(0.5f));
    v8f tk = u * EXPM1F_INVLN2 + half;          /* two roundings, as k = invln2*x + 0.5 */
    v8i kg = __builtin_convertvector(tk, v8i);
    v8f tg = __builtin_convertvector(kg, v8f);
    v8f hi_g = u - tg * EXPM1F_LN2_HI, lo_g = tg * EXPM1F_LN2_LO;
    v8f hi_1 = vsel8(neg, u + EXPM1F_LN2_HI, u - EXPM1F_LN2_HI);
    v8f lo_1 = vsel8(neg, spf(-EXPM1F_LN2_LO), spf(EXPM1F_LN2_LO));
    v8i k1 = vsel8i(neg, spi(-1), spi(1));
    v8i one_ln2 = (v8i)(hx < 0x3f851592);          /* |u| < 1.5 ln2 */
    v8i reduce = (v8i)(hx > 0x3eb17218);           /* |u| > 0.5 ln2 */
    v8f hi = vsel8(one_ln2, hi_1, hi_g), lo = vsel8(one_ln2, lo_1, lo_g);
    v8i k = vsel8i(reduce, vsel8i(one_ln2, k1, kg), spi(0));
    v8f xr = hi - lo, c = (hi - xr) - lo;
    xr = vsel8(reduce, xr, u);
    c = vsel8(reduce, c, spf(0.0f));
    v8f hfx = 0.5f * xr, hxs = xr * hfx;
    v8f r1 = 1.0f + hxs * (EXPM1F_Q1 + hxs * (EXPM1F_Q2 + hxs * (EXPM1F_Q3 + hxs * (
        EXPM1F_Q4 + hxs * EXPM1F_Q5))));
    v8f t = 3.0f - r1 * hfx;
    v8f e = hxs * ((r1 - t) / (6.0f - xr * t));
    v8f r_k0 = xr - (xr * e - hxs);
    v8f e2 = (xr * (e - c) - c) - hxs;
    v8f r_km1 = 0.5f * (xr - e2) - 0.5f;
    v8u kk = (v8u)k << 23;
    v8f y_far = (v8f)((v8u)(1.0f - (e2 - xr)) + kk) - 1.0f;     /* k <= -2 or k > 56 */
    v8i ks = vsel8i((v8i)((k >= 2) & (k < 23)), k, spi(2));
    v8f t_mid = (v8f)(0x3f800000 - (0x1000000 >> ks));          /* 1 - 2^-k */
    v8f y_mid = (v8f)((v8u)(t_mid - (e2 - xr)) + kk);           /* k < 23 */
    v8i kh = vsel8i((v8i)((k >= 23) & (k <= 56)), k, spi(23));
    v8f t_hi = (v8f)((0x7f - kh) << 23);                         /* 2^-k */
    v8f y_hi = (v8f)((v8u)((xr - (e2 + t_hi)) + 1.0f) + kk);    /* 23 <= k <= 56 */
    v8f y = vsel8((v8i)((k <= -2) | (k > 56)), y_far, vsel8((v8i)(k < 23), y_mid, y_hi));
    y = vsel8((v8i)(k == -1), r_km1, y);
    y = vsel8((v8i)(k == 0), r_k0, y);
    return vsel8((v8i)(hx < 0x33000000), u, y);                 /* |u| < 2^-25: u */
}

/* fdlibm's tanhf: 1 - 2/(expm1(2|x|) + 2) from 1 on, -t/(t + 2) with t = expm1(-2|x|) below,
   +-1 from 22 on, x(1 + x) below 2^-55 */
VM_ATTR VM_INL int
K_(tanhf8)(const float *xp, float *yp)
{
    v8f x;
    memcpy(&x, xp, sizeof x);
    v8u ix = (v8u)x & 0x7fffffff;
    v8f ax = (v8f)ix;
    v8i spec = (v8i)(ix >= 0x7f800000);
    v8i big = (v8i)(ix >= 0x41b00000), ge1 = (v8i)(ix >= 0x3f800000);
    v8f u = vsel8(ge1, 2.0f * ax, -2.0f * ax);
    u = vsel8(big | spec, spf(1.0f), u);        /* (keeps the unused lanes in range) */
    v8f t = K_(expm1f8)(u);
    v8f q = vsel8(ge1, spf(2.0f), -t) / (t + 2.0f);    /* one quotient per lane */
    v8f z = vsel8(ge1, 1.0f - q, q);
    z = vsel8(big, spf(1.0f), z);
    z = (v8f)((v8u)z | ((v8u)x & 0x80000000));
    z = vsel8((v8i)(ix < 0x24000000), x * (1.0f + x), z);
    z = vsel8((v8i)(ix == 0), x, z);
    memcpy(yp, &z, sizeof z);
#if VM_HW
    return _mm256_movemask_ps((__m256)spec);
#else
    return (spec[0] & 1) | (spec[1] & 2) | (spec[2] & 4) | (spec[3] & 8) | (spec[4] & 16)
        | (spec[5] & 32) | (spec[6] & 64) | (spec[7] & 128);
#endif
}

/* the loops: 8 elements a step, the tail through a padded copy, libm for flagged lanes */
#define VM_LOOP4(NAME, KERN, LIBF)                                                           \
    VM_ATTR static void                                                                      \
    K_(NAME)(const float *x, float *y, ptrdiff_t n)                                          \
    {                                                                                        \
        ptrdiff_t i = 0;                                                                     \
        for (; i + 8 <= n; i += 8) {                                                         \
            int m = KERN(x + i, y + i) | (KERN(x + i + 4, y + i + 4) << 4);                  \
            if (__builtin_expect(m != 0, 0))                                                 \
                vm_fix(m, x + i, y + i, LIBF);                                               \
        }                                                                                    \
        for (; i < n; i += 4) {                                                              \
            float xb[4] = {1.0f, 1.0f, 1.0f, 1.0f}, yb[4];                                   \
            ptrdiff_t len = n - i < 4 ? n - i : 4;                                           \
            memcpy(xb, x + i, len * sizeof(float));                                          \
            int m = KERN(xb, yb) & ((1 << len) - 1);                                         \
            if (m)                                                                           \
                vm_fix(m, xb, yb, LIBF);                                                     \
            memcpy(y + i, yb, len * sizeof(float));                                          \
        }                                                                                    \
    }

VM_LOOP4(vm_expf, K_(expf4), expf)
VM_LOOP4(vm_logf, K_(logf4), logf)
#define VM_LOOP8(NAME, KERN, LIBF)                                                           \
    VM_ATTR static void                                                                      \
    K_(NAME)(const float *x, float *y, ptrdiff_t n)                                          \
    {                                                                                        \
        ptrdiff_t i = 0;                                                                     \
        for (; i + 8 <= n; i += 8) {                                                         \
            int m = KERN(x + i, y + i);                                                      \
            if (__builtin_expect(m != 0, 0))                                                 \
                vm_fix(m, x + i, y + i, LIBF);                                               \
        }                                                                                    \
        if (i < n) {                                                                         \
            float xb[8] = {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}, yb[8];           \
            ptrdiff_t len = n - i;                                                           \
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
VM_LOOP8(vm_tanhf, K_(tanhf8), tanhf)

/* TH_sigmoid on floats: 1/(1 + expf(-x)), the quotient in float; blocks of 256 on the stack */
VM_ATTR static void
K_(vm_sigmoidf)(const float *x, float *y, ptrdiff_t n)
{
    float nb[256], eb[256];
    for (ptrdiff_t i = 0; i < n; i += 256) {
        ptrdiff_t len = n - i < 256 ? n - i : 256;
        for (ptrdiff_t j = 0; j < len; j++)
            nb[j] = -x[i + j];
        K_(vm_expf)(nb, eb, len);
        for (ptrdiff_t j = 0; j < len; j++)
            y[i + j] = 1.0f / (1.0f + eb[j]);
    }
}

/* fdlibm's tanh and expm1 on doubles, 4 lanes, for tanh's arguments as in tanhf8 above (k = 1
   left out); MAD where the compiler fuses in glibc's FMA build of expm1 */
VM_ATTR VM_INL vd
K_(expm1d4)(vd u)
{
    vl hx = ((vl)u >> 32) & 0x7fffffff;
    vl neg = (vl)u < 0;
    vd half = (vd)(((vl)spl(-0.5) & neg) | ((vl)spl(0.5) & ~neg));
    vd tk = MAD(u, spl(EXPM1_INVLN2), half);
    vi ki = __builtin_convertvector(tk, vi);
    vd tg = __builtin_convertvector(ki, vd);
    vl kg = __builtin_convertvector(ki, vl);
    vd hi_g = MAD(-tg, spl(EXPM1_LN2_HI), u), lo_g = tg * EXPM1_LN2_LO;
    vd hi_1 = vdsel(neg, u + EXPM1_LN2_HI, u - EXPM1_LN2_HI);
    vd lo_1 = vdsel(neg, spl(-EXPM1_LN2_LO), spl(EXPM1_LN2_LO));
    vl k1 = (neg & -1) | (~neg & 1);
    vl one_ln2 = hx < 0x3ff0a2b2, reduce = hx > 0x3fd62e42;
    vd hi = vdsel(one_ln2, hi_1, hi_g), lo = vdsel(one_ln2, lo_1, lo_g);
    vl k = reduce & ((one_ln2 & k1) | (~one_ln2 & kg));
    vd xr = hi - lo, c = (hi - xr) - lo;
    xr = vdsel(reduce, xr, u);
    c = vdsel(reduce, c, spl(0.0));
    vd hfx = 0.5 * xr, hxs = xr * hfx;
    vd R1 = MAD(hxs, spl(EXPM1_Q1), spl(1.0)), h2 = hxs * hxs;
    vd R2 = MAD(hxs, spl(EXPM1_Q3), spl(EXPM1_Q2)), h4 = h2 * h2;
    vd R3 = MAD(hxs, spl(EXPM1_Q5), spl(EXPM1_Q4));
    vd r1 = MAD(h4, R3, MAD(h2, R2, R1));
    vd t = MAD(-r1, hfx, spl(3.0));
    vd e = hxs * ((r1 - t) / MAD(-xr, t, spl(6.0)));
    vd r_k0 = xr - MAD(xr, e, -hxs);
    vd e2 = MAD(xr, e - c, -c) - hxs;
    vd r_km1 = MAD(spl(0.5), xr - e2, spl(-0.5));
    vu64 kk = (vu64)k << 52;
    vd y_far = (vd)((vu64)(1.0 - (e2 - xr)) + kk) - 1.0;          /* k <= -2 or k > 56 */
    vl ks = vdseli((k >= 2) & (k < 20), k, 2);
    vd t_mid = (vd)((vu64)(0x3ff00000 - (0x200000 >> ks)) << 32);  /* 1 - 2^-k */
    vd y_mid = (vd)((vu64)(t_mid - (e2 - xr)) + kk);                /* k < 20 */
    vl kh = vdseli((k >= 20) & (k <= 56), k, 20);
    vd t_hi = (vd)((vu64)((0x3ff - kh) << 20) << 32);               /* 2^-k */
    vd y_hi = (vd)((vu64)((xr - (e2 + t_hi)) + 1.0) + kk);         /* 20 <= k <= 56 */
    vd y = vdsel((k <= -2) | (k > 56), y_far, vdsel(k < 20, y_mid, y_hi));
    y = vdsel(k == -1, r_km1, y);
    y = vdsel(k == 0, r_k0, y);
    return vdsel(hx < 0x3c900000, u, y);                           /* |u| < 2^-54: u */
}

VM_ATTR VM_INL int
K_(tanhd4)(const double *xp, double *yp)
{
    vd x;
    memcpy(&x, xp, sizeof x);
    vu64 bits = (vu64)x & 0x7fffffffffffffffULL;
    vl ix = (vl)(bits >> 32);
    vd ax = (vd)bits;
    vl spec = ix >= 0x7ff00000;
    vl big = ix >= 0x40360000, ge1 = ix >= 0x3ff00000;
    vd u = vdsel(ge1, 2.0 * ax, -2.0 * ax);
    u = vdsel(big | spec, spl(1.0), u);
    vd t = K_(expm1d4)(u);
    vd q = vdsel(ge1, spl(2.0), -t) / (t + 2.0);
    vd z = vdsel(ge1, 1.0 - q, q);
    z = vdsel(big, spl(1.0), z);
    z = (vd)((vu64)z | ((vu64)x & 0x8000000000000000ULL));
    z = vdsel(ix < 0x3c800000, x * (1.0 + x), z);
    z = vdsel((vl)bits == 0, x, z);
    memcpy(yp, &z, sizeof z);
    return K_(mask4d)(spec);
}

VM_ATTR static void
K_(vm_tanhd)(const double *x, double *y, ptrdiff_t n)
{
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) {
        int m = K_(tanhd4)(x + i, y + i);
        if (__builtin_expect(m != 0, 0))
            vm_fixd(m, x + i, y + i, tanh);
    }
    if (i < n) {
        double xb[4] = {1.0, 1.0, 1.0, 1.0}, yb[4];
        ptrdiff_t len = n - i;
        memcpy(xb, x + i, len * sizeof(double));
        int m = K_(tanhd4)(xb, yb) & ((1 << len) - 1);
        if (m)
            vm_fixd(m, xb, yb, tanh);
        memcpy(y + i, yb, len * sizeof(double));
    }
}

#undef MAD
#undef VM_LOOP4
#undef VM_LOOP8
