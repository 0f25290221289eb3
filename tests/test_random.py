"""Tests for torch7py.random: the parity cases random_scalar/random_state/random_tensor ported
by hand and compared with Torch7's goldens, plus checks against an independent MT19937."""
import math
import struct

import numpy as np
import pytest

import torch7py as torch
from torch7py.tensor import TorchError

from golden import assert_golden, golden, golden_keys


def _pcall(fn):
    try:
        fn()
    except (TorchError, ValueError, TypeError):
        return False
    return True


def _seq(n, fn):
    return [fn() for _ in range(n)]


# -- the parity cases, line by line ----------------------------------------------------------------
def case_random_scalar():
    r = {}
    for seed in (1, 42, 123456789, 2147483648):
        key = "seed%d" % seed
        torch.manualSeed(seed)
        r[key + "_random"] = _seq(6, torch.random)
        torch.manualSeed(seed)
        r[key + "_uniform"] = _seq(6, torch.uniform)
        torch.manualSeed(seed)
        r[key + "_normal"] = _seq(6, torch.normal)
    torch.manualSeed(7)
    r["random_n"] = _seq(10, lambda: torch.random(6))
    r["random_ab"] = _seq(10, lambda: torch.random(-3, 3))
    r["random_ab_equal"] = torch.random(5, 5)
    r["random_bad"] = _pcall(lambda: torch.random(0))
    r["random_bad_range"] = _pcall(lambda: torch.random(3, 1))
    torch.manualSeed(8)
    r["uniform_ab"] = _seq(5, lambda: torch.uniform(-2, 5))
    r["uniform_reversed"] = _seq(3, lambda: torch.uniform(1, 0))
    torch.manualSeed(9)
    r["normal_ms"] = _seq(5, lambda: torch.normal(10, 0.5))
    r["normal_bad_std"] = _pcall(lambda: torch.normal(0, 0))
    torch.manualSeed(10)
    r["exponential"] = _seq(5, lambda: torch.exponential(2))
    r["exponential_needs_lambda"] = _pcall(lambda: torch.exponential())
    torch.manualSeed(11)
    r["cauchy_default"] = _seq(3, torch.cauchy)
    r["cauchy"] = _seq(3, lambda: torch.cauchy(1, 0.5))
    torch.manualSeed(12)
    r["logNormal_default"] = _seq(3, torch.logNormal)
    r["logNormal"] = _seq(3, lambda: torch.logNormal(0, 0.25))
    torch.manualSeed(13)
    r["geometric"] = _seq(8, lambda: torch.geometric(0.3))
    r["geometric_bad"] = _pcall(lambda: torch.geometric(1))
    torch.manualSeed(14)
    r["bernoulli_default"] = _seq(8, torch.bernoulli)
    r["bernoulli_p"] = _seq(8, lambda: torch.bernoulli(0.9))
    r["bernoulli_zero"] = _seq(3, lambda: torch.bernoulli(0))
    r["bernoulli_type"] = torch.type(torch.bernoulli())

    def mixed():
        return [torch.random(), torch.uniform(), torch.normal(), torch.random(100),
                torch.normal(), torch.normal(), torch.exponential(1)]
    torch.manualSeed(99)
    m1 = mixed()
    torch.manualSeed(99)
    m2 = mixed()
    r["mixed"] = m1
    r["mixed_replays"] = m1[0] == m2[0] and m1[2] == m2[2] and m1[6] == m2[6]
    torch.manualSeed(0)
    r["seed0"] = [torch.random(), torch.uniform()]
    r["initialSeed_after_manual"] = torch.initialSeed()
    torch.manualSeed(31337)
    r["initialSeed"] = torch.initialSeed()
    torch.manualSeed(4294967296 + 5)
    big = torch.random()
    torch.manualSeed(5)
    r["seed_2p32_plus5_equals_5"] = big == torch.random()
    r["seed_2p32_plus5_first"] = big
    return r


