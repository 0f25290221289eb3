/* _nnk_act.c, part of torch7py.nn._nnk (see _nnk.c): the activations: Threshold/ReLU,
   LogSoftMax, Tanh's and Sigmoid's gradInput. */
#include "_nnk.h"

/* ---- Threshold.c ------------------------------------------------------------------------- */

/* (not static: Linear's batch forward and backward run them on their results, _nnk_linear.c) */
#define THRESH(NAME, T)                                                                      \
    void NAME(const T *x, T *out, idx_t n, T th, T val, int inplace)                         \
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
    void NAME##_grad(const T *x, const T *go, T *gi, idx_t n, T th, int inplace)             \
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

PyObject *
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

PyObject *
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

PyObject *
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

PyObject *
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

/* Tanh's and Sigmoid's gradInput as THNN's C writes them (Tanh.c, Sigmoid.c): `1.` is a
   double, so tanh gi = go * (1. - z*z) with z*z in real and the rest in double, sigmoid
   gi = go * (1. - z) * z, i.e. (go * (1. - z)) * z in double; one rounding to real at the
   store. */
#define ACT_GRAD(NAME, T)                                                                    \
    static void NAME(const T *y, const T *go, T *gi, idx_t n, int sigmoid)                   \
    {                                                                                        \
        if (sigmoid)                                                                         \
            for (idx_t i = 0; i < n; i++) {                                                  \
                double z = (double)y[i];                                                     \
                double t = (double)go[i] * (1. - z);                                         \
                gi[i] = (T)(t * z);                                                          \
            }                                                                                \
        else                                                                                 \
            for (idx_t i = 0; i < n; i++) {                                                  \
                T zz = y[i] * y[i];                                                          \
                gi[i] = (T)((double)go[i] * (1. - (double)zz));                              \
            }                                                                                \
    }
ACT_GRAD(act_grad_d, double)
ACT_GRAD(act_grad_f, float)

PyObject *
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
