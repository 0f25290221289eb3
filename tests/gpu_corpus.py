"""A writer of GPU-style .t7 files for the tests: what cutorch, cudnn.torch and cunn write.

It is a small, separate implementation of File.lua's writeObject (binary, little-endian, 8-byte
longs), so the files the tests read are not made by the serializer they test. Any class name
can be written: `Obj(typename, fields)` for a module whose body is its field table, `Custom`
for a class with its own write (nn.GPU, nn.DataParallelTable), `Tensor`/`Storage` for tensors
of any cutorch type (their data in the layout of the CPU type of the same element, float16 for
CudaHalf, as cutorch's THFile_write<Real>Raw writes it).
"""
import struct

import numpy as np

NIL, NUMBER, STRING, TABLE, TORCH, BOOLEAN = 0, 1, 2, 3, 4, 5

ELEMENT_DTYPE = {"": np.float32, "Double": np.float64, "Half": np.float16, "Byte": np.uint8,
                 "Char": np.int8, "Short": np.int16, "Int": np.int32, "Long": np.int64,
                 "Float": np.float32}


class Obj:
    """A Torch object whose body is its field table."""

    def __init__(self, typename, fields, version=1):
        self.typename, self.fields, self.version = typename, fields, version


class Custom:
    """A Torch object with its own write: `parts` are written one after the other."""

    def __init__(self, typename, parts, version=1):
        self.typename, self.parts, self.version = typename, parts, version


class Storage:
    def __init__(self, typename, data):
        self.typename, self.data = typename, np.asarray(data).reshape(-1)


class Tensor:
    """A tensor of a cutorch (or CPU) type on `storage`, with Torch7's geometry."""

    def __init__(self, typename, storage, size, stride=None, offset=0):
        self.typename, self.storage, self.size = typename, storage, tuple(size)
        if stride is None:
            stride, acc = [], 1
            for s in reversed(self.size):
                stride.insert(0, acc)
                acc *= s
        self.stride, self.offset = tuple(stride), offset


def element(typename):
    """'torch.CudaHalfTensor' -> 'Half'; 'torch.FloatStorage' -> 'Float'."""
    name = typename[len("torch."):]
    name = name[:-len("Tensor")] if name.endswith("Tensor") else name[:-len("Storage")]
    return name[len("Cuda"):] if name.startswith("Cuda") else name


def tensor(typename, array, storage=None, offset=0):
    """A contiguous tensor of `typename` holding `array` (its own storage unless given)."""
    array = np.asarray(array)
    stype = typename.replace("Tensor", "Storage")
    if storage is None:
        storage = Storage(stype, array.astype(ELEMENT_DTYPE[element(typename)]))
    return Tensor(typename, storage, array.shape, offset=offset)


class Writer:
    def __init__(self):
        self.out = bytearray()
        self.memo = {}
        self.keep = []  # written objects stay alive: their ids are the memo keys

    def i(self, v):
        self.out += struct.pack("<i", v)

    def longs(self, vs):
        self.out += struct.pack("<%dq" % len(vs), *vs)

    def s(self, data):
        data = data.encode() if isinstance(data, str) else data
        self.i(len(data))
        self.out += data

    def ref(self, obj):
        """Writes the memo index; True when the object was written before."""
        key = id(obj)
        if key in self.memo:
            self.i(self.memo[key])
            return True
        self.memo[key] = len(self.memo) + 1
        self.keep.append(obj)
        self.i(self.memo[key])
        return False

    def write(self, v):
        if v is None:
            self.i(NIL)
        elif isinstance(v, bool):
            self.i(BOOLEAN)
            self.i(1 if v else 0)
        elif isinstance(v, (int, float)):
            self.i(NUMBER)
            self.out += struct.pack("<d", float(v))
        elif isinstance(v, str):
            self.i(STRING)
            self.s(v)
        elif isinstance(v, (list, dict)):
            self.i(TABLE)
            if self.ref(v):
                return
            items = list(enumerate(v, 1)) if isinstance(v, list) else list(v.items())
            items = [(k, x) for k, x in items if x is not None]
            self.i(len(items))
            for k, x in items:
                self.write(k)
                self.write(x)
        else:
            self.i(TORCH)
            if self.ref(v):
                return
            self.s("V %d" % getattr(v, "version", 1))
            self.s(v.typename)
            if isinstance(v, Storage):
                self.longs([len(v.data)])
                self.out += np.ascontiguousarray(v.data).astype(v.data.dtype.newbyteorder("<")
                                                                ).tobytes()
            elif isinstance(v, Tensor):
                self.i(len(v.size))
                self.longs(v.size)
                self.longs(v.stride)
                self.longs([v.offset + 1])
                self.write(v.storage)
            elif isinstance(v, Obj):
                self.write(dict(v.fields))
            else:
                for part in v.parts:
                    self.write(part)


