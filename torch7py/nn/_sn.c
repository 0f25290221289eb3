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
#include <float.h>
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
                if (D > 49) {                                                                \
                    idx_t kk = D & (sizeof(T) == 8 ? -16 : -32), k = 0;                      \
                    for (; k < kk; k++) o[k] = FMA(val, lw[k], o[k]);                        \
                    for (; k < D; k++) o[k] += val * lw[k];                                  \
                } else                                                                       \
                    for (idx_t k = 0; k < D; k++) o[k] += lw[k] * val;                       \
            }                                                                                \
        }                                                                                    \
    }
SN_IL(il_hw_d, double, fma, SN_HW)
SN_IL(il_hw_f, float, fmaf, SN_HW)
SN_IL(il_sw_d, double, fma, )
SN_IL(il_sw_f, float, fmaf, )

/* IndexLinear's row updates past 49 outputs (updateParameters and accUpdateGradParameters:
   THBlas_(axpy), OpenBLAS's daxpy/saxpy): entry after entry, row rows[e] of w gets
   w[k] = fma(a[e], x[xi[e]][k], w[k]) for its first D & -16 (double) or D & -32 (float)
   weights (the micro-kernel) and w[k] += a[e] * x[xi[e]][k] (the C tail) for the rest; with
   `fused` (a build whose C loops GCC contracted: numerics.blas_loops) fma for all of them. */
