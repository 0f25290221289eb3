/* _nnk_pool.c, part of torch7py.nn._nnk (see _nnk.c): the poolings and samplings: max pooling
   (any window, 2x2 stride 2, volumetric) and its gradient (2x2 float planes on AVX2 too),
   volumetric average pooling, the fractional poolings' gathered max, FeatureLPPooling's
   forward, nearest upsampling's gradient. */
#include "_nnk.h"
#include "_vmaxpool_window.h"
#if defined(__AVX2__)
#include <immintrin.h>
#endif

/* ---- max pooling (SpatialDilatedMaxPooling_updateOutput_frame) -------------------------- */

/* m ? a : b for an all-ones or all-zeros mask m, on the bits (GCC turns a float ?: into a
   branch, which random data mispredicts half the time) */
static inline double
SEL_double(idx_t m, double a, double b)
{
    unsigned long long ua, ub;
    memcpy(&ua, &a, 8);
    memcpy(&ub, &b, 8);
    ua = (ua & (unsigned long long)m) | (ub & ~(unsigned long long)m);
    memcpy(&a, &ua, 8);
    return a;
}

static inline float
SEL_float(idx_t m, float a, float b)
{
    unsigned int ua, ub;
    memcpy(&ua, &a, 4);
    memcpy(&ub, &b, 4);
    ua = (ua & (unsigned int)m) | (ub & ~(unsigned int)m);
    memcpy(&a, &ua, 4);
    return a;
}

/* THNN scans each window row by row and keeps the first maximum; here the windows of one
   output row advance together, one kernel offset at a time (the same order within each
   window), so that the outputs' comparisons are independent work for the CPU. */
#define MAXPOOL(NAME, T)                                                                     \
    static void NAME(const T *x, T *y, long long *ind, idx_t planes, idx_t iH, idx_t iW,    \
                     idx_t oH, idx_t oW, idx_t kH, idx_t kW, idx_t dH, idx_t dW, idx_t padH, \
                     idx_t padW, idx_t dilH, idx_t dilW)                                     \
    {                                                                                        \
        for (idx_t k = 0; k < planes; k++) {                                                 \
            const T *ip = x + k * iH * iW;                                                   \
            for (idx_t i = 0; i < oH; i++) {                                                 \
                T *op = y + (k * oH + i) * oW;                                               \
                long long *indp = ind + (k * oH + i) * oW;                                   \
                for (idx_t j = 0; j < oW; j++) {                                             \
                    op[j] = -THINF(T);                                                       \
                    indp[j] = 0; /* THNN's maxindex -1, plus 1 */                            \
                }                                                                            \
                for (idx_t a = 0; a < kH; a++) {                                             \
                    idx_t yy = i * dH - padH + a * dilH;                                     \
                    if (yy < 0 || yy >= iH) continue;                                        \
                    const T *row = ip + yy * iW;                                             \
                    for (idx_t c = 0; c < kW; c++) {                                         \
                        idx_t x0 = c * dilW - padW; /* column of window j: x0 + j*dW */      \
                        idx_t jlo = x0 < 0 ? (-x0 + dW - 1) / dW : 0;                        \
                        idx_t jhi = x0 < iW ? (iW - 1 - x0) / dW + 1 : 0;                    \
                        if (jhi > oW) jhi = oW;                                              \
                        for (idx_t j = jlo; j < jhi; j++) {                                  \
                            idx_t xx = x0 + j * dW;                                          \
                            T v = row[xx], mx = op[j];                                       \
                            /* `val > maxval` only: a NaN is never the max (THNN 8726825) */ \
                            idx_t m = -(idx_t)(v > mx);                                      \
                            op[j] = SEL_##T(m, v, mx);                                       \
                            indp[j] = (m & (yy * iW + xx + 1)) | (~m & indp[j]);             \
                        }                                                                    \
                    }                                                                        \
                }                                                                            \
            }                                                                                \
        }                                                                                    \
    }
MAXPOOL(maxpool_d, double)
MAXPOOL(maxpool_f, float)

/* updateGradInput_frame: gradInput zeroed, then each output's gradient added at its max */
#define MAXPOOL_BACK(NAME, T)                                                                \
    static void NAME(T *gi, const T *go, const long long *ind, idx_t planes, idx_t isz,     \
                     idx_t osz)                                                              \
    {                                                                                        \
        memset(gi, 0, sizeof(T) * planes * isz);                                             \
        for (idx_t k = 0; k < planes; k++) {                                                 \
            T *g = gi + k * isz;                                                             \
            const T *o = go + k * osz;                                                       \
            const long long *p = ind + k * osz;                                              \
            for (idx_t i = 0; i < osz; i++) {                                                \
                long long m = p[i] - 1;                                                      \
                if (m >= 0 && m < isz)                                                       \
                    g[m] += o[i];                                                            \
            }                                                                                \
        }                                                                                    \
    }
MAXPOOL_BACK(maxpool_back_d, double)
MAXPOOL_BACK(maxpool_back_f, float)

