"""Session 20's sweep of torch's classes, metatables, sizes and files (sw20h). Every expectation
is what the original Torch7 (/tmp/ref7: torch7 814ea4a, nn 8726825, trepl's th, LuaJIT
2.1.0-beta2) printed for the same code, its install path replaced by ours."""
from torch7py.messages import LUA_PREFIX

from luatest import th_script

P = LUA_PREFIX + "torch/File.lua"
INIT = LUA_PREFIX + "torch/init.lua"


def test_serialize_mode_is_a_method_lookup(tmp_path):
    # File.lua: f = f[mode](f), no assert: another mode calls nil at line 424 / 441; a value
    # that is no string makes CharStorage():string(x) return "", which CharTensor refuses
    r = th_script("""
print(pcall(torch.serialize, torch.Tensor(1), 'text'))
print(pcall(torch.deserialize, 'abc', 'text'))
print(pcall(torch.serializeToStorage, torch.Tensor(1), 'text'))
print(pcall(torch.serialize, torch.Tensor(1), 1))
print(pcall(torch.deserialize, nil))
print(pcall(torch.deserialize, nil, 'text'))
print(pcall(torch.deserialize, ''))
print(#torch.serialize({1}, 'ascii'), torch.deserialize(torch.serialize({7}))[1])
""", tmp_path)
    assert r.stdout == (
        "false\t%s:424: attempt to call a nil value\t\n"
        "false\t%s:441: attempt to call a nil value\t\n"
        "false\t%s:424: attempt to call a nil value\t\n"
        "false\t%s:424: attempt to call a nil value\t\n"
        "false\tbad argument #1 to '?' (expecting number or torch.CharTensor or "
        "torch.CharStorage)\t\n"
        "false\tbad argument #1 to '?' (expecting number or torch.CharTensor or "
        "torch.CharStorage)\t\n"
        "false\t%s:436: bad argument #1 to 'size' (dimension 1 out of range of 0D tensor)\t\n"
        "14\t7\t\n" % (P, P, P, P, P))


def test_default_tensor_type_is_torch_Tensor(tmp_path):
    # utils.c's torch_getdefaulttensortype names the class of torch.Tensor, whoever set it;
    # init.lua's setdefaulttensortype sets torch.Tensor, then torch.Storage from
    # torch.Tensor(1):storage(); torch.Storage is a plain field
    r = th_script("""
torch.Tensor = torch.FloatTensor
print(torch.typename(torch.zeros(1)), torch.typename(torch.Storage(1)), torch.getdefaulttensortype())
torch.setdefaulttensortype('torch.DoubleTensor')
print(torch.typename(torch.zeros(1)), torch.typename(torch.Storage(1)), torch.typename(torch.Tensor(1)), torch.getdefaulttensortype())
torch.Tensor = nil
print(torch.Tensor, torch.getdefaulttensortype())
torch.Tensor = {}
print(type(torch.Tensor), torch.getdefaulttensortype())
torch.setdefaulttensortype('torch.LongTensor')
print(torch.typename(torch.zeros(1)), torch.typename(torch.Storage(1)), torch.typename(torch.Tensor(1)), torch.getdefaulttensortype())
torch.Storage = torch.ByteStorage
print(torch.typename(torch.Storage(1)))
torch.setdefaulttensortype('torch.DoubleTensor')
print(torch.typename(torch.Storage(1)), torch.typename(torch.Tensor(1)), torch.getdefaulttensortype())
sw = {}
torch.class('sw.K')
function sw.K:storage() return torch.IntStorage(2) end
print(pcall(torch.setdefaulttensortype, 'sw.K'))
print(torch.getdefaulttensortype(), torch.typename(torch.Storage(1)), torch.Tensor == sw.K)
torch.setdefaulttensortype('torch.DoubleTensor')
print(pcall(torch.setdefaulttensortype, 'torch.DoubleStorage'))
print(torch.getdefaulttensortype(), torch.Tensor == torch.DoubleStorage)
print(pcall(torch.setdefaulttensortype, 'torch.Nope'))
""", tmp_path)
    assert r.stdout == (
        "torch.FloatTensor\ttorch.DoubleStorage\ttorch.FloatTensor\t\n"
        "torch.DoubleTensor\ttorch.DoubleStorage\ttorch.DoubleTensor\ttorch.DoubleTensor\t\n"
        "nil\t\n"
        "table\t\n"
        "torch.LongTensor\ttorch.LongStorage\ttorch.LongTensor\ttorch.LongTensor\t\n"
        "torch.ByteStorage\t\n"
        "torch.DoubleStorage\ttorch.DoubleTensor\ttorch.DoubleTensor\t\n"
        "true\t\n"
        "sw.K\ttorch.IntStorage\ttrue\t\n"
        "false\t%s:114: attempt to call method 'storage' (a nil value)\t\n"
        "torch.DoubleStorage\ttrue\t\n"
        "false\t%s:116: <torch.Nope> is not a string describing a torch object\t\n"
        % (INIT, INIT))


