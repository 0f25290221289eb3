"""Memory of a long Lua training loop through th (issue 17): RSS after 1k, 10k and 100k steps,
with torch.setheaptracking on (th's default, as trepl) and off.

Run: .venv/bin/python benchmarks/bench_heap.py [--steps 100000] [--off]
Each setting runs in its own th process (one BLAS thread); the loop is a small MLP step on a
fresh random batch (zeroGradParameters, forward, ClassNLLCriterion, backward,
updateParameters), so every step leaves garbage tensors that only Lua proxies hold.
"""
import argparse
import os
import subprocess
import sys
import tempfile

LOOP = r"""
require 'nn'
torch.setheaptracking(%s)
local n = %d
torch.manualSeed(1)
local net = nn.Sequential():add(nn.Linear(50, 100)):add(nn.Tanh()):add(nn.Linear(100, 2))
net:add(nn.LogSoftMax())
local crit = nn.ClassNLLCriterion()
local function rss()
   local f = io.open('/proc/self/status'); local s = f:read('*a'); f:close()
   return tonumber(s:match('VmRSS:%%s*(%%d+)')) / 1024
end
local t0 = os.clock()
for i = 1, n do
   local x = torch.randn(32, 50)
   local y = torch.LongTensor(32):random(1, 2)
   net:zeroGradParameters()
   local out = net:forward(x)
   crit:forward(out, y)
   net:backward(x, crit:backward(out, y))
   net:updateParameters(0.01)
   if i == 1000 or i == 10000 or i == 100000 or i == n then
      print(string.format('%%7d steps  RSS %%6.1f MB  CPU %%6.1f s', i, rss(), os.clock() - t0))
   end
end
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=100000)
    ap.add_argument("--off", action="store_true", help="also run with heap tracking off")
    args = ap.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    th = [sys.executable, "-c", "import sys; from compat.th import main; sys.exit(main())"]
    for on in (["true", "false"] if args.off else ["true"]):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(LOOP % (on, args.steps))
        print("heap tracking %s:" % ("on" if on == "true" else "off"), flush=True)
        try:
            subprocess.run(th + [f.name], env=env, check=True)
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    main()
