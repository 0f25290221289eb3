"""Mechanisms found by running public nngraph / recurrent / data-handling Lua code through th
(session 18, helper pubsweep18b); each expectation is what the original Torch7 (the reference
build of torch7 + nngraph 3ed3b9b on LuaJIT 2.1.0-beta2) printed for the same lines."""
from luatest import lua_undone as lua


def test_nngraph_asserts_carry_their_lua_position():
    # nngraph's argument checks are Lua assert(cond, msg) calls; LuaJIT 2.1.0-beta2's assert
    # raises msg with the caller's position (lj_err_callermsg), as error(msg) does. The
    # original printed "/usr/local/share/lua/5.1/nngraph/init.lua:27: Use {input1, ..." etc.
    r = lua("""
      require 'nngraph'
      local a, b = nn.Identity()(), nn.Identity()()
      local out = {}
      local function try(f) local ok, e = pcall(f); out[#out + 1] = e end
      try(function() return nn.Linear(2, 2)(a, b) end)
      try(function() return nngraph.nest(a, b) end)
      try(function() return nngraph.nest() end)
      try(function() return nngraph.JustElement():forward({torch.rand(2), torch.rand(2)}) end)
      try(function() return nn.CAddTable()({a, a}) end)
      try(function()
        local i = nn.Identity()(); local h = nn.Tanh()(i); local dangling = nn.Sigmoid()(h)
        return nn.gModule({i}, {h})
      end)
      return unpack(out)
    """)
    where = [e.split(': ', 1) for e in r]
    assert [w[0].split('/lua/5.1/', 1)[1] for w in where] == [
        'nngraph/init.lua:27', 'nngraph/nest.lua:41', 'nngraph/nest.lua:44',
        'nngraph/JustElement.lua:10', 'nngraph/node.lua:40', 'nngraph/gmodule.lua:176']
    assert [w[1] for w in where[:5]] == [
        'Use {input1, input2} to pass multiple inputs.',
        'Use {input1, input2} to pass multiple inputs.', 'Pass an input.',
        'expecting one element', "Don't pass the same input twice."]
    assert where[5][1].endswith('does not connect to gmodule output')


def test_gmodule_given_a_node_instead_of_a_table():
    # gModule:__init loops to table.maxn(inputs) / table.maxn(outputs): a node is a Lua table
    # of named fields (maxn 0), then `#inputs` is luaT's __len error. The original printed
    # ".../nngraph/gmodule.lua:92: nngraph.Node has no length operator" and, for outputs given
    # as a bare node (no outputs), ".../nngraph/gmodule.lua:132: expecting only one start"
    r = lua("""
      require 'nngraph'
      local z = nn.Identity()()
      local ok1, e1 = pcall(function() return nn.gModule(z, {nn.Tanh()(z)}) end)
      local y = nn.Identity()()
      local ok2, e2 = pcall(function() return nn.gModule({y}, nn.Tanh()(y)) end)
      return ok1, e1, ok2, e2
    """)
    assert r[0] is False and r[2] is False
    assert r[1].endswith('/lua/5.1/nngraph/gmodule.lua:92: nngraph.Node has no length operator')
    assert r[3].endswith('/lua/5.1/nngraph/gmodule.lua:132: expecting only one start')
