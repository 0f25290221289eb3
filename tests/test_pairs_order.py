"""pairs()/next() in the order of Torch7's LuaJIT (2.1.0-beta2): the string hash, the model of
its table layout (torch7py/luaorder.py) and th's traversals (compat/pairs_order.lua)."""
import os
import subprocess
import sys

import pytest

from torch7py.luaorder import TableLayout, pairs_order, string_hash, tommy_hash

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# -- the string hash: lookup3's hashlittle ------------------------------------------------------

def test_tommy_hash_is_lookup3_hashlittle():
    # lookup3.c's published self-test values (driver5): hashlittle(key, len, initval)
    assert tommy_hash(b"", 0) == 0xDEADBEEF
    assert tommy_hash(b"", 0xDEADBEEF) == 0xBD5B7DDE
    assert tommy_hash(b"Four score and seven years ago", 0) == 0x17770551
    assert tommy_hash(b"Four score and seven years ago", 1) == 0xCD628161


def test_empty_string_hash_is_zero():
    # beta2 returns its global empty string, whose hash field was never set
    assert string_hash(b"") == 0


def test_tail_lengths_all_differ():
    # every tail length (1..12 bytes, and past one block) goes through its own case
    data = bytes(range(1, 30))
    hashes = {tommy_hash(data[:n]) for n in range(1, 30)}
    assert len(hashes) == 29


# -- the layout, with main positions chosen by hand -----------------------------------------

class Fixed(TableLayout):
    """A layout whose keys' main positions are given (the hash is taken out of the rules)."""

    def __init__(self, mp, asize=0, hbits=0):
        self.fixed = mp
        TableLayout.__init__(self, asize, hbits)

    def _mp(self, key):
        k = key[1].decode() if key[0] == "s" else key[1]
        return self.fixed[k] & (self.hsize - 1)


def s(name):
    return ("s", name.encode())


def test_collision_takes_the_free_node_from_the_top():
    lay = Fixed({"A": 0, "B": 0, "C": 3, "D": 1}, hbits=2)
    for k in "AB":
        lay.set(s(k))
    # A sits in its main position 0, so B goes to the highest free node, 3
    assert lay.order() == [s("A"), s("B")]
    assert lay.nkey[3] == s("B")
    # C's main position 3 holds B, which is not in its own: B moves to the next free node
    # (2), C takes 3; D's main position 1 is free
    lay.set(s("C"))
    lay.set(s("D"))
    assert lay.order() == [s("A"), s("D"), s("B"), s("C")]
    assert lay.sizes() == (0, 3)


def test_full_table_rehashes_and_reinserts_in_node_order():
    lay = Fixed({"A": 0, "B": 0, "C": 3, "D": 1, "E": 5}, hbits=2)
    for k in "ABCD":
        lay.set(s(k))
    lay.set(s("E"))
    # 4 keys + the new one + 1: hash size 8 (hsize2hbits(5) = 3); A, D, B, C re-inserted in
    # node order: A at 0, D at 1, B collides with A and takes the top free node 7, C at 3;
    # then E at 5
    assert lay.sizes() == (0, 7)
    assert lay.order() == [s("A"), s("D"), s("C"), s("E"), s("B")]


def test_integer_keys_move_to_the_array_part():
    lay = TableLayout()
    for k in (1, 2, 3):
        lay.set(("n", float(k)))
    # 1: rehash of an empty table -> array of 3 (slots 0..2); 3: rehash -> bins {0: 2,
    # 1: 1}, best array size 5, no hash part
    assert lay.sizes() == (5, 0)
    assert lay.order() == [("n", 1.0), ("n", 2.0), ("n", 3.0)]


def test_two_node_table_rehash_moves_zero_to_the_array():
    # {[-1] = .., [0] = .., [2.5] = ..}: the template has 2 nodes; the third key always finds
    # the table full, and the rehash gives 0 an array slot (asize 3) and the others 2 nodes
    lay = Fixed({-1.0: 0, 0.0: 0, 2.5: 1}, hbits=1)
    for k in (-1.0, 0.0, 2.5):
        lay.set(("n", k))
    assert lay.sizes() == (3, 1)
    assert lay.order()[0] == ("n", 0.0)
    assert sorted(lay.order()[1:]) == [("n", -1.0), ("n", 2.5)]


