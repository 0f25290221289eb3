"""Penlight's `pl.path` (penlight 1.x, POSIX) for the Lua layer: trepl's `require 'pl'` makes it
the global `path` of every th script (char-rnn calls `path.exists`, `path.join`)."""
import os
import posixpath

from . import lfs as _lfs

is_windows = False
sep = "/"
dirsep = ":"

currentdir = _lfs.currentdir
chdir = _lfs.chdir
mkdir = _lfs.mkdir
rmdir = _lfs.rmdir
dir = _lfs.dir  # noqa: A001


def _check(p, fname):
    if not isinstance(p, str):
        raise TypeError("argument 1 expected a 'string', got a '%s'" % _lfs._luatype(p))
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
    d = p[:i]
    return (d if d else "/"), p[i + 1:]


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
    if p2 is None:
        return p1
    _check(p2, "join")
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
    return posixpath.normpath(_check(p, "normpath")) if p else "."


def abspath(p, pwd=None):
    _check(p, "abspath")
    pwd = pwd or os.getcwd()
    return normpath(p if isabs(p) else join(pwd, p))


def relpath(p, start=None):
    return os.path.relpath(_check(p, "relpath"), start or os.getcwd())


def expanduser(p):
    return os.path.expanduser(_check(p, "expanduser"))


def tmpname():
    from . import lualibs
    return lualibs.tmpname()


def common_prefix(p1, p2):
    """The longest common leading directory path of two paths."""
    _check(p1, "common_prefix")
    _check(p2, "common_prefix")
    if len(p1) > len(p2):
        p1, p2 = p2, p1
    for i in range(len(p1)):
        if p1[i] != p2[i]:
            cp = p1[:i]
            return cp[:cp.rfind("/")] if "/" in cp else ""
    return p1 if len(p1) == len(p2) or p2[len(p1)] == "/" else \
        (p1[:p1.rfind("/")] if "/" in p1 else "")
