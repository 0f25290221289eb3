/* The buffer glue of nn's C extensions (_nnk*.c, _sn.c): the numpy arrays a kernel reads and
   writes, taken C-contiguous through the buffer protocol, each checked to hold `need` bytes,
   and all released at once. Include after Python.h and the idx_t typedef. */
#ifndef TORCH7PY_NN_CBUFS_H
#define TORCH7PY_NN_CBUFS_H

#define NBUF 12  /* linear_bwd with a Threshold after it holds 9 */

typedef struct {
    Py_buffer b[NBUF];
    int n;
} bufs;

static void
release(bufs *bs)
{
    for (int i = 0; i < bs->n; i++)
        PyBuffer_Release(&bs->b[i]);
    bs->n = 0;
}

/* a C-contiguous buffer of at least `need` bytes (exactly, when `exact`; writable when asked) */
static void *
get_buffer(bufs *bs, PyObject *o, idx_t need, int writable, int exact, const char *who)
{
    Py_buffer *b = &bs->b[bs->n];
    if (PyObject_GetBuffer(o, b, (writable ? PyBUF_WRITABLE : 0) | PyBUF_C_CONTIGUOUS) < 0)
        return NULL;
    bs->n++;
    if (exact ? b->len != need : b->len < need) {
        PyErr_Format(PyExc_ValueError, "%s: buffer %s", who,
                     exact ? "of the wrong size" : "too small");
        return NULL;
    }
    return b->buf;
}

#endif
