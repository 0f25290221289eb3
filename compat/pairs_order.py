"""Python helpers of compat/pairs_order.lua: pairs()/next() visit a plain Lua table's keys in the
order Torch7's LuaJIT (2.1.0-beta2) would have (torch7py.luaorder models its table layout).

That order follows from the keys, the order they were inserted, deletions and the table's
pre-sizing.  The table records none of its insertion order, so it is estimated, once per table:
keys noted by the code that inserted them (torch7py's own tables: bridge conversions, Tester's
tests) come first in their real order, then numbers in ascending order, then strings in the
order they first appear in the Lua source loaded so far (what a table constructor or a sequence
of `t.x = ...` inserts) -- unless the table is a copy: its strings are all the strings one
traversal (pairs/next) yielded last, then they were inserted in that order, or they are all
strings the script made at run time (string.gmatch, match, sub, gsub, format, lower, upper,
lines read from files: a vocabulary filled from a text), then in the order they were made
(pairs_order.lua's `produced`; by value when the values are consecutive integers, one each: an
index; after the source's strings a constructor put in first, `{['<unk>'] = 1}`), or exactly
the keys of a table constructor in the sources,
then in the constructor's order --, then strings never seen in a source in the order pairs first meets
them (sorted among themselves, runs of digits by value), booleans, and other objects in the
order they were first met.  The table's current sizes (read from the real table) tell a
constructor's pre-sized table from one grown from empty.  After the first traversal the model
is kept with the table: keys added later are inserted after the others, keys set to nil are
cleared where they are, as in LuaJIT.

TH_PAIRS_ORDER=0 in the environment turns it off (pairs() is LuaJIT's own).
"""
import os
import re

from torch7py.luaorder import TableLayout, hsize2hbits

_CODEC_ERRORS = "surrogateescape"

# Lua tokens that intern a string: names, quoted strings, long strings (comments and numbers
# are skipped)
_TOKEN = re.compile(r"""
    --\[(?P<ceq>=*)\[.*?\](?P=ceq)\]         # long comment
  | --[^\n]*                                 # line comment
  | \[(?P<leq>=*)\[(?P<long>.*?)\](?P=leq)\] # long string
  | "(?P<dq>(?:\\.|[^"\\\n])*)"              # double-quoted string
  | '(?P<sq>(?:\\.|[^'\\\n])*)'              # single-quoted string
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)         # name
  | 0[xX][0-9a-fA-F]+ | \d+\.?\d*(?:[eE][-+]?\d+)? | \.\d+(?:[eE][-+]?\d+)?
""", re.DOTALL | re.VERBOSE)

_ESC = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
        "\\": "\\", '"': '"', "'": "'", "\n": "\n"}


def _unescape(s):
    if "\\" not in s:
        return s

    def rep(m):
        e = m.group(1)
        if e[0].isdigit():
            return chr(int(e) & 0xFF)
        return _ESC.get(e, e)
    return re.sub(r"\\(\d{1,3}|.)", rep, s, flags=re.DOTALL)


def _natural(s):
    """Sort key: text in byte order, runs of digits by value ('k2' before 'k10': keys made in
    a loop, `'k' .. i`, were most likely inserted in that order)."""
    # ASCII digits only: str.isdigit() is true of '³' too, which int() refuses (a torch-rnn
    # vocabulary's token as a table key stopped :float() there)
    return [(0, int(p), "") if p.isascii() and p.isdigit() else (1, 0, p)
            for p in re.split(r"([0-9]+)", s) if p]


_CTOK = re.compile(r"""
    --\[(?P<ceq>=*)\[.*?\](?P=ceq)\]
  | --[^\n]*
  | \[(?P<leq>=*)\[(?P<long>.*?)\](?P=leq)\]
  | "(?P<dq>(?:\\.|[^"\\\n])*)"
  | '(?P<sq>(?:\\.|[^'\\\n])*)'
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | 0[xX][0-9a-fA-F]+ | \d+\.?\d*(?:[eE][-+]?\d+)? | \.\d+(?:[eE][-+]?\d+)?
  | (?P<op>==|~=|<=|>=|\.\.\.|\.\.|::|[{}\[\]()=,;])
  | (?P<other>\S)
""", re.DOTALL | re.VERBOSE)
# block keywords: commas and `x =` inside a function body in a constructor are not its items
_OPEN = {"function", "if", "do", "repeat"}
_CLOSE = {"end", "until"}


