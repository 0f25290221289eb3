"""Session 21's sweep sw21b: element access from Lua loops through bridge.lua's geometry
cache (t[i], t[{i, j}], s[i], t[i][j] with t[i]'s view made without Python, size/dim/nElement)
must print what the Python path printed, and what the original printed: every expectation
below is what the original Torch7 (/tmp/ref7/bin/th, LuaJIT 2.1.0-beta2) printed for the same
script, whose stores and reads go through warm caches (the second round, the rows of a matrix)
and through fresh tensors (the Python path) alike, and whose geometry changes between accesses
in every way a loop meets (resize, resizeAs, set, a storage's resize, views made before the
change, ops and nn modules resizing their results)."""
import ctypes

import numpy as np

import torch7py as torch
from torch7py import storage as _storage

from luatest import th_script


# -- stores convert as luaG_(checkreal) + the C cast: the same on every path ------------------

_CONV = """require 'torch'
local vals = {0, -1, 0.5, -0.5, 2.5, -1.5, 127.9, 128, 255, 256, 300, -129, 32768, 65536,
   2^31 - 1, 2^31, -2^31 - 1, 2^32 + 7, 2^53 + 2, 2^63, -2^63, 2^64, 1e300, -1e300, 1/0,
   -1/0, 0/0, -0.0, 1e-46, 3.5e38, 1e-320, 1/3}
for _, tn in ipairs({'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'}) do
   local T, S = torch[tn .. 'Tensor'], torch[tn .. 'Storage']
   local v, w, s = T(#vals):zero(), T(2, #vals):zero(), S(#vals):fill(0)
   local out, agree = {}, true
   for rep = 1, 2 do
      for i, x in ipairs(vals) do v[i] = x; s[i] = x; w[{2, i}] = x; w[1][i] = x end
   end
   for i, x in ipairs(vals) do
      local u = T(1); u[1] = x  -- one store into a fresh tensor
      local a = string.format('%.17g', v[i])
      for _, b in ipairs({s[i], w[{2, i}], w[1][i], u[1]}) do
         if string.format('%.17g', b) ~= a then agree = false end
      end
      out[i] = a
   end
   print(tn, agree, table.concat(out, ' '))
end
"""

_CONV_OUT = """Byte\ttrue\t0 255 0 0 2 255 127 128 255 0 44 127 0 0 255 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\t
Char\ttrue\t0 -1 0 0 2 -1 127 -128 -1 0 44 127 0 0 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\t
Short\ttrue\t0 -1 0 0 2 -1 127 128 255 256 300 -129 -32768 0 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\t
Int\ttrue\t0 -1 0 0 2 -1 127 128 255 256 300 -129 32768 65536 2147483647 -2147483648 -2147483648 -2147483648 -2147483648 -2147483648 -2147483648 -2147483648 -2147483648 -2147483648 -2147483648 -2147483648 -2147483648 0 0 -2147483648 0 0\t
Long\ttrue\t0 -1 0 0 2 -1 127 128 255 256 300 -129 32768 65536 2147483647 2147483648 -2147483649 4294967303 9007199254740994 -9.2233720368547758e+18 -9.2233720368547758e+18 -9.2233720368547758e+18 -9.2233720368547758e+18 -9.2233720368547758e+18 -9.2233720368547758e+18 -9.2233720368547758e+18 -9.2233720368547758e+18 0 0 -9.2233720368547758e+18 0 0\t
Float\ttrue\t0 -1 0.5 -0.5 2.5 -1.5 127.90000152587891 128 255 256 300 -129 32768 65536 2147483648 2147483648 -2147483648 4294967296 9007199254740992 9.2233720368547758e+18 -9.2233720368547758e+18 1.8446744073709552e+19 inf -inf inf -inf nan -0 0 inf 0 0.3333333432674408\t
Double\ttrue\t0 -1 0.5 -0.5 2.5 -1.5 127.90000000000001 128 255 256 300 -129 32768 65536 2147483647 2147483648 -2147483649 4294967303 9007199254740994 9.2233720368547758e+18 -9.2233720368547758e+18 1.8446744073709552e+19 1.0000000000000001e+300 -1.0000000000000001e+300 inf -inf nan -0 1e-46 3.5e+38 9.9998886718268301e-321 0.33333333333333331\t
"""


