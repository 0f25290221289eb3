"""nngraph's nesting.lua: clone, resize, copy, fill and add tensors in nested tables."""
from .. import tensor as _tensor


def _items(obj):
    if isinstance(obj, list):
        return list(enumerate(obj))
    return list(obj.items())


def cloneNested(obj):
    if isinstance(obj, _tensor.Tensor):
        return obj.clone()
    if isinstance(obj, list):
        return [cloneNested(x) for x in obj]
    return type(obj)({k: cloneNested(v) for k, v in obj.items()}) if isinstance(obj, dict) \
        else {k: cloneNested(v) for k, v in obj.items()}


def fillNested(obj, value):
    if isinstance(obj, _tensor.Tensor):
        obj.fill(value)
    else:
        for _, child in _items(obj):
            fillNested(child, value)


def resizeNestedAs(output, input):
    if isinstance(output, _tensor.Tensor):
        output.resizeAs(input)
        return
    for key, child in _items(input):
        cur = output[key] if (isinstance(output, list) and key < len(output)) else (
            output.get(key) if isinstance(output, dict) else None)
        if cur is None:
            if isinstance(output, list):
                while len(output) <= key:
                    output.append(None)
            output[key] = cloneNested(child)
        else:
            resizeNestedAs(cur, child)
    # entries the input lacks are removed
    if isinstance(output, list):
        n = len(input) if isinstance(input, list) else 0
        del output[n:]
    else:
        for key in [k for k in output if (input.get(k) if isinstance(input, dict) else None)
                    is None]:
            del output[key]


def copyNested(output, input):
    if isinstance(output, _tensor.Tensor):
        output.copy(input)
        return
    for key, child in _items(input):
        copyNested(output[key], child)
    n_in = len(input)
    if len(output) > n_in if isinstance(output, list) else any(k not in input for k in output):
        raise RuntimeError('key present in output but not in input')


def addNestedTo(output, input):
    if isinstance(output, _tensor.Tensor):
        output.add(input)
        return
    for key, child in _items(input):
        addNestedTo(output[key], child)
