/* Float pointwise math with libm's bits, several elements at a time (part of torch7py._exact).

   TH calls libm once per element (expf, logf, sinf, cosf, tanhf on FloatTensors); numpy's own
   float32 SIMD loops give other last bits. These kernels compute what glibc's functions
   compute, lane by lane:
   - expf, logf, sinf, cosf (glibc 2.27+, from ARM's optimized-routines, MIT licensed): the
     same double-precision algorithm with the same constants, then a filter: a lane whose
     double result lies within 2^-41 (relative) of a float rounding boundary, or whose input
     takes one of glibc's special paths, is recomputed by libm itself. So the float is libm's
     even where a product here is fused and there not (or a table entry differs in its last
     bit): both doubles lie far closer together than 2^-41.
   - tanhf (fdlibm's, with its expm1f; Sun's permissive notice): every float operation of the
     scalar code, branches as selects; float arithmetic has no slack, the replica is exact.
   Nothing is trusted blindly: before a kernel is first used it is compared with libm on a
   fixed set of inputs (special values, thresholds, random bit patterns over the whole float
   range); one differing bit and that function keeps the plain libm loop (another libm, other
   bits). tools/check_libm_replica.py compares all 2^32 inputs. Built with GCC or clang only
   (vector extensions); elsewhere every function is the libm loop. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "_vmath.h"

#if (defined(__GNUC__) || defined(__clang__)) && !defined(__FAST_MATH__)
#define VM_ON 1
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif
/* the kernels' helpers are always inlined: a vector passed between the two sets' ABIs never
   happens, so GCC's note about AVX arguments changing the ABI does not apply */
#pragma GCC diagnostic ignored "-Wpsabi"
#if defined(__x86_64__)
#include <immintrin.h>
#define VM_HAVE_HW 1
#else
#define VM_HAVE_HW 0
#endif

/* 4 and 8 doubles (one ymm, one zmm register), 4, 8 and 16 floats */
typedef double vd4 __attribute__((vector_size(32)));
typedef int64_t vl4 __attribute__((vector_size(32)));
typedef uint64_t vq4 __attribute__((vector_size(32)));
typedef double vd8 __attribute__((vector_size(64)));
typedef int64_t vl8 __attribute__((vector_size(64)));
typedef uint64_t vq8 __attribute__((vector_size(64)));
typedef float vf4 __attribute__((vector_size(16)));
typedef int32_t vi4 __attribute__((vector_size(16)));
typedef uint32_t vu4 __attribute__((vector_size(16)));
typedef float vf8 __attribute__((vector_size(32)));
typedef int32_t vi8 __attribute__((vector_size(32)));
typedef uint32_t vu8 __attribute__((vector_size(32)));
typedef float vf16 __attribute__((vector_size(64)));
typedef int32_t vi16 __attribute__((vector_size(64)));
typedef uint32_t vu16 __attribute__((vector_size(64)));

/* lane selects: m ? a : b, m -1 or 0 per lane (the types of the kernel set being built) */
#define vsel8(m, a, b) ((WF)(((WI)(a) & (m)) | ((WI)(b) & ~(m))))
#define vsel8i(m, a, b) (((a) & (m)) | ((b) & ~(m)))
#define vdsel(m, a, b) ((VD)(((VL)(a) & (m)) | ((VL)(b) & ~(m))))
#define vdseli(m, a, b) (((a) & (m)) | ((b) & ~(m)))
#define VM_INL static inline __attribute__((always_inline))
#define VM_MARGIN 4096 /* units of 2^-52 of the double's binade: 2^-41 relative at least */

/* expf (optimized-routines' exp2f_data): 2^(i/32) from a 32-entry table, the cubic's
   coefficients scaled by 1/32^k */
#define EXPF_INVLN2N (0x1.71547652b82fep+0 * 32)
#define EXPF_SHIFT 0x1.8p+52
#define EXPF_C0 (0x1.c6af84b912394p-5 / 32 / 32 / 32)
#define EXPF_C1 (0x1.ebfce50fac4f3p-3 / 32 / 32)
#define EXPF_C2 (0x1.62e42ff0c52d6p-1 / 32)
/* asuint64(2^(i/32)) - (i << 47): filled at init from exp2() (the filter absorbs a last-bit
   difference from the library's own table) */