def test_class_without_init(tmp_path):
    # init.lua's constructor calls self:__init(...) only where there is one: the arguments are
    # ignored; Class.__init is nil (nothing in the metatables); a torch.class child of a
    # Python-made class passes them to the parent's __init as Lua does (extra ones dropped)
    r = th_script("""
sw = {}
torch.class('sw.K')
print(pcall(sw.K, 1, 2))
torch.class('sw.K2', 'sw.K')
print(pcall(sw.K2, 1, 2))
require 'nn'
torch.class('sw.M', 'nn.Module')
print(pcall(sw.M, 1, 2))
torch.class('sw.T', 'nn.Tanh')
print(pcall(function() return torch.typename(sw.T(1, 2)) end))
print(sw.K.__init, sw.K2.__init, rawget(torch.getmetatable('sw.K'), '__init'))
print(pcall(function() sw.K.__init(sw.K2()) end))
""", tmp_path)
    assert r.stdout == ("true\tsw.K\ntrue\tsw.K2\ntrue\tsw.M\ntrue\tsw.T\t\nnil\tnil\tnil\t\n"
                        "false\ts.lua:13: attempt to call field '__init' (a nil value)\t\n")


def test_typename_reads_the_registry_only(tmp_path):
    # luaT_typename: registry[metatable]; a metatable with a __typename of its own names no
    # class (isTypeOf, init.lua's Lua, does read __typename)
    r = th_script("""
local t = setmetatable({}, {__typename = 'my.Thing'})
print(torch.typename(t), torch.type(t), torch.isTypeOf(t, 'my.Thing'))
local t2 = setmetatable({}, {__typename = 'torch.DoubleTensor'})
print(torch.typename(t2), torch.type(t2), torch.isTensor(t2))
sw = {}
torch.class('sw.Real')
print(torch.typename(sw.Real()), torch.type(sw.Real()))
""", tmp_path)
    assert r.stdout == "nil\ttable\ttrue\t\nnil\ttable\tfalse\t\nsw.Real\tsw.Real\t\n"


def test_file_read_negative_count(tmp_path):
    # File.c makes a storage of the asked size first: THAlloc's "invalid memory size"
    r = th_script("""
local f = torch.MemoryFile()
f:writeInt(1)
f:seek(1)
print(pcall(function() return f:readInt(-1) end))
print(f:position(), f:hasError())
print(pcall(function() return f:readChar(-2) end))
print(f:readInt())
""", tmp_path)
    assert r.stdout == ("false\t$ Torch: invalid memory size -- maybe an overflow?\t\n1\tfalse\t\n"
                        "false\t$ Torch: invalid memory size -- maybe an overflow?\t\n1\t\n")


def test_only_a_LongStorage_is_a_size(tmp_path):
    # cwrap's LongArg and Tensor.c's c_readSizeStride take luaT_toudata(.., "torch.LongStorage")
    # or numbers: another type's storage is an invalid argument
    r = th_script("""
local ds = torch.DoubleStorage({2, 3})
print(pcall(torch.zeros, ds))
print(pcall(torch.rand, torch.FloatStorage({2})))
print(pcall(function() return torch.Tensor():resize(ds) end))
print(pcall(function() return torch.zeros(6):reshape(torch.IntStorage({2, 3})) end))
print(pcall(function() return torch.Tensor():zeros(ds) end))
print(pcall(function() return torch.Tensor():rand(ds) end))
print(torch.zeros(torch.LongStorage({2, 3})):dim(), torch.Tensor():resize(torch.LongStorage({4})):size(1))
""", tmp_path)
    assert r.stdout == (
        "false\tinvalid arguments: DoubleStorage \n"
        "expected arguments: [*DoubleTensor*] (LongStorage | dim1 [dim2...])\t\n"
        "false\tinvalid arguments: FloatStorage \n"
        "expected arguments: [*DoubleTensor*] [Generator] (LongStorage | dim1 [dim2...])\t\n"
        "false\tbad argument #2 to '?' (number expected, got userdata)\t\n"
        "false\tinvalid arguments: DoubleTensor IntStorage \n"
        "expected arguments: [*DoubleTensor*] DoubleTensor (LongStorage | dim1 [dim2...])\t\n"
        "false\tinvalid arguments: DoubleTensor DoubleStorage \n"
        "expected arguments: *DoubleTensor* (LongStorage | dim1 [dim2...])\t\n"
        "false\tinvalid arguments: DoubleTensor DoubleStorage \n"
        "expected arguments: *DoubleTensor* [Generator] (LongStorage | dim1 [dim2...])\t\n"
        "2\t4\t\n")


