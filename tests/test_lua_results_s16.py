"""What a Lua caller gets back from torch7py's Python-implemented nn code, as the original's Lua
returns and prints it (facts printed by the original Torch7 built from nn 8726825)."""
import pytest

pytest.importorskip("lupa")

from luatest import th_script  # noqa: E402


def th_e(code, tmp_path):
    """What `th` prints for the script `code` (which must exit with status 0)."""
    p = th_script(code, tmp_path)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_class_nll_returns_the_loss_and_the_total_weight(tmp_path):
    # ClassNLLCriterion.lua ends `return self.output, self.total_weight_tensor[1]`, and
    # Criterion:forward returns what updateOutput returns: two values in Lua
    out = th_e("""require 'nn'
        local c = nn.ClassNLLCriterion()
        print(select('#', c:updateOutput(torch.zeros(2,3), torch.LongTensor{1,2})))
        print(c:forward(torch.zeros(2,3), torch.LongTensor{1,2}))
        print(c:forward(torch.zeros(3), 2))
        local w = nn.ClassNLLCriterion(torch.Tensor{1,2,3})
        local x = torch.Tensor{{-1, -2, -3}, {-4, -5, -6}}
        print(w:forward(x, torch.LongTensor{3,2}))
        print(nn.SpatialClassNLLCriterion():forward(torch.zeros(1,3,2,2), torch.ones(1,2,2)))
        local v = c:forward(torch.zeros(2,3), torch.LongTensor{1,2})
        print(type(v), v + 1)""", tmp_path)
    # weighted: -(3*-3 + 2*-5) / (3 + 2) = 19/5
    assert out == "2\t\n0\t2\t\n-0\t1\t\n3.8\t5\t\n0\t4\t\nnumber\t1\t\n"


def test_print_size_prints_a_table_input_as_th_prints_tables(tmp_path):
    # PrintSize.lua prints the table itself: th's print shows its entries
    out = th_e("""require 'nn'
        local m = nn.PrintSize('lbl')
        local t = {torch.zeros(2), torch.zeros(1,4)}
        print(m:forward(t) == t)""", tmp_path)
    assert out == ("lbl:input\n\t{\n  1 : DoubleTensor - size: 2\n"
                   "  2 : DoubleTensor - size: 1x4\n}\ntrue\t\n")


def test_errors_of_lua_lines_given_a_tensor_where_a_table_goes(tmp_path):
    # `#input + 1` of a tensor is its size, a LongStorage, which luaT gives no addition; the
    # positions are the nn files' lines (the reference Torch7 printed these texts)
    out = th_e("""require 'nn'
        local x = torch.Tensor{{1,2,3},{3,1,0}}
        local m = nn.CSubTable(); local o = m:forward(x)
        print(pcall(function() return m:backward(x, o:clone():fill(1)) end))
        print(pcall(function() return nn.SelectTable(-1):forward(x) end))
        local l = nn.LookupTable(5, 2):accUpdateOnly()
        local idx = torch.LongTensor{2, 2, 3}
        l:forward(idx)
        print(pcall(function() return l:backward(idx, torch.ones(3, 2)) end))""", tmp_path)
    p = "/usr/local/share/lua/5.1/nn/"
    assert out == (
        "false\t%sCSubTable.lua:21: both torch.LongStorage and (null) have no addition "
        "operator\t\n"
        "false\t%sSelectTable.lua:14: both torch.LongStorage and (null) have no addition "
        "operator\t\n"
        "false\t%sLookupTable.lua:105: attempt to index field 'gradWeight' (a nil value)\t\n"
        % (p, p, p))


def test_nn_raise_site_entries_are_method_text_line_triples():
    # a malformed entry (a trailing comment swallowing the comma) made a Python error leak
    from torch7py.nn._lua_sites import SITES
    for cls, entries in SITES.items():
        for entry in entries:
            assert isinstance(entry, tuple) and len(entry) == 3, (cls, entry)
            meth, text, line = entry
            assert meth is None or isinstance(meth, str), (cls, entry)
            assert isinstance(text, str) and text and isinstance(line, int) and line > 0