static uint64_t vm_exp2_tab[32];

/* logf (optimized-routines' logf_data): 1/c and log(c) of 16 subintervals, a cubic for
   log1p */
#define LOGF_LN2 0x1.62e42fefa39efp-1
#define LOGF_A0 (-0x1.00ea348b88334p-2)
#define LOGF_A1 0x1.5575b0be00b6ap-2
#define LOGF_A2 (-0x1.ffffef20a4123p-2)
static const double vm_logf_tab[16][2] = {
    {0x1.661ec79f8f3bep+0, -0x1.57bf7808caadep-2}, {0x1.571ed4aaf883dp+0, -0x1.2bef0a7c06ddbp-2},
    {0x1.49539f0f010bp+0, -0x1.01eae7f513a67p-2}, {0x1.3c995b0b80385p+0, -0x1.b31d8a68224e9p-3},
    {0x1.30d190c8864a5p+0, -0x1.6574f0ac07758p-3}, {0x1.25e227b0b8eap+0, -0x1.1aa2bc79c81p-3},
    {0x1.1bb4a4a1a343fp+0, -0x1.a4e76ce8c0e5ep-4}, {0x1.12358f08ae5bap+0, -0x1.1973c5a611cccp-4},
    {0x1.0953f419900a7p+0, -0x1.252f438e10c1ep-5}, {0x1p+0, 0x0p+0},
    {0x1.e608cfd9a47acp-1, 0x1.aa5aa5df25984p-5}, {0x1.ca4b31f026aap-1, 0x1.c5e53aa362eb4p-4},
    {0x1.b2036576afce6p-1, 0x1.526e57720db08p-3}, {0x1.9c2d163a1aa2dp-1, 0x1.bc2860d22477p-3},
    {0x1.886e6037841edp-1, 0x1.1058bc8a07ee1p-2}, {0x1.767dcf5534862p-1, 0x1.4043057b6ee09p-2},
};
/* its two columns (filled at init), for the AVX-512 set's permutes */
static double vm_logf_invc[16], vm_logf_logc[16];

/* sinf/cosf (optimized-routines' sincosf_data): 2/pi scaled by 2^24 (the quadrant lands in
   bits 24..31 of an int), pi/2, cos's and sin's polynomials */
#define SINCOSF_HPI_INV 0x1.45f306dc9c883p+23
#define SINCOSF_HPI 0x1.921fb54442d18p0
#define SINCOSF_C1 (-0x1.ffffffd0c621cp-2)
#define SINCOSF_C2 0x1.55553e1068f19p-5
#define SINCOSF_C3 (-0x1.6c087e89a359dp-10)
#define SINCOSF_C4 0x1.99343027bf8c3p-16
#define SINCOSF_S1 (-0x1.555545995a603p-3)
#define SINCOSF_S2 0x1.1107605230bc4p-7
#define SINCOSF_S3 (-0x1.994eb3774cf24p-13)

/* fdlibm's expm1f: ln2 in two parts, 1/ln2, the rational approximation's coefficients */
#define EXPM1F_INVLN2 0x1.715476p+0f
#define EXPM1F_LN2_HI 0x1.62e3p-1f
#define EXPM1F_LN2_LO 0x1.2fefa2p-17f
#define EXPM1F_Q1 (-0x1.111112p-5f)
#define EXPM1F_Q2 0x1.a01a02p-10f
#define EXPM1F_Q3 (-0x1.4ce19ap-14f)
#define EXPM1F_Q4 0x1.0cfca8p-18f
#define EXPM1F_Q5 (-0x1.afdb76p-23f)

/* fdlibm's expm1 (double): ln2 in two parts, 1/ln2, the rational approximation's
   coefficients */
#define EXPM1_INVLN2 0x1.71547652b82fep+0
#define EXPM1_LN2_HI 0x1.62e42feep-1
#define EXPM1_LN2_LO 0x1.a39ef35793c76p-33
#define EXPM1_Q1 (-0x1.11111111110f4p-5)
#define EXPM1_Q2 0x1.a01a019fe5585p-10
#define EXPM1_Q3 (-0x1.4ce199eaadbb7p-14)
#define EXPM1_Q4 0x1.0cfca86e65239p-18
#define EXPM1_Q5 (-0x1.afdb76e09c32dp-23)

