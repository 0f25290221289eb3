"""luaT's class rules as one rule (torch7py.classes): a class's Torch7 name and whether
luaT_newmetatable got a factory decide torch.typename/type, torch.factory, torch.isTypeOf,
what File.lua writes, and what clone copies field by field.

Expectations from the original's C: Timer.c, File.c, DiskFile.c, MemoryFile.c and PipeFile.c
call luaT_newmetatable(L, name, parent, ctor, dtor, NULL) (no factory; MemoryFile's and
DiskFile's parent is torch.File, PipeFile's torch.DiskFile); Tensor.c, Storage.c and Generator.c
pass one; init.lua's torch.class always passes one. File.lua writes an object as a Torch object
only when `torch.typename(object) and torch.factory(torch.typename(object))`, else
"Unwritable object <userdata>"; a torch object's field it cannot write is skipped with
print('$ Warning: cannot write object field <k> of <name> <stack>'); readObject refuses a
class without a factory ("unknown Torch class")."""
import struct
import warnings

import pytest

import torch7py as torch
from torch7py import classes, nn
from torch7py.serialization import SerializationError

NO_FACTORY = {"torch.File": None, "torch.DiskFile": "torch.File",
              "torch.MemoryFile": "torch.File", "torch.PipeFile": "torch.DiskFile",
              "torch.Allocator": None}
WITH_FACTORY = ["torch.Generator", "torch.DoubleTensor", "torch.ByteTensor",
                "torch.FloatStorage", "nn.Linear", "nn.Module", "optim.Logger"]


@pytest.mark.parametrize("name", sorted(NO_FACTORY))
def test_classes_made_without_a_factory(name):
    cls = torch.getconstructortable(name)
    assert cls is not None and classes.name_of(cls) == name
    assert torch.factory(name) is None
    assert not classes.has_factory(cls)
    assert classes.is_userdata(cls)
    parent = torch.torch_parent(cls)
    assert (parent.typename if parent is not None else None) == NO_FACTORY[name]


def test_nn_gives_the_timer_a_factory():
    # torch.Timer is made without a factory (Timer.c), but nn's Profile.lua, run by
    # require 'nn', sets its metatable's __factory to torch.Timer and write/read methods that
    # save nothing: with nn loaded a Timer is written as a bare "torch.Timer" object
    cls = torch.getconstructortable("torch.Timer")
    assert classes.name_of(cls) == "torch.Timer" and classes.is_userdata(cls)
    assert classes.has_factory(cls) and torch.factory("torch.Timer") is not None
    data = torch.serialize(torch.Timer())
    # TYPE_TORCH (4), index 1, "V 1", "torch.Timer" and nothing more (30 bytes in the
    # reference Torch7 too)
    assert data == struct.pack("<ii", 4, 1) + struct.pack("<i", 3) + \
        b"V 1" + struct.pack("<i", 11) + b"torch.Timer"
    t = torch.deserialize(data)
    assert type(t) is cls and repr(t) == "torch.Timer [status: running]"


@pytest.mark.parametrize("name", WITH_FACTORY)
def test_classes_with_a_factory(name):
    if name.startswith("optim."):
        import torch7py.optim  # noqa: F401  (registers optim's classes)
    f = torch.factory(name)
    assert callable(f)
    obj = f()
    assert torch.typename(obj) == name
    if name.endswith("Tensor"):
        assert obj.dim() == 0  # luaT's factory: an empty tensor


def test_allocator_has_no_constructor():
    # init.c: luaT_newmetatable(L, "torch.Allocator", NULL, NULL, NULL, NULL); calling its
    # class table is luaT_cmt__call's "no constructor available"
    with pytest.raises(torch.TorchError, match="^no constructor available$"):
        torch.Allocator()


def test_file_objects_have_their_names_and_parents():
    m = torch.MemoryFile()
    assert torch.typename(m) == torch.type(m) == "torch.MemoryFile"
    assert torch.isTypeOf(m, "torch.File") and torch.isTypeOf(m, "torch.MemoryFile")
    assert not torch.isTypeOf(m, "torch.DiskFile")
    assert [c.typename for c in torch.torch_ancestry(type(m))] == ["torch.MemoryFile",
                                                                   "torch.File"]
    # MemoryFile.c's __tostring__
    assert repr(m) == str(m) == "torch.MemoryFile [status: open -- mode: rw]"
    p = torch.PipeFile("true")
    assert torch.isTypeOf(p, "torch.DiskFile") and torch.isTypeOf(p, "torch.File")
    assert torch.type(p) == "torch.PipeFile"
    p.close()
    t = torch.Timer()
    assert torch.type(t) == "torch.Timer" and torch.isTypeOf(t, "torch.Timer")


@pytest.mark.parametrize("make", [torch.MemoryFile])
def test_objects_without_a_factory_are_unwritable(make):
    obj = make()
    with pytest.raises(SerializationError, match=r"^Unwritable object <userdata> at <\?>$"):
        torch.serialize(obj)
    with pytest.raises(SerializationError,
                       match=r"^Unwritable object <userdata> at <\?>\.a\.1$"):
        torch.serialize({"a": [obj]})


