"""Twin of legacy_custom_layer.lua: a custom nn.Module subclass trained with optim.adam."""
import torch7py as torch
from torch7py import nn, optim


class LegacyScale(nn.Module):
    """Element-wise scale by a learnt vector (the Lua fixture's nn.LegacyScale)."""

    def __init__(self, n):
        super().__init__()
        self.weight = torch.Tensor(n).fill(1)
        self.gradWeight = torch.Tensor(n).zero()

    def updateOutput(self, input):
        self.output.resizeAs(input).copy(input)
        self.output.cmul(self.weight.view(1, -1).expandAs(input))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        self.gradInput.cmul(self.weight.view(1, -1).expandAs(gradOutput))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.gradWeight.add(scale, torch.cmul(input, gradOutput).sum(1).view(-1))


def run():
    torch.manualSeed(42)
    model = nn.Sequential()
    model.add(nn.Linear(4, 6)).add(nn.ReLU()).add(LegacyScale(6)).add(nn.Dropout(0.2))
    model.add(nn.Linear(6, 3)).add(nn.LogSoftMax())
    criterion = nn.ClassNLLCriterion()
    X = torch.randn(16, 4)
    Y = torch.LongTensor(16).random(1, 3)
    params, gradParams = model.getParameters()
    state = {"learningRate": 0.05}
    losses = []

    def feval(x):
        if x is not params:
            params.copy(x)
        gradParams.zero()
        out = model.forward(X)
        loss = criterion.forward(out, Y)
        model.backward(X, criterion.backward(out, Y))
        return loss, gradParams
    for _ in range(15):
        _, fs = optim.adam(feval, params, state)
        losses.append(fs[0])
    model.evaluate()
    return {"nparams": params.nElement(), "losses": losses,
            "scale_weight": model.get(3).weight, "adam_t": state["t"],
            "eval_out": model.forward(X[[1, 2]]).clone(),
            "name": str(model.get(3)), "type": torch.type(model.get(3))}
