"""torch's generator is the reference MT19937 seeded by init_genrand (THRandom.c): draws of any
sizes, crossing the 624-word blocks in either of _draws' two ways (blocks twisted here for a
few, numpy's bit generator for many), give the stream numpy's legacy RandomState(seed) gives
for the same seed (its init_genrand seeding), one word after the other."""
import numpy as np

import torch7py as torch


def _reference(seed, n):
    return np.random.RandomState(seed)._bit_generator.random_raw(n).astype(np.uint64)


def test_draws_of_any_size_continue_one_stream():
    from torch7py.random import Generator
    sizes = [1, 5, 623, 624, 625, 1300, 3000, 2496, 2497, 4992, 5000, 7, 1248, 0, 3, 20000]
    g = Generator()
    g._manual_seed(77)
    got = np.concatenate([g._draws(m) for m in sizes] + [np.array([g._draw() for _ in range(700)],
                                                                   dtype=np.uint64)])
    np.testing.assert_array_equal(got, _reference(77, sum(sizes) + 700))


def test_rand_of_small_tensors_is_the_stream_over_2_32():
    torch.manualSeed(1234)
    got = np.concatenate([torch.rand(m, n).numpy().reshape(-1)
                          for m in range(1, 30, 7) for n in range(1, 40, 9)])
    np.testing.assert_array_equal(got, _reference(1234, got.size) / 2.0 ** 32)
    # the classic first word of MT19937 at its default seed
    assert _reference(5489, 1)[0] == 3499211612
