"""nngraph (torch/nngraph 3ed3b9b) and the graph package it is made of (torch/graph 37dac07).

`from torch7py import nngraph` installs nngraph's calling convention on nn: `module(node)`,
`module([node, ...])` and `module()` make an nngraph.Node (`module(tensor)` still forwards),
`-module` and `node - module` chain; `nn.gModule(inputs, outputs)` makes the graph module.
"""
import sys

from ..nn.criterion import Criterion as _Criterion
from ..nn.module import Module as _Module
from ..nn.utils import TorchAssertionError as _TorchAssertionError
from ..serialization.objects import register_class as _register
from .. import messages as _messages
from .. import tensor as _tensor
from .edge import Edge
from .gmodule import NNGraphError, expectingNodeErrorMessage, gModule
from .graph import Graph
from .graph_node import GraphNode, lua_tostring as _graph_tostring
from .graphviz import dot, graphvizFile, graphvizLayout, todot
from .just_element import JustElement
from .just_table import JustTable
from .module_from_criterion import ModuleFromCriterion
from .node import Node
from . import node as node_mod
from .table import Table, lua_get, lua_len, maxn_indices
from . import nesting  # noqa: F401
from . import simple_print as _simple_print

__all__ = ['Node', 'gModule', 'Graph', 'GraphNode', 'Edge', 'JustElement', 'JustTable',
           'ModuleFromCriterion', 'Table', 'nest', 'annotateNodes', 'setDebug', 'dot', 'todot',
           'simple_print', 'NNGraphError', 'graph', 'display']


class _GraphPackage:
    """The `graph` package's namespace: graph.Graph, graph.Node, graph.Edge, graph.dot,
    graph.graphvizFile, graph.graphvizLayout."""
    Graph = Graph
    Node = GraphNode
    Edge = Edge
    dot = staticmethod(dot)
    graphvizFile = staticmethod(graphvizFile)
    graphvizLayout = staticmethod(graphvizLayout)

    @staticmethod
    def _dotEscape(s):
        from .graphviz import dot_escape
        return dot_escape(s)


graph = _GraphPackage()


class _SimplePrint:
    """nngraph.simple_print's namespace (simple_print.lua): todot and dot."""
    todot = staticmethod(_simple_print.todot)
    dot = staticmethod(_simple_print.dot)


simple_print = _SimplePrint()


def _is_plain_table(x):
    if isinstance(x, (list, tuple)):
        return True
    return hasattr(x, 'keys') and not isinstance(getattr(type(x), 'typename', None), str)


def make_node(module, args):
    """nngraph's Module:__call__: a node holding module, fed by the nodes in args (none, one
    node, or one table of nodes)."""
    if len(args) > 1:
        raise _messages.at_lua(_TorchAssertionError('Use {input1, input2} to pass multiple inputs.'),
                               'nngraph/init.lua:27')
    if len(args) == 1:
        inp = args[0]
        if inp is None:
            raise _messages.at_lua(NNGraphError(expectingNodeErrorMessage(None, 'inputs', 1)),
                                   'nngraph/init.lua:31')
        if _is_plain_table(inp) and not (inp.keys() if hasattr(inp, 'keys') else inp):
            raise _messages.at_lua(NNGraphError(
                'cannot pass an empty table of inputs. To indicate no incoming '
                'connections, leave the second set of parens blank.'), 'nngraph/init.lua:36')
        if not _is_plain_table(inp):
            inp = [inp]
    else:
        inp = []
    mnode = Node(Table(module=module))
    for i in maxn_indices(inp):
        dnode = lua_get(inp, i)
        if not isinstance(dnode, Node):
            raise _messages.at_lua(NNGraphError(expectingNodeErrorMessage(dnode, 'inputs', i)),
                                   'nngraph/init.lua:48')
        mnode.add(dnode, True)
    return mnode


def _has_node(x):
    if isinstance(x, Node):
        return True
    if isinstance(x, (list, tuple)):
        return any(isinstance(v, Node) for v in x)
    if _is_plain_table(x):
        return any(isinstance(v, Node) for v in x.values())
    return False


def _wants_node(args):
    # Python's module(...): a graph node unless the arguments are data (tensors, tables of them)
    if not args:
        return True
    if any(_has_node(a) for a in args):
        return True
    if len(args) == 1:
        a = args[0]
        if a is None or isinstance(a, (_Module, _Criterion, bool, int, float, str)):
            return True
        if _is_plain_table(a) and not (a.keys() if hasattr(a, 'keys') else a):
            return True
    return False


