"""luaL_argerror's function name and argument number for torch7py's C functions, by call form.

LuaJIT 2.1's err_argmsg (lj_err.c) names the failing C function with lj_debug_funcname
(lj_debug.c): the call instruction in the caller's frame gives the name and its kind through
lj_debug_slotname (local, global, field, upvalue; a field read right after the MOV of the
object is a "method"; a metamethod instruction gives "metamethod" and its __name). A tail call
leaves its caller's frame link, so the name is that of the call of the caller (none below
pcall or C). No name: '?'. A "method" does not count self: #n-1, and #0 reads
"calling 'f' on bad self (msg)". luaT's metamethods and the generic torch.f functions reach
the C function through lua_call (from C): '?'.

Each form runs with a Tensor method and, as a control, with LuaJIT's own C function string.rep:
both must give the text that `expected` (the rule above, written out here) gives.
"""
import pytest

lupa = pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


def expected(n, msg, name=None, namewhat=None):
    """err_argmsg's text for raw argument n (self counted) and the caller's name for it."""
    if name is None:
        return "bad argument #%d to '?' (%s)" % (n, msg)
    if namewhat == "method":
        n -= 1
        if n == 0:
            return "calling '%s' on bad self (%s)" % (name, msg)
    return "bad argument #%d to '%s' (%s)" % (n, name, msg)


# each form: Lua code run inside pcall(function() ... end) with O the object, M the method name,
# A the arguments; then the (name, namewhat) that the rule gives for it (None: '?')
FORMS = {
    "method": ("local y = O:M(A)", ("M", "method")),
    "tail": ("return O:M(A)", (None, None)),
    "pcall": ("local ok, e = pcall(O.M, O, A); error(e, 0)", (None, None)),
    "local": ("local f = O.M; local y = f(O, A)", ("f", "local")),
    "field": ("local y = O.M(O, A)", ("M", "field")),
    "global": ("G_argerror_f = O.M; local y = G_argerror_f(O, A)", ("G_argerror_f", "global")),
    "upvalue": ("local up = O.M; (function() local y = up(O, A) end)()", ("up", "upvalue")),
    "tail in a local function": ("local function g() return O:M(A) end; local y = g()",
                                 ("g", "local")),
    "tail in a pcall": ("local ok, e = pcall(function() return O:M(A) end); error(e, 0)",
                        (None, None)),
}

# (object setup, method, arguments, raw number of the bad argument, luaL_argerror's msg)
CALLS = {
    "string.rep": ("local O = 'x'", "rep", "{}", 2, "number expected, got table"),
    "narrow": ("local O = torch.ones(3, 4)", "narrow", "1, 1, 0", 4, "out of range"),
    "select": ("local O = torch.ones(3, 4)", "select", "0, 1", 2, "out of range"),
    "size": ("local O = torch.ones(3, 4)", "size", "3", 2,
             "dimension 3 out of range of 2D tensor"),
    "t": ("local O = torch.ones(2, 2, 2)", "t", "", 1, "Tensor must have 2 dimensions"),
    "storage copy": ("local O = torch.DoubleStorage(2)", "copy", "3", 2,
                     "torch.*Storage expected, got number"),
}


@pytest.fixture(scope="module")
def rt():
    r = LuaRuntime()
    r.execute("require 'torch'")
    r.execute("""
        function argerror_try(f)
           local ok, e = pcall(f)
           assert(not ok, 'no error')
           return (tostring(e):gsub('^[^:]*:%d+: ', ''))
        end""")
    return r


def run(rt, call, form):
    setup, m, args, _, _ = CALLS[call]
    code = FORMS[form][0].replace("O.M", "O." + m).replace("O:M", "O:" + m)
    if not args:  # no arguments: drop the comma that joins them to O
        code = code.replace("O, A", "O").replace("(A)", "()")
    code = code.replace("A", args)
    return rt.execute("%s\nreturn argerror_try(function() %s end)" % (setup, code))


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("call", list(CALLS))
def test_call_form(rt, call, form):
    _, m, _, n, msg = CALLS[call]
    name, namewhat = FORMS[form][1]
    if name == "M":
        name = m
    assert run(rt, call, form) == expected(n, msg, name, namewhat)


def test_method_numbers_and_bad_self(rt):
    # the doc example of the task: a non-tail method call names the method, self not counted
    assert rt.execute("local x = torch.ones(3, 4); return argerror_try(function() "
                      "local y = x:narrow(1, 1, 0) end)") == \
        "bad argument #3 to 'narrow' (out of range)"
    assert rt.execute("return argerror_try(function() local y = torch.ones(2, 2, 2):t() end)") \
        == "calling 't' on bad self (Tensor must have 2 dimensions)"