def test_table_modules_given_a_tensor_fail_at_their_for_loops(tmp_path):
    # `for i = 2, #input` of a tensor: its size is a LongStorage, no for limit (texts and
    # lines printed by the reference Torch7 built from nn 8726825)
    out = th_e("""require 'nn'
        local x = torch.Tensor{{1,2,3},{3,1,0}}
        for _, m in ipairs{nn.CAddTable(), nn.CMulTable(), nn.JoinTable(1), nn.CMaxTable(),
                           nn.MapTable(nn.Linear(3, 2)), nn.CriterionTable(nn.MSECriterion())} do
          print(select(2, pcall(function() return m:forward(x) end)))
        end""", tmp_path)
    p = "/usr/local/share/lua/5.1/nn/"
    assert out.splitlines() == [
        p + "CAddTable.lua:15: 'for' limit must be a number\t",
        p + "CMulTable.lua:11: 'for' limit must be a number\t",
        p + "JoinTable.lua:24: 'for' limit must be a number\t",
        p + "CMaxTable.lua:15: 'for' limit must be a number\t",
        p + "MapTable.lua:15: 'for' limit must be a number\t",
        p + "CriterionTable.lua:10: bad argument #1 to 'unpack' (table expected, got userdata)\t"]


def test_linear_and_lookup_table_with_a_weight_of_another_type(tmp_path):
    # Linear.lua's output:addmv / addmm is the output's method (a DoubleTensor): cwrap lists
    # DoubleTensor's signatures; LookupTable.lua's output:index names line 73 or 75 (the
    # reference build printed these)
    out = th_e("""require 'nn'
        local m = nn.Linear(3, 2); m.weight = torch.FloatTensor(2, 3):fill(1)
        m.bias = torch.FloatTensor(2):fill(0)
        print(pcall(function() return m:forward(torch.FloatTensor(3):fill(1)) end))
        local l = nn.LookupTable(5, 2); l.weight = torch.FloatTensor(5, 2):fill(1)
        print(pcall(function() return l:forward(torch.LongTensor{1,2}) end))
        print(pcall(function() return l:forward(torch.LongTensor{{1,2}}) end))""", tmp_path)
    p = "/usr/local/share/lua/5.1/nn/"
    bad = "bad argument #1 to 'index' (torch.DoubleTensor expected, got torch.FloatTensor)"
    assert out == (
        "false\t%sLinear.lua:57: invalid arguments: DoubleTensor number FloatTensor FloatTensor "
        "\nexpected arguments: *DoubleTensor~1D* [DoubleTensor~1D] [double] DoubleTensor~2D "
        "DoubleTensor~1D | *DoubleTensor~1D* double [DoubleTensor~1D] double DoubleTensor~2D "
        "DoubleTensor~1D\t\n"
        "false\t%sLookupTable.lua:73: %s\t\nfalse\t%sLookupTable.lua:75: %s\t\n"
        % (p, p, bad, p, bad))


def test_pairs_over_a_lua_class_metatable_in_the_originals_order(tmp_path):
    # luaT_lua_newmetatable fills the metatable (__index ... __call, __factory, __constructor,
    # new), then the script adds methods; beta2's table layout gives next's order. The lines
    # below are what the reference Torch7 printed for this script
    out = th_e("""local A = torch.class('A')
        function A:__init(x) self.x = x end
        function A:foo() return 1 end
        local B = torch.class('B', 'A')
        function B:bar() end
        function B:baz() end
        function B:__tostring() return 'b' end
        for i = 1, 9 do B['a' .. i] = function() end end
        B.a3 = nil
        for _, C in ipairs{A, B} do
          local ks = {}
          for k in pairs(C) do ks[#ks + 1] = k end
          print(table.concat(ks, ' '))
        end""", tmp_path)
    assert out.splitlines() == [
        "__pow __version __factory __init __typename foo __metatable __mod __call __unm "
        "__newindex __lt __tostring __le __eq new __add __index __concat __mul __len __sub "
        "__constructor __div\t",
        "__pow baz __typename __unm a1 __index __add a2 __le __version a5 __factory __mod a9 "
        "__len a7 __metatable __sub __newindex __lt __tostring a6 __div new a8 bar __eq __mul "
        "__concat __call __constructor a4\t"]


def test_linear_input_of_another_type_fails_before_its_size_is_checked(tmp_path):
    # Linear.lua's output:addmv(1, weight, input): cwrap rejects a LongTensor before TH would
    # compare sizes (the reference build prints the invalid-arguments help at line 57)
    out = th_e("""require 'nn'
        local m = nn.Linear(3, 2)
        print(pcall(function() return m:forward(torch.LongTensor(5):zero()) end))""", tmp_path)
    assert out.startswith("false\t/usr/local/share/lua/5.1/nn/Linear.lua:57: invalid arguments: "
                          "DoubleTensor number DoubleTensor LongTensor \nexpected arguments: "
                          "*DoubleTensor~1D* [DoubleTensor~1D] [double] DoubleTensor~2D")


