/* torch7py._exact: the loops of torch7py/numerics.py in C, bit-identical with its numpy code.

   fma() is C99's fused multiply-add (one rounding: what Torch7's OpenBLAS axpy and TH's AVX2
   cadd kernels compute); sums and products run one element after the other in the order
   numerics.py uses. Built with -ffp-contract=off and without -ffast-math, so that the compiler
   neither fuses other expressions nor reorders the sums. Buffers come through the buffer
   protocol (C-contiguous); numerics.py checks types and shapes before calling. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

/* Every kernel exists twice: built for x86-64 CPUs with AVX2 and FMA (fma() is then one
   instruction and the elementwise loops run 4 lanes wide) and for any CPU (libm's fma(),
   correctly rounded too); the module picks one set when it loads. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_HW 1
#define HW __attribute__((target("avx2,fma")))
#else
#define HAVE_HW 0
#define HW
#endif

#define FMA_KERNEL(NAME, T, BT, BI, FMA, ATTR)                                               \
    ATTR static void                                                                         \
    NAME(const T *a, BT b, const T *c, T *r, Py_ssize_t n)                                   \
    {                                                                                        \
        for (Py_ssize_t i = 0; i < n; i++)                                                   \
            r[i] = FMA(a[i], BI, c[i]);                                                      \
    }

#define FMA_KERNELS(SFX, ATTR)                                                               \
    FMA_KERNEL(fma64_vv##SFX, double, const double *, b[i], fma, ATTR)                       \
    FMA_KERNEL(fma64_vs##SFX, double, double, b, fma, ATTR)                                  \
    FMA_KERNEL(fma32_vv##SFX, float, const float *, b[i], fmaf, ATTR)                        \
    FMA_KERNEL(fma32_vs##SFX, float, float, b, fmaf, ATTR)

FMA_KERNELS(_sw, )
#if HAVE_HW
FMA_KERNELS(_hw, HW)
#endif

/* Reductions along the middle axis of a C-contiguous (outer, n, inner) array, n >= 1, into
   out (outer, inner): out = x[:, 0] then out op= x[:, k] for k = 1..n-1 (np.add.accumulate's
   order, each element converted to the accumulator's type first); a sum ends with + 0, which
   turns a -0 result into +0 as Torch7's `acc = 0; acc += x` does. Independent outputs may
   run side by side (the vectorizer does that across inner); each one's order is kept. */
#define REDUCE(NAME, SRC, ACC, OP, ATTR)                                                       \
    ATTR static void                                                                         \
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

