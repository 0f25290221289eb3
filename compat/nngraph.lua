-- The Lua side of `require 'graph'` and `require 'nngraph'`: the packages are torch7py.nngraph;
-- here only what needs the Lua stack (a node's debug label, nngraph.annotateNodes).
-- Called with P (Python helpers) and pymodule (torch.lua's).
local P, pymodule = ...
local preload = package.preload

-- where the user's code made a node, as node.lua's debug.getinfo(6, 'Sl') finds it in Torch7:
-- the frame that called the module (no function name: 'Sl' leaves `name` nil). Below it here:
-- the call into Python (C) and the layer's dispatch (compat's Lua). The frame above those is
-- Torch7's: a C function that called the module (pcall(f) where f tail-calls it, as a tail
-- call leaves no frame in LuaJIT) shows as [C]:-1, and where the stack ends there (a coroutine's
-- function that tail-calls it) getinfo gives nil and the node no label (false here)
local function where()
   local dispatched = false
   for level = 2, 200 do
      local info = debug.getinfo(level, 'Sl')
      if info == nil then return dispatched and false or nil end
      if info.source == '=[compat]' then
         dispatched = true
      elseif info.what == 'C' then
         if dispatched then return '[C]', -1, '' end
      else
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
   -- (level 2: the first frame below this function, the Lua code that called into Python)
   P.module('compat.nngraph_glue').install(where, function(msg)
      return debug.traceback(msg, 2)
   end)
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

