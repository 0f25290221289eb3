"""Sample text from a char-rnn checkpoint (karpathy/char-rnn's `lm_*.t7`) in Python: sample.lua's
steps and random draws one for one, so that with the same checkpoint and seed it writes the
same text as `th sample.lua CHECKPOINT -gpuid -1`.

    python examples/char_rnn_sample.py cv/lm_lstm_epoch1.00_3.2503.t7 -seed 123 -length 200
"""
import sys

import torch7py as torch
from torch7py import nn


class OneHot(nn.Module):
    """char-rnn's util/OneHot.lua, a Lua class with no package prefix: one row of an identity
    matrix per input index. Declaring the typename lets torch.load build it."""

    typename = "OneHot"

    def __init__(self, outputSize):
        super().__init__()
        self.outputSize = outputSize
        self._eye = torch.eye(outputSize)

    def updateOutput(self, input):
        self.output.resize(input.size(1), self.outputSize).zero()
        if getattr(self, "_eye", None) is None:
            self._eye = torch.eye(self.outputSize)
        self._eye = self._eye.float()
        self.output.copy(self._eye.index(1, input.long()))
        return self.output


def _write(out, s):
    # Lua strings are bytes: a str from the checkpoint keeps undecodable bytes as surrogates
    out.buffer.write(s.encode("utf-8", "surrogateescape"))


def main(argv=None, out=None):
    out = out or sys.stdout
    cmd = torch.CmdLine()
    cmd.text()
    cmd.text("Sample from a character-level language model")
    cmd.text()
    cmd.text("Options")
    cmd.argument("-model", "model checkpoint to use for sampling")
    cmd.option("-seed", 123, "random number generator's seed")
    cmd.option("-sample", 1, " 0 to use max at each timestep, 1 to sample at each timestep")
    cmd.option("-primetext", "", "used as a prompt to \"seed\" the state of the LSTM")
    cmd.option("-length", 2000, "number of characters to sample")
    cmd.option("-temperature", 1, "temperature of sampling")
    cmd.option("-gpuid", 0, "which gpu to use. -1 = use CPU (no GPU here: always the CPU)")
    cmd.option("-opencl", 0, "use OpenCL (instead of CUDA)")
    cmd.option("-verbose", 1, "set to 0 to ONLY print the sampled text, no diagnostics")
    cmd.text()
    opt = cmd.parse(list(sys.argv[1:] if argv is None else argv))

    def gprint(s):
        if opt["verbose"] == 1:
            out.flush()
            _write(out, s + "\n")

    torch.manualSeed(opt["seed"])
    checkpoint = torch.load(opt["model"])
    rnn = checkpoint["protos"]["rnn"]
    rnn.evaluate()

    vocab = checkpoint["vocab"]
    ivocab = {i: c for c, i in vocab.items()}
    copt = checkpoint["opt"]
    gprint("creating an " + copt["model"] + "...")
    current_state = []
    for _ in range(copt["num_layers"]):
        h_init = torch.zeros(1, copt["rnn_size"]).double()
        current_state.append(h_init.clone())
        if copt["model"] == "lstm":
            current_state.append(h_init.clone())
    state_size = len(current_state)

    prediction = None
    seed_text = opt["primetext"]
    if len(seed_text) > 0:
        gprint("seeding with " + seed_text)
        gprint("--------------------------")
        # Lua's gmatch'.' walks bytes
        for b in seed_text.encode("utf-8", "surrogateescape"):
            c = bytes([b]).decode("utf-8", "surrogateescape")
            prev_char = torch.Tensor([vocab[c]])
            _write(out, ivocab[int(prev_char[1])])
            lst = rnn.forward([prev_char] + current_state)
            current_state = list(lst[:state_size])
            prediction = lst[-1]
    else:
        gprint("missing seed text, using uniform probability over first character")
        gprint("--------------------------")
        prediction = torch.Tensor(1, len(ivocab)).fill(1) / len(ivocab)

    for _ in range(opt["length"]):
        if opt["sample"] == 0:
            _, prev_char_ = prediction.max(2)
            prev_char = prev_char_.resize(1)
        else:
            prediction.div(opt["temperature"])
            probs = torch.exp(prediction).squeeze()
            probs.div(torch.sum(probs))
            prev_char = torch.multinomial(probs.float(), 1).resize(1).float()
        lst = rnn.forward([prev_char] + current_state)
        current_state = list(lst[:state_size])
        prediction = lst[-1]
        _write(out, ivocab[int(prev_char[1])])
    _write(out, "\n")
    out.flush()


if __name__ == "__main__":
    main()
