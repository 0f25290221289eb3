"""Twin of forward_aliasing.lua: forward's result is the module's reused output buffer."""
import torch7py as torch
from torch7py import nn


def run():
    torch.manualSeed(7)
    m = nn.Linear(3, 2)
    y1 = m.forward(torch.ones(3))
    y1_before = y1.clone()
    y2 = m.forward(torch.ones(4, 3).mul(2))
    seq = nn.Sequential().add(nn.Linear(3, 3)).add(nn.Tanh())
    s1 = seq.forward(torch.ones(3))
    last = seq.get(2).output
    seq_is_last = s1 is last
    seq.forward(torch.ones(2, 3))
    return {"same_object": y1 is y2, "y1_before": y1_before, "y1_after": y1,
            "y1_dim_after": y1.dim(), "seq_is_last": seq_is_last, "seq_first_after": s1}
