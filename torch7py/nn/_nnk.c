/* torch7py.nn._nnk: THNN's loops for the layers of a training step (max pooling, threshold,
   col2im, batch normalization, the convolutions' gradBias), in C, in THNN's order.

   numpy needs several passes and temporaries for what THNN does in one loop; these kernels
   do THNN's loop. Each exists for double and float (`single`); sums accumulate in accreal
   (double) where THNN does, and in real where THNN does. Built with -ffp-contract=off and
   without -ffast-math: no fused or reordered arithmetic. Buffers come C-contiguous through
   the buffer protocol; the Python callers (torch7py/nn/_ckernels.py) check shapes and types
   and keep a numpy path for when this module is not built. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>

typedef Py_ssize_t idx_t;

/* TH's THInf of a real type: its largest finite value (THGenerateDoubleType.h: DBL_MAX), which
   THNN's max searches start below */
#define THINF(T) ((T)(sizeof(T) == sizeof(float) ? FLT_MAX : DBL_MAX))

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

/* ---- Threshold.c ------------------------------------------------------------------------- */

#define THRESH(NAME, T)                                                                      \
    static void NAME(const T *x, T *out, idx_t n, T th, T val, int inplace)                  \
    {                                                                                        \
        /* every element loaded and stored: selects the compiler vectorizes, no branches */  \
        if (inplace) {                                                                       \
            for (idx_t i = 0; i < n; i++) {                                                  \
                T v = out[i];                                                                \
                out[i] = v <= th ? val : v;                                                  \
            }                                                                                \
        } else {                                                                             \
            for (idx_t i = 0; i < n; i++) {                                                  \
                T v = x[i];                                                                  \
                out[i] = v > th ? v : val;                                                   \
            }                                                                                \
        }                                                                                    \
    }                                                                                        \
    static void NAME##_grad(const T *x, const T *go, T *gi, idx_t n, T th, int inplace)      \
    {                                                                                        \
        if (inplace) {                                                                       \
            for (idx_t i = 0; i < n; i++) {                                                  \
                T g = gi[i];                                                                 \
                gi[i] = x[i] <= th ? (T)0 : g;                                               \
            }                                                                                \
        } else {                                                                             \
            for (idx_t i = 0; i < n; i++) {                                                  \
                T g = go[i];                                                                 \
                gi[i] = x[i] > th ? g : (T)0;                                                \
            }                                                                                \
        }                                                                                    \
    }
THRESH(thresh_d, double)
THRESH(thresh_f, float)

/* ---- unfolded_acc (col2im) of unfold.c: per sample, per (c, kh, kw), each output position's
   column value added into its input position, in that loop order ---------------------------- */

#define COL2IM(NAME, T)                                                                      \
    static void NAME(const T *cols, T *gi, idx_t N, idx_t C, idx_t H, idx_t W, idx_t kH,     \
                     idx_t kW, idx_t dH, idx_t dW, idx_t padH, idx_t padW, idx_t dilH,       \
                     idx_t dilW, idx_t oH, idx_t oW)                                         \
    {                                                                                        \
        memset(gi, 0, sizeof(T) * N * C * H * W);                                            \
        for (idx_t n = 0; n < N; n++)                                                        \
            for (idx_t c = 0; c < C; c++)                                                    \
                for (idx_t kh = 0; kh < kH; kh++)                                            \
                    for (idx_t kw = 0; kw < kW; kw++) {                                      \
                        const T *src = cols + (((n * C + c) * kH + kh) * kW + kw) * oH * oW; \
                        T *dst = gi + (n * C + c) * H * W;                                   \
                        for (idx_t i = 0; i < oH; i++) {                                     \
                            idx_t yy = i * dH - padH + kh * dilH;                            \
                            if (yy < 0 || yy >= H) continue;                                 \
                            T *drow = dst + yy * W;                                          \
                            const T *srow = src + i * oW;                                    \
                            idx_t x0 = kw * dilW - padW;                                     \
                            if (dW == 1) {                                                   \
                                idx_t lo = x0 < 0 ? -x0 : 0;                                 \
                                idx_t hi = W - x0 < oW ? W - x0 : oW;                        \
                                for (idx_t j = lo; j < hi; j++)                              \
                                    drow[x0 + j] += srow[j];                                 \
                            } else {                                                         \
                                for (idx_t j = 0; j < oW; j++) {                             \
                                    idx_t xx = x0 + j * dW;                                  \
                                    if (xx >= 0 && xx < W) drow[xx] += srow[j];              \
                                }                                                            \
                            }                                                                \
                        }                                                                    \
                    }                                                                        \
    }
COL2IM(col2im_d, double)
COL2IM(col2im_f, float)

/* ---- unfolded_copy (im2col) of unfold.c: per sample, per (c, kh, kw), the input values each
   output position reads, zero where it falls in the padding -------------------------------- */

#define IM2COL(NAME, T)                                                                      \
    static void NAME(const T *x, T *cols, idx_t N, idx_t C, idx_t H, idx_t W, idx_t kH,      \
                     idx_t kW, idx_t dH, idx_t dW, idx_t padH, idx_t padW, idx_t dilH,       \
                     idx_t dilW, idx_t oH, idx_t oW)                                         \
    {                                                                                        \
        for (idx_t n = 0; n < N; n++)                                                        \
            for (idx_t c = 0; c < C; c++) {                                                  \
                const T *src = x + (n * C + c) * H * W;                                      \
                for (idx_t kh = 0; kh < kH; kh++)                                            \
                    for (idx_t kw = 0; kw < kW; kw++) {                                      \
                        T *dst = cols + (((n * C + c) * kH + kh) * kW + kw) * oH * oW;       \
                        idx_t x0 = kw * dilW - padW;                                         \
                        idx_t lo = 0, hi = 0;                                                \
                        if (dW == 1) {                                                       \
                            lo = x0 < 0 ? -x0 : 0;                                           \
                            hi = W - x0 < oW ? W - x0 : oW;                                  \
                            if (lo > oW) lo = oW;                                            \
                            if (hi < lo) hi = lo;                                            \
                        }                                                                    \
                        for (idx_t i = 0; i < oH; i++) {                                     \
                            T *drow = dst + i * oW;                                          \
                            idx_t yy = i * dH - padH + kh * dilH;                            \
                            if (yy < 0 || yy >= H) {                                         \
                                memset(drow, 0, sizeof(T) * oW);                             \
                                continue;                                                    \
                            }                                                                \
                            const T *srow = src + yy * W;                                    \
                            if (dW == 1) {                                                   \
                                for (idx_t j = 0; j < lo; j++) drow[j] = 0;                  \
                                if (hi > lo)                                                 \
                                    memcpy(drow + lo, srow + x0 + lo, sizeof(T) * (hi - lo));\
                                for (idx_t j = hi; j < oW; j++) drow[j] = 0;                 \
                            } else {                                                         \
                                for (idx_t j = 0; j < oW; j++) {                             \
                                    idx_t xx = x0 + j * dW;                                  \
                                    drow[j] = (xx >= 0 && xx < W) ? srow[xx] : (T)0;         \
                                }                                                            \
                            }                                                                \
                        }                                                                    \
                    }                                                                        \
            }                                                                                \
    }
IM2COL(im2col_d, double)
IM2COL(im2col_f, float)

/* y viewed as (outer, C, inner): y[o, c, :] += b[c] (the layers' bias, added to the product
   as THNN's addmm with beta = 1 adds the product to the bias: one rounding either way) */
#define ADD_BIAS(NAME, T)                                                                    \
    static void NAME(T *y, const T *b, idx_t outer, idx_t C, idx_t inner)                    \
    {                                                                                        \
        if (inner == 1) { /* Linear's rows: one vectorizable loop over each row */           \
            for (idx_t o = 0; o < outer; o++) {                                              \
                T *p = y + o * C;                                                            \
                for (idx_t c = 0; c < C; c++) p[c] = p[c] + b[c];                            \
            }                                                                                \
            return;                                                                          \
        }                                                                                    \
        for (idx_t o = 0; o < outer; o++)                                                    \
            for (idx_t c = 0; c < C; c++) {                                                  \
                T *p = y + (o * C + c) * inner;                                              \
                T v = b[c];                                                                  \
                for (idx_t i = 0; i < inner; i++) p[i] = p[i] + v;                           \
            }                                                                                \
    }
ADD_BIAS(add_bias_d, double)
ADD_BIAS(add_bias_f, float)

/* ---- LogSoftMax.c: per (frame, position) of an (nframe, dim, stride) array: the max (THMax,
   so a NaN is passed over as THNN does), `accreal logsum += exp(x - max)` in order, logsum =
   max + log(logsum), y = x - logsum; backward: `accreal sum += go`, gi = go - exp(y)*sum ---- */

#define LOGSOFTMAX(NAME, T)                                                                  \
    static void NAME(const T *x, T *y, idx_t nframe, idx_t dim, idx_t stride)                \
    {                                                                                        \
        for (idx_t t = 0; t < stride * nframe; t++) {                                        \
            const T *in = x + (t / stride) * dim * stride + t % stride;                      \
            T *out = y + (t / stride) * dim * stride + t % stride;                           \
            T mx = -THINF(T);                                                                \
            for (idx_t d = 0; d < dim; d++)                                                  \
                mx = mx > in[d * stride] ? mx : in[d * stride];                              \
            double logsum = 0;                                                               \
            for (idx_t d = 0; d < dim; d++)                                                  \
                logsum += exp((double)(T)(in[d * stride] - mx));                             \
            logsum = mx + log(logsum);                                                       \
            for (idx_t d = 0; d < dim; d++)                                                  \
                out[d * stride] = (T)(in[d * stride] - logsum);                              \
        }                                                                                    \
    }                                                                                        \
    static void NAME##_grad(const T *y, const T *go, T *gi, idx_t nframe, idx_t dim,         \
                            idx_t stride)                                                    \
    {                                                                                        \
        for (idx_t t = 0; t < stride * nframe; t++) {                                        \
            idx_t o = (t / stride) * dim * stride + t % stride;                              \
            double sum = 0;                                                                  \
            for (idx_t d = 0; d < dim; d++)                                                  \
                sum += go[o + d * stride];                                                   \
            for (idx_t d = 0; d < dim; d++)                                                  \
                gi[o + d * stride] =                                                         \
                    (T)(go[o + d * stride] - exp((double)y[o + d * stride]) * sum);          \
        }                                                                                    \
    }
