"""Twin of math.lua through torch7py's Python API."""
import torch7py as torch


def run():
    a = torch.Tensor([[1, -2, 3], [4, 5, -6]])
    b = torch.Tensor([[0.5, 1, 2], [-1, 3, 0.25]])
    m, i = a.max(2)
    vals, idx = torch.sort(torch.Tensor([3, 1, 2]), True)
    r = torch.Tensor()
    torch.add(r, a, 10, b)
    return {"ops": [a + b, a - 2, 3 * a, a / 4, -a, a % 4], "mm": a * b.t(),
            "max_values": m, "max_indices": i, "sort": [vals, idx], "result_first": r,
            "sum": a.sum(), "mean_dim": a.mean(1), "cumsum": a.cumsum(2),
            "abs_inplace": a.clone().abs(), "dot": a.dot(b), "gt": a.gt(b),
            "masked": a[a.gt(0)]}
