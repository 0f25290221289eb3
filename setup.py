"""The optional C extension torch7py._exact (numerics.py's loops at numpy speed); everything
else is configured in pyproject.toml. Without a compiler the install goes on without it and
numerics.py uses its numpy code."""
import sys

from setuptools import Extension, setup

# keep the order of floating-point operations: no reordering, no implicit contraction to FMA
# (fma() is called explicitly where Torch7 fuses); -ftree-vectorize only runs independent
# elements side by side
args = [] if sys.platform == "win32" else [
    "-O2", "-ftree-vectorize", "-fno-fast-math", "-ffp-contract=off", "-fno-associative-math"]

setup(ext_modules=[Extension("torch7py._exact", ["torch7py/_exact.c"], extra_compile_args=args,
                             optional=True)])
