"""The order in which Torch7's LuaJIT (2.1.0-beta2 of torch/luajit-rocks) visits a table's keys
with pairs()/next(): a model of its table layout.

pairs() visits the array part (integer keys 0..asize-1, in order), then the hash part's nodes
in index order.  Where a key lands follows from its hash, the order keys were inserted, the
table's sizes and its rehashes, all independent of memory addresses for strings, numbers and
booleans.  Torch7's LuaJIT hashed strings with Bob Jenkins' lookup3 (`hashlittle`, as tommyds'
tommy_hash_u32 with init 0) instead of LuaJIT's own sparse hash; numbers with `hashrot` of
their two 32-bit halves.  The model follows lj_tab.c's rules: a new key goes to its main
position (hash & hmask); on a collision a free node is taken scanning down from the top, and
the key already there moves out when it is not in its own main position (Brent's variation);
with no free node the table is rehashed (array size chosen from the integer keys, hash size the
rest rounded up to a power of two) and the old nodes are re-inserted in index order.

torch7py uses it where Torch7 iterated a table whose insertion order is known (CmdLine's
options), and the Lua layer (compat/pairs_order.lua) for every plain table.
"""
import struct

_M = 0xFFFFFFFF
_MAX_ABITS = 28
_MAX_ASIZE = (1 << (_MAX_ABITS - 1)) + 1


def _rol(x, n):
    return ((x << n) | (x >> (32 - n))) & _M


def _step(x, y, z, r):
    """One lookup3 step: x -= z; x ^= rot(z, r); z += y."""
    x = ((x - z) & _M) ^ _rol(z, r)
    return x, (z + y) & _M


def _final_step(x, y, r):
    """One step of lookup3's final: x ^= y; x -= rot(y, r)."""
    return ((x ^ y) - _rol(y, r)) & _M


def tommy_hash(data, init=0):
    """lookup3's hashlittle of bytes `data` (tommy_hash_u32): Torch7's LuaJIT string hash."""
    n = len(data)
    a = b = c = (0xDEADBEEF + n + init) & _M
    i = 0
    while n > 12:
        a = (a + int.from_bytes(data[i:i + 4], "little")) & _M
        b = (b + int.from_bytes(data[i + 4:i + 8], "little")) & _M
        c = (c + int.from_bytes(data[i + 8:i + 12], "little")) & _M
        # mix: rotations 4, 6, 8, 16, 19, 4
        a, c = _step(a, b, c, 4)
        b, a = _step(b, c, a, 6)
        c, b = _step(c, a, b, 8)
        a, c = _step(a, b, c, 16)
        b, a = _step(b, c, a, 19)
        c, b = _step(c, a, b, 4)
        n -= 12
        i += 12
    if n == 0:
        return c
    # the tail, little-endian, into a (bytes 0-3), b (4-7), c (8-11)
    tail = data[i:i + n]
    a = (a + int.from_bytes(tail[0:4], "little")) & _M
    if n > 4:
        b = (b + int.from_bytes(tail[4:8], "little")) & _M
    if n > 8:
        c = (c + int.from_bytes(tail[8:12], "little")) & _M
    # final: rotations 14, 11, 25, 16, 4, 14, 24
    c = _final_step(c, b, 14)
    a = _final_step(a, c, 11)
    b = _final_step(b, a, 25)
    c = _final_step(c, b, 16)
    a = _final_step(a, c, 4)
    b = _final_step(b, a, 14)
    c = _final_step(c, b, 24)
    return c


def string_hash(data):
    """The hash beta2 stored in a string: tommy_hash of its bytes; 0 for the empty string (the
    global empty string's hash field is never set)."""
    return tommy_hash(data) if data else 0


def hashrot(lo, hi):
    """lj_tab.h's hashrot (the x86/x64 variant) of two 32-bit words."""
    lo ^= hi
    hi = _rol(hi, 14)
    lo = (lo - hi) & _M
    hi = _rol(hi, 5)
    hi ^= lo
    hi = (hi - _rol(lo, 13)) & _M
    return hi


def number_hash(x):
    """hashnum: hashrot of the double's low word and its high word shifted left by one."""
    x = float(x)
    if x == 0:
        x = 0.0  # -0 is stored as +0
    lo, hi = struct.unpack("<II", struct.pack("<d", x))
    return hashrot(lo, (hi << 1) & _M)


# Keys of the model: ('s', bytes), ('n', float), ('b', bool), ('o', int) for other objects
# (tables, functions, userdata: hashed by address in Torch7, so any fixed hash will do).
def key_hash(key):
    kind, v = key
    if kind == "s":
        return string_hash(v)
    if kind == "n":
        return number_hash(v)
    if kind == "b":
        return 1 if v else 0
    return hashrot(v & _M, (v >> 32) + 0x3C5 & _M)


_HASHES = {}  # key -> its hash (strings are hashed once)


def _array_index(key):
    """The key's integer value where beta2 could keep it in the array part, else None."""
    if key[0] != "n":
        return None
    x = key[1]
    if -2 ** 31 <= x < 2 ** 31 and x == int(x):  # (inf: no int; the range test first)
        return int(x)
    return None