PyObject *
py_maxpool(PyObject *self, PyObject *args)
{
    PyObject *ox, *oy, *oi;
    idx_t planes, iH, iW, oH, oW, kH, kW, dH, dW, padH, padW, dilH, dilW;
    int single;
    if (!PyArg_ParseTuple(args, "OOOnnnnnnnnnnnnnp", &ox, &oy, &oi, &planes, &iH, &iW, &oH, &oW,
                          &kH, &kW, &dH, &dW, &padH, &padW, &dilH, &dilW, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, SZ(single) * planes * iH * iW, 0);
    void *y = x ? get(&bs, oy, SZ(single) * planes * oH * oW, 1) : NULL;
    void *ind = y ? get(&bs, oi, 8 * planes * oH * oW, 1) : NULL;
    if (!ind) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single)
        maxpool_f(x, y, ind, planes, iH, iW, oH, oW, kH, kW, dH, dW, padH, padW, dilH, dilW);
    else
        maxpool_d(x, y, ind, planes, iH, iW, oH, oW, kH, kW, dH, dW, padH, padW, dilH, dilW);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

PyObject *
py_maxpool_back(PyObject *self, PyObject *args)
{
    PyObject *ogi, *ogo, *oi;
    idx_t planes, isz, osz;
    int single;
    if (!PyArg_ParseTuple(args, "OOOnnnp", &ogi, &ogo, &oi, &planes, &isz, &osz, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *gi = get(&bs, ogi, SZ(single) * planes * isz, 1);
    void *go = gi ? get(&bs, ogo, SZ(single) * planes * osz, 0) : NULL;
    void *ind = go ? get(&bs, oi, 8 * planes * osz, 0) : NULL;
    if (!ind) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) maxpool_back_f(gi, go, ind, planes, isz, osz);
    else maxpool_back_d(gi, go, ind, planes, isz, osz);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* max pooling of 2x2 windows, stride 2, no padding or dilation (the common layer): the generic
   kernel's scan (row 0 then row 1 of each window, left to right, `val > maxval` from -THInf,
   the first maximum kept), with each window's four values at hand */
#define MAXPOOL22(NAME, T)                                                                   \
    static void NAME(const T *x, T *y, long long *ind, idx_t planes, idx_t iH, idx_t iW,    \
                     idx_t oH, idx_t oW)                                                     \
    {                                                                                        \
        for (idx_t k = 0; k < planes; k++)                                                   \
            for (idx_t i = 0; i < oH; i++) {                                                 \
                const T *r0 = x + (k * iH + 2 * i) * iW, *r1 = r0 + iW;                      \
                T *op = y + (k * oH + i) * oW;                                               \
                long long *ip = ind + (k * oH + i) * oW;                                     \
                long long base = 2 * i * iW + 1;                                             \
                for (idx_t j = 0; j < oW; j++) {                                             \
                    T v0 = r0[2 * j], v1 = r0[2 * j + 1], v2 = r1[2 * j], v3 = r1[2 * j + 1];\
                    T mx = -THINF(T);                                                        \
                    long long at = 0, p = base + 2 * j;                                      \
                    idx_t m;                                                                 \
                    m = -(idx_t)(v0 > mx); mx = SEL_##T(m, v0, mx); at = (m & p) | (~m & at);\
                    m = -(idx_t)(v1 > mx); mx = SEL_##T(m, v1, mx);                          \
                    at = (m & (p + 1)) | (~m & at);                                          \
                    m = -(idx_t)(v2 > mx); mx = SEL_##T(m, v2, mx);                          \
                    at = (m & (p + iW)) | (~m & at);                                         \
                    m = -(idx_t)(v3 > mx); mx = SEL_##T(m, v3, mx);                          \
                    at = (m & (p + iW + 1)) | (~m & at);                                     \
                    op[j] = mx;                                                              \
                    ip[j] = at;                                                              \
                }                                                                            \
            }                                                                                \
    }
MAXPOOL22(maxpool22_d, double)
MAXPOOL22(maxpool22_f, float)

PyObject *
py_maxpool22(PyObject *self, PyObject *args)
{
    PyObject *ox, *oy, *oi;
    idx_t planes, iH, iW, oH, oW;
    int single;
    if (!PyArg_ParseTuple(args, "OOOnnnnnp", &ox, &oy, &oi, &planes, &iH, &iW, &oH, &oW,
                          &single))
        return NULL;
    if (2 * oH > iH || 2 * oW > iW) {
        PyErr_SetString(PyExc_ValueError, "_nnk.maxpool22: windows outside the input");
        return NULL;
    }
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, SZ(single) * planes * iH * iW, 0);
    void *y = x ? get(&bs, oy, SZ(single) * planes * oH * oW, 1) : NULL;
    void *ind = y ? get(&bs, oi, 8 * planes * oH * oW, 1) : NULL;
    if (!ind) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) maxpool22_f(x, y, ind, planes, iH, iW, oH, oW);
    else maxpool22_d(x, y, ind, planes, iH, iW, oH, oW);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- VolumetricDilatedMaxPooling_updateOutput_frame ------------------------------------- */

/* THNN's loop as it is: a window's start moves forward by whole dilations while negative and
   its kernel shrinks by the padding; steps past the input are skipped; `val > maxval` from
   -THInf keeps the first maximum and never a NaN; the index long holds the kernel offsets
   (z, y, x) of the maximum in its first three bytes (-1 is 255), the rest zero */
#define VMAXPOOL(NAME, T)                                                                    \
    static void NAME(const T *x, T *y, long long *ind, idx_t planes, const idx_t *S,        \
                     const idx_t *O, const idx_t *K, const idx_t *D, const idx_t *P,         \
                     const idx_t *L)                                                         \
    {                                                                                        \
        idx_t iT = S[0], iH = S[1], iW = S[2], oT = O[0], oH = O[1], oW = O[2];              \
        for (idx_t k = 0; k < planes; k++) {                                                 \
            const T *ip0 = x + k * iT * iH * iW;                                             \
            for (idx_t ti = 0; ti < oT; ti++)                                                \
            for (idx_t i = 0; i < oH; i++)                                                   \
            for (idx_t j = 0; j < oW; j++) {                                                 \
                T maxval;                                                                    \
                int mz, my, mx;                                                              \
                VMAXPOOL_WINDOW(T, THINF(T), ip0, iT, iH, iW, ti, i, j, K, D, P, L,          \
                                maxval, mz, my, mx);                                         \
                idx_t o = ((k * oT + ti) * oH + i) * oW + j;                                 \
                y[o] = maxval;                                                               \
                ind[o] = (long long)((unsigned)(mz & 255) | (unsigned)(my & 255) << 8        \
                                     | (unsigned)(mx & 255) << 16);                          \
            }                                                                                \
        }                                                                                    \
    }
VMAXPOOL(vmaxpool_d, double)
VMAXPOOL(vmaxpool_f, float)

PyObject *
py_vmaxpool(PyObject *self, PyObject *args)
{
    PyObject *ox, *oy, *oi;
    idx_t planes, S[3], O[3], K[3], D[3], P[3], L[3];
    int single;
    if (!PyArg_ParseTuple(args, "OOOn(nnn)(nnn)(nnn)(nnn)(nnn)(nnn)p", &ox, &oy, &oi, &planes,
                          &S[0], &S[1], &S[2], &O[0], &O[1], &O[2], &K[0], &K[1], &K[2],
                          &D[0], &D[1], &D[2], &P[0], &P[1], &P[2], &L[0], &L[1], &L[2],
                          &single))
        return NULL;
    idx_t isz = S[0] * S[1] * S[2], osz = O[0] * O[1] * O[2];
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, SZ(single) * planes * isz, 0);
    void *y = x ? get(&bs, oy, SZ(single) * planes * osz, 1) : NULL;
    void *ind = y ? get(&bs, oi, 8 * planes * osz, 1) : NULL;
    if (!ind) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) vmaxpool_f(x, y, ind, planes, S, O, K, D, P, L);
    else vmaxpool_d(x, y, ind, planes, S, O, K, D, P, L);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- FeatureLPPooling_updateOutput: per (batch, position, output feature), accreal v = 0,
   v += pow(x, power) over the window's features in order (a window cut by the end stops
   there), then pow(v, 1 / power) in double, stored in real; x as (B, F, R) ------------------ */
