"""torch/init.lua's functions fail where init.lua fails, with its line: torch.class calls
luaT's newmetatable at line 102, whose luaL_error names that line; isTypeOf indexes a nil
metatable at 134 and asserts at 135; setdefaulttensortype asserts at 111; multinomialAlias
calls the DoubleTensor method at 202; torch.include concatenates at 54.  And
torch.newmetatable on a class that exists runs luaT's checks (one parent, one destructor,
factory and constructor each).  Every expected line is what the original Torch7 (torch7
814ea4a on LuaJIT 2.1.0-beta2, built here) printed for the same script; its install prefix
(`/tmp/ref7/share/lua/5.1/`) is torch7py's `/usr/local/share/lua/5.1/` here."""
from luatest import th_script

INIT = "/usr/local/share/lua/5.1/torch/init.lua"


def _lines(r):
    assert r.returncode == 0, r.stderr
    return r.stdout.split("\n")


def test_class_errors_name_init_lua_102(tmp_path):
    r = th_script("""require 'nn'
print(pcall(torch.class, 'zz.yy.Foo'))
print(pcall(function() return torch.class('Foo2', 'NoSuchParent') end))
print(pcall(function() return torch.class('nn.Foo3', 'nn.NoSuch') end))
torch.class('Foo4')
print(pcall(function() return torch.class('Foo4', 'Foo2') end))
torch.class('Foo5', 'nn.Module')
print(pcall(function() return torch.class('Foo5', 'nn.Module') end))
torch.class('Foo6', 'Foo4')
print(pcall(function() return torch.class('Foo6', 'Foo4') end))
""", tmp_path)
    assert _lines(r) == [
        "false\t%s:102: while creating metatable zz.yy.Foo: bad argument #1 (zz is an invalid "
        "module name)\t" % INIT,
        "false\t%s:102: bad argument #2 (invalid parent class name NoSuchParent)\t" % INIT,
        "false\t%s:102: bad argument #2 (invalid parent class name nn.NoSuch)\t" % INIT,
        "false\t%s:102: Foo4 has been already assigned a factory\t" % INIT,
        "false\t%s:102: class Foo5 has been already assigned a parent class" % INIT, "\t",
        "false\t%s:102: class Foo6 has been already assigned a parent class" % INIT, "\t", ""]


def test_newmetatable_checks_existing_classes(tmp_path):
    # luaL_error names the line that called newmetatable (none through a tail call)
    r = th_script("""require 'nn'
torch.class('Foo4')
torch.class('Foo6', 'Foo4')
print(pcall(function() local x = torch.newmetatable('Foo6', 'Foo4') end))
print(pcall(function() return torch.newmetatable('Foo6', 'Foo4') end))
print(pcall(function() local x = torch.newmetatable('Foo7', 'Nope') end))
print(pcall(function() local x = torch.newmetatable('q.r.Foo7') end))
print(pcall(function() local x = torch.newmetatable('Foo4', nil, function() end) end))
print(pcall(function() local x = torch.newmetatable('Foo4', nil, nil, nil, function() end) end))
print(pcall(function() local x = torch.newmetatable('Foo4', nil, nil, function() end) end))
print(pcall(function() local x = torch.newmetatable('torch.FloatTensor', nil, function() end) end))
print(pcall(function() local x = torch.newmetatable('nn.Linear', 'nn.Module') end))
print(pcall(function() local x = torch.newmetatable('nn.Linear', nil, nil, nil, function() end) end))
print(pcall(function() local x = torch.newmetatable('nn.Linear') end))
""", tmp_path)
    assert _lines(r) == [
        "false\ts.lua:4: class Foo6 has been already assigned a parent class", "\t",
        "false\tclass Foo6 has been already assigned a parent class", "\t",
        "false\ts.lua:6: bad argument #2 (invalid parent class name Nope)\t",
        "false\ts.lua:7: while creating metatable q.r.Foo7: bad argument #1 (q is an invalid "
        "module name)\t",
        "false\ts.lua:8: Foo4 has been already assigned a constructor\t",
        "false\ts.lua:9: Foo4 has been already assigned a factory\t",
        "true\t",
        "false\ts.lua:11: torch.FloatTensor has been already assigned a constructor\t",
        "false\ts.lua:12: class nn.Linear has been already assigned a parent class", "\t",
        "false\ts.lua:13: nn.Linear has been already assigned a factory\t",
        "true\t", ""]