def test_reset_after_no_bias_fails_where_the_lua_draws_the_bias(tmp_path):
    # SpatialConvolutionMM.lua, VolumetricFullConvolution.lua and TemporalRowConvolution.lua
    # draw self.bias:uniform(...) unguarded; SpatialConvolution.lua checks `if self.bias`
    # (the reference build prints these; the weight is drawn first in both)
    out = th_e("""require 'nn'
        for _, m in ipairs{nn.SpatialConvolutionMM(2,3,2,2), nn.VolumetricFullConvolution(2,3,2,2,2),
                           nn.TemporalRowConvolution(3,2), nn.SpatialConvolution(2,3,2,2)} do
          m:noBias()
          print(pcall(function() m:reset(0.1) end))
        end""", tmp_path)
    p = "/usr/local/share/lua/5.1/nn/"
    nil_bias = "attempt to index field 'bias' (a nil value)"
    assert out.splitlines() == [
        "false\t%sSpatialConvolutionMM.lua:49: %s\t" % (p, nil_bias),
        "false\t%sVolumetricFullConvolution.lua:58: %s\t" % (p, nil_bias),
        "false\t%sTemporalRowConvolution.lua:35: %s\t" % (p, nil_bias),
        "true\t"]


def test_parameter_methods_return_what_their_lua_returns(tmp_path):
    # Module.lua's updateParameters and Linear.lua's accGradParameters return nothing (a THNN
    # module's wrapped method included); PReLU.lua's accGradParameters returns gradWeight
    out = th_e("""require 'nn'
        local m = nn.Linear(2, 2); local x = torch.ones(2)
        m:forward(x); m:backward(x, torch.ones(2))
        local c = nn.SpatialConvolutionMM(1, 1, 2, 2); local y = torch.ones(1, 3, 3)
        c:forward(y)
        local p = nn.PReLU(2); local z = torch.ones(3, 2); p:forward(z)
        print(select('#', m:updateParameters(0.1)), select('#', m:accGradParameters(x, x)),
              select('#', c:accGradParameters(y, torch.ones(1, 2, 2))),
              select('#', p:accGradParameters(z, z)))""", tmp_path)
    assert out == "0\t0\t0\t1\t\n"


def test_reset_type_and_partition_methods_return_nothing_as_their_lua(tmp_path):
    # Add.lua, CMul.lua, Cosine.lua... reset, FlattenTable.lua's type, MapTable.lua's
    # clearState and PartialLinear.lua's setPartition end without a return (reference build:
    # 0 values each); Linear.lua's reset returns self
    out = th_e("""require 'nn'
        print(select('#', nn.Add(3):reset()), select('#', nn.CMul(3):reset()),
              select('#', nn.Cosine(3, 2):reset()), select('#', nn.IndexLinear(5, 2):reset()),
              select('#', nn.FlattenTable():type('torch.FloatTensor')),
              select('#', nn.MapTable(nn.Tanh()):clearState()),
              select('#', nn.PartialLinear(5, 3):setPartition(torch.LongTensor{1, 2})),
              select('#', nn.Linear(2, 2):reset()))""", tmp_path)
    assert out == "0\t0\t0\t0\t0\t0\t0\t1\t\n"


def test_file_scalar_writes_return_nothing_and_tester_counters_name_their_line(tmp_path):
    # File.c's writeDouble(number) returns nothing, writeDouble(storage) the count written;
    # an assert outside run() indexes Tester.lua's nil counters at its line 46 / 61
    out = th_e("""local f = torch.MemoryFile()
        print(select('#', f:writeDouble(1.5)), f:writeDouble(torch.DoubleStorage(3)))
        local te = torch.Tester()
        print(pcall(function() te:assert(true) end))
        print(pcall(function() te:assert(false) end))""", tmp_path)
    p = "/usr/local/share/lua/5.1/torch/Tester.lua:"
    assert out == ("0\t3\t\nfalse\t%s46: attempt to index field 'assertionPass' (a nil value)\t\n"
                   "false\t%s61: attempt to index field 'assertionFail' (a nil value)\t\n"
                   % (p, p))


def test_is_tensor_is_a_method_of_double_tensors_only(tmp_path):
    # torch/init.lua: `torch.Tensor.isTensor = torch.isTensor` with torch.Tensor the
    # DoubleTensor class (the reference prints true, then a call error for a FloatTensor)
    out = th_e("""print(torch.Tensor(2):isTensor(), torch.DoubleTensor(2):isTensor(3))
        print(torch.FloatTensor(2).isTensor)""", tmp_path)
    assert out == "true\ttrue\t\nnil\t\n"
