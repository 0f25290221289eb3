"""The short fuzzing run that CI does (the long one is `python tests/fuzz/harness.py --n
100000`, by hand): mutated .t7 files through the Python loader and through th's torch.load,
each loading in a child process. No input may kill the child, hang it, or raise anything but
the loader's error."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
pytest.importorskip("hypothesis")

import harness  # noqa: E402

BAD = lambda outcomes: {k: c for k, c in outcomes.items() if k not in ("ok", "loader")}  # noqa


def test_fuzz_python_loader_short_run(tmp_path):
    outcomes, examples = harness.fuzz("python", 300, seed=1, workdir=str(tmp_path))
    assert sum(outcomes.values()) == 300
    assert outcomes["loader"] > 0  # the mutations do reach the loader's checks
    assert not BAD(outcomes), examples


def test_fuzz_th_loader_short_run(tmp_path):
    pytest.importorskip("lupa")
    outcomes, examples = harness.fuzz("th", 100, seed=2, workdir=str(tmp_path))
    assert sum(outcomes.values()) == 100
    assert not BAD(outcomes), examples


def test_mutations_change_the_input():
    data = bytes(range(64))
    assert harness.mutate(data, [("flip", 0.5, 0)])[32] == 33
    assert harness.mutate(data, [("truncate", 0.25, 0)]) == data[:16]
    assert harness.mutate(data, [("int", 0.1, -1)])[4:8] == b"\xff\xff\xff\xff"
    assert len(harness.mutate(data, [("dup", 0.0, 8)])) == 72
