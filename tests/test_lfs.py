"""LuaFileSystem and Penlight's pl.path in the Lua layer, against what os reports."""
import os

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


def test_lfs_attributes_mkdir_and_dir(tmp_path):
    (tmp_path / "f.txt").write_bytes(b"12345")
    rt = LuaRuntime()
    d = str(tmp_path)
    r = rt.execute("""
        require 'lfs'
        local d = [[%s]]
        local a = lfs.attributes(d .. '/f.txt')
        local none, msg, errno = lfs.attributes(d .. '/missing')
        local names = {}
        assert(lfs.mkdir(d .. '/sub'))
        local again, why = lfs.mkdir(d .. '/sub')
        for name in lfs.dir(d) do names[#names + 1] = name end
        table.sort(names)
        return {a.mode, a.size, a.modification, lfs.attributes(d, 'mode'), none == nil, msg,
                errno, again == nil, why, table.concat(names, ','), lfs.currentdir()}
    """ % d)
    st = os.stat(tmp_path / "f.txt")
    assert r == ["file", 5, int(st.st_mtime), "directory", True,
                 "cannot obtain information from file '%s/missing': No such file or directory"
                 % d, 2, True, "File exists", ".,..,f.txt,sub", os.getcwd()]
    assert os.path.isdir(tmp_path / "sub")


def test_pl_path(tmp_path):
    (tmp_path / "f.txt").write_text("x")
    rt = LuaRuntime()
    r = rt.execute("""
        local path = require 'pl.path'
        local d = [[%s]]
        return {path.exists(d .. '/f.txt'), path.exists(d .. '/nope'), path.join('a', 'b', 'c'),
                path.join('a/', 'b'), path.join('a', '/b'), path.isdir(d), path.isfile(d),
                path.basename('x/y.t7'), path.dirname('x/y.t7'), path.extension('x/y.t7'),
                path.getsize(d .. '/f.txt')}
    """ % tmp_path)
    assert r == [str(tmp_path) + "/f.txt", False, "a/b/c", "a/b", "/b", True, False, "y.t7", "x",
                 ".t7", 1]
