"""Torch7's torch.Tester and torch.TestSuite: named test functions, asserts, Torch7's report."""
import sys
import traceback
from collections.abc import Mapping

import numpy as np

__all__ = ["Tester", "TestSuite"]


class TestSuite(dict):
    """A table of test functions (torch.TestSuite()); adding a name twice is an error."""

    typename = "torch.TestSuite"
    __test__ = False

    def __setitem__(self, name, fn):
        if name in self:
            raise KeyError("Test %s is already defined." % name)
        if not callable(fn):
            raise TypeError("Only functions can be added to a TestSuite, %s is not" % name)
        super().__setitem__(name, fn)


class TesterFailure(AssertionError):
    """Raised by run() when a test failed, as Torch7's Tester raises an error."""

    __test__ = False  # not a pytest test class


def _is_tensor(x):
    return hasattr(x, "numpy") and hasattr(x, "typename") and x.typename.endswith("Tensor")


def _max_abs_diff(a, b):
    a, b = np.asarray(a.numpy(), np.float64), np.asarray(b.numpy(), np.float64)
    if a.size == 0 and b.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b)))


def _tables_equal(a, b, tol=0.0):
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_tables_equal(a[k], b[k], tol) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_tables_equal(x, y, tol) for x, y in zip(a, b))
    return _values_equal(a, b, tol)


def _values_equal(a, b, tol=0.0):
    if _is_tensor(a) and _is_tensor(b):
        return (a.typename == b.typename and tuple(a._size) == tuple(b._size)
                and _max_abs_diff(a, b) <= tol)
    if isinstance(a, (dict, list, tuple)) or isinstance(b, (dict, list, tuple)):
        return _tables_equal(a, b, tol)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
            not isinstance(a, bool) and not isinstance(b, bool):
        return abs(a - b) <= tol
    return a == b


