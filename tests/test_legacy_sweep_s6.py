"""Mechanisms found by running public legacy Torch7 code through th (session s6, see
docs/legacy_sweep.md); expectations from the original sources' rules, computed with numpy."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime().execute(code)


def _int(vals):
    t = torch.IntTensor(len(vals))
    t.numpy()[...] = vals
    return t


def test_lookuptable_backward_pairs_the_last_copied_input_with_gradoutput_rows():
    # LookupTable.lua: a non-Long input is copied into _input by updateOutput, and
    # accGradParameters uses _input (the LAST forward's indices); THNN reads gradOutput
    # row i for index i, whatever gradOutput's own shape (stanfordnlp/treelstm trains so)
    lt = nn.LookupTable(8, 3)
    lt.gradWeight.zero()
    s1, s2 = _int([1, 2, 3, 4, 5, 6]), _int([7, 7, 2, 8, 1])
    lt.forward(s1)
    lt.forward(s2)
    g = np.arange(18, dtype=np.float64).reshape(6, 3) / 7
    lt.backward(s1, torch.DoubleTensor(6, 3).copy(torch.from_numpy(g)))
    want = np.zeros((8, 3))
    for i, k in enumerate([7, 7, 2, 8, 1]):
        want[k - 1] += g[i]
    np.testing.assert_array_equal(lt.gradWeight.numpy(), want)


def test_lookuptable_backward_reads_zeros_past_a_short_gradoutput():
    lt = nn.LookupTable(4, 2)
    lt.gradWeight.zero()
    lt.forward(_int([1, 2, 3]))
    g = np.array([[1.0, 2.0], [3.0, 4.0]])
    lt.accGradParameters(_int([1, 2]), torch.from_numpy(g), 0.5)
    want = np.zeros((4, 2))
    want[0], want[1] = 0.5 * g[0], 0.5 * g[1]
    np.testing.assert_array_equal(lt.gradWeight.numpy(), want)


def test_lookuptable_scale_grad_by_freq_counts_per_vocabulary_row():
    # THNN resizes count to gradWeight's height and counts each index's occurrences
    lt = nn.LookupTable(5, 2).scaleGradByFreq()
    lt.gradWeight.zero()
    idx = torch.LongTensor(4)
    idx.numpy()[...] = [2, 4, 2, 2]
    lt.forward(idx)
    lt.backward(idx, torch.ones(4, 2))
    assert lt._count.size(1) == 5
    assert lt._count.numpy()[1] == 3 and lt._count.numpy()[3] == 1
    np.testing.assert_array_equal(lt.gradWeight.numpy()[:, 0], [0, 1, 0, 1, 0])


def test_pairs_never_yields_a_nil_field():
    # View.lua sets self.numInputDims = nil: next() skips nil values, so pairs lists no such key
    keys = lua("""require 'nn'
        local ks = {}
        for k, v in pairs(nn.View(784)) do ks[#ks + 1] = k .. '=' .. type(v) end
        return table.concat(ks, ' ')""")
    assert "numInputDims" not in keys
    assert "numElements=number" in keys


def test_reshape_fields_in_the_original_pairs_order():
    # recasens/torch-tutorial's Convolutional NN.ipynb, printed by Torch7: nn.Reshape(256)'s
    # fields in the order _type output gradInput size nelement batchsize (Reshape.lua sets
    # size, batchsize, then nelement)
    keys = lua("""require 'nn'
        local ks = {}
        for k in pairs(nn.Reshape(64*2*2)) do ks[#ks + 1] = k end
        return table.concat(ks, ' ')""")
    assert keys == "_type output gradInput size nelement batchsize"


@pytest.mark.parametrize("make,inp,gout", [
    ("nn.NarrowTable(2, 2)", "{a, b, c}", "{b:clone(), c:clone()}"),
    ("nn.JoinTable(1)", "{a, b}", "torch.ones(6)"),
    ("nn.MixtureTable()", "{torch.Tensor{0.25, 0.75}, {a, b}}", "torch.ones(3)"),
    ("nn.CosineDistance()", "{a, b}", "torch.ones(1)"),
    ("nn.CAddTensorTable()", "{a, {b, c:narrow(1, 1, 3)}}", "{a:clone(), b:clone()}"),
])
def test_table_modules_backward_after_a_script_read_their_gradinput(make, inp, gout):
    # a script that reads m.gradInput (print, pairs) gets a Lua table, which holds no nil:
    # the backward that follows gave the same gradients as without the read (NarrowTable
    # looped forever, JoinTable raised IndexError)
    code = """require 'nn'
        local a, b, c = torch.Tensor{1, 2, 3}, torch.Tensor{-1, 0.5, 2}, torch.Tensor{3, 1, 4, 1}
        local function run(touch)
           local m = %s
           local x, g = %s, %s
           m:forward(x)
           if touch then for k, v in pairs(m) do local _ = m[k] end end
           m:backward(x, g)
           m:forward(x)
           local gi = m:backward(x, g)
           local s = {}
           local function acc(t)
              if torch.isTensor(t) then s[#s + 1] = t:sum()
              else for _, v in ipairs(t) do acc(v) end end
           end
           acc(gi)
           return table.concat(s, ',')
        end
        return run(false) .. ' / ' .. run(true)""" % (make, inp, gout)
    plain, touched = lua(code).split(" / ")
    assert plain == touched and plain


def test_a_paren_opening_a_line_calls_the_expression_before_it():
    # Torch7's LuaJIT was built with LUA52COMPAT: lj_parse.c's parse_args skips the
    # "ambiguous syntax" check, so a '(' at the start of a line continues the call
    # (harvardnlp/seq2seq-attn's models.lua); a comment or blank lines may lie between
    out = lua("""
        local f, err = loadstring([[
           local function twice(x) return 2 * x end
           local t = {f = twice}
           local a = t.f
              (3)
           local b = (t.f) -- the function
           -- a comment line

              (4)
           return a, b, debug.getinfo(1, 'l').currentline
        ]], '=chunk')
        assert(f, err)
        local a, b, line = f()
        return a .. ' ' .. b .. ' ' .. line""")
    assert out == "6 8 9"  # the line numbers unchanged: return is line 9


def test_a_paren_call_across_lines_in_a_required_file(tmp_path):
    (tmp_path / "mod.lua").write_text("local M = {}\nM.v = tostring\n  (42)\nreturn M\n")
    out = lua("""package.path = '%s/?.lua;' .. package.path
        return require('mod').v""" % tmp_path)
    assert out == "42"


def test_a_class_own_index_function_serves_missing_keys():
    # torch.class returns luaT's metatable itself: a script that assigns C.__index replaces
    # luaT_mt__index, so obj[i] and obj:method() both go through it (seq2seq-attn's data)
    out = lua("""
        local C = torch.class('s6idx')
        function C:__init(n) self.rows = {} for i = 1, n do self.rows[i] = 10 * i end end
        function C:count() return #self.rows end
        function C.__index(self, k)
           if type(k) == 'string' then return C[k] end
           return {self.rows[k]}
        end
        local o = C.new(3)
        return o:count() .. ' ' .. o[2][1] .. ' ' .. tostring(o.rows ~= nil)""")
    assert out == "3 20 true"


@pytest.mark.parametrize("make,inserted", [
    # the fields in the order each nn 8726825 __init sets them (Module.__init: gradInput,
    # output, _type); a field set to nil where it had no key takes a node holding nil
    # (lj_meta_tset's lj_tab_newkey) that a later key may take over (luaorder.set_nil): the
    # orders below are the reference Torch7's (/tmp/ref7, nn 8726825) pairs() output
    ("nn.Add(3)", ["gradInput", "output", "_type", "scalar", "bias", "gradBias", "_ones"]),
    ("nn.Add(3, true)", ["gradInput", "output", "_type", "scalar", "bias", "gradBias", "_ones"]),
    ("nn.Dropout(0.3)", ["gradInput", "output", "_type", "p", "train", "inplace",
                         "stochastic_inference", "v2", "noise"]),
    ("nn.Padding(1, 2)", ["value", "index", "dim", "pad", "nInputDim", "outputSize",
                          "gradInput", "output", "_type"]),
    ("nn.MixtureTable()", ["gradInput", "output", "_type", "dim", "size", "batchSize", "size2",
                           "backwardSetup"]),
    ("nn.Copy('torch.DoubleTensor', 'torch.FloatTensor')", ["dontCast", "gradInput", "output",
                                                            "_type"]),
    ("nn.Reshape(2, 3, true)", ["gradInput", "output", "_type", "size", "batchsize",
                                "batchMode", "nelement"]),
    ("nn.TemporalMaxPooling(2)", ["gradInput", "output", "_type", "kW", "dW"]),
    ("nn.CAddTable()", ["gradInput", "output", "_type", "inplace"]),
    ("nn.LogSigmoid()", ["gradInput", "output", "_type"]),
    ("nn.MultiMarginCriterion()", ["p", "margin", "gradInput", "output", "sizeAverage"]),
    ("nn.VolumetricMaxPooling(2, 2, 2)", ["gradInput", "output", "_type", "kT", "kH", "kW",
                                          "dT", "dW", "dH", "padT", "padW", "padH",
                                          "ceil_mode", "indices"]),
    ("nn.SpatialCrossMapLRN(3)", ["gradInput", "output", "_type", "size", "alpha", "beta",
                                  "k"]),
])
def test_module_fields_in_the_order_of_the_original_init(make, inserted):
    from torch7py.luaorder import fields_order
    keys = lua("""require 'nn'
        local ks = {}
        for k in pairs(%s) do ks[#ks + 1] = k end
        return table.concat(ks, ' ')""" % make)
    nil = {"nn.Add(3)": "scalar", "nn.Dropout(0.3)": "inplace", "nn.Padding(1, 2)": "nInputDim",
           "nn.MixtureTable()": "dim", "nn.CAddTable()": "inplace"}.get(make, "dontCast")
    assert keys == " ".join(fields_order(inserted, (nil,) if nil in inserted else ()))


def test_setmetatable_makes_a_deep_copied_table_a_module(tmp_path):
    # fb.resnet.torch's checkpoints.lua: new tables for the modules over the same tensors,
    # torch.setmetatable(copy, torch.typename(tbl)); the copy is then a module of its own
    out = lua("""require 'nn'
        local function deepCopy(tbl)
           local copy = {}
           for k, v in pairs(tbl) do
              if type(v) == 'table' then copy[k] = deepCopy(v) else copy[k] = v end
           end
           if torch.typename(tbl) then torch.setmetatable(copy, torch.typename(tbl)) end
           return copy
        end
        local m = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
        local c = deepCopy(m)
        local r = {torch.type(c), torch.type(c.modules[1]),
                   tostring(c.modules[1].weight == m.modules[1].weight)}
        local f = c:float()
        r[#r + 1] = torch.type(f.modules[1].weight)
        r[#r + 1] = torch.type(m.modules[1].weight)
        r[#r + 1] = tostring(f.modules[1].weight:sum() == m.modules[1].weight:float():sum())
        torch.save('%s/c.t7', f)
        local back = torch.load('%s/c.t7')
        r[#r + 1] = tostring(#back.modules)
        r[#r + 1] = tostring(back):gsub('\\n', '|')
        return table.concat(r, ' ')""" % (tmp_path, tmp_path))
    assert out == ("nn.Sequential nn.Linear true torch.FloatTensor torch.DoubleTensor true 2 "
                   "nn.Sequential {|  [input -> (1) -> (2) -> output]|  (1): nn.Linear(3 -> 2)|"
                   "  (2): nn.Tanh|}")


def test_pairs_over_a_class_metatable_lists_no_nil_method():
    # jiangpinghuang/Lua_20160709's torch7_Utility.lua walks torch.getmetatable('torch.CharStorage')
    out = lua("""local bad, n = {}, 0
        for k, v in pairs(torch.getmetatable('torch.CharStorage')) do
           n = n + 1
           if v == nil then bad[#bad + 1] = k end
        end
        return #bad .. ' ' .. tostring(n > 5)""")
    assert out == "0 true"


def test_parallel_criterion_backward_after_a_script_read_its_gradinput():
    # recursiveResizeAs grows a Lua table given as t1 one element at a time (it padded with
    # nil, which a Lua table does not hold: the backward looped forever), then drops t1's
    # elements past t2's, as utils.lua sets the keys t2 lacks to nil
    out = lua("""require 'nn'
        local c = nn.ParallelCriterion():add(nn.MSECriterion()):add(nn.MSECriterion())
        local x = {torch.Tensor{1, 2, 3}, torch.Tensor{4, 5}}
        local y = {torch.Tensor{0, 2, 5}, torch.Tensor{4, 3}}
        c:forward(x, y)
        local g0 = c.gradInput
        local g = c:backward(x, y)
        local t = nn.utils.recursiveResizeAs({torch.Tensor(1), torch.Tensor(1), torch.Tensor(1)},
                                             {torch.Tensor(2)})
        return {#g, rawequal(g, g0), g[1][1], g[1][3], g[2][2], #t, t[1]:size(1)}""")
    # MSE with sizeAverage: 2 (x - y) / n
    assert list(out) == [2, True, 2 * 1 / 3, 2 * -2 / 3, 2 * 2 / 2, 1, 2]


def test_table_buffers_grow_after_a_script_read_them():
    # a buffer a script has read is a live Lua table, which cannot hold a nil placeholder: the
    # second, longer input made ConcatTable's backward loop forever; the gradients are the
    # sums of the branches' gradOutputs, each element of the table input (2 branches)
    out = lua("""require 'nn'
        local m = nn.ConcatTable():add(nn.Identity()):add(nn.Identity())
        local x = {torch.ones(2)}
        m:forward(x); m:backward(x, {{torch.ones(2)}, {torch.ones(2)}})
        for k in pairs(m) do local _ = m[k] end
        local x2 = {torch.ones(2), torch.Tensor{1, 2, 3}}
        m:forward(x2)
        local g = {torch.Tensor{1, 2}, torch.Tensor{3, 4, 5}}
        local gi = m:backward(x2, {g, {g[1]:clone(), g[2]:clone()}})
        local d = nn.DontCast(nn.Identity(), true)
        d:forward({torch.ones(1)})
        for k in pairs(d) do local _ = d[k] end
        local o = d:forward({torch.ones(1), torch.ones(2)})
        return {#gi, gi[1]:sum(), gi[2]:sum(), #o, o[2]:size(1)}""")
    assert list(out) == [2, 6, 24, 2, 2]
