"""Tests for torch7py.printing against the print_format / print_types_dims goldens of Torch7."""
import itertools
import math
import time

import numpy as np
import pytest

from torch7py.printing import format_storage, format_tensor

# Exact strings recorded on the reference Torch7 (parity goldens print_format.json and
# print_types_dims.json; the big_* entries are derived numbers and slices of the text).
PRINT_FORMAT = {
    'big_matrix_head': (
        'Columns 1 to 13\n'
        '    1     2     3     4     5     6     7     8     9    10    11    12    13\n'
        '   51    52    53    54   '
    ),
    'big_matrix_len': 15105,
    'big_matrix_lines': 208,
    'big_vector_lines': 1201,
    'big_vector_tail': ' 1200\n[torch.DoubleTensor of size 1200]\n',
    'cube_scale': (
        '(1,.,.) = \n'
        ' 0.0001 *\n'
        '   1.0000  2.0000\n'
        '\n'
        '(2,.,.) = \n'
        ' 0.0001 *\n'
        '   3.0000  4.0000\n'
        '[torch.DoubleTensor of size 2x1x2]\n'
    ),
    'double_third': ' 0.3333\n 0.6667\n[torch.DoubleTensor of size 2]\n',
    'exp_mode': ' 1.0000e-08\n 1.0000e+00\n 1.0000e+08\n[torch.DoubleTensor of size 3]\n',
    'exp_mode_big': ' 1.0000e-120\n  1.0000e+00\n[torch.DoubleTensor of size 2]\n',
    'float_point_one': ' 0.1000\n[torch.FloatTensor of size 1]\n',
    'float_third': ' 0.3333\n 0.6667\n[torch.FloatTensor of size 2]\n',
    'frac_tens': ' 12.5000\n -3.2500\n[torch.DoubleTensor of size 2]\n',
    'frac_thousands': ' 1234.5000\n    0.5000\n[torch.DoubleTensor of size 2]\n',
    'frac_unit': ' 0.5000\n 1.2500\n-2.7500\n[torch.DoubleTensor of size 3]\n',
    'int_valued_double': ' 3\n 4\n 5\n[torch.DoubleTensor of size 3]\n',
    'ints_huge': ' 1.0000e+10\n 2.0000e+00\n[torch.DoubleTensor of size 2]\n',
    'ints_small': ' 0\n 1\n-1\n[torch.DoubleTensor of size 3]\n',
    'ints_wide': '     1\n    22\n   333\n  4444\n-55555\n[torch.DoubleTensor of size 5]\n',
    'ints_zero': ' 0\n 0\n[torch.DoubleTensor of size 2]\n',
    'mat_big_scale': (
        ' 1.0000e+06  2.5000e+00\n'
        ' 3.0000e+00  4.0000e+00\n'
        '[torch.DoubleTensor of size 2x2]\n'
    ),
    'mat_exp': (
        ' 1.0000e-09  1.0000e+00\n'
        ' 1.0000e+09  2.0000e+00\n'
        '[torch.DoubleTensor of size 2x2]\n'
    ),
    'mat_neg': '-1.5000  2.0000\n 3.0000 -4.2500\n[torch.DoubleTensor of size 2x2]\n',
    'mat_scale': '0.001 *\n  1.0000  2.0000\n  3.0000  4.5000\n[torch.DoubleTensor of size 2x2]\n',
    'nan_inf': 'nan\n1.000000\ninf\n[torch.DoubleTensor of size 3]\n',
    'neg_inf': '        -inf\n  2.5000e+00\n[torch.DoubleTensor of size 2]\n',
    'negative_frac': '0.001 *\n-1.0000\n-2.0000\n[torch.DoubleTensor of size 2]\n',
    'one_fraction': ' 3.0000\n 4.0000\n 5.5000\n[torch.DoubleTensor of size 3]\n',
    'only_nan': 'nan\n[torch.DoubleTensor of size 1]\n',
    'scale_big': ' 1.2346e+05\n 2.5000e+00\n[torch.DoubleTensor of size 2]\n',
    'scale_big2': ' 1500000\n 2500000\n[torch.DoubleTensor of size 2]\n',
    'scale_small': '1e-05 *\n 1.0000\n 2.5000\n-3.0000\n[torch.DoubleTensor of size 3]\n',
    'scale_small_mixed': '0.001 *\n 1.0000\n 0.5000\n[torch.DoubleTensor of size 2]\n',
    'storage_exp': ' 1.0000e-07\n 5.0000e+00\n[torch.DoubleStorage of size 2]\n',
    'storage_frac': '   0.2500\n 100.5000\n[torch.DoubleStorage of size 2]\n',
    'storage_int_huge': ' 1.2346e+10\n 1.0000e+00\n[torch.LongStorage of size 2]\n',
    'storage_scale': '1e-06 *\n 1.0000\n 3.0000\n[torch.DoubleStorage of size 2]\n',
    'tiny_only': '0.01 *\n 1.0000\n 2.0000\n[torch.DoubleTensor of size 2]\n',
    'wide_3d': (
        '(1,.,.) = \n'
        ' Columns 1 to 11\n'
        '   1000   2000   3000   4000   5000   6000   7000   8000   9000  10000  11000\n'
        '\n'
        'Columns 12 to 22\n'
        '  12000  13000  14000  15000  16000  17000  18000  19000  20000  21000  22000\n'
        '\n'
        'Columns 23 to 30\n'
        '  23000  24000  25000  26000  27000  28000  29000  30000\n'
        '\n'
        '(2,.,.) = \n'
        ' Columns 1 to 11\n'
        '  31000  32000  33000  34000  35000  36000  37000  38000  39000  40000  41000\n'
        '\n'
        'Columns 12 to 22\n'
        '  42000  43000  44000  45000  46000  47000  48000  49000  50000  51000  52000\n'
        '\n'
        'Columns 23 to 30\n'
        '  53000  54000  55000  56000  57000  58000  59000  60000\n'
        '[torch.DoubleTensor of size 2x1x30]\n'
    ),
    'wide_fracs': (
        'Columns 1 to 8\n'
        '  0.5000   1.0000   1.5000   2.0000   2.5000   3.0000   3.5000   4.0000\n'
        '  6.5000   7.0000   7.5000   8.0000   8.5000   9.0000   9.5000  10.0000\n'
        '\n'
        'Columns 9 to 12\n'
        '  4.5000   5.0000   5.5000   6.0000\n'
        ' 10.5000  11.0000  11.5000  12.0000\n'
        '[torch.DoubleTensor of size 2x12]\n'
    ),
    'wide_ints': (
        '  1   2   3   4   5   6   7   8   9  10  11  12  13  14  15  16  17  18  19  20\n'
        ' 21  22  23  24  25  26  27  28  29  30  31  32  33  34  35  36  37  38  39  40\n'
        '[torch.DoubleTensor of size 2x20]\n'
    ),
}

