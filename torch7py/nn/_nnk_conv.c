/* _nnk_conv.c, part of torch7py.nn._nnk (see _nnk.c): the convolutions: im2col/col2im
   (unfold.c) and vol2col/col2vol, the bias add and gradBias, and the convolution a sample at a
   time through numpy's cblas gemm (set_gemm), forward, gradInput and gradWeight. */
#include "_nnk.h"

/* ---- unfolded_acc (col2im) of unfold.c: per sample, per (c, kh, kw), each output position's
   column value added into its input position, in that loop order ---------------------------- */

#define COL2IM(NAME, T)                                                                      \
    static void NAME(const T *cols, T *gi, idx_t N, idx_t C, idx_t H, idx_t W, idx_t kH,     \
                     idx_t kW, idx_t dH, idx_t dW, idx_t padH, idx_t padW, idx_t dilH,       \
                     idx_t dilW, idx_t oH, idx_t oW)                                         \
    {                                                                                        \
        memset(gi, 0, sizeof(T) * N * C * H * W);                                            \
        for (idx_t n = 0; n < N; n++)                                                        \
            for (idx_t c = 0; c < C; c++)                                                    \
                for (idx_t kh = 0; kh < kH; kh++)                                            \
                    for (idx_t kw = 0; kw < kW; kw++) {                                      \
                        const T *src = cols + (((n * C + c) * kH + kh) * kW + kw) * oH * oW; \
                        T *dst = gi + (n * C + c) * H * W;                                   \
                        for (idx_t i = 0; i < oH; i++) {                                     \
                            idx_t yy = i * dH - padH + kh * dilH;                            \
                            if (yy < 0 || yy >= H) continue;                                 \
                            T *drow = dst + yy * W;                                          \
                            const T *srow = src + i * oW;                                    \
                            idx_t x0 = kw * dilW - padW;                                     \
                            if (dW == 1) {                                                   \
                                idx_t lo = x0 < 0 ? -x0 : 0;                                 \
                                idx_t hi = W - x0 < oW ? W - x0 : oW;                        \
                                for (idx_t j = lo; j < hi; j++)                              \
                                    drow[x0 + j] += srow[j];                                 \
                            } else {                                                         \
                                for (idx_t j = 0; j < oW; j++) {                             \
                                    idx_t xx = x0 + j * dW;                                  \
                                    if (xx >= 0 && xx < W) drow[xx] += srow[j];              \
                                }                                                            \
                            }                                                                \
                        }                                                                    \
                    }                                                                        \
    }
COL2IM(col2im_d, double)
COL2IM(col2im_f, float)

/* ---- unfolded_copy (im2col) of unfold.c: per sample, per (c, kh, kw), the input values each
   output position reads, zero where it falls in the padding -------------------------------- */

#define IM2COL(NAME, T)                                                                      \
    static void NAME(const T *x, T *cols, idx_t N, idx_t C, idx_t H, idx_t W, idx_t kH,      \
                     idx_t kW, idx_t dH, idx_t dW, idx_t padH, idx_t padW, idx_t dilH,       \
                     idx_t dilW, idx_t oH, idx_t oW)                                         \
    {                                                                                        \
        for (idx_t n = 0; n < N; n++)                                                        \
            for (idx_t c = 0; c < C; c++) {                                                  \
                const T *src = x + (n * C + c) * H * W;                                      \
                for (idx_t kh = 0; kh < kH; kh++)                                            \
                    for (idx_t kw = 0; kw < kW; kw++) {                                      \
                        T *dst = cols + (((n * C + c) * kH + kh) * kW + kw) * oH * oW;       \
                        idx_t x0 = kw * dilW - padW;                                         \
                        idx_t lo = 0, hi = 0;                                                \
                        if (dW == 1) {                                                       \
                            lo = x0 < 0 ? -x0 : 0;                                           \
                            hi = W - x0 < oW ? W - x0 : oW;                                  \
                            if (lo > oW) lo = oW;                                            \
                            if (hi < lo) hi = lo;                                            \
                        }                                                                    \
                        for (idx_t i = 0; i < oH; i++) {                                     \
                            T *drow = dst + i * oW;                                          \
                            idx_t yy = i * dH - padH + kh * dilH;                            \
                            if (yy < 0 || yy >= H) {                                         \
                                memset(drow, 0, sizeof(T) * oW);                             \
                                continue;                                                    \
                            }                                                                \
                            const T *srow = src + yy * W;                                    \
                            if (dW == 1) {                                                   \
                                for (idx_t j = 0; j < lo; j++) drow[j] = 0;                  \
                                if (hi > lo)                                                 \
                                    memcpy(drow + lo, srow + x0 + lo, sizeof(T) * (hi - lo));\
                                for (idx_t j = hi; j < oW; j++) drow[j] = 0;                 \
                            } else {                                                         \
                                for (idx_t j = 0; j < oW; j++) {                             \
                                    idx_t xx = x0 + j * dW;                                  \
                                    drow[j] = (xx >= 0 && xx < W) ? srow[xx] : (T)0;         \
                                }                                                            \
                            }                                                                \
                        }                                                                    \
                    }                                                                        \
            }                                                                                \
    }
