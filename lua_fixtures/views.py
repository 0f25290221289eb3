"""Twin of views.lua: the same views through torch7py's Python API."""
import torch7py as torch


def run():
    t = torch.range(1, 12).resize(3, 4)
    n = t.narrow(2, 2, 2)
    s = t.select(1, 2)
    tt = t.t()
    e = torch.Tensor([1, 2, 3]).view(3, 1).expand(3, 4)
    n.fill(0)
    s[1] = -1
    t[3, [3, 4]] = 9
    return {"t": t, "n": n, "s": s, "tt_stride": tt.stride(), "tt_contig": tt.isContiguous(),
            "e": e, "e_stride": e.stride(), "sizes": t.size(),
            "same_storage": t.storage() is n.storage(), "row_neg": t[-1], "elem": t[2, -1],
            "unfold": torch.range(1, 5).unfold(1, 2, 1)}
