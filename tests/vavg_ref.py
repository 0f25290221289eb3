"""THNN VolumetricAveragePooling's geometry, shared by the tests that write its C loops out
one element at a time (updateOutput and updateGradInput of nn/lib/THNN/generic/
VolumetricAveragePooling.c)."""
import numpy as np


def vavg_out_size(S, k, d, pad, ceil):
    """The output's (T, H, W) for an input of S (T, H, W)."""
    out = []
    for i in range(3):
        if ceil:  # C: ceil((float)span / d)
            o = int(np.ceil(np.float32(S[i] - k[i] + 2 * pad[i]) / np.float32(d[i]))) + 1
        else:
            o = (S[i] - k[i] + 2 * pad[i]) // d[i] + 1
        # `if (padT || padW || padH)`: the last window starts inside (only with padding)
        if any(pad) and (o - 1) * d[i] >= S[i] + pad[i]:
            o -= 1
        out.append(o)
    return out


def vavg_windows(S, out, k, d, pad, inc):
    """Each output (t, h, w) in the C loops' order, with its window's start and end in the
    input (padding cut off) and its divide_factor (the padded window's size with
    count_include_pad, else the part inside)."""
    for t in range(out[0]):
        for h in range(out[1]):
            for w in range(out[2]):
                st = [t * d[0] - pad[0], h * d[1] - pad[1], w * d[2] - pad[2]]
                en = [min(st[i] + k[i], S[i] + pad[i]) for i in range(3)]
                ps = (en[0] - st[0]) * (en[1] - st[1]) * (en[2] - st[2])
                st = [max(v, 0) for v in st]
                en = [min(en[i], S[i]) for i in range(3)]
                div = ps if inc else (en[0] - st[0]) * (en[1] - st[1]) * (en[2] - st[2])
                yield (t, h, w), st, en, div
