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
   - double tanh (fdlibm's), exp and log (glibc 2.28+, optimized-routines'): every operation of
     glibc's build in its order, fused where GCC fused it in the build the dynamic loader picks
     (__exp_fma, __log_fma on CPUs with FMA: the AVX2+FMA and AVX-512 sets; the portable set is
     the baseline build); doubles have no slack either, so the lanes outside glibc's main path
     (special inputs, exp's |x| >= 512 or < 2^-54, log's x <= 0 or subnormal) go to libm,
     the rest is exact.
   - double asin, acos, atan, atan2 and tan (glibc's IBM code, no longer correctly rounded
     since its slow paths went in 2.34/2.35; its tables are LGPL and stay out of here): an own
     double-double algorithm, rounded, and every lane whose accurate value lies within a margin
     of a rounding midpoint goes to libm; the margins cover glibc's error as measured (2-4 times
     over: _vmath_asin_k.h, _vmath_atan_k.h, _vmath_tan_k.h say how much and where).
   Nothing is trusted blindly: before a kernel is first used it is compared with libm on a
   fixed set of inputs (special values, thresholds, random bit patterns over the whole float
   range); one differing bit and that function keeps the plain libm loop (another libm, other
   bits). tools/check_libm_replica.py compares all 2^32 inputs. Built with GCC or clang only
   (vector extensions); elsewhere every function is the libm loop. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
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
typedef uint64_t vm_u64a __attribute__((may_alias)); /* (a double's bits, read in place) */
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

/* exp (double; glibc 2.28+ from optimized-routines' exp.c): x = (k + r') ln2/128 with
   k = round(x 128/ln2) through the shifter, r = x - k ln2/128 in two parts, exp(x) =
   2^(k/128) (1 + tmp), tmp = tail + r + r^2 (C2 + r C3) + r^4 (C4 + r C5). The constants are
   glibc's (read from its __exp_fma on this machine); the table holds, for i < 128, H = 2^(i/128)
   rounded to nearest and T = 2^(i/128)/H - 1 rounded to nearest as tab[2i] = bits(T),
   tab[2i+1] = bits(H) - (i << 45): computed with exact integer arithmetic (a 128th root of
   2^(i + 128 M), tests/test_dblexp_kernels.py recomputes it so), and equal to libm's, entry
   for entry */
