"""Twin of printing.lua: str() of torch7py objects is Torch7's tostring."""
import torch7py as torch
from torch7py import nn


def run():
    return {"vector": str(torch.Tensor([1, 2.5, -3])),
            "matrix": str(torch.range(1, 6).resize(2, 3)),
            "long": str(torch.LongTensor([7, -8])), "empty": str(torch.Tensor()),
            "storage": str(torch.FloatStorage([0.5, 1])), "big": str(torch.Tensor([1e10, 1])),
            "module": str(nn.Linear(3, 4)),
            "seq": str(nn.Sequential().add(nn.Linear(2, 2)).add(nn.ReLU()))}