PRINT_TYPES_DIMS = {
    'byte_storage_string': ' 97\n 98\n[torch.ByteStorage of size 2]\n',
    'empty_Byte': '[torch.ByteTensor with no dimension]\n',
    'empty_Char': '[torch.CharTensor with no dimension]\n',
    'empty_Double': '[torch.DoubleTensor with no dimension]\n',
    'empty_Float': '[torch.FloatTensor with no dimension]\n',
    'empty_Int': '[torch.IntTensor with no dimension]\n',
    'empty_Long': '[torch.LongTensor with no dimension]\n',
    'empty_Short': '[torch.ShortTensor with no dimension]\n',
    'empty_storage': '[torch.DoubleStorage of size 0]\n',
    'expanded': ' 1  1  1\n 2  2  2\n[torch.DoubleTensor of size 2x3]\n',
    'float_storage': ' 0.1000\n 2.5000\n[torch.FloatStorage of size 2]\n',
    'mat_Byte': '   1    2    3\n   4    5  126\n[torch.ByteTensor of size 2x3]\n',
    'mat_Char': '   1    2    3\n   4    5  126\n[torch.CharTensor of size 2x3]\n',
    'mat_Double': '   1    2    3\n   4    5  126\n[torch.DoubleTensor of size 2x3]\n',
    'mat_Float': '   1    2    3\n   4    5  126\n[torch.FloatTensor of size 2x3]\n',
    'mat_Int': '   1    2    3\n   4    5  126\n[torch.IntTensor of size 2x3]\n',
    'mat_Long': '   1    2    3\n   4    5  126\n[torch.LongTensor of size 2x3]\n',
    'mat_Short': '   1    2    3\n   4    5  126\n[torch.ShortTensor of size 2x3]\n',
    'narrowed': ' 2  3\n 5  6\n[torch.DoubleTensor of size 2x2]\n',
    'one_elem_1d': ' 42\n[torch.DoubleTensor of size 1]\n',
    'one_elem_2d': ' 42\n[torch.DoubleTensor of size 1x1]\n',
    'one_elem_frac': ' 0.5000\n[torch.DoubleTensor of size 1]\n',
    'size_storage': ' 3\n 4\n 5\n[torch.LongStorage of size 3]\n',
    'size_with_zero': ' 1\n 1\n[torch.DoubleTensor of size 2]\n',
    'storage_Byte': ' 7\n 8\n 9\n[torch.ByteStorage of size 3]\n',
    'storage_Char': ' 7\n 8\n 9\n[torch.CharStorage of size 3]\n',
    'storage_Double': ' 7\n 8\n 9\n[torch.DoubleStorage of size 3]\n',
    'storage_Float': ' 7\n 8\n 9\n[torch.FloatStorage of size 3]\n',
    'storage_Int': ' 7\n 8\n 9\n[torch.IntStorage of size 3]\n',
    'storage_Long': ' 7\n 8\n 9\n[torch.LongStorage of size 3]\n',
    'storage_Short': ' 7\n 8\n 9\n[torch.ShortStorage of size 3]\n',
    'stride_storage': ' 20\n  5\n  1\n[torch.LongStorage of size 3]\n',
    'tensor3d': (
        '(1,.,.) = \n'
        '   1   2   3\n'
        '   4   5   6\n'
        '\n'
        '(2,.,.) = \n'
        '   7   8   9\n'
        '  10  11  12\n'
        '[torch.DoubleTensor of size 2x2x3]\n'
    ),
    'tensor3d_float': (
        '(1,.,.) = \n'
        '  0.5000  0.5000\n'
        '\n'
        '(2,.,.) = \n'
        '  0.5000  0.5000\n'
        '[torch.FloatTensor of size 2x1x2]\n'
    ),
    'tensor3d_long': '(1,.,.) = \n -3 -3\n -3 -3\n[torch.LongTensor of size 1x2x2]\n',
    'tensor4d': (
        '(1,1,.,.) = \n'
        '   1   2\n'
        '   3   4\n'
        '\n'
        '(2,1,.,.) = \n'
        '   9  10\n'
        '  11  12\n'
        '\n'
        '(1,2,.,.) = \n'
        '   5   6\n'
        '   7   8\n'
        '\n'
        '(2,2,.,.) = \n'
        '  13  14\n'
        '  15  16\n'
        '[torch.DoubleTensor of size 2x2x2x2]\n'
    ),
    'transposed': ' 1  4\n 2  5\n 3  6\n[torch.DoubleTensor of size 3x2]\n',
    'vec_Byte': '  1\n  2\n  3\n 10\n[torch.ByteTensor of size 4]\n',
    'vec_Char': '  1\n  2\n  3\n 10\n[torch.CharTensor of size 4]\n',
    'vec_Char_neg': '  -1\n   5\n-128\n[torch.CharTensor of size 3]\n',
    'vec_Double': '  1\n  2\n  3\n 10\n[torch.DoubleTensor of size 4]\n',
    'vec_Float': '  1\n  2\n  3\n 10\n[torch.FloatTensor of size 4]\n',
    'vec_Int': '  1\n  2\n  3\n 10\n[torch.IntTensor of size 4]\n',
    'vec_Int_big': ' 123456789\n        -2\n[torch.IntTensor of size 2]\n',
    'vec_Long': '  1\n  2\n  3\n 10\n[torch.LongTensor of size 4]\n',
    'vec_Long_neg': '  -100\n     5\n 12345\n[torch.LongTensor of size 3]\n',
    'vec_Short': '  1\n  2\n  3\n 10\n[torch.ShortTensor of size 4]\n',
}

