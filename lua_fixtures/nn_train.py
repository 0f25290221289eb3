"""Twin of nn_train.lua through torch7py's Python API."""
import torch7py as torch
from torch7py import nn, optim


def run():
    torch.manualSeed(11)
    model = nn.Sequential().add(nn.Linear(2, 4)).add(nn.Tanh()).add(nn.Linear(4, 1))
    crit = nn.MSECriterion()
    x = torch.Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    y = torch.Tensor([[0], [1], [1], [0]])
    params, grads = model.getParameters()
    config, state = {"learningRate": 0.5, "momentum": 0.9}, {}
    losses = []

    def feval(p):
        grads.zero()
        out = model.forward(x)
        loss = crit.forward(out, y)
        model.backward(x, crit.backward(out, y))
        return loss, grads
    for _ in range(20):
        _, fs = optim.sgd(feval, params, config, state)
        losses.append(fs[0])
    ct = nn.ConcatTable().add(nn.Identity()).add(nn.MulConstant(2))
    out = ct.forward(torch.Tensor([1, 2]))
    return {"losses": losses, "params": params, "state_counter": state["evalCounter"],
            "concat_n": len(out), "concat": out, "join": nn.JoinTable(1).forward(out),
            "split": nn.SplitTable(1).forward(torch.Tensor([[1, 2], [3, 4]])),
            "caddtable": nn.CAddTable().forward([torch.Tensor([1, 2]),
                                                 torch.Tensor([10, 20])])}
