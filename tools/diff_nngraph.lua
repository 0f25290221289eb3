-- Differential checker: torch7py's nngraph against the original graph + nngraph Lua sources,
-- each side in its own th process over the same torch and nn (see tools/diff_nngraph.py).
--   th tools/diff_nngraph.lua run|cross SIDE NGDIR GDIR OUTDIR [ONLY]   (SIDE: orig or ours)
--   th tools/diff_nngraph.lua compare - NGDIR GDIR OUTDIR [ONLY] [-v]
-- run: every case of diff_nngraph_cases.lua, its records written to OUTDIR/SIDE_run.t7 and the
-- gModules it saves to OUTDIR/SIDE_<case>_<label>.{bin,ascii}.t7 (each loaded back and probed);
-- cross: the cases again, each save now loading the other side's file; compare: the records of
-- both sides, bit for bit.
local MODE, SIDE, NGDIR, GDIR, OUT, ONLY = arg[1], arg[2], arg[3], arg[4], arg[5], arg[6]
local VERBOSE = false
for i = 1, #arg do if arg[i] == '-v' then VERBOSE = true end end
if ONLY == '-v' or ONLY == '' then ONLY = nil end
assert(MODE and SIDE and NGDIR and GDIR and OUT, 'usage: see tools/diff_nngraph.lua')
local here = debug.getinfo(1, 'S').source:sub(2):match('^(.*)/') or '.'

if MODE ~= 'compare' and SIDE == 'orig' then
   assert(loadfile(here .. '/diff_nngraph_load.lua'))(NGDIR, GDIR)
end
require 'nn'
require 'nngraph'

-- text that names a side's files or the place an error was raised: made side-independent
local function esc(s) return (s:gsub('%p', '%%%0')) end
local function normtext(s)
   s = s:gsub(esc(NGDIR) .. '/?', '<nngraph>/'):gsub(esc(GDIR) .. '/?', '<graph>/')
   -- ours names the files of the reference Torch7's install (see torch7py/nngraph/node.py)
   s = s:gsub('/usr/local/share/lua/5%.1/nngraph/', '<nngraph>/')
   -- error locations: the original's are its files' lines, ours Python's (none)
   s = s:gsub('[^%s:\'"]+%.lua:%d+: ', '')
   -- a traceback's frames (nn's rethrowErrors puts one in the message): the original's list
   -- nngraph's Lua functions (neteval, ...), which ours implements in Python, so there are
   -- none to list; the frames are left out, the text around them is compared
   s = s:gsub('stack traceback:\n.-\n\nWARNING', 'stack traceback:\n<frames>\n\nWARNING')
   return s
end
-- node debug labels ([file]:line_name): where a node was made, read by the original with a
-- fixed debug.getinfo level that counts luaT's frames (see KNOWN below)
local function normlabels(s)
   return (s:gsub('%[%S-%]:%-?%d+_[%w_]*', '<debugLabel>'))
end

-- a recorded value: plain data only (tensors cloned, torch objects by type name)
local function plain(v, depth, seen)
   depth = depth or 0
   local tv = type(v)
   if torch.isTensor(v) then return v:clone() end
   if tv == 'string' then return normtext(v) end
   if tv == 'number' or tv == 'boolean' then return v end
   if tv == 'nil' then return '<nil>' end
   if tv == 'function' then return '<function>' end
   local tn = torch.typename(v)
   if tn then return '<' .. tn .. '>' end
   if tv ~= 'table' then return '<' .. tv .. '>' end
   seen = seen or {}
   if seen[v] or depth > 6 then return '<table seen>' end
   seen[v] = true
   local r = {}
   for k, x in pairs(v) do
      local pk = k
      if type(k) ~= 'number' and type(k) ~= 'string' then pk = '<key ' .. tostring(plain(k)) .. '>' end
      r[pk] = plain(x, depth + 1, seen)
   end
   seen[v] = nil
   return r
end

