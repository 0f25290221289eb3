"""A Lua table for nngraph's plain tables (a node's `data`, `mapindex`, `reverseMap`,
`annotations`): a dict compared and hashed by identity, so that one table can key another
(`mapindex[data]`), with Lua's `#` and attribute access (`node.data.module`)."""
import itertools
import math

from ..luaorder import TableLayout, _as_key, fields_order
from ..nn.utils import constructor_len


class Table(dict):
    """A plain Lua table: keys of any kind, a missing key reads as None (nil)."""

    __slots__ = ('__weakref__', '_read_keys', '_hist')
    typename = None  # a plain table, not a torch class

    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        return True  # a Lua table is true, even an empty one

    def __len__(self):
        # Lua's #t: the border of the array part (the keys 1..n)
        n = 0
        while n + 1 in self:
            n += 1
        return n

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return self.get(name)

    def __setattr__(self, name, value):
        if name.startswith('__'):
            object.__setattr__(self, name, value)
        elif value is None:
            self.pop(name, None)
        else:
            self[name] = value

    # A key set to nil keeps its slot in LuaJIT's table (until a rehash), so the other keys keep
    # their pairs() order and the key comes back to its slot: once a key is removed, the keys are
    # remembered in the order they were first set, removed ones included (_hist).
    def __setitem__(self, key, value):
        hist = getattr(self, '_hist', None)
        if hist is not None and key not in hist:
            hist[key] = True
        dict.__setitem__(self, key, value)

    def pop(self, key, *default):
        if key in self:
            self._note_removal()
        return dict.pop(self, key, *default)

    def __delitem__(self, key):
        if key in self:
            self._note_removal()
        dict.__delitem__(self, key)

    def _note_removal(self):
        if getattr(self, '_hist', None) is None:
            object.__setattr__(self, '_hist', dict.fromkeys(self, True))

    def lua_keys(self):
        """The string and number keys in the order LuaJIT's pairs() visits them (luaorder's
        model of a table filled in the order the keys were first set, removed keys holding
        their slots)."""
        keys = [k for k in self if isinstance(k, (str, int, float)) and not isinstance(k, bool)]
        hist = getattr(self, '_hist', None)
        if hist is None:
            return fields_order(keys) if len(keys) > 1 else keys
        for k in self:  # (keys set by dict.update or setdefault, which bypass __setitem__)
            if k not in hist:
                hist[k] = True
        lay, tagged = TableLayout(), {}
        for k in hist:
            if isinstance(k, (str, int, float)) and not isinstance(k, bool):
                key = _as_key(k)
                tagged[key] = k
                lay.set(key)
        for k in hist:
            if k not in self and isinstance(k, (str, int, float)) and not isinstance(k, bool):
                lay.clear(_as_key(k))
        return [tagged[key] for key in lay.order()]

    def __delattr__(self, name):
        self.pop(name, None)

    def ipairs(self):
        """The values of t[1], t[2], ... (Lua's ipairs)."""
        i = 1
        while i in self:
            yield self[i]
            i += 1

    def __repr__(self):
        return 'Table(%s)' % dict.__repr__(self)

    def __str__(self):
        # a plain Lua table: tostring gives its address
        return 'table: 0x%08x' % id(self)

    def _t7_items(self):
        """The entries in the order Torch7 writes them (File.lua's pairs over the table): its
        string and number keys in LuaJIT's order for a table filled in the order they were set
        (luaorder), other keys (tables, nodes: ordered by address in Torch7) after them. A table
        read from a file is written in LuaJIT's order for its keys set in the file's order, as
        Torch7 re-saving it writes it (not always the file's order: the file's came from the
        table's own history); an array read from a file keeps its order."""
        keys = [k for k in self if isinstance(k, (str, int, float)) and not isinstance(k, bool)]
        read = getattr(self, '_read_keys', None)
        if len(keys) < 2 or read is not None and len(read) == len(self) and all(
                k in self for k in read):
            return list(self.items())
        order = self.lua_keys()
        items = [(k, self[k]) for k in order]
        plain = set(order)
        items.extend((k, v) for k, v in self.items()
                     if not (isinstance(k, (str, int, float)) and k in plain))
        return items

    def __reduce_ex__(self, protocol):
        return (Table, (), None, None, iter(self.items()))


def as_table(x, memo):
    """A Table for a plain table read from a .t7 file (a dict, a list, or LuaKey keys), keeping
    identity: the same dict gives the same Table (memo: id -> Table)."""
    from ..serialization.objects import LuaKey
    if isinstance(x, Table):
        return x
    hit = memo.get(id(x))
    if hit is not None:
        return hit[1]
    t = Table()
    memo[id(x)] = (x, t)
    items = enumerate(x, 1) if isinstance(x, list) else x.items()
    for k, v in items:
        if isinstance(k, LuaKey):
            k = k.value
        t[k] = v
    object.__setattr__(t, "_read_keys", tuple(t))
    return t


