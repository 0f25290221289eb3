"""nn.utils, nn.tables, nn.hessian, nn.Jacobian and nn.SparseJacobian are Python modules (or
classes) in torch7py; in Lua they are plain tables holding what Torch7's hold after
`require 'nn'` (nn/utils.lua's eight functions, SpatialConvolutionMap.lua's three, hessian.lua's
enable, Jacobian.lua's fifteen, SparseJacobian.lua's nine), so th's print of `require 'nn'` at
the prompt (trepl walks nested tables) and pairs() list those, not the modules' imports."""
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


def test_pairs_lists_torch7s_names_only():
    r = LuaRuntime().execute("""
        require 'nn'
        local out = {}
        for _, t in ipairs({nn.utils, nn.tables, nn.hessian, nn.Jacobian, nn.SparseJacobian}) do
           local keys = {}
           for k in pairs(t) do keys[#keys + 1] = k end
           table.sort(keys)
           out[#out + 1] = table.concat(keys, ' ')
        end
        out[#out + 1] = tostring(nn.utils.np) .. ' ' .. tostring(nn.tables.np) .. ' '
                        .. torch.type(nn.Jacobian)
        return out
    """)
    assert list(r) == [
        "addSingletonDimension clear contiguousView recursiveAdd recursiveCopy recursiveFill "
        "recursiveResizeAs recursiveType",
        "full oneToOne random",
        "enable",
        "backward backwardDiagHessian backwardUpdate forward forwardUpdate "
        "linearModuleDiagHessian testAllUpdate testDiagHessian testDiagHessianBias "
        "testDiagHessianInput testDiagHessianWeight testIO testJacobian testJacobianParameters "
        "testJacobianUpdateParameters",
        "backward backwardUpdate forward forwardUpdate testAllUpdate testIO testJacobian "
        "testJacobianParameters testJacobianUpdateParameters",
        "nil nil table"]


def test_the_functions_still_work_from_lua():
    r = LuaRuntime().execute("""
        require 'nn'
        local a, b = {torch.ones(2)}, {torch.zeros(3)}
        nn.utils.recursiveCopy(b, a)
        local t = nn.tables.full(2, 3)
        nn.hessian.enable()
        return b[1]:sum(), b[1]:nElement(), t:size(1), t[6][1], t[6][2],
               type(nn.hessian.updateDiagHessianInput)
    """)
    # recursiveCopy resizes b[1] as a[1] and copies it; full(2, 3) pairs every input plane
    # with every output plane, the input varying fastest: the 6th row is {2, 3}
    assert list(r) == [2, 2, 6, 2, 3, "function"]


def test_pairs_of_graph_lists_what_graphs_files_define():
    # graph/init.lua (37dac07): graphviz.lua's graphvizLayout, graphvizFile, dot; the Node,
    # Edge and Graph classes; _dotEscape
    r = LuaRuntime().execute("""
        require 'graph'
        local keys = {}
        for k in pairs(graph) do keys[#keys + 1] = k end
        table.sort(keys)
        return table.concat(keys, ' ')
    """)
    assert r == "Edge Graph Node _dotEscape dot graphvizFile graphvizLayout"
