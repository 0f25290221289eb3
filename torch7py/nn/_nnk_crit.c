/* _nnk_crit.c, part of torch7py.nn._nnk (see _nnk.c): the criterions: ClassNLLCriterion,
   MSECriterion (and its resumed forward sum). */
#include "_nnk.h"
#include <limits.h>

/* ClassNLLCriterion.c for a 1-D or 2-D contiguous input (nb frames of nc classes): forward's
   `total_weight += w; output -= x[target] * w` in order in real, then the average; backward's
   zeroed gradInput with -w (divided by total_weight when averaging) at each target. A target
   outside [1, nc] that is not ignore_index returns its frame (the caller raises THNN's
   assertion) before anything is written. */
#define CLASS_NLL(NAME, T)                                                                   \
    static idx_t NAME(const T *x, const long long *t, const T *w, idx_t nb, idx_t nc,        \
                      long long ignore, int avg, int onedim, T *out, T *total)               \
    {                                                                                        \
        for (idx_t i = 0; i < nb; i++)                                                       \
            if (t[i] != ignore && (t[i] < 1 || t[i] > nc)) return i;                         \
        T o = 0, tw = 0;                                                                     \
        for (idx_t i = 0; i < nb; i++) {                                                     \
            long long c = t[i] - 1;                                                          \
            if (t[i] == ignore) continue;                                                    \
            T cw = w ? w[c] : (T)1;                                                          \
            if (onedim) { tw = cw; o = -x[c] * tw; continue; }                               \
            tw += cw;                                                                        \
            o -= x[i * nc + c] * cw;                                                         \
        }                                                                                    \
        if (avg && tw != 0) o /= tw;                                                         \
        *out = o;                                                                            \
        *total = tw;                                                                         \
        return -1;                                                                           \
    }                                                                                        \
    static idx_t NAME##_grad(T *gi, const long long *t, const T *w, idx_t nb, idx_t nc,      \
                             long long ignore, int avg, int onedim, T total)                 \
    {                                                                                        \
        for (idx_t i = 0; i < nb; i++)                                                       \
            if (t[i] != ignore && (t[i] < 1 || t[i] > nc)) return i;                         \
        memset(gi, 0, sizeof(T) * nb * nc);                                                  \
        if (!(total > 0)) return -1;                                                         \
        for (idx_t i = 0; i < nb; i++) {                                                     \
            long long c = t[i] - 1;                                                          \
            if (t[i] == ignore) continue;                                                    \
            if (onedim) { gi[c] = (!avg && w) ? -w[c] : (T)-1; continue; }                   \
            T *g = gi + i * nc + c;                                                          \
            *g = -(w ? w[c] : (T)1);                                                         \
            if (avg && total != 0) *g /= total;                                              \
        }                                                                                    \
        return -1;                                                                           \
    }
CLASS_NLL(class_nll_d, double)
CLASS_NLL(class_nll_f, float)

