"""Torch7's class tree, not Python's: torch.isTypeOf, luaT's metatable chain and pushudata follow
the parent each nn .lua file gives torch.class, where Python inheritance only shares code."""
import glob
import os
import re

import pytest

import torch7py as torch
from torch7py import nn

NN = os.environ.get("NN_DIR", "/work/ext/nn")

# nn 8726825: Min.lua, CMinTable.lua, SpatialSoftMax.lua, SpatialLogSoftMax.lua and
# VolumetricDropout.lua all declare torch.class('nn.X', 'nn.Module')
CODE_SHARED = [(nn.Min, "nn.Max"), (nn.CMinTable, "nn.CMaxTable"),
               (nn.SpatialSoftMax, "nn.SoftMax"), (nn.SpatialLogSoftMax, "nn.LogSoftMax"),
               (nn.VolumetricDropout, "nn.SpatialDropout")]


@pytest.mark.parametrize("cls,code_from", CODE_SHARED)
def test_classes_sharing_code_keep_torch7s_parent(cls, code_from):
    m = cls.__new__(cls)
    assert not torch.isTypeOf(m, code_from)
    assert torch.isTypeOf(m, "nn.Module")
    assert [c.typename for c in torch.torch_ancestry(cls)] == [cls.typename, "nn.Module"]


def test_python_subclass_without_a_name_is_its_parents():
    class MyLinear(nn.Linear):
        pass
    assert torch.isTypeOf(MyLinear(2, 3), "nn.Linear")
    assert torch.isTypeOf(MyLinear(2, 3), nn.Linear)
    assert not torch.isTypeOf(nn.Linear(2, 3), MyLinear)


def test_lua_isTypeOf_and_metatables_follow_the_tree():
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    r = LuaRuntime().execute("""
      require 'nn'
      local F = torch.class('nn.MinS9', 'nn.Min')
      return torch.isTypeOf(nn.Min(1), 'nn.Max'), torch.isTypeOf(nn.Min(1), nn.Max),
             torch.isTypeOf(nn.MinS9(), 'nn.Min'), torch.isTypeOf(nn.MinS9(), 'nn.Max'),
             getmetatable(torch.getmetatable('nn.SpatialSoftMax')) ==
               torch.getmetatable('nn.Module')""")
    assert r == (False, False, True, False, True)


@pytest.mark.skipif(not os.path.isdir(NN), reason="no nn checkout (NN_DIR)")
def test_every_nn_class_has_the_parent_its_lua_file_declares():
    declared = {}
    for f in glob.glob(os.path.join(NN, "*.lua")):
        with open(f) as fh:
            text = fh.read()
        for m in re.finditer(r"torch\.class\(\s*'nn\.(\w+)'\s*(?:,\s*'([\w.]+)')?", text):
            declared["nn." + m.group(1)] = m.group(2)
    assert len(declared) > 150
    wrong = []
    for name, parent in sorted(declared.items()):
        cls = getattr(nn, name[3:])
        p = torch.torch_parent(cls)
        if (p.typename if p is not None else None) != parent:
            wrong.append((name, parent, p))
    assert wrong == []


def test_pairs_of_nngraph_lists_what_its_files_define():
    # nngraph 3ed3b9b: nest.lua's nngraph.nest, node.lua's torch.class('nngraph.Node'),
    # graphinspecting.lua's setDebug/annotateNodes/display, JustElement.lua, JustTable.lua and
    # init.lua's simple_print are the fields of the nngraph table after require 'nngraph'
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    r = LuaRuntime().execute("""
      require 'nngraph'
      local keys = {}
      for k in pairs(nngraph) do keys[#keys + 1] = k end
      table.sort(keys)
      return table.concat(keys, ' ')""")
    assert r == "JustElement JustTable Node annotateNodes display nest setDebug simple_print"