-- dpnn, which rnn's init.lua requires, where the path holds none: the global dpnn and what
-- its Module.lua gives every nn.Module (its modules are torch7py's classes:
-- torch7py.legacy.ern.DPNN_CLASSES, nn.X after `require 'dpnn'`)
local function dpnn_methods(ern, each)
   local M = nn.Module
   -- a clone sharing the parameters (and gradients)
   function M:sharedClone(shareParams, shareGradParams, stepClone)
      return ern.sharedClone(self, shareParams, shareGradParams, stepClone)
   end
   -- dpnn's getParameters: the parameters of every module reachable through this one's
   -- fields (its modules, the sharedClones a recurrent module or a script built before), so
   -- that a clone's tensors that shared a storage share the flattened one too
   function M:getParameters()
      local con = nn.Container()
      con:add(self)
      local found = {}
      local function walk(t)
         for _, m in pairs(t) do
            if torch.isTypeOf(m, 'nn.Module') then
               local key = torch.pointer(m)
               if not found[key] then
                  found[key] = true
                  con:add(m)
                  walk(m)
               end
            elseif torch.type(m) == 'table' then
               walk(m)
            end
         end
      end
      walk(self)
      local params, grads = con:parameters()
      return M.flatten(params), M.flatten(grads)
   end
   function M:sparseParameters()
      return self:parameters()
   end
   -- the training helpers: max-norm of the weights' rows (columns with maxInNorm; a
   -- LookupTable's the other way), clipping of the gradients' global norm, weight decay and
   -- momentum on the gradients
   function M:maxParamNorm(maxOut, maxIn)
      maxOut, maxIn = self.maxOutNorm or maxOut, self.maxInNorm or maxIn
      if not (maxOut or maxIn) then return end
      if self.modules then
         each(self, function(m) m:maxParamNorm(maxOut, maxIn) end)
         return
      end
      local params = self:parameters()
      if not params then return end
      for _, p in pairs(params) do
         if p:dim() > 1 then
            if maxOut and maxOut > 0 then p:renorm(2, 1, maxOut) end
            if maxIn and maxIn > 0 then p:renorm(2, p:dim(), maxIn) end
         end
      end
   end
   function nn.LookupTable:maxParamNorm(maxOut, maxIn)
      maxOut = self.maxOutNorm or maxOut or self.maxInNorm or maxIn
      if not (maxOut or maxIn) then return end
      if maxOut and maxOut > 0 then self.weight:renorm(2, 2, maxOut) end
      if maxIn and maxIn > 0 then self.weight:renorm(2, 1, maxIn) end
   end
   function M:gradParamClip(cutoff, moduleLocal)
      cutoff = self.cutoffNorm or cutoff
      if cutoff <= 0 then return end
      if self.moduleLocal ~= nil then moduleLocal = self.moduleLocal end
      local sq = 0
      if moduleLocal and self.modules then
         each(self, function(m) sq = sq + math.pow(m:gradParamClip(cutoff, moduleLocal), 2) end)
         return math.sqrt(sq)
      end
      local params, grads = self:parameters()
      if not (params and grads) then return sq end
      for _, g in pairs(grads) do sq = sq + math.pow(g:norm(), 2) end
      local norm = math.sqrt(sq)
      if norm > cutoff then
         for _, g in pairs(grads) do g:mul(cutoff / norm) end
      end
      return norm
   end
   function M:weightDecay(factor, minDim)
      factor = self.wdFactor or factor
      if factor <= 0 then return end
      minDim = self.wdMinDim or minDim or 2
      if self.modules then
         each(self, function(m) m:weightDecay(factor, minDim) end)
         return
      end
      local params, grads = self:parameters()
      if not (params and grads) then return end
      for i, p in pairs(params) do
         if p:dim() >= minDim then grads[i]:add(factor, p) end
      end
   end
   function M:momentumGradParameters()
      if not self.momGradParams or next(self.momGradParams) == nil then
         local _, grads = self:parameters()
         if not grads or next(grads) == nil then return end
         self.momGradParams = {}
         for i, g in pairs(grads) do self.momGradParams[i] = g.new():resizeAs(g):copy(g) end
      end
      return self.momGradParams
   end
   function M:updateGradParameters(momFactor, momDamp, nesterov)
      momFactor = self.momFactor or momFactor
      if momFactor <= 0 then return end
      momDamp = self.momDamp or momDamp or momFactor
      if self.momNesterov ~= nil then nesterov = self.momNesterov end
      if self.modules then
         each(self, function(m) m:updateGradParameters(momFactor, momDamp, nesterov) end)
         return
      end
      local params, grads = self:parameters()
      if not params or next(params) == nil then return end
      local mom = self:momentumGradParameters()
      for i, g in pairs(grads) do mom[i]:mul(momFactor):add(1 - momDamp, g) end
      for i, g in pairs(grads) do
         if nesterov then g:add(momFactor, mom[i]) else g:copy(mom[i]) end
      end
   end
   -- Module.lua's class fields: what a shared clone shares, what a Serial empties (medium:
   -- these; light: the gradients too; by default nothing), which classes extend
   -- (`local empty = _.clone(parent.dpnn_mediumEmpty)`)
   M.dpnn_parameters = {'weight', 'bias'}
   M.dpnn_gradParameters = {'gradWeight', 'gradBias'}
   M.dpnn_mediumEmpty = {'output', 'gradInput', 'momGradParams', 'dpnn_input'}
   M.dpnn_lightEmpty = M.dpnn_gradParameters
   M.dpnn_serialEmpty = {}
   -- Module.lua's serialization modes (nn.Serial writes a module's serial state) and
   -- Module:Serial(tensortype)
   local serial = pymodule('torch7py.nn.serial')
   for _, name in ipairs({'serialMode', 'heavySerial', 'mediumSerial', 'lightSerial',
                          'getSerialState'}) do
      local f = serial[name]
      M[name] = function(self, ...) return f(self, ...) end
   end
   function M:Serial(tensortype)
      return nn.Serial(self, tensortype)
   end
   -- REINFORCE: a reward criterion's reinforce(reward) reaches every module (a container's
   -- modules in order; Reinforce modules and the recurrent ones have their own)
   function M:reinforce(reward)
      each(self, function(m) m:reinforce(reward) end)
   end
   -- a tensor of nDim dimensions (online) gets a batch dimension of size 1, and loses it again
   function M:toBatch(tensor, nDim, batchDim)
      batchDim = batchDim or 1
      if tensor:dim() == nDim then
         self.dpnn_online = true
         local size = tensor:size():totable()
         table.insert(size, batchDim, 1)
         tensor = tensor:view(table.unpack(size))
      else
         self.dpnn_online = false
      end
      return tensor
   end
   function M:fromBatch(tensor, batchDim)
      if self.dpnn_online then
         local size = tensor:size():totable()
         assert(table.remove(size, batchDim) == 1)
         tensor = tensor:view(table.unpack(size))
      end
      return tensor
   end
   nn.Criterion.toBatch = M.toBatch
   nn.Criterion.fromBatch = M.fromBatch
   -- a module whose backward does nothing (an input pipeline's SplitTable)
   function M:dontBackward()
      self.backward = function() end
      self.updateGradInput = function() end
      self.accGradParameters = function() end
      self.accUpdateGradParameters = function() end
      return self
   end
   -- the output size for an input of size insize (random normal values)
   function M:outside(insize)
      local input
      if torch.type(insize) == 'table' then
         input = torch.randn(table.unpack(insize))
      else
         input = torch.randn(insize)
      end
      return self:updateOutput(input):size()
   end
   function M:accept(visitor)
      visitor:visit(self)
   end
   function nn.Container:extend(...)
      for _, module in ipairs({...}) do self:add(module) end
      return self
   end
   dpnn = {version = 2}
   -- dpnn.require(name): the package, or its message and luarocks' hint
   function dpnn.require(packagename)
      assert(torch.type(packagename) == 'string')
      local ok, message = pcall(function() require(packagename) end)
      if not ok then
         print("missing package " .. packagename .. ": run 'luarocks install nnx'")
         error(message)
      end
   end
   package.loaded.dpnn = dpnn
   return dpnn
end

-- `require 'rnn'` where the script's path holds no rnn package (a searcher after the path's):
-- Element-Research rnn's classes are torch7py.legacy.ern's (nn.LSTM, FastLSTM, GRU, Sequencer,
-- SeqLSTM, MaskZero, SequencerCriterion, ...: nn.X finds them from now on), with what rnn's
-- init.lua adds besides: dpnn (above, unless the path has one), the global table rnn (nn.rnn)
-- with its recursive helpers, the methods rnn's Module.lua gives every nn.Module (a container
-- passes each call to its modules; the recurrent classes have their own) and rnn's Dropout
-- (rnn.test and rnn.bigtest, its test files, are not here)
local function each(self, f)
   local modules = self.modules
   if modules then
      for i, m in ipairs(modules) do f(m, i) end
   end
