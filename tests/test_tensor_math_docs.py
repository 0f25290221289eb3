"""The torch surface walked from Torch7's docs (doc/maths.md, doc/tensor.md, doc/storage.md at
torch7 814ea4a) and from the `torch` table of a Torch7 install: every name exists where Torch7
has it, from Python and from Lua; constructor forms; bad input errors that leave data alone."""
import os
import re

import numpy as np
import pytest

import torch7py as torch

ALL = ("Byte", "Char", "Short", "Int", "Long", "Float", "Double")
FLT = ("Float", "Double")
INTS = ("Byte", "Char", "Short", "Int", "Long")

# doc/maths.md, section by section: name -> the tensor types whose TensorMath defines it.
MATHS_MD = {
    # Construction or extraction functions
    "cat": ALL, "diag": ALL, "eye": ALL, "histc": FLT, "bhistc": FLT, "linspace": FLT,
    "logspace": FLT, "ones": ALL, "rand": FLT, "randn": FLT, "range": ALL, "randperm": ALL,
    "reshape": ALL, "tril": ALL, "triu": ALL, "zeros": ALL,
    # Element-wise mathematical operations
    "abs": ("Int", "Long") + FLT, "sign": ALL, "acos": FLT, "asin": FLT, "atan": FLT,
    "atan2": FLT, "ceil": FLT, "cos": FLT, "cosh": FLT, "exp": FLT, "floor": FLT, "log": FLT,
    "log1p": FLT, "neg": FLT, "cinv": FLT, "pow": FLT, "round": FLT, "sin": FLT, "sinh": FLT,
    "sqrt": FLT, "rsqrt": FLT, "tan": FLT, "tanh": FLT, "sigmoid": FLT, "trunc": FLT,
    "frac": FLT,
    # Basic operations
    "add": ALL, "csub": ALL, "mul": ALL, "clamp": ALL, "cmul": ALL, "cpow": ALL,
    "addcmul": ALL, "div": ALL, "lshift": ALL, "clshift": ALL, "rshift": ALL, "crshift": ALL,
    "addcdiv": ALL, "fmod": ALL, "remainder": ALL, "mod": ALL, "cfmod": ALL,
    "cremainder": ALL, "cmod": ALL, "bitand": ALL, "cbitand": ALL, "bitor": ALL,
    "cbitor": ALL, "bitxor": ALL, "cbitxor": ALL, "dot": ALL, "addmv": ALL, "addr": ALL,
    "addmm": ALL, "addbmm": ALL, "baddbmm": ALL, "mv": ALL, "mm": ALL, "bmm": ALL,
    "ger": ALL, "lerp": FLT,
    # Column or row-wise operations
    "cross": ALL, "cumprod": ALL, "cumsum": ALL, "max": ALL, "mean": FLT, "min": ALL,
    "cmax": ALL, "cmin": ALL, "median": ALL, "mode": ALL, "kthvalue": ALL, "prod": ALL,
    "sort": ALL, "topk": ALL, "std": FLT, "sum": ALL, "var": FLT,
    # Matrix-wide operations
    "norm": FLT, "renorm": FLT, "dist": FLT, "numel": ALL, "trace": ALL,
    # Convolution operations
    "conv2": ALL, "xcorr2": ALL, "conv3": ALL, "xcorr3": ALL,
    # Logical operations
    "lt": ALL, "le": ALL, "gt": ALL, "ge": ALL, "eq": ALL, "ne": ALL, "all": ("Byte",),
    "any": ("Byte",), "equal": ALL,
}
# LAPACK: TensorMath.lua wraps them with interface:wrap only (torch.f, no method)
LAPACK = ("gesv", "trtrs", "potrf", "potrs", "potri", "pstrf", "gels", "symeig", "eig", "svd",
          "inverse", "qr", "geqrf", "orgqr", "ormqr")
# torch-only functions of maths.md (init.lua / random.lua)
TORCH_ONLY = ("multinomial", "multinomialAliasSetup", "multinomialAlias")
# Float-only functions Torch7 does not define for integer types (a sample of the certain ones)
NOT_FOR_INTS = ("mean", "std", "var", "log", "exp", "sqrt", "tanh", "sigmoid", "norm", "dist",
                "linspace", "histc", "lerp")

