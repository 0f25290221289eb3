"""nngraph.simple_print: a graph's dot text without its nn.Identity nodes (and nodes that hold
no module), each removed node's parents joined to its children, as nngraph's simple_print.lua
does; `dot` writes it to fname.dot and renders fname.svg with graphviz's dot program."""
import os

from . import graphviz


def _kept(node):
    from ..nn import utils
    m = node.data.get('module') if hasattr(node.data, 'get') else None
    return m is not None and utils.typename(m) != 'nn.Identity'


def _clean(graph):
    """The kept nodes, renumbered 1..n in graph order, and the edges between them (as index
    pairs): an edge list built from each node's children, then, node by node, a removed node's
    edges replaced by every (parent, child) pair (removeNodeFromEdges)."""
    nodes = list(graph.nodes)
    edges = [[n.id, c.id] for n in nodes for c in n.children]
    kept = []
    for n in nodes:
        if _kept(n):
            kept.append(n)
            continue
        sources, targets, rest = [], [], []
        for e in edges:
            if e[0] == n.id:
                targets.append(e[1])
            elif e[1] == n.id:
                sources.append(e[0])
            else:
                rest.append(e)
        edges = rest + [[f, t] for f in sources for t in targets]
    index = {n.id: i for i, n in enumerate(kept, 1)}
    return kept, [(index[s], index[t]) for s, t in edges]


def todot(graph, title=None):
    """simple_print.todot: 'Node<id>\\n<label>' ovals named n<id>, an edge per line."""
    kept, edges = _clean(graph)
    out = ['digraph G {\n']
    if title:
        out.append('labelloc="t";\nlabel="%s";\n' % title)
    out.append('node [shape = oval]; ')
    names = []
    for n in kept:
        names.append('n%s' % n.id)
        out.append('\n%s[label="Node%s\\n%s"];' % (names[-1], n.id, n.label()))
    out.append('\n')
    for s, t in edges:
        out.append('%s -> %s;\n' % (names[s - 1], names[t - 1]))
    out.append('}')
    return ''.join(out)


def dot(g, title=None, fname=None):
    """simple_print.dot: writes fname.dot and runs `dot -Tsvg -o fname.svg fname.dot` through
    the shell, as the original's os.execute does (without graphviz the shell says so on stderr
    and nothing fails). Without fname the original shows the SVG in a Qt window (qtsvg): here it
    is written to a temporary file whose name is returned."""
    text = todot(g, title)
    # the original takes a new os.tmpname() for each of the two files
    fngv = (fname or graphviz.tmpname()) + '.dot'
    with open(fngv, 'w') as f:
        f.write(text)
    fnsvg = (fname or graphviz.tmpname()) + '.svg'
    graphviz.os_execute('dot -Tsvg -o ' + fnsvg + ' ' + fngv)
    if not fname:
        os.remove(fngv)
        return fnsvg
    return None
