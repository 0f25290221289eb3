"""Session 21's sweep sw21a: what session 20's sweeps left different, and its neighbourhood.
Every expectation below is what the original Torch7 (/tmp/ref7: torch7 814ea4a, nn 8726825,
LuaJIT 2.1.0-beta2 with LUA52COMPAT) printed for the same code, never our own output."""
import numpy as np

import torch7py as torch

from luatest import th_script


# -- results that share their source's storage: TH's order ------------------------------------
# TH resizes the result first, then runs TH_TENSOR_DIM_APPLY (the dimensions other than d
# counted with the FIRST fastest) or TH_TENSOR_APPLY: a later slice reads what an earlier one
# wrote. sum/prod/max/min/std/var/norm/mean, cumsum/cumprod, sort/topk/kthvalue/median/mode,
# renorm, index (indexSelect), gather and scatter.

RED_LUA = "local function st(a) local o = {} for i = 1, a:storage():size() do o[#o+1] = string.format('%.17g', a:storage()[i]) end return table.concat(o, ' ') end\nfor _, C in ipairs{torch.DoubleTensor, torch.FloatTensor, torch.IntTensor} do\n  local function m() return C({{1, 2, 3}, {4, 5, 6}, {7, 8, 10}}) end\n  local a = m() torch.sum(a:select(1, 1), a, 1) print(st(a))\n  a = m() torch.prod(a:select(2, 1), a, 1) print(st(a))\n  a = m() torch.sum(a, a, 1) print(st(a), a:dim(), a:size(1), a:size(2))\n  a = m() torch.cumsum(a, a:t(), 2) print(st(a))\n  a = m() torch.cumprod(a:t(), a, 1) print(st(a))\n  a = m() torch.max(a:select(1, 3), torch.LongTensor(), a:t(), 1) print(st(a))\n  a = m() local _, i = torch.min(a:select(2, 1), torch.LongTensor(), a, 1) print(st(a), st(i))\n  if C ~= torch.IntTensor then\n    a = m() torch.mean(a:select(1, 2), a:t(), 1) print(st(a))\n    a = m() torch.std(a:select(1, 2), a:t(), 1) print(st(a))\n    a = m() torch.var(a:select(2, 1), a, 2) print(st(a))\n    a = m() torch.norm(a:select(1, 1), a, 3, 1) print(st(a))\n    a = m() torch.renorm(a, a:t(), 2, 1, 5) print(st(a))\n  end\n  a = m() torch.sort(a, torch.LongTensor(), a:t(), 1) print(st(a))\n  a = m() torch.topk(a:narrow(2, 1, 2), torch.LongTensor(), a:t(), 2, 2) print(st(a))\n  a = m() torch.median(a:select(1, 2), torch.LongTensor(), a, 2) print(st(a))\n  a = m() torch.mode(a:select(2, 3), torch.LongTensor(), a:t(), 2) print(st(a))\n  a = m() a:narrow(1, 2, 2):index(a, 1, torch.LongTensor{1, 2}) print(st(a))\n  a = C(2, 2, 2):copy(torch.range(1, 8)) a:gather(a:permute(2, 3, 1), 2, torch.LongTensor(2, 2, 2):fill(2)) print(st(a))\n  a = C(2, 2, 2):copy(torch.range(1, 8)) a:scatter(3, torch.LongTensor({{{2, 1}, {1, 2}}, {{1, 1}, {2, 2}}}), a:permute(3, 1, 2)) print(st(a))\nend\n"

