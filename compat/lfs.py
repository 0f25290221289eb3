"""LuaFileSystem (`require 'lfs'`, lfs 1.6) and Penlight's `pl.path` for the Lua layer: Torch7's
th ships both (trepl depends on penlight, penlight on lfs), and scripts such as char-rnn's use
`lfs.attributes`, `lfs.mkdir` and the global `path` without installing anything."""
import os
import stat as _stat
import time

_VERSION = "LuaFileSystem 1.6.3"

_MODES = ((_stat.S_ISREG, "file"), (_stat.S_ISDIR, "directory"), (_stat.S_ISLNK, "link"),
          (_stat.S_ISSOCK, "socket"), (_stat.S_ISFIFO, "named pipe"),
          (_stat.S_ISCHR, "char device"), (_stat.S_ISBLK, "block device"))


def _mode(m):
    for test, name in _MODES:
        if test(m):
            return name
    return "other"


def _perm(m):
    bits = "rwxrwxrwx"
    return "".join(c if m & (0o400 >> i) else "-" for i, c in enumerate(bits))


def _fields(st):
    return {
        "dev": st.st_dev, "ino": st.st_ino, "mode": _mode(st.st_mode), "nlink": st.st_nlink,
        "uid": st.st_uid, "gid": st.st_gid, "rdev": st.st_rdev, "access": int(st.st_atime),
        "modification": int(st.st_mtime), "change": int(st.st_ctime), "size": st.st_size,
        "permissions": _perm(st.st_mode), "blocks": st.st_blocks, "blksize": st.st_blksize,
    }


def _info(path, request, follow):
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError as e:
        return None, "cannot obtain information from file '%s': %s" % (path, e.strerror), e.errno
    except (TypeError, ValueError):
        raise TypeError("bad argument #1 to 'attributes' (string expected, got %s)"
                        % _luatype(path)) from None
    fields = _fields(st)
    if isinstance(request, str):
        if request not in fields:
            raise ValueError("invalid attribute name '%s'" % request)
        return fields[request]
    if request is not None and hasattr(request, "__setitem__"):
        for k, v in fields.items():  # lfs fills a table given as the second argument
            request[k] = v
        return request
    return fields


def _luatype(v):
    if v is None:
        return "no value"
    return {bool: "boolean", int: "number", float: "number", str: "string"}.get(type(v), "table")


def attributes(path, request=None):
    """The file's attributes (a table, or the one named by request); nil, message, errno."""
    return _info(path, request, True)


def symlinkattributes(path, request=None):
    """attributes of a link itself (lstat)."""
    return _info(path, request, False)


def _result(fn, *args):
    try:
        fn(*args)
        return True
    except OSError as e:
        return None, e.strerror, e.errno


def mkdir(path):
    return _result(os.mkdir, path)


def rmdir(path):
    return _result(os.rmdir, path)


def chdir(path):
    try:
        os.chdir(path)
        return True
    except OSError as e:
        return None, "Unable to change working directory to '%s'\n%s\n" % (path, e.strerror)


def currentdir():
    try:
        return os.getcwd()
    except OSError as e:
        return None, e.strerror, e.errno


def touch(path, atime=None, mtime=None):
    """Set access and modification times (now when not given; mtime defaults to atime)."""
    if atime is None:
        atime = time.time()
    if mtime is None:
        mtime = atime
    return _result(os.utime, path, (atime, mtime))


def setmode(file, mode=None):
    """Text and binary modes are the same on POSIX: true and the previous mode."""
    return True, "binary"


def dir(path):  # noqa: A001  (lfs.dir)
    """An iterator over the entries of a directory ('.' and '..' first)."""
    try:
        names = [".", ".."] + os.listdir(path)
    except OSError as e:
        raise OSError("cannot open %s: %s" % (path, e.strerror)) from None
    it = iter(names)

    def nxt():
        return next(it, None)
    return nxt
