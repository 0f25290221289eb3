-- Differential checker: torch7py's nn against the original nn's own Lua code, run in the same
-- th runtime on the same tensors (see tools/diff_nn.py). Usage:
--   th tools/diff_nn.lua /path/to/nn [--only PATTERN] [-v]
require 'nn'
local NNDIR = arg[1]
assert(NNDIR, 'usage: th tools/diff_nn.lua /path/to/nn [--only PATTERN] [-v]')
local ONLY, VERBOSE
do
   local i = 2
   while arg[i] do
      if arg[i] == '--only' then ONLY = arg[i + 1]; i = i + 1
      elseif arg[i] == '-v' then VERBOSE = true end
      i = i + 1
   end
end
local here = debug.getinfo(1, 'S').source:sub(2):match('^(.*)/') or '.'
local orignn, failed, CLASSES = assert(loadfile(here .. '/diff_nn_load.lua'))(NNDIR)
for _, m in ipairs(failed) do print('LOAD FAILED', m) end

-- modules whose computation is C (THNN) in the original: the original namespace uses ours for
-- them, so original containers and criterions can hold them; their __tostring__ stays checked
local PURE, PARENT, CSRC = {}, {}, {}
for short in pairs(CLASSES) do
   local f = io.open(NNDIR .. '/' .. short .. '.lua')
   local src = f and f:read('*a') or ''
   if f then f:close() end
   PARENT[short] = src:match("torch%.class%(%s*['\"]nn%.[%w_]+['\"]%s*,%s*['\"]nn%.([%w_]+)")
   CSRC[short] = src:find('THNN') ~= nil
end
-- a parent that is C makes the child C too (ReLU is a Threshold)
local function isC(short)
   if short == nil then return false end
   return CSRC[short] or isC(PARENT[short])
end
for short in pairs(CLASSES) do
   if isC(short) then
      if nn[short] then rawset(orignn, short, nn[short]) end
   else
      PURE[short] = true
   end
end