IM2COL(im2col_d, double)
IM2COL(im2col_f, float)

/* y viewed as (outer, C, inner): y[o, c, :] += b[c] (the layers' bias added to the product: one
   rounding, as THNN's addmm with beta = 1 adds a product of one K block to the bias; with more
   K blocks the bias goes first: conv_fwd) */
#define ADD_BIAS(NAME, T)                                                                    \
    static void NAME(T *y, const T *b, idx_t outer, idx_t C, idx_t inner)                    \
    {                                                                                        \
        if (inner == 1) { /* Linear's rows: one vectorizable loop over each row */           \
            for (idx_t o = 0; o < outer; o++) {                                              \
                T *p = y + o * C;                                                            \
                for (idx_t c = 0; c < C; c++) p[c] = p[c] + b[c];                            \
            }                                                                                \
            return;                                                                          \
        }                                                                                    \
        for (idx_t o = 0; o < outer; o++)                                                    \
            for (idx_t c = 0; c < C; c++) {                                                  \
                T *p = y + (o * C + c) * inner;                                              \
                T v = b[c];                                                                  \
                for (idx_t i = 0; i < inner; i++) p[i] = p[i] + v;                           \
            }                                                                                \
    }
ADD_BIAS(add_bias_d, double)
ADD_BIAS(add_bias_f, float)

/* SpatialConvolutionMM_accGradParameters_frame's gradBias, per sample: real sum = 0;
   sum += go over the plane; gradBias[i] += scale*sum (in real) */
#define CONV_GB(NAME, T)                                                                     \
    static void NAME(const T *go, T *gb, idx_t N, idx_t O, idx_t L, T scale)                 \
    {                                                                                        \
        for (idx_t n = 0; n < N; n++) {                                                      \
            idx_t i = 0;                                                                     \
            for (; i + 4 <= O; i += 4) {                                                     \
                T s0 = 0, s1 = 0, s2 = 0, s3 = 0;                                            \
                const T *p = go + (n * O + i) * L;                                           \
                for (idx_t k = 0; k < L; k++) {                                              \
                    s0 += p[k];                                                              \
                    s1 += p[L + k];                                                          \
                    s2 += p[2 * L + k];                                                      \
                    s3 += p[3 * L + k];                                                      \
                }                                                                            \
                gb[i] += scale * s0;                                                         \
                gb[i + 1] += scale * s1;                                                     \
                gb[i + 2] += scale * s2;                                                     \
                gb[i + 3] += scale * s3;                                                     \
            }                                                                                \
            for (; i < O; i++) {                                                             \
                T s = 0;                                                                     \
                const T *p = go + (n * O + i) * L;                                           \
                for (idx_t k = 0; k < L; k++) s += p[k];                                     \
                gb[i] += scale * s;                                                          \
            }                                                                                \
        }                                                                                    \
    }
CONV_GB(conv_gb_d, double)
CONV_GB(conv_gb_f, float)

