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


# -- lbfgs, cg, rprop: a config or state field that is no number fails where the Lua uses it --
# (`config.x or default` keeps any value: a numeric string computes where Lua's arithmetic,
# for loops and C number arguments coerce it; anything else fails with LuaJIT's or the C
# function's error at that line, the state holding what the Lua had put there by then)

_CFG_SRC = r"""require 'optim'
local function f(v) return v:dot(v), v * 2 end
local function run(m, cfg, st)
   local x = torch.Tensor{1, 2}
   st = st or {}
   local ok, e, h = pcall(optim[m], f, x, cfg, st)
   local ks = {}
   for k in pairs(st) do ks[#ks + 1] = k end
   table.sort(ks)
   e = ok and ('ok ' .. #h) or tostring(e):gsub('^.-/share/lua/5%.1/', ''):gsub('\n.*', '')
   print(m, e, string.format('%.17g %.17g', x[1], x[2]), table.concat(ks, ' '))
end
run('lbfgs', {tolFun = 'f'})
run('lbfgs', {tolFun = {}})
run('lbfgs', {tolX = 'x'})
run('lbfgs', {tolX = '1e-9', maxIter = 3})
run('lbfgs', {nCorrection = 'c'})
run('lbfgs', {nCorrection = '3', maxIter = 4})
run('lbfgs', {learningRate = 'l'})
run('lbfgs', {}, {nIter = 'q'})
run('lbfgs', {}, {funcEval = 'e'})
run('lbfgs', {maxIter = 2}, {funcEval = '10'})
run('cg', {maxIter = 'x'})
run('cg', {maxIter = 'x', maxEval = 5})
run('cg', {maxEval = 'e'})
run('cg', {maxEval = '6'})
run('rprop', {niter = 'n'})
run('rprop', {niter = '2'})
run('rprop', {stepsize = 's'})
run('rprop', {stepsize = '0.5'})
run('rprop', {etaplus = 'p'})
run('rprop', {etaminus = true})
run('rprop', {stepsizemax = {}})
run('rprop', {stepsizemin = 'x'})
run('rprop', {stepsizemin = '0.5'})
"""

_CFG_OUT = (
    'lbfgs\toptim/lbfgs.lua:75: attempt to compare string with number\t1 2\tfuncEval nIter tmp1\t\n'
    'lbfgs\toptim/lbfgs.lua:75: attempt to compare table with number\t1 2\tfuncEval nIter tmp1\t\n'
    "lbfgs\toptim/lbfgs.lua:186: attempt to perform arithmetic on local 'tolX' (a string value)\t1 2\tdir_bufs funcEval nIter stp_bufs tmp1\t\n"
    'lbfgs\toptim/lbfgs.lua:244: attempt to compare string with number\t0.66666666666666674 1.3333333333333335\tdir_bufs funcEval nIter stp_bufs tmp1\t\n'
    "lbfgs\toptim/lbfgs.lua:84: attempt to perform arithmetic on local 'nCorrection' (a string value)\t1 2\tfuncEval nIter tmp1\t\n"
    "lbfgs\tbad argument #1 to '?' (expecting number or torch.DoubleTensor or torch.DoubleStorage)\t0.66666666666666674 1.3333333333333335\tdir_bufs funcEval nIter stp_bufs tmp1\t\n"
    "lbfgs\toptim/lbfgs.lua:193: attempt to perform arithmetic on local 'learningRate' (a string value)\t1 2\tdir_bufs funcEval nIter stp_bufs tmp1\t\n"
    "lbfgs\toptim/lbfgs.lua:106: attempt to perform arithmetic on field 'nIter' (a string value)\t1 2\tdir_bufs funcEval nIter stp_bufs tmp1\t\n"
    "lbfgs\toptim/lbfgs.lua:69: attempt to perform arithmetic on field 'funcEval' (a string value)\t1 2\tfuncEval nIter\t\n"
    'lbfgs\tok 2\t-1.1102230246251565e-16 -2.2204460492503131e-16\tHdiag al d dir_bufs f_old funcEval g_old nIter old_dirs old_stps ro stp_bufs t tmp1\t\n'
    "cg\toptim/cg.lua:43: attempt to perform arithmetic on local 'maxIter' (a string value)\t1 2\t\t\n"
    "cg\toptim/cg.lua:101: bad argument #1 to 'min' (number expected, got string)\t0.90476190476190477 1.8095238095238095\t\t\n"
    "cg\toptim/cg.lua:89: bad argument #1 to 'abs' (number expected, got string)\t1 2\t\t\n"
    'cg\tok 3\t-0.032069970845481202 -0.064139941690962404\tdf0 df1 df2 df3 s x0\t\n'
    "rprop\toptim/rprop.lua:38: 'for' limit must be a number\t1 2\t\t\n"
    'rprop\tok 2\t0.78000000000000003 1.7799999999999998\tdelta dminmax nsign psign sign stepsize zsign\t\n'
    'rprop\toptim/rprop.lua:46: invalid arguments: DoubleTensor string \t1 2\tdelta\t\n'
    'rprop\tok 1\t0.5 1.5\tdelta dminmax nsign psign sign stepsize zsign\t\n'
    'rprop\tnumber or torch.DoubleTensor expected\t1 2\tdelta dminmax nsign psign sign stepsize zsign\t\n'
    'rprop\tnumber or torch.DoubleTensor expected\t1 2\tdelta dminmax nsign psign sign stepsize zsign\t\n'
    'rprop\toptim/rprop.lua:80: invalid arguments: ByteTensor DoubleTensor table \t1 2\tdelta dminmax nsign psign sign stepsize zsign\t\n'
    'rprop\toptim/rprop.lua:83: invalid arguments: ByteTensor DoubleTensor string \t1 2\tdelta dminmax nsign psign sign stepsize zsign\t\n'
    'rprop\tok 1\t0.5 1.5\tdelta dminmax nsign psign sign stepsize zsign\t\n')