PyObject *
py_class_nll(PyObject *self, PyObject *args)
{
    PyObject *ox, *ot, *ow;
    idx_t nb, nc;
    long long ignore;
    int avg, onedim, grad, single;
    double total_in;
    if (!PyArg_ParseTuple(args, "OOOnnLppdpp", &ox, &ot, &ow, &nb, &nc, &ignore, &avg, &onedim,
                          &total_in, &grad, &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * nb * nc, grad);
    const long long *t = x ? get(&bs, ot, 8 * nb, 0) : NULL;
    void *w = NULL;
    if (t && ow != Py_None) w = get(&bs, ow, z * nc, 0);
    if (!t || (ow != Py_None && !w)) { release(&bs); return NULL; }
    idx_t bad;
    double out = 0, total = 0;
    if (single) {
        float o = 0, tw = 0;
        bad = grad ? class_nll_f_grad(x, t, w, nb, nc, ignore, avg, onedim, (float)total_in)
                   : class_nll_f(x, t, w, nb, nc, ignore, avg, onedim, &o, &tw);
        out = o;
        total = tw;
    } else {
        bad = grad ? class_nll_d_grad(x, t, w, nb, nc, ignore, avg, onedim, total_in)
                   : class_nll_d(x, t, w, nb, nc, ignore, avg, onedim, &out, &total);
    }
    release(&bs);
    if (bad >= 0)
        return Py_BuildValue("n", bad);
    return Py_BuildValue("dd", out, total);
}

/* target:long() of a float or double target (ClassNLLCriterion.lua's self.target), as x86's
   truncating conversion gives it (numpy's astype, storage.c_cast): a NaN, an infinity or a
   value outside int64's range becomes INT64_MIN (cvttsd2si's "integer indefinite"); written
   out here because C leaves that case undefined. */
#define TO_LONG(NAME, T)                                                                     \
    static void NAME(const T *s, long long *d, idx_t n)                                      \
    {                                                                                        \
        for (idx_t i = 0; i < n; i++) {                                                      \
            T v = s[i];                                                                      \
            d[i] = (v >= (T)-9223372036854775808.0 && v < (T)9223372036854775808.0)         \
                       ? (long long)v : LLONG_MIN;                                           \
        }                                                                                    \
    }
TO_LONG(to_long_d, double)
TO_LONG(to_long_f, float)

PyObject *
py_to_long(PyObject *self, PyObject *args)
{
    PyObject *os, *od;
    idx_t n;
    int single;
    if (!PyArg_ParseTuple(args, "OOnp", &os, &od, &n, &single))
        return NULL;
    bufs bs = {.n = 0};
    void *s = get(&bs, os, SZ(single) * n, 0);
    long long *d = s ? get(&bs, od, 8 * n, 1) : NULL;
    if (!d) { release(&bs); return NULL; }
    if (single) to_long_f(s, d, n);
    else to_long_d(s, d, n);
    release(&bs);
    Py_RETURN_NONE;
}

/* MSECriterion.c: forward `real sum = 0; z = x - t; sum += z*z` in order, divided by n in
   real when averaging; backward gi = (x - t) * (real)(2 * norm) (norm = 1/n or 1). */
#define MSE(NAME, T)                                                                         \
    static double NAME(const T *x, const T *t, T *gi, idx_t n, int avg, int grad, double nrm)\
    {                                                                                        \
        if (grad) {                                                                          \
            T g = (T)nrm;                                                                    \
            for (idx_t i = 0; i < n; i++) { T z = x[i] - t[i]; gi[i] = z * g; }              \
            return 0;                                                                        \
        }                                                                                    \
        T sum = 0;                                                                           \
        for (idx_t i = 0; i < n; i++) { T z = x[i] - t[i]; z = z * z; sum += z; }           \
        if (avg) sum /= (T)n;                                                                \
        return sum;                                                                          \
    }
MSE(mse_d, double)
MSE(mse_f, float)

PyObject *
py_mse(PyObject *self, PyObject *args)
{
    PyObject *ox, *ot, *ogi;
    idx_t n;
    int avg, grad, single;
    double nrm;
    if (!PyArg_ParseTuple(args, "OOOnppdp", &ox, &ot, &ogi, &n, &avg, &grad, &nrm, &single))
        return NULL;
    idx_t z = SZ(single);
    bufs bs = {.n = 0};
    void *x = get(&bs, ox, z * n, 0);
    void *t = x ? get(&bs, ot, z * n, 0) : NULL;
    void *gi = NULL;
    if (t && grad) gi = get(&bs, ogi, z * n, 1);
    if (!t || (grad && !gi)) { release(&bs); return NULL; }
    double r = single ? mse_f(x, t, gi, n, avg, grad, nrm) : mse_d(x, t, gi, n, avg, grad, nrm);
    release(&bs);
    return PyFloat_FromDouble(r);
}

/* ---- MSECriterion's forward sum, resumed: a finite-difference check (criterionJacobianTest)
   evaluates it 2n times on inputs that differ from the previous call in one element. THNN's
   `sum += z*z` runs in order, each partial sum depending on the one before, so it cannot be
   split; but the partial sums of the previous call stay valid up to the first element (of x or
   t) that changed: the loop resumes there from the partial sum it had. The same additions in
   the same order, so the same bits; one memo (the last call's x, t and partial sums). -------- */
static struct { idx_t n, cap; double *x, *t, *pre; } mse_memo;

/* the first i < n where a[i] and b[i] differ in their bits (n when none) */
static idx_t
first_change(const double *a, const double *b, idx_t n)
{
    const idx_t B = 512;
    idx_t i = 0;
    while (i + B <= n && memcmp(a + i, b + i, B * sizeof(double)) == 0) i += B;
    for (; i < n; i++)
        if (memcmp(a + i, b + i, sizeof(double)) != 0) return i;
    return n;
}

PyObject *
py_mse_resume(PyObject *self, PyObject *args)
{
    PyObject *ox, *ot;
    idx_t n;
    int avg;
    if (!PyArg_ParseTuple(args, "OOnp", &ox, &ot, &n, &avg))
        return NULL;
    bufs bs = {.n = 0};
    const double *x = get(&bs, ox, sizeof(double) * n, 0);
    const double *t = x ? get(&bs, ot, sizeof(double) * n, 0) : NULL;
    if (!t) { release(&bs); return NULL; }
    idx_t f = 0;
    if (mse_memo.n == n && n > 0) {
        idx_t fx = first_change(x, mse_memo.x, n);
        idx_t ft = first_change(t, mse_memo.t, fx);
        f = ft < fx ? ft : fx;
    } else {
        if (mse_memo.cap < n) {
            double *nx = realloc(mse_memo.x, sizeof(double) * n);
            if (nx) mse_memo.x = nx;
            double *nt = realloc(mse_memo.t, sizeof(double) * n);
            if (nt) mse_memo.t = nt;
            double *np_ = realloc(mse_memo.pre, sizeof(double) * n);
            if (np_) mse_memo.pre = np_;
            if (!nx || !nt || !np_) {
                mse_memo.n = mse_memo.cap = 0;
                release(&bs);
                return PyErr_NoMemory();
            }
            mse_memo.cap = n;
        }
        mse_memo.n = 0;
    }
    double sum = f > 0 ? mse_memo.pre[f - 1] : 0;
    double *pre = mse_memo.pre;
    for (idx_t i = f; i < n; i++) {
        double z = x[i] - t[i];
        z = z * z;
        sum += z;
        pre[i] = sum;
    }
    if (f < n) {
        memcpy(mse_memo.x + f, x + f, sizeof(double) * (n - f));
        memcpy(mse_memo.t + f, t + f, sizeof(double) * (n - f));
    }
    mse_memo.n = n;
    release(&bs);
    if (avg) sum /= (double)n;
    return PyFloat_FromDouble(sum);
}