def _ctor_tokens(source):
    for m in _CTOK.finditer(source):
        g = m.lastgroup
        if g == "name":
            yield ("name", m.group("name"))
        elif g in ("dq", "sq"):
            yield ("str", m.group(g))
        elif g in ("long", "leq"):
            if m.group("long") is not None:
                yield ("str", m.group("long"))
        elif g == "op":
            yield ("op", m.group("op"))
        elif g in ("ceq",) or m.group(0).startswith("--"):
            continue
        else:
            yield ("x", m.group(0))


def _constant_key(tok, unescape):
    """The key of `[tok] =` in a constructor, tagged: ("s", str), ("n", float), ("b", bool)."""
    kind, v = tok
    if kind == "str":
        return ("s", unescape(v))
    if kind == "name" and v in ("true", "false"):
        return ("b", v == "true")
    if kind == "x":
        try:
            return ("n", float(int(v, 16)) if v[:2] in ("0x", "0X") else float(v))
        except ValueError:
            return None
    return None


_LAST_TOKENS = [None, None]


def _tokens(source):
    """source's tokens (the last source's kept: the constructor and store scans share them)."""
    if _LAST_TOKENS[0] is not source:
        _LAST_TOKENS[:] = [source, list(_ctor_tokens(source))]
    return _LAST_TOKENS[1]


def _const_value(toks, j):
    """What the parser's expr_isk_nojump says of the value starting at toks[j]: True for a
    literal (a number, maybe negated, a string, true, false) alone before `,` `;` `}`, "nil"
    for nil, else False (folded arithmetic is taken as not constant)."""
    n = len(toks)
    kind, v = toks[j]
    end = j + 1
    if kind == "x" and v == "-" and j + 1 < n and toks[j + 1][0] == "x" \
            and _constant_key(toks[j + 1], None) is not None:
        end = j + 2
    elif not (kind == "str" or (kind == "name" and v in ("true", "false", "nil"))
              or (kind == "x" and _constant_key(toks[j], None) is not None)):
        return False
    if end < n and toks[end] in (("op", ","), ("op", ";"), ("op", "}")):
        return "nil" if v == "nil" else True
    return False


def _constructors(source):
    """The items of each table constructor in source with two or more string keys, in order:
    ("k", key, const) for a constant key (`name = ...`, `["s"] = ...`, `[3] = ...`,
    `[true] = ...`, key tagged), ("p", const) for a list item, ("x",) for a computed key;
    const: whether the value is a constant (see _const_value)."""
    unescape = _unescape
    out = []
    toks = _tokens(source)
    stack = []  # frames: [items, depth, at_item_start]
    i, n = 0, len(toks)
    while i < n:
        kind, v = toks[i]
        f = stack[-1] if stack else None
        if f is not None and f[1] == 0 and f[2] and not (kind == "op" and v in "[},;") \
                and not (kind == "name" and i + 1 < n and toks[i + 1] == ("op", "=")):
            f[0].append(("p", _const_value(toks, i)))
        if kind == "op" and v == "{":
            if f is not None:
                f[2] = False
            stack.append([[], 0, True])
        elif kind == "op" and v == "}":
            if f is not None:
                stack.pop()
                if len({it[1] for it in f[0] if it[0] == "k" and it[1][0] == "s"}) >= 2:
                    out.append(tuple(f[0]))
        elif f is None:
            pass
        elif kind == "op" and v in "([":
            if v == "[" and f[1] == 0 and f[2]:
                key = None
                skip = 4
                if i + 3 < n and toks[i + 2] == ("op", "]") and toks[i + 3] == ("op", "="):
                    key = _constant_key(toks[i + 1], unescape)
                elif i + 4 < n and toks[i + 1] == ("x", "-") and toks[i + 3] == ("op", "]") \
                        and toks[i + 4] == ("op", "="):  # [-5] = : the parser folds it
                    key = _constant_key(toks[i + 2], None)
                    if key is not None and key[0] == "n":
                        key, skip = ("n", -key[1]), 5
                    else:
                        key = None
                if key is not None:
                    f[0].append(("k", key, i + skip < n and _const_value(toks, i + skip)))
                    f[2] = False
                    i += skip
                    continue
                f[0].append(("x",))
            f[1] += 1
            f[2] = False
        elif kind == "op" and v in ")]":
            f[1] -= 1
        elif kind == "name" and v in _OPEN:
            f[1] += 1
            f[2] = False
        elif kind == "name" and v in _CLOSE:
            f[1] -= 1
        elif kind == "op" and v in ",;":
            if f[1] == 0:
                f[2] = True
        elif kind == "name" and f[1] == 0 and f[2] and i + 1 < n and toks[i + 1] == ("op", "="):
            f[0].append(("k", ("s", v), i + 2 < n and _const_value(toks, i + 2)))
            f[2] = False
        else:
            f[2] = False
        i += 1
    return out


