"""__tostring__ texts checked by tools/diff_nn.py against nn's own Lua code (nn 8726825); the
expected strings are read from the Lua format strings."""
import pytest

from torch7py import nn


def test_volumetric_fractional_max_pooling_prints_three_sizes_and_three_pools():
    # '%s(%dx%dx%d, %d,%d,%d)': out (or ratio) T, W, H, then poolSize T, W, H
    assert repr(nn.VolumetricFractionalMaxPooling(2, 3, 4, 5, 6, 7)) == \
        'nn.VolumetricFractionalMaxPooling(5x6x7, 2,3,4)'
    assert repr(nn.VolumetricFractionalMaxPooling(2, 2, 3, 0.5, 0.5, 0.5)) == \
        'nn.VolumetricFractionalMaxPooling(0x0x0, 2,2,3)'


def test_feature_lp_pooling_print_fails_as_string_format_does():
    # '%s(w%d s%d power %d batch %d' with batch_mode nil or a boolean: string.format's error
    # (`return string.format(...)`, a tail call: LuaJIT names it '?', as the reference shows)
    with pytest.raises(RuntimeError, match=r"bad argument #6 to '\?' \(number expected, "
                                           r"got nil\)"):
        repr(nn.FeatureLPPooling(2, 2, 2))
    with pytest.raises(RuntimeError, match=r"got boolean\)"):
        repr(nn.FeatureLPPooling(3, 1, 3, True))
    m = nn.FeatureLPPooling(3, 1, 3)
    m.batch_mode = 1
    assert repr(m) == 'nn.FeatureLPPooling(w3 s1 power 3 batch 1'
