-- torch.save/load round trips (binary and ascii) of tensors, views, tables and a model; sharing
-- survives.
require 'nn'
local results = {}
local tmp = os.tmpname()
torch.manualSeed(2)
local base = torch.range(1, 6)
local obj = {a = base, b = base:narrow(1, 2, 3), n = 4.5, s = 'str', flag = true,
             list = {1, 2, 3}, model = nn.Linear(2, 2)}
for _, mode in ipairs({'binary', 'ascii'}) do
   torch.save(tmp, obj, mode)
   local o = torch.load(tmp, mode)
   results[mode] = {b = o.b, shared = o.a:storage() == o.b:storage(), n = o.n, s = o.s,
                    flag = o.flag, list = o.list, weight = o.model.weight,
                    type = torch.type(o.model)}
end
os.remove(tmp)
local s = torch.serialize(torch.LongTensor({1, -2}))
results.serialize_len = #s
results.roundtrip = torch.deserialize(s)
return results