#define FLP(NAME, T)                                                                         \
    static void NAME(const T *x, T *y, idx_t B, idx_t F, idx_t R, idx_t oF, idx_t width,     \
                     idx_t stride, double power, double *xp)                                 \
    {                                                                                        \
        double inv = (double)1 / power;                                                      \
        for (idx_t b = 0; b < B; b++)                                                        \
            for (idx_t r = 0; r < R; r++) {                                                  \
                /* pow(x, power) once per element: the windows overlap, pow is a function */ \
                for (idx_t f = 0; f < F; f++) xp[f] = pow(x[(b * F + f) * R + r], power);    \
                for (idx_t o = 0; o < oF; o++) {                                             \
                    double v = 0;                                                            \
                    for (idx_t i = 0; i < width; i++) {                                      \
                        idx_t f = o * stride + i;                                            \
                        if (f >= F) break;                                                   \
                        v += xp[f];                                                          \
                    }                                                                        \
                    y[(b * oF + o) * R + r] = (T)pow(v, inv);                                \
                }                                                                            \
            }                                                                                \
    }
FLP(flp_d, double)
FLP(flp_f, float)

PyObject *
py_flp(PyObject *self, PyObject *args)
{
    PyObject *ox, *oy;
    idx_t B, F, R, oF, width, stride;
    double power;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnnnnndp", &ox, &oy, &B, &F, &R, &oF, &width, &stride,
                          &power, &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * B * F * R, 0);
    void *y = x ? get(&bs, oy, z * B * oF * R, 1) : NULL;
    if (!y) { release(&bs); return NULL; }
    double *xp = malloc(sizeof(double) * (F > 0 ? F : 1));
    if (!xp) { release(&bs); return PyErr_NoMemory(); }
    Py_BEGIN_ALLOW_THREADS
    if (single) flp_f(x, y, B, F, R, oF, width, stride, power, xp);
    else flp_d(x, y, B, F, R, oF, width, stride, power, xp);
    Py_END_ALLOW_THREADS
    free(xp);
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- VolumetricAveragePooling_updateOutput_frame: real sum = 0 over the window's elements
   inside the input (t, h, w order), then 0 + sum / divide_factor (the pooled size, padding
   counted or not) ------------------------------------------------------------------------ */
#define VAVGPOOL(NAME, T)                                                                    \
    static void NAME(const T *x, T *y, idx_t planes, const idx_t *S, const idx_t *O,        \
                     const idx_t *K, const idx_t *D, const idx_t *P, int include_pad)        \
    {                                                                                        \
        for (idx_t k = 0; k < planes; k++) {                                                 \
            const T *ip = x + k * S[0] * S[1] * S[2];                                        \
            T *op = y + k * O[0] * O[1] * O[2];                                              \
            for (idx_t ti = 0; ti < O[0]; ti++)                                              \
            for (idx_t i = 0; i < O[1]; i++)                                                 \
            for (idx_t j = 0; j < O[2]; j++) {                                               \
                idx_t ts = ti * D[0] - P[0], hs = i * D[1] - P[1], ws = j * D[2] - P[2];     \
                idx_t te = ts + K[0] < S[0] + P[0] ? ts + K[0] : S[0] + P[0];                \
                idx_t he = hs + K[1] < S[1] + P[1] ? hs + K[1] : S[1] + P[1];                \
                idx_t we = ws + K[2] < S[2] + P[2] ? ws + K[2] : S[2] + P[2];                \
                idx_t pool = (te - ts) * (he - hs) * (we - ws);                              \
                if (ts < 0) ts = 0;                                                          \
                if (hs < 0) hs = 0;                                                          \
                if (ws < 0) ws = 0;                                                          \
                if (te > S[0]) te = S[0];                                                    \
                if (he > S[1]) he = S[1];                                                    \
                if (we > S[2]) we = S[2];                                                    \
                int div = (int)(include_pad ? pool : (te - ts) * (he - hs) * (we - ws));     \
                T sum = 0;                                                                   \
                for (idx_t z = ts; z < te; z++)                                              \
                    for (idx_t a = hs; a < he; a++)                                          \
                        for (idx_t b = ws; b < we; b++)                                      \
                            sum += ip[(z * S[1] + a) * S[2] + b];                            \
                T zero = 0;                                                                  \
                *op++ = zero + sum / (T)div;                                                 \
            }                                                                                \
        }                                                                                    \
    }
