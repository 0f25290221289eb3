/* torch7py._exact: the loops of torch7py/numerics.py in C, bit-identical with its numpy code.

   fma() is C99's fused multiply-add (one rounding: what Torch7's OpenBLAS axpy and TH's AVX2
   cadd kernels compute); sums and products run one element after the other in the order
   numerics.py uses. Built with -ffp-contract=off and without -ffast-math, so that the compiler
   neither fuses other expressions nor reorders the sums. Buffers come through the buffer
   protocol (C-contiguous); numerics.py checks types and shapes before calling. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

/* x86-64 Linux: a clone for CPUs with FMA/AVX2 (fma() becomes one instruction, vectorized),
   picked at load time; elsewhere libm's fma(), which is correctly rounded too */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define CLONES __attribute__((target_clones("avx2,fma", "default")))
#else
#define CLONES
#endif

CLONES static void
fma64_vv(const double *a, const double *b, const double *c, double *r, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        r[i] = fma(a[i], b[i], c[i]);
}

CLONES static void
fma64_vs(const double *a, double b, const double *c, double *r, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        r[i] = fma(a[i], b, c[i]);
}

CLONES static void
fma32_vv(const float *a, const float *b, const float *c, float *r, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        r[i] = fmaf(a[i], b[i], c[i]);
}

CLONES static void
fma32_vs(const float *a, float b, const float *c, float *r, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        r[i] = fmaf(a[i], b, c[i]);
}

static int
same_len(Py_buffer *x, Py_ssize_t nbytes, const char *what)
{
    if (x->len != nbytes) {
        PyErr_Format(PyExc_ValueError, "%s: buffer of %zd bytes, expected %zd", what,
                     x->len, nbytes);
        return 0;
    }
    return 1;
}

/* fma(a, b, c, out, single): out = a*b + c with one rounding, elementwise; b a buffer of the
   same length or a number; single selects float32, else float64. out may be c. */
