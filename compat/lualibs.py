"""The small Lua packages legacy Torch7 scripts use besides torch/nn/optim: `paths` (file system
helpers), `xlua` (progress bar and friends) and `sys` (clock, tic/toc, execute), for the Lua
layer."""
import atexit
import math
import os
import random
import sys
import tempfile
import time
import types

from torch7py import messages
from torch7py.luaresults import NOVALUE, NoResults


def _s(p):
    return os.fspath(p) if p is not None else p


def _checkstring(x, n):
    """luaL_checkstring of paths.c's argument n: a string, a number as Lua writes it, else
    luaL_argerror's text, written "to '?'" and flagged (lua_cfunc) for the Lua layer to name
    the function as LuaJIT does: as its caller's call names it (paths.dirname() 'dirname', a
    tail call or pcall(paths.dirname) '?'), after the calling Lua line's position."""
    if isinstance(x, str):
        return x
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return "%.14g" % x
    got = "no value" if x is NOVALUE else messages.lua_type(x)
    e = TypeError(messages.bad_argument(n, messages.msg("type_expected", "string", got)))
    e.lua_cfunc = True
    raise e


def filep(path=NOVALUE):
    """True when path names a regular file."""
    return os.path.isfile(_checkstring(path, 1))


def dirp(path=NOVALUE):
    """True when path names a directory."""
    return os.path.isdir(_checkstring(path, 1))


def concat(*parts):
    """Join path components (a later absolute one restarts); no arguments: the cwd."""
    if not parts:
        return os.getcwd()
    parts = [_checkstring(p, i) for i, p in enumerate(parts, 1)]
    path = os.path.join(*[_s(p) for p in parts])
    return os.path.normpath(os.path.join(os.getcwd(), path)) if not os.path.isabs(path) \
        else os.path.normpath(path)


def basename(path=NOVALUE, suffix=None):
    """The last component (trailing slashes ignored), without '.suffix' when it ends so."""
    path = _checkstring(path, 1)
    if suffix is not None:
        suffix = _checkstring(suffix, 2)
    start = 0
    for i in range(len(path) - 1):
        if path[i] == "/" and path[i + 1] != "/":
            start = i + 1
    name = path[start:].split("/", 1)[0]
    if suffix:
        suffix = suffix[1:] if suffix.startswith(".") else suffix
        if suffix and len(name) > len(suffix) and name.endswith("." + suffix):
            name = name[:-len(suffix) - 1]
    return name


def dirname(path=NOVALUE):
    """Everything before the last slash that is followed by a name ('.' when there is none)."""
    path = _checkstring(path, 1)
    cut = None
    for i in range(len(path) - 1):
        if path[i] == "/" and path[i + 1] != "/":
            cut = i
    if cut is None:
        return path if path.startswith("/") else "."
    return path[:max(cut, 1)]


def extname(path=NOVALUE):
    """What follows the last '.'; no value at all when there is none (paths.c returns 0)."""
    path = _checkstring(path, 1)
    i = path.rfind(".")
    return NoResults() if i < 0 else path[i + 1:]


def _failure(path, e):
    return None, "%s: %s" % (path, e.strerror), e.errno


def mkdir(path=NOVALUE):
    """Make a directory and its missing parents: true, or nil, message, errno."""
    path = _checkstring(path, 1)
    parent = dirname(path)
    if not os.path.isdir(parent):
        mkdir(parent)
    try:
        os.mkdir(path)
        return True
    except OSError as e:
        return _failure(path, e)


def rmdir(path=NOVALUE):
    path = _checkstring(path, 1)
    try:
        os.rmdir(path)
        return True
    except OSError as e:
        return _failure(path, e)


def rmall(path=NOVALUE, confirm=None):
    """paths.rmall(d, 'yes') as paths/init.lua writes it: a file goes through os.remove, a
    directory's entries one by one (the first failure is returned with the entry's path as a
    third value) and then rmdir; anything else is nil, 'not a file or directory', d."""
    if confirm != "yes":
        return None, "missing second argument ('yes')"
    if filep(path):
        try:
            os.remove(path)
            return True
        except OSError as e:
            return _failure(path, e)
    if dirp(path):
        for name in dir(path):
            if name not in (".", ".."):
                sub = concat(path, name)
                r = rmall(sub, confirm)
                if r is not True and not r[0]:
                    return r[0], r[1], sub
        return rmdir(path)
    return None, "not a file or directory", path


def dir(path=NOVALUE):  # noqa: A001  (paths.dir)
    """The entries of a directory ('.' and '..' included), or nil."""
    path = _checkstring(path, 1)
    try:
        return [".", ".."] + os.listdir(path)
    except OSError:
        return None


