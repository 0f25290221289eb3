/* torch7py/_vmath.c: float pointwise math with libm's bits, several lanes at a time (the
   internal interface for _exact.c's libm()). */
#ifndef TORCH7PY_VMATH_H
#define TORCH7PY_VMATH_H
#include <stddef.h>

/* the index of name's float kernel (exp, log, sin, cos, tanh, sigmoid, log1p, atan, asin, acos,
   cosh, sinh, tan), or -1 */
int vm_find(const char *name);
/* the name of kernel k, NULL past the last */
const char *vm_name(int k);
/* y = name(x) through kernel k of a set: hw 0 the portable one, 1 AVX2+FMA, 2 AVX-512; 0
   where the set has no such kernel. Unchecked: vm_checked says whether its bits are libm's. */
int vm_run(int k, int hw, const float *x, float *y, ptrdiff_t n);
/* 1 where kernel k of that set gave libm's bits on the check set (run once, then cached) */
int vm_checked(int k, int hw);
/* the same for doubles (tanh, exp, log, log1p, cosh, sinh, asin, acos, atan, sigmoid, tan) */
int vm_find_d(const char *name);
const char *vm_name_d(int k);
int vm_run_d(int k, int hw, const double *x, double *y, ptrdiff_t n);
int vm_checked_d(int k, int hw);
/* out = powf(x, yv) elementwise through the set's kernel (mode 1: unchecked; else only once it
   matched libm on its check set), 1; 0 (nothing written) where there is none, where it did not
   match, or where yv is 0, inf or NaN */
int vm_powf(int hw, int mode, const float *x, float yv, float *out, ptrdiff_t n);
/* the same for C's double pow (x and out double, or vm_pow32: float buffers, each element's
   double pow rounded to float); 0 also where yv is 0, inf, NaN, below 2^-65 or from 2^63 on */
int vm_pow(int hw, int mode, const double *x, double yv, double *out, ptrdiff_t n);
int vm_pow32(int hw, int mode, const float *x, double yv, float *out, ptrdiff_t n);
/* out[i] = pow(x[i], y[i]) (xstep 1) or pow(x[0], y[i]) (xstep 0), C's double pow, on double
   buffers or (single) float ones, through the set's kernel as vm_pow; out may overlap x or y */
int vm_pow2(int hw, int mode, int single, const void *x, int xstep, const void *y, void *out,
            ptrdiff_t n);
/* out = atan2f(y, x) elementwise, x a buffer or (x NULL) the number xv, through the set's
   kernel (mode 1: unchecked; else only once it matched libm on its check set), 1; 0 (nothing
   written) where there is none or where it did not match */
int vm_atan2f(int hw, int mode, const float *y, const float *x, float xv, float *out,
              ptrdiff_t n);
/* the same for doubles: out = atan2(y, x) */
int vm_atan2d(int hw, int mode, const double *y, const double *x, double xv, double *out,
              ptrdiff_t n);
/* 1 where this CPU (and its OS) runs the AVX-512 set (hw 2) */
int vm_has_wide(void);
#endif
