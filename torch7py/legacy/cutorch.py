"""cutorch's tensor and storage types (torch.CudaTensor, torch.CudaDoubleStorage, ...) on the CPU.

cutorch writes a Cuda tensor or storage exactly as the CPU type of the same element type
(generic/CStorage.c copies the data to the host and calls THFile_write<Real>Raw; a tensor
writes its sizes, strides, offset and then its storage), so a GPU file is read with the CPU
layout. By default each one loads as the matching CPU type; with gpu_types='keep' it loads as
a CPU class that keeps the cutorch name, so the object is saved back as it was read.
"""

from ..serialization.objects import _typenames
from ..storage import storage_types
from ..tensor import tensor_types

# cutorch element name -> the CPU element it maps to ('' is cutorch's float CudaTensor)
GPU_ELEMENTS = {"": "Float", "Double": "Double", "Half": "Half", "Byte": "Byte", "Char": "Char",
                "Short": "Short", "Int": "Int", "Long": "Long"}


def gpu_typenames():
    """Every cutorch tensor/storage type name, mapped to the CPU type name it loads as."""
    out = {}
    for gpu, cpu in GPU_ELEMENTS.items():
        for kind in ("Tensor", "Storage"):
            out["torch.Cuda%s%s" % (gpu, kind)] = "torch.%s%s" % (cpu, kind)
    return out


GPU_TYPENAMES = gpu_typenames()
_kept = {}


def _kept_classes(element):
    """The (tensor, storage) classes of gpu_types='keep' for one cutorch element type: CPU
    classes with the cutorch names."""
    if element in _kept:
        return _kept[element]
    cpu = GPU_ELEMENTS[element]
    base_s = storage_types["torch.%sStorage" % cpu]
    base_t = tensor_types["torch.%sTensor" % cpu]
    extra = {}
    name = "Cuda%s" % element
    s_cls = type(name + "Storage", (base_s,), dict(extra, typename="torch.%sStorage" % name,
                                                     __slots__=(), __module__=__name__))
    t_cls = type(name + "Tensor", (base_t,), dict(extra, typename="torch.%sTensor" % name,
                                                    storage_class=s_cls, __slots__=(),
                                                    __module__=__name__))
    s_cls.tensor_class = t_cls
    # saved under their cutorch names, yet never what a name resolves to when a file is read
    # (the reader maps the names by its gpu_types option)
    _typenames[s_cls], _typenames[t_cls] = s_cls.typename, t_cls.typename
    _kept[element] = (t_cls, s_cls)
    return _kept[element]


def element_of(typename):
    """'torch.CudaHalfTensor' -> ('Half', 'Tensor'); None for a name cutorch does not have."""
    if typename not in GPU_TYPENAMES:
        return None
    rest = typename[len("torch.Cuda"):]
    kind = "Tensor" if rest.endswith("Tensor") else "Storage"
    return rest[:-len(kind)], kind


def read_class(typename, mode):
    """The class a cutorch tensor/storage is read as, and a function applied to what is read
    (None: nothing to do)."""
    element, kind = element_of(typename)
    if mode == "keep":
        t_cls, s_cls = _kept_classes(element)
        return (t_cls if kind == "Tensor" else s_cls), None
    cpu = GPU_TYPENAMES[typename]
    return (tensor_types if kind == "Tensor" else storage_types)[cpu], None


def cpu_typename(name):
    """A tensor type name with cutorch's names mapped to the CPU ones (a module's _type)."""
    return GPU_TYPENAMES.get(name, name) if isinstance(name, str) else name