def test_stores_convert_alike_on_every_path(tmp_path):
    # `true`: the warm tensor, storage, table-key and row stores and a fresh tensor's store
    # printed the same; the values are the original's
    r = th_script(_CONV, tmp_path)
    assert r.stdout == _CONV_OUT, r.stderr


# -- geometry and memory that change between accesses --------------------------------------

_GEOM = """require 'torch'
require 'nn'
local function E(ok, m, ...) if ok then return 'ok', m, ... end return (tostring(m):gsub(' at /[^ ]*%.c:%d+', '')) end
local function row(t)
   local o = {}
   if t:dim() == 1 then for i = 1, t:size(1) do o[#o + 1] = t[i] end
   else for i = 1, t:size(1) do for j = 1, t:size(2) do o[#o + 1] = t[i][j] .. '|' .. t[{i, j}] end end end
   return t:dim() .. ':' .. t:nElement() .. ':' .. table.concat(o, ',')
end
local function warm(t) row(t); return row(t) end
local a = torch.range(1, 6):resize(2, 3); warm(a)
a:resize(3, 2); print(row(a))
a:resize(4, 4); a:narrow(1, 3, 2):fill(9); print(row(a))
local b = torch.range(10, 14); warm(b)
a:resizeAs(b); print(row(a))
a:set(b); warm(a); a[1] = 5; print(row(b))
a:set(b:storage(), 2, 3); print(row(a))
a:set(b:storage(), 2, torch.LongStorage{2, 2}, torch.LongStorage{1, 1}); print(row(a))
a:set(); print(a:dim(), a:nElement(), E(pcall(function() return a[1] end)))
a:set(b); warm(a); b:storage():resize(7); b:storage()[7] = 70
print(row(a), b:storage()[7], b:storage():size())
local s = b:storage(); warm(b); s:resize(3); print(s:size(), E(pcall(function() return s[4] end)))
local c = torch.range(1, 12):resize(3, 4); warm(c)
local r2, r3 = c[2], c[3]
c:resize(2, 6); print(row(r2), row(r3), row(c))
r2:fill(1); print(row(c))
c:set(torch.Tensor(2, 2):fill(4)); print(row(r2), row(c))
local c3 = torch.range(1, 12):resize(2, 3, 2)
local p, q = c3[2], c3[2][3]
c3:zero(); c3[2][3][2] = 42; print(row(p), row(q), p:storageOffset(), q:storageOffset())
c3:resize(4, 4, 4):fill(2); print(row(p), row(q))
local res = torch.Tensor(2):fill(1); warm(res)
torch.cat(res, torch.Tensor(2):fill(3), torch.Tensor(3):fill(4), 1); print(row(res))
torch.add(res, torch.Tensor(2, 2):fill(1), torch.Tensor(2, 2):fill(2)); print(row(res))
local lin = nn.Linear(3, 2); lin.weight:fill(1); lin.bias:fill(0)
local o = lin:forward(torch.ones(3)); warm(o)
lin:forward(torch.ones(4, 3)); print(row(o))
lin:forward(torch.ones(3):fill(2)); print(row(o))
local f = torch.FloatTensor(3):fill(1); warm(f)
local d = f:double(); f:resize(2, 2):fill(0.1); print(row(f), row(d))
local m = torch.range(1, 6):resize(2, 3); warm(m)
local r = m[1]
print(r[1], r[3], r:dim())
r:set(torch.range(7, 10)); print(r[1], r[4], r:size(1), r:nElement(), m[1][1])
warm(m); local r2 = m[2]; print(r2[2]); r2:resize(2, 2); print(r2[2][1], r2[{1, 2}], r2:dim(), m[2][1])
warm(m); local r3 = m[2]; print(r3:size(1)); r3:storage():resize(20); r3[1] = 100; print(r3[1], m[2][1], m:storage()[4])
"""