def test_lbfgs_cg_rprop_config_values_fail_where_the_lua_uses_them(tmp_path):
    # _CFG_OUT is what the original printed (its C-file suffixes removed)
    r = th_script(_CFG_SRC, tmp_path)
    assert r.stdout == _CFG_OUT, r.stderr


def test_adam_state_t_numeric_string_counts_on(tmp_path):
    # adam.lua's `state.t = state.t + 1` (line 56) coerces a numeric string as Lua's
    # arithmetic does; the original printed the step and t = 3, a number, then the error at 54
    src = r"""require 'optim'
local x = torch.Tensor{1, 2}
local st = {t = '2'}
local ok, e = pcall(optim.adam, function(v) return v:dot(v), v * 2 end, x, {learningRate = 0.1}, st)
print(ok, string.format('%.17g %.17g', x[1], x[2]), st.t, type(st.t))
local st2 = {t = 'z'}
local ok, e = pcall(optim.adam, function(v) return v:dot(v), v * 2 end, x, {}, st2)
print(ok, (tostring(e):gsub('^.-/share/lua/5%.1/', '')), st2.t, st2.m ~= nil)
"""
    r = th_script(src, tmp_path)
    assert r.stdout == (
        "true\t0.93611865016067675 1.9361186451104131\t3\tnumber\t\n"
        "false\toptim/adam.lua:54: attempt to perform arithmetic on field 't' (a string value)"
        "\tz\ttrue\t\n"), r.stderr


# -- pairs() of the tables optim fills: Python's inserts are noted in their order -------------

_PAIRS_SRC = r"""require 'optim'
local function f(v) return v:dot(v), v * 2 end
local function order(t)
   local ks = {}
   for k in pairs(t) do ks[#ks + 1] = k end
   return table.concat(ks, ' ')
end
for _, m in ipairs{'sgd', 'adagrad', 'adadelta', 'adam', 'adamax', 'rmsprop', 'nag', 'asgd', 'rprop', 'lbfgs', 'cg'} do
   local st = {}
   optim[m](f, torch.Tensor{1, 2}, {learningRate = 0.1, momentum = 0.5}, st)
   optim[m](f, torch.Tensor{1, 2}, {learningRate = 0.1, momentum = 0.5}, st)
   print(m, order(st))
end
local cfg = {eta0 = 0.2, t0 = 1}
optim.asgd(f, torch.Tensor{1, 2}, cfg)
print('asgd cfg', order(cfg))
local cfg2 = {learningRate = 0.1, momentum = 0.9}
optim.sgd(f, torch.Tensor{1, 2}, cfg2)
print('sgd cfg', order(cfg2))
"""


