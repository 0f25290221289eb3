-- views share storage: narrow/select/transpose/index tables/expand/view, writes through views.
require 'torch'
local results = {}
local t = torch.range(1, 12):resize(3, 4)
local n = t:narrow(2, 2, 2)
local s = t:select(1, 2)
local tt = t:t()
local e = torch.Tensor({1, 2, 3}):view(3, 1):expand(3, 4)
n:fill(0)
s[1] = -1
t[{3, {3, 4}}] = 9
results.t = t
results.n = n
results.s = s
results.tt_stride = tt:stride()
results.tt_contig = tt:isContiguous()
results.e = e
results.e_stride = e:stride()
results.sizes = #t
results.same_storage = t:storage() == n:storage()
results.row_neg = t[-1]
results.elem = t[{2, -1}]
results.unfold = torch.range(1, 5):unfold(1, 2, 1)
return results