def test_torch_functions_dispatch_through_c(rt):
    # torch.squeeze / torch.sum: TensorMath's dispatcher lua_calls the method: '?'
    for code in ("local y = torch.squeeze(torch.ones(3, 4), 5)",
                 "local y = torch.sum(torch.ones(3, 4), 5)"):
        got = rt.execute("return argerror_try(function() %s end)" % code)
        assert got.startswith("bad argument #2 to '?' (dimension "), got
    # the dispatchers exist for TensorMath.lua's wrapped names only: Tensor.c's narrow and
    # select are methods, torch.narrow and torch.select are nil
    assert rt.execute("return torch.narrow == nil and torch.select == nil")


def test_metamethods_through_luat(rt):
    # luaT's __index/__add call the class's __index__/__add__ with lua_call: '?'
    assert rt.execute("local x = torch.ones(3, 4); return argerror_try(function() "
                      "local y = x[5] end)") == expected(2, "out of range")
    assert rt.execute("local s = torch.DoubleStorage(3); return argerror_try(function() "
                      "local y = s[7] end)") == expected(2, "out of bounds")
    assert rt.execute("return argerror_try(function() local y = torch.ones(2) + "
                      "torch.FloatTensor(2) end)") == \
        expected(2, "number expected, got userdata")


def test_constructor_through_luat(rt):
    # torch.Tensor(...) is luaT's __call, which lua_calls the constructor: '?'
    got = rt.execute("return argerror_try(function() local y = torch.Tensor('a') end)")
    assert got.startswith("bad argument #1 to '?' (expecting number or"), got


def test_lua_functions_of_torch7_keep_their_text(rt):
    # Tensor.lua's split calls tensor:size(dim) (a method call): the name is 'size' whatever
    # form split itself was called in (a Lua function: its own frame makes that call)
    for code in ("local y = x:split(2, 9)", "return x:split(2, 9)"):
        got = rt.execute("local x = torch.ones(3, 4); return argerror_try(function() %s end)"
                         % code)
        assert got == expected(2, "dimension 9 out of range of 2D tensor", "size", "method")


def test_error_position_is_the_callers_line(rt):
    msg = rt.execute("""local x = torch.ones(3, 4)
        local ok, e = pcall(function()
           local y = x:narrow(1, 1, 0)
        end)
        return e""")
    assert msg.endswith(":3: bad argument #3 to 'narrow' (out of range)"), msg


def test_storage_resize_fill_check_numbers(rt):
    # Storage.c: resize's luaL_checkinteger(L, 2), fill's luaG_checkreal(L, 2): numeric strings
    # convert (lua_tonumber); anything else is LuaJIT's "number expected, got <Lua type>"
    assert rt.execute("local s = torch.DoubleStorage(3); s:resize('5'); s:fill(' 2.5 ');"
                      "return {s:size(), s[5]}") == [5, 2.5]
    for code, n, got in (("local y = s:resize('a')", 2, "string"),
                         ("local y = s:resize({})", 2, "table"),
                         ("local y = s:fill(true)", 2, "boolean"),
                         ("local y = s:fill(torch.ones(2))", 2, "userdata")):
        m = code.split(":")[1].split("(")[0]
        assert rt.execute("local s = torch.DoubleStorage(3); return argerror_try(function() "
                          "%s end)" % code) == \
            expected(n, "number expected, got %s" % got, m, "method")


def test_names_hold_in_compiled_loops(rt):
    # the call site sits in a loop that LuaJIT compiles before the failing iteration: the frame
    # that the name comes from is rebuilt when the trace exits
    got = rt.execute("""local x = torch.ones(3, 4)
        local last
        for i = 1, 400 do
           local nar = x.narrow
           local ok, e = pcall(function()
              local y = x:narrow(1, 1, 1)
              local z = nar(x, 1, 1, i < 300 and 1 or 0)
           end)
           assert(ok == (i < 300))
           last = e
        end
        return (last:gsub('^[^:]*:%d+: ', ''))""")
    assert got == expected(4, "out of range", "nar", "upvalue")


def test_torch_table_c_functions(rt):
    # random.lua's random__ functions are C functions of the torch table itself, called
    # directly: named by the call (field, local), '?' in a tail call below pcall
    bad = "torch.ByteTensor(3)"
    msg = "RNG state is wrong size"
    for code, name, what in (
            ("local y = torch.setRNGState(%s)" % bad, "setRNGState", "field"),
            ("local set = torch.setRNGState; local y = set(%s)" % bad, "set", "local"),
            ("return torch.setRNGState(%s)" % bad, None, None)):
        got = rt.execute("return argerror_try(function() %s end)" % code)
        assert got == expected(1, msg, name, what)
