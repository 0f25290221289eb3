"""The Python half of compat/nngraph.lua: nodes made from Lua take their debug label from the
Lua stack; nngraph.setDebug's error handler appends Lua's stack traceback."""


def install(where, traceback):
    """where() -> (short_src, line, name) of the Lua code making a node, or nothing;
    traceback(msg) -> Lua's debug.traceback of msg from the Lua code that called into Python."""
    import torch7py.nngraph as gnn
    from torch7py.nngraph import node
    from .luavalues import LuaError, _py_message, lua_message

    def add_traceback(e):
        # graphinspecting.lua's errorHandler: the message as Lua sees it, with
        # debug.traceback(message, 2) unless it has a traceback; raised again as it is
        # (error(result, 0): the bridge adds no position). A Lua error keeps the traceback of
        # its own failure (lupa's handler is debug.traceback): the frames nngraph's handler
        # sees there, short of the layer's
        msg = getattr(e, "torch7_message", None)
        if msg is None and isinstance(e, LuaError) and _handler_fails(e):
            # string.find(message, ...) of a nil, table or boolean error value fails in the
            # handler: xpcall gives LuaJIT's LUA_ERRERR text, raised again as it is
            e.torch7_message = "error in error handling"
            e.torch7_plain = True
            e.torch7_errerr = True
            return
        if msg is None and isinstance(e, LuaError):
            raw = str(e.args[0]) if e.args else ""
            msg = lua_message(e)
            if raw != msg:
                msg = raw
        elif msg is None:
            msg = _py_message(e)
        if "stack traceback:\n" not in msg:
            tb = str(traceback(msg))
            if tb == msg + "\nstack traceback:":
                # no Lua below: a Python caller in the same process (the hook is the module's)
                return gnn._python_traceback(e)
            msg = tb
        e.torch7_message = msg
        e.torch7_plain = True
    gnn._add_traceback = add_traceback

    def _handler_fails(e):
        # the error value that lupa's text lost (bridge.lua notes it: a table, a boolean, nil),
        # taken here: the message the handler makes replaces it
        from torch7py import messages
        for rt in list(messages.LUA_TABLE_OWNERS):
            H = getattr(rt, "H", None)
            if H is None:
                continue
            v = H.takeerr(lua_message(e))
            return v is not None and (type(v) is bool or not isinstance(v, (int, float)))
        return False

    def location():
        try:
            r = where()
        except Exception:
            r = None
        if r is False:  # the Lua stack ends above the call: Torch7's getinfo gives nil
            return None
        if isinstance(r, tuple) and len(r) >= 2 and r[0] is not None:
            return str(r[0]), int(r[1]), str(r[2]) if len(r) > 2 and r[2] else ''
        return node._python_location()
    node.debug_location = location