def case_random_state():
    r = {}
    torch.manualSeed(123)
    r["first"] = torch.uniform()
    s = torch.getRNGState()
    r["state_type"] = torch.type(s)
    r["state_dim"] = s.dim()
    after = [torch.uniform(), torch.random(), torch.normal()]
    torch.setRNGState(s)
    replay = [torch.uniform(), torch.random(), torch.normal()]
    r["after"] = after
    r["replay_equal"] = after == replay
    s2 = torch.getRNGState()
    copy = s2.clone()
    torch.random()
    r["state_not_aliased"] = bool(np.array_equal(copy.numpy(), s2.numpy()))
    r["setRNGState_returns_arg"] = torch.setRNGState(s2) is s2
    torch.manualSeed(321)
    n1 = torch.normal()
    mid = torch.getRNGState()
    n2 = torch.normal()
    n3 = torch.normal()
    torch.setRNGState(mid)
    r["normal_pair"] = [n1, n2, n3]
    r["cache_restored"] = torch.normal() == n2 and torch.normal() == n3
    torch.manualSeed(321)
    m1 = torch.normal()
    torch.manualSeed(321)
    r["reseed_clears_cache"] = torch.normal() == m1
    torch.manualSeed(5)
    c1 = torch.normal()
    u = torch.uniform()
    c2 = torch.normal()
    torch.manualSeed(5)
    torch.normal()
    d2 = torch.normal()
    r["cache_survives_uniform"] = c2 == d2
    r["uniform_between"] = u
    r["normals_5"] = [c1, c2]
    torch.manualSeed(777)
    torch.uniform()
    r["initialSeed"] = torch.initialSeed()
    gen = torch.Generator()
    r["generator_type"] = torch.type(gen)
    torch.manualSeed(gen, 0)
    torch.manualSeed(1)
    r["gen_random"] = [torch.random(gen), torch.random(gen)]
    r["global_unaffected"] = torch.random()
    torch.manualSeed(1)
    r["global_first_seed1"] = torch.random()
    r["gen_initialSeed"] = torch.initialSeed(gen)
    r["gen_uniform"] = torch.uniform(gen)
    r["gen_uniform_ab"] = torch.uniform(gen, 10, 20)
    r["gen_normal"] = torch.normal(gen, 0, 2)
    r["gen_random_ab"] = torch.random(gen, 1, 6)
    r["gen_bernoulli"] = torch.bernoulli(gen, 0.5)
    r["gen_rand"] = torch.rand(gen, 2, 2)
    r["gen_randn"] = torch.randn(gen, 3)
    r["gen_randperm"] = torch.randperm(gen, 6)
    r["gen_tensor_uniform"] = torch.Tensor(3).uniform(gen, -1, 1)
    r["gen_tensor_normal"] = torch.Tensor(2).normal(gen)
    r["gen_multinomial"] = torch.multinomial(gen, torch.Tensor([1, 2, 3]), 4, True)
    gs = torch.getRNGState(gen)
    g1 = torch.random(gen)
    torch.setRNGState(gen, gs)
    r["gen_state_replay"] = torch.random(gen) == g1
    ga, gb = torch.Generator(), torch.Generator()
    torch.manualSeed(ga, 2017)
    torch.manualSeed(gb, 2017)
    torch.random(ga)
    r["gen_independent"] = [torch.random(gb), torch.random(ga), torch.random(gb)]
    torch.manualSeed(2017)
    r["global_2017"] = [torch.random(), torch.random()]
    return r


