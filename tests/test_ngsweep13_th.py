"""th as a process: a write to a closed pipe ends it by SIGPIPE without a message, as a C
program whose SIGPIPE keeps its default action (`th predict.lua | head -2`)."""
import os
import signal
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.skipif(not hasattr(signal, "SIGPIPE"), reason="no SIGPIPE")
def test_a_closed_pipe_ends_th_silently(tmp_path):
    (tmp_path / "s.lua").write_text("for i = 1, 200000 do print(i) end\n")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.Popen([sys.executable, "-m", "compat.th", "s.lua"], cwd=tmp_path, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = p.stdout.readline()
    p.stdout.close()  # the reader goes away, as head does after its lines
    err = p.stderr.read()
    rc = p.wait(timeout=120)
    assert first == b"1\t\n"
    assert rc == -signal.SIGPIPE
    assert err == b""
