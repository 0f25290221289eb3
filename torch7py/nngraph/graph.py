"""graph.Graph: port of the graph package's init.lua (nodes, edges, topsort, roots, todot)."""
from ..messages import at_lua
from .edge import Edge
from .graph_node import GraphNode, _listof, _mixed, _note_file_order
from .table import IndexedList


def _positions(t):
    if isinstance(t, IndexedList):
        return t._positions()
    return {x: i for i, x in enumerate(t, 1)}  # a table Lua has (compat's LuaList)


def _put(t, x):
    """Graph:add's `if not t[x] then table.insert(t, x); t[x] = #t end`; x's index in t."""
    if not isinstance(t, IndexedList):  # a table Lua set
        if t.get(x) is None:
            t.append(x)
            t[x] = len(t)
        return t.get(x)
    pos = t._positions()
    i = pos.get(x)
    if i is None:
        t.append(x)
        i = pos[x] = len(t)
        t._n = i
    return i


class Graph:
    """graph.Graph: `nodes` and `edges` in insertion order (a node's index is its id), each a
    list that also answers `nodes[node]` with the node's index, as graph's two-part tables."""

    typename = 'graph.Graph'

    def __init__(self):
        self.nodes = IndexedList()
        self.edges = IndexedList()

    def _index(self):
        """({node: index}, {edge: index}): the other part of the two tables."""
        return _positions(self.nodes), _positions(self.edges)

    def add(self, edge):
        """Adds an edge (or a list of edges) and its two nodes; sets the nodes' ids."""
        if isinstance(edge, (list, tuple)):
            for e in edge:
                self.add(e)
            return
        if not hasattr(edge, 'to') or 'from' not in getattr(edge, '__dict__', {}):
            raise at_lua(TypeError('graph.Edge or {graph.Edges} expected'), 'graph/init.lua:27')
        # Graph:add: table.insert(t, x); t[x] = #t, for the edge and each node not there yet
        _put(self.edges, edge)
        src, dst = edge.__dict__['from'], edge.to
        src_id = _put(self.nodes, src)
        dst_id = _put(self.nodes, dst)
        src.add(dst)
        src.id = src_id
        dst.id = dst_id

    def clone(self):
        """A graph of new nodes sharing the data of this graph's nodes."""
        g = Graph()
        nodes = [n.new(n.data) for n in self.nodes]
        nidx = self._index()[0]
        for e in self.edges:
            g.add(Edge(nodes[nidx[e.__dict__['from']] - 1], nodes[nidx[e.to] - 1]))
        return g

    def reverse(self):
        """(the graph with every edge reversed, {node: its new node}); new nodes, same data."""
        rg = Graph()
        mapnodes = {}
        for e in self.edges:
            src, dst = e.__dict__['from'], e.to
            if src not in mapnodes:
                mapnodes[src] = src.new(src.data)
            if dst not in mapnodes:
                mapnodes[dst] = dst.new(dst.data)
            rg.add(Edge(mapnodes[dst], mapnodes[src]))
        return rg, mapnodes

    def hasCycle(self):
        roots = self.roots()
        if not roots:
            return True
        return any(root.hasCycle() for root in roots)

    def topsort(self):
        """(nodes in topological order, the reversed graph, its roots), as graph's topsort."""
        rg, mapping = self.reverse()
        rmap = {v: k for k, v in mapping.items()}
        sortednodes = []
        rootnodes = rg.roots()
        if not rootnodes:
            raise at_lua(RuntimeError('Graph has cycles'), 'graph/init.lua:123')
        if len(rootnodes) > 1:
            dummy = GraphNode('dummy_root')
            for root in rootnodes:
                dummy.add(root)
        else:
            dummy = rootnodes[0]

        def collect(node):
            n = rmap.get(node)
            if n is not None:
                sortednodes.append(n)
        dummy.dfs(collect)
        if len(sortednodes) != len(self.nodes):
            raise at_lua(RuntimeError('Graph has cycles'), 'graph/init.lua:141')
        return sortednodes, rg, rootnodes

    def roots(self):
        """The nodes no edge leads to, in the order of `nodes`."""
        tos = {e.to for e in self.edges}
        found = {}
        for e in self.edges:
            src = e.__dict__['from']
            if src not in tos:
                found[src] = True
        nidx = self._index()[0]
        return sorted(found, key=lambda n: nidx[n])

    def leaves(self):
        """The nodes no edge leaves, in the order of `nodes`."""
        froms = {e.__dict__['from'] for e in self.edges}
        found = {}
        for e in self.edges:
            if e.to not in froms:
                found[e.to] = True
        nidx = self._index()[0]
        return sorted(found, key=lambda n: nidx[n])

    def todot(self, title=None):
        """The graph in graphviz's dot language (graph's Graph:todot)."""
        from .graphviz import todot
        return todot(self, title)

    # ---- .t7: nodes and edges keep both parts, as Graph:add keeps them -------------------------
    def _t7_fields(self):
        d = dict(self.__dict__)
        d['nodes'] = _mixed(self.nodes, self, 'nodes')
        d['edges'] = _mixed(self.edges, self, 'edges')
        return d

    def _t7_read(self, fields, version):
        self.__dict__.update(fields)
        self.nodes = IndexedList(_listof(fields.get('nodes')))
        self.edges = IndexedList(_listof(fields.get('edges')))
        for name in ('nodes', 'edges'):
            _note_file_order(self, name, fields.get(name))

    def __deepcopy__(self, memo):
        return GraphNode.__deepcopy__(self, memo)

    def __repr__(self):
        return 'graph.Graph(%d nodes, %d edges)' % (len(self.nodes), len(self.edges))

    def __str__(self):
        # Torch7's tostring of a class with no __tostring__ (luaT): its type name
        return self.typename
