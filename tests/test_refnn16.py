"""nn modules and criterions against the original Torch7 (refnn16): every expectation here is
what the reference Torch7 (/tmp/ref7: torch7 814ea4a, nn 8726825 on LuaJIT 2.1.0-beta2) printed
for the same script, or a numpy formula."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.luaorder import pairs_order


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime().execute(code)


# ---- a key set to nil where the table had none --------------------------------------------------
# LuaJIT's lj_meta_tset gives the absent key a node (lj_tab_newkey) and stores nil in it; the
# next key whose main position is that node takes it over (lj_tab_newkey tests the node's value,
# not its key), and a rehash drops it. The orders are the reference LuaJIT's pairs() output for
# a plain table filled in the order given (k=nil: `t.k = nil`).
@pytest.mark.parametrize("sets,order", [
    (['_type', 'affine', 'train=nil', 'padW', 'finput', 'inplace', 'momentum', 'p=nil',
      'running_mean=nil'], 'padW _type affine inplace finput momentum'),
    (['beta', 'b=nil', 'momentum=nil', 'fgradInput', 'size=nil', 'ceil_mode', 'running_var',
      'a'], 'a fgradInput ceil_mode running_var beta'),
    (['fgradInput', 'b', 'dW', 'outputSize=nil', 'inplace=nil', 'momentum'],
     'momentum b dW fgradInput'),
    (['finput=nil', 'dim', 'nInputDim', 'size=nil', 'p', 'index'], 'index nInputDim dim p'),
    (['e', 'gradBias', 'scalar', 'finput=nil', 'indices', 'save_std', 'train', 'padW'],
     'gradBias train padW save_std scalar e indices'),
    (['kW', 'train', 'finput=nil', 'ceil_mode', 'save_std', 'kH', 'momentum'],
     'train kW ceil_mode kH save_std momentum'),
])
def test_pairs_order_of_keys_set_to_nil_when_absent(sets, order):
    keys = [s.split('=')[0] for s in sets]
    nils = frozenset(s[:-4] for s in sets if s.endswith('=nil'))
    assert ' '.join(pairs_order(keys, nils)) == order


@pytest.mark.parametrize("make,order", [
    # nn.Add(5): `self.scalar = scalar` (nil) in __init
    ("nn.Add(5)", "gradBias _type bias gradInput _ones output"),
    # nn.Dropout(0.3): `self.inplace = ip` (nil)
    ("nn.Dropout(0.3)", "v2 noise _type p gradInput stochastic_inference train output"),
    # nn.Padding(1, 2): `self.nInputDim = nInputDim` (nil)
    ("nn.Padding(1, 2)", "index outputSize _type output gradInput pad value dim"),
    ("nn.MixtureTable()", "size2 _type output gradInput size backwardSetup batchSize"),
])
def test_module_fields_pairs_order_with_nil_constructor_arguments(make, order):
    keys = lua("""require 'nn'
        local ks = {}
        for k in pairs(%s) do ks[#ks + 1] = k end
        return table.concat(ks, ' ')""" % make)
    assert keys == order


def test_dropout_saved_ascii_is_the_reference_file(tmp_path):
    # torch.save(f, nn.Dropout(0.3), 'ascii') on the reference: these bytes (the fields in
    # writeObject's order: pairs(object) into var, then pairs(var); inplace was set to nil)
    ref = ('4\n1\n3\nV 1\n10\nnn.Dropout\n3\n2\n8\n2\n2\nv2\n5\n1\n2\n5\nnoise\n4\n3\n3\n'
           'V 1\n18\ntorch.DoubleTensor\n0\n1\n0\n2\n5\n_type\n2\n18\ntorch.DoubleTensor\n2\n'
           '1\np\n1\n0.29999999999999999\n2\n9\ngradInput\n4\n4\n3\nV 1\n18\n'
           'torch.DoubleTensor\n0\n1\n0\n2\n20\nstochastic_inference\n5\n0\n2\n6\noutput\n4\n'
           '5\n3\nV 1\n18\ntorch.DoubleTensor\n0\n1\n0\n2\n5\ntrain\n5\n1\n')
    f = str(tmp_path / "d.t7")
    torch.save(f, nn.Dropout(0.3), 'ascii')
    assert open(f).read() == ref
