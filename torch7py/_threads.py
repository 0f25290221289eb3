"""torch.setnumthreads / getnumthreads: the BLAS libraries' thread pools (numpy's and scipy's
OpenBLAS are two libraries, each with its own pool), through threadpoolctl, or where it is not
installed through OpenBLAS's own entry points found among the loaded libraries.

One thread per process is the fast choice on a busy machine: BLAS threads that outnumber the
free cores spin against each other (issue 16 measured a 5x slower step with two threads).
"""
import ctypes
import os

_SET = ("openblas_set_num_threads", "openblas_set_num_threads64_",
        "scipy_openblas_set_num_threads", "scipy_openblas_set_num_threads64_")
_GET = tuple(s.replace("set_num", "get_num") for s in _SET)
_state = {"n": None, "pools": None}


def _load_blas():
    """numpy's and scipy's BLAS loaded, so that both pools are set."""
    import numpy  # noqa: F401
    try:
        import scipy.linalg.blas  # noqa: F401
    except ImportError:
        pass


def _openblas_libs():
    """(set, get) ctypes functions of each loaded OpenBLAS, from the process's mapped files."""
    paths = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.split()[-1] if line.rstrip().count(" ") >= 5 else ""
                if "openblas" in os.path.basename(p).lower() and p not in paths:
                    paths.append(p)
    except OSError:
        return []
    out = []
    for p in paths:
        try:
            lib = ctypes.CDLL(p)
        except OSError:
            continue
        for s, g in zip(_SET, _GET):
            if hasattr(lib, s) and hasattr(lib, g):
                fs, fg = getattr(lib, s), getattr(lib, g)
                fs.argtypes, fs.restype = [ctypes.c_int], None
                fg.argtypes, fg.restype = [], ctypes.c_int
                out.append((fs, fg))
                break
    return out


def _pools():
    """(set, get) pairs for every BLAS pool, found once: rescanning the loaded libraries (what
    threadpoolctl.threadpool_limits does on each call) costs ~1 ms, and nn's test suite sets
    the count three times per test. numpy's and scipy's BLAS are loaded before the scan."""
    if _state.get("pools") is None:
        _load_blas()
        try:
            import threadpoolctl
        except ImportError:
            pools = _openblas_libs()
        else:
            pools = [(lc.set_num_threads, lc.get_num_threads)
                     for lc in threadpoolctl.ThreadpoolController().lib_controllers
                     if lc.user_api == "blas"]
        _state["pools"] = pools
    return _state["pools"]


def set_blas_threads(n):
    """Every loaded BLAS pool to n threads (at least 1)."""
    n = max(1, int(n))
    for fs, _ in _pools():
        fs(n)
    _state["n"] = n


def get_blas_threads():
    """The count last set, else the largest of the loaded BLAS pools' (1 when none is found)."""
    if _state["n"] is not None:
        return _state["n"]
    counts = [fg() for _, fg in _pools()]
    return max(counts) if counts else 1
