"""The order of a Torch object's fields through File.lua's writeObject/readObject (save, load and
clone): which order they are written in, and which order a read object sets them in."""
import weakref

from .luaorder import fields_order


def lua_keys(fields):
    """The keys Lua's pairs() orders (strings and numbers), or None when there are fewer than
    two (no order to choose)."""
    keys = [k for k in fields if isinstance(k, (str, int, float)) and not isinstance(k, bool)]
    return keys if len(keys) > 1 else None


def reordered(fields, order):
    """fields as a new dict, the keys of order first, then the others in their order."""
    out = {k: fields[k] for k in order}
    for k in fields:
        if k not in out:
            out[k] = fields[k]
    return out


# object -> the order of its fields in the file it was read from
_READ_ORDER = weakref.WeakKeyDictionary()


def note_read_order(obj, fields):
    """obj was read from a file whose field table listed its keys in fields' order. An object
    whose class reads itself (`_t7_reads_itself`: a `read` of its own that sets the fields in
    a pairs() loop over the table read, as nngraph's gModule:read) is not noted: that loop set
    its fields, so it is written by the rule (as the original's read gives in th, where the
    loop is Lua's), after a load and after a clone alike."""
    if getattr(type(obj), "_t7_reads_itself", False):
        return
    keys = lua_keys(fields)
    if keys is not None:
        try:
            _READ_ORDER[obj] = tuple(keys)
        except TypeError:  # unhashable (an unknown class's TorchObject): kept on the object
            try:
                object.__setattr__(obj, "_t7_read_order", tuple(keys))
            except (AttributeError, TypeError):
                pass


def written_order(obj, fields):
    """An object's fields in the order Torch7's writeObject writes them: it copies the fields
    into a new table `var` in the order pairs(object) visits them, then writes `var` in its own
    pairs order. Both orders are LuaJIT's (luaorder) for the keys set in the order given: the
    object's fields as they were set (a field set to nil keeps its node), then var's.
    Every object of a class torch7py implements follows this rule, one read from a file (or
    cloned) too: the reader set its fields in the pairs order of the table read (read_order),
    so Torch7 re-saving a file of fields in order F writes them in pairs_order applied three
    times to F, not F (the original Torch7 loading and saving an nn.BatchNormalization file
    reorders its fields so). An object of a class torch7py does not implement (a TorchObject:
    Torch7 could not read it without its class) read from a file and still holding the same
    fields is saved back unchanged, in the file's order."""
    keys = lua_keys(fields)
    if keys is None:
        return fields
    live = [k for k in keys if fields[k] is not None]
    read = _kept_order(obj)
    if read is not None and len(read) == len(live) and set(read) == set(live):
        return reordered(fields, read)
    nones = [k for k in keys if fields[k] is None]
    try:
        unset = never_set(obj, nones) if nones and obj in _HELD else _NEVER_SET.get(obj, ())
    except TypeError:  # unhashable (a TorchObject): made by no constructor
        unset = ()
    unset = [k for k in unset if k in fields and fields[k] is None]
    if unset:
        # `self.x = nil` in a constructor: the key's node is made and at once holds nil, so
        # the next rehash drops it (the original writes nn.Dropout's fields as if `inplace`
        # were never named, a fresh nn.LookupTable's with maxNorm's node still there)
        order = _order_with_nils(tuple(keys), frozenset(unset))
    else:
        order = fields_order(keys)
    live = [k for k in order if fields[k] is not None]
    return reordered(fields, fields_order(live))


def _order_with_nils(keys, nils):
    """pairs() over a table filled in the order of keys, those of nils set to nil as they are
    set (a dead node, dropped by a later rehash)."""
    from .luaorder import TableLayout, _as_key
    lay, tagged = TableLayout(), {}
    for k in keys:
        key = _as_key(k)
        tagged[key] = k
        lay.set(key)
        if k in nils:
            lay.clear(key)
    return [tagged[key] for key in lay.order()]


# object -> the fields its constructor left nil (None): keys its Lua table never had
_NEVER_SET = weakref.WeakKeyDictionary()


# object -> the fields seen holding a value when one of its constructors returned
_HELD = weakref.WeakKeyDictionary()


def note_constructed(obj):
    """One of obj's constructors has returned (each class's, innermost first): the fields it
    holds as None and never held a value at an inner constructor's return were set to nil on
    a key the table did not have (a node at once dead), unlike a field set to nil after it
    held a value (gmodule.lua's self.output = nil after parent.__init; clearState's)."""
    d = getattr(obj, "__dict__", None)
    if not d:
        return
    try:
        held = _HELD.get(obj)
        if held is None:
            held = _HELD[obj] = set()
        held.update(k for k, v in d.items() if v is not None)
        unset = frozenset(k for k, v in d.items() if v is None and k not in held)
        if unset:
            _NEVER_SET[obj] = unset
        else:
            _NEVER_SET.pop(obj, None)
    except TypeError:
        pass


def note_cleared(obj, key):
    """obj.key, which held a value, is set to nil (a script's `m.output = nil`): its node
    stays where the value put it, unlike a key set to nil that the table never had."""
    try:
        held = _HELD.get(obj)
        if held is None:
            held = _HELD[obj] = set()
        held.add(key)
    except TypeError:
        pass


def never_set(obj, nones):
    """Of the keys of obj that hold None, those whose node Torch7's table made holding nil
    (`t.k = nil` where t had no k: luaorder's set_nil). A key seen holding a value (at one of
    obj's constructors' returns, or before a script cleared it) was set, then cleared: its node
    is placed as a set key's (gmodule.lua's `self.output = nil` after parent.__init). An
    object with no such record: every None is taken as never set."""
    try:
        held = _HELD.get(obj)
    except TypeError:
        held = None
    if held is None:
        return tuple(nones)
    return tuple(k for k in nones if k not in held)


def _kept_order(obj):
    """The file order of an object torch7py keeps by its class name (TorchObject), or None."""
    from .serialization.objects import TorchObject
    if not isinstance(obj, TorchObject):
        return None
    try:
        read = _READ_ORDER.get(obj)
    except TypeError:
        read = None
    return read if read is not None else getattr(obj, "_t7_read_order", None)


def read_order(fields):
    """The fields of a table read from a file (in file order) in the order File.lua's
    readObject sets them in the object: `for k, v in pairs(var) do object[k] = v end`."""
    keys = lua_keys(fields)
    return fields if keys is None else reordered(fields, fields_order(keys))


def cloned_order(obj, fields):
    """clone's write-then-read: the copy's fields in the order the read sets them (the order
    written, read back), and that written order, which the copy is noted as read with. A nil
    field (None) is not written, so the copy lacks it, as a loaded object does; keys Lua never
    lists (Python-only ones) follow in their order."""
    written = written_order(obj, fields)
    keys = lua_keys(written)
    live = None if keys is None else [k for k in keys if written[k] is not None]
    out = written if live is None else reordered(written, fields_order(live))
    return {k: v for k, v in out.items() if v is not None or not _is_lua_key(k)}, live


def _is_lua_key(k):
    return isinstance(k, (str, int, float)) and not isinstance(k, bool)