def _module_graph_call(module, args):
    if _wants_node(args):
        return make_node(module, args)
    return NotImplemented


def _criterion_graph_call(criterion, args):
    if len(args) == 1 or _wants_node(args) and args:
        # init.lua's Criterion:__call__ tail-calls the module it makes: Node:__init's
        # getinfo(6) meets the C __call of the criterion
        with node_mod.located(node_mod.C_FRAME):
            return ModuleFromCriterion(criterion)(*args)
    return NotImplemented


def _module_lua_call(self, *args):
    # Lua's module(...) after require 'nngraph': always a node (Module:__call__)
    return make_node(self, args)


def _criterion_lua_call(self, *args):
    with node_mod.located(node_mod.C_FRAME):
        return make_node(ModuleFromCriterion(self), args)


def _at_c(f, *args):
    with node_mod.located(node_mod.C_FRAME):
        return f(*args)


def _install():
    _Module._graph_call = staticmethod(_module_graph_call)
    _Criterion._graph_call = staticmethod(_criterion_graph_call)
    _Module._t7_lua_call = _module_lua_call
    _Criterion._t7_lua_call = _criterion_lua_call
    # init.lua's __unm__ and __sub__ tail-call the module: Node:__init's getinfo(6) meets the
    # C metamethod that called them ([C]:-1 in the node's _debugLabel)
    _Module.__neg__ = lambda self: _at_c(make_node, self, ())
    _Module.__sub__ = lambda prev, nxt: node_mod.sub_call(prev, nxt, 'nngraph/init.lua:69')
    # {n1, n2} - module: Lua finds Module.__sub__ on the right operand, next(prev) a node
    _Module.__rsub__ = lambda nxt, prev: _at_c(make_node, nxt, (prev,))
    from .. import nn
    nn.gModule = gModule
    nn.ModuleFromCriterion = ModuleFromCriterion
    for cls in (Graph, GraphNode, Edge, Node, gModule, JustElement, JustTable,
                ModuleFromCriterion):
        _register(cls.typename, cls)


_install()


def nest(*args):
    """nngraph.nest(x): a node for a nested structure of nodes ({a, {b}, c})."""
    if len(args) > 1:
        raise _messages.at_lua(_TorchAssertionError('Use {input1, input2} to pass multiple inputs.'),
                               'nngraph/nest.lua:41')
    if not args or args[0] is None:
        raise _messages.at_lua(_TorchAssertionError('Pass an input.'), 'nngraph/nest.lua:44')
    return _nest(args[0])


def _lua_tostring(x):
    # Lua's tostring of the value: a table by its address (tostring(true) is 'true')
    if _is_plain_table(x):
        return 'table: 0x%08x' % id(x)
    return _graph_tostring(x)


def _nest(x):
    from ..nn.identity import Identity
    if isinstance(x, Node):
        return x
    if not _is_plain_table(x) and _messages.lua_type(x) == 'table':
        # isNonEmptyList's #input of a torch object (a module, a criterion): luaT's __len
        with _messages.lua_line('nngraph/nest.lua:8'):
            lua_len(x)
    if not (_is_plain_table(x) and lua_len(x) > 0):
        raise _messages.at_lua(NNGraphError('what is this in the nest input? ' + _lua_tostring(x)),
                               'nngraph/nest.lua:13')
    n = lua_len(x)
    items = []  # (ipairs: up to the first nil)
    while lua_get(x, len(items) + 1) is not None:
        items.append(lua_get(x, len(items) + 1))
    if n == 1:
        return JustTable()(items)
    return Identity()([_nest(c) for c in items])


def annotateNodes(stackLevel=1):
    """Names every node held by a local variable of the caller after that variable (an explicit
    name is kept)."""
    f = sys._getframe(stackLevel)
    for name, value in f.f_locals.items():
        if isinstance(value, Node) and value.data['annotations'].get('name') is None:
            value.annotate({'name': name})


def _lua_field(x, local, k):
    """x.k as Lua reads it: a nil, number or boolean x cannot be indexed; a table, a torch
    object without the field or a string (the string library's table) gives nil."""
    kind = _messages.lua_type(x)
    if kind in _messages.NOT_INDEXABLE:
        raise RuntimeError(_messages.msg("index_local", local, kind))
    if _is_plain_table(x):
        return x.get(k) if hasattr(x, 'get') else None
    if isinstance(x, str):
        return None
    return getattr(x, k, None)


