"""`require 'rnn'` under th where the script's path holds no rnn package: Element-Research
rnn's classes are torch7py.legacy.ern's, with what rnn's init.lua adds besides (the rnn table,
its recursive helpers, Module:forget/remember/maxBPTTstep/...) and dpnn's Module:sharedClone,
which rnn's Module:stepClone calls (rnn requires dpnn). Expectations: numpy (FastLSTM.lua's
gates), storages compared by pointer (dpnn's sharedClone sets each shared parameter to a new
tensor on the original's storage), sums and shapes by hand."""
import numpy as np

from luatest import th_script


def _run(tmp_path, code):
    out = th_script(code, tmp_path)
    assert out.returncode == 0, out.stderr
    return [line.rstrip('\t') for line in out.stdout.splitlines()]  # th's print: a tab each


def test_require_rnn_gives_its_classes_and_a_sequencer_runs_the_lstm_formula(tmp_path):
    lines = _run(tmp_path, """
require 'nn'
print(nn.FastLSTM == nil, nn.Sequencer == nil)
local r = require 'rnn'
print(r == true, nn.rnn == rnn, rnn.version, require('rnn') == true)
print(torch.type(nn.FastLSTM(2, 3)), torch.isTypeOf(nn.GRU(2, 3), 'nn.AbstractRecurrent'))
torch.manualSeed(1)
local lstm = nn.FastLSTM(3, 2)
local seq = nn.Sequencer(lstm)
local xs = {torch.linspace(-1, 1, 6):view(2, 3), torch.linspace(1, 2, 6):view(2, 3)}
local ys = seq:forward(xs)
local function row(t) return table.concat(torch.totable(t:view(-1)), ' ') end
print(row(lstm.i2g.weight)); print(row(lstm.i2g.bias)); print(row(lstm.o2g.weight))
print(row(ys[1])); print(row(ys[2]))
seq:backward(xs, {torch.ones(2, 2), torch.ones(2, 2)})
print(lstm.step)
nn.Sequential():add(seq):forget()
print(lstm.step)
""")
    assert lines[0].split() == ['true', 'true']
    # rnn's init.lua returns nothing: require gives true, the package is the global rnn
    assert lines[1].split() == ['true', 'true', '2.1', 'true']
    assert lines[2].split() == ['nn.FastLSTM', 'true']
    wi = np.array(lines[3].split(), float).reshape(8, 3)
    bi = np.array(lines[4].split(), float)
    wo = np.array(lines[5].split(), float).reshape(8, 2)
    xs = [np.linspace(-1, 1, 6).reshape(2, 3), np.linspace(1, 2, 6).reshape(2, 3)]
    h = c = np.zeros((2, 2))
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    for x, got in zip(xs, lines[6:8]):
        g = x @ wi.T + bi + h @ wo.T  # FastLSTM.lua: input, hidden, forget, output gates
        i, hid, f, o = (g[:, 2 * k:2 * k + 2] for k in range(4))
        c = sig(i) * np.tanh(hid) + sig(f) * c
        h = sig(o) * np.tanh(c)
        np.testing.assert_allclose(np.array(got.split(), float).reshape(2, 2), h,
                                   rtol=1e-12, atol=1e-14)
    # a container's forget reaches the Sequencer inside (rnn's Module.lua): step back to 1
    assert lines[8:10] == ['3', '1']