def test_isTypeOf_and_setdefaulttensortype_lines(tmp_path):
    r = th_script("""require 'nn'
print(pcall(function() return torch.isTypeOf(nn.Linear(2,2), 3) end))
print(pcall(function() local x = torch.isTypeOf(nn.Linear(2,2), setmetatable({}, {})) end))
print(pcall(function() return torch.setdefaulttensortype(3) end))
print(pcall(function() return torch.setdefaulttensortype('torch.NoTensor') end))
""", tmp_path)
    assert _lines(r) == [
        "false\t%s:134: attempt to index a nil value\t" % INIT,
        "false\t%s:135: type must be provided as [regexp] string, or factory\t" % INIT,
        "false\t%s:111: string expected\t" % INIT,
        "false\t%s:116: <torch.NoTensor> is not a string describing a torch object\t" % INIT, ""]


def test_multinomial_alias_and_include_lines(tmp_path):
    r = th_script("""require 'torch'
print(pcall(function() local s = torch.multinomialAliasSetup(torch.Tensor({0.2, 0.8}), {}) end))
print(pcall(function() local s = torch.multinomialAlias(torch.LongTensor(3), {}) end))
print(pcall(function() local s = torch.multinomialAlias(torch.LongTensor(3), 5) end))
print(pcall(function() local s = torch.include('nopkg', 'x.lua') end))
torch.manualSeed(123)
local st = torch.multinomialAliasSetup(torch.Tensor({0.2, 0.3, 0.5}))
print(torch.multinomialAlias(torch.LongTensor(7), st):view(1, 7))
print(torch.multinomialAliasSetup(torch.Tensor({0.5, 0.25, 0.25}), st) == st)
""", tmp_path)
    assert _lines(r) == [
        "false\tinvalid arguments: DoubleTensor nil nil ",
        "expected arguments: DoubleTensor [*LongTensor*] [*DoubleTensor*]\t",
        "false\t%s:202: invalid arguments: LongTensor nil nil " % INIT,
        "expected arguments: *LongTensor* [Generator] LongTensor DoubleTensor\t",
        "false\t%s:202: attempt to index local 'state' (a number value)\t" % INIT,
        "false\t%s:54: attempt to concatenate a nil value\t" % INIT,
        " 3  1  2  2  3  2  3",
        "[torch.LongTensor of size 1x7]", "", "true\t", ""]


def test_records_of_the_same_keys_keep_their_constructor_order(tmp_path):
    # pairs order: a table first traversed right after another of the same keys was taken for
    # a copy of it (its keys in that traversal's order); records and nested configs made by
    # their own constructors differ in a value and keep the constructor's layout, while a
    # real copy (`b[k] = v` over pairs(a)) is still one.  The original printed these lines.
    r = th_script("""
local layers = {
   {kind = 'conv', nIn = 3, nOut = 16, kW = 5, pad = 2},
   {kind = 'conv', nIn = 16, nOut = 32, kW = 3, pad = 1},
   {kind = 'pool', nIn = 32, nOut = 32, kW = 2, pad = 0},
}
for i, l in ipairs(layers) do
   local parts = {}
   for k, v in pairs(l) do parts[#parts + 1] = k .. '=' .. tostring(v) end
   print(i, table.concat(parts, ' '))
end
local nested = {train = {size = 100, file = 'a'}, test = {size = 20, file = 'b'}}
for _, name in ipairs({'train', 'test'}) do
   local parts = {}
   for k in pairs(nested[name]) do parts[#parts + 1] = k end
   print(name, table.concat(parts, ','))
end
local a = {alpha = 1, beta = 2, gamma = 3, delta = 4, eps = 5}
local b = {}
for k, v in pairs(a) do b[k] = v end
local parts = {}
for k in pairs(b) do parts[#parts + 1] = k end
print('copy', table.concat(parts, ','))
""", tmp_path)
    assert _lines(r) == [
        "1\tpad=2 nIn=3 kW=5 kind=conv nOut=16\t",
        "2\tpad=1 nIn=16 kW=3 kind=conv nOut=32\t",
        "3\tpad=0 nIn=32 kW=2 kind=pool nOut=32\t",
        "train\tfile,size\t", "test\tfile,size\t",
        "copy\teps,beta,alpha,delta,gamma\t", ""]


