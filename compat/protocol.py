"""The value rules of ../shared/parity/PROTOCOL.md, without Lua: a Python value as golden JSON
(`encode`) and a value's differences from a golden by key path (`compare`)."""
import json
import math
import sys

MAX_DIFFS = 5


# -- encoding (PROTOCOL.md "Golden JSON") ---------------------------------------------------------
def number(x):
    """A number as the protocol writes it: nan/inf as {"num": ..}, integral floats as ints."""
    if isinstance(x, float):
        if math.isnan(x):
            return {"num": "nan"}
        if math.isinf(x):
            return {"num": "inf" if x > 0 else "-inf"}
        if x == int(x) and abs(x) < 2 ** 63:
            return int(x)
    return x


def number_key(k):
    """A number key k of a Lua table as the protocol writes it: "[k]"."""
    if isinstance(k, float) and k == int(k):
        k = int(k)
    return "[%s]" % (k if isinstance(k, int) else "%.14g" % k)


def encode_object(o, object_name=None):
    """A tensor, a storage, or {"object": name} for anything else; object_name(o) names it
    (default torch.type); a class is a Lua table."""
    from torch7py.storage import Storage
    from torch7py.tensor import Tensor
    if isinstance(o, Tensor):
        size = [int(x) for x in o.size()._data] if o.dim() else []
        stride = [int(x) for x in o.stride()._data] if o.dim() else []
        data = o.numpy().ravel().tolist() if o.dim() and o.nElement() else []
        return {"tensor": o.typename, "size": size, "stride": stride,
                "offset": int(o.storageOffset()), "data": [number(x) for x in data]}
    if isinstance(o, Storage):
        return {"storage": o.typename, "data": [number(x) for x in o._data.tolist()]}
    if isinstance(o, type):
        return {"object": "table"}
    if object_name is None:
        import torch7py
        object_name = torch7py.type
    return {"object": object_name(o)}


def encode(v, object_name=None, depth=0):
    """The protocol's JSON value for a Python value: a list or tuple is a Lua array (0-based here,
    1-based there; None in it leaves a hole), a dict a table without its None values."""
    if depth > 100:
        raise ValueError("results nest deeper than 100 levels (a cycle?)")
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return number(v)
    if isinstance(v, bytes):
        return v.decode("utf-8", "surrogateescape")
    np = sys.modules.get("numpy")
    if np is not None and isinstance(v, np.generic):
        return encode(v.item(), object_name, depth)
    if isinstance(v, (list, tuple)):
        items = [encode(x, object_name, depth + 1) for x in v]
        if not items:
            return {}
        if any(x is None for x in items):
            return {"[%d]" % (i + 1): x for i, x in enumerate(items) if x is not None}
        return items
    if isinstance(v, dict):
        return {(k if isinstance(k, str) else number_key(k)): encode(x, object_name, depth + 1)
                for k, x in v.items() if x is not None}
    return encode_object(v, object_name)


# -- comparing (PROTOCOL.md "Comparing a run with a golden") -------------------------------------
def _as_float(x):
    if isinstance(x, dict) and "num" in x:
        return float(x["num"])
    return x


def close(a, b, kind):
    """a matches the golden number b; kind "exact", "float" or "double" (the tolerances)."""
    a, b = _as_float(a), _as_float(b)
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) \
            or not isinstance(b, (int, float)):
        return False
    if math.isnan(b) or math.isnan(a):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(b) or math.isinf(a):
        return a == b
    if kind == "exact":
        return a == b
    if kind == "float":
        return abs(a - b) <= 1e-6 + 1e-5 * abs(b)
    return abs(a - b) <= 1e-12 + 1e-9 * abs(b)


def show(x):
    """A short text for a JSON value in a difference."""
    if isinstance(x, dict):
        if "num" in x and len(x) == 1:
            return x["num"]
        if _is_coded(x, "tensor"):
            return "%s of size %s" % (x["tensor"], "x".join(map(str, x["size"])) or "[]")
        if _is_coded(x, "storage"):
            return "%s of size %d" % (x["storage"], len(x["data"]))
        if "object" in x and len(x) == 1:
            return "<%s>" % x["object"]
        return "table"
    if isinstance(x, list):
        return "array of %d" % len(x)
    if isinstance(x, float):
        return str(int(x)) if x == int(x) and abs(x) < 1e15 else repr(x)
    return json.dumps(x)


def data_kind(typename):
    if "Double" in typename:
        return "double"
    if "Float" in typename:
        return "float"
    return "exact"


def _is_coded(x, key):
    return isinstance(x, dict) and key in x and isinstance(x.get("data"), list) and \
        isinstance(x[key], str)