def test_shared_clone_shares_parameters_on_new_tensors(tmp_path):
    lines = _run(tmp_path, """
require 'rnn'
local lin = nn.Linear(2, 3)
local net = nn.Sequential():add(lin):add(nn.Tanh())
lin.gradWeight:fill(1)
local c = net:sharedClone()
local cl = c.modules[1]
local function same(a, b) return torch.pointer(a:storage()) == torch.pointer(b:storage()) end
print(cl ~= lin, cl.weight ~= lin.weight, same(cl.weight, lin.weight), same(cl.bias, lin.bias))
print(same(cl.gradWeight, lin.gradWeight), cl.output == lin.output)
local n = net:sharedClone(true, false)
print(same(n.modules[1].weight, lin.weight), same(n.modules[1].gradWeight, lin.gradWeight),
      n.modules[1].gradWeight:sum())
cl.weight:fill(0.5)
print(lin.weight:sum())
-- a step clone keeps the recurrent module itself (dpnn's stepClone), a clone copies it
local r = nn.FastLSTM(2, 2)
local s = nn.Sequential():add(r):add(nn.Linear(2, 2))
print(s:stepClone().modules[1] == r, s:sharedClone().modules[1] == r, r:stepClone() == r)
""")
    assert lines[0].split() == ['true'] * 4
    assert lines[1].split() == ['true', 'false']
    assert lines[2].split() == ['true', 'false', '6']
    assert lines[3] == '3'
    assert lines[4].split() == ['true', 'false', 'true']


def test_rnn_recursive_helpers_and_lua_subclass(tmp_path):
    lines = _run(tmp_path, """
require 'rnn'
print(rnn.recursiveSum({torch.ones(2), {torch.ones(3):mul(2), torch.ones(1)}}))
local t = rnn.recursiveResizeAs(nil, {torch.zeros(2, 3), {torch.zeros(4)}})
print(torch.type(t), t[1]:nElement(), t[2][1]:nElement())
local a = rnn.recursiveCopy({}, {torch.range(1, 3)})
rnn.recursiveAdd(a, {torch.ones(3)})
print(a[1]:sum(), rnn.recursiveTensorEq(a, {torch.range(2, 4)}),
      rnn.recursiveTensorEq(a, {torch.range(1, 3)}))
print(rnn.recursiveFill({torch.zeros(2), torch.zeros(3)}, 4)[2]:sum())
print(pcall(rnn.recursiveSum, 'x'))
local My, parent = torch.class('nn.MyLSTM', 'nn.FastLSTM')
function My:__init(i, o) parent.__init(self, i, o); self.mine = true end
local m = nn.MyLSTM(2, 3)
print(torch.type(m), tostring(m), m.mine, m:forward(torch.ones(1, 2)):size(2))
""")
    assert lines[0] == '9'
    assert lines[1].split() == ['table', '6', '4']
    assert lines[2].split() == ['9', 'true', 'false']
    assert lines[3] == '12'
    assert lines[4].split('\t')[0] == 'false'
    assert lines[4].split('\t')[1].endswith('expecting tensor or table thereof. Got string instead')
    assert lines[5].split('\t') == ['nn.MyLSTM', 'nn.MyLSTM(2 -> 3)', 'true', '3']


def test_an_rnn_on_the_path_is_the_one_required(tmp_path):
    (tmp_path / 'rnn').mkdir()
    (tmp_path / 'rnn' / 'init.lua').write_text("rnn = {mine = true}\nreturn rnn\n")
    lines = _run(tmp_path, """
package.path = './?/init.lua;' .. package.path
require 'nn'
require 'rnn'
print(rnn.mine, nn.FastLSTM == nil)
""")
    assert lines == ['true\ttrue']


