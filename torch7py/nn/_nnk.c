/* torch7py.nn._nnk: THNN's loops for the layers of a training step (max pooling, threshold,
   col2im, batch normalization, the convolutions' gradBias), in C, in THNN's order.

   numpy needs several passes and temporaries for what THNN does in one loop; these kernels
   do THNN's loop. Each exists for double and float (`single`); sums accumulate in accreal
   (double) where THNN does, and in real where THNN does. Built with -ffp-contract=off and
   without -ffast-math: no fused or reordered arithmetic. Buffers come C-contiguous through
   the buffer protocol; the Python callers (torch7py/nn/_ckernels.py) check shapes and types
   and keep a numpy path for when this module is not built.

   The loops live in family files compiled into this one module, each including _nnk.h
   (what they share: the buffer glue, the gemm pointers, the declarations of the functions
   listed here): _nnk_pool.c, _nnk_conv.c, _nnk_act.c, _nnk_norm.c, _nnk_linear.c, _nnk_crit.c.
   This file holds the module definition and its method table. */
#define NNK_TABLE_ONLY
#include "_nnk.h"

static PyMethodDef methods[] = {
    {"logsoftmax", py_logsoftmax, METH_VARARGS, "THNN LogSoftMax forward"},
    {"logsoftmax_grad", py_logsoftmax_grad, METH_VARARGS, "THNN LogSoftMax gradInput"},
    {"im2col", py_im2col, METH_VARARGS, "THNN unfolded_copy over a batch"},
    {"add_bias", py_add_bias, METH_VARARGS, "y[o, c, :] += b[c]"},
    {"maxpool", py_maxpool, METH_VARARGS, "THNN SpatialDilatedMaxPooling forward"},
    {"maxpool_back", py_maxpool_back, METH_VARARGS, "max pooling gradInput from indices"},
    {"threshold", py_threshold, METH_VARARGS, "THNN Threshold forward"},
    {"threshold_grad", py_threshold_grad, METH_VARARGS, "THNN Threshold gradInput"},
    {"col2im", py_col2im, METH_VARARGS, "THNN unfolded_acc over a batch (overwrites)"},
    {"bn_sums", py_bn_sums, METH_VARARGS, "BatchNormalization's per-plane sums"},
    {"bn_gsums", py_bn_gsums, METH_VARARGS, "BatchNormalization backward's sums"},
    {"bn_out", py_bn_out, METH_VARARGS, "BatchNormalization output"},
    {"bn_gi", py_bn_gi, METH_VARARGS, "BatchNormalization training gradInput"},
    {"conv_gb", py_conv_gb, METH_VARARGS, "SpatialConvolutionMM gradBias"},
    {"class_nll", py_class_nll, METH_VARARGS, "ClassNLLCriterion forward or gradInput"},
    {"zero_stream", py_zero_stream, METH_VARARGS, "zero a buffer with streaming stores"},
    {"set_gemm", py_set_gemm, METH_VARARGS, "numpy's cblas dgemm and sgemm (64-bit ints)"},
    {"conv_fwd", py_conv_fwd, METH_VARARGS, "convolution forward, one sample at a time"},
    {"conv_gi", py_conv_gi, METH_VARARGS, "convolution gradInput, one sample at a time"},
    {"linear_gb", py_linear_gb, METH_VARARGS, "Linear's batch gradBias (scale 1)"},
    {"linear_blas", py_linear_blas, METH_VARARGS, "the OpenBLAS build linear_gb follows "
     "(1: SkylakeX, 0: Haswell)"},
    {"maxpool22", py_maxpool22, METH_VARARGS, "max pooling, 2x2 windows, stride 2"},
    {"linear_fwd_tail", py_linear_fwd_tail, METH_VARARGS, "Linear's forward, 1-3 inputs"},
    {"act_grad", py_act_grad, METH_VARARGS, "Tanh / Sigmoid gradInput"},
    {"mse", py_mse, METH_VARARGS, "MSECriterion forward or gradInput"},
    {"vmaxpool", py_vmaxpool, METH_VARARGS, "VolumetricDilatedMaxPooling forward"},
    {"vol2col", py_vol2col, METH_VARARGS, "vol2col (im2col in 1 to 3 dimensions)"},
    {"col2vol", py_col2vol, METH_VARARGS, "col2vol (col2im in 1 to 3 dimensions)"},
    {"mse_resume", py_mse_resume, METH_VARARGS, "MSECriterion's double forward, resumed"},
    {"fsum_d", py_fsum_d, METH_VARARGS, "a float sum of double terms, rounded each step"},
    {"flp", py_flp, METH_VARARGS, "FeatureLPPooling forward"},
    {"flp_back", py_flp_back, METH_VARARGS, "FeatureLPPooling backward from kept terms"},
    {"vavgpool", py_vavgpool, METH_VARARGS, "VolumetricAveragePooling forward"},
    {"vavgpool_back", py_vavgpool_back, METH_VARARGS, "VolumetricAveragePooling gradInput"},
    {"avgpool_back", py_avgpool_back, METH_VARARGS, "SpatialAveragePooling gradInput"},
    {"pad_back", py_pad_back, METH_VARARGS, "the padding layers' gradInput"},
    {"gathermax", py_gathermax, METH_VARARGS, "max over gathered windows (fractional)"},
    {"upnear_back", py_upnear_back, METH_VARARGS, "UpSamplingNearest gradInput"},
    {"linear_acc", py_linear_acc, METH_VARARGS, "Linear's batch gradWeight (gemm, beta 1) "
     "and gradBias"},
    {"linear_fwd", py_linear_fwd, METH_VARARGS, "Linear's batch forward (gemm, bias)"},
    {"linear_bwd", py_linear_bwd, METH_VARARGS, "Linear's batch backward at scale 1 (gradInput "
     "gemm, gradWeight gemm with beta 1, gradBias)"},
    {"conv_acc", py_conv_acc, METH_VARARGS, "convolution gradWeight, a gemm (beta 1) a sample"},
    {"conv_gb_rows", py_conv_gb_rows, METH_VARARGS, "conv_gb, the batch's plane sums eight at "
     "a time"},
    {"maxpool22_v", py_maxpool22_v, METH_VARARGS, "maxpool22, float planes 8 windows at a time "
     "on AVX2"},
    {"conv_gi_nt", py_conv_gi_nt, METH_VARARGS, "conv_gi, the columns through a scratch buffer "
     "and streamed to fgradInput"},
    {"to_long", py_to_long, METH_VARARGS, "a float target as int64, as x86 truncates it"},
    {"uplin_back", py_uplin_back, METH_VARARGS, "linear UpSampling gradInput (THNN's order)"},
    {"zero_many", py_zero_many, METH_VARARGS, "g:zero() for each array of a list (streaming "
     "stores for large ones)"},
    {"axpy_many", py_axpy_many, METH_VARARGS, "p:add(v, g) (fused) for each pair of two "
     "lists of arrays"},
    {"linear_chain", py_linear_chain, METH_VARARGS, "linear_fwd or linear_bwd with each "
     "argument tuple of a list, in order"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_nnk", "THNN's training-step loops in C (see _ckernels.py)", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__nnk(void)
{
    return PyModule_Create(&module);
}
