"""luaL_argerror texts of the C functions of File.c, DiskFile.c, MemoryFile.c, PipeFile.c and
Timer.c as LuaJIT 2.1 names them (lj_err.c err_argmsg: `x:f()` counts arguments after self,
`x.f()` all of them, a constructor reached through luaT's __call is '?'), and Lua's
luaL_typerror telling an argument left out ("got no value") from a nil passed ("got nil")."""
import pytest

from torch7py import MemoryFile
from torch7py.luaresults import NOVALUE
from torch7py.serialization.files import FileArgError

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


@pytest.fixture
def rt():
    return LuaRuntime()


def _errors(rt, calls):
    """Each Lua expression of calls, evaluated in a local (no tail call), as its error text
    without the position."""
    code = ["local out = {}"]
    for c in calls:
        code.append("out[#out + 1] = select(2, pcall(function() local r = %s return r end))"
                    % c)
    code.append("return out")
    r = rt.execute("\n".join(code))
    return [m.split(": ", 1)[1] if m.startswith("(command line)") else m for m in r]


def test_file_methods_name_themselves(rt):
    rt.execute("F = torch.MemoryFile() T = torch.Timer()")
    assert _errors(rt, [
        "F:seek()", "F:seek(nil)", "F:seek('x')", "F:seek(0)", "F.seek()",
        "F.seek(torch.Tensor(1))", "F:readString()", "F:readString(nil)", "F:readString('x')",
        "F:writeString(5)", "F:longSize(3)", "T.time()", "T.reset(F)", "T.stop(3)",
    ]) == [
        # luaL_checkinteger(L, 2): number expected, got no value / nil / string
        "bad argument #1 to 'seek' (number expected, got no value)",
        "bad argument #1 to 'seek' (number expected, got nil)",
        "bad argument #1 to 'seek' (number expected, got string)",
        # THArgCheck(position >= 0, 2, ...)
        "bad argument #1 to 'seek' (position has to be greater than 0!)",
        # luaT_checkudata(L, 1, "torch.File"): luaT_typerror names lua_typename(L, 1), the
        # index taken as a type code, for a value without a torch type
        "bad argument #1 to 'seek' (torch.File expected, got boolean)",
        "bad argument #1 to 'seek' (torch.File expected, got torch.DoubleTensor)",
        "bad argument #1 to 'readString' (string expected, got no value)",
        "bad argument #1 to 'readString' (string expected, got nil)",
        "bad argument #1 to 'readString' (format must be '*a' or '*l')",
        # luaL_checktype(L, 2, LUA_TSTRING): a number is not a string here
        "bad argument #1 to 'writeString' (string expected, got number)",
        # THArgCheck(..., 1, "Invalid long size specified"): argument 1 is self
        "calling 'longSize' on bad self (Invalid long size specified)",
        "bad argument #1 to 'time' (torch.Timer expected, got boolean)",
        "bad argument #1 to 'reset' (torch.Timer expected, got torch.MemoryFile)",
        "bad argument #1 to 'stop' (torch.Timer expected, got boolean)",
    ]


def test_closed_and_one_way_files(rt):
    # THMemoryFile.c: THArgCheck(mfself->storage != NULL, 1, "attempt to use a closed file")
    rt.execute("W = torch.MemoryFile('w') R = torch.MemoryFile('r') C = torch.MemoryFile() "
               "C:close()")
    assert _errors(rt, ["C:readInt()", "C:writeDouble(1)", "W:readInt()", "R:writeInt(1)"]) == [
        "calling 'readInt' on bad self (attempt to use a closed file)",
        "calling 'writeDouble' on bad self (attempt to use a closed file)",
        "calling 'readInt' on bad self (attempt to read in a write-only file)",
        "calling 'writeInt' on bad self (attempt to write in a read-only file)",
    ]


