"""Session 21's sweep of optim (sw21d): scripts over every method, ConfusionMatrix and Logger,
run under our th and under the original Torch7; each test is one mechanism by which ours
printed something else. Every expectation is what the original Torch7 (/tmp/ref7: optim
a5ceed7 on LuaJIT 2.1.0-beta2) printed for the same code."""
import torch7py as torch
from torch7py import optim

from luatest import th_script


# -- an opfunc that is no function: LuaJIT's error names the line of the call ------------------

def test_opfunc_not_callable_names_the_lua_line(tmp_path):
    # the original printed each error after optim/<method>.lua:<line of `opfunc(x)`>
    src = """require 'optim'
local x = torch.Tensor{1, 2}
for _, m in ipairs{'sgd', 'adagrad', 'adadelta', 'adam', 'adamax', 'rmsprop', 'nag', 'asgd',
                   'rprop', 'lbfgs', 'cg'} do
   local ok, e = pcall(optim[m], nil, x, {})
   print(m, (e:gsub('^.-/share/lua/5%.1/', '')))
end
local ok, e = pcall(optim.checkgrad, 'f', x)
print((e:gsub('^.-/share/lua/5%.1/', '')))
local ok, e = pcall(optim.lswolfe, nil, x, 1, torch.Tensor{-1, -1}, 1, torch.Tensor{1, 1}, -2)
print((e:gsub('^.-/share/lua/5%.1/', '')))
local ok, e = pcall(optim.lbfgs, {}, x, {})
print((e:gsub('^.-/share/lua/5%.1/', '')))
local ok, e = pcall(optim.FistaLS, nil, nil, nil, x)
print((e:gsub('^.-/share/lua/5%.1/', '')))
print(x[1], x[2])
"""
    r = th_script(src, tmp_path)
    lines = {"sgd": 44, "adagrad": 31, "adadelta": 31, "adam": 37, "adamax": 34, "rmsprop": 35,
             "nag": 51, "asgd": 47, "rprop": 41, "lbfgs": 66, "cg": 78}
    want = "".join("%s\toptim/%s.lua:%d: attempt to call local 'opfunc' (a nil value)\t\n"
                   % (m, m, n) for m, n in lines.items())
    want += ("optim/checkgrad.lua:23: attempt to call local 'opfunc' (a string value)\t\n"
             "optim/lswolfe.lua:46: attempt to call local 'opfunc' (a nil value)\t\n"
             "optim/lbfgs.lua:66: attempt to call local 'opfunc' (a table value)\t\n"
             "optim/fista.lua:72: attempt to call local 'g' (a nil value)\t\n"
             "0\t1\t\n")  # (lswolfe moved x by t*d before calling opfunc)
    assert r.stdout == want, r.stderr


# -- optim.de's x.new(...) errors: a C function's error under Lua code names the Lua line ------

def test_de_new_errors_name_their_line(tmp_path):
    # the original printed de.lua:46 (x.new(maxFEs)), de.lua:47 (x.new(popsize, D)) and, for a
    # table popsize that x.new accepts, the for loop's error at de.lua:60
    src = """require 'optim'
local function f(v) return v:sum() end
local x = torch.Tensor{1, 2}
for _, cfg in ipairs{{popsize = 4}, {popsize = 'a', maxFEs = 5}, {popsize = {}, maxFEs = 5}} do
   local ok, e = pcall(optim.de, f, x, cfg)
   print((e:gsub('^.-/share/lua/5%.1/', ''):gsub(' at /[^ ]*%.c:%d+', '')))
end
local ok, e = pcall(optim.de, nil, x, {popsize = 4, maxFEs = 9})
print((e:gsub('^.-/share/lua/5%.1/', '')))
"""
    r = th_script(src, tmp_path)
    assert r.stdout == (
        "optim/de.lua:46: bad argument #1 to 'new' (expecting number or torch.DoubleTensor or "
        "torch.DoubleStorage)\t\n"
        "optim/de.lua:47: bad argument #1 to 'new' (expecting number or torch.DoubleTensor or "
        "torch.DoubleStorage)\t\n"
        "optim/de.lua:60: 'for' limit must be a number\t\n"
        "optim/de.lua:61: attempt to call local 'opfunc' (a nil value)\t\n"), r.stderr


