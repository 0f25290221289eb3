"""Tables across the bridge: in-place edits on either side, cycles, tables as their own keys."""
import pytest

lupa = pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


class Shrinker:
    """Holds a nested list it hands to Lua, then edits it in place (as SelectTable's
    gradInput is zeroed and resized in place)."""

    def __init__(self):
        self.out = [1, [10, 20, 30]]

    def get(self):
        return self.out

    def shrink(self):
        del self.out[1][2:]
        return self.out

    def grow(self):
        self.out[1].append(40)
        return self.out


@pytest.fixture
def rt():
    r = LuaRuntime()
    r.globals.s = r.to_lua(Shrinker())
    return r


def test_a_nested_list_python_shrinks_shows_shrunk(rt):
    r = rt.execute("""
        local a = s:get()
        local n1 = #a[2]
        local b = s:shrink()
        return {n1, #b[2], #a[2], rawequal(a, b), rawequal(a[2], b[2])}""")
    # the same tables, now with the inner one two entries long, as in Torch7's one table
    assert r == [3, 2, 2, True, True]
    r = rt.execute("local b = s:grow(); return {#b[2], b[2][3]}")
    assert r == [3, 40]


def test_lua_edits_still_reach_python(rt):
    # the other direction: Lua changed the table since it last crossed, Python did not
    out = rt.execute("""
        local a = s:get()
        a[2][4] = 99
        return s:get()""")
    assert out == [1, [10, 20, 30, 99]]


def test_select_table_sub_table_lengths(rt):
    # nn/test.lua's SelectTable: differently sized sub-tables given one after the other
    r = rt.execute("""
        require 'nn'
        local input1 = {torch.rand(2), {torch.rand(2), torch.rand(2), torch.rand(2)}}
        local input2 = {torch.rand(2), {torch.rand(2), torch.rand(2)}}
        local m = nn.SelectTable(1)
        local g1 = m:backward(input1, m:forward(input1))
        local n1 = #g1[2]
        local g2 = m:backward(input2, m:forward(input2))
        return {n1, #g2, #g2[2]}""")
    assert r == [3, 2, 2]


def test_cyclic_tables_serialize_save_and_load(rt, tmp_path):
    rt.globals.path = str(tmp_path / "cyc.t7")
    r = rt.execute("""
        local t = {1, 2, 3}
        t[4] = t
        local u = torch.deserialize(torch.serialize(t))
        torch.save(path, t)
        local v = torch.load(path)
        local m = {a = {}}
        m.a.back = m
        local z = torch.deserialize(torch.serialize(m))
        return {#u, rawequal(u[4], u), u[3], rawequal(v[4], v), rawequal(z.a.back, z)}""")
    assert r == [4, True, 3, True, True]


def test_a_table_as_its_own_key_round_trips(rt, tmp_path):
    rt.globals.path = str(tmp_path / "self.t7")
    r = rt.execute("""
        local k = {}
        k[k] = k
        k.x = 5
        local w = torch.deserialize(torch.serialize(k))
        torch.save(path, k)
        local y = torch.load(path)
        local n = 0
        for _ in pairs(w) do n = n + 1 end
        return {rawequal(w[w], w), w.x, n, rawequal(y[y], y), y.x}""")
    assert r == [True, 5, 2, True, 5]


def test_lua_class_objects_keep_their_shared_tables(rt, tmp_path):
    rt.globals.path = str(tmp_path / "graph.t7")
    r = rt.execute("""
        local N = torch.class('BridgeGNode')
        function N:__init(data) self.data = data; self.children = {} end
        local nodes = {}
        for i = 1, 20 do
           local n = BridgeGNode({index = i, tags = {'n' .. i}})
           if i > 1 then
              table.insert(nodes[i - 1].children, n)
              n.data.prev = nodes[i - 1].data
              n.sibling = nodes[i - 1].children
           end
           nodes[i] = n
        end
        local g = {nodes = nodes, shared = nodes[1].data}
        local s1 = torch.serialize(g)
        local g2 = torch.deserialize(s1)
        -- read one object's fields first: the other objects must still share what it shares
        local first = g2.nodes[5].data
        local s2 = torch.serialize(g2)
        torch.save(path, g)
        local g3 = torch.load(path)
        return {#s1 == #s2, rawequal(g2.shared, g2.nodes[1].data),
                rawequal(g2.nodes[6].data.prev, first),
                rawequal(g2.nodes[6].sibling, g2.nodes[5].children),
                rawequal(g2.nodes[5].children[1], g2.nodes[6]),
                rawequal(g3.nodes[3].data.prev, g3.nodes[2].data),
                g3.nodes[3].data.tags[1]}""")
    assert r == [True, True, True, True, True, True, "n3"]
    # an edit through one object shows through the other that shares the table
    assert rt.execute("""
        local g = torch.load(path)
        g.nodes[1].data.index = 100
        return g.shared.index""") == 100


def test_one_lua_table_is_one_object_to_clone_and_save(rt):
    r = rt.execute("""
        require 'nn'
        local N = torch.class('BridgeCNode', 'nn.Module')
        function N:__init(d) nn.Module.__init(self); self.data = d end
        local shared = {x = 1}
        local s = nn.Sequential():add(BridgeCNode(shared)):add(BridgeCNode(shared))
        local l = torch.deserialize(torch.serialize(s))
        local c = l:clone()
        return {rawequal(c.modules[1].data, c.modules[2].data),
                rawequal(c.modules[1].data, l.modules[1].data),
                #torch.serialize(l) == #torch.serialize(s)}""")
    assert r == [True, False, True]
