"""The bridge's per-call paths that legacy per-sample loops lean on keep Lua's semantics: an
object result that Lua already has a proxy for comes back as that proxy (found by id), a fresh
one as a new proxy; a field holding an object or a number; a Lua function passed as an argument;
a state table passed at every step (the same Python mapping while it stays a non-list table);
a fresh result list as a plain table, a list Python keeps as its live table."""
import gc

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402
import torch7py as torch  # noqa: E402


class _Holder:
    """A Python object with a kept tensor, a kept list, and methods returning fresh ones."""

    def __init__(self):
        self.t = torch.zeros(3)
        self.lst = [1, 2]
        self.n = 7.5
        self.calls = 0

    def kept(self):
        return self.t

    def fresh(self, v):
        return torch.Tensor(2).fill(v)

    def keptlist(self):
        return self.lst

    def freshlist(self, v):
        return [v, v + 1]

    def pair(self, v):
        return self.t, [v]

    def nested(self):
        return [[1, 2], [3]]

    def callf(self, f, x):
        self.calls += 1
        return f(x)

    def readstate(self, state):
        state["count"] = (state.get("count") or 0) + 1
        return state.get("lr")

    def ident(self, state):
        return id(state)

    def kind(self, t):
        return type(t).__name__


@pytest.fixture()
def rt():
    r = LuaRuntime()
    r.globals.h = r.to_lua(_Holder())
    return r


def test_kept_object_comes_back_as_its_proxy(rt):
    assert rt.execute("""
        local a = h:kept()
        local b = h:kept()
        a[1] = 4
        return a == b and rawequal(a, b) and a == h.t and h.t[1] == 4
    """) is True


def test_kept_object_after_its_proxy_was_collected(rt):
    # the proxy dies, the object stays in Python: the next result makes a new proxy
    r = rt.execute("""
        local first = tostring(h:kept())
        collectgarbage(); collectgarbage()
        local t = h:kept()
        t:fill(2)
        return t:sum(), h.t:sum(), torch.typename(t)
    """)
    assert r == (6, 6, "torch.DoubleTensor")


def test_fresh_objects_are_distinct(rt):
    r = rt.execute("""
        local seen = {}
        for i = 1, 50 do
           local t = h:fresh(i)
           seen[#seen + 1] = t
        end
        collectgarbage()
        local ok = true
        for i = 1, 50 do ok = ok and seen[i][1] == i and seen[i]:size(1) == 2 end
        for i = 2, 50 do ok = ok and not rawequal(seen[i], seen[i - 1]) end
        return ok
    """)
    assert r is True


def test_fields_numbers_and_objects(rt):
    r = rt.execute("""
        local a = h.n
        local t1 = h.t
        local t2 = h.t
        h.n = 3
        return a, rawequal(t1, t2), h.n, h.missing == nil
    """)
    assert r == (7.5, True, 3, True)


def test_lua_function_argument_is_called(rt):
    r = rt.execute("""
        local k = 10
        local r = h:callf(function(x) k = k + x; return x * 2 end, 5)
        local ok, err = pcall(function() return h:callf(function() error('boom') end, 1) end)
        return r, k, ok, tostring(err):find('boom') ~= nil
    """)
    assert r == (10, 15, False, True)
    assert rt.execute("return h.calls") == 2


def test_state_table_is_one_mapping_while_it_is_no_list(rt):
    r = rt.execute("""
        local state = {lr = 0.5}
        local ids = {}
        for i = 1, 5 do
           assert(h:readstate(state) == 0.5)
           ids[i] = h:ident(state)
        end
        collectgarbage()
        assert(h:readstate(state) == 0.5)
        return state.count, ids[1] == ids[5]
    """)
    assert r == (6, True)


def test_state_table_that_becomes_a_list_and_back(rt):
    # a table seen as a mapping, then as a list: the mapping kept for the table's next
    # crossing is dropped, and Python sees what _b_fromtable makes of the table each time
    r = rt.execute("""
        local t = {lr = 1}
        local k1 = h:kind(t)
        assert(h:readstate(t) == 1)
        t.lr = nil; t.count = nil
        t[1] = 'a'
        local k2 = h:kind(t)
        t[1] = nil
        t.lr = 2
        return k1, k2, h:kind(t), h:kind({lr = 3}), h:kind({})
    """)
    assert r == ("LuaTableMapping", "list", "list", "LuaTableMapping", "EmptyTable")


def test_result_lists(rt):
    r = rt.execute("""
        local kept = h:keptlist()
        kept[3] = 9            -- a list Python holds: its live table
        local a = h:freshlist(1)
        local b = h:freshlist(1)
        a[1] = 100             -- a fresh one is the caller's own table
        local t, l = h:pair(4)
        local n = h:nested()
        return rawequal(kept, h:keptlist()), #h.lst, a[1], b[1], #a, rawequal(t, h.t), l[1],
           #l, n[1][2], n[2][1]
    """)
    assert r == (True, 3, 100, 1, 2, True, 4, 1, 2, 3)


def test_optim_sgd_from_lua_matches_python():
    code = """
        require 'nn'; require 'optim'
        local net = nn.Sequential():add(nn.Linear(4, 6)):add(nn.Tanh()):add(nn.Linear(6, 3))
           :add(nn.LogSoftMax())
        local crit = nn.ClassNLLCriterion()
        local p, g = net:getParameters()
        p:copy(torch.linspace(-1, 1, p:nElement()))
        local state = {learningRate = 0.1, momentum = 0.5}
        local losses = {}
        for i = 1, 30 do
           local x = torch.linspace(-1, 1, 4) * (i / 7)
           local y = (i % 3) + 1
           local _, fs = optim.sgd(function(q)
              g:zero()
              local l = crit:forward(net:forward(x), y)
              net:backward(x, crit:backward(net.output, y))
              return l, g
           end, p, state)
           losses[i] = fs[1]
        end
        return p:clone(), losses, state.evalCounter
    """
    rt = LuaRuntime()
    p_lua, losses_lua, count = rt.execute(code)
    from torch7py import nn, optim
    net = (nn.Sequential().add(nn.Linear(4, 6)).add(nn.Tanh()).add(nn.Linear(6, 3))
           .add(nn.LogSoftMax()))
    crit = nn.ClassNLLCriterion()
    p, g = net.getParameters()
    p.copy(torch.linspace(-1, 1, p.nElement()))
    state = {"learningRate": 0.1, "momentum": 0.5}
    losses = []
    for i in range(1, 31):
        x = torch.linspace(-1, 1, 4) * (i / 7)
        y = (i % 3) + 1

        def feval(q, x=x, y=y):
            g.zero()
            loss = crit.forward(net.forward(x), y)
            net.backward(x, crit.backward(net.output, y))
            return loss, g
        _, fs = optim.sgd(feval, p, state)
        losses.append(fs[0])
    assert count == 30
    assert losses_lua == losses
    assert p_lua.numpy().tolist() == p.numpy().tolist()
    gc.collect()