# doc/tensor.md: the methods of every tensor type
TENSOR_MD = (
    "clone contiguous type typeAs byte char short int long float double nDimension dim size "
    "stride storage isContiguous isSize isSameSizeAs nElement storageOffset set copy fill zero "
    "resize resizeAs narrow sub select index indexCopy indexAdd indexFill gather scatter "
    "maskedSelect maskedCopy maskedFill nonzero expand expandAs repeatTensor squeeze view "
    "viewAs transpose t permute unfold apply map map2 split chunk totable isSetTo new"
).split()

# The `torch` table of a Torch7 install (its TensorMath, random, File, utility parts), less the
# C-level helpers (Allocator, Half*, cdata, data, pushudata, metatables, heap tracking, error
# handlers) and the Lua-only ones the Lua layer defines (class, include, getmetatable).
TORCH_TABLE = (
    "ByteStorage ByteTensor CharStorage CharTensor CmdLine DiskFile DoubleStorage DoubleTensor "
    "File FloatStorage FloatTensor Generator IntStorage IntTensor LongStorage LongTensor "
    "MemoryFile PipeFile ShortStorage ShortTensor Storage Tensor TestSuite Tester Timer "
    "abs acos add addbmm addcdiv addcmul addmm addmv addr all any asin atan atan2 baddbmm "
    "bernoulli bhistc bitand bitor bitxor bmm cat cauchy cbitand cbitor cbitxor cdiv ceil cfmod "
    "chunk cinv clamp clshift cmax cmin cmod cmul conv2 conv3 cos cosh cpow cremainder cross "
    "crshift csub cumprod cumsum deserialize deserializeFromStorage diag dist div dot eig eq "
    "equal exp expand expandAs exponential eye fill floor fmod frac gather ge gels geometric "
    "geqrf ger gesv getRNGState getdefaulttensortype getnumthreads gt histc initialSeed inverse "
    "isStorage isTensor isTypeOf kthvalue le lerp linspace load log log1p logNormal logspace "
    "lshift lt manualSeed match max mean median min mm mod mode mul multinomial "
    "multinomialAlias multinomialAliasSetup mv ne neg nonzero norm normal numel ones orgqr "
    "ormqr permute pointer potrf potri potrs pow prod pstrf qr rand randn random randperm range "
    "remainder renorm repeatTensor reshape round rshift rsqrt save scatter seed serialize "
    "serializeToStorage setRNGState setdefaulttensortype setnumthreads sigmoid sign sin sinh "
    "sort split sqrt squeeze std sum svd symeig tan tanh topk totable trace tril triu trtrs "
    "trunc type typename uniform var view viewAs xcorr2 xcorr3 zero zeros "
    "tic toc getnumcores getconstructortable factory"
).split()


def _cls(short):
    return getattr(torch, short + "Tensor")


def test_maths_md_functions_exist_as_torch_functions_and_methods():
    for name, types in MATHS_MD.items():
        assert callable(getattr(torch, name, None)), "torch.%s missing" % name
        for short in types:
            assert callable(getattr(_cls(short), name, None)), "%sTensor:%s missing" % (
                short, name)
    for name in NOT_FOR_INTS:
        for short in INTS:
            assert not hasattr(_cls(short), name), "%sTensor:%s should not exist" % (short, name)
            with pytest.raises(torch.TorchError, match="does not implement the torch.%s" % name):
                getattr(torch, name)(_cls(short)(3).fill(1))
    for name in LAPACK + TORCH_ONLY:
        assert callable(getattr(torch, name, None)), "torch.%s missing" % name
    for name in LAPACK:
        assert not hasattr(torch.DoubleTensor, name)


def test_tensor_md_methods_on_every_type():
    for short in ALL:
        missing = [n for n in TENSOR_MD if not callable(getattr(_cls(short), n, None))]
        assert not missing, (short, missing)


def test_the_torch_table_of_torch7():
    assert [n for n in TORCH_TABLE if not hasattr(torch, n)] == []


@pytest.fixture(scope="module")
def lua():
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime()


def test_the_same_surface_from_lua(lua):
    lua.globals.names = lua.to_lua(list(MATHS_MD) + list(LAPACK) + list(TORCH_ONLY) +
                                   TORCH_TABLE)
    lua.globals.methods = lua.to_lua([[s, n] for n, types in MATHS_MD.items() for s in types] +
                                     [[s, n] for n in TENSOR_MD for s in ALL])
    missing = lua.execute("""
        local missing = {}
        for i = 1, #names do
           if torch[names[i]] == nil then missing[#missing + 1] = 'torch.' .. names[i] end
        end
        for i = 1, #methods do
           local short, name = methods[i][1], methods[i][2]
           local t = torch[short .. 'Tensor'](1)
           if t[name] == nil then missing[#missing + 1] = short .. 'Tensor:' .. name end
        end
        return #missing == 0 and 'none' or table.concat(missing, ' ')
    """)
    assert missing == "none"


