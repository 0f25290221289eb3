/* _nnk_crit.c, part of torch7py.nn._nnk (see _nnk.c): the criterions: ClassNLLCriterion,
   MSECriterion (and its resumed forward sum). */
#include "_nnk.h"
#include <limits.h>

#include <stdint.h>

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

/* ---- MSECriterion's forward sum over a centre-cropped target (SpatialAutoCropMSECriterion),
   from a memo. A finite-difference check (criterionJacobianTest) evaluates it 2n times on inputs
   that differ from a kept state (the memo: its terms z_k = (x_k - t_k)^2 and THNN's partial sums
   S_k = fl(S_{k-1} + z_k)) in a few terms: the sum depends on x and t through the z alone, so
   a call compares the terms it computes with the memo's, bit for bit (reading x, the crop and
   the memo's z: three arrays, where a memo of x and t took four). THNN's `sum += z*z` runs in
   order, and each partial sum depends on the one before; the new chain S'_k is not recomputed
   element by element all the same:
   - up to the first changed element it is the memo's;
   - past a changed element, while no element changes, S'_k = S_k + delta with a fixed delta as
     long as S_{k-1}, S'_{k-1}, S_k + delta all lie in one binade [2^e, 2^(e+1)) and no step of
     the memo's chain was a tie: then S_{k-1} + z_k and S'_{k-1} + z_k are the same real number
     shifted by delta, a multiple of the binade's ulp, and round to points shifted by delta (the
     z are >= 0, so the chain only grows: the run ends where a binary search of the memo's
     partial sums says it leaves the binade). The memo's ties (a rounding error of exactly half
     an ulp, where round-to-even could go the other way) are noted when the memo is built;
   - everywhere else (a changed element, a binade crossed, a tie, zero or subnormal or
     non-finite sums) the step is THNN's own addition.
   The result is the fl(...) of THNN's order whatever the inputs; the cost of a call is reading
   x and the crop (to find what changed) plus a few steps per binade. The memo is rebuilt when
   more than MSE_DMAX terms differ from it. Doubles only; the target is read in place. ---- */
#define MSE_DMAX 256

static struct {
    idx_t n, cap, outer, h, w, ntie, captie;
    double *z, *pre, sum;
    idx_t *tie;
} mse_memo;

static inline uint64_t
mse_bits(double v)
{
    uint64_t b;
    memcpy(&b, &v, 8);
    return b;
}

static inline double
mse_term(double x, double t)  /* THNN's z = x - t; z * z */
{
    double z = x - t;
    return z * z;
}

static inline int
mse_exp(double v)  /* the biased exponent of v's bits; the sign bit makes it >= 2048 */
{
    uint64_t b;
    memcpy(&b, &v, 8);
    return (int)(b >> 52);
}

static inline double
mse_pow2(int e)  /* 2^(e - 1023) for a biased exponent 1 <= e <= 2046 */
{
    uint64_t b = (uint64_t)e << 52;
    double v;
    memcpy(&v, &b, 8);
    return v;
}

static int
mse_note_tie(idx_t k)
{
    if (mse_memo.ntie == mse_memo.captie) {
        idx_t c = mse_memo.captie ? 2 * mse_memo.captie : 64;
        idx_t *p = realloc(mse_memo.tie, sizeof(idx_t) * (size_t)c);
        if (!p) return -1;
        mse_memo.tie = p;
        mse_memo.captie = c;
    }
    mse_memo.tie[mse_memo.ntie++] = k;
    return 0;
}

/* the memo from scratch: THNN's loop, noting the steps whose rounding was a tie (TwoSum's exact
   error equal to half the spacing of the result's binade, or of the one below at a power of
   two; tiny sums count as ties whenever inexact) */