#define EXP_INVLN2N 0x1.71547652b82fep+7
#define EXP_SHIFT 0x1.8p52
#define EXP_NEGLN2HIN (-0x1.62e42fefa0000p-8)
#define EXP_NEGLN2LON (-0x1.cf79abc9e3b3ap-47)
#define EXP_C2 0x1.ffffffffffdbdp-2
#define EXP_C3 0x1.555555555543cp-3
#define EXP_C4 0x1.55555cf172b91p-5
#define EXP_C5 0x1.1111167a4d017p-7
__attribute__((aligned(64))) static const uint64_t vm_exp_tab[256] = {
    0x0000000000000000ULL, 0x3ff0000000000000ULL, 0x3c9b3b4f1a88bf6eULL, 0x3feff63da9fb3335ULL,
    0xbc7160139cd8dc5dULL, 0x3fefec9a3e778061ULL, 0xbc905e7a108766d1ULL, 0x3fefe315e86e7f85ULL,
    0x3c8cd2523567f613ULL, 0x3fefd9b0d3158574ULL, 0xbc8bce8023f98efaULL, 0x3fefd06b29ddf6deULL,
    0x3c60f74e61e6c861ULL, 0x3fefc74518759bc8ULL, 0x3c90a3e45b33d399ULL, 0x3fefbe3ecac6f383ULL,
    0x3c979aa65d837b6dULL, 0x3fefb5586cf9890fULL, 0x3c8eb51a92fdeffcULL, 0x3fefac922b7247f7ULL,
    0x3c3ebe3d702f9cd1ULL, 0x3fefa3ec32d3d1a2ULL, 0xbc6a033489906e0bULL, 0x3fef9b66affed31bULL,
    0xbc9556522a2fbd0eULL, 0x3fef9301d0125b51ULL, 0xbc5080ef8c4eea55ULL, 0x3fef8abdc06c31ccULL,
    0xbc91c923b9d5f416ULL, 0x3fef829aaea92de0ULL, 0x3c80d3e3e95c55afULL, 0x3fef7a98c8a58e51ULL,
    0xbc801b15eaa59348ULL, 0x3fef72b83c7d517bULL, 0xbc8f1ff055de323dULL, 0x3fef6af9388c8deaULL,
    0x3c8b898c3f1353bfULL, 0x3fef635beb6fcb75ULL, 0xbc96d99c7611eb26ULL, 0x3fef5be084045cd4ULL,
    0x3c9aecf73e3a2f60ULL, 0x3fef54873168b9aaULL, 0xbc8fe782cb86389dULL, 0x3fef4d5022fcd91dULL,
    0x3c8a6f4144a6c38dULL, 0x3fef463b88628cd6ULL, 0x3c807a05b0e4047dULL, 0x3fef3f49917ddc96ULL,
    0x3c968efde3a8a894ULL, 0x3fef387a6e756238ULL, 0x3c875e18f274487dULL, 0x3fef31ce4fb2a63fULL,
    0x3c80472b981fe7f2ULL, 0x3fef2b4565e27cddULL, 0xbc96b87b3f71085eULL, 0x3fef24dfe1f56381ULL,
    0x3c82f7e16d09ab31ULL, 0x3fef1e9df51fdee1ULL, 0xbc3d219b1a6fbffaULL, 0x3fef187fd0dad990ULL,
    0x3c8b3782720c0ab4ULL, 0x3fef1285a6e4030bULL, 0x3c6e149289cecb8fULL, 0x3fef0cafa93e2f56ULL,
    0x3c834d754db0abb6ULL, 0x3fef06fe0a31b715ULL, 0x3c864201e2ac744cULL, 0x3fef0170fc4cd831ULL,
    0x3c8fdd395dd3f84aULL, 0x3feefc08b26416ffULL, 0xbc86a3803b8e5b04ULL, 0x3feef6c55f929ff1ULL,
    0xbc924aedcc4b5068ULL, 0x3feef1a7373aa9cbULL, 0xbc9907f81b512d8eULL, 0x3feeecae6d05d866ULL,
    0xbc71d1e83e9436d2ULL, 0x3feee7db34e59ff7ULL, 0xbc991919b3ce1b15ULL, 0x3feee32dc313a8e5ULL,
    0x3c859f48a72a4c6dULL, 0x3feedea64c123422ULL, 0xbc9312607a28698aULL, 0x3feeda4504ac801cULL,
    0xbc58a78f4817895bULL, 0x3feed60a21f72e2aULL, 0xbc7c2c9b67499a1bULL, 0x3feed1f5d950a897ULL,
    0x3c4363ed60c2ac11ULL, 0x3feece086061892dULL, 0x3c9666093b0664efULL, 0x3feeca41ed1d0057ULL,
    0x3c6ecce1daa10379ULL, 0x3feec6a2b5c13cd0ULL, 0x3c93ff8e3f0f1230ULL, 0x3feec32af0d7d3deULL,
    0x3c7690cebb7aafb0ULL, 0x3feebfdad5362a27ULL, 0x3c931dbdeb54e077ULL, 0x3feebcb299fddd0dULL,
    0xbc8f94340071a38eULL, 0x3feeb9b2769d2ca7ULL, 0xbc87deccdc93a349ULL, 0x3feeb6daa2cf6642ULL,
    0xbc78dec6bd0f385fULL, 0x3feeb42b569d4f82ULL, 0xbc861246ec7b5cf6ULL, 0x3feeb1a4ca5d920fULL,
    0x3c93350518fdd78eULL, 0x3feeaf4736b527daULL, 0x3c7b98b72f8a9b05ULL, 0x3feead12d497c7fdULL,
    0x3c9063e1e21c5409ULL, 0x3feeab07dd485429ULL, 0x3c34c7855019c6eaULL, 0x3feea9268a5946b7ULL,
    0x3c9432e62b64c035ULL, 0x3feea76f15ad2148ULL, 0xbc8ce44a6199769fULL, 0x3feea5e1b976dc09ULL,
    0xbc8c33c53bef4da8ULL, 0x3feea47eb03a5585ULL, 0xbc845378892be9aeULL, 0x3feea34634ccc320ULL,
    0xbc93cedd78565858ULL, 0x3feea23882552225ULL, 0x3c5710aa807e1964ULL, 0x3feea155d44ca973ULL,
    0xbc93b3efbf5e2228ULL, 0x3feea09e667f3bcdULL, 0xbc6a12ad8734b982ULL, 0x3feea012750bdabfULL,
    0xbc6367efb86da9eeULL, 0x3fee9fb23c651a2fULL, 0xbc80dc3d54e08851ULL, 0x3fee9f7df9519484ULL,
    0xbc781f647e5a3ecfULL, 0x3fee9f75e8ec5f74ULL, 0xbc86ee4ac08b7db0ULL, 0x3fee9f9a48a58174ULL,
    0xbc8619321e55e68aULL, 0x3fee9feb564267c9ULL, 0x3c909ccb5e09d4d3ULL, 0x3feea0694fde5d3fULL,
    0xbc7b32dcb94da51dULL, 0x3feea11473eb0187ULL, 0x3c94ecfd5467c06bULL, 0x3feea1ed0130c132ULL,
    0x3c65ebe1abd66c55ULL, 0x3feea2f336cf4e62ULL, 0xbc88a1c52fb3cf42ULL, 0x3feea427543e1a12ULL,
    0xbc9369b6f13b3734ULL, 0x3feea589994cce13ULL, 0xbc805e843a19ff1eULL, 0x3feea71a4623c7adULL,
    0xbc94d450d872576eULL, 0x3feea8d99b4492edULL, 0x3c90ad675b0e8a00ULL, 0x3feeaac7d98a6699ULL,
    0x3c8db72fc1f0eab4ULL, 0x3feeace5422aa0dbULL, 0xbc65b6609cc5e7ffULL, 0x3feeaf3216b5448cULL,
    0x3c7bf68359f35f44ULL, 0x3feeb1ae99157736ULL, 0xbc93091fa71e3d83ULL, 0x3feeb45b0b91ffc6ULL,
    0xbc5da9b88b6c1e29ULL, 0x3feeb737b0cdc5e5ULL, 0xbc6c23f97c90b959ULL, 0x3feeba44cbc8520fULL,
    0xbc92434322f4f9aaULL, 0x3feebd829fde4e50ULL, 0xbc85ca6cd7668e4bULL, 0x3feec0f170ca07baULL,
    0x3c71affc2b91ce27ULL, 0x3feec49182a3f090ULL, 0x3c6dd235e10a73bbULL, 0x3feec86319e32323ULL,
    0xbc87c50422622263ULL, 0x3feecc667b5de565ULL, 0x3c8b1c86e3e231d5ULL, 0x3feed09bec4a2d33ULL,
    0xbc91bbd1d3bcbb15ULL, 0x3feed503b23e255dULL, 0x3c90cc319cee31d2ULL, 0x3feed99e1330b358ULL,
    0x3c8469846e735ab3ULL, 0x3feede6b5579fdbfULL, 0xbc82dfcd978e9db4ULL, 0x3feee36bbfd3f37aULL,
    0x3c8c1a7792cb3387ULL, 0x3feee89f995ad3adULL, 0xbc907b8f4ad1d9faULL, 0x3feeee07298db666ULL,
    0xbc55c3d956dcaebaULL, 0x3feef3a2b84f15fbULL, 0xbc90a40e3da6f640ULL, 0x3feef9728de5593aULL,
    0xbc68d6f438ad9334ULL, 0x3feeff76f2fb5e47ULL, 0xbc91eee26b588a35ULL, 0x3fef05b030a1064aULL,
    0x3c74ffd70a5fddcdULL, 0x3fef0c1e904bc1d2ULL, 0xbc91bdfbfa9298acULL, 0x3fef12c25bd71e09ULL,
    0x3c736eae30af0cb3ULL, 0x3fef199bdd85529cULL, 0x3c8ee3325c9ffd94ULL, 0x3fef20ab5fffd07aULL,
    0x3c84e08fd10959acULL, 0x3fef27f12e57d14bULL, 0x3c63cdaf384e1a67ULL, 0x3fef2f6d9406e7b5ULL,
    0x3c676b2c6c921968ULL, 0x3fef3720dcef9069ULL, 0xbc808a1883ccb5d2ULL, 0x3fef3f0b555dc3faULL,
    0xbc8fad5d3ffffa6fULL, 0x3fef472d4a07897cULL, 0xbc900dae3875a949ULL, 0x3fef4f87080d89f2ULL,
    0x3c74a385a63d07a7ULL, 0x3fef5818dcfba487ULL, 0xbc82919e2040220fULL, 0x3fef60e316c98398ULL,
    0x3c8e5a50d5c192acULL, 0x3fef69e603db3285ULL, 0x3c843a59ac016b4bULL, 0x3fef7321f301b460ULL,
    0xbc82d52107b43e1fULL, 0x3fef7c97337b9b5fULL, 0xbc892ab93b470dc9ULL, 0x3fef864614f5a129ULL,
    0x3c74b604603a88d3ULL, 0x3fef902ee78b3ff6ULL, 0x3c83c5ec519d7271ULL, 0x3fef9a51fbc74c83ULL,
    0xbc8ff7128fd391f0ULL, 0x3fefa4afa2a490daULL, 0xbc8dae98e223747dULL, 0x3fefaf482d8e67f1ULL,
    0x3c8ec3bc41aa2008ULL, 0x3fefba1bee615a27ULL, 0x3c842b94c3a9eb32ULL, 0x3fefc52b376bba97ULL,
    0x3c8a64a931d185eeULL, 0x3fefd0765b6e4540ULL, 0xbc8e37bae43be3edULL, 0x3fefdbfdad9cbe14ULL,
    0x3c77893b4d91cd9dULL, 0x3fefe7c1819e90d8ULL, 0x3c5305c14160cc89ULL, 0x3feff3c22b8f71f1ULL,
};

