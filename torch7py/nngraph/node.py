"""nngraph.Node: port of nngraph's node.lua (a graph node holding a module, its inputs' order,
annotations)."""
import re
import sys

from .. import messages
from ..luaorder import fields_order
from ..luaresults import NoResults
from ..nn.utils import TorchAssertionError
from ..tensor import TorchError
from .graph_node import GraphNode, lua_tostring
from .table import Table, as_table

# where the node was made, for its _debugLabel: (short_src, line, name) or None.  The Lua layer
# replaces it with a reader of the Lua stack.
debug_location = None


def _python_location():
    f = sys._getframe(1)
    here = __name__.rsplit('.', 1)[0]
    while f is not None and (f.f_globals.get('__name__', '').startswith(here)
                             or f.f_globals.get('__name__', '') == 'torch7py.nn.module'):
        f = f.f_back
    if f is None:
        return None
    return f.f_code.co_filename, f.f_lineno, f.f_code.co_name if f.f_code.co_name != '<module>' \
        else ''


# Where nngraph's own Lua code makes a node, Torch7's debug.getinfo reads a place in nngraph's
# installed files (the reference Torch7's, as its saved gModules show) or a C frame of luaT; the
# user's line only when the user's code made the call.
NNGRAPH_SRC = messages.LUA_PREFIX + 'nngraph/'
C_FRAME = ('[C]', -1, '')
_fixed = []


class located:
    """with located(place): the nodes made inside take place as nngraph's Node:__init
    (debug.getinfo(6)) or split (debug.getinfo(2)) would find it."""

    def __init__(self, place):
        self.place = place

    def __enter__(self):
        _fixed.append(self.place)

    def __exit__(self, *exc):
        _fixed.pop()


def _location():
    if _fixed:
        return _fixed[-1]
    loc = debug_location() if debug_location is not None else _python_location()
    return loc


