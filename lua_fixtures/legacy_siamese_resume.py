"""Twin of legacy_siamese_resume.lua: shared-clone siamese net, checkpoint and resume."""
import torch7py as torch
from torch7py import nn, optim


def run():
    torch.manualSeed(9)
    encoder = nn.Sequential().add(nn.Linear(5, 4)).add(nn.Tanh()).add(nn.Linear(4, 2))
    twin = encoder.clone("weight", "bias", "gradWeight", "gradBias")
    siamese = nn.ParallelTable().add(encoder).add(twin)
    model = nn.Sequential().add(siamese).add(nn.PairwiseDistance(2))
    criterion = nn.HingeEmbeddingCriterion(1)
    pairs = [(torch.randn(5), torch.randn(5), 1 if i % 2 == 0 else -1) for i in range(1, 7)]

    def train(m, state, epochs):
        params, grads = m.getParameters()
        losses = []
        for _ in range(epochs):
            total = 0.0
            for a, b, y in pairs:
                def feval(x):
                    grads.zero()
                    d = m.forward([a, b])
                    loss = criterion.forward(d, y)
                    m.backward([a, b], criterion.backward(d, y))
                    return loss, grads
                _, fs = optim.sgd(feval, params, state)
                total += fs[0]
            losses.append(total / len(pairs))
        return losses
    state = {"learningRate": 0.05, "momentum": 0.5}
    r = {"losses1": train(model, state, 3)}
    blob = torch.serialize({"model": model, "state": state})
    r["losses_cont"] = train(model, state, 2)
    ck = torch.deserialize(blob)
    r["losses_resumed"] = train(ck["model"], ck["state"], 2)
    enc, tw = ck["model"].get(1).get(1), ck["model"].get(1).get(2)
    r["still_shared"] = enc.get(1).weight.storage() is tw.get(1).weight.storage()
    r["eval_counter"] = ck["state"]["evalCounter"]
    r["weight"] = enc.get(3).weight
    return r
