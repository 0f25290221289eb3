"""th's print (trepl's print_new) of classes and their metatables: a value whose metatable
(as getmetatable gives it, __metatable answering) has a __tostring is printed through
tostring, any other table is listed key by key."""
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


@pytest.fixture
def rt():
    r = LuaRuntime()
    r.enable_trepl()
    return r


def _out(rt, capsys, code):
    capsys.readouterr()
    rt.execute(code)
    return capsys.readouterr().out.splitlines()


def test_constructor_tables_print_as_tables(rt, capsys):
    # nn.Linear and torch.Tester are constructor tables: their metatable (getmetatable answers
    # the class's, which has luaT's __tostring) makes print use tostring: 'table: 0x...'
    lines = _out(rt, capsys, """
        require 'nn'
        print(nn.Linear)
        print(torch.Tester)
        torch.class('PrintedKid', 'torch.Tester')
        print(PrintedKid)
    """)
    assert len(lines) == 3 and all(ln.startswith("table: 0x") for ln in lines)


def test_class_metatables_print_as_luaT_makes_them(rt, capsys):
    # a class with a parent prints its parent's name (luaT_mt__tostring on the metatable); one
    # without a parent is a plain table, listed; instances print their typename
    lines = _out(rt, capsys, """
        require 'nn'
        local A = torch.class('PA', 'nn.Linear')
        local B = torch.class('PB')
        function B:hello() end
        local T = torch.class('PT', 'torch.Tester')
        print(A)
        print(B)
        print(T)
        print(torch.Tester())
        print(PT())
    """)
    assert lines[0] == "nn.Linear"
    # B lists its method and what luaT_lua_newmetatable (luaT.c) puts in every metatable:
    # __index ... __call, torch.class's constructor and factory (new, __constructor, __factory)
    # (__metatable is the table itself: trepl's print nests it down to its depth 4)
    end = lines.index("}")
    assert lines[1] == "{"
    top = [ln for ln in lines[2:end] if ln.startswith("  ") and ln[2] != " "]
    keys = {ln.split(" : ")[0].strip() for ln in top}
    assert keys == {"hello", "__index", "__newindex", "__typename", "__metatable", "__version",
                    "__tostring", "__add", "__sub", "__mul", "__div", "__mod", "__pow",
                    "__unm", "__concat", "__len", "__eq", "__lt", "__le", "__call", "new",
                    "__factory", "__constructor"}
    assert '  __typename : "PB"' in top and "  __version : 1" in top
    assert lines[end + 1:] == ["torch.Tester", "torch.Tester", "PT"]


def test_rawget_reads_array_entries_of_lua_class_objects(rt):
    r = rt.execute("""
        local D = torch.class('RawD')
        local d = RawD()
        d[1] = 'one'
        d.x = 'ex'
        return {rawget(d, 1), rawget(d, 'x'), tostring(rawget(d, 2)), tostring(rawget(d, true))}
    """)
    assert r == ["one", "ex", "nil", "nil"]