D = 'torch.DoubleTensor'
TYPES = {
    'Byte': np.uint8, 'Char': np.int8, 'Short': np.int16, 'Int': np.int32,
    'Long': np.int64, 'Float': np.float32, 'Double': np.float64,
}


def vec(*values, dtype=np.float64):
    return np.array(values, dtype=dtype)


NAN, INF = math.nan, math.inf

# print_format.lua, key by key: (array, typename, is_storage)
FORMAT_CASES = {
    'ints_small': (vec(0, 1, -1), D),
    'ints_wide': (vec(1, 22, 333, 4444, -55555), D),
    'ints_huge': (vec(1e10, 2), D),
    'ints_zero': (np.zeros(2), D),
    'frac_unit': (vec(0.5, 1.25, -2.75), D),
    'frac_tens': (vec(12.5, -3.25), D),
    'frac_thousands': (vec(1234.5, 0.5), D),
    'scale_big': (vec(123456.7, 2.5), D),
    'scale_big2': (vec(1.5e6, 2.5e6), D),
    'scale_small': (vec(1e-5, 2.5e-5, -3e-5), D),
    'scale_small_mixed': (vec(0.001, 0.0005), D),
    'exp_mode': (vec(1e-8, 1, 1e8 + 0.5), D),
    'exp_mode_big': (vec(1e-120, 1), D),
    'tiny_only': (vec(0.01, 0.02), D),
    'negative_frac': (vec(-0.001, -0.002), D),
    'nan_inf': (vec(NAN, 1, INF), D),
    'only_nan': (vec(NAN), D),
    'neg_inf': (vec(-INF, 2.5), D),
    'mat_scale': (np.array([[1e-3, 2e-3], [3e-3, 4.5e-3]]), D),
    'mat_big_scale': (np.array([[1e6, 2.5], [3, 4]]), D),
    'mat_exp': (np.array([[1e-9, 1], [1e9 + 0.5, 2]]), D),
    'mat_neg': (np.array([[-1.5, 2], [3, -4.25]]), D),
    'cube_scale': (np.array([[[1e-4, 2e-4]], [[3e-4, 4e-4]]]), D),
    'float_third': (vec(1 / 3, 2 / 3, dtype=np.float32), 'torch.FloatTensor'),
    'double_third': (vec(1 / 3, 2 / 3), D),
    'wide_ints': (np.arange(1, 41, dtype=np.float64).reshape(2, 20), D),
    'wide_fracs': (np.arange(1, 25, dtype=np.float64).reshape(2, 12) * 0.5, D),
    'wide_3d': (np.arange(1, 61, dtype=np.float64).reshape(2, 1, 30) * 1000, D),
    'int_valued_double': (vec(3, 4, 5), D),
    'one_fraction': (vec(3, 4, 5.5), D),
    'float_point_one': (vec(0.1, dtype=np.float32), 'torch.FloatTensor'),
}
FORMAT_STORAGES = {
    'storage_frac': (vec(0.25, 100.5), 'torch.DoubleStorage'),
    'storage_scale': (vec(1e-6, 3e-6), 'torch.DoubleStorage'),
    'storage_exp': (vec(1e-7, 5), 'torch.DoubleStorage'),
    'storage_int_huge': (vec(12345678901, 1, dtype=np.int64), 'torch.LongStorage'),
}