static int
mse_build(void)
{
    const double *zs = mse_memo.z;
    double *pre = mse_memo.pre;
    double sum = 0;
    mse_memo.ntie = 0;
    for (idx_t k = 0; k < mse_memo.n; k++) {
        double z = zs[k];
        double a = sum;
        sum += z;
        pre[k] = sum;
        double bv = sum - a, av = sum - bv;
        double err = (a - av) + (z - bv);
        if (err != 0) {
            int e = mse_exp(sum);
            if (e >= 2047) continue;  /* non-finite or negative: never jumped over */
            double ae = fabs(err);
            if (e <= 54 || ae == mse_pow2(e - 53) || ae == mse_pow2(e - 54))
                if (mse_note_tie(k) < 0) return -1;
        }
    }
    mse_memo.sum = sum;
    return 0;
}

/* the chain from S'_{k-1} = s over positions k..b, whose elements equal the memo's */
static double
mse_advance(double s, idx_t k, idx_t b)
{
    const double *pre = mse_memo.pre, *zs = mse_memo.z;
    while (k <= b) {
        double sb = pre[k - 1];
        if (s == sb && mse_exp(s) < 2047) return pre[b];  /* the memo's own chain */
        int e = mse_exp(sb);
        if (e >= 1 && e < 2046 && mse_exp(s) == e) {
            double limit = mse_pow2(e + 1), delta = s - sb;  /* exact: one binade */
            double bound = delta > 0 ? limit - delta : limit;
            /* the last E in [k, b] with pre[E] < bound (pre grows along the chain) */
            idx_t lo = k, hi = b + 1;
            while (lo < hi) {
                idx_t mid = lo + (hi - lo) / 2;
                if (pre[mid] < bound) lo = mid + 1;
                else hi = mid;
            }
            idx_t E = lo - 1;
            /* the first tie in [k, E] ends the run before it */
            idx_t tl = 0, th = mse_memo.ntie;
            while (tl < th) {
                idx_t mid = tl + (th - tl) / 2;
                if (mse_memo.tie[mid] < k) tl = mid + 1;
                else th = mid;
            }
            if (tl < mse_memo.ntie && mse_memo.tie[tl] <= E) E = mse_memo.tie[tl] - 1;
            if (E >= k) {
                s = pre[E] + delta;  /* exact: both on the binade's grid */
                k = E + 1;
                continue;
            }
        }
        s += zs[k];
        k++;
    }
    return s;
}

/* positions (ascending) whose term (x - t)^2 differs in its bits from the memo's: their count,
   or -1 past MSE_DMAX. Row by row of the crop (each row contiguous in t), in blocks whose bit
   differences are or-ed first (a loop that runs 4 lanes wide where the CPU has them). */
static idx_t
mse_diffs(const double *x, const double *tb, idx_t TH, idx_t TW, idx_t r0, idx_t c0,
          idx_t *out)
{
    idx_t h = mse_memo.h, w = mse_memo.w, nd = 0;
    const double *mz = mse_memo.z;
    const idx_t B = 64;
    for (idx_t o = 0; o < mse_memo.outer; o++)
        for (idx_t i = 0; i < h; i++) {
            idx_t base = (o * h + i) * w;
            const double *xr = x + base, *zr = mz + base;
            const double *tr = tb + (o * TH + r0 + i) * TW + c0;
            for (idx_t j0 = 0; j0 < w; j0 += B) {
                idx_t j1 = j0 + B < w ? j0 + B : w;
                uint64_t acc = 0;
                for (idx_t j = j0; j < j1; j++)
                    acc |= mse_bits(mse_term(xr[j], tr[j])) ^ mse_bits(zr[j]);
                if (!acc) continue;
                for (idx_t j = j0; j < j1; j++)
                    if (mse_bits(mse_term(xr[j], tr[j])) != mse_bits(zr[j])) {
                        if (nd == MSE_DMAX) return -1;
                        out[nd++] = base + j;
                    }
            }
        }
    return nd;
}

