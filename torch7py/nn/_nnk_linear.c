/* _nnk_linear.c, part of torch7py.nn._nnk (see _nnk.c): Linear: the batch gradBias and
   gradWeight (gemm with beta = 1), the one-sample forward's gemv tail; the streaming zero of
   large gradients. */
#include "_nnk.h"

/* Which OpenBLAS 0.3.21 kernel set the gemv orders below follow (numerics.blas_loops, through
   linear_blas): 1 its SkylakeX build ("fused", the default), 0 its Haswell build ("plain") */
static int linear_skx = 1;

PyObject *
py_linear_blas(PyObject *self, PyObject *args)
{
    int skx;
    if (!PyArg_ParseTuple(args, "p", &skx))
        return NULL;
    int old = linear_skx;
    linear_skx = skx;
    return PyBool_FromLong(old);
}

/* Linear's batch gradBias, gb += go2^T ones (go2: n rows of m), in the orders Linear.py's
   numpy code follows (linear._bias_acc): double in OpenBLAS dgemv_n's order (the columns below
   m & -4 get, per group of four rows, (r0 + r2) + (r1 + r3) added in group order (SkylakeX:
   ((r0 + r1) + r2) + r3, its micro-kernel's contracted sum with x = 1), then a pair, then a
   last row; the m & 3 last columns a sequential sum from zero, added once); float in sgemv_n's
   order (below). */
