"""What a failed load says about the file: Torch7's ascii format, a Git LFS pointer, an HTML
page, PyTorch's legacy tar archive (File.lua does not guess: the message names the format), and
an object of an unknown class whose body is not a table of fields (2011's nnx classes wrote
themselves with their own write())."""
import io
import struct
import tarfile

import pytest

import torch7py
from torch7py.serialization import SerializationError


def _load_error(path, *args, **kw):
    with pytest.raises(SerializationError) as err:
        torch7py.load(str(path), *args, **kw)
    return str(err.value)


def test_ascii_file_loaded_as_binary_names_the_mode(tmp_path):
    path = tmp_path / 'a.t7'
    torch7py.save(str(path), {'w': torch7py.Tensor([1, 2, 3])}, 'ascii')
    assert "load it with mode 'ascii'" in _load_error(path)
    assert torch7py.load(str(path), 'ascii')['w'].tolist() == [1, 2, 3]
    # a bare number and a string written in ascii start as ascii too
    for value in (3.5, 'text', True):
        torch7py.save(str(path), value, 'ascii')
        assert "mode 'ascii'" in _load_error(path)


@pytest.mark.parametrize('content,says', [
    (b'version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n', 'Git LFS pointer'),
    (b'<!DOCTYPE html>\n<html lang="en"><head></head></html>\n', 'HTML page'),
    (b'\n\n\n<html>\n<body>404</body></html>', 'HTML page'),
])
def test_foreign_text_files(tmp_path, content, says):
    path = tmp_path / 'm.t7'
    path.write_bytes(content)
    assert says in _load_error(path)


def test_legacy_pytorch_tar(tmp_path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w') as tar:
        data = b'\x80\x02}q\x00.'
        info = tarfile.TarInfo('sys_info')
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    path = tmp_path / 'model.t7'
    path.write_bytes(buf.getvalue())
    assert 'tar archive' in _load_error(path)


def test_binary_file_that_fails_keeps_its_own_message(tmp_path):
    path = tmp_path / 'x.t7'
    path.write_bytes(struct.pack('<i', 77) + b'\0' * 12)
    msg = _load_error(path)
    assert 'unknown object type 77' in msg and 'ascii' not in msg


def _string(s):
    b = s.encode()
    return struct.pack('<i', len(b)) + b


def test_unknown_class_whose_body_is_no_table(tmp_path):
    # TORCH object 1 of class nn.OldNormalization (version 1) whose write() wrote a raw tensor
    # size and values instead of a table of fields
    body = struct.pack('<i', 4) + struct.pack('<i', 1) + _string('V 1') + \
        _string('nn.OldNormalization') + struct.pack('<i', 2) + struct.pack('<dd', 0.5, 0.25)
    path = tmp_path / 'old.net'
    path.write_bytes(body)
    msg = _load_error(path, unknown_classes='table')
    assert '<nn.OldNormalization> is a class torch7py does not know' in msg
    assert 'own write()' in msg
    # refused as Torch7 refuses it without the class, as before
    assert 'unknown Torch class <nn.OldNormalization>' in _load_error(path,
                                                                     unknown_classes='error')