static void
vm_fixd(int m, const double *x, double *y, double (*f)(double))
{
    for (int j = 0; m; j++, m >>= 1)
        if (m & 1)
            y[j] = f(x[j]);
}

/* the flagged lanes of a step: libm's own function */
static void
vm_fix(int m, const float *x, float *y, float (*f)(float))
{
    for (int j = 0; m; j++, m >>= 1)
        if (m & 1)
            y[j] = f(x[j]);
}

#define VD vd4
#define VL vl4
#define VQ vq4
#define VF vf4
#define VI vi4
#define VU vu4
#define WF vf8
#define WI vi8
#define WU vu8
#define VM_W 4
#define VM_HW 0
#define VM_SFX _sw
#define VM_ATTR
#include "_vmath_k.h"
#undef VM_HW
#undef VM_SFX
#undef VM_ATTR
#if VM_HAVE_HW
#define VM_HW 1
#define VM_SFX _hw
#define VM_ATTR __attribute__((target("avx2,fma")))
#include "_vmath_k.h"
#undef VM_HW
#undef VM_SFX
#undef VM_ATTR
/* AVX-512: the same kernels on 8 doubles, 16 floats */
#undef VM_W
#undef VD
#undef VL
#undef VQ
#undef VF
#undef VI
#undef VU
#undef WF
#undef WI
#undef WU
#define VD vd8
#define VL vl8
#define VQ vq8
#define VF vf8
#define VI vi8
#define VU vu8
#define WF vf16
#define WI vi16
#define WU vu16
#define VM_W 8
#define VM_HW 2
#define VM_SFX _w
#define VM_ATTR __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")))
#include "_vmath_k.h"
#undef VM_HW
#undef VM_SFX
#undef VM_ATTR
#endif

typedef void (*vm_fn)(const float *, float *, ptrdiff_t);

static float sigmoidf_libm(float x) { return 1.0f / (1.0f + expf(-x)); }

/* each function's kernels by set: portable, AVX2+FMA, AVX-512 (vm_run's hw 0, 1, 2) */
static const struct {
    const char *name;
    float (*libm)(float);
    vm_fn set[3];
} VM[] = {
#if VM_HAVE_HW
#define VM_ENTRY(n, f, k) {#n, f, {k##_sw, k##_hw, k##_w}}
#else
#define VM_ENTRY(n, f, k) {#n, f, {k##_sw, NULL, NULL}}
#endif
    VM_ENTRY(exp, expf, vm_expf), VM_ENTRY(log, logf, vm_logf), VM_ENTRY(sin, sinf, vm_sinf),
    VM_ENTRY(cos, cosf, vm_cosf), VM_ENTRY(tanh, tanhf, vm_tanhf),
    VM_ENTRY(sigmoid, sigmoidf_libm, vm_sigmoidf),
    {NULL, NULL, {NULL, NULL, NULL}},
};
#define VM_N (sizeof VM / sizeof VM[0] - 1)

/* per function and kernel set: 0 not checked yet, 1 same bits as libm, -1 differs */
static int vm_state[VM_N][3];

static int vm_tables = 0;

static void
vm_init_tables(void)
{
    vm_tables = 1;
    for (int i = 0; i < 32; i++) {
        double v = exp2(i / 32.0);
        uint64_t u;
        memcpy(&u, &v, sizeof u);
        vm_exp2_tab[i] = u - ((uint64_t)i << 47);
    }
    for (int i = 0; i < 16; i++) {
        vm_logf_invc[i] = vm_logf_tab[i][0];
        vm_logf_logc[i] = vm_logf_tab[i][1];
    }
}

int
vm_find(const char *name)
{
    if (!vm_tables)
        vm_init_tables();  /* (callers hold the GIL: filled once, before any kernel runs) */
    for (int k = 0; VM[k].name; k++)
        if (!strcmp(VM[k].name, name))
            return k;
    return -1;
}

const char *
vm_name(int k)
{
    return k >= 0 && k < (int)VM_N ? VM[k].name : NULL;
}

