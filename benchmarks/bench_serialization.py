"""Benchmark of torch.save/torch.load (binary and ascii) on a ~100 MB model, against torchfile.

Run: .venv/bin/python benchmarks/bench_serialization.py [--mb 100] [--repeat 7]
Prints MB/s (file size / best time). torchfile (the PyPI reader of .t7 files) loads the same
binary file in the same run; a raw write/read of the same number of bytes gives the disk speed.
"""
import argparse
import os
import tempfile

import numpy as np

import torch7py as torch
from torch7py import nn

from _timing import best, samples


def build_model(mb):
    # Linear(n, n) holds weight and gradWeight: 2 * n * n doubles each
    layers = 6
    n = int((mb * 1e6 / (layers * 2 * 8)) ** 0.5)
    torch.manualSeed(1)
    model = nn.Sequential()
    for i in range(layers):
        model.add(nn.Linear(n, n))
        if i < layers - 1:
            model.add(nn.Tanh())
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--ascii-repeat", type=int, default=1, help="at least 1")
    ap.add_argument("--dir", default=None)
    args = ap.parse_args()
    model = build_model(args.mb)
    d = tempfile.mkdtemp(dir=args.dir)
    rows = []
    try:
        import torchfile
    except ImportError:
        torchfile = None
    try:
        path = os.path.join(d, "model.t7")
        raw = os.path.join(d, "raw.bin")
        torch.save(path, model)
        size = os.path.getsize(path) / 1e6
        blob = np.random.bytes(int(size * 1e6))

        def raw_write():
            # the same work as an atomic save: a new file renamed over the old one
            with open(raw + ".tmp", "wb") as f:
                f.write(blob)
            os.replace(raw + ".tmp", raw)

        def raw_read():
            with open(raw, "rb") as f:
                return f.read()

        raw_write()  # both targets exist before timing: each timed write replaces a file

        # the measurements alternate, so that page-cache writeback hits each of them alike
        ops = {"torch7py save binary": lambda: torch.save(path, model),
               "raw write+rename (same)": raw_write,
               "torch7py load binary": lambda: torch.load(path),
               "raw read (same bytes)": raw_read}
        if torchfile is not None:
            ops["torchfile load binary"] = lambda: torchfile.load(path)
        times = dict(zip(ops, samples(list(ops.values()), args.repeat)))
        for k in ops:
            rows.append((k, size, min(times[k])))
        loaded = torch.load(path)
        assert loaded.modules[0].weight.equal(model.modules[0].weight)
        t_load = min(times["torch7py load binary"])
        t_tf = min(times["torchfile load binary"]) if torchfile is not None else None
        med_load = float(np.median(times["torch7py load binary"]))
        med_tf = float(np.median(times["torchfile load binary"])) if torchfile is not None \
            else None
        apath = os.path.join(d, "model_ascii.t7")
        t_asave = best(lambda: torch.save(apath, model, "ascii"), args.ascii_repeat)
        asize = os.path.getsize(apath) / 1e6
        rows.append(("torch7py save ascii", asize, t_asave))
        aloaded = []
        t_aload = best(lambda: aloaded.append(torch.load(apath, "ascii")), args.ascii_repeat)
        rows.append(("torch7py load ascii", asize, t_aload))
        assert aloaded[-1].modules[0].weight.equal(model.modules[0].weight)
    finally:
        for name in os.listdir(d):
            os.remove(os.path.join(d, name))
        os.rmdir(d)
    print("%-26s %10s %9s %10s" % ("operation", "file MB", "seconds", "MB/s"))
    for name, mb, t in rows:
        print("%-26s %10.1f %9.3f %10.1f" % (name, mb, t, mb / t))
    if t_tf is not None:
        print("binary load speed-up over torchfile: %.2fx (best times), %.2fx (medians)"
              % (t_tf / t_load, med_tf / med_load))


if __name__ == "__main__":
    main()
