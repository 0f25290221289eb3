-- The original graph and nngraph (a user's checkouts, never part of this repository) in place of
-- torch7py's: `require 'graph'` and `require 'nngraph'` (and their files' requires) run the
-- checkouts' Lua files, over this runtime's torch and nn. tools/diff_nngraph.lua runs this in
-- its own th process, so the two nngraphs never meet in one Lua state (the original's init.lua
-- rewrites nn.Module's __call__, __unm__ and __sub__).
local NGDIR, GDIR = ...
assert(NGDIR and GDIR, 'usage: diff_nngraph_load(nngraph checkout, graph checkout)')
assert(package.loaded.nngraph == nil and package.loaded.graph == nil,
       'diff_nngraph_load: nngraph or graph was loaded before the originals')

local function loader(dir, file)
   return function(...)
      local chunk = assert(loadfile(dir .. '/' .. file))
      return chunk(...)
   end
end
-- the files each package's init.lua and its files require (the rockspecs' module lists)
local function install(pkg, dir)
   package.preload[pkg] = loader(dir, 'init.lua')
   for file in io.popen('ls "' .. dir .. '"'):lines() do
      local short = file:match('^([%w_]+)%.lua$')
      if short and short ~= 'init' then package.preload[pkg .. '.' .. short] = loader(dir, file) end
   end
end
install('graph', GDIR)
install('nngraph', NGDIR)