def _is_object(x):
    # a Torch object (a Lua table with a class metatable: nngraph.Node, nn.Linear) where Lua
    # code expects a plain table of them
    return not isinstance(x, (list, tuple, dict)) and isinstance(getattr(x, 'typename', None), str)


def maxn(tbl):
    """table.maxn: the largest positive numeric key of a list or mapping (0 if none), a
    fraction or math.huge included, as LuaJIT's tab_maxn. A Torch object is a Lua table keyed
    by its field names: 0 (nn.gModule(node, ...) loops no times)."""
    if isinstance(tbl, (list, tuple)):
        return len(tbl)
    if _is_object(tbl):
        return 0
    n = 0
    for k in tbl.keys():
        if isinstance(k, (int, float)) and not isinstance(k, bool) and k > n \
                and tbl.get(k) is not None:
            n = k
    return n


def maxn_indices(tbl):
    """The i of `for i = 1, table.maxn(tbl)`: 1, 2, ... up to the key's floor (a key of
    2.5 visits 2, whose nil the loops of nngraph report; math.huge runs on)."""
    m = maxn(tbl)
    if m == math.inf:
        return itertools.count(1)
    return range(1, int(math.floor(m)) + 1)


def lua_get(tbl, i):
    """tbl[i] (1-based) of a list or mapping, None when absent."""
    if isinstance(tbl, (list, tuple)):
        return tbl[i - 1] if 0 < i <= len(tbl) else None
    return tbl.get(i)


def lua_len(tbl):
    """Lua's # of a list (as LuaJIT's # of a table whose array part it is) or mapping; # of a Torch object
    is luaT_mt__len's error (no __len__ along its metatables)."""
    if _is_object(tbl):
        from ..tensor import TorchError
        raise TorchError('%s has no length operator' % tbl.typename)
    if isinstance(tbl, (list, tuple)):
        # LuaJIT's lj_tab_len over an array part holding the list: its last slot when that
        # is not nil (a constructor's {a, nil, b} has length 3), else a binary search
        return constructor_len(tbl)
    border = getattr(tbl, '_t7_len', None)  # a live Lua table: its own # (holes included)
    if border is not None:
        return border()
    n = 0
    while tbl.get(n + 1) is not None:
        n += 1
    return n


class IndexedList(list):
    """The graph package's node and edge tables (Graph:add keeps `t[#t + 1] = x` and
    `t[x] = #t`): a Python list of the items (0-based, iteration, len) whose non-integer keys read
    the other part, each item's 1-based position (None when absent), as `g.nodes[node]` does
    in Lua. Lua sees one table with both parts (compat's `_lua_hash_part`)."""

    __slots__ = ('_pos', '_n', '__weakref__')
    _copy_as_own_type = True  # nn.utils.deep_copy keeps the class

    def _positions(self):
        """{item: its first 1-based position}, kept up to date as items are appended (Graph:add
        reads it after each insertion: rebuilding it each time made building a graph of n
        nodes cost n^2); any other change of the items drops it."""
        pos = getattr(self, '_pos', None)
        done = getattr(self, '_n', 0) if pos is not None else 0
        n = list.__len__(self)
        if pos is None or done > n:
            pos, done = {}, 0
            self._pos = pos
        if done < n:
            item = list.__getitem__
            for i in range(done, n):
                pos.setdefault(item(self, i), i + 1)
            self._n = n
        return pos

    def __delitem__(self, key):
        list.__delitem__(self, key)
        self._pos = None

    def insert(self, i, x):
        list.insert(self, i, x)
        self._pos = None

    def pop(self, *i):
        self._pos = None
        return list.pop(self, *i)

    def remove(self, x):
        list.remove(self, x)
        self._pos = None

    def sort(self, *args, **kw):
        list.sort(self, *args, **kw)
        self._pos = None

    def reverse(self):
        list.reverse(self)
        self._pos = None

    def clear(self):
        list.clear(self)
        self._pos = None

    def __imul__(self, n):
        r = list.__imul__(self, n)
        self._pos = None
        return r

    def __getitem__(self, key):
        if isinstance(key, (int, slice)):
            return list.__getitem__(self, key)
        try:
            return self._positions().get(key)
        except TypeError:  # an unhashable key: no item is it
            return None

    def get(self, key, default=None):
        """t[key] of the table: the item at a 1-based index, or an item's index."""
        if isinstance(key, int):
            return list.__getitem__(self, key - 1) if 0 < key <= len(self) else default
        v = self[key]
        return default if v is None else v

    def __setitem__(self, key, value):
        if isinstance(key, (int, slice)):
            list.__setitem__(self, key, value)
            self._pos = None
        elif self[key] != value:  # the other part follows the items' order
            raise ValueError('%r is item %s of the table, not %r' % (key, self[key], value))

    def _lua_hash_part(self):
        """The (item, position) pairs of the table's other part."""
        return list(self._positions().items())
