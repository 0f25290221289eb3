"""A gModule's fields after a clone or a load, and the order a save then writes them in.

Torch7's clone is File.lua's writeObject to a MemoryFile and readObject back; nngraph's
gModule:read (gmodule.lua:494) reads the field table (filled in file order) and sets
`self[k] = v` in that table's pairs() order; a save copies pairs(self) into a new table and
writes that table in its pairs() order. With P = LuaJIT's pairs order of keys inserted in a
given order (luaorder's model of beta2), a gModule written as W is cloned into an object whose
fields are set in P(W), and saved as P(P(P(W))). A plain table is read into a new table filled
in the order written (the old one's pairs order W = P(set order)): its copy lists its keys in
P(W). Expectations here come from the bytes (a small independent .t7 parser), P alone, and what
real Lua code prints in th."""
import struct

from luatest import th_script

import torch7py as torch
from torch7py import nn, nngraph
from torch7py import serialization as S
from torch7py.luaorder import pairs_order


def _objects(data):
    """{class name: [its field table's string keys in file order, ...]} for every Torch object
    (not a tensor or storage) of a binary .t7 stream."""
    pos, seen, out = [0], set(), {}

    def take(fmt):
        v = struct.unpack_from(fmt, data, pos[0])[0]
        pos[0] += struct.calcsize(fmt)
        return v

    def raw(n):
        pos[0] += n
        return data[pos[0] - n:pos[0]]

    def obj():
        """The value read: a scalar, or a table's string keys (None when already seen)."""
        t = take('<i')
        if t in (0, 1, 5):
            return take('<d') if t == 1 else take('<i') if t == 5 else None
        if t == 2:
            return raw(take('<i')).decode('latin1')
        assert t in (3, 4), t
        idx = take('<i')
        if idx in seen:
            return None
        seen.add(idx)
        if t == 3:
            keys = []
            for _ in range(take('<i')):
                keys.append(obj())
                obj()
            return [k for k in keys if isinstance(k, str)]
        raw(take('<i'))  # version
        cls = raw(take('<i')).decode()
        if cls.endswith('Tensor'):
            raw(16 * take('<i') + 8)
            obj()
        elif cls.endswith('Storage'):
            raw(take('<q') * (4 if 'Float' in cls else 8))
        else:
            out.setdefault(cls, []).append(obj())
        return None

    obj()
    assert pos[0] == len(data)
    return out


def _P(keys):
    return list(pairs_order(list(keys)))


def _graph():
    torch.manualSeed(1)
    x = nn.Identity()()
    g = nn.gModule([x], [nn.Tanh()(nn.Linear(4, 3)(nn.Linear(4, 4)(x)))])
    g.float()
    g.forward(torch.randn(2, 4).float())
    return g


def test_a_cloned_gmodule_is_written_as_its_read_sets_it():
    g = _graph()
    written = _objects(S.serialize(g))['nn.gModule'][0]
    c = g.clone()
    # the read sets the fields in the pairs order of the table read in file order
    assert [k for k in vars(c) if k in written] == _P(written)
    assert _objects(S.serialize(c))['nn.gModule'][0] == _P(_P(_P(written)))
    # this graph's fields tell the rule from the file's own order
    assert _P(_P(_P(written))) != written


def test_a_loaded_gmodule_is_written_as_its_read_sets_it():
    g = _graph()
    data = S.serialize(g)
    written = _objects(data)['nn.gModule'][0]
    loaded = S.deserialize(data)
    assert _objects(S.serialize(loaded))['nn.gModule'][0] == _P(_P(_P(written)))


def test_other_objects_of_a_clone_follow_the_same_rule():
    # objects the reader fills (nn modules, nodes) are written back by the rule too: pairs
    # three times over the order written (the original Torch7 saving a clone of an nn.Linear
    # reorders its fields so: reft716's runs of /tmp/ref7)
    g = _graph()
    before = _objects(S.serialize(g))
    after = _objects(S.serialize(g.clone()))
    for cls in ('nn.Linear', 'nn.Tanh', 'nngraph.Node'):
        assert after[cls] == [_P(_P(_P(keys))) for keys in before[cls]]
    assert after['nn.Linear'] != before['nn.Linear']


def test_a_lua_class_that_reads_itself_in_th_follows_the_same_rule(tmp_path):
    # a class whose read is gmodule.lua's loop, cloned through a real torch.MemoryFile in th:
    # the keys its copy is saved with are P(P(P(written)))
    p = th_script("""
      require 'nn'
      local C, parent = torch.class('nn.SelfReader', 'nn.Module')
      function C:__init()
         parent.__init(self)
         self.outnode, self.fg, self.forwardnodes, self.innode = 1, 2, 3, 4
         self.modules, self.bg, self.backwardnodes, self.verbose, self.nInputs = {}, 5, 6, false, 1
      end
      function C:read(file)
         local data = file:readObject()
         for k, v in pairs(data) do self[k] = v end
      end
      local m = nn.SelfReader()
      local f = torch.MemoryFile('rw'):binary()
      f:writeObject(m)
      f:seek(1)
      local c = f:readObject()
      for name, obj in pairs({m = m, c = c}) do
         local out = io.open(name .. '.bin', 'wb')
         out:write(torch.serialize(obj))
         out:close()
      end
    """, tmp_path)
    assert p.returncode == 0, p.stderr
    written, copy = (_objects((tmp_path / n).read_bytes())['nn.SelfReader'][0]
                     for n in ('m.bin', 'c.bin'))
    assert copy == _P(_P(_P(written))) != written


KEYS = ['index', '_type', 'dimension', 'gradInput', 'output', 'length', 'zz', 'w']


def test_a_plain_table_cloned_in_th_is_saved_in_its_reads_order(tmp_path):
    # a Lua table written to a real torch.MemoryFile and read back: File.lua fills the new
    # table in file order (the old one's pairs order), so it lists its keys in P(P(set order))
    p = th_script("""
      local t = {}
      for _, k in ipairs({%s}) do t[k] = 1 end
      local f = torch.MemoryFile('rw'):binary()
      f:writeObject(t)
      f:seek(1)
      local c = f:readObject()
      local function ks(x) local o = {} for k in pairs(x) do o[#o + 1] = k end return o end
      print(table.concat(ks(t), ' '))
      print(table.concat(ks(c), ' '))
    """ % ', '.join("'%s'" % k for k in KEYS), tmp_path)
    assert p.returncode == 0, p.stderr
    orig, copy = (line.split() for line in p.stdout.splitlines()[:2])
    assert orig == _P(KEYS) and copy == _P(_P(KEYS)) != orig


def test_a_graph_nodes_table_cloned_is_saved_in_its_reads_order():
    # nngraph's plain tables (a node's data) go through the same write and read in clone()
    g = _graph()
    node = g.forwardnodes[1]
    extra = nngraph.Table()
    for k in KEYS:
        extra[k] = 1.0
    node.data['extra'] = extra
    c = g.clone()
    copy = c.forwardnodes[1].data['extra']
    assert [k for k, _ in extra._t7_items()] == _P(KEYS)
    assert [k for k, _ in copy._t7_items()] == _P(_P(KEYS))
    # and a save writes them so (a read table lists its keys in file order)
    back = S.deserialize(S.serialize(c))
    assert list(back.forwardnodes[1].data['extra'].keys()) == _P(_P(KEYS))
