"""tds's containers in .t7 files (torch/tds: hash.lua, vec.lua, atomic.lua).

tds (a C hash and vector outside Lua's heap) was common in data sets and vocabularies saved
by Torch7 programs (OpenNMT's dictionaries, fairseq-lua's indices). Its classes write
themselves with their own __write (File.lua calls a class's write metamethod instead of
writing its fields): the count as a long, then each key and value (tds.Hash) or each value
(tds.Vec) with writeObject, under the header "V 0". Here they load as a dict / list subclass
that saves back in the same form; tds.AtomicCounter holds one long.
"""
from .files import SerializationError


def _count(f, what):
    n = f.readLong()
    if not isinstance(n, int) or n < 0:
        raise SerializationError("%s: a negative element count (%r)" % (what, n))
    return n


class TdsHash(dict):
    """tds.Hash: a dict whose keys and values are any object a .t7 file holds."""
    typename = "tds.Hash"
    _t7_version = 0

    def _t7_read_file(self, f, version):
        for _ in range(_count(f, self.typename)):
            k = f.readObject()
            self[k] = f.readObject()

    def _t7_write_file(self, f):
        f.writeLong(len(self))
        for k, v in self.items():
            f.writeObject(k)
            f.writeObject(v)

    def __repr__(self):
        return "tds.Hash(%s)" % dict.__repr__(self)


class TdsVec(list):
    """tds.Vec: a list (tds's vector is 1-based in Lua; its element k is item k-1 here)."""
    typename = "tds.Vec"
    _t7_version = 0

    def _t7_read_file(self, f, version):
        for _ in range(_count(f, self.typename)):
            self.append(f.readObject())

    def _t7_write_file(self, f):
        f.writeLong(len(self))
        for v in self:
            f.writeObject(v)

    def __repr__(self):
        return "tds.Vec(%s)" % list.__repr__(self)


class TdsAtomicCounter:
    """tds.AtomicCounter: one integer."""
    typename = "tds.AtomicCounter"
    _t7_version = 0

    def __init__(self, value=0):
        self.value = value

    def get(self):
        return self.value

    def set(self, value):
        self.value = value

    def _t7_read_file(self, f, version):
        self.value = f.readLong()

    def _t7_write_file(self, f):
        f.writeLong(self.value)

    def __repr__(self):
        return "tds.AtomicCounter(%d)" % self.value


CLASSES = {"tds.Hash": TdsHash, "tds.Vec": TdsVec, "tds.AtomicCounter": TdsAtomicCounter,
           # tds's legacy name for hashes of old files (hash.lua registers it for loading)
           "tds_hash": TdsHash}
