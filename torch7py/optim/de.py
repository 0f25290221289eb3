"""optim.de: Torch7's differential evolution (DE/best/1/bin) on its own seeded generator."""
import numpy as np

from ..tensor import TorchError
from ._common import check_x, first, num, tables


def de(opfunc, x, config=None, state=None):
    """x*, fx = de(opfunc, x, config): config has popsize (10 * dim), scaleFactor,
    crossoverRate, maxFEs (required), maxRegion (30), minRegion (-30). fx holds the value of
    every evaluation. The population is drawn from a generator seeded with 1, as in Torch7."""
    import torch7py as torch

    check_x(x, "de")
    config, _ = tables(config, {}, "de")
    dim = x.nElement()
    popsize = int(num(config, "popsize", 10 * dim, "de"))
    for key in ("scaleFactor", "crossoverRate", "maxFEs"):
        if config.get(key) is None:
            raise TypeError("optim.de: config.%s is required" % key)
    scale = num(config, "scaleFactor", None, "de")
    cross = num(config, "crossoverRate", None, "de")
    max_fes = int(num(config, "maxFEs", None, "de"))
    max_region = num(config, "maxRegion", 30, "de")
    min_region = num(config, "minRegion", -30, "de")

    fx = x.new(max_fes)
    pop = x.new(popsize, dim)
    children = x.new(popsize, dim)
    fitness = np.zeros(popsize, dtype=x.dtype)  # x.new(popsize) in Torch7
    children_fitness = np.zeros(popsize, dtype=x.dtype)
    best_solution = x.new(dim)
    fxa, popa, cha, best = fx.numpy(), pop.numpy(), children.numpy(), best_solution.numpy()
    fes = 1

    def record(v):
        nonlocal fes
        if fes > max_fes:
            # de.lua's fx[fes] = ... past maxFEs (not a multiple of popsize): Torch7's error
            raise TorchError("bad argument #2 to '?' (out of range)")
        fxa[fes - 1] = v
        fes += 1

    gen = torch.Generator()
    torch.manualSeed(gen, 1)
    pop.uniform(gen, min_region, max_region)
    for i in range(popsize):
        fitness[i] = first(opfunc(pop.select(1, i + 1)))
        record(fitness[i])

    # Torch7 starts from the *largest* fitness here (max, not min); kept for parity
    index = int(np.argmax(fitness))
    best_fitness = fitness[index]
    best[...] = popa[index]

    u = torch.DoubleTensor(dim)  # torch.uniform's draws are doubles, whatever x's type
    while fes < max_fes:
        for i in range(1, popsize + 1):
            r1 = torch.random(gen, 1, popsize)
            while r1 == i:
                r1 = torch.random(gen, 1, popsize)
            r2 = torch.random(gen, 1, popsize)
            while r2 == r1 or r2 == i:
                r2 = torch.random(gen, 1, popsize)
            jrand = torch.random(gen, 1, dim)
            u.uniform(gen, 0, 1)  # the dim draws of the crossover test, in order
            # Torch7 compares the individual i (not the coordinate) with jrand; kept for parity
            take = (u.numpy() < cross) | (i == jrand)
            # Lua numbers: the mutation is computed in double, then stored in x's type
            f64 = np.float64
            mutant = best.astype(f64) + scale * (popa[r1 - 1].astype(f64) -
                                                 popa[r2 - 1].astype(f64))
            cha[i - 1] = np.where(take, mutant, popa[i - 1])
            children_fitness[i - 1] = first(opfunc(children.select(1, i)))
            record(children_fitness[i - 1])
        for i in range(popsize):
            if children_fitness[i] <= fitness[i]:
                popa[i] = cha[i]
                fitness[i] = children_fitness[i]
                if fitness[i] < best_fitness:
                    best_fitness = fitness[i]
                    best[...] = cha[i]
    return best_solution, fx