#define REDUCE_KERNELS(SFX, ATTR)                                                            \
    REDUCE(sum_dd##SFX, double, double, +, ATTR)                                             \
    REDUCE(sum_fd##SFX, float, double, +, ATTR)                                              \
    REDUCE(sum_ff##SFX, float, float, +, ATTR)                                               \
    REDUCE(prod_dd##SFX, double, double, *, ATTR)                                            \
    REDUCE(prod_fd##SFX, float, double, *, ATTR)                                             \
    REDUCE(prod_ff##SFX, float, float, *, ATTR)

REDUCE_KERNELS(_sw, )
#if HAVE_HW
REDUCE_KERNELS(_hw, HW)
#endif

typedef void (*fma64_vv_t)(const double *, const double *, const double *, double *,
                           Py_ssize_t);
typedef void (*fma64_vs_t)(const double *, double, const double *, double *, Py_ssize_t);
typedef void (*fma32_vv_t)(const float *, const float *, const float *, float *, Py_ssize_t);
typedef void (*fma32_vs_t)(const float *, float, const float *, float *, Py_ssize_t);
typedef void (*red_dd_t)(const double *, double *, Py_ssize_t, Py_ssize_t, Py_ssize_t, int);
typedef void (*red_fd_t)(const float *, double *, Py_ssize_t, Py_ssize_t, Py_ssize_t, int);
typedef void (*red_ff_t)(const float *, float *, Py_ssize_t, Py_ssize_t, Py_ssize_t, int);

/* the kernel set in use: _sw until the module's init finds AVX2 and FMA */
static struct {
    fma64_vv_t fma64_vv;
    fma64_vs_t fma64_vs;
    fma32_vv_t fma32_vv;
    fma32_vs_t fma32_vs;
    red_dd_t sum_dd, prod_dd;
    red_fd_t sum_fd, prod_fd;
    red_ff_t sum_ff, prod_ff;
} K = {fma64_vv_sw, fma64_vs_sw, fma32_vv_sw, fma32_vs_sw, sum_dd_sw, prod_dd_sw,
       sum_fd_sw, prod_fd_sw, sum_ff_sw, prod_ff_sw};
static int hw_kernels = 0;

static int
cpu_has_hw(void)
{
#if HAVE_HW
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

static void
pick_kernels(int hw)
{
    K.fma64_vv = fma64_vv_sw;
    K.fma64_vs = fma64_vs_sw;
    K.fma32_vv = fma32_vv_sw;
    K.fma32_vs = fma32_vs_sw;
    K.sum_dd = sum_dd_sw;
    K.prod_dd = prod_dd_sw;
    K.sum_fd = sum_fd_sw;
    K.prod_fd = prod_fd_sw;
    K.sum_ff = sum_ff_sw;
    K.prod_ff = prod_ff_sw;
    hw_kernels = 0;
#if HAVE_HW
    if (hw && cpu_has_hw()) {
        K.fma64_vv = fma64_vv_hw;
        K.fma64_vs = fma64_vs_hw;
        K.fma32_vv = fma32_vv_hw;
        K.fma32_vs = fma32_vs_hw;
        K.sum_dd = sum_dd_hw;
        K.prod_dd = prod_dd_hw;
        K.sum_fd = sum_fd_hw;
        K.prod_fd = prod_fd_hw;
        K.sum_ff = sum_ff_hw;
        K.prod_ff = prod_ff_hw;
        hw_kernels = 1;
    }
#endif
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
            K.fma32_vs(a.buf, (float)bv, c.buf, r.buf, n);
        else
            K.fma32_vv(a.buf, b.buf, c.buf, r.buf, n);
    } else {
        if (scalar)
            K.fma64_vs(a.buf, bv, c.buf, r.buf, n);
        else
            K.fma64_vv(a.buf, b.buf, c.buf, r.buf, n);
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
        (prod ? K.prod_dd : K.sum_dd)(x.buf, r.buf, outer, n, inner, !prod);
    else if (!as)
        (prod ? K.prod_fd : K.sum_fd)(x.buf, r.buf, outer, n, inner, !prod);
    else
        (prod ? K.prod_ff : K.sum_ff)(x.buf, r.buf, outer, n, inner, !prod);
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

static PyObject *
py_use_hardware(PyObject *self, PyObject *args)
{
    int hw;
    if (!PyArg_ParseTuple(args, "p", &hw))
        return NULL;
    pick_kernels(hw);
    return PyBool_FromLong(hw_kernels);
}

static PyMethodDef methods[] = {
    {"fma", py_fma, METH_VARARGS, "fma(a, b, c, out, single): out = a*b + c, one rounding"},
    {"reduce", py_reduce, METH_VARARGS,
     "reduce(x, out, outer, n, inner, src_single, acc_single, prod): sequential sum/product"},
    {"dot", py_dot, METH_VARARGS, "dot(x, y, single): fused-multiply-add chain from zero"},
    {"use_hardware", py_use_hardware, METH_VARARGS,
     "use_hardware(flag): the AVX2+FMA kernels (when the CPU has them) or the portable ones; "
     "returns whether the AVX2+FMA ones are in use (tests run both sets)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_exact", "Torch7's rounding and order in C (see numerics.py)", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__exact(void)
{
    pick_kernels(1);
    return PyModule_Create(&module);
}
