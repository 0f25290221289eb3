"""Python twin of train_convnet.lua: the same convnet, data, seed and SGD + momentum loop, line for
line, printing the same losses and confusion matrices epoch by epoch.

Run: python examples/train_convnet.py [epochs]
"""
import sys

import torch7py as torch
from torch7py import nn, optim


def progress(current, goal, width=40):
    """xlua.progress's bar."""
    done = current * width // goal
    sys.stdout.write(" [" + "=" * done + (">" if done < width else "")
                     + "." * (width - done - 1) + "] %d/%d\r" % (current, goal))
    if current == goal:
        sys.stdout.write("\n")
    sys.stdout.flush()


def main(epochs=5):
    nclasses, ntrain, batch = 10, 400, 20
    torch.setdefaulttensortype("torch.DoubleTensor")
    torch.manualSeed(123)

    # the dataset: each class is a random 8x8 template; a sample is its template plus noise
    templates = torch.randn(nclasses, 1, 8, 8)
    inputs = torch.Tensor(ntrain, 1, 8, 8)
    targets = torch.Tensor(ntrain)
    for i in range(1, ntrain + 1):
        c = (i - 1) % nclasses + 1
        targets[i] = c
        inputs[i].copy(templates[c]).add(torch.randn(1, 8, 8).mul(0.8))

    model = nn.Sequential()
    model.add(nn.SpatialConvolution(1, 8, 3, 3))    # 8 x 6 x 6
    model.add(nn.ReLU())
    model.add(nn.SpatialMaxPooling(2, 2, 2, 2))     # 8 x 3 x 3
    model.add(nn.View(8 * 3 * 3))
    model.add(nn.Linear(8 * 3 * 3, 32))
    model.add(nn.Tanh())
    model.add(nn.Linear(32, nclasses))
    model.add(nn.LogSoftMax())
    criterion = nn.ClassNLLCriterion()
    params, grads = model.getParameters()

    confusion = optim.ConfusionMatrix(["c%d" % c for c in range(1, nclasses + 1)])
    config = {"learningRate": 0.05, "momentum": 0.9, "learningRateDecay": 1e-4}
    state = {}
    losses = []

    print("convnet with %d parameters, %d samples, %d classes"
          % (params.nElement(), ntrain, nclasses))
    for epoch in range(1, epochs + 1):
        model.training()
        confusion.zero()
        perm = torch.randperm(ntrain).long()
        total, nbatches = 0.0, 0
        for b in range(1, ntrain + 1, batch):
            idx = perm.narrow(1, b, batch)
            xb, yb = inputs.index(1, idx), targets.index(1, idx)

            def feval(x):
                if x is not params:
                    params.copy(x)
                grads.zero()
                out = model.forward(xb)
                loss = criterion.forward(out, yb)
                model.backward(xb, criterion.backward(out, yb))
                confusion.batchAdd(out, yb)
                return loss, grads

            _, fs = optim.sgd(feval, params, config, state)
            total, nbatches = total + fs[0], nbatches + 1
            progress(b + batch - 1, ntrain)
        losses.append(total / nbatches)
        print("epoch %d: loss = %.15g" % (epoch, total / nbatches))
        print(confusion)
    return losses


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