VAVGPOOL(vavgpool_d, double)
VAVGPOOL(vavgpool_f, float)

/* the arguments of _nnk.vavgpool and _nnk.vavgpool_back: (the input-sized buffer, the
   output-sized one, planes, S, O, K, D, P, include_pad, single); the input-sized one is the
   one written where in_written (the backward's gradInput), the other one otherwise */
typedef struct {
    idx_t planes, S[3], O[3], K[3], D[3], P[3];
    int include_pad, single;
    void *in, *out;
} vavg_args;

static int
vavg_parse(PyObject *args, bufs *bs, vavg_args *a, int in_written)
{
    PyObject *oin, *oout;
    if (!PyArg_ParseTuple(args, "OOn(nnn)(nnn)(nnn)(nnn)(nnn)pp", &oin, &oout, &a->planes,
                          &a->S[0], &a->S[1], &a->S[2], &a->O[0], &a->O[1], &a->O[2],
                          &a->K[0], &a->K[1], &a->K[2], &a->D[0], &a->D[1], &a->D[2],
                          &a->P[0], &a->P[1], &a->P[2], &a->include_pad, &a->single))
        return 0;
    idx_t z = SZ(a->single);
    a->in = get(bs, oin, z * a->planes * a->S[0] * a->S[1] * a->S[2], in_written);
    a->out = a->in ? get(bs, oout, z * a->planes * a->O[0] * a->O[1] * a->O[2], !in_written)
                   : NULL;
    if (!a->out) { release(bs); return 0; }
    return 1;
}

PyObject *
py_vavgpool(PyObject *self, PyObject *args)
{
    bufs bs = {.n = 0};
    vavg_args a;
    if (!vavg_parse(args, &bs, &a, 0))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    if (a.single) vavgpool_f(a.in, a.out, a.planes, a.S, a.O, a.K, a.D, a.P, a.include_pad);
    else vavgpool_d(a.in, a.out, a.planes, a.S, a.O, a.K, a.D, a.P, a.include_pad);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- a max over gathered windows (the fractional max poolings): row m's K elements are
   x[whole[m, j]] in window order; THNN's scan from -THInf keeps the first greater value
   (NaN never wins); vals[m] the max, idx[m] = flat[m, j] + 1 of its element. Returns 0, or
   -1 when a window holds no value above -THInf (THNN asserts) ----------------------------- */
#define GATHERMAX(NAME, T)                                                                   \
    static int NAME(const T *x, const long long *whole, const long long *flat, T *vals,      \
                    long long *idx, idx_t M, idx_t K)                                        \
    {                                                                                        \
        for (idx_t m = 0; m < M; m++) {                                                      \
            const long long *w = whole + m * K;                                              \
            T best = -THINF(T);                                                              \
            idx_t at = -1;                                                                   \
            for (idx_t j = 0; j < K; j++) {                                                  \
                T v = x[w[j]];                                                               \
                if (v > best) { best = v; at = j; }                                          \
            }                                                                                \
            if (at < 0) return -1;                                                           \
            vals[m] = best;                                                                  \
            idx[m] = flat[m * K + at] + 1;                                                   \
        }                                                                                    \
        return 0;                                                                            \
    }
GATHERMAX(gathermax_d, double)
GATHERMAX(gathermax_f, float)

PyObject *
py_gathermax(PyObject *self, PyObject *args)
{
    PyObject *ox, *ow, *of, *ov, *oi;
    idx_t nx, M, K;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOnnnp", &ox, &ow, &of, &ov, &oi, &nx, &M, &K, &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * nx, 0);
    long long *w = x ? get(&bs, ow, 8 * M * K, 0) : NULL;
    long long *f = w ? get(&bs, of, 8 * M * K, 0) : NULL;
    void *v = f ? get(&bs, ov, z * M, 1) : NULL;
    long long *ix = v ? get(&bs, oi, 8 * M, 1) : NULL;
    if (!ix) { release(&bs); return NULL; }
    for (idx_t i = 0; i < M * K; i++)
        if (w[i] < 0 || w[i] >= nx) {
            release(&bs);
            PyErr_SetString(PyExc_IndexError, "_nnk.gathermax: index out of range");
            return NULL;
        }
    int r = single ? gathermax_f(x, w, f, v, ix, M, K) : gathermax_d(x, w, f, v, ix, M, K);
    release(&bs);
    return PyLong_FromLong(r);
}

/* ---- FeatureLPPooling_updateGradInput from the terms that do not involve gradOutput (kept by
   the caller: whether each output is nonzero, pow(x / y, power - 1) of each window term in
   double): gi zeroed, then for each nonzero output each window term adds
   real v = go * term into gi, in real. An element's terms come from the output features in
   increasing order, as in THNN's loop (batch, position, output feature, window offset); the
   positions are independent, so they run innermost here. g, go: (B, F, R), (B, oF, R) real;
   keep (B, oF, R) bytes; pw (B, oF, width, R) double ---------------------------------------- */
#define FLPB(NAME, T)                                                                        \
    static void NAME(T *g, const T *go, const unsigned char *keep, const double *pw,         \
                     idx_t B, idx_t F, idx_t R, idx_t oF, idx_t width, idx_t stride)         \
    {                                                                                        \
        memset(g, 0, sizeof(T) * (size_t)(B * F * R));                                       \
        for (idx_t b = 0; b < B; b++)                                                        \
            for (idx_t o = 0; o < oF; o++) {                                                 \
                const T *gor = go + (b * oF + o) * R;                                        \
                const unsigned char *kr = keep + (b * oF + o) * R;                           \
                for (idx_t i = 0; i < width; i++) {                                          \
                    T *gr = g + (b * F + o * stride + i) * R;                                \
                    const double *pr = pw + ((b * oF + o) * width + i) * R;                  \
                    for (idx_t r = 0; r < R; r++)                                            \
                        if (kr[r]) gr[r] += (T)((double)gor[r] * pr[r]);                     \
                }                                                                            \
            }                                                                                \
    }
FLPB(flpb_d, double)
FLPB(flpb_f, float)

PyObject *
py_flp_back(PyObject *self, PyObject *args)
{
    PyObject *og, *ogo, *ok, *opw;
    idx_t B, F, R, oF, width, stride;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOnnnnnnp", &og, &ogo, &ok, &opw, &B, &F, &R, &oF, &width,
                          &stride, &single))
        return NULL;
    if (B < 0 || F < 0 || R < 0 || oF < 0 || width < 1 || stride < 1
            || (oF > 0 && (oF - 1) * stride + width > F)) {
        PyErr_SetString(PyExc_ValueError, "_nnk.flp_back: bad geometry");
        return NULL;
    }
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *g = get(&bs, og, z * B * F * R, 1);
    void *go = g ? get(&bs, ogo, z * B * oF * R, 0) : NULL;
    unsigned char *k = go ? get(&bs, ok, B * oF * R, 0) : NULL;
    double *pw = k ? get(&bs, opw, sizeof(double) * B * oF * width * R, 0) : NULL;
    if (!pw) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) flpb_f(g, go, k, pw, B, F, R, oF, width, stride);
    else flpb_d(g, go, k, pw, B, F, R, oF, width, stride);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- Spatial/VolumetricUpSamplingNearest_updateGradInput: each input element's gradient is
   zero plus its block's terms, the offset along the last axis in the outermost loop and
   along the first in the innermost (THNN's y < dH over the width, x < dW over the height);
   2-d as 3-d with T = sT = 1; go (P, T*sT, H*sH, W*sW) -> gi (P, T, H, W) -------------- */
#define UPNEAR(NAME, T_)                                                                     \
    static void NAME(const T_ *go, T_ *gi, idx_t P, idx_t T, idx_t H, idx_t W, idx_t sT,     \
                     idx_t sH, idx_t sW)                                                     \
    {                                                                                        \
        idx_t oT = T * sT, oH = H * sH, oW = W * sW;                                         \
        for (idx_t p = 0; p < P; p++) {                                                      \
            const T_ *g = go + p * oT * oH * oW;                                             \
            for (idx_t t = 0; t < T; t++)                                                    \
            for (idx_t h = 0; h < H; h++)                                                    \
            for (idx_t w = 0; w < W; w++) {                                                  \
                T_ acc = 0;                                                                  \
                for (idx_t c = 0; c < sW; c++)                                               \
                    for (idx_t b = 0; b < sH; b++)                                           \
                        for (idx_t a = 0; a < sT; a++)                                       \
                            acc += g[((t * sT + a) * oH + h * sH + b) * oW + w * sW + c];    \
                *gi++ = acc;                                                                 \
            }                                                                                \
        }                                                                                    \
    }
UPNEAR(upnear_back_d, double)
UPNEAR(upnear_back_f, float)

PyObject *
py_upnear_back(PyObject *self, PyObject *args)
{
    PyObject *ogo, *ogi;
    idx_t P, T, H, W, sT, sH, sW;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnnnnnnp", &ogo, &ogi, &P, &T, &H, &W, &sT, &sH, &sW,
                          &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, z * P * T * sT * H * sH * W * sW, 0);
    void *gi = go ? get(&bs, ogi, z * P * T * H * W, 1) : NULL;
    if (!gi) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) upnear_back_f(go, gi, P, T, H, W, sT, sH, sW);
    else upnear_back_d(go, gi, P, T, H, W, sT, sH, sW);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- Spatial/VolumetricUpSamplingBilinear/Trilinear_updateGradInput (nn.UpSampling's linear
   modes, SpatialUpSamplingBilinear): gi (P*vol) = 0, then for each plane, output position and
   corner in THNN's order, gi[idx] += w * g with w the corner's product of lambdas (real) and
   g the output's gradient. idx (P*nout*C, int64) holds each term's flat position in gi, w
   (nout*C) its weight. A term with g == +-0 is left out: the sums start at +0 and never hold
   -0 (x + y == 0 rounds to +0), so adding w * g = +-0 changes no bit (a Jacobian check's
   one-hot rows skip the rest) ---------------------------------------------------------- */
