"""The optional C extensions torch7py._exact (numerics.py's loops at numpy speed) and
torch7py.nn._nnk (nn's THNN loops); everything else is configured in pyproject.toml. Without a
compiler the install goes on without them and numerics.py and nn use their numpy code."""
import sys

from setuptools import Extension, setup

# keep the order of floating-point operations: no reordering, no implicit contraction to FMA
# (fma() is called explicitly where Torch7 fuses); -ftree-vectorize only runs independent
# elements side by side
args = [] if sys.platform == "win32" else [
    "-O2", "-ftree-vectorize", "-fno-fast-math", "-ffp-contract=off", "-fno-associative-math"]

setup(ext_modules=[Extension("torch7py._exact", ["torch7py/_exact.c"], extra_compile_args=args,
                             optional=True),
                   # THNN's training-step loops (max pooling, threshold, col2im, batch norm)
                   Extension("torch7py.nn._nnk", ["torch7py/nn/_nnk.c"], extra_compile_args=args,
                             depends=["torch7py/nn/_cbufs.h"],
                             optional=True),
                   # per-sample training's loops on the CPU's FMA instruction (Linear's ger)
                   Extension("torch7py.nn._sn", ["torch7py/nn/_sn.c"], extra_compile_args=args,
                             depends=["torch7py/nn/_cbufs.h"],
                             optional=True)])