static void
linear_gb_d(const double *go, double *gb, idx_t n, idx_t m)
{
    idx_t m4 = m & -4, n4 = n & -4, j;
    for (j = 0; j < n4; j += 4) {
        const double *r0 = go + j * m, *r1 = r0 + m, *r2 = r1 + m, *r3 = r2 + m;
        if (linear_skx) {
            for (idx_t i = 0; i < m4; i++) {
                double s = r0[i] + r1[i];
                s = s + r2[i];
                gb[i] = gb[i] + (s + r3[i]);
            }
            continue;
        }
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

/* One group of `cols` (8 or 4) columns c of sgemv_n's order for rows b0..e: rows below p keep
   two accumulators (even and odd columns), the others one chain; each sum from +0 added to gb */
static inline void
linear_gb_f_group(const float *c, float *gb, idx_t m, idx_t b0, idx_t p, idx_t e, int cols)
{
    for (idx_t i = b0; i < p; i++) {
        float a4 = 0.0f + c[i], a5 = 0.0f + c[m + i];
        for (int k = 2; k < cols; k += 2) {
            a4 = a4 + c[k * m + i];
            a5 = a5 + c[(k + 1) * m + i];
        }
        gb[i] = (a4 + a5) + gb[i];
    }
    for (idx_t i = p; i < e; i++) {
        float a = 0.0f + c[i];
        for (int k = 1; k < cols; k++)
            a = a + c[k * m + i];
        gb[i] = gb[i] + a;
    }
}

static void
linear_gb_f(const float *go, float *gb, float *tmp, idx_t n, idx_t m)
{
    /* OpenBLAS 0.3.21's sgemv_n (Haswell) with x = ones and alpha = 1 (torch7py._obl12's
       gemv 'n'), column group by column group over rows in 4096-row blocks: per group of
       eight columns (then four, two, one) each row's sum from +0 added to gb. The micro-
       kernel's first rows of a block (nb & 4, then 8 if what is left has 8) keep two
       accumulators (even and odd columns); the other rows one chain. */
    (void)tmp;
    if (linear_skx && m <= 16384 && n <= 48 && n != 4) {
        /* SkylakeX's sgemv_kernel_n_128: every row's sum from +0 over the n columns, added */
        for (idx_t i = 0; i < m; i++) {
            float s = 0.0f;
            for (idx_t r = 0; r < n; r++)
                s = s + go[r * m + i];
            gb[i] = gb[i] + s;
        }
        return;
    }
    idx_t m4 = m & -4;
    for (idx_t b0 = 0; b0 < m4; b0 += 4096) {
        idx_t nb = m4 - b0 < 4096 ? m4 - b0 : 4096, pre = nb & 4, j = 0;
        pre += (nb - pre) & 8;
        idx_t e = b0 + nb, p = b0 + pre;
        for (; j + 8 <= n; j += 8)
            linear_gb_f_group(go + j * m, gb, m, b0, p, e, 8);
        if (n & 4) {
            linear_gb_f_group(go + j * m, gb, m, b0, p, e, 4);
            j += 4;
        }
        if (n & 2) {  /* SkylakeX: sgemv_kernel_n_64, a sum from +0 added */
            const float *c = go + j * m;
            for (idx_t i = b0; i < e; i++)
                gb[i] = linear_skx ? gb[i] + ((0.0f + c[i]) + c[m + i]) : (gb[i] + c[i]) + c[m + i];
            j += 2;
        }
        if (n & 1) {
            const float *c = go + j * m;
            for (idx_t i = b0; i < e; i++)
                gb[i] = gb[i] + (linear_skx ? 0.0f + c[i] : c[i]);
        }
    }
    for (idx_t i = m4; i < m; i++) {  /* the last m & 3 rows: C loops, a sum from 0 added */
        float s = 0;
        for (idx_t r = 0; r < n; r++)
            s += go[r * m + i];
        gb[i] = gb[i] + s;
    }
}

PyObject *
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

PyObject *
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

/* Linear's one-sample forward for 1 to 3 inputs: output:copy(bias); output:addmv(1, weight,
   input) where OpenBLAS's gemv_t runs its scalar tail, `y[j] += a0*x0 + a1*x1 + a2*x2` as GCC
   contracts it (numerics.gemv_t_tail): fma(a2, x2, fma(a0, x0, a1*x1)), and for one input
   fma(a0, x0, y) (Haswell's float tail unfused: ((a0*x0 + a1*x1) + a2*x2), each product
   rounded). b may be absent (y starts from zero). The SkylakeX build's float gemv_t
   takes these packed matrices to its AVX-512 kernels instead (torch7py._obl12's gt_skx, alpha
   1): two inputs fma(a1, x1, a0*x0) for the outputs below n & -16, a0*x0 + a1*x1 after; three
   fma(a2, x2, fma(a1, x1, a0*x0)) below n & -8, then the tail's form below n & -4, then pairs
   (a0*x0 + a1*x1) + (a2*x2 + 0), then a last one as the tail. */
#define LINEAR_FWD_TAIL(NAME, T, FMA, SKX, FUSE)                                              \
    static void NAME(const T *w, const T *x, const T *b, T *y, idx_t n, idx_t m)            \
    {                                                                                        \
        for (idx_t j = 0; j < n; j++) {                                                      \
            const T *a = w + j * m;                                                          \
            T acc = b ? b[j] : (T)0;                                                         \
            if (!(FUSE)) { /* Haswell's float tail: not contracted */                         \
                T t = a[0] * x[0];                                                           \
                for (idx_t i = 1; i < m; i++) t = t + (T)(a[i] * x[i]);                      \
                y[j] = acc + t;                                                              \
                continue;                                                                    \
            }                                                                                \
            if (m == 1) { y[j] = FMA(a[0], x[0], acc); continue; }                           \
            T t;                                                                             \
            if (SKX && m == 2) {                                                             \
                t = j < (n & -16) ? FMA(a[1], x[1], a[0] * x[0])                             \
                                  : (T)(a[0] * x[0]) + (T)(a[1] * x[1]);                     \
            } else if (SKX && j < (n & -8)) {                                                \
                t = FMA(a[2], x[2], FMA(a[1], x[1], a[0] * x[0]));                           \
            } else if (SKX && j >= (n & -4) && j < (n & -2)) {                               \
                T p0 = a[0] * x[0], p1 = a[1] * x[1], p2 = a[2] * x[2];                      \
                t = (p0 + p1) + (p2 + (T)0);                                                 \
            } else {                                                                         \
                t = FMA(a[0], x[0], a[1] * x[1]);                                            \
                if (m == 3) t = FMA(a[2], x[2], t);                                          \
            }                                                                                \
            y[j] = acc + t;                                                                  \
        }                                                                                    \
    }
LINEAR_FWD_TAIL(linear_fwd_tail_d, double, fma, 0, 1)
LINEAR_FWD_TAIL(linear_fwd_tail_f, float, fmaf, (linear_skx && n <= 16384), linear_skx)

PyObject *
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

/* ---- Linear's batch accGradParameters (issue 16) ------------------------------------------
   gradWeight:addmm(scale, gradOutput:t(), input) as one BLAS call with beta = 1 into the
   row-major gradWeight (numpy's own cblas gemm, set by set_gemm: the call numpy's matmul of
   gradOutput.T and input makes, accumulating), then gradBias (scale 1) in linear_gb's order:
   one Python call for the layer's parameter gradients, no temporaries. */
PyObject *
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

/* ---- Linear's batch forward and backward in one call each (issue 16) ----------------------
   The products are the calls numpy's matmul makes for dense row-major matrices of at least
   two rows and two columns (cblas gemm, alpha 1, beta 0: input * weight^T, gradOutput *
   weight) in numpy's own BLAS (set_gemm); linear.py runs these only after a check that they
   give its numpy code's bits. Between the big products of a training step no Python runs: each
   Python step there starts from a cache the product has just flushed. */

/* output:addmm(0, output, 1, input, weight:t()), then output:addr(1, addBuffer, bias): the
   outer product with the ones vector is exact, so each element gets one add of its bias
   (add_bias's loop); b may be absent */
#define LINEAR_BIAS(NAME, T)                                                                 \
    static void NAME(T *y, const T *b, idx_t n, idx_t o)                                     \
    {                                                                                        \
        for (idx_t r = 0; r < n; r++) {                                                      \
            T *p = y + r * o;                                                                \
            for (idx_t c = 0; c < o; c++) p[c] = p[c] + b[c];                                \
        }                                                                                    \
    }
LINEAR_BIAS(linear_bias_d, double)
LINEAR_BIAS(linear_bias_f, float)

/* the same add, each sum then through the Threshold's forward into r (thresh's loop, not in
   place: r = y > th ? y : val) while it is in a register: one pass over the output instead of
   two, the same operations on each element */
#define LINEAR_BIAS_THRESH(NAME, T)                                                          \
    static void NAME(T *y, const T *b, T *r, idx_t n, idx_t o, T th, T val)                  \
    {                                                                                        \
        for (idx_t k = 0; k < n; k++) {                                                      \
            T *p = y + k * o, *q = r + k * o;                                                \
            for (idx_t c = 0; c < o; c++) {                                                  \
                T v = p[c] + b[c];                                                           \
                p[c] = v;                                                                    \
                q[c] = v > th ? v : val;                                                     \
            }                                                                                \
        }                                                                                    \
    }
LINEAR_BIAS_THRESH(linear_bias_thresh_d, double)
LINEAR_BIAS_THRESH(linear_bias_thresh_f, float)

/* [a, a + na) and [b, b + nb) share a byte (then the one pass could read what it wrote) */
static int
overlaps(const void *a, idx_t na, const void *b, idx_t nb)
{
    const char *x = a, *y = b;
    return x < y + nb && y < x + na;
}

/* optionally followed by a Threshold's forward (THNN's loop, not in place) from the output
   into r: a Sequential's Linear and ReLU in one call */
PyObject *
py_linear_fwd(PyObject *self, PyObject *args)
{
    PyObject *ox, *ow, *ob, *oy, *or = Py_None;
    idx_t n, o, i;
    int single;
    double th = 0, val = 0;
    if (!PyArg_ParseTuple(args, "OOOOnnnp|Odd", &ox, &ow, &ob, &oy, &n, &o, &i, &single, &or,
                          &th, &val))
        return NULL;
    if (single ? !gemm_f : !gemm_d) {
        PyErr_SetString(PyExc_RuntimeError, "_nnk.linear_fwd: no gemm set");
        return NULL;
    }
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * n * i, 0);
    void *w = x ? get(&bs, ow, z * o * i, 0) : NULL;
    void *y = w ? get(&bs, oy, z * n * o, 1) : NULL;
    void *b = NULL;
    if (y && ob != Py_None) b = get(&bs, ob, z * o, 0);
    if (!y || (ob != Py_None && !b)) { release(&bs); return NULL; }
    void *r = NULL;
    if (or != Py_None && !(r = get(&bs, or, z * n * o, 1))) { release(&bs); return NULL; }
    int fuse = b && r && !overlaps(r, z * n * o, y, z * n * o)
               && !overlaps(r, z * n * o, b, z * o);
    Py_BEGIN_ALLOW_THREADS
    if (single) {
        gemm_f(ROW_MAJOR, NO_TRANS, TRANS, n, o, i, 1, x, i, w, i, 0, y, o);
        if (fuse) linear_bias_thresh_f(y, b, r, n, o, (float)th, (float)val);
        else {
            if (b) linear_bias_f(y, b, n, o);
            if (r) thresh_f(y, r, n * o, (float)th, (float)val, 0);
        }
    } else {
        gemm_d(ROW_MAJOR, NO_TRANS, TRANS, n, o, i, 1, x, i, w, i, 0, y, o);
        if (fuse) linear_bias_thresh_d(y, b, r, n, o, th, val);
        else {
            if (b) linear_bias_d(y, b, n, o);
            if (r) thresh_d(y, r, n * o, th, val, 0);
        }
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* Module.backward of a batch at scale 1: gradInput:addmm(0, 1, gradOutput, weight), then
   linear_acc's gradWeight:addmm(1, gradOutput:t(), input) and gradBias (gb may be absent);
   optionally followed by the backward of the Threshold before it in a Sequential (THNN's
   loop, not in place: its input ax, its gradInput agi from this gradInput) */
PyObject *
py_linear_bwd(PyObject *self, PyObject *args)
{
    PyObject *ogo, *ow, *ogi, *ox, *ogw, *ogb, *otmp, *oax = Py_None, *oagi = Py_None;
    idx_t n, o, i;
    int single;
    double th = 0;
    if (!PyArg_ParseTuple(args, "OOOOOOOnnnp|OOd", &ogo, &ow, &ogi, &ox, &ogw, &ogb, &otmp, &n,
                          &o, &i, &single, &oax, &oagi, &th))
        return NULL;
    if (single ? !gemm_f : !gemm_d) {
        PyErr_SetString(PyExc_RuntimeError, "_nnk.linear_bwd: no gemm set");
        return NULL;
    }
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, z * n * o, 0);
    void *w = go ? get(&bs, ow, z * o * i, 0) : NULL;
    void *gi = w ? get(&bs, ogi, z * n * i, 1) : NULL;
    void *x = gi ? get(&bs, ox, z * n * i, 0) : NULL;
    void *gw = x ? get(&bs, ogw, z * o * i, 1) : NULL;
    void *gb = NULL, *tmp = NULL;
    if (gw && ogb != Py_None) gb = get(&bs, ogb, z * o, 1);
    if (gb && single) tmp = get(&bs, otmp, z * o, 1);
    if (!gw || (ogb != Py_None && (!gb || (single && !tmp)))) { release(&bs); return NULL; }
    void *ax = NULL, *agi = NULL;
    if (oagi != Py_None) {
        ax = get(&bs, oax, z * n * i, 0);
        agi = ax ? get(&bs, oagi, z * n * i, 1) : NULL;
        if (!agi) { release(&bs); return NULL; }
    }
    Py_BEGIN_ALLOW_THREADS
    if (single) {
        gemm_f(ROW_MAJOR, NO_TRANS, NO_TRANS, n, i, o, 1, go, o, w, i, 0, gi, i);
        gemm_f(ROW_MAJOR, TRANS, NO_TRANS, o, i, n, 1, go, o, x, i, 1, gw, i);
        if (gb) linear_gb_f(go, gb, tmp, n, o);
        if (agi) thresh_f_grad(ax, gi, agi, n * i, (float)th, 0);
    } else {
        gemm_d(ROW_MAJOR, NO_TRANS, NO_TRANS, n, i, o, 1, go, o, w, i, 0, gi, i);
        gemm_d(ROW_MAJOR, TRANS, NO_TRANS, o, i, n, 1, go, o, x, i, 1, gw, i);
        if (gb) linear_gb_d(go, gb, n, o);
        if (agi) thresh_d_grad(ax, gi, agi, n * i, th, 0);
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- a container's zeroGradParameters and updateParameters in one call each (issue 16) ----
   The gradients (or the parameter and gradient pairs) that Module.zeroGradParameters /
   Module.updateParameters would visit one module after the other, gathered by module.py
   where every module's method is the package's own: every buffer is taken first (a read-only
   or non-contiguous one fails before anything is written: the caller then takes the usual
   path), then the arrays are processed in the modules' order, each as the per-module call
   does it. */

#define MANY_MAX 64  /* buffers one call takes; the caller sends longer lists in parts */

static int
take_list(PyObject *list, Py_buffer *bufs_, Py_ssize_t *n_taken, int writable)
{
    Py_ssize_t n = PyList_GET_SIZE(list);
    for (Py_ssize_t k = 0; k < n; k++) {
        if (PyObject_GetBuffer(PyList_GET_ITEM(list, k), &bufs_[k],
                               (writable ? PyBUF_WRITABLE : 0) | PyBUF_C_CONTIGUOUS
                                   | PyBUF_FORMAT) < 0)
            return -1;
        (*n_taken)++;
    }
    return 0;
}

static void
release_n(Py_buffer *b, Py_ssize_t n)
{
    for (Py_ssize_t k = 0; k < n; k++)
        PyBuffer_Release(&b[k]);
}

/* zero_many(arrays, stream_bytes): each array's bytes set to zero, those of stream_bytes or
   more with streaming stores (zero_stream), the others with memset: g:zero() for each */
PyObject *
py_zero_many(PyObject *self, PyObject *args)
{
    PyObject *list;
    idx_t stream;
    if (!PyArg_ParseTuple(args, "O!n", &PyList_Type, &list, &stream))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(list), taken = 0;
    if (n > MANY_MAX) {
        PyErr_SetString(PyExc_ValueError, "zero_many: too many arrays");
        return NULL;
    }
    Py_buffer b[MANY_MAX];
    if (take_list(list, b, &taken, 1) < 0) {
        release_n(b, taken);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < n; k++) {
        if (b[k].len >= stream)
            zero_stream(b[k].buf, b[k].len);
        else
            memset(b[k].buf, 0, b[k].len);
    }
    Py_END_ALLOW_THREADS
    release_n(b, n);
    Py_RETURN_NONE;
}

/* p = fma(g, v, p) elementwise, one rounding: p:add(v, g) as updateParameters' one C call
   computes it (numerics.fma_contiguous: add's axpy); v rounded to float first for a float
   pair, as that call does. One element after the other: p and g may be the same memory. */
static void
axpy_d(const double *g, double v, double *p, idx_t n, int fused)
{
    /* THBlas_(axpy) as OpenBLAS 0.3.21's daxpy computes it (torch7py._obl12's axpy): nothing
       for v == 0, the micro-kernel's fused multiply-adds for the first n & -16 elements, the
       C tail's `y[i] += da * x[i]` (product rounded first) for the rest; all fused for a
       build whose C loops GCC contracted (`fused`: numerics.blas_loops) */
    if (v == 0)
        return;
    idx_t i = 0, n1 = fused ? n : n & -16;
    for (; i < n1; i++)
        p[i] = fma(g[i], v, p[i]);
    for (; i < n; i++) {
        double q = v * g[i];
        p[i] = p[i] + q;
    }
}

static void
axpy_f(const float *g, float v, float *p, idx_t n, int fused)
{
    /* saxpy: the same with n & -32 */
    if (v == 0)
        return;
    idx_t i = 0, n1 = fused ? n : n & -32;
    for (; i < n1; i++)
        p[i] = fmaf(g[i], v, p[i]);
    for (; i < n; i++) {
        float q = v * g[i];
        p[i] = p[i] + q;
    }
}

static int
float_kind(const Py_buffer *b)
{
    const char *f = b->format ? b->format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    if (f[1] != '\0')
        return 0;
    return *f == 'f' && b->itemsize == 4 ? 4 : *f == 'd' && b->itemsize == 8 ? 8 : 0;
}

/* axpy_many(params, grads, v[, fused]): params[k] += v * grads[k] (THBlas_(axpy)'s order)
   for k in order; the pairs of one float type each and of one length */
PyObject *
py_axpy_many(PyObject *self, PyObject *args)
{
    PyObject *lp, *lg;
    double v;
    int fused = 0;
    if (!PyArg_ParseTuple(args, "O!O!d|p", &PyList_Type, &lp, &PyList_Type, &lg, &v, &fused))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(lp), tp = 0, tg = 0;
    if (n > MANY_MAX || PyList_GET_SIZE(lg) != n) {
        PyErr_SetString(PyExc_ValueError, "axpy_many: lists of different or too many arrays");
        return NULL;
    }
    Py_buffer bp[MANY_MAX], bg[MANY_MAX];
    int ok = take_list(lp, bp, &tp, 1) == 0 && take_list(lg, bg, &tg, 0) == 0;
    for (Py_ssize_t k = 0; ok && k < n; k++) {
        int kind = float_kind(&bp[k]);
        if (!kind || float_kind(&bg[k]) != kind || bp[k].len != bg[k].len) {
            PyErr_SetString(PyExc_ValueError, "axpy_many: pairs of one float type and length");
            ok = 0;
        }
    }
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t k = 0; k < n; k++) {
            if (bp[k].itemsize == 4)
                axpy_f(bg[k].buf, (float)v, bp[k].buf, bp[k].len / 4, fused);
            else
                axpy_d(bg[k].buf, v, bp[k].buf, bp[k].len / 8, fused);
        }
        Py_END_ALLOW_THREADS
    }
    release_n(bp, tp);
    release_n(bg, tg);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* linear_chain(calls, backward): linear_fwd (or linear_bwd) with each argument tuple of the
   list, one after the other: a Sequential's run of Linear layers (and the ReLUs fused with
   them), prepared in Python before the first runs, in one call, so that no Python runs
   between the run's big products (each Python step there starts from the cache a product
   has just flushed). A call that fails stops the run there, the calls before it done, as
   the separate calls would leave it. */
PyObject *
py_linear_chain(PyObject *self, PyObject *args)
{
    PyObject *list;
    int backward;
    if (!PyArg_ParseTuple(args, "O!p", &PyList_Type, &list, &backward))
        return NULL;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(list); k++) {
        PyObject *a = PyList_GET_ITEM(list, k);
        if (!PyTuple_Check(a)) {
            PyErr_SetString(PyExc_TypeError, "linear_chain: argument tuples");
            return NULL;
        }
        PyObject *r = backward ? py_linear_bwd(self, a) : py_linear_fwd(self, a);
        if (!r)
            return NULL;
        Py_DECREF(r);
    }
    Py_RETURN_NONE;
}
