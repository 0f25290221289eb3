"""`th-parity --suite FILE.lua`: runs a Torch7 test file (torch7's test/test.lua, nn's test.lua,
optim's test scripts) test by test through the Lua layer, each test in a fresh runtime, with a
time limit per test, and ends with the line `N passed, M failed`.

How a file's tests are found: the file is run once with torch.Tester's `run` replaced by a
recorder (it notes the names of the tests each `run` call would run, and runs none). A file that
only defines its package's test entry (`function torch.test(tests)`, `function nn.test(...)`,
as the packages' own test.lua do) has that function called after the load. A file that never
reaches a Tester is one test, the whole script, passed when it ends without an error: the
collecting run is its run.

Each test then runs in a worker process in a fresh LuaRuntime: the file is run again, and at
the same `run` call the Tester runs that one test (an anchored pattern of its name). The `run`
calls before it run in full, silently, as the plain file would have run them (later runs may
test their effects); the calls after it run nothing. A worker loads the file once (the
template) and runs each test in a fork of itself from there (see _Template); `--fresh` gives
each test its own process.
"""
import json
import os
import re
import select
import sys
import time

from .parity import WorkerProcess

TIMEOUT = 60.0
# the limit counts the test's own CPU time (a busy machine slows a test down, it does not make it
# fail: nn's test.lua has tests of 20-40 s of CPU at some seeds, which a wall-clock minute cut
# off under load): a test past it is killed by the kernel (RLIMIT_CPU); a test that waits
# without running ends at the wall-clock backstop, this many times the limit plus _WALL_EXTRA
# seconds (a spinning test on a loaded machine gets ~10% of a core)
_WALL_FACTOR = 10.0
_WALL_EXTRA = 60.0
_COLLECT_MARGIN = 30.0
_STARTUP = 180.0  # seconds a worker may take to start
_MAX_LINES = 20  # lines of a failure's message that the report shows

# a package's test entry, defined by its test file: function torch.test(...) / nn.test = ...
_ENTRY = re.compile(r"^\s*function\s+([A-Za-z_]\w*)\.test\s*\(|^\s*([A-Za-z_]\w*)\.test\s*=\s*"
                    r"function\b", re.M)


def lua_pattern_exact(name):
    """A Lua pattern that matches the string name and nothing else."""
    return "^" + "".join(c if c.isalnum() else "%" + c for c in name) + "$"


class _State:
    """What the replaced Tester.run does in this worker: record (collect) or run one test."""

    def __init__(self, mode, target=None):
        self.mode = mode  # 'collect' or 'run'
        self.target = target  # [call index, test name] in 'run' mode
        self.calls = 0
        self.found = []  # [call index, name]
        self.skipped = []
        self.outcome = None  # {'passed', 'message'} once the target test ran
        self.running = False  # inside the target test's run


_STATE = None
_ORIGINAL_RUN = None


def _test_names(tester, names):
    get = getattr(tester, "_get_tests", None)
    tests = get(names) if get is not None and names is not None else tester.tests
    return sorted((str(n) for n in tests), key=str)


def _patched_run(self, names=None):
    st = _STATE
    if st is None or st.running:
        # a Tester run inside the running test (test_Tester.lua tests the Tester) is the
        # test's own business
        return _ORIGINAL_RUN(self, names)
    st.calls += 1
    k = st.calls
    if st.mode == "collect":
        disabled = getattr(self, "disabledTests", {}) or {}
        for n in _test_names(self, names):
            (st.skipped if n in disabled else st.found).append([k, n])
        return 0
    import io
    if st.target is not None and k < st.target[0]:
        _run_earlier(self, names)
        return 0
    if st.target is None or st.target[0] != k or st.outcome is not None:
        return 0
    name = st.target[1]
    if name not in [str(n) for n in self.tests]:
        st.outcome = {"passed": False, "message": "the file no longer defines test %s" % name}
        return 0
    buf = io.StringIO()
    old_out = getattr(self, "out", None)
    self.out = buf
    nerr = len(self.errors)
    st.running = True
    try:
        _ORIGINAL_RUN(self, [lua_pattern_exact(name)])
        failed = len(self.errors) > nerr
        message = "\n".join(str(e) for e in self.errors[nerr:])
    except Exception as e:  # noqa: BLE001  (TesterFailure, or an error that rethrow let out)
        failed = True
        message = "\n".join(str(x) for x in self.errors[nerr:]) or _message(e)
    finally:
        self.out = old_out
        st.running = False
    st.outcome = {"passed": not failed, "message": message.strip() if failed else ""}
    return 0