def test_polyinterp_points_not_a_tensor_names_its_line(tmp_path):
    # the original printed optim/polyinterp.lua:102: attempt to index local 'points' (a nil value)
    r = th_script("require 'optim'\nlocal ok, e = pcall(optim.polyinterp, nil)\n"
                  "print((e:gsub('^.-/share/lua/5%.1/', '')))\n", tmp_path)
    assert r.stdout == ("optim/polyinterp.lua:102: attempt to index local 'points' "
                        "(a nil value)\t\n"), r.stderr


# -- ConfusionMatrix's buffers are fields of the object ---------------------------------------

def test_confusion_matrix_buffers_after_batch_add():
    # ConfusionMatrix.lua's __init makes _mat_flat (a view of mat), _target, _prediction, _max
    # (FloatTensor), _pred_idx, _targ_idx (LongTensor); batchAdd copies the batch into them and
    # takes the max of score rows. The original printed, after the batchAdd below:
    # _prediction 3x3 of the scores, _max 3x1 = 0.7 0.9 0.6, _pred_idx 3x1 = 2 1 3,
    # _target 3 = 2 1 1, _mat_flat's storage is mat's, and mat = 0 0 0 / 1 0 0 / 1 0 0 ...
    cm = optim.ConfusionMatrix(3)
    assert cm._mat_flat.storage() is cm.mat.storage() and cm._mat_flat.size(1) == 9
    for k in ("_target", "_prediction", "_max"):
        assert torch.typename(getattr(cm, k)) == "torch.FloatTensor"
    for k in ("_pred_idx", "_targ_idx"):
        assert torch.typename(getattr(cm, k)) == "torch.LongTensor"
    scores = torch.Tensor([[0.1, 0.7, 0.2], [0.9, 0.05, 0.05], [0.2, 0.2, 0.6]])
    cm.batchAdd(scores, torch.Tensor([2, 1, 1]))
    assert cm._prediction.size().totable() == [3, 3]
    assert [round(v, 6) for v in cm._max.view(-1).totable()] == [0.7, 0.9, 0.6]
    assert cm._pred_idx.view(-1).totable() == [2, 1, 3]
    assert cm._target.totable() == [2, 1, 1]
    assert cm.mat.view(-1).totable() == [1, 0, 1, 0, 1, 0, 0, 0, 0]
    assert cm._mat_flat.totable() == cm.mat.view(-1).totable()


def test_confusion_matrix_add_fills_the_buffers():
    # add(scores, target vector): _prediction and _target hold copies, _max the prediction's
    # max (the last max taken), _pred_idx/_targ_idx the argmaxes (the original: 0.8, 1, 3)
    cm = optim.ConfusionMatrix(3)
    cm.add(torch.Tensor([0.8, 0.1, 0.1]), torch.Tensor([0, 0, 1]))
    assert cm._prediction.size().totable() == [3]
    assert [round(v, 6) for v in cm._max.totable()] == [0.8]
    assert cm._pred_idx.totable() == [1] and cm._targ_idx.totable() == [3]
    assert cm.mat[3][1] == 1


def test_confusion_matrix_fields_and_render_through_th(tmp_path):
    # the original listed these keys and found render (ConfusionMatrix.lua's Lua function);
    # a bad sort mode fails at its line 296, and its sort sets the globals _ and order
    src = """require 'optim'
local cm = optim.ConfusionMatrix({'a', 'b', 'c'})
cm:batchAdd(torch.Tensor{1, 2, 3, 1}, torch.Tensor{1, 2, 2, 3})
local ks = {}
for k in pairs(cm) do ks[#ks + 1] = k end
table.sort(ks)
print(table.concat(ks, ' '))
print(cm._mat_flat:storage() == cm.mat:storage(), type(cm.render))
local ok, e = pcall(cm.render, cm, 'bogus')
print(ok, (e:gsub('^.-/share/lua/5%.1/', '')))
print(pcall(cm.render, optim.ConfusionMatrix(2)))
local ok = pcall(cm.render, cm)
print(ok, order[1], order[2], order[3], _[1], _[2], _[3])
"""
    r = th_script(src, tmp_path)
    assert r.stdout == (
        "_mat_flat _max _pred_idx _prediction _targ_idx _target averageValid classes mat "
        "nclasses totalValid unionvalids valids\t\n"
        "true\tfunction\t\n"
        "false\toptim/ConfusionMatrix.lua:296: sort mode must be one of: score | occurrence\t\n"
        "false\tbad argument #2 to '?' (invalid dimension 1)\t\n"
        "false\t1\t2\t3\t1\t0.5\t0\t\n"), r.stderr