def test_cleared_key_keeps_its_node():
    lay = Fixed({"A": 0, "B": 0}, hbits=1)
    lay.set(s("A"))
    lay.set(s("B"))
    lay.clear(s("A"))
    assert lay.order() == [s("B")]
    assert lay.order(dead=True) == [s("A"), s("B")]
    lay.set(s("A"))  # found in its chain: same node
    assert lay.order() == [s("A"), s("B")]


# -- Torch7's recorded orders (../shared/parity/scripts/print_hash_tables.out) --------------

def test_recorded_orders_of_string_keys():
    assert pairs_order(["alpha", "beta", "gamma", "delta"]) == ["gamma", "alpha", "delta", "beta"]
    assert pairs_order(["learningRate", "momentum", "weightDecay"]) == [
        "learningRate", "weightDecay", "momentum"]
    assert pairs_order(["opt", "epoch"]) == ["epoch", "opt"]
    assert pairs_order(["x", "y", "z"]) == ["z", "y", "x"]


def test_recorded_cmdline_order():
    # CmdLine fills params in the pairs() order of its options table ('-lr', ... in the order
    # declared); th then prints params in its own pairs() order
    options = pairs_order(["-lr", "-momentum", "-batch", "-model", "-gpu"])
    params = pairs_order([k[1:] for k in options])
    assert params == ["gpu", "batch", "model", "momentum", "lr"]


# -- through th ------------------------------------------------------------------------------

lupa = pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


@pytest.fixture(scope="module")
def rt():
    return LuaRuntime()


def keys_of(rt, code):
    return rt.execute("local t = " + code + """
        local ks = {}
        for k in pairs(t) do ks[#ks + 1] = tostring(k) end
        return table.concat(ks, ' ')""")


def test_constructors_give_torch7s_orders(rt):
    assert keys_of(rt, "{alpha = 1, beta = 2, gamma = 3, delta = 4}") == "gamma alpha delta beta"
    assert keys_of(rt, "{[1] = 'one', [3] = 'three'}") == "3 1"
    assert keys_of(rt, "{[-1] = 'minus', [0] = 'zero', [2.5] = 'frac'}") == "0 2.5 -1"
    assert keys_of(rt, "{x = 1, y = 2, z = {a = true, b = false}}") == "z y x"
    assert keys_of(rt, "{1, 2, 3, 4}") == "1 2 3 4"


def test_assignments_from_empty_give_the_constructors_order(rt):
    # a constructor of string keys starts with 2 nodes and grows as an empty table does
    assert keys_of(rt, "{} t.alpha = 1 t.beta = 2 t.gamma = 3 t.delta = 4") == \
        "gamma alpha delta beta"


def test_keys_added_later_come_after(rt):
    # 'x', 'y', 'z' fill 4 nodes as {x, y, z}; w is inserted last, wherever it lands the
    # first three keep their relative order unless a rehash happens (it does not: 4 nodes)
    assert keys_of(rt, "{x = 1, y = 2, z = 3} for _ in pairs(t) do end t.w = 4") == \
        " ".join(pairs_order(["x", "y", "z", "w"]))


def test_python_dicts_keep_their_insertion_order(rt):
    rt.globals.d = rt.to_lua({"alpha": 1, "beta": 2, "gamma": 3, "delta": 4})
    assert keys_of(rt, "d") == "gamma alpha delta beta"
    m = rt.from_lua(rt.globals.d)
    assert list(m.keys()) == ["gamma", "alpha", "delta", "beta"]