def test_dpnn_training_helpers_come_with_rnn(tmp_path):
    lines = _run(tmp_path, """
require 'rnn'
local function row(t) return table.concat(torch.totable(t:view(-1)), ' ') end
local lin = nn.Linear(2, 2)
lin.weight:copy(torch.Tensor{{3, 4}, {0.3, 0.4}}); lin.bias:copy(torch.Tensor{1, 2})
local net = nn.Sequential():add(lin):add(nn.Tanh())
net:maxParamNorm(1)
print(row(lin.weight), row(lin.bias))
lin.gradWeight:copy(torch.Tensor{{1, 2}, {2, 4}}); lin.gradBias:copy(torch.Tensor{4, 0})
print(net:gradParamClip(2.5), row(lin.gradWeight), row(lin.gradBias))
lin.gradWeight:fill(1); lin.gradBias:fill(1)
net:weightDecay(0.5)
print(row(lin.gradWeight), row(lin.gradBias))
lin.gradWeight:fill(2); lin.gradBias:fill(2)
net:updateGradParameters(0.9, 0.5)
print(row(lin.gradWeight))
lin.gradWeight:fill(4)
net:updateGradParameters(0.9, 0.5)
print(row(lin.gradWeight))
local lt = nn.LookupTable(3, 2)
lt.weight:copy(torch.Tensor{{3, 0}, {4, 0}, {0, 1}})
lt:maxParamNorm(1)
print(row(lt.weight))
""")
    w = np.array([[3, 4], [0.3, 0.4]])
    w[0] /= 5  # rows over norm 1 scaled to 1 (renorm(2, 1, 1)); the 1-D bias untouched
    got = lines[0].split('\t')
    np.testing.assert_allclose(np.array(got[0].split(), float), w.ravel(), rtol=1e-6)
    assert got[1] == '1 2'
    norm = np.sqrt(1 + 4 + 4 + 16 + 16)  # sqrt of the sum of the squared gradient norms
    got = lines[1].split('\t')
    assert abs(float(got[0]) - norm) < 1e-12
    np.testing.assert_allclose(np.array(got[1].split(), float),
                               np.array([1, 2, 2, 4]) * 2.5 / norm, rtol=1e-12)
    np.testing.assert_allclose(np.array(got[2].split(), float),
                               np.array([4, 0]) * 2.5 / norm, rtol=1e-12)
    # weight decay on the 2-D weight only: g + 0.5 * w
    assert lines[2].split('\t')[1] == '1 1'
    np.testing.assert_allclose(np.array(lines[2].split('\t')[0].split(), float),
                               1 + 0.5 * w.ravel(), rtol=1e-6)
    # momentum: the first call starts from the gradient (then 0.9 m + 0.5 g), the next
    # 0.9 * 2.8 + 0.5 * 4
    assert lines[3] == ' '.join(['2.8'] * 4)
    np.testing.assert_allclose(np.array(lines[4].split(), float), [0.9 * 2.8 + 2] * 4)
    # a LookupTable's max norm is over its columns (dpnn's LookupTable.lua)
    np.testing.assert_allclose(np.array(lines[5].split(), float), [0.6, 0, 0.8, 0, 0, 1])


def test_rnn_dropout_takes_lazy_and_mono(tmp_path):
    lines = _run(tmp_path, """
require 'rnn'
torch.manualSeed(3)
local d = nn.Dropout(0.5, false, false, true, true)
print(d.lazy, d.mono, d.flag, d.v2, d.stochastic_inference, d.p)
local x = torch.ones(3, 8)
local a = d:forward(x):clone()
print(torch.equal(a, d:forward(x)))
for i = 2, 3 do print(torch.equal(a[1], a[i])) end
print(pcall(nn.Dropout, 1))
""")
    # rnn's Dropout.lua __init: lazy and mono from the 4th and 5th arguments, no
    # stochastic_inference; a lazy dropout keeps its noise until a backward, a mono one has
    # one row for the whole batch
    assert lines[0].split('\t') == ['true', 'true', 'true', 'true', 'nil', '0.5']
    assert lines[1:4] == ['true'] * 3
    assert lines[4] == 'false\t<Dropout> illegal percentage, must be 0 <= p < 1'


def test_a_constructor_replaced_in_lua_gets_all_its_arguments(tmp_path):
    # th's startup builds an nn.Linear (nn's test.lua does, in Torch7), so its 3-parameter
    # signature was read before the script replaced __init: Lua passes every argument
    lines = _run(tmp_path, """
require 'nn'
local l0 = nn.Linear(2, 3)
function nn.Linear:__init(...) nn.Module.__init(self); self.n = select('#', ...); self.last = select(5, ...) end
local l = nn.Linear(1, 2, 3, 4, 5)
print(l.n, l.last, torch.type(l))
""")
    assert lines == ['5\t5\tnn.Linear']


