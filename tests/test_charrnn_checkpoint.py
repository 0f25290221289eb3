"""A char-rnn style checkpoint end to end: a recurrent gModule whose input layer is a Lua class
declared without a package prefix (as char-rnn's OneHot), saved by `th`, loaded and sampled
from in Lua and in Python with the same seed: the same text, and the text a numpy recurrence
with Torch7's multinomial rule (first category whose cumulative probability reaches a uniform
draw) gives from the loaded weights."""
import os
import subprocess
import sys

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn, nngraph  # noqa: F401

pytest.importorskip("lupa")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LETTERS = "abcde"

LUA_CLASS = """
require 'nngraph'
local Code, parent = torch.class('CharCode', 'nn.Module')
function Code:__init(n)
   parent.__init(self)
   self.n = n
end
function Code:updateOutput(input)
   self.output:resize(input:size(1), self.n):zero()
   for i = 1, input:size(1) do self.output[i][input[i]] = 1 end
   return self.output
end
"""

LUA_BUILD = """
assert(path.join('a', 'b') == 'a/b')  -- th's Penlight global, as char-rnn uses it
torch.manualSeed(11)
local V, H = 5, 6
local x, h0 = nn.Identity()(), nn.Identity()()
local xin = nn.Linear(V, H)(CharCode(V)(x)):annotate{name = 'x2h'}
local hin = nn.Linear(H, H)(h0):annotate{name = 'h2h'}
local h1 = nn.Tanh()(nn.CAddTable()({xin, hin}))
local logp = nn.LogSoftMax()(nn.Linear(H, V)(h1):annotate{name = 'h2y'})
local vocab = {}
for i = 1, V do vocab[('abcde'):sub(i, i)] = i end
torch.save(arg[1], {protos = {rnn = nn.gModule({x, h0}, {h1, logp})}, vocab = vocab,
                    opt = {rnn_size = H}})
"""

# sample.lua's loop, in short: a uniform first character, then a draw from each prediction
LUA_SAMPLE = """
local function sample(path, seed)
local ck = torch.load(path)
torch.manualSeed(seed)
local rnn, ivocab = ck.protos.rnn, {}
for c, i in pairs(ck.vocab) do ivocab[i] = c end
rnn:evaluate()
local h = torch.zeros(1, ck.opt.rnn_size)
local logp = torch.Tensor(1, #ivocab):fill(1) / #ivocab
local out = {}
for step = 1, 40 do
   local probs = torch.exp(logp):squeeze()
   probs:div(torch.sum(probs))
   local c = torch.multinomial(probs:float(), 1):resize(1):float()
   local res = rnn:forward({c, h})
   h, logp = res[1], res[2]
   out[#out + 1] = ivocab[c[1]]
end
return table.concat(out)
end
for i = 2, #arg do io.write(sample(arg[1], tonumber(arg[i])), '\\n') end
"""


class CharCode(nn.Module):
    """The Python side of the Lua class CharCode: found by its typename when a file names it."""

    typename = "CharCode"

    def updateOutput(self, input):
        self.output.resize(input.size(1), self.n).zero()
        for i in range(1, input.size(1) + 1):
            self.output[i][int(input[i])] = 1
        return self.output


def _th(script, *args, tmp):
    path = tmp / "script.lua"
    path.write_text(script)
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, "-m", "compat.th", str(path), *map(str, args)],
                       capture_output=True, text=True, env=env, timeout=120, cwd=str(tmp))
    assert r.returncode == 0, r.stderr
    return r.stdout


def _sample_python(ck, seed):
    torch.manualSeed(seed)
    rnn = ck["protos"]["rnn"]
    ivocab = {i: c for c, i in ck["vocab"].items()}
    rnn.evaluate()
    h = torch.zeros(1, ck["opt"]["rnn_size"])
    logp = torch.Tensor(1, len(ivocab)).fill(1) / len(ivocab)
    out = []
    for _ in range(40):
        probs = torch.exp(logp).squeeze()
        probs.div(torch.sum(probs))
        c = torch.multinomial(probs.float(), 1).resize(1).float()
        h, logp = rnn.forward([c, h])
        out.append(ivocab[int(c[1])])
    return "".join(out)