local RECORDS = {}   -- case -> {{label, value}, ...}
local CUR, CURCASE
local function rec(label, v)
   if MODE == 'cross' then return end
   CUR[#CUR + 1] = {label, plain(v)}
end

local R = setmetatable({}, {__call = function(_, label, v) return rec(label, v) end})
-- R.err(label, f, ...): whether f fails, and its message
function R.err(label, f, ...)
   local ok, e = pcall(f, ...)
   if ok then rec(label, {true}) else rec(label, {false, normlabels(normtext(tostring(e)))}) end
   return ok, e
end

local function readbytes(path)
   local f = assert(io.open(path, 'rb'))
   local s = f:read('*a')
   f:close()
   return s
end

-- every node's debug label, made side-independent for the saved bytes (recorded first)
local function walknodes(m, f, seen)
   seen = seen or {}
   if type(m) ~= 'table' and type(m) ~= 'userdata' or seen[m] then return end
   seen[m] = true
   if torch.typename(m) == 'nn.gModule' then
      for _, node in ipairs(m.forwardnodes) do
         f(node)
         walknodes(node.data.module, f, seen)
      end
   elseif m.modules then
      for _, sub in ipairs(m.modules) do walknodes(sub, f, seen) end
   end
end

-- R.save(label, obj, probe): torch.save's bytes (binary and ascii), and probe(loaded) of each
-- file read back (in cross mode: of the other side's file)
function R.save(label, obj, probe)
   local labels = {}
   walknodes(obj, function(node)
      local a = node.data.annotations
      if a and a._debugLabel then
         labels[#labels + 1] = a._debugLabel
         -- graphNodeAttributes copies the label into the tooltip
         local ga = a.graphAttributes
         if ga and ga.tooltip == a._debugLabel then ga.tooltip = '<debugLabel>' end
         a._debugLabel = '<debugLabel>'
      end
   end)
   local other = SIDE == 'orig' and 'ours' or 'orig'
   for _, fmt in ipairs({'binary', 'ascii'}) do
      local base = OUT .. '/%s_' .. CURCASE:gsub('%W', '_') .. '_' .. label:gsub('%W', '_')
         .. '.' .. fmt .. '.t7'
      if MODE == 'run' then
         local path = base:format(SIDE)
         torch.save(path, obj, fmt)
         rec(label .. ' ' .. fmt .. ' bytes', readbytes(path))
         local ok, e = pcall(function()
            local m = torch.load(path, fmt)
            return probe and probe(m) or torch.typename(m)
         end)
         rec(label .. ' ' .. fmt .. ' load', ok and e or ('load failed: ' .. tostring(e)))
      else
         local path = base:format(other)
         local ok, e = pcall(function()
            local m = torch.load(path, fmt)
            return probe and probe(m) or torch.typename(m)
         end)
         CUR[#CUR + 1] = {label .. ' ' .. fmt .. ' load',
                          plain(ok and e or ('load failed: ' .. tostring(e)))}
      end
   end
   -- the labels back, as they were
   local i = 0
   walknodes(obj, function(node)
      local a = node.data.annotations
      if a and a._debugLabel == '<debugLabel>' then
         i = i + 1
         a._debugLabel = labels[i]
         local ga = a.graphAttributes
         if ga and ga.tooltip == '<debugLabel>' then ga.tooltip = labels[i] end
      end
   end)
end

R.normlabels = normlabels
R.side = SIDE

local CASES = assert(loadfile(here .. '/diff_nngraph_cases.lua'))()

if MODE == 'run' or MODE == 'cross' then
   for _, c in ipairs(CASES) do
      local name, fn = c[1], c[2]
      local wanted = not ONLY
      for pat in (ONLY or ''):gmatch('[^,]+') do
         if name:match(pat) then wanted = true end
      end
      if wanted then
         CUR, CURCASE = {}, name
         RECORDS[#RECORDS + 1] = {name, CUR}
         torch.manualSeed(1234)
         torch.setdefaulttensortype('torch.DoubleTensor')
         local ok, e = pcall(fn, R)
         if not ok then CUR[#CUR + 1] = {'case failed', normlabels(normtext(tostring(e)))} end
         if nngraph.setDebug then nngraph.setDebug(false) end
      end
   end
   torch.save(OUT .. '/' .. SIDE .. '_' .. MODE .. '.t7', RECORDS)
   return
end

---------------------------------------------------------------------------------------------
-- compare
local KNOWN = {
   -- the original's Node:__init reads debug.getinfo(6): six frames up in Torch7 (luaT's C
   -- __call frames included) is the user's line; in this runtime the module call and class
   -- constructor frames are others, so the oracle names a frame of the bridge
   ['debugLabel'] = 'the original reads its node labels at a fixed debug.getinfo level that '
      .. 'counts luaT\'s frames; this runtime\'s frames differ (the oracle is wrong there)',
}

-- nngraph.setDebug's error handler looks for the failed node in the frames of gmodule.lua's
-- neteval: in this runtime the original's method runs under a Python frame (its class's methods
-- are Python's), so the error reaches the handler after those frames unwound
KNOWN['^dot text$'] = 'setDebug\'s handler cannot see the original\'s neteval frame here'

local function same(a, b, path)
   path = path or ''
   local ta, tb = torch.type(a), torch.type(b)
   if torch.isTensor(a) or torch.isTensor(b) then
      if ta ~= tb then return false, path .. ' type ' .. ta .. ' vs ' .. tb end
      if a:dim() ~= b:dim() then return false, path .. ' dim ' .. a:dim() .. ' vs ' .. b:dim() end
      for d = 1, a:dim() do
         if a:size(d) ~= b:size(d) then
            return false, path .. ' size ' .. table.concat(a:size():totable(), 'x') .. ' vs '
               .. table.concat(b:size():totable(), 'x')
         end
      end
      if a:nElement() == 0 then return true end
      local bad = a:ne(b):sum()
      if not (ta:match('Byte') or ta:match('Long') or ta:match('Int') or ta:match('Short')
              or ta:match('Char')) then
         bad = bad - torch.cmul(a:ne(a), b:ne(b)):sum()
      end
      if bad ~= 0 then return false, path .. ' ' .. bad .. ' values differ' end
      return true
   end
   if ta == 'table' or tb == 'table' then
      if ta ~= tb then
         return false, path .. ' ' .. tostring(ta) .. ' vs ' .. tostring(tb)
      end
      for k, v in pairs(a) do
         local ok, m = same(v, b[k], path .. '.' .. tostring(k))
         if not ok then return false, m end
      end
      for k in pairs(b) do
         if a[k] == nil then return false, path .. '.' .. tostring(k) .. ' only in ours' end
      end
      return true
   end
   if ta == 'string' and tb == 'string' and a ~= b then
      -- the first difference, with some context
      local i = 1
      while i <= #a and a:byte(i) == b:byte(i) do i = i + 1 end
      local function ctx(s)
         s = s:sub(math.max(1, i - 30), i + 50):gsub('[%c\128-\255]', function(c)
            return c == '\n' and '\\n' or string.format('\\%d', c:byte())
         end)
         return '"' .. s .. '"'
      end
      return false, string.format('%s strings differ at byte %d of %d/%d: orig %s ours %s',
                                  path, i, #a, #b, ctx(a), ctx(b))
   end
   if a ~= b then return false, path .. ' ' .. tostring(a) .. ' vs ' .. tostring(b) end
   return true
end

-- pairs() order: the same text or bytes in another order. Torch7 orders the keys of a table
-- that other tables or objects key (graph's nodes[node] = i, reverseMap[node]) by address; and
-- this runtime estimates the insertion order of a table the original's Lua code built
-- (compat/pairs_order.lua), where ours replays nngraph's insertions (torch7py/luaorder.py)
local function reordered(a, b)
   if type(a) ~= 'string' or type(b) ~= 'string' or #a ~= #b then return false end
   local ca, cb = {}, {}
   for i = 1, #a do
      local x, y = a:byte(i), b:byte(i)
      ca[x] = (ca[x] or 0) + 1
      cb[y] = (cb[y] or 0) + 1
   end
   for k, v in pairs(ca) do if cb[k] ~= v then return false end end
   return true
end
KNOWN['pairs order'] = 'the same text or bytes in another order: keys ordered by address in '
   .. 'Torch7, or this runtime\'s estimate of the original\'s pairs() order'

local stats = {cases = 0, comparisons = 0, diffs = 0, known = 0, bycause = {}}
local function diff(case, label, msg, cause)
   cause = cause or (label:match('bytes$') and 'saved bytes') or 'value'
   for pat in pairs(KNOWN) do
      if label:match(pat) or cause == pat then
         stats.known = stats.known + 1
         stats.bycause['known: ' .. pat] = (stats.bycause['known: ' .. pat] or 0) + 1
         if VERBOSE then print('KNOWN ' .. case .. ': ' .. label .. ': ' .. msg) end
         return
      end
   end
   stats.diffs = stats.diffs + 1
   stats.bycause[cause] = (stats.bycause[cause] or 0) + 1
   print('DIFF ' .. case .. ': ' .. label .. ': ' .. msg)
end

-- the strings of two records that differ, or nil
local function firststrings(a, b)
   if type(a) == 'string' and type(b) == 'string' then
      if a ~= b then return a, b end
      return
   end
   if type(a) == 'table' and type(b) == 'table' then
      for k, v in pairs(a) do
         local x, y = firststrings(v, b[k])
         if x then return x, y end
      end
   end
end

local function index(records)
   local r = {}
   for _, c in ipairs(records) do r[c[1]] = c[2] end
   return r
end
local function compare(A, B, what)
   local IA, IB = index(A), index(B)
   for _, c in ipairs(A) do
      local name, ra = c[1], c[2]
      local rb = IB[name]
      if what == 'run' then stats.cases = stats.cases + 1 end
      if rb == nil then
         diff(name, what, 'case missing in ours')
      else
         local n = math.max(#ra, #rb)
         for i = 1, n do
            local la, lb = ra[i] and ra[i][1], rb[i] and rb[i][1]
            stats.comparisons = stats.comparisons + 1
            if la ~= lb then
               diff(name, tostring(la or lb), what .. ': records differ in order: orig '
                    .. tostring(la) .. ', ours ' .. tostring(lb))
               break
            end
            local ok, m = same(ra[i][2], rb[i][2])
            if not ok then
               local x, y = firststrings(ra[i][2], rb[i][2])
               local cause = x and reordered(x, y) and 'pairs order' or nil
               if what ~= 'run' then cause = 'loading the other side\'s file' end
               diff(name, la, what .. ':' .. m, cause)
            elseif VERBOSE then
               print('same ' .. name .. ': ' .. la)
            end
         end
      end
   end
   for name in pairs(IB) do
      if IA[name] == nil then diff(name, what, 'case missing in the original') end
   end
end

local function loadrec(f)
   return torch.load(OUT .. '/' .. f)
end
compare(loadrec('orig_run.t7'), loadrec('ours_run.t7'), 'run')
-- each side's reading of the other's files against its reading of its own
local function subset(run, cross)
   local I = index(run)
   local r = {}
   for _, c in ipairs(cross) do
      local own = {}
      local want = {}
      for _, x in ipairs(c[2]) do want[x[1]] = true end
      for _, x in ipairs(I[c[1]] or {}) do
         if want[x[1]] then own[#own + 1] = x end
      end
      r[#r + 1] = {c[1], own}
   end
   return r
end
compare(subset(loadrec('orig_run.t7'), loadrec('orig_cross.t7')), loadrec('orig_cross.t7'),
        'orig loading our file')
compare(subset(loadrec('ours_run.t7'), loadrec('ours_cross.t7')), loadrec('ours_cross.t7'),
        'ours loading the original\'s file')
local causes = {}
for c, n in pairs(stats.bycause) do causes[#causes + 1] = c .. ' ' .. n end
table.sort(causes)
print(string.format('diff_nngraph: %d cases, %d comparisons, %d differences, %d known (%s)',
                    stats.cases, stats.comparisons, stats.diffs, stats.known,
                    table.concat(causes, ', ')))
DIFF_COUNT = stats.diffs