#define UPLIN(NAME, T_)                                                                      \
    static int NAME(const T_ *go, T_ *gi, const long long *idx, const T_ *w, idx_t P,        \
                    idx_t nout, idx_t C, idx_t vol)                                          \
    {                                                                                        \
        memset(gi, 0, sizeof(T_) * (size_t)(P * vol));                                       \
        for (idx_t p = 0; p < P; p++)                                                        \
            for (idx_t o = 0; o < nout; o++) {                                               \
                T_ g = go[p * nout + o];                                                     \
                if (g == 0) continue;                                                        \
                const long long *ix = idx + (p * nout + o) * C;                              \
                const T_ *wo = w + o * C;                                                    \
                for (idx_t c = 0; c < C; c++) {                                              \
                    if (ix[c] < 0 || ix[c] >= P * vol) return -1;                            \
                    T_ v = wo[c] * g;                                                        \
                    gi[ix[c]] += v;                                                          \
                }                                                                            \
            }                                                                                \
        return 0;                                                                            \
    }
UPLIN(uplin_back_d, double)
UPLIN(uplin_back_f, float)

PyObject *
py_uplin_back(PyObject *self, PyObject *args)
{
    PyObject *ogo, *ogi, *oidx, *ow;
    idx_t P, nout, C, vol;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOnnnnp", &ogo, &ogi, &oidx, &ow, &P, &nout, &C, &vol,
                          &single))
        return NULL;
    if (P < 0 || nout < 0 || C < 1 || vol < 0) {
        PyErr_SetString(PyExc_ValueError, "_nnk.uplin_back: bad sizes");
        return NULL;
    }
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, z * P * nout, 0);
    void *gi = go ? get(&bs, ogi, z * P * vol, 1) : NULL;
    const long long *idx = gi ? get(&bs, oidx, (idx_t)sizeof(long long) * P * nout * C, 0)
                              : NULL;
    void *w = idx ? get(&bs, ow, z * nout * C, 0) : NULL;
    if (!w) { release(&bs); return NULL; }
    int bad;
    Py_BEGIN_ALLOW_THREADS
    /* each position is checked where it is used (a one-hot row uses C of them) */
    bad = single ? uplin_back_f(go, gi, idx, w, P, nout, C, vol)
                 : uplin_back_d(go, gi, idx, w, P, nout, C, vol);
    Py_END_ALLOW_THREADS
    release(&bs);
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "_nnk.uplin_back: index out of range");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* maxpool22 on float planes with AVX2: 8 windows of an output row at a time, the same scan
   (row 0 then row 1, left to right, `val > maxval` as an ordered compare, so a NaN is never
   the max, from -THInf, the first maximum kept), the indices made in 32-bit lanes and widened
   (a plane under 2^31 elements); rows of 8 windows or more (the last block overlapping the one
   before), else maxpool22_f. GCC's vectorisation of maxpool22_f mixes 32-bit values with
   64-bit indices: this ran LeNet's first pooling (14 windows a row) in 0.05 instead of
   0.18 ms. */