int
vm_run(int k, int hw, const float *x, float *y, ptrdiff_t n)
{
    vm_fn f = hw >= 0 && hw <= 2 ? VM[k].set[hw] : NULL;
    if (!f)
        return 0;
    f(x, y, n);
    return 1;
}

/* the check set: signed zeros, infinities, NaNs, subnormals, the thresholds of glibc's and
   fdlibm's branches and their neighbours, the floats around multiples of pi/2, then random
   bit patterns over the whole range and random values of moderate size (xorshift: the same
   set every run) */
#define VM_CHECK_N 200000
static void
vm_check_set(float *x, ptrdiff_t n)
{
    static const uint32_t edges[] = {
        0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001,
        0x7fbfffff, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000,
        0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbf800000, 0x42b00000, 0xc2b00000, 0x42b17218,
        0xc2b17218, 0x42aeac50, 0xc2aeac50, 0x42cff1b4, 0xc2cff1b4, 0x42f00000, 0xc2f00000,
        0x3f490fdb, 0xbf490fdb, 0x3f400000, 0x39800000, 0xb9800000, 0x41b00000, 0xc1b00000,
        0x24000000, 0x3eb17218, 0x3f851592, 0x4195b844, 0x33000000, 0x3f330000, 0x3f7b0000,
        0x3f830000, 0x42aa0000, 0xc2aa0000, 0x4c000000, 0x40490fdb, 0x40c90fdb, 0x3fc90fdb,
    };
    ptrdiff_t i = 0, ne = sizeof edges / sizeof edges[0];
    for (ptrdiff_t e = 0; e < ne && i < n; e++)
        for (int d = -2; d <= 2 && i < n; d++) {
            uint32_t u = edges[e] + (uint32_t)d;
            memcpy(&x[i++], &u, sizeof u);
        }
    /* 1024 floats around each multiple of pi/2 below 120: where sin and cos reduce with
       cancellation, a fused and an unfused x - n pi/2 differ most (glibc's FMA build fuses it,
       its baseline build does not: a kernel of the other build fails here) */
    for (int k = 1; k <= 76 && i < n; k++) {
        float c = (float)(k * 1.5707963267948966);
        uint32_t u;
        memcpy(&u, &c, sizeof u);
        for (int d = -512; d < 512 && i < n; d++) {
            uint32_t v = (u + (uint32_t)d) | (d & 1 ? 0x80000000u : 0);
            memcpy(&x[i++], &v, sizeof v);
        }
    }
    uint64_t s = 0x9e3779b97f4a7c15ULL;
    for (; i < n; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        uint32_t u = (uint32_t)(s >> 32);
        if (i & 1)
            memcpy(&x[i], &u, sizeof u);
        else
            x[i] = ((float)(u >> 8) / 16777216.0f - 0.5f) * 64.0f; /* in [-32, 32) */
    }
}

int
vm_checked(int k, int hw)
{
    int *st = &vm_state[k][hw >= 0 && hw <= 2 ? hw : 0];
    if (!vm_tables)
        vm_init_tables();
    if (*st == 0) {
        float *x = malloc(3 * VM_CHECK_N * sizeof(float)), *y = x + VM_CHECK_N;
        float *z = y + VM_CHECK_N;
        if (!x)
            return 0;  /* (no memory: the libm loop, and ask again next time) */
        vm_check_set(x, VM_CHECK_N);
        *st = -1;
        if (vm_run(k, hw, x, y, VM_CHECK_N)) {
            for (ptrdiff_t i = 0; i < VM_CHECK_N; i++)
                z[i] = VM[k].libm(x[i]);
            *st = memcmp(y, z, VM_CHECK_N * sizeof(float)) ? -1 : 1;
        }
        free(x);
    }
    return *st == 1;
}


/* ---- doubles: tanh (numpy's float64 tanh is its own SIMD code; TH's is libm's) ---- */
typedef void (*vm_fnd)(const double *, double *, ptrdiff_t);
static const struct {
    const char *name;
    double (*libm)(double);
    vm_fnd set[3];
} VMD[] = {
#if VM_HAVE_HW
    {"tanh", tanh, {vm_tanhd_sw, vm_tanhd_hw, vm_tanhd_w}},
#else
    {"tanh", tanh, {vm_tanhd_sw, NULL, NULL}},
#endif
    {NULL, NULL, {NULL, NULL, NULL}},
};
#define VMD_N (sizeof VMD / sizeof VMD[0] - 1)
static int vmd_state[VMD_N][3];