def _store_runs(source):
    """Runs of stores into a table made empty: `X = {}` (or `local X = {}`) then the
    statements `X.name = v`, `X[literal] = v` and `function X:name(...)` (or `X.name`) that
    follow, up to the next assignment to X,
    in source order: (key, present) with key tagged, present False for `= nil`.  A run with a
    computed key (`X[i] = ...`) is dropped."""
    toks = _tokens(source)
    n = len(toks)
    open_runs, out = {}, []

    def close(name):
        ops = open_runs.pop(name, None)
        if ops:
            out.append(tuple(ops))
    for i in range(n):
        kind, v = toks[i]
        if kind != "name" or (i > 0 and toks[i - 1] in (("x", "."), ("x", ":"))):
            continue
        nxt = toks[i + 1] if i + 1 < n else None
        if nxt == ("op", "="):
            close(v)
            if i + 3 < n and toks[i + 2] == ("op", "{") and toks[i + 3] == ("op", "}"):
                open_runs[v] = []
            continue
        ops = open_runs.get(v)
        if ops is None:
            continue
        key, j = None, None
        if i > 0 and toks[i - 1] == ("name", "function") and nxt in (("x", "."), ("x", ":")) \
                and i + 3 < n and toks[i + 2][0] == "name" and toks[i + 3] == ("op", "("):
            # `function X:name(...)` / `function X.name(...)`: a store of key name (torch's
            # tutorials' dataset tables: data, labels, then normalize, normalizeGlobal, size)
            ops.append((("s", toks[i + 2][1]), True))
            continue
        if nxt == ("x", ".") and i + 3 < n and toks[i + 2][0] == "name" \
                and toks[i + 3] == ("op", "="):
            key, j = ("s", toks[i + 2][1]), i + 4
        elif nxt == ("op", "["):
            if i + 4 < n and toks[i + 3] == ("op", "]") and toks[i + 4] == ("op", "="):
                key, j = _constant_key(toks[i + 2], _unescape), i + 5
                if key is None:
                    open_runs.pop(v)  # a computed key: the run's order is unknown
                    continue
            elif i + 5 < n and toks[i + 2] == ("x", "-") and toks[i + 4] == ("op", "]") \
                    and toks[i + 5] == ("op", "=") and toks[i + 3][0] == "x":
                key, j = _constant_key(toks[i + 3], None), i + 6
                if key is None or key[0] != "n":
                    open_runs.pop(v)
                    continue
                key = ("n", -key[1])
            else:
                # X[expr] = ... or a read X[...]: a store with a computed key drops the run
                depth, k = 0, i + 1
                while k < n:
                    if toks[k] in (("op", "["), ("op", "(")):
                        depth += 1
                    elif toks[k] in (("op", "]"), ("op", ")")):
                        depth -= 1
                        if depth == 0:
                            break
                    k += 1
                if k + 1 < n and toks[k + 1] == ("op", "="):
                    open_runs.pop(v)
                continue
        if key is not None and j < n:
            ops.append((key, toks[j] != ("name", "nil")))
    for name in list(open_runs):
        close(name)
    return out


def _bytes_key(k):
    return ("s", k[1].encode("utf-8", _CODEC_ERRORS)) if k[0] == "s" else k


def _bytes_item(it):
    if it[0] == "k" and it[1][0] == "s":
        return ("k", ("s", it[1][1].encode("utf-8", _CODEC_ERRORS)), it[2])
    return it


