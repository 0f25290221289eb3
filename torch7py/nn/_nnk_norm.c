/* _nnk_norm.c, part of torch7py.nn._nnk (see _nnk.c): batch normalization: the per-plane sums,
   output and training gradInput. */
#include "_nnk.h"

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

PyObject *
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

PyObject *
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

PyObject *
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

PyObject *
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
