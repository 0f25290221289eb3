/* torch7py.nn._sn: loops of per-sample training (small nets fed one sample at a time, and a
   big Linear on a vector input) built for CPUs with AVX2 and FMA.

   ger1 is Linear's one-sample accGradParameters as BLAS ger runs it
   (gradWeight:addr(scale, gradOutput, input): row j of the row-major gradWeight gets an FMA
   axpy of g = scale*go[j], rounded once in real, times input; gradBias:add(scale, gradOutput)
   an FMA axpy, which with scale 1 or -1 equals the plain add or subtract), with fma() as the
   CPU's instruction: correctly rounded fused products in THNN's order, 4 (double) or 8
   (float) lanes wide, instead of a libm call per element (a 1000x1000 ger: 3.2 ms -> memory
   speed). On other CPUs it runs the same loops on libm's fma(). Built with -ffp-contract=off: no other operation is fused. The Python caller
   (torch7py/nn/linear.py) checks shapes and types and falls back to numpy. */
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

/* IndexLinear_updateOutput's sums (THNN IndexLinear.c), the values already normalized by the
   caller: per sample j, with one output `real val = 0; val += w[r] * v` over its entries, then
   out[j] = bias + val; with several, out[j] = bias, then per entry out[k] += w[r][k] * v (two
   roundings) up to 49 outputs, and beyond THBlas axpy, OpenBLAS's FMA kernel:
   out[k] = fma(v, w[r][k], out[k]). w holds row r's weights at w + r * ws (ws >= outDim). */
#define SN_IL(NAME, T, FMA, ATTR)                                                            \
    ATTR static void NAME(const long long *rows, const T *v, const long long *sizes,         \
                          const T *w, const T *b, T *out, idx_t B, idx_t D, idx_t ws)        \
    {                                                                                        \
        idx_t e = 0;                                                                         \
        for (idx_t j = 0; j < B; j++) {                                                      \
            T *o = out + j * D;                                                              \
            idx_t n = (idx_t)sizes[j];                                                       \
            if (D == 1) {                                                                    \
                T val = 0;                                                                   \
                for (idx_t i = 0; i < n; i++, e++) val += w[rows[e] * ws] * v[e];            \
                o[0] = b[0] + val;                                                           \
                continue;                                                                    \
            }                                                                                \
            for (idx_t k = 0; k < D; k++) o[k] = b[k];                                       \
            for (idx_t i = 0; i < n; i++, e++) {                                             \
                const T *lw = w + rows[e] * ws;                                              \
                T val = v[e];                                                                \
                if (D > 49)                                                                  \
                    for (idx_t k = 0; k < D; k++) o[k] = FMA(val, lw[k], o[k]);              \
                else                                                                         \
                    for (idx_t k = 0; k < D; k++) o[k] += lw[k] * val;                       \
            }                                                                                \
        }                                                                                    \
    }
SN_IL(il_hw_d, double, fma, SN_HW)
SN_IL(il_hw_f, float, fmaf, SN_HW)
SN_IL(il_sw_d, double, fma, )
SN_IL(il_sw_f, float, fmaf, )

/* IndexLinear's fused row updates (updateParameters and accUpdateGradParameters past 49
   outputs: THBlas axpy, OpenBLAS's FMA kernel): entry after entry, row rows[e] of w gets
   w[k] = fma(a[e], x[xi[e]][k], w[k]) for its D weights. */
#define SN_ROWS_AXPY(NAME, T, FMA, ATTR)                                                      \
    ATTR static void NAME(T *w, const long long *rows, const T *a, const T *x,                \
                          const long long *xi, idx_t E, idx_t D, idx_t ws, idx_t xs)           \
    {                                                                                        \
        for (idx_t e = 0; e < E; e++) {                                                      \
            T *lw = w + rows[e] * ws;                                                        \
            const T *lx = x + xi[e] * xs;                                                    \
            T ae = a[e];                                                                     \
            for (idx_t k = 0; k < D; k++) lw[k] = FMA(ae, lx[k], lw[k]);                     \
        }                                                                                    \
    }
SN_ROWS_AXPY(rows_axpy_hw_d, double, fma, SN_HW)
SN_ROWS_AXPY(rows_axpy_hw_f, float, fmaf, SN_HW)
SN_ROWS_AXPY(rows_axpy_sw_d, double, fma, )
SN_ROWS_AXPY(rows_axpy_sw_f, float, fmaf, )

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

/* il_fwd(rows, v, sizes, w, bias, out, B, E, D, R, ws, single): rows (E int64, 0-based, each
   below R), v (E), sizes (B int64, summing to E), w (R * ws reals from the first weight column
   used), bias (D), out (B * D) */