def compare(got, want, path="", diffs=None, limit=MAX_DIFFS):
    """Append to diffs (and return it) the differences between the encoded got and the golden
    want, by key path, up to limit of them."""
    if diffs is None:
        diffs = []
    if len(diffs) >= limit:
        return diffs
    if _is_coded(want, "tensor") or _is_coded(want, "storage"):
        key = "tensor" if "tensor" in want else "storage"
        if not _is_coded(got, key):
            diffs.append("%s: %s != %s" % (path, show(got), show(want)))
            return diffs
        if got[key] != want[key]:
            diffs.append("%s.%s: %s != %s" % (path, key, got[key], want[key]))
            return diffs
        for field in ("size", "stride", "offset"):
            if field in want and got.get(field) != want[field]:
                diffs.append("%s.%s: %s != %s" % (path, field, json.dumps(got.get(field)),
                                                  json.dumps(want[field])))
        gd, wd = got["data"], want["data"]
        if len(gd) != len(wd):
            diffs.append("%s.data: %d values != %d values" % (path, len(gd), len(wd)))
            return diffs
        kind = data_kind(want[key])
        for i, (a, b) in enumerate(zip(gd, wd)):
            if not close(a, b, kind):
                diffs.append("%s.data[%d]: %s != %s" % (path, i + 1, show(a), show(b)))
                if len(diffs) >= limit:
                    break
        return diffs
    if isinstance(want, dict) and "num" in want and len(want) == 1:
        if not close(got, want, "double"):
            diffs.append("%s: %s != %s" % (path, show(got), show(want)))
        return diffs
    if isinstance(want, dict) and "object" in want and len(want) == 1:
        if got != want:
            diffs.append("%s: %s != %s" % (path, show(got), show(want)))
        return diffs
    if isinstance(want, bool) or isinstance(want, str) or want is None:
        if type(got) is not type(want) or got != want:
            diffs.append("%s: %s != %s" % (path, show(got), show(want)))
        return diffs
    if isinstance(want, (int, float)):
        if isinstance(got, bool) or not close(got, want, "double"):
            diffs.append("%s: %s != %s" % (path, show(got), show(want)))
        return diffs
    if isinstance(want, list):
        if not isinstance(got, list):
            diffs.append("%s: %s != %s" % (path, show(got), show(want)))
            return diffs
        if len(got) != len(want):
            diffs.append("%s: %d entries != %d entries" % (path, len(got), len(want)))
        for i, (a, b) in enumerate(zip(got, want)):
            compare(a, b, "%s[%d]" % (path, i + 1), diffs, limit)
            if len(diffs) >= limit:
                break
        return diffs
    if isinstance(want, dict):
        if not isinstance(got, dict) or _is_coded(got, "tensor") or _is_coded(got, "storage") \
                or (len(got) == 1 and ("object" in got or "num" in got)):
            diffs.append("%s: %s != %s" % (path, show(got), show(want)))
            return diffs
        for k in sorted(set(want) | set(got)):
            sub = "%s.%s" % (path, k) if path else k
            if k not in got:
                diffs.append("%s: missing (expected %s)" % (sub, show(want[k])))
            elif k not in want:
                diffs.append("%s: unexpected %s" % (sub, show(got[k])))
            else:
                compare(got[k], want[k], sub, diffs, limit)
            if len(diffs) >= limit:
                break
        return diffs
    diffs.append("%s: cannot compare %s" % (path, show(want)))
    return diffs


def _real_number(w):
    """w is a golden plain number that is no integer (a JSON float, or a coded nan/inf)."""
    f = _as_float(w)
    return isinstance(f, float) and (not math.isfinite(f) or f != int(f))


def _same_number(a, b):
    a, b = _as_float(a), _as_float(b)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def bit_counts(got, want, path="", counts=None):
    """How many of the golden's non-integer numbers (float and double data, plain numbers)
    the run gave bit for bit: counts = {'compared': n, 'identical': k, 'paths': {path: m}}
    with m values of path that differ. The tolerances of compare() hide these; issue 12 asks
    for Torch7's order of operations where it computes without BLAS, which gives its bits."""
    if counts is None:
        counts = {"compared": 0, "identical": 0, "paths": {}}
    if _is_coded(want, "tensor") or _is_coded(want, "storage"):
        key = "tensor" if "tensor" in want else "storage"
        if data_kind(want[key]) == "exact" or not _is_coded(got, key) \
                or len(got["data"]) != len(want["data"]):
            return counts
        bad = 0
        for a, b in zip(got["data"], want["data"]):
            counts["compared"] += 1
            if _same_number(a, b):
                counts["identical"] += 1
            else:
                bad += 1
        if bad:
            counts["paths"][path] = bad
    elif isinstance(want, list) and isinstance(got, list):
        for i, (a, b) in enumerate(zip(got, want)):
            bit_counts(a, b, "%s/%d" % (path, i + 1), counts)
    elif isinstance(want, dict) and isinstance(got, dict) and "num" not in want:
        for k in want:
            if k in got:
                bit_counts(got[k], want[k], "%s/%s" % (path, k), counts)
    elif _real_number(want):
        counts["compared"] += 1
        if _same_number(got, want):
            counts["identical"] += 1
        else:
            counts["paths"][path] = 1
    return counts
