"""Benchmark of nngraph: a 2-layer LSTM unrolled over time (gModule clones) against the same
computation written as plain nn module calls, and loading a char-rnn checkpoint.

Run: .venv/bin/python benchmarks/bench_nngraph.py [--steps 50] [--batch 50] [--rnn 128]
     [--repeat 3] [--mb 5]
1. forward+backward through time of char-rnn's 2-layer LSTM (gModule clones sharing one flat
   parameter vector) / the same modules called one by one in Python, measured in the same run.
2. a char-rnn checkpoint ({protos = {rnn = gModule, criterion}, opt, vocab, ...}, about --mb
   MB) written by torch.save: torch.load in Python, and through `th` (torch.load inside Lua,
   timed with torch.Timer, interpreter start excluded).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import torch7py as torch
from torch7py import nn, nngraph  # noqa: F401  (module(node) makes graph nodes)

from _timing import samples

HERE = os.path.dirname(os.path.abspath(__file__))


def lstm(vocab, rnn, layers, dropout=0.0):
    """char-rnn's model/LSTM.lua (with a LookupTable for the one-hot input)."""
    inputs = [nn.Identity()()]
    for _ in range(layers):
        inputs += [nn.Identity()(), nn.Identity()()]
    outputs = []
    for L in range(1, layers + 1):
        prev_c, prev_h = inputs[2 * L - 1], inputs[2 * L]
        x = nn.LookupTable(vocab, rnn)(inputs[0]) if L == 1 else outputs[2 * L - 3]
        if L > 1 and dropout > 0:
            x = nn.Dropout(dropout)(x)
        i2h = nn.Linear(rnn, 4 * rnn)(x).annotate({'name': 'i2h_%d' % L})
        h2h = nn.Linear(rnn, 4 * rnn)(prev_h).annotate({'name': 'h2h_%d' % L})
        gi, gf, go, gc = nn.SplitTable(2)(nn.Reshape(4, rnn)(
            nn.CAddTable()([i2h, h2h]))).split(4)
        c = nn.CAddTable()([nn.CMulTable()([nn.Sigmoid()(gf), prev_c]),
                            nn.CMulTable()([nn.Sigmoid()(gi), nn.Tanh()(gc)])])
        h = nn.CMulTable()([nn.Sigmoid()(go), nn.Tanh()(c)])
        outputs += [c, h]
    outputs.append(nn.LogSoftMax()(nn.Linear(rnn, vocab)(outputs[-1])))
    return nn.gModule(inputs, outputs)


class PlainStep:
    """One time step of the same LSTM as plain module calls (its modules share the gModule's
    parameters), with its backward written out by hand."""

    def __init__(self, g, layers):
        mods = {}
        for node in g.forwardnodes:  # the gModule's modules, cloned with shared parameters
            m = node.data.module
            if m is not None and torch.typename(m) in ('nn.LookupTable', 'nn.Linear'):
                mods.setdefault(torch.typename(m), []).append(
                    m.clone('weight', 'bias', 'gradWeight', 'gradBias'))
        self.lookup = mods['nn.LookupTable'][0]
        lins = mods['nn.Linear']
        self.layers = []
        for L in range(layers):
            self.layers.append(dict(
                i2h=lins[2 * L], h2h=lins[2 * L + 1], add=nn.CAddTable(),
                reshape=nn.Reshape(4, lins[2 * L].weight.size(2)), split=nn.SplitTable(2),
                si=nn.Sigmoid(), sf=nn.Sigmoid(), so=nn.Sigmoid(), tc=nn.Tanh(),
                mf=nn.CMulTable(), mi=nn.CMulTable(), addc=nn.CAddTable(), tanhc=nn.Tanh(),
                mh=nn.CMulTable()))
        self.out, self.logsm = lins[-1], nn.LogSoftMax()

    def forward(self, tokens, state):
        self.tokens, self.state = tokens, state
        x = self.lookup.forward(tokens)
        new = []
        for L, m in enumerate(self.layers):
            m['x'] = x
            prev_c, prev_h = state[2 * L], state[2 * L + 1]
            s = m['add'].forward([m['i2h'].forward(x), m['h2h'].forward(prev_h)])
            gi, gf, go, gc = m['split'].forward(m['reshape'].forward(s))
            i, f, o, cc = m['si'].forward(gi), m['sf'].forward(gf), m['so'].forward(go), \
                m['tc'].forward(gc)
            c = m['addc'].forward([m['mf'].forward([f, prev_c]), m['mi'].forward([i, cc])])
            h = m['mh'].forward([o, m['tanhc'].forward(c)])
            new += [c, h]
            x = h
        self.top = x
        return new + [self.logsm.forward(self.out.forward(x))]

    def backward(self, grads):
        gtop = self.out.backward(self.top, self.logsm.backward(self.out.output, grads[-1]))
        dstate = [None] * len(self.state)
        gh_above = gtop
        for L in range(len(self.layers) - 1, -1, -1):
            m = self.layers[L]
            prev_c, prev_h = self.state[2 * L], self.state[2 * L + 1]
            gh = grads[2 * L + 1].clone().add(gh_above)
            tanhc = m['tanhc'].output
            go, gtanh = m['mh'].backward([m['so'].output, tanhc], gh)
            gc = grads[2 * L].clone().add(m['tanhc'].backward(m['addc'].output, gtanh))
            gmf, gmi = m['addc'].backward([m['mf'].output, m['mi'].output], gc)
            gf, dprev_c = m['mf'].backward([m['sf'].output, prev_c], gmf)
            gi, gcc = m['mi'].backward([m['si'].output, m['tc'].output], gmi)
            split_in = m['reshape'].output
            gates = m['split'].output
            gsplit = [m['si'].backward(gates[0], gi), m['sf'].backward(gates[1], gf),
                      m['so'].backward(gates[2], go), m['tc'].backward(gates[3], gcc)]
            gs = m['reshape'].backward(m['add'].output, m['split'].backward(split_in, gsplit))
            g1, g2 = m['add'].backward([m['i2h'].output, m['h2h'].output], gs)
            dprev_h = m['h2h'].backward(prev_h, g2)
            gh_above = m['i2h'].backward(m['x'], g1)
            dstate[2 * L], dstate[2 * L + 1] = dprev_c, dprev_h
        self.lookup.backward(self.tokens, gh_above)
        return dstate