def display(gmodule):
    """nngraph.display: graph.dot of the gModule's forward graph into a temporary file (title
    and name alike), then the SVG opened through the shell: `xdg-open` on Linux, Safari on
    macOS (the original has no command elsewhere, and fails concatenating it)."""
    from .graphviz import os_execute, tmpname
    cmd = {'linux': 'xdg-open', 'darwin': 'open -a Safari'}.get(sys.platform)
    fname = tmpname()
    dot(_lua_field(gmodule, 'gmodule', 'fg'), fname, fname)
    if cmd is None:
        raise RuntimeError(_messages.msg("concat", "local 'cmd'", "nil"))
    os_execute(cmd + ' ' + fname + '.svg')


_debug = [False]


def setDebug(enable):
    """nngraph.setDebug: when on, a failing forward/backward of a gModule writes the graph with
    the failed node in red (NAME.dot, and NAME.svg when graphviz is installed) and re-raises."""
    _debug[0] = bool(enable)
    if enable:
        for name in ('runForwardFunction', 'updateGradInput', 'accGradParameters'):
            orig = _ORIG[name]
            setattr(gModule, name, _checked(orig))
    else:
        for name, orig in _ORIG.items():
            setattr(gModule, name, orig)


_ORIG = {name: gModule.__dict__[name]
         for name in ('runForwardFunction', 'updateGradInput', 'accGradParameters')}


def _checked(orig):
    def run(self, *args):
        try:
            return orig(self, *args)
        except Exception as e:
            failed = _current_node(sys.exc_info()[2])
            _add_traceback(e)
            if getattr(e, 'torch7_errerr', False):
                failed = None  # the handler failed before it looked for the node
            _on_error(self, failed)
            raise
    run.__name__ = orig.__name__
    return run


def _python_traceback(e):
    """graphinspecting.lua's errorHandler for a Python caller: the message (torch7_message,
    else the exception's text) gets 'stack traceback:' and the frames at the failure, innermost
    first as Lua lists them, unless it has a traceback already; kept as e.torch7_message."""
    import traceback
    msg = getattr(e, 'torch7_message', None) or str(e)
    if 'stack traceback:\n' in msg:
        return
    frames = ["\t%s:%d: in function '%s'" % (f.filename, f.lineno, f.name)
              for f in reversed(traceback.extract_tb(e.__traceback__))]
    e.torch7_message = msg + '\nstack traceback:\n' + '\n'.join(frames)


# runChecked's error handler (graphinspecting.lua): debug.traceback(message, 2) appended to
# the message of a failing forward/backward in debug mode, which is raised again without a
# position (error(result, 0)). The Lua layer puts its own here (its message, Lua's frames).
_add_traceback = _python_traceback


def _current_node(tb):
    node = None
    while tb is not None:
        loc = tb.tb_frame.f_locals
        if tb.tb_frame.f_code.co_filename.endswith('gmodule.py') and isinstance(
                loc.get('node'), Node):
            node = loc['node']
        tb = tb.tb_next
    return node


def _on_error(g, failed):
    import os
    import tempfile
    n_in = g.__dict__.get('nInputs') or len(g.innode.children)
    prefix = g.__dict__.get('name') or 'nngraph_%sin_%sout' % (n_in, len(g.outnode.children))
    if os.path.exists(prefix + '.svg'):
        prefix = prefix + '_' + os.path.basename(tempfile.mktemp())
    text = g.fg.todot(prefix)
    if failed is not None:
        fid = next((n.id for n in g.fg.nodes if n.data is failed.data), None)
        if fid is not None:
            text = text.rstrip()
            text = text[:-1] if text.endswith('}') else text
            text += 'n%s[style=filled, fillcolor=red];\n}' % fid
    sys.stderr.write('saving %s.svg\n' % prefix)
    with open(prefix + '.dot', 'w') as f:
        f.write(text)
    # graphinspecting.lua's saveSvg: os.execute, so a missing dot is the shell's message
    from .graphviz import os_execute
    os_execute('dot -Tsvg -o %s %s' % (prefix + '.svg', prefix + '.dot'))


del _tensor