# -- call forms ---------------------------------------------------------------------------------

def test_call_forms_of_a_tensormath_function():
    a = torch.Tensor([[1, 2], [3, 4]])
    b = torch.Tensor([10, 20, 30, 40])
    want = np.array([[11, 22], [33, 44]], float)
    res = torch.Tensor(7)
    assert torch.add(res, a, b) is res and res.numpy().tolist() == want.tolist()
    assert torch.add(a, b).numpy().tolist() == want.tolist()
    assert torch.add(a, 2, b).numpy().tolist() == (a.numpy() + 2 * b.numpy().reshape(2, 2)
                                                   ).tolist()
    r2 = torch.Tensor()
    assert r2.add(a, 2, b) is r2 and r2.numpy().tolist() == [[21, 42], [63, 84]]
    c = a.clone()
    assert c.add(b) is c and c.numpy().tolist() == want.tolist()
    c = a.clone()
    assert c.add(2, b).numpy().tolist() == [[21, 42], [63, 84]]
    assert torch.add(torch.IntTensor([1, 2]), 3).numpy().tolist() == [4, 5]
    # a trailing type name picks the type where no tensor argument does
    assert torch.typename(torch.zeros(2, "torch.IntTensor")) == "torch.IntTensor"


def test_call_forms_from_lua(lua):
    got = lua.execute("""
        local a = torch.Tensor({{1, 2}, {3, 4}}); local b = torch.Tensor({10, 20, 30, 40})
        local r = torch.Tensor()
        torch.add(r, a, b)
        local c = a:clone():add(2, b)
        local d = torch.IntTensor({7, -7}):div(2)
        local ok, err = pcall(function() return torch.mean(torch.IntTensor(2)) end)
        local y, i = torch.max(torch.Tensor({{1, 5}, {7, 3}}), 2)
        return r[{2, 2}], c[{1, 2}], d[1], d[2], ok, err, y[{2, 1}], i[{1, 1}]
    """)
    assert got[:5] == (44, 42, 3, -3, False)
    assert "torch.IntTensor does not implement the torch.mean() function" in got[5]
    assert got[6:] == (7, 2)


# -- Storage constructors -----------------------------------------------------------------------

def test_storage_constructor_forms(tmp_path):
    assert torch.DoubleStorage().size() == 0
    assert torch.IntStorage(3).size() == 3
    assert torch.IntStorage([1, 2.7, -1.5]).totable() == [1, 2, -1]
    base = torch.DoubleStorage(10).fill(0)
    view = torch.DoubleStorage(base, 3, 5)
    view.fill(1)
    assert base.totable() == [0, 0, 1, 1, 1, 1, 1, 0, 0, 0]
    assert torch.DoubleStorage(base, 4).size() == 7
    with pytest.raises(TypeError, match="torch.DoubleStorage"):
        torch.DoubleStorage(torch.FloatStorage(3))
    with pytest.raises(ValueError, match="size out of bounds"):  # Storage.c's luaL_error
        torch.DoubleStorage(torch.DoubleStorage(3), 2, 5)
    # THAlloc's check of a negative size (the original printed this)
    with pytest.raises(ValueError, match=r"^\$ Torch: invalid memory size -- maybe an overflow\?$"):
        torch.DoubleStorage(-1)


