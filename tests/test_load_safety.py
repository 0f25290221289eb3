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