LOGSOFTMAX(logsoftmax_d, double)
LOGSOFTMAX(logsoftmax_f, float)

/* ---- BatchNormalization.c: per plane f of an (N, C, S) array, TH_TENSOR_APPLY's order over
   input:select(2, f), i.e. batch then position. ------------------------------------------------------- */

/* eight planes side by side (independent sums, each in its own order), then the rest one
   by one; G is the group's size */
#define PLANES8(...)                                                                         \
    idx_t f = 0;                                                                             \
    for (; f + 8 <= C; f += 8) {                                                             \
        enum { G = 8 };                                                                      \
        __VA_ARGS__                                                                          \
    }                                                                                        \
    for (; f < C; f++) {                                                                     \
        enum { G = 1 };                                                                      \
        __VA_ARGS__                                                                          \
    }

#define PLANES4(...)                                                                         \
    idx_t f = 0;                                                                             \
    for (; f + 4 <= C; f += 4) {                                                             \
        enum { G = 4 };                                                                      \
        __VA_ARGS__                                                                          \
    }                                                                                        \
    for (; f < C; f++) {                                                                     \
        enum { G = 1 };                                                                      \
        __VA_ARGS__                                                                          \
    }

/* accreal sum = 0; sum += x  (what == 0), or sum += (x - mean)*(x - mean) in real (1) */
#define BN_SUMS(NAME, T)                                                                     \
    static void NAME(const T *x, const T *mean, double *out, idx_t N, idx_t C, idx_t S,      \
                     int what)                                                               \
    {                                                                                        \
        PLANES8({                                                                            \
            double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                          \
            T m[8];                                                                          \
            for (int g = 0; g < G; g++) m[g] = what ? mean[f + g] : (T)0;                    \
            for (idx_t n = 0; n < N; n++) {                                                  \
                const T *xp = x + (n * C + f) * S;                                           \
                if (what) {                                                                  \
                    for (idx_t i = 0; i < S; i++)                                            \
                        for (int g = 0; g < G; g++) {                                        \
                            T d = xp[g * S + i] - m[g];                                      \
                            s[g] += (T)(d * d);                                              \
                        }                                                                    \
                } else {                                                                     \
                    for (idx_t i = 0; i < S; i++)                                            \
                        for (int g = 0; g < G; g++)                                          \
                            s[g] += xp[g * S + i];                                           \
                }                                                                            \
            }                                                                                \
            for (int g = 0; g < G; g++) out[f + g] = s[g];                                   \
        })                                                                                   \
    }
BN_SUMS(bn_sums_d, double)
BN_SUMS(bn_sums_f, float)

/* backward's sums: sum += go and dotp += (x - mean) * go (real product); two sums a plane,
   so four planes at a time fit the registers */
#define BN_GSUMS(NAME, T)                                                                    \
    static void NAME(const T *x, const T *go, const T *mean, double *sum, double *dot,       \
                     idx_t N, idx_t C, idx_t S)                                              \
    {                                                                                        \
        PLANES4({                                                                        \
            double s[8] = {0, 0, 0, 0, 0, 0, 0, 0}, d[8] = {0, 0, 0, 0, 0, 0, 0, 0};         \
            T m[8];                                                                          \
            for (int g = 0; g < G; g++) m[g] = mean[f + g];                                  \
            for (idx_t n = 0; n < N; n++) {                                                  \
                idx_t o = (n * C + f) * S;                                                   \
                for (idx_t i = 0; i < S; i++)                                                \
                    for (int g = 0; g < G; g++) {                                            \
                        T gv = go[o + g * S + i];                                            \
                        s[g] += gv;                                                          \
                        d[g] += (T)((x[o + g * S + i] - m[g]) * gv);                         \
                    }                                                                        \
            }                                                                                \
            for (int g = 0; g < G; g++) { sum[f + g] = s[g]; dot[f + g] = d[g]; }            \
        })                                                                                   \
    }
BN_GSUMS(bn_gsums_d, double)
BN_GSUMS(bn_gsums_f, float)

/* output = ((x - mean) * invstd) * w + b, in real */
#define BN_OUT(NAME, T)                                                                      \
    static void NAME(const T *x, T *y, const T *mean, const T *invstd, const T *w,           \
                     const T *b, idx_t N, idx_t C, idx_t S)                                  \
    {                                                                                        \
        for (idx_t n = 0; n < N; n++)                                                        \
            for (idx_t f = 0; f < C; f++) {                                                  \
                const T *xp = x + (n * C + f) * S;                                           \
                T *yp = y + (n * C + f) * S;                                                 \
                T m = mean[f], is = invstd[f], wf = w[f], bf = b[f];                         \
                for (idx_t i = 0; i < S; i++)                                                \
                    yp[i] = ((xp[i] - m) * is) * wf + bf;                                    \
            }                                                                                \
    }
BN_OUT(bn_out_d, double)
BN_OUT(bn_out_f, float)

/* training gradInput: gi = (real)((x - mean) * k), then (go - gradMean - gi) * invstd * w
   in double (gradMean is accreal), stored in real */
#define BN_GI(NAME, T)                                                                       \
    static void NAME(const T *x, const T *go, T *gi, const T *mean, const T *k,              \
                     const double *gmean, const T *invstd, const T *w, idx_t N, idx_t C,     \
                     idx_t S)                                                                \
    {                                                                                        \
        for (idx_t n = 0; n < N; n++)                                                        \
            for (idx_t f = 0; f < C; f++) {                                                  \
                idx_t o = (n * C + f) * S;                                                   \
                T m = mean[f], kf = k[f];                                                    \
                double gm = gmean[f], is = invstd[f], wf = w[f];                             \
                for (idx_t i = 0; i < S; i++) {                                              \
                    T c = (x[o + i] - m) * kf;                                               \
                    gi[o + i] = (T)((((double)go[o + i] - gm - (double)c) * is) * wf);       \
                }                                                                            \
            }                                                                                \
    }
BN_GI(bn_gi_d, double)
BN_GI(bn_gi_f, float)

/* SpatialConvolutionMM_accGradParameters_frame's gradBias, per sample: real sum = 0;
   sum += go over the plane; gradBias[i] += scale*sum (in real) */
#define CONV_GB(NAME, T)                                                                     \
    static void NAME(const T *go, T *gb, idx_t N, idx_t O, idx_t L, T scale)                 \
    {                                                                                        \
        for (idx_t n = 0; n < N; n++) {                                                      \
            idx_t i = 0;                                                                     \
            for (; i + 4 <= O; i += 4) {                                                     \
                T s0 = 0, s1 = 0, s2 = 0, s3 = 0;                                            \
                const T *p = go + (n * O + i) * L;                                           \
                for (idx_t k = 0; k < L; k++) {                                              \
                    s0 += p[k];                                                              \
                    s1 += p[L + k];                                                          \
                    s2 += p[2 * L + k];                                                      \
                    s3 += p[3 * L + k];                                                      \
                }                                                                            \
                gb[i] += scale * s0;                                                         \
                gb[i + 1] += scale * s1;                                                     \
                gb[i + 2] += scale * s2;                                                     \
                gb[i + 3] += scale * s3;                                                     \
            }                                                                                \
            for (; i < O; i++) {                                                             \
                T s = 0;                                                                     \
                const T *p = go + (n * O + i) * L;                                           \
                for (idx_t k = 0; k < L; k++) s += p[k];                                     \
                gb[i] += scale * s;                                                          \
            }                                                                                \
        }                                                                                    \
    }
CONV_GB(conv_gb_d, double)
CONV_GB(conv_gb_f, float)

/* ---- Python glue ------------------------------------------------------------------------- */

#include "_cbufs.h"

static void *
get(bufs *bs, PyObject *o, idx_t need, int writable)
{
    return get_buffer(bs, o, need, writable, 0, "_nnk");
}

#define SZ(single) ((single) ? sizeof(float) : sizeof(double))

static PyObject *
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

static PyObject *
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