_GEOM_OUT = """2:6:1|1,2|2,3|3,4|4,5|5,6|6\t
2:16:1|1,2|2,3|3,4|4,5|5,6|6,0|0,0|0,9|9,9|9,9|9,9|9,9|9,9|9,9|9,9|9\t
1:5:1,2,3,4,5\t
1:5:5,11,12,13,14\t
1:3:11,12,13\t
2:4:11|11,12|12,12|12,13|13\t
0\t0\tbad argument #1 to '?' (empty tensor)\t
1:5:5,11,12,13,14\t70\t7\t
3\tbad argument #2 to '?' (out of bounds)\t
1:4:5,6,7,8\t1:4:9,10,11,12\t2:12:1|1,2|2,3|3,4|4,5|5,6|6,7|7,8|8,9|9,10|10,11|11,12|12\t
2:12:1|1,2|2,3|3,4|4,1|1,1|1,1|1,1|1,9|9,10|10,11|11,12|12\t
1:4:1,1,1,1\t2:4:4|4,4|4,4|4,4|4\t
2:6:0|0,0|0,0|0,0|0,0|0,42|42\t1:2:0,42\t7\t11\t
2:6:2|2,2|2,2|2,2|2,2|2,2|2\t1:2:2,2\t
1:5:3,3,4,4,4\t
2:4:3|3,3|3,3|3,3|3\t
2:8:3|3,3|3,3|3,3|3,3|3,3|3,3|3,3|3\t
1:2:6,6\t
2:4:0.10000000149012|0.10000000149012,0.10000000149012|0.10000000149012,0.10000000149012|0.10000000149012,0.10000000149012|0.10000000149012\t1:3:1,1,1\t
1\t3\t1\t
7\t10\t4\t4\t1\t
5\t
6\t5\t2\t4\t
3\t
100\t100\t100\t
"""


def test_cache_follows_every_change_of_geometry(tmp_path):
    r = th_script(_GEOM, tmp_path)
    assert r.stdout == _GEOM_OUT, r.stderr


# -- keys and calls the cache leaves to Python: the same errors ----------------------------

_IDX = """require 'torch'
local function E(ok, m, ...) if ok then return 'ok', m, ... end return (tostring(m):gsub(' at /[^ ]*%.c:%d+', '')) end
local v = torch.range(1, 5)
local t = torch.range(1, 12):resize(3, 4)
local s = v:storage()
for rep = 1, 2 do
   for _, k in ipairs({0, 6, -1, 1.5, 0/0, '2'}) do
      print(k, E(pcall(function() return v[k] end)), E(pcall(function() return s[k] end)),
            E(pcall(function() v[k] = 7 end)), E(pcall(function() s[k] = 8 end)))
   end
   for _, k in ipairs({{1, 5}, {0, 1}, {-1, -1}, {1.5, 2}, {'1', 2}, {1}}) do
      print(k[1], k[2], E(pcall(function() return t[k] end)))
   end
   print(E(pcall(function() return t:size(3) end)), E(pcall(function() return t:size(1.5) end)),
         E(pcall(function() return t:size('2') end)), E(pcall(function() return t.size(v, 1) end)))
   print(E(pcall(function() return t.dim(nil) end)), E(pcall(function() return s.size(v) end)),
         t:dim(), t:nElement(), s:size(), v:size(1), t:size(2), t:size():size())
   print(v:sum(), t:sum())
end
local z = torch.Tensor(torch.Storage(3):fill(1), 1)
for rep = 1, 3 do
   print(z:dim(), z:nElement(), E(pcall(function() return z[1] end)), E(pcall(function() z[1] = 2 end)),
         E(pcall(function() return z[{1}] end)), E(pcall(function() return z:size(1) end)))
end
"""

