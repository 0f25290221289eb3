"""Legacy training loops (bench_thloops.lua) written in Python: the same workloads on torch7py
without the Lua layer, so that the two runs give what the bridge costs.
(d) torch/demos' linear regression: nn.Linear(2, 1) + MSECriterion over 10 samples, one
    optim.sgd step a sample (config a dict here, a Lua table there): µs a step;
(e) bnsh/torch7-libv2's Nullable: ConcatTable{SelectTable, Extract}, ParallelTable{Identity,
    Linear}, Implant (Python modules here, Lua modules there) + MSECriterion on 128x10: µs a
    forward;
(f) char-rnn `-model gru` 2x32, batch 10, seq 20: clone_many_times' MemoryFile setup (ms), then
    forward + backward through time of one batch (ms).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_thloops.py [--repeat 5]
        [--scale 1] [--profile d|e|fs|fb]

Each round times every workload once; the report gives the best and the worst round, in CPU
time (the process's, as Lua's os.clock). Numbers are reported, never asserted.
"""
import argparse
import cProfile
import io
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch7py as torch  # noqa: E402
from torch7py import nn, nngraph, optim  # noqa: E402,F401  (nngraph: module(node) makes nodes)


def setup_d(scale):
    epochs = int(200 * scale)
    torch.manualSeed(1)
    data = torch.Tensor([[40, 6, 4], [44, 10, 4], [46, 12, 5], [48, 14, 7], [52, 16, 9],
                         [58, 18, 12], [60, 22, 14], [68, 24, 20], [74, 26, 21], [80, 32, 24]])
    model = nn.Sequential()
    model.add(nn.Linear(2, 1))
    criterion = nn.MSECriterion()
    x, dl_dx = model.getParameters()
    sgd_params = {'learningRate': 1e-3, 'learningRateDecay': 1e-4, 'weightDecay': 0,
                  'momentum': 0}
    nidx = [0]

    def feval(x_new):
        if x is not x_new:
            x.copy(x_new)
        nidx[0] += 1
        if nidx[0] > data.size(1):
            nidx[0] = 1
        sample = data[nidx[0]]
        target = sample[[1]]
        inputs = sample[[2, 3]]
        dl_dx.zero()
        loss_x = criterion.forward(model.forward(inputs), target)
        model.backward(inputs, criterion.backward(model.output, target))
        return loss_x, dl_dx

    def run():
        for _ in range(epochs):
            for _ in range(data.size(1)):
                optim.sgd(feval, x, sgd_params)
    return run, epochs * 10


class Extract(nn.Module):
    def __init__(self):
        super().__init__()
        self.gradInput = None
        self.output = None

    def updateOutput(self, input):
        indicators, data = input[0], input[1]
        self.output = self.output or torch.Tensor(0).typeAs(data)
        rv = data.index(1, torch.LongTensor([1]))
        if indicators.gt(0.5).any():
            indices = torch.range(1, indicators.numel())[indicators.gt(0.5).byte()].long()
            rv = data.index(1, indices)
        self.output.resizeAs(rv)
        self.output.copy(rv)
        return self.output


class Implant(nn.Module):
    def __init__(self, filler=None):
        super().__init__()
        self.output = None
        self.gradInput = None
        self.filler = filler or (lambda training, tensor: tensor.zero())

    def updateOutput(self, input):
        indicators, data = input[0], input[1]
        outputsz = data.size()
        outputsz[1] = indicators.size(1)
        self.output = self.output or torch.Tensor(0).typeAs(data)
        self.output.resize(torch.LongStorage(outputsz.totable()))
        self.filler(getattr(self, "train", None), self.output)  # nil in Lua
        if indicators.gt(0.5).any():
            indices = torch.range(1, indicators.numel())[indicators.gt(0.5).byte()].long()
            self.output.indexCopy(1, indices, data)
        return self.output


def setup_e(scale):
    n = int(200 * scale)
    torch.manualSeed(1)
    mlp = nn.Sequential()
    mlp.add(nn.ConcatTable().add(nn.SelectTable(1)).add(Extract()))
    mlp.add(nn.ParallelTable().add(nn.Identity()).add(nn.Linear(10, 20)))
    mlp.add(Implant())
    crit = nn.MSECriterion()
    data, target = torch.randn(128, 10), torch.randn(128, 20)
    indicators = torch.ByteTensor(128).bernoulli()

    def run():
        for _ in range(n):
            crit.forward(mlp.forward([indicators, data]), target)
    return run, n


class OneHot(nn.Module):
    def __init__(self, outputSize):
        super().__init__()
        self.outputSize = outputSize
        self._eye = torch.eye(outputSize)

    def updateOutput(self, input):
        self.output.resize(input.size(1), self.outputSize).zero()
        if self._eye is None:
            self._eye = torch.eye(self.outputSize)
        self._eye = self._eye.float()
        self.output.copy(self._eye.index(1, input.long()))
        return self.output


