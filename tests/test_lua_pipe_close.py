"""Closing a pipe as Torch7's LuaJIT (2.1.0-beta2 built with LUA52COMPAT) did: lib_io.c's
io_file_close returns luaL_execresult(pclose's status) for a pipe under LJ_52 (true or nil,
"exit", the exit code), a plain file's close stays luaL_fileresult (true alone); os.execute
follows the same rule."""
import pytest


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime().execute(code)


def test_pipe_close_returns_the_commands_exit_status():
    out = lua("""
        local r = {}
        local function add(...)
            local t = {...}
            r[#r + 1] = tostring(t[1]) .. ' ' .. tostring(t[2]) .. ' ' .. tostring(t[3]) .. '/'
                        .. select('#', ...)
        end
        add(io.popen('true'):close())
        add(io.popen('exit 3'):close())
        local p = io.popen("echo 'it''s'; echo $$ > /dev/null; exit 7")
        local text = p:read('*a')
        add(io.close(p))
        local w = io.popen('cat > /dev/null', 'w')
        w:write('x')
        add(w:close())
        add(os.execute('exit 2'))
        local name = os.tmpname()
        local f = io.open(name, 'w')
        add(f:close())
        os.remove(name)
        add(io.stdout:close())
        return table.concat(r, ';'), text, io.type(io.popen('true'))
    """)
    assert list(out) == ["true exit 0/3;nil exit 3/3;nil exit 7/3;true exit 0/3;nil exit 2/3;"
                         "true nil nil/1;nil cannot close standard file nil/2", "its\n", "file"]


def test_closing_twice_or_a_non_file_gives_lua_messages():
    out = lua("""
        local p = io.popen('true')
        p:close()
        local ok1, e1 = pcall(function() local r = p:close() return r end)
        local ok2, e2 = pcall(function() local r = io.close({}) return r end)
        local ok3, e3 = pcall(function() local r = io.stdout.close() return r end)
        return ok1, e1, ok2, e2, ok3, e3
    """)
    assert list(out) == [
        False, "(command line):4: attempt to use a closed file", False,
        "(command line):5: bad argument #1 to 'close' (FILE* expected, got table)",
        # f.close() with no file closes the default output (beta2's io_method_close): the
        # original printed true, nil (nil, 'cannot close standard file' from the call)
        True, None]
