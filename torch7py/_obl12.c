/* torch7py._obl12: BLAS levels 1 and 2 (axpy, dot, gemv, ger) as Torch7's reference BLAS,
   OpenBLAS 0.3.21 (Debian's DYNAMIC_ARCH build, one thread), computes them with its Haswell
   or its SkylakeX kernel set (contract()): the same operations in the same order, so the same
   bits, on any CPU (C99's fma()/fmaf() where the kernels fuse; see _obl12_k.h). Arrays come
   through the buffer protocol as strided views; the BLAS arguments (m, n, lda, inc) are
   checked against each view's extent. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef __FAST_MATH__
#error "torch7py._obl12 must be built without -ffast-math: the bits depend on the order"
#endif
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

/* each kernel twice: for x86-64 CPUs with AVX2 and FMA (fma() one instruction) and for any
   CPU (libm's fma(), correctly rounded too: the same bits) */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_HW 1
#else
#define HAVE_HW 0
#endif

/* 0: the Haswell kernel set (its C loops unfused but dgemv_t_4.c's); 1: the SkylakeX set
   (AVX-512 micro-kernels for dot, dgemv_n, sgemv_n, sgemv_t; every C loop contracted as GCC
   does with -march=skylake-avx512: a product fused into the add that uses it). Set through
   torch7py.numerics.blas_loops, whose default ("fused") sets 1 when torch7py loads */
static int obl12_contract = 0;
#define CC obl12_contract
/* y + a*b as a C loop's `y += a * b` is compiled */
#define MADD(a, b, y) (CC ? FMA(a, b, y) : (y) + (FT)((a) * (b)))

#define FT double
#define FMA fma
#define DBL 1
#define ATTR
#define K(name) name##_d_sw
#include "_obl12_k.h"
#undef K
#undef ATTR
#if HAVE_HW
#define ATTR __attribute__((target("avx2,fma")))
#define K(name) name##_d_hw
#include "_obl12_k.h"
#undef K
#undef ATTR
#endif
#undef FT
#undef FMA
#undef DBL

#define FT float
#define FMA fmaf
#define DBL 0
#define ATTR
#define K(name) name##_s_sw
#include "_obl12_k.h"
#undef K
#undef ATTR
#if HAVE_HW
#define ATTR __attribute__((target("avx2,fma")))
#define K(name) name##_s_hw
#include "_obl12_k.h"
#undef K
#undef ATTR
#endif
#undef FT
#undef FMA
#undef DBL

typedef void (*axpy_d_t)(Py_ssize_t, double, const double *, Py_ssize_t, double *, Py_ssize_t);
typedef void (*axpy_s_t)(Py_ssize_t, float, const float *, Py_ssize_t, float *, Py_ssize_t);
typedef double (*dot_d_t)(Py_ssize_t, const double *, Py_ssize_t, const double *, Py_ssize_t);
typedef double (*dot_s_t)(Py_ssize_t, const float *, Py_ssize_t, const float *, Py_ssize_t);
typedef void (*gn_d_t)(Py_ssize_t, Py_ssize_t, double, const double *, Py_ssize_t,
                       const double *, Py_ssize_t, double *, Py_ssize_t, double *);
typedef void (*gn_s_t)(Py_ssize_t, Py_ssize_t, float, const float *, Py_ssize_t, const float *,
                       Py_ssize_t, float *, Py_ssize_t, float *);
typedef void (*gt_d_t)(Py_ssize_t, Py_ssize_t, double, const double *, Py_ssize_t,
                       const double *, Py_ssize_t, double *, Py_ssize_t, double *, double *);
typedef void (*gt_s_t)(Py_ssize_t, Py_ssize_t, float, const float *, Py_ssize_t, const float *,
                       Py_ssize_t, float *, Py_ssize_t, float *, float *);
typedef void (*ger_d_t)(Py_ssize_t, Py_ssize_t, double, const double *, Py_ssize_t,
                        const double *, Py_ssize_t, double *, Py_ssize_t, double *);