def test_every_key_once_and_next_from_any_key(rt):
    r = rt.execute("""
        local t = {}
        for i = 1, 1000 do t['k' .. i] = i end
        for i = 1, 50 do t[i * 0.5] = i end
        local seen, n, order = {}, 0, {}
        for k in pairs(t) do
           assert(not seen[k]); seen[k] = true; n = n + 1; order[n] = k
        end
        -- next(t, k) continues from any key
        for i = 1, n - 1 do assert(next(t, order[i]) == order[i + 1]) end
        assert(next(t, order[n]) == nil)
        local ok = pcall(next, t, 'no such key')
        return n, ok""")
    assert r == (1050, False)


def test_changes_during_traversal(rt):
    r = rt.execute("""
        local t = {}
        for i = 1, 100 do t['k' .. i] = i end
        local n = 0
        for k, v in pairs(t) do
           n = n + 1
           t[k] = v * 2              -- existing fields may change
           if v % 3 == 0 then t[k] = nil end  -- the current key may be cleared
           for _ in pairs(t) do end  -- a nested traversal of the same table
        end
        local left = 0
        for k, v in pairs(t) do left = left + 1 end
        t.k1 = nil
        t.new = 1
        local again = 0
        for k in pairs(t) do again = again + 1 end
        return n, left, again, t.k3""")
    assert r == (100, 67, 67, None)


def test_switch_off_keeps_luajits_own_pairs():
    env = dict(os.environ, TH_PAIRS_ORDER="0", PYTHONPATH=ROOT)
    code = ("local n = 0 for k in pairs({alpha = 1, beta = 2, gamma = 3, delta = 4}) do "
            "n = n + 1 end print(n)")
    out = subprocess.run([sys.executable, "-m", "compat.th", "-e", code], env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.stdout.strip() == "4"


def test_insertion_order_follows_the_source(rt):
    # zeta, eta, theta inserted in source order; sorted order (eta, theta, zeta) would give
    # another layout
    assert pairs_order(["zeta", "eta", "theta"]) != pairs_order(["eta", "theta", "zeta"])
    assert keys_of(rt, "{} t.zeta = 1 t.eta = 2 t.theta = 3") == \
        " ".join(pairs_order(["zeta", "eta", "theta"]))


def test_keys_made_at_run_time_count_up(rt):
    # 'item1'..'item12' appear in no source: taken as inserted in their numbers' order
    assert keys_of(rt, "{} for i = 1, 12 do t['item' .. i] = i end") == \
        " ".join(pairs_order([f"item{i}" for i in range(1, 13)]))


def test_tester_runs_tests_in_torch7s_order(rt):
    # tests.arithmetic, .tensors, .tables_and_strings, .errors: Torch7 ran them in this order
    # (../shared/parity/scripts/tester_pass.out)
    r = rt.execute("""
        local tests = torch.TestSuite()
        local ran = {}
        for _, name in ipairs({'arithmetic', 'tensors', 'tables_and_strings', 'errors'}) do
           tests[name] = function() ran[#ran + 1] = name end
        end
        local tester = torch.Tester()
        tester:add(tests)
        local write = io.write
        io.write = function() end
        tester:run()
        io.write = write
        return table.concat(ran, ' ')""")
    assert r == "tensors tables_and_strings errors arithmetic"


def test_weak_tables_stay_weak(rt):
    # a traversal must not keep a weak table's keys alive
    r = rt.execute("""
        local w = setmetatable({}, {__mode = 'k'})
        for i = 1, 10 do w[{}] = i end
        local n = 0
        for k in pairs(w) do n = n + 1 end
        collectgarbage() collectgarbage()
        local left = 0
        for k in pairs(w) do left = left + 1 end
        return n, left""")
    assert r == (10, 0)


def test_module_fields_in_torch7s_order(rt):
    # Module.lua's __init sets gradInput, output, _type; Linear.lua's then weight, gradWeight,
    # bias, gradBias: Torch7 lists them in beta2's order of that insertion sequence
    r = rt.execute("""
        require 'nn'
        local ks = {}
        for k in pairs(nn.Linear(2, 3)) do ks[#ks + 1] = k end
        return table.concat(ks, ' ')""")
    assert r == " ".join(pairs_order(["gradInput", "output", "_type", "weight", "gradWeight",
                                      "bias", "gradBias"]))
