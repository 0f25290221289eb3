"""Twin of clone_deep.lua: clone() is a deep copy that keeps the module's inner sharing."""
import torch7py as torch
from torch7py import nn


def run():
    torch.manualSeed(5)
    lin = nn.Linear(2, 2)
    m = nn.Sequential().add(lin).add(nn.ReLU()).add(lin)
    c = m.clone()
    r = {"new_storage": c.get(1).weight.storage() is not m.get(1).weight.storage(),
         "same_values": c.get(1).weight.equal(m.get(1).weight),
         "inner_sharing_kept": c.get(1) is c.get(3)}
    c.get(1).weight.fill(1)
    r["original_weight"] = m.get(1).weight
    r["clone_weight"] = c.get(3).weight
    t = torch.range(1, 6).resize(2, 3)
    v = t.narrow(2, 2, 2)
    vc = v.clone()
    r["view_clone_contiguous"] = vc.isContiguous()
    r["view_clone_stride"] = vc.stride()
    vc.fill(0)
    r["view_source"] = t
    return r
