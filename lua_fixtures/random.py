"""Twin of random.lua through torch7py's Python API."""
import torch7py as torch


def run():
    torch.manualSeed(42)
    r = {"uniform": torch.uniform(), "normal": torch.normal(0, 2), "random": torch.random(1, 10),
         "rand": torch.rand(2, 3), "randn": torch.randn(4)}
    state = torch.getRNGState()
    x1 = torch.Tensor(3).uniform(-1, 1)
    torch.setRNGState(state)
    x2 = torch.Tensor(3).uniform(-1, 1)
    r["replay"] = [x1, x2]
    r["randperm"] = torch.randperm(5)
    r["bernoulli"] = torch.Tensor(6).bernoulli(0.5)
    return r
