"""nn.gModule: port of nngraph's gmodule.lua (a module made of a directed acyclic graph of
modules)."""
from .. import tensor as _tensor
from ..messages import at_lua, lua_tonumber, torch_type
from ..nn import utils
from ..printing import lua_print
from ..nn.container import Container
from .node import Node
from . import node as node_mod
from .table import Table, as_table, lua_get, lua_len, maxn_indices
from . import nesting

TorchAssertionError = utils.TorchAssertionError


class NNGraphError(_tensor.TorchError):
    """An error nngraph raises with error(...) (a bad graph or a bad call)."""


def expectingNodeErrorMessage(bad, array, idx):
    """nngraph's message for something that is not an nngraph.Node where one is expected."""
    from ..nn.module import Module
    if bad is None:
        return '%s[%d] is nil (typo / bad index?)' % (array, idx)
    if isinstance(bad, Module):
        return ('%s[%d] is an nn.Module, specifically a %s, but the only valid thing to pass is '
                'an instance of nngraph.Node. Did you forget a second set of parens, which '
                'convert a nn.Module to a nngraph.Node?' % (array, idx, utils.typename(bad)))
    return '%s[%d] should be an nngraph.Node but is of type %s' % (array, idx, torch_type(bad))


def _is_table(x):
    """A plain Lua table (nngraph's utils.istable): a list, a tuple or a mapping, not a torch
    object."""
    if isinstance(x, (list, tuple)):
        return True
    return hasattr(x, 'keys') and not isinstance(getattr(type(x), 'typename', None), str)


def _count(x):
    # Lua's # of what a caller passed as a table of inputs or gradOutputs (a tensor: its size)
    if _is_table(x):
        return lua_len(x)
    if isinstance(x, _tensor.Tensor):
        from .. import LongStorage
        return LongStorage(list(x.size()))
    return None


def _recursive_type(param, type_name):
    # gmodule.lua's recursiveType: tensors converted one by one (no cache), into lists
    if isinstance(param, list):
        for i, v in enumerate(param):
            param[i] = _recursive_type(v, type_name)
    elif isinstance(param, Table):
        for i in range(1, len(param) + 1):
            param[i] = _recursive_type(param[i], type_name)
    elif isinstance(param, _tensor.Tensor):
        param = param.type(type_name)
    return param


def _type_table(d, type_name):
    for k in list(d.keys()):
        v = d[k]
        nv = _recursive_type(v, type_name)
        if nv is not v:
            d[k] = nv


def _total_gradOutput(node):
    data = node.data
    gos = data['gradOutput']
    if len(gos) > 1:
        if data.get('gradOutputBuffer') is None:
            # all but one are one-element zero tensors: no buffer needed
            count, idx = 0, 0
            for i, g in enumerate(gos):
                st = g._storage if isinstance(g, _tensor.Tensor) else None
                zero = st is not None and len(st._data) == 1 and st._data[0] == 0
                if not zero:
                    idx = i
                    count += 1
            if count < 2:
                return gos[idx]
            data['gradOutputBuffer'] = nesting.cloneNested(gos[0])
        buf = data['gradOutputBuffer']
        nesting.resizeNestedAs(buf, gos[0])
        nesting.copyNested(buf, gos[0])
        for g in gos[1:]:
            nesting.addNestedTo(buf, g)
        return buf
    return gos[0] if gos else None


def _set_at(lst, i, x):
    # lst[i] = x for a 1-based index that may lie past the end (a Lua table filled out of order)
    while len(lst) < i:
        lst.append(None)
    lst[i - 1] = x


def _node_input(data):
    inp = data.get('input')
    if inp is None:
        return []  # a node with a module and no input (a parameter node)
    if lua_len(inp) == 1:
        return inp[0]
    return inp