def test_plain_setmetatable_with_a_class_metatable(tmp_path):
    # the metatable torch.getmetatable(name) gives is the one luaT_lua_setmetatable sets:
    # Lua's setmetatable with it makes the table an object of the class (methods, typename,
    # isTypeOf, writeObject); luaT's __metatable field protects a torch object's metatable
    r = th_script("""
require 'nn'
local t = setmetatable({}, torch.getmetatable('nn.Tanh'))
print(torch.typename(t), torch.type(t), type(t.forward), torch.isTypeOf(t, nn.Module))
t.output = torch.Tensor(); t.gradInput = torch.Tensor()
print(t:forward(torch.Tensor({0})):size(1))
zz = {}
local A = torch.class('zz.A')
function A:hi() return 'hi ' .. tostring(self.v) end
local B = torch.class('zz.B', 'zz.A')
local u = setmetatable({v = 2}, torch.getmetatable('zz.B'))
print(torch.typename(u), u:hi(), torch.isTypeOf(u, zz.A), torch.isTypeOf(u, 'zz.A'))
local f = torch.MemoryFile()
f:writeObject(u)
f:seek(1)
local r = f:readObject()
print(torch.typename(r), r.v, r:hi())
print(pcall(setmetatable, zz.A(), nil))
print(pcall(setmetatable, u, {}))
print(getmetatable(setmetatable({}, {__index = {k = 1}})).__index.k)
""", tmp_path)
    assert r.stdout == ("nn.Tanh\tnn.Tanh\tfunction\ttrue\t\n1\t\n"
                        "zz.B\thi 2\ttrue\ttrue\t\nzz.B\t2\thi 2\t\n"
                        "false\tcannot change a protected metatable\t\n"
                        "false\tcannot change a protected metatable\t\n1\t\n")


def test_index_hook_results_as_luaT_reads_its_stack(tmp_path):
    # luaT_mt__index pops __index__'s last result: true returns what is then on top (a lone
    # true: the metatable; no result: the key), false indexes that top value (the metatable
    # for a lone false, else the result before it: nil there is Lua's indexing error)
    r = th_script("""
zz = {}
local C = torch.class('zz.C')
function C:__index__(k) if k == '__init' then return false end return 'only-one' end
local c = zz.C()
print(c.x == torch.getmetatable('zz.C'), c.foo == getmetatable(c))
local G = torch.class('zz.G')
function G:__index__(k) if k == '__init' then return false end end
print(zz.G().anything, zz.G()[5])
local H = torch.class('zz.H')
function H:__index__(k) if k == '__init' then return false end return {k = 'from table'}, false end
print(zz.H().k, zz.H().z)
local I = torch.class('zz.I')
function I:__index__(k) if k == '__init' then return false end return 'abc', false end
print(zz.I().upper == string.upper)
local J = torch.class('zz.J')
function J:__index__(k) if k == '__init' then return false end return nil, false end
print(pcall(function() return zz.J().x end))
local D = torch.class('zz.D')
function D:__index__(k) if k == '__init' then return false end return 'v', 'w', true end
print(zz.D().x)
""", tmp_path)
    assert r.stdout == ("true\ttrue\t\nanything\t5\t\nfrom table\tnil\t\ntrue\t\n"
                        "false\tattempt to index a nil value\t\nw\t\n")


def test_objects_of_two_classes_are_never_equal(tmp_path):
    # luaT gives every metatable its own closure of luaT_mt__eq; LuaJIT calls __eq for two
    # objects of different metatables only when both hold the same function
    r = th_script("""
zz = {}
local V = torch.class('zz.V')
function V:__init(n) self.n = n end
function V:__eq__(o) return self.n == o.n end
local W = torch.class('zz.W', 'zz.V')
print(zz.V(1) == zz.V(1), zz.W(1) == zz.W(1), zz.V(1) == zz.W(1), zz.W(1) == zz.V(1), zz.V(1) ~= zz.W(1))
""", tmp_path)
    assert r.stdout == "true\ttrue\tfalse\tfalse\ttrue\t\n"


