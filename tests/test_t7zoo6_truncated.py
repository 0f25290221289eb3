"""A file cut short (robotsorcerer/FARNN committed 5 models whose save did not finish: 7937,
11030, 11858, 33920 and 49152 bytes, the last a 48 KiB buffer) fails saying so, wherever the
read stops: in a block of bytes, in a tensor's numbers, in an unknown class's fields."""
import struct

import pytest

import torch7py
from torch7py import nn
from torch7py.serialization import SerializationError
from torch7py.serialization.objects import TorchObject


def _cut(obj, keep):
    data = bytes(torch7py.serialize(obj))
    return data[:keep] if keep > 0 else data[:len(data) + keep]


def test_a_file_cut_in_a_tensor_says_it_is_cut_short():
    torch7py.setdefaulttensortype('torch.DoubleTensor')
    data = _cut(nn.Sequential().add(nn.Linear(4, 3)), -5)
    with pytest.raises(SerializationError) as e:
        torch7py.deserialize(data)
    text = str(e.value)
    assert 'cut short' in text and '%d bytes in all' % len(data) in text
    # th shows Torch7's own text, without the note
    assert 'cut short' not in getattr(e.value, 'torch7_message', '') or ''


def test_a_file_cut_at_an_object_boundary_says_the_file_ends_here():
    data = _cut({'a': 1.0, 'b': 'xyz'}, -4)      # cut inside the last string
    with pytest.raises(SerializationError, match='the file ends'):
        torch7py.deserialize(data)


def test_an_unknown_class_cut_short_is_not_blamed_on_its_write():
    obj = TorchObject('nn.SomethingOfAProject')
    obj.update({'weight': torch7py.DoubleTensor(3).fill(1), 'n': 3})
    data = _cut(obj, -3)
    with pytest.raises(SerializationError) as e:
        torch7py.deserialize(data, unknown_classes='table')
    assert 'cut short' in str(e.value)
    assert 'its own write()' not in str(e.value)


def test_a_size_past_the_end_with_bytes_left_is_not_called_cut_short():
    """A string claiming a million bytes where 100 remain: a corrupt count, not a cut."""
    data = struct.pack('<ii', 2, 10 ** 6) + b'x' * 100
    with pytest.raises(SerializationError) as e:
        torch7py.deserialize(data)
    assert 'cut short' not in str(e.value)
