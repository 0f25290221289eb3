-- optim.Logger's methods that Torch7 runs as Logger.lua's Lua code through other packages:
-- plot draws with the gnuplot package (compat/gnuplot.lua, as the original's figure, plot, eps
-- file and their errors: 'Gnuplot terminal is not set' on a machine without gnuplot), where
-- torch7py's Python Logger draws a PNG with matplotlib. Written for torch7py after
-- Logger.lua's plot; the Python object keeps the state (symbols, styles, figure, warned).
local M = {}

function M.plot(self, ...)
   local xlua = require 'xlua'
   if not xlua.require('gnuplot') then
      if not self.warned then
         print('<Logger> warning: cannot plot with this version of Torch')
         self.warned = true
      end
      return
   end
   local plotit = false
   local plots = {}
   local names, styles = self.names, self.styles
   local function plotsymbol(name, list)
      if #list > 1 then
         local nelts = #list
         local plot_y = torch.Tensor(nelts)
         for i = 1, nelts do
            plot_y[i] = list[i]
         end
         for _, style in ipairs(styles[name]) do
            table.insert(plots, {names[name], plot_y, style})
         end
         plotit = true
      end
   end
   local args = {...}
   local symbols = self.symbols
   if not args[1] then  -- every symbol
      for name, list in pairs(symbols) do
         plotsymbol(name, list)
      end
   else  -- the symbols named
      local idx = self.idx
      for _, name in ipairs(args) do
         plotsymbol(idx[name], symbols[idx[name]])
      end
   end
   if plotit then
      local title = '<Logger::' .. self.name .. '>'
      if self.showPlot then
         self.figure = gnuplot.figure(self.figure)
         if self.logscale then gnuplot.logscale('on') end
         gnuplot.plot(plots)
         if self.plotRawCmd then gnuplot.raw(self.plotRawCmd) end
         gnuplot.grid('on')
         gnuplot.title(title)
      end
      local epsfile = self.epsfile
      if epsfile then
         os.execute('rm -f "' .. epsfile .. '"')
         local epsfig = gnuplot.epsfigure(epsfile)
         if self.logscale then gnuplot.logscale('on') end
         gnuplot.plot(plots)
         if self.plotRawCmd then gnuplot.raw(self.plotRawCmd) end
         gnuplot.grid('on')
         gnuplot.title(title)
         gnuplot.plotflush()
         gnuplot.close(epsfig)
      end
   end
end

return M