def case_random_tensor():
    r = {}
    torch.manualSeed(2024)
    r["rand"] = torch.rand(2, 3)
    r["randn"] = torch.randn(5)
    r["rand_storage_size"] = torch.rand(torch.LongStorage([2, 2]))
    r["randperm"] = torch.randperm(10)
    r["randperm_type"] = torch.type(torch.randperm(3))
    r["randperm_one"] = torch.randperm(1)
    torch.manualSeed(5)
    t = torch.Tensor(2, 4)
    r["uniform_default"] = t.uniform().clone()
    r["uniform_ab"] = t.uniform(-1, 1).clone()
    r["normal_default"] = t.normal().clone()
    r["normal_ms"] = t.normal(3, 0.1).clone()
    r["exponential"] = t.exponential(0.5).clone()
    r["cauchy"] = t.cauchy(0, 2).clone()
    r["logNormal"] = t.logNormal(1, 0.5).clone()
    r["geometric"] = t.geometric(0.5).clone()
    r["bernoulli_default"] = t.bernoulli().clone()
    r["bernoulli_p"] = t.bernoulli(0.2).clone()
    r["bernoulli_returns_self"] = t.bernoulli(0.5) is t
    probs = torch.Tensor([0, 0.25, 0.5, 0.75, 1, 1, 0, 0.5])
    r["bernoulli_tensor_p"] = torch.Tensor(8).bernoulli(probs)
    r["bernoulli_float_p"] = torch.Tensor(2, 2).bernoulli(
        torch.FloatTensor([[0.9, 0.1], [0.5, 0.5]]))
    torch.manualSeed(6)
    r["random_double"] = torch.Tensor(4).random()
    r["random_long"] = torch.LongTensor(4).random()
    r["random_int"] = torch.IntTensor(3).random()
    r["random_byte"] = torch.ByteTensor(6).random()
    r["random_char"] = torch.CharTensor(6).random()
    r["random_short"] = torch.ShortTensor(4).random()
    r["random_float"] = torch.FloatTensor(3).random()
    r["random_n"] = torch.Tensor(8).random(4)
    r["random_ab"] = torch.LongTensor(8).random(10, 12)
    r["random_ab_neg_double"] = torch.Tensor(6).random(-2, 1)
    r["random_ab_neg_long"] = torch.LongTensor(6).random(-2, 1)
    torch.manualSeed(7)
    r["float_uniform"] = torch.FloatTensor(4).uniform()
    r["float_normal"] = torch.FloatTensor(4).normal()
    torch.manualSeed(7)
    r["double_uniform_same_seed"] = torch.Tensor(4).uniform()
    torch.manualSeed(8)
    base = torch.Tensor(3, 4).zero()
    base.t().uniform()
    r["transposed_fill"] = base
    torch.manualSeed(8)
    r["contiguous_fill_same_seed"] = torch.rand(4, 3)
    torch.manualSeed(9)
    nb = torch.Tensor(4, 4).zero()
    nb.narrow(2, 2, 2).normal()
    r["narrow_normal"] = nb
    torch.manualSeed(10)
    a1 = torch.normal()
    a2 = torch.randn(3)
    a3 = torch.uniform()
    a4 = torch.randn(1)
    r["interleaved"] = [a1, a2, a3, a4]
    torch.manualSeed(11)
    r3 = torch.randn(3)
    r["after_odd_randn"] = torch.normal()
    torch.manualSeed(11)
    r4 = torch.randn(4)
    r["randn4_last_equals"] = r4[4] == r["after_odd_randn"]
    r["randn3"] = r3
    torch.manualSeed(12)
    p = torch.Tensor([0.1, 0.2, 0.3, 0.4])
    r["multinomial_repl"] = torch.multinomial(p, 10, True)
    r["multinomial_norepl"] = torch.multinomial(p, 4)
    # torch.sort(...) keeps its first result: the sorted values
    r["multinomial_norepl_sorted"] = torch.from_numpy(np.sort(torch.multinomial(p, 4).numpy()))
    r["multinomial_unnormalized"] = torch.multinomial(torch.Tensor([2, 0, 6]), 5, True)
    r["multinomial_2d"] = torch.multinomial(torch.Tensor([[1, 1, 0], [0, 0, 1]]), 3, True)
    r["multinomial_type"] = torch.type(torch.multinomial(p, 1))
    r["multinomial_too_many"] = _pcall(lambda: torch.multinomial(p, 5))
    r["multinomial_float"] = torch.multinomial(torch.FloatTensor([0.5, 0.5]), 4, True)
    torch.manualSeed(13)
    rp = torch.randperm(50)
    r["randperm50_sorted_ok"] = bool((np.sort(rp.numpy()) == np.arange(1, 51)).all())
    r["randperm50_first"] = rp.narrow(1, 1, 8)
    return r


_CASES = {"random_scalar": case_random_scalar, "random_state": case_random_state,
          "random_tensor": case_random_tensor}
_results = {}


@pytest.mark.parametrize("case,key", [(c, k) for c in _CASES for k in golden_keys(c)])
def test_parity_case(case, key):
    want = golden(case)
    if case not in _results:
        _results[case] = _CASES[case]()
    got = _results[case]
    assert key in got, "%s.%s: missing" % (case, key)
    assert_golden(got[key], want[key], "%s.%s" % (case, key))


