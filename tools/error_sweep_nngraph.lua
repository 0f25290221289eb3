-- Torch7 with nngraph loaded: nngraph's init.lua replaces nn.Module's and nn.Criterion's
-- __call__ (a call makes a graph node). This runs the original nngraph's init.lua (a user's
-- checkout, never part of this repository) against orignn's Module and Criterion (the ones
-- tools/diff_nn_load.lua loaded), with this runtime's nngraph for its Node class, so that the
-- sweep compares __call__ with what Torch7 + nngraph gives.
local NGDIR, orignn, env = ...
local utils = assert(loadfile(NGDIR .. '/utils.lua'))
setfenv(utils, env)
utils = utils()
local ng = setmetatable({}, {__index = nngraph})
-- nn.X: the original's class where it has one (ModuleFromCriterion is nngraph's)
local nnview = setmetatable({}, {__index = function(_, k)
   local v = orignn[k]
   if v == nil then v = nn[k] end
   return v
end})
local ngenv
local function ngrequire(name)
   if name == 'nngraph.utils' then return utils end
   return true  -- nn, graph, nngraph's other files: this runtime's
end
ngenv = setmetatable({require = ngrequire, nn = nnview}, {__index = function(_, k)
   if k == 'nngraph' then return ng end
   return env[k]
end, __newindex = function(t, k, v)
   if k == 'nngraph' then return end  -- `nngraph = {}`: the runtime's nngraph stays
   rawset(t, k, v)
end})
local chunk = assert(loadfile(NGDIR .. '/init.lua'))
setfenv(chunk, ngenv)
chunk()
