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

/* ---- FeatureLPPooling_updateOutput (_nnk.flp's loop) resumed from the last call: nn.Jacobian
   changes one input element between two forwards. pow(x, power) of an unchanged element and
   the output of a window that holds no changed element are the last call's values (each a pure
   function of the same bits); the rest is computed as _nnk.flp computes it: accreal v = 0,
   v += pow(x, power) over the window in order (stopping at the end), pow(v, 1 / power) in
   double, stored in real. x (B, F, R), y (B, oF, R), both C-contiguous. ---------------------- */
static struct {
    idx_t B, F, R, oF, width, stride, capx, capy;
    double power;
    int single, valid;
    char *x, *y;        /* the last call's input and output bits */
    double *xp;         /* pow(x, power) of the last call's input */
    unsigned char *dirty;
} flpm;

/* room for n inputs and ny outputs of either type (a double's size each) */
static int
flp_grow(idx_t n, idx_t ny)
{
    const idx_t z = sizeof(double);
    if (flpm.capx < n) {
        char *x = realloc(flpm.x, (size_t)(z * n));
        if (x) flpm.x = x;
        double *xp = realloc(flpm.xp, sizeof(double) * (size_t)n);
        if (xp) flpm.xp = xp;
        if (!x || !xp) return -1;
        flpm.capx = n;
    }
    if (flpm.capy < ny) {
        char *y = realloc(flpm.y, (size_t)(z * ny));
        if (y) flpm.y = y;
        unsigned char *d = realloc(flpm.dirty, (size_t)ny);
        if (d) flpm.dirty = d;
        if (!y || !d) return -1;
        flpm.capy = ny;
    }
    return 0;
}

#define FLP_RESUME(NAME, T)                                                                  \
    static void NAME(const T *x, T *y, int fresh)                                            \
    {                                                                                        \
        idx_t B = flpm.B, F = flpm.F, R = flpm.R, oF = flpm.oF;                              \
        idx_t width = flpm.width, stride = flpm.stride, n = B * F * R, ny = B * oF * R;      \
        double power = flpm.power, inv = (double)1 / power;                                  \
        T *mx = (T *)flpm.x, *my = (T *)flpm.y;                                              \
        double *xp = flpm.xp;                                                                \
        unsigned char *dirty = flpm.dirty;                                                   \
        memset(dirty, fresh, (size_t)ny);                                                    \
        const idx_t BLK = 256;                                                               \
        for (idx_t i0 = 0; i0 < n; i0 += BLK) {                                              \
            idx_t i1 = i0 + BLK < n ? i0 + BLK : n;                                          \
            if (!fresh && memcmp(x + i0, mx + i0, sizeof(T) * (size_t)(i1 - i0)) == 0)       \
                continue;                                                                    \
            for (idx_t i = i0; i < i1; i++) {                                                \
                if (!fresh && memcmp(x + i, mx + i, sizeof(T)) == 0) continue;               \
                mx[i] = x[i];                                                                \
                xp[i] = pow(x[i], power);                                                    \
                if (fresh) continue;                                                         \
                idx_t r = i % R, f = (i / R) % F, b = i / (R * F);                           \
                idx_t lo = f - width + 1 <= 0 ? 0 : (f - width + stride) / stride;           \
                idx_t hi = f / stride < oF - 1 ? f / stride : oF - 1;                        \
                for (idx_t o = lo; o <= hi; o++) dirty[(b * oF + o) * R + r] = 1;           \
            }                                                                                \
        }                                                                                    \
        for (idx_t b = 0; b < B; b++)                                                        \
            for (idx_t o = 0; o < oF; o++)                                                   \
                for (idx_t r = 0; r < R; r++) {                                              \
                    idx_t j = (b * oF + o) * R + r;                                          \
                    if (dirty[j]) {                                                          \
                        double v = 0;                                                        \
                        for (idx_t k = 0; k < width; k++) {                                  \
                            idx_t f = o * stride + k;                                        \
                            if (f >= F) break;                                               \
                            v += xp[(b * F + f) * R + r];                                    \
                        }                                                                    \
                        my[j] = (T)pow(v, inv);                                              \
                    }                                                                        \
                    y[j] = my[j];                                                            \
                }                                                                            \
    }
FLP_RESUME(flp_resume_d, double)
FLP_RESUME(flp_resume_f, float)

static PyObject *
py_flp_resume(PyObject *self, PyObject *args)
{
    PyObject *ox, *oy;
    idx_t B, F, R, oF, width, stride;
    double power;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnnnnndp", &ox, &oy, &B, &F, &R, &oF, &width, &stride,
                          &power, &single))
        return NULL;
    if (B < 0 || F < 1 || R < 0 || oF < 1 || width < 1 || stride < 1 || F < width) {
        PyErr_SetString(PyExc_ValueError, "_sn.flp_resume: bad geometry");
        return NULL;
    }
    idx_t z = single ? (idx_t)sizeof(float) : (idx_t)sizeof(double);
    idx_t n = B * F * R, ny = B * oF * R;
    bufs bs = {.n = 0};
    void *x = get_buffer(&bs, ox, z * n, 0, 1, "_sn.flp_resume");
    void *y = x ? get_buffer(&bs, oy, z * ny, 1, 1, "_sn.flp_resume") : NULL;
    if (!y) { release(&bs); return NULL; }
    /* the last call's values serve only the same geometry and power (its bits) */
    int fresh = !(flpm.valid && flpm.B == B && flpm.F == F && flpm.R == R && flpm.oF == oF
                  && flpm.width == width && flpm.stride == stride && flpm.single == single
                  && memcmp(&flpm.power, &power, sizeof(double)) == 0);
    if (fresh) {
        flpm.valid = 0;
        if (flp_grow(n, ny) < 0) { release(&bs); return PyErr_NoMemory(); }
        flpm.B = B; flpm.F = F; flpm.R = R; flpm.oF = oF; flpm.width = width;
        flpm.stride = stride; flpm.power = power; flpm.single = single;
    }
    if (n > 0 && ny > 0) {  /* under the GIL: the memo is one for the process */
        if (single) flp_resume_f(x, y, fresh);
        else flp_resume_d(x, y, fresh);
    }
    flpm.valid = 1;
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
    {"flp_resume", py_flp_resume, METH_VARARGS, "FeatureLPPooling's forward from the last "
     "call's values where the input is unchanged"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "_sn", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__sn(void)
{
    return PyModule_Create(&moduledef);
}