@pytest.mark.parametrize("case", list(_CASES))
def test_parity_no_extra_keys(case):
    want = golden(case)
    if case not in _results:
        _results[case] = _CASES[case]()
    assert set(_results[case]) == set(want)


# -- an independent MT19937: numpy's legacy RandomState (init_genrand seeding) ---------------------
def _ref_raw(seed, n):
    # legacy randint over the full 32-bit range takes one raw MT19937 output per value
    return np.random.RandomState(seed).randint(0, 2**32, size=n, dtype=np.uint32).astype(np.uint64)


def test_mt19937_reference_values():
    # MT19937's published check values: seed 5489 starts 3499211612; the 10000th is 4123659995
    torch.manualSeed(5489)
    assert torch.random() == 3499211612
    torch.manualSeed(5489)
    assert int(torch.LongTensor(10000).random().numpy()[-1]) == 4123659995


@pytest.mark.parametrize("seed", [0, 1, 5489, 2**31 + 7, 2**32 - 1])
def test_raw_stream_matches_reference_across_blocks(seed):
    ref = _ref_raw(seed, 3000)
    g = torch.Generator()
    torch.manualSeed(g, seed)
    got = [torch.random(g) for _ in range(5)]            # scalar draws
    got += torch.LongTensor(700).random(g).numpy().tolist()  # a bulk draw crossing a twist
    got += [torch.random(g) for _ in range(650)]          # scalar draws crossing a twist
    got += torch.LongTensor(1645).random(g).numpy().tolist()  # several blocks at once
    assert got == ref.tolist()


def test_uniform_is_random_over_2_32():
    ref = _ref_raw(3, 2000)
    torch.manualSeed(3)
    got = torch.rand(2000).numpy()
    np.testing.assert_array_equal(got, ref / 4294967296.0)
    torch.manualSeed(3)
    a = [torch.uniform(-2, 5) for _ in range(10)]
    np.testing.assert_allclose(a, ref[:10] / 4294967296.0 * 7 - 2, rtol=0, atol=1e-15)


def test_normal_box_muller_with_cache():
    ref = _ref_raw(17, 20) / 4294967296.0
    x, y = ref[0::2], ref[1::2]
    rho = np.array([math.sqrt(-2 * math.log(1 - v)) for v in y])
    exp = []
    for k in range(len(x)):
        exp += [rho[k] * math.cos(2 * math.pi * x[k]), rho[k] * math.sin(2 * math.pi * x[k])]
    torch.manualSeed(17)
    got = [torch.normal()] + torch.randn(4).numpy().tolist() + [torch.normal(3, 2)]
    got += torch.randn(3).numpy().tolist() + [torch.normal()]
    exp2 = exp[:5] + [exp[5] * 2 + 3] + exp[6:10]
    np.testing.assert_allclose(got, exp2, rtol=1e-14, atol=1e-14)


def test_normal_cache_uses_current_mean_and_std():
    torch.manualSeed(4)
    a, b = torch.normal(), torch.normal()
    torch.manualSeed(4)
    assert torch.normal() == a
    assert torch.normal(10, 3) == pytest.approx(b * 3 + 10, rel=1e-15)


def test_state_bytes_layout_and_round_trip():
    torch.manualSeed(2**32 + 9)
    torch.uniform()
    torch.normal()
    s = torch.getRNGState()
    assert s.nElement() == 5048 and s.typename == "torch.ByteTensor"
    raw = bytes(s.numpy())
    seed, left, seeded, nxt = struct.unpack_from("<QiiQ", raw, 0)
    assert (seed, left, seeded, nxt) == (2**32 + 9, 624 - 2, 1, 3)
    words = np.frombuffer(raw, dtype="<u8", count=624, offset=24)
    assert words.max() < 2**32
    nx, ny, nrho, valid = struct.unpack_from("<dddi", raw, 5016)
    assert valid == 1
    ref = _ref_raw(9, 3) / 4294967296.0
    assert (nx, ny) == (ref[1], ref[2])
    assert nrho == pytest.approx(math.sqrt(-2 * math.log(1 - ref[2])), rel=1e-15)
    follow = [torch.normal(), torch.random(), torch.uniform()]
    torch.manualSeed(1)
    assert torch.setRNGState(s) is s
    assert [torch.normal(), torch.random(), torch.uniform()] == follow
    assert torch.initialSeed() == 2**32 + 9