def _ctor_layout(items):
    """The layout of the table a constructor builds (lj_parse.c's expr_table): the template
    is created at the first item it holds, sized by the counts so far, and filled in order
    (string keys always, other keys when their value is a constant); then its array part is
    made to hold the list; the other items are stored at run time into the copy.  None: a
    computed key."""
    narr, nhash, needarr, lay, later = 1, 0, False, None, []
    for it in items:
        if it[0] == "p":
            key, const = ("n", float(narr)), it[1]
            narr += 1
            needarr = True
        elif it[0] == "k":
            key, const = it[1], it[2]
            if key == ("n", 0.0):
                needarr = True
            else:
                nhash += 1
        else:
            return None
        if key[0] == "s" or const:
            if lay is None:
                lay = TableLayout(narr if needarr else 0, hsize2hbits(nhash) if nhash else 0)
            lay.set(key)
            if const == "nil":
                lay.clear(key)
        elif const != "nil":
            later.append(key)
    if lay is None:
        return None
    if needarr and lay.asize < narr:
        lay.reasize(narr - 1)
    for key in later:
        lay.set(key)
    return lay


class SourceRanks:
    """The order strings first appear in the Lua sources compiled so far (the order Lua's lexer
    interns them)."""

    def __init__(self):
        self.rank = {}
        self.ctors = {}  # frozenset of a constructor's string keys -> its items
        self.runs = {}   # frozenset of the keys a run of stores leaves (str tagged) -> its stores

    def add(self, source):
        rank = self.rank
        for s in _strings_of(source):
            if s not in rank:
                rank[s] = len(rank)
        ctors = self.ctors
        runs = self.runs
        for ops in _runs_of(source):
            present = {}
            for k, there in ops:
                present[k] = there
            ks = frozenset(k for k, there in present.items() if there)
            if len(ks) >= 2:
                old = runs.get(ks, ops)
                runs[ks] = ops if old == ops else None
        for items in _constructors_of(source):
            # constructors of the same strings in different orders: which one built a table
            # is unknown (None: the estimate falls back to the source's order)
            ks = frozenset(it[1][1] for it in items if it[0] == "k" and it[1][0] == "s")
            old = ctors.get(ks, items)
            ctors[ks] = items if old == items else None


# what a source's text gives (its strings in the order of their first appearance, its runs,
# its constructors), kept per source text: a test runner loads the same 9,000-line test file in
# a fresh runtime for each of its tests
_SCANNED = {}
_CTORS = {}
_RUNS = {}


def _per_source(cache, compute, source):
    """compute(source), kept in cache (at most 32 sources) for a long source; short chunks
    compute quickly: not worth keeping."""
    if len(source) < 4096:
        return compute(source)
    got = cache.get(source)
    if got is None:
        got = compute(source)
        if len(cache) >= 32:
            cache.clear()
        cache[source] = got
    return got


def _strings_of(source):
    return _per_source(_SCANNED, _scan, source)


def _runs_of(source):
    return _per_source(_RUNS, _store_runs, source)


def _constructors_of(source):
    return _per_source(_CTORS, _constructors, source)


def _scan(source):
    seen = {}
    for m in _TOKEN.finditer(source):
        g = m.lastgroup
        if g == "name":
            s = m.group("name")
        elif g == "dq" or g == "sq":
            s = _unescape(m.group(g))
        elif g == "long" or g == "leq":
            s = m.group("long")
            if s is None:
                continue
            s = s.removeprefix("\n")  # a long string's first newline is skipped
        else:
            continue
        if s not in seen:
            seen[s] = None
    return tuple(seen)


class _Order:
    """One table's model: the layout and the keys it holds (ids are 1-based, Lua's)."""

    __slots__ = ("keys", "lay")

    def __init__(self, lay, keys):
        self.lay = lay
        self.keys = keys