class gModule(Container):
    """nn.gModule(inputs, outputs): inputs and outputs are lists of nngraph.Node.  Forward runs
    the modules in topological order; its output is the output node's tensor, or a list of them
    when there are several outputs; its gradInput likewise for the inputs."""

    typename = 'nn.gModule'
    # gmodule.lua:494's read sets the fields itself (fieldorder.note_read_order)
    _t7_reads_itself = True

    def __init__(self, inputs, outputs):
        Container.__init__(self)
        # a dummy output node fed by every output; the backward graph starts there
        # (gModule:__init's nngraph.Node calls: six frames up is luaT's C __call)
        with node_mod.located(node_mod.C_FRAME):
            outnode = Node(Table(input=[]))
        for i in maxn_indices(outputs):
            node = lua_get(outputs, i)
            if not isinstance(node, Node):
                raise at_lua(NNGraphError(
                    expectingNodeErrorMessage(node, 'outputs', i)), 'nngraph/gmodule.lua:79')
            outnode.add(node, True)
        for i in maxn_indices(inputs):
            node = lua_get(inputs, i)
            if not isinstance(node, Node):
                raise at_lua(NNGraphError(
                    expectingNodeErrorMessage(node, 'inputs', i)), 'nngraph/gmodule.lua:86')
        # a dummy input node, split to feed the given input nodes
        with node_mod.located(node_mod.C_FRAME):
            innode = Node(Table(input=[]))
        try:
            n_in = lua_len(inputs)   # assert(#inputs > 0, ...)
        except _tensor.TorchError as e:
            raise at_lua(e, 'nngraph/gmodule.lua:92')
        if n_in == 0:
            raise at_lua(TorchAssertionError(
                'no inputs are not supported'), 'nngraph/gmodule.lua:92')
        if n_in == 1:
            lua_get(inputs, 1).add(innode, True)
        else:
            with node_mod.located((node_mod.NNGRAPH_SRC + 'gmodule.lua', 96, '')):
                splits = innode.split(n_in)
            for i in range(1, n_in + 1):
                if len(lua_get(inputs, i).children) != 0:
                    raise at_lua(TorchAssertionError(
                        'an input should have no inputs'), 'nngraph/gmodule.lua:98')
            for i in range(1, n_in + 1):
                lua_get(inputs, i).add(splits[i - 1], True)

        self.bg = outnode.graph()
        self.fg = self.bg.reverse()[0]
        roots = self.fg.roots()
        if len(roots) > 1:
            found = None
            for root in roots:
                if root.data is innode.data:
                    if found is not None:
                        raise at_lua(TorchAssertionError(
                            'more than one matching input node found in leaves'),
                            'nngraph/gmodule.lua:121')
                    found = root
                else:
                    m = root.data.get('module')
                    if m is None:
                        raise at_lua(TorchAssertionError(
                            'Expected nnop.Parameters node, module not found in node'),
                            'nngraph/gmodule.lua:124')
                    if utils.typename(m) != 'nnop.Parameters':
                        raise at_lua(TorchAssertionError(
                            'Expected nnop.Parameters node, found : '
                            + utils.typename(m)), 'nngraph/gmodule.lua:125')
            if found is None:
                raise at_lua(TorchAssertionError(
                    'input node not found among roots'), 'nngraph/gmodule.lua:129')
            self.innode = found
        else:
            if len(roots) != 1:
                raise at_lua(TorchAssertionError(
                    'expecting only one start'), 'nngraph/gmodule.lua:132')
            self.innode = roots[0]
        if self.innode.data is not innode.data:
            raise at_lua(TorchAssertionError(
                'expecting the forward innode'), 'nngraph/gmodule.lua:136')
        self.outnode = outnode
        self.verbose = False
        self.nInputs = n_in

        self.forwardnodes = self.fg.topsort()[0]
        self.backwardnodes = self.bg.topsort()[0]

        fnodes = self.forwardnodes
        for i, node in enumerate(fnodes):
            data = node.data
            nsplit = data.get('nSplitOutputs')
            if nsplit is not None and nsplit != len(node.children):
                # (Lua's arithmetic converts a numeric string: split('2'))
                unused = (lua_tonumber(nsplit) if isinstance(nsplit, str)
                          else nsplit) - len(node.children)
                raise at_lua(NNGraphError(
                    '%s of split(%s) outputs from the node declared at %s are unused'
                    % ('%.14g' % unused, nsplit,
                    data['annotations'].get('_debugLabel'))), 'nngraph/gmodule.lua:153')
            # a node that takes this one as input but does not lead to an output
            for successor in data['reverseMap']:
                sdata = successor.data
                if not any(fnodes[j].data is sdata for j in range(i + 1, len(fnodes))):
                    raise at_lua(TorchAssertionError(
                        'node declared on %s does not connect to gmodule output'
                        % sdata['annotations'].get('_debugLabel')), 'nngraph/gmodule.lua:176')
            data['forwardNodeId'] = node.id
            if data.get('module') is not None:
                self.add(data['module'])

        self.output = None
        self.gradInput = None
        if len(self.outnode.children) > 1:
            self.output = self.outnode.data['input']

    # ---- the passes --------------------------------------------------------------------------

    def forward(self, input=None):
        # Lua's g:forward() passes nil: nngraph counts it as no input
        return self.updateOutput(input)

    def updateOutput(self, input=None):
        return self.runForwardFunction('updateOutput', input)

    def runForwardFunction(self, func, input):
        if isinstance(func, str):
            name = func

            def func(module, x):
                return getattr(module, name)(x)
        nInputs = self.__dict__.get('nInputs')
        if nInputs is None:  # older files have no nInputs
            nInputs = len(self.innode.children)
        if nInputs <= 1:
            input = [input]
        elif not _is_table(input):
            raise at_lua(NNGraphError(
                'expecting table of %s inputs' % nInputs), 'nngraph/gmodule.lua:311')
        n = lua_len(input)
        if n != nInputs:
            raise at_lua(NNGraphError(
                'Got %s inputs instead of %s' % (n, nInputs)), 'nngraph/gmodule.lua:362')
        for node in self.forwardnodes:
            inp = node.data.get('input')
            if inp:
                del inp[:]
        indata = self.innode.data
        start = indata.get('input')
        if start is None:
            start = indata['input'] = []
        # (gmodule.lua copies the inputs with ipairs: up to the first nil, whatever # said)
        i = 1
        while True:
            v = lua_get(input, i)
            if v is None:
                break
            start.append(v)
            i += 1

        verbose = self.__dict__.get('verbose')
        for node in self.forwardnodes:
            data = node.data
            sel = data.get('selectindex')
            if sel is not None:
                if data.get('module') is not None:
                    raise at_lua(TorchAssertionError(
                        'the selectindex-handling nodes should have no module'),
                        'nngraph/gmodule.lua:323')
                inp = data['input']
                if lua_len(inp) != 1:
                    raise at_lua(TorchAssertionError(
                        'only the splitted node should be the input'), 'nngraph/gmodule.lua:325')
                if not _is_table(inp[0]):
                    raise at_lua(TorchAssertionError(
                        'the input for a split should be a table'), 'nngraph/gmodule.lua:326')
                output = lua_get(inp[0], sel)
            else:
                module = data.get('module')
                inp = _node_input(data)
                output = inp if module is None else func(module, inp)
                nsplit = data.get('nSplitOutputs')
                if nsplit is not None:
                    n_out = _count(output)
                    if nsplit != n_out:
                        raise at_lua(NNGraphError(
                            'split(%s) cannot split %s outputs'
                            % (nsplit, n_out)), 'nngraph/gmodule.lua:348')
            key = data
            for child in node.children:
                cdata = child.data
                cin = cdata.get('input')
                if cin is None:
                    cin = cdata['input'] = []
                idx = cdata['mapindex'].get(key)
                if idx is None:
                    # an edge added by node:add(child) without its mapindex entry: gmodule.lua
                    # stores child.data.input[nil] = output
                    raise _tensor.TorchError('table index is nil')
                if idx <= len(cin) and cin[idx - 1] is not None:
                    raise at_lua(TorchAssertionError(
                        'each input should have one source'), 'nngraph/gmodule.lua:318')
                if idx == len(cin) + 1:
                    cin.append(output)
                else:
                    _set_at(cin, idx, output)
            if verbose:
                lua_print(' V : ' + node.label())

        out = self.outnode.data['input']
        if len(self.outnode.children) == 1:
            out = out[0]
        self.output = out
        return out

    def _check_gradOutput(self, gradOutput, where):
        nout = len(self.outnode.children)
        if nout > 1:
            n = _count(gradOutput)
            if n != nout:
                raise at_lua(NNGraphError('Got %s gradOutputs instead of %s' % (n, nout)), where)

    def updateGradInput(self, input, gradOutput):
        self._check_gradOutput(gradOutput, 'nngraph/gmodule.lua:441')
        for node in self.backwardnodes:
            gos = node.data.get('gradOutput')
            if gos is not None and type(gos) is not list:
                # a table a script walked and wrote back (dpnn's sharedClone sets every field
                # of every node table again): emptied, as gmodule.lua's table.remove leaves it,
                # and a list of this side again, so the split nodes' tables fill by index
                node.data['gradOutput'] = []
            elif gos:
                del gos[:]
        odata = self.outnode.data
        if odata.get('gradOutput') is None:
            odata['gradOutput'] = []
        odata['gradOutput'].append(gradOutput)

        verbose = self.__dict__.get('verbose')
        for node in self.backwardnodes:
            data = node.data
            sel = data.get('selectindex')
            if sel is not None:
                if data.get('module') is not None:
                    raise at_lua(TorchAssertionError(
                        'the selectindex-handling nodes should have no module'),
                        'nngraph/gmodule.lua:393')
                if len(node.children) != 1:
                    raise at_lua(TorchAssertionError(
                        'only the splitted node should be the input'), 'nngraph/gmodule.lua:394')
                child = node.children[0]
                go = _total_gradOutput(node)
                cgos = child.data.get('gradOutput')
                if cgos is None:
                    cgos = child.data['gradOutput'] = []
                if len(cgos) > 1:
                    raise at_lua(TorchAssertionError(
                        'the splitted node should be used only once'), 'nngraph/gmodule.lua:398')
                if not cgos:
                    cgos.append([])
                tbl = cgos[0]
                if sel <= len(tbl) and tbl[sel - 1] is not None:
                    raise at_lua(TorchAssertionError(
                        'no gradOutput should be assigned yet'), 'nngraph/gmodule.lua:401')
                _set_at(tbl, sel, go)
            else:
                go = _total_gradOutput(node)
                module = data.get('module')
                if module is None:
                    gradInput = go
                else:
                    gradInput = module.updateGradInput(_node_input(data), go)
                children = node.children
                single = len(children) == 1
                mapindex = data['mapindex']
                for child in children:
                    cgos = child.data.get('gradOutput')
                    if cgos is None:
                        cgos = child.data['gradOutput'] = []
                    idx = mapindex.get(child.data)  # nil for an edge without a mapindex
                    gi = gradInput if single else \
                        None if idx is None else lua_get(gradInput, idx)
                    if gi is not None:
                        cgos.append(gi)
            if verbose:
                lua_print(' V : ' + node.label())

        gos = self.innode.data.get('gradOutput') or []
        if len(gos) != 1:
            raise at_lua(TorchAssertionError(
                'expecting the innode to be used only once'), 'nngraph/gmodule.lua:457')
        self.gradInput = gos[0]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        self._check_gradOutput(gradOutput, 'nngraph/gmodule.lua:487')
        verbose = self.__dict__.get('verbose')
        for node in self.backwardnodes:
            data = node.data
            module = data.get('module')
            if module is not None:
                gos = data['gradOutput']
                # nil when updateGradInput skipped the buffer (all gradOutputs but one were
                # one-element zeros): nngraph passes that nil on, as here; and nil when no
                # gradient reached the node (its successors' gradInputs had no entry for it:
                # `gradOutput[1]` of an empty table), as OpenNMT's sourceSize input
                if len(gos) > 1:
                    go = data.get('gradOutputBuffer')
                else:
                    go = gos[0] if gos else None
                module.accGradParameters(_node_input(data), go, scale)
            if verbose:
                lua_print(' V : ' + node.label())

    # ---- the rest of nn.Module's interface -------------------------------------------------

    def type(self, type=None, tensorCache=None):
        if type is None:
            return self._type
        utils.check_type_name(type)
        if tensorCache is None:
            tensorCache = {}
        d = self.__dict__
        for k in list(d):
            v = d[k]
            nv = _recursive_type(v, type)
            if nv is not v:
                d[k] = nv
        if d.get('innode') is not None:
            _type_table(self.innode.data, type)
        if d.get('outnode') is not None:
            _type_table(self.outnode.data, type)
        for m in self.modules:
            m.type(type, tensorCache)
        for node in self.backwardnodes:
            buf = node.data.get('gradOutputBuffer')
            if buf is not None:
                node.data['gradOutputBuffer'] = _recursive_type(buf, type)
            for child in node.children:
                _type_table(child.data, type)
        for node in self.forwardnodes:
            inp = node.data.get('input')
            if inp is not None:
                node.data['input'] = _recursive_type(inp, type)
            for child in node.children:
                _type_table(child.data, type)
        self._type = type
        return self

    def clearState(self):
        ret = Container.clearState(self)
        for node in self.backwardnodes:
            node.data.pop('gradOutput', None)
            node.data.pop('gradOutputBuffer', None)
        for node in self.forwardnodes:
            node.data.pop('input', None)
        return ret

    def replace(self, callback):
        out = callback(self)
        index = {id(m): i for i, m in enumerate(self.modules)}
        for node in self.forwardnodes:
            m = node.data.get('module')
            if m is not None:
                node.data['module'] = m.replace(callback)
                self.modules[index[id(m)]] = node.data['module']
        return out

    def map(self, gm, func):
        """func(module, the module at the same node of gm) for every node holding a module."""
        for i, node in enumerate(self.forwardnodes):
            if i >= len(gm.forwardnodes):
                raise at_lua(TorchAssertionError(
                    'trying to map another gModule with a different '
                    'structure'), 'nngraph/gmodule.lua:215')
            other = gm.forwardnodes[i]
            if node.data.get('module') is not None:
                if other.data.get('module') is None:
                    raise at_lua(TorchAssertionError(
                        'trying to map another gModule with a different '
                        'structure'), 'nngraph/gmodule.lua:217')
                func(node.data['module'], other.data['module'])

    def __tostring__(self):
        name = self.__dict__.get('name')
        return name if name is not None else utils.typename(self)

    # ---- .t7 --------------------------------------------------------------------------------

    def _t7_read(self, fields, version):
        self.__dict__.update(fields)
        _fix_loaded(self)
        if self.__dict__.get('modules') is None:
            self.modules = [n.data['module'] for n in self.forwardnodes
                            if n.data.get('module') is not None]