class Node(GraphNode):
    """nngraph.Node: `data` is a Table with `module` (or `selectindex`/`nSplitOutputs` for the
    nodes of a split), `mapindex` (its inputs' data in call order, and data -> index),
    `reverseMap` (the nodes it feeds), `annotations`, and the run's `input`/`gradOutput`."""

    typename = 'nngraph.Node'

    def __init__(self, data=None, p=None):
        kind = messages.lua_type(data)
        if kind != 'table':
            # node.lua's first line sets a field of self.data (nothing but a table takes one)
            raise messages.at_lua(TorchError(messages.index_text(kind, "field 'data'")),
                                  'nngraph/node.lua:12')
        if not isinstance(data, Table):
            data = as_table(data, {})
        super().__init__(data)
        d = self.data
        if d.get('annotations') is None:
            d['annotations'] = Table()
        elif not isinstance(d['annotations'], Table):
            d['annotations'] = as_table(d['annotations'], {})
        if d.get('mapindex') is None:
            d['mapindex'] = Table()
        if d.get('reverseMap') is None:
            d['reverseMap'] = Table()
        if d['annotations'].get('_debugLabel') is None:
            self._makeDebugLabel(_location())

    def _makeDebugLabel(self, dinfo):
        if dinfo:
            src, line, name = dinfo
            self.data['annotations']['_debugLabel'] = '[%s]:%d_%s' % (src, line, name or '')

    def add(self, child, domap=False):
        """Adds child (an input of this node); with domap, records the order of the inputs."""
        GraphNode.add(self, child)
        if domap:
            mapindex = self.data['mapindex']
            data = child.data
            if data in mapindex:
                raise messages.at_lua(TorchAssertionError("Don't pass the same input twice."),
                                     'nngraph/node.lua:40')
            n = len(mapindex) + 1
            mapindex[n] = data
            mapindex[data] = n
            # the input node learns that this node reads it (dangling node detection)
            rev = data['reverseMap']
            if self in rev:
                raise messages.at_lua(TorchAssertionError('this connection has already been made!'),
                                     'nngraph/node.lua:48')
            rev[self] = True

    def split(self, noutput):
        """noutput new nodes, each taking one entry of this node's (table) output, in order."""
        from .just_element import JustElement
        if noutput == 1:
            # `return nngraph.JustElement()(self)`: a tail call, so the node's getinfo(6)
            # finds split's caller
            return JustElement()(self)
        label = self.data['annotations'].get('_debugLabel')
        loc = _location()
        where = ' split at [%s]:%d' % (loc[0], loc[1]) if loc else ' split at [?]:0'
        mnode = Node(Table(nSplitOutputs=noutput, annotations=Table(
            _debugLabel='%s%s-mnode' % (label, where))))
        mnode.add(self, True)
        selects = []
        # `for i=1,noutput`: LuaJIT's numeric for converts a numeric string ('2')
        count = noutput
        if isinstance(count, str):
            count = messages.lua_tonumber(count)
        if isinstance(count, bool) or not isinstance(count, (int, float)):
            raise messages.at_lua(TorchError(messages.msg('for_limit')), 'nngraph/node.lua:70')
        for i in range(1, int(count) + 1):
            node = Node(Table(selectindex=i, input=[], annotations=Table(
                _debugLabel='%s-%d' % (label, i))))
            node.add(mnode, True)
            selects.append(node)
        # `return unpack(selectnodes)`: no node at all gives Lua no value (not a nil)
        return tuple(selects) if selects else NoResults()

    def annotate(self, annotations):
        """Sets entries of data.annotations (name, description, graphAttributes...)."""
        ann = self.data['annotations']
        for k, v in annotations.items():
            ann[k] = v
        return self

    def graphNodeName(self):
        name = self.data['annotations'].get('name')
        if name is not None:
            return '%s (%s)' % (name, self.id)
        return 'Node%s' % self.id

    def graphNodeAttributes(self):
        ann = self.data['annotations']
        if ann.get('graphAttributes') is None:
            ann['graphAttributes'] = Table()
        attrs = ann['graphAttributes']
        if attrs.get('tooltip') is None:
            attrs['tooltip'] = ann.get('_debugLabel')
        return attrs

    def label(self):
        from .. import tensor as _tensor

        def flag(t):
            if t.nElement() == 0:
                return ''
            a = t.numpy()
            if (a != a).any():
                return 'NaN'
            if a.max() == float('inf'):
                return 'inf'
            if a.min() == float('-inf'):
                return '-inf'
            return ''

        def getstr(v):
            # node.lua's getstr: '' for nil and false, a tensor's type and sizes, a table's
            # items through table.insert; anything else gives tostring(v):gsub('\n', '\\l'),
            # whose two results (the text and the count) reach table.insert inside a table
            if v is None or v is False:
                return '', None
            if isinstance(v, _tensor.Tensor):
                kind = 'Tensor'
                if v.typename != _tensor.default_tensor_type().typename:
                    kind = v.typename
                return '%s[%s]%s' % (kind, 'x'.join(str(s) for s in v.size()), flag(v)), None
            items = _ipairs(v)
            if items is not None:
                return '{' + _insert_concat([getstr(x) for x in items]) + '}', None
            text = lua_tostring(v)
            return text.replace('\n', '\\l'), text.count('\n')

        parts = []
        # nngraph walks data with pairs(): Torch7's LuaJIT order, not the order of insertion
        data = self.data
        keys = data.lua_keys() if isinstance(data, Table) else fields_order(
            k for k in data if isinstance(k, str))
        for k in keys:
            if not isinstance(k, str):
                continue
            v = data[k]
            if k == 'mapindex':
                if len(v) > 1:
                    ids = ','.join('Node%s' % (d.get('forwardNodeId') or '')
                                   for d in v.ipairs())
                    parts.append('mapindex = {%s}' % ids)
            elif k in ('forwardNodeId', 'annotations'):
                continue
            else:
                parts.append('%s = %s' % (k, getstr(v)[0]))
        desc = self.data['annotations'].get('description')
        desc = 'desc = %s\\n' % desc if desc is not None else ''
        return desc + '\\l'.join(parts)

    def __sub__(self, module):
        # node - module: module(node), a tail call in init.lua's Node.__sub__ (the node's
        # _debugLabel reads the C metamethod's frame, as there)
        return sub_call(self, module, 'nngraph/init.lua:76')

    def __rsub__(self, prev):
        # 3 - node, {a, b} - node: luaT's __sub asks the node's class (the left operand has
        # none), whose __sub__(prev, node) calls the node: 'nngraph.Node has no call operator'
        return sub_call(prev, self, 'nngraph/init.lua:76')

    def _t7_read(self, fields, version):
        GraphNode._t7_read(self, fields, version)