class PairsOrder:
    """What compat/pairs_order.lua calls (through P)."""

    def __init__(self):
        self.ranks = SourceRanks()
        self.sight = {}  # strings not in a source: the order pairs() first met them
        self.enabled = os.environ.get("TH_PAIRS_ORDER", "1") not in ("0", "off", "no")

    def add_source(self, source):
        if isinstance(source, bytes):
            source = source.decode("utf-8", _CODEC_ERRORS)
        self.ranks.add(source)

    @staticmethod
    def _tag(k, kind):
        if kind == "s":
            if isinstance(k, str):
                k = k.encode("utf-8", _CODEC_ERRORS)
            return ("s", k)
        if kind == "n":
            return ("n", float(k))
        if kind == "b":
            return ("b", bool(k))
        return ("o", int(k))

    def _ctor_items(self, tagged, strs, rest):
        """The items of the constructor whose string keys are exactly these strings, or None
        (keys tagged as _tag does)."""
        if not self.ranks.ctors:
            return None
        mine = frozenset(strs[i] for i in rest if tagged[i][0] == "s")
        items = self.ranks.ctors.get(mine) if len(mine) >= 2 else None
        if items is None:
            return None
        return [_bytes_item(it) for it in items]

    def _estimate(self, tagged, strs, given=False, items=None):
        """Sort keys of unknown insertion order by the estimate (see the module's doc)."""
        rank = self.ranks.rank
        ctor = None
        if items is not None:
            # strings that are exactly the keys of a constructor in the sources: its order
            ctor = {}
            for it in items:
                if it[0] == "k":
                    ctor.setdefault(it[1], len(ctor))
        if len(self.sight) > 1000000:  # bounded: later tables start afresh
            self.sight.clear()
        unseen = sorted({s for s, t in zip(strs, tagged) if t[0] == "s" and s not in rank
                         and s not in self.sight}, key=_natural)
        for s in unseen:
            self.sight[s] = len(self.sight)

        def key(i):
            t = tagged[i]
            kind = t[0]
            if ctor is not None:
                # the constructor's keys in its order, after the numbers it does not name (its
                # list items: the array part)
                j = ctor.get(t)
                if j is not None:
                    return (1, 0, j)
                if kind == "n":
                    return (0, t[1])
                if kind == "s":
                    if given and given is not True and i >= len(tagged) - given:
                        return (1, 3, i)
                    s = strs[i]
                    r = rank.get(s)
                    return (1, 1, r) if r is not None else (1, 2, self.sight.get(s, 0))
                return (2, int(t[1])) if kind == "b" else (3, t[1])
            if kind == "n":
                return (0, t[1])
            if kind == "s":
                if given is True:  # strings in their insertion order already (a copy's)
                    return (1, 0, i)
                if given and i >= len(tagged) - given:  # made at run time: in that order
                    return (1, 3, i)
                s = strs[i]
                r = rank.get(s)
                return (1, 0, r) if r is not None else (1, 1, self.sight[s])
            if kind == "b":
                return (2, int(t[1]))
            return (3, t[1])
        return key

    def in_source(self, s):
        """Whether the string s is one of the sources' (a constant or a name there)."""
        return s in self.ranks.rank

    def new(self, keys, kinds, nknown, asize, hmask, given=False):
        """The model of a table seen for the first time; keys[1..nknown] were noted in their
        insertion order; given: the other strings are in their insertion order too (a copy
        made while a traversal yielded them).  Returns (model, the key ids in pairs() order)."""
        n = len(kinds)
        strs = [keys[i + 1] for i in range(n)]
        tagged = [self._tag(strs[i], kinds[i + 1]) for i in range(n)]
        # (given: True, or the count of the strings at the end made at run time, in that order)
        if given is True:
            items = None
        else:
            items = self._ctor_items(tagged, strs, range(nknown, n - (given or 0)))
        rest = sorted(range(nknown, n), key=self._estimate(tagged, strs, given, items))
        seq = [tagged[i] for i in range(nknown)] + [tagged[i] for i in rest]
        lay = None
        if items is not None and nknown == 0:
            # built by that constructor: its layout, then any other keys (added since)
            lay = _ctor_layout(items)
            if lay is not None:
                have = set(tagged)
                if all(k in have for k in lay.order(dead=True)):
                    for k in seq:
                        lay.set(k)
                    if asize >= 0 and lay.sizes() != (asize, hmask):
                        lay = None
                else:
                    lay = None
        if lay is None and not given and items is None and nknown == 0 and n >= 2 \
                and self.ranks.runs:
            # the keys a run of stores into an empty table leaves: those stores, in order
            mine = frozenset(("s", strs[i]) if tagged[i][0] == "s" else tagged[i]
                             for i in range(n))
            ops = self.ranks.runs.get(mine)
            if ops is not None:
                lay = TableLayout()
                for k, there in ops:
                    k = _bytes_key(k)
                    if there:
                        lay.set(k)
                    else:
                        lay.clear(k)
                if asize >= 0 and lay.sizes() != (asize, hmask):
                    lay = None
        if lay is None:
            lay = _layout(seq, asize, hmask)
        ids = {k: i + 1 for i, k in enumerate(tagged)}
        model = _Order(lay, tagged)
        return model, self._ids(model, ids)

    def update(self, model, added, kinds, nknown, removed, revived):
        """Keys set to nil since (ids), keys present again (ids), and keys added (their ids
        follow the old ones; the first nknown in the order they were noted): the new pairs()
        order."""
        lay = model.lay
        for i in removed.values():
            lay.clear(model.keys[i - 1])
        for i in revived.values():
            lay.set(model.keys[i - 1])
        n = len(kinds)
        strs = [added[i + 1] for i in range(n)]
        tagged = [self._tag(strs[i], kinds[i + 1]) for i in range(n)]
        model.keys.extend(tagged)
        rest = sorted(range(nknown, n), key=self._estimate(tagged, strs))
        for i in list(range(nknown)) + rest:
            lay.set(tagged[i])
        ids = {k: i + 1 for i, k in enumerate(model.keys)}
        return self._ids(model, ids)

    @staticmethod
    def clone(model):
        return _Order(model.lay.copy(), list(model.keys))

    def _ids(self, model, ids):
        # a key a run of stores set to nil before the first traversal is in no id: skipped
        return [ids[k] for k in model.lay.order(dead=True) if k in ids]