_IDX_OUT = """0\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\t
6\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\t
-1\tok\tbad argument #2 to '?' (out of bounds)\tok\tbad argument #2 to '?' (out of bounds)\t
1.5\tok\tok\tok\tok\tnil\t
nan\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\t
2\tok\tok\tok\tok\tnil\t
1\t5\tbad argument #2 to '?' (index out of bound)\t
0\t1\tbad argument #2 to '?' (index out of bound)\t
-1\t-1\tok\t12\t
1.5\t2\tok\t2\t
1\t2\tok\t2\t
1\tnil\tok\t 1
 2
 3
 4
[torch.DoubleTensor of size 4]

bad argument #2 to '?' (dimension 3 out of range of 2D tensor)\tok\tok\tok\t5\t
bad argument #1 to '?' (torch.DoubleTensor expected, got boolean)\tbad argument #1 to '?' (torch.DoubleStorage expected, got torch.DoubleTensor)\t2\t12\t5\t5\t4\t2\t
30\t78\t
0\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\t
6\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\t
-1\tok\tbad argument #2 to '?' (out of bounds)\tok\tbad argument #2 to '?' (out of bounds)\t
1.5\tok\tok\tok\tok\tnil\t
nan\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of bounds)\t
2\tok\tok\tok\tok\tnil\t
1\t5\tbad argument #2 to '?' (index out of bound)\t
0\t1\tbad argument #2 to '?' (index out of bound)\t
-1\t-1\tok\t12\t
1.5\t2\tok\t2\t
1\t2\tok\t2\t
1\tnil\tok\t 1
 2
 3
 4
[torch.DoubleTensor of size 4]

bad argument #2 to '?' (dimension 3 out of range of 2D tensor)\tok\tok\tok\t5\t
bad argument #1 to '?' (torch.DoubleTensor expected, got boolean)\tbad argument #1 to '?' (torch.DoubleStorage expected, got torch.DoubleTensor)\t2\t12\t5\t5\t4\t2\t
30\t78\t
0\t0\tbad argument #1 to '?' (empty tensor)\tbad argument #1 to '?' (empty tensor)\tbad argument #2 to '?' (too many indices provided)\tbad argument #2 to '?' (dimension 1 out of range of 0D tensor)\t
0\t0\tbad argument #1 to '?' (empty tensor)\tbad argument #1 to '?' (empty tensor)\tbad argument #2 to '?' (too many indices provided)\tbad argument #2 to '?' (dimension 1 out of range of 0D tensor)\t
0\t0\tbad argument #1 to '?' (empty tensor)\tbad argument #1 to '?' (empty tensor)\tbad argument #2 to '?' (too many indices provided)\tbad argument #2 to '?' (dimension 1 out of range of 0D tensor)\t
"""


def test_out_of_range_and_odd_keys_fail_as_before(tmp_path):
    r = th_script(_IDX, tmp_path)
    assert r.stdout == _IDX_OUT, r.stderr


# -- narrow and select made in Lua (views of the cached geometry) --------------------------

_VIEWS = """require 'torch'
local function E(ok, m, ...) if ok then return 'ok', m, ... end return (tostring(m):gsub(' at /[^ ]*%.c:%d+', '')) end
local function show(...) local t = {...}; for i = 1, select('#', ...) do local x = t[i]
   if torch.isTensor(x) then t[i] = torch.typename(x) .. '(' .. table.concat(x:size():totable(), 'x') .. ')' .. (x:dim() > 0 and (' ' .. x:sum()) or '') .. ' @' .. x:storageOffset() .. ' ' .. table.concat(x:stride():totable(), ',') else t[i] = tostring(x) end end
   return table.concat(t, ' ', 1, select('#', ...)) end
local t = torch.IntTensor(3, 4, 5):copy(torch.range(1, 60))
local tt = t:transpose(1, 3)
local v = torch.FloatTensor(7):copy(torch.range(1, 7))
for rep = 1, 3 do
   for _, a in ipairs({{1, 2, 2}, {2, 4, 1}, {3, 3, 3}, {0, 1, 1}, {4, 1, 1}, {1, 0, 1}, {1, 3, 2}, {1, 1, 0}, {1.5, 1, 1}, {1, '2', 1}}) do
      local d, k, n = a[1], a[2], a[3]
      print(d, k, n, show(E(pcall(function() return t:narrow(d, k, n) end))), show(E(pcall(function() return tt:narrow(d, k, n) end))),
            show(E(pcall(function() return v:narrow(d, k, n) end))))
      print(d, k, show(E(pcall(function() return t:select(d, k) end))), show(E(pcall(function() return tt:select(d, k) end))),
            show(E(pcall(function() return v:select(d, k) end))))
   end
   local n = t:narrow(2, 2, 2); n:fill(rep)
   local s = t:select(3, 5); s[2][3] = -rep
   local m = n:narrow(3, 2, 3):select(1, 2)
   print(t[1][2][1], t[2][3][5], show(m), m[1][2], m[{2, 3}], show(t:narrow(1, 1, 2, 9)), show(E(pcall(function() return t:narrow(1, 1) end))))
   local r = t:select(1, 3); local q = r:narrow(1, 2, 2)
   t:resize(2, 2):fill(7); print(show(r), show(q), q[1][1], show(t))
   r:set(torch.IntTensor(3):fill(5)); print(show(r), r[3], show(q))
   t = torch.IntTensor(3, 4, 5):copy(torch.range(1, 60))
end
local u = torch.Tensor(6):copy(torch.range(1, 6)):unfold(1, 2, 1)
print(show(u), show(u:narrow(1, 2, 3)), show(u:select(2, 2)), show(torch.Tensor(3, 1):fill(2):expand(3, 4):narrow(2, 2, 2)))
"""

