"""Loading never kills the process and saving never leaves debris (issue 17): a file that
changes under the reader, save's temporary files and their clean-up."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import torch7py as torch
from torch7py.serialization import SerializationError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run_child(code, tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=str(tmp_path),
                          env=env, capture_output=True, text=True, timeout=120)


def test_file_truncated_after_open_is_a_loader_error_not_sigbus(tmp_path):
    # With a memory map, the pages past the new end of the file kill the reader (SIGBUS).
    # The reader runs in a child so that a crash is seen as a return code, not our death.
    code = """
    import os, numpy as np, torch7py as torch
    from torch7py.serialization import SerializationError
    ts = [torch.DoubleTensor(torch.DoubleStorage(np.arange(1000.0) + i)) for i in range(300)]
    torch.save('big.t7', ts)
    f = torch.DiskFile('big.t7', 'r')
    f.binary()
    os.truncate('big.t7', 4096)          # another process rewriting it in place
    try:
        f.readObject()
        print('LOADED')
    except SerializationError as e:
        print('ERROR', e)
    """
    res = _run_child(code, tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("ERROR"), res.stdout


def test_file_rewritten_by_another_process_during_loads(tmp_path):
    # A writer process rewrites the file in place (truncate, then write) while this process
    # loads it in a loop: every load returns the object or raises the loader's error.
    path = tmp_path / "ckpt.t7"
    data = np.arange(1 << 16, dtype=np.float64)
    torch.save(str(path), torch.DoubleTensor(torch.DoubleStorage(data)))
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        blob = open(sys.argv[1], 'rb').read()
        end = time.time() + 2.0
        while time.time() < end:
            with open(sys.argv[1], 'r+b') as f:
                f.truncate(0)
                f.write(blob[:len(blob) // 3])
                f.flush()
                f.write(blob[len(blob) // 3:])
        """), str(path)])
    outcomes = {"ok": 0, "error": 0}
    try:
        while writer.poll() is None:
            try:
                t = torch.load(str(path))
                np.testing.assert_array_equal(t.numpy(), data)
                outcomes["ok"] += 1
            except SerializationError:
                outcomes["error"] += 1
    finally:
        writer.wait(timeout=30)
    assert writer.returncode == 0
    assert sum(outcomes.values()) > 0


def test_load_reads_past_large_storages_and_back(tmp_path):
    # Large storages go straight from the file to their buffer; the objects around them and
    # a second reference to the same storage still read correctly.
    big = torch.DoubleTensor(torch.DoubleStorage(np.arange(300000, dtype=np.float64)))
    obj = {"a": big, "b": big.narrow(1, 10, 5), "c": [1, 2.5, "x"],
           "d": torch.FloatTensor(torch.FloatStorage(np.ones(500000, np.float32)))}
    for fmt in ("binary", "ascii"):
        path = str(tmp_path / ("m_%s.t7" % fmt))
        torch.save(path, obj, fmt)
        back = torch.load(path, fmt)
        np.testing.assert_array_equal(back["a"].numpy(), np.arange(300000))
        assert back["b"].storage() is back["a"].storage()
        np.testing.assert_array_equal(back["b"].numpy(), np.arange(9, 14))
        assert back["c"] == [1, 2.5, "x"]
        assert float(back["d"].sum()) == 500000.0


def test_save_leaves_no_temp_file_when_writing_fails(tmp_path):
    class Boom:
        def _t7_fields(self):
            raise RuntimeError("boom")

    path = tmp_path / "x.t7"
    with pytest.raises(Exception):
        torch.save(str(path), {"a": Boom()})
    assert os.listdir(tmp_path) == []


def test_save_removes_stale_temp_files_of_killed_savers(tmp_path):
    # A save killed mid-way (SIGKILL: no Python-level clean-up) leaves its temporary file;
    # the next save to the same path removes it, and leaves other files alone.
    code = """
    import os, signal, torch7py as torch
    from torch7py.serialization import files
    real = files.DiskFile.writeObject
    def die(self, obj):
        real(self, obj)
        os.kill(os.getpid(), signal.SIGKILL)
    files.DiskFile.writeObject = die
    torch.save('ckpt.t7', torch.zeros(10))
    """
    res = _run_child(code, tmp_path)
    assert res.returncode == -9
    left = sorted(os.listdir(tmp_path))
    assert len(left) == 1 and left[0].startswith(".ckpt.t7.") and left[0].endswith(".tmp")
    (tmp_path / "other.t7").write_bytes(b"keep")
    (tmp_path / ".ckpt.t7.unrelated").write_bytes(b"keep")
    torch.save(str(tmp_path / "ckpt.t7"), torch.ones(3))
    assert sorted(os.listdir(tmp_path)) == [".ckpt.t7.unrelated", "ckpt.t7", "other.t7"]
    np.testing.assert_array_equal(torch.load(str(tmp_path / "ckpt.t7")).numpy(), np.ones(3))


