"""t7-convert: rewrite a .t7 file saved on a GPU as a CPU-only file that Torch7 without cutorch
(pure torch + nn) loads.

    t7-convert in.t7 out.t7 [--to cpu|float|double] [--ascii]

cutorch tensors become CPU tensors (Cuda -> Float, CudaDouble -> Double, CudaHalf -> Half,
...), cudnn modules their nn equivalents, nn.DataParallelTable the module it holds; sharing
between tensors is kept. `--to float`/`--to double` also converts every floating-point tensor
(and each module's _type) to that type; `cpu` (the default) keeps each element type. Classes
that Torch7 has only with other packages (cudnn's RNN family, unknown classes) are written as
they are, and named on stderr.
"""
import argparse
import sys



from .. import serialization
from ..serialization.objects import LuaFunction, LuaKey, TorchObject, _typename_of
from ..storage import Storage, storage_types
from ..tensor import Tensor, tensor_types

_TARGETS = {"float": "Float", "double": "Double"}


def retype(obj, element):
    """Every Float/Double tensor reachable from `obj` converted to `element` ('Float' or
    'Double') in place where it sits; tensors that shared a storage share the new one."""
    s_cls = storage_types["torch.%sStorage" % element]
    t_cls = tensor_types["torch.%sTensor" % element]
    storages, seen = {}, {}

    def storage(s):
        key = id(s)
        if key not in storages:
            storages[key] = (s, s_cls._wrap(s._data.astype(s_cls.dtype)))
        return storages[key][1]

    def conv(v):
        if isinstance(v, Tensor):
            if v.dtype.kind != "f" or type(v) is t_cls:
                return v
            key = id(v)
            if key not in seen:
                st = None if v._storage is None else storage(v._storage)
                seen[key] = (v, t_cls._make(st, v._offset, v._size, v._stride))
            return seen[key][1]
        if isinstance(v, Storage):
            return storage(v) if v.dtype.kind == "f" else v
        walk(v)
        return v

    visited = set()

    def walk(o):
        if id(o) in visited or isinstance(o, (str, bytes, int, float, bool, LuaFunction)) \
                or o is None:
            return
        visited.add(id(o))
        if isinstance(o, list):
            for i, x in enumerate(o):
                o[i] = conv(x)
        elif isinstance(o, dict):
            for k in list(o.keys()):
                o[k] = conv(o[k])
                if isinstance(k, LuaKey):
                    walk(k.value)
            if isinstance(o.get("_type"), str) and o["_type"] in tensor_types:
                o["_type"] = t_cls.typename if tensor_types[o["_type"]].dtype.kind == "f" \
                    else o["_type"]
        elif hasattr(o, "__dict__") and _typename_of(o) is not None:
            d = o.__dict__
            for k in list(d.keys()):
                d[k] = conv(d[k])
            if isinstance(d.get("_type"), str) and d["_type"] in tensor_types \
                    and tensor_types[d["_type"]].dtype.kind == "f":
                d["_type"] = t_cls.typename

    return conv(obj)


def foreign_classes(obj):
    """The class names in `obj` that Torch7 has only with packages other than torch and nn."""
    found, visited = set(), set()

    def walk(o):
        if id(o) in visited or o is None or isinstance(o, (str, bytes, int, float, bool)):
            return
        visited.add(id(o))
        if isinstance(o, (Tensor, Storage)):
            return
        name = _typename_of(o) if not isinstance(o, (list, dict)) or isinstance(
            o, TorchObject) else None
        if name is not None and not name.startswith(("torch.", "nn.")):
            found.add(name)
        if isinstance(o, list):
            for x in o:
                walk(x)
        elif isinstance(o, dict):
            for k, x in o.items():
                walk(k.value if isinstance(k, LuaKey) else k)
                walk(x)
        elif hasattr(o, "__dict__"):
            for x in vars(o).values():
                walk(x)
    walk(obj)
    return sorted(found)


def convert_file(src, dst, to="cpu", fmt="binary"):
    """Read `src` (a GPU checkpoint), write `dst` CPU-only; returns the foreign class names."""
    if to not in ("cpu", "float", "double"):
        raise ValueError("--to must be cpu, float or double")
    obj = serialization.load(src, allow_functions=True, unknown_classes="table")
    if to in _TARGETS:
        obj = retype(obj, _TARGETS[to])
    foreign = foreign_classes(obj)
    serialization.save(dst, obj, fmt)
    return foreign


def main(argv=None):
    p = argparse.ArgumentParser(prog="t7-convert", description=__doc__.split("\n\n")[0])
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--to", choices=("cpu", "float", "double"), default="cpu",
                   help="cpu: each tensor's CPU type (default); float/double: that type")
    p.add_argument("--ascii", action="store_true", help="write Torch7's ascii format")
    args = p.parse_args(argv)
    try:
        foreign = convert_file(args.input, args.output, args.to,
                               "ascii" if args.ascii else "binary")
    except (OSError, serialization.SerializationError, ValueError) as e:
        sys.stderr.write("t7-convert: %s\n" % e)
        return 1
    if foreign:
        sys.stderr.write("t7-convert: %s written; Torch7 needs more than torch and nn to load "
                         "these classes: %s\n" % (args.output, ", ".join(foreign)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
