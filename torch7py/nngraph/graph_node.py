"""graph.Node: port of the graph package's Node.lua (a node that keeps its children)."""
import weakref

from ..printing import lua_tostring as _scalar_tostring
from .table import IndexedList, Table


def lua_tostring(v):
    """Lua's tostring: a plain table (a list or dict that is no torch object) gives its address,
    as Torch7's does ('table: 0x...'), numbers as Lua writes them."""
    if isinstance(v, (list, tuple, dict)) and not isinstance(
            getattr(type(v), 'typename', None), str) and type(v).__str__ in (
                list.__str__, tuple.__str__, dict.__str__, object.__str__):
        return 'table: 0x%08x' % id(v)
    if not isinstance(v, (str, bytes, bool, int, float)) and getattr(
            type(v), 'typename', None) is None:
        # a table or function of the Lua layer (graph.Node({a = 1}):label())
        if hasattr(v, 'keys'):
            return 'table: 0x%08x' % id(v)
        if callable(v):
            return 'function: 0x%08x' % id(v)
    return _scalar_tostring(v)


# object -> {field: the items in the order the file listed them in the table's hash part}:
# Torch7 wrote the `t[x] = i` keys in the order of their addresses, which only the file knows
_FILE_ORDER = weakref.WeakKeyDictionary()


def _mixed(items, owner=None, field=None):
    # a Lua table with both parts, as the graph package keeps them: t[i] = x and t[x] = i; the
    # keys in the order pairs visits such a table (writeObject's order): the array part first,
    # then the items, in the file's order when the table holds the items it was read with
    t = Table()
    for i, x in enumerate(items, 1):
        t[i] = x
    order = _FILE_ORDER.get(owner, {}).get(field) if owner is not None else None
    pos = {id(x): i for i, x in enumerate(items, 1)}
    if order is None or len(order) != len(items) or {id(x) for x in order} != set(pos):
        order = items
    for x in order:
        t[x] = pos[id(x)]
    return t


def _note_file_order(owner, field, table):
    """Remembers the order of a two-part table's item keys as read (see _mixed)."""
    if not isinstance(table, dict):
        return
    from ..serialization.objects import LuaKey
    keys = [k.value if isinstance(k, LuaKey) else k for k in table]
    objs = [k for k in keys if not isinstance(k, (int, float, str, bool))]
    if objs:
        try:
            _FILE_ORDER.setdefault(owner, {})[field] = objs
        except TypeError:
            pass


def _listof(x):
    # the array part of a table read from a file (a list, or a dict with 1..n and other keys)
    if x is None:
        return []
    if isinstance(x, list):
        return list(x)
    out, i = [], 1
    while i in x:
        out.append(x[i])
        i += 1
    return out


class GraphNode:
    """graph.Node: `data`, `id`, `children` (a list: the node's edges out), `visited`, `marked`."""

    typename = 'graph.Node'

    def __init__(self, data=None, p=None):
        self.data = data
        self.id = 0
        self.children = IndexedList()  # Lua sees children[child] = its index too
        self.visited = False
        self.marked = False

    @classmethod
    def new(cls, data=None, *args):
        return cls(data, *args)

    def add(self, child):
        """Node.lua's add: a plain table adds each of its items; else the child, once, as
        `table.insert(children, child); children[child] = #children` (the table keeps both
        parts, whichever side holds it now: a list read from Lua is its Lua table)."""
        if isinstance(child, (list, tuple)):
            for c in child:
                self.add(c)
            return
        children = self.children
        if child is None:  # not children[nil]; table.insert(t, nil); t[nil] = #t
            from ..messages import at_lua
            from ..tensor import TorchError
            raise at_lua(TorchError('table index is nil'), 'graph/Node.lua:30')
        if type(children) is list:  # a plain list (no other part)
            if any(c is child for c in children):
                return
            children.append(child)
            return
        if children.get(child) is not None:
            return
        children.append(child)
        children[child] = len(children)

    def visit(self, pre_func=None, post_func=None):
        """Depth first: pre_func(node) on entry, post_func(node) after its children (an explicit
        stack, so that deep unrolled graphs do not reach Python's recursion limit)."""
        if self.visited:
            return
        if pre_func is not None:
            pre_func(self)
        stack = [[self, 0]]
        while stack:
            top = stack[-1]
            node, i = top
            children = node.children
            if i < len(children):
                top[1] = i + 1
                child = children[i]
                if not child.visited:
                    if pre_func is not None:
                        pre_func(child)
                    stack.append([child, 0])
            else:
                stack.pop()
                if post_func is not None:
                    post_func(node)

    def label(self):
        return lua_tostring(self.data)

    def graph(self):
        """A graph.Graph of every edge reachable from this node, in breadth-first order."""
        from .graph import Graph
        from .edge import Edge
        g = Graph()

        def build(node):
            for child in node.children:
                g.add(Edge(node, child))
        self.bfs(build)
        return g

    def dfs_dirty(self, func):
        visited = []

        def pre(node):
            node.visited = True

        def post(node):
            func(node)
            visited.append(node)
        self.visit(pre, post)
        return visited

    def dfs(self, func):
        for node in self.dfs_dirty(func):
            node.visited = False

    def bfs_dirty(self, func):
        visited, queue, head = [], [self], 0
        self.marked = True
        while head < len(queue):
            node = queue[head]
            head += 1
            visited.append(node)
            func(node)
            for child in node.children:
                if not child.marked:
                    child.marked = True
                    queue.append(child)
        return visited

    def bfs(self, func):
        for node in self.bfs_dirty(func):
            node.marked = False

    def hasCycle(self):
        state = {'cycle': False}
        explored = []

        def pre(node):
            if state['cycle']:
                return
            if node.marked:
                node.visited = True
                state['cycle'] = True
                return
            node.marked = True

        def post(node):
            node.marked = False
            node.visited = True
            explored.append(node)
        self.visit(pre, post)
        for node in explored:
            node.visited = False
        return state['cycle']

    # ---- .t7: the children table has both parts, as Node:add keeps it -----------------------
    def _t7_fields(self):
        d = dict(self.__dict__)
        d['children'] = _mixed(self.children, self, 'children')
        return d

    def _t7_read(self, fields, version):
        self.__dict__.update(fields)
        self.children = IndexedList(_listof(fields.get('children')))
        _note_file_order(self, 'children', fields.get('children'))

    def __deepcopy__(self, memo):
        from ..nn import utils
        cls = type(self)
        new = cls.__new__(cls)
        memo[id(self)] = new
        memo.setdefault(id(memo), []).append(self)
        for k, v in self.__dict__.items():
            new.__dict__[k] = utils.deep_copy(v, memo)
        if isinstance(new, GraphNode):  # (Graph and Edge copy themselves here too)
            new._t7_cloned()
        return new

    def _t7_cloned(self):
        # a copy of the children table (both parts once Lua has seen it: children[child]) is
        # read back as _t7_read does: the items, in order
        self.children = IndexedList(_listof(self.__dict__.get('children')))

    def __repr__(self):
        return '%s(id=%s)' % (self.typename, self.id)

    def __str__(self):
        # Torch7's tostring of a class with no __tostring__ (luaT): its type name
        return self.typename