PyObject *
py_mse_resume(PyObject *self, PyObject *args)
{
    PyObject *ox, *ot;
    idx_t outer, TH, TW, h, w, r0, c0;
    int avg;
    if (!PyArg_ParseTuple(args, "OOnnnnnnnp", &ox, &ot, &outer, &TH, &TW, &h, &w, &r0, &c0,
                          &avg))
        return NULL;
    if (outer < 0 || h < 1 || w < 1 || r0 < 0 || c0 < 0 || r0 + h > TH || c0 + w > TW) {
        PyErr_SetString(PyExc_ValueError, "_nnk.mse_resume: bad crop");
        return NULL;
    }
    idx_t n = outer * h * w;
    bufs bs = {.n = 0};
    const double *x = get(&bs, ox, sizeof(double) * n, 0);
    const double *tb = x ? get(&bs, ot, sizeof(double) * outer * TH * TW, 0) : NULL;
    if (!tb) { release(&bs); return NULL; }
    if (n == 0) {
        release(&bs);
        return PyFloat_FromDouble(avg ? NAN : 0.0);
    }
    idx_t d[MSE_DMAX], nd = -1;
    if (mse_memo.n == n && mse_memo.outer == outer && mse_memo.h == h && mse_memo.w == w)
        nd = mse_diffs(x, tb, TH, TW, r0, c0, d);
    double sum;
    if (nd < 0) {
        if (mse_memo.cap < n) {
            double *nz = realloc(mse_memo.z, sizeof(double) * n);
            if (nz) mse_memo.z = nz;
            double *np_ = realloc(mse_memo.pre, sizeof(double) * n);
            if (np_) mse_memo.pre = np_;
            if (!nz || !np_) {
                mse_memo.n = mse_memo.cap = 0;
                release(&bs);
                return PyErr_NoMemory();
            }
            mse_memo.cap = n;
        }
        mse_memo.n = 0;
        for (idx_t o = 0; o < outer; o++)
            for (idx_t i = 0; i < h; i++) {
                const double *xr = x + (o * h + i) * w;
                const double *tr = tb + (o * TH + r0 + i) * TW + c0;
                double *zr = mse_memo.z + (o * h + i) * w;
                for (idx_t j = 0; j < w; j++)
                    zr[j] = mse_term(xr[j], tr[j]);
            }
        mse_memo.outer = outer;
        mse_memo.h = h;
        mse_memo.w = w;
        mse_memo.n = n;
        if (mse_build() < 0) {
            mse_memo.n = 0;
            release(&bs);
            return PyErr_NoMemory();
        }
        sum = mse_memo.sum;
    } else if (nd == 0) {
        sum = mse_memo.sum;
    } else {
        /* the memo stays: the next call (the check's next element) differs from it again in
           a few elements */
        sum = d[0] > 0 ? mse_memo.pre[d[0] - 1] : 0;
        idx_t k = d[0];
        for (idx_t q = 0; q < nd; q++) {
            if (d[q] > k) sum = mse_advance(sum, k, d[q] - 1);
            idx_t p = d[q], o = p / (h * w), i = (p / w) % h, j = p % w;
            sum += mse_term(x[p], tb[(o * TH + r0 + i) * TW + c0 + j]);
            k = p + 1;
        }
        if (k < n) sum = mse_advance(sum, k, n - 1);
    }
    release(&bs);
    if (avg) sum /= (double)n;
    return PyFloat_FromDouble(sum);
}

/* THNN's `real sum = 0; sum += term` for float tensors whose term is a double expression (a
   double literal or a libm call in it: SmoothL1's 0.5*z*z, DistKLDiv's t*(log(t) - x)): each
   step adds in double and rounds the sum to float. n double terms, contiguous. */
PyObject *
py_fsum_d(PyObject *self, PyObject *args)
{
    PyObject *ot;
    idx_t n;
    if (!PyArg_ParseTuple(args, "On", &ot, &n))
        return NULL;
    bufs bs = {.n = 0};
    const double *t = get(&bs, ot, (idx_t)sizeof(double) * n, 0);
    if (!t) { release(&bs); return NULL; }
    float s = 0;
    for (idx_t i = 0; i < n; i++) s = (float)((double)s + t[i]);
    release(&bs);
    return PyFloat_FromDouble(s);
}