def test_read_and_write_forms(rt):
    # File.c's readX: no argument reads one value; a number reads that many (a numeric string
    # is a number to lua_isnumber); a nil passed is none of its forms. writeX: a number or a
    # storage; a boolean is neither.
    r = rt.execute("""
        local f = torch.MemoryFile()
        f:writeDouble('2.5')
        f:writeInt(7)
        f:longSize()   -- lua_tointeger(nil) is 0: allowed
        f:seek(1)
        local a = f:readDouble()
        local b = f:readInt('1')
        local e1 = select(2, pcall(function() local r = f:readDouble(nil) return r end))
        local e2 = select(2, pcall(function() local r = f:writeDouble(true) return r end))
        return a, torch.type(b), b[1], e1:gsub('^.-:%d+: ', ''), (e2:gsub('^.-:%d+: ', ''))
    """)
    assert r == (2.5, "torch.IntStorage", 7, "nothing, number, or DoubleStorage expected",
                 "number, or DoubleStorage expected")


def test_file_constructors(rt):
    # DiskFile.c / PipeFile.c: luaL_checkstring(L, 1), luaL_optstring(L, 2, "r"),
    # luaT_optboolean(L, 3, 0); MemoryFile.c: a CharStorage, else luaL_optstring(L, 1, "rw");
    # THDiskFile_new / THMemoryFile_new: THArgCheck(mode, 2, ...). Constructors are '?'.
    assert _errors(rt, [
        "torch.DiskFile()", "torch.DiskFile(nil)", "torch.DiskFile({})",
        "torch.DiskFile('/tmp/x', 'q')", "torch.DiskFile('/nonexistent/x', 'r', 1)",
        "torch.PipeFile()", "torch.PipeFile('true', 'rw')", "torch.MemoryFile(3)",
        "torch.MemoryFile({})", "torch.MemoryFile(torch.CharStorage(2):fill(1))",
    ]) == [
        "bad argument #1 to '?' (string expected, got no value)",
        "bad argument #1 to '?' (string expected, got nil)",
        "bad argument #1 to '?' (string expected, got table)",
        "bad argument #2 to '?' (file mode should be 'r','w' or 'rw')",
        # luaT_typerror for argument 3: lua_typename(L, 3) is 'number'
        "bad argument #3 to '?' (boolean expected, got number)",
        "bad argument #1 to '?' (string expected, got no value)",
        "bad argument #2 to '?' (file mode should be 'r','w')",
        "bad argument #2 to '?' (file mode should be 'r','w' or 'rw')",
        "bad argument #1 to '?' (string expected, got table)",
        "bad argument #1 to '?' (provided CharStorage must be terminated by 0)",
    ]
    # a quiet DiskFile that cannot open is nil; MemoryFile(nil, 'r') takes argument 1 (nil)
    # as its mode: 'rw'
    r = rt.execute("return torch.DiskFile('/nonexistent/x', 'r', true), "
                   "torch.MemoryFile(nil, 'r'):isWritable()")
    assert r == (None, True)


def test_python_calls_see_the_same_checks():
    f = MemoryFile()
    with pytest.raises(FileArgError, match=r"#2 to '\?' \(number expected, got no value\)"):
        f.seek()
    with pytest.raises(ValueError, match=r"#2 to '\?' \(number expected, got nil\)"):
        f.seek(None)
    assert f.writeDouble(1.5) is None and f.seek(1).readDouble() == 1.5
    assert NOVALUE is not None and not NOVALUE