def _sample_numpy(ck, seed):
    """The same draws from a numpy recurrence on the loaded weights: Torch7's multinomial takes
    one uniform per draw and the first category whose normalised cumulative sum reaches it."""
    mods = {n.data.annotations.name: n.data.module for n in ck["protos"]["rnn"].forwardnodes
            if n.data.annotations.name}
    w = {k: (m.weight.numpy().copy(), m.bias.numpy().copy()) for k, m in mods.items()}
    ivocab = {i: c for c, i in ck["vocab"].items()}
    torch.manualSeed(seed)
    h = np.zeros(ck["opt"]["rnn_size"])
    p = np.full(len(ivocab), 1.0 / len(ivocab))
    out = []
    for _ in range(40):
        cum = np.cumsum(p.astype(np.float32).astype(np.float64))
        k = int(np.searchsorted(cum / cum[-1], torch.uniform(), side="left"))
        onehot = np.eye(len(ivocab))[k]
        h = np.tanh(w["x2h"][0] @ onehot + w["x2h"][1] + w["h2h"][0] @ h + w["h2h"][1])
        y = w["h2y"][0] @ h + w["h2y"][1]
        p = np.exp(y - y.max())
        p /= p.sum()
        out.append(ivocab[k + 1])
    return "".join(out)


def test_lua_class_checkpoint_samples_the_same_text_in_lua_and_python(tmp_path):
    ck_path = tmp_path / "ck.t7"
    lua_text, lua_text7 = _th(LUA_CLASS + LUA_BUILD + LUA_SAMPLE, ck_path, 123, 7,
                              tmp=tmp_path).splitlines()
    assert len(lua_text) == 40 and set(lua_text) <= set(LETTERS)

    ck = torch.load(str(ck_path))
    onehot = [n.data.module for n in ck["protos"]["rnn"].forwardnodes
              if isinstance(n.data.module, CharCode)]
    assert len(onehot) == 1 and onehot[0].n == 5 and torch.typename(onehot[0]) == "CharCode"
    assert _sample_python(ck, 123) == lua_text
    assert _sample_numpy(torch.load(str(ck_path)), 123) == lua_text
    # another seed, another text: the draws come from the seed
    assert _sample_python(torch.load(str(ck_path)), 7) == lua_text7 != lua_text

    # saved back from Python, the class keeps its name and Lua samples the same text again
    back = tmp_path / "back.t7"
    torch.save(str(back), torch.load(str(ck_path)))
    assert _th(LUA_CLASS + LUA_SAMPLE, back, 123, tmp=tmp_path) == lua_text + "\n"


def test_th_prints_a_gmodule_its_graphs_and_node_data_as_torch7(tmp_path):
    # luaT's __tostring: the class's __tostring__ (gModule: its name, else its type), else the
    # type name (graph.Graph, nngraph.Node have none); a node's data is a plain table, which
    # trepl's print lists field by field
    out = _th(LUA_CLASS + """
local x = nn.Identity()()
local y = nn.Tanh()(CharCode(3)(x))
local g = nn.gModule({x}, {y})
print(g)
print(g.fg, g.bg)
local node
for _, n in ipairs(g.forwardnodes) do
   if torch.typename(n.data.module) == 'CharCode' then node = n end
end
print(node)
node.data.annotations._debugLabel = nil
node:annotate{name = 'onehot'}
print(node.data.annotations)
print(({rnn = g}).rnn)
g.name = 'cell'
print(g)
""", tmp=tmp_path)
    assert out.splitlines() == ["nn.gModule", "graph.Graph", "graph.Graph", "nngraph.Node", "{",
                                '  name : "onehot"', "}",
                                "nn.gModule", "cell"]
    from torch7py.nngraph import Table
    node = nn.Identity()()
    assert str(node) == "nngraph.Node" and str(node.data["module"]) == "nn.Identity"
    assert str(Table()).startswith("table: 0x")
