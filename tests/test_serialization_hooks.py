"""File.lua's writeObject(object, debugname, hook), its error paths, and closures that share
upvalues, from Python and through the Lua layer."""
import pytest

import torch7py as torch
from torch7py.serialization import SerializationError


def test_hook_replaces_each_value_and_memo_keys_on_the_original():
    shared = [1, 2]
    obj = {"a": shared, "b": shared, "n": 3, "s": "x"}
    seen = []

    def hook(v):
        seen.append(type(v).__name__)
        return v * 10 if isinstance(v, int) and not isinstance(v, bool) else v
    f = torch.MemoryFile("rw").binary()
    f.writeObject(obj, None, hook)
    f.seek(1)
    back = f.readObject()
    # every value and every key passes through the hook (File.lua hooks keys too): the list
    # [1, 2] (keys 1, 2) comes back as {10 = 10, 20 = 20}
    assert back["n"] == 30 and back["a"] == {10: 10, 20: 20} and back["a"] is back["b"]
    assert "dict" in seen and "str" in seen
    # a hook that maps an object to None writes nil
    f2 = torch.MemoryFile("rw").binary()
    f2.writeObject({"k": [1]}, None, lambda v: None if isinstance(v, list) else v)
    f2.seek(1)
    assert f2.readObject() == {}
    # File.lua calls hook(object): a hook that is no function fails as that call does
    with pytest.raises(RuntimeError, match=r"^attempt to call local 'hook' \(a number value\)$"):
        torch.MemoryFile("rw").writeObject(1, None, 5)


def test_error_paths_name_keys_as_file_lua():
    class Odd:
        pass
    with pytest.raises(SerializationError, match=r"Unwritable object <Odd> at <\?>\.a\.2\.b$"):
        torch.serialize({"a": [1, {"b": Odd()}]})
    with pytest.raises(SerializationError, match=r"Unwritable object <Odd> at top\.k$"):
        torch.MemoryFile("rw").writeObject({"k": Odd()}, "top")


def _rt():
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime()


def test_lua_error_path_goes_through_upvalues_by_name():
    rt = _rt()
    ok, msg = rt.execute("""
        local torch = torch
        local inner = { baz = function(a) torch.somefunc() end }
        local outer = { theinner = inner }
        local function evil_func() outer.prop = 1; image.compress(1) end
        return pcall(torch.serialize, evil_func)
    """)
    assert ok is False
    assert "Unwritable object <function> at <?>.outer.theinner.baz.torch." in msg


def test_lua_closures_that_shared_upvalues_share_them_after_reading():
    rt = _rt()
    r = rt.execute("""
        local i, j = 1, 2
        local func = {}
        func.increment = function() i = i + 1; j = j + 2 end
        func.get_i = function() return i end
        func.get_j = function() return j end
        local f = torch.MemoryFile(); f:binary()
        f:writeObject(func)
        f:seek(1)
        torch.allowFunctionsOnLoad(true)  -- th loads functions only when asked
        local c = f:readObject()
        local a1, a2 = c.get_i(), c.get_j()
        c.increment()
        local own = i
        return a1, a2, c.get_i(), c.get_j(), own
    """)
    assert r == (1, 2, 2, 4, 1)  # the copies share among themselves, not with the originals


def test_lua_hook_swaps_a_class_and_keeps_sharing():
    rt = _rt()
    r = rt.execute("""
        local cls = {}
        torch.class('hooktest.A', cls)
        torch.class('hooktest.B', cls)
        function cls.A:test() return false end
        function cls.B:test() return true end
        local hook = function(o)
           if torch.typename(o) == 'hooktest.A' then return cls.B() end
           return o
        end
        local s = cls.A()
        local f = torch.MemoryFile('rw'):binary()
        f:writeObject({s1 = s, v = 'test', s2 = s}, nil, hook)
        f:seek(1)
        local c = f:readObject()
        return torch.typename(c.s1), c.s1:test(), c.s1 == c.s2, c.v
    """)
    assert r == ("hooktest.B", True, True, "test")