def test_pairs_over_optim_state_and_config_tables(tmp_path):
    # pairs() visits a LuaJIT table's keys in an order that follows the order they went in;
    # optim's Python writes (state fields, asgd's config defaults) are noted as they happen,
    # after the keys a constructor put there. The original printed:
    r = th_script(_PAIRS_SRC, tmp_path)
    assert r.stdout == (
        'sgd\tdfdx evalCounter\t\n'
        'adagrad\tparamStd evalCounter paramVariance\t\n'
        'adadelta\taccDelta paramStd evalCounter delta paramVariance\t\n'
        'adam\tv denom t m\t\n'
        'adamax\tt max u m\t\n'
        'rmsprop\ttmp m\t\n'
        'nag\tdfdx evalCounter\t\n'
        'asgd\teta_t tmp mu_t ax t\t\n'
        'rprop\tdminmax nsign zsign delta psign stepsize sign\t\n'
        'lbfgs\tal ro g_old stp_bufs dir_bufs funcEval old_dirs d t f_old tmp1 old_stps Hdiag nIter\t\n'
        'cg\tdf0 df2 s x0 df3 df1\t\n'
        'asgd cfg\tlambda tmp t0 ax t eta_t alpha eta0 mu_t\t\n'
        'sgd cfg\tevalCounter learningRate dfdx momentum\t\n'), r.stderr


# -- integer parameter tensors take the Lua's steps (TH's integer arithmetic decides)

_FIRST_ORDER_METHODS_ON_INTEGER_TENSORS_SRC = r"""require 'optim'
for _, name in ipairs{'sgd', 'adagrad', 'adadelta', 'adam', 'adamax', 'rmsprop', 'nag', 'asgd'} do
   for _, tp in ipairs{'torch.LongTensor', 'torch.IntTensor'} do
      local x = torch.Tensor{3, 4}:type(tp)
      local ok, e = pcall(optim[name], function(v) return 1, torch.Tensor{2, -2}:type(tp) end, x, {learningRate = 2}, {})
      e = ok and 'ok' or tostring(e):gsub('^.-/share/lua/5%.1/', ''):gsub(' at /[^ ]*%.c:%d+', '')
      print(name, tp, e, x[1], x[2])
   end
end
"""


def test_first_order_methods_on_integer_tensors(tmp_path):
    # the numpy paths compute in float and double only; an integer x goes through the Lua's steps: sgd/nag/asgd update it with TH's integer casts, the others fail on the sqrt an integer tensor lacks or on adam's x.new(dfdx:size()) of a LongTensor (one element: a LongTensor is a size there). The original printed:
    r = th_script(_FIRST_ORDER_METHODS_ON_INTEGER_TENSORS_SRC, tmp_path)
    assert r.stdout == (
        'sgd\ttorch.LongTensor\tok\t-1\t8\t\n'
        'sgd\ttorch.IntTensor\tok\t-1\t8\t\n'
        "adagrad\ttorch.LongTensor\toptim/adagrad.lua:47: attempt to call method 'sqrt' (a nil value)\t3\t4\t\n"
        "adagrad\ttorch.IntTensor\toptim/adagrad.lua:47: attempt to call method 'sqrt' (a nil value)\t3\t4\t\n"
        "adadelta\ttorch.LongTensor\toptim/adadelta.lua:46: attempt to call method 'sqrt' (a nil value)\t3\t4\t\n"
        "adadelta\ttorch.IntTensor\toptim/adadelta.lua:46: attempt to call method 'sqrt' (a nil value)\t3\t4\t\n"
        'adam\ttorch.LongTensor\toptim/adam.lua:59: inconsistent tensor size, expected r_ [1], t [1] and src [2] to have the same number of elements, but got 1, 1 and 2 elements respectively\t3\t4\t\n'
        "adam\ttorch.IntTensor\toptim/adam.lua:62: attempt to call method 'sqrt' (a nil value)\t3\t4\t\n"
        'adamax\ttorch.LongTensor\toptim/adamax.lua:53: inconsistent tensor size, expected r_ [1], t [1] and src [2] to have the same number of elements, but got 1, 1 and 2 elements respectively\t3\t4\t\n'
        'adamax\ttorch.IntTensor\tok\t3\t4\t\n'
        "rmsprop\ttorch.LongTensor\toptim/rmsprop.lua:53: attempt to call method 'sqrt' (a nil value)\t3\t4\t\n"
        "rmsprop\ttorch.IntTensor\toptim/rmsprop.lua:53: attempt to call method 'sqrt' (a nil value)\t3\t4\t\n"
        'nag\ttorch.LongTensor\tok\t-1\t8\t\n'
        'nag\ttorch.IntTensor\tok\t-1\t8\t\n'
        'asgd\ttorch.LongTensor\tok\t0\t0\t\n'
        'asgd\ttorch.IntTensor\tok\t0\t0\t\n'), r.stderr