static PyObject *
py_il_fwd(PyObject *self, PyObject *args)
{
    PyObject *orows, *ov, *osz, *ow, *ob, *oout;
    idx_t B, E, D, R, ws;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOOnnnnnp", &orows, &ov, &osz, &ow, &ob, &oout, &B, &E,
                          &D, &R, &ws, &single))
        return NULL;
    if (B < 0 || E < 0 || D < 1 || R < 0 || ws < D) {
        PyErr_SetString(PyExc_ValueError, "_sn.il_fwd: bad sizes");
        return NULL;
    }
    idx_t z = single ? (idx_t)sizeof(float) : (idx_t)sizeof(double);
    bufs bs = {.n = 0};
    const long long *rows = get_buffer(&bs, orows, 8 * E, 0, 1, "_sn");
    void *v = rows ? get(&bs, ov, z * E, 0) : NULL;
    const long long *sizes = v ? get_buffer(&bs, osz, 8 * B, 0, 1, "_sn") : NULL;
    /* the last row needs only D of its ws reals (w may be a view ending there) */
    void *w = sizes ? get_buffer(&bs, ow, R ? z * ((R - 1) * ws + D) : 0, 0, 0, "_sn") : NULL;
    void *b = w ? get(&bs, ob, z * D, 0) : NULL;
    void *out = b ? get(&bs, oout, z * B * D, 1) : NULL;
    if (!out) { release(&bs); return NULL; }
    idx_t tot = 0;
    for (idx_t j = 0; j < B; j++) tot += sizes[j] < 0 ? E + 1 : (idx_t)sizes[j];
    int bad = tot != E;
    for (idx_t e = 0; e < E && !bad; e++) bad = rows[e] < 0 || rows[e] >= R;
    if (bad) {
        release(&bs);
        PyErr_SetString(PyExc_IndexError, "_sn.il_fwd: rows or sizes out of range");
        return NULL;
    }
    int h = hw();
    if (single)
        (h ? il_hw_f : il_sw_f)(rows, v, sizes, w, b, out, B, D, ws);
    else
        (h ? il_hw_d : il_sw_d)(rows, v, sizes, w, b, out, B, D, ws);
    release(&bs);
    Py_RETURN_NONE;
}

/* rows_axpy(w, rows, a, x, xi, E, D, R, ws, X, xs, single): w (R * ws reals from the first
   weight column used), rows (E int64, each below R), a (E), x (X * xs reals), xi (E int64,
   each below X) */
static PyObject *
py_rows_axpy(PyObject *self, PyObject *args)
{
    PyObject *ow, *orows, *oa, *ox, *oxi;
    idx_t E, D, R, ws, X, xs;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOnnnnnnp", &ow, &orows, &oa, &ox, &oxi, &E, &D, &R, &ws,
                          &X, &xs, &single))
        return NULL;
    if (E < 0 || D < 1 || R < 0 || ws < D || X < 0 || xs < D) {
        PyErr_SetString(PyExc_ValueError, "_sn.rows_axpy: bad sizes");
        return NULL;
    }
    idx_t z = single ? (idx_t)sizeof(float) : (idx_t)sizeof(double);
    bufs bs = {.n = 0};
    void *w = get_buffer(&bs, ow, R ? z * ((R - 1) * ws + D) : 0, 1, 0, "_sn");
    const long long *rows = w ? get_buffer(&bs, orows, 8 * E, 0, 1, "_sn") : NULL;
    void *a = rows ? get(&bs, oa, z * E, 0) : NULL;
    void *x = a ? get_buffer(&bs, ox, X ? z * ((X - 1) * xs + D) : 0, 0, 0, "_sn") : NULL;
    const long long *xi = x ? get_buffer(&bs, oxi, 8 * E, 0, 1, "_sn") : NULL;
    if (!xi) { release(&bs); return NULL; }
    int bad = 0;
    for (idx_t e = 0; e < E && !bad; e++)
        bad = rows[e] < 0 || rows[e] >= R || xi[e] < 0 || xi[e] >= X;
    if (bad) {
        release(&bs);
        PyErr_SetString(PyExc_IndexError, "_sn.rows_axpy: rows out of range");
        return NULL;
    }
    int h = hw();
    if (single)
        (h ? rows_axpy_hw_f : rows_axpy_sw_f)(w, rows, a, x, xi, E, D, ws, xs);
    else
        (h ? rows_axpy_hw_d : rows_axpy_sw_d)(w, rows, a, x, xi, E, D, ws, xs);
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
    {"il_fwd", py_il_fwd, METH_VARARGS, "IndexLinear's forward sums (FMA axpy past 49 outputs)"},
    {"rows_axpy", py_rows_axpy, METH_VARARGS, "IndexLinear's fused row updates"},
    {"hw", py_hw, METH_NOARGS, "whether the loops run on the CPU's FMA instruction"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "_sn", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__sn(void)
{
    return PyModule_Create(&moduledef);
}