def test_state_into_given_tensor_and_errors():
    buf = torch.ByteTensor(3)
    assert torch.getRNGState(buf) is buf and buf.nElement() == 5048
    with pytest.raises(TorchError):
        torch.setRNGState(torch.ByteTensor(10))
    bad = torch.getRNGState()
    bad.numpy()[8:12] = 0  # left = 0 is not a valid state
    with pytest.raises(TorchError):
        torch.setRNGState(bad)


def test_seed_and_initial_seed():
    g = torch.Generator()
    s = torch.seed(g)
    assert torch.initialSeed(g) == s
    torch.manualSeed(g, -1)
    assert torch.initialSeed(g) == -1
    torch.manualSeed(g, 2**32 - 1)
    first = torch.random(g)
    torch.manualSeed(g, -1)  # the low 32 bits are the same
    assert torch.random(g) == first
    torch.manualSeed(g, 6.9)  # a Lua number read as a C long
    assert torch.initialSeed(g) == 6


def test_scalar_random_ranges():
    ref = _ref_raw(21, 6)
    torch.manualSeed(21)
    assert torch.random(10) == ref[0] % 10 + 1
    assert torch.random(-5, 5) == int(ref[1] % 11) - 5
    # the result of random(a, b) is a C int: the low 32 bits
    lo, hi = 0, 2**40
    v = (int(ref[2]) % (hi + 1 - lo) + lo) & 0xFFFFFFFF
    assert torch.random(lo, hi) == (v - 2**32 if v >= 2**31 else v)
    assert torch.random(7.9) == ref[3] % 7 + 1


@pytest.mark.parametrize("name,mod", [
    ("ByteTensor", 256), ("CharTensor", 128), ("ShortTensor", 32768), ("IntTensor", 2**31),
    ("LongTensor", 2**63), ("FloatTensor", 2**24 + 1), ("DoubleTensor", 2**53 + 1)])
def test_tensor_random_per_type(name, mod):
    ref = _ref_raw(33, 50)
    torch.manualSeed(33)
    t = getattr(torch, name)(5, 10).random()
    np.testing.assert_array_equal(t.numpy().reshape(-1), (ref % mod).astype(t.dtype))


def test_tensor_random_ab_wraps_per_type():
    ref = _ref_raw(34, 40).astype(object)
    vals = [(int(r) % 4 - 2) for r in ref]  # random(-2, 1)
    torch.manualSeed(34)
    assert torch.LongTensor(40).random(-2, 1).numpy().tolist() == vals
    torch.manualSeed(34)
    assert torch.ByteTensor(40).random(-2, 1).numpy().tolist() == [v % 256 for v in vals]
    torch.manualSeed(34)
    d = torch.DoubleTensor(40).random(-2, 1).numpy().tolist()
    assert d == [float(v % 2**64) for v in vals]


def test_fill_follows_logical_order_of_views():
    ref = _ref_raw(40, 12) / 4294967296.0
    torch.manualSeed(40)
    base = torch.Tensor(3, 4).zero()
    base.t().uniform()
    np.testing.assert_array_equal(base.numpy().T.reshape(-1), ref)
    torch.manualSeed(40)
    m = torch.Tensor(4, 5).zero()
    m.narrow(2, 2, 3).uniform()
    np.testing.assert_array_equal(m.numpy()[:, 1:4].reshape(-1), ref)
    assert not m.numpy()[:, [0, 4]].any()


def test_float_tensor_rounds_arguments_and_results():
    ref = _ref_raw(41, 4) / 4294967296.0
    torch.manualSeed(41)
    t = torch.FloatTensor(4).uniform(-0.1, 0.1)
    a, b = float(np.float32(-0.1)), float(np.float32(0.1))
    np.testing.assert_array_equal(t.numpy(), (ref * (b - a) + a).astype(np.float32))


