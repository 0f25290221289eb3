"""The README tells the truth: its nn coverage table and its parity score are current."""
import importlib.util
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("nn_coverage",
                                               os.path.join(ROOT, "tools", "nn_coverage.py"))
nn_coverage = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nn_coverage)
CASES = os.path.join(ROOT, "..", "shared", "parity", "cases")


def readme():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        return f.read()


def test_nn_coverage_table_is_current():
    assert nn_coverage.table() in readme(), "regenerate it: python tools/nn_coverage.py"


def test_parity_score_matches_cases_and_known_failures():
    m = re.search(r"^(\d+) passed, (\d+) failed$", readme(), re.M)
    assert m, "the README shows the parity score"
    passed, failed = int(m.group(1)), int(m.group(2))
    with open(os.path.join(ROOT, "tests", "parity_known_failures.txt"), encoding="utf-8") as f:
        known = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    assert failed == len(known)
    if os.path.isdir(CASES):
        n = len([c for c in os.listdir(CASES) if c.endswith(".lua")])
        assert passed + failed == n


def test_ci_installs_what_the_readme_says():
    with open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8") as f:
        ci = f.read()
    assert "pip install -q -e '.[test]'" in readme() and "pip install -q -e '.[test]'" in ci
    assert "python -m pytest -q" in ci