def bench_lstm(steps, batch, rnn, repeat, vocab=65, layers=2):
    torch.manualSeed(1)
    proto = lstm(vocab, rnn, layers)
    params, grads = proto.getParameters()
    params.uniform(-0.08, 0.08)
    clones = [proto.clone('weight', 'bias', 'gradWeight', 'gradBias') for _ in range(steps)]
    plain = [PlainStep(proto, layers) for _ in range(steps)]
    tokens = [torch.LongTensor(batch).random(1, vocab) for _ in range(steps)]
    gout = torch.randn(batch, vocab)

    def zero():
        return [torch.zeros(batch, rnn) for _ in range(2 * layers)]

    def run_graph():
        grads.zero()
        states = [zero()]
        for t in range(steps):
            out = clones[t].forward([tokens[t]] + states[-1])
            states.append(out[:-1])
        d = zero()
        for t in range(steps - 1, -1, -1):
            din = clones[t].backward([tokens[t]] + states[t], d + [gout])
            d = din[1:]

    def run_plain():
        grads.zero()
        states = [zero()]
        for t in range(steps):
            out = plain[t].forward(tokens[t], states[-1])
            states.append(out[:-1])
        d = zero()
        for t in range(steps - 1, -1, -1):
            d = plain[t].backward(d + [gout])

    run_graph()
    g_graph = grads.clone()
    run_plain()
    diff = (grads - g_graph).abs().max()
    tg, tp = samples([run_graph, run_plain], repeat, warmup=1)
    return min(tg), min(tp), diff


def build_checkpoint(path, mb):
    # rnn_size chosen so that weights + gradients (doubles) come to about mb MB
    vocab, layers = 65, 2
    rnn = 32
    while 2 * 8 * (4 * rnn * (vocab + rnn) + 4 * rnn * 2 * rnn + rnn * vocab) < mb * 1e6:
        rnn += 8
    torch.manualSeed(123)
    protos = {'rnn': lstm(vocab, rnn, layers, 0.5), 'criterion': nn.ClassNLLCriterion()}
    p, _ = protos['rnn'].getParameters()
    p.uniform(-0.08, 0.08)
    chars = [chr(c) for c in range(32, 32 + vocab)]
    checkpoint = {
        'protos': protos,
        'opt': {'rnn_size': rnn, 'num_layers': layers, 'model': 'lstm', 'dropout': 0.5,
                'seq_length': 50, 'batch_size': 50, 'learning_rate': 2e-3, 'seed': 123,
                'data_dir': 'data/tinyshakespeare', 'savefile': 'lstm'},
        'vocab': {c: i for i, c in enumerate(chars, 1)},
        'train_losses': [4.2 - i * 1e-3 for i in range(1000)],
        'val_losses': {i * 1000: 1.5 for i in range(1, 4)},
        'val_loss': 1.5, 'i': 3000, 'epoch': 3.0,
    }
    torch.save(path, checkpoint)
    return rnn


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=50)
    ap.add_argument('--batch', type=int, default=50)
    ap.add_argument('--rnn', type=int, default=128)
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--mb', type=float, default=5)
    args = ap.parse_args()

    tg, tp, diff = bench_lstm(args.steps, args.batch, args.rnn, args.repeat)
    print('2-layer LSTM, %d steps, batch %d, %d units, forward+backward through time'
          % (args.steps, args.batch, args.rnn))
    print('  gModule clones      %8.3f s' % tg)
    print('  plain module calls  %8.3f s' % tp)
    print('  ratio               %8.2fx   (gradients agree to %.1e)' % (tg / tp, diff))

    d = tempfile.mkdtemp()
    path = os.path.join(d, 'lm_lstm_epoch3.00_1.5000.t7')
    rnn = build_checkpoint(path, args.mb)
    size = os.path.getsize(path) / 1e6
    tpy = min(samples([lambda: torch.load(path)], args.repeat, warmup=1)[0])
    code = ("require 'nn'; require 'nngraph'; local best = math.huge; "
            "for i = 1, %d do local t = torch.Timer(); local c = torch.load('%s'); "
            "best = math.min(best, t:time().real); "
            "assert(torch.type(c.protos.rnn) == 'nn.gModule') end; print(best)"
            % (args.repeat, path))
    env = dict(os.environ)
    env['PYTHONPATH'] = os.path.dirname(HERE) + os.pathsep + env.get('PYTHONPATH', '')
    r = subprocess.run([sys.executable, '-m', 'compat.th', '-e', code], env=env,
                       capture_output=True, text=True, cwd=os.path.dirname(HERE))
    tth = float(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else float('nan')
    if r.returncode != 0:
        print(r.stderr)
    print('char-rnn checkpoint (2 layers, rnn_size %d, %.1f MB)' % (rnn, size))
    print('  torch.load in Python %8.3f s' % tpy)
    print('  torch.load in th     %8.3f s' % tth)
    os.remove(path)
    os.rmdir(d)


if __name__ == '__main__':
    main()
