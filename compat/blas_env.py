"""The kernel set numpy's and scipy's own OpenBLAS run, asked for before they load.

OpenBLAS picks its kernel set once, when it loads, from the CPU or from OPENBLAS_CORETYPE.
torch7py's gemm, gemv and dot follow the BLAS mode whatever numpy runs (torch7py.obgemm,
_obl12, torch7py.blas_library), but LAPACK (scipy's: torch.gesv, svd, eig, ...) is the
library's own: its bits are those of the kernel set numpy's and scipy's OpenBLAS picked. th and
th-parity ask for the set of their BLAS mode before anything imports numpy.
"""
import os
import sys

# the CPU features each kernel set executes (torch7py.blas_library's table; read here before
# numpy loads, which importing torch7py does)
CORE_NEEDS = {
    "Haswell": ("avx2", "fma"),
    "SkylakeX": ("avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"),
}
MODE_CORE = {"fused": "SkylakeX", "plain": "Haswell"}


def request_blas_kernels(default_mode):
    """Set OPENBLAS_CORETYPE to the kernel set of the BLAS mode (TORCH7PY_BLAS_LOOPS, else
    default_mode: "fused" is the original's SkylakeX build, "plain" its Haswell build), unless
    it is set already, numpy is loaded, or the CPU does not run that set. Returns the set
    asked for, or None."""
    if os.environ.get("OPENBLAS_CORETYPE") or "numpy" in sys.modules:
        return None
    core = MODE_CORE.get(os.environ.get("TORCH7PY_BLAS_LOOPS") or default_mode)
    if core is None:
        return None
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((set(line.split(":", 1)[1].split()) for line in f
                          if line.startswith("flags")), set())
    except OSError:
        return None
    if not set(CORE_NEEDS[core]) <= flags:
        return None
    os.environ["OPENBLAS_CORETYPE"] = core
    return core