def test_save_does_not_remove_the_temp_file_of_a_live_saver(tmp_path):
    live = tmp_path / (".ckpt.t7.t7tmp.%d.abc.tmp" % os.getpid())
    live.write_bytes(b"in progress")
    torch.save(str(tmp_path / "ckpt.t7"), torch.ones(2))
    assert live.exists()


def test_save_fsyncs_file_and_folder(tmp_path, monkeypatch):
    synced = []
    real = os.fsync

    def spy(fd):
        synced.append(os.path.realpath("/proc/self/fd/%d" % fd) if os.path.exists(
            "/proc/self/fd/%d" % fd) else fd)
        return real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    path = tmp_path / "y.t7"
    torch.save(str(path), torch.ones(4))
    assert len(synced) >= 2
    assert os.path.realpath(str(tmp_path)) in synced


def _fields_file(typename, fields, version):
    """The bytes of one Torch object of `typename` with `fields`, written by hand in the
    binary format (type 4, index, "V n", class name, then its field table)."""
    import struct
    out = bytearray()

    def i32(v):
        out.extend(struct.pack("<i", v))

    def string(b):
        i32(len(b))
        out.extend(b)

    index = [0]

    def value(v):
        if isinstance(v, str):
            i32(2)
            string(v.encode())
        elif isinstance(v, bool):
            i32(5)
            i32(int(v))
        elif isinstance(v, (int, float)):
            i32(1)
            out.extend(struct.pack("<d", v))
        elif isinstance(v, dict):
            i32(3)
            index[0] += 1
            i32(index[0])
            i32(len(v))
            for k, x in v.items():
                value(k)
                value(x)
        else:
            raise TypeError(v)

    i32(4)
    index[0] += 1
    i32(index[0])
    string(b"V %d" % version)
    string(typename.encode())
    value(fields)
    return bytes(out)


def test_bn_version1_with_a_non_tensor_running_std_is_refused_before_use():
    # BN:read of version 1 turns running_std into running_var: a crafted file made the reader
    # call what the file put there. Now the type is checked first.
    data = _fields_file("nn.BatchNormalization",
                        {"eps": 1e-5, "running_std": {"numpy": "not a tensor"}}, 1)
    with pytest.raises(SerializationError, match=r"<nn.BatchNormalization>.*running_std"):
        torch.deserialize(data)


def test_bn_version1_with_a_tensor_running_std_becomes_running_var():
    from torch7py import nn
    bn = nn.BatchNormalization(3)
    std = torch.DoubleTensor(torch.DoubleStorage([2.0, 4.0, 0.5]))
    bn.running_std = std
    del bn.running_var
    data = bytearray(torch.serialize(bn))
    data = data.replace(b"V 2", b"V 1", 1)
    back = torch.deserialize(bytes(data))
    np.testing.assert_allclose(back.running_var.numpy(),
                               1 / np.array([2.0, 4.0, 0.5]) ** 2 - bn.eps)


def test_tensor_with_more_than_64_dimensions_is_a_loader_error():
    t = torch.zeros(2)
    data = bytearray(torch.serialize(t))
    # the tensor's dimension count follows its class name
    name = b"torch.DoubleTensor"
    at = data.index(name) + len(name)
    assert data[at:at + 4] == b"\x01\x00\x00\x00"
    data[at:at + 4] = (65).to_bytes(4, "little")
    data[at + 4:at + 4] = b"\x01" + b"\x00" * 7 + b"\x01" + b"\x00" * 7  # room for the sizes
    with pytest.raises(SerializationError, match="65 dimensions"):
        torch.deserialize(bytes(data))


def test_ascii_length_of_2_to_the_40_is_an_error_not_an_empty_string():
    data = torch.serialize("abc", "ascii")
    assert data == b"2\n3\nabc\n"
    with pytest.raises(SerializationError, match="out of range"):
        torch.deserialize(b"2\n1099511627776\nabc\n", "ascii")