def test_get_parameters_reaches_shared_clones_made_before(tmp_path):
    # dpnn's getParameters flattens the parameters of every module reachable through the
    # fields: a sharedClone made before it (rnn's Recurrent builds its first-step module so)
    # keeps sharing the flattened storage, which nn's getParameters would leave behind
    lines = _run(tmp_path, """
require 'rnn'
local lin = nn.Linear(2, 2)
local holder = nn.Sequential():add(lin)
holder.firstStep = lin:sharedClone()
local p, gp = holder:getParameters()
local c = holder.firstStep
print(p:nElement(), torch.pointer(c.weight:storage()) == torch.pointer(p:storage()),
      torch.pointer(c.gradBias:storage()) == torch.pointer(gp:storage()))
c:forward(torch.ones(1, 2)); c:backward(torch.ones(1, 2), torch.ones(1, 2))
print(gp:sum())
print(select('#', holder:sparseParameters()))
""")
    assert lines[0].split('\t') == ['6', 'true', 'true']
    # gradWeight = ones(2) outer ones(2), gradBias = ones(2): 4 + 2, in the flat gradients
    assert lines[1] == '6'
    assert lines[2] == '2'


def test_hidden_state_of_a_container_with_stateless_modules_goes_back_in(tmp_path):
    # rnn's test.lua getHiddenState: a Recurrence over a Sequential whose modules hold no
    # state gives {output, {nil, ...}}; Lua's table with holes comes back to Python as a
    # mapping, which the setters take as rnn's asserts do (a table)
    lines = _run(tmp_path, """
require 'rnn'
torch.manualSeed(2)
local rm = nn.LSTM(4, 5).recurrentModule:clone()
rm:insert(nn.FlattenTable(), 1)
local net = nn.Sequential():add(nn.Recurrence(rm, {{5}, {5}}, 1)):add(nn.SelectTable(1))
local net2 = net:clone()
local xs = torch.randn(4, 3, 4)
for t = 1, 3 do net2:forward(xs[t]) end
net:setHiddenState(0, net2:getHiddenState(3))
print(torch.equal(net:forward(xs[4]), net2:forward(xs[4])))
net:setGradHiddenState(1, net2:getGradHiddenState(4))
print(torch.type(net:getGradHiddenState(1)[1][1][1]))
""")
    assert lines == ['true', 'torch.DoubleTensor']


def test_abstract_recurrent_keeps_the_recursive_helpers_as_fields(tmp_path):
    # AbstractRecurrent.lua: AbstractRecurrent.recursiveCopy = rnn.recursiveCopy (and five
    # more): rnn's tests call lstm.recursiveCopy(nil, gradParams)
    lines = _run(tmp_path, """
require 'rnn'
local l = nn.LSTM(2, 3)
local t = l.recursiveCopy(nil, {torch.ones(2), {torch.ones(3)}})
print(torch.type(t), t[1]:sum(), t[2][1]:sum(), nn.GRU.recursiveAdd == rnn.recursiveAdd)
""")
    assert lines == ['table\t2\t3\ttrue']


def test_dpnn_counts_as_loaded_after_rnn(tmp_path):
    # rnn's init.lua requires dpnn: after `require 'rnn'` a script's `require 'dpnn'` finds
    # it loaded (kvitajakub/rnn-textgen requires both); alone it is there too since session
    # 14 (dpnn's init.lua returns the global dpnn)
    lines = _run(tmp_path, """
print(select('#', require('dpnn')), require('dpnn') == dpnn, dpnn.version)
require 'rnn'
print(dpnn.version, require('dpnn') == dpnn)
""")
    assert lines[0] == "1\ttrue\t2"
    assert lines[1] == '2\ttrue'