# the original's stdout for RED_LUA
RED_REF = '11 13 16 4 5 6 7 8 10\t\n28 40 60 4 5 6 7 8 10\t\n0 0 0 4 5 6 7 8 10\t2\t1\t3\t\n1 5 12 5 10 18 12 30 40\t\n1 4 28 4 20 160 28 4480 44800\t\n1 2 3 4 5 6 3 6 10\t\n1 2 3 4 5 6 7 8 10\t1 1 1\t\n1 2 3 2 5.666666666666667 8.3333333333333339 7 8 10\t\n1 2 3 1 2.6457513110645907 1.5275252316519452 7 8 10\t\n1 1 2.3333333333333286 4 5 6 7 8 10\t\n7.4168595385323783 8.640122597711688 10.752027740799079 4 5 6 7 8 10\t\n0.61545744732090624 2.4618297892836249 4.3082021312463432 1.2624893794711189 2.564128082629332 4.1026049322069316 1.8512693613324618 1.7629225791337064 4.2970810211193546\t\n1 4 7 4 5 8 7 8 10\t\n1 4 3 4 5 6 3 6 10\t\n1 2 3 2 5 8 7 8 10\t\n1 2 1 2 1 6 7 8 10\t\n1 2 3 1 2 3 1 2 3\t\n2 6 2 6 4 8 4 8\t\n3 1 4 7 4 6 7 6\t\n11 13 16 4 5 6 7 8 10\t\n28 40 60 4 5 6 7 8 10\t\n0 0 0 4 5 6 7 8 10\t2\t1\t3\t\n1 5 12 5 10 18 12 30 40\t\n1 4 28 4 20 160 28 4480 44800\t\n1 2 3 4 5 6 3 6 10\t\n1 2 3 4 5 6 7 8 10\t1 1 1\t\n1 2 3 2 5.6666665077209473 8.3333330154418945 7 8 10\t\n1 2 3 1 2.6457512378692627 1.5275251865386963 7 8 10\t\n1 1 2.3333332538604736 4 5 6 7 8 10\t\n7.4168601036071777 8.6401233673095703 10.752028465270996 4 5 6 7 8 10\t\n0.61545741558074951 2.461829662322998 4.308201789855957 1.2624893188476563 2.5641279220581055 4.102604866027832 1.8512693643569946 1.7629226446151733 4.2970809936523438\t\n1 4 7 4 5 8 7 8 10\t\n1 4 3 4 5 6 3 6 10\t\n1 2 3 2 5 8 7 8 10\t\n1 2 1 2 1 6 7 8 10\t\n1 2 3 1 2 3 1 2 3\t\n2 6 2 6 4 8 4 8\t\n3 1 4 7 4 6 7 6\t\n11 13 16 4 5 6 7 8 10\t\n28 40 60 4 5 6 7 8 10\t\n0 0 0 4 5 6 7 8 10\t2\t1\t3\t\n1 5 12 5 10 18 12 30 40\t\n1 4 28 4 20 160 28 4480 44800\t\n1 2 3 4 5 6 3 6 10\t\n1 2 3 4 5 6 7 8 10\t1 1 1\t\n1 4 7 4 5 8 7 8 10\t\n1 4 3 4 5 6 3 6 10\t\n1 2 3 2 5 8 7 8 10\t\n1 2 1 2 1 6 7 8 10\t\n1 2 3 1 2 3 1 2 3\t\n2 6 2 6 4 8 4 8\t\n3 1 4 7 4 6 7 6\t\n'


def test_reductions_into_their_source_run_in_th_order(tmp_path):
    r = th_script(RED_LUA, tmp_path)
    assert r.stdout == RED_REF, r.stderr


def _m3(T):
    return T([[1, 2, 3], [4, 5, 6], [7, 8, 9]])


def _storage(t):
    s = t.storage()
    return [s[i] for i in range(1, s.size() + 1)]


def test_sum_into_a_row_of_its_source():
    # THTensor_(sum) over a stride other than 1: the row is zeroed, then the rows added into
    # it one after the other; the original printed 11 13 15 / 4 5 6 / 7 8 9
    for T in (torch.DoubleTensor, torch.IntTensor):
        a = _m3(T)
        torch.sum(a.select(1, 1), a, 1)
        assert _storage(a) == [11, 13, 15, 4, 5, 6, 7, 8, 9]


def test_cumsum_into_its_source_transposed():
    # the original printed 1 5 12 / 5 10 18 / 12 30 39 (row 2 reads row 1's new values)
    for T in (torch.DoubleTensor, torch.FloatTensor, torch.IntTensor):
        a = _m3(T)
        torch.cumsum(a, a.t(), 2)
        assert _storage(a) == [1, 5, 12, 5, 10, 18, 12, 30, 39]


def test_mean_of_itself_reads_the_resized_result():
    # torch.mean(a, a, 1): a becomes 1x3 before it is read; the original printed 0 0 0
    a = torch.DoubleTensor([[1, 2, 3], [4, 5, 6], [7, 8, 10]])
    torch.mean(a, a, 1)
    assert a.dim() == 2 and a.size(1) == 1 and a.size(2) == 3
    assert _storage(a) == [0, 0, 0, 4, 5, 6, 7, 8, 10]


