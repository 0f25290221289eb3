"""Twin of serialization.lua through torch7py's Python API."""
import os
import tempfile

import torch7py as torch
from torch7py import nn


def run():
    fd, tmp = tempfile.mkstemp()
    os.close(fd)
    torch.manualSeed(2)
    base = torch.range(1, 6)
    obj = {"a": base, "b": base.narrow(1, 2, 3), "n": 4.5, "s": "str", "flag": True,
           "list": [1, 2, 3], "model": nn.Linear(2, 2)}
    r = {}
    for mode in ("binary", "ascii"):
        torch.save(tmp, obj, mode)
        o = torch.load(tmp, mode)
        r[mode] = {"b": o["b"], "shared": o["a"].storage() is o["b"].storage(), "n": o["n"],
                   "s": o["s"], "flag": o["flag"], "list": o["list"],
                   "weight": o["model"].weight, "type": torch.typename(o["model"])}
    os.remove(tmp)
    s = torch.serialize(torch.LongTensor([1, -2]))
    r["serialize_len"] = len(s)
    r["roundtrip"] = torch.deserialize(s)
    return r