_VIEWS_OUT = """1\t2\t2\tok torch.IntTensor(2x4x5) 1620 @21 20,5,1\tok torch.IntTensor(2x4x3) 720 @2 1,5,20\tok torch.FloatTensor(2) 5 @2 1\t
1\t2\tok torch.IntTensor(4x5) 610 @21 5,1\tok torch.IntTensor(4x3) 354 @2 5,20\tok 2\t
2\t4\t1\tok torch.IntTensor(3x1x5) 570 @16 20,5,1\tok torch.IntTensor(5x1x3) 570 @16 1,5,20\tbad argument #2 to '?' (out of range)\t
2\t4\tok torch.IntTensor(3x5) 570 @16 20,1\tok torch.IntTensor(5x3) 570 @16 1,20\tok 4\t
3\t3\t3\tok torch.IntTensor(3x4x3) 1134 @3 20,5,1\tbad argument #4 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
3\t3\tok torch.IntTensor(3x4) 366 @3 20,5\tok torch.IntTensor(5x4) 1010 @41 1,5\tok 3\t
0\t1\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
0\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tok 1\t
4\t1\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
4\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tok 1\t
1\t0\t1\tbad argument #3 to '?' (out of range)\tbad argument #3 to '?' (out of range)\tbad argument #3 to '?' (out of range)\t
1\t0\tbad argument #3 to '?' (out of range)\tbad argument #3 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
1\t3\t2\tbad argument #4 to '?' (out of range)\tok torch.IntTensor(2x4x3) 744 @3 1,5,20\tok torch.FloatTensor(2) 7 @3 1\t
1\t3\tok torch.IntTensor(4x5) 1010 @41 5,1\tok torch.IntTensor(4x3) 366 @3 5,20\tok 3\t
1\t1\t0\tbad argument #4 to '?' (out of range)\tbad argument #4 to '?' (out of range)\tbad argument #4 to '?' (out of range)\t
1\t1\tok torch.IntTensor(4x5) 210 @1 5,1\tok torch.IntTensor(4x3) 342 @1 5,20\tok 1\t
1.5\t1\t1\tok torch.IntTensor(1x4x5) 210 @1 20,5,1\tok torch.IntTensor(1x4x3) 342 @1 1,5,20\tok torch.FloatTensor(1) 1 @1 1\t
1.5\t1\tok torch.IntTensor(4x5) 210 @1 5,1\tok torch.IntTensor(4x3) 342 @1 5,20\tok 1\t
1\t2\t1\tok torch.IntTensor(1x4x5) 610 @21 20,5,1\tok torch.IntTensor(1x4x3) 354 @2 1,5,20\tok torch.FloatTensor(1) 2 @2 1\t
1\t2\tok torch.IntTensor(4x5) 610 @21 5,1\tok torch.IntTensor(4x3) 354 @2 5,20\tok 2\t
1\t-1\ttorch.IntTensor(2x3) 6 @27 5,1\t1\t1\ttorch.IntTensor(2x4x5) 428 @1 20,5,1\tbad argument #4 to '?' (number expected, got no value)\t
torch.IntTensor(4x5) 515 @41 5,1\ttorch.IntTensor(2x5) 10 @46 5,1\t1\ttorch.IntTensor(2x2) 28 @1 2,1\t
torch.IntTensor(3) 15 @1 1\t5\ttorch.IntTensor(2x5) 10 @46 5,1\t
1\t2\t2\tok torch.IntTensor(2x4x5) 1620 @21 20,5,1\tok torch.IntTensor(2x4x3) 381 @2 1,5,20\tok torch.FloatTensor(2) 5 @2 1\t
1\t2\tok torch.IntTensor(4x5) 610 @21 5,1\tok torch.IntTensor(4x3) 188 @2 5,20\tok 2\t
2\t4\t1\tok torch.IntTensor(3x1x5) 570 @16 20,5,1\tok torch.IntTensor(5x1x3) 570 @16 1,5,20\tbad argument #2 to '?' (out of range)\t
2\t4\tok torch.IntTensor(3x5) 570 @16 20,1\tok torch.IntTensor(5x3) 570 @16 1,20\tok 4\t
3\t3\t3\tok torch.IntTensor(3x4x3) 1134 @3 20,5,1\tbad argument #4 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
3\t3\tok torch.IntTensor(3x4) 366 @3 20,5\tok torch.IntTensor(5x4) 515 @41 1,5\tok 3\t
0\t1\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
0\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tok 1\t
4\t1\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
4\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tok 1\t
1\t0\t1\tbad argument #3 to '?' (out of range)\tbad argument #3 to '?' (out of range)\tbad argument #3 to '?' (out of range)\t
1\t0\tbad argument #3 to '?' (out of range)\tbad argument #3 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
1\t3\t2\tbad argument #4 to '?' (out of range)\tok torch.IntTensor(2x4x3) 391 @3 1,5,20\tok torch.FloatTensor(2) 7 @3 1\t
1\t3\tok torch.IntTensor(4x5) 1010 @41 5,1\tok torch.IntTensor(4x3) 193 @3 5,20\tok 3\t
1\t1\t0\tbad argument #4 to '?' (out of range)\tbad argument #4 to '?' (out of range)\tbad argument #4 to '?' (out of range)\t
1\t1\tok torch.IntTensor(4x5) 210 @1 5,1\tok torch.IntTensor(4x3) 183 @1 5,20\tok 1\t
1.5\t1\t1\tok torch.IntTensor(1x4x5) 210 @1 20,5,1\tok torch.IntTensor(1x4x3) 183 @1 1,5,20\tok torch.FloatTensor(1) 1 @1 1\t
1.5\t1\tok torch.IntTensor(4x5) 210 @1 5,1\tok torch.IntTensor(4x3) 183 @1 5,20\tok 1\t
1\t2\t1\tok torch.IntTensor(1x4x5) 610 @21 20,5,1\tok torch.IntTensor(1x4x3) 188 @2 1,5,20\tok torch.FloatTensor(1) 2 @2 1\t
1\t2\tok torch.IntTensor(4x5) 610 @21 5,1\tok torch.IntTensor(4x3) 188 @2 5,20\tok 2\t
2\t-2\ttorch.IntTensor(2x3) 12 @27 5,1\t2\t2\ttorch.IntTensor(2x4x5) 446 @1 20,5,1\tbad argument #4 to '?' (number expected, got no value)\t
torch.IntTensor(4x5) 525 @41 5,1\ttorch.IntTensor(2x5) 20 @46 5,1\t2\ttorch.IntTensor(2x2) 28 @1 2,1\t
torch.IntTensor(3) 15 @1 1\t5\ttorch.IntTensor(2x5) 20 @46 5,1\t
1\t2\t2\tok torch.IntTensor(2x4x5) 1620 @21 20,5,1\tok torch.IntTensor(2x4x3) 381 @2 1,5,20\tok torch.FloatTensor(2) 5 @2 1\t
1\t2\tok torch.IntTensor(4x5) 610 @21 5,1\tok torch.IntTensor(4x3) 188 @2 5,20\tok 2\t
2\t4\t1\tok torch.IntTensor(3x1x5) 570 @16 20,5,1\tok torch.IntTensor(5x1x3) 570 @16 1,5,20\tbad argument #2 to '?' (out of range)\t
2\t4\tok torch.IntTensor(3x5) 570 @16 20,1\tok torch.IntTensor(5x3) 570 @16 1,20\tok 4\t
3\t3\t3\tok torch.IntTensor(3x4x3) 1134 @3 20,5,1\tbad argument #4 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
3\t3\tok torch.IntTensor(3x4) 366 @3 20,5\tok torch.IntTensor(5x4) 515 @41 1,5\tok 3\t
0\t1\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
0\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tok 1\t
4\t1\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
4\t1\tbad argument #2 to '?' (out of range)\tbad argument #2 to '?' (out of range)\tok 1\t
1\t0\t1\tbad argument #3 to '?' (out of range)\tbad argument #3 to '?' (out of range)\tbad argument #3 to '?' (out of range)\t
1\t0\tbad argument #3 to '?' (out of range)\tbad argument #3 to '?' (out of range)\tbad argument #2 to '?' (out of range)\t
1\t3\t2\tbad argument #4 to '?' (out of range)\tok torch.IntTensor(2x4x3) 391 @3 1,5,20\tok torch.FloatTensor(2) 7 @3 1\t
1\t3\tok torch.IntTensor(4x5) 1010 @41 5,1\tok torch.IntTensor(4x3) 193 @3 5,20\tok 3\t
1\t1\t0\tbad argument #4 to '?' (out of range)\tbad argument #4 to '?' (out of range)\tbad argument #4 to '?' (out of range)\t
1\t1\tok torch.IntTensor(4x5) 210 @1 5,1\tok torch.IntTensor(4x3) 183 @1 5,20\tok 1\t
1.5\t1\t1\tok torch.IntTensor(1x4x5) 210 @1 20,5,1\tok torch.IntTensor(1x4x3) 183 @1 1,5,20\tok torch.FloatTensor(1) 1 @1 1\t
1.5\t1\tok torch.IntTensor(4x5) 210 @1 5,1\tok torch.IntTensor(4x3) 183 @1 5,20\tok 1\t
1\t2\t1\tok torch.IntTensor(1x4x5) 610 @21 20,5,1\tok torch.IntTensor(1x4x3) 188 @2 1,5,20\tok torch.FloatTensor(1) 2 @2 1\t
1\t2\tok torch.IntTensor(4x5) 610 @21 5,1\tok torch.IntTensor(4x3) 188 @2 5,20\tok 2\t
3\t-3\ttorch.IntTensor(2x3) 18 @27 5,1\t3\t3\ttorch.IntTensor(2x4x5) 464 @1 20,5,1\tbad argument #4 to '?' (number expected, got no value)\t
torch.IntTensor(4x5) 535 @41 5,1\ttorch.IntTensor(2x5) 30 @46 5,1\t3\ttorch.IntTensor(2x2) 28 @1 2,1\t
torch.IntTensor(3) 15 @1 1\t5\ttorch.IntTensor(2x5) 30 @46 5,1\t
torch.DoubleTensor(5x2) 35 @1 1,1\ttorch.DoubleTensor(3x2) 21 @2 1,1\ttorch.DoubleTensor(5) 20 @2 1\ttorch.DoubleTensor(3x2) 12 @1 1,0\t
"""