def test_gather_3d_visits_slices_first_dimension_fastest():
    # the original printed 2 6 2 6 4 8 4 8 (gather along 2 from a permuted view of itself)
    a = torch.DoubleTensor(2, 2, 2).copy(torch.range(1, 8))
    a.gather(a.permute(2, 3, 1), 2, torch.LongTensor(2, 2, 2).fill(2))
    assert _storage(a) == [2, 6, 2, 6, 4, 8, 4, 8]


def test_index_select_rows_into_its_source():
    # the contiguous path copies row after row: the original printed 1 2 3 4 four times
    a = torch.DoubleTensor(4, 4).copy(torch.range(1, 16))
    a.narrow(1, 2, 3).index(a, 1, torch.LongTensor([1, 2, 3]))
    assert _storage(a) == [1, 2, 3, 4] * 4


def test_reductions_without_overlap_unchanged():
    a = _m3(torch.DoubleTensor)
    r = torch.DoubleTensor()
    torch.sum(r, a, 1)
    assert _storage(r) == [12, 15, 18]
    c = torch.cumsum(a, 2)
    assert np.array_equal(c.numpy(), [[1, 3, 6], [4, 9, 15], [7, 15, 24]])


# -- the Lua layer: rawlen, # of a class, factories, comparisons, stack overflow, field order --
LUA_LUA = "require 'nn'\nlocal function try(name, f)\n   local r = table.pack(pcall(f))\n   for i = 1, r.n do if type(r[i]) == 'string' then r[i] = r[i]:gsub('^.-:%d+: ', '') end end\n   print(name, table.unpack(r, 1, r.n))\nend\nzz = {}\nlocal Foo = torch.class('zz.Foo')\nfunction Foo:__init() self[1] = 'a' self[2] = 'b' end\ntry('rawlen', function() return rawlen(nn.Linear(2, 2)), rawlen(nn.Sequential():add(nn.Tanh())), rawlen(zz.Foo()), rawlen({1, 2}) end)\ntry('rawlen tensor', function() return rawlen(torch.Tensor(2)) end)\ntry('# class', function() return #nn.Linear, #zz.Foo end)\nlocal f = torch.factory('torch.Timer')\nprint(type(f), f == torch.Timer, torch.type(f()))\nprint(type(torch.factory('torch.CmdLine')), type(torch.factory('torch.Tester')))\nlocal t, s, l, g = torch.Tensor({1}), torch.DoubleStorage({1}), nn.Linear(1, 1), torch.Generator()\ntry('t < s', function() return t < s end)\ntry('s <= t', function() return s <= t end)\ntry('t < l', function() return t < l end)\ntry('l < zz.Foo()', function() return l < zz.Foo() end)\ntry('g <= torch.FloatTensor(1)', function() return g <= torch.FloatTensor(1) end)\nfunction Foo.__lt__(a, b) return true end\ntry('foo < t', function() return zz.Foo() < t end)\ntry('t < foo', function() return t < zz.Foo() end)\nlocal cyc = {} cyc.me = cyc\nlocal m = torch.MemoryFile():binary()\nm:referenced(false)\ntry('cycle', function() m:writeObject(cyc) end)\ntorch.manualSeed(1)\nlocal mt = nn.MixtureTable()\nmt:forward({torch.rand(2, 2), {torch.randn(2, 3), torch.randn(2, 3)}})\nlocal ks = {}\nfor k in pairs(mt) do ks[#ks+1] = k end\nprint(table.concat(ks, ' '))\n"

