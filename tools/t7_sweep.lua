-- The th half of tools/t7_sweep.py: loads one .t7 file with th's torch.load, prints it as a
-- script's print does, and compares every nn object's text with the original nn's own
-- __tostring__ (a user's nn checkout, loaded beside ours by tools/diff_nn_load.lua) run on the
-- same object; re-saves the value (GPU names kept) and compares the bytes with the file's; runs
-- a model held at the root on a random input of SHAPE. Usage:
--   th tools/t7_sweep.lua FILE FORMAT [NNDIR|-] [SHAPE|-]
-- Prints lines starting with TH_ for the Python side to parse.
require 'nn'
pcall(require, 'nngraph')
local path, fmt, nndir, shape = arg[1], arg[2] or 'binary', arg[3], arg[4]

local ok, obj = pcall(torch.load, path, fmt)
local how = 'plain'
if not ok then
   print('TH_LOAD_ERROR ' .. (tostring(obj):gsub('\n', ' ')))
   -- the options torch7py adds: functions kept (never run), unknown classes as tables
   ok, obj = pcall(torch.load, path, fmt, true, {allow_functions = true,
                                                  unknown_classes = 'table'})
   how = 'options'
end
if not ok then
   print('TH_LOAD_FAIL ' .. (tostring(obj):gsub('\n', ' ')))
   return
end
print('TH_LOAD_OK ' .. how .. ' ' .. torch.type(obj))
local okp, perr = pcall(print, obj)
print(okp and 'TH_PRINT_OK' or ('TH_PRINT_ERROR ' .. tostring(perr)))

-- th's torch.save of the value, loaded again with its GPU names kept, against the file's own
-- bytes (what a script that loads and re-saves a checkpoint writes)
local okk, kept = pcall(torch.load, path, fmt, true, {gpu_types = 'keep', allow_functions = true,
                                                      unknown_classes = 'table'})
if okk then
   local f = assert(io.open(path, 'rb'))
   local orig = f:read('*a')
   f:close()
   local oks, out = pcall(torch.serialize, kept, fmt)
   if not oks then
      print('TH_RESAVE fails: ' .. (tostring(out):gsub('\n', ' ')))
   elseif out == orig then
      print('TH_RESAVE same bytes')
   else
      local n = 1
      while n <= #out and n <= #orig and out:byte(n) == orig:byte(n) do n = n + 1 end
      print(string.format('TH_RESAVE differs at byte %d (%d bytes written, file %d)', n - 1,
                          #out, #orig))
   end
else
   print('TH_RESAVE fails: ' .. (tostring(kept):gsub('\n', ' ')))
end

-- a forward under th of a model the file holds at its root, on the input shape the Python side
-- guessed (SHAPE: "2x3x32x32"), in double, evaluation mode, as a script would run it
if shape and shape ~= '-' and torch.isTypeOf(obj, 'nn.Module') then
   local dims = {}
   for d in shape:gmatch('%d+') do dims[#dims + 1] = tonumber(d) end
   local okf, y = pcall(function()
      local m = obj:clone():double()
      m:evaluate()
      return m:forward(torch.randn(table.unpack(dims)))
   end)
   local function sizes(t)
      local sz = {}
      for i = 1, t:dim() do sz[i] = t:size(i) end
      return table.concat(sz, 'x')
   end
   -- (a table of tensors, as a Repeater or a ConcatTable gives, is an output too)
   local tensors = okf and type(y) == 'table' and not torch.isTensor(y) and #y > 0
   if tensors then
      for _, t in ipairs(y) do tensors = tensors and torch.isTensor(t) end
   end
   if okf and torch.isTensor(y) then
      print('TH_FORWARD ok ' .. sizes(y))
   elseif tensors then
      local all = {}
      for i, t in ipairs(y) do all[i] = sizes(t) end
      print('TH_FORWARD ok ' .. table.concat(all, '+'))
   else
      print('TH_FORWARD fails: ' .. (tostring(y):gsub('\n', ' ')))
   end
end

if not nndir or nndir == '-' then return end
local here = debug.getinfo(1, 'S').source:sub(2):match('^(.*)/') or '.'
local _, _, CLASSES = assert(loadfile(here .. '/diff_nn_load.lua'))(nndir)

-- every nn object reachable from the loaded value (modules, criterions, tables of them)
local seen, same, differ = {}, 0, 0
local function origtostring(x)
   local name = torch.type(x):match('^nn%.(.+)$')
   local C = name and CLASSES[name]
   if C == nil then return nil end
   local f = C.__tostring__
   if f == nil then return 'nn.' .. name end
   return (tostring(f(x)):gsub('orignn%.', 'nn.'))
end
local function walk(x, where)
   if type(x) ~= 'table' or seen[x] then return end
   seen[x] = true
   if torch.typename(x) and torch.typename(x):match('^nn%.') then
      local okO, so = pcall(origtostring, x)
      local okU, su = pcall(tostring, x)
      if okO and so ~= nil then
         if okU and so == su then
            same = same + 1
         else
            differ = differ + 1
            print('TH_TOSTRING_DIFF ' .. where .. ' ' .. torch.typename(x))
            print('--- original:\n' .. tostring(so) .. '\n--- ours:\n' .. tostring(su))
         end
      end
   end
   if torch.isTensor(x) or torch.isStorage(x) then return end
   for k, v in pairs(x) do
      if type(k) ~= 'table' then walk(v, where .. '.' .. tostring(k)) end
   end
end
walk(obj, '')
print(string.format('TH_TOSTRING %d %d', same, differ))