def _fix_loaded(g):
    """Turns the plain tables of a loaded graph into Tables (one per Lua table, so data tables
    shared by the forward and backward nodes stay shared) and their array-only fields into
    lists."""
    from ..serialization.objects import LuaKey
    from .graph_node import GraphNode, _listof
    seen, todo = set(), []

    def push(n):
        if isinstance(n, GraphNode) and id(n) not in seen:
            seen.add(id(n))
            todo.append(n)
    d = g.__dict__
    for name in ('forwardnodes', 'backwardnodes'):
        for n in d.get(name) or ():
            push(n)
    for name in ('innode', 'outnode'):
        push(d.get(name))
    for name in ('fg', 'bg'):
        gr = d.get(name)
        if gr is not None:
            for n in gr.nodes:
                push(n)
    datas = []
    while todo:
        n = todo.pop()
        for c in n.children:
            push(c)
        if not isinstance(n.data, dict):
            continue
        fresh = not isinstance(n.data, Table)
        n.data = _convert(n.data)
        if fresh or n.data not in datas:
            datas.append(n.data)
        rev = n.data.get('reverseMap')
        if isinstance(rev, dict):
            for k in rev:
                push(k.value if isinstance(k, LuaKey) else k)
    done = set()
    for data in datas:
        if id(data) in done:
            continue
        done.add(id(data))
        for key in ('mapindex', 'reverseMap'):
            v = data.get(key)
            if isinstance(v, dict) and not isinstance(v, Table) or (
                    isinstance(v, Table) and any(isinstance(k, LuaKey) for k in v)):
                t = Table()
                for k, x in v.items():
                    if isinstance(k, LuaKey):
                        k = k.value
                    if isinstance(k, dict):
                        k = _convert(k)
                    if isinstance(x, dict):
                        x = _convert(x)
                    t[k] = x
                data[key] = t
            elif isinstance(v, list):
                data[key] = Table({i: _convert(x) if isinstance(x, dict) else x
                                   for i, x in enumerate(v, 1)})
            elif v is None:
                data[key] = Table()
        ann = data.get('annotations')
        if ann is None:
            data['annotations'] = Table()
        elif not isinstance(ann, Table):
            data['annotations'] = _convert(ann)
        for key in ('input', 'gradOutput'):
            v = data.get(key)
            if isinstance(v, dict):
                data[key] = _listof(v)


_CONVERTED = object()  # marks a loaded dict already turned into a Table: dict[_CONVERTED]


def _convert(x):
    if isinstance(x, Table):
        return x
    hit = x.get(_CONVERTED)
    if hit is not None:
        return hit
    t = as_table(x, {})
    x[_CONVERTED] = t
    return t