# the original's stdout for LUA_LUA
LUA_REF = "rawlen\ttrue\t0\t0\t2\t2\t\nrawlen tensor\tfalse\tbad argument #1 to '?' (table expected, got userdata)\t\n# class\ttrue\t0\t0\t\ntable\ttrue\ttorch.Timer\t\nfunction\tfunction\t\nt < s\tfalse\tboth torch.DoubleTensor and torch.DoubleStorage have no less-than operator\t\ns <= t\tfalse\tboth torch.DoubleStorage and torch.DoubleTensor have no less-equal operator\t\nt < l\tfalse\tboth torch.DoubleTensor and nn.Linear have no less-than operator\t\nl < zz.Foo()\tfalse\tboth nn.Linear and zz.Foo have no less-than operator\t\ng <= torch.FloatTensor(1)\tfalse\tboth torch.Generator and torch.FloatTensor have no less-equal operator\t\nfoo < t\ttrue\ttrue\t\nt < foo\tfalse\tboth torch.DoubleTensor and zz.Foo have no less-than operator\t\ncycle\tfalse\tstack overflow\t\ntable output gradInput dim batchSize size2 size _type _expertView dimG _gaterView backwardSetup _expert\t\n"


def test_lua_layer_rules(tmp_path):
    r = th_script(LUA_LUA, tmp_path)
    assert r.stdout == LUA_REF, r.stderr


def test_timer_factory_is_the_class_once_nn_is_loaded():
    __import__('torch7py.nn')  # (nn's Profile.lua: makeTorchTimerSerializable)
    assert torch.factory('torch.Timer') is torch.Timer
    assert torch.factory('torch.CmdLine') is not None


# -- luaT's operator hooks defined in Lua on classes torch7py implements in Python ----------
# luaT_mt__X: __X__ looked up in the first operand's metatable (the second's when the first
# has none) and called with both operands; __eq only between objects of one class.
HOOKS_LUA = "require 'nn'\nlocal function try(name, f)\n   local r = table.pack(pcall(f))\n   for i = 1, r.n do if type(r[i]) == 'string' then r[i] = r[i]:gsub('^.-:%d+: ', '') end end\n   print(name, table.unpack(r, 1, r.n))\nend\nlocal t1, t2, s1 = nn.Tanh(), nn.Tanh(), nn.Sigmoid()\ntry('before', function() return t1 == t2, #nn.Linear end)\ntry('before <', function() return t1 < t2 end)\nfunction nn.Tanh:__eq__(o) return true end\nfunction nn.Tanh:__add__(o) return 'added' end\nfunction nn.Tanh.__lt__(a, b) return true end\nfunction nn.Tanh.__le__(a, b) return false end\nfunction nn.Tanh:__len__() return 42 end\nfunction nn.Tanh.__concat__(a, b) return 'cat' end\ntry('==', function() return t1 == t2, t1 == s1, s1 == t1 end)\ntry('1 +', function() return 1 + t1 end)\ntry('<', function() return t1 < t2, t1 < s1 end)\ntry('<=', function() return t1 <= s1 end)\ntry('#', function() return #t1 end)\ntry('..', function() return t1 .. 'x', 1 .. t1 end)\ntry('x ..', function() return 'x' .. t1 end)\nfunction nn.Module:__eq__(o) return 'mod' end\ntry('Module.__eq__', function() return s1 == nn.Sigmoid(), nn.Linear(1, 1) == nn.Linear(1, 1) end)\n"

# the original's stdout for HOOKS_LUA
HOOKS_REF = 'before\ttrue\tfalse\t0\t\nbefore <\tfalse\tboth nn.Tanh and nn.Tanh have no less-than operator\t\n==\ttrue\ttrue\tfalse\tfalse\t\n1 +\ttrue\tadded\t\n<\ttrue\ttrue\ttrue\t\n<=\ttrue\tfalse\t\n#\ttrue\t42\t\n..\ttrue\tcat\tcat\t\nx ..\tfalse\tboth (null) and nn.Tanh have no concat operator\t\nModule.__eq__\ttrue\ttrue\ttrue\t\n'


def test_lua_defined_operator_hooks_on_python_classes(tmp_path):
    r = th_script(HOOKS_LUA, tmp_path)
    assert r.stdout == HOOKS_REF, r.stderr


def test_testsuite_is_no_class(tmp_path):
    # TestSuite.lua's torch.TestSuite is a function: the original printed nil nil nil table
    r = th_script("print(torch.getmetatable('torch.TestSuite'), "
                  "torch.getconstructortable('torch.TestSuite'), "
                  "torch.factory('torch.TestSuite'), torch.type(torch.TestSuite()))\n", tmp_path)
    assert r.stdout == "nil\tnil\tnil\ttable\t\n", r.stderr