def sub_call(prev, nxt, where):
    """init.lua's Module.__sub__ and Node.__sub__, `function(prev, next) return next(prev)
    end` (a tail call): a value Lua cannot call (nil, a boolean, a number, a string, a plain
    table) fails there with "attempt to call local 'next' (a ... value)" at `where`; an
    object of a torch class without __call__ (a node, a tensor) fails in luaT's __call."""
    if getattr(type(nxt), 'typename', None) is None and messages.lua_type(nxt) != 'function':
        raise messages.at_lua(TypeError(messages.msg('call_local', 'next',
                                                     messages.lua_type(nxt))), where)
    with located(C_FRAME):
        return nxt(prev)


def _ipairs(v):
    """The items ipairs(v) visits where v is a plain table (nngraph's istable), else None."""
    from ..nn import utils
    if isinstance(v, (list, tuple)):
        items = list(v)
    elif isinstance(v, Table):
        items = list(Table.ipairs(v))
    elif isinstance(v, dict) and utils.typename(v) in ('table', None):
        items = []
    elif hasattr(v, 'keys') and getattr(type(v), 'typename', None) is None:
        items = []  # a table of the Lua layer
        while v.get(len(items) + 1) is not None:
            items.append(v.get(len(items) + 1))
    else:
        return None
    return items


_NUMBER = re.compile(r'^\s*[-+]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$')


def _checkint(text):
    """lj_lib_checkint of a string argument: its number, truncated to 32 bits as LuaJIT's
    cast does, or table.insert's argument error."""
    if not _NUMBER.match(text):
        raise TorchError(messages.bad_argument(
            2, messages.msg('type_expected', 'number', 'string'), 'insert'))
    t = text.strip()
    neg = t.startswith('-')
    body = t.lstrip('+-')
    x = float(int(body, 16)) if body[:2].lower() == '0x' else float(body)
    x = -x if neg else x
    v = int(x) if abs(x) < 2.0 ** 63 else -2 ** 63
    v &= 0xffffffff
    return v - 2 ** 32 if v >= 2 ** 31 else v


def _insert_concat(results):
    """table.concat(tstr, ',') after table.insert(tstr, getstr(x)) for each result (text,
    count): two arguments append; three (a text that is no tensor or table) insert the count
    at the position the text reads as, moving the items after it up, as LuaJIT does (holes,
    array part and all)."""
    from ..luaorder import TableLayout
    lay, vals = TableLayout(), {}

    def store(i, value):
        lay.set(('n', float(i)))
        if value is None:
            lay.clear(('n', float(i)))
            vals.pop(i, None)
        else:
            vals[i] = value

    for text, count in results:
        i = lay.length() + 1
        if count is not None:
            n = _checkint(text)
            while i > n:
                store(i, vals.get(i - 1))
                i -= 1
            store(n, count)
        else:
            store(i, text)
    out = []
    for i in range(1, lay.length() + 1):
        v = vals.get(i)
        if v is None:
            raise TorchError("invalid value (nil) at index %d in table for 'concat'" % i)
        out.append(v if isinstance(v, str) else '%d' % v)
    return ','.join(out)
