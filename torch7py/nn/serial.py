"""nn.Serial: dpnn's decorator that controls how its module is serialized (Serial.lua), with
dpnn's Module serialization modes (Module.lua: serialMode, heavySerial, mediumSerial,
lightSerial, getSerialState).

A module's `dpnn_serialEmpty` lists the fields that a Serial writes empty: none by default
(heavy); mediumSerial empties output, gradInput, momGradParams and dpnn_input (and, per class,
the buffers dpnn names: a SpatialConvolution's finput/fgradinput/_input/_gradOutput, a
SpatialMaxPooling's indices, a BatchNormalization's buffers, a Sequencer's _output);
lightSerial the gradient parameters too. Each mode is set on the module and every module
reachable through its fields. An emptied table is written as {}, an emptied tensor as an
empty tensor of its type; the module itself keeps its fields.

On save, a Serial writes its class name, then one table: its serial state, every field with
each module replaced by that module's state (its fields, emptied as above, plus
`dpnn_typename`, written as an object of its class); a Serial made with a tensortype converts
the state (not the module) to that type first. On load the table's fields become the Serial's.
"""
from .. import messages
from .decorator import Decorator
from .module import Module
from .reinforce import _assert
from ..tensor import Tensor

# Module.dpnn_mediumEmpty and the classes dpnn (and rnn) give more fields to empty
MEDIUM_EMPTY = ['output', 'gradInput', 'momGradParams', 'dpnn_input']
_CONV = MEDIUM_EMPTY + ['finput', 'fgradinput', '_input', '_gradOutput']
_BN = MEDIUM_EMPTY + ['buffer', 'buffer2', 'centered', 'std', 'normalized', 'output',
                      'gradInput']
_CLASS_MEDIUM = {
    'nn.SpatialConvolution': _CONV,
    'nn.SpatialConvolutionMM': _CONV,
    'nn.SpatialMaxPooling': MEDIUM_EMPTY + ['indices'],
    'nn.BatchNormalization': _BN,
    'nn.SpatialBatchNormalization': _BN,
    'nn.Sequencer': MEDIUM_EMPTY + ['_output'],
    'nn.NCEModule': MEDIUM_EMPTY + ['sampleidx', 'sampleprob', '_noiseidx', '_noiseprob',
                                    '_weight', '_gradWeight', '_gradOutput', '_tgradOutput'],
}
_LIGHT = {}  # a light list per medium list (one table per class, as Lua's shared ones)


def _medium_empty(m):
    """m's dpnn_mediumEmpty: its own field, else its class's (a Lua class's table, or the
    list dpnn gives that torch7py class), else Module's."""
    own = m.__dict__.get('dpnn_mediumEmpty')
    if own is not None:
        return own
    for c in type(m).__mro__:
        if c.__dict__.get('dpnn_mediumEmpty') is not None:
            return c.__dict__['dpnn_mediumEmpty']
        name = c.__dict__.get('typename')
        if name in _CLASS_MEDIUM:
            return _CLASS_MEDIUM[name]
    return MEDIUM_EMPTY


def _lua_values(t):
    if isinstance(t, dict):
        return list(t.values())
    if isinstance(t, (list, tuple)):
        return list(t)
    if hasattr(t, 'values') and messages.lua_type(t) == 'table':
        return list(t.values())
    return []


def _each_module(m, f, seen):
    """f on every module reachable through m's fields (through tables too)."""
    def walk(t):
        for v in _lua_values(t):
            if isinstance(v, Module):
                if id(v) not in seen:
                    seen.add(id(v))
                    f(v)
            elif isinstance(v, (list, tuple, dict)) and id(v) not in seen:
                seen.add(id(v))
                walk(v)
    walk(m.__dict__)


def serialMode(module, empty):
    """Module:serialMode(empty): `empty` (a table of field names) for the module and all it
    holds."""
    _assert(messages.torch_type(empty) == 'table', 'Expecting table at arg 1')
    seen = {id(module)}

    def setm(m):
        m.dpnn_serialEmpty = empty
        _each_module(m, setm, seen)
    setm(module)
    return module


def heavySerial(module):
    return serialMode(module, [])


def mediumSerial(module):
    seen = {id(module)}

    def setm(m):
        m.dpnn_serialEmpty = _medium_empty(m)
        _each_module(m, setm, seen)
    setm(module)
    return module


def lightSerial(module):
    seen = {id(module)}

    def setm(m):
        medium = _medium_empty(m)
        light = _LIGHT.get(id(medium))
        if light is None or light[0] is not medium:
            light = (medium, _lua_values(medium) + ['gradWeight', 'gradBias'])
            _LIGHT[id(medium)] = light
        # (lightSerial clones the medium list for each module)
        m.dpnn_serialEmpty = list(light[1])
        _each_module(m, setm, seen)
    setm(module)
    return module


