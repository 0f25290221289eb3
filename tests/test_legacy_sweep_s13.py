"""Mechanisms found by running public legacy Torch7 code through th (session 13, helper
legacysweep13, see docs/legacy_sweep.md); expectations from the original sources' rules."""

from luatest import lua_undone as lua, th_script


def test_class_nested_in_a_class_goes_in_its_constructor_table():
    # luaT_lua_newmetatable('tl.Tree.Node'): luaT_getinnerparent walks the globals down to
    # the last table (tl.Tree, a class's constructor table: lua_istable), and
    # `module.Node = constructor` is a lua_setfield, which the constructor table's __newindex
    # (luaT_cmt__newindex) rawsets into the class's metatable: tl.Tree.Node is then found
    # through the constructor table's __index, and tl.Tree's objects see it too
    # (vzhong/torchlib's Tree, BinaryTree and Graph nodes)
    r = lua("""
      require 'nn'
      tlS13 = {}
      local Tree = torch.class('tlS13.Tree')
      local Node = torch.class('tlS13.Tree.Node')
      function Node:__init(v) self.v = v end
      local BT = torch.class('tlS13.BT', 'tlS13.Tree')
      local BNode, parent = torch.class('tlS13.BT.Node', 'tlS13.Tree.Node')
      function BNode:__init(v) parent.__init(self, v); self.w = 2 * v end
      local n = tlS13.BT.Node(4)
      local H = torch.class('nn.Linear.HelperS13')
      function H:__init() self.k = 5 end
      return torch.type(n), n.v, n.w, torch.isTypeOf(n, 'tlS13.Tree.Node'),
             rawequal(torch.getmetatable('tlS13.Tree').Node, tlS13.Tree.Node),
             torch.type(tlS13.Tree().Node(1)), torch.type(nn.Linear.HelperS13()),
             nn.Linear.HelperS13().k, nn.Linear(2, 3).HelperS13 ~= nil
    """)
    assert r == ("tlS13.BT.Node", 4, 8, True, True, "tlS13.Tree.Node", "nn.Linear.HelperS13",
                 5, True)


def test_class_under_a_missing_module_names_the_first_non_table():
    # luaT_getinnerparent's luaL_error: the name up to the part that is no table (a global
    # that is nil; a field that a constructor table's class does not have), at torch.class's
    # call of newmetatable, init.lua:102 (the original printed 'tlS13b.Tree.Node.Xe' for
    # the second: its buffer of the name is not cut where the part ends, a read past it)
    r = lua("""
      tlS13b = {}
      torch.class('tlS13b.Tree')
      torch.class('tlS13b.Tree.Node')
      local _, e1 = pcall(torch.class, 'nosuchS13.A.B')
      local _, e2 = pcall(torch.class, 'tlS13b.Tree.Node.X.Y')
      return e1, e2
    """)
    at = "/usr/local/share/lua/5.1/torch/init.lua:102: "
    assert r == (at + "while creating metatable nosuchS13.A.B: bad argument #1 "
                 "(nosuchS13 is an invalid module name)",
                 at + "while creating metatable tlS13b.Tree.Node.X.Y: bad argument #1 "
                 "(tlS13b.Tree.Node.X is an invalid module name)")