def cwd():
    return os.getcwd()


def tmpname():
    """paths.tmpname: tempnam(NULL, "luatmp")'s name ('/tmp/luatmXXXXXX') of a file that does
    not exist yet (no file is made; $TMPDIR when it is a directory, else /tmp), removed, if the
    script made it, when the process ends (paths.c's gc_tmpname)."""
    d = os.environ.get("TMPDIR")
    if not (d and os.path.isdir(d)):
        d = "/tmp"
    while True:
        # (glibc's __path_search keeps 5 characters of the prefix: luatm + 6 random ones)
        name = os.path.join(d, "luatm" + "".join(random.choice(_TMPCHARS) for _ in range(6)))
        if not os.path.lexists(name):
            break
    if not _TMPNAMES:
        atexit.register(_remove_tmpnames)
    _TMPNAMES.append(name)
    return name


_TMPCHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_TMPNAMES = []


def _remove_tmpnames():
    for name in _TMPNAMES:
        try:
            os.remove(name)
        except OSError:
            pass


def mkstemp_name():
    """A new empty temporary file's name (Lua 5.1's os.tmpname, which makes the file)."""
    fd, name = tempfile.mkstemp(prefix="luatmp", dir=os.environ.get("TMPDIR") or "/tmp")
    os.close(fd)
    return name


def uname():
    return os.uname().sysname if hasattr(os, "uname") else sys.platform


def is_win():
    # paths.is_win()/is_mac() return true or nothing (nil), never false
    return True if sys.platform.startswith("win") else None


def is_mac():
    return True if sys.platform == "darwin" else None


def execdir():
    """nil: paths.c pushes lua_executable_dir(), which only a Lua built with
    HAVE_LUA_EXECUTABLE_DIR has (the torch distro's LuaJIT has not): one nil, as a tuple (a
    function that returns None gives Lua no value at all)."""
    return (None,)


home = os.path.expanduser("~")


def findprogram(*names):
    """paths.findprogram(name, ...): the first `dir/name` that is a file, over each name in
    turn and the directories of $PATH (':'-separated, '.' when unset); nil when none."""
    for exe in names:
        for d in (os.environ.get("PATH") or ".").split(":"):
            if d:
                x = concat(d, exe)
                if filep(x):
                    return x
    return None

# files, iterfiles and iterdirs are written in Lua (torch.lua), with Lua's patterns
paths = types.SimpleNamespace(
    filep=filep, dirp=dirp, concat=concat, basename=basename, dirname=dirname, extname=extname,
    mkdir=mkdir, rmdir=rmdir, rmall=rmall, dir=dir, cwd=cwd, tmpname=tmpname, uname=uname,
    is_win=is_win, is_mac=is_mac, execdir=execdir, home=home, findprogram=findprogram)


# -- xlua ------------------------------------------------------------------------------------
def formatTime(seconds=None):
    """xlua.formatTime: at most the two largest of D, h, m, s, ms ('0ms' for nothing)."""
    if isinstance(seconds, str) and messages.lua_tonumber(seconds) is not None:
        seconds = messages.lua_tonumber(seconds)  # Lua's arithmetic converts a numeric string
    elif isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        # xlua's first use of it: floor(seconds/3600/24)
        # (xlua/init.lua:195, named after the install prefix as errors of Lua packages are)
        raise messages.at_lua(TypeError(messages.arith_text(messages.lua_type(seconds),
                                                            "local 'seconds'")),
                              "xlua/init.lua:195")
    seconds = float(seconds)

    def floor(v):  # math.floor on a double: nan and inf stay themselves
        return float(math.floor(v)) if math.isfinite(v) else v
    days = floor(seconds / 3600 / 24)
    seconds = seconds - days * 3600 * 24
    hours = floor(seconds / 3600)
    seconds = seconds - hours * 3600
    minutes = floor(seconds / 60)
    seconds = seconds - minutes * 60
    secs = floor(seconds)
    millis = floor((seconds - secs) * 1000)
    parts = []
    for value, unit in ((days, "D"), (hours, "h"), (minutes, "m"), (secs, "s"), (millis, "ms")):
        if value > 0 and len(parts) < 2:
            parts.append(_tostring_number(value) + unit)  # Lua's `f .. days .. 'D'`
    return "".join(parts) or "0ms"


def _tostring_number(x):
    """Lua's tostring of a number (%.14g; inf, nan as LuaJIT writes them)."""
    if x != x:
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return "%.14g" % x