/* log (double; glibc 2.28+ from optimized-routines' log.c, MIT licensed): x = 2^k z, z in
   [0x1.6p-1, 0x1.6p0) split in 128 subintervals, r = z invc - 1 (one fused operation: the
   FMA build's path, so only the AVX2+FMA and AVX-512 sets have this kernel; glibc's baseline
   build takes another path with a second table), log(x) = k ln2 + logc + r + A0 r^2 + r^3
   (A1 + r A2 + r^2 (A3 + r A4)), hi and lo kept apart. invc and logc come from a search for
   values that make the rounding errors vanish (they cannot be recomputed from a formula):
   optimized-routines' log_data.c, the same numbers as the __log_data of this machine's libm
   (checked entry for entry); ln2 in two parts, the polynomial's coefficients likewise. */
#define LOG_LN2HI 0x1.62e42fefa3800p-1
#define LOG_LN2LO 0x1.ef35793c76730p-45
#define LOG_A0 (-0x1.0000000000001p-1)
#define LOG_A1 0x1.555555551305bp-2
#define LOG_A2 (-0x1.fffffffeb4590p-3)
#define LOG_A3 0x1.999b324f10111p-3
#define LOG_A4 (-0x1.55575e506c89fp-3)
/* log near 1 (x in [1 - 2^-4, 1 + 0x1.09p-4)): r = x - 1, log(x) = r - r^2/2 + r^3 (B1 + r B2
   + ... + r^9 B10), the r^2/2 term split exactly (r's top 26 bits through 2^27 r) */
