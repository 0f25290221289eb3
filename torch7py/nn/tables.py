"""nn.tables: port of torch/nn SpatialConvolutionMap.lua's connection tables (full, oneToOne,
random): (nConnections x 2) tensors of (input plane, output plane), 1-based."""
import numpy as np

from ._kernels import arr, new_tensor


def full(nin, nout):
    ft = new_tensor(nin * nout, 2)
    a = arr(ft)
    a[:, 0] = np.tile(np.arange(1, nin + 1), nout)
    a[:, 1] = np.repeat(np.arange(1, nout + 1), nin)
    return ft


def oneToOne(nfeat):
    ft = new_tensor(nfeat, 2)
    arr(ft)[...] = np.arange(1, nfeat + 1)[:, None]
    return ft


def random(nin, nout, nto):
    """Each output plane reads nto distinct input planes, drawn from successive randperms."""
    import torch7py as torch
    tbl = new_tensor(nto * nout, 2)
    a = arr(tbl)
    fi = arr(torch.randperm(nin)).copy()
    nfi = nin // nto
    chunk = 0
    for i in range(nout):
        a[i * nto:(i + 1) * nto, 0] = fi[chunk * nto:(chunk + 1) * nto]
        chunk += 1
        if chunk == nfi:
            fi = arr(torch.randperm(nin)).copy()
            chunk = 0
    a[:, 1] = np.repeat(np.arange(1, nout + 1), nto)
    return tbl