int
vm_find_d(const char *name)
{
    for (int k = 0; VMD[k].name; k++)
        if (!strcmp(VMD[k].name, name))
            return k;
    return -1;
}

const char *
vm_name_d(int k)
{
    return k >= 0 && k < (int)VMD_N ? VMD[k].name : NULL;
}

int
vm_run_d(int k, int hw, const double *x, double *y, ptrdiff_t n)
{
    vm_fnd f = hw >= 0 && hw <= 2 ? VMD[k].set[hw] : NULL;
    if (!f)
        return 0;
    f(x, y, n);
    return 1;
}

/* the double check set: the float set's special values and thresholds widened to double, the
   double thresholds of fdlibm's branches and their neighbours, random bit patterns and random
   values of moderate size */
static void
vm_check_set_d(double *x, ptrdiff_t n)
{
    static const uint64_t edges[] = {
        0x0ULL, 0x8000000000000000ULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL,
        0x7ff8000000000000ULL, 0x7ff0000000000001ULL, 0x1ULL, 0x000fffffffffffffULL,
        0x0010000000000000ULL, 0x7fefffffffffffffULL, 0x3ff0000000000000ULL,
        0x4036000000000000ULL, 0xc036000000000000ULL, 0x3c80000000000000ULL,
        0x3c90000000000000ULL, 0x3fd62e4200000000ULL, 0x3ff0a2b200000000ULL,
        0x4043687a00000000ULL, 0x3fe0000000000000ULL, 0x3fefffffffffffffULL,
    };
    ptrdiff_t i = 0, ne = sizeof edges / sizeof edges[0];
    for (ptrdiff_t e = 0; e < ne && i < n; e++)
        for (int d = -2; d <= 2 && i < n; d++) {
            uint64_t u = edges[e] + (uint64_t)(int64_t)d;
            memcpy(&x[i++], &u, sizeof u);
            u ^= 0x8000000000000000ULL;
            if (i < n)
                memcpy(&x[i++], &u, sizeof u);
        }
    uint64_t s = 0x2545f4914f6cdd1dULL;
    for (; i < n; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        if (i & 1)
            memcpy(&x[i], &s, sizeof s);
        else
            x[i] = ((double)(s >> 11) / 9007199254740992.0 - 0.5) * 64.0; /* [-32, 32) */
    }
}

int
vm_checked_d(int k, int hw)
{
    int *st = &vmd_state[k][hw >= 0 && hw <= 2 ? hw : 0];
    if (*st == 0) {
        double *x = malloc(3 * VM_CHECK_N * sizeof(double)), *y = x + VM_CHECK_N;
        double *z = y + VM_CHECK_N;
        if (!x)
            return 0;
        vm_check_set_d(x, VM_CHECK_N);
        *st = -1;
        if (vm_run_d(k, hw, x, y, VM_CHECK_N)) {
            for (ptrdiff_t i = 0; i < VM_CHECK_N; i++)
                z[i] = VMD[k].libm(x[i]);
            *st = memcmp(y, z, VM_CHECK_N * sizeof(double)) ? -1 : 1;
        }
        free(x);
    }
    return *st == 1;
}

int
vm_has_wide(void)
{
#if VM_HAVE_HW
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

#else /* no vector extensions: every function is the libm loop */
int vm_has_wide(void) { return 0; }
int vm_find(const char *name) { (void)name; return -1; }
const char *vm_name(int k) { (void)k; return NULL; }
int vm_run(int k, int hw, const float *x, float *y, ptrdiff_t n)
{
    (void)k; (void)hw; (void)x; (void)y; (void)n;
    return 0;
}
int vm_checked(int k, int hw) { (void)k; (void)hw; return 0; }
int vm_find_d(const char *name) { (void)name; return -1; }
const char *vm_name_d(int k) { (void)k; return NULL; }
int vm_run_d(int k, int hw, const double *x, double *y, ptrdiff_t n)
{
    (void)k; (void)hw; (void)x; (void)y; (void)n;
    return 0;
}
int vm_checked_d(int k, int hw) { (void)k; (void)hw; return 0; }
#endif
