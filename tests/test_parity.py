"""Every Lua case of ../shared/parity run through the Lua layer and compared with the goldens of
the original Torch7; cases listed in parity_known_failures.txt are expected to fail (xfail), and
a listed case that passes fails its test so that the list only shrinks."""
import os

import pytest

pytest.importorskip("lupa")

from compat import fixtures, parity  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PARITY = os.environ.get("TORCH7PY_PARITY") or os.path.normpath(
    os.path.join(os.path.dirname(HERE), "..", "shared", "parity"))
CASES = os.path.join(PARITY, "cases")
GOLDENS = os.path.join(PARITY, "goldens")
KNOWN = os.path.join(HERE, "parity_known_failures.txt")
FIXTURES = os.path.join(os.path.dirname(HERE), "lua_fixtures")


def known_failures(path=KNOWN):
    """{case name: reason} from the known-failures file (`name  reason`, # comments)."""
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


NAMES = parity.list_cases(CASES) if os.path.isdir(CASES) else []
FIXTURE_NAMES = fixtures.list_fixtures(FIXTURES)


@pytest.fixture(scope="module")
def verdicts():
    return {v["name"]: v for v in parity.run_suite(CASES, GOLDENS)}


@pytest.fixture(scope="module")
def twin_verdicts():
    return {v["name"]: v for v in fixtures.run_twins(FIXTURES)}


def _judge(name, v):
    known = known_failures()
    text = parity.format_verdict(v)
    if name in known:
        if v["passed"]:
            pytest.fail("%s passes but is listed in parity_known_failures.txt: remove it" % name)
        pytest.xfail(known[name] or text)
    assert v["passed"], text + ("\n" + v["error"] if v.get("error") else "")


@pytest.mark.skipif(bool(NAMES), reason="the parity folder exists")
def test_parity_folder_missing():
    pytest.skip("no parity cases: %s is missing (the oracle lives in ../shared/parity)" % CASES)


@pytest.mark.parametrize("name", NAMES)
def test_parity_case(name, verdicts):
    _judge(name, verdicts[name])


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_lua_fixture(name, twin_verdicts):
    """lua_fixtures/NAME.lua through the Lua layer == NAME.py through the Python API."""
    _judge(name, twin_verdicts[name])


def test_known_failures_name_real_cases():
    if not NAMES:
        pytest.skip("no parity cases")
    stale = sorted(set(known_failures()) - set(NAMES) - set(FIXTURE_NAMES))
    assert not stale, "parity_known_failures.txt lists unknown cases: %s" % stale
