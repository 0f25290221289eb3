"""Session 19's sweep of what th prints for values, modules and serialization (sw19a): each test
is one mechanism by which ours printed something else. Every expectation is what the original
Torch7 (/tmp/ref7, LuaJIT 2.1.0-beta2, torch7 814ea4a, nn 8726825) printed for the same code."""
import pytest

import torch7py as torch
from torch7py.tensor import TorchError

from luatest import th_script


# -- m.__tostring__ is nil unless the module's class defines one ------------------------------
# nn.Module.lua and nn.Criterion.lua have no __tostring__ (torch's print falls back to the
# typename); Linear.lua, Sequential.lua, ... define their own

def test_module_tostring_field_is_nil_without_a_class_own(tmp_path):
    r = th_script(
        "require 'nn'\n"
        "print(nn.Tanh().__tostring__, nn.Module.__tostring__, nn.Criterion.__tostring__,"
        " nn.MSECriterion().__tostring__, nn.Tanh.__tostring__)\n"
        "print(nn.Linear(1,1):__tostring__(), nn.Linear.__tostring__ ~= nil,"
        " nn.SpatialBatchNormalization(2):__tostring__())\n"
        "print(nn.Tanh(), nn.MSECriterion())\n"
        "local M = torch.class('nn.MyM', 'nn.Module')\n"
        "print(M.__tostring__, nn.MyM().__tostring__)\n"
        "print(nn.MyM())\n"
        "print(select(2, pcall(function() return nn.Tanh():__tostring__() end)):match(\"attempt.*\"))\n"
        "print(nn.Tanh():__tostring())\n", tmp_path)
    # the original printed:
    assert r.stdout == (
        "nil\tnil\tnil\tnil\tnil\t\n"
        "nn.Linear(1 -> 1)\ttrue\tnn.SpatialBatchNormalization (4D) (2)\t\n"
        "nn.Tanh\nnn.MSECriterion\n"
        "nil\tnil\t\n"
        "nn.MyM\n"
        "attempt to call method '__tostring__' (a nil value)\t\n"
        "nn.Tanh\t\n"), r.stderr


def test_python_repr_of_modules_unchanged():
    assert repr(torch.nn.Tanh()) == "nn.Tanh"
    assert str(torch.nn.MSECriterion()) == "nn.MSECriterion"


# -- readObject's read errors name File.lua's line -----------------------------------------
# THFile's read error is a C function's luaL_error: it names the calling Lua line (File.lua's),
# except after a tail call (`return self:readDouble()`: the line that called readObject)

def test_truncated_streams_name_file_lua_lines(tmp_path):
    r = th_script(
        "require 'torch'\n"
        "local function try(s, mode)\n"
        "  local ok, e = pcall(torch.deserialize, s, mode)\n"
        "  print((e:gsub('^[^ ]*/', '')))\n"
        "end\n"
        "try('')\n"
        "try('', 'ascii')\n"
        "local n = torch.serialize(1)\n"
        "try(n:sub(1, 2)); try(n:sub(1, 6))\n"
        "local b = torch.serialize(true)\n"
        "try(b:sub(1, 5))\n"
        "local s = torch.serialize('hello')\n"
        "try(s:sub(1, 6)); try(s:sub(1, 10))\n"
        "local t = torch.serialize(torch.Tensor{1, 2})\n"
        "try(t:sub(1, 10))\n"
        "try('4 1 x', 'ascii')\n"
        "local f = torch.MemoryFile()\n"
        "f:writeInt(1)\n"
        "f:seek(1)\n"
        "print(pcall(f.readObject, f))\n", tmp_path)
    # the original printed (without the ' at /PATH/THMemoryFile.c:N' its C errors add):
    assert r.stdout == (
        "File.lua:436: bad argument #1 to 'size' (dimension 1 out of range of 0D tensor)\t\n"
        "File.lua:436: bad argument #1 to 'size' (dimension 1 out of range of 0D tensor)\t\n"
        "File.lua:259: read error: read 0 blocks instead of 1\t\n"
        "File.lua:442: read error: read 0 blocks instead of 1\t\n"
        "File.lua:12: read error: read 0 blocks instead of 1\t\n"
        "File.lua:271: read error: read 0 blocks instead of 1\t\n"
        "File.lua:272: read error: read 2 blocks instead of 5\t\n"
        "File.lua:334: read error: read 0 blocks instead of 1\t\n"
        "File.lua:334: read error: read 0 blocks instead of 1\t\n"
        "false\tread error: read 0 blocks instead of 1\t\n"), r.stderr


def test_python_deserialize_of_nothing_is_torch7s_size_error():
    with pytest.raises(TorchError, match=r"bad argument #1 to 'size' \(dimension 1 out of range"):
        torch.deserialize(b"")