def test_distributions_match_formulas():
    ref = _ref_raw(50, 40) / 4294967296.0
    torch.manualSeed(50)
    e = torch.Tensor(8).exponential(2.5).numpy()
    np.testing.assert_allclose(e, [-1 / 2.5 * math.log(1 - u) for u in ref[:8]], rtol=1e-14)
    c = torch.Tensor(8).cauchy(1, 3).numpy()
    np.testing.assert_allclose(c, [1 + 3 * math.tan(math.pi * (u - 0.5)) for u in ref[8:16]],
                               rtol=1e-13)
    g = torch.LongTensor(8).geometric(0.4).numpy()
    assert g.tolist() == [int(math.log(1 - u) / math.log(0.4)) + 1 for u in ref[16:24]]
    b = torch.ByteTensor(8).bernoulli(0.3).numpy()
    assert b.tolist() == [int(u <= 0.3) for u in ref[24:32]]
    assert [torch.bernoulli(0.6) for _ in range(4)] == [int(u <= 0.6) for u in ref[32:36]]
    assert [torch.geometric(0.9) for _ in range(4)] == \
        [int(math.log(1 - u) / math.log(0.9)) + 1 for u in ref[36:40]]


def test_log_normal_is_exp_of_normal():
    # Torch7 814ea4a: logNormal(mean, stdv) = exp(normal(mean, stdv)) (goldens confirm it)
    torch.manualSeed(60)
    n = [torch.normal(2, 1) for _ in range(3)]
    torch.manualSeed(60)
    v = [torch.logNormal(2, 1) for _ in range(3)]
    np.testing.assert_allclose(v, np.exp(n), rtol=1e-14)
    torch.manualSeed(60)
    np.testing.assert_allclose(torch.Tensor(3).logNormal(2, 1).numpy(), np.exp(n), rtol=1e-14)


def test_randperm_is_torch7_shuffle():
    n = 20
    ref = _ref_raw(70, n - 1)
    perm = list(range(n))
    for i in range(n - 1):
        j = i + int(ref[i]) % (n - i)
        perm[i], perm[j] = perm[j], perm[i]
    torch.manualSeed(70)
    got = torch.randperm(n)
    assert got.typename == "torch.DoubleTensor"
    assert got.numpy().tolist() == [p + 1 for p in perm]
    torch.manualSeed(70)
    assert torch.randperm(torch.LongTensor(), n).numpy().tolist() == [p + 1 for p in perm]
    with pytest.raises(TorchError):
        torch.randperm(0)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 31, 200, 3000])
def test_randperm_matches_the_sequential_shuffle(n):
    # the swaps run as Torch7's loop, here in plain Python, on the same raw draws
    for seed in (1, 2, 3):
        ref = _ref_raw(seed, max(n - 1, 0))
        perm = list(range(n))
        for i in range(n - 1):
            j = i + int(ref[i]) % (n - i)
            perm[i], perm[j] = perm[j], perm[i]
        torch.manualSeed(seed)
        assert torch.randperm(torch.LongTensor(), n).numpy().tolist() == [p + 1 for p in perm]


def test_result_first_and_type_string_forms():
    torch.manualSeed(80)
    a = torch.rand(3, 2)
    res = torch.FloatTensor()
    torch.manualSeed(80)
    assert torch.rand(res, 3, 2) is res
    np.testing.assert_array_equal(res.numpy(), a.numpy().astype(np.float32))
    torch.manualSeed(80)
    f = torch.rand(3, 2, "torch.FloatTensor")
    assert f.typename == "torch.FloatTensor"
    with pytest.raises(TorchError):
        torch.rand(torch.LongTensor(), 3)  # LongTensor has no rand in Torch7
    # cwrap's size argument is required: the reference Torch7 printed, for torch.rand(),
    # 'invalid arguments: no arguments provided' and the expected forms
    with pytest.raises(TorchError, match="no arguments provided"):
        torch.rand()


def test_multinomial_binary_search_and_no_replacement():
    p = np.array([0.1, 0.0, 0.5, 0.4])
    ref = _ref_raw(90, 200) / 4294967296.0
    cum = np.cumsum(p) / p.sum()
    cum[-1] = 1
    torch.manualSeed(90)
    got = torch.multinomial(torch.Tensor(p.tolist()), 200, True).numpy()
    assert got.tolist() == (np.searchsorted(cum, ref, side="left") + 1).tolist()
    assert 2 not in got.tolist()
    torch.manualSeed(91)
    for _ in range(20):
        s = torch.multinomial(torch.Tensor([1, 2, 3, 4, 5]), 5).numpy().tolist()
        assert sorted(s) == [1, 2, 3, 4, 5]


