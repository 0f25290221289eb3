"""Mechanisms found by the second sweep of real-world .t7 files (docs/t7_sweep.md), each on a
small synthetic file built here byte by byte or written by torch7py: files written with 4-byte
longs (File.lua's 'b32' mode). The fetched files themselves are never part of the tests."""
import struct

import numpy as np
import pytest

import torch7py as torch
from torch7py.serialization import SerializationError


def _int(v):
    return struct.pack('<i', v)


def _str(s):
    return _int(2) + _int(len(s)) + s.encode()


def _obj(index, name):
    return _int(4) + _int(index) + _int(3) + b'V 1' + _int(len(name)) + name.encode()


def _b32_table_with_a_tensor():
    # {x = torch.DoubleTensor{1.5, -2}} as Torch7 writes it where a C long has 4 bytes: the
    # tensor's sizes, strides and offset, and the storage's size, are 4-byte integers
    return (_int(3) + _int(1) + _int(1) + _str('x') + _obj(2, 'torch.DoubleTensor') +
            _int(1) + _int(2) + _int(1) + _int(1) +
            _obj(3, 'torch.DoubleStorage') + _int(2) + struct.pack('<2d', 1.5, -2.0))


def test_b32_mode_reads_files_written_with_4_byte_longs(tmp_path):
    p = tmp_path / 'b32.t7'
    p.write_bytes(_b32_table_with_a_tensor())
    t = torch.load(str(p), 'b32')
    assert list(t) == ['x'] and t['x'].numpy().tolist() == [1.5, -2.0]
    assert t['x'].storage().size() == 2


def test_binary_load_of_a_b32_file_names_the_mode_that_reads_it(tmp_path):
    p = tmp_path / 'b32.t7'
    p.write_bytes(_b32_table_with_a_tensor())
    with pytest.raises(SerializationError, match="load it with mode 'b32'"):
        torch.load(str(p))


def test_b64_mode_is_binary_with_8_byte_longs_and_bad_modes_are_refused(tmp_path):
    p = tmp_path / 'b64.t7'
    x = torch.DoubleTensor(2, 3)
    x.numpy()[...] = np.arange(6).reshape(2, 3)
    torch.save(str(p), {'w': x})
    assert torch.load(str(p), 'b64')['w'].numpy().tolist() == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(ValueError, match='"binary", "b32", "b64" or "ascii"'):
        torch.load(str(p), 'b16')


def test_a_file_that_is_not_b32_either_keeps_its_own_error(tmp_path):
    p = tmp_path / 'cut.t7'
    p.write_bytes(_b32_table_with_a_tensor()[:-4])
    with pytest.raises(SerializationError) as e:
        torch.load(str(p), 'binary')
    assert 'b32' not in str(e.value)


def test_th_torch_load_takes_the_b32_mode(tmp_path):
    pytest.importorskip('lupa')
    from compat.runtime import LuaRuntime
    p = tmp_path / 'b32.t7'
    p.write_bytes(_b32_table_with_a_tensor())
    rt = LuaRuntime()
    got = rt.execute("require 'torch'; local t = torch.load(%r, 'b32') "
                     "return {torch.typename(t.x), t.x[1], t.x[2]}" % str(p))
    assert got == ['torch.DoubleTensor', 1.5, -2]