typedef void (*ger_s_t)(Py_ssize_t, Py_ssize_t, float, const float *, Py_ssize_t, const float *,
                        Py_ssize_t, float *, Py_ssize_t, float *);

static struct {
    axpy_d_t axpy_d;
    axpy_s_t axpy_s;
    dot_d_t dot_d;
    dot_s_t dot_s;
    gn_d_t gemv_n_d;
    gn_s_t gemv_n_s;
    gt_d_t gemv_t_d;
    gt_s_t gemv_t_s;
    ger_d_t ger_d;
    ger_s_t ger_s;
    int hw;
} KS;

static void
pick(int hw)
{
    KS.axpy_d = axpy_d_sw;
    KS.axpy_s = axpy_s_sw;
    KS.dot_d = dot_d_sw;
    KS.dot_s = dot_s_sw;
    KS.gemv_n_d = gemv_n_d_sw;
    KS.gemv_n_s = gemv_n_s_sw;
    KS.gemv_t_d = gemv_t_d_sw;
    KS.gemv_t_s = gemv_t_s_sw;
    KS.ger_d = ger_d_sw;
    KS.ger_s = ger_s_sw;
    KS.hw = 0;
#if HAVE_HW
    __builtin_cpu_init();
    if (hw && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        KS.axpy_d = axpy_d_hw;
        KS.axpy_s = axpy_s_hw;
        KS.dot_d = dot_d_hw;
        KS.dot_s = dot_s_hw;
        KS.gemv_n_d = gemv_n_d_hw;
        KS.gemv_n_s = gemv_n_s_hw;
        KS.gemv_t_d = gemv_t_d_hw;
        KS.gemv_t_s = gemv_t_s_hw;
        KS.ger_d = ger_d_hw;
        KS.ger_s = ger_s_hw;
        KS.hw = 1;
    }
#else
    (void)hw;
#endif
}

/* ---- buffers ---------------------------------------------------------------------------- */

/* 'd' or 'f' for a buffer of doubles or floats, else 0 */
static int
kind_of(const Py_buffer *b)
{
    const char *f = b->format ? b->format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    if (b->itemsize == 8 && strcmp(f, "d") == 0)
        return 'd';
    if (b->itemsize == 4 && strcmp(f, "f") == 0)
        return 'f';
    return 0;
}

/* the largest element offset a strided view reaches from its first element, or -1 for an
   empty view, a negative stride or strides that are not whole elements */
static Py_ssize_t
extent(const Py_buffer *b)
{
    Py_ssize_t e = 0;
    for (int d = 0; d < b->ndim; d++) {
        Py_ssize_t s = b->strides ? b->strides[d] : 0, n = b->shape[d];
        if (n == 0)
            return -1;
        if (n == 1)
            continue;
        if (s < 0 || s % b->itemsize)
            return -1;
        e += (n - 1) * (s / b->itemsize);
    }
    if (!b->strides && b->ndim)
        e = b->len / b->itemsize - 1;
    return e;
}

static int
take(PyObject *o, Py_buffer *b, int writable)
{
    if (PyObject_GetBuffer(o, b, PyBUF_STRIDES | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0))
        < 0)
        return -1;
    if (!kind_of(b)) {
        PyBuffer_Release(b);
        PyErr_SetString(PyExc_TypeError, "_obl12: float32 or float64 arrays expected");
        return -1;
    }
    return 0;
}

/* take() each of n objects, the last one writable where last_writable; on a failure the
   buffers taken are released */
static int
take_all(PyObject *const *objs, Py_buffer *bufs, int n, int last_writable)
{
    for (int i = 0; i < n; i++)
        if (take(objs[i], &bufs[i], last_writable && i == n - 1) < 0) {
            while (i-- > 0)
                PyBuffer_Release(&bufs[i]);
            return -1;
        }
    return 0;
}

static void
release_all(Py_buffer *bufs, int n)
{
    for (int i = 0; i < n; i++)
        PyBuffer_Release(&bufs[i]);
}

