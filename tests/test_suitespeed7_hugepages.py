"""th-parity --suite's worker turns off numpy's request for transparent huge pages
(compat/suite.py's _no_huge_pages): checked by the kernel's flags of the mapping that holds a
16 MB array (smaps' VmFlags: `hg` is MADV_HUGEPAGE's VM_HUGEPAGE)."""
import os
import subprocess
import sys

import pytest

PROBE = r"""
import sys
sys.path.insert(0, %r)
if sys.argv[1] == "1":
    from compat import suite
    assert suite._no_huge_pages()
import numpy as np
a = np.ones(2 << 20)  # 16 MB: past numpy's 4 MB threshold, its own mapping
p = a.ctypes.data + a.nbytes // 2  # numpy advises the 2 MB-aligned part: the middle
cur = None
for line in open("/proc/self/smaps"):
    head = line.split()
    if "-" in head[0] and len(head) >= 5:
        lo, hi = (int(v, 16) for v in head[0].split("-"))
        cur = lo <= p < hi
    elif cur and line.startswith("VmFlags:"):
        print("hg" if "hg" in line.split()[1:] else "no")
        break
"""

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="Linux smaps")


def _flags(off, env=None):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    e = dict(os.environ)
    e.pop("NUMPY_MADVISE_HUGEPAGE", None)
    e.update(env or {})
    out = subprocess.run([sys.executable, "-c", PROBE % root, "1" if off else "0"],
                         capture_output=True, text=True, check=True, env=e)
    return out.stdout.strip()


def test_numpy_asks_for_huge_pages_by_default():
    assert _flags(False) == "hg"


def test_suite_worker_asks_for_none():
    assert _flags(True) == "no"


def test_a_caller_setting_is_kept(monkeypatch):
    from compat import suite
    monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "1")
    assert suite._no_huge_pages() is False
