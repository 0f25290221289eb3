-- The Lua side of `require 'graph'` and `require 'nngraph'`: the packages are torch7py.nngraph;
-- here only what needs the Lua stack (a node's debug label, nngraph.annotateNodes).
-- Called with P (Python helpers) and pymodule (torch.lua's).
local P, pymodule = ...
local preload = package.preload

-- where the user's code made a node: the first Lua frame that is not the layer's own (no
-- function name: node.lua asks debug.getinfo for 'Sl' only, which leaves `name` nil)
local function where()
   for level = 2, 200 do
      local info = debug.getinfo(level, 'Sl')
      if info == nil then return nil end
      if info.what ~= 'C' and info.source ~= '=[compat]' then
         return info.short_src, info.currentline, ''
      end
   end
end

-- without a file name, graph.dot and simple_print.dot show the SVG in a Qt window (qlua's
-- qtsvg) after writing it: here requiring qtsvg fails, as it does outside qlua
local function qtShown(f)
   return function(g, title, fname)
      if fname ~= nil then return f(g, title, fname) end  -- a tail call: errors at the caller
      local r = f(g, title, fname)
      require 'qtsvg'
      return r
   end
end

preload.graph = function()
   require 'torch'
   -- pairs(graph) lists what graph's files define, in their order (compat/package_names.py)
   graph = pymodule('torch7py.nngraph:graph', nil, nil, 'graph')
   rawset(graph, 'dot', qtShown(graph.dot))
   return graph
end

-- nngraph's nesting.lua on its own (totem.nn requires it), without loading nngraph
preload['nngraph.nesting'] = function()
   require 'torch'
   return pymodule('torch7py.nngraph.nesting')
end

preload.nngraph = function()
   require 'nn'
   require 'graph'
   -- pairs(nngraph) lists what nngraph's files define, in their order (compat/package_names.py)
   nngraph = pymodule('torch7py.nngraph', nil, nil, 'nngraph')
   P.module('compat.nngraph_glue').install(where)
   -- simple_print.lua's table of functions
   local sp = nngraph.simple_print
   rawset(nngraph, 'simple_print', {todot = sp.todot, dot = qtShown(sp.dot)})
   -- names nodes after the caller's local variables (debug.getlocal reads Lua's stack)
   rawset(nngraph, 'annotateNodes', function(stackLevel)
      stackLevel = stackLevel or 1
      for index = 1, math.huge do
         local name, value = debug.getlocal(stackLevel + 1, index)
         if not name then break end
         if torch.typename(value) == 'nngraph.Node' and value.data.annotations.name == nil then
            value:annotate({name = name})
         end
      end
   end)
   return nngraph
end