/* a vector of n elements from inc: reaches (n-1)*inc within the view */
static int
fits(const Py_buffer *b, Py_ssize_t need, const char *what)
{
    Py_ssize_t e = extent(b);
    if (need < 0 || e < need) {
        PyErr_Format(PyExc_ValueError, "_obl12: %s reaches element %zd of a view of %zd", what,
                     need, e + 1);
        return 0;
    }
    return 1;
}

/* a single element count for a 1-D view or a C-contiguous one (flat), with its stride */
static int
vec_of(const Py_buffer *b, Py_ssize_t *n, Py_ssize_t *inc)
{
    if (b->ndim == 0) {
        *n = 1;
        *inc = 1;
        return 0;
    }
    if (b->ndim == 1) {
        *n = b->shape[0];
        *inc = b->strides ? b->strides[0] / b->itemsize : 1;
        if (*n > 1 && (*inc < 1 || (b->strides && b->strides[0] % b->itemsize)))
            goto bad;
        if (*n <= 1)
            *inc = 1;
        return 0;
    }
    if (PyBuffer_IsContiguous(b, 'C')) {
        *n = b->len / b->itemsize;
        *inc = 1;
        return 0;
    }
bad:
    PyErr_SetString(PyExc_ValueError, "_obl12: a 1-D view of positive stride or a C-contiguous "
                    "array expected");
    return -1;
}

/* ---- functions -------------------------------------------------------------------------- */

/* axpy(alpha, x, y): y += alpha * x (daxpy_/saxpy_ with the views' strides; n == 1 takes unit
   strides as THBlas_(axpy) does; alpha == 0 returns at once, as interface/axpy.c) */