def test_narrow_and_select_views_and_their_errors(tmp_path):
    # in range: the view made from the cache (its Python tensor made when needed), else the
    # Python method's errors; views made before a resize or set of their tensor keep its
    # storage, as Tensor.c's do
    r = th_script(_VIEWS, tmp_path)
    assert r.stdout == _VIEWS_OUT, r.stderr


# -- the epoch (library level) --------------------------------------------------------------

def _epoch_after(f, watched):
    _storage.GEOM_WATCHED.update(id(o) for o in watched)
    e = _storage.GEOM_EPOCH.value
    f()
    return _storage.GEOM_EPOCH.value - e


def test_epoch_moves_on_changes_of_watched_objects_only():
    t = torch.DoubleTensor(2, 3)
    st = t.storage()
    assert _epoch_after(lambda: t.resize(3, 2), [t]) == 1
    assert not _storage.GEOM_WATCHED  # (cleared: every cache is stale)
    assert _epoch_after(lambda: t.resize(3, 2), [t]) == 0  # the same sizes: no change
    assert _epoch_after(lambda: t.set(torch.DoubleTensor(4)), [t]) == 1
    assert _epoch_after(lambda: t.resizeAs(torch.DoubleTensor(5, 5)), [t]) == 1
    assert _epoch_after(lambda: st.resize(100), [st]) == 1
    assert _epoch_after(lambda: torch.DoubleTensor(7).resize(8), [t, st]) == 0
    u = torch.DoubleTensor(2)
    assert _epoch_after(lambda: u.storage().resize(9), [u.storage()]) == 1
    c = torch.CharStorage(3)
    assert _epoch_after(lambda: c.string("abcd"), [c]) == 1
    # the address Lua reads the epoch at
    assert ctypes.c_double.from_address(ctypes.addressof(_storage.GEOM_EPOCH)).value == \
        _storage.GEOM_EPOCH.value