def _empty_value(v):
    if isinstance(v, (list, dict)) or messages.torch_type(v) == 'table':
        return {}
    if isinstance(v, Tensor):
        return v.new()
    return v


def getSerialState(module, states=None):
    """Module:getSerialState(states): the module as a table of its fields (a dict), modules
    inside replaced by their states, its dpnn_serialEmpty fields emptied, and `dpnn_typename`
    its class name; each module and table once (states)."""
    if states is None:
        states = {}
    hit = states.get(id(module))
    if hit is not None:
        return hit[1]

    def state_of(tbl, empty):
        items = tbl.items() if isinstance(tbl, dict) else enumerate(tbl)
        out = {} if isinstance(tbl, dict) else [None] * len(tbl)
        for k, v in items:
            if empty is not None and k in empty:
                out[k] = _empty_value(v)
            elif isinstance(v, Module):
                out[k] = getSerialState(v, states)
            elif isinstance(v, (list, dict)):
                got = states.get(id(v))
                if got is None:
                    got = (v, state_of(v, None))
                    states[id(v)] = got
                out[k] = got[1]
            else:
                out[k] = v
        return out

    empty = module.__dict__.get('dpnn_serialEmpty') or []
    fields = module._t7_fields() if hasattr(module, '_t7_fields') else dict(vars(module))
    state = state_of(dict(fields), set(k for k in _lua_values(empty) if isinstance(k, str)))
    state['dpnn_typename'] = messages.torch_type(module)
    states[id(module)] = (module, state)
    return state


def _as_objects(state, cls_of, done):
    """dpnn's recursiveSetMetaTable: every table of the state with a dpnn_typename becomes an
    object of that class (a Python instance holding the state's fields)."""
    if id(state) in done:
        return done[id(state)]
    if isinstance(state, dict):
        for k, v in list(state.items()):
            if isinstance(v, (dict, list)):
                state[k] = _as_objects(v, cls_of, done)
        name = state.get('dpnn_typename')
        cls = cls_of(name) if isinstance(name, str) else None
        if cls is not None:
            obj = cls.__new__(cls)
            obj.__dict__.update(state)
            done[id(state)] = obj
            return obj
    elif isinstance(state, list):
        for i, v in enumerate(state):
            if isinstance(v, (dict, list)):
                state[i] = _as_objects(v, cls_of, done)
    done[id(state)] = state
    return state


class Serial(Decorator):
    """nn.Serial(module, [tensortype])."""

    typename = 'nn.Serial'

    def __init__(self, module=None, tensortype=None):
        super().__init__(module)
        self.tensortype = tensortype
        if tensortype is not None:
            _assert(isinstance(tensortype, str) and _lua_find(tensortype),
                    'Expecting tensortype (e.g. torch.LongTensor) at arg1')

    def _t7_write_file(self, f):
        from ..serialization import objects
        state = getSerialState(self)
        # (a state's class is its module's: a Serial inside writes itself in turn, as dpnn's
        # recursiveSetMetaTable gives it Serial's write; this one's own state is a table)
        classes = {}

        def collect(m):
            classes[messages.torch_type(m)] = type(m)
        collect(self)
        _each_module(self, collect, {id(self)})

        def cls_of(name):
            return classes.get(name) or objects._class_of(name)
        done = {}
        for k, v in list(state.items()):
            if isinstance(v, (dict, list)):
                state[k] = _as_objects(v, cls_of, done)
        if self.__dict__.get('tensortype'):
            holder = Serial.__new__(Serial)
            holder.__dict__.update(state)
            holder.type(self.tensortype)
            state = dict(holder.__dict__)
        f.writeObject(state)

    def _t7_read_file(self, f, version):
        state = f.readObject()
        items = state.items() if isinstance(state, dict) else enumerate(state, 1)
        for k, v in items:
            self.__dict__[k] = v


def _file_clone(obj):
    """Module:clone of a graph holding a Serial: Torch7's MemoryFile write and read (the
    Serial writes its state), not a copy of the fields."""
    from ..serialization import deserialize, serialize
    return deserialize(serialize(obj))


Serial._t7_file_clone = staticmethod(_file_clone)


def _lua_find(s):
    """tensortype:find('torch.*Tensor')."""
    import re
    return re.search(r'torch.*Tensor', s) is not None


def Serial_of(module, tensortype=None):
    """Module:Serial(tensortype): the module decorated with nn.Serial."""
    return Serial(module, tensortype)
