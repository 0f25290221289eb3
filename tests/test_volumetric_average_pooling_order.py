"""VolumetricAveragePooling's forward is THNN's loop: real sum = 0, the window's elements in
t, h, w order (padding skipped), then sum / divide_factor in real; checked element by element
against that loop written out (float and double, padding, ceil mode, pad counting)."""
import numpy as np

import torch7py as torch
from torch7py import nn

from vavg_ref import vavg_out_size, vavg_windows


def thnn(x, k, d, pad, ceil, inc):
    """THNN VolumetricAveragePooling_updateOutput's loops, one element at a time."""
    N, C = x.shape[:2]
    S = x.shape[2:]
    out = vavg_out_size(S, k, d, pad, ceil)
    y = np.zeros((N, C) + tuple(out), x.dtype)
    for n in range(N):
        for c in range(C):
            for (t, h, w), st, en, div in vavg_windows(S, out, k, d, pad, inc):
                sm = x.dtype.type(0)
                for z in range(st[0], en[0]):
                    for yy in range(st[1], en[1]):
                        for xx in range(st[2], en[2]):
                            sm = x.dtype.type(sm + x[n, c, z, yy, xx])
                with np.errstate(divide='ignore', invalid='ignore'):  # 0/0: NaN
                    y[n, c, t, h, w] = x.dtype.type(sm / x.dtype.type(div))
    return y


def test_volumetric_average_pooling_forward_is_thnn_loop():
    rng = np.random.default_rng(0)
    checked = 0
    for trial in range(40):
        k = tuple(int(v) for v in rng.integers(1, 4, 3))
        d = tuple(int(v) for v in rng.integers(1, 3, 3))
        pad = tuple(int(rng.integers(0, k[i] // 2 + 1)) for i in range(3))
        S = tuple(int(k[i] + rng.integers(0, 4)) for i in range(3))
        dt = rng.choice([np.float32, np.float64])
        x = (rng.standard_normal((1, 2) + S) * np.exp(rng.uniform(-10, 10, (1, 2) + S))).astype(dt)
        m = nn.VolumetricAveragePooling(k[0], k[2], k[1], d[0], d[2], d[1], pad[0], pad[2],
                                        pad[1])
        if dt == np.float32:  # (Torch7: the module's tensors of the input's type)
            m.float()
        ceil, inc = bool(rng.integers(0, 2)), bool(rng.integers(0, 2))
        if dt == np.float32:  # THNN's FFI takes only tensors of the module's own type
            m.float()
        if ceil:
            m.ceil()
        if not inc:
            m.setCountExcludePad()
        y = m.forward(torch.from_numpy(x)).numpy()
        np.testing.assert_array_equal(y, thnn(x, k, d, pad, ceil, inc))
        checked += 1
    assert checked == 40
