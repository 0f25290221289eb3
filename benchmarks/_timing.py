"""The benchmarks' clocks: wall (or CPU) times of callables, several measured in turn so that a
change of machine load hits them alike, and per-call times of timeit statements."""
import time
import timeit


def samples(fns, repeat, warmup=0, clock=time.perf_counter):
    """repeat times of each of fns, one call of each per round (after warmup untimed rounds);
    a list of lists, one per function."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, ts in zip(fns, times):
            t = clock()
            fn()
            ts.append(clock() - t)
    return times


def best(fn, repeat=5, warmup=0, clock=time.perf_counter):
    """The shortest of repeat times of fn()."""
    return min(samples([fn], repeat, warmup, clock)[0])


def per_call(stmts, number, repeat, globals=None, warmup=0):
    """The best per-call seconds of each statement (a string run in globals, or a callable), timed
    `number` calls at a time, the statements in turn, `repeat` rounds."""
    timers = [timeit.Timer(s, globals=globals) for s in stmts]
    for _ in range(warmup):
        for s in stmts:
            s()
    best_ = [float("inf")] * len(timers)
    for _ in range(repeat):
        for i, t in enumerate(timers):
            best_[i] = min(best_[i], t.timeit(number) / number)
    return best_
