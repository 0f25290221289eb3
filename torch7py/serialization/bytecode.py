"""A structural check of LuaJIT bytecode dumps (lj_bcwrite.c's format) before a loader hands
them to LuaJIT, which trusts its input: a corrupted dump can crash the process.

What it checks, in a dump with a header this LuaJIT reads: the chunk name, that the prototypes'
lengths chain exactly to the end of the dump with its terminating zero, and inside each
prototype that its fixed fields are consistent and its instructions and upvalue slots fit in
its length. What it cannot check: the instructions themselves (jump targets, slot numbers,
constant indices). LuaJIT does not verify bytecode, so a dump crafted to pass this check can
still crash the interpreter or run arbitrary code: only load functions from files you trust.
"""

MAGIC = b"\x1bLJ"
VERSIONS = (1, 2)  # LuaJIT 2.0, 2.1
KNOWN_FLAGS = 0x1 | 0x2 | 0x4 | 0x8  # big-endian, stripped, FFI, two-slot frames (FR2)
PROTO_HEAD = 4  # flags, numparams, framesize, sizeuv


class BytecodeError(ValueError):
    pass


def _uleb128(code, pos, end):
    value, shift = 0, 0
    while True:
        if pos >= end:
            raise BytecodeError("truncated number at byte %d" % pos)
        b = code[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7
        if shift > 35:
            raise BytecodeError("number too long at byte %d" % pos)


def check(code):
    """Raise BytecodeError when `code` is a LuaJIT dump that is not well-formed.

    A dump whose header LuaJIT itself refuses (another Lua's bytecode, another LuaJIT version
    or flags) passes: loadstring rejects it at the header, safely, and the loader gives
    File.lua's warning and nil as Torch7 does.
    """
    code = bytes(code)
    end = len(code)
    if code[:3] != MAGIC or end < 5 or code[3] not in VERSIONS:
        return
    flags, pos = _uleb128(code, 4, end)
    if flags & ~KNOWN_FLAGS:
        return
    if not flags & 0x2:  # not stripped: the chunk name
        n, pos = _uleb128(code, pos, end)
        if pos + n > end:
            raise BytecodeError("chunk name runs past the end")
        pos += n
    protos = 0
    while True:
        n, pos = _uleb128(code, pos, end)
        if n == 0:
            break
        if pos + n > end:
            raise BytecodeError("prototype %d runs past the end" % (protos + 1))
        _check_proto(code, pos, pos + n, flags)
        pos += n
        protos += 1
    if protos == 0:
        raise BytecodeError("no function in the bytecode")
    if pos != end:
        raise BytecodeError("%d bytes after the last prototype" % (end - pos))


def _check_proto(code, pos, end, flags):
    if pos + PROTO_HEAD > end:
        raise BytecodeError("prototype too short")
    numparams, framesize, sizeuv = code[pos + 1], code[pos + 2], code[pos + 3]
    pos += PROTO_HEAD
    if framesize < numparams:
        raise BytecodeError("frame smaller than its parameters")
    _sizekgc, pos = _uleb128(code, pos, end)
    _sizekn, pos = _uleb128(code, pos, end)
    sizebc, pos = _uleb128(code, pos, end)
    if not flags & 0x2:
        sizedbg, pos = _uleb128(code, pos, end)
        if sizedbg:
            _firstline, pos = _uleb128(code, pos, end)
            _numline, pos = _uleb128(code, pos, end)
    if pos + 4 * sizebc + 2 * sizeuv > end:
        raise BytecodeError("instructions and upvalues run past the prototype")