#define LOG_B0 (-0x1p-1)
#define LOG_B1 0x1.5555555555577p-2
#define LOG_B2 (-0x1.ffffffffffdcbp-3)
#define LOG_B3 0x1.999999995dd0cp-3
#define LOG_B4 (-0x1.55555556745a7p-3)
#define LOG_B5 0x1.24924a344de30p-3
#define LOG_B6 (-0x1.fffffa4423d65p-4)
#define LOG_B7 0x1.c7184282ad6cap-4
#define LOG_B8 (-0x1.999eb43b068ffp-4)
#define LOG_B9 0x1.78182f7afd085p-4
#define LOG_B10 (-0x1.5521375d145cdp-4)
static const double vm_log_tab[128][2] = {
    {0x1.734f0c3e0de9fp+0, -0x1.7cc7f79e69000p-2}, {0x1.713786a2ce91fp+0, -0x1.76feec20d0000p-2},
    {0x1.6f26008fab5a0p+0, -0x1.713e31351e000p-2}, {0x1.6d1a61f138c7dp+0, -0x1.6b85b38287800p-2},
    {0x1.6b1490bc5b4d1p+0, -0x1.65d5590807800p-2}, {0x1.69147332f0cbap+0, -0x1.602d076180000p-2},
    {0x1.6719f18224223p+0, -0x1.5a8ca86909000p-2}, {0x1.6524f99a51ed9p+0, -0x1.54f4356035000p-2},
    {0x1.63356aa8f24c4p+0, -0x1.4f637c36b4000p-2}, {0x1.614b36b9ddc14p+0, -0x1.49da7fda85000p-2},
    {0x1.5f66452c65c4cp+0, -0x1.445923989a800p-2}, {0x1.5d867b5912c4fp+0, -0x1.3edf439b0b800p-2},
    {0x1.5babccb5b90dep+0, -0x1.396ce448f7000p-2}, {0x1.59d61f2d91a78p+0, -0x1.3401e17bda000p-2},
    {0x1.5805612465687p+0, -0x1.2e9e2ef468000p-2}, {0x1.56397cee76bd3p+0, -0x1.2941b3830e000p-2},
    {0x1.54725e2a77f93p+0, -0x1.23ec58cda8800p-2}, {0x1.52aff42064583p+0, -0x1.1e9e129279000p-2},
    {0x1.50f22dbb2bddfp+0, -0x1.1956d2b48f800p-2}, {0x1.4f38f4734ded7p+0, -0x1.141679ab9f800p-2},
    {0x1.4d843cfde2840p+0, -0x1.0edd094ef9800p-2}, {0x1.4bd3ec078a3c8p+0, -0x1.09aa518db1000p-2},
    {0x1.4a27fc3e0258ap+0, -0x1.047e65263b800p-2}, {0x1.4880524d48434p+0, -0x1.feb224586f000p-3},
    {0x1.46dce1b192d0bp+0, -0x1.f474a7517b000p-3}, {0x1.453d9d3391854p+0, -0x1.ea4443d103000p-3},
    {0x1.43a2744b4845ap+0, -0x1.e020d44e9b000p-3}, {0x1.420b54115f8fbp+0, -0x1.d60a22977f000p-3},
    {0x1.40782da3ef4b1p+0, -0x1.cc00104959000p-3}, {0x1.3ee8f5d57fe8fp+0, -0x1.c202956891000p-3},
    {0x1.3d5d9a00b4ce9p+0, -0x1.b81178d811000p-3}, {0x1.3bd60c010c12bp+0, -0x1.ae2c9ccd3d000p-3},
    {0x1.3a5242b75dab8p+0, -0x1.a45402e129000p-3}, {0x1.38d22cd9fd002p+0, -0x1.9a877681df000p-3},
    {0x1.3755bc5847a1cp+0, -0x1.90c6d69483000p-3}, {0x1.35dce49ad36e2p+0, -0x1.87120a645c000p-3},
    {0x1.34679984dd440p+0, -0x1.7d68fb4143000p-3}, {0x1.32f5cceffcb24p+0, -0x1.73cb83c627000p-3},
    {0x1.3187775a10d49p+0, -0x1.6a39a9b376000p-3}, {0x1.301c8373e3990p+0, -0x1.60b3154b7a000p-3},
    {0x1.2eb4ebb95f841p+0, -0x1.5737d76243000p-3}, {0x1.2d50a0219a9d1p+0, -0x1.4dc7b8fc23000p-3},
    {0x1.2bef9a8b7fd2ap+0, -0x1.4462c51d20000p-3}, {0x1.2a91c7a0c1babp+0, -0x1.3b08abc830000p-3},
    {0x1.293726014b530p+0, -0x1.31b996b490000p-3}, {0x1.27dfa5757a1f5p+0, -0x1.2875490a44000p-3},
    {0x1.268b39b1d3bbfp+0, -0x1.1f3b9f879a000p-3}, {0x1.2539d838ff5bdp+0, -0x1.160c8252ca000p-3},
    {0x1.23eb7aac9083bp+0, -0x1.0ce7f57f72000p-3}, {0x1.22a012ba940b6p+0, -0x1.03cdc49fea000p-3},
    {0x1.2157996cc4132p+0, -0x1.f57bdbc4b8000p-4}, {0x1.201201dd2fc9bp+0, -0x1.e370896404000p-4},
    {0x1.1ecf4494d480bp+0, -0x1.d17983ef94000p-4}, {0x1.1d8f5528f6569p+0, -0x1.bf9674ed8a000p-4},
    {0x1.1c52311577e7cp+0, -0x1.adc79202f6000p-4}, {0x1.1b17c74cb26e9p+0, -0x1.9c0c3e7288000p-4},
    {0x1.19e010c2c1ab6p+0, -0x1.8a646b372c000p-4}, {0x1.18ab07bb670bdp+0, -0x1.78d01b3ac0000p-4},
    {0x1.1778a25efbcb6p+0, -0x1.674f145380000p-4}, {0x1.1648d354c31dap+0, -0x1.55e0e6d878000p-4},
    {0x1.151b990275fddp+0, -0x1.4485cdea1e000p-4}, {0x1.13f0ea432d24cp+0, -0x1.333d94d6aa000p-4},
    {0x1.12c8b7210f9dap+0, -0x1.22079f8c56000p-4}, {0x1.11a3028ecb531p+0, -0x1.10e4698622000p-4},
    {0x1.107fbda8434afp+0, -0x1.ffa6c6ad20000p-5}, {0x1.0f5ee0f4e6bb3p+0, -0x1.dda8d4a774000p-5},
    {0x1.0e4065d2a9fcep+0, -0x1.bbcece4850000p-5}, {0x1.0d244632ca521p+0, -0x1.9a1894012c000p-5},
    {0x1.0c0a77ce2981ap+0, -0x1.788583302c000p-5}, {0x1.0af2f83c636d1p+0, -0x1.5715e67d68000p-5},
    {0x1.09ddb98a01339p+0, -0x1.35c8a49658000p-5}, {0x1.08cabaf52e7dfp+0, -0x1.149e364154000p-5},
    {0x1.07b9f2f4e28fbp+0, -0x1.e72c082eb8000p-6}, {0x1.06ab58c358f19p+0, -0x1.a55f152528000p-6},
    {0x1.059eea5ecf92cp+0, -0x1.63d62cf818000p-6}, {0x1.04949cdd12c90p+0, -0x1.228fb8caa0000p-6},
    {0x1.038c6c6f0ada9p+0, -0x1.c317b20f90000p-7}, {0x1.02865137932a9p+0, -0x1.419355daa0000p-7},
    {0x1.0182427ea7348p+0, -0x1.81203c2ec0000p-8}, {0x1.008040614b195p+0, -0x1.0040979240000p-9},
    {0x1.fe01ff726fa1ap-1, 0x1.feff384900000p-9}, {0x1.fa11cc261ea74p-1, 0x1.7dc41353d0000p-7},
    {0x1.f6310b081992ep-1, 0x1.3cea3c4c28000p-6}, {0x1.f25f63ceeadcdp-1, 0x1.b9fc114890000p-6},
    {0x1.ee9c8039113e7p-1, 0x1.1b0d8ce110000p-5}, {0x1.eae8078cbb1abp-1, 0x1.58a5bd001c000p-5},
    {0x1.e741aa29d0c9bp-1, 0x1.95c8340d88000p-5}, {0x1.e3a91830a99b5p-1, 0x1.d276aef578000p-5},
    {0x1.e01e009609a56p-1, 0x1.07598e598c000p-4}, {0x1.dca01e577bb98p-1, 0x1.253f5e30d2000p-4},
    {0x1.d92f20b7c9103p-1, 0x1.42edd8b380000p-4}, {0x1.d5cac66fb5ccep-1, 0x1.606598757c000p-4},
    {0x1.d272caa5ede9dp-1, 0x1.7da76356a0000p-4}, {0x1.cf26e3e6b2ccdp-1, 0x1.9ab434e1c6000p-4},
    {0x1.cbe6da2a77902p-1, 0x1.b78c7bb0d6000p-4}, {0x1.c8b266d37086dp-1, 0x1.d431332e72000p-4},
    {0x1.c5894bd5d5804p-1, 0x1.f0a3171de6000p-4}, {0x1.c26b533bb9f8cp-1, 0x1.067152b914000p-3},
    {0x1.bf583eeece73fp-1, 0x1.147858292b000p-3}, {0x1.bc4fd75db96c1p-1, 0x1.2266ecdca3000p-3},
    {0x1.b951e0c864a28p-1, 0x1.303d7a6c55000p-3}, {0x1.b65e2c5ef3e2cp-1, 0x1.3dfc33c331000p-3},
    {0x1.b374867c9888bp-1, 0x1.4ba366b7a8000p-3}, {0x1.b094b211d304ap-1, 0x1.5933928d1f000p-3},
    {0x1.adbe885f2ef7ep-1, 0x1.66acd2418f000p-3}, {0x1.aaf1d31603da2p-1, 0x1.740f8ec669000p-3},
    {0x1.a82e63fd358a7p-1, 0x1.815c0f51af000p-3}, {0x1.a5740ef09738bp-1, 0x1.8e92954f68000p-3},
    {0x1.a2c2a90ab4b27p-1, 0x1.9bb3602f84000p-3}, {0x1.a01a01393f2d1p-1, 0x1.a8bed1c2c0000p-3},
    {0x1.9d79f24db3c1bp-1, 0x1.b5b515c01d000p-3}, {0x1.9ae2505c7b190p-1, 0x1.c2967ccbcc000p-3},
    {0x1.9852ef297ce2fp-1, 0x1.cf635d5486000p-3}, {0x1.95cbaeea44b75p-1, 0x1.dc1bd3446c000p-3},
    {0x1.934c69de74838p-1, 0x1.e8c01b8cfe000p-3}, {0x1.90d4f2f6752e6p-1, 0x1.f5509c0179000p-3},
    {0x1.8e6528effd79dp-1, 0x1.00e6c121fb800p-2}, {0x1.8bfce9fcc007cp-1, 0x1.071b80e93d000p-2},
    {0x1.899c0dabec30ep-1, 0x1.0d46b9e867000p-2}, {0x1.87427aa2317fbp-1, 0x1.13687334bd000p-2},
    {0x1.84f00acb39a08p-1, 0x1.1980d67234800p-2}, {0x1.82a49e8653e55p-1, 0x1.1f8ffe0cc8000p-2},
    {0x1.8060195f40260p-1, 0x1.2595fd7636800p-2}, {0x1.7e22563e0a329p-1, 0x1.2b9300914a800p-2},
    {0x1.7beb377dcb5adp-1, 0x1.3187210436000p-2}, {0x1.79baa679725c2p-1, 0x1.377266dec1800p-2},
    {0x1.77907f2170657p-1, 0x1.3d54ffbaf3000p-2}, {0x1.756cadbd6130cp-1, 0x1.432eee32fe000p-2},
};

