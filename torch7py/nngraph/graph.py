"""graph.Graph: port of the graph package's init.lua (nodes, edges, topsort, roots, todot)."""
import weakref

from .edge import Edge
from .graph_node import GraphNode, _listof, _mixed

_INDEX = weakref.WeakKeyDictionary()  # graph -> ({node: i}, {edge: i}): Lua's t[x] = i part


class Graph:
    """graph.Graph: `nodes` and `edges`, lists in insertion order (a node's index is its id)."""

    typename = 'graph.Graph'

    def __init__(self):
        self.nodes = []
        self.edges = []

    def _index(self):
        idx = _INDEX.get(self)
        if idx is None or len(idx[0]) != len(self.nodes) or len(idx[1]) != len(self.edges):
            idx = ({n: i for i, n in enumerate(self.nodes, 1)},
                   {e: i for i, e in enumerate(self.edges, 1)})
            _INDEX[self] = idx
        return idx

    def add(self, edge):
        """Adds an edge (or a list of edges) and its two nodes; sets the nodes' ids."""
        if isinstance(edge, (list, tuple)):
            for e in edge:
                self.add(e)
            return
        if not hasattr(edge, 'to') or 'from' not in getattr(edge, '__dict__', {}):
            raise TypeError('graph.Edge or {graph.Edges} expected')
        nidx, eidx = self._index()
        if edge not in eidx:
            self.edges.append(edge)
            eidx[edge] = len(self.edges)
        src, dst = edge.__dict__['from'], edge.to
        if src not in nidx:
            self.nodes.append(src)
            nidx[src] = len(self.nodes)
        if dst not in nidx:
            self.nodes.append(dst)
            nidx[dst] = len(self.nodes)
        src.add(dst)
        src.id = nidx[src]
        dst.id = nidx[dst]

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
            raise RuntimeError('Graph has cycles')
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
            raise RuntimeError('Graph has cycles')
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
        d['nodes'] = _mixed(self.nodes)
        d['edges'] = _mixed(self.edges)
        return d

    def _t7_read(self, fields, version):
        self.__dict__.update(fields)
        self.nodes = _listof(fields.get('nodes'))
        self.edges = _listof(fields.get('edges'))

    def __deepcopy__(self, memo):
        return GraphNode.__deepcopy__(self, memo)

    def __repr__(self):
        return 'graph.Graph(%d nodes, %d edges)' % (len(self.nodes), len(self.edges))

    def __str__(self):
        # Torch7's tostring of a class with no __tostring__ (luaT): its type name
        return self.typename
