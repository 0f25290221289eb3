"""nngraph's own test files (torch/nngraph 3ed3b9b, test/*.lua) through `th-parity --suite`,
when NNGRAPH_TEST_DIR names a checkout's test folder (skipped otherwise: nothing of nngraph's
tests is kept in this repository). The files run from a copy, since test_old.lua writes its
.dot/.svg files into the folder it runs in. speed.lua, a benchmark, is left out (minutes)."""
import io
import os
import shutil

import pytest

pytest.importorskip("lupa")

from compat import suite  # noqa: E402
from torch7py.nngraph import graphviz  # noqa: E402

DIR = os.environ.get("NNGRAPH_TEST_DIR")

# the test functions each file defines (totem.Tester-based files), all expected to pass
TOTEM_FILES = {
    "test_JustElement.lua": ["test_grad", "test_output", "test_split"],
    "test_JustTable.lua": ["test_grad", "test_output"],
    "test_ModuleFromCriterion.lua": ["test_call", "test_grad", "test_serializable",
                                     "test_typeCastable"],
    "test_connectivity.lua": ["connectivity"],
    "test_debug.lua": ["splitUnused", "whatIsThisInTheInput"],
    "test_nest.lua": ["test_output"],
    "test_nngraph.lua": None,  # 28 tests
}

pytestmark = pytest.mark.skipif(not DIR or not os.path.isdir(DIR),
                                reason="NNGRAPH_TEST_DIR does not name nngraph's test folder")


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    dst = tmp_path_factory.mktemp("nngraph_test")
    for name in os.listdir(DIR):
        if name.endswith(".lua"):
            shutil.copy(os.path.join(DIR, name), dst / name)
    return dst


def run(path):
    out = io.StringIO()
    npass, nfail = suite.run_suite(str(path), jobs=2, timeout=300, out=out)
    return npass, nfail, out.getvalue()


@pytest.mark.parametrize("name", sorted(TOTEM_FILES))
def test_totem_file_passes_test_by_test(copy, name):
    npass, nfail, text = run(copy / name)
    assert nfail == 0, text
    lines = text.strip().splitlines()
    assert lines[-1] == "%d passed, 0 failed" % npass
    names = [x.split(" ", 1)[1] for x in lines if x.startswith("PASS ")]
    if TOTEM_FILES[name] is not None:
        assert names == TOTEM_FILES[name]
    else:
        assert npass == 28


def test_old_draws_with_graphviz_or_fails_as_the_original(copy):
    npass, nfail, text = run(copy / "test_old.lua")
    if graphviz._libraries() is not None and shutil.which("dot"):
        assert (npass, nfail) == (1, 0), text
        for f in ("new.dot", "new.svg", "old.dot", "old.svg"):
            assert (copy / f).stat().st_size > 0
        assert (copy / "old.svg").read_text().lstrip().startswith("<?xml")
    else:
        # graph.dot, through graphviz.lua's FFI: the original's error
        assert (npass, nfail) == (0, 1)
        assert "graphviz library could not be loaded." in text