def test_storage_mmap_forms(tmp_path):
    hello = tmp_path / "hello.txt"
    hello.write_bytes(b"Hello World\n")
    x = torch.CharStorage(str(hello))
    assert x.size() == 12 and x.string() == "Hello World\n"
    x.fill(42)                                   # private mapping: the file keeps its bytes
    assert hello.read_bytes() == b"Hello World\n"
    y = torch.CharStorage(str(hello), True)      # shared: writes reach the file
    y.fill(42)
    y._data.flush()
    assert hello.read_bytes() == b"*" * 12
    # a mapping's TH_STORAGE_RESIZABLE is cleared: string() resizes first, and fails even
    # at the mapping's size (the reference Torch7's text)
    with pytest.raises(torch.TorchError, match="Trying to resize storage that is not resizabl"):
        y.string("Hello Torch7")
    assert hello.read_bytes() == b"*" * 12
    # shared with a size: created and grown as needed
    new = tmp_path / "new.bin"
    z = torch.DoubleStorage(str(new), True, 4)
    z.copy(torch.DoubleStorage([1, 2, 3, 4]))
    z._data.flush()
    assert os.path.getsize(new) == 32
    assert np.fromfile(new, dtype=np.float64).tolist() == [1, 2, 3, 4]
    assert torch.DoubleStorage(str(new)).totable() == [1, 2, 3, 4]
    assert torch.ShortStorage(str(new), False, 3).totable() == \
        np.fromfile(new, dtype=np.int16)[:3].tolist()
    with pytest.raises(ValueError, match="smaller than the required mapping size <64>"):
        torch.DoubleStorage(str(new), False, 8)
    with pytest.raises(OSError, match="nofile"):
        torch.ByteStorage(str(tmp_path / "nofile"))
    assert not (tmp_path / "nofile").exists()
    # a mapping cannot grow (THMapAllocator has no realloc); a tensor on it keeps its geometry
    t = torch.Tensor(torch.DoubleStorage(str(new), True))
    with pytest.raises(torch.TorchError, match="Trying to resize storage that is not resizabl"):
        t.resize(2, 4)
    assert t.size().totable() == [4] and t.numpy().tolist() == [1, 2, 3, 4]
    assert t.resize(2, 2).numpy().tolist() == [[1, 2], [3, 4]]


@pytest.mark.skipif(not os.path.isdir("/dev/shm"), reason="no /dev/shm")
def test_storage_shared_memory_form():
    name = "torch7py-test-%d" % os.getpid()
    try:
        a = torch.IntStorage(name, True, 3, True)
        a.copy(torch.IntStorage([7, 8, 9]))
        assert os.path.getsize(os.path.join("/dev/shm", name)) == 12
        # (a shared-memory storage unlinks its name when freed, as THMapAllocator does)
        b = torch.IntStorage(name, True, 0, True)  # sharedMem counts only when shared (Storage.c)
        assert b.totable() == [7, 8, 9]
    finally:
        if os.path.exists(os.path.join("/dev/shm", name)):
            os.remove(os.path.join("/dev/shm", name))


def test_storage_mmap_from_lua(lua, tmp_path):
    path = tmp_path / "w.bin"
    lua.globals.path = str(path)
    got = lua.execute("""
        local s = torch.FloatStorage(path, true, 3)
        s[1] = 1.5; s[3] = -2
        return s:size(), torch.FloatStorage(path)[3]
    """)
    assert got == (3, -2)


# -- Tensor constructors ------------------------------------------------------------------------

def _geom(t):
    return (t.size().totable(), t.stride().totable(), t.storageOffset(), t.numpy().tolist())


def test_tensor_constructor_forms():
    L = torch.LongStorage
    s = torch.DoubleStorage([1, 2, 3, 4, 5, 6, 7, 8])
    assert torch.Tensor().dim() == 0
    assert torch.Tensor(2, 3).size().totable() == [2, 3]
    assert torch.Tensor(1, 1, 1, 1, 2).size().totable() == [1, 1, 1, 1, 2]
    assert torch.Tensor(L([2, 3])).stride().totable() == [3, 1]
    x = torch.Tensor(L([4]), L([0])).zero()
    x[1] = 1
    assert x.numpy().tolist() == [1, 1, 1, 1]
    # a negative stride is computed from the next dimension (THTensor_resizeNd)
    neg = torch.Tensor(L([2, 2]), L([-1, 2]))
    assert neg.stride().totable() == [4, 2] and neg.storage().size() == 7
    assert _geom(torch.Tensor(s)) == ([8], [1], 1, [1, 2, 3, 4, 5, 6, 7, 8])
    # an offset and no sizes: c_readSizeStride's sizes all -1, no dimension (the reference
    # Torch7: torch.DoubleTensor(storage, 2) has dim() 0 and storageOffset() 2)
    assert _geom(torch.Tensor(s, 3))[:3] == ([], [], 3)
    assert _geom(torch.Tensor(s, 2, L([2, 3]))) == ([2, 3], [3, 1], 2,
                                                     [[2, 3, 4], [5, 6, 7]])
    assert _geom(torch.Tensor(s, 1, L([2, 3]), L([1, 2]))) == ([2, 3], [1, 2], 1,
                                                                [[1, 3, 5], [2, 4, 6]])
    assert _geom(torch.Tensor(s, 1, 2, 4, 3, 1)) == ([2, 3], [4, 1], 1,
                                                      [[1, 2, 3], [5, 6, 7]])
    t = torch.Tensor(s, 2, 3)
    t.fill(0)
    assert s.totable() == [1, 0, 0, 0, 5, 6, 7, 8]
    a = torch.Tensor(2, 2).fill(3)
    b = torch.Tensor(a)
    b.zero()
    assert a.numpy().tolist() == [[0, 0], [0, 0]]
    assert torch.Tensor([[1, 2, 3, 4], [5, 6, 7, 8]]).size().totable() == [2, 4]
    assert torch.IntTensor([1.7, -1.7]).numpy().tolist() == [1, -1]
    assert torch.ByteTensor([-1, 256]).numpy().tolist() == [255, 0]


