"""Fuzzing of the .t7 loaders: mutated and truncated files through the Python loader and through
`th`'s torch.load, each in a child process so that a crash or a hang is counted, not fatal.

    python tests/fuzz/harness.py --target python --n 100000        # the long run, by hand
    python tests/fuzz/harness.py --target th --n 100000 --seed 7

Every input gets one outcome: `ok` (it loaded), `loader` (the loader's own error), `other:<kind>`
(any other error: a bug), `crash:<signal>` (the child died) or `hang` (no answer within the time
limit). The run prints the count of each and exits 1 when anything but ok/loader happened.
Inputs are made by hypothesis from seed files (written by torch7py itself, plus the files of
../shared/parity/t7 when that folder exists): bit flips, interesting 32-bit values at 4-byte
positions, byte runs, truncations and duplicated spans.
"""
import argparse
import collections
import os
import select
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED_T7 = os.path.join(ROOT, "..", "shared", "parity", "t7")

INTERESTING_INTS = [0, 1, 2, 3, 4, 5, 7, 8, 65, 255, 256, 4096, 65535, 1 << 20, 1 << 30,
                    (1 << 31) - 1, -1, -2, -(1 << 31)]

PY_WORKER = r"""
import sys
import torch7py as torch
from torch7py.serialization import SerializationError
for line in sys.stdin:
    path = line.rstrip("\n")
    try:
        torch.load(path, "ascii" if path.endswith(".ascii") else "binary")
        out = "ok"
    except SerializationError:
        out = "loader"
    except RecursionError:
        out = "other:RecursionError"
    except Exception as e:  # a bug: anything but the loader's error
        out = "other:%s:%s" % (type(e).__name__, str(e).replace("\n", " ")[:200])
    sys.stdout.write(out + "\n")
    sys.stdout.flush()
"""

TH_WORKER = r"""
while true do
  local path = io.read('*l')
  if not path then break end
  local fmt = path:match('%.ascii$') and 'ascii' or 'binary'
  local ok, err = pcall(torch.load, path, fmt)
  local out
  if ok then
    out = 'ok'
  else
    err = tostring(err)
    -- the loader's located errors, and THFile's own text for a short read (Torch7's), and
    -- File.lua's for a type index it does not know; File.lua's errors carry its line there
    -- (readObject's reads: 259, 375...; torch.load's call: 409)
    local msg = err:gsub('^/usr/local/share/lua/5%.1/torch/File%.lua:%d+: ', '')
    if err:find('cannot read ', 1, true) or err:find('cannot open ', 1, true)
       or msg:match('^read error: read %d+ blocks instead of %d+$')
       or msg == 'unknown object' or msg == 'table index is nil'
    then
      out = 'loader'
    else
      out = 'other:' .. err:gsub('\n', ' '):sub(1, 200)
    end
  end
  io.write(out, '\n')
  io.flush()
end
"""