def test_storage_and_copy_checks(rt):
    # Storage.c: luaL_checkinteger/luaG_checkreal ('no value' when left out); Storage.c's and
    # Tensor.c's copy: luaL_typerror(L, 2, "torch.*Storage"/"torch.*Tensor"), Lua's own type
    # of the value (a tensor is a userdata, a module a table)
    rt.execute("require 'nn' S = torch.DoubleStorage(3) T = torch.Tensor(3)")
    assert _errors(rt, [
        "S:resize()", "S:resize(nil)", "S:fill()", "S:copy()", "S:copy(T)", "T:copy()",
        "T:copy(nil)", "T:copy(S)", "T:copy(nn.Linear(1, 1))",
    ]) == [
        "bad argument #1 to 'resize' (number expected, got no value)",
        "bad argument #1 to 'resize' (number expected, got nil)",
        "bad argument #1 to 'fill' (number expected, got no value)",
        "bad argument #1 to 'copy' (torch.*Storage expected, got no value)",
        "bad argument #1 to 'copy' (torch.*Storage expected, got userdata)",
        "bad argument #1 to 'copy' (torch.*Tensor expected, got no value)",
        "bad argument #1 to 'copy' (torch.*Tensor expected, got nil)",
        "bad argument #1 to 'copy' (torch.*Tensor expected, got userdata)",
        "bad argument #1 to 'copy' (torch.*Tensor expected, got table)",
    ]


def test_tensor_constructor_and_save_arguments(rt):
    # Tensor.c's c_readTensorStorageSizeStride: a tensor or storage of another type is none of
    # its forms; c_readSizeStride: a LongStorage of sizes takes only a LongStorage of strides;
    # THTensor_(setStorageNd): "Tensor: invalid storage offset". torch.save opens
    # torch.DiskFile(filename, 'w') (luaL_checkstring) after File.lua's asserts.
    assert _errors(rt, [
        "torch.Tensor(torch.FloatTensor(2))", "torch.Tensor(torch.FloatStorage(2))",
        "torch.Tensor(torch.LongStorage({2, 2}), 'x')",
        "torch.Tensor(torch.LongStorage({2, 2}), torch.LongStorage({1}))",
        "torch.Tensor(torch.DoubleStorage(4), 0)", "torch.Tensor(torch.DoubleStorage(4), 'a')",
        "torch.Tensor(torch.DoubleStorage(4), 1, 2, 'x')", "torch.save()",
        "torch.save({}, 1)", "torch.save('/nonexistent/x.t7', 1, nil, 5)",
    ]) == [
        "bad argument #1 to '?' (expecting number or torch.DoubleTensor or torch.DoubleStorage)",
        "bad argument #1 to '?' (expecting number or torch.DoubleTensor or torch.DoubleStorage)",
        "bad argument #2 to '?' (torch.LongStorage expected)",
        "bad argument #2 to '?' (provided stride and size are inconsistent)",
        "Tensor: invalid storage offset",
        "bad argument #2 to '?' (number expected, got string)",
        "bad argument #4 to '?' (number expected, got string)",
        "bad argument #1 to '?' (string expected, got nil)",
        "bad argument #1 to '?' (string expected, got table)",
        # (File.lua's assert: beta2's assert puts the position first, as the original prints)
        "/usr/local/share/lua/5.1/torch/File.lua:382: true or false (or nil) expected for "
        "referenced",
    ]
    r = rt.execute("local t = torch.Tensor(torch.Tensor(3):fill(2), 'ignored') return t[3]")
    assert r == 2


def test_multinomial_method_forms(rt):
    # TensorMath.lua's multinomial as a method: its LongTensor result is self there
    # (method={default='nil'}: `*LongTensor*`, required), so p.multinomial(res, p, n) is the
    # form and p:multinomial(n) matches none (the original Torch7 printed these)
    r = rt.execute("""
        local p = torch.Tensor({0, 0, 1})
        local ok1, msg1 = pcall(function() return p:multinomial(2, true) end)
        local res = torch.LongTensor()
        p.multinomial(res, p, 1)
        local ok, msg = pcall(function() return p:multinomial(torch.Tensor(), 1) end)
        return ok1, msg1, res[1], ok, msg
    """)
    assert r[0] is False and r[1].endswith(
        "invalid arguments: DoubleTensor number boolean \nexpected arguments: "
        "*LongTensor* [Generator] DoubleTensor int [boolean]")
    assert r[2:4] == (3, False)
    assert r[4] == ("invalid arguments: DoubleTensor DoubleTensor number \nexpected arguments: "
                    "*LongTensor* [Generator] DoubleTensor int [boolean]")