def test_a_module_field_without_a_factory_fails_in_module_write():
    # nn's Module.lua has its own write (writeObject of a plain table of the fields, named
    # '<?>'): the field fails there, as the original printed; a criterion's is skipped with
    # File.lua's warning
    m = nn.Linear(2, 3)
    m.timer = torch.MemoryFile()
    with pytest.raises(SerializationError,
                       match=r"^Unwritable object <userdata> at <\?>\.net\.<\?>\.timer$"):
        torch.serialize({"net": m})
    c = nn.MSECriterion()
    c.timer = torch.MemoryFile()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        back = torch.deserialize(torch.serialize({"crit": c}))
    assert [str(x.message) for x in w] == [
        "cannot write object field <timer> of <nn.MSECriterion> <?>.crit"]
    assert "timer" not in vars(back["crit"])


def _torch_object_bytes(typename):
    # TYPE_TORCH (4), index 1, "V 1", the class name, then a table (3) #2 with no entries
    def s(b):
        return struct.pack("<i", len(b)) + b
    return (struct.pack("<ii", 4, 1) + s(b"V 1") + s(typename.encode())
            + struct.pack("<iii", 3, 2, 0))


@pytest.mark.parametrize("name", ["torch.MemoryFile"])
def test_reading_a_class_without_a_factory_is_an_unknown_class(name):
    data = torch.CharStorage(list(struct.unpack("%db" % len(_torch_object_bytes(name)),
                                                _torch_object_bytes(name))))
    with pytest.raises(SerializationError, match="unknown Torch class <%s>" % name):
        torch.deserializeFromStorage(data, unknown_classes="error")
    obj = torch.deserializeFromStorage(data, unknown_classes="table")
    assert obj.typename == name and dict(obj) == {}


def test_clone_copies_a_named_class_field_by_field_whatever_its_module():
    # File.lua writes any object of a class with a name and a factory as its fields: clone
    # (write, then read) keeps the sharing inside the copy, whichever module defines it
    class Holder:
        typename = "test.ClassrulesHolder"

    Holder.__module__ = "somewhere.else"
    torch.register_class("test.ClassrulesHolder", Holder)
    m = nn.Linear(2, 2)
    h = Holder()
    h.w = m.weight
    m.holder = h
    c = m.clone()
    assert type(c.holder) is Holder and c.holder is not h
    assert c.holder.w is c.weight and c.weight is not m.weight


# File.lua's error call in writeObject, the position the reference Torch7 shows
FILE_LUA_141 = "/usr/local/share/lua/5.1/torch/File.lua:141: "


def test_lua_sees_the_same_rule():
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    r = LuaRuntime().execute("""
      local out = {}
      for _, n in ipairs{'torch.File', 'torch.DiskFile', 'torch.MemoryFile',
                         'torch.PipeFile', 'torch.Allocator'} do
        out[#out + 1] = tostring(torch.factory(n))
      end
      local m = torch.MemoryFile()
      local ok, err = pcall(torch.serialize, torch.MemoryFile())
      local ok2, err2 = pcall(torch.serialize, {f = m})
      return table.concat(out, ' '), type(torch.factory('torch.DoubleTensor')),
             type(torch.factory('torch.Generator')), torch.isTypeOf(m, 'torch.File'),
             torch.type(m), tostring(m),
             getmetatable(torch.getmetatable('torch.PipeFile')) ==
               torch.getmetatable('torch.DiskFile'),
             getmetatable(torch.getmetatable('torch.MemoryFile')) ==
               torch.getmetatable('torch.File'),
             getmetatable(torch.getmetatable('torch.Timer')) == nil,
             ok, err, ok2, err2""")
    assert r == ("nil nil nil nil nil", "function", "function", True, "torch.MemoryFile",
                 "torch.MemoryFile [status: open -- mode: rw]", True, True, True,
                 False, FILE_LUA_141 + "Unwritable object <userdata> at <?>",
                 False, FILE_LUA_141 + "Unwritable object <userdata> at <?>.f")


def test_lua_prints_the_field_warning_on_stdout(capfd):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    LuaRuntime().execute("""
      local foo = {}
      torch.class('ClassrulesBar', foo)
      local obj = foo.ClassrulesBar()
      obj.t = torch.MemoryFile()
      torch.serialize({x = {obj}})""")
    assert capfd.readouterr().out == (
        "$ Warning: cannot write object field <t> of <ClassrulesBar> <?>.x.1\n")


def test_the_field_warning_goes_through_the_global_print_of_the_moment(capfd):
    # File.lua calls the global `print`: under th that is trepl's (a tab after the text), and a
    # script that replaced print sees the warning in its own
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    r = rt.execute("""
      local seen = {}
      local old = print
      print = function(...) seen[#seen + 1] = select('#', ...) .. ':' .. (...) end
      local foo = {}
      torch.class('ClassrulesBaz', foo)
      local obj = foo.ClassrulesBaz()
      obj.t = torch.MemoryFile()
      torch.serialize(obj)
      print = old
      return seen[1], #seen""")
    assert r == ("1:$ Warning: cannot write object field <t> of <ClassrulesBaz> <?>", 1)
    assert capfd.readouterr().out == ""