PyObject *
py_col2im(PyObject *self, PyObject *args)
{
    PyObject *oc, *og;
    idx_t N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnnnnnnnnnnnnnp", &oc, &og, &N, &C, &H, &W, &kH, &kW, &dH,
                          &dW, &padH, &padW, &dilH, &dilW, &oH, &oW, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *cols = get(&bs, oc, SZ(single) * N * C * kH * kW * oH * oW, 0);
    void *gi = cols ? get(&bs, og, SZ(single) * N * C * H * W, 1) : NULL;
    if (!gi) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) col2im_f(cols, gi, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW);
    else col2im_d(cols, gi, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

PyObject *
py_conv_gb(PyObject *self, PyObject *args)
{
    PyObject *ogo, *ogb;
    idx_t N, O, L;
    double scale;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnndp", &ogo, &ogb, &N, &O, &L, &scale, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, SZ(single) * N * O * L, 0);
    void *gb = go ? get(&bs, ogb, SZ(single) * O, 1) : NULL;
    if (!gb) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) conv_gb_f(go, gb, N, O, L, (float)scale);
    else conv_gb_d(go, gb, N, O, L, scale);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

PyObject *
py_im2col(PyObject *self, PyObject *args)
{
    PyObject *ox, *oc;
    idx_t N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnnnnnnnnnnnnnp", &ox, &oc, &N, &C, &H, &W, &kH, &kW, &dH,
                          &dW, &padH, &padW, &dilH, &dilW, &oH, &oW, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, SZ(single) * N * C * H * W, 0);
    void *cols = x ? get(&bs, oc, SZ(single) * N * C * kH * kW * oH * oW, 1) : NULL;
    if (!cols) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) im2col_f(x, cols, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW);
    else im2col_d(x, cols, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

PyObject *
py_add_bias(PyObject *self, PyObject *args)
{
    PyObject *oy, *ob;
    idx_t outer, C, inner;
    int single;
    if (!PyArg_ParseTuple(args, "OOnnnp", &oy, &ob, &outer, &C, &inner, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *y = get(&bs, oy, SZ(single) * outer * C * inner, 1);
    void *b = y ? get(&bs, ob, SZ(single) * C, 0) : NULL;
    if (!b) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) add_bias_f(y, b, outer, C, inner);
    else add_bias_d(y, b, outer, C, inner);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* The convolution of a batch one sample at a time, so that the sample's columns are used while
   they are in the cache: forward im2col, GEMM, bias; gradInput GEMM, col2im. The GEMM is the
   cblas_?gemm numpy's matmul calls for each sample of its batched product (its address set
   by set_gemm from numpy's own BLAS, 64-bit integers), with the arguments numpy passes: the
   same library doing the same call gives the same bits. */
gemm_d_t gemm_d;
gemm_f_t gemm_f;

PyObject *
py_set_gemm(PyObject *self, PyObject *args)
{
    unsigned long long d, f;
    if (!PyArg_ParseTuple(args, "KK", &d, &f))
        return NULL;
    gemm_d = (gemm_d_t)(uintptr_t)d;
    gemm_f = (gemm_f_t)(uintptr_t)f;
    Py_RETURN_NONE;
}

#define CONV_FWD(NAME, T, IM2COL_FN, GEMM)                                          \
    static void NAME(const T *x, const T *w, const T *b, T *cols, T *y, idx_t N, idx_t C,   \
                     idx_t H, idx_t W, idx_t kH, idx_t kW, idx_t dH, idx_t dW, idx_t padH,   \
                     idx_t padW, idx_t dilH, idx_t dilW, idx_t oH, idx_t oW, idx_t O)        \
    {                                                                                        \
        idx_t K = C * kH * kW, L = oH * oW;                                                  \
        for (idx_t n = 0; n < N; n++) {                                                      \
            T *cn = cols + n * K * L, *yn = y + n * O * L;                                   \
            IM2COL_FN(x + n * C * H * W, cn, 1, C, H, W, kH, kW, dH, dW, padH, padW, dilH,   \
                      dilW, oH, oW);                                                         \
            /* THNN: the frame's output filled with the bias, then addmm with beta 1: the   \
               BLAS adds each K block's product to it (the bias first, as Torch7 does) */   \
            if (b) {                                                                         \
                for (idx_t o = 0; o < O; o++)                                                \
                    for (idx_t i = 0; i < L; i++) yn[o * L + i] = b[o];                      \
            }                                                                                \
            GEMM(ROW_MAJOR, NO_TRANS, NO_TRANS, O, L, K, 1, w, K, cn, L, b ? 1 : 0, yn, L);  \
        }                                                                                    \
    }
CONV_FWD(conv_fwd_d, double, im2col_d, gemm_d)
CONV_FWD(conv_fwd_f, float, im2col_f, gemm_f)

#define CONV_GI(NAME, T, COL2IM_FN, GEMM)                                                    \
    static void NAME(const T *w, const T *go, T *gcols, T *gi, idx_t N, idx_t C, idx_t H,   \
                     idx_t W, idx_t kH, idx_t kW, idx_t dH, idx_t dW, idx_t padH, idx_t padW,\
                     idx_t dilH, idx_t dilW, idx_t oH, idx_t oW, idx_t O)                    \
    {                                                                                        \
        idx_t K = C * kH * kW, L = oH * oW;                                                  \
        for (idx_t n = 0; n < N; n++) {                                                      \
            T *gn = gcols + n * K * L;                                                       \
            /* numpy's w2.T @ go[n]: w2.T is w2 (O x K, row-major) transposed */             \
            GEMM(ROW_MAJOR, TRANS, NO_TRANS, K, L, O, 1, w, K, go + n * O * L, L, 0, gn, L); \
            COL2IM_FN(gn, gi + n * C * H * W, 1, C, H, W, kH, kW, dH, dW, padH, padW, dilH,  \
                      dilW, oH, oW);                                                         \
        }                                                                                    \
    }
CONV_GI(conv_gi_d, double, col2im_d, gemm_d)
CONV_GI(conv_gi_f, float, col2im_f, gemm_f)

PyObject *
py_conv_fwd(PyObject *self, PyObject *args)
{
    PyObject *ox, *ow, *ob, *oc, *oy;
    idx_t N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOnnnnnnnnnnnnnnnp", &ox, &ow, &ob, &oc, &oy, &N, &C, &H,
                          &W, &kH, &kW, &dH, &dW, &padH, &padW, &dilH, &dilW, &oH, &oW, &O,
                          &single))
        return NULL;
    if (single ? !gemm_f : !gemm_d) {
        PyErr_SetString(PyExc_RuntimeError, "_nnk.conv_fwd: no gemm set");
        return NULL;
    }
    idx_t z = SZ(single), K = C * kH * kW, L = oH * oW;
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * N * C * H * W, 0);
    void *w = x ? get(&bs, ow, z * O * K, 0) : NULL;
    void *b = NULL;
    if (w && ob != Py_None) b = get(&bs, ob, z * O, 0);
    void *c = w && (ob == Py_None || b) ? get(&bs, oc, z * N * K * L, 1) : NULL;
    void *y = c ? get(&bs, oy, z * N * O * L, 1) : NULL;
    if (!y) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single)
        conv_fwd_f(x, w, b, c, y, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O);
    else
        conv_fwd_d(x, w, b, c, y, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

PyObject *
py_conv_gi(PyObject *self, PyObject *args)
{
    PyObject *ow, *ogo, *oc, *ogi;
    idx_t N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOnnnnnnnnnnnnnnnp", &ow, &ogo, &oc, &ogi, &N, &C, &H, &W,
                          &kH, &kW, &dH, &dW, &padH, &padW, &dilH, &dilW, &oH, &oW, &O, &single))
        return NULL;
    if (single ? !gemm_f : !gemm_d) {
        PyErr_SetString(PyExc_RuntimeError, "_nnk.conv_gi: no gemm set");
        return NULL;
    }
    idx_t z = SZ(single), K = C * kH * kW, L = oH * oW;
    bufs bs = {.n = 0};
    void *w = get(&bs, ow, z * O * K, 0);
    void *go = w ? get(&bs, ogo, z * N * O * L, 0) : NULL;
    void *c = go ? get(&bs, oc, z * N * K * L, 1) : NULL;
    void *gi = c ? get(&bs, ogi, z * N * C * H * W, 1) : NULL;
    if (!gi) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single)
        conv_gi_f(w, go, c, gi, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O);
    else
        conv_gi_d(w, go, c, gi, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- vol2col / col2vol (VolumetricConvolutionMM, the dilated and full convolutions; 1-d
   and 2-d as 3-d with unit leading axes): per plane, per kernel offset (kt, kh, kw), the
   values each output position reads, zero in the padding; col2vol adds them back in the
   same order, so each input element receives its terms in kernel-offset order ------------- */
#define VOL2COL(NAME, T)                                                                     \
    static void NAME(const T *x, T *cols, idx_t NC, const idx_t *S, const idx_t *K,          \
                     const idx_t *D, const idx_t *P, const idx_t *L, const idx_t *O, int acc)\
    {                                                                                        \
        idx_t isz = S[0] * S[1] * S[2], osz = O[0] * O[1] * O[2];                            \
        if (acc) memset((T *)x, 0, sizeof(T) * NC * isz);                                    \
        for (idx_t nc = 0; nc < NC; nc++) {                                                  \
            T *vol = (T *)x + nc * isz;                                                      \
            for (idx_t kt = 0; kt < K[0]; kt++)                                              \
            for (idx_t kh = 0; kh < K[1]; kh++)                                              \
            for (idx_t kw = 0; kw < K[2]; kw++) {                                            \
                T *col = cols + (((nc * K[0] + kt) * K[1] + kh) * K[2] + kw) * osz;          \
                /* the output columns w whose input column x0 + w*D[2] is inside */          \
                idx_t x0 = kw * L[2] - P[2];                                                 \
                idx_t lo = x0 < 0 ? (-x0 + D[2] - 1) / D[2] : 0;                             \
                idx_t hi = x0 < S[2] ? (S[2] - 1 - x0) / D[2] + 1 : 0;                       \
                if (hi > O[2]) hi = O[2];                                                    \
                if (lo > hi) lo = hi;                                                        \
                for (idx_t t = 0; t < O[0]; t++) {                                           \
                    idx_t tt = t * D[0] - P[0] + kt * L[0];                                  \
                    for (idx_t h = 0; h < O[1]; h++) {                                       \
                        idx_t hh = h * D[1] - P[1] + kh * L[1];                              \
                        T *crow = col + (t * O[1] + h) * O[2];                               \
                        int in = tt >= 0 && tt < S[0] && hh >= 0 && hh < S[1];               \
                        if (acc) {                                                           \
                            if (!in) continue;                                               \
                            T *vrow = vol + (tt * S[1] + hh) * S[2];                         \
                            for (idx_t w = lo; w < hi; w++) vrow[x0 + w * D[2]] += crow[w];  \
                        } else if (!in) {                                                    \
                            memset(crow, 0, sizeof(T) * O[2]);                               \
                        } else {                                                             \
                            const T *vrow = vol + (tt * S[1] + hh) * S[2];                   \
                            for (idx_t w = 0; w < lo; w++) crow[w] = 0;                      \
                            if (D[2] == 1) {                                                 \
                                if (hi > lo)                                                 \
                                    memcpy(crow + lo, vrow + x0 + lo, sizeof(T) * (hi - lo));\
                            } else {                                                         \
                                for (idx_t w = lo; w < hi; w++)                              \
                                    crow[w] = vrow[x0 + w * D[2]];                           \
                            }                                                                \
                            for (idx_t w = hi; w < O[2]; w++) crow[w] = 0;                   \
                        }                                                                    \
                    }                                                                        \
                }                                                                            \
            }                                                                                \
        }                                                                                    \
    }
VOL2COL(vol2col_d, double)
VOL2COL(vol2col_f, float)

/* vol2col(x, cols, ...) fills cols from the volumes x; col2vol(gi, cols, ...) overwrites the
   volumes gi with the sums of cols */
static PyObject *
vol2col_call(PyObject *args, int acc)
{
    PyObject *ox, *oc;
    idx_t NC, S[3], K[3], D[3], P[3], L[3], O[3];
    int single;
    if (!PyArg_ParseTuple(args, "OOn(nnn)(nnn)(nnn)(nnn)(nnn)(nnn)p", &ox, &oc, &NC,
                          &S[0], &S[1], &S[2], &K[0], &K[1], &K[2], &D[0], &D[1], &D[2],
                          &P[0], &P[1], &P[2], &L[0], &L[1], &L[2], &O[0], &O[1], &O[2],
                          &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * NC * S[0] * S[1] * S[2], acc);
    void *c = x ? get(&bs, oc, z * NC * K[0] * K[1] * K[2] * O[0] * O[1] * O[2], !acc) : NULL;
    if (!c) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) vol2col_f(x, c, NC, S, K, D, P, L, O, acc);
    else vol2col_d(x, c, NC, S, K, D, P, L, O, acc);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

PyObject *
py_vol2col(PyObject *self, PyObject *args)
{
    return vol2col_call(args, 0);
}

PyObject *
py_col2vol(PyObject *self, PyObject *args)
{
    return vol2col_call(args, 1);
}

/* SpatialConvolutionMM's gradWeight: per sample, THNN's addmm(gradWeight, 1, gradWeight,
   scale, gradOutput_n (O x L), finput_n^T (L x K)), the gemm with beta = 1 into the row-major
   gradWeight (O x K) sample after sample, as THNN calls it: no batched products to add up. */
PyObject *
py_conv_acc(PyObject *self, PyObject *args)
{
    PyObject *ogo, *oc, *ogw;
    idx_t N, O, K, L;
    double scale;
    int single;
    if (!PyArg_ParseTuple(args, "OOOnnnndp", &ogo, &oc, &ogw, &N, &O, &K, &L, &scale, &single))
        return NULL;
    if (single ? !gemm_f : !gemm_d) {
        PyErr_SetString(PyExc_RuntimeError, "_nnk.conv_acc: no gemm set");
        return NULL;
    }
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, z * N * O * L, 0);
    void *c = go ? get(&bs, oc, z * N * K * L, 0) : NULL;
    void *gw = c ? get(&bs, ogw, z * O * K, 1) : NULL;
    if (!gw) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    for (idx_t n = 0; n < N && L > 0; n++) {
        if (single)
            gemm_f(ROW_MAJOR, NO_TRANS, TRANS, O, K, L, (float)scale,
                   (const float *)go + n * O * L, L, (const float *)c + n * K * L, L, 1, gw, K);
        else
            gemm_d(ROW_MAJOR, NO_TRANS, TRANS, O, K, L, scale,
                   (const double *)go + n * O * L, L, (const double *)c + n * K * L, L, 1, gw, K);
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- the convolutions' fgradInput kept out of the cache (issue 16) ----------------------

   THNN keeps every sample's column gradient in fgradInput: N*K*L values, far more than the
   cache, never read again. Written in place, each line is first read from memory (the gemm's
   beta = 0 pass zeroes its C with a memset, which does that read) and written back later,
   pushing the data the step reads next out of the cache. Here each sample's columns come from
   the gemm (with the arguments numpy passes: the same call gives the same bits wherever C
   lies) into a small buffer that stays in the cache, col2im reads them there, and they are
   copied to fgradInput with streaming stores, which go to memory without the read. (finput
   the same way was slower: accGradParameters reads it again.) */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
static void
copy_stream(char *dst, const char *src, idx_t n)
{
#if defined(__SSE2__)
    idx_t head = (idx_t)((16 - ((size_t)dst & 15)) & 15);
    if (head > n) head = n;
    memcpy(dst, src, head);
    dst += head;
    src += head;
    n -= head;
    idx_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)(src + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(src + i + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(src + i + 32));
        __m128i d = _mm_loadu_si128((const __m128i *)(src + i + 48));
        _mm_stream_si128((__m128i *)(dst + i), a);
        _mm_stream_si128((__m128i *)(dst + i + 16), b);
        _mm_stream_si128((__m128i *)(dst + i + 32), c);
        _mm_stream_si128((__m128i *)(dst + i + 48), d);
    }
    memcpy(dst + i, src + i, n - i);
#else
    memcpy(dst, src, n);
#endif
}

static void
stream_fence(void)
{
#if defined(__SSE2__)
    _mm_sfence();
#endif
}

#define CONV_GI_NT(NAME, T, COL2IM_FN, GEMM)                                                 \
    static void NAME(const T *w, const T *go, T *gcols, T *gi, T *s, idx_t N, idx_t C,      \
                     idx_t H, idx_t W, idx_t kH, idx_t kW, idx_t dH, idx_t dW, idx_t padH,   \
                     idx_t padW, idx_t dilH, idx_t dilW, idx_t oH, idx_t oW, idx_t O)        \
    {                                                                                        \
        idx_t K = C * kH * kW, L = oH * oW;                                                  \
        for (idx_t n = 0; n < N; n++) {                                                      \
            GEMM(ROW_MAJOR, TRANS, NO_TRANS, K, L, O, 1, w, K, go + n * O * L, L, 0, s, L);  \
            COL2IM_FN(s, gi + n * C * H * W, 1, C, H, W, kH, kW, dH, dW, padH, padW, dilH,   \
                      dilW, oH, oW);                                                         \
            copy_stream((char *)(gcols + n * K * L), (const char *)s, sizeof(T) * K * L);    \
        }                                                                                    \
        stream_fence();                                                                      \
    }
/* unfolded_acc (col2im) for a stride-1 width (dW == 1) on AVX2, each input row gathered: for
   one (plane, kh, output row i), every element of the input row it lands on gets the kW column
   values that fall on it added in kw order, a vector of elements at a time in registers, and is
   stored once (unfolded_acc adds one kw row at a time, each element loaded and stored kW times,
   the rows a few elements wide). A column value that falls outside [0, oW) for some lanes is
   loaded as +0 there (masked): adding +0 is exact, as a gradInput element that starts at +0 and
   only has values added is never -0 (nor a signalling NaN). So each element gets THNN's
   additions in THNN's order (kh, then kw): col2im's bits. Other cases and other CPUs: col2im
   (LeNet's float convolutions' gradInput: 0.91 -> 0.86 ms conv1, 1.21 -> 1.10 ms conv2). */
#define GATHER_MASKS 256
#if defined(__AVX2__)
#include <immintrin.h>
#define COL2IM_GATHER(NAME, T, LANES, MT, V, LOADU, STOREU, MASKLOAD, MASKSTORE, ADD, FALLBACK) \
    static void NAME(const T *cols, T *gi, idx_t N, idx_t C, idx_t H, idx_t W, idx_t kH,     \
                     idx_t kW, idx_t dH, idx_t dW, idx_t padH, idx_t padW, idx_t dilH,       \
                     idx_t dilW, idx_t oH, idx_t oW)                                         \
    {                                                                                        \
        idx_t nxb = (W + LANES - 1) / LANES;                                                 \
        if (dW != 1 || kW * nxb + nxb > GATHER_MASKS) {                                      \
            FALLBACK(cols, gi, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW);  \
            return;                                                                          \
        }                                                                                    \
        /* lane masks: per x block, the lanes inside the row (row[xb]), and per kw the lanes  \
           whose column j = x + padW - kw*dilW is inside [0, oW) (mk[kw][xb]) */             \
        MT mk[GATHER_MASKS][LANES] __attribute__((aligned(32)));                             \
        MT (*row)[LANES] = mk + kW * nxb;                                                    \
        char full[GATHER_MASKS]; /* every lane on: a plain load (a masked one is slower) */  \
        for (idx_t b = 0; b < kW * nxb + nxb; b++) full[b] = 1;                              \
        for (idx_t xb = 0; xb < nxb; xb++)                                                   \
            for (idx_t l = 0; l < LANES; l++) {                                              \
                idx_t x = xb * LANES + l;                                                    \
                row[xb][l] = x < W ? -1 : 0;                                                 \
                if (x >= W) full[kW * nxb + xb] = 0;                                         \
                for (idx_t kw = 0; kw < kW; kw++) {                                          \
                    idx_t j = x + padW - kw * dilW;                                          \
                    int on = x < W && j >= 0 && j < oW;                                      \
                    mk[kw * nxb + xb][l] = on ? -1 : 0;                                      \
                    if (!on) full[kw * nxb + xb] = 0;                                        \
                }                                                                            \
            }                                                                                \
        memset(gi, 0, sizeof(T) * N * C * H * W);                                            \
        idx_t P = oH * oW;                                                                   \
        for (idx_t n = 0; n < N; n++)                                                        \
            for (idx_t c = 0; c < C; c++) {                                                  \
                T *dst = gi + (n * C + c) * H * W;                                           \
                for (idx_t kh = 0; kh < kH; kh++) {                                          \
                    const T *src = cols + ((n * C + c) * kH + kh) * kW * P;                  \
                    for (idx_t i = 0; i < oH; i++) {                                         \
                        idx_t yy = i * dH - padH + kh * dilH;                                \
                        if (yy < 0 || yy >= H) continue;                                     \
                        T *drow = dst + yy * W;                                              \
                        /* element x of plane kw's row i: s0[kw * (P - dilW) + x] */         \
                        const T *s0 = src + i * oW + padW;                                   \
                        for (idx_t xb = 0; xb < nxb; xb++) {                                 \
                            idx_t x = xb * LANES;                                            \
                            int rf = full[kW * nxb + xb];                                    \
                            __m256i rm = _mm256_load_si256((const __m256i *)row[xb]);        \
                            V v = rf ? LOADU(drow + x) : MASKLOAD(drow + x, rm);             \
                            for (idx_t kw = 0; kw < kW; kw++) {                              \
                                const T *p = s0 + kw * (P - dilW) + x;                       \
                                if (full[kw * nxb + xb]) {                                   \
                                    v = ADD(v, LOADU(p));                                    \
                                } else {                                                     \
                                    __m256i m = _mm256_load_si256(                           \
                                        (const __m256i *)mk[kw * nxb + xb]);                 \
                                    v = ADD(v, MASKLOAD(p, m));                              \
                                }                                                            \
                            }                                                                \
                            if (rf) STOREU(drow + x, v);                                     \
                            else MASKSTORE(drow + x, rm, v);                                 \
                        }                                                                    \
                    }                                                                        \
                }                                                                            \
            }                                                                                \
    }
/* float only: 8 lanes; on doubles (4 lanes) unfolded_acc's order was faster (LeNet's
   convolutions: 1.56 vs 1.72 ms for conv1's gradInput, 1.96 vs 2.05 for conv2's) */
COL2IM_GATHER(col2im_gather_f, float, 8, int, __m256, _mm256_loadu_ps, _mm256_storeu_ps,
              _mm256_maskload_ps, _mm256_maskstore_ps, _mm256_add_ps, col2im_f)
#else
#define col2im_gather_f col2im_f
#endif

CONV_GI_NT(conv_gi_nt_d, double, col2im_d, gemm_d)
CONV_GI_NT(conv_gi_nt_f, float, col2im_gather_f, gemm_f)

/* conv_gi_nt(w, go, gcols, gi, scratch, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW,
   oH, oW, O, single): conv_gi's results, the columns through `scratch` (K*L values) */
PyObject *
py_conv_gi_nt(PyObject *self, PyObject *args)
{
    PyObject *ow, *ogo, *oc, *ogi, *os;
    idx_t N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, O;
    int single;
    if (!PyArg_ParseTuple(args, "OOOOOnnnnnnnnnnnnnnnp", &ow, &ogo, &oc, &ogi, &os, &N, &C, &H,
                          &W, &kH, &kW, &dH, &dW, &padH, &padW, &dilH, &dilW, &oH, &oW, &O,
                          &single))
        return NULL;
    if (single ? !gemm_f : !gemm_d) {
        PyErr_SetString(PyExc_RuntimeError, "_nnk.conv_gi_nt: no gemm set");
        return NULL;
    }
    idx_t z = SZ(single), K = C * kH * kW, L = oH * oW;
    bufs bs = {.n = 0};
    void *w = get(&bs, ow, z * O * K, 0);
    void *go = w ? get(&bs, ogo, z * N * O * L, 0) : NULL;
    void *c = go ? get(&bs, oc, z * N * K * L, 1) : NULL;
    void *gi = c ? get(&bs, ogi, z * N * C * H * W, 1) : NULL;
    void *s = gi ? get(&bs, os, z * K * L, 1) : NULL;
    if (!s) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single)
        conv_gi_nt_f(w, go, c, gi, s, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH,
                     oW, O);
    else
        conv_gi_nt_d(w, go, c, gi, s, N, C, H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, oH,
                     oW, O);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* conv_gb's results with every (sample, plane) sum in flight at once: THNN's `real sum = 0;
   sum += go` over each plane of each sample is a chain of dependent additions, and conv_gb
   runs four at a time within a sample (the rest one by one: LeNet's 6 planes of 784 values
   ran as a chain of four and two single ones). The sums do not depend on each other: here
   eight run side by side over all the batch's planes, into tmp (N*O), and then gradBias gets
   `gradBias[i] += scale*sum` sample after sample, THNN's order. */
#define CONV_GB_ROWS(NAME, T)                                                                \
    static void NAME(const T *go, T *gb, T *tmp, idx_t N, idx_t O, idx_t L, T scale)         \
    {                                                                                        \
        idx_t R = N * O, r = 0;                                                              \
        for (; r + 8 <= R; r += 8) {                                                         \
            const T *p = go + r * L;                                                         \
            T s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;                \
            for (idx_t k = 0; k < L; k++) {                                                  \
                s0 += p[k];                                                                  \
                s1 += p[L + k];                                                              \
                s2 += p[2 * L + k];                                                          \
                s3 += p[3 * L + k];                                                          \
                s4 += p[4 * L + k];                                                          \
                s5 += p[5 * L + k];                                                          \
                s6 += p[6 * L + k];                                                          \
                s7 += p[7 * L + k];                                                          \
            }                                                                                \
            tmp[r] = s0;                                                                     \
            tmp[r + 1] = s1;                                                                 \
            tmp[r + 2] = s2;                                                                 \
            tmp[r + 3] = s3;                                                                 \
            tmp[r + 4] = s4;                                                                 \
            tmp[r + 5] = s5;                                                                 \
            tmp[r + 6] = s6;                                                                 \
            tmp[r + 7] = s7;                                                                 \
        }                                                                                    \
        for (; r < R; r++) {                                                                 \
            const T *p = go + r * L;                                                         \
            T sum = 0;                                                                       \
            for (idx_t k = 0; k < L; k++) sum += p[k];                                       \
            tmp[r] = sum;                                                                    \
        }                                                                                    \
        for (idx_t n = 0; n < N; n++)                                                        \
            for (idx_t i = 0; i < O; i++)                                                    \
                gb[i] += scale * tmp[n * O + i];                                             \
    }
CONV_GB_ROWS(conv_gb_rows_d, double)
CONV_GB_ROWS(conv_gb_rows_f, float)

/* conv_gb_rows(go, gb, tmp, N, O, L, scale, single): conv_gb's results; tmp holds N*O values */
PyObject *
py_conv_gb_rows(PyObject *self, PyObject *args)
{
    PyObject *ogo, *ogb, *otmp;
    idx_t N, O, L;
    double scale;
    int single;
    if (!PyArg_ParseTuple(args, "OOOnnndp", &ogo, &ogb, &otmp, &N, &O, &L, &scale, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *go = get(&bs, ogo, SZ(single) * N * O * L, 0);
    void *gb = go ? get(&bs, ogb, SZ(single) * O, 1) : NULL;
    void *tmp = gb ? get(&bs, otmp, SZ(single) * N * O, 1) : NULL;
    if (!tmp) { release(&bs); return NULL; }
    Py_BEGIN_ALLOW_THREADS
    if (single) conv_gb_rows_f(go, gb, tmp, N, O, L, (float)scale);
    else conv_gb_rows_d(go, gb, tmp, N, O, L, scale);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}
