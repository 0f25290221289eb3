"""graph.Edge: port of the graph package's Edge.lua (a directed edge: `from`, `to`)."""


class Edge:
    """graph.Edge: the fields `from` and `to` (read `getattr(e, 'from')` in Python) and an
    optional `weight`."""

    typename = 'graph.Edge'

    def __init__(self, from_, to, weight=None):
        self.__dict__['from'] = from_
        self.to = to
        # `self.weight = weight` with weight nil still makes the key in LuaJIT (its node stays,
        # value nil): three keys, so `from` comes before `to` in pairs() as in Torch7
        self.weight = weight

    @classmethod
    def new(cls, from_, to, weight=None):
        return cls(from_, to, weight)

    @property
    def source(self):
        """The `from` node (a Python keyword)."""
        return self.__dict__['from']

    def __deepcopy__(self, memo):
        from .graph_node import GraphNode
        return GraphNode.__deepcopy__(self, memo)

    def __repr__(self):
        return 'graph.Edge(%r -> %r)' % (self.source, self.to)

    def __str__(self):
        # Torch7's tostring of a class with no __tostring__ (luaT): its type name
        return self.typename