def test_file_corners_of_the_C_classes(tmp_path):
    # File.lua's readObject/writeObject start with self:readInt()/self:writeInt(): the check of
    # self reads "calling '...' on bad self" at File.lua:259/143; an extra argument is ignored;
    # the endian encodings are DiskFile.c's; a pipe neither seeks nor tells (ESPIPE)
    r = th_script("""
local w = torch.MemoryFile('w')
print(pcall(w.readObject, w))
local c = torch.MemoryFile(); c:close()
print(pcall(c.writeObject, c, {}))
local m = torch.MemoryFile()
print(pcall(m.readObject, m, 1))
m:writeObject(5); m:seek(1)
print(m:readObject(7))
print(m.bigEndianEncoding, m.noBuffer, type(torch.DiskFile.bigEndianEncoding))
local p = torch.PipeFile('echo 3 4', 'r')
print(pcall(p.position, p))
print(pcall(p.seek, p, 1))
print(pcall(p.seekEnd, p))
print(p:readInt(), p:hasError())
p:close()
""", tmp_path)
    assert r.stdout == (
        "false\t%s:259: calling 'readInt' on bad self (attempt to read in a write-only file)\t\n"
        "false\t%s:143: calling 'writeInt' on bad self (attempt to use a closed file)\t\n"
        "false\t%s:259: read error: read 0 blocks instead of 1\t\n"
        "5\t\nnil\tnil\tfunction\t\n"
        "false\tunable to obtain disk file offset (maybe a long overflow occurred)\t\n"
        "false\tunable to seek to position 0\t\n"
        "false\tunable to seek at end of file\t\n"
        "3\ttrue\t\n" % (P, P, P))


def test_objects_find_their_metatables_luaT_fields(tmp_path):
    # luaT_mt__index ends in the class's metatable, which holds luaT_newmetatable's fields
    # (__version, __factory, __constructor, __metatable, the operators); torch.File and
    # torch.Allocator were made with no constructor: no `new`, and calling them fails
    r = th_script("""
require 'nn'
zz = {}
torch.class('zz.A')
local a, l, t = zz.A(), nn.Linear(1, 1), torch.Tensor(1)
print(a.__version, l.__version, t.__version, type(a.__factory), type(l.__constructor), type(t.__index))
print(a.__metatable == getmetatable(a), l.__metatable == torch.getmetatable('nn.Linear'), a.__constructor == zz.A)
print(pcall(torch.File))
print(torch.getmetatable('torch.File').new, torch.File.new, torch.getmetatable('torch.Allocator').new, type(torch.DiskFile.new))
""", tmp_path)
    assert r.stdout == ("1\t1\t1\tfunction\ttable\tfunction\t\ntrue\ttrue\ttrue\t\n"
                        "false\tno constructor available\t\nnil\tnil\tnil\tfunction\t\n")


def test_factory_is_one_function_per_class(tmp_path):
    # luaT keeps one __factory in the class's metatable: torch.factory gives it every time
    r = th_script("""
require 'nn'
zz = {}
torch.class('zz.A')
print(torch.factory('zz.A') == torch.factory('zz.A'), torch.factory('nn.Linear') == torch.factory('nn.Linear'), torch.factory('torch.DoubleTensor') == torch.factory('torch.DoubleTensor'))
print(torch.getmetatable('zz.A').__factory == torch.factory('zz.A'), torch.getmetatable('nn.Linear').__factory == torch.factory('nn.Linear'))
""", tmp_path)
    assert r.stdout == "true\ttrue\ttrue\t\ntrue\ttrue\t\n"


def test_binary_operator_handler_is_the_first_operands_metatable(tmp_path):
    # luaT's MT_BIN_OPERATOR_GET_HANDLER takes the first operand's metatable when it has one:
    # a string's has no __add__/__concat__, so luaT's error names (null) first
    r = th_script("""
zz = {}
local V = torch.class('zz.V')
function V:__init(n) self.n = n end
function V.__add__(a, b) return 'added' end
function V.__concat__(a, b) return 'concat' end
local v = zz.V(1)
print(v + 2, 2 + v, v .. 'x')
print(pcall(function() return 'a' + v end))
print(pcall(function() return 'x' .. v end))
""", tmp_path)
    assert r.stdout == ("added\tadded\tconcat\t\n"
                        "false\ts.lua:9: both (null) and zz.V have no addition operator\t\n"
                        "false\ts.lua:10: both (null) and zz.V have no concat operator\t\n")