def test_truncated_tables_tensors_functions_name_their_lines(tmp_path):
    # a table's size (362), key (368) and value (369) reads, a tensor's Tensor.c read (351), a
    # function's index (287) and bytecode (298); a negative table size reads no entry (Lua's
    # `for i = 1,size`)
    r = th_script(
        "require 'torch'\n"
        'local function try(s, mode)\n'
        '  local ok, e = pcall(torch.deserialize, s, mode)\n'
        "  print(ok and torch.type(e) or (e:gsub('^[^ ]*/', '')))\n"
        'end\n'
        'local t = torch.serialize({1, 2})\n'
        'try(t:sub(1, 10)); try(t:sub(1, 14)); try(t:sub(1, 18)); try(t:sub(1, 30))\n'
        'local x = torch.serialize(torch.Tensor{1, 2})\n'
        'try(x:sub(1, 45)); try(x:sub(1, #x - 3))\n'
        "local a = torch.serialize({a = 'b'}, 'ascii')\n"
        "try(a:sub(1, #a - 2), 'ascii')\n"
        'local neg = torch.MemoryFile():binary()\n'
        'neg:writeInt(3); neg:writeInt(1); neg:writeInt(-5)\n'
        'print(torch.type(torch.deserialize(neg:storage():string():sub(1, 12))))\n'
        'local f = function(y) return y + 1 end\n'
        'local d = torch.serialize(f)\n'
        'try(d:sub(1, 6)); try(d:sub(1, 20))\n', tmp_path)
    n = int(r.stdout.rsplit(' ', 1)[1].split()[0])
    # the original printed (without the ' at /PATH/THMemoryFile.c:N' its C errors add):
    assert r.stdout == (
        'File.lua:362: read error: read 0 blocks instead of 1\t\n'
        'File.lua:259: read error: read 0 blocks instead of 1\t\n'
        'File.lua:368: read error: read 0 blocks instead of 1\t\n'
        'File.lua:369: read error: read 0 blocks instead of 1\t\n'
        'File.lua:351: read error: read 0 blocks instead of 1\t\n'
        'File.lua:351: read error: read 1 blocks instead of 2\t\n'
        'File.lua:272: read error: read 0 blocks instead of 1\t\n'
        'table\t\n'
        'File.lua:287: read error: read 0 blocks instead of 1\t\n'
        # (the bytecode's size holds the chunk's name: the original's was 56 bytes there)
        'File.lua:298: read error: read 8 blocks instead of %d\t\n' % n), r.stderr


# -- a constructor's Lua runtime error names its nn file's line --------------------------------

def test_map_and_weightnorm_constructors_of_bad_arguments(tmp_path):
    r = th_script(
        "require 'nn'\n"
        "local function try(...) local ok, e = pcall(...) print((e:gsub('^[^ ]*/', ''))) end\n"
        "try(nn.SpatialConvolutionMap)\n"
        "try(nn.SpatialFullConvolutionMap)\n"
        "try(nn.SpatialConvolutionMap, 5)\n"
        "try(nn.SpatialConvolutionMap, {})\n"
        "try(nn.WeightNorm)\n"
        "try(nn.WeightNorm, nn.Tanh())\n", tmp_path)
    # the original printed:
    assert r.stdout == (
        "SpatialConvolutionMap.lua:66: attempt to index field 'connTable' (a nil value)\t\n"
        "SpatialFullConvolutionMap.lua:14: attempt to index field 'connTable' (a nil value)\t\n"
        "SpatialConvolutionMap.lua:66: attempt to index field 'connTable' (a number value)\t\n"
        "SpatialConvolutionMap.lua:66: attempt to call method 'select' (a nil value)\t\n"
        "WeightNorm.lua:13: attempt to index local 'module' (a nil value)\t\n"
        "WeightNorm.lua:13: assertion failed!\t\n"), r.stderr


def test_a_nil_table_key_is_luas_error_at_file_lua_370(tmp_path):
    r = th_script(
        "require 'torch'\n"
        "local f = torch.MemoryFile():binary()\n"
        "f:writeInt(3); f:writeInt(1); f:writeInt(2^31-1); f:writeInt(0); f:writeInt(0)\n"
        "local ok, e = pcall(torch.deserialize, f:storage():string():sub(1, 20))\n"
        "print(ok, (e:gsub('^[^ ]*/', '')))\n", tmp_path)
    # the original printed:
    assert r.stdout == "false\tFile.lua:370: table index is nil\t\n", r.stderr


def test_xlua_print_of_a_module_without_its_own_tostring(tmp_path):
    # xlua.print writes mt.__tostring__(obj) where the class has one, else the typename and
    # the fields (nn.Tanh has none of its own: its fields, in LuaJIT's pairs order)
    r = th_script("require 'nn'\nrequire 'xlua'\n"
                  "xlua.print(nn.Tanh())\nxlua.print(nn.Linear(2,2))\n", tmp_path)
    # the original printed:
    assert r.stdout == ("nn.Tanh:\n"
                        "{[gradInput] = <userdata>,\n"
                        " [_type] = torch.DoubleTensor,\n"
                        " [output] = <userdata>}\n"
                        "nn.Linear(2 -> 2)\n"), r.stderr
