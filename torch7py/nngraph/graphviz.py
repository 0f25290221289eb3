"""The graph package's dot output (Graph:todot, graph.dot): dot text, and an SVG through the
graphviz `dot` program when it is installed."""
import os
import shutil
import subprocess


def dot_escape(s):
    """graph._dotEscape: quote a string that has anything but letters."""
    s = str(s)
    if any(not (c.isascii() and c.isalpha()) for c in s):
        s = '"' + s.replace('\n', '\\n').replace('"', '\\"') + '"'
    return s


def _attributes(attrs):
    return ' ' + ' '.join('%s=%s' % (k, dot_escape(_lua_str(attrs[k])))
                          for k in sorted(attrs, key=str))


def _lua_str(v):
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v)


def todot(g, title=None):
    parts = ['digraph G {\n']
    if title:
        parts.append('labelloc="t";\nlabel="' + title + '";\n')
    parts.append('node [shape = oval]; ')
    labels = {}
    for node in g.nodes:
        if hasattr(node, 'graphNodeName'):
            name = node.graphNodeName()
        else:
            name = 'Node%s' % node.id
        label = dot_escape(name + '\n' + node.label())
        labels[node] = 'n%s' % node.id
        attrs = ''
        if hasattr(node, 'graphNodeAttributes'):
            attrs = _attributes(node.graphNodeAttributes())
        parts.append('\n' + labels[node] + '[label=' + label + attrs + '];')
    parts.append('\n')
    for e in g.edges:
        parts.append(labels[e.__dict__['from']] + ' -> ' + labels[e.to] + ';\n')
    parts.append('}')
    return ''.join(parts)


def dot(g, title=None, fname=None):
    """graph.dot: the dot text of g; with fname, also fname.dot and fname.svg (needs graphviz)."""
    text = g.todot(title)
    if fname:
        with open(fname + '.dot', 'w') as f:
            f.write(text)
        exe = shutil.which('dot')
        if exe is None:
            raise RuntimeError("graph.dot: graphviz's 'dot' program was not found on PATH, so "
                               "%s.svg cannot be written (%s.dot was written; install graphviz "
                               "or render it elsewhere)" % (fname, fname))
        subprocess.run([exe, '-Tsvg', '-o', fname + '.svg', fname + '.dot'], check=True)
        if not os.path.exists(fname + '.svg'):
            raise RuntimeError('graph.dot: dot did not write %s.svg' % fname)
    return text