@pytest.mark.parametrize("table,message", [
    ([[1, 2], [3]], "invalid tensor sizes"),
    ([[1, 2], 3], "invalid tensor definition"),
    ([1, "a"], r"invalid element \(not a number\)"),
])
def test_malformed_tables(table, message):
    with pytest.raises(torch.TorchError, match=message):
        torch.Tensor(table)


def test_constructor_errors():
    s = torch.DoubleStorage(8)
    # THTensor resizes to the sizes before the first one <= 0 (../shared/parity/scripts/
    # err_indexing.out: torch.Tensor(-1) is an empty tensor)
    assert torch.Tensor(2, -3).size().totable() == [2]
    assert torch.Tensor(-1).dim() == 0
    # a view past the storage's end grows the storage (THTensor_(resizeNd) resizes it)
    assert torch.Tensor(s, 5, torch.LongStorage([2, 3])).nElement() == 6 and s.size() == 10
    with pytest.raises(TypeError, match="torch.DoubleTensor"):
        torch.Tensor(torch.FloatTensor(2))
    with pytest.raises(TypeError, match=r"^bad argument #1 to '\?' \(expecting number or "
                       r"torch.DoubleTensor or torch.DoubleStorage\)$"):
        torch.Tensor("abc")


# -- bad input: the error names what is wrong, the tensor is unchanged --------------------------

def _x():
    return torch.Tensor([[1, 2, 3], [4, 5, 6]])


# Torch7's texts (../shared/parity/scripts/err_indexing.out, err_tensor_math.out)
BAD = [
    ("narrow", lambda x: x.narrow(3, 1, 1), r"^bad argument #2 to '\?' \(out of range\)$"),
    ("narrow size", lambda x: x.narrow(1, 2, 5), r"^bad argument #4 to '\?' \(out of range\)$"),
    ("select", lambda x: x.select(1, 3), r"^bad argument #3 to '\?' \(out of range\)$"),
    ("index", lambda x: x[3], r"^bad argument #2 to '\?' \(out of range\)$"),
    # Tensor.c's sub reads a pair's end with luaL_checklong (the reference Torch7's text)
    ("sub odd bounds", lambda x: x.sub(2, 2, -1),
     r"^bad argument #5 to '\?' \(number expected, got no value\)$"),
    ("sub end before start", lambda x: x.sub(2, 1), r"#3 to '\?' \(end smaller than beginning"),
    ("setitem", lambda x: x.__setitem__((1, 4), 5), r"\(index out of bound\)$"),
    ("view non-contiguous", lambda x: x.t().view(6), "contiguous"),
    ("view size", lambda x: x.view(4), "^Wrong size for view. Input size: 2x3. Output size: 4$"),
    ("unfold", lambda x: x.unfold(2, 4, 1), r"^bad argument #3 to '\?' \(out of range\)$"),
    ("expand", lambda x: x.expand(4, 3), "singleton"),
    ("type name", lambda x: x.type("torch.FooTensor"), "^attempt to index a nil value$"),
    ("add size", lambda x: x.add(torch.Tensor(4)),
     r"^inconsistent tensor size, expected r_ \[2 x 3\], t \[2 x 3\] and src \[4\] to have "
     r"the same number of elements, but got 6, 6 and 4 elements respectively$"),
    ("copy size", lambda x: x.copy(torch.Tensor(5)),
     r"expected tensor \[2 x 3\] and src \[5\] .* but got 6 and 5 elements respectively$"),
    ("sum dim", lambda x: x.sum(3), r"^bad argument #2 to '\?' \(dimension 3 out of range\)$"),
    ("topk k", lambda x: x.topk(4), r"^bad argument #2 to '\?' \(k not in range for dimension"),
    ("maskedFill mask", lambda x: x.maskedFill(torch.ByteTensor(5).zero(), 1),
     r"expected tensor \[2 x 3\] and mask \[5\] to have"),
    # a matrix: THTensor_(select)'s check of its argument #3 (a vector: set1d's #2, as
    # err_indexing.out shows)
    ("indexFill index", lambda x: x.indexFill(1, torch.LongTensor([3]), 1),
     r"^bad argument #3 to '\?' \(out of range\)$"),
    ("bitand on doubles", lambda x: x.bitand(1), "bitand is only supported for integer type"),
    ("bad argument", lambda x: x.add("a"), "expected arguments"),
]