local stats = {cases = 0, calls = 0, diffs = 0, modules = {}}
local DIFFS = {}
local function diff(case, what, msg)
   stats.diffs = stats.diffs + 1
   DIFFS[#DIFFS + 1] = case .. ': ' .. what .. ': ' .. msg
   print('DIFF ' .. case .. ': ' .. what .. ': ' .. msg)
end

local function norm(s)
   return (tostring(s):gsub('orignn%.', 'nn.'))
end

-- bit-for-bit comparison of values (tensors, tables, numbers), with a message on difference
local function same(a, b, path)
   path = path or ''
   local ta, tb = torch.type(a), torch.type(b)
   if torch.isTensor(a) or torch.isTensor(b) then
      if ta ~= tb then return false, path .. ' type ' .. ta .. ' vs ' .. tb end
      if a:dim() ~= b:dim() then
         return false, path .. ' dim ' .. a:dim() .. ' vs ' .. b:dim()
      end
      for d = 1, a:dim() do
         if a:size(d) ~= b:size(d) then
            return false, path .. ' size ' .. table.concat(a:size():totable(), 'x') .. ' vs '
               .. table.concat(b:size():totable(), 'x')
         end
      end
      if a:nElement() == 0 then return true end
      if ta:match('Byte') or ta:match('Long') or ta:match('Int') or ta:match('Short')
            or ta:match('Char') then
         if a:ne(b):sum() ~= 0 then return false, path .. ' values differ' end
         return true
      end
      local bad = a:ne(b):sum() - torch.cmul(a:ne(a), b:ne(b)):sum()
      if bad ~= 0 then
         local d = (a:double() - b:double()):abs()
         d[d:ne(d)] = 0
         return false, string.format('%s %d of %d values differ, max |diff| %.3g', path, bad,
                                     a:nElement(), d:max())
      end
      return true
   end
   if ta == 'table' or tb == 'table' then
      if ta ~= tb then return false, path .. ' type ' .. ta .. ' vs ' .. tb end
      if #a ~= #b then return false, path .. ' length ' .. #a .. ' vs ' .. #b end
      for i = 1, #a do
         local ok, m = same(a[i], b[i], path .. '[' .. i .. ']')
         if not ok then return false, m end
      end
      return true
   end
   if ta == 'number' and tb == 'number' then
      if a == b or (a ~= a and b ~= b) then return true end
      return false, string.format('%s %.17g vs %.17g', path, a, b)
   end
   if a ~= b then return false, path .. ' ' .. tostring(a) .. ' vs ' .. tostring(b) end
   return true
end

local function check(case, what, a, b)
   stats.calls = stats.calls + 1
   local ok, m = same(a, b)
   if not ok then diff(case, what, m) end
   return ok
end

local function clone(x)
   if torch.isTensor(x) then return x:clone() end
   if type(x) == 'table' then
      local t = {}
      for i, v in ipairs(x) do t[i] = clone(x[i]) end
      return t
   end
   return x
end

local function totype(x, t)
   if torch.isTensor(x) then
      if x:type():match('Long') or x:type():match('Byte') then return x end
      return x:type(t)
   end
   if type(x) == 'table' then
      local r = {}
      for i, v in ipairs(x) do r[i] = totype(v, t) end
      return r
   end
   return x
end

local function randlike(x)
   if torch.isTensor(x) then
      if x:type():match('Long') or x:type():match('Byte') then return x:clone() end
      return x:clone():normal()
   end
   if type(x) == 'table' then
      local r = {}
      for i, v in ipairs(x) do r[i] = randlike(v) end
      return r
   end
   return x
end

-- which objects of a result are the same object / storage as what they were compared with
local function ident(x, y)
   if torch.isTensor(x) and torch.isTensor(y) then
      local sx, sy = x:storage(), y:storage()
      return {obj = rawequal(x, y) or x == y and torch.pointer(x) == torch.pointer(y),
              storage = sx ~= nil and sy ~= nil and torch.pointer(sx) == torch.pointer(sy)}
   end
   return {obj = torch.pointer(x) == torch.pointer(y)}
end
local function checkident(case, what, io, iu)
   stats.calls = stats.calls + 1
   if io.obj ~= iu.obj or io.storage ~= iu.storage then
      diff(case, what, string.format('original: same object %s same storage %s; ours: %s %s',
         tostring(io.obj), tostring(io.storage), tostring(iu.obj), tostring(iu.storage)))
   end
end

local function errtext(e)
   e = tostring(e)
   e = e:gsub('orignn%.', 'nn.')
   -- the location prefix names different files
   e = e:gsub('^[^\n]-:%d+: ', '')
   return (e:match('^[^\n]*'))
end

-- orig: the original namespace, with ours for C modules
local ONN = orignn

local function params(m)
   local p, g = m:parameters()
   return p or {}, g or {}
end

local function copyparams(case, from, to)
   local pf = params(from)
   local pt = params(to)
   if #pf ~= #pt then
      diff(case, 'parameters()', 'count ' .. #pt .. ' (original) vs ' .. #pf .. ' (ours)')
      return false
   end
   for i = 1, #pf do
      if not check(case, 'parameter ' .. i .. ' after construction (same seed)', pt[i], pf[i])
      then
         if pt[i]:nElement() == pf[i]:nElement() then pt[i]:copy(pf[i]) end
      end
   end
   return true
end

local CRIT = {}
local function run_module(spec)
   local name = spec[1]
   local case = spec.name or name
   local argsf = spec.args or function() return {} end
   torch.manualSeed(11)
   -- inner modules are ours on both sides: a container is compared on equal leaves (each
   -- leaf class has its own cases)
   -- (origleaves: a decorator that shares its leaf's tensors keeps the original's leaf, since
   -- the original's type() would pass its Lua tensorCache into our leaf's type())
   local function make(NS)
      local LEAF = spec.origleaves and NS or nn
      local m = NS[name](unpack(argsf(LEAF)))
      if spec.build then spec.build(m, LEAF) end
      return m
   end
   local okO, orig = pcall(make, ONN)
   torch.manualSeed(11)
   local okU, ours = pcall(make, nn)
   stats.calls = stats.calls + 1
   if not okO or not okU then
      if okO ~= okU or errtext(orig) ~= errtext(ours) then
         diff(case, 'constructor', 'original: ' .. (okO and 'ok' or errtext(orig))
              .. ' / ours: ' .. (okU and 'ok' or errtext(ours)))
      end
      return
   end
   stats.cases = stats.cases + 1
   stats.modules[name] = true
   -- __tostring__: the original's code on our object
   local C = CLASSES[name]
   if C and rawget(C, '__tostring__') == nil and C.__tostring__ then end
   check(case, 'tostring', norm(tostring(orig)), norm(tostring(ours)))
   if spec.crit then
      local tgt = spec.target
      for _, ty in ipairs(spec.types or {'torch.DoubleTensor', 'torch.FloatTensor'}) do
         if ty ~= 'torch.DoubleTensor' then orig:type(ty); ours:type(ty) end
         for k, mk in ipairs(spec.inputs) do
            torch.manualSeed(100 + k)
            local input, target = mk()
            input = totype(input, ty)
            if not spec.keeptarget then target = totype(target, ty) end
            local tag = ty:match('torch%.(%a+)Tensor') .. ' call ' .. k
            local i1, t1, i2, t2 = clone(input), clone(target), clone(input), clone(target)
            local okO, lo = pcall(function() return orig:forward(i1, t1) end)
            local okU, lu = pcall(function() return ours:forward(i2, t2) end)
            stats.calls = stats.calls + 1
            if not okO or not okU then
               if okO ~= okU or errtext(lo) ~= errtext(lu) then
                  diff(case, tag .. ' forward error', 'original: '
                       .. (okO and 'ok' or errtext(lo)) .. ' / ours: '
                       .. (okU and 'ok' or errtext(lu)))
               end
            else
               check(case, tag .. ' loss', lo, lu)
               check(case, tag .. ' output field', orig.output, ours.output)
               local okO, go = pcall(function() return orig:backward(i1, t1) end)
               local okU, gu = pcall(function() return ours:backward(i2, t2) end)
               if not okO or not okU then
                  stats.calls = stats.calls + 1
                  if okO ~= okU or errtext(go) ~= errtext(gu) then
                     diff(case, tag .. ' backward error', 'original: '
                          .. (okO and 'ok' or errtext(go)) .. ' / ours: '
                          .. (okU and 'ok' or errtext(gu)))
                  end
               else
                  check(case, tag .. ' gradInput', go, gu)
                  checkident(case, tag .. ' gradInput is self.gradInput',
                             ident(go, orig.gradInput), ident(gu, ours.gradInput))
               end
            end
         end
      end
      return
   end
   if not copyparams(case, ours, orig) then return end
   local prevO, prevU
   for _, ty in ipairs(spec.types or {'torch.DoubleTensor', 'torch.FloatTensor'}) do
      if ty ~= 'torch.DoubleTensor' then
         orig:type(ty); ours:type(ty)
         local po, pu = params(orig), params(ours)
         check(case, ty .. ' parameters after :type()', po, pu)
         check(case, ty .. ' output type after :type()', torch.type(orig.output),
               torch.type(ours.output))
      end
      for k, mk in ipairs(spec.inputs) do
         local tag = ty:match('torch%.(%a+)Tensor') .. ' call ' .. k
         torch.manualSeed(100 + k)
         local input = totype(mk(), ty)
         local i1, i2 = clone(input), clone(input)
         if spec.train == false then orig:evaluate(); ours:evaluate() end
         torch.manualSeed(7)
         local okO, oo = pcall(function() return orig:forward(i1) end)
         torch.manualSeed(7)
         local okU, ou = pcall(function() return ours:forward(i2) end)
         stats.calls = stats.calls + 1
         if not okO or not okU then
            if okO ~= okU or errtext(oo) ~= errtext(ou) then
               diff(case, tag .. ' forward error', 'original: '
                    .. (okO and 'ok' or errtext(oo)) .. ' / ours: '
                    .. (okU and 'ok' or errtext(ou)))
            end
         else
            check(case, tag .. ' output', oo, ou)
            checkident(case, tag .. ' output is self.output', ident(oo, orig.output),
                       ident(ou, ours.output))
            if torch.isTensor(oo) and torch.isTensor(ou) and torch.isTensor(i1) then
               checkident(case, tag .. ' output shares the input', ident(oo, i1), ident(ou, i2))
            end
            if prevO ~= nil and not spec.noident then
               checkident(case, tag .. ' output is the previous call\'s', ident(oo, prevO),
                          ident(ou, prevU))
            end
            prevO, prevU = oo, ou
            check(case, tag .. ' input after forward', i1, i2)
            torch.manualSeed(100 + k)
            local go = randlike(oo)
            local g1, g2 = clone(go), clone(go)
            if not spec.nobackward then
               local scale = (k % 2 == 0) and 0.5 or 1
               local okO, gi1 = pcall(function() return orig:backward(i1, g1, scale) end)
               local okU, gi2 = pcall(function() return ours:backward(i2, g2, scale) end)
               stats.calls = stats.calls + 1
               if not okO or not okU then
                  if okO ~= okU or errtext(gi1) ~= errtext(gi2) then
                     diff(case, tag .. ' backward error', 'original: '
                          .. (okO and 'ok' or errtext(gi1)) .. ' / ours: '
                          .. (okU and 'ok' or errtext(gi2)))
                  end
               else
                  check(case, tag .. ' gradInput', gi1, gi2)
                  checkident(case, tag .. ' gradInput is self.gradInput',
                             ident(gi1, orig.gradInput), ident(gi2, ours.gradInput))
                  check(case, tag .. ' gradOutput after backward', g1, g2)
                  local _, gpo = params(orig)
                  local _, gpu = params(ours)
                  check(case, tag .. ' gradParameters', gpo, gpu)
                  orig:updateParameters(0.1); ours:updateParameters(0.1)
                  check(case, tag .. ' parameters after updateParameters', params(orig),
                        params(ours))
                  if k == 2 then
                     orig:zeroGradParameters(); ours:zeroGradParameters()
                  end
               end
            end
         end
      end
   end
   -- the state a training script leaves: clearState, then a type round trip
   local okO = pcall(function() orig:clearState() end)
   local okU = pcall(function() ours:clearState() end)
   stats.calls = stats.calls + 1
   if okO ~= okU then diff(case, 'clearState', tostring(okO) .. ' vs ' .. tostring(okU)) end
   if okO and okU and torch.isTensor(orig.output) and torch.isTensor(ours.output) then
      check(case, 'output after clearState', orig.output, ours.output)
   end
end

-- inputs -------------------------------------------------------------------------------------
local function R(...) local s = {...}; return function() return torch.randn(unpack(s)) end end
local function P(...) local s = {...}; return function() return torch.rand(unpack(s)):add(0.1) end end
local function T(...)
   local fs = {...}
   return function()
      local t = {}
      for i, f in ipairs(fs) do t[i] = f() end
      return t
   end
end
local function L(n, hi) return function() return torch.LongTensor(n):random(hi) end end
local function A(...) local a = {...}; return function() return a end end
local function M(...) -- arguments that hold modules: NN is the namespace they come from
   local f = ...
   return f
end

local CASES = dofile(here .. '/diff_nn_cases.lua')(
   {R = R, P = P, T = T, L = L, A = A, M = M})

for _, spec in ipairs(CASES) do
   local case = spec.name or spec[1]
   if (not ONLY or case:match(ONLY)) then
      if ONN[spec[1]] == nil then
         print('SKIP ' .. case .. ': not in the original namespace')
      elseif nn[spec[1]] == nil then
         diff(case, 'class', 'missing in torch7py')
      else
         local ok, e = pcall(run_module, spec)
         if not ok then diff(case, 'harness', tostring(e)) end
      end
   end
end
local nmod = 0
for _ in pairs(stats.modules) do nmod = nmod + 1 end
print(string.format('%d classes, %d cases, %d comparisons, %d differences', nmod, stats.cases,
                    stats.calls, stats.diffs))
