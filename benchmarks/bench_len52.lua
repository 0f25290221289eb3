-- `#` in a script under the LUA52COMPAT rewrite (compat/len52.py, compat/luajit.lua): each
-- `#e` becomes (__L52 and __L52(e) or #e), __L52 a local of the chunk. Run with the JIT on and
-- off; compare with TH_LEN52=0 (LuaJIT's own `#`) and across commits, CPU time, one BLAS thread:
--   OMP_NUM_THREADS=1 th benchmarks/bench_len52.lua [off]
-- Session 15 (noticed16), this machine, 3 runs each: globals __L52/__L52c (before) JIT
-- 0.065-0.068 s, interpreter 0.160-0.164 s; chunk locals (after) 0.066-0.068 s, 0.153-0.161 s.
if arg and arg[1] == 'off' then jit.off() end
local rounds = (arg and arg[1] == 'off') and 20000 or 200000
local ts = {}
for k = 1, 64 do local t = {} for i = 1, k do t[i] = i end ts[k] = t end
local s = 0
local c0 = os.clock()
for _ = 1, rounds do
   for k = 1, 64 do
      local t = ts[k]
      s = s + #t
      t[#t + 1] = 0
      t[#t] = nil
   end
end
print(string.format('%d x 64 x 3 lengths: %.3f s CPU', rounds, os.clock() - c0), s)
