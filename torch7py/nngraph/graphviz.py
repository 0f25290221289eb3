"""The graph package's graphviz.lua and dot text (Graph:todot, graph.dot, graph.graphvizFile,
graph.graphvizLayout). Like the original, which loads libgvc and libcgraph through LuaJIT's FFI,
the layouts and renderings come from graphviz's libraries (here through ctypes); without them
these functions fail with the original's "graphviz library could not be loaded."."""
import ctypes
import os
import random
import re
import string
import subprocess
import sys
import tempfile

from .. import messages
from .. import tensor as _tensor
from ..nn.utils import TorchAssertionError


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


# -- graphviz's libraries -----------------------------------------------------------------------

# the names graphviz.lua tries: ffi.load('libgvc') (libgvc.so, which only graphviz's development
# package installs), then the runtime's libgvc.so.6; the same for libcgraph
LIBRARY_NAMES = {'gvc': ('libgvc.so', 'libgvc.so.6'),
                 'cgraph': ('libcgraph.so', 'libcgraph.so.6')}
_libs = {}


def _load(kind):
    for name in LIBRARY_NAMES[kind]:
        try:
            return ctypes.CDLL(name, mode=ctypes.RTLD_GLOBAL)
        except OSError:
            continue
    return None


def _libraries():
    """(gvc, cgraph, libc) with their functions declared, or None when graphviz's libraries
    cannot be loaded."""
    key = (LIBRARY_NAMES['gvc'], LIBRARY_NAMES['cgraph'])
    if key in _libs:
        return _libs[key]
    gvc, cg = _load('gvc'), _load('cgraph')
    libs = None
    if gvc is not None and cg is not None:
        p, s = ctypes.c_void_p, ctypes.c_char_p
        for lib, name, res, args in (
                (cg, 'agmemread', p, [s]), (cg, 'agget', p, [p, s]), (cg, 'agclose', ctypes.c_int,
                                                                     [p]),
                (cg, 'agfstnode', p, [p]), (cg, 'agnxtnode', p, [p, p]),
                (gvc, 'gvContext', p, []), (gvc, 'gvLayout', ctypes.c_int, [p, p, s]),
                (gvc, 'gvRender', ctypes.c_int, [p, p, s, p]),
                (gvc, 'gvFreeLayout', ctypes.c_int, [p, p]),
                (gvc, 'gvFreeContext', ctypes.c_int, [p])):
            f = getattr(lib, name)
            f.restype, f.argtypes = res, args
        libc = ctypes.CDLL(None)
        libc.fopen.restype, libc.fopen.argtypes = p, [s, s]
        libc.fclose.restype, libc.fclose.argtypes = ctypes.c_int, [p]
        libs = (gvc, cg, libc)
    _libs[key] = libs
    return libs


def _require_libraries():
    libs = _libraries()
    if libs is None:
        raise RuntimeError('graphviz library could not be loaded.')
    return libs


def _lua_assert(ok, message):
    if not ok:
        raise TorchAssertionError(message)


def _get_attribute(cg, obj, name):
    res = cg.agget(obj, name.encode())
    _lua_assert(res is not None, 'could not get attr ' + name)
    return ctypes.string_at(res).decode('utf-8', 'surrogateescape')


def _numbers(n, attr):
    # Lua's tonumber over the comma-separated fields
    res = []
    for field in [f for f in attr.split(',') if f]:
        try:
            res.append(float(field))
        except ValueError:
            res.append(None)
    _lua_assert(len(res) == n and None not in res, 'attribute is not of expected form')
    return res


