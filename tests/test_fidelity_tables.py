"""`#`, pairs/next/rawget/rawset and fields of torch objects as Torch7 has them: userdata for
the classes luaT makes in C (Tensor, Storage, Timer, File, Generator), tables for torch.class
objects (nn modules), each metatable a Lua table with luaT's own metamethods
(lib/luaT/luaT.c luaT_lua_newmetatable, luaT_mt__len, luaT_mt__newindex; LuaJIT 2.1 with
LUA52COMPAT: `#` honours __len on tables, pairs honours __pairs, else lj_lib_checktab)."""
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


@pytest.fixture
def rt():
    return LuaRuntime()


def _strip(rt):
    rt.execute("function STRIP(ok, m) return (tostring(m):gsub('^[^:]*:%d+: ', '')) end")


def test_length_of_objects_without_a_len(rt):
    # luaT_mt__len: no __len__ along the metatables -> "<typename> has no length operator"
    _strip(rt)
    r = rt.execute("""
        require 'nn'
        local out = {}
        for _, mk in ipairs{function() return torch.Timer() end,
                            function() return torch.MemoryFile() end,
                            function() return torch.Generator() end,
                            function() return torch.CmdLine() end,
                            function() return nn.Linear(2, 3) end,
                            function() return nn.Concat(1) end} do
           local x = mk()
           out[#out + 1] = STRIP(pcall(function() return #x end))
        end
        return out
    """)
    assert list(r) == [
        "torch.Timer has no length operator", "torch.MemoryFile has no length operator",
        "torch.Generator has no length operator", "torch.CmdLine has no length operator",
        "nn.Linear has no length operator", "nn.Concat has no length operator"]


def test_length_from_the_class_own_len(rt):
    # Sequential.lua: __len returns #self.modules (array entries of the object do not count);
    # ClassNLLCriterion.lua: #self.weights (a tensor's # is its LongStorage of sizes) or 0
    r = rt.execute("""
        require 'nn'
        local s = nn.Sequential():add(nn.Tanh()):add(nn.Tanh()):add(nn.Tanh())
        s[1] = 'x'
        local w = #nn.ClassNLLCriterion(torch.ones(5))
        return #s, #nn.Sequential(), torch.type(w), w[1], #nn.ClassNLLCriterion(),
               #nn.BCECriterion(), #torch.Tensor(4, 2), #torch.FloatStorage(6)
    """)
    assert r[0:2] == (3, 0)
    assert r[2:5] == ("torch.LongStorage", 5, 0)
    assert r[5] == 0
    assert list(r[6]) == [4, 2] and r[7] == 6


def test_length_metamethod_is_not_inherited(rt):
    # every luaT metatable gets its own __len = luaT_mt__len, so a child of nn.Sequential or of a
    # class defining __len errors; __len__ (what luaT_mt__len looks up, with lua_getfield along
    # the parents) is inherited
    _strip(rt)
    r = rt.execute("""
        require 'nn'
        torch.class('nn.LenSeq', 'nn.Sequential')
        local B = torch.class('LenB')
        function B:__len() return 7 end
        torch.class('LenC', 'LenB')
        local D = torch.class('nn.LenD', 'nn.Linear')
        function D:__len__() return 3 end
        torch.class('nn.LenE', 'nn.LenD')
        local seq = nn.LenSeq()
        local c = LenC()
        return STRIP(pcall(function() return #seq end)), #LenB(),
               STRIP(pcall(function() return #c end)), #nn.LenD(1, 2), #nn.LenE(1, 2)
    """)
    assert r == ("nn.LenSeq has no length operator", 7, "LenC has no length operator", 3, 3)


def test_userdata_objects_refuse_table_functions(rt):
    # lj_lib_checktab: "bad argument #1 to 'pairs' (table expected, got userdata)", the function
    # named by the call (a global here), at the caller's line
    r = rt.execute("""
        local out = {}
        for _, x in ipairs{torch.Tensor(2), torch.DoubleStorage(2), torch.Timer(),
                           torch.MemoryFile(), torch.Generator()} do
           local a = select(2, pcall(function() local r = pairs(x) return r end))
           local b = select(2, pcall(function() local r = next(x) return r end))
           local c = select(2, pcall(function() local r = rawget(x, 'k') return r end))
           local d = select(2, pcall(function() local r = rawset(x, 'k', 1) return r end))
           out[#out + 1] = table.concat({type(x), a, b, c, d}, '|')
        end
        return out
    """)
    for line in r:
        kind, *errs = line.split("|")
        assert kind == "userdata"
        assert [e.split(": ", 1)[1] for e in errs] == [
            "bad argument #1 to '%s' (table expected, got userdata)" % f
            for f in ("pairs", "next", "rawget", "rawset")]


def test_userdata_objects_take_no_fields(rt):
    # luaT_mt__newindex: no __newindex__ (or a Tensor's, false for a string key) and not a
    # table: "the class <typename> cannot be indexed"
    _strip(rt)
    r = rt.execute("""
        local out = {}
        for _, x in ipairs{torch.Tensor(2), torch.IntStorage(2), torch.Timer(),
                           torch.MemoryFile(), torch.Generator()} do
           out[#out + 1] = STRIP(pcall(function() x.foo = 1 end))
        end
        require 'nn'
        local m = nn.Linear(1, 1)
        m.foo = 1
        out[#out + 1] = type(m) .. ' ' .. m.foo
        return out
    """)
    assert list(r) == [
        "the class torch.DoubleTensor cannot be indexed",
        "the class torch.IntStorage cannot be indexed",
        "the class torch.Timer cannot be indexed", "the class torch.MemoryFile cannot be indexed",
        "the class torch.Generator cannot be indexed", "table 1"]