@pytest.mark.parametrize('key', sorted(FORMAT_CASES))
def test_print_format_tensor(key):
    arr, typename = FORMAT_CASES[key]
    assert format_tensor(arr, typename) == PRINT_FORMAT[key]


@pytest.mark.parametrize('key', sorted(FORMAT_STORAGES))
def test_print_format_storage(key):
    arr, typename = FORMAT_STORAGES[key]
    assert format_storage(arr, typename) == PRINT_FORMAT[key]


def test_big_vector_printed_in_full():
    txt = format_tensor(np.arange(1, 1201, dtype=np.float64), D)
    assert txt.count('\n') == PRINT_FORMAT['big_vector_lines']
    assert txt[-40:] == PRINT_FORMAT['big_vector_tail']


def test_big_matrix_columns():
    txt = format_tensor(np.arange(1, 2501, dtype=np.float64).reshape(50, 50), D)
    assert txt.count('\n') == PRINT_FORMAT['big_matrix_lines']
    assert len(txt) == PRINT_FORMAT['big_matrix_len']
    assert txt[:120] == PRINT_FORMAT['big_matrix_head']


def _types_dims_cases():
    cases = {}
    for name, dtype in TYPES.items():
        tname = 'torch.%sTensor' % name
        cases['empty_' + name] = (np.empty(0, dtype=dtype), tname, False)
        cases['vec_' + name] = (vec(1, 2, 3, 10, dtype=dtype), tname, False)
        cases['mat_' + name] = (np.array([[1, 2, 3], [4, 5, 126]], dtype=dtype), tname, False)
        cases['storage_' + name] = (vec(7, 8, 9, dtype=dtype), 'torch.%sStorage' % name, True)
    m = np.arange(1, 7, dtype=np.float64).reshape(2, 3)
    cases.update({
        'vec_Char_neg': (vec(-1, 5, -128, dtype=np.int8), 'torch.CharTensor', False),
        'vec_Long_neg': (vec(-100, 5, 12345, dtype=np.int64), 'torch.LongTensor', False),
        'vec_Int_big': (vec(123456789, -2, dtype=np.int32), 'torch.IntTensor', False),
        'tensor3d': (np.arange(1, 13, dtype=np.float64).reshape(2, 2, 3), D, False),
        'tensor4d': (np.arange(1, 17, dtype=np.float64).reshape(2, 2, 2, 2), D, False),
        'tensor3d_float': (np.full((2, 1, 2), 0.5, np.float32), 'torch.FloatTensor', False),
        'tensor3d_long': (np.full((1, 2, 2), -3, np.int64), 'torch.LongTensor', False),
        'one_elem_1d': (vec(42), D, False),
        'one_elem_2d': (np.array([[42.0]]), D, False),
        'one_elem_frac': (vec(0.5), D, False),
        'size_storage': (vec(3, 4, 5, dtype=np.int64), 'torch.LongStorage', True),
        'stride_storage': (vec(20, 5, 1, dtype=np.int64), 'torch.LongStorage', True),
        'empty_storage': (np.empty(0), 'torch.DoubleStorage', True),
        'float_storage': (vec(0.1, 2.5, dtype=np.float32), 'torch.FloatStorage', True),
        'byte_storage_string': (np.frombuffer(b'ab', np.uint8), 'torch.ByteStorage', True),
        'transposed': (m.T, D, False),
        'narrowed': (m[:, 1:3], D, False),
        'size_with_zero': (np.ones(2), D, False),
        'expanded': (np.broadcast_to(np.array([[1.0], [2.0]]), (2, 3)), D, False),
    })
    return cases