def test_errors_like_torch7():
    with pytest.raises(TorchError):
        torch.normal(0, -1)
    with pytest.raises(TorchError):
        torch.Tensor(3).normal(0, 0)
    torch.Tensor().normal(0, 0)  # no element, no check (TH_TENSOR_APPLY never calls it)
    with pytest.raises(TorchError):
        torch.geometric(0)
    with pytest.raises(TorchError):
        torch.bernoulli(1.5)
    with pytest.raises(TorchError):
        torch.Tensor(2).bernoulli(torch.Tensor([0.5, 2]))
    # uniform is in Float's and Double's method tables only (TensorMath.lua)
    assert not hasattr(torch.LongTensor(2), "uniform")
    with pytest.raises(TorchError):
        torch.Tensor(2).bernoulli(torch.Tensor(3).fill(0.5))
    # torch7 814ea4a checks only the sum of the probabilities: a negative one is drawn
    # through the cumulative sums as they are (the original printed these draws)
    torch.manualSeed(11)
    assert torch.multinomial(torch.Tensor([0.5, -0.1, 0.6]), 6, True).totable() == \
        [1, 1, 1, 3, 3, 1]
    assert torch.multinomial(torch.Tensor([0.5, -0.1, 0.6]), 6, True).totable() == \
        [3, 3, 3, 1, 3, 1]
    assert torch.multinomial(torch.Tensor([3, -1, 2, 1]), 3).totable() == [1, 4, 3]
    with pytest.raises(TorchError):
        torch.multinomial(torch.Tensor([0, 0]), 1, True)
    with pytest.raises(TorchError):
        torch.exponential()


def test_generators_are_independent_and_copyable():
    import copy
    g = torch.Generator()
    torch.manualSeed(g, 5)
    torch.manualSeed(5)
    h = copy.deepcopy(g)
    assert [torch.random(g) for _ in range(3)] == [torch.random() for _ in range(3)]
    assert [torch.random(h) for _ in range(3)] == _ref_raw(5, 3).tolist()


def test_module_functions_fill_a_tensor_first_argument():
    t = torch.Tensor(5)
    torch.manualSeed(3)
    assert torch.uniform(t, 2, 4) is t
    np.testing.assert_allclose(t.numpy(), _ref_raw(3, 5) / 4294967296.0 * 2 + 2, rtol=1e-15)


# -- what nn's constructors need (parity case nn_reset_seed, generator side only) ------------------
def test_nn_reset_seed_draws():
    want = golden("nn_reset_seed")
    # nn.Linear(5, 3): weight:uniform(-stdv, stdv), bias:uniform(-stdv, stdv), stdv = 1/sqrt(5)
    torch.manualSeed(1)
    stdv = 1 / math.sqrt(5)
    w = torch.Tensor(3, 5).uniform(-stdv, stdv)
    b = torch.Tensor(3).uniform(-stdv, stdv)
    assert_golden([[w, b], torch.uniform()],
                  [want["linear"]["params"], want["linear"]["next_uniform"]], "linear")
    # nn.LookupTable(4, 3): weight:normal(0, 1)
    torch.manualSeed(15)
    w = torch.Tensor(4, 3).normal(0, 1)
    assert_golden([[w], torch.uniform()],
                  [want["lookup"]["params"], want["lookup"]["next_uniform"]], "lookup")
    torch.manualSeed(41)
    got = [torch.rand(3), torch.randn(2), torch.random(), torch.random(10), torch.uniform(2, 4),
           torch.normal(1, 2), torch.bernoulli(0.3)]
    assert_golden(got, want["rand_after_seed"], "rand_after_seed")


def test_generator_serializes_its_struct():
    g = torch.Generator()
    torch.manualSeed(g, 77)
    torch.normal(g)
    data = torch.serialize(g)
    assert torch.getRNGState(g).numpy().tobytes() in data
    h = torch.deserialize(data)
    assert isinstance(h, type(g))
    assert [torch.normal(h), torch.random(h)] == [torch.normal(g), torch.random(g)]