static PyObject *
py_threshold(PyObject *self, PyObject *args)
{
    PyObject *ox, *oo;
    idx_t n;
    double th, val;
    int inplace, single;
    if (!PyArg_ParseTuple(args, "OOnddpp", &ox, &oo, &n, &th, &val, &inplace, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, SZ(single) * n, 0);
    void *o = x ? get(&bs, oo, SZ(single) * n, 1) : NULL;
    if (!o) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) thresh_f(x, o, n, (float)th, (float)val, inplace);
    else thresh_d(x, o, n, th, val, inplace);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_threshold_grad(PyObject *self, PyObject *args)
{
    PyObject *ox, *ogo, *ogi;
    idx_t n;
    double th;
    int inplace, single;
    if (!PyArg_ParseTuple(args, "OOOndpp", &ox, &ogo, &ogi, &n, &th, &inplace, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, SZ(single) * n, 0);
    void *go = x ? get(&bs, ogo, SZ(single) * n, 0) : NULL;
    void *gi = go ? get(&bs, ogi, SZ(single) * n, 1) : NULL;
    if (!gi) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) thresh_f_grad(x, go, gi, n, (float)th, inplace);
    else thresh_d_grad(x, go, gi, n, th, inplace);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_col2im(PyObject *self, PyObject *args)
{
    PyObject *oc, *og;
    idx_t N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnnnnnnnnnnnnnp", &oc, &og, &N, &C, &H, &W, &kH, &kW, &dH,
                          &dW, &padH, &padW, &dilH, &dilW, &oH, &oW, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *cols = get(&bs, oc, SZ(single) * N * C * kH * kW * oH * oW, 0);
    void *gi = cols ? get(&bs, og, SZ(single) * N * C * H * W, 1) : NULL;
    if (!gi) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) col2im_f(cols, gi, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW);
    else col2im_d(cols, gi, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_bn_sums(PyObject *self, PyObject *args)
{
    PyObject *ox, *om, *oo;
    idx_t N, C, S;
    int what, single;
    if (!PyArg_ParseTuple(args, "OOOnnnpp", &ox, &om, &oo, &N, &C, &S, &what, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, SZ(single) * N * C * S, 0);
    void *m = x ? get(&bs, om, SZ(single) * C, 0) : NULL;
    void *o = m ? get(&bs, oo, sizeof(double) * C, 1) : NULL;
    if (!o) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) bn_sums_f(x, m, o, N, C, S, what);
    else bn_sums_d(x, m, o, N, C, S, what);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_bn_gsums(PyObject *self, PyObject *args)
{
    PyObject *ox, *ogo, *om, *os, *od;
    idx_t N, C, S;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOnnnp", &ox, &ogo, &om, &os, &od, &N, &C, &S, &single))
        return NULL;
    bufs bs = {.n = 0};
    idx_t n = SZ(single) * N * C * S;
    void *x = get(&bs, ox, n, 0);
    void *go = x ? get(&bs, ogo, n, 0) : NULL;
    void *m = go ? get(&bs, om, SZ(single) * C, 0) : NULL;
    void *s = m ? get(&bs, os, sizeof(double) * C, 1) : NULL;
    void *d = s ? get(&bs, od, sizeof(double) * C, 1) : NULL;
    if (!d) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) bn_gsums_f(x, go, m, s, d, N, C, S);
    else bn_gsums_d(x, go, m, s, d, N, C, S);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_bn_out(PyObject *self, PyObject *args)
{
    PyObject *ox, *oy, *om, *oi, *ow, *ob;
    idx_t N, C, S;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOOnnnp", &ox, &oy, &om, &oi, &ow, &ob, &N, &C, &S,
                          &single))
        return NULL;
    bufs bs = {.n = 0};
    idx_t n = SZ(single) * N * C * S, c = SZ(single) * C;
    void *x = get(&bs, ox, n, 0);
    void *y = x ? get(&bs, oy, n, 1) : NULL;
    void *m = y ? get(&bs, om, c, 0) : NULL;
    void *is = m ? get(&bs, oi, c, 0) : NULL;
    void *w = is ? get(&bs, ow, c, 0) : NULL;
    void *b = w ? get(&bs, ob, c, 0) : NULL;
    if (!b) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) bn_out_f(x, y, m, is, w, b, N, C, S);
    else bn_out_d(x, y, m, is, w, b, N, C, S);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_bn_gi(PyObject *self, PyObject *args)
{
    PyObject *ox, *ogo, *ogi, *om, *ok, *ogm, *oi, *ow;
    idx_t N, C, S;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOOOOnnnp", &ox, &ogo, &ogi, &om, &ok, &ogm, &oi, &ow, &N,
                          &C, &S, &single))
        return NULL;
    bufs bs = {.n = 0};
    idx_t n = SZ(single) * N * C * S, c = SZ(single) * C;
    void *x = get(&bs, ox, n, 0);
    void *go = x ? get(&bs, ogo, n, 0) : NULL;
    void *gi = go ? get(&bs, ogi, n, 1) : NULL;
    void *m = gi ? get(&bs, om, c, 0) : NULL;
    void *k = m ? get(&bs, ok, c, 0) : NULL;
    void *gm = k ? get(&bs, ogm, sizeof(double) * C, 0) : NULL;
    void *is = gm ? get(&bs, oi, c, 0) : NULL;
    void *w = is ? get(&bs, ow, c, 0) : NULL;
    if (!w) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) bn_gi_f(x, go, gi, m, k, gm, is, w, N, C, S);
    else bn_gi_d(x, go, gi, m, k, gm, is, w, N, C, S);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_conv_gb(PyObject *self, PyObject *args)
{
    PyObject *ogo, *ogb;
    idx_t N, O, L;
    double scale;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnndp", &ogo, &ogb, &N, &O, &L, &scale, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, SZ(single) * N * O * L, 0);
    void *gb = go ? get(&bs, ogb, SZ(single) * O, 1) : NULL;
    if (!gb) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) conv_gb_f(go, gb, N, O, L, (float)scale);
    else conv_gb_d(go, gb, N, O, L, scale);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_im2col(PyObject *self, PyObject *args)
{
    PyObject *ox, *oc;
    idx_t N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnnnnnnnnnnnnnp", &ox, &oc, &N, &C, &H, &W, &kH, &kW, &dH,
                          &dW, &padH, &padW, &dilH, &dilW, &oH, &oW, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, SZ(single) * N * C * H * W, 0);
    void *cols = x ? get(&bs, oc, SZ(single) * N * C * kH * kW * oH * oW, 1) : NULL;
    if (!cols) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) im2col_f(x, cols, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW);
    else im2col_d(x, cols, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_add_bias(PyObject *self, PyObject *args)
{
    PyObject *oy, *ob;
    idx_t outer, C, inner;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnnp", &oy, &ob, &outer, &C, &inner, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *y = get(&bs, oy, SZ(single) * outer * C * inner, 1);
    void *b = y ? get(&bs, ob, SZ(single) * C, 0) : NULL;
    if (!b) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) add_bias_f(y, b, outer, C, inner);
    else add_bias_d(y, b, outer, C, inner);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_logsoftmax(PyObject *self, PyObject *args)
{
    PyObject *ox, *oy;
    idx_t nframe, dim, stride;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnnp", &ox, &oy, &nframe, &dim, &stride, &single))
        return NULL;
    bufs bs = {.n = 0};
    idx_t n = SZ(single) * nframe * dim * stride;
    void *x = get(&bs, ox, n, 0);
    void *y = x ? get(&bs, oy, n, 1) : NULL;
    if (!y) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) logsoftmax_f(x, y, nframe, dim, stride);
    else logsoftmax_d(x, y, nframe, dim, stride);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_logsoftmax_grad(PyObject *self, PyObject *args)
{
    PyObject *oy, *ogo, *ogi;
    idx_t nframe, dim, stride;
    int single;
    if (!PyArg_ParseTuple(args, "OOOnnnp", &oy, &ogo, &ogi, &nframe, &dim, &stride, &single))
        return NULL;
    bufs bs = {.n = 0};
    idx_t n = SZ(single) * nframe * dim * stride;
    void *y = get(&bs, oy, n, 0);
    void *go = y ? get(&bs, ogo, n, 0) : NULL;
    void *gi = go ? get(&bs, ogi, n, 1) : NULL;
    if (!gi) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) logsoftmax_f_grad(y, go, gi, nframe, dim, stride);
    else logsoftmax_d_grad(y, go, gi, nframe, dim, stride);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"logsoftmax", py_logsoftmax, METH_VARARGS, "THNN LogSoftMax forward"},
    {"logsoftmax_grad", py_logsoftmax_grad, METH_VARARGS, "THNN LogSoftMax gradInput"},
    {"im2col", py_im2col, METH_VARARGS, "THNN unfolded_copy over a batch"},
    {"add_bias", py_add_bias, METH_VARARGS, "y[o, c, :] += b[c]"},
    {"maxpool", py_maxpool, METH_VARARGS, "THNN SpatialDilatedMaxPooling forward"},
    {"maxpool_back", py_maxpool_back, METH_VARARGS, "max pooling gradInput from indices"},
    {"threshold", py_threshold, METH_VARARGS, "THNN Threshold forward"},
    {"threshold_grad", py_threshold_grad, METH_VARARGS, "THNN Threshold gradInput"},
    {"col2im", py_col2im, METH_VARARGS, "THNN unfolded_acc over a batch (overwrites)"},
    {"bn_sums", py_bn_sums, METH_VARARGS, "BatchNormalization's per-plane sums"},
    {"bn_gsums", py_bn_gsums, METH_VARARGS, "BatchNormalization backward's sums"},
    {"bn_out", py_bn_out, METH_VARARGS, "BatchNormalization output"},
    {"bn_gi", py_bn_gi, METH_VARARGS, "BatchNormalization training gradInput"},
    {"conv_gb", py_conv_gb, METH_VARARGS, "SpatialConvolutionMM gradBias"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_nnk", "THNN's training-step loops in C (see _ckernels.py)", -1,
    methods,
};

static int add_step_kernels(PyObject *m);