def test_geom_hands_out_the_element_address():
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    rt.execute("require 'torch'; t = torch.range(1, 12):resize(3, 4):t()")
    t = rt.execute("return t")
    rt.execute("_ = t[1]; _ = t[1]; _ = t[{1, 2}]")  # filled at the second sight
    assert id(t) in _storage.GEOM_WATCHED and id(t.storage()) in _storage.GEOM_WATCHED
    a = t.numpy()
    assert rt.execute("return t[2][3], t[{3, 2}]") == (a[1, 2], a[2, 1])
    t.resize(2, 2).fill(5)  # from Python
    assert not _storage.GEOM_WATCHED
    assert rt.execute("return t[2][2], t:size(1), t:nElement()") == (5, 2, 4)
    assert np.array_equal(t.numpy(), [[5, 5], [5, 5]])


def test_a_tensor_resized_at_every_step_stays_with_python():
    # (our mechanism, no output of the original's: what it costs) a fill that served fewer
    # than 4 accesses before the epoch moved makes the next wait for twice the sights, so a
    # loop that resizes a tensor and indexes it once or twice a step fills it rarely: the
    # epoch moves only when a filled object changes
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    rt.execute("require 'torch'; u = torch.zeros(10)")
    e = _storage.GEOM_EPOCH.value
    rt.execute("for i = 1, 3000 do u:resize(10 + i % 2); u[1] = u[1] + 1 end")
    assert _storage.GEOM_EPOCH.value - e < 30
    assert rt.execute("return u[1]") == 3000
    # while a tensor indexed often between changes is filled at every change
    rt.execute("v = torch.zeros(100)")
    e = _storage.GEOM_EPOCH.value
    rt.execute("for i = 1, 50 do v:resize(100 + i % 2); for j = 1, 100 do v[j] = v[j] + 1 end end")
    assert _storage.GEOM_EPOCH.value - e >= 40
    assert rt.execute("return v[1], v[100], v:sum()") == (50, 50, 5000)