/* vm_log_tab rotated: entry (bits(x) >> 45) & 127 is vm_log_tab's ((bits(x) - 0x3fe6 << 48) >>
   45) & 127 (the AVX-512 log's lookups, one operation fewer; filled at init) */
static double vm_log_rot[128][2] __attribute__((aligned(16)));

/* atan(i/64), i = 0 ... 64, in two parts (hi + lo to about 2^-110): filled at init from Euler's
   series in quadruple precision (_vmath_atan_k.h's double atan and atan2) */
static double vm_atan_hi[72] __attribute__((aligned(64))), vm_atan_lo[72] __attribute__((aligned(64)));

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
    VM_ENTRY(log1p, log1pf, vm_log1pf), VM_ENTRY(atan, atanf, vm_atanf),  /* (_vmath_more_k.h) */
    VM_ENTRY(asin, asinf, vm_asinf), VM_ENTRY(acos, acosf, vm_acosf),
    VM_ENTRY(cosh, coshf, vm_coshf), VM_ENTRY(sinh, sinhf, vm_sinhf),
    VM_ENTRY(tan, tanf, vm_tanf),  /* (_vmath_tan_k.h) */
    {NULL, NULL, {NULL, NULL, NULL}},
};
#define VM_N (sizeof VM / sizeof VM[0] - 1)

/* per function and kernel set: 0 not checked yet, 1 same bits as libm, -1 differs */
static int vm_state[VM_N][3];

static int vm_tables = 0;

/* atan(c) for c = i/64 (vm_atan_hi/lo) by Euler's series, atan(c) = c/(1 + c^2) sum_n
   (2n)!!/(2n+1)!! w^n with w = c^2/(1 + c^2) <= 1/2, in quadruple precision (where the
   compiler has one; else long double) */
#if defined(__SIZEOF_FLOAT128__) && !defined(__clang__)
typedef __float128 vm_quad;
#else
typedef long double vm_quad;
#endif
static void
vm_init_atan(void)
{
    for (int i = 0; i <= 64; i++) {
        vm_quad c = (vm_quad)i / 64, d = 1 + c * c, w = c * c / d, term = 1, sum = 1;
        for (int n = 1; n < 200; n++) {
            term = term * w * (2 * n) / (2 * n + 1);
            sum += term;
        }
        vm_quad v = c / d * sum;
        double hi = (double)v;
        vm_atan_hi[i] = hi;
        vm_atan_lo[i] = (double)(v - (vm_quad)hi);
#if !(defined(__SIZEOF_FLOAT128__) && !defined(__clang__)) && LDBL_MANT_DIG < 64
        vm_atan_hi[i] = NAN;  /* (no type with 64 bits of mantissa: the kernels fail their
                                 check, libm's loop serves) */
#endif
    }
}

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
    for (int j = 0; j < 128; j++) {
        vm_log_rot[j][0] = vm_log_tab[(j - 0x30) & 127][0];
        vm_log_rot[j][1] = vm_log_tab[(j - 0x30) & 127][1];
    }
    vm_tan_init();  /* (_vmath_tan_k.h) */
    vm_init_atan();  /* (_vmath_atan_k.h) */
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
        0x3f490fda, 0xbf490fda, 0x3f2ca140, 0xbf2ca140, 0x39000000, 0xb9000000, /* (tanf) */
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
static double sigmoidd_libm(double x) { return 1.0 / (1.0 + exp(-x)); }
static const struct {
    const char *name;
    double (*libm)(double);
    vm_fnd set[3];
} VMD[] = {
#if VM_HAVE_HW
#define VMD_ENTRY(n, k) {#n, n, {k##_sw, k##_hw, k##_w}}
#else
#define VMD_ENTRY(n, k) {#n, n, {k##_sw, NULL, NULL}}
#endif
    VMD_ENTRY(tanh, vm_tanhd), VMD_ENTRY(exp, vm_expd),
#if VM_HAVE_HW
    {"log", log, {NULL, vm_logd_hw, vm_logd_w}},  /* (no portable kernel: see vm_log_tab) */
#endif
    VMD_ENTRY(log1p, vm_log1pd), VMD_ENTRY(cosh, vm_coshd), VMD_ENTRY(sinh, vm_sinhd),  /* (_vmath_more_k.h) */
    VMD_ENTRY(asin, vm_asind), VMD_ENTRY(acos, vm_acosd),  /* (_vmath_asin_k.h) */
    VMD_ENTRY(atan, vm_atand),  /* (_vmath_atan_k.h) */
#if VM_HAVE_HW
    {"sigmoid", sigmoidd_libm, {vm_sigmoidd_sw, vm_sigmoidd_hw, vm_sigmoidd_w}},
    {"tan", tan, {NULL, vm_tand_hw, vm_tand_w}},  /* (_vmath_tan_k.h; none portable: FMA) */
#else
    {"sigmoid", sigmoidd_libm, {vm_sigmoidd_sw, NULL, NULL}},
#endif
    {NULL, NULL, {NULL, NULL, NULL}},
};
#define VMD_N (sizeof VMD / sizeof VMD[0] - 1)
static int vmd_state[VMD_N][3];