end
-- `require 'dpnn'` where the script's path holds none: dpnn's Module methods (above) and its
-- modules (torch7py.legacy.ern.DPNN_CLASSES: nn.Serial, nn.Reinforce*, nn.VRClassReward,
-- nn.SpatialGlimpse, nn.NCEModule, nn.Inception, ...: all of dpnn's but ReinforceGamma and
-- SpatialUniformCrop), the global dpnn (init.lua returns it)
local function dpnn_package()
   require 'nn'
   P.dpnn_required()
   return dpnn_methods(pymodule('torch7py.legacy.ern'), each)
end
local function rnn_package()
   require 'nn'  -- (rnn's init.lua loads dpnn and torchx, not nngraph)
   P.rnn_required()
   local ern = pymodule('torch7py.legacy.ern')
   local M = nn.Module
   if package.loaded.dpnn == nil then require 'dpnn' end
   function M:forget()
      each(self, function(m) m:forget() end)
      return self
   end
   function M:remember(mode)
      each(self, function(m) m:remember(mode) end)
      return self
   end
   function M:setOutputStep(step)
      each(self, function(m) m:setOutputStep(step) end)
   end
   function M:maxBPTTstep(rho)
      each(self, function(m) m:maxBPTTstep(rho) end)
   end
   function M:stepClone(shareParams, shareGradParams)
      return self:sharedClone(shareParams, shareGradParams, true)
   end
   function M:backwardOnline()
      print("Deprecated Jan 6, 2016. By default rnn now uses backwardOnline, so no need to "
            .. "call this method")
   end
   for _, name in ipairs({'HiddenState', 'GradHiddenState'}) do
      M['get' .. name] = function(self, step)
         if self.modules == nil then return nil end
         local states = {}
         each(self, function(m, i) states[i] = m['get' .. name](m, step) end)
         return states
      end
      M['set' .. name] = function(self, step, states)
         if self.modules == nil then return end
         assert(torch.type(states) == 'table')
         each(self, function(m, i) m['set' .. name](m, step, states[i]) end)
      end
   end
   -- rnn's Dropout.lua: nn.Dropout(p, v1, inplace, lazy, mono); a lazy one draws its noise
   -- again only after a backward, a mono one one row for the batch (torch7py's Dropout runs
   -- on these fields)
   function nn.Dropout:__init(p, v1, inplace, lazy, mono)
      M.__init(self)
      self.p = p or 0.5
      self.train = true
      self.inplace = inplace
      self.lazy = lazy or false
      self.mono = mono or false
      self.flag = true
      self.v2 = not v1
      if self.p >= 1 or self.p < 0 then
         error('<Dropout> illegal percentage, must be 0 <= p < 1', 0)  -- (rnn's Dropout.lua:24)
      end
      self.noise = torch.Tensor()
   end
   rnn = {version = 2.1}
   -- recursiveUtils.lua: nested tables of tensors, t1 shaped after t2
   local function walk2(name, leaf)
      local function f(t1, t2)
         if torch.type(t2) == 'table' then
            t1 = torch.type(t1) == 'table' and t1 or {t1}
            for k in pairs(t2) do t1[k], t2[k] = f(t1[k], t2[k]) end
         elseif torch.isTensor(t2) and (name ~= 'recursiveAdd' or torch.isTensor(t1)) then
            t1 = leaf(t1, t2)
         else
            error("expecting nested tensors or tables. Got " .. torch.type(t1) .. " and "
                  .. torch.type(t2) .. " instead")
         end
         return t1, t2
      end
      rnn[name] = f
   end
   local function fresh(t1, t2) return torch.isTensor(t1) and t1 or t2.new() end
   walk2('recursiveResizeAs', function(t1, t2) t1 = fresh(t1, t2); t1:resizeAs(t2); return t1 end)
   walk2('recursiveSet', function(t1, t2) t1 = fresh(t1, t2); t1:set(t2); return t1 end)
   walk2('recursiveCopy', function(t1, t2)
      t1 = fresh(t1, t2); t1:resizeAs(t2):copy(t2); return t1
   end)
   walk2('recursiveAdd', function(t1, t2) t1:add(t2); return t1 end)
   local function notTensor(t)
      error("expecting tensor or table thereof. Got " .. torch.type(t) .. " instead")
   end
   function rnn.recursiveTensorEq(t1, t2)
      if torch.type(t2) == 'table' then
         if torch.type(t1) ~= 'table' then return false end
         local same = true
         for k in pairs(t2) do same = same and rnn.recursiveTensorEq(t1[k], t2[k]) end
         return same
      elseif torch.isTensor(t1) and torch.isTensor(t2) then
         return (t1 - t2):abs():max() < 0.00001
      end
      error("expecting nested tensors or tables. Got " .. torch.type(t1) .. " and "
            .. torch.type(t2) .. " instead")
   end
   local function walk1(name, leaf)
      local function f(t, ...)
         if torch.type(t) == 'table' then
            for k in pairs(t) do t[k] = f(t[k], ...) end
         elseif torch.isTensor(t) then
            leaf(t, ...)
         else
            notTensor(t)
         end
         return t
      end
      rnn[name] = f
   end
   walk1('recursiveNormal', function(t) t:normal() end)
   walk1('recursiveFill', function(t, v) t:fill(v) end)
   function rnn.recursiveType(param, typename)
      if torch.type(param) == 'table' then
         for i = 1, #param do param[i] = rnn.recursiveType(param[i], typename) end
         return param
      end
      local tn = torch.typename(param)
      if tn and tn:find('torch%..+Tensor') then param = param:type(typename) end
      return param
   end
   function rnn.recursiveSum(t)
      if torch.isTensor(t) then return t:sum() end
      if torch.type(t) ~= 'table' then notTensor(t) end
      local total = 0
      for k in pairs(t) do total = total + rnn.recursiveSum(t[k]) end
      return total
   end
   function rnn.recursiveNew(t)
      if torch.isTensor(t) then return t.new() end
      if torch.type(t) ~= 'table' then notTensor(t) end
      local copy = {}
      for k in pairs(t) do copy[k] = rnn.recursiveNew(t[k]) end
      return copy
   end
   -- AbstractRecurrent.lua keeps six of them as class fields (`lstm.recursiveCopy(nil, t)`)
   for _, name in ipairs({'recursiveResizeAs', 'recursiveSet', 'recursiveCopy', 'recursiveAdd',
                          'recursiveTensorEq', 'recursiveNormal'}) do
      nn.AbstractRecurrent[name] = rnn[name]
   end
   rawset(nn, 'rnn', rnn)
   -- (rnn's init.lua returns nothing: require gives true)
end
local loaders = package.loaders
loaders[#loaders + 1] = function(name)
   if name == 'rnn' then return rnn_package end
   if name == 'dpnn' then return dpnn_package end
end
