"""A Python list that reuses the id of a dead list gets a Lua table of its own: the dead list's
table, which Lua may still hold, is never refilled with another list's items."""
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


def test_abandoned_iterations_and_collections_leave_live_tables_alone():
    rt = LuaRuntime()
    # pairs() over an object makes a table of its field names; an abandoned pairs() leaves
    # one for the collector, and a later list may get its list's id
    r = rt.execute("""
        require 'nngraph'
        local x = nn.Identity()()
        local g = nn.gModule({x}, {nn.Tanh()(nn.Linear(2, 2)(x))})
        local edges, kinds = g.fg.edges, {}
        local before = table.concat({tostring(edges[1]), #edges}, ' ')
        for round = 1, 20 do
          for _, e in ipairs(edges) do
            local n = 0
            for k, v in pairs(e) do
              n = n + 1
              if torch.typename(v) then for _ in pairs(v) do break end end
              if n % 2 == 0 then collectgarbage() end
              kinds[torch.typename(e) .. '.' .. k] = true
            end
          end
        end
        local names = {}
        for k in pairs(kinds) do names[#names + 1] = k end
        table.sort(names)
        return {table.concat({tostring(edges[1]), #edges}, ' ') == before and #edges > 0,
                table.concat(names, ',')}""")
    assert r == [True, "graph.Edge.from,graph.Edge.to"]
