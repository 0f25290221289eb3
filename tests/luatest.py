"""Helpers for tests that run Lua code in torch7py's runtime or through `th`."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def th_script(script_text, tmp_path, *args):
    """`th s.lua ARGS` in its own process, the script written into tmp_path (its cwd)."""
    (tmp_path / "s.lua").write_text(script_text)
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "compat.th", "s.lua", *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)


def trepl_runtime(requires):
    """A runtime set up as th's (trepl's globals) that has run `requires` (Lua code)."""
    from compat.runtime import LuaRuntime
    r = LuaRuntime()
    r.enable_trepl()
    r.execute(requires)
    return r


def lua_error(rt, code):
    """The message of the error `code` raises, without its file:line prefix."""
    ok, msg = rt.execute("return pcall(function() %s end)" % code)
    assert ok is False, msg
    prefix = "(command line):1: "
    return msg[len(prefix):] if msg.startswith(prefix) else msg


def lua(code, capsys):
    """Runs `code` in a fresh Lua runtime; returns (results, stdout)."""
    from compat.runtime import LuaRuntime
    capsys.readouterr()
    r = LuaRuntime().execute(code)
    return r, capsys.readouterr().out


def lua_undone(code):
    """Runs `code` in a fresh Lua runtime (the test is skipped without lupa) and returns its
    results; the Python classes' edits the code made are undone afterwards."""
    import pytest
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    try:
        return rt.execute(code)
    finally:
        rt.undo_class_edits()


def cwrap_checkouts():
    """The torch7 and cwrap checkouts tools/diff_cwrap.py reads (TORCH7_DIR, CWRAP_DIR); the
    test is skipped without them or without lupa."""
    import pytest
    t7 = os.environ.get("TORCH7_DIR", "/work/ext/torch7")
    cands = [os.environ.get("CWRAP_DIR", ""), "/work/ext/cwrap", "/work/.mirror/torch+cwrap/repo"]
    cw = next((c for c in cands if c and os.path.exists(c)), None)
    if not os.path.exists(os.path.join(t7, "TensorMath.lua")) or cw is None:
        pytest.skip("needs torch7 and cwrap checkouts (TORCH7_DIR, CWRAP_DIR)")
    pytest.importorskip("lupa")
    return t7, cw