# -- a string as config or state

_STRING_CONFIG_OR_STATE_READS_NIL_AND_FAILS_AT_THE_FIRST_WRITE_SRC = r"""require 'optim'
local function f(v) return v:dot(v), v * 2 end
for _, m in ipairs{'sgd', 'adam', 'adamax', 'adagrad', 'adadelta', 'rmsprop', 'nag', 'asgd', 'rprop', 'lbfgs', 'cg'} do
   for _, args in ipairs{{'cfg'}, {{}, 'st'}, {'cfg', {}}} do
      local x = torch.Tensor{1, 2}
      local ok, e = pcall(optim[m], f, x, args[1], args[2])
      print(m, ok or (e:gsub('^.-/share/lua/5%.1/', '')), string.format('%.17g %.17g', x[1], x[2]))
   end
end
"""


def test_string_config_or_state_reads_nil_and_fails_at_the_first_write(tmp_path):
    # Lua indexes a string through the string library: config.x reads nil, and the first write (state.evalCounter = ..., asgd's config.eta0 = ...) fails at its line; cg writes state only at its end (line 201), after its iterations. The original printed:
    r = th_script(_STRING_CONFIG_OR_STATE_READS_NIL_AND_FAILS_AT_THE_FIRST_WRITE_SRC, tmp_path)
    assert r.stdout == (
        "sgd\toptim/sgd.lua:39: attempt to index local 'state' (a string value)\t1 2\t\n"
        "sgd\toptim/sgd.lua:39: attempt to index local 'state' (a string value)\t1 2\t\n"
        'sgd\ttrue\t0.998 1.996\t\n'
        "adam\toptim/adam.lua:45: attempt to index local 'state' (a string value)\t1 2\t\n"
        "adam\toptim/adam.lua:45: attempt to index local 'state' (a string value)\t1 2\t\n"
        'adam\ttrue\t0.99900000015811385 1.9990000000790569\t\n'
        "adamax\toptim/adamax.lua:42: attempt to index local 'state' (a string value)\t1 2\t\n"
        "adamax\toptim/adamax.lua:42: attempt to index local 'state' (a string value)\t1 2\t\n"
        'adamax\ttrue\t0.998 1.998\t\n'
        "adagrad\toptim/adagrad.lua:27: attempt to index local 'state' (a string value)\t1 2\t\n"
        "adagrad\toptim/adagrad.lua:27: attempt to index local 'state' (a string value)\t1 2\t\n"
        'adagrad\ttrue\t0.99900000000004996 1.999000000000025\t\n'
        "adadelta\toptim/adadelta.lua:29: attempt to index local 'state' (a string value)\t1 2\t\n"
        "adadelta\toptim/adadelta.lua:29: attempt to index local 'state' (a string value)\t1 2\t\n"
        'adadelta\ttrue\t0.99683772629267131 1.996837723328043\t\n'
        "rmsprop\toptim/rmsprop.lua:44: attempt to index local 'state' (a string value)\t1 2\t\n"
        "rmsprop\toptim/rmsprop.lua:44: attempt to index local 'state' (a string value)\t1 2\t\n"
        'rmsprop\ttrue\t0.90000000499999977 1.9000000024999999\t\n'
        "nag\toptim/nag.lua:36: attempt to index local 'state' (a string value)\t1 2\t\n"
        "nag\toptim/nag.lua:36: attempt to index local 'state' (a string value)\t1 2\t\n"
        'nag\ttrue\t0.998 1.996\t\n'
        "asgd\toptim/asgd.lua:36: attempt to index local 'config' (a string value)\t1 2\t\n"
        "asgd\toptim/asgd.lua:42: attempt to index local 'state' (a string value)\t1 2\t\n"
        "asgd\toptim/asgd.lua:36: attempt to index local 'config' (a string value)\t1 2\t\n"
        "rprop\toptim/rprop.lua:45: attempt to index local 'state' (a string value)\t1 2\t\n"
        "rprop\toptim/rprop.lua:45: attempt to index local 'state' (a string value)\t1 2\t\n"
        'rprop\ttrue\t0.90000000000000002 1.8999999999999999\t\n'
        "lbfgs\toptim/lbfgs.lua:50: attempt to index local 'state' (a string value)\t1 2\t\n"
        "lbfgs\toptim/lbfgs.lua:50: attempt to index local 'state' (a string value)\t1 2\t\n"
        'lbfgs\ttrue\t-1.1102230246251565e-16 -2.2204460492503131e-16\t\n'
        "cg\toptim/cg.lua:201: attempt to index local 'state' (a string value)\t-7.5793927798625599e-77 -1.515878555972512e-76\t\n"
        "cg\toptim/cg.lua:201: attempt to index local 'state' (a string value)\t-7.5793927798625599e-77 -1.515878555972512e-76\t\n"
        'cg\ttrue\t-7.5793927798625599e-77 -1.515878555972512e-76\t\n'), r.stderr


