"""th-parity --suite's worker keeps mid-sized allocations in malloc's heap (compat/suite.py's
_tune_malloc): checked by where glibc puts a 4 MB block, inside the [heap] mapping of
/proc/self/maps or in a mapping of its own."""
import os
import subprocess
import sys

import pytest

PROBE = r"""
import ctypes, sys
sys.path.insert(0, %r)
tune = sys.argv[1] == "1"
if tune:
    from compat import suite
    assert suite._tune_malloc()
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
p = libc.malloc(4 << 20)
lo = hi = None
for line in open("/proc/self/maps"):
    if line.rstrip().endswith("[heap]"):
        a, b = line.split()[0].split("-")
        lo, hi = int(a, 16), int(b, 16)
print("heap" if lo is not None and lo <= p < hi else "mmap")
"""

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux")
                                or not os.path.exists("/proc/self/maps"), reason="glibc/Linux")


def _where(tune):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", PROBE % root, "1" if tune else "0"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_default_malloc_maps_a_4mb_block_apart():
    assert _where(False) == "mmap"


def test_tuned_malloc_keeps_it_in_the_heap():
    assert _where(True) == "heap"


def test_malloc_settings_of_the_caller_are_kept(monkeypatch):
    from compat import suite
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "131072")
    assert suite._tune_malloc() is False