int
vm_find_d(const char *name)
{
    if (!vm_tables)
        vm_init_tables();
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
        0x3faf212d00000000ULL, 0x3fe92f1a00000000ULL, 0x3ff921fb54442d18ULL,  /* (tan) */
        0x400921fb54442d18ULL, 0x4190000000000000ULL, 0x3e10000000000000ULL,
        /* (asin, acos: IBM's branch thresholds 2^-26, 1/8, 1/4, 3/4, 0.921875, 0.953125,
           0.96875 and acos's 2^-55) */
        0x3e50000000000000ULL, 0x3fc0000000000000ULL, 0x3fd0000000000000ULL,
        0x3fe8000000000000ULL, 0x3fed800000000000ULL, 0x3fee800000000000ULL,
        0x3fef000000000000ULL, 0x3c88000000000000ULL,
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
            x[i] = ((double)(s >> 11) / 9007199254740992.0 - 0.5)
                   * (i & 2 ? 2.0 : 64.0); /* [-32, 32), every other one [-1, 1) (asin, acos) */
    }
}

int
vm_checked_d(int k, int hw)
{
    int *st = &vmd_state[k][hw >= 0 && hw <= 2 ? hw : 0];
    if (!vm_tables)
        vm_init_tables();
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

/* ---- powf(x, y) for one y (_vmath_more_k.h) ---- */
typedef void (*vm_powf_fn)(const float *, float *, ptrdiff_t, float, int);
#if VM_HAVE_HW
static const vm_powf_fn VM_POWF[3] = {vm_powf_sw, vm_powf_hw, vm_powf_w};
#else
static const vm_powf_fn VM_POWF[3] = {vm_powf_sw, NULL, NULL};
#endif
static int vm_powf_state[3];

/* glibc powf's checkint: 0 y not an integer, 1 an odd one, 2 an even one */
static int
vm_powf_yint(float y)
{
    uint32_t iy;
    memcpy(&iy, &y, sizeof iy);
    int e = iy >> 23 & 0xff;
    if (e < 0x7f)
        return 0;
    if (e > 0x7f + 23)
        return 2;
    if (iy & ((1u << (0x7f + 23 - e)) - 1))
        return 0;
    return iy & (1u << (0x7f + 23 - e)) ? 1 : 2;
}

/* the set's kernel against libm's powf on the float check set, for exponents of each kind
   (fractional, negative, odd and even integers, large); once, then cached */
static int
vm_powf_checked(int hw)
{
    static const float ys[] = {2.5f, -1.5f, 3.0f, -2.0f, 0.5f, 7.0f, 1.1f, -0.3333333f,
                               12.25f, 100.0f, -35.0f, 1e-3f};
    int *st = &vm_powf_state[hw];
    if (!vm_tables)
        vm_init_tables();
    if (*st == 0) {
        const ptrdiff_t n = VM_CHECK_N / 4;
        float *x = malloc(3 * n * sizeof(float)), *y = x + n, *z = y + n;
        if (!x)
            return 0;
        vm_check_set(x, n);
        int ok = 1;  /* (set once at the end: a caller without the GIL reads 0 or the verdict) */
        for (size_t j = 0; j < sizeof ys / sizeof ys[0] && ok; j++) {
            VM_POWF[hw](x, y, n, ys[j], vm_powf_yint(ys[j]));
            for (ptrdiff_t i = 0; i < n; i++)
                z[i] = powf(x[i], ys[j]);
            if (memcmp(y, z, n * sizeof(float)))
                ok = 0;
        }
        free(x);
        *st = ok ? 1 : -1;
    }
    return *st == 1;
}

int
vm_powf(int hw, int mode, const float *x, float yv, float *out, ptrdiff_t n)
{
    uint32_t iy;
    memcpy(&iy, &yv, sizeof iy);
    if (hw < 0 || hw > 2 || !VM_POWF[hw] || 2 * iy - 1 >= 2u * 0x7f800000 - 1)
        return 0;  /* (y 0, inf or NaN: glibc's special cases, the libm loop) */
    if (mode != 1 && !vm_powf_checked(hw))
        return 0;
    if (!vm_tables)
        vm_init_tables();
    VM_POWF[hw](x, out, n, yv, vm_powf_yint(yv));
    return 1;
}

/* ---- double pow(x, y) for one y (_vmath_pow_k.h), on double or float buffers ---- */
typedef void (*vm_pow_fn)(const double *, double *, ptrdiff_t, double, int);
typedef void (*vm_pow32_fn)(const float *, float *, ptrdiff_t, double, int);
#if VM_HAVE_HW
static const vm_pow_fn VM_POW[3] = {vm_pow_sw, vm_pow_hw, vm_pow_w};
static const vm_pow32_fn VM_POW32[3] = {vm_pow32_sw, vm_pow32_hw, vm_pow32_w};
#else
static const vm_pow_fn VM_POW[3] = {vm_pow_sw, NULL, NULL};
static const vm_pow32_fn VM_POW32[3] = {vm_pow32_sw, NULL, NULL};
#endif
static int vm_pow_state[3];

/* glibc pow's checkint: 0 y not an integer, 1 an odd one, 2 an even one */
static int
vm_pow_yint(double y)
{
    uint64_t iy;
    memcpy(&iy, &y, sizeof iy);
    int e = iy >> 52 & 0x7ff;
    if (e < 0x3ff)
        return 0;
    if (e > 0x3ff + 52)
        return 2;
    if (iy & ((1ULL << (0x3ff + 52 - e)) - 1))
        return 0;
    return iy & (1ULL << (0x3ff + 52 - e)) ? 1 : 2;
}

/* the set's kernel against libm's pow on the double check set (and its negation), for
   exponents of each kind; once, then cached */
static int
vm_pow_checked(int hw)
{
    static const double ys[] = {2.5, -1.5, 3.0, -2.0, 0.5, 7.0, 1.1, -0.3333333333333333,
                                12.25, 100.0, -35.0, 1e-3, 1e-19, 1e18, -0.75, 1023.0};
    int *st = &vm_pow_state[hw];
    if (*st == 0) {
        const ptrdiff_t n = VM_CHECK_N / 8;
        double *x = malloc(3 * n * sizeof(double)), *y = x + n, *z = y + n;
        if (!x)
            return 0;
        vm_check_set_d(x, n);
        for (ptrdiff_t i = 0; i < n; i += 4)  /* (near 1: y log x tiny, and its neighbours) */
            x[i] = 1.0 + (double)(i - n / 2) * 0x1p-52;
        int ok = 1;  /* (set once at the end: a caller without the GIL reads 0 or the verdict) */
        for (size_t j = 0; j < sizeof ys / sizeof ys[0] && ok; j++) {
            VM_POW[hw](x, y, n, ys[j], vm_pow_yint(ys[j]));
            for (ptrdiff_t i = 0; i < n; i++)
                z[i] = pow(x[i], ys[j]);
            if (memcmp(y, z, n * sizeof(double)))
                ok = 0;
        }
        free(x);
        *st = ok ? 1 : -1;
    }
    return *st == 1;
}

/* y values the kernels leave to libm's loop: 0, inf, NaN, |y| < 2^-65 or >= 2^63 (glibc's
   special cases of y) */
static int
vm_pow_y_ok(double yv)
{
    uint64_t iy;
    memcpy(&iy, &yv, sizeof iy);
    return ((iy >> 52) & 0x7ff) - 0x3be < 0x43e - 0x3be;
}

int
vm_pow(int hw, int mode, const double *x, double yv, double *out, ptrdiff_t n)
{
    if (hw < 0 || hw > 2 || !VM_POW[hw] || !vm_pow_y_ok(yv))
        return 0;
    if (mode != 1 && !vm_pow_checked(hw))
        return 0;
    VM_POW[hw](x, out, n, yv, vm_pow_yint(yv));
    return 1;
}

int
vm_pow32(int hw, int mode, const float *x, double yv, float *out, ptrdiff_t n)
{
    if (hw < 0 || hw > 2 || !VM_POW32[hw] || !vm_pow_y_ok(yv))
        return 0;
    if (mode != 1 && !vm_pow_checked(hw))
        return 0;
    VM_POW32[hw](x, out, n, yv, vm_pow_yint(yv));
    return 1;
}

/* ---- double pow(x[i], y[i]) and pow(x, y[i]) (_vmath_pow_k.h), double or float buffers ---- */
typedef void (*vm_pow2_fn)(const double *, int, const double *, double *, ptrdiff_t);
typedef void (*vm_pow2_32_fn)(const float *, int, const float *, float *, ptrdiff_t);
#if VM_HAVE_HW
static const vm_pow2_fn VM_POW2[3] = {vm_pow2_sw, vm_pow2_hw, vm_pow2_w};
static const vm_pow2_32_fn VM_POW2_32[3] = {vm_pow2_32_sw, vm_pow2_32_hw, vm_pow2_32_w};
#else
static const vm_pow2_fn VM_POW2[3] = {vm_pow2_sw, NULL, NULL};
static const vm_pow2_32_fn VM_POW2_32[3] = {vm_pow2_32_sw, NULL, NULL};
#endif
static int vm_pow2_state[3];

/* the set's two-buffer kernel against libm's pow: x the double check set, y moderate values,
   halves, integers of both parities and random bit patterns (the check set reversed) */
static int
vm_pow2_checked(int hw)
{
    int *st = &vm_pow2_state[hw];
    if (*st == 0) {
        const ptrdiff_t n = VM_CHECK_N / 2;
        double *x = malloc(4 * n * sizeof(double)), *y = x + n, *z = y + n, *w = z + n;
        if (!x)
            return 0;
        vm_check_set_d(x, n);
        for (ptrdiff_t i = 0; i < n; i++) {
            int k = (int)(i % 5);
            y[i] = k == 0 ? x[n - 1 - i] : k == 1 ? (double)(i % 41 - 20) : k == 2
                ? (double)(i % 37 - 18) * 0.5 : k == 3 ? (double)(i % 1999 - 999) / 64.0
                : 1.0 / (double)(i % 13 + 1);
        }
        VM_POW2[hw](x, 1, y, w, n);
        for (ptrdiff_t i = 0; i < n; i++)
            z[i] = pow(x[i], y[i]);
        int ok = !memcmp(w, z, n * sizeof(double));
        VM_POW2[hw](x + 7, 0, y, w, n);  /* (one base) */
        for (ptrdiff_t i = 0; i < n && ok; i++)
            z[i] = pow(x[7], y[i]);
        ok = ok && !memcmp(w, z, n * sizeof(double));
        free(x);
        *st = ok ? 1 : -1;
    }
    return *st == 1;
}

int
vm_pow2(int hw, int mode, int single, const void *x, int xstep, const void *y, void *out,
        ptrdiff_t n)
{
    if (hw < 0 || hw > 2 || !VM_POW2[hw])
        return 0;
    if (mode != 1 && !vm_pow2_checked(hw))
        return 0;
    if (n <= 0)
        return 1;
    if (single)
        VM_POW2_32[hw](x, xstep, y, out, n);
    else
        VM_POW2[hw](x, xstep, y, out, n);
    return 1;
}

/* ---- atan2f(y, x) (_vmath_atan_k.h) ---- */
typedef void (*vm_atan2f_fn)(const float *, const float *, float, float *, ptrdiff_t);
#if VM_HAVE_HW
static const vm_atan2f_fn VM_ATAN2F[3] = {vm_atan2f_sw, vm_atan2f_hw, vm_atan2f_w};
#else
static const vm_atan2f_fn VM_ATAN2F[3] = {vm_atan2f_sw, NULL, NULL};
#endif
static int vm_atan2f_state[3];

/* the set's atan2f kernel against libm's on pairs from the float check set: each check-set
   float against its neighbours in the set (all sign and size combinations, zeros, infs, NaNs,
   ratios beyond 2^60 and below 2^-60), then against the numbers of the edge list, both ways;
   once, then cached */
static int
vm_atan2f_checked(int hw)
{
    static const float xs[] = {1.0f, -1.0f, 0.0f, -0.0f, 2.0f, -0.5f, 1e30f, -1e-30f,
                               3.0e-39f, -7.5f, 0x1p60f, -0x1p-61f};
    int *st = &vm_atan2f_state[hw];
    if (*st == 0) {
        const ptrdiff_t n = VM_CHECK_N / 4;
        float *y = malloc(4 * n * sizeof(float)), *x = y + n, *o = x + n, *z = o + n;
        if (!y)
            return 0;
        vm_check_set(y, n);
        int ok = 1;
        for (int pass = 0; pass < 3 && ok; pass++) {
            for (ptrdiff_t i = 0; i < n; i++)
                x[i] = y[(i * 7 + 1 + pass * 1000) % n];
            VM_ATAN2F[hw](y, x, 0.0f, o, n);
            for (ptrdiff_t i = 0; i < n; i++)
                z[i] = atan2f(y[i], x[i]);
            ok = !memcmp(o, z, n * sizeof(float));
        }
        for (size_t j = 0; j < sizeof xs / sizeof xs[0] && ok; j++) {
            VM_ATAN2F[hw](y, NULL, xs[j], o, n);
            for (ptrdiff_t i = 0; i < n; i++)
                z[i] = atan2f(y[i], xs[j]);
            ok = !memcmp(o, z, n * sizeof(float));
            for (ptrdiff_t i = 0; i < n && ok; i++)
                x[i] = xs[j];
            VM_ATAN2F[hw](x, y, 0.0f, o, n);
            for (ptrdiff_t i = 0; i < n && ok; i++)
                z[i] = atan2f(xs[j], y[i]);
            ok = ok && !memcmp(o, z, n * sizeof(float));
        }
        free(y);
        *st = ok ? 1 : -1;
    }
    return *st == 1;
}

int
vm_atan2f(int hw, int mode, const float *y, const float *x, float xv, float *out, ptrdiff_t n)
{
    if (hw < 0 || hw > 2 || !VM_ATAN2F[hw])
        return 0;
    if (mode != 1 && !vm_atan2f_checked(hw))
        return 0;
    VM_ATAN2F[hw](y, x, xv, out, n);
    return 1;
}

/* ---- double atan2(y, x) (_vmath_atan_k.h) ---- */
typedef void (*vm_atan2d_fn)(const double *, const double *, double, double *, ptrdiff_t);
#if VM_HAVE_HW
static const vm_atan2d_fn VM_ATAN2D[3] = {vm_atan2d_sw, vm_atan2d_hw, vm_atan2d_w};
#else
static const vm_atan2d_fn VM_ATAN2D[3] = {vm_atan2d_sw, NULL, NULL};
#endif
static int vm_atan2d_state[3];

/* as vm_atan2f_checked, on pairs from the double check set */
static int
vm_atan2d_checked(int hw)
{
    static const double xs[] = {1.0, -1.0, 0.0, -0.0, 2.0, -0.5, 1e300, -1e-300, 5e-324,
                                -7.5, 0x1p60, -0x1p-61};
    int *st = &vm_atan2d_state[hw];
    if (!vm_tables)
        vm_init_tables();
    if (*st == 0) {
        const ptrdiff_t n = VM_CHECK_N / 4;
        double *y = malloc(4 * n * sizeof(double)), *x = y + n, *o = x + n, *z = o + n;
        if (!y)
            return 0;
        vm_check_set_d(y, n);
        int ok = 1;
        for (int pass = 0; pass < 3 && ok; pass++) {
            for (ptrdiff_t i = 0; i < n; i++)
                x[i] = y[(i * 7 + 1 + pass * 1000) % n];
            VM_ATAN2D[hw](y, x, 0.0, o, n);
            for (ptrdiff_t i = 0; i < n; i++)
                z[i] = atan2(y[i], x[i]);
            ok = !memcmp(o, z, n * sizeof(double));
        }
        for (size_t j = 0; j < sizeof xs / sizeof xs[0] && ok; j++) {
            VM_ATAN2D[hw](y, NULL, xs[j], o, n);
            for (ptrdiff_t i = 0; i < n; i++)
                z[i] = atan2(y[i], xs[j]);
            ok = !memcmp(o, z, n * sizeof(double));
            for (ptrdiff_t i = 0; i < n && ok; i++)
                x[i] = xs[j];
            VM_ATAN2D[hw](x, y, 0.0, o, n);
            for (ptrdiff_t i = 0; i < n && ok; i++)
                z[i] = atan2(xs[j], y[i]);
            ok = ok && !memcmp(o, z, n * sizeof(double));
        }
        free(y);
        *st = ok ? 1 : -1;
    }
    return *st == 1;
}

int
vm_atan2d(int hw, int mode, const double *y, const double *x, double xv, double *out,
          ptrdiff_t n)
{
    if (hw < 0 || hw > 2 || !VM_ATAN2D[hw])
        return 0;
    if (!vm_tables)
        vm_init_tables();
    if (mode != 1 && !vm_atan2d_checked(hw))
        return 0;
    VM_ATAN2D[hw](y, x, xv, out, n);
    return 1;
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
int vm_powf(int hw, int mode, const float *x, float yv, float *out, ptrdiff_t n)
{
    (void)hw; (void)mode; (void)x; (void)yv; (void)out; (void)n;
    return 0;
}
int vm_pow(int hw, int mode, const double *x, double yv, double *out, ptrdiff_t n)
{
    (void)hw; (void)mode; (void)x; (void)yv; (void)out; (void)n;
    return 0;
}
int vm_pow32(int hw, int mode, const float *x, double yv, float *out, ptrdiff_t n)
{
    (void)hw; (void)mode; (void)x; (void)yv; (void)out; (void)n;
    return 0;
}
int vm_pow2(int hw, int mode, int single, const void *x, int xstep, const void *y, void *out,
            ptrdiff_t n)
{
    (void)hw; (void)mode; (void)single; (void)x; (void)xstep; (void)y; (void)out; (void)n;
    return 0;
}
int vm_atan2f(int hw, int mode, const float *y, const float *x, float xv, float *out,
              ptrdiff_t n)
{
    (void)hw; (void)mode; (void)y; (void)x; (void)xv; (void)out; (void)n;
    return 0;
}
int vm_atan2d(int hw, int mode, const double *y, const double *x, double xv, double *out,
              ptrdiff_t n)
{
    (void)hw; (void)mode; (void)y; (void)x; (void)xv; (void)out; (void)n;
    return 0;
}
#endif
