"""cunn's nn.DataParallelTable: a checkpoint saved from it loads as the module it holds.

DataParallelTable (version 3) writes, after its class header, the table of GPU assignments
and then the table of its fields (DataParallelTable:__write); version 1 files hold the field
table only. Its `impl` (nn.DataParallelTable.Basic or .Threads) writes its own fields. On the
CPU the replicas, the flattened parameters and the per-GPU buffers have no use: the loaded
object is modules[1], the model the user built.
"""
from ..serialization.objects import TorchObject

IMPLS = ("nn.DataParallelTable.Basic", "nn.DataParallelTable.Threads")


def _read_body(reader, version):
    """(gpuAssignments or None, the field table) of a DataParallelTable."""
    header = None
    if version is not None and version >= 2:
        reader.stack.append("<gpuAssignments>")
        header = reader.read()
        reader.stack.pop()
    return header, reader._fields()


def load_dpt(reader, index, version, typename):
    """The default (gpu_types='cpu'): the module the table holds."""
    placeholder = TorchObject(typename, version=version)
    reader._remember(index, placeholder)
    _, fields = _read_body(reader, version)
    modules = fields.get("modules")
    if isinstance(modules, dict):
        modules = [modules[k] for k in sorted(k for k in modules if isinstance(k, int))]
    if not modules:
        raise reader._error("a DataParallelTable without the module it holds (modules[1])")
    return modules[0]


def keep_dpt(reader, index, version, typename):
    """gpu_types='keep': the object as written, saved back in the same layout."""
    obj = TorchObject(typename, version=version)
    reader._remember(index, obj)
    header, fields = _read_body(reader, version)
    obj.update(fields)
    if header is not None:
        def write(f, obj=obj, header=header):
            # DataParallelTable:__write writes self.gpuAssignments, then the fields: the value
            # the object holds now (the same table as its field: a reference in the file)
            f.writeObject(obj.get("gpuAssignments", header))
            f.writeObject(dict(obj))
        obj._t7_write_file = write
    return obj


def load_impl(reader, index, version, typename):
    """DataParallelTable's dispatcher: a plain object (its fields), whatever the options."""
    obj = TorchObject(typename, version=version)
    reader._remember(index, obj)
    obj.update(reader._fields())
    return obj