def _run_earlier(tester, names):
    """A run call before the target's: the plain file runs it in full, and what the later runs
    test may depend on it (test_Tester.lua counts the _setUp calls of its first run), so it runs
    here too, silently, its results not reported."""
    import io
    old_out = getattr(tester, "out", None)
    tester.out = io.StringIO()
    _STATE.running = True
    try:
        _ORIGINAL_RUN(tester, names)
    except Exception:  # noqa: BLE001  (its failures are that run's tests' own results)
        pass
    finally:
        tester.out = old_out
        _STATE.running = False


def _message(e):
    from .runtime import LuaError, lua_message
    if isinstance(e, LuaError):
        return str(e.args[0]) if e.args else lua_message(e)
    if isinstance(e, SystemExit):
        return "the file called os.exit(%s)" % (e.code,)
    return "%s: %s" % (type(e).__name__, e)


def _install():
    global _ORIGINAL_RUN
    from torch7py.tester import Tester
    if _ORIGINAL_RUN is None:
        _ORIGINAL_RUN = Tester.run
        Tester.run = _patched_run


# Lua scripts get the Lua torch.Tester (compat/tester.lua): its run is replaced the same way,
# reporting to the Python state through the functions it is given
_LUA_HOOK = r"""
local next_call, collecting, record, wanted, finish, pattern, earlier = ...
local orig = torch.Tester.run
local running = false  -- inside the test being run: its own Tester runs are its business
torch.Tester.run = function(self, names)
   if running then return orig(self, names) end
   local k = next_call()
   if collecting() then
      local tests = self:_getTests(names)
      for name in pairs(tests) do
         record(k, tostring(name), self.disabledTests[name] and true or false)
      end
      return 0
   end
   local name = wanted(k)
   if not name then
      if earlier(k) then
         -- a run call before the target's: the plain file runs it in full, and the later
         -- runs may test what it did (test_Tester.lua counts its _setUp calls); silently
         local write = io.write
         io.write = function() return io.stdout end
         running = true
         pcall(orig, self, names)
         running = false
         io.write = write
      end
      return 0
   end
   if self.tests[name] == nil then
      finish(false, 'the file no longer defines test ' .. name)
      return 0
   end
   local write = io.write
   io.write = function() return io.stdout end  -- the Tester's own report is not the runner's
   local nerr = #self.errors
   running = true
   local ok, err = pcall(orig, self, {pattern(name)})
   running = false
   io.write = write
   local msgs = {}
   for i = nerr + 1, #self.errors do msgs[#msgs + 1] = tostring(self.errors[i]) end
   local failed = not ok or #self.errors > nerr
   if failed and #msgs == 0 then msgs[1] = tostring(err) end
   finish(not failed, failed and table.concat(msgs, '\n') or '')
   return 0
end
"""


def _install_lua(rt, state):
    def next_call():
        state.calls += 1
        return state.calls

    def record(k, name, disabled):
        (state.skipped if disabled else state.found).append([k, name])

    def wanted(k):
        t = state.target
        if t is None or t[0] != k or state.outcome is not None:
            return None
        return t[1]

    def finish(passed, message):
        state.outcome = {"passed": bool(passed), "message": "" if passed else str(message).strip()}

    def earlier(k):
        return state.target is not None and k < state.target[0]

    rt.lua.execute(_LUA_HOOK, next_call, lambda: state.mode == "collect", record, wanted,
                   finish, lua_pattern_exact, earlier)


# Lua run before and after the file: which package test entries the file defined.
_SNAP = """
local snap = {}
for name, m in pairs(package.loaded) do
   if type(m) == 'table' then snap[name] = rawget(m, 'test') or false end
end
return snap
"""
_NEW_ENTRIES = """
local snap = ...
local out = {}
for name, m in pairs(package.loaded) do
   local f = type(m) == 'table' and rawget(m, 'test')
   if type(f) == 'function' and snap[name] ~= f then out[#out + 1] = name end
end
table.sort(out)
return out
"""