TYPES_DIMS_CASES = _types_dims_cases()


def test_every_golden_key_is_covered():
    covered = set(FORMAT_CASES) | set(FORMAT_STORAGES)
    covered |= {'big_vector_lines', 'big_vector_tail', 'big_matrix_lines', 'big_matrix_len',
                'big_matrix_head'}
    assert covered == set(PRINT_FORMAT)
    assert set(TYPES_DIMS_CASES) == set(PRINT_TYPES_DIMS)


@pytest.mark.parametrize('key', sorted(TYPES_DIMS_CASES))
def test_print_types_dims(key):
    arr, typename, is_storage = TYPES_DIMS_CASES[key]
    fn = format_storage if is_storage else format_tensor
    assert fn(arr, typename) == PRINT_TYPES_DIMS[key]


def test_zero_dim_array_is_no_dimension():
    assert format_tensor(np.float64(3), 'torch.FloatTensor') == \
        '[torch.FloatTensor with no dimension]\n'
    assert format_tensor(np.zeros((3, 0)), D) == '[torch.DoubleTensor with no dimension]\n'


# Expectations below are worked out by hand from Tensor.lua's rules.

def test_nan_matrix_unpadded_and_never_split():
    # NaN gives width 'nan': '%f', no scale line, and all 30 columns on one line.
    arr = np.ones((2, 30))
    arr[1, 29] = NAN
    row0 = ' '.join(['1.000000'] * 30)
    row1 = ' '.join(['1.000000'] * 29 + ['nan'])
    assert format_tensor(arr, D) == '%s\n%s\n[torch.DoubleTensor of size 2x30]\n' % (row0, row1)


