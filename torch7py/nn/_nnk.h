/* torch7py/nn/_nnk.h: what the files of the extension torch7py.nn._nnk share (internal):
   the includes, the index type, the buffer glue (_cbufs.h), numpy's cblas gemm that
   set_gemm sets, and the Python functions of _nnk.c's method table, by file. */
#ifndef TORCH7PY_NN_NNK_H
#define TORCH7PY_NN_NNK_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>

typedef Py_ssize_t idx_t;

/* TH's THInf of a real type: its largest finite value (THGenerateDoubleType.h: DBL_MAX), which
   THNN's max searches start below */
#define THINF(T) ((T)(sizeof(T) == sizeof(float) ? FLT_MAX : DBL_MAX))

/* ---- Python glue ------------------------------------------------------------------------- */

#ifndef NNK_TABLE_ONLY  /* the kernels' files: the buffer glue */
#include "_cbufs.h"

static void *
get(bufs *bs, PyObject *o, idx_t need, int writable)
{
    return get_buffer(bs, o, need, writable, 0, "_nnk");
}
#endif

#define SZ(single) ((single) ? sizeof(float) : sizeof(double))

/* what the files share stays inside the module: hidden symbols, so that _nnk and
   _nnk_hw (the same sources) each use their own (PyInit__nnk stays exported) */
#pragma GCC visibility push(hidden)

/* numpy's cblas ?gemm (set by set_gemm in _nnk_conv.c, used there and by _nnk_linear.c) */
typedef void (*gemm_d_t)(int, int, int, long long, long long, long long, double, const double *,
                         long long, const double *, long long, double, double *, long long);
typedef void (*gemm_f_t)(int, int, int, long long, long long, long long, float, const float *,
                         long long, const float *, long long, float, float *, long long);
extern gemm_d_t gemm_d;
extern gemm_f_t gemm_f;
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

/* _nnk_pool.c */
PyObject *py_maxpool(PyObject *self, PyObject *args);
PyObject *py_maxpool_back(PyObject *self, PyObject *args);
PyObject *py_maxpool22(PyObject *self, PyObject *args);
PyObject *py_vmaxpool(PyObject *self, PyObject *args);
PyObject *py_flp(PyObject *self, PyObject *args);
PyObject *py_flp_back(PyObject *self, PyObject *args);
PyObject *py_vavgpool(PyObject *self, PyObject *args);
PyObject *py_gathermax(PyObject *self, PyObject *args);
PyObject *py_upnear_back(PyObject *self, PyObject *args);
PyObject *py_uplin_back(PyObject *self, PyObject *args);
PyObject *py_maxpool22_v(PyObject *self, PyObject *args);
PyObject *py_avgpool_back(PyObject *self, PyObject *args);
PyObject *py_pad_back(PyObject *self, PyObject *args);

/* _nnk_conv.c */
PyObject *py_im2col(PyObject *self, PyObject *args);
PyObject *py_add_bias(PyObject *self, PyObject *args);
PyObject *py_col2im(PyObject *self, PyObject *args);
PyObject *py_conv_gb(PyObject *self, PyObject *args);
PyObject *py_set_gemm(PyObject *self, PyObject *args);
PyObject *py_conv_fwd(PyObject *self, PyObject *args);
PyObject *py_conv_gi(PyObject *self, PyObject *args);
PyObject *py_vol2col(PyObject *self, PyObject *args);
PyObject *py_col2vol(PyObject *self, PyObject *args);
PyObject *py_conv_acc(PyObject *self, PyObject *args);
PyObject *py_conv_gb_rows(PyObject *self, PyObject *args);
PyObject *py_conv_gi_nt(PyObject *self, PyObject *args);

/* _nnk_act.c */
void thresh_d(const double *x, double *out, idx_t n, double th, double val, int inplace);
void thresh_f(const float *x, float *out, idx_t n, float th, float val, int inplace);
void thresh_d_grad(const double *x, const double *go, double *gi, idx_t n, double th,
                   int inplace);
void thresh_f_grad(const float *x, const float *go, float *gi, idx_t n, float th, int inplace);
PyObject *py_logsoftmax(PyObject *self, PyObject *args);
PyObject *py_logsoftmax_grad(PyObject *self, PyObject *args);
PyObject *py_threshold(PyObject *self, PyObject *args);
PyObject *py_threshold_grad(PyObject *self, PyObject *args);
PyObject *py_act_grad(PyObject *self, PyObject *args);

/* _nnk_norm.c */
PyObject *py_bn_sums(PyObject *self, PyObject *args);
PyObject *py_bn_gsums(PyObject *self, PyObject *args);
PyObject *py_bn_out(PyObject *self, PyObject *args);
PyObject *py_bn_gi(PyObject *self, PyObject *args);

/* _nnk_linear.c */
PyObject *py_zero_stream(PyObject *self, PyObject *args);
PyObject *py_linear_gb(PyObject *self, PyObject *args);
PyObject *py_linear_blas(PyObject *self, PyObject *args);
PyObject *py_linear_fwd_tail(PyObject *self, PyObject *args);
PyObject *py_linear_acc(PyObject *self, PyObject *args);
PyObject *py_linear_fwd(PyObject *self, PyObject *args);
PyObject *py_linear_bwd(PyObject *self, PyObject *args);
PyObject *py_zero_many(PyObject *self, PyObject *args);
PyObject *py_axpy_many(PyObject *self, PyObject *args);
PyObject *py_linear_chain(PyObject *self, PyObject *args);

/* _nnk_crit.c */
PyObject *py_class_nll(PyObject *self, PyObject *args);
PyObject *py_to_long(PyObject *self, PyObject *args);
PyObject *py_mse(PyObject *self, PyObject *args);
PyObject *py_mse_resume(PyObject *self, PyObject *args);
PyObject *py_fsum_d(PyObject *self, PyObject *args);
PyObject *py_vavgpool_back(PyObject *self, PyObject *args);

#pragma GCC visibility pop

#endif