#if defined(__AVX2__)
static void
maxpool22_v_f(const float *x, float *y, long long *ind, idx_t planes, idx_t iH, idx_t iW,
              idx_t oH, idx_t oW)
{
    const __m256i two_lanes = _mm256_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14);
    const __m256 lowest = _mm256_set1_ps(-FLT_MAX);
    for (idx_t k = 0; k < planes; k++)
        for (idx_t i = 0; i < oH; i++) {
            const float *r0 = x + (k * iH + 2 * i) * iW, *r1 = r0 + iW;
            float *op = y + (k * oH + i) * oW;
            long long *ip = ind + (k * oH + i) * oW;
            int base = (int)(2 * i * iW + 1);
            for (idx_t jb = 0; jb < oW; jb += 8) {
                /* the row's last block overlaps the one before (the same windows again) */
                idx_t j = jb + 8 <= oW ? jb : oW - 8;
                __m256 a = _mm256_loadu_ps(r0 + 2 * j), b = _mm256_loadu_ps(r0 + 2 * j + 8);
                __m256 c = _mm256_loadu_ps(r1 + 2 * j), d = _mm256_loadu_ps(r1 + 2 * j + 8);
                /* even and odd columns of each row, in window order */
                __m256 v0 = _mm256_castpd_ps(_mm256_permute4x64_pd(
                    _mm256_castps_pd(_mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0))), 0xD8));
                __m256 v1 = _mm256_castpd_ps(_mm256_permute4x64_pd(
                    _mm256_castps_pd(_mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1))), 0xD8));
                __m256 v2 = _mm256_castpd_ps(_mm256_permute4x64_pd(
                    _mm256_castps_pd(_mm256_shuffle_ps(c, d, _MM_SHUFFLE(2, 0, 2, 0))), 0xD8));
                __m256 v3 = _mm256_castpd_ps(_mm256_permute4x64_pd(
                    _mm256_castps_pd(_mm256_shuffle_ps(c, d, _MM_SHUFFLE(3, 1, 3, 1))), 0xD8));
                __m256i p = _mm256_add_epi32(_mm256_set1_epi32(base + (int)(2 * j)), two_lanes);
                __m256 mx = lowest;
                __m256i at = _mm256_setzero_si256();
                __m256 m;
                m = _mm256_cmp_ps(v0, mx, _CMP_GT_OQ);
                mx = _mm256_blendv_ps(mx, v0, m);
                at = _mm256_blendv_epi8(at, p, _mm256_castps_si256(m));
                m = _mm256_cmp_ps(v1, mx, _CMP_GT_OQ);
                mx = _mm256_blendv_ps(mx, v1, m);
                at = _mm256_blendv_epi8(at, _mm256_add_epi32(p, _mm256_set1_epi32(1)),
                                        _mm256_castps_si256(m));
                m = _mm256_cmp_ps(v2, mx, _CMP_GT_OQ);
                mx = _mm256_blendv_ps(mx, v2, m);
                at = _mm256_blendv_epi8(at, _mm256_add_epi32(p, _mm256_set1_epi32((int)iW)),
                                        _mm256_castps_si256(m));
                m = _mm256_cmp_ps(v3, mx, _CMP_GT_OQ);
                mx = _mm256_blendv_ps(mx, v3, m);
                at = _mm256_blendv_epi8(at, _mm256_add_epi32(p, _mm256_set1_epi32((int)iW + 1)),
                                        _mm256_castps_si256(m));
                _mm256_storeu_ps(op + j, mx);
                _mm256_storeu_si256((__m256i *)(ip + j),
                                    _mm256_cvtepi32_epi64(_mm256_castsi256_si128(at)));
                _mm256_storeu_si256((__m256i *)(ip + j + 4),
                                    _mm256_cvtepi32_epi64(_mm256_extracti128_si256(at, 1)));
            }
        }
}
#endif

/* maxpool22_v(x, y, ind, planes, iH, iW, oH, oW, single): maxpool22's results (float planes on
   AVX2 through maxpool22_v_f) */
PyObject *
py_maxpool22_v(PyObject *self, PyObject *args)
{
    PyObject *ox, *oy, *oi;
    idx_t planes, iH, iW, oH, oW;
    int single;
    if (!PyArg_ParseTuple(args, "OOOnnnnnp", &ox, &oy, &oi, &planes, &iH, &iW, &oH, &oW,
                          &single))
        return NULL;
    if (2 * oH > iH || 2 * oW > iW) {
        PyErr_SetString(PyExc_ValueError, "_nnk.maxpool22_v: windows outside the input");
        return NULL;
    }
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, SZ(single) * planes * iH * iW, 0);
    void *y = x ? get(&bs, oy, SZ(single) * planes * oH * oW, 1) : NULL;
    void *ind = y ? get(&bs, oi, 8 * planes * oH * oW, 1) : NULL;
    if (!ind) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