def _fls(x):
    return x.bit_length() - 1


def hsize2hbits(s):
    return 0 if s == 0 else (1 if s == 1 else 1 + _fls(s - 1))


def _count_bin(k):
    return _fls(k - 1) if k > 2 else 0


class TableLayout:
    """One table of beta2: its array part and its hash nodes, keys only (a value is present or
    nil).  set() inserts or revives a key, clear() sets its value to nil (the key stays in its
    node, as in LuaJIT), order() lists the present keys in pairs() order."""

    def __init__(self, asize=0, hbits=0):
        self.asize = asize
        self.array = [None] * asize  # None: never set, False: set to nil, True: present
        self._newhash(hbits)

    def _newhash(self, hbits):
        size = (1 << hbits) if hbits else 0
        self.hsize = size
        self.nkey = [None] * size    # the node's key (None: never used)
        self.nval = [False] * size   # the node's value is non-nil
        self.nnext = [None] * size   # chain link
        self.free = size             # free pointer: scans down from the top

    def _mp(self, key):
        h = _HASHES.get(key)
        if h is None:
            if len(_HASHES) > 100000:
                _HASHES.clear()
            h = _HASHES[key] = key_hash(key)
        return h & (self.hsize - 1)

    def copy(self):
        new = TableLayout.__new__(TableLayout)
        new.asize, new.array, new.hsize, new.free = self.asize, self.array[:], self.hsize, self.free
        new.nkey, new.nval, new.nnext = self.nkey[:], self.nval[:], self.nnext[:]
        return new

    def _find(self, key):
        if not self.hsize:
            return None
        n = self._mp(key)
        while n is not None:
            if self.nkey[n] == key:
                return n
            n = self.nnext[n]
        return None

    def set(self, key):
        """t[key] = <non-nil value> (lj_tab_set, then the store)."""
        k = _array_index(key)
        if k is not None and 0 <= k < self.asize:
            self.array[k] = True
            return
        n = self._find(key)
        if n is None:
            n = self._newkey(key)  # after a rehash the key may have gone to the array part
        if n is not None:
            self.nval[n] = True

    def clear(self, key):
        """t[key] = nil: the key stays where it is, its value becomes nil."""
        k = _array_index(key)
        if k is not None and 0 <= k < self.asize:
            self.array[k] = False
            return
        n = self._find(key)
        if n is not None:
            self.nval[n] = False

    def set_nil(self, key):
        """t[key] = nil (lj_meta_tset): a key already there keeps its node with a nil value
        (clear); an absent key takes a new node (lj_tab_newkey) whose value stays nil, so a
        later key whose main position it is takes that node over, and a rehash drops it."""
        k = _array_index(key)
        if k is not None and 0 <= k < self.asize:
            if self.array[k]:
                self.array[k] = False
            return
        if self._find(key) is not None:
            self.clear(key)
            return
        if self.hsize == 0:
            self._rehash(key)
            k = _array_index(key)
            if k is not None and 0 <= k < self.asize:
                return
            if self._find(key) is not None:
                return
        self._newkey(key)

    def _newkey(self, key):
        if self.hsize == 0:
            self._rehash(key)
            return self._set_slot(key)
        n = self._mp(key)
        if self.nval[n]:
            free = self.free
            while True:
                if free == 0:
                    self._rehash(key)
                    return self._set_slot(key)
                free -= 1
                if self.nkey[free] is None:
                    break
            self.free = free
            collide = self._mp(self.nkey[n])
            if collide != n:
                # the occupant is not in its main position: it moves to the free node
                while self.nnext[collide] != n:
                    collide = self.nnext[collide]
                self.nnext[collide] = free
                self.nkey[free], self.nval[free] = self.nkey[n], self.nval[n]
                self.nnext[free] = self.nnext[n]
                self.nnext[n] = None
                self.nval[n] = False
                # string keys of this main position chained behind move back to its chain
                f = free
                while self.nnext[f] is not None:
                    nn = self.nnext[f]
                    if self.nkey[nn][0] == "s" and self.nval[nn] and self._mp(self.nkey[nn]) == n:
                        self.nnext[f] = self.nnext[nn]
                        self.nnext[nn] = self.nnext[n]
                        self.nnext[n] = nn
                    else:
                        f = nn
            else:
                self.nnext[free] = self.nnext[n]
                self.nnext[n] = free
                n = free
        self.nkey[n] = key
        return n

    def _set_slot(self, key):
        """The slot of key after a rehash (lj_tab_set's retry): array index or node."""
        k = _array_index(key)
        if k is not None and 0 <= k < self.asize:
            self.array[k] = True
            return None
        n = self._find(key)
        return n if n is not None else self._newkey(key)

    def _rehash(self, ek):
        bins = [0] * _MAX_ABITS
        # countarray
        na = 0
        i = 0
        for b in range(_MAX_ABITS):
            top = 2 << b
            if top >= self.asize:
                top = self.asize - 1
                if i > top:
                    break
            c = 0
            while i <= top:
                if self.array[i]:
                    c += 1
                i += 1
            bins[b] += c
            na += c
        asize = na
        total = 1 + asize
        # counthash
        for n in range(self.hsize):
            if self.nval[n]:
                total += 1
                asize += self._countint(self.nkey[n], bins)
        asize += self._countint(ek, bins)
        # bestasize
        nn, s, best, sz, b = asize, 0, 0, 0, 0
        while 2 * nn > (1 << b) and s != nn:
            if bins[b] > 0:
                s += bins[b]
                if 2 * s > (1 << b):
                    sz = (2 << b) + 1
                    best = s
            b += 1
        total -= best
        self.resize(sz, hsize2hbits(total))

    @staticmethod
    def _countint(key, bins):
        k = _array_index(key)
        if k is not None and 0 <= k < _MAX_ASIZE:
            bins[_count_bin(k)] += 1
            return 1
        return 0

    def resize(self, asize, hbits):
        """lj_tab_resize: new sizes, then the old array tail and the old nodes re-inserted."""
        oldasize, oldarray = self.asize, self.array
        oldkeys, oldvals, oldsize = self.nkey, self.nval, self.hsize
        if asize > oldasize:
            self.array = oldarray + [None] * (asize - oldasize)
            self.asize = asize
        self._newhash(hbits)
        if asize < oldasize:
            self.asize = asize
            self.array = oldarray[:asize]
            for i in range(asize, oldasize):
                if oldarray[i]:
                    self.set(("n", float(i)))
        for n in range(oldsize):
            if oldvals[n]:
                self.set(oldkeys[n])

    def reasize(self, nasize):
        """lj_tab_reasize: the array part grown to hold 1..nasize, the hash size kept."""
        self.resize(nasize + 1, _fls(self.hsize - 1) + 1 if self.hsize > 1 else 0)

    def _present(self, i):
        if 0 <= i < self.asize:
            return bool(self.array[i])
        n = self._find(("n", float(i)))
        return n is not None and self.nval[n]

    def length(self):
        """`#t` (lj_tab_len): a border of the array part found by binary search when its last
        slot is nil, else (with a hash part) unbound_search from there."""
        hi = self.asize - 1 if self.asize else 0
        if hi > 0 and not self.array[hi]:
            lo = 0
            while hi - lo > 1:
                mid = (lo + hi) >> 1
                if self.array[mid]:
                    lo = mid
                else:
                    hi = mid
            return lo
        if not self.hsize:
            return hi
        i, j = hi, hi + 1
        while self._present(j):
            i, j = j, j * 2
            if j > 2 ** 31 - 3:  # (LuaJIT's linear fallback for huge borders)
                i = 1
                while self._present(i):
                    i += 1
                return i - 1
        while j - i > 1:
            m = (i + j) // 2
            if self._present(m):
                i = m
            else:
                j = m
        return i

    def order(self, dead=False):
        """The present keys in pairs() order; with dead=True, the keys set to nil that still
        hold their place too (next() accepts them, as LuaJIT's does)."""
        if dead:
            out = [("n", float(i)) for i in range(self.asize) if self.array[i] is not None]
            out.extend(k for k in self.nkey if k is not None)
            return out
        out = [("n", float(i)) for i in range(self.asize) if self.array[i]]
        out.extend(self.nkey[n] for n in range(self.hsize) if self.nval[n])
        return out

    def sizes(self):
        """(asize, hmask) as LuaJIT reports them."""
        return self.asize, max(self.hsize - 1, 0)