@pytest.mark.parametrize("name,call,message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_it_and_leaves_the_tensor(name, call, message):
    x = _x()
    with pytest.raises((torch.TorchError, TypeError, ValueError, IndexError), match=message):
        call(x)
    assert x.numpy().tolist() == [[1, 2, 3], [4, 5, 6]]
    assert x.size().totable() == [2, 3] and x.stride().totable() == [3, 1]


def test_mm_size_error_after_zeroing_its_result():
    # x:mm(x, x): mm's cwrap wrapper zeroes its result (x) before TH's addmm checks the
    # sizes; the original printed x as zeros after this error (session 20, sw20c)
    x = _x()
    with pytest.raises(torch.TorchError, match=r"^size mismatch, m1: \[2 x 3\], m2: \[2 x 3\]$"):
        x.mm(x, x)
    assert x.numpy().tolist() == [[0, 0, 0], [0, 0, 0]]


def test_lapack_bad_input_leaves_the_inputs():
    a = torch.Tensor([[1, 2], [2, 1]])
    with pytest.raises(torch.TorchError, match="not positive definite"):
        torch.potrf(a)
    assert a.numpy().tolist() == [[1, 2], [2, 1]]
    z = torch.Tensor(2, 2).zero()
    b = torch.Tensor([[1], [1]])
    with pytest.raises(torch.TorchError, match="singular"):
        torch.gesv(b, z)
    with pytest.raises(torch.TorchError, match="singular"):
        torch.inverse(z)
    assert z.numpy().tolist() == [[0, 0], [0, 0]] and b.numpy().tolist() == [[1], [1]]


def test_bad_input_from_lua(lua):
    got = lua.execute("""
        local x = torch.Tensor({{1, 2, 3}, {4, 5, 6}})
        local ok1, e1 = pcall(function() return x:narrow(3, 1, 1) end)
        local ok2, e2 = pcall(function() return x:t():view(6) end)
        local ok3, e3 = pcall(function() return torch.Tensor({{1, 2}, {3}}) end)
        return ok1 or ok2 or ok3, e1, e2, e3, x:sum(), x:stride(1)
    """)
    assert got[0] is False
    assert got[1].endswith("bad argument #2 to '?' (out of range)") and "contiguous" in got[2]
    assert "invalid tensor sizes" in got[3]
    assert got[4:] == (21, 3)


# -- the functions added from the docs ----------------------------------------------------------

def test_torch_fill_and_zero():
    x = torch.IntTensor(3)
    assert torch.fill(x, 7) is x and x.numpy().tolist() == [7, 7, 7]
    assert torch.zero(x) is x and x.numpy().tolist() == [0, 0, 0]


def test_multinomial_alias_tables_by_hand():
    # probs {.2, .3, .5}: q = 3p = {.6, .9, 1.5}; the stacks pair 1 (small) with 2 (large),
    # q[2] = 1.5 - (1 - .9) = 1.4, then 0 with 2, q[2] = 1.4 - .4 = 1.0; J = {2, 2, 0} (0-based)
    # and the entry left without an alias gets q = 1. Lua sees J + 1.
    state = torch.multinomialAliasSetup(torch.Tensor([0.2, 0.3, 0.5]))
    assert torch.typename(state[0]) == "torch.LongTensor"
    assert state[0].numpy().tolist() == [3, 3, 1]
    assert np.allclose(state[1].numpy(), [0.6, 0.9, 1.0])
    again = torch.multinomialAliasSetup(torch.Tensor([0.5, 0.5]), state)
    assert again is state and state[0].numpy().tolist() == [1, 1]


def test_multinomial_alias_draws():
    torch.manualSeed(5)
    probs = torch.Tensor([0.1, 0.2, 0.3, 0.4])
    state = torch.multinomialAliasSetup(probs)
    out = torch.LongTensor(20000)
    assert torch.multinomialAlias(out, state) is out
    # each draw is uniform(0, K) for the slot, then bernoulli(q[slot]) between slot and alias,
    # the two numbers taken in turn from the generator
    torch.manualSeed(5)
    u = torch.Tensor(40000).uniform().numpy()
    slot = (u[0::2] * 4).astype(int)
    q, J = state[1].numpy(), state[0].numpy()
    # Torch7's C draw sees J - 1 and subtracts 1 again from an alias: one below its category
    want = np.where(u[1::2] <= q[slot], slot + 1, J[slot] - 1)
    assert out.numpy().tolist() == want.tolist()


def test_multinomial_alias_draws_as_the_original():
    # the original Torch7 printed 3 1 2 2 3 2 3 for these 7 draws (issue 12)
    torch.manualSeed(123)
    state = torch.multinomialAliasSetup(torch.Tensor([0.2, 0.3, 0.5]))
    out = torch.multinomialAlias(torch.LongTensor(7), state)
    assert out.numpy().tolist() == [3, 1, 2, 2, 3, 2, 3]


def test_multinomial_method_form_with_result():
    p = torch.Tensor([1, 1, 0.5, 0])
    res = torch.LongTensor()
    torch.manualSeed(3)
    got = p.multinomial(res, p, 6, True)
    torch.manualSeed(3)
    want = torch.multinomial(p, 6, True)
    assert got is res and res.numpy().tolist() == want.numpy().tolist()
    with pytest.raises(torch.TorchError, match="does not implement the torch.multinomial"):
        torch.multinomial(res, p, 2)   # dispatched on the LongTensor, as in Torch7
    with pytest.raises(torch.TorchError, match="LongTensor"):
        p.multinomial(p, 2)
    assert re.search("LongTensor", torch.typename(res))


def test_constructor_forms_from_lua(lua):
    got = lua.execute("""
        local s = torch.DoubleStorage({1, 2, 3, 4, 5, 6, 7, 8})
        local a = torch.Tensor(s, 2, torch.LongStorage{2, 3})
        local b = torch.Tensor(s, 1, 2, 4, 3, 1)
        local c = torch.Tensor(torch.LongStorage{2, 2}, torch.LongStorage{1, 2})
        local w = torch.DoubleStorage(s, 3, 2); w[1] = 30
        local i = torch.IntStorage({1, 2.7, -1.5})
        local e = torch.Tensor(a)
        return a[2][3], a:storageOffset(), b[2][1], b:stride(1), c:stride(1), s[3], #w,
               i[2], i[3], torch.pointer(e:storage()) == torch.pointer(s),
               torch.Tensor({{1, 2}, {3, 4}})[2][1]
    """)
    assert got == (7, 2, 5, 4, 1, 30, 2, 2, -1, True, 3)


def test_utility_entries_of_the_torch_table():
    t = torch.tic()
    assert 0 <= torch.toc(t) < 5
    assert torch.getnumcores() >= 1
    assert torch.getconstructortable("torch.FloatTensor") is torch.FloatTensor
    assert torch.getconstructortable("torch.nope") is None
    empty = torch.factory("torch.IntTensor")()
    assert torch.typename(empty) == "torch.IntTensor" and empty.dim() == 0
    assert torch.factory("torch.nope") is None
    assert torch.typename(torch.factory("nn.Linear")()) == "nn.Linear"


def test_istypeof_names_classes_and_lua_patterns():
    from torch7py import nn
    x, lin = torch.Tensor(1), nn.Linear(2, 2)
    assert torch.isTypeOf(x, "torch.DoubleTensor") and not torch.isTypeOf(x, "torch.FloatTensor")
    assert torch.isTypeOf(x, "torch.*Tensor")         # a pattern: any match counts
    assert not torch.isTypeOf(x, "Tensor")            # a plain name must be the whole name
    assert torch.isTypeOf(lin, "nn.Module") and torch.isTypeOf(lin, "nn%.Lin")
    assert not torch.isTypeOf(lin, "Linear") and torch.isTypeOf(lin, nn.Module)