# -- optim.Logger's fields

_LOGGER_FIELDS_BEFORE_AND_AFTER_ADD_SRC = r"""require 'optim'
local lg = optim.Logger('/tmp/sw21d_lk/a.log')
local function ks(t) local r = {} for k, v in pairs(t) do if k ~= 'file' then r[#r + 1] = k .. ':' .. type(v) end end table.sort(r) return table.concat(r, ' ') end
print(ks(lg))
print(lg.nsymbols, lg.warned, lg.figure, lg.plotRawCmd)
lg:add{1, 2}
print(ks(lg))
print(lg.nsymbols, lg.warned)
"""


def test_logger_fields_before_and_after_add(tmp_path):
    # Logger.lua's __init sets no nsymbols (add/setNames do) and no warned (plot does); torch7py's PNG path is no field. The original printed:
    r = th_script(_LOGGER_FIELDS_BEFORE_AND_AFTER_ADD_SRC, tmp_path)
    assert r.stdout == (
        'defaultStyle:string empty:boolean epsfile:string idx:table logscale:boolean name:string names:table showPlot:boolean styles:table symbols:table\t\n'
        'nil\tnil\tnil\tnil\t\n'
        'defaultStyle:string empty:boolean epsfile:string idx:table logscale:boolean name:string names:table nsymbols:number showPlot:boolean styles:table symbols:table\t\n'
        '2\tnil\t\n'), r.stderr


# -- checkgrad's tensor loss; LuaJIT's math.min/max with a NaN

_CHECKGRAD_TENSOR_LOSS_AND_LUA_MINMAX_NAN_SRC = r"""require 'optim'
local x = torch.Tensor{0.5, -0.25, 2}
local d, dC, dCe = optim.checkgrad(function(v) return torch.Tensor{v:dot(v)}, v * 2 end, x)
print(string.format('%.17g', d), dCe[1], dCe[2], dCe[3], x[1], x[2], x[3])
print(optim.polyinterp(torch.Tensor{{0, 0, 0}, {1, 0, 0}}))
print(optim.polyinterp(torch.Tensor{{1, 0, 0}, {0, 0, 0}}))
print(optim.polyinterp(torch.Tensor{{0, 0/0, 1}, {2, 1, 1}}))
"""


def test_checkgrad_tensor_loss_and_lua_minmax_nan(tmp_path):
    # checkgrad.lua copies a tensor loss into Ctmp and stores the 1-element (C1 - C2) / (2 * eps) as dC_est[i]; polyinterp's math.min(math.max(t, x1), x2) of a NaN t is x1 (minsd/maxsd return the later argument where a NaN is compared). The original printed:
    r = th_script(_CHECKGRAD_TENSOR_LOSS_AND_LUA_MINMAX_NAN_SRC, tmp_path)
    assert r.stdout == (
        '4.5465424827384894e-10\t1.0000000028043\t-0.50000000140216\t3.9999999978946\t0.5\t-0.25\t2\t\n'
        '0\t\n'
        '0\t\n'
        '1\t\n'), r.stderr
