/* torch7py.nn._sn: loops of per-sample training (small nets fed one sample at a time, and a
   big Linear on a vector input) built for CPUs with AVX2 and FMA.

   ger1 is _nnk.linear_acc1, Linear's one-sample accGradParameters as BLAS ger runs it
   (gradWeight:addr(scale, gradOutput, input): row j of the row-major gradWeight gets an FMA
   axpy of g = scale*go[j], rounded once in real, times input; gradBias:add(scale, gradOutput)
   an FMA axpy), with fma() as the CPU's instruction: the same correctly rounded fused products
   in the same order, 4 (double) or 8 (float) lanes wide, instead of a libm call per element
   (a 1000x1000 ger: 3.2 ms -> memory speed). On other CPUs it runs the same loops on libm's
   fma(). Built with -ffp-contract=off: no other operation is fused. The Python caller
   (torch7py/nn/linear.py) checks shapes and types and falls back to _nnk or numpy. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

typedef Py_ssize_t idx_t;

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define SN_HW_OK 1
#define SN_HW __attribute__((target("avx2,fma")))
#else
#define SN_HW_OK 0
#define SN_HW
#endif

#define SN_GER(NAME, T, FMA, ATTR)                                                           \
    ATTR static void NAME(const T *go, const T *x, T *gw, T *gb, idx_t n, idx_t m, T s)     \
    {                                                                                        \
        for (idx_t j = 0; j < n; j++) {                                                      \
            T g = s == (T)1 ? go[j] : go[j] * s;                                             \
            T *r = gw + j * m;                                                               \
            for (idx_t i = 0; i < m; i++) r[i] = FMA(g, x[i], r[i]);                         \
        }                                                                                    \
        if (gb)                                                                              \
            for (idx_t j = 0; j < n; j++) gb[j] = FMA(go[j], s, gb[j]);                      \
    }
SN_GER(ger_hw_d, double, fma, SN_HW)
SN_GER(ger_hw_f, float, fmaf, SN_HW)
SN_GER(ger_sw_d, double, fma, )
SN_GER(ger_sw_f, float, fmaf, )

static int
hw(void)
{
#if SN_HW_OK
    static int ok = -1;
    if (ok < 0) {
        __builtin_cpu_init();
        ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return ok;
#else
    return 0;
#endif
}

#include "_cbufs.h"

static void *
get(bufs *bs, PyObject *o, idx_t need, int writable)
{
    return get_buffer(bs, o, need, writable, 1, "_sn");
}

/* ger1(go, x, gw, gb, n, m, scale, single): gb may be None */
static PyObject *
py_ger1(PyObject *self, PyObject *args)
{
    PyObject *ogo, *ox, *ogw, *ogb;
    idx_t n, m;
    double s;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOnndp", &ogo, &ox, &ogw, &ogb, &n, &m, &s, &single))
        return NULL;
    if (n < 0 || m < 0) {
        PyErr_SetString(PyExc_ValueError, "_sn.ger1: negative size");
        return NULL;
    }
    idx_t z = single ? (idx_t)sizeof(float) : (idx_t)sizeof(double);
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, z * n, 0);
    void *x = go ? get(&bs, ox, z * m, 0) : NULL;
    void *gw = x ? get(&bs, ogw, z * n * m, 1) : NULL;
    void *gb = NULL;
    if (gw && ogb != Py_None) gb = get(&bs, ogb, z * n, 1);
    if (!gw || (ogb != Py_None && !gb)) { release(&bs); return NULL; }
    int h = hw();
    if (single)
        (h ? ger_hw_f : ger_sw_f)(go, x, gw, gb, n, m, (float)s);
    else
        (h ? ger_hw_d : ger_sw_d)(go, x, gw, gb, n, m, s);
    release(&bs);
    Py_RETURN_NONE;
}

static PyObject *
py_hw(PyObject *self, PyObject *args)
{
    return PyBool_FromLong(hw());
}

static PyMethodDef methods[] = {
    {"ger1", py_ger1, METH_VARARGS, "Linear's one-sample ger and bias axpy (FMA instruction)"},
    {"hw", py_hw, METH_NOARGS, "whether the loops run on the CPU's FMA instruction"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "_sn", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__sn(void)
{
    return PyModule_Create(&moduledef);
}