def _as_key(k):
    if isinstance(k, bool):
        return ("b", k)
    if isinstance(k, (int, float)):
        return ("n", float(k))
    if isinstance(k, str):
        return ("s", k.encode("utf-8", "surrogateescape"))
    if isinstance(k, bytes):
        return ("s", k)
    return ("o", id(k))


def pairs_order(keys, nils=()):
    """The keys of a table that Lua code built empty (`{}`) and then filled by assignment in
    the order given, in the order beta2's pairs() visits them. The keys in nils were assigned
    nil (`t.k = nil` where t had no k): they take a node that holds nil (set_nil) and are not
    listed."""
    keys = list(keys)
    lay = TableLayout()
    tagged = {}
    for k in keys:
        key = _as_key(k)
        tagged[key] = k
        if k in nils:
            lay.set_nil(key)
        else:
            lay.set(key)
    return [tagged[key] for key in lay.order()]


_ORDERS = {}  # tuple of keys -> their pairs() order (objects' fields repeat the same keys)


def fields_order(keys, nils=()):
    """pairs_order of string/number keys, remembered: the order Torch7 lists the fields of an
    object (a table in Torch7) whose fields were set in the order given (those in nils set to
    nil: not listed)."""
    keys = tuple(keys)
    ck = (keys, tuple(nils)) if nils else keys
    order = _ORDERS.get(ck)
    if order is None:
        if len(_ORDERS) > 10000:
            _ORDERS.clear()
        order = _ORDERS[ck] = pairs_order(keys, frozenset(nils))
    return order


def joined_fields_order(joined):
    """fields_order of non-empty string keys given, and returned, joined by NUL bytes (the Lua
    layer passes them as one string, which crosses without conversion)."""
    return "\0".join(fields_order(joined.split("\0") if joined else ()))