def _lua_num(x):
    return "%d" % x if float(x) == int(x) else "%.14g" % x


def _arith(v):
    """A value of Lua arithmetic: a string lua_tonumber reads becomes its number (others stay
    as they are and fail in the arithmetic, with Lua's message)."""
    if isinstance(v, bytes):
        v = v.decode("latin-1")
    n = messages.lua_tonumber(v) if isinstance(v, str) else None
    return v if n is None else n


class _Progress:
    """xlua.progress(current, goal): Torch7's bar, redrawn in place on one line, with ETA (or
    total time at the end) and time per step; a new line when the bar is full."""

    def __init__(self):
        self.done, self.previous = True, -1
        self.t0, self.times, self.indices = 0.0, [], []

    def __call__(self, current, goal, clock=None):
        # xlua's bar is Lua arithmetic: numeric strings (an option never passed through
        # tonumber) count as their numbers, and io.write prints them as given
        shown = [_lua_num(v) if isinstance(v, (int, float)) else v for v in (current, goal)]
        current, goal = (_arith(v) for v in (current, goal))
        out = sys.stdout
        cols = 80
        if out.isatty():
            import shutil
            cols = shutil.get_terminal_size((80, 24)).columns
        term = min(cols, 120)
        bar = term - 34
        # Lua's arithmetic: a goal of 0 gives inf or nan, math.floor keeps them (the bar is
        # then full, or empty, and never done)
        # (an operand that is no number: LuaJIT names xlua's local, current first)
        for name, v in (("current", current), ("goal", goal)):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TypeError("attempt to perform arithmetic on local '%s' (a %s value)"
                                % (name, messages.lua_type(v)))
        if goal == 0:
            x = current * bar
            percent = math.nan if x == 0 or x != x else math.copysign(math.inf, x) * \
                math.copysign(1.0, goal)
        else:
            x = current * bar / goal
            percent = x if x != x or x in (math.inf, -math.inf) else math.floor(x)
        # xlua's bar times itself with torch.Timer (clock(start) from the Lua layer: a new
        # Timer when a bar starts, then its real time), which a script may replace
        starting = self.done and (self.previous == -1 or percent < self.previous)
        now = clock(starting) if clock is not None else time.time()
        parts = []
        if self.done and (self.previous == -1 or percent < self.previous):
            self.done, self.previous = False, -1
            self.t0, self.times, self.indices = now, [0.0], [current]
        else:
            parts.append("\r")
        if not self.done:
            self.previous = percent
            parts.append(" [" + "".join("=" if i < percent else ">" if i == percent else "."
                                        for i in range(1, bar + 1)) + "] ")
            pad = term - bar - 4
            parts.append(" " * pad + "\b" * pad)
            elapsed = now - self.t0
            step = 0.0 if current == self.indices[0] else \
                (elapsed - self.times[0]) / (current - self.indices[0])
            remaining = max(0.0, (goal - current) * step)
            self.indices.append(current)
            self.times.append(elapsed)
            if len(self.indices) > 100:  # smoothing window
                self.indices.pop(0)
                self.times.pop(0)
            tm = (" ETA: " + formatTime(remaining)) if percent < bar else \
                (" Tot: " + formatTime(elapsed))
            tm += " | Step: " + formatTime(step)
            parts.append(tm)
            parts.append("\b" * int(5 + len(tm) + bar / 2))
            parts.append(" %s/%s " % tuple(shown))
            if percent == bar:
                self.done = True
                parts.append("\n")
            parts.append("\r")
        out.write("".join(parts))
        out.flush()


_progress = _Progress()


def progress(current, goal, clock=None):
    _progress(current, goal, clock)


xlua = types.SimpleNamespace(progress=progress, formatTime=formatTime)


# -- sys ----------------------------------------------------------------------------------------
_tic = [time.time()]


def clock():
    """Wall-clock seconds (sys.clock)."""
    return time.time()


def tic():
    _tic[0] = time.time()


def toc(verbose=False):
    dt = time.time() - _tic[0]
    if verbose:
        sys.stdout.write("%s\n" % dt)
    return dt


def sleep(seconds):
    time.sleep(float(seconds))


def execute(cmd):
    """Run a shell command; its output without the trailing newline (sys.execute)."""
    import subprocess
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout
    return out[:-1] if out.endswith("\n") else out


sys_ = types.SimpleNamespace(clock=clock, tic=tic, toc=toc, sleep=sleep, execute=execute,
                             fexecute=execute, uname=uname, dirname=dirname,
                             basename=basename, concat=concat, filep=filep, dirp=dirp)