def graphvizLayout(g, algorithm=None):
    """graph.graphvizLayout: the positions graphviz's layout gives the nodes, an n x 2 tensor
    (row = node id) of coordinates in [0, 1] of the bounding box."""
    gvc, cg, _ = _require_libraries()
    n = len(g.nodes)
    context = gvc.gvContext()
    gg = cg.agmemread(g.todot().encode())
    algorithm = (algorithm or 'dot').encode()
    _lua_assert(gvc.gvLayout(context, gg, algorithm) == 0, 'graphviz layout failed')
    # rendering without a file attaches the layout's attributes (pos, bb)
    _lua_assert(gvc.gvRender(context, gg, algorithm, None) == 0, 'graphviz render failed')
    x0, y0, x1, y1 = _numbers(4, _get_attribute(cg, gg, 'bb'))
    w, h = x1 - x0, y1 - y0
    positions = _tensor.default_tensor_type()(n, 2).zero()
    node = cg.agfstnode(gg)
    while node:
        label = _get_attribute(cg, node, 'label')
        m = re.match(r'Node(\d+)', label)
        _lua_assert(m is not None, 'could not get ID from node label : <%s>' % label)
        x, y = _numbers(2, _get_attribute(cg, node, 'pos'))
        xt, yt = (x - x0) / w, (y - y0) / h
        _lua_assert(0 <= xt <= 1, 'bad x coordinate')
        _lua_assert(0 <= yt <= 1, 'bad y coordinate')
        row = int(m.group(1))
        positions[row, 1] = xt
        positions[row, 2] = yt
        node = cg.agnxtnode(gg, node)
    gvc.gvFreeLayout(context, gg)
    cg.agclose(gg)
    gvc.gvFreeContext(context)
    return positions


def graphvizFile(g, algorithm=None, fname=None):
    """graph.graphvizFile: lays g out with algorithm ('dot') and renders it into fname in the
    format its extension names (svg, dot, png, ...)."""
    gvc, cg, libc = _require_libraries()
    algorithm = algorithm or 'dot'
    # graphviz.lua's fname:reverse():find('(%a+)%.%w+'): the letters before the last dot
    m = re.search(r'([A-Za-z]+)\.[A-Za-z0-9]+', str(fname)[::-1])
    if m is None:
        raise RuntimeError(messages.msg("index_local", "rendertype", "nil"))
    rendertype = m.group(1)[::-1]
    if messages.lua_type(g) in messages.NOT_INDEXABLE:  # g:todot() of nil
        raise RuntimeError(messages.msg("index_local", "g", messages.lua_type(g)))
    context = gvc.gvContext()
    gg = cg.agmemread(g.todot().encode())
    if not gg:
        raise RuntimeError('graphviz could not read the graph')
    _lua_assert(gvc.gvLayout(context, gg, algorithm.encode()) == 0, 'graphviz layout failed')
    fh = libc.fopen(os.fsencode(fname), b'w')
    ret = gvc.gvRender(context, gg, rendertype.encode(), fh)
    if fh:
        libc.fclose(fh)
    _lua_assert(ret == 0, 'graphviz render failed')
    gvc.gvFreeLayout(context, gg)
    cg.agclose(gg)
    gvc.gvFreeContext(context)


_TMPCHARS = string.ascii_letters + string.digits


def tmpname():
    """Lua's os.tmpname: a new empty file's name, /tmp/lua_XXXXXX with glibc mkstemp's letters
    and digits (Python's tempfile also draws '_', and a name ending in one defeats graph.dot's
    `fname:reverse():find('(%a+)%.%w+')`, as it would in Torch7)."""
    rng = random.SystemRandom()
    for _ in range(1000):
        name = os.path.join(tempfile.gettempdir(),
                            'lua_' + ''.join(rng.choice(_TMPCHARS) for _ in range(6)))
        try:
            fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return name
    raise RuntimeError('unable to generate a unique filename')


def dot(g, title=None, fname=None):
    """graph.dot: fname.svg and fname.dot (laid out by graphviz's dot) of g; the title is not
    used (graph.dot renders g:todot()). Without fname the original shows the SVG in a Qt window
    (qtsvg); here the SVG is written to a temporary file whose name is returned."""
    show = fname is None
    if show:
        fname = tmpname()
    graphvizFile(g, 'dot', fname + '.svg')
    graphvizFile(g, 'dot', fname + '.dot')
    if show:
        os.remove(fname + '.dot')
        return fname + '.svg'
    return None


def os_execute(cmd):
    """Lua's os.execute (C's system): the command through /bin/sh, its output on ours; a missing
    program is the shell's message on stderr, not an error. Returns the exit status."""
    sys.stdout.flush()
    sys.stderr.flush()
    return subprocess.run(cmd, shell=True).returncode
