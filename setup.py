"""The optional C extensions torch7py._exact (numerics.py's loops at numpy speed),
torch7py.nn._nnk (nn's THNN loops) and compat._luamain (the Lua layer's calls into Python from
coroutines run on the main Lua thread: without it a Lua value a coroutine hands Python can crash
the process once the coroutine is collected); everything else is configured in pyproject.toml.
Without a compiler the install goes on without them and numerics.py and nn use their numpy
code."""
import platform
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# keep the order of floating-point operations: no reordering, no implicit contraction to FMA
# (fma() is called explicitly where Torch7 fuses); -ftree-vectorize only runs independent
# elements side by side
args = [] if sys.platform == "win32" else [
    "-O2", "-ftree-vectorize", "-fno-fast-math", "-ffp-contract=off", "-fno-associative-math"]
HW_BUILD = sys.platform != "win32" and platform.machine().lower() in ("x86_64", "amd64")


def hw_copy(ext):
    """nn's THNN loops built a second time for x86-64 CPUs with AVX2 and FMA, as
    torch7py.nn._nnk_hw (nn loads it where the CPU has both): every loop runs 4 or 8 lanes wide
    and fma() is one instruction. -ffp-contract=off still holds, so nothing else is fused and the
    bits are those of the portable build (tests run both)."""
    return Extension(ext.name + "_hw", list(ext.sources), depends=list(ext.depends),
                     extra_compile_args=list(ext.extra_compile_args) + ["-mavx2", "-mfma"],
                     define_macros=list(ext.define_macros) + [("PyInit__nnk", "PyInit__nnk_hw")],
                     optional=True)


class BuildExt(build_ext):
    def finalize_options(self):
        exts = self.distribution.ext_modules or []
        if HW_BUILD and not any(e.name.endswith("_hw") for e in exts):
            exts.extend([hw_copy(e) for e in exts if e.name == "torch7py.nn._nnk"])
        super().finalize_options()


setup(cmdclass={"build_ext": BuildExt},
      ext_modules=[Extension("torch7py._exact", ["torch7py/_exact.c", "torch7py/_vmath.c"],
                             extra_compile_args=args,
                             depends=["torch7py/_vmath.h", "torch7py/_vmath_k.h",
                                      "torch7py/_vmath_more_k.h", "torch7py/_vmath_tan_k.h",
                                      "torch7py/_vmath_asin_k.h", "torch7py/_vmath_pow_k.h",
                                      "torch7py/_vmath_atan_k.h"],
                             optional=True),
                   # THNN's training-step loops (max pooling, threshold, col2im, batch norm)
                   # the module definition (_nnk.c: its method table) and the loops by family,
                   # sharing the internal header _nnk.h
                   Extension("torch7py.nn._nnk",
                             ["torch7py/nn/_nnk.c"] + ["torch7py/nn/_nnk_%s.c" % f for f in (
                                 "pool", "conv", "act", "norm", "linear", "crit")],
                             extra_compile_args=args,
                             depends=["torch7py/nn/_cbufs.h", "torch7py/nn/_nnk.h",
                                      "torch7py/nn/_vmaxpool_window.h"],
                             optional=True),
                   # dgemm/sgemm with OpenBLAS 0.3.21 Haswell's bits (TensorMath's gemm
                   # calls and nn's matrix products; AVX2/FMA micro-kernels behind a runtime
                   # check, the same bits from libm's fma() elsewhere; the SkylakeX kernels'
                   # bits behind _obgemm.skylakex(1), _obgemm_skx.h)
                   Extension("torch7py._obgemm", ["torch7py/_obgemm.c"],
                             depends=["torch7py/_obgemm_skx.h"],
                             extra_compile_args=args, optional=True),
                   # BLAS levels 1 and 2 (axpy, dot, gemv, ger) in OpenBLAS 0.3.21's order
                   Extension("torch7py._obl12", ["torch7py/_obl12.c"], extra_compile_args=args,
                             depends=["torch7py/_obl12_k.h"], optional=True),
                   # per-sample training's loops on the CPU's FMA instruction (Linear's ger)
                   Extension("torch7py.nn._sn", ["torch7py/nn/_sn.c"], extra_compile_args=args,
                             depends=["torch7py/nn/_cbufs.h", "torch7py/nn/_vmaxpool_window.h"],
                             optional=True)]
      # compat's LuaJIT: Lua's calls into Python run on the main Lua thread (_luamain.c)
      + ([] if sys.platform == "win32" else [
          Extension("compat._luamain", ["compat/_luamain.c"], libraries=["dl"],
                    optional=True)]))
