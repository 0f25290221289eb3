"""Mechanisms found by running public legacy Torch7 code through th (session s9,
legacysweep6, see docs/legacy_sweep.md); expectations from the original sources' rules."""
import pytest


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime().execute(code)


def test_require_after_a_failed_load_is_a_previous_error():
    # lib_package.c's require marks package.loaded[name] before running the loader; an error
    # leaves the mark, and the next require says so (twrl's tests require a module whose own
    # require fails, then require it again in the next test)
    r = lua("""
      package.preload['s9.bad'] = function() error('boom', 0) end
      local a, ea = pcall(require, 's9.bad')
      local b, eb = pcall(require, 's9.bad')
      return a, ea, b, eb""")
    assert r == (False, "boom", False, "loop or previous error loading module 's9.bad'")


def test_require_of_itself_while_loading_is_a_loop():
    r = lua("""
      package.preload['s9.loop'] = function() return require 's9.loop' end
      return pcall(require, 's9.loop')""")
    assert r == (False, "loop or previous error loading module 's9.loop'")


def test_require_loads_again_when_the_entry_is_false():
    # lua_toboolean(package.loaded[name]) is false: the loader runs and its value is stored
    r = lua("""
      package.loaded['s9.f'] = false
      package.preload['s9.f'] = function() return 7 end
      local v = require 's9.f'
      return v, package.loaded['s9.f'], require 's9.f'""")
    assert r == (7, 7, 7)