def resaved(obj, classes, memo=None):
    """obj as the original Torch7 writes it back after loading it: each object of `classes`
    (whose reader sets the fields in the read table's pairs order) with its fields in LuaJIT's
    pairs order applied three times to the file's order (reft716's runs of /tmp/ref7's th:
    torch.load then torch.save reorders an nn module's fields so); shared objects stay shared."""
    from torch7py.luaorder import pairs_order
    memo = {} if memo is None else memo
    if id(obj) in memo:
        return memo[id(obj)]
    if isinstance(obj, list):
        out = memo[id(obj)] = []
        out.extend(resaved(x, classes, memo) for x in obj)
    elif isinstance(obj, dict):
        out = memo[id(obj)] = {}
        for k, x in obj.items():
            out[k] = resaved(x, classes, memo)
    elif isinstance(obj, Obj):
        out = memo[id(obj)] = Obj(obj.typename, {}, obj.version)
        fields = {k: resaved(x, classes, memo) for k, x in obj.fields.items() if x is not None}
        if obj.typename in classes:
            fields = {k: fields[k] for k in pairs_order(pairs_order(pairs_order(list(fields))))}
        out.fields = fields
    elif isinstance(obj, Custom):
        out = memo[id(obj)] = Custom(obj.typename, [], obj.version)
        out.parts = [resaved(x, classes, memo) for x in obj.parts]
    else:
        out = memo[id(obj)] = obj
    return out


def dumps(obj):
    w = Writer()
    w.write(obj)
    return bytes(w.out)


def save(path, obj):
    with open(path, "wb") as f:
        f.write(dumps(obj))


# ---------------------------------------------------------------------------------------------
# GPU-style modules with the fields cudnn.torch / cunn / nn set (read from their sources)

CUDA = "torch.CudaTensor"


def module_fields(ttype=CUDA, **fields):
    """nn.Module's fields after :cuda(): output, gradInput, _type, train."""
    base = {"output": tensor(ttype, np.zeros(0)), "gradInput": tensor(ttype, np.zeros(0)),
            "_type": ttype, "train": False}
    base.update(fields)
    return base


def cudnn_conv(w, b, dW=1, dH=1, padW=0, padH=0, groups=1, ttype=CUDA):
    """cudnn.SpatialConvolution: weight nOutputPlane x nInputPlane/groups x kH x kW."""
    nOut, nInG, kH, kW = w.shape
    return Obj("cudnn.SpatialConvolution", module_fields(
        ttype, nInputPlane=nInG * groups, nOutputPlane=nOut, kW=kW, kH=kH, dW=dW, dH=dH,
        padW=padW, padH=padH, groups=groups, weight=tensor(ttype, w),
        gradWeight=tensor(ttype, np.zeros_like(w)),
        bias=None if b is None else tensor(ttype, b),
        gradBias=None if b is None else tensor(ttype, np.zeros_like(b)),
        fmode="CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM", bdmode=None,
        iSize=Storage("torch.LongStorage", np.array([0, 0, 0, 0], np.int64))))