_ENTRIES = {}  # (path, size, mtime) -> the packages whose test entry the file defines


def _entry_packages(path):
    """The packages (other than torch) whose test entry the file at path defines, in order; the
    scan of the file is kept while it is unchanged (a worker loads it once per test)."""
    st = os.stat(path)
    key = (path, st.st_size, st.st_mtime_ns)
    found = _ENTRIES.get(key)
    if found is None:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "surrogateescape")
        found = [m.group(1) or m.group(2) for m in _ENTRY.finditer(text)]
        found = [p for p in found if p not in ("torch", "_G")]
        _ENTRIES.clear()
        _ENTRIES[key] = found
    return found


def _start(path, state):
    """A fresh runtime where the file's run begins: torch loaded, the hooks in, the packages
    whose test entry the file defines required, cwd the file's folder; (runtime, the packages'
    test entries before the file ran)."""
    global _STATE
    from .runtime import LuaRuntime
    _install()
    _STATE = state
    rt = LuaRuntime(script=os.path.basename(path))
    rt._p_reset()
    rt.enable_trepl()
    os.chdir(os.path.dirname(path))
    rt.execute("require 'torch'")
    _install_lua(rt, state)
    # the file is its package's test.lua (torch/test.lua, nn/test.lua): load the package
    for pkg in _entry_packages(path):
        rt.execute("pcall(require, %r)" % pkg)
    return rt, rt.lua.execute(_SNAP)


def _run_file(rt, path):
    # run as `th FILE.lua` in its folder: the chunk is named by the file's name alone, so its
    # debug.getinfo short_src is (nngraph's tests build Lua patterns from it)
    rt.dofile(os.path.basename(path))


def _run_entries(rt, state, snap):
    """A file that reached no Tester run defined its package's test entry: call it."""
    if state.calls == 0:
        entries = list(rt.lua.execute(_NEW_ENTRIES, snap).values())
        for pkg in entries:
            rt.execute("%s.test()" % pkg, "=(%s.test)" % pkg)
            if state.calls:
                break


def _guard(step):
    """step()'s error message, or None."""
    from .runtime import LuaError, LuaSyntaxError
    try:
        step()
        return None
    except (LuaError, LuaSyntaxError, SystemExit) as e:
        return _message(e)
    except Exception as e:  # noqa: BLE001  (a failure of the layer: report it, go on)
        return "%s: %s" % (type(e).__name__, e)


def _load_file(path, state):
    """Run path in a fresh runtime under state; returns (runtime, error message or None)."""
    path = os.path.abspath(path)
    got = []

    def steps():
        rt, snap = _start(path, state)
        got.append(rt)
        _run_file(rt, path)
        _run_entries(rt, state, snap)

    err = _guard(steps)
    return (got[0] if got else None), err


def collect(path):
    """{'tests': [[call, name]...], 'skipped': [...], 'error': message or None}."""
    old = os.getcwd()
    rt = None
    try:
        st = _State("collect")
        rt, err = _load_file(path, st)
        # each run call's tests in name order (the Lua Tester records them in pairs() order)
        return {"tests": sorted(st.found), "skipped": sorted(st.skipped), "error": err,
                "script": st.calls == 0}
    finally:
        _finish(rt, old)


def run_one(path, target):
    """Run one test: target [call, name]."""
    old = os.getcwd()
    rt = None
    try:
        st = _State("run", target)
        cpu = time.process_time()
        rt, err = _load_file(path, st)
        return _outcome(st, err, time.process_time() - cpu)
    finally:
        _finish(rt, old)


def _outcome(st, err, cpu):
    if st.outcome is not None:
        return dict(st.outcome, cpu=cpu)
    return {"passed": False, "cpu": cpu,
            "message": err or "the test was not run (the file no longer reaches its Tester's "
                              "run)"}


