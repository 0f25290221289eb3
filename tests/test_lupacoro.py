"""Lua values made while a coroutine runs and kept by Python outlive the coroutine (lupa
keeps in each value it wraps the lua_State that was running: a coroutine's is freed with it,
and Python dropping or calling the value afterwards crashed the process; compat/_luamain.c).
In Torch7 these are plain Lua values: the scripts end normally."""
import ctypes

from luatest import th_script

# each shape makes Lua values inside coroutines that Python keeps; scribble() collects the
# dead coroutines and reuses their memory for strings, so that a value still anchored in one
# is a crash when Python frees it (the holders stay alive to the end: Python frees them at
# exit, outside any Lua call)
SCRIPT = """
require 'nn'
local junk
local function scribble()
  collectgarbage(); collectgarbage()
  junk = {}
  for j = 1, 3000 do junk[j] = string.rep('\\255', 40 + j % 160) .. j end
end
local C = torch.class('LupaCoroMod', 'nn.Module')
function C:__init(v) nn.Module.__init(self); self.v = v end
keep = {}
for i = 1, 12 do
  local s = nn.Sequential()  -- m:add(t) inside a coroutine
  coroutine.wrap(function() s:add(LupaCoroMod({i})); s:add({i}) end)()
  local h = nn.Module()      -- a closure handed to Python, called later
  h.fns = {}
  coroutine.wrap(function() h.fns[1] = function(k) return k * i end end)()
  local c = nn.Concat(1)     -- a table put in a Python-side list
  coroutine.wrap(function() table.insert(c.modules, {i, {name = 'n' .. i}}) end)()
  local st = nn.Module()     -- values a coroutine.wrap iterator makes, stored
  st.vals = {}
  for t, tb in coroutine.wrap(function()
      for j = 1, 3 do coroutine.yield(torch.Tensor(2):fill(j * i), {j}) end end) do
    table.insert(st.vals, {t, tb})
  end
  coroutine.wrap(function()  -- a torch.class whose methods a coroutine defines
    local D = torch.class('LupaCoro' .. i, 'nn.Module')
    function D:__init() nn.Module.__init(self); self.k = i end
    function D:get() return self.k end
  end)()
  local co = coroutine.create(function()  -- a suspended coroutine's callback, called later
    s:apply(function(m) m.hook = function() return -i end end)
    coroutine.yield()
  end)
  coroutine.resume(co)
  keep[i] = {s, h, c, st}
  if i % 4 == 0 then scribble() end
end
scribble()
local s, h, c, st = unpack(keep[5])
print(s.modules[1].v[1], s.modules[2][1], h.fns[1](3), c.modules[1][2].name,
      st.vals[3][1][2], st.vals[2][2][1], LupaCoro7():get(), s.modules[1].hook())
scribble()
print('ok')
"""


def test_values_coroutines_hand_python_outlive_the_coroutines(tmp_path):
    p = th_script(SCRIPT, tmp_path)
    assert p.returncode == 0, (p.returncode, p.stderr[-2000:])
    assert p.stdout == "5\t5\t15\tn5\t15\t2\t7\t-5\t\nok\t\n"


def _state_of(obj, rt):
    """The lua_State lupa keeps in a wrapped Lua value (lupa's _LuaObject: after the object
    header come _runtime and _state); None where the layout is not that one."""
    words = [ctypes.c_void_p.from_address(id(obj) + off).value for off in (24, 32)]
    return words[1] if words[0] == id(rt.lua) else None


def test_python_receives_values_anchored_in_the_main_thread():
    import pytest
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    got = []

    def keep(*vals):
        got.extend(vals)
        got.append(rt.lua.table())  # made by Python during a call from the coroutine

    rt.lua.eval("""function(keep)
      keep({}, print)
      coroutine.wrap(function() keep({}, function() end) end)()
      local co = coroutine.create(function()
        coroutine.wrap(function() keep({1}) end)()  -- nested
        keep((coroutine.running()))  -- (the coroutine alone: LJ_52's running adds false)
        python.as_function(keep)({2})  -- (lupa's own path to a Python callable)
      end)
      coroutine.resume(co)
    end""")(keep)
    states = [_state_of(v, rt) for v in got]
    if states[0] is None:
        pytest.skip("lupa's object layout is not the one this test reads")
    assert len(states) == 12 and set(states) == {states[0]}, states