def cudnn_pool(name, kW, kH, dW, dH, padW=0, padH=0, ceil=False, extra=None, ttype=CUDA):
    fields = module_fields(ttype, kW=kW, kH=kH, dW=dW, dH=dH, padW=padW, padH=padH,
                           ceil_mode=ceil,
                           iSize=Storage("torch.LongStorage", np.zeros(4, np.int64)))
    fields.update(extra or {})
    return Obj(name, fields)


def cudnn_bn(name, weight, bias, mean, var, eps=1e-5, momentum=0.1, ttype=CUDA):
    return Obj(name, module_fields(
        ttype, eps=eps, momentum=momentum, affine=weight is not None,
        running_mean=tensor(ttype, mean), running_var=tensor(ttype, var),
        weight=None if weight is None else tensor(ttype, weight),
        bias=None if bias is None else tensor(ttype, bias),
        gradWeight=None if weight is None else tensor(ttype, np.zeros_like(weight)),
        gradBias=None if bias is None else tensor(ttype, np.zeros_like(bias)),
        save_mean=tensor(ttype, np.zeros(0)), save_std=tensor(ttype, np.zeros(0))))


def cudnn_rnn(name, mode, inputSize, hiddenSize, numLayers, blob, bidirectional=False,
              batchFirst=False, ttype=CUDA):
    """cudnn.RNN's fields (RNN.lua's __init) with its flat weight blob; descriptors cleared,
    as RNN:write does."""
    return Obj(name, module_fields(
        ttype, datatype="CUDNN_DATA_FLOAT", inputSize=inputSize, hiddenSize=hiddenSize,
        seqLength=1, miniBatch=1, numLayers=numLayers,
        bidirectional="CUDNN_BIDIRECTIONAL" if bidirectional else "CUDNN_UNIDIRECTIONAL",
        numDirections=2 if bidirectional else 1, inputMode="CUDNN_LINEAR_INPUT", mode=mode,
        dropout=0, seed=0x01234567, batchFirst=batchFirst, rememberStates=False, sync=True,
        inputPacked=False, weight=tensor(ttype, blob),
        gradWeight=tensor(ttype, np.zeros_like(blob)), reserve=tensor(ttype, np.zeros(0)),
        hiddenOutput=tensor(ttype, np.zeros(0)), cellOutput=tensor(ttype, np.zeros(0)),
        gradHiddenInput=tensor(ttype, np.zeros(0)), gradCellInput=tensor(ttype, np.zeros(0))))


def sequential(*modules, ttype=CUDA):
    return Obj("nn.Sequential", module_fields(ttype, modules=list(modules)))


def nn_linear(w, b, ttype=CUDA):
    return Obj("nn.Linear", module_fields(ttype, weight=tensor(ttype, w), bias=tensor(ttype, b),
                                          gradWeight=tensor(ttype, np.zeros_like(w)),
                                          gradBias=tensor(ttype, np.zeros_like(b))))


def data_parallel_table(module, gpus=(1, 2), ttype=CUDA):
    """cunn's DataParallelTable (version 3): gpuAssignments, then its fields, whose impl
    (nn.DataParallelTable.Basic) refers back to the table."""
    gpus = list(gpus)
    fields = module_fields(ttype, typeStr=ttype, dimension=1, modules=[module],
                           gpuAssignments=gpus, inputGpu={}, gradOutputGpu={}, outputGpu={},
                           gradInputGpu={}, flattenParams=False, usenccl=False)
    dpt = Custom("nn.DataParallelTable", [gpus, fields], version=3)
    fields["impl"] = Obj("nn.DataParallelTable.Basic", {"dpt": dpt})
    return dpt


def nn_gpu(module, device, ttype=CUDA):
    """nn.GPU (GPU.lua's write): the header {_type, device}, then the fields."""
    fields = module_fields(ttype, modules=[module], device=device, outdevice=device)
    return Custom("nn.GPU", [[ttype, device], fields])