def test_generator_with_a_bad_state_is_a_loader_error():
    g = torch.Generator()
    data = bytearray(torch.serialize(g))
    # the stream ends with THGenerator's 5048 state bytes; `seeded` is the int at offset 12
    at = len(data) - 5048 + 12
    assert data[at:at + 4] == b"\x01\x00\x00\x00"
    data[at:at + 4] = b"\x00\x00\x00\x00"
    with pytest.raises(SerializationError, match=r"<torch.Generator>.*Invalid RNG state"):
        torch.deserialize(bytes(data))


# -- nn bad inputs that escaped as numpy's ValueError (issue 17) --------------------------------

def test_euclidean_input_of_the_wrong_size_fails_as_its_view_does():
    from torch7py import nn
    from torch7py.storage import TorchError
    m = nn.Euclidean(5, 3)
    with pytest.raises(TorchError, match=r"^Wrong size for view\. Input size: 4\. "
                                         r"Output size: 5x1$"):
        m.forward(torch.randn(4))
    with pytest.raises(TorchError, match=r"Input size: 2x4\. Output size: 2x5x1$"):
        m.forward(torch.randn(2, 4))
    # the module still works afterwards
    x = torch.randn(5)
    expected = np.sqrt(((x.numpy()[:, None] - m.weight.numpy()) ** 2).sum(0))
    np.testing.assert_allclose(m.forward(x).numpy(), expected)


def test_softmax_of_an_empty_tensor_is_thnns_dimension_error():
    from torch7py import nn
    from torch7py.storage import TorchError
    for cls in (nn.SoftMax, nn.LogSoftMax):
        with pytest.raises(TorchError, match=r"bad argument #2 to 'v' \(1D, 2D, 3D or 4D"):
            cls().forward(torch.Tensor())


def test_dropout_backward_with_a_wrong_size_gradoutput_is_cmuls_size_error():
    from torch7py import nn
    from torch7py.storage import TorchError
    d = nn.Dropout(0.5)
    d.forward(torch.randn(5))
    with pytest.raises(TorchError, match=r"inconsistent tensor size, expected r_ \[3\], t \[3\] "
                                         r"and src \[5\]"):
        d.backward(torch.randn(5), torch.randn(3))
    go = torch.randn(5)
    np.testing.assert_array_equal(d.backward(torch.randn(5), go).numpy(),
                                  go.numpy() * d.noise.numpy())


def test_an_instance_field_holding_a_function_is_refused_in_python_and_th(tmp_path):
    # A file whose module carries its own updateOutput (an instance field overriding the
    # method): loading it ran the file's code on m:forward / print(m). Now the load refuses
    # the function, from Python and from th, unless the caller opts in.
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    path = str(tmp_path / "m.t7")
    rt = LuaRuntime()
    rt.globals.p = path
    rt.execute("""
        require 'nn'
        local m = nn.Linear(2, 2)
        m.updateOutput = function(self, x) os.exit(3) end
        torch.save(p, m)""")
    with pytest.raises(SerializationError, match=r"updateOutput.*allow_functions"):
        torch.load(path)
    rt = LuaRuntime()
    rt.globals.p = path
    ok, err = rt.execute("require 'nn'; return pcall(torch.load, p)")
    assert ok is False and "cannot read <nn.Linear>.updateOutput at byte offset" in err


def test_truncated_files_give_thdiskfile_read_errors_in_th(tmp_path):
    # THDiskFile.c: a read that gets fewer blocks than asked fails with "read error: read %d
    # blocks instead of %d" (Torch7's torch.load of a truncated file shows that text); Python's
    # loader error keeps the object path and offset
    lupa = pytest.importorskip("lupa")  # noqa: F841
    from compat.runtime import LuaRuntime
    import torch7py as torch
    full = tmp_path / "full.t7"
    torch.save(str(full), torch.Tensor(10).fill(1.5))
    data = full.read_bytes()
    cut_head, cut_storage = tmp_path / "head.t7", tmp_path / "storage.t7"
    cut_head.write_bytes(data[:40])          # inside the tensor's header: 0 of 1 int
    cut_storage.write_bytes(data[:-8])       # the last double missing: 9 of 10
    rt = LuaRuntime()
    r = rt.execute("return select(2, pcall(torch.load, %r)), select(2, pcall(torch.load, %r))"
                   % (str(cut_head), str(cut_storage)))
    assert [str(m).split(": ", 1)[-1] if ".lua:" in str(m) else str(m) for m in r] == [
        "read error: read 0 blocks instead of 1", "read error: read 9 blocks instead of 10"]
    with pytest.raises(Exception, match=r"cannot read .* at byte offset \d+"):
        torch.load(str(cut_storage))