def test_nan_storage():
    assert format_storage(vec(2, NAN), 'torch.FloatStorage') == \
        '2.000000\nnan\n[torch.FloatStorage of size 2]\n'


def test_scale_with_columns_repeats_scale_line():
    # 0.001..0.020: expMax=-1 -> scale 0.01, width 7, 80/8 = 10 columns per block.
    arr = (np.arange(1, 21, dtype=np.float64) * 0.001).reshape(1, 20)
    vals = np.arange(1, 21) * 0.001 / 0.01
    b1 = ' '.join('%7.4f' % v for v in vals[:10])
    b2 = ' '.join('%7.4f' % v for v in vals[10:])
    expected = ('Columns 1 to 10\n0.01 *\n ' + b1 + '\n'
                '\nColumns 11 to 20\n0.01 *\n ' + b2 + '\n'
                '[torch.DoubleTensor of size 1x20]\n')
    assert format_tensor(arr, D) == expected


def test_scale_rows_indented_after_first():
    arr = np.array([[1e-3], [2e-3], [3e-3]])
    assert format_tensor(arr, D) == \
        '0.001 *\n  1.0000\n  2.0000\n  3.0000\n[torch.DoubleTensor of size 3x1]\n'


def test_large_scale_factor():
    # expMax = 6, expMin = 5: range within 4 decades, scale 1e5 printed with %g.
    assert format_tensor(vec(123456.5, 23456.5), D) == \
        '100000 *\n 1.2346\n 0.2346\n[torch.DoubleTensor of size 2]\n'


def test_zero_counts_as_one_decade():
    # min |x| = 0 counts as decade 1: {0, 12345.5} spans 5 - 1 = 4 decades, so %f.
    assert format_tensor(vec(0, 12345.5), D) == \
        '     0.0000\n 12345.5000\n[torch.DoubleTensor of size 2]\n'


def test_integer_inf_uses_e_format():
    assert format_tensor(vec(INF, 1), D) == \
        '        inf\n 1.0000e+00\n[torch.DoubleTensor of size 2]\n'


def test_five_dims_first_index_fastest():
    arr = np.arange(1, 25, dtype=np.float64).reshape(2, 3, 2, 2, 1)
    txt = format_tensor(arr, D)
    order = list(itertools.product(range(2), range(3), range(2)))
    headers = ['(%d,%d,%d,.,.) = ' % (i + 1, j + 1, k + 1) for k, j, i in order]
    assert [ln for ln in txt.split('\n') if ln.startswith('(')] == headers
    assert txt.endswith('[torch.DoubleTensor of size 2x3x2x2x1]\n')
    # Second slice is (2,1,1): values 13 and 14 with the whole tensor's width %3d.
    second = txt.split('\n\n')[1]
    assert second == '(2,1,1,.,.) = \n  13\n  14'


def test_big_matrix_is_fast():
    arr = np.random.default_rng(0).standard_normal((1000, 1000))
    start = time.perf_counter()
    txt = format_tensor(arr, D)
    assert time.perf_counter() - start < 5
    assert txt.endswith('[torch.DoubleTensor of size 1000x1000]\n')