# -- the CPU limit -------------------------------------------------------------------------------
def _limit_cpu(seconds, final=False):
    """Let this process run `seconds` more of CPU: then the kernel ends it with SIGXCPU, without
    a core file (final: a process that ends after this test, whose hard limit follows 2 s
    later, SIGKILL if SIGXCPU is caught). None: no limit (the soft one back to the hard)."""
    try:
        import resource
    except ImportError:  # not POSIX: the runner's wall-clock backstop only
        return
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    inf = resource.RLIM_INFINITY
    if seconds is None:
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
        return
    import math
    soft = int(math.ceil(time.process_time() + seconds))
    if hard != inf:
        soft = min(soft, hard)
    if final:
        hard = soft + 2 if hard == inf else min(hard, soft + 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _timed_out(limit):
    return "timed out after %g s of CPU" % limit


def _cpu_killed(code):
    """Whether a process's exit code (Popen's, waitstatus_to_exitcode's) is RLIMIT_CPU's kill."""
    import signal
    return code == -getattr(signal, "SIGXCPU", 0)


# -- a test in a fork of a loaded runtime --------------------------------------------------------
# Every test's run loads the file the same way up to the call that runs it; a worker does that
# once (the template) and runs each test in a fork of itself: the child's runtime is the fresh
# one the test would have had, a crash or a hang ends only the child, and the ~25 ms of a new
# runtime, `require 'nn'` and nn's 9,000-line test.lua are paid once per worker.
_PR_SET_PDEATHSIG = 1


class _Template:
    """A runtime that has run the part of path's load that every test repeats: the file itself
    when it only defines its package's test entry (nn's and torch's test.lua), else the
    runtime before the file (a file that runs its Tester as it loads)."""

    def __init__(self, path):
        st = os.stat(path)
        self.key = (path, st.st_size, st.st_mtime_ns)
        self.path = path
        self.rt = None
        old = os.getcwd()
        try:
            self.state = _State("run")
            got = []

            def steps():
                got[:] = _start(path, self.state)
                _run_file(got[0], path)

            err = _guard(steps)
            self.whole = err is None and self.state.calls == 0 and not _changed(self.key)
            if not self.whole:  # the file runs tests, or fails, as it loads: stop before it
                if got:
                    got[0].undo_class_edits()
                got = []
                self.state = _State("run")
                err = _guard(lambda: got.extend(_start(path, self.state)))
                if err is not None:
                    raise RuntimeError(err)
            self.rt, self.snap = got
        finally:
            global _STATE
            _STATE = None
            os.chdir(old)
        # what a worker that ran tests in turn had done once for all of them, and a child would
        # otherwise redo every time: the scan of nn's and optim's classes (torch.save/load,
        # nn.Jacobian's testIO) imports optim and names every class (~15 ms a test)
        from torch7py.serialization import objects
        objects._scan_builtin()
        try:  # nn.Linear's batch backward imports scipy's BLAS at its first call (~0.2 s)
            import scipy.linalg.blas  # noqa: F401
        except ImportError:
            pass
        import gc
        gc.collect()
        gc.freeze()  # the children's collections leave the template's objects (and pages) be

    def drop(self):
        if self.rt is not None:
            self.rt.undo_class_edits()
            self.rt = None

    def run_child(self, target):
        """In the forked child: the test's run from the template; its outcome."""
        global _STATE
        st = self.state
        st.target = target
        _STATE = st
        os.chdir(os.path.dirname(self.path))
        cpu = time.process_time()

        def steps():
            if not self.whole:
                _run_file(self.rt, self.path)
            _run_entries(self.rt, st, self.snap)

        err = _guard(steps)
        return _outcome(st, err, time.process_time() - cpu)


def _changed(key):
    st = os.stat(key[0])
    return key != (key[0], st.st_size, st.st_mtime_ns)


def _die_with_parent(ppid):
    """The child ends when its worker does (the runner kills a worker whose test timed out)."""
    import ctypes
    import signal
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if os.getppid() != ppid:
        os._exit(1)


def _forked(tmpl, target, limit=None):
    """Run target in a fork of this worker from tmpl, within limit seconds of CPU; the
    outcome."""
    r, w = os.pipe()
    ppid = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: it never returns
        code = 0
        try:
            os.close(r)
            _die_with_parent(ppid)
            if limit is not None:
                _limit_cpu(limit, final=True)
            data = json.dumps(tmpl.run_child(target)).encode()
            while data:
                data = data[os.write(w, data):]
        except BaseException:  # noqa: BLE001  (no outcome: the parent reports the exit)
            code = 70
        finally:
            os._exit(code)
    os.close(w)
    chunks = []
    try:
        while True:
            chunk = os.read(r, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(r)
        _, status = os.waitpid(pid, 0)
    data = b"".join(chunks)
    if data:
        return json.loads(data)
    code = os.waitstatus_to_exitcode(status)
    if limit is not None and _cpu_killed(code):
        return {"error": _timed_out(limit)}
    return {"error": "the test crashed the Lua layer (exit status %s)" % code}


_CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")


def _finish(rt, old):
    global _STATE
    _STATE = None
    os.chdir(old)
    if rt is not None:
        rt.undo_class_edits()


# -- worker processes ----------------------------------------------------------------------------
# glibc's malloc settings for the worker and the tests it forks (mallopt's M_TRIM_THRESHOLD,
# M_TOP_PAD, M_MMAP_THRESHOLD): nn's finite-difference checks allocate and free arrays of
# 0.1-10 MB thousands of times; by default each is a fresh mmap (or heap the next free trims),
# paid again in page faults and zeroed pages. Kept in the heap, nn's heavy tests take ~11% less
# CPU (user 13.4-13.8 -> 12.3-12.4 s, sys 0.7-0.8 -> 0.4 s on five of them). A process
# started with MALLOC_*_ settings of its own keeps them.
_MALLOC = ((-1, 256 << 20), (-2, 64 << 20), (-3, 64 << 20))
_MALLOC_ENV = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_THRESHOLD_")


def _tune_malloc():
    """Set _MALLOC through glibc's mallopt; True when all were set."""
    if any(k in os.environ for k in _MALLOC_ENV) or not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    return all(mallopt(param, value) == 1 for param, value in _MALLOC)


def _no_huge_pages():
    """numpy asks the kernel for transparent huge pages on every array of 4 MB or more
    (madvise MADV_HUGEPAGE); where THP's defrag is `madvise` (the kernel's default), each fault
    of such an array may stop to compact memory for a 2 MB page. nn's finite-difference checks
    fill fresh Jacobians of 0.1-1 GB in each forked test, and paid it in system time: on six
    heavy tests of nn's suite 3.4-3.6 s of system time with huge pages, 2.1-2.2 s without, the
    user time the same. A process started with NUMPY_MADVISE_HUGEPAGE keeps its setting."""
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return False
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:
        try:
            from numpy.core.multiarray import _set_madvise_hugepage
        except ImportError:
            return False
    _set_madvise_hugepage(False)
    return True


def _worker():
    """Serve requests (one JSON line each on stdin, one JSON line out); the tests' own output
    goes to /dev/null."""
    from .parity import worker_streams
    proto, requests = worker_streams("TH_SUITE_KEEP_STDERR")
    _tune_malloc()
    _no_huge_pages()
    # warm up off the clock (imports, a first runtime with torch loaded), then say so
    from compat.runtime import LuaRuntime
    LuaRuntime().execute("require 'torch'")
    proto.write(json.dumps({"ready": True}) + "\n")
    proto.flush()
    tmpl = None
    for line in requests:
        req = json.loads(line)
        limit = req.get("cpu")
        # a request run in this process (a collection, --fresh) is limited here; a fork
        # limits its child
        forks = req["op"] != "collect" and req.get("fork") and _CAN_FORK
        if limit is not None and not forks:
            _limit_cpu(limit)
        if req["op"] == "collect":
            if tmpl is not None:  # its class edits are not the collecting run's
                tmpl.drop()
                tmpl = None
            out = collect(req["path"])
        elif not req.get("fork") or not _CAN_FORK:
            out = run_one(req["path"], req["target"])
        else:
            path = os.path.abspath(req["path"])
            if tmpl is not None and (tmpl.path != path or _changed(tmpl.key)):
                tmpl.drop()
                tmpl = None
            if tmpl is None:
                try:
                    tmpl = _Template(path)
                except Exception:  # noqa: BLE001  (its run in a fresh runtime says why)
                    tmpl = None
            out = (_forked(tmpl, req["target"], limit) if tmpl is not None
                   else run_one(path, req["target"]))
        if limit is not None and not forks:
            _limit_cpu(None)
        proto.write(json.dumps(out) + "\n")
        proto.flush()


class _Worker(WorkerProcess):
    def __init__(self):
        super().__init__("compat.suite")
        self.key = None
        # wait for the worker's ready line: its start-up is not a test's time
        deadline = time.monotonic() + _STARTUP
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            ready = select.select([self.p.stdout], [], [], max(0.0, left))[0] if left > 0 else []
            chunk = os.read(self.p.stdout.fileno(), 1 << 16) if ready else b""
            if not chunk:
                break  # died or too slow: its first request reports it
            self.buf += chunk
        if b"\n" in self.buf:
            self.buf = self.buf.split(b"\n", 1)[1]

    def send(self, key, req):
        self.key = key
        self.send_request(req)


def run_requests(reqs, jobs=1, timeout=TIMEOUT, fresh=False, on_result=None, workers=None):
    """reqs: [(key, request)]; runs them in worker processes; {key: output}. A request that
    runs past timeout seconds of CPU, waits past _WALL_FACTOR times that, or kills its worker,
    gets {'error': ...}. workers: a list of live workers to use and leave open (the caller
    closes them), else the call's own."""
    todo = [(k, dict(r, cpu=timeout)) for k, r in reqs]
    wall = timeout * _WALL_FACTOR + _WALL_EXTRA
    jobs = max(1, min(jobs, len(todo) or 1))
    results = {}
    keep = workers is not None
    workers = workers if keep else []

    def done(w, out):
        results[w.key] = out
        if on_result is not None:
            on_result(w.key, out)
        w.key = None

    try:
        while todo or any(w.key is not None for w in workers):
            while len(workers) < jobs and todo:
                workers.append(_Worker())
            for w in workers:
                if w.key is None and todo:
                    w.send(*todo.pop(0))
            busy = [w for w in workers if w.key is not None]
            if not busy:
                continue
            wait = max(0.0, min(w.start + wall - time.monotonic() for w in busy))
            ready, _, _ = select.select([w.p.stdout for w in busy], [], [], wait)
            for w in busy:
                if w.p.stdout in ready:
                    chunk = os.read(w.p.stdout.fileno(), 1 << 20)
                    if not chunk:
                        code = w.p.wait()
                        done(w, {"error": _timed_out(timeout)} if _cpu_killed(code) else
                             {"error": "the test crashed the Lua layer (worker exit "
                                       "status %s)" % code})
                        workers.remove(w)
                        continue
                    w.buf += chunk
                    if b"\n" in w.buf:
                        line, w.buf = w.buf.split(b"\n", 1)
                        done(w, json.loads(line))
                        if fresh:
                            w.close()
                            workers.remove(w)
                elif time.monotonic() - w.start > wall:
                    done(w, {"error": "timed out after %g s wall-clock (the limit: %g s of CPU)"
                                      % (wall, timeout)})
                    w.kill()
                    workers.remove(w)
    finally:
        if not keep:
            for w in workers:
                w.close()
    return results


# -- the command -------------------------------------------------------------------------------
def _label(target, ncalls):
    k, name = target
    return name if ncalls <= 1 else "%s [run %d]" % (name, k)


def _fail_text(out):
    msg = out.get("error") or out.get("message") or "failed"
    return msg.strip() or "failed"


def format_result(label, out):
    if out.get("passed"):
        return "PASS %s" % label
    lines = _fail_text(out).splitlines()
    if len(lines) > 1 and lines[0].strip() == label.split(" [run ")[0]:
        lines = lines[1:]  # the Tester's message starts with the test's name
    head = "FAIL %s: %s" % (label, lines[0] if lines else "failed")
    rest = ["    " + x for x in lines[1:_MAX_LINES]]
    if len(lines) > _MAX_LINES:
        rest.append("    ... (%d more lines)" % (len(lines) - _MAX_LINES))
    return "\n".join([head] + rest)


def run_suite(path, only=None, jobs=None, timeout=TIMEOUT, fresh=False, out=None):
    """Run the test file path test by test; prints a line per test and the summary to out;
    returns (passed, failed)."""
    out = out or sys.stdout
    path = os.path.abspath(path)
    name = os.path.basename(path)
    jobs = jobs or min(4, os.cpu_count() or 1)
    if not os.path.isfile(path):
        out.write("FAIL %s: no such file\n0 passed, 1 failed\n" % path)
        return 0, 1
    t0 = time.monotonic()
    pool = []  # the collecting worker goes on to run tests
    try:
        return _run_suite(path, name, only, jobs, timeout, fresh, out, pool, t0)
    finally:
        for w in pool:
            w.close()


def _run_suite(path, name, only, jobs, timeout, fresh, out, pool, t0):
    # collecting loads the file (for a script, it is its run): the limit plus a margin
    c = run_requests([("collect", {"op": "collect", "path": path})], 1,
                     timeout + _COLLECT_MARGIN, workers=pool)["collect"]
    if "error" in c and "tests" not in c:  # the worker died or timed out
        c = {"tests": [], "skipped": [], "error": c["error"], "script": False}
    # a file that never reached a Tester is one script: the collecting run was its run
    targets = [] if c["script"] else c["tests"]
    ncalls = max([t[0] for t in targets] + [1])
    reqs = []
    for t in targets:
        label = _label(t, ncalls)
        if only and not any(label.startswith(p) for p in only):
            continue
        reqs.append((label, {"op": "run", "path": path, "target": t, "fork": not fresh}))
    npass = nfail = 0
    if c["script"] and not c["error"]:
        if not only or any(name.startswith(p) for p in only):
            out.write(format_result(name, {"passed": True}) + "\n")
            npass += 1
    elif c["error"] and (c["script"] or not targets):
        out.write(format_result(name, {"passed": False, "error": c["error"]}) + "\n")
        nfail += 1
    elif c["error"]:  # the tests were found, but the file failed after its run call(s)
        out.write("NOTE %s: after its tests, the file failed: %s\n"
                  % (name, c["error"].strip().splitlines()[0]))
    for t in c["skipped"]:
        out.write("SKIP %s (disabled)\n" % _label(t, ncalls))

    order = [k for k, _ in reqs]
    pending = {}

    def report(label, res):  # in the file's order, each as soon as those before it are done
        nonlocal npass, nfail
        pending[label] = res
        while order and order[0] in pending:
            lab = order.pop(0)
            r = pending.pop(lab)
            if r.get("passed"):
                npass += 1
            else:
                nfail += 1
            line = format_result(lab, r)
            if os.environ.get("TH_SUITE_TIME") and "cpu" in r:
                line += "  [%.2f s cpu]" % r["cpu"]
            out.write(line + "\n")
            out.flush()

    run_requests(reqs, jobs, timeout, fresh, report, workers=pool)
    out.write("%d passed, %d failed\n" % (npass, nfail))
    if os.environ.get("TH_SUITE_TIME"):
        out.write("(%.1f s)\n" % (time.monotonic() - t0))
    out.flush()
    return npass, nfail


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(prog="th-parity --suite", description=__doc__)
    ap.add_argument("path")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run the tests whose names start "
                    "with these")
    ap.add_argument("-j", "--jobs", type=int, default=None, help="worker processes")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds of CPU per test (a "
                    "test that waits ends at %g times that + %g s, wall-clock)"
                    % (_WALL_FACTOR, _WALL_EXTRA))
    ap.add_argument("--fresh", action="store_true", help="a new process for every test")
    ap.add_argument("--allow-functions", action="store_true", help="let the tests load Lua "
                    "functions (as TORCH7PY_ALLOW_FUNCTIONS=1): Torch7's test_writeObject.lua "
                    "reads back the closures it writes")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        _worker()
        return 0
    if a.allow_functions:
        os.environ["TORCH7PY_ALLOW_FUNCTIONS"] = "1"  # the workers inherit it
    _, nfail = run_suite(a.path, a.only, a.jobs, a.timeout, a.fresh)
    return 1 if nfail else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        _worker()
        sys.exit(0)
    sys.exit(main())