def test_watched_ids_stay_bounded():
    # (our mechanism) tensors made and filled in a loop never changed leave their ids in
    # GEOM_WATCHED: past 65536 ids a fill starts the set again (the epoch moves, every cache
    # refills)
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    rt.execute("require 'torch'; x = torch.zeros(3)")
    _storage.GEOM_WATCHED.update(range(-70000, 0))  # (no object has a negative id)
    e = _storage.GEOM_EPOCH.value
    rt.execute("x[1] = 1; x[2] = x[1]; x[3] = x[2]")
    assert _storage.GEOM_EPOCH.value == e + 1
    assert len(_storage.GEOM_WATCHED) == 2  # x and its storage
    assert rt.execute("return x:sum()") == 3


def test_init_of_a_new_object_at_a_dead_ones_id():
    # (our mechanism) a new tensor or storage whose id a dead watched object had forgets the
    # id (no cache can know the new object); __init__ of an existing watched one (its slots
    # set) moves the epoch on
    t = torch.DoubleTensor.__new__(torch.DoubleTensor)
    _storage.GEOM_WATCHED.add(id(t))
    e = _storage.GEOM_EPOCH.value
    t.__init__(3)
    assert _storage.GEOM_EPOCH.value == e and id(t) not in _storage.GEOM_WATCHED
    _storage.GEOM_WATCHED.add(id(t))
    t.__init__(4)
    assert _storage.GEOM_EPOCH.value == e + 1 and t.size(1) == 4
    s = torch.FloatStorage.__new__(torch.FloatStorage)
    _storage.GEOM_WATCHED.add(id(s))
    s.__init__(2)
    assert _storage.GEOM_EPOCH.value == e + 1 and id(s) not in _storage.GEOM_WATCHED
    _storage.GEOM_WATCHED.add(id(s))
    s.__init__(5)
    assert _storage.GEOM_EPOCH.value == e + 2 and s.size() == 5