def test_a_lua_table_is_no_size(tmp_path):
    # Torch7 takes sizes as numbers or a LongStorage: a Lua table fails in each function's own
    # way (torch7py's Python API still takes a list).  The original printed these lines.
    T = "/usr/local/share/lua/5.1/torch/Tensor.lua"
    r = th_script("""require 'nn'
local t = torch.Tensor(4):fill(1)
print(pcall(function() return t:resize({2, 2}) end))
print(pcall(function() return t:reshape({2, 2}) end))
print(pcall(function() return torch.zeros({2}) end))
print(pcall(function() return t:expand({2, 4}) end))
print(pcall(function() return t:repeatTensor({2}) end))
print(pcall(function() return torch.rand({3}) end))
print(pcall(function() return nn.View({2, 2}):forward(t) end))
print(pcall(function() return nn.Reshape({2, 2}):forward(t) end))
print(t:view(torch.LongStorage({2, 2})):size(1), torch.Tensor({2, 2}):size(1))
""", tmp_path)
    assert _lines(r) == [
        "false\tbad argument #2 to '?' (number expected, got table)\t",
        "false\tinvalid arguments: DoubleTensor table ",
        "expected arguments: [*DoubleTensor*] DoubleTensor (LongStorage | dim1 [dim2...])\t",
        "false\tinvalid arguments: table ",
        "expected arguments: [*DoubleTensor*] (LongStorage | dim1 [dim2...])\t",
        "false\t%s:311: attempt to call method 'dim' (a nil value)\t" % T,
        "false\t%s:356: attempt to call method 'isContiguous' (a nil value)\t" % T,
        "false\tinvalid arguments: table ",
        "expected arguments: [*DoubleTensor*] [Generator] (LongStorage | dim1 [dim2...])\t",
        "false\telement at index 1 is not a number\t",
        "false\tbad argument #3 to '?' (number expected, got table)\t",
        "2\t2\t", ""]


def test_typename_of_no_value_names_itself_as_called(tmp_path):
    # luaL_checkany's argerror: the name the call gives ('?' for pcall(f) and a tail call);
    # the original printed these lines
    r = th_script("""print(pcall(torch.typename))
print(pcall(function() return torch.typename() end))
print(pcall(function() local x = torch.typename() end))
print(torch.typename(torch.Tensor()), torch.typename(3))
""", tmp_path)
    assert _lines(r) == [
        "false\tbad argument #1 to '?' (value expected)\t",
        "false\tbad argument #1 to '?' (value expected)\t",
        "false\ts.lua:3: bad argument #1 to 'typename' (value expected)\t",
        "torch.DoubleTensor\t", ""]  # (typename(3) returns no value)


def test_multinomial_alias_setup_fills_the_state_it_is_given(tmp_path):
    # init.lua: state[1], state[2] = torch.multinomialAliasSetup_(probs, state[1], state[2]);
    # return state: the same table, its two tensors filled, other entries kept (the original
    # printed this line; torch7py made new tensors for a state of more than two entries)
    r = th_script("""local J, q = torch.LongTensor(), torch.DoubleTensor()
local st = {J, q, 'extra'}
local r = torch.multinomialAliasSetup(torch.Tensor({0.2, 0.3, 0.5}), st)
print(r == st, #r, r[1] == J, r[2] == q, J:nElement(), q:nElement(), r[3])
""", tmp_path)
    assert _lines(r) == ["true\t3\ttrue\ttrue\t3\t3\textra\t", ""]
