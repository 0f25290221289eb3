"""Classes that only exist in old files: cutorch's GPU tensors, cudnn.torch's modules, cunn's
DataParallelTable. The serializer asks `resolve` how to read a class it does not know; by
default each loads as its CPU/nn equivalent (see docs/gpu_checkpoints.md).

`convert(module)` is cudnn.convert(module, nn) for objects already in memory (a cudnn module
kept by gpu_types='keep' or built in Lua): each cudnn module is replaced by its nn equivalent.
"""
import sys

from . import cudnn, cudnn_volumetric, cunn, cutorch, ern, rnn
from .cudnn import LegacyError
from .cutorch import GPU_TYPENAMES, cpu_typename

__all__ = ["resolve", "convert", "cpu_typename", "GPU_TYPENAMES", "LegacyError", "note_mapped",
           "rnn"]

# cudnn classes with no CPU form: they load as plain objects (a TorchObject) when unknown
# classes are allowed, else the load stops with this reason
NO_EQUIVALENT = {
    "cudnn.SpatialDivisiveNormalization":
        "has no CPU form: cudnn.torch's own forward calls cuDNN functions that do not exist "
        "(cudnnDivisiveNormCrossChannelForward, its resetPoolDescriptors), so it never ran; "
        "nn.SpatialDivisiveNormalization is a different layer",
}


def _field_loader(convert):
    """A loader for a cudnn module whose body is its field table: read the fields, build the
    nn equivalent. The object is remembered as a plain object while its fields are read."""
    def load(reader, index, version, typename):
        from ..serialization.objects import TorchObject
        reader._remember(index, TorchObject(typename, version=version))
        fields = reader._fields()
        where = ".".join(reader.stack) or "<root>"
        fields.setdefault("__class", typename)
        try:
            obj = convert(fields, where)
        except LegacyError as e:
            raise reader._error(str(e)) from None
        return obj
    return load


def _as_object(reader, index, version, typename):
    from ..serialization.objects import TorchObject
    if not reader.unknown_table and reader.gpu_types == "cpu":
        why = NO_EQUIVALENT.get(typename, "is not a cudnn class torch7py knows")
        raise reader._error("%s %s (load with unknown_classes='table' to get its fields as a "
                            "TorchObject)" % (typename, why))
    obj = TorchObject(typename, version=version)
    reader._remember(index, obj)
    obj.update(reader._fields())
    return obj


def resolve(typename, mode="cpu"):
    """How a reader reads `typename`: None (not a GPU class), a (class, post) pair for a
    tensor/storage/module class read the usual way, or a loader(reader, index, version,
    typename) that returns the object."""
    if typename in GPU_TYPENAMES:
        return cutorch.read_class(typename, mode)
    if typename in rnn.CLASSES:
        return rnn.CLASSES[typename], None
    if typename in cudnn_volumetric.CLASSES:
        return cudnn_volumetric.CLASSES[typename], None
    if typename == "nn.DataParallelTable":
        return cunn.keep_dpt if mode == "keep" else cunn.load_dpt
    if typename in cunn.IMPLS:
        return cunn.load_impl
    if typename.startswith("cudnn."):
        if mode == "keep" or typename not in cudnn.CONVERTERS:
            return _as_object
        return _field_loader(cudnn.CONVERTERS[typename])
    return None


def note_mapped(typenames):
    """The note a load writes once when it read GPU classes onto the CPU."""
    names = sorted(typenames)
    shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    sys.stderr.write("torch7py: GPU types read on the CPU (%s): cutorch tensors as CPU tensors "
                     "(Cuda -> Float, CudaDouble -> Double, CudaHalf -> Half, ...), cudnn/cunn "
                     "modules as nn modules; load with gpu_types='keep' to keep the names\n"
                     % shown)


def convert(module, exclusion_fn=None):
    """cudnn.convert(module, nn): every cudnn module in `module` (itself included) replaced by
    its nn equivalent, in place where it sits in a container; returns the converted module.
    A module for which exclusion_fn(module) is true stays as it is."""
    from ..serialization.objects import TorchObject

    def one(m):
        if exclusion_fn is not None and exclusion_fn(m):
            return m
        name = m.typename if isinstance(m, TorchObject) else None
        if name in cudnn.CONVERTERS:
            fields = dict(m)
            fields.setdefault("__class", name)
            return cudnn.CONVERTERS[name](fields, "<%s>" % name)
        if name == "nn.DataParallelTable" and m.get("modules"):
            return walk(m["modules"][0])
        return m

    def walk(m):
        if getattr(type(m), "typename", None) == "nn.gModule":
            # as cudnn.convert: a graph's nodes hold their modules too (loading, which
            # converts each object once, is the way for graphs)
            sys.stderr.write("Warning: cudnn.convert does not work with nngraph yet. Ignoring "
                             "nn.gModule\n")
            return m
        m = one(m)
        mods = m.__dict__.get("modules") if hasattr(m, "__dict__") else None
        if isinstance(mods, list):
            for i, sub in enumerate(mods):
                mods[i] = walk(sub)
        inner = m.__dict__.get("module") if hasattr(m, "__dict__") else None
        if inner is not None and hasattr(inner, "__dict__"):
            m.module = walk(inner)
        return m

    return walk(module)
