/* THNN's VolumetricDilatedMaxPooling window, shared by _nnk_pool.c (the whole forward) and
   _sn.c (the forward resumed where its input changed). For output (ti, i, j) of a plane whose
   input starts at ip0 (iT x iH x iW): the window's start moves forward by whole dilations while
   negative and its kernel shrinks by the padding; steps past the input are skipped;
   `val > maxval` from -INF keeps the first maximum and never a NaN. Sets maxval and the
   kernel offsets mz, my, mx of the maximum (-1 when none). K, D, P, L: kernel, stride, padding,
   dilation (t, h, w). */
#ifndef TORCH7PY_NN_VMAXPOOL_WINDOW_H
#define TORCH7PY_NN_VMAXPOOL_WINDOW_H

#define VMAXPOOL_WINDOW(T, INF, ip0, iT, iH, iW, ti, i, j, K, D, P, L, maxval, mz, my, mx)  \
    do {                                                                                     \
        idx_t st = (ti) * D[0] - P[0], sh = (i) * D[1] - P[1], sw = (j) * D[2] - P[2];       \
        idx_t kt = K[0] < K[0] + st ? K[0] : K[0] + st;                                      \
        idx_t kh = K[1] < K[1] + sh ? K[1] : K[1] + sh;                                      \
        idx_t kw = K[2] < K[2] + sw ? K[2] : K[2] + sw;                                      \
        while (st < 0) st += L[0];                                                           \
        while (sh < 0) sh += L[1];                                                           \
        while (sw < 0) sw += L[2];                                                           \
        maxval = -(INF);                                                                     \
        mz = my = mx = -1;                                                                   \
        for (idx_t z = 0; z < kt; z++) {                                                     \
            idx_t tt = st + z * L[0];                                                        \
            if (tt >= (iT)) continue;                                                        \
            for (idx_t a = 0; a < kh; a++) {                                                 \
                idx_t hh = sh + a * L[1];                                                    \
                if (hh >= (iH)) continue;                                                    \
                const T *row = (ip0) + (tt * (iH) + hh) * (iW);                              \
                for (idx_t b = 0; b < kw; b++) {                                             \
                    idx_t ww = sw + b * L[2];                                                \
                    if (ww >= (iW)) continue;                                                \
                    T val = row[ww];                                                         \
                    if (val > maxval) {                                                      \
                        maxval = val;                                                        \
                        mz = (int)(z + (K[0] - kt));                                         \
                        my = (int)(a + (K[1] - kh));                                         \
                        mx = (int)(b + (K[2] - kw));                                         \
                    }                                                                        \
                }                                                                            \
            }                                                                                \
        }                                                                                    \
    } while (0)

#endif
