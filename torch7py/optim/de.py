"""optim.de: Torch7's differential evolution (DE/best/1/bin) on its own seeded generator."""
import re

import numpy as np

from .. import messages
from ..tensor import TorchError
from ._common import call_opfunc, first, tables
from ._literal import recv


_QARG = re.compile(r"^bad argument #(\d+) to '\?' \((.*)\)$", re.S)


def _new(x, line, *args):
    """x.new(...) as de.lua's line `line` calls it: a field call, which LuaJIT's argument errors
    name 'new', counting every argument, after the position of that Lua line (a C function's
    error under Lua code)."""
    try:
        return x.new(*args)
    except (TypeError, TorchError) as e:
        m = _QARG.match(str(e))
        if m is None:
            raise
        raise messages.at_lua(TorchError("bad argument #%s to 'new' (%s)" % m.groups()),
                              "optim/de.lua:%d" % line) from None


def _arith_operand(v, what):
    """v as Lua's arithmetic takes it: a number, a string that reads as one, else its error."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    n = messages.lua_tonumber(v)
    if n is None:
        raise TorchError(messages.arith_text(messages.lua_type(v), what))
    return n


def de(opfunc, x, config=None, state=None):
    """x*, fx = de(opfunc, x, config): config has popsize (10 * dim), scaleFactor,
    crossoverRate, maxFEs (required), maxRegion (30), minRegion (-30). fx holds the value of
    every evaluation. The population is drawn from a generator seeded with 1, as in Torch7."""
    import torch7py as torch

    recv(x, "local 'x'", "clone")  # de.lua's first use of x: x:clone():view(-1)
    config, _ = tables(config, {}, "de")
    dim = x.nElement()
    # de.lua reads its options as they are and uses them where its loop does: a missing
    # crossoverRate or scaleFactor fails only once a child is made (Lua's error there), a
    # missing maxFEs in x.new(maxFEs) (tonumber: a numeric string counts)
    popsize = config.get("popsize")
    if popsize is None:
        popsize = 10 * dim
    scale = config.get("scaleFactor")
    cross = config.get("crossoverRate")
    max_fes = config.get("maxFEs")
    if not isinstance(max_fes, (int, float)) or isinstance(max_fes, bool):
        max_fes = messages.lua_tonumber(max_fes)
    max_region = config.get("maxRegion")
    if max_region is None:
        max_region = 30
    min_region = config.get("minRegion")
    if min_region is None:
        min_region = -30
    fx = _new(x, 46, max_fes)
    pop = _new(x, 47, popsize, dim)
    if (not isinstance(popsize, (int, float)) or isinstance(popsize, bool)) and \
            messages.lua_tonumber(popsize) is None:  # x.new took a table: de.lua's loop fails
        raise messages.at_lua(TorchError(messages.msg('for_limit')), "optim/de.lua:60")
    n_fx = fx.nElement()
    popsize = pop.size(1)
    children = x.new(popsize, dim)
    fitness = np.zeros(popsize, dtype=x.dtype)  # x.new(popsize) in Torch7
    children_fitness = np.zeros(popsize, dtype=x.dtype)
    best_solution = x.new(dim)
    fxa, popa, cha, best = fx.numpy(), pop.numpy(), children.numpy(), best_solution.numpy()
    fes = 1

    def record(v):
        nonlocal fes
        if fes > n_fx:
            # de.lua's fx[fes] = ... past maxFEs (not a multiple of popsize): Torch7's error
            raise TorchError("bad argument #2 to '?' (out of range)" if n_fx else
                             "bad argument #1 to '?' (empty tensor)")
        fxa[fes - 1] = v
        fes += 1

    gen = torch.Generator()
    torch.manualSeed(gen, 1)
    pop.uniform(gen, min_region, max_region)
    for i in range(popsize):
        fitness[i] = first(call_opfunc(opfunc, pop.select(1, i + 1), "de", 61))
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
            if not isinstance(cross, (int, float)) or isinstance(cross, bool):
                # torch.uniform(gen, 0, 1) < crossoverRate
                raise TorchError(messages.msg("compare", "number", messages.lua_type(cross)))
            # Torch7 compares the individual i (not the coordinate) with jrand; kept for parity
            take = (u.numpy() < cross) | (i == jrand)
            if take.any():
                scale = _arith_operand(scale, "local 'scaleFactor'")
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
