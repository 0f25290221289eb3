"""Penlight's `pl.path` (penlight 1.x, POSIX) for the Lua layer: trepl's `require 'pl'` makes it
the global `path` of every th script (char-rnn calls `path.exists`, `path.join`)."""
import os

from . import lfs as _lfs

is_windows = False
sep = "/"
dirsep = ":"

currentdir = _lfs.currentdir
chdir = _lfs.chdir
mkdir = _lfs.mkdir
rmdir = _lfs.rmdir
dir = _lfs.dir  # noqa: A001


def _check(p, fname, n=1):
    if not isinstance(p, str):
        kind = "nil" if p is None else _lfs._luatype(p)  # Penlight's assert_arg: type(p)
        raise TypeError("argument %d expected a 'string', got a '%s'" % (n, kind))
    return p


def attrib(p, request=None):
    return _lfs.attributes(_check(p, "attrib"), request)


def link_attrib(p, request=None):
    return _lfs.symlinkattributes(_check(p, "link_attrib"), request)


def _mode(p):
    r = _lfs.attributes(p, "mode")
    return r if isinstance(r, str) else None


def exists(p):
    """p when it names something, else false."""
    _check(p, "exists")
    return p if _mode(p) is not None else False


def isdir(p):
    return _mode(_check(p, "isdir")) == "directory"


def isfile(p):
    return _mode(_check(p, "isfile")) == "file"


def islink(p):
    r = _lfs.symlinkattributes(_check(p, "islink"), "mode")
    return r == "link"


def _attr(p, name):
    r = _lfs.attributes(_check(p, name), {"getsize": "size", "getatime": "access",
                                          "getmtime": "modification",
                                          "getctime": "change"}[name])
    return r if not isinstance(r, tuple) else r[0]


def getsize(p):
    return _attr(p, "getsize")


def getatime(p):
    return _attr(p, "getatime")


def getmtime(p):
    return _attr(p, "getmtime")


def getctime(p):
    return _attr(p, "getctime")


def splitpath(p):
    """Directory and file parts: everything up to the last slash, and after it."""
    i = _check(p, "splitpath").rfind("/")
    if i < 0:
        return "", p
    return p[:i], p[i + 1:]  # Penlight: '/x' splits into '' and 'x'


def splitext(p):
    """Root and extension ('.ext' with its dot, or '')."""
    _check(p, "splitext")
    i = p.rfind(".")
    if i <= p.rfind("/") or i < 0:
        return p, ""
    return p[:i], p[i:]


def dirname(p):
    return splitpath(p)[0]


def basename(p):
    return splitpath(p)[1]


def extension(p):
    return splitext(p)[1]


def isabs(p):
    return _check(p, "isabs").startswith("/")


def join(p1, p2=None, *rest):
    """Join with '/' (an absolute part restarts); penlight keeps an empty part's slash."""
    _check(p1, "join")
    _check(p2, "join", 2)
    if isabs(p2):
        out = p2
    elif p1 == "" or p1.endswith("/"):
        out = p1 + p2
    else:
        out = p1 + "/" + p2
    return join(out, *rest) if rest else out


def normcase(p):
    return _check(p, "normcase")


def normpath(p):
    """Penlight's POSIX normpath: a leading '//' (exactly two) or '/' kept, '.' parts dropped,
    '..' removing the part before it unless there is none or it is '..' ('/../a' stays)."""
    _check(p, "normpath")
    anchor = ""
    if p.startswith("//") and p[2:3] != "/":
        anchor, p = "//", p[2:]
    elif p.startswith("/"):
        anchor, p = "/", p.lstrip("/")
    parts = []
    for part in p.split("/"):
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            else:
                parts.append(part)
        elif part not in ("", "."):
            parts.append(part)
    return (anchor + "/".join(parts)) or "."


def abspath(p, pwd=None):
    _check(p, "abspath")
    pwd = pwd or os.getcwd()
    return normpath(p if isabs(p) else join(pwd, p))


def relpath(p, start=None):
    """Penlight's relpath: both paths split on '/', '..' for each part of start past the
    common ones, then the rest of p ('' for the same path)."""
    _check(p, "relpath")
    if start is not None:
        _check(start, "relpath", 2)
    p = abspath(p, start)
    start = start or os.getcwd()
    sl = [x for x in start.split("/") if x]
    pl = [x for x in p.split("/") if x]
    k = min(len(sl), len(pl))
    for i in range(k):
        if sl[i] != pl[i]:
            k = i
            break
    return "/".join([".."] * (len(sl) - k) + pl[k:])


def expanduser(p):
    return os.path.expanduser(_check(p, "expanduser"))


def tmpname():
    from . import lualibs
    return lualibs.mkstemp_name()


def common_prefix(p1, p2):
    """The longest common leading directory path of two paths (Penlight's: cut at the first
    differing character, back to a directory unless the cut falls just after a '/')."""
    _check(p1, "common_prefix")
    _check(p2, "common_prefix", 2)
    if len(p1) > len(p2):
        p1, p2 = p2, p1
    for i in range(len(p1)):
        if p1[i] != p2[i]:
            cp = p1[:i]
            return cp if i > 0 and p1[i - 1] == "/" else dirname(cp)
    return p1 if p2[len(p1):len(p1) + 1] == "/" else dirname(p1)