#if defined(__AVX2__)
    if (single && oW >= 8 && iH * iW < 0x7fffffff)
        maxpool22_v_f(x, y, ind, planes, iH, iW, oH, oW);
    else
#endif
    if (single) maxpool22_f(x, y, ind, planes, iH, iW, oH, oW);
    else maxpool22_d(x, y, ind, planes, iH, iW, oH, oW);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- SpatialAveragePooling_updateGradInput_frame: gradInput zeroed, then for each output
   position (row by row) z / divide_factor (in real, the divisor an int) added into each of
   its window's elements inside the input. Each element gets its windows' shares in output
   order; so does it here, where the shares (sh, one plane) go out one kernel offset at a
   time, the last offset first: for a given element, a later window is one where the element
   sits at a smaller offset (the elements' sums are the same; the loops vectorise) ---------- */
#define AVGPOOL_BACK(NAME, T)                                                                \
    static void NAME(T *gi, const T *go, T *sh, idx_t planes, idx_t iH, idx_t iW, idx_t oH, \
                     idx_t oW, idx_t kH, idx_t kW, idx_t dH, idx_t dW, idx_t padH,           \
                     idx_t padW, int include_pad)                                            \
    {                                                                                        \
        memset(gi, 0, sizeof(T) * planes * iH * iW);                                         \
        for (idx_t k = 0; k < planes; k++) {                                                 \
            T *g = gi + k * iH * iW;                                                         \
            const T *o = go + k * oH * oW;                                                   \
            for (idx_t i = 0; i < oH; i++)                                                   \
                for (idx_t j = 0; j < oW; j++) {                                             \
                    idx_t hs = i * dH - padH, ws = j * dW - padW;                            \
                    idx_t he = hs + kH < iH + padH ? hs + kH : iH + padH;                    \
                    idx_t we = ws + kW < iW + padW ? ws + kW : iW + padW;                    \
                    idx_t pool = (he - hs) * (we - ws);                                      \
                    if (hs < 0) hs = 0;                                                      \
                    if (ws < 0) ws = 0;                                                      \
                    if (he > iH) he = iH;                                                    \
                    if (we > iW) we = iW;                                                    \
                    int div = (int)(include_pad ? pool : (he - hs) * (we - ws));             \
                    /* an empty window (he <= hs or we <= ws) reaches no element below */    \
                    sh[i * oW + j] = o[i * oW + j] / (T)div;                                 \
                }                                                                            \
            for (idx_t a = kH - 1; a >= 0; a--) {                                            \
                /* window row i covers input row i*dH - padH + a, inside for i in [ilo,ihi) */ \
                idx_t y0 = a - padH;                                                         \
                idx_t ilo = y0 < 0 ? (-y0 + dH - 1) / dH : 0;                                \
                idx_t ihi = y0 < iH ? (iH - 1 - y0) / dH + 1 : 0;                            \
                if (ihi > oH) ihi = oH;                                                      \
                for (idx_t c = kW - 1; c >= 0; c--) {                                        \
                    idx_t x0 = c - padW;                                                     \
                    idx_t jlo = x0 < 0 ? (-x0 + dW - 1) / dW : 0;                            \
                    idx_t jhi = x0 < iW ? (iW - 1 - x0) / dW + 1 : 0;                        \
                    if (jhi > oW) jhi = oW;                                                  \
                    for (idx_t i = ilo; i < ihi; i++) {                                      \
                        T *row = g + (y0 + i * dH) * iW + x0;                                \
                        const T *s = sh + i * oW;                                            \
                        if (dW == 1)                                                         \
                            for (idx_t j = jlo; j < jhi; j++) row[j] += s[j];                \
                        else                                                                 \
                            for (idx_t j = jlo; j < jhi; j++) row[j * dW] += s[j];           \
                    }                                                                        \
                }                                                                            \
            }                                                                                \
        }                                                                                    \
    }
AVGPOOL_BACK(avgpool_back_d, double)
AVGPOOL_BACK(avgpool_back_f, float)

/* avgpool_back(gi, go, planes, iH, iW, oH, oW, kH, kW, dH, dW, padH, padW, include_pad,
   single) */
PyObject *
py_avgpool_back(PyObject *self, PyObject *args)
{
    PyObject *ogi, *ogo;
    idx_t planes, iH, iW, oH, oW, kH, kW, dH, dW, padH, padW;
    int include_pad, single;
    if (!PyArg_ParseTuple(args, "OOnnnnnnnnnnnpp", &ogi, &ogo, &planes, &iH, &iW, &oH, &oW,
                          &kH, &kW, &dH, &dW, &padH, &padW, &include_pad, &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *gi = get(&bs, ogi, z * planes * iH * iW, 1);
    void *go = gi ? get(&bs, ogo, z * planes * oH * oW, 0) : NULL;
    if (!go) { release(&bs); return NULL; }
    void *sh = malloc(z * (oH * oW > 0 ? oH * oW : 1));
    if (!sh) { release(&bs); return PyErr_NoMemory(); }
    Py_BEGIN_ALLOW_THREADS
    if (single)
        avgpool_back_f(gi, go, sh, planes, iH, iW, oH, oW, kH, kW, dH, dW, padH, padW,
                       include_pad);
    else
        avgpool_back_d(gi, go, sh, planes, iH, iW, oH, oW, kH, kW, dH, dW, padH, padW,
                       include_pad);
    Py_END_ALLOW_THREADS
    free(sh);
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- the padding layers' updateGradInput_frame (Spatial/Volumetric Reflection/Replication):
   gradInput zeroed, then each output element, in order, added into the input element it
   copied: input (deps[t], rows[i], cols[j]) of plane k (a negative pad crops: its maps skip
   the rows and columns cut away) -------------------------------------------------------------------------- */
#define PAD_BACK(NAME, T)                                                                    \
    static void NAME(T *gi, const T *go, const long long *deps, const long long *rows,      \
                     const long long *cols, idx_t planes, idx_t iD, idx_t iH, idx_t iW,      \
                     idx_t oD, idx_t oH, idx_t oW)                                           \
    {                                                                                        \
        memset(gi, 0, sizeof(T) * planes * iD * iH * iW);                                    \
        for (idx_t k = 0; k < planes; k++) {                                                 \
            T *g = gi + k * iD * iH * iW;                                                    \
            const T *o = go + k * oD * oH * oW;                                              \
            for (idx_t t = 0; t < oD; t++)                                                   \
                for (idx_t i = 0; i < oH; i++)                                               \
                    for (idx_t j = 0; j < oW; j++, o++)                                      \
                        g[(deps[t] * iH + rows[i]) * iW + cols[j]] += *o;                    \
        }                                                                                    \
    }
PAD_BACK(pad_back_d, double)
PAD_BACK(pad_back_f, float)

/* pad_back(gi, go, deps, rows, cols, planes, iD, iH, iW, single): the maps' indices must lie
   inside the input (checked) */
PyObject *
py_pad_back(PyObject *self, PyObject *args)
{
    PyObject *ogi, *ogo, *od, *or_, *oc;
    idx_t planes, iD, iH, iW, oD, oH, oW;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOnnnnnnnp", &ogi, &ogo, &od, &or_, &oc, &planes, &iD,
                          &iH, &iW, &oD, &oH, &oW, &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *gi = get(&bs, ogi, z * planes * iD * iH * iW, 1);
    void *go = gi ? get(&bs, ogo, z * planes * oD * oH * oW, 0) : NULL;
    const long long *d = go ? get(&bs, od, 8 * oD, 0) : NULL;
    const long long *r = d ? get(&bs, or_, 8 * oH, 0) : NULL;
    const long long *c = r ? get(&bs, oc, 8 * oW, 0) : NULL;
    if (!c) { release(&bs); return NULL; }
    int bad = 0;
    for (idx_t t = 0; t < oD; t++) bad |= d[t] < 0 || d[t] >= iD;
    for (idx_t i = 0; i < oH; i++) bad |= r[i] < 0 || r[i] >= iH;
    for (idx_t j = 0; j < oW; j++) bad |= c[j] < 0 || c[j] >= iW;
    if (bad) {
        release(&bs);
        PyErr_SetString(PyExc_ValueError, "_nnk.pad_back: an index outside the input");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    if (single) pad_back_f(gi, go, d, r, c, planes, iD, iH, iW, oD, oH, oW);
    else pad_back_d(gi, go, d, r, c, planes, iD, iH, iW, oD, oH, oW);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- VolumetricAveragePooling_updateGradInput_frame: gradInput zeroed, then each output
   (t, h, w) in order scatters `gradInput[z, y, x] += val / divide_factor` over its window
   (inside the input, t, h, w order): an element under overlapping windows takes their
   quotients in the outputs' order ------------------------------------------------------- */
#define VAVGPOOL_BACK(NAME, T)                                                               \
    static void NAME(T *gx, const T *gy, idx_t planes, const idx_t *S, const idx_t *O,      \
                     const idx_t *K, const idx_t *D, const idx_t *P, int include_pad)        \
    {                                                                                        \
        for (idx_t k = 0; k < planes; k++) {                                                 \
            T *ip = gx + k * S[0] * S[1] * S[2];                                             \
            const T *op = gy + k * O[0] * O[1] * O[2];                                       \
            for (idx_t i = 0; i < S[0] * S[1] * S[2]; i++) ip[i] = 0;                        \
            for (idx_t ti = 0; ti < O[0]; ti++)                                              \
            for (idx_t i = 0; i < O[1]; i++)                                                 \
            for (idx_t j = 0; j < O[2]; j++) {                                               \
                idx_t ts = ti * D[0] - P[0], hs = i * D[1] - P[1], ws = j * D[2] - P[2];     \
                idx_t te = ts + K[0] < S[0] + P[0] ? ts + K[0] : S[0] + P[0];                \
                idx_t he = hs + K[1] < S[1] + P[1] ? hs + K[1] : S[1] + P[1];                \
                idx_t we = ws + K[2] < S[2] + P[2] ? ws + K[2] : S[2] + P[2];                \
                idx_t pool = (te - ts) * (he - hs) * (we - ws);                              \
                if (ts < 0) ts = 0;                                                          \
                if (hs < 0) hs = 0;                                                          \
                if (ws < 0) ws = 0;                                                          \
                if (te > S[0]) te = S[0];                                                    \
                if (he > S[1]) he = S[1];                                                    \
                if (we > S[2]) we = S[2];                                                    \
                idx_t div = include_pad ? pool : (te - ts) * (he - hs) * (we - ws);          \
                T val = *op++;                                                               \
                for (idx_t z = ts; z < te; z++)                                              \
                    for (idx_t a = hs; a < he; a++)                                          \
                        for (idx_t b = ws; b < we; b++)                                      \
                            ip[(z * S[1] + a) * S[2] + b] += val / (T)div;                   \
            }                                                                                \
        }                                                                                    \
    }
VAVGPOOL_BACK(vavgpool_back_d, double)
VAVGPOOL_BACK(vavgpool_back_f, float)

PyObject *
py_vavgpool_back(PyObject *self, PyObject *args)
{
    bufs bs = {.n = 0};
    vavg_args a;
    if (!vavg_parse(args, &bs, &a, 1))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    if (a.single)
        vavgpool_back_f(a.in, a.out, a.planes, a.S, a.O, a.K, a.D, a.P, a.include_pad);
    else
        vavgpool_back_d(a.in, a.out, a.planes, a.S, a.O, a.K, a.D, a.P, a.include_pad);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}
