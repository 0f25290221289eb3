"""Goldens for the tests: ../shared/parity's goldens loaded (or the test skipped where they are
absent), and Python results compared with them by PROTOCOL.md's rules (compat/protocol.py)."""
import json
import os

import pytest

from compat import protocol

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the oracle: ../shared/parity beside the repository, where CI places it ($TORCH7PY_PARITY
# names another place)
PARITY = os.environ.get("TORCH7PY_PARITY") or os.path.normpath(
    os.path.join(ROOT, "..", "shared", "parity"))
GOLDENS = os.path.join(PARITY, "goldens")
LIMIT = 50
_cache = {}


def golden(case):
    """The results of goldens/CASE.json; the test is skipped where the goldens are absent."""
    if case not in _cache:
        path = os.path.join(GOLDENS, case + ".json")
        if not os.path.exists(path):
            pytest.skip("no golden for %s (../shared/parity is not beside the repository)" % case)
        with open(path, encoding="utf-8") as f:
            _cache[case] = json.load(f)["results"]
    return _cache[case]


def diffs(value, want, path=""):
    """The differences between a Python value (encoded here) and the golden value want."""
    return protocol.compare(protocol.encode(value), want, path, [], LIMIT)


def assert_golden(value, want, path=""):
    """A Python value matches the golden value want."""
    found = diffs(value, want, path)
    assert not found, "\n".join(found)


def assert_case(case, results, every_key=False):
    """Each result (a dict of the case's keys) matches the golden of case; with every_key, the
    golden has no key that results lacks."""
    want = golden(case)
    found = []
    for k in sorted(set(results) | (set(want) if every_key else set())):
        if k not in want:
            found.append("%s.%s: not in the golden" % (case, k))
        elif k not in results:
            found.append("%s.%s: missing" % (case, k))
        else:
            found += diffs(results[k], want[k], "%s.%s" % (case, k))
    assert not found, "\n".join(found)


def golden_keys(case):
    """The keys of a case's results, for parametrizing at collection (no skip there)."""
    path = os.path.join(GOLDENS, case + ".json")
    if not os.path.exists(path):
        return ["<goldens missing>"]
    with open(path, encoding="utf-8") as f:
        return sorted(json.load(f)["results"])


def read_known_list(path):
    """{name: reason} from a known-failures/known-differences file (`name  reason` lines,
    # comments); {} when there is no such file."""
    out = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                name, _, reason = line.partition(" ")
                out[name] = reason.strip()
    return out
