"""Torch7's torch.Tester and torch.TestSuite (Tester.lua, TestSuite.lua): asserts, report."""
import os
import re
import sys
import traceback
from collections.abc import Mapping

import numpy as np

from .messages import lua_type

__all__ = ["Tester", "TestSuite"]

_NCOLS = 80
_HERE = os.path.abspath(__file__)


class TestSuite(dict):
    """A table of test functions (torch.TestSuite()); adding a name twice is an error."""

    typename = "torch.TestSuite"
    __test__ = False
    # TestSuite.lua's torch.TestSuite is a function returning a table with a metatable of its
    # own: luaT has no class of that name (torch.getmetatable('torch.TestSuite') is nil)
    _t7_no_metatable = True

    def __setitem__(self, name, fn):
        if name in self:
            raise KeyError("Test %s is already defined." % _lua(name))
        if not callable(fn):
            if isinstance(fn, (Mapping, list)):
                raise TypeError("Nested tables of tests are not supported")
            raise TypeError("Only functions are supported as members of a TestSuite")
        super().__setitem__(name, fn)


class TesterFailure(AssertionError):
    """Raised by run() when a test failed or erred, as Torch7's Tester raises an error."""

    __test__ = False  # not a pytest test class


def _lua(v):
    """Lua's tostring."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "nil"
    if isinstance(v, (int, float, np.number)):
        return "%.14g" % v
    return str(v)


def _is_tensor(x):
    name = getattr(type(x), "typename", "")
    return isinstance(name, str) and name.startswith("torch.") and name.endswith("Tensor")


def _is_storage(x):
    name = getattr(type(x), "typename", "")
    return isinstance(name, str) and name.startswith("torch.") and name.endswith("Storage")


def _error_value(e):
    """The value a Lua pcall would give for the error (a Lua error's message, no traceback)."""
    v = e.args[0] if len(e.args) == 1 else str(e)
    if isinstance(v, str) and type(e).__name__ == "LuaError":
        i = v.find("\nstack traceback:")
        v = v if i < 0 else v[:i]
    if isinstance(e, KeyError) and isinstance(v, str):
        return v
    return v if not isinstance(v, BaseException) else str(v)


def _failure_text(e):
    """What xpcall(f, debug.traceback) gives for a test that raised: message and traceback."""
    if type(e).__name__ == "LuaError":
        return str(e.args[0]) if e.args else str(e)
    tb = traceback.extract_tb(e.__traceback__)
    lines = ["\t%s:%d: in function '%s'" % (f.filename, f.lineno, f.name)
             for f in reversed(tb) if os.path.abspath(f.filename) != _HERE]
    return "%s\nstack traceback:\n%s" % (_error_value(e), "\n".join(lines))


def _where():
    """Torch7's two traceback lines for a failed assert: the assert method and its caller
    (None when the caller is the Lua bridge, whose stack Python cannot see)."""
    f = sys._getframe(1)
    while f is not None and os.path.abspath(f.f_code.co_filename) != _HERE:
        f = f.f_back
    while f is not None and f.f_back is not None and \
            os.path.abspath(f.f_back.f_code.co_filename) == _HERE:
        f = f.f_back
    if f is None or f.f_back is None:
        return ""
    caller = f.f_back
    if str(caller.f_globals.get("__name__", "")).startswith("compat."):
        return None
    return "\n".join("\t%s:%d: in function '%s'" % (g.f_code.co_filename, g.f_lineno,
                                                     g.f_code.co_name) for g in (f, caller))


# The Lua layer sets this to a function giving the Lua traceback line of the failed assert.
where = None


def _message(message=None, *rest):
    # `assert(next{...} == nil)`: trailing nils (a Lua call's explicit nils) are no arguments
    if any(r is not None for r in rest):
        raise TypeError("Unexpected arguments passed to test function")
    if message is not None and message is not False:  # Lua's truth: '' and 0 are true
        if not isinstance(message, str):
            raise TypeError("message parameter must be a string")
        if message != "":
            return message + "\n"
    return ""


def _tolerance_and_message(default, *args):
    """Torch7 accepts (tolerance, message) in either order."""
    message, tolerance = None, None
    for a in args:
        if a is None:
            break  # ipairs stops at the first nil
        if isinstance(a, str):
            if message is not None:
                raise ValueError("Unexpected string argument; already have message")
            message = a + "\n"
        elif isinstance(a, (int, float)) and not isinstance(a, bool):
            if tolerance is not None:
                raise ValueError("Unexpected number argument; already have tolerance")
            if a < 0:
                raise ValueError("tolerance cannot be negative")
            tolerance = a
        elif a is not None:
            raise TypeError("Unrecognized argument; should be a tolerance or message")
    return (default if tolerance is None else tolerance), (message or "")


def _same_format_tensors_eq(ta, tb, tol, negate, storage=False):
    a = np.asarray(ta.numpy(), np.float64)
    b = np.asarray(tb.numpy(), np.float64)
    err = float(np.max(np.abs(a.ravel() - b.ravel()))) if a.size else 0.0
    ok = err <= tol
    if negate:
        ok = not ok
    if ok:
        return True, None
    return False, "%s%s violation: max diff=%s, tolerance=%s" % (
        "Storage" if storage else "Tensor", "NE(==)" if negate else "EQ(==)", _lua(err),
        _lua(tol))


def _tensors_eq(ta, tb, tol, negate, ignore_dims=False):
    if not ignore_dims and ta.dim() != tb.dim():
        return negate, "The tensors have different dimensions"
    if ta.typename != tb.typename:
        return negate, "The tensors have different types"
    if ta.dim() == 0 and tb.dim() == 0:
        return not negate, "Both tensors are empty"
    same = ta.nElement() == tb.nElement() if ignore_dims else tuple(ta._size) == tuple(tb._size)
    if not same:
        return negate, "The tensors have different sizes"
    return _same_format_tensors_eq(ta, tb, tol, negate)


def _storages_eq(sa, sb, tol, negate):
    if sa.size() != sb.size():
        return negate, "The storages have different sizes"
    if sa.typename != sb.typename:
        return negate, "The storages have different types"
    return _same_format_tensors_eq(sa, sb, tol, negate, storage=True)


def _items(t):
    if isinstance(t, Mapping):
        return list(t.items())
    return [(i + 1, v) for i, v in enumerate(t)]


def _get(t, k):
    if isinstance(t, Mapping):
        return t.get(k)
    if isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= len(t):
        return t[k - 1]
    return None


def _tables_eq(t1, t2, tol, negate):
    """check.areTablesEq: breadth first, the first difference described."""
    queue = [(t1, t2, None)]
    while queue:
        a, b, loc = queue.pop(0)

        def sub(key):
            return _lua(key) if loc is None else loc + "." + _lua(key)
        for key, v1 in _items(a):
            v2 = _get(b, key)
            if v2 is None:
                return negate, "Entry %s missing in second table (is %s in first)" % (
                    sub(key), _lua(v1))
            if lua_type(v1) == "table" and lua_type(v2) == "table":
                queue.append((v1, v2, sub(key)))
            else:
                ok, msg = _are_eq(v1, v2, tol, False)
                if not ok:
                    return negate, "At table location %s: %s" % (sub(key), msg)
        for key, v2 in _items(b):
            if _get(a, key) is None:
                return negate, "Entry %s missing in first table (is %s in second)" % (
                    sub(key), _lua(v2))
    return not negate, "The tables are equal"


def _are_eq(got, expected, tol, negate):
    """check.areEq: general deep equality with a tolerance on numbers and tensors."""
    tg, te = lua_type(got), lua_type(expected)
    if tg != te:
        return negate, (None if negate else "EQ failed: values have different types (first: "
                        "%s, second: %s)" % (tg, te))
    if tg == "number":
        ok = abs(got - expected) <= tol
        if negate:
            ok = not ok
        msg = None
        if not ok:
            msg = ("NE failed: %s == %s" if negate else "EQ failed: %s ~= %s") % (
                _lua(got), _lua(expected))
            if tol > 0:
                msg += " with tolerance=" + _lua(tol)
        return ok, msg
    if te == "table":
        return _tables_eq(got, expected, tol, negate)
    if _is_tensor(got):
        return _tensors_eq(got, expected, tol, negate)
    if _is_storage(got):
        return _storages_eq(got, expected, tol, negate)
    ok = got == expected if not (_is_tensor(got) or _is_storage(got)) else got is expected
    if negate:
        ok = not ok
    msg = None
    if not ok:
        msg = ("NE failed: %s (%s) == %s (%s)" if negate else "EQ failed: %s (%s) ~= %s (%s)") % (
            _lua(got), tg, _lua(expected), te)
    return ok, msg


_LUA_CLASSES = {"a": "A-Za-z", "d": "0-9", "l": "a-z", "s": r"\s", "u": "A-Z",
                "w": "A-Za-z0-9", "x": "A-Fa-f0-9", "p": r"!-/:-@\[-`{-~", "c": r"\x00-\x1f"}


def _lua_pattern(p):
    """A Lua pattern (the test-name filters of run()) as a Python regex."""
    out, i = [], 0
    while i < len(p):
        ch = p[i]
        if ch == "%" and i + 1 < len(p):
            nxt = p[i + 1]
            cls = _LUA_CLASSES.get(nxt.lower())
            if cls is None:
                out.append(re.escape(nxt))
            else:
                out.append(("[%s]" if nxt.islower() else "[^%s]") % cls)
            i += 2
            continue
        out.append("*?" if ch == "-" else ch if ch in ".[]^$*+?()" else re.escape(ch))
        i += 1
    return "".join(out)


class Tester:
    """Runs named tests and reports as Torch7's Tester: a line per test, then the failures."""

    typename = "torch.Tester"
    # Python API beyond Torch7's class: a Lua script finds nil there, as in Torch7
    _py_only = frozenset(("assert_",))
    __test__ = False

    def __init__(self):
        self.errors = []
        self.tests = {}
        self.warnings = []
        self._warningCount = {}
        self.disabledTests = {}
        self._currentTestName = ""
        self._assertTensorEqIgnoresDims = True
        self.countasserts = 0
        self.earlyAbort = False
        self.rethrow = False
        self.summaryOnly = False
        self._setUp = None
        self._tearDown = None
        self.out = None

    def _write(self, s):
        (self.out or sys.stdout).write(s)

    def _flush(self):
        (self.out or sys.stdout).flush()

    # -- configuration ---------------------------------------------------------------------
    def setEarlyAbort(self, flag=True):
        self.earlyAbort = flag

    def setRethrowErrors(self, flag=True):
        self.rethrow = flag

    def setSummaryOnly(self, flag=True):
        self.summaryOnly = flag

    # -- bookkeeping -------------------------------------------------------------------------
    def _debug_info(self, message):
        name = self._currentTestName
        ss = _where()
        if ss is None:
            ss = (where() if where is not None else "") or ""
        return (name + "\n" if name != "" else "") + message + "\n" + ss

    def _success(self):
        name = self._currentTestName
        self.assertionPass[name] = self.assertionPass.get(name, 0) + 1
        return True

    def _failure(self, message):
        if self.rethrow:
            raise TesterFailure(message)
        name = self._currentTestName
        self.assertionFail[name] = self.assertionFail.get(name, 0) + 1
        self.errors.append(self._debug_info(message))
        return False

    def _warning(self, message):
        name = self._currentTestName
        self._warningCount[name] = self._warningCount.get(name, 0) + 1
        self.warnings.append(self._debug_info(message))

    def _assert_sub(self, condition, message):
        if not hasattr(self, "assertionPass"):
            self.assertionPass, self.assertionFail = {}, {}
        return self._success() if condition else self._failure(message)

    # -- asserts -----------------------------------------------------------------------------
    def assert_(self, condition, *args):
        message = _message(*args)
        if not isinstance(condition, bool):
            self._warning(" :assert should only be used for boolean conditions. To check for "
                          "non-nil variables, do this explicitly: Tester:assert(var ~= nil).")
        ok = condition is not None and condition is not False
        return self._assert_sub(ok, "%sBOOL violation condition=%s" % (message, _lua(condition)))

    def assertlt(self, a, b, *args):
        return self._assert_sub(a < b, "%sLT failed: %s >= %s" % (_message(*args), _lua(a),
                                                                    _lua(b)))

    def assertgt(self, a, b, *args):
        return self._assert_sub(a > b, "%sGT failed: %s <= %s" % (_message(*args), _lua(a),
                                                                    _lua(b)))

    def assertle(self, a, b, *args):
        return self._assert_sub(a <= b, "%sLE failed: %s > %s" % (_message(*args), _lua(a),
                                                                    _lua(b)))

    def assertge(self, a, b, *args):
        return self._assert_sub(a >= b, "%sGE failed: %s < %s" % (_message(*args), _lua(a),
                                                                    _lua(b)))

    def asserteq(self, a, b, *args):
        return self._assert_sub(_raw_eq(a, b), "%sEQ failed: %s ~= %s" % (
            _message(*args), _lua(a), _lua(b)))

    def assertne(self, a, b, *args):
        message = _message(*args)
        if (lua_type(a) == lua_type(b) == "table") or lua_type(a) == "userdata":
            self._warning(" :assertne should only be used to compare basic lua objects "
                          "(numbers, booleans, etc). Consider using either :assertGeneralNe "
                          "or :assert(a ~= b).")
        return self._assert_sub(not _raw_eq(a, b), "%sNE failed: %s == %s" % (
            message, _lua(a), _lua(b)))

    def assertalmosteq(self, a, b, *args):
        tol, message = _tolerance_and_message(1e-16, *args)
        return self._assert_sub(abs(a - b) <= tol, "%sALMOST_EQ failed: %s ~= %s with "
                                "tolerance=%s" % (message, _lua(a), _lua(b), _lua(tol)))

    def _eq_or_neq(self, got, expected, negate, *args):
        tol, message = _tolerance_and_message(0, *args)
        ok, sub = _are_eq(got, expected, tol, negate)
        return self._assert_sub(ok, message + (sub or ""))

    def assertGeneralEq(self, got, expected, *args):
        return self._eq_or_neq(got, expected, False, *args)

    def assertGeneralNe(self, got, unexpected, *args):
        return self._eq_or_neq(got, unexpected, True, *args)

    eq = assertGeneralEq
    ne = assertGeneralNe

    def _tensor_eq_or_neq(self, ta, tb, negate, *args):
        if not _is_tensor(ta):
            raise TypeError("First argument should be a Tensor")
        if not _is_tensor(tb):
            raise TypeError("Second argument should be a Tensor")
        tol, message = _tolerance_and_message(0, *args)
        ignore = self._assertTensorEqIgnoresDims
        ok, sub = _tensors_eq(ta, tb, tol, negate, ignore)
        if ignore and not negate and ok and tuple(ta._size) != tuple(tb._size):
            self._warning("Tensors have the same content but different dimensions. For "
                          "backwards compatibility, they are considered equal, but this may "
                          "change in the future. Consider using :eq to check for equality "
                          "instead.")
        return self._assert_sub(ok, message + (sub or ""))

    def assertTensorEq(self, ta, tb, *args):
        return self._tensor_eq_or_neq(ta, tb, False, *args)

    def assertTensorNe(self, ta, tb, *args):
        return self._tensor_eq_or_neq(ta, tb, True, *args)

    def _table_eq_or_neq(self, ta, tb, negate, *args):
        if lua_type(ta) != "table":
            raise TypeError("First argument should be a Table")
        if lua_type(tb) != "table":
            raise TypeError("Second argument should be a Table")
        return self._eq_or_neq(ta, tb, negate, *args)

    def assertTableEq(self, ta, tb, *args):
        return self._table_eq_or_neq(ta, tb, False, *args)

    def assertTableNe(self, ta, tb, *args):
        return self._table_eq_or_neq(ta, tb, True, *args)

    def assertError(self, f, *args):
        return self.assertErrorObj(f, lambda err: True, *args)

    def assertNoError(self, f, *args):
        message = _message(*args)
        try:
            f()
        except Exception as e:  # noqa: BLE001  (any error is the failure being reported)
            return self._assert_sub(False, "%sERROR violation: err=%s"
                                    % (message, _lua(_error_value(e))))
        return self._assert_sub(True, "")

    def assertErrorMsg(self, f, errmsg, *args):
        return self.assertErrorObj(f, lambda err: err == errmsg, *args)

    def assertErrorPattern(self, f, pattern, *args):
        return self.assertErrorObj(
            f, lambda err: re.search(_lua_pattern(pattern), str(err)) is not None, *args)

    def assertErrorObj(self, f, errcomp, *args):
        message = _message(*args)
        try:
            r = f()
        except Exception as e:  # noqa: BLE001
            err = _error_value(e)
            return self._assert_sub(bool(errcomp(err)), "%sERROR violation: err=%s"
                                    % (message, _lua(err)))
        # Tester.lua's pcall(f) returns true and f's first result, which the message shows
        if type(r) is tuple:
            r = r[0] if r else None
        return self._assert_sub(False, "%sERROR violation: err=%s" % (message, _lua(r)))

    # -- tests -------------------------------------------------------------------------------
    def add(self, f, name=None):
        if isinstance(f, Mapping):
            if name is not None:
                raise ValueError("Name parameter is forbidden for a table of tests, since its "
                                 "use is ambiguous")
            if not isinstance(f, TestSuite):
                self._warning("Should use TestSuite rather than plain lua table")
            for k in sorted(f.keys(), key=str):
                v = f[k]
                if isinstance(v, (Mapping, list)):
                    raise TypeError("Nested sets of tests are not supported")
                self.add(v, k)
            return self
        if not callable(f):
            raise TypeError("Only tables of functions and functions supported")
        if name == "_setUp":
            if self._setUp is not None:
                raise ValueError("Only one set-up function allowed")
            self._setUp = f
        elif name == "_tearDown":
            if self._tearDown is not None:
                raise ValueError("Only one tear-down function allowed")
            self._tearDown = f
        else:
            name = name or "unknown"
            if name in self.tests:
                raise KeyError("Test with name %s already exists!" % name)
            self.tests[name] = f
        return self

    def disable(self, names):
        if isinstance(names, str):
            names = [names]
        names = list(names.values()) if isinstance(names, Mapping) else list(names)
        for name in names:
            if name not in self.tests:
                raise KeyError("Unrecognized test '%s'" % name)
            self.disabledTests[name] = True
        return self

    def _get_tests(self, names):
        if names is None:
            return dict(self.tests)
        if isinstance(names, str):
            names = [names]
        names = list(names.values()) if isinstance(names, Mapping) else list(names)
        tests = {}
        for pattern in names:
            rx = re.compile(_lua_pattern(pattern))
            matching = [n for n in self.tests if rx.search(str(n))]
            if not matching:
                raise KeyError("Couldn't find test '%s'" % pattern)
            for n in matching:
                tests[n] = self.tests[n]
        return tests

    def run(self, names=None):
        tests = self._get_tests(names)
        self.assertionPass = {n: 0 for n in tests}
        self.assertionFail = {n: 0 for n in tests}
        self.testError = {n: 0 for n in tests}
        for n in tests:
            self._warningCount[n] = 0
        self._run(tests)
        self._report(tests)
        for n in tests:
            if self.assertionFail[n] or self.testError[n]:
                raise TesterFailure("An error was found while running tests!")
        return 0

    def _run(self, tests):
        w = self._write
        ntests = len(tests)
        width = len("%d" % ntests)
        cfmtlen = width * 2 + 2
        w("Running %s\n" % _plural(ntests, "test"))
        for i, name in enumerate(tests, 1):
            fn = tests[name]
            self._currentTestName = name
            sname = _lua(name)
            strinit = "%*d/%d " % (width, i, ntests) + sname + " " + \
                "." * max(0, _NCOLS - 6 - 2 - cfmtlen - len(sname)) + " "
            w(strinit + "[WAIT]")
            self._flush()
            status, ok, skip = True, True, name in self.disabledTests
            if not skip:
                if self._setUp is not None:
                    self._setUp(name)
                nerr = len(self.errors)
                if self.rethrow:
                    fn()
                else:
                    try:
                        fn()
                    except Exception as e:  # noqa: BLE001  (reported as the test's error)
                        status = False
                        self.errors.append("%s\n Function call failed\n%s\n"
                                           % (sname, _failure_text(e)))
                ok = status and nerr == len(self.errors)
                if self._tearDown is not None:
                    self._tearDown(name)
            w("\r" + strinit)
            if skip:
                w("[SKIP]")
            elif not status:
                self.testError[name] = 1
                w("[ERROR]")
            elif not ok:
                w("[FAIL]")
            else:
                w("[PASS]")
                if self._warningCount.get(name, 0) > 0:
                    w("\n" + " " * (_NCOLS - 10) + "[+warning]")
            w("\n")
            self._flush()
            if self.earlyAbort and i < ntests and (not status or not ok) and not skip:
                w("Aborting on first error, not all tests have been executed\n")
                break

    def _report(self, tests):
        w = self._write
        nfail = sum(1 for n in tests if self.assertionFail.get(n, 0) > 0)
        nerr = sum(1 for n in tests if self.testError.get(n, 0) > 0)
        nwarn = sum(1 for n in tests if self._warningCount.get(n, 0) > 0)
        nwarn += self._warningCount.get("", 0)
        nskip = sum(1 for n in tests if n in self.disabledTests)
        self.countasserts = sum(self.assertionFail.get(n, 0) + self.assertionPass.get(n, 0)
                                for n in tests)
        w("Completed %s in %s with %s and %s" % (
            _plural(self.countasserts, "assert"), _plural(len(tests), "test"),
            _plural(nfail, "failure"), _plural(nerr, "error")))
        if nwarn:
            w(" and " + _plural(nwarn, "warning"))
        if nskip:
            w(" and %d disabled" % nskip)
        w("\n")
        if self.summaryOnly:
            return
        sections = self.errors + self.warnings
        if sections:
            w("-" * _NCOLS + "\n")
        for text in sections:
            w(text + "\n" + "-" * _NCOLS + "\n")


def _plural(n, word):
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


def _raw_eq(a, b):
    """Lua's ==: numbers by value, tables and objects by identity."""
    if lua_type(a) in ("number", "string", "boolean", "nil") or \
            lua_type(b) in ("number", "string", "boolean", "nil"):
        return lua_type(a) == lua_type(b) and a == b
    return a is b


# Lua spells it tester:assert(...); Python cannot name a method `assert`.
setattr(Tester, "assert", Tester.assert_)