PyMODINIT_FUNC
PyInit__nnk(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m && add_step_kernels(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

/* ---- the training step's small loops (issue 16), registered by add_step_kernels ---------- */

/* Linear's batch gradBias, gb += go2^T ones (go2: n rows of m), in the orders Linear.py's
   numpy code follows (linear._bias_acc): double in OpenBLAS dgemv_n's order (the columns below
   m & -4 get, per group of four rows, (r0 + r2) + (r1 + r3) added in group order, then a pair,
   then a last row; the m & 3 last columns a sequential sum from zero, added once); float as
   numpy's add.reduce over the rows (row 0, then each next row added), added once. */
static void
linear_gb_d(const double *go, double *gb, idx_t n, idx_t m)
{
    idx_t m4 = m & -4, n4 = n & -4, j;
    for (j = 0; j < n4; j += 4) {
        const double *r0 = go + j * m, *r1 = r0 + m, *r2 = r1 + m, *r3 = r2 + m;
        for (idx_t i = 0; i < m4; i++)
            gb[i] = gb[i] + ((r0[i] + r2[i]) + (r1[i] + r3[i]));
    }
    if (n & 2) {
        const double *r0 = go + j * m, *r1 = r0 + m;
        for (idx_t i = 0; i < m4; i++)
            gb[i] = gb[i] + (r0[i] + r1[i]);
        j += 2;
    }
    if (n & 1) {
        const double *r0 = go + j * m;
        for (idx_t i = 0; i < m4; i++)
            gb[i] = gb[i] + r0[i];
    }
    for (idx_t i = m4; i < m; i++) {
        double s = 0;
        for (idx_t r = 0; r < n; r++)
            s += go[r * m + i];
        gb[i] = gb[i] + s;
    }
}

static void
linear_gb_f(const float *go, float *gb, float *tmp, idx_t n, idx_t m)
{
    memcpy(tmp, go, sizeof(float) * m);
    for (idx_t r = 1; r < n; r++) {
        const float *row = go + r * m;
        for (idx_t i = 0; i < m; i++)
            tmp[i] = tmp[i] + row[i];
    }
    for (idx_t i = 0; i < m; i++)
        gb[i] = gb[i] + tmp[i];
}

static PyObject *
py_linear_gb(PyObject *self, PyObject *args)
{
    PyObject *ogo, *ogb, *otmp;
    idx_t n, m;
    int single;
    if (!PyArg_ParseTuple(args, "OOOnnp", &ogo, &ogb, &otmp, &n, &m, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, SZ(single) * n * m, 0);
    void *gb = go ? get(&bs, ogb, SZ(single) * m, 1) : NULL;
    void *tmp = gb ? get(&bs, otmp, single ? SZ(single) * m : 0, 1) : NULL;
    if (!tmp) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) linear_gb_f(go, gb, tmp, n, m);
    else linear_gb_d(go, gb, n, m);
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

static PyObject *
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

/* The convolution of a batch one sample at a time, so that the sample's columns are used while
   they are in the cache: forward im2col, GEMM, bias; gradInput GEMM, col2im. The GEMM is the
   cblas_?gemm numpy's matmul calls for each sample of its batched product (its address set
   by set_gemm from numpy's own BLAS, 64-bit integers), with the arguments numpy passes: the
   same library doing the same call gives the same bits. */
typedef void (*gemm_d_t)(int, int, int, long long, long long, long long, double, const double *,
                         long long, const double *, long long, double, double *, long long);
typedef void (*gemm_f_t)(int, int, int, long long, long long, long long, float, const float *,
                         long long, const float *, long long, float, float *, long long);
static gemm_d_t gemm_d;
static gemm_f_t gemm_f;
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

static PyObject *
py_set_gemm(PyObject *self, PyObject *args)
{
    unsigned long long d, f;
    if (!PyArg_ParseTuple(args, "KK", &d, &f))
        return NULL;
    gemm_d = (gemm_d_t)(uintptr_t)d;
    gemm_f = (gemm_f_t)(uintptr_t)f;
    Py_RETURN_NONE;
}

#define CONV_FWD(NAME, T, IM2COL_FN, ADD_FN, GEMM)                                          \
    static void NAME(const T *x, const T *w, const T *b, T *cols, T *y, idx_t N, idx_t C,   \
                     idx_t H, idx_t W, idx_t kH, idx_t kW, idx_t dH, idx_t dW, idx_t padH,   \
                     idx_t padW, idx_t dilH, idx_t dilW, idx_t oH, idx_t oW, idx_t O)        \
    {                                                                                        \
        idx_t K = C * kH * kW, L = oH * oW;                                                  \
        for (idx_t n = 0; n < N; n++) {                                                      \
            T *cn = cols + n * K * L, *yn = y + n * O * L;                                   \
            IM2COL_FN(x + n * C * H * W, cn, 1, C, H, W, kH, kW, dH, dW, padH, padW, dilH,   \
                      dilW, oH, oW);                                                         \
            GEMM(ROW_MAJOR, NO_TRANS, NO_TRANS, O, L, K, 1, w, K, cn, L, 0, yn, L);          \
            if (b) ADD_FN(yn, b, 1, O, L);                                                   \
        }                                                                                    \
    }
CONV_FWD(conv_fwd_d, double, im2col_d, add_bias_d, gemm_d)
CONV_FWD(conv_fwd_f, float, im2col_f, add_bias_f, gemm_f)

#define CONV_GI(NAME, T, COL2IM_FN, GEMM)                                                    \
    static void NAME(const T *w, const T *go, T *gcols, T *gi, idx_t N, idx_t C, idx_t H,   \
                     idx_t W, idx_t kH, idx_t kW, idx_t dH, idx_t dW, idx_t padH, idx_t padW,\
                     idx_t dilH, idx_t dilW, idx_t oH, idx_t oW, idx_t O)                    \
    {                                                                                        \
        idx_t K = C * kH * kW, L = oH * oW;                                                  \
        for (idx_t n = 0; n < N; n++) {                                                      \
            T *gn = gcols + n * K * L;                                                       \
            /* numpy's w2.T @ go[n]: w2.T is w2 (O x K, row-major) transposed */             \
            GEMM(ROW_MAJOR, TRANS, NO_TRANS, K, L, O, 1, w, K, go + n * O * L, L, 0, gn, L); \
            COL2IM_FN(gn, gi + n * C * H * W, 1, C, H, W, kH, kW, dH, dW, padH, padW, dilH,  \
                      dilW, oH, oW);                                                         \
        }                                                                                    \
    }
CONV_GI(conv_gi_d, double, col2im_d, gemm_d)
CONV_GI(conv_gi_f, float, col2im_f, gemm_f)

static PyObject *
py_conv_fwd(PyObject *self, PyObject *args)
{
    PyObject *ox, *ow, *ob, *oc, *oy;
    idx_t N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOnnnnnnnnnnnnnnnp", &ox, &ow, &ob, &oc, &oy, &N, &C, &H,
                          &W, &kH, &kW, &dH, &dW, &padH, &padW, &dilH, &dilW, &oH, &oW, &O,
                          &single))
        return NULL;
    if (single ? !gemm_f : !gemm_d) {
        PyErr_SetString(PyExc_RuntimeError, "_nnk.conv_fwd: no gemm set");
        return NULL;
    }
    idx_t z = SZ(single), K = C * kH * kW, L = oH * oW;
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * N * C * H * W, 0);
    void *w = x ? get(&bs, ow, z * O * K, 0) : NULL;
    void *b = NULL;
    if (w && ob != Py_None) b = get(&bs, ob, z * O, 0);
    void *c = w && (ob == Py_None || b) ? get(&bs, oc, z * N * K * L, 1) : NULL;
    void *y = c ? get(&bs, oy, z * N * O * L, 1) : NULL;
    if (!y) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single)
        conv_fwd_f(x, w, b, c, y, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O);
    else
        conv_fwd_d(x, w, b, c, y, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_conv_gi(PyObject *self, PyObject *args)
{
    PyObject *ow, *ogo, *oc, *ogi;
    idx_t N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOnnnnnnnnnnnnnnnp", &ow, &ogo, &oc, &ogi, &N, &C, &H, &W,
                          &kH, &kW, &dH, &dW, &padH, &padW, &dilH, &dilW, &oH, &oW, &O, &single))
        return NULL;
    if (single ? !gemm_f : !gemm_d) {
        PyErr_SetString(PyExc_RuntimeError, "_nnk.conv_gi: no gemm set");
        return NULL;
    }
    idx_t z = SZ(single), K = C * kH * kW, L = oH * oW;
    bufs bs = {.n = 0};
    void *w = get(&bs, ow, z * O * K, 0);
    void *go = w ? get(&bs, ogo, z * N * O * L, 0) : NULL;
    void *c = go ? get(&bs, oc, z * N * K * L, 1) : NULL;
    void *gi = c ? get(&bs, ogi, z * N * C * H * W, 1) : NULL;
    if (!gi) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single)
        conv_gi_f(w, go, c, gi, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O);
    else
        conv_gi_d(w, go, c, gi, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* zeroGradParameters of a large gradient: zero bytes written with streaming stores, which go
   to memory without first reading each line into the cache (a plain memset reads the line it
   will overwrite; on a gradient bigger than the cache that doubles the memory traffic) */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
static void
zero_stream(char *p, idx_t n)
{
#if defined(__SSE2__)
    idx_t head = (idx_t)((16 - ((size_t)p & 15)) & 15);
    if (head > n) head = n;
    memset(p, 0, head);
    p += head;
    n -= head;
    __m128i z = _mm_setzero_si128();
    idx_t i = 0;
    for (; i + 64 <= n; i += 64) {
        _mm_stream_si128((__m128i *)(p + i), z);
        _mm_stream_si128((__m128i *)(p + i + 16), z);
        _mm_stream_si128((__m128i *)(p + i + 32), z);
        _mm_stream_si128((__m128i *)(p + i + 48), z);
    }
    memset(p + i, 0, n - i);
    _mm_sfence();
#else
    memset(p, 0, n);
#endif
}

static PyObject *
py_zero_stream(PyObject *self, PyObject *args)
{
    PyObject *o;
    if (!PyArg_ParseTuple(args, "O", &o))
        return NULL;
    Py_buffer b;
    if (PyObject_GetBuffer(o, &b, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    zero_stream(b.buf, b.len);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&b);
    Py_RETURN_NONE;
}

/* ClassNLLCriterion.c for a 1-D or 2-D contiguous input (nb frames of nc classes): forward's
   `total_weight += w; output -= x[target] * w` in order in real, then the average; backward's
   zeroed gradInput with -w (divided by total_weight when averaging) at each target. A target
   outside [1, nc] that is not ignore_index returns its frame (the caller raises THNN's
   assertion) before anything is written. */
#define CLASS_NLL(NAME, T)                                                                   \
    static idx_t NAME(const T *x, const long long *t, const T *w, idx_t nb, idx_t nc,        \
                      long long ignore, int avg, int onedim, T *out, T *total)               \
    {                                                                                        \
        for (idx_t i = 0; i < nb; i++)                                                       \
            if (t[i] != ignore && (t[i] < 1 || t[i] > nc)) return i;                         \
        T o = 0, tw = 0;                                                                     \
        for (idx_t i = 0; i < nb; i++) {                                                     \
            long long c = t[i] - 1;                                                          \
            if (t[i] == ignore) continue;                                                    \
            T cw = w ? w[c] : (T)1;                                                          \
            if (onedim) { tw = cw; o = -x[c] * tw; continue; }                               \
            tw += cw;                                                                        \
            o -= x[i * nc + c] * cw;                                                         \
        }                                                                                    \
        if (avg && tw != 0) o /= tw;                                                         \
        *out = o;                                                                            \
        *total = tw;                                                                         \
        return -1;                                                                           \
    }                                                                                        \
    static idx_t NAME##_grad(T *gi, const long long *t, const T *w, idx_t nb, idx_t nc,      \
                             long long ignore, int avg, int onedim, T total)                 \
    {                                                                                        \
        for (idx_t i = 0; i < nb; i++)                                                       \
            if (t[i] != ignore && (t[i] < 1 || t[i] > nc)) return i;                         \
        memset(gi, 0, sizeof(T) * nb * nc);                                                  \
        if (!(total > 0)) return -1;                                                         \
        for (idx_t i = 0; i < nb; i++) {                                                     \
            long long c = t[i] - 1;                                                          \
            if (t[i] == ignore) continue;                                                    \
            if (onedim) { gi[c] = (!avg && w) ? -w[c] : (T)-1; continue; }                   \
            T *g = gi + i * nc + c;                                                          \
            *g = -(w ? w[c] : (T)1);                                                         \
            if (avg && total != 0) *g /= total;                                              \
        }                                                                                    \
        return -1;                                                                           \
    }
CLASS_NLL(class_nll_d, double)
CLASS_NLL(class_nll_f, float)

static PyObject *
py_class_nll(PyObject *self, PyObject *args)
{
    PyObject *ox, *ot, *ow;
    idx_t nb, nc;
    long long ignore;
    int avg, onedim, grad, single;
    double total_in;
    if (!PyArg_ParseTuple(args, "OOOnnLppdpp", &ox, &ot, &ow, &nb, &nc, &ignore, &avg, &onedim,
                          &total_in, &grad, &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * nb * nc, grad);
    const long long *t = x ? get(&bs, ot, 8 * nb, 0) : NULL;
    void *w = NULL;
    if (t && ow != Py_None) w = get(&bs, ow, z * nc, 0);
    if (!t || (ow != Py_None && !w)) { release(&bs); return NULL; }
    idx_t bad;
    double out = 0, total = 0;
    if (single) {
        float o = 0, tw = 0;
        bad = grad ? class_nll_f_grad(x, t, w, nb, nc, ignore, avg, onedim, (float)total_in)
                   : class_nll_f(x, t, w, nb, nc, ignore, avg, onedim, &o, &tw);
        out = o;
        total = tw;
    } else {
        bad = grad ? class_nll_d_grad(x, t, w, nb, nc, ignore, avg, onedim, total_in)
                   : class_nll_d(x, t, w, nb, nc, ignore, avg, onedim, &out, &total);
    }
    release(&bs);
    if (bad >= 0)
        return Py_BuildValue("n", bad);
    return Py_BuildValue("dd", out, total);
}

/* Linear's one-sample forward for 1 to 3 inputs: output:copy(bias); output:addmv(1, weight,
   input) where OpenBLAS's gemv_t runs its scalar tail, `y[j] += a0*x0 + a1*x1 + a2*x2` as GCC
   contracts it (numerics.gemv_t_tail): fma(a2, x2, fma(a0, x0, a1*x1)), and for one input
   fma(a0, x0, y). b may be absent (y starts from zero). */
#define LINEAR_FWD_TAIL(NAME, T, FMA)                                                        \
    static void NAME(const T *w, const T *x, const T *b, T *y, idx_t n, idx_t m)            \
    {                                                                                        \
        for (idx_t j = 0; j < n; j++) {                                                      \
            const T *a = w + j * m;                                                          \
            T acc = b ? b[j] : (T)0;                                                         \
            if (m == 1) { y[j] = FMA(a[0], x[0], acc); continue; }                           \
            T t = FMA(a[0], x[0], a[1] * x[1]);                                              \
            if (m == 3) t = FMA(a[2], x[2], t);                                              \
            y[j] = acc + t;                                                                  \
        }                                                                                    \
    }
LINEAR_FWD_TAIL(linear_fwd_tail_d, double, fma)
LINEAR_FWD_TAIL(linear_fwd_tail_f, float, fmaf)

static PyObject *
py_linear_fwd_tail(PyObject *self, PyObject *args)
{
    PyObject *ow, *ox, *ob, *oy;
    idx_t n, m;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOnnp", &ow, &ox, &ob, &oy, &n, &m, &single))
        return NULL;
    if (m < 1 || m > 3) {
        PyErr_SetString(PyExc_ValueError, "linear_fwd_tail: 1 to 3 inputs");
        return NULL;
    }
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *w = get(&bs, ow, z * n * m, 0);
    void *x = w ? get(&bs, ox, z * m, 0) : NULL;
    void *y = x ? get(&bs, oy, z * n, 1) : NULL;
    void *b = NULL;
    if (y && ob != Py_None) b = get(&bs, ob, z * n, 0);
    if (!y || (ob != Py_None && !b)) { release(&bs); return NULL; }
    if (single)
        linear_fwd_tail_f(w, x, b, y, n, m);
    else
        linear_fwd_tail_d(w, x, b, y, n, m);
    release(&bs);
    Py_RETURN_NONE;
}

/* Tanh's and Sigmoid's gradInput in THNN's order, unfused: tanh gi = go * (1 - y*y),
   sigmoid gi = go * ((1 - y) * y). */
#define ACT_GRAD(NAME, T)                                                                    \
    static void NAME(const T *y, const T *go, T *gi, idx_t n, int sigmoid)                   \
    {                                                                                        \
        if (sigmoid)                                                                         \
            for (idx_t i = 0; i < n; i++) { T t = (T)1 - y[i]; t = t * y[i]; gi[i] = go[i] * t; } \
        else                                                                                 \
            for (idx_t i = 0; i < n; i++) { T t = y[i] * y[i]; t = (T)1 - t; gi[i] = go[i] * t; } \
    }
ACT_GRAD(act_grad_d, double)
ACT_GRAD(act_grad_f, float)

static PyObject *
py_act_grad(PyObject *self, PyObject *args)
{
    PyObject *oy, *ogo, *ogi;
    idx_t n;
    int sigmoid, single;
    if (!PyArg_ParseTuple(args, "OOOnpp", &oy, &ogo, &ogi, &n, &sigmoid, &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *y = get(&bs, oy, z * n, 0);
    void *go = y ? get(&bs, ogo, z * n, 0) : NULL;
    void *gi = go ? get(&bs, ogi, z * n, 1) : NULL;
    if (!gi) { release(&bs); return NULL; }
    if (single)
        act_grad_f(y, go, gi, n, sigmoid);
    else
        act_grad_d(y, go, gi, n, sigmoid);
    release(&bs);
    Py_RETURN_NONE;
}

/* MSECriterion.c: forward `real sum = 0; z = x - t; sum += z*z` in order, divided by n in
   real when averaging; backward gi = (x - t) * (real)(2 * norm) (norm = 1/n or 1). */
#define MSE(NAME, T)                                                                         \
    static double NAME(const T *x, const T *t, T *gi, idx_t n, int avg, int grad, double nrm)\
    {                                                                                        \
        if (grad) {                                                                          \
            T g = (T)nrm;                                                                    \
            for (idx_t i = 0; i < n; i++) { T z = x[i] - t[i]; gi[i] = z * g; }              \
            return 0;                                                                        \
        }                                                                                    \
        T sum = 0;                                                                           \
        for (idx_t i = 0; i < n; i++) { T z = x[i] - t[i]; z = z * z; sum += z; }           \
        if (avg) sum /= (T)n;                                                                \
        return sum;                                                                          \
    }
MSE(mse_d, double)
MSE(mse_f, float)

static PyObject *
py_mse(PyObject *self, PyObject *args)
{
    PyObject *ox, *ot, *ogi;
    idx_t n;
    int avg, grad, single;
    double nrm;
    if (!PyArg_ParseTuple(args, "OOOnppdp", &ox, &ot, &ogi, &n, &avg, &grad, &nrm, &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * n, 0);
    void *t = x ? get(&bs, ot, z * n, 0) : NULL;
    void *gi = NULL;
    if (t && grad) gi = get(&bs, ogi, z * n, 1);
    if (!t || (grad && !gi)) { release(&bs); return NULL; }
    double r = single ? mse_f(x, t, gi, n, avg, grad, nrm) : mse_d(x, t, gi, n, avg, grad, nrm);
    release(&bs);
    return PyFloat_FromDouble(r);
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
                idx_t st = ti * D[0] - P[0], sh = i * D[1] - P[1], sw = j * D[2] - P[2];     \
                idx_t kt = K[0] < K[0] + st ? K[0] : K[0] + st;                              \
                idx_t kh = K[1] < K[1] + sh ? K[1] : K[1] + sh;                              \
                idx_t kw = K[2] < K[2] + sw ? K[2] : K[2] + sw;                              \
                while (st < 0) st += L[0];                                                   \
                while (sh < 0) sh += L[1];                                                   \
                while (sw < 0) sw += L[2];                                                   \
                T maxval = -THINF(T);                                                        \
                int mz = -1, my = -1, mx = -1;                                               \
                for (idx_t z = 0; z < kt; z++) {                                             \
                    idx_t tt = st + z * L[0];                                                \
                    if (tt >= iT) continue;                                                  \
                    for (idx_t a = 0; a < kh; a++) {                                         \
                        idx_t hh = sh + a * L[1];                                            \
                        if (hh >= iH) continue;                                              \
                        const T *row = ip0 + (tt * iH + hh) * iW;                            \
                        for (idx_t b = 0; b < kw; b++) {                                     \
                            idx_t ww = sw + b * L[2];                                        \
                            if (ww >= iW) continue;                                          \
                            T val = row[ww];                                                 \
                            if (val > maxval) {                                              \
                                maxval = val;                                                \
                                mz = (int)(z + (K[0] - kt));                                 \
                                my = (int)(a + (K[1] - kh));                                 \
                                mx = (int)(b + (K[2] - kw));                                 \
                            }                                                                \
                        }                                                                    \
                    }                                                                        \
                }                                                                            \
                idx_t o = ((k * oT + ti) * oH + i) * oW + j;                                 \
                y[o] = maxval;                                                               \
                ind[o] = (long long)((unsigned)(mz & 255) | (unsigned)(my & 255) << 8        \
                                     | (unsigned)(mx & 255) << 16);                          \
            }                                                                                \
        }                                                                                    \
    }
VMAXPOOL(vmaxpool_d, double)
VMAXPOOL(vmaxpool_f, float)

static PyObject *
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

/* ---- vol2col / col2vol (VolumetricConvolutionMM, the dilated and full convolutions; 1-d
   and 2-d as 3-d with unit leading axes): per plane, per kernel offset (kt, kh, kw), the
   values each output position reads, zero in the padding; col2vol adds them back in the
   same order, so each input element receives its terms in kernel-offset order ------------- */
#define VOL2COL(NAME, T)                                                                     \
    static void NAME(const T *x, T *cols, idx_t NC, const idx_t *S, const idx_t *K,          \
                     const idx_t *D, const idx_t *P, const idx_t *L, const idx_t *O, int acc)\
    {                                                                                        \
        idx_t isz = S[0] * S[1] * S[2], osz = O[0] * O[1] * O[2];                            \
        if (acc) memset((T *)x, 0, sizeof(T) * NC * isz);                                    \
        for (idx_t nc = 0; nc < NC; nc++) {                                                  \
            T *vol = (T *)x + nc * isz;                                                      \
            for (idx_t kt = 0; kt < K[0]; kt++)                                              \
            for (idx_t kh = 0; kh < K[1]; kh++)                                              \
            for (idx_t kw = 0; kw < K[2]; kw++) {                                            \
                T *col = cols + (((nc * K[0] + kt) * K[1] + kh) * K[2] + kw) * osz;          \
                /* the output columns w whose input column x0 + w*D[2] is inside */          \
                idx_t x0 = kw * L[2] - P[2];                                                 \
                idx_t lo = x0 < 0 ? (-x0 + D[2] - 1) / D[2] : 0;                             \
                idx_t hi = x0 < S[2] ? (S[2] - 1 - x0) / D[2] + 1 : 0;                       \
                if (hi > O[2]) hi = O[2];                                                    \
                if (lo > hi) lo = hi;                                                        \
                for (idx_t t = 0; t < O[0]; t++) {                                           \
                    idx_t tt = t * D[0] - P[0] + kt * L[0];                                  \
                    for (idx_t h = 0; h < O[1]; h++) {                                       \
                        idx_t hh = h * D[1] - P[1] + kh * L[1];                              \
                        T *crow = col + (t * O[1] + h) * O[2];                               \
                        int in = tt >= 0 && tt < S[0] && hh >= 0 && hh < S[1];               \
                        if (acc) {                                                           \
                            if (!in) continue;                                               \
                            T *vrow = vol + (tt * S[1] + hh) * S[2];                         \
                            for (idx_t w = lo; w < hi; w++) vrow[x0 + w * D[2]] += crow[w];  \
                        } else if (!in) {                                                    \
                            memset(crow, 0, sizeof(T) * O[2]);                               \
                        } else {                                                             \
                            const T *vrow = vol + (tt * S[1] + hh) * S[2];                   \
                            for (idx_t w = 0; w < lo; w++) crow[w] = 0;                      \
                            if (D[2] == 1) {                                                 \
                                if (hi > lo)                                                 \
                                    memcpy(crow + lo, vrow + x0 + lo, sizeof(T) * (hi - lo));\
                            } else {                                                         \
                                for (idx_t w = lo; w < hi; w++)                              \
                                    crow[w] = vrow[x0 + w * D[2]];                           \
                            }                                                                \
                            for (idx_t w = hi; w < O[2]; w++) crow[w] = 0;                   \
                        }                                                                    \
                    }                                                                        \
                }                                                                            \
            }                                                                                \
        }                                                                                    \
    }
VOL2COL(vol2col_d, double)
VOL2COL(vol2col_f, float)

/* vol2col(x, cols, ...) fills cols from the volumes x; col2vol(gi, cols, ...) overwrites the
   volumes gi with the sums of cols */
static PyObject *
vol2col_call(PyObject *args, int acc)
{
    PyObject *ox, *oc;
    idx_t NC, S[3], K[3], D[3], P[3], L[3], O[3];
    int single;
    if (!PyArg_ParseTuple(args, "OOn(nnn)(nnn)(nnn)(nnn)(nnn)(nnn)p", &ox, &oc, &NC,
                          &S[0], &S[1], &S[2], &K[0], &K[1], &K[2], &D[0], &D[1], &D[2],
                          &P[0], &P[1], &P[2], &L[0], &L[1], &L[2], &O[0], &O[1], &O[2],
                          &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * NC * S[0] * S[1] * S[2], acc);
    void *c = x ? get(&bs, oc, z * NC * K[0] * K[1] * K[2] * O[0] * O[1] * O[2], !acc) : NULL;
    if (!c) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) vol2col_f(x, c, NC, S, K, D, P, L, O, acc);
    else vol2col_d(x, c, NC, S, K, D, P, L, O, acc);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_vol2col(PyObject *self, PyObject *args)
{
    return vol2col_call(args, 0);
}

static PyObject *
py_col2vol(PyObject *self, PyObject *args)
{
    return vol2col_call(args, 1);
}

/* ---- MSECriterion's forward sum, resumed: a finite-difference check (criterionJacobianTest)
   evaluates it 2n times on inputs that differ from the previous call in one element. THNN's
   `sum += z*z` runs in order, each partial sum depending on the one before, so it cannot be
   split; but the partial sums of the previous call stay valid up to the first element (of x or
   t) that changed: the loop resumes there from the partial sum it had. The same additions in
   the same order, so the same bits; one memo (the last call's x, t and partial sums). -------- */
static struct { idx_t n, cap; double *x, *t, *pre; } mse_memo;

/* the first i < n where a[i] and b[i] differ in their bits (n when none) */
static idx_t
first_change(const double *a, const double *b, idx_t n)
{
    const idx_t B = 512;
    idx_t i = 0;
    while (i + B <= n && memcmp(a + i, b + i, B * sizeof(double)) == 0) i += B;
    for (; i < n; i++)
        if (memcmp(a + i, b + i, sizeof(double)) != 0) return i;
    return n;
}

static PyObject *
py_mse_resume(PyObject *self, PyObject *args)
{
    PyObject *ox, *ot;
    idx_t n;
    int avg;
    if (!PyArg_ParseTuple(args, "OOnp", &ox, &ot, &n, &avg))
        return NULL;
    bufs bs = {.n = 0};
    const double *x = get(&bs, ox, sizeof(double) * n, 0);
    const double *t = x ? get(&bs, ot, sizeof(double) * n, 0) : NULL;
    if (!t) { release(&bs); return NULL; }
    idx_t f = 0;
    if (mse_memo.n == n && n > 0) {
        idx_t fx = first_change(x, mse_memo.x, n);
        idx_t ft = first_change(t, mse_memo.t, fx);
        f = ft < fx ? ft : fx;
    } else {
        if (mse_memo.cap < n) {
            double *nx = realloc(mse_memo.x, sizeof(double) * n);
            if (nx) mse_memo.x = nx;
            double *nt = realloc(mse_memo.t, sizeof(double) * n);
            if (nt) mse_memo.t = nt;
            double *np_ = realloc(mse_memo.pre, sizeof(double) * n);
            if (np_) mse_memo.pre = np_;
            if (!nx || !nt || !np_) {
                mse_memo.n = mse_memo.cap = 0;
                release(&bs);
                return PyErr_NoMemory();
            }
            mse_memo.cap = n;
        }
        mse_memo.n = 0;
    }
    double sum = f > 0 ? mse_memo.pre[f - 1] : 0;
    double *pre = mse_memo.pre;
    for (idx_t i = f; i < n; i++) {
        double z = x[i] - t[i];
        z = z * z;
        sum += z;
        pre[i] = sum;
    }
    if (f < n) {
        memcpy(mse_memo.x + f, x + f, sizeof(double) * (n - f));
        memcpy(mse_memo.t + f, t + f, sizeof(double) * (n - f));
    }
    mse_memo.n = n;
    release(&bs);
    if (avg) sum /= (double)n;
    return PyFloat_FromDouble(sum);
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

static PyObject *
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

static PyObject *
py_vavgpool(PyObject *self, PyObject *args)
{
    PyObject *ox, *oy;
    idx_t planes, S[3], O[3], K[3], D[3], P[3];
    int include_pad, single;
    if (!PyArg_ParseTuple(args, "OOn(nnn)(nnn)(nnn)(nnn)(nnn)pp", &ox, &oy, &planes,
                          &S[0], &S[1], &S[2], &O[0], &O[1], &O[2], &K[0], &K[1], &K[2],
                          &D[0], &D[1], &D[2], &P[0], &P[1], &P[2], &include_pad, &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * planes * S[0] * S[1] * S[2], 0);
    void *y = x ? get(&bs, oy, z * planes * O[0] * O[1] * O[2], 1) : NULL;
    if (!y) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) vavgpool_f(x, y, planes, S, O, K, D, P, include_pad);
    else vavgpool_d(x, y, planes, S, O, K, D, P, include_pad);
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

static PyObject *
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

static PyObject *
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

static PyMethodDef step_methods[] = {
    {"class_nll", py_class_nll, METH_VARARGS, "ClassNLLCriterion forward or gradInput"},
    {"zero_stream", py_zero_stream, METH_VARARGS, "zero a buffer with streaming stores"},
    {"set_gemm", py_set_gemm, METH_VARARGS, "numpy's cblas dgemm and sgemm (64-bit ints)"},
    {"conv_fwd", py_conv_fwd, METH_VARARGS, "convolution forward, one sample at a time"},
    {"conv_gi", py_conv_gi, METH_VARARGS, "convolution gradInput, one sample at a time"},
    {"linear_gb", py_linear_gb, METH_VARARGS, "Linear's batch gradBias (scale 1)"},
    {"maxpool22", py_maxpool22, METH_VARARGS, "max pooling, 2x2 windows, stride 2"},
    {"linear_fwd_tail", py_linear_fwd_tail, METH_VARARGS, "Linear's forward, 1-3 inputs"},
    {"act_grad", py_act_grad, METH_VARARGS, "Tanh / Sigmoid gradInput"},
    {"mse", py_mse, METH_VARARGS, "MSECriterion forward or gradInput"},
    {"vmaxpool", py_vmaxpool, METH_VARARGS, "VolumetricDilatedMaxPooling forward"},
    {"vol2col", py_vol2col, METH_VARARGS, "vol2col (im2col in 1 to 3 dimensions)"},
    {"col2vol", py_col2vol, METH_VARARGS, "col2vol (col2im in 1 to 3 dimensions)"},
    {"mse_resume", py_mse_resume, METH_VARARGS, "MSECriterion's double forward, resumed"},
    {"flp", py_flp, METH_VARARGS, "FeatureLPPooling forward"},
    {"vavgpool", py_vavgpool, METH_VARARGS, "VolumetricAveragePooling forward"},
    {"gathermax", py_gathermax, METH_VARARGS, "max over gathered windows (fractional)"},
    {"upnear_back", py_upnear_back, METH_VARARGS, "UpSamplingNearest gradInput"},
    {NULL, NULL, 0, NULL},
};

static int add_batch_kernels(PyObject *m);

static int
add_step_kernels(PyObject *m)
{
    if (PyModule_AddFunctions(m, step_methods) < 0)
        return -1;
    return add_batch_kernels(m);
}

/* ---- Linear's batch accGradParameters (issue 16) ------------------------------------------
   gradWeight:addmm(scale, gradOutput:t(), input) as one BLAS call with beta = 1 into the
   row-major gradWeight (numpy's own cblas gemm, set by set_gemm: the call numpy's matmul of
   gradOutput.T and input makes, accumulating), then gradBias (scale 1) in linear_gb's order:
   one Python call for the layer's parameter gradients, no temporaries. */
static PyObject *
py_linear_acc(PyObject *self, PyObject *args)
{
    PyObject *ogo, *ox, *ogw, *ogb, *otmp;
    idx_t n, o, i;
    double scale;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOnnndp", &ogo, &ox, &ogw, &ogb, &otmp, &n, &o, &i, &scale,
                          &single))
        return NULL;
    if (single ? !gemm_f : !gemm_d) {
        PyErr_SetString(PyExc_RuntimeError, "_nnk.linear_acc: no gemm set");
        return NULL;
    }
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, z * n * o, 0);
    void *x = go ? get(&bs, ox, z * n * i, 0) : NULL;
    void *gw = x ? get(&bs, ogw, z * o * i, 1) : NULL;
    void *gb = NULL, *tmp = NULL;
    if (gw && ogb != Py_None) gb = get(&bs, ogb, z * o, 1);
    if (gb && single) tmp = get(&bs, otmp, z * o, 1);
    if (!gw || (ogb != Py_None && (!gb || (single && !tmp)))) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) {
        if (n > 0)
            gemm_f(ROW_MAJOR, TRANS, NO_TRANS, o, i, n, (float)scale, go, o, x, i, 1, gw, i);
        if (gb && n > 0) linear_gb_f(go, gb, tmp, n, o);
    } else {
        if (n > 0)
            gemm_d(ROW_MAJOR, TRANS, NO_TRANS, o, i, n, scale, go, o, x, i, 1, gw, i);
        if (gb && n > 0) linear_gb_d(go, gb, n, o);
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* SpatialConvolutionMM's gradWeight: per sample, THNN's addmm(gradWeight, 1, gradWeight,
   scale, gradOutput_n (O x L), finput_n^T (L x K)), the gemm with beta = 1 into the row-major
   gradWeight (O x K) sample after sample, as THNN calls it: no batched products to add up. */
static PyObject *
py_conv_acc(PyObject *self, PyObject *args)
{
    PyObject *ogo, *oc, *ogw;
    idx_t N, O, K, L;
    double scale;
    int single;
    if (!PyArg_ParseTuple(args, "OOOnnnndp", &ogo, &oc, &ogw, &N, &O, &K, &L, &scale, &single))
        return NULL;
    if (single ? !gemm_f : !gemm_d) {
        PyErr_SetString(PyExc_RuntimeError, "_nnk.conv_acc: no gemm set");
        return NULL;
    }
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, z * N * O * L, 0);
    void *c = go ? get(&bs, oc, z * N * K * L, 0) : NULL;
    void *gw = c ? get(&bs, ogw, z * O * K, 1) : NULL;
    if (!gw) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    for (idx_t n = 0; n < N && L > 0; n++) {
        if (single)
            gemm_f(ROW_MAJOR, NO_TRANS, TRANS, O, K, L, (float)scale,
                   (const float *)go + n * O * L, L, (const float *)c + n * K * L, L, 1, gw, K);
        else
            gemm_d(ROW_MAJOR, NO_TRANS, TRANS, O, K, L, scale,
                   (const double *)go + n * O * L, L, (const double *)c + n * K * L, L, 1, gw, K);
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyMethodDef batch_methods[] = {
    {"linear_acc", py_linear_acc, METH_VARARGS, "Linear's batch gradWeight (gemm, beta 1) "
     "and gradBias"},
    {"conv_acc", py_conv_acc, METH_VARARGS, "convolution gradWeight, a gemm (beta 1) a sample"},
    {NULL, NULL, 0, NULL},
};

static int add_cache_kernels(PyObject *m);

static int
add_batch_kernels(PyObject *m)
{
    if (PyModule_AddFunctions(m, batch_methods) < 0)
        return -1;
    return add_cache_kernels(m);
}

/* ---- the convolutions' fgradInput kept out of the cache (issue 16) ----------------------

   THNN keeps every sample's column gradient in fgradInput: N*K*L values, far more than the
   cache, never read again. Written in place, each line is first read from memory (the gemm's
   beta = 0 pass zeroes its C with a memset, which does that read) and written back later,
   pushing the data the step reads next out of the cache. Here each sample's columns come from
   the gemm (with the arguments numpy passes: the same call gives the same bits wherever C
   lies) into a small buffer that stays in the cache, col2im reads them there, and they are
   copied to fgradInput with streaming stores, which go to memory without the read. (finput
   the same way was slower: accGradParameters reads it again.) */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
static void
copy_stream(char *dst, const char *src, idx_t n)
{
#if defined(__SSE2__)
    idx_t head = (idx_t)((16 - ((size_t)dst & 15)) & 15);
    if (head > n) head = n;
    memcpy(dst, src, head);
    dst += head;
    src += head;
    n -= head;
    idx_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)(src + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(src + i + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(src + i + 32));
        __m128i d = _mm_loadu_si128((const __m128i *)(src + i + 48));
        _mm_stream_si128((__m128i *)(dst + i), a);
        _mm_stream_si128((__m128i *)(dst + i + 16), b);
        _mm_stream_si128((__m128i *)(dst + i + 32), c);
        _mm_stream_si128((__m128i *)(dst + i + 48), d);
    }
    memcpy(dst + i, src + i, n - i);
#else
    memcpy(dst, src, n);
#endif
}

static void
stream_fence(void)
{
#if defined(__SSE2__)
    _mm_sfence();
#endif
}

#define CONV_GI_NT(NAME, T, COL2IM_FN, GEMM)                                                 \
    static void NAME(const T *w, const T *go, T *gcols, T *gi, T *s, idx_t N, idx_t C,      \
                     idx_t H, idx_t W, idx_t kH, idx_t kW, idx_t dH, idx_t dW, idx_t padH,   \
                     idx_t padW, idx_t dilH, idx_t dilW, idx_t oH, idx_t oW, idx_t O)        \
    {                                                                                        \
        idx_t K = C * kH * kW, L = oH * oW;                                                  \
        for (idx_t n = 0; n < N; n++) {                                                      \
            GEMM(ROW_MAJOR, TRANS, NO_TRANS, K, L, O, 1, w, K, go + n * O * L, L, 0, s, L);  \
            COL2IM_FN(s, gi + n * C * H * W, 1, C, H, W, kH, kW, dH, dW, padH, padW, dilH,   \
                      dilW, oH, oW);                                                         \
            copy_stream((char *)(gcols + n * K * L), (const char *)s, sizeof(T) * K * L);    \
        }                                                                                    \
        stream_fence();                                                                      \
    }
/* unfolded_acc (col2im) for a stride-1 width (dW == 1) on AVX2, each input row gathered: for
   one (plane, kh, output row i), every element of the input row it lands on gets the kW column
   values that fall on it added in kw order, a vector of elements at a time in registers, and is
   stored once (unfolded_acc adds one kw row at a time, each element loaded and stored kW times,
   the rows a few elements wide). A column value that falls outside [0, oW) for some lanes is
   loaded as +0 there (masked): adding +0 is exact, as a gradInput element that starts at +0 and
   only has values added is never -0 (nor a signalling NaN). So each element gets THNN's
   additions in THNN's order (kh, then kw): col2im's bits. Other cases and other CPUs: col2im
   (LeNet's float convolutions' gradInput: 0.91 -> 0.86 ms conv1, 1.21 -> 1.10 ms conv2). */
#define GATHER_MASKS 256
#if defined(__AVX2__)
#include <immintrin.h>
#define COL2IM_GATHER(NAME, T, LANES, MT, V, LOADU, STOREU, MASKLOAD, MASKSTORE, ADD, FALLBACK) \
    static void NAME(const T *cols, T *gi, idx_t N, idx_t C, idx_t H, idx_t W, idx_t kH,     \
                     idx_t kW, idx_t dH, idx_t dW, idx_t padH, idx_t padW, idx_t dilH,       \
                     idx_t dilW, idx_t oH, idx_t oW)                                         \
    {                                                                                        \
        idx_t nxb = (W + LANES - 1) / LANES;                                                 \
        if (dW != 1 || kW * nxb + nxb > GATHER_MASKS) {                                      \
            FALLBACK(cols, gi, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW);  \
            return;                                                                          \
        }                                                                                    \
        /* lane masks: per x block, the lanes inside the row (row[xb]), and per kw the lanes  \
           whose column j = x + padW - kw*dilW is inside [0, oW) (mk[kw][xb]) */             \
        MT mk[GATHER_MASKS][LANES] __attribute__((aligned(32)));                             \
        MT (*row)[LANES] = mk + kW * nxb;                                                    \
        char full[GATHER_MASKS]; /* every lane on: a plain load (a masked one is slower) */  \
        for (idx_t b = 0; b < kW * nxb + nxb; b++) full[b] = 1;                              \
        for (idx_t xb = 0; xb < nxb; xb++)                                                   \
            for (idx_t l = 0; l < LANES; l++) {                                              \
                idx_t x = xb * LANES + l;                                                    \
                row[xb][l] = x < W ? -1 : 0;                                                 \
                if (x >= W) full[kW * nxb + xb] = 0;                                         \
                for (idx_t kw = 0; kw < kW; kw++) {                                          \
                    idx_t j = x + padW - kw * dilW;                                          \
                    int on = x < W && j >= 0 && j < oW;                                      \
                    mk[kw * nxb + xb][l] = on ? -1 : 0;                                      \
                    if (!on) full[kw * nxb + xb] = 0;                                        \
                }                                                                            \
            }                                                                                \
        memset(gi, 0, sizeof(T) * N * C * H * W);                                            \
        idx_t P = oH * oW;                                                                   \
        for (idx_t n = 0; n < N; n++)                                                        \
            for (idx_t c = 0; c < C; c++) {                                                  \
                T *dst = gi + (n * C + c) * H * W;                                           \
                for (idx_t kh = 0; kh < kH; kh++) {                                          \
                    const T *src = cols + ((n * C + c) * kH + kh) * kW * P;                  \
                    for (idx_t i = 0; i < oH; i++) {                                         \
                        idx_t yy = i * dH - padH + kh * dilH;                                \
                        if (yy < 0 || yy >= H) continue;                                     \
                        T *drow = dst + yy * W;                                              \
                        /* element x of plane kw's row i: s0[kw * (P - dilW) + x] */         \
                        const T *s0 = src + i * oW + padW;                                   \
                        for (idx_t xb = 0; xb < nxb; xb++) {                                 \
                            idx_t x = xb * LANES;                                            \
                            int rf = full[kW * nxb + xb];                                    \
                            __m256i rm = _mm256_load_si256((const __m256i *)row[xb]);        \
                            V v = rf ? LOADU(drow + x) : MASKLOAD(drow + x, rm);             \
                            for (idx_t kw = 0; kw < kW; kw++) {                              \
                                const T *p = s0 + kw * (P - dilW) + x;                       \
                                if (full[kw * nxb + xb]) {                                   \
                                    v = ADD(v, LOADU(p));                                    \
                                } else {                                                     \
                                    __m256i m = _mm256_load_si256(                           \
                                        (const __m256i *)mk[kw * nxb + xb]);                 \
                                    v = ADD(v, MASKLOAD(p, m));                              \
                                }                                                            \
                            }                                                                \
                            if (rf) STOREU(drow + x, v);                                     \
                            else MASKSTORE(drow + x, rm, v);                                 \
                        }                                                                    \
                    }                                                                        \
                }                                                                            \
            }                                                                                \
    }
/* float only: 8 lanes; on doubles (4 lanes) unfolded_acc's order was faster (LeNet's
   convolutions: 1.56 vs 1.72 ms for conv1's gradInput, 1.96 vs 2.05 for conv2's) */
COL2IM_GATHER(col2im_gather_f, float, 8, int, __m256, _mm256_loadu_ps, _mm256_storeu_ps,
              _mm256_maskload_ps, _mm256_maskstore_ps, _mm256_add_ps, col2im_f)
#else
#define col2im_gather_f col2im_f
#endif

CONV_GI_NT(conv_gi_nt_d, double, col2im_d, gemm_d)
CONV_GI_NT(conv_gi_nt_f, float, col2im_gather_f, gemm_f)

/* conv_gi_nt(w, go, gcols, gi, scratch, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW,
   oH, oW, O, single): conv_gi's results, the columns through `scratch` (K*L values) */
static PyObject *
py_conv_gi_nt(PyObject *self, PyObject *args)
{
    PyObject *ow, *ogo, *oc, *ogi, *os;
    idx_t N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOnnnnnnnnnnnnnnnp", &ow, &ogo, &oc, &ogi, &os, &N, &C, &H,
                          &W, &kH, &kW, &dH, &dW, &padH, &padW, &dilH, &dilW, &oH, &oW, &O,
                          &single))
        return NULL;
    if (single ? !gemm_f : !gemm_d) {
        PyErr_SetString(PyExc_RuntimeError, "_nnk.conv_gi_nt: no gemm set");
        return NULL;
    }
    idx_t z = SZ(single), K = C * kH * kW, L = oH * oW;
    bufs bs = {.n = 0};
    void *w = get(&bs, ow, z * O * K, 0);
    void *go = w ? get(&bs, ogo, z * N * O * L, 0) : NULL;
    void *c = go ? get(&bs, oc, z * N * K * L, 1) : NULL;
    void *gi = c ? get(&bs, ogi, z * N * C * H * W, 1) : NULL;
    void *s = gi ? get(&bs, os, z * K * L, 1) : NULL;
    if (!s) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single)
        conv_gi_nt_f(w, go, c, gi, s, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH,
                     oW, O);
    else
        conv_gi_nt_d(w, go, c, gi, s, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH,
                     oW, O);
    Py_END_ALLOW_THREADS
    release(&bs);
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
static PyObject *
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

/* conv_gb's results with every (sample, plane) sum in flight at once: THNN's `real sum = 0;
   sum += go` over each plane of each sample is a chain of dependent additions, and conv_gb
   runs four at a time within a sample (the rest one by one: LeNet's 6 planes of 784 values
   ran as a chain of four and two single ones). The sums do not depend on each other: here
   eight run side by side over all the batch's planes, into tmp (N*O), and then gradBias gets
   `gradBias[i] += scale*sum` sample after sample, THNN's order. */
#define CONV_GB_ROWS(NAME, T)                                                                \
    static void NAME(const T *go, T *gb, T *tmp, idx_t N, idx_t O, idx_t L, T scale)         \
    {                                                                                        \
        idx_t R = N * O, r = 0;                                                              \
        for (; r + 8 <= R; r += 8) {                                                         \
            const T *p = go + r * L;                                                         \
            T s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;                \
            for (idx_t k = 0; k < L; k++) {                                                  \
                s0 += p[k];                                                                  \
                s1 += p[L + k];                                                              \
                s2 += p[2 * L + k];                                                          \
                s3 += p[3 * L + k];                                                          \
                s4 += p[4 * L + k];                                                          \
                s5 += p[5 * L + k];                                                          \
                s6 += p[6 * L + k];                                                          \
                s7 += p[7 * L + k];                                                          \
            }                                                                                \
            tmp[r] = s0;                                                                     \
            tmp[r + 1] = s1;                                                                 \
            tmp[r + 2] = s2;                                                                 \
            tmp[r + 3] = s3;                                                                 \
            tmp[r + 4] = s4;                                                                 \
            tmp[r + 5] = s5;                                                                 \
            tmp[r + 6] = s6;                                                                 \
            tmp[r + 7] = s7;                                                                 \
        }                                                                                    \
        for (; r < R; r++) {                                                                 \
            const T *p = go + r * L;                                                         \
            T sum = 0;                                                                       \
            for (idx_t k = 0; k < L; k++) sum += p[k];                                       \
            tmp[r] = sum;                                                                    \
        }                                                                                    \
        for (idx_t n = 0; n < N; n++)                                                        \
            for (idx_t i = 0; i < O; i++)                                                    \
                gb[i] += scale * tmp[n * O + i];                                             \
    }
CONV_GB_ROWS(conv_gb_rows_d, double)
CONV_GB_ROWS(conv_gb_rows_f, float)

/* conv_gb_rows(go, gb, tmp, N, O, L, scale, single): conv_gb's results; tmp holds N*O values */
static PyObject *
py_conv_gb_rows(PyObject *self, PyObject *args)
{
    PyObject *ogo, *ogb, *otmp;
    idx_t N, O, L;
    double scale;
    int single;
    if (!PyArg_ParseTuple(args, "OOOnnndp", &ogo, &ogb, &otmp, &N, &O, &L, &scale, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, SZ(single) * N * O * L, 0);
    void *gb = go ? get(&bs, ogb, SZ(single) * O, 1) : NULL;
    void *tmp = gb ? get(&bs, otmp, SZ(single) * N * O, 1) : NULL;
    if (!tmp) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) conv_gb_rows_f(go, gb, tmp, N, O, L, (float)scale);
    else conv_gb_rows_d(go, gb, tmp, N, O, L, scale);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

static PyMethodDef cache_methods[] = {
    {"conv_gb_rows", py_conv_gb_rows, METH_VARARGS, "conv_gb, the batch's plane sums eight at "
     "a time"},
    {"maxpool22_v", py_maxpool22_v, METH_VARARGS, "maxpool22, float planes 8 windows at a time "
     "on AVX2"},
    {"conv_gi_nt", py_conv_gi_nt, METH_VARARGS, "conv_gi, the columns through a scratch buffer "
     "and streamed to fgradInput"},
    {NULL, NULL, 0, NULL},
};

static int
add_cache_kernels(PyObject *m)
{
    return PyModule_AddFunctions(m, cache_methods);
}