static PyObject *
py_axpy(PyObject *self, PyObject *args)
{
    double alpha;
    PyObject *ox, *oy;
    if (!PyArg_ParseTuple(args, "dOO", &alpha, &ox, &oy))
        return NULL;
    PyObject *objs[2] = {ox, oy};
    Py_buffer bufs[2], bx, by;
    if (take_all(objs, bufs, 2, 1) < 0)
        return NULL;
    bx = bufs[0];
    by = bufs[1];
    Py_ssize_t n, nx, incx, incy;
    int ok = vec_of(&bx, &nx, &incx) == 0 && vec_of(&by, &n, &incy) == 0;
    if (ok && (nx != n || kind_of(&bx) != kind_of(&by))) {
        PyErr_SetString(PyExc_ValueError, "_obl12.axpy: x and y of one type and length");
        ok = 0;
    }
    if (ok && n > 0) {
        if (n == 1)
            incx = incy = 1;
        Py_BEGIN_ALLOW_THREADS
        if (kind_of(&by) == 'd') {
            if (alpha != 0)
                KS.axpy_d(n, alpha, bx.buf, incx, by.buf, incy);
        } else {
            float a = (float)alpha;
            if (a != 0)
                KS.axpy_s(n, a, bx.buf, incx, by.buf, incy);
        }
        Py_END_ALLOW_THREADS
    }
    release_all(bufs, 2);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* dot(n, x, incx, y, incy): ddot_/sdot_ (THBlas_(dot)'s call: n == 1 takes unit strides),
   the result as the float TH's real holds */
static PyObject *
py_dot(PyObject *self, PyObject *args)
{
    Py_ssize_t n, incx, incy;
    PyObject *ox, *oy;
    if (!PyArg_ParseTuple(args, "nOnOn", &n, &ox, &incx, &oy, &incy))
        return NULL;
    PyObject *objs[2] = {ox, oy};
    Py_buffer bufs[2], bx, by;
    if (take_all(objs, bufs, 2, 0) < 0)
        return NULL;
    bx = bufs[0];
    by = bufs[1];
    double r = 0;
    if (n == 1)
        incx = incy = 1;
    int ok = kind_of(&bx) == kind_of(&by);
    if (!ok)
        PyErr_SetString(PyExc_TypeError, "_obl12.dot: x and y of one type");
    if (ok && n > 0 && (incx < 0 || incy < 0)) {
        PyErr_SetString(PyExc_ValueError, "_obl12.dot: negative increments");
        ok = 0;
    }
    if (ok && n > 0)  /* a zero increment reads one element n times, as OpenBLAS does */
        ok = fits(&bx, (n - 1) * incx, "x") && fits(&by, (n - 1) * incy, "y");
    if (ok && n > 0) {
        if (kind_of(&bx) == 'd')
            r = KS.dot_d(n, bx.buf, incx, by.buf, incy);
        else
            r = KS.dot_s(n, bx.buf, incx, by.buf, incy);
    }
    release_all(bufs, 2);
    if (!ok)
        return NULL;
    return PyFloat_FromDouble(r);
}

/* gemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy): dgemv_/sgemv_ (column-major a;
   'n': y = beta*y + alpha*a x, 't': y = beta*y + alpha*a^T x), interface/gemv.c's steps:
   y scaled by beta first unless beta is 1 (beta 0 writes zeros), nothing more when alpha
   is 0. */
static PyObject *
py_gemv(PyObject *self, PyObject *args)
{
    int trans;
    Py_ssize_t m, n, lda, incx, incy;
    double alpha, beta;
    PyObject *oa, *ox, *oy;
    if (!PyArg_ParseTuple(args, "CnndOnOndOn", &trans, &m, &n, &alpha, &oa, &lda, &ox, &incx,
                          &beta, &oy, &incy))
        return NULL;
    int t = trans == 't' || trans == 'T';
    if (!t && trans != 'n' && trans != 'N') {
        PyErr_SetString(PyExc_ValueError, "_obl12.gemv: trans is 'n' or 't'");
        return NULL;
    }
    if (m < 0 || n < 0 || lda < (m > 1 ? m : 1) || incx < 1 || incy < 1) {
        PyErr_SetString(PyExc_ValueError, "_obl12.gemv: bad sizes or strides");
        return NULL;
    }
    if (m == 0 || n == 0)
        Py_RETURN_NONE;
    PyObject *objs[3] = {oa, ox, oy};
    Py_buffer bufs[3], ba, bx, by;
    if (take_all(objs, bufs, 3, 1) < 0)
        return NULL;
    ba = bufs[0];
    bx = bufs[1];
    by = bufs[2];
    Py_ssize_t lenx = t ? m : n, leny = t ? n : m;
    int kind = kind_of(&by);
    int ok = kind_of(&ba) == kind && kind_of(&bx) == kind;
    if (!ok)
        PyErr_SetString(PyExc_TypeError, "_obl12.gemv: arrays of one type");
    ok = ok && fits(&ba, (m - 1) + (n - 1) * lda, "a") && fits(&bx, (lenx - 1) * incx, "x")
         && fits(&by, (leny - 1) * incy, "y");
    void *work = NULL;
    if (ok) {
        work = malloc(2 * 4096 * (size_t)by.itemsize);
        if (!work) {
            PyErr_NoMemory();
            ok = 0;
        }
    }
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        if (kind == 'd') {
            double *y = by.buf, b = beta;
            if (b != 1)
                for (Py_ssize_t i = 0; i < leny; i++)
                    y[i * incy] = b == 0 ? 0.0 : b * y[i * incy];
            if (alpha != 0) {
                if (t)
                    KS.gemv_t_d(m, n, alpha, ba.buf, lda, bx.buf, incx, y, incy, work,
                                (double *)work + 4096);
                else
                    KS.gemv_n_d(m, n, alpha, ba.buf, lda, bx.buf, incx, y, incy, work);
            }
        } else {
            float *y = by.buf, b = (float)beta, al = (float)alpha;
            if (b != 1)
                for (Py_ssize_t i = 0; i < leny; i++)
                    y[i * incy] = b == 0 ? 0.0f : b * y[i * incy];
            if (al != 0) {
                if (t)
                    KS.gemv_t_s(m, n, al, ba.buf, lda, bx.buf, incx, y, incy, work,
                                (float *)work + 4096);
                else
                    KS.gemv_n_s(m, n, al, ba.buf, lda, bx.buf, incx, y, incy, work);
            }
        }
        Py_END_ALLOW_THREADS
    }
    free(work);
    release_all(bufs, 3);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* ger(m, n, alpha, x, incx, y, incy, a, lda): dger_/sger_ (column-major a += alpha x y^T) */
static PyObject *
py_ger(PyObject *self, PyObject *args)
{
    Py_ssize_t m, n, incx, incy, lda;
    double alpha;
    PyObject *ox, *oy, *oa;
    if (!PyArg_ParseTuple(args, "nndOnOnOn", &m, &n, &alpha, &ox, &incx, &oy, &incy, &oa, &lda))
        return NULL;
    if (m < 0 || n < 0 || lda < (m > 1 ? m : 1) || incx < 1 || incy < 1) {
        PyErr_SetString(PyExc_ValueError, "_obl12.ger: bad sizes or strides");
        return NULL;
    }
    if (m == 0 || n == 0)
        Py_RETURN_NONE;
    PyObject *objs[3] = {ox, oy, oa};
    Py_buffer bufs[3], bx, by, ba;
    if (take_all(objs, bufs, 3, 1) < 0)
        return NULL;
    bx = bufs[0];
    by = bufs[1];
    ba = bufs[2];
    int kind = kind_of(&ba);
    int ok = kind_of(&bx) == kind && kind_of(&by) == kind;
    if (!ok)
        PyErr_SetString(PyExc_TypeError, "_obl12.ger: arrays of one type");
    ok = ok && fits(&ba, (m - 1) + (n - 1) * lda, "a") && fits(&bx, (m - 1) * incx, "x")
         && fits(&by, (n - 1) * incy, "y");
    void *work = NULL;
    if (ok && incx != 1) {
        work = malloc((size_t)m * (size_t)ba.itemsize);
        if (!work) {
            PyErr_NoMemory();
            ok = 0;
        }
    }
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        if (kind == 'd')
            KS.ger_d(m, n, alpha, bx.buf, incx, by.buf, incy, ba.buf, lda, work);
        else
            KS.ger_s(m, n, (float)alpha, bx.buf, incx, by.buf, incy, ba.buf, lda, work);
        Py_END_ALLOW_THREADS
    }
    free(work);
    release_all(bufs, 3);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* use_hw(flag): the AVX2+FMA kernels (where the CPU has them) or the portable ones; returns
   whether the hardware set is in use (tests compare the two) */
static PyObject *
py_use_hw(PyObject *self, PyObject *args)
{
    int hw;
    if (!PyArg_ParseTuple(args, "p", &hw))
        return NULL;
    pick(hw);
    return PyBool_FromLong(KS.hw);
}

/* contract(flag): the Haswell kernel set, C loops unfused (False), or the SkylakeX set, its
   micro-kernels and its C loops contracted to FMA (True); returns the previous setting */
static PyObject *
py_contract(PyObject *self, PyObject *args)
{
    int c;
    if (!PyArg_ParseTuple(args, "p", &c))
        return NULL;
    int old = obl12_contract;
    obl12_contract = c;
    return PyBool_FromLong(old);
}

static PyMethodDef methods[] = {
    {"contract", py_contract, METH_VARARGS, "contract(flag): the SkylakeX kernels (else Haswell)"},
    {"axpy", py_axpy, METH_VARARGS, "axpy(alpha, x, y): y += alpha*x as OpenBLAS's daxpy/saxpy"},
    {"dot", py_dot, METH_VARARGS, "dot(n, x, incx, y, incy) as OpenBLAS's ddot/sdot"},
    {"gemv", py_gemv, METH_VARARGS,
     "gemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy) as OpenBLAS's dgemv/sgemv"},
    {"ger", py_ger, METH_VARARGS,
     "ger(m, n, alpha, x, incx, y, incy, a, lda) as OpenBLAS's dger/sger"},
    {"use_hw", py_use_hw, METH_VARARGS, "use_hw(flag): pick the AVX2+FMA or portable kernels"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_obl12",
    "BLAS levels 1 and 2 in OpenBLAS 0.3.21's order (see numerics.py)", -1, methods,
};

PyMODINIT_FUNC
PyInit__obl12(void)
{
    pick(1);
    return PyModule_Create(&module);
}