def test_class_metatables_hold_their_own_methods(rt):
    # luaT's metatable is a Lua table: Linear.lua's methods are in nn.Linear's (rawget finds
    # them), nn.Module's in its parent's; Timer.c registers reset/stop/resume/time
    r = rt.execute("""
        require 'nn'
        local mt = getmetatable(nn.Linear(2, 3))
        local names = {}
        for k in pairs(mt) do names[#names + 1] = k end
        local walked = {}
        local k = next(mt)
        while k ~= nil do walked[#walked + 1] = k; k = next(mt, k) end
        local tm = {}
        -- (luaT's own fields, __typename, __version, the operators, `new`, are there too)
        for k in pairs(torch.getmetatable('torch.Timer')) do
           if not k:match('^__') and k ~= 'new' then tm[#tm + 1] = k end
        end
        table.sort(tm)
        local dt = torch.getmetatable('torch.DoubleTensor')
        return names, walked, tm,
               rawget(mt, 'updateOutput') == mt.updateOutput, rawget(mt, 'forward'),
               rawget(mt, '__typename'), rawget(mt, '__metatable') == mt,
               rawget(dt, 'narrow') == dt.narrow, rawget(dt, 'permute') ~= nil,
               rawget(dt, 'nosuch')
    """)
    names, walked, timer = (list(x) for x in r[:3])
    assert names == walked
    for k in ("__init", "reset", "updateOutput", "updateGradInput", "accGradParameters",
              "noBias", "clearState", "sharedAccUpdateGradParameters"):
        assert k in names
    for k in ("forward", "backward", "zeroGradParameters", "getParameters"):  # nn.Module's
        assert k not in names
    # (beside luaT's own fields: __typename, __version, __metatable, new, the operators; after
    # require 'nn', Profile.lua's read and write: the original lists them there)
    assert [k for k in timer if not k.startswith("__") and k != "new"] == [
        "read", "reset", "resume", "stop", "time", "write"]
    assert r[3:] == (True, None, "nn.Linear", True, True, True, None)


def test_rawset_on_a_class_metatable_defines_a_method(rt):
    r = rt.execute("""
        require 'nn'
        local mt = torch.getmetatable('nn.Tanh')
        rawset(mt, 'twice', function(self, x) return 2 * x end)
        return nn.Tanh():twice(21), rawget(mt, 'twice') ~= nil
    """)
    assert r == (42, True)


def test_userdata_objects_have_no_fields_to_read(rt):
    # luaT_mt__index: a key that is no method reads nil (Python's own attributes are no
    # fields); a module is a table whose fields are its fields
    r = rt.execute("""
        require 'nn'
        local t = torch.Tensor(2)
        local l = nn.Linear(2, 3)
        return t._size, t._storage, t.dtype, t.typename, torch.Timer()._start,
               torch.MemoryFile()._mem, l._type, l.weight:size(1)
    """)
    assert r == (None, None, None, None, None, None, "torch.DoubleTensor", 3)


def test_a_torch_class_child_of_a_tensor_is_a_table(rt):
    # init.lua's torch.class constructor makes {} objects: fields and pairs work on them
    r = rt.execute("""
        local A = torch.class('TblTensor', 'torch.DoubleTensor')
        function A:__init(n) self.foo = n end
        local a = TblTensor(3)
        local keys = {}
        for k in pairs(a) do keys[#keys + 1] = k end
        return type(a), a.foo, torch.typename(a), table.concat(keys, ',')
    """)
    assert r == ("table", 3, "TblTensor", "foo")


def test_timer_tostring(rt):
    # Timer.c's __tostring__: "torch.Timer [status: running|stopped]"
    r = rt.execute("local t = torch.Timer() local a = tostring(t) t:stop() "
                   "return a, tostring(t), tostring(t:resume())")
    assert r == ("torch.Timer [status: running]", "torch.Timer [status: stopped]",
                 "torch.Timer [status: running]")


def test_values_put_in_a_userdata_metatable_reach_its_objects(rt):
    # luaT_mt__index of a userdata: rawget along its metatables, so a value Lua stores there
    # (nn/THNN.lua's `torch.getmetatable('torch.DoubleTensor').THNN = kernels`) is found from
    # every tensor of the type, and rawget on the metatable sees it; other types do not
    r = rt.execute("""
        local mt = torch.getmetatable('torch.DoubleTensor')
        local v = {answer = 42}
        mt.SOMEFIELD = v
        local x = torch.DoubleTensor(2)
        local r = {x.SOMEFIELD == v, rawget(mt, 'SOMEFIELD') == v,
                   torch.FloatTensor(2).SOMEFIELD == nil}
        mt.SOMEFIELD = nil
        r[#r + 1] = x.SOMEFIELD == nil
        return r
    """)
    assert list(r) == [True, True, True, True]


def test_fields_lua_puts_in_a_userdata_metatable_are_found(rt):
    # nn/THNN.lua: torch.getmetatable('torch.DoubleTensor').THNN = ...; input.THNN reads it
    r = rt.execute("""
        local mt = torch.getmetatable('torch.IntTensor')
        mt.extra = {answer = 42}
        local t = torch.IntTensor(1)
        return t.extra.answer, torch.ByteTensor(1).extra, t.other
    """)
    assert r == (42, None, None)
