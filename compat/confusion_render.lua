-- optim.ConfusionMatrix's render, which Torch7 runs as ConfusionMatrix.lua's Lua code: the
-- normalised, sorted matrix, then the `image`/`qtwidget` packages draw it (without them,
-- require's error, as on a machine without Qt). Written for torch7py after
-- ConfusionMatrix.lua's render; the Python object keeps the state (mat, classes). Its sort
-- assigns the globals `_` and `order`, as the original's does (kept for parity).
local _note, PREFIX = ...  -- (pairs_order's note, the install prefix of Torch7's Lua files)
local M = {}

function M.render(self, sortmode, display, block, legendwidth)
   local counts = self.mat:double()
   local classes = self.classes
   sortmode = sortmode or 'score'
   block = block or 25
   legendwidth = legendwidth or 200
   display = display or false
   local n = #classes
   local diag = torch.FloatTensor(n)
   local freqs = torch.FloatTensor(n)
   local normed = counts:clone()
   local corrects, total = 0, 0
   for target = 1, n do
      freqs[target] = normed[target]:sum()
      corrects = corrects + normed[target][target]
      total = total + freqs[target]
      normed[target]:div(math.max(normed[target]:sum(), 1))
      diag[target] = normed[target][target]
   end
   local accuracy = corrects / total * 100
   local perclass, seen = 0, 0
   for target = 1, n do
      if normed[target]:sum() > 0 then
         perclass = perclass + diag[target]
         seen = seen + 1
      end
   end
   perclass = perclass / seen * 100
   freqs:div(counts:sum())
   if sortmode == 'score' then
      _, order = torch.sort(diag, 1, true)
   elseif sortmode == 'occurrence' then
      _, order = torch.sort(freqs, 1, true)
   else
      error(PREFIX .. 'optim/ConfusionMatrix.lua:296: '
            .. 'sort mode must be one of: score | occurrence', 0)
   end
   local picture = torch.zeros(n * block, n * block)
   for target = 1, n do
      for prediction = 1, n do
         picture[{{(target - 1) * block + 1, target * block},
                  {(prediction - 1) * block + 1, prediction * block}}] =
            normed[order[target]][order[prediction]]
      end
   end
   for target = 1, n do
      picture[{{target * block}, {}}] = 0.1
      picture[{{}, {target * block}}] = 0.1
   end
   require 'image'
   require 'qtwidget'
   require 'qttorch'
   error('optim.ConfusionMatrix:render: drawing with qtwidget is not supported by torch7py'
         .. string.format(' (accuracy %0.3f%%, per-class %0.3f%%, legend width %d, display %s)',
                          accuracy, perclass, legendwidth, tostring(display)))
end

return M