def test_traceback_of_the_main_chunk_ends_at_the_main_chunk(tmp_path):
    # th runs a script with dofile from its own main chunk: a traceback the script prints
    # (debug.traceback, xpcall's handler, a Tester's error report) ends with the script's
    # main chunk, then th's frames (machine paths, left out as the top-level traceback
    # does); the layer's call of the chunk (an unnamed builtin at an address) is none
    p = th_script("""
      print(debug.traceback('x'))
      local ok, e = xpcall(function() error('boom') end, debug.traceback)
      print(e)
    """, tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout == ("x\nstack traceback:\n\ts.lua:2: in main chunk\t\n"
                        "s.lua:3: boom\nstack traceback:\n\t[C]: in function 'error'\n"
                        "\ts.lua:3: in function <s.lua:3>\n\t[C]: in function 'xpcall'\n"
                        "\ts.lua:3: in main chunk\t\n")


def test_element_size_reads_no_argument():
    # Storage.c's and Tensor.c's elementSize push sizeof(real) and read no argument: the
    # class's function works without an object (torchnet: torch.ByteStorage.elementSize())
    r = lua("""
      return torch.ByteStorage.elementSize(), torch.CharStorage.elementSize(),
             torch.ShortStorage.elementSize(), torch.IntStorage.elementSize(),
             torch.LongStorage.elementSize(), torch.FloatStorage.elementSize(),
             torch.DoubleStorage.elementSize(), torch.DoubleTensor.elementSize(),
             torch.IntTensor.elementSize('x'), torch.FloatTensor(2):elementSize(),
             torch.LongStorage(3):elementSize()
    """)
    assert r == (1, 1, 2, 4, 8, 4, 8, 8, 4, 4, 8)


def test_deserialize_from_storage_takes_a_char_tensor():
    # File.lua: local tx = torch.CharTensor(storage), then the bytes of tx (a CharStorage
    # or a CharTensor, here a narrowed view as torchnet's IndexedDataset passes)
    r = lua("""
      local s = torch.serializeToStorage({1, 2, 'a'})
      local big = torch.CharTensor(s:size() + 6):fill(7)
      big:narrow(1, 4, s:size()):copy(torch.CharTensor(s))
      local t = torch.deserializeFromStorage(big:narrow(1, 4, s:size()))
      local u = torch.deserializeFromStorage(s)
      return t[1], t[3], u[2]
    """)
    assert r == (1, "a", 2)


def test_registry_maps_class_names_and_metatables():
    # luaT_lua_newmetatable: registry[name] = metatable, registry[metatable] = name, for
    # every class (torchnet's torch.isclass: debug.getregistry()[obj] and true or false)
    r = lua("""
      require 'nn'
      local R = debug.getregistry()
      local A = torch.class('RegS13')
      return R['RegS13'] == A, R[A], R['nn.Linear'] == torch.getmetatable('nn.Linear'),
             R[torch.getmetatable('nn.Linear')], R[torch.getmetatable('torch.FloatTensor')],
             R[{}] == nil, R['noSuchClassS13'] == nil, R[getmetatable(nn.Tanh)]
    """)
    assert r == (True, "RegS13", True, "nn.Linear", "torch.FloatTensor", True, True, "nn.Tanh")


def test_values_a_coroutine_put_in_python_outlive_the_coroutine(tmp_path):
    # lupa's init_lua_object keeps the lua_State of the running thread in each Lua value that
    # Python holds and luaL_unrefs through it when Python frees the value: a table or
    # function a coroutine put in a module's field, dropped after the coroutine was
    # collected, crashed the process (SIGSEGV; torchnet's CoroutineBatchDataset test). In
    # Torch7 these are plain Lua values: the script ends normally
    p = th_script("""
      require 'nn'
      local holders = {}
      for i = 1, 120 do
        local h = nn.Module()
        local co = coroutine.create(function()
          h.keys = {i}; h.f = function() return i end
          coroutine.yield()
          table.insert(h.keys, i)
        end)
        coroutine.resume(co); coroutine.resume(co)
        holders[i] = h
        co = nil
        if i % 10 == 0 then
          collectgarbage()
          for j = 1, 500 do coroutine.create(function() end) end
        end
      end
      collectgarbage(); collectgarbage()
      local a, b = holders[3].keys[2], holders[5].f()
      for i = 1, 120 do holders[i].keys = nil; holders[i].f = nil end
      holders = nil
      collectgarbage(); collectgarbage()
      print(a, b, 'ok')
    """, tmp_path)
    assert p.returncode == 0, (p.returncode, p.stderr[-2000:])
    assert p.stdout == "3\t5\tok\t\n"


def test_coroutine_create_and_wrap_keep_luajit_argument_errors():
    # lj_lib_checkfunc's message, at the caller's line, naming the function as called
    r = lua("""
      local _, e1 = pcall(function() coroutine.create({}) end)
      local _, e2 = pcall(function() coroutine.wrap('x') end)
      local co = coroutine.create(function(a, b) local x = coroutine.yield(a + b) return x .. '!' end)
      local _, s = coroutine.resume(co, 1, 2)
      local _, t = coroutine.resume(co, 'z')
      local w = coroutine.wrap(function() coroutine.yield(7) return 8 end)
      return e1, e2, s, t, coroutine.status(co), w(), w()
    """)
    assert r[0].endswith("bad argument #1 to 'create' (function expected, got table)")
    assert r[1].endswith("bad argument #1 to 'wrap' (function expected, got string)")
    assert r[2:] == (3, "z!", "dead", 7, 8)