class Tester:
    """Runs named tests and reports like Torch7: a line per test, then the failures."""

    typename = "torch.Tester"
    __test__ = False

    def __init__(self):
        self.tests = []
        self.errors = []
        self.countasserts = 0
        self.curtestname = ""
        self._early_abort = False
        self._rethrow = False
        self._summary_only = False
        self._disabled = set()
        self.out = sys.stdout

    # -- configuration ---------------------------------------------------------
    def setEarlyAbort(self, flag=True):
        self._early_abort = bool(flag)

    def setRethrowErrors(self, flag=True):
        self._rethrow = bool(flag)

    def setSummaryOnly(self, flag=True):
        self._summary_only = bool(flag)

    def disable(self, names):
        self._disabled.update([names] if isinstance(names, str) else list(names))
        return self

    def add(self, f, name=None):
        if isinstance(f, Mapping):
            for k in sorted(f, key=str):
                self.add(f[k], k)
        elif callable(f):
            name = name or "unknown"
            if any(n == name for n, _ in self.tests):
                raise KeyError("Test with name %s already exists!" % name)
            self.tests.append((name, f))
        else:
            raise TypeError("Tester:add(f) expects a function or a table of functions")
        return self

    # -- asserts -----------------------------------------------------------------
    def _record(self, ok, message, detail):
        self.countasserts += 1
        if not ok:
            self.errors.append((self.curtestname, "%s\n%s" % (message or "", detail)))
            if self._early_abort:
                raise TesterFailure(message)
        return ok

    def assert_(self, condition, message=""):
        return self._record(bool(condition), message, "BOOL violation condition=%s"
                            % _lua(condition))

    def assertlt(self, a, b, message=""):
        return self._record(a < b, message, "LT failed: %s >= %s" % (_lua(a), _lua(b)))

    def assertgt(self, a, b, message=""):
        return self._record(a > b, message, "GT failed: %s <= %s" % (_lua(a), _lua(b)))

    def assertle(self, a, b, message=""):
        return self._record(a <= b, message, "LE failed: %s > %s" % (_lua(a), _lua(b)))

    def assertge(self, a, b, message=""):
        return self._record(a >= b, message, "GE failed: %s < %s" % (_lua(a), _lua(b)))

    def asserteq(self, got, expected, message=""):
        return self._record(got == expected, message,
                            "EQ failed: %s ~= %s" % (_lua(got), _lua(expected)))

    def assertne(self, got, unexpected, message=""):
        return self._record(got != unexpected, message,
                            "NE failed: %s == %s" % (_lua(got), _lua(unexpected)))

    def assertalmosteq(self, a, b, tol=1e-16, message=""):
        if isinstance(tol, str):
            tol, message = 1e-16, tol
        err = abs(a - b)
        return self._record(err <= tol, message, "ALMOST_EQ failed: %s ~= %s with tolerance=%s"
                            % (_lua(a), _lua(b), _lua(tol)))

    def assertTensorEq(self, ta, tb, tol=0.0, message=""):
        if isinstance(tol, str):
            tol, message = 0.0, tol
        if tuple(ta._size) != tuple(tb._size):
            return self._record(False, message, "TensorEQ(==) violation: sizes differ")
        err = _max_abs_diff(ta, tb)
        return self._record(err <= tol, message, "TensorEQ(==) violation: max diff=%s, tolerance=%s"
                            % (_lua(err), _lua(tol)))

    def assertTensorNe(self, ta, tb, tol=0.0, message=""):
        if isinstance(tol, str):
            tol, message = 0.0, tol
        same = tuple(ta._size) == tuple(tb._size) and _max_abs_diff(ta, tb) <= tol
        return self._record(not same, message, "TensorNE(~=) violation: tensors are equal "
                            "within tolerance=%s" % _lua(tol))

    def assertTableEq(self, ta, tb, tol=0.0, message=""):
        if isinstance(tol, str):
            tol, message = 0.0, tol
        return self._record(_tables_equal(ta, tb, tol), message, "TableEQ(==) violation")

    def assertTableNe(self, ta, tb, tol=0.0, message=""):
        if isinstance(tol, str):
            tol, message = 0.0, tol
        return self._record(not _tables_equal(ta, tb, tol), message, "TableNE(~=) violation")

    def eq(self, got, expected, label="", tol=0.0):
        if not isinstance(label, str):
            label, tol = "", label
        return self._record(_values_equal(got, expected, tol), label, "eq violation: %s ~= %s"
                            % (_lua(got), _lua(expected)))

    def ne(self, got, unexpected, label="", tol=0.0):
        if not isinstance(label, str):
            label, tol = "", label
        return self._record(not _values_equal(got, unexpected, tol), label,
                            "ne violation: %s == %s" % (_lua(got), _lua(unexpected)))

    def assertError(self, f, message=""):
        return self.assertErrorObj(f, lambda err: True, message)

    def assertNoError(self, f, message=""):
        try:
            f()
        except Exception as e:  # noqa: BLE001  (any error is the failure being reported)
            return self._record(False, message, "NoError violation: %s" % e)
        return self._record(True, message, "")

    def assertErrorMsg(self, f, errmsg, message=""):
        return self.assertErrorObj(f, lambda err: str(err) == errmsg, message)

    def assertErrorPattern(self, f, pattern, message=""):
        import re
        return self.assertErrorObj(f, lambda err: re.search(pattern, str(err)) is not None,
                                   message)

    def assertErrorObj(self, f, errcomp, message=""):
        try:
            f()
        except Exception as e:  # noqa: BLE001
            return self._record(bool(errcomp(_error_value(e))), message,
                                "ERROR violation: err=%s" % e)
        return self._record(False, message, "ERROR violation: no error raised")

    # -- running -------------------------------------------------------------------
    def run(self, names=None):
        tests = self.tests
        if isinstance(names, str):
            names = [names]
        if names is not None:
            names = list(names.values()) if isinstance(names, dict) else list(names)
            known = {n for n, _ in tests}
            for n in names:
                if n not in known:
                    raise KeyError("Test %s not found" % n)
            tests = [(n, f) for n, f in tests if n in names]
        self.errors = []
        self.countasserts = 0
        w = self.out.write
        w("Running %d test%s\n" % (len(tests), "" if len(tests) == 1 else "s"))
        failed = 0
        width = len(str(len(tests)))
        for i, (name, fn) in enumerate(tests, 1):
            self.curtestname = name
            if name in self._disabled:
                status = "[DISABLED]"
            else:
                before = len(self.errors)
                try:
                    fn()
                except TesterFailure:
                    pass
                except Exception as e:  # noqa: BLE001  (reported as the test's error)
                    if self._rethrow:
                        raise
                    self.errors.append((name, "Function call failed\n%s"
                                        % "".join(traceback.format_exception_only(type(e), e))))
                status = "[PASS]" if len(self.errors) == before else "[FAIL]"
                failed += status == "[FAIL]"
            if not self._summary_only:
                head = "%*d/%d %s " % (width, i, len(tests), name)
                w(head + "." * max(1, 80 - len(head) - len(status) - 1) + " " + status + "\n")
            if self._early_abort and failed:
                break
        w("Completed %d assert%s in %d test%s with %d failure%s and 0 errors\n"
          % (self.countasserts, "" if self.countasserts == 1 else "s", len(tests),
             "" if len(tests) == 1 else "s", failed, "" if failed == 1 else "s"))
        for name, text in self.errors:
            w("-" * 80 + "\n")
            w("%s\n%s\n" % (name, text))
        if self.errors:
            w("-" * 80 + "\n")
            raise TesterFailure("An error was found while running tests!")
        return self


def _error_value(e):
    return e.args[0] if len(e.args) == 1 else str(e)


def _lua(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "nil"
    if isinstance(v, float) and v.is_integer():
        return "%d" % v
    return str(v)


# Lua spells it tester:assert(...); Python cannot name a method `assert`.
setattr(Tester, "assert", Tester.assert_)
