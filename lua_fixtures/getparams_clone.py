"""Twin of getparams_clone.lua: getParameters before vs after a sharing clone."""
import torch7py as torch
from torch7py import nn


def build():
    torch.manualSeed(3)
    return nn.Sequential().add(nn.Linear(2, 3)).add(nn.Tanh()).add(nn.Linear(3, 1))


def run():
    r = {}
    m = build()
    params, grads = m.getParameters()
    c = m.clone("weight", "bias", "gradWeight", "gradBias")
    params.fill(0)
    r["before_params"] = params
    r["before_m_weight"] = m.get(1).weight
    r["before_clone_weight"] = c.get(1).weight
    r["before_clone_bias3"] = c.get(3).bias
    m = build()
    c = m.clone("weight", "bias", "gradWeight", "gradBias")
    params, grads = m.getParameters()
    params.fill(0)
    r["after_params_size"] = params.size(1)
    r["after_m_weight"] = m.get(1).weight
    r["after_clone_weight"] = c.get(1).weight
    r["after_clone_shares"] = c.get(1).weight.storage() is m.get(1).weight.storage()
    return r