#define SN_ROWS_AXPY(NAME, T, FMA, ATTR)                                                      \
    ATTR static void NAME(T *w, const long long *rows, const T *a, const T *x,                \
                          const long long *xi, idx_t E, idx_t D, idx_t ws, idx_t xs,           \
                          int fused)                                                         \
    {                                                                                        \
        for (idx_t e = 0; e < E; e++) {                                                      \
            T *lw = w + rows[e] * ws;                                                        \
            const T *lx = x + xi[e] * xs;                                                    \
            T ae = a[e];                                                                     \
            idx_t kk = fused ? D : D & (sizeof(T) == 8 ? -16 : -32), k = 0;                  \
            for (; k < kk; k++) lw[k] = FMA(ae, lx[k], lw[k]);                               \
            for (; k < D; k++) lw[k] += ae * lx[k];                                          \
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
#include "_vmaxpool_window.h"

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

/* rows_axpy(w, rows, a, x, xi, E, D, R, ws, X, xs, single[, fused]): w (R * ws reals from
   the first weight column used), rows (E int64, each below R), a (E), x (X * xs reals), xi (E
   int64, each below X) */
static PyObject *
py_rows_axpy(PyObject *self, PyObject *args)
{
    PyObject *ow, *orows, *oa, *ox, *oxi;
    idx_t E, D, R, ws, X, xs;
    int single, fused = 0;
    if (!PyArg_ParseTuple(args, "OOOOOnnnnnnp|p", &ow, &orows, &oa, &ox, &oxi, &E, &D, &R, &ws,
                          &X, &xs, &single, &fused))
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
        (h ? rows_axpy_hw_f : rows_axpy_sw_f)(w, rows, a, x, xi, E, D, ws, xs, fused);
    else
        (h ? rows_axpy_hw_d : rows_axpy_sw_d)(w, rows, a, x, xi, E, D, ws, xs, fused);
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

/* ---- VolumetricDilatedMaxPooling_updateOutput_frame (_nnk.vmaxpool's loop) resumed from the
   last call: an output whose window reads no changed input element keeps its value and index
   (a pure function of the bits it reads); the others run _nnk.vmaxpool's window loop as it is.
   An output (t, h, w) reads the product of one set of positions per axis: the sets come from
   the same start, shrink and dilation steps as the loop's. ---------------------------------- */
#define SN_THINF(T) ((T)(sizeof(T) == sizeof(float) ? FLT_MAX : DBL_MAX))

static struct {
    idx_t planes, S[3], O[3], K[3], D[3], P[3], L[3], capx, capy, capm;
    int single, valid;
    char *x, *y;              /* the last call's input and output bits */
    long long *ind;           /* its indices */
    unsigned char *dirty;     /* per output */
    unsigned char *reads;     /* per axis a, reads[off[a] + o * S[a] + s]: output o reads s */
    idx_t off[3];
} vmpm;

static int
vmp_grow(idx_t n, idx_t ny, idx_t nm)
{
    if (vmpm.capx < n) {
        char *x = realloc(vmpm.x, sizeof(double) * (size_t)n);
        if (!x) return -1;
        vmpm.x = x;
        vmpm.capx = n;
    }
    if (vmpm.capy < ny) {
        char *y = realloc(vmpm.y, sizeof(double) * (size_t)ny);
        if (y) vmpm.y = y;
        long long *ind = realloc(vmpm.ind, sizeof(long long) * (size_t)ny);
        if (ind) vmpm.ind = ind;
        unsigned char *d = realloc(vmpm.dirty, (size_t)ny);
        if (d) vmpm.dirty = d;
        if (!y || !ind || !d) return -1;
        vmpm.capy = ny;
    }
    if (vmpm.capm < nm) {
        unsigned char *r = realloc(vmpm.reads, (size_t)nm);
        if (!r) return -1;
        vmpm.reads = r;
        vmpm.capm = nm;
    }
    return 0;
}

/* the positions each output index reads along axis a, as the window loop steps */
static void
vmp_reads(int a)
{
    idx_t S = vmpm.S[a], O = vmpm.O[a], K = vmpm.K[a], D = vmpm.D[a], P = vmpm.P[a];
    idx_t L = vmpm.L[a];
    unsigned char *r = vmpm.reads + vmpm.off[a];
    memset(r, 0, (size_t)(O * S));
    for (idx_t o = 0; o < O; o++) {
        idx_t st = o * D - P;
        idx_t k = K < K + st ? K : K + st;
        while (st < 0) st += L;
        for (idx_t z = 0; z < k; z++) {
            idx_t t = st + z * L;
            if (t < S) r[o * S + t] = 1;
        }
    }
}

#define VMP_RESUME(NAME, T)                                                                  \
    static void NAME(const T *x, T *y, long long *ind, int fresh)                            \
    {                                                                                        \
        const idx_t *S = vmpm.S, *O = vmpm.O, *K = vmpm.K, *D = vmpm.D, *P = vmpm.P;         \
        const idx_t *L = vmpm.L;                                                             \
        idx_t iT = S[0], iH = S[1], iW = S[2], oT = O[0], oH = O[1], oW = O[2];              \
        idx_t isz = iT * iH * iW, osz = oT * oH * oW, n = vmpm.planes * isz;                 \
        T *mx_ = (T *)vmpm.x, *my_ = (T *)vmpm.y;                                            \
        long long *mi = vmpm.ind;                                                            \
        unsigned char *dirty = vmpm.dirty;                                                   \
        const unsigned char *rT = vmpm.reads + vmpm.off[0], *rH = vmpm.reads + vmpm.off[1];  \
        const unsigned char *rW = vmpm.reads + vmpm.off[2];                                  \
        memset(dirty, fresh, (size_t)(vmpm.planes * osz));                                   \
        const idx_t BLK = 256;                                                               \
        for (idx_t i0 = 0; i0 < n; i0 += BLK) {                                              \
            idx_t i1 = i0 + BLK < n ? i0 + BLK : n;                                          \
            if (!fresh && memcmp(x + i0, mx_ + i0, sizeof(T) * (size_t)(i1 - i0)) == 0)      \
                continue;                                                                    \
            for (idx_t e = i0; e < i1; e++) {                                                \
                if (!fresh && memcmp(x + e, mx_ + e, sizeof(T)) == 0) continue;              \
                mx_[e] = x[e];                                                               \
                if (fresh) continue;                                                         \
                idx_t pw = e % iW, ph = (e / iW) % iH, pt = (e / (iW * iH)) % iT;            \
                idx_t k = e / isz;                                                           \
                for (idx_t ti = 0; ti < oT; ti++) {                                          \
                    if (!rT[ti * iT + pt]) continue;                                         \
                    for (idx_t i = 0; i < oH; i++) {                                         \
                        if (!rH[i * iH + ph]) continue;                                      \
                        for (idx_t j = 0; j < oW; j++)                                       \
                            if (rW[j * iW + pw])                                             \
                                dirty[((k * oT + ti) * oH + i) * oW + j] = 1;                \
                    }                                                                        \
                }                                                                            \
            }                                                                                \
        }                                                                                    \
        for (idx_t k = 0; k < vmpm.planes; k++) {                                            \
            const T *ip0 = x + k * isz;                                                      \
            for (idx_t ti = 0; ti < oT; ti++)                                                \
            for (idx_t i = 0; i < oH; i++)                                                   \
            for (idx_t j = 0; j < oW; j++) {                                                 \
                idx_t o = ((k * oT + ti) * oH + i) * oW + j;                                 \
                if (!dirty[o]) {                                                             \
                    y[o] = my_[o];                                                           \
                    ind[o] = mi[o];                                                          \
                    continue;                                                                \
                }                                                                            \
                T maxval;                                                                    \
                int mz, my, mx;                                                              \
                VMAXPOOL_WINDOW(T, SN_THINF(T), ip0, iT, iH, iW, ti, i, j, K, D, P, L,       \
                                maxval, mz, my, mx);                                         \
                y[o] = my_[o] = maxval;                                                      \
                ind[o] = mi[o] = (long long)((unsigned)(mz & 255) | (unsigned)(my & 255) << 8\
                                             | (unsigned)(mx & 255) << 16);                  \
            }                                                                                \
        }                                                                                    \
    }
VMP_RESUME(vmp_resume_d, double)
VMP_RESUME(vmp_resume_f, float)

static PyObject *
py_vmaxpool_resume(PyObject *self, PyObject *args)
{
    PyObject *ox, *oy, *oi;
    idx_t planes, S[3], O[3], K[3], D[3], P[3], L[3];
    int single;
    if (!PyArg_ParseTuple(args, "OOOn(nnn)(nnn)(nnn)(nnn)(nnn)(nnn)p", &ox, &oy, &oi, &planes,
                          &S[0], &S[1], &S[2], &O[0], &O[1], &O[2], &K[0], &K[1], &K[2],
                          &D[0], &D[1], &D[2], &P[0], &P[1], &P[2], &L[0], &L[1], &L[2],
                          &single))
        return NULL;
    for (int a = 0; a < 3; a++)
        if (S[a] < 1 || O[a] < 1 || K[a] < 1 || D[a] < 1 || L[a] < 1 || P[a] < 0) {
            PyErr_SetString(PyExc_ValueError, "_sn.vmaxpool_resume: bad geometry");
            return NULL;
        }
    if (planes < 0) {
        PyErr_SetString(PyExc_ValueError, "_sn.vmaxpool_resume: bad geometry");
        return NULL;
    }
    idx_t z = single ? (idx_t)sizeof(float) : (idx_t)sizeof(double);
    idx_t isz = S[0] * S[1] * S[2], osz = O[0] * O[1] * O[2];
    bufs bs = {.n = 0};
    void *x = get_buffer(&bs, ox, z * planes * isz, 0, 1, "_sn.vmaxpool_resume");
    void *y = x ? get_buffer(&bs, oy, z * planes * osz, 1, 1, "_sn.vmaxpool_resume") : NULL;
    void *ind = y ? get_buffer(&bs, oi, 8 * planes * osz, 1, 1, "_sn.vmaxpool_resume") : NULL;
    if (!ind) { release(&bs); return NULL; }
    int fresh = !(vmpm.valid && vmpm.planes == planes && vmpm.single == single);
    for (int a = 0; a < 3 && !fresh; a++)
        fresh = vmpm.S[a] != S[a] || vmpm.O[a] != O[a] || vmpm.K[a] != K[a]
                || vmpm.D[a] != D[a] || vmpm.P[a] != P[a] || vmpm.L[a] != L[a];
    if (fresh) {
        vmpm.valid = 0;
        idx_t nm = O[0] * S[0] + O[1] * S[1] + O[2] * S[2];
        if (vmp_grow(planes * isz, planes * osz, nm) < 0) {
            release(&bs);
            return PyErr_NoMemory();
        }
        vmpm.planes = planes;
        vmpm.single = single;
        for (int a = 0; a < 3; a++) {
            vmpm.S[a] = S[a]; vmpm.O[a] = O[a]; vmpm.K[a] = K[a];
            vmpm.D[a] = D[a]; vmpm.P[a] = P[a]; vmpm.L[a] = L[a];
        }
        vmpm.off[0] = 0;
        vmpm.off[1] = O[0] * S[0];
        vmpm.off[2] = vmpm.off[1] + O[1] * S[1];
        for (int a = 0; a < 3; a++) vmp_reads(a);
    }
    if (planes > 0) {  /* under the GIL: the memo is one for the process */
        if (single) vmp_resume_f(x, y, ind, fresh);
        else vmp_resume_d(x, y, ind, fresh);
    }
    vmpm.valid = 1;
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
    {"flp_resume", py_flp_resume, METH_VARARGS, "FeatureLPPooling's forward from the last "
     "call's values where the input is unchanged"},
    {"vmaxpool_resume", py_vmaxpool_resume, METH_VARARGS, "VolumetricDilatedMaxPooling's "
     "forward from the last call's values where the windows read unchanged input"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "_sn", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__sn(void)
{
    return PyModule_Create(&moduledef);
}
