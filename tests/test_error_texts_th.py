"""TH's error texts of files, convolutions and tensor functions, one test per family, each
expectation the C format of the checkouts (read by tools/c_messages.py) filled with the values
Torch7 prints. TH's argument checks show as `bad argument #n to '?' (msg)` from Python (the Lua
layer names them as LuaJIT does: a method call `f:seek(0)` counts no self). Skips without the
checkouts (TORCH7_DIR, NN_DIR)."""
import os

import pytest
import test_error_texts_c as base
from test_error_texts_c import _c_format, _find, expected, raised

import torch7py as torch

R = torch.randn


@pytest.fixture(scope="module")
def messages():
    return base.messages.__wrapped__()


def test_disk_and_memory_files(messages, tmp_path):
    df, mf = "THDiskFile.c", "THMemoryFile.c"
    p = str(tmp_path / "a.bin")
    w = torch.DiskFile(p, "w")
    w.close()
    open(p, "w").close()
    cases = [
        (lambda: w.writeInt(1), df, "attempt to use a closed file", ()),
        (lambda: torch.DiskFile(p, "r").writeInt(3), df, "attempt to write in a read-only", ()),
        (lambda: torch.DiskFile(p, "w").readInt(), df, "attempt to read in a write-only", ()),
        (lambda: torch.DiskFile(p, "x"), df, "file mode should be 'r','w' or 'rw'", ()),
        (lambda: torch.DiskFile(str(tmp_path / "no" / "f"), "r"), df, "cannot open <%s>",
         (str(tmp_path / "no" / "f"), "r", " ")),
        (lambda: torch.load(str(tmp_path / "missing.t7")), df, "cannot open <%s>",
         (str(tmp_path / "missing.t7"), "r", " ")),
        # reading past the end, binary and ascii: THError with the counts
        (lambda: torch.DiskFile(p, "r").binary().readInt(), df, "read error: read %d blocks",
         (0, 1)),
        (lambda: torch.DiskFile(p, "r").readDouble(), df, "read error: read %d blocks", (0, 1)),
        (lambda: torch.MemoryFile().binary().readInt(), mf, "read error: read %d blocks",
         (0, 1)),
        (lambda: torch.MemoryFile("x"), mf, "file mode should be 'r','w' or 'rw'", ()),
        (lambda: torch.MemoryFile(torch.CharStorage(3).fill(65), "r"), mf,
         "provided CharStorage must be terminated by 0", ()),
        (lambda: torch.MemoryFile().readString("x"), mf, "format must be '*a' or '*l'", ()),
        (lambda: torch.MemoryFile().longSize(3), mf, "Invalid long size specified", ()),
    ]
    for f, file, piece, args in cases:
        m = _find(messages, file, piece)
        want = "cannot open <%s> in mode %s%s" % args if piece.startswith("cannot open") \
            else expected(messages, file, piece, args)
        assert m and raised(f) == want, piece
    # File.c checks seek's position before THFile_seek looks at the file
    seek = _find(messages, "File.c", "position has to be greater than 0!")
    assert raised(w.seek, 0) == "bad argument #%s to '?' (%s)" % (seek["arg"], seek["fmt"])
    p4 = str(tmp_path / "b.txt")
    with open(p4, "w") as h:
        h.write("abc")
    assert raised(torch.DiskFile(p4, "r").readInt) == _c_format(
        _find(messages, df, "read error: read %d blocks")["fmt"], (0, 1))


def test_files_from_lua(messages):
    lupa = pytest.importorskip("lupa")
    del lupa
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    run = rt.execute("""return function(code)
        local ok, e = pcall(loadstring(code)); return (tostring(e):gsub('^.-:%d+: ', '')) end""")
    closed = _find(messages, "THMemoryFile.c", "attempt to use a closed file")["fmt"]
    # luaL_argerror from a method call: self not counted, argument 1 is the bad self
    assert run("local f = torch.MemoryFile(); f:close(); f:writeInt(1)") == \
        "calling 'writeInt' on bad self (%s)" % closed
    assert run("local f = torch.MemoryFile(); f:seek(0)") == \
        "bad argument #1 to 'seek' (position has to be greater than 0!)"
    # a constructor runs under luaT's __call (lua_call from C): no name
    assert run("torch.MemoryFile('x')") == \
        "bad argument #2 to '?' (file mode should be 'r','w' or 'rw')"


def test_convolution_functions(messages):
    conv = "THTensorConv.c"
    cases = [
        (lambda: torch.conv2(R(3, 3), R(4, 2)), conv, "conv2Dmul : Input image is smaller", ()),
        (lambda: torch.xcorr2(R(2, 3, 3), R(2, 4, 4)), conv, "conv2Dcmul : Input image is", ()),
        (lambda: torch.conv2(R(2, 3, 3), R(3, 4, 2, 2)), conv,
         "invalid number of input planes@conv2Dmv", ()),
        (lambda: torch.xcorr3(R(2, 3, 3, 3), R(3, 2, 2, 2)), conv,
         "invalid number of input/kernel planes@conv3Dcmul", ()),
        (lambda: torch.conv3(R(3, 3, 3), R(4, 2, 2)), conv, "conv3Dmul : Input image is", ()),
    ]
    for f, file, piece, args in cases:
        assert raised(f) == expected(messages, file, piece, args), piece
    # the full mode takes any sizes; dimensions no cwrap form declares: cwrap's text
    assert torch.conv2(R(3, 3), R(4, 2), "F").size().totable() == [6, 4]
    assert raised(torch.conv2, R(3, 3, 3), R(2, 2)).startswith(
        "invalid arguments: DoubleTensor DoubleTensor \nexpected arguments: [*DoubleTensor*] "
        "DoubleTensor~2D DoubleTensor~2D [(V|F)]")


def test_tool_counts_helper_raised_thnn_macros():
    # THNN_CHECK_DIM_SIZE raised through nn/_thnn_check.py's helper counts as raised
    import sys
    if not os.path.exists(os.path.join(base.T7, "lib", "TH")) or \
            not os.path.exists(os.path.join(base.NN, "lib", "THNN")):
        pytest.skip("needs torch7 and nn checkouts (TORCH7_DIR, NN_DIR)")
    sys.path.insert(0, os.path.join(base.ROOT, "tools"))
    try:
        import c_messages
    finally:
        sys.path.pop(0)
    msgs = [m for m in c_messages.collect(base.T7, base.NN)
            if m["file"].endswith("SpatialConvolutionMM.c")]
    c_messages.coverage(msgs, [os.path.join(base.ROOT, "torch7py")],
                        [os.path.join(base.ROOT, "tests")])
    dims = [m for m in msgs if m["call"] == "THNN_CHECK_DIM_SIZE"]
    assert dims and all(m["raised"] for m in dims)