class Worker:
    """A child process that loads the files it is given, one outcome line per file."""

    def __init__(self, target, workdir, timeout):
        self.target, self.workdir, self.timeout = target, workdir, timeout
        self.proc = None

    def _start(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        if self.target == "python":
            cmd = [sys.executable, "-c", PY_WORKER]
        else:
            script = os.path.join(self.workdir, "worker.lua")
            with open(script, "w") as f:
                f.write(TH_WORKER)
            cmd = [sys.executable, "-c", "import sys; from compat.th import main; "
                   "sys.argv = ['th', %r]; sys.exit(main())" % script]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=self.workdir, env=env,
                                     text=True, bufsize=1)

    def run(self, path):
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        try:
            self.proc.stdin.write(path + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return self._died()
        ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
        if not ready:
            self.close()
            return "hang"
        line = self.proc.stdout.readline()
        if not line:
            return self._died()
        return line.rstrip("\n")

    def _died(self):
        rc = self.proc.wait()
        self.proc = None
        return "crash:%s" % (-rc if rc < 0 else "exit %d" % rc)

    def close(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def make_seeds(folder, target):
    """Seed files: objects of every kind torch7py writes, in both formats, and the files that
    the original Torch7 wrote (../shared/parity/t7) when they are there."""
    sys.path.insert(0, ROOT)
    import numpy as np

    import torch7py as torch
    from torch7py import nn

    torch.manualSeed(1)
    t = torch.randn(3, 4)
    mlp = nn.Sequential().add(nn.Linear(4, 3)).add(nn.Tanh()).add(nn.Linear(3, 2))
    objects = {
        "tensor": t,
        "views": {"a": t, "b": t.narrow(1, 2, 2), "c": t.t()},
        "types": [torch.FloatTensor(2, 2).fill(1.5), torch.LongTensor([1, 2, 3]),
                  torch.ByteTensor([7, 8]), torch.IntTensor(2).fill(-3),
                  torch.CharStorage([1, 2]), torch.ShortTensor(1).fill(9)],
        "strings": {"s": "text", "n": 3.25, "b": True, "list": [1, 2, [3, "x"]]},
        "mlp": mlp,
        "conv": nn.Sequential().add(nn.SpatialConvolution(1, 2, 3, 3))
                               .add(nn.SpatialBatchNormalization(2)).add(nn.ReLU()),
        "generator": torch.Generator(),
        "shared": [t, t, {"again": t}],
        "empty": [torch.Tensor(), {}, ""],
        "big": torch.DoubleTensor(torch.DoubleStorage(np.arange(3000, dtype=np.float64))),
    }
    seeds = []
    for name, obj in objects.items():
        for fmt in ("binary", "ascii"):
            path = os.path.join(folder, "seed_%s.%s" % (name, fmt))
            torch.save(path, obj, fmt)
            seeds.append(path)
    if os.path.isdir(SHARED_T7):
        for name in sorted(os.listdir(SHARED_T7)):
            if name.endswith(".t7"):
                fmt = "ascii" if "ascii" in name else "binary"
                with open(os.path.join(SHARED_T7, name), "rb") as f:
                    data = f.read()
                path = os.path.join(folder, "seed_orig_%s.%s" % (name[:-3], fmt))
                with open(path, "wb") as f:
                    f.write(data)
                seeds.append(path)
    return [(p, open(p, "rb").read()) for p in seeds]


def mutation_strategy(n_seeds):
    from hypothesis import strategies as st

    op = st.one_of(
        st.tuples(st.just("flip"), st.floats(0, 1, exclude_max=True), st.integers(0, 7)),
        st.tuples(st.just("int"), st.floats(0, 1, exclude_max=True),
                  st.sampled_from(INTERESTING_INTS)),
        st.tuples(st.just("bytes"), st.floats(0, 1, exclude_max=True),
                  st.binary(min_size=1, max_size=8)),
        st.tuples(st.just("truncate"), st.floats(0, 1, exclude_max=True), st.just(0)),
        st.tuples(st.just("dup"), st.floats(0, 1, exclude_max=True), st.integers(1, 64)),
        st.tuples(st.just("digits"), st.floats(0, 1, exclude_max=True),
                  st.sampled_from([b"1099511627776", b"-1", b"99999999999", b"65", b"nan"])),
    )
    return st.tuples(st.integers(0, n_seeds - 1), st.lists(op, min_size=1, max_size=4))


def mutate(data, ops):
    data = bytearray(data)
    for kind, where, arg in ops:
        if not data:
            break
        i = int(where * len(data))
        if kind == "flip":
            data[i] ^= 1 << arg
        elif kind == "int":
            i -= i % 4
            data[i:i + 4] = (arg & 0xFFFFFFFF).to_bytes(4, "little")
        elif kind == "bytes":
            data[i:i + len(arg)] = arg
        elif kind == "truncate":
            del data[i:]
        elif kind == "dup":
            data[i:i] = data[i:i + arg]
        elif kind == "digits":
            data[i:i + len(arg)] = arg
    return bytes(data)


def fuzz(target, n, seed=0, timeout=20.0, workdir=None, log=None):
    """Run n mutated inputs through `target`; return a Counter of outcomes and the first
    example of each bad outcome."""
    from hypothesis import HealthCheck, given, settings

    own = workdir is None
    workdir = workdir or tempfile.mkdtemp(prefix="t7fuzz-")
    seeds = make_seeds(workdir, target)
    worker = Worker(target, workdir, timeout)
    outcomes = collections.Counter()
    examples = {}
    counter = [0]

    @settings(max_examples=n, database=None, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=("generate",))
    @given(mutation_strategy(len(seeds)))
    def one(case):
        index, ops = case
        path, data = seeds[index]
        counter[0] += 1
        ext = ".ascii" if path.endswith(".ascii") else ".bin"
        inp = os.path.join(workdir, "input%s" % ext)
        with open(inp, "wb") as f:
            f.write(mutate(data, ops))
        out = worker.run(inp)
        kind = out if out in ("ok", "loader", "hang") or out.startswith("crash") else \
            ":".join(out.split(":")[:2])
        outcomes[kind] += 1
        if kind not in ("ok", "loader") and kind not in examples:
            keep = os.path.join(workdir, "bad_%d%s" % (len(examples), ext))
            os.replace(inp, keep)
            examples[kind] = (keep, out)
        if log and counter[0] % 1000 == 0:
            log("%d inputs: %s" % (counter[0], dict(outcomes)))

    from hypothesis import seed as hseed
    try:
        hseed(seed)(one)()
    finally:
        worker.close()
        if own and not examples:
            import shutil
            shutil.rmtree(workdir, ignore_errors=True)
    return outcomes, examples


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", choices=["python", "th"], default="python")
    ap.add_argument("--n", type=int, default=1000, help="inputs to try")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per input")
    args = ap.parse_args(argv)
    start = time.time()
    outcomes, examples = fuzz(args.target, args.n, args.seed, args.timeout,
                              log=lambda s: print(s, flush=True))
    total = sum(outcomes.values())
    print("target %s: %d inputs in %.0f s" % (args.target, total, time.time() - start))
    for kind, count in outcomes.most_common():
        print("  %-40s %d" % (kind, count))
    for kind, (path, out) in examples.items():
        print("example of %s: %s (%s)" % (kind, path, out))
    bad = sum(c for k, c in outcomes.items() if k not in ("ok", "loader"))
    print("%d passed, %d failed" % (total - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
