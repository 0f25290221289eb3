-- gnuplot, the plotting package of Torch7's distro (torch/gnuplot): the same functions, the
-- same commands piped to a gnuplot executable, the same errors. As the original: without a
-- gnuplot on PATH, require succeeds and the first figure fails ('Gnuplot terminal is not
-- set'). TORCH7PY_GNUPLOT=null accepts every call without any gnuplot (headless runs).
local gnuplot = {}
local _, LUA_PREFIX = ...  -- (the install prefix torch7py names Torch7's Lua files under)
_G.gnuplot = gnuplot
require 'paths'

local NULL = os.getenv('TORCH7PY_GNUPLOT') == 'null'

-- the style the original sends to a figure when the user has no ~/.gnuplot
local torchstyle = [[
##### Modified version of the sample given in
##### http://www.guidolin.net/blog/files/2010/03/gnuplot


set macro

#####  Color Palette by Color Scheme Designer
#####  Palette URL: http://colorschemedesigner.com/#3K40zsOsOK-K-


   blue_000 = "#A9BDE6" # = rgb(169,189,230)
   blue_025 = "#7297E6" # = rgb(114,151,230)
   blue_050 = "#1D4599" # = rgb(29,69,153)
   blue_075 = "#2F3F60" # = rgb(47,63,96)
   blue_100 = "#031A49" # = rgb(3,26,73)

   green_000 = "#A6EBB5" # = rgb(166,235,181)
   green_025 = "#67EB84" # = rgb(103,235,132)
   green_050 = "#11AD34" # = rgb(17,173,52)
   green_075 = "#2F6C3D" # = rgb(47,108,61)
   green_100 = "#025214" # = rgb(2,82,20)

   red_000 = "#F9B7B0" # = rgb(249,183,176)
   red_025 = "#F97A6D" # = rgb(249,122,109)
   red_050 = "#E62B17" # = rgb(230,43,23)
   red_075 = "#8F463F" # = rgb(143,70,63)
   red_100 = "#6D0D03" # = rgb(109,13,3)

   brown_000 = "#F9E0B0" # = rgb(249,224,176)
   brown_025 = "#F9C96D" # = rgb(249,201,109)
   brown_050 = "#E69F17" # = rgb(230,159,23)
   brown_075 = "#8F743F" # = rgb(143,116,63)
   brown_100 = "#6D4903" # = rgb(109,73,3)

   grid_color = "#d5e0c9"
   text_color = "#222222"

   my_font = "SVBasic Manual, 12"
   my_export_sz = "1024,768"

   my_line_width = "2"
   my_axis_width = "1"
   my_ps = "1"
   my_font_size = "14"

# must convert font fo svg and ps
# set term svg  size @my_export_sz fname my_font fsize my_font_size enhanced dynamic rounded
# set term png  size @my_export_sz large font my_font
# set term jpeg size @my_export_sz large font my_font
# set term wxt enhanced font my_font

set style data linespoints
set style function lines
set pointsize my_ps

set style line 1  linecolor rgbcolor blue_050  linewidth @my_line_width pt 7
set style line 2  linecolor rgbcolor green_050 linewidth @my_line_width pt 7
set style line 3  linecolor rgbcolor red_050   linewidth @my_line_width pt 7
set style line 4  linecolor rgbcolor brown_050 linewidth @my_line_width pt 7
set style line 5  linecolor rgbcolor blue_025  linewidth @my_line_width pt 5
set style line 6  linecolor rgbcolor green_025 linewidth @my_line_width pt 5
set style line 7  linecolor rgbcolor red_025   linewidth @my_line_width pt 5
set style line 8  linecolor rgbcolor brown_025 linewidth @my_line_width pt 5
set style line 9  linecolor rgbcolor blue_075  linewidth @my_line_width pt 9
set style line 10 linecolor rgbcolor green_075 linewidth @my_line_width pt 9
set style line 11 linecolor rgbcolor red_075   linewidth @my_line_width pt 9
set style line 12 linecolor rgbcolor brown_075 linewidth @my_line_width pt 9
set style line 13 linecolor rgbcolor blue_100  linewidth @my_line_width pt 13
set style line 14 linecolor rgbcolor green_100 linewidth @my_line_width pt 13
set style line 15 linecolor rgbcolor red_100   linewidth @my_line_width pt 13
set style line 16 linecolor rgbcolor brown_100 linewidth @my_line_width pt 13
set style line 17 linecolor rgbcolor "#224499" linewidth @my_line_width pt 11

## plot 1,2,3,4,5,6,7,8,9
set style increment user
set style arrow 1 filled

## used for bar chart borders
## set style fill solid 0.5

set size noratio
set samples 300

set border 31 lw @my_axis_width lc rgb text_color
]]

-- state: figures at integer keys, and current/defaultterm/exe/hasrefresh
local G = {current = nil, defaultterm = nil, exe = nil, hasrefresh = true}

-- the two errors a machine without a gnuplot executable meets (every figure, every plot) name
-- their line in the original's gnuplot/gnuplot.lua (a75e678), as its error(msg) does there
local function gnuplot_error(line, msg)
   if LUA_PREFIX == nil then error(msg, 2) end
   error(LUA_PREFIX .. 'gnuplot/gnuplot.lua:' .. line .. ': ' .. msg, 0)
end

local function getexec()
   if not G.exe then
      gnuplot_error(99, 'gnuplot executable is not set')
   end
   return G.exe
end

local function findos()
   local s = paths.uname()
   if s and s:match('Windows') then return 'windows'
   elseif s and s:match('Darwin') then return 'mac'
   elseif s and s:match('Linux') then return 'linux'
   elseif s and s:match('FreeBSD') then return 'freebsd'
   end
   return '?'
end

-- a pipe to a command that streams what is written (the original's torch.PipeFile 'w');
-- in null mode, a sink
local function openpipe(cmd)
   local f = not NULL and assert(io.popen(cmd, 'w')) or nil
   local pipe = {}
   function pipe:writeString(s)
      if f then f:write(s) end
   end
   function pipe:synchronize()
      if f then f:flush() end
   end
   function pipe:close()
      if f then f:close(); f = nil end
   end
   return pipe
end

local function getfigure(n)
   if not n then
      n = #G + 1
   end
   if G[n] == nil then
      G[n] = {}
      if G.defaultterm == nil then
         gnuplot_error(127, 'Gnuplot terminal is not set')
      end
      local silent = paths.is_win() and '> nul 2>&1' or '> /dev/null 2>&1'
      G[n].term = G.defaultterm
      G[n].pipe = openpipe(getexec() .. ' -persist ' .. silent)
   end
   G.current = n
   if not paths.filep(paths.concat(paths.home, '.gnuplot')) then
      G[n].pipe:writeString(torchstyle .. '\n\n\n')
      G[n].pipe:synchronize()
   end
   return G[n]
end

-- whether `gnuplot` lists the terminal in its 'set terminal' answer
local function gnuplothasterm(term)
   if not G.exe then
      return false
   end
   if NULL then return true end
   local tin, tout = os.tmpname(), os.tmpname()
   local fi = io.open(tin, 'w')
   fi:write('set terminal\n\n')
   fi:close()
   os.execute(getexec() .. ' < ' .. tin .. ' > ' .. tout .. ' 2>&1 ')
   os.remove(tin)
   local found = false
   local fo = io.open(tout, 'r')
   for line in fo:lines() do
      if line:match('^.*%s+  ' .. term .. ' ') then found = true; break end
   end
   fo:close()
   os.remove(tout)
   return found
end

local function findgnuplotversion(exe)
   local ff = io.popen(exe .. '  --version', 'r')
   local ss = ff:read('*l')   -- (named as the original's: its error names it when empty)
   ff:close()
   local v, vv = ss:match('(%d).(%d)')
   return tonumber(v), tonumber(vv)
end

local function findgnuplotexe()
   local o = findos()
   local s = paths.findprogram('gnuplot')
   if type(s) == 'string' and s:match(' ') then
      s = '"' .. s .. '"'
   end
   G.hasrefresh = true
   if not (s and s:len() > 0 and s:match('gnuplot')) then
      return nil
   end
   local v, vv = findgnuplotversion(s)
   if v < 4 then
      error('gnuplot version 4 is required')
   end
   if v == 4 and vv < 4 then
      if o == 'linux' and paths.filep('/usr/bin/gnuplot44') then
         local v44, vv44 = findgnuplotversion('/usr/bin/gnuplot44')
         if v44 == 4 and vv44 == 4 then
            return '/usr/bin/gnuplot44'
         end
      end
      G.hasrefresh = false
      print('Gnuplot package working with reduced functionality.')
      print('Please install gnuplot version >= 4.4.')
   end
   return s
end

-- the first interactive terminal this gnuplot has, by platform
local TERMS = {linux = {'wxt', 'qt', 'x11'}, freebsd = {'wxt', 'qt', 'x11'},
               mac = {'aqua', 'wxt', 'qt', 'x11'}}
local function getgnuplotdefaultterm(os_name)
   if os_name == 'windows' then
      return 'windows'
   end
   for _, term in ipairs(TERMS[os_name] or {}) do
      if gnuplothasterm(term) then return term end
   end
   print('Can not find any of the default terminals for ' .. os_name .. '. ' ..
         'You can manually set terminal by gnuplot.setterm("terminal-name")')
   return nil
end

local function findgnuplot()
   if NULL then
      G.exe, G.defaultterm, G.hasrefresh = 'gnuplot', 'dumb', true
      return
   end
   local exe = findgnuplotexe()
   local os_name = findos()
   if not exe then
      return nil
   end
   G.exe = exe
   G.defaultterm = getgnuplotdefaultterm(os_name)
end

function gnuplot.setgnuplotexe(exe)
   if NULL then return end
   if not paths.filep(exe) then
      error(exe .. ' does not exist')
   end
   G.exe = exe
   local v, vv = findgnuplotversion(exe)
   if v < 4 then error('gnuplot version 4 is required') end
   if v == 4 and vv < 4 then
      G.hasrefresh = false
      print('Some functionality like adding title, labels, ... will be disabled, it is better ' ..
            'to install gnuplot version 4.4')
   else
      G.hasrefresh = true
   end
   -- as the original: the terminal found is not kept
   if getgnuplotdefaultterm(findos()) == nil then
      print('You have manually set the gnuplot exe and I can not find default terminals, run ' ..
            'gnuplot.setterm("terminal-name") to set term type')
   end
end

function gnuplot.setterm(term)
   if gnuplothasterm(term) then
      G.defaultterm = term
   else
      error('gnuplot does not seem to have this term')
   end
end

local function getCurrentPlot()
   if G.current == nil then
      gnuplot.figure()
   end
   return G[G.current]
end

local function writeToPlot(gp, str)
   local pipe = gp.pipe
   pipe:writeString(str .. '\n\n\n')
   pipe:synchronize()
end
local function refreshPlot(gp)
   if gp.fname then
      writeToPlot(gp, 'set output "' .. gp.fname .. '"')
   end
   writeToPlot(gp, 'refresh')
   if gp.fname then
      writeToPlot(gp, 'unset output')
   end
end
local function writeToCurrent(str)
   writeToPlot(getCurrentPlot(), str)
end
local function refreshCurrent()
   refreshPlot(getCurrentPlot())
end

local function istensor(v)
   return type(v) == 'userdata' and torch.typename(v):sub(-6) == 'Tensor'
end
local function isstring(v)
   return type(v) == 'string'
end

-- one curve of plot: [legend,] x [,y] [,format]
local function getvars(t)
   local PLOTUSAGE = 'expecting [string,] tensor [,tensor] [,string]'
   local legend, x, y, format
   if #t == 0 then
      error('empty argument list')
   end
   if isstring(t[1]) then legend = t[1]
   elseif istensor(t[1]) then x = t[1]
   else error(PLOTUSAGE) end
   if #t >= 2 then
      if x and isstring(t[2]) then format = t[2]
      elseif x and istensor(t[2]) then y = t[2]
      elseif legend and istensor(t[2]) then x = t[2]
      else error(PLOTUSAGE) end
   end
   if #t >= 3 then
      if legend and x and istensor(t[3]) then y = t[3]
      elseif legend and x and isstring(t[3]) then format = t[3]
      elseif x and y and isstring(t[3]) then format = t[3]
      else error(PLOTUSAGE) end
   end
   if #t == 4 then
      if legend and x and y and isstring(t[4]) then format = t[4]
      else error(PLOTUSAGE) end
   end
   legend = legend or ''
   format = format or ''
   if not x then
      error(PLOTUSAGE)
   end
   if not y then
      if x:dim() == 2 and x:size(2) == 2 then
         y = x:select(2, 2)
         x = x:select(2, 1)
      elseif x:dim() == 2 and x:size(2) == 4 and format == 'v' then
         -- vectors: columns (x1, y1, x2, y2) as two-column x and y
         local xs, ys = torch.Tensor(x:size(1), 2), torch.Tensor(x:size(1), 2)
         ys:select(2, 1):copy(x:select(2, 2))
         ys:select(2, 2):copy(x:select(2, 4))
         xs:select(2, 1):copy(x:select(2, 1))
         xs:select(2, 2):copy(x:select(2, 3))
         x, y = xs, ys
         xx = xs   -- the original assigns its x columns to a global xx
      elseif x:dim() == 2 and x:size(2) > 1 then
         y = x[{{}, {2, -1}}]
         x = x:select(2, 1)
      else
         y = x
         x = torch.range(1, y:size(1))
      end
   end
   local dims = 'x and y dims are wrong :  x = ' .. x:nDimension() .. 'D y = ' ..
                y:nDimension() .. 'D'
   if x:dim() ~= 1 and x:dim() ~= 2 then
      error(dims)
   end
   if y:size(1) ~= x:size(1) then
      error(dims)
   end
   return legend, x, y, format
end

-- one surface of splot: [legend,] z or [legend,] x, y, z
local function getsplotvars(t)
   local USAGE = 'expecting [string,] tensor [,tensor] [,tensor]'
   local legend, x, y, z
   if #t == 0 then
      error('empty argument list')
   end
   if isstring(t[1]) then legend = t[1]
   elseif istensor(t[1]) then x = t[1]
   else error(USAGE) end
   if #t >= 2 and #t <= 4 then
      if x and istensor(t[2]) and istensor(t[3]) then
         y, z = t[2], t[3]
      elseif legend and istensor(t[2]) and istensor(t[3]) and istensor(t[4]) then
         x, y, z = t[2], t[3], t[4]
      elseif legend and istensor(t[2]) then
         x = t[2]
      else
         error(USAGE)
      end
   elseif #t > 4 then
      error(USAGE)
   end
   legend = legend or ''
   if not x then
      error(USAGE)
   end
   if not z then
      -- a matrix alone: its row and column numbers as x and y
      z = x
      x = torch.Tensor(z:size())
      y = torch.Tensor(z:size())
      for i = 1, x:size(1) do x:select(1, i):fill(i) end
      for i = 1, y:size(2) do y:select(2, i):fill(i) end
   end
   if x:nDimension() ~= 2 or y:nDimension() ~= 2 or z:nDimension() ~= 2 then
      error('x and y and z are expected to be matrices x = ' .. x:nDimension() .. 'D y = ' ..
            y:nDimension() .. 'D z = ' .. z:nDimension() .. 'D')
   end
   return legend, x, y, z
end

local function getscatter3vars(t)
   local USAGE = 'expecting [string,] tensor, tensor, tensor'
   local legend, x, y, z
   if #t ~= 3 and #t ~= 4 then
      error(USAGE)
   end
   local first
   if isstring(t[1]) then
      if #t ~= 4 then error(USAGE) end
      legend, first = t[1], 2
   elseif istensor(t[1]) then
      if #t ~= 3 then error(USAGE) end
      legend, first = '', 1
   else
      error(USAGE)
   end
   for i = first, first + 2 do
      if not istensor(t[i]) then error(USAGE) end
   end
   x, y, z = t[first], t[first + 1], t[first + 2]
   assert(x:dim() == 1 and y:dim() == 1 and z:dim() == 1, 'x, y and z must be 1D')
   assert(x:isSameSizeAs(y) and x:isSameSizeAs(z), 'x, y and z must be the same size')
   return legend, x, y, z
end

local function getimagescvars(t)
   local USAGE = 'expecting tensor [,string]'
   local x, palette
   if #t == 0 then
      error('empty argument list')
   end
   if istensor(t[1]) then x = t[1] else error(USAGE) end
   if #t == 2 then
      if isstring(t[2]) then palette = t[2] else error(USAGE) end
   elseif #t > 2 then
      error(USAGE)
   end
   legend = legend or ''   -- the original sets the global legend ('' when unset)
   palette = palette or 'gray'
   if x:nDimension() ~= 2 then
      error('x is expected to be matrices x = ' .. x:nDimension() .. 'D')
   end
   return x, palette
end

-- plot's format names -> gnuplot's 'with'/'smooth' clause
local STYLES = {
   [''] = '', ['+'] = 'with points', points = 'with points', ['.'] = 'with dots',
   dots = 'with dots', ['-'] = 'with lines', lines = 'with lines',
   ['+-'] = 'with linespoints', linespoints = 'with linespoints', ['|'] = 'with boxes',
   boxes = 'with boxes', ['~'] = 'smooth csplines', csplines = 'smooth csplines',
   acsplines = 'smooth acsplines', V = 'with vectors', v = 'with vectors',
   vectors = 'with vectors'}

local function gnuplot_string(legend, x, y, format)
   local coef, vecplot = {}, {}
   local heads = {}
   for i = 1, #legend do
      local f = format[i]
      -- '~0.3' / 'acsplines0.3': approximation splines with that smoothing weight
      if f ~= '~' and f:find('~') or f:find('acsplines') then
         coef[i] = tonumber((f:gsub('~', ''):gsub('acsplines', '')))
         f = 'acsplines'
      end
      if f == 'V' or f == 'v' or f == 'vectors' then vecplot[i] = true end
      local clause = STYLES[f] or f
      heads[i] = " '-' title '" .. legend[i] .. "' " .. clause
   end
   local hstr = 'plot ' .. table.concat(heads, ' , ') .. '\n'
   local dstr = {}
   for i = 1, #legend do
      local xi, yi = x[i], y[i]
      -- vectors' values read as numbers at once; rows stay tensors (as the original indexes)
      local xs = xi:dim() == 1 and xi:totable() or nil
      local ys = yi:dim() == 1 and yi:totable() or nil
      for j = 1, xi:size(1) do
         local xj = xs and xs[j] or xi[j]
         local yj = ys and ys[j] or yi[j]
         if coef[i] then
            dstr[#dstr + 1] = string.format('%g %g %g\n', xj, yj, coef[i])
         elseif vecplot[i] then
            dstr[#dstr + 1] = string.format('%g %g %g %g\n', xj[1], yj[1], xj[2], yj[2])
         elseif ys then
            dstr[#dstr + 1] = string.format('%g %g\n', xj, yj)
         else
            -- a row of y: its elements in storage order, as many formats as y:size(2)
            dstr[#dstr + 1] = string.format(string.rep('%g ', 1 + yi:size(2)) .. '\n', xj,
                                            unpack(yj:clone():storage():totable()))
         end
      end
      dstr[#dstr + 1] = 'e\n'
   end
   return hstr, table.concat(dstr)
end

local function gnu_splot_string(legend, x, y, z)
   local hstr = 'set contour base\nset cntrparam bspline\n\nset cntrparam levels auto\n\n' ..
                'set style data lines\n\nset hidden3d\n\nsplot '
   local heads = {}
   for i = 1, #legend do
      heads[i] = " '-'title '" .. legend[i] .. "' with lines"
   end
   hstr = hstr .. table.concat(heads, ' , ') .. '\n'
   local dstr = {}
   for i = 1, #legend do
      local xs, ys, zs = x[i]:totable(), y[i]:totable(), z[i]:totable()
      for j = 1, #xs do
         for k = 1, #xs[j] do
            dstr[#dstr + 1] = string.format('%g %g %g\n', xs[j][k], ys[j][k], zs[j][k])
         end
         dstr[#dstr + 1] = '\n'
      end
      dstr[#dstr + 1] = 'e\n'
   end
   return hstr, table.concat(dstr)
end

local function gnu_scatter3_string(legend, x, y, z)
   local hstr = 'set contour base\nset style data points\n\nset hidden3d\n\nsplot '
   local heads = {}
   for i = 1, #legend do
      heads[i] = " '-'title '" .. legend[i] .. "' with points"
   end
   hstr = hstr .. table.concat(heads, ' , ') .. '\n'
   local dstr = {}
   for i = 1, #legend do
      local xs, ys, zs = x[i]:totable(), y[i]:totable(), z[i]:totable()
      for j = 1, #xs do
         dstr[#dstr + 1] = string.format('%g %g %g\n', xs[j], ys[j], zs[j])
      end
      dstr[#dstr + 1] = 'e\n'
   end
   return hstr, table.concat(dstr)
end

local function gnu_imagesc_string(x, palette)
   local hstr = 'set view map\nset palette ' .. palette .. '\nset style data linespoints\n' ..
                string.format('set xrange [ -0.5 : %g] noreverse nowriteback\n', x:size(2) - 0.5) ..
                string.format('set yrange [ -0.5 : %g] reverse nowriteback\n', x:size(1) - 0.5) ..
                "splot '-' matrix with image\n"
   local dstr = {}
   for _, row in ipairs(x:totable()) do
      for _, v in ipairs(row) do dstr[#dstr + 1] = string.format('%g ', v) end
      dstr[#dstr + 1] = '\n'
   end
   dstr[#dstr + 1] = 'e\ne\n'
   return hstr, table.concat(dstr)
end

function gnuplot.close(n)
   n = n or G.current
   local gp = G[n]
   if gp == nil then return end
   if type(n) == 'number' and type(gp) == 'table' and gp.pipe then
      G.current = nil
      gnuplot.plotflush(n)
      writeToPlot(gp, 'quit')
      gp.pipe:close()
      G[n] = nil
   end
   collectgarbage()
end

function gnuplot.closeall()
   for k in pairs(G) do
      gnuplot.close(k)
   end
   G = {hasrefresh = true}
   collectgarbage()
   findgnuplot()
   G.current = nil
end

local function filefigure(fname, term, n)
   if not G.hasrefresh then
      print('Plotting to files is disabled in gnuplot 4.2, install gnuplot 4.4')
   end
   -- gnuplot's errors go nowhere: a missing folder must be caught here
   local dir = paths.dirname(fname)
   if dir == '' then dir = '.' end
   if not paths.dirp(dir) then
      error('cannot save to ' .. fname .. ': directory does not exist')
   end
   local gp = getfigure(n)
   gp.fname = fname
   gp.term = term
   writeToCurrent('set term ' .. gp.term)
end

function gnuplot.epsfigure(fname, n)
   filefigure(fname, 'postscript eps enhanced color', n)
   return G.current
end

function gnuplot.svgfigure(fname, n)
   filefigure(fname, 'svg', n)
   return G.current
end

function gnuplot.pngfigure(fname, n)
   filefigure(fname, gnuplothasterm('pngcairo') and 'pngcairo' or 'png', n)
   return G.current
end

function gnuplot.pdffigure(fname, n)
   if not (gnuplothasterm('pdf') or gnuplothasterm('pdfcairo')) then
      error('your installation of gnuplot does not have pdf support enabled')
   end
   local term = gnuplothasterm('pdfcairo') and 'pdfcairo enhanced color' or
                'pdf enhanced color'
   filefigure(fname, term, n)
   return G.current
end

function gnuplot.figprint(fname)
   local suffix = fname:match('.+%.(.+)')
   local haspdf = gnuplothasterm('pdf') or gnuplothasterm('pdfcairo')
   local term
   if suffix == 'eps' then
      term = 'postscript eps enhanced color'
   elseif suffix == 'png' then
      term = (gnuplothasterm('pngcairo') and 'pngcairo' or 'png') .. ' size "1024,768"'
   elseif suffix == 'pdf' and haspdf then
      term = (gnuplothasterm('pdfcairo') and 'pdfcairo' or 'pdf') .. ' enhanced color'
   else
      local errmsg = 'only eps and png'
      if haspdf then
         errmsg = errmsg .. ' and pdf'
      end
      -- the original calls the string here (a missing ..): that Lua error is what it raises
      error(errmsg ' for figprint')
   end
   writeToCurrent('set term ' .. term)
   writeToCurrent("set output '" .. fname .. "'")
   refreshCurrent()
   writeToCurrent('unset output')
   writeToCurrent('set term ' .. G[G.current].term .. ' ' .. G.current .. '\n')
end

function gnuplot.figure(n, config)
   config = config or {}
   getfigure(n)
   writeToCurrent('set term ' .. G[G.current].term .. ' ' .. G.current .. '\n')
   if not config.noraise then
      writeToCurrent('raise')
   end
   return G.current
end

function gnuplot.plotflush(n)
   n = n or G.current
   if not n or G[n] == nil then
      print('no figure ' .. tostring(n))
      return
   end
   refreshPlot(G[n])
end

local function send(hdr, data)
   writeToCurrent(hdr)
   writeToCurrent(data)
end

-- set/unset commands that need gnuplot >= 4.4's refresh
local function refreshing(name, f)
   gnuplot[name] = function(...)
      if not G.hasrefresh then
         print('gnuplot.' .. name .. ' disabled')
         return
      end
      return f(...)
   end
end
for _, axis in ipairs({'x', 'y', 'z'}) do
   refreshing(axis .. 'label', function(label)
      writeToCurrent('set ' .. axis .. 'label "' .. label .. '"')
      refreshCurrent()
   end)
end
refreshing('title', function(label)
   writeToCurrent('set title "' .. label .. '"')
   refreshCurrent()
end)
refreshing('grid', function(toggle)
   writeToCurrent(toggle and 'set grid' or 'unset grid')
   refreshCurrent()
end)
refreshing('logscale', function(toggle)
   writeToCurrent(toggle and 'set logscale y' or 'unset logscale y')
   refreshCurrent()
end)
refreshing('movelegend', function(hloc, vloc)
   local msg = 'horizontal location is unknown : plot.movelegend expects 2 strings as ' ..
               'location {left|right|center}{bottom|top|middle}'
   if hloc ~= 'left' and hloc ~= 'right' and hloc ~= 'center' then error(msg) end
   if vloc ~= 'bottom' and vloc ~= 'top' and vloc ~= 'middle' then error(msg) end
   writeToCurrent('set key ' .. hloc .. ' ' .. vloc)
   refreshCurrent()
end)
refreshing('axis', function(axis)
   if axis == 'auto' then
      writeToCurrent('set size nosquare')
      writeToCurrent('set autoscale')
      refreshCurrent()
   elseif axis == 'image' or axis == 'equal' then
      writeToCurrent('set size ratio -1')
      refreshCurrent()
   elseif axis == 'fill' then
      writeToCurrent('set size ratio 1,1')
      refreshCurrent()
   elseif type(axis) == 'table' then
      if #axis ~= 4 then
         print('axis should have 4 componets {xmin,xmax,ymin,ymax}')
         return
      end
      writeToCurrent('set xrange [' .. axis[1] .. ':' .. axis[2] .. ']')
      writeToCurrent('set yrange [' .. axis[3] .. ':' .. axis[4] .. ']')
      refreshCurrent()
   end
end)

function gnuplot.raw(str)
   writeToCurrent(str)
end

-- plot/splot/scatter3's arguments: one curve, several curves as tables, or a table of them
local function curves(args, parse, nout)
   local out = {}
   for k = 1, nout do out[k] = {} end
   local function add(...)
      local vals = {...}
      for k = 1, nout do table.insert(out[k], vals[k]) end
   end
   if type(args[1]) == 'table' then
      if type(args[1][1]) == 'table' then
         args = args[1]
      end
      for _, v in ipairs(args) do add(parse(v)) end
   else
      add(parse(args))
   end
   return unpack(out, 1, nout)
end

-- plot(x), plot(x, '.'), plot(x, y, '-'), plot('name', x, y, '+-'),
-- plot({x1, y1, '.'}, {x2, y2, '-'}), plot({{...}, {...}})
function gnuplot.plot(...)
   if select('#', ...) == 0 then
      error('no inputs, expecting at least a vector')
   end
   local legends, xs, ys, formats = curves({...}, getvars, 4)
   send(gnuplot_string(legends, xs, ys, formats))
end

-- splot(z), splot({x1, y1, z1}, {x2, y2, z2}), splot({'name1', x1, y1, z1}, ...)
function gnuplot.splot(...)
   if select('#', ...) == 0 then
      error('no inputs, expecting at least a matrix')
   end
   send(gnu_splot_string(curves({...}, getsplotvars, 4)))
end

-- scatter3(x, y, z), scatter3({x1, y1, z1}, {x2, y2, z2}), scatter3({'name1', x1, y1, z1}, ...)
function gnuplot.scatter3(...)
   if select('#', ...) == 0 then
      error('no inputs, expecting at least a matrix')
   end
   send(gnu_scatter3_string(curves({...}, getscatter3vars, 4)))
end

-- imagesc(x [, palette]): a matrix as an image
function gnuplot.imagesc(...)
   if select('#', ...) == 0 then
      error('no inputs, expecting at least a matrix')
   end
   send(gnu_imagesc_string(getimagescvars({...})))
end

-- bar(y), bar(x, y): plot with boxes
function gnuplot.bar(...)
   local args = {}
   for i = 1, select('#', ...) do
      args[#args + 1] = (select(i, ...))
   end
   args[#args + 1] = '|'
   gnuplot.plot(args)
end

-- hist(tensor [, bins] [, min] [, max]): histc, drawn as bars at the bins' centers
function gnuplot.hist(tensor, bins, min, max)
   local h = gnuplot.histc(tensor, bins, min, max)
   local centers = torch.Tensor(#h)
   for i = 1, #h do
      centers[i] = h[i].val
   end
   gnuplot.bar(centers, h.raw)
   return h
end

-- hist.lua: a histogram as a table of bins, printed as an ASCII chart
local function histc_tostring(h, barHeight)
   barHeight = barHeight or 10
   local nbins = #h
   local top = h[h.max].nb
   local step = top / (barHeight + 1)
   local level = top - step
   local started = {}
   local rule = '--------:'
   local out = {'nsamples:',
                string.format('  min:(bin:%d/#%d/cntr:%2.2f)  max:(bin:%d/#%d/cntr:%2.2f)\n',
                              h.min, h[h.min].nb, h[h.min].val, h.max, h[h.max].nb, h[h.max].val),
                rule, string.rep('-', nbins), '\n'}
   for _ = 1, barHeight do
      out[#out + 1] = string.format('%1.2e:', level)
      for j = 1, nbins do
         if started[j] then
            out[#out + 1] = '|'
         elseif h[j].nb < level then
            out[#out + 1] = ' '
         else
            -- the bar's top: how far into this band the count reaches, in thirds
            started[j] = true
            local p = (top - h[j].nb) / step
            out[#out + 1] = p > 0.66 and '|' or p > 0.33 and ':' or '.'
         end
      end
      out[#out + 1] = '\n'
      top = level
      level = level - step
   end
   out[#out + 1] = rule
   for j = 1, nbins do
      out[#out + 1] = (j - 2) % 6 == 0 and '^' or '-'
   end
   out[#out + 1] = '\ncenters '
   for j = 1, nbins do
      if (j - 2) % 6 == 0 then
         out[#out + 1] = (h[j].val < 0 and '-' or '+') ..
                         string.format('%1.2f ', math.abs(h[j].val))
      end
   end
   return table.concat(out)
end

-- histc(tensor [, nbins=72] [, min] [, max] [, raw]): torch.histc, and unless raw its bins
-- as {val = center, nb = count} with raw/bins/binwidth/max/min (argmax/argmin bins)
function gnuplot.histc(...)
   local args = {...}
   local tensor = args[1] or error('usage: gnuplot.histc (tensor [, nBins] [, min] [, max]')
   local bins = args[2] or 80 - 8
   local min = args[3] or tensor:min()
   local max = args[4] or tensor:max()
   local raw = args[5] or false
   local hist = torch.histc(tensor:double(), bins, min, max)
   if raw then return hist end
   -- keys set in the original's order (pairs follows it)
   local h = {}
   h.raw = hist
   local _, mx = torch.max(hist, 1)
   local _, mn = torch.min(hist, 1)
   h.bins = bins
   h.binwidth = (max - min) / bins
   for i = 1, bins do
      h[i] = {}
      h[i].val = min + (i - 0.5) * h.binwidth
      h[i].nb = hist[i]
   end
   h.max = mx[1]
   h.min = mn[1]
   return setmetatable(h, {__tostring = histc_tostring})
end

findgnuplot()
return gnuplot