static PyObject *
py_fma(PyObject *self, PyObject *args)
{
    Py_buffer a, c, r, b = {0};
    PyObject *bobj;
    int single, ok = 0, scalar;
    if (!PyArg_ParseTuple(args, "y*Oy*w*p", &a, &bobj, &c, &r, &single))
        return NULL;
    Py_ssize_t sz = single ? 4 : 8, n = r.len / sz;
    scalar = PyFloat_Check(bobj) || PyLong_Check(bobj);
    double bv = 0;
    if (scalar) {
        bv = PyFloat_AsDouble(bobj);
        if (bv == -1.0 && PyErr_Occurred())
            goto done;
    } else if (PyObject_GetBuffer(bobj, &b, PyBUF_C_CONTIGUOUS) < 0)
        goto done;
    if (r.len % sz || !same_len(&a, r.len, "fma a") || !same_len(&c, r.len, "fma c")
        || (!scalar && !same_len(&b, r.len, "fma b")))
        goto done;
    Py_BEGIN_ALLOW_THREADS
    if (single) {
        if (scalar)
            fma32_vs(a.buf, (float)bv, c.buf, r.buf, n);
        else
            fma32_vv(a.buf, b.buf, c.buf, r.buf, n);
    } else {
        if (scalar)
            fma64_vs(a.buf, bv, c.buf, r.buf, n);
        else
            fma64_vv(a.buf, b.buf, c.buf, r.buf, n);
    }
    Py_END_ALLOW_THREADS
    ok = 1;
done:
    PyBuffer_Release(&a);
    PyBuffer_Release(&c);
    PyBuffer_Release(&r);
    if (b.obj)
        PyBuffer_Release(&b);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* Reductions along the middle axis of a C-contiguous (outer, n, inner) array, n >= 1, into
   out (outer, inner): out = x[:, 0] then out op= x[:, k] for k = 1..n-1 (np.add.accumulate's
   order, each element converted to the accumulator's type first); a sum ends with + 0, which
   turns a -0 result into +0 as Torch7's `acc = 0; acc += x` does. Independent outputs may
   run side by side (the vectorizer does that across inner); each one's order is kept. */
#define REDUCE(NAME, SRC, ACC, OP)                                                           \
    CLONES static void                                                                       \
    NAME(const SRC *x, ACC *out, Py_ssize_t outer, Py_ssize_t n, Py_ssize_t inner, int sum)  \
    {                                                                                        \
        for (Py_ssize_t o = 0; o < outer; o++) {                                             \
            const SRC *xo = x + o * n * inner;                                               \
            ACC *y = out + o * inner;                                                        \
            if (inner == 1) {                                                                \
                ACC acc = (ACC)xo[0];                                                        \
                for (Py_ssize_t k = 1; k < n; k++)                                           \
                    acc = acc OP (ACC)xo[k];                                                 \
                y[0] = sum ? acc + (ACC)0 : acc;                                             \
                continue;                                                                    \
            }                                                                                \
            for (Py_ssize_t i = 0; i < inner; i++)                                           \
                y[i] = (ACC)xo[i];                                                           \
            for (Py_ssize_t k = 1; k < n; k++) {                                             \
                const SRC *xk = xo + k * inner;                                              \
                for (Py_ssize_t i = 0; i < inner; i++)                                       \
                    y[i] = y[i] OP (ACC)xk[i];                                               \
            }                                                                                \
            if (sum)                                                                         \
                for (Py_ssize_t i = 0; i < inner; i++)                                       \
                    y[i] = y[i] + (ACC)0;                                                    \
        }                                                                                    \
    }

REDUCE(sum_dd, double, double, +)
REDUCE(sum_fd, float, double, +)
REDUCE(sum_ff, float, float, +)
REDUCE(prod_dd, double, double, *)
REDUCE(prod_fd, float, double, *)
REDUCE(prod_ff, float, float, *)

/* reduce(x, out, outer, n, inner, src_single, acc_single, prod) */
static PyObject *
py_reduce(PyObject *self, PyObject *args)
{
    Py_buffer x, r;
    Py_ssize_t outer, n, inner;
    int ss, as, prod, ok = 0;
    if (!PyArg_ParseTuple(args, "y*w*nnnppp", &x, &r, &outer, &n, &inner, &ss, &as, &prod))
        return NULL;
    if (outer < 0 || n < 1 || inner < 0 || (ss == 0 && as == 1)) {
        PyErr_SetString(PyExc_ValueError, "reduce: bad shape or types");
        goto done;
    }
    if (!same_len(&x, outer * n * inner * (ss ? 4 : 8), "reduce x")
        || !same_len(&r, outer * inner * (as ? 4 : 8), "reduce out"))
        goto done;
    Py_BEGIN_ALLOW_THREADS
    if (!ss)
        (prod ? prod_dd : sum_dd)(x.buf, r.buf, outer, n, inner, !prod);
    else if (!as)
        (prod ? prod_fd : sum_fd)(x.buf, r.buf, outer, n, inner, !prod);
    else
        (prod ? prod_ff : sum_ff)(x.buf, r.buf, outer, n, inner, !prod);
    Py_END_ALLOW_THREADS
    ok = 1;
done:
    PyBuffer_Release(&x);
    PyBuffer_Release(&r);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* dot(x, y, single): s = 0; s = fma(y[i], x[i], s) for i = 0..n-1: OpenBLAS's short-vector
   tail of ddot/sdot as GCC contracts it. */
static PyObject *
py_dot(PyObject *self, PyObject *args)
{
    Py_buffer x, y;
    int single;
    double s = 0;
    if (!PyArg_ParseTuple(args, "y*y*p", &x, &y, &single))
        return NULL;
    if (!same_len(&y, x.len, "dot y")) {
        PyBuffer_Release(&x);
        PyBuffer_Release(&y);
        return NULL;
    }
    if (single) {
        const float *xf = x.buf, *yf = y.buf;
        float sf = 0;
        for (Py_ssize_t i = 0; i < x.len / 4; i++)
            sf = fmaf(yf[i], xf[i], sf);
        s = sf;
    } else {
        const double *xd = x.buf, *yd = y.buf;
        for (Py_ssize_t i = 0; i < x.len / 8; i++)
            s = fma(yd[i], xd[i], s);
    }
    PyBuffer_Release(&x);
    PyBuffer_Release(&y);
    return PyFloat_FromDouble(s);
}

static PyMethodDef methods[] = {
    {"fma", py_fma, METH_VARARGS, "fma(a, b, c, out, single): out = a*b + c, one rounding"},
    {"reduce", py_reduce, METH_VARARGS,
     "reduce(x, out, outer, n, inner, src_single, acc_single, prod): sequential sum/product"},
    {"dot", py_dot, METH_VARARGS, "dot(x, y, single): fused-multiply-add chain from zero"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_exact", "Torch7's rounding and order in C (see numerics.py)", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__exact(void)
{
    return PyModule_Create(&module);
}