def _layout(seq, asize, hmask):
    """The layout of a table filled with the keys seq in that order: grown from empty, or
    pre-sized to (asize, hmask) when growing does not give those sizes (a constructor's
    template, or a size hint). Large ones are kept, copied out: a test runner meets the same
    table of tests in each fresh runtime."""
    ck = None
    if len(seq) >= 32:
        ck = (tuple(seq), asize, hmask)
        got = _LAYOUTS.get(ck)
        if got is not None:
            return got.copy()
    lay = TableLayout()
    for k in seq:
        lay.set(k)
    if asize >= 0 and lay.sizes() != (asize, hmask):
        lay = TableLayout(asize, hsize2hbits(hmask + 1) if hmask else 0)
        for k in seq:
            lay.set(k)
    if ck is not None:
        if len(_LAYOUTS) >= 64:
            _LAYOUTS.clear()
        _LAYOUTS[ck] = lay.copy()
    return lay


_LAYOUTS = {}


def install(rt, lua_table):
    """The helper table P that pairs_order.lua receives."""
    po = PairsOrder()
    rt.pairs_order = po
    P = lua_table()
    P.enabled = po.enabled
    P.add_source = po.add_source
    P.clone = po.clone
    P.in_source = po.in_source
    P.new = lambda keys, kinds, nknown, asize, hmask, given=False: _ret(rt, po.new(
        keys, kinds, int(nknown), int(asize), int(hmask),
        given if given is True or not given else int(given)))
    P.update = lambda model, added, kinds, nknown, removed, revived: rt.lua.table_from(
        po.update(model, added, kinds, int(nknown), removed, revived))
    return P


def connect(rt, api):
    """The bridge reads Lua tables in pairs() order and notes the order it fills them in
    (compat/luavalues.py's _raw_items, compat/runtime.py's _dict_to_table)."""
    flat, noteall = api.flat, api.noteall

    def items(t):
        out, n, negs = flat(t)
        r = [(out[i], out[i + 1]) for i in range(1, int(n), 2)]
        if negs is not None:  # the values that are -0.0 (lupa reads them as 0)
            for i in negs.values():
                r[int(i) // 2 - 1] = (r[int(i) // 2 - 1][0], -0.0)
        return r

    def note(t, keys):
        if len(keys) <= 4000:  # within a Lua call's argument limit
            noteall(t, *keys)
    rt.pairs_items = items
    rt.pairs_note = note
    rt.pairs_note1 = api.note  # one key, after those noted before (LuaTableMapping's writes)


def _ret(rt, r):
    model, order = r
    return model, rt.lua.table_from(order)
