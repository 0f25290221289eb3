-- The differential checker's driver: loads the helpers, then runs each area's file.
local D = DIFF
local C = dofile(D.dir .. '/common.lua')
for _, area in ipairs(D.areas) do
   local f = assert(loadfile(D.dir .. '/' .. area .. '.lua'))
   torch.manualSeed(D.seed)
   math.randomseed(D.seed)
   f(C)
end