def gru(input_size, rnn_size, n):
    inputs = [nn.Identity()() for _ in range(n + 1)]

    def new_input_sum(insize, xv, hv):
        return nn.CAddTable()([nn.Linear(insize, rnn_size)(xv), nn.Linear(rnn_size, rnn_size)(hv)])

    outputs = []
    for L in range(1, n + 1):
        prev_h = inputs[L]
        if L == 1:
            x, size_l = OneHot(input_size)(inputs[0]), input_size
        else:
            x, size_l = outputs[L - 2], rnn_size
        update_gate = nn.Sigmoid()(new_input_sum(size_l, x, prev_h))
        reset_gate = nn.Sigmoid()(new_input_sum(size_l, x, prev_h))
        gated_hidden = nn.CMulTable()([reset_gate, prev_h])
        p2 = nn.Linear(rnn_size, rnn_size)(gated_hidden)
        p1 = nn.Linear(size_l, rnn_size)(x)
        hidden_candidate = nn.Tanh()(nn.CAddTable()([p1, p2]))
        zh = nn.CMulTable()([update_gate, hidden_candidate])
        zhm1 = nn.CMulTable()([nn.AddConstant(1, False)(nn.MulConstant(-1, False)(update_gate)),
                               prev_h])
        outputs.append(nn.CAddTable()([zh, zhm1]))
    outputs.append(nn.LogSoftMax()(nn.Linear(rnn_size, input_size)(outputs[-1])))
    return nn.gModule(inputs, outputs)


def clone_many_times(net, T):
    """char-rnn's util/model_utils.lua clone_many_times."""
    clones = []
    has_params = hasattr(net, 'parameters')
    if has_params:
        params, grad_params = net.parameters()
    mem = torch.MemoryFile('w').binary()
    mem.writeObject(net)
    for _ in range(T):
        reader = torch.MemoryFile(mem.storage(), 'r').binary()
        clone = reader.readObject()
        reader.close()
        if has_params:
            cp, cg = clone.parameters()
            for i in range(len(params)):
                cp[i].set(params[i])
                cg[i].set(grad_params[i])
        clones.append(clone)
    mem.close()
    return clones


VOCAB, RNN, LAYERS, BATCH, SEQ = 40, 32, 2, 10, 20


def setup_f(scale):
    batches = max(1, int(5 * scale))
    torch.manualSeed(1)
    proto = {'rnn': gru(VOCAB, RNN, LAYERS), 'criterion': nn.ClassNLLCriterion()}
    params, grad_params = proto['rnn'].getParameters()
    params.uniform(-0.08, 0.08)
    clones = {}

    def setup():
        clones['rnn'] = clone_many_times(proto['rnn'], SEQ)
        clones['criterion'] = clone_many_times(proto['criterion'], SEQ)

    setup()
    xs = torch.Tensor(BATCH, SEQ).random(1, VOCAB)
    ys = torch.Tensor(BATCH, SEQ).random(1, VOCAB)
    init = [torch.zeros(BATCH, RNN) for _ in range(LAYERS)]

    def batch():
        grad_params.zero()
        rnn_state = {0: init}
        predictions = {}
        loss = 0
        for t in range(1, SEQ + 1):
            clones['rnn'][t - 1].training()
            lst = clones['rnn'][t - 1].forward([xs[[], t]] + list(rnn_state[t - 1]))
            rnn_state[t] = list(lst[:len(init)])
            predictions[t] = lst[-1]
            loss += clones['criterion'][t - 1].forward(predictions[t], ys[[], t])
        drnn_state = {SEQ: [i.clone().zero() for i in init]}
        for t in range(SEQ, 0, -1):
            doutput_t = clones['criterion'][t - 1].backward(predictions[t], ys[[], t])
            drnn_state[t].append(doutput_t)
            dlst = clones['rnn'][t - 1].backward([xs[[], t]] + list(rnn_state[t - 1]),
                                                 drnn_state[t])
            drnn_state[t - 1] = list(dlst[1:])
        return loss / SEQ

    def run():
        for _ in range(batches):
            batch()
    return setup, run, batches


NAMES = {'d': 'linreg optim.sgd, Lua config (us/step)',
         'e': 'Nullable with Lua modules (us/forward)',
         'fs': 'gru 2x32 clone_many_times x20 (ms)',
         'fb': 'gru 2x32 b10 s20 fwd+bwd (ms/batch)'}
UNIT = {'d': 1e6, 'e': 1e6, 'fs': 1e3, 'fb': 1e3}


def make(scale):
    runs, counts = {}, {}
    runs['d'], counts['d'] = setup_d(scale)
    runs['e'], counts['e'] = setup_e(scale)
    runs['fs'], runs['fb'], counts['fb'] = setup_f(scale)
    counts['fs'] = 1
    return runs, counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeat', type=int, default=5)
    ap.add_argument('--scale', type=float, default=1)
    ap.add_argument('--profile', choices=sorted(NAMES))
    args = ap.parse_args()
    runs, counts = make(args.scale)
    if args.profile:
        run = runs[args.profile]
        run()
        pr = cProfile.Profile()
        pr.enable()
        run()
        pr.disable()
        s = io.StringIO()
        pstats.Stats(pr, stream=s).sort_stats('tottime').print_stats(30)
        print(s.getvalue())
        return
    for run in runs.values():
        run()  # warm-up
    times = {k: [] for k in runs}
    for _ in range(args.repeat):
        for k, run in runs.items():
            t = time.process_time()
            run()
            times[k].append((time.process_time() - t) / counts[k] * UNIT[k])
    for k in NAMES:
        print('(%s) %-42s %9.1f - %9.1f' % (k, NAMES[k], min(times[k]), max(times[k])))


if __name__ == '__main__':
    main()
