"""Twin of legacy_stochastic_gradient.lua: the nn docs' StochasticGradient example."""
import torch7py as torch
from torch7py import nn


class Dataset(dict):
    """A table of {input, target} pairs keyed 1..n, with Torch7's dataset:size()."""

    def size(self):
        return len(self)


def _example():
    inp = torch.randn(2)
    out = torch.Tensor(1)
    out[1] = -1 if inp[1] * inp[2] > 0 else 1
    return inp, out


def run():
    torch.manualSeed(123)
    dataset = Dataset()
    for i in range(1, 51):
        dataset[i] = list(_example())
    mlp = nn.Sequential().add(nn.Linear(2, 10)).add(nn.Tanh()).add(nn.Linear(10, 1))
    criterion = nn.MSECriterion()
    trainer = nn.StochasticGradient(mlp, criterion)
    trainer.learningRate = 0.01
    trainer.learningRateDecay = 0.1
    trainer.maxIteration = 4
    seen = []
    trainer.hookIteration = lambda self, iteration: seen.append(iteration)
    trainer.train(dataset)
    x = torch.Tensor(2)
    x[1], x[2] = 0.5, 0.5
    out_pp = mlp.forward(x).clone()
    x[2] = -0.5
    out_pm = mlp.forward(x).clone()
    for _ in range(20):
        inp, out = _example()
        criterion.forward(mlp.forward(inp), out)
        mlp.zeroGradParameters()
        mlp.backward(inp, criterion.backward(mlp.output, out))
        mlp.updateParameters(0.01)
    return {"iterations": seen, "out_pp": out_pp, "out_pm": out_pm,
            "weight1": mlp.get(1).weight, "bias3": mlp.get(3).bias}
