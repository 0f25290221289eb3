-- Tensor.lua's Tensor.__tostring__ and Storage.__tostring__ against our tostring.
local C = ...
local D = C.D
local ftorch, mts = C.faketorch()
C.load(D.torch7 .. '/Tensor.lua', {torch = ftorch})

local function cmp(fname, x, orig)
   D.call(fname)
   local ok1, so = pcall(tostring, x)
   local ok2, sl = pcall(orig, x)
   if ok1 ~= ok2 or so ~= sl then
      local desc = torch.typename(x) .. ' ' .. (torch.isTensor(x) and
         table.concat(x:size():totable(), 'x') or '')
      if not ok2 then sl = 'error ' .. C.strip(sl) end
      if not ok1 then so = 'error ' .. C.strip(so) end
      D.diff(fname, 'printing', desc .. '\n' .. 'ours:\n' .. so .. '\noriginal:\n' .. sl)
   end
end

local shapes = {
   function() return nil end,  -- a random shape
   function() return {math.random(1, 40)} end,
   function() return {math.random(1, 5), math.random(10, 40)} end,  -- "Columns a to b"
   function() return {math.random(1, 3), math.random(1, 3), math.random(5, 30)} end,
   function() return {1} end,
}
for i = 1, D.n * 4 do
   local ty = i % 10 == 0 and 'Half' or C.choice(C.types)
   local size = C.choice(shapes)()
   local t = C.rtensor(ty, size and #size, nil, {size = size, maxel = 200})
   cmp('Tensor.__tostring__', t, mts['torch.' .. ty .. 'Tensor'].__tostring__)
   if i % 2 == 0 then
      cmp('Storage.__tostring__', t:storage() or torch[ty .. 'Storage'](),
          mts['torch.' .. ty .. 'Storage'].__tostring__)
   end
end
