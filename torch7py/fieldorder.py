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
    object's fields as they were set (a field holding nil was set to nil where it had no key:
    luaorder.set_nil), then var's.
    Every object follows this rule (a TorchObject made in Python too), except one read from a
    file (or cloned from one) and still holding the same fields: it is written in the file's
    order, so that a load and save gives the file's bytes (the reader sets the fields in the
    read table's pairs order, as File.lua does; the rule applied to that order may reorder keys
    that share a hash chain)."""
    keys = lua_keys(fields)
    if keys is None:
        return fields
    live = [k for k in keys if fields[k] is not None]
    try:
        read = _READ_ORDER.get(obj)
    except TypeError:
        read = getattr(obj, "_t7_read_order", None)
    if read is not None and len(read) == len(live) and set(read) == set(live):
        return reordered(fields, read)
    nils = tuple(k for k in keys if fields[k] is None)
    live = [k for k in fields_order(keys, nils) if fields[k] is not None]
    return reordered(fields, fields_order(live))


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
